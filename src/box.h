/* Box: the positioned items layout produces and render draws, and the
 * measurer layout and charts set text with.
 *
 * The one header layout (layout*.c, para.c, table_layout.c, page.c) and
 * charts (chart*.c) share, so that neither includes the other's header.
 * Plain data and one callback table; no functions. */
#ifndef ZJ_BOX_H
#define ZJ_BOX_H

#include <stddef.h>

#include "style.h"

/* Measures text.  width returns the natural advance width in points of the
 * UTF-8 string s[0..n) set in role's font at size pt, without any extra
 * character spacing.  ink (may be NULL: punctuation is then assumed to
 * follow the GB convention, closing marks in the left half of the em,
 * opening marks in the right half) gives the horizontal extent of the
 * ink of code point cp's glyph in points from the glyph origin in *left
 * and *right, and returns 0; it returns -1 when the glyph is missing or
 * has no ink.  The layout squeezes and places punctuation by it.
 * cjk_latin is the gap, in em, that the text setter puts between a Han
 * character and an adjacent Latin letter or digit (0: none).  The font
 * measurers leave it 0; the measurer the layout hands to its stages and
 * to charts (layout.c) has the configured value, and its width of a
 * string includes those gaps and the kerning of adjacent marks, as the
 * string is drawn.  arg is passed through. */
struct lay_measure {
	double (*width)(void *arg, enum font_role role, double pt,
	    const char *s, size_t n);
	int (*ink)(void *arg, enum font_role role, double pt, unsigned cp,
	    double *left, double *right);
	void *arg;
	double cjk_latin;
};

enum lay_box_kind {
	LAY_BOX_TEXT,   /* text at (x, y) = start of baseline */
	LAY_BOX_RULE,   /* straight line from (x, y) to (x2, y2) */
	LAY_BOX_RECT    /* rectangle with corners (x, y) and (x2, y2) */
};

/* One positioned item.  Coordinates in points, origin bottom left. */
struct lay_box {
	int page;                   /* 1-based */
	unsigned char kind;         /* enum lay_box_kind */
	unsigned char role;         /* enum font_role */
	unsigned char run;          /* TEXT: 0 = starts a line; 1 = a further
	                               run of the line of the box before it
	                               (same baseline, its own x and
	                               char_space: mixed Han/Latin text) */
	double x, y;
	double char_space;          /* extra space after every character (Tc) */
	/* Sizes and secondary coordinates are floats: a 100,000-row table
	 * has millions of boxes (72 bytes each). */
	float size;                 /* font size, points */
	float x2, y2;               /* RULE end point, RECT opposite corner;
	                               TEXT of a body line: x2 = end of its
	                               advance (last glyph, no char_space) */
	float line_width;           /* RULE; RECT: black outline, 0 = none */
	float bold;                 /* fake-bold stroke width, 0 = none */
	float gray;                 /* RULE stroke / RECT fill: 0 black .. 1
	                               white; RECT < 0: no fill */
	float dash;                 /* RULE: dash and gap length, 0 = solid */
	float angle;                /* TEXT: degrees counter-clockwise about
	                               (x, y), 0 = upright */
	const char *text;           /* UTF-8, owned by the result (its text
	                               arena) */
};

/* Where a text box's text came from (struct lay_src, layout.h): the
 * byte offset of the box's text in its block's text
 * (doc_node.text), LAY_SRC_TEXT2 plus the offset in doc_node.text2 (the
 * date of a signature), LAY_SRC_CELL plus the cell index r * ncols + c of
 * a table's body cell, or LAY_SRC_NONE (anything else: page numbers,
 * table headers and titles, charts). */
#define LAY_SRC_TEXT2   0x40000000u
#define LAY_SRC_CELL    0x80000000u
#define LAY_SRC_NONE    0xFFFFFFFFu

#endif
