/* Batch: a run over several configuration files and periods.
 *
 * Each configuration (-c FILE [FILE...]) is loaded, given its base
 * directory and rendered for every period of its range; one failure stops
 * neither the other periods nor the other files.  A run over more than
 * one ends with one summary line on stderr. */
#ifndef ZJ_BATCH_H
#define ZJ_BATCH_H

#include "cli.h"

struct cfg;
struct period;

/* Renders one period of a loaded configuration (main's pipeline); multi
 * is set when the range has several periods.  Returns 0, or -1 after
 * reporting. */
typedef int (*batch_period)(struct cfg *cfg, const struct period *p,
    const struct opts *o, int multi);

/* Runs every configuration of o for every period through run.  Returns
 * the exit class of the first failure, or EXIT_OK. */
int batch_run(const struct opts *o, batch_period run);

#endif
