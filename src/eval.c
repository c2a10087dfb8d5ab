/* Eval: evaluating parsed placeholders with provenance (see eval.h and
 * the placeholder reference in README.md). */
#include "eval.h"
#include "bigmem.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "expr.h"
#include "format.h"
#include "source.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct eval {
	struct period p;
	char *missing;
	struct source_set src;
};

struct eval *
eval_create(const struct period *p, const char *missing)
{
	struct eval *ev = xcalloc(1, sizeof(*ev));

	ev->p = *p;
	ev->missing = xstrdup(missing ? missing : "—");
	return ev;
}

void
eval_free(struct eval *ev)
{
	if (ev == NULL)
		return;
	source_set_free(&ev->src);
	free(ev->missing);
	free(ev);
}

const struct period *
eval_period(const struct eval *ev)
{
	return &ev->p;
}

const char *
eval_missing(const struct eval *ev)
{
	return ev->missing;
}

int
eval_add_source(struct eval *ev, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct diag_loc *loc)
{
	return source_add(&ev->src, name, key, exclude, t, &ev->p, loc);
}

int
eval_source_rows(const struct eval *ev, const char *name, size_t *kept)
{
	const struct source *s = source_find(&ev->src, name);

	if (s == NULL)
		return -1;
	*kept = s->nrows;
	return 0;
}

const struct source *
eval_source(const struct eval *ev, const char *name)
{
	return source_find(&ev->src, name);
}

int
eval_set_duplicates(struct eval *ev, const char *name, const char *mode)
{
	struct source *s = (struct source *)source_find(&ev->src, name);

	if (s == NULL)
		return -1;
	if (mode == NULL || !strcmp(mode, "error"))
		s->dups = DUPS_ERROR;
	else if (!strcmp(mode, "first"))
		s->dups = DUPS_FIRST;
	else if (!strcmp(mode, "last"))
		s->dups = DUPS_LAST;
	else
		return -1;
	return 0;
}

int
eval_set_unit(struct eval *ev, const char *name, size_t col,
    const char *unit)
{
	struct source *s = (struct source *)source_find(&ev->src, name);

	if (s == NULL || col >= s->ncols)
		return -1;
	if (s->units == NULL)
		s->units = xcalloc(s->ncols, sizeof(*s->units));
	free(s->units[col]);
	s->units[col] = xstrdup(unit);
	return 0;
}

/* ------------------------------------------------------------- contexts */

/* One evaluation: where to report, and the table row (if any). */
struct ectx {
	struct eval *ev;
	const char *text;       /* "… in {text}" */
	struct diag_loc loc;
	int failed;
	const struct source *rsrc;      /* a table row's source, or NULL: */
	size_t rrow;            /* bare column names then name its cells */
};

/* A value being computed. */
struct val {
	struct fmt_value f;
	struct diag_loc cell;   /* where a looked-up cell came from */
	int has_cell;
	char *owned;            /* text owned by the val */
	struct doc_prov prov;
};

static void perr(struct ectx *cx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reports the first error of a placeholder. */
static void
perr(struct ectx *cx, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t n;

	if (cx->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), _(fmt), ap);	/* translated (diag.h) */
	va_end(ap);
	n = strlen(cx->text);
	diag_error(EXIT_TEMPLATE, &cx->loc, "%s in {%.*s%s}", buf,
	    (int)utf8_clip(cx->text, n, 200), cx->text,
	    utf8_clip(cx->text, n, 200) < n ? "…" : "");
	cx->failed = 1;
}

static void
val_init(struct val *v)
{
	memset(v, 0, sizeof(*v));
	v->f.kind = FMT_MISSING;
}

static void
val_free(struct val *v)
{
	free(v->owned);
	doc_prov_free(&v->prov);
	v->owned = NULL;
}

/* Sets v to a number, keeping its provenance. */
static void
val_num(struct val *v, double x, int dec, int pct)
{
	memset(&v->f, 0, sizeof(v->f));
	v->f.kind = FMT_NUM;
	v->f.num = x;
	v->f.dec = dec;
	v->f.pct = pct;
	v->has_cell = 0;
}

static void
val_text(struct val *v, char *owned)
{
	v->f.kind = FMT_TEXT;
	v->owned = owned;
	v->f.text = owned;
}

static int
latin_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* A cell's text with its line breaks folded, as a template's lines are
 * joined: the white space around a break dropped, one space left between
 * two Latin letters or digits, nothing between CJK.  Returns a new
 * string, or NULL when s has no line break. */
