/* DOCX charts: each chart node as a native DrawingML chart part
 * (word/charts/chartN.xml) holding its categories and values, so Word,
 * WPS and LibreOffice draw it themselves and it stays a chart (restyled,
 * resized, its type changed); bars and lines share one value axis, as in
 * the PDF; greys and dash patterns that print in black and white; the
 * unit as the value axis title; a missing value is a gap; values (and
 * so value labels) in the PDF's number of decimals per series
 * (chart_series_decimals: [chart.NAME] decimals, else from the data).
 * The data is
 * also in an embedded workbook (word/embeddings/chartN.xlsx, sheet
 * Sheet1: categories in column A, one column per series, names in row
 * 1) that the chart's references point into, so Word and WPS open it
 * with Edit Data.  The chart
 * title is the paragraph above (as in the PDF), not part of the chart. */
#include "docx_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "util.h"

#define EMU_PER_PT 12700

void
docx_chart_inline(struct xw *x, size_t i, double cx, double cy)
{
	char name[32];

	snprintf(name, sizeof(name), "Chart %zu", i + 1);
	xw_start(x, "w:r");
	xw_start(x, "w:drawing");
	xw_start(x, "wp:inline");
	xw_attr(x, "distT", "0");
	xw_attr(x, "distB", "0");
	xw_attr(x, "distL", "0");
	xw_attr(x, "distR", "0");
	xw_start(x, "wp:extent");
	xw_attrf(x, "cx", "%ld", lround(cx * EMU_PER_PT));
	xw_attrf(x, "cy", "%ld", lround(cy * EMU_PER_PT));
	xw_end(x);
	xw_start(x, "wp:docPr");
	xw_attrf(x, "id", "%zu", i + 1);
	xw_attr(x, "name", name);
	xw_end(x);
	xw_start(x, "a:graphic");
	xw_start(x, "a:graphicData");
	xw_attr(x, "uri", NS_C);
	xw_start(x, "c:chart");
	xw_attrf(x, "r:id", "rIdChart%zu", i + 1);
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_end(x);
}

/* The spreadsheet column of chart column k (0 = categories, A). */
static void
col_name(size_t k, char *buf, size_t size)
{
	char tmp[16];
	size_t n = 0, i;

	k++;
	while (k > 0 && n < sizeof(tmp)) {
		tmp[n++] = (char)('A' + (k - 1) % 26);
		k = (k - 1) / 26;
	}
	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = tmp[n - 1 - i];
	buf[i] = '\0';
}

/* The reference of rows 2..ncats+1 (or row 1 alone when head) of column
 * k of the chart's sheet, as <c:f>. */
static void
ref(struct xw *x, const struct doc_chart *c, size_t k, int head)
{
	char col[16], f[64];
	size_t last = c->ncats + 1 > 2 ? c->ncats + 1 : 2;

	col_name(k, col, sizeof(col));
	if (head)
		snprintf(f, sizeof(f), "Sheet1!$%s$1", col);
	else
		snprintf(f, sizeof(f), "Sheet1!$%s$2:$%s$%zu", col, col, last);
	xw_elem_text(x, "c:f", f);
}

static void
val(struct xw *x, const char *name, const char *v)
{
	xw_empty(x, name, "val", v);
}

/* Fill (bars) or line (lines) properties of series k of its kind. */
static void
ser_shape(struct xw *x, enum doc_series_style style, size_t k)
{
	static const char *const greys[] = { "404040", "A6A6A6", "737373",
	    "D9D9D9" };
	static const char *const dashes[] = { "solid", "dash", "sysDot",
	    "lgDashDot" };

	xw_start(x, "c:spPr");
	if (style == DOC_SERIES_BAR) {
		xw_start(x, "a:solidFill");
		xw_empty(x, "a:srgbClr", "val", greys[k % 4]);
		xw_end(x);
		xw_start(x, "a:ln");
		xw_attr(x, "w", "6350");
		xw_start(x, "a:solidFill");
		xw_empty(x, "a:srgbClr", "val", "000000");
		xw_end(x);
		xw_end(x);
	} else {
		xw_start(x, "a:ln");
		xw_attr(x, "w", "19050");
		xw_start(x, "a:solidFill");
		xw_empty(x, "a:srgbClr", "val", "000000");
		xw_end(x);
		xw_empty(x, "a:prstDash", "val", dashes[k % 4]);
		xw_end(x);
	}
	xw_end(x);
}

