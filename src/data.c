/* Data: reading CSV exports into typed, located cells (see data.h).
 *
 * A load goes: read the whole file; pick the encoding and convert it to
 * UTF-8 (refusing any byte sequence invalid in that encoding); reject NUL
 * bytes; pick the delimiter; parse with libcsv in strict mode.
 *
 * libcsv reports fields but no positions, so a "locator" walks the same
 * UTF-8 text alongside it: each time libcsv delivers a field, the locator
 * skips what libcsv skips (blank lines, spaces before a field) and then
 * steps over exactly one field and its terminator, counting lines and
 * characters.  This is sound because libcsv is strict: every field it
 * delivers is well formed, so the two walks cannot disagree.
 *
 * Cells live in one text arena (NUL-separated, addressed by offset because
 * the arena grows) and one array of nrows * ncols cell records, both big
 * blocks (bigmem.h): their pages leave memory as the rows are read.
 *
 * The whole file is addressed at once but not held in memory: a file
 * larger than BIG_SMALL is copied into a temporary file of our own (so
 * no other process can truncate or rewrite it under us) and mapped
 * read-only (in_read_big, big_copy_file), and every pass
 * over it or its UTF-8 conversion (also a big block) goes in pieces
 * counted as work (big_tick per piece and per record), so the pages
 * behind it are released.  The
 * field-size cap is checked when libcsv delivers a field, so libcsv's own
 * buffer may first grow to the field's size; that is bounded by the file
 * size. */
#include "data.h"
#include "bigmem.h"
#include "diag.h"
#include "input.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define DEFAULT_MAX_FIELD	(64 * 1024)
#define MAX_ERRORS		20	/* messages per file before giving up */
#define CHUNK			(1024 * 1024)	/* bytes per csv_parse call */
#define QUOTE_MAX		40	/* bytes of source text quoted in errors */
#define NO_TEXT			((size_t)-1)

struct cell {
	size_t off;		/* into arena, or NO_TEXT when missing */
	uint32_t line;
	uint32_t col;		/* 0: no column (cell beyond a short row) */
};

struct data_table {
	char *path;
	char *encoding;
	char delim;
	size_t ncols, nrows;
	struct cell *hdr;	/* ncols; off always set */
	struct cell *cells;	/* nrows * ncols, row-major (big block) */
	char *arena;		/* big block */
	char **files;		/* a concatenation (data_concat): its files, */
	size_t nfiles;
	size_t *row_file;	/* and each row's, an index into files (big) */
};

/* A growable text arena in a big block; strings are addressed by offset
 * (the block moves when it grows).  s is NULL until the first string. */
struct arena {
	char *s;
	size_t len, cap;
};

/* A position in the UTF-8 text; col counts characters. */
struct locator {
	const unsigned char *buf;
	size_t len, pos;
	uint32_t line, col;
	int row_start;		/* next field begins a record */
};

struct loader {
	const char *path;
	char delim;
	size_t max_field;
	struct locator lc;
	struct arena arena;
	struct cell *hdr;	/* header fields */
	size_t nhdr, hdrcap;
	struct cell *cells;	/* data rows, ncols per row */
	size_t cap;		/* capacity of cells, in cells */
	size_t ncols, nrows;
	size_t field;		/* index of the next field in this record */
	struct cell extra;	/* where the first surplus field starts */
	int in_header;
	int nerr;
	int stop;		/* MAX_ERRORS reached: stop feeding libcsv */
	const char *raw;	/* encoding = auto: the file's bytes, */
	size_t rawlen;		/* and where they stop being UTF-8 */
	size_t u8bad;
	int u8ok;		/* the whole raw file is valid UTF-8 (checked
				   once, when the encoding was sniffed) */
};

static void
lerr(struct loader *ld, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
lerr(struct loader *ld, uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct diag_loc loc = { 0 };
	struct strbuf sb;
	va_list ap;
	int n;

	if (ld->stop)
		return;
	loc.file = ld->path;
	loc.line = line > INT32_MAX ? 0 : (int)line;
	loc.col = col > INT32_MAX ? 0 : (int)col;
	if (++ld->nerr > MAX_ERRORS) {
		diag_error(EXIT_DATA, &loc, "too many errors; giving up");
		ld->stop = 1;
		return;
	}
	sb_init(&sb);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, _(fmt), ap);
	va_end(ap);
	if (n >= 0) {
		sb.s = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(sb.s, (size_t)n + 1, _(fmt), ap);
		va_end(ap);
	}
	diag_error(EXIT_DATA, &loc, "%s", sb_str(&sb));
	sb_free(&sb);
}

#define EX_RAW	1	/* show every byte as \xHH (a foreign encoding) */
#define EX_TAIL	2	/* keep the end of a long excerpt, not the start */

/* Appends s[0..n) to sb as a quoted excerpt: at most QUOTE_MAX bytes, cut
 * at a character boundary, with quotes, backslashes and control characters
 * escaped C-style so a message stays on one line and unambiguous. */
