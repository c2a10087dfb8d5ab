/* Template: parsing, numbering and expansion (see template.h). */
#include "template.h"
#include "diag.h"
#include "input.h"
#include "model.h"
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
is_ascii_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* Appends a source line to a paragraph: no space between CJK lines, one
 * space when both sides are ASCII letters or digits. */
static void
join_line(struct strbuf *para, const char *line)
{
	if (para->len > 0 && is_ascii_word((unsigned char)para->s[para->len - 1])
	    && is_ascii_word((unsigned char)line[0]))
		sb_addc(para, ' ');
	sb_adds(para, line);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

struct builder {
	struct tpl_doc *d;
	struct strbuf para;
	int para_line;
	char *runin;            /* pending run-in heading text */
	int runin_line;
};

static void
add_block(struct builder *b, enum tpl_kind kind, int level, char *text,
    char *name, int line)
{
	struct tpl_doc *d = b->d;

	d->blocks = xreallocarray(d->blocks, d->n + 1, sizeof(*d->blocks));
	d->blocks[d->n].kind = kind;
	d->blocks[d->n].level = level;
	d->blocks[d->n].text = text;
	d->blocks[d->n].name = name;
	d->blocks[d->n].line = line;
	d->n++;
}

/* Ends the current paragraph (and any run-in heading waiting for it). */
static void
flush(struct builder *b)
{
	if (b->runin != NULL) {
		struct strbuf sb;

		sb_init(&sb);
		sb_adds(&sb, b->runin);
		sb_adds(&sb, sb_str(&b->para));
		add_block(b, TPL_PARA, 0, sb_detach(&sb), NULL, b->runin_line);
		free(b->runin);
		b->runin = NULL;
		sb_clear(&b->para);
		return;
	}
	if (b->para.len > 0) {
		add_block(b, TPL_PARA, 0, xstrdup(sb_str(&b->para)), NULL,
		    b->para_line);
		sb_clear(&b->para);
	}
}

struct tpl_doc *
tpl_load(const char *path, struct model *m)
{
	FILE *fp;
	char *src;
	size_t srclen;
	char *line = NULL;
	size_t cap = 0, off;
	ssize_t len;
	int lineno = 0, counters[5] = { 0 }, failed = 0;
	struct builder b;
	struct strbuf exp;
	struct diag_loc loc = { path, 0, 0, NULL, NULL };

	/* Read through input.c: a regular file, bounded, checked as text. */
	if ((src = in_read(path, N_("template"), IN_MAX_TEMPLATE, EXIT_TEMPLATE,
	    &srclen)) == NULL)
		return NULL;
	failed = in_check_text(path, src, srclen, EXIT_TEMPLATE) != 0;
	if ((fp = fmemopen(src, srclen, "rb")) == NULL) {
		diag_error(EXIT_TEMPLATE, &loc, "cannot open template: %s",
		    strerror(errno));
		free(src);
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.d = xcalloc(1, sizeof(*b.d));
	b.d->path = xstrdup(path);
	sb_init(&b.para);
	sb_init(&exp);

	while ((len = getline(&line, &cap, fp)) >= 0) {
		char *s = line;
		int level = 0, lead = 0;

		lineno++;
		loc.line = lineno;
		loc.col = 0;
		if (lineno == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
			s += 3;
			len -= 3;
		}
		/* in_check_text reported these lines (with their column). */
		if ((size_t)len != strlen(s) ||
		    utf8_invalid_at(s, (size_t)len) != (size_t)-1)
			continue;
		/* Columns count from the line as written, before trimming. */
		while (s[lead] != '\0' && isspace((unsigned char)s[lead]))
			lead++;
		str_trim(s);
		if (!strncmp(s, "%%", 2))
			continue;
		if (*s == '\0') {
			/* A run-in heading waits across blank lines for its
			 * paragraph. */
			if (b.runin == NULL || b.para.len > 0)
				flush(&b);
			continue;
		}
		if (*s == '@') {
			char *arg;

			flush(&b);
			arg = s + 1;
			while (*arg != '\0' && *arg != ' ' && *arg != '\t')
				arg++;
			if (*arg != '\0')
				*arg++ = '\0';
			while (*arg == ' ' || *arg == '\t')
				arg++;
			if ((!strcmp(s, "@table") || !strcmp(s, "@chart")) &&
			    *arg != '\0' && strchr(arg, ' ') == NULL)
				add_block(&b, s[1] == 't' ? TPL_TABLE :
				    TPL_CHART, 0, NULL, xstrdup(arg), lineno);
			else if (!strcmp(s, "@pagebreak") && *arg == '\0')
				add_block(&b, TPL_PAGEBREAK, 0, NULL, NULL,
				    lineno);
			else {
				loc.col = lead + 1;
				diag_error(EXIT_TEMPLATE, &loc, "unknown block "
				    "line \"%s\" (expected @table NAME, "
				    "@chart NAME or @pagebreak)", s);
				failed = 1;
			}
			continue;
		}
		while (s[level] == '#')
			level++;
		if (level > 0 && s[level] == '\0') {
			loc.col = 1;
			diag_error(EXIT_TEMPLATE, &loc, "a heading needs text "
			    "after its #");
			failed = 1;
			continue;
		}
		if (level > 0 && (s[level] == ' ' || s[level] == '\t')) {
			char num[32], *text;
			int k;

			flush(&b);
			if (level > 4) {
				loc.col = lead + 1;
				diag_error(EXIT_TEMPLATE, &loc, "headings go down "
				    "to level 4 (####)");
				failed = 1;
				continue;
			}
			counters[level]++;
			for (k = level + 1; k <= 4; k++)
				counters[k] = 0;
			text = s + level;
			while (*text == ' ' || *text == '\t')
				text++;
			off = (size_t)(text - s);
			loc.col = lead + (int)utf8_count(s, off) + 1;
			sb_clear(&exp);
			tpl_number(level, counters[level], num, sizeof(num));
			sb_adds(&exp, num);
			if (model_expand(m, text, &loc, &exp) != 0)
				failed = 1;
			if (level >= 3 && (ends_with(exp.s, "。") ||
			    ends_with(exp.s, "："))) {
				b.runin = xstrdup(sb_str(&exp));
				b.runin_line = lineno;
			} else
				add_block(&b, TPL_HEADING, level,
				    xstrdup(sb_str(&exp)), NULL, lineno);
			continue;
		}
		/* Paragraph text. */
		loc.col = lead + 1;
		sb_clear(&exp);
		if (model_expand(m, s, &loc, &exp) != 0)
			failed = 1;
		if (b.para.len == 0)
			b.para_line = lineno;
		join_line(&b.para, sb_str(&exp));
	}
	flush(&b);
	if (ferror(fp)) {
		loc.line = 0;
		diag_error(EXIT_TEMPLATE, &loc, "read error: %s",
		    strerror(errno));
		failed = 1;
	}
	fclose(fp);
	free(src);
	free(line);
	sb_free(&b.para);
	sb_free(&exp);
	if (failed) {
		tpl_free(b.d);
		return NULL;
	}
	return b.d;
}

void
tpl_free(struct tpl_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].name);
	}
	free(d->blocks);
	free(d->path);
	free(d);
}
