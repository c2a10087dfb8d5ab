/* Chart geometry (see chart_int.h): the phases that size a chart before
 * anything is drawn.  Data range; y ticks and their labels; the x axis
 * with category labels (horizontal, wrapped or thinned while they fit,
 * else rotated 45° and thinned); bar widths and the room value labels need;
 * the vertical split of the frame into top row, plot, category labels
 * and legend rows.  When the plot would be too low, fewer ticks are
 * tried, then the value labels are left out, then rotated category
 * labels are shortened. */
#include "chart_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "util.h"

/* Series kinds and the data range (bars stand on zero). */
static void
fit_range(const struct cx *X, struct chart_geo *G)
{
	const struct doc_chart *c = X->c;
	size_t i, s;
	double v;

	G->lo = HUGE_VAL;
	G->hi = -HUGE_VAL;
	for (s = 0; s < c->nseries; s++) {
		const struct doc_series *se = &c->series[s];

		if (se->style == DOC_SERIES_BAR)
			G->nbars++;
		else
			G->nlines++;
		for (i = 0; i < G->ncats; i++)
			if (value_at(se, i, &v)) {
				G->lo = fmin(G->lo, v);
				G->hi = fmax(G->hi, v);
				if (v < 0)
					G->any_neg = 1;
			}
	}
	if (G->lo > G->hi) {
		G->lo = 0;
		G->hi = 1;
	}
	if (G->nbars > 0) {
		G->lo = fmin(G->lo, 0);
		G->hi = fmax(G->hi, 0);
	}
}

/* Ticks for the current target and their labels' width. */
static void
fit_ticks(const struct cx *X, struct chart_geo *G)
{
	const double fs = CHART_LABEL_PT;
	char num[64];
	int it;

	for (it = 0; it < G->nt; it++)
		free(G->ticks[it]);
	free(G->ticks);
	chart_ticks(G->lo, G->hi, G->target, &G->first, &G->step, &G->nt);
	G->top_tick = G->first + G->step * (G->nt - 1);
	G->dec = tick_decimals(G->step);
	G->ticks = xcalloc((size_t)G->nt, sizeof(*G->ticks));
	G->ylw = 0;
	for (it = 0; it < G->nt; it++) {
		double tv = G->first + G->step * it;

		if (fabs(tv) < G->step * 1e-6)
			tv = 0;
		G->ticks[it] = xstrdup(chart_format(tv, G->dec, num,
		    sizeof(num)));
		G->ylw = fmax(G->ylw, text_w(X, fs, G->ticks[it]));
	}
}

/* Frees the lines of the horizontal category labels. */
static void
lab_clear(struct chart_geo *G)
{
	size_t i;

	for (i = 0; i < G->ncats * CAT_MAX_LINES; i++) {
		free(G->lab[i]);
		G->lab[i] = NULL;
	}
}

/* Sets category i's label (G->cats[i]) horizontally in at most nl lines
 * no wider than room: one line when it fits, else broken by the layout's
 * line breaker (break_balanced: clreq prohibitions, numbers with their
 * units, Latin words whole) into lines of at least two characters each.
 * The lines go to G->lab.  Returns the widest line's width as drawn, or
 * -1 when the label does not fit so. */
static double
cat_wrap(const struct cx *X, struct chart_geo *G, struct text *tx,
    struct linevec *lv, size_t i, int nl, double room)
{
	const double fs = CHART_LABEL_PT;
	const char *s = G->cats[i];
	char **out = &G->lab[i * CAT_MAX_LINES];
	double w = text_w(X, fs, s), widest = 0;
	size_t j, first;

	if (w <= room + EPS) {
		out[0] = xstrdup(s);
		return w;
	}
	if (nl < 2)
		return -1;
	text_load(tx, s, strlen(s));
	text_measure(X->m, tx, ROLE_BODY, fs);
	lv->n = 0;
	first = break_balanced(tx, room, fs, lv);
	if (lv->n - first > (size_t)nl)
		return -1;
	for (j = first; j < lv->n; j++) {
		const struct line *ln = &lv->v[j];

		if (ln->c1 - ln->c0 < 2)
			return -1;
		out[j - first] = xstrndup(s + ln->b0, ln->b1 - ln->b0);
		w = text_w(X, fs, out[j - first]);
		if (w > room + EPS)
			return -1;
		widest = fmax(widest, w);
	}
	return widest;
}

/* 1 if horizontal labels of categories i < j, widest lines wi and wj,
 * keep CAT_GAP em apart. */
