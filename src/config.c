/* Config: report.ini → struct cfg (see config.h).
 *
 * iniparser 4.1 is wrapped here and nowhere else.  Its traps (pitfalls
 * note): a BOM is a syntax error, lines over 1022 bytes fail the whole
 * load, typed getters crash on section names (CVE-2023-33461) and parse
 * numbers loosely.  So: the file is pre-scanned (BOM stripped into a
 * private copy, long lines reported with their number), only getstring is
 * used, and numbers go through parse_double/parse_long. */
#define _GNU_SOURCE     /* memfd_create */
#include "config.h"
#include "diag.h"
#include "input.h"
#include "paths.h"
#include "period.h"
#include "util.h"

#include <iniparser/iniparser.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#define MM 2.834645669

static const char *ini_path;    /* for the iniparser error callback */

/* iniparser reports syntax errors through a global printf-like callback
 * with no user data ("iniparser: syntax error in FILE (LINE):\n-> TEXT").
 * Each is re-reported as FILE:LINE: error: with the line's text; lint_ini
 * catches the syntax errors it knows first, so this is the fallback. */
static int
ini_error(const char *fmt, ...)
{
	char buf[1200], *text;
	struct diag_loc loc = { ini_path, 0, 0, NULL, NULL };
	va_list ap;
	size_t n;
	const char *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	/* The line number is the last "(N)" before the text. */
	if ((p = strstr(buf, "):")) != NULL) {
		const char *q = p;
		while (q > buf && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (q > buf && q[-1] == '(')
			loc.line = atoi(q);
	}
	text = strstr(buf, "-> ");
	if (strstr(buf, "syntax error") != NULL)
		diag_error(EXIT_USAGE, &loc, "syntax error: \"%s\" (a line is "
		    "a [section], a key = value or a ; comment)",
		    text != NULL ? text + 3 : "");
	else if (strstr(buf, "memory") != NULL)
		in_oom();
	else
		diag_error(EXIT_USAGE, &loc, "iniparser: %s",
		    strncmp(buf, "iniparser: ", 11) == 0 ? buf + 11 : buf);
	return 0;
}

/* ---- our own reading of the INI lines (lint_ini) ---------------------- */

/* A section header or key seen in the file, for finding duplicates. */
struct ini_item {
	char *sec;              /* lower-cased, as iniparser stores it */
	char *key;              /* NULL for the section header itself */
	int line;
};

static int
item_cmp(const void *a, const void *b)
{
	const struct ini_item *x = a, *y = b;
	int c = strcmp(x->sec, y->sec);

	if (c == 0 && (x->key == NULL) != (y->key == NULL))
		return x->key == NULL ? -1 : 1;
	if (c == 0 && x->key != NULL)
		c = strcmp(x->key, y->key);
	if (c == 0)
		c = (x->line > y->line) - (x->line < y->line);
	return c;
}

/* A copy of s[0..n) trimmed and ASCII lower-cased. */
static char *
lower_trim(const char *s, size_t n)
{
	char *r = str_trim(xstrndup(s, n)), *p;

	for (p = r; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return r;
}

/* Checks the value part v of a key line (after the =, trimmed) for what
 * iniparser would silently drop.  Returns 0 or -1 after reporting. */
static int
lint_value(const struct diag_loc *loc, const char *v)
{
	size_t i;

	if (*v == '"' || *v == '\'') {
		const char *end = strchr(v + 1, *v);
		const char *rest;

		if (end == NULL)
			return 0;       /* iniparser keeps the quote: seen later */
		for (rest = end + 1; *rest == ' ' || *rest == '\t'; rest++)
			;
		if (*rest != '\0' && *rest != ';' && *rest != '#') {
			diag_error(EXIT_USAGE, loc, "text after the closing quote "
			    "would be dropped: %s", rest);
			return -1;
		}
		return 0;
	}
	/* iniparser ends an unquoted value at the first ; or #.  After a
	 * blank that is a comment; glued to the text it was meant as part of
	 * the value. */
	i = strcspn(v, ";#");
	if (v[i] != '\0' && i > 0 && v[i - 1] != ' ' && v[i - 1] != '\t') {
		diag_error(EXIT_USAGE, loc, "the value contains '%c' and would be "
		    "cut to \"%.*s\"; write it in quotes (key = \"%s\") or put "
		    "a space before a comment", v[i], (int)i, v, v);
		return -1;
	}
	return 0;
}

/* Reads one logical line s[0..n) (trimmed) at line: a comment, a section
 * header, or key = value.  Appends what it declares to *items.  Returns 0,
 * 1 for a value problem or 2 for a syntax error, after reporting. */
static int
lint_line(const char *path, const char *s, size_t n, int line, char **sec,
    struct ini_item **items, size_t *nitems)
{
	struct diag_loc loc = { path, line, 0, NULL, NULL };
	const char *eq, *close;
	int rc = 0;

	if (n == 0 || *s == ';' || *s == '#')
		return 0;
	if (*s == '[') {
		/* Even a bad header starts a section (no cascade of false
		 * duplicates after it). */
		close = memchr(s, ']', n);
		free(*sec);
		*sec = lower_trim(s + 1, close ? (size_t)(close - s - 1) : n - 1);
		if (close == NULL) {
			diag_error(EXIT_USAGE, &loc, "the section header is not "
			    "closed: add ]");
			return 2;
		}
		*items = xreallocarray(*items, *nitems + 1, sizeof(**items));
		(*items)[*nitems].sec = xstrdup(*sec);
		(*items)[*nitems].key = NULL;
		(*items)[(*nitems)++].line = line;
		if (close != s + n - 1) {
			const char *t = close + 1;
			while (*t == ' ' || *t == '\t')
				t++;
			if (*t == ';' || *t == '#')
				diag_error(EXIT_USAGE, &loc, "a comment after a "
				    "section header is not allowed (iniparser "
				    "rejects it): put it on its own line");
			else
				diag_error(EXIT_USAGE, &loc, "text after the "
				    "section header's ]");
			return 2;
		}
		return 0;
	}
	if ((eq = memchr(s, '=', n)) == NULL) {
		diag_error(EXIT_USAGE, &loc, "not a [section], a key = value or "
		    "a ; comment (a value cannot continue on the next line)");
		return 2;
	}
	{
		char *key = lower_trim(s, (size_t)(eq - s));
		char *val = str_trim(xstrndup(eq + 1, (size_t)(s + n - eq - 1)));

		loc.section = *sec;
		loc.key = key;
		if (*key == '\0') {
			loc.key = NULL;
			diag_error(EXIT_USAGE, &loc, "a key is missing before =");
			rc = 2;
		} else if (*sec == NULL) {
			diag_error(EXIT_USAGE, &loc, "a key before the first "
			    "[section]");
			rc = 2;
		} else if (lint_value(&loc, val) != 0)
			rc = 1;
		if (rc == 0) {
			*items = xreallocarray(*items, *nitems + 1,
			    sizeof(**items));
			(*items)[*nitems].sec = xstrdup(*sec);
			(*items)[*nitems].key = key;
			(*items)[(*nitems)++].line = line;
		} else
			free(key);
		free(val);
	}
	return rc;
}

/* Reports duplicate sections and keys among items (sorted here). */
static int
lint_dups(const char *path, struct ini_item *items, size_t n)
{
	size_t i, first = 0;
	int nerr = 0;

	if (n == 0)     /* items is NULL: qsort must not see it (UBSan) */
		return 0;
	qsort(items, n, sizeof(*items), item_cmp);
	for (i = 1; i < n; i++) {
		struct diag_loc loc = { path, items[i].line, 0, items[i].sec,
		    items[i].key };

		if (strcmp(items[i].sec, items[first].sec) != 0 ||
		    (items[i].key == NULL) != (items[first].key == NULL) ||
		    (items[i].key != NULL &&
		    strcmp(items[i].key, items[first].key) != 0)) {
			first = i;
			continue;
		}
		if (items[i].key == NULL)
			diag_error(EXIT_USAGE, &loc, "the section appears again "
			    "(first at line %d); iniparser would merge them",
			    items[first].line);
		else
			diag_error(EXIT_USAGE, &loc, "duplicate key (first at "
			    "line %d); iniparser would keep only the last",
			    items[first].line);
		nerr++;
	}
	return nerr;
}

/* Reads the INI text line by line as iniparser will, reporting with
 * FILE:LINE what iniparser would reject with a bare message or accept
 * silently: syntax errors (a comment after a section header, an unclosed
 * header, a line without =), values cut at ; or #, text after a closing
 * quote, duplicate sections and keys.  Sets *syntax when a line is a
 * syntax error.  Returns the number of problems reported. */
static int
lint_ini(const char *path, const char *text, size_t len, int *syntax)
{
	struct ini_item *items = NULL;
	size_t nitems = 0, i = 0;
	char *sec = NULL;
	int line = 0, nerr = 0, cont = 0;

	*syntax = 0;
	while (i < len) {
		const char *s = text + i, *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i;
		int rc;

		i += n + (nl != NULL);
		line++;
		while (n > 0 && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r'))
			n--;
		/* A line ending in \ continues on the next (iniparser joins
		 * them); the continuation is not read on its own. */
		if (cont) {
			cont = n > 0 && s[n - 1] == '\\';
			continue;
		}
		cont = n > 0 && s[n - 1] == '\\';
		rc = lint_line(path, s, n, line, &sec, &items, &nitems);
		if (rc != 0)
			nerr++;
		if (rc == 2)
			*syntax = 1;
	}
	nerr += lint_dups(path, items, nitems);
	for (i = 0; i < nitems; i++) {
		free(items[i].sec);
		free(items[i].key);
	}
	free(items);
	free(sec);
	return nerr;
}

void
cfg_default_style(struct style *st)
{
	memset(st, 0, sizeof(*st));
	st->page_w = 210 * MM;
	st->page_h = 297 * MM;
	st->margin_top = 37 * MM;
	st->margin_left = 28 * MM;
	st->block_w = 156 * MM;
	st->block_h = 225 * MM;
	st->lines_per_page = 22;
	st->chars_per_line = 28;
	st->title_size = 22;
	st->body_size = 16;
	st->table_size = 12;
	st->table_min_size = 10.5;
	st->table_title_size = 16;
	st->pagenum_size = 14;
	st->pagenum_gap = 7 * MM;
	st->pagenum_first = 1;
	st->pagenum_format = "— %d —";
	st->indent_chars = 2;
	st->fake_bold_title = 0.03;
	st->cjk_latin_space = 0;        /* none, as WPS/Word 公文 templates */
}

/* Reads path (a regular file of at most IN_MAX_CONFIG bytes, never a
 * FIFO, device or directory), checks that it is UTF-8 text without control
 * characters and that no line is over 1000 bytes.  Returns the text
 * (caller frees; *lenp bytes, a UTF-8 BOM skipped through *off), or NULL
 * after a diagnostic. */
static char *
prepare(const char *path, size_t *lenp, size_t *off)
{
	char *buf;
	size_t len = 0, i, line_start;
	int line = 1;
	struct diag_loc loc = { path, 0, 0, NULL, NULL };

	if ((buf = in_read(path, N_("configuration"), IN_MAX_CONFIG,
	    EXIT_USAGE, &len)) == NULL)
		return NULL;
	if (in_check_text(path, buf, len, EXIT_USAGE) != 0) {
		free(buf);
		return NULL;
	}
	*off = (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
	line_start = *off;
	for (i = *off; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			if (i - line_start > 1000) {
				loc.line = line;
				diag_error(EXIT_USAGE, &loc,
				    "line is %zu bytes long; iniparser accepts "
				    "at most 1000 (put long text in the template)",
				    i - line_start);
				free(buf);
				return NULL;
			}
			line++;
			line_start = i + 1;
		}
	}
	*lenp = len;
	return buf;
}

/* Hands text[0..len) (the checked file, BOM removed) to iniparser, which
 * reads only from a path: through a memory file, so what iniparser parses
 * is exactly what was checked, or else a private temporary copy.  Returns
 * the dictionary, or NULL (iniparser's errors reported through
 * ini_error). */
static dictionary *
load_dict(const char *path, const char *text, size_t len)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	dictionary *d = NULL;
	char *name = NULL;
	int fd;

	fd = memfd_create("zongjie-ini", MFD_CLOEXEC);
	if (fd >= 0) {
		name = xasprintf("/proc/self/fd/%d", fd);
		if (access(name, R_OK) != 0) {   /* no /proc */
			close(fd);
			fd = -1;
			free(name);
			name = NULL;
		}
	}
	if (fd < 0) {
		name = xasprintf("%s/zongjie-ini-XXXXXX", tmp_dir());
		if ((fd = mkstemp(name)) < 0) {
			diag_error(EXIT_INTERNAL, &loc, "cannot create a "
			    "temporary file: %s", strerror(errno));
			free(name);
			return NULL;
		}
	}
	if (write(fd, text, len) != (ssize_t)len) {
		diag_error(EXIT_INTERNAL, &loc, "cannot copy the configuration: "
		    "%s", strerror(errno));
	} else {
		ini_path = path;
		iniparser_set_error_callback(ini_error);
		d = iniparser_load(name);
	}
	close(fd);
	if (strncmp(name, "/proc/", 6) != 0)
		unlink(name);
	free(name);
	return d;
}

/* A lookup context: the dictionary and the section being read. */
struct rd {
	dictionary *d;
	const char *path;
	const char *sec;
	int bad;
};

static const char *
get(struct rd *r, const char *key)
{
	char *full = xasprintf("%s:%s", r->sec, key);
	const char *v = iniparser_getstring(r->d, full, NULL);

	free(full);
	return v;
}

static void bad(struct rd *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a problem with [r->sec] key and marks the load as failed. */
static void
bad(struct rd *r, const char *key, const char *fmt, ...)
{
	struct diag_loc loc = { r->path, 0, 0, r->sec, key };
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), _(fmt), ap);	/* translated (diag.h) */
	va_end(ap);
	diag_error(EXIT_USAGE, &loc, "%s", buf);
	r->bad = 1;
}

/* Reports a {NAME} in the path pattern of key that is not a period
 * placeholder: it would stay literal and fail later as "cannot open". */
static void
check_path(struct rd *r, const char *key, const char *pattern)
{
	char *name;

	if (pattern == NULL || (name = period_path_unknown(pattern)) == NULL)
		return;
	bad(r, key, "unknown placeholder {%s} in \"%s\" (a path knows "
	    "{period} {year} {month} {prev_year} {next_year} {prev_month} "
	    "{prev_period})", name, pattern);
	free(name);
}

static char *
get_str(struct rd *r, const char *key, int required)
{
	const char *v = get(r, key);

	if (v == NULL || *v == '\0') {
		if (required)
			bad(r, key, "required key is missing");
		return NULL;
	}
	return xstrdup(v);
}

/* Reads key as a number in [lo, hi] (in the unit the key names) and
 * stores it times scale in *out; leaves *out alone when the key is absent. */
static void
get_num(struct rd *r, const char *key, double *out, double lo, double hi,
    double scale, const char *what)
{
	const char *v = get(r, key);
	double d;

	if (v == NULL || *v == '\0')
		return;
	if (parse_double(v, &d) != 0 || d < lo || d > hi) {
		bad(r, key, "\"%s\" is not %s from %g to %g", v, what, lo, hi);
		return;
	}
	*out = d * scale;
}

static void
get_mm(struct rd *r, const char *key, double *pt, double lo, double hi)
{
	get_num(r, key, pt, lo, hi, MM, "a length in millimetres");
}

static void
get_pt(struct rd *r, const char *key, double *pt, double lo, double hi)
{
	get_num(r, key, pt, lo, hi, 1, "a size in points");
}

static void
get_int(struct rd *r, const char *key, int *out, long lo, long hi)
{
	const char *v = get(r, key);
	long l;

	if (v == NULL || *v == '\0')
		return;
	if (parse_long(v, lo, hi, &l) != 0) {
		bad(r, key, "\"%s\" is not a whole number in range", v);
		return;
	}
	*out = (int)l;
}

static void
get_bool(struct rd *r, const char *key, int *out)
{
	const char *v = get(r, key);

	if (v == NULL || *v == '\0')
		return;
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") ||
	    !strcasecmp(v, "on") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") ||
	    !strcasecmp(v, "off") || !strcmp(v, "0"))
		*out = 0;
	else
		bad(r, key, "\"%s\" is not yes or no", v);
}

