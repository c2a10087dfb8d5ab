/* Table layout (see layout_int.h): column widths from content, cells
 * broken into lines, rows placed on pages with the header repeated and
 * 续表 on continuation pages.
 *
 * Column widths from content (table_widths): short headers, numbers and
 * short text never wrap; long text columns share the rest. */
#include "layout_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* Table geometry and per-row scratch. */
struct tbl {
	const struct doc_table *t;
	double ts, lh, vpad, hpad;
	double *colx;               /* ncols + 1 */
	double *colw;               /* ncols: widths as computed */
	double *fracw;              /* ncols: widest decimal part (".35%")
	                               of the column's numbers, so right-aligned
	                               numbers line up on the units digit */
	struct linevec hdr;         /* header lines */
	size_t *hstart, *hcount;
	size_t hnl;                 /* header lines (max over cells) */
	struct linevec row;         /* current row's lines */
	size_t row_index;           /* the current row (lay_box.src) */
	size_t *rstart, *rcount;
	/* Current page segment of the grid. */
	int open;
	double seg_top;             /* y of the segment's top rule */
	double pend_y;              /* y of the last row's bottom rule */
	int pend;
};

static const char *
cell_text(const struct doc_table *t, size_t r, size_t c)
{
	const char *s = t->cells[r * t->ncols + c];

	if (s == NULL)
		s = t->missing ? t->missing : "—";
	return s;
}

/* 1 if cell (r, c) was computed (a 合计/小计 cell, an expression
 * column): one a reviewer may look for (lay_locate_cell). */
static int
cell_computed(const struct doc_table *t, size_t r, size_t c)
{
	if (t->prov == NULL || r * t->ncols + c >= LAY_SRC_CELL)
		return 0;
	return t->src_rows == NULL || t->src_cols == NULL ||
	    t->src_rows[r] == SIZE_MAX || t->src_cols[c] < 0;
}

static const char *
head_text(const struct doc_table *t, size_t c)
{
	return t->headers && t->headers[c] ? t->headers[c] : "";
}

/* Widest unbreakable segment of s (natural width nat). */
static double
min_segment(struct lay *L, const char *s, enum font_role role, double pt,
    double nat)
{
	struct text *tx = &L->tx;
	size_t c, a = 0;
	double best = 0, w;
	int any = 0;

	text_load(tx, s, strlen(s));
	for (c = 0; c + 1 < tx->n; c++)
		if (tx->brk[c] != BRK_NO)
			any = 1;
	if (!any)
		return nat;
	for (c = 0; c < tx->n; c++) {
		if (tx->brk[c] == BRK_NO && c + 1 < tx->n)
			continue;
		w = measure(L, role, pt, s + tx->off[a],
		    tx->off[c + 1] - tx->off[a]);
		if (w > best)
			best = w;
		a = c + 1;
	}
	return best;
}

/* Breaks the cell text s (natural width nat) into lines of at most w,
 * appended to lv; lines refer to bytes of s.  A cell that fits is one
 * line without any per-character measuring. */
static void
cell_lines(struct lay *L, const char *s, enum font_role role, double pt,
    double nat, double w, struct linevec *lv, size_t *start, size_t *count)
{
	size_t len = strlen(s);
	struct line *ln;

	*start = lv->n;
	if (len == 0) {
		*count = 0;
		return;
	}
	if (nat <= w + EPS && memchr(s, '\n', len) == NULL) {
		ln = lv_push(lv);
		ln->b0 = 0;
		ln->b1 = len;
		ln->natural = nat;
		ln->flags = LN_LAST;
		*count = 1;
		return;
	}
	text_load(&L->tx, s, len);
	text_measure(L->m, &L->tx, role, pt);
	break_greedy(&L->tx, w, w, 0, 0, pt, 1, lv);
	*count = lv->n - *start;
}

static int is_number_text(const char *s);

/* The width of the decimal part of a number cell, from its point to the
 * end (".35", ".5%"); 0 for an integer or text. */
static double
frac_width(struct lay *L, enum font_role role, double pt, const char *s)
{
	const char *p;

	if (!is_number_text(s) || (p = strchr(s, '.')) == NULL)
		return 0;
	return measure(L, role, pt, p, strlen(p));
}

