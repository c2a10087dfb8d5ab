/* sfnt: font table bytes (see sfnt.h). */
#include "sfnt.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

unsigned
sfnt_be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

uint32_t
sfnt_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

struct tbl {
	const unsigned char *p;
	size_t len;
	int present;
};

static void
tagstr(char out[5], uint32_t tag)
{
	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)(tag >> (24 - 8 * i));
		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[4] = '\0';
}

/* Checks that the name table has what libharu 2.3.0 ParseName needs: a
 * PostScript name (ID 6) and a subfamily (ID 2), Mac Roman or Windows
 * Unicode English, whose lengths fit its 127-byte name buffer. */
static const char *
check_name(const struct tbl *t)
{
	if (t->len < 6)
		return "'name' table is too short";
	unsigned count = sfnt_be16(t->p + 2), soff = sfnt_be16(t->p + 4);
	if (6 + (size_t)count * 12 > t->len)
		return "'name' table records extend past the table";
	unsigned l1 = 0, l2 = 0, l1u = 0, l2u = 0;
	int h1 = 0, h2 = 0, h1u = 0, h2u = 0;
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *r = t->p + 6 + (size_t)i * 12;
		unsigned plat = sfnt_be16(r), enc = sfnt_be16(r + 2), lang = sfnt_be16(r + 4);
		unsigned id = sfnt_be16(r + 6), len = sfnt_be16(r + 8), off = sfnt_be16(r + 10);
		if ((size_t)soff + off + len > t->len)
			continue;
		if (plat == 1 && enc == 0 && id == 6)
			h1 = 1, l1 = len;
		if (plat == 1 && enc == 0 && id == 2)
			h2 = 1, l2 = len;
		if (plat == 3 && enc == 1 && lang == 0x0409 && id == 6)
			h1u = 1, l1u = len;
		if (plat == 3 && enc == 1 && lang == 0x0409 && id == 2)
			h2u = 1, l2u = len;
	}
	if (!h1 && !h1u)
		return "no PostScript name (name ID 6, Mac or Windows English) "
		    "for libharu";
	if (!h2 && !h2u)
		return "no subfamily name (name ID 2, Mac or Windows English) "
		    "for libharu";
	if (!h1 || l1 == 0)
		l1 = l1u / 2 + l1u % 2;
	if (!h2 || l2 == 0)
		l2 = l2u / 2 + l2u % 2;
	if (l1 + l2 + 8 > 127)
		return "PostScript name too long for libharu (over 119 bytes)";
	return NULL;
}

static int
has_unicode_cmap(const struct tbl *t)
{
	if (t->len < 4)
		return 0;
	unsigned n = sfnt_be16(t->p + 2);
	if (4 + (size_t)n * 8 > t->len)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *r = t->p + 4 + (size_t)i * 8;
		unsigned plat = sfnt_be16(r), enc = sfnt_be16(r + 2);
		if (plat == 0 || (plat == 3 && (enc == 1 || enc == 10)))
			return 1;
	}
	return 0;
}

