/* Layout: blocks of text to positioned boxes on pages (see layout.h).
 *
 * Vertical model: the text block (版心) is divided into lines_per_page
 * equal slots; body text, headings, titles and signatures sit on those
 * slots.  Tables are laid out off the grid in points; after a table the
 * grid resumes at the next free slot.  The layout state keeps one cursor,
 * yoff: the distance from the top of the block to the top of the free
 * space on the current page.
 *
 * Horizontal model: a character cell is block_w / chars_per_line; body
 * Han-class glyphs are tracked by (cell - em) so that chars_per_line
 * full-width characters fill the measure.  Latin and digit runs keep
 * their natural spacing, with a gap of up to ¼ em to an adjacent Han
 * character (clreq mixed text).  Lines other than a paragraph's last are
 * justified by spreading the remaining space between Han characters and
 * punctuation; a line with western runs is emitted as one box per run
 * (emit_line), a line of one run as one box as before.
 *
 * Tables: column widths from content (table_widths): short headers,
 * numbers and short text never wrap; long text columns share the rest.
 *
 * Line breaking: libunibreak opportunities, restricted by the clreq
 * GB-style prohibition rules (no_start/no_end below), unbreakable "——",
 * "……", numbers and Latin words.  Greedy breaking first tries to squeeze
 * a line-start-prohibited full-width mark into the line by letting it
 * take half an em, else pushes the previous character down.
 *
 * Keep rules (heading with two following lines, signature with the last
 * body lines) are implemented by laying out, checking, and rolling the
 * box array back to a snapshot to retry with a page break. */
#include "layout.h"

#include <linebreak.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

#define EPS 0.01                /* points: tolerance of fit tests */
#define SQUEEZE_EM 0.025        /* extra tightening allowed to squeeze */
#define HL_EM 0.25              /* Han-Latin gap in justified text */
#define HL_MIN_EM 0.125         /* ... at least, when the line breaker
                                   fills a line */

/* Break status after a character. */
enum { BRK_NO, BRK_ALLOW, BRK_MUST };

/* A decoded text: code points, byte offsets, widths, break status. */
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

struct linevec {
	struct line *v;
	size_t n, cap;
};

/* A restore point for the keep rules. */
struct snap {
	size_t nboxes, nmarks;
	int page;
	double yoff;
};

struct lay {
	const struct style *st;
	const struct lay_measure *m;
	struct lay_result *r;
	size_t boxcap, markcap;
	int page;
	double yoff;
	/* Derived geometry. */
	double top, left, right, pitch, cell, track;
	int lpp;
	struct text tx;             /* scratch, reused */
	struct linevec lv;          /* scratch, reused */
};

/* ---- character classes (clreq GB style) ---------------------------- */

static int
in_set(uint32_t c, const uint32_t *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == c)
			return 1;
	return 0;
}

/* Characters that may not start a line. */
static const uint32_t no_start_set[] = {
	0x3001, 0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF0E,
	0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x3009, 0x3011,
	0x3015, 0x3017, 0xFF3D, 0xFF5D, 0x00B7, 0x30FB, 0x2013, 0x2014,
	0xFF5E, 0x2026, 0x22EF, 0x2E3A, 0xFF05,
	',', '.', ';', ':', '!', '?', ')', ']', '}', '%'
};

/* Characters that may not end a line. */
static const uint32_t no_end_set[] = {
	0x201C, 0x2018, 0x300C, 0x300E, 0xFF08, 0x300A, 0x3008, 0x3010,
	0x3014, 0x3016, 0xFF3B, 0xFF5B, '(', '[', '{'
};

/* Full-width marks whose glyph sits in the left half of the cell, so they
 * may be set ½ em at the end of a line. */
static const uint32_t squeezable_set[] = {
	0x3001, 0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
	0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x3009, 0x3011,
	0x3015, 0x3017, 0xFF3D, 0xFF5D
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
no_start(uint32_t c)
{
	if ((c >= 0x3400 && c <= 0x9FFF) || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'z'))
		return c == ']';
	return in_set(c, no_start_set, NELEM(no_start_set));
}

static int
no_end(uint32_t c)
{
	if ((c >= 0x3400 && c <= 0x9FFF) || (c >= '0' && c <= '9') ||
	    (c >= 'A' && c <= 'z'))
		return c == '[';
	return in_set(c, no_end_set, NELEM(no_end_set));
}

