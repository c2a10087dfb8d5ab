/* Doc: creating and freeing the document tree, provenance lists (see
 * doc.h).  The dump (--dump-doc) is in doc_dump.c. */
#include "doc.h"
#include "expr.h"
#include "util.h"

#include <math.h>
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

/* Appends c to the list v of n cells, doubling its size at each power
 * of two (an aggregate over 100,000 rows adds that many cells). */
static struct doc_cell *
cells_add(struct doc_cell *v, size_t *n, const struct doc_cell *c)
{
	if (*n == 0 || (*n & (*n - 1)) == 0)
		v = xreallocarray(v, *n == 0 ? 1 : *n * 2, sizeof(*v));
	v[(*n)++] = *c;
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
	size_t i;

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
	for (i = 0; i < src->ncells; i++)
		doc_prov_add(dst, &src->cells[i]);
	for (i = 0; i < src->nskipped; i++)
		doc_prov_skip(dst, &src->skipped[i]);
	dst->warn |= src->warn;
	if (dst->filter == NULL)
		dst->filter = src->filter;
	doc_prov_free(src);
}

void
doc_prov_free(struct doc_prov *p)
{
	free(p->cells);
	free(p->skipped);
	memset(p, 0, sizeof(*p));
}

void
doc_value_free(struct doc_value *v)
{
	free(v->printed);
	doc_prov_free(&v->prov);
	memset(v, 0, sizeof(*v));
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
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	if (t->prov != NULL)
		for (i = 0; i < t->nrows; i++) {
			size_t c;

			if (t->prov[i] == NULL)
				continue;
			for (c = 0; c < t->ncols; c++)
				doc_prov_free(&t->prov[i][c]);
			free(t->prov[i]);
			if (t->nums != NULL)
				free(t->nums[i]);
		}
	free(t->headers);
	free(t->aligns);
	free(t->widths);
	free(t->min_widths);
	free(t->max_widths);
	free(t->cells);
	free(t->row_bold);
	free(t->src_rows);
	free(t->src_cols);
	free(t->prov);
	free(t->nums);
	free(t);
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
