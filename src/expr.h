/* Expr: the placeholder language's lexer and parser (the first half of
 * Lua's split: parse once, evaluate as often as needed in eval.c).
 *
 * A placeholder {EXPR | FORMAT | …} is parsed into a struct expr: a tree
 * of struct expr_node (numbers, "texts", names, lookups, aggregates,
 * lists, growth/share/diff) plus its format words.  Parsing is syntax
 * only: whether a source, column or name exists is decided by the
 * evaluator, which knows the loaded sources.  Every node records its byte
 * offset in the expression, and the placeholder its location (the '{').
 *
 * Errors are reported through diag at the placeholder's location as
 * "MESSAGE in {EXPR}" (EXIT_TEMPLATE); nesting deeper than
 * EXPR_MAX_DEPTH is such an error, not a stack overflow.
 *
 * Ownership: a struct expr owns its nodes and strings; loc.file, section
 * and key are borrowed and must outlive it.  Free with expr_free. */
#ifndef ZJ_EXPR_H
#define ZJ_EXPR_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* Nesting deeper than this (growth(growth(…))) is a located error. */
#define EXPR_MAX_DEPTH 64

enum expr_kind {
	EXPR_NUMBER,    /* 12.5: num, dec */
	EXPR_TEXT,      /* "quoted": name is the text */
	EXPR_NAME,      /* year, months, … or a column of a table's row */
	EXPR_LOOKUP,    /* SOURCE[KEY].COLUMN: name, key, column */
	EXPR_AGGREGATE, /* count/sum/avg/min/max(SOURCE[.COLUMN] [where …]) */
	EXPR_LIST,      /* list(SOURCE [where …] [sort C [asc|desc]] [top N],
	                   "PATTERN" [, "SEP" [, "LAST"]]) */
	EXPR_GROWTH,    /* growth(a, b): (a / b - 1) × 100 % */
	EXPR_SHARE,     /* share(a, b): a / b × 100 % */
	EXPR_DIFF,      /* diff(a, b): a - b */
	EXPR_CMP,       /* a OP b (OP_EQ … OP_GE in cmp): 1 or 0 */
	EXPR_AND,       /* a and b */
	EXPR_OR,        /* a or b */
	EXPR_NOT        /* not a */
};

/* What a placeholder is: a figure, or a piece of conditional text
 * {if COND} … {else} … {end} (root is COND for CTL_IF, NULL else). */
enum expr_ctl { CTL_NONE, CTL_IF, CTL_ELSE, CTL_END };

enum expr_agg { AGG_COUNT, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX };

enum expr_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN,
	OP_BLANK,       /* COLUMN is blank (no values) */
	OP_NOTBLANK     /* COLUMN is not blank (no values) */
};

/* One condition COLUMN OP VALUE, COLUMN in (V, …) or COLUMN is [not]
 * blank.  nums/isnum hold each value read as a figure when it is one.
 * pnames[i] is the period name (year, month, …) a bare value was written
 * as, or NULL: expr_filter_bind replaces vals[i] by the period's value. */
struct expr_cond {
	char *column;
	enum expr_op op;
	size_t nvals;
	char **vals;
	double *nums;
	int *isnum;
	char **pnames;
};

/* COND [and COND …]; text is the condition as written. */
struct expr_filter {
	char *text;
	size_t n;
	struct expr_cond *c;
};

/* One piece of a list pattern: literal text, or [COLUMN | FORMAT …]. */
struct expr_item {
	char *text;             /* literal, or NULL */
	char *column;           /* [COLUMN], or NULL */
	char **fmts;            /* NULL-terminated, the item's formats */
	size_t nfmts;
};

