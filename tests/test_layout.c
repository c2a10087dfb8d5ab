/* Unit tests for layout.c: line breaking, justification, pagination, page
 * numbers, tables, signature.  A fake measurer makes every non-ASCII
 * character 1 em and every ASCII character ½ em wide. */
#include "testutil.h"

#include <math.h>

#include "diag.h"
#include "layout.h"
#include "linebreak.h"
#include "util.h"

#define LEFT 79.370
#define BLOCK_W 442.205
#define RIGHT (LEFT + BLOCK_W)
#define CELL (BLOCK_W / 28)
#define PITCH (637.795 / 22)
#define BASE0 716.433

#define fake (*lay_fake_measure())
#define fake_width(a, r, pt, s, n) lay_fake_measure()->width(a, r, pt, s, n)

/* Nodes, series and charts of a hand-built struct doc (the layout only
 * reads them, so the casts from string literals and const arrays are
 * safe). */
#define NODE(k, lvl, txt, txt2, tbl, cht) { .kind = (k), .level = (lvl), \
	.text = (char *)(txt), .text2 = (char *)(txt2), .table = (tbl), \
	.chart = (cht) }
#define SERIES(nm, sty, vals, pres) { .name = (char *)(nm), .style = (sty), \
	.values = (double *)(vals), .present = (int *)(pres), .decimals = -1 }
#define CHART(ttl, un, nc, cs, ns, ser, vl, hl) { .title = (char *)(ttl), \
	.unit = (char *)(un), .ncats = (nc), .cats = (char **)(cs), \
	.nseries = (ns), .series = (ser), .value_labels = (vl), \
	.height_lines = (hl) }

/* Lays out the n nodes b as one doc with measurer m. */
static struct lay_result *
lay_nodes_m(const struct doc_node *b, size_t n, const struct style *st,
    const struct lay_measure *m)
{
	struct doc d = { .path = NULL, .n = n, .nodes = (struct doc_node *)b };

	return lay_run(&d, st, m);
}
#define lay_nodes(b, n, st) lay_nodes_m(b, n, st, lay_fake_measure())

/* ---- helpers ---------------------------------------------------------- */

/* Returns s repeated n times (caller frees). */
static char *
rep(const char *s, int n)
{
	size_t len = strlen(s);
	char *p = malloc(len * (size_t)n + 1);
	int i;

	assert_non_null(p);
	for (i = 0; i < n; i++)
		memcpy(p + len * (size_t)i, s, len);
	p[len * (size_t)n] = '\0';
	return p;
}

/* Concatenates NULL-terminated arguments (caller frees). */
static char *
cat(const char *first, ...)
{
	va_list ap;
	size_t len = 0;
	const char *s;
	char *p;

	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *))
		len += strlen(s);
	va_end(ap);
	p = malloc(len + 1);
	assert_non_null(p);
	p[0] = '\0';
	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *))
		strcat(p, s);
	va_end(ap);
	return p;
}

static struct lay_result *
run(const struct doc_node *b, size_t n)
{
	struct style st = test_style_gbt();
	struct lay_result *r = lay_nodes(b, n, &st);

	assert_non_null(r);
	return r;
}

static int
is_line(const struct lay_box *b)
{
	return b->kind == LAY_BOX_TEXT && b->role != ROLE_PAGENUM;
}

/* Number of code points in s. */
static size_t
nchars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Visible right edge of a text box. */
static double
right_edge(const struct lay_box *b)
{
	return b->x + fake_width(NULL, b->role, b->size, b->text,
	    strlen(b->text)) + (double)(nchars(b->text) - 1) * b->char_space;
}

static int
slot_of(const struct lay_box *b)
{
	return (int)lround((BASE0 - b->y) / PITCH);
}

static int
starts_with_any(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strncmp(s, *set, strlen(*set)) == 0)
			return 1;
	return 0;
}

static int
ends_with_any(const char *s, const char *const *set)
{
	size_t n = strlen(s);

	for (; *set; set++) {
		size_t k = strlen(*set);

		if (n >= k && strcmp(s + n - k, *set) == 0)
			return 1;
	}
	return 0;
}

static const char *const bad_start[] = {
	"、", "，", "。", "；", "：", "？", "！", "”", "’", "」", "』", "）",
	"》", "〉", "】", "〕", "〗", "］", "｝", "·", "–", "—", "～", "…",
	",", ".", ";", ":", "!", "?", ")", "]", "%", NULL
};
static const char *const bad_end[] = {
	"“", "‘", "「", "『", "（", "《", "〈", "【", "〔", "〖", "［", "｛",
	NULL
};
static const char *const squeezable[] = {
	"，", "。", "、", "；", "：", "？", "！", "”", "）", "》", NULL
};

/* A visual line: consecutive text boxes on one baseline, in one role and
 * size, each a further run of the line (box.h) starting near the end of
 * the previous one (a justified line with Latin or digit runs, or with
 * kerned marks, is several boxes). */
struct vline {
	size_t first, n;            /* boxes[first .. first + n) */
	char text[4096];
	double right;               /* visible right edge */
	int justified;              /* some run spread beyond the grid */
};

/* Reads the visual line starting at box *i (a line box) and advances *i
 * past it. */
static void
next_vline(const struct lay_result *r, size_t *i, struct vline *v)
{
	const struct lay_box *b = &r->boxes[*i];
	double track = CELL - 16;

	v->first = *i;
	v->n = 0;
	v->text[0] = '\0';
	v->justified = 0;
	for (;;) {
		const struct lay_box *p = &r->boxes[*i];

		assert_true(strlen(v->text) + strlen(p->text) < sizeof(v->text));
		strcat(v->text, p->text);
		v->right = right_edge(p);
		if (fabs(p->char_space - track) > 1e-9 &&
		    fabs(p->char_space) > 1e-9)
			v->justified = 1;
		v->n++;
		(*i)++;
		if (*i >= r->nboxes)
			break;
		p = &r->boxes[*i];
		if (!is_line(p) || p->page != b->page ||
		    fabs(p->y - b->y) > 1e-6 || p->role != b->role ||
		    fabs(p->size - b->size) > 1e-9 || !p->run ||
		    p->x < v->right - 0.6 * b->size ||
		    p->x > v->right + 0.6 * b->size)
			break;
	}
}

