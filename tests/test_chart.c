/* Unit tests for chart.c: round ticks, number labels, and charts laid out
 * through lay_run with a fake measurer (every non-ASCII character 1 em,
 * every ASCII character ½ em). */
#include "testutil.h"
#include "config.h"

#include <math.h>

#include <unistd.h>

#include "chart.h"
#include "diag.h"
#include "layout.h"
#include "render.h"

#define LEFT 79.370
#define BLOCK_W 442.205
#define RIGHT (LEFT + BLOCK_W)
#define TOP (841.890 - 104.882)
#define BOTTOM (TOP - 637.795)
#define PITCH (637.795 / 22)

#define fake (*lay_fake_measure())
#define fake_width(a, r, pt, s, n) lay_fake_measure()->width(a, r, pt, s, n)

/* Nodes, series and charts of a hand-built struct doc (the layout only
 * reads them, so the casts from string literals and const arrays are
 * safe). */
#define NODE(k, lvl, txt, txt2, tbl, cht) { .kind = (k), .level = (lvl), \
	.text = (char *)(txt), .text2 = (char *)(txt2), .table = (tbl), \
	.chart = (cht) }
#define SERIES(nm, sty, vals, pres) { .name = (char *)(nm), .style = (sty), \
	.values = (double *)(vals), .present = (int *)(pres), .decimals = -1 }
#define CHART(ttl, un, nc, cs, ns, ser, vl, hl) { .title = (char *)(ttl), \
	.unit = (char *)(un), .ncats = (nc), .cats = (char **)(cs), \
	.nseries = (ns), .series = (ser), .value_labels = (vl), \
	.height_lines = (hl) }

/* Lays out the n nodes b as one doc with measurer m. */
static struct lay_result *
lay_nodes_m(const struct doc_node *b, size_t n, const struct style *st,
    const struct lay_measure *m)
{
	struct doc d = { .path = NULL, .n = n, .nodes = (struct doc_node *)b };

	return lay_run(&d, st, m);
}
#define lay_nodes(b, n, st) lay_nodes_m(b, n, st, lay_fake_measure())

/* GB/T 9704 defaults, as the configuration gives them. */
static struct style
default_style(void)
{
	struct style st;

	cfg_default_style(&st);
	return st;
}

/* ---- ticks --------------------------------------------------------------- */

/* Checks the common tick invariants for data in [lo, hi]. */
static void
check_ticks(double lo, double hi, double first, double step, int n)
{
	double last = first + step * (n - 1), k;

	assert_true(step > 0);
	assert_true(n >= 2);
	assert_true(n <= 12);
	assert_true(first <= lo + 1e-9 * fabs(lo));
	assert_true(last >= hi - 1e-9 * fabs(hi));
	/* step is 1, 2 or 5 × 10^k */
	k = step / pow(10, floor(log10(step) + 1e-9));
	assert_true(fabs(k - 1) < 1e-6 || fabs(k - 2) < 1e-6 ||
	    fabs(k - 5) < 1e-6);
	/* first is a multiple of the step */
	assert_true(fabs(first / step - round(first / step)) < 1e-6);
}

static void
test_ticks_fraction(void **state)
{
	double first, step;
	int n;

	(void)state;
	chart_ticks(0, 0.7, 5, &first, &step, &n);
	check_ticks(0, 0.7, first, step, n);
	assert_true(fabs(first) < 1e-12);
	/* 0, 0.1, … 0.7 or 0, 0.2, … 0.8 */
	assert_true((fabs(step - 0.1) < 1e-9 && n == 8) ||
	    (fabs(step - 0.2) < 1e-9 && n == 5));
	/* 0.12 .. 0.7: zero is near, the axis starts there */
	chart_ticks(0.12, 0.7, 5, &first, &step, &n);
	check_ticks(0.12, 0.7, first, step, n);
	assert_true(fabs(first) < 1e-12);
}

static void
test_ticks_large(void **state)
{
	double first, step;
	int n;

	(void)state;
	chart_ticks(3, 1000000, 5, &first, &step, &n);
	check_ticks(3, 1000000, first, step, n);
	assert_true(first == 0);
	assert_true(fabs(step - 200000) < 1e-6);
	assert_int_equal(n, 6);
	/* lo > hi is swapped */
	chart_ticks(1000000, 3, 5, &first, &step, &n);
	assert_true(first == 0);
	assert_int_equal(n, 6);
	/* far from zero: no zero forced in */
	chart_ticks(80, 100, 5, &first, &step, &n);
	check_ticks(80, 100, first, step, n);
	assert_true(first == 80);
	assert_true(fabs(step - 5) < 1e-9);
}

static void
test_ticks_equal(void **state)
{
	double first, step;
	int n;

	(void)state;
	chart_ticks(5, 5, 5, &first, &step, &n);
	check_ticks(5, 5, first, step, n);
	assert_true(step > 0);
	assert_true(first <= 5 && first + step * (n - 1) > 5 - 1e-9);
	assert_true(first + step * (n - 1) <= 10);
	/* a single negative value, and zero */
	chart_ticks(-3, -3, 5, &first, &step, &n);
	check_ticks(-3, -3, first, step, n);
	assert_true(first + step * (n - 1) >= 0);
	chart_ticks(0, 0, 5, &first, &step, &n);
	check_ticks(0, 0, first, step, n);
	assert_true(first == 0);
	/* a single value 1234.5 */
	chart_ticks(1234.5, 1234.5, 5, &first, &step, &n);
	check_ticks(1234.5, 1234.5, first, step, n);
	/* non-finite input gives a usable axis */
	chart_ticks(NAN, INFINITY, 5, &first, &step, &n);
	assert_true(step > 0 && n >= 2 && isfinite(first));
}

