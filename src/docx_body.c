/* DOCX document.xml: the blocks of the tree in order (see docx.h).
 *
 * Title, subtitle and headings are paragraphs in their named styles (the
 * heading numbers are part of the text, as in the PDF); headings get a
 * bookmark each; a blank line is an empty paragraph, as the PDF leaves a
 * grid slot; @pagebreak becomes pageBreakBefore on the next paragraph;
 * tables are Word tables with the PDF's column widths; charts are inline
 * chart parts; the section sets the GB/T 9704 page, margins, grid and
 * footers. */
#include "docx_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "layout.h"
#include "spool.h"
#include "util.h"

struct body {
	struct dx *D;
	struct xw *x;
	int started;            /* a paragraph or table was written */
	int brk;                /* the next paragraph starts a page */
	int nmark;              /* bookmarks so far */
	size_t nchart;          /* charts so far */
};

/* Opens a paragraph in style: keep_next keeps it with the next one;
 * ind_right >= 0 sets its right indent (twips), jc != NULL its
 * alignment.  A pending page break goes on it. */
static void
p_open(struct body *B, const char *style, int keep_next, long ind_right,
    const char *jc)
{
	struct xw *x = B->x;

	xw_start(x, "w:p");
	xw_start(x, "w:pPr");
	xw_empty(x, "w:pStyle", "w:val", style);
	if (keep_next)
		xw_empty(x, "w:keepNext", NULL, NULL);
	if (B->brk)
		xw_empty(x, "w:pageBreakBefore", NULL, NULL);
	B->brk = 0;
	B->started = 1;
	if (ind_right >= 0) {
		xw_start(x, "w:ind");
		xw_attrf(x, "w:right", "%ld", ind_right);
		xw_end(x);
	}
	if (jc != NULL)
		xw_empty(x, "w:jc", "w:val", jc);
	xw_end(x);
}

/* A run of text; a newline in s becomes a line break. */
static void
run_text(struct xw *x, const char *s)
{
	const char *nl;
	char *part;

	xw_start(x, "w:r");
	for (;;) {
		nl = strchr(s, '\n');
		part = nl ? xstrndup(s, (size_t)(nl - s)) : xstrdup(s);
		xw_start(x, "w:t");
		xw_attr(x, "xml:space", "preserve");
		xw_text(x, part);
		xw_end(x);
		free(part);
		if (nl == NULL)
			break;
		xw_empty(x, "w:br", NULL, NULL);
		s = nl + 1;
	}
	xw_end(x);
}

/* A whole paragraph of text s in style. */
static void
para(struct body *B, const char *style, int keep_next, const char *s)
{
	p_open(B, style, keep_next, -1, NULL);
	if (s != NULL && *s)
		run_text(B->x, s);
	xw_end(B->x);
}

/* A heading paragraph with a bookmark (heading_N) around its text. */
static void
heading(struct body *B, const struct doc_node *n)
{
	static const char *const styles[] = { "Heading1", "Heading2",
	    "Heading3", "Heading4" };
	struct xw *x = B->x;
	int lv = n->level < 1 ? 1 : n->level > 4 ? 4 : n->level;

	p_open(B, styles[lv - 1], 1, -1, NULL);
	xw_start(x, "w:bookmarkStart");
	xw_attrf(x, "w:id", "%d", B->nmark);
	xw_attrf(x, "w:name", "heading_%d", B->nmark + 1);
	xw_end(x);
	run_text(x, n->text ? n->text : "");
	xw_start(x, "w:bookmarkEnd");
	xw_attrf(x, "w:id", "%d", B->nmark);
	xw_end(x);
	xw_end(x);
	B->nmark++;
}

/* The signature block as the PDF sets it (para.c lay_signature): a blank
 * line, the 署名 and the 成文日期 right-aligned with the right indents
 * that put the date two characters right of the 署名 (§7.3.5.2) or the
 * date 右空四字 with the 署名 centred over it (sealed, §7.3.5.1). */
