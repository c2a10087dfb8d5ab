/* Output: checks, temporary file, fsync, rename, lock, signals (see
 * output.h). */
#include "output.h"
#include "diag.h"
#include "input.h"
#include "paths.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct out_file {
	char *path;             /* the target: the output, symlinks followed */
	char *tmp;
	char *dir;
	int lockfd;
};

/* ---- signals -------------------------------------------------------- */

/* The temporary file being written, for the signal handler.  Changed only
 * with the handled signals blocked. */
static char sig_tmp[PATH_MAX];
static volatile sig_atomic_t sig_have_tmp;
static char sig_msg[256];       /* translated once, written by the handler */
static size_t sig_msglen;

static void
on_signal(int sig)
{
	int e = errno;

	if (sig_have_tmp)
		(void)unlink(sig_tmp);
	if (sig_msglen > 0)
		(void)!write(STDERR_FILENO, sig_msg, sig_msglen);
	errno = e;
	/* SA_RESETHAND restored the default action: die by the signal. */
	(void)raise(sig);
}

/* Blocks (how = SIG_BLOCK) or restores the handled signals. */
static void
hold_signals(int how, sigset_t *old)
{
	sigset_t set;

	if (how == SIG_BLOCK) {
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, old);
	} else
		sigprocmask(SIG_SETMASK, old, NULL);
}

/* Sets (tmp non-NULL) or clears the temporary file the handler removes;
 * call with the signals held. */
static void
set_sig_tmp(const char *tmp)
{
	if (tmp != NULL && strlen(tmp) < sizeof(sig_tmp)) {
		memcpy(sig_tmp, tmp, strlen(tmp) + 1);
		sig_have_tmp = 1;
	} else
		sig_have_tmp = 0;
}

/* Clears the handler's temporary file. */
static void
clear_sig_tmp(void)
{
	sigset_t old;

	hold_signals(SIG_BLOCK, &old);
	set_sig_tmp(NULL);
	hold_signals(SIG_SETMASK, &old);
}

void
out_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	size_t i;
	int n;

	n = snprintf(sig_msg, sizeof(sig_msg), "zongjie: %s\n",
	    _("interrupted by a signal; no PDF was written or changed"));
	sig_msglen = n > 0 && (size_t)n < sizeof(sig_msg) ? (size_t)n : 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction cur;

		/* A signal ignored by whoever started us (nohup) stays so. */
		if (sigaction(sigs[i], NULL, &cur) == 0 &&
		    cur.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	signal(SIGXFSZ, SIG_IGN);
}

/* ---- checks --------------------------------------------------------- */

/* Resolves path to the file to replace: path itself, or for a symbolic
 * link the file it points to.  Returns a new string, or NULL after
 * reporting (EXIT_OUTPUT) a dangling or looping link. */
static char *
target_of(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	struct stat st;
	char *real;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	if ((real = realpath(path, NULL)) == NULL) {
		if (errno == ENOMEM)
			in_oom();
		diag_error(EXIT_OUTPUT, &loc, "is a symbolic link that cannot "
		    "be followed (%s); zongjie writes through a link only to "
		    "an existing file", strerror(errno));
		return NULL;
	}
	return real;
}

/* Refuses an existing target that is not a regular file or that is an
 * input.  shown is the path as the user gave it.  Returns 0 or -1. */
static int
check_target(const char *shown, const char *target)
{
	struct diag_loc loc = { shown, 0, 0, NULL, NULL };
	struct stat st;
	const char *in;

	if (stat(target, &st) != 0)
		return 0;               /* does not exist yet: fine */
	if (!S_ISREG(st.st_mode)) {
		diag_error(EXIT_OUTPUT, &loc, "is %s; zongjie writes only "
		    "regular files", in_kind_name((unsigned)st.st_mode));
		return -1;
	}
	if ((in = in_find(&st)) != NULL) {
		diag_error(EXIT_OUTPUT, &loc, "is the same file as the input "
		    "%s; an input is never overwritten (choose another -o)",
		    in);
		return -1;
	}
	return 0;
}

int
out_precheck(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *target;
	size_t n = path != NULL ? strlen(path) : 0;
	int rc;

	if (n == 0) {
		diag_error(EXIT_USAGE, NULL, "the output file name is empty");
		return -1;
	}
	if (path[n - 1] == '/') {
		diag_error(EXIT_OUTPUT, &loc, "names a directory, not a PDF "
		    "file");
		return -1;
	}
	if ((target = target_of(path)) == NULL)
		return -1;
	rc = check_target(path, target);
	free(target);
	return rc;
}

/* ---- writing -------------------------------------------------------- */

/* Missing directories are created only under this directory (NULL:
 * anywhere). */
static char *create_root;

void
out_set_create_root(const char *dir)
{
	free(create_root);
	create_root = dir != NULL ? xstrdup(dir) : NULL;
}

/* May the missing directory dir be created?  When not, reports it at loc
 * (EXIT_OUTPUT) and returns 0. */
static int
may_create(const char *dir, const struct diag_loc *loc)
{
	char *abs;
	int ok;

	if (create_root == NULL)
		return 1;
	abs = path_absolute(dir);
	ok = abs != NULL && path_is_under(abs, create_root);
	if (!ok)
		diag_error(EXIT_OUTPUT, loc, "directory %s does not exist; "
		    "zongjie creates missing directories only under the "
		    "configuration's directory %s (create it, or choose "
		    "another output)", abs != NULL ? abs : dir, create_root);
	free(abs);
	return ok;
}

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

