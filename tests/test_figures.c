/* Unit tests: figures.c (listing figures, source texts, warnings, the
 * CSV and HTML sheets, atomic writing) on a hand-built evaluated doc. */
#include "testutil.h"
#include "config.h"
#include "doc.h"
#include "figures.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

/* String literals where the doc has char * (its strings are owned). */
#define S(x) ((char *)(x))

#define KPI "input/2021-12/kpi.csv"
#define PRJ "input/2021-12/projects.csv"

/* The hand-built document: a title with {year}; a paragraph with a
 * lookup, a growth, a count over 25 rows, a sum that skipped blanks, a
 * value that rounds to zero and a blank lookup; a table with a computed
 * column and a 合计 row; a chart with one series. */
static struct doc_cell kpi_cells[2] = {
	{ KPI, 2, 13, "本期", "园区产值" },
	{ KPI, 2, 19, "上年同期", "园区产值" }
};
static struct doc_cell count_cells[25];
static struct doc_cell sum_cells[2] = {
	{ PRJ, 2, 30, "投资额", "碳纤维, \"复合\"材料" },
	{ PRJ, 4, 25, "投资额", "多晶硅" }
};
static struct doc_cell sum_skipped[1] = { { PRJ, 3, 28, "投资额", "卫星" } };
static struct doc_cell blank_cell[1] = { { KPI, 9, 7, "本期", "税金" } };
static struct doc_cell total_cells[3] = {
	{ PRJ, 2, 30, "投资额", NULL }, { PRJ, 3, 28, "投资额", NULL },
	{ PRJ, 4, 25, "投资额", NULL }
};
static struct doc_cell series_cells[2] = {
	{ "input/2021-12/trend.csv", 2, 4, "本年产值", "1月" },
	{ "input/2021-12/trend.csv", 3, 4, "本年产值", "2月" }
};

static const char para_text[] =
    "全年，园区实现产值286.4亿元，同比增长23.6%。签约项目25个，"
    "投资<b>47.00亿元；比例0.0%。税金—。";

static struct doc_inline title_inl[2];
static struct doc_inline para_inl[13];
static struct doc_node nodes[4];
static struct doc doc;
static char *tcells[3 * 3];
static size_t src_rows[3] = { 0, 1, SIZE_MAX };
static long src_cols[3] = { 0, 3, -1 };
static struct doc_prov tprov[9];
static struct doc_prov *tprow[3] = { &tprov[0], &tprov[3], &tprov[6] };
static double tnums[9];
static double *tnrow[3] = { &tnums[0], &tnums[3], &tnums[6] };
static char *theaders[3] = { S("项目名称"), S("投资额"), S("同比") };
static struct cfg_column tcols[3] = {
	{ S("项目名称"), NULL, NULL, -1, 0, 0, 0 },
	{ S("投资额"), S("投资额"), S(".2"), -1, 0, 0, 0 },
	{ S("同比"), S("{growth(本期, 上年同期)}"), NULL, -1, 0, 0, 0 }
};
static struct cfg_table tdef;
static struct doc_table table;
static char *cats[2] = { S("1月"), S("2月") };
static double svalues[2] = { 18.6, 14.95 };
static int spresent[2] = { 1, 1 };
static struct doc_series series;
static struct cfg_chart cdef;
static struct doc_chart chart;

/* Sets inline i of para_inl to the literal or figure covering the next
 * occurrence of piece in para_text from *pos. */
static void
set_run(size_t i, size_t *pos, const char *piece, const char *source,
    int line_col)
{
	const char *at = strstr(para_text + *pos, piece);
	struct doc_inline *in = &para_inl[i];

	assert_non_null(at);
	memset(in, 0, sizeof(*in));
	in->start = (size_t)(at - para_text);
	in->end = in->start + strlen(piece);
	in->loc.file = "config/report.md";
	in->loc.line = 5;
	in->loc.col = line_col;
	if (source != NULL) {
		in->is_figure = 1;
		in->source = (char *)source;
		in->value.printed = (char *)piece;
		in->value.kind = 1;
	}
	*pos = in->end;
}

