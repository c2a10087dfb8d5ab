/* Linebreak: where a line of Chinese (and mixed) text may break, and the
 * breaking itself.
 *
 * Break opportunities come from libunibreak (UAX #14, "zh"), restricted
 * by the clreq GB-style prohibitions (no line starts with ，。、 or a
 * closing mark, none ends with an opening mark), unbreakable "——" and
 * "……", numbers and Latin words.  linebreak.c is the only file that
 * includes libunibreak's header.  Greedy breaking (paragraphs, cells)
 * squeezes a line-start-prohibited mark into the line as ½ em before
 * pushing a character down; balanced breaking (titles) makes lines of
 * even length and keeps words whole.  Part of the layout stage; no
 * allocation outlives the struct text / struct linevec that owns it. */
#ifndef ZJ_LINEBREAK_H
#define ZJ_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

#include "box.h"

#define EPS 0.01                /* points: tolerance of fit tests */
#define SQUEEZE_EM 0.025        /* extra tightening allowed to squeeze */
#define HL_EM 0.25              /* Han-Latin gap in justified text */
#define HL_MIN_EM 0.125         /* ... at least, when the line breaker
                                   fills a line */

/* Break status after a character. */
enum { BRK_NO, BRK_ALLOW, BRK_MUST };

/* A decoded text: code points, byte offsets, widths, break status.  The
 * arrays are owned by the struct and reused by the next text_load; s is
 * borrowed. */
struct text {
	const char *s;
	size_t len;
	size_t n, cap;
	uint32_t *cp;
	size_t *off;                /* n + 1 entries; off[n] = len */
	double *w;                  /* natural width of each character */
	unsigned char *brk;         /* break status after each character */
	char *ub;                   /* libunibreak output, len bytes */
	size_t ubcap;
};

/* Line flags. */
#define LN_COMPRESSED 1         /* last char is a full-width mark set ½ em */
#define LN_HARD 2               /* ends at a mandatory break */
#define LN_LAST 4               /* last line of its text */

/* One broken line: characters [c0, c1) (trailing spaces excluded),
 * bytes [b0, b1). */
struct line {
	size_t c0, c1;
	size_t b0, b1;
	double natural;             /* sum of the characters' natural widths */
	double squeeze;             /* width gained by compression (½ em) */
	int flags;
};

/* A growable array of lines; v is owned (free it). */
struct linevec {
	struct line *v;
	size_t n, cap;
};

/* ---- character classes (clreq GB style) ---- */

int is_space(uint32_t c);
int is_digit(uint32_t c);       /* ASCII and full-width digits */
int is_num_prefix(uint32_t c);  /* signs and currency before a number */
int is_punct(uint32_t c);       /* for the lone-last-line rule */
/* Western characters: set at their natural spacing, never tracked. */
int is_west(uint32_t c);
/* Returns 1 if a Han-Latin gap goes between a and b. */
int hl_pair(uint32_t a, uint32_t b);
/* Grid tracking of c: track for Han-class characters, 0 for western. */
double char_track(uint32_t c, double track);

/* ---- texts and lines ---- */

/* Initialises libunibreak once; call before text_load. */
void linebreak_init(void);
/* Decodes s[0..len) into tx and computes the break status after every
 * character (widths are not measured).  Invalid UTF-8 bytes become
 * U+FFFD, one per byte. */
void text_load(struct text *tx, const char *s, size_t len);
/* Measures every character of tx with m (control characters are 0). */
void text_measure(const struct lay_measure *m, struct text *tx,
    enum font_role role, double pt);
/* Frees tx's arrays and zeroes it. */
void text_free(struct text *tx);
/* Appends a zeroed line to lv and returns it (valid until the next push). */
struct line *lv_push(struct linevec *lv);

/* Breaks tx (measured) greedily into lines appended to lv: the first line
 * is at most wf wide, the others wr; every Han-class character advances by
 * its width + track, a western one by its width, and each Han-Latin gap
 * inside a line adds hlmin (0 for table cells and titles).  A
 * line-start-prohibited full-width mark that overflows is squeezed to ½ em
 * if that makes it fit; otherwise the line ends at the last break
 * opportunity; a run without any is split by characters.  lone != 0 avoids
 * a lone character as the last line.  Returns the index of the first line
 * added. */
size_t break_greedy(const struct text *tx, double wf, double wr,
    double track, double hlmin, double em, int lone, struct linevec *lv);

/* Breaks tx (measured) into balanced lines no wider than w, for centred
 * titles: the fewest lines possible, then the smallest sum of squared
 * differences from the mean line width, breaking only at opportunities
 * and preferably between words.  Falls back to greedy breaking for very
 * long texts or unbreakable runs wider than w.  Returns the index of the
 * first line added. */
size_t break_balanced(const struct text *tx, double w, double em,
    struct linevec *lv);

#endif
