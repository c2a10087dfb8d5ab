/* Chart: bar and line charts as layout boxes (see chart.h).
 *
 * A chart is laid out inside a frame that layout.c reserves on the grid.
 * Top to bottom: a row with the unit ("单位：亿元", left, above the y
 * axis) and the legend (right); headroom for value labels; the plot with
 * grid lines at the y ticks; the category labels; the legend again when
 * it did not fit on the top row.  Bars of several series are grouped per
 * category and filled with distinct grey levels with a thin black
 * outline; lines are black, one dash pattern per series, with square
 * markers, broken where a value is missing.  All series share one y axis.
 *
 * Label geometry: a text box at size s has its ideographic em box from
 * -0.12 s to +0.88 s about the baseline, so its vertical centre is 0.38 s
 * above the baseline.  Category labels are horizontal when they fit:
 * on one line, else wrapped onto 2 or 3 lines by the layout's line
 * breaker, else on every 2nd or 3rd category only (the first and the
 * last always labelled); only when none of that fits are they rotated
 * 45° counter-clockwise, ending at the category's centre; two rotated
 * labels d apart are clear of each other when d sin 45° exceeds the
 * label height, else only every k-th label is shown.
 *
 * This file: ticks, number format, the drawing primitives, the legend and
 * chart_layout, which sizes the chart (chart_fit.c) then draws it
 * (chart_draw.c). */
#include "chart_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Fill of the bar series, in order: distinct in greyscale print. */
const double chart_bar_grays[6] = { 0.25, 0.55, 0.8, 0.4, 0.95, 0.1 };
/* Line series: dash length (0 = solid) and marker fill. */
const double chart_line_dashes[4] = { 0, 4, 1.5, 8 };
const double chart_marker_grays[4] = { 0, 1, 0.55, 0.8 };

/* ---- ticks and numbers ------------------------------------------------- */

void
chart_ticks(double lo, double hi, int target, double *first, double *step,
    int *nticks)
{
	double raw, mag, f, st, a, b, t;

	if (!isfinite(lo) && !isfinite(hi))
		lo = hi = 0;
	else if (!isfinite(lo))
		lo = hi;
	else if (!isfinite(hi))
		hi = lo;
	if (lo > hi) {
		t = lo;
		lo = hi;
		hi = t;
	}
	if (target < 2)
		target = 2;
	if (target > 20)
		target = 20;
	if (lo == hi) {
		/* One value: from zero to it (or 0..1 for zero). */
		if (lo > 0)
			lo = 0;
		else if (hi < 0)
			hi = 0;
		else
			hi = 1;
	} else if (lo > 0 && lo <= hi / 2)
		lo = 0;                 /* zero is near: start there */
	else if (hi < 0 && hi >= lo / 2)
		hi = 0;
	raw = (hi - lo) / target;
	if (!(raw > 0) || !isfinite(raw))
		raw = 1;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	st = (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) *
	    mag;
	a = floor(lo / st + 1e-9);
	b = ceil(hi / st - 1e-9);
	if (b <= a)
		b = a + 1;
	*first = a * st;
	if (*first == 0)
		*first = 0;             /* not -0 */
	*step = st;
	*nticks = (int)(b - a) + 1;
}

/* Decimals that tell apart ticks step apart (steps are 1, 2, 5 × 10^k). */
int
tick_decimals(double step)
{
	double d = ceil(-log10(step) - 1e-9);

	return d > 0 ? (int)d : 0;
}

char *
chart_format(double v, int dec, char *buf, size_t n)
{
	char tmp[400], *p, *dot;
	size_t len, ilen, i, o;
	int trim = dec < 0, neg;
	double pw, r;

	if (n == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, n, "—");
		return buf;
	}
	if (trim)
		dec = 2;
	if (dec > 6)
		dec = 6;
	pw = pow(10, dec);
	r = round(v * pw + (v >= 0 ? 1e-7 : -1e-7));
	neg = r < 0;
	if (fabs(r) / pw >= 1e17 || fabs(v) >= 1e17)
		snprintf(tmp, sizeof(tmp), "%.*f", dec, fabs(v));
	else
		snprintf(tmp, sizeof(tmp), "%.*f", dec, fabs(r) / pw);
	if (trim && (dot = strchr(tmp, '.')) != NULL) {
		len = strlen(tmp);
		while (len > 0 && tmp[len - 1] == '0')
			tmp[--len] = '\0';
		if (len > 0 && tmp[len - 1] == '.')
			tmp[--len] = '\0';
	}
	dot = strchr(tmp, '.');
	ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	o = 0;
	p = buf;
	if (neg && o + 1 < n)
		p[o++] = '-';
	for (i = 0; tmp[i] != '\0' && o + 1 < n; i++) {
		if (i > 0 && i < ilen && (ilen - i) % 3 == 0 &&
		    fabs(r) / pw >= 10000) {
			p[o++] = ',';
			if (o + 1 >= n)
				break;
		}
		p[o++] = tmp[i];
	}
	p[o] = '\0';
	return buf;
}