static void
signature(struct body *B, const char *name, const char *date)
{
	struct dx *D = B->D;
	const struct style *st = D->st;
	double cell = dx_cell(D), track = cell - st->body_size;
	double wn = 0, wd = 0, rn, rd;

	if (name == NULL && date == NULL)
		return;
	if (name != NULL)
		wn = dx_width(D, ROLE_BODY, st->body_size, name) +
		    (double)utf8_count(name, strlen(name)) * track;
	if (date != NULL)
		wd = dx_width(D, ROLE_BODY, st->body_size, date) +
		    (double)utf8_count(date, strlen(date)) * track;
	if (st->signature_sealed) {
		rd = 4 * cell;
		rn = rd + (wd - wn) / 2;
		if (rn < 0)
			rn = 0;
	} else {
		rn = 2 * cell;
		rd = rn + wn - 2 * cell - wd;
		if (name == NULL || rd < 2 * cell) {
			rd = 2 * cell;
			rn = rd + wd + 2 * cell - wn;
		}
	}
	if (B->started)
		para(B, "Normal", 1, NULL);
	if (name != NULL) {
		p_open(B, "Signature", date != NULL, dx_tw(rn), NULL);
		run_text(B->x, name);
		xw_end(B->x);
	}
	if (date != NULL) {
		p_open(B, "Date", 0, dx_tw(rd), NULL);
		run_text(B->x, date);
		xw_end(B->x);
	}
}

static void
border(struct xw *x, const char *side, int eighths)
{
	xw_start(x, side);
	xw_attr(x, "w:val", "single");
	xw_attrf(x, "w:sz", "%d", eighths);
	xw_attr(x, "w:space", "0");
	xw_attr(x, "w:color", "000000");
	xw_end(x);
}

static void
margin(struct xw *x, const char *side, long tw)
{
	xw_start(x, side);
	xw_attrf(x, "w:w", "%ld", tw);
	xw_attr(x, "w:type", "dxa");
	xw_end(x);
}

/* tblPr and tblGrid: the block width, 1 pt frame and ½ pt inner rules as
 * in the PDF, fixed column widths tw[0..nc), the cell padding. */
static void
table_props(struct body *B, const long *tw, size_t nc)
{
	struct xw *x = B->x;
	const struct style *st = B->D->st;
	size_t c;

	xw_start(x, "w:tblPr");
	xw_start(x, "w:tblW");
	xw_attrf(x, "w:w", "%ld", dx_tw(st->block_w));
	xw_attr(x, "w:type", "dxa");
	xw_end(x);
	xw_empty(x, "w:jc", "w:val", "center");
	xw_start(x, "w:tblBorders");
	border(x, "w:top", 8);
	border(x, "w:left", 8);
	border(x, "w:bottom", 8);
	border(x, "w:right", 8);
	border(x, "w:insideH", 4);
	border(x, "w:insideV", 4);
	xw_end(x);
	xw_empty(x, "w:tblLayout", "w:type", "fixed");
	/* The PDF's padding less ½ pt a side: the widths fit the content
	 * exactly in our fonts, and a program that takes the borders out
	 * of the cell (LibreOffice) or substitutes a slightly wider face
	 * would otherwise wrap a header like 序号. */
	xw_start(x, "w:tblCellMar");
	margin(x, "w:top", dx_tw(st->table_size * 0.25));
	margin(x, "w:left", dx_tw(st->table_size * 0.5 - 0.5));
	margin(x, "w:bottom", dx_tw(st->table_size * 0.25));
	margin(x, "w:right", dx_tw(st->table_size * 0.5 - 0.5));
	xw_end(x);
	xw_end(x);
	xw_start(x, "w:tblGrid");
	for (c = 0; c < nc; c++) {
		xw_start(x, "w:gridCol");
		xw_attrf(x, "w:w", "%ld", tw[c]);
		xw_end(x);
	}
	xw_end(x);
}

/* One cell of width tw with text s in style, aligned jc. */
static void
cell(struct body *B, long tw, const char *style, const char *jc,
    const char *s)
{
	struct xw *x = B->x;

	xw_start(x, "w:tc");
	xw_start(x, "w:tcPr");
	xw_start(x, "w:tcW");
	xw_attrf(x, "w:w", "%ld", tw);
	xw_attr(x, "w:type", "dxa");
	xw_end(x);
	xw_empty(x, "w:vAlign", "w:val", "center");
	xw_end(x);
	p_open(B, style, 0, -1, jc);
	if (*s)
		run_text(x, s);
	xw_end(x);
	xw_end(x);
}

static const char *
align_jc(const struct doc_table *t, size_t c)
{
	enum align a = t->aligns ? t->aligns[c] : ALIGN_LEFT;

	return a == ALIGN_RIGHT ? "right" : a == ALIGN_CENTER ? "center" :
	    "left";
}

/* The rows: the header row marked to repeat on every page (the PDF's
 * repeated header), rows never split across pages, 合计/小计 rows in the
 * heading face as in the PDF. */