/* The right end of the ink of v's last glyph, by m's ink. */
static double
ink_right(const struct vline *v, const struct lay_measure *m)
{
	size_t n = strlen(v->text), k = n;
	uint32_t cp = 0;
	double l = 0, r = 0, w;

	while (k > 0 && ((unsigned char)v->text[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0)
		k--;
	utf8_decode(v->text + k, n - k, &cp);
	w = m->width(m->arg, ROLE_BODY, 16, v->text + k, n - k);
	if (m->ink == NULL || m->ink(m->arg, ROLE_BODY, 16, cp, &l, &r) != 0)
		r = w;
	return v->right - w + r;
}

/* Returns 1 if v, ending in a mark squeezed to ½ em, is set as the rules
 * ask: a mark with more than ½ em of blank at its right gives up ½ em
 * there (its advance overhangs the edge by 8 pt, its ink is inside); one
 * with less (centred ink) gives up all of it and the rest at its left, so
 * its ink ends at the edge. */
static int
squeezed_ok(const struct vline *v, const struct lay_measure *m)
{
	double e = ink_right(v, m), blank = v->right - e;

	if (m->ink == NULL)     /* the GB convention is assumed */
		return fabs(v->right - (RIGHT + 8)) <= 0.5;
	if (e > RIGHT + 0.01)
		return 0;
	if (blank >= 8)
		return fabs(v->right - (RIGHT + 8)) <= 0.5;
	return fabs(e - RIGHT) <= 0.5;
}

/* Checks the invariants of every body line in r: no prohibited start or
 * end. */
static void
check_lines(const struct lay_result *r)
{
	size_t i = 0;
	struct vline v;

	while (i < r->nboxes) {
		const struct lay_box *b = &r->boxes[i];

		if (!is_line(b) || b->role == ROLE_TITLE) {
			i++;
			continue;
		}
		next_vline(r, &i, &v);
		if (starts_with_any(v.text, bad_start))
			fail_msg("line starts with a prohibited mark: %s",
			    v.text);
		if (ends_with_any(v.text, bad_end))
			fail_msg("line ends with an opening mark: %s",
			    v.text);
	}
}

/* Asserts that every justified body line (every line but the last of a
 * paragraph: the last of the result or one followed by an indented
 * line) ends at the right edge, or ½ em beyond it when its last
 * character is a squeezed full-width mark. */
static void
check_justified(const struct lay_result *r, int *njust)
{
	size_t i = 0;
	struct vline v, nx;
	int have = 0;

	*njust = 0;
	for (;;) {
		int more = 0;
		double e;

		while (i < r->nboxes) {
			const struct lay_box *b = &r->boxes[i];

			if (is_line(b) && b->role == ROLE_BODY &&
			    b->size == 16) {
				next_vline(r, &i, have ? &nx : &v);
				more = 1;
				break;
			}
			i++;
		}
		if (!have) {
			if (!more)
				return;
			have = 1;
			continue;
		}
		if (!more)
			return;         /* v is the last line */
		if (fabs(r->boxes[nx.first].x - (LEFT + 2 * CELL)) > 0.01) {
			e = v.right;
			(*njust)++;
			/* A squeezed line-end mark: its ink ends at the edge,
			 * its advance may overhang. */
			if (!(fabs(e - RIGHT) <= 0.5) &&
			    !(ends_with_any(v.text, squeezable) && e > RIGHT &&
			    squeezed_ok(&v, lay_fake_measure())))
				fail_msg("line not justified (edge %.3f): %s",
				    e, v.text);
		}
		v = nx;
	}
}

/* Text of the body lines of page pg, in order, joined by '|'. */
static char *
page_lines(const struct lay_result *r, int pg, int *count)
{
	size_t i, len = 1;
	char *p;
	struct vline v;

	*count = 0;
	for (i = 0; i < r->nboxes; i++)
		if (is_line(&r->boxes[i]) && r->boxes[i].page == pg)
			len += strlen(r->boxes[i].text) + 1;
	p = calloc(1, len);
	assert_non_null(p);
	i = 0;
	while (i < r->nboxes) {
		if (!(is_line(&r->boxes[i]) && r->boxes[i].page == pg)) {
			i++;
			continue;
		}
		next_vline(r, &i, &v);
		strcat(p, v.text);
		strcat(p, "|");
		(*count)++;
	}
	return p;
}

/* Index of the first text box containing s, or -1. */
static long
find_box(const struct lay_result *r, const char *s)
{
	size_t i;

	for (i = 0; i < r->nboxes; i++)
		if (r->boxes[i].kind == LAY_BOX_TEXT &&
		    strstr(r->boxes[i].text, s))
			return (long)i;
	return -1;
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_full_page(void **state)
{
	char *s = rep("国", 26 + 28 * 40);
	struct doc_node b = NODE(DOC_PARA, 0, s, NULL, NULL, NULL);
	struct lay_result *r;
	int n1, n2;
	char *p;
	size_t i;

	(void)state;
	r = run(&b, 1);
	p = page_lines(r, 1, &n1);
	free(p);
	p = page_lines(r, 2, &n2);
	free(p);
	assert_int_equal(n1, 22);
	assert_int_equal(n2, 41 - 22);
	assert_int_equal(r->npages, 2);
	/* Grid: baselines 716.433 - 28.991 k; indent 2 cells; 28 a line. */
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (!is_line(bx))
			continue;
		assert_true(fabs(bx->y - (BASE0 - PITCH * slot_of(bx))) < 0.01);
		if (i == 0) {
			assert_true(fabs(bx->x - (LEFT + 2 * CELL)) < 0.01);
			assert_int_equal(nchars(bx->text), 26);
			assert_true(fabs(bx->y - BASE0) < 0.01);
		} else {
			assert_true(fabs(bx->x - LEFT) < 0.01);
			assert_int_equal(nchars(bx->text), 28);
		}
		/* All full lines: 28 cells fill the measure exactly. */
		assert_true(fabs(right_edge(bx) - RIGHT) < 0.5);
		assert_true(bx->char_space < 0 && bx->char_space > -0.3);
	}
	lay_free(r);
	free(s);
}

static void
test_justify_mixed(void **state)
{
	char *s = cat("本年度全市地区生产总值达到86.37亿元，同比增长5.2%，",
	    "其中第一产业增加值1,234.5万元，下降−3.5%；",
	    "Shanghai Pudong新区（含临港）完成“十四五”规划目标任务，",
	    "工业增加值增长显著——总体保持平稳……各项指标稳中有进。",
	    "全年完成固定资产投资，社会消费品零售总额继续增长，",
	    "城乡居民人均可支配收入稳步提高，民生保障有力有效。", NULL);
	struct doc_node b = NODE(DOC_PARA, 0, s, NULL, NULL, NULL);
	struct lay_result *r;
	int nj;

	(void)state;
	r = run(&b, 1);
	check_lines(r);
	check_justified(r, &nj);
	assert_true(nj >= 4);
	assert_true(find_box(r, "86.37") >= 0);
	assert_true(find_box(r, "1,234.5") >= 0);
	assert_true(find_box(r, "−3.5%") >= 0);
	assert_true(find_box(r, "Shanghai") >= 0);
	assert_true(find_box(r, "——") >= 0);
	assert_true(find_box(r, "……") >= 0);
	lay_free(r);
	free(s);
}

/* A comma right after a full first line (26 cells) must not start line 2:
 * it is squeezed into line 1 (½ em) or the previous character goes down. */
static void
test_no_comma_at_start(void **state)
{
	char *a = rep("一", 26);
	char *s1 = cat(a, "，二三四五六七八九十", NULL);
	char *s2 = cat(a, "，”", a, NULL);          /* squeeze impossible */
	struct doc_node b[2] = {
		NODE(DOC_PARA, 0, s1, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, s2, NULL, NULL, NULL),
	};
	struct lay_result *r;
	int nj;

	(void)state;
	r = run(b, 2);
	check_lines(r);
	check_justified(r, &nj);
	/* s1: the comma squeezed onto line 1. */
	assert_string_equal(r->boxes[0].text, "一一一一一一一一一一一一一一"
	    "一一一一一一一一一一一一，");
	/* s2: "一，”" pushed to the next line, "，”" kerned to 1.5 em: the
	 * comma (ink in the left half, fake metrics) gives up ½ em at its
	 * right, so ” starts a run ½ em before the comma's advance ends. */
	assert_int_equal(nchars(r->boxes[2].text), 25);
	assert_string_equal(r->boxes[3].text, "一，");
	assert_true(strncmp(r->boxes[4].text, "”", strlen("”")) == 0);
	assert_int_equal(r->boxes[4].run, 1);
	assert_true(fabs(r->boxes[4].x - (r->boxes[3].x2 +
	    r->boxes[3].char_space - 8)) < 0.01);
	lay_free(r);
	free(a);
	free(s1);
	free(s2);
}

/* A measurer like the fake one whose pauses are all centred in the em
 * (as AR PL UKai draws ，。、：；！: the Taiwan convention), and one with
 * no ink at all (the GB convention is assumed). */
static int
centred_ink(void *arg, enum font_role role, double pt, unsigned cp,
    double *left, double *right)
{
	if (cp == 0xFF0C || cp == 0x3002 || cp == 0x3001 || cp == 0xFF1B ||
	    cp == 0xFF1A || cp == 0xFF1F || cp == 0xFF01) {
		*left = 0.4 * pt;
		*right = 0.6 * pt;
		return 0;
	}
	return lay_fake_measure()->ink(arg, role, pt, cp, left, right);
}

/* Every pause or closing mark that would start line 2 is squeezed into
 * line 1, and its ink ends at the right edge of the block (not beyond,
 * not short of it), whatever side of the em the font draws it in; no
 * line's ink crosses the edge. */
static void
test_punct_ink(void **state)
{
	static const char *const marks[] = {
		"，", "。", "、", "；", "：", "？", "！", "”", "）", "》", NULL
	};
	struct lay_measure centred = *lay_fake_measure(), noink = centred;
	const struct lay_measure *ms[] = { lay_fake_measure(), &centred,
	    &noink };
	struct style st = test_style_gbt();
	char *a = rep("一", 26), *b = rep("二", 30);
	size_t k, mi, i;

	(void)state;
	centred.ink = centred_ink;
	noink.ink = NULL;
	for (k = 0; k < 3; k++)
		for (mi = 0; marks[mi] != NULL; mi++) {
			char *s = cat(a, marks[mi], b, "。", NULL);
			struct doc_node nd = NODE(DOC_PARA, 0, s, NULL, NULL,
			    NULL);
			struct lay_result *r = lay_nodes_m(&nd, 1, &st, ms[k]);
			struct vline v;
			int line = 0;

			assert_non_null(r);
			check_lines(r);
			for (i = 0; i < r->nboxes;) {
				double e;

				if (!is_line(&r->boxes[i]) ||
				    r->boxes[i].role != ROLE_BODY) {
					i++;
					continue;
				}
				next_vline(r, &i, &v);
				e = ink_right(&v, ms[k]);
				if (ms[k]->ink == NULL)
					/* GB assumed: ink in the left half */
					e = v.right - 8;
				if (e > RIGHT + 0.01)
					fail_msg("ink at %.2f past the edge: %s",
					    e, v.text);
				if (line++ == 0 && (nchars(v.text) != 27 ||
				    !ends_with_any(v.text, (const char *const[])
				    { marks[mi], NULL }) ||
				    !squeezed_ok(&v, ms[k])))
					fail_msg("%s not squeezed to ½ em at the "
					    "edge (ink %.2f): %s", marks[mi], e,
					    v.text);
			}
			lay_free(r);
			free(s);
		}
	free(a);
	free(b);
}

/* A number never leaves its unit or measure word, nor its sign, wherever
 * the line ends. */
static void
test_units(void **state)
{
	static const char *const units[] = {
		"32.0亿元", "3万吨", "3000吨/年", "180余家", "2.3个百分点",
		"1.5万美元", "35千伏", "12.6公里", "800亩", "5.2‰", "−3.5%",
		"+12.6万元", "2021年", "16个", "14户", "8家", "120人", NULL
	};
	size_t u, i;
	int pre;

	(void)state;
	for (u = 0; units[u] != NULL; u++)
		for (pre = 20; pre <= 27; pre++) {
			char *a = rep("一", pre);
			char *s = cat(a, units[u], "二三四五六七八九十。", NULL);
			struct doc_node nd = NODE(DOC_PARA, 0, s, NULL, NULL,
			    NULL);
			struct lay_result *r = run(&nd, 1);
			struct vline v;
			int whole = 0;

			check_lines(r);
			for (i = 0; i < r->nboxes;) {
				if (!is_line(&r->boxes[i])) {
					i++;
					continue;
				}
				next_vline(r, &i, &v);
				whole |= strstr(v.text, units[u]) != NULL;
			}
			if (!whole)
				fail_msg("%s split after %d characters",
				    units[u], pre);
			lay_free(r);
			free(s);
			free(a);
		}
}

/* Opening marks, "——", "……", numbers and Latin words across the break. */
static void
test_unbreakables(void **state)
{
	char *a25 = rep("一", 25), *a24 = rep("一", 24), *a23 = rep("一", 23);
	char *a20 = rep("一", 20);
	char *s[] = {
		cat(a25, "（二）三四五六七八九十", NULL),
		cat(a25, "“二”三四五六七八九十", NULL),
		cat(a25, "——二三四五六七八九十", NULL),
		cat(a25, "……二三四五六七八九十", NULL),
		cat(a24, "−3.5%三四五六七八九十", NULL),
		cat(a24, "1,234.5四五六七八九十", NULL),
		cat(a23, "86.37亿元同比八九十", NULL),
		cat(a20, "Development三四五六七八九十", NULL),
	};
	const char *whole[] = {
		"（二）", "“二”", "——", "……", "−3.5%", "1,234.5", "86.37",
		"Development",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		struct doc_node b = NODE(DOC_PARA, 0, s[i], NULL, NULL, NULL);
		struct lay_result *r = run(&b, 1);
		int nj;

		check_lines(r);
		check_justified(r, &nj);
		if (find_box(r, whole[i]) < 0)
			fail_msg("split: %s", whole[i]);
		lay_free(r);
		free(s[i]);
	}
	free(a25);
	free(a24);
	free(a23);
	free(a20);
}

/* A naive break would leave "十。" alone: a character is pulled down. */
static void
test_lone_last_line(void **state)
{
	char *a = rep("一", 26);
	char *s = cat(a, "十。", NULL);
	struct doc_node b = NODE(DOC_PARA, 0, s, NULL, NULL, NULL);
	struct lay_result *r = run(&b, 1);
	int nj;

	(void)state;
	assert_int_equal(nchars(r->boxes[0].text), 25);
	assert_string_equal(r->boxes[1].text, "一十。");
	check_justified(r, &nj);
	assert_int_equal(nj, 1);
	lay_free(r);
	free(a);
	free(s);
}

/* Shrink before stretch: "2022年" overflows line 1 by about an em; with
 * three ， inside, compressing them makes room and the number joins line
 * 1 (still justified to the edge, checked by check_justified); with one
 * ， it cannot, and the number goes down whole. */
static void
test_shrink_before_stretch(void **state)
{
	char *a6 = rep("文", 6), *a3 = rep("文", 3), *a20 = rep("文", 20);
	char *a8 = rep("文", 8), *a15 = rep("文", 15);
	char *s3 = cat(a6, "，", a6, "，", a6, "，", a3, "2022年", a20, "。",
	    NULL);
	char *s1 = cat(a8, "，", a15, "2022年", a20, "。", NULL);
	char *ss[] = { s3, s1 };
	int i, k, nj;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct doc_node b = NODE(DOC_PARA, 0, ss[i], NULL, NULL, NULL);
		struct lay_result *r = run(&b, 1);

		check_lines(r);
		check_justified(r, &nj);
		assert_int_equal(nj, 1);
		k = (int)find_box(r, "2022");
		assert_true(k > 0);
		if (i == 0)
			assert_true(fabs(r->boxes[k].y - r->boxes[0].y) < 0.01);
		else
			assert_true(r->boxes[k].y < r->boxes[0].y - 1);
		lay_free(r);
	}
	free(a6);
	free(a3);
	free(a20);
	free(a8);
	free(a15);
	free(s3);
	free(s1);
}

/* Text of n full lines as one paragraph (first line 26 + 28 each). */
static char *
para_lines(int n)
{
	return rep("文", 26 + 28 * (n - 1));
}

static void
test_heading_keep(void **state)
{
	char *p21 = para_lines(21), *p20 = para_lines(20), *p5 = para_lines(5);
	struct doc_node b1[3] = {
		NODE(DOC_PARA, 0, p21, NULL, NULL, NULL),
		NODE(DOC_HEADING, 1, "一、总体情况", NULL, NULL, NULL),
		NODE(DOC_PARA, 0, p5, NULL, NULL, NULL),
	};
	struct doc_node b2[3] = {
		NODE(DOC_PARA, 0, p20, NULL, NULL, NULL),
		NODE(DOC_HEADING, 2, "（一）主要指标", NULL, NULL, NULL),
		NODE(DOC_PARA, 0, p5, NULL, NULL, NULL),
	};
	struct lay_result *r;
	long h;

	(void)state;
	r = run(b1, 3);
	h = find_box(r, "一、总体情况");
	assert_true(h >= 0);
	assert_int_equal(r->boxes[h].page, 2);
	assert_int_equal(slot_of(&r->boxes[h]), 0);
	assert_int_equal(r->boxes[h].role, ROLE_HEADING);
	assert_true(fabs(r->boxes[h].x - (LEFT + 2 * CELL)) < 0.01);
	assert_int_equal(r->nmarks, 1);
	assert_int_equal(r->marks[0].page, 2);
	assert_int_equal(r->marks[0].level, 1);
	assert_string_equal(r->marks[0].title, "一、总体情况");
	assert_true(fabs(r->marks[0].y - 737.008) < 0.01);
	lay_free(r);

	/* Slot 20: one line of the paragraph follows on slot 21, which is
	 * enough (与下段同页): the heading stays and page 1 is full. */
	r = run(b2, 3);
	h = find_box(r, "（一）主要指标");
	assert_int_equal(r->boxes[h].page, 1);
	assert_int_equal(slot_of(&r->boxes[h]), 20);
	assert_int_equal(r->boxes[h].role, ROLE_SUBHEADING);
	assert_int_equal(r->boxes[h + 1].page, 1);
	assert_int_equal(slot_of(&r->boxes[h + 1]), 21);
	lay_free(r);
	free(p21);
	free(p20);
	free(p5);
}

static void
test_widow_orphan(void **state)
{
	char *p18 = para_lines(18), *p21 = para_lines(21), *p5 = rep("段", 26 + 28 * 4);
	struct doc_node widow[2] = {
		NODE(DOC_PARA, 0, p18, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, p5, NULL, NULL, NULL),
	};
	struct doc_node orphan[2] = {
		NODE(DOC_PARA, 0, p21, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, p5, NULL, NULL, NULL),
	};
	struct lay_result *r;
	size_t i;
	int on1 = 0, on2 = 0;

	(void)state;
	/* Pages are full like the form's (22 lines): no widow or orphan
	 * rule.  4 slots left for 5 lines: 4 + 1. */
	r = run(widow, 2);
	for (i = 0; i < r->nboxes; i++)
		if (is_line(&r->boxes[i]) && strstr(r->boxes[i].text, "段"))
			r->boxes[i].page == 1 ? on1++ : on2++;
	assert_int_equal(on1, 4);
	assert_int_equal(on2, 1);
	lay_free(r);

	/* 1 slot left: the first line takes it. */
	on1 = on2 = 0;
	r = run(orphan, 2);
	for (i = 0; i < r->nboxes; i++)
		if (is_line(&r->boxes[i]) && strstr(r->boxes[i].text, "段"))
			r->boxes[i].page == 1 ? on1++ : on2++;
	assert_int_equal(on1, 1);
	assert_int_equal(on2, 4);
	lay_free(r);
	free(p18);
	free(p21);
	free(p5);
}

static void
test_page_numbers(void **state)
{
	char *s = para_lines(30);
	struct doc_node b = NODE(DOC_PARA, 0, s, NULL, NULL, NULL);
	struct lay_result *r;
	struct style st = test_style_gbt();
	size_t i;
	int seen = 0;

	(void)state;
	r = run(&b, 1);
	assert_int_equal(r->npages, 2);
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (bx->role != ROLE_PAGENUM)
			continue;
		seen++;
		assert_true(fabs(bx->y - 74.05) < 0.05);
		assert_true(fabs(bx->size - 14) < 1e-9);
		if (bx->page == 1) {
			assert_string_equal(bx->text, "— 1 —");
			/* width 14 + 7 + 7 + 7 + 14 = 49 */
			assert_true(fabs(bx->x - (RIGHT - 14 - 49)) < 0.01);
		} else {
			assert_string_equal(bx->text, "— 2 —");
			assert_true(fabs(bx->x - (LEFT + 14)) < 0.01);
		}
	}
	assert_int_equal(seen, 2);
	lay_free(r);

	st.pagenum_first = 0;
	r = lay_nodes(&b, 1, &st);
	seen = 0;
	for (i = 0; i < r->nboxes; i++)
		if (r->boxes[i].role == ROLE_PAGENUM) {
			seen++;
			assert_int_equal(r->boxes[i].page, 2);
		}
	assert_int_equal(seen, 1);
	lay_free(r);
	free(s);
}

