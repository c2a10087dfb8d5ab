/* DOCX XML parts through libxml2's xmlTextWriter (see docx_xml.h).
 *
 * libxml2 is loaded with dlopen when the first part is written, not
 * linked: a run that writes no DOCX never maps it and what it pulls in
 * (ICU, libstdc++, liblzma: a third of the start-up of a PDF run and
 * 4 MB of RSS).  The calls go through the table X. */
#include "docx_xml.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "diag.h"
#include "spool.h"
#include "util.h"

#define XML_LIB "libxml2.so.2"     /* Debian's libxml2 */

#define XML_FNS(F) F(xmlBufferCreate) F(xmlNewTextWriterMemory) \
	F(xmlTextWriterStartDocument) F(xmlTextWriterStartElement) \
	F(xmlTextWriterEndElement) F(xmlTextWriterWriteAttribute) \
	F(xmlTextWriterWriteString) F(xmlFreeTextWriter) F(xmlBufferFree) \
	F(xmlTextWriterEndDocument) F(xmlTextWriterFlush) \
	F(xmlBufferLength) F(xmlBufferContent) F(xmlReadMemory) \
	F(xmlFreeDoc) F(xmlOutputBufferCreateIO) F(xmlNewTextWriter)

/* The libxml2 functions used, once loaded (kept for the process's life). */
static struct {
#define XML_MEMBER(f) __typeof__(&f) f;
	XML_FNS(XML_MEMBER)
#undef XML_MEMBER
} X;
static int x_state;     /* 0: not tried, 1: loaded, -1: failed (reported) */

/* Loads libxml2 into X on the first call (single-threaded: the DOCX writer
 * runs on the main thread).  Returns 0, or -1 after reporting the failure
 * once with EXIT_INTERNAL. */
static int
xml_load(void)
{
	static const struct dl_fn fn[] = {
#define XML_ENTRY(f) { #f, offsetof(__typeof__(X), f) },
		XML_FNS(XML_ENTRY)
#undef XML_ENTRY
	};
	const char *why;
	int missing;

	if (x_state == 0) {
		x_state = dl_load(XML_LIB, fn, sizeof fn / sizeof fn[0], &X,
		    &why, &missing) != NULL ? 1 : -1;
		if (x_state < 0 && missing)
			diag_error(EXIT_INTERNAL, NULL, "%s has no %s: not a "
			    "usable library", XML_LIB, why);
		else if (x_state < 0)
			diag_error(EXIT_INTERNAL, NULL, "cannot load %s, which "
			    "writing a DOCX needs (install Debian's %s "
			    "package): %s", XML_LIB, "libxml2", why);
	}
	return x_state > 0 ? 0 : -1;
}

struct xw {
	xmlBufferPtr buf;       /* the bytes (xw_create), or NULL */
	struct spool *sp;       /* the bytes (xw_create_spool), or NULL */
	xmlTextWriterPtr w;
	int failed;     /* 1: a call failed; 2: libxml2 could not be loaded
			 * (xml_load reported that); 3: no spool could be
			 * made (spool_new reported that) */
};

struct xw *
xw_create(void)
{
	struct xw *x = xcalloc(1, sizeof(*x));

	if (xml_load() != 0) {
		x->failed = 2;
		return x;
	}
	x->buf = X.xmlBufferCreate();
	if (x->buf == NULL || (x->w = X.xmlNewTextWriterMemory(x->buf,
	    0)) == NULL) {
		x->failed = 1;
		return x;
	}
	if (X.xmlTextWriterStartDocument(x->w, NULL, "UTF-8", "yes") < 0)
		x->failed = 1;
	return x;
}

/* libxml2's output callback for a spooled part: appends buf[0..len) to
 * the spool ctx.  Returns len, or -1 once the spool has failed (reported
 * by spool.c). */
static int
spool_write_cb(void *ctx, const char *buf, int len)
{
	return spool_append(ctx, buf, (size_t)len) == 0 ? len : -1;
}

