/* Command line: options, help and usage errors (see cli.h). */
#include "cli.h"
#include "diag.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(void)
{
	fputs(_("usage: zongjie [-c FILE [FILE...]] [-p PERIOD] [-o FILE] "
	    "[--check] [-q | -v]\n"
	    "  -c, --config FILE    configuration (default config/report.ini); "
	    "several\n"
	    "                       files after -c are each rendered in turn\n"
	    "  -C, --directory DIR  base of the configuration's relative paths "
	    "(default:\n"
	    "                       the configuration file's directory)\n"
	    "  -p, --period PERIOD  YYYY-MM, YYYY, last-month, last-year, or a "
	    "range A..B\n"
	    "                       (default: [report] period)\n"
	    "  -o, --output FILE    PDF (or .docx) to write (default: [report] "
	    "output)\n"
	    "      --check          validate config, data, template, fonts and "
	    "mail\n"
	    "                       settings; write nothing\n"
	    "      --format FORMAT  pdf or docx (default: from the output "
	    "name's suffix)\n"
	    "      --dump-layout    print the laid-out boxes instead of a PDF\n"
	    "      --dump-doc       print the evaluated document tree (figures "
	    "and sources)\n"
	    "      --print-path     print the path of each PDF written\n"
	    "      --wait[=SECONDS] wait for another run's lock (default 3600 "
	    "s), then exit 8\n"
	    "      --mail           once written, mail the report as "
	    "configured in [mail]\n"
	    "                       (attach = pdf, docx: the PDF, the DOCX or "
	    "both)\n"
	    "      --mail-to ADDR   send this run's mail to ADDR only (a test "
	    "copy)\n"
	    "      --init DIR       write a skeleton to start from (INI, "
	    "template, a CSV)\n"
	    "      --figures FILE   also write the figures sheet (.csv or "
	    ".html): every figure\n"
	    "                       with its page, expression, value and "
	    "source cells\n"
	    "      --review[=FILE]  also write a review copy: figures marked "
	    "and annotated,\n"
	    "                       an appendix of sources (default "
	    "NAME-review.pdf)\n"
	    "      --explain EXPR   evaluate one expression (EXPR | FORMAT) "
	    "and print its value\n"
	    "                       and sources; render nothing\n"
	    "  -q, --quiet          print errors only\n"
	    "  -v, --verbose        print progress\n"
	    "  -h, --help           print this help\n"
	    "  -V, --version        print the version\n"
	    "exit codes: 0 ok, 1 internal, 2 usage/config, 3 data, 4 template, "
	    "5 font,\n"
	    "            6 output, 7 mail, 8 locked\n"), stdout);
}

/* A usage error: the one line given, then where to read more. */
static int
usage_error(void)
{
	diag_raw("Try 'zongjie --help' for more information.");
	return EXIT_USAGE;
}

enum {
	OPT_CHECK = 256, OPT_DUMP_LAYOUT, OPT_DUMP_DOC, OPT_FAKE_METRICS,
	OPT_PRINT_PATH, OPT_WAIT, OPT_MAIL, OPT_MAIL_TO, OPT_INIT, OPT_FORMAT,
	OPT_FIGURES, OPT_REVIEW, OPT_EXPLAIN
};

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "directory", required_argument, NULL, 'C' },
	{ "period", required_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "dump-layout", no_argument, NULL, OPT_DUMP_LAYOUT },
	{ "dump-doc", no_argument, NULL, OPT_DUMP_DOC },
	{ "fake-metrics", no_argument, NULL, OPT_FAKE_METRICS },
	{ "print-path", no_argument, NULL, OPT_PRINT_PATH },
	{ "wait", optional_argument, NULL, OPT_WAIT },
	{ "mail", no_argument, NULL, OPT_MAIL },
	{ "mail-to", required_argument, NULL, OPT_MAIL_TO },
	{ "init", required_argument, NULL, OPT_INIT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "figures", required_argument, NULL, OPT_FIGURES },
	{ "review", optional_argument, NULL, OPT_REVIEW },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Names the option getopt refused: ch is ':' for a missing argument,
 * '?' for an unknown one (argv[optind - 1] holds a long option). */
static int
bad_option(char *argv[], int ch)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (ch == ':')
		diag_error(EXIT_USAGE, NULL, "option '%s' needs an argument",
		    arg);
	else if (optopt > 0 && optopt < 128 && strncmp(arg, "--", 2) != 0)
		diag_error(EXIT_USAGE, NULL, "unknown option '-%c'", optopt);
	else
		diag_error(EXIT_USAGE, NULL, "unknown option '%s'", arg);
	return usage_error();
}

