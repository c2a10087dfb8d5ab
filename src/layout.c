/* Layout: the driver (see layout.h): lays the blocks out one after the
 * other (page.c applies the keep rules), builds boxes in the result's
 * arrays and text arena, places a chart's frame on the grid (chart*.c
 * fills it), and the fake measurer. */
#include "layout_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "diag.h"
#include "util.h"

double
measure(struct lay *L, enum font_role role, double pt, const char *s,
    size_t n)
{
	if (n == 0)
		return 0;
	return L->m->width(L->m->arg, role, pt, s, n);
}

/* ---- boxes, pages, snapshots ----------------------------------------- */

/* The text arena: chunks of at least ARENA_CHUNK bytes, newest first. */
#define ARENA_CHUNK (256 * 1024)

struct lay_arena {
	struct lay_arena *next;
	size_t used, cap;
	char buf[];
};

const char *
lay_text(struct lay_result *r, const char *s, size_t n)
{
	struct lay_arena *a = r->arena;
	char *p;

	if (a == NULL || a->cap - a->used < n + 1) {
		size_t cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
		a = xmalloc(sizeof(*a) + cap);
		a->next = r->arena;
		a->used = 0;
		a->cap = cap;
		r->arena = a;
	}
	p = a->buf + a->used;
	memcpy(p, s, n);
	p[n] = '\0';
	a->used += n + 1;
	return p;
}

struct lay_box *
box_new(struct lay *L)
{
	struct lay_result *r = L->r;
	struct lay_box *b;

	if (r->nboxes == L->boxcap) {
		L->boxcap = L->boxcap ? 2 * L->boxcap : 256;
		r->boxes = xreallocarray(r->boxes, L->boxcap, sizeof(*b));
	}
	b = &r->boxes[r->nboxes++];
	memset(b, 0, sizeof(*b));
	b->page = L->page;
	return b;
}

struct lay_box *
text_box(struct lay *L, enum font_role role, double size, double x,
    double y, double cs, double bold, const char *s, size_t n)
{
	struct lay_box *b;

	if (n == 0)
		return NULL;
	b = box_new(L);
	b->kind = LAY_BOX_TEXT;
	b->role = role;
	b->size = size;
	b->x = x;
	b->y = y;
	b->char_space = cs;
	b->bold = bold;
	b->text = lay_text(L->r, s, n);
	return b;
}

void
rule_box(struct lay *L, double x, double y, double x2, double y2, double w)
{
	struct lay_box *b = box_new(L);

	b->kind = LAY_BOX_RULE;
	b->role = ROLE_BODY;
	b->x = x;
	b->y = y;
	b->x2 = x2;
	b->y2 = y2;
	b->line_width = w;
}

void
add_mark(struct lay *L, int level, double y, const char *title)
{
	struct lay_result *r = L->r;
	struct lay_mark *mk;

	if (r->nmarks == L->markcap) {
		L->markcap = L->markcap ? 2 * L->markcap : 16;
		r->marks = xreallocarray(r->marks, L->markcap, sizeof(*mk));
	}
	mk = &r->marks[r->nmarks++];
	mk->page = L->page;
	mk->y = y;
	mk->level = level;
	mk->title = xstrdup(title);
}

/* ---- charts ------------------------------------------------------------ */

static struct lay_box *
chart_box(void *arg)
{
	return box_new(arg);
}

static const char *
chart_text(void *arg, const char *s, size_t n)
{
	struct lay *L = arg;

	return lay_text(L->r, s, n);
}

/* The chart's title lines (*ntl) and frame height in body slots (*hl)
 * at the cursor: height_lines (default 12), at most a page; a chart
 * that almost fits is shortened to the rest of the page (down to ¾ of
 * its height, and never below 8 lines) rather than floating.  Returns 1
 * if the chart fits the rest of the page (or the page is empty). */
