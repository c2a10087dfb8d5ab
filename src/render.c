/* Render: draws a lay_result with libharu 2.3.0 (the only user of hpdf.h).
 *
 * Fonts come from fonts.c.  rnd_write works in two passes: it first
 * collects the characters each face draws, subsets every face to them
 * (hb-subset; renumbered glyphs avoid libharu 2.3.0's composite-glyph
 * bugs), loads the subsets from temporary files, replaces libharu's
 * invalid ToUnicode CMaps, then draws.  No clock, no /ID: the output is
 * a function of the input only. */
#include "render.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "diag.h"
#include "fonts.h"
#include "util.h"

#define NBMP 65536

struct rnd {
	struct fnt_lib *lib;
	struct lay_measure m;
};

static double
measure_width(void *arg, enum font_role role, double pt, const char *s,
    size_t n)
{
	return fnt_width(arg, role, pt, s, n);
}

struct rnd *
rnd_create(const char *const candidates[ROLE_COUNT], const char *fontdir)
{
	struct fnt_lib *lib = fnt_open(candidates, fontdir);
	if (lib == NULL)
		return NULL;
	struct rnd *r = xcalloc(1, sizeof *r);
	r->lib = lib;
	r->m.width = measure_width;
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
	diag_error(EXIT_FONT, loc, "%s", sb_str(&sb));
	sb_free(&sb);
}

int
rnd_check_text(struct rnd *r, enum font_role role, const char *text,
    const struct diag_loc *loc)
{
	size_t n = strlen(text);
	size_t bad = utf8_invalid_at(text, n);
	if (bad != (size_t)-1) {
		diag_error(EXIT_FONT, loc, "text is not valid UTF-8 (byte "
		    "%zu) and cannot be drawn", bad + 1);
		return -1;
	}
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = utf8_decode(text + i, n - i, &cp);
		if (l == 0)
			l = 1;
		i += l;
		if (fnt_face_for(r->lib, role, cp) == NULL) {
			report_missing(r, role, cp, loc);
			return -1;
		}
	}
	return 0;
}

/* ---- writing -------------------------------------------------------- */

struct pstate {                 /* what is set on a page, to skip repeats */
	struct fnt_face *face;
	double size, cs, lw;
	int mode;
	double fill, stroke;    /* gray levels, 0 = black */
	double dash;            /* dash length, 0 = solid */
};

struct wctx {
	struct rnd *r;
	HPDF_Doc pdf;
	HPDF_STATUS err, detail;
	size_t nfaces;
	uint8_t **used;         /* per face: NBMP/8 bitmap or NULL */
	HPDF_Font *fonts;       /* per face */
	char **tmp;             /* per face: temporary file or NULL */
	HPDF_Page *pages;
	struct pstate *ps;
	char *buf;
	size_t bufcap;
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

static int
collect(struct wctx *c, const struct lay_result *lay)
{
	for (size_t b = 0; b < lay->nboxes; b++) {
		const struct lay_box *bx = &lay->boxes[b];
		if (bx->kind != LAY_BOX_TEXT || bx->text == NULL)
			continue;
		const char *s = bx->text;
		size_t n = strlen(s);
		if (utf8_invalid_at(s, n) != (size_t)-1) {
			diag_error(EXIT_FONT, NULL, "page %d: text is not "
			    "valid UTF-8", bx->page);
			return -1;
		}
		for (size_t i = 0; i < n;) {
			uint32_t cp;
			i += utf8_decode(s + i, n - i, &cp);
			struct fnt_face *f = fnt_face_for(c->r->lib, bx->role,
			    cp);
			if (f == NULL) {
				report_missing(c->r, bx->role, cp, NULL);
				return -1;
			}
			size_t k = fnt_face_index(f);
			if (c->used[k] == NULL)
				c->used[k] = xcalloc(NBMP / 8, 1);
			c->used[k][cp >> 3] |= (uint8_t)(1u << (cp & 7));
		}
	}
	return 0;
}

static int
write_temp(const void *data, size_t len, char **path)
{
	const char *dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	char *p = xasprintf("%s/zongjie-font-XXXXXX", dir);
	int fd = mkstemp(p);
	if (fd < 0) {
		diag_error(EXIT_OUTPUT, NULL, "cannot create a temporary font "
		    "file in %s: %s", dir, strerror(errno));
		free(p);
		return -1;
	}
	const char *d = data;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, d + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s", p,
			    w < 0 ? strerror(errno) : "short write");
			close(fd);
			unlink(p);
			free(p);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s", p,
		    strerror(errno));
		unlink(p);
		free(p);
		return -1;
	}
	*path = p;
	return 0;
}

