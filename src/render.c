/* Render: draws a lay_result with libharu 2.3.0 (the only user of hpdf.h).
 *
 * Fonts come from fonts.c.  rnd_write works in two passes: it first
 * collects the characters each face draws, subsets every face to them
 * (hb-subset), then writes each subset as a font of our own (libharu's
 * TrueType loader is not used: it cannot read CFF, mis-reads composite
 * glyphs and writes 128 KB CID maps): a Type0 font, Identity-H, over a
 * CIDFontType2 with the subset as FontFile2 (TrueType outlines) or a
 * CIDFontType0 with the subset's bare 'CFF ' table as FontFile3
 * /CIDFontType0C.  The 2-byte codes in the content streams are CIDs: the
 * subset's glyph ids for TrueType (CIDToGIDMap /Identity), the CFF's own
 * CIDs for a CID-keyed CFF (its charset maps them to glyphs), glyph ids
 * for a name-keyed CFF.  /W lists the used codes (HarfBuzz advances, the
 * same the layout measured), ToUnicode maps each code back.  libharu
 * builds the document, pages, outline and info.  The layout's boxes come
 * page by page (lay_page: a streamed layout's from disk), and each page's
 * deflated content goes to a spool (an unlinked temporary file) that
 * libharu's page stream reads back at the save (hp_page_set_source), so
 * memory does not grow with the pages.  No clock, no /ID: the
 * output is a function of the input only. */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "hpdf_api.h"           /* after every libharu header */

#include "bigmem.h"
#include "diag.h"
#include "flate.h"
#include "fonts.h"
#include "hpdf_patch.h"
#include "pdf_content.h"
#include "sfnt.h"
#include "spool.h"
#include "util.h"

#define NBMP 65536
/* Pages per intermediate page tree node of a document with more pages
 * than one node holds (draw_pages). */
#define PAGES_PER_NODE 4096

struct rnd {
	struct fnt_lib *lib;
	struct lay_measure m;
	int missing_warn;       /* draw missing characters as .notdef */
};

static double
measure_width(void *arg, enum font_role role, double pt, const char *s,
    size_t n)
{
	return fnt_width(arg, role, pt, s, n);
}

static int
measure_ink(void *arg, enum font_role role, double pt, unsigned cp,
    double *left, double *right)
{
	return fnt_ink(arg, role, pt, cp, left, right);
}

struct rnd *
rnd_create(const char *const candidates[ROLE_COUNT], const char *fontdir,
    const char *origin)
{
	struct fnt_lib *lib = fnt_open(candidates, fontdir, origin);
	if (lib == NULL)
		return NULL;
	struct rnd *r = xcalloc(1, sizeof *r);
	r->lib = lib;
	r->m.width = measure_width;
	r->m.ink = measure_ink;
	r->m.arg = lib;
	return r;
}

void
rnd_free(struct rnd *r)
{
	if (r == NULL)
		return;
	fnt_close(r->lib);
	free(r);
}

const struct lay_measure *
rnd_measure(struct rnd *r)
{
	return &r->m;
}

/* Formats cp for a message: "'中' (U+4E2D)". */
static void
cp_desc(struct strbuf *sb, uint32_t cp)
{
	if (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0)) {
		sb_adds(sb, "'");
		sb_addcp(sb, cp);
		sb_adds(sb, "' ");
	}
	sb_printf(sb, "(U+%04X)", (unsigned)cp);
}

void
rnd_allow_missing(struct rnd *r, int warn)
{
	r->missing_warn = warn;
}

static void
report_missing(struct rnd *r, enum font_role role, uint32_t cp,
    const struct diag_loc *loc)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_adds(&sb, "character ");
	cp_desc(&sb, cp);
	if (cp >= NBMP) {
		sb_printf(&sb, " is outside the Basic Multilingual Plane and "
		    "cannot be drawn (role %s)", fnt_role_name(role));
	} else {
		char *tried = fnt_role_faces(r->lib, role, cp);
		sb_printf(&sb, " is not in any font of role %s (tried: %s)",
		    fnt_role_name(role), tried);
		free(tried);
	}
	if (r->missing_warn)
		diag_warn(loc, "%s; it prints as an empty box", sb_str(&sb));
	else
		diag_error(EXIT_FONT, loc, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* rnd_check_text's walk.  quiet: report nothing and stop at the first
 * problem (rnd_text_drawable).  Returns 0 when the text can be drawn
 * (with [fonts] missing = warning, after warning), else -1. */
static int
check_text(struct rnd *r, enum font_role role, const char *text,
    const struct diag_loc *loc, int quiet)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text);
	size_t bad = utf8_invalid_at(text, n);
	if (bad != (size_t)-1) {
		if (!quiet)
			diag_error(EXIT_FONT, loc, "text is not valid UTF-8 "
			    "(byte %zu) and cannot be drawn", bad + 1);
		return -1;
	}
	for (size_t i = 0; i < n;) {
		uint32_t cp = s[i];
		if (cp < 0x80) {
			i++;
		} else {
			size_t l = utf8_decode(text + i, n - i, &cp);
			i += l == 0 ? 1 : l;
		}
		/* A line break in a table cell is a break, not a glyph. */
		if (cp == '\n' || cp == '\r')
			continue;
		if (fnt_face_for(r->lib, role, cp) == NULL) {
			if (quiet)
				return -1;
			report_missing(r, role, cp, loc);
			if (!r->missing_warn)
				return -1;
		}
	}
	return 0;
}

int
rnd_check_text(struct rnd *r, enum font_role role, const char *text,
    const struct diag_loc *loc)
{
	return check_text(r, role, text, loc, 0);
}

int
rnd_text_drawable(struct rnd *r, enum font_role role, const char *text)
{
	return check_text(r, role, text, NULL, 1) == 0;
}

/* ---- writing -------------------------------------------------------- */

