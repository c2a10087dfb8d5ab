/* Model: periods, placeholder expressions, number formatting, table rows
 * (see model.h and the placeholder reference in README.md). */
#include "model.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- periods */

int
period_parse(const char *s, const struct tm *today, struct period *p)
{
	long y, mo;
	char buf[16];

	if (!strcmp(s, "last-month")) {
		p->year = today->tm_year + 1900;
		p->month = today->tm_mon;       /* 0-based this month = last */
		if (p->month == 0) {
			p->month = 12;
			p->year--;
		}
		return 0;
	}
	if (!strcmp(s, "last-year")) {
		p->year = today->tm_year + 1900 - 1;
		p->month = 0;
		return 0;
	}
	if (strlen(s) == 4 && strspn(s, "0123456789") == 4) {
		if (parse_long(s, 1900, 9999, &y) != 0)
			return -1;
		p->year = (int)y;
		p->month = 0;
		return 0;
	}
	if (strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789") == 4 &&
	    strspn(s + 5, "0123456789") == 2) {
		memcpy(buf, s, 4);
		buf[4] = '\0';
		if (parse_long(buf, 1900, 9999, &y) != 0 ||
		    parse_long(s + 5, 1, 12, &mo) != 0)
			return -1;
		p->year = (int)y;
		p->month = (int)mo;
		return 0;
	}
	return -1;
}

void
period_format(const struct period *p, char *buf, size_t n)
{
	if (p->month == 0)
		snprintf(buf, n, "%04d", p->year);
	else
		snprintf(buf, n, "%04d-%02d", p->year, p->month);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

time_t
period_end(const struct period *p)
{
	int m = p->month == 0 ? 12 : p->month;

	return (time_t)days_from_civil(p->year, m, month_days(p->year, m)) *
	    86400;
}

struct period *
period_range(const char *s, const struct tm *today, size_t *n)
{
	const char *dots = strstr(s, "..");
	struct period a, b, *v;
	char *first;
	size_t i, cnt;

	if (dots == NULL) {
		if (period_parse(s, today, &a) != 0)
			return NULL;
		v = xmalloc(sizeof(*v));
		v[0] = a;
		*n = 1;
		return v;
	}
	first = xstrndup(s, (size_t)(dots - s));
	if (period_parse(first, today, &a) != 0 ||
	    period_parse(dots + 2, today, &b) != 0 ||
	    (a.month == 0) != (b.month == 0)) {
		free(first);
		return NULL;
	}
	free(first);
	if (a.month == 0)
		cnt = b.year >= a.year ? (size_t)(b.year - a.year + 1) : 0;
	else {
		long d = (long)(b.year - a.year) * 12 + (b.month - a.month);
		cnt = d >= 0 ? (size_t)d + 1 : 0;
	}
	if (cnt == 0 || cnt > 1200)
		return NULL;
	v = xcalloc(cnt, sizeof(*v));
	for (i = 0; i < cnt; i++) {
		v[i] = a;
		if (a.month == 0)
			a.year++;
		else if (++a.month > 12) {
			a.month = 1;
			a.year++;
		}
	}
	*n = cnt;
	return v;
}

char *
period_expand_path(const struct period *p, const char *pattern)
{
	struct strbuf sb;
	const char *s = pattern;
	char buf[32];

	sb_init(&sb);
	while (*s != '\0') {
		if (*s == '{') {
			const char *e = strchr(s, '}');
			size_t n = e ? (size_t)(e - s - 1) : 0;
			int done = 1;

			if (e && n == 6 && !strncmp(s + 1, "period", 6)) {
				period_format(p, buf, sizeof(buf));
				sb_adds(&sb, buf);
			} else if (e && n == 4 && !strncmp(s + 1, "year", 4))
				sb_printf(&sb, "%04d", p->year);
			else if (e && n == 5 && !strncmp(s + 1, "month", 5))
				sb_printf(&sb, "%02d",
				    p->month ? p->month : 12);
			else if (e && n == 9 && !strncmp(s + 1, "prev_year", 9))
				sb_printf(&sb, "%04d", p->year - 1);
			else if (e && n == 9 && !strncmp(s + 1, "next_year", 9))
				sb_printf(&sb, "%04d", p->year + 1);
			else
				done = 0;
			if (done) {
				s = e + 1;
				continue;
			}
		}
		sb_addc(&sb, *s++);
	}
	return sb_detach(&sb);
}

/* ------------------------------------------------------------------ model */

struct source {
	char *name;
	const struct data_table *t;
	size_t key;
	size_t *rows;           /* rows kept after the exclude rule */
	size_t nrows;
	char **units;           /* declared unit per column, or NULL */
	size_t ncols;           /* columns of t, kept so model_free need not
				 * touch t */
};

struct model {
	struct period p;
	char *missing;
	struct source *src;
	size_t nsrc;
};

struct model *
model_create(const struct period *p, const char *missing)
{
	struct model *m = xcalloc(1, sizeof(*m));

	m->p = *p;
	m->missing = xstrdup(missing ? missing : "—");
	return m;
}

void
model_free(struct model *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nsrc; i++) {
		free(m->src[i].name);
		free(m->src[i].rows);
		if (m->src[i].units != NULL) {
			size_t c;
			for (c = 0; c < m->src[i].ncols; c++)
				free(m->src[i].units[c]);
			free(m->src[i].units);
		}
	}
	free(m->src);
	free(m->missing);
	free(m);
}

int
model_set_unit(struct model *m, const char *name, size_t col,
    const char *unit)
{
	size_t i;

	for (i = 0; i < m->nsrc; i++) {
		struct source *s = &m->src[i];
		if (strcmp(s->name, name) != 0)
			continue;
		if (col >= data_ncols(s->t))
			return -1;
		if (s->units == NULL)
			s->units = xcalloc(data_ncols(s->t), sizeof(*s->units));
		free(s->units[col]);
		s->units[col] = xstrdup(unit);
		return 0;
	}
	return -1;
}

/* The declared unit of a column, or NULL. */
static const char *
col_unit(const struct source *s, size_t col)
{
	return s->units != NULL ? s->units[col] : NULL;
}

static const struct source *
find_source(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nsrc; i++)
		if (!strcmp(m->src[i].name, name))
			return &m->src[i];
	return NULL;
}

/* ------------------------------------------------------- number formatting */

void
model_format_number(struct strbuf *out, double v, int dec, int sep)
{
	char buf[400], *p;      /* DBL_MAX with 10 decimals: 320 bytes */
	double scale, x;
	size_t n, i, intlen;
	int neg;

	if (dec < 0)
		dec = 0;
	if (dec > 10)
		dec = 10;
	scale = pow(10, dec);
	x = v * scale;
	if (isfinite(x)) {
		/* Half away from zero, robust against 2.675 being
		 * 2.67499…: a fraction within a relative epsilon of .5
		 * counts as .5.  The epsilon is capped at a thousandth of the
		 * last digit, so it never moves a large figure's own digits
		 * (uncapped, 98765432109.87 printed as .97).  From 2^52 on
		 * x is a whole number already. */
		double a = fabs(x), fl = floor(a);

		if (a < 0x1p52)
			a = a - fl >= 0.5 - fmin(a * 1e-12 + 1e-9, 1e-3) ?
			    fl + 1 : fl;
		x = copysign(a, x);
		neg = x < 0;
		if (x == 0)
			neg = 0;
		snprintf(buf, sizeof(buf), "%.*f", dec, fabs(x) / scale);
	} else {
		/* Too large to scale: nothing left to round. */
		neg = v < 0;
		snprintf(buf, sizeof(buf), "%.*f", dec, fabs(v));
	}
	if (neg)
		sb_addc(out, '-');
	p = strchr(buf, '.');
	intlen = p ? (size_t)(p - buf) : strlen(buf);
	for (i = 0; i < intlen; i++) {
		sb_addc(out, buf[i]);
		n = intlen - i - 1;
		if (sep && n > 0 && n % 3 == 0)
			sb_addc(out, ',');
	}
	if (p)
		sb_adds(out, p);
}

