/* Unit tests: input.c (refusing non-regular files, size caps, the text
 * checker's line and column). */
#include "testutil.h"
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char dir[] = "/tmp/zj-test-input-XXXXXX";

static char *
path_in(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void
write_file(const char *path, const char *s, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void
test_regular(void **state)
{
	size_t len;
	char *why = NULL, *b;

	(void)state;
	write_file(path_in("a.txt"), "abc\n", 4);
	b = in_load(path_in("a.txt"), "test", 100, &len, &why);
	assert_non_null(b);
	assert_null(why);
	assert_int_equal(len, 4);
	assert_string_equal(b, "abc\n");
	free(b);
	/* Exactly at the cap is fine, one byte more is not. */
	b = in_load(path_in("a.txt"), "test", 4, &len, &why);
	assert_non_null(b);
	free(b);
	b = in_load(path_in("a.txt"), "test", 3, &len, &why);
	assert_null(b);
	assert_non_null(why);
	assert_non_null(strstr(why, "a test file may be at most 3 bytes"));
	free(why);
	/* An empty file is an empty buffer, NUL-terminated. */
	write_file(path_in("empty"), "", 0);
	b = in_load(path_in("empty"), "x", 10, &len, &why);
	assert_non_null(b);
	assert_int_equal(len, 0);
	assert_int_equal(b[0], '\0');
	free(b);
}

static void
test_refused(void **state)
{
	size_t len;
	char *why = NULL;
	int fd;
	struct sockaddr_un sa;

	(void)state;
	/* A FIFO with no writer: the open must not block. */
	assert_int_equal(mkfifo(path_in("fifo"), 0600), 0);
	assert_null(in_load(path_in("fifo"), "x", 100, &len, &why));
	assert_string_equal(why, "is a FIFO (named pipe), not a regular file");
	free(why);
	assert_null(in_load(dir, "x", 100, &len, &why));
	assert_string_equal(why, "is a directory, not a regular file");
	free(why);
	assert_null(in_load("/dev/zero", "x", 100, &len, &why));
	assert_string_equal(why, "is a character device, not a regular file");
	free(why);
	assert_null(in_load(path_in("nope"), "x", 100, &len, &why));
	assert_string_equal(why, "cannot open x: No such file or directory");
	free(why);
	assert_null(in_load("", "x", 100, &len, &why));
	free(why);
	/* A socket. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	assert_true(strlen(path_in("sock")) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path_in("sock"), strlen(path_in("sock")) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_null(in_load(path_in("sock"), "x", 100, &len, &why));
	assert_string_equal(why, "is a socket, not a regular file");
	free(why);
	close(fd);
}

static void
test_read_reports(void **state)
{
	size_t len;

	(void)state;
	capture_start();
	assert_null(in_read(path_in("fifo"), "CSV", 100, EXIT_DATA,
	    &len));
	assert_int_equal(diag_exit_code(), EXIT_DATA);
	assert_non_null(strstr(captured(), "/fifo: error: is a FIFO"));
	capture_stop();
}

static void
test_text(void **state)
{
	static const char ok[] = "\xEF\xBB\xBF" "a\tb\r\n中文 𝄞\n";
	static const char esc[] = "line one\n中文\x1b[31m\n";
	static const char nul[] = "ab\0c\n";
	static const char bad[] = "ok\nok\n一二\xff\n";
	static const char c1[] = "x\xc2\x85y";

	(void)state;
	capture_start();
	assert_int_equal(in_check_text("t.md", ok, sizeof(ok) - 1,
	    EXIT_TEMPLATE), 0);
	assert_string_equal(captured(), "");
	assert_int_equal(in_check_text("t.md", esc, sizeof(esc) - 1,
	    EXIT_TEMPLATE), 1);
	assert_non_null(strstr(captured(), "t.md:2:3: error: control "
	    "character U+001B (ESC)"));
	assert_int_equal(diag_exit_code(), EXIT_TEMPLATE);
	capture_stop();

	capture_start();
	assert_int_equal(in_check_text("t.md", nul, sizeof(nul) - 1,
	    EXIT_TEMPLATE), 1);
	assert_non_null(strstr(captured(), "t.md:1:3: error: control "
	    "character U+0000 (NUL)"));
	capture_stop();

	capture_start();
	assert_int_equal(in_check_text("t.md", bad, sizeof(bad) - 1,
	    EXIT_TEMPLATE), 1);
	assert_non_null(strstr(captured(), "t.md:3:3: error: invalid UTF-8 "
	    "byte 0xFF"));
	capture_stop();

	capture_start();
	assert_int_equal(in_check_text("t.md", c1, sizeof(c1) - 1,
	    EXIT_USAGE), 1);
	assert_non_null(strstr(captured(), "t.md:1:2: error: control "
	    "character U+0085"));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
	capture_stop();
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_read_reports),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