struct wctx {
	struct rnd *r;
	HPDF_Doc pdf;
	HPDF_STATUS err, detail;
	size_t nfaces;
	uint8_t **used;         /* per face: NBMP/8 bitmap or NULL */
	HPDF_Dict *fonts;       /* per face: the Type0 font or NULL */
	uint16_t **code;        /* per face: NBMP code (CID) per code point */
	size_t *sublen;         /* per face: size of the subset font */
	size_t *floor;          /* per face: the subset, deflated (-vv) */
	long *emb;              /* per face: the FontFile stream's length */
	int *cff;               /* per face: FontFile3 (CFF) */
	char **psname;          /* per face: PostScript name (no tag) */
	double *ms_subset, *ms_load;
	unsigned *nglyphs;
	HPDF_Page *pages;       /* per page (a big block) */
	struct spool *content;  /* the pages' deflated content streams */
	struct pdf_content pc;  /* the page being drawn */
	char **fname;           /* per face: resource name ("F1") */
};

static void
on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct wctx *c = user_data;
	if (c->err == HPDF_OK) {
		c->err = error_no;
		c->detail = detail_no;
	}
}

/* Reports a libharu failure of what (if not yet reported) and returns -1. */
static int
hpdf_fail(struct wctx *c, HPDF_STATUS st, const char *what)
{
	HPDF_STATUS e = c->err != HPDF_OK ? c->err : st;
	diag_error(EXIT_INTERNAL, NULL, "libharu failed (%s): error 0x%04X, "
	    "detail %u", what, (unsigned)e, (unsigned)c->detail);
	return -1;
}

#define CHK(call, what) do { \
	HPDF_STATUS st_ = (call); \
	if (st_ != HPDF_OK || c->err != HPDF_OK) \
		return hpdf_fail(c, st_, what); \
} while (0)

static void
mark_used(struct wctx *c, struct fnt_face *f, uint32_t cp)
{
	size_t k = fnt_face_index(f);
	if (c->used[k] == NULL)
		c->used[k] = xcalloc(NBMP / 8, 1);
	c->used[k][cp >> 3] |= (uint8_t)(1u << (cp & 7));
}

/* Marks cp, shown in role, as used by the face that draws it.  Returns
 * 0, or -1 after reporting a character no face of role has (unless
 * [fonts] missing = warning: then it is drawn as .notdef of the role's
 * first face, the ToUnicode map still naming it). */
static int
mark_cp(struct wctx *c, enum font_role role, uint32_t cp)
{
	struct fnt_face *f = fnt_face_for(c->r->lib, role, cp);

	if (f == NULL && c->r->missing_warn) {
		f = fnt_role_first(c->r->lib, role);
		if (f != NULL && cp < NBMP)
			mark_used(c, f, cp);
		return 0;
	}
	if (f == NULL) {
		report_missing(c->r, role, cp, NULL);
		return -1;
	}
	mark_used(c, f, cp);
	return 0;
}

/* Marks the characters of page p's text boxes as used by their faces. */
static int
collect_page(struct wctx *c, const struct lay_box *boxes, size_t nb)
{
	for (size_t b = 0; b < nb; b++) {
		const struct lay_box *bx = &boxes[b];
		if (bx->kind != LAY_BOX_TEXT || bx->text == NULL)
			continue;
		const unsigned char *s = (const unsigned char *)bx->text;
		for (size_t i = 0; s[i] != '\0';) {
			uint32_t cp;
			size_t l;
			if (s[i] < 0x80) {
				cp = s[i];
				l = 1;
			} else {
				l = utf8_decode((const char *)s + i, 4, &cp);
				if (l == 0) {
					diag_error(EXIT_FONT, NULL, "page %d: "
					    "text is not valid UTF-8",
					    bx->page);
					return -1;
				}
			}
			i += l;
			if (mark_cp(c, bx->role, cp) != 0)
				return -1;
		}
	}
	return 0;
}

/* The characters each face draws.  A lay_stream result knows each
 * role's characters (lay_chars: the same as its pages' boxes show, so
 * the same glyphs, without reading the pages twice); a lay_run result's
 * are read page by page. */
static int
collect(struct wctx *c, struct lay_result *lay)
{
	const uint8_t *set;
	int bad;

	if (!lay_chars(lay, 0, &set, &bad)) {
		for (int p = 1; p <= lay->npages; p++) {
			const struct lay_box *boxes;
			size_t nb;
			if (lay_page(lay, p, 1, &boxes, &nb) != 0 ||
			    collect_page(c, boxes, nb) != 0)
				return -1;
		}
		return 0;
	}
	if (bad != 0) {
		diag_error(EXIT_FONT, NULL, "page %d: text is not valid UTF-8",
		    bad);
		return -1;
	}
	for (unsigned role = 0; role < ROLE_COUNT; role++) {
		(void)lay_chars(lay, role, &set, &bad);
		for (uint32_t k = 0; set != NULL && k < LAY_NCP / 8; k++) {
			if (set[k] == 0)
				continue;
			for (uint32_t j = 0; j < 8; j++)
				if ((set[k] >> j & 1) != 0 &&
				    mark_cp(c, (enum font_role)role,
				    k * 8 + j) != 0)
					return -1;
		}
	}
	return 0;
}

/* Shows codes[0..n) of face at the run's place: adv (1/1000 em) and
 * nchars characters after the box's origin. */
static void
show_run(struct wctx *c, const struct lay_box *bx, struct fnt_face *face,
    long adv, size_t nchars, const uint16_t *codes, size_t n)
{
	pc_text_state(&c->pc, face, c->fname[fnt_face_index(face)], bx->size,
	    bx->bold, bx->char_space);
	double d = (double)adv * bx->size / 1000.0 +
	    (double)nchars * bx->char_space;
	if (bx->angle != 0) {
		double ar = bx->angle * M_PI / 180;
		pc_text_pos(&c->pc, bx->x + d * cos(ar), bx->y + d * sin(ar),
		    bx->angle);
	} else
		pc_text_pos(&c->pc, bx->x + d, bx->y, 0);
	pc_show_codes(&c->pc, codes, n);
}

/* Draws a text box: one run per face, each placed where the layout's
 * measure puts it (the widths in /W are the same).  The 2-byte codes are
 * the face's CIDs (c->code); a character no face has is code 0, the
 * .notdef glyph. */
