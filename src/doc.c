/* Doc: creating and freeing the document tree, provenance lists (see
 * doc.h).  The dump (--dump-doc) is in doc_dump.c. */
#include "doc.h"
#include "bigmem.h"
#include "diag.h"
#include "expr.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct doc *
doc_create(const char *path)
{
	struct doc *d = xcalloc(1, sizeof(*d));

	d->path = xstrdup(path);
	return d;
}

struct doc_node *
doc_add(struct doc *d, enum doc_kind kind, const struct diag_loc *loc)
{
	struct doc_node *n;

	d->nodes = xreallocarray(d->nodes, d->n + 1, sizeof(*d->nodes));
	n = &d->nodes[d->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->loc = *loc;
	return n;
}

struct doc_node *
doc_insert(struct doc *d, size_t at, enum doc_kind kind,
    const struct diag_loc *loc)
{
	struct doc_node tmp;

	(void)doc_add(d, kind, loc);
	tmp = d->nodes[d->n - 1];
	memmove(d->nodes + at + 1, d->nodes + at,
	    (d->n - 1 - at) * sizeof(*d->nodes));
	d->nodes[at] = tmp;
	return &d->nodes[at];
}

struct doc_inline *
doc_add_inline(struct doc_node *n, const struct diag_loc *loc)
{
	struct doc_inline *in;

	n->inl = xreallocarray(n->inl, n->ninl + 1, sizeof(*n->inl));
	in = &n->inl[n->ninl++];
	memset(in, 0, sizeof(*in));
	in->loc = *loc;
	return in;
}

/* A provenance list of n > 0 cells holds room for the next power of two
 * (at least n): cells_add doubles it when n reaches one. */
static size_t
cells_room(size_t n)
{
	size_t r = 1;

	while (r < n)
		r *= 2;
	return r;
}

/* Appends c to the list v of n cells, doubling its size at each power
 * of two (an aggregate over a million rows adds that many cells): a big
 * block (bigmem.h). */
static struct doc_cell *
cells_add(struct doc_cell *v, size_t *n, const struct doc_cell *c)
{
	if (*n == 0 || (*n & (*n - 1)) == 0)
		v = big_reallocarray(v, *n == 0 ? 1 : *n * 2, sizeof(*v));
	v[(*n)++] = *c;
	return v;
}

/* Copies n cells from src to dst a slice at a time, counting each cell
 * as a big_tick: a copy of a million cells (40 MB) is not all resident
 * at once. */
static void
cells_copy(struct doc_cell *dst, const struct doc_cell *src, size_t n)
{
	size_t k;

	for (; n > 0; n -= k, dst += k, src += k) {
		k = n < BIG_TICKS ? n : BIG_TICKS;
		memcpy(dst, src, k * sizeof(*dst));
		big_tick(k);
	}
}

/* Appends the m cells of w to the list v of n cells (one grow and one
 * copy).  Returns the list. */
static struct doc_cell *
cells_append(struct doc_cell *v, size_t *n, const struct doc_cell *w,
    size_t m)
{
	if (m == 0)
		return v;
	if (*n == 0 || *n + m > cells_room(*n))
		v = big_reallocarray(v, cells_room(*n + m), sizeof(*v));
	cells_copy(v + *n, w, m);
	*n += m;
	return v;
}

void
doc_prov_add(struct doc_prov *p, const struct doc_cell *c)
{
	p->cells = cells_add(p->cells, &p->ncells, c);
}

void
doc_prov_skip(struct doc_prov *p, const struct doc_cell *c)
{
	p->skipped = cells_add(p->skipped, &p->nskipped, c);
	p->warn |= DOC_WARN_SKIPPED;
}

void
doc_prov_move(struct doc_prov *dst, struct doc_prov *src)
{
	if (dst->ncells == 0 && dst->nskipped == 0) {
		unsigned warn = dst->warn;
		const char *filter = dst->filter;

		/* Nothing to append to: take the lists whole. */
		*dst = *src;
		dst->warn |= warn;
		if (filter != NULL)
			dst->filter = filter;
		memset(src, 0, sizeof(*src));
		return;
	}
	dst->cells = cells_append(dst->cells, &dst->ncells, src->cells,
	    src->ncells);
	dst->skipped = cells_append(dst->skipped, &dst->nskipped,
	    src->skipped, src->nskipped);
	dst->warn |= src->warn;
	if (dst->filter == NULL)
		dst->filter = src->filter;
	doc_prov_free(src);
}

void
doc_prov_free(struct doc_prov *p)
{
	big_free(p->cells);
	big_free(p->skipped);
	memset(p, 0, sizeof(*p));
}

void
doc_value_free(struct doc_value *v)
{
	free(v->printed);
	doc_prov_free(&v->prov);
	memset(v, 0, sizeof(*v));
}

struct doc_table *
doc_table_create(size_t nrows, size_t ncols)
{
	struct doc_table *t = xcalloc(1, sizeof(*t));
	size_t i;

	t->nrows = nrows;
	t->ncols = ncols;
	t->headers = xcalloc(ncols + 1, sizeof(*t->headers));
	t->aligns = xcalloc(ncols + 1, sizeof(*t->aligns));
	t->widths = xcalloc(ncols + 1, sizeof(*t->widths));
	t->min_widths = xcalloc(ncols + 1, sizeof(*t->min_widths));
	t->max_widths = xcalloc(ncols + 1, sizeof(*t->max_widths));
	t->src_cols = xcalloc(ncols + 1, sizeof(*t->src_cols));
	for (i = 0; i < ncols; i++)
		t->src_cols[i] = -1;
	/* the per-row arrays: big blocks (read as zero, as calloc) */
	t->cells = big_calloc(nrows * ncols + 1, sizeof(*t->cells));
	t->row_bold = big_calloc(nrows + 1, sizeof(*t->row_bold));
	t->src_rows = big_alloc((nrows + 1) * sizeof(*t->src_rows));
	for (i = 0; i < nrows; i++) {
		t->src_rows[i] = SIZE_MAX;
		big_tick(1);
	}
	return t;
}

void
doc_table_free(struct doc_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->title);
	free(t->unit);
	free(t->empty_text);
	for (i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->headers);
	free(t->aligns);
	free(t->widths);
	free(t->min_widths);
	free(t->max_widths);
	free(t->src_cols);
	/* cell strings, prov and nums rows, their lists: all in the arena */
	big_arena_free(t->arena);
	for (i = 0; i < t->nblocks; i++)
		big_free(t->blocks[i]);
	free(t->blocks);
	big_free(t->cells);
	big_free(t->row_bold);
	big_free(t->src_rows);
	big_free(t->prov);
	big_free(t->nums);
	free(t);
}

