/* DOCX styles.xml: named paragraph styles with the office font names and
 * the GB/T 9704 sizes (see docx.h).  Body, headings, subtitle, signature
 * and titles of tables and charts sit on the linesAndChars document grid
 * (docx_body.c) with an exact line spacing of one grid line; table, unit
 * and footer text is off the grid.
 *
 * Characters on the grid are scaled (w:w) to fit one character cell as
 * LibreOffice 7.4 computes it, which Word and WPS do not need: Word adds
 * charSpace/4096 pt to every character (16 pt less 0.21), so 28 fit a
 * line.  LibreOffice takes the cell from the Normal style's size and
 * charSpace in whole twips (writerfilter PropertyMap.cxx: 15.75 pt), and
 * although linesAndChars imports as "snap to characters" off, it still
 * rounds each CJK glyph up to whole cells when it breaks a line
 * (SwFont::GetTextBreak calls Justify::SnapToGridEdge without the letter
 * spacing), so a 16 pt glyph takes two cells and a line 14 characters,
 * condensed or not.  At 98 % (15.68 pt) a glyph takes one cell and a line
 * 28 characters there too.  A style whose characters would need a scale
 * below FIT_MIN (the 2号 title) is off the grid instead, keeping its exact
 * line of one grid line. */
#include "docx_int.h"

#include <math.h>

/* One paragraph style's description. */
struct pstyle {
	const char *id, *name, *based, *next;
	const char *east;       /* eastAsia font; NULL = inherited */
	const char *latin;      /* ascii/hAnsi font; NULL = inherited */
	double size;            /* points; 0 = inherited */
	const char *jc;         /* NULL = inherited */
	int indent;             /* 1: first line 2 chars (the Normal style
	                           only), -1: no indent, 0: inherited */
	int outline;            /* heading level 1-4, 0 = none */
	int keep_next;
	int off_grid;           /* 1: not on the grid, exact line 1.5 × size */
};

/* The least scale (percent) a style's characters are fitted to the
 * character cell with; below it the style is off the grid. */
#define FIT_MIN 90

static void
fonts(struct xw *x, const char *east, const char *latin)
{
	xw_start(x, "w:rFonts");
	if (latin != NULL) {
		xw_attr(x, "w:ascii", latin);
		xw_attr(x, "w:hAnsi", latin);
		xw_attr(x, "w:cs", latin);
	}
	if (east != NULL)
		xw_attr(x, "w:eastAsia", east);
	xw_end(x);
}

/* w:sz and w:szCs in half-points. */
static void
half_points(struct xw *x, double pt)
{
	xw_start(x, "w:sz");
	xw_attrf(x, "w:val", "%ld", lround(pt * 2));
	xw_end(x);
	xw_start(x, "w:szCs");
	xw_attrf(x, "w:val", "%ld", lround(pt * 2));
	xw_end(x);
}

/* The horizontal scale in percent (1-100) at which a pt-point character
 * fits one character cell as LibreOffice computes it: the grid's pitch
 * (dx_char_space) in whole twips, less one twip for LibreOffice's round
 * trip through 1/100 mm.  16 pt in 15.79 pt: 98. */
static long
fit_scale(const struct dx *D, double pt)
{
	double pitch = D->st->body_size + dx_char_space(D) / 4096.0;
	double cell = (floor(pitch * 20 + 1e-9) - 1) / 20;
	long sc;

	if (pt <= cell)
		return 100;
	sc = (long)floor(100 * cell / pt);
	return sc > 0 ? sc : 1;
}

/* How style s sits on the grid: 0 on it, 1 off it with an exact line of
 * 1.5 × its size, 2 off it with an exact line of one grid line (its
 * characters would need less than FIT_MIN). */
static int
grid_mode(const struct dx *D, const struct pstyle *s)
{
	if (s->off_grid)
		return 1;
	return fit_scale(D, s->size > 0 ? s->size : D->st->body_size) <
	    FIT_MIN ? 2 : 0;
}

