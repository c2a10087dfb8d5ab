/* Unit tests for src/data.c: CSV loading, encodings, locations, errors. */
#include "testutil.h"

#include <fcntl.h>
#include <unistd.h>

#include "bigmem.h"
#include "data.h"
#include "diag.h"
#include "input.h"
#include "source.h"

#define CSV TESTDATA "/csv/"

/* Diagnostics are captured with testutil.h's capture_start; cap_end
 * returns what was printed and restores stderr. */
static const char *
cap_end(void)
{
	static char copy[8192];

	snprintf(copy, sizeof(copy), "%s", captured());
	diag_set_stream(NULL);
	fclose(capture_fp);
	capture_fp = NULL;
	return copy;
}

/* Writes bytes to a new temporary file; returns its path (static). */
static const char *
write_tmp(const void *bytes, size_t n)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/zj-test-data-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Loads a CSV that must fail; returns the messages printed. */
static const char *
load_fail(const char *path, const struct data_opts *o)
{
	struct data_table *t;

	capture_start();
	t = data_load(path, o);
	assert_null(t);
	assert_int_equal(diag_exit_code(), EXIT_DATA);
	return cap_end();
}

/* Writes bytes to a temporary file, loads it expecting failure, and checks
 * that the messages contain "PATH:where" and text. */
static void
expect_error(const void *bytes, size_t n, const struct data_opts *o,
    const char *where, const char *text)
{
	char want[128];
	const char *path = write_tmp(bytes, n), *msg;

	msg = load_fail(path, o);
	unlink(path);
	snprintf(want, sizeof(want), "%s:%s", path, where);
	if (strstr(msg, want) == NULL || strstr(msg, text) == NULL)
		fail_msg("wanted \"%s\" and \"%s\" in: %s", want, text, msg);
}

/* For string literals, which may contain NUL bytes. */
#define WRITE_TMP(lit) write_tmp(lit, sizeof(lit) - 1)
#define EXPECT_ERROR(lit, o, where, text) \
	expect_error(lit, sizeof(lit) - 1, o, where, text)

static void
assert_loc(const struct data_table *t, size_t row, size_t col, int line,
    int column)
{
	struct diag_loc loc;

	data_cell_loc(t, row, col, &loc);
	assert_string_equal(loc.file, data_path(t));
	assert_int_equal(loc.line, line);
	assert_int_equal(loc.col, column);
}

static struct data_table *
load_ok(const char *path, const struct data_opts *o)
{
	struct data_table *t;

	capture_start();
	t = data_load(path, o);
	if (t == NULL)
		fail_msg("%s: %s", path, cap_end());
	assert_int_equal(diag_error_count(), 0);
	cap_end();
	return t;
}

/* basic.csv and basic-crlf.csv hold the same table. */
static void
check_basic(const struct data_table *t)
{
	assert_int_equal(data_ncols(t), 4);
	assert_int_equal(data_nrows(t), 5);
	assert_int_equal(data_delimiter(t), ',');
	assert_string_equal(data_encoding(t), "UTF-8");
	assert_string_equal(data_header(t, 0), "id");
	assert_string_equal(data_header(t, 3), "amount");
	assert_null(data_header(t, 4));
	assert_int_equal(data_column(t, "note"), 2);
	assert_int_equal(data_column(t, "nope"), -1);

	/* Quoted delimiter, escaped quotes. */
	assert_string_equal(data_cell(t, 0, 1), "Smith, John");
	assert_string_equal(data_cell(t, 0, 3), "1,234.5");
	assert_string_equal(data_cell(t, 1, 1), "say \"hi\"");
	assert_loc(t, 0, 0, 2, 1);
	assert_loc(t, 0, 3, 2, 23);

	/* A newline inside a field; the next cell is on the next line. */
	assert_string_equal(data_cell(t, 1, 2), "line one\nline two");
	assert_loc(t, 1, 2, 3, 16);
	assert_string_equal(data_cell(t, 1, 3), "12.5%");
	assert_loc(t, 1, 3, 4, 11);
	assert_loc(t, 2, 0, 5, 1);

	/* Blank cells: empty, unquoted spaces, quoted spaces. */
	assert_string_equal(data_cell(t, 2, 0), "3");
	assert_null(data_cell(t, 2, 1));
	assert_null(data_cell(t, 2, 2));
	assert_null(data_cell(t, 2, 3));
	assert_loc(t, 2, 1, 5, 3);

	/* A short row: the missing cells point at the row's line. */
	assert_string_equal(data_cell(t, 3, 1), "short");
	assert_null(data_cell(t, 3, 2));
	assert_null(data_cell(t, 3, 3));
	assert_loc(t, 3, 3, 6, 0);

	/* Columns count characters, not bytes. */
	assert_string_equal(data_cell(t, 4, 1), "中文");
	assert_string_equal(data_cell(t, 4, 3), "-3");
	assert_loc(t, 4, 3, 7, 12);

	/* Out of range. */
	assert_null(data_cell(t, 5, 0));
	assert_null(data_cell(t, 0, 4));
}