/* Checks that every key of the section is among known (NULL-terminated);
 * a known entry ending in '*' matches any key with that prefix followed
 * by digits. */
static void
check_keys(struct rd *r, const char *const *known)
{
	int n = iniparser_getsecnkeys(r->d, r->sec), i, k;
	const char **keys;
	size_t sl = strlen(r->sec) + 1;

	if (n <= 0)
		return;
	keys = xcalloc((size_t)n, sizeof(*keys));
	if (iniparser_getseckeys(r->d, r->sec, keys) == NULL) {
		free(keys);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *key = keys[i] + sl;
		int ok = 0;

		for (k = 0; known[k] != NULL && !ok; k++) {
			size_t kl = strlen(known[k]);
			if (kl > 2 && !strcmp(known[k] + kl - 2, ".*")) {
				ok = strncmp(key, known[k], kl - 1) == 0 &&
				    key[kl - 1] != '\0';
			} else if (known[k][kl - 1] == '*') {
				const char *p = key + kl - 1;
				ok = strncmp(key, known[k], kl - 1) == 0 &&
				    *p != '\0' && strspn(p, "0123456789") ==
				    strlen(p);
			} else
				ok = strcmp(key, known[k]) == 0;
		}
		if (!ok)
			bad(r, key, "unknown key");
	}
	free(keys);
}