static void
test_title(void **state)
{
	struct doc_node b[3] = {
		NODE(DOC_TITLE, 0, "关于二〇二四年度全市经济社会发展主要指标完成情况的总结报告", NULL, NULL, NULL),
		NODE(DOC_SUBTITLE, 0, "（2025年1月5日）", NULL, NULL, NULL),
		NODE(DOC_PARA, 0, "正文。", NULL, NULL, NULL),
	};
	struct lay_result *r = run(b, 3);
	const struct lay_box *t0 = &r->boxes[0], *t1 = &r->boxes[1];
	double c0, c1;

	(void)state;
	/* 29 characters at 22 pt: two balanced lines of 15 and 14. */
	assert_int_equal(t0->role, ROLE_TITLE);
	assert_true(fabs(t0->bold - 0.03) < 1e-9);
	assert_true(fabs(t0->size - 22) < 1e-9);
	assert_true(labs((long)nchars(t0->text) - (long)nchars(t1->text)) <= 1);
	c0 = t0->x + fake_width(NULL, 0, 22, t0->text, strlen(t0->text)) / 2;
	c1 = t1->x + fake_width(NULL, 0, 22, t1->text, strlen(t1->text)) / 2;
	assert_true(fabs(c0 - (LEFT + BLOCK_W / 2)) < 0.01);
	assert_true(fabs(c1 - (LEFT + BLOCK_W / 2)) < 0.01);
	assert_int_equal(slot_of(t0), 0);
	/* Subtitle after a blank slot, then a blank slot, then the body. */
	assert_int_equal(r->boxes[2].role, ROLE_SUBHEADING);
	assert_true(fabs(r->boxes[2].y - (BASE0 - PITCH * 3)) < 0.01);
	assert_true(fabs(r->boxes[3].y - (BASE0 - PITCH * 5)) < 0.01);
	lay_free(r);
}