static void
test_basic(void **state)
{
	struct data_table *t = load_ok(CSV "basic.csv", NULL);

	(void)state;
	assert_string_equal(data_path(t), CSV "basic.csv");
	check_basic(t);
	data_free(t);
}

static void
test_crlf(void **state)
{
	struct data_table *t = load_ok(CSV "basic-crlf.csv", NULL);

	(void)state;
	check_basic(t);		/* includes the CR LF inside a field -> LF */
	data_free(t);
}

static void
test_bom(void **state)
{
	struct data_table *t = load_ok(CSV "bom.csv", NULL);

	(void)state;
	assert_string_equal(data_encoding(t), "UTF-8");
	assert_int_equal(data_ncols(t), 2);
	assert_string_equal(data_header(t, 0), "id");
	assert_int_equal(data_column(t, "id"), 0);
	assert_string_equal(data_cell(t, 0, 1), "x");
	assert_loc(t, 0, 1, 2, 3);
	data_free(t);
}

static void
test_delimiters(void **state)
{
	struct data_opts o = { 0 };
	struct data_table *t;
	const char *path;

	(void)state;
	t = load_ok(CSV "semicolon.csv", NULL);
	assert_int_equal(data_delimiter(t), ';');
	assert_int_equal(data_ncols(t), 3);
	assert_string_equal(data_cell(t, 0, 1), "x;y");
	data_free(t);

	/* Tab wins over the commas inside quotes. */
	path = WRITE_TMP("\"a,b,c\"\tx\n1\t2\n");
	t = load_ok(path, NULL);
	assert_int_equal(data_delimiter(t), '\t');
	assert_string_equal(data_header(t, 0), "a,b,c");
	assert_string_equal(data_cell(t, 0, 1), "2");
	data_free(t);
	unlink(path);

	/* An explicit delimiter overrides detection. */
	o.delimiter = ';';
	path = WRITE_TMP("a,b\n1,2\n");
	t = load_ok(path, &o);
	assert_int_equal(data_delimiter(t), ';');
	assert_int_equal(data_ncols(t), 1);
	assert_string_equal(data_header(t, 0), "a,b");
	assert_string_equal(data_cell(t, 0, 0), "1,2");
	data_free(t);
	unlink(path);
}

static void
test_header_trim(void **state)
{
	const char *path = WRITE_TMP(" a , \" b \" \nx,y\n");
	struct data_table *t = load_ok(path, NULL);

	(void)state;
	assert_string_equal(data_header(t, 0), "a");
	assert_string_equal(data_header(t, 1), "b");
	assert_int_equal(data_column(t, "b"), 1);
	data_free(t);
	unlink(path);
}

/* Compares every cell of two tables; with locs, their locations too. */
static void
assert_same_cells(const struct data_table *a, const struct data_table *b,
    int locs)
{
	struct diag_loc la, lb;
	size_t r, c;

	assert_int_equal(data_ncols(a), data_ncols(b));
	assert_int_equal(data_nrows(a), data_nrows(b));
	for (c = 0; c < data_ncols(a); c++)
		assert_string_equal(data_header(a, c), data_header(b, c));
	for (r = 0; r < data_nrows(a); r++)
		for (c = 0; c < data_ncols(a); c++) {
			if (data_cell(a, r, c) == NULL)
				assert_null(data_cell(b, r, c));
			else
				assert_string_equal(data_cell(a, r, c),
				    data_cell(b, r, c));
			if (!locs)
				continue;
			data_cell_loc(a, r, c, &la);
			data_cell_loc(b, r, c, &lb);
			assert_int_equal(la.line, lb.line);
			assert_int_equal(la.col, lb.col);
		}
}

