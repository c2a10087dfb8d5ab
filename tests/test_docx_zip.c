/* Unit tests: docx_xml.c and docx_zip.c (a part spooled to a temporary
 * file gives the bytes of the same part built in memory, and the same
 * package; the spool's file leaves nothing in $TMPDIR). */
#include "testutil.h"
#include "docx_xml.h"
#include "docx_zip.h"
#include "spool.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes the same elements to x: rows of cells with escaped text, about
 * 3 MB (past spool.c's write buffer and libxml2's output buffer). */
static void
fill(struct xw *x)
{
	char text[64];
	int r, c;

	xw_start(x, "w:document");
	xw_attr(x, "xmlns:w", "urn:test");
	for (r = 0; r < 20000; r++) {
		xw_start(x, "w:tr");
		for (c = 0; c < 4; c++) {
			snprintf(text, sizeof(text), "行 %d <%d> & \"列\"", r, c);
			xw_start(x, "w:tc");
			xw_attrf(x, "w:w", "%d", 960 + c);
			xw_elem_text(x, "w:t", text);
			xw_end(x);
		}
		xw_end(x);
	}
	xw_end(x);
}

/* Entries of dir other than . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_spooled_part_same_bytes(void **state)
{
	struct xw *m = xw_create(), *s = xw_create_spool();
	struct spool *sp;
	size_t len;
	char *mem, *back;

	(void)state;
	fill(m);
	fill(s);
	mem = xw_finish(m, "mem.xml", &len);
	sp = xw_finish_spool(s, "spool.xml");
	assert_non_null(mem);
	assert_non_null(sp);
	assert_true(len > 2000000);
	assert_int_equal(spool_size(sp), len);
	back = malloc(len);
	assert_non_null(back);
	assert_int_equal(spool_read(sp, 0, back, len), 0);
	assert_memory_equal(back, mem, len);
	assert_int_equal(xw_check(back, len), 0);
	free(back);
	free(mem);
	spool_free(sp);
}

static void
test_spooled_package_same_bytes(void **state)
{
	char dir[] = "/tmp/zj-test-docx-zip-XXXXXX";
	const char *old = getenv("TMPDIR");
	char *saved = old != NULL ? strdup(old) : NULL;
	struct dzip *a, *b;
	struct xw *x;
	size_t la, lb, len;
	char *pa, *pb, *buf;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	a = dzip_create(2021, 12, 31);
	b = dzip_create(2021, 12, 31);
	assert_non_null(a);
	assert_non_null(b);
	x = xw_create();
	fill(x);
	buf = xw_finish(x, "a.xml", &len);
	assert_non_null(buf);
	assert_int_equal(dzip_add(a, "word/document.xml", buf, len), 0);
	x = xw_create_spool();
	fill(x);
	assert_int_equal(dzip_add_spool(b, "word/document.xml",
	    xw_finish_spool(x, "b.xml")), 0);
	pa = dzip_bytes(a, &la);
	pb = dzip_bytes(b, &lb);
	assert_non_null(pa);
	assert_non_null(pb);
	assert_true(la > 1000 && la < len);     /* deflated */
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	assert_int_equal(entries(dir), 0);      /* nothing left behind */
	free(pa);
	free(pb);
	assert_int_equal(rmdir(dir), 0);
	if (saved != NULL)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spooled_part_same_bytes),
		cmocka_unit_test(test_spooled_package_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