static void
build_doc(void)
{
	size_t pos = 0, i;

	memset(&doc, 0, sizeof(doc));
	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < 25; i++) {
		count_cells[i].file = PRJ;
		count_cells[i].line = (int)(2 + 2 * i);
		count_cells[i].col = 40;
		count_cells[i].column = "状态";
		count_cells[i].key = "项目";
	}
	/* title: "2021年工作总结" with {year} */
	memset(title_inl, 0, sizeof(title_inl));
	title_inl[0].is_figure = 1;
	title_inl[0].loc.file = "config/report.ini";
	title_inl[0].loc.section = "report";
	title_inl[0].loc.key = "title";
	title_inl[0].source = S("year");
	title_inl[0].start = 0;
	title_inl[0].end = 4;
	title_inl[0].value.kind = 1;
	title_inl[0].value.num = 2021;
	title_inl[0].value.printed = S("2021");
	title_inl[1].start = 4;
	title_inl[1].end = strlen("2021年工作总结");
	nodes[0].kind = DOC_TITLE;
	nodes[0].text = S("2021年工作总结");
	nodes[0].ninl = 2;
	nodes[0].inl = title_inl;

	set_run(0, &pos, "全年，园区实现产值", NULL, 1);
	set_run(1, &pos, "286.4", "kpi[园区产值].本期 | .1", 10);
	para_inl[1].value.num = 286.4;
	para_inl[1].value.prov.ncells = 1;
	para_inl[1].value.prov.cells = kpi_cells;
	set_run(2, &pos, "亿元，同比", NULL, 30);
	set_run(3, &pos, "增长23.6%", "growth(kpi[园区产值].本期, "
	    "kpi[园区产值].上年同期) | 增长", 35);
	para_inl[3].value.num = 23.6095813552007;
	para_inl[3].value.prov.ncells = 2;
	para_inl[3].value.prov.cells = kpi_cells;
	set_run(4, &pos, "。签约项目", NULL, 90);
	set_run(5, &pos, "25", "count(projects where 状态 = 签约)", 95);
	para_inl[5].value.num = 25;
	para_inl[5].value.prov.ncells = 25;
	para_inl[5].value.prov.cells = count_cells;
	para_inl[5].value.prov.filter = "状态 = 签约";
	set_run(6, &pos, "个，投资", NULL, 120);
	/* a printed text with markup, to be escaped in HTML */
	set_run(7, &pos, "<b>47.00", "sum(projects.投资额) | .2", 125);
	para_inl[7].value.num = 47;
	para_inl[7].value.prov.ncells = 2;
	para_inl[7].value.prov.cells = sum_cells;
	para_inl[7].value.prov.nskipped = 1;
	para_inl[7].value.prov.skipped = sum_skipped;
	para_inl[7].value.prov.filter = "状态 = 签约";
	set_run(8, &pos, "亿元；比例", NULL, 150);
	set_run(9, &pos, "0.0%", "share(kpi[园区产值].本期, 100000) | .1", 155);
	para_inl[9].value.num = 0.0286;
	para_inl[9].value.prov.ncells = 1;
	para_inl[9].value.prov.cells = kpi_cells;
	set_run(10, &pos, "。税金", NULL, 170);
	set_run(11, &pos, "—", "kpi[税金].本期", 173);
	para_inl[11].value.kind = 0;
	para_inl[11].value.prov.ncells = 1;
	para_inl[11].value.prov.cells = blank_cell;
	set_run(12, &pos, "。", NULL, 185);
	nodes[1].kind = DOC_PARA;
	nodes[1].loc.file = "config/report.md";
	nodes[1].loc.line = 5;
	nodes[1].text = (char *)para_text;
	nodes[1].ninl = 13;
	nodes[1].inl = para_inl;

	/* table: 2 source rows + 合计; columns 项目名称, 投资额, 同比 */
	memset(&tdef, 0, sizeof(tdef));
	tdef.name = S("signed");
	tdef.path = "config/report.ini";
	tdef.total = 1;
	tdef.ncols = 3;
	tdef.cols = tcols;
	memset(&table, 0, sizeof(table));
	memset(tprov, 0, sizeof(tprov));
	table.def = &tdef;
	table.title = S("签约项目情况表");
	table.ncols = 3;
	table.nrows = 3;
	table.headers = theaders;
	tcells[0] = S("碳纤维"); tcells[1] = S("32.00"); tcells[2] = S("12.0%");
	tcells[3] = S("多晶硅"); tcells[4] = S("15.00"); tcells[5] = NULL;
	tcells[6] = S("合计"); tcells[7] = S("47.00"); tcells[8] = NULL;
	table.cells = tcells;
	table.missing = "—";
	table.src_rows = src_rows;
	table.src_cols = src_cols;
	table.prov = tprow;     /* rows of tprov */
	table.nums = tnrow;     /* rows of tnums: NAN = no value */
	for (i = 0; i < 9; i++)
		tnums[i] = NAN;
	tnums[2] = 12.04819277108434;           /* 同比 of row 1 */
	tnums[7] = 47;                          /* 合计 of 投资额 */
	tprov[2].ncells = 2;                    /* 同比 of row 1 */
	tprov[2].cells = kpi_cells;
	tprov[5].ncells = 1;                    /* 同比 of row 2: zero base */
	tprov[5].cells = kpi_cells;
	tprov[5].warn = DOC_WARN_ZERO_BASE;
	tprov[7].ncells = 3;                    /* 合计 of 投资额 */
	tprov[7].cells = total_cells;
	nodes[2].kind = DOC_TABLE;
	nodes[2].loc.file = "config/report.md";
	nodes[2].loc.line = 9;
	nodes[2].loc.col = 1;
	nodes[2].name = S("signed");
	nodes[2].table = &table;

	memset(&cdef, 0, sizeof(cdef));
	cdef.name = S("output");
	cdef.path = "config/report.ini";
	cdef.source = S("trend");
	cdef.category = S("月份");
	memset(&series, 0, sizeof(series));
	series.name = S("本年产值");
	series.values = svalues;
	series.present = spresent;
	series.decimals = 1;
	series.prov.ncells = 2;
	series.prov.cells = series_cells;
	memset(&chart, 0, sizeof(chart));
	chart.def = &cdef;
	chart.title = S("月度产值");
	chart.ncats = 2;
	chart.cats = cats;
	chart.nseries = 1;
	chart.series = &series;
	nodes[3].kind = DOC_CHART;
	nodes[3].loc.file = "config/report.md";
	nodes[3].loc.line = 12;
	nodes[3].loc.col = 1;
	nodes[3].chart = &chart;

	doc.path = S("config/report.md");
	doc.n = 4;
	doc.nodes = nodes;
}

