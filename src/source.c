/* Source: registered CSV sources and shared row operations (see
 * source.h). */
#include "source.h"
#include "bigmem.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "expr.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *column_suggest(const struct source *s,
    const char *name);

/* Resolves the key columns named in key ("A" or "A, B") into src.
 * Returns 0, or -1 after reporting at loc (key "key"). */
static int
source_keys(struct source *src, const char *key, const struct diag_loc *loc)
{
	struct diag_loc l = *loc;
	size_t n = 1, i;
	char **w;
	long k;

	src->keys = xcalloc(2, sizeof(*src->keys));
	src->nkeys = 1;
	if (key == NULL)
		return 0;
	w = str_split(key, ',', &n);
	src->keys = xreallocarray(src->keys, n + 1, sizeof(*src->keys));
	for (i = 0; i < n; i++) {
		str_trim(w[i]);
		if ((k = data_column(src->t, w[i])) < 0) {
			l.key = "key";
			diag_error(EXIT_DATA, &l, "key column \"%s\" is not in "
			    "the header of %s%s", w[i], data_path(src->t),
			    column_suggest(src, w[i]));
			strv_free(w);
			return -1;
		}
		src->keys[i] = (size_t)k;
	}
	src->nkeys = n;
	strv_free(w);
	return 0;
}

int
source_add(struct source_set *set, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct period *p, const struct diag_loc *loc)
{
	struct source src;
	struct expr_filter *f = NULL;
	long *cols = NULL;
	char err[768];
	size_t r, n = data_nrows(t);

	memset(&src, 0, sizeof(src));
	src.t = t;
	src.name = (char *)name;        /* for messages, until registered */
	src.ncols = data_ncols(t);
	src.rows = big_calloc(n + 1, sizeof(*src.rows));
	for (r = 0; r < n; r++) {
		big_tick(1);
		src.rows[r] = r;
	}
	src.nrows = n;
	if (source_keys(&src, key, loc) != 0)
		goto fail;
	src.key = src.keys[0];
	if (exclude != NULL) {
		struct diag_loc l = *loc;

		l.key = "exclude";
		if ((f = expr_parse_filter(exclude, &l)) == NULL)
			goto fail;
		cols = xcalloc(f->n + 1, sizeof(*cols));
		if (source_filter_prepare(&src, f, p, cols, err,
		    sizeof(err)) != 0) {
			/* The parser's "MESSAGE in {CONDITION}". */
			diag_error(EXIT_TEMPLATE, &l, "%s in {%.*s}", err,
			    (int)strlen(exclude), exclude);
			goto fail;
		}
		src.nrows = 0;
		for (r = 0; r < n; r++) {
			big_tick(1);
			if (!source_match(f, cols, t, r))
				src.rows[src.nrows++] = r;
		}
	}
	expr_filter_free(f);
	free(cols);
	src.name = xstrdup(name);
	set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = src;
	return 0;
fail:
	expr_filter_free(f);
	free(cols);
	big_free(src.rows);
	free(src.keys);
	return -1;
}

void
source_set_free(struct source_set *set)
{
	size_t i, c;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].name);
		big_free(set->v[i].rows);
		free(set->v[i].keys);
		if (set->v[i].units != NULL) {
			for (c = 0; c < set->v[i].ncols; c++)
				free(set->v[i].units[c]);
			free(set->v[i].units);
		}
	}
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

const struct source *
source_find(const struct source_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].name, name))
			return &set->v[i];
	return NULL;
}

const char *
source_unit(const struct source *s, size_t col)
{
	return s->units != NULL && col < s->ncols ? s->units[col] : NULL;
}

/* expr_suggest over the headers of s. */
static const char *
column_suggest(const struct source *s, const char *name)
{
	const char **heads = xcalloc(s->ncols + 1, sizeof(*heads));
	const char *sfx;
	size_t i;

	for (i = 0; i < s->ncols; i++)
		heads[i] = data_header(s->t, i);
	sfx = expr_suggest(name, heads, s->ncols);
	free(heads);
	return sfx;
}

long
source_column(const struct source *s, const char *name, char *err,
    size_t nerr)
{
	long col = data_column(s->t, name);

	if (col < 0)
		snprintf(err, nerr, _("column \"%s\" is not in source %s "
		    "(%s)%s"), name, s->name, data_path(s->t),
		    column_suggest(s, name));
	return col;
}

int
source_numeric(const struct source *s, size_t col)
{
	size_t i;
	double x;
	int k, seen = 0;

	for (i = 0; i < s->nrows; i++) {
		big_tick(1);
		if ((k = data_number(s->t, s->rows[i], col, &x)) < 0)
			return 0;
		seen |= k;
	}
	return seen;
}

