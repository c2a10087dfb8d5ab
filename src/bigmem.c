/* Bigmem: big blocks in unlinked temporary files (see bigmem.h). */
#define _GNU_SOURCE             /* mremap, copy_file_range */
#include "bigmem.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

/* At most this many file blocks at once (each holds a descriptor); more
 * stay on the heap. */
#define MAX_FILES	256
/* big_tick trims when the resident set grew by this much. */
#define BIG_SLACK	((size_t)8 << 20)
/* The largest block big_use keeps resident: three quarters of it. */
#define HOT_MAX		(BIG_SLACK / 4 * 3)
#define ARENA_FIRST	((size_t)64 * 1024)
#define ARENA_MAX	((size_t)16 << 20)

struct fblock {
	void *p;
	size_t len;             /* mapped bytes, a multiple of the page */
	int fd;                 /* -1: a read-only mapping (big_map_file) */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fblock files[MAX_FILES];
static size_t nfiles;
static size_t mapped;           /* sum of files[].len */
static size_t ticks;
static const void *hot;         /* the block of the last big_use, or NULL */
static int warned;
static size_t pagesz;

static void
no_file(int err)
{
	if (warned)
		return;
	warned = 1;
	diag_warn(NULL, "cannot keep data in a temporary file in %s (%s); "
	    "keeping it in memory", tmp_dir(), strerror(err));
}

static size_t
page_round(size_t n)
{
	if (pagesz == 0) {
		long ps = sysconf(_SC_PAGESIZE);

		pagesz = ps > 0 ? (size_t)ps : 4096;
	}
	if (n > SIZE_MAX - pagesz)
		return 0;
	return (n + pagesz - 1) / pagesz * pagesz;
}

/* Forgets file block i (unmapped, its descriptor closed, by the
 * caller).  Locked. */
static void
file_drop(size_t i)
{
	if (hot == files[i].p)
		hot = NULL;
	mapped -= files[i].len;
	files[i] = files[--nfiles];
}

/* Index of the file block at p, or -1 (a heap block).  Locked. */
static long
find(const void *p)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (files[i].p == p)
			return (long)i;
	return -1;
}

/* A new file block of at least n bytes holding old[0..oldn), or NULL
 * (the caller keeps the block on the heap).  Locked. */
static void *
file_new(size_t n, const void *old, size_t oldn)
{
	size_t len = page_round(n);
	void *p;
	int fd, err;

	if (nfiles == MAX_FILES || len == 0)
		return NULL;
	if ((fd = tmp_unlinked("big")) < 0) {
		no_file(errno);
		return NULL;
	}
	if ((err = posix_fallocate(fd, 0, (off_t)len)) != 0) {
		(void)close(fd);
		no_file(err);
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		err = errno;
		(void)close(fd);
		no_file(err);
		return NULL;
	}
	if (oldn > 0)
		memcpy(p, old, oldn);
	files[nfiles].p = p;
	files[nfiles].len = len;
	files[nfiles].fd = fd;
	nfiles++;
	mapped += len;
	return p;
}

/* Grows file block i to at least n bytes (at least doubling).  Returns
 * the new address, or NULL with the block unchanged.  Locked. */
static void *
file_grow(size_t i, size_t n)
{
	struct fblock *b = &files[i];
	size_t len = b->len > SIZE_MAX / 2 ? 0 : page_round(n > 2 * b->len ?
	    n : 2 * b->len);
	void *p;
	int err;

	if (len == 0)
		return NULL;
	if ((err = posix_fallocate(b->fd, (off_t)b->len,
	    (off_t)(len - b->len))) != 0) {
		no_file(err);
		return NULL;
	}
	p = mremap(b->p, b->len, len, MREMAP_MAYMOVE);
	if (p == MAP_FAILED) {
		no_file(errno);
		return NULL;
	}
	mapped += len - b->len;
	if (hot == b->p)
		hot = p;
	b->p = p;
	b->len = len;
	return p;
}

/* Moves file block i to the heap with n bytes (n <= its length): the
 * fallback when it cannot grow in its file.  Locked. */