static void
test_ticks_negative(void **state)
{
	double first, step, t;
	int n, i, zero = 0;

	(void)state;
	chart_ticks(-3.2, 8.5, 5, &first, &step, &n);
	check_ticks(-3.2, 8.5, first, step, n);
	assert_true(first < 0 && first + step * (n - 1) > 0);
	for (i = 0; i < n; i++) {
		t = first + step * i;
		if (fabs(t) < 1e-9)
			zero = 1;
	}
	assert_true(zero);
	/* all negative, zero near: the axis ends at zero */
	chart_ticks(-80, -10, 5, &first, &step, &n);
	check_ticks(-80, -10, first, step, n);
	assert_true(fabs(first + step * (n - 1)) < 1e-9);
}

static void
test_format(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(chart_format(0.6000000000000001, 1, b, sizeof(b)),
	    "0.6");
	assert_string_equal(chart_format(200000, 0, b, sizeof(b)), "200,000");
	assert_string_equal(chart_format(1000000, 0, b, sizeof(b)),
	    "1,000,000");
	assert_string_equal(chart_format(5000, 0, b, sizeof(b)), "5000");
	assert_string_equal(chart_format(-0.001, 1, b, sizeof(b)), "0.0");
	assert_string_equal(chart_format(-5, 0, b, sizeof(b)), "-5");
	assert_string_equal(chart_format(12.5, -1, b, sizeof(b)), "12.5");
	assert_string_equal(chart_format(12.50, -1, b, sizeof(b)), "12.5");
	assert_string_equal(chart_format(3, -1, b, sizeof(b)), "3");
	assert_string_equal(chart_format(2.675, -1, b, sizeof(b)), "2.68");
	assert_string_equal(chart_format(12345.678, -1, b, sizeof(b)),
	    "12,345.68");
	assert_string_equal(chart_format(-12345.5, -1, b, sizeof(b)),
	    "-12,345.5");
	assert_string_equal(chart_format(0.125, -1, b, sizeof(b)), "0.13");
}

/* ---- laid-out charts --------------------------------------------------- */

static struct lay_result *
run(const struct doc_node *b, size_t n)
{
	struct style st = default_style();
	struct lay_result *r = lay_nodes(b, n, &st);

	assert_non_null(r);
	return r;
}

/* The four corners of a text box's em box (-0.12 .. 0.88 em about the
 * baseline), rotated about (x, y). */
static void
text_corners(const struct lay_box *b, double px[4], double py[4])
{
	double w = fake_width(NULL, b->role, b->size, b->text,
	    strlen(b->text));
	double a = b->angle * M_PI / 180, c = cos(a), s = sin(a);
	double t[4] = { 0, w, w, 0 };
	double q[4] = { -0.12 * b->size, -0.12 * b->size, 0.88 * b->size,
		0.88 * b->size };
	int i;

	for (i = 0; i < 4; i++) {
		px[i] = b->x + t[i] * c - q[i] * s;
		py[i] = b->y + t[i] * s + q[i] * c;
	}
}

/* Extents of any box. */
static void
box_extent(const struct lay_box *b, double *x0, double *y0, double *x1,
    double *y1)
{
	if (b->kind == LAY_BOX_TEXT) {
		double px[4], py[4];
		int i;

		text_corners(b, px, py);
		*x0 = *x1 = px[0];
		*y0 = *y1 = py[0];
		for (i = 1; i < 4; i++) {
			*x0 = fmin(*x0, px[i]);
			*x1 = fmax(*x1, px[i]);
			*y0 = fmin(*y0, py[i]);
			*y1 = fmax(*y1, py[i]);
		}
	} else {
		double hw = b->kind == LAY_BOX_RULE ? b->line_width / 2 : 0;

		*x0 = fmin(b->x, b->x2) - hw;
		*x1 = fmax(b->x, b->x2) + hw;
		*y0 = fmin(b->y, b->y2) - hw;
		*y1 = fmax(b->y, b->y2) + hw;
	}
}

/* Separating-axis test for two convex quadrilaterals: 1 if they overlap
 * by more than a hair. */
static int
quads_overlap(const double ax[4], const double ay[4], const double bx[4],
    const double by[4])
{
	const double *px[2] = { ax, bx }, *py[2] = { ay, by };
	int p, e, i;

	for (p = 0; p < 2; p++)
		for (e = 0; e < 4; e++) {
			double nx = -(py[p][(e + 1) % 4] - py[p][e]);
			double ny = px[p][(e + 1) % 4] - px[p][e];
			double len = hypot(nx, ny), amin = HUGE_VAL;
			double amax = -HUGE_VAL, bmin = HUGE_VAL;
			double bmax = -HUGE_VAL;

			if (len == 0)
				continue;
			nx /= len;
			ny /= len;
			for (i = 0; i < 4; i++) {
				double va = ax[i] * nx + ay[i] * ny;
				double vb = bx[i] * nx + by[i] * ny;

				amin = fmin(amin, va);
				amax = fmax(amax, va);
				bmin = fmin(bmin, vb);
				bmax = fmax(bmax, vb);
			}
			if (amax <= bmin + 0.01 || bmax <= amin + 0.01)
				return 0;
		}
	return 1;
}

/* 1 if b is (a line of) a category label: a text box at the label size
 * whose text is one of cats, or part of one with a Chinese character in
 * it (a line of a wrapped label; tick labels are ASCII). */
