/* Shared plain data: font roles and page geometry.
 *
 * config fills a struct style from the INI (with GB/T 9704-2012 defaults);
 * layout reads it; render maps roles to fonts.  No owners: every string
 * here is owned by whoever owns the enclosing struct.  style.c holds the
 * only two functions: the one mm→pt conversion and the one table of
 * font-role names (config keys, dumps, font reports). */
#ifndef ZJ_STYLE_H
#define ZJ_STYLE_H

/* Font roles of the official-document form (GB/T 9704 §7.3). */
enum font_role {
	ROLE_TITLE,      /* 小标宋: document title */
	ROLE_BODY,       /* 仿宋: paragraphs, level 3-4 headings, table cells */
	ROLE_HEADING,    /* 黑体: level 1 headings, table header row */
	ROLE_SUBHEADING, /* 楷体: level 2 headings, subtitle/date line */
	ROLE_LATIN,      /* Times-like serif: digits and Latin runs */
	ROLE_PAGENUM,    /* 宋体: page numbers */
	ROLE_COUNT
};

/* Horizontal alignment of a line or cell. */
enum align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* Page geometry and type sizes, all lengths in PDF points (1/72 in),
 * origin at the bottom left of the page. */
struct style {
	double page_w, page_h;        /* A4: 595.276 x 841.890 */
	double margin_top;            /* 天头 37 mm */
	double margin_left;           /* 订口 28 mm */
	double block_w, block_h;      /* 版心 156 x 225 mm */
	int lines_per_page;           /* 22 */
	int chars_per_line;           /* 28 */
	double title_size;            /* 2号 22 pt */
	double body_size;             /* 3号 16 pt (also headings) */
	double table_size;            /* 小四 12 pt */
	double table_min_size;        /* 五号 10.5 pt: a table whose content does
	                                 not fit steps down to this size */
	double table_title_size;      /* 3号 16 pt */
	double pagenum_size;          /* 4号 14 pt */
	double pagenum_gap;           /* 7 mm from 版心 bottom to the dash centre */
	int pagenum_first;            /* 1: number the first page */
	int pagenum_center;           /* 1: centred; 0: odd right, even left
	                                 (outside edges, one character in) */
	const char *pagenum_format;   /* "— %d —" (%d replaced by the number) */
	double indent_chars;          /* first-line indent in characters: 2 */
	int signature_sealed;         /* 1: §7.3.5.1 (date 右空四字, 署名
	                                 centred over it); 0: §7.3.5.2 */
	double fake_bold_title;       /* stroke width in em for the title, 0 = none */
	double cjk_latin_space;       /* gap between a Han character and a
	                                 Latin letter or digit, in em, in
	                                 every role: 0 (none, as WPS/Word 公文
	                                 templates print) */
};

/* Points (1/72 in) in mm millimetres. */
double style_mm(double mm);

/* The role's name as in [fonts] keys and dumps: "title", "body",
 * "heading", "subheading", "latin", "pagenum"; "?" out of range.
 * Static. */
const char *style_role_name(enum font_role role);
/* The role called name, or -1. */
int style_role_from_name(const char *name);

#endif
