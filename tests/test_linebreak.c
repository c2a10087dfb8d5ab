/* Unit tests: linebreak.c (text_load's break statuses, text_decode). */
#include "testutil.h"
#include "linebreak.h"
#include "util.h"

/* Appends the UTF-8 of a BMP code point cp >= 0x800 to b at *n. */
static void
put3(char *b, size_t *n, uint32_t cp)
{
	b[(*n)++] = (char)(0xE0 | cp >> 12);
	b[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
	b[(*n)++] = (char)(0x80 | (cp & 0x3F));
}

/* text_load sets a text of ideographs U+4E00..U+9FFF alone without
 * libunibreak (a break after each); libunibreak must agree: every one of
 * them after 〇 (which takes text_load through libunibreak) gets a break
 * after it, the same as in the ideographs-only text. */
static void
test_han_breaks(void **state)
{
	size_t nh = 0x9FFF - 0x4E00 + 1, len = 0, c;
	char *s = xmalloc(3 * (nh + 1));
	struct text tx, th;
	uint32_t cp;

	(void)state;
	linebreak_init();
	memset(&tx, 0, sizeof(tx));
	memset(&th, 0, sizeof(th));
	put3(s, &len, 0x3007);              /* 〇 */
	for (cp = 0x4E00; cp <= 0x9FFF; cp++)
		put3(s, &len, cp);
	text_load(&tx, s, len);             /* libunibreak */
	text_load(&th, s + 3, len - 3);     /* ideographs only */
	assert_int_equal(tx.n, nh + 1);
	assert_int_equal(th.n, nh);
	for (c = 1; c < tx.n; c++) {
		assert_int_equal(tx.brk[c], BRK_ALLOW);
		assert_int_equal(th.brk[c - 1], tx.brk[c]);
	}
	/* A number keeps its unit: no break in 32亿元 nor in 3000吨/年. */
	text_load(&tx, "投资32亿元和3000吨/年", strlen("投资32亿元和3000吨/年"));
	for (c = 2; c < 5; c++)
		assert_int_equal(tx.brk[c], BRK_NO);
	assert_int_equal(tx.brk[5], BRK_ALLOW);    /* after 元 */
	assert_int_equal(tx.brk[6], BRK_ALLOW);    /* after 和 */
	for (c = 7; c < 13; c++)
		assert_int_equal(tx.brk[c], BRK_NO);
	/* A text of ideographs with a digit is no longer all breaks. */
	text_load(&tx, "年产5万吨", strlen("年产5万吨"));
	assert_int_equal(tx.brk[2], BRK_NO);
	text_free(&tx);
	text_free(&th);
	free(s);
}

/* text_decode gives each character's code point and byte offset as
 * utf8_decode does, one U+FFFD per invalid byte: ASCII, three-byte
 * sequences of Chinese text (its inline path), a truncated one at the
 * end, ED (surrogates: refused), two- and four-byte sequences and
 * stray continuation bytes. */
static void
test_decode(void **state)
{
	static const char s[] = "a元\xED\xA0\x80é😀\x80，Z\xE5\x85";
	static const uint32_t cps[] = { 'a', 0x5143, 0xFFFD, 0xFFFD, 0xFFFD,
	    0xE9, 0x1F600, 0xFFFD, 0xFF0C, 'Z', 0xFFFD, 0xFFFD };
	static const size_t offs[] = { 0, 1, 4, 5, 6, 7, 9, 13, 14, 17, 18,
	    19, 20 };
	size_t len = sizeof(s) - 1, c;
	struct text tx;

	(void)state;
	memset(&tx, 0, sizeof(tx));
	text_decode(&tx, s, len);
	assert_int_equal(tx.n, sizeof(cps) / sizeof(cps[0]));
	for (c = 0; c < tx.n; c++) {
		assert_int_equal(tx.cp[c], cps[c]);
		assert_int_equal(tx.off[c], offs[c]);
	}
	assert_int_equal(tx.off[tx.n], len);
	assert_ptr_equal(tx.s, s);
	/* Shorter texts reuse the arrays; an empty one has no character. */
	text_decode(&tx, "元", strlen("元"));
	assert_int_equal(tx.n, 1);
	assert_int_equal(tx.cp[0], 0x5143);
	assert_int_equal(tx.off[1], 3);
	text_decode(&tx, "", 0);
	assert_int_equal(tx.n, 0);
	assert_int_equal(tx.off[0], 0);
	text_free(&tx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_han_breaks),
		cmocka_unit_test(test_decode),
	};
	return cmocka_run_group_tests_name("linebreak", tests, NULL, NULL);
}
