/* Tests of sfnt.c on hand-made font bytes: the checks embedding relies
 * on (each rejection names its reason), reads that stay inside the
 * buffer for every truncation, numGlyphs, and the compact format 4
 * cmap (the same mapping as asked, few segments). */
#include "testutil.h"

#include "sfnt.h"

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

#define NT 9
static const char *const tags[NT] = {
	"OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name"
};

/* A minimal valid TrueType font of 2 glyphs; *len its size.  Table k is
 * at *off[k] (for patching). */
static unsigned char *
make_font(size_t *len, size_t off[NT])
{
	static unsigned char os2[78], cmap[12], glyf[4], head[54], hhea[36],
	    hmtx[8], loca[6], maxp[6], name[6 + 24 + 16];
	const struct { unsigned char *p; size_t n; } t[NT] = {
		{ os2, sizeof os2 }, { cmap, sizeof cmap }, { glyf, sizeof glyf },
		{ head, sizeof head }, { hhea, sizeof hhea },
		{ hmtx, sizeof hmtx }, { loca, sizeof loca },
		{ maxp, sizeof maxp }, { name, sizeof name },
	};
	put16(os2 + 8, 0);                      /* fsType: installable */
	put16(cmap + 2, 1);
	put16(cmap + 4, 3);                     /* (3,1) */
	put16(cmap + 6, 1);
	put32(cmap + 8, 12);
	put32(head + 12, 0x5f0f3cf5u);
	put16(head + 18, 1000);
	put16(head + 50, 0);
	put16(hhea + 34, 2);
	put16(maxp + 4, 2);
	put16(name + 2, 2);
	put16(name + 4, 30);
	static const unsigned ids[2] = { 6, 2 };
	for (int i = 0; i < 2; i++) {
		unsigned char *r = name + 6 + 12 * i;
		put16(r, 3);
		put16(r + 2, 1);
		put16(r + 4, 0x409);
		put16(r + 6, ids[i]);
		put16(r + 8, 8);
		put16(r + 10, (unsigned)(8 * i));
	}
	memcpy(name + 30, "\0T\0e\0s\0t\0B\0o\0o\0k", 16);
	size_t n = 12 + 16 * NT;
	for (int k = 0; k < NT; k++)
		n += (t[k].n + 3) & ~(size_t)3;
	unsigned char *d = calloc(1, n);
	assert_non_null(d);
	put32(d, 0x00010000u);
	put16(d + 4, NT);
	size_t o = 12 + 16 * NT;
	for (int k = 0; k < NT; k++) {
		unsigned char *r = d + 12 + 16 * k;
		memcpy(r, tags[k], 4);
		put32(r + 8, (uint32_t)o);
		put32(r + 12, (uint32_t)t[k].n);
		memcpy(d + o, t[k].p, t[k].n);
		if (off != NULL)
			off[k] = o;
		o += (t[k].n + 3) & ~(size_t)3;
	}
	*len = n;
	return d;
}

enum { OS2, CMAP, GLYF, HEAD, HHEA, HMTX, LOCA, MAXP, NAME };

/* sfnt_check(d, n, index) is a reason holding want. */
static void
expect_reason(const unsigned char *d, size_t n, unsigned index,
    const char *want)
{
	char *why = sfnt_check(d, n, index);
	if (why == NULL)
		fail_msg("accepted; expected '%s'", want);
	if (strstr(why, want) == NULL)
		fail_msg("reason '%s' lacks '%s'", why, want);
	free(why);
}

static void
test_valid(void **state)
{
	(void)state;
	size_t n;
	unsigned char *d = make_font(&n, NULL);
	char *why = sfnt_check(d, n, 0);
	if (why != NULL)
		fail_msg("rejected: %s", why);
	assert_int_equal(sfnt_num_glyphs(d, n), 2);
	assert_int_equal(sfnt_be16(d + 4), NT);
	assert_int_equal(sfnt_be32(d), 0x00010000u);
	free(d);
}

