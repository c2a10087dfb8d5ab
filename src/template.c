/* Template: parsing the narrative into the document tree (see
 * template.h). */
#include "template.h"
#include "config.h"
#include "diag.h"
#include "doc.h"
#include "eval.h"
#include "expr.h"
#include "input.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chinese numeral for 1..99 (一 … 九十九). */
static void
cn_numeral(int n, char *buf, size_t size)
{
	static const char *const d[] = { "", "一", "二", "三", "四", "五",
	    "六", "七", "八", "九" };
	int t = n / 10, u = n % 10;

	if (n <= 0 || n >= 100)
		snprintf(buf, size, "%d", n);
	else if (t == 0)
		snprintf(buf, size, "%s", d[u]);
	else
		snprintf(buf, size, "%s十%s", t == 1 ? "" : d[t], d[u]);
}

void
tpl_number(int level, int n, char *buf, size_t size)
{
	char cn[32];

	switch (level) {
	case 1:
		cn_numeral(n, cn, sizeof(cn));
		snprintf(buf, size, "%s、", cn);
		break;
	case 2:
		cn_numeral(n, cn, sizeof(cn));
		snprintf(buf, size, "（%s）", cn);
		break;
	case 3:
		snprintf(buf, size, "%d.", n);
		break;
	default:
		snprintf(buf, size, "（%d）", n);
		break;
	}
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

struct builder {
	struct doc *d;
	long para;              /* the open paragraph node, -1 = none */
	long runin;             /* a run-in heading waiting for its
	                           paragraph (a PARA node), -1 = none */
	int counters[5];
};

/* Appends the runs of text (literal, placeholders parsed) to node ni;
 * loc is the text's file, line (or INI key) and first column.  Errors go
 * to d->nerrors. */
static void
add_runs(struct doc *d, size_t ni, const char *text,
    const struct diag_loc *loc)
{
	struct expr_run *runs;
	size_t n, i;
	int failed = 0;

	runs = expr_scan(text, loc, &n, &failed);
	for (i = 0; i < n; i++) {
		struct diag_loc here = *loc;
		struct doc_inline *in;

		here.col = runs[i].col;
		in = doc_add_inline(&d->nodes[ni], &here);
		in->is_figure = runs[i].is_figure;
		in->source = runs[i].text;
		runs[i].text = NULL;
		if (in->is_figure && (in->expr = expr_parse(in->source,
		    strlen(in->source), &here)) == NULL)
			failed = 1;
	}
	expr_runs_free(runs, n);
	if (failed)
		d->nerrors++;
}

/* Ends the current paragraph (and any run-in heading waiting for it). */
static void
flush(struct builder *b)
{
	b->para = -1;
	b->runin = -1;
}

static void
error_at(struct builder *b, struct diag_loc *loc, int col, const char *fmt,
    const char *arg)
{
	loc->col = col;
	diag_error(EXIT_TEMPLATE, loc, fmt, arg);
	b->d->nerrors++;
}

/* A block line: @table NAME, @chart NAME, @pagebreak. */
static void
block_line(struct builder *b, char *s, struct diag_loc *loc, int lead)
{
	struct doc_node *n;
	char *arg;

	flush(b);
	arg = s + 1;
	while (*arg != '\0' && *arg != ' ' && *arg != '\t')
		arg++;
	if (*arg != '\0')
		*arg++ = '\0';
	while (*arg == ' ' || *arg == '\t')
		arg++;
	loc->col = lead + 1;
	if ((!strcmp(s, "@table") || !strcmp(s, "@chart")) && *arg != '\0' &&
	    strchr(arg, ' ') == NULL) {
		n = doc_add(b->d, s[1] == 't' ? DOC_TABLE : DOC_CHART, loc);
		n->name = xstrdup(arg);
	} else if (!strcmp(s, "@pagebreak") && *arg == '\0')
		(void)doc_add(b->d, DOC_PAGEBREAK, loc);
	else
		error_at(b, loc, lead + 1, "unknown block line \"%s\" (expected "
		    "@table NAME, @chart NAME or @pagebreak)", s);
}

/* A heading line "### TEXT" of level (1-4 checked here).  A level 3-4
 * heading ending in 。 or ： (as written) runs into its paragraph. */
static void
heading_line(struct builder *b, const char *s, int level,
    struct diag_loc *loc, int lead)
{
	struct doc_node *n;
	const char *text;
	char num[32];
	int k;

	flush(b);
	if (level > 4) {
		error_at(b, loc, lead + 1, "headings go down to level 4 "
		    "(####)%s", "");
		return;
	}
	b->counters[level]++;
	for (k = level + 1; k <= 4; k++)
		b->counters[k] = 0;
	text = s + level;
	while (*text == ' ' || *text == '\t')
		text++;
	loc->col = lead + 1;
	tpl_number(level, b->counters[level], num, sizeof(num));
	if (level >= 3 && (ends_with(text, "。") || ends_with(text, "："))) {
		n = doc_add(b->d, DOC_PARA, loc);
		b->runin = (long)(b->d->n - 1);
	} else
		n = doc_add(b->d, DOC_HEADING, loc);
	n->level = level;
	n->number = xstrdup(num);
	loc->col = lead + (int)utf8_count(s, (size_t)(text - s)) + 1;
	add_runs(b->d, b->d->n - 1, text, loc);
	if (b->runin >= 0)
		b->d->nodes[b->runin].runin_ninl = b->d->nodes[b->runin].ninl;
}

/* A line of paragraph text: a new paragraph, the paragraph of a waiting
 * run-in heading, or a further line (joined). */
static void
para_line(struct builder *b, const char *s, struct diag_loc *loc, int lead)
{
	loc->col = lead + 1;
	if (b->para >= 0) {
		struct doc_node *n = &b->d->nodes[b->para];
		doc_add_inline(n, loc)->is_join = 1;
	} else if (b->runin >= 0)
		b->para = b->runin;
	else {
		(void)doc_add(b->d, DOC_PARA, loc);
		b->para = (long)(b->d->n - 1);
	}
	add_runs(b->d, (size_t)b->para, s, loc);
}

/* Characters outside the Basic Multilingual Plane (emoji, rare CJK of the
 * supplementary planes) in the line s[0..len) that is not a %% comment:
 * each is reported at its line and column (EXIT_TEMPLATE), since no font
 * zongjie embeds can draw it.  Returns the number reported. */
static int
check_bmp(struct builder *b, const char *s, size_t len,
    const struct diag_loc *loc)
{
	struct diag_loc at = *loc;
	size_t i = 0, k;
	int col = 1, n = 0;
	uint32_t cp;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++, col++;
	if (len - i >= 2 && s[i] == '%' && s[i + 1] == '%')
		return 0;
	for (; i < len; i += k, col++) {
		k = utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			return n;
		if (cp < 0x10000)
			continue;
		at.col = col;
		diag_error(EXIT_TEMPLATE, &at, "character '%.*s' (U+%04X) is "
		    "outside the Basic Multilingual Plane and cannot be drawn",
		    (int)k, s + i, (unsigned)cp);
		b->d->nerrors++;
		n++;
	}
	return n;
}

/* One line of the template (lineno counts from 1). */
static void
parse_line(struct builder *b, char *s, size_t len, struct diag_loc *loc)
{
	int level = 0, lead = 0;

	/* in_check_text reported these lines (with their column). */
	if (len != strlen(s) || utf8_invalid_at(s, len) != (size_t)-1)
		return;
	if (check_bmp(b, s, len, loc) > 0)
		return;
	/* Columns count from the line as written, before trimming. */
	while (s[lead] != '\0' && isspace((unsigned char)s[lead]))
		lead++;
	str_trim(s);
	if (!strncmp(s, "%%", 2))
		return;
	if (*s == '\0') {
		/* A run-in heading waits across blank lines for its
		 * paragraph. */
		if (b->runin < 0 || b->para >= 0)
			flush(b);
		return;
	}
	if (*s == '@') {
		block_line(b, s, loc, lead);
		return;
	}
	while (s[level] == '#')
		level++;
	if (level > 0 && s[level] == '\0')
		error_at(b, loc, 1, "a heading needs text after its #%s", "");
	else if (level > 0 && (s[level] == ' ' || s[level] == '\t'))
		heading_line(b, s, level, loc, lead);
	else
		para_line(b, s, loc, lead);
}

struct doc *
tpl_parse(const char *path)
{
	FILE *fp;
	char *line = NULL, *src;
	size_t cap = 0, srclen;
	ssize_t len;
	struct builder b;
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	int bad;

	/* Read through input.c: a regular file, bounded, checked as text. */
	if ((src = in_read(path, N_("template"), IN_MAX_TEMPLATE, EXIT_TEMPLATE,
	    &srclen)) == NULL)
		return NULL;
	bad = in_check_text(path, src, srclen, EXIT_TEMPLATE);
	if ((fp = fmemopen(src, srclen, "rb")) == NULL) {
		diag_error(EXIT_TEMPLATE, &loc, "cannot open template: %s",
		    strerror(errno));
		free(src);
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.d = doc_create(path);
	b.d->nerrors = bad;
	b.para = b.runin = -1;
	loc.file = b.d->path;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		char *s = line;

		loc.line++;
		loc.col = 0;
		if (loc.line == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;
			len -= 3;
		}
		parse_line(&b, s, (size_t)len, &loc);
	}
	if (ferror(fp)) {
		loc.line = 0;
		loc.col = 0;
		diag_error(EXIT_TEMPLATE, &loc, "read error: %s",
		    strerror(errno));
		b.d->nerrors++;
	}
	fclose(fp);
	free(src);
	free(line);
	return b.d;
}

/* Adds an INI value's node of kind at index at, its runs parsed. */
static struct doc_node *
report_node(struct doc *d, size_t at, enum doc_kind kind,
    const struct cfg *c, const char *key, const char *value)
{
	struct diag_loc loc = { c->path, 0, 0, "report", key };

	(void)doc_insert(d, at, kind, &loc);
	if (value != NULL)
		add_runs(d, at, value, &loc);
	return &d->nodes[at];
}

void
tpl_add_report(struct doc *d, const struct cfg *c)
{
	struct doc_node *n;

	(void)report_node(d, 0, DOC_TITLE, c, "title", c->title);
	if (c->subtitle != NULL)
		(void)report_node(d, 1, DOC_SUBTITLE, c, "subtitle",
		    c->subtitle);
	if (c->signature != NULL) {
		/* The 署名 is printed as written; the runs are the date's
		 * (text2), the period's last day when there is no date. */
		n = report_node(d, d->n, DOC_SIGNATURE, c, "date", c->date);
		n->loc.key = "signature";
		n->text = xstrdup(c->signature);
	}
}

struct doc *
tpl_load(const char *path, struct eval *ev)
{
	struct doc *d = tpl_parse(path);

	if (d == NULL)
		return NULL;
	if (eval_doc(ev, NULL, d) != 0 || d->nerrors > 0) {
		doc_free(d);
		return NULL;
	}
	return d;
}
