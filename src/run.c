/* Run: the steps of one period's run (see run.h). */
#include "run.h"
#include "batch.h"
#include "bigmem.h"
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


void
run_free(struct run *r){
	size_t i;

	doc_free(r->doc);
	eval_free(r->ev);               /* before the tables it points into */
	if (r->tables != NULL)
		for (i = 0; i < r->cfg->nsources; i++)
			data_free(r->tables[i]);
	free(r->tables);
	rnd_free(r->rnd);
	lay_free(r->lay);
}

/* Reads the period's sources and registers them with a new evaluator.
 * Returns 0 or -1. */
int
load_run(struct run *r){
	r->ev = eval_create(&r->period, r->cfg->missing);
	return load_sources(r->cfg, &r->period, r->ev, &r->tables);
}

/* The document: the template and the INI's texts parsed into a tree,
 * evaluated in place, its texts checked against the fonts.  Returns 0 or
 * -1. */
int
build_doc(struct run *r){
	if ((r->doc = tpl_parse(r->cfg->template_path)) == NULL)
		return -1;
	tpl_add_report(r->doc, r->cfg);
	if (eval_doc(r->ev, r->cfg, r->doc) != 0 || r->doc->nerrors > 0)
		return -1;
	if (r->rnd != NULL && render_check_doc(r->rnd, r->doc, r->cfg) != 0)
		return -1;
	return 0;
}

/* SOURCE_DATE_EPOCH when set and valid, else the end of the period. */
static time_t
creation_time(const struct period *p){
	const char *e = getenv("SOURCE_DATE_EPOCH");
	long v;

	if (e != NULL && parse_long(e, 0, 253402300799L, &v) == 0)
		return (time_t)v;
	return period_end(p);
}

/* out_precheck on the output path, before any work: an output that can
 * never be written stops the run at once.  Returns 0 or -1 after
 * reporting. */
int
precheck_output(const struct opts *o, const char *outpath){
	return o->dump_layout || o->dump_doc ? 0 : out_precheck(outpath);
}

/* --check: what was loaded and what would be written.  Returns 0 or -1. */
int
print_check(const struct run *r, const char *outpath){
	const struct cfg *cfg = r->cfg;
	size_t i;

	for (i = 0; i < cfg->nsources; i++) {
		const struct data_table *t = r->tables[i];
		char d = data_delimiter(t);
		size_t kept = data_nrows(t);

		/* The rows the report uses: after the exclude rule. */
		(void)eval_source_rows(r->ev, cfg->sources[i].name, &kept);
		fprintf(stdout, "%s: %s, %s, %s, %zu rows, %zu columns",
		    cfg->sources[i].name, data_path(t), data_encoding(t),
		    d == '\t' ? "tab" : d == ';' ? "semicolon" : "comma",
		    kept, data_ncols(t));
		if (kept < data_nrows(t))
			fprintf(stdout, " (%zu excluded)", data_nrows(t) - kept);
		fputc('\n', stdout);
	}
	if (out_check(outpath) != 0)
		return -1;
	fprintf(stdout, "%s: %d pages, would write %s\n", r->period_str,
	    r->lay->npages, outpath);
	return 0;
}

/* Writes the layout lay of the run's document to outpath through a
 * temporary file.  Returns 0 or -1. */
int
write_pdf(struct run *r, struct lay_result *lay, const char *outpath,
    long wait){
	struct out_file *of = out_begin(outpath, wait);
	struct rnd_info info;

	if (of == NULL)
		return -1;
	memset(&info, 0, sizeof(info));
	info.title = r->doc->nodes[0].text;     /* DOC_TITLE */
	info.author = r->cfg->organization;
	info.subject = info.title;
	info.creator = "zongjie " ZJ_VERSION;
	info.created = creation_time(&r->period);
	if (rnd_write(r->rnd, lay, &r->cfg->style, &info,
	    out_tmp_path(of)) != 0) {
		out_abort(of);
		return -1;
	}
	return out_commit(of);
}

/* 1 when the run writes a DOCX: --format docx, or no --format and an
 * output name ending in .docx (any case). */
int
is_docx(const struct opts *o, const char *outpath){
	size_t n = strlen(outpath);

	if (o->format != NULL)
		return strcmp(o->format, "docx") == 0;
	return n >= 5 && strcasecmp(outpath + n - 5, ".docx") == 0;
}

/* Writes the DOCX to outpath through a temporary file, with the PDF's
 * properties and the fonts' metrics for table widths.  Returns 0 or -1. */