static int
setup(void **state)
{
	(void)state;
	build_doc();
	capture_start();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	capture_stop();
	return 0;
}

static void
test_collect(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	size_t i;

	(void)state;
	/* 1 title + 6 paragraph figures + 3 table cells + 1 series */
	assert_int_equal(l->n, 11);
	for (i = 0; i < l->n; i++)
		assert_int_equal(l->v[i].number, (int)i + 1);
	assert_int_equal(l->v[0].kind, FIG_INLINE);
	assert_ptr_equal(l->v[0].inl, &title_inl[0]);
	assert_ptr_equal(l->v[1].inl, &para_inl[1]);
	assert_ptr_equal(l->v[6].inl, &para_inl[11]);
	assert_int_equal(l->v[7].kind, FIG_CELL);
	assert_int_equal(l->v[7].row, 0);
	assert_int_equal(l->v[7].col, 2);
	assert_int_equal(l->v[8].row, 1);
	assert_int_equal(l->v[9].row, 2);       /* 合计 of 投资额 */
	assert_int_equal(l->v[9].col, 1);
	assert_int_equal(l->v[10].kind, FIG_SERIES);
	/* warnings: from the evaluator, and what the doc shows */
	assert_int_equal(l->v[1].warn, 0);
	assert_int_equal(l->v[4].warn, DOC_WARN_SKIPPED);
	assert_int_equal(l->v[5].warn, DOC_WARN_ROUNDS_ZERO);
	assert_int_equal(l->v[6].warn, DOC_WARN_BLANK);
	assert_int_equal(l->v[8].warn, DOC_WARN_ZERO_BASE);
	/* pages: the first recorded wins, out of range ignored */
	fig_set_page(l, 2, 3);
	fig_set_page(l, 2, 4);
	fig_set_page(l, 0, 1);
	fig_set_page(l, 12, 1);
	assert_int_equal(l->v[1].page, 3);
	fig_free(l);
	fig_free(NULL);
}