static void
test_signature(void **state)
{
	char *p21 = para_lines(21), *p3 = para_lines(3);
	struct doc_node b[2] = {
		NODE(DOC_PARA, 0, "正文内容。", NULL, NULL, NULL),
		NODE(DOC_SIGNATURE, 0, "某某市统计局", "2025年1月5日", NULL, NULL),
	};
	struct doc_node b2[3] = {
		NODE(DOC_PARA, 0, p21, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, p3, NULL, NULL, NULL),
		NODE(DOC_SIGNATURE, 0, "某某市统计局", "2025年1月5日", NULL, NULL),
	};
	struct lay_result *r;
	long n, d;
	size_t i;
	int sigpage;
	double wd;

	(void)state;
	/* Date longer than name - 2 chars: date 空二字, name 2 chars left. */
	r = run(b, 2);
	n = find_box(r, "某某市统计局");
	d = find_box(r, "2025年");
	assert_true(n >= 0 && d >= 0);
	wd = 6 * 16 + 9 * (CELL - 16);
	assert_true(fabs(r->boxes[d].x - (RIGHT - 2 * CELL - wd)) < 0.01);
	assert_true(fabs(r->boxes[n].x - (r->boxes[d].x - 2 * CELL)) < 0.01);
	assert_int_equal(slot_of(&r->boxes[n]), 2);
	assert_int_equal(slot_of(&r->boxes[d]), 3);
	lay_free(r);

	/* Long name: name 空二字, date starts 2 chars right of it. */
	b[1].text = (char *)"某某市人民政府办公室";
	r = run(b, 2);
	n = find_box(r, "某某市人民政府办公室");
	d = find_box(r, "2025年");
	assert_true(fabs(r->boxes[n].x - (RIGHT - 12 * CELL)) < 0.01);
	assert_true(fabs(r->boxes[d].x - (r->boxes[n].x + 2 * CELL)) < 0.01);
	lay_free(r);

	/* The signature never goes alone to a new page. */
	r = run(b2, 3);
	n = find_box(r, "某某市统计局");
	sigpage = r->boxes[n].page;
	for (i = 0; i < (size_t)n; i++)
		if (is_line(&r->boxes[i]) && r->boxes[i].page == sigpage)
			break;
	assert_true(i < (size_t)n);
	lay_free(r);
	free(p21);
	free(p3);
}

