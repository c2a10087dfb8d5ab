/* Layout: the driver (see layout.h): lays the blocks out one after the
 * other (page.c applies the keep rules), builds boxes in the result's
 * arrays and text arena, places a chart's frame on the grid (chart*.c
 * fills it), and the fake measurer. */
#include "layout_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
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

/* ---- the text setter ------------------------------------------------- */

/* Returns 1 if s[0..n) may hold a spacing change between two characters
 * (two full-width marks in a row, or a Han-Latin pair when the rule has a
 * gap), after decoding it into tx; 0 for most strings, quickly. */
static int
may_adjust(const struct lay *L, struct text *tx, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == n)
		return 0;       /* ASCII: no marks, no Han */
	text_decode(tx, s, n);
	for (i = 1; i < tx->n; i++)
		if ((punct_class(tx->cp[i - 1]) != PC_NONE &&
		    punct_class(tx->cp[i]) != PC_NONE) ||
		    (L->mw.cjk_latin > 0 && hl_pair(tx->cp[i - 1], tx->cp[i])))
			return 1;
	return 0;
}

/* The layout's measurer (L->mw): the fonts' widths of s as the setter sets
 * it (text_span of the measured text). */
static double
set_width(void *arg, enum font_role role, double pt, const char *s, size_t n)
{
	struct lay *L = arg;
	struct lay_measure fm = *L->fm;
	uint32_t cp;

	if (utf8_decode(s, n, &cp) == n || !may_adjust(L, &L->mx, s, n))
		return fm.width(fm.arg, role, pt, s, n);
	fm.cjk_latin = L->mw.cjk_latin;
	text_measure(&fm, &L->mx, role, pt);
	return text_span(&L->mx, 0, L->mx.n);
}

static int
set_ink(void *arg, enum font_role role, double pt, unsigned cp, double *left,
    double *right)
{
	const struct lay *L = arg;

	if (L->fm->ink == NULL)
		return -1;
	return L->fm->ink(L->fm->arg, role, pt, cp, left, right);
}

/* Appends to *v (*n boxes, capacity *cap) text box b set with the
 * spacing of tx (b's text, measured): one box per part between spacing
 * changes, each at its place along the baseline (rotated boxes too), the
 * parts after the first marked as further runs of the line. */
void
push_runs(struct lay *L, struct lay_box **v, size_t *n, size_t *cap,
    const struct lay_box *b, const struct text *tx)
{
	double d = 0, da = 0, dx = 1, dy = 0, adj;
	size_t a = 0, c;
	struct lay_box *p;

	if (b->angle != 0) {
		dx = cos(b->angle * M_PI / 180);
		dy = sin(b->angle * M_PI / 180);
	}
	for (c = 1; c <= tx->n; c++) {
		d += tx->w[c - 1];
		adj = c < tx->n ? text_adjust(tx, c - 1) : 0;
		if (c < tx->n && adj == 0) {
			d += b->char_space;
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 256;
			*v = xreallocarray(*v, *cap, sizeof(**v));
		}
		p = &(*v)[(*n)++];
		*p = *b;
		p->x = b->x + dx * da;
		p->y = b->y + dy * da;
		p->x2 = (float)(b->x + dx * d);
		p->run = a > 0 ? 1 : b->run;
		p->text = lay_text(L->r, tx->s + tx->off[a],
		    tx->off[c] - tx->off[a]);
		d += b->char_space + adj;
		da = d;
		a = c;
	}
}

/* Sets every text box whose text has spacing changes (kerned marks,
 * Han-Latin gaps) as runs, in place of the box, so that what is drawn has
 * the width measure() gave.  Body lines are set by para.c already: their
 * boxes hold no such change and stay as they are. */
/* Returns 1 if text box b must be set as runs (its text has a spacing
 * change), with b's text measured in L->sx; 0 if it stays as it is. */
int
needs_runs(struct lay *L, const struct lay_box *b)
{
	size_t k;
	struct lay_measure fm;

	if (b->kind != LAY_BOX_TEXT || b->text == NULL ||
	    !may_adjust(L, &L->sx, b->text, strlen(b->text)))
		return 0;
	fm = *L->fm;
	fm.cjk_latin = L->mw.cjk_latin;
	text_measure(&fm, &L->sx, b->role, b->size);
	for (k = 0; k + 1 < L->sx.n; k++)
		if (text_adjust(&L->sx, k) != 0)
			return 1;
	return 0;
}