static int
is_cat_label(const struct lay_box *b, const char *const *cats, size_t n)
{
	size_t i;
	const char *p;
	int wide = 0;

	if (b->kind != LAY_BOX_TEXT || fabs(b->size - CHART_LABEL_PT) > 1e-6)
		return 0;
	for (p = b->text; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			wide = 1;
	for (i = 0; i < n; i++)
		if (strcmp(b->text, cats[i]) == 0 ||
		    (wide && strstr(cats[i], b->text) != NULL))
			return 1;
	return 0;
}

/* One category label as drawn: its lines joined, how many, its centre
 * x (horizontal labels) and whether it is rotated. */
struct catlab {
	char text[256];
	int lines, rotated;
	double cx, y;
};

/* Collects the category labels of r in drawing order: the lines of a
 * horizontal label are consecutive boxes centred on one x, each below
 * the one before.  Returns how many labels (at most max). */
static size_t
cat_labels(const struct lay_result *r, const char *const *cats, size_t n,
    struct catlab *out, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *b = &r->boxes[i];
		double cx;

		if (!is_cat_label(b, cats, n))
			continue;
		cx = b->x + fake_width(NULL, b->role, b->size, b->text,
		    strlen(b->text)) / 2;
		if (b->angle == 0 && k > 0 && !out[k - 1].rotated &&
		    fabs(out[k - 1].cx - cx) < 0.01 && b->y < out[k - 1].y) {
			assert_true(strlen(out[k - 1].text) + strlen(b->text) <
			    sizeof(out[k - 1].text));
			strcat(out[k - 1].text, b->text);
			out[k - 1].lines++;
			out[k - 1].y = b->y;
			continue;
		}
		assert_true(k < max);
		assert_true(strlen(b->text) < sizeof(out[k].text));
		strcpy(out[k].text, b->text);
		out[k].lines = 1;
		out[k].rotated = b->angle != 0;
		out[k].cx = cx;
		out[k].y = b->y;
		k++;
	}
	return k;
}

/* Checks that no two category labels overlap; returns how many there
 * are. */
static size_t
check_cat_labels(const struct lay_result *r, const char *const *cats,
    size_t n)
{
	size_t i, j, count = 0;

	for (i = 0; i < r->nboxes; i++) {
		double ax[4], ay[4];

		if (!is_cat_label(&r->boxes[i], cats, n))
			continue;
		count++;
		text_corners(&r->boxes[i], ax, ay);
		for (j = i + 1; j < r->nboxes; j++) {
			double bx[4], by[4];

			if (!is_cat_label(&r->boxes[j], cats, n) ||
			    r->boxes[j].page != r->boxes[i].page)
				continue;
			text_corners(&r->boxes[j], bx, by);
			if (quads_overlap(ax, ay, bx, by))
				fail_msg("category labels overlap: %s / %s",
				    r->boxes[i].text, r->boxes[j].text);
		}
	}
	return count;
}

/* Checks that the boxes [from, to) (to = 0: all) lie within the 版心 and
 * within [ybot, ytop]. */
static void
check_within(const struct lay_result *r, size_t from, size_t to,
    double ybot, double ytop)
{
	size_t i;

	for (i = from; i < (to ? to : r->nboxes); i++) {
		const struct lay_box *b = &r->boxes[i];
		double x0, y0, x1, y1;

		if (b->role == ROLE_PAGENUM && b->kind == LAY_BOX_TEXT)
			continue;
		box_extent(b, &x0, &y0, &x1, &y1);
		if (x0 < LEFT - 0.01 || x1 > RIGHT + 0.01 ||
		    y0 < BOTTOM - 0.01 || y1 > TOP + 0.01)
			fail_msg("box %zu (%s) outside the text block: "
			    "%.2f %.2f %.2f %.2f", i, b->text ? b->text :
			    "rule/rect", x0, y0, x1, y1);
		if (y0 < ybot - 0.01 || y1 > ytop + 0.01)
			fail_msg("box %zu (%s) outside the chart frame: "
			    "%.2f .. %.2f not in %.2f .. %.2f", i,
			    b->text ? b->text : "rule/rect", y0, y1, ybot,
			    ytop);
	}
}

static const char *const months[12] = {
	"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月",
	"10月", "11月", "12月"
};

/* Index of the first text box with text s, or -1. */
static long
find_text(const struct lay_result *r, const char *s)
{
	size_t i;

	for (i = 0; i < r->nboxes; i++)
		if (r->boxes[i].kind == LAY_BOX_TEXT &&
		    strcmp(r->boxes[i].text, s) == 0)
			return (long)i;
	return -1;
}

