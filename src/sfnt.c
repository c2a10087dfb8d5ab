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

/* Checks that the name table has a PostScript name (ID 6), Mac Roman or
 * Windows Unicode English: it becomes the PDF font's name. */
static const char *
check_name(const struct tbl *t)
{
	if (t->len < 6)
		return "'name' table is too short";
	unsigned count = sfnt_be16(t->p + 2), soff = sfnt_be16(t->p + 4);
	if (6 + (size_t)count * 12 > t->len)
		return "'name' table records extend past the table";
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *r = t->p + 6 + (size_t)i * 12;
		unsigned plat = sfnt_be16(r), enc = sfnt_be16(r + 2);
		unsigned lang = sfnt_be16(r + 4), id = sfnt_be16(r + 6);
		unsigned len = sfnt_be16(r + 8), off = sfnt_be16(r + 10);
		if ((size_t)soff + off + len > t->len || id != 6 || len == 0)
			continue;
		if ((plat == 1 && enc == 0) ||
		    (plat == 3 && enc == 1 && lang == 0x0409))
			return NULL;
	}
	return "no PostScript name (name ID 6, Mac or Windows English)";
}

/* ---- CFF ------------------------------------------------------------ */

/* An INDEX at d[off..len): count, and the bounds of its data; returns the
 * offset just past it, or 0 if it does not fit. */
struct cff_index {
	unsigned count, osz;
	size_t offs;            /* offset array */
	size_t data;            /* data start - 1 (offsets are 1-based) */
};

static size_t
cff_index(const unsigned char *d, size_t len, size_t off,
    struct cff_index *ix)
{
	if (off > len || len - off < 2)
		return 0;
	ix->count = sfnt_be16(d + off);
	if (ix->count == 0)
		return off + 2;
	if (len - off < 3)
		return 0;
	ix->osz = d[off + 2];
	if (ix->osz < 1 || ix->osz > 4)
		return 0;
	ix->offs = off + 3;
	size_t arr = ((size_t)ix->count + 1) * ix->osz;
	if (arr > len - ix->offs)
		return 0;
	ix->data = ix->offs + arr - 1;
	size_t last = 0;
	for (unsigned i = 0; i <= ix->count; i++) {
		size_t v = 0;
		for (unsigned k = 0; k < ix->osz; k++)
			v = v << 8 | d[ix->offs + (size_t)i * ix->osz + k];
		if (v < 1 || v < last)
			return 0;
		last = v;
	}
	if (last > len - ix->data)
		return 0;
	return ix->data + last;
}

/* Bounds of entry i of ix in *start, *end. */
static void
cff_entry(const unsigned char *d, const struct cff_index *ix, unsigned i,
    size_t *start, size_t *end)
{
	size_t v[2] = { 0, 0 };
	for (int j = 0; j < 2; j++)
		for (unsigned k = 0; k < ix->osz; k++)
			v[j] = v[j] << 8 |
			    d[ix->offs + (size_t)(i + j) * ix->osz + k];
	*start = ix->data + v[0];
	*end = ix->data + v[1];
}

/* What the Top DICT says that matters here. */
struct cff_top {
	int ros;                /* CID-keyed (ROS operator present) */
	long charset;           /* offset, -1 if absent */
	long charstrings;       /* offset, -1 if absent */
};

/* Parses the DICT d[a..b); NULL or a reason. */
static const char *
cff_dict(const unsigned char *d, size_t a, size_t b, struct cff_top *top)
{
	long opnd[48];
	int n = 0;
	top->ros = 0;
	top->charset = top->charstrings = -1;
	while (a < b) {
		unsigned b0 = d[a];
		if (b0 <= 21) {                 /* operator */
			unsigned op = b0;
			a++;
			if (b0 == 12) {
				if (a >= b)
					return "truncated DICT";
				op = 1200 + d[a++];
			}
			if (op == 1230)
				top->ros = 1;
			else if (op == 15 && n >= 1)
				top->charset = opnd[n - 1];
			else if (op == 17 && n >= 1)
				top->charstrings = opnd[n - 1];
			n = 0;
			continue;
		}
		long v;
		if (b0 == 30) {                 /* real: skip its nibbles */
			a++;
			while (a < b && (d[a] & 0x0f) != 0x0f &&
			    (d[a] >> 4) != 0x0f)
				a++;
			if (a >= b)
				return "truncated real number in DICT";
			a++;
			v = 0;
		} else if (b0 >= 32 && b0 <= 246) {
			v = (long)b0 - 139;
			a++;
		} else if (b0 >= 247 && b0 <= 254) {
			if (b - a < 2)
				return "truncated number in DICT";
			long w = (long)((b0 - 247) % 4) * 256 + d[a + 1] + 108;
			v = b0 <= 250 ? w : -w;
			a += 2;
		} else if (b0 == 28) {
			if (b - a < 3)
				return "truncated number in DICT";
			v = (long)(int16_t)sfnt_be16(d + a + 1);
			a += 3;
		} else if (b0 == 29) {
			if (b - a < 5)
				return "truncated number in DICT";
			v = (long)(int32_t)sfnt_be32(d + a + 1);
			a += 5;
		} else
			return "bad byte in DICT";
		if (n == (int)(sizeof opnd / sizeof opnd[0]))
			return "too many operands in DICT";
		opnd[n++] = v;
	}
	return NULL;
}