static const char *const hdr3[] = { "地区", "产值（亿元）", "增长（%）" };
static const enum align al3[] = { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_RIGHT };
static const double w3[] = { 0, 0, 0 };

static struct doc_table
table3(size_t nrows, const char *const *cells)
{
	struct doc_table t;

	memset(&t, 0, sizeof(t));
	t.title = (char *)"表1 各地区主要指标";
	t.unit = (char *)"单位：亿元";
	t.continued = "续表";
	t.empty_text = (char *)"本期无数据。";
	t.missing = "—";
	t.ncols = 3;
	t.headers = (char **)hdr3;
	t.aligns = (enum align *)al3;
	t.widths = (double *)w3;
	t.nrows = nrows;
	t.cells = (char **)cells;
	return t;
}

static const char **
make_cells(size_t nrows)
{
	const char **c = malloc(nrows * 3 * sizeof(*c));
	size_t i;

	assert_non_null(c);
	for (i = 0; i < nrows; i++) {
		c[i * 3] = i % 2 ? "东城区" : "西城区经济技术开发区";
		c[i * 3 + 1] = "1,234.56";
		c[i * 3 + 2] = i % 7 ? "-3.5" : NULL;
	}
	return c;
}

static void
test_table_pages(void **state)
{
	const char **cells = make_cells(100);
	struct doc_table t = table3(100, cells);
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct lay_result *r = run(&b, 1);
	size_t i;
	int pg, cont, hdr, rules;

	(void)state;
	assert_true(r->npages >= 3);
	for (pg = 1; pg <= r->npages; pg++) {
		cont = hdr = rules = 0;
		for (i = 0; i < r->nboxes; i++) {
			const struct lay_box *bx = &r->boxes[i];

			if (bx->page != pg)
				continue;
			if (bx->kind == LAY_BOX_RULE) {
				rules++;
				assert_true(bx->x >= LEFT - 0.01);
				assert_true(bx->x2 <= RIGHT + 0.01);
				assert_true(bx->y2 >= 99.21 - 0.01);
				continue;
			}
			if (strcmp(bx->text, "续表") == 0) {
				cont++;
				assert_true(fabs(bx->x - LEFT) < 0.01);
			}
			if (strcmp(bx->text, "产值（亿元）") == 0) {
				hdr++;
				assert_int_equal(bx->role, ROLE_HEADING);
			}
			if (bx->role != ROLE_PAGENUM)
				assert_true(bx->y > 99.21);
		}
		assert_int_equal(cont, pg > 1);
		assert_int_equal(hdr, 1);
		assert_true(rules > 4);
	}
	/* Title, unit, right-aligned numbers, missing cell. */
	i = (size_t)find_box(r, "表1 各地区主要指标");
	assert_int_equal(r->boxes[i].role, ROLE_HEADING);
	assert_true(fabs(r->boxes[i].size - 16) < 1e-9);
	i = (size_t)find_box(r, "单位：亿元");
	assert_true(fabs(r->boxes[i].x + 60 - RIGHT) < 0.01);
	i = (size_t)find_box(r, "1,234.56");
	assert_int_equal(r->boxes[i].role, ROLE_BODY);
	assert_true(fabs(r->boxes[i].size - 12) < 1e-9);
	assert_true(find_box(r, "—") >= 0);
	lay_free(r);
	free(cells);
}

static void
test_table_empty_and_bold(void **state)
{
	static const char *const cells[] = {
		"东城区", "1.0", "2.0",
		"合计", "3.0", "4.0",
	};
	static const int bold[] = { 0, 1 };
	struct doc_table t = table3(0, NULL);
	struct doc_table t2 = table3(2, cells);
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct doc_node b2[2] = {
		NODE(DOC_TABLE, 0, NULL, NULL, &t2, NULL),
		NODE(DOC_PARA, 0, "表后正文。", NULL, NULL, NULL),
	};
	struct lay_result *r = run(&b, 1);
	long i;

	(void)state;
	i = find_box(r, "本期无数据。");
	assert_true(i >= 0);
	assert_int_equal(r->boxes[i].role, ROLE_BODY);
	for (i = 0; i < (long)r->nboxes; i++)
		assert_int_equal(r->boxes[i].kind, LAY_BOX_TEXT);
	lay_free(r);

	t2.row_bold = (int *)bold;
	r = run(b2, 2);
	i = find_box(r, "合计");
	assert_int_equal(r->boxes[i].role, ROLE_HEADING);
	i = find_box(r, "东城区");
	assert_int_equal(r->boxes[i].role, ROLE_BODY);
	/* The body grid resumes on a slot after the table. */
	i = find_box(r, "表后正文。");
	assert_true(fabs(r->boxes[i].y - (BASE0 - PITCH * slot_of(&r->boxes[i])))
	    < 0.01);
	assert_true(r->boxes[i].y < r->boxes[find_box(r, "合计")].y - 12);
	lay_free(r);
}

/* A long cell wraps inside its column with the paragraph rules. */
static void
test_table_wrap(void **state)
{
	static const char *const hdr[] = { "项目", "说明" };
	static const enum align al[] = { ALIGN_LEFT, ALIGN_LEFT };
	static const double w[] = { 100, 0 };
	char *longtext = rep("全年经济运行总体平稳，", 8);
	const char *cells[] = { "甲", longtext };
	struct doc_table t;
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct lay_result *r;
	size_t i;
	int n = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.ncols = 2;
	t.headers = (char **)hdr;
	t.aligns = (enum align *)al;
	t.widths = (double *)w;
	t.nrows = 1;
	t.cells = (char **)cells;
	r = run(&b, 1);
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (bx->kind != LAY_BOX_TEXT || bx->role == ROLE_PAGENUM ||
		    strstr(bx->text, "经") == NULL)
			continue;
		n++;
		assert_true(bx->x >= LEFT + 100);
		assert_true(bx->x + fake_width(NULL, 0, 12, bx->text,
		    strlen(bx->text)) <= RIGHT + 0.01);
		if (starts_with_any(bx->text, bad_start))
			fail_msg("cell line starts with %s", bx->text);
	}
	assert_true(n >= 3);
	lay_free(r);
	free(longtext);
}

/* clreq 行首标点挤压: an opening mark that starts a paragraph line after
 * the first is drawn ½ em left of the block (its ink, in the right half
 * of the em, at the margin) and the line still ends at the right edge,
 * its gaps wider by the ½ em; the first line keeps its mark whole after
 * the indent.  In a left-aligned table cell every line starting with one
 * is set ½ em left of the others; a right-aligned one keeps its edge. */