/* Number of decimals as written in a figure ("1,234.50" → 2). */
static int
text_decimals(const char *s)
{
	const char *p = strchr(s, '.');
	int d = 0;

	if (p == NULL)
		return 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		d++;
	return d;
}

/* ------------------------------------------------------------- evaluation */

enum vkind { V_MISSING, V_NUM, V_TEXT };

struct val {
	enum vkind kind;
	double num;
	int dec;                /* decimals to print by default */
	int pct;                /* print with a trailing % */
	const char *text;       /* V_TEXT, or the cell as written (raw) */
	int raw;                /* a looked-up cell: print as written */
	struct diag_loc cell;   /* where a looked-up cell came from */
	int has_cell;
	const char *unit;       /* declared unit of the column, or NULL */
	char *owned;            /* text owned by the val */
};

struct parser {
	struct model *m;
	const char *s;          /* the expression */
	size_t pos, len;
	struct diag_loc loc;    /* template file, line, placeholder column */
	int failed;
	const struct source *rsrc;      /* a table row's source, or NULL: */
	size_t rrow;            /* bare column names then name its cells */
};

static void perr(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
perr(struct parser *ps, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (ps->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), _(fmt), ap);	/* translated (diag.h) */
	va_end(ap);
	diag_error(EXIT_TEMPLATE, &ps->loc, "%s in {%.*s}", buf,
	    (int)ps->len, ps->s);
	ps->failed = 1;
}

static void
skipws(struct parser *ps)
{
	while (ps->pos < ps->len &&
	    (ps->s[ps->pos] == ' ' || ps->s[ps->pos] == '\t'))
		ps->pos++;
	/* A full-width space counts as white space too. */
	if (ps->pos + 3 <= ps->len && !memcmp(ps->s + ps->pos, "\xE3\x80\x80", 3)) {
		ps->pos += 3;
		skipws(ps);
	}
}

static int
accept(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skipws(ps);
	if (ps->pos + n <= ps->len && !memcmp(ps->s + ps->pos, tok, n)) {
		ps->pos += n;
		return 1;
	}
	return 0;
}

static void
expect(struct parser *ps, const char *tok)
{
	if (!accept(ps, tok))
		perr(ps, "expected \"%s\" at character %zu", tok,
		    utf8_count(ps->s, ps->pos) + 1);
}

static int
is_special(char c)
{
	return strchr(" \t[](),.|<>=!\"", c) != NULL;
}

/* Reads a name: "quoted" or a run of non-special characters (CJK
 * included).  Returns a new string or NULL (nothing there). */
static char *
read_name(struct parser *ps)
{
	size_t b;

	skipws(ps);
	if (ps->pos < ps->len && ps->s[ps->pos] == '"') {
		b = ++ps->pos;
		while (ps->pos < ps->len && ps->s[ps->pos] != '"')
			ps->pos++;
		if (ps->pos >= ps->len) {
			perr(ps, "unterminated quote");
			return NULL;
		}
		ps->pos++;
		return xstrndup(ps->s + b, ps->pos - b - 1);
	}
	b = ps->pos;
	while (ps->pos < ps->len && !is_special(ps->s[ps->pos]) &&
	    !(ps->pos + 3 <= ps->len &&
	    (!memcmp(ps->s + ps->pos, "≠", 3) ||
	    !memcmp(ps->s + ps->pos, "≤", 3) ||
	    !memcmp(ps->s + ps->pos, "≥", 3) ||
	    !memcmp(ps->s + ps->pos, "\xE3\x80\x80", 3))))
		ps->pos++;
	if (ps->pos == b)
		return NULL;
	return xstrndup(ps->s + b, ps->pos - b);
}

static int
peek_word(struct parser *ps, const char *w)
{
	size_t n = strlen(w), save = ps->pos;
	char *name;
	int ok;

	name = read_name(ps);
	ok = name != NULL && strlen(name) == n && !memcmp(name, w, n);
	free(name);
	if (!ok)
		ps->pos = save;
	return ok;
}

static void
val_free(struct val *v)
{
	free(v->owned);
	v->owned = NULL;
}

static void
val_num(struct val *v, double x, int dec, int pct)
{
	memset(v, 0, sizeof(*v));
	v->kind = V_NUM;
	v->num = x;
	v->dec = dec;
	v->pct = pct;
}

/* One condition of a filter: COLUMN OP VALUE(S). */
enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN };

struct cond {
	size_t col;
	enum op op;
	size_t nvals;
	char **vals;
	double *nums;
	int *isnum;
};

struct filter {
	size_t n;
	struct cond *c;
};

static void
filter_free(struct filter *f)
{
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		for (j = 0; j < f->c[i].nvals; j++)
			free(f->c[i].vals[j]);
		free(f->c[i].vals);
		free(f->c[i].nums);
		free(f->c[i].isnum);
	}
	free(f->c);
	f->c = NULL;
	f->n = 0;
}

static char *
read_value(struct parser *ps)
{
	size_t b;

	skipws(ps);
	if (ps->pos < ps->len && ps->s[ps->pos] == '"')
		return read_name(ps);
	/* A bare value: anything up to white space, ',', ')' or '|'. */
	b = ps->pos;
	while (ps->pos < ps->len && !strchr(" \t,)|", ps->s[ps->pos]))
		ps->pos++;
	if (ps->pos == b)
		return NULL;
	return xstrndup(ps->s + b, ps->pos - b);
}

static void
cond_add_value(struct cond *c, char *v)
{
	double d;

	c->vals = xreallocarray(c->vals, c->nvals + 1, sizeof(*c->vals));
	c->nums = xreallocarray(c->nums, c->nvals + 1, sizeof(*c->nums));
	c->isnum = xreallocarray(c->isnum, c->nvals + 1, sizeof(*c->isnum));
	c->vals[c->nvals] = v;
	c->isnum[c->nvals] = parse_figure(v, &d, NULL) == 0;
	c->nums[c->nvals] = c->isnum[c->nvals] ? d : 0;
	c->nvals++;
}

/* Parses "COL OP VALUE [and COL OP VALUE …]" against source src. */
static int
parse_filter(struct parser *ps, const struct source *src, struct filter *f)
{
	static const struct { const char *tok; enum op op; } ops[] = {
		{ "!=", OP_NE }, { "≠", OP_NE }, { "<=", OP_LE },
		{ "≤", OP_LE }, { ">=", OP_GE }, { "≥", OP_GE },
		{ "=", OP_EQ }, { "<", OP_LT }, { ">", OP_GT },
	};
	size_t i;

	memset(f, 0, sizeof(*f));
	do {
		struct cond c;
		char *col = read_name(ps), *v;
		long ci;
		int found = 0;

		memset(&c, 0, sizeof(c));
		if (col == NULL) {
			perr(ps, "expected a column name in the condition");
			return -1;
		}
		if ((ci = data_column(src->t, col)) < 0) {
			perr(ps, "column \"%s\" is not in source %s (%s)", col,
			    src->name, data_path(src->t));
			free(col);
			return -1;
		}
		free(col);
		c.col = (size_t)ci;
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (accept(ps, ops[i].tok)) {
				c.op = ops[i].op;
				found = 1;
				break;
			}
		if (!found && peek_word(ps, "in")) {
			c.op = OP_IN;
			found = 1;
		}
		if (!found) {
			perr(ps, "expected an operator (= != < <= > >= in)");
			return -1;
		}
		f->c = xreallocarray(f->c, f->n + 1, sizeof(*f->c));
		f->c[f->n++] = c;
		if (c.op == OP_IN) {
			expect(ps, "(");
			do {
				if ((v = read_value(ps)) == NULL) {
					perr(ps, "expected a value in the list");
					return -1;
				}
				cond_add_value(&f->c[f->n - 1], v);
			} while (accept(ps, ","));
			expect(ps, ")");
		} else {
			if ((v = read_value(ps)) == NULL) {
				perr(ps, "expected a value after the operator");
				return -1;
			}
			cond_add_value(&f->c[f->n - 1], v);
		}
	} while (!ps->failed && peek_word(ps, "and"));
	return ps->failed ? -1 : 0;
}