static void
set_boxes(struct lay *L)
{
	struct lay_result *r = L->r;
	struct lay_box *v = NULL;
	size_t i, n = 0, cap = 0;

	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *b = &r->boxes[i];

		if (needs_runs(L, b)) {
			if (v == NULL) {
				cap = r->nboxes + 256;
				v = xreallocarray(NULL, cap, sizeof(*v));
				memcpy(v, r->boxes, i * sizeof(*v));
				n = i;
			}
			push_runs(L, &v, &n, &cap, b, &L->sx);
			continue;
		}
		if (v != NULL) {
			if (n == cap) {
				cap *= 2;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[n++] = *b;
		}
	}
	if (v != NULL) {
		free(r->boxes);
		r->boxes = v;
		r->nboxes = n;
		L->boxcap = cap;
	}
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

void
lay_arena_reset(struct lay_result *r)
{
	struct lay_arena *a = r->arena;

	if (a == NULL)
		return;
	while (a->next != NULL) {
		struct lay_arena *next = a->next->next;

		free(a->next);
		a->next = next;
	}
	a->used = 0;
}

struct lay_box *
box_new(struct lay *L)
{
	struct lay_result *r = L->r;
	struct lay_box *b;

	if (r->nboxes - r->base == L->boxcap) {
		L->boxcap = L->boxcap ? 2 * L->boxcap : 256;
		r->boxes = xreallocarray(r->boxes, L->boxcap, sizeof(*b));
	}
	b = &r->boxes[r->nboxes++ - r->base];
	memset(b, 0, sizeof(*b));
	b->page = L->page;
	return b;
}

/* lay_box.src for text starting at s: its offset in the block's text or
 * date, when s points into them. */
static unsigned int
src_of(const struct lay *L, const char *s)
{
	uintptr_t p = (uintptr_t)s, a;

	if (L->src1 != NULL && (a = (uintptr_t)L->src1) <= p &&
	    p < a + L->src1n && p - a < LAY_SRC_TEXT2)
		return (unsigned int)(p - a);
	if (L->src2 != NULL && (a = (uintptr_t)L->src2) <= p &&
	    p < a + L->src2n && p - a < LAY_SRC_TEXT2)
		return LAY_SRC_TEXT2 + (unsigned int)(p - a);
	return LAY_SRC_NONE;
}

void
set_src(struct lay *L, size_t box, unsigned int src)
{
	struct lay_result *r = L->r;

	if (src == LAY_SRC_NONE)
		return;
	/* a big block: a streamed layout keeps it flat too */
	if (r->nsrcs == L->srccap) {
		L->srccap = L->srccap ? 2 * L->srccap : 64;
		r->srcs = big_reallocarray(r->srcs, L->srccap,
		    sizeof(*r->srcs));
	}
	r->srcs[r->nsrcs].box = box;
	r->srcs[r->nsrcs++].src = src;
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
	set_src(L, L->r->nboxes - 1, src_of(L, s));
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
		if (lbox(L, i).page != pg)
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

static void lay_block(struct lay *L, const struct doc_node *b,
    long push_last);

/* Lays out one block.  push_last > 0 (paragraphs only) forces the last
 * push_last lines onto a new page.  Records the block's boxes (the last
 * time it is laid out wins: the keep rules roll back and lay again). */
void
lay_one(struct lay *L, const struct doc_node *b, long push_last)
{
	size_t i = (size_t)(b - L->nodes);
	/* a float is set from inside the paragraph that fills the page:
	 * the paragraph's sources are restored after it */
	const char *s1 = L->src1, *s2 = L->src2;
	size_t s1n = L->src1n, s2n = L->src2n;

	L->r->node_first[i] = L->r->nboxes;
	L->src1 = L->src2 = NULL;
	L->src1n = L->src2n = 0;
	if (b->kind != DOC_TABLE && b->kind != DOC_CHART) {
		L->src1 = b->text;
		L->src1n = b->text != NULL ? strlen(b->text) : 0;
		L->src2 = b->text2;
		L->src2n = b->text2 != NULL ? strlen(b->text2) : 0;
	}
	lay_block(L, b, push_last);
	L->src1 = s1;
	L->src2 = s2;
	L->src1n = s1n;
	L->src2n = s2n;
	L->r->node_end[i] = L->r->nboxes;
}

/* lay_one without the bookkeeping. */
static void
lay_block(struct lay *L, const struct doc_node *b, long push_last)
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

/* Checks the geometry and sets up L for doc.  Returns 0, or -1 after
 * reporting. */
static int
lay_init(struct lay *L, const struct doc *doc, const struct style *st,
    const struct lay_measure *m)
{
	if (doc == NULL || st == NULL || m == NULL || m->width == NULL ||
	    !(st->block_w > 0) ||
	    !(st->block_h > 0) || st->lines_per_page < 1 ||
	    st->chars_per_line < 1 || !(st->body_size > 0) ||
	    !(st->title_size > 0) || !(st->table_size > 0) ||
	    !(st->table_title_size > 0) || !(st->pagenum_size > 0) ||
	    st->indent_chars < 0 ||
	    st->indent_chars >= st->chars_per_line) {
		diag_error(EXIT_USAGE, NULL, "layout: impossible page geometry "
		    "(text block, lines, characters or type sizes)");
		return -1;
	}
	linebreak_init();
	memset(L, 0, sizeof(*L));
	L->st = st;
	L->fm = m;
	L->mw.width = set_width;
	L->mw.ink = set_ink;
	L->mw.arg = L;
	L->mw.cjk_latin = st->cjk_latin_space;
	L->m = &L->mw;
	L->r = xcalloc(1, sizeof(*L->r));
	L->r->nnodes = doc->n;
	L->r->node_first = xcalloc(doc->n + 1, sizeof(*L->r->node_first));
	L->r->node_end = xcalloc(doc->n + 1, sizeof(*L->r->node_end));
	L->nodes = doc->nodes;
	L->page = 1;
	L->lpp = st->lines_per_page;
	L->top = st->page_h - st->margin_top;
	L->left = st->margin_left;
	L->right = st->margin_left + st->block_w;
	L->pitch = st->block_h / st->lines_per_page;
	L->cell = st->block_w / st->chars_per_line;
	L->track = L->cell - st->body_size;
	return 0;
}

/* Lays out every block (a float still waiting goes on a last page),
 * then the page numbers.  Returns 0, or -1 after a located error. */
static int
lay_blocks(struct lay *L, const struct doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n;) {
		lay_flush(L, 0);
		i = lay_seq(L, doc->nodes, doc->n, i);
	}
	flush_float(L);
	if (L->failed)
		return -1;
	L->r->npages = L->sp != NULL ? store_maxpage(L) : 1;
	for (i = 0; i < L->r->nboxes - L->r->base; i++)
		if (L->r->boxes[i].page > L->r->npages)
			L->r->npages = L->r->boxes[i].page;
	page_numbers(L);
	return 0;
}

static void
lay_fini(struct lay *L)
{
	text_free(&L->tx);
	text_free(&L->mx);
	text_free(&L->sx);
	free(L->lv.v);
	text_free(&L->ftx);
	free(L->flv.v);
}

struct lay_result *
lay_run(const struct doc *doc, const struct style *st,
    const struct lay_measure *m)
{
	struct lay L;

	if (lay_init(&L, doc, st, m) != 0)
		return NULL;
	if (lay_blocks(&L, doc) != 0) {
		lay_fini(&L);
		lay_free(L.r);
		return NULL;
	}
	set_boxes(&L);
	lay_fini(&L);
	return L.r;
}

struct lay_result *
lay_stream(const struct doc *doc, const struct style *st,
    const struct lay_measure *m)
{
	struct lay L;
	int rc;

	if (lay_init(&L, doc, st, m) != 0)
		return NULL;
	if (store_begin(&L) != 0) {
		lay_fini(&L);
		lay_free(L.r);
		return NULL;
	}
	rc = lay_blocks(&L, doc);
	if (rc == 0)
		rc = store_end(&L);
	lay_fini(&L);
	if (rc != 0) {
		lay_free(L.r);
		return NULL;
	}
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
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i].text);
	free(r->notes);
	store_free(r);
	big_free(r->srcs);
	free(r->node_first);
	free(r->node_end);
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

/* Fake ink, in em: Han 0.05..0.95, ASCII 0.05..0.45; 、。 centred
 * (0.375..0.625, as AR PL UMing draws them, the Taiwan convention); the
 * other pauses and closing marks in the left half (0.1..0.4), opening
 * marks in the right half (0.6..0.9), the GB convention. */
static int
fake_ink(void *arg, enum font_role role, double pt, unsigned cp,
    double *left, double *right)
{
	double l = 0.05, r = 0.95;

	(void)arg;
	(void)role;
	if (cp <= 0x20 || cp == 0x3000)
		return -1;
	if (cp < 0x80) {
		r = 0.45;
	} else if (cp == 0x3001 || cp == 0x3002) {
		l = 0.375;
		r = 0.625;
	} else if (punct_class(cp) == PC_OPEN) {
		l = 0.6;
		r = 0.9;
	} else if (punct_class(cp) != PC_NONE) {
		l = 0.1;
		r = 0.4;
	}
	*left = l * pt;
	*right = r * pt;
	return 0;
}

const struct lay_measure *
lay_fake_measure(void)
{
	static const struct lay_measure fake = { fake_width, fake_ink, NULL,
	    0 };

	return &fake;
}
