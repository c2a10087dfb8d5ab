/* Input: opening and reading the files zongjie reads (configuration, CSV
 * exports, template, fonts) safely.
 *
 * Every input is opened with O_NONBLOCK (a FIFO never blocks the open),
 * checked with fstat before anything is read, and refused unless it is a
 * regular file: a FIFO, device, directory or socket is named as such.
 * Reading stops at a size cap (below) so /dev/zero-like inputs or a huge
 * file cannot exhaust memory.  Messages carry the path and the real
 * errno text; running out of memory is always exit 1 "out of memory",
 * never a data or font message.
 *
 * Size caps (README "Limits", zongjie(1)):
 *   configuration  IN_MAX_CONFIG    1 MiB
 *   template       IN_MAX_TEMPLATE  16 MiB
 *   font           IN_MAX_FONT      256 MiB
 *   CSV            IN_MAX_CSV       256 MiB by default; [data.NAME] max_size_mb */
#ifndef ZJ_INPUT_H
#define ZJ_INPUT_H

#include <stddef.h>

#include "diag.h"

#define IN_MAX_CONFIG   ((size_t)1 << 20)
#define IN_MAX_TEMPLATE ((size_t)16 << 20)
#define IN_MAX_FONT     ((size_t)256 << 20)
#define IN_MAX_CSV      ((size_t)256 << 20)

/* What a file is, for messages: "a directory", "a FIFO (named pipe)",
 * "a character device", "a block device", "a socket", "a regular file",
 * "a symbolic link" or "an unknown kind of file" (static strings). */
const char *in_kind_name(unsigned mode);

/* Opens path read-only (O_NONBLOCK, O_NOCTTY, O_CLOEXEC), refusing any
 * file that is not regular.  On success returns the descriptor (blocking
 * mode restored; the caller closes it) and stores the size in *size when
 * size is not NULL.  On failure returns -1 and stores a reason (caller
 * frees) in *why, e.g. "is a FIFO (named pipe), not a regular file" or
 * "cannot open: Permission denied"; errno is kept. */
int in_open(const char *path, long long *size, char **why);

/* Reads the whole regular file path into memory, at most max bytes.
 * Returns a buffer of *lenp bytes followed by a NUL (caller frees), or
 * NULL with a reason in *why (caller frees): not a regular file, larger
 * than max ("is 2.0 GiB; a WHAT file may be at most 1.0 GiB"), or an open
 * or read error with strerror ("cannot open WHAT: …").  what names the
 * kind of input: "configuration", "template", "CSV", "font".  Out of memory exits 1 with "out of memory". */
char *in_load(const char *path, const char *what, size_t max, size_t *lenp,
    char **why);

/* in_load, reporting a failure as "PATH: error: REASON" with exit class
 * code (EXIT_USAGE for the configuration, EXIT_DATA for CSV,
 * EXIT_TEMPLATE for the template, EXIT_FONT for fonts).  Returns NULL
 * after reporting. */
char *in_read(const char *path, const char *what, size_t max,
    enum zj_exit code, size_t *lenp);

/* in_read for an input that may be large (a CSV export): a regular file
 * larger than BIG_SMALL (bigmem.h) and at most max bytes is copied into
 * zongjie's own unlinked temporary file and mapped read-only
 * (big_copy_file), so its pages leave memory as they are passed, and no
 * other process truncating or rewriting the file meanwhile can reach
 * what is read (no SIGBUS, no half-written bytes).  A file that changed
 * while it was copied is reported as "PATH: error: changed while being
 * read (…)" with class code.  Any other file, or when the copy cannot be
 * made, goes to in_read, which reports every failure with its messages:
 * not a regular file, over max, cannot open or read.  Returns *lenp
 * bytes to free with big_free, never free() (read only: a mapping; no
 * NUL is promised after them), or NULL after reporting. */
char *in_read_big(const char *path, const char *what, size_t max,
    enum zj_exit code, size_t *lenp);

/* Checks that buf[0..len) is text: valid UTF-8 and no control character
 * other than TAB, LF and CR (so no NUL, ESC, DEL or C1 controls).  A
 * UTF-8 byte-order mark at offset 0 is allowed.  Each bad line is reported
 * once as "PATH:LINE:COL: error: …" (COL in characters, from 1) with class
 * code, at most 20 lines.  Returns the number of errors (0: clean). */
int in_check_text(const char *path, const char *buf, size_t len,
    enum zj_exit code);

/* in_read followed by in_check_text: the text of a regular UTF-8 file
 * without control characters, or NULL after reporting (class code). */
char *in_read_text(const char *path, const char *what, size_t max,
    enum zj_exit code, size_t *lenp);

/* Every file in_open has opened is remembered (device and inode, and the
 * path as given) so the output can be checked against them.  Returns the
 * path of a remembered input that is the file st describes, or NULL.
 * The string is owned by input.c and lives until exit. */
struct stat;
const char *in_find(const struct stat *st);

/* Reports "out of memory" (exit class 1) and exits 1.  For callers whose
 * library reported ENOMEM. */
void in_oom(void) __attribute__((noreturn));

#endif
