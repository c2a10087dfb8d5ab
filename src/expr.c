/* Expr: lexer and parser of placeholder expressions (see expr.h and the
 * placeholder reference in README.md).
 *
 * The lexer is a handful of functions over the text (skipws, accept,
 * read_name, read_value); the parser is recursive descent building
 * struct expr_node.  Neither looks at data. */
#include "expr.h"
#include "format.h"
#include "period.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s;          /* the expression (or condition) */
	size_t pos, len;
	struct diag_loc loc;
	int col0;               /* column of s[0] in loc's line; 0 = unknown:
	                           errors are reported at loc itself */
	int failed;
	int depth;
	size_t colb, cole;      /* the last unquoted column name read, or 0 0 */
};

static void perr(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* When the error is right after an unquoted column name, followed by a
 * space or a comma and more name characters (a column such as "投资 额"
 * or "投资,万元"), appends to buf how to write it: in double quotes. */
static void
quote_hint(const struct parser *ps, char *buf, size_t size)
{
	size_t i = ps->cole, e, n;

	if (ps->cole == 0 || ps->pos < ps->cole)
		return;
	while (i < ps->len && (ps->s[i] == ' ' || ps->s[i] == '\t'))
		i++;
	if (i < ps->len && ps->s[i] == ',')
		i++;
	if (i < ps->pos && ps->pos != ps->cole)
		return;
	if (i == ps->cole || i >= ps->len ||
	    strchr(" \t[](),|<>=!\"}", ps->s[i]) != NULL)
		return;
	for (e = i; e < ps->len && !strchr("[]()|<>=!\"}", ps->s[e]); e++)
		;
	while (e > i && (ps->s[e - 1] == ' ' || ps->s[e - 1] == ','))
		e--;
	/* One more word only: "投资额 whre 状态 = 签约" is a misspelt
	 * keyword, not a name. */
	if (memchr(ps->s + i, ' ', e - i) != NULL ||
	    memchr(ps->s + i, ',', e - i) != NULL)
		return;
	n = strlen(buf);
	snprintf(buf + n, size - n, _("; a column name with spaces or commas "
	    "is written in double quotes: \"%.*s\""),
	    (int)utf8_clip(ps->s + ps->colb, e - ps->colb, 120),
	    ps->s + ps->colb);
}

/* Reports the first error of a placeholder; later ones follow from it. */
static void
perr(struct parser *ps, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (ps->failed)
		return;
	struct diag_loc at = ps->loc;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), _(fmt), ap);	/* translated (diag.h) */
	va_end(ap);
	quote_hint(ps, buf, sizeof(buf));
	/* at the character where parsing stopped */
	if (ps->col0 > 0)
		at.col = ps->col0 + (int)utf8_count(ps->s, ps->pos < ps->len ?
		    ps->pos : ps->len);
	/* A placeholder quoted in full could be megabytes long. */
	diag_error(EXIT_TEMPLATE, &at, "%s in {%.*s%s}", buf,
	    (int)utf8_clip(ps->s, ps->len, 200), ps->s,
	    utf8_clip(ps->s, ps->len, 200) < ps->len ? "…" : "");
	ps->failed = 1;
}

/* ------------------------------------------------------------------ lexer */

static void
skipws(struct parser *ps)
{
	for (;;) {
		while (ps->pos < ps->len &&
		    (ps->s[ps->pos] == ' ' || ps->s[ps->pos] == '\t'))
			ps->pos++;
		/* A full-width space counts as white space too. */
		if (ps->pos + 3 <= ps->len &&
		    !memcmp(ps->s + ps->pos, "\xE3\x80\x80", 3))
			ps->pos += 3;
		else
			return;
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

/* ≠ ≤ ≥ and the full-width space end a name too. */
static int
is_special3(const struct parser *ps)
{
	const char *p = ps->s + ps->pos;

	return ps->pos + 3 <= ps->len && (!memcmp(p, "≠", 3) ||
	    !memcmp(p, "≤", 3) || !memcmp(p, "≥", 3) ||
	    !memcmp(p, "\xE3\x80\x80", 3));
}

/* Reads a name: "quoted" or a run of non-special characters (CJK
 * included).  Returns a new string or NULL (nothing there, or an
 * unterminated quote, reported). */
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
	    !is_special3(ps))
		ps->pos++;
	if (ps->pos == b)
		return NULL;
	return xstrndup(ps->s + b, ps->pos - b);
}

/* Consumes the word w if it comes next. */
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

/* The length of a "(…)" group at p (p[0] == '('), or 0 when it does not
 * close before the end, a quote, a bracket, a separator or white space:
 * the group is then syntax, not part of a name. */