static void
add_excerpt(struct strbuf *sb, const char *s, size_t n, int flags)
{
	size_t i = 0, k;
	uint32_t cp;
	unsigned char c;
	int raw = flags & EX_RAW;

	sb_addc(sb, '"');
	if ((flags & EX_TAIL) && n > QUOTE_MAX) {
		k = n - QUOTE_MAX;
		while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
			k++;
		s += k;
		n -= k;
		sb_adds(sb, "...");
	}
	while (i < n) {
		if (i >= QUOTE_MAX) {
			sb_adds(sb, "...");
			break;
		}
		c = (unsigned char)s[i];
		if (raw)
			sb_printf(sb, "\\x%02X", c);
		else if (c == '"' || c == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)c);
		} else if (c == '\n')
			sb_adds(sb, "\\n");
		else if (c == '\r')
			sb_adds(sb, "\\r");
		else if (c == '\t')
			sb_adds(sb, "\\t");
		else if (c < 0x20 || c == 0x7F)
			sb_printf(sb, "\\x%02X", c);
		else if (c < 0x80)
			sb_addc(sb, (char)c);
		else {
			k = utf8_decode(s + i, n - i, &cp);
			if (k == 0)
				sb_printf(sb, "\\x%02X", c);
			else
				sb_addn(sb, s + i, k);
			i += k ? k : 1;
			continue;
		}
		i++;
	}
	sb_addc(sb, '"');
}

/* Advances lc to byte offset to, counting lines and characters.  CR LF,
 * lone CR and lone LF each end one line. */
static void
lc_advance(struct locator *lc, size_t to)
{
	const unsigned char *b = lc->buf;
	size_t i;
	unsigned char c;

	if (to > lc->len)
		to = lc->len;
	for (i = lc->pos; i < to; i++) {
		c = b[i];
		if (c == '\n') {
			lc->line++;
			lc->col = 1;
		} else if (c == '\r') {
			if (i + 1 >= lc->len || b[i + 1] != '\n') {
				lc->line++;
				lc->col = 1;
			}
		} else if ((c & 0xC0) != 0x80)
			lc->col++;
	}
	if (to > lc->pos)
		lc->pos = to;
}

/* Moves lc over what libcsv skips before a field: spaces and tabs that are
 * not the delimiter, and at the start of a record also line ends (libcsv
 * drops blank lines). */
static void
lc_skip(struct locator *lc, char delim)
{
	const unsigned char *b = lc->buf;
	size_t i = lc->pos;
	unsigned char d = (unsigned char)delim;

	while (i < lc->len) {
		if ((b[i] == ' ' || b[i] == '\t') && b[i] != d)
			i++;
		else if (lc->row_start && (b[i] == '\r' || b[i] == '\n'))
			i++;
		else
			break;
	}
	lc_advance(lc, i);
}

/* Returns the offset of the first delimiter or line end at or after i. */
static size_t
find_end(const struct locator *lc, size_t i, char delim)
{
	const unsigned char *b = lc->buf;
	unsigned char d = (unsigned char)delim;

	while (i < lc->len && b[i] != d && b[i] != '\n' && b[i] != '\r')
		i++;
	return i;
}

/* Steps lc over one well-formed field (lc already at its first byte) and
 * its terminator. */
static void
lc_field(struct locator *lc, char delim)
{
	const unsigned char *b = lc->buf, *q;
	size_t i = lc->pos;

	if (i < lc->len && b[i] == '"') {
		i++;
		for (;;) {
			q = memchr(b + i, '"', lc->len - i);
			if (q == NULL) {
				i = lc->len;
				break;
			}
			i = (size_t)(q - b) + 1;
			if (i < lc->len && b[i] == '"')
				i++;
			else
				break;
		}
	}
	i = find_end(lc, i, delim);
	if (i < lc->len) {
		lc->row_start = b[i] != (unsigned char)delim;
		i++;
	}
	lc_advance(lc, i);
}


static int
is_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Makes room for n more bytes in a (exits on overflow, as big_realloc on
 * running out of memory). */
static void
arena_room(struct arena *a, size_t n)
{
	size_t cap = a->cap ? a->cap : 64 * 1024;

	if (n <= a->cap - a->len)
		return;
	while (cap - a->len < n) {
		if (cap > SIZE_MAX / 2) {
			diag_error(EXIT_INTERNAL, NULL, "out of memory");
			exit(EXIT_INTERNAL);
		}
		cap *= 2;
	}
	a->s = big_realloc(a->s, cap);
	a->cap = cap;
}

/* Stores s[0..n) and a NUL in the arena, turning CR LF and lone CR into
 * LF.  Returns its offset. */
static size_t
arena_add(struct arena *a, const char *s, size_t n)
{
	size_t off = a->len, i, j;

	if (n == SIZE_MAX) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	arena_room(a, n + 1);   /* turning CRs into LF never lengthens */
	if (memchr(s, '\r', n) == NULL) {
		memcpy(a->s + a->len, s, n);
		a->len += n;
	} else {
		for (i = 0; i < n; i = j) {
			for (j = i; j < n && s[j] != '\r'; j++)
				;
			memcpy(a->s + a->len, s + i, j - i);
			a->len += j - i;
			if (j < n) {
				a->s[a->len++] = '\n';
				if (++j < n && s[j] == '\n')
					j++;
			}
		}
	}
	a->s[a->len++] = '\0';
	return off;
}

/* Makes room for the data row being read (row nrows). */
static void
reserve_row(struct loader *ld)
{
	size_t need;

	if (ld->ncols > SIZE_MAX / (ld->nrows + 1)) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	need = (ld->nrows + 1) * ld->ncols;
	if (need <= ld->cap)
		return;
	if (ld->cap == 0)
		ld->cap = 1024;
	while (ld->cap < need)
		ld->cap *= 2;
	ld->cells = big_reallocarray(ld->cells, ld->cap, sizeof(*ld->cells));
}

