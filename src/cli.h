/* Cli: the command line.  cli_parse reads argv into struct opts and
 * reports usage errors through diag; it knows the options and the help
 * text, nothing of the stages they steer.  The strings in struct opts are
 * borrowed from argv. */
#ifndef ZJ_CLI_H
#define ZJ_CLI_H

#define ZJ_VERSION "0.1.0"

struct opts {
	const char *config;     /* -c, default config/report.ini */
	const char *period;     /* -p, or NULL for [report] period */
	const char *output;     /* -o, or NULL for [report] output */
	const char *init;       /* --init DIR */
	const char *format;     /* --format pdf|docx; NULL: from the name */
	int check;
	int dump_layout;
	int dump_doc;
	int fake_metrics;
	int print_path;
	int wait;
	int mail;
	const char *figures;    /* --figures FILE */
	int review;             /* --review[=FILE] */
	const char *review_path;    /* its FILE, NULL = beside the PDF */
	const char *explain;    /* --explain EXPR */
	int verbosity;          /* -1 quiet, 0 normal, 1.. verbose */
};

/* Fills *o from argv.  Returns -1 when the run should go on, or the exit
 * code to return at once (0 after --help or --version, EXIT_USAGE after a
 * reported usage error). */
int cli_parse(int argc, char *argv[], struct opts *o);

#endif
