/* Figures: listing every evaluated value and writing the figures sheet
 * (see figures.h). */
#include "figures.h"
#include "bigmem.h"
#include "chart.h"
#include "config.h"
#include "diag.h"
#include "format.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* At most this many rows or cells are listed one by one. */
#define FIG_MAX_LISTED 20

static struct fig *
add_fig(struct fig_list *l, enum fig_kind kind, const struct doc_node *n,
    const struct doc_prov *prov)
{
	struct fig *f;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->number = (int)l->n;
	f->kind = kind;
	f->node = n;
	f->prov = prov;
	f->warn = prov->warn;
	if (prov->nskipped > 0)
		f->warn |= DOC_WARN_SKIPPED;
	return f;
}

/* 1 if text has a digit and every digit is 0 ("0.0", "0.00%"). */
static int
prints_zero(const char *text)
{
	int digits = 0;

	for (; text != NULL && *text != '\0'; text++) {
		if (*text >= '1' && *text <= '9')
			return 0;
		if (*text == '0')
			digits++;
	}
	return digits > 0;
}

/* The warnings the doc itself shows about an inline figure. */
static unsigned
inline_warn(const struct doc_inline *in)
{
	const struct doc_value *v = &in->value;
	unsigned w = 0;

	if (v->kind == 1 && v->num != 0 && isfinite(v->num) &&
	    prints_zero(v->printed))
		w |= DOC_WARN_ROUNDS_ZERO;
	/* A lone cell read and no value: the cell was blank. */
	if (v->kind == 0 && v->prov.ncells == 1 && v->prov.filter == NULL)
		w |= DOC_WARN_BLANK;
	return w;
}

/* 1 if cell (r, c) of t was computed and has something to show. */
static int
cell_is_figure(const struct doc_table *t, size_t r, size_t c)
{
	const struct doc_prov *p;

	if ((p = doc_table_prov(t, r, c)) == NULL)
		return 0;
	if (t->src_rows != NULL && t->src_cols != NULL &&
	    t->src_rows[r] != SIZE_MAX && t->src_cols[c] >= 0)
		return 0;       /* copied from the source */
	return p->ncells > 0 || p->nskipped > 0 || p->warn != 0;
}

static void
collect_node(struct fig_list *l, const struct doc_node *n)
{
	size_t i, r, c;

	switch (n->kind) {
	case DOC_TABLE:
		if (n->table == NULL)
			return;
		for (r = 0; r < n->table->nrows; r++) {
			for (c = 0; c < n->table->ncols; c++) {
				struct fig *f;

				if (!cell_is_figure(n->table, r, c))
					continue;
				f = add_fig(l, FIG_CELL, n,
				    doc_table_prov(n->table, r, c));
				f->row = r;
				f->col = c;
			}
			big_tick(1);    /* the row's provenance is in big
					 * blocks */
		}
		return;
	case DOC_CHART:
		if (n->chart == NULL)
			return;
		for (i = 0; i < n->chart->nseries; i++)
			add_fig(l, FIG_SERIES, n, &n->chart->series[i].prov)
			    ->series = &n->chart->series[i];
		return;
	default:
		for (i = 0; i < n->ninl; i++) {
			const struct doc_inline *in = &n->inl[i];
			struct fig *f;

			if (!in->is_figure || in->hidden)
				continue;
			f = add_fig(l, FIG_INLINE, n, &in->value.prov);
			f->inl = in;
			f->warn |= inline_warn(in);
		}
		return;
	}
}

struct fig_list *
fig_collect(const struct doc *d)
{
	struct fig_list *l = xcalloc(1, sizeof(*l));
	size_t i;

	for (i = 0; d != NULL && i < d->n; i++)
		collect_node(l, &d->nodes[i]);
	return l;
}

void
fig_free(struct fig_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	free(l);
}

void
fig_set_page(struct fig_list *l, int number, int page)
{
	if (l == NULL || number < 1 || (size_t)number > l->n)
		return;
	if (l->v[number - 1].page == 0)
		l->v[number - 1].page = page;
}

void
fig_order(struct fig_list *l, const size_t *order)
{
	struct fig *v;
	size_t i;

	if (l == NULL || l->n == 0)
		return;
	v = xcalloc(l->n, sizeof(*v));
	for (i = 0; i < l->n; i++) {
		v[i] = l->v[order[i]];
		v[i].number = (int)i + 1;
	}
	free(l->v);
	l->v = v;
}

