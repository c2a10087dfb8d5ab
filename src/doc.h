/* Doc: the one document tree, from template to page.
 *
 * template.c parses the template into a struct doc: a list of block nodes
 * (title, subtitle, headings, paragraphs, tables, charts, page breaks,
 * signature), each with its source location; every placeholder in a
 * paragraph or heading is an inline node holding its parsed expression.
 * The evaluator (eval.c) then fills the same tree in place: each inline
 * figure gets its value, printed text and provenance (the CSV cells it was
 * computed from); each table and chart node gets its rows or series.
 * Layout (const struct doc *) turns it into pages of boxes; the DOCX
 * writer turns it into OOXML; --dump-doc prints it.
 *
 * Ownership: the struct doc owns every node, string and array reachable
 * from it, except where a field says "borrowed": those point into the
 * struct cfg or a struct data_table, which must outlive the doc.  Free
 * with doc_free. */
#ifndef ZJ_DOC_H
#define ZJ_DOC_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "style.h"

struct expr;            /* a parsed placeholder expression (expr.h) */
struct data_table;
struct cfg_table;
struct cfg_chart;
struct big_arena;      /* bigmem.h */

/* One CSV cell a value was read from.  All strings are borrowed from the
 * data table. */
struct doc_cell {
	const char *file;       /* the CSV path as opened */
	int line, col;          /* 1-based; col counts characters */
	const char *column;     /* the column's header */
	const char *key;        /* the row's key cell, NULL if none */
};

/* Things a reviewer wants flagged about a value (a bit set). */
enum doc_warn {
	DOC_WARN_ZERO_BASE = 1,     /* growth or share on a zero/blank base */
	DOC_WARN_SKIPPED = 2,       /* an aggregate skipped blank cells */
	DOC_WARN_BLANK = 4,         /* a looked-up cell is blank (missing mark) */
	DOC_WARN_ROUNDS_ZERO = 8    /* a non-zero value printed as zero */
};

/* Where a value came from.  cells lists the cells read (for a lookup the
 * cell itself; for growth(a, b) the cells of a then of b; for an aggregate
 * the cells it summed or counted); skipped lists blank cells an aggregate
 * passed over.  filter is the where-condition as written (borrowed from
 * the expression), NULL if none. */
struct doc_prov {
	size_t ncells;
	struct doc_cell *cells;
	size_t nskipped;
	struct doc_cell *skipped;
	const char *filter;
	unsigned warn;          /* enum doc_warn bits */
};

/* The value of an evaluated expression. */
struct doc_value {
	int kind;               /* 0 = none (missing), 1 = number, 2 = text */
	double num;             /* unrounded, for kind 1 */
	char *printed;          /* the text as printed, formats applied */
	struct doc_prov prov;
};

/* A run of a paragraph's or heading's text: literal text, a figure
 * ({placeholder}), or a line join.  start..end is the run's byte range in
 * the node's evaluated text (for SIGNATURE: in text2, the date).  Runs
 * of an INI value (title, subtitle, date) have the INI location. */
struct doc_inline {
	int is_figure;
	int is_join;            /* a line break of the template: printed as
	                           one space when the text on both sides is an
	                           ASCII letter or digit, else as nothing */
	struct diag_loc loc;    /* the '{' (or the run's first character) */
	char *source;           /* literal: the text ({{ }} already undone);
	                           figure: the placeholder as written, without
	                           braces; join: NULL */
	struct expr *expr;      /* parsed; NULL for literal text, or for a
	                           placeholder that failed to parse */
	int hidden;             /* printed as nothing: inside a branch of
	                           {if} … {else} … {end} not taken, or one of
	                           those placeholders itself (then not a
	                           figure of the report) */
	size_t start, end;
	struct doc_value value; /* figures, after evaluation */
};

/* A table's evaluated rows (from [table.NAME]).  Make it with
 * doc_table_create and free it with doc_table_free.
 *
 * Storage: a large table has a cell string per row and column and a few
 * numbers per row, so what grows with the rows is kept out of the heap
 * (bigmem.h).  The per-row arrays (cells, row_bold, src_rows, prov, nums)
 * are big blocks; the cell strings, the provenance and value rows of
 * computed cells and their provenance lists are carved from arena, which
 * doc_table_free frees whole (a list of more than BIG_SMALL bytes is kept
 * as the big block it is, in blocks).  So cells are set with doc_table_set_cell
 * and computed cells' provenance with doc_table_take_prov, never by
 * assigning heap strings or lists; nothing frees a cell by itself.  (A
 * test may build a struct doc_table by hand, with its own arrays, to
 * lay it out: it then frees those itself and never calls
 * doc_table_free.) */
