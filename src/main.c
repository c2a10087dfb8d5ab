/* zongjie: INI + CSV exports → a Chinese work-summary PDF.
 *
 * main parses options and runs the stages in order for each period:
 * config → data → model → template → layout → render → output.  It knows
 * nothing of their insides; the exit code is the class of the first error
 * (diag.h). */
#include "chart.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "layout.h"
#include "mail.h"
#include "model.h"
#include "output.h"
#include "render.h"
#include "scaffold.h"
#include "template.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ZJ_VERSION "0.1.0"

struct opts {
	const char *config;
	const char *period;
	const char *output;
	const char *init;       /* --init DIR */
	int check;
	int dump_layout;
	int fake_metrics;
	int print_path;
	int wait;
	int mail;
};

static void
usage(FILE *fp)
{
	fputs(_("usage: zongjie [-c FILE] [-p PERIOD] [-o FILE] [--check] "
	    "[-q | -v]\n"
	    "  -c, --config FILE    configuration (default config/report.ini)\n"
	    "  -p, --period PERIOD  YYYY-MM, YYYY, last-month, last-year, or a "
	    "range A..B\n"
	    "                       (default: [report] period)\n"
	    "  -o, --output FILE    PDF to write (default: [report] output)\n"
	    "      --check          validate config, data, template and fonts; "
	    "write nothing\n"
	    "      --dump-layout    print the laid-out boxes instead of a PDF\n"
	    "      --print-path     print the path of each PDF written\n"
	    "      --wait           wait for another run's lock instead of "
	    "failing\n"
	    "      --mail           send the PDF as configured in [mail] once "
	    "it is written\n"
	    "      --init DIR       write a skeleton to start from (INI, "
	    "template, a CSV)\n"
	    "  -q, --quiet          print errors only\n"
	    "  -v, --verbose        print progress\n"
	    "  -h, --help           print this help\n"
	    "  -V, --version        print the version\n"
	    "exit codes: 0 ok, 1 internal, 2 usage/config, 3 data, 4 template, "
	    "5 font,\n"
	    "            6 output, 7 mail, 8 locked\n"), fp);
}

/* Everything one period's run owns. */
struct run {
	struct cfg *cfg;
	struct period period;
	char period_str[16];
	struct data_table **tables;
	struct model *model;
	struct tpl_doc *doc;
	struct rnd *rnd;
	char *title;
	char *date;
	/* temporary: replaced by the doc producer.  ldoc borrows every
	 * string and array from the template, model and config; only its
	 * node, table, chart and series arrays are the run's. */
	struct doc ldoc;
	struct model_table **mtables;
	struct doc_table *ltables;
	size_t ntables;
	struct model_chart **mcharts;
	struct doc_chart *lcharts;
	struct doc_series **series;
	size_t ncharts;
	struct lay_result *lay;
	char **strs;            /* expanded strings the blocks point to */
	size_t nstrs;
};

static void
run_free(struct run *r)
{
	size_t i;

	model_free(r->model);           /* before the tables it points into */
	if (r->tables != NULL)
		for (i = 0; i < r->cfg->nsources; i++)
			data_free(r->tables[i]);
	free(r->tables);
	tpl_free(r->doc);
	rnd_free(r->rnd);
	free(r->title);
	free(r->date);
	free(r->ldoc.nodes);
	for (i = 0; i < r->ntables; i++)
		model_table_free(r->mtables[i]);
	free(r->mtables);
	free(r->ltables);
	for (i = 0; i < r->ncharts; i++) {
		model_chart_free(r->mcharts[i]);
		free(r->series[i]);
	}
	free(r->mcharts);
	free(r->lcharts);
	free(r->series);
	lay_free(r->lay);
	for (i = 0; i < r->nstrs; i++)
		free(r->strs[i]);
	free(r->strs);
}

/* Expands the placeholders of a config value (NULL stays NULL) into a
 * string owned by the run.  Sets *rc to -1 on failure. */
