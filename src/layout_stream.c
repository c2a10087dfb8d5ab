/* Layout streaming (lay_stream, lay_page): boxes on disk.
 *
 * lay_stream lays out as lay_run does, but at the safe points of
 * lay_flush (between blocks and table rows) the boxes in memory go to a
 * spool as fixed-size records (struct rec: the box, its text's place in a
 * second spool), and the text arena is emptied.  A keep rule that reads a
 * box already on disk reads its record (lbox); one that rolls back past
 * them cuts the spools back (lay_unspool).  At the end the records are
 * read once to index them by page: runs of consecutive boxes on one page,
 * sorted by page (stable, so a page's boxes keep the layout order, page
 * numbers last, as lay_run's result drawn page by page).  lay_page reads
 * a page's runs back and sets its text boxes as lay_run's set_boxes does
 * (so the PDF is the same). */
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "diag.h"
#include "spool.h"
#include "util.h"

/* Boxes in memory before lay_flush writes them. */
#define FLUSH_MIN 4096
/* Records read at a time when indexing. */
#define SCAN_N 4096

/* A box on disk: its text (no NUL) is tlen bytes at tpos of the text
 * spool when has is 1. */
struct rec {
	struct lay_box b;           /* text NULL */
	uint64_t tpos;
	uint32_t tlen, has;
};

/* Consecutive boxes [first, first + n) on one page, their texts
 * [tpos, tpos + tlen). */
struct prun {
	int page;
	size_t first, n;
	uint64_t tpos, tlen;
};

struct lay_store {
	struct spool *recs, *texts;         /* NULL: a lay_run result */
	int maxpage;                        /* of the boxes on disk */
	struct rec *rv;                     /* scratch records */
	size_t rcap;
	/* The page index: runs sorted by page; page p's are
	 * runs[pstart[p] .. pstart[p + 1]).  A lay_run result's: idx, box
	 * indices sorted by page, page p's idx[pstart[p] .. pstart[p+1]).
	 * They grow with the pages (or boxes): big blocks (bigmem.h). */
	struct prun *runs;
	size_t nruns;
	size_t *idx;
	size_t *pstart;
	/* lay_page's page: boxes and texts, set boxes. */
	struct lay_box *pv, *sv;
	size_t pcap, scap;
	char *pt;
	size_t ptcap;
	const struct style *st;
	const struct lay_measure *m;
	struct text sx;
	/* What the text boxes show, read once by build_index: per role a
	 * LAY_NCP-bit map of code points (NULL: none); the lowest page
	 * with text that is not UTF-8 (0: none); the texts read. */
	uint8_t *chars[ROLE_COUNT];
	int badpage;
	char *tb;
	size_t tbcap;
	/* Boxes added after the layout (r->boxes[0 .. r->nboxes - r->base):
	 * the review copy's marks), by page as the layout's are: page p's
	 * are xidx[xstart[p] .. xstart[p + 1]), built for xn of them. */
	size_t *xidx, *xstart, xn;
	/* lay_box_at's box and its text. */
	struct lay_box cur;
	char *ct;
	size_t ctcap;
};

static void
need_recs(struct lay_store *sp, size_t n)
{
	if (n > sp->rcap) {
		sp->rcap = n > 2 * sp->rcap ? n : 2 * sp->rcap;
		sp->rv = xreallocarray(sp->rv, sp->rcap, sizeof(*sp->rv));
	}
}

int
store_begin(struct lay *L)
{
	struct lay_store *sp = xcalloc(1, sizeof(*sp));

	L->r->store = sp;
	sp->st = L->st;
	sp->m = L->fm;
	if ((sp->recs = spool_new()) == NULL ||
	    (sp->texts = spool_new()) == NULL)
		return -1;
	L->sp = sp;
	return 0;
}

int
store_maxpage(const struct lay *L)
{
	return L->sp->maxpage > 0 ? L->sp->maxpage : 1;
}

int
lay_streamed(const struct lay_result *r)
{
	return r != NULL && r->store != NULL && r->store->recs != NULL;
}

