/* sfnt: pure byte parsing and building of OpenType/TrueType font tables
 * (no HarfBuzz, no libharu, no I/O), so every check is unit-tested on
 * hand-made bytes (tests/test_sfnt.c).
 *
 * Contract: every function reads only within d[0..len) whatever the
 * bytes hold (truncated, lying offsets, absurd counts); results are
 * malloc'd and owned by the caller; nothing is reported through diag. */
#ifndef ZJ_SFNT_H
#define ZJ_SFNT_H

#include <stddef.h>
#include <stdint.h>

/* Big-endian reads; p must have 2 or 4 readable bytes. */
unsigned sfnt_be16(const unsigned char *p);
uint32_t sfnt_be32(const unsigned char *p);

/* Checks the face at index of the font file d[0..len) (a single font or
 * a 'ttcf' collection) for what embedding it needs: TrueType outlines
 * (glyf, loca) or CFF outlines (a readable 'CFF ' table: one font, as
 * many CharStrings as numGlyphs, a charset when CID-keyed; not CFF2),
 * the tables head hhea hmtx maxp cmap OS/2 name, consistent sizes and
 * counts, a Unicode cmap, a PostScript name, and an OS/2 fsType that
 * allows subset embedding.  Returns NULL, or a malloc'd reason ("no
 * 'glyf' or 'CFF ' table ..."). */
char *sfnt_check(const unsigned char *d, size_t len, unsigned index);

/* numGlyphs ('maxp') of a single-face sfnt d[0..len), 0 if unreadable. */
unsigned sfnt_num_glyphs(const unsigned char *d, size_t len);

/* The table tag (4 bytes) of a single-face sfnt d[0..len): a pointer
 * into d and its length in *tlen, or NULL if absent or out of bounds. */
const unsigned char *sfnt_table(const unsigned char *d, size_t len,
    const char *tag, size_t *tlen);

/* What a PDF font descriptor needs from a single-face sfnt. */
struct sfnt_metrics {
	unsigned upem;
	int bbox[4];            /* head xMin yMin xMax yMax, 1/1000 em */
	int ascent, descent;    /* hhea (OS/2 typo if hhea has 0 0), as
	                           libharu wrote them, 1/1000 em */
	int cap_height;         /* OS/2 v2 sCapHeight, else the ascent */
	double italic_angle;    /* post, degrees */
	unsigned weight;        /* OS/2 usWeightClass (400 if absent) */
	int fixed_pitch;        /* post isFixedPitch */
	int cff;                /* CFF outlines (no 'glyf') */
	char psname[64];        /* name ID 6 as PDF name characters, or
	                           "Font" */
};

/* Fills *m from d[0..len).  Returns 0, or -1 if head/hhea are missing or
 * unitsPerEm is absurd. */
int sfnt_metrics(const unsigned char *d, size_t len, struct sfnt_metrics *m);

/* The CID of each glyph of the CFF table d[0..len) of a font with ng
 * glyphs, into cid[0..ng) (cid may be NULL to only check): a CID-keyed
 * font's charset (glyph 0 is CID 0), or the glyph index itself for a
 * name-keyed font, whose PDF CIDs are glyph indices.  Returns 1 for
 * CID-keyed, 0 for name-keyed, -1 if the table cannot be read. */
int sfnt_cff_cids(const unsigned char *d, size_t len, unsigned ng,
    uint16_t *cid);

#endif
