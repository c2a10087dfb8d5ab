/* Fonts: resolution (fontconfig), checks, measuring and subsetting
 * (HarfBuzz).  See fonts.h for the fallback rule. */
#include "fonts.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>

#include "diag.h"
#include "util.h"

#define NBMP 65536

struct fnt_face {
	char *path;             /* as resolved */
	char *real;             /* realpath, for sharing */
	unsigned index;
	char *desc;             /* "Family (path:index)" or "path:index" */
	size_t id;
	hb_blob_t *blob;
	hb_face_t *face;
	hb_font_t *font;
	unsigned upem;
	int32_t *adv;           /* NBMP, lazily: -1 unknown, -2 missing */
};

struct role_faces {
	struct fnt_face **v;
	size_t n;
	int32_t *w;             /* NBMP, lazily: -1 unknown, else 1/1000 em */
	int32_t notdef;         /* advance of .notdef of the first face */
	uint16_t *face_of;      /* NBMP, lazily: 0 unknown, 1 none, else the
	                           drawing face's id + 2 */
};

struct fnt_lib {
	struct fnt_face **faces;
	size_t nfaces;
	struct role_faces roles[ROLE_COUNT];
	FcConfig *fc;
};

static const char *const role_names[ROLE_COUNT] = {
	"title", "body", "heading", "subheading", "latin", "pagenum"
};

const char *
fnt_role_name(enum font_role role)
{
	if ((unsigned)role >= ROLE_COUNT)
		return "?";
	return role_names[role];
}

/* ---- sfnt checks ---------------------------------------------------- */

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
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
	unsigned count = be16(t->p + 2), soff = be16(t->p + 4);
	if (6 + (size_t)count * 12 > t->len)
		return "'name' table records extend past the table";
	unsigned l1 = 0, l2 = 0, l1u = 0, l2u = 0;
	int h1 = 0, h2 = 0, h1u = 0, h2u = 0;
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *r = t->p + 6 + (size_t)i * 12;
		unsigned plat = be16(r), enc = be16(r + 2), lang = be16(r + 4);
		unsigned id = be16(r + 6), len = be16(r + 8), off = be16(r + 10);
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
	unsigned n = be16(t->p + 2);
	if (4 + (size_t)n * 8 > t->len)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *r = t->p + 4 + (size_t)i * 8;
		unsigned plat = be16(r), enc = be16(r + 2);
		if (plat == 0 || (plat == 3 && (enc == 1 || enc == 10)))
			return 1;
	}
	return 0;
}

/* Checks the face at index of the font file data[0..len).  Returns NULL
 * or a malloc'd reason. */
static char *
check_sfnt(const unsigned char *d, size_t len, unsigned index)
{
	if (len < 12)
		return xstrdup("not a font file (too short)");
	size_t off = 0;
	uint32_t ver = be32(d);
	if (ver == 0x74746366u) {       /* 'ttcf' */
		uint32_t nf = be32(d + 8);
		if ((size_t)nf > (len - 12) / 4)
			return xstrdup("corrupt font collection header "
			    "(truncated?)");
		if (index >= nf)
			return xasprintf("face index %u out of range (the "
			    "collection has %u faces)", index, (unsigned)nf);
		off = be32(d + 12 + 4 * (size_t)index);
		if (off > len - 12)
			return xstrdup("face offset past the end of the file "
			    "(truncated?)");
		ver = be32(d + off);
	} else if (index != 0)
		return xasprintf("face index %u out of range (the file has "
		    "one face)", index);
	if (ver == 0x4f54544fu)         /* 'OTTO' */
		return xstrdup("CFF (PostScript) outlines: only TrueType "
		    "'glyf' fonts can be embedded by libharu");
	if (ver != 0x00010000u && ver != 0x74727565u)   /* 'true' */
		return xasprintf("not a TrueType font (sfnt version "
		    "0x%08x)", (unsigned)ver);
	unsigned ntables = be16(d + off + 4);
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
		uint32_t tag = be32(r), to = be32(r + 8), tl = be32(r + 12);
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
	if (be32(t[T_HEAD].p + 12) != 0x5f0f3cf5u)
		return xstrdup("'head' table has a bad magic number");
	unsigned upem = be16(t[T_HEAD].p + 18);
	if (upem < 16 || upem > 16384)
		return xasprintf("unitsPerEm %u is outside 16..16384", upem);
	unsigned locfmt = be16(t[T_HEAD].p + 50);
	if (locfmt > 1)
		return xasprintf("bad indexToLocFormat %u", locfmt);
	if (t[T_MAXP].len < 6)
		return xstrdup("'maxp' table is too short");
	unsigned ng = be16(t[T_MAXP].p + 4);
	if (ng == 0)
		return xstrdup("numGlyphs is 0");
	if (t[T_HHEA].len < 36)
		return xstrdup("'hhea' table is too short");
	unsigned nhm = be16(t[T_HHEA].p + 34);
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
	unsigned fstype = be16(t[T_OS2].p + 8);
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

static char *
check_blob(hb_blob_t *blob, unsigned index)
{
	unsigned len;
	const char *d = hb_blob_get_data(blob, &len);
	return check_sfnt((const unsigned char *)d, len, index);
}

/* Reads path; NULL with *why on failure. */
static hb_blob_t *
read_font(const char *path, char **why)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) {
		*why = xasprintf("cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat sb;
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(fp);
		*why = xstrdup("not a regular file");
		return NULL;
	}
	fclose(fp);
	hb_blob_t *b = hb_blob_create_from_file_or_fail(path);
	if (b == NULL) {
		*why = xstrdup("cannot read the file");
		return NULL;
	}
	return b;
}