static void
draw_text(struct wctx *c, const struct lay_box *bx)
{
	uint16_t codes[256];
	const unsigned char *s = (const unsigned char *)bx->text;
	struct fnt_face *cur = NULL;
	long adv = 0, run_adv = 0;      /* 1/1000 em: before the run, in it */
	size_t nchars = 0, n = 0;
	pc_begin_text(&c->pc);
	for (size_t i = 0;;) {
		uint32_t cp = 0;
		struct fnt_face *f = NULL;
		int notdef = 0;
		if (s[i] != '\0') {
			if (s[i] < 0x80) {
				cp = s[i];
				i++;
			} else {
				size_t l = utf8_decode((const char *)s + i, 4,
				    &cp);
				i += l != 0 ? l : 1;  /* collect checked */
			}
			f = fnt_face_for(c->r->lib, bx->role, cp);
			if (f == NULL) {
				/* Only with [fonts] missing = warning (collect
				 * stopped otherwise): the .notdef box. */
				f = fnt_role_first(c->r->lib, bx->role);
				notdef = 1;
				if (cp >= NBMP)
					cp = 0;
			}
		}
		if (n > 0 && (f != cur || n == sizeof codes /
		    sizeof codes[0])) {
			show_run(c, bx, cur, adv, nchars, codes, n);
			nchars += n;
			adv += run_adv;
			run_adv = 0;
			n = 0;
		}
		if (f == NULL)
			break;
		cur = f;
		codes[n++] = notdef ? 0 : c->code[fnt_face_index(f)][cp];
		run_adv += notdef ? fnt_notdef(c->r->lib, bx->role) :
		    fnt_advance(f, cp);
	}
}

/* Draws page p's boxes in layout order. */
static int
draw_page(struct wctx *c, struct lay_result *lay, int p, struct pc_buf *out)
{
	const struct lay_box *boxes;
	size_t nb;
	if (lay_page(lay, p, 0, &boxes, &nb) != 0)
		return -1;
	HPDF_Page page = HPDF_AddPage(c->pdf);
	if (page == NULL || c->err != HPDF_OK)
		return hpdf_fail(c, HPDF_OK, "AddPage");
	/* MediaBox and Resources are inherited from the page tree's root:
	 * libharu's own are a few kilobytes of objects per page */
	CHK(hp_page_inherit(page), "MediaBox");
	c->pages[p - 1] = page;
	pc_page_begin(&c->pc, out);
	for (size_t b = 0; b < nb; b++) {
		const struct lay_box *bx = &boxes[b];
		if (bx->kind == LAY_BOX_TEXT && bx->text != NULL &&
		    *bx->text != '\0')
			draw_text(c, bx);
		else if (bx->kind == LAY_BOX_RULE)
			pc_line(&c->pc, bx->x, bx->y, bx->x2, bx->y2,
			    bx->gray, bx->line_width, bx->dash);
		else if (bx->kind == LAY_BOX_RECT)
			pc_rect(&c->pc, bx->x, bx->y, bx->x2, bx->y2,
			    bx->gray, bx->line_width);
	}
	pc_page_end(&c->pc);
	return 0;
}

/* The page tree root's MediaBox and Resources (every font, named "F1",
 * "F2" ... by face), which all pages inherit. */
static int
page_root(struct wctx *c, const struct style *st)
{
	HPDF_Dict fonts = NULL;
	CHK(hp_root_resources(c->pdf, st->page_w, st->page_h, &fonts),
	    "Resources");
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->fonts[k] == NULL)
			continue;
		c->fname[k] = xasprintf("F%zu", k + 1);
		CHK(HPDF_Dict_Add(fonts, c->fname[k], c->fonts[k]),
		    "Resources");
	}
	return 0;
}

/* hp_read_fn: bytes of the content spool, as libharu saves a page. */
static int
read_content(void *arg, uint64_t off, void *buf, size_t n)
{
	return spool_read(arg, off, buf, n);
}

/* flate_deliver: page's deflated content stream into the document (an
 * empty page keeps libharu's empty stream).  The bytes go to the content
 * spool; the page's stream reads them back at the save, so memory does
 * not grow with the pages. */
static int
attach_page(void *arg, int page, const unsigned char *z, size_t zlen)
{
	struct wctx *c = arg;
	if (zlen == 0)
		return 0;
	uint64_t off = spool_size(c->content);
	if (spool_append(c->content, z, zlen) != 0)
		return -1;
	CHK(hp_page_set_source(c->pdf, c->pages[page - 1], read_content,
	    c->content, off, zlen), "writing a page");
	return 0;
}