int
fig_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	struct diag_loc loc = { path, 0, 0, NULL, NULL };

	if (dot != NULL && strchr(dot, '/') == NULL) {
		if (strcasecmp(dot, ".csv") == 0)
			return FIG_CSV;
		if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
			return FIG_HTML;
	}
	diag_error(EXIT_USAGE, &loc, "--figures: the file name must end in "
	    ".csv or .html");
	return -1;
}

/* ---- field texts ---------------------------------------------------- */

/* Appends v with the fewest digits that read back as v, in plain
 * decimal notation (no exponent) up to 1e15 in magnitude and down to
 * 17 decimals; beyond, %.17g. */
static void
add_shortest(struct strbuf *sb, double v)
{
	char buf[64];
	int prec;

	if (!isfinite(v)) {
		sb_adds(sb, isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
		return;
	}
	for (prec = 0; fabs(v) < 1e15 && prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*f", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (!(fabs(v) < 1e15) || prec > 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	sb_adds(sb, buf);
}

static void
add_loc(struct strbuf *sb, const struct diag_loc *loc)
{
	if (loc->file != NULL)
		sb_adds(sb, loc->file);
	if (loc->line > 0) {
		sb_printf(sb, ":%d", loc->line);
		if (loc->col > 0)
			sb_printf(sb, ":%d", loc->col);
	}
	if (loc->section != NULL) {
		sb_printf(sb, "%s[%s]", loc->file != NULL ? " " : "",
		    loc->section);
		if (loc->key != NULL)
			sb_printf(sb, " %s", loc->key);
	}
}

char *
fig_where(const struct fig *f, const struct doc *d)
{
	struct strbuf sb;
	struct diag_loc loc;

	sb_init(&sb);
	loc = f->kind == FIG_INLINE ? f->inl->loc : f->node->loc;
	if (loc.file == NULL && loc.section == NULL && d != NULL)
		loc.file = d->path;
	add_loc(&sb, &loc);
	return sb_detach(&sb);
}

/* The [table] column definition whose header is that of column c, or
 * NULL (the 序号 column has none). */
static const struct cfg_column *
table_column(const struct doc_table *t, size_t c)
{
	size_t k;

	if (t->def == NULL || t->headers == NULL || t->headers[c] == NULL)
		return NULL;
	for (k = 0; k < t->def->ncols; k++)
		if (t->def->cols[k].header != NULL &&
		    strcmp(t->def->cols[k].header, t->headers[c]) == 0)
			return &t->def->cols[k];
	return NULL;
}

/* A cfg_column's value without its braces: "growth(本期, 上年同期)". */
static void
add_column_value(struct strbuf *sb, const struct cfg_column *col,
    const char *header)
{
	const char *v = col != NULL && col->value != NULL ? col->value : header;
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '{' && v[n - 1] == '}')
		sb_addn(sb, v + 1, n - 2);
	else
		sb_adds(sb, v);
}

/* The label of a table row: its first non-empty cell that is not a
 * number ("合计", "小计", a project's name). */
static const char *
row_label(const struct doc_table *t, size_t r)
{
	size_t c;
	double v;

	for (c = 0; c < t->ncols; c++) {
		const char *s = t->cells[r * t->ncols + c];
		if (s != NULL && *s != '\0' && parse_figure(s, &v, NULL) != 0)
			return s;
	}
	return "";
}

char *
fig_expression(const struct fig *f)
{
	struct strbuf sb;

	sb_init(&sb);
	if (f->kind == FIG_INLINE) {
		sb_adds(&sb, f->inl->source != NULL ? f->inl->source : "");
	} else if (f->kind == FIG_CELL) {
		const struct doc_table *t = f->node->table;
		const struct cfg_column *col = table_column(t, f->col);
		int row_computed = t->src_rows != NULL &&
		    t->src_rows[f->row] == SIZE_MAX;
		int col_computed = t->src_cols != NULL && t->src_cols[f->col] < 0;

		if (row_computed && !col_computed) {
			/* a 合计 or 小计 cell */
			sb_printf(&sb, "%s: sum(", row_label(t, f->row));
			add_column_value(&sb, col, t->headers[f->col]);
			sb_adds(&sb, ")");
		} else
			add_column_value(&sb, col, t->headers[f->col]);
	} else {
		const struct doc_chart *ch = f->node->chart;
		const struct cfg_chart *def = ch->def;

		sb_printf(&sb, "sum(%s%s%s", def != NULL ? def->source : "",
		    def != NULL ? "." : "", f->series->name);
		if (def != NULL && def->filter != NULL)
			sb_printf(&sb, " where %s", def->filter);
		sb_adds(&sb, ")");
		if (def != NULL && def->category != NULL)
			sb_printf(&sb, " by %s", def->category);
	}
	return sb_detach(&sb);
}

char *
fig_defined(const struct fig *f)
{
	struct strbuf sb;

	sb_init(&sb);
	if (f->kind == FIG_CELL && f->node->table->def != NULL) {
		const struct doc_table *t = f->node->table;
		const struct cfg_table *def = t->def;
		size_t off = def->number ? 1 : 0;

		if (def->path != NULL)
			sb_printf(&sb, "%s ", def->path);
		sb_printf(&sb, "[table.%s]", def->name);
		if (f->col >= off)
			sb_printf(&sb, " col%zu", f->col - off + 1);
		if (t->src_rows != NULL && t->src_rows[f->row] == SIZE_MAX &&
		    t->src_cols != NULL && t->src_cols[f->col] >= 0)
			/* the 合计 is the last row; a 小计 ends a group */
			sb_adds(&sb, def->total && f->row + 1 == t->nrows ?
			    ", total" : ", group");
	} else if (f->kind == FIG_SERIES && f->node->chart->def != NULL) {
		const struct cfg_chart *def = f->node->chart->def;

		if (def->path != NULL)
			sb_printf(&sb, "%s ", def->path);
		sb_printf(&sb, "[chart.%s] %s", def->name,
		    f->series->style == DOC_SERIES_LINE ? "lines" : "bars");
	}
	return sb_detach(&sb);
}

char *
fig_printed(const struct fig *f)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	if (f->kind == FIG_INLINE) {
		if (f->inl->value.printed != NULL)
			sb_adds(&sb, f->inl->value.printed);
	} else if (f->kind == FIG_CELL) {
		const struct doc_table *t = f->node->table;
		const char *s = t->cells[f->row * t->ncols + f->col];
		sb_adds(&sb, s != NULL ? s : t->missing != NULL ? t->missing :
		    "");
	} else {
		/* as the chart's value labels print them */
		const struct doc_chart *ch = f->node->chart;
		int dec = chart_series_decimals(f->series, ch->ncats);
		char buf[64];

		for (i = 0; i < ch->ncats; i++) {
			sb_printf(&sb, "%s%s ", i ? "、" : "", ch->cats[i]);
			if (f->series->present[i])
				sb_adds(&sb, chart_format(f->series->values[i],
				    dec, buf, sizeof(buf)));
			else
				sb_adds(&sb, "—");
		}
	}
	return sb_detach(&sb);
}

