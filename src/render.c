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

#include <pthread.h>

#include <hpdf.h>

#include "diag.h"
#include "fonts.h"
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
		if (fnt_face_for(r->lib, role, cp) == NULL) {
			report_missing(r, role, cp, loc);
			if (!r->missing_warn)
				return -1;
		}
	}
	return 0;
}

/* ---- writing -------------------------------------------------------- */

/* ---- writing -------------------------------------------------------- */

/* What is set in a page's graphics state, to skip repeats. */
struct pstate {
	struct fnt_face *face;
	double size, cs, lw;
	int mode;
	double fill, stroke;    /* gray levels, 0 = black */
	double dash;            /* dash length, 0 = solid */
};

/* A growable byte buffer for content streams (no NUL terminator). */
struct cbuf {
	unsigned char *p;
	size_t len, cap, rpos;  /* rpos: read position (deflate source) */
};

struct wctx {
	struct rnd *r;
	HPDF_Doc pdf;
	HPDF_STATUS err, detail;
	size_t nfaces;
	uint8_t **used;         /* per face: NBMP/8 bitmap or NULL */
	HPDF_Font *fonts;       /* per face */
	char **tmp;             /* per face: temporary file or NULL */
	size_t *sublen;         /* per face: size of the subset font */
	size_t *floor;          /* per face: the subset, deflated */
	double *ms_subset, *ms_load;
	unsigned *nglyphs;
	HPDF_Page *pages;
	/* the page being drawn: its content stream is built here, deflated
	 * and handed to libharu when the page is complete */
	struct cbuf *out;       /* the batch's content streams */
	struct pstate ps;
	int in_text;            /* between BT and ET */
	int tm_ok;              /* text line matrix is a translation to */
	long lx, ly;            /* (lx, ly), in 1/1000 pt */
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

/* ---- content streams ------------------------------------------------ */

static void
cb_need(struct cbuf *b, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap < 4096 ? 4096 : b->cap;
		while (cap < b->len + n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
}

static void
cb_add(struct cbuf *b, const char *s, size_t n)
{
	cb_need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define CB_ADDS(b, lit) cb_add((b), (lit), sizeof(lit) - 1)

/* Appends v / 10^dec in the shortest decimal form ("12", "-0.5",
 * "79.37"); v is an integer count of 10^-dec units. */
static void
cb_fix(struct cbuf *b, long long v, int dec)
{
	char tmp[32], *e = tmp + sizeof tmp, *q = e;
	int neg = v < 0;
	unsigned long long u = neg ? 0ull - (unsigned long long)v :
	    (unsigned long long)v;
	int started = 0;
	for (int i = 0; i < dec; i++) {
		unsigned d = (unsigned)(u % 10);
		u /= 10;
		if (d != 0 || started) {
			*--q = (char)('0' + d);
			started = 1;
		}
	}
	if (started)
		*--q = '.';
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (neg && !(q[0] == '0' && q + 1 == e))
		*--q = '-';
	cb_add(b, q, (size_t)(e - q));
}

static const double pow10_tab[] = { 1, 10, 100, 1000, 10000, 100000 };

static long long
fixed(double v, int dec)
{
	return llround(v * pow10_tab[dec]);
}

static void
cb_real(struct cbuf *b, double v, int dec)
{
	cb_fix(b, fixed(v, dec), dec);
}

static void
cb_op(struct cbuf *b, const char *op)
{
	cb_add(b, op, strlen(op));
}

/* Positions are written in 1/1000 pt. */
#define POS_DEC 3

static void
end_text(struct wctx *c)
{
	if (c->in_text) {
		CB_ADDS(c->out, "ET\n");
		c->in_text = 0;
	}
}

static void
begin_text(struct wctx *c)
{
	if (!c->in_text) {
		CB_ADDS(c->out, "BT\n");
		c->in_text = 1;
		c->tm_ok = 1;           /* BT: identity text matrix */
		c->lx = 0;
		c->ly = 0;
	}
}

static void
set_gray_fill(struct wctx *c, double g)
{
	if (c->ps.fill != g) {
		cb_real(c->out, g, 3);
		CB_ADDS(c->out, " g\n");
		c->ps.fill = g;
	}
}

static void
set_line_width(struct wctx *c, double lw)
{
	if (c->ps.lw != lw) {
		cb_real(c->out, lw, 3);
		CB_ADDS(c->out, " w\n");
		c->ps.lw = lw;
	}
}

static void
set_stroke(struct wctx *c, double g, double lw, double dash)
{
	if (c->ps.stroke != g) {
		cb_real(c->out, g, 3);
		CB_ADDS(c->out, " G\n");
		c->ps.stroke = g;
	}
	set_line_width(c, lw);
	if (c->ps.dash != dash) {
		if (dash > 0) {
			long d = dash < 1 ? 1 : dash > 100 ? 100 : lround(dash);
			CB_ADDS(c->out, "[");
			cb_fix(c->out, d, 0);
			CB_ADDS(c->out, " ");
			cb_fix(c->out, d, 0);
			CB_ADDS(c->out, "] 0 d\n");
		} else
			CB_ADDS(c->out, "[] 0 d\n");
		c->ps.dash = dash;
	}
}

static void
set_text_state(struct wctx *c, struct fnt_face *face,
    const struct lay_box *bx)
{
	int mode = bx->bold > 0 ? HPDF_FILL_THEN_STROKE : HPDF_FILL;
	set_gray_fill(c, 0);
	if (bx->bold > 0) {
		set_stroke(c, 0, bx->bold * bx->size, c->ps.dash);
	}
	if (c->ps.mode != mode) {
		cb_fix(c->out, mode, 0);
		CB_ADDS(c->out, " Tr\n");
		c->ps.mode = mode;
	}
	if (c->ps.face != face || c->ps.size != bx->size) {
		CB_ADDS(c->out, "/");
		cb_op(c->out, c->fname[fnt_face_index(face)]);
		CB_ADDS(c->out, " ");
		cb_real(c->out, bx->size, 3);
		CB_ADDS(c->out, " Tf\n");
		c->ps.face = face;
		c->ps.size = bx->size;
	}
	if (c->ps.cs != bx->char_space) {
		cb_real(c->out, bx->char_space, 5);
		CB_ADDS(c->out, " Tc\n");
		c->ps.cs = bx->char_space;
	}
}

/* Moves the text line matrix to (x, y), rotated by angle degrees
 * counter-clockwise: a relative Td when the matrix is a translation. */
static void
text_pos(struct wctx *c, double x, double y, double angle)
{
	long long X = fixed(x, POS_DEC), Y = fixed(y, POS_DEC);
	if (angle != 0) {
		double r = angle * M_PI / 180;
		cb_real(c->out, cos(r), 5);
		CB_ADDS(c->out, " ");
		cb_real(c->out, sin(r), 5);
		CB_ADDS(c->out, " ");
		cb_real(c->out, -sin(r), 5);
		CB_ADDS(c->out, " ");
		cb_real(c->out, cos(r), 5);
		CB_ADDS(c->out, " ");
		cb_fix(c->out, X, POS_DEC);
		CB_ADDS(c->out, " ");
		cb_fix(c->out, Y, POS_DEC);
		CB_ADDS(c->out, " Tm\n");
		c->tm_ok = 0;
		return;
	}
	if (c->tm_ok) {
		cb_fix(c->out, X - c->lx, POS_DEC);
		CB_ADDS(c->out, " ");
		cb_fix(c->out, Y - c->ly, POS_DEC);
		CB_ADDS(c->out, " Td\n");
	} else {
		CB_ADDS(c->out, "1 0 0 1 ");
		cb_fix(c->out, X, POS_DEC);
		CB_ADDS(c->out, " ");
		cb_fix(c->out, Y, POS_DEC);
		CB_ADDS(c->out, " Tm\n");
		c->tm_ok = 1;
	}
	c->lx = (long)X;
	c->ly = (long)Y;
}

/* Shows the 2-byte codes (= BMP code points under libharu's UTF-8
 * encoder and Identity-H) of the n characters cps[0..n): a literal string
 * when that is shorter, else hex. */
static void
show_codes(struct wctx *c, const uint16_t *cps, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t lit = 0;
	for (size_t i = 0; i < 2 * n; i++) {
		unsigned b = i & 1 ? cps[i / 2] & 0xff : cps[i / 2] >> 8;
		lit += b < 0x20 || b == 0x7f ? 4 : b == '(' || b == ')' ||
		    b == '\\' ? 2 : 1;
	}
	struct cbuf *o = c->out;
	cb_need(o, (lit < 4 * n ? lit : 4 * n) + 8);
	unsigned char *q = o->p + o->len;
	if (lit < 4 * n) {
		*q++ = '(';
		for (size_t i = 0; i < 2 * n; i++) {
			unsigned b = i & 1 ? cps[i / 2] & 0xff :
			    cps[i / 2] >> 8;
			if (b < 0x20 || b == 0x7f) {
				*q++ = '\\';
				*q++ = (unsigned char)('0' + (b >> 6));
				*q++ = (unsigned char)('0' + ((b >> 3) & 7));
				*q++ = (unsigned char)('0' + (b & 7));
			} else if (b == '(' || b == ')' || b == '\\') {
				*q++ = '\\';
				*q++ = (unsigned char)b;
			} else
				*q++ = (unsigned char)b;
		}
		*q++ = ')';
	} else {
		*q++ = '<';
		for (size_t i = 0; i < n; i++) {
			*q++ = (unsigned char)hex[cps[i] >> 12];
			*q++ = (unsigned char)hex[(cps[i] >> 8) & 15];
			*q++ = (unsigned char)hex[(cps[i] >> 4) & 15];
			*q++ = (unsigned char)hex[cps[i] & 15];
		}
		*q++ = '>';
	}
	memcpy(q, "Tj\n", 3);
	q += 3;
	o->len = (size_t)(q - o->p);
}

/* Draws a text box: one run per face, each placed where the layout's
 * measure puts it (the widths libharu writes into /W are the same). */
static void
draw_text(struct wctx *c, const struct lay_box *bx)
{
	uint16_t codes[256];
	const unsigned char *s = (const unsigned char *)bx->text;
	struct fnt_face *cur = NULL;
	long adv = 0, run_adv = 0;      /* 1/1000 em: before the run, in it */
	size_t nchars = 0, n = 0;
	double ar = bx->angle != 0 ? bx->angle * M_PI / 180 : 0;
	begin_text(c);
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
			set_text_state(c, cur, bx);
			double d = (double)adv * bx->size / 1000.0 +
			    (double)nchars * bx->char_space;
			if (bx->angle != 0)
				text_pos(c, bx->x + d * cos(ar),
				    bx->y + d * sin(ar), bx->angle);
			else
				text_pos(c, bx->x + d, bx->y, 0);
			show_codes(c, codes, n);
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

static void
draw_rule(struct wctx *c, const struct lay_box *bx)
{
	end_text(c);
	set_stroke(c, bx->gray, bx->line_width, bx->dash);
	cb_real(c->out, bx->x, POS_DEC);
	CB_ADDS(c->out, " ");
	cb_real(c->out, bx->y, POS_DEC);
	CB_ADDS(c->out, " m ");
	cb_real(c->out, bx->x2, POS_DEC);
	CB_ADDS(c->out, " ");
	cb_real(c->out, bx->y2, POS_DEC);
	CB_ADDS(c->out, " l S\n");
}

/* A rectangle filled with gray (none if < 0), outlined in solid black
 * when line_width > 0. */
static void
draw_rect(struct wctx *c, const struct lay_box *bx)
{
	int fill = bx->gray >= 0, stroke = bx->line_width > 0;
	double x = fmin(bx->x, bx->x2), y = fmin(bx->y, bx->y2);
	if (!fill && !stroke)
		return;
	end_text(c);
	if (fill)
		set_gray_fill(c, bx->gray > 1 ? 1 : bx->gray);
	if (stroke)
		set_stroke(c, 0, bx->line_width, 0);
	cb_real(c->out, x, POS_DEC);
	CB_ADDS(c->out, " ");
	cb_real(c->out, y, POS_DEC);
	CB_ADDS(c->out, " ");
	cb_real(c->out, fabs(bx->x2 - bx->x), POS_DEC);
	CB_ADDS(c->out, " ");
	cb_real(c->out, fabs(bx->y2 - bx->y), POS_DEC);
	CB_ADDS(c->out, " re ");
	cb_op(c->out, fill && stroke ? "B\n" : fill ? "f\n" : "S\n");
}

/* A deflater: libharu's own deflate (the one it uses when saving) over
 * callback streams, from a byte range into a cbuf, so zongjie needs no
 * zlib of its own.  One per thread: its streams report errors into its
 * own error record, never into the document's. */
struct defl {
	const unsigned char *in;
	size_t len, rpos;
	struct cbuf *out;
	HPDF_Error_Rec err;
	HPDF_Stream src, dst;
};

static HPDF_STATUS
src_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct defl *d = st->attr;
	size_t left = d->len - d->rpos;
	if (*siz >= left) {
		memcpy(ptr, d->in + d->rpos, left);
		d->rpos = d->len;
		*siz = (HPDF_UINT)left;
		return HPDF_STREAM_EOF;
	}
	memcpy(ptr, d->in + d->rpos, *siz);
	d->rpos += *siz;
	return HPDF_OK;
}

static HPDF_STATUS
src_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct defl *d = st->attr;
	if (mode != HPDF_SEEK_SET || pos < 0 || (size_t)pos > d->len)
		return HPDF_INVALID_OPERATION;
	d->rpos = (size_t)pos;
	return HPDF_OK;
}

static HPDF_INT32
src_tell(HPDF_Stream st)
{
	return (HPDF_INT32)((struct defl *)st->attr)->rpos;
}

static HPDF_UINT32
src_size(HPDF_Stream st)
{
	return (HPDF_UINT32)((struct defl *)st->attr)->len;
}

static HPDF_STATUS
dst_write(HPDF_Stream st, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	cb_add(((struct defl *)st->attr)->out, (const char *)ptr, siz);
	return HPDF_OK;
}

/* Creates d's streams (in the thread that owns the document). */
static int
defl_init(struct wctx *c, struct defl *d)
{
	memset(d, 0, sizeof *d);
	d->src = HPDF_CallbackReader_New(c->pdf->mmgr, src_read, src_seek,
	    src_tell, src_size, d);
	d->dst = HPDF_CallbackWriter_New(c->pdf->mmgr, dst_write, d);
	if (d->src == NULL || d->dst == NULL)
		return hpdf_fail(c, HPDF_OK, "CallbackStream");
	d->src->error = &d->err;
	d->dst->error = &d->err;
	return 0;
}

static void
defl_free(struct defl *d)
{
	if (d->src != NULL)
		HPDF_Stream_Free(d->src);
	if (d->dst != NULL)
		HPDF_Stream_Free(d->dst);
	d->src = d->dst = NULL;
}

/* Appends in[0..len) deflated to out.  Safe in any one thread per d. */
static HPDF_STATUS
defl_run(struct defl *d, const void *in, size_t len, struct cbuf *out)
{
	d->in = in;
	d->len = len;
	d->rpos = 0;
	d->out = out;
	d->err.error_no = HPDF_OK;
	d->src->size = 0;
	d->dst->size = 0;
	HPDF_STATUS st = HPDF_Stream_WriteToStream(d->src, d->dst,
	    HPDF_STREAM_FILTER_FLATE_DECODE, NULL);
	return st != HPDF_OK ? st : d->err.error_no;
}

/* Writes "/Filter /FlateDecode" into a content stream's dictionary whose
 * data is already deflated (libharu writes it as is: filter NONE). */
static HPDF_STATUS
flate_entry(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Pages are drawn in batches; a worker thread deflates one batch while
 * the next is drawn (the deflating is most of the time of a long
 * document), then each page gets its deflated content stream. */
#define BATCH 64

struct batch {
	int first, n;                   /* pages first .. first + n - 1 */
	struct cbuf raw, z;             /* content streams, concatenated */
	size_t off[BATCH + 1], zoff[BATCH + 1];
	HPDF_STATUS rc;
};

struct worker {
	pthread_t th;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *todo, *busy;
	int quit;
	struct defl d;
};

static void
deflate_batch(struct defl *d, struct batch *b)
{
	b->z.len = 0;
	b->rc = HPDF_OK;
	for (int i = 0; i < b->n; i++) {
		b->zoff[i] = b->z.len;
		size_t len = b->off[i + 1] - b->off[i];
		if (len > 0 && b->rc == HPDF_OK)
			b->rc = defl_run(d, b->raw.p + b->off[i], len, &b->z);
	}
	b->zoff[b->n] = b->z.len;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->todo == NULL && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->todo == NULL)
			break;
		struct batch *b = w->todo;
		w->todo = NULL;
		w->busy = b;
		pthread_mutex_unlock(&w->mu);
		deflate_batch(&w->d, b);
		pthread_mutex_lock(&w->mu);
		w->busy = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
worker_wait(struct worker *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->todo != NULL || w->busy != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* Hands b to the worker (or deflates it here without one). */
static void
worker_post(struct worker *w, struct batch *b)
{
	if (!w->running) {
		deflate_batch(&w->d, b);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (w->todo != NULL || w->busy != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	w->todo = b;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static int
worker_start(struct wctx *c, struct worker *w)
{
	memset(w, 0, sizeof *w);
	if (defl_init(c, &w->d) != 0)
		return -1;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	/* without a thread, batches are deflated in this one */
	w->running = pthread_create(&w->th, NULL, worker_main, w) == 0;
	return 0;
}

static void
worker_stop(struct worker *w)
{
	if (w->running) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->th, NULL);
		w->running = 0;
	}
	if (w->d.src != NULL) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
	}
	defl_free(&w->d);
}

/* Gives each page of a deflated batch its content stream: the deflated
 * bytes in a memory stream of exactly that size (libharu would otherwise
 * keep every page's text in 4 KB blocks until the save, and deflate it
 * then). */
static int
attach_batch(struct wctx *c, struct batch *b)
{
	if (b->rc != HPDF_OK)
		return hpdf_fail(c, b->rc, "deflating a page");
	for (int i = 0; i < b->n; i++) {
		size_t zlen = b->zoff[i + 1] - b->zoff[i];
		if (zlen == 0)
			continue;       /* an empty page keeps libharu's stream */
		HPDF_PageAttr pa = (HPDF_PageAttr)c->pages[b->first - 1 +
		    i]->attr;
		HPDF_Dict contents = pa->contents;
		HPDF_Stream ms = HPDF_MemStream_New(c->pdf->mmgr,
		    (HPDF_UINT)zlen);
		if (ms == NULL)
			return hpdf_fail(c, HPDF_OK, "MemStream_New");
		HPDF_STATUS st = HPDF_Stream_Write(ms, b->z.p + b->zoff[i],
		    (HPDF_UINT)zlen);
		if (st != HPDF_OK || c->err != HPDF_OK) {
			HPDF_Stream_Free(ms);
			return hpdf_fail(c, st, "writing a page");
		}
		HPDF_Stream_Free(contents->stream);
		contents->stream = ms;
		pa->stream = ms;
		contents->filter = HPDF_STREAM_FILTER_NONE;
		contents->write_fn = flate_entry;
	}
	b->n = 0;
	return 0;
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
    int p)
{
	HPDF_Page page = HPDF_AddPage(c->pdf);
	if (page == NULL || c->err != HPDF_OK)
		return hpdf_fail(c, HPDF_OK, "AddPage");
	/* MediaBox and Resources are inherited from the page tree's root:
	 * libharu's own are a few kilobytes of objects per page */
	CHK(HPDF_Dict_RemoveElement(page, "MediaBox"), "MediaBox");
	CHK(HPDF_Dict_RemoveElement(page, "Resources"), "Resources");
	c->pages[p - 1] = page;
	/* the initial graphics state of a page */
	memset(&c->ps, 0, sizeof c->ps);
	c->ps.lw = 1;
	c->ps.mode = HPDF_FILL;
	c->ps.size = -1;
	c->in_text = 0;
	for (size_t r = 0; r < rs->n; r++) {
		for (; rs->cur[r] < rs->end[r] &&
		    run_box(lay, rs, rs->cur[r])->page == p; rs->cur[r]++) {
			const struct lay_box *bx = run_box(lay, rs, rs->cur[r]);
			if (bx->kind == LAY_BOX_TEXT && bx->text != NULL &&
			    *bx->text != '\0')
				draw_text(c, bx);
			else if (bx->kind == LAY_BOX_RULE)
				draw_rule(c, bx);
			else if (bx->kind == LAY_BOX_RECT)
				draw_rect(c, bx);
		}
	}
	end_text(c);
	return 0;
}

/* The page tree root's MediaBox and Resources (every font, named "F1",
 * "F2" ... by face), which all pages inherit. */
static int
page_root(struct wctx *c, const struct style *st)
{
	HPDF_MMgr mm = c->pdf->mmgr;
	HPDF_Dict root = c->pdf->root_pages;
	HPDF_Array box = HPDF_Array_New(mm);
	if (box == NULL)
		return hpdf_fail(c, HPDF_OK, "MediaBox");
	CHK(HPDF_Dict_Add(root, "MediaBox", box), "MediaBox");
	CHK(HPDF_Array_AddReal(box, 0), "MediaBox");
	CHK(HPDF_Array_AddReal(box, 0), "MediaBox");
	CHK(HPDF_Array_AddReal(box, (HPDF_REAL)st->page_w), "MediaBox");
	CHK(HPDF_Array_AddReal(box, (HPDF_REAL)st->page_h), "MediaBox");
	HPDF_Dict res = HPDF_Dict_New(mm);
	if (res == NULL)
		return hpdf_fail(c, HPDF_OK, "Resources");
	CHK(HPDF_Dict_Add(root, "Resources", res), "Resources");
	HPDF_Dict fonts = HPDF_Dict_New(mm);
	if (fonts == NULL)
		return hpdf_fail(c, HPDF_OK, "Resources");
	CHK(HPDF_Dict_Add(res, "Font", fonts), "Resources");
	for (size_t k = 0; k < c->nfaces; k++) {
		if (c->fonts[k] == NULL)
			continue;
		c->fname[k] = xasprintf("F%zu", k + 1);
		CHK(HPDF_Dict_Add(fonts, c->fname[k], c->fonts[k]),
		    "Resources");
	}
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
	struct worker w;
	struct batch *bt = xcalloc(2, sizeof *bt);
	int fill = 0, rc = worker_start(c, &w);
	for (int p = 1; p <= lay->npages && rc == 0; p++) {
		struct batch *b = &bt[fill];
		if (b->n == 0) {
			b->first = p;
			b->raw.len = 0;
		}
		b->off[b->n] = b->raw.len;
		c->out = &b->raw;
		rc = draw_page(c, lay, &rs, p);
		b->n++;
		if (rc == 0 && (b->n == BATCH || p == lay->npages)) {
			b->off[b->n] = b->raw.len;
			worker_wait(&w);
			if (bt[1 - fill].n > 0)
				rc = attach_batch(c, &bt[1 - fill]);
			worker_post(&w, b);
			fill = 1 - fill;
		}
		diag_progress("rendering page", p, lay->npages);
	}
	worker_wait(&w);
	if (rc == 0 && bt[1 - fill].n > 0)
		rc = attach_batch(c, &bt[1 - fill]);
	worker_stop(&w);
	for (int i = 0; i < 2; i++) {
		free(bt[i].raw.p);
		free(bt[i].z.p);
	}
	free(bt);
	free(rs.cur);
	free(rs.end);
	free(rs.idx);
	return rc;
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

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* numGlyphs of a font file that fnt_subset has checked. */
static unsigned
sfnt_num_glyphs(const unsigned char *d, size_t len)
{
	if (len < 12)
		return 0;
	unsigned nt = (unsigned)d[4] << 8 | d[5];
	for (unsigned i = 0; i < nt && 12 + (size_t)i * 16 + 16 <= len; i++) {
		const unsigned char *r = d + 12 + (size_t)i * 16;
		if (memcmp(r, "maxp", 4) != 0)
			continue;
		size_t off = (size_t)r[8] << 24 | (size_t)r[9] << 16 |
		    (size_t)r[10] << 8 | r[11];
		if (off + 6 > len)
			return 0;
		return (unsigned)d[off + 4] << 8 | d[off + 5];
	}
	return 0;
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
			struct defl d;
			struct cbuf z = { NULL, 0, 0, 0 };
			if (defl_init(c, &d) != 0) {
				defl_free(&d);
				free(data);
				free(plain);
				return -1;
			}
			if (defl_run(&d, plain, plainlen, &z) == HPDF_OK)
				c->floor[k] = z.len;
			defl_free(&d);
			free(z.p);
			free(plain);
		}
		c->nglyphs[k] = sfnt_num_glyphs(data, len);
		t1 = now_ms();
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
		HPDF_FontAttr fa = (HPDF_FontAttr)c->fonts[k]->attr;
		long emb = -1;
		HPDF_Dict desc = fa->fontdef->descriptor;
		HPDF_Dict ff = desc != NULL ? HPDF_Dict_GetItem(desc,
		    "FontFile2", HPDF_OCLASS_DICT) : NULL;
		HPDF_Number ln = ff != NULL ? HPDF_Dict_GetItem(ff, "Length",
		    HPDF_OCLASS_NUMBER) : NULL;
		if (ln != NULL)
			emb = (long)ln->value;
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
		if (c.tmp[k] != NULL)
			unlink(c.tmp[k]);
		free(c.tmp[k]);
		free(c.used[k]);
	}
	free(c.tmp);
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