static size_t
paren_group(const char *p, size_t avail)
{
	size_t i;

	for (i = 1; i < avail; i++) {
		if (p[i] == ')')
			return i > 1 ? i + 1 : 0;
		if (strchr(" \t[](,|\"<>=!", p[i]) != NULL)
			return 0;
	}
	return 0;
}

/* Extends the name that ends at ps->pos (began at b) over what cannot be
 * syntax right after a column name: a closed "(…)" group with no
 * separator inside, or a "." followed by a name character, as in
 * 折合人民币(万元) or 增速.同比.  Returns the whole name, new. */
static char *
extend_name(struct parser *ps, size_t b)
{
	size_t g;

	for (;;) {
		while (ps->pos < ps->len && !is_special(ps->s[ps->pos]) &&
		    !is_special3(ps))
			ps->pos++;
		if (ps->pos < ps->len && ps->s[ps->pos] == '(' &&
		    (g = paren_group(ps->s + ps->pos, ps->len - ps->pos)) > 0)
			ps->pos += g;
		else if (ps->pos + 1 < ps->len && ps->s[ps->pos] == '.' &&
		    !is_special(ps->s[ps->pos + 1]))
			ps->pos++;
		else
			break;
	}
	return xstrndup(ps->s + b, ps->pos - b);
}

/* A column name: "quoted", or a name that may hold ( ) % / . where they
 * cannot be syntax (extend_name).  Returns a new string or NULL. */
static char *
read_colname(struct parser *ps)
{
	size_t b;
	char *name;

	skipws(ps);
	if (ps->pos < ps->len && ps->s[ps->pos] == '"')
		return read_name(ps);
	b = ps->pos;
	if (ps->pos >= ps->len || is_special(ps->s[ps->pos]) ||
	    is_special3(ps))
		return NULL;
	name = extend_name(ps, b);
	ps->colb = b;
	ps->cole = ps->pos;
	return name;
}

/* A value in a condition: "quoted", or anything up to white space, ',',
 * ')' or '|'. */
static char *
read_value(struct parser *ps)
{
	size_t b;

	skipws(ps);
	if (ps->pos < ps->len && ps->s[ps->pos] == '"')
		return read_name(ps);
	b = ps->pos;
	while (ps->pos < ps->len && !strchr(" \t,)|", ps->s[ps->pos]))
		ps->pos++;
	if (ps->pos == b)
		return NULL;
	return xstrndup(ps->s + b, ps->pos - b);
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

char **
expr_split_pipes(const char *s, size_t n, size_t *cnt)
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

/* ---------------------------------------------------------------- filters */

void
expr_filter_free(struct expr_filter *f)
{
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		for (j = 0; j < f->c[i].nvals; j++)
			free(f->c[i].vals[j]);
		for (j = 0; j < f->c[i].nvals; j++)
			free(f->c[i].pnames[j]);
		free(f->c[i].pnames);
		free(f->c[i].column);
		free(f->c[i].vals);
		free(f->c[i].nums);
		free(f->c[i].isnum);
	}
	free(f->c);
	free(f->text);
	free(f);
}

/* Sets value i of c to v (owned) and its reading as a figure. */
static void
cond_set_value(struct expr_cond *c, size_t i, char *v)
{
	double d;

	c->vals[i] = v;
	c->isnum[i] = parse_figure(v, &d, NULL) == 0;
	c->nums[i] = c->isnum[i] ? d : 0;
}

/* Adds value v (owned); bare: it was written without quotes, so a period
 * name stands for the period's value. */
static void
cond_add_value(struct expr_cond *c, char *v, int bare)
{
	struct period any = { 2000, 1 };
	char buf[32];

	c->vals = xreallocarray(c->vals, c->nvals + 1, sizeof(*c->vals));
	c->pnames = xreallocarray(c->pnames, c->nvals + 1,
	    sizeof(*c->pnames));
	c->nums = xreallocarray(c->nums, c->nvals + 1, sizeof(*c->nums));
	c->isnum = xreallocarray(c->isnum, c->nvals + 1, sizeof(*c->isnum));
	c->pnames[c->nvals] = bare && period_value(&any, v, buf,
	    sizeof(buf)) ? xstrdup(v) : NULL;
	cond_set_value(c, c->nvals, v);
	c->nvals++;
}

void
expr_filter_bind(struct expr_filter *f, const struct period *p)
{
	char buf[32];
	size_t i, j;

	for (i = 0; f != NULL && i < f->n; i++)
		for (j = 0; j < f->c[i].nvals; j++) {
			if (f->c[i].pnames[j] == NULL)
				continue;
			(void)period_value(p, f->c[i].pnames[j], buf,
			    sizeof(buf));
			free(f->c[i].vals[j]);
			cond_set_value(&f->c[i], j, xstrdup(buf));
		}
}

