/* zongjie --init DIR: a working skeleton to start a first report from. */
#ifndef ZJ_SCAFFOLD_H
#define ZJ_SCAFFOLD_H

#include <time.h>

/* Writes into dir (created, with its parents, if missing) a configuration
 * report.ini, a template report.md, one month's export
 * input/YYYY-MM/kpi.csv for the month before *today (the INI's period),
 * and fonts/README.md; the INI's paths are relative to dir.  Renders at
 * once: zongjie -c DIR/report.ini.  Never overwrites: when any of those
 * files exists, nothing is written.  Prints the files written and the next
 * command on stdout.  Returns 0, or -1 after reporting (EXIT_OUTPUT). */
int scaffold_write(const char *dir, const struct tm *today);

#endif