/* t's arena, made on first use. */
static struct big_arena *
table_arena(struct doc_table *t)
{
	if (t->arena == NULL)
		t->arena = big_arena_new();
	return t->arena;
}

const char *
doc_table_set_cell(struct doc_table *t, size_t r, size_t c, const char *s)
{
	char **cell = &t->cells[r * t->ncols + c];

	*cell = s != NULL ? big_arena_strdup(table_arena(t), s) : NULL;
	return *cell;
}

void
doc_table_borrow_cell(struct doc_table *t, size_t r, size_t c, const char *s)
{
	/* cells are char * for the arena's copies; none is ever written
	 * through (doc.h), so a borrowed const string may sit among them */
	t->cells[r * t->ncols + c] = (char *)(uintptr_t)s;
}

/* A list in a of the n cells of v then the m cells of w; NULL when both
 * are empty. */
static struct doc_cell *
arena_cells(struct big_arena *a, const struct doc_cell *v, size_t n,
    const struct doc_cell *w, size_t m)
{
	struct doc_cell *l;

	if (n + m == 0)
		return NULL;
	if (n + m > SIZE_MAX / sizeof(*l)) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	l = big_arena_alloc(a, (n + m) * sizeof(*l));
	cells_copy(l, v, n);
	cells_copy(l + n, w, m);
	return l;
}