/* The category labels as a string reference with its cache. */
static void
categories(struct xw *x, const struct doc_chart *c)
{
	size_t i;

	xw_start(x, "c:cat");
	xw_start(x, "c:strRef");
	ref(x, c, 0, 0);
	xw_start(x, "c:strCache");
	xw_start(x, "c:ptCount");
	xw_attrf(x, "val", "%zu", c->ncats);
	xw_end(x);
	for (i = 0; i < c->ncats; i++) {
		xw_start(x, "c:pt");
		xw_attrf(x, "idx", "%zu", i);
		xw_elem_text(x, "c:v", c->cats[i] ? c->cats[i] : "");
		xw_end(x);
	}
	xw_end(x);
	xw_end(x);
	xw_end(x);
}

/* The values with their number format; absent points are left out (a
 * gap). */
static void
values(struct xw *x, const struct doc_chart *c, size_t k)
{
	const struct doc_series *s = &c->series[k];
	char v[64], fmt[16];
	size_t i;
	int d = chart_series_decimals(s, c->ncats);

	if (d == 0)
		snprintf(fmt, sizeof(fmt), "0");
	else
		snprintf(fmt, sizeof(fmt), "0.%.*s", d, "000000");
	xw_start(x, "c:val");
	xw_start(x, "c:numRef");
	ref(x, c, k + 1, 0);
	xw_start(x, "c:numCache");
	xw_elem_text(x, "c:formatCode", fmt);
	xw_start(x, "c:ptCount");
	xw_attrf(x, "val", "%zu", c->ncats);
	xw_end(x);
	for (i = 0; i < c->ncats; i++) {
		if (!s->present[i] || !isfinite(s->values[i]))
			continue;
		snprintf(v, sizeof(v), "%.15g", s->values[i]);
		xw_start(x, "c:pt");
		xw_attrf(x, "idx", "%zu", i);
		xw_elem_text(x, "c:v", v);
		xw_end(x);
	}
	xw_end(x);
	xw_end(x);
	xw_end(x);
}

/* Series k (index in the chart) of the given style; n is its number
 * among the chart's series of that style. */
static void
series(struct xw *x, const struct doc_chart *c, size_t k, size_t n)
{
	const struct doc_series *s = &c->series[k];

	xw_start(x, "c:ser");
	xw_start(x, "c:idx");
	xw_attrf(x, "val", "%zu", k);
	xw_end(x);
	xw_start(x, "c:order");
	xw_attrf(x, "val", "%zu", k);
	xw_end(x);
	xw_start(x, "c:tx");
	xw_start(x, "c:strRef");
	ref(x, c, k + 1, 1);
	xw_start(x, "c:strCache");
	val(x, "c:ptCount", "1");
	xw_start(x, "c:pt");
	xw_attr(x, "idx", "0");
	xw_elem_text(x, "c:v", s->name ? s->name : "");
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_end(x);
	ser_shape(x, s->style, n);
	if (s->style == DOC_SERIES_BAR)
		val(x, "c:invertIfNegative", "0");
	else {
		xw_start(x, "c:marker");
		val(x, "c:symbol", n % 2 ? "square" : "circle");
		val(x, "c:size", "5");
		xw_end(x);
	}
	if (c->value_labels) {
		xw_start(x, "c:dLbls");
		val(x, "c:showLegendKey", "0");
		val(x, "c:showVal", "1");
		val(x, "c:showCatName", "0");
		val(x, "c:showSerName", "0");
		val(x, "c:showPercent", "0");
		val(x, "c:showBubbleSize", "0");
		xw_end(x);
	}
	categories(x, c);
	values(x, c, k);
	if (s->style == DOC_SERIES_LINE)
		val(x, "c:smooth", "0");
	xw_end(x);
}