/* Bars, lines with a missing month, legend, grey levels, value labels. */
static void
test_chart_combo(void **state)
{
	double b1[12], b2[12], l1[12], l2[12];
	int p1[12], p2[12], pl1[12], pl2[12];
	struct doc_series se[4] = {
		SERIES("本年产值", DOC_SERIES_BAR, b1, p1),
		SERIES("上年产值", DOC_SERIES_BAR, b2, p2),
		SERIES("本年累计", DOC_SERIES_LINE, l1, pl1),
		SERIES("上年累计", DOC_SERIES_LINE, l2, pl2),
	};
	struct doc_chart c = CHART("图1 各月产值", "亿元", 12, months, 4, se, 1, 0);
	struct doc_node b[3] = {
		NODE(DOC_PARA, 0, "图前正文。", NULL, NULL, NULL),
		NODE(DOC_CHART, 0, NULL, NULL, NULL, &c),
		NODE(DOC_PARA, 0, "图后正文。", NULL, NULL, NULL),
	};
	struct lay_result *r;
	size_t i, s, from = 0, nrect = 0;
	double gray[2] = { -1, -1 };
	double ytop, ybot, mx = 0, slot, x0 = 0, x1 = 0, zy;
	long ti, after;
	int bars_at_july = 0, markers_at_july = 0, ndash = 0, nvalue = 0;

	(void)state;
	for (i = 0; i < 12; i++) {
		b1[i] = 10 + (double)i;
		b2[i] = 8 + (double)i * 0.9;
		l1[i] = 12 + (double)i * 0.5;
		l2[i] = 11 + (double)i * 0.4;
		p1[i] = p2[i] = pl1[i] = pl2[i] = 1;
	}
	p1[6] = p2[6] = pl1[6] = pl2[6] = 0;     /* 7月 missing */
	r = run(b, 3);
	assert_int_equal(r->npages, 1);

	/* The title sits on the grid slot after the paragraph; the frame
	 * is the 12 slots below it; the paragraph after follows. */
	ti = find_text(r, "图1 各月产值");
	assert_true(ti >= 0);
	assert_true(fabs(r->boxes[ti].y - (TOP - PITCH * 1.5 -
	    0.38 * 16)) < 0.01);
	ytop = TOP - 2 * PITCH;
	ybot = ytop - 12 * PITCH;
	from = (size_t)ti + 1;
	after = find_text(r, "图后正文。");
	assert_true(after > ti);
	assert_true(fabs(r->boxes[after].y - (TOP - PITCH * 14.5 -
	    0.38 * 16)) < 0.01);
	for (i = from; i < (size_t)after; i++)
		assert_int_equal(r->boxes[i].page, 1);
	check_within(r, from, (size_t)after, ybot, ytop);
	assert_int_equal(check_cat_labels(r, months, 12), 12);

	/* Legend: each series name; the unit line. */
	for (s = 0; s < 4; s++)
		assert_true(find_text(r, se[s].name) > ti);
	assert_true(find_text(r, "单位：亿元") > ti);

	/* Bars: two grey levels, outlined; none at 7月.  The x positions
	 * of 7月 are taken from its slot: the label centre. */
	{
		long li = find_text(r, "7月");
		const struct lay_box *lb = &r->boxes[li];
		double w = fake_width(NULL, ROLE_BODY, lb->size, lb->text,
		    strlen(lb->text));

		assert_true(li > 0);
		assert_true(lb->angle == 0);
		mx = lb->x + w / 2;
	}
	{
		long a = find_text(r, "1月"), z = find_text(r, "12月");
		double wa = fake_width(NULL, ROLE_BODY, 10.5, "1月",
		    strlen("1月"));
		double wz = fake_width(NULL, ROLE_BODY, 10.5, "12月",
		    strlen("12月"));

		slot = ((r->boxes[z].x + wz / 2) - (r->boxes[a].x + wa / 2)) /
		    11;
		x0 = mx - slot / 2;
		x1 = mx + slot / 2;
	}
	zy = r->boxes[find_text(r, "0")].y + 0.38 * 10.5;
	for (i = from; i < (size_t)after; i++) {
		const struct lay_box *bx = &r->boxes[i];
		int bar = bx->kind == LAY_BOX_RECT && bx->gray < 1 &&
		    bx->line_width > 0 && fabs(bx->y - zy) < 0.01;
		int marker = bx->kind == LAY_BOX_RECT && bx->line_width > 0 &&
		    bx->x2 - bx->x < 6 && bx->y2 < zy + 200;
		double ex0, ey0, ex1, ey1;

		if (bar) {
			nrect++;
			if (bx->x < x1 && bx->x2 > x0)
				bars_at_july++;
			if (gray[0] < 0)
				gray[0] = bx->gray;
			else if (bx->gray != gray[0] && gray[1] < 0)
				gray[1] = bx->gray;
		}
		if (marker && fabs((bx->x + bx->x2) / 2 - mx) < 0.5)
			markers_at_july++;
		if (bx->kind == LAY_BOX_RULE && bx->line_width > 1 &&
		    bx->x < mx - 0.1 && bx->x2 > mx + 0.1 && bx->y < zy + 200)
			fail_msg("a line crosses the missing 7月");
		if (bx->kind == LAY_BOX_RULE && bx->dash > 0)
			ndash++;
		/* no value label (9 pt) over July */
		if (bx->kind == LAY_BOX_TEXT && bx->size < 10) {
			box_extent(bx, &ex0, &ey0, &ex1, &ey1);
			if ((ex0 + ex1) / 2 > x0 && (ex0 + ex1) / 2 < x1)
				fail_msg("value label %s at 7月", bx->text);
			nvalue++;
		}
	}
	assert_int_equal(bars_at_july, 0);
	assert_int_equal(markers_at_july, 0);
	assert_true(ndash > 0);                 /* the second line */
	assert_true(gray[0] >= 0 && gray[1] >= 0 && gray[0] != gray[1]);
	assert_true(fabs(gray[0] - gray[1]) >= 0.2);
	assert_true(nrect >= 22);               /* 2 × 11 bars */
	/* Value labels: one per value or nearly (line labels with no
	 * clear place are left out), none at July. */
	assert_true(nvalue >= 2 * 11 + 11);
	assert_true(find_text(r, "15") > ti);   /* bar 1, June */
	lay_free(r);
}

/* Names printed into strings: fmt with 1..n. */
static char **
numbered(const char *fmt, size_t n)
{
	char **v = calloc(n + 1, sizeof(*v));
	size_t i;

	assert_non_null(v);
	for (i = 0; i < n; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), fmt, i + 1);
		v[i] = strdup(buf);
		assert_non_null(v[i]);
	}
	return v;
}

static void
free_numbered(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The index of name s in cats, or -1. */
static long
cat_index(const char *const *cats, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(cats[i], s) == 0)
			return (long)i;
	return -1;
}

/* Lays out a one-bar-series chart of n categories (10 lines high) and
 * collects its category labels into out (checked: inside the frame, no
 * two overlapping, each a whole name, in order).  Returns their count;
 * *first and *last get whether the first and the last are labelled. */
