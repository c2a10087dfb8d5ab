/* Page: the grid cursor, page breaks, snapshots for the keep rules,
 * and page numbers (see layout_int.h).
 *
 * Keep rules (heading with two following lines, signature with the last
 * body lines, a lead-in sentence with its chart or table) are implemented
 * by laying out, checking, and rolling the box array back to a snapshot
 * to retry with a page break. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- the grid cursor and snapshots -------------------------------------- */

void
new_page(struct lay *L)
{
	L->page++;
	L->yoff = 0;
}

struct snap
take_snap(const struct lay *L)
{
	struct snap s;

	s.nboxes = L->r->nboxes;
	s.nmarks = L->r->nmarks;
	s.page = L->page;
	s.yoff = L->yoff;
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

/* Returns 1 if the text boxes from index from on keep company with page
 * hpage: at least two of them are on it, or all there are. */
static int
kept_with(const struct lay *L, size_t from, int hpage)
{
	const struct lay_result *r = L->r;
	size_t i;
	int on = 0;

	for (i = from; i < r->nboxes; i++) {
		struct lay_box b = lbox(L, i);

		if (b.kind != LAY_BOX_TEXT)
			continue;
		if (b.page != hpage)
			return 0;
		if (++on >= 2)
			return 1;
	}
	return 1;
}

/* Lays out block i and those that must be kept with it; returns the index
 * of the next block to lay out.
 * - A heading keeps at least two lines of what follows on its page: if
 *   not, it is laid out again from a new page.
 * - A paragraph followed by a signature: if the signature lands on a page
 *   without any line of the paragraph, the paragraph's last two lines
 *   are pushed to the new page (respecting widows/orphans).
 * - A paragraph of one or two lines introducing a chart or table ("见下
 *   图。") goes to the next page with it when the chart or table would
 *   start there. */
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
		j = lay_seq(L, b, n, i + 1);
		if (lbox(L, s.nboxes).page == s.page && s.yoff > 0 &&
		    !kept_with(L, hend, lbox(L, hend - 1).page)) {
			rollback(L, &s);
			new_page(L);
			lay_one(L, &b[i], 0);
			j = lay_seq(L, b, n, i + 1);
		}
		return j;
	}
	if (b[i].kind == DOC_PARA && i + 1 < n &&
	    b[i + 1].kind == DOC_SIGNATURE) {
		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		lay_one(L, &b[i + 1], 0);
		if (hend > s.nboxes && L->r->nboxes > hend &&
		    lbox(L, hend - 1).page != lbox(L, hend).page) {
			rollback(L, &s);
			lay_one(L, &b[i], 2);
			lay_one(L, &b[i + 1], 0);
		}
		return i + 2;
	}
	if (b[i].kind == DOC_PARA && i + 1 < n &&
	    (b[i + 1].kind == DOC_CHART || b[i + 1].kind == DOC_TABLE)) {
		size_t k, lines = 0;

		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		for (k = s.nboxes; k < hend; k++) {
			struct lay_box bk = lbox(L, k);

			lines += bk.kind == LAY_BOX_TEXT && bk.run == 0;
		}
		lay_one(L, &b[i + 1], 0);
		if (lines > 0 && lines <= 2 && s.yoff > 0 &&
		    L->r->nboxes > hend &&
		    lbox(L, hend - 1).page == s.page &&
		    lbox(L, hend).page != s.page) {
			rollback(L, &s);
			new_page(L);
			lay_one(L, &b[i], 0);
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
	}
	sb_free(&sb);
}
