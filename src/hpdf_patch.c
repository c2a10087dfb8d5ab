/* libharu 2.3.0 patches (see hpdf_patch.h).  Each access to a private
 * field says which 2.3.0 behaviour it works around. */
#include "hpdf_patch.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf_conf.h>
#include <hpdf_error.h>
#include <hpdf_mmgr.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <errno.h>

#include "hpdf_api.h"           /* after every libharu header */

#include "bigmem.h"
#include "diag.h"
#include "input.h"
#include "util.h"

/* ---- libharu itself (hp_load; see hpdf_api.h) ------------------------ */

struct hp_api hp_api;

/* fn_##f: the name is pasted, not expanded (it is a macro by now) */
#define HP_FN_ENTRY(f) { #f, offsetof(struct hp_api, fn_##f) },
static const struct dl_fn hp_fn[] = { HPDF_FNS(HP_FN_ENTRY) };
#undef HP_FN_ENTRY

int
hp_load(void)
{
	static int state;       /* 0: not tried, 1: loaded, -1: failed */
	static const char lib[] = "libhpdf-2.3.0.so";
	const char *why;
	int missing;

	if (state != 0)
		return state > 0 ? 0 : -1;
	errno = 0;
	if (dl_load(lib, hp_fn, sizeof hp_fn / sizeof hp_fn[0], &hp_api,
	    &why, &missing) != NULL) {
		state = 1;
		return 0;
	}
	if (errno == ENOMEM)
		in_oom();
	if (missing)
		diag_error(EXIT_INTERNAL, NULL, "%s has no %s: not a usable "
		    "library", lib, why);
	else
		diag_error(EXIT_INTERNAL, NULL, "cannot load %s, which the PDF "
		    "needs (install Debian's libhpdf-2.3.0 package): %s", lib,
		    why);
	state = -1;
	return -1;
}

/* ---- the document's memory (hp_new) --------------------------------- */

/* 2.3.0 allocates every object through the document's memory manager
 * and keeps them all until HPDF_Free: a page's dictionary, attributes,
 * graphics state, content stream object, xref entry and page tree kid
 * are ~2 KB that stay until the end, ~200 MB for 100,000 pages.  Its
 * pool mode (HPDF_NewEx with mem_pool_buf_size > 0) would put them in
 * blocks of our choosing, but makes HPDF_FreeMem a no-op and does not
 * align: every growth of a list (HPDF_List's Resize allocates the larger
 * array and frees the old one; the xref's list grows by 1,024 entries, a
 * page tree node's kids by 20) would stay allocated, hundreds of MB for
 * 100,000 pages.  So the documents use alloc_fn/free_fn of our own: a
 * size-class heap whose chunks are big blocks (bigmem.h), which
 * big_tick keeps out of the resident set, with real frees.
 *
 * Each allocation has an 8-byte header holding its size n (header
 * included, a multiple of 8).  Up to HEAP_CLASS_MAX it is carved from
 * the current chunk or taken from the free list of its size; a freed one
 * goes back to that list (its next pointer in the first payload word).
 * Up to HEAP_POW_MAX (lists of 1,000 to 130,000 items: the xref's, the
 * page tree's kids, the document's page list) n is rounded up to a power
 * of two, so that a list growing within one power reuses the block it
 * leaves (on the heap, its old arrays would stay resident).  A larger
 * one is a big block of its own, listed in large[] until freed.
 * hp_free releases the chunks and the large blocks wholesale: 2.3.0's
 * HPDF_Free would read every object back (a page tree node reads each
 * kid's header as it clears its /Kids) only to free it.
 *
 * Blocks of up to HEAP_RUN_MAX bytes are carved from runs of HEAP_RUN
 * bytes, one run per size, instead of among the others: the objects the
 * save writes to as it goes (each xref entry's byte offset, each stream's
 * /Length number) are such blocks, so its writes land on a few dense
 * pages instead of on every page of the chunks (each page big_tick
 * released since it was made is faulted in again, and a page written
 * once after it was read costs a second fault). */
#define HEAP_CLASS_MAX	((size_t)8192)
#define HEAP_NCLASS	(HEAP_CLASS_MAX / 8 + 1)
#define HEAP_POW_MIN	14              /* 2^14: the first above 8192 */
#define HEAP_POW_MAX	((size_t)1 << 20)
#define HEAP_NLIST	(HEAP_NCLASS + 20 - HEAP_POW_MIN + 1)
#define HEAP_CHUNK_MIN	((size_t)2 << 20)
#define HEAP_CHUNK_MAX	((size_t)16 << 20)
#define HEAP_RUN_MAX	((size_t)64)
#define HEAP_RUN	((size_t)64 * 1024)

