/* Period: parsing, ranges, dates and path patterns (see period.h). */
#include "period.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
period_parse(const char *s, const struct tm *today, struct period *p)
{
	long y, mo;
	char buf[16];

	if (!strcmp(s, "last-month")) {
		p->year = today->tm_year + 1900;
		p->month = today->tm_mon;       /* 0-based this month = last */
		if (p->month == 0) {
			p->month = 12;
			p->year--;
		}
		return 0;
	}
	if (!strcmp(s, "last-year")) {
		p->year = today->tm_year + 1900 - 1;
		p->month = 0;
		return 0;
	}
	if (strlen(s) == 4 && strspn(s, "0123456789") == 4) {
		if (parse_long(s, 1900, 9999, &y) != 0)
			return -1;
		p->year = (int)y;
		p->month = 0;
		return 0;
	}
	if (strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789") == 4 &&
	    strspn(s + 5, "0123456789") == 2) {
		memcpy(buf, s, 4);
		buf[4] = '\0';
		if (parse_long(buf, 1900, 9999, &y) != 0 ||
		    parse_long(s + 5, 1, 12, &mo) != 0)
			return -1;
		p->year = (int)y;
		p->month = (int)mo;
		return 0;
	}
	return -1;
}

void
period_format(const struct period *p, char *buf, size_t n)
{
	if (p->month == 0)
		snprintf(buf, n, "%04d", p->year);
	else
		snprintf(buf, n, "%04d-%02d", p->year, p->month);
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

time_t
period_end(const struct period *p)
{
	int m = p->month == 0 ? 12 : p->month;

	return (time_t)days_from_civil(p->year, m, month_days(p->year, m)) *
	    86400;
}

struct period *
period_range(const char *s, const struct tm *today, size_t *n)
{
	const char *dots = strstr(s, "..");
	struct period a, b, *v;
	char *first;
	size_t i, cnt;

	if (dots == NULL) {
		if (period_parse(s, today, &a) != 0)
			return NULL;
		v = xmalloc(sizeof(*v));
		v[0] = a;
		*n = 1;
		return v;
	}
	first = xstrndup(s, (size_t)(dots - s));
	if (period_parse(first, today, &a) != 0 ||
	    period_parse(dots + 2, today, &b) != 0 ||
	    (a.month == 0) != (b.month == 0)) {
		free(first);
		return NULL;
	}
	free(first);
	if (a.month == 0)
		cnt = b.year >= a.year ? (size_t)(b.year - a.year + 1) : 0;
	else {
		long d = (long)(b.year - a.year) * 12 + (b.month - a.month);
		cnt = d >= 0 ? (size_t)d + 1 : 0;
	}
	if (cnt == 0 || cnt > 1200)
		return NULL;
	v = xcalloc(cnt, sizeof(*v));
	for (i = 0; i < cnt; i++) {
		v[i] = a;
		if (a.month == 0)
			a.year++;
		else if (++a.month > 12) {
			a.month = 1;
			a.year++;
		}
	}
	*n = cnt;
	return v;
}

struct period
period_prev(const struct period *p)
{
	struct period q = *p;

	if (q.month == 0)
		q.year--;
	else if (--q.month == 0) {
		q.month = 12;
		q.year--;
	}
	return q;
}

int
period_value(const struct period *p, const char *name, char *buf,
    size_t n)
{
	int mo = p->month ? p->month : 12;
	struct period q;

	if (!strcmp(name, "year"))
		snprintf(buf, n, "%d", p->year);
	else if (!strcmp(name, "month"))
		snprintf(buf, n, "%d", mo);
	else if (!strcmp(name, "prev_year"))
		snprintf(buf, n, "%d", p->year - 1);
	else if (!strcmp(name, "next_year"))
		snprintf(buf, n, "%d", p->year + 1);
	else if (!strcmp(name, "period"))
		period_format(p, buf, n);
	else if (!strcmp(name, "prev_month")) {
		q.year = p->year;
		q.month = mo;
		q = period_prev(&q);
		period_format(&q, buf, n);
	} else if (!strcmp(name, "prev_period")) {
		q = period_prev(p);
		period_format(&q, buf, n);
	} else
		return 0;
	return 1;
}

/* The path value of {name} (s[0..n)) into buf: like period_value, but
 * {year} and {month} zero-padded.  Returns 1, or 0 for an unknown name. */
static int
path_value(const struct period *p, const char *s, size_t n, char *buf,
    size_t bn)
{
	char name[16];

	if (n == 0 || n >= sizeof(name))
		return 0;
	memcpy(name, s, n);
	name[n] = '\0';
	if (!strcmp(name, "month")) {
		snprintf(buf, bn, "%02d", p->month ? p->month : 12);
		return 1;
	}
	if (!strcmp(name, "year") || !strcmp(name, "prev_year") ||
	    !strcmp(name, "next_year")) {
		snprintf(buf, bn, "%04d", p->year + (name[0] == 'p' ? -1 :
		    name[0] == 'n' ? 1 : 0));
		return 1;
	}
	return period_value(p, name, buf, bn);
}

char *
period_expand_path(const struct period *p, const char *pattern)
{
	struct strbuf sb;
	const char *s = pattern;
	char buf[32];

	sb_init(&sb);
	while (*s != '\0') {
		if (*s == '{') {
			const char *e = strchr(s, '}');

			if (e != NULL && path_value(p, s + 1,
			    (size_t)(e - s - 1), buf, sizeof(buf))) {
				sb_adds(&sb, buf);
				s = e + 1;
				continue;
			}
		}
		sb_addc(&sb, *s++);
	}
	return sb_detach(&sb);
}

char *
period_path_unknown(const char *pattern)
{
	struct period p = { 2000, 1 };
	const char *s = pattern, *e;
	char buf[32];

	while ((s = strchr(s, '{')) != NULL) {
		e = strchr(s, '}');
		if (e == NULL)
			return xstrdup(s + 1);
		if (!path_value(&p, s + 1, (size_t)(e - s - 1), buf,
		    sizeof(buf)))
			return xstrndup(s + 1, (size_t)(e - s - 1));
		s = e + 1;
	}
	return NULL;
}

char *
period_date(const struct period *p)
{
	time_t t = period_end(p);
	struct tm tm;

	gmtime_r(&t, &tm);
	return xasprintf("%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}