const struct lay_box *
lay_box_at(const struct lay_result *r, size_t i, int text)
{
	struct lay_store *sp = r->store;
	struct rec rc;

	if (!lay_streamed(r) || i >= r->base)
		return &r->boxes[i - r->base];
	memset(&rc, 0, sizeof(rc));
	/* a failure is reported (lay_read_failed): a zero box, on no page */
	(void)spool_read(sp->recs, (uint64_t)i * sizeof(rc), &rc, sizeof(rc));
	sp->cur = rc.b;
	sp->cur.text = NULL;
	if (text && rc.has) {
		if (rc.tlen + (size_t)1 > sp->ctcap) {
			sp->ctcap = rc.tlen + (size_t)1 > 2 * sp->ctcap ?
			    rc.tlen + (size_t)1 : 2 * sp->ctcap;
			sp->ct = xrealloc(sp->ct, sp->ctcap);
		}
		if (spool_read(sp->texts, rc.tpos, sp->ct, rc.tlen) == 0) {
			sp->ct[rc.tlen] = '\0';
			sp->cur.text = sp->ct;
		}
	}
	return &sp->cur;
}

size_t
store_first_on_page(const struct lay_result *r, size_t lo, size_t hi,
    int page)
{
	const struct lay_store *sp = r->store;
	size_t i;

	if (page < 1 || page > r->npages)
		return hi;
	/* page's runs, in box order (the sort by page is stable) */
	for (i = sp->pstart[page]; i < sp->pstart[page + 1]; i++) {
		const struct prun *ru = &sp->runs[i];

		if (ru->first >= hi)
			break;
		if (ru->first + ru->n > lo)
			return ru->first > lo ? ru->first : lo;
	}
	return hi;
}

int
lay_read_failed(const struct lay_result *r)
{
	return lay_streamed(r) && (spool_failed(r->store->recs) ||
	    spool_failed(r->store->texts));
}

struct lay_box
lbox(const struct lay *L, size_t i)
{
	const struct lay_result *r = L->r;
	struct rec rc;

	if (i >= r->base)
		return r->boxes[i - r->base];
	memset(&rc, 0, sizeof(rc));
	/* a failure is reported and fails lay_stream at its end */
	(void)spool_read(L->sp->recs, (uint64_t)i * sizeof(rc), &rc,
	    sizeof(rc));
	return rc.b;
}

void
lay_flush(struct lay *L, int force)
{
	struct lay_result *r = L->r;
	struct lay_store *sp = L->sp;
	size_t i, n;
	uint64_t tpos;

	if (sp == NULL)
		return;
	n = r->nboxes - r->base;
	if (n == 0 || (!force && n < FLUSH_MIN))
		return;
	need_recs(sp, n);
	tpos = spool_size(sp->texts);
	for (i = 0; i < n; i++) {
		const struct lay_box *b = &r->boxes[i];
		struct rec *rc = &sp->rv[i];

		memset(rc, 0, sizeof(*rc));
		rc->b = *b;
		rc->b.text = NULL;
		rc->tpos = tpos;
		if (b->text != NULL) {
			size_t len = strlen(b->text);

			rc->has = 1;
			rc->tlen = (uint32_t)len;
			(void)spool_append(sp->texts, b->text, len);
			tpos += len;
		}
		if (b->page > sp->maxpage)
			sp->maxpage = b->page;
	}
	(void)spool_append(sp->recs, sp->rv, n * sizeof(*sp->rv));
	r->base = r->nboxes;
	lay_arena_reset(r);
}

void
lay_unspool(struct lay *L, size_t n)
{
	struct lay_result *r = L->r;
	struct lay_store *sp = L->sp;
	struct rec rc;
	size_t i;

	memset(&rc, 0, sizeof(rc));
	(void)spool_read(sp->recs, (uint64_t)n * sizeof(rc), &rc, sizeof(rc));
	(void)spool_truncate(sp->recs, (uint64_t)n * sizeof(rc));
	(void)spool_truncate(sp->texts, rc.tpos);
	r->base = n;
	/* the highest page of what is left (rare: a keep rule undoing a
	 * table's rows) */
	sp->maxpage = 0;
	for (i = 0; i < n && !spool_failed(sp->recs); i++) {
		(void)spool_read(sp->recs, (uint64_t)i * sizeof(rc), &rc,
		    sizeof(rc));
		if (rc.b.page > sp->maxpage)
			sp->maxpage = rc.b.page;
	}
}

/* Marks the code points of the text boxes rv[0..k) (records in spool
 * order, their texts one span of the text spool) in sp->chars, and the
 * lowest page whose text is not UTF-8 in sp->badpage.  Returns 0 or -1
 * after reporting (the text spool cannot be read). */
