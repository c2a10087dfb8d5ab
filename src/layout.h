/* Layout: from blocks of text to positioned boxes on pages.
 *
 * Breaks lines (libunibreak + the clreq rules), justifies, paginates,
 * lays out tables, charts' frames and page numbers.  Compiles without
 * hpdf.h: all text is measured through struct lay_measure (box.h), so
 * tests use a fake fixed-width measurer.  The result is a flat list of
 * boxes (box.h) that render only draws and --dump-layout prints.
 *
 * The stage's files: layout.c (the driver: lay_run, one block at a time,
 * boxes, the fake measurer), linebreak.c (clreq + libunibreak: where a
 * line may break; greedy and balanced breaking), para.c (paragraph and
 * centred lines on the grid, justification, the signature),
 * table_layout.c (tables: widths, rows, 续表), page.c (the grid cursor,
 * snapshots, keep rules, page numbers), layout_dump.c (--dump-layout);
 * layout_int.h is their private header.  Charts are chart*.c. */
#ifndef ZJ_LAYOUT_H
#define ZJ_LAYOUT_H

#include <stddef.h>
#include <stdio.h>

#include "box.h"
#include "chart.h"
#include "style.h"

/* A table to lay out.  All pointers are borrowed until lay_run returns.
 * cells is row-major, nrows * ncols entries; a NULL cell is printed as
 * missing (the style's placeholder, "—"). */
struct lay_table {
	const char *title;          /* centred above; NULL = none */
	const char *unit;           /* "单位：亿元", right-aligned; NULL = none */
	const char *continued;      /* label over a continued part: "续表" */
	const char *empty_text;     /* printed instead when nrows == 0 */
	const char *missing;        /* text for NULL cells: "—" */
	size_t ncols;
	const char *const *headers; /* ncols */
	const enum align *aligns;   /* ncols */
	const double *widths;       /* ncols, points; 0 = automatic */
	const double *min_widths;   /* ncols or NULL: automatic columns' */
	const double *max_widths;   /*   limits in points, 0 = none */
	size_t nrows;
	const char *const *cells;   /* nrows * ncols */
	const int *row_bold;        /* nrows or NULL: 1 = total/subtotal row */
};

enum lay_block_kind {
	LAY_TITLE,      /* document title, title role, centred, balanced */
	LAY_SUBTITLE,   /* centred line under the title (subheading role) */
	LAY_HEADING,    /* level 1-4; text includes its number (一、…) */
	LAY_PARA,       /* paragraph, first-line indent */
	LAY_TABLE,
	LAY_SIGNATURE,  /* text = 署名, text2 = 成文日期; right side */
	LAY_PAGEBREAK,
	LAY_CHART       /* chart: its title on the grid, then height_lines
	                   body slots (default 12), moved whole to the next
	                   page if it does not fit */
};

struct lay_block {
	enum lay_block_kind kind;
	int level;                  /* LAY_HEADING: 1-4 */
	const char *text;           /* UTF-8, borrowed */
	const char *text2;          /* LAY_SIGNATURE date */
	const struct lay_table *table;
	const struct lay_chart *chart;  /* LAY_CHART */
};

/* A bookmark for a level 1 or 2 heading. */
struct lay_mark {
	int page;
	double y;                   /* top of the heading line */
	int level;
	char *title;                /* owned by the result */
};

struct lay_arena;

struct lay_result {
	struct lay_arena *arena;    /* holds every box's text; private */
	size_t nboxes;
	struct lay_box *boxes;
	size_t nmarks;
	struct lay_mark *marks;
	int npages;
};

/* Lays out blocks[0..n) with the given style.  Returns a new result (free
 * with lay_free), or NULL after reporting through diag (e.g. a word wider
 * than the measure is not an error: it is split by characters; only
 * impossible geometry is). */
struct lay_result *lay_run(const struct lay_block *blocks, size_t n,
    const struct style *st, const struct lay_measure *m);
void lay_free(struct lay_result *r);

/* Copies s[0..n) into r's text arena and returns the NUL-terminated copy,
 * valid until lay_free(r).  Chart code and layout use it for box text, so
 * a large table costs no allocation per cell. */
const char *lay_text(struct lay_result *r, const char *s, size_t n);

/* Writes the layout as text, one box per line:
 *   PAGE X Y ROLE SIZE TEXT       (text boxes; numbers with 2 decimals)
 *   a line of several runs prints as one such line with the whole text,
 *   then  PAGE runs X CS TEXT | X CS TEXT | ... end XEND
 *   (each run's x, char_space and text; the end of the last run)
 *   PAGE rot ANGLE X Y ROLE SIZE TEXT      (rotated text boxes)
 *   PAGE rule X Y X2 Y2 WIDTH [gray G] [dash D]   (when not 0)
 *   PAGE rect X Y X2 Y2 GRAY WIDTH
 * then one "mark PAGE LEVEL TITLE" line per bookmark.  Stable for golden
 * tests. */
void lay_dump(const struct lay_result *r, FILE *fp);

/* A measurer for tests and --fake-metrics: every non-ASCII character is
 * 1 em wide, every ASCII character ½ em, whatever the role.  Static;
 * never freed. */
const struct lay_measure *lay_fake_measure(void);

/* Role names used in dumps and config keys: "title", "body", … */
const char *lay_role_name(enum font_role role);

#endif
