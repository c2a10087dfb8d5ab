/* Unit tests: util.c (strict numbers, UTF-8, strbuf). */
#include "testutil.h"
#include "util.h"

static void
test_parse_double(void **state)
{
	double d;

	(void)state;
	assert_int_equal(parse_double("1.5", &d), 0);
	assert_true(d == 1.5);
	assert_int_equal(parse_double(" -2e3 ", &d), 0);
	assert_true(d == -2000);
	assert_int_equal(parse_double("", &d), -1);
	assert_int_equal(parse_double("2cm", &d), -1);
	assert_int_equal(parse_double("0x10", &d), -1);
	assert_int_equal(parse_double("nan", &d), -1);
	assert_int_equal(parse_double("1,5", &d), -1);
}

static void
test_parse_long(void **state)
{
	long l;

	(void)state;
	assert_int_equal(parse_long("08", 0, 100, &l), 0);
	assert_int_equal(l, 8);
	assert_int_equal(parse_long("101", 0, 100, &l), -1);
	assert_int_equal(parse_long("1.0", 0, 100, &l), -1);
}

static void
test_parse_figure(void **state)
{
	double d;
	int pct;

	(void)state;
	assert_int_equal(parse_figure("1,234.5", &d, &pct), 0);
	assert_true(d == 1234.5 && pct == 0);
	assert_int_equal(parse_figure("12.5%", &d, &pct), 0);
	assert_true(d == 12.5 && pct == 1);
	assert_int_equal(parse_figure("-1,000", &d, NULL), 0);
	assert_true(d == -1000);
	assert_int_equal(parse_figure("12,34", &d, NULL), -1);
	assert_int_equal(parse_figure("1,2345", &d, NULL), -1);
	assert_int_equal(parse_figure("12345,678", &d, NULL), -1);
	assert_int_equal(parse_figure("12.5%", &d, NULL), -1);
	assert_int_equal(parse_figure("abc", &d, NULL), -1);
	assert_int_equal(parse_figure("", &d, NULL), -1);
	/* the short cases (no strlen) and the general path agree */
	assert_int_equal(parse_figure(" 12.5%", &d, &pct), 0);
	assert_true(d == 12.5 && pct == 1);
	assert_int_equal(parse_figure("12.5% ", &d, &pct), 0);
	assert_true(d == 12.5 && pct == 1);
	assert_int_equal(parse_figure("12 %", &d, &pct), 0);
	assert_true(d == 12 && pct == 1);
	assert_int_equal(parse_figure("\t-3 ", &d, &pct), 0);
	assert_true(d == -3 && pct == 0);
	assert_int_equal(parse_figure("7%%", &d, &pct), -1);
	assert_int_equal(parse_figure("%", &d, &pct), -1);
	assert_int_equal(parse_figure("-%", &d, &pct), -1);
	assert_int_equal(parse_figure("5%x", &d, &pct), -1);
	assert_int_equal(parse_figure("2016-06-09", &d, &pct), -1);
	assert_int_equal(parse_figure("项目", &d, &pct), -1);
}

/* Bit-identical to strtod (the fast path for short decimals must round as
 * strtod does, and keep the sign of zero). */
static void
expect_strtod(const char *s)
{
	double d = 12345, f = 12345, want = strtod(s, NULL);
	int pct = -1;

	assert_int_equal(parse_double(s, &d), 0);
	assert_memory_equal(&d, &want, sizeof d);
	assert_int_equal(parse_figure(s, &f, &pct), 0);
	assert_memory_equal(&f, &want, sizeof f);
	assert_int_equal(pct, 0);
}

