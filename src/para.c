/* Para: lines of text on the grid (see layout_int.h): paragraphs and
 * headings (indented, justified, widows and orphans), centred balanced
 * titles, the signature block.
 *
 * Latin and digit runs keep their natural spacing, with the gap of
 * [layout] cjk_latin_space to an adjacent Han character (clreq mixed text;
 * default none).  Adjacent marks are kerned and a squeezed line-end mark
 * keeps its ink inside the measure (linebreak.c); a line shrunk rather
 * than stretched gives up line.pc from the marks inside it.  An opening
 * mark that starts a line after the first (the first too in a paragraph
 * without indent) is drawn ½ em left of the margin, its blank half
 * outside the block, and the line is that much wider (line.lead; clreq
 * 行首标点挤压).  The first line after the 2-em indent keeps its mark
 * whole: "左空二字" counts the mark as the line's third cell, as in a
 * heading's "（一）".  Lines other than a paragraph's last are justified
 * by spreading the remaining space between Han characters and
 * punctuation; a line is emitted as one box per run of characters with
 * one spacing (emit_line). */
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

/* Gaps between two characters of a line: justification gaps (natural:
 * the grid tracking), Han-Latin gaps (natural tx->hl, when the rule has
 * one) and fixed gaps (inside western runs: 0; inside "——"/"……": the
 * tracking). */
enum { GAP_J, GAP_HL, GAP_FIX };

static int
gap_kind(const struct text *tx, size_t c, size_t c0, size_t c1)
{
	int ka = run_kind(tx, c - 1, c0, c1), kb = run_kind(tx, c, c0, c1);

	if (ka == kb && ka == RUN_WEST)
		return GAP_FIX;
	if (ka == kb && ka == RUN_DASH && tx->cp[c - 1] == tx->cp[c])
		return GAP_FIX;
	if (tx->hl > 0 && hl_pair(tx->cp[c - 1], tx->cp[c]))
		return GAP_HL;
	return GAP_J;
}

/* The flexible gaps of a line: cs for justification gaps, hl for
 * Han-Latin gaps.  room is the space they share; a justified line fills
 * it, a loose one keeps the natural gaps unless they do not fit.  When
 * tight, Han-Latin gaps shrink to half first, then the other gaps by up
 * to SQUEEZE_EM, then the Han-Latin gaps down to 0. */
static void
flex_gaps(double room, size_t nj, size_t nhl, double track, double hl0,
    double em, int justify, double *cs, double *hl)
{
	double tight = track - SQUEEZE_EM * em, hlmin = hl0 * HL_MIN_FRAC;

	*cs = track;
	*hl = hl0;
	if (!justify && (double)nj * track + (double)nhl * hl0 <= room + 1e-9)
		return;
	if (nj == 0) {
		if (nhl > 0)
			*hl = room / (double)nhl;
		return;
	}
	*cs = (room - (double)nhl * *hl) / (double)nj;
	if (*cs >= track || nhl == 0)
		return;
	*hl = (room - (double)nj * track) / (double)nhl;
	if (*hl < hlmin)
		*hl = hlmin;
	if ((room - (double)nhl * *hl) / (double)nj < tight)
		*hl = (room - (double)nj * tight) / (double)nhl;
	if (*hl < 0)
		*hl = 0;
	*cs = (room - (double)nhl * *hl) / (double)nj;
}

/* The gap before character c of a line: its kind's width less the
 * kerning of marks (spread: fixed gaps take cs too, a western line being
 * justified). */
static double
gap_value(const struct text *tx, size_t c, size_t c0, size_t c1, double cs,
    double hl, double track, int spread)
{
	int gk = gap_kind(tx, c, c0, c1);
	double v;

	if (gk == GAP_J || (gk == GAP_FIX && spread))
		v = cs;
	else if (gk == GAP_HL)
		v = hl;
	else
		v = run_kind(tx, c, c0, c1) == RUN_DASH ? track : 0;
	return v - tx->kern[c - 1];
}

/* What the marks inside a shrunk line give up at the gap before
 * character c (c0 < c < c1): f of the right share of c - 1 and of the
 * left share of c (tx->sqi; a pause or closing mark gives up its right
 * blank first, up to tx->sqr, an opening mark its left), only for marks
 * inside the line (c0 < mark < c1 - 1), as break_greedy counted them. */
static double
pc_gap(const struct text *tx, size_t c, size_t c0, size_t c1, double f)
{
	double v = 0, a, r;

	if (f <= 0)
		return 0;
	if (c - 1 > c0 && (a = f * tx->sqi[c - 1]) > 0 &&
	    punct_class(tx->cp[c - 1]) != PC_OPEN)
		v += a < tx->sqr[c - 1] ? a : tx->sqr[c - 1];
	if (c + 1 < c1 && (a = f * tx->sqi[c]) > 0) {
		r = punct_class(tx->cp[c]) == PC_OPEN ? 0 :
		    a < tx->sqr[c] ? a : tx->sqr[c];
		v += a - r;
	}
	return v;
}

