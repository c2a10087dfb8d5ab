/* Diagnostics: the one place that prints messages.
 *
 * Every message goes to stderr as
 *   zongjie: FILE:LINE:COL: error: TEXT
 *   zongjie: FILE: [section] key: error: TEXT
 * and the process exit code is the class of the first error reported
 * (diag_exit_code).  Nothing else in the program writes to stderr. */
#ifndef ZJ_DIAG_H
#define ZJ_DIAG_H

#include <libintl.h>
#include <stdio.h>

/* Messages are translated through gettext in the text domain "zongjie"
 * (po/zh_CN.po).  diag() translates its format itself; _() marks and
 * translates any other user-facing string (usage text, a message composed
 * before it reaches diag), N_() only marks one for xgettext. */
#define ZJ_TEXTDOMAIN "zongjie"
#define _(s) dgettext(ZJ_TEXTDOMAIN, s)
#define N_(s) (s)

/* Documented exit codes (README, zongjie(1)). */
enum zj_exit {
	EXIT_OK = 0,
	EXIT_INTERNAL = 1,  /* a library failed unexpectedly (libharu, memory) */
	EXIT_USAGE = 2,     /* bad command line or configuration (INI) */
	EXIT_DATA = 3,      /* input CSV: unreadable, malformed, bad value */
	EXIT_TEMPLATE = 4,  /* template: syntax, unknown source/key/column */
	EXIT_FONT = 5,      /* font missing, unusable, or lacks a character */
	EXIT_OUTPUT = 6,    /* cannot write the PDF */
	EXIT_MAIL = 7,      /* the PDF was written but mailing failed */
	EXIT_LOCKED = 8     /* another run holds the lock for this output */
};

enum diag_level { DIAG_DEBUG, DIAG_INFO, DIAG_WARNING, DIAG_ERROR };

/* Where a message points.  Every field is optional: file NULL means no
 * location; line 0 means no line; col 0 means no column; section/key are
 * for INI locations.  Strings are borrowed for the call only. */
struct diag_loc {
	const char *file;
	int line;
	int col;
	const char *section;
	const char *key;
};

/* Chooses the message language as GNU tools do (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG) and finds the catalogue: $ZONGJIE_LOCALEDIR, else
 * build/locale beside the running binary (the build tree), else the
 * installed $(PREFIX)/share/locale.  Messages are always UTF-8.  Only
 * LC_MESSAGES is taken from the environment: number parsing and printing
 * stay in the C locale.  A language whose locale is not generated on the
 * machine is still honoured (through C.UTF-8).  Call once, first thing in
 * main; without it every message is English. */
void diag_init_locale(void);

/* Sets how much is printed: -1 quiet (errors only), 0 normal (warnings and
 * errors), 1 verbose (info too), 2 debug. */
void diag_set_verbosity(int v);
int diag_verbosity(void);

/* Sends output to fp instead of stderr (tests); NULL restores stderr. */
void diag_set_stream(FILE *fp);

/* Prints a message.  For DIAG_ERROR, code is the exit class recorded if it
 * is the first error; it is ignored for other levels. */
void diag(enum diag_level level, enum zj_exit code, const struct diag_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prints fmt (translated) and a newline as it is, with no "zongjie:"
 * prefix and whatever the verbosity: "Try 'zongjie --help' …", the
 * summary of a run over several periods or configurations.  Records no
 * error. */
void diag_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Also writes every warning and error (and diag_raw line), whatever the
 * verbosity, to fp (the failure mail collects them); NULL stops.
 * Returns the previous one. */
FILE *diag_tee(FILE *fp);

/* Shorthands. */
void diag_error(enum zj_exit code, const struct diag_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_warn(const struct diag_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Shows progress of a long run ("rendering: page 1200 of 2500") on one
 * rewritten line, only when stderr is a terminal and not quiet; cron sees
 * nothing.  done == total ends the line.  Cheap to call often: it prints
 * at most a few times a second. */
void diag_progress(const char *what, long done, long total);

/* Returns the exit class of the first error, EXIT_OK if none. */
enum zj_exit diag_exit_code(void);
/* Returns the number of errors and warnings printed so far. */
int diag_error_count(void);
int diag_warning_count(void);
/* Forgets recorded errors (tests, and between periods of a multi-period run). */
void diag_reset(void);

#endif
