/* Layout dump: --dump-layout, one line per box (see layout.h). */
#include "layout.h"

#include <math.h>
#include <stdio.h>

/* Prints v with 2 decimals, never as "-0.00". */
static void
put_num(FILE *fp, double v)
{
	if (fabs(v) < 0.005)
		v = 0;
	fprintf(fp, " %.2f", v);
}

void
lay_dump(const struct lay_result *r, FILE *fp)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *b = &r->boxes[i];

		fprintf(fp, "%d", b->page);
		if (b->kind == LAY_BOX_RULE) {
			fputs(" rule", fp);
			put_num(fp, b->x);
			put_num(fp, b->y);
			put_num(fp, b->x2);
			put_num(fp, b->y2);
			put_num(fp, b->line_width);
			if (b->gray != 0) {
				fputs(" gray", fp);
				put_num(fp, b->gray);
			}
			if (b->dash != 0) {
				fputs(" dash", fp);
				put_num(fp, b->dash);
			}
		} else if (b->kind == LAY_BOX_RECT) {
			fputs(" rect", fp);
			put_num(fp, b->x);
			put_num(fp, b->y);
			put_num(fp, b->x2);
			put_num(fp, b->y2);
			put_num(fp, b->gray);
			put_num(fp, b->line_width);
		} else {
			size_t e = i + 1, j;

			while (e < r->nboxes && r->boxes[e].kind ==
			    LAY_BOX_TEXT && r->boxes[e].run)
				e++;
			if (b->angle != 0) {
				fputs(" rot", fp);
				put_num(fp, b->angle);
			}
			put_num(fp, b->x);
			put_num(fp, b->y);
			fprintf(fp, " %s", lay_role_name(b->role));
			put_num(fp, b->size);
			fputc(' ', fp);
			for (j = i; j < e; j++)
				fputs(r->boxes[j].text ? r->boxes[j].text :
				    "", fp);
			if (e > i + 1) {
				/* A line of several runs. */
				fprintf(fp, "\n%d runs", b->page);
				for (j = i; j < e; j++) {
					if (j > i)
						fputs(" |", fp);
					put_num(fp, r->boxes[j].x);
					put_num(fp, r->boxes[j].char_space);
					fprintf(fp, " %s", r->boxes[j].text ?
					    r->boxes[j].text : "");
				}
				fputs(" end", fp);
				put_num(fp, r->boxes[e - 1].x2);
				i = e - 1;
			}
		}
		fputc('\n', fp);
	}
	for (i = 0; i < r->nmarks; i++)
		fprintf(fp, "mark %d %d %s\n", r->marks[i].page,
		    r->marks[i].level, r->marks[i].title);
}

const char *
lay_role_name(enum font_role role)
{
	static const char *const names[ROLE_COUNT] = {
		"title", "body", "heading", "subheading", "latin", "pagenum"
	};

	if ((int)role < 0 || role >= ROLE_COUNT)
		return "?";
	return names[role];
}