static int
h_clear(const struct chart_geo *G, size_t i, size_t j, double wi, double wj)
{
	return (wi + wj) / 2 + CAT_GAP * CHART_LABEL_PT <=
	    (double)(j - i) * G->slot + EPS;
}

/* 1 if rotated labels of categories i < j are clear of each other. */
static int
r_clear(const struct chart_geo *G, size_t i, size_t j)
{
	return (double)(j - i) * G->slot * SIN45 >= 1.15 * CHART_LABEL_PT;
}

/* Shows every k-th category from the first, and the last; the one
 * before the last is left out when it would collide with the last
 * (horizontal widths cw, or rotated when cw is NULL). */
static void
thin(struct chart_geo *G, int k, const double *cw)
{
	size_t i, n = G->ncats, m;

	for (i = 0; i < n; i++)
		G->shown[i] = i % (size_t)k == 0 || i + 1 == n;
	if (n < 2 || (n - 1) % (size_t)k == 0)
		return;
	m = (n - 1) / (size_t)k * (size_t)k;
	if (m > 0 && !(cw ? h_clear(G, m, n - 1, cw[m], cw[n - 1]) :
	    r_clear(G, m, n - 1)))
		G->shown[m] = 0;
}

/* Tries horizontal labels on every k-th category in at most nl lines
 * each (the room of k slots).  Returns 1 and sets k, nl, maxcw, lab and
 * shown when every shown label fits and clears its neighbours, else 0. */
static int
try_horizontal(const struct cx *X, struct chart_geo *G, int k, int nl,
    struct text *tx, struct linevec *lv, double *cw)
{
	const double fs = CHART_LABEL_PT;
	double room = (double)k * G->slot - CAT_GAP * fs;
	size_t i, prev = 0, n = G->ncats;
	int used = 1;

	lab_clear(G);
	for (i = 0; i < n; i++) {
		cw[i] = 0;
		if (i % (size_t)k != 0 && i + 1 != n)
			continue;
		if ((cw[i] = cat_wrap(X, G, tx, lv, i, nl, room)) < 0)
			return 0;
	}
	thin(G, k, cw);
	G->maxcw = 0;
	for (i = 0; i < n; i++) {
		if (!G->shown[i])
			continue;
		if (i > 0 && !h_clear(G, prev, i, cw[prev], cw[i]))
			return 0;
		prev = i;
		G->maxcw = fmax(G->maxcw, cw[i]);
		while (used < CAT_MAX_LINES &&
		    G->lab[i * CAT_MAX_LINES + (size_t)used] != NULL)
			used++;
	}
	G->k = k;
	G->nl = used;
	return 1;
}

/* Rotated labels, shortened to cap, on every k-th category (the fewest
 * that keeps them apart); returns how far the shown ones reach left. */
static double
fit_rotated(const struct cx *X, struct chart_geo *G)
{
	const double fs = CHART_LABEL_PT;
	double minx = G->x;
	size_t i, n = G->ncats;

	lab_clear(G);
	G->rotate = 1;
	G->nl = 1;
	G->maxcw = 0;
	for (i = 0; i < n; i++) {
		char *t = shorten(X, G->cats[i], fs, G->cap);

		free(G->cats[i]);
		G->cats[i] = t;
		G->maxcw = fmax(G->maxcw, text_w(X, fs, t));
	}
	G->k = 1;
	while (!r_clear(G, 0, (size_t)G->k) && (size_t)G->k < n)
		G->k++;
	thin(G, G->k, NULL);
	for (i = 0; i < n; i++)
		if (G->shown[i])
			minx = fmin(minx, G->pl + ((double)i + 0.5) * G->slot -
			    text_w(X, fs, G->cats[i]) * SIN45 - 0.36 * fs);
	return minx;
}

/* The plot's left and right edges and the category labels, in this
 * order of preference: horizontal on one line; wrapped onto 2, then 3
 * lines; the same on every 2nd, then 3rd category (the first and the
 * last always labelled); else rotated 45° (shortened to cap) and thinned
 * to every k-th.  The plot narrows when a label would stick out of the
 * frame. */
