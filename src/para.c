/* Para: lines of text on the grid (see layout_int.h): paragraphs and
 * headings (indented, justified, widows and orphans), centred balanced
 * titles, the signature block.
 *
 * Latin and digit runs keep their natural spacing, with a gap of up to
 * ¼ em to an adjacent Han character (clreq mixed text).  Lines other than
 * a paragraph's last are justified by spreading the remaining space
 * between Han characters and punctuation; a line with western runs is
 * emitted as one box per run (emit_line), a line of one run as one box. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- grid blocks ------------------------------------------------------ */

/* Places lines lv->v[first..lv->n) of tx on the grid.  SPLIT_PARA fills
 * every slot of the page, as the form's 22 lines a page want (no widow
 * or orphan rule); SPLIT_KEEP keeps all lines on one page unless they
 * are more than a page.  push_last >= 0 forces a page break before line
 * push_last (for keeping a signature with the body).  Lines are justified
 * to their measure (wf for the first line, wr after) except the last and
 * those ending at a hard break, which use cs_last.  centred lines are
 * centred with no extra spacing.  If mark_level > 0, a bookmark is added
 * at the first line. */
struct gridspec {
	enum font_role role;
	double size, bold;
	double indent;              /* first-line indent, points */
	double wf, wr;
	double cs_last;
	int centred;
	enum split split;
	long push_last;
	int mark_level;
	const char *mark_title;
};

/* Spacing runs of a line: Han-class text (gaps take the justification
 * space), western text (natural spacing) and "——" / "……" (grid spacing,
 * never expanded). */
enum { RUN_HAN, RUN_WEST, RUN_DASH };

static int
run_kind(const struct text *tx, size_t c, size_t c0, size_t c1)
{
	uint32_t u = tx->cp[c];

	if (is_west(u) || is_space(u))
		return RUN_WEST;
	if ((u == 0x2014 || u == 0x2026 || u == 0x22EF) &&
	    ((c > c0 && tx->cp[c - 1] == u) ||
	    (c + 1 < c1 && tx->cp[c + 1] == u)))
		return RUN_DASH;
	return RUN_HAN;
}

/* End of the run that starts at c in [c0, c1). */
static size_t
run_end(const struct text *tx, size_t c, size_t c0, size_t c1)
{
	int k = run_kind(tx, c, c0, c1);
	size_t e = c + 1;

	while (e < c1 && run_kind(tx, e, c0, c1) == k &&
	    (k != RUN_DASH || tx->cp[e] == tx->cp[c]))
		e++;
	return e;
}

/* Emits line ln of tx at (x, y) as one text box per spacing run.  Han
 * runs are set with the grid tracking, western runs at natural spacing,
 * dashes and ellipses on the grid; a gap of HL_EM goes between a Han
 * character and an adjacent Latin/digit run (not next to Chinese
 * punctuation; never at the line's ends).  A justified line then spreads
 * the remaining space over the Han-class gaps so that it ends exactly at
 * x + w (Han-Latin gaps shrink first, down to 0, if the line is tight); a
 * line that is not justified keeps the natural spacing unless it would be
 * wider than w.  A line of one run is one box, as before. */
