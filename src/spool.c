/* Spool: an unlinked temporary file with a write buffer (see spool.h). */
#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

#define SPOOL_BUF (256 * 1024)

struct spool {
	int fd;
	int failed;
	uint64_t disk;          /* bytes in the file */
	size_t nbuf;            /* bytes buffered after them */
	unsigned char *buf;
	char *dir;              /* where the file is, for messages */
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
	const char *dir = getenv("TMPDIR");
	struct spool *s;
	char *path;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = xasprintf("%s/zongjie-spool-XXXXXX", dir);
	s = xcalloc(1, sizeof(*s));
	s->dir = xstrdup(dir);
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		fail(s, errno);
		free(path);
		spool_free(s);
		return NULL;
	}
	(void)unlink(path);
	free(path);
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
	if (ftruncate(s->fd, (off_t)size) != 0)
		return fail(s, errno);
	s->disk = size;
	return 0;
}

int
spool_read(struct spool *s, uint64_t off, void *buf, size_t n)
{
	unsigned char *b = buf;

	if (s->failed)
		return -1;
	if (off + n > s->disk && drain(s) != 0)
		return -1;
	while (n > 0) {
		ssize_t r = pread(s->fd, b, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!s->failed)
				diag_error(EXIT_OUTPUT, NULL, "cannot read a "
				    "temporary file in %s: %s", s->dir,
				    strerror(r < 0 ? errno : EIO));
			s->failed = 1;
			return -1;
		}
		b += r;
		off += (uint64_t)r;
		n -= (size_t)r;
	}
	return 0;
}

int
spool_failed(const struct spool *s)
{
	return s->failed;
}
