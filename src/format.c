/* Format: numbers, percentages, growth words and unit conversions (see
 * format.h). */
#include "format.h"
#include "diag.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
fmt_number(struct strbuf *out, double v, int dec, int sep)
{
	char buf[400], *p;      /* DBL_MAX with 10 decimals: 320 bytes */
	double scale, x;
	size_t n, i, intlen;
	int neg;

	if (dec < 0)
		dec = 0;
	if (dec > 10)
		dec = 10;
	scale = pow(10, dec);
	x = v * scale;
	if (isfinite(x)) {
		/* Half away from zero, robust against 2.675 being
		 * 2.67499…: a fraction within a relative epsilon of .5
		 * counts as .5.  The epsilon is capped at a thousandth of the
		 * last digit, so it never moves a large figure's own digits
		 * (uncapped, 98765432109.87 printed as .97).  From 2^52 on
		 * x is a whole number already. */
		double a = fabs(x), fl = floor(a);

		if (a < 0x1p52)
			a = a - fl >= 0.5 - fmin(a * 1e-12 + 1e-9, 1e-3) ?
			    fl + 1 : fl;
		x = copysign(a, x);
		neg = x < 0;
		if (x == 0)
			neg = 0;
		snprintf(buf, sizeof(buf), "%.*f", dec, fabs(x) / scale);
	} else {
		/* Too large to scale: nothing left to round. */
		neg = v < 0;
		snprintf(buf, sizeof(buf), "%.*f", dec, fabs(v));
	}
	if (neg)
		sb_addc(out, '-');
	p = strchr(buf, '.');
	intlen = p ? (size_t)(p - buf) : strlen(buf);
	for (i = 0; i < intlen; i++) {
		sb_addc(out, buf[i]);
		n = intlen - i - 1;
		if (sep && n > 0 && n % 3 == 0)
			sb_addc(out, ',');
	}
	if (p)
		sb_adds(out, p);
}

double
fmt_exact_sum(double x, int dec)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	double scaled;

	if (dec < 0 || dec > 15 || !isfinite(x))
		return x;
	scaled = x * p10[dec];
	if (!(fabs(scaled) < 9007199254740992.0))
		return x;
	scaled = round(scaled) / p10[dec];
	return scaled == 0 ? 0 : scaled;    /* never -0 */
}

/* Number of decimals as written in a figure ("1,234.50" → 2). */
int
fmt_decimals(const char *s)
{
	const char *p = strchr(s, '.');
	int d = 0;

	if (p == NULL)
		return 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		d++;
	return d;
}

static const struct { const char *name; double f; } units[] = {
	{ "元", 1 }, { "万元", 1e4 }, { "亿元", 1e8 },
};

/* The factor of a money unit named s[0..n), or 0. */
static double
unit_factor(const char *s, size_t n)
{
	size_t j;

	for (j = 0; j < sizeof(units) / sizeof(units[0]); j++)
		if (strlen(units[j].name) == n && !strncmp(s, units[j].name, n))
			return units[j].f;
	return 0;
}

static void errf(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
errf(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, _(fmt), ap);       /* translated (diag.h) */
	va_end(ap);
}

/* The format words, for "did you mean". */
static const char *const format_words[] = { "增长", "增加", "提高", "持平",
    "abs", "万元>亿元", "元>万元", "元>亿元", "亿元>万元", "万元>元",
    "亿元>元" };

/* "; did you mean …?" for a format word near f, or "". */
static const char *
suggest(const char *f)
{
	static char buf[256];
	const char *best = utf8_nearest(f, format_words,
	    sizeof(format_words) / sizeof(format_words[0]));

	if (best == NULL)
		return "";
	snprintf(buf, sizeof(buf), _("; did you mean \"%s\"?"), best);
	return buf;
}

/* The formats' settings, in the order they were given. */
struct fmt_spec {
	const char *pos, *neg;  /* growth words, NULL = none */
	int flat;               /* 持平: a figure printing as zero prints as
	                           the word alone */
	double x;               /* the number after unit conversions */
	int dec, sep, absval, decset;
};

