/* Small shared helpers: allocation that exits on exhaustion, a growable
 * string, UTF-8 decoding, strict number parsing. */
#ifndef ZJ_UTIL_H
#define ZJ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Allocation: never return NULL; print a diagnostic and exit(EXIT_INTERNAL)
 * when memory is exhausted.  Free with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated printf-formatted string (caller frees). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated byte string.  Zero-initialise or sb_init;
 * release with sb_free.  s is always NUL-terminated once anything is added
 * (sb_str returns "" for an empty buffer). */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_clear(struct strbuf *sb);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addcp(struct strbuf *sb, uint32_t cp);   /* code point as UTF-8 */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *sb_str(const struct strbuf *sb);
/* Returns the buffer (caller frees) and resets sb to empty. */
char *sb_detach(struct strbuf *sb);

/* Decodes one UTF-8 sequence at s (at most n bytes).  Returns its length
 * (1-4) and stores the code point in *cp; returns 0 on an invalid,
 * overlong, surrogate or truncated sequence (then *cp is 0xFFFD). */
size_t utf8_decode_any(const char *s, size_t n, uint32_t *cp);
/* The same, inline for what a Chinese text is made of (ASCII and the
 * three-byte sequences led by E1-EC or EE-EF, which need no overlong or
 * surrogate check); every other sequence goes to utf8_decode_any. */
static inline size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;

	if (n > 0 && s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (n >= 3 && s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED) {
		/* both continuation bytes checked at once */
		uint32_t t = (uint32_t)s[1] | (uint32_t)s[2] << 8;
		if ((t & 0xC0C0) == 0x8080) {
			*cp = (uint32_t)(s[0] & 0x0F) << 12 |
			    (t & 0x3F) << 6 | (t >> 8 & 0x3F);
			return 3;
		}
	}
	return utf8_decode_any(str, n, cp);
}
/* Returns the byte offset of the first invalid sequence, or (size_t)-1 if
 * the whole of s[0..n) is valid UTF-8. */
size_t utf8_invalid_at(const char *s, size_t n);
/* Is s[0..n) well-formed GB18030 (GBK and GB2312 included: what Windows
 * Notepad calls "ANSI" on a Chinese system)?  Checks the byte structure:
 * ASCII, two bytes 81-FE + 40-7E/80-FE, four bytes 81-FE 30-39 81-FE
 * 30-39.  Returns 1 or 0. */
int gb18030_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 s[0..n) (for column numbers). */
size_t utf8_count(const char *s, size_t n);
/* The edit distance between a and b counted in characters (code points,
 * so one CJK character is one step): insertions, deletions,
 * substitutions and swaps of two neighbours. */
size_t utf8_distance(const char *a, const char *b);
/* The candidate of cands[0..n) nearest to name by utf8_distance, when it
 * is near enough to be a likely misspelling (at most a third of the
 * longer name's characters, at least 1, and not the whole name); NULL
 * otherwise (or when name is among them).  Ties go to the first. */
const char *utf8_nearest(const char *name, const char *const *cands,
    size_t n);
/* The byte length of the longest prefix of s[0..n) that is at most max
 * bytes and ends on a character boundary: for quoting a long text in a
 * message (callers print "…" when it is less than n). */
size_t utf8_clip(const char *s, size_t n, size_t max);

/* Numbers are doubles: from 2^53 on not every integer is one, and printing
 * such a figure would invent digits, so figures beyond 2^53 - 1 are
 * refused where a number is needed (data.c, eval.c, expr.c). */
#define ZJ_MAX_EXACT 9007199254740991.0

/* Parses a whole string as a decimal number, independent of the locale.
 * Leading/trailing ASCII spaces are allowed; nothing else.  Returns 0 and
 * stores *out on success, -1 if s is empty, has junk, or is out of range. */
int parse_double(const char *s, double *out);
/* The same for a base-10 integer in [min, max]. */
int parse_long(const char *s, long min, long max, long *out);
/* Parses a figure as exports write it: "1,234.5", "12.5%", "-3", "（3）" is
 * not accepted.  Thousands separators must be in groups of three.  A
 * trailing % is allowed when pct is not NULL, and sets *pct to 1.
 * Returns 0 on success, -1 on junk. */
int parse_figure(const char *s, double *out, int *pct);

/* Trims ASCII white space in place; returns s. */
char *str_trim(char *s);
/* Splits s at each sep (not inside nothing: plain split), trimming each
 * part.  Returns a NULL-terminated array of new strings; *n gets the
 * count.  Free with strv_free. */
char **str_split(const char *s, char sep, size_t *n);
void strv_free(char **v);

/* A library loaded at run time: the symbol each function pointer of an
 * API table gets, and that member's offset in the table. */
struct dl_fn {
	const char *name;
	size_t off;
};
/* Loads the shared library lib (dlopen, RTLD_NOW | RTLD_LOCAL) and stores
 * the address of each fn[i].name, n of them, in the function pointer at
 * api + fn[i].off.  Returns the handle (the caller keeps it or dlcloses
 * it), or NULL when the library cannot be loaded (*why: the loader's
 * message) or lacks a symbol (*why: that symbol's name, *missing = 1).
 * *why stays valid until the next call into the dynamic loader. */
void *dl_load(const char *lib, const struct dl_fn *fn, size_t n, void *api,
    const char **why, int *missing);

/* Where temporary files go: $TMPDIR when set and not empty, else "/tmp"
 * (borrowed from the environment or static). */
const char *tmp_dir(void);
/* A new temporary file in tmp_dir(), named zongjie-TAG-XXXXXX and
 * unlinked at once (so nothing is left whatever happens to the process),
 * open read-write and close-on-exec.  Returns its descriptor, or -1 with
 * errno set. */
int tmp_unlinked(const char *tag);

#endif