/* fig_order: the series (a chart floated past the text) moved before the
 * table cells, numbered again 1..n. */
static void
test_order(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	size_t order[11] = { 0, 1, 2, 3, 4, 5, 6, 10, 7, 8, 9 };
	size_t i;

	(void)state;
	assert_int_equal(l->n, 11);
	fig_set_page(l, 11, 2);
	fig_order(l, order);
	for (i = 0; i < l->n; i++)
		assert_int_equal(l->v[i].number, (int)i + 1);
	assert_int_equal(l->v[7].kind, FIG_SERIES);
	assert_int_equal(l->v[7].page, 2);
	assert_int_equal(l->v[8].kind, FIG_CELL);
	assert_int_equal(l->v[10].row, 2);
	fig_set_page(l, 8, 5);          /* by the new number */
	assert_int_equal(l->v[7].page, 2);
	fig_set_page(l, 9, 5);
	assert_int_equal(l->v[8].page, 5);
	fig_free(l);
}

static void
test_fields(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	char *s;

	(void)state;
	s = fig_where(&l->v[1], &doc);
	assert_string_equal(s, "config/report.md:5:10");
	free(s);
	s = fig_where(&l->v[0], &doc);
	assert_string_equal(s, "config/report.ini [report] title");
	free(s);
	s = fig_sources(&l->v[2]);
	assert_string_equal(s, KPI ":2:13 本期 [园区产值]; "
	    KPI ":2:19 上年同期 [园区产值]");
	free(s);
	/* an aggregate over 25 rows: the first 20 line numbers */
	s = fig_sources(&l->v[3]);
	assert_string_equal(s, PRJ " 状态, 25 rows: lines 2, 4, "
	    "6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, "
	    "38, 40, … (first 20)");
	free(s);
	s = fig_skipped(&l->v[4]);
	assert_string_equal(s, PRJ ":3:28 投资额 [卫星]");
	free(s);
	s = fig_value(&l->v[2]);
	assert_string_equal(s, "23.6095813552007");
	free(s);
	s = fig_value(&l->v[1]);
	assert_string_equal(s, "286.4");
	free(s);
	s = fig_value(&l->v[6]);                /* missing: no value */
	assert_string_equal(s, "");
	free(s);
	s = fig_warnings(&l->v[4]);
	assert_string_equal(s, "跳过1个空白单元格");
	free(s);
	/* table cells: the column's expression; a 合计 cell */
	s = fig_expression(&l->v[7]);
	assert_string_equal(s, "growth(本期, 上年同期)");
	free(s);
	s = fig_expression(&l->v[9]);
	assert_string_equal(s, "合计: sum(投资额)");
	free(s);
	s = fig_printed(&l->v[8]);              /* NULL cell: missing mark */
	assert_string_equal(s, "—");
	free(s);
	s = fig_where(&l->v[9], &doc);
	assert_string_equal(s, "config/report.md:9:1");
	free(s);
	/* where a table's and a chart's figures are defined: the INI key */
	s = fig_defined(&l->v[7]);
	assert_string_equal(s, "config/report.ini [table.signed] col3");
	free(s);
	s = fig_defined(&l->v[9]);
	assert_string_equal(s, "config/report.ini [table.signed] col2, total");
	free(s);
	s = fig_defined(&l->v[10]);
	assert_string_equal(s, "config/report.ini [chart.output] bars");
	free(s);
	s = fig_defined(&l->v[1]);              /* a placeholder: none */
	assert_string_equal(s, "");
	free(s);
	/* computed cells' unrounded values; none for a zero base */
	s = fig_value(&l->v[7]);
	assert_string_equal(s, "12.04819277108434");
	free(s);
	s = fig_value(&l->v[8]);
	assert_string_equal(s, "");
	free(s);
	s = fig_value(&l->v[9]);
	assert_string_equal(s, "47");
	free(s);
	/* chart series */
	s = fig_expression(&l->v[10]);
	assert_string_equal(s, "sum(trend.本年产值) by 月份");
	free(s);
	s = fig_printed(&l->v[10]);
	assert_string_equal(s, "1月 18.6、2月 15.0");
	free(s);
	s = fig_value(&l->v[10]);
	assert_string_equal(s, "1月=18.6; 2月=14.95");
	free(s);
	fig_free(l);
}

