/* Unit tests: bigmem.c (file-backed big blocks, trimming, arenas). */
#include "testutil.h"
#include "bigmem.h"

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
	big_free(p);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_stays_on_heap),
		cmocka_unit_test(test_grow_into_file_keeps_bytes),
		cmocka_unit_test(test_calloc_zero),
		cmocka_unit_test(test_trim_releases_pages),
		cmocka_unit_test(test_arena_stable),
		cmocka_unit_test(test_map_file),
		cmocka_unit_test(test_no_tmpdir_falls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