/* Draws every page in order. */
static int
draw_pages(struct wctx *c, struct lay_result *lay, const struct style *st)
{
	if (page_root(c, st) != 0)
		return -1;
	if ((c->content = spool_new()) == NULL)
		return -1;
	/* libharu puts every page in the root's /Kids, an array it limits
	 * to HPDF_LIMIT_MAX_ARRAY (32,767) entries: a longer document gets a
	 * level of intermediate page tree nodes (shorter ones stay as they
	 * were, byte for byte) */
	if (lay->npages > HPDF_LIMIT_MAX_ARRAY)
		CHK(HPDF_SetPagesConfiguration(c->pdf, PAGES_PER_NODE),
		    "SetPagesConfiguration");
	struct flate_pipe *fp = flate_pipe_new(attach_page, c);
	int rc = 0;
	for (int p = 1; p <= lay->npages && rc == 0; p++) {
		rc = draw_page(c, lay, p, flate_pipe_begin(fp, p));
		if (rc == 0)
			rc = flate_pipe_end(fp, p == lay->npages);
		diag_progress("rendering page", p, lay->npages);
		/* the page's ~2 KB of libharu objects (hp_new), as much
		 * memory as a few rows: 4 ticks */
		big_tick(4);
	}
	if (flate_pipe_finish(fp, rc == 0) != 0)
		rc = -1;
	return rc;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A used code: its character and advance (1/1000 em). */
struct cpair {
	uint16_t code;
	uint32_t cp;
	int32_t w;
};

/* One face's subsetting, done off the main thread (run_job): inputs
 * f, cps[0..n); outputs the subset data[0..len), gid[i] per cps[i], the
 * font file (the subset or its 'CFF ' table, flen bytes) deflated in z,
 * the floor (-vv), the time, and rc/why. */
struct subset_job {
	struct fnt_face *f;
	uint32_t *cps;
	size_t n;
	uint16_t *gid;
	void *data;
	size_t len, flen, floor;
	struct pc_buf z;
	double ms;
	int rc;
	char *why;
};

static int
cmp_cpair(const void *a, const void *b)
{
	const struct cpair *x = a, *y = b;
	if (x->code != y->code)
		return (x->code > y->code) - (x->code < y->code);
	return (x->cp > y->cp) - (x->cp < y->cp);
}

/* The ToUnicode CMap (CMapType 2) of p[0..n) (sorted, one per code):
 * bfranges for runs of consecutive codes and characters within one high
 * byte, bfchars for the rest, at most 100 per block. */
static void
tounicode(struct strbuf *out, const struct cpair *p, size_t n)
{
	struct strbuf ranges, chars;
	sb_init(&ranges);
	sb_init(&chars);
	size_t nr = 0, nc = 0;
	sb_adds(out,
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (size_t i = 0; i < n;) {
		size_t e = i;
		while (e + 1 < n && p[e + 1].code == p[e].code + 1 &&
		    p[e + 1].cp == p[e].cp + 1 &&
		    (p[e + 1].code >> 8) == (p[i].code >> 8))
			e++;
		if (e > i) {
			sb_printf(&ranges, "<%04X> <%04X> <%04X>\n",
			    (unsigned)p[i].code, (unsigned)p[e].code,
			    (unsigned)p[i].cp);
			if (++nr == 100) {
				sb_printf(out, "100 beginbfrange\n%s"
				    "endbfrange\n", sb_str(&ranges));
				sb_clear(&ranges);
				nr = 0;
			}
		} else {
			sb_printf(&chars, "<%04X> <%04X>\n",
			    (unsigned)p[i].code, (unsigned)p[i].cp);
			if (++nc == 100) {
				sb_printf(out, "100 beginbfchar\n%s"
				    "endbfchar\n", sb_str(&chars));
				sb_clear(&chars);
				nc = 0;
			}
		}
		i = e + 1;
	}
	if (nr > 0)
		sb_printf(out, "%zu beginbfrange\n%sendbfrange\n", nr,
		    sb_str(&ranges));
	if (nc > 0)
		sb_printf(out, "%zu beginbfchar\n%sendbfchar\n", nc,
		    sb_str(&chars));
	sb_free(&ranges);
	sb_free(&chars);
	sb_adds(out,
	    "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\n"
	    "end\n");
}

/* The most frequent advance of p[0..n) (the /DW; ties: the smallest). */
static int32_t
common_width(const struct cpair *p, size_t n)
{
	int32_t best = 1000;
	size_t bestn = 0;
	for (size_t i = 0; i < n; i++) {
		size_t m = 0;
		for (size_t j = 0; j < n && m <= n / 2; j++)
			m += p[j].w == p[i].w;
		if (m > bestn || (m == bestn && p[i].w < best)) {
			best = p[i].w;
			bestn = m;
		}
		if (bestn > n / 2)
			break;
	}
	return best;
}

/* /W: the codes of p[0..n) whose advance is not dw, as "c [w ...]" runs
 * of consecutive codes. */
static int
widths(struct wctx *c, HPDF_Dict cid, const struct cpair *p, size_t n,
    int32_t dw)
{
	HPDF_Array w = hp_array(c->pdf);
	if (w == NULL)
		return hpdf_fail(c, HPDF_OK, "font widths");
	CHK(HPDF_Dict_Add(cid, "W", w), "font widths");
	for (size_t i = 0; i < n;) {
		if (p[i].w == dw) {
			i++;
			continue;
		}
		HPDF_Array run = hp_array(c->pdf);
		if (run == NULL)
			return hpdf_fail(c, HPDF_OK, "font widths");
		CHK(HPDF_Array_AddNumber(w, p[i].code), "font widths");
		CHK(HPDF_Array_Add(w, run), "font widths");
		size_t e = i;
		do {
			CHK(HPDF_Array_AddNumber(run, p[e].w), "font widths");
			e++;
		} while (e < n && p[e].code == p[e - 1].code + 1 &&
		    p[e].w != dw);
		i = e;
	}
	return 0;
}

/* A deflated stream object of d[0..len). */
static HPDF_Dict
deflated_stream(struct wctx *c, const void *d, size_t len, size_t *zlen)
{
	struct pc_buf z = { NULL, 0, 0 };
	if (flate_buf(d, len, &z) != 0) {
		pc_buf_free(&z);
		diag_error(EXIT_INTERNAL, NULL, "zlib failed deflating a "
		    "font stream");
		return NULL;
	}
	HPDF_Dict s = hp_stream_deflated(c->pdf, z.p, z.len);
	if (zlen != NULL)
		*zlen = z.len;
	pc_buf_free(&z);
	if (s == NULL || c->err != HPDF_OK) {
		hpdf_fail(c, HPDF_OK, "font stream");
		return NULL;
	}
	return s;
}

/* The font descriptor of face k: metrics m, name, the font file ff. */
static HPDF_Dict
descriptor(struct wctx *c, const struct sfnt_metrics *m, const char *name,
    HPDF_Dict ff)
{
	HPDF_Dict d = hp_dict(c->pdf, 1);
	HPDF_Array bb = hp_array(c->pdf);
	if (d == NULL || bb == NULL) {
		hpdf_fail(c, HPDF_OK, "font descriptor");
		return NULL;
	}
	int flags = 4 | (m->fixed_pitch ? 1 : 0) |
	    (m->italic_angle != 0 ? 64 : 0);
	int stemv = 50 + (int)(m->weight * m->weight / (65 * 65));
	HPDF_STATUS st = HPDF_Dict_AddName(d, "Type", "FontDescriptor");
	if (st == HPDF_OK) st = HPDF_Dict_AddName(d, "FontName", name);
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(d, "Flags", flags);
	for (int i = 0; i < 4 && st == HPDF_OK; i++)
		st = HPDF_Array_AddNumber(bb, m->bbox[i]);
	if (st == HPDF_OK) st = HPDF_Dict_Add(d, "FontBBox", bb);
	if (st == HPDF_OK) st = HPDF_Dict_AddReal(d, "ItalicAngle",
	    (HPDF_REAL)m->italic_angle);
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(d, "Ascent", m->ascent);
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(d, "Descent", m->descent);
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(d, "CapHeight",
	    m->cap_height);
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(d, "StemV", stemv);
	if (st == HPDF_OK) st = HPDF_Dict_Add(d, m->cff ? "FontFile3" :
	    "FontFile2", ff);
	if (st != HPDF_OK || c->err != HPDF_OK) {
		hpdf_fail(c, st, "font descriptor");
		return NULL;
	}
	return d;
}

/* A subset tag ("ABCDEF") from the codes and characters: the same
 * glyphs give the same tag, so the PDF stays a function of its input. */
static void
subset_tag(char tag[8], const char *name, const struct cpair *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (const char *s = name; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i].code ^ (p[i].cp << 16)) * 16777619u;
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
		if (i == 3)
			h ^= (uint32_t)n * 2654435761u;
	}
	tag[6] = '+';
	tag[7] = '\0';
}

