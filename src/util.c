/* Small shared helpers (see util.h). */
#include "util.h"
#include "diag.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static void
oom(void)
{
	diag_error(EXIT_INTERNAL, NULL, "out of memory");
	exit(EXIT_INTERNAL);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	int n;

	sb_init(&sb);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	sb.s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(sb.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return sb.s;
}

void
sb_init(struct strbuf *sb)
{
	sb->s = NULL;
	sb->len = sb->cap = 0;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb_init(sb);
}

void
sb_clear(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->s != NULL)
		sb->s[0] = '\0';
}

static void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->s = xrealloc(sb->s, sb->cap);
}

void
sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void
sb_addcp(struct strbuf *sb, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_addn(sb, b, n);
}

void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *
sb_str(const struct strbuf *sb)
{
	return sb->s != NULL ? sb->s : "";
}

char *
sb_detach(struct strbuf *sb)
{
	char *s = sb->s != NULL ? sb->s : xstrdup("");

	sb_init(sb);
	return s;
}

size_t
utf8_decode_any(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len, i;

	*cp = 0xFFFD;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		c = s[0] & 0x1F;
		len = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		c = s[0] & 0x0F;
		len = 3;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		c = s[0] & 0x07;
		len = 4;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t
utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			return i;
		i += k;
	}
	return (size_t)-1;
}

size_t
utf8_count(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

size_t
utf8_clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Exact powers of ten (all below 2^53, so exactly representable). */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15
};

/* The common short decimal without strtod: reads [+-]?D*[.D*] (D a digit
 * 0-9) from p on, as far as it goes.  When that has 1 to 15 digits in all
 * it stores in *out exactly what strtod returns for it and returns the
 * end of what it read: the digits make an integer m < 10^15 and the
 * fraction k <= 15 digits, both exact doubles, and m / 10^k is one
 * correctly rounded division, as strtod's result is correctly rounded
 * ("-0" gives -0.0 like strtod).  Otherwise returns NULL, *out untouched.
 * The caller checks what follows (the general path takes the rest). */
static inline const char *
decimal_scan(const char *p, double *out)
{
	int neg = 0, digits = 0, frac = -1;
	uint64_t m = 0;

	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	for (;; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';
		if (d <= 9) {
			if (++digits > 15)
				return NULL;
			m = m * 10 + d;
			if (frac >= 0)
				frac++;
		} else if (*p == '.' && frac < 0)
			frac = 0;
		else
			break;
	}
	if (digits == 0)
		return NULL;
	double v = (double)m;
	if (frac > 0)
		v /= pow10_exact[frac];
	*out = neg ? -v : v;
	return p;
}

int
parse_double(const char *s, double *out)
{
	char buf[128], *end, *p;
	const char *b, *e;
	size_t n;
	double v = 0;

	b = s;
	while (*b == ' ' || *b == '\t')
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - b);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	/* b[0..n) ends before a space, a tab or the end */
	if (decimal_scan(b, &v) == e) {
		*out = v;
		return 0;
	}
	/* Only plain decimal notation: no hex, inf, nan, locale commas. */
	for (p = (char *)b; p < e; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-' &&
		    *p != '+' && *p != 'e' && *p != 'E')
			return -1;
	memcpy(buf, b, n);
	buf[n] = '\0';
	/* strtod honours LC_NUMERIC; we never call setlocale(LC_NUMERIC),
	 * so the decimal point is '.'.  Guard anyway. */
	errno = 0;
	v = strtod(buf, &end);
	if (end == buf || *end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
parse_figure(const char *s, double *out, int *pct)
{
	char buf[128];
	const char *b, *e, *p;
	size_t n = 0;
	int digits_since_comma = -1, seen_point = 0, is_pct = 0;

	b = s;
	while (*b == ' ' || *b == '\t')
		b++;
	/* The common cell: a short plain decimal, maybe with a % right
	 * after it, then the end (the general path below would accept it
	 * and give the same value). */
	double v = 0;
	e = decimal_scan(b, &v);
	if (e != NULL && (e[0] == '\0' ||
	    (e[0] == '%' && e[1] == '\0' && pct != NULL))) {
		*out = v;
		if (pct != NULL)
			*pct = e[0] == '%';
		return 0;
	}
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e > b && e[-1] == '%') {
		if (pct == NULL)
			return -1;
		is_pct = 1;
		e--;
	}
	if (e == b)
		return -1;
	for (p = b; p < e; p++) {
		/* A byte parse_double refuses anyway: no need to go on (a
		 * text cell asked whether it is a figure). */
		if ((unsigned char)*p >= 0x80)
			return -1;
		if (*p == ',') {
			if (seen_point || n == 0 || digits_since_comma == 0 ||
			    (digits_since_comma > 0 && digits_since_comma != 3))
				return -1;
			if (digits_since_comma < 0 &&
			    (n > 4 || (n == 4 && buf[0] != '-' && buf[0] != '+')))
				return -1;
			digits_since_comma = 0;
			continue;
		}
		if (n + 1 >= sizeof(buf))
			return -1;
		if (*p == '.') {
			if (digits_since_comma >= 0 && digits_since_comma != 3)
				return -1;
			seen_point = 1;
			digits_since_comma = -1;
		} else if (isdigit((unsigned char)*p) && digits_since_comma >= 0)
			digits_since_comma++;
		buf[n++] = *p;
	}
	if (digits_since_comma >= 0 && digits_since_comma != 3)
		return -1;
	buf[n] = '\0';
	if (parse_double(buf, out) != 0)
		return -1;
	if (pct != NULL)
		*pct = is_pct;
	return 0;
}