static char *
fold_breaks(const char *s)
{
	struct strbuf sb;
	const char *p;

	if (strpbrk(s, "\r\n") == NULL)
		return NULL;
	sb_init(&sb);
	for (p = s; *p != '\0'; p++) {
		if (*p != '\r' && *p != '\n') {
			sb_addc(&sb, *p);
			continue;
		}
		while (sb.len > 0 && (sb.s[sb.len - 1] == ' ' ||
		    sb.s[sb.len - 1] == '\t'))
			sb.len--;
		while (p[1] == '\r' || p[1] == '\n' || p[1] == ' ' ||
		    p[1] == '\t')
			p++;
		if (sb.len > 0 && latin_word(sb.s[sb.len - 1]) &&
		    latin_word(p[1]))
			sb_addc(&sb, ' ');
	}
	sb_addc(&sb, '\0');    /* terminate after the length changes */
	sb.len--;
	return sb_detach(&sb);
}

/* A cell as a value: a number when it is a figure (with its decimals,
 * percent sign and the column's declared unit), text otherwise, missing
 * when blank; it remembers where it came from and prints as written when
 * no format is given. */
static void
cell_val(const struct source *src, size_t row, size_t col, struct val *out)
{
	const char *cell = data_cell(src->t, row, col);
	struct doc_cell dc;
	double x;

	memset(&out->f, 0, sizeof(out->f));
	out->f.kind = FMT_MISSING;
	out->has_cell = 1;
	out->f.unit = source_unit(src, col);
	data_cell_loc(src->t, row, col, &out->cell);
	source_cell(src, row, col, &dc);
	doc_prov_add(&out->prov, &dc);
	if (cell == NULL) {
		out->prov.warn |= DOC_WARN_BLANK;
		return;
	}
	if (data_number(src->t, row, col, &x) == 1) {
		out->f.kind = FMT_NUM;
		out->f.num = x;
		out->f.dec = fmt_decimals(cell);
		out->f.pct = strchr(cell, '%') != NULL;
	} else
		out->f.kind = FMT_TEXT;
	out->f.text = cell;
	out->f.raw = 1;
	/* A cell with line breaks prints folded in running text. */
	if (out->f.kind == FMT_TEXT && (out->owned = fold_breaks(cell)) != NULL)
		out->f.text = out->owned;
}

/* A text value where a number is needed: reported at the CSV cell when
 * it is one. */
static void
need_num(struct ectx *cx, const struct val *v)
{
	if (v->f.kind != FMT_TEXT)
		return;
	if (v->has_cell && data_too_large(v->f.text)) {
		if (!cx->failed)
			diag_error(EXIT_DATA, &v->cell, "%s is beyond 2^53 "
			    "- 1 (9007199254740991), too large to compute with "
			    "exactly (used in {%.*s} at %s:%d)", v->f.text,
			    (int)strlen(cx->text), cx->text, cx->loc.file,
			    cx->loc.line);
	} else if (v->has_cell) {
		if (!cx->failed)
			diag_error(EXIT_DATA, &v->cell, "\"%s\" is not a number "
			    "(used in {%.*s} at %s:%d)", v->f.text,
			    (int)strlen(cx->text), cx->text, cx->loc.file,
			    cx->loc.line);
	} else
		perr(cx, "\"%s\" is not a number", v->f.text);
	cx->failed = 1;
}

/* Appends v printed with fmts[0..n) to out.  Returns 0 or -1. */
static int
print_val(struct ectx *cx, const struct val *v, char *const *fmts, size_t n,
    struct strbuf *out)
{
	char err[512];

	switch (fmt_print(&v->f, fmts, n, cx->ev->missing, out, err,
	    sizeof(err))) {
	case FMT_OK:
		return 0;
	case FMT_ERROR:
		perr(cx, "%s", err);    /* translated by format.c */
		return -1;
	case FMT_NOT_NUMBER:
		need_num(cx, v);
		return -1;
	}
	return -1;
}

/* The source called name, or NULL after reporting. */
static const struct source *
need_source(struct ectx *cx, const char *name)
{
	const struct source *src = source_find(&cx->ev->src, name);
	const char **names;
	size_t i;

	if (src != NULL)
		return src;
	names = xcalloc(cx->ev->src.n + 1, sizeof(*names));
	for (i = 0; i < cx->ev->src.n; i++)
		names[i] = cx->ev->src.v[i].name;
	perr(cx, "unknown source \"%s\" (no [data.%s] in the "
	    "configuration)%s", name, name, expr_suggest(name, names,
	    cx->ev->src.n));
	free(names);
	return NULL;
}

