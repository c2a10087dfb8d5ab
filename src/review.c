/* Review: figures on pages, the review copy's marks and appendix (see
 * review.h). */
#include "review.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* At most this many rectangles (lines) are marked for one figure. */
#define MAX_RECTS 16

/* The rectangles figure f was drawn in; 0 when it was not drawn. */
static size_t
fig_rects(const struct fig *f, const struct doc *d,
    const struct lay_result *lay, struct lay_cells *ix,
    const struct lay_measure *m, struct lay_rect *out)
{
	size_t node = (size_t)(f->node - d->nodes), n = 0;
	const struct doc_chart *ch;

	switch (f->kind) {
	case FIG_INLINE:
		return lay_locate_text(lay, m, node,
		    f->node->kind == DOC_SIGNATURE, f->inl->start, f->inl->end,
		    out, MAX_RECTS);
	case FIG_CELL:
		return lay_locate_cell(lay, ix, m, node,
		    f->row * f->node->table->ncols + f->col, out, MAX_RECTS);
	case FIG_SERIES:
		/* the series' legend entry, else the chart's title */
		ch = f->node->chart;
		n = lay_locate_text_box(lay, m, node, f->series->name, out,
		    MAX_RECTS);
		if (n == 0 && ch->title != NULL)
			n = lay_locate_text_box(lay, m, node, ch->title, out,
			    MAX_RECTS);
		return n;
	}
	return 0;
}

/* Where a reader meets a figure: its page, then the top of its block's
 * part on that page (higher first), then its place in the document. */
struct spot {
	int page;
	double top;
	size_t index;
};

static int
spot_cmp(const void *a, const void *b)
{
	const struct spot *p = a, *q = b;

	if (p->page != q->page)
		return p->page < q->page ? -1 : 1;
	if (p->top != q->top)
		return p->top > q->top ? -1 : 1;
	return p->index < q->index ? -1 : p->index > q->index;
}

/* The page figure f (of node) was drawn on, with the first of its
 * rectangles in *rc; 0 when neither it nor its block was drawn. */
static int
fig_page(const struct fig *f, size_t node, const struct doc *d,
    const struct lay_result *lay, struct lay_cells *ix,
    const struct lay_measure *m, struct lay_rect *rc)
{
	if (fig_rects(f, d, lay, ix, m, rc) > 0)
		return rc[0].page;
	/* not drawn (an empty text): the page its block starts on */
	rc[0].y1 = 0;
	return lay_node_page(lay, node);
}

void
review_pages(struct fig_list *l, const struct doc *d,
    const struct lay_result *lay, const struct lay_measure *m)
{
	struct lay_rect rc[MAX_RECTS];
	struct spot *s, prev = { 0, 0, 0 };
	struct lay_cells *ix;
	size_t i, *order, cnode = SIZE_MAX;
	int cpage = 0, cfound = 0;
	double ctop = 0;

	if (l == NULL || l->n == 0 || lay == NULL)
		return;
	s = xcalloc(l->n, sizeof(*s));
	ix = lay_cells_index(lay);
	for (i = 0; i < l->n; i++) {
		const struct fig *f = &l->v[i];
		size_t node = (size_t)(f->node - d->nodes);
		int page = fig_page(f, node, d, lay, ix, m, rc);

		s[i].index = i;
		if (page == 0) {
			/* drawn nowhere: stays after the figure before it */
			s[i].page = prev.page;
			s[i].top = prev.top;
			continue;
		}
		fig_set_page(l, f->number, page);
		if (node != cnode || page != cpage) {
			cfound = lay_node_top(lay, node, page, &ctop);
			cnode = node;
			cpage = page;
		}
		s[i].page = page;
		s[i].top = cfound ? ctop : rc[0].y1;
		prev = s[i];
	}
	lay_cells_free(ix);
	/* a chart or table that floated past the text after it is met
	 * after that text */
	qsort(s, l->n, sizeof(*s), spot_cmp);
	order = xcalloc(l->n, sizeof(*order));
	for (i = 0; i < l->n; i++)
		order[i] = s[i].index;
	fig_order(l, order);
	free(order);
	free(s);
}

char *
review_note(const struct fig *f, const struct doc *d)
{
	struct strbuf sb;
	char *s;

	sb_init(&sb);
	s = fig_expression(f);
	sb_printf(&sb, "【%d】{%s}", f->number, s);
	free(s);
	s = fig_printed(f);
	sb_printf(&sb, "\n输出：%s", s);
	free(s);
	s = fig_value(f);
	if (*s != '\0')
		sb_printf(&sb, "\n原值：%s", s);
	free(s);
	s = fig_sources(f);
	sb_printf(&sb, "\n来源：%s", *s != '\0' ? s : "（无）");
	free(s);
	if (f->prov->filter != NULL)
		sb_printf(&sb, "\n筛选：%s", f->prov->filter);
	s = fig_skipped(f);
	if (*s != '\0')
		sb_printf(&sb, "\n跳过的空白单元格：%s", s);
	free(s);
	s = fig_warnings(f);
	if (*s != '\0')
		sb_printf(&sb, "\n警告：%s", s);
	free(s);
	s = fig_where(f, d);
	sb_printf(&sb, "\n模板：%s", s);
	free(s);
	s = fig_defined(f);
	if (*s != '\0')
		sb_printf(&sb, "\n定义：%s", s);
	free(s);
	return sb_detach(&sb);
}

