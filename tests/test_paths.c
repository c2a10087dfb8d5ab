/* Paths: lexical resolution against the configuration's directory. */
#include "testutil.h"
#include "paths.h"

#include <stdlib.h>
#include <string.h>

static void
expect(const char *base, const char *p, const char *want)
{
	char *got = path_resolve(base, p);
	assert_string_equal(got, want);
	free(got);
}

static void
test_resolve(void **state)
{
	(void)state;
	expect("/etc/zongjie", "report.md", "/etc/zongjie/report.md");
	expect("/etc/zongjie", "../input/2021-12/kpi.csv",
	    "/etc/input/2021-12/kpi.csv");
	expect("/etc/zongjie", "./fonts/", "/etc/zongjie/fonts");
	expect("/etc/zongjie", "/srv/data//kpi.csv", "/srv/data/kpi.csv");
	expect("/a", "../../../x", "/x");
	expect("/", ".", "/");
	expect("/a/b", "c/./d/../e", "/a/b/c/e");
	expect(NULL, "/x/y/..", "/x");
	expect("/srv/园区", "输出/{period}.pdf", "/srv/园区/输出/{period}.pdf");
}

static void
test_under(void **state)
{
	(void)state;
	assert_true(path_is_under("/a/b/c", "/a/b"));
	assert_true(path_is_under("/a/b", "/a/b"));
	assert_false(path_is_under("/a/bc", "/a/b"));
	assert_false(path_is_under("/a", "/a/b"));
	assert_true(path_is_under("/x", "/"));
}

static void
test_absolute(void **state)
{
	char *cwd = path_cwd(), *a = path_absolute("x/../y"), *want;

	(void)state;
	assert_non_null(cwd);
	want = path_resolve(cwd, "y");
	assert_string_equal(a, want);
	free(cwd);
	free(a);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_under),
		cmocka_unit_test(test_absolute),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