/* The decimals of series s's value labels: its own (decimals >= 0), else
 * the fewest (up to 2) that print every value of the series exactly as
 * chart_format's trimmed form would: one number of decimals per series,
 * 35.05 / 24.80 / 0.60 rather than 35.05 / 24.8 / 0.6. */
int
chart_series_decimals(const struct doc_series *s, size_t ncats)
{
	size_t i;
	int dec = 0;
	double v;

	if (s->decimals >= 0)
		return s->decimals > 6 ? 6 : s->decimals;
	for (i = 0; i < ncats && dec < 2; i++) {
		char num[64], *dot;

		if (!value_at(s, i, &v))
			continue;
		chart_format(v, -1, num, sizeof(num));
		if ((dot = strchr(num, '.')) != NULL &&
		    (int)strlen(dot + 1) > dec)
			dec = (int)strlen(dot + 1);
	}
	return dec;
}

/* ---- boxes --------------------------------------------------------------- */

double
text_w(const struct cx *X, double size, const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	return X->m->width(X->m->arg, ROLE_BODY, size, s, strlen(s));
}

void
put_text(const struct cx *X, double size, double x, double y, double angle,
    const char *s)
{
	struct lay_box *b;

	if (s == NULL || *s == '\0')
		return;
	b = X->out->box(X->out->arg);
	b->page = X->page;
	b->kind = LAY_BOX_TEXT;
	b->role = ROLE_BODY;
	b->size = size;
	b->x = x;
	b->y = y;
	b->angle = angle;
	b->text = X->out->text(X->out->arg, s, strlen(s));
}

void
put_rule(const struct cx *X, double x, double y, double x2, double y2,
    double w, double gray, double dash)
{
	struct lay_box *b = X->out->box(X->out->arg);

	b->page = X->page;
	b->kind = LAY_BOX_RULE;
	b->role = ROLE_BODY;
	b->x = x;
	b->y = y;
	b->x2 = x2;
	b->y2 = y2;
	b->line_width = w;
	b->gray = gray;
	b->dash = dash;
}

/* A rectangle, stored with (x, y) its lower left corner. */
void
put_rect(const struct cx *X, double x, double y, double x2, double y2,
    double gray, double lw)
{
	struct lay_box *b = X->out->box(X->out->arg);

	b->page = X->page;
	b->kind = LAY_BOX_RECT;
	b->role = ROLE_BODY;
	b->x = fmin(x, x2);
	b->y = fmin(y, y2);
	b->x2 = fmax(x, x2);
	b->y2 = fmax(y, y2);
	b->gray = gray;
	b->line_width = lw;
}

/* ---- data ---------------------------------------------------------------- */

/* The value of series s at category i, if present and finite. */
int
value_at(const struct doc_series *s, size_t i, double *v)
{
	if (s->values == NULL || (s->present != NULL && !s->present[i]) ||
	    !isfinite(s->values[i]))
		return 0;
	*v = s->values[i];
	return 1;
}

/* Copies s, shortened with "…" until it is at most maxw wide at size. */
char *
shorten(const struct cx *X, const char *s, double size, double maxw)
{
	char *t = xstrdup(s), *e;
	size_t len = strlen(t);
	struct strbuf sb;

	if (text_w(X, size, t) <= maxw)
		return t;
	sb_init(&sb);
	while (len > 0) {
		/* drop the last code point */
		do
			len--;
		while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80);
		sb_clear(&sb);
		sb_addn(&sb, t, len);
		sb_adds(&sb, "…");
		if (text_w(X, size, sb_str(&sb)) <= maxw)
			break;
	}
	free(t);
	e = sb_detach(&sb);
	return e;
}

/* "单位：亿元" from "亿元" (kept as is when it already says 单位). */
char *
unit_text(const char *u)
{
	if (u == NULL || *u == '\0')
		return NULL;
	if (strncmp(u, "单位", strlen("单位")) == 0)
		return xstrdup(u);
	return xasprintf("单位：%s", u);
}

/* ---- legend ------------------------------------------------------------- */

void
legend_measure(const struct cx *X, double fs, struct legend *lg)
{
	const struct doc_chart *c = X->c;
	size_t i;

	lg->n = c->nseries;
	lg->w = xcalloc(lg->n + 1, sizeof(*lg->w));
	lg->sw = 1.6 * fs;
	lg->gap = 1.2 * fs;
	lg->pad = 0.3 * fs;
	lg->total = 0;
	for (i = 0; i < lg->n; i++) {
		lg->w[i] = lg->sw + lg->pad + text_w(X, fs, c->series[i].name);
		lg->total += lg->w[i] + (i > 0 ? lg->gap : 0);
	}
}

