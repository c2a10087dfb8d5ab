/* Layout, locating: where a figure of the document was drawn, and the
 * marks of the review copy (see layout.h, lay_locate_text and
 * lay_review_mark).  Works on a finished lay_result, of lay_run or
 * lay_stream: the boxes of each node (node_first/node_end) and the text
 * boxes' sources (srcs), the boxes read through lay_box_at (from disk for
 * lay_stream's, one at a time). */
#include "layout_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "util.h"

/* Height of a mark around text of size pt: below and above the
 * baseline. */
#define BELOW 0.18
#define ABOVE 0.88

/* Adds rect to out[0..*n) (max entries): merged into the last one when it
 * is on the same page and baseline (runs of one line). */
static void
add_rect(struct lay_rect *out, size_t *n, size_t max,
    const struct lay_rect *rc)
{
	struct lay_rect *last = *n > 0 ? &out[*n - 1] : NULL;

	if (last != NULL && last->page == rc->page && last->y0 == rc->y0 &&
	    last->y1 == rc->y1) {
		if (rc->x0 < last->x0)
			last->x0 = rc->x0;
		if (rc->x1 > last->x1)
			last->x1 = rc->x1;
		return;
	}
	if (*n < max)
		out[(*n)++] = *rc;
}

/* x of byte k of box b's text (its advance plus the character spacing
 * of the characters before it). */
static double
x_at(const struct lay_measure *m, const struct lay_box *b, size_t k)
{
	return b->x + m->width(m->arg, (enum font_role)b->role, b->size,
	    b->text, k) + b->char_space * (double)utf8_count(b->text, k);
}

/* The rectangle of bytes [a, e) of text box b. */
static struct lay_rect
box_rect(const struct lay_measure *m, const struct lay_box *b, size_t a,
    size_t e)
{
	struct lay_rect rc;
	double x1 = x_at(m, b, e);

	/* no spacing after the last character of the range */
	if (e > a)
		x1 -= b->char_space;
	rc.page = b->page;
	rc.x0 = x_at(m, b, a);
	rc.x1 = x1 > rc.x0 ? x1 : rc.x0;
	rc.y0 = b->y - BELOW * b->size;
	rc.y1 = b->y + ABOVE * b->size;
	return rc;
}

static int
node_ok(const struct lay_result *r, size_t node)
{
	return r != NULL && node < r->nnodes && r->node_first != NULL &&
	    r->node_end != NULL && r->node_first[node] <= r->node_end[node] &&
	    r->node_end[node] <= r->nboxes;
}

/* The first entry of r->srcs whose box is at or after box (binary
 * search: srcs are in box order). */
static size_t
first_src(const struct lay_result *r, size_t box)
{
	size_t lo = 0, hi = r->nsrcs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->srcs[mid].box < box)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
lay_locate_text(const struct lay_result *r, const struct lay_measure *m,
    size_t node, int text2, size_t from, size_t to, struct lay_rect *out,
    size_t max)
{
	size_t i, n = 0;

	if (!node_ok(r, node) || to <= from)
		return 0;
	for (i = first_src(r, r->node_first[node]); i < r->nsrcs &&
	    r->srcs[i].box < r->node_end[node]; i++) {
		const struct lay_box *b = lay_box_at(r, r->srcs[i].box, 1);
		unsigned int src = r->srcs[i].src;
		size_t o, len, a, e;
		struct lay_rect rc;

		if (b->kind != LAY_BOX_TEXT || b->text == NULL ||
		    (src & LAY_SRC_CELL) || !(src & LAY_SRC_TEXT2) != !text2 ||
		    b->angle != 0)
			continue;
		o = src & ~LAY_SRC_TEXT2;
		len = strlen(b->text);
		a = from > o ? from : o;
		e = to < o + len ? to : o + len;
		if (a >= e)
			continue;
		rc = box_rect(m, b, a - o, e - o);
		add_rect(out, &n, max, &rc);
	}
	return n;
}

/* One node's cells: its srcs entries that show a cell, sorted by cell
 * (stably: box order within a cell).  Sized by the cells the node drew
 * with a source, not by its highest cell index (a 合计 row of a million
 * rows is a few entries at cell 7,000,000). */
struct cell_ent {
	size_t cell;            /* r * ncols + c */
	size_t src;             /* index into r->srcs */
};

struct cell_node {
	int built;
	size_t n;
	struct cell_ent *v;     /* a big block: a table's computed cells */
};

struct lay_cells {
	const struct lay_result *r;
	size_t nnodes;
	struct cell_node *v;    /* nnodes, built on first use */
};

struct lay_cells *
lay_cells_index(const struct lay_result *r)
{
	struct lay_cells *ix = xcalloc(1, sizeof(*ix));

	ix->r = r;
	ix->nnodes = r != NULL ? r->nnodes : 0;
	ix->v = xcalloc(ix->nnodes + 1, sizeof(*ix->v));
	return ix;
}

void
lay_cells_free(struct lay_cells *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->nnodes; i++)
		big_free(ix->v[i].v);
	free(ix->v);
	free(ix);
}