/* Replaces libharu's ToUnicode stream (a copy of its Identity CID CMap,
 * which poppler rejects) by a CMapType 2 CMap mapping each used 2-byte
 * code (= the BMP code point under the UTF-8 encoder) to itself. */
static int
fix_tounicode(struct wctx *c, HPDF_Font font, const uint8_t *used)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict cm = fa->cmap_stream;
	if (cm == NULL || cm->stream == NULL)
		return 0;
	HPDF_MemStream_FreeData(cm->stream);
	HPDF_Dict_RemoveElement(cm, "Type");
	HPDF_Dict_RemoveElement(cm, "CMapName");
	HPDF_Dict_RemoveElement(cm, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cm, "WMode");

	/* ranges of consecutive used codes within one high byte */
	struct strbuf ranges, chars;
	sb_init(&ranges);
	sb_init(&chars);
	size_t nr = 0, nc = 0;
	struct strbuf body;
	sb_init(&body);
	for (uint32_t cp = 0; cp < NBMP;) {
		if (!(used[cp >> 3] & (1u << (cp & 7)))) {
			cp++;
			continue;
		}
		uint32_t e = cp;
		while (e + 1 < NBMP && ((e + 1) >> 8) == (cp >> 8) &&
		    (used[(e + 1) >> 3] & (1u << ((e + 1) & 7))))
			e++;
		if (e > cp) {
			sb_printf(&ranges, "<%04X> <%04X> <%04X>\n",
			    (unsigned)cp, (unsigned)e, (unsigned)cp);
			if (++nr == 100) {
				sb_printf(&body, "100 beginbfrange\n%s"
				    "endbfrange\n", sb_str(&ranges));
				sb_clear(&ranges);
				nr = 0;
			}
		} else {
			sb_printf(&chars, "<%04X> <%04X>\n", (unsigned)cp,
			    (unsigned)cp);
			if (++nc == 100) {
				sb_printf(&body, "100 beginbfchar\n%s"
				    "endbfchar\n", sb_str(&chars));
				sb_clear(&chars);
				nc = 0;
			}
		}
		cp = e + 1;
	}
	if (nr > 0)
		sb_printf(&body, "%zu beginbfrange\n%sendbfrange\n", nr,
		    sb_str(&ranges));
	if (nc > 0)
		sb_printf(&body, "%zu beginbfchar\n%sendbfchar\n", nc,
		    sb_str(&chars));
	sb_free(&ranges);
	sb_free(&chars);

	struct strbuf cmap;
	sb_init(&cmap);
	sb_adds(&cmap,
	    "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	sb_adds(&cmap, sb_str(&body));
	sb_adds(&cmap,
	    "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\n"
	    "end\n");
	sb_free(&body);
	HPDF_STATUS st = HPDF_Stream_Write(cm->stream,
	    (const HPDF_BYTE *)cmap.s, (HPDF_UINT)cmap.len);
	sb_free(&cmap);
	CHK(st, "writing a ToUnicode CMap");
	return 0;
}

