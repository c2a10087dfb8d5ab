/* PDF content-stream writer: the operators of one page's content stream,
 * as text in a growable byte buffer (no libharu, no fonts).
 *
 * Contract: a struct pdf_content remembers the graphics and text state it
 * has written (font, size, fill and stroke gray, line width, dash, text
 * rendering mode, character spacing, text matrix) and writes an operator
 * only when the value changes, so the stream is as short as the drawing
 * allows.  Numbers are written in the shortest decimal form at a fixed
 * precision (positions to 1/1000 pt), so the bytes are a function of the
 * drawing only.  Nothing here fails: the buffer grows with xrealloc, which
 * exits on exhaustion.  The caller owns the buffer. */
#ifndef ZJ_PDF_CONTENT_H
#define ZJ_PDF_CONTENT_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer (no NUL terminator).  Zero-initialise; release
 * with pc_buf_free. */
struct pc_buf {
	unsigned char *p;
	size_t len, cap;
};

/* Makes room for n more bytes at p + len. */
void pc_buf_need(struct pc_buf *b, size_t n);
/* Appends s[0..n). */
void pc_buf_add(struct pc_buf *b, const void *s, size_t n);
void pc_buf_free(struct pc_buf *b);

/* Text rendering modes (PDF Tr operand). */
enum { PC_FILL = 0, PC_FILL_THEN_STROKE = 2 };

/* What is set in a page's graphics state, to skip repeats. */
struct pc_state {
	const void *font;       /* identity of the current font, or NULL */
	double size, cs, lw;
	int mode;
	double fill, stroke;    /* gray levels, 0 = black */
	double dash;            /* dash length, 0 = solid */
};

struct pdf_content {
	struct pc_buf *out;     /* where operators go (borrowed) */
	struct pc_state ps;
	int in_text;            /* between BT and ET */
	int tm_ok;              /* text line matrix is a translation to */
	long lx, ly;            /* (lx, ly), in 1/1000 pt */
};

/* Starts a page: operators go to out (appended), the state is a page's
 * initial graphics state. */
void pc_page_begin(struct pdf_content *pc, struct pc_buf *out);
/* Ends a page: closes an open text object. */
void pc_page_end(struct pdf_content *pc);

/* Opens a text object (BT) unless one is open. */
void pc_begin_text(struct pdf_content *pc);

/* Sets black fill, the font (font: identity for comparison; res: its
 * resource name, "F1") at size pt, character spacing cs, and fill or
 * fill-then-stroke with a stroke width of bold * size when bold > 0. */
void pc_text_state(struct pdf_content *pc, const void *font,
    const char *res, double size, double bold, double cs);

/* Moves the text line matrix to (x, y), rotated by angle degrees
 * counter-clockwise: a relative Td when the matrix is a translation. */
void pc_text_pos(struct pdf_content *pc, double x, double y, double angle);

/* Shows the n 2-byte codes codes[0..n) (Tj): a literal string when that
 * is shorter, else hex. */
void pc_show_codes(struct pdf_content *pc, const uint16_t *codes, size_t n);

/* A straight line from (x, y) to (x2, y2) stroked in gray at width lw,
 * dashed with dash-length dashes when dash > 0. */
void pc_line(struct pdf_content *pc, double x, double y, double x2,
    double y2, double gray, double lw, double dash);

/* The rectangle with corners (x, y) and (x2, y2): filled with gray
 * (clamped to 1; none if gray < 0), outlined in solid black when lw > 0;
 * nothing when neither. */
void pc_rect(struct pdf_content *pc, double x, double y, double x2,
    double y2, double gray, double lw);

#endif
