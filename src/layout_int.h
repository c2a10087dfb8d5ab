/* Layout internals: the state and helpers the layout files share
 * (layout.c, para.c, table_layout.c, page.c).  Not for other stages.
 *
 * Vertical model: the text block (版心) is divided into lines_per_page
 * equal slots; body text, headings, titles and signatures sit on those
 * slots.  Tables are laid out off the grid in points; after a table the
 * grid resumes at the next free slot.  The layout state keeps one cursor,
 * yoff: the distance from the top of the block to the top of the free
 * space on the current page.
 *
 * Horizontal model: a character cell is block_w / chars_per_line; body
 * Han-class glyphs are tracked by (cell - em) so that chars_per_line
 * full-width characters fill the measure. */
#ifndef ZJ_LAYOUT_INT_H
#define ZJ_LAYOUT_INT_H

#include "layout.h"
#include "linebreak.h"

/* A restore point for the keep rules. */
struct snap {
	size_t nboxes, nmarks;
	int page;
	double yoff;
	const struct doc_node *pending;
};

/* The layout state of one lay_run.  r is the result being built (owned
 * by the caller of lay_run once it returns); tx and lv are scratch
 * buffers reused by every block (a block's lines are valid until the
 * next block loads text). */
struct lay {
	const struct style *st;
	const struct lay_measure *m;        /* &mw: what layout and charts
	                                       measure with */
	const struct lay_measure *fm;       /* the fonts' (lay_run's m) */
	struct lay_measure mw;              /* fm as the text setter sets
	                                       strings: kerned marks and
	                                       Han-Latin gaps (cjk_latin) */
	struct lay_result *r;
	size_t boxcap, markcap;
	int page;
	double yoff;
	/* Derived geometry. */
	double top, left, right, pitch, cell, track;
	int lpp;
	struct text tx;             /* scratch, reused */
	struct linevec lv;          /* scratch, reused */
	/* Floats: a chart, or a table that fits on one page, that does not
	 * fit the rest of the current page waits in pending (borrowed from
	 * the doc) while text goes on filling the page; new_page sets it at
	 * the top of the next page (placing is set meanwhile, with ftx/flv
	 * swapped in for tx/lv so that a paragraph broken by the page keeps
	 * its lines). */
	const struct doc_node *pending;
	int placing;
	int failed;                 /* a located error was reported */
	struct text ftx;
	struct linevec flv;
	struct text mx;             /* scratch of the measurer mw */
	struct text sx;             /* scratch of set_boxes */
	/* Provenance of text boxes (lay_box.src): the doc's nodes, and the
	 * texts of the block being laid out (NULL = none), whose bytes
	 * text_box recognises by address. */
	const struct doc_node *nodes;
	/* lay_stream: where boxes go (layout_stream.c); NULL in lay_run. */
	struct lay_store *sp;
	size_t srccap;
	const char *src1, *src2;
	size_t src1n, src2n;
};

/* How a run of grid lines may be split across pages: SPLIT_PARA fills
 * every slot (no widow/orphan rule), SPLIT_KEEP keeps the lines on one page. */
enum split { SPLIT_PARA, SPLIT_KEEP };

/* ---- layout.c: boxes and blocks ---- */

/* Natural width of s[0..n) as set (0 when n == 0): the font widths with
 * adjacent marks kerned and Han-Latin gaps (the text boxes made of s get
 * the same spacing, see lay_run). */
double measure(struct lay *L, enum font_role role, double pt, const char *s,
    size_t n);
/* Appends a zeroed box on the current page; valid until the next box. */
struct lay_box *box_new(struct lay *L);
/* A text box of s[0..n) (copied); NULL and no box when n == 0. */
struct lay_box *text_box(struct lay *L, enum font_role role, double size,
    double x, double y, double cs, double bold, const char *s, size_t n);
/* Records that box (an index into L->r->boxes) shows src (LAY_SRC_*);
 * LAY_SRC_NONE records nothing. */
void set_src(struct lay *L, size_t box, unsigned int src);
void rule_box(struct lay *L, double x, double y, double x2, double y2,
    double w);
/* A bookmark on the current page (title copied). */
void add_mark(struct lay *L, int level, double y, const char *title);
/* Lays out one block.  push_last > 0 (paragraphs only) forces the last
 * push_last lines onto a new page. */
void lay_one(struct lay *L, const struct doc_node *b, long push_last);

