/* DOCX package through libzip (see docx_zip.h).
 *
 * libzip is loaded with dlopen when the first package is built, not
 * linked: a run that writes no DOCX never maps it and what it pulls in
 * (libcrypto, libbz2, liblzma).  The calls go through the table Z.
 *
 * libzip writes the archive at zip_close through a writable source of
 * our own (struct sink): straight into the file dzip_write was given, or
 * into memory for dzip_bytes.  A 1M-row package (40 MB deflated) is never
 * held in memory: libzip's buffer source, used before, kept all of it. */
#include "docx_zip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "diag.h"
#include "spool.h"
#include "util.h"

#define ZIP_LIB "libzip.so.4"      /* Debian's libzip4 */

#define ZIP_FNS(F) F(zip_error_strerror) F(zip_error_init) \
	F(zip_error_fini) F(zip_source_keep) F(zip_open_from_source) \
	F(zip_source_buffer) F(zip_file_add) F(zip_source_free) \
	F(zip_get_error) F(zip_set_file_compression) F(zip_file_set_dostime) \
	F(zip_close) F(zip_discard) F(zip_stat_init) F(zip_source_function) \
	F(zip_source_function_create)

/* The libzip functions used, once loaded (kept for the process's life). */
static struct {
#define ZIP_MEMBER(f) __typeof__(&f) f;
	ZIP_FNS(ZIP_MEMBER)
#undef ZIP_MEMBER
} Z;
static int z_state;     /* 0: not tried, 1: loaded, -1: failed (reported) */

/* Loads libzip into Z on the first call (single-threaded: the DOCX writer
 * runs on the main thread).  Returns 0, or -1 after reporting the failure
 * once with EXIT_INTERNAL. */
static int
zip_load(void)
{
	static const struct dl_fn fn[] = {
#define ZIP_ENTRY(f) { #f, offsetof(__typeof__(Z), f) },
		ZIP_FNS(ZIP_ENTRY)
#undef ZIP_ENTRY
	};
	const char *why;
	int missing;

	if (z_state == 0) {
		z_state = dl_load(ZIP_LIB, fn, sizeof fn / sizeof fn[0], &Z,
		    &why, &missing) != NULL ? 1 : -1;
		if (z_state < 0 && missing)
			diag_error(EXIT_INTERNAL, NULL, "%s has no %s: not a "
			    "usable library", ZIP_LIB, why);
		else if (z_state < 0)
			diag_error(EXIT_INTERNAL, NULL, "cannot load %s, which "
			    "writing a DOCX needs (install Debian's %s "
			    "package): %s", ZIP_LIB, "libzip4", why);
	}
	return z_state > 0 ? 0 : -1;
}

/* Where libzip writes the archive (a writable source's user data): the
 * file fd, or memory (fd -1).  Owned by the source: freed by its
 * ZIP_SOURCE_FREE. */
struct sink {
	int fd;                 /* the output (dzip_write's), or -1 */
	char *mem;              /* fd -1: the archive's bytes (malloc'd) */
	size_t cap;             /* allocated size of mem */
	uint64_t len, off;      /* bytes written; the write position */
	int zerr, serr;         /* ZIP_ER_* and errno of the last failure */
};

struct dzip {
	zip_source_t *src;      /* over sink (kept past zip_close) */
	struct sink *sink;      /* valid while src is */
	zip_t *za;
	zip_uint16_t dtime, ddate;
};

static void
zip_fail(const char *what, zip_error_t *ze)
{
	diag_error(EXIT_INTERNAL, NULL, "cannot build the DOCX package: %s: %s",
	    what, Z.zip_error_strerror(ze));
}

/* Writes data[0..n) at k->off (to k->fd, or into k->mem).  Returns 0,
 * or -1 with k->zerr and k->serr set (ZIP_ER_WRITE and the errno). */
static int
sink_put(struct sink *k, const char *data, size_t n)
{
	ssize_t w;

	if (k->fd < 0) {
		if (k->off + n > k->cap) {
			k->cap = k->off + n > 2 * k->cap ? k->off + n :
			    2 * k->cap;
			k->mem = xrealloc(k->mem, k->cap);
		}
		memcpy(k->mem + k->off, data, n);
		k->off += n;
	}
	while (k->fd >= 0 && n > 0) {
		if ((w = pwrite(k->fd, data, n, (off_t)k->off)) < 0) {
			if (errno == EINTR)
				continue;
			k->zerr = ZIP_ER_WRITE;
			k->serr = errno;
			return -1;
		}
		data += w;
		n -= (size_t)w;
		k->off += (uint64_t)w;
	}
	if (k->off > k->len)
		k->len = k->off;
	return 0;
}

