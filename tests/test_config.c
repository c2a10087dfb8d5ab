/* Unit tests: config.c (INI loading and validation). */
#include "testutil.h"
#include "config.h"
#include "diag.h"

#include <unistd.h>

static char path[64];

static int
setup(void **state)
{
	(void)state;
	capture_start();
	snprintf(path, sizeof(path), "/tmp/zj-test-config-%d.ini", (int)getpid());
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	capture_stop();
	unlink(path);
	return 0;
}


static void
write_ini(const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

#define MINIMAL \
	"[report]\ntitle = {year}年工作总结\ntemplate = config/report.md\n" \
	"[fonts]\ntitle = a\nbody = b\nheading = c\nsubheading = d\n" \
	"latin = e\npagenum = f\n"

static void
test_minimal(void **state)
{
	struct cfg *c;

	(void)state;
	write_ini(MINIMAL "[data.kpi]\nfile = input/{period}/kpi.csv\nkey = 指标\n"
	    "[table.t]\nsource = kpi\ncol1 = 指标\n"
	    "col2 = 投资额（亿元）| 投资额 | .2 | right | 30\nnumber = yes\n"
	    "col3 = 备注 | 备注 | | | 20-40\ncol4 = 状态 | 状态 | | | -15\n"
	    "col5 = 同比 | {growth(本期, 上年同期) | .1} | | right\n");
	c = cfg_load(path);
	assert_non_null(c);
	assert_string_equal(c->title, "{year}年工作总结");
	assert_string_equal(c->output, "out/zongjie-{period}.pdf");
	assert_string_equal(c->missing, "—");
	assert_string_equal(c->fonts[ROLE_BODY], "b");
	assert_int_equal(c->nsources, 1);
	assert_string_equal(cfg_source(c, "kpi")->key, "指标");
	assert_non_null(cfg_table(c, "t"));
	assert_int_equal(cfg_table(c, "t")->ncols, 5);
	assert_string_equal(cfg_table(c, "t")->cols[4].value,
	    "{growth(本期, 上年同期) | .1}");
	assert_int_equal(cfg_table(c, "t")->cols[4].align, ALIGN_RIGHT);
	assert_true(cfg_table(c, "t")->cols[2].min_mm == 20);
	assert_true(cfg_table(c, "t")->cols[2].max_mm == 40);
	assert_true(cfg_table(c, "t")->cols[2].width_mm == 0);
	assert_true(cfg_table(c, "t")->cols[3].min_mm == 0);
	assert_true(cfg_table(c, "t")->cols[3].max_mm == 15);
	assert_string_equal(cfg_table(c, "t")->cols[1].header, "投资额（亿元）");
	assert_string_equal(cfg_table(c, "t")->cols[1].value, "投资额");
	assert_string_equal(cfg_table(c, "t")->cols[1].format, ".2");
	assert_int_equal(cfg_table(c, "t")->cols[1].align, ALIGN_RIGHT);
	assert_true(cfg_table(c, "t")->cols[1].width_mm == 30);
	assert_string_equal(cfg_table(c, "t")->cols[0].value, "指标");
	assert_int_equal(cfg_table(c, "t")->number, 1);
	/* GB/T 9704 defaults. */
	assert_true(c->style.block_w > 442.2 && c->style.block_w < 442.21);
	assert_int_equal(c->style.lines_per_page, 22);
	cfg_free(c);
}

static void
test_bom_and_layout(void **state)
{
	struct cfg *c;

	(void)state;
	write_ini("\xEF\xBB\xBF" MINIMAL "[layout]\nlines_per_page = 20\n"
	    "margin_top_mm = 30\npagenum_format = - %d -\n"
	    "pagenum_position = center\n");
	c = cfg_load(path);
	assert_non_null(c);
	assert_int_equal(c->style.lines_per_page, 20);
	assert_true(c->style.margin_top > 85.03 && c->style.margin_top < 85.04);
	assert_string_equal(c->style.pagenum_format, "- %d -");
	assert_int_equal(c->style.pagenum_center, 1);
	assert_true(c->style.cjk_latin_space == 0);     /* default: none */
	cfg_free(c);
	write_ini(MINIMAL "[layout]\ncjk_latin_space = 0.25\n");
	c = cfg_load(path);
	assert_non_null(c);
	assert_true(c->style.cjk_latin_space == 0.25);
	cfg_free(c);
}

static void
test_errors(void **state)
{
	(void)state;
	write_ini("[report]\ntitle = x\ncolour = red\n"
	    "[fonts]\ntitle = a\nbody = b\nheading = c\nsubheading = d\n"
	    "latin = e\npagenum = f\n"
	    "[layout]\nlines_per_page = 08x\nbody_size = 2cm\n"
	    "cjk_latin_space = 1/4\n"
	    "[bogus]\na = 1\n"
	    "[table.t]\nsource = nosuch\ncol1 = 名称\ncol3 = 跳号\n");
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), "[report] colour: error: unknown key"));
	assert_non_null(strstr(captured(), "[report] template: error: required "
	    "key is missing"));
	assert_non_null(strstr(captured(), "[layout] lines_per_page: error: "
	    "\"08x\" is not a whole number"));
	assert_non_null(strstr(captured(), "[layout] body_size: error: \"2cm\""));
	assert_non_null(strstr(captured(), "[layout] cjk_latin_space: error: "
	    "\"1/4\" is not a part of an em from 0 to 0.5"));
	assert_non_null(strstr(captured(), "[bogus]: error: unknown section"));
	assert_non_null(strstr(captured(), "[table.t] source: error: no "
	    "[data.nosuch]"));
	assert_non_null(strstr(captured(), "[table.t] col3: error: columns "
	    "must be numbered"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

/* [chart.NAME] decimals: one number for every series, one per series
 * (bars, then lines), or none (from the data); anything else, or a count
 * that matches neither, is an error at the section and key. */
static void
test_chart_decimals(void **state)
{
	struct cfg *c;
	const struct cfg_chart *ch;

	(void)state;
	write_ini(MINIMAL "[data.inv]\nfile = inv.csv\n"
	    "[chart.a]\nsource = inv\ncategory = 类别\nbars = 投资额\n"
	    "lines = 项目数\ndecimals = 1\n"
	    "[chart.b]\nsource = inv\ncategory = 类别\nbars = 投资额\n"
	    "lines = 项目数\ndecimals = 2, 0\n"
	    "[chart.c]\nsource = inv\ncategory = 类别\nbars = 投资额\n");
	c = cfg_load(path);
	assert_non_null(c);
	ch = cfg_chart(c, "a");
	assert_int_equal(ch->ndecimals, 1);
	assert_int_equal(ch->decimals[0], 1);
	ch = cfg_chart(c, "b");
	assert_int_equal(ch->ndecimals, 2);
	assert_int_equal(ch->decimals[0], 2);
	assert_int_equal(ch->decimals[1], 0);
	assert_int_equal(cfg_chart(c, "c")->ndecimals, 0);
	cfg_free(c);
	write_ini(MINIMAL "[data.inv]\nfile = inv.csv\n"
	    "[chart.a]\nsource = inv\ncategory = 类别\nbars = 投资额\n"
	    "decimals = 7\n"
	    "[chart.b]\nsource = inv\ncategory = 类别\nbars = 投资额\n"
	    "decimals = 1.5\n"
	    "[chart.c]\nsource = inv\ncategory = 类别\nbars = 投资额\n"
	    "lines = 项目数\ndecimals = 1, 0, 2\n");
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), "[chart.a] decimals: error: \"7\" "
	    "is not a number of decimals from 0 to 6"));
	assert_non_null(strstr(captured(), "[chart.b] decimals: error: "
	    "\"1.5\" is not a number of decimals"));
	assert_non_null(strstr(captured(), "[chart.c] decimals: error: 3 "
	    "numbers of decimals for 2 series"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

static void
test_missing_file(void **state)
{
	(void)state;
	assert_null(cfg_load("/nonexistent/zongjie.ini"));
	assert_non_null(strstr(captured(), "/nonexistent/zongjie.ini: error: "
	    "cannot open configuration"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

/* An empty file: a located error, no undefined behaviour (the duplicate
 * check once passed qsort a NULL array; found by make fuzz, UBSan). */
static void
test_empty(void **state)
{
	(void)state;
	write_ini("");
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), path));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

static void
test_long_line(void **state)
{
	char *buf = malloc(3000);

	(void)state;
	strcpy(buf, MINIMAL "subtitle = ");
	memset(buf + strlen(buf), 'x', 1500);
	buf[strlen(MINIMAL "subtitle = ") + 1500] = '\0';
	strcat(buf, "\n");
	write_ini(buf);
	free(buf);
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), ":11: error: line is"));
}