static int
scan_chars(struct lay_store *sp, const struct rec *rv, size_t k)
{
	uint64_t t0 = rv[0].tpos;
	size_t span = (size_t)(rv[k - 1].tpos + rv[k - 1].tlen - t0), off;

	if (span > sp->tbcap) {
		sp->tbcap = span > 2 * sp->tbcap ? span : 2 * sp->tbcap;
		sp->tb = xrealloc(sp->tb, sp->tbcap);
	}
	if (span > 0 && spool_read(sp->texts, t0, sp->tb, span) != 0)
		return -1;
	for (size_t j = 0; j < k; j++) {
		const struct rec *rc = &rv[j];
		const char *s = sp->tb + (rc->tpos - t0);
		uint8_t *set;

		if (!rc->has || rc->b.kind != LAY_BOX_TEXT || rc->tlen == 0)
			continue;
		if ((set = sp->chars[rc->b.role]) == NULL)
			set = sp->chars[rc->b.role] = xcalloc(LAY_NCP / 8, 1);
		for (off = 0; off < rc->tlen;) {
			size_t left = rc->tlen - off;
			uint32_t cp;
			size_t l = utf8_decode(s + off, left < 4 ? left : 4,
			    &cp);

			if (l == 0 || cp >= LAY_NCP) {
				if (sp->badpage == 0 || rc->b.page < sp->badpage)
					sp->badpage = rc->b.page;
				break;
			}
			set[cp >> 3] |= (uint8_t)(1u << (cp & 7));
			off += l;
		}
	}
	return 0;
}

int
lay_chars(const struct lay_result *r, unsigned role, const uint8_t **set,
    int *badpage)
{
	const struct lay_store *sp = r->store;

	*set = NULL;
	*badpage = 0;
	if (sp == NULL || sp->recs == NULL || role >= ROLE_COUNT)
		return 0;
	*set = sp->chars[role];
	*badpage = sp->badpage;
	return 1;
}

/* Reads every record once: the runs of boxes by page, sorted by page;
 * the characters each role shows (scan_chars). */
static int
build_index(struct lay_result *r, struct lay_store *sp)
{
	size_t i, k, cap = 0, np = (size_t)r->npages;
	struct prun *v = NULL;

	for (i = 0; i < r->nboxes; i += k) {
		k = r->nboxes - i < SCAN_N ? r->nboxes - i : SCAN_N;
		need_recs(sp, k);
		if (spool_read(sp->recs, (uint64_t)i * sizeof(struct rec),
		    sp->rv, k * sizeof(struct rec)) != 0) {
			big_free(v);
			return -1;
		}
		for (size_t j = 0; j < k; j++) {
			const struct rec *rc = &sp->rv[j];

			if (rc->b.page < 1 || rc->b.page > r->npages ||
			    rc->b.role >= ROLE_COUNT) {
				diag_error(EXIT_INTERNAL, NULL, "layout box "
				    "%zu is on page %d of %d", i + j,
				    rc->b.page, r->npages);
				big_free(v);
				return -1;
			}
			if (sp->nruns > 0 && v[sp->nruns - 1].page ==
			    rc->b.page) {
				v[sp->nruns - 1].n++;
				v[sp->nruns - 1].tlen += rc->tlen;
				continue;
			}
			if (sp->nruns == cap) {
				cap = cap ? 2 * cap : 256;
				v = big_reallocarray(v, cap, sizeof(*v));
			}
			big_tick(1);
			v[sp->nruns].page = rc->b.page;
			v[sp->nruns].first = i + j;
			v[sp->nruns].n = 1;
			v[sp->nruns].tpos = rc->tpos;
			v[sp->nruns++].tlen = rc->tlen;
		}
		if (scan_chars(sp, sp->rv, k) != 0) {
			big_free(v);
			return -1;
		}
	}
	/* counting sort by page, stable */
	sp->pstart = big_calloc(np + 2, sizeof(*sp->pstart));
	for (i = 0; i < sp->nruns; i++)
		sp->pstart[v[i].page + 1]++;
	for (i = 1; i <= np + 1; i++)
		sp->pstart[i] += sp->pstart[i - 1];
	sp->runs = big_reallocarray(NULL, sp->nruns + 1, sizeof(*sp->runs));
	{
		size_t *at = big_reallocarray(NULL, np + 2, sizeof(*at));

		memcpy(at, sp->pstart, (np + 2) * sizeof(*at));
		for (i = 0; i < sp->nruns; i++) {
			sp->runs[at[v[i].page]++] = v[i];
			big_tick(1);
		}
		big_free(at);
	}
	big_free(v);
	free(sp->rv);
	sp->rv = NULL;
	sp->rcap = 0;
	free(sp->tb);
	sp->tb = NULL;
	sp->tbcap = 0;
	return 0;
}

