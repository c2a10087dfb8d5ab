/* Fonts: resolution (fontconfig), checks, measuring and subsetting
 * (HarfBuzz).  See fonts.h for the fallback rule.
 *
 * HarfBuzz, hb-subset and fontconfig are loaded with dlopen by the first
 * fnt_open or fnt_check_file, not linked: with GLib, FreeType, graphite2,
 * libpng and brotli they are most of the start-up of a process, which
 * --version, --help and every run that fails before its fonts do not
 * need.  Their functions are called through the tables below, under
 * their own names (macros). */
#include "fonts.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>

#include "diag.h"
#include "input.h"
#include "sfnt.h"
#include "util.h"

/* ---- the libraries, loaded at run time ------------------------------ */

#define HB_FNS(F) F(hb_blob_create_or_fail) F(hb_blob_destroy) \
	F(hb_blob_get_data) F(hb_blob_get_length) F(hb_face_create) \
	F(hb_face_destroy) F(hb_face_get_upem) F(hb_face_reference_blob) \
	F(hb_font_create) F(hb_font_destroy) F(hb_font_get_glyph_extents) \
	F(hb_font_get_glyph_h_advance) F(hb_font_get_nominal_glyph) \
	F(hb_set_add)
#define HBS_FNS(F) F(hb_subset_input_create_or_fail) \
	F(hb_subset_input_destroy) F(hb_subset_input_set) \
	F(hb_subset_input_set_flags) F(hb_subset_input_unicode_set) \
	F(hb_subset_or_fail)
#define FC_FNS(F) F(FcConfigAppFontAddDir) F(FcConfigDestroy) \
	F(FcConfigSubstitute) F(FcDefaultSubstitute) F(FcFontList) \
	F(FcFontSetDestroy) F(FcFontSort) F(FcInitLoadConfigAndFonts) \
	F(FcNameParse) F(FcObjectSetBuild) F(FcObjectSetDestroy) \
	F(FcPatternAddString) F(FcPatternCreate) F(FcPatternDel) \
	F(FcPatternDestroy) F(FcPatternGetInteger) F(FcPatternGetString)

/* The functions used, once loaded (kept for the process's life). */
static struct {
#define FN_MEMBER(f) __typeof__(&f) f;
	HB_FNS(FN_MEMBER)
	HBS_FNS(FN_MEMBER)
	FC_FNS(FN_MEMBER)
#undef FN_MEMBER
} L;

#define FN_ENTRY(f) { #f, offsetof(__typeof__(L), f) },
static const struct dl_fn hb_fn[] = { HB_FNS(FN_ENTRY) };
static const struct dl_fn hbs_fn[] = { HBS_FNS(FN_ENTRY) };
static const struct dl_fn fc_fn[] = { FC_FNS(FN_ENTRY) };
#undef FN_ENTRY

static const struct {
	const char *lib, *pkg;
	const struct dl_fn *fn;
	size_t n;
} font_libs[] = {
	{ "libharfbuzz.so.0", "libharfbuzz0b", hb_fn,
	    sizeof hb_fn / sizeof hb_fn[0] },
	{ "libharfbuzz-subset.so.0", "libharfbuzz-subset0", hbs_fn,
	    sizeof hbs_fn / sizeof hbs_fn[0] },
	{ "libfontconfig.so.1", "libfontconfig1", fc_fn,
	    sizeof fc_fn / sizeof fc_fn[0] },
};

/* Loads the three libraries into L on the first call (the main thread:
 * fnt_open and fnt_check_file run before any worker).  Returns 0, or -1
 * after reporting once with EXIT_INTERNAL.  Too little memory to map
 * them exits 1 "out of memory" (in_oom). */
static int
font_libs_load(void)
{
	static int state;       /* 0: not tried, 1: loaded, -1: failed */
	const char *why;
	int missing;

	for (size_t i = 0; state == 0 && i < sizeof font_libs /
	    sizeof font_libs[0]; i++) {
		errno = 0;
		if (dl_load(font_libs[i].lib, font_libs[i].fn, font_libs[i].n,
		    &L, &why, &missing) != NULL)
			continue;
		if (errno == ENOMEM)
			in_oom();
		if (missing)
			diag_error(EXIT_INTERNAL, NULL, "%s has no %s: not a "
			    "usable library", font_libs[i].lib, why);
		else
			diag_error(EXIT_INTERNAL, NULL, "cannot load %s, which "
			    "the fonts need (install Debian's %s package): %s",
			    font_libs[i].lib, font_libs[i].pkg, why);
		state = -1;
	}
	if (state == 0)
		state = 1;
	return state > 0 ? 0 : -1;
}