static void
test_syntax_error(void **state)
{
	(void)state;
	write_ini(MINIMAL "[data.x\nfile = y\n");
	assert_null(cfg_load(path));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
	assert_non_null(strstr(captured(), path));
}

static void
test_bad_column(void **state)
{
	(void)state;
	write_ini(MINIMAL "[data.kpi]\nfile = k.csv\n[table.t]\nsource = kpi\n"
	    "col1 = 名称 | 名称 | | diagonal\ncol2 = a|b|c|left|-3x\n"
	    "col3 = a|b|c|left|40-20\n");
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), "[table.t] col1: error: alignment "
	    "\"diagonal\""));
	assert_non_null(strstr(captured(), "[table.t] col2: error: width \"-3x\""));
	assert_non_null(strstr(captured(), "[table.t] col3: error: width \"40-20\""));
}

/* Every colN that is not one of col1 … colLAST is reported, however far
 * it is from the last (col7 after col1 was silently ignored). */
static void
test_column_gaps(void **state)
{
	(void)state;
	write_ini(MINIMAL "[data.kpi]\nfile = k.csv\n"
	    "[table.a]\nsource = kpi\ncol1 = x\ncol7 = y\n"
	    "[table.b]\nsource = kpi\ncol1 = x\ncol0 = y\n"
	    "[table.c]\nsource = kpi\ncol1 = x\ncol2 = y\ncol02 = z\n"
	    "[table.d]\nsource = kpi\ncol1 = x\ncol99999999999999999999 = z\n");
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), "[table.a] col7: error: columns "
	    "must be numbered"));
	assert_non_null(strstr(captured(), "[table.b] col0: error: columns "
	    "must be numbered"));
	assert_non_null(strstr(captured(), "[table.c] col02: error: columns "
	    "must be numbered"));
	assert_non_null(strstr(captured(), "[table.d] col99999999999999999999: "
	    "error: columns must be numbered"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

/* What iniparser would reject with a bare message or accept silently is
 * reported with FILE:LINE (lint_ini). */
static void
test_lint(void **state)
{
	const char *t;

	(void)state;
	write_ini(MINIMAL "[layout]\npagenum_format = 第%d页;共\n[data.a] ; a comment\n"
	    "file = a.csv\nfile = b.csv\n[Data.A]\nkey = x\n"
	    "[data.b]\nfile = \"b.csv\" junk\n");
	assert_null(cfg_load(path));
	t = captured();
	assert_non_null(strstr(t, ":12: [layout] pagenum_format: error: the "
	    "value contains ';' and would be cut to \"第%d页\""));
	assert_non_null(strstr(t, ":13: error: a comment after a section "
	    "header"));
	assert_non_null(strstr(t, ":15: [data.a] file: error: duplicate key "
	    "(first at line 14)"));
	assert_non_null(strstr(t, ":16: [data.a]: error: the section appears "
	    "again (first at line 13)"));
	assert_non_null(strstr(t, ":19: [data.b] file: error: text after the "
	    "closing quote"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

/* A quoted value keeps its ; and a comment after a blank is a comment;
 * the per-source keys duplicates and max_size_mb are read. */
static void
test_quoted_and_source_keys(void **state)
{
	struct cfg *c;

	(void)state;
	write_ini("[report]\ntitle = t\ntemplate = config/report.md\n"
	    "subtitle = \"经发局;综合科\"  ; 注释\n"
	    "organization = 园区 ; 注释\n"
	    "[fonts]\ntitle = a\nbody = b\nheading = c\nsubheading = d\n"
	    "latin = e\npagenum = f\n"
	    "[data.a]\nfile = a.csv\nduplicates = last\nmax_size_mb = 2\n"
	    "[data.b]\nfile = b.csv\n");
	c = cfg_load(path);
	assert_non_null(c);
	assert_string_equal(c->subtitle, "经发局;综合科");
	assert_string_equal(c->organization, "园区");
	assert_int_equal(c->sources[0].duplicates, DUP_LAST);
	assert_int_equal(c->sources[0].max_size, 2 << 20);
	assert_int_equal(c->sources[1].duplicates, DUP_ERROR);
	assert_int_equal(c->sources[1].max_size, 0);
	cfg_free(c);
	write_ini(MINIMAL "[data.a]\nfile = a.csv\nduplicates = maybe\n"
	    "max_size_mb = 0\n");
	assert_null(cfg_load(path));
	assert_non_null(strstr(captured(), "[data.a] duplicates: error: "
	    "\"maybe\" is not first, last or error"));
	assert_non_null(strstr(captured(), "[data.a] max_size_mb: error:"));
}

/* -c DIR says it is a directory. */
static void
test_directory(void **state)
{
	(void)state;
	assert_null(cfg_load("config"));
	assert_non_null(strstr(captured(), "config: error: is a directory, not "
	    "a regular file"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_minimal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom_and_layout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chart_decimals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoted_and_source_keys,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_column_gaps, setup,
		    teardown),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