static void
test_gb18030(void **state)
{
	struct data_table *u = load_ok(CSV "kpi-utf8.csv", NULL);
	struct data_table *g = load_ok(CSV "kpi-gb18030.csv", NULL);
	struct data_opts o = { 0 };

	(void)state;
	assert_string_equal(data_encoding(g), "GB18030");
	assert_int_equal(data_nrows(u), 4);
	assert_string_equal(data_header(g, 0), "部门");
	assert_string_equal(data_cell(g, 0, 5), "含\"预收\"");
	assert_string_equal(data_cell(g, 3, 5), "𠀀 生僻字");
	assert_same_cells(u, g, 1);
	data_free(g);

	/* Named explicitly. */
	o.encoding = "GB18030";
	g = load_ok(CSV "kpi-gb18030.csv", &o);
	assert_same_cells(u, g, 1);
	data_free(g);
	data_free(u);
}

static void
test_utf16le(void **state)
{
	struct data_table *u = load_ok(CSV "kpi-utf8.csv", NULL);
	struct data_table *w = load_ok(CSV "kpi-utf16le.csv", NULL);

	(void)state;
	assert_string_equal(data_encoding(w), "UTF-16LE");
	assert_int_equal(data_delimiter(w), '\t');
	assert_string_equal(data_header(w, 0), "部门");
	assert_same_cells(u, w, 0);
	/* 𠀀 is a surrogate pair in UTF-16 but one character. */
	assert_loc(w, 3, 5, 6, 26);
	data_free(w);
	data_free(u);
}

static void
test_encoding_errors(void **state)
{
	struct data_opts o = { 0 };
	const char *msg;

	(void)state;
	/* Not UTF-8, so GB18030, where 0xFF is invalid too: both fail at
	 * the same byte. */
	EXPECT_ERROR("id,v\nab,\xff\n", NULL, "2:4:",
	    "byte sequence \"\\xFF\" is neither UTF-8 nor GB18030");
	/* UTF-8 with Chinese and one damaged byte on line 4: reported
	 * there (GB18030 fails elsewhere, on line 1), UTF-8 named as the
	 * likely encoding. */
	EXPECT_ERROR("名称,值\n甲,1\n乙,2\n丙丁,\xff" "4\n", NULL, "4:4:",
	    "invalid UTF-8 byte sequence \"\\xFF\" (encoding = auto: tried "
	    "UTF-8, then GB18030, which fails at 1:");
	/* GB18030 with a damaged pair on line 3: GB18030's place, and
	 * where UTF-8 failed. */
	EXPECT_ERROR("id,v\n\xd6\xd0,1\n\xce\xc4,\x81\x20\n", NULL, "3:3:",
	    "invalid GB18030 byte sequence \"\\x81\\x20");
	EXPECT_ERROR("id,v\n\xd6\xd0,1\n\xce\xc4,\x81\x20\n", NULL, "3:3:",
	    "(encoding = auto: the file is not UTF-8, its first non-UTF-8 "
	    "byte is at 2:1");
	/* The column is counted in the source's characters. */
	EXPECT_ERROR("id,v\n\xd6\xd0\xce\xc4,\x80x\n", NULL, "2:4:",
	    "invalid GB18030");

	o.encoding = "UTF-8";
	EXPECT_ERROR("id,v\n中,x\xc3(\n", &o, "2:4:",
	    "invalid UTF-8 byte sequence \"\\xC3\"");
	/* Overriding the detection: a GB18030 file is not UTF-8. */
	msg = load_fail(CSV "kpi-gb18030.csv", &o);
	assert_non_null(strstr(msg, CSV "kpi-gb18030.csv:1:1: error: "
	    "invalid UTF-8"));

	/* UTF-16LE with an odd number of bytes. */
	o.encoding = NULL;
	EXPECT_ERROR("\xff\xfe" "a\0,\0b\0\n\0x", &o, "2:1:",
	    "incomplete UTF-16LE byte sequence");

	o.encoding = "no-such-encoding";
	msg = load_fail(CSV "basic.csv", &o);
	assert_non_null(strstr(msg, "unknown encoding \"no-such-encoding\""));
}