/* libzip's source callback over a sink (zip_source_function_create): an
 * empty archive to read (it is opened with ZIP_TRUNCATE), written in
 * order with seeks back to rewrite the local headers.  Opening and
 * closing the file are dzip_write's. */
static zip_int64_t
sink_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct sink *k = ud;
	zip_source_args_seek_t *a;
	zip_int64_t to;
	zip_stat_t *st;
	int *e;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_READ:           /* nothing to read */
	case ZIP_SOURCE_SEEK:
	case ZIP_SOURCE_TELL:
	case ZIP_SOURCE_COMMIT_WRITE:
	case ZIP_SOURCE_ROLLBACK_WRITE:
		return 0;
	case ZIP_SOURCE_STAT:
		if (len < sizeof(*st)) {
			k->zerr = ZIP_ER_INVAL;
			return -1;
		}
		st = data;
		Z.zip_stat_init(st);
		st->size = 0;
		st->valid = ZIP_STAT_SIZE;
		return sizeof(*st);
	case ZIP_SOURCE_BEGIN_WRITE:
	case ZIP_SOURCE_REMOVE:         /* an archive of no parts: empty */
		k->len = k->off = 0;
		k->zerr = k->serr = 0;
		return 0;
	case ZIP_SOURCE_WRITE:
		if (sink_put(k, data, (size_t)len) != 0)
			return -1;
		return (zip_int64_t)len;
	case ZIP_SOURCE_SEEK_WRITE:
		if (len < sizeof(*a)) {
			k->zerr = ZIP_ER_INVAL;
			return -1;
		}
		a = data;
		to = a->offset + (a->whence == SEEK_CUR ? (zip_int64_t)k->off :
		    a->whence == SEEK_END ? (zip_int64_t)k->len : 0);
		if ((a->whence != SEEK_SET && a->whence != SEEK_CUR &&
		    a->whence != SEEK_END) || to < 0 ||
		    (zip_uint64_t)to > k->len) {
			k->zerr = ZIP_ER_INVAL;
			return -1;
		}
		k->off = (uint64_t)to;
		return 0;
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)k->off;
	case ZIP_SOURCE_ERROR:
		if (len < 2 * sizeof(int))
			return -1;
		e = data;
		e[0] = k->zerr;
		e[1] = k->serr;
		return 2 * sizeof(int);
	case ZIP_SOURCE_FREE:
		free(k->mem);
		free(k);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	default:
		k->zerr = ZIP_ER_OPNOTSUPP;
		return -1;
	}
}

struct dzip *
dzip_create(int year, int month, int day)
{
	struct dzip *z;
	zip_error_t ze;

	if (zip_load() != 0)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	Z.zip_error_init(&ze);
	if (year < 1980)
		year = 1980, month = 1, day = 1;
	if (year > 2107)
		year = 2107;
	z->ddate = (zip_uint16_t)(((year - 1980) << 9) | (month << 5) | day);
	z->dtime = 0;
	z->sink = xcalloc(1, sizeof(*z->sink));
	z->sink->fd = -1;
	if ((z->src = Z.zip_source_function_create(sink_cb, z->sink,
	    &ze)) == NULL) {
		zip_fail("output", &ze);
		Z.zip_error_fini(&ze);
		free(z->sink);
		free(z);
		return NULL;
	}
	Z.zip_source_keep(z->src);
	if ((z->za = Z.zip_open_from_source(z->src, ZIP_TRUNCATE, &ze)) == NULL) {
		zip_fail("open", &ze);
		Z.zip_error_fini(&ze);
		dzip_free(z);
		return NULL;
	}
	Z.zip_error_fini(&ze);
	return z;
}

/* Adds source s as part name (deflated at level 9, the package's date).
 * s is taken: the archive owns it, or it is freed when adding fails.
 * Returns 0, or -1 after reporting. */