/* A comparison operator (not "in") into *op.  Returns 1, or 0 when none
 * comes next. */
static int
accept_cmp(struct parser *ps, enum expr_op *op)
{
	static const struct { const char *tok; enum expr_op op; } ops[] = {
		{ "!=", OP_NE }, { "≠", OP_NE }, { "<=", OP_LE },
		{ "≤", OP_LE }, { ">=", OP_GE }, { "≥", OP_GE },
		{ "=", OP_EQ }, { "<", OP_LT }, { ">", OP_GT },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (accept(ps, ops[i].tok)) {
			*op = ops[i].op;
			return 1;
		}
	return 0;
}

/* Reads the operator of a condition into *op.  Returns 0 or -1. */
static int
parse_op(struct parser *ps, enum expr_op *op)
{
	if (accept_cmp(ps, op))
		return 0;
	if (peek_word(ps, "in")) {
		*op = OP_IN;
		return 0;
	}
	if (peek_word(ps, "is")) {
		*op = peek_word(ps, "not") ? OP_NOTBLANK : OP_BLANK;
		if (peek_word(ps, "blank"))
			return 0;
		perr(ps, "expected \"blank\" after \"is\" or \"is not\" at "
		    "character %zu", utf8_count(ps->s, ps->pos) + 1);
		return -1;
	}
	perr(ps, "expected an operator (= != < <= > >= in, is blank, "
	    "is not blank)");
	return -1;
}

/* Reads the value(s) after the operator of c.  Returns 0 or -1. */
static int
parse_cond_values(struct parser *ps, struct expr_cond *c)
{
	char *v;
	int bare;

	if (c->op == OP_BLANK || c->op == OP_NOTBLANK)
		return 0;
	if (c->op != OP_IN) {
		skipws(ps);
		bare = ps->pos < ps->len && ps->s[ps->pos] != '"';
		if ((v = read_value(ps)) == NULL) {
			perr(ps, "expected a value after the operator");
			return -1;
		}
		cond_add_value(c, v, bare);
		return 0;
	}
	expect(ps, "(");
	do {
		skipws(ps);
		bare = ps->pos < ps->len && ps->s[ps->pos] != '"';
		if ((v = read_value(ps)) == NULL) {
			perr(ps, "expected a value in the list");
			return -1;
		}
		cond_add_value(c, v, bare);
	} while (accept(ps, ","));
	expect(ps, ")");
	return ps->failed ? -1 : 0;
}

/* Parses "COL OP VALUE [and COL OP VALUE …]".  Returns the filter, or
 * NULL after reporting. */
static struct expr_filter *
parse_filter(struct parser *ps)
{
	struct expr_filter *f = xcalloc(1, sizeof(*f));
	size_t b;

	skipws(ps);
	b = ps->pos;
	do {
		struct expr_cond *c;
		char *col = read_colname(ps);

		if (col == NULL) {
			perr(ps, "expected a column name in the condition");
			break;
		}
		f->c = xreallocarray(f->c, f->n + 1, sizeof(*f->c));
		c = &f->c[f->n++];
		memset(c, 0, sizeof(*c));
		c->column = col;
		if (parse_op(ps, &c->op) != 0 ||
		    parse_cond_values(ps, c) != 0)
			break;
	} while (!ps->failed && peek_word(ps, "and"));
	if (ps->failed) {
		expr_filter_free(f);
		return NULL;
	}
	f->text = str_trim(xstrndup(ps->s + b, ps->pos - b));
	return f;
}

struct expr_filter *
expr_parse_filter(const char *s, const struct diag_loc *loc)
{
	struct parser ps;
	struct expr_filter *f;

	memset(&ps, 0, sizeof(ps));
	ps.s = s;
	ps.len = strlen(s);
	ps.loc = *loc;
	if ((f = parse_filter(&ps)) == NULL)
		return NULL;
	skipws(&ps);
	if (ps.pos < ps.len) {
		perr(&ps, "unexpected \"%s\"", ps.s + ps.pos);
		expr_filter_free(f);
		return NULL;
	}
	return f;
}

/* ------------------------------------------------------------------ nodes */

static void
node_free(struct expr_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	free(n->name);
	free(n->key);
	strv_free(n->keys);
	free(n->column);
	expr_filter_free(n->where);
	for (i = 0; i < n->nitems; i++) {
		free(n->items[i].text);
		free(n->items[i].column);
		strv_free(n->items[i].fmts);
	}
	free(n->items);
	free(n->sep);
	free(n->last);
	free(n->prefix);
	node_free(n->a);
	node_free(n->b);
	free(n);
}

void
expr_free(struct expr *e)
{
	if (e == NULL)
		return;
	node_free(e->root);
	strv_free(e->fmts);
	free(e->text);
	free(e);
}

static struct expr_node *
new_node(enum expr_kind kind, size_t pos)
{
	struct expr_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->pos = pos;
	return n;
}

static struct expr_node *parse_expr(struct parser *ps);

/* Splits the key text s[0..n) of a lookup at ',' outside quotes into
 * n->keys, each trimmed and unquoted: SOURCE[KEY1, KEY2] for a source of
 * several key columns. */
static void
split_key(struct expr_node *n, const char *s, size_t len)
{
	size_t i, b = 0, k;
	int q = 0;

	for (i = 0; i <= len; i++) {
		char *part;

		if (i < len && s[i] == '"')
			q = !q;
		if (i < len && (q || s[i] != ','))
			continue;
		part = str_trim(xstrndup(s + b, i - b));
		k = strlen(part);
		if (k >= 2 && part[0] == '"' && part[k - 1] == '"') {
			memmove(part, part + 1, k - 2);
			part[k - 2] = '\0';
		}
		n->keys = xreallocarray(n->keys, n->nkeys + 2,
		    sizeof(*n->keys));
		n->keys[n->nkeys++] = part;
		n->keys[n->nkeys] = NULL;
		b = i + 1;
	}
}

/* SOURCE[KEY].COLUMN, after SOURCE.  A "quoted" key may hold ] and . */
static void
parse_lookup(struct parser *ps, struct expr_node *n)
{
	char *key;
	size_t b, kl;

	expect(ps, "[");
	skipws(ps);
	b = ps->pos;
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
	kl = strlen(key);
	if (key[0] == '"' && kl >= 2 && key[kl - 1] == '"') {
		memmove(key, key + 1, kl - 2);
		key[kl - 2] = '\0';
	}
	n->key = key;
	split_key(n, ps->s + b, ps->pos - b);
	expect(ps, "]");
	expect(ps, ".");
	if (ps->failed || (n->column = read_colname(ps)) == NULL)
		perr(ps, "expected SOURCE[KEY].COLUMN");
}

/* "( SOURCE" at the start of fn's arguments, into n->name. */
static int
open_args(struct parser *ps, const char *fn, struct expr_node *n)
{
	expect(ps, "(");
	if (ps->failed)
		return -1;
	if ((n->name = read_name(ps)) == NULL) {
		perr(ps, "expected a source name after %s(", fn);
		return -1;
	}
	return 0;
}

/* A column name of source n->name.  Returns it or NULL after reporting. */
static char *
read_column(struct parser *ps, const struct expr_node *n)
{
	char *name = read_colname(ps);

	if (name == NULL)
		perr(ps, "expected a column of source %s", n->name);
	return name;
}

/* count/sum/avg/min/max ( SOURCE[.COLUMN] [where COND] ) */
static void
parse_aggregate(struct parser *ps, const char *fn, struct expr_node *n)
{
	static const char *const names[] = { "count", "sum", "avg", "min",
	    "max" };
	size_t i;

	for (i = 0; i < 5; i++)
		if (!strcmp(fn, names[i]))
			n->agg = (enum expr_agg)i;
	if (open_args(ps, fn, n) != 0)
		return;
	if (n->agg != AGG_COUNT ||
	    (ps->pos < ps->len && ps->s[ps->pos] == '.')) {
		expect(ps, ".");
		if (ps->failed || (n->column = read_column(ps, n)) == NULL)
			return;
	}
	if (peek_word(ps, "where") && (n->where = parse_filter(ps)) == NULL)
		return;
	expect(ps, ")");
}

/* Parses a list pattern into items: literal text and [COLUMN|FORMAT…]. */
static void
parse_pattern(struct expr_node *n, const char *pat)
{
	const char *p = pat, *e;

	while (*p != '\0') {
		struct expr_item *it;
		size_t np;
		char **parts;

		n->items = xreallocarray(n->items, n->nitems + 1,
		    sizeof(*n->items));
		it = &n->items[n->nitems];
		memset(it, 0, sizeof(*it));
		if (*p != '[') {
			e = strchr(p, '[');
			if (e == NULL)
				e = p + strlen(p);
			it->text = xstrndup(p, (size_t)(e - p));
			n->nitems++;
			p = e;
			continue;
		}
		if ((e = strchr(p, ']')) == NULL) {
			n->pattern_open = 1;
			return;
		}
		parts = expr_split_pipes(p + 1, (size_t)(e - p - 1), &np);
		it->column = parts[0];
		it->fmts = xcalloc(np, sizeof(*it->fmts));
		memcpy(it->fmts, parts + 1, (np - 1) * sizeof(*parts));
		it->nfmts = np - 1;
		free(parts);
		n->nitems++;
		p = e + 1;
	}
}

/* list(SOURCE [where COND] [sort COLUMN [asc|desc]] [top N], "PATTERN"
 *      [, "SEPARATOR" [, "LAST SEPARATOR"]]) */
static void
parse_list(struct parser *ps, struct expr_node *n)
{
	char *pat;

	if (open_args(ps, "list", n) != 0)
		return;
	if (peek_word(ps, "where") && (n->where = parse_filter(ps)) == NULL)
		return;
	if (peek_word(ps, "sort") && (n->column = read_column(ps, n)) == NULL)
		return;
	if (n->column != NULL) {
		if (peek_word(ps, "desc"))
			n->desc = 1;
		else
			(void)peek_word(ps, "asc");
	}
	if (peek_word(ps, "prefix") && (n->prefix = read_string(ps)) == NULL)
		return;
	if (peek_word(ps, "top")) {
		char *c = read_name(ps);
		if (c == NULL || parse_long(c, 1, 100000, &n->top) != 0) {
			perr(ps, "top needs a whole number");
			free(c);
			return;
		}
		free(c);
	}
	expect(ps, ",");
	if (ps->failed || (pat = read_string(ps)) == NULL)
		return;
	parse_pattern(n, pat);
	free(pat);
	if (accept(ps, ",") && (n->sep = read_string(ps)) != NULL &&
	    accept(ps, ","))
		n->last = read_string(ps);
	expect(ps, ")");
}

/* growth/share/diff ( A , B ) */
static void
parse_binary(struct parser *ps, struct expr_node *n)
{
	expect(ps, "(");
	if (ps->failed)
		return;
	n->a = parse_expr(ps);
	expect(ps, ",");
	if (ps->failed)
		return;
	n->b = parse_expr(ps);
	expect(ps, ")");
}

/* A number literal: -?[0-9.]+ */
static struct expr_node *
parse_number(struct parser *ps)
{
	struct expr_node *n = new_node(EXPR_NUMBER, ps->pos);
	size_t b = ps->pos;
	char *num;

	ps->pos++;
	while (ps->pos < ps->len && strchr("0123456789.", ps->s[ps->pos]))
		ps->pos++;
	num = xstrndup(ps->s + b, ps->pos - b);
	if (parse_double(num, &n->num) != 0)
		perr(ps, "\"%s\" is not a number", num);
	else if (fabs(n->num) > ZJ_MAX_EXACT)
		perr(ps, "%s is beyond 2^53 - 1 (9007199254740991), too large to "
		    "compute with exactly", num);
	else
		n->dec = fmt_decimals(num);
	free(num);
	return n;
}

/* The function names, for "did you mean". */
static const char *const functions[] = { "count", "sum", "avg", "min",
    "max", "list", "growth", "share", "diff" };

const char *
expr_suggest(const char *name, const char *const *cands, size_t n)
{
	static char buf[512];
	const char *best = utf8_nearest(name, cands, n);

	if (best == NULL)
		return "";
	snprintf(buf, sizeof(buf), _("; did you mean \"%s\"?"), best);
	return buf;
}

const char *
expr_suggest_function(const char *name)
{
	return expr_suggest(name, functions, sizeof(functions) /
	    sizeof(functions[0]));
}

/* A name and what follows it: a lookup, a call, or a bare name. */
static struct expr_node *
parse_named(struct parser *ps, char *name, size_t pos)
{
	struct expr_node *n;

	skipws(ps);
	if (ps->pos < ps->len && ps->s[ps->pos] == '[') {
		n = new_node(EXPR_LOOKUP, pos);
		n->name = name;
		parse_lookup(ps, n);
		return n;
	}
	if (!strcmp(name, "count") || !strcmp(name, "sum") ||
	    !strcmp(name, "avg") || !strcmp(name, "min") ||
	    !strcmp(name, "max")) {
		n = new_node(EXPR_AGGREGATE, pos);
		parse_aggregate(ps, name, n);
	} else if (!strcmp(name, "list")) {
		n = new_node(EXPR_LIST, pos);
		parse_list(ps, n);
	} else if (!strcmp(name, "growth") || !strcmp(name, "share") ||
	    !strcmp(name, "diff")) {
		n = new_node(name[0] == 'g' ? EXPR_GROWTH : name[0] == 's' ?
		    EXPR_SHARE : EXPR_DIFF, pos);
		parse_binary(ps, n);
	} else {
		n = new_node(EXPR_NAME, pos);
		if (ps->pos < ps->len && ps->s[ps->pos] == '(' &&
		    paren_group(ps->s + ps->pos, ps->len - ps->pos) == 0) {
			perr(ps, "unknown function \"%s\"%s", name,
			    expr_suggest_function(name));
			free(name);
			return n;
		}
		/* A column of a table's row may be written 名称(单位). */
		ps->pos = pos;
		n->name = extend_name(ps, pos);
		free(name);
		return n;
	}
	free(name);
	return n;
}

/* Returns the node (possibly partial: check ps->failed). */
static struct expr_node *
parse_expr(struct parser *ps)
{
	struct expr_node *n;
	char *name;
	size_t pos;

	skipws(ps);
	if (ps->failed)
		return NULL;
	if (++ps->depth > EXPR_MAX_DEPTH) {
		perr(ps, "expressions nest more than %d deep at character %zu",
		    EXPR_MAX_DEPTH, utf8_count(ps->s, ps->pos) + 1);
		return NULL;
	}
	pos = ps->pos;
	if (ps->pos < ps->len && (ps->s[ps->pos] == '-' ||
	    (ps->s[ps->pos] >= '0' && ps->s[ps->pos] <= '9')))
		n = parse_number(ps);
	else if (ps->pos < ps->len && ps->s[ps->pos] == '"') {
		n = new_node(EXPR_TEXT, pos);
		n->name = read_name(ps);
	} else if ((name = read_name(ps)) == NULL) {
		perr(ps, "expected an expression");
		n = NULL;
	} else
		n = parse_named(ps, name, pos);
	ps->depth--;
	return n;
}


static struct expr_node *parse_cond(struct parser *ps);

/* not TERM | ( COND ) | EXPR [OP EXPR] */
static struct expr_node *
parse_term(struct parser *ps)
{
	struct expr_node *n, *a;
	enum expr_op op;
	size_t pos;

	skipws(ps);
	pos = ps->pos;
	if (ps->failed)
		return NULL;
	if (++ps->depth > EXPR_MAX_DEPTH) {
		perr(ps, "expressions nest more than %d deep at character %zu",
		    EXPR_MAX_DEPTH, utf8_count(ps->s, ps->pos) + 1);
		return NULL;
	}
	if (peek_word(ps, "not")) {
		n = new_node(EXPR_NOT, pos);
		n->a = parse_term(ps);
	} else if (accept(ps, "(")) {
		n = parse_cond(ps);
		if (n != NULL)
			n->paren = 1;
		expect(ps, ")");
	} else {
		a = parse_expr(ps);
		if (!ps->failed && accept_cmp(ps, &op)) {
			n = new_node(EXPR_CMP, pos);
			n->cmp = op;
			n->a = a;
			n->b = parse_expr(ps);
		} else
			n = a;
	}
	ps->depth--;
	return n;
}

/* TERM [and TERM …] [or TERM [and TERM …] …]: "and" binds tighter. */
static struct expr_node *
parse_cond(struct parser *ps)
{
	struct expr_node *n = parse_term(ps), *m;
	size_t pos;

	for (;;) {
		skipws(ps);
		pos = ps->pos;
		if (ps->failed)
			return n;
		if (peek_word(ps, "and")) {
			/* and binds tighter: into the right end of an or. */
			struct expr_node **slot = &n;

			while (*slot != NULL && (*slot)->kind == EXPR_OR &&
			    !(*slot)->paren)
				slot = &(*slot)->b;
			m = new_node(EXPR_AND, pos);
			m->a = *slot;
			m->b = parse_term(ps);
			*slot = m;
		} else if (peek_word(ps, "or")) {
			m = new_node(EXPR_OR, pos);
			m->a = n;
			m->b = parse_term(ps);
			n = m;
		} else
			return n;
	}
}

/* Sets e->ctl from the text: "else", "end", or "if COND" (then parses
 * COND into e->root).  Returns 1 if e is conditional text. */
static int
parse_ctl(struct parser *ps, struct expr *e)
{
	const char *t = e->text;

	if (!strcmp(t, "else") || !strcmp(t, "end")) {
		e->ctl = t[1] == 'l' ? CTL_ELSE : CTL_END;
		ps->pos = ps->len;
		if (e->nfmts > 0)
			perr(ps, "{%s} takes no format", t);
		return 1;
	}
	if (strncmp(t, "if", 2) != 0 || (t[2] != ' ' && t[2] != '\t' &&
	    t[2] != '(' && strncmp(t + 2, "\xE3\x80\x80", 3) != 0))
		return 0;
	e->ctl = CTL_IF;
	ps->pos = 2;
	skipws(ps);
	if (ps->pos >= ps->len)
		perr(ps, "{if} needs a condition, e.g. {if count(projects) > 0}");
	else
		e->root = parse_cond(ps);
	if (e->nfmts > 0)
		perr(ps, "{if} takes no format");
	return 1;
}

struct expr *
expr_parse(const char *s, size_t n, const struct diag_loc *loc)
{
	struct parser ps;
	struct expr *e = xcalloc(1, sizeof(*e));
	size_t nparts;
	char **parts = expr_split_pipes(s, n, &nparts);

	e->text = parts[0];
	e->loc = *loc;
	e->nfmts = nparts - 1;
	e->fmts = xcalloc(nparts, sizeof(*e->fmts));
	memcpy(e->fmts, parts + 1, nparts * sizeof(*parts));
	free(parts);
	memset(&ps, 0, sizeof(ps));
	ps.s = e->text;
	ps.len = strlen(e->text);
	ps.loc = *loc;
	/* A template's errors are reported at the '{' (loc); a loc with
	 * line but no column (--explain: the expression is the whole line)
	 * gets the column of the character where parsing stopped.  e->text
	 * is s without leading blanks. */
	if (loc != NULL && loc->line > 0 && loc->col == 0) {
		size_t lead = 0;

		while (lead < n && (s[lead] == ' ' || s[lead] == '\t' ||
		    (lead + 3 <= n && !memcmp(s + lead, "\xE3\x80\x80", 3))))
			lead += s[lead] == ' ' || s[lead] == '\t' ? 1 : 3;
		if (lead + ps.len <= n && !memcmp(s + lead, e->text, ps.len))
			ps.col0 = 1 + (int)utf8_count(s, lead);
	}
	if (!parse_ctl(&ps, e))
		e->root = parse_expr(&ps);
	skipws(&ps);
	if (!ps.failed && ps.pos < ps.len)
		perr(&ps, "unexpected \"%s\"", ps.s + ps.pos);
	if (ps.failed) {
		expr_free(e);
		return NULL;
	}
	return e;
}

/* ---------------------------------------------------------------- printing */

static void
print_quoted(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
print_filter(FILE *fp, const struct expr_filter *f)
{
	static const char *const ops[] = { "=", "!=", "<", "<=", ">", ">=",
	    "in", "blank", "not-blank" };
	size_t i, j;

	if (f == NULL)
		return;
	fputs(" (where", fp);
	for (i = 0; i < f->n; i++) {
		fprintf(fp, " (%s %s", ops[f->c[i].op], f->c[i].column);
		for (j = 0; j < f->c[i].nvals; j++) {
			fputc(' ', fp);
			if (f->c[i].pnames[j] != NULL)
				fputs(f->c[i].pnames[j], fp);
			else
				print_quoted(fp, f->c[i].vals[j]);
		}
		fputc(')', fp);
	}
	fputc(')', fp);
}

static void
print_node(FILE *fp, const struct expr_node *n)
{
	static const char *const aggs[] = { "count", "sum", "avg", "min",
	    "max" };
	static const char *const cmps[] = { "=", "!=", "<", "<=", ">", ">=" };
	size_t i;

	if (n == NULL)
		return;
	switch (n->kind) {
	case EXPR_NUMBER:
		fprintf(fp, "%.*f", n->dec, n->num);
		break;
	case EXPR_TEXT:
		print_quoted(fp, n->name);
		break;
	case EXPR_NAME:
		fputs(n->name, fp);
		break;
	case EXPR_LOOKUP:
		fprintf(fp, "(lookup %s ", n->name);
		for (i = 0; n->nkeys > 1 && i < n->nkeys; i++) {
			print_quoted(fp, n->keys[i]);
			fputc(' ', fp);
		}
		if (n->nkeys <= 1)
			print_quoted(fp, n->key);
		fprintf(fp, "%s%s)", n->nkeys <= 1 ? " " : "", n->column);
		break;
	case EXPR_AGGREGATE:
		fprintf(fp, "(%s %s", aggs[n->agg], n->name);
		if (n->column != NULL)
			fprintf(fp, ".%s", n->column);
		print_filter(fp, n->where);
		fputc(')', fp);
		break;
	case EXPR_LIST:
		fprintf(fp, "(list %s", n->name);
		print_filter(fp, n->where);
		if (n->column != NULL)
			fprintf(fp, " (sort %s %s)", n->column,
			    n->desc ? "desc" : "asc");
		if (n->top > 0)
			fprintf(fp, " (top %ld)", n->top);
		if (n->prefix != NULL) {
			fputs(" (prefix ", fp);
			print_quoted(fp, n->prefix);
			fputc(')', fp);
		}
		fputs(" (pattern", fp);
		for (i = 0; i < n->nitems; i++) {
			fputc(' ', fp);
			if (n->items[i].column != NULL)
				fprintf(fp, "[%s]", n->items[i].column);
			else
				print_quoted(fp, n->items[i].text);
		}
		fputc(')', fp);
		fputc(')', fp);
		break;
	case EXPR_GROWTH:
	case EXPR_SHARE:
	case EXPR_DIFF:
	case EXPR_CMP:
	case EXPR_AND:
	case EXPR_OR:
		fprintf(fp, "(%s ", n->kind == EXPR_GROWTH ? "growth" :
		    n->kind == EXPR_SHARE ? "share" : n->kind == EXPR_DIFF ?
		    "diff" : n->kind == EXPR_AND ? "and" : n->kind == EXPR_OR ?
		    "or" : cmps[n->cmp]);
		print_node(fp, n->a);
		fputc(' ', fp);
		print_node(fp, n->b);
		fputc(')', fp);
		break;
	case EXPR_NOT:
		fputs("(not ", fp);
		print_node(fp, n->a);
		fputc(')', fp);
		break;
	}
}

void
expr_print(const struct expr *e, FILE *fp)
{
	size_t i;

	if (e->ctl != CTL_NONE)
		fputs(e->ctl == CTL_IF ? "(if " : e->ctl == CTL_ELSE ? "(else" :
		    "(end", fp);
	print_node(fp, e->root);
	if (e->ctl != CTL_NONE)
		fputc(')', fp);
	for (i = 0; i < e->nfmts; i++)
		fprintf(fp, " | %s", e->fmts[i]);
}

/* ---------------------------------------------------------------- scanning */

static void
add_run(struct expr_run **v, size_t *n, int fig, char *text, int col)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].is_figure = fig;
	(*v)[*n].text = text;
	(*v)[*n].col = col;
	(*n)++;
}