static void
test_rejections(void **state)
{
	(void)state;
	size_t n, off[NT];
	unsigned char *d = make_font(&n, off);
	unsigned char *c = malloc(n);
	assert_non_null(c);
#define CASE(patch, want) do { \
	memcpy(c, d, n); \
	patch; \
	expect_reason(c, n, 0, want); \
} while (0)
	CASE(put16(c + off[HEAD] + 18, 8), "unitsPerEm 8 is outside");
	CASE(put32(c + off[HEAD] + 12, 1), "bad magic");
	CASE(put16(c + off[HEAD] + 50, 2), "bad indexToLocFormat 2");
	CASE(put16(c + off[MAXP] + 4, 0), "numGlyphs is 0");
	CASE(put16(c + off[HHEA] + 34, 3), "numberOfHMetrics 3 is greater "
	    "than numGlyphs 2");
	CASE(put16(c + off[HHEA] + 34, 0), "numberOfHMetrics is 0");
	CASE(put16(c + off[MAXP] + 4, 40), "'hmtx' table is too short");
	CASE(put16(c + off[OS2] + 8, 2), "fsType 0x0002: restricted");
	CASE(put16(c + off[OS2] + 8, 0x100), "no subsetting");
	CASE(put16(c + off[CMAP] + 4, 1), "no Unicode 'cmap'");
	CASE(put16(c + off[NAME] + 6 + 6, 7), "no PostScript name");
	CASE(put16(c + off[NAME] + 12 + 6 + 6, 7), "no subfamily name");
	CASE(memcpy(c + 12 + 16 * GLYF, "glyx", 4), "no 'glyf' table");
	CASE(memcpy(c + 12 + 16 * NAME, "namx", 4), "no 'name' table");
	CASE(memcpy(c, "OTTO", 4), "CFF");
	CASE(memcpy(c + 12 + 16 * GLYF, "CFF ", 4), "CFF");
	CASE(put32(c, 0x12345678u), "not a TrueType font (sfnt version "
	    "0x12345678)");
	CASE(put32(c + 12 + 16 * HEAD + 12, 0x7fffffffu), "table 'head' "
	    "extends past the end");
#undef CASE
	expect_reason(d, 8, 0, "too short");
	expect_reason(d, n, 1, "face index 1 out of range (the file has one "
	    "face)");
	free(c);
	free(d);
}

/* A 'ttcf' collection holding the font once. */
static void
test_collection(void **state)
{
	(void)state;
	size_t n;
	unsigned char *d = make_font(&n, NULL);
	/* the font's table offsets are absolute: prepend a 16-byte header
	 * and shift them */
	unsigned char *c = calloc(1, n + 16);
	assert_non_null(c);
	memcpy(c, "ttcf", 4);
	put32(c + 4, 0x00010000u);
	put32(c + 8, 1);
	put32(c + 12, 16);
	memcpy(c + 16, d, n);
	for (int k = 0; k < NT; k++) {
		unsigned char *r = c + 16 + 12 + 16 * k;
		put32(r + 8, sfnt_be32(r + 8) + 16);
	}
	char *why = sfnt_check(c, n + 16, 0);
	if (why != NULL)
		fail_msg("rejected: %s", why);
	expect_reason(c, n + 16, 1, "face index 1 out of range (the "
	    "collection has 1 faces)");
	put32(c + 8, 0x40000000u);
	expect_reason(c, n + 16, 0, "corrupt font collection header");
	put32(c + 8, 1);
	put32(c + 12, (uint32_t)(n + 16));
	expect_reason(c, n + 16, 0, "face offset past the end");
	free(c);
	free(d);
}

/* Every prefix of a valid font is rejected (and read within bounds:
 * run under ASan by make asan). */
static void
test_truncations(void **state)
{
	(void)state;
	size_t n;
	unsigned char *d = make_font(&n, NULL);
	for (size_t k = 0; k < n - 2; k++) {
		unsigned char *c = malloc(k ? k : 1);
		assert_non_null(c);
		memcpy(c, d, k);
		char *why = sfnt_check(c, k, 0);
		if (why == NULL)
			fail_msg("a %zu-byte prefix of %zu was accepted", k, n);
		free(why);
		(void)sfnt_num_glyphs(c, k);
		free(c);
	}
	free(d);
}

