/* Source: the CSV sources registered with the evaluator ([data.NAME]),
 * each with its key column, the rows left after its exclude rule, the
 * declared units of its columns and what a lookup does with a key that
 * several rows share.  Also the row operations every evaluator part
 * shares: filter matching, sorting, and a cell's provenance record.
 *
 * A struct source borrows its data_table, which must outlive it.  Used by
 * eval.c, eval_table.c; nothing outside the evaluator includes it. */
#ifndef ZJ_SOURCE_H
#define ZJ_SOURCE_H

#include <stddef.h>

struct data_table;
struct diag_loc;
struct doc_cell;
struct expr_filter;
struct period;

/* What a lookup SOURCE[KEY] does when several rows have KEY
 * ([data.NAME] duplicates). */
enum source_dups { DUPS_ERROR, DUPS_FIRST, DUPS_LAST };

struct source {
	char *name;
	const struct data_table *t;     /* borrowed */
	size_t key;             /* the (first) key column */
	size_t *keys;           /* every key column ([data.NAME] key = A, B) */
	size_t nkeys;
	size_t *rows;           /* rows kept after the exclude rule */
	size_t nrows;
	char **units;           /* declared unit per column, or NULL */
	size_t ncols;
	enum source_dups dups;
};

struct source_set {
	struct source *v;
	size_t n;
};

/* Registers t as name (see eval_add_source); key may list several
 * columns separated by ','; period names in exclude take p's values.
 * Returns 0, or -1 after reporting at loc. */
int source_add(struct source_set *set, const char *name, const char *key,
    const char *exclude, const struct data_table *t,
    const struct period *p, const struct diag_loc *loc);
void source_set_free(struct source_set *set);
const struct source *source_find(const struct source_set *set,
    const char *name);
/* The declared unit of a column, or NULL. */
const char *source_unit(const struct source *s, size_t col);

/* Prepares f (may be NULL) for source_match on the rows of s in period
 * p: resolves its columns into cols (f->n entries), gives the values
 * written as bare period names their values (expr_filter_bind), and
 * checks that no column holding numbers (source_numeric) is compared
 * with a text that is not a number.  Returns 0, or -1 with the reason,
 * translated, in err[0..nerr). */
int source_filter_prepare(const struct source *s, struct expr_filter *f,
    const struct period *p, long *cols, char *err, size_t nerr);
/* 1 if column col of s holds numbers: at least one of its cells (in the
 * rows kept) is filled and every filled one is a figure. */
int source_numeric(const struct source *s, size_t col);
/* The column of s called name, or -1 with "column … is not in source …
 * (FILE); did you mean …" (translated) in err[0..nerr). */
long source_column(const struct source *s, const char *name, char *err,
    size_t nerr);
/* Returns 1 if row of t passes every condition of f (f may be NULL;
 * cols from source_filter_prepare).  A missing cell passes only "!="
 * and "is blank". */
int source_match(const struct expr_filter *f, const long *cols,
    const struct data_table *t, size_t row);
/* Sorts rows[0..n) of t by column col: numbers as numbers, text by code
 * point, missing cells last, ties in source order. */
void source_sort(const struct data_table *t, size_t *rows, size_t n,
    size_t col, int desc);
/* Describes cell (row, col) of s for provenance (strings borrowed from
 * the table). */
void source_cell(const struct source *s, size_t row, size_t col,
    struct doc_cell *out);
/* Reports a cell that should be a number but is not (EXIT_DATA, at the
 * cell). */
void source_bad_cell(const struct data_table *t, size_t row, size_t col);

#endif