/* The index of column name of src, or -1 after reporting. */
static long
need_column(struct ectx *cx, const struct source *src, const char *name)
{
	char err[768];
	long col = source_column(src, name, err, sizeof(err));

	if (col < 0)
		perr(cx, "%s", err);
	return col;
}

/* Prepares filter f (may be NULL) for src (source_filter_prepare: its
 * period values are bound to the evaluator's period, which is why the
 * parsed tree is written to) and resolves its columns into a new array.
 * Returns it, or NULL after reporting. */
static long *
need_filter(struct ectx *cx, const struct source *src,
    const struct expr_filter *f)
{
	long *cols = xcalloc(f != NULL ? f->n + 1 : 1, sizeof(*cols));
	char err[768];

	if (source_filter_prepare(src, (struct expr_filter *)f, &cx->ev->p,
	    cols, err, sizeof(err)) != 0) {
		perr(cx, "%s", err);
		free(cols);
		return NULL;
	}
	return cols;
}

/* ------------------------------------------------------------ evaluation */

/* expr_suggest over the keys of src's rows (a single key column). */
static const char *
key_suggest(const struct source *src, const char *key)
{
	const char **keys = big_calloc(src->nrows + 1, sizeof(*keys));
	const char *sfx;
	size_t i;

	for (i = 0; i < src->nrows; i++) {
		keys[i] = data_cell(src->t, src->rows[i], src->key);
		big_tick(1);
	}
	sfx = expr_suggest(key, keys, src->nrows);
	big_free(keys);
	return sfx;
}

static void eval_node(struct ectx *cx, const struct expr_node *n,
    struct val *out);

/* "范围 = "园区" and 指标 = "工业投资"": the key columns of src and the
 * key values of lookup n, appended to sb. */
static void
key_text(const struct source *src, const struct expr_node *n,
    struct strbuf *sb)
{
	size_t k;

	for (k = 0; k < src->nkeys; k++)
		sb_printf(sb, "%s%s = \"%s\"", k > 0 ? _(" and ") : "",
		    data_header(src->t, src->keys[k]),
		    src->nkeys == 1 ? n->key : n->keys[k]);
}

/* 1 if row r of src has the key of lookup n. */
static int
key_match(const struct source *src, const struct expr_node *n, size_t r)
{
	const char *cell;
	size_t k;

	for (k = 0; k < src->nkeys; k++) {
		cell = data_cell(src->t, r, src->keys[k]);
		if (cell == NULL || strcmp(cell, src->nkeys == 1 ? n->key :
		    n->keys[k]) != 0)
			return 0;
	}
	return 1;
}

/* Reports that the key of n matches several rows of src, naming their CSV
 * lines (the first 10). */
static void
duplicate_key(struct ectx *cx, const struct source *src,
    const struct expr_node *n)
{
	struct strbuf keys, lines;
	struct diag_loc l;
	size_t i, cnt = 0;

	sb_init(&keys);
	sb_init(&lines);
	key_text(src, n, &keys);
	for (i = 0; i < src->nrows; i++) {
		big_tick(1);
		if (!key_match(src, n, src->rows[i]))
			continue;
		if (++cnt <= 10) {
			data_cell_loc(src->t, src->rows[i], src->key, &l);
			sb_printf(&lines, "%s%d", cnt > 1 ? ", " : "", l.line);
		} else if (cnt == 11)
			sb_adds(&lines, ", …");
	}
	perr(cx, "%s matches %zu rows of source %s (%s lines %s); add a key "
	    "column ([data.%s] key = A, B) or set duplicates = first or last",
	    sb_str(&keys), cnt, src->name, data_path(src->t), sb_str(&lines),
	    src->name);
	sb_free(&keys);
	sb_free(&lines);
}

/* The names of the key columns of src, "范围, 指标", appended to sb. */
static void
key_columns(const struct source *src, struct strbuf *sb)
{
	size_t k;

	for (k = 0; k < src->nkeys; k++)
		sb_printf(sb, "%s%s", k > 0 ? ", " : "",
		    data_header(src->t, src->keys[k]));
}