/* Emits the text of one row's cells, lines [a, b) of the row, at the
 * row top y0.  A whole row (centre) is centred vertically per cell;
 * a part of a split row is top-aligned. */
static void
emit_cells(struct lay *L, struct tbl *T, const struct linevec *lv,
    const size_t *start, const size_t *count, size_t nl, size_t a,
    size_t b, double y0, int header, int bold, const char *const *texts)
{
	const struct doc_table *t = T->t;
	size_t c, i;
	double base = y0 - T->vpad - (T->lh + 0.76 * T->ts) / 2;
	struct lay_box *bx;

	for (c = 0; c < t->ncols; c++) {
		double shift = 0, x, cw = T->colx[c + 1] - T->colx[c];
		enum align al = header ? ALIGN_CENTER :
		    t->aligns ? t->aligns[c] : ALIGN_LEFT;
		enum font_role role = header || bold ? ROLE_HEADING : ROLE_BODY;

		if (a == 0 && b == nl)
			shift = (double)(nl - count[c]) * T->lh / 2;
		for (i = a; i < b && i < count[c]; i++) {
			const struct line *ln = &lv->v[start[c] + i];

			if (al == ALIGN_RIGHT) {
				x = T->colx[c + 1] - T->hpad - ln->natural;
				/* Numbers line up on the units digit: one
				 * with a shorter decimal part moves left. */
				if (T->fracw[c] > 0 && count[c] == 1 &&
				    is_number_text(texts[c]))
					x -= T->fracw[c] - frac_width(L, role,
					    T->ts, texts[c]);
			}
			else if (al == ALIGN_CENTER)
				x = T->colx[c] + (cw - ln->natural) / 2;
			else
				x = T->colx[c] + T->hpad;
			bx = text_box(L, role, T->ts, x,
			    base - shift - T->lh * (double)(i - a), 0, 0,
			    texts[c] + ln->b0, ln->b1 - ln->b0);
			if (bx != NULL && !header && cell_computed(t,
			    T->row_index, c))
				set_src(L, L->r->nboxes - 1, LAY_SRC_CELL +
				    (unsigned int)(T->row_index * t->ncols + c));
		}
	}
}

/* Closes the grid segment on this page: bottom rule and verticals. */
static void
seg_close(struct lay *L, struct tbl *T)
{
	size_t c, nc = T->t->ncols;
	double right = T->colx[nc];

	if (!T->open)
		return;
	if (T->pend)
		rule_box(L, T->colx[0], T->pend_y, right, T->pend_y, 1.0);
	for (c = 0; c <= nc; c++)
		rule_box(L, T->colx[c], T->seg_top, T->colx[c], T->pend_y,
		    c == 0 || c == nc ? 1.0 : 0.5);
	T->open = 0;
	T->pend = 0;
}

/* Adds a row (or part of one) of height h at the cursor. */
static void
seg_row(struct lay *L, struct tbl *T, double h)
{
	double y0 = L->top - L->yoff;

	if (!T->open) {
		T->open = 1;
		T->seg_top = y0;
		rule_box(L, T->colx[0], y0, T->colx[T->t->ncols], y0, 1.0);
	} else if (T->pend)
		rule_box(L, T->colx[0], y0, T->colx[T->t->ncols], y0, 0.5);
	T->pend = 1;
	T->pend_y = y0 - h;
	L->yoff += h;
}

/* The label line above the grid: continued label (top left, on
 * continuation pages) and unit (right). */
static double
label_height(const struct tbl *T, int cont)
{
	return (cont && T->t->continued) || T->t->unit ? T->lh : 0;
}

static void
emit_label(struct lay *L, struct tbl *T, int cont)
{
	const struct doc_table *t = T->t;
	double h = label_height(T, cont), y;

	if (h == 0)
		return;
	y = L->top - L->yoff - (T->lh + 0.76 * T->ts) / 2;
	if (cont && t->continued)
		text_box(L, ROLE_BODY, T->ts, T->colx[0], y, 0, 0,
		    t->continued, strlen(t->continued));
	if (t->unit) {
		double w = measure(L, ROLE_BODY, T->ts, t->unit,
		    strlen(t->unit));

		text_box(L, ROLE_BODY, T->ts, T->colx[t->ncols] - w, y, 0, 0,
		    t->unit, strlen(t->unit));
	}
	L->yoff += h;
}