/* From here on every call goes through L. */
#define hb_blob_create_or_fail (L.hb_blob_create_or_fail)
#define hb_blob_destroy (L.hb_blob_destroy)
#define hb_blob_get_data (L.hb_blob_get_data)
#define hb_blob_get_length (L.hb_blob_get_length)
#define hb_face_create (L.hb_face_create)
#define hb_face_destroy (L.hb_face_destroy)
#define hb_face_get_upem (L.hb_face_get_upem)
#define hb_face_reference_blob (L.hb_face_reference_blob)
#define hb_font_create (L.hb_font_create)
#define hb_font_destroy (L.hb_font_destroy)
#define hb_font_get_glyph_extents (L.hb_font_get_glyph_extents)
#define hb_font_get_glyph_h_advance (L.hb_font_get_glyph_h_advance)
#define hb_font_get_nominal_glyph (L.hb_font_get_nominal_glyph)
#define hb_set_add (L.hb_set_add)
#define hb_subset_input_create_or_fail (L.hb_subset_input_create_or_fail)
#define hb_subset_input_destroy (L.hb_subset_input_destroy)
#define hb_subset_input_set (L.hb_subset_input_set)
#define hb_subset_input_set_flags (L.hb_subset_input_set_flags)
#define hb_subset_input_unicode_set (L.hb_subset_input_unicode_set)
#define hb_subset_or_fail (L.hb_subset_or_fail)
#define FcConfigAppFontAddDir (L.FcConfigAppFontAddDir)
#define FcConfigDestroy (L.FcConfigDestroy)
#define FcConfigSubstitute (L.FcConfigSubstitute)
#define FcDefaultSubstitute (L.FcDefaultSubstitute)
#define FcFontList (L.FcFontList)
#define FcFontSetDestroy (L.FcFontSetDestroy)
#define FcFontSort (L.FcFontSort)
#define FcInitLoadConfigAndFonts (L.FcInitLoadConfigAndFonts)
#define FcNameParse (L.FcNameParse)
#define FcObjectSetBuild (L.FcObjectSetBuild)
#define FcObjectSetDestroy (L.FcObjectSetDestroy)
#define FcPatternAddString (L.FcPatternAddString)
#define FcPatternCreate (L.FcPatternCreate)
#define FcPatternDel (L.FcPatternDel)
#define FcPatternDestroy (L.FcPatternDestroy)
#define FcPatternGetInteger (L.FcPatternGetInteger)
#define FcPatternGetString (L.FcPatternGetString)

#define NBMP 65536

/* A mapped font file, for the blob's destroy callback. */
struct font_map {
	void *addr;
	size_t len;
};

struct fnt_face {
	char *path;             /* as resolved */
	char *real;             /* realpath, for sharing */
	unsigned index;
	char *desc;             /* "Family (path:index)" or "path:index" */
	size_t id;
	hb_blob_t *blob;
	struct font_map *map;   /* the file's mapping (owned by blob) */
	hb_face_t *face;
	hb_font_t *font;
	unsigned upem;
	int32_t *adv;           /* NBMP, lazily: 0 unknown, 1 missing, else
	                           the advance + 2 (zero-filled by calloc:
	                           pages never used stay unmapped) */
};