/* Is name ".BASE.XXXXXX" (mkstemp's six letters and digits)? */
static int
is_our_tmp(const char *name, const char *base)
{
	size_t bl = strlen(base), i;

	if (name[0] != '.' || strncmp(name + 1, base, bl) != 0 ||
	    name[bl + 1] != '.' || strlen(name + bl + 2) != 6)
		return 0;
	for (i = bl + 2; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return 1;
}

/* Removes .BASE.XXXXXX files in dir left by runs that died.  Called with
 * the lock held: no live run is writing one. */
static void
remove_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (!is_our_tmp(de->d_name, base))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == geteuid() && unlink(p) == 0)
			diag_info("removed %s, left by a run that was "
			    "interrupted", p);
		free(p);
	}
	closedir(d);
}

/* Tries flock(LOCK_EX) on fd every 100 ms for up to wait seconds (0: one
 * try).  Returns 0 when held, -1 with errno (EWOULDBLOCK when the time ran
 * out). */
static int
lock_within(int fd, long wait)
{
	struct timespec start, now, nap = { 0, 100000000L };

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= wait) {
			errno = EWOULDBLOCK;
			return -1;
		}
		nanosleep(&nap, NULL);
	}
}

/* Takes the lock .BASE.lock in o->dir, waiting up to wait seconds.
 * Returns 0 or -1 after reporting. */
static int
take_lock(struct out_file *o, const char *base, long wait,
    const struct diag_loc *loc)
{
	char *lock = xasprintf("%s/.%s.lock", o->dir, base);
	int rc = 0;

	o->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK, 0666);
	if (o->lockfd < 0) {
		diag_error(EXIT_OUTPUT, loc, "cannot open lock file %s: %s",
		    lock, strerror(errno));
		rc = -1;
	} else if (lock_within(o->lockfd, wait) != 0) {
		if (errno == EWOULDBLOCK && wait == 0)
			diag_error(EXIT_LOCKED, loc, "another zongjie run is "
			    "writing this file (lock %s); use --wait to wait "
			    "for it", lock);
		else if (errno == EWOULDBLOCK)
			diag_error(EXIT_LOCKED, loc, "another zongjie run still "
			    "holds the lock %s after %ld seconds of waiting; "
			    "gave up", lock, wait);
		else
			diag_error(EXIT_OUTPUT, loc, "cannot lock %s: %s",
			    lock, strerror(errno));
		rc = -1;
	}
	free(lock);
	return rc;
}

struct out_file *
out_begin(const char *path, long wait)
{
	struct out_file *o;
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *copy, *base;
	int fd;

	if (out_precheck(path) != 0)
		return NULL;
	o = xcalloc(1, sizeof(*o));
	o->lockfd = -1;
	if ((o->path = target_of(path)) == NULL) {
		out_abort(o);
		return NULL;
	}
	copy = xstrdup(o->path);
	o->dir = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(o->path);
	base = basename(copy);
	if (access(o->dir, F_OK) != 0 && !may_create(o->dir, &loc))
		goto fail;
	if (mkdirs(o->dir) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot create directory %s: %s",
		    o->dir, strerror(errno));
		goto fail;
	}
	if (take_lock(o, base, wait, &loc) != 0)
		goto fail;
	remove_stale(o->dir, base);
	o->tmp = xasprintf("%s/.%s.XXXXXX", o->dir, base);
	{
		/* The handler knows the file from the moment it exists. */
		sigset_t old;
		int e;

		hold_signals(SIG_BLOCK, &old);
		fd = mkstemp(o->tmp);
		e = errno;
		if (fd >= 0)
			set_sig_tmp(o->tmp);
		hold_signals(SIG_SETMASK, &old);
		errno = e;
	}
	if (fd < 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot create a temporary file "
		    "in %s: %s", o->dir, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	/* mkstemp makes the file 0600; a report is as readable as any file
	 * the user creates. */
	{
		mode_t um = umask(0);
		umask(um);
		(void)fchmod(fd, 0666 & ~um);
	}
	close(fd);
	free(copy);
	return o;
fail:
	free(copy);
	out_abort(o);
	return NULL;
}

int
out_check(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *target, *copy, *dir;
	struct stat st;
	int rc = 0;

	if (out_precheck(path) != 0)
		return -1;
	if ((target = target_of(path)) == NULL)
		return -1;
	copy = xstrdup(target);
	dir = xstrdup(dirname(copy));
	if (access(dir, F_OK) != 0 && !may_create(dir, &loc)) {
		free(copy);
		free(dir);
		free(target);
		return -1;
	}
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
	}
	free(copy);
	free(dir);
	free(target);
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

	/* fsync reports what a full disk or a failing device did to the
	 * delayed writes (ENOSPC, EDQUOT, EIO). */
	if ((fd = open(o->tmp, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s", o->tmp,
		    strerror(errno));
		rc = -1;
	}
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s", o->tmp,
		    strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(o->tmp, o->path) != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot rename %s into place: %s",
		    o->tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		clear_sig_tmp();
		free(o->tmp);
		o->tmp = NULL;
		if ((fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			(void)fsync(fd);
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
	clear_sig_tmp();
	if (o->lockfd >= 0)
		close(o->lockfd);
	free(o->tmp);
	free(o->dir);
	free(o->path);
	free(o);
}
