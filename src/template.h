/* Template: the narrative file → the document tree (doc.h), parsed once.
 *
 * Parses the Markdown-like template (see README "Template"): headings
 * with their numbers (一、 （一） 1. （1）), run-in headings, paragraphs
 * (one run per literal text, placeholder and line join), @table, @chart,
 * @pagebreak; every placeholder is parsed into an expression tree
 * (expr.h) with its file:line:column.  Nothing is evaluated here (eval.h
 * does that in place) and nothing knows fonts or pages. */
#ifndef ZJ_TEMPLATE_H
#define ZJ_TEMPLATE_H

#include <stddef.h>

struct cfg;
struct doc;
struct eval;

/* Parses the template at path into a new doc (free with doc_free).
 * Every syntax problem is reported with path:line:column (EXIT_TEMPLATE)
 * and counted in doc->nerrors, and parsing goes on, so that one run
 * reports them all.  Returns NULL only when the file cannot be opened. */
struct doc *tpl_parse(const char *path);

/* Adds the INI's nodes to d: the title (and subtitle) first, the
 * signature block last, their placeholders parsed with the location
 * "[report] KEY" of c.  Syntax errors are counted in d->nerrors. */
void tpl_add_report(struct doc *d, const struct cfg *c);

/* Parses and evaluates the template's placeholders (tests, fuzzing):
 * tpl_parse then eval_doc without a configuration.  Returns NULL after
 * reporting every problem. */
struct doc *tpl_load(const char *path, struct eval *ev);

/* Writes the heading number for level (1-4) and ordinal n (1-based) into
 * buf: "一、", "（一）", "1.", "（1）". */
void tpl_number(int level, int n, char *buf, size_t size);

#endif