static int
is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_digit(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* Letters and digits of a Latin word (ASCII and Latin-1/Extended-A/B). */
static int
is_latin(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z');
	return c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7;
}

/* Prefixes of a number: signs and currency. */
static int
is_num_prefix(uint32_t c)
{
	return c == '+' || c == '-' || c == 0x2212 || c == 0xB1 ||
	    c == '$' || c == 0xA5 || c == 0xFFE5 || c == 0x20AC ||
	    c == 0xA3 || c == 0xFF0B || c == 0xFF0D;
}

/* Punctuation, for the lone-last-line rule (spaces are neither). */
static int
is_punct(uint32_t c)
{
	if (c < 0x80)
		return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
		    (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
	return no_start(c) || no_end(c) || (c >= 0x2010 && c <= 0x206F) ||
	    (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	    (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
	    (c >= 0xFF5B && c <= 0xFF65);
}

/* Returns 1 if a break between a and b is forbidden by our rules on top
 * of libunibreak: prohibitions, "——"/"……", numbers and Latin words. */
static int
is_han(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0x20000 && c <= 0x3FFFF);
}

static int
glued(uint32_t a, uint32_t b, uint32_t after_b)
{
	if (is_han(a) && is_han(b))
		return 0;               /* the common case, quickly */
	if (no_start(b) || no_end(a))
		return 1;
	if (a == b && (a == 0x2014 || a == 0x2026 || a == 0x22EF))
		return 1;
	if (is_latin(a) && is_latin(b))
		return 1;
	if (is_num_prefix(a) && (is_digit(b) ||
	    (b == '.' && is_digit(after_b))))
		return 1;
	if (is_digit(a) && (b == '.' || b == ',' || b == '%' ||
	    b == 0x2030 || b == 0xFF05))
		return 1;
	if ((a == '.' || a == ',') && is_digit(b))
		return 1;
	return 0;
}

/* ---- mixed text spacing (clreq) ------------------------------------ */

/* Western characters: set at their natural spacing, never tracked or
 * expanded inside a run (ASCII, Latin letters, number signs). */
static int
is_west(uint32_t c)
{
	if (c > 0x20 && c < 0x7F)
		return 1;
	return (c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7) ||
	    c == 0x2212 || c == 0xB1 || c == 0xB0 || c == 0x2030 ||
	    c == 0xA5 || c == 0xA3 || c == 0x20AC;
}

/* Western characters that take a Han-Latin gap next to a Han character:
 * letters, digits, signs and percent (not brackets or other marks). */
static int
hl_side(uint32_t c)
{
	return is_latin(c) || c == '%' || c == 0x2030 || c == 0xB0 ||
	    (is_num_prefix(c) && is_west(c));
}

/* A character of the Han class that is not punctuation. */
static int
han_solid(uint32_t c)
{
	return !is_west(c) && !is_space(c) && !is_punct(c) &&
	    !is_num_prefix(c);
}

/* Returns 1 if a Han-Latin gap goes between a and b (up to ¼ em, never
 * next to Chinese punctuation; callers exclude line start and end). */
static int
hl_pair(uint32_t a, uint32_t b)
{
	return (han_solid(a) && hl_side(b)) || (hl_side(a) && han_solid(b));
}

/* Grid tracking applies to Han-class characters only: Latin and digit
 * runs keep their natural spacing. */
static double
char_track(uint32_t c, double track)
{
	return is_west(c) || is_space(c) ? 0 : track;
}

/* Advance of characters [a, b) as the line breaker counts it: widths,
 * tracking of Han-class characters, and hlmin for each Han-Latin gap
 * inside the range. */
static double
adv_sum(const uint32_t *cp, const double *w, size_t a, size_t b,
    double track, double hlmin)
{
	double acc = 0;
	size_t c;

	for (c = a; c < b; c++) {
		acc += w[c] + char_track(cp[c], track);
		if (hlmin > 0 && c > a && hl_pair(cp[c - 1], cp[c]))
			acc += hlmin;
	}
	return acc;
}

/* ---- text decoding and measuring ---------------------------------- */

static void
text_free(struct text *tx)
{
	free(tx->cp);
	free(tx->off);
	free(tx->w);
	free(tx->brk);
	free(tx->ub);
	memset(tx, 0, sizeof(*tx));
}

/* Decodes s[0..len) into tx (reusing its arrays) and computes the break
 * status after every character.  Widths are not measured (text_measure).
 * Invalid UTF-8 bytes become U+FFFD, one per byte. */
static void
text_load(struct text *tx, const char *s, size_t len)
{
	size_t i, c, k;
	uint32_t cp;

	tx->s = s;
	tx->len = len;
	if (tx->cap < len + 1) {
		tx->cap = len + 1 > 2 * tx->cap ? len + 1 : 2 * tx->cap;
		tx->cp = xreallocarray(tx->cp, tx->cap, sizeof(*tx->cp));
		tx->off = xreallocarray(tx->off, tx->cap, sizeof(*tx->off));
		tx->w = xreallocarray(tx->w, tx->cap, sizeof(*tx->w));
		tx->brk = xreallocarray(tx->brk, tx->cap, 1);
	}
	if (tx->ubcap < len + 1) {
		tx->ubcap = len + 1 > 2 * tx->ubcap ? len + 1 : 2 * tx->ubcap;
		tx->ub = xrealloc(tx->ub, tx->ubcap);
	}
	c = 0;
	for (i = 0; i < len; i += k) {
		k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		tx->cp[c] = cp;
		tx->off[c] = i;
		c++;
	}
	tx->n = c;
	tx->off[c] = len;
	if (len > 0)
		set_linebreaks_utf8((const utf8_t *)s, len, "zh", tx->ub);
	for (c = 0; c < tx->n; c++) {
		char v = tx->ub[tx->off[c + 1] - 1];

		if (c + 1 == tx->n)
			tx->brk[c] = BRK_ALLOW;
		else if (v == LINEBREAK_MUSTBREAK)
			tx->brk[c] = BRK_MUST;
		else if (v == LINEBREAK_ALLOWBREAK && !glued(tx->cp[c],
		    tx->cp[c + 1], c + 2 < tx->n ? tx->cp[c + 2] : 0))
			tx->brk[c] = BRK_ALLOW;
		else if (is_han(tx->cp[c]) && tx->cp[c + 1] == '-' &&
		    c + 2 < tx->n && is_digit(tx->cp[c + 2]))
			tx->brk[c] = BRK_ALLOW; /* UAX 14 keeps "年-3.5" */
		else
			tx->brk[c] = BRK_NO;
	}
}

/* Measures every character of tx (control characters are 0 wide). */
static void
text_measure(struct lay *L, struct text *tx, enum font_role role, double pt)
{
	size_t c;

	for (c = 0; c < tx->n; c++)
		tx->w[c] = tx->cp[c] < 0x20 ? 0 :
		    L->m->width(L->m->arg, role, pt, tx->s + tx->off[c],
		    tx->off[c + 1] - tx->off[c]);
}

static double
measure(struct lay *L, enum font_role role, double pt, const char *s,
    size_t n)
{
	if (n == 0)
		return 0;
	return L->m->width(L->m->arg, role, pt, s, n);
}

/* ---- line breaking --------------------------------------------------- */

static struct line *
lv_push(struct linevec *lv)
{
	if (lv->n == lv->cap) {
		lv->cap = lv->cap ? 2 * lv->cap : 32;
		lv->v = xreallocarray(lv->v, lv->cap, sizeof(*lv->v));
	}
	memset(&lv->v[lv->n], 0, sizeof(lv->v[0]));
	return &lv->v[lv->n++];
}

/* Sets the character range of ln to [c0, end), dropping trailing spaces,
 * and recomputes its bytes and natural width. */
static void
line_set(const struct text *tx, struct line *ln, size_t c0, size_t end)
{
	size_t c;

	while (end > c0 && is_space(tx->cp[end - 1]))
		end--;
	ln->c0 = c0;
	ln->c1 = end;
	ln->b0 = tx->off[c0];
	ln->b1 = tx->off[end];
	ln->natural = 0;
	for (c = c0; c < end; c++)
		ln->natural += tx->w[c];
}

static size_t
skip_spaces(const struct text *tx, size_t s)
{
	while (s < tx->n && (tx->cp[s] == ' ' || tx->cp[s] == '\t'))
		s++;
	return s;
}

/* Number of non-punctuation, non-space characters in [c0, c1). */
static size_t
count_solid(const struct text *tx, size_t c0, size_t c1)
{
	size_t c, k = 0;

	for (c = c0; c < c1; c++)
		if (!is_space(tx->cp[c]) && !is_punct(tx->cp[c]))
			k++;
	return k;
}

/* Avoids a lone character (or character + punctuation) as the last line
 * of lines[first..lv->n) by pulling characters down from the line above,
 * to the nearest break opportunity that gives the last line at least two
 * characters and still fits in wr. */
static void
fix_lone(const struct text *tx, struct linevec *lv, size_t first,
    double wr, double track, double hlmin)
{
	struct line *prev, *last;
	size_t b, s;
	double acc;

	if (lv->n - first < 2)
		return;
	prev = &lv->v[lv->n - 2];
	last = &lv->v[lv->n - 1];
	if (prev->c1 <= prev->c0 + 1)
		return;
	if ((prev->flags & LN_HARD) || count_solid(tx, last->c0, last->c1) != 1)
		return;
	for (b = prev->c1 - 1; b-- > prev->c0;) {
		if (tx->brk[b] != BRK_ALLOW)
			continue;
		s = skip_spaces(tx, b + 1);
		acc = adv_sum(tx->cp, tx->w, s, last->c1, track, hlmin);
		if (acc > wr + EPS)
			return;
		if (count_solid(tx, s, last->c1) < 2)
			continue;
		line_set(tx, prev, prev->c0, b + 1);
		prev->flags &= ~LN_COMPRESSED;
		prev->squeeze = 0;
		line_set(tx, last, s, last->c1);
		return;
	}
}

/* Breaks tx (measured) greedily into lines appended to lv: the first line
 * is at most wf wide, the others wr; every Han-class character advances by
 * its width + track, a western one by its width, and each Han-Latin gap
 * inside a line adds hlmin (0 for table cells and titles).  A line-start-prohibited full-width mark that overflows
 * is squeezed to ½ em if that makes it fit; otherwise the line ends at
 * the last break opportunity; a run without any is split by characters.
 * Returns the index of the first line added. */
static size_t
break_greedy(const struct text *tx, double wf, double wr, double track,
    double hlmin, double em, int lone, struct linevec *lv)
{
	size_t first = lv->n, s = 0, j, end, lastbrk;
	double w, acc, adv;
	int flags, isfirst = 1;
	struct line *ln;

	if (tx->n == 0)
		return first;
	while (s < tx->n) {
		w = isfirst ? wf : wr;
		acc = 0;
		lastbrk = SIZE_MAX;
		flags = 0;
		for (j = s;; j++) {
			uint32_t c;

			if (j == tx->n) {
				end = j;
				break;
			}
			c = tx->cp[j];
			adv = tx->w[j] + char_track(c, track);
			if (hlmin > 0 && j > s && hl_pair(tx->cp[j - 1], c))
				adv += hlmin;
			if (j == s || is_space(c) || acc + adv <= w + EPS) {
				acc += adv;
				if (tx->brk[j] == BRK_MUST) {
					end = j + 1;
					flags |= LN_HARD;
					break;
				}
				if (tx->brk[j] == BRK_ALLOW)
					lastbrk = j;
				continue;
			}
			/* Overflow at j: squeeze, else push down, else cut.
			 * A squeezed mark takes ½ em; the line may also be
			 * tracked tighter by up to SQUEEZE_EM per character
			 * (in lieu of compressing marks inside the line). */
			if (in_set(c, squeezable_set, NELEM(squeezable_set)) &&
			    tx->w[j] >= 0.75 * em && tx->brk[j] != BRK_NO &&
			    acc + adv - tx->w[j] / 2 -
			    SQUEEZE_EM * em * (double)(j - s) <= w + EPS) {
				end = j + 1;
				flags |= LN_COMPRESSED;
			} else if (lastbrk != SIZE_MAX)
				end = lastbrk + 1;
			else
				end = j;
			break;
		}
		ln = lv_push(lv);
		line_set(tx, ln, s, end);
		ln->flags = flags;
		if ((flags & LN_COMPRESSED) && ln->c1 > ln->c0)
			ln->squeeze = tx->w[ln->c1 - 1] / 2;
		s = skip_spaces(tx, end);
		isfirst = 0;
	}
	lv->v[lv->n - 1].flags |= LN_LAST;
	if (lone)
		fix_lone(tx, lv, first, wr, track, hlmin);
	return first;
}

/* Breaks tx (measured) into balanced lines no wider than w, for centred
 * titles: the fewest lines possible, then the smallest sum of squared
 * differences from the mean line width, breaking only at opportunities.
 * Falls back to greedy breaking for very long texts or unbreakable runs
 * wider than w.  Returns the index of the first line added. */
/* The cost of breaking a title before character e.  GB/T 9704 asks that
 * a title break keep words whole ("词意完整"); without a dictionary, a
 * break is taken as between words after a conjunction or particle (与 和
 * 及 的 关于 …), after punctuation, after a year ("2021年", not "2021年|
 * 度") or before 关于; any other break costs as much as lines two
 * characters unequal. */
static double
brk_penalty(const struct text *tx, size_t e, double em)
{
	static const uint32_t after[] = { 0x4E0E /* 与 */, 0x548C /* 和 */,
	    0x53CA /* 及 */, 0x7684 /* 的 */, 0x4E8E /* 于 */, 0x3001,
	    0xFF0C, 0xFF1A, 0xFF1B, 0xFF09, 0x300B, 0x300D, 0x300F, 0x201D,
	    0x0020 };
	uint32_t a, b;
	size_t i;

	if (e == 0 || e >= tx->n)
		return 0;
	a = tx->cp[e - 1];
	b = tx->cp[e];
	for (i = 0; i < sizeof(after) / sizeof(after[0]); i++)
		if (a == after[i])
			return 0;
	if (a == 0x5E74 /* 年 */ && b != 0x5EA6 /* 度 */ && e >= 2 &&
	    tx->cp[e - 2] >= '0' && tx->cp[e - 2] <= '9')
		return 0;
	if (b == 0x5173 /* 关(于) */ || b == 0x201C || b == 0xFF08 ||
	    b == 0x300A)
		return 0;
	return 4 * em * em;
}

static size_t
break_balanced(const struct text *tx, double w, double em,
    struct linevec *lv)
{
	size_t first = lv->n, m = 0, i, j, k, nl, *pos, *from;
	double *pre, *cost, total, target;
	struct line *ln;
	int ok = 0;

	if (tx->n == 0)
		return first;
	pos = xreallocarray(NULL, tx->n + 1, sizeof(*pos));
	pre = xreallocarray(NULL, tx->n + 1, sizeof(*pre));
	pre[0] = 0;
	for (i = 0; i < tx->n; i++)
		pre[i + 1] = pre[i] + tx->w[i];
	pos[m++] = 0;
	for (i = 0; i < tx->n; i++)
		if (tx->brk[i] != BRK_NO)
			pos[m++] = i + 1;
	total = pre[tx->n];
	nl = (size_t)ceil(total / w - 1e-9);
	if (nl < 1)
		nl = 1;
	if (m <= 400) {
		cost = xreallocarray(NULL, m * (m + 1), sizeof(*cost));
		from = xreallocarray(NULL, m * (m + 1), sizeof(*from));
		for (; nl < m && !ok; nl++) {
			/* cost[k*m + j]: best cost of k lines ending at pos[j] */
			target = total / (double)nl;
			for (i = 0; i < m * (nl + 1); i++)
				cost[i] = HUGE_VAL;
			cost[0] = 0;
			for (k = 1; k <= nl; k++)
				for (j = 1; j < m; j++)
					for (i = j; i-- > 0;) {
						double lw, d, c;
						size_t e = pos[j];

						if (cost[(k - 1) * m + i] == HUGE_VAL)
							continue;
						while (e > pos[i] &&
						    is_space(tx->cp[e - 1]))
							e--;
						lw = pre[e] - pre[pos[i]];
						if (lw > w + EPS)
							break;
						d = lw - target;
						c = cost[(k - 1) * m + i] + d * d +
						    (j + 1 < m ? brk_penalty(tx,
						    pos[j], em) : 0);
						if (c < cost[k * m + j]) {
							cost[k * m + j] = c;
							from[k * m + j] = i;
						}
					}
			if (cost[nl * m + m - 1] == HUGE_VAL)
				continue;
			/* Walk back from the end to emit the lines in order. */
			ok = 1;
			for (k = 0; k < nl; k++)
				lv_push(lv);
			j = m - 1;
			for (k = nl; k > 0; k--) {
				i = from[k * m + j];
				ln = &lv->v[first + k - 1];
				line_set(tx, ln, skip_spaces(tx, pos[i]), pos[j]);
				j = i;
			}
			break;
		}
		free(cost);
		free(from);
	}
	free(pos);
	free(pre);
	if (!ok)
		break_greedy(tx, w, w, 0, 0, em, 0, lv);
	for (i = first; i < lv->n; i++)
		lv->v[i].flags = LN_LAST;
	return first;
}

/* ---- boxes, pages, snapshots ----------------------------------------- */

/* The text arena: chunks of at least ARENA_CHUNK bytes, newest first. */
#define ARENA_CHUNK (256 * 1024)

struct lay_arena {
	struct lay_arena *next;
	size_t used, cap;
	char buf[];
};

const char *
lay_text(struct lay_result *r, const char *s, size_t n)
{
	struct lay_arena *a = r->arena;
	char *p;

	if (a == NULL || a->cap - a->used < n + 1) {
		size_t cap = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
		a = xmalloc(sizeof(*a) + cap);
		a->next = r->arena;
		a->used = 0;
		a->cap = cap;
		r->arena = a;
	}
	p = a->buf + a->used;
	memcpy(p, s, n);
	p[n] = '\0';
	a->used += n + 1;
	return p;
}

static struct lay_box *
box_new(struct lay *L)
{
	struct lay_result *r = L->r;
	struct lay_box *b;

	if (r->nboxes == L->boxcap) {
		L->boxcap = L->boxcap ? 2 * L->boxcap : 256;
		r->boxes = xreallocarray(r->boxes, L->boxcap, sizeof(*b));
	}
	b = &r->boxes[r->nboxes++];
	memset(b, 0, sizeof(*b));
	b->page = L->page;
	return b;
}

static struct lay_box *
text_box(struct lay *L, enum font_role role, double size, double x,
    double y, double cs, double bold, const char *s, size_t n)
{
	struct lay_box *b;

	if (n == 0)
		return NULL;
	b = box_new(L);
	b->kind = LAY_BOX_TEXT;
	b->role = role;
	b->size = size;
	b->x = x;
	b->y = y;
	b->char_space = cs;
	b->bold = bold;
	b->text = lay_text(L->r, s, n);
	return b;
}

static void
rule_box(struct lay *L, double x, double y, double x2, double y2, double w)
{
	struct lay_box *b = box_new(L);

	b->kind = LAY_BOX_RULE;
	b->role = ROLE_BODY;
	b->x = x;
	b->y = y;
	b->x2 = x2;
	b->y2 = y2;
	b->line_width = w;
}

static void
add_mark(struct lay *L, int level, double y, const char *title)
{
	struct lay_result *r = L->r;
	struct lay_mark *mk;

	if (r->nmarks == L->markcap) {
		L->markcap = L->markcap ? 2 * L->markcap : 16;
		r->marks = xreallocarray(r->marks, L->markcap, sizeof(*mk));
	}
	mk = &r->marks[r->nmarks++];
	mk->page = L->page;
	mk->y = y;
	mk->level = level;
	mk->title = xstrdup(title);
}

static void
new_page(struct lay *L)
{
	L->page++;
	L->yoff = 0;
}

static struct snap
take_snap(const struct lay *L)
{
	struct snap s;

	s.nboxes = L->r->nboxes;
	s.nmarks = L->r->nmarks;
	s.page = L->page;
	s.yoff = L->yoff;
	return s;
}

/* Drops every box and mark made after s and restores the cursor. */
static void
rollback(struct lay *L, const struct snap *s)
{
	struct lay_result *r = L->r;

	/* Dropped boxes' text stays in the arena until lay_free. */
	r->nboxes = s->nboxes;
	while (r->nmarks > s->nmarks)
		free(r->marks[--r->nmarks].title);
	L->page = s->page;
	L->yoff = s->yoff;
}

/* The first free grid slot (may be >= lpp: the page is full). */
static int
cur_slot(const struct lay *L)
{
	return (int)ceil(L->yoff / L->pitch - 1e-6);
}

/* Returns the first free slot, starting a new page if this one is full. */
static int
need_slot(struct lay *L)
{
	int k = cur_slot(L);

	if (k >= L->lpp) {
		new_page(L);
		k = 0;
	}
	return k;
}

/* Baseline of slot k for type of the given size: the ideographic em box
 * (-0.12 .. +0.88 em) centred in the slot. */
static double
slot_baseline(const struct lay *L, int k, double size)
{
	return L->top - L->pitch * k - (L->pitch + 0.76 * size) / 2;
}

/* ---- grid blocks ------------------------------------------------------ */

/* How a run of grid lines may be split across pages. */
enum split { SPLIT_PARA, SPLIT_KEEP };

/* Places lines lv->v[first..lv->n) of tx on the grid.  SPLIT_PARA obeys
 * the widow/orphan rules (at least two lines of a paragraph at a page
 * bottom and top); SPLIT_KEEP keeps all lines on one page unless they
 * are more than a page.  push_last >= 0 forces a page break before line
 * push_last (for keeping a signature with the body).  Lines are justified
 * to their measure (wf for the first line, wr after) except the last and
 * those ending at a hard break, which use cs_last.  centred lines are
 * centred with no extra spacing.  If mark_level > 0, a bookmark is added
 * at the first line. */
struct gridspec {
	enum font_role role;
	double size, bold;
	double indent;              /* first-line indent, points */
	double wf, wr;
	double cs_last;
	int centred;
	enum split split;
	long push_last;
	int mark_level;
	const char *mark_title;
};

/* Spacing runs of a line: Han-class text (gaps take the justification
 * space), western text (natural spacing) and "——" / "……" (grid spacing,
 * never expanded). */
enum { RUN_HAN, RUN_WEST, RUN_DASH };

static int
run_kind(const struct text *tx, size_t c, size_t c0, size_t c1)
{
	uint32_t u = tx->cp[c];

	if (is_west(u) || is_space(u))
		return RUN_WEST;
	if ((u == 0x2014 || u == 0x2026 || u == 0x22EF) &&
	    ((c > c0 && tx->cp[c - 1] == u) ||
	    (c + 1 < c1 && tx->cp[c + 1] == u)))
		return RUN_DASH;
	return RUN_HAN;
}

/* End of the run that starts at c in [c0, c1). */
static size_t
run_end(const struct text *tx, size_t c, size_t c0, size_t c1)
{
	int k = run_kind(tx, c, c0, c1);
	size_t e = c + 1;

	while (e < c1 && run_kind(tx, e, c0, c1) == k &&
	    (k != RUN_DASH || tx->cp[e] == tx->cp[c]))
		e++;
	return e;
}

/* Emits line ln of tx at (x, y) as one text box per spacing run.  Han
 * runs are set with the grid tracking, western runs at natural spacing,
 * dashes and ellipses on the grid; a gap of HL_EM goes between a Han
 * character and an adjacent Latin/digit run (not next to Chinese
 * punctuation; never at the line's ends).  A justified line then spreads
 * the remaining space over the Han-class gaps so that it ends exactly at
 * x + w (Han-Latin gaps shrink first, down to 0, if the line is tight); a
 * line that is not justified keeps the natural spacing unless it would be
 * wider than w.  A line of one run is one box, as before. */
static void
emit_line(struct lay *L, const struct text *tx, const struct line *ln,
    const struct gridspec *g, double x, double y, double w, int justify)
{
	size_t c0 = ln->c0, c1 = ln->c1, a, b, nj = 0, nhl = 0, nruns = 0;
	double track = L->track, em = g->size, fixed = 0, hl = HL_EM * em;
	double cs = track, loose, room;
	int k, pk = -1;
	uint32_t plast = 0;
	struct lay_box *bx;

	if (c1 <= c0)
		return;
	/* Count the gaps of each kind. */
	for (a = c0; a < c1; a = b, nruns++) {
		b = run_end(tx, a, c0, c1);
		k = run_kind(tx, a, c0, c1);
		if (k == RUN_HAN)
			nj += b - a - 1;
		else if (k == RUN_DASH)
			fixed += (double)(b - a - 1) * track;
		if (pk >= 0) {
			if (hl_pair(plast, tx->cp[a]))
				nhl++;
			else
				nj++;
		}
		pk = k;
		plast = tx->cp[b - 1];
	}
	if (nruns == 1 && k != RUN_WEST) {
		/* One Han or dash run: uniform spacing, as always. */
		size_t n = c1 - c0;

		if (justify)
			cs = (w - ln->natural) / (double)(n - 1);
		bx = text_box(L, g->role, g->size, x, y, cs, g->bold,
		    tx->s + ln->b0, ln->b1 - ln->b0);
		bx->x2 = x + ln->natural + (double)(n - 1) * cs;
		return;
	}
	if (nj == 0 && nhl == 0) {
		/* One western run: justified by spreading it if need be. */
		cs = justify && c1 - c0 > 1 ?
		    (w - ln->natural) / (double)(c1 - c0 - 1) : 0;
		bx = text_box(L, g->role, g->size, x, y, cs, g->bold,
		    tx->s + ln->b0, ln->b1 - ln->b0);
		bx->x2 = x + ln->natural + (double)(c1 - c0 - 1) * cs;
		return;
	}
	room = w - ln->natural - fixed;         /* for the flexible gaps */
	loose = (double)nj * track + (double)nhl * hl;
	if (justify || loose > room + 1e-9) {
		if (nj == 0)
			hl = room / (double)nhl;
		else {
			cs = (room - (double)nhl * hl) / (double)nj;
			if (cs < track && nhl > 0) {
				/* Tight: Han-Latin gaps shrink to ⅛ em first,
				 * then the Han gaps (by up to SQUEEZE_EM),
				 * then the Han-Latin gaps down to 0. */
				double tight = track - SQUEEZE_EM * em;

				hl = (room - (double)nj * track) / (double)nhl;
				if (hl < HL_MIN_EM * em)
					hl = HL_MIN_EM * em;
				if ((room - (double)nhl * hl) / (double)nj <
				    tight)
					hl = (room - (double)nj * tight) /
					    (double)nhl;
				if (hl < 0)
					hl = 0;
				cs = (room - (double)nhl * hl) / (double)nj;
			}
		}
	}
	/* Emit the runs. */
	pk = -1;
	for (a = c0; a < c1; a = b) {
		double rcs, rw = 0;
		size_t c;

		b = run_end(tx, a, c0, c1);
		k = run_kind(tx, a, c0, c1);
		if (pk >= 0)
			x += hl_pair(tx->cp[a - 1], tx->cp[a]) ? hl : cs;
		rcs = k == RUN_HAN ? cs : k == RUN_DASH ? track : 0;
		for (c = a; c < b; c++)
			rw += tx->w[c];
		bx = text_box(L, g->role, g->size, x, y, rcs, g->bold,
		    tx->s + tx->off[a], tx->off[b] - tx->off[a]);
		x += rw + (double)(b - a - 1) * rcs;
		bx->run = pk >= 0;
		bx->x2 = x;
		pk = k;
	}
}

static void
place_lines(struct lay *L, const struct text *tx, size_t first,
    const struct gridspec *g)
{
	size_t nl = L->lv.n - first, i = 0, c, rem;
	int k, avail;

	while (i < nl) {
		k = need_slot(L);
		avail = L->lpp - k;
		rem = nl - i;
		c = rem < (size_t)avail ? rem : (size_t)avail;
		if (g->split == SPLIT_KEEP) {
			if (c < rem && k > 0 && rem <= (size_t)L->lpp)
				c = 0;
		} else {
			if (g->push_last >= 0 && i < (size_t)g->push_last &&
			    i + c > (size_t)g->push_last)
				c = (size_t)g->push_last - i;
			if (c < rem) {
				if (rem - c == 1 && c >= 1)
					c--;
				if (i == 0 && c == 1)
					c = 0;
			}
			if (c == 0 && k == 0)
				c = rem < (size_t)avail ? rem : (size_t)avail;
		}
		if (c == 0) {
			new_page(L);
			continue;
		}
		for (; c > 0; c--, i++, k++) {
			const struct line *ln = &L->lv.v[first + i];
			double x = L->left, w;
			size_t n = ln->c1 - ln->c0;

			if (i == 0 && g->mark_level > 0)
				add_mark(L, g->mark_level,
				    L->top - L->pitch * k, g->mark_title);
			if (g->centred) {
				x += (L->st->block_w - ln->natural) / 2;
				text_box(L, g->role, g->size, x,
				    slot_baseline(L, k, g->size), 0, g->bold,
				    tx->s + ln->b0, ln->b1 - ln->b0);
			} else {
				if (i == 0)
					x += g->indent;
				w = (i == 0 ? g->wf : g->wr) + ln->squeeze;
				emit_line(L, tx, ln, g, x,
				    slot_baseline(L, k, g->size), w,
				    !((ln->flags & (LN_LAST | LN_HARD)) || n < 2));
			}
			L->yoff = L->pitch * (k + 1);
		}
		if (i < nl)
			new_page(L);
	}
}

/* Lays out an indented, justified paragraph (or heading) on the grid. */
static void
lay_para(struct lay *L, const char *s, enum font_role role, enum split sp,
    long push_last_from_end, int mark_level)
{
	const struct style *st = L->st;
	struct gridspec g;
	size_t first, nl;

	if (s == NULL || *s == '\0')
		return;
	memset(&g, 0, sizeof(g));
	g.role = role;
	g.size = st->body_size;
	g.indent = st->indent_chars * L->cell;
	g.wf = st->block_w - g.indent;
	g.wr = st->block_w;
	g.cs_last = L->track;
	g.split = sp;
	g.mark_level = mark_level;
	g.mark_title = s;
	text_load(&L->tx, s, strlen(s));
	text_measure(L, &L->tx, role, g.size);
	L->lv.n = 0;
	first = break_greedy(&L->tx, g.wf, g.wr, L->track, g.size * HL_MIN_EM,
	    g.size, 1, &L->lv);
	nl = L->lv.n - first;
	g.push_last = -1;
	if (push_last_from_end > 0)
		g.push_last = (long)nl > push_last_from_end ?
		    (long)nl - push_last_from_end : 0;
	place_lines(L, &L->tx, first, &g);
}

/* Lays out centred, balanced lines on the grid (title, subtitle, table
 * title), kept together on one page. */
static void
lay_centred(struct lay *L, const char *s, enum font_role role, double size,
    double bold)
{
	struct gridspec g;
	size_t first;

	if (s == NULL || *s == '\0')
		return;
	memset(&g, 0, sizeof(g));
	g.role = role;
	g.size = size;
	g.bold = bold;
	g.centred = 1;
	g.split = SPLIT_KEEP;
	g.push_last = -1;
	text_load(&L->tx, s, strlen(s));
	text_measure(L, &L->tx, role, size);
	L->lv.n = 0;
	first = break_balanced(&L->tx, L->st->block_w, size, &L->lv);
	place_lines(L, &L->tx, first, &g);
}

/* Skips one grid slot (a blank line). */
static void
blank_slot(struct lay *L)
{
	L->yoff = L->pitch * (cur_slot(L) + 1);
}

/* Signature: a blank line, the 署名 right-aligned 空二字, and on the next
 * line the date starting two characters right of the 署名 (or, if that
 * would not fit, the date 空二字 and the 署名 two characters left of it);
 * for a sealed document the date is 右空四字 and the 署名 centred over it.
 * Widths count cells (width + grid tracking) as the grid does. */
static void
lay_signature(struct lay *L, const char *name, const char *date)
{
	const struct style *st = L->st;
	double size = st->body_size, wn = 0, wd = 0, xn, xd;
	double right = L->left + st->block_w;
	size_t nn = 0, nd = 0;
	int k, lines;

	if (name != NULL) {
		nn = utf8_count(name, strlen(name));
		wn = measure(L, ROLE_BODY, size, name, strlen(name)) +
		    (double)nn * L->track;
	}
	if (date != NULL) {
		nd = utf8_count(date, strlen(date));
		wd = measure(L, ROLE_BODY, size, date, strlen(date)) +
		    (double)nd * L->track;
	}
	lines = (name != NULL) + (date != NULL);
	if (lines == 0)
		return;
	k = cur_slot(L);
	if (L->yoff > 0)
		k++;                            /* the blank line */
	if (k + lines > L->lpp) {
		new_page(L);
		k = 0;
	}
	if (st->signature_sealed) {
		/* §7.3.5.1: the date 右空四字, the 署名 centred over it. */
		xd = right - 4 * L->cell - wd;
		xn = xd + (wd - wn) / 2;
		if (xn + wn > right)
			xn = right - wn;
	} else {
		xn = right - 2 * L->cell - wn;
		xd = xn + 2 * L->cell;
		if (name == NULL || xd + wd > right - 2 * L->cell + EPS) {
			xd = right - 2 * L->cell - wd;
			xn = xd - 2 * L->cell;
		}
	}
	if (name != NULL) {
		text_box(L, ROLE_BODY, size, xn, slot_baseline(L, k, size),
		    L->track, 0, name, strlen(name));
		k++;
	}
	if (date != NULL) {
		text_box(L, ROLE_BODY, size, xd, slot_baseline(L, k, size),
		    L->track, 0, date, strlen(date));
		k++;
	}
	L->yoff = L->pitch * k;
}

/* ---- tables ------------------------------------------------------------ */

/* Table geometry and per-row scratch. */
struct tbl {
	const struct lay_table *t;
	double ts, lh, vpad, hpad;
	double *colx;               /* ncols + 1 */
	double *fracw;              /* ncols: widest decimal part (".35%")
	                               of the column's numbers, so right-aligned
	                               numbers line up on the units digit */
	struct linevec hdr;         /* header lines */
	size_t *hstart, *hcount;
	size_t hnl;                 /* header lines (max over cells) */
	struct linevec row;         /* current row's lines */
	size_t *rstart, *rcount;
	/* Current page segment of the grid. */
	int open;
	double seg_top;             /* y of the segment's top rule */
	double pend_y;              /* y of the last row's bottom rule */
	int pend;
};

static const char *
cell_text(const struct lay_table *t, size_t r, size_t c)
{
	const char *s = t->cells[r * t->ncols + c];

	if (s == NULL)
		s = t->missing ? t->missing : "—";
	return s;
}

static const char *
head_text(const struct lay_table *t, size_t c)
{
	return t->headers && t->headers[c] ? t->headers[c] : "";
}

/* Widest unbreakable segment of s (natural width nat). */
static double
min_segment(struct lay *L, const char *s, enum font_role role, double pt,
    double nat)
{
	struct text *tx = &L->tx;
	size_t c, a = 0;
	double best = 0, w;
	int any = 0;

	text_load(tx, s, strlen(s));
	for (c = 0; c + 1 < tx->n; c++)
		if (tx->brk[c] != BRK_NO)
			any = 1;
	if (!any)
		return nat;
	for (c = 0; c < tx->n; c++) {
		if (tx->brk[c] == BRK_NO && c + 1 < tx->n)
			continue;
		w = measure(L, role, pt, s + tx->off[a],
		    tx->off[c + 1] - tx->off[a]);
		if (w > best)
			best = w;
		a = c + 1;
	}
	return best;
}

/* Breaks the cell text s (natural width nat) into lines of at most w,
 * appended to lv; lines refer to bytes of s.  A cell that fits is one
 * line without any per-character measuring. */
static void
cell_lines(struct lay *L, const char *s, enum font_role role, double pt,
    double nat, double w, struct linevec *lv, size_t *start, size_t *count)
{
	size_t len = strlen(s);
	struct line *ln;

	*start = lv->n;
	if (len == 0) {
		*count = 0;
		return;
	}
	if (nat <= w + EPS && memchr(s, '\n', len) == NULL) {
		ln = lv_push(lv);
		ln->b0 = 0;
		ln->b1 = len;
		ln->natural = nat;
		ln->flags = LN_LAST;
		*count = 1;
		return;
	}
	text_load(&L->tx, s, len);
	text_measure(L, &L->tx, role, pt);
	break_greedy(&L->tx, w, w, 0, 0, pt, 1, lv);
	*count = lv->n - *start;
}

static int is_number_text(const char *s);

/* The width of the decimal part of a number cell, from its point to the
 * end (".35", ".5%"); 0 for an integer or text. */
static double
frac_width(struct lay *L, enum font_role role, double pt, const char *s)
{
	const char *p;

	if (!is_number_text(s) || (p = strchr(s, '.')) == NULL)
		return 0;
	return measure(L, role, pt, p, strlen(p));
}

/* Emits the text of one row's cells, lines [a, b) of the row, at the
 * row top y0.  A whole row (centre) is centred vertically per cell;
 * a part of a split row is top-aligned. */
static void
emit_cells(struct lay *L, struct tbl *T, const struct linevec *lv,
    const size_t *start, const size_t *count, size_t nl, size_t a,
    size_t b, double y0, int header, int bold, const char *const *texts)
{
	const struct lay_table *t = T->t;
	size_t c, i;
	double base = y0 - T->vpad - (T->lh + 0.76 * T->ts) / 2;

	for (c = 0; c < t->ncols; c++) {
		double shift = 0, x, cw = T->colx[c + 1] - T->colx[c];
		enum align al = header ? ALIGN_CENTER :
		    t->aligns ? t->aligns[c] : ALIGN_LEFT;
		enum font_role role = header || bold ? ROLE_HEADING : ROLE_BODY;

		if (a == 0 && b == nl)
			shift = (double)(nl - count[c]) * T->lh / 2;
		for (i = a; i < b && i < count[c]; i++) {
			const struct line *ln = &lv->v[start[c] + i];

			if (al == ALIGN_RIGHT) {
				x = T->colx[c + 1] - T->hpad - ln->natural;
				/* Numbers line up on the units digit: one
				 * with a shorter decimal part moves left. */
				if (T->fracw[c] > 0 && count[c] == 1 &&
				    is_number_text(texts[c]))
					x -= T->fracw[c] - frac_width(L, role,
					    T->ts, texts[c]);
			}
			else if (al == ALIGN_CENTER)
				x = T->colx[c] + (cw - ln->natural) / 2;
			else
				x = T->colx[c] + T->hpad;
			text_box(L, role, T->ts, x,
			    base - shift - T->lh * (double)(i - a), 0, 0,
			    texts[c] + ln->b0, ln->b1 - ln->b0);
		}
	}
}

/* Closes the grid segment on this page: bottom rule and verticals. */
static void
seg_close(struct lay *L, struct tbl *T)
{
	size_t c, nc = T->t->ncols;
	double right = T->colx[nc];

	if (!T->open)
		return;
	if (T->pend)
		rule_box(L, T->colx[0], T->pend_y, right, T->pend_y, 1.0);
	for (c = 0; c <= nc; c++)
		rule_box(L, T->colx[c], T->seg_top, T->colx[c], T->pend_y,
		    c == 0 || c == nc ? 1.0 : 0.5);
	T->open = 0;
	T->pend = 0;
}

/* Adds a row (or part of one) of height h at the cursor. */
static void
seg_row(struct lay *L, struct tbl *T, double h)
{
	double y0 = L->top - L->yoff;

	if (!T->open) {
		T->open = 1;
		T->seg_top = y0;
		rule_box(L, T->colx[0], y0, T->colx[T->t->ncols], y0, 1.0);
	} else if (T->pend)
		rule_box(L, T->colx[0], y0, T->colx[T->t->ncols], y0, 0.5);
	T->pend = 1;
	T->pend_y = y0 - h;
	L->yoff += h;
}

/* The label line above the grid: continued label (top left, on
 * continuation pages) and unit (right). */
static double
label_height(const struct tbl *T, int cont)
{
	return (cont && T->t->continued) || T->t->unit ? T->lh : 0;
}

static void
emit_label(struct lay *L, struct tbl *T, int cont)
{
	const struct lay_table *t = T->t;
	double h = label_height(T, cont), y;

	if (h == 0)
		return;
	y = L->top - L->yoff - (T->lh + 0.76 * T->ts) / 2;
	if (cont && t->continued)
		text_box(L, ROLE_BODY, T->ts, T->colx[0], y, 0, 0,
		    t->continued, strlen(t->continued));
	if (t->unit) {
		double w = measure(L, ROLE_BODY, T->ts, t->unit,
		    strlen(t->unit));

		text_box(L, ROLE_BODY, T->ts, T->colx[t->ncols] - w, y, 0, 0,
		    t->unit, strlen(t->unit));
	}
	L->yoff += h;
}

static double
hdr_height(const struct tbl *T)
{
	return T->t->headers ? (double)T->hnl * T->lh + 2 * T->vpad : 0;
}

static void
emit_header(struct lay *L, struct tbl *T, const char *const *htexts)
{
	double h = hdr_height(T), y0 = L->top - L->yoff;

	if (h == 0)
		return;
	seg_row(L, T, h);
	emit_cells(L, T, &T->hdr, T->hstart, T->hcount, T->hnl, 0, T->hnl,
	    y0, 1, 0, htexts);
}

/* Starts a continuation page: new page, 续表 label, repeated header. */
static void
continue_page(struct lay *L, struct tbl *T, const char *const *htexts)
{
	seg_close(L, T);
	new_page(L);
	emit_label(L, T, 1);
	emit_header(L, T, htexts);
}

/* Returns 1 if s is a number as tables print them: an optional sign or
 * currency, digits with optional thousands separators and decimals, an
 * optional percent or per-mille sign.  Numbers never wrap. */
static int
is_number_text(const char *s)
{
	size_t len = strlen(s), i = 0, k;
	uint32_t cp;
	int digits = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i < len && (k = utf8_decode(s + i, len - i, &cp)) > 0 &&
	    is_num_prefix(cp))
		i += k;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!((s[i] == ',' || s[i] == '.') && digits > 0))
			break;
	}
	if (digits == 0)
		return 0;
	if (i < len && s[i] == '%')
		i++;
	else if (i < len && (k = utf8_decode(s + i, len - i, &cp)) > 0 &&
	    (cp == 0x2030 || cp == 0xFF05))
		i += k;
	while (i < len && s[i] == ' ')
		i++;
	return i == len;
}