static const char *const report_keys[] = {
	"title", "subtitle", "organization", "signature", "date", "sealed",
	"template", "output", "period", "missing", NULL
};
static const char *const font_keys[] = {
	"dir", "missing", "title", "body", "heading", "subheading", "latin",
	"pagenum", NULL
};
static const char *const layout_keys[] = {
	"paper_width_mm", "paper_height_mm", "margin_top_mm",
	"margin_left_mm", "block_width_mm", "block_height_mm",
	"lines_per_page", "chars_per_line", "title_size", "body_size",
	"table_size", "table_min_size", "table_title_size", "pagenum_size", "pagenum_gap_mm",
	"pagenum_first", "pagenum_format", "pagenum_position", "indent_chars",
	"title_bold", "cjk_latin_space", NULL
};
static const char *const mail_keys[] = {
	"url", "user", "password_file", "starttls", "from", "to", "cc",
	"subject", "body", "timeout", "errors_to", "errors_subject", "attach",
	NULL
};
static const char *const data_keys[] = {
	"file", "key", "encoding", "delimiter", "exclude", "duplicates",
	"max_size_mb", "months", "type.*", NULL
};
static const char *const table_keys[] = {
	"source", "title", "unit", "filter", "sort", "limit", "number",
	"total", "group", "empty", "col*", NULL
};
static const char *const chart_keys[] = {
	"source", "title", "unit", "category", "bars", "lines", "filter",
	"sort", "labels", "height_lines", "decimals", NULL
};