struct doc_table {
	const struct cfg_table *def;    /* borrowed */
	char *title;            /* evaluated; NULL = none */
	char *unit;             /* "单位：亿元"; NULL = none */
	char *empty_text;       /* printed instead when nrows == 0 */
	const char *continued;  /* "续表" (borrowed, static) */
	const char *missing;    /* printed for NULL cells (borrowed, cfg) */
	size_t ncols, nrows;
	char **headers;         /* ncols */
	enum align *aligns;     /* ncols */
	double *widths;         /* ncols, points; 0 = automatic */
	double *min_widths;     /* ncols, points; 0 = none */
	double *max_widths;     /* ncols, points; 0 = none */
	char **cells;           /* nrows * ncols, row-major; NULL = missing;
	                           the strings are in arena, or borrowed from
	                           src (doc_table_borrow_cell): never written */
	int *row_bold;          /* nrows: 1 for 合计/小计 rows */
	/* Provenance.  A cell copied from the source: src row src_rows[r]
	 * (SIZE_MAX = computed row) and column src_cols[c] (-1 = computed
	 * column); data_cell_loc gives its place.  A computed cell (合计,
	 * 小计, an expression column) has a provenance, doc_table_prov(t, r,
	 * c): prov[r][c], where prov[r] is NULL for a row without computed
	 * cells (most rows of a large table) and prov is NULL when the table
	 * has none.  nums has the same shape (nums[r] exists exactly when
	 * prov[r] does): the unrounded value of computed cell (r, c), NAN
	 * when it has none (a copied cell, 序号, a text or missing result);
	 * read it with doc_table_num. */
	const struct data_table *src;   /* borrowed */
	size_t *src_rows;       /* nrows */
	long *src_cols;         /* ncols */
	struct doc_prov **prov; /* nrows rows of ncols, or NULL */
	double **nums;          /* nrows rows of ncols, or NULL */
	struct big_arena *arena;    /* cell strings, prov and nums rows,
	                               their provenance lists; NULL = none yet */
	void **blocks;          /* provenance lists too big for the arena
	                           (a 合计's million cells), taken whole */
	size_t nblocks;
};

enum doc_series_style { DOC_SERIES_BAR, DOC_SERIES_LINE };

/* One series of a chart: a value per category; present[i] == 0 means no
 * row had a value for category i. */
struct doc_series {
	char *name;             /* legend text: the column header */
	enum doc_series_style style;
	double *values;         /* ncats */
	int *present;           /* ncats */
	int decimals;           /* value labels' decimals; -1 = from the data */
	struct doc_prov prov;   /* the cells summed into the series */
};

/* A chart's evaluated data (from [chart.NAME]). */
struct doc_chart {
	const struct cfg_chart *def;    /* borrowed */
	char *title;            /* evaluated; NULL = none */
	char *unit;             /* y-axis unit; NULL = none */
	size_t ncats;
	char **cats;            /* category labels, first-appearance order */
	size_t nseries;
	struct doc_series *series;
	int value_labels;       /* print each value above its bar/point */
	int height_lines;       /* height in body lines; 0 = default */
};

enum doc_kind {
	DOC_TITLE,      /* [report] title: centred, balanced, title role */
	DOC_SUBTITLE,   /* [report] subtitle: centred line under the title */
	DOC_HEADING,    /* level 1-4; text starts with its number */
	DOC_PARA,       /* paragraph; may start with a run-in heading */
	DOC_TABLE,      /* @table NAME */
	DOC_CHART,      /* @chart NAME */
	DOC_PAGEBREAK,  /* @pagebreak */
	DOC_SIGNATURE   /* [report] signature (text) and date (text2) */
};

/* One block.  loc is where it was written: the template line and column,
 * or for title, subtitle, signature, the INI file with section and key. */
struct doc_node {
	enum doc_kind kind;
	struct diag_loc loc;    /* file/section/key borrowed from the doc/cfg */
	int level;              /* HEADING: 1-4; PARA: level of a run-in
	                           heading (3-4), 0 = none */
	char *number;           /* HEADING and run-in: "一、", "（一）", "1." */
	char *text;             /* evaluated, as printed (UTF-8): HEADING and
	                           a run-in heading include their number */
	size_t runin_len;       /* PARA: bytes of text that are the run-in
	                           heading (number included); 0 = none */
	size_t runin_ninl;      /* PARA: how many of inl are the run-in
	                           heading's (the paragraph's follow) */
	char *text2;            /* SIGNATURE: 成文日期 */
	size_t ninl;            /* runs of text, in order (TITLE, SUBTITLE, */
	struct doc_inline *inl; /* HEADING, PARA, SIGNATURE) */
	struct doc_table *table;    /* DOC_TABLE, after evaluation */
	struct doc_chart *chart;    /* DOC_CHART, after evaluation */
	char *name;             /* TABLE/CHART: the NAME after @table/@chart */
};

struct doc {
	char *path;             /* the template's path */
	size_t n;
	struct doc_node *nodes;
	int nerrors;            /* errors the template parser reported (the
	                           tree is then incomplete: do not lay out) */
};