/* Sum over the automatic columns of clamp(lam * want, mn, want). */
static double
widths_at(const struct lay_table *t, const double *want, const double *mn,
    double lam, double *colw)
{
	size_t c;
	double sum = 0, w;

	for (c = 0; c < t->ncols; c++) {
		if (t->widths && t->widths[c] > 0)
			continue;
		w = lam * want[c];
		if (w < mn[c])
			w = mn[c];
		if (w > want[c])
			w = want[c];
		if (colw)
			colw[c] = w;
		sum += w;
	}
	return sum;
}

/* Column widths.  Fixed widths (widths[i] > 0) are kept (scaled down only
 * when they leave no room for the others).  Every automatic column first
 * gets the width of its longest content that should not wrap: a header of
 * up to 4 characters, every number cell, text cells up to a cap (6
 * characters) or their widest unbreakable segment.  When all natural
 * widths fit, the spare width is shared in proportion to them; otherwise
 * the columns whose natural width exceeds their share wrap, taking the
 * remaining width in proportion to their natural widths (each column gets
 * clamp(lam * natural, minimum, natural) with lam solved by bisection).
 * The whole always spans the block width. */
/* Applies the configured minimum and maximum widths of automatic columns:
 * a column pushed to its limit is locked there and the difference is
 * shared by the other automatic columns in proportion to their widths,
 * so the table still spans the same width.  Once nothing is free to take
 * the rest, the last automatic column takes it. */
