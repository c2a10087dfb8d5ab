/* Source: registered CSV sources and shared row operations (see
 * source.h). */
#include "source.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "expr.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int
source_add(struct source_set *set, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct diag_loc *loc)
{
	struct source src;
	struct expr_filter *f = NULL;
	long k = 0, *cols = NULL;
	const char *bad;
	size_t r;

	if (key != NULL && (k = data_column(t, key)) < 0) {
		struct diag_loc l = *loc;
		l.key = "key";
		diag_error(EXIT_DATA, &l, "key column \"%s\" is not in the "
		    "header of %s", key, data_path(t));
		return -1;
	}
	memset(&src, 0, sizeof(src));
	src.t = t;
	if (exclude != NULL) {
		struct diag_loc l = *loc;

		l.key = "exclude";
		if ((f = expr_parse_filter(exclude, &l)) == NULL)
			return -1;
		cols = xcalloc(f->n + 1, sizeof(*cols));
		if ((bad = source_filter_cols(&src, f, cols)) != NULL) {
			char msg[512];

			/* The parser's "MESSAGE in {CONDITION}". */
			snprintf(msg, sizeof(msg), _("column \"%s\" is not in "
			    "source %s (%s)"), bad, name, data_path(t));
			diag_error(EXIT_TEMPLATE, &l, "%s in {%.*s}", msg,
			    (int)strlen(exclude), exclude);
			expr_filter_free(f);
			free(cols);
			return -1;
		}
	}
	src.name = xstrdup(name);
	src.key = (size_t)k;
	src.ncols = data_ncols(t);
	src.rows = xcalloc(data_nrows(t) + 1, sizeof(*src.rows));
	for (r = 0; r < data_nrows(t); r++)
		if (f == NULL || !source_match(f, cols, t, r))
			src.rows[src.nrows++] = r;
	expr_filter_free(f);
	free(cols);
	set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
	set->v[set->n++] = src;
	return 0;
}

void
source_set_free(struct source_set *set)
{
	size_t i, c;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free(set->v[i].rows);
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

const char *
source_filter_cols(const struct source *s, const struct expr_filter *f,
    long *cols)
{
	size_t i;

	for (i = 0; f != NULL && i < f->n; i++)
		if ((cols[i] = data_column(s->t, f->c[i].column)) < 0)
			return f->c[i].column;
	return NULL;
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
	struct sortkey *keys = xcalloc(n + 1, sizeof(*keys));
	size_t i;

	for (i = 0; i < n; i++) {
		keys[i].row = rows[i];
		keys[i].text = data_cell(t, rows[i], col);
		keys[i].isnum = data_number(t, rows[i], col, &keys[i].num) == 1;
		keys[i].desc = desc;
	}
	qsort(keys, n, sizeof(*keys), cmp_rows);
	for (i = 0; i < n; i++)
		rows[i] = keys[i].row;
	free(keys);
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
