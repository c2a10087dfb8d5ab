/* Tests of render.c and fonts.c: font resolution, face checks on crafted
 * fonts, measuring, coverage checks, and a written PDF checked with
 * poppler's pdffonts and pdftotext.  Needs the Debian fonts named in
 * DEFAULTS (fonts-arphic-*, fonts-wqy-zenhei, fonts-liberation2). */
#include "testutil.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb.h>

#include <errno.h>

#include <hpdf.h>

#include "bigmem.h"
#include "diag.h"
#include "fonts.h"
#include "hpdf_patch.h"
#include "render.h"
#include "sfnt.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define LIBSERIF "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
#define FANDOL_FANG "/usr/share/texlive/texmf-dist/fonts/opentype/public/" \
    "fandol/FandolFang-Regular.otf"

static const char *const DEFAULTS[ROLE_COUNT] = {
	/* gbsn00lp (GB 2312) lacks 〇 (U+3007): per-character fallback */
	[ROLE_TITLE] = "AR PL SungtiL GB, AR PL UMing CN",
	[ROLE_BODY] = "AR PL UMing CN",
	[ROLE_HEADING] = "WenQuanYi Zen Hei",
	[ROLE_SUBHEADING] = "AR PL UKai CN",
	[ROLE_LATIN] = "Liberation Serif",
	[ROLE_PAGENUM] = "AR PL UMing CN",
};

static char tmpdir[64];
static FILE *diagfp;

/* Diagnostics go to a temporary file; diag_text returns what was
 * printed since the last call. */
