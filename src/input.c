/* Input: safe opening and reading of input files (see input.h). */
#include "input.h"
#include "bigmem.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TEXT_ERRORS 20

/* The inputs opened so far (in_find). */
static struct seen {
	dev_t dev;
	ino_t ino;
	char *path;
} *seen;
static size_t nseen;

/* Remembers the file fd refers to (st) as an input opened as path. */
static void
remember(const char *path, const struct stat *st)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino)
			return;
	seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
	seen[nseen].dev = st->st_dev;
	seen[nseen].ino = st->st_ino;
	seen[nseen].path = xstrdup(path);
	nseen++;
}

const char *
in_find(const struct stat *st)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino)
			return seen[i].path;
	return NULL;
}

void
in_oom(void)
{
	diag_error(EXIT_INTERNAL, NULL, "out of memory");
	exit(EXIT_INTERNAL);
}

const char *
in_kind_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return _("a regular file");
	case S_IFDIR: return _("a directory");
	case S_IFIFO: return _("a FIFO (named pipe)");
	case S_IFCHR: return _("a character device");
	case S_IFBLK: return _("a block device");
	case S_IFSOCK: return _("a socket");
	case S_IFLNK: return _("a symbolic link");
	default: return _("an unknown kind of file");
	}
}

/* "1.5 MiB" style size into buf. */
static void
human(char *buf, size_t n, unsigned long long v)
{
	if (v >= (1ULL << 30))
		snprintf(buf, n, "%.1f GiB", (double)v / (1ULL << 30));
	else if (v >= (1ULL << 20))
		snprintf(buf, n, "%.1f MiB", (double)v / (1ULL << 20));
	else if (v >= 1024)
		snprintf(buf, n, "%.1f KiB", (double)v / 1024);
	else
		snprintf(buf, n, _("%llu bytes"), v);
}

/* in_open naming what in its open message (NULL: "cannot open: …"). */
static int
open_what(const char *path, const char *what, long long *size, char **why);

int
in_open(const char *path, long long *size, char **why)
{
	return open_what(path, NULL, size, why);
}