int
fnt_check_file(const char *path, unsigned index, char **why)
{
	*why = NULL;
	hb_blob_t *b = read_font(path, why);
	if (b == NULL)
		return -1;
	*why = check_blob(b, index);
	hb_blob_destroy(b);
	return *why == NULL ? 0 : -1;
}

/* ---- faces ---------------------------------------------------------- */

static void
face_free(struct fnt_face *f)
{
	if (f == NULL)
		return;
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f->adv);
	free(f->path);
	free(f->real);
	free(f->desc);
	free(f);
}

static struct fnt_face *
face_load(const char *path, unsigned index, const char *family, char **why)
{
	hb_blob_t *b = read_font(path, why);
	if (b == NULL)
		return NULL;
	if ((*why = check_blob(b, index)) != NULL) {
		hb_blob_destroy(b);
		return NULL;
	}
	hb_face_t *face = hb_face_create(b, index);
	hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g','l','y','f'));
	unsigned glen = hb_blob_get_length(glyf);
	hb_blob_destroy(glyf);
	if (glen == 0) {
		hb_face_destroy(face);
		hb_blob_destroy(b);
		*why = xstrdup("no usable 'glyf' table");
		return NULL;
	}
	struct fnt_face *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	char *rp = realpath(path, NULL);
	f->real = rp != NULL ? xstrdup(rp) : xstrdup(path);
	free(rp);
	f->index = index;
	f->desc = family != NULL ? xasprintf("%s (%s:%u)", family, path, index)
	    : xasprintf("%s:%u", path, index);
	f->blob = b;
	f->face = face;
	f->font = hb_font_create(face);
	f->upem = hb_face_get_upem(face);
	return f;
}

static int32_t
glyph_adv(struct fnt_face *f, hb_codepoint_t g)
{
	hb_position_t a = hb_font_get_glyph_h_advance(f->font, g);
	if (a < 0)
		a = 0;
	/* libharu: (UINT32)advance_width * 1000 / units_per_em */
	return (int32_t)((uint32_t)a * 1000u / f->upem);
}

int
fnt_advance(struct fnt_face *f, uint32_t cp)
{
	if (cp >= NBMP)
		return -1;
	if (f->adv == NULL) {
		f->adv = xmalloc(NBMP * sizeof *f->adv);
		memset(f->adv, 0xff, NBMP * sizeof *f->adv);
	}
	int32_t a = f->adv[cp];
	if (a == -1) {
		hb_codepoint_t g = 0;
		if (hb_font_get_nominal_glyph(f->font, cp, &g) && g != 0)
			a = glyph_adv(f, g);
		else
			a = -2;
		f->adv[cp] = a;
	}
	return a < 0 ? -1 : a;
}

static int
latin_range(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x7e) ||
	    (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7);
}