static size_t
cat_chart(const char *const *cats, size_t n, struct catlab *out, size_t max,
    int *first, int *last)
{
	double v[64];
	int p[64];
	struct doc_series se = SERIES("投资额", DOC_SERIES_BAR, v, p);
	struct doc_chart c = CHART(NULL, NULL, n, cats, 1, &se, 0, 10);
	struct doc_node b = NODE(DOC_CHART, 0, NULL, NULL, NULL, &c);
	struct lay_result *r;
	size_t i, k;
	long prev = -1;

	assert_true(n <= 64);
	for (i = 0; i < n; i++) {
		v[i] = (double)((i * 7) % 11) + 1;
		p[i] = 1;
	}
	r = run(&b, 1);
	check_within(r, 0, 0, TOP - 10 * PITCH, TOP);
	check_cat_labels(r, cats, n);
	k = cat_labels(r, cats, n, out, max);
	for (i = 0; i < k; i++) {
		long at = cat_index(cats, n, out[i].text);

		if (at < 0)
			fail_msg("label \"%s\" is not a whole category",
			    out[i].text);
		assert_true(at > prev);
		prev = at;
	}
	*first = k > 0 && cat_index(cats, n, out[0].text) == 0;
	*last = k > 0 && cat_index(cats, n, out[k - 1].text) == (long)n - 1;
	lay_free(r);
	return k;
}

/* Short Chinese labels that fit their slots: horizontal, one line each,
 * every category labelled. */
static void
test_chart_cat_horizontal(void **state)
{
	static const char *const names[5] = {
		"新材料园", "电子信息", "新能源区", "物流中心", "冷链基地"
	};
	struct catlab l[16];
	size_t i, n;
	int first, last;

	(void)state;
	n = cat_chart(names, 5, l, 16, &first, &last);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		assert_string_equal(l[i].text, names[i]);
		assert_int_equal(l[i].lines, 1);
		assert_false(l[i].rotated);
	}
}

/* Eight parks' full names, too wide for their slots on one line: each
 * wrapped onto 2 lines, horizontal, all labelled; the break obeys the
 * line-start prohibition (no line starts with 、: "新材料、" / "新能源",
 * never "新材料" / "、新能源"). */
static void
test_chart_cat_wrap(void **state)
{
	static const char *const names[8] = {
		"青禾经济开发区", "高新技术产业园", "临港物流园", "新材料、新能源",
		"生物医药产业园", "绿色食品工业园", "智能制造园", "数字经济产业园"
	};
	double v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	int p[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	struct doc_series se = SERIES("投资额", DOC_SERIES_BAR, v, p);
	struct doc_chart c = CHART(NULL, NULL, 8, names, 1, &se, 0, 10);
	struct doc_node b = NODE(DOC_CHART, 0, NULL, NULL, NULL, &c);
	struct lay_result *r;
	struct catlab l[16];
	size_t i, n;
	int first, last;

	(void)state;
	n = cat_chart(names, 8, l, 16, &first, &last);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++) {
		assert_string_equal(l[i].text, names[i]);
		assert_int_equal(l[i].lines, 2);
		assert_false(l[i].rotated);
	}
	r = run(&b, 1);
	assert_true(find_text(r, "新材料、") >= 0);
	assert_true(find_text(r, "新能源") >= 0);
	for (i = 0; i < r->nboxes; i++)
		if (r->boxes[i].kind == LAY_BOX_TEXT)
			assert_true(strncmp(r->boxes[i].text, "、", 3) != 0);
	lay_free(r);
}

/* Many short labels that do not fit every slot, nor wrap (a line of one
 * character is not a wrap): every 2nd category labelled, horizontal, the
 * first and the last always.  The same for numbers (31 days). */
static void
test_chart_cat_thinned(void **state)
{
	char **names = numbered("第%02zu组", 20), **days = numbered("%zu日", 31);
	struct catlab l[64];
	size_t i, n;
	int first, last;

	(void)state;
	n = cat_chart((const char *const *)names, 20, l, 64, &first, &last);
	assert_true(n >= 5 && n < 20);
	assert_true(first && last);
	for (i = 0; i < n; i++) {
		assert_int_equal(l[i].lines, 1);
		assert_false(l[i].rotated);
		if (i > 0)      /* never two neighbours */
			assert_true(cat_index((const char *const *)names, 20,
			    l[i].text) - cat_index((const char *const *)names,
			    20, l[i - 1].text) >= 2);
	}
	n = cat_chart((const char *const *)days, 31, l, 64, &first, &last);
	assert_true(n >= 10 && n < 31);
	assert_true(first && last);
	for (i = 0; i < n; i++) {
		assert_int_equal(l[i].lines, 1);
		assert_false(l[i].rotated);
	}
	free_numbered(names, 20);
	free_numbered(days, 31);
}

/* Too many long labels for every 3rd slot, even wrapped: rotated 45°,
 * thinned, the first and the last labelled. */
static void
test_chart_cat_rotated(void **state)
{
	char **names = numbered("第%02zu号地块", 40);
	struct catlab l[64];
	size_t i, n;
	int first, last;

	(void)state;
	n = cat_chart((const char *const *)names, 40, l, 64, &first, &last);
	assert_true(n >= 5 && n < 40);
	assert_true(first && last);
	for (i = 0; i < n; i++)
		assert_true(l[i].rotated);
	free_numbered(names, 40);
}

/* Long Chinese labels of 10 projects with value labels: horizontal,
 * wrapped and thinned, never overlapping, inside the frame; 60 lots:
 * rotated and thinned. */
