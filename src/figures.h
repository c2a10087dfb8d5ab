/* Figures: every evaluated value of a document, listed for checking.
 *
 * fig_collect walks an evaluated struct doc in document order and numbers
 * each figure: every placeholder of a title, heading, paragraph or
 * signature; every computed table cell that has provenance (an expression
 * column, a 合计/小计 cell; not a cell copied from the source, not 序号);
 * every chart series.  Once laid out, review_pages (review.h) puts them
 * in reading order (page by page, top to bottom: a chart that floated to
 * the next page comes after the text that filled this one) and numbers
 * them again; those are the numbers the sheet and the review copy print.
 * The figures sheet (--figures FILE) is written from that list as CSV
 * (UTF-8 with BOM, RFC 4180, CRLF) or as one self-contained HTML page,
 * chosen by the file's extension, atomically (output.c).
 *
 * Knows nothing of pages beyond the page number layout assigns to each
 * figure (fig_set_page); knows nothing of libharu. */
#ifndef ZJ_FIGURES_H
#define ZJ_FIGURES_H

#include <stddef.h>
#include <stdio.h>

#include "doc.h"

enum fig_kind {
	FIG_INLINE,     /* a {placeholder} in a node's text */
	FIG_CELL,       /* a computed table cell */
	FIG_SERIES      /* a chart series */
};

/* One figure.  Pointers are borrowed from the doc, which must outlive the
 * list. */
struct fig {
	int number;                     /* 1-based, list order */
	enum fig_kind kind;
	int page;                       /* 1-based; 0 = not known */
	const struct doc_node *node;
	const struct doc_inline *inl;   /* FIG_INLINE */
	size_t row, col;                /* FIG_CELL */
	const struct doc_series *series;/* FIG_SERIES */
	const struct doc_prov *prov;    /* never NULL */
	unsigned warn;                  /* prov->warn plus what the doc
	                                   shows (skipped cells, a non-zero
	                                   value printed as zero, a blank
	                                   lookup) */
};

struct fig_list {
	size_t n;
	struct fig *v;
};

/* Lists the figures of d in document order.  Never fails (allocation
 * failure exits).  Free with fig_free (NULL is fine). */
struct fig_list *fig_collect(const struct doc *d);
void fig_free(struct fig_list *l);

/* Records that figure number (1-based) is drawn on page; the first page
 * recorded for a figure wins (a figure split over a page break is listed
 * on the page it starts on).  Out-of-range numbers are ignored. */
void fig_set_page(struct fig_list *l, int number, int page);

/* Puts l in the order given: its i-th figure becomes the old order[i]-th
 * (order is a permutation of 0..n-1), numbered i + 1.  review_pages uses
 * it to number figures as a reader meets them on the pages. */
void fig_order(struct fig_list *l, const size_t *order);

/* Sheet formats, from the file name's extension (case-insensitive). */
enum fig_format { FIG_CSV, FIG_HTML };

/* Returns the format for path (.csv; .html or .htm), or -1 after
 * reporting a usage error (EXIT_USAGE) naming the path. */
int fig_format_of(const char *path);

/* Writes the sheet in format fmt to fp.  Returns 0, or -1 if a write
 * failed (errno set; nothing reported). */
int fig_write_csv(const struct fig_list *l, const struct doc *d, FILE *fp);
int fig_write_html(const struct fig_list *l, const struct doc *d, FILE *fp);

/* Writes the sheet to path (format from its extension) through a
 * temporary file renamed into place.  Returns 0, or -1 after reporting
 * (EXIT_USAGE for an unknown extension, EXIT_OUTPUT for a write failure,
 * EXIT_LOCKED when another run is writing it); a failure leaves any
 * earlier file at path untouched. */
int fig_write(const struct fig_list *l, const struct doc *d,
    const char *path);

/* Reports each figure with warning bits as a warning at its template
 * location (stderr, through diag), skipping the bits in already (those
 * the evaluator reported itself).  Returns the number of warnings. */
int fig_report(const struct fig_list *l, unsigned already);

/* Text of one figure's fields, as in the sheet.  Each returns a new
 * string (caller frees). */
char *fig_where(const struct fig *f, const struct doc *d);  /* file:l:c */
/* Where a table cell's or chart series' value is defined: the INI file,
 * section and key ("report.ini [table.kpi] col6"; a 合计 or 小计 cell
 * adds ", total" or ", group"; a series "[chart.NAME] bars" or "lines");
 * "" for a placeholder, which is defined where it appears. */
char *fig_defined(const struct fig *f);
char *fig_expression(const struct fig *f);  /* as written */
char *fig_printed(const struct fig *f);     /* the printed text */
char *fig_value(const struct fig *f);       /* unrounded; "" if none */
char *fig_sources(const struct fig *f);     /* cells, rows, "; "-joined */
char *fig_skipped(const struct fig *f);     /* blank cells passed over */
char *fig_warnings(const struct fig *f);    /* 、-joined, Chinese */

/* --explain: prints the figure in (an evaluated placeholder that is in
 * no document) to fp, one field a line: expression, value (unrounded),
 * printed text, sources (one a line), filter, skipped blank cells,
 * warnings.  Returns 0, or -1 if a write failed. */
int fig_explain(const struct doc_inline *in, FILE *fp);

/* The sentence of a paragraph around an inline figure: bounds in bytes of
 * the node's text (*from..*to), at most about 80 characters each side,
 * cut at 。；！？ or the ends of the text. */
void fig_context(const struct fig *f, size_t *from, size_t *to);

#endif