/* The Type0 font of face k over the subset of job j with metrics m,
 * whose used codes are p[0..n). */
static int
font_objects(struct wctx *c, size_t k, const struct subset_job *j,
    const struct sfnt_metrics *m, const struct cpair *p, size_t n)
{
	HPDF_Dict ff = hp_stream_deflated(c->pdf, j->z.p, j->z.len);
	if (ff == NULL || c->err != HPDF_OK)
		return hpdf_fail(c, HPDF_OK, "font file");
	c->emb[k] = (long)j->z.len;
	size_t flen = j->flen;
	if (m->cff)
		CHK(HPDF_Dict_AddName(ff, "Subtype", "CIDFontType0C"),
		    "font file");
	else
		CHK(HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)flen),
		    "font file");
	char tag[8];
	subset_tag(tag, m->psname, p, n);
	char *name = xasprintf("%s%s", tag, m->psname);
	char *t0name = m->cff ? xasprintf("%s-Identity-H", name) :
	    xstrdup(name);
	HPDF_Dict desc = descriptor(c, m, name, ff);
	HPDF_Dict cid = hp_dict(c->pdf, 1), csi = hp_dict(c->pdf, 0);
	HPDF_Dict t0 = hp_dict(c->pdf, 1);
	HPDF_Array desc_arr = hp_array(c->pdf);
	struct strbuf cm;
	sb_init(&cm);
	tounicode(&cm, p, n);
	HPDF_Dict tu = deflated_stream(c, cm.s, cm.len, NULL);
	sb_free(&cm);
	int32_t dw = common_width(p, n);
	HPDF_STATUS st = HPDF_OK;
	if (desc == NULL || cid == NULL || csi == NULL || t0 == NULL ||
	    desc_arr == NULL || tu == NULL)
		st = HPDF_FAILD_TO_ALLOC_MEM;
	if (st == HPDF_OK) st = HPDF_Dict_AddName(cid, "Type", "Font");
	if (st == HPDF_OK) st = HPDF_Dict_AddName(cid, "Subtype", m->cff ?
	    "CIDFontType0" : "CIDFontType2");
	if (st == HPDF_OK) st = HPDF_Dict_AddName(cid, "BaseFont", name);
	if (st == HPDF_OK) st = hp_dict_add_string(c->pdf, csi, "Registry",
	    "Adobe");
	if (st == HPDF_OK) st = hp_dict_add_string(c->pdf, csi, "Ordering",
	    "Identity");
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(csi, "Supplement", 0);
	if (st == HPDF_OK) st = HPDF_Dict_Add(cid, "CIDSystemInfo", csi);
	if (st == HPDF_OK) st = HPDF_Dict_Add(cid, "FontDescriptor", desc);
	if (st == HPDF_OK) st = HPDF_Dict_AddNumber(cid, "DW", dw);
	if (st == HPDF_OK && !m->cff)
		st = HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
	if (st == HPDF_OK) st = HPDF_Dict_AddName(t0, "Type", "Font");
	if (st == HPDF_OK) st = HPDF_Dict_AddName(t0, "Subtype", "Type0");
	if (st == HPDF_OK) st = HPDF_Dict_AddName(t0, "BaseFont", t0name);
	if (st == HPDF_OK) st = HPDF_Dict_AddName(t0, "Encoding",
	    "Identity-H");
	if (st == HPDF_OK) st = HPDF_Array_Add(desc_arr, cid);
	if (st == HPDF_OK) st = HPDF_Dict_Add(t0, "DescendantFonts",
	    desc_arr);
	if (st == HPDF_OK) st = HPDF_Dict_Add(t0, "ToUnicode", tu);
	free(name);
	free(t0name);
	if (st != HPDF_OK || c->err != HPDF_OK)
		return hpdf_fail(c, st, "font objects");
	if (widths(c, cid, p, n, dw) != 0)
		return -1;
	c->fonts[k] = t0;
	c->psname[k] = xstrdup(m->psname);
	c->cff[k] = m->cff;
	return 0;
}

/* Writes face k from its subset (job j): codes, widths, objects; fills
 * c->code[k]. */
