/* Render: fonts and drawing.  The only module that includes hpdf.h.
 *
 * Fonts are resolved per role (fonts.c: fontconfig + HarfBuzz), measured
 * with HarfBuzz for layout, subset with hb-subset to the characters the
 * document uses, loaded into libharu and drawn.  render writes one PDF to a
 * path the caller chooses (output.c picks a temporary name and renames). */
#ifndef ZJ_RENDER_H
#define ZJ_RENDER_H

#include <time.h>

#include "layout.h"

/* Document information.  Strings borrowed for the call. */
struct rnd_info {
	const char *title;
	const char *author;     /* organization */
	const char *subject;
	const char *creator;    /* "zongjie 0.1" */
	time_t created;         /* from SOURCE_DATE_EPOCH or the period */
};

struct rnd;

/* Resolves the fonts of every role.  candidates[role] is the INI value: a
 * comma-separated list of file paths ("fonts/simfang.ttf",
 * "/usr/share/fonts/x.ttc:0") or family names resolved through fontconfig;
 * fontdir (may be NULL) is searched first for bare file names; origin (may
 * be NULL) is the INI path, so problems are reported at [fonts] ROLE.  Returns
 * NULL after reporting through diag with EXIT_FONT (which role, which
 * candidates, why each was rejected).  Free with rnd_free. */
struct rnd *rnd_create(const char *const candidates[ROLE_COUNT],
    const char *fontdir, const char *origin);
void rnd_free(struct rnd *r);

/* The measurer layout uses; valid until rnd_free. */
const struct lay_measure *rnd_measure(struct rnd *r);

/* Checks that every character of text[0..n) can be drawn in role (some
 * candidate face has it, it is in the BMP).  On failure reports
 * EXIT_FONT at loc naming the character and its U+ code, and returns -1;
 * returns 0 when all can be drawn. */
struct diag_loc;
int rnd_check_text(struct rnd *r, enum font_role role, const char *text,
    const struct diag_loc *loc);

/* 1 when rnd_check_text(r, role, text, loc) would report nothing: text
 * is UTF-8 and each of its characters can be drawn in role; else 0.
 * Reports nothing (check first, find a location only to report). */
int rnd_text_drawable(struct rnd *r, enum font_role role, const char *text);

/* With warn set, a character no font of its role has is reported as a
 * warning and drawn as the first face's .notdef box instead of stopping
 * the run ([fonts] missing = warning). */
void rnd_allow_missing(struct rnd *r, int warn);

/* Draws the laid-out document (lay_run's or lay_stream's, read page by
 * page with lay_page) and saves it to path (created or truncated).
 * Returns 0, or -1 after reporting through diag (EXIT_FONT for font
 * problems, EXIT_OUTPUT for write failures, EXIT_INTERNAL for libharu). */
int rnd_write(struct rnd *r, struct lay_result *lay,
    const struct style *st, const struct rnd_info *info, const char *path);

#endif