struct hp_heap {
	char *cur;              /* the chunk being carved */
	size_t used, cap;
	void **chunks;          /* every chunk, freed by hp_free */
	size_t nchunks;
	void **large;           /* the live blocks above HEAP_POW_MAX */
	size_t nlarge, largecap;
	int closing;            /* in HPDF_Free: chunk frees are no-ops */
	void *free[HEAP_NLIST];
	struct {                /* the run of each size up to HEAP_RUN_MAX */
		char *cur;
		size_t left;
	} run[HEAP_RUN_MAX / 8 + 1];
	HPDF_Dict *nodes;       /* the parents of the pages hp_page_inherit */
	size_t nnodes, nodecap; /* saw, in order, each once */
	size_t npages;          /* the pages hp_page_inherit saw */
};

/* The free list of a block of n bytes (n <= HEAP_POW_MAX), n rounded up
 * to the size of its blocks. */
static size_t
heap_list(size_t *n)
{
	size_t k = HEAP_POW_MIN;

	if (*n <= HEAP_CLASS_MAX)
		return *n / 8;
	while (((size_t)1 << k) < *n)
		k++;
	*n = (size_t)1 << k;
	return HEAP_NCLASS + k - HEAP_POW_MIN;
}

/* The heap of the document this thread is building (one at a time:
 * alloc_fn and free_fn take no argument). */
static _Thread_local struct hp_heap *heap;

/* n bytes (a multiple of 8, at most HEAP_POW_MAX) from the current
 * chunk, or from a new one when it has not n left; NULL when out of
 * memory. */
static void *
heap_carve(struct hp_heap *h, size_t n)
{
	void *p;

	if (h->cur == NULL || h->cap - h->used < n) {
		size_t cap = h->cap == 0 ? HEAP_CHUNK_MIN : h->cap * 2;
		void **c = realloc(h->chunks, (h->nchunks + 1) * sizeof *c);
		if (c == NULL)
			return NULL;
		h->chunks = c;
		if (cap > HEAP_CHUNK_MAX)
			cap = HEAP_CHUNK_MAX;
		h->cur = h->chunks[h->nchunks++] = big_alloc(cap);
		h->cap = cap;
		h->used = 0;
	}
	p = h->cur + h->used;
	h->used += n;
	return p;
}

static void *
heap_alloc(HPDF_UINT size)
{
	struct hp_heap *h = heap;
	size_t n = ((size_t)size + 8 + 7) & ~(size_t)7;
	size_t *p;

	if (h == NULL)
		return NULL;
	if (n > HEAP_POW_MAX) {
		if (h->nlarge == h->largecap) {
			size_t cap = h->largecap == 0 ? 16 : h->largecap * 2;
			void **l = realloc(h->large, cap * sizeof *l);
			if (l == NULL)
				return NULL;
			h->large = l;
			h->largecap = cap;
		}
		p = big_alloc(n);
		p[0] = n;
		h->large[h->nlarge++] = p;
		return p + 1;
	}
	size_t l = heap_list(&n);
	if ((p = h->free[l]) != NULL) {
		h->free[l] = (void *)p[1];
		return p + 1;
	}
	if (n <= HEAP_RUN_MAX) {
		if (h->run[l].left < n) {
			if ((h->run[l].cur = heap_carve(h, HEAP_RUN)) == NULL)
				return NULL;
			h->run[l].left = HEAP_RUN;
		}
		p = (size_t *)h->run[l].cur;
		h->run[l].cur += n;
		h->run[l].left -= n;
	} else if ((p = heap_carve(h, n)) == NULL)
		return NULL;
	p[0] = n;
	return p + 1;
}

static void
heap_free(void *ptr)
{
	struct hp_heap *h = heap;
	size_t *p = (size_t *)ptr - 1;

	if (p[0] > HEAP_POW_MAX) {
		for (size_t i = h->nlarge; i-- > 0;)
			if (h->large[i] == p) {
				h->large[i] = h->large[--h->nlarge];
				break;
			}
		big_free(p);
	} else if (h->closing)
		big_tick(1);    /* HPDF_Free walks every object */
	else {
		size_t n = p[0], l = heap_list(&n);
		p[1] = (size_t)h->free[l];
		h->free[l] = p;
	}
}

HPDF_Doc
hp_new(HPDF_Error_Handler on_error, void *user_data)
{
	if (hp_load() != 0)
		return NULL;    /* reported */
	if (heap != NULL)
		return NULL;    /* this thread has one */
	if ((heap = calloc(1, sizeof *heap)) == NULL)
		return NULL;
	HPDF_Doc pdf = HPDF_NewEx(on_error, heap_alloc, heap_free, 0,
	    user_data);
	if (pdf == NULL)
		hp_free(NULL);
	return pdf;
}

