/* libharu 2.3.0 patches (see hpdf_patch.h).  Each access to a private
 * field says which 2.3.0 behaviour it works around. */
#include "hpdf_patch.h"

#include <string.h>

#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_font.h>
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

/* Writes "/Filter /FlateDecode" into a content stream's dictionary whose
 * data is already deflated (libharu writes it as is: filter NONE). */
static HPDF_STATUS
flate_entry(HPDF_Dict obj, HPDF_Stream stream)
{
	(void)obj;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

HPDF_STATUS
hp_page_set_deflated(HPDF_Doc pdf, HPDF_Page page, const unsigned char *z,
    size_t zlen)
{
	/* 2.3.0 keeps every page's content in 4 KB memory blocks until the
	 * save and deflates them all then, in one thread; it has no API to
	 * give a page content that is already deflated.  So the page's
	 * contents stream (private: attr->contents, attr->stream) is
	 * replaced by a memory stream of exactly these bytes, written with
	 * filter NONE (private: dict->filter, dict->write_fn) plus our own
	 * /Filter entry. */
	HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
	HPDF_Dict contents = pa->contents;
	HPDF_Stream ms = HPDF_MemStream_New(pdf->mmgr, (HPDF_UINT)zlen);
	if (ms == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	HPDF_STATUS st = HPDF_Stream_Write(ms, z, (HPDF_UINT)zlen);
	if (st != HPDF_OK) {
		HPDF_Stream_Free(ms);
		return st;
	}
	HPDF_Stream_Free(contents->stream);
	contents->stream = ms;
	pa->stream = ms;
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

HPDF_STATUS
hp_font_embed_all_glyphs(HPDF_Font font)
{
	/* 2.3.0 drops nested composite components when it marks the glyphs
	 * to embed (glyph_tbl.flgs, private); our subset holds only what is
	 * needed, so every glyph of it is marked. */
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_TTFontDefAttr da = (HPDF_TTFontDefAttr)fa->fontdef->attr;
	if (da->glyph_tbl.flgs != NULL)
		memset(da->glyph_tbl.flgs, 1, da->num_glyphs);
	return HPDF_OK;
}

HPDF_STATUS
hp_font_set_tounicode(HPDF_Font font, const char *cmap, size_t len)
{
	/* 2.3.0 writes as ToUnicode a copy of its Identity CID CMap, which
	 * poppler rejects; the stream (private: attr->cmap_stream) gets our
	 * CMap and loses the CID CMap's entries. */
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict cm = fa->cmap_stream;
	if (cm == NULL || cm->stream == NULL)
		return HPDF_OK;
	HPDF_MemStream_FreeData(cm->stream);
	HPDF_Dict_RemoveElement(cm, "Type");
	HPDF_Dict_RemoveElement(cm, "CMapName");
	HPDF_Dict_RemoveElement(cm, "CIDSystemInfo");
	HPDF_Dict_RemoveElement(cm, "WMode");
	return HPDF_Stream_Write(cm->stream, (const HPDF_BYTE *)cmap,
	    (HPDF_UINT)len);
}

long
hp_font_file_length(HPDF_Font font)
{
	/* 2.3.0 has no API to the font descriptor (private:
	 * attr->fontdef->descriptor). */
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_Dict desc = fa->fontdef->descriptor;
	HPDF_Dict ff = desc != NULL ? HPDF_Dict_GetItem(desc, "FontFile2",
	    HPDF_OCLASS_DICT) : NULL;
	HPDF_Number ln = ff != NULL ? HPDF_Dict_GetItem(ff, "Length",
	    HPDF_OCLASS_NUMBER) : NULL;
	return ln != NULL ? (long)ln->value : -1;
}
