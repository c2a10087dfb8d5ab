/* Model: the figures.  Periods, lookups, aggregates, growth and number
 * formatting over the loaded sources.
 *
 * Knows nothing of pages: it turns placeholder expressions into text and
 * table definitions into rows of formatted cells. */
#ifndef ZJ_MODEL_H
#define ZJ_MODEL_H

#include <stddef.h>
#include <time.h>

#include "style.h"

struct diag_loc;
struct data_table;
struct strbuf;
struct cfg_table;

/* A reporting period: a month (month 1-12) or a whole year (month 0). */
struct period {
	int year;
	int month;
};

/* Parses "YYYY-MM", "YYYY", "last-month" or "last-year"; the last two are
 * relative to today (the only clock reading, done by the caller).  Returns
 * 0, or -1 if s is none of these. */
int period_parse(const char *s, const struct tm *today, struct period *p);
/* Writes "2021-12" or "2021" into buf (at least 16 bytes). */
void period_format(const struct period *p, char *buf, size_t n);
/* The last day of the period at 00:00 UTC, as a time_t. */
time_t period_end(const struct period *p);
/* Parses a range "A..B" of periods of the same kind into a newly allocated
 * array (caller frees) of *n periods; a single period gives n = 1.
 * Returns NULL if s is not a period or range, or the range is reversed. */
struct period *period_range(const char *s, const struct tm *today,
    size_t *n);

/* Expands {period}, {year}, {month} (2 digits), {prev_year}, {next_year}
 * in a file-name pattern.  Returns a new string (caller frees).  Other
 * braces are left as they are. */
char *period_expand_path(const struct period *p, const char *pattern);

struct model;

/* Creates a model for period p.  missing is the text printed for missing
 * values (copied).  Free with model_free. */
struct model *model_create(const struct period *p, const char *missing);
void model_free(struct model *m);

/* Registers a loaded source under name.  key is its key column (NULL:
 * the first column); exclude (may be NULL) is a condition, in placeholder
 * syntax, for rows to leave out everywhere (e.g. 指标 in (合计, 小计)).
 * t stays owned by the caller and must outlive m.  Returns 0, or -1
 * (reported at loc, the source's INI section) if the key column does not
 * exist or the rule is malformed. */
int model_add_source(struct model *m, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct diag_loc *loc);

/* Declares the unit of column col of source name (元, 万元, 亿元, …), so
 * that a format naming another money unit ("| 亿元") converts from it.
 * unit is copied.  Returns 0, or -1 if there is no such source. */
int model_set_unit(struct model *m, const char *name, size_t col,
    const char *unit);

/* Expands every {placeholder} of text into out (appending).  loc names
 * the file and line of text; columns are computed from the placeholder's
 * position.  Returns 0, or -1 after reporting every bad placeholder
 * (EXIT_TEMPLATE, or EXIT_DATA for a bad value in a CSV cell). */
int model_expand(struct model *m, const char *text,
    const struct diag_loc *loc, struct strbuf *out);

/* A table definition turned into formatted cells (see model_table). */
struct model_table {
	size_t ncols, nrows;
	char **headers;         /* ncols */
	enum align *aligns;     /* ncols */
	double *widths;         /* ncols, points, 0 = auto */
	double *min_widths;     /* ncols, points, 0 = none (auto columns) */
	double *max_widths;     /* ncols, points, 0 = none */
	char **cells;           /* nrows * ncols, NULL = missing */
	int *row_bold;          /* nrows: 1 for the 合计 row */
	const struct data_table *src;   /* the source, for cell locations */
	size_t *src_rows;       /* nrows: source row, (size_t)-1 = computed */
	long *src_cols;         /* ncols: source column, -1 = computed */
};

/* Builds the rows of table t: filter, sort, limit, 序号 column, formats,
 * 合计 row.  loc points at the config section for errors.  Returns NULL
 * after reporting.  Free with model_table_free. */
struct model_table *model_table(struct model *m, const struct cfg_table *t,
    const struct diag_loc *loc);
void model_table_free(struct model_table *t);

/* A chart's data: categories in first-appearance order (after the
 * optional sort), one value per category and series, summed over the rows
 * of that category; present[s][i] is 0 when no row had a value. */
struct model_chart {
	size_t ncats, nseries;
	char **cats;            /* ncats */
	char **names;           /* nseries: the column headers */
	int *is_line;           /* nseries: 1 = line, 0 = bar */
	double **values;        /* nseries × ncats */
	int **present;          /* nseries × ncats */
};

struct cfg_chart;

/* Builds chart ch's data.  loc points at the config section.  Returns
 * NULL after reporting (unknown column: EXIT_USAGE; a non-numeric value:
 * EXIT_DATA at the cell).  Free with model_chart_free. */
struct model_chart *model_chart(struct model *m, const struct cfg_chart *ch,
    const struct diag_loc *loc);
void model_chart_free(struct model_chart *c);

/* Formats v with dec decimals (half away from zero, never "-0"), with
 * thousands separators when sep.  Appends to out. */
void model_format_number(struct strbuf *out, double v, int dec, int sep);

#endif