struct xw *
xw_create_spool(void)
{
	struct xw *x = xcalloc(1, sizeof(*x));
	xmlOutputBufferPtr out;

	if (xml_load() != 0) {
		x->failed = 2;
		return x;
	}
	if ((x->sp = spool_new()) == NULL) {
		x->failed = 3;
		return x;
	}
	/* As xmlNewTextWriterMemory does, with a spool for the buffer; the
	 * writer owns out from here. */
	out = X.xmlOutputBufferCreateIO(spool_write_cb, NULL, x->sp, NULL);
	if (out == NULL || (x->w = X.xmlNewTextWriter(out)) == NULL) {
		x->failed = 1;
		return x;
	}
	if (X.xmlTextWriterStartDocument(x->w, NULL, "UTF-8", "yes") < 0)
		x->failed = 1;
	return x;
}

void
xw_start(struct xw *x, const char *name)
{
	if (!x->failed && X.xmlTextWriterStartElement(x->w,
	    BAD_CAST name) < 0)
		x->failed = 1;
}

void
xw_end(struct xw *x)
{
	if (!x->failed && X.xmlTextWriterEndElement(x->w) < 0)
		x->failed = 1;
}

void
xw_attr(struct xw *x, const char *name, const char *value)
{
	if (!x->failed && X.xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
	    BAD_CAST value) < 0)
		x->failed = 1;
}

void
xw_attrf(struct xw *x, const char *name, const char *fmt, ...)
{
	char v[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	xw_attr(x, name, v);
}

void
xw_text(struct xw *x, const char *s)
{
	if (!x->failed && X.xmlTextWriterWriteString(x->w, BAD_CAST s) < 0)
		x->failed = 1;
}

void
xw_empty(struct xw *x, const char *name, const char *attr,
    const char *value)
{
	xw_start(x, name);
	if (attr != NULL && value != NULL)
		xw_attr(x, attr, value);
	xw_end(x);
}

void
xw_elem_text(struct xw *x, const char *name, const char *text)
{
	xw_start(x, name);
	xw_text(x, text);
	xw_end(x);
}

void
xw_free(struct xw *x)
{
	if (x == NULL)
		return;
	if (x->w != NULL)
		X.xmlFreeTextWriter(x->w);
	if (x->buf != NULL)
		X.xmlBufferFree(x->buf);
	spool_free(x->sp);
	free(x);
}

char *
xw_finish(struct xw *x, const char *part, size_t *len)
{
	char *out = NULL;

	if (!x->failed && X.xmlTextWriterEndDocument(x->w) < 0)
		x->failed = 1;
	if (!x->failed && X.xmlTextWriterFlush(x->w) < 0)
		x->failed = 1;
	if (x->failed == 1) {
		diag_error(EXIT_INTERNAL, NULL, "cannot write the XML of %s "
		    "(libxml2 failed)", part);
	} else if (!x->failed) {
		*len = (size_t)X.xmlBufferLength(x->buf);
		out = xmalloc(*len + 1);
		memcpy(out, X.xmlBufferContent(x->buf), *len);
		out[*len] = '\0';
	}
	xw_free(x);
	return out;
}

struct spool *
xw_finish_spool(struct xw *x, const char *part)
{
	struct spool *sp = NULL;

	if (!x->failed && X.xmlTextWriterEndDocument(x->w) < 0)
		x->failed = 1;
	if (!x->failed && X.xmlTextWriterFlush(x->w) < 0)
		x->failed = 1;
	if (x->failed == 1 && (x->sp == NULL || !spool_failed(x->sp)))
		diag_error(EXIT_INTERNAL, NULL, "cannot write the XML of %s "
		    "(libxml2 failed)", part);
	else if (!x->failed && !spool_failed(x->sp)) {
		sp = x->sp;
		x->sp = NULL;
	}
	xw_free(x);
	return sp;
}

int
xw_check(const char *buf, size_t len)
{
	xmlDocPtr d;

	if (len > (size_t)INT32_MAX || xml_load() != 0)
		return -1;
	d = X.xmlReadMemory(buf, (int)len, "part.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (d == NULL)
		return -1;
	X.xmlFreeDoc(d);
	return 0;
}