static void
read_report(struct rd *r, struct cfg *c)
{
	r->sec = "report";
	check_keys(r, report_keys);
	c->title = get_str(r, "title", 1);
	c->subtitle = get_str(r, "subtitle", 0);
	c->organization = get_str(r, "organization", 0);
	c->signature = get_str(r, "signature", 0);
	c->date = get_str(r, "date", 0);
	get_bool(r, "sealed", &c->style.signature_sealed);
	c->template_path = get_str(r, "template", 1);
	c->output = get_str(r, "output", 0);
	check_path(r, "output", c->output);
	if (c->output == NULL)
		c->output = xstrdup("out/zongjie-{period}.pdf");
	c->period = get_str(r, "period", 0);
	c->missing = get_str(r, "missing", 0);
	if (c->missing == NULL)
		c->missing = xstrdup("—");
}

static void
read_fonts(struct rd *r, struct cfg *c)
{
	int i;

	r->sec = "fonts";
	check_keys(r, font_keys);
	c->fontdir = get_str(r, "dir", 0);
	{
		const char *v = get(r, "missing");
		if (v != NULL && !strcmp(v, "warning"))
			c->font_missing_warn = 1;
		else if (v != NULL && *v != '\0' && strcmp(v, "error") != 0)
			bad(r, "missing", "\"%s\" is not error or warning", v);
	}
	if (c->fontdir == NULL)
		c->fontdir = xstrdup("fonts");
	for (i = 0; i < ROLE_COUNT; i++)
		c->fonts[i] = get_str(r, style_role_name(i), 1);
}

static void
read_layout(struct rd *r, struct cfg *c)
{
	struct style *st = &c->style;
	double bold = st->fake_bold_title;

	r->sec = "layout";
	check_keys(r, layout_keys);
	get_mm(r, "paper_width_mm", &st->page_w, 50, 2000);
	get_mm(r, "paper_height_mm", &st->page_h, 50, 2000);
	get_mm(r, "margin_top_mm", &st->margin_top, 0, 500);
	get_mm(r, "margin_left_mm", &st->margin_left, 0, 500);
	get_mm(r, "block_width_mm", &st->block_w, 20, 2000);
	get_mm(r, "block_height_mm", &st->block_h, 20, 2000);
	get_int(r, "lines_per_page", &st->lines_per_page, 5, 200);
	get_int(r, "chars_per_line", &st->chars_per_line, 5, 200);
	get_pt(r, "title_size", &st->title_size, 4, 200);
	get_pt(r, "body_size", &st->body_size, 4, 200);
	get_pt(r, "table_size", &st->table_size, 4, 200);
	get_pt(r, "table_min_size", &st->table_min_size, 4, 200);
	get_pt(r, "table_title_size", &st->table_title_size, 4, 200);
	get_pt(r, "pagenum_size", &st->pagenum_size, 4, 200);
	get_mm(r, "pagenum_gap_mm", &st->pagenum_gap, 0, 200);
	get_bool(r, "pagenum_first", &st->pagenum_first);
	{
		const char *v = get(r, "pagenum_position");
		if (v != NULL && !strcmp(v, "center"))
			st->pagenum_center = 1;
		else if (v != NULL && *v != '\0' && strcmp(v, "outside") != 0)
			bad(r, "pagenum_position", "\"%s\" is not outside or "
			    "center", v);
	}
	get_pt(r, "indent_chars", &st->indent_chars, 0, 20);
	get_pt(r, "title_bold", &bold, 0, 0.2);
	st->fake_bold_title = bold;
	get_num(r, "cjk_latin_space", &st->cjk_latin_space, 0, 0.5, 1,
	    "a part of an em");
	c->pagenum_format = get_str(r, "pagenum_format", 0);
	if (c->pagenum_format != NULL) {
		const char *p = strstr(c->pagenum_format, "%d");
		if (p == NULL || strchr(p + 2, '%') != NULL ||
		    strchr(c->pagenum_format, '%') != p)
			bad(r, "pagenum_format",
			    "\"%s\" must contain %%d exactly once and no other %%",
			    c->pagenum_format);
		else
			st->pagenum_format = c->pagenum_format;
	}
	if (st->margin_left + st->block_w > st->page_w + 0.01 ||
	    st->margin_top + st->block_h > st->page_h + 0.01)
		bad(r, "block_width_mm", "the text block does not fit on the "
		    "paper with these margins");
	if (st->block_h / st->lines_per_page < st->body_size)
		bad(r, "lines_per_page", "too many lines for the block height "
		    "at this body size");
}

/* [mail] attach = pdf, docx: the files a mail carries, in this order,
 * each at most once.  Absent: m->nattach stays 0 (the output's own
 * format).  An empty list, an empty item, an unknown word (with "did you
 * mean") or a word twice is reported at [mail] attach. */