static struct fnt_face *
face_for_slow(struct fnt_lib *lib, enum font_role role, uint32_t cp)
{
	if (role == ROLE_BODY && latin_range(cp)) {
		struct role_faces *lr = &lib->roles[ROLE_LATIN];
		for (size_t i = 0; i < lr->n; i++)
			if (fnt_advance(lr->v[i], cp) >= 0)
				return lr->v[i];
	}
	struct role_faces *rf = &lib->roles[role];
	for (size_t i = 0; i < rf->n; i++)
		if (fnt_advance(rf->v[i], cp) >= 0)
			return rf->v[i];
	if (role == ROLE_BODY && !latin_range(cp)) {
		struct role_faces *lr = &lib->roles[ROLE_LATIN];
		for (size_t i = 0; i < lr->n; i++)
			if (fnt_advance(lr->v[i], cp) >= 0)
				return lr->v[i];
	}
	return NULL;
}

/* Cached per role and code point: render asks once per character of every
 * box. */
struct fnt_face *
fnt_face_for(struct fnt_lib *lib, enum font_role role, uint32_t cp)
{
	if ((unsigned)role >= ROLE_COUNT || cp >= NBMP)
		return NULL;
	struct role_faces *rf = &lib->roles[role];
	if (rf->face_of == NULL)
		rf->face_of = xcalloc(NBMP, sizeof *rf->face_of);
	unsigned v = rf->face_of[cp];
	if (v == 0) {
		struct fnt_face *f = face_for_slow(lib, role, cp);
		v = f != NULL ? (unsigned)f->id + 2 : 1;
		rf->face_of[cp] = (uint16_t)v;
	}
	return v == 1 ? NULL : lib->faces[v - 2];
}

struct fnt_face *
fnt_role_first(const struct fnt_lib *lib, enum font_role role)
{
	if ((unsigned)role >= ROLE_COUNT || lib->roles[role].n == 0)
		return NULL;
	return lib->roles[role].v[0];
}

int
fnt_notdef(const struct fnt_lib *lib, enum font_role role)
{
	if ((unsigned)role >= ROLE_COUNT)
		return 0;
	return lib->roles[role].notdef;
}

double
fnt_width(struct fnt_lib *lib, enum font_role role, double pt,
    const char *s, size_t n)
{
	if ((unsigned)role >= ROLE_COUNT)
		return 0;
	struct role_faces *rf = &lib->roles[role];
	if (rf->n == 0)
		return 0;
	if (rf->w == NULL) {
		rf->w = xmalloc(NBMP * sizeof *rf->w);
		memset(rf->w, 0xff, NBMP * sizeof *rf->w);
	}
	int32_t *w = rf->w;
	long total = 0;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		if (c < 0x80) {
			cp = c;
			i++;
		} else {
			size_t l = utf8_decode(s + i, n - i, &cp);
			if (l == 0) {
				i++;
				continue;
			}
			i += l;
			if (cp >= NBMP) {
				total += rf->notdef;
				continue;
			}
		}
		int32_t a = w[cp];
		if (a < 0) {
			struct fnt_face *f = fnt_face_for(lib, role, cp);
			a = f != NULL ? fnt_advance(f, cp) : rf->notdef;
			w[cp] = a;
		}
		total += a;
	}
	return (double)total * pt / 1000.0;
}

/* ---- resolution ----------------------------------------------------- */