/* Rows needed to set the legend within width w (greedy). */
int
legend_rows(const struct legend *lg, double w)
{
	size_t i;
	double acc = 0;
	int rows = lg->n > 0;

	for (i = 0; i < lg->n; i++) {
		if (acc > 0 && acc + lg->gap + lg->w[i] > w) {
			rows++;
			acc = 0;
		}
		acc += (acc > 0 ? lg->gap : 0) + lg->w[i];
	}
	return rows;
}

/* Draws one legend item with its swatch starting at x; cy is the centre
 * of the row. */
static void
legend_item(const struct cx *X, const struct legend *lg, double fs,
    size_t i, double x, double cy, int bar_index, int line_index)
{
	const struct doc_series *s = &X->c->series[i];
	double h = 0.7 * fs;

	if (s->style == DOC_SERIES_BAR)
		put_rect(X, x + 0.2 * fs, cy - h / 2, x + lg->sw - 0.2 * fs,
		    cy + h / 2, chart_bar_grays[bar_index % NELEM(chart_bar_grays)],
		    OUTLINE_W);
	else {
		put_rule(X, x, cy, x + lg->sw, cy, LINE_W, 0,
		    chart_line_dashes[line_index % NELEM(chart_line_dashes)]);
		put_rect(X, x + lg->sw / 2 - MARKER / 2, cy - MARKER / 2,
		    x + lg->sw / 2 + MARKER / 2, cy + MARKER / 2,
		    chart_marker_grays[line_index % NELEM(chart_marker_grays)], OUTLINE_W);
	}
	put_text(X, fs, x + lg->sw + lg->pad, cy - 0.38 * fs, 0, s->name);
}

/* Sets the legend in rows of width w starting at (x, cy of first row),
 * each row right-aligned (align 2) or centred (align 1); rows are rh
 * apart. */
void
legend_draw(const struct cx *X, const struct legend *lg, double fs,
    double x, double w, double cy, double rh, int align)
{
	size_t i = 0, j, bi = 0, li = 0;
	int *bidx = xcalloc(lg->n + 1, sizeof(int));
	int *lidx = xcalloc(lg->n + 1, sizeof(int));

	for (j = 0; j < lg->n; j++) {
		if (X->c->series[j].style == DOC_SERIES_BAR)
			bidx[j] = (int)bi++;
		else
			lidx[j] = (int)li++;
	}
	while (i < lg->n) {
		double acc = lg->w[i], xx;
		size_t e = i + 1;

		while (e < lg->n && acc + lg->gap + lg->w[e] <= w) {
			acc += lg->gap + lg->w[e];
			e++;
		}
		xx = align == 2 ? x + w - acc : x + (w - acc) / 2;
		for (j = i; j < e; j++) {
			legend_item(X, lg, fs, j, xx, cy, bidx[j], lidx[j]);
			xx += lg->w[j] + lg->gap;
		}
		cy -= rh;
		i = e;
	}
	free(bidx);
	free(lidx);
}

/* ---- value labels --------------------------------------------------------- */

void
rects_add(struct rects *r, double x0, double y0, double x1, double y1)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = xreallocarray(r->v, r->cap, 4 * sizeof(*r->v));
	}
	r->v[4 * r->n] = x0;
	r->v[4 * r->n + 1] = y0;
	r->v[4 * r->n + 2] = x1;
	r->v[4 * r->n + 3] = y1;
	r->n++;
}

int
rects_hit(const struct rects *r, double x0, double y0, double x1, double y1)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const double *q = &r->v[4 * i];

		if (x0 < q[2] && q[0] < x1 && y0 < q[3] && q[1] < y1)
			return 1;
	}
	return 0;
}

/* A value label centred on cx with its bottom at y0: lw wide at size
 * vs, or turned 90° (reading upwards, lw high) when rot; on a white
 * ground one point larger. */
void
value_label(const struct cx *X, struct rects *placed, double vs, double cx,
    double y0, double lw, int rot, const char *s)
{
	double hw = (rot ? vs : lw) / 2, h = rot ? lw : vs;

	put_rect(X, cx - hw - 1, y0 - 1, cx + hw + 1, y0 + h + 1, 1, 0);
	if (rot)
		put_text(X, vs, cx + 0.38 * vs, y0, 90, s);
	else
		put_text(X, vs, cx - hw, y0 + 0.12 * vs, 0, s);
	rects_add(placed, cx - hw, y0, cx + hw, y0 + h);
}

/* ---- the chart ----------------------------------------------------------- */

void
chart_layout(const struct doc_chart *c, const struct style *st,
    const struct lay_measure *m, int page, double x, double y_top,
    double w, double h, const struct chart_sink *out)
{
	struct cx X = { c, m, out, page };
	struct chart_geo G;

	(void)st;
	chart_fit(&X, &G, x, y_top, w, h);
	draw_grid(&X, &G);
	draw_bars(&X, &G);
	draw_lines(&X, &G);
	draw_value_labels(&X, &G);
	draw_categories(&X, &G);
	draw_unit_legend(&X, &G);
	chart_geo_free(&G);
}