char *
fig_value(const struct fig *f)
{
	struct strbuf sb;
	size_t i;
	double x;

	sb_init(&sb);
	if (f->kind == FIG_INLINE && f->inl->value.kind == 1)
		add_shortest(&sb, f->inl->value.num);
	else if (f->kind == FIG_CELL && doc_table_num(f->node->table, f->row,
	    f->col, &x))
		add_shortest(&sb, x);
	else if (f->kind == FIG_SERIES) {
		const struct doc_chart *ch = f->node->chart;

		for (i = 0; i < ch->ncats; i++) {
			sb_printf(&sb, "%s%s=", i ? "; " : "", ch->cats[i]);
			if (f->series->present[i])
				add_shortest(&sb, f->series->values[i]);
		}
	}
	return sb_detach(&sb);
}

static void
add_cell(struct strbuf *sb, const struct doc_cell *c)
{
	sb_printf(sb, "%s:%d:%d %s", c->file ? c->file : "?", c->line, c->col,
	    c->column ? c->column : "");
	if (c->key != NULL)
		sb_printf(sb, " [%s]", c->key);
}

static int
same_group(const struct doc_cell *a, const struct doc_cell *b)
{
	return a->file != NULL && b->file != NULL &&
	    strcmp(a->file, b->file) == 0 && a->column != NULL &&
	    b->column != NULL && strcmp(a->column, b->column) == 0;
}

/* Appends the cells v[0..n) of one file and column as rows:
 * "FILE COLUMN, N rows: lines a, b, … (first 20)".  (The character
 * column differs from line to line.) */
static void
add_rows(struct strbuf *sb, const struct doc_cell *v, size_t n)
{
	size_t i;

	sb_printf(sb, "%s %s, %zu %s: lines ", v[0].file, v[0].column, n,
	    n == 1 ? "row" : "rows");
	for (i = 0; i < n && i < FIG_MAX_LISTED; i++)
		sb_printf(sb, "%s%d", i ? ", " : "", v[i].line);
	if (n > FIG_MAX_LISTED)
		sb_printf(sb, ", … (first %d)", FIG_MAX_LISTED);
}

