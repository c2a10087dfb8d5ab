/* Run: one period's stages, which main orders.  struct run owns
 * everything one period's run makes (free with run_free); the functions
 * below each do one step on it, report through diag, and return 0 or -1
 * (or a new string, NULL after reporting).  Split out of main.c so that
 * main only orders the stages. */
#ifndef ZJ_RUN_H
#define ZJ_RUN_H

#include <time.h>

#include "cli.h"
#include "config.h"
#include "data.h"
#include "doc.h"
#include "eval.h"
#include "figures.h"
#include "layout.h"
#include "period.h"
#include "render.h"

/* Everything one period's run owns. */
struct run {
	struct cfg *cfg;
	struct period period;
	char period_str[16];
	struct data_table **tables;
	struct eval *ev;
	struct doc *doc;
	struct rnd *rnd;
	struct lay_result *lay;
};

/* The extra outputs of one period's run: the figures sheet, the review
 * copy and the file of the other format that [mail] attach asks for
 * (NULL when not asked for). */
struct extra {
	char *figures;
	char *review;
	char *other;
};

void run_free(struct run *r);

/* Reads the period's sources and registers them with a new evaluator.
 * Returns 0 or -1. */
int load_run(struct run *r);

/* The document: the template and the INI's texts parsed into a tree,
 * evaluated in place, its texts checked against the fonts.  Returns 0 or
 * -1. */
int build_doc(struct run *r);

/* out_precheck on the output path, before any work: an output that can
 * never be written stops the run at once.  Returns 0 or -1 after
 * reporting. */
int precheck_output(const struct opts *o, const char *outpath);

/* --check: what was loaded and what would be written.  Returns 0 or -1. */
int print_check(const struct run *r, const char *outpath);

/* Writes the layout lay of the run's document to outpath through a
 * temporary file.  Returns 0 or -1. */
int write_pdf(struct run *r, struct lay_result *lay, const char *outpath,
    long wait);

/* 1 when the run writes a DOCX: --format docx, or no --format and an
 * output name ending in .docx (any case). */
int is_docx(const struct opts *o, const char *outpath);

/* Writes the DOCX to outpath through a temporary file, with the PDF's
 * properties and the fonts' metrics for table widths.  Returns 0 or -1. */
int write_docx(struct run *r, const char *outpath, long wait);

/* Mails the files [mail] attach names (default: the output alone), once
 * they are complete and in place, to [mail] to and cc, or to mail_to
 * alone (--mail-to) when not NULL; a failure to send keeps them (exit
 * 7).  outpath is the output (a DOCX when own_docx), other the file of
 * the other format (NULL when not written).  Returns 0 or -1. */
int mail_pdf(struct run *r, const char *outpath, int own_docx,
    const char *other, const char *mail_to);

/* Writes the output, a DOCX or a PDF (is_docx), and then the other
 * format at x->other when set (each atomically: a failure leaves that
 * file's last good version), before the extras change the document.
 * Returns 0 or -1. */
int write_outputs(struct run *r, const struct opts *o, const char *outpath,
    const struct extra *x);

/* The PDF to write for period p: -o as given (relative to the current
 * directory) for a single period, else the pattern (-o or [report]
 * output) expanded and, for [report] output, resolved against the
 * configuration's base.  Returns NULL after reporting. */
char *output_path(const struct cfg *cfg, const struct period *p,
    const struct opts *o, int multi);

/* Works out and prechecks the paths of the figures sheet and the review
 * copy for period p (patterns expanded as the output's are), and, for a
 * mailing run whose [mail] attach names the format the output is not,
 * the path of that file: beside the output, the same base name with the
 * other suffix.  Returns 0, or -1 after reporting. */
int extra_paths(const struct cfg *cfg, const struct opts *o,
    const struct period *p, const char *outpath, struct extra *x);

/* Lays out the run's document into r->lay: streamed (lay_stream: memory
 * flat in the document's size; the figures sheet, the review copy and
 * -v's figure pages locate the figures in it), else with every box in
 * memory (lay_run: --dump-layout, --fake-metrics).  x and outpath are
 * not used.  Returns 0 or -1 after reporting. */
int layout_doc(struct run *r, const struct opts *o, const struct extra *x,
    const char *outpath);

/* After the PDF: the figures on their pages, their warnings (-v), the
 * figures sheet and the review copy.  When there are figures to place,
 * r->lay is freed (set NULL) once they are, before the review copy is
 * laid out.  Returns 0 or -1. */
int write_extras(struct run *r, const struct extra *x, long wait);

/* --explain EXPR: parses and evaluates one placeholder body against the
 * period's sources and prints what fig_explain prints.  Errors are
 * located in the expression ("--explain:1:COL").  Returns 0 or -1. */
int explain(struct run *r, const char *text);

#endif
