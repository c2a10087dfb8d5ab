/* Cli: options → struct opts; the help text.  See cli.h. */
#include "cli.h"
#include "diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void
usage(FILE *fp)
{
	fputs(_("usage: zongjie [-c FILE] [-p PERIOD] [-o FILE] [--check] "
	    "[-q | -v]\n"
	    "  -c, --config FILE    configuration (default config/report.ini)\n"
	    "  -p, --period PERIOD  YYYY-MM, YYYY, last-month, last-year, or a "
	    "range A..B\n"
	    "                       (default: [report] period)\n"
	    "  -o, --output FILE    PDF (or .docx) to write (default: [report] "
	    "output)\n"
	    "      --check          validate config, data, template and fonts; "
	    "write nothing\n"
	    "      --format FORMAT  pdf or docx (default: from the output "
	    "name's suffix)\n"
	    "      --dump-layout    print the laid-out boxes instead of a PDF\n"
	    "      --dump-doc       print the evaluated document tree (figures "
	    "and sources)\n"
	    "      --print-path     print the path of each PDF written\n"
	    "      --wait           wait for another run's lock instead of "
	    "failing\n"
	    "      --mail           send the PDF as configured in [mail] once "
	    "it is written\n"
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
	    "            6 output, 7 mail, 8 locked\n"), fp);
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
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "period", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'C' },
		{ "dump-layout", no_argument, NULL, 'D' },
		{ "dump-doc", no_argument, NULL, 'T' },
		{ "fake-metrics", no_argument, NULL, 'F' },
		{ "print-path", no_argument, NULL, 'P' },
		{ "wait", no_argument, NULL, 'W' },
		{ "mail", no_argument, NULL, 'M' },
		{ "init", required_argument, NULL, 'I' },
		{ "figures", required_argument, NULL, 'G' },
		{ "review", optional_argument, NULL, 'R' },
		{ "explain", required_argument, NULL, 'X' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->config = "config/report.ini";
	while ((ch = getopt_long(argc, argv, "c:p:o:qvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'p': o->period = optarg; break;
		case 'o': o->output = optarg; break;
		case 'C': o->check = 1; break;
		case 'D': o->dump_layout = 1; break;
		case 'T': o->dump_doc = 1; break;
		case 'F': o->fake_metrics = 1; break;
		case 'P': o->print_path = 1; break;
		case 'W': o->wait = 1; break;
		case 'M': o->mail = 1; break;
		case 'I': o->init = optarg; break;
		case 'G': o->figures = optarg; break;
		case 'R': o->review = 1; o->review_path = optarg; break;
		case 'X': o->explain = optarg; break;
		case 'f': o->format = optarg; break;
		case 'q': o->verbosity = -1; break;
		case 'v': o->verbosity++; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("zongjie %s\n", ZJ_VERSION); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		diag_error(EXIT_USAGE, NULL, "unexpected argument \"%s\"",
		    argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o->format != NULL && strcmp(o->format, "pdf") != 0 &&
	    strcmp(o->format, "docx") != 0) {
		diag_error(EXIT_USAGE, NULL, "unknown --format \"%s\" (pdf or "
		    "docx)", o->format);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o->fake_metrics && !o->dump_layout && !o->check) {
		diag_error(EXIT_USAGE, NULL, "--fake-metrics only goes with "
		    "--dump-layout or --check");
		return EXIT_USAGE;
	}
	return check_extras(o);
}
