/* DOCX driver and package parts (see docx.h): content types,
 * relationships, core and app properties, settings, footers. */
#include "docx_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

long
dx_tw(double pt)
{
	return lround(pt * 20);
}

long
dx_pitch(const struct dx *D)
{
	return (long)floor(D->st->block_h * 20 / D->st->lines_per_page);
}

double
dx_cell(const struct dx *D)
{
	return D->st->block_w / D->st->chars_per_line;
}

long
dx_text_tw(const struct dx *D)
{
	const struct style *st = D->st;

	return dx_tw(st->page_w) - dx_tw(st->margin_left) -
	    dx_tw(st->page_w - st->margin_left - st->block_w);
}

long
dx_char_space(const struct dx *D)
{
	double pitch = dx_text_tw(D) / 20.0 / D->st->chars_per_line;

	return (long)floor((pitch - D->st->body_size) * 4096);
}

double
dx_width(const struct dx *D, enum font_role role, double pt, const char *s)
{
	const unsigned char *p;
	double w = 0;

	if (D->m != NULL)
		return D->m->width(D->m->arg, role, pt, s, strlen(s));
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			w += pt / 2;
		else if ((*p & 0xC0) != 0x80)
			w += pt;
	return w;
}

int
dx_part(struct dx *D, const char *name, struct xw *x)
{
	size_t len;
	char *buf = xw_finish(x, name, &len);

	if (buf == NULL)
		return -1;
	return dzip_add(D->z, name, buf, len);
}

static void
ct_override(struct xw *x, const char *part, const char *type)
{
	xw_start(x, "Override");
	xw_attr(x, "PartName", part);
	xw_attr(x, "ContentType", type);
	xw_end(x);
}

#define CT_OXML "application/vnd.openxmlformats-officedocument."

/* [Content_Types].xml */
struct xw *
dx_content_types(void)
{
	struct xw *x = xw_create();

	xw_start(x, "Types");
	xw_attr(x, "xmlns",
	    "http://schemas.openxmlformats.org/package/2006/content-types");
	xw_start(x, "Default");
	xw_attr(x, "Extension", "rels");
	xw_attr(x, "ContentType",
	    "application/vnd.openxmlformats-package.relationships+xml");
	xw_end(x);
	return x;
}

static int
content_types(struct dx *D)
{
	struct xw *x = dx_content_types();
	char part[64];
	size_t i;

	xw_start(x, "Default");
	xw_attr(x, "Extension", "xml");
	xw_attr(x, "ContentType", "application/xml");
	xw_end(x);
	if (D->ncharts > 0) {
		xw_start(x, "Default");
		xw_attr(x, "Extension", "xlsx");
		xw_attr(x, "ContentType", CT_OXML "spreadsheetml.sheet");
		xw_end(x);
	}
	ct_override(x, "/word/document.xml", CT_OXML
	    "wordprocessingml.document.main+xml");
	ct_override(x, "/word/styles.xml", CT_OXML
	    "wordprocessingml.styles+xml");
	ct_override(x, "/word/settings.xml", CT_OXML
	    "wordprocessingml.settings+xml");
	ct_override(x, "/word/footer1.xml", CT_OXML
	    "wordprocessingml.footer+xml");
	ct_override(x, "/word/footer2.xml", CT_OXML
	    "wordprocessingml.footer+xml");
	ct_override(x, "/word/footer3.xml", CT_OXML
	    "wordprocessingml.footer+xml");
	for (i = 0; i < D->ncharts; i++) {
		snprintf(part, sizeof(part), "/word/charts/chart%zu.xml", i + 1);
		ct_override(x, part, CT_OXML "drawingml.chart+xml");
	}
	ct_override(x, "/docProps/core.xml",
	    "application/vnd.openxmlformats-package.core-properties+xml");
	ct_override(x, "/docProps/app.xml", CT_OXML
	    "extended-properties+xml");
	xw_end(x);
	return dx_part(D, "[Content_Types].xml", x);
}

static void
rel(struct xw *x, const char *id, const char *type, const char *target)
{
	xw_start(x, "Relationship");
	xw_attr(x, "Id", id);
	xw_attr(x, "Type", type);
	xw_attr(x, "Target", target);
	xw_end(x);
}

#define NS_RELS "http://schemas.openxmlformats.org/package/2006/relationships"

