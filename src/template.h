/* Template: the narrative file → numbered, expanded blocks.
 *
 * Parses the Markdown-like template (see README "Template"), numbers the
 * headings (一、 （一） 1. （1）), joins paragraph lines, expands every
 * placeholder through the model.  Knows nothing of fonts or pages. */
#ifndef ZJ_TEMPLATE_H
#define ZJ_TEMPLATE_H

#include <stddef.h>

struct model;

enum tpl_kind {
	TPL_HEADING,    /* level 1-4, text includes its number */
	TPL_PARA,
	TPL_TABLE,      /* name = [table.NAME] */
	TPL_CHART,      /* name = [chart.NAME] */
	TPL_PAGEBREAK
};

struct tpl_block {
	enum tpl_kind kind;
	int level;
	char *text;     /* expanded UTF-8 (HEADING, PARA); NULL otherwise */
	char *name;     /* TPL_TABLE */
	int line;       /* first line in the template file */
};

struct tpl_doc {
	char *path;
	size_t n;
	struct tpl_block *blocks;
};

/* Reads and expands the template at path.  Returns NULL after reporting
 * every problem with path:line:column (EXIT_TEMPLATE; EXIT_DATA for bad
 * CSV values a placeholder used).  Free with tpl_free. */
struct tpl_doc *tpl_load(const char *path, struct model *m);
void tpl_free(struct tpl_doc *d);

/* Writes the heading number for level (1-4) and ordinal n (1-based) into
 * buf: "一、", "（一）", "1.", "（1）". */
void tpl_number(int level, int n, char *buf, size_t size);

#endif