int
store_end(struct lay *L)
{
	struct lay_result *r = L->r;
	struct lay_store *sp = L->sp;

	lay_flush(L, 1);
	free(r->boxes);
	r->boxes = NULL;
	L->boxcap = 0;
	L->sp = NULL;
	if (spool_failed(sp->recs) || spool_failed(sp->texts))
		return -1;
	return build_index(r, sp);
}

void
store_free(struct lay_result *r)
{
	struct lay_store *sp = r->store;

	if (sp == NULL)
		return;
	r->store = NULL;
	spool_free(sp->recs);
	spool_free(sp->texts);
	free(sp->rv);
	big_free(sp->runs);
	big_free(sp->idx);
	big_free(sp->pstart);
	free(sp->pv);
	free(sp->sv);
	free(sp->pt);
	for (size_t i = 0; i < ROLE_COUNT; i++)
		free(sp->chars[i]);
	free(sp->tb);
	big_free(sp->xidx);
	big_free(sp->xstart);
	free(sp->ct);
	text_free(&sp->sx);
	free(sp);
}

static void
need_boxes(struct lay_box **v, size_t *cap, size_t n)
{
	if (n > *cap) {
		*cap = n > 2 * *cap ? n : 2 * *cap;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
}

/* A lay_run result's page index (built on the first lay_page). */
static int
mem_index(struct lay_result *r, struct lay_store *sp)
{
	size_t b, np = (size_t)(r->npages > 0 ? r->npages : 0);
	size_t *at;

	for (b = 0; b < r->nboxes; b++)
		if (r->boxes[b].page < 1 || r->boxes[b].page > r->npages) {
			diag_error(EXIT_INTERNAL, NULL, "layout box %zu is on "
			    "page %d of %d", b, r->boxes[b].page, r->npages);
			return -1;
		}
	sp->pstart = big_calloc(np + 2, sizeof(*sp->pstart));
	for (b = 0; b < r->nboxes; b++)
		sp->pstart[r->boxes[b].page + 1]++;
	for (b = 1; b <= np + 1; b++)
		sp->pstart[b] += sp->pstart[b - 1];
	at = big_reallocarray(NULL, np + 2, sizeof(*at));
	memcpy(at, sp->pstart, (np + 2) * sizeof(*at));
	sp->idx = big_reallocarray(NULL, r->nboxes + 1, sizeof(*sp->idx));
	for (b = 0; b < r->nboxes; b++)
		sp->idx[at[r->boxes[b].page]++] = b;
	big_free(at);
	return 0;
}

/* The index by page of a streamed result's boxes in memory (added after
 * the layout: lay_review_mark), built again when more were added. */
static void
extra_index(struct lay_result *r, struct lay_store *sp)
{
	size_t b, nx = r->nboxes - r->base, np = (size_t)r->npages;
	size_t *at;

	if (nx == sp->xn && sp->xstart != NULL)
		return;
	big_free(sp->xidx);
	big_free(sp->xstart);
	sp->xn = nx;
	sp->xstart = big_calloc(np + 2, sizeof(*sp->xstart));
	for (b = 0; b < nx; b++)
		if (r->boxes[b].page >= 1 && r->boxes[b].page <= r->npages)
			sp->xstart[r->boxes[b].page + 1]++;
	for (b = 1; b <= np + 1; b++)
		sp->xstart[b] += sp->xstart[b - 1];
	at = big_reallocarray(NULL, np + 2, sizeof(*at));
	memcpy(at, sp->xstart, (np + 2) * sizeof(*at));
	sp->xidx = big_reallocarray(NULL, nx + 1, sizeof(*sp->xidx));
	for (b = 0; b < nx; b++)
		if (r->boxes[b].page >= 1 && r->boxes[b].page <= r->npages)
			sp->xidx[at[r->boxes[b].page]++] = b;
	big_free(at);
}

/* Reads page p's boxes into sp->pv[0..*n), their texts into sp->pt. */
static int
read_page(struct lay_store *sp, int p, size_t *n)
{
	size_t i, j, nb = 0, tl = 0, at = 0, t = 0, maxt = 0;

	for (i = sp->pstart[p]; i < sp->pstart[p + 1]; i++) {
		nb += sp->runs[i].n;
		tl += (size_t)sp->runs[i].tlen + sp->runs[i].n;
		if (sp->runs[i].tlen > maxt)
			maxt = (size_t)sp->runs[i].tlen;
	}
	need_boxes(&sp->pv, &sp->pcap, nb + 1);
	/* pt: the page's texts, each with its NUL; then room for one run's
	 * texts as read */
	if (tl + maxt + 1 > sp->ptcap) {
		sp->ptcap = tl + maxt + 1;
		sp->pt = xrealloc(sp->pt, sp->ptcap);
	}
	for (i = sp->pstart[p]; i < sp->pstart[p + 1]; i++) {
		const struct prun *ru = &sp->runs[i];
		char *raw = sp->pt + tl;
		size_t off = 0;

		need_recs(sp, ru->n);
		if (spool_read(sp->recs, (uint64_t)ru->first *
		    sizeof(struct rec), sp->rv, ru->n * sizeof(struct rec))
		    != 0 || spool_read(sp->texts, ru->tpos, raw,
		    (size_t)ru->tlen) != 0)
			return -1;
		for (j = 0; j < ru->n; j++) {
			const struct rec *rc = &sp->rv[j];
			struct lay_box *b = &sp->pv[at++];

			*b = rc->b;
			b->text = NULL;
			if (!rc->has)
				continue;
			memcpy(sp->pt + t, raw + off, rc->tlen);
			sp->pt[t + rc->tlen] = '\0';
			b->text = sp->pt + t;
			t += (size_t)rc->tlen + 1;
			off += rc->tlen;
		}
	}
	*n = nb;
	return 0;
}

int
lay_page(struct lay_result *r, int page, int raw,
    const struct lay_box **boxes, size_t *n)
{
	struct lay_store *sp = r->store;
	size_t i, nb = 0, ns = 0;
	struct lay L;

	*boxes = NULL;
	*n = 0;
	if (page < 1 || page > r->npages)
		return 0;
	if (sp == NULL) {
		sp = r->store = xcalloc(1, sizeof(*sp));
		if (mem_index(r, sp) != 0)
			return -1;
	}
	if (sp->recs == NULL) {
		/* lay_run: every box is in memory, set already */
		nb = sp->pstart[page + 1] - sp->pstart[page];
		need_boxes(&sp->pv, &sp->pcap, nb + 1);
		for (i = 0; i < nb; i++)
			sp->pv[i] = r->boxes[sp->idx[sp->pstart[page] + i]];
		*boxes = sp->pv;
		*n = nb;
		return 0;
	}
	big_tick(1);            /* a page of the index read */
	if (read_page(sp, page, &nb) != 0)
		return -1;
	if (r->nboxes > r->base) {
		/* boxes added after the layout: after the page's own, as a
		 * lay_run result's are; they have no text in the arena */
		extra_index(r, sp);
		need_boxes(&sp->pv, &sp->pcap, nb + sp->xstart[page + 1] -
		    sp->xstart[page] + 1);
		for (i = sp->xstart[page]; i < sp->xstart[page + 1]; i++)
			sp->pv[nb++] = r->boxes[sp->xidx[i]];
	}
	if (raw) {
		*boxes = sp->pv;
		*n = nb;
		return 0;
	}
	/* set_boxes on this page: the runs' texts in the arena */
	lay_arena_reset(r);
	memset(&L, 0, sizeof(L));
	L.st = sp->st;
	L.fm = sp->m;
	L.mw.cjk_latin = sp->st->cjk_latin_space;
	L.r = r;
	L.sx = sp->sx;
	for (i = 0; i < nb; i++) {
		if (needs_runs(&L, &sp->pv[i])) {
			push_runs(&L, &sp->sv, &ns, &sp->scap, &sp->pv[i],
			    &L.sx);
			continue;
		}
		need_boxes(&sp->sv, &sp->scap, ns + 1);
		sp->sv[ns++] = sp->pv[i];
	}
	sp->sx = L.sx;
	*boxes = sp->sv;
	*n = ns;
	return 0;
}

void
lay_page_done(struct lay_result *r)
{
	if (r->store != NULL && r->store->recs == NULL)
		store_free(r);
}
