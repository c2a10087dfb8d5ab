/* Unit tests for layout_stream.c: lay_stream lays out exactly what
 * lay_run does (page by page through lay_page), also when a keep rule
 * rolls a long table back after its boxes went to disk; figures are
 * located in it (read back from disk) where lay_run's result has them,
 * and review marks added to it are drawn as on lay_run's; and it fails
 * cleanly when no temporary file can be written. */
#include "testutil.h"

#include "diag.h"
#include "layout.h"
#include "util.h"

#define NODE(k, lvl, txt, txt2, tbl) { .kind = (k), .level = (lvl), \
	.text = (char *)(txt), .text2 = (char *)(txt2), .table = (tbl) }

/* test_style_gbt with a Han-Latin gap: boxes with Latin in Han text are
 * set as runs. */
static struct style
test_style(void)
{
	struct style st = test_style_gbt();

	st.cjk_latin_space = 0.25;
	return st;
}

static const char *const hdr[] = { "项目名称", "投资额", "状态" };
static const enum align al[] = { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_LEFT };
static const double wd[] = { 0, 0, 0 };

/* A table of nrows rows (the cells in *cells, caller frees). */
static struct doc_table
big_table(size_t nrows, char ***cells)
{
	struct doc_table t;
	char **c = malloc(nrows * 3 * sizeof(*c));
	size_t i;

	assert_non_null(c);
	for (i = 0; i < nrows; i++) {
		c[i * 3] = i % 3 ? xasprintf("年产%zu万吨新材料项目", i) :
		    xasprintf("园区第%zu号标准厂房及配套设施一体化产业基地建设"
		    "项目（二期）", i);
		c[i * 3 + 1] = xasprintf("%zu.%02zu", i * 7 % 1000, i % 100);
		c[i * 3 + 2] = xstrdup(i % 5 ? "在建" : "签约");
	}
	memset(&t, 0, sizeof(t));
	t.title = (char *)"表1 项目台账";
	t.unit = (char *)"单位：亿元";
	t.continued = "续表";
	t.empty_text = (char *)"本期无项目。";
	t.missing = "—";
	t.ncols = 3;
	t.headers = (char **)hdr;
	t.aligns = (enum align *)al;
	t.widths = (double *)wd;
	t.nrows = nrows;
	t.cells = c;
	*cells = c;
	return t;
}

static void
free_cells(char **c, size_t nrows)
{
	for (size_t i = 0; i < nrows * 3; i++)
		free(c[i]);
	free(c);
}

/* Asserts that a (lay_run) and b (lay_stream) have the same pages, boxes
 * (page by page, in order, texts included) and bookmarks. */
static void
assert_same(struct lay_result *a, struct lay_result *b)
{
	assert_int_equal(a->npages, b->npages);
	assert_int_equal(a->nmarks, b->nmarks);
	for (size_t i = 0; i < a->nmarks; i++) {
		assert_int_equal(a->marks[i].page, b->marks[i].page);
		assert_true(a->marks[i].y == b->marks[i].y);
		assert_string_equal(a->marks[i].title, b->marks[i].title);
	}
	size_t total = 0;
	for (int p = 1; p <= a->npages; p++) {
		const struct lay_box *ba, *bb;
		size_t na, nb;

		assert_int_equal(lay_page(a, p, 0, &ba, &na), 0);
		assert_int_equal(lay_page(b, p, 0, &bb, &nb), 0);
		assert_int_equal(na, nb);
		for (size_t i = 0; i < na; i++) {
			struct lay_box x = ba[i], y = bb[i];

			assert_int_equal(x.page, p);
			if (x.text != NULL || y.text != NULL) {
				assert_non_null(x.text);
				assert_non_null(y.text);
				assert_string_equal(x.text, y.text);
			}
			x.text = y.text = NULL;
			assert_memory_equal(&x, &y, sizeof(x));
		}
		total += na;
	}
	assert_int_equal(total, a->nboxes);
	lay_page_done(a);
}

/* filler lines of body text, a lead-in sentence, a long table, more
 * text, a signature */