char *
str_trim(char *s)
{
	char *b = s, *e;

	while (*b != '\0' && isspace((unsigned char)*b))
		b++;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	memmove(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return s;
}

char **
str_split(const char *s, char sep, size_t *n)
{
	char **v = NULL;
	size_t cnt = 0;
	const char *p = s, *q;

	for (;;) {
		q = strchr(p, sep);
		if (q == NULL)
			q = p + strlen(p);
		v = xreallocarray(v, cnt + 2, sizeof(*v));
		v[cnt] = str_trim(xstrndup(p, (size_t)(q - p)));
		cnt++;
		if (*q == '\0')
			break;
		p = q + 1;
	}
	v[cnt] = NULL;
	if (n != NULL)
		*n = cnt;
	return v;
}

void
strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Decodes s into a new array of code points; *n gets the count. */
static uint32_t *
utf8_points(const char *s, size_t *n)
{
	size_t len = strlen(s), i = 0, k;
	uint32_t *v = xcalloc(len + 1, sizeof(*v));

	*n = 0;
	while (i < len) {
		k = utf8_decode(s + i, len - i, &v[*n]);
		i += k > 0 ? k : 1;
		(*n)++;
	}
	return v;
}

size_t
utf8_distance(const char *a, const char *b)
{
	size_t na, nb, i, j, d, w;
	uint32_t *pa = utf8_points(a, &na), *pb = utf8_points(b, &nb);
	size_t *m;

	/* Optimal string alignment: a swap of two neighbours is one step. */
	w = nb + 1;
	m = xcalloc((na + 1) * w, sizeof(*m));
	for (i = 0; i <= na; i++)
		m[i * w] = i;
	for (j = 0; j <= nb; j++)
		m[j] = j;
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			d = m[(i - 1) * w + j - 1] + (pa[i - 1] != pb[j - 1]);
			if (m[(i - 1) * w + j] + 1 < d)
				d = m[(i - 1) * w + j] + 1;
			if (m[i * w + j - 1] + 1 < d)
				d = m[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && pa[i - 1] == pb[j - 2] &&
			    pa[i - 2] == pb[j - 1] &&
			    m[(i - 2) * w + j - 2] + 1 < d)
				d = m[(i - 2) * w + j - 2] + 1;
			m[i * w + j] = d;
		}
	d = m[na * w + nb];
	free(m);
	free(pa);
	free(pb);
	return d;
}

const char *
utf8_nearest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t i, d, bd = (size_t)-1, ln = utf8_count(name, strlen(name)), lc,
	    lim;

	for (i = 0; i < n; i++) {
		if (cands[i] == NULL)
			continue;
		if (!strcmp(cands[i], name))
			return NULL;
		d = utf8_distance(name, cands[i]);
		lc = utf8_count(cands[i], strlen(cands[i]));
		lim = (ln > lc ? ln : lc) / 3;
		if (lim < 1)
			lim = 1;
		if (d <= lim && d < ln && d < lc && d < bd) {
			bd = d;
			best = cands[i];
		}
	}
	return best;
}

int
gb18030_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
		} else if (p[i] == 0x80 || p[i] == 0xFF || i + 1 >= n) {
			return 0;
		} else if (p[i + 1] >= 0x30 && p[i + 1] <= 0x39) {
			if (i + 3 >= n || p[i + 2] < 0x81 || p[i + 2] > 0xFE ||
			    p[i + 3] < 0x30 || p[i + 3] > 0x39)
				return 0;
			i += 4;
		} else if ((p[i + 1] >= 0x40 && p[i + 1] <= 0x7E) ||
		    (p[i + 1] >= 0x80 && p[i + 1] <= 0xFE)) {
			i += 2;
		} else
			return 0;
	}
	return 1;
}

void *
dl_load(const char *lib, const struct dl_fn *fn, size_t n, void *api,
    const char **why, int *missing)
{
	void *dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);

	*missing = 0;
	if (dl == NULL) {
		*why = dlerror();
		if (*why == NULL)
			*why = "unknown error";
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(dl, fn[i].name);
		if (p == NULL) {
			*why = fn[i].name;
			*missing = 1;
			dlclose(dl);
			return NULL;
		}
		/* POSIX: a data pointer from dlsym converts to the function
		 * pointer it names */
		memcpy((char *)api + fn[i].off, &p, sizeof p);
	}
	return dl;
}

const char *
tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && *dir != '\0' ? dir : "/tmp";
}

int
tmp_unlinked(const char *tag)
{
	char *path = xasprintf("%s/zongjie-%s-XXXXXX", tmp_dir(), tag);
	int fd = mkstemp(path), err = errno;

	if (fd >= 0) {
		(void)unlink(path);
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	free(path);
	errno = err;
	return fd;
}