/* Returns 1 if row passes every condition.  A missing cell passes only
 * "!=". */
static int
filter_match(const struct filter *f, const struct data_table *t, size_t row)
{
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		const struct cond *c = &f->c[i];
		const char *cell = data_cell(t, row, c->col);
		double d = 0;
		int isnum, ok = 0, cmp;

		if (cell == NULL) {
			if (c->op != OP_NE)
				return 0;
			continue;
		}
		isnum = data_number(t, row, c->col, &d) == 1;
		for (j = 0; j < c->nvals && !ok; j++) {
			if (isnum && c->isnum[j])
				cmp = d < c->nums[j] ? -1 : d > c->nums[j];
			else
				cmp = strcmp(cell, c->vals[j]);
			switch (c->op) {
			case OP_EQ: case OP_IN: ok = cmp == 0; break;
			case OP_NE: ok = cmp != 0; break;
			case OP_LT: ok = cmp < 0; break;
			case OP_LE: ok = cmp <= 0; break;
			case OP_GT: ok = cmp > 0; break;
			case OP_GE: ok = cmp >= 0; break;
			}
		}
		if (!ok)
			return 0;
	}
	return 1;
}

static void parse_expr(struct parser *ps, struct val *out);
static void print_val(struct parser *ps, struct val *v, char **fmts,
    size_t n, struct strbuf *out);
static char **split_pipes(const char *s, size_t n, size_t *cnt);

/* Sorting rows by one column: numbers as numbers, text by code point,
 * missing cells last, ties in source order. */
struct sortkey {
	size_t row;
	double num;
	const char *text;
	int isnum;
};

static int sort_desc;

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;
	int c;

	if (a->text == NULL || b->text == NULL)
		c = (a->text == NULL) - (b->text == NULL);
	else {
		if (a->isnum && b->isnum)
			c = a->num < b->num ? -1 : a->num > b->num;
		else
			c = strcmp(a->text, b->text);
		if (sort_desc)
			c = -c;
	}
	if (c == 0)
		c = a->row < b->row ? -1 : a->row > b->row;
	return c;
}

/* Sorts rows[0..n) of t by column col. */
static void
sort_rows(const struct data_table *t, size_t *rows, size_t n, size_t col,
    int desc)
{
	struct sortkey *keys = xcalloc(n + 1, sizeof(*keys));
	size_t i;

	for (i = 0; i < n; i++) {
		keys[i].row = rows[i];
		keys[i].text = data_cell(t, rows[i], col);
		keys[i].isnum = data_number(t, rows[i], col, &keys[i].num) == 1;
	}
	sort_desc = desc;
	qsort(keys, n, sizeof(*keys), cmp_rows);
	for (i = 0; i < n; i++)
		rows[i] = keys[i].row;
	free(keys);
}

/* A cell as a value: a number when it is a figure (with its decimals,
 * percent sign and the column's declared unit), text otherwise, missing
 * when blank; it remembers where it came from and prints as written when
 * no format is given. */
static void
cell_val(const struct source *src, size_t row, size_t col, struct val *out)
{
	const char *cell = data_cell(src->t, row, col);
	double x;

	memset(out, 0, sizeof(*out));
	out->kind = V_MISSING;
	out->has_cell = 1;
	out->unit = col_unit(src, col);
	data_cell_loc(src->t, row, col, &out->cell);
	if (cell == NULL)
		return;
	if (data_number(src->t, row, col, &x) == 1) {
		out->kind = V_NUM;
		out->num = x;
		out->dec = text_decimals(cell);
		out->pct = strchr(cell, '%') != NULL;
	} else
		out->kind = V_TEXT;
	out->text = cell;
	out->raw = 1;
}

/* Appends cell (row, col) of t formatted with fmts[0..nf) (none: as
 * written; missing: the missing mark).  Returns 0, or -1 after reporting
 * a cell that formats need as a number. */
static int
format_cell(struct parser *ps, const struct source *src, size_t row,
    size_t col, char **fmts, size_t nf, struct strbuf *out)
{
	struct val v;

	cell_val(src, row, col, &v);
	ps->failed = 0;
	print_val(ps, &v, fmts, nf, out);
	return ps->failed ? -1 : 0;
}

/* Reports a cell that should be a number but is not. */
static void
bad_cell(const struct data_table *t, size_t row, size_t col)
{
	struct diag_loc loc;

	data_cell_loc(t, row, col, &loc);
	diag_error(EXIT_DATA, &loc, "column \"%s\": \"%s\" is not a number",
	    data_header(t, col), data_cell(t, row, col));
}

/* Reads "( SOURCE" at the start of fn's arguments.  Returns the source,
 * or NULL after reporting. */
static const struct source *
open_args(struct parser *ps, const char *fn)
{
	const struct source *src;
	char *sname;

	expect(ps, "(");
	if (ps->failed)
		return NULL;
	if ((sname = read_name(ps)) == NULL) {
		perr(ps, "expected a source name after %s(", fn);
		return NULL;
	}
	if ((src = find_source(ps->m, sname)) == NULL)
		perr(ps, "unknown source \"%s\" (no [data.%s] in the "
		    "configuration)", sname, sname);
	free(sname);
	return src;
}

/* Reads a column name of src.  Returns its index, or -1 after
 * reporting. */
static long
read_column(struct parser *ps, const struct source *src)
{
	char *name = read_name(ps);
	long col;

	if (name == NULL) {
		perr(ps, "expected a column of source %s", src->name);
		return -1;
	}
	if ((col = data_column(src->t, name)) < 0)
		perr(ps, "column \"%s\" is not in source %s (%s)", name,
		    src->name, data_path(src->t));
	free(name);
	return col;
}

/* count/sum/avg/min/max ( SOURCE[.COLUMN] [where COND] ) */
static void
parse_aggregate(struct parser *ps, const char *fn, struct val *out)
{
	const struct source *src;
	struct filter f = { 0, NULL };
	long col = -1;
	size_t i, r, n = 0;
	double acc = 0, x;
	int dec = 0, d, count = !strcmp(fn, "count"), k;

	val_num(out, 0, 0, 0);
	if ((src = open_args(ps, fn)) == NULL)
		return;
	if (!count || (ps->pos < ps->len && ps->s[ps->pos] == '.')) {
		expect(ps, ".");
		if (ps->failed || (col = read_column(ps, src)) < 0)
			return;
	}
	if (peek_word(ps, "where") && parse_filter(ps, src, &f) != 0) {
		filter_free(&f);
		return;
	}
	expect(ps, ")");
	if (ps->failed) {
		filter_free(&f);
		return;
	}
	for (i = 0; i < src->nrows; i++) {
		r = src->rows[i];
		if (!filter_match(&f, src->t, r))
			continue;
		if (col < 0) {
			n++;
			continue;
		}
		k = data_number(src->t, r, (size_t)col, &x);
		if (k < 0) {
			bad_cell(src->t, r, (size_t)col);
			ps->failed = 1;
			break;
		}
		if (k == 0)
			continue;       /* missing cells are skipped */
		d = text_decimals(data_cell(src->t, r, (size_t)col));
		/* min and max print with the chosen cell's decimals, sums
		 * with the widest input's. */
		if (!strcmp(fn, "min") || !strcmp(fn, "max")) {
			if (n == 0 || (fn[1] == 'i' ? x < acc : x > acc)) {
				acc = x;
				dec = d;
			}
		} else {
			acc = n == 0 ? x : acc + x;
			if (d > dec)
				dec = d;
		}
		n++;
	}
	filter_free(&f);
	if (count) {
		val_num(out, (double)n, 0, 0);
		return;
	}
	if (n == 0) {
		out->kind = V_MISSING;
		return;
	}
	if (!strcmp(fn, "avg")) {
		acc /= (double)n;
		dec = dec < 1 ? 1 : dec;
	}
	val_num(out, acc, dec, 0);
	out->unit = col_unit(src, (size_t)col);
}