static void *
file_to_heap(size_t i, size_t keep, size_t n)
{
	struct fblock *b = &files[i];
	void *p = xmalloc(n);

	memcpy(p, b->p, keep < n ? keep : n);
	(void)munmap(b->p, b->len);
	if (b->fd >= 0)
		(void)close(b->fd);
	file_drop(i);
	return p;
}

void *
big_alloc(size_t n)
{
	void *p = NULL;

	if (n > BIG_SMALL) {
		pthread_mutex_lock(&lock);
		p = file_new(n, NULL, 0);
		pthread_mutex_unlock(&lock);
	}
	return p != NULL ? p : xmalloc(n);
}

void *
big_calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	if (nmemb * size > BIG_SMALL) {
		pthread_mutex_lock(&lock);
		p = file_new(nmemb * size, NULL, 0);    /* reads as zero */
		pthread_mutex_unlock(&lock);
		if (p != NULL)
			return p;
	}
	return xcalloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *
big_realloc(void *p, size_t n)
{
	void *q = NULL;
	long i;

	if (p == NULL)
		return big_alloc(n);
	pthread_mutex_lock(&lock);
	if ((i = find(p)) >= 0 && files[i].fd < 0) {
		/* A read-only mapping: copy into a writable block. */
		size_t keep = files[i].len < n ? files[i].len : n;

		if ((q = file_new(n, p, keep)) == NULL) {
			q = xmalloc(n);
			memcpy(q, p, keep);
		}
		i = find(p);
		(void)munmap(files[i].p, files[i].len);
		file_drop((size_t)i);
		pthread_mutex_unlock(&lock);
		return q;
	}
	if (i >= 0) {
		if (n <= files[i].len)
			q = p;
		else if ((q = file_grow((size_t)i, n)) == NULL)
			q = file_to_heap((size_t)i, files[i].len, n);
		pthread_mutex_unlock(&lock);
		return q;
	}
	if (n > BIG_SMALL) {
		/* A heap block outgrowing the heap: its old size is at most
		 * its usable size, so that much is copied (not n: the bytes
		 * past it would be written for nothing, and faulted in again
		 * once big_tick has released them). */
		size_t old = malloc_usable_size(p);

		if ((q = file_new(n, p, old < n ? old : n)) != NULL) {
			pthread_mutex_unlock(&lock);
			free(p);
			return q;
		}
		pthread_mutex_unlock(&lock);
		return xrealloc(p, n);
	}
	pthread_mutex_unlock(&lock);
	return xrealloc(p, n);
}

void *
big_reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	return big_realloc(p, nmemb * size);
}

void
big_free(void *p)
{
	long i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&lock);
	if ((i = find(p)) >= 0) {
		(void)munmap(files[i].p, files[i].len);
		if (files[i].fd >= 0)
			(void)close(files[i].fd);
		file_drop((size_t)i);
		pthread_mutex_unlock(&lock);
		return;
	}
	pthread_mutex_unlock(&lock);
	free(p);
}

const void *
big_map_file(int fd, size_t len)
{
	size_t plen = page_round(len);
	void *p;

	if (len == 0 || plen == 0) {
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (nfiles == MAX_FILES) {
		pthread_mutex_unlock(&lock);
		errno = EMFILE;
		return NULL;
	}
	p = mmap(NULL, plen, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		pthread_mutex_unlock(&lock);
		return NULL;
	}
	files[nfiles].p = p;
	files[nfiles].len = plen;
	files[nfiles].fd = -1;
	nfiles++;
	mapped += plen;
	pthread_mutex_unlock(&lock);
	return p;
}

/* Copies up to n bytes from offset 0 of in to offset 0 of out: in the
 * kernel (copy_file_range), or through a buffer where the kernel cannot
 * (other file systems, old kernels).  Returns the bytes copied (fewer at
 * the end of in), or -1 with errno set and *wrote set when writing out
 * failed (else reading in did). */
static long long
copy_fd(int in, int out, size_t n, int *wrote)
{
	const size_t bufsz = 256 * 1024;
	char *buf;
	loff_t off_in = 0, off_out = 0;
	size_t done = 0, k, w;
	ssize_t r;
	int e;

	*wrote = 0;
	while (done < n) {
		r = copy_file_range(in, &off_in, out, &off_out, n - done, 0);
		if (r == 0)
			return (long long)done;
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP &&
		    errno != EINVAL && errno != EPERM && errno != ETXTBSY)
			break;
		/* Not in the kernel: through buf from where it stopped. */
		buf = xmalloc(bufsz);
		while (done < n) {
			k = n - done < bufsz ? n - done : bufsz;
			r = pread(in, buf, k, (off_t)done);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			for (w = 0; w < (size_t)r; ) {
				ssize_t x = pwrite(out, buf + w, (size_t)r - w,
				    (off_t)(done + w));

				if (x < 0 && errno == EINTR)
					continue;
				if (x <= 0) {
					if (x == 0)
						errno = ENOSPC;
					*wrote = 1;
					r = -1;
					break;
				}
				w += (size_t)x;
			}
			if (r < 0)
				break;
			done += (size_t)r;
		}
		e = errno;
		free(buf);
		errno = e;
		return r < 0 ? -1 : (long long)done;
	}
	if (done < n) {
		/* copy_file_range failed: which side?  Writing fails for want
		 * of space or quota; anything else is taken as reading. */
		*wrote = errno == ENOSPC || errno == EDQUOT || errno == EFBIG;
		return -1;
	}
	return (long long)done;
}

