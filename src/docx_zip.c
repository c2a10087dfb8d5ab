/* DOCX package through libzip, built in memory (see docx_zip.h).
 *
 * libzip is loaded with dlopen when the first package is built, not
 * linked: a run that writes no DOCX never maps it and what it pulls in
 * (libcrypto, libbz2, liblzma).  The calls go through the table Z. */
#include "docx_zip.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "diag.h"
#include "spool.h"
#include "util.h"

#define ZIP_LIB "libzip.so.4"      /* Debian's libzip4 */

#define ZIP_FNS(F) F(zip_error_strerror) F(zip_error_init) \
	F(zip_error_fini) F(zip_source_buffer_create) F(zip_source_keep) \
	F(zip_open_from_source) F(zip_source_buffer) F(zip_file_add) \
	F(zip_source_free) F(zip_get_error) F(zip_set_file_compression) \
	F(zip_file_set_dostime) F(zip_source_open) F(zip_source_read) \
	F(zip_source_close) F(zip_close) F(zip_discard) \
	F(zip_source_error) F(zip_stat_init) F(zip_source_stat) \
	F(zip_source_function)

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

struct dzip {
	zip_source_t *src;      /* the archive's bytes (kept past zip_close) */
	zip_t *za;
	zip_uint16_t dtime, ddate;
};

static void
zip_fail(const char *what, zip_error_t *ze)
{
	diag_error(EXIT_INTERNAL, NULL, "cannot build the DOCX package: %s: %s",
	    what, Z.zip_error_strerror(ze));
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
	if ((z->src = Z.zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		zip_fail("buffer", &ze);
		Z.zip_error_fini(&ze);
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

/* Copies the finished archive from z->src to fp.  Returns 0, or -1 with
 * errno set by the failed write (0 when libzip failed). */
static int
copy_out(struct dzip *z, FILE *fp)
{
	char chunk[65536];
	zip_int64_t n;
	int rc = 0;

	errno = 0;
	if (Z.zip_source_open(z->src) != 0)
		return -1;
	while ((n = Z.zip_source_read(z->src, chunk, sizeof(chunk))) > 0)
		if (fwrite(chunk, 1, (size_t)n, fp) != (size_t)n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	Z.zip_source_close(z->src);
	return rc;
}

int
dzip_write(struct dzip *z, const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	FILE *fp;
	int rc = 0, err;

	if (Z.zip_close(z->za) != 0) {
		zip_fail("close", Z.zip_get_error(z->za));
		Z.zip_discard(z->za);
		z->za = NULL;
		dzip_free(z);
		return -1;
	}
	z->za = NULL;
	if ((fp = fopen(path, "wb")) == NULL) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s", path,
		    strerror(errno));
		dzip_free(z);
		return -1;
	}
	if (copy_out(z, fp) != 0) {
		err = errno;
		if (err != 0)
			diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s",
			    path, strerror(err));
		else
			diag_error(EXIT_INTERNAL, &loc, "cannot build the DOCX "
			    "package: %s", Z.zip_error_strerror(
			    Z.zip_source_error(z->src)));
		rc = -1;
	}
	if (fclose(fp) != 0 && rc == 0) {
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
	zip_stat_t st;
	char *buf = NULL;
	zip_int64_t n;

	if (Z.zip_close(z->za) != 0) {
		zip_fail("close", Z.zip_get_error(z->za));
		Z.zip_discard(z->za);
		z->za = NULL;
		dzip_free(z);
		return NULL;
	}
	z->za = NULL;
	Z.zip_stat_init(&st);
	if (Z.zip_source_stat(z->src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    Z.zip_source_open(z->src) != 0) {
		zip_fail("read back", Z.zip_source_error(z->src));
		dzip_free(z);
		return NULL;
	}
	buf = xmalloc(st.size + 1);
	n = Z.zip_source_read(z->src, buf, st.size);
	Z.zip_source_close(z->src);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		zip_fail("read back", Z.zip_source_error(z->src));
		free(buf);
		dzip_free(z);
		return NULL;
	}
	*len = (size_t)st.size;
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