/* SOURCE[KEY].COLUMN */
static void
parse_lookup(struct parser *ps, char *sname, struct val *out)
{
	const struct source *src = find_source(ps->m, sname);
	char *key = NULL, *cname;
	size_t b, i, r = 0, nrows;
	long col;
	const char *cell;

	memset(out, 0, sizeof(*out));
	out->kind = V_MISSING;
	if (src == NULL) {
		perr(ps, "unknown source \"%s\" (no [data.%s] in the "
		    "configuration)", sname, sname);
		return;
	}
	expect(ps, "[");
	skipws(ps);
	b = ps->pos;
	/* A "quoted" key may hold ] and . (README). */
	if (ps->pos < ps->len && ps->s[ps->pos] == '"') {
		ps->pos++;
		while (ps->pos < ps->len && ps->s[ps->pos] != '"')
			ps->pos++;
		if (ps->pos < ps->len)
			ps->pos++;
	}
	while (ps->pos < ps->len && ps->s[ps->pos] != ']')
		ps->pos++;
	key = str_trim(xstrndup(ps->s + b, ps->pos - b));
	if (key[0] == '"' && strlen(key) >= 2 && key[strlen(key) - 1] == '"') {
		memmove(key, key + 1, strlen(key) - 2);
		key[strlen(key) - 2] = '\0';
	}
	expect(ps, "]");
	expect(ps, ".");
	if (ps->failed || (cname = read_name(ps)) == NULL) {
		perr(ps, "expected SOURCE[KEY].COLUMN");
		free(key);
		return;
	}
	if ((col = data_column(src->t, cname)) < 0) {
		perr(ps, "column \"%s\" is not in source %s (%s)", cname,
		    src->name, data_path(src->t));
		free(cname);
		free(key);
		return;
	}
	free(cname);
	nrows = src->nrows;
	for (i = 0; i < nrows; i++) {
		r = src->rows[i];
		cell = data_cell(src->t, r, src->key);
		if (cell != NULL && !strcmp(cell, key))
			break;
	}
	if (i == nrows) {
		perr(ps, "no row with %s = \"%s\" in source %s (%s)",
		    data_header(src->t, src->key), key, src->name,
		    data_path(src->t));
		free(key);
		return;
	}
	free(key);
	cell_val(src, r, (size_t)col, out);
}

static void
need_num(struct parser *ps, struct val *v)
{
	if (v->kind == V_TEXT) {
		if (v->has_cell)
			diag_error(EXIT_DATA, &v->cell, "\"%s\" is not a number "
			    "(used in {%.*s} at %s:%d)", v->text, (int)ps->len,
			    ps->s, ps->loc.file, ps->loc.line);
		else
			perr(ps, "\"%s\" is not a number", v->text);
		ps->failed = 1;
	}
}

/* Reads a "quoted" string argument; returns a new string or NULL. */
static char *
read_string(struct parser *ps)
{
	skipws(ps);
	if (ps->pos >= ps->len || ps->s[ps->pos] != '"') {
		perr(ps, "expected a \"quoted\" text");
		return NULL;
	}
	return read_name(ps);
}

/* Expands a list item pattern for one row: [COLUMN] or [COLUMN|FORMAT…]
 * is replaced by the row's cell. */
static int
expand_item(struct parser *ps, const struct source *src, size_t row,
    const char *pat, struct strbuf *out)
{
	const char *p = pat, *e;

	while (*p != '\0') {
		char *inner, **parts;
		size_t np;
		long col;
		int rc;

		if (*p != '[') {
			sb_addc(out, *p++);
			continue;
		}
		if ((e = strchr(p, ']')) == NULL) {
			perr(ps, "unterminated [ in the list pattern");
			return -1;
		}
		inner = xstrndup(p + 1, (size_t)(e - p - 1));
		parts = split_pipes(inner, strlen(inner), &np);
		free(inner);
		if ((col = data_column(src->t, parts[0])) < 0) {
			perr(ps, "column \"%s\" is not in source %s (%s)",
			    parts[0], src->name, data_path(src->t));
			strv_free(parts);
			return -1;
		}
		rc = format_cell(ps, src, row, (size_t)col, parts + 1,
		    np - 1, out);
		strv_free(parts);
		if (rc != 0)
			return -1;
		p = e + 1;
	}
	return 0;
}

/* list(SOURCE [where COND] [sort COLUMN [asc|desc]] [top N], "PATTERN"
 *      [, "SEPARATOR" [, "LAST SEPARATOR"]]) */
static void
parse_list(struct parser *ps, struct val *out)
{
	char *pat = NULL, *sep = NULL, *last = NULL;
	const struct source *src;
	struct filter f = { 0, NULL };
	size_t *rows = NULL, n = 0, i;
	long sortcol = -1, top = 0;
	int desc = 0;
	struct strbuf sb;
	struct parser save;

	memset(out, 0, sizeof(*out));
	out->kind = V_MISSING;
	if ((src = open_args(ps, "list")) == NULL)
		return;
	if (peek_word(ps, "where") && parse_filter(ps, src, &f) != 0)
		goto done;
	if (peek_word(ps, "sort") && (sortcol = read_column(ps, src)) < 0)
		goto done;
	if (sortcol >= 0) {
		if (peek_word(ps, "desc"))
			desc = 1;
		else
			(void)peek_word(ps, "asc");
	}
	if (peek_word(ps, "top")) {
		char *c = read_name(ps);
		if (c == NULL || parse_long(c, 1, 100000, &top) != 0) {
			perr(ps, "top needs a whole number");
			free(c);
			goto done;
		}
		free(c);
	}
	expect(ps, ",");
	if (ps->failed || (pat = read_string(ps)) == NULL)
		goto done;
	if (accept(ps, ",") && (sep = read_string(ps)) != NULL &&
	    accept(ps, ","))
		last = read_string(ps);
	expect(ps, ")");
	if (ps->failed)
		goto done;

	rows = xcalloc(src->nrows + 1, sizeof(*rows));
	for (i = 0; i < src->nrows; i++)
		if (filter_match(&f, src->t, src->rows[i]))
			rows[n++] = src->rows[i];
	if (sortcol >= 0)
		sort_rows(src->t, rows, n, (size_t)sortcol, desc);
	if (top > 0 && (size_t)top < n)
		n = (size_t)top;
	if (n == 0)
		goto done;
	sb_init(&sb);
	save = *ps;
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_adds(&sb, i == n - 1 && last != NULL ? last :
			    sep != NULL ? sep : "、");
		if (expand_item(ps, src, rows[i], pat, &sb) != 0)
			break;
		ps->failed = save.failed;
	}
	out->kind = V_TEXT;
	out->owned = sb_detach(&sb);
	out->text = out->owned;
done:
	filter_free(&f);
	free(rows);
	free(pat);
	free(sep);
	free(last);
}

/* growth/share/diff ( A , B ) */
static void
parse_binary(struct parser *ps, const char *fn, struct val *out)
{
	struct val a, b;

	val_num(out, 0, 1, 0);
	expect(ps, "(");
	parse_expr(ps, &a);
	expect(ps, ",");
	parse_expr(ps, &b);
	expect(ps, ")");
	if (ps->failed) {
		val_free(&a);
		val_free(&b);
		return;
	}
	need_num(ps, &a);
	need_num(ps, &b);
	if (ps->failed || a.kind == V_MISSING || b.kind == V_MISSING) {
		out->kind = V_MISSING;
	} else if (!strcmp(fn, "diff")) {
		val_num(out, a.num - b.num, a.dec > b.dec ? a.dec : b.dec, 0);
	} else if (b.num == 0) {
		diag_warn(&ps->loc, "%s: the base is zero in {%.*s}; printing "
		    "the missing mark", fn, (int)ps->len, ps->s);
		out->kind = V_MISSING;
	} else if (!strcmp(fn, "growth"))
		val_num(out, (a.num / b.num - 1) * 100, 1, 1);
	else
		val_num(out, a.num / b.num * 100, 1, 1);
	val_free(&a);
	val_free(&b);
}

/* The cell in column col of the table row being evaluated, as a lookup
 * gives it. */
static void
row_cell(struct parser *ps, size_t col, struct val *out)
{
	cell_val(ps->rsrc, ps->rrow, col, out);
}