static double
hdr_height(const struct tbl *T)
{
	return T->t->headers ? (double)T->hnl * T->lh + 2 * T->vpad : 0;
}

static void
emit_header(struct lay *L, struct tbl *T, const char *const *htexts)
{
	double h = hdr_height(T), y0 = L->top - L->yoff;

	if (h == 0)
		return;
	seg_row(L, T, h);
	emit_cells(L, T, &T->hdr, T->hstart, T->hcount, T->hnl, 0, T->hnl,
	    y0, 1, 0, htexts);
}

/* Starts a continuation page: new page, 续表 label, repeated header. */
static void
continue_page(struct lay *L, struct tbl *T, const char *const *htexts)
{
	seg_close(L, T);
	new_page(L);
	emit_label(L, T, 1);
	emit_header(L, T, htexts);
}

/* Returns 1 if s is a number as tables print them: an optional sign or
 * currency, digits with optional thousands separators and decimals, an
 * optional percent or per-mille sign.  Numbers never wrap. */
static int
is_number_text(const char *s)
{
	size_t len = strlen(s), i = 0, k;
	uint32_t cp;
	int digits = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i < len && (k = utf8_decode(s + i, len - i, &cp)) > 0 &&
	    is_num_prefix(cp))
		i += k;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!((s[i] == ',' || s[i] == '.') && digits > 0))
			break;
	}
	if (digits == 0)
		return 0;
	if (i < len && s[i] == '%')
		i++;
	else if (i < len && (k = utf8_decode(s + i, len - i, &cp)) > 0 &&
	    (cp == 0x2030 || cp == 0xFF05))
		i += k;
	while (i < len && s[i] == ' ')
		i++;
	return i == len;
}

/* Sum over the automatic columns of clamp(lam * want, mn, want). */
static double
widths_at(const struct doc_table *t, const double *want, const double *mn,
    double lam, double *colw)
{
	size_t c;
	double sum = 0, w;

	for (c = 0; c < t->ncols; c++) {
		if (t->widths && t->widths[c] > 0)
			continue;
		w = lam * want[c];
		if (w < mn[c])
			w = mn[c];
		if (w > want[c])
			w = want[c];
		if (colw)
			colw[c] = w;
		sum += w;
	}
	return sum;
}

/* Column widths.  Fixed widths (widths[i] > 0) are kept (scaled down only
 * when they leave no room for the others).  Every automatic column first
 * gets the width of its longest content that should not wrap: a header of
 * up to 4 characters, every number cell, text cells up to a cap (6
 * characters) or their widest unbreakable segment.  When all natural
 * widths fit, the spare width is shared in proportion to them; otherwise
 * the columns whose natural width exceeds their share wrap, taking the
 * remaining width in proportion to their natural widths (each column gets
 * clamp(lam * natural, minimum, natural) with lam solved by bisection).
 * The whole always spans the block width. */
/* Applies the configured minimum and maximum widths of automatic columns:
 * a column pushed to its limit is locked there and the difference is
 * shared by the other automatic columns in proportion to their widths,
 * so the table still spans the same width.  Once nothing is free to take
 * the rest, the last automatic column takes it. */
static void
clamp_widths(const struct doc_table *t, double *colw)
{
	size_t nc = t->ncols, c, last = nc;
	char *locked;
	int it;

	if (t->min_widths == NULL && t->max_widths == NULL)
		return;
	locked = xcalloc(nc + 1, 1);
	for (c = 0; c < nc; c++)
		if (t->widths && t->widths[c] > 0)
			locked[c] = 1;
		else
			last = c;
	for (it = 0; it < 16; it++) {
		double diff = 0, freew = 0;
		int changed = 0;

		for (c = 0; c < nc; c++) {
			double lo = t->min_widths ? t->min_widths[c] : 0;
			double hi = t->max_widths ? t->max_widths[c] : 0;

			if (locked[c])
				continue;
			if (lo > 0 && colw[c] < lo - EPS) {
				diff -= lo - colw[c];
				colw[c] = lo;
				locked[c] = changed = 1;
			} else if (hi > 0 && colw[c] > hi + EPS) {
				diff += colw[c] - hi;
				colw[c] = hi;
				locked[c] = changed = 1;
			}
		}
		if (!changed)
			break;
		for (c = 0; c < nc; c++)
			if (!locked[c])
				freew += colw[c];
		if (freew <= 0) {
			if (last < nc)
				colw[last] += diff;
			break;
		}
		for (c = 0; c < nc; c++)
			if (!locked[c])
				colw[c] += diff * colw[c] / freew;
	}
	free(locked);
}

