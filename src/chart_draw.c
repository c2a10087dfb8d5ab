/* Chart drawing (see chart_int.h): the boxes of a chart whose geometry
 * chart_fit computed, in drawing order: grid lines and tick labels, bars,
 * axes over the bars' outlines, lines and markers, value labels,
 * category labels, unit and legend.  Bars of several series are grouped
 * per category and filled with distinct grey levels with a thin black
 * outline; lines are black, one dash pattern per series, with square
 * markers, broken where a value is missing. */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

/* Grid lines at the ticks; a label at every k-th tick (counting from
 * zero) when they are closer than their height. */
void
draw_grid(const struct cx *X, const struct chart_geo *G)
{
	const double fs = CHART_LABEL_PT;
	double sp = (G->plot_top - G->plot_bot) / (G->nt - 1);
	int every = sp >= 1.1 * fs ? 1 : (int)ceil(1.1 * fs / fmax(sp, 1e-3));
	int i0 = (int)lround(-G->first / G->step), it;

	for (it = 0; it < G->nt; it++) {
		double ty = chart_y(G, G->first + G->step * it);

		if (fabs(ty - G->zero_y) > 0.01)
			put_rule(X, G->pl, ty, G->pr, ty, GRID_W, GRID_GRAY, 0);
		if (((it - i0) % every + every) % every == 0)
			put_text(X, fs, G->pl - 0.4 * fs - text_w(X, fs,
			    G->ticks[it]), ty - 0.38 * fs, 0, G->ticks[it]);
	}
}

/* The left edge of bar bi of category i. */
static double
bar_x(const struct chart_geo *G, size_t i, size_t bi)
{
	return G->pl + ((double)i + 0.5) * G->slot - G->group_w / 2 +
	    (double)bi * G->bw;
}

/* Bars, then the axes over their outlines. */
void
draw_bars(const struct cx *X, const struct chart_geo *G)
{
	const struct doc_chart *c = X->c;
	size_t s, i, bi = 0;
	double v;

	for (s = 0; s < c->nseries && G->nbars > 0 && G->ncats > 0; s++) {
		const struct doc_series *se = &c->series[s];
		double gray = chart_bar_grays[bi % NELEM(chart_bar_grays)];

		if (se->style != DOC_SERIES_BAR)
			continue;
		for (i = 0; i < G->ncats; i++) {
			double bx;

			if (!value_at(se, i, &v))
				continue;
			bx = bar_x(G, i, bi);
			put_rect(X, bx, G->zero_y, bx + G->bw, chart_y(G, v),
			    gray, OUTLINE_W);
		}
		bi++;
	}
	put_rule(X, G->pl, G->plot_bot, G->pl, G->plot_top, OUTLINE_W, 0, 0);
	put_rule(X, G->pl, G->zero_y, G->pr, G->zero_y, OUTLINE_W, 0, 0);
}

/* Lines and markers. */
void
draw_lines(const struct cx *X, const struct chart_geo *G)
{
	const struct doc_chart *c = X->c;
	size_t s, i, li = 0;
	double v, pv;

	if (G->nlines == 0 || G->ncats == 0)
		return;
	for (s = 0; s < c->nseries; s++) {
		const struct doc_series *se = &c->series[s];
		double dash = chart_line_dashes[li % NELEM(chart_line_dashes)];
		double mg = chart_marker_grays[li % NELEM(chart_marker_grays)];

		if (se->style != DOC_SERIES_LINE)
			continue;
		for (i = 0; i + 1 < G->ncats; i++)
			if (value_at(se, i, &pv) && value_at(se, i + 1, &v))
				put_rule(X, G->pl + ((double)i + 0.5) * G->slot,
				    chart_y(G, pv), G->pl + ((double)i + 1.5) *
				    G->slot, chart_y(G, v), LINE_W, 0, dash);
		for (i = 0; i < G->ncats; i++) {
			double px, py;

			if (!value_at(se, i, &v))
				continue;
			px = G->pl + ((double)i + 0.5) * G->slot;
			py = chart_y(G, v);
			put_rect(X, px - MARKER / 2, py - MARKER / 2,
			    px + MARKER / 2, py + MARKER / 2, mg, OUTLINE_W);
		}
		li++;
	}
}

/* The bars' rectangles, for line labels to keep clear of. */
static void
bar_rects(const struct cx *X, const struct chart_geo *G, struct rects *bars)
{
	const struct doc_chart *c = X->c;
	size_t s, i, bi = 0;
	double v;

	for (s = 0; s < c->nseries; s++) {
		const struct doc_series *se = &c->series[s];

		if (se->style != DOC_SERIES_BAR)
			continue;
		for (i = 0; i < G->ncats && G->ncats > 0; i++) {
			double bx;

			if (!value_at(se, i, &v))
				continue;
			bx = bar_x(G, i, bi);
			rects_add(bars, bx, fmin(G->zero_y, chart_y(G, v)),
			    bx + G->bw, fmax(G->zero_y, chart_y(G, v)));
		}
		bi++;
	}
}

/* Bars' value labels: above a bar (below a negative one), one bar wide. */
static void
bar_labels(const struct cx *X, const struct chart_geo *G,
    struct rects *placed)
{
	const struct doc_chart *c = X->c;
	size_t s, i, bi = 0;
	double v;
	char num[64];