static int
embed_face(struct wctx *c, size_t k, const struct subset_job *j)
{
	struct fnt_face *f = fnt_face_at(c->r->lib, k);
	double t1 = now_ms();
	const unsigned char *data = j->data;
	size_t len = j->len, n = j->n;
	c->ms_subset[k] = j->ms;
	c->sublen[k] = len;
	c->floor[k] = j->floor;
	unsigned ng = sfnt_num_glyphs(data, len);
	c->nglyphs[k] = ng;
	struct sfnt_metrics m;
	uint16_t *gcode = xmalloc((ng + 1) * sizeof *gcode);
	int rc = sfnt_metrics(data, len, &m);
	if (rc == 0 && m.cff) {
		size_t cfflen = 0;
		const unsigned char *cff = sfnt_table(data, len, "CFF ",
		    &cfflen);
		if (cff == NULL || sfnt_cff_cids(cff, cfflen, ng, gcode) < 0)
			rc = -1;
	} else
		for (unsigned g = 0; g < ng; g++)
			gcode[g] = (uint16_t)g;
	struct cpair *p = xmalloc((n + 1) * sizeof *p);
	c->code[k] = xcalloc(NBMP, sizeof **c->code);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int has = j->gid[i] != 0 && j->gid[i] < ng;
		p[i].code = has ? gcode[j->gid[i]] : 0;
		p[i].cp = j->cps[i];
		p[i].w = has ? fnt_advance(f, j->cps[i]) :
		    fnt_notdef_advance(f);
		c->code[k][j->cps[i]] = p[i].code;
	}
	free(gcode);
	if (rc != 0) {
		free(p);
		diag_error(EXIT_FONT, NULL, "the subset of %s is unusable: "
		    "its metrics or CFF charset cannot be read",
		    fnt_face_desc(f));
		return -1;
	}
	/* one entry per code: two characters of one glyph map back to the
	 * first (ToUnicode maps a code to one text) */
	qsort(p, n, sizeof *p, cmp_cpair);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || p[i].code != p[u - 1].code)
			p[u++] = p[i];
	rc = font_objects(c, k, j, &m, p, u);
	free(p);
	c->ms_load[k] = now_ms() - t1;
	return rc;
}

/* The faces' subsets are independent (HarfBuzz reads each face, zlib
 * deflates each file): two threads take them in turn, so the large body
 * font and the others are subset at once.  The PDF objects are made
 * afterwards in this thread (libharu is not thread-safe). */
static void
run_job(struct subset_job *j, int floor)
{
	double t0 = now_ms();
	j->rc = fnt_subset(j->f, j->cps, j->n, &j->data, &j->len, j->gid,
	    &j->why);
	if (j->rc == 0) {
		/* FontFile3: the bare 'CFF ' table; FontFile2: the font */
		size_t cl = 0, gl = 0;
		const unsigned char *cff = sfnt_table(j->data, j->len, "CFF ",
		    &cl);
		int glyf = sfnt_table(j->data, j->len, "glyf", &gl) != NULL;
		const void *file = cff != NULL && !glyf ? cff : j->data;
		j->flen = cff != NULL && !glyf ? cl : j->len;
		if (flate_buf(file, j->flen, &j->z) != 0) {
			j->rc = -1;
			j->why = xasprintf("zlib failed deflating the subset "
			    "of %s", fnt_face_desc(j->f));
		}
	}
	if (j->rc == 0 && floor) {
		/* the floor: hb-subset's own output, deflated alike */
		struct pc_buf z = { NULL, 0, 0 };
		if (flate_buf(j->data, j->len, &z) == 0)
			j->floor = z.len;
		pc_buf_free(&z);
	}
	j->ms = now_ms() - t0;
}

struct job_pool {
	struct subset_job *jobs;
	size_t n;
	atomic_size_t next;
	int floor;
};

static void *
pool_worker(void *arg)
{
	struct job_pool *pl = arg;
	size_t i;
	while ((i = atomic_fetch_add(&pl->next, 1)) < pl->n)
		run_job(&pl->jobs[i], pl->floor);
	return NULL;
}

static int
load_fonts(struct wctx *c)
{
	struct job_pool pl;
	pl.jobs = xcalloc(c->nfaces + 1, sizeof *pl.jobs);
	pl.n = 0;
	atomic_init(&pl.next, 0);
	pl.floor = diag_verbosity() >= 2;
	size_t *face = xcalloc(c->nfaces + 1, sizeof *face);
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->used[k] == NULL)
			continue;
		struct subset_job *j = &pl.jobs[pl.n];
		face[pl.n++] = k;
		j->f = fnt_face_at(c->r->lib, k);
		j->cps = xmalloc(NBMP * sizeof *j->cps);
		for (uint32_t cp = 0; cp < NBMP; cp++)
			if (c->used[k][cp >> 3] & (1u << (cp & 7)))
				j->cps[j->n++] = cp;
		j->gid = xmalloc((j->n + 1) * sizeof *j->gid);
	}
	pthread_t th;
	int threaded = pl.n > 1 && pthread_create(&th, NULL, pool_worker,
	    &pl) == 0;
	pool_worker(&pl);
	if (threaded)
		pthread_join(th, NULL);
	int rc = 0;
	for (size_t i = 0; i < pl.n; i++) {
		struct subset_job *j = &pl.jobs[i];
		if (rc == 0 && j->rc != 0) {
			diag_error(EXIT_FONT, NULL, "%s", j->why);
			rc = -1;
		}
		if (rc == 0)
			rc = embed_face(c, face[i], j);
		free(j->cps);
		free(j->gid);
		free(j->data);
		free(j->why);
		pc_buf_free(&j->z);
	}
	free(face);
	free(pl.jobs);
	return rc;
}

/* -vv: per embedded font, glyphs, time, and the FontFile stream's size
 * against the floor (hb-subset's whole output deflated the same way; a
 * CFF font embeds only its 'CFF ' table, so it comes out below). */
