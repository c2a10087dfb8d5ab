/* Unit tests: template.c (the document tree: nodes, numbering, run-in
 * headings, inline runs, errors). */
#include "testutil.h"
#include "diag.h"
#include "doc.h"
#include "eval.h"
#include "template.h"

#include <unistd.h>

static char path[64];
static struct eval *m;

static int
setup(void **state)
{
	struct period p = { 2021, 11 };

	(void)state;
	capture_start();
	snprintf(path, sizeof(path), "/tmp/zj-test-tpl-%d.md", (int)getpid());
	m = eval_create(&p, "—");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	eval_free(m);
	capture_stop();
	unlink(path);
	return 0;
}


static void
write_tpl(const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_numbering(void **state)
{
	char buf[32];

	(void)state;
	tpl_number(1, 1, buf, sizeof(buf));
	assert_string_equal(buf, "一、");
	tpl_number(1, 10, buf, sizeof(buf));
	assert_string_equal(buf, "十、");
	tpl_number(1, 12, buf, sizeof(buf));
	assert_string_equal(buf, "十二、");
	tpl_number(2, 21, buf, sizeof(buf));
	assert_string_equal(buf, "（二十一）");
	tpl_number(3, 3, buf, sizeof(buf));
	assert_string_equal(buf, "3.");
	tpl_number(4, 2, buf, sizeof(buf));
	assert_string_equal(buf, "（2）");
}

static void
test_blocks(void **state)
{
	struct doc *d;

	(void)state;
	write_tpl("%% a comment\n"
	    "{year}年{months}，总体\n平稳。\n\n"
	    "# 主要工作\n## 规划\n第一段 ABC\ndef。\n\n"
	    "## 建设\n### 道路\n#### 全力开展招商引资。\n\n招商正文。\n\n"
	    "#### 第二项\n@table kpi\n@pagebreak\n# 思路\n## 目标\n@chart trend\n");
	d = tpl_load(path, m);
	assert_non_null(d);
	assert_int_equal(d->n, 13);
	assert_int_equal(d->nodes[0].kind, DOC_PARA);
	assert_string_equal(d->nodes[0].text, "2021年1—11月，总体平稳。");
	assert_int_equal(d->nodes[0].loc.line, 2);
	assert_string_equal(d->nodes[1].text, "一、主要工作");
	assert_int_equal(d->nodes[1].level, 1);
	assert_string_equal(d->nodes[2].text, "（一）规划");
	assert_string_equal(d->nodes[3].text, "第一段 ABC def。");
	assert_string_equal(d->nodes[4].text, "（二）建设");
	assert_string_equal(d->nodes[5].text, "1.道路");
	/* A level-4 heading ending in 。 runs into its paragraph. */
	assert_int_equal(d->nodes[6].kind, DOC_PARA);
	assert_string_equal(d->nodes[6].text, "（1）全力开展招商引资。招商正文。");
	assert_int_equal(d->nodes[7].kind, DOC_HEADING);
	assert_string_equal(d->nodes[7].text, "（2）第二项");
	assert_int_equal(d->nodes[8].kind, DOC_TABLE);
	assert_string_equal(d->nodes[8].name, "kpi");
	assert_int_equal(d->nodes[8].loc.line, 17);
	assert_int_equal(d->nodes[9].kind, DOC_PAGEBREAK);
	/* Numbering restarts below a new level 1. */
	assert_string_equal(d->nodes[10].text, "二、思路");
	assert_string_equal(d->nodes[11].text, "（一）目标");
	assert_int_equal(d->nodes[12].kind, DOC_CHART);
	assert_string_equal(d->nodes[12].name, "trend");
	doc_free(d);
}

static void
test_errors(void **state)
{
	(void)state;
	write_tpl("第一段\n\n第二段{nosuch[x].y}。\n@graph z\n##### 太深\n"
	    "坏\xE4" "BC字节\n###\n");
	assert_null(tpl_load(path, m));
	assert_non_null(strstr(captured(), ":3:4: error: unknown source "
	    "\"nosuch\""));
	assert_non_null(strstr(captured(), ":4:1: error: unknown block line"));
	assert_non_null(strstr(captured(), ":5:1: error: headings go down to "
	    "level 4"));
	assert_non_null(strstr(captured(), ":6:2: error: invalid UTF-8"));
	assert_non_null(strstr(captured(), ":7:1: error: a heading needs text"));
	assert_int_equal(diag_exit_code(), EXIT_TEMPLATE);
}

/* Every character error carries its column: control characters other
 * than TAB (NUL, SOH, ESC) and characters outside the BMP are template
 * errors (exit 4), a %% comment may hold the latter. */
static void
test_char_errors(void **state)
{
	(void)state;
	write_tpl("甲\x01乙\n\n\t丙😀丁\n%% 😀 comment\n戊\x1b\n");
	assert_null(tpl_load(path, m));
	assert_non_null(strstr(captured(), ":1:2: error: control character "
	    "U+0001"));
	assert_non_null(strstr(captured(), ":3:3: error: character '😀' "
	    "(U+1F600) is outside the Basic Multilingual Plane"));
	assert_null(strstr(captured(), ":4:"));
	assert_non_null(strstr(captured(), ":5:2: error: control character "
	    "U+001B"));
	assert_int_equal(diag_exit_code(), EXIT_TEMPLATE);
}

/* Columns count the indentation the line had before it was trimmed. */
static void
test_indented_columns(void **state)
{
	(void)state;
	write_tpl("  甲{nosuch[x].y}\n\n\t# 乙{bad}\n   @graph z\n");
	assert_null(tpl_load(path, m));
	assert_non_null(strstr(captured(), ":1:4: error: unknown source "
	    "\"nosuch\""));
	assert_non_null(strstr(captured(), ":3:5: error: unknown name "
	    "\"bad\""));
	assert_non_null(strstr(captured(), ":4:4: error: unknown block line"));
}

static void
test_missing(void **state)
{
	(void)state;
	assert_null(tpl_load("/nonexistent/report.md", m));
	assert_non_null(strstr(captured(), "/nonexistent/report.md: error: "
	    "cannot open template"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbering),
		cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_char_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_indented_columns, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
	};
	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
