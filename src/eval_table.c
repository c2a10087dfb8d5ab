/* Eval: tables and charts from their [table.NAME] / [chart.NAME]
 * definitions, with the provenance of every computed cell (see eval.h). */
#include "eval.h"
#include "bigmem.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "expr.h"
#include "format.h"
#include "source.h"
#include "style.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Filters src's rows by cond (may be NULL; period names take p's values)
 * into a new array (a big block: free with big_free); *n gets the count.
 * Returns NULL after reporting at loc (key "filter"). */
static size_t *
select_rows(const struct source *src, const char *cond,
    const struct period *p, const struct diag_loc *loc, size_t *n)
{
	struct expr_filter *f = NULL;
	struct diag_loc l = *loc;
	long *cols;
	char err[768];
	size_t *rows, i;

	*n = 0;
	l.key = "filter";
	if (cond != NULL && (f = expr_parse_filter(cond, &l)) == NULL)
		return NULL;
	cols = xcalloc(f != NULL ? f->n + 1 : 1, sizeof(*cols));
	if (source_filter_prepare(src, f, p, cols, err, sizeof(err)) != 0) {
		/* The parser's "MESSAGE in {CONDITION}". */
		diag_error(EXIT_TEMPLATE, &l, "%s in {%.*s}", err,
		    (int)strlen(cond), cond);
		expr_filter_free(f);
		free(cols);
		return NULL;
	}
	rows = big_calloc(src->nrows + 1, sizeof(*rows));
	for (i = 0; i < src->nrows; i++) {
		if (source_match(f, cols, src->t, src->rows[i]))
			rows[(*n)++] = src->rows[i];
		big_tick(1);
	}
	expr_filter_free(f);
	free(cols);
	return rows;
}

/* Parses "COLUMN [asc|desc]" against src.  Returns 0, or -1 after
 * reporting at loc. */
static int
parse_sort(const char *spec, const struct source *src,
    const struct diag_loc *loc, long *col, int *desc)
{
	size_t n, i;
	char **w = str_split(spec, ' ', &n);
	const char *dir = NULL;

	for (i = n; i > 0 && w[i - 1][0] == '\0'; i--)
		;
	if (i > 1 && (!strcmp(w[i - 1], "desc") || !strcmp(w[i - 1], "asc")))
		dir = w[--i];
	char err[512];
	*col = i == 1 ? source_column(src, w[0], err, sizeof err) : -1;
	*desc = dir != NULL && !strcmp(dir, "desc");
	if (*col < 0 && i == 1) {
		/* one word, not a column: say which columns are near */
		diag_error(EXIT_USAGE, loc, "%s", err);
		strv_free(w);
		return -1;
	}
	strv_free(w);
	if (*col < 0) {
		diag_error(EXIT_USAGE, loc, "\"%s\" is not COLUMN [asc|desc] "
		    "with a column of %s", spec, data_path(src->t));
		return -1;
	}
	return 0;
}

/* One output row of a table: a source row, a 小计 after a group, or the
 * 合计. */
enum row_kind { ROW_DATA, ROW_SUBTOTAL, ROW_TOTAL };

struct orow {
	enum row_kind kind;
	size_t src;             /* ROW_DATA: source row; ROW_SUBTOTAL: a row
				 * of the group (for its label) */
};

struct gkey {
	const char *text;       /* group value, NULL = missing */
	size_t pos;             /* position in rows[] */
	size_t first;           /* position of the group's first row */
	size_t row;
};