char *
fig_sources(const struct fig *f)
{
	const struct doc_prov *p = f->prov;
	struct strbuf sb;
	size_t i, j;

	sb_init(&sb);
	/* A few cells without a filter (lookups, growth, share): each in
	 * full.  Otherwise an aggregate: the rows of each column. */
	if (p->filter == NULL && p->ncells <= 4) {
		for (i = 0; i < p->ncells; i++) {
			if (i > 0)
				sb_adds(&sb, "; ");
			add_cell(&sb, &p->cells[i]);
		}
		return sb_detach(&sb);
	}
	for (i = 0; i < p->ncells; i = j) {
		/* an aggregate's cells are a big block (a sum over a
		 * million rows): ticking keeps the pass's pages out of
		 * the resident set */
		for (j = i + 1; j < p->ncells &&
		    same_group(&p->cells[i], &p->cells[j]); j++)
			big_tick(1);
		if (i > 0)
			sb_adds(&sb, "; ");
		add_rows(&sb, &p->cells[i], j - i);
	}
	return sb_detach(&sb);
}

char *
fig_skipped(const struct fig *f)
{
	const struct doc_prov *p = f->prov;
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < p->nskipped && i < FIG_MAX_LISTED; i++) {
		if (i > 0)
			sb_adds(&sb, "; ");
		add_cell(&sb, &p->skipped[i]);
	}
	if (p->nskipped > FIG_MAX_LISTED)
		sb_printf(&sb, "; … (%zu in all)", p->nskipped);
	return sb_detach(&sb);
}

char *
fig_warnings(const struct fig *f)
{
	struct strbuf sb;

	sb_init(&sb);
	if (f->warn & DOC_WARN_ZERO_BASE)
		sb_adds(&sb, "基数为零或空白");
	if (f->warn & DOC_WARN_SKIPPED)
		sb_printf(&sb, "%s跳过%zu个空白单元格", sb.len ? "、" : "",
		    f->prov->nskipped);
	if (f->warn & DOC_WARN_BLANK)
		sb_printf(&sb, "%s所取单元格为空", sb.len ? "、" : "");
	if (f->warn & DOC_WARN_ROUNDS_ZERO)
		sb_printf(&sb, "%s非零值舍入后为零", sb.len ? "、" : "");
	return sb_detach(&sb);
}

/* 1 if the UTF-8 character at s ends a sentence: 。；！？ or a newline. */
static int
ends_sentence(const char *s, size_t n)
{
	static const char *const stops[] = { "。", "；", "！", "？" };
	size_t k;

	if (n >= 1 && s[0] == '\n')
		return 1;
	for (k = 0; k < sizeof(stops) / sizeof(stops[0]); k++)
		if (n >= 3 && memcmp(s, stops[k], 3) == 0)
			return 1;
	return 0;
}

void
fig_context(const struct fig *f, size_t *from, size_t *to)
{
	const char *t = f->node->text;
	size_t len, a, b;
	int chars;

	*from = *to = 0;
	if (f->kind != FIG_INLINE || t == NULL)
		return;
	len = strlen(t);
	a = f->inl->start <= len ? f->inl->start : len;
	b = f->inl->end <= len && f->inl->end >= a ? f->inl->end : a;
	/* back to the character after the previous stop */
	for (chars = 0; a > 0 && chars < 80; chars++) {
		size_t p = a - 1;
		while (p > 0 && ((unsigned char)t[p] & 0xC0) == 0x80)
			p--;
		if (ends_sentence(t + p, len - p))
			break;
		a = p;
	}
	/* forward through the next stop */
	for (chars = 0; b < len && chars < 80; chars++) {
		uint32_t cp;
		size_t k = utf8_decode(t + b, len - b, &cp);
		int stop = ends_sentence(t + b, len - b);

		b += k ? k : 1;
		if (stop)
			break;
	}
	*from = a;
	*to = b;
}

/* ---- warnings on stderr --------------------------------------------- */

