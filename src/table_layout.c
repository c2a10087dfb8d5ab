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

#include "bigmem.h"
#include "config.h"
#include "diag.h"
#include "util.h"

/* The break statuses of cells, so that a cell is analysed for breaks
 * (text_load: libunibreak, the clreq rules) once, not again when it is
 * broken into lines: col_limits's first pass (min_segment) records every
 * body cell it analyses; its later passes and cell_lines read them
 * back.  A cell's statuses depend on its text only (not on the size or
 * the column width), so what was recorded at one size holds at every
 * other.  Row r's records start at row[r]: a mask of (ncols + 7) / 8
 * bytes (bit c: cell c is recorded), then per recorded cell in column
 * order its character count n (2 bytes, host order) and its n statuses
 * (tx->brk, BRK_*: 2 bits each, four to a byte from the low bits, (n + 3)
 * / 4 bytes).  Grows with the rows: big blocks (bigmem.h), written in
 * one pass, read one row at a time. */
struct brkcache {
	size_t *row;                /* nrows offsets into buf */
	unsigned char *buf;
	size_t n, cap;              /* bytes used, allocated */
	int done;                   /* recorded: col_limits's first pass ran */
};

/* The statuses text_load gave a cell before (bk_get: n of them, packed
 * as in struct brkcache), v NULL for none. */
struct brk {
	const unsigned char *v;
	size_t n;
};

/* The widths of the decimal parts of numbers (frac_width) at the current
 * size: a ledger's cells have a few hundred (".00" to ".99"), each
 * measured once per size instead of once per cell.  Direct-mapped on the
 * part's bytes; key 0: empty. */
#define FRAC_SLOTS 256
struct fraccache {
	uint64_t key[FRAC_SLOTS];   /* FRAC_KEY of the part, role */
	double w[FRAC_SLOTS];
};