void
hp_free(HPDF_Doc pdf)
{
	struct hp_heap *h = heap;

	if (h == NULL)
		return;
	/* Wholesale unless libharu loaded a font itself (its font
	 * definitions may hold a file open, closed by HPDF_Free; render.c
	 * loads none).  Nothing else in a document holds more than memory:
	 * images are read whole, the save's stream is gone (hp_save). */
	h->closing = 1;
	if (pdf != NULL && pdf->fontdef_list != NULL &&
	    pdf->fontdef_list->count > 0)
		HPDF_Free(pdf);
	for (size_t i = 0; i < h->nlarge; i++)
		big_free(h->large[i]);
	for (size_t i = 0; i < h->nchunks; i++)
		big_free(h->chunks[i]);
	free(h->large);
	free(h->chunks);
	free(h->nodes);
	free(h);
	heap = NULL;
}

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
	struct hp_heap *h = heap;
	/* See hp_root_resources: the page's own copies go. */
	HPDF_STATUS st = HPDF_Dict_RemoveElement(page, "MediaBox");
	if (st != HPDF_OK)
		return st;
	/* Its parent is remembered for count_fast (a page is added to the
	 * last page tree node libharu made: a new parent is the last). */
	HPDF_Dict parent = HPDF_Dict_GetItem(page, "Parent", HPDF_OCLASS_DICT);
	if (h != NULL && parent != NULL) {
		if (h->nnodes == 0 || h->nodes[h->nnodes - 1] != parent) {
			size_t i = h->nnodes;
			while (i > 0 && h->nodes[i - 1] != parent)
				i--;
			if (i == 0) {
				if (h->nnodes == h->nodecap) {
					size_t cap = h->nodecap ? 2 * h->nodecap
					    : 16;
					HPDF_Dict *v = realloc(h->nodes,
					    cap * sizeof *v);
					if (v == NULL)
						return HPDF_SetError(
						    page->error,
						    HPDF_FAILD_TO_ALLOC_MEM, 0);
					h->nodes = v;
					h->nodecap = cap;
				}
				h->nodes[h->nnodes++] = parent;
			}
		}
		h->npages++;
	}
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

/* The sink of hp_save: the caller's write function. */
struct sink {
	hp_write_fn write;
	void *arg;
};

static HPDF_STATUS
sink_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
	struct sink *k = stream->attr;

	if (k->write(k->arg, ptr, siz) != 0)
		return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
	return HPDF_OK;
}

/* Sets page tree node's /Count to n (adding it if it has none) and
 * leaves its count to us (no before_write_fn). */
static HPDF_STATUS
set_count(HPDF_Dict node, HPDF_UINT n)
{
	HPDF_Number count = HPDF_Dict_GetItem(node, "Count",
	    HPDF_OCLASS_NUMBER);
	HPDF_STATUS st;

	if (count != NULL)
		count->value = (HPDF_INT32)n;
	else if ((count = HPDF_Number_New(node->mmgr, (HPDF_INT32)n)) ==
	    NULL)
		return HPDF_Error_GetCode(node->error);
	else if ((st = HPDF_Dict_Add(node, "Count", count)) != HPDF_OK)
		return st;
	node->before_write_fn = NULL;
	return HPDF_OK;
}

/* Sets the /Count of pages and of the page tree nodes under it, and
 * adds it to *n. */
static HPDF_STATUS
count_pages(HPDF_Dict pages, HPDF_UINT *n)
{
	HPDF_Array kids = HPDF_Dict_GetItem(pages, "Kids", HPDF_OCLASS_ARRAY);
	HPDF_UINT total = 0;
	HPDF_STATUS st;

	if (kids == NULL)
		return HPDF_SetError(pages->error,
		    HPDF_PAGES_MISSING_KIDS_ENTRY, 0);
	for (HPDF_UINT i = 0; i < kids->list->count; i++) {
		HPDF_Obj_Header *h = HPDF_Array_GetItem(kids, i,
		    HPDF_OCLASS_DICT);
		if (h == NULL)
			return HPDF_Error_GetCode(pages->error);
		if (h->obj_class == (HPDF_OCLASS_DICT | HPDF_OSUBCLASS_PAGES)) {
			if ((st = count_pages((HPDF_Dict)h, &total)) !=
			    HPDF_OK)
				return st;
		} else if (h->obj_class == (HPDF_OCLASS_DICT |
		    HPDF_OSUBCLASS_PAGE))
			total++;
		/* a kid's header is half a page of memory read (~2 KB
		 * of objects a page): 2 ticks */
		big_tick(2);
	}
	if ((st = set_count(pages, total)) != HPDF_OK)
		return st;
	*n += total;
	return HPDF_OK;
}