char *
sfnt_check(const unsigned char *d, size_t len, unsigned index)
{
	if (len < 12)
		return xstrdup("not a font file (too short)");
	size_t off = 0;
	uint32_t ver = sfnt_be32(d);
	if (ver == 0x74746366u) {       /* 'ttcf' */
		uint32_t nf = sfnt_be32(d + 8);
		if ((size_t)nf > (len - 12) / 4)
			return xstrdup("corrupt font collection header "
			    "(truncated?)");
		if (index >= nf)
			return xasprintf("face index %u out of range (the "
			    "collection has %u faces)", index, (unsigned)nf);
		off = sfnt_be32(d + 12 + 4 * (size_t)index);
		if (off > len - 12)
			return xstrdup("face offset past the end of the file "
			    "(truncated?)");
		ver = sfnt_be32(d + off);
	} else if (index != 0)
		return xasprintf("face index %u out of range (the file has "
		    "one face)", index);
	if (ver == 0x4f54544fu)         /* 'OTTO' */
		return xstrdup("CFF (PostScript) outlines: only TrueType "
		    "'glyf' fonts can be embedded by libharu");
	if (ver != 0x00010000u && ver != 0x74727565u)   /* 'true' */
		return xasprintf("not a TrueType font (sfnt version "
		    "0x%08x)", (unsigned)ver);
	unsigned ntables = sfnt_be16(d + off + 4);
	if (off + 12 + (size_t)ntables * 16 > len)
		return xstrdup("table directory past the end of the file "
		    "(truncated?)");

	enum { T_GLYF, T_LOCA, T_HEAD, T_HHEA, T_HMTX, T_MAXP, T_CMAP,
		T_OS2, T_NAME, T_CFF, T_CFF2, NT };
	static const uint32_t tags[NT] = {
		0x676c7966u, 0x6c6f6361u, 0x68656164u, 0x68686561u,
		0x686d7478u, 0x6d617870u, 0x636d6170u, 0x4f532f32u,
		0x6e616d65u, 0x43464620u, 0x43464632u
	};
	struct tbl t[NT];
	memset(t, 0, sizeof t);
	for (unsigned i = 0; i < ntables; i++) {
		const unsigned char *r = d + off + 12 + (size_t)i * 16;
		uint32_t tag = sfnt_be32(r), to = sfnt_be32(r + 8), tl = sfnt_be32(r + 12);
		if ((size_t)to > len || (size_t)tl > len - to) {
			char s[5];
			tagstr(s, tag);
			return xasprintf("table '%s' extends past the end of "
			    "the file (truncated?)", s);
		}
		for (int k = 0; k < NT; k++)
			if (tag == tags[k]) {
				t[k].p = d + to;
				t[k].len = tl;
				t[k].present = 1;
			}
	}
	if (t[T_CFF].present || t[T_CFF2].present)
		return xstrdup("CFF (PostScript) outlines: only TrueType "
		    "'glyf' fonts can be embedded by libharu");
	static const char *const need[] = {
		"glyf", "loca", "head", "hhea", "hmtx", "maxp", "cmap",
		"OS/2", "name"
	};
	for (int k = T_GLYF; k <= T_NAME; k++)
		if (!t[k].present)
			return xasprintf("no '%s' table%s", need[k],
			    k == T_GLYF ? " (not a TrueType-outline font)" :
			    k >= T_OS2 ? " (libharu needs it)" : "");

	if (t[T_HEAD].len < 54)
		return xstrdup("'head' table is too short");
	if (sfnt_be32(t[T_HEAD].p + 12) != 0x5f0f3cf5u)
		return xstrdup("'head' table has a bad magic number");
	unsigned upem = sfnt_be16(t[T_HEAD].p + 18);
	if (upem < 16 || upem > 16384)
		return xasprintf("unitsPerEm %u is outside 16..16384", upem);
	unsigned locfmt = sfnt_be16(t[T_HEAD].p + 50);
	if (locfmt > 1)
		return xasprintf("bad indexToLocFormat %u", locfmt);
	if (t[T_MAXP].len < 6)
		return xstrdup("'maxp' table is too short");
	unsigned ng = sfnt_be16(t[T_MAXP].p + 4);
	if (ng == 0)
		return xstrdup("numGlyphs is 0");
	if (t[T_HHEA].len < 36)
		return xstrdup("'hhea' table is too short");
	unsigned nhm = sfnt_be16(t[T_HHEA].p + 34);
	if (nhm == 0)
		return xstrdup("numberOfHMetrics is 0");
	if (nhm > ng)
		return xasprintf("numberOfHMetrics %u is greater than "
		    "numGlyphs %u", nhm, ng);
	if (t[T_HMTX].len < 4 * (size_t)nhm + 2 * (size_t)(ng - nhm))
		return xstrdup("'hmtx' table is too short for numGlyphs");
	if (t[T_LOCA].len < ((size_t)ng + 1) * (locfmt ? 4 : 2))
		return xstrdup("'loca' table is too short for numGlyphs");
	if (t[T_OS2].len < 10)
		return xstrdup("'OS/2' table is too short");
	unsigned fstype = sfnt_be16(t[T_OS2].p + 8);
	if (fstype & 0x0002)
		return xasprintf("OS/2 fsType 0x%04x: restricted license, "
		    "embedding not permitted", fstype);
	if (fstype & 0x0100)
		return xasprintf("OS/2 fsType 0x%04x: no subsetting "
		    "permitted (libharu refuses it)", fstype);
	if (fstype & 0x0200)
		return xasprintf("OS/2 fsType 0x%04x: bitmap embedding only "
		    "(libharu refuses it)", fstype);
	if (!has_unicode_cmap(&t[T_CMAP]))
		return xstrdup("no Unicode 'cmap' subtable");
	const char *e = check_name(&t[T_NAME]);
	if (e != NULL)
		return xstrdup(e);
	return NULL;
}