static void
test_nul(void **state)
{
	(void)state;
	EXPECT_ERROR("a,b\n1,x\0y\n", NULL, "2:4:", "NUL byte");
}

static void
test_long_row(void **state)
{
	(void)state;
	EXPECT_ERROR("a,b,c\n1,2,3\n1,2,3,\"x\",5\n", NULL, "3:7:",
	    "row has 5 fields, header has 3");
}

static void
test_quote_errors(void **state)
{
	(void)state;
	/* Reported where the quote opened. */
	EXPECT_ERROR("a,b\n1,2\n3, \"abc\ndef,4\n", NULL, "3:4:",
	    "quoted field is never closed: \"\\\"abc\\ndef,4\\n\"");
	EXPECT_ERROR("a,b\n1,ab\"c\n", NULL, "2:5:",
	    "quote inside an unquoted field");
	EXPECT_ERROR("a,b\n1,\"ab\"c\n", NULL, "2:7:",
	    "text after the closing quote");
}

static void
test_overlong(void **state)
{
	struct data_opts o = { 0 };
	struct data_table *t;
	const char *path;

	(void)state;
	o.max_field = 10;
	EXPECT_ERROR("a,b\n1,12345678901\n", &o, "2:3:",
	    "field is 11 bytes long, more than the limit of 10");
	o.max_field = 11;
	path = WRITE_TMP("a,b\n1,12345678901\n");
	t = load_ok(path, &o);
	assert_string_equal(data_cell(t, 0, 1), "12345678901");
	data_free(t);
	unlink(path);
	/* Enforced while reading: a run of more than 4 * 10 bytes without
	 * a delimiter or line break fails before the file is loaded, at
	 * its field's line and column; a long quoted field with commas in
	 * it is left to the exact check. */
	o.max_field = 10;
	EXPECT_ERROR("a,b\n1,\"x\"\n甲,1234567890123456789012345678901234567890"
	    "1\n", &o, "3:3:", "field is more than 40 bytes long (no delimiter "
	    "or line break in 40 bytes), more than the limit of 10");
	EXPECT_ERROR("a,b\n1,\"1234,6789,1234,6789,1234,6789,1234,6789,1\"\n",
	    &o, "2:3:", "field is 41 bytes long, more than the limit of 10");
}

static void
test_overlong_default(void **state)
{
	char *big;
	size_t n = 70000;

	(void)state;
	big = malloc(n + 8);
	memcpy(big, "a\n", 2);
	memset(big + 2, 'x', n);
	big[n + 2] = '\n';
	expect_error(big, n + 3, NULL, "2:1:",
	    "field is 70000 bytes long, more than the limit of 65536");
	free(big);
}

static void
test_empty(void **state)
{
	struct data_table *t;
	const char *path;

	(void)state;
	EXPECT_ERROR("", NULL, " error: ", "no header row");
	EXPECT_ERROR("\r\n\n  \n", NULL, " error: ", "no header row");

	path = WRITE_TMP("a,b\n");
	t = load_ok(path, NULL);
	assert_int_equal(data_ncols(t), 2);
	assert_int_equal(data_nrows(t), 0);
	data_free(t);
	unlink(path);

	data_free(NULL);
	assert_non_null(strstr(load_fail("tests/data/csv/does-not-exist.csv",
	    NULL), "cannot open"));
}

static void
test_header_errors(void **state)
{
	(void)state;
	EXPECT_ERROR("a,b,a\n1,2,3\n", NULL, "1:5:",
	    "duplicate column name \"a\" (also column 1)");
	EXPECT_ERROR("a,,b\n1,2,3\n", NULL, "1:3:",
	    "column 2 of the header has no name");
}

static void
test_number(void **state)
{
	const char *path = WRITE_TMP("a,b,c,d,e,f\n\"1,234.5\",12.5%,,abc,-3,"
	    "\"  \"\n");
	struct data_table *t = load_ok(path, NULL);
	double v = 0;

	(void)state;
	assert_int_equal(data_number(t, 0, 0, &v), 1);
	assert_true(v == 1234.5);
	assert_int_equal(data_number(t, 0, 1, &v), 1);
	assert_true(v == 12.5);
	assert_int_equal(data_number(t, 0, 2, &v), 0);
	assert_int_equal(data_number(t, 0, 3, &v), -1);
	assert_int_equal(data_number(t, 0, 4, &v), 1);
	assert_true(v == -3);
	assert_int_equal(data_number(t, 0, 5, &v), 0);
	data_free(t);
	unlink(path);
}