/* The bar chart or line chart group of the chart's series of style;
 * nothing when it has none.  Both groups use axes 1 (categories) and 2
 * (values). */
static void
group(struct xw *x, const struct doc_chart *c, enum doc_series_style style)
{
	size_t k, n = 0;

	for (k = 0; k < c->nseries; k++)
		if (c->series[k].style == style)
			n++;
	if (n == 0)
		return;
	if (style == DOC_SERIES_BAR) {
		xw_start(x, "c:barChart");
		val(x, "c:barDir", "col");
		val(x, "c:grouping", "clustered");
	} else {
		xw_start(x, "c:lineChart");
		val(x, "c:grouping", "standard");
	}
	val(x, "c:varyColors", "0");
	for (k = 0, n = 0; k < c->nseries; k++)
		if (c->series[k].style == style)
			series(x, c, k, n++);
	if (style == DOC_SERIES_BAR) {
		val(x, "c:gapWidth", "80");
		if (n > 1)
			val(x, "c:overlap", "0");
	} else
		val(x, "c:marker", "1");
	val(x, "c:axId", "1");
	val(x, "c:axId", "2");
	xw_end(x);
}

/* Rich text of one paragraph (axis title). */
static void
rich(struct xw *x, const char *text)
{
	xw_start(x, "c:tx");
	xw_start(x, "c:rich");
	xw_start(x, "a:bodyPr");
	xw_attr(x, "rot", "0");
	xw_attr(x, "vert", "horz");
	xw_end(x);
	xw_empty(x, "a:lstStyle", NULL, NULL);
	xw_start(x, "a:p");
	xw_start(x, "a:r");
	xw_elem_text(x, "a:t", text);
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_end(x);
}

static void
axes(struct xw *x, const struct doc_chart *c)
{
	xw_start(x, "c:catAx");
	val(x, "c:axId", "1");
	xw_start(x, "c:scaling");
	val(x, "c:orientation", "minMax");
	xw_end(x);
	val(x, "c:delete", "0");
	val(x, "c:axPos", "b");
	val(x, "c:majorTickMark", "out");
	val(x, "c:minorTickMark", "none");
	val(x, "c:tickLblPos", "low");
	val(x, "c:crossAx", "2");
	val(x, "c:crosses", "autoZero");
	val(x, "c:auto", "1");
	val(x, "c:lblAlgn", "ctr");
	val(x, "c:lblOffset", "100");
	val(x, "c:noMultiLvlLbl", "0");
	xw_end(x);

	xw_start(x, "c:valAx");
	val(x, "c:axId", "2");
	xw_start(x, "c:scaling");
	val(x, "c:orientation", "minMax");
	xw_end(x);
	val(x, "c:delete", "0");
	val(x, "c:axPos", "l");
	xw_start(x, "c:majorGridlines");
	xw_start(x, "c:spPr");
	xw_start(x, "a:ln");
	xw_attr(x, "w", "3175");
	xw_start(x, "a:solidFill");
	xw_empty(x, "a:srgbClr", "val", "BFBFBF");
	xw_end(x);
	xw_end(x);
	xw_end(x);
	xw_end(x);
	if (c->unit && *c->unit) {
		xw_start(x, "c:title");
		rich(x, c->unit);
		val(x, "c:overlay", "0");
		xw_end(x);
	}
	xw_start(x, "c:numFmt");
	xw_attr(x, "formatCode", "General");
	xw_attr(x, "sourceLinked", "0");
	xw_end(x);
	val(x, "c:majorTickMark", "out");
	val(x, "c:minorTickMark", "none");
	val(x, "c:tickLblPos", "nextTo");
	val(x, "c:crossAx", "1");
	val(x, "c:crosses", "autoZero");
	val(x, "c:crossBetween", "between");
	xw_end(x);
}