/* Table geometry and per-row scratch. */
struct tbl {
	const struct doc_table *t;
	double ts, lh, vpad, hpad;
	double *colx;               /* ncols + 1 */
	double *colw;               /* ncols: widths as computed */
	double *fracw;              /* ncols: widest decimal part (".35%")
	                               of the column's numbers, so right-aligned
	                               numbers line up on the units digit */
	unsigned char *segfit;      /* nr * ncols bits, a big block (bigmem.h),
	                               NULL until col_limits needs them: 1
	                               when the cell's widest unbreakable
	                               segment was below SEG_FIT ems at a
	                               size tried (col_limits) */
	struct linevec hdr;         /* header lines */
	size_t *hstart, *hcount;
	size_t hnl;                 /* header lines (max over cells) */
	struct brkcache *bk;        /* NULL: none (lay_table_widths) */
	struct fraccache fc;        /* emptied with each size (tbl_reset) */
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

/* The role of row r's cells: heading (bold) for 合计/小计 rows. */
static enum font_role
row_role(const struct doc_table *t, size_t r)
{
	return t->row_bold && t->row_bold[r] ? ROLE_HEADING : ROLE_BODY;
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

/* Appends n bytes to the cache's buffer; returns where they go. */
static unsigned char *
bk_grow(struct brkcache *bk, size_t n)
{
	unsigned char *p;

	if (bk->cap - bk->n < n) {
		size_t cap = bk->cap ? 2 * bk->cap : 4096;

		while (cap - bk->n < n)
			cap *= 2;
		bk->buf = big_realloc(bk->buf, cap);
		bk->cap = cap;
	}
	p = bk->buf + bk->n;
	bk->n += n;
	return p;
}

/* Starts row r's records (rows in order, while recording). */
static void
bk_row(struct brkcache *bk, size_t r, size_t nc)
{
	bk->row[r] = bk->n;
	memset(bk_grow(bk, (nc + 7) / 8), 0, (nc + 7) / 8);
}

/* Records the statuses of cell c of row r, the row begun last, loaded
 * in tx by text_load (cells in column order).  A cell of 65,536
 * characters or more is not recorded. */
static void
bk_put(struct brkcache *bk, size_t r, size_t c, const struct text *tx)
{
	uint16_t n = (uint16_t)tx->n;
	unsigned char *p;
	size_t k;

	if (tx->n > UINT16_MAX)
		return;
	p = bk_grow(bk, sizeof(n) + (tx->n + 3) / 4);
	memcpy(p, &n, sizeof(n));
	p += sizeof(n);
	memset(p, 0, (tx->n + 3) / 4);
	for (k = 0; k < tx->n; k++)
		p[k / 4] |= (unsigned char)((tx->brk[k] & 3u) << k % 4 * 2);
	bk->buf[bk->row[r] + c / 8] |= (unsigned char)(1u << c % 8);
}

/* The recorded statuses of cell (r, c); none (v NULL) when there is no
 * cache, nothing is recorded yet or the cell was not analysed.  Valid
 * until the cache records more. */
static struct brk
bk_get(const struct brkcache *bk, size_t r, size_t c, size_t nc)
{
	struct brk b = { NULL, 0 };
	const unsigned char *p, *mask;
	size_t k;
	uint16_t len;

	if (bk == NULL || !bk->done)
		return b;
	mask = bk->buf + bk->row[r];
	if (!(mask[c / 8] & 1u << c % 8))
		return b;
	p = mask + (nc + 7) / 8;
	for (k = 0; k < c; k++)
		if (mask[k / 8] & 1u << k % 8) {
			memcpy(&len, p, sizeof(len));
			p += sizeof(len) + ((size_t)len + 3) / 4;
		}
	memcpy(&len, p, sizeof(len));
	b.v = p + sizeof(len);
	b.n = len;
	return b;
}

/* Loads s into L->tx as text_load does; with brk.v set (the statuses
 * text_load gave s before), without analysing s again. */
static void
load_text(struct lay *L, const char *s, size_t len, struct brk brk)
{
	size_t k;

	if (brk.v != NULL) {
		text_decode(&L->tx, s, len);
		if (L->tx.n == brk.n) {
			for (k = 0; k < brk.n; k++)
				L->tx.brk[k] = brk.v[k / 4] >> k % 4 * 2 & 3;
			return;
		}
	}
	text_load(&L->tx, s, len);
}

/* Widest unbreakable segment of s (natural width nat); s is left loaded
 * in L->tx (load_text, brk as there). */
static double
min_segment(struct lay *L, const char *s, enum font_role role, double pt,
    double nat, struct brk brk)
{
	struct text *tx = &L->tx;
	size_t c, a = 0;
	double best = 0, w;
	int any = 0;

	load_text(L, s, strlen(s), brk);
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
 * line without any per-character measuring.  Every line of a cell starts
 * at the margin (no indent): one that starts with an opening mark gets
 * its line.lead (emit_cells applies it to left-aligned cells).  brk: as
 * load_text's. */
static void
cell_lines(struct lay *L, const char *s, enum font_role role, double pt,
    double nat, double w, struct brk brk, struct linevec *lv,
    size_t *start, size_t *count)
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
		/* An opening mark is 3 bytes from E2 (“‘), E3 (「『《〈【〔〖)
		 * or EF (（［｛): other cells are not decoded. */
		if ((unsigned char)s[0] == 0xE2 || (unsigned char)s[0] == 0xE3 ||
		    (unsigned char)s[0] == 0xEF)
			ln->lead = text_lead(L->m, role, pt, s, len);
		*count = 1;
		return;
	}
	load_text(L, s, len, brk);
	text_measure(L->m, &L->tx, role, pt);
	break_greedy(&L->tx, w, w, 0, 0, pt, BG_LONE | BG_LEAD1, lv);
	*count = lv->n - *start;
}

static int is_number_text(const char *s, size_t len);

/* The width at T->ts of the decimal part of a number cell s (len bytes),
 * from its point to the end (".35", ".5%"); 0 for an integer or text.
 * A part of up to 7 bytes is measured once per size (T->fc). */
static double
frac_width(struct lay *L, struct tbl *T, enum font_role role, const char *s,
    size_t len)
{
	const char *p;
	size_t n, k;
	uint64_t key;

	if (!is_number_text(s, len) || (p = memchr(s, '.', len)) == NULL)
		return 0;
	n = len - (size_t)(p - s);
	if (n > 7)
		return measure(L, role, T->ts, p, n);
	/* bytes, then the length and the role: never 0 (n >= 1) */
	key = (uint64_t)n << 56 | (uint64_t)role << 59;
	for (k = 0; k < n; k++)
		key |= (uint64_t)(unsigned char)p[k] << 8 * k;
	k = (size_t)((key ^ key >> 29) * (uint64_t)0x9E3779B97F4A7C15u >>
	    56) % FRAC_SLOTS;
	if (T->fc.key[k] != key) {
		T->fc.key[k] = key;
		T->fc.w[k] = measure(L, role, T->ts, p, n);
	}
	return T->fc.w[k];
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
				size_t n;

				x = T->colx[c + 1] - T->hpad - ln->natural;
				/* Numbers line up on the units digit: one
				 * with a shorter decimal part moves left. */
				if (T->fracw[c] > 0 && count[c] == 1 &&
				    is_number_text(texts[c], n =
				    strlen(texts[c])))
					x -= T->fracw[c] - frac_width(L, T,
					    role, texts[c], n);
			}
			else if (al == ALIGN_CENTER)
				x = T->colx[c] + (cw - ln->natural) / 2;
			else    /* an opening mark's blank half left of the
				   padding (clreq 行首标点挤压) */
				x = T->colx[c] + T->hpad - ln->lead;
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

/* Returns 1 if s (len bytes) is a number as tables print them: an
 * optional sign or currency, digits with optional thousands separators
 * and decimals, an optional percent or per-mille sign.  Numbers never
 * wrap. */
static int
is_number_text(const char *s, size_t len)
{
	size_t i = 0, k;
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

/* Returns 1 if s is a date as tables print them: 2021年12月31日, 2021年12月,
 * 12月31日, 2021-12-31, 2021/12/31, 2021.12.31.  Dates never wrap. */
static int
is_date_text(const char *s)
{
	static const char *const units[] = { "年", "月", "日" };
	size_t i = 0, len = strlen(s), k;
	int groups = 0, digits, seps = 0;
	char sep = 0;

	while (i < len) {
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0 || digits > 4)
			return 0;
		groups++;
		if (i == len)
			break;
		for (k = 0; k < 3; k++)
			if (strncmp(s + i, units[k], strlen(units[k])) == 0)
				break;
		if (k < 3) {
			i += strlen(units[k]);
			continue;
		}
		if ((s[i] == '-' || s[i] == '/' || s[i] == '.') &&
		    (sep == 0 || sep == s[i])) {
			sep = s[i++];
			seps++;
			continue;
		}
		return 0;
	}
	return groups >= 2 && groups <= 3 && (sep == 0 || seps == groups - 1);
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
 * up to 4 characters, every number and date cell, text cells up to a cap
 * (6 characters) or their widest unbreakable segment.  When all natural
 * widths fit, the spare width is shared in proportion to them; otherwise
 * the columns whose natural width exceeds their share wrap, taking the
 * remaining width in proportion to their natural widths (each column gets
 * clamp(lam * natural, minimum, natural) with lam solved by bisection).
 * The whole always spans the block width. */
/* Applies the configured minimum and maximum widths of automatic columns:
 * a column pushed to its limit is locked there and the difference is
 * shared by the other automatic columns in proportion to their widths,
 * none going below its floor (a number, a date or a short header never
 * breaks), so the table still spans the same width.  Once nothing is
 * free to take the rest, the last automatic column takes what is left
 * over, and width that is missing comes from the automatic columns above
 * their floor and minimum (the caller finds a column below its floor
 * when even that is not enough). */
static void
clamp_widths(const struct doc_table *t, double *colw, const double *floorw)
{
	size_t nc = t->ncols, c, last = nc;
	char *locked;
	int it;
	double span = 0, total = 0, slack = 0;

	if (t->min_widths == NULL && t->max_widths == NULL)
		return;
	for (c = 0; c < nc; c++)
		span += colw[c];
	locked = xcalloc(nc + 1, 1);
	for (c = 0; c < nc; c++)
		if (t->widths && t->widths[c] > 0)
			locked[c] = 1;
		else
			last = c;
	for (it = 0; it < 64; it++) {
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
			} else if (it > 0 && colw[c] < floorw[c] - EPS) {
				diff -= floorw[c] - colw[c];
				colw[c] = floorw[c];
				locked[c] = changed = 1;
			}
		}
		if (!changed)
			break;
		for (c = 0; c < nc; c++)
			if (!locked[c])
				freew += colw[c];
		if (freew <= 0) {
			if (last < nc && diff > 0)
				colw[last] += diff;
			break;
		}
		for (c = 0; c < nc; c++)
			if (!locked[c])
				colw[c] += diff * colw[c] / freew;
	}
	/* Wider than the block (the others at their floors): the automatic
	 * columns above their floor and minimum give back the excess. */
	for (c = 0; c < nc; c++) {
		total += colw[c];
		if (!(t->widths && t->widths[c] > 0))
			slack += fmax(0, colw[c] - fmax(floorw[c],
			    t->min_widths ? t->min_widths[c] : 0));
	}
	if (total > span + EPS && slack > EPS) {
		double take = fmin(total - span, slack) / slack;

		for (c = 0; c < nc; c++)
			if (!(t->widths && t->widths[c] > 0))
				colw[c] -= take * fmax(0, colw[c] -
				    fmax(floorw[c], t->min_widths ?
				    t->min_widths[c] : 0));
	}
	free(locked);
}