static void
ppr(struct dx *D, struct xw *x, const struct pstyle *s)
{
	const struct style *st = D->st;
	int mode = grid_mode(D, s);

	xw_start(x, "w:pPr");
	if (s->keep_next) {
		xw_empty(x, "w:keepNext", NULL, NULL);
		xw_empty(x, "w:keepLines", NULL, NULL);
	}
	if (s->indent > 0) {
		/* The Normal style: widows and orphans kept, and no
		 * punctuation hanging past the margin (公文 text stays inside
		 * the 版心; LibreOffice even drops a hanging mark at the
		 * foot of a page). */
		xw_empty(x, "w:widowControl", NULL, NULL);
		xw_empty(x, "w:overflowPunct", "w:val", "0");
	}
	if (mode != 0)
		xw_empty(x, "w:snapToGrid", "w:val", "0");
	xw_start(x, "w:spacing");
	xw_attr(x, "w:before", "0");
	xw_attr(x, "w:after", "0");
	if (mode == 1)
		xw_attrf(x, "w:line", "%ld", dx_tw(s->size * 1.5));
	else
		xw_attrf(x, "w:line", "%ld", dx_pitch(D));
	xw_attr(x, "w:lineRule", "exact");
	xw_end(x);
	if (s->indent != 0) {
		xw_start(x, "w:ind");
		if (s->indent > 0) {
			xw_attrf(x, "w:firstLineChars", "%ld",
			    lround(st->indent_chars * 100));
			xw_attrf(x, "w:firstLine", "%ld",
			    dx_tw(st->indent_chars * dx_cell(D)));
		} else {
			xw_attr(x, "w:firstLineChars", "0");
			xw_attr(x, "w:firstLine", "0");
		}
		xw_end(x);
	}
	if (s->jc != NULL)
		xw_empty(x, "w:jc", "w:val", s->jc);
	if (s->outline > 0)
		xw_empty(x, "w:outlineLvl", "w:val", s->outline == 1 ? "0" :
		    s->outline == 2 ? "1" : s->outline == 3 ? "2" : "3");
	xw_end(x);
}

static void
pstyle(struct dx *D, struct xw *x, const struct pstyle *s, int dflt)
{
	xw_start(x, "w:style");
	xw_attr(x, "w:type", "paragraph");
	if (dflt)
		xw_attr(x, "w:default", "1");
	xw_attr(x, "w:styleId", s->id);
	xw_empty(x, "w:name", "w:val", s->name);
	if (s->based != NULL)
		xw_empty(x, "w:basedOn", "w:val", s->based);
	if (s->next != NULL)
		xw_empty(x, "w:next", "w:val", s->next);
	xw_empty(x, "w:qFormat", NULL, NULL);
	ppr(D, x, s);
	xw_start(x, "w:rPr");
	if (s->east != NULL || s->latin != NULL)
		fonts(x, s->east, s->latin);
	/* Every style states its scale: those based on Normal would
	 * inherit its 98 % otherwise. */
	xw_start(x, "w:w");
	xw_attrf(x, "w:val", "%ld", grid_mode(D, s) == 0 ?
	    fit_scale(D, s->size > 0 ? s->size : D->st->body_size) : 100L);
	xw_end(x);
	if (s->size > 0)
		half_points(x, s->size);
	xw_end(x);
	xw_end(x);
}

/* The defaults every style inherits: Times New Roman for Latin text and
 * digits, 仿宋_GB2312 for Chinese, 3号, zh-CN. */
static void
doc_defaults(struct dx *D, struct xw *x)
{
	xw_start(x, "w:docDefaults");
	xw_start(x, "w:rPrDefault");
	xw_start(x, "w:rPr");
	fonts(x, FONT_BODY, FONT_LATIN);
	xw_empty(x, "w:kern", "w:val", "2");
	half_points(x, D->st->body_size);
	xw_start(x, "w:lang");
	xw_attr(x, "w:val", "en-US");
	xw_attr(x, "w:eastAsia", "zh-CN");
	xw_attr(x, "w:bidi", "ar-SA");
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_start(x, "w:pPrDefault");
	xw_empty(x, "w:pPr", NULL, NULL);
	xw_end(x);
	xw_end(x);
}