/* Reads the Top DICT of a CFF table; NULL or a reason. */
static const char *
cff_top(const unsigned char *d, size_t len, struct cff_top *top)
{
	if (len < 4 || d[0] != 1 || d[2] < 4 || d[2] > len)
		return "bad header (not CFF version 1)";
	struct cff_index names, tops;
	size_t off = cff_index(d, len, d[2], &names);
	if (off == 0)
		return "bad Name INDEX";
	if (cff_index(d, len, off, &tops) == 0 || tops.count == 0)
		return "bad Top DICT INDEX";
	if (names.count != 1 || tops.count != 1)
		return "not exactly one font in the FontSet";
	size_t a, b;
	cff_entry(d, &tops, 0, &a, &b);
	return cff_dict(d, a, b, top);
}

/* Checks the CFF table: one font whose CharStrings INDEX holds ng glyphs
 * and, for a CID-keyed font, a charset that fits.  NULL or a reason. */
static const char *
cff_check(const unsigned char *d, size_t len, unsigned ng)
{
	struct cff_top top;
	const char *e = cff_top(d, len, &top);
	if (e != NULL)
		return e;
	struct cff_index cs;
	if (top.charstrings <= 0 || (size_t)top.charstrings >= len ||
	    cff_index(d, len, (size_t)top.charstrings, &cs) == 0)
		return "no readable CharStrings INDEX";
	if (cs.count != ng)
		return "CharStrings count differs from numGlyphs";
	if (top.ros && sfnt_cff_cids(d, len, ng, NULL) < 0)
		return "bad charset";
	return NULL;
}

