/* Load: [data.NAME] → data tables registered with the evaluator.  See
 * load.h. */
#include "load.h"
#include "config.h"
#include "data.h"
#include "diag.h"
#include "eval.h"
#include "period.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

/* Checks the declared column types of source s and registers the units.
 * Column names in type.COLUMN keys match case-insensitively (iniparser
 * lower-cases keys).  Returns 0 or -1. */
static int
check_types(const struct cfg *cfg, struct eval *ev,
    const struct cfg_source *s, const struct data_table *t, const char *sec)
{
	size_t k, col;
	int rc = 0;

	for (k = 0; k < s->ntypes; k++) {
		char key[256];
		struct diag_loc loc = { cfg->path, 0, 0, sec, key };
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
			(void)eval_set_unit(ev, s->name, col, s->type_units[k]);
	}
	return rc;
}

/* months = ytd: the file of every month from January to p's month (all
 * twelve for a year report), read as one table with a column 期间
 * (YYYY-MM) naming each row's month.  Returns NULL after reporting. */
static struct data_table *
load_ytd(const struct cfg *cfg, const struct cfg_source *s,
    const struct period *p, const struct data_opts *o)
{
	struct data_table *parts[12], *t = NULL;
	char labels[12][16];
	const char *lab[12];
	int m, last = p->month ? p->month : 12, bad = 0;

	for (m = 1; m <= last; m++) {
		struct period q = { p->year, m };
		char *pat = period_expand_path(&q, s->file);
		char *path = cfg_path(cfg, pat);     /* against the INI's dir */

		period_format(&q, labels[m - 1], sizeof(labels[m - 1]));
		lab[m - 1] = labels[m - 1];
		if ((parts[m - 1] = data_load(path, o)) == NULL)
			bad = 1;
		free(pat);
		free(path);
	}
	if (!bad)
		t = data_concat(parts, (size_t)last, "期间", lab);
	for (m = 1; m <= last; m++)
		data_free(parts[m - 1]);
	return t;
}

int
load_sources(const struct cfg *cfg, const struct period *p,
    struct eval *ev, struct data_table ***tables)
{
	struct data_table **tab;
	size_t i;
	int rc = 0;

	tab = xcalloc(cfg->nsources + 1, sizeof(*tab));
	*tables = tab;
	for (i = 0; i < cfg->nsources; i++) {
		const struct cfg_source *s = &cfg->sources[i];
		struct data_opts o = { s->encoding, s->delimiter, 0,
		    s->max_size };
		/* {period} expanded first, then resolved against the
		 * configuration's directory (an absolute path stays). */
		char *pat = period_expand_path(p, s->file);
		char *path = cfg_path(cfg, pat);
		char sec[256];
		struct diag_loc loc = { cfg->path, 0, 0, sec, NULL };

		snprintf(sec, sizeof(sec), "data.%s", s->name);
		tab[i] = s->ytd ? load_ytd(cfg, s, p, &o) : data_load(path, &o);
		if (tab[i] == NULL)
			rc = -1;
		else if (eval_add_source(ev, s->name, s->key, s->exclude,
		    tab[i], &loc) != 0 ||
		    check_types(cfg, ev, s, tab[i], sec) != 0)
			rc = -1;
		else
			(void)eval_set_duplicates(ev, s->name,
			    s->duplicates == DUP_FIRST ? "first" :
			    s->duplicates == DUP_LAST ? "last" : "error");
		free(pat);
		free(path);
	}
	return rc;
}
