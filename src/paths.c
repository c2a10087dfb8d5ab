/* Paths: resolving the configuration's relative paths (see paths.h). */
#include "paths.h"
#include "util.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *
path_resolve(const char *base, const char *p)
{
	struct strbuf in, out;
	const char *s, *e;

	sb_init(&in);
	sb_init(&out);
	if (p[0] != '/' && base != NULL) {
		sb_adds(&in, base);
		sb_addc(&in, '/');
	}
	sb_adds(&in, p);
	/* Component by component: "." dropped, ".." removes the last one
	 * written (never above the root). */
	for (s = sb_str(&in); *s != '\0'; s = e) {
		size_t n;

		while (*s == '/')
			s++;
		for (e = s; *e != '\0' && *e != '/'; e++)
			;
		n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out.len > 0 && out.s[out.len - 1] != '/')
				out.len--;
			if (out.len > 0)
				out.len--;      /* the slash before it */
			if (out.s != NULL)
				out.s[out.len] = '\0';
			continue;
		}
		sb_addc(&out, '/');
		sb_addn(&out, s, n);
	}
	sb_free(&in);
	if (out.len == 0)
		sb_addc(&out, '/');
	return sb_detach(&out);
}

char *
path_cwd(void)
{
	size_t n = 256;

	for (;;) {
		char *buf = xmalloc(n);

		if (getcwd(buf, n) != NULL)
			return buf;
		free(buf);
		if (errno != ERANGE || n > ((size_t)1 << 20))
			return NULL;
		n *= 2;
	}
}

char *
path_absolute(const char *p)
{
	char *cwd, *r;

	if (p[0] == '/')
		return path_resolve(NULL, p);
	if ((cwd = path_cwd()) == NULL)
		return NULL;
	r = path_resolve(cwd, p);
	free(cwd);
	return r;
}

char *
path_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	char *real = realpath(dirname(copy), NULL);
	int e = errno;

	free(copy);
	errno = e;
	return real;
}

int
path_is_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return p[0] == '/';
	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}
