/* Flate (see flate.h).  Pages are drawn in batches; a worker thread
 * deflates one batch while the next is drawn (the deflating is most of
 * the time of a long document), then each page gets its deflated
 * content stream through the deliver callback. */
#include "flate.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "diag.h"
#include "util.h"

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
	zs.next_in = (Bytef *)(uintptr_t)in;
	int rc;
	size_t left = len;
	do {
		uInt chunk = left > 1u << 30 ? 1u << 30 : (uInt)left;
		zs.next_in = (Bytef *)(uintptr_t)((const unsigned char *)in +
		    (len - left));
		zs.avail_in = chunk;
		left -= chunk;
		int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
		do {
			pc_buf_need(out, 16384);
			zs.next_out = out->p + out->len;
			zs.avail_out = (uInt)(out->cap - out->len);
			rc = deflate(&zs, flush);
			out->len = out->cap - zs.avail_out;
			if (rc == Z_STREAM_ERROR) {
				deflateEnd(&zs);
				return -1;
			}
		} while (zs.avail_out == 0 || (flush == Z_FINISH &&
		    rc != Z_STREAM_END));
	} while (left > 0);
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

#define BATCH 64

struct batch {
	int first, n;                   /* pages first .. first + n - 1 */
	struct pc_buf raw, z;           /* content streams, concatenated */
	size_t off[BATCH + 1], zoff[BATCH + 1];
	int rc;                         /* 0, or -1: zlib failed */
	int bad;                        /* the page it failed on */
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
};

static void
deflate_batch(struct batch *b)
{
	b->z.len = 0;
	b->rc = 0;
	for (int i = 0; i < b->n; i++) {
		b->zoff[i] = b->z.len;
		size_t len = b->off[i + 1] - b->off[i];
		if (len > 0 && b->rc == 0 &&
		    flate_buf(b->raw.p + b->off[i], len, &b->z) != 0) {
			b->rc = -1;
			b->bad = b->first + i;
		}
	}
	b->zoff[b->n] = b->z.len;
}

static void *
worker_main(void *arg)
{
	struct flate_pipe *w = arg;
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
		deflate_batch(b);
		pthread_mutex_lock(&w->mu);
		w->busy = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
worker_wait(struct flate_pipe *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->todo != NULL || w->busy != NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* Hands b to the worker (or deflates it here without one). */
static void
worker_post(struct flate_pipe *w, struct batch *b)
{
	if (!w->running) {
		deflate_batch(b);
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
	/* without a thread, batches are deflated in this one */
	w->running = pthread_create(&w->th, NULL, worker_main, w) == 0;
	return w;
}

/* Delivers a deflated batch's pages in order and empties it. */
static int
deliver_batch(struct flate_pipe *w, struct batch *b)
{
	if (b->rc != 0) {
		diag_error(EXIT_INTERNAL, NULL, "zlib failed deflating "
		    "page %d", b->bad);
		return -1;
	}
	for (int i = 0; i < b->n; i++)
		if (w->deliver(w->arg, b->first + i, b->z.p + b->zoff[i],
		    b->zoff[i + 1] - b->zoff[i]) != 0)
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
	for (int i = 0; i < 2; i++) {
		pc_buf_free(&w->bt[i].raw);
		pc_buf_free(&w->bt[i].z);
	}
	free(w);
	return rc;
}