static void
test_context(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	size_t a, b;

	(void)state;
	/* the growth's sentence: from the start to the first 。 */
	fig_context(&l->v[2], &a, &b);
	assert_int_equal(a, 0);
	assert_true(b > para_inl[3].end);
	assert_memory_equal(para_text + b - 3, "。", 3);
	assert_int_equal(b, para_inl[4].start + 3);
	/* the count's sentence starts after that 。 and ends at ； */
	fig_context(&l->v[3], &a, &b);
	assert_int_equal(a, para_inl[4].start + 3);
	assert_memory_equal(para_text + b - 3, "；", 3);
	fig_free(l);
}

/* Reads a whole file into a new string. */
static char *
slurp(FILE *fp)
{
	char *buf;
	long n;

	fflush(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	return buf;
}

static size_t
count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_csv(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	FILE *fp = tmpfile();
	char *s;

	(void)state;
	fig_set_page(l, 2, 1);
	assert_int_equal(fig_write_csv(l, &doc, fp), 0);
	s = slurp(fp);
	assert_memory_equal(s, "\xEF\xBB\xBF编号,页码,模板位置,定义位置,表达式,",
	    3 + 50);
	/* a header line and one line per figure, each ended by CRLF */
	assert_int_equal(count_of(s, "\r\n"), 12);
	assert_int_equal(count_of(s, "\n"), 12);
	assert_non_null(strstr(s, "\r\n2,1,config/report.md:5:10,,"
	    "kpi[园区产值].本期 | .1,286.4,286.4," KPI ":2:13 本期 [园区产值],,,,"
	    "全年，园区实现产值【286.4】亿元，同比增长23.6%。\r\n"));
	/* quoting: a comma and a quote in a key */
	assert_non_null(strstr(s, ",\"" PRJ " 投资额, 2 rows: lines 2, 4\","
	    "状态 = 签约,"));
	assert_non_null(strstr(s, ",\"growth(本期, 上年同期)\","));
	fclose(fp);
	free(s);
	fig_free(l);
}

static void
test_csv_quoting(void **state)
{
	struct fig_list *l;
	FILE *fp = tmpfile();
	char *s;

	(void)state;
	para_inl[1].source = S("a \"b\", c");
	para_inl[1].value.prov.cells = sum_cells;
	para_inl[5].value.printed = S("=HYPERLINK(1)");
	l = fig_collect(&doc);
	assert_int_equal(fig_write_csv(l, &doc, fp), 0);
	s = slurp(fp);
	assert_non_null(strstr(s, ",\"a \"\"b\"\", c\","));
	assert_non_null(strstr(s, "\"" PRJ ":2:30 投资额 [碳纤维, \"\"复合\"\"材料]\""));
	assert_non_null(strstr(s, ",'=HYPERLINK(1),"));
	assert_null(strstr(s, ",=HYPERLINK"));
	fclose(fp);
	free(s);
	fig_free(l);
}

static void
test_html(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	FILE *fp = tmpfile();
	char *s;

	(void)state;
	assert_int_equal(fig_write_html(l, &doc, fp), 0);
	s = slurp(fp);
	assert_true(strncmp(s, "<!DOCTYPE html>", 15) == 0);
	assert_int_equal(count_of(s, "<tr id=\"f"), 11);
	assert_non_null(strstr(s, "<tr id=\"f11\" data-n=\"11\">"));
	assert_non_null(strstr(s, "<tr id=\"f6\" data-n=\"6\" class=\"warn\">"));
	/* the figure marked in its sentence, markup escaped */
	assert_non_null(strstr(s, "全年，园区实现产值<mark>286.4</mark>亿元"));
	assert_non_null(strstr(s, "<mark>&lt;b&gt;47.00</mark>"));
	assert_null(strstr(s, "<b>"));
	/* self-contained: nothing fetched from elsewhere */
	assert_null(strstr(s, "http:"));
	assert_null(strstr(s, "https:"));
	assert_null(strstr(s, " src="));
	assert_null(strstr(s, "<link"));
	assert_non_null(strstr(s, "default-src 'none'"));
	fclose(fp);
	free(s);
	fig_free(l);
}

static void
test_write(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	char dir[64], path[128], bad[160];
	struct stat st;
	FILE *fp;
	char buf[8];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/zj-test-fig-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/sheet.csv", dir);
	assert_int_equal(fig_write(l, &doc, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 100);
	/* an unknown extension: a usage error, nothing written */
	snprintf(bad, sizeof(bad), "%s/sheet.txt", dir);
	assert_int_equal(fig_write(l, &doc, bad), -1);
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
	assert_non_null(strstr(captured(), "sheet.txt: error: --figures"));
	assert_int_not_equal(stat(bad, &st), 0);
	/* a path under a regular file cannot be written: EXIT_OUTPUT */
	diag_reset();
	snprintf(bad, sizeof(bad), "%s/sheet.csv/x.html", dir);
	assert_int_equal(fig_write(l, &doc, bad), -1);
	assert_int_equal(diag_exit_code(), EXIT_OUTPUT);
	/* the old sheet is untouched */
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(buf, 1, 3, fp), 3);
	assert_memory_equal(buf, "\xEF\xBB\xBF", 3);
	fclose(fp);
	snprintf(bad, sizeof(bad), "%s/.sheet.csv.lock", dir);
	unlink(bad);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);        /* no temporary file left */
	fig_free(l);
}

static void
test_report(void **state)
{
	struct fig_list *l = fig_collect(&doc);
	const char *out;

	(void)state;
	assert_int_equal(fig_report(l, 0), 4);
	out = captured();
	assert_non_null(strstr(out, "config/report.md:5:125: warning: figure 5 "
	    "{sum(projects.投资额) | .2}: skipped 1 blank cell(s): " PRJ
	    ":3:28 投资额 [卫星]"));
	assert_non_null(strstr(out, "config/report.md:5:155: warning: figure 6 "));
	assert_non_null(strstr(out, "0.0286 prints as \"0.0%\""));
	assert_non_null(strstr(out, "config/report.md:5:173: warning: figure 7 "
	    "{kpi[税金].本期}: the cell is blank"));
	assert_non_null(strstr(out, "config/report.md:9:1: warning: figure 9 "
	    "{growth(本期, 上年同期)}: the base is zero"));
	/* bits the evaluator reported itself are not repeated */
	capture_stop();
	capture_start();
	assert_int_equal(fig_report(l, DOC_WARN_ZERO_BASE | DOC_WARN_SKIPPED),
	    2);
	assert_null(strstr(captured(), "base is zero"));
	fig_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_collect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoting, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