/* The limits of automatic column c, padding included: floorw (its header
 * of up to 4 characters or widest header segment, its widest number:
 * never broken), mn (also short text cells up to cap, or their widest
 * unbreakable segment: wrapped only when even these do not fit) and want
 * (its widest content unwrapped). */
static void
col_limits(struct lay *L, const struct tbl *T, size_t c, const double *hnat,
    const double *cnat, double *floorw, double *mn, double *want)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, nr = t->nrows, r;
	double cap = 6 * T->ts, pad = 2 * T->hpad, base = T->ts + pad, hw;
	const char *h = head_text(t, c);

	if (utf8_count(h, strlen(h)) <= 4)
		hw = hnat[c];
	else {
		hw = hnat[c] < 4 * T->ts ? hnat[c] : 4 * T->ts;
		if (hw < hnat[c]) {
			double seg = min_segment(L, h, ROLE_HEADING, T->ts,
			    hnat[c]);

			if (seg > hw)
				hw = seg;
		}
	}
	*floorw = hw;
	*mn = hw;
	*want = hnat[c];
	for (r = 0; r < nr; r++) {
		const char *s = cell_text(t, r, c);
		double w = cnat[r * nc + c];

		if (w > *want)
			*want = w;
		if (w <= *mn)
			continue;
		if (is_number_text(s)) {
			*mn = w;
			if (w > *floorw)
				*floorw = w;
		} else if (w <= cap)
			*mn = w;
		else {
			double seg = min_segment(L, s, t->row_bold &&
			    t->row_bold[r] ? ROLE_HEADING : ROLE_BODY, T->ts,
			    w);

			if (seg < cap)
				seg = cap;
			if (seg > *mn)
				*mn = seg;
		}
	}
	*floorw += pad;
	*mn += pad;
	*want += pad;
	if (*floorw < base)
		*floorw = base;
	if (*mn < *floorw)
		*mn = *floorw;
	if (*want < *mn)
		*want = *mn;
}

/* Shares avail among the automatic columns given their limits and sums:
 * everything unwrapped with the spare width in proportion; else the
 * wrapping columns take what is left (bisection on lam); else every
 * column between its floor and minimum, or (impossible table) scaled. */
static void
share_widths(const struct doc_table *t, const double *floorw,
    const double *mn, const double *want, double sumfloor, double summin,
    double sumwant, double avail, double *colw)
{
	size_t nc = t->ncols, c;

	if (sumwant <= avail) {
		/* Everything fits unwrapped: share the spare width. */
		for (c = 0; c < nc; c++)
			if (!(t->widths && t->widths[c] > 0))
				colw[c] = want[c] * avail / sumwant;
	} else if (summin <= avail) {
		double lo = 0, hi = 1, mid;
		int it;

		for (it = 0; it < 60; it++) {
			mid = (lo + hi) / 2;
			if (widths_at(t, want, mn, mid, NULL) > avail)
				hi = mid;
			else
				lo = mid;
		}
		widths_at(t, want, mn, lo, colw);
		/* Give the rounding remainder to the wrapping columns. */
		mid = avail - widths_at(t, want, mn, lo, NULL);
		for (c = 0; c < nc && mid > 0; c++)
			if (!(t->widths && t->widths[c] > 0) &&
			    colw[c] < want[c] - EPS) {
				colw[c] += mid;
				break;
			}
	} else {
		/* Even the minimums do not fit: wrap text at any break, then
		 * (impossible table) shrink everything in proportion. */
		for (c = 0; c < nc; c++) {
			if (t->widths && t->widths[c] > 0)
				continue;
			if (sumfloor <= avail)
				colw[c] = floorw[c] + (mn[c] - floorw[c]) *
				    (avail - sumfloor) / (summin - sumfloor);
			else
				colw[c] = floorw[c] * avail / sumfloor;
		}
	}
}