/* count_pages without reading the kids (each kid's header is on a page
 * of memory of its own, which big_tick released long ago): when every
 * page went through hp_page_inherit, the page tree's nodes are the root
 * and the parents it saw, and a node's kids that are not nodes are
 * pages.  Returns 1 with the counts set, 0 when the tree is not known
 * that way (nothing set: count_pages must walk it), or -1 on an error
 * (raised). */
static int
count_fast(HPDF_Doc pdf)
{
	struct hp_heap *h = heap;
	HPDF_Dict root = pdf->root_pages;
	size_t n, i, j, *up = NULL;
	HPDF_UINT *sub = NULL, *cnt = NULL;
	HPDF_Dict *node = NULL;
	int rc = 0;

	if (h == NULL || pdf->page_list == NULL ||
	    h->npages != pdf->page_list->count)
		return 0;
	/* node[0] is the root, node[1..n) the other parents, in the order
	 * libharu made them (a node's parent is made before it) */
	n = 1 + h->nnodes;
	node = calloc(n, sizeof *node);
	up = calloc(n, sizeof *up);
	sub = calloc(n, sizeof *sub);
	cnt = calloc(n, sizeof *cnt);
	if (node == NULL || up == NULL || sub == NULL || cnt == NULL)
		goto out;
	node[0] = root;
	for (i = 0, j = 1; i < h->nnodes; i++)
		if (h->nodes[i] != root)
			node[j++] = h->nodes[i];
	n = j;
	for (i = 1; i < n; i++) {
		HPDF_Dict p = HPDF_Dict_GetItem(node[i], "Parent",
		    HPDF_OCLASS_DICT);
		for (j = 0; j < i && node[j] != p; j++)
			;
		if (j == i)
			goto out;       /* a parent not seen */
		up[i] = j;
		sub[j]++;
	}
	/* from the last made up: a node's count is its kids that are not
	 * nodes plus the counts of those that are */
	for (i = n; i-- > 0;) {
		HPDF_Array kids = HPDF_Dict_GetItem(node[i], "Kids",
		    HPDF_OCLASS_ARRAY);
		if (kids == NULL || kids->list->count < sub[i])
			goto out;
		cnt[i] += kids->list->count - sub[i];
		if (i > 0)
			cnt[up[i]] += cnt[i];
	}
	if (cnt[0] != pdf->page_list->count)
		goto out;
	rc = 1;
	for (i = 0; i < n && rc == 1; i++)
		if (set_count(node[i], cnt[i]) != HPDF_OK)
			rc = -1;
out:
	free(node);
	free(up);
	free(sub);
	free(cnt);
	return rc;
}

HPDF_STATUS
hp_save(HPDF_Doc pdf, hp_write_fn write, void *arg)
{
	/* 2.3.0 saves to a file only through a FILE of its own (no error
	 * checked at its fclose, nothing run between its writes), and to
	 * a stream only into memory (HPDF_SaveToStream: pdf->stream,
	 * private, is a memory stream unless one is there already).  So a
	 * callback stream of ours goes into pdf->stream: the same bytes
	 * as HPDF_SaveToFile (both run InternalSaveToStream), handed to
	 * write as they come.  HPDF_MemStream_FreeData leaves a stream
	 * that is not a memory stream alone; the document frees the
	 * stream (HPDF_Stream_Free: no free_fn, then the record). */
	struct sink k = { write, arg };
	HPDF_Stream st;
	HPDF_STATUS ret;
	HPDF_UINT n = 0;

	if (pdf->stream != NULL)
		return HPDF_SetError(&pdf->error, HPDF_INVALID_STREAM, 0);
	/* 2.3.0 writes a page tree node's /Count as it writes the node
	 * (Pages_BeforeWrite, private: dict->before_write_fn), counting
	 * the pages under it (GetPageCount) by reading the header of every
	 * one: for the root, the whole document's pages at once, with no
	 * write in between to tick on.  The same counts are set here first,
	 * from the nodes hp_page_inherit saw (count_fast: no kid read) or
	 * else node by node, ticking as the kids are read, and the nodes
	 * are written with no before_write_fn (Pages_New gave each a
	 * /Count, so no key moves). */
	int fast = count_fast(pdf);
	if (fast < 0 || (fast == 0 &&
	    count_pages(pdf->root_pages, &n) != HPDF_OK))
		return HPDF_CheckError(&pdf->error);
	st = HPDF_CallbackWriter_New(pdf->mmgr, sink_write, &k);
	if (st == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	pdf->stream = st;
	ret = HPDF_SaveToStream(pdf);
	pdf->stream = NULL;
	HPDF_Stream_Free(st);
	return ret;
}