void
review_mark(const struct fig_list *l, const struct doc *d,
    struct lay_result *lay, const struct lay_measure *m)
{
	struct lay_rect rc[MAX_RECTS];
	struct lay_cells *ix = lay_cells_index(lay);
	size_t i, n;

	for (i = 0; l != NULL && i < l->n; i++) {
		char *note;

		if ((n = fig_rects(&l->v[i], d, lay, ix, m, rc)) == 0)
			continue;
		note = review_note(&l->v[i], d);
		lay_review_mark(lay, m, rc, n, l->v[i].number, note);
		free(note);
	}
	lay_cells_free(ix);
}

/* The appendix's columns. */
enum { AP_NUMBER, AP_PAGE, AP_EXPR, AP_PRINTED, AP_SOURCES, AP_NCOLS };

/* Sets cell (r, c) of t to s and frees s. */
static void
put_cell(struct doc_table *t, size_t r, size_t c, char *s)
{
	doc_table_set_cell(t, r, c, s);
	free(s);
}

/* Fills row r of the appendix table t from figure f. */
static void
appendix_row(struct doc_table *t, size_t r, const struct fig *f)
{
	struct strbuf sb;
	char *s;

	put_cell(t, r, AP_NUMBER, xasprintf("%d", f->number));
	put_cell(t, r, AP_PAGE, f->page > 0 ? xasprintf("%d", f->page) :
	    xstrdup(""));
	put_cell(t, r, AP_EXPR, fig_expression(f));
	sb_init(&sb);
	s = fig_printed(f);
	sb_adds(&sb, s);
	free(s);
	s = fig_value(f);
	if (*s != '\0' && f->kind != FIG_SERIES && strcmp(s, sb_str(&sb)))
		sb_printf(&sb, "（原值 %s）", s);
	free(s);
	put_cell(t, r, AP_PRINTED, sb_detach(&sb));
	sb_init(&sb);
	s = fig_sources(f);
	sb_adds(&sb, *s != '\0' ? s : "（无）");
	free(s);
	if (f->prov->filter != NULL)
		sb_printf(&sb, "；筛选：%s", f->prov->filter);
	s = fig_skipped(f);
	if (*s != '\0')
		sb_printf(&sb, "；跳过空白：%s", s);
	free(s);
	s = fig_warnings(f);
	if (*s != '\0')
		sb_printf(&sb, "；警告：%s", s);
	free(s);
	put_cell(t, r, AP_SOURCES, sb_detach(&sb));
}

void
review_add_appendix(struct doc *d, const struct fig_list *l)
{
	static const char *const heads[AP_NCOLS] = {
		"编号", "页码", "表达式", "输出文本", "来源单元格"
	};
	struct diag_loc loc = { d->path, 0, 0, NULL, NULL };
	/* every cell computed: none copied from a source (src_rows and
	 * src_cols as doc_table_create sets them) */
	struct doc_table *t = doc_table_create(l->n, AP_NCOLS);
	struct doc_node *n;
	size_t i;

	for (i = 0; i < AP_NCOLS; i++) {
		t->headers[i] = xstrdup(heads[i]);
		t->aligns[i] = i <= AP_PAGE ? ALIGN_RIGHT : ALIGN_LEFT;
	}
	/* points: narrow number columns, the sources the widest */
	t->widths[AP_NUMBER] = t->widths[AP_PAGE] = 40;
	t->max_widths[AP_EXPR] = 120;
	t->max_widths[AP_PRINTED] = 90;
	t->min_widths[AP_SOURCES] = 170;
	t->continued = "续表";
	t->missing = "";
	t->empty_text = xstrdup("本报告没有数据项。");
	for (i = 0; i < l->n; i++)
		appendix_row(t, i, &l->v[i]);
	/* the table is built before the nodes are added: l points into the
	 * node array, which doc_add may move */
	(void)doc_add(d, DOC_PAGEBREAK, &loc);
	n = doc_add(d, DOC_HEADING, &loc);
	n->level = 1;
	n->text = xstrdup("数据来源核对表");
	n = doc_add(d, DOC_TABLE, &loc);
	n->name = xstrdup("数据来源核对表");
	n->table = t;
}

char *
review_default_path(const char *output)
{
	size_t n = strlen(output);

	if (n > 4 && strcasecmp(output + n - 4, ".pdf") == 0)
		return xasprintf("%.*s-review.pdf", (int)(n - 4), output);
	if (n > 5 && strcasecmp(output + n - 5, ".docx") == 0)
		return xasprintf("%.*s-review.pdf", (int)(n - 5), output);
	return xasprintf("%s-review.pdf", output);
}