/* A cell whose widest unbreakable segment is below SEG_FIT ems at one
 * size is below the 6 em floor of col_limits at every size: widths are
 * proportional to the size (fnt_width: font units times pt), the margin
 * takes rounding.  col_limits then need not analyse it again. */
#define SEG_FIT 5.9

/* The limits of the automatic columns, padding included, in one pass
 * over the rows (row-major: each row's cells are read once, and
 * big_tick(1) per row lets the cells and cnat of the rows passed leave
 * memory); per column c, the same as a pass over column c alone: floorw[c]
 * (its header of up to 4 characters or widest header segment, its widest
 * number: never broken), mn[c] (also short text cells up to cap, or their
 * widest unbreakable segment: wrapped only when even these do not fit)
 * and want[c] (its widest content unwrapped).  cnat is each cell's
 * natural width (tbl_measure); a number in a column with a decimal part
 * to line up (T->fracw[c] > 0) counts with the column's widest decimal
 * part instead of its own. */
static void
col_limits(struct lay *L, struct tbl *T, const double *hnat,
    const double *cnat, double *floorw, double *mn, double *want)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, nr = t->nrows, r, c;
	double cap = 6 * T->ts, pad = 2 * T->hpad, base = T->ts + pad, hw;
	struct brk nobrk = { NULL, 0 };
	struct brkcache *rec = T->bk != NULL && !T->bk->done ? T->bk : NULL;

	for (c = 0; c < nc; c++) {
		const char *h = head_text(t, c);

		if (utf8_count(h, strlen(h)) <= 4)
			hw = hnat[c];
		else {
			hw = hnat[c] < 4 * T->ts ? hnat[c] : 4 * T->ts;
			if (hw < hnat[c]) {
				double seg = min_segment(L, h, ROLE_HEADING,
				    T->ts, hnat[c], nobrk);

				if (seg > hw)
					hw = seg;
			}
		}
		floorw[c] = hw;
		mn[c] = hw;
		want[c] = hnat[c];
	}
	for (r = 0; r < nr; r++) {
		if (rec != NULL)
			bk_row(rec, r, nc);
		for (c = 0; c < nc; c++) {
			const char *s = cell_text(t, r, c);
			double w = cnat[r * nc + c];
			int num = -1;   /* is_number_text(s), -1: not asked */
			size_t len = 0; /* strlen(s) when num >= 0 */

			if (T->fracw[c] > 0 &&
			    (num = is_number_text(s, len = strlen(s))))
				w += T->fracw[c] - frac_width(L, T,
				    row_role(t, r), s, len);
			if (w > want[c])
				want[c] = w;
			if (w <= mn[c])
				continue;
			if (num < 0)
				num = is_number_text(s, strlen(s));
			if (num || is_date_text(s)) {
				mn[c] = w;
				if (w > floorw[c])
					floorw[c] = w;
			} else if (w <= cap)
				mn[c] = w;
			else {
				size_t bit = r * nc + c;
				double seg = cap;

				if (T->segfit == NULL)
					T->segfit = big_calloc(nr * nc / 8 + 1,
					    1);
				if (!(T->segfit[bit / 8] & 1u << bit % 8)) {
					seg = min_segment(L, s, row_role(t, r),
					    T->ts, w, bk_get(T->bk, r, c, nc));
					if (rec != NULL)
						bk_put(rec, r, c, &L->tx);
					if (seg < SEG_FIT * T->ts)
						T->segfit[bit / 8] |=
						    (unsigned char)
						    (1u << bit % 8);
				}
				if (seg < cap)
					seg = cap;
				if (seg > mn[c])
					mn[c] = seg;
			}
		}
		big_tick(1);
	}
	if (rec != NULL)
		rec->done = 1;
	for (c = 0; c < nc; c++) {
		floorw[c] += pad;
		mn[c] += pad;
		want[c] += pad;
		if (floorw[c] < base)
			floorw[c] = base;
		if (mn[c] < floorw[c])
			mn[c] = floorw[c];
		if (want[c] < mn[c])
			want[c] = mn[c];
	}
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

