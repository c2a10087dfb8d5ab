/* Page: the grid cursor, page breaks, floats, snapshots for the keep
 * rules, and page numbers (see layout_int.h).
 *
 * Pages are full like the form's: a page of text has all its 22 lines
 * (no widow or orphan rule pushes a paragraph's line on).  Keep rules (a
 * heading with the first line of what follows, the signature with the
 * last body lines) are implemented by laying out, checking, and rolling
 * the box array back to a snapshot to retry with a page break.  A chart,
 * or a table that fits on one page, that does not fit the rest of the
 * page floats: it waits while the text after it fills the page, and is
 * set at the top of the next page (one float at a time; a table, chart,
 * page break or signature that comes first sets it at once). */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- the grid cursor and snapshots -------------------------------------- */

/* Sets the pending float at the top of the current (new) page, with
 * the float scratch buffers swapped in so that the paragraph being
 * broken keeps its lines in L->tx and L->lv. */
static void
place_float(struct lay *L)
{
	const struct doc_node *b = L->pending;
	struct text tx = L->tx;
	struct linevec lv = L->lv;

	L->pending = NULL;
	L->placing = 1;
	L->tx = L->ftx;
	L->lv = L->flv;
	lay_one(L, b, 0);
	L->ftx = L->tx;
	L->flv = L->lv;
	L->tx = tx;
	L->lv = lv;
	L->placing = 0;
}

void
new_page(struct lay *L)
{
	L->page++;
	L->yoff = 0;
	if (L->pending != NULL && !L->placing)
		place_float(L);
}

void
flush_float(struct lay *L)
{
	if (L->pending != NULL && !L->placing)
		new_page(L);
}

struct snap
take_snap(const struct lay *L)
{
	struct snap s;

	s.nboxes = L->r->nboxes;
	s.nmarks = L->r->nmarks;
	s.page = L->page;
	s.yoff = L->yoff;
	s.pending = L->pending;
	return s;
}

/* Drops every box and mark made after s and restores the cursor. */
void
rollback(struct lay *L, const struct snap *s)
{
	struct lay_result *r = L->r;

	/* Dropped boxes' text stays in the arena until lay_free. */
	if (s->nboxes < r->base)
		lay_unspool(L, s->nboxes);
	r->nboxes = s->nboxes;
	while (r->nsrcs > 0 && r->srcs[r->nsrcs - 1].box >= r->nboxes)
		r->nsrcs--;
	while (r->nmarks > s->nmarks)
		free(r->marks[--r->nmarks].title);
	L->page = s->page;
	L->yoff = s->yoff;
	L->pending = s->pending;
}

/* The first free grid slot (may be >= lpp: the page is full). */
int
cur_slot(const struct lay *L)
{
	return (int)ceil(L->yoff / L->pitch - 1e-6);
}

/* Returns the first free slot, starting a new page if this one is full. */
int
need_slot(struct lay *L)
{
	int k = cur_slot(L);

	if (k >= L->lpp) {
		new_page(L);
		k = 0;
	}
	return k;
}

/* Baseline of slot k for type of the given size: the ideographic em box
 * (-0.12 .. +0.88 em) centred in the slot. */
double
slot_baseline(const struct lay *L, int k, double size)
{
	return L->top - L->pitch * k - (L->pitch + 0.76 * size) / 2;
}

/* ---- keep rules ------------------------------------------------------- */

/* Returns 1 if what was laid out from box index from on keeps company
 * with page hpage: its first line (text box) is on it (Word's 与下段同页:
 * a heading with the first line after it), or there is none and no
 * float waits (a heading followed only by a floating chart goes with
 * it). */
static int
kept_with(const struct lay *L, size_t from, int hpage)
{
	const struct lay_result *r = L->r;
	size_t i;

	for (i = from; i < r->nboxes; i++) {
		struct lay_box b = lbox(L, i);

		if (b.kind == LAY_BOX_TEXT && b.run == 0)
			return b.page == hpage;
	}
	return L->pending == NULL;
}