static const char *
expand_value(struct run *r, const char *value, const char *section,
    const char *key, int *rc)
{
	struct diag_loc loc = { r->cfg->path, 0, 0, section, key };
	struct strbuf sb;

	if (value == NULL)
		return NULL;
	sb_init(&sb);
	if (model_expand(r->model, value, &loc, &sb) != 0)
		*rc = -1;
	r->strs = xreallocarray(r->strs, r->nstrs + 1, sizeof(*r->strs));
	r->strs[r->nstrs++] = sb_detach(&sb);
	return r->strs[r->nstrs - 1];
}

/* Checks the declared column types of source s and registers the units.
 * Column names in type.COLUMN keys match case-insensitively (iniparser
 * lower-cases keys).  Returns 0 or -1. */
static int
check_types(struct run *r, const struct cfg_source *s,
    const struct data_table *t, const char *sec)
{
	size_t k, col;
	int rc = 0;

	for (k = 0; k < s->ntypes; k++) {
		char key[256];
		struct diag_loc loc = { r->cfg->path, 0, 0, sec, key };
		enum data_type dt = DT_TEXT;

		snprintf(key, sizeof(key), "type.%s", s->type_cols[k]);
		for (col = 0; col < data_ncols(t); col++)
			if (strcasecmp(data_header(t, col), s->type_cols[k]) == 0)
				break;
		if (col == data_ncols(t)) {
			diag_error(EXIT_DATA, &loc, "no column \"%s\" in %s",
			    s->type_cols[k], data_path(t));
			rc = -1;
			continue;
		}
		(void)data_parse_type(s->type_names[k], &dt);
		if (data_check_type(t, col, dt) > 0)
			rc = -1;
		if (s->type_units[k] != NULL)
			(void)model_set_unit(r->model, s->name, col,
			    s->type_units[k]);
	}
	return rc;
}

/* Loads every [data.NAME] source for the period.  Returns 0 or -1. */
static int
load_sources(struct run *r)
{
	struct cfg *c = r->cfg;
	size_t i;
	int rc = 0;

	r->tables = xcalloc(c->nsources + 1, sizeof(*r->tables));
	r->model = model_create(&r->period, c->missing);
	for (i = 0; i < c->nsources; i++) {
		const struct cfg_source *s = &c->sources[i];
		struct data_opts o = { s->encoding, s->delimiter, 0, s->max_size };
		char *path = period_expand_path(&r->period, s->file);
		char sec[256];
		struct diag_loc loc = { c->path, 0, 0, sec, NULL };

		snprintf(sec, sizeof(sec), "data.%s", s->name);
		r->tables[i] = data_load(path, &o);
		if (r->tables[i] == NULL)
			rc = -1;
		else if (model_add_source(r->model, s->name, s->key,
		    s->exclude, r->tables[i], &loc) != 0 ||
		    check_types(r, s, r->tables[i], sec) != 0)
			rc = -1;
		free(path);
	}
	return rc;
}

/* Adds a node to the layout's doc (temporary: replaced by the doc
 * producer). */