/* How well a table's content fits the block at a size (table_widths). */
enum fit {
	FIT_OK,         /* nothing that must stay whole breaks */
	FIT_WRAP,       /* short text cells wrap (numbers, dates, short
	                   headers stay whole) */
	FIT_BREAK       /* a number, a date or a short header would break */
};

/* Computes the column widths colw (spanning the block) and returns how
 * the content fits; for FIT_BREAK caused by a configured width (fixed,
 * minimum or maximum), *culprit is that column, else nc. */
static enum fit
table_widths(struct lay *L, struct tbl *T, const double *hnat,
    const double *cnat, double *colw, size_t *culprit)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, c;
	double bw = L->st->block_w, fixed = 0, sumwant = 0, summin = 0;
	double sumfloor = 0, avail, base = T->ts + 2 * T->hpad, total = 0;
	double *want, *mn, *floorw;
	size_t nauto = 0;
	enum fit fit;

	want = xcalloc(nc, sizeof(*want));
	mn = xcalloc(nc, sizeof(*mn));
	floorw = xcalloc(nc, sizeof(*floorw));
	*culprit = nc;
	col_limits(L, T, hnat, cnat, floorw, mn, want);
	for (c = 0; c < nc; c++) {
		if (t->widths && t->widths[c] > 0) {
			fixed += t->widths[c];
			continue;
		}
		nauto++;
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
	clamp_widths(t, colw, floorw);
	fit = nauto > 0 && summin > avail + EPS ? FIT_WRAP : FIT_OK;
	for (c = 0; c < nc; c++)
		total += colw[c];
	for (c = 0; c < nc; c++)
		if (colw[c] < floorw[c] - EPS || total > bw + EPS) {
			fit = FIT_BREAK;
			break;
		}
	if (fit == FIT_BREAK && t->def != NULL) {
		/* A configured width to blame: the column's own fixed or
		 * maximum width below its floor, else the first fixed or
		 * minimum width that takes the others' room. */
		for (c = 0; c < nc && *culprit == nc; c++)
			if (colw[c] < floorw[c] - EPS &&
			    ((t->widths && t->widths[c] > 0) ||
			    (t->max_widths && t->max_widths[c] > 0 &&
			    t->max_widths[c] < floorw[c] - EPS)))
				*culprit = c;
		for (c = 0; c < nc && *culprit == nc; c++)
			if ((t->widths && t->widths[c] > 0) ||
			    (t->min_widths && t->min_widths[c] > 0))
				*culprit = c;
	}
	free(want);
	free(mn);
	free(floorw);
	return fit;
}