/* Lays out what follows heading b[i]; when the block after it floats,
 * also the block after that, so that the heading keeps company with the
 * text after the float.  Returns the index of the next block. */
static size_t
after_heading(struct lay *L, const struct doc_node *b, size_t n, size_t i)
{
	size_t j = lay_seq(L, b, n, i + 1);

	if (L->pending == &b[i + 1] && j < n && b[j].kind != DOC_PAGEBREAK)
		j = lay_seq(L, b, n, j);
	return j;
}

/* Lays out block i and those that must be kept with it; returns the index
 * of the next block to lay out.
 * - A heading keeps the first line of what follows on its page: if not,
 *   it is laid out again from a new page.  When a chart or table right
 *   after it floats, the text after that keeps it company instead.
 * - A paragraph followed by a signature: if the signature lands on a page
 *   without any line of the paragraph, the paragraph's last two lines
 *   are pushed to the new page.
 * A sentence that introduces a chart or table ("见下图。") stays where it
 * fits: the chart or table floats (lay_one). */
size_t
lay_seq(struct lay *L, const struct doc_node *b, size_t n, size_t i)
{
	struct snap s;
	size_t j, hend;

	if (b[i].kind == DOC_HEADING && i + 1 < n &&
	    b[i + 1].kind != DOC_PAGEBREAK) {
		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		if (hend == s.nboxes)
			return i + 1;
		j = after_heading(L, b, n, i);
		if (lbox(L, s.nboxes).page == s.page && s.yoff > 0 &&
		    !kept_with(L, hend, lbox(L, hend - 1).page)) {
			rollback(L, &s);
			new_page(L);
			lay_one(L, &b[i], 0);
			j = after_heading(L, b, n, i);
		}
		return j;
	}
	if (b[i].kind == DOC_PARA && i + 1 < n &&
	    b[i + 1].kind == DOC_SIGNATURE) {
		size_t sig;

		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		flush_float(L);
		sig = L->r->nboxes;
		lay_one(L, &b[i + 1], 0);
		if (hend > s.nboxes && L->r->nboxes > sig &&
		    lbox(L, hend - 1).page != lbox(L, sig).page) {
			rollback(L, &s);
			lay_one(L, &b[i], 2);
			flush_float(L);
			lay_one(L, &b[i + 1], 0);
		}
		return i + 2;
	}
	lay_one(L, &b[i], 0);
	return i + 1;
}

/* Page numbers for pages 1..npages (from 2 if !pagenum_first): odd pages
 * end one character inside the right edge, even pages start one character
 * inside the left edge; the dash centre is pagenum_gap below the block. */
void
page_numbers(struct lay *L)
{
	const struct style *st = L->st;
	const char *fmt = st->pagenum_format ? st->pagenum_format : "— %d —";
	double size = st->pagenum_size, w, x;
	double y = L->top - st->block_h - st->pagenum_gap - 0.38 * size;
	struct strbuf sb;
	const char *p;
	int pg;

	sb_init(&sb);
	for (pg = st->pagenum_first ? 1 : 2; pg <= L->r->npages; pg++) {
		sb_clear(&sb);
		for (p = fmt; *p; p++) {
			if (p[0] == '%' && p[1] == 'd') {
				sb_printf(&sb, "%d", pg);
				p++;
			} else if (p[0] == '%' && p[1] == '%') {
				sb_addc(&sb, '%');
				p++;
			} else
				sb_addc(&sb, *p);
		}
		w = measure(L, ROLE_PAGENUM, size, sb_str(&sb), sb.len);
		if (st->pagenum_center)
			x = L->left + (st->block_w - w) / 2;
		else if (pg % 2)
			x = L->left + st->block_w - size - w;
		else
			x = L->left + size;
		L->page = pg;
		text_box(L, ROLE_PAGENUM, size, x, y, 0, 0, sb_str(&sb),
		    sb.len);
		/* one box a page: streamed out as they come, not all held
		 * until the layout's end (lay_stream; nothing in lay_run) */
		lay_flush(L, 0);
	}
	sb_free(&sb);
}