static int
load_fonts(struct wctx *c)
{
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->used[k] == NULL)
			continue;
		struct fnt_face *f = fnt_face_at(c->r->lib, k);
		size_t n = 0;
		uint32_t *cps = xmalloc(NBMP * sizeof *cps);
		for (uint32_t cp = 0; cp < NBMP; cp++)
			if (c->used[k][cp >> 3] & (1u << (cp & 7)))
				cps[n++] = cp;
		void *data;
		size_t len;
		char *why;
		int rc = fnt_subset(f, cps, n, &data, &len, &why);
		free(cps);
		if (rc != 0) {
			diag_error(EXIT_FONT, NULL, "%s", why);
			free(why);
			return -1;
		}
		rc = write_temp(data, len, &c->tmp[k]);
		free(data);
		if (rc != 0)
			return -1;
		const char *name = HPDF_LoadTTFontFromFile(c->pdf, c->tmp[k],
		    HPDF_TRUE);
		if (name == NULL || c->err != HPDF_OK)
			return hpdf_fail(c, HPDF_OK, fnt_face_desc(f));
		HPDF_Font font = HPDF_GetFont(c->pdf, name, "UTF-8");
		if (font == NULL || c->err != HPDF_OK)
			return hpdf_fail(c, HPDF_OK, fnt_face_desc(f));
		c->fonts[k] = font;
		/* 2.3.0 drops nested composite components when it marks the
		 * glyphs to embed: the subset only holds what is needed, so
		 * embed every glyph of it. */
		HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
		HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)fa->fontdef->attr;
		if (da->glyph_tbl.flgs != NULL)
			memset(da->glyph_tbl.flgs, 1, da->num_glyphs);
		if (fix_tounicode(c, font, c->used[k]) != 0)
			return -1;
	}
	return 0;
}

/* Graphics state for strokes and fills: gray levels and dash. */
static int
set_gray_fill(struct wctx *c, HPDF_Page page, struct pstate *ps, double g)
{
	if (ps->fill != g) {
		CHK(HPDF_Page_SetGrayFill(page, (HPDF_REAL)g), "SetGrayFill");
		ps->fill = g;
	}
	return 0;
}

static int
set_stroke(struct wctx *c, HPDF_Page page, struct pstate *ps, double g,
    double lw, double dash)
{
	if (ps->stroke != g) {
		CHK(HPDF_Page_SetGrayStroke(page, (HPDF_REAL)g),
		    "SetGrayStroke");
		ps->stroke = g;
	}
	if (ps->lw != lw) {
		CHK(HPDF_Page_SetLineWidth(page, (HPDF_REAL)lw),
		    "SetLineWidth");
		ps->lw = lw;
	}
	if (ps->dash != dash) {
		if (dash > 0) {
			HPDF_UINT16 d = (HPDF_UINT16)(dash < 1 ? 1 :
			    dash > 100 ? 100 : lround(dash));
			HPDF_UINT16 ptn[2];

			ptn[0] = d;
			ptn[1] = d;
			CHK(HPDF_Page_SetDash(page, ptn, 2, 0), "SetDash");
		} else
			CHK(HPDF_Page_SetDash(page, NULL, 0, 0), "SetDash");
		ps->dash = dash;
	}
	return 0;
}

static int
set_state(struct wctx *c, HPDF_Page page, struct pstate *ps,
    struct fnt_face *face, const struct lay_box *bx)
{
	int mode = bx->bold > 0 ? HPDF_FILL_THEN_STROKE : HPDF_FILL;
	if (set_gray_fill(c, page, ps, 0) != 0)
		return -1;
	if (bx->bold > 0 && set_stroke(c, page, ps, 0, ps->lw, 0) != 0)
		return -1;
	if (bx->bold > 0 && ps->lw != bx->bold * bx->size) {
		CHK(HPDF_Page_SetLineWidth(page, (HPDF_REAL)(bx->bold *
		    bx->size)), "SetLineWidth");
		ps->lw = bx->bold * bx->size;
	}
	if (ps->mode != mode) {
		CHK(HPDF_Page_SetTextRenderingMode(page,
		    (HPDF_TextRenderingMode)mode), "SetTextRenderingMode");
		ps->mode = mode;
	}
	if (ps->face != face || ps->size != bx->size) {
		CHK(HPDF_Page_SetFontAndSize(page,
		    c->fonts[fnt_face_index(face)], (HPDF_REAL)bx->size),
		    "SetFontAndSize");
		ps->face = face;
		ps->size = bx->size;
	}
	if (ps->cs != bx->char_space) {
		CHK(HPDF_Page_SetCharSpace(page, (HPDF_REAL)bx->char_space),
		    "SetCharSpace");
		ps->cs = bx->char_space;
	}
	return 0;
}

/* Draws s[0..n) with its baseline starting at (x, y), rotated by angle
 * degrees counter-clockwise (0: upright). */
