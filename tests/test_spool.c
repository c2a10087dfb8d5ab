/* Unit tests: spool.c (append, read back through the write buffer and the
 * read windows, truncate; random operations against the same bytes kept
 * in memory). */
#include "testutil.h"
#include "spool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The byte at offset i of generation gen's data. */
static unsigned char
byte_at(uint64_t i, unsigned gen)
{
	return (unsigned char)((i * 2654435761u >> 13) + gen * 101u);
}

static void
append_gen(struct spool *s, uint64_t from, uint64_t to, unsigned gen)
{
	unsigned char b[5000];

	while (from < to) {
		size_t n = to - from < sizeof(b) ? (size_t)(to - from) :
		    sizeof(b);

		for (size_t k = 0; k < n; k++)
			b[k] = byte_at(from + k, gen);
		assert_int_equal(spool_append(s, b, n), 0);
		from += n;
	}
}

/* Asserts that [off, off + n) reads back as generation gen's bytes. */
static void
expect(struct spool *s, uint64_t off, size_t n, unsigned gen)
{
	unsigned char *b = malloc(n + 1);

	assert_non_null(b);
	assert_int_equal(spool_read(s, off, b, n), 0);
	for (size_t k = 0; k < n; k++)
		if (b[k] != byte_at(off + k, gen))
			fail_msg("byte %llu: %u, expected %u",
			    (unsigned long long)(off + k), b[k],
			    byte_at(off + k, gen));
	free(b);
}

/* Reads anywhere: on disk, in the write buffer, across both; small reads
 * in order and two interleaved streams (as lay_page reads); large ones. */
static void
test_read_anywhere(void **state)
{
	struct spool *s = spool_new();
	uint64_t size = 3 * 1024 * 1024 + 777;

	(void)state;
	assert_non_null(s);
	append_gen(s, 0, size, 0);
	assert_int_equal(spool_size(s), size);
	for (uint64_t off = 0; off + 88 <= size; off += 88 * 37)
		expect(s, off, 88, 0);
	for (uint64_t a = 1000, b = 2 * 1024 * 1024; a + 5000 <= b;
	    a += 5000, b += 11)
		expect(s, a, 5000, 0), expect(s, b, 11, 0);
	expect(s, size - 10, 10, 0);            /* write buffer only */
	expect(s, size - 300000, 300000, 0);    /* disk and buffer */
	expect(s, 12345, 600000, 0);            /* larger than a window */
	expect(s, 0, (size_t)size, 0);
	spool_free(s);
}

/* A read sees what was appended after it, and a truncated and rewritten
 * part reads as rewritten (no stale read-ahead). */
static void
test_truncate_rewrite(void **state)
{
	struct spool *s = spool_new();
	uint64_t size = 2 * 1024 * 1024;

	(void)state;
	assert_non_null(s);
	append_gen(s, 0, size, 0);
	expect(s, 1000000, 100, 0);             /* fills a window */
	expect(s, 300, 100, 0);                 /* and the other */
	assert_int_equal(spool_truncate(s, 1000050), 0);
	assert_int_equal(spool_size(s), 1000050);
	append_gen(s, 1000050, size, 1);
	expect(s, 1000000, 50, 0);
	expect(s, 1000050, 100000, 1);
	{
		unsigned char b[100];

		assert_int_equal(spool_read(s, 1000000, b, 100), 0);
		for (size_t k = 0; k < 100; k++)
			assert_int_equal(b[k], byte_at(1000000 + k,
			    k < 50 ? 0 : 1));
	}
	spool_free(s);
}

/* Truncating into the write buffer, then appending: the read sees the
 * new bytes. */
static void
test_truncate_buffer(void **state)
{
	struct spool *s = spool_new();

	(void)state;
	assert_non_null(s);
	append_gen(s, 0, 1000, 0);
	expect(s, 0, 1000, 0);
	assert_int_equal(spool_truncate(s, 500), 0);
	append_gen(s, 500, 1000, 2);
	expect(s, 0, 500, 0);
	expect(s, 500, 500, 2);
	spool_free(s);
}

/* A read past the end fails, is reported, and fails the spool. */
static void
test_read_past_end(void **state)
{
	struct spool *s = spool_new();
	unsigned char b[16];

	(void)state;
	assert_non_null(s);
	append_gen(s, 0, 10, 0);
	capture_start();
	assert_int_equal(spool_read(s, 5, b, 6), -1);
	assert_non_null(strstr(captured(), "cannot read a temporary file"));
	capture_stop();
	assert_int_equal(spool_failed(s), 1);
	assert_int_equal(spool_read(s, 0, b, 1), -1);
	spool_free(s);
}

/* A deterministic generator (xorshift64) for test_random_ops. */
static uint64_t rng = 88172645463325252ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A size: mostly small (records, texts), sometimes past the spool's
 * 256 KiB write buffer and read windows (an append that drains the
 * buffer more than once, a read that bypasses the windows). */
static size_t
some_size(void)
{
	switch (next() % 8) {
	case 0:
		return (size_t)(next() % 600000);
	case 1:
		return (size_t)(next() % 70000);
	default:
		return (size_t)(next() % 300);
	}
}

/* The model of test_random_ops: the bytes the spool should hold. */
static unsigned char *model;
static size_t msize, mcap;

/* Appends n bytes with a pattern of their own (never the bytes a cut
 * removed from the same offsets) to the spool and the model. */
static void
model_append(struct spool *s, size_t n)
{
	static unsigned stamp;
	unsigned char *p = malloc(n + 1);

	assert_non_null(p);
	stamp++;
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(stamp * 131u + i * 7u + (i >> 9));
	if (msize + n > mcap) {
		mcap = 2 * (msize + n);
		model = realloc(model, mcap);
		assert_non_null(model);
	}
	memcpy(model + msize, p, n);
	msize += n;
	assert_int_equal(spool_append(s, p, n), 0);
	free(p);
	assert_true(spool_size(s) == msize);
}

/* Reads [off, off + n) and checks it against the model. */
static void
model_read(struct spool *s, size_t off, size_t n)
{
	unsigned char *b = malloc(n + 1);

	assert_non_null(b);
	assert_int_equal(spool_read(s, off, b, n), 0);
	assert_memory_equal(b, model + off, n);
	free(b);
}

/* Appends of any size, reads anywhere, cuts, in a random order: every
 * read gives the model's bytes. */
static void
test_random_ops(void **state)
{
	struct spool *s = spool_new();

	(void)state;
	assert_non_null(s);
	msize = 0;
	for (int i = 0; i < 4000; i++) {
		unsigned op = (unsigned)(next() % 10);

		if (op < 5 || msize == 0) {
			model_append(s, some_size());
		} else if (op < 9) {
			size_t off = (size_t)(next() % (msize + 1));
			size_t n = some_size();

			if (n > msize - off)
				n = msize - off;
			model_read(s, off, n);
		} else {
			size_t to = msize - (size_t)(next() % (msize + 1)) / 4;

			assert_int_equal(spool_truncate(s, to), 0);
			msize = to;
			assert_true(spool_size(s) == msize);
		}
	}
	model_read(s, 0, msize);
	assert_int_equal(spool_failed(s), 0);
	spool_free(s);
	free(model);
	model = NULL;
	mcap = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_anywhere),
		cmocka_unit_test(test_truncate_rewrite),
		cmocka_unit_test(test_truncate_buffer),
		cmocka_unit_test(test_read_past_end),
		cmocka_unit_test(test_random_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