static const char *
diag_text(void)
{
	static char buf[8192];
	fflush(diagfp);
	long n = ftell(diagfp);
	if (n < 0)
		n = 0;
	if (n > (long)sizeof buf - 1)
		n = (long)sizeof buf - 1;
	rewind(diagfp);
	size_t got = fread(buf, 1, (size_t)n, diagfp);
	buf[got] = '\0';
	rewind(diagfp);
	if (ftruncate(fileno(diagfp), 0) != 0)
		buf[0] = '\0';
	return buf;
}

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/zj-test-render-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	diagfp = tmpfile();
	if (diagfp == NULL)
		return -1;
	diag_set_stream(diagfp);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	diag_set_stream(NULL);
	fclose(diagfp);
	char *cmd;
	size_t n = strlen(tmpdir) + 16;
	cmd = malloc(n);
	snprintf(cmd, n, "rm -rf '%s'", tmpdir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *
tmppath(const char *name)
{
	size_t n = strlen(tmpdir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", tmpdir, name);
	return p;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *d = malloc((size_t)n);
	assert_int_equal(fread(d, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return d;
}

static void
spit(const char *path, const unsigned char *d, size_t n)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(d, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static unsigned
get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* Offset of table tag in a single-face sfnt. */
static size_t
table_off(const unsigned char *d, const char *tag)
{
	unsigned n = get16(d + 4);
	for (unsigned i = 0; i < n; i++) {
		const unsigned char *r = d + 12 + 16 * i;
		if (memcmp(r, tag, 4) == 0)
			return get32(r + 8);
	}
	fail_msg("no table %s", tag);
	return 0;
}

static struct rnd *
create_with_body(const char *body)
{
	const char *c[ROLE_COUNT];
	for (int i = 0; i < ROLE_COUNT; i++)
		c[i] = DEFAULTS[i];
	c[ROLE_BODY] = body;
	return rnd_create(c, NULL, NULL);
}

/* ---- resolution ----------------------------------------------------- */

static void
test_resolve_family(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	assert_int_equal(diag_error_count(), 0);
	assert_non_null(rnd_measure(r));
	rnd_free(r);
}

/* The default stand-ins: Fandol by family name (TeX Live's directory,
 * added to fontconfig by fonts.c), a style picked with :style=, Noto CJK
 * Bold; an unknown style is refused with the reason. */
static void
test_resolve_fandol_noto(void **state)
{
	(void)state;
	diag_reset();
	const char *c[ROLE_COUNT] = {
		[ROLE_TITLE] = "Noto Serif CJK SC:style=Bold",
		[ROLE_BODY] = "FandolFang:style=Regular",
		[ROLE_HEADING] = "FandolHei:style=Regular",
		[ROLE_SUBHEADING] = "FandolKai:style=Regular",
		[ROLE_LATIN] = "FandolSong:style=Bold",
		[ROLE_PAGENUM] = "FandolSong:style=Regular",
	};
	struct fnt_lib *lib = fnt_open(c, NULL, NULL);
	if (lib == NULL)
		fail_msg("not resolved: %s", diag_text());
	static const char *const want[ROLE_COUNT] = {
		[ROLE_TITLE] = "NotoSerifCJK-Bold.ttc:2)",
		[ROLE_BODY] = "FandolFang-Regular.otf:0)",
		[ROLE_HEADING] = "FandolHei-Regular.otf:0)",
		[ROLE_SUBHEADING] = "FandolKai-Regular.otf:0)",
		[ROLE_LATIN] = "FandolSong-Bold.otf:0)",
		[ROLE_PAGENUM] = "FandolSong-Regular.otf:0)",
	};
	for (int r = 0; r < ROLE_COUNT; r++) {
		const char *d = fnt_face_desc(fnt_role_first(lib, r));
		if (strstr(d, want[r]) == NULL)
			fail_msg("role %d: %s, not %s", r, d, want[r]);
	}
	fnt_close(lib);
	const char *bad[ROLE_COUNT] = {
		[ROLE_TITLE] = "FandolFang:style=Black",
		[ROLE_BODY] = "FandolFang", [ROLE_HEADING] = "FandolFang",
		[ROLE_SUBHEADING] = "FandolFang", [ROLE_PAGENUM] = "FandolFang",
	};
	diag_text();
	assert_null(fnt_open(bad, NULL, NULL));
	const char *t = diag_text();
	if (strstr(t, "no 'Black' style of this family") == NULL)
		fail_msg("message: %s", t);
}

static void
test_resolve_path(void **state)
{
	(void)state;
	diag_reset();
	/* full path with face index; bare name through fontdir; bare name
	 * found among the fontconfig fonts; a fallback list */
	char *dir = tmppath("fontdir");
	assert_int_equal(mkdir(dir, 0700), 0);
	char *link = tmppath("fontdir/mine.ttf");
	assert_int_equal(symlink(LIBSERIF, link), 0);
	const char *c[ROLE_COUNT] = {
		[ROLE_TITLE] = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
		[ROLE_BODY] = UMING ":0",
		[ROLE_HEADING] = "wqy-zenhei.ttc:0",
		[ROLE_SUBHEADING] = "No Such Family, ukai.ttc",
		[ROLE_LATIN] = "mine.ttf",
		[ROLE_PAGENUM] = "AR PL UMing CN, " UMING ":0",
	};
	struct rnd *r = rnd_create(c, dir, NULL);
	assert_non_null(r);
	assert_int_equal(diag_error_count(), 0);
	/* Latin digits come from the latin face: narrower than uming's */
	const struct lay_measure *m = rnd_measure(r);
	double w1 = m->width(m->arg, ROLE_BODY, 16, "1", 1);
	double w2 = m->width(m->arg, ROLE_PAGENUM, 16, "1", 1);
	assert_true(w1 > 0 && w2 > 0);
	assert_true(w1 == 8.0);         /* Liberation Serif: 1024/2048 em */
	rnd_free(r);
	unlink(link);
	rmdir(dir);
	free(link);
	free(dir);
}

static void
test_missing_family(void **state)
{
	(void)state;
	diag_reset();
	diag_text();
	struct rnd *r = create_with_body("No Such Family, /nonexistent/x.ttf");
	assert_null(r);
	assert_int_equal(diag_exit_code(), EXIT_FONT);
	const char *t = diag_text();
	assert_non_null(strstr(t, "role body"));
	assert_non_null(strstr(t, "'No Such Family': no font of this family"));
	assert_non_null(strstr(t, "'/nonexistent/x.ttf': cannot open"));
}

static void
test_no_latin_ok(void **state)
{
	(void)state;
	diag_reset();
	const char *c[ROLE_COUNT];
	for (int i = 0; i < ROLE_COUNT; i++)
		c[i] = DEFAULTS[i];
	c[ROLE_LATIN] = "";
	struct rnd *r = rnd_create(c, NULL, NULL);
	assert_non_null(r);
	const struct lay_measure *m = rnd_measure(r);
	/* without latin, body digits come from uming (500 units) */
	assert_true(m->width(m->arg, ROLE_BODY, 16, "1", 1) == 8.0);
	rnd_free(r);
	c[ROLE_LATIN] = DEFAULTS[ROLE_LATIN];
	c[ROLE_HEADING] = NULL;
	assert_null(rnd_create(c, NULL, NULL));
	assert_non_null(strstr(diag_text(), "no font configured for role "
	    "heading"));
}

/* ---- crafted bad fonts ---------------------------------------------- */

enum patch { P_UPEM0, P_HMETRICS, P_FSTYPE, P_TRUNC, P_GARBAGE, P_NOGLYPHS };

static void
expect_reject_face(const char *path, unsigned index, const char *spec,
    const char *reason)
{
	diag_reset();
	diag_text();
	char *why = NULL;
	assert_int_equal(fnt_check_file(path, index, &why), -1);
	assert_non_null(why);
	if (strstr(why, reason) == NULL)
		fail_msg("reason '%s' lacks '%s'", why, reason);
	free(why);
	assert_null(create_with_body(spec));
	assert_int_equal(diag_exit_code(), EXIT_FONT);
	const char *t = diag_text();
	if (strstr(t, "role body") == NULL || strstr(t, spec) == NULL ||
	    strstr(t, reason) == NULL)
		fail_msg("message '%s' lacks role, path or '%s'", t, reason);
}

static void
expect_reject(const char *path, const char *reason)
{
	expect_reject_face(path, 0, path, reason);
}

static char hm_reason[128];

static void
craft(enum patch p, const char *name, const char *reason)
{
	size_t n;
	unsigned char *d = slurp(LIBSERIF, &n);
	size_t head = table_off(d, "head"), hhea = table_off(d, "hhea");
	size_t maxp = table_off(d, "maxp"), os2 = table_off(d, "OS/2");
	switch (p) {
	case P_UPEM0:
		put16(d + head + 18, 0);
		break;
	case P_HMETRICS:
		put16(d + hhea + 34, get16(d + maxp + 4) + 1);
		snprintf(hm_reason, sizeof hm_reason, "numberOfHMetrics %u is "
		    "greater than numGlyphs %u", get16(d + maxp + 4) + 1,
		    get16(d + maxp + 4));
		reason = hm_reason;
		break;
	case P_FSTYPE:
		put16(d + os2 + 8, 0x0002);
		break;
	case P_TRUNC:
		n /= 2;
		break;
	case P_GARBAGE:
		memset(d, 'x', 64);
		break;
	case P_NOGLYPHS:
		put16(d + maxp + 4, 0);
		break;
	}
	char *path = tmppath(name);
	spit(path, d, n);
	free(d);
	expect_reject(path, reason);
	unlink(path);
	free(path);
}

static void
test_reject_upem(void **state)
{
	(void)state;
	craft(P_UPEM0, "upem0.ttf", "unitsPerEm 0");
}

static void
test_reject_hmetrics(void **state)
{
	(void)state;
	craft(P_HMETRICS, "hmetrics.ttf", NULL);
}

static void
test_reject_fstype(void **state)
{
	(void)state;
	craft(P_FSTYPE, "fstype.ttf", "fsType 0x0002: restricted license");
}

static void
test_reject_truncated(void **state)
{
	(void)state;
	craft(P_TRUNC, "trunc.ttf", "truncated");
}

static void
test_reject_garbage(void **state)
{
	(void)state;
	craft(P_GARBAGE, "garbage.ttf", "not a TrueType font");
}

static void
test_reject_noglyphs(void **state)
{
	(void)state;
	craft(P_NOGLYPHS, "noglyphs.ttf", "numGlyphs is 0");
}

static void
test_reject_cff(void **state)
{
	(void)state;
	/* a fake OpenType/CFF sfnt: 'OTTO' with a 'CFF ' table that is
	 * not CFF */
	unsigned char d[12 + 16 + 4];
	memset(d, 0, sizeof d);
	memcpy(d, "OTTO", 4);
	put16(d + 4, 1);
	memcpy(d + 12, "CFF ", 4);
	d[12 + 11] = 28;        /* offset */
	d[12 + 15] = 4;         /* length */
	char *path = tmppath("fake.otf");
	spit(path, d, sizeof d);
	expect_reject(path, "no 'head' table");
	unlink(path);
	free(path);
	/* a 'true'-tagged file with a 'CFF ' table */
	memcpy(d, "\0\1\0\0", 4);
	path = tmppath("fake2.ttf");
	spit(path, d, sizeof d);
	expect_reject(path, "no 'head' table");
	unlink(path);
	free(path);
	/* a CFF2 (variable) font */
	memcpy(d, "OTTO", 4);
	memcpy(d + 12, "CFF2", 4);
	path = tmppath("fake3.otf");
	spit(path, d, sizeof d);
	expect_reject(path, "CFF2");
	unlink(path);
	free(path);
	/* a real OpenType/CFF font is accepted */
	char *why = NULL;
	if (access(FANDOL_FANG, R_OK) == 0 &&
	    fnt_check_file(FANDOL_FANG, 0, &why) != 0)
		fail_msg("FandolFang refused: %s", why);
}

static void
test_reject_index(void **state)
{
	(void)state;
	expect_reject_face(LIBSERIF, 3, LIBSERIF ":3",
	    "face index 3 out of range");
}

/* ---- measuring and coverage ----------------------------------------- */

static void
test_measure(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	const struct lay_measure *m = rnd_measure(r);
	double one = m->width(m->arg, ROLE_BODY, 16, "中", 3);
	double two = m->width(m->arg, ROLE_BODY, 16, "中文", 6);
	assert_true(one > 10 && one <= 16.5);
	assert_true(two == 2 * one);
	assert_true(m->width(m->arg, ROLE_BODY, 16, "", 0) == 0);
	/* mixed: digits from Liberation Serif (1024/2048 em) */
	double mix = m->width(m->arg, ROLE_BODY, 16, "中12", 5);
	assert_true(mix == one + 16.0);
	/* heading (WQY Zen Hei) is a separate face and size scales */
	double h = m->width(m->arg, ROLE_HEADING, 32, "中", 3);
	assert_true(h > 20 && h <= 33);
	/* repeated calls are served from the cache and agree */
	for (int i = 0; i < 1000; i++)
		assert_true(m->width(m->arg, ROLE_BODY, 16, "中文", 6) == two);
	rnd_free(r);
}

static void
test_check_text(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct diag_loc loc = { .file = "report.tmpl", .line = 3, .col = 5 };
	diag_text();
	assert_int_equal(rnd_check_text(r, ROLE_BODY, "中文 GDP 12.5% ǖǘǚǜ",
	    &loc), 0);
	assert_int_equal(rnd_check_text(r, ROLE_PAGENUM, "— 1 —", &loc), 0);
	assert_int_equal(diag_error_count(), 0);

	assert_int_equal(rnd_check_text(r, ROLE_BODY, "甲\xf0\xa0\x80\x80乙",
	    &loc), -1);
	assert_int_equal(diag_exit_code(), EXIT_FONT);
	const char *t = diag_text();
	assert_non_null(strstr(t, "report.tmpl:3:5"));
	assert_non_null(strstr(t, "U+20000"));

	/* U+0378 is unassigned */
	diag_reset();
	assert_int_equal(rnd_check_text(r, ROLE_BODY, "abc\xcd\xb8", &loc),
	    -1);
	t = diag_text();
	assert_non_null(strstr(t, "U+0378"));
	assert_non_null(strstr(t, "not in any font of role body (tried: "));
	assert_non_null(strstr(t, "Liberation Serif"));
	assert_non_null(strstr(t, "AR PL UMing CN"));

	diag_reset();
	assert_int_equal(rnd_check_text(r, ROLE_HEADING, "A\xe4" "BC", &loc),
	    -1);
	assert_non_null(strstr(diag_text(), "UTF-8"));
	rnd_free(r);
}

/* ---- writing -------------------------------------------------------- */

static char t_title[] = "二〇二五年工作总结";
static char t_h1[] = "一、主要指标完成情况";
static char t_p1[] = "全年完成产值12.5亿元，同比增长8.3%。拼音：lǖ lǘ lǚ lǜ";
static char t_p2[] = "（一）第二页的内容";
static char t_p3[] = "表格合计 1,234.56 万元";
static char t_py1[] = "宋体 ǖ ǘ ǚ ǜ 2025";
static char t_py2[] = "楷体 ǖ ǘ ǚ ǜ 2025";
static char t_pn1[] = "— 1 —";
static char t_pn2[] = "— 2 —";
static char m_1[] = "一、主要指标完成情况";
static char m_2[] = "（一）第二页的内容";

static struct style test_style(void)
{
	struct style st;
	memset(&st, 0, sizeof st);
	st.page_w = 595.276;
	st.page_h = 841.890;
	return st;
}

static struct lay_result
test_layout(struct lay_box *boxes, struct lay_mark *marks)
{
	struct lay_box b[] = {
		{ .page = 1, .kind = LAY_BOX_TEXT, .role = ROLE_TITLE,
		  .size = 22, .x = 150, .y = 716, .bold = 0.03,
		  .text = t_title },
		{ .page = 1, .kind = LAY_BOX_TEXT, .role = ROLE_HEADING,
		  .size = 16, .x = 111, .y = 658, .char_space = -0.207,
		  .text = t_h1 },
		{ .page = 1, .kind = LAY_BOX_TEXT, .role = ROLE_BODY,
		  .size = 16, .x = 79.37, .y = 629, .char_space = 0.5,
		  .text = t_p1 },
		{ .page = 1, .kind = LAY_BOX_RULE, .x = 79.37, .y = 600,
		  .x2 = 521.575, .y2 = 600, .line_width = 0.75 },
		{ .page = 1, .kind = LAY_BOX_TEXT, .role = ROLE_PAGENUM,
		  .size = 14, .x = 460, .y = 74.05, .text = t_pn1 },
		{ .page = 2, .kind = LAY_BOX_TEXT, .role = ROLE_SUBHEADING,
		  .size = 16, .x = 111, .y = 716, .text = t_p2 },
		{ .page = 2, .kind = LAY_BOX_TEXT, .role = ROLE_BODY,
		  .size = 12, .x = 79.37, .y = 680, .text = t_p3 },
		{ .page = 2, .kind = LAY_BOX_TEXT, .role = ROLE_PAGENUM,
		  .size = 14, .x = 93.37, .y = 74.05, .text = t_pn2 },
		/* uming and ukai draw pinyin with nested composite glyphs,
		 * which libharu 2.3.0 breaks unless pre-subset */
		{ .page = 2, .kind = LAY_BOX_TEXT, .role = ROLE_PAGENUM,
		  .size = 16, .x = 79.37, .y = 600, .text = t_py1 },
		{ .page = 2, .kind = LAY_BOX_TEXT, .role = ROLE_SUBHEADING,
		  .size = 16, .x = 79.37, .y = 560, .text = t_py2 },
	};
	struct lay_mark m[] = {
		{ .page = 1, .y = 674, .level = 1, .title = m_1 },
		{ .page = 2, .y = 732, .level = 2, .title = m_2 },
	};
	memcpy(boxes, b, sizeof b);
	memcpy(marks, m, sizeof m);
	struct lay_result lay = {
		.nboxes = sizeof b / sizeof b[0], .boxes = boxes,
		.nmarks = sizeof m / sizeof m[0], .marks = marks,
		.npages = 2
	};
	return lay;
}

/* Runs cmd, returns its stdout (malloc'd); *rc gets the exit status. */
static char *
run(const char *cmd, int *rc)
{
	FILE *fp = popen(cmd, "r");
	assert_non_null(fp);
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
		len += got;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	*rc = pclose(fp);
	return buf;
}

static char *
file_text(const char *path)
{
	size_t n;
	unsigned char *d = slurp(path, &n);
	char *s = malloc(n + 1);
	memcpy(s, d, n);
	s[n] = '\0';
	free(d);
	return s;
}

static void
test_write(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	struct style st = test_style();
	struct rnd_info info = {
		.title = "二〇二五年工作总结", .author = "某某局",
		.subject = "年度总结", .creator = "zongjie 0.1",
		.created = 1735689600   /* 2025-01-01T00:00:00Z */
	};
	char *pdf = tmppath("out.pdf");
	char *pdf2 = tmppath("out2.pdf");
	if (rnd_write(r, &lay, &st, &info, pdf) != 0)
		fail_msg("rnd_write: %s", diag_text());
	assert_int_equal(diag_error_count(), 0);
	assert_int_equal(rnd_write(r, &lay, &st, &info, pdf2), 0);

	/* byte-identical across runs */
	size_t n1, n2;
	unsigned char *d1 = slurp(pdf, &n1), *d2 = slurp(pdf2, &n2);
	assert_true(n1 > 1000 && n1 < 200000);
	assert_int_equal(n1, n2);
	assert_memory_equal(d1, d2, n1);
	free(d1);
	free(d2);

	/* pdffonts: every font embedded, subset, with a ToUnicode map */
	char cmd[1024];
	int rc;
	snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", pdf);
	char *out = run(cmd, &rc);
	assert_int_equal(rc, 0);
	int nfonts = 0;
	char *save = NULL;
	int lineno = 0;
	for (char *line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), lineno++) {
		if (lineno < 2)
			continue;       /* header and dashes */
		char *tok[32];
		int nt = 0;
		char *s2 = NULL;
		for (char *t = strtok_r(line, " ", &s2); t != NULL && nt < 32;
		    t = strtok_r(NULL, " ", &s2))
			tok[nt++] = t;
		assert_true(nt >= 7);
		/* ... emb sub uni object gen */
		if (strcmp(tok[nt - 5], "yes") != 0 ||
		    strcmp(tok[nt - 3], "yes") != 0)
			fail_msg("font %s: emb %s uni %s", tok[0],
			    tok[nt - 5], tok[nt - 3]);
		assert_string_equal(tok[nt - 4], "yes");
		nfonts++;
	}
	/* title, body (uming, shared with pagenum), heading, subheading,
	 * latin */
	assert_int_equal(nfonts, 5);
	free(out);

	/* pdftotext: no warnings, text extracted */
	char *err = tmppath("pdftotext.err");
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>'%s'", pdf,
	    err);
	out = run(cmd, &rc);
	assert_int_equal(rc, 0);
	char *errs = file_text(err);
	if (errs[0] != '\0')
		fail_msg("pdftotext warnings: %s", errs);
	free(errs);
	const char *want[] = {
		"二〇二五年工作总结", "一、主要指标完成情况",
		"全年完成产值12.5亿元，同比增长8.3%。拼音：lǖ lǘ lǚ lǜ",
		"（一）第二页的内容", "表格合计 1,234.56 万元", "— 1 —",
		"宋体 ǖ ǘ ǚ ǜ 2025", "楷体 ǖ ǘ ǚ ǜ 2025",
		"— 2 —"
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(out, want[i]) == NULL)
			fail_msg("'%s' not in pdftotext output:\n%s", want[i],
			    out);
	free(out);

	/* bookmarks and info, as qpdf sees them (if installed) */
	if (system("command -v qpdf >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof cmd, "qpdf --json '%s' 2>&1", pdf);
		out = run(cmd, &rc);
		assert_int_equal(rc, 0);
		assert_non_null(strstr(out, "一、主要指标完成情况"));
		assert_non_null(strstr(out, "（一）第二页的内容"));
		assert_non_null(strstr(out, "D:20250101000000Z"));
		free(out);
	}

	/* every glyph box has ink (tests/glyph-ink.sh) */
	if (access("tests/glyph-ink.sh", R_OK) == 0) {
		snprintf(cmd, sizeof cmd, "sh tests/glyph-ink.sh '%s' 2>&1",
		    pdf);
		out = run(cmd, &rc);
		if (rc != 0)
			fail_msg("glyph-ink.sh: %s", out);
		free(out);
	}

	/* ZJ_KEEP_PDF=file keeps a copy to look at */
	const char *keep = getenv("ZJ_KEEP_PDF");
	if (keep != NULL && *keep != '\0') {
		size_t n;
		unsigned char *d = slurp(pdf, &n);
		spit(keep, d, n);
		free(d);
	}
	unlink(pdf);
	unlink(pdf2);
	unlink(err);
	free(err);
	free(pdf);
	free(pdf2);
	rnd_free(r);
}

static void
test_write_missing_char(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	static char bad[] = "甲\xf0\xa0\x80\x80";
	boxes[2].text = bad;
	struct style st = test_style();
	char *pdf = tmppath("bad.pdf");
	diag_text();
	assert_int_equal(rnd_write(r, &lay, &st, NULL, pdf), -1);
	assert_int_equal(diag_exit_code(), EXIT_FONT);
	const char *t = diag_text();
	if (strstr(t, "U+20000") == NULL)
		fail_msg("message: %s", t);
	assert_int_equal(access(pdf, F_OK), -1);
	/* an unwritable path */
	diag_reset();
	boxes[2].text = t_p1;
	assert_int_equal(rnd_write(r, &lay, &st, NULL,
	    "/nonexistent/dir/x.pdf"), -1);
	assert_int_equal(diag_exit_code(), EXIT_OUTPUT);
	free(pdf);
	rnd_free(r);
}

/* Text drawn as PDF text: the text extracted from pdf, or fails. */
static char *
pdf_text(const char *pdf)
{
	char cmd[1024];
	int rc;
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", pdf);
	char *out = run(cmd, &rc);
	assert_int_equal(rc, 0);
	return out;
}

static void
test_write_long_text(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	struct style st = test_style();
	char *pdf = tmppath("long.pdf");
	/* a box of 23,000 characters (69,000 bytes: libharu's TextOut drew
	 * nothing over 65,535 bytes) is drawn in full */
	size_t n = 23000;
	char *big = malloc(3 * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(big + 3 * i, "中", 3);
	big[3 * n] = '\0';
	boxes[2].text = big;
	boxes[2].size = 0.02;   /* 460 pt: on the page, for pdftotext */
	boxes[2].char_space = 0;
	diag_text();
	if (rnd_write(r, &lay, &st, NULL, pdf) != 0)
		fail_msg("rnd_write: %s", diag_text());
	char *out = pdf_text(pdf);
	size_t found = 0;
	for (const char *p = out; (p = strstr(p, "中")) != NULL; p += 3)
		found++;
	if (found < n)
		fail_msg("%zu of %zu characters extracted", found, n);
	free(out);
	free(big);
	/* a box on a page that does not exist */
	diag_reset();
	boxes[2].text = t_p1;
	boxes[2].size = 16;
	boxes[2].page = 3;
	assert_int_equal(rnd_write(r, &lay, &st, NULL, pdf), -1);
	assert_int_equal(diag_exit_code(), EXIT_INTERNAL);
	diag_text();
	unlink(pdf);
	free(pdf);
	rnd_free(r);
}

/* The pages' content goes through a temporary file: when none can be
 * made, rnd_write fails with EXIT_OUTPUT naming the directory and
 * leaves no PDF. */
static void
test_write_no_tmpdir(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	struct style st = test_style();
	char *pdf = tmppath("no-tmpdir.pdf");
	const char *old = getenv("TMPDIR");
	char *keep = old != NULL ? strdup(old) : NULL;
	setenv("TMPDIR", "/nonexistent/zongjie-render", 1);
	assert_int_equal(rnd_write(r, &lay, &st, NULL, pdf), -1);
	if (keep != NULL)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	assert_int_equal(diag_exit_code(), EXIT_OUTPUT);
	assert_non_null(strstr(diag_text(), "/nonexistent/zongjie-render"));
	assert_int_equal(access(pdf, F_OK), -1);
	/* and with a writable one, the same call writes the PDF */
	diag_reset();
	assert_int_equal(rnd_write(r, &lay, &st, NULL, pdf), 0);
	assert_int_equal(access(pdf, F_OK), 0);
	unlink(pdf);
	free(pdf);
	rnd_free(r);
}

/* More pages than libharu's page tree root can hold in one array
 * (32,767): the document is written, every page in it, and each page
 * shows its own text. */
static void
test_write_many_pages(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	enum { NP = 33000 };
	struct lay_box *boxes = calloc(NP, sizeof(*boxes));
	char (*nums)[16] = calloc(NP, sizeof(*nums));
	assert_non_null(boxes);
	assert_non_null(nums);
	for (int p = 0; p < NP; p++) {
		snprintf(nums[p], sizeof nums[p], "%d", p + 1);
		boxes[p].page = p + 1;
		boxes[p].kind = LAY_BOX_TEXT;
		boxes[p].role = ROLE_PAGENUM;
		boxes[p].size = 14;
		boxes[p].x = 280;
		boxes[p].y = 74;
		boxes[p].text = nums[p];
	}
	struct lay_mark m = { .page = NP, .y = 700, .level = 1,
	    .title = m_1 };
	struct lay_result lay = { .nboxes = NP, .boxes = boxes, .nmarks = 1,
	    .marks = &m, .npages = NP };
	struct style st = test_style();
	char *pdf = tmppath("many.pdf");
	if (rnd_write(r, &lay, &st, NULL, pdf) != 0)
		fail_msg("rnd_write: %s", diag_text());
	char cmd[1024];
	int rc;
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", pdf);
	char *info = run(cmd, &rc);
	assert_int_equal(rc, 0);
	const char *pg = strstr(info, "Pages:");
	if (pg == NULL || strtol(pg + 6, NULL, 10) != NP)
		fail_msg("pdfinfo: %s", info);
	free(info);
	snprintf(cmd, sizeof cmd, "pdftotext -f 32999 -l 33000 '%s' - 2>&1",
	    pdf);
	char *out = run(cmd, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "32999"));
	assert_non_null(strstr(out, "33000"));
	free(out);
	snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", pdf);
	assert_int_equal(system(cmd), 0);
	unlink(pdf);
	free(pdf);
	free(boxes);
	free(nums);
	rnd_free(r);
}

/* Boxes in any page order draw the same pages as boxes in page order. */
static void
test_write_box_order(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	struct style st = test_style();
	char *a = tmppath("order-a.pdf"), *b = tmppath("order-b.pdf");
	assert_int_equal(rnd_write(r, &lay, &st, NULL, a), 0);
	/* reversed: page 2's boxes first */
	for (size_t i = 0; i < lay.nboxes / 2; i++) {
		struct lay_box t = boxes[i];
		boxes[i] = boxes[lay.nboxes - 1 - i];
		boxes[lay.nboxes - 1 - i] = t;
	}
	assert_int_equal(rnd_write(r, &lay, &st, NULL, b), 0);
	char *ta = pdf_text(a), *tb = pdf_text(b);
	assert_true(strstr(ta, "— 2 —") != NULL);
	/* the same text on each page, page 1 before page 2 */
	char *fa = strchr(ta, '\f'), *fb = strchr(tb, '\f');
	assert_non_null(fa);
	assert_non_null(fb);
	assert_true(strstr(ta, "— 1 —") < fa && strstr(tb, "— 1 —") < fb);
	assert_true(strstr(fa, "— 2 —") != NULL && strstr(fb, "— 2 —") != NULL);
	free(ta);
	free(tb);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	rnd_free(r);
}

/* -vv reports every embedded font: glyphs, time, embedded size and floor. */
static void
test_write_font_report(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	struct style st = test_style();
	char *pdf = tmppath("fonts.pdf");
	diag_text();
	diag_set_verbosity(2);
	int rc = rnd_write(r, &lay, &st, NULL, pdf);
	diag_set_verbosity(0);
	const char *t = diag_text();
	if (rc != 0)
		fail_msg("rnd_write: %s", t);
	int lines = 0;
	for (const char *p = t; (p = strstr(p, "debug: font ")) != NULL; p++) {
		lines++;
		const char *e = strchr(p, '\n');
		assert_non_null(e);
		char line[1024];
		size_t n = (size_t)(e - p) < sizeof line - 1 ?
		    (size_t)(e - p) : sizeof line - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		unsigned glyphs;
		double ms1, ms2;
		long emb, floor_;
		const char *q = strstr(line, ": ");
		assert_non_null(q);
		/* the face name may contain ": " only before "(... glyphs" */
		q = strstr(line, " glyphs, subset ");
		assert_non_null(q);
		while (q > line && q[-1] != ' ')
			q--;
		if (sscanf(q, "%u glyphs, subset %lf ms, load %lf ms, %ld "
		    "bytes", &glyphs, &ms1, &ms2, &emb) != 4)
			fail_msg("line: %s", line);
		const char *f = strstr(line, ", floor ");
		assert_non_null(f);
		assert_int_equal(sscanf(f, ", floor %ld", &floor_), 1);
		assert_true(glyphs >= 2 && emb > 0 && floor_ > 0);
		/* the embedded font is within 10% of the floor */
		if (emb > floor_ + floor_ / 10)
			fail_msg("over 10%% above the floor: %s", line);
	}
	assert_int_equal(lines, 5);
	unlink(pdf);
	free(pdf);
	rnd_free(r);
}

/* fnt_subset's gid[i] is the glyph the subset's own cmap gives cps[i]. */
static void
check_subset_gids(struct fnt_face *f, const uint32_t *cps, size_t n,
    const unsigned char **data_out, size_t *len_out, uint16_t *gid)
{
	void *data;
	size_t len;
	char *why = NULL;
	if (fnt_subset(f, cps, n, &data, &len, gid, &why) != 0)
		fail_msg("fnt_subset: %s", why);
	unsigned ng = sfnt_num_glyphs(data, len);
	assert_true(ng >= n);
	hb_blob_t *b = hb_blob_create(data, (unsigned)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *hf = hb_face_create(b, 0);
	hb_font_t *h = hb_font_create(hf);
	for (size_t i = 0; i < n; i++) {
		hb_codepoint_t g = 0;
		assert_true(hb_font_get_nominal_glyph(h, cps[i], &g));
		assert_int_equal(g, gid[i]);
		assert_true(gid[i] != 0 && gid[i] < ng);
	}
	hb_font_destroy(h);
	hb_face_destroy(hf);
	hb_blob_destroy(b);
	*data_out = data;
	*len_out = len;
}

static const uint32_t SUBSET_CPS[] = { '0', '7', 'A', 0x3001, 0x3002,
    0x4E00, 0x4E2D, 0x5DE5, 0x603B, 0x7ED3, 0x8D44, 0xFF0C };
#define NSUB (sizeof SUBSET_CPS / sizeof SUBSET_CPS[0])

/* A TrueType subset: hb-subset's output as is, gids from its cmap. */
static void
test_subset_truetype(void **state)
{
	(void)state;
	const char *const c[ROLE_COUNT] = { [ROLE_BODY] = UMING ":0",
	    [ROLE_TITLE] = UMING ":0", [ROLE_HEADING] = UMING ":0",
	    [ROLE_SUBHEADING] = UMING ":0", [ROLE_PAGENUM] = UMING ":0" };
	struct fnt_lib *lib = fnt_open(c, NULL, NULL);
	assert_non_null(lib);
	struct fnt_face *f = fnt_face_for(lib, ROLE_BODY, 0x4E2D);
	assert_non_null(f);
	const unsigned char *data;
	size_t len;
	uint16_t gid[NSUB];
	check_subset_gids(f, SUBSET_CPS, NSUB, &data, &len, gid);
	struct sfnt_metrics m;
	assert_int_equal(sfnt_metrics(data, len, &m), 0);
	assert_false(m.cff);
	assert_string_equal(m.psname, "UMingCN");
	assert_true(m.ascent > 500 && m.descent < 0);
	free((void *)data);
	fnt_close(lib);
}

/* A CID-keyed CFF subset (FandolFang, texlive-lang-chinese): the PDF
 * codes are the font's own CIDs, so the subset's charset must give each
 * character the CID the full font gives it. */
static void
test_subset_cff(void **state)
{
	(void)state;
	if (access(FANDOL_FANG, R_OK) != 0) {
		if (getenv("CI") != NULL && strcmp(getenv("CI"), "true") == 0)
			fail_msg("%s is missing (texlive-lang-chinese)",
			    FANDOL_FANG);
		skip();
	}
	const char *const c[ROLE_COUNT] = { [ROLE_BODY] = FANDOL_FANG,
	    [ROLE_TITLE] = FANDOL_FANG, [ROLE_HEADING] = FANDOL_FANG,
	    [ROLE_SUBHEADING] = FANDOL_FANG, [ROLE_PAGENUM] = FANDOL_FANG };
	struct fnt_lib *lib = fnt_open(c, NULL, NULL);
	if (lib == NULL)
		fail_msg("FandolFang refused: %s", diag_text());
	struct fnt_face *f = fnt_face_for(lib, ROLE_BODY, 0x4E2D);
	assert_non_null(f);
	const unsigned char *data;
	size_t len;
	uint16_t gid[NSUB];
	check_subset_gids(f, SUBSET_CPS, NSUB, &data, &len, gid);
	struct sfnt_metrics m;
	assert_int_equal(sfnt_metrics(data, len, &m), 0);
	assert_true(m.cff);
	assert_string_equal(m.psname, "FandolFang-Regular");
	size_t cl;
	const unsigned char *cff = sfnt_table(data, len, "CFF ", &cl);
	assert_non_null(cff);
	unsigned ng = sfnt_num_glyphs(data, len);
	uint16_t *cid = calloc(ng, sizeof *cid);
	assert_int_equal(sfnt_cff_cids(cff, cl, ng, cid), 1);
	/* the full font's CIDs */
	size_t flen;
	unsigned char *full = slurp(FANDOL_FANG, &flen);
	size_t fcl;
	const unsigned char *fcff = sfnt_table(full, flen, "CFF ", &fcl);
	unsigned fng = sfnt_num_glyphs(full, flen);
	uint16_t *fcid = calloc(fng, sizeof *fcid);
	assert_int_equal(sfnt_cff_cids(fcff, fcl, fng, fcid), 1);
	hb_blob_t *b = hb_blob_create((const char *)full, (unsigned)flen,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *hf = hb_face_create(b, 0);
	hb_font_t *h = hb_font_create(hf);
	for (size_t i = 0; i < NSUB; i++) {
		hb_codepoint_t g = 0;
		assert_true(hb_font_get_nominal_glyph(h, SUBSET_CPS[i], &g));
		assert_int_equal(cid[gid[i]], fcid[g]);
		assert_true(cid[gid[i]] != 0);
	}
	/* 、 is CID 97 in Adobe-GB1 (FandolFang's ROS) */
	assert_int_equal(cid[gid[3]], 97);
	hb_font_destroy(h);
	hb_face_destroy(hf);
	hb_blob_destroy(b);
	free(fcid);
	free(full);
	free(cid);
	free((void *)data);
	fnt_close(lib);
}

/* ---- hpdf_patch: the document's memory and its save ---------------- */

static void
hp_err(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	HPDF_STATUS *first = user_data;
	if (*first == HPDF_OK)
		*first = error_no;
}

/* Adds n pages, each with a little text (no font: a rectangle), through
 * hp_page_inherit when inherit is set. */
static void
hp_pages(HPDF_Doc pdf, int n, int inherit)
{
	for (int i = 0; i < n; i++) {
		HPDF_Page pg = HPDF_AddPage(pdf);
		assert_non_null(pg);
		if (inherit)
			assert_int_equal(hp_page_inherit(pg), HPDF_OK);
		assert_int_equal(HPDF_Page_Rectangle(pg, 10, 10 + i % 500, 50,
		    20), HPDF_OK);
		assert_int_equal(HPDF_Page_Stroke(pg), HPDF_OK);
	}
}

/* hp_save's sink: appends to a buffer; fails with ENOSPC past limit. */
struct hp_buf {
	unsigned char *p;
	size_t len, cap, limit;
	int calls;
};

static int
hp_buf_write(void *arg, const void *buf, size_t n)
{
	struct hp_buf *b = arg;
	b->calls++;
	if (b->len + n > b->limit) {
		errno = ENOSPC;
		return -1;
	}
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, buf, n);
	b->len += n;
	return 0;
}

/* 1 if s occurs in d[0..n). */
static int
has_bytes(const unsigned char *d, size_t n, const char *s)
{
	size_t l = strlen(s);
	for (size_t i = 0; i + l <= n; i++)
		if (memcmp(d + i, s, l) == 0)
			return 1;
	return 0;
}

/* A document of hp_new (pages per_node pages to a page tree node, 0:
 * libharu's one root) saved by hp_save, and the same document on
 * libharu's own heap saved by HPDF_SaveToFile: the same bytes.  With
 * inherit, the pages go through hp_page_inherit, so that hp_save counts
 * them from the nodes it saw (count_fast) instead of reading them. */
static void
hp_compare(int per_node, int inherit)
{
	HPDF_STATUS err = HPDF_OK;
	size_t blocks0 = big_file_blocks(), bytes0 = big_file_bytes();
	HPDF_Doc pdf = hp_new(hp_err, &err);
	assert_non_null(pdf);
	assert_null(hp_new(hp_err, &err));      /* this thread has one */
	if (per_node > 0)
		assert_int_equal(HPDF_SetPagesConfiguration(pdf,
		    (HPDF_UINT)per_node), HPDF_OK);
	hp_pages(pdf, 3000, inherit);
	/* 3,000 pages of ~2 KB each: in the files, not on the heap */
	assert_true(big_file_blocks() > blocks0);
	assert_true(big_file_bytes() - bytes0 >= (size_t)4 << 20);
	struct hp_buf b = { .limit = SIZE_MAX };
	assert_int_equal(hp_save(pdf, hp_buf_write, &b), HPDF_OK);
	assert_int_equal(err, HPDF_OK);
	assert_true(b.calls > 3000);
	hp_free(pdf);
	assert_int_equal(big_file_blocks(), blocks0);
	assert_int_equal(big_file_bytes(), bytes0);

	HPDF_Doc ref = HPDF_New(NULL, NULL);
	assert_non_null(ref);
	if (per_node > 0)
		assert_int_equal(HPDF_SetPagesConfiguration(ref,
		    (HPDF_UINT)per_node), HPDF_OK);
	hp_pages(ref, 3000, inherit);
	char *path = tmppath("hp-ref.pdf");
	assert_int_equal(HPDF_SaveToFile(ref, path), HPDF_OK);
	HPDF_Free(ref);
	size_t n;
	unsigned char *d = slurp(path, &n);
	assert_int_equal(b.len, n);
	assert_memory_equal(b.p, d, n);
	/* the page counts hp_save sets (root, and nodes of per_node) */
	assert_true(has_bytes(d, n, "/Count 3000"));
	if (per_node == 1000)
		assert_true(has_bytes(d, n, "/Count 1000"));
	free(d);
	unlink(path);
	free(path);
	free(b.p);
}

/* A document of hp_new keeps its objects in big blocks (files), which
 * hp_free releases; one per thread at a time; hp_save writes exactly
 * the bytes HPDF_SaveToFile writes, and a failed write fails the save
 * with HPDF_FILE_IO_ERROR. */
static void
test_hp_doc(void **state)
{
	(void)state;
	diag_reset();
	size_t blocks0 = big_file_blocks();
	hp_compare(0, 0);
	hp_compare(1000, 0);
	hp_compare(0, 1);
	hp_compare(1000, 1);
	hp_compare(7, 1);

	/* a write that fails stops the save */
	HPDF_STATUS err = HPDF_OK;
	HPDF_Doc pdf = hp_new(hp_err, &err);
	assert_non_null(pdf);               /* the thread's heap is free */
	hp_pages(pdf, 10, 1);
	struct hp_buf f = { .limit = 500 };
	assert_int_equal(hp_save(pdf, hp_buf_write, &f),
	    HPDF_FILE_IO_ERROR);
	assert_int_equal(err, HPDF_FILE_IO_ERROR);
	assert_true(f.len <= 500);
	free(f.p);
	hp_free(pdf);
	assert_int_equal(big_file_blocks(), blocks0);
}

/* The output cannot be written (a directory in its place): EXIT_OUTPUT,
 * naming it. */
static void
test_write_unwritable(void **state)
{
	(void)state;
	diag_reset();
	struct rnd *r = rnd_create(DEFAULTS, NULL, NULL);
	assert_non_null(r);
	struct lay_box boxes[16];
	struct lay_mark marks[4];
	struct lay_result lay = test_layout(boxes, marks);
	struct style st = test_style();
	char *dir = tmppath("unwritable.pdf");
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(rnd_write(r, &lay, &st, NULL, dir), -1);
	assert_int_equal(diag_exit_code(), EXIT_OUTPUT);
	assert_non_null(strstr(diag_text(), "unwritable.pdf"));
	struct stat sb;
	assert_int_equal(stat(dir, &sb), 0);    /* left alone */
	assert_true(S_ISDIR(sb.st_mode));
	rmdir(dir);
	free(dir);
	rnd_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_family),
		cmocka_unit_test(test_resolve_path),
		cmocka_unit_test(test_resolve_fandol_noto),
		cmocka_unit_test(test_missing_family),
		cmocka_unit_test(test_no_latin_ok),
		cmocka_unit_test(test_reject_upem),
		cmocka_unit_test(test_reject_hmetrics),
		cmocka_unit_test(test_reject_fstype),
		cmocka_unit_test(test_reject_truncated),
		cmocka_unit_test(test_reject_garbage),
		cmocka_unit_test(test_reject_noglyphs),
		cmocka_unit_test(test_reject_cff),
		cmocka_unit_test(test_reject_index),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_missing_char),
		cmocka_unit_test(test_write_long_text),
		cmocka_unit_test(test_write_box_order),
		cmocka_unit_test(test_write_no_tmpdir),
		cmocka_unit_test(test_write_many_pages),
		cmocka_unit_test(test_write_unwritable),
		cmocka_unit_test(test_hp_doc),
		cmocka_unit_test(test_write_font_report),
		cmocka_unit_test(test_subset_truetype),
		cmocka_unit_test(test_subset_cff),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