int
write_docx(struct run *r, const char *outpath, long wait){
	struct out_file *of;
	struct docx_info info;

	if ((of = out_begin(outpath, wait)) == NULL)
		return -1;
	memset(&info, 0, sizeof(info));
	info.title = r->doc->nodes[0].text;     /* DOC_TITLE */
	info.author = r->cfg->organization;
	info.creator = "zongjie " ZJ_VERSION;
	info.created = creation_time(&r->period);
	if (docx_write(r->doc, &r->cfg->style, r->rnd ? rnd_measure(r->rnd) :
	    NULL, &info, out_tmp_path(of)) != 0) {
		out_abort(of);
		return -1;
	}
	return out_commit(of);
}

/* The format [mail] attach names at i (the output's own when the key is
 * absent). */
static int
attach_docx(const struct cfg_mail *m, size_t i, int own_docx)
{
	return m->nattach == 0 ? own_docx : m->attach[i] == ATTACH_DOCX;
}

/* Mails the files [mail] attach names (default: the output alone), once
 * they are complete and in place, to [mail] to and cc, or to mail_to
 * alone (--mail-to) when not NULL; a failure to send keeps them (exit
 * 7).  outpath is the output (a DOCX when own_docx), other the file of
 * the other format (NULL when not written).  Returns 0 or -1. */
int
mail_pdf(struct run *r, const char *outpath, int own_docx, const char *other,
    const char *mail_to)
{
	struct cfg_mail m = r->cfg->mail;
	const struct cfg_mail *mc = &m;
	struct diag_loc ls = { r->cfg->path, 0, 0, "mail", "subject" };
	struct diag_loc lb = { r->cfg->path, 0, 0, "mail", "body" };
	struct mail_file files[2];
	size_t i, n = m.nattach > 0 ? (size_t)m.nattach : 1;
	struct strbuf subject, body;
	int rc = -1;

	for (i = 0; i < n; i++) {
		files[i].docx = attach_docx(mc, i, own_docx);
		files[i].path = files[i].docx == own_docx ? outpath : other;
		if (files[i].path == NULL)      /* extra_paths sets other */
			return -1;
	}
	if (mail_to != NULL) {
		m.to = (char *)mail_to;         /* borrowed; m is a copy */
		m.cc = NULL;
	}
	sb_init(&subject);
	sb_init(&body);
	if (eval_expand(r->ev, mc->subject, &ls, &subject) == 0 &&
	    (mc->body == NULL || eval_expand(r->ev, mc->body, &lb,
	    &body) == 0) && mail_send(mc, sb_str(&subject), mc->body ?
	    sb_str(&body) : NULL, files, n) == 0) {
		diag_info("mailed %s to %s", outpath, mc->to);
		rc = 0;
	}
	sb_free(&subject);
	sb_free(&body);
	return rc;
}

/* The other format's path: outpath with its .pdf or .docx suffix (any
 * case) replaced by .docx (docx) or .pdf, or with that suffix added when
 * it has neither.  Returns a new string, or NULL after reporting (exit
 * 2, at config's [mail] attach) when that is outpath itself (-o x.docx
 * --format pdf). */
static char *
other_path(const char *config, const char *outpath, int docx)
{
	size_t n = strlen(outpath);
	char *p;

	if (n >= 4 && strcasecmp(outpath + n - 4, ".pdf") == 0)
		n -= 4;
	else if (n >= 5 && strcasecmp(outpath + n - 5, ".docx") == 0)
		n -= 5;
	p = xasprintf("%.*s%s", (int)n, outpath, docx ? ".docx" : ".pdf");
	if (strcmp(p, outpath) == 0) {
		struct diag_loc loc = { config, 0, 0, "mail", "attach" };
		diag_error(EXIT_USAGE, &loc, "the %s to attach would be written "
		    "over the output %s itself; give the output the suffix of "
		    "its format", docx ? "DOCX" : "PDF", outpath);
		free(p);
		return NULL;
	}
	return p;
}

/* When the run mails ([mail] attach names the format the output is not),
 * the path of that file, beside the output with the same base name (NULL
 * otherwise), prechecked.  Returns 0, or -1 after reporting. */
static int
other_format(const struct cfg *cfg, const struct opts *o, const char *outpath,
    struct extra *x)
{
	int own = is_docx(o, outpath), i;

	if (!o->mail)
		return 0;
	for (i = 0; i < cfg->mail.nattach; i++)
		if ((cfg->mail.attach[i] == ATTACH_DOCX) != own) {
			x->other = other_path(cfg->path, outpath, !own);
			return x->other != NULL ? out_precheck(x->other) : -1;
		}
	return 0;
}

