/* Output: writing the PDF safely.
 *
 * The PDF is written to a temporary file (.NAME.XXXXXX) in the target
 * directory and renamed over the target only when complete, so a failed
 * run leaves the last good PDF untouched and no temporary file behind.  A
 * lock file (.NAME.lock beside the output) keeps two runs for the same
 * output from overlapping.
 *
 * What is written (README "Refusals and limits", zongjie(1)):
 *  - only regular files: an output that exists and is a device, FIFO,
 *    socket or directory is refused (EXIT_OUTPUT) before any work;
 *  - never an input: an output that is the same file (device and inode,
 *    after following symbolic links) as the configuration, the template,
 *    a CSV file or a font is refused (EXIT_OUTPUT), naming both paths;
 *  - through a symbolic link: an output that is a symlink is followed, and
 *    the file it points to is replaced (the temporary file is made in that
 *    file's directory); the link itself stays.  A dangling link is refused.
 *  - stale temporaries (.NAME.XXXXXX left by a run that was killed) are
 *    removed once this run holds the lock, when they are regular files
 *    owned by the user. */
#ifndef ZJ_OUTPUT_H
#define ZJ_OUTPUT_H

struct out_file;

/* Installs the signal handling for the whole run: SIGTERM, SIGINT and
 * SIGHUP remove the temporary file being written (if any), print one line
 * and end the process by the same signal (a shell sees 128+N: 143, 130,
 * 129); SIGXFSZ is ignored so a write over `ulimit -f` fails with EFBIG
 * and is reported (EXIT_OUTPUT).  Call once, early in main. */
void out_signals(void);

/* The checks to make before any work: path is not empty (EXIT_USAGE),
 * does not name a directory, and if it exists (after following symbolic
 * links) it is a regular file that is none of the inputs read so far
 * (EXIT_OUTPUT).  Returns 0, or -1 after reporting. */
int out_precheck(const char *path);

/* Missing output directories are created only at or under dir (an
 * absolute, clean path: the configuration's base); a missing directory
 * elsewhere is an error naming both (EXIT_OUTPUT).  NULL (the default):
 * anywhere.  dir is copied. */
void out_set_create_root(const char *dir);

/* Takes the lock for path (waiting for it up to wait seconds; 0: not at
 * all, EXIT_LOCKED at once), removes stale
 * temporaries and creates the temporary file, creating missing parent
 * directories; repeats out_precheck against every input read by then.
 * Returns NULL after reporting (EXIT_LOCKED when another run holds the
 * lock, EXIT_OUTPUT otherwise).  Finish with out_commit or out_abort. */
struct out_file *out_begin(const char *path, long wait);

/* Checks, writing nothing, that path could be written: out_precheck, and
 * its directory (or the nearest existing ancestor, which out_begin would
 * create it under) is writable.  Returns 0, or -1 after reporting. */
int out_check(const char *path);

/* The temporary path to write to (owned by o). */
const char *out_tmp_path(const struct out_file *o);

/* Flushes the temporary file to disk and renames it to the target.
 * Returns 0, or -1 after reporting (EXIT_OUTPUT with strerror: "No space
 * left on device"; the temporary file is removed).  Always releases the
 * lock and frees o. */
int out_commit(struct out_file *o);

/* Removes the temporary file, releases the lock, frees o (NULL is fine). */
void out_abort(struct out_file *o);

#endif