static struct doc_node *
add_block(struct run *r, enum doc_kind kind)
{
	struct doc_node *b;

	r->ldoc.nodes = xreallocarray(r->ldoc.nodes, r->ldoc.n + 1,
	    sizeof(*r->ldoc.nodes));
	b = &r->ldoc.nodes[r->ldoc.n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

/* "2021年12月31日" for the last day of the period. */
static char *
period_date(const struct period *p)
{
	time_t t = period_end(p);
	struct tm tm;

	gmtime_r(&t, &tm);
	return xasprintf("%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

/* Checks that role can draw text; returns 0 or -1. */
static int
check_text(struct run *r, enum font_role role, const char *text,
    const char *file, int line)
{
	struct diag_loc loc = { file, line, 0, NULL, NULL };

	if (r->rnd == NULL || text == NULL)
		return 0;
	return rnd_check_text(r->rnd, role, text, &loc);
}

/* Adds the chart of template block tb.  Returns 0 or -1. */
static int
add_chart(struct run *r, const struct tpl_block *tb)
{
	const struct cfg_chart *ch = cfg_chart(r->cfg, tb->name);
	struct model_chart *mc;
	struct doc_chart *lc;
	struct doc_series *sv;
	char sec[256];
	struct diag_loc loc = { r->cfg->path, 0, 0, sec, NULL };
	struct diag_loc where = { r->doc->path, tb->line, 1, NULL, NULL };
	size_t k;
	int rc = 0;

	if (ch == NULL) {
		diag_error(EXIT_TEMPLATE, &where, "no [chart.%s] in %s",
		    tb->name, r->cfg->path);
		return -1;
	}
	snprintf(sec, sizeof(sec), "chart.%s", ch->name);
	if ((mc = model_chart(r->model, ch, &loc)) == NULL)
		return -1;
	r->mcharts[r->ncharts] = mc;
	sv = r->series[r->ncharts] = xcalloc(mc->nseries + 1, sizeof(*sv));
	lc = &r->lcharts[r->ncharts++];
	for (k = 0; k < mc->nseries; k++) {
		sv[k].name = mc->names[k];
		sv[k].style = mc->is_line[k] ? DOC_SERIES_LINE : DOC_SERIES_BAR;
		sv[k].decimals = -1;
		sv[k].values = mc->values[k];
		sv[k].present = mc->present[k];
		rc |= check_text(r, ROLE_BODY, mc->names[k], r->cfg->path, 0);
	}
	lc->title = (char *)expand_value(r, ch->title, sec, "title", &rc);
	lc->unit = (char *)expand_value(r, ch->unit, sec, "unit", &rc);
	lc->ncats = mc->ncats;
	lc->cats = mc->cats;
	lc->nseries = mc->nseries;
	lc->series = sv;
	lc->value_labels = ch->labels;
	lc->height_lines = ch->height_lines;
	rc |= check_text(r, ROLE_HEADING, lc->title, r->cfg->path, 0);
	rc |= check_text(r, ROLE_BODY, lc->unit, r->cfg->path, 0);
	for (k = 0; k < mc->ncats; k++)
		rc |= check_text(r, ROLE_BODY, mc->cats[k], r->cfg->path, 0);
	add_block(r, DOC_CHART)->chart = lc;
	return rc ? -1 : 0;
}

/* Builds the block list: title, subtitle, the template's blocks with
 * tables resolved, signature.  Returns 0 or -1. */
static int
build_blocks(struct run *r)
{
	struct cfg *c = r->cfg;
	struct strbuf sb;
	size_t i, k, ntab = 0;
	int rc = 0;
	const char *tpl = r->doc->path;

	sb_init(&sb);
	r->title = xstrdup(expand_value(r, c->title, "report", "title", &rc));
	add_block(r, DOC_TITLE)->text = r->title;
	rc |= check_text(r, ROLE_TITLE, r->title, c->path, 0);
	if (c->subtitle != NULL) {
		const char *sub = expand_value(r, c->subtitle, "report",
		    "subtitle", &rc);
		add_block(r, DOC_SUBTITLE)->text = (char *)sub;
		rc |= check_text(r, ROLE_SUBHEADING, sub, c->path, 0);
	}

	for (i = 0; i < r->doc->n; i++)
		if (r->doc->blocks[i].kind == TPL_TABLE ||
		    r->doc->blocks[i].kind == TPL_CHART)
			ntab++;
	r->mtables = xcalloc(ntab + 1, sizeof(*r->mtables));
	r->ltables = xcalloc(ntab + 1, sizeof(*r->ltables));
	r->mcharts = xcalloc(ntab + 1, sizeof(*r->mcharts));
	r->lcharts = xcalloc(ntab + 1, sizeof(*r->lcharts));
	r->series = xcalloc(ntab + 1, sizeof(*r->series));

	for (i = 0; i < r->doc->n; i++) {
		const struct tpl_block *tb = &r->doc->blocks[i];
		struct doc_node *b;
		enum font_role role;

		switch (tb->kind) {
		case TPL_HEADING:
			b = add_block(r, DOC_HEADING);
			b->level = tb->level;
			b->text = tb->text;
			role = tb->level == 1 ? ROLE_HEADING :
			    tb->level == 2 ? ROLE_SUBHEADING : ROLE_BODY;
			rc |= check_text(r, role, tb->text, tpl, tb->line);
			break;
		case TPL_PARA:
			add_block(r, DOC_PARA)->text = tb->text;
			rc |= check_text(r, ROLE_BODY, tb->text, tpl, tb->line);
			break;
		case TPL_PAGEBREAK:
			add_block(r, DOC_PAGEBREAK);
			break;
		case TPL_CHART:
			rc |= add_chart(r, tb);
			break;
		case TPL_TABLE: {
			const struct cfg_table *ct = cfg_table(c, tb->name);
			struct model_table *mt;
			struct doc_table *lt;
			char sec[256];
			struct diag_loc tloc = { c->path, 0, 0, sec, NULL };
			struct diag_loc where = { tpl, tb->line, 1, NULL, NULL };

			if (ct == NULL) {
				diag_error(EXIT_TEMPLATE, &where, "no "
				    "[table.%s] in %s", tb->name, c->path);
				rc = -1;
				break;
			}
			snprintf(sec, sizeof(sec), "table.%s", ct->name);
			mt = model_table(r->model, ct, &tloc);
			if (mt == NULL) {
				rc = -1;
				break;
			}
			r->mtables[r->ntables] = mt;
			lt = &r->ltables[r->ntables++];
			lt->title = (char *)expand_value(r, ct->title, sec,
			    "title", &rc);
			lt->unit = (char *)expand_value(r, ct->unit, sec,
			    "unit", &rc);
			lt->continued = "续表";
			lt->empty_text = (char *)(ct->empty ? expand_value(r,
			    ct->empty, sec, "empty", &rc) : "本期无数据。");
			lt->missing = c->missing;
			lt->ncols = mt->ncols;
			lt->headers = mt->headers;
			lt->aligns = mt->aligns;
			lt->widths = mt->widths;
			lt->min_widths = mt->min_widths;
			lt->max_widths = mt->max_widths;
			lt->nrows = mt->nrows;
			lt->cells = mt->cells;
			lt->row_bold = mt->row_bold;
			b = add_block(r, DOC_TABLE);
			b->table = lt;
			rc |= check_text(r, ROLE_HEADING, lt->title, c->path, 0);
			rc |= check_text(r, ROLE_BODY, lt->unit, c->path, 0);
			rc |= check_text(r, ROLE_BODY, lt->empty_text, c->path,
			    0);
			for (k = 0; k < mt->ncols; k++)
				rc |= check_text(r, ROLE_HEADING,
				    mt->headers[k], c->path, 0);
			for (k = 0; k < mt->nrows * mt->ncols; k++) {
				size_t row = k / mt->ncols, col = k % mt->ncols;
				struct diag_loc cl = { c->path, 0, 0, sec, NULL };

				if (mt->cells[k] == NULL || r->rnd == NULL)
					continue;
				/* A cell copied from the source is reported at
				 * its CSV line and column. */
				if (mt->src_rows[row] != (size_t)-1 &&
				    mt->src_cols[col] >= 0)
					data_cell_loc(mt->src, mt->src_rows[row],
					    (size_t)mt->src_cols[col], &cl);
				if (rnd_check_text(r->rnd, mt->row_bold[row] ?
				    ROLE_HEADING : ROLE_BODY, mt->cells[k],
				    &cl) != 0)
					rc = -1;
			}
			break;
		}
		}
	}
	if (c->signature != NULL) {
		struct doc_node *b = add_block(r, DOC_SIGNATURE);

		if (c->date != NULL)
			r->date = xstrdup(expand_value(r, c->date, "report",
			    "date", &rc));
		else
			r->date = period_date(&r->period);
		b->text = (char *)c->signature;
		b->text2 = r->date;
		rc |= check_text(r, ROLE_BODY, c->signature, c->path, 0);
		rc |= check_text(r, ROLE_BODY, r->date, c->path, 0);
	}
	sb_free(&sb);
	return rc ? -1 : 0;
}

/* SOURCE_DATE_EPOCH when set and valid, else the end of the period. */
static time_t
creation_time(const struct period *p)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	long v;

	if (e != NULL && parse_long(e, 0, 253402300799L, &v) == 0)
		return (time_t)v;
	return period_end(p);
}

/* out_precheck on the output path of period p, before any work: an
 * output that can never be written stops the run at once.  Returns 0 or
 * -1 after reporting. */
static int
precheck_output(struct cfg *cfg, const struct period *p,
    const struct opts *o, int multi)
{
	char *path = o->output != NULL && !multi ? xstrdup(o->output) :
	    period_expand_path(p, o->output ? o->output : cfg->output);
	int rc = o->dump_layout ? 0 : out_precheck(path);

	free(path);
	return rc;
}

/* Runs one period.  Returns 0 on success, -1 on failure (reported). */
static int
run_period(struct cfg *cfg, const struct period *p, const struct opts *o,
    int multi)
{
	struct run r;
	const struct lay_measure *m;
	char *outpath = NULL;
	int rc = -1;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.period = *p;
	period_format(p, r.period_str, sizeof(r.period_str));
	diag_info("period %s", r.period_str);
	if (precheck_output(cfg, p, o, multi) != 0)
		goto done;

	if (load_sources(&r) != 0)
		goto done;
	if (!o->fake_metrics) {
		r.rnd = rnd_create((const char *const *)cfg->fonts,
		    cfg->fontdir, cfg->path);
		if (r.rnd == NULL)
			goto done;
		rnd_allow_missing(r.rnd, cfg->font_missing_warn);
	}
	if ((r.doc = tpl_load(cfg->template_path, r.model)) == NULL)
		goto done;
	if (build_blocks(&r) != 0)
		goto done;
	m = o->fake_metrics ? lay_fake_measure() : rnd_measure(r.rnd);
	if ((r.lay = lay_run(&r.ldoc, &cfg->style, m)) == NULL)
		goto done;
	if (o->check) {
		for (i = 0; i < cfg->nsources; i++) {
			const struct data_table *t = r.tables[i];
			char d = data_delimiter(t);
			fprintf(stdout, "%s: %s, %s, %s, %zu rows, %zu columns\n",
			    cfg->sources[i].name, data_path(t),
			    data_encoding(t), d == '\t' ? "tab" : d == ';' ?
			    "semicolon" : "comma", data_nrows(t),
			    data_ncols(t));
		}
		outpath = period_expand_path(p, o->output ? o->output :
		    cfg->output);
		if (out_check(outpath) != 0)
			goto done;
		fprintf(stdout, "%s: %d pages, would write %s\n", r.period_str,
		    r.lay->npages, outpath);
		rc = 0;
		goto done;
	}
	if (o->dump_layout) {
		lay_dump(r.lay, stdout);
		rc = fflush(stdout) == 0 ? 0 : -1;
		goto done;
	}
	if (o->output != NULL && !multi)
		outpath = xstrdup(o->output);
	else
		outpath = period_expand_path(p, o->output ? o->output :
		    cfg->output);
	{
		struct out_file *of = out_begin(outpath, o->wait);
		struct rnd_info info;

		if (of == NULL)
			goto done;
		memset(&info, 0, sizeof(info));
		info.title = r.title;
		info.author = cfg->organization;
		info.subject = r.title;
		info.creator = "zongjie " ZJ_VERSION;
		info.created = creation_time(p);
		if (rnd_write(r.rnd, r.lay, &cfg->style, &info,
		    out_tmp_path(of)) != 0) {
			out_abort(of);
			goto done;
		}
		if (out_commit(of) != 0)
			goto done;
	}
	diag_info("wrote %s (%d pages)", outpath, r.lay->npages);
	if (o->print_path)
		printf("%s\n", outpath);
	/* Mail only once the PDF is complete and in place; a failure to send
	 * keeps it (exit 7). */
	if (o->mail) {
		int mrc = 0;
		const char *subject = expand_value(&r, cfg->mail.subject, "mail",
		    "subject", &mrc);
		const char *body = expand_value(&r, cfg->mail.body, "mail",
		    "body", &mrc);

		if (mrc != 0 || mail_send(&cfg->mail, subject, body,
		    outpath) != 0)
			goto done;
		diag_info("mailed %s to %s", outpath, cfg->mail.to);
	}
	rc = 0;
done:
	free(outpath);
	run_free(&r);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "period", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'C' },
		{ "dump-layout", no_argument, NULL, 'D' },
		{ "fake-metrics", no_argument, NULL, 'F' },
		{ "print-path", no_argument, NULL, 'P' },
		{ "wait", no_argument, NULL, 'W' },
		{ "mail", no_argument, NULL, 'M' },
		{ "init", required_argument, NULL, 'I' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o;
	struct cfg *cfg;
	struct period *periods;
	size_t n, i;
	int ch, verbosity = 0, failed = 0;
	enum zj_exit worst = EXIT_OK;
	time_t now;
	struct tm today;
	const char *pstr;

	diag_init_locale();
	memset(&o, 0, sizeof(o));
	o.config = "config/report.ini";
	while ((ch = getopt_long(argc, argv, "c:p:o:qvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o.config = optarg; break;
		case 'p': o.period = optarg; break;
		case 'o': o.output = optarg; break;
		case 'C': o.check = 1; break;
		case 'D': o.dump_layout = 1; break;
		case 'F': o.fake_metrics = 1; break;
		case 'P': o.print_path = 1; break;
		case 'W': o.wait = 1; break;
		case 'M': o.mail = 1; break;
		case 'I': o.init = optarg; break;
		case 'q': verbosity = -1; break;
		case 'v': verbosity++; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("zongjie %s\n", ZJ_VERSION); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		diag_error(EXIT_USAGE, NULL, "unexpected argument \"%s\"",
		    argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o.fake_metrics && !o.dump_layout && !o.check) {
		diag_error(EXIT_USAGE, NULL, "--fake-metrics only goes with "
		    "--dump-layout or --check");
		return EXIT_USAGE;
	}
	diag_set_verbosity(verbosity);
	if (o.init != NULL) {
		now = time(NULL);
		localtime_r(&now, &today);
		return scaffold_write(o.init, &today) == 0 ? EXIT_OK :
		    diag_exit_code();
	}
	out_signals();

	if ((cfg = cfg_load(o.config)) == NULL)
		return diag_exit_code();
	if (o.mail && (!cfg->mail.present || o.check || o.dump_layout)) {
		struct diag_loc loc = { cfg->path, 0, 0, "mail", NULL };
		diag_error(EXIT_USAGE, &loc, o.check || o.dump_layout ?
		    "--mail does not go with --check or --dump-layout" :
		    "--mail needs this section (url, from, to, subject)");
		cfg_free(cfg);
		return EXIT_USAGE;
	}
	pstr = o.period ? o.period : cfg->period;
	if (pstr == NULL) {
		struct diag_loc loc = { cfg->path, 0, 0, "report", "period" };
		diag_error(EXIT_USAGE, &loc, "no period: give -p PERIOD or set "
		    "this key");
		cfg_free(cfg);
		return EXIT_USAGE;
	}
	/* The only reading of the clock: today's date, for last-month and
	 * last-year. */
	now = time(NULL);
	localtime_r(&now, &today);
	if ((periods = period_range(pstr, &today, &n)) == NULL) {
		diag_error(EXIT_USAGE, NULL, "\"%s\" is not a period (YYYY-MM, "
		    "YYYY, last-month, last-year, or A..B)", pstr);
		cfg_free(cfg);
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		/* One failing period does not stop the others; the exit code
		 * is the first failure's class. */
		if (run_period(cfg, &periods[i], &o, n > 1) != 0) {
			failed = 1;
			if (worst == EXIT_OK)
				worst = diag_exit_code();
		}
		diag_reset();
	}
	free(periods);
	cfg_free(cfg);
	if (failed && worst == EXIT_OK)
		worst = EXIT_INTERNAL;
	return worst;
}