/* Writes the output, a DOCX or a PDF (is_docx), and then the other
 * format at x->other when set (each atomically: a failure leaves that
 * file's last good version), before the extras change the document.
 * Returns 0 or -1. */
int
write_outputs(struct run *r, const struct opts *o, const char *outpath,
    const struct extra *x)
{
	int docx = is_docx(o, outpath), k;

	for (k = 0; k < 2; k++) {
		const char *path = k == 0 ? outpath : x->other;
		int d = k == 0 ? docx : !docx;

		if (path == NULL)
			break;
		if (d) {
			if (write_docx(r, path, o->wait) != 0)
				return -1;
			diag_info("wrote %s", path);
		} else {
			if (write_pdf(r, r->lay, path, o->wait) != 0)
				return -1;
			diag_info("wrote %s (%d pages)", path, r->lay->npages);
		}
		if (o->print_path)
			printf("%s\n", path);
	}
	return 0;
}

/* The PDF to write for period p: -o as given (relative to the current
 * directory) for a single period, else the pattern (-o or [report]
 * output) expanded and, for [report] output, resolved against the
 * configuration's base.  Returns NULL after reporting. */
char *
output_path(const struct cfg *cfg, const struct period *p,
    const struct opts *o, int multi){
	char *pat, *res;

	if (o->output != NULL && !multi && !o->check)
		pat = xstrdup(o->output);
	else
		pat = period_expand_path(p, o->output ? o->output :
		    cfg->output);
	if (*pat == '\0')
		return pat;             /* out_precheck reports it */
	res = o->output != NULL ? path_absolute(pat) : cfg_path(cfg, pat);
	if (res == NULL)
		diag_error(EXIT_OUTPUT, NULL, "cannot find the current "
		    "directory: %s", strerror(errno));
	free(pat);
	return res;
}



/* The pattern expanded for p and made absolute against the current
 * directory; NULL after reporting. */
static char *
abs_expand(const struct period *p, const char *pattern){
	char *e = period_expand_path(p, pattern), *a;

	if (*e == '\0')
		return e;
	a = path_absolute(e);
	if (a == NULL)
		diag_error(EXIT_OUTPUT, NULL, "cannot find the current "
		    "directory: %s", strerror(errno));
	free(e);
	return a;
}

/* Works out and prechecks the paths of the figures sheet and the review
 * copy for period p (patterns expanded as the output's are), and, for a
 * mailing run whose [mail] attach names the format the output is not,
 * the path of that file: beside the output, the same base name with the
 * other suffix.  Returns 0, or -1 after reporting. */
int
extra_paths(const struct cfg *cfg, const struct opts *o,
    const struct period *p, const char *outpath, struct extra *x){
	if (other_format(cfg, o, outpath, x) != 0)
		return -1;
	/* Command-line paths are relative to the current directory, as -o
	 * is (output_path): absolute, so that they compare with outpath. */
	if (o->figures != NULL) {
		x->figures = abs_expand(p, o->figures);
		if (x->figures == NULL)
			return -1;
		if (fig_format_of(x->figures) < 0)
			return -1;
		if (strcmp(x->figures, outpath) == 0 || (x->other != NULL &&
		    strcmp(x->figures, x->other) == 0)) {
			diag_error(EXIT_USAGE, NULL, "--figures %s: is the "
			    "PDF's own path", x->figures);
			return -1;
		}
		if (out_precheck(x->figures) != 0)
			return -1;
	}
	if (o->review) {
		x->review = o->review_path != NULL ?
		    abs_expand(p, o->review_path) :
		    review_default_path(outpath);
		if (x->review == NULL)
			return -1;
		if (strcmp(x->review, outpath) == 0 || (x->figures != NULL &&
		    strcmp(x->review, x->figures) == 0) || (x->other != NULL &&
		    strcmp(x->review, x->other) == 0)) {
			diag_error(EXIT_USAGE, NULL, "--review=%s: the review "
			    "copy needs a path of its own", x->review);
			return -1;
		}
		if (out_precheck(x->review) != 0)
			return -1;
	}
	return 0;
}

/* The review copy: the document with the appendix 数据来源核对表 added
 * (r->doc is changed), laid out again, each figure marked and
 * annotated, written to path.  Returns 0 or -1. */
