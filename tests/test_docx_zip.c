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
#include <zlib.h>

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

/* The n-byte little-endian number at p. */
static unsigned long
le(const char *p, int n)
{
	unsigned long v = 0;

	while (n-- > 0)
		v = v << 8 | (unsigned char)p[n];
	return v;
}

/* dzip_write streams the archive into the file (libzip seeking back to
 * rewrite each local header): the same bytes as dzip_bytes builds in
 * memory, for a spooled part and small ones; an unwritable path fails. */
static void
test_written_file_same_bytes(void **state)
{
	char dir[] = "/tmp/zj-test-docx-zip-XXXXXX";
	struct dzip *z[2];
	struct xw *x;
	char *path, *bad, *mem, *disk, *buf;
	size_t lm, len;
	FILE *fp;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 2; i++) {
		z[i] = dzip_create(2021, 12, 31);
		assert_non_null(z[i]);
		assert_int_equal(dzip_add(z[i], "[Content_Types].xml",
		    strdup("<Types/>"), 8), 0);
		x = xw_create_spool();
		fill(x);
		assert_int_equal(dzip_add_spool(z[i], "word/document.xml",
		    xw_finish_spool(x, "d.xml")), 0);
		assert_int_equal(dzip_add(z[i], "docProps/app.xml",
		    strdup("<Properties/>"), 13), 0);
	}
	mem = dzip_bytes(z[0], &lm);
	assert_non_null(mem);
	path = malloc(strlen(dir) + 16);
	assert_non_null(path);
	sprintf(path, "%s/out.docx", dir);
	assert_int_equal(dzip_write(z[1], path), 0);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	disk = malloc(lm + 1);
	assert_non_null(disk);
	assert_int_equal(fread(disk, 1, lm + 1, fp), lm);   /* no more */
	fclose(fp);
	assert_true(lm > 1000);
	assert_memory_equal(disk, mem, lm);
	/* The first local header, rewritten after its data: CRC-32 and
	 * sizes of "<Types/>", the package's date (2021-12-31, 00:00). */
	assert_int_equal(memcmp(mem, "PK\3\4", 4), 0);
	assert_int_equal(le(mem + 10, 2), 0);
	assert_int_equal(le(mem + 12, 2), (41 << 9) | (12 << 5) | 31);
	assert_int_equal(le(mem + 14, 4), crc32(0, (const Bytef *)"<Types/>",
	    8));
	assert_int_equal(le(mem + 22, 4), 8);
	assert_true(le(mem + 18, 4) > 0);
	assert_int_equal(unlink(path), 0);

	/* A directory that does not exist: -1, nothing made. */
	bad = malloc(strlen(dir) + 16);
	assert_non_null(bad);
	sprintf(bad, "%s/no/out.docx", dir);
	z[0] = dzip_create(2021, 12, 31);
	assert_non_null(z[0]);
	len = 8;
	buf = strdup("<Types/>");
	assert_int_equal(dzip_add(z[0], "[Content_Types].xml", buf, len), 0);
	assert_int_equal(dzip_write(z[0], bad), -1);
	assert_int_equal(entries(dir), 0);
	assert_int_equal(rmdir(dir), 0);
	free(bad);
	free(path);
	free(disk);
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spooled_part_same_bytes),
		cmocka_unit_test(test_spooled_package_same_bytes),
		cmocka_unit_test(test_written_file_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
