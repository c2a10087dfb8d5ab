/* Linebreak: where a line of Chinese (and mixed) text may break, and the
 * breaking itself.
 *
 * Break opportunities come from libunibreak (UAX #14, "zh"), restricted
 * by the clreq GB-style prohibitions (no line starts with ，。、 or a
 * closing mark, none ends with an opening mark), unbreakable "——" and
 * "……", numbers with their signs and units ("3000吨/年"), and Latin words.
 * linebreak.c is the only file that includes libunibreak's header.
 * Punctuation is spaced by the ink of its glyph (the measurer's ink):
 * adjacent full-width marks are kerned to 1.5 em, and a mark squeezed to ½
 * em at a line end keeps its ink inside the line whatever the font's
 * convention.  Greedy breaking (paragraphs, cells) squeezes a
 * line-start-prohibited mark into the line as ½ em before pushing a
 * character down, and paragraphs shrink a line (tighter tracking, marks
 * inside compressed) before they stretch one; an opening mark that
 * starts a line at the margin gives up the blank ½ em at its left (clreq
 * 行首标点挤压; line.lead); balanced breaking (titles)
 * makes lines of even length
 * and keeps words whole.  Part of the layout stage; no allocation
 * outlives the struct text / struct linevec that owns it. */
#ifndef ZJ_LINEBREAK_H
#define ZJ_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

#include "box.h"

#define EPS 0.01                /* points: tolerance of fit tests */
#define SQUEEZE_EM 0.025        /* extra tightening allowed to squeeze */
#define HL_MIN_FRAC 0.5         /* a Han-Latin gap shrinks to this part
                                   of itself in a tight line (¼ em -> ⅛
                                   em; clreq) */
#define SHRINK_TRACK_EM 0.015   /* tighter tracking per gap a shrunk line
                                   may take before compressing marks
                                   inside it (0.24 pt at 3号) */

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
	/* Set by text_measure (punctuation by the ink of its glyph, clreq): */
	double *kern;               /* space taken out between c and c + 1
	                               when both are on one line: adjacent
	                               full-width marks, 2 em -> 1.5 em */
	double *sql, *sqr;          /* what c gives up at its left and right
	                               when it ends a line squeezed to ½ em
	                               (0 for a mark that is not squeezed) */
	double *sqi;                /* what c may give up inside a line to
	                               shrink it (clreq: full-width marks to
	                               ½ em, from their blank sides, never
	                               into the ink; 0 for a mark kerned to
	                               its neighbour and for other
	                               characters): an opening mark at its
	                               left, others at the right first (up
	                               to sqr), then the left */
	double *sqs;                /* what c gives up at its left when it
	                               starts a line at the margin (clreq: an
	                               opening mark loses ½ em before it):
	                               half its advance for a full-width
	                               opening mark whose ink lies in the
	                               right half of its advance (the GB
	                               convention when the measurer has no
	                               ink), else 0 (a centred or left-drawn
	                               glyph, a proportional mark, any other
	                               character) */
	double hl;                  /* Han-Latin gap in points (0: none) */
	unsigned char *brk;         /* break status after each character */
	char *ub;                   /* libunibreak output, len bytes */
	size_t ubcap;
};

/* Line flags. */
#define LN_COMPRESSED 1         /* last char is a full-width mark set ½ em
                                   (it gives up sql at its left, sqr at
                                   its right) */
#define LN_HARD 2               /* ends at a mandatory break */
#define LN_LAST 4               /* last line of its text */
#define LN_SHRUNK 8             /* shrunk rather than stretched (run on
                                   past an overflow; see break_greedy) */

/* One broken line: characters [c0, c1) (trailing spaces excluded),
 * bytes [b0, b1). */
