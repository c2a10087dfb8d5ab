/* DOCX XML: writing one XML part through libxml2's xmlTextWriter.
 *
 * The only file that includes libxml2 (docx_xml.c).  The DOCX writer
 * (docx*.c) builds every part with these calls, so every name, attribute
 * and text is escaped by libxml2 and no XML is concatenated by hand.
 * Errors are sticky: after a failed call the others do nothing and
 * xw_finish reports the failure once. */
#ifndef ZJ_DOCX_XML_H
#define ZJ_DOCX_XML_H

#include <stddef.h>

struct xw;

/* A new part with its XML declaration (UTF-8, standalone="yes").  Never
 * NULL (out of memory exits).  Finish with xw_finish or xw_free. */
struct xw *xw_create(void);

/* The same, for a part whose size grows with the rows (word/document.xml):
 * the bytes go to an unlinked temporary file (spool.h) as they are
 * written, not to memory.  Never NULL; when no temporary file can be
 * made, that is reported (EXIT_OUTPUT) and xw_finish_spool returns NULL.
 * Finish with xw_finish_spool (not xw_finish) or xw_free. */
struct xw *xw_create_spool(void);

/* Starts element name (a qualified name such as "w:p"). */
void xw_start(struct xw *x, const char *name);
/* Ends the innermost open element. */
void xw_end(struct xw *x);
/* An attribute of the element just started (before any content). */
void xw_attr(struct xw *x, const char *name, const char *value);
/* The same with a printf-formatted value. */
void xw_attrf(struct xw *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Text content (escaped). */
void xw_text(struct xw *x, const char *s);
/* An element with one attribute (value may be NULL: none) and no content:
 * <name attr="value"/>. */
void xw_empty(struct xw *x, const char *name, const char *attr,
    const char *value);
/* <name>text</name>. */
void xw_elem_text(struct xw *x, const char *name, const char *text);

/* Closes every open element and ends the document.  On success returns
 * the part's bytes (malloc'd, owned by the caller) and their length in
 * *len; on failure returns NULL after reporting (EXIT_INTERNAL, naming
 * part).  Frees x either way. */
char *xw_finish(struct xw *x, const char *part, size_t *len);
void xw_free(struct xw *x);
/* xw_finish for an xw_create_spool part: returns the spool holding the
 * part's bytes (owned by the caller: spool_free, or dzip_add_spool), or
 * NULL after reporting (EXIT_INTERNAL naming part, or the spool's
 * EXIT_OUTPUT).  Frees x either way. */
struct spool;
struct spool *xw_finish_spool(struct xw *x, const char *part);

/* Parses the well-formedness of buf[0..len) (tests): 0 if it parses. */
int xw_check(const char *buf, size_t len);

#endif