static void
parse_expr(struct parser *ps, struct val *out)
{
	struct period *p = &ps->m->p;
	char *name;
	double d;
	size_t b;

	memset(out, 0, sizeof(*out));
	out->kind = V_MISSING;
	skipws(ps);
	if (ps->failed)
		return;
	/* A number literal. */
	b = ps->pos;
	if (ps->pos < ps->len && (ps->s[ps->pos] == '-' ||
	    (ps->s[ps->pos] >= '0' && ps->s[ps->pos] <= '9'))) {
		char *num;
		ps->pos++;
		while (ps->pos < ps->len && strchr("0123456789.",
		    ps->s[ps->pos]))
			ps->pos++;
		num = xstrndup(ps->s + b, ps->pos - b);
		if (parse_double(num, &d) != 0)
			perr(ps, "\"%s\" is not a number", num);
		else
			val_num(out, d, text_decimals(num), 0);
		free(num);
		return;
	}
	if (ps->pos < ps->len && ps->s[ps->pos] == '"') {
		name = read_name(ps);
		out->kind = V_TEXT;
		out->owned = name;
		out->text = name;
		return;
	}
	if ((name = read_name(ps)) == NULL) {
		perr(ps, "expected an expression");
		return;
	}
	skipws(ps);
	if (ps->pos < ps->len && ps->s[ps->pos] == '[') {
		parse_lookup(ps, name, out);
	} else if (!strcmp(name, "count") || !strcmp(name, "sum") ||
	    !strcmp(name, "avg") || !strcmp(name, "min") ||
	    !strcmp(name, "max")) {
		parse_aggregate(ps, name, out);
	} else if (!strcmp(name, "list")) {
		parse_list(ps, out);
	} else if (!strcmp(name, "growth") || !strcmp(name, "share") ||
	    !strcmp(name, "diff")) {
		parse_binary(ps, name, out);
	} else if (!strcmp(name, "year")) {
		val_num(out, p->year, 0, 0);
	} else if (!strcmp(name, "prev_year")) {
		val_num(out, p->year - 1, 0, 0);
	} else if (!strcmp(name, "next_year")) {
		val_num(out, p->year + 1, 0, 0);
	} else if (!strcmp(name, "month")) {
		val_num(out, p->month ? p->month : 12, 0, 0);
	} else if (!strcmp(name, "months")) {
		int mo = p->month ? p->month : 12;
		out->kind = V_TEXT;
		out->owned = mo == 1 ? xstrdup("1月") :
		    xasprintf("1—%d月", mo);
		out->text = out->owned;
	} else if (!strcmp(name, "period")) {
		char buf[16];
		period_format(p, buf, sizeof(buf));
		out->kind = V_TEXT;
		out->owned = xstrdup(buf);
		out->text = out->owned;
	} else if (ps->rsrc != NULL && data_column(ps->rsrc->t, name) >= 0) {
		row_cell(ps, (size_t)data_column(ps->rsrc->t, name), out);
	} else
		perr(ps, "unknown name \"%s\" (expected SOURCE[KEY].COLUMN, "
		    "a function such as sum(…), a period value such as year%s)",
		    name, ps->rsrc != NULL ? ", or a column of the row" : "");
	free(name);
}

/* Applies the formats in fmts[0..n) to v and appends the text to out. */
static void
print_val(struct parser *ps, struct val *v, char **fmts, size_t n,
    struct strbuf *out)
{
	static const struct { const char *name; double f; } units[] = {
		{ "元", 1 }, { "万元", 1e4 }, { "亿元", 1e8 },
	};
	const char *pos = NULL, *neg = NULL;
	double x = v->num;
	int dec = v->dec, sep = 0, absval = 0, decset = 0;
	size_t i, j, k;

	if (v->kind == V_NUM && !v->raw && !isfinite(x)) {
		perr(ps, "the result is too large to print");
		return;
	}
	if (n == 0) {
		if (v->kind == V_MISSING)
			sb_adds(out, ps->m->missing);
		else if (v->raw || v->kind == V_TEXT)
			sb_adds(out, v->text);
		else {
			model_format_number(out, x, v->pct && dec < 1 ? 1 : dec,
			    0);
			if (v->pct)
				sb_addc(out, '%');
		}
		return;
	}
	for (i = 0; i < n; i++) {
		const char *f = fmts[i];
		long l;

		if (f[0] == '.' && parse_long(f + 1, 0, 10, &l) == 0) {
			dec = (int)l;
			decset = 1;
		} else if (!strcmp(f, ","))
			sep = 1;
		else if (!strcmp(f, "abs"))
			absval = 1;
		else if (!strcmp(f, "增长")) {
			pos = "增长";
			neg = "下降";
		} else if (!strcmp(f, "增加")) {
			pos = "增加";
			neg = "减少";
		} else if (!strcmp(f, "提高")) {
			pos = "提高";
			neg = "降低";
		} else if (!strcmp(f, "元") || !strcmp(f, "万元") ||
		    !strcmp(f, "亿元")) {
			double from = 0, to = 0;
			for (j = 0; j < 3; j++) {
				if (v->unit != NULL && !strcmp(v->unit,
				    units[j].name))
					from = units[j].f;
				if (!strcmp(f, units[j].name))
					to = units[j].f;
			}
			if (from == 0) {
				perr(ps, "\"%s\" converts from the column's "
				    "declared unit, and this value has %s%s; "
				    "declare type.COLUMN = number 万元 or write "
				    "万元>%s", f, v->unit ? "unit " : "no unit",
				    v->unit ? v->unit : "", f);
				return;
			}
			x = x * from / to;
			if (!decset)
				dec = 2;
		} else if (strstr(f, ">") != NULL) {
			const char *gt = strstr(f, ">");
			double from = 0, to = 0;
			for (j = 0; j < 3; j++) {
				k = strlen(units[j].name);
				if ((size_t)(gt - f) == k &&
				    !strncmp(f, units[j].name, k))
					from = units[j].f;
				if (!strcmp(gt + 1, units[j].name))
					to = units[j].f;
			}
			if (from == 0 || to == 0) {
				perr(ps, "unknown unit conversion \"%s\" (use "
				    "two of 元, 万元, 亿元, e.g. 万元>亿元)", f);
				return;
			}
			x = x * from / to;
			if (!decset)
				dec = 2;
		} else {
			perr(ps, "unknown format \"%s\" (expected .N , 增长 "
			    "增加 提高 abs or a unit conversion such as "
			    "万元>亿元)", f);
			return;
		}
	}
	if (v->kind == V_MISSING) {
		sb_adds(out, ps->m->missing);
		return;
	}
	need_num(ps, v);
	if (ps->failed)
		return;
	if (!isfinite(x)) {
		perr(ps, "the result is too large to print");
		return;
	}
	if (v->pct && !decset && v->raw == 0 && dec < 1)
		dec = 1;
	if (pos != NULL) {
		struct strbuf tmp;
		double r;

		sb_init(&tmp);
		model_format_number(&tmp, x, dec, 0);
		r = strtod(sb_str(&tmp), NULL);
		sb_free(&tmp);
		sb_adds(out, r < 0 ? neg : pos);
		absval = 1;
	}
	model_format_number(out, absval ? fabs(x) : x, dec, sep);
	if (v->pct)
		sb_addc(out, '%');
}

/* Splits s[0..n) at '|' outside quotes, brackets and parentheses.  The
 * result has at least one part, even when a quote or bracket is unclosed. */
static char **
split_pipes(const char *s, size_t n, size_t *cnt)
{
	char **v = NULL;
	size_t i, b = 0, k = 0;
	int depth = 0, q = 0;

	for (i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '|';
		if (c == '"')
			q = !q;
		else if (!q && (c == '(' || c == '['))
			depth++;
		else if (!q && (c == ')' || c == ']'))
			depth--;
		else if (c == '|' && (i == n || (!q && depth <= 0))) {
			v = xreallocarray(v, k + 2, sizeof(*v));
			v[k++] = str_trim(xstrndup(s + b, i - b));
			b = i + 1;
		}
	}
	v[k] = NULL;
	*cnt = k;
	return v;
}

