/* libharu 2.3.0 patches: the only file that reaches into libharu's
 * private structures (HPDF_Doc_Rec, HPDF_PageAttr_Rec, HPDF_Dict_Rec,
 * HPDF_Stream_Rec).
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
#include <stdint.h>

#include <hpdf.h>

/* A new document (HPDF_NewEx with on_error and user_data) whose objects
 * live in big blocks (bigmem.h) instead of the heap: big_tick drops them
 * from memory while they wait for the save.  One such document per
 * thread at a time (libharu's allocation functions take no argument):
 * NULL if this thread has one already, or on failure (raised through
 * on_error when libharu got that far).  Free it with hp_free, never
 * HPDF_Free. */
HPDF_Doc hp_new(HPDF_Error_Handler on_error, void *user_data);

/* Frees a document of hp_new and its blocks (also after hp_new failed:
 * pdf NULL). */
void hp_free(HPDF_Doc pdf);

/* Writes n bytes of the document being saved; returns 0, or -1 with
 * errno set. */
typedef int (*hp_write_fn)(void *arg, const void *buf, size_t n);

/* Saves pdf (the bytes HPDF_SaveToFile writes) through write(arg, ...),
 * piece by piece as libharu produces them.  A failed write is raised as
 * HPDF_FILE_IO_ERROR (detail 0: errno says why) and the save stops. */
HPDF_STATUS hp_save(HPDF_Doc pdf, hp_write_fn write, void *arg);

/* Gives the page tree's root a MediaBox of w x h pt and an empty
 * Resources dictionary with a Font dictionary, returned in *fonts (owned
 * by the document), for every page to inherit. */
HPDF_STATUS hp_root_resources(HPDF_Doc pdf, double w, double h,
    HPDF_Dict *fonts);

/* Removes a new page's own MediaBox and Resources so that it inherits
 * the root's (see hp_root_resources), and remembers the page tree node
 * it was added to: when every page of a document of hp_new went through
 * here, hp_save counts the pages under each node without reading the
 * pages back (else it reads every page tree kid). */
HPDF_STATUS hp_page_inherit(HPDF_Page page);

/* Reads bytes [off, off + n) of a page source into buf; returns 0, or -1
 * after reporting. */
typedef int (*hp_read_fn)(void *arg, uint64_t off, void *buf, size_t n);

/* Replaces page's content stream by len bytes, already deflated, that
 * stay outside libharu: read(arg, off + k, ...) gives them back while
 * HPDF_SaveToFile writes the page (arg must live until then).  libharu
 * keeps a few dozen bytes for the page's stream. */
HPDF_STATUS hp_page_set_source(HPDF_Doc pdf, HPDF_Page page, hp_read_fn read,
    void *arg, uint64_t off, size_t len);

/* A PDF null object owned by the document (for destinations). */
HPDF_Null hp_null(HPDF_Doc pdf);

/* New objects owned by the document, for what 2.3.0 cannot write itself
 * (our own Type0 fonts).  NULL on failure (raised through the error
 * handler).  A dictionary made with indirect set is an object of its own,
 * referenced wherever it is added. */
HPDF_Dict hp_dict(HPDF_Doc pdf, int indirect);
HPDF_Array hp_array(HPDF_Doc pdf);
/* Adds key: the PDF string s (no NUL inside) to dict. */
HPDF_STATUS hp_dict_add_string(HPDF_Doc pdf, HPDF_Dict dict,
    const char *key, const char *s);
/* A new indirect stream object of exactly z[0..zlen), already deflated
 * (/Filter /FlateDecode); its other keys are added by the caller. */
HPDF_Dict hp_stream_deflated(HPDF_Doc pdf, const unsigned char *z,
    size_t zlen);

#endif
