/* zongjie: INI + CSV exports → a Chinese work-summary PDF.
 *
 * main parses options and runs the stages in order for each period:
 * config → data → template (struct doc) → eval (the doc in place) →
 * render check → layout → render → output (or, for a .docx, the DOCX
 * writer over the same tree → output).  It knows nothing of their
 * insides; the exit code is the class of the first error (diag.h). */
#include "batch.h"
#include "run.h"
#include "cli.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "docx.h"
#include "eval.h"
#include "expr.h"
#include "figures.h"
#include "layout.h"
#include "load.h"
#include "mail.h"
#include "output.h"
#include "paths.h"
#include "period.h"
#include "render.h"
#include "render_check.h"
#include "review.h"
#include "scaffold.h"
#include "template.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Runs one period (a batch_period).  Returns 0 on success, -1 on failure
 * (reported). */
static int
run_period(struct cfg *cfg, const struct period *p, const struct opts *o,
    int multi)
{
	struct run r;
	struct extra x = { NULL, NULL, NULL };
	char *outpath;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.period = *p;
	period_format(p, r.period_str, sizeof(r.period_str));
	diag_info("period %s", r.period_str);
	if ((outpath = output_path(cfg, p, o, multi)) == NULL)
		goto done;
	if (o->explain != NULL) {
		if (load_run(&r) == 0)
			rc = explain(&r, o->explain);
		goto done;
	}
	if (precheck_output(o, outpath) != 0 ||
	    (!o->dump_layout && !o->dump_doc &&
	    extra_paths(cfg, o, p, outpath, &x) != 0))
		goto done;
	if (load_run(&r) != 0)
		goto done;
	if (!o->fake_metrics && !o->dump_doc) {
		r.rnd = rnd_create((const char *const *)cfg->fonts,
		    cfg->fontdir, cfg->path);
		if (r.rnd == NULL)
			goto done;
		rnd_allow_missing(r.rnd, cfg->font_missing_warn);
	}
	if (build_doc(&r) != 0)
		goto done;
	if (o->dump_doc) {
		doc_dump(r.doc, stdout);
		rc = fflush(stdout) == 0 ? 0 : -1;
		goto done;
	}
	if (layout_doc(&r, o, &x, outpath) != 0)
		goto done;
	if (o->check) {
		rc = print_check(&r, outpath);
		goto done;
	}
	if (o->dump_layout) {
		lay_dump(r.lay, stdout);
		rc = fflush(stdout) == 0 ? 0 : -1;
		goto done;
	}
	if (write_outputs(&r, o, outpath, &x) != 0)
		goto done;
	if (write_extras(&r, &x, o->wait) != 0)
		goto done;
	if (o->print_path && x.review != NULL)
		printf("%s\n", x.review);
	if (o->mail && mail_pdf(&r, outpath, is_docx(o, outpath), x.other,
	    o->mail_to) != 0)
		goto done;
	rc = 0;
done:
	free(outpath);
	free(x.figures);
	free(x.review);
	free(x.other);
	run_free(&r);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	int rc;

	diag_init_locale();
	if ((rc = cli_parse(argc, argv, &o)) >= 0) {
		cli_free(&o);
		return rc;
	}
	diag_set_verbosity(o.verbosity);
	if (o.init != NULL) {
		struct tm today;
		time_t now = time(NULL);

		localtime_r(&now, &today);
		rc = scaffold_write(o.init, &today) == 0 ? EXIT_OK :
		    diag_exit_code();
	} else {
		out_signals();
		rc = batch_run(&o, run_period);
	}
	cli_free(&o);
	return rc;
}