/* _rels/.rels */
static int
package_rels(struct dx *D)
{
	struct xw *x = xw_create();

	xw_start(x, "Relationships");
	xw_attr(x, "xmlns", NS_RELS);
	rel(x, "rId1", REL_BASE "officeDocument", "word/document.xml");
	rel(x, "rId2", "http://schemas.openxmlformats.org/package/2006/"
	    "relationships/metadata/core-properties", "docProps/core.xml");
	rel(x, "rId3", REL_BASE "extended-properties", "docProps/app.xml");
	xw_end(x);
	return dx_part(D, "_rels/.rels", x);
}

/* word/_rels/document.xml.rels: styles, settings, the footers (rIdFooter1
 * odd/default, 2 even, 3 first page), the charts (rIdChartN). */
static int
document_rels(struct dx *D)
{
	struct xw *x = xw_create();
	char id[32], target[64];
	size_t i;

	xw_start(x, "Relationships");
	xw_attr(x, "xmlns", NS_RELS);
	rel(x, "rIdStyles", REL_BASE "styles", "styles.xml");
	rel(x, "rIdSettings", REL_BASE "settings", "settings.xml");
	for (i = 1; i <= 3; i++) {
		snprintf(id, sizeof(id), "rIdFooter%zu", i);
		snprintf(target, sizeof(target), "footer%zu.xml", i);
		rel(x, id, REL_BASE "footer", target);
	}
	for (i = 0; i < D->ncharts; i++) {
		snprintf(id, sizeof(id), "rIdChart%zu", i + 1);
		snprintf(target, sizeof(target), "charts/chart%zu.xml", i + 1);
		rel(x, id, REL_BASE "chart", target);
	}
	xw_end(x);
	return dx_part(D, "word/_rels/document.xml.rels", x);
}

/* docProps/core.xml: title, author, dates (the PDF's: from
 * SOURCE_DATE_EPOCH or the period, never the clock). */