	for (s = 0; s < c->nseries; s++) {
		const struct doc_series *se = &c->series[s];

		if (se->style != DOC_SERIES_BAR)
			continue;
		for (i = 0; i < G->ncats; i++) {
			double cxv, yv, lw, lh, y0;

			if (!value_at(se, i, &v))
				continue;
			chart_format(v, chart_series_decimals(se, G->ncats), num,
			    sizeof(num));
			lw = text_w(X, G->vs, num);
			lh = G->bar_rot ? lw : G->vs;
			yv = chart_y(G, v);
			cxv = G->pl + ((double)i + 0.5) * G->slot -
			    G->group_w / 2 + ((double)bi + 0.5) * G->bw;
			y0 = v < 0 ? yv - 2 - lh : yv + 2;
			value_label(X, placed, G->vs, cxv, y0, lw, G->bar_rot,
			    num);
		}
		bi++;
	}
}

/* Lines' value labels: above the point or else below it, clear of the
 * labels already placed and preferably of the bars; left out when no
 * place is clear. */
static void
line_labels(const struct cx *X, const struct chart_geo *G,
    struct rects *placed, const struct rects *bars)
{
	const struct doc_chart *c = X->c;
	size_t s, i;
	double v;
	char num[64];

	for (s = 0; s < c->nseries; s++) {
		const struct doc_series *se = &c->series[s];

		if (se->style != DOC_SERIES_LINE)
			continue;
		for (i = 0; i < G->ncats; i++) {
			double cxv, yv, lw, lh, cand[2], lx0, lx1;
			int j, best = -1, clear_bars = 0;

			if (!value_at(se, i, &v))
				continue;
			chart_format(v, chart_series_decimals(se, G->ncats), num,
			    sizeof(num));
			lw = text_w(X, G->vs, num);
			lh = G->line_rot ? lw : G->vs;
			yv = chart_y(G, v);
			cxv = G->pl + ((double)i + 0.5) * G->slot;
			lx0 = cxv - (G->line_rot ? G->vs : lw) / 2;
			lx1 = cxv + (G->line_rot ? G->vs : lw) / 2;
			cand[0] = yv + MARKER / 2 + 2;
			cand[1] = yv - MARKER / 2 - 2 - lh;
			for (j = 0; j < 2; j++) {
				int cb;

				if (cand[j] + lh > G->plot_top + G->head ||
				    cand[j] < G->plot_bot)
					continue;
				if (rects_hit(placed, lx0, cand[j], lx1,
				    cand[j] + lh))
					continue;
				cb = !rects_hit(bars, lx0, cand[j], lx1,
				    cand[j] + lh);
				if (best < 0 || (cb && !clear_bars)) {
					best = j;
					clear_bars = cb;
				}
			}
			if (best >= 0)
				value_label(X, placed, G->vs, cxv, cand[best],
				    lw, G->line_rot, num);
		}
	}
}

/* Value labels: bars' first (they never collide: one bar wide), then the
 * lines'.  Each label is knocked out of the lines and grid below it by a
 * white rectangle. */
void
draw_value_labels(const struct cx *X, const struct chart_geo *G)
{
	struct rects placed = { 0 }, bars = { 0 };

	if (!G->bar_lab && !G->line_lab)
		return;
	bar_rects(X, G, &bars);
	if (G->bar_lab)
		bar_labels(X, G, &placed);
	if (G->line_lab)
		line_labels(X, G, &placed, &bars);
	free(placed.v);
	free(bars.v);
}

/* Category labels below the plot, on the shown categories: centred
 * under their slot line by line, or rotated 45° ending at the slot's
 * centre. */
void
draw_categories(const struct cx *X, const struct chart_geo *G)
{
	const double fs = CHART_LABEL_PT;
	size_t i, j;

	for (i = 0; i < G->ncats; i++) {
		double cxi = G->pl + ((double)i + 0.5) * G->slot, lw;
		double ay = G->plot_bot - G->xgap;

		if (!G->shown[i])
			continue;
		if (G->rotate) {
			/* Ends at (cxi, ay - 0.36 fs): baseline start is back
			 * along the text and down by its centre height. */
			double ex = cxi, ey = ay - 0.36 * fs;
			double bx, by;

			lw = text_w(X, fs, G->cats[i]);
			bx = ex - lw * SIN45 + 0.38 * fs * SIN45;
			by = ey - lw * SIN45 - 0.38 * fs * SIN45;
			put_text(X, fs, bx, by, 45, G->cats[i]);
			continue;
		}
		for (j = 0; j < CAT_MAX_LINES; j++) {
			const char *ln = G->lab[i * CAT_MAX_LINES + j];

			if (ln == NULL)
				break;
			lw = text_w(X, fs, ln);
			put_text(X, fs, cxi - lw / 2, ay - 0.88 * fs -
			    (double)j * CAT_PITCH * fs, 0, ln);
		}
	}
}

/* The unit (top left) and the legend (top right, or centred below). */
void
draw_unit_legend(const struct cx *X, const struct chart_geo *G)
{
	const double fs = CHART_LABEL_PT;

	if (G->uw > 0)
		put_text(X, fs, G->x, G->ytop_in - G->rowh / 2 - 0.38 * fs, 0,
		    G->unit);
	if (G->legend_top)
		legend_draw(X, &G->lg, fs, G->x, G->w, G->ytop_in - G->rowh / 2,
		    G->rowh, 2);
	else if (G->legend_rows_below > 0)
		legend_draw(X, &G->lg, fs, G->x, G->w, G->ybot_in +
		    (double)G->legend_rows_below * G->rowh - G->rowh / 2,
		    G->rowh, 1);
}