int
sfnt_cff_cids(const unsigned char *d, size_t len, unsigned ng,
    uint16_t *cid)
{
	struct cff_top top;
	if (cff_top(d, len, &top) != NULL)
		return -1;
	if (!top.ros) {
		for (unsigned g = 0; cid != NULL && g < ng; g++)
			cid[g] = (uint16_t)g;
		return 0;
	}
	if (top.charset <= 2 || (size_t)top.charset >= len || ng == 0)
		return -1;
	size_t p = (size_t)top.charset;
	unsigned fmt = d[p++];
	if (cid != NULL)
		cid[0] = 0;
	unsigned g = 1;
	if (fmt == 0) {
		if ((size_t)(ng - 1) * 2 > len - p)
			return -1;
		for (; g < ng; g++, p += 2)
			if (cid != NULL)
				cid[g] = (uint16_t)sfnt_be16(d + p);
		return 1;
	}
	if (fmt != 1 && fmt != 2)
		return -1;
	size_t rl = fmt == 1 ? 3 : 4;
	while (g < ng) {
		if (rl > len - p)
			return -1;
		unsigned first = sfnt_be16(d + p);
		unsigned left = fmt == 1 ? d[p + 2] : sfnt_be16(d + p + 2);
		p += rl;
		for (unsigned k = 0; k <= left && g < ng; k++, g++) {
			if (first + k > 0xFFFF)
				return -1;
			if (cid != NULL)
				cid[g] = (uint16_t)(first + k);
		}
	}
	return 1;
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
	if (ver != 0x00010000u && ver != 0x74727565u && /* 'true' */
	    ver != 0x4f54544fu)                           /* 'OTTO' */
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
	/* TrueType outlines when there is a 'glyf', else CFF */
	int cff = !t[T_GLYF].present && t[T_CFF].present;
	if (!t[T_GLYF].present && !t[T_CFF].present)
		return xstrdup(t[T_CFF2].present ? "CFF2 (variable PostScript) "
		    "outlines are not supported, only 'glyf' and 'CFF '" :
		    "no 'glyf' or 'CFF ' table (no outlines)");
	static const char *const need[] = {
		"glyf", "loca", "head", "hhea", "hmtx", "maxp", "cmap",
		"OS/2", "name"
	};
	for (int k = cff ? T_HEAD : T_GLYF; k <= T_NAME; k++)
		if (!t[k].present)
			return xasprintf("no '%s' table%s", need[k],
			    k >= T_OS2 ? " (the PDF font descriptor needs it)"
			    : "");

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
	if (!cff && t[T_LOCA].len < ((size_t)ng + 1) * (locfmt ? 4 : 2))
		return xstrdup("'loca' table is too short for numGlyphs");
	if (cff) {
		const char *ce = cff_check(t[T_CFF].p, t[T_CFF].len, ng);
		if (ce != NULL)
			return xasprintf("'CFF ' table: %s", ce);
	}
	if (t[T_OS2].len < 10)
		return xstrdup("'OS/2' table is too short");
	unsigned fstype = sfnt_be16(t[T_OS2].p + 8);
	if (fstype & 0x0002)
		return xasprintf("OS/2 fsType 0x%04x: restricted license, "
		    "embedding not permitted", fstype);
	if (fstype & 0x0100)
		return xasprintf("OS/2 fsType 0x%04x: no subsetting "
		    "permitted", fstype);
	if (fstype & 0x0200)
		return xasprintf("OS/2 fsType 0x%04x: bitmap embedding only",
		    fstype);
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

const unsigned char *
sfnt_table(const unsigned char *d, size_t len, const char *tag,
    size_t *tlen)
{
	if (len < 12)
		return NULL;
	unsigned nt = sfnt_be16(d + 4);
	for (unsigned i = 0; i < nt && 12 + (size_t)i * 16 + 16 <= len; i++) {
		const unsigned char *r = d + 12 + (size_t)i * 16;
		if (memcmp(r, tag, 4) != 0)
			continue;
		size_t off = sfnt_be32(r + 8), l = sfnt_be32(r + 12);
		if (off > len || l > len - off)
			return NULL;
		*tlen = l;
		return d + off;
	}
	return NULL;
}

static int
s16(const unsigned char *p)
{
	return (int)(int16_t)sfnt_be16(p);
}

/* The PostScript name (name ID 6) as PDF name characters, into out. */
static void
ps_name(const unsigned char *t, size_t tl, char out[64])
{
	out[0] = '\0';
	if (t == NULL || tl < 6)
		return;
	unsigned count = sfnt_be16(t + 2), soff = sfnt_be16(t + 4);
	for (unsigned i = 0; i < count && 6 + (size_t)i * 12 + 12 <= tl; i++) {
		const unsigned char *r = t + 6 + (size_t)i * 12;
		unsigned plat = sfnt_be16(r), enc = sfnt_be16(r + 2);
		unsigned lang = sfnt_be16(r + 4), id = sfnt_be16(r + 6);
		unsigned l = sfnt_be16(r + 8), off = sfnt_be16(r + 10);
		int wide = plat == 3 && enc == 1 && lang == 0x0409;
		if (id != 6 || (size_t)soff + off + l > tl ||
		    !(wide || (plat == 1 && enc == 0)))
			continue;
		const unsigned char *s = t + soff + off;
		size_t n = 0;
		for (size_t k = wide ? 1 : 0; k < l && n < 63; k += wide ? 2 : 1) {
			unsigned char c = s[k];
			if (wide && s[k - 1] != 0)
				continue;
			if (c > 0x20 && c < 0x7f && strchr("()<>[]{}/%#", c) ==
			    NULL)
				out[n++] = (char)c;
		}
		out[n] = '\0';
		if (n > 0)
			return;
	}
}

int
sfnt_metrics(const unsigned char *d, size_t len, struct sfnt_metrics *m)
{
	memset(m, 0, sizeof *m);
	size_t hl = 0, hhl = 0, ol = 0, pl = 0, nl = 0, cl = 0;
	const unsigned char *head = sfnt_table(d, len, "head", &hl);
	const unsigned char *hhea = sfnt_table(d, len, "hhea", &hhl);
	const unsigned char *os2 = sfnt_table(d, len, "OS/2", &ol);
	const unsigned char *post = sfnt_table(d, len, "post", &pl);
	const unsigned char *name = sfnt_table(d, len, "name", &nl);
	if (head == NULL || hl < 54 || hhea == NULL || hhl < 36)
		return -1;
	m->upem = sfnt_be16(head + 18);
	if (m->upem < 16 || m->upem > 16384)
		return -1;
	long u = (long)m->upem;
#define EM(v) ((int)((long)(v) * 1000 / u))
	for (int i = 0; i < 4; i++)
		m->bbox[i] = EM(s16(head + 36 + 2 * i));
	m->ascent = EM(s16(hhea + 4));
	m->descent = EM(s16(hhea + 6));
	m->weight = 400;
	if (os2 != NULL && ol >= 72) {
		m->weight = sfnt_be16(os2 + 4);
		if (m->ascent == 0 && m->descent == 0) {
			m->ascent = EM(s16(os2 + 68));
			m->descent = EM(s16(os2 + 70));
		}
	}
	m->cap_height = m->ascent;
	if (os2 != NULL && ol >= 72) {
		if (sfnt_be16(os2) >= 2 && ol >= 90 && s16(os2 + 88) > 0)
			m->cap_height = EM(s16(os2 + 88));
	}
#undef EM
	if (post != NULL && pl >= 16) {
		m->italic_angle = (double)(int32_t)sfnt_be32(post + 4) / 65536;
		m->fixed_pitch = sfnt_be32(post + 12) != 0;
	}
	m->cff = sfnt_table(d, len, "glyf", &cl) == NULL &&
	    sfnt_table(d, len, "CFF ", &cl) != NULL;
	ps_name(name, nl, m->psname);
	if (m->psname[0] == '\0')
		memcpy(m->psname, "Font", 5);
	return 0;
}
