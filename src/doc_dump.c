/* Doc: --dump-doc, the evaluated tree as text (see doc_dump in doc.h). */
#include "bigmem.h"
#include "doc.h"
#include "expr.h"

#include <stdio.h>
#include <string.h>

/* Cells listed per value before "… N more". */
#define DUMP_CELLS 20

static const char *const kinds[] = { "title", "subtitle", "heading",
    "para", "table", "chart", "pagebreak", "signature" };

static void
put_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', fp);
		if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
put_loc(FILE *fp, const struct diag_loc *l)
{
	if (l->section != NULL)
		fprintf(fp, "%s: [%s] %s", l->file, l->section,
		    l->key ? l->key : "");
	else
		fprintf(fp, "%s:%d:%d", l->file, l->line, l->col);
}

static void
put_cells(FILE *fp, const char *ind, const char *what,
    const struct doc_cell *c, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < DUMP_CELLS; i++) {
		fprintf(fp, "%s%s %s:%d:%d %s", ind, what, c[i].file, c[i].line,
		    c[i].col, c[i].column);
		if (c[i].key != NULL)
			fprintf(fp, " [%s]", c[i].key);
		fputc('\n', fp);
	}
	if (n > DUMP_CELLS)
		fprintf(fp, "%s%s … %zu more\n", ind, what, n - DUMP_CELLS);
}

static void
put_prov(FILE *fp, const char *ind, const struct doc_prov *p)
{
	static const char *const warns[] = { "zero-base", "skipped",
	    "blank", "rounds-zero" };
	int i, first = 1;

	put_cells(fp, ind, "cell", p->cells, p->ncells);
	put_cells(fp, ind, "skipped", p->skipped, p->nskipped);
	if (p->filter != NULL)
		fprintf(fp, "%swhere %s\n", ind, p->filter);
	if (p->warn == 0)
		return;
	fprintf(fp, "%swarn ", ind);
	for (i = 0; i < 4; i++)
		if (p->warn & (1u << i)) {
			fprintf(fp, "%s%s", first ? "" : ",", warns[i]);
			first = 0;
		}
	fputc('\n', fp);
}

static void
put_inline(FILE *fp, const struct doc_inline *in)
{
	if (!in->is_figure)
		return;
	if (in->loc.section != NULL)
		fprintf(fp, "  figure col %d ", in->loc.col);
	else
		fprintf(fp, "  figure %d:%d ", in->loc.line, in->loc.col);
	fputc('{', fp);
	fputs(in->source, fp);
	fputs("} = ", fp);
	put_str(fp, in->value.printed);
	fprintf(fp, " [%zu, %zu)%s\n", in->start, in->end,
	    in->hidden ? " hidden" : "");
	if (in->expr != NULL) {
		fputs("    expr ", fp);
		expr_print(in->expr, fp);
		fputc('\n', fp);
	}
	if (in->value.kind == 1)
		fprintf(fp, "    value %.10g\n", in->value.num);
	else
		fprintf(fp, "    value %s\n", in->value.kind == 2 ? "text" :
		    "missing");
	put_prov(fp, "    ", &in->value.prov);
}

/* Computed cell (r, c) of t, when it has a value or provenance: its
 * printed text (as the row line shows it), its unrounded value read back
 * from the table (doc_table_num: nothing is computed for the dump), and
 * its provenance, like a figure's. */
static void
put_computed(FILE *fp, const struct doc_table *t, size_t r, size_t c)
{
	const struct doc_prov *p = doc_table_prov(t, r, c);
	const char *s = t->cells[r * t->ncols + c];
	double v;
	int num = doc_table_num(t, r, c, &v);

	if (!num && p->ncells == 0 && p->nskipped == 0 && p->warn == 0)
		return;
	fprintf(fp, "    col %zu = ", c + 1);
	if (s == NULL)
		fputs("-", fp);
	else
		put_str(fp, s);
	fputc('\n', fp);
	if (num)
		fprintf(fp, "      value %.10g\n", v);
	put_prov(fp, "      ", p);
}