/* The cell index of srcs entry s, or SIZE_MAX when it shows no cell. */
static size_t
src_cell(unsigned int s)
{
	return s != LAY_SRC_NONE && (s & LAY_SRC_CELL) ?
	    (size_t)(s - LAY_SRC_CELL) : SIZE_MAX;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct cell_ent *p = a, *q = b;

	return p->cell < q->cell ? -1 : p->cell > q->cell;
}

/* Most entries are in place or a short way from it: a table's rows are
 * laid out in order, each cell's lines together, so only a row split
 * over a page break (taller than a page) has the lines of its cells
 * apart.  Farther than this, big_sort instead. */
#define NEAR_SORTED 1024

/* Sorts v[0..n) by cell, stably: an insertion sort while every entry is
 * within NEAR_SORTED places of its own (a pass in order over the big
 * block, ticking), else big_sort. */
static void
sort_ents(struct cell_ent *v, size_t n)
{
	size_t i, x;

	for (i = 1; i < n; i++) {
		struct cell_ent e = v[i];

		for (x = i; x > 0 && v[x - 1].cell > e.cell; x--)
			if (i - x == NEAR_SORTED) {
				/* nothing moved yet: v is whole */
				big_sort(v, n, sizeof(*v), ent_cmp);
				return;
			}
		if (x < i) {
			memmove(&v[x + 1], &v[x], (i - x) * sizeof(*v));
			v[x] = e;
		}
		big_tick(1);
	}
}

/* Builds node's entry of ix: one pass to count the node's cell srcs, one
 * to gather them, then a stable sort by cell (sort_ents).  The array
 * grows with a table's computed cells: a big block, each pass ticking per
 * entry. */
static void
build_node(struct lay_cells *ix, size_t node)
{
	const struct lay_result *r = ix->r;
	struct cell_node *cn = &ix->v[node];
	size_t i, k, lo, n = 0;

	cn->built = 1;
	lo = first_src(r, r->node_first[node]);
	for (i = lo; i < r->nsrcs && r->srcs[i].box < r->node_end[node]; i++) {
		if (src_cell(r->srcs[i].src) != SIZE_MAX)
			n++;
		big_tick(1);
	}
	if (n == 0)
		return;
	cn->v = big_reallocarray(NULL, n, sizeof(*cn->v));
	for (i = lo; i < r->nsrcs && r->srcs[i].box < r->node_end[node]; i++) {
		if ((k = src_cell(r->srcs[i].src)) != SIZE_MAX) {
			cn->v[cn->n].cell = k;
			cn->v[cn->n++].src = i;
		}
		big_tick(1);
	}
	sort_ents(cn->v, cn->n);
}

size_t
lay_locate_cell(const struct lay_result *r, struct lay_cells *ix,
    const struct lay_measure *m, size_t node, size_t cell,
    struct lay_rect *out, size_t max)
{
	const struct cell_node *cn;
	size_t i, lo, hi, n = 0;

