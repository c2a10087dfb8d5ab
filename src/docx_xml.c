/* DOCX XML parts through libxml2's xmlTextWriter (see docx_xml.h). */
#include "docx_xml.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "diag.h"
#include "util.h"

struct xw {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int failed;
};

struct xw *
xw_create(void)
{
	struct xw *x = xcalloc(1, sizeof(*x));

	x->buf = xmlBufferCreate();
	if (x->buf == NULL || (x->w = xmlNewTextWriterMemory(x->buf,
	    0)) == NULL) {
		x->failed = 1;
		return x;
	}
	if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", "yes") < 0)
		x->failed = 1;
	return x;
}

void
xw_start(struct xw *x, const char *name)
{
	if (!x->failed && xmlTextWriterStartElement(x->w,
	    BAD_CAST name) < 0)
		x->failed = 1;
}

void
xw_end(struct xw *x)
{
	if (!x->failed && xmlTextWriterEndElement(x->w) < 0)
		x->failed = 1;
}

void
xw_attr(struct xw *x, const char *name, const char *value)
{
	if (!x->failed && xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
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
	if (!x->failed && xmlTextWriterWriteString(x->w, BAD_CAST s) < 0)
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
		xmlFreeTextWriter(x->w);
	if (x->buf != NULL)
		xmlBufferFree(x->buf);
	free(x);
}

char *
xw_finish(struct xw *x, const char *part, size_t *len)
{
	char *out = NULL;

	if (!x->failed && xmlTextWriterEndDocument(x->w) < 0)
		x->failed = 1;
	if (!x->failed && xmlTextWriterFlush(x->w) < 0)
		x->failed = 1;
	if (x->failed) {
		diag_error(EXIT_INTERNAL, NULL, "cannot write the XML of %s "
		    "(libxml2 failed)", part);
	} else {
		*len = (size_t)xmlBufferLength(x->buf);
		out = xmalloc(*len + 1);
		memcpy(out, xmlBufferContent(x->buf), *len);
		out[*len] = '\0';
	}
	xw_free(x);
	return out;
}

int
xw_check(const char *buf, size_t len)
{
	xmlDocPtr d;

	if (len > (size_t)INT32_MAX)
		return -1;
	d = xmlReadMemory(buf, (int)len, "part.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (d == NULL)
		return -1;
	xmlFreeDoc(d);
	return 0;
}