struct expr_node {
	enum expr_kind kind;
	size_t pos;             /* byte offset in the expression text */
	double num;             /* NUMBER */
	int dec;                /* NUMBER: decimals as written */
	char *name;             /* TEXT: the text; NAME: the name; LOOKUP,
	                           AGGREGATE, LIST: the source */
	char *key;              /* LOOKUP: the key as written (unquoted) */
	char **keys;            /* LOOKUP: the key split at ',' (unquoted) */
	size_t nkeys;           /*   for a source of several key columns */
	char *column;           /* LOOKUP; AGGREGATE (NULL: count rows);
	                           LIST: the sort column (NULL: none) */
	enum expr_agg agg;      /* AGGREGATE */
	struct expr_filter *where;      /* AGGREGATE, LIST; NULL = none */
	int desc;               /* LIST: sort descending */
	long top;               /* LIST: at most this many rows; 0 = all */
	size_t nitems;          /* LIST: the pattern, parsed */
	struct expr_item *items;
	int pattern_open;       /* LIST: the pattern has an unclosed '['
	                           (reported when an item is printed) */
	char *sep, *last;       /* LIST: separators; NULL = default */
	char *prefix;           /* LIST: printed on the first item only
	                           when every item starts with it */
	struct expr_node *a, *b;        /* GROWTH, SHARE, DIFF, CMP, AND,
	                                   OR; NOT: a */
	enum expr_op cmp;       /* CMP */
	int paren;              /* written in ( ): "and" does not reach in */
};

/* A parsed placeholder. */
struct expr {
	char *text;             /* the expression as written (before the
	                           first '|'), trimmed */
	struct diag_loc loc;    /* the '{' (or the INI key) */
	struct expr_node *root;
	enum expr_ctl ctl;
	size_t nfmts;           /* the format words after '|', trimmed */
	char **fmts;            /* NULL-terminated */
};

/* Parses the placeholder body s[0..n) (between the braces).  Returns the
 * expression, or NULL after reporting at loc (the '{'); when loc has a
 * line but column 0, s is taken as the whole line (--explain) and a
 * syntax error is reported at the column where parsing stopped. */
struct expr *expr_parse(const char *s, size_t n, const struct diag_loc *loc);
void expr_free(struct expr *e);

/* Parses a condition as written in [data.NAME] exclude or [table.NAME]
 * filter ("状态 = 签约 and 投资额 >= 1").  Returns it, or NULL after
 * reporting at loc ("… in {COND}"). */
struct expr_filter *expr_parse_filter(const char *s,
    const struct diag_loc *loc);
void expr_filter_free(struct expr_filter *f);

struct period;
/* Replaces the values of f written as bare period names (year, month,
 * prev_year, next_year, period, prev_month, prev_period) by their values
 * in period p (see period_value); may be called again for another
 * period.  f may be NULL. */
void expr_filter_bind(struct expr_filter *f, const struct period *p);

/* Splits s[0..n) at '|' outside quotes, brackets and parentheses into a
 * NULL-terminated array of trimmed new strings (at least one, even when a
 * quote or bracket is unclosed); *cnt gets the count.  Free with
 * strv_free. */
char **expr_split_pipes(const char *s, size_t n, size_t *cnt);

/* One piece of a text with placeholders: literal text ({{ and }}
 * already undone) or a placeholder's body (between the braces).  col is
 * the column of its first character (the '{' for a placeholder). */
struct expr_run {
	int is_figure;
	char *text;
	int col;
};

/* Splits text into runs.  loc gives the file and line (or INI key) and,
 * in loc->col, the column of text's first character (0 counts as 1).
 * Reports an unmatched "}" (and goes on) and an unterminated placeholder
 * (and stops there), setting *failed.  Returns a new array of *n runs
 * (free with expr_runs_free). */
struct expr_run *expr_scan(const char *text, const struct diag_loc *loc,
    size_t *n, int *failed);
void expr_runs_free(struct expr_run *r, size_t n);

/* "; did you mean \"X\"?" (translated), X the candidate of cands[0..n)
 * nearest to name (utf8_nearest), or "" when none is near.  The text is
 * in a static buffer, valid until the next call. */
const char *expr_suggest(const char *name, const char *const *cands,
    size_t n);

/* expr_suggest among the function names (count, sum, …, growth). */
const char *expr_suggest_function(const char *name);

/* Prints the tree of e on one line, Lisp-like, for --dump-doc:
 *   (growth (lookup kpi "产值" 本期) (lookup kpi "产值" 上年同期))
 * Stable for golden tests. */
void expr_print(const struct expr *e, FILE *fp);

#endif