int
source_filter_prepare(const struct source *s, struct expr_filter *f,
    const struct period *p, long *cols, char *err, size_t nerr)
{
	size_t i, j;

	expr_filter_bind(f, p);
	for (i = 0; f != NULL && i < f->n; i++) {
		const struct expr_cond *c = &f->c[i];

		if ((cols[i] = source_column(s, c->column, err, nerr)) < 0)
			return -1;
		for (j = 0; j < c->nvals && c->isnum[j]; j++)
			;
		if (j < c->nvals && source_numeric(s, (size_t)cols[i])) {
			snprintf(err, nerr, _("column \"%s\" of source %s holds "
			    "numbers, and \"%s\" is not a number (a period "
			    "value is written bare: year, month, prev_year …)"),
			    c->column, s->name, c->vals[j]);
			return -1;
		}
	}
	return 0;
}

int
source_match(const struct expr_filter *f, const long *cols,
    const struct data_table *t, size_t row)
{
	size_t i, j;

	for (i = 0; f != NULL && i < f->n; i++) {
		const struct expr_cond *c = &f->c[i];
		const char *cell = data_cell(t, row, (size_t)cols[i]);
		double d = 0;
		int isnum, ok = 0, cmp;

		if (c->op == OP_BLANK || c->op == OP_NOTBLANK) {
			if ((cell == NULL) != (c->op == OP_BLANK))
				return 0;
			continue;
		}
		if (cell == NULL) {
			if (c->op != OP_NE)
				return 0;
			continue;
		}
		isnum = data_number(t, row, (size_t)cols[i], &d) == 1;
		for (j = 0; j < c->nvals && !ok; j++) {
			if (isnum && c->isnum[j])
				cmp = d < c->nums[j] ? -1 : d > c->nums[j];
			else
				cmp = strcmp(cell, c->vals[j]);
			switch (c->op) {
			case OP_EQ: case OP_IN: ok = cmp == 0; break;
			case OP_NE: ok = cmp != 0; break;
			case OP_LT: ok = cmp < 0; break;
			case OP_LE: ok = cmp <= 0; break;
			case OP_GT: ok = cmp > 0; break;
			case OP_GE: ok = cmp >= 0; break;
			default: break;
			}
		}
		if (!ok)
			return 0;
	}
	return 1;
}

struct sortkey {
	size_t row;
	double num;
	const char *text;
	int isnum;
	int desc;
};

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;
	int c;

	if (a->text == NULL || b->text == NULL)
		c = (a->text == NULL) - (b->text == NULL);
	else {
		if (a->isnum && b->isnum)
			c = a->num < b->num ? -1 : a->num > b->num;
		else
			c = strcmp(a->text, b->text);
		if (a->desc)
			c = -c;
	}
	if (c == 0)
		c = a->row < b->row ? -1 : a->row > b->row;
	return c;
}

void
source_sort(const struct data_table *t, size_t *rows, size_t n, size_t col,
    int desc)
{
	struct sortkey *keys = big_calloc(n + 1, sizeof(*keys));
	size_t i;

	for (i = 0; i < n; i++) {
		big_tick(1);
		keys[i].row = rows[i];
		keys[i].text = data_cell(t, rows[i], col);
		keys[i].isnum = data_number(t, rows[i], col, &keys[i].num) == 1;
		keys[i].desc = desc;
	}
	big_sort(keys, n, sizeof(*keys), cmp_rows);
	for (i = 0; i < n; i++) {
		big_tick(1);
		rows[i] = keys[i].row;
	}
	big_free(keys);
}

void
source_cell(const struct source *s, size_t row, size_t col,
    struct doc_cell *out)
{
	struct diag_loc loc;

	data_cell_loc(s->t, row, col, &loc);
	out->file = loc.file;
	out->line = loc.line;
	out->col = loc.col;
	out->column = data_header(s->t, col);
	out->key = data_cell(s->t, row, s->key);
}

void
source_bad_cell(const struct data_table *t, size_t row, size_t col)
{
	struct diag_loc loc;

	data_cell_loc(t, row, col, &loc);
	if (data_too_large(data_cell(t, row, col)))
		diag_error(EXIT_DATA, &loc, "column \"%s\": %s is beyond 2^53 "
		    "- 1 (9007199254740991), too large to compute with exactly",
		    data_header(t, col), data_cell(t, row, col));
	else
		diag_error(EXIT_DATA, &loc, "column \"%s\": \"%s\" is not a "
		    "number", data_header(t, col), data_cell(t, row, col));
}