/* One option.  Returns -1 to go on, or an exit code. */
static int
one_option(int ch, struct opts *o, const char **config)
{
	switch (ch) {
	case 'c': *config = optarg; break;
	case 'C': o->directory = optarg; break;
	case 'p': o->period = optarg; break;
	case 'o': o->output = optarg; break;
	case OPT_CHECK: o->check = 1; break;
	case OPT_DUMP_LAYOUT: o->dump_layout = 1; break;
	case OPT_DUMP_DOC: o->dump_doc = 1; break;
	case OPT_FAKE_METRICS: o->fake_metrics = 1; break;
	case OPT_PRINT_PATH: o->print_path = 1; break;
	case OPT_WAIT:
		o->wait = CLI_WAIT_DEFAULT;
		if (optarg != NULL && parse_long(optarg, 1, 7L * 86400,
		    &o->wait) != 0) {
			diag_error(EXIT_USAGE, NULL, "--wait=%s: give the "
			    "seconds to wait, 1 to 604800", optarg);
			return usage_error();
		}
		break;
	case OPT_MAIL: o->mail = 1; break;
	case OPT_MAIL_TO: o->mail_to = optarg; o->mail = 1; break;
	case OPT_INIT: o->init = optarg; break;
	case OPT_FORMAT: o->format = optarg; break;
	case OPT_FIGURES: o->figures = optarg; break;
	case OPT_REVIEW: o->review = 1; o->review_path = optarg; break;
	case OPT_EXPLAIN: o->explain = optarg; break;
	case 'q': o->verbosity = -1; break;
	case 'v': o->verbosity++; break;
	case 'h': usage(); return EXIT_OK;
	case 'V': printf("zongjie %s\n", ZJ_VERSION); return EXIT_OK;
	default: return -2;
	}
	return -1;
}

/* The combinations --figures, --review and --explain allow.  Returns -1
 * or EXIT_USAGE after reporting. */
static int
check_extras(const struct opts *o)
{
	if (o->explain != NULL && (o->check || o->dump_layout ||
	    o->dump_doc || o->mail || o->figures || o->review || o->output ||
	    o->print_path || o->init)) {
		diag_error(EXIT_USAGE, NULL, "--explain goes only with -c, -p, "
		    "-q and -v");
		return EXIT_USAGE;
	}
	if ((o->figures != NULL || o->review) && (o->check ||
	    o->dump_layout || o->dump_doc)) {
		diag_error(EXIT_USAGE, NULL, "--figures and --review do not go "
		    "with --check, --dump-layout or --dump-doc");
		return EXIT_USAGE;
	}
	if (o->review_path != NULL && *o->review_path == '\0') {
		diag_error(EXIT_USAGE, NULL, "--review=: the file name is "
		    "empty");
		return EXIT_USAGE;
	}
	return -1;
}

int
cli_parse(int argc, char *argv[], struct opts *o)
{
	const char *config = NULL;
	int ch, rc, i;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:C:p:o:qvhV", longopts,
	    NULL)) != -1) {
		if ((rc = one_option(ch, o, &config)) == -2)
			return bad_option(argv, ch);
		if (rc != -1)
			return rc;
	}
	/* -c a.ini b.ini c.ini (what a shell makes of a wildcard): the
	 * arguments after the options are more configuration files. */
	if (optind < argc && config == NULL) {
		diag_error(EXIT_USAGE, NULL, "unexpected argument \"%s\" (more "
		    "configuration files go after -c FILE)", argv[optind]);
		return usage_error();
	}
	o->configs = xcalloc((size_t)(argc - optind) + 1, sizeof(*o->configs));
	o->configs[o->nconfigs++] = config != NULL ? config :
	    "config/report.ini";
	for (i = optind; i < argc; i++)
		o->configs[o->nconfigs++] = argv[i];
	if (o->format != NULL && strcmp(o->format, "pdf") != 0 &&
	    strcmp(o->format, "docx") != 0) {
		diag_error(EXIT_USAGE, NULL, "unknown --format \"%s\" (pdf or "
		    "docx)", o->format);
		return usage_error();
	}
	if (o->fake_metrics && !o->dump_layout && !o->check) {
		diag_error(EXIT_USAGE, NULL, "--fake-metrics only goes with "
		    "--dump-layout or --check");
		return usage_error();
	}
	if (o->mail && (o->check || o->dump_layout || o->dump_doc)) {
		diag_error(EXIT_USAGE, NULL, "--mail does not go with --check, "
		    "--dump-layout or --dump-doc");
		return usage_error();
	}
	if (o->nconfigs > 1 && o->output != NULL) {
		diag_error(EXIT_USAGE, NULL, "-o goes with one configuration "
		    "file only; each of several writes its own [report] "
		    "output");
		return usage_error();
	}
	return check_extras(o);
}

void
cli_free(struct opts *o)
{
	free(o->configs);
	o->configs = NULL;
}