/* Applies one format word f to sp.  Returns 0, or -1 with err set. */
static int
apply_format(const struct fmt_value *v, const char *f, struct fmt_spec *sp,
    char *err, size_t errsize)
{
	long l;
	const char *gt;
	double from, to;

	if (f[0] == '.' && parse_long(f + 1, 0, 10, &l) == 0) {
		sp->dec = (int)l;
		sp->decset = 1;
	} else if (!strcmp(f, ","))
		sp->sep = 1;
	else if (!strcmp(f, "abs"))
		sp->absval = 1;
	else if (!strcmp(f, "持平"))
		sp->flat = 1;
	else if (!strcmp(f, "增长")) {
		sp->pos = "增长";
		sp->neg = "下降";
	} else if (!strcmp(f, "增加")) {
		sp->pos = "增加";
		sp->neg = "减少";
	} else if (!strcmp(f, "提高")) {
		sp->pos = "提高";
		sp->neg = "降低";
	} else if ((to = unit_factor(f, strlen(f))) != 0) {
		from = v->unit != NULL ? unit_factor(v->unit,
		    strlen(v->unit)) : 0;
		if (from == 0) {
			errf(err, errsize, "\"%s\" converts from the column's "
			    "declared unit, and this value has %s%s; declare "
			    "type.COLUMN = number 万元 or write 万元>%s", f,
			    v->unit ? "unit " : "no unit",
			    v->unit ? v->unit : "", f);
			return -1;
		}
		sp->x = sp->x * from / to;
		if (!sp->decset)
			sp->dec = 2;
	} else if ((gt = strstr(f, ">")) != NULL) {
		from = unit_factor(f, (size_t)(gt - f));
		to = unit_factor(gt + 1, strlen(gt + 1));
		if (from == 0 || to == 0) {
			errf(err, errsize, "unknown unit conversion \"%s\" (use "
			    "two of 元, 万元, 亿元, e.g. 万元>亿元)", f);
			return -1;
		}
		sp->x = sp->x * from / to;
		if (!sp->decset)
			sp->dec = 2;
	} else {
		errf(err, errsize, "unknown format \"%s\" (expected .N , 增长 "
		    "增加 提高 持平 abs or a unit conversion such as 万元>亿元)%s",
		    f, suggest(f));
		return -1;
	}
	return 0;
}

enum fmt_status
fmt_print(const struct fmt_value *v, char *const *fmts, size_t n,
    const char *missing, struct strbuf *out, char *err, size_t errsize)
{
	struct fmt_spec sp;
	size_t i;

	memset(&sp, 0, sizeof(sp));
	sp.x = v->num;
	sp.dec = v->dec;
	if (v->kind == FMT_NUM && !v->raw && !isfinite(sp.x)) {
		errf(err, errsize, "the result is too large to print");
		return FMT_ERROR;
	}
	if (n == 0) {
		if (v->kind == FMT_MISSING)
			sb_adds(out, missing);
		else if (v->raw || v->kind == FMT_TEXT)
			sb_adds(out, v->text);
		else {
			fmt_number(out, sp.x, v->pct && sp.dec < 1 ? 1 : sp.dec,
			    0);
			if (v->pct)
				sb_addc(out, '%');
		}
		return FMT_OK;
	}
	for (i = 0; i < n; i++)
		if (apply_format(v, fmts[i], &sp, err, errsize) != 0)
			return FMT_ERROR;
	if (v->kind == FMT_MISSING) {
		sb_adds(out, missing);
		return FMT_OK;
	}
	if (v->kind == FMT_TEXT)
		return FMT_NOT_NUMBER;
	if (!isfinite(sp.x)) {
		errf(err, errsize, "the result is too large to print");
		return FMT_ERROR;
	}
	if (v->pct && !sp.decset && v->raw == 0 && sp.dec < 1)
		sp.dec = 1;
	if (sp.pos != NULL) {
		struct strbuf tmp;
		double r;

		/* The word follows the sign of the printed figure: -0.04
		 * with one decimal is 增长0.0, not 下降0.0. */
		sb_init(&tmp);
		fmt_number(&tmp, sp.x, sp.dec, 0);
		r = strtod(sb_str(&tmp), NULL);
		sb_free(&tmp);
		if (sp.flat && r == 0) {
			sb_adds(out, "持平");
			return FMT_OK;
		}
		sb_adds(out, r < 0 ? sp.neg : sp.pos);
		sp.absval = 1;
	}
	fmt_number(out, sp.absval ? fabs(sp.x) : sp.x, sp.dec, sp.sep);
	if (v->pct)
		sb_addc(out, '%');
	return FMT_OK;
}