static void
test_parse_decimal_exact(void **state)
{
	static const char *const ok[] = { "0", "-0", "+0", "-0.000", "5.",
	    ".5", "+.5", "-.5", "0.1", "0.3", "2.42", "9007199254740.99",
	    "999999999999999", "0.000000000000001", "-123456789.012345",
	    "1234567890123456", "0.1234567890123456789", "00000000000000001" };
	static const char *const bad[] = { ".", "-", "+", "-.", "1.2.3",
	    "--1", "1-", "+-1", "1 2", "1e", "e5" };
	double d;
	char buf[40];

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		expect_strtod(ok[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(parse_double(bad[i], &d), -1);
		assert_int_equal(parse_figure(bad[i], &d, NULL), -1);
	}
	/* Random decimals of 1..17 digits with the point anywhere. */
	unsigned long x = 88172645463325252UL;
	for (int t = 0; t < 200000; t++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int nd = 1 + (int)(x % 17), pt = (int)((x >> 8) % (unsigned)(nd + 2));
		size_t k = 0;
		unsigned long y = x >> 16;
		if ((x >> 5) & 1)
			buf[k++] = '-';
		for (int j = 0; j < nd; j++) {
			if (j == pt)
				buf[k++] = '.';
			buf[k++] = (char)('0' + y % 10);
			y = y / 10 ^ (y << 7) ^ (unsigned long)t * 2654435761UL;
		}
		if (pt == nd)
			buf[k++] = '.';
		buf[k] = '\0';
		expect_strtod(buf);
	}
	assert_int_equal(parse_figure("2.42%", &d, NULL), -1);
}

static void
test_utf8(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode("中", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 0);     /* overlong */
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(utf8_decode("\xE4\xB8", 2, &cp), 0);     /* truncated */
	assert_int_equal(utf8_invalid_at("ab中\xE4" "BC", 7), 5);
	assert_true(utf8_invalid_at("ab中", 5) == (size_t)-1);
	assert_int_equal(utf8_count("a中b", 5), 3);
	/* Clipping never cuts a character: 中 is bytes 1..3. */
	assert_int_equal(utf8_clip("a中b", 5, 10), 5);
	assert_int_equal(utf8_clip("a中b", 5, 4), 4);
	assert_int_equal(utf8_clip("a中b", 5, 3), 1);
	assert_int_equal(utf8_clip("a中b", 5, 2), 1);
	assert_int_equal(utf8_clip("中中", 6, 3), 3);
}

/* The inline utf8_decode agrees with utf8_decode_any on every one-byte
 * and three-byte input, and on every length cut short. */
static void
test_utf8_fast(void **state)
{
	unsigned char b[3];
	size_t n, fast, any;
	uint32_t c1, c2;

	(void)state;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned x = 0; x < 256; x++)
			for (unsigned y = 0; y < 256; y++) {
				if (a < 0xE0 && (x > 0 || y > 0))
					continue;       /* one lead byte */
				b[0] = (unsigned char)a;
				b[1] = (unsigned char)x;
				b[2] = (unsigned char)y;
				for (n = 0; n <= 3; n++) {
					c1 = c2 = 1;
					fast = utf8_decode((const char *)b, n,
					    &c1);
					any = utf8_decode_any((const char *)b,
					    n, &c2);
					assert_int_equal(fast, any);
					assert_int_equal(c1, c2);
				}
			}
}

/* The reference utf8_invalid_at: utf8_decode_any byte by byte. */
static size_t
invalid_at_ref(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		size_t k = utf8_decode_any(s + i, n - i, &cp);
		if (k == 0)
			return i;
		i += k;
	}
	return (size_t)-1;
}

/* utf8_invalid_at (eight ASCII bytes at a time, a three-byte fast path)
 * finds the same offset as the reference on random mixes of ASCII runs,
 * CJK, other sequences, truncations and stray bytes. */