static void
emit_line(struct lay *L, const struct text *tx, const struct line *ln,
    const struct gridspec *g, double x, double y, double w, int justify)
{
	size_t c0 = ln->c0, c1 = ln->c1, a, b, nj = 0, nhl = 0, nruns = 0;
	double track = L->track, em = g->size, fixed = 0, hl = HL_EM * em;
	double cs = track, loose, room;
	int k, pk = -1;
	uint32_t plast = 0;
	struct lay_box *bx;

	if (c1 <= c0)
		return;
	/* Count the gaps of each kind. */
	for (a = c0; a < c1; a = b, nruns++) {
		b = run_end(tx, a, c0, c1);
		k = run_kind(tx, a, c0, c1);
		if (k == RUN_HAN)
			nj += b - a - 1;
		else if (k == RUN_DASH)
			fixed += (double)(b - a - 1) * track;
		if (pk >= 0) {
			if (hl_pair(plast, tx->cp[a]))
				nhl++;
			else
				nj++;
		}
		pk = k;
		plast = tx->cp[b - 1];
	}
	if (nruns == 1 && k != RUN_WEST) {
		/* One Han or dash run: uniform spacing, as always. */
		size_t n = c1 - c0;

		if (justify)
			cs = (w - ln->natural) / (double)(n - 1);
		bx = text_box(L, g->role, g->size, x, y, cs, g->bold,
		    tx->s + ln->b0, ln->b1 - ln->b0);
		bx->x2 = x + ln->natural + (double)(n - 1) * cs;
		return;
	}
	if (nj == 0 && nhl == 0) {
		/* One western run: justified by spreading it if need be. */
		cs = justify && c1 - c0 > 1 ?
		    (w - ln->natural) / (double)(c1 - c0 - 1) : 0;
		bx = text_box(L, g->role, g->size, x, y, cs, g->bold,
		    tx->s + ln->b0, ln->b1 - ln->b0);
		bx->x2 = x + ln->natural + (double)(c1 - c0 - 1) * cs;
		return;
	}
	room = w - ln->natural - fixed;         /* for the flexible gaps */
	loose = (double)nj * track + (double)nhl * hl;
	if (justify || loose > room + 1e-9) {
		if (nj == 0)
			hl = room / (double)nhl;
		else {
			cs = (room - (double)nhl * hl) / (double)nj;
			if (cs < track && nhl > 0) {
				/* Tight: Han-Latin gaps shrink to ⅛ em first,
				 * then the Han gaps (by up to SQUEEZE_EM),
				 * then the Han-Latin gaps down to 0. */
				double tight = track - SQUEEZE_EM * em;

				hl = (room - (double)nj * track) / (double)nhl;
				if (hl < HL_MIN_EM * em)
					hl = HL_MIN_EM * em;
				if ((room - (double)nhl * hl) / (double)nj <
				    tight)
					hl = (room - (double)nj * tight) /
					    (double)nhl;
				if (hl < 0)
					hl = 0;
				cs = (room - (double)nhl * hl) / (double)nj;
			}
		}
	}
	/* Emit the runs. */
	pk = -1;
	for (a = c0; a < c1; a = b) {
		double rcs, rw = 0;
		size_t c;

		b = run_end(tx, a, c0, c1);
		k = run_kind(tx, a, c0, c1);
		if (pk >= 0)
			x += hl_pair(tx->cp[a - 1], tx->cp[a]) ? hl : cs;
		rcs = k == RUN_HAN ? cs : k == RUN_DASH ? track : 0;
		for (c = a; c < b; c++)
			rw += tx->w[c];
		bx = text_box(L, g->role, g->size, x, y, rcs, g->bold,
		    tx->s + tx->off[a], tx->off[b] - tx->off[a]);
		x += rw + (double)(b - a - 1) * rcs;
		bx->run = pk >= 0;
		bx->x2 = x;
		pk = k;
	}
}

static void
place_lines(struct lay *L, const struct text *tx, size_t first,
    const struct gridspec *g)
{
	size_t nl = L->lv.n - first, i = 0, c, rem;
	int k, avail;

	while (i < nl) {
		k = need_slot(L);
		avail = L->lpp - k;
		rem = nl - i;
		c = rem < (size_t)avail ? rem : (size_t)avail;
		if (g->split == SPLIT_KEEP) {
			if (c < rem && k > 0 && rem <= (size_t)L->lpp)
				c = 0;
		} else {
			if (g->push_last >= 0 && i < (size_t)g->push_last &&
			    i + c > (size_t)g->push_last)
				c = (size_t)g->push_last - i;
			if (c == 0 && k == 0)
				c = rem < (size_t)avail ? rem : (size_t)avail;
		}
		if (c == 0) {
			new_page(L);
			continue;
		}
		for (; c > 0; c--, i++, k++) {
			const struct line *ln = &L->lv.v[first + i];
			double x = L->left, w;
			size_t n = ln->c1 - ln->c0;

			if (i == 0 && g->mark_level > 0)
				add_mark(L, g->mark_level,
				    L->top - L->pitch * k, g->mark_title);
			if (g->centred) {
				x += (L->st->block_w - ln->natural) / 2;
				text_box(L, g->role, g->size, x,
				    slot_baseline(L, k, g->size), 0, g->bold,
				    tx->s + ln->b0, ln->b1 - ln->b0);
			} else {
				if (i == 0)
					x += g->indent;
				w = (i == 0 ? g->wf : g->wr) + ln->squeeze;
				emit_line(L, tx, ln, g, x,
				    slot_baseline(L, k, g->size), w,
				    !((ln->flags & (LN_LAST | LN_HARD)) || n < 2));
			}
			L->yoff = L->pitch * (k + 1);
		}
		if (i < nl)
			new_page(L);
	}
}

