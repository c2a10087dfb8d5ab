/* Data: reading CSV exports into typed, located cells.
 *
 * The only module that includes csv.h (libcsv) and iconv.h.  A loaded
 * table keeps every cell as UTF-8 text plus its source location, so later
 * stages can report "input/kpi.csv:12:3" for any value they use. */
#ifndef ZJ_DATA_H
#define ZJ_DATA_H

#include <stddef.h>

struct diag_loc;

/* How to read one source.  Strings are borrowed for the data_load call. */
struct data_opts {
	const char *encoding;   /* NULL or "auto": detect; else an iconv name
				 * such as "UTF-8", "GB18030", "UTF-16LE" */
	char delimiter;         /* 0: detect among , \t ; */
	size_t max_field;       /* 0: default cap (64 KiB per field) */
	size_t max_size;        /* 0: default cap on the file (IN_MAX_CSV) */
};

struct data_table;

/* Loads the CSV file at path.  The first record is the header; columns are
 * addressed by header text (trimmed).  Returns NULL after printing every
 * problem through diag (exit class EXIT_DATA), naming path:line:column.
 * The caller owns the result; free with data_free. */
struct data_table *data_load(const char *path, const struct data_opts *opts);
void data_free(struct data_table *t);
/* Concatenates the rows of parts[0..n) (n >= 1, in order), which must
 * have the same header, into a new table with one more column, named
 * col, holding labels[i] on every row of parts[i] ([data.NAME] months =
 * ytd: the month each row came from).  Every cell keeps its own file,
 * line and column (data_cell_loc); data_path names the first and last
 * files.  Returns NULL after reporting (EXIT_DATA) a header that differs
 * from the first, or one that already has col.  The parts stay the
 * caller's; free the result with data_free. */
struct data_table *data_concat(struct data_table *const *parts, size_t n,
    const char *col, const char *const *labels);

/* The path the table was loaded from (owned by t). */
const char *data_path(const struct data_table *t);
/* Encoding and delimiter actually used (owned by t / by value). */
const char *data_encoding(const struct data_table *t);
char data_delimiter(const struct data_table *t);

size_t data_nrows(const struct data_table *t);   /* excluding the header */
size_t data_ncols(const struct data_table *t);
const char *data_header(const struct data_table *t, size_t col);
/* Returns the index of the column whose header equals name, or -1. */
long data_column(const struct data_table *t, const char *name);

/* Returns the cell text (UTF-8, owned by t, valid until data_free), or
 * NULL when the cell is missing: blank (empty or only spaces) or beyond a
 * short row. */
const char *data_cell(const struct data_table *t, size_t row, size_t col);
/* Fills loc with the file, line and column (1-based, in characters) where
 * the cell starts in the source file.  loc->file is owned by t. */
void data_cell_loc(const struct data_table *t, size_t row, size_t col,
    struct diag_loc *loc);

/* Whether the text s is a figure beyond ZJ_MAX_EXACT (util.h): such a
 * cell is not a number for data_number (a located error where a number
 * is needed; printed as written otherwise). */
int data_too_large(const char *s);

/* Reads a cell as a number: "1,234.5", "-3", "12.5%" (percent gives 12.5).
 * Returns 1 and sets *v for a number, 0 for a missing cell, -1 if the cell
 * is not a number (no message is printed: the caller reports it with
 * data_cell_loc). */
int data_number(const struct data_table *t, size_t row, size_t col,
    double *v);

/* Declared column types ([data.NAME] type.COLUMN = TYPE [UNIT]). */
enum data_type { DT_TEXT, DT_INTEGER, DT_NUMBER, DT_PERCENT, DT_DATE };

/* Parses "text", "integer", "number", "percent" or "date".  Returns 0 or
 * -1. */
int data_parse_type(const char *name, enum data_type *out);

/* Checks every non-missing cell of column col against type: integer
 * ("1,234", "-3"), number ("1,234.5"), percent ("12.5%" or "12.5"), date
 * (2021-03-15, 2021/3/15 or 2021年3月15日, a real calendar date).  Reports
 * each bad cell with its location (EXIT_DATA; at most 20, then a count)
 * and returns the number of bad cells. */
size_t data_check_type(const struct data_table *t, size_t col,
    enum data_type type);

#endif