struct role_faces {
	struct fnt_face **v;
	size_t n;
	int32_t *w;             /* NBMP, lazily: 0 unknown, else the width
	                           in 1/1000 em + 2 (as adv) */
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

const char *
fnt_role_name(enum font_role role)
{
	return style_role_name(role);
}

static char *
check_blob(hb_blob_t *blob, unsigned index)
{
	unsigned len;
	const char *d = hb_blob_get_data(blob, &len);
	return sfnt_check((const unsigned char *)d, len, index);
}


static void
font_unmap(void *user)
{
	struct font_map *m = user;

	munmap(m->addr, m->len);
	free(m);
}

/* Reads path: a regular file (in_open: never a FIFO or device) of at most
 * IN_MAX_FONT bytes, mapped read-only.  Returns the blob, or NULL with
 * *why (caller frees); *mapp (may be NULL) gets the mapping, which the
 * blob owns.  A mapping that fails for want of memory or address space
 * exits 1 "out of memory" (in_oom), never a font message. */
static hb_blob_t *
read_font(const char *path, char **why, struct font_map **mapp)
{
	long long size;
	int fd = in_open(path, &size, why);

	if (fd < 0) {
		if (errno == ENOMEM)
			in_oom();
		return NULL;
	}
	if (size <= 0 || (unsigned long long)size > IN_MAX_FONT) {
		close(fd);
		*why = size <= 0 ? xstrdup(_("the file is empty")) :
		    xasprintf(_("is larger than %d MiB, the limit for a font "
		    "file"), (int)(IN_MAX_FONT >> 20));
		return NULL;
	}
	struct font_map *m = xmalloc(sizeof(*m));
	m->len = (size_t)size;
	m->addr = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
	int e = errno;
	close(fd);
	if (m->addr == MAP_FAILED) {
		free(m);
		if (e == ENOMEM)
			in_oom();
		*why = xasprintf(_("cannot read: %s"), strerror(e));
		return NULL;
	}
	hb_blob_t *b = hb_blob_create_or_fail(m->addr, (unsigned)m->len,
	    HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE, m, font_unmap);
	if (b == NULL)          /* the destroy callback has run */
		in_oom();
	if (mapp != NULL)
		*mapp = m;
	return b;
}

/* Gives back the pages of f's file that this process has mapped (they
 * stay in the page cache; a later read maps them again).  A CJK font is
 * 10-20 MB and the kernel maps 64 KiB around every page read, so the
 * glyphs of one subset leave several MB in the resident set. */
static void
face_drop_pages(struct fnt_face *f)
{
	if (f->map != NULL)
		(void)madvise(f->map->addr, f->map->len, MADV_DONTNEED);
}

int
fnt_check_file(const char *path, unsigned index, char **why)
{
	*why = NULL;
	if (font_libs_load() != 0) {
		*why = xstrdup(_("HarfBuzz or fontconfig cannot be loaded"));
		return -1;
	}
	hb_blob_t *b = read_font(path, why, NULL);
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
	struct font_map *map;
	hb_blob_t *b = read_font(path, why, &map);
	if (b == NULL)
		return NULL;
	if ((*why = check_blob(b, index)) != NULL) {
		hb_blob_destroy(b);
		return NULL;
	}
	hb_face_t *face = hb_face_create(b, index);
	struct fnt_face *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	char *rp = realpath(path, NULL);
	f->real = rp != NULL ? xstrdup(rp) : xstrdup(path);
	free(rp);
	f->index = index;
	f->desc = family != NULL ? xasprintf("%s (%s:%u)", family, path, index)
	    : xasprintf("%s:%u", path, index);
	f->blob = b;
	f->map = map;
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
	/* the /W value: (uint32)advance_width * 1000 / units_per_em */
	return (int32_t)((uint32_t)a * 1000u / f->upem);
}

/* fnt_advance's first look at cp (cp < NBMP): asks HarfBuzz and fills
 * f->adv[cp].  Out of line so that the cached case needs no registers
 * saved. */
static __attribute__((noinline)) int32_t
advance_miss(struct fnt_face *f, uint32_t cp)
{
	if (f->adv == NULL)
		f->adv = xcalloc(NBMP, sizeof *f->adv);
	int32_t a = f->adv[cp];
	if (a == 0) {
		hb_codepoint_t g = 0;
		if (hb_font_get_nominal_glyph(f->font, cp, &g) && g != 0)
			a = glyph_adv(f, g) + 2;
		else
			a = 1;
		f->adv[cp] = a;
	}
	return a;
}

int
fnt_advance(struct fnt_face *f, uint32_t cp)
{
	if (cp >= NBMP)
		return -1;
	int32_t a = f->adv != NULL ? f->adv[cp] : 0;
	if (a == 0)
		a = advance_miss(f, cp);
	return a == 1 ? -1 : a - 2;
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
/* fnt_face_for's first look at cp in role (role and cp in range): fills
 * rf->face_of[cp] and returns it.  Out of line (see advance_miss). */
static __attribute__((noinline)) unsigned
face_for_miss(struct fnt_lib *lib, enum font_role role, uint32_t cp)
{
	struct role_faces *rf = &lib->roles[role];
	if (rf->face_of == NULL)
		rf->face_of = xcalloc(NBMP, sizeof *rf->face_of);
	unsigned v = rf->face_of[cp];
	if (v == 0) {
		struct fnt_face *f = face_for_slow(lib, role, cp);
		v = f != NULL ? (unsigned)f->id + 2 : 1;
		rf->face_of[cp] = (uint16_t)v;
	}
	return v;
}

struct fnt_face *
fnt_face_for(struct fnt_lib *lib, enum font_role role, uint32_t cp)
{
	if ((unsigned)role >= ROLE_COUNT || cp >= NBMP)
		return NULL;
	const uint16_t *face_of = lib->roles[role].face_of;
	unsigned v = face_of != NULL ? face_of[cp] : 0;
	if (v == 0)
		v = face_for_miss(lib, role, cp);
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

/* fnt_width from byte i of s on, total being the width of s[0..i) so
 * far: the general loop (any UTF-8, fills rf->w as it goes). */
static __attribute__((noinline)) double
width_slow(struct fnt_lib *lib, enum font_role role, double pt,
    const char *s, size_t n, size_t i, long total)
{
	struct role_faces *rf = &lib->roles[role];
	if (rf->n == 0)
		return 0;
	if (rf->w == NULL)
		rf->w = xcalloc(NBMP, sizeof *rf->w);
	int32_t *w = rf->w;
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
		if (a == 0) {
			struct fnt_face *f = fnt_face_for(lib, role, cp);
			a = (f != NULL ? fnt_advance(f, cp) : rf->notdef) + 2;
			w[cp] = a;
		}
		total += a - 2;
	}
	return (double)total * pt / 1000.0;
}

/* The common case without calls: ASCII and the three-byte sequences of
 * utf8_decode's inline path whose widths are cached; anything else goes
 * on in width_slow from where it is, with the same sum. */
double
fnt_width(struct fnt_lib *lib, enum font_role role, double pt,
    const char *s, size_t n)
{
	if ((unsigned)role >= ROLE_COUNT)
		return 0;
	const int32_t *w = lib->roles[role].w;
	if (w == NULL)
		return width_slow(lib, role, pt, s, n, 0, 0);
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	long total = 0;
	while (p < e) {
		unsigned c = p[0];
		uint32_t cp;
		size_t l;
		if (c < 0x80) {
			cp = c;
			l = 1;
		} else if (e - p >= 3 && c - 0xE1u <= 0xEFu - 0xE1u &&
		    c != 0xED && (((uint32_t)p[1] | (uint32_t)p[2] << 8) &
		    0xC0C0) == 0x8080) {
			cp = (uint32_t)(c & 0x0F) << 12 |
			    (uint32_t)(p[1] & 0x3F) << 6 |
			    (uint32_t)(p[2] & 0x3F);
			l = 3;
		} else
			break;
		int32_t a = w[cp];
		if (a == 0)
			break;
		total += a - 2;
		p += l;
	}
	if (p < e)
		return width_slow(lib, role, pt, s, n,
		    (size_t)(p - (const unsigned char *)s), total);
	return (double)total * pt / 1000.0;
}

int
fnt_ink(struct fnt_lib *lib, enum font_role role, double pt, uint32_t cp,
    double *left, double *right)
{
	struct fnt_face *f = fnt_face_for(lib, role, cp);
	hb_codepoint_t g = 0;
	hb_glyph_extents_t e;

	if (f == NULL || !hb_font_get_nominal_glyph(f->font, cp, &g) ||
	    !hb_font_get_glyph_extents(f->font, g, &e) || e.width <= 0)
		return -1;
	*left = (double)e.x_bearing * pt / f->upem;
	*right = (double)(e.x_bearing + e.width) * pt / f->upem;
	return 0;
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

/* Whether something is at p: a FIFO or directory named like a font is
 * then opened and refused by read_font ("is a FIFO (named pipe), not a
 * regular file"), not passed over as "file not found". */
static int
exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0;
}

/* Directories of fonts zongjie's defaults name that fontconfig does not
 * look in by default: TeX Live's Fandol (texlive-lang-chinese), the open
 * 仿宋/黑体/楷体/宋体.  Added to the run's fontconfig as application
 * fonts when they exist (fontconfig caches the scan). */
static const char *const extra_dirs[] = {
	"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
};

static FcConfig *
fc_config(struct fnt_lib *lib)
{
	if (lib->fc == NULL) {
		lib->fc = FcInitLoadConfigAndFonts();
		for (size_t i = 0; lib->fc != NULL &&
		    i < sizeof extra_dirs / sizeof extra_dirs[0]; i++) {
			struct stat sb;
			if (stat(extra_dirs[i], &sb) == 0 &&
			    S_ISDIR(sb.st_mode))
				FcConfigAppFontAddDir(lib->fc,
				    (const FcChar8 *)extra_dirs[i]);
		}
	}
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
	/* "Family:style=Bold": fontconfig properties after the family */
	char *fam0 = xstrdup(name);
	char *props = strchr(fam0, ':');
	FcPattern *pat = NULL;
	FcChar8 *want_style = NULL;
	if (props != NULL) {
		pat = FcNameParse((const FcChar8 *)props);
		*props = '\0';
		if (pat == NULL) {
			*why = xasprintf("cannot read the fontconfig properties "
			    "'%s' (write Family:style=Bold)", props + 1);
			free(fam0);
			return NULL;
		}
		FcPatternDel(pat, FC_FAMILY);
		if (FcPatternGetString(pat, FC_STYLE, 0, &want_style) !=
		    FcResultMatch)
			want_style = NULL;
	} else
		pat = FcPatternCreate();
	name = fam0;
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
		if (want_style != NULL) {
			FcChar8 *sty;
			int ok = 0;
			for (int k = 0; FcPatternGetString(p, FC_STYLE, k,
			    &sty) == FcResultMatch; k++)
				ok |= same_family((const char *)sty,
				    (const char *)want_style);
			if (!ok) {
				if (first_why == NULL)
					first_why = xasprintf("no '%s' style "
					    "of this family installed",
					    (const char *)want_style);
				continue;
			}
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
	free(fam0);
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
			if (exists(p))
				path = p;
			else
				free(p);
		}
		if (path == NULL && (strchr(s, '/') != NULL || exists(s)))
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
	if (font_libs_load() != 0)
		return NULL;
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
		struct diag_loc loc = { origin, 0, 0, "fonts", style_role_name(r) };
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
			    "configured for role %s", style_role_name(r));
			ok = 0;
		} else if (any && rf->n == 0) {
			diag_error(EXIT_FONT, origin ? &loc : NULL, "no usable "
			    "font for role %s%s", style_role_name(r), sb_str(&errs));
			ok = 0;
		} else if (errs.len > 0 && diag_verbosity() >= 1) {
			diag_info("font role %s: skipped candidates%s",
			    style_role_name(r), sb_str(&errs));
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
				sb_adds(&sb, style_role_name(r));
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

int
fnt_notdef_advance(struct fnt_face *f)
{
	return glyph_adv(f, 0);
}

/* Whether n more bytes (at least 16 MiB), about what hb-subset needs for
 * a face of n bytes, could be allocated now: a probe that is freed at
 * once. */
static int
memory_to_spare(size_t n)
{
	size_t want = n < ((size_t)16 << 20) ? (size_t)16 << 20 : n;
	void *p = malloc(want);

	free(p);
	return p != NULL;
}

int
fnt_subset(struct fnt_face *f, const uint32_t *cps, size_t n,
    void **data, size_t *len, uint16_t *gid, char **why)
{
	/* Layout tables whose closure would only add glyphs, and tables a
	 * PDF reader does not use. */
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
	/* keep Mac Roman English names too */
	hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_NAME_LANG_ID), 0);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE |
	    HB_SUBSET_FLAGS_NO_HINTING);
	hb_face_t *sub = hb_subset_or_fail(f->face, in);
	hb_subset_input_destroy(in);
	if (sub == NULL) {
		/* hb-subset does not say why it failed.  It has read this
		 * face's tables already (the face passed sfnt_check), so
		 * a failure with memory this short is taken as running out
		 * of it: exit 1 "out of memory", not a font message. */
		if (!memory_to_spare(hb_blob_get_length(f->blob)))
			in_oom();
		*why = xasprintf("hb-subset failed for %s", f->desc);
		return -1;
	}
	hb_blob_t *b = hb_face_reference_blob(sub);
	unsigned l;
	const char *d = hb_blob_get_data(b, &l);
	char *e = d != NULL ? sfnt_check((const unsigned char *)d, l, 0) :
	    xstrdup("empty result");
	if (e != NULL) {
		*why = xasprintf("the subset of %s is unusable: %s", f->desc,
		    e);
		free(e);
		hb_blob_destroy(b);
		hb_face_destroy(sub);
		return -1;
	}
	/* the subset's own cmap gives each code point its new glyph (a
	 * builder face cannot be read back: parse the serialized blob) */
	hb_face_t *parsed = hb_face_create(b, 0);
	hb_font_t *font = hb_font_create(parsed);
	for (size_t i = 0; i < n; i++) {
		hb_codepoint_t g = 0;
		if (!hb_font_get_nominal_glyph(font, cps[i], &g) || g > 0xFFFF)
			g = 0;
		gid[i] = (uint16_t)g;
	}
	hb_font_destroy(font);
	hb_face_destroy(parsed);
	*data = xmalloc(l);
	memcpy(*data, d, l);
	*len = l;
	hb_blob_destroy(b);
	hb_face_destroy(sub);
	face_drop_pages(f);
	return 0;
}