static void
table_widths(struct lay *L, struct tbl *T, const double *hnat,
    const double *cnat, double *colw)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, c;
	double bw = L->st->block_w, fixed = 0, sumwant = 0, summin = 0;
	double sumfloor = 0, avail, base = T->ts + 2 * T->hpad;
	double *want, *mn, *floorw;
	size_t nauto = 0;

	want = xcalloc(nc, sizeof(*want));
	mn = xcalloc(nc, sizeof(*mn));
	floorw = xcalloc(nc, sizeof(*floorw));
	for (c = 0; c < nc; c++) {
		if (t->widths && t->widths[c] > 0) {
			fixed += t->widths[c];
			continue;
		}
		nauto++;
		col_limits(L, T, c, hnat, cnat, &floorw[c], &mn[c], &want[c]);
		sumfloor += floorw[c];
		summin += mn[c];
		sumwant += want[c];
	}
	avail = bw - fixed;
	if (nauto > 0 && avail < (double)nauto * base) {
		/* Fixed widths leave too little: shrink them. */
		double f = fixed > 0 ? (bw - (double)nauto * base) / fixed : 0;

		if (f < 0)
			f = 0;
		fixed *= f;
		for (c = 0; c < nc; c++)
			if (t->widths && t->widths[c] > 0)
				colw[c] = t->widths[c] * f;
		avail = bw - fixed;
	} else
		for (c = 0; c < nc; c++)
			if (t->widths && t->widths[c] > 0)
				colw[c] = nauto == 0 ? t->widths[c] * bw / fixed :
				    t->widths[c];
	if (nauto > 0)
		share_widths(t, floorw, mn, want, sumfloor, summin, sumwant,
		    avail, colw);
	clamp_widths(t, colw);
	free(want);
	free(mn);
	free(floorw);
}

/* Number of cell lines that fit in a row below the cursor. */
static size_t
lines_fit(const struct lay *L, const struct tbl *T, double full)
{
	double room = (full - L->yoff - 2 * T->vpad) / T->lh + 1e-6;

	return room >= 1 ? (size_t)floor(room) : 0;
}

/* The role of row r's cells: heading (bold) for 合计/小计 rows. */
static enum font_role
row_role(const struct doc_table *t, size_t r)
{
	return t->row_bold && t->row_bold[r] ? ROLE_HEADING : ROLE_BODY;
}

/* Measures the header (hnat) and every cell (cnat, row-major) once, and
 * each right-aligned column's widest decimal part (T->fracw). */
static void
tbl_measure(struct lay *L, struct tbl *T, const char **htexts, double *hnat,
    double *cnat)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, nr = t->nrows, r, c;

	for (c = 0; c < nc; c++) {
		htexts[c] = head_text(t, c);
		hnat[c] = measure(L, ROLE_HEADING, T->ts, htexts[c],
		    strlen(htexts[c]));
	}
	for (r = 0; r < nr; r++) {
		enum font_role role = row_role(t, r);

		for (c = 0; c < nc; c++) {
			const char *s = cell_text(t, r, c);
			double f;

			cnat[r * nc + c] = measure(L, role, T->ts, s, strlen(s));
			if (t->aligns && t->aligns[c] == ALIGN_RIGHT &&
			    (f = frac_width(L, role, T->ts, s)) > T->fracw[c])
				T->fracw[c] = f;
		}
	}
}

/* Column positions (T->colx) and the header's lines.  For the widths, a
 * number aligned on its units digit takes the room of the column's
 * widest decimal part, whatever its own (the cells themselves keep their
 * natural widths). */
