/* DOCX internals: the state the docx*.c files share.  Not for other
 * stages.  Lengths in the parts: twips (1/20 pt) for WordprocessingML,
 * half-points for font sizes, EMU (1/12700 pt) for drawings. */
#ifndef ZJ_DOCX_INT_H
#define ZJ_DOCX_INT_H

#include "docx.h"
#include "docx_xml.h"
#include "docx_zip.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/" \
    "relationships"
#define NS_WP "http://schemas.openxmlformats.org/drawingml/2006/" \
    "wordprocessingDrawing"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_C "http://schemas.openxmlformats.org/drawingml/2006/chart"
#define REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/" \
    "relationships/"

/* Office font names of the roles (Word and WPS substitute when absent). */
#define FONT_TITLE "方正小标宋简体"
#define FONT_BODY "仿宋_GB2312"
#define FONT_HEI "黑体"
#define FONT_KAI "楷体_GB2312"
#define FONT_SONG "宋体"
#define FONT_LATIN "Times New Roman"

/* One docx_write. */
struct dx {
	const struct doc *doc;
	const struct style *st;
	const struct lay_measure *m;    /* NULL: estimate widths */
	const struct docx_info *info;
	struct dzip *z;
	int year, month, day;           /* the package's date (ZIP entries) */
	size_t ncharts;                 /* chart nodes with data, in order */
	const struct doc_chart **charts;
};

/* Twips of pt points, rounded. */
long dx_tw(double pt);
/* The grid's line pitch in twips (block height / lines, rounded down so
 * that the lines fit) and the character cell in points. */
long dx_pitch(const struct dx *D);
double dx_cell(const struct dx *D);
/* The section's text width in twips: the page less the margins, each as
 * written (rounded to twips), which is what Word divides. */
long dx_text_tw(const struct dx *D);
/* The grid's w:charSpace: Word's character pitch is the docDefaults size
 * (the body size) plus charSpace/4096 pt and a line holds text width /
 * pitch characters, so this is the largest value (rounded down) that
 * gives chars_per_line characters.  15.79 pt in 156 mm / 28: -842. */
long dx_char_space(const struct dx *D);
/* Width of s in role at pt: the measurer's, else 1 em per non-ASCII and
 * ½ em per ASCII character. */
double dx_width(const struct dx *D, enum font_role role, double pt,
    const char *s);
/* A new [Content_Types].xml writer, its Types element open with the
 * Default for .rels already in it (every OPC package has one); the caller
 * adds its own entries and finishes it with dx_part or its own zip. */
struct xw *dx_content_types(void);
/* Finishes part x and adds it to the package as name.  Returns 0 or -1
 * (reported). */
int dx_part(struct dx *D, const char *name, struct xw *x);

/* docx_styles.c: word/styles.xml.  Returns 0 or -1. */
int docx_styles(struct dx *D);
/* docx_body.c: word/document.xml.  Returns 0 or -1. */
int docx_document(struct dx *D);
/* docx_chart.c: word/charts/chartN.xml for chart i (0-based, written as
 * N = i + 1), its relationships and its workbook
 * (word/embeddings/chartN.xlsx: the categories and values the chart
 * refers to, so Word's Edit Data opens them).  Returns 0 or -1. */
int docx_chart(struct dx *D, size_t i);
/* docx_chart.c: the inline drawing of chart i in the paragraph being
 * written (relationship rIdChartN), cx × cy points. */
void docx_chart_inline(struct xw *x, size_t i, double cx, double cy);

#endif