static int
write_review(struct run *r, const struct fig_list *figs, const char *path,
    long wait){
	const struct lay_measure *m = rnd_measure(r->rnd);
	struct lay_result *lay = NULL;
	struct fig_list *l;
	int rc = -1;

	review_add_appendix(r->doc, figs);
	l = fig_collect(r->doc);        /* figs points into the old nodes */
	/* the PDF's and the figures' passes left up to bigmem's slack of
	 * mapped pages resident: the second layout starts without them
	 * (1M rows: peak 44 -> 31 MB) */
	big_trim();
	if (render_check_doc(r->rnd, r->doc, r->cfg) == 0 &&
	    (lay = lay_stream(r->doc, &r->cfg->style, m)) != NULL) {
		review_pages(l, r->doc, lay, m);  /* numbered as in figs */
		review_mark(l, r->doc, lay, m);
		if (!lay_read_failed(lay))
			rc = write_pdf(r, lay, path, wait);
	}
	if (rc == 0)
		diag_info("wrote %s (%d pages)", path, lay->npages);
	fig_free(l);
	lay_free(lay);
	return rc;
}

/* 1 when something after the PDF needs to know where the figures
 * landed: their pages for -v, the figures sheet, the review copy. */
static int
needs_figures(const struct extra *x)
{
	return x->figures != NULL || x->review != NULL ||
	    diag_verbosity() >= 1;
}

int
layout_doc(struct run *r, const struct opts *o, const struct extra *x,
    const char *outpath)
{
	const struct lay_measure *m = o->fake_metrics ? lay_fake_measure() :
	    rnd_measure(r->rnd);

	/* A DOCX does not read the layout (only the PDF of --mail's other
	 * format does, once, as a PDF run): streamed too.  The figures are
	 * located in a streamed layout as well (lay_locate_*: boxes read
	 * back from disk). */
	/* loading and evaluating left up to bigmem's slack of mapped pages
	 * resident: the layout's own grow from a trimmed set (1M rows,
	 * --figures: peak 38 -> 31 MB) */
	big_trim();
	if (!o->dump_layout && !o->fake_metrics)
		r->lay = lay_stream(r->doc, &r->cfg->style, m);
	else
		r->lay = lay_run(r->doc, &r->cfg->style, m);
	return r->lay != NULL ? 0 : -1;
}

/* After the PDF: the figures on their pages, their warnings (-v), the
 * figures sheet and the review copy.  Frees r->lay (NULL after) when it
 * places figures.  Returns 0 or -1. */
int
write_extras(struct run *r, const struct extra *x, long wait){
	struct fig_list *figs;
	int rc = 0;

	if (!needs_figures(x))
		return 0;
	figs = fig_collect(r->doc);
	review_pages(figs, r->doc, r->lay, rnd_measure(r->rnd));
	if (lay_read_failed(r->lay)) {
		fig_free(figs);         /* the pages may be wrong: reported */
		return -1;
	}
	if (diag_verbosity() >= 1)
		(void)fig_report(figs, 0);
	if (x->figures != NULL) {
		if (fig_write(figs, r->doc, x->figures) != 0)
			rc = -1;
		else
			diag_info("wrote %s (%zu figures)", x->figures,
			    figs->n);
	}
	/* the review copy is laid out anew: the PDF's layout is done
	 * with (nothing after the extras reads it) */
	lay_free(r->lay);
	r->lay = NULL;
	if (rc == 0 && x->review != NULL &&
	    write_review(r, figs, x->review, wait) != 0)
		rc = -1;
	fig_free(figs);
	return rc;
}

/* --explain EXPR: parses and evaluates one placeholder body against the
 * period's sources and prints what fig_explain prints.  Errors are
 * located in the expression ("--explain:1:COL").  Returns 0 or -1. */
int
explain(struct run *r, const char *text){
	/* column 0: the expression's first character is column 1 (in a
	 * template, loc is the '{' before it) */
	struct diag_loc loc = { "--explain", 1, 0, NULL, NULL };
	struct doc_inline in;
	int rc = -1;

	memset(&in, 0, sizeof(in));
	in.is_figure = 1;
	in.loc = loc;
	in.source = xstrdup(text);
	if ((in.expr = expr_parse(text, strlen(text), &loc)) != NULL)
		in.expr->loc.col = 1;   /* evaluation errors: the whole */
	if (in.expr != NULL &&
	    eval_figure(r->ev, in.expr, NULL, 0, &in.value) == 0) {
		in.end = in.value.printed != NULL ? strlen(in.value.printed) :
		    0;
		rc = fig_explain(&in, stdout) == 0 && fflush(stdout) == 0 ?
		    0 : -1;
		if (rc != 0)
			diag_error(EXIT_OUTPUT, NULL, "cannot write the "
			    "standard output");
	}
	expr_free(in.expr);
	doc_value_free(&in.value);
	free(in.source);
	return rc;
}

