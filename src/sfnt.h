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
 * a 'ttcf' collection) for what embedding it needs: TrueType outlines,
 * the tables glyf loca head hhea hmtx maxp cmap OS/2 name, consistent
 * sizes and counts, a Unicode cmap, a PostScript name libharu can read,
 * and an OS/2 fsType that allows subset embedding.  Returns NULL, or a
 * malloc'd reason ("no 'glyf' table ..."). */
char *sfnt_check(const unsigned char *d, size_t len, unsigned index);

/* numGlyphs ('maxp') of a single-face sfnt d[0..len), 0 if unreadable. */
unsigned sfnt_num_glyphs(const unsigned char *d, size_t len);

/* Builds a 'cmap' table with one (3,1) format 4 subtable mapping cps[i]
 * to gids[i] (i < n; cps ascending, unique, each < 0xFFFF; gids non-0).
 * Segments span gaps of up to gap code points through glyphIdArray
 * (zeros in the gaps), so there are few of them: libharu 2.3.0 scans the
 * segments linearly for each of the 65,536 BMP code points.  Returns the
 * table (length in *len), or NULL when n is 0 or the subtable would not
 * fit in 64 KB. */
unsigned char *sfnt_cmap4(const uint32_t *cps, const uint16_t *gids,
    size_t n, unsigned gap, size_t *len);

#endif
