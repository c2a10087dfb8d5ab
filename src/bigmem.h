/* Bigmem: memory that grows with the input (CSV cells, table rows,
 * provenance, libharu's page objects), kept out of the resident set.
 *
 * A block of at most BIG_SMALL bytes is ordinary heap memory.  A larger
 * block lives in its own unlinked temporary file in $TMPDIR (else /tmp),
 * mapped shared: its pages are written back to the file by the kernel and
 * can be dropped from memory.  big_tick releases the resident pages of
 * the file blocks (all but a small one named to big_use) at regular
 * intervals (madvise MADV_DONTNEED), so a pass over a million rows keeps
 * only the last few thousand in memory; the contents stay in the file
 * and come back on the next access, at the same address.
 *
 * Contract:
 * - big_alloc, big_calloc and big_realloc behave like malloc, calloc and
 *   realloc (big_realloc(NULL, n) allocates; the address may change on
 *   growth, as with realloc, and grown bytes are not zeroed); free with
 *   big_free, never free().  They never return
 *   NULL: out of memory exits like xmalloc (util.h).
 * - When no temporary file can be made or grown (no $TMPDIR, disk full),
 *   the block stays on the heap: a warning is printed once, and the run
 *   goes on with memory that is not flat.  A full disk never shows as
 *   SIGBUS: file space is reserved (posix_fallocate) before it is mapped.
 * - Pointers into a block stay valid until it is freed or grown, whatever
 *   big_tick or big_trim do.
 * - Thread safety: the block table is locked, so blocks may be made and
 *   freed from any thread; big_tick's counter is the calling thread's
 *   concern (call it from one thread). */
#ifndef ZJ_BIGMEM_H
#define ZJ_BIGMEM_H

#include <stddef.h>

/* Blocks up to this size stay on the heap. */
#define BIG_SMALL	((size_t)1 << 20)

void *big_alloc(size_t n);
void *big_calloc(size_t nmemb, size_t size);
void *big_realloc(void *p, size_t n);
/* big_realloc of nmemb * size bytes, exiting on overflow. */
void *big_reallocarray(void *p, size_t nmemb, size_t size);
void big_free(void *p);

/* Maps the first len bytes of the regular file open on fd read-only
 * (MAP_PRIVATE, PROT_READ): a block that big_trim and big_tick release
 * like the others (its pages come back from the file on the next access)
 * and that costs no copy.  The descriptor is not kept (the caller closes
 * it).  Returns the address, or NULL with errno set when len is 0, the
 * block table is full or the file cannot be mapped (the caller reads the
 * file instead).  Free with big_free; big_realloc copies it into a
 * writable block.  Bytes past the end of the file in the last page read
 * as 0; the file must not shrink while mapped (a page past its new end
 * raises SIGBUS, as for any mapping). */
const void *big_map_file(int fd, size_t len);

/* Copies the regular file open on fd, which should be len bytes long,
 * into a new unlinked temporary file of this process (as the blocks
 * above; in the kernel with copy_file_range where it can) and maps the
 * copy as big_map_file does.  Nothing another process does to the file
 * afterwards (truncating it, rewriting it in place) can reach the copy,
 * so reading it never raises SIGBUS and never sees a half-rewritten file.
 * The descriptor's offset is not used or moved; it is not kept.
 * Returns the address (free with big_free), or NULL with errno set:
 * - ESTALE: the file changed while it was copied: it had not len bytes
 *   when the copy began or ended, or it was modified (its size or
 *   modification time changed) during the copy.  *nowp is its size at
 *   the end (the caller may report "changed while being read");
 * - anything else: the copy could not be made (no $TMPDIR, disk full:
 *   bigmem's warning is printed once), the file could not be read, or
 *   the copy could not be mapped.  The caller reads the file instead,
 *   which reports a read error in its own words.
 * *nowp is -1 unless the file's size at the end is known.  Costs
 * temporary disk space (page cache) of len bytes until freed. */
const void *big_copy_file(int fd, size_t len, long long *nowp);

/* Sorts base[0..n) of size-byte elements by cmp, stably (elements cmp
 * calls equal keep their order): a bottom-up merge sort whose scratch is
 * a big block and which counts a big_tick per element moved, so sorting a
 * million rows keeps only a few pages resident (glibc's qsort takes n
 * elements of heap scratch).  With a total order the result is qsort's. */
void big_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *));

/* Counts n units of work (a row read or written, a page laid out).  Every
 * BIG_TICKS units it looks at the resident set, and when it has grown by
 * 8 MiB since the last trim (or when it cannot tell), releases the
 * resident pages of every file block but big_use's. */
#define BIG_TICKS	1024
void big_tick(size_t n);
/* Releases the resident pages of every file block now. */
void big_trim(void);
/* A hint: the file block holding p (any address inside it) is about to
 * be written over again and again (a table filled a column at a time),
 * where each page released in between would be faulted in again, one
 * write at a time.  Until it is freed or another big_use, big_tick keeps
 * it resident if it takes at most 6 MiB, and trims the rest that much
 * sooner.  p outside every file block (a heap block, NULL): no block is
 * kept. */
void big_use(const void *p);

/* An arena of strings and small objects that never move: each is carved
 * from chunks that are big blocks and are all freed together by
 * big_arena_free.  Returns never NULL (as big_alloc). */
struct big_arena;
struct big_arena *big_arena_new(void);
void *big_arena_alloc(struct big_arena *a, size_t n);   /* 8-byte aligned */
char *big_arena_strdup(struct big_arena *a, const char *s);
char *big_arena_strndup(struct big_arena *a, const char *s, size_t n);
void big_arena_free(struct big_arena *a);

/* Statistics for tests and `make profile`: how many blocks are in files
 * now, and their mapped bytes. */
size_t big_file_blocks(void);
size_t big_file_bytes(void);

#endif