static void
put_table(FILE *fp, const struct doc_table *t)
{
	size_t r, c;

	if (t->title != NULL) {
		fputs("  title ", fp);
		put_str(fp, t->title);
		fputc('\n', fp);
	}
	if (t->unit != NULL) {
		fputs("  unit ", fp);
		put_str(fp, t->unit);
		fputc('\n', fp);
	}
	fputs("  columns", fp);
	for (c = 0; c < t->ncols; c++) {
		fputc(' ', fp);
		put_str(fp, t->headers[c]);
		fprintf(fp, "%s", t->aligns[c] == ALIGN_RIGHT ? ">" :
		    t->aligns[c] == ALIGN_CENTER ? "=" : "<");
	}
	fputc('\n', fp);
	if (t->nrows == 0) {
		fputs("  empty ", fp);
		put_str(fp, t->empty_text);
		fputc('\n', fp);
	}
	for (r = 0; r < t->nrows; r++) {
		fprintf(fp, "  row %zu%s", r + 1, t->row_bold[r] ? " bold" : "");
		for (c = 0; c < t->ncols; c++) {
			fputs(c == 0 ? " " : " | ", fp);
			if (t->cells[r * t->ncols + c] == NULL)
				fputs("-", fp);
			else
				put_str(fp, t->cells[r * t->ncols + c]);
		}
		fputc('\n', fp);
		for (c = 0; doc_table_prov(t, r, 0) != NULL && c < t->ncols;
		    c++)
			put_computed(fp, t, r, c);
		big_tick(1);    /* the row's cells and provenance are in big
				 * blocks */
	}
}

static void
put_chart(FILE *fp, const struct doc_chart *ch)
{
	size_t i, s;

	if (ch->title != NULL) {
		fputs("  title ", fp);
		put_str(fp, ch->title);
		fputc('\n', fp);
	}
	if (ch->unit != NULL) {
		fputs("  unit ", fp);
		put_str(fp, ch->unit);
		fputc('\n', fp);
	}
	fputs("  categories", fp);
	for (i = 0; i < ch->ncats; i++) {
		fputc(' ', fp);
		put_str(fp, ch->cats[i]);
	}
	fputc('\n', fp);
	for (s = 0; s < ch->nseries; s++) {
		const struct doc_series *se = &ch->series[s];

		fprintf(fp, "  series %s ", se->style == DOC_SERIES_LINE ?
		    "line" : "bar");
		put_str(fp, se->name);
		for (i = 0; i < ch->ncats; i++)
			if (se->present[i])
				fprintf(fp, " %.10g", se->values[i]);
			else
				fputs(" -", fp);
		fputc('\n', fp);
		put_prov(fp, "    ", &se->prov);
	}
}

void
doc_dump(const struct doc *d, FILE *fp)
{
	size_t i, k;

	fprintf(fp, "doc %s\n", d->path);
	for (i = 0; i < d->n; i++) {
		const struct doc_node *n = &d->nodes[i];

		fprintf(fp, "%s ", kinds[n->kind]);
		put_loc(fp, &n->loc);
		if (n->level > 0)
			fprintf(fp, " level %d", n->level);
		if (n->name != NULL)
			fprintf(fp, " name %s", n->name);
		fputc('\n', fp);
		if (n->text != NULL) {
			fputs("  text ", fp);
			put_str(fp, n->text);
			fputc('\n', fp);
		}
		if (n->runin_len > 0)
			fprintf(fp, "  runin %zu\n", n->runin_len);
		if (n->text2 != NULL) {
			fputs("  text2 ", fp);
			put_str(fp, n->text2);
			fputc('\n', fp);
		}
		for (k = 0; k < n->ninl; k++)
			put_inline(fp, &n->inl[k]);
		if (n->table != NULL)
			put_table(fp, n->table);
		if (n->chart != NULL)
			put_chart(fp, n->chart);
	}
}