/* Evaluates one placeholder body s[0..n); with rsrc not NULL, bare column
 * names of rsrc stand for the cells of row rrow. */
static int
eval_one(struct model *m, const struct source *rsrc, size_t rrow,
    const char *s, size_t n, const struct diag_loc *loc, struct strbuf *out)
{
	struct parser ps;
	struct val v;
	size_t nparts;
	char **parts = split_pipes(s, n, &nparts);

	memset(&ps, 0, sizeof(ps));
	ps.m = m;
	ps.s = parts[0];
	ps.len = strlen(parts[0]);
	ps.loc = *loc;
	ps.rsrc = rsrc;
	ps.rrow = rrow;
	parse_expr(&ps, &v);
	skipws(&ps);
	if (!ps.failed && ps.pos < ps.len)
		perr(&ps, "unexpected \"%s\"", ps.s + ps.pos);
	if (!ps.failed)
		print_val(&ps, &v, parts + 1, nparts - 1, out);
	val_free(&v);
	strv_free(parts);
	return ps.failed ? -1 : 0;
}

int
model_expand(struct model *m, const char *text, const struct diag_loc *loc,
    struct strbuf *out)
{
	const char *s = text, *e;
	struct diag_loc here = *loc;
	int rc = 0;
	int col = loc->col > 0 ? loc->col : 1;

	while (*s != '\0') {
		if (s[0] == '{' && s[1] == '{') {
			sb_addc(out, '{');
			s += 2;
			col += 2;
			continue;
		}
		if (s[0] == '}' && s[1] == '}') {
			sb_addc(out, '}');
			s += 2;
			col += 2;
			continue;
		}
		if (*s == '}') {
			here.col = col;
			diag_error(EXIT_TEMPLATE, &here, "unmatched \"}\" (write "
			    "}} for a literal brace)");
			rc = -1;
			s++;
			continue;
		}
		if (*s != '{') {
			if (((unsigned char)*s & 0xC0) != 0x80)
				col++;
			sb_addc(out, *s++);
			continue;
		}
		here.col = col;
		if ((e = strchr(s, '}')) == NULL) {
			diag_error(EXIT_TEMPLATE, &here, "unterminated "
			    "placeholder \"%.20s\"", s);
			return -1;
		}
		if (eval_one(m, NULL, 0, s + 1, (size_t)(e - s - 1), &here, out) != 0)
			rc = -1;
		col += (int)utf8_count(s, (size_t)(e - s + 1));
		s = e + 1;
	}
	return rc;
}

int
model_add_source(struct model *m, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct diag_loc *loc)
{
	struct source src;
	struct filter f = { 0, NULL };
	struct parser ps;
	long k = 0;
	size_t r;

	if (key != NULL && (k = data_column(t, key)) < 0) {
		struct diag_loc l = *loc;
		l.key = "key";
		diag_error(EXIT_DATA, &l, "key column \"%s\" is not in the "
		    "header of %s", key, data_path(t));
		return -1;
	}
	memset(&src, 0, sizeof(src));
	src.name = (char *)name;
	src.t = t;
	if (exclude != NULL) {
		memset(&ps, 0, sizeof(ps));
		ps.m = m;
		ps.s = exclude;
		ps.len = strlen(exclude);
		ps.loc = *loc;
		ps.loc.key = "exclude";
		if (parse_filter(&ps, &src, &f) != 0 || (skipws(&ps),
		    ps.pos < ps.len)) {
			if (!ps.failed)
				perr(&ps, "unexpected \"%s\"", ps.s + ps.pos);
			filter_free(&f);
			return -1;
		}
	}
	src.name = xstrdup(name);
	src.key = (size_t)k;
	src.ncols = data_ncols(t);
	src.rows = xcalloc(data_nrows(t) + 1, sizeof(*src.rows));
	for (r = 0; r < data_nrows(t); r++)
		if (f.n == 0 || !filter_match(&f, t, r))
			src.rows[src.nrows++] = r;
	filter_free(&f);
	m->src = xreallocarray(m->src, m->nsrc + 1, sizeof(*m->src));
	m->src[m->nsrc++] = src;
	return 0;
}

/* ----------------------------------------------------------------- tables */

/* Parses "COLUMN [asc|desc]" against src.  Returns 0, or -1 after
 * reporting at loc. */
static int
parse_sort(const char *spec, const struct source *src,
    const struct diag_loc *loc, long *col, int *desc)
{
	size_t n, i;
	char **w = str_split(spec, ' ', &n);
	const char *dir = NULL;

	for (i = n; i > 0 && w[i - 1][0] == '\0'; i--)
		;
	if (i > 1 && (!strcmp(w[i - 1], "desc") || !strcmp(w[i - 1], "asc")))
		dir = w[--i];
	*col = i == 1 ? data_column(src->t, w[0]) : -1;
	*desc = dir != NULL && !strcmp(dir, "desc");
	strv_free(w);
	if (*col < 0) {
		diag_error(EXIT_USAGE, loc, "\"%s\" is not COLUMN [asc|desc] "
		    "with a column of %s", spec, data_path(src->t));
		return -1;
	}
	return 0;
}

/* Filters src's rows by cond (may be NULL) into a new array; *n gets the
 * count.  Returns NULL after reporting at loc (key "filter"). */
static size_t *
select_rows(struct model *m, const struct source *src, const char *cond,
    const struct diag_loc *loc, size_t *n)
{
	struct filter f = { 0, NULL };
	struct parser ps;
	size_t *rows, i;

	*n = 0;
	if (cond != NULL) {
		memset(&ps, 0, sizeof(ps));
		ps.m = m;
		ps.loc = *loc;
		ps.loc.key = "filter";
		ps.s = cond;
		ps.len = strlen(cond);
		if (parse_filter(&ps, src, &f) != 0 || (skipws(&ps),
		    ps.pos < ps.len)) {
			if (!ps.failed)
				perr(&ps, "unexpected \"%s\"", ps.s + ps.pos);
			filter_free(&f);
			return NULL;
		}
	}
	rows = xcalloc(src->nrows + 1, sizeof(*rows));
	for (i = 0; i < src->nrows; i++)
		if (filter_match(&f, src->t, src->rows[i]))
			rows[(*n)++] = src->rows[i];
	filter_free(&f);
	return rows;
}

void
model_chart_free(struct model_chart *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ncats; i++)
		free(c->cats[i]);
	for (i = 0; i < c->nseries; i++) {
		free(c->names[i]);
		free(c->values[i]);
		free(c->present[i]);
	}
	free(c->cats);
	free(c->names);
	free(c->is_line);
	free(c->values);
	free(c->present);
	free(c);
}

