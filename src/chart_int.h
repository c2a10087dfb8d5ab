/* Chart internals: what chart.c (primitives, legend, the entry point),
 * chart_fit.c (the geometry: axis, categories, room for value labels,
 * plot height) and chart_draw.c (grid, bars, lines, labels) share.  Not
 * for other stages. */
#ifndef ZJ_CHART_INT_H
#define ZJ_CHART_INT_H

#include "chart.h"
#include "doc.h"

#define SIN45 0.70710678118654752
#define MARKER 4.5              /* side of a line marker, points */
#define LINE_W 1.2              /* width of a data line */
#define OUTLINE_W 0.5           /* bar outlines, markers, axes */
#define GRID_W 0.3
#define GRID_GRAY 0.8
#define MIN_VALUE_PT 5.5        /* smaller value labels are left out */
#define CAT_MAX_LINES 3         /* lines of a wrapped category label */
#define CAT_MAX_EVERY 3         /* horizontal labels thinned to every 3rd
                                   at most; beyond, rotated */
#define CAT_GAP 0.4             /* em between horizontal category labels */
#define CAT_PITCH 1.2           /* em between lines of a wrapped label */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Fill of the bar series, in order; line dash lengths and marker fills. */
extern const double chart_bar_grays[6];
extern const double chart_line_dashes[4];
extern const double chart_marker_grays[4];

/* The chart being laid out and where its boxes go. */
struct cx {
	const struct doc_chart *c;
	const struct lay_measure *m;
	const struct chart_sink *out;
	int page;
};

/* The legend's items as measured. w is owned (free it). */
struct legend {
	size_t n;
	double *w;                  /* item widths, swatch included */
	double total;               /* one row, gaps included */
	double sw, gap, pad;        /* swatch width, item gap, swatch-text */
};

/* Axis-parallel rectangles already taken; v is owned (free it). */
struct rects {
	double *v;                  /* x0 y0 x1 y1 per rectangle */
	size_t n, cap;
};

/* The chart's geometry, computed by chart_fit and read by the drawing
 * phases.  ticks, cats and unit are owned (chart_geo_free). */
struct chart_geo {
	/* The frame and the data. */
	double x, y_top, w, h;
	size_t ncats, nbars, nlines;
	double lo, hi;
	int any_neg;
	/* Y axis: nt ticks from first by step, labels with dec decimals. */
	int nt, target, dec;
	double first, step, top_tick, ylw;
	char **ticks;
	/* X axis: plot from pl to pr, a slot per category.  Labels
	 * horizontal (rotate 0) in nl lines, lab[i * CAT_MAX_LINES + j]
	 * being line j of category i's label (NULL: no such line); or
	 * rotated 45°, cats[i] as shortened to cap.  Only the categories
	 * with shown[i] are labelled: every k-th, the first and the last.
	 * maxcw: the widest label (line). */
	double pl, pr, slot, maxcw, cap;
	int rotate, k, nl;
	char **cats;
	char **lab;
	unsigned char *shown;
	/* Bars: a group of nbars bars group_w wide per category. */
	double group_w, bw;
	/* Value labels: size vs; shown and rotated, for bars and lines. */
	double vs, maxbarlw, maxlinelw, val_ext_up, val_ext_dn;
	int labels_on, bar_lab, bar_rot, line_lab, line_rot;
	/* Vertical: top row (unit, legend), plot, category labels. */
	char *unit;
	double uw, pad, rowh, ytop_in, ybot_in, legend_top_h, head;
	double plot_top, plot_bot, xlab_h, xgap, min_plot, zero_y;
	int legend_top, legend_rows_below;
	struct legend lg;
};

/* ---- chart.c: primitives ---- */

double text_w(const struct cx *X, double size, const char *s);
void put_text(const struct cx *X, double size, double x, double y,
    double angle, const char *s);
void put_rule(const struct cx *X, double x, double y, double x2, double y2,
    double w, double gray, double dash);
void put_rect(const struct cx *X, double x, double y, double x2, double y2,
    double gray, double lw);
/* The value of series s at category i, if present and finite. */
int value_at(const struct doc_series *s, size_t i, double *v);
/* Copies s, shortened with "…" until it is at most maxw wide at size. */
char *shorten(const struct cx *X, const char *s, double size, double maxw);
/* Decimals of series s's value labels (its own, else from its values). */
int series_decimals(const struct doc_series *s, size_t ncats);
/* "单位：亿元" from "亿元"; NULL for none.  Returns a new string. */
char *unit_text(const char *u);
/* Decimals that tell apart ticks step apart. */
int tick_decimals(double step);
void legend_measure(const struct cx *X, double fs, struct legend *lg);
/* Rows needed to set the legend within width w. */
int legend_rows(const struct legend *lg, double w);
/* Sets the legend in rows of width w from (x, cy of the first row),
 * right-aligned (align 2) or centred (align 1), rows rh apart. */
void legend_draw(const struct cx *X, const struct legend *lg, double fs,
    double x, double w, double cy, double rh, int align);
void rects_add(struct rects *r, double x0, double y0, double x1, double y1);
int rects_hit(const struct rects *r, double x0, double y0, double x1,
    double y1);
/* A value label centred on cx with its bottom at y0 (see chart.c). */
void value_label(const struct cx *X, struct rects *placed, double vs,
    double cx, double y0, double lw, int rot, const char *s);

/* ---- chart_fit.c ---- */

/* Computes G for chart X->c in the frame (x, y_top, w, h). */
void chart_fit(const struct cx *X, struct chart_geo *G, double x,
    double y_top, double w, double h);
void chart_geo_free(struct chart_geo *G);
/* The y of value v on the plot. */
double chart_y(const struct chart_geo *G, double v);

/* ---- chart_draw.c ---- */

void draw_grid(const struct cx *X, const struct chart_geo *G);
void draw_bars(const struct cx *X, const struct chart_geo *G);
void draw_lines(const struct cx *X, const struct chart_geo *G);
void draw_value_labels(const struct cx *X, const struct chart_geo *G);
void draw_categories(const struct cx *X, const struct chart_geo *G);
void draw_unit_legend(const struct cx *X, const struct chart_geo *G);

#endif