/* libcsv field callback: locates the field and stores it. */
static void
on_field(void *data, size_t n, void *arg)
{
	struct loader *ld = arg;
	const char *s = data != NULL ? data : "";
	struct cell *c, here;
	struct strbuf sb;

	lc_skip(&ld->lc, ld->delim);
	here.off = NO_TEXT;
	here.line = ld->lc.line;
	here.col = ld->lc.col;
	lc_field(&ld->lc, ld->delim);

	if (n > ld->max_field) {
		sb_init(&sb);
		add_excerpt(&sb, s, n, 0);
		lerr(ld, here.line, here.col,
		    "field is %zu bytes long, more than the limit of %zu: %s",
		    n, ld->max_field, sb_str(&sb));
		sb_free(&sb);
		if (!ld->in_header)
			n = 0;
	}
	if (ld->in_header) {
		if (ld->nhdr == ld->hdrcap) {
			ld->hdrcap = ld->hdrcap ? ld->hdrcap * 2 : 16;
			ld->hdr = xreallocarray(ld->hdr, ld->hdrcap,
			    sizeof(*ld->hdr));
		}
		c = &ld->hdr[ld->nhdr++];
		*c = here;
		c->off = arena_add(&ld->arena, s, n);
		return;
	}
	if (ld->field >= ld->ncols) {
		if (ld->field == ld->ncols)
			ld->extra = here;
		ld->field++;
		return;
	}
	if (ld->field == 0)
		reserve_row(ld);
	c = &ld->cells[ld->nrows * ld->ncols + ld->field++];
	*c = here;
	if (!is_blank(s, n))
		c->off = arena_add(&ld->arena, s, n);
}

/* libcsv record callback: ends the header or a data row. */
static void
on_record(int term, void *arg)
{
	struct loader *ld = arg;
	struct cell *row;
	size_t i;

	(void)term;
	big_tick(1);
	if (ld->in_header) {
		ld->ncols = ld->nhdr;
		ld->in_header = 0;
		ld->field = 0;
		return;
	}
	if (ld->field > ld->ncols) {
		lerr(ld, ld->extra.line, ld->extra.col,
		    "row has %zu fields, header has %zu", ld->field, ld->ncols);
		ld->field = 0;
		return;
	}
	reserve_row(ld);
	row = &ld->cells[ld->nrows * ld->ncols];
	/* Cells beyond a short row point at the row's line, no column. */
	for (i = ld->field; i < ld->ncols; i++) {
		row[i].off = NO_TEXT;
		row[i].line = ld->field > 0 ? row[0].line : ld->lc.line;
		row[i].col = 0;
	}
	ld->nrows++;
	ld->field = 0;
}

/* Runs libcsv over the located text; returns 0 if it was all good. */
static int
parse(struct loader *ld)
{
	struct csv_parser p;
	const char *buf = (const char *)ld->lc.buf;
	size_t len = ld->lc.len, off = 0, n, done, start;
	struct locator at;
	struct strbuf sb;
	uint32_t cp;
	int rc = -1;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	csv_set_delim(&p, (unsigned char)ld->delim);
	csv_set_quote(&p, '"');
	sb_init(&sb);
	while (off < len && !ld->stop) {
		n = len - off < CHUNK ? len - off : CHUNK;
		done = csv_parse(&p, buf + off, n, on_field, on_record, ld);
		if (done == n) {
			off += n;
			continue;
		}
		if (csv_error(&p) != CSV_EPARSE) {
			lerr(ld, ld->lc.line, ld->lc.col, "cannot parse: %s",
			    csv_strerror(csv_error(&p)));
			goto out;
		}
		/* The bad byte is in the field the locator stands before;
		 * quote that field up to and including the bad character. */
		lc_skip(&ld->lc, ld->delim);
		start = ld->lc.pos;
		at = ld->lc;
		lc_advance(&at, off + done);
		n = utf8_decode(buf + off + done, len - off - done, &cp);
		add_excerpt(&sb, buf + start, off + done + (n ? n : 1) - start,
		    EX_TAIL);
		lerr(ld, at.line, at.col, "%s: %s", buf[start] == '"' ?
		    "text after the closing quote of a quoted field" :
		    "quote inside an unquoted field (quote the whole field "
		    "and double the quotes inside it)", sb_str(&sb));
		goto out;
	}
	if (ld->stop)
		goto out;
	if (csv_fini(&p, on_field, on_record, ld) != 0) {
		lc_skip(&ld->lc, ld->delim);
		start = ld->lc.pos;
		add_excerpt(&sb, buf + start, len - start, 0);
		lerr(ld, ld->lc.line, ld->lc.col,
		    "quoted field is never closed: %s", sb_str(&sb));
		goto out;
	}
	rc = ld->nerr > 0 ? -1 : 0;
out:
	sb_free(&sb);
	csv_free(&p);
	return rc;
}

static int
is_utf8_name(const char *e)
{
	return strcasecmp(e, "UTF-8") == 0 || strcasecmp(e, "UTF8") == 0;
}

/* encoding = auto found the file valid in neither UTF-8 (ld->u8bad) nor
 * enc (GB18030, at line:col with the bytes gbx).  The encoding most likely
 * meant is UTF-8 when more valid 3- and 4-byte UTF-8 characters than
 * 2-byte ones come before its first invalid byte (a UTF-8 file with a
 * damaged byte): that byte is reported where it is.  Otherwise enc's
 * failure is reported. */