int
fig_report(const struct fig_list *l, unsigned already)
{
	size_t i;
	int n = 0;

	for (i = 0; i < l->n; i++) {
		const struct fig *f = &l->v[i];
		unsigned w = f->warn & ~already;
		struct diag_loc loc = f->kind == FIG_INLINE ? f->inl->loc :
		    f->node->loc;
		char *expr, *skipped, *printed, *value;

		if (w == 0)
			continue;
		expr = fig_expression(f);
		printed = fig_printed(f);
		value = fig_value(f);
		if (w & DOC_WARN_ZERO_BASE)
			diag_warn(&loc, "figure %d {%s}: the base is zero or "
			    "blank", f->number, expr);
		if (w & DOC_WARN_SKIPPED) {
			skipped = fig_skipped(f);
			diag_warn(&loc, "figure %d {%s}: skipped %zu blank "
			    "cell(s): %s", f->number, expr, f->prov->nskipped,
			    skipped);
			free(skipped);
		}
		if (w & DOC_WARN_BLANK)
			diag_warn(&loc, "figure %d {%s}: the cell is blank; "
			    "printed as \"%s\"", f->number, expr, printed);
		if (w & DOC_WARN_ROUNDS_ZERO)
			diag_warn(&loc, "figure %d {%s}: %s prints as \"%s\"",
			    f->number, expr, value, printed);
		n += !!(w & DOC_WARN_ZERO_BASE) + !!(w & DOC_WARN_SKIPPED) +
		    !!(w & DOC_WARN_BLANK) + !!(w & DOC_WARN_ROUNDS_ZERO);
		free(expr);
		free(printed);
		free(value);
	}
	return n;
}

/* ---- writing -------------------------------------------------------- */

int
fig_write(const struct fig_list *l, const struct doc *d, const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	struct out_file *o;
	FILE *fp;
	int fmt, rc;

	if ((fmt = fig_format_of(path)) < 0)
		return -1;
	if ((o = out_begin(path, 0)) == NULL)
		return -1;
	if ((fp = fopen(out_tmp_path(o), "wb")) == NULL) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s",
		    out_tmp_path(o), strerror(errno));
		out_abort(o);
		return -1;
	}
	rc = fmt == FIG_CSV ? fig_write_csv(l, d, fp) :
	    fig_write_html(l, d, fp);
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write %s: %s",
		    out_tmp_path(o), strerror(errno));
		out_abort(o);
		return -1;
	}
	return out_commit(o);
}

/* The sheet's columns, in order. */
enum {
	COL_NUMBER, COL_PAGE, COL_WHERE, COL_DEFINED, COL_EXPR, COL_PRINTED,
	COL_VALUE, COL_SOURCES, COL_FILTER, COL_SKIPPED, COL_WARN, COL_CONTEXT,
	NCOLS
};
/* 模板位置 is where a figure appears (a table's or chart's @ line);
 * 定义位置 is the INI key that defines a table column or chart series
 * (empty for a placeholder: defined where it appears). */
static const char *const col_names[NCOLS] = {
	"编号", "页码", "模板位置", "定义位置", "表达式", "输出文本", "原值",
	"来源单元格", "筛选条件", "跳过的空白单元格", "警告", "上下文"
};

/* What a table cell or chart series is: "表题：行 · 列". */
static char *
describe(const struct fig *f)
{
	struct strbuf sb;

	sb_init(&sb);
	if (f->kind == FIG_CELL) {
		const struct doc_table *t = f->node->table;

		sb_printf(&sb, "%s：%s · %s", t->title != NULL ? t->title :
		    f->node->name != NULL ? f->node->name : "",
		    row_label(t, f->row), t->headers[f->col]);
	} else if (f->kind == FIG_SERIES) {
		const struct doc_chart *ch = f->node->chart;

		sb_printf(&sb, "%s：%s", ch->title != NULL ? ch->title :
		    f->node->name != NULL ? f->node->name : "",
		    f->series->name);
	}
	return sb_detach(&sb);
}

static void
add_part(struct strbuf *sb, void (*esc)(struct strbuf *, const char *,
    size_t), const char *s, size_t n)
{
	if (esc != NULL)
		esc(sb, s, n);
	else
		sb_addn(sb, s, n);
}

/* Fills out[NCOLS] with new strings (free each).  The context of an
 * inline figure is its sentence with the figure between mark_open and
 * mark_close, escaped by esc when not NULL. */
