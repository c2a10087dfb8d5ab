/* DOCX: the evaluated document tree as an Office Open XML document.
 *
 * The second back end beside layout + render: it reads the same struct
 * doc (doc.h) that layout lays out and writes a WordprocessingML package
 * that Word and WPS open and edit: GB/T 9704 page setup and document grid,
 * named paragraph styles carrying the office font names (方正小标宋简体,
 * 仿宋_GB2312, 黑体, 楷体_GB2312, Times New Roman), headings with their
 * numbers as text and bookmarks, the signature block, page numbers as
 * PAGE fields in odd/even footers, tables as Word tables (header row
 * repeated), charts as native chart parts holding their data, and core
 * properties.  The same tree and info give a byte-identical file.
 *
 * Files: docx.c (driver, package parts, properties, footers), docx_styles.c
 * (styles.xml), docx_body.c (document.xml), docx_chart.c (chart parts),
 * docx_xml.c (the only file using libxml2), docx_zip.c (the only file using
 * libzip); docx_int.h is their private header. */
#ifndef ZJ_DOCX_H
#define ZJ_DOCX_H

#include <time.h>

#include "box.h"
#include "doc.h"
#include "style.h"

struct docx_info {
	const char *title;
	const char *author;     /* organization */
	const char *creator;    /* "zongjie 0.1.0" */
	time_t created;         /* from SOURCE_DATE_EPOCH or the period */
};

/* Writes doc (evaluated; only read) as a DOCX to path (created or
 * truncated; the caller makes it a temporary file and renames it, see
 * output.h).  m measures text for table column widths and the signature
 * block exactly as the PDF layout does; NULL estimates widths from the
 * character count.  Returns 0, or -1 after reporting (EXIT_OUTPUT for a
 * write error, EXIT_INTERNAL when libxml2 or libzip fails). */
int docx_write(const struct doc *doc, const struct style *st,
    const struct lay_measure *m, const struct docx_info *info,
    const char *path);

#endif