static void
bad_auto(struct loader *ld, uint32_t line, uint32_t col, const char *gbx,
    const char *enc)
{
	struct locator at = { 0 };
	struct strbuf sb;
	size_t i, mb = 0, mb2 = 0, nbad;
	const char *u = ld->raw + ld->u8bad;

	/* Chinese in UTF-8 is 3-byte sequences; GB18030 pairs read as
	 * UTF-8 make the odd 2-byte one (D6 B8, "指") before failing. */
	for (i = 0; i < ld->u8bad; i++)
		if ((unsigned char)ld->raw[i] >= 0xE0)
			mb++;
		else if ((unsigned char)ld->raw[i] >= 0xC0)
			mb2++;
	if (mb <= mb2)
		mb = 0;
	at.buf = (const unsigned char *)ld->raw;
	at.len = ld->u8bad;
	at.line = at.col = 1;
	lc_advance(&at, ld->u8bad);
	sb_init(&sb);
	nbad = ld->rawlen - ld->u8bad;
	if (nbad > 4)
		nbad = 4;
	for (i = 1; i < nbad; i++)
		if ((unsigned char)u[i] < 0x80) {
			nbad = i;
			break;
		}
	add_excerpt(&sb, u, nbad, EX_RAW);
	if (mb == 0 && at.line == line && at.col == col) {
		lerr(ld, line, col, "byte sequence %s is neither UTF-8 nor %s "
		    "(encoding = auto): fix the byte or set encoding in its "
		    "[data.*] section", sb_str(&sb), enc);
		sb_free(&sb);
		return;
	}
	if (mb == 0) {
		lerr(ld, line, col, "invalid %s byte sequence %s (encoding = "
		    "auto: the file is not UTF-8, its first non-UTF-8 byte is "
		    "at %u:%u, and not %s from here; most likely %s with a "
		    "damaged byte, or another encoding: fix the byte or set "
		    "encoding in its [data.*] section)", enc, gbx,
		    (unsigned)at.line, (unsigned)at.col, enc, enc);
		sb_free(&sb);
		return;
	}
	lerr(ld, at.line, at.col, "invalid UTF-8 byte sequence %s (encoding = "
	    "auto: tried UTF-8, then %s, which fails at %u:%u; the file is "
	    "most likely UTF-8 with a damaged byte here: fix the byte or set "
	    "encoding in its [data.*] section)", sb_str(&sb), enc,
	    (unsigned)line, (unsigned)col);
	sb_free(&sb);
}

/* Reports a byte sequence that is invalid in enc.  text[0..n) is the valid
 * UTF-8 decoded so far (it locates the error), bad[0..nbad) the source
 * bytes from the error on. */
static void
bad_bytes(struct loader *ld, const char *text, size_t n, const char *bad,
    size_t nbad, const char *enc, int guessed, int at_end)
{
	struct locator at = { 0 };
	struct strbuf sb;
	size_t i;

	at.buf = (const unsigned char *)text;
	at.len = n;
	at.line = at.col = 1;
	lc_advance(&at, n);
	sb_init(&sb);
	if (nbad > 4)
		nbad = 4;
	/* In UTF-8 the bad sequence ends at the next ASCII byte. */
	if (is_utf8_name(enc))
		for (i = 1; i < nbad; i++)
			if ((unsigned char)bad[i] < 0x80) {
				nbad = i;
				break;
			}
	add_excerpt(&sb, bad, nbad, EX_RAW);
	if (guessed)
		bad_auto(ld, at.line, at.col, sb_str(&sb), enc);
	else if (at_end)
		lerr(ld, at.line, at.col, "incomplete %s byte sequence %s", enc,
		    sb_str(&sb));
	else
		lerr(ld, at.line, at.col, "invalid %s byte sequence %s", enc,
		    sb_str(&sb));
	sb_free(&sb);
}

/* utf8_invalid_at(s, n), in pieces of about CHUNK bytes, each counted as
 * BIG_TICKS units of work (big_tick: the pages read are released once
 * they add up), so a mapped file is never resident all at once.  Each
 * piece ends before an ASCII byte (or at n), which no
 * UTF-8 sequence contains: the answer is the same as in one pass. */
static size_t
u8_invalid_at(const char *s, size_t n)
{
	size_t i = 0, end, bad;

	while (i < n) {
		end = n - i > CHUNK ? i + CHUNK : n;
		while (end < n && (unsigned char)s[end] >= 0x80)
			end++;
		if ((bad = utf8_invalid_at(s + i, end - i)) != (size_t)-1)
			return i + bad;
		i = end;
		big_tick(BIG_TICKS);
	}
	return (size_t)-1;
}

/* memchr(s, '\0', n) in pieces counted as work (as u8_invalid_at). */
static const char *
find_nul(const char *s, size_t n)
{
	size_t i, k;
	const char *p;

	for (i = 0; i < n; i += k) {
		k = n - i > CHUNK ? CHUNK : n - i;
		if ((p = memchr(s + i, '\0', k)) != NULL)
			return p;
		big_tick(BIG_TICKS);
	}
	return NULL;
}

/* Converts raw[0..n) from enc to UTF-8.  Returns the UTF-8 text (raw
 * itself, or a new big block the caller frees with big_free), or NULL
 * after a message; a leading byte-order mark is dropped through *skip.
 * The conversion goes in pieces of CHUNK input bytes, each counted as
 * BIG_TICKS units of work (big_tick releases the pages behind it). */