static int
draw_run(struct wctx *c, HPDF_Page page, const char *s, size_t n, double x,
    double y, double angle)
{
	if (n + 1 > c->bufcap) {
		c->bufcap = n + 1 > 256 ? n + 1 : 256;
		c->buf = xrealloc(c->buf, c->bufcap);
	}
	memcpy(c->buf, s, n);
	c->buf[n] = '\0';
	CHK(HPDF_Page_BeginText(page), "BeginText");
	if (angle != 0) {
		double r = angle * M_PI / 180, co = cos(r), si = sin(r);

		CHK(HPDF_Page_SetTextMatrix(page, (HPDF_REAL)co,
		    (HPDF_REAL)si, (HPDF_REAL)-si, (HPDF_REAL)co,
		    (HPDF_REAL)x, (HPDF_REAL)y), "SetTextMatrix");
		CHK(HPDF_Page_ShowText(page, c->buf), "ShowText");
	} else
		CHK(HPDF_Page_TextOut(page, (HPDF_REAL)x, (HPDF_REAL)y,
		    c->buf), "TextOut");
	CHK(HPDF_Page_EndText(page), "EndText");
	return 0;
}

static int
draw_text(struct wctx *c, const struct lay_box *bx)
{
	HPDF_Page page = c->pages[bx->page - 1];
	struct pstate *ps = &c->ps[bx->page - 1];
	const char *s = bx->text;
	size_t n = strlen(s);
	double x = bx->x;
	size_t start = 0;
	struct fnt_face *cur = NULL;
	size_t nchars = 0, run_chars = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t cp = 0;
		size_t l = 0;
		struct fnt_face *f = NULL;
		if (i < n) {
			l = utf8_decode(s + i, n - i, &cp);
			if (l == 0)
				l = 1;  /* cannot happen: collect checked */
			f = fnt_face_for(c->r->lib, bx->role, cp);
		}
		if (i == n || (f != cur && run_chars > 0)) {
			if (run_chars > 0 && cur != NULL) {
				if (set_state(c, page, ps, cur, bx) != 0)
					return -1;
				double d = fnt_width(c->r->lib, bx->role,
				    bx->size, s, start) +
				    (double)nchars * bx->char_space;
				double ar = bx->angle * M_PI / 180;
				double rx = x + d * cos(ar);
				double ry = bx->y + d * sin(ar);
				if (draw_run(c, page, s + start, i - start, rx,
				    ry, bx->angle) != 0)
					return -1;
			}
			nchars += run_chars;
			run_chars = 0;
			start = i;
			if (i == n)
				break;
		}
		cur = f;
		run_chars++;
		i += l;
	}
	return 0;
}

static int
draw_rule(struct wctx *c, const struct lay_box *bx)
{
	HPDF_Page page = c->pages[bx->page - 1];
	struct pstate *ps = &c->ps[bx->page - 1];
	if (set_stroke(c, page, ps, bx->gray, bx->line_width, bx->dash) != 0)
		return -1;
	CHK(HPDF_Page_MoveTo(page, (HPDF_REAL)bx->x, (HPDF_REAL)bx->y),
	    "MoveTo");
	CHK(HPDF_Page_LineTo(page, (HPDF_REAL)bx->x2, (HPDF_REAL)bx->y2),
	    "LineTo");
	CHK(HPDF_Page_Stroke(page), "Stroke");
	return 0;
}

/* A rectangle filled with gray (none if < 0), outlined in solid black
 * when line_width > 0. */