static void
tbl_columns(struct lay *L, struct tbl *T, const char *const *htexts,
    const double *hnat, const double *cnat)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, nr = t->nrows, r, c;
	double *wnat = NULL, *colw;

	for (c = 0; c < nc; c++) {
		if (T->fracw[c] <= 0)
			continue;
		if (wnat == NULL) {
			wnat = xreallocarray(NULL, nr * nc, sizeof(*wnat));
			memcpy(wnat, cnat, nr * nc * sizeof(*wnat));
		}
		for (r = 0; r < nr; r++) {
			const char *s = cell_text(t, r, c);

			if (is_number_text(s))
				wnat[r * nc + c] += T->fracw[c] - frac_width(L,
				    row_role(t, r), T->ts, s);
		}
	}
	colw = T->colw = xcalloc(nc, sizeof(*colw));
	table_widths(L, T, hnat, wnat ? wnat : cnat, colw);
	free(wnat);
	T->colx = xcalloc(nc + 1, sizeof(*T->colx));
	T->colx[0] = L->left;
	for (c = 0; c < nc; c++)
		T->colx[c + 1] = T->colx[c] + colw[c];
	T->colx[nc] = L->left + L->st->block_w;

	T->hstart = xcalloc(nc, sizeof(size_t));
	T->hcount = xcalloc(nc, sizeof(size_t));
	T->hnl = 1;
	for (c = 0; c < nc; c++) {
		cell_lines(L, htexts[c], ROLE_HEADING, T->ts, hnat[c],
		    colw[c] - 2 * T->hpad, &T->hdr, &T->hstart[c],
		    &T->hcount[c]);
		if (T->hcount[c] > T->hnl)
			T->hnl = T->hcount[c];
	}
}

/* Starts the table before its first row (of height h): title, unit and
 * header go on this page with that row, else all on the next page. */
static void
tbl_start(struct lay *L, struct tbl *T, const char *const *htexts, double h,
    double full)
{
	const struct style *st = L->st;
	const struct doc_table *t = T->t;
	size_t ntl = 0;
	double need;

	if (t->title && *t->title) {
		text_load(&L->tx, t->title, strlen(t->title));
		text_measure(L->m, &L->tx, ROLE_HEADING, st->table_title_size);
		L->lv.n = 0;
		break_balanced(&L->tx, st->block_w, st->table_title_size,
		    &L->lv);
		ntl = L->lv.n;
	}
	need = L->pitch * (double)(cur_slot(L) + (int)ntl) +
	    label_height(T, 0) + hdr_height(T) + h;
	if (L->yoff > 0 && need > full + EPS)
		new_page(L);
	else if (cur_slot(L) >= L->lpp)
		new_page(L);
	L->yoff = L->pitch * cur_slot(L);
	lay_centred(L, t->title, ROLE_HEADING, st->table_title_size, 0);
	emit_label(L, T, 0);
	emit_header(L, T, htexts);
}

/* Places the current row (nl lines in T->row), splitting it only if it is
 * taller than a page. */
static void
tbl_place_row(struct lay *L, struct tbl *T, const char *const *htexts,
    const char *const *rtexts, size_t nl, int bold, double full)
{
	size_t a, b, fit;
	double y0;

	for (a = 0; a < nl; a = b) {
		fit = lines_fit(L, T, full);
		if (fit == 0) {
			continue_page(L, T, htexts);
			fit = lines_fit(L, T, full);
			if (fit == 0)
				fit = 1;        /* impossible page */
		}
		b = a + fit < nl ? a + fit : nl;
		y0 = L->top - L->yoff;
		seg_row(L, T, (double)(b - a) * T->lh + 2 * T->vpad);
		emit_cells(L, T, &T->row, T->rstart, T->rcount, nl, a, b, y0,
		    0, bold, rtexts);
		if (b < nl)
			continue_page(L, T, htexts);
	}
}

/* A table without rows: its title kept with the empty text. */
static void
tbl_empty(struct lay *L, const struct doc_table *t)
{
	const struct style *st = L->st;

	/* Keep a one-line title with the first line of the text. */
	if (t->title && *t->title && L->yoff > 0 && cur_slot(L) + 2 > L->lpp)
		new_page(L);
	lay_centred(L, t->title, ROLE_HEADING, st->table_title_size, 0);
	lay_para(L, t->empty_text, ROLE_BODY, SPLIT_PARA, 0, 0);
}