static void
test_big(void **state)
{
	const size_t rows = 100000;
	char path[] = "/tmp/zj-test-data-big-XXXXXX";
	struct data_table *t;
	FILE *fp;
	size_t i;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("部门,指标,c1,c2,c3,c4,备注,比例\r\n", fp);
	for (i = 0; i < rows; i++)
		fprintf(fp, "销售部%zu,\"收入, 含税\",%zu,\"1,234.5\",%zu.25,"
		    "-3,说明 %zu,12.5%%\r\n", i, i, i, i);
	fclose(fp);

	t = load_ok(path, NULL);
	assert_int_equal(data_nrows(t), rows);
	assert_int_equal(data_ncols(t), 8);
	assert_string_equal(data_cell(t, rows - 1, 0), "销售部99999");
	assert_string_equal(data_cell(t, rows - 1, 6), "说明 99999");
	assert_loc(t, rows - 1, 2, (int)rows + 1, 19);
	data_free(t);
	unlink(path);
}

static void
test_types(void **state)
{
	const char *path = WRITE_TMP("名称,数量,金额,比例,日期\n"
	    "甲,1,\"1,234.5\",12.5%,2021-03-15\n"
	    "乙,2.5,x,7,2021/2/29\n"
	    "丙,,,,2020年2月29日\n");
	struct data_table *t = load_ok(path, NULL);
	enum data_type dt;
	const char *msg;

	(void)state;
	assert_int_equal(data_parse_type("integer", &dt), 0);
	assert_int_equal(dt, DT_INTEGER);
	assert_int_equal(data_parse_type("float", &dt), -1);
	capture_start();
	assert_int_equal(data_check_type(t, 0, DT_TEXT), 0);
	assert_int_equal(data_check_type(t, 1, DT_INTEGER), 1);
	assert_int_equal(data_check_type(t, 2, DT_NUMBER), 1);
	assert_int_equal(data_check_type(t, 3, DT_PERCENT), 0);
	assert_int_equal(data_check_type(t, 4, DT_DATE), 1);  /* 2021 not leap */
	msg = cap_end();
	assert_non_null(strstr(msg, ":3:3: error: column \"数量\" is declared a "
	    "whole number, but this cell is \"2.5\""));
	assert_non_null(strstr(msg, ":3:7: error: column \"金额\""));
	assert_non_null(strstr(msg, ":3:11: error: column \"日期\" is declared a "
	    "date"));
	data_free(t);
	unlink(path);
}

/* Whole numbers beyond the range of long long are checked without an
 * out-of-range conversion (UBSan, found by fuzzing: "1e308"), and every
 * figure beyond 2^53 - 1 is a located error (issue 12: a double cannot
 * hold every such integer, printing it would invent digits). */
static void
test_integer_huge(void **state)
{
	const char *path = WRITE_TMP("名称,数量\n"
	    "甲,1e308\n"
	    "乙,-20000000000000000000\n"
	    "丙,15e299\n"
	    "丁,9007199254740993\n"
	    "戊,9007199254740991\n");
	struct data_table *t = load_ok(path, NULL);
	const char *msg;
	double v;

	(void)state;
	capture_start();
	size_t nbad = data_check_type(t, 1, DT_INTEGER);
	msg = cap_end();
	assert_int_equal(nbad, 4);
	assert_non_null(strstr(msg, ":2:3: error: column \"数量\": 1e308 is "
	    "beyond 2^53 - 1"));
	assert_non_null(strstr(msg, ":5:3: error: column \"数量\": "
	    "9007199254740993 is beyond 2^53"));
	assert_null(strstr(msg, ":6:"));
	capture_start();
	assert_int_equal(data_check_type(t, 1, DT_NUMBER), 4);
	cap_end();
	assert_int_equal(data_number(t, 3, 1, &v), -1);
	assert_int_equal(data_number(t, 4, 1, &v), 1);
	assert_true(v == 9007199254740991.0);
	assert_true(data_too_large("-20,000,000,000,000,000,000"));
	assert_false(data_too_large("20000000000000000000 元"));
	data_free(t);
	unlink(path);
}

