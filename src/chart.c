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
 * above the baseline.  Category labels are horizontal while the widest
 * fits its slot; else rotated 45° counter-clockwise, ending at the
 * category's centre; two rotated labels d apart are clear of each other
 * when d sin 45° exceeds the label height, else only every k-th label is
 * shown. */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "util.h"

#define SIN45 0.70710678118654752
#define MARKER 4.5              /* side of a line marker, points */
#define LINE_W 1.2              /* width of a data line */
#define OUTLINE_W 0.5           /* bar outlines, markers, axes */
#define GRID_W 0.3
#define GRID_GRAY 0.8
#define MIN_VALUE_PT 5.5        /* smaller value labels are left out */

/* Fill of the bar series, in order: distinct in greyscale print. */
static const double bar_grays[] = { 0.25, 0.55, 0.8, 0.4, 0.95, 0.1 };
/* Line series: dash length (0 = solid) and marker fill. */
static const double line_dashes[] = { 0, 4, 1.5, 8 };
static const double marker_grays[] = { 0, 1, 0.55, 0.8 };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

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
static int
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

/* ---- boxes --------------------------------------------------------------- */

struct cx {
	const struct lay_chart *c;
	const struct lay_measure *m;
	const struct chart_sink *out;
	int page;
};

static double
text_w(const struct cx *X, double size, const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	return X->m->width(X->m->arg, ROLE_BODY, size, s, strlen(s));
}

static void
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

static void
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
static void
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
static int
value_at(const struct chart_series *s, size_t i, double *v)
{
	if (s->values == NULL || (s->present != NULL && !s->present[i]) ||
	    !isfinite(s->values[i]))
		return 0;
	*v = s->values[i];
	return 1;
}

/* Copies s, shortened with "…" until it is at most maxw wide at size. */
static char *
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
static char *
unit_text(const char *u)
{
	if (u == NULL || *u == '\0')
		return NULL;
	if (strncmp(u, "单位", strlen("单位")) == 0)
		return xstrdup(u);
	return xasprintf("单位：%s", u);
}

/* ---- legend ------------------------------------------------------------- */

struct legend {
	size_t n;
	double *w;                  /* item widths, swatch included */
	double total;               /* one row, gaps included */
	double sw, gap, pad;        /* swatch width, item gap, swatch-text */
};

static void
legend_measure(const struct cx *X, double fs, struct legend *lg)
{
	const struct lay_chart *c = X->c;
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
static int
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
	const struct chart_series *s = &X->c->series[i];
	double h = 0.7 * fs;

	if (s->style == SERIES_BAR)
		put_rect(X, x + 0.2 * fs, cy - h / 2, x + lg->sw - 0.2 * fs,
		    cy + h / 2, bar_grays[bar_index % NELEM(bar_grays)],
		    OUTLINE_W);
	else {
		put_rule(X, x, cy, x + lg->sw, cy, LINE_W, 0,
		    line_dashes[line_index % NELEM(line_dashes)]);
		put_rect(X, x + lg->sw / 2 - MARKER / 2, cy - MARKER / 2,
		    x + lg->sw / 2 + MARKER / 2, cy + MARKER / 2,
		    marker_grays[line_index % NELEM(marker_grays)], OUTLINE_W);
	}
	put_text(X, fs, x + lg->sw + lg->pad, cy - 0.38 * fs, 0, s->name);
}

/* Sets the legend in rows of width w starting at (x, cy of first row),
 * each row right-aligned (align 2) or centred (align 1); rows are rh
 * apart. */