const void *
big_copy_file(int fd, size_t len, long long *nowp)
{
	struct stat before, after;
	const void *p;
	long long got;
	int t, err, wrote;

	*nowp = -1;
	if (len == 0 || len == SIZE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if (fstat(fd, &before) != 0)
		return NULL;
	if ((t = tmp_unlinked("big")) < 0) {
		err = errno;
		pthread_mutex_lock(&lock);
		no_file(err);
		pthread_mutex_unlock(&lock);
		errno = err;
		return NULL;
	}
	/* One byte more than expected, to see a file that grew. */
	got = copy_fd(fd, t, len + 1, &wrote);
	if (got < 0) {
		err = errno;
		(void)close(t);
		if (wrote) {
			pthread_mutex_lock(&lock);
			no_file(err);
			pthread_mutex_unlock(&lock);
		}
		errno = err;
		return NULL;
	}
	if (fstat(fd, &after) != 0) {
		err = errno;
		(void)close(t);
		errno = err;
		return NULL;
	}
	*nowp = (long long)after.st_size;
	if ((unsigned long long)got != len ||
	    (unsigned long long)before.st_size != len ||
	    (unsigned long long)after.st_size != len ||
	    before.st_mtim.tv_sec != after.st_mtim.tv_sec ||
	    before.st_mtim.tv_nsec != after.st_mtim.tv_nsec) {
		(void)close(t);
		errno = ESTALE;
		return NULL;
	}
	p = big_map_file(t, len);
	err = errno;
	(void)close(t);         /* the mapping keeps the copy */
	errno = err;
	return p;
}

/* Releases the resident pages of every file block but keep (an index,
 * or nfiles for none).  Locked. */
static void
release(size_t keep)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (i != keep)
			(void)madvise(files[i].p, files[i].len, MADV_DONTNEED);
}

void
big_trim(void)
{
	pthread_mutex_lock(&lock);
	release(nfiles);
	pthread_mutex_unlock(&lock);
}

void
big_use(const void *p)
{
	const char *c = p;
	size_t i;

	pthread_mutex_lock(&lock);
	hot = NULL;
	for (i = 0; i < nfiles; i++)
		if (c >= (const char *)files[i].p &&
		    c < (const char *)files[i].p + files[i].len)
			hot = files[i].p;
	pthread_mutex_unlock(&lock);
}

/* This process's resident bytes (/proc/self/statm), or 0 when unknown.
 * The file stays open (close-on-exec) for the process's lifetime. */
static size_t
rss_now(void)
{
	static int fd = -2;
	char buf[128];
	unsigned long long size, res;
	ssize_t n;

	if (fd == -2)
		fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &size, &res) != 2)
		return 0;
	(void)page_round(0);    /* sets pagesz */
	return (size_t)res * pagesz;
}