/* The text setter (layout.c): needs_runs returns 1 if text box b must be
 * set as runs (its text has a spacing change), with its text measured in
 * L->sx; push_runs appends those runs to *v (*n boxes, capacity *cap),
 * their texts in L->r's arena. */
int needs_runs(struct lay *L, const struct lay_box *b);
void push_runs(struct lay *L, struct lay_box **v, size_t *n, size_t *cap,
    const struct lay_box *b, const struct text *tx);
/* Empties the result's text arena (keeping one chunk). */
void lay_arena_reset(struct lay_result *r);

/* ---- layout_stream.c: boxes on disk (lay_stream) ---- */

/* Box i of the layout (i < r->nboxes), wherever it is: a copy; the text
 * of a box already on disk is NULL.  Layout code reads boxes made
 * before the last lay_flush through this only. */
struct lay_box lbox(const struct lay *L, size_t i);
/* lay_stream: moves the boxes in memory to disk and empties the text
 * arena when there are enough of them (or any, with force).  Only where
 * no box or arena text is held: between blocks, between table rows.
 * Nothing in lay_run. */
void lay_flush(struct lay *L, int force);
/* rollback's part: drops the boxes from index n on (n < r->base). */
void lay_unspool(struct lay *L, size_t n);
/* The spool of lay_stream, its end (the last boxes out, the page index
 * built; returns 0 or -1 after reporting), and the highest page of the
 * boxes on disk. */
int store_begin(struct lay *L);
int store_end(struct lay *L);
int store_maxpage(const struct lay *L);
/* Frees r->store (NULL is fine) and sets it NULL. */
void store_free(struct lay_result *r);

/* ---- layout_stream.c: reading a finished result (layout_locate.c) ---- */

/* 1 when r is a lay_stream result (its boxes below r->base on disk). */
int lay_streamed(const struct lay_result *r);
/* Box i of r (i < r->nboxes), wherever it is.  For a box on disk: a
 * copy, valid until the next call, with its text (NUL-terminated) only
 * when text is set (else text NULL); a zeroed box (page 0) when the
 * spool cannot be read (reported; lay_read_failed).  Otherwise the box
 * in r->boxes. */
const struct lay_box *lay_box_at(const struct lay_result *r, size_t i,
    int text);
/* For a streamed r: the first box of [lo, hi) on page, from the page
 * index; hi when none is.  Boxes of one page that [lo, hi) holds are
 * consecutive runs in box order, so this is lay_run's binary search by
 * page where pages rise through [lo, hi). */
size_t store_first_on_page(const struct lay_result *r, size_t lo, size_t hi,
    int page);

/* ---- page.c: the grid cursor, snapshots, keep rules ---- */

/* Starts a new page; a pending float is set at its top first. */
void new_page(struct lay *L);
/* Sets a pending float, if any, at the top of a new page. */
void flush_float(struct lay *L);
struct snap take_snap(const struct lay *L);
/* Drops every box and mark made after s and restores the cursor. */
void rollback(struct lay *L, const struct snap *s);
/* The first free grid slot (may be >= lpp: the page is full). */
int cur_slot(const struct lay *L);
/* Returns the first free slot, starting a new page if this one is full. */
int need_slot(struct lay *L);
/* Baseline of slot k for type of the given size. */
double slot_baseline(const struct lay *L, int k, double size);
/* Lays out block i and those that must be kept with it; returns the index
 * of the next block to lay out. */
size_t lay_seq(struct lay *L, const struct doc_node *b, size_t n,
    size_t i);
/* Adds the page numbers of pages 1..npages. */
void page_numbers(struct lay *L);

/* ---- para.c: lines on the grid ---- */

/* An indented, justified paragraph (or heading) on the grid; the last
 * push_last_from_end lines (> 0) go to a new page; mark_level > 0 adds a
 * bookmark. */
void lay_para(struct lay *L, const char *s, enum font_role role,
    enum split sp, long push_last_from_end, int mark_level);
/* Centred, balanced lines on the grid kept on one page (titles). */
void lay_centred(struct lay *L, const char *s, enum font_role role,
    double size, double bold);
/* Skips one grid slot (a blank line). */
void blank_slot(struct lay *L);
/* The signature block: 署名 and 成文日期 (either may be NULL). */
void lay_signature(struct lay *L, const char *name, const char *date);

/* ---- table_layout.c ---- */

/* Lays out a table: title, unit, grid with repeated header and 续表 on
 * continuation pages. */
void lay_table(struct lay *L, const struct doc_table *t);

#endif
