/* Chart: bar and line charts as layout boxes.
 *
 * Part of the layout stage (no libharu): a chart is laid out into rules,
 * rectangles and text boxes inside a given frame, measuring text through
 * struct lay_measure.  Values come from the model (model_chart). */
#ifndef ZJ_CHART_H
#define ZJ_CHART_H

#include <stddef.h>

enum chart_style { SERIES_BAR, SERIES_LINE };

/* One data series: values[i] for category i; present[i] == 0 means the
 * value is missing (no bar; the line is broken there).  Borrowed. */
struct chart_series {
	const char *name;               /* legend text */
	enum chart_style style;
	const double *values;           /* ncats */
	const int *present;             /* ncats */
};

/* A chart to lay out.  All pointers are borrowed until lay_run returns. */
struct lay_chart {
	const char *title;              /* centred above; NULL = none */
	const char *unit;               /* y-axis unit, e.g. "亿元"; NULL = none */
	size_t ncats;
	const char *const *cats;        /* category labels along x */
	size_t nseries;
	const struct chart_series *series;
	int value_labels;               /* print each value above its bar/point */
	int height_lines;               /* height in body lines; 0 = default 12 */
};

/* Round axis ticks covering [lo, hi] with about `target` intervals:
 * steps of 1, 2 or 5 × 10^k; the range always includes 0 when all values
 * have one sign and zero is near; equal values get a sensible range.
 * Writes the first tick, the step and the number of ticks (≥ 2). */
void chart_ticks(double lo, double hi, int target, double *first,
    double *step, int *nticks);

#endif