static int
core_props(struct dx *D)
{
	struct xw *x = xw_create();
	char when[32];
	struct tm tm;

	gmtime_r(&D->info->created, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	xw_start(x, "cp:coreProperties");
	xw_attr(x, "xmlns:cp", "http://schemas.openxmlformats.org/package/"
	    "2006/metadata/core-properties");
	xw_attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	xw_attr(x, "xmlns:dcterms", "http://purl.org/dc/terms/");
	xw_attr(x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	if (D->info->title != NULL)
		xw_elem_text(x, "dc:title", D->info->title);
	if (D->info->author != NULL)
		xw_elem_text(x, "dc:creator", D->info->author);
	xw_start(x, "dcterms:created");
	xw_attr(x, "xsi:type", "dcterms:W3CDTF");
	xw_text(x, when);
	xw_end(x);
	xw_start(x, "dcterms:modified");
	xw_attr(x, "xsi:type", "dcterms:W3CDTF");
	xw_text(x, when);
	xw_end(x);
	xw_end(x);
	return dx_part(D, "docProps/core.xml", x);
}

/* docProps/app.xml */
static int
app_props(struct dx *D)
{
	struct xw *x = xw_create();

	xw_start(x, "Properties");
	xw_attr(x, "xmlns", "http://schemas.openxmlformats.org/"
	    "officeDocument/2006/extended-properties");
	xw_elem_text(x, "Application", D->info->creator ? D->info->creator :
	    "zongjie");
	if (D->info->author != NULL)
		xw_elem_text(x, "Company", D->info->author);
	xw_end(x);
	return dx_part(D, "docProps/app.xml", x);
}

/* word/settings.xml: odd and even footers differ (page numbers outside);
 * Chinese punctuation compressed as Word does for zh-CN. */
static int
settings(struct dx *D)
{
	struct xw *x = xw_create();

	xw_start(x, "w:settings");
	xw_attr(x, "xmlns:w", NS_W);
	xw_empty(x, "w:zoom", "w:percent", "100");
	xw_empty(x, "w:defaultTabStop", "w:val", "420");
	if (!D->st->pagenum_center)
		xw_empty(x, "w:evenAndOddHeaders", NULL, NULL);
	xw_empty(x, "w:characterSpacingControl", "w:val",
	    "compressPunctuation");
	xw_start(x, "w:compat");
	xw_start(x, "w:compatSetting");
	xw_attr(x, "w:name", "compatibilityMode");
	xw_attr(x, "w:uri", "http://schemas.microsoft.com/office/word");
	xw_attr(x, "w:val", "15");
	xw_end(x);
	xw_end(x);
	xw_end(x);
	return dx_part(D, "word/settings.xml", x);
}

/* A footer part with the page number as a PAGE field between the parts of
 * [layout] pagenum_format around %d: right-aligned one character in (odd
 * pages), left-aligned one character in (even), centred, or empty (the
 * first page when it is not numbered). */
static int
footer(struct dx *D, const char *name, int where)
{
	const struct style *st = D->st;
	const char *fmt = st->pagenum_format ? st->pagenum_format : "— %d —";
	const char *pct = strstr(fmt, "%d");
	struct xw *x = xw_create();
	char *pre = xstrdup(fmt);

	xw_start(x, "w:ftr");
	xw_attr(x, "xmlns:w", NS_W);
	xw_start(x, "w:p");
	xw_start(x, "w:pPr");
	xw_empty(x, "w:pStyle", "w:val", "Footer");
	if (where != 0) {
		xw_empty(x, "w:jc", "w:val", where == 'r' ? "right" :
		    where == 'l' ? "left" : "center");
		xw_start(x, "w:ind");
		if (where == 'r')
			xw_attrf(x, "w:right", "%ld", dx_tw(st->pagenum_size));
		else if (where == 'l')
			xw_attrf(x, "w:left", "%ld", dx_tw(st->pagenum_size));
		xw_end(x);
	}
	xw_end(x);
	if (where != 0) {
		if (pct != NULL)
			pre[pct - fmt] = '\0';
		xw_start(x, "w:r");
		xw_start(x, "w:t");
		xw_attr(x, "xml:space", "preserve");
		xw_text(x, pre);
		xw_end(x);
		xw_end(x);
		if (pct != NULL) {
			xw_start(x, "w:fldSimple");
			xw_attr(x, "w:instr", " PAGE ");
			xw_start(x, "w:r");
			xw_elem_text(x, "w:t", "1");
			xw_end(x);
			xw_end(x);
			xw_start(x, "w:r");
			xw_start(x, "w:t");
			xw_attr(x, "xml:space", "preserve");
			xw_text(x, pct + 2);
			xw_end(x);
			xw_end(x);
		}
	}
	xw_end(x);
	xw_end(x);
	free(pre);
	return dx_part(D, name, x);
}

/* The chart nodes that have data, in document order, into D->charts. */
static void
collect_charts(struct dx *D)
{
	size_t i;

	D->charts = xcalloc(D->doc->n + 1, sizeof(*D->charts));
	for (i = 0; i < D->doc->n; i++)
		if (D->doc->nodes[i].kind == DOC_CHART &&
		    D->doc->nodes[i].chart != NULL)
			D->charts[D->ncharts++] = D->doc->nodes[i].chart;
}

/* The parts in their fixed order.  Returns 0 or -1. */
static int
write_parts(struct dx *D)
{
	int c = D->st->pagenum_center;
	size_t i;

	if (content_types(D) != 0 || package_rels(D) != 0 ||
	    docx_document(D) != 0 || document_rels(D) != 0 ||
	    docx_styles(D) != 0 || settings(D) != 0 ||
	    footer(D, "word/footer1.xml", c ? 'c' : 'r') != 0 ||
	    footer(D, "word/footer2.xml", c ? 'c' : 'l') != 0 ||
	    footer(D, "word/footer3.xml", 0) != 0)
		return -1;
	for (i = 0; i < D->ncharts; i++)
		if (docx_chart(D, i) != 0)
			return -1;
	if (core_props(D) != 0 || app_props(D) != 0)
		return -1;
	return 0;
}

int
docx_write(const struct doc *doc, const struct style *st,
    const struct lay_measure *m, const struct docx_info *info,
    const char *path)
{
	struct dx D;
	struct tm tm;
	int rc = -1;

	memset(&D, 0, sizeof(D));
	D.doc = doc;
	D.st = st;
	D.m = m;
	D.info = info;
	gmtime_r(&info->created, &tm);
	D.year = tm.tm_year + 1900;
	D.month = tm.tm_mon + 1;
	D.day = tm.tm_mday;
	if ((D.z = dzip_create(D.year, D.month, D.day)) == NULL)
		return -1;
	collect_charts(&D);
	if (write_parts(&D) == 0) {
		rc = dzip_write(D.z, path);
		D.z = NULL;
	}
	dzip_free(D.z);
	free(D.charts);
	return rc;
}