static void
legend_draw(const struct cx *X, const struct legend *lg, double fs,
    double x, double w, double cy, double rh, int align)
{
	size_t i = 0, j, bi = 0, li = 0;
	int *bidx = xcalloc(lg->n + 1, sizeof(int));
	int *lidx = xcalloc(lg->n + 1, sizeof(int));

	for (j = 0; j < lg->n; j++) {
		if (X->c->series[j].style == SERIES_BAR)
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

/* Axis-parallel rectangles already taken. */
struct rects {
	double *v;                  /* x0 y0 x1 y1 per rectangle */
	size_t n, cap;
};

static void
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

static int
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
static void
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
chart_layout(const struct lay_chart *c, const struct style *st,
    const struct lay_measure *m, int page, double x, double y_top,
    double w, double h, const struct chart_sink *out)
{
	struct cx X = { c, m, out, page };
	const double fs = CHART_LABEL_PT;
	double vs = CHART_VALUE_PT;
	size_t ncats = c->ncats, i, s;
	size_t nbars = 0, nlines = 0;
	double lo = HUGE_VAL, hi = -HUGE_VAL, v, first, step, top_tick;
	int nt, target, dec, k = 1, rotate = 0, it, any_neg = 0;
	char **ticks, **cats, *unit;
	char num[64];
	double ylw = 0, uw, pl, pr, slot = 0, maxcw = 0, pad = 0.3 * fs;
	double rowh = 1.5 * fs, ytop_in, ybot_in, legend_top_h = 0;
	double plot_top, plot_bot, xlab_h, xgap, head, yz;
	double group_w = 0, bw = 0, zero_y;
	int bar_lab = 0, bar_rot = 0, line_lab = 0, line_rot = 0;
	double maxbarlw = 0, maxlinelw = 0, val_ext_up = 0, val_ext_dn = 0;
	int legend_top = 0, legend_rows_below = 0, attempt, labels_on;
	double cap, min_plot;
	struct legend lg;

	(void)st;
	if (ncats > 0 && c->cats == NULL)
		ncats = 0;

	/* Series kinds and the data range (bars stand on zero). */
	for (s = 0; s < c->nseries; s++) {
		const struct chart_series *se = &c->series[s];

		if (se->style == SERIES_BAR)
			nbars++;
		else
			nlines++;
		for (i = 0; i < ncats; i++)
			if (value_at(se, i, &v)) {
				lo = fmin(lo, v);
				hi = fmax(hi, v);
				if (v < 0)
					any_neg = 1;
			}
	}
	if (lo > hi) {
		lo = 0;
		hi = 1;
	}
	if (nbars > 0) {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
	}
	target = h >= 150 ? 5 : h >= 100 ? 4 : h >= 60 ? 3 : 2;
	nt = 0;
	ticks = NULL;

	/* Top row: unit and legend; the legend goes below the plot when
	 * it does not fit beside the unit. */
	unit = unit_text(c->unit);
	uw = text_w(&X, fs, unit);
	legend_measure(&X, fs, &lg);
	if (lg.n > 0 && (uw > 0 ? uw + 2 * fs : 0) + lg.total <= w)
		legend_top = 1;
	else if (lg.n > 0)
		legend_rows_below = legend_rows(&lg, w);

	/* Horizontal (y labels, plot, categories, value labels) and
	 * vertical layout; when the plot would be too low, first the value
	 * labels are left out, then rotated category labels are shortened. */
	cap = fmax(0.4 * h / SIN45 - 0.5 * fs, 3 * fs);
	labels_on = c->value_labels;
	min_plot = fmax(2 * fs, 0.25 * h);
	cats = xcalloc(ncats + 1, sizeof(*cats));
	for (attempt = 0;; attempt++) {
		/* Ticks and their labels. */
		for (it = 0; it < nt; it++)
			free(ticks[it]);
		free(ticks);
		chart_ticks(lo, hi, target, &first, &step, &nt);
		top_tick = first + step * (nt - 1);
		dec = tick_decimals(step);
		ticks = xcalloc((size_t)nt, sizeof(*ticks));
		ylw = 0;
		for (it = 0; it < nt; it++) {
			double tv = first + step * it;

			if (fabs(tv) < step * 1e-6)
				tv = 0;
			ticks[it] = xstrdup(chart_format(tv, dec, num,
			    sizeof(num)));
			ylw = fmax(ylw, text_w(&X, fs, ticks[it]));
		}

		pl = x + ylw + 0.5 * fs;
		pr = x + w - 0.5 * fs;
		for (i = 0; i < ncats; i++) {
			free(cats[i]);
			cats[i] = xstrdup(c->cats[i] ? c->cats[i] : "");
		}
		slot = maxcw = 0;
		rotate = 0;
		k = 1;
		for (it = 0; it < 6 && ncats > 0; it++) {
			double minx = x, deficit;

			slot = (pr - pl) / (double)ncats;
			maxcw = 0;
			for (i = 0; i < ncats; i++)
				maxcw = fmax(maxcw, text_w(&X, fs, cats[i]));
			rotate = maxcw > slot - 0.4 * fs;
			k = 1;
			if (rotate) {
				for (i = 0; i < ncats; i++) {
					char *t = shorten(&X, cats[i], fs, cap);

					free(cats[i]);
					cats[i] = t;
				}
				maxcw = 0;
				for (i = 0; i < ncats; i++)
					maxcw = fmax(maxcw, text_w(&X, fs,
					    cats[i]));
				while ((double)k * slot * SIN45 < 1.15 * fs &&
				    (size_t)k < ncats)
					k++;
				for (i = 0; i < ncats; i += (size_t)k) {
					double cxi = pl + ((double)i + 0.5) *
					    slot;

					minx = fmin(minx, cxi - text_w(&X, fs,
					    cats[i]) * SIN45 - 0.36 * fs);
				}
			} else {
				for (i = 0; i < ncats; i++) {
					double cxi = pl + ((double)i + 0.5) *
					    slot;

					minx = fmin(minx, cxi - text_w(&X, fs,
					    cats[i]) / 2);
				}
			}
			deficit = x - minx;
			if (deficit <= 1e-6 || pr - pl - deficit < w * 0.4)
				break;
			pl += deficit;
		}
		if (ncats > 0)
			slot = (pr - pl) / (double)ncats;

		/* Bars and value labels across. */
		group_w = bw = 0;
		if (nbars > 0 && ncats > 0) {
			group_w = slot * (nbars == 1 ? 0.55 : 0.75);
			bw = group_w / (double)nbars;
		}
		vs = CHART_VALUE_PT;
		bar_lab = bar_rot = line_lab = line_rot = 0;
		maxbarlw = maxlinelw = val_ext_up = val_ext_dn = 0;
		for (s = 0; s < c->nseries && labels_on; s++)
			for (i = 0; i < ncats; i++) {
				double lw;

				if (!value_at(&c->series[s], i, &v))
					continue;
				lw = text_w(&X, vs, chart_format(v, -1, num,
				    sizeof(num)));
				if (c->series[s].style == SERIES_BAR)
					maxbarlw = fmax(maxbarlw, lw);
				else
					maxlinelw = fmax(maxlinelw, lw);
			}
		if (nbars > 0 && maxbarlw > 0) {
			bar_lab = 1;
			if (maxbarlw > bw - 1) {
				bar_rot = 1;
				if (vs > bw - 1) {
					/* rotated labels one bar wide */
					double nvs = bw - 1;

					if (nvs < MIN_VALUE_PT)
						bar_lab = bar_rot = 0;
					else {
						maxbarlw *= nvs / vs;
						maxlinelw *= nvs / vs;
						vs = nvs;
					}
				}
			}
		}
		if (nlines > 0 && maxlinelw > 0) {
			line_lab = 1;
			line_rot = maxlinelw > slot - 1;
		}
		if (bar_lab) {
			val_ext_up = fmax(val_ext_up, 2 + (bar_rot ? maxbarlw :
			    vs));
			if (any_neg)
				val_ext_dn = fmax(val_ext_dn, 2 + (bar_rot ?
				    maxbarlw : vs));
		}
		if (line_lab)
			val_ext_up = fmax(val_ext_up, MARKER / 2 + 2 +
			    (line_rot ? maxlinelw : vs));

		/* Vertical. */
		ytop_in = y_top - pad;
		ybot_in = y_top - h + 2.5 * pad;  /* clear of the next line */
		if (legend_top || uw > 0)
			legend_top_h = rowh;
		head = fmax(0.6 * fs, val_ext_up);
		plot_top = ytop_in - legend_top_h - head;
		xgap = 0.36 * fs + 0.2 * fs + val_ext_dn;
		if (ncats == 0)
			xlab_h = xgap;
		else if (rotate)
			xlab_h = xgap + 0.36 * fs + (maxcw + 0.5 * fs) * SIN45;
		else
			xlab_h = xgap + fs;
		plot_bot = ybot_in + (double)legend_rows_below * rowh + xlab_h;
		if (attempt >= 6)
			break;
		if ((plot_top - plot_bot) / (nt - 1) < 1.5 * fs && target > 2) {
			/* fewer ticks for a low plot */
			int t2 = (int)floor((plot_top - plot_bot) / (1.8 * fs));

			target = t2 < target ? (t2 < 2 ? 2 : t2) : target - 1;
			continue;
		}
		if (plot_top - plot_bot >= min_plot)
			break;
		if (labels_on)
			labels_on = 0;
		else if (rotate && maxcw > 2 * fs)
			cap = fmax(2 * fs, maxcw - (min_plot -
			    (plot_top - plot_bot)) / SIN45);
		else
			break;
	}
	if (plot_top - plot_bot < 1) {
		/* No room at all: a flat plot rather than boxes outside. */
		plot_top = plot_bot + 1;
	}

#define YV(val) (plot_bot + ((val) - first) / (top_tick - first) * \
	(plot_top - plot_bot))

	/* Grid lines and tick labels. */
	zero_y = first <= 0 && top_tick >= 0 ? YV(0.0) : plot_bot;
	{
		/* Label every k-th tick (counting from zero) when they are
		 * closer than their height. */
		double sp = (plot_top - plot_bot) / (nt - 1);
		int every = sp >= 1.1 * fs ? 1 : (int)ceil(1.1 * fs / fmax(sp,
		    1e-3));
		int i0 = (int)lround(-first / step);

		for (it = 0; it < nt; it++) {
			double ty = YV(first + step * it);

			if (fabs(ty - zero_y) > 0.01)
				put_rule(&X, pl, ty, pr, ty, GRID_W, GRID_GRAY,
				    0);
			if (((it - i0) % every + every) % every == 0)
				put_text(&X, fs, pl - 0.4 * fs - text_w(&X, fs,
				    ticks[it]), ty - 0.38 * fs, 0, ticks[it]);
		}
	}

	/* Bars. */
	yz = zero_y;
	if (nbars > 0 && ncats > 0) {
		size_t bi = 0;

		for (s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			double gray = bar_grays[bi % NELEM(bar_grays)];

			if (se->style != SERIES_BAR)
				continue;
			for (i = 0; i < ncats; i++) {
				double bx, by;

				if (!value_at(se, i, &v))
					continue;
				bx = pl + ((double)i + 0.5) * slot - group_w / 2 +
				    (double)bi * bw;
				by = YV(v);
				put_rect(&X, bx, yz, bx + bw, by, gray,
				    OUTLINE_W);
			}
			bi++;
		}
	}

	/* Axes over the bars' outlines. */
	put_rule(&X, pl, plot_bot, pl, plot_top, OUTLINE_W, 0, 0);
	put_rule(&X, pl, zero_y, pr, zero_y, OUTLINE_W, 0, 0);

	/* Lines and markers. */
	if (nlines > 0 && ncats > 0) {
		size_t li = 0;

		for (s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			double dash = line_dashes[li % NELEM(line_dashes)];
			double mg = marker_grays[li % NELEM(marker_grays)];
			double pv;

			if (se->style != SERIES_LINE)
				continue;
			for (i = 0; i + 1 < ncats; i++)
				if (value_at(se, i, &pv) &&
				    value_at(se, i + 1, &v))
					put_rule(&X, pl + ((double)i + 0.5) *
					    slot, YV(pv), pl + ((double)i +
					    1.5) * slot, YV(v), LINE_W, 0,
					    dash);
			for (i = 0; i < ncats; i++) {
				double px, py;

				if (!value_at(se, i, &v))
					continue;
				px = pl + ((double)i + 0.5) * slot;
				py = YV(v);
				put_rect(&X, px - MARKER / 2, py - MARKER / 2,
				    px + MARKER / 2, py + MARKER / 2, mg,
				    OUTLINE_W);
			}
			li++;
		}
	}

	/* Value labels: bars' first (they never collide: one bar wide),
	 * then the lines', above the point or else below it, clear of the
	 * labels already placed and preferably of the bars; a line label
	 * with no clear place is left out.  Each label is knocked out of
	 * the lines and grid below it by a white rectangle. */
	if (bar_lab || line_lab) {
		struct rects placed = { 0 }, bars = { 0 };
		size_t bi = 0;

		for (s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];

			if (se->style != SERIES_BAR)
				continue;
			for (i = 0; i < ncats && ncats > 0; i++) {
				double bx;

				if (!value_at(se, i, &v))
					continue;
				bx = pl + ((double)i + 0.5) * slot - group_w / 2 +
				    (double)bi * bw;
				rects_add(&bars, bx, fmin(yz, YV(v)), bx + bw,
				    fmax(yz, YV(v)));
			}
			bi++;
		}
		bi = 0;
		for (s = 0; s < c->nseries && bar_lab; s++) {
			const struct chart_series *se = &c->series[s];

			if (se->style != SERIES_BAR)
				continue;
			for (i = 0; i < ncats; i++) {
				double cxv, yv, lw, lh, y0;

				if (!value_at(se, i, &v))
					continue;
				chart_format(v, -1, num, sizeof(num));
				lw = text_w(&X, vs, num);
				lh = bar_rot ? lw : vs;
				yv = YV(v);
				cxv = pl + ((double)i + 0.5) * slot -
				    group_w / 2 + ((double)bi + 0.5) * bw;
				y0 = v < 0 ? yv - 2 - lh : yv + 2;
				value_label(&X, &placed, vs, cxv, y0, lw,
				    bar_rot, num);
			}
			bi++;
		}
		for (s = 0; s < c->nseries && line_lab; s++) {
			const struct chart_series *se = &c->series[s];

			if (se->style != SERIES_LINE)
				continue;
			for (i = 0; i < ncats; i++) {
				double cxv, yv, lw, lh, cand[2], lx0, lx1;
				int j, best = -1, clear_bars = 0;

				if (!value_at(se, i, &v))
					continue;
				chart_format(v, -1, num, sizeof(num));
				lw = text_w(&X, vs, num);
				lh = line_rot ? lw : vs;
				yv = YV(v);
				cxv = pl + ((double)i + 0.5) * slot;
				lx0 = cxv - (line_rot ? vs : lw) / 2;
				lx1 = cxv + (line_rot ? vs : lw) / 2;
				cand[0] = yv + MARKER / 2 + 2;
				cand[1] = yv - MARKER / 2 - 2 - lh;
				for (j = 0; j < 2; j++) {
					int cb;

					if (cand[j] + lh > plot_top + head ||
					    cand[j] < plot_bot)
						continue;
					if (rects_hit(&placed, lx0, cand[j], lx1,
					    cand[j] + lh))
						continue;
					cb = !rects_hit(&bars, lx0, cand[j], lx1,
					    cand[j] + lh);
					if (best < 0 || (cb && !clear_bars)) {
						best = j;
						clear_bars = cb;
					}
				}
				if (best >= 0)
					value_label(&X, &placed, vs, cxv,
					    cand[best], lw, line_rot, num);
			}
		}
		free(placed.v);
		free(bars.v);
	}

	/* Category labels. */
	for (i = 0; i < ncats; i += (size_t)k) {
		double cxi = pl + ((double)i + 0.5) * slot, lw;
		double ay = plot_bot - xgap;

		lw = text_w(&X, fs, cats[i]);
		if (rotate) {
			/* Ends at (cxi, ay - 0.36 fs): baseline start is back
			 * along the text and down by its centre height. */
			double ex = cxi, ey = ay - 0.36 * fs;
			double bx = ex - lw * SIN45 + 0.38 * fs * SIN45;
			double by = ey - lw * SIN45 - 0.38 * fs * SIN45;

			put_text(&X, fs, bx, by, 45, cats[i]);
		} else
			put_text(&X, fs, cxi - lw / 2, ay - 0.88 * fs, 0,
			    cats[i]);
	}

	/* Unit and legend. */
	if (uw > 0)
		put_text(&X, fs, x, ytop_in - rowh / 2 - 0.38 * fs, 0, unit);
	if (legend_top)
		legend_draw(&X, &lg, fs, x, w, ytop_in - rowh / 2, rowh, 2);
	else if (legend_rows_below > 0)
		legend_draw(&X, &lg, fs, x, w, ybot_in + (double)
		    legend_rows_below * rowh - rowh / 2, rowh, 1);
#undef YV

	for (it = 0; it < nt; it++)
		free(ticks[it]);
	free(ticks);
	for (i = 0; i < ncats; i++)
		free(cats[i]);
	free(cats);
	free(unit);
	free(lg.w);
}