/* data.c passes over a file in pieces of this many bytes (its CHUNK). */
#define PIECE	((size_t)1 << 20)

/* A CSV of about 3 MiB in buf (cap bytes): header "hPAD,name,v" (pad
 * letters h), then rows "I,NAME,I" where NAME is 5 + I % 7 characters
 * 中, in UTF-8 or GB18030, and a last row padded with x so the file is
 * exactly a whole number of pages (nothing readable after it).  Returns
 * its length; *rows is the number of rows; *split is set when a 中 starts
 * one byte before PIECE (a piece boundary inside a character). */
static size_t
big_csv(char *buf, size_t cap, int gb, size_t pad, size_t *rows, int *split)
{
	const char *zh = gb ? "\xd6\xd0" : "\xe4\xb8\xad";
	size_t zl = strlen(zh), n = 0, i, k, target = (size_t)3 << 20;

	*split = 0;
	buf[n++] = 'h';
	for (i = 0; i < pad; i++)
		buf[n++] = 'h';
	n += (size_t)sprintf(buf + n, ",name,v\n");
	for (i = 0; n < target - 4096; i++) {
		n += (size_t)sprintf(buf + n, "%zu,", i);
		for (k = 0; k < 5 + i % 7; k++) {
			if (n + zl - 1 == PIECE || (zl == 3 && n + 1 == PIECE))
				*split = 1;
			memcpy(buf + n, zh, zl);
			n += zl;
		}
		n += (size_t)sprintf(buf + n, ",%zu\n", i);
	}
	n += (size_t)sprintf(buf + n, "%zu,", i);
	while (n < target - 16)
		buf[n++] = 'x';
	n += (size_t)sprintf(buf + n, ",%zu\n", i);
	while (n % 4096 != 0) {         /* widen the last name */
		memmove(buf + n - 15, buf + n - 16, 16);
		buf[n - 16] = 'x';
		n++;
	}
	assert_true(n < cap && n % 4096 == 0);
	*rows = i + 1;
	return n;
}

/* A file larger than BIG_SMALL is mapped and passed in pieces: a UTF-8
 * one whose last byte ends a page, a GB18030 one converted piece by
 * piece with a character across a piece boundary; the cells, their
 * places and the blocks used are right, and data_free leaves no block
 * behind. */
static void
test_large_file(void **state)
{
	size_t cap = (size_t)4 << 20, n = 0, rows = 0, pad, i, before;
	char *buf = malloc(cap), want[64];
	const char *path;
	struct data_table *t;
	int gb, split = 0;

	(void)state;
	assert_non_null(buf);
	for (gb = 0; gb <= 1; gb++) {
		for (pad = 0; pad < 64 && !split; pad++)
			n = big_csv(buf, cap, gb, pad, &rows, &split);
		assert_true(split);
		path = write_tmp(buf, n);
		before = big_file_blocks();
		t = load_ok(path, NULL);
		assert_string_equal(data_encoding(t), gb ? "GB18030" : "UTF-8");
		assert_int_equal(data_nrows(t), rows);
		/* The cells are big blocks in files. */
		assert_true(big_file_blocks() > before);
		for (i = 0; i + 1 < rows; i += 997) {
			const char *c = data_cell(t, i, 1);

			assert_int_equal(strlen(c), 3 * (5 + i % 7));
			assert_memory_equal(c, "中中中中中", 15);
			snprintf(want, sizeof(want), "%zu", i);
			assert_string_equal(data_cell(t, i, 2), want);
			assert_loc(t, i, 2, (int)i + 2,
			    (int)strlen(want) + 2 + 5 + (int)(i % 7) + 1);
		}
		snprintf(want, sizeof(want), "%zu", rows - 1);
		assert_string_equal(data_cell(t, rows - 1, 2), want);
		assert_true(strspn(data_cell(t, rows - 1, 1), "x") ==
		    strlen(data_cell(t, rows - 1, 1)));
		data_free(t);
		assert_int_equal(big_file_blocks(), before);
		unlink(path);
		split = 0;
	}
	free(buf);
}

/* data_load reads a large CSV with in_read_big: what it reads is a copy
 * of its own, so another process rewriting and truncating the file
 * meanwhile changes nothing it reads (a mapping of the file itself dies
 * of SIGBUS at the first page past the new end), also after its pages
 * are released.  A small file is read into the heap, NUL-terminated. */