/* Number of cell lines that fit in a row below the cursor. */
static size_t
lines_fit(const struct lay *L, const struct tbl *T, double full)
{
	double room = (full - L->yoff - 2 * T->vpad) / T->lh + 1e-6;

	return room >= 1 ? (size_t)floor(room) : 0;
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
	big_use(cnat);          /* written anew at each size tried */
	for (r = 0; r < nr; r++) {
		enum font_role role = row_role(t, r);

		for (c = 0; c < nc; c++) {
			const char *s = cell_text(t, r, c);
			size_t len = strlen(s);
			double f;

			cnat[r * nc + c] = measure(L, role, T->ts, s, len);
			if (t->aligns && t->aligns[c] == ALIGN_RIGHT &&
			    (f = frac_width(L, T, role, s, len)) > T->fracw[c])
				T->fracw[c] = f;
		}
		big_tick(1);
	}
}

/* Column positions (T->colx) and the header's lines.  For the widths, a
 * number aligned on its units digit takes the room of the column's
 * widest decimal part, whatever its own (col_limits; the cells
 * themselves keep their natural widths). */
static enum fit
tbl_columns(struct lay *L, struct tbl *T, const char *const *htexts,
    const double *hnat, const double *cnat, size_t *culprit)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, c;
	double *colw;
	enum fit fit;
	struct brk nobrk = { NULL, 0 };

	colw = T->colw = xcalloc(nc, sizeof(*colw));
	fit = table_widths(L, T, hnat, cnat, colw, culprit);
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
		    colw[c] - 2 * T->hpad, nobrk, &T->hdr, &T->hstart[c],
		    &T->hcount[c]);
		if (T->hcount[c] > T->hnl)
			T->hnl = T->hcount[c];
	}
	return fit;
}