static void
read_attach(struct rd *r, struct cfg_mail *m)
{
	static const char *const words[] = { "pdf", "docx" };
	const char *v = get(r, "attach");
	char **l;
	size_t n, i;
	int seen[2] = { 0, 0 };

	if (v == NULL)
		return;
	l = str_split(v, ',', &n);
	if (*v == '\0' || n == 0)
		bad(r, "attach", "the list is empty; write pdf, docx or both "
		    "(pdf, docx), or remove the key to send the output's own "
		    "format");
	for (i = 0; i < n && *v != '\0'; i++) {
		const char *near;
		int k;

		for (k = 0; k < 2 && strcasecmp(l[i], words[k]) != 0; k++)
			;
		if (l[i][0] == '\0')
			bad(r, "attach", "\"%s\" has an empty item", v);
		else if (k == 2) {
			char *low = xstrdup(l[i]);
			for (char *p = low; *p != '\0'; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			near = utf8_nearest(low, words, 2);
			if (near != NULL)
				bad(r, "attach", "\"%s\" is not pdf or docx; "
				    "did you mean \"%s\"?", l[i], near);
			else
				bad(r, "attach", "\"%s\" is not pdf or docx",
				    l[i]);
			free(low);
		} else if (seen[k]++)
			bad(r, "attach", "\"%s\" is listed twice", l[i]);
		else
			m->attach[m->nattach++] = k;
	}
	strv_free(l);
}

static void
read_mail(struct rd *r, struct cfg_mail *m)
{
	const char *v;

	r->sec = "mail";
	check_keys(r, mail_keys);
	m->present = 1;
	m->url = get_str(r, "url", 1);
	if (m->url != NULL && strncmp(m->url, "smtp://", 7) != 0 &&
	    strncmp(m->url, "smtps://", 8) != 0)
		bad(r, "url", "\"%s\" is not an smtp:// or smtps:// URL", m->url);
	m->user = get_str(r, "user", 0);
	m->password_file = get_str(r, "password_file", 0);
	if (m->user != NULL && m->password_file == NULL)
		bad(r, "password_file", "a user needs a password file (the "
		    "password never goes in the INI)");
	get_bool(r, "starttls", &m->starttls);
	m->from = get_str(r, "from", 1);
	m->to = get_str(r, "to", 1);
	m->cc = get_str(r, "cc", 0);
	m->subject = get_str(r, "subject", 1);
	m->body = get_str(r, "body", 0);
	m->errors_to = get_str(r, "errors_to", 0);
	m->errors_subject = get_str(r, "errors_subject", 0);
	m->timeout = 60;
	if ((v = get(r, "timeout")) != NULL && *v != '\0' &&
	    parse_long(v, 1, 3600, &m->timeout) != 0)
		bad(r, "timeout", "\"%s\" is not a number of seconds (1-3600)", v);
	read_attach(r, m);
}

static char
parse_delim(struct rd *r, const char *v)
{
	if (v == NULL || *v == '\0' || !strcasecmp(v, "auto"))
		return 0;
	if (!strcasecmp(v, "comma") || !strcmp(v, ","))
		return ',';
	if (!strcasecmp(v, "tab") || !strcmp(v, "\\t"))
		return '\t';
	if (!strcasecmp(v, "semicolon"))
		return ';';
	bad(r, "delimiter", "\"%s\" is not auto, comma, tab or semicolon", v);
	return 0;
}

static const char *const type_names[] = {
	"text", "integer", "number", "percent", "date", NULL
};
static const char *const unit_names[] = {
	"元", "万元", "亿元", "平方公里", "公里", "亩", "户", "个", "家", "人",
	"人次", "吨", "%", NULL
};

/* Reads the type.COLUMN = TYPE [UNIT] keys of a [data.NAME] section. */
static void
read_types(struct rd *r, struct cfg_source *s)
{
	int n = iniparser_getsecnkeys(r->d, r->sec), i, k;
	const char **keys;
	size_t sl = strlen(r->sec) + 1;

	if (n <= 0)
		return;
	keys = xcalloc((size_t)n, sizeof(*keys));
	if (iniparser_getseckeys(r->d, r->sec, keys) == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		const char *key = keys[i] + sl, *v;
		char **w;
		size_t nw;
		int ok = 0;

		if (strncmp(key, "type.", 5) != 0 || key[5] == '\0')
			continue;
		v = get(r, key);
		w = str_split(v ? v : "", ' ', &nw);
		for (k = 0; type_names[k] != NULL; k++)
			ok |= !strcmp(w[0], type_names[k]);
		if (!ok || nw > 2) {
			bad(r, key, "\"%s\" is not TYPE [UNIT] with TYPE one of "
			    "text, integer, number, percent, date", v ? v : "");
			strv_free(w);
			continue;
		}
		if (nw == 2) {
			for (ok = 0, k = 0; unit_names[k] != NULL; k++)
				ok |= !strcmp(w[1], unit_names[k]);
			if (!ok)
				bad(r, key, "unknown unit \"%s\" (元 万元 亿元 "
				    "平方公里 公里 亩 户 个 家 人 人次 吨 %%)", w[1]);
		}
		s->type_cols = xreallocarray(s->type_cols, s->ntypes + 1,
		    sizeof(char *));
		s->type_names = xreallocarray(s->type_names, s->ntypes + 1,
		    sizeof(char *));
		s->type_units = xreallocarray(s->type_units, s->ntypes + 1,
		    sizeof(char *));
		s->type_cols[s->ntypes] = xstrdup(key + 5);
		s->type_names[s->ntypes] = xstrdup(w[0]);
		s->type_units[s->ntypes] = nw == 2 ? xstrdup(w[1]) : NULL;
		s->ntypes++;
		strv_free(w);
	}
	free(keys);
}

static void
read_source(struct rd *r, struct cfg_source *s, const char *name)
{
	const char *v;
	double mb = 0;

	check_keys(r, data_keys);
	s->name = xstrdup(name);
	s->file = get_str(r, "file", 1);
	check_path(r, "file", s->file);
	s->key = get_str(r, "key", 0);
	s->encoding = get_str(r, "encoding", 0);
	if (s->encoding != NULL && !strcasecmp(s->encoding, "auto")) {
		free(s->encoding);
		s->encoding = NULL;
	}
	s->delimiter = parse_delim(r, get(r, "delimiter"));
	s->exclude = get_str(r, "exclude", 0);
	if ((v = get(r, "months")) != NULL && *v != '\0') {
		if (!strcasecmp(v, "ytd"))
			s->ytd = 1;
		else if (strcasecmp(v, "period") != 0)
			bad(r, "months", "\"%s\" is not ytd or period", v);
	}
	if (s->ytd && s->file != NULL && strstr(s->file, "{period}") == NULL &&
	    strstr(s->file, "{month}") == NULL)
		bad(r, "months", "months = ytd reads one file per month: the "
		    "file pattern needs {period} or {month}");
	if ((v = get(r, "duplicates")) != NULL && *v != '\0') {
		if (!strcasecmp(v, "first"))
			s->duplicates = DUP_FIRST;
		else if (!strcasecmp(v, "last"))
			s->duplicates = DUP_LAST;
		else if (!strcasecmp(v, "error"))
			s->duplicates = DUP_ERROR;
		else
			bad(r, "duplicates", "\"%s\" is not first, last or error",
			    v);
	}
	get_num(r, "max_size_mb", &mb, 1, 4096, 1, "a size in MiB");
	s->max_size = (size_t)(mb * 1024 * 1024);
	read_types(r, s);
}

static int
parse_align(const char *v)
{
	if (v == NULL || *v == '\0' || !strcasecmp(v, "auto"))
		return -1;
	if (!strcasecmp(v, "left"))
		return ALIGN_LEFT;
	if (!strcasecmp(v, "center") || !strcasecmp(v, "centre"))
		return ALIGN_CENTER;
	if (!strcasecmp(v, "right"))
		return ALIGN_RIGHT;
	return -2;
}

/* Splits a column value at '|' outside {braces} (a VALUE may be a
 * {placeholder | format}).  Returns a NULL-terminated array (strv_free). */
static char **
split_fields(const char *v, size_t *n)
{
	char **f = NULL;
	const char *b = v, *p;
	int depth = 0;

	*n = 0;
	for (p = v;; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}' && depth > 0)
			depth--;
		else if (*p == '\0' || (*p == '|' && depth == 0)) {
			f = xreallocarray(f, *n + 2, sizeof(*f));
			f[(*n)++] = str_trim(xstrndup(b, (size_t)(p - b)));
			f[*n] = NULL;
			if (*p == '\0')
				break;
			b = p + 1;
		}
	}
	return f;
}

