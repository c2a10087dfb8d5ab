/* Unit tests: bigmem.c (file-backed big blocks, trimming, arenas). */
#include "testutil.h"
#include "bigmem.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Resident kilobytes of this process (VmRSS), or -1. */
static long
rss_kib(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(fp);
	return kib;
}

static void
test_small_stays_on_heap(void **state)
{
	size_t before = big_file_blocks();
	char *p = big_alloc(100);

	(void)state;
	memset(p, 'x', 100);
	assert_int_equal(big_file_blocks(), before);
	p = big_realloc(p, 1000);
	assert_int_equal(p[99], 'x');
	assert_int_equal(big_file_blocks(), before);
	big_free(p);
}

/* A block grown past BIG_SMALL moves into a file, keeps its bytes, and
 * keeps them after its pages are dropped. */
static void
test_grow_into_file_keeps_bytes(void **state)
{
	size_t before = big_file_blocks(), n = 3 * BIG_SMALL + 123, i;
	unsigned char *p = big_alloc(1000);

	(void)state;
	for (i = 0; i < 1000; i++)
		p[i] = (unsigned char)(i * 7);
	p = big_realloc(p, n);
	assert_int_equal(big_file_blocks(), before + 1);
	assert_true(big_file_bytes() >= n);
	for (i = 1000; i < n; i++)
		p[i] = (unsigned char)(i * 7);
	big_trim();
	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7))
			fail_msg("byte %zu lost after big_trim", i);
	p = big_reallocarray(p, 2, n);
	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7))
			fail_msg("byte %zu lost after growth", i);
	big_free(p);
	assert_int_equal(big_file_blocks(), before);
}

static void
test_calloc_zero(void **state)
{
	size_t n = 2 * BIG_SMALL, i;
	unsigned char *p = big_calloc(n, 1);

	(void)state;
	for (i = 0; i < n; i++)
		if (p[i] != 0)
			fail_msg("byte %zu is %d", i, p[i]);
	big_free(p);
}

/* Writing 64 MiB into file blocks and trimming leaves the resident set
 * near where it started; the same on the heap would add 64 MiB. */
static void
test_trim_releases_pages(void **state)
{
	size_t n = (size_t)64 << 20, i;
	long start, after;
	char *p;

	(void)state;
	if ((start = rss_kib()) < 0)
		fail_msg("cannot read VmRSS");
	p = big_alloc(n);
	for (i = 0; i < n; i += 4096) {
		p[i] = (char)i;
		big_tick(1);
	}
	big_trim();
	after = rss_kib();
	assert_true(after - start < 24 * 1024);
	for (i = 0; i < n; i += 4096)
		assert_int_equal(p[i], (char)i);
	big_free(p);
}

/* How many of the n bytes at p (page-aligned) are in pages mapped into
 * this process now (/proc/self/pagemap's present bit), or -1. */
static long
mapped_bytes(const void *p, size_t n)
{
	FILE *fp = fopen("/proc/self/pagemap", "rb");
	long ps = sysconf(_SC_PAGESIZE), got = 0;
	uint64_t e;
	size_t i;

	if (fp == NULL)
		return -1;
	for (i = 0; i < n; i += (size_t)ps) {
		if (fseek(fp, (long)(((uintptr_t)p + i) / (size_t)ps * 8),
		    SEEK_SET) != 0 || fread(&e, sizeof(e), 1, fp) != 1) {
			got = -1;
			break;
		}
		if (e >> 63)
			got += ps;
	}
	fclose(fp);
	return got;
}

/* Writes n bytes into a new block a page at a time, a big_tick each, and
 * frees it: the trims of a pass over other data. */
static void
other_pass(size_t n)
{
	char *o = big_alloc(n);
	size_t i;

	for (i = 0; i < n; i += 4096) {
		o[i] = 1;
		big_tick(1);
	}
	big_free(o);
}

/* The block of big_use stays resident through the trims of a pass over
 * other blocks when it takes at most 6 MiB (not when larger, not after
 * big_use of another address), and the resident set stays bounded. */
static void
test_use_keeps_block(void **state)
{
	size_t n = (size_t)4 << 20, big = (size_t)16 << 20;
	char *hot = big_alloc(n), *large = big_alloc(big);
	long start;

	(void)state;
	assert_true(big_file_blocks() >= 2);
	if ((start = rss_kib()) < 0)
		fail_msg("cannot read VmRSS");
	memset(hot, 'h', n);
	big_use(hot + 12345);           /* any address inside it */
	other_pass((size_t)64 << 20);
	assert_int_equal(mapped_bytes(hot, n), (long)n);
	assert_true(rss_kib() - start < 24 * 1024);

	memset(large, 'l', big);        /* too large to keep */
	big_use(large);
	other_pass((size_t)64 << 20);
	assert_true(mapped_bytes(large, big) < (long)big / 2);
	assert_true(mapped_bytes(hot, n) < (long)n / 2);

	memset(hot, 'h', n);
	big_use(hot);
	big_use(NULL);                  /* no block kept */
	other_pass((size_t)64 << 20);
	assert_true(mapped_bytes(hot, n) < (long)n / 2);
	assert_int_equal(hot[n - 1], 'h');
	big_free(hot);
	big_free(large);
}

