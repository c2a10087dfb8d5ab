/* PDF content-stream writer (see pdf_content.h). */
#include "pdf_content.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Positions are written in 1/1000 pt. */
#define POS_DEC 3

void
pc_buf_need(struct pc_buf *b, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap < 4096 ? 4096 : b->cap;
		while (cap < b->len + n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
}

void
pc_buf_add(struct pc_buf *b, const void *s, size_t n)
{
	pc_buf_need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

void
pc_buf_free(struct pc_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

#define ADDS(pc, lit) pc_buf_add((pc)->out, (lit), sizeof(lit) - 1)

/* Appends v / 10^dec in the shortest decimal form ("12", "-0.5",
 * "79.37"); v is an integer count of 10^-dec units. */
static void
add_fix(struct pc_buf *b, long long v, int dec)
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
	pc_buf_add(b, q, (size_t)(e - q));
}

static const double pow10_tab[] = { 1, 10, 100, 1000, 10000, 100000 };

static long long
fixed(double v, int dec)
{
	return llround(v * pow10_tab[dec]);
}

static void
add_real(struct pc_buf *b, double v, int dec)
{
	add_fix(b, fixed(v, dec), dec);
}

void
pc_page_begin(struct pdf_content *pc, struct pc_buf *out)
{
	pc->out = out;
	memset(&pc->ps, 0, sizeof pc->ps);
	pc->ps.lw = 1;
	pc->ps.mode = PC_FILL;
	pc->ps.size = -1;
	pc->in_text = 0;
}

static void
end_text(struct pdf_content *pc)
{
	if (pc->in_text) {
		ADDS(pc, "ET\n");
		pc->in_text = 0;
	}
}

void
pc_page_end(struct pdf_content *pc)
{
	end_text(pc);
}

void
pc_begin_text(struct pdf_content *pc)
{
	if (!pc->in_text) {
		ADDS(pc, "BT\n");
		pc->in_text = 1;
		pc->tm_ok = 1;          /* BT: identity text matrix */
		pc->lx = 0;
		pc->ly = 0;
	}
}

static void
set_gray_fill(struct pdf_content *pc, double g)
{
	if (pc->ps.fill != g) {
		add_real(pc->out, g, 3);
		ADDS(pc, " g\n");
		pc->ps.fill = g;
	}
}

static void
set_line_width(struct pdf_content *pc, double lw)
{
	if (pc->ps.lw != lw) {
		add_real(pc->out, lw, 3);
		ADDS(pc, " w\n");
		pc->ps.lw = lw;
	}
}

static void
set_stroke(struct pdf_content *pc, double g, double lw, double dash)
{
	if (pc->ps.stroke != g) {
		add_real(pc->out, g, 3);
		ADDS(pc, " G\n");
		pc->ps.stroke = g;
	}
	set_line_width(pc, lw);
	if (pc->ps.dash != dash) {
		if (dash > 0) {
			long d = dash < 1 ? 1 : dash > 100 ? 100 : lround(dash);
			ADDS(pc, "[");
			add_fix(pc->out, d, 0);
			ADDS(pc, " ");
			add_fix(pc->out, d, 0);
			ADDS(pc, "] 0 d\n");
		} else
			ADDS(pc, "[] 0 d\n");
		pc->ps.dash = dash;
	}
}

void
pc_text_state(struct pdf_content *pc, const void *font, const char *res,
    double size, double bold, double cs)
{
	int mode = bold > 0 ? PC_FILL_THEN_STROKE : PC_FILL;
	set_gray_fill(pc, 0);
	if (bold > 0)
		set_stroke(pc, 0, bold * size, pc->ps.dash);
	if (pc->ps.mode != mode) {
		add_fix(pc->out, mode, 0);
		ADDS(pc, " Tr\n");
		pc->ps.mode = mode;
	}
	if (pc->ps.font != font || pc->ps.size != size) {
		ADDS(pc, "/");
		pc_buf_add(pc->out, res, strlen(res));
		ADDS(pc, " ");
		add_real(pc->out, size, 3);
		ADDS(pc, " Tf\n");
		pc->ps.font = font;
		pc->ps.size = size;
	}
	if (pc->ps.cs != cs) {
		add_real(pc->out, cs, 5);
		ADDS(pc, " Tc\n");
		pc->ps.cs = cs;
	}
}

void
pc_text_pos(struct pdf_content *pc, double x, double y, double angle)
{
	long long X = fixed(x, POS_DEC), Y = fixed(y, POS_DEC);
	if (angle != 0) {
		double r = angle * M_PI / 180;
		add_real(pc->out, cos(r), 5);
		ADDS(pc, " ");
		add_real(pc->out, sin(r), 5);
		ADDS(pc, " ");
		add_real(pc->out, -sin(r), 5);
		ADDS(pc, " ");
		add_real(pc->out, cos(r), 5);
		ADDS(pc, " ");
		add_fix(pc->out, X, POS_DEC);
		ADDS(pc, " ");
		add_fix(pc->out, Y, POS_DEC);
		ADDS(pc, " Tm\n");
		pc->tm_ok = 0;
		return;
	}
	if (pc->tm_ok) {
		add_fix(pc->out, X - pc->lx, POS_DEC);
		ADDS(pc, " ");
		add_fix(pc->out, Y - pc->ly, POS_DEC);
		ADDS(pc, " Td\n");
	} else {
		ADDS(pc, "1 0 0 1 ");
		add_fix(pc->out, X, POS_DEC);
		ADDS(pc, " ");
		add_fix(pc->out, Y, POS_DEC);
		ADDS(pc, " Tm\n");
		pc->tm_ok = 1;
	}
	pc->lx = (long)X;
	pc->ly = (long)Y;
}

/* Byte i of the big-endian codes: high byte first. */
static unsigned
code_byte(const uint16_t *codes, size_t i)
{
	return i & 1 ? codes[i / 2] & 0xffu : (unsigned)codes[i / 2] >> 8;
}

void
pc_show_codes(struct pdf_content *pc, const uint16_t *codes, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t lit = 0;
	for (size_t i = 0; i < 2 * n; i++) {
		unsigned b = code_byte(codes, i);
		lit += b < 0x20 || b == 0x7f ? 4 : b == '(' || b == ')' ||
		    b == '\\' ? 2 : 1;
	}
	struct pc_buf *o = pc->out;
	pc_buf_need(o, (lit < 4 * n ? lit : 4 * n) + 8);
	unsigned char *q = o->p + o->len;
	if (lit < 4 * n) {
		*q++ = '(';
		for (size_t i = 0; i < 2 * n; i++) {
			unsigned b = code_byte(codes, i);
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
			*q++ = (unsigned char)hex[codes[i] >> 12];
			*q++ = (unsigned char)hex[(codes[i] >> 8) & 15];
			*q++ = (unsigned char)hex[(codes[i] >> 4) & 15];
			*q++ = (unsigned char)hex[codes[i] & 15];
		}
		*q++ = '>';
	}
	memcpy(q, "Tj\n", 3);
	q += 3;
	o->len = (size_t)(q - o->p);
}

void
pc_line(struct pdf_content *pc, double x, double y, double x2, double y2,
    double gray, double lw, double dash)
{
	end_text(pc);
	set_stroke(pc, gray, lw, dash);
	add_real(pc->out, x, POS_DEC);
	ADDS(pc, " ");
	add_real(pc->out, y, POS_DEC);
	ADDS(pc, " m ");
	add_real(pc->out, x2, POS_DEC);
	ADDS(pc, " ");
	add_real(pc->out, y2, POS_DEC);
	ADDS(pc, " l S\n");
}

void
pc_rect(struct pdf_content *pc, double x1, double y1, double x2, double y2,
    double gray, double lw)
{
	int fill = gray >= 0, stroke = lw > 0;
	double x = fmin(x1, x2), y = fmin(y1, y2);
	if (!fill && !stroke)
		return;
	end_text(pc);
	if (fill)
		set_gray_fill(pc, gray > 1 ? 1 : gray);
	if (stroke)
		set_stroke(pc, 0, lw, 0);
	add_real(pc->out, x, POS_DEC);
	ADDS(pc, " ");
	add_real(pc->out, y, POS_DEC);
	ADDS(pc, " ");
	add_real(pc->out, fabs(x2 - x1), POS_DEC);
	ADDS(pc, " ");
	add_real(pc->out, fabs(y2 - y1), POS_DEC);
	ADDS(pc, " re ");
	if (fill && stroke)
		ADDS(pc, "B\n");
	else if (fill)
		ADDS(pc, "f\n");
	else
		ADDS(pc, "S\n");
}
