/* Format: how a value is printed.  Numbers (rounding half away from zero,
 * thousands separators), percentages, the growth words (增长/下降,
 * 增加/减少, 提高/降低), abs, and money-unit conversions (元, 万元, 亿元).
 *
 * Pure functions over a struct fmt_value; no diagnostics are printed here:
 * fmt_print returns what went wrong and the caller (the evaluator) reports
 * it at the placeholder.  No allocation except in the caller's strbuf. */
#ifndef ZJ_FORMAT_H
#define ZJ_FORMAT_H

#include <stddef.h>

struct strbuf;

enum fmt_kind { FMT_MISSING, FMT_NUM, FMT_TEXT };

/* A value to print.  text is borrowed (a CSV cell or the evaluator's
 * string). */
struct fmt_value {
	enum fmt_kind kind;
	double num;             /* FMT_NUM */
	int dec;                /* decimals to print by default */
	int pct;                /* print with a trailing % */
	int raw;                /* a cell as written: print text unchanged
	                           when no format is given */
	const char *text;       /* FMT_TEXT, or the cell as written (raw) */
	const char *unit;       /* the column's declared unit, or NULL */
};

/* What fmt_print found.  FMT_ERROR: err holds the message (without the
 * placeholder, which the caller appends).  FMT_NOT_NUMBER: a text value
 * met a format that needs a number (err holds nothing). */
enum fmt_status { FMT_OK = 0, FMT_ERROR = -1, FMT_NOT_NUMBER = -2 };

/* Appends v formatted with fmts[0..n) (".N", ",", "abs", "增长", "增加",
 * "提高", "元", "万元", "亿元", "万元>亿元" …) to out; missing prints as
 * missing.  With no format, a cell prints as written, a number with its
 * decimals.  On failure nothing useful is in out (the caller discards the
 * placeholder) and err (errsize bytes) says why. */
enum fmt_status fmt_print(const struct fmt_value *v, char *const *fmts,
    size_t n, const char *missing, struct strbuf *out, char *err,
    size_t errsize);

/* Formats v with dec decimals (half away from zero, never "-0"), with
 * thousands separators when sep.  Appends to out. */
void fmt_number(struct strbuf *out, double v, int dec, int sep);

/* Number of decimals as written in a figure ("1,234.50" → 2). */
int fmt_decimals(const char *s);

/* x, a sum of figures of at most dec decimals each, as the double nearest
 * the exact decimal sum: adding in binary leaves an error (1.07 + 1.0
 * = 2.0700000000000003) that could tip a half-way rounding and shows in
 * --figures' 原值; the exact sum has at most dec decimals, so rounding to
 * dec removes it.  Returns x itself when dec is outside 0..15, x is not
 * finite, or |x|·10^dec is 2^53 or more (beyond exact integers). */
double fmt_exact_sum(double x, int dec);

#endif