static char *
to_utf8(struct loader *ld, char *raw, size_t n, const char *enc,
    int guessed, size_t *outlen, size_t *skip)
{
	struct diag_loc loc = { 0 };
	iconv_t cd;
	char *out, *in = raw, *op;
	size_t cap, inleft, oleft, used, bad, rest = n;
	int e;

	*skip = 0;
	if (is_utf8_name(enc)) {
		if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
			*skip = 3;
		bad = ld->u8ok && *skip == 0 ? (size_t)-1 :
		    u8_invalid_at(raw + *skip, n - *skip);
		if (bad != (size_t)-1) {
			bad_bytes(ld, raw + *skip, bad, raw + *skip + bad,
			    n - *skip - bad, "UTF-8", 0, 0);
			return NULL;
		}
		*outlen = n;
		return raw;
	}
	loc.file = ld->path;
	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1) {
		diag_error(EXIT_DATA, &loc, "unknown encoding \"%s\"", enc);
		return NULL;
	}
	cap = n < SIZE_MAX / 4 ? n * 2 + 16 : n;
	out = big_alloc(cap);
	op = out;
	oleft = cap;
	/* Convert a piece of at most CHUNK bytes at a time (rest bytes are
	 * left), then flush any shift state (a call with no input); on
	 * E2BIG grow and resume.  A piece may end inside a character
	 * (EINVAL with input beyond the piece): the next piece starts with
	 * that character. */
	for (;;) {
		size_t piece = rest < CHUNK ? rest : CHUNK, r;

		inleft = piece;
		r = piece > 0 ? iconv(cd, &in, &inleft, &op, &oleft) :
		    iconv(cd, NULL, NULL, &op, &oleft);
		e = errno;
		rest -= piece - inleft;
		if (r != (size_t)-1 || (e == EINVAL && inleft < rest)) {
			if (piece == 0)
				break;          /* flushed: done */
			big_tick(BIG_TICKS);
			continue;
		}
		errno = e;
		if (errno == E2BIG) {
			used = (size_t)(op - out);
			if (cap > SIZE_MAX / 2)
				goto fail;
			cap *= 2;
			out = big_realloc(out, cap);
			op = out + used;
			oleft = cap - used;
			continue;
		}
		if (errno == EILSEQ || errno == EINVAL) {
			used = (size_t)(op - out);
			*skip = used >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0 ?
			    3 : 0;
			bad_bytes(ld, out + *skip, used - *skip, in, rest,
			    enc, guessed, errno == EINVAL);
			iconv_close(cd);
			big_free(out);
			return NULL;
		}
		goto fail;
	}
	iconv_close(cd);
	*outlen = (size_t)(op - out);
	if (*outlen >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0)
		*skip = 3;
	return out;
fail:
	diag_error(EXIT_DATA, &loc, "cannot convert from %s: %s", enc,
	    strerror(errno));
	iconv_close(cd);
	big_free(out);
	return NULL;
}

/* The field limit, enforced while reading: before the file is loaded, a
 * pass over it in 64 KiB blocks finds a run of more than 4 * max bytes
 * with no delimiter candidate (, TAB ; or delim) and no line break.  No
 * field of at most max bytes of UTF-8 is that long in any encoding (UTF-16
 * or UTF-32 bytes shrink at most fourfold), and quotes are not tracked,
 * so a run can only be shorter than the field it is in: a file this
 * finds is certainly over the limit, and the exact check while parsing
 * catches the rest.  So a huge field fails fast, in little memory.
 * Returns 0, or -1 after reporting at the field's line and column (its
 * line counted in line feeds, its column in UTF-8 characters); a file
 * that cannot be opened or read, or larger than max_size, is left to
 * in_read. */
static int
prescan_fields(struct loader *ld, char delim, size_t max_size)
{
	unsigned char buf[65536];
	size_t run = 0, cap = ld->max_field * 4, i;
	uint32_t line = 1, col = 1, fline = 1, fcol = 1;
	char *why = NULL;
	ssize_t n;
	long long size;
	int fd = in_open(ld->path, &size, &why);

	free(why);
	if (fd < 0)
		return 0;
	if ((unsigned long long)size > max_size) {
		close(fd);      /* in_read refuses it */
		return 0;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < (size_t)n; i++) {
			unsigned char c = buf[i];

			if (c == '\n' || c == '\r' || c == ',' || c == '\t' ||
			    c == ';' || (delim != 0 && c == (unsigned char)delim)) {
				if (c == '\n') {
					line++;
					col = 0;
				}
				run = 0;
			} else if (run++ == 0) {
				fline = line;
				fcol = col;
			}
			if ((c & 0xC0) != 0x80)
				col++;
			if (run > cap) {
				close(fd);
				lerr(ld, fline, fcol, "field is more than %zu bytes "
				    "long (no delimiter or line break in %zu "
				    "bytes), more than the limit of %zu",
				    cap, cap, ld->max_field);
				return -1;
			}
		}
	}
	close(fd);
	return 0;
}

/* Picks the delimiter that occurs most often outside quotes in the first
 * non-blank line; ties go to the earlier of , TAB ; and none to ','. */
static char
detect_delim(const char *s, size_t n)
{
	static const char cand[] = { ',', '\t', ';' };
	size_t cnt[3] = { 0, 0, 0 }, i = 0, k, best = 0;
	int quoted = 0;

	while (i < n && (s[i] == '\r' || s[i] == '\n' || s[i] == ' '))
		i++;
	for (; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == '\r' || s[i] == '\n')
			break;
		else
			for (k = 0; k < 3; k++)
				if (s[i] == cand[k])
					cnt[k]++;
	}
	for (k = 1; k < 3; k++)
		if (cnt[k] > cnt[best])
			best = k;
	return cand[best];
}