/* The list of the n cells of v then the m cells of *w (a big block, as
 * doc_prov's): when v is empty and *w is larger than BIG_SMALL, *w itself,
 * kept in t's blocks (*w becomes NULL); else a copy in t's arena. */
static struct doc_cell *
take_cells(struct doc_table *t, const struct doc_cell *v, size_t n,
    struct doc_cell **w, size_t m)
{
	struct doc_cell *l;

	if (n == 0 && m > BIG_SMALL / sizeof(**w)) {
		t->blocks = xreallocarray(t->blocks, t->nblocks + 1,
		    sizeof(*t->blocks));
		t->blocks[t->nblocks++] = l = *w;
		*w = NULL;
		return l;
	}
	return arena_cells(table_arena(t), v, n, *w, m);
}

void
doc_table_take_prov(struct doc_table *t, size_t r, size_t c,
    struct doc_prov *src, double num)
{
	struct big_arena *a = table_arena(t);
	struct doc_prov *p;
	size_t k;

	if (t->prov == NULL) {
		t->prov = big_calloc(t->nrows + 1, sizeof(*t->prov));
		t->nums = big_calloc(t->nrows + 1, sizeof(*t->nums));
	}
	if (t->prov[r] == NULL) {
		/* arena memory is not zeroed */
		t->prov[r] = big_arena_alloc(a, t->ncols * sizeof(**t->prov));
		memset(t->prov[r], 0, t->ncols * sizeof(**t->prov));
		t->nums[r] = big_arena_alloc(a, t->ncols * sizeof(**t->nums));
		for (k = 0; k < t->ncols; k++)
			t->nums[r][k] = NAN;
	}
	p = &t->prov[r][c];
	/* an arena list cannot grow: a second move copies both lists anew
	 * (the old copy stays in the arena or in blocks) */
	p->cells = take_cells(t, p->cells, p->ncells, &src->cells,
	    src->ncells);
	p->ncells += src->ncells;
	src->ncells = 0;
	p->skipped = take_cells(t, p->skipped, p->nskipped, &src->skipped,
	    src->nskipped);
	p->nskipped += src->nskipped;
	src->nskipped = 0;
	p->warn |= src->warn;
	if (p->filter == NULL)
		p->filter = src->filter;
	t->nums[r][c] = num;
	doc_prov_free(src);
}

void
doc_chart_free(struct doc_chart *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->title);
	free(c->unit);
	for (i = 0; i < c->ncats; i++)
		free(c->cats[i]);
	free(c->cats);
	for (i = 0; i < c->nseries; i++) {
		free(c->series[i].name);
		free(c->series[i].values);
		free(c->series[i].present);
		doc_prov_free(&c->series[i].prov);
	}
	free(c->series);
	free(c);
}

void
doc_free(struct doc *d)
{
	size_t i, k;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		struct doc_node *n = &d->nodes[i];

		for (k = 0; k < n->ninl; k++) {
			free(n->inl[k].source);
			expr_free(n->inl[k].expr);
			doc_value_free(&n->inl[k].value);
		}
		free(n->inl);
		free(n->number);
		free(n->text);
		free(n->text2);
		free(n->name);
		doc_table_free(n->table);
		doc_chart_free(n->chart);
	}
	free(d->nodes);
	free(d->path);
	free(d);
}

const struct doc_prov *
doc_table_prov(const struct doc_table *t, size_t r, size_t c)
{
	if (t->prov == NULL || t->prov[r] == NULL)
		return NULL;
	return &t->prov[r][c];
}

int
doc_table_num(const struct doc_table *t, size_t r, size_t c, double *v)
{
	if (t->nums == NULL || r >= t->nrows || c >= t->ncols ||
	    t->nums[r] == NULL || isnan(t->nums[r][c]))
		return 0;
	*v = t->nums[r][c];
	return 1;
}