/* Glyph of cp in a (3,1) format 4 subtable, read as the spec says. */
static unsigned
cmap4_lookup(const unsigned char *t, size_t len, unsigned cp)
{
	assert_true(len >= 12 + 14);
	assert_int_equal(sfnt_be16(t + 2), 1);
	assert_int_equal(sfnt_be16(t + 4), 3);
	assert_int_equal(sfnt_be16(t + 6), 1);
	const unsigned char *s = t + sfnt_be32(t + 8);
	assert_int_equal(sfnt_be16(s), 4);
	assert_int_equal(sfnt_be16(s + 2), len - 12);
	unsigned nseg = sfnt_be16(s + 6) / 2;
	const unsigned char *endc = s + 14, *startc = endc + 2 * nseg + 2;
	const unsigned char *delta = startc + 2 * nseg;
	const unsigned char *range = delta + 2 * nseg;
	for (unsigned i = 0; i < nseg; i++) {
		if (cp > sfnt_be16(endc + 2 * i))
			continue;
		unsigned lo = sfnt_be16(startc + 2 * i);
		if (cp < lo)
			return 0;
		unsigned ro = sfnt_be16(range + 2 * i);
		if (ro == 0)
			return (cp + sfnt_be16(delta + 2 * i)) & 0xffff;
		const unsigned char *g = range + 2 * i + ro + 2 * (cp - lo);
		assert_true(g + 2 <= t + len);
		unsigned gid = sfnt_be16(g);
		return gid == 0 ? 0 : (gid + sfnt_be16(delta + 2 * i)) & 0xffff;
	}
	return 0;
}

static void
test_cmap4(void **state)
{
	(void)state;
	static const uint32_t cps[] = {
		0x20, 0x21, 0x7e, 0x3001, 0x3002, 0x4e00, 0x4e2d, 0x9fa5, 0xff0c
	};
	size_t n = sizeof cps / sizeof cps[0];
	uint16_t gids[sizeof cps / sizeof cps[0]];
	for (size_t i = 0; i < n; i++)
		gids[i] = (uint16_t)(i + 1);
	size_t len;
	unsigned char *t = sfnt_cmap4(cps, gids, n, 1024, &len);
	assert_non_null(t);
	for (unsigned cp = 0; cp < 0xffff; cp++) {
		unsigned want = 0;
		for (size_t i = 0; i < n; i++)
			if (cps[i] == cp)
				want = gids[i];
		if (cmap4_lookup(t, len, cp) != want)
			fail_msg("U+%04X maps to %u, not %u", cp,
			    cmap4_lookup(t, len, cp), want);
	}
	/* runs within 1024 code points share a segment: 0x20-0x7e,
	 * 0x3001-0x3002, 0x4e00-0x4e2d, 0x9fa5, 0xff0c, and 0xffff */
	assert_int_equal(sfnt_be16(t + 12 + 6), 2 * 6);
	free(t);
	/* a gap of 0: one segment per code point, and 0xffff */
	t = sfnt_cmap4(cps, gids, n, 0, &len);
	assert_non_null(t);
	assert_int_equal(sfnt_be16(t + 12 + 6), 2 * 10);
	assert_int_equal(cmap4_lookup(t, len, 0x4e2d), 7);
	free(t);
	assert_null(sfnt_cmap4(cps, gids, 0, 1024, &len));
}

static void
test_cmap4_too_big(void **state)
{
	(void)state;
	/* one segment over 40,000 code points: the glyphIdArray alone
	 * needs 80,000 bytes, more than a format 4 subtable can hold */
	static const uint32_t cps[] = { 0x100, 0x9d40 };
	static const uint16_t gids[] = { 1, 2 };
	size_t len;
	assert_null(sfnt_cmap4(cps, gids, 2, 0xffff, &len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_collection),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_cmap4),
		cmocka_unit_test(test_cmap4_too_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
