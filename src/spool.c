/* Spool: an unlinked temporary file with a write buffer and read-ahead
 * windows (see spool.h).
 *
 * Reads: bytes still in the write buffer are copied from it (no drain);
 * bytes on disk come from one of SPOOL_NWIN read-ahead windows, each a
 * copy of the file's bytes [off, off + len), all below disk.  A read that
 * no window holds refills the least recently used one from its offset on
 * (up to SPOOL_WIN bytes, not past disk), so a sequential read-back is a
 * pread per SPOOL_WIN bytes; two windows because lay_page reads two
 * streams at once (a page's boxes, and its page number's, appended at the
 * layout's end).  A read of SPOOL_WIN bytes or more goes straight to the
 * caller's buffer.  Drains write above every window's bytes, so only
 * spool_truncate can make a window stale: it clips them. */
#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define SPOOL_BUF (256 * 1024)
#define SPOOL_WIN (256 * 1024)
#define SPOOL_NWIN 2

/* A read-ahead window: the file's bytes [off, off + len) in p (NULL until
 * first used, SPOOL_WIN bytes); used: the spool's clock at its last hit. */
struct spool_win {
	unsigned char *p;
	uint64_t off;
	size_t len;
	uint64_t used;
};

struct spool {
	int fd;
	int failed;
	uint64_t disk;          /* bytes in the file */
	size_t nbuf;            /* bytes buffered after them */
	unsigned char *buf;
	char *dir;              /* where the file is, for messages */
	struct spool_win win[SPOOL_NWIN];
	uint64_t clock;         /* reads from the windows so far */
};

static int
fail(struct spool *s, int err)
{
	if (!s->failed)
		diag_error(EXIT_OUTPUT, NULL, "cannot write a temporary file "
		    "in %s: %s", s->dir, strerror(err != 0 ? err : EIO));
	s->failed = 1;
	return -1;
}

struct spool *
spool_new(void)
{
	struct spool *s = xcalloc(1, sizeof(*s));

	s->dir = xstrdup(tmp_dir());
	if ((s->fd = tmp_unlinked("spool")) < 0) {
		fail(s, errno);
		spool_free(s);
		return NULL;
	}
	s->buf = xmalloc(SPOOL_BUF);
	return s;
}

void
spool_free(struct spool *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		(void)close(s->fd);
	free(s->buf);
	for (size_t i = 0; i < SPOOL_NWIN; i++)
		free(s->win[i].p);
	free(s->dir);
	free(s);
}

/* Writes the buffer to the file. */
static int
drain(struct spool *s)
{
	size_t done = 0;

	while (done < s->nbuf) {
		ssize_t w = pwrite(s->fd, s->buf + done, s->nbuf - done,
		    (off_t)(s->disk + done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail(s, w < 0 ? errno : ENOSPC);
		done += (size_t)w;
	}
	s->disk += s->nbuf;
	s->nbuf = 0;
	return 0;
}

int
spool_append(struct spool *s, const void *p, size_t n)
{
	const unsigned char *b = p;

	if (s->failed)
		return -1;
	while (n > 0) {
		size_t k = SPOOL_BUF - s->nbuf;

		if (k > n)
			k = n;
		memcpy(s->buf + s->nbuf, b, k);
		s->nbuf += k;
		b += k;
		n -= k;
		if (s->nbuf == SPOOL_BUF && drain(s) != 0)
			return -1;
	}
	return 0;
}

uint64_t
spool_size(const struct spool *s)
{
	return s->disk + s->nbuf;
}

/* Drops what the windows hold at or above size (the file is cut there). */
static void
clip_windows(struct spool *s, uint64_t size)
{
	for (size_t i = 0; i < SPOOL_NWIN; i++) {
		struct spool_win *w = &s->win[i];

		if (w->off >= size)
			w->len = 0;
		else if (w->len > size - w->off)
			w->len = (size_t)(size - w->off);
	}
}

int
spool_truncate(struct spool *s, uint64_t size)
{
	if (s->failed)
		return -1;
	if (size >= s->disk) {
		if (size - s->disk < s->nbuf)
			s->nbuf = (size_t)(size - s->disk);
		return 0;
	}
	s->nbuf = 0;
	clip_windows(s, size);
	if (ftruncate(s->fd, (off_t)size) != 0)
		return fail(s, errno);
	s->disk = size;
	return 0;
}

/* Reports a read failure (err 0: EIO), makes the spool failed; -1. */
static int
read_fail(struct spool *s, int err)
{
	if (!s->failed)
		diag_error(EXIT_OUTPUT, NULL, "cannot read a temporary file "
		    "in %s: %s", s->dir, strerror(err != 0 ? err : EIO));
	s->failed = 1;
	return -1;
}

/* Reads at least need and at most want bytes of the file from off into
 * b.  Returns the number read, or -1 after reporting. */
static ssize_t
pread_some(struct spool *s, uint64_t off, unsigned char *b, size_t need,
    size_t want)
{
	size_t got = 0;

	while (got < want) {
		ssize_t r = pread(s->fd, b + got, want - got,
		    (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return read_fail(s, errno);
		if (r == 0) {
			if (got >= need)
				break;
			return read_fail(s, EIO);
		}
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Reads the file's bytes [off, off + n) (off + n <= disk, n > 0) into b
 * through the windows.  Returns 0 or -1 after reporting. */
static int
read_disk(struct spool *s, uint64_t off, unsigned char *b, size_t n)
{
	struct spool_win *w = NULL;
	ssize_t got;

	for (size_t i = 0; i < SPOOL_NWIN; i++) {
		struct spool_win *v = &s->win[i];

		if (off >= v->off && off - v->off <= v->len &&
		    n <= v->len - (size_t)(off - v->off)) {
			memcpy(b, v->p + (off - v->off), n);
			v->used = ++s->clock;
			return 0;
		}
		if (w == NULL || v->used < w->used)
			w = v;
	}
	if (n >= SPOOL_WIN)
		return pread_some(s, off, b, n, n) < 0 ? -1 : 0;
	if (w->p == NULL)
		w->p = xmalloc(SPOOL_WIN);
	w->len = 0;
	got = pread_some(s, off, w->p, n, s->disk - off < SPOOL_WIN ?
	    (size_t)(s->disk - off) : SPOOL_WIN);
	if (got < 0)
		return -1;
	w->off = off;
	w->len = (size_t)got;
	w->used = ++s->clock;
	memcpy(b, w->p, n);
	return 0;
}

int
spool_read(struct spool *s, uint64_t off, void *buf, size_t n)
{
	unsigned char *b = buf;
	uint64_t size = spool_size(s);

	if (s->failed)
		return -1;
	if (off > size || n > size - off)
		return read_fail(s, EIO);
	if (off + n > s->disk) {
		/* the part still in the write buffer */
		uint64_t from = off > s->disk ? off : s->disk;

		memcpy(b + (from - off), s->buf + (from - s->disk),
		    (size_t)(off + n - from));
		n = (size_t)(from - off);
	}
	if (n == 0)
		return 0;
	return read_disk(s, off, b, n);
}

int
spool_failed(const struct spool *s)
{
	return s->failed;
}