/* Lays out an indented, justified paragraph (or heading) on the grid. */
void
lay_para(struct lay *L, const char *s, enum font_role role, enum split sp,
    long push_last_from_end, int mark_level)
{
	const struct style *st = L->st;
	struct gridspec g;
	size_t first, nl;

	if (s == NULL || *s == '\0')
		return;
	memset(&g, 0, sizeof(g));
	g.role = role;
	g.size = st->body_size;
	g.indent = st->indent_chars * L->cell;
	g.wf = st->block_w - g.indent;
	g.wr = st->block_w;
	g.cs_last = L->track;
	g.split = sp;
	g.mark_level = mark_level;
	g.mark_title = s;
	text_load(&L->tx, s, strlen(s));
	text_measure(L->m, &L->tx, role, g.size);
	L->lv.n = 0;
	first = break_greedy(&L->tx, g.wf, g.wr, L->track, g.size * HL_MIN_EM,
	    g.size, 1, &L->lv);
	nl = L->lv.n - first;
	g.push_last = -1;
	if (push_last_from_end > 0)
		g.push_last = (long)nl > push_last_from_end ?
		    (long)nl - push_last_from_end : 0;
	place_lines(L, &L->tx, first, &g);
}

/* Lays out centred, balanced lines on the grid (title, subtitle, table
 * title), kept together on one page. */
void
lay_centred(struct lay *L, const char *s, enum font_role role, double size,
    double bold)
{
	struct gridspec g;
	size_t first;

	if (s == NULL || *s == '\0')
		return;
	memset(&g, 0, sizeof(g));
	g.role = role;
	g.size = size;
	g.bold = bold;
	g.centred = 1;
	g.split = SPLIT_KEEP;
	g.push_last = -1;
	text_load(&L->tx, s, strlen(s));
	text_measure(L->m, &L->tx, role, size);
	L->lv.n = 0;
	first = break_balanced(&L->tx, L->st->block_w, size, &L->lv);
	place_lines(L, &L->tx, first, &g);
}

/* Skips one grid slot (a blank line). */
void
blank_slot(struct lay *L)
{
	L->yoff = L->pitch * (cur_slot(L) + 1);
}

/* Signature: a blank line, the 署名 right-aligned 空二字, and on the next
 * line the date starting two characters right of the 署名 (or, if that
 * would not fit, the date 空二字 and the 署名 two characters left of it);
 * for a sealed document the date is 右空四字 and the 署名 centred over it.
 * Widths count cells (width + grid tracking) as the grid does. */
void
lay_signature(struct lay *L, const char *name, const char *date)
{
	const struct style *st = L->st;
	double size = st->body_size, wn = 0, wd = 0, xn, xd;
	double right = L->left + st->block_w;
	size_t nn = 0, nd = 0;
	int k, lines;

	if (name != NULL) {
		nn = utf8_count(name, strlen(name));
		wn = measure(L, ROLE_BODY, size, name, strlen(name)) +
		    (double)nn * L->track;
	}
	if (date != NULL) {
		nd = utf8_count(date, strlen(date));
		wd = measure(L, ROLE_BODY, size, date, strlen(date)) +
		    (double)nd * L->track;
	}
	lines = (name != NULL) + (date != NULL);
	if (lines == 0)
		return;
	k = cur_slot(L);
	if (L->yoff > 0)
		k++;                            /* the blank line */
	if (k + lines > L->lpp) {
		new_page(L);
		k = 0;
	}
	if (st->signature_sealed) {
		/* §7.3.5.1: the date 右空四字, the 署名 centred over it. */
		xd = right - 4 * L->cell - wd;
		xn = xd + (wd - wn) / 2;
		if (xn + wn > right)
			xn = right - wn;
	} else {
		xn = right - 2 * L->cell - wn;
		xd = xn + 2 * L->cell;
		if (name == NULL || xd + wd > right - 2 * L->cell + EPS) {
			xd = right - 2 * L->cell - wd;
			xn = xd - 2 * L->cell;
		}
	}
	if (name != NULL) {
		text_box(L, ROLE_BODY, size, xn, slot_baseline(L, k, size),
		    L->track, 0, name, strlen(name));
		k++;
	}
	if (date != NULL) {
		text_box(L, ROLE_BODY, size, xd, slot_baseline(L, k, size),
		    L->track, 0, date, strlen(date));
		k++;
	}
	L->yoff = L->pitch * k;
}