static void
check_doc(size_t filler, size_t nrows, int *rolled)
{
	struct style st = test_style();
	char **cells;
	struct doc_table t = big_table(nrows, &cells);
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < filler * 28 - 2; i++)
		sb_adds(&sb, i % 40 == 39 ? "。" : "园");
	struct doc_node nodes[] = {
		NODE(DOC_TITLE, 0, "青禾县2021年项目台账", NULL, NULL),
		NODE(DOC_HEADING, 1, "一、总体情况", NULL, NULL),
		NODE(DOC_PARA, 0, sb_str(&sb), NULL, NULL),
		NODE(DOC_PARA, 0, "全部项目见下表。", NULL, NULL),
		NODE(DOC_TABLE, 0, NULL, NULL, &t),
		NODE(DOC_HEADING, 1, "二、下一步工作（2022年）", NULL, NULL),
		NODE(DOC_PARA, 0, "做好GDP核算和R&D投入统计，推进5G基站建设。",
		    NULL, NULL),
		NODE(DOC_SIGNATURE, 0, "青禾县工业集中发展区管理委员会",
		    "2021年12月31日", NULL),
	};
	struct doc d = { .n = sizeof(nodes) / sizeof(nodes[0]), .nodes = nodes };
	struct lay_result *a = lay_run(&d, &st, lay_fake_measure());
	struct lay_result *b = lay_stream(&d, &st, lay_fake_measure());

	assert_non_null(a);
	assert_non_null(b);
	/* the streamed result keeps no box in memory */
	assert_int_equal(b->base, b->nboxes);
	assert_null(b->boxes);
	assert_same(a, b);
	/* the lead-in sentence went to the page of the table (the keep
	 * rule rolled back the whole table) */
	for (size_t i = 0; i < a->nboxes; i++)
		if (a->boxes[i].text != NULL &&
		    strcmp(a->boxes[i].text, "全部项目见下表。") == 0 &&
		    a->boxes[i].page == 2)
			*rolled = 1;
	lay_free(a);
	lay_free(b);
	sb_free(&sb);
	free_cells(cells, nrows);
}

static void
test_same_as_run(void **state)
{
	int rolled = 0;

	(void)state;
	diag_reset();
	/* 3000 rows: some 10,000 boxes, written out several times */
	for (size_t filler = 15; filler <= 21; filler++)
		check_doc(filler, 3000, &rolled);
	/* one of them put the sentence at the foot of page 1, and the rule
	 * undid the table's boxes from disk */
	assert_true(rolled);
	check_doc(3, 5, &rolled);
	assert_int_equal(diag_error_count(), 0);
}

static void
assert_same_rects(const struct lay_rect *x, size_t nx,
    const struct lay_rect *y, size_t ny)
{
	assert_int_equal(nx, ny);
	for (size_t i = 0; i < nx; i++) {
		assert_int_equal(x[i].page, y[i].page);
		assert_true(x[i].x0 == y[i].x0 && x[i].x1 == y[i].x1 &&
		    x[i].y0 == y[i].y0 && x[i].y1 == y[i].y1);
	}
}

/* Figures located in a streamed layout (boxes read back from disk) are
 * where lay_run's result has them: every node's first page and top on
 * each page, each part of the paragraphs' and the signature's texts,
 * every cell of a 2000-row table whose cells are all computed (long
 * names on several lines, each line found, also of rows split over a
 * page break); review marks
 * added to both come out on the same pages in the same order. */