static void
test_open_lead(void **state)
{
	static const char *const hdr[] = { "项目", "说明", "数值" };
	static const enum align al[] = { ALIGN_LEFT, ALIGN_LEFT, ALIGN_RIGHT };
	static const double w[] = { 100, 150, 0 };
	char *a = rep("一", 26), *b = rep("二", 40), *fill = rep("全", 11);
	char *p1 = cat(a, "（规划）", b, "。", NULL);
	char *p2 = cat("（一）", b, b, "。", NULL);
	char *c1 = cat(fill, "（暂定）", fill, NULL);
	const char *cells[] = { "“十四五”项目", c1, "（暂缺）" };
	struct doc_table t;
	struct doc_node nd[] = {
		NODE(DOC_PARA, 0, p1, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, p2, NULL, NULL, NULL),
		NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL),
	};
	struct lay_result *r;
	struct vline v;
	size_t i = 0;
	int line = 0, seen = 0;
	double track = CELL - 16, xl = 0, xo = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.ncols = 3;
	t.headers = (char **)hdr;
	t.aligns = (enum align *)al;
	t.widths = (double *)w;
	t.nrows = 1;
	t.cells = (char **)cells;
	r = run(nd, 3);
	check_lines(r);
	while (i < r->nboxes) {
		const struct lay_box *bx = &r->boxes[i];

		if (!is_line(bx) || bx->role != ROLE_BODY || bx->size != 16) {
			i++;
			continue;
		}
		next_vline(r, &i, &v);
		switch (line++) {
		case 0:         /* p1, line 1 */
		case 3:         /* p2, line 1: （一） after the indent */
			assert_true(fabs(bx->x - (LEFT + 2 * CELL)) < 0.01);
			break;
		case 1:         /* p1, line 2: （ */
			assert_true(strncmp(v.text, "（规划）", 12) == 0);
			assert_int_equal(v.n, 1);
			assert_true(fabs(bx->x - (LEFT - 8)) < 0.01);
			assert_true(fabs(v.right - RIGHT) < 0.01);
			assert_true(fabs(bx->char_space - (track + 8.0 / 27)) <
			    0.01);
			break;
		default:
			assert_true(fabs(bx->x - LEFT) < 0.01);
		}
	}
	assert_true(line >= 5);
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (bx->kind != LAY_BOX_TEXT || bx->size != 12 ||
		    bx->role != ROLE_BODY)
			continue;
		if (strncmp(bx->text, "全", 3) == 0)
			xl = bx->x;     /* a plain line of the 说明 cell */
		else if (strncmp(bx->text, "（暂定）", 12) == 0) {
			xo = bx->x;
			seen++;
		} else if (strncmp(bx->text, "“十四五”", 12) == 0) {
			/* the first column's padding (6 pt) less ½ em */
			assert_true(fabs(bx->x - LEFT) < 0.01);
			seen++;
		} else if (strcmp(bx->text, "（暂缺）") == 0) {
			assert_true(fabs(bx->x + 48 - (RIGHT - 6)) < 0.01);
			seen++;
		}
	}
	assert_int_equal(seen, 3);
	assert_true(xl > LEFT && fabs(xo - (xl - 6)) < 0.01);
	lay_free(r);
	free(a);
	free(b);
	free(fill);
	free(p1);
	free(p2);
	free(c1);
}

static void
test_table_100k(void **state)
{
	size_t nrows = 100000, i;
	const char **cells = make_cells(nrows);
	struct doc_table t = table3(nrows, cells);
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct lay_result *r = run(&b, 1);
	unsigned char *cont;
	int pg;

	(void)state;
	assert_true(r->npages > 2000);
	cont = calloc((size_t)r->npages + 1, 1);
	assert_non_null(cont);
	for (i = 0; i < r->nboxes; i++)
		if (r->boxes[i].kind == LAY_BOX_TEXT &&
		    strcmp(r->boxes[i].text, "续表") == 0)
			cont[r->boxes[i].page] = 1;
	assert_int_equal(cont[1], 0);
	for (pg = 2; pg <= r->npages; pg++)
		assert_int_equal(cont[pg], 1);
	free(cont);
	lay_free(r);
	free(cells);
}

/* A table too wide at 12 pt is tried at smaller sizes; each cell is
 * analysed for breaks once (at the first size) and those statuses are
 * reused at the other sizes and when the cell is broken into lines.  The
 * cells of a row have the same length but different breaks (Latin words,
 * numbers with units, ideographs), so statuses given to the wrong cell
 * would move a line end: every cell's lines must be those of the cell
 * analysed afresh (text_load) and broken at its column's width. */
static void
test_table_break_reuse(void **state)
{
	static const char *const hdr[] = { "甲", "乙", "丙", "丁", "戊" };
	static const enum align al[] = { ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_LEFT };
	static const char *const pool[] = {   /* 16 characters each */
		"ERP系统上线运行3000吨/年", "芳纶Ⅱ期项目投产ABCDEFGH",
		"年产12万吨项目ABCDEFGH", "ABCDEFGHIJKLMNOP",
		"全年经济运行总体平稳增长显著稳定", "新增规上企业14户ERP系统上线",
		"ABCDEFGH年产12万吨项目",
	};
	enum { NR = 40, NC = 5, NP = sizeof(pool) / sizeof(pool[0]) };
	const char *cells[NR * NC];
	struct doc_table t;
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct style st = test_style_gbt();
	struct lay_result *r;
	struct text tx;
	struct linevec lv;
	double colx[NC + 1], ts = 0;
	size_t i, k, nv = 0, row, c, wrapped = 0;

	(void)state;
	for (i = 0; i < NR * NC; i++)
		cells[i] = pool[(i / NC + i % NC) % NP];
	memset(&t, 0, sizeof(t));
	t.ncols = NC;
	t.headers = (char **)hdr;
	t.aligns = (enum align *)al;
	t.nrows = NR;
	t.cells = (char **)cells;
	st.table_min_size = 9;
	r = lay_nodes(&b, 1, &st);
	assert_non_null(r);
	for (i = 0; i < r->nboxes && nv < NC + 1; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (bx->kind == LAY_BOX_RULE && fabs(bx->x - bx->x2) < 0.01)
			colx[nv++] = bx->x;
		if (bx->kind == LAY_BOX_TEXT && ts == 0)
			ts = bx->size;
	}
	assert_int_equal(nv, NC + 1);
	/* smaller sizes were tried; the table fits at 9.5 pt */
	assert_true(fabs(ts - 9.5) < 1e-9);
	memset(&tx, 0, sizeof(tx));
	memset(&lv, 0, sizeof(lv));
	k = 0;
	for (row = 0; row < NR; row++)
		for (c = 0; c < NC; c++) {
			const char *s = cells[row * NC + c];
			double w = colx[c + 1] - colx[c] - ts;

			text_load(&tx, s, strlen(s));
			text_measure(lay_fake_measure(), &tx, ROLE_BODY, ts);
			lv.n = 0;
			break_greedy(&tx, w, w, 0, 0, ts, 1, &lv);
			if (lv.n > 1)
				wrapped++;
			for (i = 0; i < lv.n; i++) {
				const struct line *ln = &lv.v[i];
				const struct lay_box *bx;

				/* the next body text box that is no header */
				do {
					assert_true(k < r->nboxes);
					bx = &r->boxes[k++];
				} while (bx->kind != LAY_BOX_TEXT ||
				    bx->role != ROLE_BODY || bx->run);
				if (strlen(bx->text) != ln->b1 - ln->b0 ||
				    memcmp(bx->text, s + ln->b0, ln->b1 - ln->b0))
					fail_msg("row %zu column %zu line %zu: "
					    "\"%s\", not \"%.*s\"", row, c, i,
					    bx->text, (int)(ln->b1 - ln->b0),
					    s + ln->b0);
			}
		}
	assert_true(wrapped > NR);
	text_free(&tx);
	free(lv.v);
	lay_free(r);
}