/* SOURCE[KEY].COLUMN, SOURCE[KEY1, KEY2].COLUMN */
static void
eval_lookup(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	const struct source *src;
	size_t i, r, found = (size_t)-1;
	long col;
	struct strbuf sb;

	if ((src = need_source(cx, n->name)) == NULL ||
	    (col = need_column(cx, src, n->column)) < 0)
		return;
	if (src->nkeys > 1 && n->nkeys != src->nkeys) {
		sb_init(&sb);
		key_columns(src, &sb);
		perr(cx, "source %s has %zu key columns (%s): write %s[%s].%s "
		    "with %zu values", src->name, src->nkeys, sb_str(&sb),
		    src->name, sb_str(&sb), n->column, src->nkeys);
		sb_free(&sb);
		return;
	}
	for (i = 0; i < src->nrows; i++) {
		r = src->rows[i];
		big_tick(1);
		if (!key_match(src, n, r))
			continue;
		if (found == (size_t)-1 || src->dups == DUPS_LAST)
			found = r;
		else if (src->dups == DUPS_ERROR) {
			duplicate_key(cx, src, n);
			return;
		}
	}
	if (found == (size_t)-1) {
		sb_init(&sb);
		key_text(src, n, &sb);
		perr(cx, "no row with %s in source %s (%s)%s", sb_str(&sb),
		    src->name, data_path(src->t), src->nkeys == 1 ?
		    key_suggest(src, n->key) : "");
		sb_free(&sb);
		return;
	}
	cell_val(src, found, (size_t)col, out);
}

/* Adds cell (r, col) of src, as x with d decimals, to the aggregate. */
static void
agg_add(enum expr_agg agg, double x, int d, size_t n, double *acc,
    int *dec)
{
	/* min and max print with the chosen cell's decimals, sums with the
	 * widest input's. */
	if (agg == AGG_MIN || agg == AGG_MAX) {
		if (n == 0 || (agg == AGG_MIN ? x < *acc : x > *acc)) {
			*acc = x;
			*dec = d;
		}
	} else {
		*acc = n == 0 ? x : *acc + x;
		if (d > *dec)
			*dec = d;
	}
}

/* count/sum/avg/min/max ( SOURCE[.COLUMN] [where COND] ) */
static void
eval_aggregate(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	const struct source *src;
	long col = -1, *fcols;
	size_t i, r, cnt = 0;
	double acc = 0, x;
	int dec = 0, k;
	struct doc_cell dc;

	val_num(out, 0, 0, 0);
	if ((src = need_source(cx, n->name)) == NULL)
		return;
	if (n->column != NULL && (col = need_column(cx, src, n->column)) < 0)
		return;
	if ((fcols = need_filter(cx, src, n->where)) == NULL)
		return;
	if (n->where != NULL)
		out->prov.filter = n->where->text;
	for (i = 0; i < src->nrows; i++) {
		r = src->rows[i];
		big_tick(1);
		if (!source_match(n->where, fcols, src->t, r))
			continue;
		source_cell(src, r, col < 0 ? src->key : (size_t)col, &dc);
		if (col < 0) {
			doc_prov_add(&out->prov, &dc);
			cnt++;
			continue;
		}
		if ((k = data_number(src->t, r, (size_t)col, &x)) < 0) {
			source_bad_cell(src->t, r, (size_t)col);
			cx->failed = 1;
			break;
		}
		if (k == 0) {
			doc_prov_skip(&out->prov, &dc);
			continue;       /* missing cells are skipped */
		}
		doc_prov_add(&out->prov, &dc);
		agg_add(n->agg, x, fmt_decimals(data_cell(src->t, r,
		    (size_t)col)), cnt, &acc, &dec);
		cnt++;
	}
	free(fcols);
	if (n->agg == AGG_COUNT) {
		val_num(out, (double)cnt, 0, 0);
		return;
	}
	if (cnt == 0) {
		out->f.kind = FMT_MISSING;
		return;
	}
	if (n->agg == AGG_SUM || n->agg == AGG_AVG)
		acc = fmt_exact_sum(acc, dec);
	if (n->agg == AGG_AVG) {
		acc /= (double)cnt;
		dec = dec < 1 ? 1 : dec;
	}
	val_num(out, acc, dec, 0);
	out->f.unit = source_unit(src, (size_t)col);
}

/* Appends cell (row, col) of src printed with fmts; adds it to prov. */
static int
print_cell(struct ectx *cx, const struct source *src, size_t row,
    size_t col, char *const *fmts, size_t nf, struct strbuf *out,
    struct doc_prov *prov)
{
	struct val v;
	int rc;

	val_init(&v);
	cell_val(src, row, col, &v);
	cx->failed = 0;
	rc = print_val(cx, &v, fmts, nf, out);
	if (prov != NULL)
		doc_prov_move(prov, &v.prov);
	val_free(&v);
	return rc;
}