static void
test_chart_long_labels(void **state)
{
	static const char *const names[10] = {
		"青禾智能装备产业园项目", "新能源电池材料项目",
		"高端医疗器械研发生产基地", "食品精深加工项目", "绿色建材项目",
		"电子信息产业园二期", "冷链物流中心", "光伏组件项目",
		"生物医药中试基地", "汽车零部件项目"
	};
	char **many;
	double v[60];
	int p[60];
	struct doc_series se = SERIES("投资额", DOC_SERIES_BAR, v, p);
	struct doc_chart c = CHART(NULL, NULL, 10, names, 1, &se, 1, 10);
	struct doc_node b = NODE(DOC_CHART, 0, NULL, NULL, NULL, &c);
	struct lay_result *r;
	struct catlab l[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < 60; i++) {
		v[i] = (double)((i * 37) % 23) - 4.5;   /* some negative */
		p[i] = 1;
	}
	r = run(&b, 1);
	check_within(r, 0, 0, TOP - 10 * PITCH, TOP);
	check_cat_labels(r, names, 10);
	n = cat_labels(r, names, 10, l, 64);
	assert_true(n >= 5);
	assert_string_equal(l[0].text, names[0]);
	assert_string_equal(l[n - 1].text, names[9]);
	for (i = 0; i < n; i++) {
		assert_false(l[i].rotated);
		assert_true(cat_index(names, 10, l[i].text) >= 0);
	}
	lay_free(r);

	/* 60 lots: every k-th label, rotated. */
	many = numbered("第%zu号地块", 60);
	c.ncats = 60;
	c.cats = many;
	c.value_labels = 0;
	r = run(&b, 1);
	check_within(r, 0, 0, TOP - 10 * PITCH, TOP);
	check_cat_labels(r, (const char *const *)many, 60);
	n = cat_labels(r, (const char *const *)many, 60, l, 64);
	assert_true(n >= 5 && n < 60);
	for (i = 0; i < n; i++)
		assert_true(l[i].rotated);
	assert_true(find_text(r, "第1号地块") >= 0);
	assert_true(find_text(r, "第60号地块") >= 0);
	lay_free(r);
	free_numbered(many, 60);
}

/* Negative bars go down from the zero line; the axis has a 0 tick. */
static void
test_chart_negative(void **state)
{
	static const char *const cats[4] = { "一季度", "二季度", "三季度",
		"四季度" };
	double v[4] = { 3.5, -2.25, 4, -1 };
	int p[4] = { 1, 1, 1, 1 };
	struct doc_series se = SERIES("增速", DOC_SERIES_BAR, v, p);
	struct doc_chart c = CHART("图2 增速", "%", 4, cats, 1, &se, 1, 8);
	struct doc_node b = NODE(DOC_CHART, 0, NULL, NULL, NULL, &c);
	struct lay_result *r = run(&b, 1);
	size_t i;
	long zero = find_text(r, "0");
	double zy, top_of_neg = 0;
	int nneg = 0, npos = 0;

	(void)state;
	assert_true(zero >= 0);
	zy = r->boxes[zero].y + 0.38 * 10.5;    /* tick label centre */
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (bx->kind != LAY_BOX_RECT || bx->gray >= 1 ||
		    bx->x2 - bx->x < 6)
			continue;
		if (fabs(bx->y2 - zy) < 0.01 && bx->y < zy) {
			nneg++;
			top_of_neg = bx->y2;
		} else if (fabs(bx->y - zy) < 0.01 && bx->y2 > zy)
			npos++;
	}
	assert_int_equal(nneg, 2);
	assert_int_equal(npos, 2);
	assert_true(fabs(top_of_neg - zy) < 0.01);
	assert_true(find_text(r, "-2.25") >= 0);
	assert_true(find_text(r, "单位：%") >= 0);
	check_within(r, 0, 0, TOP - 9 * PITCH, TOP);
	lay_free(r);
}

/* A chart that does not fit floats to the top of the next page with its
 * title; the text after it fills this page first.  The dump prints the
 * new kinds. */
static void
test_chart_page_and_dump(void **state)
{
	double v[3] = { 5, 5, 5 };
	int p[3] = { 1, 1, 1 };
	static const char *const cats[3] = { "甲", "乙", "丙" };
	struct doc_series se[2] = {
		SERIES("甲值", DOC_SERIES_LINE, v, p),
		SERIES("乙值", DOC_SERIES_LINE, v, p),
	};
	struct doc_chart c = CHART("图3 标题", NULL, 3, cats, 2, se, 0, 0);
	struct doc_node b[3] = {
		NODE(DOC_PARA, 0, NULL, NULL, NULL, NULL),
		NODE(DOC_CHART, 0, NULL, NULL, NULL, &c),
		NODE(DOC_PARA, 0, "后文。", NULL, NULL, NULL),
	};
	char *para = malloc(16 * 3 * 28 + 1);
	struct lay_result *r;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;
	long t, a;

	(void)state;
	assert_non_null(para);
	para[0] = '\0';
	for (i = 0; i < 16 * 28 - 2; i++)       /* 16 lines */
		strcat(para, "文");
	b[0].text = para;
	r = run(b, 3);
	t = find_text(r, "图3 标题");
	a = find_text(r, "后文。");
	assert_true(t >= 0 && a >= 0);
	assert_int_equal(r->boxes[t].page, 2);
	assert_true(fabs(r->boxes[t].y - (TOP - PITCH * 0.5 - 0.38 * 16)) <
	    0.01);
	assert_int_equal(r->boxes[a].page, 1);
	assert_true(fabs(r->boxes[a].y - (TOP - PITCH * 16.5 - 0.38 * 16)) <
	    0.01);
	assert_true(a < t);
	check_within(r, (size_t)t + 1, r->nboxes - 1, TOP - 13 * PITCH,
	    TOP - PITCH);
	/* equal values: a non-degenerate axis, both lines drawn */
	assert_true(find_text(r, "5") >= 0);

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	lay_dump(r, fp);
	fclose(fp);
	assert_non_null(strstr(buf, " rect "));
	assert_non_null(strstr(buf, " dash 4.00"));
	assert_non_null(strstr(buf, " gray 0.80"));
	free(buf);
	lay_free(r);

	/* A rotated text box dumps as "PAGE rot ANGLE X Y ROLE SIZE TEXT". */
	{
		struct lay_box bx;
		struct lay_result rr;

		memset(&bx, 0, sizeof(bx));
		memset(&rr, 0, sizeof(rr));
		bx.page = 1;
		bx.kind = LAY_BOX_TEXT;
		bx.role = ROLE_BODY;
		bx.size = 10.5;
		bx.x = 100;
		bx.y = 200;
		bx.angle = 45;
		bx.text = (char *)"标签";
		rr.nboxes = 1;
		rr.boxes = &bx;
		rr.npages = 1;
		buf = NULL;
		fp = open_memstream(&buf, &len);
		assert_non_null(fp);
		lay_dump(&rr, fp);
		fclose(fp);
		assert_string_equal(buf,
		    "1 rot 45.00 100.00 200.00 body 10.50 标签\n");
		free(buf);
	}
	free(para);
}