static int
cmp_gtext(const void *pa, const void *pb)
{
	const struct gkey *a = pa, *b = pb;
	int c;

	if (a->text == NULL || b->text == NULL)
		c = (a->text == NULL) - (b->text == NULL);
	else
		c = strcmp(a->text, b->text);
	return c != 0 ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

static int
cmp_gfirst(const void *pa, const void *pb)
{
	const struct gkey *a = pa, *b = pb;

	if (a->first != b->first)
		return (a->first > b->first) - (a->first < b->first);
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Reorders rows[0..n) so that rows of one group (column gcol) are
 * together, groups in order of first appearance, rows within a group in
 * their current order.  O(n log n). */
static void
group_rows(const struct data_table *t, size_t *rows, size_t n, size_t gcol)
{
	struct gkey *k = big_calloc(n + 1, sizeof(*k));
	size_t i, first = 0;

	for (i = 0; i < n; i++) {
		k[i].text = data_cell(t, rows[i], gcol);
		k[i].pos = i;
		k[i].row = rows[i];
		big_tick(1);
	}
	big_sort(k, n, sizeof(*k), cmp_gtext);
	for (i = 0; i < n; i++) {
		if (i == 0 || cmp_gtext(&(struct gkey){ k[i].text, 0, 0, 0 },
		    &(struct gkey){ k[i - 1].text, 0, 0, 0 }) != 0)
			first = k[i].pos;
		k[i].first = first;
		big_tick(1);
	}
	big_sort(k, n, sizeof(*k), cmp_gfirst);
	for (i = 0; i < n; i++) {
		rows[i] = k[i].row;
		big_tick(1);
	}
	big_free(k);
}

/* Lays out the output rows: rows[0..n), a 小计 after each group when gcol
 * >= 0, a 合计 when total.  Returns a new array of *np rows (a big block:
 * free with big_free). */
static struct orow *
plan_rows(const struct data_table *t, const size_t *rows, size_t n,
    long gcol, int total, size_t *np)
{
	struct orow *p = big_calloc(2 * n + 2, sizeof(*p));
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		big_tick(1);
		p[k].kind = ROW_DATA;
		p[k++].src = rows[i];
		if (gcol >= 0) {
			const char *a = data_cell(t, rows[i], (size_t)gcol);
			const char *b = i + 1 < n ? data_cell(t, rows[i + 1],
			    (size_t)gcol) : NULL;
			if (i + 1 == n || (a == NULL) != (b == NULL) ||
			    (a != NULL && strcmp(a, b) != 0)) {
				p[k].kind = ROW_SUBTOTAL;
				p[k++].src = rows[i];
			}
		}
	}
	if (total && n > 0)
		p[k++].kind = ROW_TOTAL;
	*np = k;
	return p;
}

/* ----------------------------------------------------------------- tables */

/* The table being built and what its columns need. */
struct tbuild {
	struct eval *ev;
	const struct cfg_table *ct;
	const struct source *src;
	struct diag_loc loc;    /* [table.NAME] */
	struct doc_table *t;
	struct orow *plan;
	size_t nplan;
	const size_t *rows;     /* the data rows, in order */
	size_t nrows;
	size_t off;             /* 1 with a 序号 column */
};

/* A column VALUE written {EXPR | FORMAT …} is computed for each row. */
static int
is_row_expr(const char *v)
{
	size_t n = strlen(v);

	return n >= 2 && v[0] == '{' && v[n - 1] == '}';
}

/* The cell of row i, column c (NULL = none yet). */
static const char *
cell(const struct tbuild *b, size_t i, size_t c)
{
	return b->t->cells[i * b->t->ncols + c];
}

/* Fills column col with cc's expression, parsed once and evaluated for
 * every data row (bare column names are the row's cells; the column
 * FORMAT, if any, is applied after the expression's own).  小计 and 合计
 * cells stay empty: a computed column (a growth rate) does not add up.
 * The column is right-aligned when every result is a figure.  Returns 0,
 * or -1 after reporting at loc. */
static int
expr_column(struct tbuild *b, const struct cfg_column *cc, size_t col,
    const struct diag_loc *loc)
{
	struct strbuf e;
	struct expr *x;
	size_t i;
	int numeric = 1, any = 0, rc = 0;

	sb_init(&e);
	sb_addn(&e, cc->value + 1, strlen(cc->value) - 2);
	if (cc->format != NULL) {
		sb_adds(&e, " | ");
		sb_adds(&e, cc->format);
	}
	x = expr_parse(e.s, e.len, loc);
	sb_free(&e);
	if (x == NULL)
		return -1;
	big_use(b->t->cells);
	for (i = 0; i < b->nplan; i++) {
		struct doc_value dv;
		const char *s;
		double d;
		int pct;

		big_tick(1);
		if (b->plan[i].kind != ROW_DATA) {
			doc_table_set_cell(b->t, i, col, "");
			continue;
		}
		if (eval_figure(b->ev, x, b->src, b->plan[i].src, &dv) != 0) {
			doc_value_free(&dv);
			rc = -1;
			break;
		}
		s = doc_table_set_cell(b->t, i, col, dv.printed);
		doc_table_take_prov(b->t, i, col, &dv.prov, dv.kind == 1 ?
		    dv.num : NAN);
		doc_value_free(&dv);
		if (strcmp(s, eval_missing(b->ev)) == 0)
			continue;
		any = 1;
		if (parse_figure(s, &d, &pct) != 0)
			numeric = 0;
	}
	b->t->aligns[col] = cc->align >= 0 ? (enum align)cc->align :
	    numeric && any ? ALIGN_RIGHT : ALIGN_LEFT;
	expr_free(x);
	return rc;
}

/* Whether source column scol is numeric over the data rows (every cell
 * it has is a figure) and the widest decimals of its cells.  A figure
 * beyond 2^53 - 1 makes the column not numeric; its row goes to *huge
 * (else SIZE_MAX). */
static int
column_numeric(const struct tbuild *b, size_t scol, int *dec, size_t *huge)
{
	const struct data_table *dt = b->src->t;
	int numeric = b->nrows > 0, d;
	size_t i;
	double x;

	*dec = 0;
	*huge = SIZE_MAX;
	for (i = 0; i < b->nrows && numeric; i++) {
		const char *s = data_cell(dt, b->rows[i], scol);

		big_tick(1);
		if (s == NULL)
			continue;
		if (data_number(dt, b->rows[i], scol, &x) != 1) {
			numeric = 0;
			if (data_too_large(s))
				*huge = b->rows[i];
		} else if ((d = fmt_decimals(s)) > *dec)
			*dec = d;
	}
	return numeric;
}

/* acc + x as the exact decimal sum, x written with xdec decimals and acc
 * an exact sum already (of at most 15 decimals). */
static double
add_exact(double acc, double x, int xdec)
{
	int d = 0;

	while (d < 15 && fmt_exact_sum(acc, d) != acc)
		d++;
	return fmt_exact_sum(acc + x, d > xdec ? d : xdec);
}

/* Prints a 小计 or 合计 of column col, the sum x of the cells in prov. */
static int
sum_cell(struct tbuild *b, size_t i, size_t col, double x, int dec,
    char **fmts, size_t nf, const char *ctx, const struct diag_loc *loc,
    struct doc_prov *sum)
{
	struct strbuf sb;
	int rc;

	x = fmt_exact_sum(x, dec);
	sb_init(&sb);
	rc = eval_print_number(b->ev, x, dec, source_unit(b->src,
	    (size_t)b->t->src_cols[col]), fmts, nf, ctx, loc, &sb);
	doc_table_set_cell(b->t, i, col, sb_str(&sb));
	sb_free(&sb);
	doc_table_take_prov(b->t, i, col, sum, x);
	return rc;
}

/* Fills column col with source column scol, formatted; 小计 and 合计
 * rows get the column's sums when it is numeric.  Returns 0 or -1. */
static int
copy_column(struct tbuild *b, const struct cfg_column *cc, size_t col,
    size_t scol, const struct diag_loc *loc)
{
	const struct data_table *dt = b->src->t;
	struct doc_prov gprov, tprov, part;
	size_t i, nf = 0;
	char **fmts = cc->format ? expr_split_pipes(cc->format,
	    strlen(cc->format), &nf) : NULL;
	const char *ctx = cc->format ? cc->format : "";
	double gsum = 0, tsum = 0, x;
	size_t huge;
	int dec, numeric = column_numeric(b, scol, &dec, &huge), rc = 0;

	/* Figures too large to add up or format exactly: an error where
	 * the table computes with them (小计, 合计, a format). */
	for (i = 0; i < b->nplan && huge != SIZE_MAX; i++)
		if (cc->format != NULL || b->plan[i].kind != ROW_DATA) {
			source_bad_cell(dt, huge, scol);
			rc = -1;
			huge = SIZE_MAX;
		}

	memset(&gprov, 0, sizeof(gprov));
	memset(&tprov, 0, sizeof(tprov));
	b->t->aligns[col] = cc->align >= 0 ? (enum align)cc->align :
	    numeric ? ALIGN_RIGHT : ALIGN_LEFT;
	big_use(b->t->cells);   /* written a row apart, pass after pass */
	for (i = 0; i < b->nplan && rc == 0; i++) {
		const struct orow *o = &b->plan[i];
		struct strbuf sb;
		struct doc_cell dc;

		big_tick(1);
		if (o->kind != ROW_DATA) {
			if (!numeric)
				continue;
			/* 小计 and 合计: the column's sums, in its format. */
			memset(&part, 0, sizeof(part));
			if (o->kind == ROW_SUBTOTAL) {
				doc_prov_move(&part, &gprov);
				rc = sum_cell(b, i, col, gsum, dec, fmts, nf, ctx,
				    loc, &part);
				gsum = 0;
			} else
				rc = sum_cell(b, i, col, tsum, dec, fmts, nf, ctx,
				    loc, &tprov);
			continue;
		}
		if (data_number(dt, o->src, scol, &x) == 1) {
			gsum += x;
			tsum += x;
			source_cell(b->src, o->src, scol, &dc);
			doc_prov_add(&gprov, &dc);
			doc_prov_add(&tprov, &dc);
		}
		if (data_cell(dt, o->src, scol) == NULL) {
			/* a blank the 小计 and 合计 pass over: listed as
			 * skipped, as an aggregate's are */
			if (numeric) {
				source_cell(b->src, o->src, scol, &dc);
				doc_prov_skip(&gprov, &dc);
				doc_prov_skip(&tprov, &dc);
			}
			continue;
		}
		if (nf == 0) {
			/* unchanged: the data table's own string (it
			 * outlives the doc), not a copy */
			doc_table_borrow_cell(b->t, i, col, data_cell(dt,
			    o->src, scol));
			continue;
		}
		sb_init(&sb);
		if (eval_print_cell(b->ev, b->src, o->src, scol, fmts, nf,
		    ctx, loc, &sb) != 0)
			rc = -1;
		doc_table_set_cell(b->t, i, col, sb_str(&sb));
		sb_free(&sb);
	}
	doc_prov_free(&gprov);
	doc_prov_free(&tprov);
	strv_free(fmts);
	return rc;
}

/* Labels: "合计" and "XX小计" go in the first column without a sum; the
 * other empty cells of those rows become "". */
static void
label_rows(struct tbuild *b, long gcol)
{
	struct doc_table *t = b->t;
	size_t i, c, first;
	const char *g;

	for (i = 0; i < b->nplan; i++) {
		char *label;

		big_tick(1);
		if (b->plan[i].kind == ROW_DATA)
			continue;
		for (first = b->off; first < t->ncols &&
		    cell(b, i, first) != NULL; first++)
			;
		if (first == t->ncols)
			first = b->off;
		g = b->plan[i].kind == ROW_SUBTOTAL ? data_cell(b->src->t,
		    b->plan[i].src, (size_t)gcol) : NULL;
		label = b->plan[i].kind == ROW_TOTAL ? xstrdup("合计") :
		    xasprintf("%s小计", g ? g : "");
		/* a replaced string stays in the table's arena */
		doc_table_set_cell(t, i, first, label);
		free(label);
		for (c = 0; c < t->ncols; c++)
			if (cell(b, i, c) == NULL)
				doc_table_set_cell(t, i, c, "");
	}
}

/* Allocates the table's arrays for plan and the columns cols (-1 =
 * computed), with the 序号 column when the definition asks. */
static struct doc_table *
table_alloc(struct tbuild *b, const long *cols)
{
	const struct cfg_table *ct = b->ct;
	struct doc_table *t;
	size_t i, c, k;

	b->off = ct->number ? 1 : 0;
	t = doc_table_create(b->nplan, ct->ncols + b->off);
	t->def = ct;
	t->continued = "续表";
	t->missing = eval_missing(b->ev);
	t->src = b->src->t;
	for (i = 0; i < b->nplan; i++) {
		t->src_rows[i] = b->plan[i].kind == ROW_DATA ? b->plan[i].src :
		    (size_t)-1;
		t->row_bold[i] = b->plan[i].kind != ROW_DATA;
		big_tick(1);
	}
	for (c = 0; c < t->ncols; c++)
		t->src_cols[c] = c < b->off ? -1 : cols[c - b->off];
	for (c = 0; c < ct->ncols; c++) {
		t->headers[c + b->off] = xstrdup(ct->cols[c].header);
		t->widths[c + b->off] = style_mm(ct->cols[c].width_mm);
		t->min_widths[c + b->off] = style_mm(ct->cols[c].min_mm);
		t->max_widths[c + b->off] = style_mm(ct->cols[c].max_mm);
	}
	if (ct->number) {
		t->headers[0] = xstrdup("序号");
		t->aligns[0] = ALIGN_CENTER;
		for (i = 0, k = 0; i < b->nplan; i++) {
			char num[32];

			if (b->plan[i].kind == ROW_DATA)
				snprintf(num, sizeof(num), "%zu", ++k);
			else
				num[0] = '\0';
			doc_table_set_cell(t, i, 0, num);
			big_tick(1);
		}
	}
	return t;
}

/* The source column of each table column (-1 = computed per row), into
 * a new array.  Returns NULL after reporting every unknown column. */
static long *
table_columns(const struct cfg_table *ct, const struct source *src,
    const struct diag_loc *loc)
{
	long *cols = xcalloc(ct->ncols + 1, sizeof(*cols));
	size_t c;
	int bad = 0;

	for (c = 0; c < ct->ncols; c++) {
		if (is_row_expr(ct->cols[c].value))
			cols[c] = -1;
		else if ((cols[c] = data_column(src->t, ct->cols[c].value)) <
		    0) {
			char key[32];
			struct diag_loc l = *loc;
			snprintf(key, sizeof(key), "col%zu", c + 1);
			l.key = key;
			diag_error(EXIT_DATA, &l, "column \"%s\" is not in %s",
			    ct->cols[c].value, data_path(src->t));
			bad = 1;
		}
	}
	if (bad) {
		free(cols);
		return NULL;
	}
	return cols;
}

/* The rows of the table: filtered, sorted, cut to limit, grouped.  Sets
 * *gcol (-1 = no groups).  Returns a new array of *n rows (a big block:
 * free with big_free), or NULL after reporting. */
static size_t *
table_rows(const struct cfg_table *ct, const struct source *src,
    const struct period *p, const struct diag_loc *loc, size_t *n,
    long *gcol)
{
	struct diag_loc l = *loc;
	size_t *rows;
	long sc;
	int desc;

	*gcol = -1;
	if ((rows = select_rows(src, ct->filter, p, loc, n)) == NULL)
		return NULL;
	if (ct->sort != NULL) {
		l.key = "sort";
		if (parse_sort(ct->sort, src, &l, &sc, &desc) != 0) {
			big_free(rows);
			return NULL;
		}
		source_sort(src->t, rows, *n, (size_t)sc, desc);
	}
	if (ct->limit > 0 && (size_t)ct->limit < *n)
		*n = (size_t)ct->limit;
	if (ct->group != NULL) {
		l.key = "group";
		if ((*gcol = data_column(src->t, ct->group)) < 0) {
			diag_error(EXIT_USAGE, &l, "column \"%s\" is not in %s",
			    ct->group, data_path(src->t));
			big_free(rows);
			return NULL;
		}
		group_rows(src->t, rows, *n, (size_t)*gcol);
	}
	return rows;
}

/* The table's title, unit and empty text, expanded.  Returns 0 or -1. */
static int
table_texts(struct eval *ev, const struct cfg_table *ct,
    const struct diag_loc *loc, struct doc_table *t)
{
	const char *keys[] = { "title", "unit", "empty" };
	const char *vals[] = { ct->title, ct->unit, ct->empty };
	char **outs[] = { &t->title, &t->unit, &t->empty_text };
	size_t i;
	int rc = 0;

	for (i = 0; i < 3; i++) {
		struct diag_loc l = *loc;
		struct strbuf sb;

		if (vals[i] == NULL)
			continue;
		l.key = keys[i];
		sb_init(&sb);
		if (eval_expand(ev, vals[i], &l, &sb) != 0)
			rc = -1;
		*outs[i] = sb_detach(&sb);
	}
	if (t->empty_text == NULL)
		t->empty_text = xstrdup("本期无数据。");
	return rc;
}

struct doc_table *
eval_table(struct eval *ev, const struct cfg_table *ct,
    const struct diag_loc *loc)
{
	struct tbuild b;
	size_t *rows, nrows, c;
	long *cols, gcol;
	int bad = 0;

	memset(&b, 0, sizeof(b));
	b.ev = ev;
	b.ct = ct;
	b.loc = *loc;
	if ((b.src = eval_source(ev, ct->source)) == NULL) {
		diag_error(EXIT_USAGE, loc, "source \"%s\" is not loaded",
		    ct->source);
		return NULL;
	}
	if ((cols = table_columns(ct, b.src, loc)) == NULL)
		return NULL;
	if ((rows = table_rows(ct, b.src, eval_period(ev), loc, &nrows,
	    &gcol)) == NULL) {
		free(cols);
		return NULL;
	}
	b.rows = rows;
	b.nrows = nrows;
	b.plan = plan_rows(b.src->t, rows, nrows, gcol, ct->total, &b.nplan);
	b.t = table_alloc(&b, cols);
	for (c = 0; c < ct->ncols && !bad; c++) {
		char key[32];
		struct diag_loc l = *loc;

		snprintf(key, sizeof(key), "col%zu", c + 1);
		l.key = key;
		if (cols[c] < 0)
			bad = expr_column(&b, &ct->cols[c], c + b.off, &l) != 0;
		else
			bad = copy_column(&b, &ct->cols[c], c + b.off,
			    (size_t)cols[c], &l) != 0;
	}
	if (!bad) {
		label_rows(&b, gcol);
		bad = table_texts(ev, ct, loc, b.t) != 0;
	}
	big_free(b.plan);
	big_free(rows);
	free(cols);
	if (bad) {
		doc_table_free(b.t);
		return NULL;
	}
	return b.t;
}

/* ----------------------------------------------------------------- charts */

/* The source columns of the chart's bars then lines, into a new array of
 * *n.  Returns NULL after reporting every unknown column. */
static long *
chart_columns(const struct cfg_chart *ch, const struct source *src,
    const struct diag_loc *loc, size_t *nb, size_t *n)
{
	struct diag_loc l = *loc;
	size_t nl = 0, i;
	long *cols;
	int bad = 0;

	*nb = 0;
	while (ch->bars != NULL && ch->bars[*nb] != NULL)
		(*nb)++;
	while (ch->lines != NULL && ch->lines[nl] != NULL)
		nl++;
	*n = *nb + nl;
	cols = xcalloc(*n + 1, sizeof(*cols));
	for (i = 0; i < *n; i++) {
		const char *name = i < *nb ? ch->bars[i] : ch->lines[i - *nb];
		if ((cols[i] = data_column(src->t, name)) < 0) {
			l.key = i < *nb ? "bars" : "lines";
			diag_error(EXIT_USAGE, &l, "column \"%s\" is not in %s",
			    name, data_path(src->t));
			bad = 1;
		}
	}
	if (bad) {
		free(cols);
		return NULL;
	}
	return cols;
}

/* Makes room in c for category ncats (cats, and each series' values and
 * present, zeroed), *cap being their size: they grow with the
 * categories, not with the rows. */
static void
chart_grow(struct doc_chart *c, size_t *cap)
{
	size_t j, n;

	if (c->ncats < *cap)
		return;
	n = *cap * 2;
	c->cats = xreallocarray(c->cats, n + 1, sizeof(*c->cats));
	for (j = 0; j < c->nseries; j++) {
		struct doc_series *s = &c->series[j];

		s->values = xreallocarray(s->values, n + 1, sizeof(double));
		s->present = xreallocarray(s->present, n + 1, sizeof(int));
		memset(s->values + *cap, 0, (n + 1 - *cap) * sizeof(double));
		memset(s->present + *cap, 0, (n + 1 - *cap) * sizeof(int));
	}
	memset(c->cats + *cap, 0, (n + 1 - *cap) * sizeof(*c->cats));
	*cap = n;
}

/* Adds row r of the source to the chart under its category (*cap as for
 * chart_grow).  Returns 0, or -1 after reporting a value that is not a
 * number. */
static int
chart_row(struct doc_chart *c, size_t *cap, const struct source *src,
    size_t r, long catcol, const long *cols, const char *missing)
{
	const char *cat = data_cell(src->t, r, (size_t)catcol);
	struct doc_cell dc;
	size_t j, k;
	double x;
	int rc;

	if (cat == NULL)
		cat = missing;
	/* Rows of the same category add up (investment by 类别); a linear
	 * search is fine for chart-sized category counts. */
	for (k = 0; k < c->ncats && strcmp(c->cats[k], cat); k++)
		;
	if (k == c->ncats) {
		chart_grow(c, cap);
		c->cats[c->ncats++] = xstrdup(cat);
	}
	for (j = 0; j < c->nseries; j++) {
		struct doc_series *s = &c->series[j];

		rc = data_number(src->t, r, (size_t)cols[j], &x);
		if (rc < 0) {
			source_bad_cell(src->t, r, (size_t)cols[j]);
			return -1;
		}
		source_cell(src, r, (size_t)cols[j], &dc);
		if (rc == 0) {
			doc_prov_skip(&s->prov, &dc);
			continue;
		}
		doc_prov_add(&s->prov, &dc);
		s->values[k] = add_exact(s->values[k], x,
		    fmt_decimals(data_cell(src->t, r, (size_t)cols[j])));
		s->present[k] = 1;
	}
	return 0;
}

/* The chart's title and unit, expanded.  Returns 0 or -1. */
static int
chart_texts(struct eval *ev, const struct cfg_chart *ch,
    const struct diag_loc *loc, struct doc_chart *c)
{
	struct diag_loc l = *loc;
	struct strbuf sb;
	int rc = 0;

	if (ch->title != NULL) {
		l.key = "title";
		sb_init(&sb);
		rc |= eval_expand(ev, ch->title, &l, &sb);
		c->title = sb_detach(&sb);
	}
	if (ch->unit != NULL) {
		l.key = "unit";
		sb_init(&sb);
		rc |= eval_expand(ev, ch->unit, &l, &sb);
		c->unit = sb_detach(&sb);
	}
	return rc ? -1 : 0;
}

struct doc_chart *
eval_chart(struct eval *ev, const struct cfg_chart *ch,
    const struct diag_loc *loc)
{
	const struct source *src = eval_source(ev, ch->source);
	struct doc_chart *c;
	size_t *rows, nrows, i, j, nb, ns, cap = 16;
	long catcol, sc, *cols;
	int desc, bad = 0;
	struct diag_loc l = *loc;

	if (src == NULL) {
		diag_error(EXIT_USAGE, loc, "source \"%s\" is not loaded",
		    ch->source);
		return NULL;
	}
	if ((catcol = data_column(src->t, ch->category)) < 0) {
		l.key = "category";
		diag_error(EXIT_USAGE, &l, "column \"%s\" is not in %s",
		    ch->category, data_path(src->t));
		return NULL;
	}
	if ((cols = chart_columns(ch, src, loc, &nb, &ns)) == NULL)
		return NULL;
	if ((rows = select_rows(src, ch->filter, eval_period(ev), loc,
	    &nrows)) == NULL) {
		free(cols);
		return NULL;
	}
	if (ch->sort != NULL) {
		l.key = "sort";
		if (parse_sort(ch->sort, src, &l, &sc, &desc) != 0) {
			big_free(rows);
			free(cols);
			return NULL;
		}
		source_sort(src->t, rows, nrows, (size_t)sc, desc);
	}
	c = xcalloc(1, sizeof(*c));
	c->def = ch;
	c->nseries = ns;
	c->series = xcalloc(ns + 1, sizeof(*c->series));
	/* categories are few: cats, values and present grow with them */
	c->cats = xcalloc(cap + 1, sizeof(*c->cats));
	c->value_labels = ch->labels;
	c->height_lines = ch->height_lines;
	for (j = 0; j < ns; j++) {
		c->series[j].name = xstrdup(data_header(src->t,
		    (size_t)cols[j]));
		c->series[j].style = j >= nb ? DOC_SERIES_LINE : DOC_SERIES_BAR;
		c->series[j].values = xcalloc(cap + 1, sizeof(double));
		c->series[j].present = xcalloc(cap + 1, sizeof(int));
		c->series[j].decimals = ch->ndecimals == 0 ? -1 :
		    ch->decimals[ch->ndecimals == 1 ? 0 : j];
	}
	for (i = 0; i < nrows && !bad; i++) {
		bad = chart_row(c, &cap, src, rows[i], catcol, cols,
		    eval_missing(ev)) != 0;
		big_tick(1);
	}
	big_free(rows);
	free(cols);
	if (!bad)
		bad = chart_texts(ev, ch, loc, c) != 0;
	if (bad) {
		doc_chart_free(c);
		return NULL;
	}
	return c;
}
