/* Period: reporting periods and the file-name patterns they expand.
 *
 * A period is a month or a whole year; it is parsed from the command line
 * or [report] period, and expands {period}, {year}, … in [data.NAME] file
 * patterns and the output path.  Pure functions, no clock reading: the
 * caller passes today's date. */
#ifndef ZJ_PERIOD_H
#define ZJ_PERIOD_H

#include <stddef.h>
#include <time.h>

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
/* "2021年12月31日": the last day of the period (the default 成文日期).
 * Returns a new string (caller frees). */
char *period_date(const struct period *p);
/* Parses a range "A..B" of periods of the same kind into a newly allocated
 * array (caller frees) of *n periods; a single period gives n = 1.
 * Returns NULL if s is not a period or range, or the range is reversed. */
struct period *period_range(const char *s, const struct tm *today,
    size_t *n);

/* The period before p: the previous month (across the year boundary) of
 * a month, the previous year of a year. */
struct period period_prev(const struct period *p);

/* Writes the value of a period name into buf (at least 16 bytes):
 * year 2021, month 12 (12 for a whole year), prev_year 2020, next_year
 * 2022, period 2021-12, prev_month 2021-11 (the month before the period's
 * last month), prev_period (period_prev, formatted).  Returns 1, or 0 if
 * name is none of these. */
int period_value(const struct period *p, const char *name, char *buf,
    size_t n);

/* Expands {period}, {year}, {month} (2 digits), {prev_year}, {next_year},
 * {prev_month}, {prev_period} in a file-name pattern.  Returns a new
 * string (caller frees).  Other braces are left as they are. */
char *period_expand_path(const struct period *p, const char *pattern);
/* The first {NAME} of pattern that period_expand_path does not know, as a
 * new string, or NULL when there is none. */
char *period_path_unknown(const char *pattern);

#endif
