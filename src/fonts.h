/* Fonts: resolution, checks, measuring and subsetting (internal to render).
 *
 * The only module that includes fontconfig and HarfBuzz headers.  A
 * struct fnt_lib holds, per font role, the ordered list of usable faces
 * (a face shared by several roles is opened once).  Which face draws a
 * code point is decided by fnt_face_for alone, so measuring and drawing
 * always agree:
 *   - ROLE_BODY: printable ASCII (U+0020..U+007E) and Latin letters
 *     (U+00C0..U+024F except U+00D7 and U+00F7) come from the first
 *     ROLE_LATIN face that has them, when a latin font is configured;
 *   - otherwise the first face of the role that has the glyph;
 *   - ROLE_BODY then falls back to the ROLE_LATIN faces (€, ≥ ...);
 *   - code points above U+FFFF are never drawable (2-byte codes, a BMP
 *     table per role).
 * Advances are HarfBuzz nominal advances quantized down to 1/1000 em, the
 * value render writes into the PDF /W array, so a measured width is
 * exactly the width a viewer uses. */
#ifndef ZJ_FONTS_H
#define ZJ_FONTS_H

#include <stddef.h>
#include <stdint.h>

#include "style.h"

struct fnt_lib;
struct fnt_face;

/* Resolves and checks every role's candidates (see render.h for the
 * syntax).  An empty or NULL list is allowed for ROLE_LATIN only (no
 * digit/Latin substitution then).  Returns NULL after diag_error(EXIT_FONT)
 * naming the role and each rejected candidate with the reason. */
struct fnt_lib *fnt_open(const char *const candidates[ROLE_COUNT],
    const char *fontdir, const char *origin);
void fnt_close(struct fnt_lib *lib);

/* The face that draws cp in role, or NULL if none can (cached: a table
 * lookup after the first call for cp). */
struct fnt_face *fnt_face_for(struct fnt_lib *lib, enum font_role role,
    uint32_t cp);

/* The first face of role (NULL if none) and the advance, in 1/1000 em, of
 * its .notdef glyph: what a character no face has takes when it is drawn
 * anyway ([fonts] missing = warning). */
struct fnt_face *fnt_role_first(const struct fnt_lib *lib,
    enum font_role role);
int fnt_notdef(const struct fnt_lib *lib, enum font_role role);

/* Natural width in points of UTF-8 s[0..n) in role at pt (no kerning, no
 * shaping; missing characters count as the .notdef advance of the role's
 * first face; invalid bytes count as 0).  Fast: table lookups only. */
double fnt_width(struct fnt_lib *lib, enum font_role role, double pt,
    const char *s, size_t n);

/* Ink extents of cp as drawn in role at pt: *left and *right get the
 * horizontal bounds of the glyph's ink box in points from the glyph
 * origin (HarfBuzz glyph extents of the face fnt_face_for picks).
 * Returns 0, or -1 (outputs untouched) when no face draws cp or its glyph
 * has no ink (a space).  The layout places punctuation by it. */
int fnt_ink(struct fnt_lib *lib, enum font_role role, double pt, uint32_t cp,
    double *left, double *right);

/* Advance of cp in face in 1/1000 em (the /W units); -1 if missing. */
int fnt_advance(struct fnt_face *f, uint32_t cp);

/* Newly allocated "desc, desc, ..." of the faces fnt_face_for tries for
 * cp in role, in that order, for messages. */
char *fnt_role_faces(const struct fnt_lib *lib, enum font_role role,
    uint32_t cp);

/* Newly allocated "body,pagenum": the roles whose candidate list holds
 * f, for messages ("-" if none). */
char *fnt_face_roles(const struct fnt_lib *lib, const struct fnt_face *f);

/* All distinct faces, in order of first use by a role. */
size_t fnt_nfaces(const struct fnt_lib *lib);
struct fnt_face *fnt_face_at(const struct fnt_lib *lib, size_t i);
/* Index of f in fnt_face_at order. */
size_t fnt_face_index(const struct fnt_face *f);
/* "Family (path:index)" for messages. */
const char *fnt_face_desc(const struct fnt_face *f);

/* Subsets f to the code points cps[0..n) with hb-subset (renumbered
 * glyphs, .notdef outline kept, hinting and layout tables dropped) and
 * checks the result the way fnt_check_file does.  Returns 0 with
 * hb-subset's output (the font file embedded as it is) in *data
 * (malloc'd, caller frees) and *len, and in gid[i] the subset's glyph of
 * cps[i] (0 if it has none); or -1 with a malloc'd reason in *why. */
int fnt_subset(struct fnt_face *f, const uint32_t *cps, size_t n,
    void **data, size_t *len, uint16_t *gid, char **why);

/* Advance of f's .notdef glyph in 1/1000 em. */
int fnt_notdef_advance(struct fnt_face *f);

/* Checks a font file (face index) the way fnt_open does before it is
 * used.  Returns 0, or -1 with a malloc'd reason in *why.  Exposed
 * for tests. */
int fnt_check_file(const char *path, unsigned index, char **why);

/* Human name of a role ("body"); same names as lay_role_name. */
const char *fnt_role_name(enum font_role role);

#endif