static int
has_font_ext(const char *s)
{
	size_t n = strlen(s);
	static const char *const ext[] = { ".ttf", ".ttc", ".otf", ".otc" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (n > 4 && strcasecmp(s + n - 4, ext[i]) == 0)
			return 1;
	return 0;
}

static int
is_file(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static FcConfig *
fc_config(struct fnt_lib *lib)
{
	if (lib->fc == NULL)
		lib->fc = FcInitLoadConfigAndFonts();
	return lib->fc;
}

static struct fnt_face *
find_loaded(struct fnt_lib *lib, const char *path, unsigned index)
{
	char *rp = realpath(path, NULL);
	const char *key = rp != NULL ? rp : path;
	struct fnt_face *found = NULL;
	for (size_t i = 0; i < lib->nfaces && found == NULL; i++)
		if (lib->faces[i]->index == index &&
		    strcmp(lib->faces[i]->real, key) == 0)
			found = lib->faces[i];
	free(rp);
	return found;
}

static struct fnt_face *
open_path(struct fnt_lib *lib, const char *path, unsigned index,
    const char *family, char **why)
{
	struct fnt_face *f = find_loaded(lib, path, index);
	if (f != NULL)
		return f;
	f = face_load(path, index, family, why);
	if (f == NULL)
		return NULL;
	f->id = lib->nfaces;
	lib->faces = xreallocarray(lib->faces, lib->nfaces + 1,
	    sizeof *lib->faces);
	lib->faces[lib->nfaces++] = f;
	return f;
}

/* A bare file name not found in fontdir or the current directory: look
 * for a file of that name among fontconfig's fonts. */
static char *
fc_find_file(struct fnt_lib *lib, const char *base)
{
	FcConfig *cfg = fc_config(lib);
	if (cfg == NULL)
		return NULL;
	FcPattern *pat = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FILE, (char *)NULL);
	FcFontSet *fs = FcFontList(cfg, pat, os);
	char *res = NULL;
	for (int i = 0; fs != NULL && i < fs->nfont && res == NULL; i++) {
		FcChar8 *file;
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) !=
		    FcResultMatch)
			continue;
		const char *slash = strrchr((const char *)file, '/');
		const char *b = slash ? slash + 1 : (const char *)file;
		if (strcmp(b, base) == 0)
			res = xstrdup((const char *)file);
	}
	if (fs != NULL)
		FcFontSetDestroy(fs);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	return res;
}

/* Compares family names ignoring ASCII case and blanks, as fontconfig
 * does. */
static int
same_family(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
		if (x == '\0')
			return 1;
		a++;
		b++;
	}
}

static struct fnt_face *
open_family(struct fnt_lib *lib, const char *name, char **why)
{
	FcConfig *cfg = fc_config(lib);
	if (cfg == NULL) {
		*why = xstrdup("fontconfig could not be initialised");
		return NULL;
	}
	FcPattern *pat = FcPatternCreate();
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)name);
	FcConfigSubstitute(cfg, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcFontSet *fs = FcFontSort(cfg, pat, FcFalse, NULL, &res);
	struct fnt_face *f = NULL;
	char *first_why = NULL, *fallback = NULL;
	for (int i = 0; fs != NULL && i < fs->nfont && f == NULL; i++) {
		FcPattern *p = fs->fonts[i];
		FcChar8 *fam, *file;
		int match = 0, idx = 0;
		for (int k = 0; FcPatternGetString(p, FC_FAMILY, k, &fam) ==
		    FcResultMatch; k++)
			if (same_family((const char *)fam, name))
				match = 1;
		if (!match) {
			if (fallback == NULL && FcPatternGetString(p,
			    FC_FAMILY, 0, &fam) == FcResultMatch)
				fallback = xstrdup((const char *)fam);
			continue;
		}
		if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
			continue;
		if (FcPatternGetInteger(p, FC_INDEX, 0, &idx) != FcResultMatch)
			idx = 0;
		if (idx < 0 || (idx >> 16) != 0)
			continue;       /* a variable-font named instance */
		char *w = NULL;
		f = open_path(lib, (const char *)file, (unsigned)idx, name, &w);
		if (f == NULL) {
			if (first_why == NULL)
				first_why = xasprintf("%s:%d: %s",
				    (const char *)file, idx, w);
			free(w);
		}
	}
	if (f == NULL) {
		if (first_why != NULL)
			*why = first_why, first_why = NULL;
		else if (fallback != NULL)
			*why = xasprintf("no font of this family installed "
			    "(fontconfig would substitute '%s')", fallback);
		else
			*why = xstrdup("no font of this family installed");
	}
	free(first_why);
	free(fallback);
	if (fs != NULL)
		FcFontSetDestroy(fs);
	FcPatternDestroy(pat);
	return f;
}