static void
table_rows(struct body *B, const struct doc_table *t, const long *tw)
{
	struct xw *x = B->x;
	size_t r, c, nc = t->ncols;

	if (t->headers != NULL) {
		xw_start(x, "w:tr");
		xw_start(x, "w:trPr");
		xw_empty(x, "w:cantSplit", NULL, NULL);
		xw_empty(x, "w:tblHeader", NULL, NULL);
		xw_end(x);
		for (c = 0; c < nc; c++)
			cell(B, tw[c], "TableHeading", NULL,
			    t->headers[c] ? t->headers[c] : "");
		xw_end(x);
	}
	for (r = 0; r < t->nrows; r++) {
		int bold = t->row_bold && t->row_bold[r];

		xw_start(x, "w:tr");
		xw_start(x, "w:trPr");
		xw_empty(x, "w:cantSplit", NULL, NULL);
		xw_end(x);
		for (c = 0; c < nc; c++) {
			const char *s = t->cells[r * nc + c];

			if (s == NULL)
				s = t->missing ? t->missing : "—";
			cell(B, tw[c], bold ? "TableTotal" : "TableText",
			    align_jc(t, c), s);
		}
		xw_end(x);
		big_tick(1);    /* the row's cells are in big blocks */
	}
}

/* A table: title, unit line, the grid (or the empty text). */
static void
table(struct body *B, const struct doc_table *t)
{
	struct dx *D = B->D;
	size_t nc = t->ncols, c;
	double *colw, cum = 0;
	long *tw, prev = 0, next;

	if (t->title && *t->title)
		para(B, "TableTitle", 1, t->title);
	if (t->nrows == 0 || nc == 0) {
		para(B, "Normal", 0, t->empty_text);
		return;
	}
	if (t->unit && *t->unit)
		para(B, "TableUnit", 1, t->unit);
	colw = xcalloc(nc, sizeof(*colw));
	tw = xcalloc(nc, sizeof(*tw));
	lay_table_widths(t, D->st, D->m, colw);
	for (c = 0; c < nc; c++) {
		/* Rounded at the edges so the columns add up to the block. */
		cum += colw[c];
		next = dx_tw(cum);
		tw[c] = next - prev;
		prev = next;
	}
	xw_start(B->x, "w:tbl");
	table_props(B, tw, nc);
	table_rows(B, t, tw);
	xw_end(B->x);
	B->started = 1;
	free(colw);
	free(tw);
}

/* A chart: its title paragraph, then the chart inline in a centred
 * paragraph of its own (auto line height: an exact one would clip it),
 * as wide as the block and height_lines grid lines high as in the PDF. */
static void
chart(struct body *B, const struct doc_chart *c)
{
	struct dx *D = B->D;
	const struct style *st = D->st;
	struct xw *x = B->x;
	int hl = c->height_lines > 0 ? c->height_lines : 12;

	if (hl > st->lines_per_page - 1)
		hl = st->lines_per_page - 1;
	if (c->title && *c->title)
		para(B, "ChartTitle", 1, c->title);
	xw_start(x, "w:p");
	xw_start(x, "w:pPr");
	xw_empty(x, "w:pStyle", "w:val", "Normal");
	if (B->brk)
		xw_empty(x, "w:pageBreakBefore", NULL, NULL);
	B->brk = 0;
	B->started = 1;
	xw_empty(x, "w:snapToGrid", "w:val", "0");
	xw_start(x, "w:spacing");
	xw_attr(x, "w:line", "240");
	xw_attr(x, "w:lineRule", "auto");
	xw_end(x);
	xw_start(x, "w:ind");
	xw_attr(x, "w:firstLineChars", "0");
	xw_attr(x, "w:firstLine", "0");
	xw_end(x);
	xw_empty(x, "w:jc", "w:val", "center");
	xw_end(x);
	docx_chart_inline(x, B->nchart, st->block_w,
	    (double)dx_pitch(D) / 20 * hl);
	xw_end(x);
	B->nchart++;
}

/* The section: A4 (or [layout]) page, the GB/T 9704 margins, the footers
 * (odd/default, even, first), and the document grid of lines_per_page
 * lines × chars_per_line characters (linesAndChars: Word's character
 * pitch is the body size + charSpace/4096 pt, see dx_char_space).  How
 * the styles keep 28 characters a line in LibreOffice 7.4 as well: see
 * docx_styles.c. */