static void
clamp_widths(const struct lay_table *t, double *colw)
{
	size_t nc = t->ncols, c, last = nc;
	char *locked;
	int it;

	if (t->min_widths == NULL && t->max_widths == NULL)
		return;
	locked = xcalloc(nc + 1, 1);
	for (c = 0; c < nc; c++)
		if (t->widths && t->widths[c] > 0)
			locked[c] = 1;
		else
			last = c;
	for (it = 0; it < 16; it++) {
		double diff = 0, freew = 0;
		int changed = 0;

		for (c = 0; c < nc; c++) {
			double lo = t->min_widths ? t->min_widths[c] : 0;
			double hi = t->max_widths ? t->max_widths[c] : 0;

			if (locked[c])
				continue;
			if (lo > 0 && colw[c] < lo - EPS) {
				diff -= lo - colw[c];
				colw[c] = lo;
				locked[c] = changed = 1;
			} else if (hi > 0 && colw[c] > hi + EPS) {
				diff += colw[c] - hi;
				colw[c] = hi;
				locked[c] = changed = 1;
			}
		}
		if (!changed)
			break;
		for (c = 0; c < nc; c++)
			if (!locked[c])
				freew += colw[c];
		if (freew <= 0) {
			if (last < nc)
				colw[last] += diff;
			break;
		}
		for (c = 0; c < nc; c++)
			if (!locked[c])
				colw[c] += diff * colw[c] / freew;
	}
	free(locked);
}