struct hname {
	const char *name;
	size_t col;
};

static int
hname_cmp(const void *a, const void *b)
{
	const struct hname *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Trims the header names and rejects empty and duplicate ones. */
static void
check_header(struct loader *ld, char *arena)
{
	struct hname *v;
	size_t i, first = 0;

	v = xreallocarray(NULL, ld->ncols, sizeof(*v));
	for (i = 0; i < ld->ncols; i++) {
		v[i].name = str_trim(arena + ld->hdr[i].off);
		v[i].col = i;
		if (*v[i].name == '\0')
			lerr(ld, ld->hdr[i].line, ld->hdr[i].col,
			    "column %zu of the header has no name", i + 1);
	}
	qsort(v, ld->ncols, sizeof(*v), hname_cmp);
	for (i = 1; i < ld->ncols; i++) {
		if (strcmp(v[i].name, v[i - 1].name) != 0) {
			first = i;
			continue;
		}
		if (*v[i].name == '\0')
			continue;
		lerr(ld, ld->hdr[v[i].col].line, ld->hdr[v[i].col].col,
		    "duplicate column name \"%s\" (also column %zu)",
		    v[i].name, v[first].col + 1);
	}
	free(v);
}

/* An Excel workbook saved under a .csv name: a ZIP (.xlsx) or an OLE2
 * compound file (.xls).  Reports it (EXIT_DATA) and returns 1, else 0. */
static int
is_workbook(const char *path, const char *raw, size_t len)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };

	if (len >= 4 && memcmp(raw, "PK\x03\x04", 4) == 0) {
		diag_error(EXIT_DATA, &loc, "this is an Excel workbook (.xlsx, "
		    "a ZIP file), not CSV; open it in Excel and save it as CSV "
		    "(File > Save As > CSV (逗号分隔))");
		return 1;
	}
	if (len >= 8 && memcmp(raw, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
	    8) == 0) {
		diag_error(EXIT_DATA, &loc, "this is an old Excel workbook "
		    "(.xls), not CSV; open it in Excel and save it as CSV "
		    "(File > Save As > CSV (逗号分隔))");
		return 1;
	}
	return 0;
}

/* The bytes of the CSV file path, at most max: in_read_big (a file larger
 * than BIG_SMALL is a private copy mapped read-only, whose pages leave
 * memory as they are passed and that no other process can truncate or
 * rewrite under us), which reports every failure.  Returns *lenp bytes to
 * free with big_free (read only; no NUL is promised after them), or NULL
 * after reporting. */
static char *
read_csv(const char *path, size_t max, size_t *lenp)
{
	return in_read_big(path, N_("CSV"), max, EXIT_DATA, lenp);
}