/* Ends the literal run in lit, if any. */
static void
flush_literal(struct expr_run **v, size_t *n, struct strbuf *lit, int col)
{
	if (lit->len > 0)
		add_run(v, n, 0, sb_detach(lit), col);
}

struct expr_run *
expr_scan(const char *text, const struct diag_loc *loc, size_t *n,
    int *failed)
{
	const char *s = text, *e;
	struct diag_loc here = *loc;
	struct expr_run *v = NULL;
	struct strbuf lit;
	int col = loc->col > 0 ? loc->col : 1, litcol = col;

	*n = 0;
	sb_init(&lit);
	while (*s != '\0') {
		if (lit.len == 0)
			litcol = col;
		if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
			sb_addc(&lit, *s);
			s += 2;
			col += 2;
			continue;
		}
		if (*s == '}') {
			here.col = col;
			diag_error(EXIT_TEMPLATE, &here, "unmatched \"}\" (write "
			    "}} for a literal brace)");
			*failed = 1;
			s++;
			continue;
		}
		if (*s != '{') {
			if (((unsigned char)*s & 0xC0) != 0x80)
				col++;
			sb_addc(&lit, *s++);
			continue;
		}
		here.col = col;
		e = strpbrk(s + 1, "{}");
		if (e == NULL) {
			diag_error(EXIT_TEMPLATE, &here, "unterminated "
			    "placeholder \"%.*s\"", (int)utf8_clip(s,
			    strlen(s), 20), s);
			*failed = 1;
			break;
		}
		if (*e == '{') {
			/* Reported at the '{' never closed, not as a name
			 * running into the next placeholder. */
			size_t k = utf8_clip(s, (size_t)(e - s), 40);

			diag_error(EXIT_TEMPLATE, &here, "placeholder \"%.*s%s\" "
			    "is not closed: \"}\" missing before the \"{\" at "
			    "column %d", (int)k, s, k < (size_t)(e - s) ? "…" : "",
			    col + (int)utf8_count(s, (size_t)(e - s)));
			*failed = 1;
			break;
		}
		flush_literal(&v, n, &lit, litcol);
		add_run(&v, n, 1, xstrndup(s + 1, (size_t)(e - s - 1)), col);
		col += (int)utf8_count(s, (size_t)(e - s + 1));
		s = e + 1;
	}
	flush_literal(&v, n, &lit, litcol);
	sb_free(&lit);
	return v;
}

void
expr_runs_free(struct expr_run *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].text);
	free(r);
}