/* Appends the list pattern of n for one row. */
static int
list_item(struct ectx *cx, const struct expr_node *n,
    const struct source *src, size_t row, struct strbuf *out,
    struct doc_prov *prov)
{
	size_t i;
	long col;

	for (i = 0; i < n->nitems; i++) {
		const struct expr_item *it = &n->items[i];

		if (it->column == NULL) {
			sb_adds(out, it->text);
			continue;
		}
		if ((col = need_column(cx, src, it->column)) < 0 ||
		    print_cell(cx, src, row, (size_t)col, it->fmts,
		    it->nfmts, out, prov) != 0)
			return -1;
	}
	if (n->pattern_open) {
		perr(cx, "unterminated [ in the list pattern");
		return -1;
	}
	return 0;
}

/* The rows of a list, filtered, sorted, cut to top.  Returns a new array
 * of *cnt rows (a big block: free with big_free), or NULL after
 * reporting. */
static size_t *
list_rows(struct ectx *cx, const struct expr_node *n,
    const struct source *src, size_t *cnt)
{
	long sortcol = -1, *fcols;
	size_t *rows, i;

	if ((fcols = need_filter(cx, src, n->where)) == NULL)
		return NULL;
	if (n->column != NULL &&
	    (sortcol = need_column(cx, src, n->column)) < 0) {
		free(fcols);
		return NULL;
	}
	rows = big_calloc(src->nrows + 1, sizeof(*rows));
	*cnt = 0;
	for (i = 0; i < src->nrows; i++) {
		if (source_match(n->where, fcols, src->t, src->rows[i]))
			rows[(*cnt)++] = src->rows[i];
		big_tick(1);
	}
	free(fcols);
	if (sortcol >= 0)
		source_sort(src->t, rows, *cnt, (size_t)sortcol, n->desc);
	if (n->top > 0 && (size_t)n->top < *cnt)
		*cnt = (size_t)n->top;
	return rows;
}

/* list(SOURCE …, "PATTERN" [, "SEP" [, "LAST"]]) */
static void
eval_list(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	const struct source *src;
	size_t *rows, cnt, i;
	struct strbuf sb;
	char **items;
	int rc, same = 1;

	if ((src = need_source(cx, n->name)) == NULL ||
	    (rows = list_rows(cx, n, src, &cnt)) == NULL)
		return;
	if (n->where != NULL)
		out->prov.filter = n->where->text;
	if (cnt == 0) {
		big_free(rows);
		return;
	}
	items = xcalloc(cnt + 1, sizeof(*items));
	for (i = 0; i < cnt; i++) {
		sb_init(&sb);
		rc = list_item(cx, n, src, rows[i], &sb, &out->prov);
		items[i] = sb_detach(&sb);
		big_tick(1);
		if (rc != 0)
			break;
		/* prefix "兴化": printed on the first item only, when every
		 * item starts with it. */
		if (n->prefix != NULL && strncmp(items[i], n->prefix,
		    strlen(n->prefix)) != 0)
			same = 0;
	}
	sb_init(&sb);
	for (i = 0; i < cnt && items[i] != NULL; i++) {
		if (i > 0)
			sb_adds(&sb, i == cnt - 1 && n->last != NULL ? n->last :
			    n->sep != NULL ? n->sep : "、");
		sb_adds(&sb, items[i] + (i > 0 && n->prefix != NULL && same ?
		    strlen(n->prefix) : 0));
	}
	val_text(out, sb_detach(&sb));
	strv_free(items);
	big_free(rows);
}

/* growth/share/diff ( A , B ) */
static void
eval_binary(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	static const char *const fn[] = { "growth", "share", "diff" };
	const char *name = fn[n->kind - EXPR_GROWTH];
	struct val a, b;

	val_init(&a);
	val_init(&b);
	val_num(out, 0, 1, 0);
	eval_node(cx, n->a, &a);
	if (!cx->failed)
		eval_node(cx, n->b, &b);
	doc_prov_move(&out->prov, &a.prov);
	doc_prov_move(&out->prov, &b.prov);
	if (!cx->failed) {
		need_num(cx, &a);
		need_num(cx, &b);
	}
	if (cx->failed || a.f.kind == FMT_MISSING ||
	    b.f.kind == FMT_MISSING) {
		out->f.kind = FMT_MISSING;
		if (n->kind != EXPR_DIFF && b.f.kind == FMT_MISSING)
			out->prov.warn |= DOC_WARN_ZERO_BASE;
	} else if (n->kind == EXPR_DIFF) {
		val_num(out, a.f.num - b.f.num, a.f.dec > b.f.dec ? a.f.dec :
		    b.f.dec, 0);
	} else if (b.f.num == 0) {
		diag_warn(&cx->loc, "%s: the base is zero in {%.*s}; printing "
		    "the missing mark", name, (int)strlen(cx->text), cx->text);
		out->f.kind = FMT_MISSING;
		out->prov.warn |= DOC_WARN_ZERO_BASE;
	} else if (n->kind == EXPR_GROWTH)
		val_num(out, (a.f.num / b.f.num - 1) * 100, 1, 1);
	else
		val_num(out, a.f.num / b.f.num * 100, 1, 1);
	val_free(&a);
	val_free(&b);
}