static void
section(struct body *B)
{
	const struct style *st = B->D->st;
	struct xw *x = B->x;
	double bottom = st->page_h - st->margin_top - st->block_h;
	double right = st->page_w - st->margin_left - st->block_w;
	/* The page number's dash centre sits pagenum_gap below the block;
	 * its line is 1.5 × its size high. */
	double foot = bottom - st->pagenum_gap - 0.75 * st->pagenum_size;
	static const char *const types[] = { "default", "even", "first" };
	int i;

	xw_start(x, "w:sectPr");
	for (i = 0; i < 3; i++) {
		if (i == 2 && st->pagenum_first)
			break;
		xw_start(x, "w:footerReference");
		xw_attr(x, "w:type", types[i]);
		xw_attrf(x, "r:id", "rIdFooter%d", i + 1);
		xw_end(x);
	}
	xw_start(x, "w:pgSz");
	xw_attrf(x, "w:w", "%ld", dx_tw(st->page_w));
	xw_attrf(x, "w:h", "%ld", dx_tw(st->page_h));
	xw_end(x);
	xw_start(x, "w:pgMar");
	xw_attrf(x, "w:top", "%ld", dx_tw(st->margin_top));
	xw_attrf(x, "w:right", "%ld", dx_tw(right));
	xw_attrf(x, "w:bottom", "%ld", dx_tw(bottom));
	xw_attrf(x, "w:left", "%ld", dx_tw(st->margin_left));
	xw_attr(x, "w:header", "851");
	xw_attrf(x, "w:footer", "%ld", dx_tw(foot > 0 ? foot : 0));
	xw_attr(x, "w:gutter", "0");
	xw_end(x);
	if (!st->pagenum_first)
		xw_empty(x, "w:titlePg", NULL, NULL);
	xw_start(x, "w:docGrid");
	xw_attr(x, "w:type", "linesAndChars");
	xw_attrf(x, "w:linePitch", "%ld", dx_pitch(B->D));
	xw_attrf(x, "w:charSpace", "%ld", dx_char_space(B->D));
	xw_end(x);
	xw_end(x);
}

static void
block(struct body *B, const struct doc_node *n)
{
	switch (n->kind) {
	case DOC_TITLE:
		if (n->text && *n->text) {
			para(B, "Title", 1, n->text);
			para(B, "Normal", 0, NULL);
		}
		break;
	case DOC_SUBTITLE:
		if (n->text && *n->text) {
			para(B, "Subtitle", 1, n->text);
			para(B, "Normal", 0, NULL);
		}
		break;
	case DOC_HEADING:
		heading(B, n);
		break;
	case DOC_PARA:
		para(B, "Normal", 0, n->text);
		break;
	case DOC_TABLE:
		if (n->table != NULL)
			table(B, n->table);
		break;
	case DOC_CHART:
		if (n->chart != NULL)
			chart(B, n->chart);
		break;
	case DOC_PAGEBREAK:
		if (B->started)
			B->brk = 1;
		break;
	case DOC_SIGNATURE:
		signature(B, n->text, n->text2);
		break;
	}
}

int
docx_document(struct dx *D)
{
	struct body B;
	struct spool *sp;
	size_t i;
	int last_table = 0;

	memset(&B, 0, sizeof(B));
	B.D = D;
	B.x = xw_create_spool();        /* its size grows with the rows */
	xw_start(B.x, "w:document");
	xw_attr(B.x, "xmlns:w", NS_W);
	xw_attr(B.x, "xmlns:r", NS_R);
	xw_attr(B.x, "xmlns:wp", NS_WP);
	xw_attr(B.x, "xmlns:a", NS_A);
	xw_attr(B.x, "xmlns:c", NS_C);
	xw_start(B.x, "w:body");
	for (i = 0; i < D->doc->n; i++) {
		const struct doc_node *n = &D->doc->nodes[i];

		/* Two tables in a row would merge into one: a paragraph
		 * between them (only when the second has no title). */
		if (last_table && n->kind == DOC_TABLE && n->table != NULL &&
		    !(n->table->title && *n->table->title))
			para(&B, "Normal", 0, NULL);
		block(&B, n);
		if (n->kind == DOC_TABLE && n->table != NULL)
			last_table = n->table->nrows > 0 &&
			    n->table->ncols > 0;
		else if (n->kind != DOC_PAGEBREAK)
			last_table = 0;
	}
	if (last_table)
		para(&B, "Normal", 0, NULL);
	section(&B);
	xw_end(B.x);
	xw_end(B.x);
	if ((sp = xw_finish_spool(B.x, "word/document.xml")) == NULL)
		return -1;
	return dzip_add_spool(D->z, "word/document.xml", sp);
}
