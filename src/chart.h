/* Chart: bar and line charts as layout boxes.
 *
 * Part of the layout stage (no libharu): a chart is laid out into rules,
 * rectangles and text boxes inside a given frame, measuring text through
 * struct lay_measure (box.h).  Values come from the document tree (struct doc_chart, doc.h).
 * Files: chart.c (entry point, ticks, numbers, primitives, legend),
 * chart_fit.c (geometry), chart_draw.c (drawing); chart_int.h is their
 * private header.  Includes box.h only: layout.h includes this header,
 * never the reverse. */
#ifndef ZJ_CHART_H
#define ZJ_CHART_H

#include <stddef.h>

#include "box.h"

struct doc_chart;
struct doc_series;

/* Round axis ticks covering [lo, hi] with about `target` intervals:
 * steps of 1, 2 or 5 × 10^k; the range always includes 0 when all values
 * have one sign and zero is near; equal values get a sensible range.
 * Writes the first tick, the step and the number of ticks (≥ 2). */
void chart_ticks(double lo, double hi, int target, double *first,
    double *step, int *nticks);

/* ---- layout of one chart (used by layout.c) ------------------------- */

struct style;

/* Where chart_layout puts its boxes: box(arg) appends a new zeroed box to
 * the result and returns it; the pointer is valid only until the next
 * call (the array may move), so it is filled at once.  Text is copied
 * into a malloc'd string owned by the result. */
struct chart_sink {
	struct lay_box *(*box)(void *arg);
	/* Copies s[0..n) for a box's text, owned by the result. */
	const char *(*text)(void *arg, const char *s, size_t n);
	void *arg;
};

/* Size of the chart's labels (五号) and of its value labels (小五). */
#define CHART_LABEL_PT 10.5
#define CHART_VALUE_PT 9.0

/* Lays out chart c inside the frame whose top left corner is (x, y_top)
 * on page, w wide and h high (points, origin bottom left; the title is
 * not part of the frame: layout.c sets it on the grid above).  Every box
 * stays inside the frame: unit and legend on the top row (or the legend
 * below the plot when the top row is too narrow), y axis with tick labels
 * and grid lines, bars and lines on one shared axis, category labels
 * below the plot (horizontal, wrapped onto up to 3 lines or thinned to
 * every 2nd or 3rd when they fit so; else rotated 45° and thinned to
 * every k-th).  Text is in ROLE_BODY, measured with m. */
void chart_layout(const struct doc_chart *c, const struct style *st,
    const struct lay_measure *m, int page, double x, double y_top,
    double w, double h, const struct chart_sink *out);

/* Formats v for a label: dec decimals (half away from zero, never "-0"),
 * or, when dec < 0, up to 2 decimals with trailing zeros trimmed;
 * thousands separators when |v| >= 10,000.  Writes at most n bytes
 * (NUL included) to buf and returns buf. */
char *chart_format(double v, int dec, char *buf, size_t n);

/* The decimals of series s's value labels (its ncats values): its own
 * (s->decimals >= 0, from [chart.NAME] decimals; at most 6), else the
 * most any value needs printed by chart_format's trimmed form (at most
 * 2): one number of decimals per series, 35.05 / 24.80 / 0.60.  The PDF's
 * labels and the DOCX chart's number format both use it. */
int chart_series_decimals(const struct doc_series *s, size_t ncats);

#endif