static void
report_fonts(struct wctx *c)
{
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->fonts[k] == NULL)
			continue;
		struct fnt_face *f = fnt_face_at(c->r->lib, k);
		long emb = c->emb[k];
		char *roles = fnt_face_roles(c->r->lib, f);
		diag(DIAG_DEBUG, EXIT_OK, NULL, "font %s %s: %u glyphs, "
		    "subset %.1f ms, load %.1f ms, %ld bytes (%s %s, "
		    "subset %zu bytes, floor %zu bytes deflated, %+.1f%%)",
		    roles, fnt_face_desc(f), c->nglyphs[k], c->ms_subset[k],
		    c->ms_load[k], emb, c->cff[k] ? "FontFile3" : "FontFile2",
		    c->psname[k], c->sublen[k], c->floor[k],
		    c->floor[k] > 0 && emb >= 0 ?
		    ((double)emb / (double)c->floor[k] - 1) * 100 : 0.0);
		free(roles);
	}
}

static int
add_marks(struct wctx *c, const struct lay_result *lay)
{
	if (lay->nmarks == 0)
		return 0;
	HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
	if (enc == NULL || c->err != HPDF_OK)
		return hpdf_fail(c, HPDF_OK, "GetEncoder UTF-8");
	HPDF_Outline last1 = NULL;
	for (size_t i = 0; i < lay->nmarks; i++) {
		const struct lay_mark *m = &lay->marks[i];
		if (m->page < 1 || m->page > lay->npages) {
			diag_error(EXIT_INTERNAL, NULL, "bookmark '%s' on page "
			    "%d of %d", m->title, m->page, lay->npages);
			return -1;
		}
		HPDF_Outline parent = m->level >= 2 && last1 != NULL ? last1 :
		    NULL;
		HPDF_Outline o = HPDF_CreateOutline(c->pdf, parent,
		    m->title != NULL ? m->title : "", enc);
		if (o == NULL || c->err != HPDF_OK)
			return hpdf_fail(c, HPDF_OK, "CreateOutline");
		if (parent == NULL)
			last1 = o;
		HPDF_Page page = c->pages[m->page - 1];
		HPDF_Destination d = HPDF_Page_CreateDestination(page);
		if (d == NULL || c->err != HPDF_OK)
			return hpdf_fail(c, HPDF_OK, "CreateDestination");
		/* [page /XYZ null y null]: keep the reader's zoom (libharu
		 * only accepts a zoom of 0.08..32). */
		HPDF_Array_Clear(d);
		CHK(HPDF_Array_Add(d, page), "destination");
		CHK(HPDF_Array_AddName(d, "XYZ"), "destination");
		CHK(HPDF_Array_Add(d, hp_null(c->pdf)), "destination");
		CHK(HPDF_Array_AddReal(d, (HPDF_REAL)m->y), "destination");
		CHK(HPDF_Array_Add(d, hp_null(c->pdf)), "destination");
		CHK(HPDF_Outline_SetDestination(o, d), "SetDestination");
		CHK(HPDF_Outline_SetOpened(o, HPDF_TRUE), "SetOpened");
	}
	return 0;
}

/* The review copy's notes (lay_result.notes, --review): a highlight
 * annotation over each rectangle whose text (/Contents, UTF-16 through
 * the UTF-8 encoder) a reader shows on hovering. */
static int
add_notes(struct wctx *c, const struct lay_result *lay)
{
	if (lay->nnotes == 0)
		return 0;
	HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
	if (enc == NULL || c->err != HPDF_OK)
		return hpdf_fail(c, HPDF_OK, "GetEncoder UTF-8");
	HPDF_RGBColor yellow = { 1.0f, 0.9f, 0.2f };
	for (size_t i = 0; i < lay->nnotes; i++) {
		const struct lay_note *n = &lay->notes[i];
		if (n->page < 1 || n->page > lay->npages) {
			diag_error(EXIT_INTERNAL, NULL, "note on page %d of %d",
			    n->page, lay->npages);
			return -1;
		}
		HPDF_Rect rc = { (HPDF_REAL)n->x0, (HPDF_REAL)n->y0,
		    (HPDF_REAL)n->x1, (HPDF_REAL)n->y1 };
		HPDF_Annotation a = HPDF_Page_CreateHighlightAnnot(
		    c->pages[n->page - 1], rc, n->text, enc);
		if (a == NULL || c->err != HPDF_OK)
			return hpdf_fail(c, HPDF_OK, "CreateHighlightAnnot");
		/* libharu writes the points in the order given; readers
		 * take them as Acrobat writes them: upper left, upper
		 * right, lower left, lower right */
		HPDF_Point ul = { rc.left, rc.top }, ur = { rc.right,
		    rc.top }, ll = { rc.left, rc.bottom }, lr = { rc.right,
		    rc.bottom };
		CHK(HPDF_TextMarkupAnnot_SetQuadPoints(a, ul, ur, ll, lr),
		    "SetQuadPoints");
		CHK(HPDF_Annot_SetRGBColor(a, yellow), "SetRGBColor");
	}
	return 0;
}

static int
set_info(struct wctx *c, const struct rnd_info *info)
{
	if (info == NULL)
		return 0;
	CHK(HPDF_SetCurrentEncoder(c->pdf, "UTF-8"), "SetCurrentEncoder");
	const struct { HPDF_InfoType t; const char *v; } a[] = {
		{ HPDF_INFO_TITLE, info->title },
		{ HPDF_INFO_AUTHOR, info->author },
		{ HPDF_INFO_SUBJECT, info->subject },
		{ HPDF_INFO_CREATOR, info->creator },
	};
	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
		if (a[i].v != NULL && *a[i].v != '\0')
			CHK(HPDF_SetInfoAttr(c->pdf, a[i].t, a[i].v),
			    "SetInfoAttr");
	struct tm tm;
	time_t t = info->created;
	if (gmtime_r(&t, &tm) == NULL) {
		diag_error(EXIT_INTERNAL, NULL, "bad document date");
		return -1;
	}
	HPDF_Date d;
	memset(&d, 0, sizeof d);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	d.hour = tm.tm_hour;
	d.minutes = tm.tm_min;
	d.seconds = tm.tm_sec;
	d.ind = 'Z';
	CHK(HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d),
	    "SetInfoDateAttr");
	CHK(HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d),
	    "SetInfoDateAttr");
	return 0;
}