static void
table_widths(struct lay *L, struct tbl *T, const double *hnat,
    const double *cnat, double *colw)
{
	const struct lay_table *t = T->t;
	size_t nc = t->ncols, nr = t->nrows, c, r;
	double bw = L->st->block_w, fixed = 0, sumwant = 0, summin = 0;
	double sumfloor = 0, avail, cap = 6 * T->ts, pad = 2 * T->hpad;
	double base = T->ts + pad, *want, *mn, *floorw;
	size_t nauto = 0;

	want = xcalloc(nc, sizeof(*want));
	mn = xcalloc(nc, sizeof(*mn));
	floorw = xcalloc(nc, sizeof(*floorw));
	for (c = 0; c < nc; c++) {
		const char *h;
		double hw;

		if (t->widths && t->widths[c] > 0) {
			fixed += t->widths[c];
			continue;
		}
		nauto++;
		h = head_text(t, c);
		if (utf8_count(h, strlen(h)) <= 4)
			hw = hnat[c];
		else {
			hw = hnat[c] < 4 * T->ts ? hnat[c] : 4 * T->ts;
			if (hw < hnat[c]) {
				double seg = min_segment(L, h, ROLE_HEADING,
				    T->ts, hnat[c]);

				if (seg > hw)
					hw = seg;
			}
		}
		floorw[c] = hw;
		mn[c] = hw;
		want[c] = hnat[c];
		for (r = 0; r < nr; r++) {
			const char *s = cell_text(t, r, c);
			double w = cnat[r * nc + c];

			if (w > want[c])
				want[c] = w;
			if (w <= mn[c])
				continue;
			if (is_number_text(s)) {
				mn[c] = w;
				if (w > floorw[c])
					floorw[c] = w;
			} else if (w <= cap)
				mn[c] = w;
			else {
				double seg = min_segment(L, s,
				    t->row_bold && t->row_bold[r] ?
				    ROLE_HEADING : ROLE_BODY, T->ts, w);

				if (seg < cap)
					seg = cap;
				if (seg > mn[c])
					mn[c] = seg;
			}
		}
		floorw[c] += pad;
		mn[c] += pad;
		want[c] += pad;
		if (floorw[c] < base)
			floorw[c] = base;
		if (mn[c] < floorw[c])
			mn[c] = floorw[c];
		if (want[c] < mn[c])
			want[c] = mn[c];
		sumfloor += floorw[c];
		summin += mn[c];
		sumwant += want[c];
	}
	avail = bw - fixed;
	if (nauto > 0 && avail < (double)nauto * base) {
		/* Fixed widths leave too little: shrink them. */
		double f = fixed > 0 ? (bw - (double)nauto * base) / fixed : 0;

		if (f < 0)
			f = 0;
		fixed *= f;
		for (c = 0; c < nc; c++)
			if (t->widths && t->widths[c] > 0)
				colw[c] = t->widths[c] * f;
		avail = bw - fixed;
	} else
		for (c = 0; c < nc; c++)
			if (t->widths && t->widths[c] > 0)
				colw[c] = nauto == 0 ? t->widths[c] * bw / fixed :
				    t->widths[c];
	if (nauto == 0)
		;
	else if (sumwant <= avail) {
		/* Everything fits unwrapped: share the spare width. */
		for (c = 0; c < nc; c++)
			if (!(t->widths && t->widths[c] > 0))
				colw[c] = want[c] * avail / sumwant;
	} else if (summin <= avail) {
		double lo = 0, hi = 1, mid;
		int it;

		for (it = 0; it < 60; it++) {
			mid = (lo + hi) / 2;
			if (widths_at(t, want, mn, mid, NULL) > avail)
				hi = mid;
			else
				lo = mid;
		}
		widths_at(t, want, mn, lo, colw);
		/* Give the rounding remainder to the wrapping columns. */
		mid = avail - widths_at(t, want, mn, lo, NULL);
		for (c = 0; c < nc && mid > 0; c++)
			if (!(t->widths && t->widths[c] > 0) &&
			    colw[c] < want[c] - EPS) {
				colw[c] += mid;
				break;
			}
	} else {
		/* Even the minimums do not fit: wrap text at any break, then
		 * (impossible table) shrink everything in proportion. */
		for (c = 0; c < nc; c++) {
			if (t->widths && t->widths[c] > 0)
				continue;
			if (sumfloor <= avail)
				colw[c] = floorw[c] + (mn[c] - floorw[c]) *
				    (avail - sumfloor) / (summin - sumfloor);
			else
				colw[c] = floorw[c] * avail / sumfloor;
		}
	}
	clamp_widths(t, colw);
	free(want);
	free(mn);
	free(floorw);
}

