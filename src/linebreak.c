/* Linebreak: clreq line-breaking rules over libunibreak (see linebreak.h).
 *
 * Line breaking: libunibreak opportunities, restricted by the clreq
 * GB-style prohibition rules (no_start/no_end below), unbreakable "——",
 * "……", numbers with their units (bind_units) and Latin words.  Greedy
 * breaking first tries to squeeze a line-start-prohibited full-width mark
 * into the line by letting it take half an em, else pushes the previous
 * character down; for paragraphs it may instead run on to the next break
 * opportunity, shrinking the line (tracking, then the marks inside it)
 * when that is less than the stretch of the shorter line (shrunk_line).
 * An opening mark that starts a line at the margin gives up the ½ em
 * blank at its left to the line (line.lead).
 * How much a mark may lose, at which side, comes from the ink of its glyph
 * (text_measure).  This is the only file that includes
 * libunibreak's header. */
#include "linebreak.h"

#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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

/* Full-width pauses and closing marks: they may be set ½ em at the end of
 * a line (their ink decides which side gives up the space). */
static const uint32_t squeezable_set[] = {
	0x3001, 0xFF0C, 0x3002, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
	0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x300B, 0x3009, 0x3011,
	0x3015, 0x3017, 0xFF3D, 0xFF5D
};