/* The part f of its marks' compressible space (tx->sqi) a shrunk line ln
 * gives up to take ln->pc (0 for other lines, at most 1). */
static double
pc_frac(const struct text *tx, const struct line *ln)
{
	double inner = 0;
	size_t c;

	if (ln->pc <= 0)
		return 0;
	for (c = ln->c0 + 1; c + 1 < ln->c1; c++)
		inner += tx->sqi[c];
	if (inner <= 0)
		return 0;
	return ln->pc < inner ? ln->pc / inner : 1;
}

/* Emits line ln of tx at (x, y), measure w (the line is set from
 * x - ln->lead, measure w + ln->lead).  Every character's place is
 * computed (widths, gaps of gap_kind, less the kerning of adjacent marks;
 * a squeezed last mark gives up tx->sql at its left and tx->sqr at its
 * right, so its ink stays inside the measure; the marks inside a shrunk
 * line give up ln->pc, pc_gap), and one text box is
 * emitted per run of characters of one spacing kind with equal gaps.  A
 * justified line ends exactly at x + w (plus the squeezed mark's right
 * blank); a line not justified keeps the natural gaps unless it would be
 * wider than w.  A justified line of western text only is spread by its
 * letter spacing. */
static void
emit_line(struct lay *L, const struct text *tx, const struct line *ln,
    const struct gridspec *g, double x, double y, double w, int justify)
{
	size_t c0 = ln->c0, c1 = ln->c1, nj = 0, nhl = 0, nfix = 0, a, c;
	double track = L->track, nat = 0, fixed = 0, tl = 0, tr = 0;
	double cs, hl, gv = 0, rcs, xa, f = pc_frac(tx, ln);
	int gk, k, spread = 0;
	struct lay_box *bx;

	if (c1 <= c0)
		return;
	x -= ln->lead;
	w += ln->lead;
	if ((ln->flags & LN_COMPRESSED) && c1 - c0 >= 2) {
		tl = tx->sql[c1 - 1];
		tr = tx->sqr[c1 - 1];
	}
	for (c = c0; c < c1; c++) {
		nat += tx->w[c];
		if (c == c0)
			continue;
		gk = gap_kind(tx, c, c0, c1);
		nj += gk == GAP_J;
		nhl += gk == GAP_HL;
		nfix += gk == GAP_FIX;
		fixed -= tx->kern[c - 1] + pc_gap(tx, c, c0, c1, f);
		if (gk == GAP_FIX && run_kind(tx, c, c0, c1) == RUN_DASH)
			fixed += track;
	}
	fixed -= tl;
	if (nj == 0 && nhl == 0 && nfix > 0 && justify) {
		spread = 1;
		nj = nfix;
	}
	flex_gaps(w + tr - nat - fixed, nj, nhl, track, tx->hl, g->size,
	    justify, &cs, &hl);
	/* The runs: [a, c) while the kind stays the same and every gap is
	 * the kind's own (a kerned or squeezed gap, like a Han-Latin one,
	 * starts a run: a box never holds a spacing change, see set_boxes
	 * in layout.c). */
	a = c0;
	xa = x;
	for (c = c0 + 1;; c++) {
		k = run_kind(tx, a, c0, c1);
		rcs = k == RUN_HAN || spread ? cs : k == RUN_DASH ? track : 0;
		x += tx->w[c - 1];
		if (c < c1) {
			gv = gap_value(tx, c, c0, c1, cs, hl, track, spread);
			if (c + 1 == c1)
				gv -= tl;
			gv -= pc_gap(tx, c, c0, c1, f);
		}
		if (c == c1 || run_kind(tx, c, c0, c1) != k ||
		    fabs(gv - rcs) > 1e-9) {
			bx = text_box(L, g->role, g->size, xa, y, rcs, g->bold,
			    tx->s + tx->off[a], tx->off[c] - tx->off[a]);
			bx->run = a > c0;
			bx->x2 = x;
			if (c == c1)
				break;
			a = c;
			xa = x + gv;
		}
		x += gv;
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
				w = i == 0 ? g->wf : g->wr;
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
	first = break_greedy(&L->tx, g.wf, g.wr, L->track,
	    L->tx.hl * HL_MIN_FRAC, g.size, BG_LONE | BG_SHRINK |
	    (g.indent > 0 ? 0 : BG_LEAD1), &L->lv);
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