	if (!node_ok(r, node) || cell >= LAY_SRC_CELL || ix == NULL ||
	    ix->r != r || node >= ix->nnodes)
		return 0;
	if (!ix->v[node].built)
		build_node(ix, node);
	cn = &ix->v[node];
	/* the first entry of cell */
	for (lo = 0, hi = cn->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (cn->v[mid].cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < cn->n && cn->v[i].cell == cell; i++) {
		const struct lay_box *b = lay_box_at(r,
		    r->srcs[cn->v[i].src].box, 1);
		struct lay_rect rc;

		if (b->kind != LAY_BOX_TEXT || b->text == NULL)
			continue;
		rc = box_rect(m, b, 0, strlen(b->text));
		add_rect(out, &n, max, &rc);
	}
	return n;
}

size_t
lay_locate_text_box(const struct lay_result *r, const struct lay_measure *m,
    size_t node, const char *s, struct lay_rect *out, size_t max)
{
	size_t i;

	if (!node_ok(r, node) || s == NULL || max == 0)
		return 0;
	for (i = r->node_first[node]; i < r->node_end[node]; i++) {
		const struct lay_box *b = lay_box_at(r, i, 1);

		if (b->kind == LAY_BOX_TEXT && b->text != NULL &&
		    b->angle == 0 && strcmp(b->text, s) == 0) {
			out[0] = box_rect(m, b, 0, strlen(b->text));
			return 1;
		}
	}
	return 0;
}

/* The first box of [lo, hi) on page or after it (binary search: the
 * boxes are laid out page after page; a streamed result's page index
 * gives it, or hi when none is on page). */
static size_t
first_on_page(const struct lay_result *r, size_t lo, size_t hi, int page)
{
	if (lay_streamed(r))
		return store_first_on_page(r, lo, hi, page);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->boxes[mid].page < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* 1 if node j's range lies inside node's (and is not the same): a
 * float set while node was laid out. */
static int
nested(const struct lay_result *r, size_t node, size_t j)
{
	return j != node && r->node_first[j] < r->node_end[j] &&
	    r->node_first[node] <= r->node_first[j] &&
	    r->node_end[j] <= r->node_end[node] &&
	    (r->node_first[j] > r->node_first[node] ||
	    r->node_end[j] < r->node_end[node]);
}

/* The highest point of box b. */
static double
box_top(const struct lay_box *b)
{
	double y = b->y;

	if (b->kind == LAY_BOX_TEXT)
		return y + ABOVE * b->size;
	if (b->y2 > y)
		return b->y2;
	return y;
}

int
lay_node_page(const struct lay_result *r, size_t node)
{
	if (!node_ok(r, node) || r->node_first[node] == r->node_end[node])
		return 0;
	return lay_box_at(r, r->node_first[node], 0)->page;
}

int
lay_node_top(const struct lay_result *r, size_t node, int page, double *top)
{
	size_t j, k, end, nf = 0, *fl = NULL;
	int found = 0;

	if (!node_ok(r, node) || top == NULL)
		return 0;
	for (j = 0; j < r->nnodes; j++)
		if (nested(r, node, j)) {
			fl = xreallocarray(fl, nf + 1, sizeof(*fl));
			fl[nf++] = j;
		}
	end = r->node_end[node];
	for (k = first_on_page(r, r->node_first[node], end, page); k < end;
	    k++) {
		const struct lay_box *b = lay_box_at(r, k, 0);
		double y;

		if (b->page != page)
			break;
		for (j = 0; j < nf && (k < r->node_first[fl[j]] ||
		    k >= r->node_end[fl[j]]); j++)
			;
		if (j < nf)
			continue;
		y = box_top(b);
		if (!found || y > *top)
			*top = y;
		found = 1;
	}
	free(fl);
	return found;
}

/* Appends a zeroed box to r (no text, src none): in memory, after the
 * boxes on disk of a streamed r. */
static struct lay_box *
append_box(struct lay_result *r, int page)
{
	struct lay_box *b;

	r->boxes = xreallocarray(r->boxes, r->nboxes - r->base + 1,
	    sizeof(*b));
	b = &r->boxes[r->nboxes++ - r->base];
	memset(b, 0, sizeof(*b));
	b->page = page;
	return b;
}

/* Draws number as seven-segment digits of height h with their lower left
 * corner at (x, y): rules, not text, so that the review copy's text is
 * the document's text unchanged. */
static void
draw_number(struct lay_result *r, int page, double x, double y, double h,
    int number)
{
	/* segments a b c d e f g of each digit, bit 0 = a */
	static const unsigned char seg[10] = {
		0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F
	};
	/* each segment's end points, in units of (w, h/2) */
	static const double ends[7][4] = {
		{ 0, 2, 1, 2 }, { 1, 2, 1, 1 }, { 1, 1, 1, 0 }, { 0, 0, 1, 0 },
		{ 0, 0, 0, 1 }, { 0, 1, 0, 2 }, { 0, 1, 1, 1 }
	};
	double w = h * 0.5, gap = h * 0.3, hh = h / 2;
	char digits[24];
	size_t i;
	int k;

	snprintf(digits, sizeof(digits), "%d", number);
	for (i = 0; digits[i] != '\0'; i++, x += w + gap) {
		unsigned int bits = seg[digits[i] - '0'];

		for (k = 0; k < 7; k++) {
			struct lay_box *b;

			if (!(bits & (1u << k)))
				continue;
			b = append_box(r, page);
			b->kind = LAY_BOX_RULE;
			b->x = x + ends[k][0] * w;
			b->y = y + ends[k][1] * hh;
			b->x2 = (float)(x + ends[k][2] * w);
			b->y2 = (float)(y + ends[k][3] * hh);
			b->line_width = (float)(h / 9);
		}
	}
}

void
lay_review_mark(struct lay_result *r, const struct lay_measure *m,
    const struct lay_rect *rects, size_t n, int number, const char *text)
{
	const double label = 6;     /* the number's height, points */
	struct lay_note *nt;
	struct lay_box *b;
	size_t i;

	if (r == NULL || n == 0)
		return;
	(void)m;
	for (i = 0; i < n; i++) {
		b = append_box(r, rects[i].page);
		b->kind = LAY_BOX_RULE;
		b->x = rects[i].x0;
		b->x2 = (float)rects[i].x1;
		b->y = rects[i].y0;
		b->y2 = (float)rects[i].y0;
		b->line_width = 0.8f;
	}
	/* the number, raised over the figure's start (in the space between
	 * the lines, so it covers no text) */
	draw_number(r, rects[0].page, rects[0].x0, rects[0].y1 + 1.5, label,
	    number);
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	nt = &r->notes[r->nnotes++];
	nt->page = rects[0].page;
	nt->x0 = rects[0].x0;
	nt->y0 = rects[0].y0;
	nt->x1 = rects[0].x1;
	nt->y1 = rects[0].y1;
	nt->text = xstrdup(text != NULL ? text : "");
}