/* expr_suggest over the period names and the columns of the table row's
 * source. */
static const char *
name_suggest(const struct ectx *cx, const char *name)
{
	static const char *const pn[] = { "year", "month", "months",
	    "prev_year", "next_year", "period", "prev_month", "prev_period" };
	size_t np = sizeof(pn) / sizeof(pn[0]), nc = 0, i;
	const char **v;
	const char *sfx;

	if (cx->rsrc != NULL)
		nc = cx->rsrc->ncols;
	v = xcalloc(np + nc + 1, sizeof(*v));
	for (i = 0; i < np; i++)
		v[i] = pn[i];
	for (i = 0; i < nc; i++)
		v[np + i] = data_header(cx->rsrc->t, i);
	sfx = expr_suggest(name, v, np + nc);
	free(v);
	return sfx;
}

/* year, months, … or a column of the table row. */
static void
eval_name(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	const struct period *p = &cx->ev->p;
	const char *name = n->name;
	int mo = p->month ? p->month : 12;
	char buf[16];
	long col;

	if (!strcmp(name, "year"))
		val_num(out, p->year, 0, 0);
	else if (!strcmp(name, "prev_year"))
		val_num(out, p->year - 1, 0, 0);
	else if (!strcmp(name, "next_year"))
		val_num(out, p->year + 1, 0, 0);
	else if (!strcmp(name, "month"))
		val_num(out, mo, 0, 0);
	else if (!strcmp(name, "months"))
		val_text(out, mo == 1 ? xstrdup("1月") :
		    xasprintf("1—%d月", mo));
	else if (!strcmp(name, "period")) {
		period_format(p, buf, sizeof(buf));
		val_text(out, xstrdup(buf));
	} else if (!strcmp(name, "prev_month") ||
	    !strcmp(name, "prev_period")) {
		(void)period_value(p, name, buf, sizeof(buf));
		val_text(out, xstrdup(buf));
	} else if (cx->rsrc != NULL &&
	    (col = data_column(cx->rsrc->t, name)) >= 0)
		cell_val(cx->rsrc, cx->rrow, (size_t)col, out);
	else if (strchr(name, '(') != NULL) {
		/* sun(x): a misspelt function, read as a name 名称(单位). */
		char *fn = xstrndup(name, (size_t)(strchr(name, '(') - name));

		perr(cx, "unknown function \"%s\"%s", fn,
		    expr_suggest_function(fn));
		free(fn);
	} else
		perr(cx, "unknown name \"%s\" (expected SOURCE[KEY].COLUMN, "
		    "a function such as sum(…), a period value such as year%s)%s",
		    name, cx->rsrc != NULL ? ", or a column of the row" : "",
		    name_suggest(cx, name));
}

/* 1 if v counts as true in {if}: a number other than 0, a text that is
 * not empty; a missing value is false. */
static int
val_true(const struct val *v)
{
	return v->f.kind == FMT_NUM ? v->f.num != 0 :
	    v->f.kind == FMT_TEXT ? v->f.text[0] != '\0' : 0;
}

/* a OP b: numbers as numbers (a text that is a figure counts as one),
 * texts as texts; a number against a text that is not a number is an
 * error; a missing value on either side makes it false. */
