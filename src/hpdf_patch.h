/* libharu 2.3.0 patches: the only file that reaches into libharu's
 * private structures (HPDF_Doc_Rec, HPDF_PageAttr_Rec, HPDF_FontAttr_Rec,
 * HPDF_TTFontDefAttr_Rec, HPDF_Dict_Rec, HPDF_Stream_Rec).
 *
 * Contract: each function works around one thing 2.3.0 does wrong or
 * cannot do through its public API; the comment at each function names
 * it.  They must be revisited if libharu is upgraded (the structures are
 * not part of its ABI promise).  Every function returns HPDF_OK or a
 * libharu error code; errors are also raised through the document's
 * error handler, like any libharu call. */
#ifndef ZJ_HPDF_PATCH_H
#define ZJ_HPDF_PATCH_H

#include <stddef.h>

#include <hpdf.h>

/* Gives the page tree's root a MediaBox of w x h pt and an empty
 * Resources dictionary with a Font dictionary, returned in *fonts (owned
 * by the document), for every page to inherit. */
HPDF_STATUS hp_root_resources(HPDF_Doc pdf, double w, double h,
    HPDF_Dict *fonts);

/* Removes a new page's own MediaBox and Resources so that it inherits
 * the root's (see hp_root_resources). */
HPDF_STATUS hp_page_inherit(HPDF_Page page);

/* Replaces page's content stream by z[0..zlen), already deflated. */
HPDF_STATUS hp_page_set_deflated(HPDF_Doc pdf, HPDF_Page page,
    const unsigned char *z, size_t zlen);

/* A PDF null object owned by the document (for destinations). */
HPDF_Null hp_null(HPDF_Doc pdf);

/* Marks every glyph of a TrueType CID font loaded by
 * HPDF_LoadTTFontFromFile(..., embed) to be embedded. */
HPDF_STATUS hp_font_embed_all_glyphs(HPDF_Font font);

/* Replaces the font's ToUnicode stream by cmap[0..len) (a complete
 * CMapType 2 CMap program). */
HPDF_STATUS hp_font_set_tounicode(HPDF_Font font, const char *cmap,
    size_t len);

/* The /Length of the font's FontFile2 stream once the document is saved,
 * or -1 if it has none. */
long hp_font_file_length(HPDF_Font font);

#endif