/* A heading is kept with the chart after it: when the chart moves to the
 * next page, so does the heading. */
static void
test_chart_heading_keep(void **state)
{
	double v[3] = { 1, 2, 3 };
	int p[3] = { 1, 1, 1 };
	static const char *const cats[3] = { "甲", "乙", "丙" };
	struct doc_series se = SERIES("值", DOC_SERIES_BAR, v, p);
	struct doc_chart c = CHART("图4 标题", NULL, 3, cats, 1, &se, 0, 0);
	char *para = malloc(3 * 28 * 16 + 1);
	struct doc_node b[3] = {
		NODE(DOC_PARA, 0, NULL, NULL, NULL, NULL),
		NODE(DOC_HEADING, 1, "二、图表", NULL, NULL, NULL),
		NODE(DOC_CHART, 0, NULL, NULL, NULL, &c),
	};
	struct lay_result *r;
	size_t i;
	long h, t;

	(void)state;
	assert_non_null(para);
	para[0] = '\0';
	for (i = 0; i < 15 * 28 - 2; i++)       /* 15 lines */
		strcat(para, "文");
	b[0].text = para;
	r = run(b, 3);
	h = find_text(r, "二、图表");
	t = find_text(r, "图4 标题");
	assert_true(h >= 0 && t > h);
	assert_int_equal(r->boxes[h].page, 2);
	assert_int_equal(r->boxes[t].page, 2);
	assert_true(fabs(r->boxes[h].y - (TOP - PITCH * 0.5 - 0.38 * 16)) <
	    0.01);
	lay_free(r);
	free(para);
}

/* Degenerate charts: no categories, no series, missing everything. */
static void
test_chart_degenerate(void **state)
{
	static const char *const cats[2] = { "甲", "乙" };
	double v[2] = { 0, 0 };
	int p[2] = { 0, 0 };
	struct doc_series se = SERIES("空", DOC_SERIES_BAR, v, p);
	struct doc_chart c0 = CHART("空图", NULL, 0, NULL, 0, NULL, 1, 4);
	struct doc_chart c1 = CHART(NULL, "亿元", 2, cats, 1, &se, 1, 40);
	struct doc_node b[2] = {
		NODE(DOC_CHART, 0, NULL, NULL, NULL, &c0),
		NODE(DOC_CHART, 0, NULL, NULL, NULL, &c1),
	};
	struct lay_result *r = run(b, 2);

	(void)state;
	check_within(r, 0, 0, BOTTOM, TOP);
	assert_true(r->npages >= 1);
	lay_free(r);
}

/* The new box kinds through render: a chart drawn into a PDF with the
 * Debian fonts (rectangles, grey levels, dashes, rotated text), its text
 * extracted by pdftotext. */
static void
test_chart_pdf(void **state)
{
	static const char *const fonts[ROLE_COUNT] = {
		[ROLE_TITLE] = "AR PL SungtiL GB, AR PL UMing CN",
		[ROLE_BODY] = "AR PL UMing CN",
		[ROLE_HEADING] = "WenQuanYi Zen Hei",
		[ROLE_SUBHEADING] = "AR PL UKai CN",
		[ROLE_LATIN] = "Liberation Serif",
		[ROLE_PAGENUM] = "AR PL UMing CN",
	};
	static const char *const cats[5] = { "青禾智能装备产业园项目",
		"新能源电池材料项目", "高端医疗器械研发生产基地",
		"食品精深加工项目", "绿色建材项目" };
	double v1[5] = { 35.2, 22, 18.5, -6.3, 2.4 };
	double v2[5] = { 30, 25.5, 10.2, 8.8, 3 };
	int p1[5] = { 1, 1, 1, 1, 1 }, p2[5] = { 1, 1, 0, 1, 1 };
	struct doc_series se[3] = {
		SERIES("计划投资", DOC_SERIES_BAR, v1, p1),
		SERIES("完成投资", DOC_SERIES_LINE, v2, p2),
		SERIES("上年完成", DOC_SERIES_LINE, v1, p2),
	};
	struct doc_chart c = CHART("图1 重点项目投资", "亿元", 5, cats, 3, se, 1, 0);
	struct doc_node b = NODE(DOC_CHART, 0, NULL, NULL, NULL, &c);
	struct style st = default_style();
	struct rnd_info info = { "图表", "测试", NULL, "test_chart", 0 };
	char path[] = "/tmp/zj-test-chart-XXXXXX";
	char cmd[256], text[4096];
	struct rnd *rd;
	struct lay_result *r;
	FILE *fp;
	size_t n;
	int fd;

	(void)state;
	/* The fonts come from tests/install-deps.sh: missing ones fail. */
	rd = rnd_create(fonts, NULL, NULL);
	assert_non_null(rd);
	r = lay_nodes_m(&b, 1, &st, rnd_measure(rd));
	assert_non_null(r);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rnd_write(rd, r, &st, &info, path), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext -q '%s' - 2>/dev/null", path);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	/* pdftotext (poppler-utils) must exist and read the PDF. */
	assert_int_equal(pclose(fp), 0);
	assert_non_null(strstr(text, "单位：亿元"));
	assert_non_null(strstr(text, "计划投资"));
	assert_non_null(strstr(text, "上年完成"));
	assert_non_null(strstr(text, "35.2"));
	unlink(path);
	lay_free(r);
	rnd_free(rd);
}

