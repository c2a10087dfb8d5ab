/* Eval: the evaluator (the second half of Lua's split).  Given the loaded
 * sources and the period, it computes parsed placeholders (expr.h):
 * lookups, aggregates, lists, growth/share/diff, period values, formats;
 * every value carries its provenance (the CSV cells read, the blank cells
 * skipped, the filter, warnings).  eval_table.c builds tables' and
 * charts' rows; eval_doc.c fills a whole struct doc in place.
 *
 * Errors are reported through diag at the placeholder (EXIT_TEMPLATE) or
 * at the CSV cell (EXIT_DATA for a bad value); functions return -1 or
 * NULL after reporting.  Knows nothing of fonts or pages. */
#ifndef ZJ_EVAL_H
#define ZJ_EVAL_H

#include <stddef.h>

#include "diag.h"
#include "period.h"

struct cfg;
struct cfg_chart;
struct cfg_table;
struct data_table;
struct diag_loc;
struct doc;
struct doc_chart;
struct doc_table;
struct doc_value;
struct expr;
struct source;
struct strbuf;

struct eval;

/* Creates an evaluator for period p.  missing is the text printed for
 * missing values (copied).  Free with eval_free. */
struct eval *eval_create(const struct period *p, const char *missing);
void eval_free(struct eval *ev);
const struct period *eval_period(const struct eval *ev);
const char *eval_missing(const struct eval *ev);

/* Registers a loaded source under name.  key is its key column (NULL:
 * the first column), or several separated by ',' ("范围, 指标": lookups
 * then give as many values, SOURCE[园区, 工业投资].COLUMN); exclude (may be NULL) is a condition, in placeholder
 * syntax, for rows to leave out everywhere (e.g. 指标 in (合计, 小计)).
 * t stays owned by the caller and must outlive ev.  Returns 0, or -1
 * (reported at loc, the source's INI section) if the key column does not
 * exist or the rule is malformed. */
int eval_add_source(struct eval *ev, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct diag_loc *loc);

/* The number of rows of source name kept after its exclude rule, into
 * *kept.  Returns 0, or -1 if there is no such source. */
int eval_source_rows(const struct eval *ev, const char *name,
    size_t *kept);

/* What a lookup of source name does when several rows share the key:
 * "error" (the default), "first" or "last".  Returns 0, or -1 for an
 * unknown source or mode. */
int eval_set_duplicates(struct eval *ev, const char *name,
    const char *mode);

/* Declares the unit of column col of source name (元, 万元, 亿元, …), so
 * that a format naming another money unit ("| 亿元") converts from it.
 * unit is copied.  Returns 0, or -1 if there is no such source. */
int eval_set_unit(struct eval *ev, const char *name, size_t col,
    const char *unit);

/* The registered source called name, or NULL. */
const struct source *eval_source(const struct eval *ev, const char *name);

/* Evaluates the parsed placeholder e into out (zeroed first): value,
 * printed text, provenance.  With row_src not NULL, bare column names of
 * row_src stand for the cells of its row row.  Returns 0, or -1 after
 * reporting (out->printed is then NULL). */
int eval_figure(struct eval *ev, const struct expr *e,
    const struct source *row_src, size_t row, struct doc_value *out);

/* Expands every {placeholder} of text into out (appending): parse, then
 * evaluate.  loc names the file and line (or the INI section and key) of
 * text; columns are computed from the placeholder's position.  Returns 0,
 * or -1 after reporting every bad placeholder. */
int eval_expand(struct eval *ev, const char *text,
    const struct diag_loc *loc, struct strbuf *out);

/* Appends cell (row, col) of src printed with fmts[0..nf) (none: as
 * written; blank: the missing mark); errors are reported at loc as
 * "… in {ctx}".  Returns 0 or -1. */
int eval_print_cell(struct eval *ev, const struct source *src, size_t row,
    size_t col, char *const *fmts, size_t nf, const char *ctx,
    const struct diag_loc *loc, struct strbuf *out);
/* The same for a computed number x printed with dec decimals by
 * default. */
int eval_print_number(struct eval *ev, double x, int dec, const char *unit,
    char *const *fmts, size_t nf, const char *ctx,
    const struct diag_loc *loc, struct strbuf *out);

/* Conditional text {if COND} … {else} … {end} in one text (a paragraph,
 * an INI value): the blocks open at this point.  Zero it to start; free
 * with eval_cond_finish. */
struct eval_cond {
	size_t n;
	struct eval_if {
		int outer;      /* the text around the block is printed */
		int truth;      /* the condition held */
		int in_else;    /* after {else} */
		struct diag_loc loc;    /* the {if} */
	} *v;
};

/* Feeds the conditional-text placeholder e (e->ctl != CTL_NONE) found at
 * loc; truth is its condition's value (for {if} while eval_cond_active,
 * else ignored).  Returns 0, or -1 after reporting an {else} or {end}
 * without {if}, or a second {else}. */
int eval_cond_step(struct eval_cond *c, const struct expr *e, int truth,
    const struct diag_loc *loc);
/* 1 if text at this point is printed (every open block's branch taken). */
int eval_cond_active(const struct eval_cond *c);
/* Reports every {if} still open, at its '{', and frees c.  Returns 0 or
 * -1. */
int eval_cond_finish(struct eval_cond *c);
/* 1 if an evaluated {if} condition holds: a number other than 0, a text
 * that is not empty (a missing value is false). */
int eval_value_true(const struct doc_value *v);

/* eval_table.c.  Builds the rows of table t (filter, sort, limit, group
 * 小计, 序号, formats, computed columns, 合计) with provenance; title,
 * unit and empty text are expanded.  loc is the [table.NAME] section.
 * Returns NULL after reporting.  Free with doc_table_free. */
struct doc_table *eval_table(struct eval *ev, const struct cfg_table *t,
    const struct diag_loc *loc);
/* Builds chart ch's categories and series (values summed per category,
 * with the cells summed).  Returns NULL after reporting (unknown column:
 * EXIT_USAGE; a non-numeric value: EXIT_DATA at the cell).  Free with
 * doc_chart_free. */
struct doc_chart *eval_chart(struct eval *ev, const struct cfg_chart *ch,
    const struct diag_loc *loc);

/* eval_doc.c.  Evaluates every node of d in place: first the template's
 * placeholders (all of them, every error reported); then, if they all
 * succeeded, in document order, the INI values (title, subtitle, date),
 * the tables and charts (their definitions from c).  Fills each node's
 * text (and text2) and each run's start/end.  Returns 0 or -1. */
int eval_doc(struct eval *ev, const struct cfg *c, struct doc *d);

#endif