static void
fields(const struct fig *f, const struct doc *d, char *out[NCOLS],
    const char *mark_open, const char *mark_close,
    void (*esc)(struct strbuf *, const char *, size_t))
{
	struct strbuf sb;
	size_t a, b;

	out[COL_NUMBER] = xasprintf("%d", f->number);
	out[COL_PAGE] = f->page > 0 ? xasprintf("%d", f->page) : xstrdup("");
	out[COL_WHERE] = fig_where(f, d);
	out[COL_DEFINED] = fig_defined(f);
	out[COL_EXPR] = fig_expression(f);
	out[COL_PRINTED] = fig_printed(f);
	out[COL_VALUE] = fig_value(f);
	out[COL_SOURCES] = fig_sources(f);
	out[COL_FILTER] = xstrdup(f->prov->filter != NULL ? f->prov->filter :
	    "");
	out[COL_SKIPPED] = fig_skipped(f);
	out[COL_WARN] = fig_warnings(f);
	if (f->kind != FIG_INLINE) {
		char *s = describe(f);

		sb_init(&sb);
		add_part(&sb, esc, s, strlen(s));
		free(s);
		out[COL_CONTEXT] = sb_detach(&sb);
		return;
	}
	fig_context(f, &a, &b);
	sb_init(&sb);
	if (f->node->text != NULL && b > a) {
		const char *t = f->node->text;
		size_t s = f->inl->start, e = f->inl->end;

		if (s < a || e > b || e < s)
			s = e = a;
		add_part(&sb, esc, t + a, s - a);
		sb_adds(&sb, mark_open);
		add_part(&sb, esc, t + s, e - s);
		sb_adds(&sb, mark_close);
		add_part(&sb, esc, t + e, b - e);
	}
	out[COL_CONTEXT] = sb_detach(&sb);
}

static void
free_fields(char *out[NCOLS])
{
	int i;

	for (i = 0; i < NCOLS; i++)
		free(out[i]);
}

/* Writes one CSV field (RFC 4180: quoted when it holds a comma, quote,
 * CR or LF; quotes doubled).  A text starting with = + @ or a tab, or -
 * not followed by a digit, gets a leading ' so a spreadsheet does not
 * take it for a formula. */
static void
csv_field(FILE *fp, const char *s, int first)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;

	if (!first)
		fputc(',', fp);
	if (quote)
		fputc('"', fp);
	if (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' ||
	    (s[0] == '-' && !(s[1] >= '0' && s[1] <= '9')))
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	if (quote)
		fputc('"', fp);
}

int
fig_write_csv(const struct fig_list *l, const struct doc *d, FILE *fp)
{
	size_t i;
	int c;

	fputs("\xEF\xBB\xBF", fp);
	for (c = 0; c < NCOLS; c++)
		csv_field(fp, col_names[c], c == 0);
	fputs("\r\n", fp);
	for (i = 0; i < l->n; i++) {
		char *f[NCOLS];

		fields(&l->v[i], d, f, "【", "】", NULL);
		for (c = 0; c < NCOLS; c++)
			csv_field(fp, f[c], c == 0);
		fputs("\r\n", fp);
		free_fields(f);
	}
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}

/* Appends s[0..n) with & < > " ' escaped for HTML text and attributes. */
static void
html_esc(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		switch (s[i]) {
		case '&': sb_adds(sb, "&amp;"); break;
		case '<': sb_adds(sb, "&lt;"); break;
		case '>': sb_adds(sb, "&gt;"); break;
		case '"': sb_adds(sb, "&quot;"); break;
		case '\'': sb_adds(sb, "&#39;"); break;
		default: sb_addc(sb, s[i]); break;
		}
}

static void
html_text(FILE *fp, const char *s)
{
	struct strbuf sb;

	sb_init(&sb);
	html_esc(&sb, s, strlen(s));
	fputs(sb_str(&sb), fp);
	sb_free(&sb);
}

static const char html_style[] =
"<style>\n"
"body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Zen Hei\",\"Microsoft YaHei\","
"sans-serif;margin:1.5em;color:#111;background:#fff}\n"
"h1{font-size:1.4em;margin:0 0 .3em}\n"
".meta{color:#555;margin:.2em 0 1em}\n"
".tools{position:sticky;top:0;background:#fff;padding:.5em 0;z-index:1}\n"
"#q{width:28em;max-width:70vw;font-size:1em;padding:.3em}\n"
"table{border-collapse:collapse;font-size:.85em;width:100%}\n"
"th,td{border:1px solid #bbb;padding:.3em .4em;vertical-align:top;"
"text-align:left}\n"
"th{background:#eee;cursor:pointer;user-select:none;white-space:nowrap;"
"position:sticky;top:2.6em}\n"
"th[aria-sort=ascending]::after{content:\" \\25B2\"}\n"
"th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
"td.n{text-align:right;white-space:nowrap}\n"
"td.v{text-align:right;min-width:6em;max-width:14em;"
"overflow-wrap:anywhere}\n"
"td.src{font-family:monospace;font-size:.95em;overflow-wrap:anywhere;"
"min-width:11em;max-width:28em}\n"
"td.ctx{min-width:18em;max-width:36em}\n"
"tr.warn td{background:#fff4d6}\n"
"td.w{color:#a40000}\n"
"mark{background:#ffe066;padding:0 .1em}\n"
"</style>\n";