static void
fit_categories(const struct cx *X, struct chart_geo *G)
{
	const struct doc_chart *c = X->c;
	const double fs = CHART_LABEL_PT;
	size_t i, ncats = G->ncats;
	struct text tx = { 0 };
	struct linevec lv = { 0 };
	double *cw = xcalloc(ncats + 1, sizeof(*cw));
	int it, k, nl;

	G->pl = G->x + G->ylw + 0.5 * fs;
	G->pr = G->x + G->w - 0.5 * fs;
	G->slot = G->maxcw = 0;
	G->rotate = 0;
	G->k = G->nl = 1;
	for (it = 0; it < 6 && ncats > 0; it++) {
		double minx = G->x, maxx = G->x + G->w, ldef, rdef;
		int found = 0;

		G->slot = (G->pr - G->pl) / (double)ncats;
		for (i = 0; i < ncats; i++) {
			free(G->cats[i]);
			G->cats[i] = xstrdup(c->cats[i] ? c->cats[i] : "");
		}
		G->rotate = 0;
		for (k = 1; k <= CAT_MAX_EVERY && !found; k++)
			for (nl = 1; nl <= CAT_MAX_LINES && !found; nl++)
				found = try_horizontal(X, G, k, nl, &tx, &lv,
				    cw);
		if (!found)
			minx = fit_rotated(X, G);
		else
			for (i = 0; i < ncats; i++) {
				double cxi = G->pl + ((double)i + 0.5) * G->slot;

				if (!G->shown[i])
					continue;
				minx = fmin(minx, cxi - cw[i] / 2);
				maxx = fmax(maxx, cxi + cw[i] / 2);
			}
		ldef = G->x - minx;
		rdef = maxx - (G->x + G->w);
		if ((ldef <= 1e-6 && rdef <= 1e-6) || it == 5 ||
		    G->pr - G->pl - ldef - rdef < G->w * 0.4)
			break;
		G->pl += fmax(ldef, 0);
		G->pr -= fmax(rdef, 0);
	}
	text_free(&tx);
	free(lv.v);
	free(cw);
}

/* Bar widths, and whether value labels are shown (rotated, smaller) and
 * how far they reach above and below the data. */
static void
fit_values(const struct cx *X, struct chart_geo *G)
{
	const struct doc_chart *c = X->c;
	size_t i, s;
	double v;
	char num[64];

	G->group_w = G->bw = 0;
	if (G->nbars > 0 && G->ncats > 0) {
		G->group_w = G->slot * (G->nbars == 1 ? 0.55 : 0.75);
		G->bw = G->group_w / (double)G->nbars;
	}
	G->vs = CHART_VALUE_PT;
	G->bar_lab = G->bar_rot = G->line_lab = G->line_rot = 0;
	G->maxbarlw = G->maxlinelw = G->val_ext_up = G->val_ext_dn = 0;
	for (s = 0; s < c->nseries && G->labels_on; s++) {
		int dec = chart_series_decimals(&c->series[s], G->ncats);

		for (i = 0; i < G->ncats; i++) {
			double lw;

			if (!value_at(&c->series[s], i, &v))
				continue;
			lw = text_w(X, G->vs, chart_format(v, dec, num,
			    sizeof(num)));
			if (c->series[s].style == DOC_SERIES_BAR)
				G->maxbarlw = fmax(G->maxbarlw, lw);
			else
				G->maxlinelw = fmax(G->maxlinelw, lw);
		}
	}
	if (G->nbars > 0 && G->maxbarlw > 0) {
		G->bar_lab = 1;
		if (G->maxbarlw > G->bw - 1) {
			G->bar_rot = 1;
			if (G->vs > G->bw - 1) {
				/* rotated labels one bar wide */
				double nvs = G->bw - 1;

				if (nvs < MIN_VALUE_PT)
					G->bar_lab = G->bar_rot = 0;
				else {
					G->maxbarlw *= nvs / G->vs;
					G->maxlinelw *= nvs / G->vs;
					G->vs = nvs;
				}
			}
		}
	}
	if (G->nlines > 0 && G->maxlinelw > 0) {
		G->line_lab = 1;
		G->line_rot = G->maxlinelw > G->slot - 1;
	}
	if (G->bar_lab) {
		G->val_ext_up = fmax(G->val_ext_up, 2 + (G->bar_rot ?
		    G->maxbarlw : G->vs));
		if (G->any_neg)
			G->val_ext_dn = fmax(G->val_ext_dn, 2 + (G->bar_rot ?
			    G->maxbarlw : G->vs));
	}
	if (G->line_lab)
		G->val_ext_up = fmax(G->val_ext_up, MARKER / 2 + 2 +
		    (G->line_rot ? G->maxlinelw : G->vs));
}

/* The vertical split: top row, headroom, plot, category labels, legend
 * rows below. */