struct model_chart *
model_chart(struct model *m, const struct cfg_chart *ch,
    const struct diag_loc *loc)
{
	const struct source *src = find_source(m, ch->source);
	struct model_chart *c;
	size_t *rows, nrows, i, j, k, nb = 0, nl = 0;
	long catcol, sc, *cols;
	int desc, bad = 0;
	struct diag_loc l = *loc;

	if (src == NULL) {
		diag_error(EXIT_USAGE, loc, "source \"%s\" is not loaded",
		    ch->source);
		return NULL;
	}
	if ((catcol = data_column(src->t, ch->category)) < 0) {
		l.key = "category";
		diag_error(EXIT_USAGE, &l, "column \"%s\" is not in %s",
		    ch->category, data_path(src->t));
		return NULL;
	}
	while (ch->bars != NULL && ch->bars[nb] != NULL)
		nb++;
	while (ch->lines != NULL && ch->lines[nl] != NULL)
		nl++;
	cols = xcalloc(nb + nl + 1, sizeof(*cols));
	for (i = 0; i < nb + nl; i++) {
		const char *name = i < nb ? ch->bars[i] : ch->lines[i - nb];
		if ((cols[i] = data_column(src->t, name)) < 0) {
			l.key = i < nb ? "bars" : "lines";
			diag_error(EXIT_USAGE, &l, "column \"%s\" is not in %s",
			    name, data_path(src->t));
			bad = 1;
		}
	}
	if (bad || (rows = select_rows(m, src, ch->filter, loc, &nrows)) ==
	    NULL) {
		free(cols);
		return NULL;
	}
	if (ch->sort != NULL) {
		l.key = "sort";
		if (parse_sort(ch->sort, src, &l, &sc, &desc) != 0) {
			free(rows);
			free(cols);
			return NULL;
		}
		sort_rows(src->t, rows, nrows, (size_t)sc, desc);
	}

	c = xcalloc(1, sizeof(*c));
	c->nseries = nb + nl;
	c->names = xcalloc(c->nseries + 1, sizeof(*c->names));
	c->is_line = xcalloc(c->nseries + 1, sizeof(*c->is_line));
	c->values = xcalloc(c->nseries + 1, sizeof(*c->values));
	c->present = xcalloc(c->nseries + 1, sizeof(*c->present));
	c->cats = xcalloc(nrows + 1, sizeof(*c->cats));
	for (j = 0; j < c->nseries; j++) {
		c->names[j] = xstrdup(data_header(src->t, (size_t)cols[j]));
		c->is_line[j] = j >= nb;
		c->values[j] = xcalloc(nrows + 1, sizeof(double));
		c->present[j] = xcalloc(nrows + 1, sizeof(int));
	}
	for (i = 0; i < nrows && !bad; i++) {
		const char *cat = data_cell(src->t, rows[i], (size_t)catcol);

		if (cat == NULL)
			cat = m->missing;
		/* Rows of the same category add up (investment by 类别);
		 * a linear search is fine for chart-sized category counts. */
		for (k = 0; k < c->ncats && strcmp(c->cats[k], cat); k++)
			;
		if (k == c->ncats)
			c->cats[c->ncats++] = xstrdup(cat);
		for (j = 0; j < c->nseries; j++) {
			double x;
			int r = data_number(src->t, rows[i], (size_t)cols[j], &x);

			if (r < 0) {
				bad_cell(src->t, rows[i], (size_t)cols[j]);
				bad = 1;
				break;
			}
			if (r == 1) {
				c->values[j][k] += x;
				c->present[j][k] = 1;
			}
		}
	}
	free(rows);
	free(cols);
	if (bad) {
		model_chart_free(c);
		return NULL;
	}
	return c;
}

void
model_table_free(struct model_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->headers);
	free(t->aligns);
	free(t->widths);
	free(t->min_widths);
	free(t->max_widths);
	free(t->cells);
	free(t->row_bold);
	free(t->src_rows);
	free(t->src_cols);
	free(t);
}

/* One output row of a table: a source row, a 小计 after a group, or the
 * 合计. */
enum row_kind { ROW_DATA, ROW_SUBTOTAL, ROW_TOTAL };

struct orow {
	enum row_kind kind;
	size_t src;             /* ROW_DATA: source row; ROW_SUBTOTAL: a row
				 * of the group (for its label) */
};

/* A column VALUE written {EXPR | FORMAT …} is computed for each row. */
static int
is_row_expr(const char *v)
{
	size_t n = strlen(v);

	return n >= 2 && v[0] == '{' && v[n - 1] == '}';
}

/* Fills column col of t with cc's expression evaluated for every data row
 * (bare column names are the row's cells; the column FORMAT, if any, is
 * applied after the expression's own).  小计 and 合计 cells stay empty: a
 * computed column (a growth rate) does not add up.  The column is right-
 * aligned when every result is a figure.  Returns 0, or -1 after
 * reporting at loc. */
static int
expr_column(struct model *m, const struct source *src,
    const struct cfg_column *cc, const struct orow *plan, size_t nplan,
    struct model_table *t, size_t col, const struct diag_loc *loc)
{
	struct strbuf e, sb;
	size_t i;
	int numeric = 1, any = 0, rc = 0;

	sb_init(&e);
	sb_addn(&e, cc->value + 1, strlen(cc->value) - 2);
	if (cc->format != NULL) {
		sb_adds(&e, " | ");
		sb_adds(&e, cc->format);
	}
	sb_init(&sb);
	for (i = 0; i < nplan && rc == 0; i++) {
		double x;
		int pct;

		if (plan[i].kind != ROW_DATA) {
			t->cells[i * t->ncols + col] = xstrdup("");
			continue;
		}
		sb_clear(&sb);
		if (eval_one(m, src, plan[i].src, e.s, e.len, loc, &sb) != 0) {
			rc = -1;
			break;
		}
		t->cells[i * t->ncols + col] = xstrdup(sb_str(&sb));
		if (strcmp(sb_str(&sb), m->missing) == 0)
			continue;
		any = 1;
		if (parse_figure(sb_str(&sb), &x, &pct) != 0)
			numeric = 0;
	}
	t->aligns[col] = cc->align >= 0 ? (enum align)cc->align :
	    numeric && any ? ALIGN_RIGHT : ALIGN_LEFT;
	sb_free(&sb);
	sb_free(&e);
	return rc;
}

struct gkey {
	const char *text;       /* group value, NULL = missing */
	size_t pos;             /* position in rows[] */
	size_t first;           /* position of the group's first row */
	size_t row;
};