static int
add_source(struct dzip *z, const char *name, zip_source_t *s)
{
	zip_int64_t idx;

	if ((idx = Z.zip_file_add(z->za, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		Z.zip_source_free(s);
		zip_fail(name, Z.zip_get_error(z->za));
		return -1;
	}
	if (Z.zip_set_file_compression(z->za, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
	    9) != 0 || Z.zip_file_set_dostime(z->za, (zip_uint64_t)idx,
	    z->dtime, z->ddate, 0) != 0) {
		zip_fail(name, Z.zip_get_error(z->za));
		return -1;
	}
	return 0;
}

int
dzip_add(struct dzip *z, const char *name, char *buf, size_t len)
{
	zip_source_t *s;

	if ((s = Z.zip_source_buffer(z->za, buf, len, 1)) == NULL) {
		free(buf);
		zip_fail(name, Z.zip_get_error(z->za));
		return -1;
	}
	return add_source(z, name, s);
}

/* A part's bytes in a spool, for libzip's read-only source callback. */
struct spool_src {
	struct spool *sp;
	uint64_t size, off;
	int zerr;       /* ZIP_ER_* of the last failure */
};

/* libzip's source callback over a spool (zip_source_function): opens,
 * reads in order, stats (the size, so that no ZIP64 field is needed for a
 * part under 4 GiB, as for a buffer) and frees it. */
static zip_int64_t
spool_src_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct spool_src *c = ud;
	zip_stat_t *st;
	int *e;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		c->off = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > c->size - c->off)
			len = c->size - c->off;
		if (len > 0 && spool_read(c->sp, c->off, data,
		    (size_t)len) != 0) {
			c->zerr = ZIP_ER_READ;
			return -1;
		}
		c->off += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT:
		if (len < sizeof(*st)) {
			c->zerr = ZIP_ER_INVAL;
			return -1;
		}
		st = data;
		Z.zip_stat_init(st);
		st->size = c->size;
		st->comp_size = c->size;
		st->comp_method = ZIP_CM_STORE;
		st->encryption_method = ZIP_EM_NONE;
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
		    ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
		return sizeof(*st);
	case ZIP_SOURCE_ERROR:
		if (len < 2 * sizeof(int))
			return -1;
		e = data;
		e[0] = c->zerr;
		e[1] = 0;
		return 2 * sizeof(int);
	case ZIP_SOURCE_FREE:
		spool_free(c->sp);
		free(c);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	default:
		c->zerr = ZIP_ER_OPNOTSUPP;
		return -1;
	}
}

int
dzip_add_spool(struct dzip *z, const char *name, struct spool *sp)
{
	struct spool_src *c = xcalloc(1, sizeof(*c));
	zip_source_t *s;

	c->sp = sp;
	c->size = spool_size(sp);
	if ((s = Z.zip_source_function(z->za, spool_src_cb, c)) == NULL) {
		spool_free(sp);
		free(c);
		zip_fail(name, Z.zip_get_error(z->za));
		return -1;
	}
	return add_source(z, name, s);
}

/* Closes z->za, libzip writing the archive into z->sink.  Returns 0, or
 * -1 after reporting a libzip failure (EXIT_INTERNAL) or, when the sink's
 * write failed, nothing (z->sink->serr holds the errno). */
static int
close_archive(struct dzip *z)
{
	int rc = 0;

	if (Z.zip_close(z->za) != 0) {
		if (z->sink->serr == 0)
			zip_fail("close", Z.zip_get_error(z->za));
		Z.zip_discard(z->za);
		rc = -1;
	}
	z->za = NULL;
	return rc;
}

int
dzip_write(struct dzip *z, const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	int rc, fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) < 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s", path,
		    strerror(errno));
		dzip_free(z);
		return -1;
	}
	z->sink->fd = fd;
	rc = close_archive(z);
	if (rc != 0 && z->sink->serr != 0)
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s", path,
		    strerror(z->sink->serr));
	z->sink->fd = -1;
	if (close(fd) != 0 && rc == 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	dzip_free(z);
	return rc;
}

char *
dzip_bytes(struct dzip *z, size_t *len)
{
	char *buf;

	if (close_archive(z) != 0) {
		dzip_free(z);
		return NULL;
	}
	buf = z->sink->mem != NULL ? z->sink->mem : xmalloc(1);
	*len = (size_t)z->sink->len;
	z->sink->mem = NULL;
	dzip_free(z);
	return buf;
}

void
dzip_free(struct dzip *z)
{
	if (z == NULL)
		return;
	if (z->za != NULL)
		Z.zip_discard(z->za);
	if (z->src != NULL)
		Z.zip_source_free(z->src);
	free(z);
}