/* Opening marks: their blank is at the left in the GB convention. */
static const uint32_t open_set[] = {
	0x201C, 0x2018, 0x300C, 0x300E, 0xFF08, 0x300A, 0x3008, 0x3010,
	0x3014, 0x3016, 0xFF3B, 0xFF5B
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Pauses (、，。；：？！) first in squeezable_set, then closing marks. */
#define NPAUSE 7

int
punct_class(uint32_t c)
{
	size_t i;

	if (c < 0x2018 || (c > 0x201D && c < 0x3001) ||
	    (c > 0x3017 && c < 0xFF01) || c > 0xFF5D)
		return PC_NONE;
	for (i = 0; i < NELEM(squeezable_set); i++)
		if (squeezable_set[i] == c)
			return i < NPAUSE ? PC_PAUSE : PC_CLOSE;
	return in_set(c, open_set, NELEM(open_set)) ? PC_OPEN : PC_NONE;
}

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

int
is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int
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
int
is_num_prefix(uint32_t c)
{
	return c == '+' || c == '-' || c == 0x2212 || c == 0xB1 ||
	    c == '$' || c == 0xA5 || c == 0xFFE5 || c == 0x20AC ||
	    c == 0xA3 || c == 0xFF0B || c == 0xFF0D;
}

/* Punctuation, for the lone-last-line rule (spaces are neither). */
int
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

/* ---- numbers and their units --------------------------------------- */

/* Units and measure words that stay with the number before them (GB/T
 * 9704-1999 §8.2.3 数字不能回行; "投资32.0亿元", "3万吨", "3000吨/年",
 * "180余家", "2.3个百分点").  A number's unit is: an approximator (余 多),
 * magnitudes (万 亿 千 百 十), and a unit word from this list, each part
 * optional but one present; then "/" and a second unit word ("吨/年"). */
static const char *const unit_words[] = {
	"元", "美元", "欧元", "港元", "日元", "角",
	"吨", "千克", "公斤", "克", "斤", "吨标煤", "标准煤",
	"米", "千米", "公里", "厘米", "毫米", "平方米", "平方公里",
	"平方千米", "立方米", "亩", "公顷",
	"伏", "千伏", "千伏安", "瓦", "千瓦", "千瓦时", "兆瓦", "兆瓦时",
	"度", "升", "毫升",
	"年", "年度", "季度", "月", "个月", "日", "天", "周", "小时", "时",
	"分钟", "秒", "岁",
	"个", "户", "家", "人", "人次", "名", "位", "项", "次", "台", "套",
	"座", "条", "处", "件", "辆", "所", "栋", "间", "批", "期", "宗",
	"笔", "份", "类", "种", "款", "张", "本", "篇", "部", "支", "只",
	"头", "株", "棵", "片", "块", "层", "床", "届", "轮", "倍",
	"个百分点", "百分点"
};

/* Writes the UTF-8 encoding of cp into b (NUL-terminated, up to 4 bytes
 * and the NUL) and returns its length; 0 (b empty) for a surrogate or a
 * value beyond U+10FFFF, which no unit word holds. */
static size_t
utf8_put(char *b, uint32_t cp)
{
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			n = 0;
		else {
			b[0] = (char)(0xE0 | cp >> 12);
			b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
			b[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		}
	} else if (cp <= 0x10FFFF) {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	} else
		n = 0;
	b[n] = '\0';
	return n;
}

/* Length in characters of the unit word from the list that is longest
 * at tx->cp[c...], or 0. */
static size_t
unit_word_at(const struct text *tx, size_t c)
{
	size_t i, best = 0, el;
	char enc[5];

	if (c >= tx->n)
		return 0;
	el = utf8_put(enc, tx->cp[c]);
	for (i = 0; i < NELEM(unit_words); i++) {
		const char *u = unit_words[i];
		size_t k = 0, ul, off = 0, l;
		uint32_t cp;

		/* Quick reject: the word's first character differs. */
		if (el == 0 || u[0] != enc[0] || strncmp(u, enc, el) != 0)
			continue;
		ul = strlen(u);
		while (off < ul && c + k < tx->n &&
		    (l = utf8_decode(u + off, ul - off, &cp)) > 0 &&
		    cp == tx->cp[c + k]) {
			off += l;
			k++;
		}
		if (off == ul && k > best)
			best = k;
	}
	return best;
}

static int
is_magnitude(uint32_t c)
{
	return c == 0x4E07 /* 万 */ || c == 0x4EBF /* 亿 */ ||
	    c == 0x5343 /* 千 */ || c == 0x767E /* 百 */ ||
	    c == 0x5341 /* 十 */;
}

/* Length in characters of the unit after a number at tx->cp[c...]
 * (see unit_words), or 0. */
static size_t
unit_len(const struct text *tx, size_t c)
{
	size_t e = c, u;

	if (e < tx->n && (tx->cp[e] == 0x4F59 /* 余 */ ||
	    tx->cp[e] == 0x591A /* 多 */))
		e++;
	for (;;) {
		if ((u = unit_word_at(tx, e)) > 0) {
			e += u;
			break;
		}
		if (e < tx->n && is_magnitude(tx->cp[e]))
			e++;
		else
			break;
	}
	if (e == c || (e == c + 1 && !is_magnitude(tx->cp[c]) &&
	    unit_word_at(tx, c) == 0))
		return 0;       /* 余 or 多 alone is no unit */
	if (e + 1 < tx->n && (tx->cp[e] == '/' || tx->cp[e] == 0xFF0F) &&
	    (u = unit_word_at(tx, e + 1)) > 0)
		e += 1 + u;
	return e - c;
}

/* Glues every number to the unit after it: no break between the last
 * digit (or %) and the unit, nor inside the unit. */
static void
bind_units(struct text *tx)
{
	size_t c, e, u;

	for (c = 0; c + 1 < tx->n; c++) {
		if (!is_digit(tx->cp[c]))
			continue;
		e = c + 1;
		if (is_digit(tx->cp[e]) || ((tx->cp[e] == '.' ||
		    tx->cp[e] == ',') && e + 1 < tx->n &&
		    is_digit(tx->cp[e + 1])))
			continue;       /* not the number's end */
		if (tx->cp[e] == '%' || tx->cp[e] == 0x2030 ||
		    tx->cp[e] == 0xFF05)
			continue;       /* glued already; no unit after % */
		if ((u = unit_len(tx, e)) == 0)
			continue;
		for (; c < e + u - 1; c++)
			if (tx->brk[c] != BRK_MUST)
				tx->brk[c] = BRK_NO;
	}
}

/* ---- mixed text spacing (clreq) ------------------------------------ */

/* Western characters: set at their natural spacing, never tracked or
 * expanded inside a run (ASCII, Latin letters, number signs). */
int
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
int
hl_pair(uint32_t a, uint32_t b)
{
	return (han_solid(a) && hl_side(b)) || (hl_side(a) && han_solid(b));
}

/* Grid tracking applies to Han-class characters only: Latin and digit
 * runs keep their natural spacing. */
double
char_track(uint32_t c, double track)
{
	return is_west(c) || is_space(c) ? 0 : track;
}

/* The spacing change between c and c + 1 as the line breaker counts it:
 * less the marks' kerning, plus hlmin (tx->hl if hlmin is 0) for a
 * Han-Latin gap. */
static double
brk_adjust(const struct text *tx, size_t c, double hlmin)
{
	double a = -tx->kern[c];

	if (tx->hl > 0 && hl_pair(tx->cp[c], tx->cp[c + 1]))
		a += hlmin > 0 ? hlmin : tx->hl;
	return a;
}

/* Advance of characters [a, b) as the line breaker counts it: widths,
 * tracking of Han-class characters, brk_adjust inside the range. */
static double
adv_sum(const struct text *tx, size_t a, size_t b, double track,
    double hlmin)
{
	double acc = 0;
	size_t c;

	for (c = a; c < b; c++) {
		acc += tx->w[c] + char_track(tx->cp[c], track);
		if (c > a)
			acc += brk_adjust(tx, c - 1, hlmin);
	}
	return acc;
}

/* ---- text decoding and measuring ---------------------------------- */

void
text_free(struct text *tx)
{
	free(tx->cp);
	free(tx->off);
	free(tx->w);
	free(tx->kern);
	free(tx->sql);
	free(tx->sqr);
	free(tx->sqi);
	free(tx->sqs);
	free(tx->brk);
	free(tx->ub);
	memset(tx, 0, sizeof(*tx));
}

/* Decodes s[0..len) into tx (reusing its arrays).  Invalid UTF-8 bytes
 * become U+FFFD, one per byte. */
void
text_decode(struct text *tx, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp, *cpv;
	size_t i, c, k, *off;

	tx->s = s;
	tx->len = len;
	if (tx->cap < len + 1) {
		tx->cap = len + 1 > 2 * tx->cap ? len + 1 : 2 * tx->cap;
		tx->cp = xreallocarray(tx->cp, tx->cap, sizeof(*tx->cp));
		tx->off = xreallocarray(tx->off, tx->cap, sizeof(*tx->off));
		tx->w = xreallocarray(tx->w, tx->cap, sizeof(*tx->w));
		tx->kern = xreallocarray(tx->kern, tx->cap, sizeof(*tx->kern));
		tx->sql = xreallocarray(tx->sql, tx->cap, sizeof(*tx->sql));
		tx->sqr = xreallocarray(tx->sqr, tx->cap, sizeof(*tx->sqr));
		tx->sqi = xreallocarray(tx->sqi, tx->cap, sizeof(*tx->sqi));
		tx->sqs = xreallocarray(tx->sqs, tx->cap, sizeof(*tx->sqs));
		tx->brk = xreallocarray(tx->brk, tx->cap, 1);
	}
	/* The arrays in locals (stores through them cannot then change tx's
	 * pointers for the compiler); ASCII and the three-byte sequences of
	 * Chinese text inline (as utf8_decode), the rest by utf8_decode. */
	cpv = tx->cp;
	off = tx->off;

	c = 0;
	for (i = 0; i < len; i += k) {
		unsigned char b = u[i];

		if (b < 0x80) {
			cpv[c] = b;
			off[c++] = i;
			k = 1;
			continue;
		}
		if (len - i >= 3 && b >= 0xE1 && b <= 0xEF && b != 0xED &&
		    (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
			cpv[c] = (uint32_t)(b & 0x0F) << 12 |
			    (uint32_t)(u[i + 1] & 0x3F) << 6 |
			    (uint32_t)(u[i + 2] & 0x3F);
			off[c++] = i;
			k = 3;
			continue;
		}
		k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		cpv[c] = cp;
		off[c++] = i;
	}
	tx->n = c;
	off[c] = len;
	tx->hl = 0;
}

/* 1 if tx holds only CJK Unified Ideographs U+4E00..U+9FFF (all of line
 * break class ID in Unicode's LineBreak.txt), else 0 (also when empty). */
static int
han_only(const struct text *tx)
{
	size_t c;

	for (c = 0; c < tx->n; c++)
		if (tx->cp[c] < 0x4E00 || tx->cp[c] > 0x9FFF)
			return 0;
	return tx->n > 0;
}

/* Decodes s[0..len) into tx (reusing its arrays) and computes the break
 * status after every character.  Widths are not measured (text_measure).
 * Invalid UTF-8 bytes become U+FFFD, one per byte. */
void
text_load(struct text *tx, const char *s, size_t len)
{
	size_t c;

	text_decode(tx, s, len);
	if (han_only(tx)) {
		/* UAX #14 LB31 between two ideographs (class ID), never
		 * glued, no number to bind a unit to: a break after every
		 * character, without asking libunibreak. */
		for (c = 0; c < tx->n; c++)
			tx->brk[c] = BRK_ALLOW;
		return;
	}
	if (tx->ubcap < len + 1) {
		tx->ubcap = len + 1 > 2 * tx->ubcap ? len + 1 : 2 * tx->ubcap;
		tx->ub = xrealloc(tx->ub, tx->ubcap);
	}
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
	bind_units(tx);
}

/* The blanks of a full-width mark of class cls and width w: the space
 * left and right of its ink (from m->ink; the GB convention without it:
 * half the em at the open side). */
static void
mark_blanks(const struct lay_measure *m, enum font_role role, double pt,
    uint32_t cp, int cls, double w, double *bl, double *br)
{
	double l, r;

	if (m->ink == NULL || m->ink(m->arg, role, pt, cp, &l, &r) != 0) {
		*bl = cls == PC_OPEN ? w / 2 : 0;
		*br = cls == PC_OPEN ? 0 : w / 2;
		return;
	}
	*bl = l > 0 ? l : 0;
	*br = w - r > 0 ? w - r : 0;
}

#define KERN_KEEP_EM 0.1        /* ink kept apart when marks are kerned */

/* What a mark of class cls, advance w, left blank bl gives up at its left
 * when it starts a line at the margin (clreq: an opening mark at the line
 * start loses ½ em): half its advance, if it is an opening mark whose
 * ink lies in the right half of its advance, else 0 (a glyph drawn
 * centred, as AR PL UMing's ｛, or in the left half, as WenQuanYi Zen
 * Hei's 〖, keeps its place: the ½ em would cut into its ink). */
static double
open_lead(int cls, double w, double bl)
{
	return cls == PC_OPEN && bl >= w / 2 - 1e-9 ? w / 2 : 0;
}

double
text_lead(const struct lay_measure *m, enum font_role role, double pt,
    const char *s, size_t n)
{
	uint32_t cp;
	size_t k;
	double w, bl, br;
	int cls;

	if (n == 0 || (k = utf8_decode(s, n, &cp)) == 0 ||
	    (cls = punct_class(cp)) != PC_OPEN)
		return 0;
	w = m->width(m->arg, role, pt, s, k);
	if (w < 0.75 * pt)
		return 0;       /* proportional: as text_measure */
	mark_blanks(m, role, pt, cp, cls, w, &bl, &br);
	return open_lead(cls, w, bl);
}

/* Measures every character of tx (control characters are 0 wide), then
 * the punctuation spacing (see linebreak.h). */
void
text_measure(const struct lay_measure *m, struct text *tx,
    enum font_role role, double pt)
{
	size_t c;
	double em = pt, bl = 0, br = 0, pbr = 0, kb, t, tr;
	int cls, pcls = PC_NONE;

	tx->hl = m->cjk_latin * pt;
	for (c = 0; c < tx->n; c++) {
		tx->w[c] = tx->cp[c] < 0x20 ? 0 :
		    m->width(m->arg, role, pt, tx->s + tx->off[c],
		    tx->off[c + 1] - tx->off[c]);
		tx->kern[c] = tx->sql[c] = tx->sqr[c] = tx->sqi[c] = 0;
		tx->sqs[c] = 0;
		cls = punct_class(tx->cp[c]);
		if (cls != PC_NONE && tx->w[c] < 0.75 * em)
			cls = PC_NONE;  /* proportional marks: as they are */
		kb = 0;
		if (cls != PC_NONE) {
			mark_blanks(m, role, pt, tx->cp[c], cls, tx->w[c], &bl,
			    &br);
			tx->sqs[c] = open_lead(cls, tx->w[c], bl);
			/* Two adjacent marks: ½ em less, from the blank
			 * sides (not between an opening mark and what it
			 * opens). */
			if (pcls != PC_NONE && (pcls != PC_OPEN ||
			    cls == PC_OPEN)) {
				t = em / 2;
				if (t > pbr + bl - KERN_KEEP_EM * em)
					t = pbr + bl - KERN_KEEP_EM * em;
				if (t < 0)
					t = 0;
				if (pcls == PC_OPEN)
					kb = bl < t ? bl : t;
				else
					kb = t - (pbr < t ? pbr : t);
				tx->kern[c - 1] = t;
				if (t > 0)
					tx->sqi[c - 1] = -1; /* kerned */
			}
			if (cls != PC_OPEN) {
				/* At a line end: ½ em, the right blank
				 * first. */
				tr = br < em / 2 ? br : em / 2;
				tx->sqr[c] = tr;
				tx->sql[c] = bl - kb < em / 2 - tr ?
				    bl - kb : em / 2 - tr;
				if (tx->sql[c] < 0)
					tx->sql[c] = 0;
			}
			/* Inside a line (shrinking): the same ½ em, or an
			 * opening mark's left blank; not if kerned. */
			if (kb > 0 || (c > 0 && tx->kern[c - 1] > 0))
				tx->sqi[c] = -1;
			else if (cls == PC_OPEN)
				tx->sqi[c] = bl < em / 2 ? bl : em / 2;
			else
				tx->sqi[c] = tx->sql[c] + tx->sqr[c];
		}
		pcls = cls;
		pbr = br;
	}
	for (c = 0; c < tx->n; c++)
		if (tx->sqi[c] < 0)
			tx->sqi[c] = 0;
}

double
text_adjust(const struct text *tx, size_t c)
{
	double a = -tx->kern[c];

	if (tx->hl > 0 && c + 1 < tx->n && hl_pair(tx->cp[c], tx->cp[c + 1]))
		a += tx->hl;
	return a;
}

double
text_span(const struct text *tx, size_t a, size_t b)
{
	double acc = 0;
	size_t c;

	for (c = a; c < b; c++) {
		acc += tx->w[c];
		if (c > a)
			acc += text_adjust(tx, c - 1);
	}
	return acc;
}


/* ---- line breaking --------------------------------------------------- */

struct line *
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
	while (end > c0 && is_space(tx->cp[end - 1]))
		end--;
	ln->c0 = c0;
	ln->c1 = end;
	ln->b0 = tx->off[c0];
	ln->b1 = tx->off[end];
	ln->natural = text_span(tx, c0, end);
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
		acc = adv_sum(tx, s, last->c1, track, hlmin);
		if (acc > wr + EPS)
			return;
		if (count_solid(tx, s, last->c1) < 2)
			continue;
		line_set(tx, prev, prev->c0, b + 1);
		prev->flags &= ~LN_COMPRESSED;
		prev->squeeze = prev->pc = 0;
		line_set(tx, last, s, last->c1);
		last->pc = 0;
		last->lead = tx->sqs[s];
		return;
	}
}

