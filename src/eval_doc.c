/* Eval: filling the whole document tree in place (see eval.h). */
#include "eval.h"
#include "config.h"
#include "diag.h"
#include "doc.h"
#include "expr.h"
#include "period.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
is_ascii_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* The printed text of a run (a join prints as nothing here). */
static const char *
run_text(const struct doc_inline *in)
{
	if (in->is_join || in->hidden)
		return "";
	if (in->is_figure)
		return in->value.printed != NULL ? in->value.printed : "";
	return in->source;
}

/* The first byte of the text after join k, up to the next join (0 when
 * empty): a template line's first character. */
static unsigned char
line_start(const struct doc_node *n, size_t k)
{
	size_t i;

	for (i = k + 1; i < n->ninl && !n->inl[i].is_join; i++)
		if (run_text(&n->inl[i])[0] != '\0')
			return (unsigned char)run_text(&n->inl[i])[0];
	return 0;
}

/* Appends runs [from, to) of n to sb, recording each run's range.  A
 * join is one space between ASCII letters or digits (a line break inside
 * a Latin word run), else nothing between CJK lines. */
static void
join_runs(struct doc_node *n, size_t from, size_t to, struct strbuf *sb)
{
	size_t i;

	for (i = from; i < to; i++) {
		struct doc_inline *in = &n->inl[i];

		in->start = sb->len;
		if (in->is_join) {
			if (sb->len > 0 &&
			    is_ascii_word((unsigned char)sb->s[sb->len - 1]) &&
			    is_ascii_word(line_start(n, i)))
				sb_addc(sb, ' ');
		} else
			sb_adds(sb, run_text(in));
		in->end = sb->len;
	}
}

/* Sets n's text (text2 for a signature) from its number and runs. */
static void
build_text(struct doc_node *n, const struct period *p)
{
	struct strbuf sb;

	sb_init(&sb);
	if (n->kind == DOC_SIGNATURE) {
		join_runs(n, 0, n->ninl, &sb);
		free(n->text2);
		n->text2 = n->ninl > 0 ? sb_detach(&sb) : period_date(p);
		sb_free(&sb);
		return;
	}
	if (n->number != NULL)
		sb_adds(&sb, n->number);
	if (n->kind == DOC_PARA && n->level > 0) {
		join_runs(n, 0, n->runin_ninl, &sb);
		n->runin_len = sb.len;
		join_runs(n, n->runin_ninl, n->ninl, &sb);
	} else
		join_runs(n, 0, n->ninl, &sb);
	free(n->text);
	n->text = sb_detach(&sb);
}

/* Evaluates the figures of n, and its conditional text: the runs of a
 * branch not taken (and {if}, {else}, {end} themselves) are hidden.
 * Returns 0, or -1 after reporting (a placeholder that failed to parse
 * was reported by the parser). */
static int
eval_runs(struct eval *ev, struct doc_node *n)
{
	struct eval_cond cs;
	size_t i;
	int rc = 0, truth;

	memset(&cs, 0, sizeof(cs));
	for (i = 0; i < n->ninl; i++) {
		struct doc_inline *in = &n->inl[i];

		in->hidden = !eval_cond_active(&cs);
		if (!in->is_figure)
			continue;
		doc_value_free(&in->value);
		if (in->expr == NULL) {
			rc = -1;
			continue;
		}
		if (in->expr->ctl != CTL_NONE) {
			truth = 0;
			if (in->expr->ctl == CTL_IF && !in->hidden) {
				if (eval_figure(ev, in->expr, NULL, 0,
				    &in->value) != 0)
					rc = -1;
				truth = eval_value_true(&in->value);
			}
			in->hidden = 1;
			if (eval_cond_step(&cs, in->expr, truth, &in->loc) != 0)
				rc = -1;
			continue;
		}
		if (!in->hidden &&
		    eval_figure(ev, in->expr, NULL, 0, &in->value) != 0)
			rc = -1;
	}
	if (eval_cond_finish(&cs) != 0)
		rc = -1;
	return rc;
}

static int
is_ini_node(const struct doc_node *n)
{
	return n->kind == DOC_TITLE || n->kind == DOC_SUBTITLE ||
	    n->kind == DOC_SIGNATURE;
}

/* A @table or @chart node: its definition from c, evaluated. */
static int
eval_block(struct eval *ev, const struct cfg *c, struct doc_node *n)
{
	int table = n->kind == DOC_TABLE;
	const struct cfg_table *ct = table ? cfg_table(c, n->name) : NULL;
	const struct cfg_chart *ch = table ? NULL : cfg_chart(c, n->name);
	char sec[256];
	struct diag_loc loc = { c->path, 0, 0, sec, NULL };

	if (table ? ct == NULL : ch == NULL) {
		diag_error(EXIT_TEMPLATE, &n->loc, "no [%s.%s] in %s",
		    table ? "table" : "chart", n->name, c->path);
		return -1;
	}
	snprintf(sec, sizeof(sec), "%s.%s", table ? "table" : "chart",
	    n->name);
	if (table)
		n->table = eval_table(ev, ct, &loc);
	else
		n->chart = eval_chart(ev, ch, &loc);
	return (table ? n->table == NULL : n->chart == NULL) ? -1 : 0;
}

int
eval_doc(struct eval *ev, const struct cfg *c, struct doc *d)
{
	size_t i;
	int rc = 0;

	/* The template's placeholders first, every error reported. */
	for (i = 0; i < d->n; i++)
		if (!is_ini_node(&d->nodes[i]) &&
		    eval_runs(ev, &d->nodes[i]) != 0)
			rc = -1;
	if (rc != 0 || d->nerrors > 0)
		return -1;
	for (i = 0; i < d->n && c != NULL; i++) {
		struct doc_node *n = &d->nodes[i];

		if (is_ini_node(n))
			rc |= eval_runs(ev, n);
		else if (n->kind == DOC_TABLE || n->kind == DOC_CHART)
			rc |= eval_block(ev, c, n);
	}
	if (rc != 0)
		return -1;
	for (i = 0; i < d->n; i++)
		if (d->nodes[i].kind != DOC_TABLE &&
		    d->nodes[i].kind != DOC_CHART &&
		    d->nodes[i].kind != DOC_PAGEBREAK &&
		    (c != NULL || !is_ini_node(&d->nodes[i])))
			build_text(&d->nodes[i], eval_period(ev));
	return 0;
}
