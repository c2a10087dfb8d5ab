/* Unit tests: linebreak.c (text_load's break statuses, text_decode, the
 * lead of an opening mark at a line start). */
#include "testutil.h"

#include <math.h>

#include "layout.h"
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

/* Ink of every opening mark drawn centred in its em (0.35..0.65, as AR PL
 * UMing's ｛), other characters as the fake measurer's. */
static int
centred_open_ink(void *arg, enum font_role role, double pt, unsigned cp,
    double *left, double *right)
{
	if (punct_class(cp) == PC_OPEN) {
		*left = 0.35 * pt;
		*right = 0.65 * pt;
		return 0;
	}
	return lay_fake_measure()->ink(arg, role, pt, cp, left, right);
}

/* Widths of the fake measurer, but “ and ‘ proportional (⅓ em, as in
 * WenQuanYi Zen Hei). */
static double
prop_quote_width(void *arg, enum font_role role, double pt, const char *s,
    size_t n)
{
	uint32_t cp;

	if (utf8_decode(s, n, &cp) == n && (cp == 0x201C || cp == 0x2018))
		return pt / 3;
	return lay_fake_measure()->width(arg, role, pt, s, n);
}

/* Breaks s (measured with m at 16 pt) into lines of 10 em, no tracking. */
static void
break10(struct text *tx, struct linevec *lv, const struct lay_measure *m,
    const char *s, int flags)
{
	text_load(tx, s, strlen(s));
	text_measure(m, tx, ROLE_BODY, 16);
	lv->n = 0;
	break_greedy(tx, 160, 160, 0, 0, 16, flags, lv);
}

/* clreq 行首标点挤压: an opening mark whose ink lies in the right half of
 * its em gives up the blank ½ em at its left when it starts a line at the
 * margin: text_measure's sqs and text_lead give it (from the ink; from
 * the class when the measurer has none), not for a glyph drawn centred
 * nor for a proportional one; break_greedy gives it to the lines after the
 * first as line.lead (to the first too with BG_LEAD1) without moving a
 * break, and a shrunk line's marks give up that much less. */
