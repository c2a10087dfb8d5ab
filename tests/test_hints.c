/* Hints for the clerk's mistakes: telling GB18030 text from UTF-8. */
#include "testutil.h"
#include "util.h"

static void
test_gb18030(void **state)
{
	(void)state;
	/* 园区 in GBK: D4 B0 C7 F8; a four-byte GB18030 sequence. */
	assert_true(gb18030_valid("abc", 3));
	assert_true(gb18030_valid("\xD4\xB0\xC7\xF8\n", 5));
	assert_true(gb18030_valid("\x81\x30\x81\x30", 4));
	/* Truncated, a bad trail byte, 0x80 and 0xFF leads. */
	assert_false(gb18030_valid("\xD4", 1));
	assert_false(gb18030_valid("\xD4\x20", 2));
	assert_false(gb18030_valid("\x80\x40", 2));
	assert_false(gb18030_valid("\xFF\x40", 2));
	assert_false(gb18030_valid("\x81\x30\x81", 3));
	/* UTF-8 Chinese is usually not GB18030: 园 = E5 9B AD, then 区 =
	 * E5 8C BA: E5 9B | AD E5 | 8C BA pairs are valid GBK, so the
	 * check is only ever asked about text that is not UTF-8. */
	assert_true(utf8_invalid_at("\xD4\xB0\xC7\xF8", 4) != (size_t)-1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gb18030),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