void
big_tick(size_t n)
{
	static size_t base;     /* resident bytes after the last trim, less
	                         * the hot block's */
	size_t now, keep, i, hotlen = 0;

	ticks += n;
	if (ticks < BIG_TICKS)
		return;
	ticks = 0;
	if (big_file_blocks() == 0)
		return;
	/* Trimming walks every file block's page tables, so it is done only
	 * when the resident set has grown by BIG_SLACK since the last time:
	 * a million-row run trims a few hundred times, not once per
	 * BIG_TICKS rows of each pass.  The block of the last big_use stays
	 * when it takes at most HOT_MAX: the next trim comes when the rest
	 * has grown by BIG_SLACK less its length. */
	now = rss_now();
	if (now != 0 && now <= base + BIG_SLACK)
		return;
	pthread_mutex_lock(&lock);
	for (keep = nfiles, i = 0; i < nfiles; i++)
		if (files[i].p == hot && files[i].len <= HOT_MAX) {
			keep = i;
			hotlen = files[i].len;
		}
	release(keep);
	pthread_mutex_unlock(&lock);
	now = rss_now();
	base = now > hotlen ? now - hotlen : 0;
}

size_t
big_file_blocks(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = nfiles;
	pthread_mutex_unlock(&lock);
	return n;
}

size_t
big_file_bytes(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = mapped;
	pthread_mutex_unlock(&lock);
	return n;
}

#define SORT_RUN	32	/* elements sorted by insertion before merging */

void
big_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	unsigned char *a = base, *b, *tmp, *sw, *v;
	size_t lo, mid, hi, i, x, y, o, w;

	if (n < 2 || size == 0)
		return;
	v = xmalloc(size);
	for (lo = 0; lo < n; lo += SORT_RUN) {
		hi = n - lo > SORT_RUN ? lo + SORT_RUN : n;
		for (i = lo + 1; i < hi; i++) {
			memcpy(v, a + i * size, size);
			for (x = i; x > lo && cmp(a + (x - 1) * size, v) > 0; x--)
				memcpy(a + x * size, a + (x - 1) * size, size);
			memcpy(a + x * size, v, size);
		}
		big_tick(hi - lo);
	}
	free(v);
	if (n <= SORT_RUN)
		return;
	tmp = b = big_reallocarray(NULL, n, size);
	for (w = SORT_RUN; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = n - lo > w ? lo + w : n;
			hi = n - mid > w ? mid + w : n;
			for (o = lo, x = lo, y = mid; o < hi; o++) {
				if (y == hi || (x < mid &&
				    cmp(a + x * size, a + y * size) <= 0))
					memcpy(b + o * size, a + x++ * size, size);
				else
					memcpy(b + o * size, a + y++ * size, size);
			}
			big_tick(hi - lo);
		}
		sw = a;
		a = b;
		b = sw;
	}
	if (a != (unsigned char *)base)
		for (lo = 0; lo < n; lo += BIG_TICKS) {
			hi = n - lo > BIG_TICKS ? lo + BIG_TICKS : n;
			memcpy((unsigned char *)base + lo * size, a + lo * size,
			    (hi - lo) * size);
			big_tick(hi - lo);
		}
	big_free(tmp);
}

struct chunk {
	char *base;
	size_t used, cap;
};

struct big_arena {
	struct chunk *c;
	size_t n;
};

struct big_arena *
big_arena_new(void)
{
	return xcalloc(1, sizeof(struct big_arena));
}

void *
big_arena_alloc(struct big_arena *a, size_t n)
{
	struct chunk *c = a->n > 0 ? &a->c[a->n - 1] : NULL;
	size_t cap;

	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
	if (c == NULL || c->cap - c->used < n) {
		cap = c == NULL ? ARENA_FIRST : c->cap < ARENA_MAX ?
		    c->cap * 2 : ARENA_MAX;
		if (cap < n)
			cap = n;
		a->c = xreallocarray(a->c, a->n + 1, sizeof(*a->c));
		c = &a->c[a->n++];
		c->base = big_alloc(cap);
		c->used = 0;
		c->cap = cap;
	}
	c->used += n;
	return c->base + c->used - n;
}

char *
big_arena_strndup(struct big_arena *a, const char *s, size_t n)
{
	char *p = big_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
big_arena_strdup(struct big_arena *a, const char *s)
{
	return big_arena_strndup(a, s, strlen(s));
}

void
big_arena_free(struct big_arena *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		big_free(a->c[i].base);
	free(a->c);
	free(a);
}
