/* Tests of sfnt.c on hand-made font bytes: the checks embedding relies
 * on (each rejection names its reason), reads that stay inside the
 * buffer for every truncation, numGlyphs, CFF charsets (glyph to CID),
 * and the metrics a PDF font descriptor takes. */
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
make_font_cff(size_t *len, size_t off[NT], const unsigned char *cff,
    size_t cfflen)
{
	static unsigned char os2[78], cmap[12], glyf[4], head[54], hhea[36],
	    hmtx[8], loca[6], maxp[6], name[6 + 24 + 16];
	const struct { const unsigned char *p; size_t n; } t[NT] = {
		{ os2, sizeof os2 }, { cmap, sizeof cmap },
		{ cff ? cff : glyf, cff ? cfflen : sizeof glyf },
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
	put32(d, cff ? 0x4f54544fu : 0x00010000u);
	put16(d + 4, NT);
	size_t o = 12 + 16 * NT;
	for (int k = 0; k < NT; k++) {
		unsigned char *r = d + 12 + 16 * k;
		memcpy(r, cff && k == 2 ? "CFF " : tags[k], 4);
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

static unsigned char *
make_font(size_t *len, size_t off[NT])
{
	return make_font_cff(len, off, NULL, 0);
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
	CASE(memcpy(c + 12 + 16 * GLYF, "glyx", 4), "no 'glyf' or 'CFF '");
	CASE(memcpy(c + 12 + 16 * NAME, "namx", 4), "no 'name' table");
	CASE(memcpy(c + 12 + 16 * GLYF, "CFF ", 4), "'CFF ' table: bad header");
	CASE(memcpy(c + 12 + 16 * GLYF, "CFF2", 4), "CFF2 (variable");
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

/* A CFF table of ng glyphs (ng >= 4 for a charset of CIDs 97 98 300 ...):
 * Top DICT with a FontBBox in every number encoding, ROS when ros is
 * set, a charset of format fmt (0, 1, 2) and one endchar per glyph. */
static unsigned char *
make_cff(unsigned ng, int ros, int fmt, size_t *len)
{
	static const unsigned char bbox[] = {
		251, 192,               /* -300 */
		28, 0x03, 0xe8,         /* 1000 */
		30, 0x1a, 0x5f,         /* 1.5 */
		29, 0, 0, 0x03, 0xe8,   /* 1000 */
		5                       /* FontBBox */
	};
	static const unsigned char rosop[] = {
		139, 247, 92, 139, 12, 30       /* 0 200 0 ROS */
	};
	size_t dl = sizeof bbox + (ros ? sizeof rosop : 0) + 12;
	size_t hdr = 4, name = 6, top = 5 + dl, strs = 2, gsubr = 2;
	size_t cs_off = hdr + name + top + strs + gsubr;
	unsigned char cs[64];
	size_t cl = 0;
	cs[cl++] = (unsigned char)fmt;
	/* CIDs 97 98 300 301 ... for glyphs 1 .. ng-1 */
	if (fmt == 0) {
		for (unsigned g = 1; g < ng; g++) {
			unsigned v = g <= 2 ? 96 + g : 297 + g;
			put16(cs + cl, v);
			cl += 2;
		}
	} else {
		put16(cs + cl, 97);
		cl += 2;
		if (fmt == 1)
			cs[cl++] = 1;
		else {
			put16(cs + cl, 1);
			cl += 2;
		}
		put16(cs + cl, 300);
		cl += 2;
		if (fmt == 1)
			cs[cl++] = (unsigned char)(ng - 4);
		else {
			put16(cs + cl, ng - 4);
			cl += 2;
		}
	}
	size_t chs_off = cs_off + cl;
	size_t n = chs_off + 3 + (ng + 1) + ng;
	unsigned char *d = calloc(1, n);
	assert_non_null(d);
	memcpy(d, "\1\0\4\1", 4);
	memcpy(d + 4, "\0\1\1\1\2T", 6);                /* Name INDEX */
	unsigned char *t = d + 10;
	put16(t, 1);
	t[2] = 1;
	t[3] = 1;
	t[4] = (unsigned char)(1 + dl);
	t += 5;
	memcpy(t, bbox, sizeof bbox);
	t += sizeof bbox;
	if (ros) {
		memcpy(t, rosop, sizeof rosop);
		t += sizeof rosop;
	}
	*t++ = 29;
	put32(t, (uint32_t)cs_off);
	t += 4;
	*t++ = 15;
	*t++ = 29;
	put32(t, (uint32_t)chs_off);
	t += 4;
	*t++ = 17;
	/* String and Global Subr INDEX: empty (zeros) */
	memcpy(d + cs_off, cs, cl);
	t = d + chs_off;
	put16(t, ng);
	t[2] = 1;
	for (unsigned g = 0; g <= ng; g++)
		t[3 + g] = (unsigned char)(1 + g);
	memset(t + 3 + ng + 1, 14, ng);
	*len = n;
	return d;
}

static void
test_cff_cids(void **state)
{
	(void)state;
	for (int fmt = 0; fmt <= 2; fmt++) {
		size_t n;
		unsigned char *d = make_cff(6, 1, fmt, &n);
		uint16_t cid[6];
		memset(cid, 0xff, sizeof cid);
		assert_int_equal(sfnt_cff_cids(d, n, 6, cid), 1);
		static const uint16_t want[6] = { 0, 97, 98, 300, 301, 302 };
		for (int g = 0; g < 6; g++)
			if (cid[g] != want[g])
				fail_msg("format %d: glyph %d has CID %u, not %u",
				    fmt, g, cid[g], want[g]);
		/* every prefix: -1, read within bounds (ASan) */
		for (size_t k = 0; k < n; k++) {
			unsigned char *c = malloc(k ? k : 1);
			assert_non_null(c);
			memcpy(c, d, k);
			int r = sfnt_cff_cids(c, k, 6, cid);
			if (r != -1 && k < n - (3 + 2 * 6 + 1))
				fail_msg("format %d: a %zu-byte prefix gave %d",
				    fmt, k, r);
			free(c);
		}
		free(d);
	}
	/* name-keyed: CIDs are glyph indices */
	size_t n;
	unsigned char *d = make_cff(5, 0, 0, &n);
	uint16_t cid[5];
	assert_int_equal(sfnt_cff_cids(d, n, 5, cid), 0);
	for (int g = 0; g < 5; g++)
		assert_int_equal(cid[g], g);
	free(d);
	/* not CFF */
	d = make_cff(5, 1, 0, &n);
	d[0] = 2;
	assert_int_equal(sfnt_cff_cids(d, n, 5, cid), -1);
	free(d);
}

/* An OpenType/CFF font ('OTTO', a 'CFF ' table instead of 'glyf') is
 * accepted; its CFF is checked against numGlyphs. */
static void
test_cff_font(void **state)
{
	(void)state;
	size_t cl, n, off[NT];
	unsigned char *cff = make_cff(2, 1, 0, &cl);   /* numGlyphs 2 */
	unsigned char *d = make_font_cff(&n, off, cff, cl);
	char *why = sfnt_check(d, n, 0);
	if (why != NULL)
		fail_msg("rejected: %s", why);
	struct sfnt_metrics m;
	assert_int_equal(sfnt_metrics(d, n, &m), 0);
	assert_true(m.cff);
	assert_string_equal(m.psname, "Test");
	size_t tl;
	assert_ptr_equal(sfnt_table(d, n, "CFF ", &tl), d + off[GLYF]);
	assert_int_equal(tl, cl);
	d[off[GLYF]] = 7;
	expect_reason(d, n, 0, "'CFF ' table: bad header");
	free(d);
	free(cff);
	cff = make_cff(3, 1, 0, &cl);
	d = make_font_cff(&n, off, cff, cl);
	expect_reason(d, n, 0, "CharStrings count differs from numGlyphs");
	free(d);
	free(cff);
}

/* sfnt_metrics: scaled to 1/1000 em, hhea (else OS/2 typo), the name. */
static void
test_metrics(void **state)
{
	(void)state;
	size_t n, off[NT];
	unsigned char *d = make_font(&n, off);
	put16(d + off[HEAD] + 18, 2000);
	put16(d + off[HEAD] + 36, (unsigned)-100 & 0xffff);
	put16(d + off[HEAD] + 42, 1800);
	put16(d + off[HHEA] + 4, 1760);
	put16(d + off[HHEA] + 6, (unsigned)-400 & 0xffff);
	put16(d + off[OS2] + 4, 700);
	put16(d + off[OS2] + 68, 1700);
	put16(d + off[OS2] + 70, (unsigned)-300 & 0xffff);
	struct sfnt_metrics m;
	assert_int_equal(sfnt_metrics(d, n, &m), 0);
	assert_int_equal(m.upem, 2000);
	assert_int_equal(m.bbox[0], -50);
	assert_int_equal(m.bbox[3], 900);
	assert_int_equal(m.ascent, 880);        /* hhea */
	assert_int_equal(m.descent, -200);
	assert_int_equal(m.cap_height, 880);
	/* hhea 0 0: the OS/2 typo values */
	put16(d + off[HHEA] + 4, 0);
	put16(d + off[HHEA] + 6, 0);
	assert_int_equal(sfnt_metrics(d, n, &m), 0);
	assert_int_equal(m.ascent, 850);
	assert_int_equal(m.descent, -150);
	assert_int_equal(m.weight, 700);
	assert_false(m.cff);
	assert_string_equal(m.psname, "Test");
	/* no usable PostScript name: a placeholder */
	put16(d + off[NAME] + 6 + 6, 7);
	assert_int_equal(sfnt_metrics(d, n, &m), 0);
	assert_string_equal(m.psname, "Font");
	assert_int_equal(sfnt_metrics(d, 20, &m), -1);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_collection),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_cff_cids),
		cmocka_unit_test(test_cff_font),
		cmocka_unit_test(test_metrics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