static int
draw_rect(struct wctx *c, const struct lay_box *bx)
{
	HPDF_Page page = c->pages[bx->page - 1];
	struct pstate *ps = &c->ps[bx->page - 1];
	int fill = bx->gray >= 0, stroke = bx->line_width > 0;
	double x = fmin(bx->x, bx->x2), y = fmin(bx->y, bx->y2);
	if (!fill && !stroke)
		return 0;
	if (fill && set_gray_fill(c, page, ps, bx->gray > 1 ? 1 :
	    bx->gray) != 0)
		return -1;
	if (stroke && set_stroke(c, page, ps, 0, bx->line_width, 0) != 0)
		return -1;
	CHK(HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)y,
	    (HPDF_REAL)fabs(bx->x2 - bx->x), (HPDF_REAL)fabs(bx->y2 - bx->y)),
	    "Rectangle");
	if (fill && stroke)
		CHK(HPDF_Page_FillStroke(page), "FillStroke");
	else if (fill)
		CHK(HPDF_Page_Fill(page), "Fill");
	else
		CHK(HPDF_Page_Stroke(page), "Stroke");
	return 0;
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
		CHK(HPDF_Array_Add(d, HPDF_Null_New(d->mmgr)), "destination");
		CHK(HPDF_Array_AddReal(d, (HPDF_REAL)m->y), "destination");
		CHK(HPDF_Array_Add(d, HPDF_Null_New(d->mmgr)), "destination");
		CHK(HPDF_Outline_SetDestination(o, d), "SetDestination");
		CHK(HPDF_Outline_SetOpened(o, HPDF_TRUE), "SetOpened");
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
	for (size_t b = 0; b < lay->nboxes; b++)
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

static int
write_doc(struct wctx *c, const struct lay_result *lay,
    const struct style *st, const struct rnd_info *info, const char *path)
{
	if (collect(c, lay) != 0)
		return -1;
	c->pdf = HPDF_New(on_error, c);
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
	c->pages = xcalloc((size_t)lay->npages, sizeof *c->pages);
	c->ps = xcalloc((size_t)lay->npages, sizeof *c->ps);
	for (int p = 0; p < lay->npages; p++) {
		HPDF_Page page = HPDF_AddPage(c->pdf);
		if (page == NULL || c->err != HPDF_OK)
			return hpdf_fail(c, HPDF_OK, "AddPage");
		CHK(HPDF_Page_SetWidth(page, (HPDF_REAL)st->page_w),
		    "SetWidth");
		CHK(HPDF_Page_SetHeight(page, (HPDF_REAL)st->page_h),
		    "SetHeight");
		c->pages[p] = page;
		/* libharu's initial graphics state */
		c->ps[p].lw = 1;
		c->ps[p].mode = HPDF_FILL;
		c->ps[p].cs = 0;
		c->ps[p].size = -1;
	}
	for (size_t b = 0; b < lay->nboxes; b++) {
		const struct lay_box *bx = &lay->boxes[b];
		int rc = 0;
		if (bx->kind == LAY_BOX_TEXT && bx->text != NULL &&
		    *bx->text != '\0')
			rc = draw_text(c, bx);
		else if (bx->kind == LAY_BOX_RULE)
			rc = draw_rule(c, bx);
		else if (bx->kind == LAY_BOX_RECT)
			rc = draw_rect(c, bx);
		if (rc != 0)
			return -1;
	}
	if (add_marks(c, lay) != 0 || set_info(c, info) != 0)
		return -1;
	HPDF_STATUS st_ = HPDF_SaveToFile(c->pdf, path);
	if (st_ != HPDF_OK || c->err != HPDF_OK) {
		HPDF_STATUS e = c->err != HPDF_OK ? c->err : st_;
		if (e == HPDF_FILE_OPEN_ERROR || e == HPDF_FILE_IO_ERROR)
			diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s",
			    path, c->detail != 0 ?
			    strerror((int)c->detail) : "I/O error");
		else
			diag_error(EXIT_INTERNAL, NULL, "libharu failed "
			    "(saving %s): error 0x%04X, detail %u", path,
			    (unsigned)e, (unsigned)c->detail);
		if (e != HPDF_FILE_OPEN_ERROR)
			unlink(path);   /* partly written */
		return -1;
	}
	return 0;
}

int
rnd_write(struct rnd *r, const struct lay_result *lay,
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
	c.tmp = xcalloc(c.nfaces, sizeof *c.tmp);
	int rc = write_doc(&c, lay, st, info, path);
	if (c.pdf != NULL)
		HPDF_Free(c.pdf);
	for (size_t k = 0; k < c.nfaces; k++) {
		if (c.tmp[k] != NULL)
			unlink(c.tmp[k]);
		free(c.tmp[k]);
		free(c.used[k]);
	}
	free(c.tmp);
	free(c.used);
	free(c.fonts);
	free(c.pages);
	free(c.ps);
	free(c.buf);
	return rc;
}