static int
chart_plan(struct lay *L, const struct doc_chart *c, int *ntl, int *hl)
{
	const struct style *st = L->st;
	int k;

	*ntl = 0;
	*hl = c->height_lines > 0 ? c->height_lines : 12;
	if (c->title && *c->title) {
		text_load(&L->tx, c->title, strlen(c->title));
		text_measure(L->m, &L->tx, ROLE_HEADING, st->table_title_size);
		L->lv.n = 0;
		break_balanced(&L->tx, st->block_w, st->table_title_size,
		    &L->lv);
		*ntl = (int)L->lv.n;
		if (*ntl > L->lpp - 1)
			*ntl = L->lpp - 1;
	}
	if (*hl > L->lpp - *ntl)
		*hl = L->lpp - *ntl;
	if (*hl < 1)
		*hl = 1;
	k = cur_slot(L);
	if (k > 0 && k < L->lpp && k + *ntl + *hl > L->lpp) {
		int room = L->lpp - k - *ntl, least = (3 * *hl + 3) / 4;

		if (least < 8)
			least = 8;
		if (room >= least && room < *hl)
			*hl = room;
	}
	return k == 0 || (k < L->lpp && k + *ntl + *hl <= L->lpp);
}

/* Lays out a chart: its title centred on the grid (heading role, table
 * title size), then a frame of chart_plan's height spanning the block
 * width, all on one page (on the next page when it does not fit).
 * chart.c fills the frame.  The grid resumes below the frame. */
static void
lay_chart_block(struct lay *L, const struct doc_chart *c)
{
	const struct style *st = L->st;
	struct chart_sink sink = { chart_box, chart_text, L };
	int k, ntl, hl;
	double y_top;

	if (!chart_plan(L, c, &ntl, &hl)) {
		new_page(L);
		chart_plan(L, c, &ntl, &hl);
	}
	k = cur_slot(L);
	L->yoff = L->pitch * k;
	if (ntl > 0)
		lay_centred(L, c->title, ROLE_HEADING, st->table_title_size,
		    0);
	L->yoff = L->pitch * (k + ntl);
	y_top = L->top - L->yoff;
	chart_layout(c, st, L->m, L->page, L->left, y_top, st->block_w,
	    L->pitch * hl, &sink);
	L->yoff = L->pitch * (k + ntl + hl);
}

/* Returns 1 if the boxes from index from on are all on page pg. */
static int
all_on_page(const struct lay *L, size_t from, int pg)
{
	size_t i;

	for (i = from; i < L->r->nboxes; i++)
		if (L->r->boxes[i].page != pg)
			return 0;
	return 1;
}

/* Lays out table t, or makes it the pending float: a table that does not
 * fit the rest of the page (it would break or move to the next page) but
 * fits on one page is not split; it waits for the next page while the
 * text after it fills this one.  Tables of more rows than a page can
 * hold are laid out at once, without a trial. */
static void
lay_table_block(struct lay *L, const struct doc_node *b)
{
	const struct doc_table *t = b->table;
	struct snap s;
	double full = L->pitch * L->lpp;
	int fits;

	flush_float(L);
	s = take_snap(L);
	lay_table(L, t);
	if (L->placing || s.yoff <= 0 || all_on_page(L, s.nboxes, s.page) ||
	    (double)t->nrows * 2 * L->st->table_size > full)
		return;
	/* Trial on an empty page. */
	rollback(L, &s);
	L->page = s.page + 1;
	L->yoff = 0;
	L->placing = 1;
	lay_table(L, t);
	L->placing = 0;
	fits = all_on_page(L, s.nboxes, s.page + 1);
	rollback(L, &s);
	if (fits)
		L->pending = b;
	else
		lay_table(L, t);
}

/* ---- blocks and keep rules ------------------------------------------- */

static enum font_role
heading_role(int level)
{
	return level <= 1 ? ROLE_HEADING : level == 2 ? ROLE_SUBHEADING :
	    ROLE_BODY;
}

/* Lays out one block.  push_last > 0 (paragraphs only) forces the last
 * push_last lines onto a new page. */