int
docx_styles(struct dx *D)
{
	const struct style *st = D->st;
	double bs = st->body_size, ts = st->table_size;
	const struct pstyle s[] = {
		{ "Normal", "Normal", NULL, NULL, FONT_BODY, FONT_LATIN, bs,
		    "both", 1, 0, 0, 0 },
		{ "Title", "Title", "Normal", "Subtitle", FONT_TITLE,
		    FONT_LATIN, st->title_size, "center", -1, 0, 1, 0 },
		{ "Subtitle", "Subtitle", "Normal", "Normal", FONT_KAI,
		    FONT_LATIN, bs, "center", -1, 0, 1, 0 },
		{ "Heading1", "heading 1", "Normal", "Normal", FONT_HEI,
		    FONT_LATIN, bs, NULL, 0, 1, 1, 0 },
		{ "Heading2", "heading 2", "Normal", "Normal", FONT_KAI,
		    FONT_LATIN, bs, NULL, 0, 2, 1, 0 },
		{ "Heading3", "heading 3", "Normal", "Normal", FONT_BODY,
		    FONT_LATIN, bs, NULL, 0, 3, 1, 0 },
		{ "Heading4", "heading 4", "Normal", "Normal", FONT_BODY,
		    FONT_LATIN, bs, NULL, 0, 4, 1, 0 },
		{ "Signature", "Signature", "Normal", NULL, NULL, NULL, 0,
		    "right", -1, 0, 1, 0 },
		{ "Date", "Date", "Normal", NULL, NULL, NULL, 0, "right", -1,
		    0, 0, 0 },
		{ "TableTitle", "Table Title", "Normal", "Normal", FONT_HEI,
		    FONT_LATIN, st->table_title_size, "center", -1, 0, 1, 0 },
		{ "ChartTitle", "Chart Title", "Normal", "Normal", FONT_HEI,
		    FONT_LATIN, st->table_title_size, "center", -1, 0, 1, 0 },
		{ "TableUnit", "Table Unit", "Normal", NULL, FONT_BODY,
		    FONT_LATIN, ts, "right", -1, 0, 1, 1 },
		{ "TableText", "Table Text", "Normal", NULL, FONT_BODY,
		    FONT_LATIN, ts, "left", -1, 0, 0, 1 },
		{ "TableHeading", "Table Heading", "TableText", NULL,
		    FONT_HEI, FONT_LATIN, ts, "center", -1, 0, 0, 1 },
		{ "TableTotal", "Table Total", "TableText", NULL, FONT_HEI,
		    FONT_LATIN, ts, NULL, -1, 0, 0, 1 },
		{ "Footer", "footer", "Normal", NULL, FONT_SONG, FONT_SONG,
		    st->pagenum_size, NULL, -1, 0, 0, 1 },
	};
	struct xw *x = xw_create();
	size_t i;

	xw_start(x, "w:styles");
	xw_attr(x, "xmlns:w", NS_W);
	doc_defaults(D, x);
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		pstyle(D, x, &s[i], i == 0);
	/* The default table style Word expects, with the cell margins of the
	 * PDF's tables. */
	xw_start(x, "w:style");
	xw_attr(x, "w:type", "table");
	xw_attr(x, "w:default", "1");
	xw_attr(x, "w:styleId", "TableNormal");
	xw_empty(x, "w:name", "w:val", "Normal Table");
	xw_empty(x, "w:uiPriority", "w:val", "99");
	xw_empty(x, "w:semiHidden", NULL, NULL);
	xw_start(x, "w:tblPr");
	xw_empty(x, "w:tblInd", "w:w", "0");
	xw_end(x);
	xw_end(x);
	xw_end(x);
	return dx_part(D, "word/styles.xml", x);
}