/* The chart's text: the table size, Times New Roman and 仿宋_GB2312. */
static void
text_props(struct dx *D, struct xw *x)
{
	xw_start(x, "c:txPr");
	xw_empty(x, "a:bodyPr", NULL, NULL);
	xw_empty(x, "a:lstStyle", NULL, NULL);
	xw_start(x, "a:p");
	xw_start(x, "a:pPr");
	xw_start(x, "a:defRPr");
	xw_attrf(x, "sz", "%ld", lround(D->st->table_size * 100));
	xw_empty(x, "a:latin", "typeface", FONT_LATIN);
	xw_empty(x, "a:ea", "typeface", FONT_BODY);
	xw_end(x);
	xw_end(x);
	xw_start(x, "a:endParaRPr");
	xw_attr(x, "lang", "zh-CN");
	xw_end(x);
	xw_end(x);
	xw_end(x);
}

#define NS_SS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define CT_SS "application/vnd.openxmlformats-officedocument.spreadsheetml."

/* Adds part x to the package z as name.  Returns 0 or -1. */
static int
zpart(struct dzip *z, const char *name, struct xw *x)
{
	size_t len;
	char *buf = xw_finish(x, name, &len);

	return buf == NULL ? -1 : dzip_add(z, name, buf, len);
}

/* A cell of the sheet: text (inline string), or a number when text is
 * NULL. */
static void
ss_cell(struct xw *x, size_t col, size_t row, const char *text, double v)
{
	char ref[32], num[64];

	col_name(col, ref, sizeof(ref));
	snprintf(ref + strlen(ref), sizeof(ref) - strlen(ref), "%zu", row);
	xw_start(x, "c");
	xw_attr(x, "r", ref);
	if (text != NULL) {
		xw_attr(x, "t", "inlineStr");
		xw_start(x, "is");
		xw_elem_text(x, "t", text);
		xw_end(x);
	} else {
		snprintf(num, sizeof(num), "%.15g", v);
		xw_elem_text(x, "v", num);
	}
	xw_end(x);
}

/* xl/worksheets/sheet1.xml: row 1 the series names, then a row per
 * category; an absent value is an empty cell. */
static struct xw *
sheet(const struct doc_chart *c)
{
	struct xw *x = xw_create();
	size_t r, k;

	xw_start(x, "worksheet");
	xw_attr(x, "xmlns", NS_SS);
	xw_start(x, "sheetData");
	xw_start(x, "row");
	xw_attr(x, "r", "1");
	for (k = 0; k < c->nseries; k++)
		ss_cell(x, k + 1, 1, c->series[k].name ? c->series[k].name :
		    "", 0);
	xw_end(x);
	for (r = 0; r < c->ncats; r++) {
		xw_start(x, "row");
		xw_attrf(x, "r", "%zu", r + 2);
		ss_cell(x, 0, r + 2, c->cats[r] ? c->cats[r] : "", 0);
		for (k = 0; k < c->nseries; k++)
			if (c->series[k].present[r] &&
			    isfinite(c->series[k].values[r]))
				ss_cell(x, k + 1, r + 2, NULL,
				    c->series[k].values[r]);
		xw_end(x);
	}
	xw_end(x);
	xw_end(x);
	return x;
}

static void
ss_rel(struct xw *x, const char *type, const char *target)
{
	xw_start(x, "Relationships");
	xw_attr(x, "xmlns",
	    "http://schemas.openxmlformats.org/package/2006/relationships");
	xw_start(x, "Relationship");
	xw_attr(x, "Id", "rId1");
	xw_attr(x, "Type", type);
	xw_attr(x, "Target", target);
	xw_end(x);
	xw_end(x);
}

/* The workbook of chart c as the bytes of an .xlsx package.  Returns
 * NULL after reporting. */