/* Checks that no two y tick labels (right-aligned, upright, 10.5 pt
 * numbers left of everything else) overlap vertically. */
static void
check_tick_labels(const struct lay_result *r, size_t from)
{
	size_t i, j;

	for (i = from; i < r->nboxes; i++) {
		const struct lay_box *a = &r->boxes[i];

		if (a->kind != LAY_BOX_TEXT || a->angle != 0 ||
		    a->size != 10.5 || a->x > LEFT + 60 ||
		    strspn(a->text, "-0123456789,.") != strlen(a->text))
			continue;
		for (j = i + 1; j < r->nboxes; j++) {
			const struct lay_box *b = &r->boxes[j];

			if (b->kind != LAY_BOX_TEXT || b->angle != 0 ||
			    b->size != 10.5 || b->x > LEFT + 60 ||
			    strspn(b->text, "-0123456789,.") !=
			    strlen(b->text))
				continue;
			if (fabs(a->y - b->y) < 10.5)
				fail_msg("tick labels %s and %s overlap",
				    a->text, b->text);
		}
	}
}

/* A low chart (4 lines, the smallest the config allows) with long labels
 * and value labels, and a legend too wide for the top row: everything
 * still inside the frame, the legend below the plot, labels apart. */
static void
test_chart_small_and_legend_below(void **state)
{
	static const char *const names[6] = {
		"青禾智能装备产业园项目", "新能源电池材料项目",
		"高端医疗器械研发生产基地", "食品精深加工项目", "绿色建材项目",
		"电子信息产业园二期"
	};
	double v[6] = { 1234.5, 22000.25, -18.5, 6.3, 0, 15 };
	int p[6] = { 1, 1, 1, 1, 1, 1 };
	struct doc_series se[4] = {
		SERIES("二〇二一年计划完成投资额", DOC_SERIES_BAR, v, p),
		SERIES("二〇二一年实际完成投资额", DOC_SERIES_BAR, v, p),
		SERIES("二〇二〇年同期完成投资额", DOC_SERIES_LINE, v, p),
		SERIES("二〇一九年同期完成投资额", DOC_SERIES_LINE, v, p),
	};
	struct doc_chart c = CHART("图5 低图", "亿元", 6, names, 4, se, 1, 4);
	struct doc_node b[2] = {
		NODE(DOC_HEADING, 1, "一、标题", NULL, NULL, NULL),
		NODE(DOC_CHART, 0, NULL, NULL, NULL, &c),
	};
	struct lay_result *r;
	size_t i, j;
	long t, un;
	int h;

	(void)state;
	for (h = 4; h <= 12; h += 8) {
		c.height_lines = h;
		r = run(b, 2);
		t = find_text(r, "图5 低图");
		assert_true(t >= 0);
		check_within(r, (size_t)t + 1, 0, TOP - (2 + h) * PITCH,
		    TOP - 2 * PITCH);
		check_cat_labels(r, names, 6);
		if (h == 12) {
			assert_true(find_text(r, "20,000") >= 0);  /* tick */
			assert_true(find_text(r, "22,000.25") >= 0);
		}
		check_tick_labels(r, (size_t)t + 1);
		/* legend below every category label's top */
		un = find_text(r, "单位：亿元");
		assert_true(un > t);
		for (i = 0; i < 4; i++) {
			long li = find_text(r, se[i].name);
			double ax[4], ay[4];

			assert_true(li > t);
			assert_true(r->boxes[li].y < r->boxes[un].y - 20);
			text_corners(&r->boxes[li], ax, ay);
			for (j = (size_t)t + 1; j < r->nboxes; j++) {
				double bx[4], by[4];

				if (j == (size_t)li ||
				    r->boxes[j].kind != LAY_BOX_TEXT ||
				    r->boxes[j].role == ROLE_PAGENUM)
					continue;
				text_corners(&r->boxes[j], bx, by);
				if (quads_overlap(ax, ay, bx, by))
					fail_msg("legend %s overlaps %s",
					    se[i].name, r->boxes[j].text);
			}
		}
		lay_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_fraction),
		cmocka_unit_test(test_ticks_large),
		cmocka_unit_test(test_ticks_equal),
		cmocka_unit_test(test_ticks_negative),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_chart_combo),
		cmocka_unit_test(test_chart_long_labels),
		cmocka_unit_test(test_chart_cat_horizontal),
		cmocka_unit_test(test_chart_cat_wrap),
		cmocka_unit_test(test_chart_cat_thinned),
		cmocka_unit_test(test_chart_cat_rotated),
		cmocka_unit_test(test_chart_negative),
		cmocka_unit_test(test_chart_page_and_dump),
		cmocka_unit_test(test_chart_heading_keep),
		cmocka_unit_test(test_chart_degenerate),
		cmocka_unit_test(test_chart_small_and_legend_below),
		cmocka_unit_test(test_chart_pdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
