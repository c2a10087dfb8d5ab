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
#include <stdint.h>
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
struct lay_store;

/* A PDF text annotation of the review copy (--review): a note on a
 * rectangle of a page. */
struct lay_note {
	int page;
	double x0, y0, x1, y1;      /* points, origin bottom left */
	char *text;                 /* UTF-8, owned by the result */
};

struct lay_result {
	struct lay_arena *arena;    /* holds every box's text; private */
	size_t nboxes;
	/* boxes[0 .. nboxes - base): boxes base .. nboxes - 1.  base is 0
	 * after lay_run (every box is here) and nboxes after lay_stream
	 * (every box is on disk: read them with lay_page; boxes added
	 * later, lay_review_mark's, are here). */
	size_t base;
	struct lay_box *boxes;
	struct lay_store *store;    /* lay_stream's boxes, lay_page's index;
	                               private */
	size_t nmarks;
	struct lay_mark *marks;
	int npages;
	/* The boxes of doc node i are boxes node_first[i] .. node_end[i] - 1
	 * (none for a node that draws nothing); nnodes is the doc's n. */
	size_t nnodes;
	size_t *node_first, *node_end;
	/* The source (LAY_SRC_*, box.h) of each text box that shows text
	 * of a block or a computed table cell, in box order; other boxes
	 * have none.  Kept beside the boxes, not in them: a large table has
	 * millions of boxes. */
	size_t nsrcs;
	struct lay_src {
		size_t box;
		unsigned int src;
	} *srcs;
	size_t nnotes;              /* 0 unless lay_review_mark added them */
	struct lay_note *notes;
};

/* A rectangle on a page, points. */
struct lay_rect {
	int page;
	double x0, y0, x1, y1;
};

/* Lays out the blocks of doc (evaluated: tables and charts filled) with
 * the given style; doc is only read.  Returns a new result (free
 * with lay_free), or NULL after reporting through diag (e.g. a word wider
 * than the measure is not an error: it is split by characters; only
 * impossible geometry is). */
struct lay_result *lay_run(const struct doc *doc, const struct style *st,
    const struct lay_measure *m);
void lay_free(struct lay_result *r);

/* lay_run for a document of any size: the same layout, but the boxes go
 * to an unlinked temporary file as pages fill (memory holds the boxes of
 * about a page and the marks), and come back one page at a time through
 * lay_page.  The result has no boxes array (base == nboxes): its node
 * ranges and srcs (a big block, bigmem.h) index the boxes on disk, which
 * lay_locate_*, lay_node_top and lay_node_page read back there (boxes as
 * laid out, before the text setter splits any into runs).  Boxes added
 * after it (lay_review_mark) are kept in memory, after the layout's (not
 * for --dump-layout).  doc may be freed after (locating takes node
 * indices and byte offsets); st and m are borrowed until lay_free.  Returns NULL after
 * reporting (EXIT_OUTPUT when the temporary file cannot be written). */
struct lay_result *lay_stream(const struct doc *doc, const struct style *st,
    const struct lay_measure *m);

/* The boxes of page (1 .. r->npages) in layout order, in *boxes[0..*n),
 * valid until the next call or lay_free.  For a lay_stream result, raw
 * set gives them before the text setter splits boxes into runs (the same
 * characters: enough to know which glyphs are drawn, and cheaper); a
 * lay_run result is set already.  Returns 0, or -1 after reporting (the
 * temporary file cannot be read; a box on no page). */
int lay_page(struct lay_result *r, int page, int raw,
    const struct lay_box **boxes, size_t *n);
/* Code points: 0 .. LAY_NCP - 1. */
#define LAY_NCP 0x110000
/* The characters of a lay_stream result, read from disk once when the
 * layout ended (so no pass over the pages is needed to know the glyphs):
 * *set is a LAY_NCP-bit map (bit cp & 7 of byte cp >> 3) of the code
 * points the text boxes of role (enum font_role) show, NULL when they
 * show none; *badpage is the lowest page with a text that is not valid
 * UTF-8, 0 when none.
 * Both are owned by r.  Returns 1, or 0 (*set NULL, *badpage 0) for a
 * lay_run result: read its boxes with lay_page. */
int lay_chars(const struct lay_result *r, unsigned role, const uint8_t **set,
    int *badpage);
/* Frees the page index lay_page builds for a lay_run result (a
 * lay_stream result keeps its own until lay_free): call it after a pass
 * over the pages, so that the result's boxes may change before the next
 * and a caller's own lay_result (tests) owns nothing new. */
void lay_page_done(struct lay_result *r);

/* An index of the table cells each node of r drew, for lay_locate_cell:
 * a node's part is built on its first lookup, from the node's srcs
 * entries that show a cell (sorted by cell, in big blocks), so locating
 * every cell of a table costs O(n log n) in its computed cells, not a
 * scan of its boxes per cell, and memory in those cells, not in the
 * table's size.  Borrows r, which must
 * outlive it with its srcs unchanged (lay_review_mark adds boxes after
 * the last one: that is fine).  Never fails (allocation failure exits);
 * free with lay_cells_free (NULL is fine). */
struct lay_cells;
struct lay_cells *lay_cells_index(const struct lay_result *r);
void lay_cells_free(struct lay_cells *ix);

/* Where a figure was drawn (layout_locate.c).  Each fills out[0..max)
 * and returns how many rectangles it found (0: not drawn).
 * lay_locate_text: bytes [from, to) of node's text (text2 when text2 is
 * set), one rectangle per line the range is on, from the line's boxes
 * measured with m.  lay_locate_cell: table node's body cell (r * ncols +
 * c), one rectangle per line of it, looked up in ix (made for r).
 * lay_locate_text_box: the node's first text box whose text is s (a
 * chart's legend entry). */
size_t lay_locate_text(const struct lay_result *r,
    const struct lay_measure *m, size_t node, int text2, size_t from,
    size_t to, struct lay_rect *out, size_t max);
size_t lay_locate_cell(const struct lay_result *r, struct lay_cells *ix,
    const struct lay_measure *m, size_t node, size_t cell,
    struct lay_rect *out, size_t max);
size_t lay_locate_text_box(const struct lay_result *r,
    const struct lay_measure *m, size_t node, const char *s,
    struct lay_rect *out, size_t max);

/* The page of node's first box; 0 when node drew nothing. */
int lay_node_page(const struct lay_result *r, size_t node);

/* 1 when reading r's boxes back from disk failed (it was reported, exit
 * EXIT_OUTPUT): what lay_locate_*, lay_node_top and lay_node_page
 * returned since may be wrong.  0 for a lay_run result. */
int lay_read_failed(const struct lay_result *r);

/* The top (points, the highest y) of what node drew itself on page: its
 * boxes there, not those of a chart or table that floated into its
 * range (set at the top of a page while the node was being laid out).
 * Returns 1 and sets *top, or 0 when node drew nothing of its own on
 * page.  For ordering figures by where a reader meets them. */
int lay_node_top(const struct lay_result *r, size_t node, int page,
    double *top);

/* Marks one figure of the review copy: an underline under each of
 * rects[0..n), its number over the start of the first (small
 * seven-segment digits drawn with rules: the text stays as it is), and a
 * note
 * (a PDF text annotation) with text (copied) on the first: boxes added
 * after the last, drawn after the other boxes of their page.  n == 0
 * does nothing. */
void lay_review_mark(struct lay_result *r, const struct lay_measure *m,
    const struct lay_rect *rects, size_t n, int number, const char *text);
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