static char *
workbook(struct dx *D, const struct doc_chart *c, size_t *len)
{
	struct dzip *z = dzip_create(D->year, D->month, D->day);
	struct xw *x;

	if (z == NULL)
		return NULL;
	x = dx_content_types();
	xw_start(x, "Override");
	xw_attr(x, "PartName", "/xl/workbook.xml");
	xw_attr(x, "ContentType", CT_SS "sheet.main+xml");
	xw_end(x);
	xw_start(x, "Override");
	xw_attr(x, "PartName", "/xl/worksheets/sheet1.xml");
	xw_attr(x, "ContentType", CT_SS "worksheet+xml");
	xw_end(x);
	xw_end(x);
	if (zpart(z, "[Content_Types].xml", x) != 0)
		goto fail;
	x = xw_create();
	ss_rel(x, REL_BASE "officeDocument", "xl/workbook.xml");
	if (zpart(z, "_rels/.rels", x) != 0)
		goto fail;
	x = xw_create();
	xw_start(x, "workbook");
	xw_attr(x, "xmlns", NS_SS);
	xw_attr(x, "xmlns:r", NS_R);
	xw_start(x, "sheets");
	xw_start(x, "sheet");
	xw_attr(x, "name", "Sheet1");
	xw_attr(x, "sheetId", "1");
	xw_attr(x, "r:id", "rId1");
	xw_end(x);
	xw_end(x);
	xw_end(x);
	if (zpart(z, "xl/workbook.xml", x) != 0)
		goto fail;
	x = xw_create();
	ss_rel(x, REL_BASE "worksheet", "worksheets/sheet1.xml");
	if (zpart(z, "xl/_rels/workbook.xml.rels", x) != 0 ||
	    zpart(z, "xl/worksheets/sheet1.xml", sheet(c)) != 0)
		goto fail;
	return dzip_bytes(z, len);
fail:
	dzip_free(z);
	return NULL;
}

/* The chart's relationships (its workbook) and the workbook itself.
 * Returns 0 or -1. */
static int
chart_data(struct dx *D, size_t i)
{
	struct xw *x = xw_create();
	char name[64], target[64], *buf;
	size_t len;

	snprintf(target, sizeof(target), "../embeddings/chart%zu.xlsx", i + 1);
	ss_rel(x, REL_BASE "package", target);
	snprintf(name, sizeof(name), "word/charts/_rels/chart%zu.xml.rels",
	    i + 1);
	if (dx_part(D, name, x) != 0)
		return -1;
	if ((buf = workbook(D, D->charts[i], &len)) == NULL)
		return -1;
	snprintf(name, sizeof(name), "word/embeddings/chart%zu.xlsx", i + 1);
	return dzip_add(D->z, name, buf, len);
}

int
docx_chart(struct dx *D, size_t i)
{
	const struct doc_chart *c = D->charts[i];
	struct xw *x = xw_create();
	char part[64];

	xw_start(x, "c:chartSpace");
	xw_attr(x, "xmlns:c", NS_C);
	xw_attr(x, "xmlns:a", NS_A);
	xw_attr(x, "xmlns:r", NS_R);
	val(x, "c:date1904", "0");
	val(x, "c:lang", "zh-CN");
	val(x, "c:roundedCorners", "0");
	xw_start(x, "c:chart");
	val(x, "c:autoTitleDeleted", "1");
	xw_start(x, "c:plotArea");
	xw_empty(x, "c:layout", NULL, NULL);
	group(x, c, DOC_SERIES_BAR);
	group(x, c, DOC_SERIES_LINE);
	axes(x, c);
	xw_end(x);
	xw_start(x, "c:legend");
	val(x, "c:legendPos", "b");
	val(x, "c:overlay", "0");
	xw_end(x);
	val(x, "c:plotVisOnly", "1");
	val(x, "c:dispBlanksAs", "gap");
	xw_end(x);
	/* No frame round the chart, as in the PDF. */
	xw_start(x, "c:spPr");
	xw_empty(x, "a:noFill", NULL, NULL);
	xw_start(x, "a:ln");
	xw_empty(x, "a:noFill", NULL, NULL);
	xw_end(x);
	xw_end(x);
	text_props(D, x);
	xw_start(x, "c:externalData");
	xw_attr(x, "r:id", "rId1");
	val(x, "c:autoUpdate", "0");
	xw_end(x);
	xw_end(x);
	snprintf(part, sizeof(part), "word/charts/chart%zu.xml", i + 1);
	if (dx_part(D, part, x) != 0)
		return -1;
	return chart_data(D, i);
}
