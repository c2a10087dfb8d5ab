/* libharu 2.3.0 patches (see hpdf_patch.h).  Each access to a private
 * field says which 2.3.0 behaviour it works around. */
#include "hpdf_patch.h"

#include <string.h>

#include <hpdf_conf.h>
#include <hpdf_error.h>
#include <hpdf_mmgr.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

HPDF_STATUS
hp_root_resources(HPDF_Doc pdf, double w, double h, HPDF_Dict *fonts)
{
	/* 2.3.0 gives every page its own MediaBox and Resources (a ProcSet
	 * array and a Font dictionary naming every font again: kilobytes
	 * of objects per page) and has no API for the page tree's root:
	 * pdf->root_pages and pdf->mmgr are private. */
	HPDF_MMgr mm = pdf->mmgr;
	HPDF_Dict root = pdf->root_pages;
	HPDF_STATUS st;
	HPDF_Array box = HPDF_Array_New(mm);
	if (box == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	if ((st = HPDF_Dict_Add(root, "MediaBox", box)) != HPDF_OK ||
	    (st = HPDF_Array_AddReal(box, 0)) != HPDF_OK ||
	    (st = HPDF_Array_AddReal(box, 0)) != HPDF_OK ||
	    (st = HPDF_Array_AddReal(box, (HPDF_REAL)w)) != HPDF_OK ||
	    (st = HPDF_Array_AddReal(box, (HPDF_REAL)h)) != HPDF_OK)
		return st;
	HPDF_Dict res = HPDF_Dict_New(mm);
	if (res == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	if ((st = HPDF_Dict_Add(root, "Resources", res)) != HPDF_OK)
		return st;
	HPDF_Dict f = HPDF_Dict_New(mm);
	if (f == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	if ((st = HPDF_Dict_Add(res, "Font", f)) != HPDF_OK)
		return st;
	*fonts = f;
	return HPDF_OK;
}

HPDF_STATUS
hp_page_inherit(HPDF_Page page)
{
	/* See hp_root_resources: the page's own copies go. */
	HPDF_STATUS st = HPDF_Dict_RemoveElement(page, "MediaBox");
	if (st != HPDF_OK)
		return st;
	return HPDF_Dict_RemoveElement(page, "Resources");
}

/* Writes "/Filter /FlateDecode" into a stream's dictionary whose data is
 * already deflated (libharu writes it as is: filter NONE). */
static HPDF_STATUS
flate_entry(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* The state of a source stream (hp_page_set_source). */
struct src {
	hp_read_fn read;
	void *arg;
	uint64_t off;
	HPDF_UINT len, pos;
};

static HPDF_STATUS
src_read(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	struct src *s = stream->attr;
	HPDF_UINT n = s->len - s->pos < *siz ? s->len - s->pos : *siz;

	if (n > 0 && s->read(s->arg, s->off + s->pos, ptr, n) != 0) {
		*siz = 0;
		return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
	}
	s->pos += n;
	if (n < *siz) {
		*siz = n;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS
src_seek(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct src *s = stream->attr;
	long long p = mode == HPDF_SEEK_CUR ? (long long)s->pos + pos :
	    mode == HPDF_SEEK_END ? (long long)s->len - pos : pos;

	if (p < 0 || p > (long long)s->len)
		return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
	s->pos = (HPDF_UINT)p;
	return HPDF_OK;
}

static HPDF_INT32
src_tell(HPDF_Stream stream)
{
	return (HPDF_INT32)((struct src *)stream->attr)->pos;
}

static HPDF_UINT32
src_size(HPDF_Stream stream)
{
	return ((struct src *)stream->attr)->len;
}

static void
src_free(HPDF_Stream stream)
{
	HPDF_FreeMem(stream->mmgr, stream->attr);
	stream->attr = NULL;
}

HPDF_STATUS
hp_page_set_source(HPDF_Doc pdf, HPDF_Page page, hp_read_fn read, void *arg,
    uint64_t off, size_t len)
{
	/* 2.3.0 keeps every page's content in 4 KB memory blocks until the
	 * save and deflates them all then, in one thread; it has no API to
	 * give a page content that is already deflated, nor content that is
	 * not in memory.  So the page's contents stream (private:
	 * attr->contents, attr->stream) is replaced by a stream of our own,
	 * written with filter NONE (private: dict->filter, dict->write_fn)
	 * plus our own /Filter entry.  2.3.0 writes a stream's data by
	 * seeking it to 0 and reading it to its end
	 * (HPDF_Stream_WriteToStream), taking its size from size_fn when it
	 * has no write_fn; it frees the stream with the document
	 * (HPDF_Stream_Free: free_fn, then the record). */
	HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
	HPDF_Dict contents = pa->contents;
	HPDF_MMgr mm = pdf->mmgr;
	HPDF_Stream st;
	struct src *s;

	if (len > 0x7fffffff)
		return HPDF_SetError(pdf->mmgr->error, HPDF_INVALID_PARAMETER,
		    0);
	st = HPDF_GetMem(mm, sizeof(*st));
	s = HPDF_GetMem(mm, sizeof(*s));
	if (st == NULL || s == NULL) {
		if (st != NULL)
			HPDF_FreeMem(mm, st);
		if (s != NULL)
			HPDF_FreeMem(mm, s);
		return HPDF_FAILD_TO_ALLOC_MEM;
	}
	memset(st, 0, sizeof(*st));
	s->read = read;
	s->arg = arg;
	s->off = off;
	s->len = (HPDF_UINT)len;
	s->pos = 0;
	st->sig_bytes = HPDF_STREAM_SIG_BYTES;
	st->type = HPDF_STREAM_CALLBACK;
	st->mmgr = mm;
	st->error = mm->error;
	st->read_fn = src_read;
	st->seek_fn = src_seek;
	st->tell_fn = src_tell;
	st->size_fn = src_size;
	st->free_fn = src_free;
	st->attr = s;
	HPDF_Stream_Free(contents->stream);
	contents->stream = st;
	pa->stream = st;
	contents->filter = HPDF_STREAM_FILTER_NONE;
	contents->write_fn = flate_entry;
	return HPDF_OK;
}

HPDF_Null
hp_null(HPDF_Doc pdf)
{
	/* 2.3.0's HPDF_Destination_SetXYZ refuses a zoom of 0 (null:
	 * "keep the reader's zoom"), so destinations are built by hand;
	 * the null object needs the private pdf->mmgr. */
	return HPDF_Null_New(pdf->mmgr);
}

/* 2.3.0 builds font objects only through its own TrueType loader (see
 * render.c); objects of our own need the private pdf->mmgr and
 * pdf->xref. */
HPDF_Dict
hp_dict(HPDF_Doc pdf, int indirect)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
	if (d != NULL && indirect && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL;    /* HPDF_Xref_Add freed it */
	return d;
}

HPDF_Array
hp_array(HPDF_Doc pdf)
{
	return HPDF_Array_New(pdf->mmgr);
}

HPDF_STATUS
hp_dict_add_string(HPDF_Doc pdf, HPDF_Dict dict, const char *key,
    const char *s)
{
	HPDF_String str = HPDF_String_New(pdf->mmgr, s, NULL);
	if (str == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	return HPDF_Dict_Add(dict, key, str);
}

HPDF_Dict
hp_stream_deflated(HPDF_Doc pdf, const unsigned char *z, size_t zlen)
{
	/* written with filter NONE (private: dict->filter, dict->write_fn)
	 * plus our own /Filter entry, as hp_page_set_source does */
	HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (d == NULL)
		return NULL;
	if (HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen) != HPDF_OK)
		return NULL;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = flate_entry;
	return d;
}
