/* Flate (see flate.h).  Pages are drawn in batches; a worker thread
 * deflates one batch while the next is drawn (the deflating is most of
 * the time of a long document), and the drawing thread, when its batch
 * is drawn before the worker is done, deflates the rest of the worker's
 * batch with it; then each page gets its deflated content stream through
 * the deliver callback. */
#include "flate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "diag.h"
#include "util.h"

/* Deflates in[0..len) into out with zs, which is ready for a new
 * stream (just initialised or reset); leaves it needing a reset.  Returns
 * 0 or -1 (zlib failed). */
static int
deflate_into(z_stream *zs, const void *in, size_t len, struct pc_buf *out)
{
	int rc;
	size_t left = len;
	do {
		uInt chunk = left > 1u << 30 ? 1u << 30 : (uInt)left;
		zs->next_in = (Bytef *)(uintptr_t)((const unsigned char *)in +
		    (len - left));
		zs->avail_in = chunk;
		left -= chunk;
		int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
		do {
			pc_buf_need(out, 16384);
			zs->next_out = out->p + out->len;
			zs->avail_out = (uInt)(out->cap - out->len);
			rc = deflate(zs, flush);
			out->len = out->cap - zs->avail_out;
			if (rc == Z_STREAM_ERROR)
				return -1;
		} while (zs->avail_out == 0 || (flush == Z_FINISH &&
		    rc != Z_STREAM_END));
	} while (left > 0);
	return rc == Z_STREAM_END ? 0 : -1;
}

int
flate_buf(const void *in, size_t len, struct pc_buf *out)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	/* libharu 2.3.0 (HPDF_Stream_WriteToStreamWithDeflate): deflateInit
	 * at Z_DEFAULT_COMPRESSION, no flush until the end.  The output of
	 * deflate does not depend on how its input is fed. */
	if (deflateInit(&zs, Z_DEFAULT_COMPRESSION) != Z_OK)
		return -1;
	int rc = deflate_into(&zs, in, len, out);
	deflateEnd(&zs);
	return rc;
}

/* One z_stream per deflating thread, reset between pages (deflateReset
 * leaves the state deflateInit makes, so the bytes are flate_buf's
 * without its allocations per page).  ok is 0 when deflateInit failed;
 * the pages then go through flate_buf. */
struct zstate {
	z_stream zs;
	int ok;
};

static void
zstate_init(struct zstate *z)
{
	memset(&z->zs, 0, sizeof z->zs);
	z->ok = deflateInit(&z->zs, Z_DEFAULT_COMPRESSION) == Z_OK;
}

static void
zstate_free(struct zstate *z)
{
	if (z->ok)
		deflateEnd(&z->zs);
	z->ok = 0;
}

/* Deflates in[0..len) into out (emptied first) with z.  Returns 0 or -1. */
static int
zstate_page(struct zstate *z, const void *in, size_t len, struct pc_buf *out)
{
	out->len = 0;
	if (!z->ok)
		return flate_buf(in, len, out);
	if (deflateReset(&z->zs) != Z_OK)
		return -1;
	return deflate_into(&z->zs, in, len, out);
}

#define BATCH 64

/* A batch's pages are deflated one by one, each into its own buffer, by
 * whichever thread claims it (next): the worker, and the drawing thread
 * when it would otherwise wait for the worker.  Each page is its own zlib
 * stream, so who deflates it does not change a byte. */
struct batch {
	int first, n;                   /* pages first .. first + n - 1 */
	struct pc_buf raw;              /* content streams, concatenated */
	size_t off[BATCH + 1];
	struct pc_buf z[BATCH];         /* each page deflated */
	int zrc[BATCH];                 /* 0, or -1: zlib failed */
	atomic_int next;                /* the next page to claim */
};

struct flate_pipe {
	flate_deliver deliver;
	void *arg;
	struct batch bt[2];
	int fill;                       /* the batch being drawn */
	pthread_t th;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *todo, *busy;
	int quit;
	struct zstate z;                /* the drawing thread's */
};

