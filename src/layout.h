/* Layout: from the document tree (doc.h) to positioned boxes on pages.
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
#include "doc.h"
#include "style.h"

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

/* Lays out the blocks of doc (evaluated: tables and charts filled) with
 * the given style; doc is only read.  Returns a new result (free
 * with lay_free), or NULL after reporting through diag (e.g. a word wider
 * than the measure is not an error: it is split by characters; only
 * impossible geometry is). */
struct lay_result *lay_run(const struct doc *doc, const struct style *st,
    const struct lay_measure *m);
void lay_free(struct lay_result *r);

/* The column widths (points, colw[0..ncols)) lay_table gives t with this
 * style and measurer: the content-based auto-fit, fixed and limited
 * widths applied, the whole spanning the block width.  For the DOCX
 * writer's tables.  t->ncols == 0 writes nothing. */
void lay_table_widths(const struct doc_table *t, const struct style *st,
    const struct lay_measure *m, double *colw);

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
