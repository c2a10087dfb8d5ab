/* Command line: the options of one zongjie invocation.
 *
 * cli_parse fills struct opts from argv and prints the help, the version
 * or a usage error itself; main only acts on the result. */
#ifndef ZJ_CLI_H
#define ZJ_CLI_H

#include <stddef.h>

#define ZJ_VERSION "0.1.0"

/* --wait without SECONDS: how long to wait for another run's lock. */
#define CLI_WAIT_DEFAULT 3600L

struct opts {
	const char **configs;   /* -c FILE and the files after it (owned array,
	                         * borrowed strings); never empty */
	size_t nconfigs;
	const char *period;
	const char *output;
	const char *directory;  /* -C DIR: base for the INI's relative paths */
	const char *init;       /* --init DIR */
	const char *mail_to;    /* --mail-to ADDR: this run's PDF to ADDR only */
	const char *format;     /* --format pdf|docx; NULL: from the name */
	long wait;              /* --wait[=SECONDS]: 0 = fail at once */
	int check;
	int dump_layout;
	int dump_doc;
	int fake_metrics;
	int print_path;
	int mail;               /* --mail or --mail-to */
	const char *figures;    /* --figures FILE */
	int review;             /* --review[=FILE] */
	const char *review_path;    /* its FILE, NULL = beside the PDF */
	const char *explain;    /* --explain EXPR */
	int verbosity;          /* -1 quiet, 0, 1 -v, 2 -vv */
};

/* Parses argv into o.  Returns -1 when the run should go on, or the exit
 * code to end with at once: EXIT_OK after --help or --version, EXIT_USAGE
 * after a usage error (one line naming it and "Try 'zongjie --help'").
 * Free o with cli_free. */
int cli_parse(int argc, char *argv[], struct opts *o);
void cli_free(struct opts *o);


#endif