/* Parses "HEADER | VALUE | FORMAT | ALIGN | WIDTH_MM" into col. */
static void
read_column(struct rd *r, const char *key, const char *v,
    struct cfg_column *col)
{
	size_t n;
	char **f = split_fields(v, &n);

	memset(col, 0, sizeof(*col));
	col->align = -1;
	if (n > 5 || f[0][0] == '\0') {
		bad(r, key, "\"%s\" is not HEADER | VALUE | FORMAT | ALIGN | "
		    "WIDTH_MM", v);
		strv_free(f);
		return;
	}
	col->header = xstrdup(f[0]);
	col->value = xstrdup(n > 1 && f[1][0] ? f[1] : f[0]);
	if (n > 2 && f[2][0])
		col->format = xstrdup(f[2]);
	if (n > 3) {
		col->align = parse_align(f[3]);
		if (col->align == -2) {
			bad(r, key, "alignment \"%s\" is not left, center or "
			    "right", f[3]);
			col->align = -1;
		}
	}
	/* WIDTH_MM: "30" fixed, or "20-40", "20-", "-40" limits of an
	 * automatic width. */
	if (n > 4 && f[4][0]) {
		char *dash = strchr(f[4], '-');
		int ok;

		if (dash == NULL)
			ok = parse_double(f[4], &col->width_mm) == 0 &&
			    col->width_mm > 0 && col->width_mm <= 1000;
		else {
			*dash = '\0';
			ok = (f[4][0] == '\0' || (parse_double(f[4],
			    &col->min_mm) == 0 && col->min_mm > 0)) &&
			    (dash[1] == '\0' || (parse_double(dash + 1,
			    &col->max_mm) == 0 && col->max_mm > 0)) &&
			    (f[4][0] != '\0' || dash[1] != '\0') &&
			    (col->max_mm == 0 || col->min_mm <= col->max_mm) &&
			    col->max_mm <= 1000;
			*dash = '-';
		}
		if (!ok)
			bad(r, key, "width \"%s\" is not millimetres (30) or a "
			    "range (20-40, 20-, -40)", f[4]);
	}
	strv_free(f);
}

static void
read_table(struct rd *r, struct cfg_table *t, const char *name)
{
	const char *v;
	int i, last = 0, n;
	char key[32];

	check_keys(r, table_keys);
	t->name = xstrdup(name);
	t->path = r->path;
	t->source = get_str(r, "source", 1);
	t->title = get_str(r, "title", 0);
	t->unit = get_str(r, "unit", 0);
	t->filter = get_str(r, "filter", 0);
	t->sort = get_str(r, "sort", 0);
	t->empty = get_str(r, "empty", 0);
	t->group = get_str(r, "group", 0);
	if ((v = get(r, "limit")) != NULL && *v != '\0' &&
	    parse_long(v, 0, 100000000, &t->limit) != 0)
		bad(r, "limit", "\"%s\" is not a whole number", v);
	get_bool(r, "number", &t->number);
	get_bool(r, "total", &t->total);
	/* Columns col1, col2, … must be numbered without gaps. */
	n = iniparser_getsecnkeys(r->d, r->sec);
	for (i = 1; i <= n; i++) {
		snprintf(key, sizeof(key), "col%d", i);
		if ((v = get(r, key)) == NULL)
			break;
		last = i;
	}
	/* Every other colN (col5 after col1, col0, col01) is a gap. */
	if (n > 0) {
		const char **keys = xcalloc((size_t)n, sizeof(*keys));
		size_t sl = strlen(r->sec) + 1;
		long c;

		if (iniparser_getseckeys(r->d, r->sec, keys) != NULL)
			for (i = 0; i < n; i++) {
				const char *k = keys[i] + sl;

				if (strncmp(k, "col", 3) != 0 || k[3] == '\0' ||
				    strspn(k + 3, "0123456789") != strlen(k + 3))
					continue;
				if (k[3] == '0' || parse_long(k + 3, 1, last,
				    &c) != 0) {
					bad(r, k, "columns must be numbered "
					    "col1, col2, … without gaps");
					break;
				}
			}
		free(keys);
	}
	if (last == 0) {
		bad(r, "col1", "a table needs at least one column");
		return;
	}
	t->ncols = (size_t)last;
	t->cols = xcalloc(t->ncols, sizeof(*t->cols));
	for (i = 1; i <= last; i++) {
		snprintf(key, sizeof(key), "col%d", i);
		read_column(r, key, get(r, key), &t->cols[i - 1]);
	}
}

/* Splits a comma-separated list of columns; NULL for an absent key. */
static char **
get_list(struct rd *r, const char *key)
{
	const char *v = get(r, key);
	char **l;
	size_t n, i;

	if (v == NULL || *v == '\0')
		return NULL;
	l = str_split(v, ',', &n);
	for (i = 0; i < n; i++)
		if (l[i][0] == '\0')
			bad(r, key, "\"%s\" has an empty column name", v);
	return l;
}