struct data_table *
data_load(const char *path, const struct data_opts *opts)
{
	static const struct data_opts defaults = { NULL, 0, 0, 0 };
	struct loader ld;
	struct data_table *t = NULL;
	struct diag_loc loc = { 0 };
	const char *enc;
	char *raw = NULL, *text = NULL;
	size_t rawlen, len = 0, skip = 0;
	const char *nul;
	int guessed = 0, sniffed_utf8 = 0;

	if (opts == NULL)
		opts = &defaults;
	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.max_field = opts->max_field ? opts->max_field : DEFAULT_MAX_FIELD;
	ld.in_header = 1;
	loc.file = path;

	/* A regular file (never a FIFO or device) of bounded size, without
	 * a field certainly over the limit. */
	if (prescan_fields(&ld, opts->delimiter, opts->max_size ?
	    opts->max_size : IN_MAX_CSV) != 0)
		goto fail;
	if ((raw = read_csv(path, opts->max_size ? opts->max_size :
	    IN_MAX_CSV, &rawlen)) == NULL)
		return NULL;
	if (is_workbook(path, raw, rawlen))
		goto fail;
	enc = opts->encoding;
	if (enc == NULL || strcasecmp(enc, "auto") == 0) {
		if (rawlen >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
			enc = "UTF-8";
		else if (rawlen >= 2 && memcmp(raw, "\xFF\xFE", 2) == 0)
			enc = "UTF-16LE";
		else if (rawlen >= 2 && memcmp(raw, "\xFE\xFF", 2) == 0)
			enc = "UTF-16BE";
		else if ((ld.u8bad = u8_invalid_at(raw, rawlen)) ==
		    (size_t)-1) {
			enc = "UTF-8";
			sniffed_utf8 = 1;
			ld.u8ok = 1;
		} else {
			enc = "GB18030";
			guessed = 1;
			ld.raw = raw;
			ld.rawlen = rawlen;
		}
	}
	if ((text = to_utf8(&ld, raw, rawlen, enc, guessed, &len, &skip)) ==
	    NULL)
		goto fail;

	ld.lc.buf = (const unsigned char *)text + skip;
	ld.lc.len = len - skip;
	ld.lc.line = ld.lc.col = 1;
	ld.lc.row_start = 1;
	if ((nul = find_nul((const char *)ld.lc.buf, ld.lc.len)) != NULL) {
		lc_advance(&ld.lc, (size_t)((const unsigned char *)nul -
		    ld.lc.buf));
		lerr(&ld, ld.lc.line, ld.lc.col, "NUL byte in the input%s",
		    sniffed_utf8 ? " (a UTF-16 file without a byte-order mark? "
		    "set its encoding)" : "");
		goto fail;
	}

	ld.delim = opts->delimiter;
	if (ld.delim == 0)
		ld.delim = detect_delim((const char *)ld.lc.buf, ld.lc.len);
	else if (ld.delim == '"' || ld.delim == '\r' || ld.delim == '\n' ||
	    (unsigned char)ld.delim >= 0x80) {
		diag_error(EXIT_DATA, &loc, "cannot use delimiter 0x%02X",
		    (unsigned char)ld.delim);
		goto fail;
	}

	if (parse(&ld) != 0)
		goto fail;
	if (ld.in_header) {
		diag_error(EXIT_DATA, &loc, "no header row: the file is empty");
		goto fail;
	}
	t = xcalloc(1, sizeof(*t));
	t->arena = ld.arena.s;
	ld.arena.s = NULL;
	check_header(&ld, t->arena);
	if (ld.nerr > 0)
		goto fail;

	t->path = xstrdup(path);
	t->encoding = xstrdup(enc);
	t->delim = ld.delim;
	t->ncols = ld.ncols;
	t->nrows = ld.nrows;
	t->hdr = ld.hdr;
	if (ld.nrows > 0)
		t->cells = big_reallocarray(ld.cells, ld.nrows,
		    ld.ncols * sizeof(*ld.cells));
	else
		big_free(ld.cells);
	if (text != raw)
		big_free(text);
	big_free(raw);
	return t;

fail:
	if (t != NULL)
		big_free(t->arena);
	free(t);
	if (text != raw)
		big_free(text);
	big_free(raw);
	free(ld.hdr);
	big_free(ld.cells);
	big_free(ld.arena.s);
	return NULL;
}

void
data_free(struct data_table *t)
{
	if (t == NULL)
		return;
	free(t->path);
	free(t->encoding);
	if (t->files != NULL)
		strv_free(t->files);
	big_free(t->row_file);
	free(t->hdr);
	big_free(t->cells);
	big_free(t->arena);
	free(t);
}

const char *
data_path(const struct data_table *t)
{
	return t->path;
}

const char *
data_encoding(const struct data_table *t)
{
	return t->encoding;
}

char
data_delimiter(const struct data_table *t)
{
	return t->delim;
}

size_t
data_nrows(const struct data_table *t)
{
	return t->nrows;
}

size_t
data_ncols(const struct data_table *t)
{
	return t->ncols;
}

const char *
data_header(const struct data_table *t, size_t col)
{
	return col < t->ncols ? t->arena + t->hdr[col].off : NULL;
}

long
data_column(const struct data_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->arena + t->hdr[i].off, name) == 0)
			return (long)i;
	return -1;
}

const char *
data_cell(const struct data_table *t, size_t row, size_t col)
{
	const struct cell *c;

	if (row >= t->nrows || col >= t->ncols)
		return NULL;
	c = &t->cells[row * t->ncols + col];
	return c->off == NO_TEXT ? NULL : t->arena + c->off;
}

void
data_cell_loc(const struct data_table *t, size_t row, size_t col,
    struct diag_loc *loc)
{
	const struct cell *c;

	memset(loc, 0, sizeof(*loc));
	loc->file = t->path;
	if (row >= t->nrows || col >= t->ncols)
		return;
	if (t->row_file != NULL)
		loc->file = t->files[t->row_file[row]];
	c = &t->cells[row * t->ncols + col];
	loc->line = c->line > INT32_MAX ? 0 : (int)c->line;
	loc->col = c->col > INT32_MAX ? 0 : (int)c->col;
}

int
data_number(const struct data_table *t, size_t row, size_t col, double *v)
{
	const char *s = data_cell(t, row, col);
	double d;
	int pct;

	if (s == NULL)
		return 0;
	if (parse_figure(s, &d, &pct) != 0 || fabs(d) > ZJ_MAX_EXACT)
		return -1;
	*v = d;
	return 1;
}

int
data_too_large(const char *s)
{
	double d;

	return s != NULL && parse_figure(s, &d, NULL) == 0 &&
	    fabs(d) > ZJ_MAX_EXACT;
}

int
data_parse_type(const char *name, enum data_type *out)
{
	static const char *const names[] = { "text", "integer", "number",
	    "percent", "date" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum data_type)i;
			return 0;
		}
	return -1;
}

/* Parses a date written 2021-03-15, 2021/3/15 or 2021年3月15日 and checks
 * it exists.  Returns 0 or -1. */
static int
parse_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	long v[3];
	int i, n;
	char *end;

	for (i = 0; i < 3; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		v[i] = strtol(s, &end, 10);
		n = (int)(end - s);
		if ((i == 0 && n != 4) || (i > 0 && (n < 1 || n > 2)))
			return -1;
		s = end;
		if (i < 2) {
			if (*s == '-' || *s == '/')
				s++;
			else if (!strncmp(s, i == 0 ? "年" : "月", 3))
				s += 3;
			else
				return -1;
		}
	}
	if (!strncmp(s, "日", 3))
		s += 3;
	if (*s != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > mdays[v[1] - 1])
		return -1;
	if (v[1] == 2 && v[2] == 29 &&
	    !((v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0))
		return -1;
	return 0;
}