/* Starts the table before its first rows (of height h: the first three,
 * or all there are): title, unit and header go on this page with them,
 * else all on the next page (never a header and one row at a foot). */
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
	size_t nc = t->ncols, nr = t->nrows, culprit;
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
	cnat = big_reallocarray(NULL, nr > 0 ? nr * nc : 1, sizeof(*cnat));
	T.fracw = xcalloc(nc, sizeof(*T.fracw));
	htexts = xcalloc(nc, sizeof(*htexts));
	tbl_measure(&L, &T, htexts, hnat, cnat);
	tbl_columns(&L, &T, htexts, hnat, cnat, &culprit);
	memcpy(colw, T.colw, nc * sizeof(*colw));
	free(hnat);
	big_free(cnat);
	free(htexts);
	free(T.colx);
	free(T.colw);
	free(T.fracw);
	big_free(T.segfit);
	free(T.hdr.v);
	free(T.hstart);
	free(T.hcount);
	text_free(&L.tx);
	free(L.lv.v);
}

/* Breaks row r's cells into lines (T->row, T->rstart, T->rcount, texts
 * in rtexts) and returns its number of lines. */
static size_t
row_lines(struct lay *L, struct tbl *T, size_t r, const double *cnat,
    const char **rtexts)
{
	const struct doc_table *t = T->t;
	size_t nc = t->ncols, c, nl = 1;

	T->row.n = 0;
	for (c = 0; c < nc; c++) {
		rtexts[c] = cell_text(t, r, c);
		cell_lines(L, rtexts[c], row_role(t, r), T->ts, cnat[r * nc + c],
		    T->colw[c] - 2 * T->hpad, bk_get(T->bk, r, c, nc), &T->row,
		    &T->rstart[c], &T->rcount[c]);
		if (T->rcount[c] > nl)
			nl = T->rcount[c];
	}
	return nl;
}