static struct fnt_face *
open_candidate(struct fnt_lib *lib, const char *spec, const char *fontdir,
    char **why)
{
	char *s = xstrdup(spec);
	unsigned index = 0;
	char *colon = strrchr(s, ':');
	if (colon != NULL && colon[1] != '\0' &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    strlen(colon + 1) <= 5) {
		*colon = '\0';
		index = (unsigned)strtoul(colon + 1, NULL, 10);
	} else
		colon = NULL;
	int file = strchr(s, '/') != NULL || has_font_ext(s);
	struct fnt_face *f = NULL;
	if (!file) {
		if (colon != NULL) {    /* "Family:1" is not a family */
			*colon = ':';
			index = 0;
		}
		f = open_family(lib, s, why);
	} else {
		char *path = NULL;
		if (strchr(s, '/') == NULL && fontdir != NULL &&
		    *fontdir != '\0') {
			char *p = xasprintf("%s/%s", fontdir, s);
			if (is_file(p))
				path = p;
			else
				free(p);
		}
		if (path == NULL && (strchr(s, '/') != NULL || is_file(s)))
			path = xstrdup(s);
		if (path == NULL)
			path = fc_find_file(lib, s);
		if (path == NULL)
			*why = fontdir != NULL && *fontdir != '\0' ?
			    xasprintf("file not found (in '%s', the current "
			    "directory or the fontconfig fonts)", fontdir) :
			    xstrdup("file not found (in the current directory "
			    "or the fontconfig fonts)");
		else
			f = open_path(lib, path, index, NULL, why);
		free(path);
	}
	free(s);
	return f;
}

struct fnt_lib *
fnt_open(const char *const candidates[ROLE_COUNT], const char *fontdir,
    const char *origin)
{
	struct fnt_lib *lib = xcalloc(1, sizeof *lib);
	int ok = 1;
	for (int r = 0; r < ROLE_COUNT; r++) {
		const char *c = candidates[r];
		struct role_faces *rf = &lib->roles[r];
		size_t n = 0;
		char **v = str_split(c != NULL ? c : "", ',', &n);
		struct strbuf errs;
		sb_init(&errs);
		int any = 0;
		/* Problems are reported at the INI key that names the fonts. */
		struct diag_loc loc = { origin, 0, 0, "fonts", role_names[r] };
		for (size_t i = 0; i < n; i++) {
			if (v[i][0] == '\0')
				continue;
			any = 1;
			char *why = NULL;
			struct fnt_face *f = open_candidate(lib, v[i], fontdir,
			    &why);
			if (f == NULL) {
				sb_printf(&errs, "; '%s': %s", v[i],
				    why != NULL ? why : "unusable");
				free(why);
				continue;
			}
			int dup = 0;
			for (size_t k = 0; k < rf->n; k++)
				dup |= rf->v[k] == f;
			if (dup)
				continue;
			rf->v = xreallocarray(rf->v, rf->n + 1, sizeof *rf->v);
			rf->v[rf->n++] = f;
		}
		strv_free(v);
		if (!any && r != ROLE_LATIN) {
			diag_error(EXIT_FONT, origin ? &loc : NULL, "no font "
			    "configured for role %s", role_names[r]);
			ok = 0;
		} else if (any && rf->n == 0) {
			diag_error(EXIT_FONT, origin ? &loc : NULL, "no usable "
			    "font for role %s%s", role_names[r], sb_str(&errs));
			ok = 0;
		} else if (errs.len > 0 && diag_verbosity() >= 1) {
			diag_info("font role %s: skipped candidates%s",
			    role_names[r], sb_str(&errs));
		}
		sb_free(&errs);
		if (rf->n > 0)
			rf->notdef = glyph_adv(rf->v[0], 0);
	}
	if (!ok) {
		fnt_close(lib);
		return NULL;
	}
	return lib;
}

void
fnt_close(struct fnt_lib *lib)
{
	if (lib == NULL)
		return;
	for (int r = 0; r < ROLE_COUNT; r++) {
		free(lib->roles[r].v);
		free(lib->roles[r].w);
		free(lib->roles[r].face_of);
	}
	for (size_t i = 0; i < lib->nfaces; i++)
		face_free(lib->faces[i]);
	free(lib->faces);
	if (lib->fc != NULL)
		FcConfigDestroy(lib->fc);
	free(lib);
}

static void
add_faces(struct strbuf *sb, const struct role_faces *rf)
{
	for (size_t i = 0; i < rf->n; i++) {
		if (sb->len > 0)
			sb_adds(sb, ", ");
		sb_adds(sb, rf->v[i]->desc);
	}
}