/* Sorting (click a header; again to reverse) and searching (every word
 * typed must occur in the row).  The URL's #q=WORDS&sort=COL (negative:
 * descending) presets both, so a link can point at a selection. */
static const char html_script[] =
"<script>\n"
"(function () {\n"
"  \"use strict\";\n"
"  var table = document.getElementById(\"figs\");\n"
"  var body = table.tBodies[0];\n"
"  var rows = Array.prototype.slice.call(body.rows);\n"
"  var heads = table.tHead.rows[0].cells;\n"
"  var q = document.getElementById(\"q\");\n"
"  var onlyWarn = document.getElementById(\"warn\");\n"
"  var count = document.getElementById(\"count\");\n"
"  var sortCol = -1, sortDir = 1;\n"
"  function key(row, col, num) {\n"
"    var t = row.cells[col].textContent;\n"
"    if (!num) return t;\n"
"    var v = parseFloat(t);\n"
"    return isNaN(v) ? Infinity : v;\n"
"  }\n"
"  function sortBy(col, dir) {\n"
"    var num = heads[col].getAttribute(\"data-type\") === \"num\";\n"
"    sortCol = col; sortDir = dir;\n"
"    rows.sort(function (a, b) {\n"
"      var x = key(a, col, num), y = key(b, col, num);\n"
"      var r = num ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, \"zh-CN\");\n"
"      return r !== 0 ? r * dir : a.getAttribute(\"data-n\") - b.getAttribute(\"data-n\");\n"
"    });\n"
"    rows.forEach(function (r) { body.appendChild(r); });\n"
"    for (var i = 0; i < heads.length; i++)\n"
"      heads[i].setAttribute(\"aria-sort\", i === col ? (dir > 0 ? \"ascending\" : \"descending\") : \"none\");\n"
"  }\n"
"  function filter() {\n"
"    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);\n"
"    var shown = 0;\n"
"    rows.forEach(function (r) {\n"
"      var text = r.textContent.toLowerCase();\n"
"      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&\n"
"        (!onlyWarn.checked || r.classList.contains(\"warn\"));\n"
"      r.hidden = !ok;\n"
"      if (ok) shown++;\n"
"    });\n"
"    count.textContent = shown + \" / \" + rows.length;\n"
"  }\n"
"  Array.prototype.forEach.call(heads, function (h, i) {\n"
"    h.tabIndex = 0;\n"
"    function go() { sortBy(i, sortCol === i ? -sortDir : 1); }\n"
"    h.addEventListener(\"click\", go);\n"
"    h.addEventListener(\"keydown\", function (e) { if (e.key === \"Enter\") go(); });\n"
"  });\n"
"  q.addEventListener(\"input\", filter);\n"
"  onlyWarn.addEventListener(\"change\", filter);\n"
"  var hash = new URLSearchParams(location.hash.replace(/^#/, \"\"));\n"
"  if (hash.has(\"q\")) q.value = hash.get(\"q\");\n"
"  var s = parseInt(hash.get(\"sort\"), 10);\n"
"  if (!isNaN(s) && s !== 0 && Math.abs(s) <= heads.length) sortBy(Math.abs(s) - 1, s > 0 ? 1 : -1);\n"
"  filter();\n"
"  document.body.setAttribute(\"data-ready\", String(rows.length));\n"
"})();\n"
"</script>\n";

/* The document's title (its DOC_TITLE node), or the template path. */
static const char *
doc_title(const struct doc *d)
{
	size_t i;

	for (i = 0; d != NULL && i < d->n; i++)
		if (d->nodes[i].kind == DOC_TITLE && d->nodes[i].text != NULL)
			return d->nodes[i].text;
	return d != NULL && d->path != NULL ? d->path : "";
}

static void
html_head(const struct fig_list *l, const struct doc *d, FILE *fp)
{
	size_t i, nwarn = 0;
	int c;

	for (i = 0; i < l->n; i++)
		nwarn += l->v[i].warn != 0;
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>数据来源核对表 · ", fp);
	html_text(fp, doc_title(d));
	fputs("</title>\n", fp);
	fputs(html_style, fp);
	fputs("</head>\n<body>\n<h1>数据来源核对表</h1>\n<p class=\"meta\">",
	    fp);
	html_text(fp, doc_title(d));
	fprintf(fp, " · 模板 ");
	html_text(fp, d != NULL && d->path != NULL ? d->path : "");
	fprintf(fp, " · 共 %zu 项，其中 %zu 项有警告</p>\n", l->n, nwarn);
	fputs("<div class=\"tools\"><input type=\"search\" id=\"q\" "
	    "placeholder=\"搜索：表达式、文本、来源文件……（空格分隔多个词）\" "
	    "aria-label=\"搜索\"> <label><input type=\"checkbox\" id=\"warn\"> "
	    "只看有警告的</label> <span id=\"count\"></span></div>\n", fp);
	fputs("<table id=\"figs\">\n<thead><tr>", fp);
	for (c = 0; c < NCOLS; c++)
		fprintf(fp, "<th%s scope=\"col\">%s</th>",
		    c == COL_NUMBER || c == COL_PAGE || c == COL_VALUE ?
		    " data-type=\"num\"" : "", col_names[c]);
	fputs("</tr></thead>\n<tbody>\n", fp);
}