#define SHRINK_LOOK_EM 6        /* how far past the overflow a shrunk
                                   line may look for its break */

/* A shrunk line (shrink before stretch, see break_greedy): the line that
 * starts at s, overflows w at j and runs on to the next break opportunity
 * e (< tx->n), if it fits by squeezing its last mark, tightening its gaps
 * by up to SHRINK_TRACK_EM and compressing the marks inside it, in that
 * order.  Returns 1 and sets *end (one past e), *pc (what the marks
 * inside give up), *shrink (natural width less w) and *hard (e is a
 * mandatory break), or returns 0. */
static int
shrunk_line(const struct text *tx, size_t s, size_t j, double w,
    double track, double hlmin, double em, size_t *end, double *pc,
    double *shrink, int *hard)
{
	size_t e, c1, c, ngap = 0;
	double look = 0, nat, need, inner = 0;

	for (e = j; e < tx->n && tx->brk[e] == BRK_NO; e++)
		if ((look += tx->w[e]) > SHRINK_LOOK_EM * em)
			return 0;
	if (e == tx->n)
		return 0;
	c1 = e + 1;
	while (c1 > s + 1 && is_space(tx->cp[c1 - 1]))
		c1--;
	nat = adv_sum(tx, s, c1, track, hlmin);
	for (c = s + 1; c < c1; c++)
		if (!(is_west(tx->cp[c - 1]) && is_west(tx->cp[c])))
			ngap++;         /* a gap that takes the tracking */
	need = nat - w - tx->sql[c1 - 1] - tx->sqr[c1 - 1] -
	    SHRINK_TRACK_EM * em * (double)ngap;
	for (c = s + 1; c + 1 < c1; c++)
		inner += tx->sqi[c];
	if (need > inner + EPS)
		return 0;
	*end = e + 1;
	*pc = need > 0 ? need : 0;
	*shrink = nat - w;
	*hard = tx->brk[e] == BRK_MUST;
	return 1;
}