/* Deflates pages of b until none is left to claim. */
static void
deflate_pages(struct batch *b, struct zstate *z)
{
	int i;

	while ((i = atomic_fetch_add(&b->next, 1)) < b->n) {
		size_t len = b->off[i + 1] - b->off[i];
		b->z[i].len = 0;
		b->zrc[i] = len > 0 ? zstate_page(z, b->raw.p + b->off[i], len,
		    &b->z[i]) : 0;
	}
}

static void *
worker_main(void *arg)
{
	struct flate_pipe *w = arg;
	struct zstate z;

	zstate_init(&z);
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->todo == NULL && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->todo == NULL)
			break;
		struct batch *b = w->todo;
		w->todo = NULL;
		w->busy = b;
		pthread_mutex_unlock(&w->mu);
		deflate_pages(b, &z);
		pthread_mutex_lock(&w->mu);
		w->busy = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	zstate_free(&z);
	return NULL;
}

/* Waits until the batch handed to the worker is deflated, deflating its
 * unclaimed pages here meanwhile (the drawing thread is otherwise idle
 * then: deflating takes longer than drawing). */
static void
worker_wait(struct flate_pipe *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	struct batch *b = w->todo != NULL ? w->todo : w->busy;
	pthread_mutex_unlock(&w->mu);
	if (b != NULL)
		deflate_pages(b, &w->z);
	pthread_mutex_lock(&w->mu);
	while (w->todo != NULL || w->busy != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* Hands b to the worker (or deflates it here without one). */
static void
worker_post(struct flate_pipe *w, struct batch *b)
{
	atomic_store(&b->next, 0);
	if (!w->running) {
		deflate_pages(b, &w->z);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (w->todo != NULL || w->busy != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	w->todo = b;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

struct flate_pipe *
flate_pipe_new(flate_deliver deliver, void *arg)
{
	struct flate_pipe *w = xcalloc(1, sizeof *w);
	w->deliver = deliver;
	w->arg = arg;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	zstate_init(&w->z);
	/* without a thread, batches are deflated in this one */
	w->running = pthread_create(&w->th, NULL, worker_main, w) == 0;
	return w;
}

/* Delivers a deflated batch's pages in order and empties it. */
static int
deliver_batch(struct flate_pipe *w, struct batch *b)
{
	for (int i = 0; i < b->n; i++)
		if (b->zrc[i] != 0) {
			diag_error(EXIT_INTERNAL, NULL, "zlib failed deflating "
			    "page %d", b->first + i);
			return -1;
		}
	for (int i = 0; i < b->n; i++)
		if (w->deliver(w->arg, b->first + i, b->z[i].p, b->z[i].len)
		    != 0)
			return -1;
	b->n = 0;
	return 0;
}

struct pc_buf *
flate_pipe_begin(struct flate_pipe *w, int page)
{
	struct batch *b = &w->bt[w->fill];
	if (b->n == 0) {
		b->first = page;
		b->raw.len = 0;
	}
	b->off[b->n] = b->raw.len;
	return &b->raw;
}

int
flate_pipe_end(struct flate_pipe *w, int last)
{
	struct batch *b = &w->bt[w->fill];
	b->n++;
	if (b->n < BATCH && !last)
		return 0;
	b->off[b->n] = b->raw.len;
	worker_wait(w);
	int rc = 0;
	if (w->bt[1 - w->fill].n > 0)
		rc = deliver_batch(w, &w->bt[1 - w->fill]);
	worker_post(w, b);
	w->fill = 1 - w->fill;
	return rc;
}

int
flate_pipe_finish(struct flate_pipe *w, int ok)
{
	worker_wait(w);
	int rc = 0;
	if (ok && w->bt[1 - w->fill].n > 0)
		rc = deliver_batch(w, &w->bt[1 - w->fill]);
	if (w->running) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->th, NULL);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	zstate_free(&w->z);
	for (int i = 0; i < 2; i++) {
		pc_buf_free(&w->bt[i].raw);
		for (int k = 0; k < BATCH; k++)
			pc_buf_free(&w->bt[i].z[k]);
	}
	free(w);
	return rc;
}
