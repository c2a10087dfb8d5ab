/* Output: temporary file, fsync, rename, lock (see output.h). */
#include "output.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct out_file {
	char *path;
	char *tmp;
	char *dir;
	int lockfd;
};

/* mkdir -p for dir.  Returns 0 or -1 (errno set). */
static int
mkdirs(const char *dir)
{
	char *p, *d = xstrdup(dir);
	int rc = 0;

	for (p = d + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0777) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*p = '/';
	}
	if (rc == 0 && mkdir(d, 0777) != 0 && errno != EEXIST)
		rc = -1;
	free(d);
	return rc;
}

struct out_file *
out_begin(const char *path, int wait)
{
	struct out_file *o;
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *copy, *base, *lock;
	int fd;

	o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->lockfd = -1;
	copy = xstrdup(path);
	o->dir = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(path);
	base = basename(copy);
	if (mkdirs(o->dir) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot create directory %s: %s",
		    o->dir, strerror(errno));
		free(copy);
		out_abort(o);
		return NULL;
	}
	lock = xasprintf("%s/.%s.lock", o->dir, base);
	o->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (o->lockfd < 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot open lock file %s: %s",
		    lock, strerror(errno));
		free(lock);
		free(copy);
		out_abort(o);
		return NULL;
	}
	if (flock(o->lockfd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EWOULDBLOCK)
			diag_error(EXIT_LOCKED, &loc, "another zongjie run is "
			    "writing this file (lock %s); use --wait to wait "
			    "for it", lock);
		else
			diag_error(EXIT_OUTPUT, &loc, "cannot lock %s: %s",
			    lock, strerror(errno));
		free(lock);
		free(copy);
		out_abort(o);
		return NULL;
	}
	free(lock);
	o->tmp = xasprintf("%s/.%s.XXXXXX", o->dir, base);
	free(copy);
	if ((fd = mkstemp(o->tmp)) < 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot create a temporary file "
		    "in %s: %s", o->dir, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		out_abort(o);
		return NULL;
	}
	/* mkstemp makes the file 0600; a report is as readable as any file
	 * the user creates. */
	{
		mode_t um = umask(0);
		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	close(fd);
	return o;
}

int
out_check(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *copy = xstrdup(path), *dir = xstrdup(dirname(copy));
	struct stat st;
	int rc = 0;

	/* Walk up to the first directory that exists. */
	while (stat(dir, &st) != 0 && strcmp(dir, "/") != 0 &&
	    strcmp(dir, ".") != 0) {
		char *up = xstrdup(dirname(dir));
		free(dir);
		dir = up;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    access(dir, W_OK | X_OK) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write here: %s is not a "
		    "writable directory", dir);
		rc = -1;
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_error(EXIT_OUTPUT, &loc, "is a directory, not a PDF file");
		rc = -1;
	}
	free(copy);
	free(dir);
	return rc;
}

const char *
out_tmp_path(const struct out_file *o)
{
	return o->tmp;
}

int
out_commit(struct out_file *o)
{
	struct diag_loc loc = { o->path, 0, 0, NULL, NULL };
	int fd, rc = 0;

	if ((fd = open(o->tmp, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot flush %s: %s", o->tmp,
		    strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	if (rc == 0 && rename(o->tmp, o->path) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot rename %s into place: %s",
		    o->tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		free(o->tmp);
		o->tmp = NULL;
		if ((fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	out_abort(o);
	return rc;
}

void
out_abort(struct out_file *o)
{
	if (o == NULL)
		return;
	if (o->tmp != NULL)
		unlink(o->tmp);
	if (o->lockfd >= 0)
		close(o->lockfd);
	free(o->tmp);
	free(o->dir);
	free(o->path);
	free(o);
}