/* Number of strings in the NULL-terminated v (NULL: 0). */
static size_t
count_strv(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

/* [chart.NAME] decimals: one whole number 0..6, or one per series (bars,
 * then lines); anything else is a located error. */
static void
get_decimals(struct rd *r, struct cfg_chart *ch)
{
	const char *v = get(r, "decimals");
	size_t n, i, ns = count_strv(ch->bars) +
	    count_strv(ch->lines);
	char **l;
	long d;

	if (v == NULL || *v == '\0')
		return;
	l = str_split(v, ',', &n);
	ch->decimals = xcalloc(n, sizeof(*ch->decimals));
	for (i = 0; i < n; i++) {
		if (parse_long(l[i], 0, 6, &d) != 0) {
			bad(r, "decimals", "\"%s\" is not a number of decimals "
			    "from 0 to 6", l[i]);
			break;
		}
		ch->decimals[i] = (int)d;
	}
	if (i == n && n != 1 && n != ns)
		bad(r, "decimals", "%zu numbers of decimals for %zu series "
		    "(give one, or one per series: bars, then lines)", n, ns);
	ch->ndecimals = i == n ? n : 0;
	strv_free(l);
}

static void
read_chart(struct rd *r, struct cfg_chart *ch, const char *name)
{
	check_keys(r, chart_keys);
	ch->name = xstrdup(name);
	ch->path = r->path;
	ch->source = get_str(r, "source", 1);
	ch->title = get_str(r, "title", 0);
	ch->unit = get_str(r, "unit", 0);
	ch->category = get_str(r, "category", 1);
	ch->bars = get_list(r, "bars");
	ch->lines = get_list(r, "lines");
	ch->filter = get_str(r, "filter", 0);
	ch->sort = get_str(r, "sort", 0);
	get_bool(r, "labels", &ch->labels);
	get_int(r, "height_lines", &ch->height_lines, 4, 60);
	get_decimals(r, ch);
	if (ch->bars == NULL && ch->lines == NULL)
		bad(r, "bars", "a chart needs bars = or lines = (columns to "
		    "draw)");
}

struct cfg *
cfg_load(const char *path)
{
	struct cfg *c;
	struct rd r;
	char *text;
	size_t len, off;
	dictionary *d;
	int nsec, i, lint, syntax;

	if ((text = prepare(path, &len, &off)) == NULL)
		return NULL;
	/* Our own reading of the lines first: duplicates, values iniparser
	 * would cut at ; or #, syntax errors with a hint.  After a syntax
	 * error iniparser is not asked (it would only repeat it). */
	lint = lint_ini(path, text + off, len - off, &syntax);
	d = syntax ? NULL : load_dict(path, text + off, len - off);
	free(text);
	if (syntax)
		return NULL;
	if (d == NULL) {
		struct diag_loc loc = { path, 0, 0, NULL, NULL };
		if (diag_error_count() == 0)
			diag_error(EXIT_USAGE, &loc, "cannot parse configuration");
		else
			diag_error(EXIT_USAGE, &loc, "configuration not loaded");
		return NULL;
	}

	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	cfg_default_style(&c->style);
	r.d = d;
	r.path = c->path;      /* outlives r: tables borrow it */
	r.bad = 0;

	nsec = iniparser_getnsec(d);
	for (i = 0; i < nsec; i++) {
		const char *sec = iniparser_getsecname(d, i);
		struct diag_loc loc = { path, 0, 0, sec, NULL };

		if (!strcmp(sec, "report") || !strcmp(sec, "fonts") ||
		    !strcmp(sec, "layout"))
			continue;
		if (!strcmp(sec, "mail")) {
			read_mail(&r, &c->mail);
			continue;
		}
		r.sec = sec;
		if (!strncmp(sec, "data.", 5) && sec[5] != '\0') {
			c->sources = xreallocarray(c->sources, c->nsources + 1,
			    sizeof(*c->sources));
			memset(&c->sources[c->nsources], 0,
			    sizeof(*c->sources));
			read_source(&r, &c->sources[c->nsources++], sec + 5);
		} else if (!strncmp(sec, "table.", 6) && sec[6] != '\0') {
			c->tables = xreallocarray(c->tables, c->ntables + 1,
			    sizeof(*c->tables));
			memset(&c->tables[c->ntables], 0, sizeof(*c->tables));
			read_table(&r, &c->tables[c->ntables++], sec + 6);
		} else if (!strncmp(sec, "chart.", 6) && sec[6] != '\0') {
			c->charts = xreallocarray(c->charts, c->ncharts + 1,
			    sizeof(*c->charts));
			memset(&c->charts[c->ncharts], 0, sizeof(*c->charts));
			read_chart(&r, &c->charts[c->ncharts++], sec + 6);
		} else {
			diag_error(EXIT_USAGE, &loc, "unknown section (expected "
			    "report, fonts, layout, mail, data.NAME, table.NAME or "
			    "chart.NAME)");
			r.bad = 1;
		}
	}
	if (iniparser_find_entry(d, "report") == 0) {
		struct diag_loc loc = { path, 0, 0, "report", NULL };
		diag_error(EXIT_USAGE, &loc, "required section is missing");
		r.bad = 1;
	}
	read_report(&r, c);
	if (iniparser_find_entry(d, "fonts") == 0) {
		struct diag_loc loc = { path, 0, 0, "fonts", NULL };
		diag_error(EXIT_USAGE, &loc, "required section is missing");
		r.bad = 1;
	} else
		read_fonts(&r, c);
	read_layout(&r, c);

	/* Cross-references: each table's source must exist. */
	for (size_t t = 0; t < c->ntables; t++) {
		if (c->tables[t].source != NULL &&
		    cfg_source(c, c->tables[t].source) == NULL) {
			char sec[256];
			snprintf(sec, sizeof(sec), "table.%s",
			    c->tables[t].name);
			r.sec = sec;
			bad(&r, "source", "no [data.%s] section defines this "
			    "source", c->tables[t].source);
		}
	}
	for (size_t t = 0; t < c->ncharts; t++) {
		if (c->charts[t].source != NULL &&
		    cfg_source(c, c->charts[t].source) == NULL) {
			char sec[256];
			snprintf(sec, sizeof(sec), "chart.%s",
			    c->charts[t].name);
			r.sec = sec;
			bad(&r, "source", "no [data.%s] section defines this "
			    "source", c->charts[t].source);
		}
	}
	iniparser_freedict(d);
	if (r.bad || lint) {
		cfg_free(c);
		return NULL;
	}
	return c;
}

void
cfg_free(struct cfg *c)
{
	size_t i, j;
	int k;

	if (c == NULL)
		return;
	free(c->path);
	free(c->dir);
	free(c->title);
	free(c->subtitle);
	free(c->organization);
	free(c->signature);
	free(c->date);
	free(c->template_path);
	free(c->output);
	free(c->period);
	free(c->missing);
	for (k = 0; k < ROLE_COUNT; k++)
		free(c->fonts[k]);
	free(c->fontdir);
	free(c->pagenum_format);
	cfg_mail_free(&c->mail);
	for (i = 0; i < c->nsources; i++) {
		free(c->sources[i].name);
		free(c->sources[i].file);
		free(c->sources[i].key);
		free(c->sources[i].encoding);
		free(c->sources[i].exclude);
		for (j = 0; j < c->sources[i].ntypes; j++) {
			free(c->sources[i].type_cols[j]);
			free(c->sources[i].type_names[j]);
			free(c->sources[i].type_units[j]);
		}
		free(c->sources[i].type_cols);
		free(c->sources[i].type_names);
		free(c->sources[i].type_units);
	}
	free(c->sources);
	for (i = 0; i < c->ntables; i++) {
		struct cfg_table *t = &c->tables[i];
		free(t->name);
		free(t->source);
		free(t->title);
		free(t->unit);
		free(t->filter);
		free(t->sort);
		free(t->empty);
		free(t->group);
		for (j = 0; j < t->ncols; j++) {
			free(t->cols[j].header);
			free(t->cols[j].value);
			free(t->cols[j].format);
		}
		free(t->cols);
	}
	free(c->tables);
	for (i = 0; i < c->ncharts; i++) {
		struct cfg_chart *ch = &c->charts[i];
		free(ch->name);
		free(ch->source);
		free(ch->title);
		free(ch->unit);
		free(ch->category);
		strv_free(ch->bars);
		strv_free(ch->lines);
		free(ch->filter);
		free(ch->sort);
		free(ch->decimals);
	}
	free(c->charts);
	free(c);
}

const struct cfg_source *
cfg_source(const struct cfg *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nsources; i++)
		if (!strcmp(c->sources[i].name, name))
			return &c->sources[i];
	return NULL;
}