static void
test_open_lead(void **state)
{
	static const char ten[] = "一二三四五六七八九十";
	struct lay_measure fake = *lay_fake_measure(), centred = fake,
	    noink = fake, prop = fake;
	struct text tx;
	struct linevec lv = { NULL, 0, 0 };
	char s[256];
	size_t c;

	(void)state;
	linebreak_init();
	memset(&tx, 0, sizeof(tx));
	centred.ink = centred_open_ink;
	noink.ink = NULL;
	prop.width = prop_quote_width;

	text_load(&tx, "（一“二｛三）", strlen("（一“二｛三）"));
	text_measure(&fake, &tx, ROLE_BODY, 16);
	for (c = 0; c < tx.n; c++)
		assert_true(fabs(tx.sqs[c] -
		    (punct_class(tx.cp[c]) == PC_OPEN ? 8 : 0)) < 1e-9);
	text_measure(&noink, &tx, ROLE_BODY, 16);      /* GB: right half */
	assert_true(fabs(tx.sqs[0] - 8) < 1e-9 && fabs(tx.sqs[2] - 8) < 1e-9);
	text_measure(&centred, &tx, ROLE_BODY, 16);
	for (c = 0; c < tx.n; c++)
		assert_true(tx.sqs[c] == 0);
	text_measure(&prop, &tx, ROLE_BODY, 16);
	assert_true(fabs(tx.sqs[0] - 8) < 1e-9 && tx.sqs[2] == 0);
	assert_true(fabs(text_lead(&fake, ROLE_BODY, 12, "（注）", 9) - 6) <
	    1e-9);
	assert_true(fabs(text_lead(&noink, ROLE_BODY, 16, "“注", 6) - 8) <
	    1e-9);
	assert_true(text_lead(&centred, ROLE_BODY, 16, "（注）", 9) == 0);
	assert_true(text_lead(&prop, ROLE_BODY, 16, "“注", 6) == 0);
	assert_true(text_lead(&fake, ROLE_BODY, 16, "注（", 6) == 0);
	assert_true(text_lead(&fake, ROLE_BODY, 16, "）", 3) == 0);
	assert_true(text_lead(&fake, ROLE_BODY, 16, "", 0) == 0);

	/* Line 2 starts with （: lead ½ em, the breaks as without it. */
	snprintf(s, sizeof(s), "%s（规划）%s%s", ten, ten, ten);
	break10(&tx, &lv, &fake, s, BG_LONE);
	assert_int_equal(lv.n, 4);
	assert_int_equal(lv.v[1].c0, 10);
	assert_int_equal(lv.v[1].c1, 20);
	assert_true(lv.v[0].lead == 0);
	assert_true(fabs(lv.v[1].lead - 8) < 1e-9);
	assert_true(lv.v[2].lead == 0);
	break10(&tx, &lv, &centred, s, BG_LONE);
	assert_int_equal(lv.v[1].c0, 10);
	assert_true(lv.v[1].lead == 0);
	/* The first line: only with BG_LEAD1 (no indent). */
	snprintf(s, sizeof(s), "“规划”%s", ten);
	break10(&tx, &lv, &fake, s, BG_LONE);
	assert_true(lv.v[0].lead == 0 && lv.v[1].lead == 0);
	break10(&tx, &lv, &fake, s, BG_LONE | BG_LEAD1);
	assert_true(fabs(lv.v[0].lead - 8) < 1e-9 && lv.v[1].lead == 0);
	/* A lone last line pulled down: the new last line's own lead. */
	snprintf(s, sizeof(s), "%s一二三四五六七（八）九", ten);
	break10(&tx, &lv, &fake, s, 0);
	assert_int_equal(lv.n, 3);
	assert_int_equal(lv.v[2].c0, 20);
	assert_true(lv.v[1].lead == 0 && lv.v[2].lead == 0);
	break10(&tx, &lv, &fake, s, BG_LONE);
	assert_int_equal(lv.n, 3);
	assert_int_equal(lv.v[2].c0, 17);
	assert_true(fabs(lv.v[2].lead - 8) < 1e-9);

	/* A shrunk line 2 (9 em, then "5年" run on: 0.5 em over, the
	 * gaps give 2.4 pt, its three ， the other 5.6 pt): starting with
	 * （, its ½ em pays for all of it. */
	snprintf(s, sizeof(s), "%s子甲，乙，丙，丁戊5年末完成。", ten);
	break10(&tx, &lv, &fake, s, BG_SHRINK);
	assert_true(lv.v[1].flags & LN_SHRUNK);
	assert_int_equal(lv.v[1].c1, 21);
	assert_true(fabs(lv.v[1].pc - 5.6) < 1e-6);
	assert_true(lv.v[1].lead == 0);
	snprintf(s, sizeof(s), "%s（甲，乙，丙，丁戊5年末）完成。", ten);
	break10(&tx, &lv, &fake, s, BG_SHRINK);
	assert_true(lv.v[1].flags & LN_SHRUNK);
	assert_int_equal(lv.v[1].c1, 21);
	assert_true(fabs(lv.v[1].lead - 8) < 1e-9);
	assert_true(lv.v[1].pc == 0);

	/* Balanced lines (centred titles) have none, also when a word wider
	 * than the measure makes them greedy lines. */
	snprintf(s, sizeof(s), "%s（规划）%s", ten, ten);
	text_load(&tx, s, strlen(s));
	text_measure(&fake, &tx, ROLE_BODY, 16);
	lv.n = 0;
	break_balanced(&tx, 160, 16, &lv);
	assert_true(lv.n >= 2);
	for (c = 0; c < lv.n; c++)
		assert_true(lv.v[c].lead == 0);
	snprintf(s, sizeof(s), "%s%s（规划）", "ABCDEFGHIJKLMNOPQRST",
	    "ABCDEFGHIJKLMNOPQRST");
	text_load(&tx, s, strlen(s));
	text_measure(&fake, &tx, ROLE_BODY, 16);
	lv.n = 0;
	break_balanced(&tx, 160, 16, &lv);
	assert_int_equal(lv.n, 3);
	assert_int_equal(tx.cp[lv.v[2].c0], 0xFF08);
	for (c = 0; c < lv.n; c++)
		assert_true(lv.v[c].lead == 0);
	free(lv.v);
	text_free(&tx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_han_breaks),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_open_lead),
	};
	return cmocka_run_group_tests_name("linebreak", tests, NULL, NULL);
}