/* Building (template.c, the evaluator).  doc_create copies path;
 * doc_add appends a zeroed node of kind at loc (file, section and key
 * borrowed: the doc's path or the cfg's), doc_insert puts one at index
 * at; the returned pointer is valid until the next add or insert.
 * doc_add_inline appends a zeroed run to n. */
struct doc *doc_create(const char *path);
struct doc_node *doc_add(struct doc *d, enum doc_kind kind,
    const struct diag_loc *loc);
struct doc_node *doc_insert(struct doc *d, size_t at, enum doc_kind kind,
    const struct diag_loc *loc);
struct doc_inline *doc_add_inline(struct doc_node *n,
    const struct diag_loc *loc);
void doc_free(struct doc *d);
/* A new table of nrows rows and ncols columns: headers, aligns, widths,
 * min_widths, max_widths and src_cols of ncols (NULL headers, left
 * aligned, widths 0, src_cols -1), cells all NULL (missing), row_bold 0,
 * src_rows SIZE_MAX (computed), no provenance, no texts.  Never returns
 * NULL (out of memory exits).  The caller fills it, then frees it with
 * doc_table_free. */
struct doc_table *doc_table_create(size_t nrows, size_t ncols);
/* Frees t and everything it owns (its arena whole: no cell is freed by
 * itself).  t may be NULL. */
void doc_table_free(struct doc_table *t);
/* Sets cell (r, c) of t (r < nrows, c < ncols) to a copy of s in t's
 * arena; s NULL makes the cell missing.  A string the cell had stays in
 * the arena until doc_table_free.  Returns the cell's new string (NULL
 * for s NULL), valid as long as t. */
const char *doc_table_set_cell(struct doc_table *t, size_t r, size_t c,
    const char *s);
/* Sets cell (r, c) of t (r < nrows, c < ncols) to s itself, not a copy:
 * s is borrowed from t->src (a cell of the data table the column is
 * copied from, which outlives the doc, see Ownership above) and must not
 * change while t is used.  A copied cell needs no arena room (a 1M-row
 * table's cells are most of its text). */
void doc_table_borrow_cell(struct doc_table *t, size_t r, size_t c,
    const char *s);
/* Makes cell (r, c) of t computed: moves everything of src to the end of
 * the cell's provenance (copied into t's arena; src is left empty, its
 * lists freed), and sets the cell's unrounded value to num (NAN = none).
 * Allocates row r's provenance and values (NAN) on first use. */
void doc_table_take_prov(struct doc_table *t, size_t r, size_t c,
    struct doc_prov *src, double num);
void doc_chart_free(struct doc_chart *c);
void doc_value_free(struct doc_value *v);

/* Provenance lists: add a cell read, add a blank cell skipped (sets
 * DOC_WARN_SKIPPED), move everything of src to the end of dst (src is
 * left empty), free the lists (p is left empty).  The lists of a value or
 * a chart series are big blocks (bigmem.h: an aggregate over a million
 * rows lists a million cells), owned by their struct doc_prov: freed by
 * doc_prov_free only.  A table cell's provenance is in its table's arena
 * (doc_table_take_prov) and is never passed to these. */
void doc_prov_add(struct doc_prov *p, const struct doc_cell *c);
void doc_prov_skip(struct doc_prov *p, const struct doc_cell *c);
void doc_prov_move(struct doc_prov *dst, struct doc_prov *src);
void doc_prov_free(struct doc_prov *p);
/* The provenance of cell (r, c) of t (r < nrows, c < ncols), or NULL
 * when the cell has none (copied from the source). */
const struct doc_prov *doc_table_prov(const struct doc_table *t, size_t r,
    size_t c);
/* The unrounded value of computed cell (r, c) of t into *v.  Returns 1,
 * or 0 when the cell has none (copied, or not a number). */
int doc_table_num(const struct doc_table *t, size_t r, size_t c, double *v);

/* --dump-doc: writes the evaluated tree, one item a line, indented like
 * mandoc's -T tree (doc_dump.c):
 *   NODE-KIND FILE:LINE:COL [level N] [number "…"]
 *     text "…"
 *     figure LINE:COL {SOURCE} = PRINTED
 *       expr (growth (lookup kpi "产值" 本期) …) | 增长
 *       value 23.61… | missing | text
 *       cell FILE:LINE:COL COLUMN [KEY]     (each cell read)
 *       skipped FILE:LINE:COL COLUMN [KEY]  (blank cells passed over)
 *       where COND   warn zero-base,skipped,…
 *   tables: their columns, then one "row" line per row (cells joined by
 *   " | ", a missing cell as -) with the source line, and under a row,
 *   for each computed cell (a 小计, a 合计, an expression column):
 *     col N = PRINTED
 *       value 1.1       (unrounded)
 *       cell … / skipped … / warn …   (as a figure's)
 *   charts: categories, then each series
 *   with its values.  Only the first 20 cells of a list are printed, then
 *   a count.  Stable for golden tests (numbers with %.10g). */
void doc_dump(const struct doc *d, FILE *fp);

#endif