/* The table geometry of lay_table for t at the style's table size. */
static void
tbl_init(struct tbl *T, const struct doc_table *t, const struct style *st)
{
	memset(T, 0, sizeof(*T));
	T->t = t;
	T->ts = st->table_size;
	T->lh = T->ts * 1.5;
	T->vpad = T->ts * 0.25;
	T->hpad = T->ts * 0.5;
}

void
lay_table_widths(const struct doc_table *t, const struct style *st,
    const struct lay_measure *m, double *colw)
{
	struct lay L;
	struct tbl T;
	size_t nc = t->ncols, nr = t->nrows;
	double *hnat, *cnat;
	const char **htexts;

	if (nc == 0)
		return;
	linebreak_init();
	memset(&L, 0, sizeof(L));
	L.st = st;
	L.m = m;
	L.left = st->margin_left;
	tbl_init(&T, t, st);
	hnat = xcalloc(nc, sizeof(*hnat));
	cnat = xreallocarray(NULL, nr > 0 ? nr * nc : 1, sizeof(*cnat));
	T.fracw = xcalloc(nc, sizeof(*T.fracw));
	htexts = xcalloc(nc, sizeof(*htexts));
	tbl_measure(&L, &T, htexts, hnat, cnat);
	tbl_columns(&L, &T, htexts, hnat, cnat);
	memcpy(colw, T.colw, nc * sizeof(*colw));
	free(hnat);
	free(cnat);
	free(htexts);
	free(T.colx);
	free(T.colw);
	free(T.fracw);
	free(T.hdr.v);
	free(T.hstart);
	free(T.hcount);
	text_free(&L.tx);
	free(L.lv.v);
}

/* Lays out a table: title, unit, grid with repeated header and 续表 on
 * continuation pages.  Each cell is measured once; cells that fit their
 * column are not measured again, so time is linear in the rows. */
void
lay_table(struct lay *L, const struct doc_table *t)
{
	struct tbl T;
	size_t nc = t->ncols, nr = t->nrows, r, c, nl;
	double *hnat, *cnat, h, full;
	const char **htexts, **rtexts;

	if (nr == 0 || nc == 0) {
		tbl_empty(L, t);
		return;
	}
	tbl_init(&T, t, L->st);
	hnat = xcalloc(nc, sizeof(*hnat));
	cnat = xreallocarray(NULL, nr * nc, sizeof(*cnat));
	T.fracw = xcalloc(nc, sizeof(*T.fracw));
	htexts = xcalloc(nc, sizeof(*htexts));
	rtexts = xcalloc(nc, sizeof(*rtexts));
	tbl_measure(L, &T, htexts, hnat, cnat);
	tbl_columns(L, &T, htexts, hnat, cnat);
	T.rstart = xcalloc(nc, sizeof(size_t));
	T.rcount = xcalloc(nc, sizeof(size_t));
	full = L->pitch * L->lpp;

	for (r = 0; r < nr; r++) {
		int bold = t->row_bold && t->row_bold[r];

		if (nr >= 1000)
			diag_progress("laying out table row", (long)r + 1,
			    (long)nr);
		lay_flush(L, 0);
		T.row.n = 0;
		T.row_index = r;
		nl = 1;
		for (c = 0; c < nc; c++) {
			rtexts[c] = cell_text(t, r, c);
			cell_lines(L, rtexts[c], row_role(t, r), T.ts,
			    cnat[r * nc + c], T.colw[c] - 2 * T.hpad, &T.row,
			    &T.rstart[c], &T.rcount[c]);
			if (T.rcount[c] > nl)
				nl = T.rcount[c];
		}
		h = (double)nl * T.lh + 2 * T.vpad;
		if (r == 0)
			tbl_start(L, &T, htexts, h, full);
		else if (L->yoff + h > full + EPS)
			continue_page(L, &T, htexts);
		tbl_place_row(L, &T, htexts, rtexts, nl, bold, full);
	}
	seg_close(L, &T);

	free(hnat);
	free(cnat);
	free(htexts);
	free(rtexts);
	free(T.colx);
	free(T.colw);
	free(T.fracw);
	free(T.hdr.v);
	free(T.row.v);
	free(T.hstart);
	free(T.hcount);
	free(T.rstart);
	free(T.rcount);
}