void
lay_one(struct lay *L, const struct doc_node *b, long push_last)
{
	const struct style *st = L->st;

	switch (b->kind) {
	case DOC_TITLE:
		if (b->text && *b->text) {
			lay_centred(L, b->text, ROLE_TITLE, st->title_size,
			    st->fake_bold_title);
			blank_slot(L);
		}
		break;
	case DOC_SUBTITLE:
		if (b->text && *b->text) {
			lay_centred(L, b->text, ROLE_SUBHEADING,
			    st->body_size, 0);
			blank_slot(L);
		}
		break;
	case DOC_HEADING:
		lay_para(L, b->text, heading_role(b->level), SPLIT_KEEP, 0,
		    b->level <= 2 ? (b->level < 1 ? 1 : b->level) : 0);
		break;
	case DOC_PARA:
		lay_para(L, b->text, ROLE_BODY, SPLIT_PARA, push_last, 0);
		break;
	case DOC_TABLE:
		if (b->table)
			lay_table_block(L, b);
		break;
	case DOC_SIGNATURE:
		flush_float(L);
		lay_signature(L, b->text, b->text2);
		break;
	case DOC_PAGEBREAK:
		flush_float(L);
		if (L->yoff > 0)
			new_page(L);
		break;
	case DOC_CHART:
		if (b->chart == NULL)
			break;
		flush_float(L);
		if (!L->placing && L->yoff > 0) {
			int ntl, hl;

			if (!chart_plan(L, b->chart, &ntl, &hl)) {
				L->pending = b;
				break;
			}
		}
		lay_chart_block(L, b->chart);
		break;
	}
}

struct lay_result *
lay_run(const struct doc *doc, const struct style *st,
    const struct lay_measure *m)
{
	struct lay L;
	size_t i;

	if (doc == NULL || st == NULL || m == NULL || m->width == NULL || !(st->block_w > 0) ||
	    !(st->block_h > 0) || st->lines_per_page < 1 ||
	    st->chars_per_line < 1 || !(st->body_size > 0) ||
	    !(st->title_size > 0) || !(st->table_size > 0) ||
	    !(st->table_title_size > 0) || !(st->pagenum_size > 0) ||
	    st->indent_chars < 0 ||
	    st->indent_chars >= st->chars_per_line) {
		diag_error(EXIT_USAGE, NULL, "layout: impossible page geometry "
		    "(text block, lines, characters or type sizes)");
		return NULL;
	}
	linebreak_init();
	memset(&L, 0, sizeof(L));
	L.st = st;
	L.m = m;
	L.r = xcalloc(1, sizeof(*L.r));
	L.page = 1;
	L.lpp = st->lines_per_page;
	L.top = st->page_h - st->margin_top;
	L.left = st->margin_left;
	L.right = st->margin_left + st->block_w;
	L.pitch = st->block_h / st->lines_per_page;
	L.cell = st->block_w / st->chars_per_line;
	L.track = L.cell - st->body_size;

	for (i = 0; i < doc->n;)
		i = lay_seq(&L, doc->nodes, doc->n, i);
	flush_float(&L);

	L.r->npages = 1;
	for (i = 0; i < L.r->nboxes; i++)
		if (L.r->boxes[i].page > L.r->npages)
			L.r->npages = L.r->boxes[i].page;
	page_numbers(&L);

	text_free(&L.tx);
	free(L.lv.v);
	text_free(&L.ftx);
	free(L.flv.v);
	return L.r;
}

void
lay_free(struct lay_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	while (r->arena != NULL) {
		struct lay_arena *next = r->arena->next;
		free(r->arena);
		r->arena = next;
	}
	for (i = 0; i < r->nmarks; i++)
		free(r->marks[i].title);
	free(r->boxes);
	free(r->marks);
	free(r);
}

static double
fake_width(void *arg, enum font_role role, double pt, const char *s, size_t n)
{
	size_t i;
	double w = 0;

	(void)arg;
	(void)role;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			w += pt / 2;
		else if (c >= 0xC0)
			w += pt;
	}
	return w;
}

const struct lay_measure *
lay_fake_measure(void)
{
	static const struct lay_measure fake = { fake_width, NULL };

	return &fake;
}