/* Right-aligned numbers line up on the units digit whatever their
 * decimal part (".5", ".25", ".125%", none), in body and bold rows, at the
 * size the table is set at after larger sizes were tried (the decimal
 * parts' widths are measured once per size: one kept from a larger size
 * would move the numbers). */
static void
test_table_units_digit(void **state)
{
	static const char *const hdr[] = { "甲", "乙", "丙", "丁", "金额" };
	static const enum align al[] = { ALIGN_LEFT, ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_LEFT, ALIGN_RIGHT };
	static const char *const text = "ABCDEFGHIJKLMNOP";
	static const char *const nums[] = { "12.5", "3.25", "1,234",
	    "7.125%", "88.25", "0.5" };
	enum { NR = 12, NC = 5 };
	const char *cells[NR * NC];
	int bold[NR];
	struct doc_table t;
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct style st = test_style_gbt();
	struct lay_result *r;
	size_t i, seen = 0, row, c;
	double units = -1, ts = 0;

	(void)state;
	for (row = 0; row < NR; row++) {
		for (c = 0; c + 1 < NC; c++)
			cells[row * NC + c] = text;
		cells[row * NC + NC - 1] = nums[row % 6];
		bold[row] = row % 4 == 3;
	}
	memset(&t, 0, sizeof(t));
	t.ncols = NC;
	t.headers = (char **)hdr;
	t.aligns = (enum align *)al;
	t.nrows = NR;
	t.cells = (char **)cells;
	t.row_bold = bold;
	st.table_min_size = 9;
	r = lay_nodes(&b, 1, &st);
	assert_non_null(r);
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];
		const char *dot;
		double u;

		if (bx->kind != LAY_BOX_TEXT || bx->role == ROLE_PAGENUM)
			continue;
		if (ts == 0)
			ts = bx->size;
		for (c = 0; c < 6 && strcmp(bx->text, nums[c]) != 0; c++)
			;
		if (c == 6)
			continue;
		/* the right edge of the integer part */
		dot = strchr(bx->text, '.');
		u = bx->x + fake_width(NULL, bx->role, bx->size, bx->text,
		    dot ? (size_t)(dot - bx->text) : strcspn(bx->text, "%"));
		if (units < 0)
			units = u;
		assert_true(fabs(u - units) < 1e-6);
		seen++;
	}
	assert_int_equal(seen, NR);
	assert_true(ts < 12 - 1e-9);     /* smaller sizes were tried */
	lay_free(r);
}

/* Column widths: 序号, short text, numbers and short headers never wrap;
 * long text columns share the rest in proportion to their widths. */
static void
test_table_widths(void **state)
{
	static const char *const hdr[] = { "序号", "项目名称", "企业", "类别",
	    "状态", "投资额", "到位资金" };
	static const enum align al[] = { ALIGN_CENTER, ALIGN_LEFT, ALIGN_LEFT,
	    ALIGN_CENTER, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_RIGHT };
	static const double w0[] = { 0, 0, 0, 0, 0, 0, 0 };
	static const double wfix[] = { 0, 0, 0, 0, 0, 0, 70 };
	static const char *const cells[] = {
		"1", "碳纤维复合材料产业园扩能项目", "蓝川碳纤科技股份有限公司",
		"新材料", "签约", "1,232.00", "4.80",
		"2", "卫星通信电子材料产业基地项目", "星衡电子材料股份有限公司",
		"电子信息", "在建", "18.50", "12,345.60",
	};
	struct doc_table t;
	struct doc_node b = NODE(DOC_TABLE, 0, NULL, NULL, &t, NULL);
	struct lay_result *r;
	size_t i, k;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		double colx[8], v[8];
		size_t nv = 0;

		memset(&t, 0, sizeof(t));
		t.ncols = 7;
		t.headers = (char **)hdr;
		t.aligns = (enum align *)al;
		t.widths = (double *)(pass ? wfix : w0);
		t.nrows = 2;
		t.cells = (char **)cells;
		r = run(&b, 1);
		/* Every short cell is exactly one box, never split. */
		for (k = 0; k < sizeof(cells) / sizeof(cells[0]); k++)
			if (k % 7 != 1 && k % 7 != 2 && find_box(r, cells[k]) < 0)
				fail_msg("cell wrapped: %s", cells[k]);
		for (k = 0; k < 7; k++)
			if (find_box(r, hdr[k]) < 0)
				fail_msg("header wrapped: %s", hdr[k]);
		/* Long text wraps. */
		assert_true(find_box(r, "碳纤维复合材料产业园扩能项目") < 0);
		/* Column rules: verticals of the first segment. */
		for (i = 0; i < r->nboxes && nv < 8; i++) {
			const struct lay_box *bx = &r->boxes[i];

			if (bx->kind == LAY_BOX_RULE && fabs(bx->x - bx->x2) < 0.01)
				v[nv++] = bx->x;
		}
		assert_int_equal(nv, 8);
		memcpy(colx, v, sizeof(colx));
		assert_true(fabs(colx[0] - LEFT) < 0.01);
		assert_true(fabs(colx[7] - RIGHT) < 0.01);
		/* The two long columns get widths in proportion to their
		 * natural widths (14 and 12 characters + padding). */
		assert_true(fabs((colx[2] - colx[1]) / (colx[3] - colx[2]) -
		    (14 * 12.0 + 12) / (12 * 12.0 + 12)) < 0.01);
		/* Short columns get their natural width plus padding. */
		assert_true(fabs(colx[1] - colx[0] - (24 + 12)) < 0.01);
		assert_true(fabs(colx[4] - colx[3] - (48 + 12)) < 0.01);
		assert_true(fabs(colx[5] - colx[4] - (24 + 12)) < 0.01);
		if (pass)
			assert_true(fabs(colx[7] - colx[6] - 70) < 0.01);
		else
			assert_true(fabs(colx[7] - colx[6] - (9 * 6 + 12)) <
			    0.01);
		/* Numbers right-aligned: right edges line up. */
		i = (size_t)find_box(r, "1,232.00");
		k = (size_t)find_box(r, "18.50");
		assert_true(fabs(r->boxes[i].x + 8 * 6 - (colx[6] - 6)) < 0.01);
		assert_true(fabs(r->boxes[k].x + 5 * 6 - (colx[6] - 6)) < 0.01);
		lay_free(r);
	}
}

/* Mixed text: Latin and digit runs keep their natural spacing (separate
 * boxes with char_space 0); with [layout] cjk_latin_space = 0.25 a
 * Han-Latin gap of up to ¼ em, none next to Chinese punctuation or at the
 * line start; by default (none) the gap is the line's Han spacing;
 * justified lines still end at the right edge. */