/* A heap block grown into a file keeps its bytes, and only they are
 * copied: the pages past them are not written (each would be a page
 * fault, and again after big_tick released it). */
static void
test_grow_copies_only_old(void **state)
{
	size_t old = BIG_SMALL, n = 8 * BIG_SMALL, i;
	unsigned char *p = big_alloc(old);

	(void)state;
	for (i = 0; i < old; i++)
		p[i] = (unsigned char)(i * 13);
	p = big_realloc(p, n);
	assert_true(big_file_bytes() >= n);
	/* a megabyte of slack past the old bytes for the heap block's
	 * usable size */
	assert_int_equal(mapped_bytes(p + 2 * BIG_SMALL, n - 2 * BIG_SMALL),
	    0);
	for (i = 0; i < old; i++)
		if (p[i] != (unsigned char)(i * 13))
			fail_msg("byte %zu lost growing into a file", i);
	big_free(p);
}

static void
test_arena_stable(void **state)
{
	struct big_arena *a = big_arena_new();
	char *first, *s;
	size_t i;

	(void)state;
	first = big_arena_strdup(a, "第一个");
	for (i = 0; i < 200000; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "row %zu", i);
		s = big_arena_strdup(a, buf);
		assert_string_equal(s, buf);
		if (((size_t)s & 7) != 0)
			fail_msg("unaligned");
	}
	big_trim();
	assert_string_equal(first, "第一个");
	assert_string_equal(s, "row 199999");
	assert_string_equal(big_arena_strndup(a, "abcdef", 3), "abc");
	big_arena_free(a);
}

/* A file mapped read-only reads as the file, keeps its bytes after its
 * pages are released (and releases them: the resident set goes back to
 * near where it started), is copied by big_realloc into a writable
 * block, and leaves the block table when freed. */
static void
test_map_file(void **state)
{
	char path[] = "/tmp/zongjie-test-map-XXXXXX";
	size_t before = big_file_blocks(), n = (size_t)32 << 20, i;
	unsigned char *buf = malloc(n), *w;
	const unsigned char *m;
	long start, touched, after;
	unsigned sum = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0 && buf != NULL);
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)(i % 251);
	assert_true(write(fd, buf, n) == (ssize_t)n);
	free(buf);
	assert_null(big_map_file(fd, 0));
	m = big_map_file(fd, n);
	(void)close(fd);
	(void)unlink(path);
	assert_non_null(m);
	assert_int_equal(big_file_blocks(), before + 1);
	start = rss_kib();
	for (i = 0; i < n; i++)
		if (m[i] != (unsigned char)(i % 251))
			fail_msg("byte %zu is %d", i, m[i]);
	touched = rss_kib();
	big_trim();
	after = rss_kib();
	/* Touching it all made it resident; trimming released it. */
	assert_true(touched - start > 16 * 1024);
	assert_true(after - start < 4 * 1024);
	for (i = 0; i < n; i += 4096)
		sum += m[i];
	assert_true(sum > 0);
	assert_int_equal(m[n - 1], (unsigned char)((n - 1) % 251));
	w = big_realloc((void *)m, n + 10);
	assert_int_equal(big_file_blocks(), before + 1);
	for (i = 0; i < n; i++)
		if (w[i] != (unsigned char)(i % 251))
			fail_msg("copied byte %zu is %d", i, w[i]);
	w[n + 9] = 7;
	big_free(w);
	assert_int_equal(big_file_blocks(), before);
}

/* A file copied by big_copy_file reads as the file was, after the file is
 * rewritten and truncated to nothing (a mapping of the file itself would
 * raise SIGBUS there), also after its pages are released; the copy is one
 * block that big_free removes. */
static void
test_copy_file_survives_truncation(void **state)
{
	char path[] = "/tmp/zongjie-test-copy-XXXXXX";
	size_t before = big_file_blocks(), n = 3 * BIG_SMALL + 1234, i;
	unsigned char *buf = malloc(n);
	const unsigned char *m;
	long long now = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0 && buf != NULL);
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)(i % 253);
	assert_true(write(fd, buf, n) == (ssize_t)n);
	/* The descriptor's offset (at the end now) does not matter. */
	m = big_copy_file(fd, n, &now);
	assert_non_null(m);
	assert_int_equal(now, (long long)n);
	assert_int_equal(big_file_blocks(), before + 1);
	/* Another process rewrites the file and truncates it. */
	memset(buf, 'z', n);
	assert_true(pwrite(fd, buf, n, 0) == (ssize_t)n);
	assert_int_equal(ftruncate(fd, 0), 0);
	(void)close(fd);
	(void)unlink(path);
	for (i = 0; i < n; i++)
		if (m[i] != (unsigned char)(i % 253))
			fail_msg("byte %zu is %d", i, m[i]);
	big_trim();
	for (i = 0; i < n; i += 4096)
		if (m[i] != (unsigned char)(i % 253))
			fail_msg("byte %zu is %d after big_trim", i, m[i]);
	assert_int_equal(m[n - 1], (unsigned char)((n - 1) % 253));
	big_free((void *)m);
	assert_int_equal(big_file_blocks(), before);
	free(buf);
}