static void
fit_vertical(struct chart_geo *G)
{
	const double fs = CHART_LABEL_PT;

	G->ytop_in = G->y_top - G->pad;
	G->ybot_in = G->y_top - G->h + 2.5 * G->pad; /* clear of the next line */
	if (G->legend_top || G->uw > 0)
		G->legend_top_h = G->rowh;
	G->head = fmax(0.6 * fs, G->val_ext_up);
	G->plot_top = G->ytop_in - G->legend_top_h - G->head;
	G->xgap = 0.36 * fs + 0.2 * fs + G->val_ext_dn;
	if (G->ncats == 0)
		G->xlab_h = G->xgap;
	else if (G->rotate)
		G->xlab_h = G->xgap + 0.36 * fs + (G->maxcw + 0.5 * fs) * SIN45;
	else
		G->xlab_h = G->xgap + fs + (G->nl - 1) * CAT_PITCH * fs;
	G->plot_bot = G->ybot_in + (double)G->legend_rows_below * G->rowh +
	    G->xlab_h;
}

void
chart_fit(const struct cx *X, struct chart_geo *G, double x, double y_top,
    double w, double h)
{
	const struct doc_chart *c = X->c;
	const double fs = CHART_LABEL_PT;
	int attempt;

	memset(G, 0, sizeof(*G));
	G->x = x;
	G->y_top = y_top;
	G->w = w;
	G->h = h;
	G->pad = 0.3 * fs;
	G->rowh = 1.5 * fs;
	G->ncats = c->ncats > 0 && c->cats == NULL ? 0 : c->ncats;
	fit_range(X, G);
	G->target = h >= 150 ? 5 : h >= 100 ? 4 : h >= 60 ? 3 : 2;

	/* Top row: unit and legend; the legend goes below the plot when
	 * it does not fit beside the unit. */
	G->unit = unit_text(c->unit);
	G->uw = text_w(X, fs, G->unit);
	legend_measure(X, fs, &G->lg);
	if (G->lg.n > 0 && (G->uw > 0 ? G->uw + 2 * fs : 0) + G->lg.total <= w)
		G->legend_top = 1;
	else if (G->lg.n > 0)
		G->legend_rows_below = legend_rows(&G->lg, w);

	G->cap = fmax(0.4 * h / SIN45 - 0.5 * fs, 3 * fs);
	G->labels_on = c->value_labels;
	G->min_plot = fmax(2 * fs, 0.25 * h);
	G->cats = xcalloc(G->ncats + 1, sizeof(*G->cats));
	G->lab = xcalloc(G->ncats * CAT_MAX_LINES + 1, sizeof(*G->lab));
	G->shown = xcalloc(G->ncats + 1, 1);
	linebreak_init();
	for (attempt = 0;; attempt++) {
		fit_ticks(X, G);
		fit_categories(X, G);
		fit_values(X, G);
		fit_vertical(G);
		if (attempt >= 6)
			break;
		if ((G->plot_top - G->plot_bot) / (G->nt - 1) < 1.5 * fs &&
		    G->target > 2) {
			/* fewer ticks for a low plot */
			int t2 = (int)floor((G->plot_top - G->plot_bot) /
			    (1.8 * fs));

			G->target = t2 < G->target ? (t2 < 2 ? 2 : t2) :
			    G->target - 1;
			continue;
		}
		if (G->plot_top - G->plot_bot >= G->min_plot)
			break;
		if (G->labels_on)
			G->labels_on = 0;
		else if (G->rotate && G->maxcw > 2 * fs)
			G->cap = fmax(2 * fs, G->maxcw - (G->min_plot -
			    (G->plot_top - G->plot_bot)) / SIN45);
		else
			break;
	}
	if (G->plot_top - G->plot_bot < 1) {
		/* No room at all: a flat plot rather than boxes outside. */
		G->plot_top = G->plot_bot + 1;
	}
	G->zero_y = G->first <= 0 && G->top_tick >= 0 ? chart_y(G, 0.0) :
	    G->plot_bot;
}

double
chart_y(const struct chart_geo *G, double v)
{
	return G->plot_bot + (v - G->first) / (G->top_tick - G->first) *
	    (G->plot_top - G->plot_bot);
}

void
chart_geo_free(struct chart_geo *G)
{
	size_t i;
	int it;

	for (it = 0; it < G->nt; it++)
		free(G->ticks[it]);
	free(G->ticks);
	for (i = 0; i < G->ncats; i++)
		free(G->cats[i]);
	free(G->cats);
	if (G->lab != NULL)
		lab_clear(G);
	free(G->lab);
	free(G->shown);
	free(G->unit);
	free(G->lg.w);
}