int
fig_write_html(const struct fig_list *l, const struct doc *d, FILE *fp)
{
	size_t i;
	int c;

	html_head(l, d, fp);
	for (i = 0; i < l->n; i++) {
		const struct fig *f = &l->v[i];
		char *v[NCOLS];

		fields(f, d, v, "<mark>", "</mark>", html_esc);
		fprintf(fp, "<tr id=\"f%d\" data-n=\"%d\"%s>", f->number,
		    f->number, f->warn ? " class=\"warn\"" : "");
		for (c = 0; c < NCOLS; c++) {
			const char *cls = c == COL_NUMBER || c == COL_PAGE ?
			    " class=\"n\"" : c == COL_VALUE ? " class=\"v\"" :
			    c == COL_SOURCES || c == COL_SKIPPED ||
			    c == COL_WHERE || c == COL_DEFINED ||
			    c == COL_EXPR ? " class=\"src\"" :
			    c == COL_WARN ? " class=\"w\"" :
			    c == COL_CONTEXT ? " class=\"ctx\"" : "";

			fprintf(fp, "<td%s>", cls);
			if (c == COL_CONTEXT)
				fputs(v[c], fp);        /* escaped by fields */
			else
				html_text(fp, v[c]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
		free_fields(v);
	}
	fputs("</tbody>\n</table>\n", fp);
	fputs(html_script, fp);
	fputs("</body>\n</html>\n", fp);
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}

/* ---- --explain ------------------------------------------------------ */

/* Prints "LABEL  TEXT" with each "; "-separated part of text on a line of
 * its own under the first. */
static void
explain_line(FILE *fp, const char *label, const char *text)
{
	const char *p = text, *q;
	size_t i, n = strlen(label), k;
	uint32_t cp;
	int w = 0;

	/* display width: a CJK character takes two columns */
	for (i = 0; i < n; i += k ? k : 1) {
		k = utf8_decode(label + i, n - i, &cp);
		w += k > 0 && cp >= 0x2E80 ? 2 : 1;
	}

	fprintf(fp, "%s%*s", label, w < 11 ? 11 - w : 1, "");
	while ((q = strstr(p, "; ")) != NULL) {
		fprintf(fp, "%.*s\n%11s", (int)(q - p), p, "");
		p = q + 2;
	}
	fprintf(fp, "%s\n", p);
}

int
fig_explain(const struct doc_inline *in, FILE *fp)
{
	struct doc_node node;
	struct fig f;
	char *s;

	memset(&node, 0, sizeof(node));
	node.kind = DOC_PARA;
	node.loc = in->loc;
	memset(&f, 0, sizeof(f));
	f.number = 1;
	f.kind = FIG_INLINE;
	f.node = &node;
	f.inl = in;
	f.prov = &in->value.prov;
	f.warn = in->value.prov.warn | inline_warn(in);
	if (in->value.prov.nskipped > 0)
		f.warn |= DOC_WARN_SKIPPED;
	explain_line(fp, _("expression"), in->source != NULL ? in->source :
	    "");
	s = fig_value(&f);
	explain_line(fp, _("value"), *s != '\0' ? s :
	    in->value.kind == 0 ? _("(missing)") : _("(text)"));
	free(s);
	s = fig_printed(&f);
	explain_line(fp, _("printed"), s);
	free(s);
	s = fig_sources(&f);
	explain_line(fp, _("sources"), *s != '\0' ? s : _("(none)"));
	free(s);
	if (f.prov->filter != NULL)
		explain_line(fp, _("filter"), f.prov->filter);
	s = fig_skipped(&f);
	if (*s != '\0')
		explain_line(fp, _("skipped"), s);
	free(s);
	s = fig_warnings(&f);
	if (*s != '\0')
		explain_line(fp, _("warnings"), s);
	free(s);
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}