static int
check_layout(const struct lay_result *lay, const struct style *st)
{
	if (lay->npages < 1) {
		diag_error(EXIT_INTERNAL, NULL, "layout has no pages");
		return -1;
	}
	if (!(st->page_w > 0 && st->page_h > 0 && st->page_w <= 14400 &&
	    st->page_h <= 14400)) {
		diag_error(EXIT_INTERNAL, NULL, "bad page size %g x %g",
		    st->page_w, st->page_h);
		return -1;
	}
	/* the boxes in memory (a lay_stream result's are checked as they
	 * are read back) */
	for (size_t b = 0; b < lay->nboxes - lay->base; b++)
		if (lay->boxes[b].page < 1 ||
		    lay->boxes[b].page > lay->npages ||
		    (unsigned)lay->boxes[b].role >= ROLE_COUNT) {
			diag_error(EXIT_INTERNAL, NULL, "layout box %zu is on "
			    "page %d of %d", b, lay->boxes[b].page,
			    lay->npages);
			return -1;
		}
	return 0;
}


/* The file being saved (hp_save) and the errno of its first failed
 * write (0: none). */
struct out {
	FILE *fp;
	int err;
};

/* hp_write_fn: n bytes of the document into the file.  libharu walks
 * every object as it saves (a call per token, xref line or 4 KB of a
 * stream; ~40 per page, ~3 per page tree kid), so each call is a
 * big_tick: the pages of objects written drop from memory. */
static int
write_out(void *arg, const void *buf, size_t n)
{
	struct out *o = arg;
	errno = 0;
	if (fwrite(buf, 1, n, o->fp) != n) {
		o->err = errno != 0 ? errno : EIO;
		return -1;
	}
	big_tick(1);
	return 0;
}

static int
write_doc(struct wctx *c, struct lay_result *lay,
    const struct style *st, const struct rnd_info *info, const char *path)
{
	/* hp_load before hp_new: a library that cannot be loaded is
	 * reported once, by hp_load, not again as hp_new's NULL */
	if (collect(c, lay) != 0 || hp_load() != 0)
		return -1;
	c->pdf = hp_new(on_error, c);
	if (c->pdf == NULL) {
		diag_error(EXIT_INTERNAL, NULL, "libharu: cannot create a "
		    "document");
		return -1;
	}
	CHK(HPDF_SetCompressionMode(c->pdf, HPDF_COMP_ALL),
	    "SetCompressionMode");
	CHK(HPDF_UseUTFEncodings(c->pdf), "UseUTFEncodings");
	if (load_fonts(c) != 0)
		return -1;
	c->pages = big_calloc((size_t)lay->npages, sizeof *c->pages);
	if (draw_pages(c, lay, st) != 0)
		return -1;
	if (add_marks(c, lay) != 0 || add_notes(c, lay) != 0 ||
	    set_info(c, info) != 0)
		return -1;
	struct out o = { fopen(path, "wb"), 0 };
	if (o.fp == NULL) {
		diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s", path,
		    strerror(errno));
		return -1;
	}
	/* glibc ignores setvbuf's size without a buffer of ours (it would
	 * write 4 KiB at a time); freed after fclose */
	char *obuf = malloc(256 * 1024);
	if (obuf != NULL)
		(void)setvbuf(o.fp, obuf, _IOFBF, 256 * 1024);
	HPDF_STATUS st_ = hp_save(c->pdf, write_out, &o);
	if (fclose(o.fp) != 0 && o.err == 0)
		o.err = errno != 0 ? errno : EIO;
	free(obuf);
	if (st_ != HPDF_OK || c->err != HPDF_OK || o.err != 0) {
		HPDF_STATUS e = c->err != HPDF_OK ? c->err : st_;
		if (o.err != 0)
			diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s",
			    path, strerror(o.err));
		else
			diag_error(EXIT_INTERNAL, NULL, "libharu failed "
			    "(saving %s): error 0x%04X, detail %u", path,
			    (unsigned)e, (unsigned)c->detail);
		unlink(path);   /* partly written */
		return -1;
	}
	if (diag_verbosity() >= 2)
		report_fonts(c);
	return 0;
}

int
rnd_write(struct rnd *r, struct lay_result *lay,
    const struct style *st, const struct rnd_info *info, const char *path)
{
	if (check_layout(lay, st) != 0)
		return -1;
	struct wctx c;
	memset(&c, 0, sizeof c);
	c.r = r;
	c.nfaces = fnt_nfaces(r->lib);
	c.used = xcalloc(c.nfaces, sizeof *c.used);
	c.fonts = xcalloc(c.nfaces, sizeof *c.fonts);
	c.code = xcalloc(c.nfaces, sizeof *c.code);
	c.emb = xcalloc(c.nfaces, sizeof *c.emb);
	c.cff = xcalloc(c.nfaces, sizeof *c.cff);
	c.psname = xcalloc(c.nfaces, sizeof *c.psname);
	c.fname = xcalloc(c.nfaces, sizeof *c.fname);
	c.sublen = xcalloc(c.nfaces, sizeof *c.sublen);
	c.floor = xcalloc(c.nfaces, sizeof *c.floor);
	c.ms_subset = xcalloc(c.nfaces, sizeof *c.ms_subset);
	c.ms_load = xcalloc(c.nfaces, sizeof *c.ms_load);
	c.nglyphs = xcalloc(c.nfaces, sizeof *c.nglyphs);
	int rc = write_doc(&c, lay, st, info, path);
	lay_page_done(lay);
	if (c.pdf != NULL)
		hp_free(c.pdf);
	spool_free(c.content);
	for (size_t k = 0; k < c.nfaces; k++) {
		free(c.code[k]);
		free(c.psname[k]);
		free(c.used[k]);
	}
	free(c.code);
	free(c.psname);
	free(c.emb);
	free(c.cff);
	free(c.used);
	free(c.fonts);
	for (size_t k = 0; k < c.nfaces; k++)
		free(c.fname[k]);
	free(c.fname);
	free(c.sublen);
	free(c.floor);
	free(c.ms_subset);
	free(c.ms_load);
	free(c.nglyphs);
	big_free(c.pages);
	return rc;
}