char *
fnt_role_faces(const struct fnt_lib *lib, enum font_role role, uint32_t cp)
{
	struct strbuf sb;
	sb_init(&sb);
	if ((unsigned)role < ROLE_COUNT) {
		int latin = role == ROLE_BODY;
		if (latin && latin_range(cp))
			add_faces(&sb, &lib->roles[ROLE_LATIN]);
		add_faces(&sb, &lib->roles[role]);
		if (latin && !latin_range(cp))
			add_faces(&sb, &lib->roles[ROLE_LATIN]);
	}
	return sb_detach(&sb);
}

char *
fnt_face_roles(const struct fnt_lib *lib, const struct fnt_face *f)
{
	struct strbuf sb;
	sb_init(&sb);
	for (int r = 0; r < ROLE_COUNT; r++)
		for (size_t i = 0; i < lib->roles[r].n; i++)
			if (lib->roles[r].v[i] == f) {
				if (sb.len > 0)
					sb_addc(&sb, ',');
				sb_adds(&sb, role_names[r]);
				break;
			}
	if (sb.len == 0)
		sb_adds(&sb, "-");
	return sb_detach(&sb);
}

size_t
fnt_nfaces(const struct fnt_lib *lib)
{
	return lib->nfaces;
}

struct fnt_face *
fnt_face_at(const struct fnt_lib *lib, size_t i)
{
	return i < lib->nfaces ? lib->faces[i] : NULL;
}

size_t
fnt_face_index(const struct fnt_face *f)
{
	return f->id;
}

const char *
fnt_face_desc(const struct fnt_face *f)
{
	return f->desc;
}

/* ---- subsetting ----------------------------------------------------- */

/* libharu 2.3.0 builds a CID font by looking up all 65,536 BMP code points
 * in the cmap, each lookup a linear scan of the format 4 segments: with a
 * hb-subset cmap of one segment per run of adjacent characters (hundreds
 * for a page of Chinese), that alone took 10-15 ms per font.  So the
 * subset's cmap is rewritten as a single (3,1) format 4 subtable whose
 * segments span gaps of up to CMAP_GAP code points through glyphIdArray
 * (zeros in the gaps, which deflate to almost nothing): a handful of
 * segments, the same mapping.  Returns the new sfnt blob, or NULL to keep
 * the original (nothing to map, or the table would not fit). */
#define CMAP_GAP 1024

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static hb_blob_t *
compact_cmap(hb_face_t *sub, const uint32_t *cps, size_t n)
{
	uint32_t *cp = xreallocarray(NULL, n + 1, sizeof(*cp));
	uint16_t *gid;
	size_t m = 0, i, nseg = 0, k, arr = 0, len;
	size_t *sstart, *send;
	unsigned char *t, *p;
	hb_font_t *font;
	hb_blob_t *cmap, *out = NULL;
	hb_face_t *b;
	hb_tag_t tags[64];
	unsigned ntags, start = 0, sr, es;

	for (i = 0; i < n; i++)
		if (cps[i] < 0xFFFF)
			cp[m++] = cps[i];
	qsort(cp, m, sizeof(*cp), cmp_u32);
	gid = xreallocarray(NULL, m + 1, sizeof(*gid));
	font = hb_font_create(sub);
	for (i = k = 0; i < m; i++) {
		hb_codepoint_t g = 0;

		if (k > 0 && cp[k - 1] == cp[i])
			continue;
		if (!hb_font_get_nominal_glyph(font, cp[i], &g) || g == 0 ||
		    g > 0xFFFF)
			continue;
		cp[k] = cp[i];
		gid[k++] = (uint16_t)g;
	}
	hb_font_destroy(font);
	m = k;
	sstart = xreallocarray(NULL, m + 2, sizeof(*sstart));
	send = xreallocarray(NULL, m + 2, sizeof(*send));
	for (i = 0; i < m; i++) {
		if (nseg == 0 || cp[i] - cp[send[nseg - 1]] > CMAP_GAP) {
			sstart[nseg] = i;
			nseg++;
		}
		send[nseg - 1] = i;
	}
	for (i = 0; i < nseg; i++)
		arr += cp[send[i]] - cp[sstart[i]] + 1;
	nseg++;                         /* the final 0xFFFF segment */
	len = 16 + 8 * nseg + 2 * arr;
	if (m == 0 || len > 0xFFFF)
		goto done;

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
	cmap = hb_blob_create((const char *)t, (unsigned)(12 + len),
	    HB_MEMORY_MODE_READONLY, t, free);

	/* The same font with the new cmap.  (A face made by hb-subset is a
	 * builder face, which cannot list its tables in HarfBuzz 6: parse
	 * its serialized blob instead.) */
	{
		hb_blob_t *whole = hb_face_reference_blob(sub);
		hb_face_t *parsed = hb_face_create(whole, 0);

		b = hb_face_builder_create();
		do {
			ntags = sizeof(tags) / sizeof(tags[0]);
			hb_face_get_table_tags(parsed, start, &ntags, tags);
			for (i = 0; i < ntags; i++) {
				hb_blob_t *tb = tags[i] ==
				    HB_TAG('c', 'm', 'a', 'p') ?
				    hb_blob_reference(cmap) :
				    hb_face_reference_table(parsed, tags[i]);
				hb_face_builder_add_table(b, tags[i], tb);
				hb_blob_destroy(tb);
			}
			start += ntags;
		} while (ntags == sizeof(tags) / sizeof(tags[0]));
		out = hb_face_reference_blob(b);
		hb_face_destroy(b);
		hb_face_destroy(parsed);
		hb_blob_destroy(whole);
	}
	hb_blob_destroy(cmap);
done:
	free(sstart);
	free(send);
	free(gid);
	free(cp);
	return out;
}

