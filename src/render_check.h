/* Render check: before layout, every text of the document tree is
 * checked against the fonts of its role (render side: rnd_check_text
 * of render.h), so a character no font has is reported where it was
 * written (the template line, the INI key, or the CSV cell of a copied
 * table cell), not as a box in the PDF. */
#ifndef ZJ_RENDER_CHECK_H
#define ZJ_RENDER_CHECK_H

struct cfg;
struct doc;
struct rnd;

/* Checks every text of the evaluated d (titles, headings, paragraphs,
 * tables' titles, headers and cells, charts' labels, the signature).
 * c gives the INI path for INI texts.  Returns 0, or -1 after reporting
 * each character no font has (EXIT_FONT; a warning only with [fonts]
 * missing = warning, then 0). */
int render_check_doc(struct rnd *r, const struct doc *d,
    const struct cfg *c);

#endif