static void
eval_compare(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	struct val a, b;
	double x, y;
	int c = 0, ok = 0;

	val_init(&a);
	val_init(&b);
	eval_node(cx, n->a, &a);
	eval_node(cx, n->b, &b);
	doc_prov_move(&out->prov, &a.prov);
	doc_prov_move(&out->prov, &b.prov);
	if (cx->failed || a.f.kind == FMT_MISSING || b.f.kind == FMT_MISSING)
		goto done;
	if (a.f.kind == FMT_TEXT && b.f.kind == FMT_TEXT)
		c = strcmp(a.f.text, b.f.text);
	else {
		x = a.f.num;
		y = b.f.num;
		if ((a.f.kind == FMT_TEXT && parse_figure(a.f.text, &x,
		    NULL) != 0) || (b.f.kind == FMT_TEXT &&
		    parse_figure(b.f.text, &y, NULL) != 0)) {
			perr(cx, "cannot compare the number with the text \"%s\"",
			    a.f.kind == FMT_TEXT ? a.f.text : b.f.text);
			goto done;
		}
		c = x < y ? -1 : x > y;
	}
	switch (n->cmp) {
	case OP_EQ: ok = c == 0; break;
	case OP_NE: ok = c != 0; break;
	case OP_LT: ok = c < 0; break;
	case OP_LE: ok = c <= 0; break;
	case OP_GT: ok = c > 0; break;
	case OP_GE: ok = c >= 0; break;
	default: break;
	}
done:
	val_num(out, ok, 0, 0);
	val_free(&a);
	val_free(&b);
}

/* and, or, not: 1 or 0 (both sides evaluated, so that every error shows). */
static void
eval_logic(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	struct val a, b;
	int t;

	val_init(&a);
	val_init(&b);
	eval_node(cx, n->a, &a);
	if (n->kind != EXPR_NOT)
		eval_node(cx, n->b, &b);
	doc_prov_move(&out->prov, &a.prov);
	doc_prov_move(&out->prov, &b.prov);
	t = n->kind == EXPR_NOT ? !val_true(&a) : n->kind == EXPR_AND ?
	    val_true(&a) && val_true(&b) : val_true(&a) || val_true(&b);
	val_num(out, t, 0, 0);
	val_free(&a);
	val_free(&b);
}

static void
eval_node(struct ectx *cx, const struct expr_node *n, struct val *out)
{
	if (cx->failed || n == NULL)
		return;
	switch (n->kind) {
	case EXPR_NUMBER:
		val_num(out, n->num, n->dec, 0);
		break;
	case EXPR_TEXT:
		out->f.kind = FMT_TEXT;
		out->f.text = n->name;
		break;
	case EXPR_NAME:
		eval_name(cx, n, out);
		break;
	case EXPR_LOOKUP:
		eval_lookup(cx, n, out);
		break;
	case EXPR_AGGREGATE:
		eval_aggregate(cx, n, out);
		break;
	case EXPR_LIST:
		eval_list(cx, n, out);
		break;
	case EXPR_GROWTH:
	case EXPR_SHARE:
	case EXPR_DIFF:
		eval_binary(cx, n, out);
		break;
	case EXPR_CMP:
		eval_compare(cx, n, out);
		break;
	case EXPR_AND:
	case EXPR_OR:
	case EXPR_NOT:
		eval_logic(cx, n, out);
		break;
	}
}

/* 1 if printed (a number's text) has digits, all zero. */
static int
prints_zero(const char *printed)
{
	int digits = 0;

	for (; *printed != '\0'; printed++)
		if (*printed >= '1' && *printed <= '9')
			return 0;
		else if (*printed == '0')
			digits = 1;
	return digits;
}

int
eval_figure(struct eval *ev, const struct expr *e,
    const struct source *row_src, size_t row, struct doc_value *out)
{
	struct ectx cx;
	struct val v;
	struct strbuf sb;

	memset(out, 0, sizeof(*out));
	memset(&cx, 0, sizeof(cx));
	cx.ev = ev;
	cx.text = e->text;
	cx.loc = e->loc;
	cx.rsrc = row_src;
	cx.rrow = row;
	val_init(&v);
	eval_node(&cx, e->root, &v);
	sb_init(&sb);
	if (!cx.failed)
		(void)print_val(&cx, &v, e->fmts, e->nfmts, &sb);
	out->kind = v.f.kind == FMT_NUM ? 1 : v.f.kind == FMT_TEXT ? 2 : 0;
	out->num = v.f.num;
	doc_prov_move(&out->prov, &v.prov);
	val_free(&v);
	if (cx.failed) {
		sb_free(&sb);
		return -1;
	}
	out->printed = sb_detach(&sb);
	if (out->kind == 1 && out->num != 0 && prints_zero(out->printed))
		out->prov.warn |= DOC_WARN_ROUNDS_ZERO;
	return 0;
}