size_t
data_check_type(const struct data_table *t, size_t col, enum data_type type)
{
	static const char *const what[] = { "text", "a whole number",
	    "a number", "a percentage", "a date (YYYY-MM-DD)" };
	size_t r, bad = 0;
	struct diag_loc loc;

	if (type == DT_TEXT)
		return 0;
	for (r = 0; r < t->nrows; r++) {
		const char *s = data_cell(t, r, col);
		double d;
		int pct, ok;

		big_tick(1);
		if (s == NULL)
			continue;
		switch (type) {
		case DT_INTEGER:
			ok = parse_figure(s, &d, NULL) == 0 && d == floor(d) &&
			    strchr(s, '.') == NULL;
			break;
		case DT_NUMBER:
			ok = parse_figure(s, &d, NULL) == 0;
			break;
		case DT_PERCENT:
			ok = parse_figure(s, &d, &pct) == 0;
			break;
		case DT_DATE:
			ok = parse_date(s) == 0;
			break;
		default:
			ok = 1;
		}
		if (ok && type != DT_DATE && data_too_large(s)) {
			if (++bad <= 20) {
				data_cell_loc(t, r, col, &loc);
				diag_error(EXIT_DATA, &loc, "column \"%s\": %s "
				    "is beyond 2^53 - 1 (9007199254740991), too "
				    "large to compute with exactly",
				    data_header(t, col), s);
			}
			continue;
		}
		if (ok)
			continue;
		if (++bad <= 20) {
			data_cell_loc(t, r, col, &loc);
			diag_error(EXIT_DATA, &loc, "column \"%s\" is declared "
			    "%s, but this cell is \"%s\"", data_header(t, col),
			    what[type], s);
		}
	}
	if (bad > 20) {
		memset(&loc, 0, sizeof(loc));
		loc.file = t->path;
		diag_error(EXIT_DATA, &loc, "%zu more bad cells in column \"%s\"",
		    bad - 20, data_header(t, col));
	}
	return bad;
}

/* Appends s and its NUL to the arena; returns its offset. */
static size_t
concat_add(struct arena *a, const char *s)
{
	size_t off = a->len, n = strlen(s);

	arena_room(a, n + 1);
	memcpy(a->s + a->len, s, n + 1);
	a->len += n + 1;
	return off;
}

/* Checks that part has the header of first.  Returns 0, or -1 after
 * reporting at part's file. */
static int
same_header(const struct data_table *first, const struct data_table *part)
{
	struct diag_loc loc = { part->path, 1, 0, NULL, NULL };
	size_t c;

	for (c = 0; c < first->ncols && c < part->ncols; c++)
		if (strcmp(data_header(first, c), data_header(part, c)) != 0)
			break;
	if (c == first->ncols && c == part->ncols)
		return 0;
	diag_error(EXIT_DATA, &loc, "the header differs from %s's: column %zu "
	    "is \"%s\" there and \"%s\" here; files read together need the "
	    "same columns", first->path, c + 1, c < first->ncols ?
	    data_header(first, c) : "", c < part->ncols ?
	    data_header(part, c) : "");
	return -1;
}

struct data_table *
data_concat(struct data_table *const *parts, size_t n, const char *col,
    const char *const *labels)
{
	struct data_table *t;
	struct arena a = { NULL, 0, 0 };
	size_t i, r, c, k, nc = parts[0]->ncols + 1, row = 0, total = 0;
	struct diag_loc loc = { parts[0]->path, 1, 0, NULL, NULL };

	for (i = 0; i < n; i++) {
		if (same_header(parts[0], parts[i]) != 0)
			return NULL;
		total += parts[i]->nrows;
	}
	if (data_column(parts[0], col) >= 0) {
		diag_error(EXIT_DATA, &loc, "the header already has a column "
		    "\"%s\", the one months = ytd adds", col);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->ncols = nc;
	t->nrows = total;
	t->hdr = xcalloc(nc, sizeof(*t->hdr));
	for (c = 0; c < nc; c++) {
		t->hdr[c] = c < nc - 1 ? parts[0]->hdr[c] : parts[0]->hdr[0];
		t->hdr[c].off = concat_add(&a, c < nc - 1 ?
		    data_header(parts[0], c) : col);
	}
	if (total + 1 > SIZE_MAX / nc) {
		diag_error(EXIT_INTERNAL, NULL, "out of memory");
		exit(EXIT_INTERNAL);
	}
	t->cells = big_calloc(total * nc + 1, sizeof(*t->cells));
	t->row_file = big_calloc(total + 1, sizeof(*t->row_file));
	t->files = xcalloc(n + 1, sizeof(*t->files));
	t->nfiles = n;
	for (i = 0; i < n; i++) {
		const struct data_table *p = parts[i];

		t->files[i] = xstrdup(p->path);
		for (r = 0; r < p->nrows; r++, row++) {
			big_tick(1);
			t->row_file[row] = i;
			for (c = 0; c < nc - 1; c++) {
				const struct cell *src = &p->cells[r * p->ncols + c];
				struct cell *dst = &t->cells[row * nc + c];
				const char *s = data_cell(p, r, c);

				*dst = *src;
				dst->off = s != NULL ? concat_add(&a, s) : NO_TEXT;
			}
			k = row * nc + nc - 1;
			t->cells[k].line = p->cells[r * p->ncols].line;
			t->cells[k].col = 0;
			t->cells[k].off = concat_add(&a, labels[i]);
		}
	}
	t->arena = a.s;
	t->path = n > 1 ? xasprintf("%s … %s", parts[0]->path,
	    parts[n - 1]->path) : xstrdup(parts[0]->path);
	t->encoding = xstrdup(parts[0]->encoding);
	t->delim = parts[0]->delim;
	return t;
}
