/* Output: writing the PDF safely.
 *
 * The PDF is written to a temporary file in the target directory and
 * renamed over the target only when complete, so a failed run leaves the
 * last good PDF untouched and no temporary file behind.  A lock file
 * (.NAME.lock beside the output) keeps two runs for the same output from
 * overlapping. */
#ifndef ZJ_OUTPUT_H
#define ZJ_OUTPUT_H

struct out_file;

/* Takes the lock for path (waiting for it when wait is set) and creates
 * the temporary file, creating missing parent directories.  Returns NULL
 * after reporting (EXIT_LOCKED when another run holds the lock,
 * EXIT_OUTPUT otherwise).  Finish with out_commit or out_abort. */
struct out_file *out_begin(const char *path, int wait);

/* Checks, writing nothing, that path could be written: its directory (or
 * the nearest existing ancestor, which out_begin would create it under)
 * is writable.  Returns 0, or -1 after reporting (EXIT_OUTPUT). */
int out_check(const char *path);

/* The temporary path to write to (owned by o). */
const char *out_tmp_path(const struct out_file *o);

/* Flushes the temporary file to disk and renames it to the target.
 * Returns 0, or -1 after reporting (EXIT_OUTPUT; the temporary file is
 * removed).  Always releases the lock and frees o. */
int out_commit(struct out_file *o);

/* Removes the temporary file, releases the lock, frees o (NULL is fine). */
void out_abort(struct out_file *o);

#endif