/* Number of cell lines that fit in a row below the cursor. */
static size_t
lines_fit(const struct lay *L, const struct tbl *T, double full)
{
	double room = (full - L->yoff - 2 * T->vpad) / T->lh + 1e-6;

	return room >= 1 ? (size_t)floor(room) : 0;
}

/* Lays out a table: title, unit, grid with repeated header and 续表 on
 * continuation pages.  Each cell is measured once; cells that fit their
 * column are not measured again, so time is linear in the rows. */
static void
lay_table(struct lay *L, const struct lay_table *t)
{
	const struct style *st = L->st;
	struct tbl T;
	size_t nc = t->ncols, nr = t->nrows, r, c, nl;
	double *hnat, *cnat, *wnat, *colw, h, need, full;
	const char **htexts, **rtexts;

	if (nr == 0 || nc == 0) {
		/* Keep a one-line title with the first line of the text. */
		if (t->title && *t->title && L->yoff > 0 &&
		    cur_slot(L) + 2 > L->lpp)
			new_page(L);
		lay_centred(L, t->title, ROLE_HEADING, st->table_title_size, 0);
		lay_para(L, t->empty_text, ROLE_BODY, SPLIT_PARA, 0, 0);
		return;
	}
	memset(&T, 0, sizeof(T));
	T.t = t;
	T.ts = st->table_size;
	T.lh = T.ts * 1.5;
	T.vpad = T.ts * 0.25;
	T.hpad = T.ts * 0.5;

	/* Measure header and cells once. */
	hnat = xcalloc(nc, sizeof(*hnat));
	cnat = xreallocarray(NULL, nr * nc, sizeof(*cnat));
	T.fracw = xcalloc(nc, sizeof(*T.fracw));
	htexts = xcalloc(nc, sizeof(*htexts));
	rtexts = xcalloc(nc, sizeof(*rtexts));
	for (c = 0; c < nc; c++) {
		htexts[c] = head_text(t, c);
		hnat[c] = measure(L, ROLE_HEADING, T.ts, htexts[c],
		    strlen(htexts[c]));
	}
	for (r = 0; r < nr; r++) {
		enum font_role role = t->row_bold && t->row_bold[r] ?
		    ROLE_HEADING : ROLE_BODY;

		for (c = 0; c < nc; c++) {
			const char *s = cell_text(t, r, c);
			double f;

			cnat[r * nc + c] = measure(L, role, T.ts, s, strlen(s));
			if (t->aligns && t->aligns[c] == ALIGN_RIGHT &&
			    (f = frac_width(L, role, T.ts, s)) > T.fracw[c])
				T.fracw[c] = f;
		}
	}
	/* For the widths, a number aligned on its units digit takes the room
	 * of the column's widest decimal part, whatever its own (the cells
	 * themselves keep their natural widths). */
	wnat = cnat;
	for (c = 0; c < nc; c++) {
		if (T.fracw[c] <= 0)
			continue;
		if (wnat == cnat) {
			wnat = xreallocarray(NULL, nr * nc, sizeof(*wnat));
			memcpy(wnat, cnat, nr * nc * sizeof(*wnat));
		}
		for (r = 0; r < nr; r++) {
			const char *s = cell_text(t, r, c);

			if (is_number_text(s))
				wnat[r * nc + c] += T.fracw[c] - frac_width(L,
				    t->row_bold && t->row_bold[r] ?
				    ROLE_HEADING : ROLE_BODY, T.ts, s);
		}
	}
	colw = xcalloc(nc, sizeof(*colw));
	table_widths(L, &T, hnat, wnat, colw);
	if (wnat != cnat)
		free(wnat);
	T.colx = xcalloc(nc + 1, sizeof(*T.colx));
	T.colx[0] = L->left;
	for (c = 0; c < nc; c++)
		T.colx[c + 1] = T.colx[c] + colw[c];
	T.colx[nc] = L->left + st->block_w;

	/* Header lines, once. */
	T.hstart = xcalloc(nc, sizeof(size_t));
	T.hcount = xcalloc(nc, sizeof(size_t));
	T.rstart = xcalloc(nc, sizeof(size_t));
	T.rcount = xcalloc(nc, sizeof(size_t));
	T.hnl = 1;
	for (c = 0; c < nc; c++) {
		cell_lines(L, htexts[c], ROLE_HEADING, T.ts, hnat[c],
		    colw[c] - 2 * T.hpad, &T.hdr, &T.hstart[c], &T.hcount[c]);
		if (T.hcount[c] > T.hnl)
			T.hnl = T.hcount[c];
	}
	full = L->pitch * L->lpp;

	for (r = 0; r < nr; r++) {
		int bold = t->row_bold && t->row_bold[r];
		enum font_role role = bold ? ROLE_HEADING : ROLE_BODY;
		size_t a, b, fit;

		if (nr >= 1000)
			diag_progress("laying out table row", (long)r + 1,
			    (long)nr);
		T.row.n = 0;
		nl = 1;
		for (c = 0; c < nc; c++) {
			rtexts[c] = cell_text(t, r, c);
			cell_lines(L, rtexts[c], role, T.ts, cnat[r * nc + c],
			    colw[c] - 2 * T.hpad, &T.row, &T.rstart[c],
			    &T.rcount[c]);
			if (T.rcount[c] > nl)
				nl = T.rcount[c];
		}
		h = (double)nl * T.lh + 2 * T.vpad;
		if (r == 0) {
			/* Title, unit, header and the first row together. */
			size_t ntl = 0;

			if (t->title && *t->title) {
				text_load(&L->tx, t->title, strlen(t->title));
				text_measure(L, &L->tx, ROLE_HEADING,
				    st->table_title_size);
				L->lv.n = 0;
				break_balanced(&L->tx, st->block_w,
				    st->table_title_size, &L->lv);
				ntl = L->lv.n;
			}
			need = L->pitch * (double)(cur_slot(L) + (int)ntl) +
			    label_height(&T, 0) + hdr_height(&T) + h;
			if (L->yoff > 0 && need > full + EPS)
				new_page(L);
			else if (cur_slot(L) >= L->lpp)
				new_page(L);
			L->yoff = L->pitch * cur_slot(L);
			lay_centred(L, t->title, ROLE_HEADING,
			    st->table_title_size, 0);
			emit_label(L, &T, 0);
			emit_header(L, &T, htexts);
		} else if (L->yoff + h > full + EPS)
			continue_page(L, &T, htexts);
		/* Place the row, splitting it only if taller than a page. */
		for (a = 0; a < nl; a = b) {
			fit = lines_fit(L, &T, full);
			if (fit == 0) {
				continue_page(L, &T, htexts);
				fit = lines_fit(L, &T, full);
				if (fit == 0)
					fit = 1;        /* impossible page */
			}
			b = a + fit < nl ? a + fit : nl;
			{
				double y0 = L->top - L->yoff;

				seg_row(L, &T, (double)(b - a) * T.lh +
				    2 * T.vpad);
				emit_cells(L, &T, &T.row, T.rstart, T.rcount,
				    nl, a, b, y0, 0, bold, rtexts);
			}
			if (b < nl)
				continue_page(L, &T, htexts);
		}
	}
	seg_close(L, &T);

	free(hnat);
	free(cnat);
	free(colw);
	free(htexts);
	free(rtexts);
	free(T.colx);
	free(T.fracw);
	free(T.hdr.v);
	free(T.row.v);
	free(T.hstart);
	free(T.hcount);
	free(T.rstart);
	free(T.rcount);
}

