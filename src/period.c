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
			size_t n = e ? (size_t)(e - s - 1) : 0;
			int done = 1;

			if (e && n == 6 && !strncmp(s + 1, "period", 6)) {
				period_format(p, buf, sizeof(buf));
				sb_adds(&sb, buf);
			} else if (e && n == 4 && !strncmp(s + 1, "year", 4))
				sb_printf(&sb, "%04d", p->year);
			else if (e && n == 5 && !strncmp(s + 1, "month", 5))
				sb_printf(&sb, "%02d",
				    p->month ? p->month : 12);
			else if (e && n == 9 && !strncmp(s + 1, "prev_year", 9))
				sb_printf(&sb, "%04d", p->year - 1);
			else if (e && n == 9 && !strncmp(s + 1, "next_year", 9))
				sb_printf(&sb, "%04d", p->year + 1);
			else
				done = 0;
			if (done) {
				s = e + 1;
				continue;
			}
		}
		sb_addc(&sb, *s++);
	}
	return sb_detach(&sb);
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
