/* Render check: every text of the tree against its role's fonts (see
 * render_check.h). */
#include "render_check.h"
#include "bigmem.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "render.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks text (NULL: nothing) in role, reported at file:line. */
static int
check(struct rnd *r, enum font_role role, const char *text,
    const char *file, int line)
{
	struct diag_loc loc = { file, line, 0, NULL, NULL };

	if (text == NULL)
		return 0;
	return rnd_check_text(r, role, text, &loc) != 0 ? -1 : 0;
}

static int
check_chart(struct rnd *r, const struct doc_chart *ch, const char *ini)
{
	size_t k;
	int rc = 0;

	for (k = 0; k < ch->nseries; k++)
		rc |= check(r, ROLE_BODY, ch->series[k].name, ini, 0);
	rc |= check(r, ROLE_HEADING, ch->title, ini, 0);
	rc |= check(r, ROLE_BODY, ch->unit, ini, 0);
	for (k = 0; k < ch->ncats; k++)
		rc |= check(r, ROLE_BODY, ch->cats[k], ini, 0);
	return rc;
}

/* A cell copied from the source is reported at its CSV line and column;
 * a computed one at the table's section.  The location is found only for
 * a cell that has something to report (rnd_text_drawable first): looking
 * up every cell's would read the source's cells back (6M lookups at 1M
 * rows). */
static int
check_table(struct rnd *r, const struct doc_table *t, const char *ini,
    const char *name)
{
	char sec[256];
	size_t k;
	int rc = 0;

	snprintf(sec, sizeof(sec), "table.%s", name);
	rc |= check(r, ROLE_HEADING, t->title, ini, 0);
	rc |= check(r, ROLE_BODY, t->unit, ini, 0);
	rc |= check(r, ROLE_BODY, t->empty_text, ini, 0);
	for (k = 0; k < t->ncols; k++)
		rc |= check(r, ROLE_HEADING, t->headers[k], ini, 0);
	for (k = 0; k < t->nrows * t->ncols; k++) {
		size_t row = k / t->ncols, col = k % t->ncols;
		struct diag_loc cl = { ini, 0, 0, sec, NULL };
		enum font_role role;

		if (col == 0)
			big_tick(1);
		if (t->cells[k] == NULL)
			continue;
		role = t->row_bold[row] ? ROLE_HEADING : ROLE_BODY;
		if (rnd_text_drawable(r, role, t->cells[k]))
			continue;
		if (t->src_rows[row] != (size_t)-1 && t->src_cols[col] >= 0)
			data_cell_loc(t->src, t->src_rows[row],
			    (size_t)t->src_cols[col], &cl);
		if (rnd_check_text(r, role, t->cells[k], &cl) != 0)
			rc = -1;
	}
	return rc;
}

/* Checks s[0..len) in role.  per_char: a literal run of the template,
 * whose characters sit on one line from loc's column on, so each is
 * checked (and reported) at its own column; else the span is reported
 * at loc.  Returns 0, or -1 after reporting. */
static int
check_span(struct rnd *r, enum font_role role, const char *s, size_t len,
    const struct diag_loc *loc, int per_char)
{
	if (!per_char || loc->col <= 0) {
		char *t = xstrndup(s, len);
		int rc = rnd_check_text(r, role, t, loc);
		free(t);
		return rc;
	}
	struct diag_loc at = *loc;
	for (size_t i = 0; i < len; at.col++) {
		char one[8];
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0 || k >= sizeof one)
			k = 1;
		memcpy(one, s + i, k);
		one[k] = '\0';
		i += k;
		if (rnd_check_text(r, role, one, &at) != 0)
			return -1;
	}
	return 0;
}

/* Checks a block of the template run by run, so that a character no font
 * has is reported at its line and column: a literal character at its
 * own, a figure's text at its '{'; text outside every run (a heading's
 * number, a line join) at the block's line.  Returns 0 or -1. */
static int
check_runs(struct rnd *r, enum font_role role, const struct doc_node *n,
    const char *path, int line)
{
	struct diag_loc loc = { path, line, 0, NULL, NULL };
	size_t len, pos = 0;

	if (n->text == NULL)
		return 0;
	if (n->ninl == 0)
		return rnd_check_text(r, role, n->text, &loc) != 0 ? -1 : 0;
	len = strlen(n->text);
	for (size_t k = 0; k < n->ninl; k++) {
		const struct doc_inline *in = &n->inl[k];
		if (in->hidden || in->is_join || in->start < pos ||
		    in->end <= in->start || in->end > len)
			continue;
		if (in->start > pos && check_span(r, role, n->text + pos,
		    in->start - pos, &loc, 0) != 0)
			return -1;
		if (check_span(r, role, n->text + in->start,
		    in->end - in->start, &in->loc, !in->is_figure) != 0)
			return -1;
		pos = in->end;
	}
	if (pos < len)
		return check_span(r, role, n->text + pos, len - pos, &loc, 0);
	return 0;
}

int
render_check_doc(struct rnd *r, const struct doc *d, const struct cfg *c)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < d->n; i++) {
		const struct doc_node *n = &d->nodes[i];
		int line = n->loc.line;

		switch (n->kind) {
		case DOC_TITLE:
			rc |= check(r, ROLE_TITLE, n->text, c->path, 0);
			break;
		case DOC_SUBTITLE:
			rc |= check(r, ROLE_SUBHEADING, n->text, c->path, 0);
			break;
		case DOC_HEADING:
			rc |= check_runs(r, n->level == 1 ? ROLE_HEADING :
			    n->level == 2 ? ROLE_SUBHEADING : ROLE_BODY,
			    n, d->path, line);
			break;
		case DOC_PARA:
			rc |= check_runs(r, ROLE_BODY, n, d->path, line);
			break;
		case DOC_TABLE:
			if (n->table != NULL)
				rc |= check_table(r, n->table, c->path, n->name);
			break;
		case DOC_CHART:
			if (n->chart != NULL)
				rc |= check_chart(r, n->chart, c->path);
			break;
		case DOC_PAGEBREAK:
			break;
		case DOC_SIGNATURE:
			rc |= check(r, ROLE_BODY, n->text, c->path, 0);
			rc |= check(r, ROLE_BODY, n->text2, c->path, 0);
			break;
		}
	}
	return rc ? -1 : 0;
}