/* ---- charts ------------------------------------------------------------ */

static struct lay_box *
chart_box(void *arg)
{
	return box_new(arg);
}

static const char *
chart_text(void *arg, const char *s, size_t n)
{
	struct lay *L = arg;

	return lay_text(L->r, s, n);
}

/* Lays out a chart: its title centred on the grid (heading role, table
 * title size), then a frame of height_lines body slots spanning the block
 * width, all on one page (moved to the next page when it does not fit;
 * shortened to a page when taller).  chart.c fills the frame.  The grid
 * resumes below the frame. */
static void
lay_chart_block(struct lay *L, const struct lay_chart *c)
{
	const struct style *st = L->st;
	struct chart_sink sink = { chart_box, chart_text, L };
	int k, ntl = 0, hl = c->height_lines > 0 ? c->height_lines : 12;
	double y_top;

	if (c->title && *c->title) {
		text_load(&L->tx, c->title, strlen(c->title));
		text_measure(L, &L->tx, ROLE_HEADING, st->table_title_size);
		L->lv.n = 0;
		break_balanced(&L->tx, st->block_w, st->table_title_size,
		    &L->lv);
		ntl = (int)L->lv.n;
		if (ntl > L->lpp - 1)
			ntl = L->lpp - 1;
	}
	if (hl > L->lpp - ntl)
		hl = L->lpp - ntl;
	if (hl < 1)
		hl = 1;
	k = cur_slot(L);
	/* A chart that almost fits is shortened to the rest of the page
	 * (down to ¾ of its height, and never below 8 lines) rather than
	 * leaving the page half empty under the sentence that introduces
	 * it. */
	if (k > 0 && k < L->lpp && k + ntl + hl > L->lpp) {
		int room = L->lpp - k - ntl, least = (3 * hl + 3) / 4;

		if (least < 8)
			least = 8;
		if (room >= least && room < hl)
			hl = room;
	}
	if (k >= L->lpp || (k > 0 && k + ntl + hl > L->lpp)) {
		new_page(L);
		k = 0;
	}
	L->yoff = L->pitch * k;
	if (ntl > 0)
		lay_centred(L, c->title, ROLE_HEADING, st->table_title_size,
		    0);
	L->yoff = L->pitch * (k + ntl);
	y_top = L->top - L->yoff;
	chart_layout(c, st, L->m, L->page, L->left, y_top, st->block_w,
	    L->pitch * hl, &sink);
	L->yoff = L->pitch * (k + ntl + hl);
}

/* ---- blocks and keep rules ------------------------------------------- */

static enum font_role
heading_role(int level)
{
	return level <= 1 ? ROLE_HEADING : level == 2 ? ROLE_SUBHEADING :
	    ROLE_BODY;
}

/* Lays out one block.  push_last > 0 (paragraphs only) forces the last
 * push_last lines onto a new page. */
static void
lay_one(struct lay *L, const struct lay_block *b, long push_last)
{
	const struct style *st = L->st;

	switch (b->kind) {
	case LAY_TITLE:
		if (b->text && *b->text) {
			lay_centred(L, b->text, ROLE_TITLE, st->title_size,
			    st->fake_bold_title);
			blank_slot(L);
		}
		break;
	case LAY_SUBTITLE:
		if (b->text && *b->text) {
			lay_centred(L, b->text, ROLE_SUBHEADING,
			    st->body_size, 0);
			blank_slot(L);
		}
		break;
	case LAY_HEADING:
		lay_para(L, b->text, heading_role(b->level), SPLIT_KEEP, 0,
		    b->level <= 2 ? (b->level < 1 ? 1 : b->level) : 0);
		break;
	case LAY_PARA:
		lay_para(L, b->text, ROLE_BODY, SPLIT_PARA, push_last, 0);
		break;
	case LAY_TABLE:
		if (b->table)
			lay_table(L, b->table);
		break;
	case LAY_SIGNATURE:
		lay_signature(L, b->text, b->text2);
		break;
	case LAY_PAGEBREAK:
		if (L->yoff > 0)
			new_page(L);
		break;
	case LAY_CHART:
		if (b->chart)
			lay_chart_block(L, b->chart);
		break;
	}
}

/* Returns 1 if the text boxes from index from on keep company with page
 * hpage: at least two of them are on it, or all there are. */
static int
kept_with(const struct lay *L, size_t from, int hpage)
{
	const struct lay_result *r = L->r;
	size_t i;
	int on = 0;

	for (i = from; i < r->nboxes; i++) {
		if (r->boxes[i].kind != LAY_BOX_TEXT)
			continue;
		if (r->boxes[i].page != hpage)
			return 0;
		if (++on >= 2)
			return 1;
	}
	return 1;
}