/* Height of rows [a, b). */
static double
rows_height(struct lay *L, struct tbl *T, size_t a, size_t b,
    const double *cnat, const char **rtexts)
{
	double h = 0;

	for (; a < b; a++)
		h += (double)row_lines(L, T, a, cnat, rtexts) * T->lh +
		    2 * T->vpad;
	return h;
}

/* The first row of the table's tail: its last two body rows and the
 * 合计/小计 rows after them, which the last 续表 page keeps together. */
static size_t
tail_start(const struct doc_table *t)
{
	size_t r = t->nrows;
	int body = 0;

	while (r > 0 && body < 2)
		if (!(t->row_bold && t->row_bold[--r]))
			body++;
	return r;
}

/* Frees what tbl_columns and tbl_measure made for one type size. */
static void
tbl_reset(struct tbl *T)
{
	free(T->colx);
	free(T->colw);
	free(T->hstart);
	free(T->hcount);
	T->colx = T->colw = NULL;
	T->hstart = T->hcount = NULL;
	T->hdr.n = 0;
	memset(T->fracw, 0, T->t->ncols * sizeof(*T->fracw));
	memset(&T->fc, 0, sizeof(T->fc));
}

/* Reports that table t does not fit: a configuration error when a
 * configured width of column c (< ncols) breaks a number, a date or a
 * short header (sets L->failed), else a warning. */
static void
tbl_report(struct lay *L, const struct doc_table *t, enum fit fit,
    size_t c, double ts)
{
	const struct cfg_table *d = t->def;
	char *sec = xasprintf("table.%s", d ? d->name : "?");
	char key[32];
	struct diag_loc loc = { d ? d->path : NULL, 0, 0, sec, NULL };

	if (fit == FIT_BREAK && c < t->ncols && d != NULL) {
		if (c >= t->ncols - d->ncols)
			snprintf(key, sizeof(key), "col%zu",
			    c - (t->ncols - d->ncols) + 1);
		else
			snprintf(key, sizeof(key), "number");
		loc.key = key;
		diag_error(EXIT_USAGE, &loc, "the width of column \"%s\" would "
		    "break a number, a date or a short header even at %g pt "
		    "([layout] table_min_size); widen it or leave it automatic",
		    head_text(t, c), ts);
		L->failed = 1;
	} else if (fit == FIT_BREAK)
		diag_warn(&loc, "table \"%s\" does not fit the text block even "
		    "at %g pt ([layout] table_min_size): numbers or short "
		    "headers are broken; leave out a column or shorten them",
		    d ? d->name : "?", ts);
	else
		diag_warn(&loc, "table \"%s\" does not fit the text block even "
		    "at %g pt ([layout] table_min_size): short cells wrap",
		    d ? d->name : "?", ts);
	free(sec);
}

/* Measures the table and sets its columns at the largest size from
 * table_size down to table_min_size (by ½ pt) at which the content fits
 * (tbl_report otherwise).  Returns -1 after a configuration error. */
static int
tbl_fit(struct lay *L, struct tbl *T, const char **htexts, double *hnat,
    double *cnat)
{
	const struct style *st = L->st;
	double ts = st->table_size;
	double floor = st->table_min_size > 0 && st->table_min_size < ts ?
	    st->table_min_size : ts;
	enum fit fit;
	size_t culprit;

	for (;;) {
		T->ts = ts;
		T->lh = ts * 1.5;
		T->vpad = ts * 0.25;
		T->hpad = ts * 0.5;
		tbl_measure(L, T, htexts, hnat, cnat);
		fit = tbl_columns(L, T, htexts, hnat, cnat, &culprit);
		if (fit == FIT_OK || ts <= floor + EPS)
			break;
		tbl_reset(T);
		ts = ts - 0.5 < floor ? floor : ts - 0.5;
	}
	if (fit != FIT_OK)
		tbl_report(L, T->t, fit, culprit, ts);
	return fit == FIT_BREAK && culprit < T->t->ncols ? -1 : 0;
}