static int
cmp_gtext(const void *pa, const void *pb)
{
	const struct gkey *a = pa, *b = pb;
	int c;

	if (a->text == NULL || b->text == NULL)
		c = (a->text == NULL) - (b->text == NULL);
	else
		c = strcmp(a->text, b->text);
	return c != 0 ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

static int
cmp_gfirst(const void *pa, const void *pb)
{
	const struct gkey *a = pa, *b = pb;

	if (a->first != b->first)
		return (a->first > b->first) - (a->first < b->first);
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Reorders rows[0..n) so that rows of one group (column gcol) are
 * together, groups in order of first appearance, rows within a group in
 * their current order.  O(n log n). */
static void
group_rows(const struct data_table *t, size_t *rows, size_t n, size_t gcol)
{
	struct gkey *k = xcalloc(n + 1, sizeof(*k));
	size_t i, first = 0;

	for (i = 0; i < n; i++) {
		k[i].text = data_cell(t, rows[i], gcol);
		k[i].pos = i;
		k[i].row = rows[i];
	}
	qsort(k, n, sizeof(*k), cmp_gtext);
	for (i = 0; i < n; i++) {
		if (i == 0 || cmp_gtext(&(struct gkey){ k[i].text, 0, 0, 0 },
		    &(struct gkey){ k[i - 1].text, 0, 0, 0 }) != 0)
			first = k[i].pos;
		k[i].first = first;
	}
	qsort(k, n, sizeof(*k), cmp_gfirst);
	for (i = 0; i < n; i++)
		rows[i] = k[i].row;
	free(k);
}

/* Lays out the output rows: rows[0..n), a 小计 after each group when gcol
 * >= 0, a 合计 when total.  Returns a new array of *np rows. */
static struct orow *
plan_rows(const struct data_table *t, const size_t *rows, size_t n,
    long gcol, int total, size_t *np)
{
	struct orow *p = xcalloc(2 * n + 2, sizeof(*p));
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		p[k].kind = ROW_DATA;
		p[k++].src = rows[i];
		if (gcol >= 0) {
			const char *a = data_cell(t, rows[i], (size_t)gcol);
			const char *b = i + 1 < n ? data_cell(t, rows[i + 1],
			    (size_t)gcol) : NULL;
			if (i + 1 == n || (a == NULL) != (b == NULL) ||
			    (a != NULL && strcmp(a, b) != 0)) {
				p[k].kind = ROW_SUBTOTAL;
				p[k++].src = rows[i];
			}
		}
	}
	if (total && n > 0)
		p[k++].kind = ROW_TOTAL;
	*np = k;
	return p;
}

struct model_table *
model_table(struct model *m, const struct cfg_table *ct,
    const struct diag_loc *loc)
{
	const struct source *src = find_source(m, ct->source);
	struct model_table *t;
	size_t *rows, nrows = 0, c, i, k, off, nplan;
	long *cols, gcol = -1;
	int bad = 0, desc;
	struct orow *plan;
	struct parser ps;
	char **fmts;
	size_t nf;

	if (src == NULL) {
		diag_error(EXIT_USAGE, loc, "source \"%s\" is not loaded",
		    ct->source);
		return NULL;
	}
	memset(&ps, 0, sizeof(ps));
	ps.m = m;
	ps.loc = *loc;
	cols = xcalloc(ct->ncols, sizeof(*cols));
	for (c = 0; c < ct->ncols; c++) {
		if (is_row_expr(ct->cols[c].value))
			cols[c] = -1;           /* computed per row */
		else if ((cols[c] = data_column(src->t, ct->cols[c].value)) <
		    0) {
			char key[32];
			struct diag_loc l = *loc;
			snprintf(key, sizeof(key), "col%zu", c + 1);
			l.key = key;
			diag_error(EXIT_DATA, &l, "column \"%s\" is not in %s",
			    ct->cols[c].value, data_path(src->t));
			bad = 1;
		}
	}
	if (bad) {
		free(cols);
		return NULL;
	}

	if ((rows = select_rows(m, src, ct->filter, loc, &nrows)) == NULL) {
		free(cols);
		return NULL;
	}
	if (ct->sort != NULL) {
		long sc;
		struct diag_loc l = *loc;

		l.key = "sort";
		if (parse_sort(ct->sort, src, &l, &sc, &desc) != 0) {
			free(rows);
			free(cols);
			return NULL;
		}
		sort_rows(src->t, rows, nrows, (size_t)sc, desc);
	}
	if (ct->limit > 0 && (size_t)ct->limit < nrows)
		nrows = (size_t)ct->limit;

	if (ct->group != NULL) {
		struct diag_loc l = *loc;
		l.key = "group";
		if ((gcol = data_column(src->t, ct->group)) < 0) {
			diag_error(EXIT_USAGE, &l, "column \"%s\" is not in %s",
			    ct->group, data_path(src->t));
			free(rows);
			free(cols);
			return NULL;
		}
		group_rows(src->t, rows, nrows, (size_t)gcol);
	}
	plan = plan_rows(src->t, rows, nrows, gcol, ct->total, &nplan);

	off = ct->number ? 1 : 0;
	t = xcalloc(1, sizeof(*t));
	t->ncols = ct->ncols + off;
	t->nrows = nplan;
	t->headers = xcalloc(t->ncols, sizeof(*t->headers));
	t->aligns = xcalloc(t->ncols, sizeof(*t->aligns));
	t->widths = xcalloc(t->ncols, sizeof(*t->widths));
	t->min_widths = xcalloc(t->ncols, sizeof(*t->min_widths));
	t->max_widths = xcalloc(t->ncols, sizeof(*t->max_widths));
	t->cells = xcalloc(nplan * t->ncols + 1, sizeof(*t->cells));
	t->row_bold = xcalloc(nplan + 1, sizeof(*t->row_bold));
	t->src = src->t;
	t->src_rows = xcalloc(nplan + 1, sizeof(*t->src_rows));
	t->src_cols = xcalloc(t->ncols + 1, sizeof(*t->src_cols));
	for (i = 0; i < nplan; i++) {
		t->src_rows[i] = plan[i].kind == ROW_DATA ? plan[i].src :
		    (size_t)-1;
		t->row_bold[i] = plan[i].kind != ROW_DATA;
	}
	for (c = 0; c < t->ncols; c++)
		t->src_cols[c] = c < off ? -1 : cols[c - off];
	if (ct->number) {
		t->headers[0] = xstrdup("序号");
		t->aligns[0] = ALIGN_CENTER;
		for (i = 0, k = 0; i < nplan; i++)
			t->cells[i * t->ncols] = plan[i].kind == ROW_DATA ?
			    xasprintf("%zu", ++k) : xstrdup("");
	}
	for (c = 0; c < ct->ncols && !bad; c++) {
		const struct cfg_column *cc = &ct->cols[c];
		struct strbuf sb;
		char key[32];
		int numeric = nrows > 0, dec = 0;
		double gsum = 0, tsum = 0, x;

		snprintf(key, sizeof(key), "col%zu", c + 1);
		t->headers[c + off] = xstrdup(cc->header);
		t->widths[c + off] = cc->width_mm * 2.834645669;
		t->min_widths[c + off] = cc->min_mm * 2.834645669;
		t->max_widths[c + off] = cc->max_mm * 2.834645669;
		if (cols[c] < 0) {
			struct diag_loc l = *loc;

			l.key = key;
			if (expr_column(m, src, cc, plan, nplan, t, c + off,
			    &l) != 0)
				bad = 1;
			continue;
		}
		fmts = cc->format ? split_pipes(cc->format, strlen(cc->format),
		    &nf) : NULL;
		if (fmts == NULL)
			nf = 0;
		ps.loc = *loc;
		ps.loc.key = key;
		ps.s = cc->format ? cc->format : "";
		ps.len = strlen(ps.s);
		/* A column is numeric when every cell it has is a figure; its
		 * sums print with the widest decimals. */
		for (i = 0; i < nrows && numeric; i++) {
			const char *cell = data_cell(src->t, rows[i],
			    (size_t)cols[c]);
			int d;
			if (cell == NULL)
				continue;
			if (data_number(src->t, rows[i], (size_t)cols[c], &x) != 1)
				numeric = 0;
			else if ((d = text_decimals(cell)) > dec)
				dec = d;
		}
		t->aligns[c + off] = cc->align >= 0 ? (enum align)cc->align :
		    numeric ? ALIGN_RIGHT : ALIGN_LEFT;
		sb_init(&sb);
		for (i = 0; i < nplan && !bad; i++) {
			char **cellp = &t->cells[i * t->ncols + c + off];
			struct val v;

			if (plan[i].kind != ROW_DATA) {
				if (!numeric)
					continue;
				/* 小计 and 合计: the column's sums, in its
				 * format. */
				val_num(&v, plan[i].kind == ROW_SUBTOTAL ? gsum :
				    tsum, dec, 0);
				if (plan[i].kind == ROW_SUBTOTAL)
					gsum = 0;
				sb_clear(&sb);
				ps.failed = 0;
				print_val(&ps, &v, fmts, nf, &sb);
				if (ps.failed)
					bad = 1;   /* a sum too large to print */
				*cellp = xstrdup(sb_str(&sb));
				continue;
			}
			if (data_number(src->t, plan[i].src, (size_t)cols[c],
			    &x) == 1) {
				gsum += x;
				tsum += x;
			}
			if (data_cell(src->t, plan[i].src, (size_t)cols[c]) ==
			    NULL)
				continue;
			sb_clear(&sb);
			if (nf == 0)
				sb_adds(&sb, data_cell(src->t, plan[i].src,
				    (size_t)cols[c]));
			else if (format_cell(&ps, src, plan[i].src,
			    (size_t)cols[c], fmts, nf, &sb) != 0)
				bad = 1;
			*cellp = xstrdup(sb_str(&sb));
		}
		sb_free(&sb);
		strv_free(fmts);
	}
	/* Labels: "合计" and "XX小计" go in the first column without a sum. */
	for (i = 0; i < nplan && !bad; i++) {
		size_t first = off;
		const char *g;

		if (plan[i].kind == ROW_DATA)
			continue;
		while (first < t->ncols && t->cells[i * t->ncols + first] !=
		    NULL)
			first++;
		if (first == t->ncols)
			first = off;
		free(t->cells[i * t->ncols + first]);
		g = plan[i].kind == ROW_SUBTOTAL ?
		    data_cell(src->t, plan[i].src, (size_t)gcol) : NULL;
		t->cells[i * t->ncols + first] = plan[i].kind == ROW_TOTAL ?
		    xstrdup("合计") : xasprintf("%s小计", g ? g : "");
		for (c = 0; c < t->ncols; c++)
			if (t->cells[i * t->ncols + c] == NULL)
				t->cells[i * t->ncols + c] = xstrdup("");
	}
	free(plan);
	free(rows);
	free(cols);
	if (bad) {
		model_table_free(t);
		return NULL;
	}
	return t;
}
