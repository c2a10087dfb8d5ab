/* Config: reading report.ini into plain structs.
 *
 * The only module that includes iniparser.  Every string is copied out of
 * the dictionary; the struct cfg owns them all.  Unknown sections and keys,
 * missing required keys and malformed values are reported with the INI
 * path, section and key (EXIT_USAGE). */
#ifndef ZJ_CONFIG_H
#define ZJ_CONFIG_H

#include <stddef.h>

#include "style.h"

/* [data.NAME] duplicates: what a lookup does when its key matches more
 * than one row. */
enum cfg_dup {
	DUP_ERROR = 0,          /* default: an error naming both rows */
	DUP_FIRST,              /* the first matching row wins */
	DUP_LAST                /* the last matching row wins */
};

/* [data.NAME]: one CSV source. */
struct cfg_source {
	char *name;             /* NAME */
	char *file;             /* path pattern, may contain {period}, {year}… */
	char *key;              /* key column for lookups; NULL = first column */
	char *encoding;         /* NULL = auto */
	char delimiter;         /* 0 = auto */
	char *exclude;          /* condition for rows to leave out; NULL = none */
	enum cfg_dup duplicates;/* duplicates = first|last|error (default error) */
	int ytd;                /* months = ytd: the files of January to the
	                           report's month, read as one source */
	size_t max_size;        /* max_size_mb in bytes; 0 = default (IN_MAX_CSV) */
	size_t ntypes;          /* type.COLUMN = TYPE [UNIT] entries */
	char **type_cols;       /* column names (ASCII lower-cased by iniparser) */
	char **type_names;      /* text, integer, number, percent, date */
	char **type_units;      /* unit word or NULL */
};

/* One column of a [table.NAME]: "colN = HEADER | VALUE | FORMAT | ALIGN | WIDTH". */
struct cfg_column {
	char *header;           /* header text */
	char *value;            /* source column name, or a {placeholder} expr */
	char *format;           /* NULL, or pipe formats as in placeholders: ".2" */
	int align;              /* -1 auto (numbers right, text left), else enum align */
	double width_mm;        /* 0 = auto */
	double min_mm, max_mm;  /* limits of an auto width; 0 = none */
};

/* [table.NAME]. */
struct cfg_table {
	char *name;
	const char *path;       /* the INI file (borrowed from the cfg) */
	char *source;
	char *title;            /* may be NULL */
	char *unit;             /* may be NULL */
	char *filter;           /* condition, as in placeholders; may be NULL */
	char *sort;             /* "COLUMN [asc|desc]"; may be NULL */
	long limit;             /* 0 = all rows */
	int number;             /* add a 序号 column */
	int total;              /* add a 合计 row */
	char *group;            /* column: a 小计 row after each group; NULL */
	char *empty;            /* text when no rows; NULL = default */
	size_t ncols;
	struct cfg_column *cols;
};

/* [chart.NAME]: a bar, line or bar-and-line chart from a source. */
struct cfg_chart {
	char *name;
	char *source;
	char *title;            /* may be NULL */
	char *unit;             /* may be NULL */
	char *category;         /* column giving the x categories */
	char **bars;            /* columns drawn as bars (NULL-terminated) */
	char **lines;           /* columns drawn as lines (NULL-terminated) */
	char *filter;           /* condition; may be NULL */
	char *sort;             /* "COLUMN [asc|desc]"; may be NULL */
	int labels;             /* value labels */
	int height_lines;       /* 0 = default */
	/* Value labels' decimals (0..6): none given (ndecimals 0: from the
	 * data), one for every series, or one per series, bars then lines. */
	int *decimals;
	size_t ndecimals;
	const char *path;       /* the INI file (borrowed from the cfg) */
};

/* [mail] attach: what a mail carries. */
enum mail_attach { ATTACH_PDF, ATTACH_DOCX };

/* [mail]: sending the finished PDF (--mail). */
struct cfg_mail {
	int present;            /* the section exists */
	char *url;              /* smtp://host:port, smtps://host:port */
	char *user;             /* may be NULL: no authentication */
	char *password_file;    /* file holding the password; NULL with no user */
	int starttls;           /* 1: require STARTTLS on smtp:// */
	char *from;
	char *to;               /* comma-separated addresses */
	char *cc;               /* may be NULL */
	char *subject;          /* pattern with placeholders */
	char *body;             /* pattern with placeholders; may be NULL */
	long timeout;           /* seconds, default 60 */
	char *errors_to;        /* where a failed --mail run's messages go;
	                         * NULL: nowhere */
	char *errors_subject;   /* its subject, {period} etc.; NULL: default */
	int attach[2];          /* [mail] attach: ATTACH_*, in attachment
	                         * order, each at most once */
	int nattach;            /* 0: the output's own format (no key) */
};

struct cfg {
	char *path;             /* the INI path as given */
	char *dir;              /* absolute base of the INI's relative paths
	                         * (cfg_set_base); NULL before it */

	/* [report] */
	char *title;            /* pattern with placeholders */
	char *subtitle;         /* may be NULL */
	char *organization;     /* may be NULL */
	char *signature;        /* 署名; NULL = no signature block */
	char *date;             /* 成文日期 pattern; NULL = period end */
	char *template_path;
	char *output;           /* pattern: out/report-{period}.pdf */
	char *period;           /* default period; may be NULL */
	char *missing;          /* "—" */

	/* [fonts] */
	char *fonts[ROLE_COUNT];/* candidate lists */
	char *fontdir;          /* "fonts" */
	int font_missing_warn;  /* [fonts] missing = warning */

	/* [layout] */
	struct style style;
	char *pagenum_format;   /* owned copy backing style.pagenum_format */

	struct cfg_mail mail;

	size_t nsources;
	struct cfg_source *sources;
	size_t ntables;
	struct cfg_table *tables;
	size_t ncharts;
	struct cfg_chart *charts;
};

/* Loads and validates path.  Returns NULL after reporting every problem
 * (EXIT_USAGE).  Free with cfg_free. */
struct cfg *cfg_load(const char *path);
void cfg_free(struct cfg *c);

/* Sets the base of the INI's relative paths: dir (-C DIR) when not NULL,
 * else the configuration file's directory, made absolute.  Resolves
 * template, [fonts] dir, font candidates that are paths and [mail]
 * password_file against it (absolute paths stay as they are; file and
 * family names of fonts stay).  The patterns output and [data.*] file are
 * resolved after expansion with cfg_path.  Returns 0, or -1 after
 * reporting (EXIT_USAGE: the directory does not exist). */
int cfg_set_base(struct cfg *c, const char *dir);

/* p resolved against the base (absolute, lexically clean); p itself when
 * no base is set.  Caller frees. */
char *cfg_path(const struct cfg *c, const char *p);

/* Reads only the [mail] section of path into *m (zeroed first), quietly:
 * for the failure mail of a configuration that did not load.  Returns 0
 * when [mail] has a url, from and errors_to, else -1 (nothing printed).
 * Free with cfg_mail_free. */
int cfg_read_mail(const char *path, struct cfg_mail *m);
void cfg_mail_free(struct cfg_mail *m);

/* Lookups by name; NULL if absent.  Pointers owned by c. */
const struct cfg_source *cfg_source(const struct cfg *c, const char *name);
const struct cfg_table *cfg_table(const struct cfg *c, const char *name);
const struct cfg_chart *cfg_chart(const struct cfg *c, const char *name);

/* Fills st with the GB/T 9704-2012 defaults. */
void cfg_default_style(struct style *st);

#endif