int
fnt_subset(struct fnt_face *f, const uint32_t *cps, size_t n,
    void **data, size_t *len, void **plain, size_t *plainlen, char **why)
{
	/* Tables libharu does not copy, and layout tables whose closure
	 * would only add glyphs. */
	static const char drop[][5] = {
		"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea", "vmtx",
		"VORG", "kern", "morx", "mort", "kerx", "DSIG", "gasp", "hdmx",
		"LTSH", "VDMX", "PCLT", "EBDT", "EBLC", "EBSC", "bdat", "bloc",
		"CBDT", "CBLC", "sbix", "SVG ", "COLR", "CPAL", "STAT", "meta"
	};
	*data = NULL;
	*len = 0;
	*why = NULL;
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	if (in == NULL) {
		*why = xstrdup("hb-subset: out of memory");
		return -1;
	}
	hb_set_t *u = hb_subset_input_unicode_set(in);
	for (size_t i = 0; i < n; i++)
		hb_set_add(u, cps[i]);
	hb_set_t *dt = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
		hb_set_add(dt, HB_TAG(drop[i][0], drop[i][1], drop[i][2],
		    drop[i][3]));
	/* keep Mac Roman English names too (libharu reads either) */
	hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_NAME_LANG_ID), 0);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE |
	    HB_SUBSET_FLAGS_NO_HINTING);
	hb_face_t *sub = hb_subset_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	if (sub == NULL) {
		*why = xasprintf("hb-subset failed for %s", f->desc);
		return -1;
	}
	if (plain != NULL) {
		hb_blob_t *pb = hb_face_reference_blob(sub);
		unsigned pl;
		const char *pd = hb_blob_get_data(pb, &pl);

		*plain = xmalloc(pl ? pl : 1);
		memcpy(*plain, pd, pl);
		*plainlen = pl;
		hb_blob_destroy(pb);
	}
	hb_blob_t *b = compact_cmap(sub, cps, n);
	if (b == NULL)
		b = hb_face_reference_blob(sub);
	hb_face_destroy(sub);
	unsigned l;
	const char *d = hb_blob_get_data(b, &l);
	char *e = d != NULL ? check_sfnt((const unsigned char *)d, l, 0) :
	    xstrdup("empty result");
	if (e != NULL) {
		*why = xasprintf("the subset of %s is unusable: %s", f->desc,
		    e);
		free(e);
		hb_blob_destroy(b);
		return -1;
	}
	*data = xmalloc(l);
	memcpy(*data, d, l);
	*len = l;
	hb_blob_destroy(b);
	return 0;
}