static void
test_large_file_truncated(void **state)
{
	size_t cap = (size_t)4 << 20, n, rows, len = 0, i;
	char *buf = malloc(cap), *p;
	const char *path;
	int split, fd;

	(void)state;
	assert_non_null(buf);
	n = big_csv(buf, cap, 0, 0, &rows, &split);
	path = write_tmp(buf, n);
	p = in_read_big(path, "CSV", IN_MAX_CSV, EXIT_DATA, &len);
	assert_non_null(p);
	assert_int_equal(len, n);
	/* An export job starts writing the file anew. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a,b\n1,", 6), 6);
	close(fd);
	for (i = 0; i < n; i++)
		if (p[i] != buf[i])
			fail_msg("byte %zu is 0x%02X, not 0x%02X", i,
			    (unsigned char)p[i], (unsigned char)buf[i]);
	big_trim();
	for (i = 0; i < n; i += 4096)
		if (p[i] != buf[i])
			fail_msg("byte %zu changed after big_trim", i);
	big_free(p);
	/* The file is small now: read as it is now. */
	p = in_read_big(path, "CSV", IN_MAX_CSV, EXIT_DATA, &len);
	assert_non_null(p);
	assert_int_equal(len, 6);
	assert_string_equal(p, "a,b\n1,");
	big_free(p);
	unlink(path);
	free(buf);
}

/* Errors found beyond the first piece of a large file are reported where
 * they are, as in a small one. */
static void
test_large_errors(void **state)
{
	size_t cap = (size_t)4 << 20, n, rows, at, line, ls, i;
	char *buf = malloc(cap), where[32];
	struct data_opts o = { 0 };
	int split;

	(void)state;
	assert_non_null(buf);
	n = big_csv(buf, cap, 0, 0, &rows, &split);
	/* The name field of the first line starting after 2 MiB. */
	at = (size_t)2 << 20;
	while (buf[at - 1] != '\n')
		at++;
	for (line = 1, i = 0; i < at; i++)
		line += buf[i] == '\n';
	ls = at;
	at += strcspn(buf + at, ",") + 1;
	snprintf(where, sizeof(where), "%zu:%zu:", line, at - ls + 1);
	/* A damaged byte in UTF-8 text: the first 中 of the name. */
	buf[at] = '\xff';
	expect_error(buf, n, NULL, where, "invalid UTF-8 byte sequence "
	    "\"\\xFF\\xB8\\xAD");
	expect_error(buf, n, NULL, where, "(encoding = auto: tried UTF-8, "
	    "then GB18030");
	/* A NUL byte there (the rest of the 中 made ASCII). */
	memcpy(buf + at, "\0ab", 3);
	expect_error(buf, n, NULL, where, "NUL byte in the input");
	free(buf);

	/* GB18030 cut short at the very end of a large file. */
	buf = malloc(cap);
	assert_non_null(buf);
	n = big_csv(buf, cap, 1, 0, &rows, &split);
	buf[n - 1] = '\xd6';
	o.encoding = "GB18030";
	snprintf(where, sizeof(where), "%zu:", rows + 1);
	expect_error(buf, n, &o, where, "incomplete GB18030 byte sequence "
	    "\"\\xD6\"");
	free(buf);
}

/* source_sort on more rows than one insertion run: the order of a plain
 * reference sort (numbers as numbers, text by code point, missing last,
 * ties by row), ascending and descending. */
static const struct data_table *ref_t;
static int ref_desc;

static int
ref_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const char *x = data_cell(ref_t, a, 1), *y = data_cell(ref_t, b, 1);
	double dx, dy;
	int c;

	if (x == NULL || y == NULL)
		c = (x == NULL) - (y == NULL);
	else {
		if (data_number(ref_t, a, 1, &dx) == 1 &&
		    data_number(ref_t, b, 1, &dy) == 1)
			c = dx < dy ? -1 : dx > dy;
		else
			c = strcmp(x, y);
		if (ref_desc)
			c = -c;
	}
	return c != 0 ? c : a < b ? -1 : a > b;
}