unsigned
sfnt_num_glyphs(const unsigned char *d, size_t len)
{
	if (len < 12)
		return 0;
	unsigned nt = sfnt_be16(d + 4);
	for (unsigned i = 0; i < nt && 12 + (size_t)i * 16 + 16 <= len; i++) {
		const unsigned char *r = d + 12 + (size_t)i * 16;
		if (memcmp(r, "maxp", 4) != 0)
			continue;
		size_t off = sfnt_be32(r + 8);
		if (off + 6 > len)
			return 0;
		return sfnt_be16(d + off + 4);
	}
	return 0;
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

unsigned char *
sfnt_cmap4(const uint32_t *cp, const uint16_t *gid, size_t m, unsigned gap,
    size_t *tlen)
{
	size_t nseg = 0, i, k, arr = 0, len;
	unsigned char *t, *p;
	unsigned sr, es;

	if (m == 0)
		return NULL;
	size_t *sstart = xreallocarray(NULL, m + 2, sizeof(*sstart));
	size_t *send = xreallocarray(NULL, m + 2, sizeof(*send));
	for (i = 0; i < m; i++) {
		if (nseg == 0 || cp[i] - cp[send[nseg - 1]] > gap) {
			sstart[nseg] = i;
			nseg++;
		}
		send[nseg - 1] = i;
	}
	for (i = 0; i < nseg; i++)
		arr += cp[send[i]] - cp[sstart[i]] + 1;
	nseg++;                         /* the final 0xFFFF segment */
	len = 16 + 8 * nseg + 2 * arr;
	if (len > 0xFFFF) {
		free(sstart);
		free(send);
		return NULL;
	}

	/* cmap header, one encoding record (3,1), the format 4 subtable. */
	t = xcalloc(12 + len, 1);
	put16(t + 0, 0);
	put16(t + 2, 1);
	put16(t + 4, 3);
	put16(t + 6, 1);
	t[8] = 0; t[9] = 0; t[10] = 0; t[11] = 12;
	p = t + 12;
	for (sr = 1, es = 0; sr * 2 <= nseg; sr *= 2, es++)
		;
	put16(p + 0, 4);
	put16(p + 2, (unsigned)len);
	put16(p + 4, 0);
	put16(p + 6, (unsigned)(2 * nseg));
	put16(p + 8, 2 * sr);
	put16(p + 10, es);
	put16(p + 12, (unsigned)(2 * nseg - 2 * sr));
	{
		unsigned char *endc = p + 14, *startc = endc + 2 * nseg + 2;
		unsigned char *delta = startc + 2 * nseg;
		unsigned char *range = delta + 2 * nseg;
		unsigned char *glyphs = range + 2 * nseg;
		size_t goff = 0;

		for (i = 0; i + 1 < nseg; i++) {
			uint32_t lo = cp[sstart[i]], hi = cp[send[i]];

			put16(endc + 2 * i, hi);
			put16(startc + 2 * i, lo);
			put16(delta + 2 * i, 0);
			put16(range + 2 * i, (unsigned)(2 * (nseg - i + goff)));
			for (k = sstart[i]; k <= send[i]; k++)
				put16(glyphs + 2 * (goff + cp[k] - lo), gid[k]);
			goff += hi - lo + 1;
		}
		put16(endc + 2 * i, 0xFFFF);
		put16(startc + 2 * i, 0xFFFF);
		put16(delta + 2 * i, 1);
		put16(range + 2 * i, 0);
	}
	free(sstart);
	free(send);
	*tlen = 12 + len;
	return t;
}
