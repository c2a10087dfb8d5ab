/* Render check: every text of the tree against its role's fonts (see
 * render_check.h). */
#include "render_check.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "render.h"

#include <stdio.h>

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
 * a computed one at the table's section. */
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

		if (t->cells[k] == NULL)
			continue;
		if (t->src_rows[row] != (size_t)-1 && t->src_cols[col] >= 0)
			data_cell_loc(t->src, t->src_rows[row],
			    (size_t)t->src_cols[col], &cl);
		if (rnd_check_text(r, t->row_bold[row] ? ROLE_HEADING :
		    ROLE_BODY, t->cells[k], &cl) != 0)
			rc = -1;
	}
	return rc;
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
			rc |= check(r, n->level == 1 ? ROLE_HEADING :
			    n->level == 2 ? ROLE_SUBHEADING : ROLE_BODY,
			    n->text, d->path, line);
			break;
		case DOC_PARA:
			rc |= check(r, ROLE_BODY, n->text, d->path, line);
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