struct line {
	size_t c0, c1;
	size_t b0, b1;
	double natural;             /* width as set: the characters' natural
	                               widths, less the kerning of adjacent
	                               marks, plus the Han-Latin gaps; no
	                               tracking, no squeeze */
	double squeeze;             /* width gained by squeezing the last
	                               mark (sql + sqr of it) */
	double pc;                  /* width to take from the marks inside
	                               the line, c0 < c < c1 - 1, in
	                               proportion to their tx->sqi (a line
	                               shrunk rather than stretched); 0 for
	                               most lines */
	double lead;                /* width the first character gives up at
	                               its left (tx->sqs[c0]): the line is set
	                               that much left of its start and that
	                               much wider (break_greedy: lines after
	                               the first, and the first with
	                               BG_LEAD1; 0 for the others and for
	                               balanced lines) */
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
/* Full-width punctuation classes for spacing (clreq): opening marks have
 * their blank at the left, closing marks and pauses (、，。；：？！) at the
 * right in the GB convention; the glyph's ink decides how much. */
enum { PC_NONE, PC_OPEN, PC_CLOSE, PC_PAUSE };
int punct_class(uint32_t c);
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
/* Decodes s[0..len) into tx like text_load, without break statuses (brk
 * is left unset): for setting a line already broken. */
void text_decode(struct text *tx, const char *s, size_t len);
/* Measures every character of tx with m (control characters are 0) and
 * sets the spacing of its punctuation from the glyphs' ink (m->ink): the
 * kerning of adjacent full-width marks (together ½ em less, keeping a
 * tenth of an em between their inks, taken from the blank side: a
 * closing mark or pause loses its right, an opening mark after another
 * its left) and how a pause or closing mark is squeezed to ½ em at a
 * line end (right blank first, then left, never into the ink); tx->hl =
 * m->cjk_latin em. */
void text_measure(const struct lay_measure *m, struct text *tx,
    enum font_role role, double pt);
/* What the first character of s[0..n) (UTF-8) gives up at its left when
 * it starts a line at the margin, measured with m in role at pt: as
 * tx->sqs of text_measure; 0 for an empty s.  For a line set without
 * text_measure (a table cell that fits on one line). */
double text_lead(const struct lay_measure *m, enum font_role role, double pt,
    const char *s, size_t n);
/* The spacing change between characters c and c + 1 of a measured text
 * inside one line: the Han-Latin gap less the kerning of marks. */
double text_adjust(const struct text *tx, size_t c);
/* Width of characters [a, b) of a measured text set as one line, with no
 * tracking: widths plus text_adjust between them. */
double text_span(const struct text *tx, size_t a, size_t b);
/* Frees tx's arrays and zeroes it. */
void text_free(struct text *tx);
/* Appends a zeroed line to lv and returns it (valid until the next push). */
struct line *lv_push(struct linevec *lv);

/* Flags of break_greedy. */
#define BG_LONE 1               /* avoid a lone character as last line */
#define BG_SHRINK 2             /* shrink before stretch (justified
                                   paragraphs; the caller applies
                                   line.pc) */
#define BG_LEAD1 4              /* the first line starts at the margin
                                   too (no first-line indent): its
                                   opening mark gets a lead as well */

/* Breaks tx (measured) greedily into lines appended to lv: the first line
 * is at most wf wide, the others wr; every Han-class character advances by
 * its width + track, a western one by its width, adjacent marks are
 * kerned (tx->kern), and each Han-Latin gap inside a line counts hlmin,
 * or tx->hl when hlmin is 0 (lines not justified: table cells, titles).
 * A line-start-prohibited full-width mark that overflows is squeezed to ½
 * em (tx->sql, tx->sqr) if that makes it fit; otherwise the line ends at
 * the last break opportunity; a run without any is split by characters.
 * With BG_SHRINK (clreq "先挤进，后推出", JIS X 4051 shrink before
 * stretch), the line may instead run on to the next break opportunity if
 * it then fits by squeezing its last mark to ½ em, tightening every gap
 * by up to SHRINK_TRACK_EM and compressing the marks inside it (tx->sqi,
 * recorded in line.pc), in that order, and the shrink is smaller than
 * the stretch the shorter line would need (always, if the shorter line
 * would split a run).  A line after the first (and the first with
 * BG_LEAD1) that starts with an opening mark gets line.lead = tx->sqs of
 * it; the breaks do not count it (the lead only widens the line for its
 * justification: a shrunk line's pc is that much less).  flags: BG_LONE,
 * BG_SHRINK, BG_LEAD1.  Returns the index of the first line added. */
size_t break_greedy(const struct text *tx, double wf, double wr,
    double track, double hlmin, double em, int flags, struct linevec *lv);

/* Breaks tx (measured) into balanced lines no wider than w, for centred
 * titles: the fewest lines possible, then the smallest sum of squared
 * differences from the mean line width, breaking only at opportunities
 * and preferably between words.  Falls back to greedy breaking for very
 * long texts or unbreakable runs wider than w.  Returns the index of the
 * first line added. */
size_t break_balanced(const struct text *tx, double w, double em,
    struct linevec *lv);

#endif