static void
test_locate_same_as_run(void **state)
{
	/* no Han-Latin gap: lay_run's text setter splits no box, so its
	 * box indices are the streamed layout's */
	struct style st = test_style_gbt();
	const struct lay_measure *m = lay_fake_measure();
	size_t nrows = 2000, i, k, na, nb;
	char **cells;
	struct doc_table t = big_table(nrows, &cells);
	struct doc_prov *rows[1] = { NULL };
	struct strbuf sb;
	static struct lay_rect ra[1024], rb[1024];

	(void)state;
	diag_reset();
	static const double maxw[] = { 60, 0, 0 };

	t.prov = rows;          /* with src_rows NULL: every cell computed */
	t.max_widths = (double *)maxw;  /* long names take several lines */
	/* one taller than a page: the row is split */
	free(cells[500 * 3]);
	sb_init(&sb);
	for (i = 0; i < 600; i++)
		sb_adds(&sb, "项目");
	cells[500 * 3] = sb_detach(&sb);
	sb_init(&sb);
	for (i = 0; i < 1200; i++)
		sb_adds(&sb, i % 40 == 39 ? "。" : i % 7 ? "园" : "区");
	struct doc_node nodes[] = {
		NODE(DOC_TITLE, 0, "青禾县2021年项目台账", NULL, NULL),
		NODE(DOC_PARA, 0, sb_str(&sb), NULL, NULL),
		NODE(DOC_TABLE, 0, NULL, NULL, &t),
		NODE(DOC_PARA, 0, "全部项目见上表，合计投资见表末。", NULL,
		    NULL),
		NODE(DOC_SIGNATURE, 0, "青禾县工业集中发展区管理委员会",
		    "2021年12月31日", NULL),
	};
	struct doc d = { .n = sizeof(nodes) / sizeof(nodes[0]), .nodes = nodes };
	struct lay_result *a = lay_run(&d, &st, m);
	struct lay_result *b = lay_stream(&d, &st, m);

	assert_non_null(a);
	assert_non_null(b);
	assert_null(b->boxes);
	assert_int_equal(a->nboxes, b->nboxes);
	assert_int_equal(a->nsrcs, b->nsrcs);
	assert_true(b->nsrcs > 3 * nrows);
	assert_true(a->npages > 40);
	for (k = 0; k < d.n; k++) {
		assert_int_equal(lay_node_page(a, k), lay_node_page(b, k));
		assert_true(lay_node_page(b, k) > 0);
		for (int p = 1; p <= a->npages; p++) {
			double ta = -1, tb = -1;

			assert_int_equal(lay_node_top(a, k, p, &ta),
			    lay_node_top(b, k, p, &tb));
			assert_true(ta == tb);
		}
	}
	/* every 3 bytes of the long paragraph (a character each), the
	 * whole of each text, the signature's date (text2) */
	for (k = 0; k < d.n; k++) {
		const char *s = nodes[k].text;
		size_t len = s != NULL ? strlen(s) : 0, from;

		for (from = 0; from < len; from += 3) {
			na = lay_locate_text(a, m, k, 0, from, from + 3, ra, 1024);
			nb = lay_locate_text(b, m, k, 0, from, from + 3, rb, 1024);
			assert_same_rects(ra, na, rb, nb);
		}
		na = lay_locate_text(a, m, k, 0, 0, len, ra, 1024);
		nb = lay_locate_text(b, m, k, 0, 0, len, rb, 1024);
		assert_same_rects(ra, na, rb, nb);
		assert_true(len == 0 || nb > 0);
	}
	na = lay_locate_text(a, m, 4, 1, 0, strlen(nodes[4].text2), ra, 1024);
	nb = lay_locate_text(b, m, 4, 1, 0, strlen(nodes[4].text2), rb, 1024);
	assert_same_rects(ra, na, rb, nb);
	assert_true(nb > 0);
	struct lay_cells *ia = lay_cells_index(a), *ib = lay_cells_index(b);
	/* each cell's sources, counted in the srcs; a row split over a
	 * page break has its cells' lines apart there */
	size_t *nsrc = calloc(nrows * 3, sizeof(*nsrc)), last = SIZE_MAX;
	size_t apart = 0;

	assert_non_null(nsrc);
	for (i = 0; i < b->nsrcs; i++) {
		size_t c;

		if (!(b->srcs[i].src & LAY_SRC_CELL) ||
		    b->srcs[i].src == LAY_SRC_NONE)
			continue;
		c = b->srcs[i].src - LAY_SRC_CELL;
		assert_true(c < nrows * 3);
		if (nsrc[c]++ > 0 && c != last)
			apart++;
		last = c;
	}
	assert_true(apart > 0);

	for (k = 0; k < nrows * 3; k++) {
		na = lay_locate_cell(a, ia, m, 2, k, ra, 1024);
		nb = lay_locate_cell(b, ib, m, 2, k, rb, 1024);
		assert_same_rects(ra, na, rb, nb);
		assert_true(nb > 0);
		/* every line of it (lines on one baseline would merge) */
		assert_int_equal(nb, nsrc[k]);
		if (k % 3 == 0 && k / 3 % 3 == 0)
			assert_true(nb >= 3);
		if (k == 500 * 3)
			assert_true(nb > 100 && rb[nb - 1].page > rb[0].page);
		if (k % 97 == 0) {
			/* a mark on some cells: drawn after their page's
			 * boxes */
			lay_review_mark(a, m, ra, na, (int)k + 1, "note");
			lay_review_mark(b, m, rb, nb, (int)k + 1, "note");
		}
	}
	assert_int_equal(lay_locate_cell(b, ib, m, 2, nrows * 3, rb, 1024), 0);
	lay_cells_free(ia);
	lay_cells_free(ib);
	free(nsrc);
	assert_true(b->nboxes > b->base);
	assert_int_equal(a->nnotes, b->nnotes);
	assert_same(a, b);
	assert_int_equal(lay_read_failed(b), 0);
	lay_free(a);
	lay_free(b);
	sb_free(&sb);
	free_cells(cells, nrows);
	assert_int_equal(diag_error_count(), 0);
}

static void
test_no_tmpdir(void **state)
{
	struct style st = test_style();
	struct doc_node nodes[] = {
		NODE(DOC_PARA, 0, "正文。", NULL, NULL),
	};
	struct doc d = { .n = 1, .nodes = nodes };
	const char *old = getenv("TMPDIR");
	char *keep = old != NULL ? xstrdup(old) : NULL;

	(void)state;
	capture_start();
	setenv("TMPDIR", "/nonexistent/zongjie-test", 1);
	assert_null(lay_stream(&d, &st, lay_fake_measure()));
	if (keep != NULL)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	assert_int_equal(diag_exit_code(), EXIT_OUTPUT);
	assert_non_null(strstr(captured(), "/nonexistent/zongjie-test"));
	capture_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_run),
		cmocka_unit_test(test_locate_same_as_run),
		cmocka_unit_test(test_no_tmpdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