/* Lays out block i and those that must be kept with it; returns the index
 * of the next block to lay out.
 * - A heading keeps at least two lines of what follows on its page: if
 *   not, it is laid out again from a new page.
 * - A paragraph followed by a signature: if the signature lands on a page
 *   without any line of the paragraph, the paragraph's last two lines
 *   are pushed to the new page (respecting widows/orphans).
 * - A paragraph of one or two lines introducing a chart or table ("见下
 *   图。") goes to the next page with it when the chart or table would
 *   start there. */
static size_t
lay_seq(struct lay *L, const struct lay_block *b, size_t n, size_t i)
{
	struct snap s;
	size_t j, hend;

	if (b[i].kind == LAY_HEADING && i + 1 < n &&
	    b[i + 1].kind != LAY_PAGEBREAK) {
		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		if (hend == s.nboxes)
			return i + 1;
		j = lay_seq(L, b, n, i + 1);
		if (L->r->boxes[s.nboxes].page == s.page && s.yoff > 0 &&
		    !kept_with(L, hend, L->r->boxes[hend - 1].page)) {
			rollback(L, &s);
			new_page(L);
			lay_one(L, &b[i], 0);
			j = lay_seq(L, b, n, i + 1);
		}
		return j;
	}
	if (b[i].kind == LAY_PARA && i + 1 < n &&
	    b[i + 1].kind == LAY_SIGNATURE) {
		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		lay_one(L, &b[i + 1], 0);
		if (hend > s.nboxes && L->r->nboxes > hend &&
		    L->r->boxes[hend - 1].page != L->r->boxes[hend].page) {
			rollback(L, &s);
			lay_one(L, &b[i], 2);
			lay_one(L, &b[i + 1], 0);
		}
		return i + 2;
	}
	if (b[i].kind == LAY_PARA && i + 1 < n &&
	    (b[i + 1].kind == LAY_CHART || b[i + 1].kind == LAY_TABLE)) {
		size_t k, lines = 0;

		s = take_snap(L);
		lay_one(L, &b[i], 0);
		hend = L->r->nboxes;
		for (k = s.nboxes; k < hend; k++)
			lines += L->r->boxes[k].kind == LAY_BOX_TEXT &&
			    L->r->boxes[k].run == 0;
		lay_one(L, &b[i + 1], 0);
		if (lines > 0 && lines <= 2 && s.yoff > 0 &&
		    L->r->nboxes > hend &&
		    L->r->boxes[hend - 1].page == s.page &&
		    L->r->boxes[hend].page != s.page) {
			rollback(L, &s);
			new_page(L);
			lay_one(L, &b[i], 0);
			lay_one(L, &b[i + 1], 0);
		}
		return i + 2;
	}
	lay_one(L, &b[i], 0);
	return i + 1;
}

/* Page numbers for pages 1..npages (from 2 if !pagenum_first): odd pages
 * end one character inside the right edge, even pages start one character
 * inside the left edge; the dash centre is pagenum_gap below the block. */
static void
page_numbers(struct lay *L)
{
	const struct style *st = L->st;
	const char *fmt = st->pagenum_format ? st->pagenum_format : "— %d —";
	double size = st->pagenum_size, w, x;
	double y = L->top - st->block_h - st->pagenum_gap - 0.38 * size;
	struct strbuf sb;
	const char *p;
	int pg;

	sb_init(&sb);
	for (pg = st->pagenum_first ? 1 : 2; pg <= L->r->npages; pg++) {
		sb_clear(&sb);
		for (p = fmt; *p; p++) {
			if (p[0] == '%' && p[1] == 'd') {
				sb_printf(&sb, "%d", pg);
				p++;
			} else if (p[0] == '%' && p[1] == '%') {
				sb_addc(&sb, '%');
				p++;
			} else
				sb_addc(&sb, *p);
		}
		w = measure(L, ROLE_PAGENUM, size, sb_str(&sb), sb.len);
		if (st->pagenum_center)
			x = L->left + (st->block_w - w) / 2;
		else if (pg % 2)
			x = L->left + st->block_w - size - w;
		else
			x = L->left + size;
		L->page = pg;
		text_box(L, ROLE_PAGENUM, size, x, y, 0, 0, sb_str(&sb),
		    sb.len);
	}
	sb_free(&sb);
}

struct lay_result *
lay_run(const struct lay_block *blocks, size_t n, const struct style *st,
    const struct lay_measure *m)
{
	static int lb_ready;
	struct lay L;
	size_t i;

	if (st == NULL || m == NULL || m->width == NULL || !(st->block_w > 0) ||
	    !(st->block_h > 0) || st->lines_per_page < 1 ||
	    st->chars_per_line < 1 || !(st->body_size > 0) ||
	    !(st->title_size > 0) || !(st->table_size > 0) ||
	    !(st->table_title_size > 0) || !(st->pagenum_size > 0) ||
	    st->indent_chars < 0 ||
	    st->indent_chars >= st->chars_per_line) {
		diag_error(EXIT_USAGE, NULL, "layout: impossible page geometry "
		    "(text block, lines, characters or type sizes)");
		return NULL;
	}
	if (!lb_ready) {
		init_linebreak();
		lb_ready = 1;
	}
	memset(&L, 0, sizeof(L));
	L.st = st;
	L.m = m;
	L.r = xcalloc(1, sizeof(*L.r));
	L.page = 1;
	L.lpp = st->lines_per_page;
	L.top = st->page_h - st->margin_top;
	L.left = st->margin_left;
	L.right = st->margin_left + st->block_w;
	L.pitch = st->block_h / st->lines_per_page;
	L.cell = st->block_w / st->chars_per_line;
	L.track = L.cell - st->body_size;

	for (i = 0; i < n;)
		i = lay_seq(&L, blocks, n, i);

	L.r->npages = 1;
	for (i = 0; i < L.r->nboxes; i++)
		if (L.r->boxes[i].page > L.r->npages)
			L.r->npages = L.r->boxes[i].page;
	page_numbers(&L);

	text_free(&L.tx);
	free(L.lv.v);
	return L.r;
}

void
lay_free(struct lay_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	while (r->arena != NULL) {
		struct lay_arena *next = r->arena->next;
		free(r->arena);
		r->arena = next;
	}
	for (i = 0; i < r->nmarks; i++)
		free(r->marks[i].title);
	free(r->boxes);
	free(r->marks);
	free(r);
}

/* Prints v with 2 decimals, never as "-0.00". */
static void
put_num(FILE *fp, double v)
{
	if (fabs(v) < 0.005)
		v = 0;
	fprintf(fp, " %.2f", v);
}

void
lay_dump(const struct lay_result *r, FILE *fp)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nboxes; i++) {
		const struct lay_box *b = &r->boxes[i];

		fprintf(fp, "%d", b->page);
		if (b->kind == LAY_BOX_RULE) {
			fputs(" rule", fp);
			put_num(fp, b->x);
			put_num(fp, b->y);
			put_num(fp, b->x2);
			put_num(fp, b->y2);
			put_num(fp, b->line_width);
			if (b->gray != 0) {
				fputs(" gray", fp);
				put_num(fp, b->gray);
			}
			if (b->dash != 0) {
				fputs(" dash", fp);
				put_num(fp, b->dash);
			}
		} else if (b->kind == LAY_BOX_RECT) {
			fputs(" rect", fp);
			put_num(fp, b->x);
			put_num(fp, b->y);
			put_num(fp, b->x2);
			put_num(fp, b->y2);
			put_num(fp, b->gray);
			put_num(fp, b->line_width);
		} else {
			size_t e = i + 1, j;

			while (e < r->nboxes && r->boxes[e].kind ==
			    LAY_BOX_TEXT && r->boxes[e].run)
				e++;
			if (b->angle != 0) {
				fputs(" rot", fp);
				put_num(fp, b->angle);
			}
			put_num(fp, b->x);
			put_num(fp, b->y);
			fprintf(fp, " %s", lay_role_name(b->role));
			put_num(fp, b->size);
			fputc(' ', fp);
			for (j = i; j < e; j++)
				fputs(r->boxes[j].text ? r->boxes[j].text :
				    "", fp);
			if (e > i + 1) {
				/* A line of several runs. */
				fprintf(fp, "\n%d runs", b->page);
				for (j = i; j < e; j++) {
					if (j > i)
						fputs(" |", fp);
					put_num(fp, r->boxes[j].x);
					put_num(fp, r->boxes[j].char_space);
					fprintf(fp, " %s", r->boxes[j].text ?
					    r->boxes[j].text : "");
				}
				fputs(" end", fp);
				put_num(fp, r->boxes[e - 1].x2);
				i = e - 1;
			}
		}
		fputc('\n', fp);
	}
	for (i = 0; i < r->nmarks; i++)
		fprintf(fp, "mark %d %d %s\n", r->marks[i].page,
		    r->marks[i].level, r->marks[i].title);
}

const char *
lay_role_name(enum font_role role)
{
	static const char *const names[ROLE_COUNT] = {
		"title", "body", "heading", "subheading", "latin", "pagenum"
	};

	if ((int)role < 0 || role >= ROLE_COUNT)
		return "?";
	return names[role];
}

static double
fake_width(void *arg, enum font_role role, double pt, const char *s, size_t n)
{
	size_t i;
	double w = 0;

	(void)arg;
	(void)role;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			w += pt / 2;
		else if (c >= 0xC0)
			w += pt;
	}
	return w;
}

const struct lay_measure *
lay_fake_measure(void)
{
	static const struct lay_measure fake = { fake_width, NULL };

	return &fake;
}
