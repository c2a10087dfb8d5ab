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
#include "flate.h"
#include "fonts.h"
#include "hpdf_patch.h"
#include "pdf_content.h"
#include "sfnt.h"
#include "util.h"

#define NBMP 65536

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
		/* A line break in a table cell is a break, not a glyph. */
		if (cp == '\n' || cp == '\r')
			continue;
		if (fnt_face_for(r->lib, role, cp) == NULL) {
			report_missing(r, role, cp, loc);
			if (!r->missing_warn)
				return -1;
		}
	}
	return 0;
}

/* ---- writing -------------------------------------------------------- */

struct wctx {
	struct rnd *r;
	HPDF_Doc pdf;
	HPDF_STATUS err, detail;
	size_t nfaces;
	uint8_t **used;         /* per face: NBMP/8 bitmap or NULL */
	HPDF_Font *fonts;       /* per face */
	char **tmp;             /* per face: temporary file or NULL */
	int *tmpfd;             /* per face: its descriptor (unlinked) or -1 */
	size_t *sublen;         /* per face: size of the subset font */
	size_t *floor;          /* per face: the subset, deflated */
	double *ms_subset, *ms_load;
	unsigned *nglyphs;
	HPDF_Page *pages;
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

static int
collect(struct wctx *c, const struct lay_result *lay)
{
	for (size_t b = 0; b < lay->nboxes; b++) {
		const struct lay_box *bx = &lay->boxes[b];
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
			struct fnt_face *f = fnt_face_for(c->r->lib, bx->role,
			    cp);
			if (f == NULL && c->r->missing_warn) {
				/* Drawn as .notdef of the role's first face;
				 * the ToUnicode map still names it. */
				f = fnt_role_first(c->r->lib, bx->role);
				if (f != NULL && cp < NBMP)
					mark_used(c, f, cp);
				continue;
			}
			if (f == NULL) {
				report_missing(c->r, bx->role, cp, NULL);
				return -1;
			}
			mark_used(c, f, cp);
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
 * measure puts it (the widths libharu writes into /W are the same).
 * The 2-byte codes are BMP code points (libharu's UTF-8 encoder with
 * Identity-H). */
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
		codes[n++] = (uint16_t)cp;
		run_adv += notdef ? fnt_notdef(c->r->lib, bx->role) :
		    fnt_advance(f, cp);
	}
}

/* The boxes of the layout as runs sorted by page: layout appends page
 * numbers after the body, so there are a few runs, each visited from a
 * cursor. */
struct runs {
	size_t n;
	size_t *cur, *end;      /* per run: next box, end */
	size_t *idx;            /* many runs: one run over boxes sorted by
	                           page through this index, else NULL */
};

static const struct lay_box *
run_box(const struct lay_result *lay, const struct runs *rs, size_t i)
{
	return &lay->boxes[rs->idx != NULL ? rs->idx[i] : i];
}

/* Draws page p's boxes, taking each run's boxes of page p in turn (the
 * order of a stable sort by page). */
static int
draw_page(struct wctx *c, const struct lay_result *lay, struct runs *rs,
    int p, struct pc_buf *out)
{
	HPDF_Page page = HPDF_AddPage(c->pdf);
	if (page == NULL || c->err != HPDF_OK)
		return hpdf_fail(c, HPDF_OK, "AddPage");
	/* MediaBox and Resources are inherited from the page tree's root:
	 * libharu's own are a few kilobytes of objects per page */
	CHK(hp_page_inherit(page), "MediaBox");
	c->pages[p - 1] = page;
	pc_page_begin(&c->pc, out);
	for (size_t r = 0; r < rs->n; r++) {
		for (; rs->cur[r] < rs->end[r] &&
		    run_box(lay, rs, rs->cur[r])->page == p; rs->cur[r]++) {
			const struct lay_box *bx = run_box(lay, rs, rs->cur[r]);
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

/* flate_deliver: page's deflated content stream into the document (an
 * empty page keeps libharu's empty stream). */
static int
attach_page(void *arg, int page, const unsigned char *z, size_t zlen)
{
	struct wctx *c = arg;
	if (zlen == 0)
		return 0;
	CHK(hp_page_set_deflated(c->pdf, c->pages[page - 1], z, zlen),
	    "writing a page");
	return 0;
}

/* Draws every page in order. */
static int
draw_pages(struct wctx *c, const struct lay_result *lay,
    const struct style *st)
{
	if (page_root(c, st) != 0)
		return -1;
	struct runs rs = { 0, NULL, NULL, NULL };
	size_t nb = lay->nboxes;
	for (size_t b = 0; b < nb; b++)
		if (b == 0 || lay->boxes[b].page < lay->boxes[b - 1].page)
			rs.n++;
	if (rs.n > 16) {
		/* counting sort by page (check_layout checked the pages) */
		size_t *start = xcalloc((size_t)lay->npages + 2,
		    sizeof *start);
		for (size_t b = 0; b < nb; b++)
			start[lay->boxes[b].page + 1]++;
		for (int p = 1; p <= lay->npages + 1; p++)
			start[p] += start[p - 1];
		rs.idx = xmalloc(nb * sizeof *rs.idx);
		for (size_t b = 0; b < nb; b++)
			rs.idx[start[lay->boxes[b].page]++] = b;
		free(start);
		rs.n = 1;
	}
	rs.cur = xcalloc(rs.n + 1, sizeof *rs.cur);
	rs.end = xcalloc(rs.n + 1, sizeof *rs.end);
	if (rs.idx != NULL)
		rs.end[0] = nb;
	else {
		size_t r = 0;
		for (size_t b = 0; b < nb; b++)
			if (b == 0 || lay->boxes[b].page <
			    lay->boxes[b - 1].page) {
				if (r > 0)
					rs.end[r - 1] = b;
				rs.cur[r++] = b;
			}
		if (r > 0)
			rs.end[r - 1] = nb;
	}
	struct flate_pipe *fp = flate_pipe_new(attach_page, c);
	int rc = 0;
	for (int p = 1; p <= lay->npages && rc == 0; p++) {
		rc = draw_page(c, lay, &rs, p, flate_pipe_begin(fp, p));
		if (rc == 0)
			rc = flate_pipe_end(fp, p == lay->npages);
		diag_progress("rendering page", p, lay->npages);
	}
	if (flate_pipe_finish(fp, rc == 0) != 0)
		rc = -1;
	free(rs.cur);
	free(rs.end);
	free(rs.idx);
	return rc;
}

/* Writes data[0..len) to a new temporary file for libharu to load and
 * stores in *path the name to load it by (caller frees) and in *fd its
 * open descriptor or -1.  Where /proc is mounted the file is unlinked
 * as soon as it is created and loaded through /proc/self/fd/N, so no
 * temporary font file outlives the process, however it ends (kill -9
 * included); otherwise *path is the file's name and the caller removes
 * it.  Returns 0, or -1 after reporting (EXIT_OUTPUT with strerror;
 * nothing is left behind). */
static int
write_temp(const void *data, size_t len, char **path, int *fdp)
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
	char *proc = xasprintf("/proc/self/fd/%d", fd);
	int anon = access(proc, R_OK) == 0 && unlink(p) == 0;
	const char *d = data;
	size_t off = 0;
	int e = 0;
	while (off < len && e == 0) {
		ssize_t w = write(fd, d + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			e = w < 0 ? errno : EIO;
		else
			off += (size_t)w;
	}
	if (e != 0 || (!anon && close(fd) != 0 && (e = errno) != 0)) {
		diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s", p,
		    strerror(e));
		if (anon)
			close(fd);
		else
			unlink(p);
		free(p);
		free(proc);
		return -1;
	}
	if (anon) {
		free(p);
		*path = proc;
		*fdp = fd;
	} else {
		free(proc);
		*path = p;
		*fdp = -1;
	}
	return 0;
}

/* Replaces libharu's ToUnicode stream (a copy of its Identity CID CMap,
 * which poppler rejects) by a CMapType 2 CMap mapping each used 2-byte
 * code (= the BMP code point under the UTF-8 encoder) to itself. */
static int
fix_tounicode(struct wctx *c, HPDF_Font font, const uint8_t *used)
{
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
	HPDF_STATUS st = hp_font_set_tounicode(font, cmap.s, cmap.len);
	sb_free(&cmap);
	CHK(st, "writing a ToUnicode CMap");
	return 0;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
load_fonts(struct wctx *c)
{
	int debug = diag_verbosity() >= 2;
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->used[k] == NULL)
			continue;
		struct fnt_face *f = fnt_face_at(c->r->lib, k);
		double t0 = now_ms();
		size_t n = 0;
		uint32_t *cps = xmalloc(NBMP * sizeof *cps);
		for (uint32_t cp = 0; cp < NBMP; cp++)
			if (c->used[k][cp >> 3] & (1u << (cp & 7)))
				cps[n++] = cp;
		void *data, *plain = NULL;
		size_t len, plainlen = 0;
		char *why;
		int rc = fnt_subset(f, cps, n, &data, &len, debug ? &plain : NULL,
		    &plainlen, &why);
		free(cps);
		if (rc != 0) {
			diag_error(EXIT_FONT, NULL, "%s", why);
			free(why);
			return -1;
		}
		double t1 = now_ms();
		c->ms_subset[k] = t1 - t0;
		c->sublen[k] = len;
		if (debug) {
			/* the floor: hb-subset's own output deflated as
			 * libharu deflates the FontFile2 stream */
			struct pc_buf z = { NULL, 0, 0 };
			if (flate_buf(plain, plainlen, &z) == 0)
				c->floor[k] = z.len;
			pc_buf_free(&z);
			free(plain);
		}
		c->nglyphs[k] = sfnt_num_glyphs(data, len);
		t1 = now_ms();
		rc = write_temp(data, len, &c->tmp[k], &c->tmpfd[k]);
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
		CHK(hp_font_embed_all_glyphs(font), fnt_face_desc(f));
		if (fix_tounicode(c, font, c->used[k]) != 0)
			return -1;
		c->ms_load[k] = now_ms() - t1;
	}
	return 0;
}

/* -vv: per embedded font, glyphs, time, and the FontFile2 stream's size
 * against the floor (hb-subset's output deflated the same way). */
static void
report_fonts(struct wctx *c)
{
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->fonts[k] == NULL)
			continue;
		struct fnt_face *f = fnt_face_at(c->r->lib, k);
		long emb = hp_font_file_length(c->fonts[k]);
		char *roles = fnt_face_roles(c->r->lib, f);
		diag(DIAG_DEBUG, EXIT_OK, NULL, "font %s %s: %u glyphs, "
		    "subset %.1f ms, load %.1f ms, %ld bytes (FontFile2 %s, "
		    "subset %zu bytes, floor %zu bytes deflated, %+.1f%%)",
		    roles, fnt_face_desc(f), c->nglyphs[k], c->ms_subset[k],
		    c->ms_load[k], emb, HPDF_Font_GetFontName(c->fonts[k]),
		    c->sublen[k], c->floor[k], c->floor[k] > 0 && emb >= 0 ?
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
	c->pdf = HPDF_NewEx(on_error, NULL, NULL, 0, c);
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
	if (draw_pages(c, lay, st) != 0)
		return -1;
	if (add_marks(c, lay) != 0 || set_info(c, info) != 0)
		return -1;
	errno = 0;      /* a failed write leaves its errno (ENOSPC, EFBIG…) */
	HPDF_STATUS st_ = HPDF_SaveToFile(c->pdf, path);
	int save_errno = errno;
	if (st_ != HPDF_OK || c->err != HPDF_OK) {
		HPDF_STATUS e = c->err != HPDF_OK ? c->err : st_;
		if (e == HPDF_FILE_OPEN_ERROR || e == HPDF_FILE_IO_ERROR ||
		    c->detail == HPDF_FILE_IO_ERROR || save_errno != 0)
			diag_error(EXIT_OUTPUT, NULL, "cannot write %s: %s",
			    path, strerror(save_errno != 0 ? save_errno : EIO));
		else
			diag_error(EXIT_INTERNAL, NULL, "libharu failed "
			    "(saving %s): error 0x%04X, detail %u", path,
			    (unsigned)e, (unsigned)c->detail);
		if (e != HPDF_FILE_OPEN_ERROR)
			unlink(path);   /* partly written */
		return -1;
	}
	if (diag_verbosity() >= 2)
		report_fonts(c);
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
	c.tmpfd = xcalloc(c.nfaces, sizeof *c.tmpfd);
	for (size_t k = 0; k < c.nfaces; k++)
		c.tmpfd[k] = -1;
	c.fname = xcalloc(c.nfaces, sizeof *c.fname);
	c.sublen = xcalloc(c.nfaces, sizeof *c.sublen);
	c.floor = xcalloc(c.nfaces, sizeof *c.floor);
	c.ms_subset = xcalloc(c.nfaces, sizeof *c.ms_subset);
	c.ms_load = xcalloc(c.nfaces, sizeof *c.ms_load);
	c.nglyphs = xcalloc(c.nfaces, sizeof *c.nglyphs);
	int rc = write_doc(&c, lay, st, info, path);
	if (c.pdf != NULL)
		HPDF_Free(c.pdf);
	for (size_t k = 0; k < c.nfaces; k++) {
		if (c.tmpfd[k] >= 0)
			close(c.tmpfd[k]);
		else if (c.tmp[k] != NULL)
			unlink(c.tmp[k]);
		free(c.tmp[k]);
		free(c.used[k]);
	}
	free(c.tmp);
	free(c.tmpfd);
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
	free(c.pages);
	return rc;
}