static void
mixed_runs(double cjk_latin)
{
	char *s = cat("2021年，园区实现产值286.4亿元，同比增长23.6%，",
	    "完成年度目标的106.1%；入库税金9.86亿元（2020年为8.12亿元），",
	    "新增规模以上工业企业14户，芳纶Ⅱ期项目投产，ERP系统上线运行，",
	    "全年各项工作稳中有进、进中向好，主要指标全面完成。", NULL);
	struct doc_node b = NODE(DOC_PARA, 0, s, NULL, NULL, NULL);
	struct lay_result *r;
	long i, j;
	int nj;

	struct style st = test_style_gbt();

	st.cjk_latin_space = cjk_latin;
	r = lay_nodes(&b, 1, &st);
	assert_non_null(r);
	check_lines(r);
	check_justified(r, &nj);
	assert_true(nj >= 2);
	/* The paragraph starts with a digit run at the indent. */
	assert_string_equal(r->boxes[0].text, "2021");
	assert_true(fabs(r->boxes[0].x - (LEFT + 2 * CELL)) < 0.01);
	assert_true(r->boxes[0].char_space == 0);
	assert_int_equal(r->boxes[0].run, 0);
	assert_string_equal(r->boxes[1].text, "年，园区实现产值");
	assert_int_equal(r->boxes[1].run, 1);
	if (cjk_latin > 0) {
		/* "年" after a Han-Latin gap of ⅛..¼ em. */
		assert_true(r->boxes[1].x - (r->boxes[0].x + 32) >= 2 - 0.01);
		assert_true(r->boxes[1].x - (r->boxes[0].x + 32) <= 4 + 0.01);
	} else {
		/* No gap of its own: the spacing of the Han run after it. */
		assert_true(fabs(r->boxes[1].x - (r->boxes[0].x + 32) -
		    r->boxes[1].char_space) < 0.01);
	}
	for (i = 0; i < (long)r->nboxes; i++) {
		const struct lay_box *bx = &r->boxes[i];

		if (!is_line(bx))
			continue;
		if (strcmp(bx->text, "286.4") == 0 ||
		    strcmp(bx->text, "23.6%") == 0 ||
		    strcmp(bx->text, "9.86") == 0 ||
		    strcmp(bx->text, "ERP") == 0)
			assert_true(bx->char_space == 0);
	}
	/* "（2020" : no gap next to the opening bracket. */
	i = find_box(r, "2020");
	assert_true(i > 0);
	j = i - 1;
	assert_true(r->boxes[j].run == 0 || r->boxes[i].run == 1);
	{
		const struct lay_box *p = &r->boxes[j];
		double pe = p->x2;

		assert_true(ends_with_any(p->text, (const char *const[]){
		    "（", NULL }));
		/* Gap = the Han run's char_space, not ¼ em. */
		assert_true(fabs(r->boxes[i].x - pe - p->char_space) < 0.01);
	}
	/* Ⅱ is set with the Han text. */
	assert_true(find_box(r, "芳纶Ⅱ期项目投产") >= 0 ||
	    find_box(r, "Ⅱ期") >= 0);
	lay_free(r);
	free(s);
}

static void
test_mixed_runs(void **state)
{
	(void)state;
	mixed_runs(0.25);
	mixed_runs(0);
}

static void
test_pagebreak_and_dump(void **state)
{
	struct doc_node b[3] = {
		NODE(DOC_HEADING, 1, "一、总体情况", NULL, NULL, NULL),
		NODE(DOC_PAGEBREAK, 0, NULL, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, "正文。", NULL, NULL, NULL),
	};
	struct lay_result *r = run(b, 3);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	assert_int_equal(r->npages, 2);
	lay_dump(r, fp);
	fclose(fp);
	assert_string_equal(buf,
	    "1 110.96 716.43 heading 16.00 一、总体情况\n"
	    "2 110.96 716.43 body 16.00 正文。\n"
	    "1 458.58 74.05 pagenum 14.00 — 1 —\n"
	    "2 93.37 74.05 pagenum 14.00 — 2 —\n"
	    "mark 1 1 一、总体情况\n");
	free(buf);
	lay_free(r);
	lay_free(NULL);
	assert_string_equal(lay_role_name(ROLE_TITLE), "title");
	assert_string_equal(lay_role_name(ROLE_BODY), "body");
	assert_string_equal(lay_role_name(ROLE_HEADING), "heading");
	assert_string_equal(lay_role_name(ROLE_SUBHEADING), "subheading");
	assert_string_equal(lay_role_name(ROLE_LATIN), "latin");
	assert_string_equal(lay_role_name(ROLE_PAGENUM), "pagenum");
}

static void
test_bad_geometry(void **state)
{
	struct style st = test_style_gbt();
	struct doc_node b = NODE(DOC_PARA, 0, "正文。", NULL, NULL, NULL);
	FILE *sink = fopen("/dev/null", "w");

	(void)state;
	diag_set_stream(sink);
	st.lines_per_page = 0;
	assert_null(lay_nodes(&b, 1, &st));
	assert_int_equal(diag_exit_code(), EXIT_USAGE);
	diag_set_stream(NULL);
	diag_reset();
	if (sink)
		fclose(sink);
}

/* Where a figure was drawn (lay_locate_text) and the review marks. */
static void
test_locate(void **state)
{
	char *a = rep("中", 40), *b = rep("文", 10);
	char *text = cat(a, "123", b, NULL);
	struct doc_node nodes[3] = {
		NODE(DOC_PARA, 0, text, NULL, NULL, NULL),
		NODE(DOC_PAGEBREAK, 0, NULL, NULL, NULL, NULL),
		NODE(DOC_PARA, 0, "甲乙丙", NULL, NULL, NULL),
	};
	struct lay_result *r = run(nodes, 3);
	struct lay_rect rc[4];
	size_t n, nb, from = strlen(a), len = strlen(text);

	(void)state;
	assert_int_equal(r->nnodes, 3);
	/* "123": one rectangle, three half-em digits wide, around the
	 * baseline of the second line */
	n = lay_locate_text(r, &fake, 0, 0, from, from + 3, rc, 4);
	assert_int_equal(n, 1);
	assert_int_equal(rc[0].page, 1);
	assert_true(fabs((rc[0].x1 - rc[0].x0) - 3 * 8.0) < 0.01);
	assert_true(rc[0].y0 < BASE0 - PITCH && BASE0 - PITCH < rc[0].y1);
	/* the whole paragraph: one rectangle per line */
	n = lay_locate_text(r, &fake, 0, 0, 0, len, rc, 4);
	assert_int_equal(n, 2);
	assert_true(rc[0].y0 > rc[1].y1);
	/* the date of a signature is another text: nothing here */
	assert_int_equal(lay_locate_text(r, &fake, 0, 1, 0, len, rc, 4), 0);
	/* after the page break, page 2; the second character starts one
	 * cell after the indent */
	n = lay_locate_text(r, &fake, 2, 0, 3, 6, rc, 4);
	assert_int_equal(n, 1);
	assert_int_equal(rc[0].page, 2);
	assert_true(fabs(rc[0].x0 - (LEFT + 3 * CELL)) < 0.01);
	/* out of range */
	assert_int_equal(lay_locate_text(r, &fake, 7, 0, 0, 3, rc, 4), 0);
	/* a review mark: an underline, the number's segments, one note */
	nb = r->nboxes;
	lay_review_mark(r, &fake, rc, 1, 8, "note");
	assert_int_equal(r->nnotes, 1);
	assert_int_equal(r->notes[0].page, 2);
	assert_string_equal(r->notes[0].text, "note");
	assert_int_equal(r->nboxes, nb + 1 + 7);  /* underline + 8's seven */
	assert_int_equal(r->boxes[nb].kind, LAY_BOX_RULE);
	lay_free(r);
	free(a);
	free(b);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_page),
		cmocka_unit_test(test_justify_mixed),
		cmocka_unit_test(test_no_comma_at_start),
		cmocka_unit_test(test_punct_ink),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_unbreakables),
		cmocka_unit_test(test_lone_last_line),
		cmocka_unit_test(test_shrink_before_stretch),
		cmocka_unit_test(test_heading_keep),
		cmocka_unit_test(test_widow_orphan),
		cmocka_unit_test(test_page_numbers),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_table_pages),
		cmocka_unit_test(test_table_empty_and_bold),
		cmocka_unit_test(test_table_wrap),
		cmocka_unit_test(test_open_lead),
		cmocka_unit_test(test_table_100k),
		cmocka_unit_test(test_table_widths),
		cmocka_unit_test(test_table_break_reuse),
		cmocka_unit_test(test_table_units_digit),
		cmocka_unit_test(test_mixed_runs),
		cmocka_unit_test(test_pagebreak_and_dump),
		cmocka_unit_test(test_bad_geometry),
		cmocka_unit_test(test_locate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