/* Lays out a table: title, unit, grid with repeated header and 续表 on
 * continuation pages.  The table starts where its first three rows fit
 * with the header; its tail (the last two body rows and the 合计 after
 * them) stays together on the last page.  Each cell is measured once per
 * type size tried and analysed for breaks once (struct brkcache); cells
 * that fit their column are not measured again, so time is linear in
 * the rows.  What grows with the rows (the cells' natural widths, the
 * break statuses, segfit) is in big blocks, passed over in row order
 * with big_tick(1) per row. */
void
lay_table(struct lay *L, const struct doc_table *t)
{
	struct tbl T;
	size_t nc = t->ncols, nr = t->nrows, r, nl, tail;
	double *hnat, *cnat, h, full, htail = 0;
	const char **htexts, **rtexts;
	int cont = 0;

	if (nr == 0 || nc == 0) {
		tbl_empty(L, t);
		return;
	}
	tbl_init(&T, t, L->st);
	hnat = xcalloc(nc, sizeof(*hnat));
	cnat = big_reallocarray(NULL, nr * nc, sizeof(*cnat));
	T.fracw = xcalloc(nc, sizeof(*T.fracw));
	htexts = xcalloc(nc, sizeof(*htexts));
	rtexts = xcalloc(nc, sizeof(*rtexts));
	T.rstart = xcalloc(nc, sizeof(size_t));
	T.rcount = xcalloc(nc, sizeof(size_t));
	T.bk = xcalloc(1, sizeof(*T.bk));
	T.bk->row = big_reallocarray(NULL, nr, sizeof(*T.bk->row));
	full = L->pitch * L->lpp;
	if (tbl_fit(L, &T, htexts, hnat, cnat) != 0)
		goto out;
	tail = tail_start(t);
	if (tail > 3)
		htail = rows_height(L, &T, tail, nr, cnat, rtexts);

	for (r = 0; r < nr; r++) {
		int bold = t->row_bold && t->row_bold[r];

		if (nr >= 1000)
			diag_progress("laying out table row", (long)r + 1,
			    (long)nr);
		lay_flush(L, 0);
		if (r == 0)
			tbl_start(L, &T, htexts, rows_height(L, &T, 0,
			    nr < 3 ? nr : 3, cnat, rtexts), full);
		nl = row_lines(L, &T, r, cnat, rtexts);
		T.row_index = r;
		h = (double)nl * T.lh + 2 * T.vpad;
		if (r > 0 && L->yoff + h > full + EPS) {
			continue_page(L, &T, htexts);
			cont = 1;
		} else if (r == tail && r > 0 && htail > 0 &&
		    L->yoff + htail > full + EPS &&
		    label_height(&T, 1) + hdr_height(&T) + htail <= full &&
		    (cont || r >= 3)) {
			/* The tail would be split: it goes together to the
			 * last page. */
			continue_page(L, &T, htexts);
			cont = 1;
		}
		tbl_place_row(L, &T, htexts, rtexts, nl, bold, full);
		big_tick(1);
	}
	seg_close(L, &T);
out:
	free(hnat);
	big_free(cnat);
	free(htexts);
	free(rtexts);
	free(T.colx);
	free(T.colw);
	free(T.fracw);
	big_free(T.segfit);
	free(T.hdr.v);
	free(T.row.v);
	free(T.hstart);
	free(T.hcount);
	free(T.rstart);
	free(T.rcount);
	big_free(T.bk->row);
	big_free(T.bk->buf);
	free(T.bk);
}