static void
test_sort(void **state)
{
	static const char *const vals[] = { "10", "9", "-3.5", "1,000", "",
	    "乙", "甲", "abc", "2", "10.0" };
	const size_t nrows = 1000;
	size_t i, *rows = malloc(nrows * sizeof(*rows)),
	    *ref = malloc(nrows * sizeof(*ref));
	FILE *fp;
	char path[] = "/tmp/zj-test-data-sort-XXXXXX";
	struct data_table *t;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0 && rows != NULL && ref != NULL);
	fp = fdopen(fd, "w");
	fputs("id,v\n", fp);
	for (i = 0; i < nrows; i++)
		fprintf(fp, "%zu,\"%s\"\n", i, vals[(i * 7 + i / 13) % 10]);
	fclose(fp);
	t = load_ok(path, NULL);
	ref_t = t;
	for (ref_desc = 0; ref_desc <= 1; ref_desc++) {
		/* Every third row, from the last: not in source order. */
		size_t n = 0;

		for (i = nrows; i-- > 0;)
			if (i % 3 != 1)
				rows[n] = ref[n] = i, n++;
		source_sort(t, rows, n, 1, ref_desc);
		qsort(ref, n, sizeof(*ref), ref_cmp);
		for (i = 0; i < n; i++)
			if (rows[i] != ref[i])
				fail_msg("%s: place %zu has row %zu, not %zu",
				    ref_desc ? "desc" : "asc", i, rows[i], ref[i]);
		assert_null(data_cell(t, rows[n - 1], 1));   /* missing last */
	}
	data_free(t);
	unlink(path);
	free(rows);
	free(ref);
}

/* data_concat: months read as one table, each cell keeping its file. */
static void
test_concat(void **state)
{
	static const char a[] = "指标,本期\n产值,1\n税金,\n";
	static const char b[] = "指标,本期\n\n产值,2\n";
	static const char c[] = "指标,本月\n产值,3\n";
	struct data_opts o = { NULL, 0, 0, 0 };
	struct data_table *p[2], *t;
	const char *labels[] = { "2021-01", "2021-02" };
	char pa[64], pb[64];
	struct diag_loc loc;
	const char *msg;

	(void)state;
	snprintf(pa, sizeof(pa), "%s", write_tmp(a, sizeof(a) - 1));
	snprintf(pb, sizeof(pb), "%s", write_tmp(b, sizeof(b) - 1));
	p[0] = data_load(pa, &o);
	p[1] = data_load(pb, &o);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	t = data_concat(p, 2, "期间", labels);
	assert_non_null(t);
	assert_int_equal(data_nrows(t), 3);
	assert_int_equal(data_ncols(t), 3);
	assert_string_equal(data_header(t, 2), "期间");
	assert_string_equal(data_cell(t, 2, 1), "2");
	assert_null(data_cell(t, 1, 1));
	assert_string_equal(data_cell(t, 1, 2), "2021-01");
	assert_string_equal(data_cell(t, 2, 2), "2021-02");
	data_cell_loc(t, 2, 1, &loc);
	assert_string_equal(loc.file, pb);
	assert_int_equal(loc.line, 3);  /* its own file's line */
	assert_int_equal(loc.col, 4);
	data_cell_loc(t, 0, 0, &loc);
	assert_string_equal(loc.file, pa);
	assert_non_null(strstr(data_path(t), " … "));
	data_free(t);
	/* Adding a column the header has, or headers that differ. */
	capture_start();
	assert_null(data_concat(p, 2, "本期", labels));
	msg = cap_end();
	assert_non_null(strstr(msg, "already has a column \"本期\""));
	data_free(p[1]);
	p[1] = data_load(write_tmp(c, sizeof(c) - 1), &o);
	capture_start();
	assert_null(data_concat(p, 2, "期间", labels));
	msg = cap_end();
	assert_non_null(strstr(msg, ":1: error: the header differs"));
	assert_non_null(strstr(msg, "column 2 is \"本期\" there and \"本月\" "
	    "here"));
	data_free(p[0]);
	data_free(p[1]);
	unlink(pa);
	unlink(pb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_concat),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_header_trim),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_utf16le),
		cmocka_unit_test(test_encoding_errors),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_long_row),
		cmocka_unit_test(test_quote_errors),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_overlong_default),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_large_file_truncated),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_integer_huge),
		cmocka_unit_test(test_large_file),
		cmocka_unit_test(test_large_errors),
		cmocka_unit_test(test_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