/* big_copy_file refuses a file that has not the expected size (it changed
 * after its size was taken, or while it was copied): ESTALE with its size
 * now; and an empty length. */
static void
test_copy_file_changed(void **state)
{
	char path[] = "/tmp/zongjie-test-copy-XXXXXX";
	size_t before = big_file_blocks(), n = 2 * BIG_SMALL + 7;
	char *buf = calloc(1, n);
	long long now = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0 && buf != NULL);
	assert_true(write(fd, buf, n) == (ssize_t)n);
	(void)unlink(path);
	/* Grew: more bytes than expected. */
	errno = 0;
	assert_null(big_copy_file(fd, n - 1, &now));
	assert_int_equal(errno, ESTALE);
	assert_int_equal(now, (long long)n);
	/* Shrank: fewer. */
	errno = 0;
	now = 0;
	assert_null(big_copy_file(fd, n + 4096, &now));
	assert_int_equal(errno, ESTALE);
	assert_int_equal(now, (long long)n);
	errno = 0;
	assert_null(big_copy_file(fd, 0, &now));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(big_file_blocks(), before);
	(void)close(fd);
	free(buf);
}

/* No usable TMPDIR: blocks stay on the heap and still work. */
static void
test_no_tmpdir_falls_back(void **state)
{
	size_t before = big_file_blocks(), i;
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	unsigned char *p;

	(void)state;
	setenv("TMPDIR", "/nonexistent/zongjie", 1);
	p = big_alloc(2 * BIG_SMALL);
	assert_int_equal(big_file_blocks(), before);
	for (i = 0; i < 2 * BIG_SMALL; i++)
		p[i] = (unsigned char)i;
	p = big_realloc(p, 4 * BIG_SMALL);
	for (i = 0; i < 2 * BIG_SMALL; i++)
		assert_int_equal(p[i], (unsigned char)i);
	/* No copy of a file either: NULL, but not "it changed". */
	{
		char path[] = "/tmp/zongjie-test-copy-XXXXXX";
		long long now;
		int fd = mkstemp(path);

		assert_true(fd >= 0);
		(void)unlink(path);
		assert_true(write(fd, p, 2 * BIG_SMALL) ==
		    (ssize_t)(2 * BIG_SMALL));
		errno = 0;
		assert_null(big_copy_file(fd, 2 * BIG_SMALL, &now));
		assert_int_equal(errno, ENOENT);
		assert_int_equal(big_file_blocks(), before);
		(void)close(fd);
	}
	big_free(p);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

struct sortel {
	unsigned key;
	unsigned pos;
	char pad[20];
};

static int
cmp_key(const void *pa, const void *pb)
{
	const struct sortel *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

static int
cmp_total(const void *pa, const void *pb)
{
	const struct sortel *a = pa, *b = pb;
	int c = cmp_key(pa, pb);

	return c != 0 ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* big_sort is stable and agrees with qsort under a total order, at sizes
 * around its insertion runs and merge passes. */
static void
test_sort(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 31, 32, 33, 64, 65, 1000,
	    4097, 100003 };
	size_t s, i, n;

	(void)state;
	srand(16);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct sortel *v, *w;

		n = sizes[s];
		v = calloc(n + 1, sizeof(*v));
		w = calloc(n + 1, sizeof(*w));
		for (i = 0; i < n; i++) {
			v[i].key = (unsigned)rand() % (n / 4 + 1);
			v[i].pos = (unsigned)i;
		}
		memcpy(w, v, n * sizeof(*v));
		big_sort(v, n, sizeof(*v), cmp_key);
		qsort(w, n, sizeof(*w), cmp_total);
		for (i = 0; i < n; i++)
			if (v[i].key != w[i].key || v[i].pos != w[i].pos)
				fail_msg("n=%zu: element %zu is (%u, %u), "
				    "expected (%u, %u)", n, i, v[i].key,
				    v[i].pos, w[i].key, w[i].pos);
		free(v);
		free(w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_stays_on_heap),
		cmocka_unit_test(test_grow_into_file_keeps_bytes),
		cmocka_unit_test(test_calloc_zero),
		cmocka_unit_test(test_trim_releases_pages),
		cmocka_unit_test(test_use_keeps_block),
		cmocka_unit_test(test_grow_copies_only_old),
		cmocka_unit_test(test_arena_stable),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_map_file),
		cmocka_unit_test(test_copy_file_survives_truncation),
		cmocka_unit_test(test_copy_file_changed),
		cmocka_unit_test(test_no_tmpdir_falls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