const struct cfg_chart *
cfg_chart(const struct cfg *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncharts; i++)
		if (!strcmp(c->charts[i].name, name))
			return &c->charts[i];
	return NULL;
}

const struct cfg_table *
cfg_table(const struct cfg *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntables; i++)
		if (!strcmp(c->tables[i].name, name))
			return &c->tables[i];
	return NULL;
}

/* Rewrites a font candidate list: each candidate that is a relative path
 * (contains '/') is resolved against base; file names and family names
 * stay.  Returns a new list (caller frees). */
static char *
resolve_fonts(const char *base, const char *list)
{
	struct strbuf sb;
	size_t n, i;
	char **v = str_split(list, ',', &n);

	sb_init(&sb);
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_adds(&sb, ", ");
		if (strchr(v[i], '/') != NULL && v[i][0] != '/') {
			char *p = path_resolve(base, v[i]);
			sb_adds(&sb, p);
			free(p);
		} else
			sb_adds(&sb, v[i]);
	}
	strv_free(v);
	return sb_detach(&sb);
}

/* Replaces *p by its resolution against base (NULL stays NULL). */
static void
resolve_in_place(const char *base, char **p)
{
	char *r;

	if (*p == NULL)
		return;
	r = path_resolve(base, *p);
	free(*p);
	*p = r;
}

int
cfg_set_base(struct cfg *c, const char *dir)
{
	struct diag_loc loc = { dir != NULL ? dir : c->path, 0, 0, NULL,
	    NULL };
	char *base;
	int i;

	if (dir != NULL)
		base = realpath(dir, NULL);
	else
		base = path_dir_of(c->path);
	if (base == NULL) {
		if (errno == ENOMEM)
			in_oom();
		if (dir != NULL)
			diag_error(EXIT_USAGE, &loc, "cannot use as the base "
			    "directory (-C): %s", strerror(errno));
		else
			diag_error(EXIT_USAGE, &loc, "cannot find the "
			    "configuration's directory: %s", strerror(errno));
		return -1;
	}
	free(c->dir);
	c->dir = base;
	resolve_in_place(base, &c->template_path);
	resolve_in_place(base, &c->fontdir);
	resolve_in_place(base, &c->mail.password_file);
	for (i = 0; i < ROLE_COUNT; i++)
		if (c->fonts[i] != NULL) {
			char *f = resolve_fonts(base, c->fonts[i]);
			free(c->fonts[i]);
			c->fonts[i] = f;
		}
	return 0;
}

char *
cfg_path(const struct cfg *c, const char *p)
{
	return c->dir != NULL ? path_resolve(c->dir, p) : xstrdup(p);
}

void
cfg_mail_free(struct cfg_mail *m)
{
	free(m->url);
	free(m->user);
	free(m->password_file);
	free(m->from);
	free(m->to);
	free(m->cc);
	free(m->subject);
	free(m->body);
	free(m->errors_to);
	free(m->errors_subject);
	memset(m, 0, sizeof(*m));
}

int
cfg_read_mail(const char *path, struct cfg_mail *m)
{
	FILE *null = fopen("/dev/null", "w");
	FILE *tee = diag_tee(NULL);
	dictionary *d = NULL;
	size_t len = 0, off = 0;
	char *text;

	memset(m, 0, sizeof(*m));
	if (null == NULL) {
		diag_tee(tee);
		return -1;
	}
	/* Everything said again here was said by cfg_load already. */
	diag_set_stream(null);
	if ((text = prepare(path, &len, &off)) != NULL)
		d = load_dict(path, text + off, len - off);
	free(text);
	if (d != NULL && iniparser_find_entry(d, "mail")) {
		struct rd r = { d, path, "mail", 0 };
		read_mail(&r, m);
	}
	if (d != NULL)
		iniparser_freedict(d);
	diag_set_stream(NULL);
	diag_tee(tee);
	fclose(null);
	return m->url != NULL && m->from != NULL && m->errors_to != NULL ?
	    0 : -1;
}