static void
test_utf8_invalid_at(void **state)
{
	static const char *const pieces[] = { "a", "0123456789,", "中",
	    "\xC3\xA9", "\xF0\x9F\x98\x80", "\xED\x9F\xBF", "\xED\xA0\x80",
	    "\xE0\xA0\x80", "\xE0\x80\x80", "\xE4\xB8", "\x80", "\xFF",
	    "\r\n", "abcdefghijklmnopq", "\xEF\xBF\xBD" };
	const size_t np = sizeof pieces / sizeof pieces[0];
	char buf[256];
	unsigned long x = 2463534242UL;

	(void)state;
	assert_true(utf8_invalid_at("", 0) == (size_t)-1);
	assert_int_equal(utf8_invalid_at("abcdefgh\x80", 9), 8);
	assert_int_equal(utf8_invalid_at("abcdefghijklmnop\xE4\xB8", 18), 16);
	/* every lead byte with every two bytes after it, and the four-byte
	 * leads with a fourth byte in and out of range, at every length */
	unsigned char q[5];
	static const unsigned char last[] = { 0x41, 0x80, 0xBF, 0xC0 };
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++)
			for (unsigned c = 0; c < 256; c++) {
				q[0] = (unsigned char)a;
				q[1] = (unsigned char)b;
				q[2] = (unsigned char)c;
				for (size_t m = 1; m <= 3; m++)
					assert_true(utf8_invalid_at((char *)q,
					    m) == invalid_at_ref((char *)q, m));
				if (a < 0xF0 || a > 0xF4)
					continue;
				for (size_t l = 0; l < sizeof last; l++) {
					q[3] = last[l];
					q[4] = 'z';
					for (size_t m = 4; m <= 5; m++)
						assert_true(utf8_invalid_at(
						    (char *)q, m) ==
						    invalid_at_ref((char *)q,
						    m));
				}
			}
	for (int t = 0; t < 100000; t++) {
		size_t n = 0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		unsigned long y = x;
		int k = 1 + (int)(y % 12);
		for (int j = 0; j < k; j++) {
			/* mostly valid pieces, so the bad one comes late */
			size_t pi = (y >> 4) % np;
			y = y * 6364136223846793005UL + 1442695040888963407UL;
			if (pi >= 6 && pi <= 11 && (y >> 60) != 0)
				pi = 2;
			size_t l = strlen(pieces[pi]);
			memcpy(buf + n, pieces[pi], l);
			n += l;
		}
		assert_true(utf8_invalid_at(buf, n) == invalid_at_ref(buf, n));
		/* and every prefix (truncated sequences at the end) */
		for (size_t m = 0; m < n; m++)
			assert_true(utf8_invalid_at(buf, m) ==
			    invalid_at_ref(buf, m));
	}
}

static void
test_strbuf(void **state)
{
	struct strbuf sb;
	char *s;

	(void)state;
	sb_init(&sb);
	assert_string_equal(sb_str(&sb), "");
	sb_adds(&sb, "总结");
	sb_addcp(&sb, 0x2014);
	sb_printf(&sb, "%d", 42);
	assert_string_equal(sb_str(&sb), "总结—42");
	s = sb_detach(&sb);
	assert_string_equal(s, "总结—42");
	free(s);
	assert_int_equal(sb.len, 0);
}

static void
test_split(void **state)
{
	size_t n;
	char **v = str_split(" a | b ||c ", '|', &n);

	(void)state;
	assert_int_equal(n, 4);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");
	assert_string_equal(v[2], "");
	assert_string_equal(v[3], "c");
	assert_null(v[4]);
	strv_free(v);
}

/* Edit distance in characters, and the nearest of a list. */
static void
test_distance(void **state)
{
	const char *cands[] = { "本期", "上年同期", "目标", "year", NULL };

	(void)state;
	assert_int_equal(utf8_distance("本期", "本其"), 1);   /* one CJK char */
	assert_int_equal(utf8_distance("yaer", "year"), 1);   /* a swap */
	assert_int_equal(utf8_distance("", "目标"), 2);
	assert_int_equal(utf8_distance("折合人民币(万元)", "折合人民币（万元）"), 2);
	assert_string_equal(utf8_nearest("本其", cands, 4), "本期");
	assert_string_equal(utf8_nearest("yaer", cands, 4), "year");
	assert_string_equal(utf8_nearest("上年同其", cands, 4), "上年同期");
	assert_null(utf8_nearest("本期", cands, 4));          /* exact */
	assert_null(utf8_nearest("完全不同", cands, 4));
	assert_null(utf8_nearest("甲", cands, 5));            /* NULL skipped */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_parse_figure),
		cmocka_unit_test(test_parse_decimal_exact),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_fast),
		cmocka_unit_test(test_utf8_invalid_at),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_distance),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