/* Breaks tx greedily (see linebreak.h). */
size_t
break_greedy(const struct text *tx, double wf, double wr, double track,
    double hlmin, double em, int bgflags, struct linevec *lv)
{
	size_t first = lv->n, s = 0, j, end, lastbrk, send;
	double w, acc, adv, pc, shrink, stretch;
	int flags, isfirst = 1, hard;
	struct line *ln;

	if (tx->n == 0)
		return first;
	while (s < tx->n) {
		w = isfirst ? wf : wr;
		acc = 0;
		pc = 0;
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
			if (j > s)
				adv += brk_adjust(tx, j - 1, hlmin);
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
			if (tx->sql[j] + tx->sqr[j] > 0 &&
			    tx->brk[j] != BRK_NO &&
			    acc + adv - tx->sql[j] - tx->sqr[j] -
			    SQUEEZE_EM * em * (double)(j - s) <= w + EPS) {
				end = j + 1;
				flags |= LN_COMPRESSED;
				break;
			}
			end = lastbrk != SIZE_MAX ? lastbrk + 1 : j;
			/* Shrink before stretch: the stretch of the shorter
			 * line against the shrink of the longer. */
			stretch = lastbrk != SIZE_MAX ? w - adv_sum(tx, s,
			    end, track, hlmin) : HUGE_VAL;
			if ((bgflags & BG_SHRINK) && shrunk_line(tx, s, j, w,
			    track, hlmin, em, &send, &pc, &shrink, &hard) &&
			    shrink < stretch) {
				end = send;
				flags |= LN_SHRUNK;
				if (hard)
					flags |= LN_HARD;
			} else
				pc = 0;
			break;
		}
		ln = lv_push(lv);
		line_set(tx, ln, s, end);
		ln->flags = flags;
		/* An opening mark at the margin: its ½ em goes to the line,
		 * first to what its marks inside would give up. */
		if (!isfirst || (bgflags & BG_LEAD1))
			ln->lead = tx->sqs[s];
		ln->pc = pc > ln->lead ? pc - ln->lead : 0;
		if ((flags & LN_SHRUNK) && ln->c1 > ln->c0 &&
		    tx->sql[ln->c1 - 1] + tx->sqr[ln->c1 - 1] > 0)
			ln->flags = flags |= LN_COMPRESSED;
		if ((flags & LN_COMPRESSED) && ln->c1 > ln->c0)
			ln->squeeze = tx->sql[ln->c1 - 1] + tx->sqr[ln->c1 - 1];
		s = skip_spaces(tx, end);
		isfirst = 0;
	}
	lv->v[lv->n - 1].flags |= LN_LAST;
	if (bgflags & BG_LONE)
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

size_t
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
	/* pre[i]: width of [0, i) set as one line. */
	pre[0] = 0;
	for (i = 0; i < tx->n; i++)
		pre[i + 1] = pre[i] + tx->w[i] +
		    (i > 0 ? text_adjust(tx, i - 1) : 0);
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
						lw = pre[e] - pre[pos[i]] -
						    (pos[i] > 0 ? text_adjust(tx,
						    pos[i] - 1) : 0);
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
	for (i = first; i < lv->n; i++) {
		lv->v[i].flags = LN_LAST;
		lv->v[i].lead = 0;      /* centred lines: no lead */
	}
	return first;
}

void
linebreak_init(void)
{
	static int ready;

	if (!ready) {
		init_linebreak();
		ready = 1;
	}
}