int
eval_expand(struct eval *ev, const char *text, const struct diag_loc *loc,
    struct strbuf *out)
{
	struct diag_loc here = *loc;
	struct expr_run *runs;
	struct doc_value dv;
	struct eval_cond cs;
	struct expr *e;
	size_t n, i;
	int failed = 0, active;

	memset(&cs, 0, sizeof(cs));
	runs = expr_scan(text, loc, &n, &failed);
	for (i = 0; i < n; i++) {
		active = eval_cond_active(&cs);
		if (!runs[i].is_figure) {
			if (active)
				sb_adds(out, runs[i].text);
			continue;
		}
		here.col = runs[i].col;
		if ((e = expr_parse(runs[i].text, strlen(runs[i].text),
		    &here)) == NULL) {
			failed = 1;
			continue;
		}
		memset(&dv, 0, sizeof(dv));
		/* A figure in a branch not taken is not evaluated. */
		if (active && e->ctl != CTL_ELSE && e->ctl != CTL_END &&
		    eval_figure(ev, e, NULL, 0, &dv) != 0)
			failed = 1;
		else if (active && e->ctl == CTL_NONE)
			sb_adds(out, dv.printed);
		if (e->ctl != CTL_NONE && eval_cond_step(&cs, e,
		    eval_value_true(&dv), &here) != 0)
			failed = 1;
		doc_value_free(&dv);
		expr_free(e);
	}
	expr_runs_free(runs, n);
	if (eval_cond_finish(&cs) != 0)
		failed = 1;
	return failed ? -1 : 0;
}

int
eval_print_cell(struct eval *ev, const struct source *src, size_t row,
    size_t col, char *const *fmts, size_t nf, const char *ctx,
    const struct diag_loc *loc, struct strbuf *out)
{
	struct ectx cx;

	memset(&cx, 0, sizeof(cx));
	cx.ev = ev;
	cx.text = ctx;
	cx.loc = *loc;
	return print_cell(&cx, src, row, col, fmts, nf, out, NULL);
}

int
eval_print_number(struct eval *ev, double x, int dec, const char *unit,
    char *const *fmts, size_t nf, const char *ctx,
    const struct diag_loc *loc, struct strbuf *out)
{
	struct ectx cx;
	struct val v;
	int rc;

	memset(&cx, 0, sizeof(cx));
	cx.ev = ev;
	cx.text = ctx;
	cx.loc = *loc;
	val_init(&v);
	val_num(&v, x, dec, 0);
	v.f.unit = unit;
	rc = print_val(&cx, &v, fmts, nf, out);
	val_free(&v);
	return rc;
}

/* ------------------------------------------------------- conditional text */

int
eval_cond_active(const struct eval_cond *c)
{
	const struct eval_if *top;

	if (c->n == 0)
		return 1;
	top = &c->v[c->n - 1];
	return top->outer && (top->in_else ? !top->truth : top->truth);
}

int
eval_cond_step(struct eval_cond *c, const struct expr *e, int truth,
    const struct diag_loc *loc)
{
	struct eval_if *top = c->n > 0 ? &c->v[c->n - 1] : NULL;

	switch (e->ctl) {
	case CTL_IF:
		c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
		top = &c->v[c->n];
		top->outer = eval_cond_active(c);
		top->truth = top->outer && truth;
		top->in_else = 0;
		top->loc = *loc;
		c->n++;
		return 0;
	case CTL_ELSE:
		if (top == NULL) {
			diag_error(EXIT_TEMPLATE, loc, "{else} without {if} "
			    "before it in the same paragraph");
			return -1;
		}
		if (top->in_else) {
			diag_error(EXIT_TEMPLATE, loc, "a second {else} for the "
			    "{if} at column %d", top->loc.col);
			return -1;
		}
		top->in_else = 1;
		return 0;
	case CTL_END:
		if (top == NULL) {
			diag_error(EXIT_TEMPLATE, loc, "{end} without {if} "
			    "before it in the same paragraph");
			return -1;
		}
		c->n--;
		return 0;
	case CTL_NONE:
		break;
	}
	return 0;
}

int
eval_cond_finish(struct eval_cond *c)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < c->n; i++) {
		diag_error(EXIT_TEMPLATE, &c->v[i].loc, "{if} is not closed: "
		    "write {end} before the end of the paragraph");
		rc = -1;
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
	return rc;
}

int
eval_value_true(const struct doc_value *v)
{
	return v->kind == 1 ? v->num != 0 : v->kind == 2 ?
	    v->printed != NULL && v->printed[0] != '\0' : 0;
}