static int
open_what(const char *path, const char *what, long long *size, char **why)
{
	struct stat st;
	int fd, fl, e;

	*why = NULL;
	if (path == NULL || *path == '\0') {
		*why = xstrdup(_("empty file name"));
		errno = ENOENT;
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == ENOMEM)
			in_oom();
		/* open(2) of a socket fails with ENXIO: name what it is. */
		if (e == ENXIO && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			*why = xasprintf(_("is %s, not a regular file"),
			    in_kind_name((unsigned)st.st_mode));
		else
			*why = what ? xasprintf(_("cannot open %s: %s"),
			    _(what), strerror(e)) : xasprintf(_("cannot open: %s"),
			    strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		*why = xasprintf(_("cannot examine: %s"), strerror(e));
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*why = xasprintf(_("is %s, not a regular file"),
		    in_kind_name((unsigned)st.st_mode));
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	remember(path, &st);
	/* Blocking reads from here on (a regular file never blocks anyway). */
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	if (size != NULL)
		*size = (long long)st.st_size;
	return fd;
}

char *
in_load(const char *path, const char *what, size_t max, size_t *lenp,
    char **why)
{
	long long size;
	char *buf, hs[32], hm[32];
	size_t len = 0, cap;
	ssize_t n;
	int fd, e;

	*lenp = 0;
	if ((fd = open_what(path, what, &size, why)) < 0)
		return NULL;
	if (size > 0 && (unsigned long long)size > max) {
		human(hs, sizeof(hs), (unsigned long long)size);
		human(hm, sizeof(hm), max);
		*why = xasprintf(_("is %s; a %s file may be at most %s"), hs,
		    _(what), hm);
		close(fd);
		return NULL;
	}
	/* The size is a hint (it may change, and /proc files say 0): read to
	 * the end, never past max + 1 bytes. */
	cap = size > 0 ? (size_t)size + 1 : 64 * 1024;
	if ((buf = malloc(cap + 1)) == NULL)
		in_oom();
	for (;;) {
		if (len == cap) {
			if (cap > max)
				break;
			cap = cap > max / 2 ? max + 1 : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (nb == NULL)
				in_oom();
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			if (e == ENOMEM)
				in_oom();
			*why = xasprintf(_("cannot read: %s"), strerror(e));
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > max) {
		human(hm, sizeof(hm), max);
		*why = xasprintf(_("is larger than %s, the limit for a %s "
		    "file"), hm, _(what));
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

char *
in_read(const char *path, const char *what, size_t max, enum zj_exit code,
    size_t *lenp)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *why = NULL, *buf;

	if ((buf = in_load(path, what, max, lenp, &why)) == NULL) {
		/* why is translated already */
		diag_error(code, &loc, "%s", why);
		free(why);
	}
	return buf;
}

char *
in_read_big(const char *path, const char *what, size_t max,
    enum zj_exit code, size_t *lenp)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	const void *p = NULL;
	char *why = NULL;
	long long size, now = -1;
	int fd = in_open(path, &size, &why), e = 0;

	free(why);
	if (fd >= 0) {
		if (size > (long long)BIG_SMALL &&
		    (unsigned long long)size <= max &&
		    (p = big_copy_file(fd, (size_t)size, &now)) == NULL)
			e = errno;
		close(fd);
		if (e == ESTALE) {
			if (now != size)
				diag_error(code, &loc, "changed while being read "
				    "(%lld bytes, then %lld); run again once the "
				    "program writing it has finished", size, now);
			else
				diag_error(code, &loc, "changed while being read "
				    "(modified during the read); run again once "
				    "the program writing it has finished");
			return NULL;
		}
	}
	if (p != NULL) {
		*lenp = (size_t)size;
		return (char *)p;       /* the caller never writes it */
	}
	return in_read(path, what, max, code, lenp);
}

char *
in_read_text(const char *path, const char *what, size_t max,
    enum zj_exit code, size_t *lenp)
{
	char *buf = in_read(path, what, max, code, lenp);

	if (buf != NULL && in_check_text(path, buf, *lenp, code) != 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* The name of a control character for messages ("NUL", "ESC", …). */
static const char *
ctl_name(uint32_t cp)
{
	static const char *const c0[32] = {
		"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
		"BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
		"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
		"CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"
	};

	if (cp < 32)
		return c0[cp];
	if (cp == 0x7F)
		return "DEL";
	return "C1 control";
}

int
in_check_text(const char *path, const char *buf, size_t len,
    enum zj_exit code)
{
	struct diag_loc loc = { path, 1, 1, NULL, NULL };
	size_t i = 0;
	int nerr = 0, line_bad = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	/* Not UTF-8 but valid GB18030: saved as "ANSI" (GBK) by Notepad or
	 * an old editor.  One line that says what to do, not one per line. */
	if (utf8_invalid_at(buf + i, len - i) != (size_t)-1 &&
	    gb18030_valid(buf + i, len - i)) {
		struct diag_loc f = { path, 0, 0, NULL, NULL };
		diag_error(code, &f, "is not UTF-8 but GB18030/GBK (what "
		    "Notepad calls \"ANSI\"); save it as UTF-8 (另存为, 编码 "
		    "UTF-8)");
		return 1;
	}
	while (i < len) {
		unsigned char c = (unsigned char)buf[i];
		uint32_t cp = c;
		size_t k = 1;

		if (c == '\n') {
			loc.line++;
			loc.col = 1;
			line_bad = 0;
			i++;
			continue;
		}
		if (c >= 0x80 && (k = utf8_decode(buf + i, len - i, &cp)) == 0) {
			if (!line_bad && nerr++ < MAX_TEXT_ERRORS)
				diag_error(code, &loc, "invalid UTF-8 byte 0x%02X "
				    "(the file must be UTF-8 text)", c);
			line_bad = 1;
			k = 1;
		} else if ((cp < 0x20 && cp != '\t' && cp != '\r') ||
		    (cp >= 0x7F && cp < 0xA0)) {
			if (!line_bad && nerr++ < MAX_TEXT_ERRORS)
				diag_error(code, &loc, "control character U+%04X "
				    "(%s) is not allowed in text", (unsigned)cp,
				    ctl_name(cp));
			line_bad = 1;
		}
		i += k;
		loc.col++;
	}
	return nerr;
}
