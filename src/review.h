/* Review: the figures of a document placed on its pages — the page of
 * each figure for the figures sheet, and the review copy (--review): each
 * figure underlined and numbered with a note (a PDF text annotation)
 * holding its expression, unrounded value and source cells, and an
 * appendix 数据来源核对表 listing every figure.
 *
 * Joins figures.c (the list) and layout (where each figure was drawn,
 * lay_locate_*); draws through layout boxes and notes only, so render
 * needs to know nothing of figures. */
#ifndef ZJ_REVIEW_H
#define ZJ_REVIEW_H

#include "figures.h"
#include "layout.h"

/* Sets the page of every figure of l from the layout lay of d (m: the
 * measurer lay was made with) and puts l in reading order, numbered
 * again: page by page, and on a page by where each block's part there
 * starts, top to bottom (a chart that floated to the next page comes
 * after the text that filled this one, and before the rest of the text
 * set below it); within a block, document order. */
void review_pages(struct fig_list *l, const struct doc *d,
    const struct lay_result *lay, const struct lay_measure *m);

/* The text of figure f's note: number, expression, printed text,
 * unrounded value, sources, skipped cells, warnings, one a line.  Returns
 * a new string (caller frees). */
char *review_note(const struct fig *f, const struct doc *d);

/* Appends the appendix to d: a page break and a table 数据来源核对表 (编号,
 * 页码, 表达式, 输出文本, 来源单元格) with one row per figure of l.  l's
 * pointers into d are invalid afterwards (the node array may move):
 * free l and collect again; the appendix adds no figures. */
void review_add_appendix(struct doc *d, const struct fig_list *l);

/* Marks every figure of l (collected from d) on lay, d's layout:
 * underlines, numbers and notes (lay_review_mark).  A figure that was not
 * drawn gets no mark. */
void review_mark(const struct fig_list *l, const struct doc *d,
    struct lay_result *lay, const struct lay_measure *m);

/* The review copy's default path: output with its .pdf or .docx (any
 * case) replaced by -review.pdf, or -review.pdf appended (the review
 * copy is always a PDF).  Returns a new
 * string. */
char *review_default_path(const char *output);

#endif
