/* Spool: bytes too many to keep in memory (the boxes of a large table's
 * pages, pages' deflated content) in an unlinked temporary file: appended
 * in order, read back by offset, cut back to an earlier size.
 *
 * Contract: the file is created in $TMPDIR (else /tmp) and unlinked at
 * once, so nothing is left behind whatever happens to the process.  Writes
 * are buffered; a read sees everything appended before it.  The first
 * failure (disk full, I/O error) is reported through diag with EXIT_OUTPUT
 * and makes the spool failed: later calls do nothing and return -1.
 * No thread safety: one thread uses a spool. */
#ifndef ZJ_SPOOL_H
#define ZJ_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool;

/* A new empty spool.  Returns NULL after reporting (EXIT_OUTPUT) when no
 * temporary file can be made.  Free with spool_free. */
struct spool *spool_new(void);
void spool_free(struct spool *s);

/* Appends p[0..n).  Returns 0, or -1 (failed spool). */
int spool_append(struct spool *s, const void *p, size_t n);

/* The number of bytes appended (less those cut by spool_truncate). */
uint64_t spool_size(const struct spool *s);

/* Cuts the spool back to size (<= spool_size).  Returns 0 or -1. */
int spool_truncate(struct spool *s, uint64_t size);

/* Reads bytes [off, off + n) (within spool_size; else a failure) into
 * buf: what is still buffered is copied from the write buffer, the rest
 * comes through read-ahead windows (up to 2 x 256 KiB, allocated on the
 * first read), so reading in order costs a pread per 256 KiB.  Returns 0
 * or -1 after reporting (EXIT_OUTPUT; the spool is failed). */
int spool_read(struct spool *s, uint64_t off, void *buf, size_t n);

/* 1 once the spool has failed (the failure was reported). */
int spool_failed(const struct spool *s);

#endif
