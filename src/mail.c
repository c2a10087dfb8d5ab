/* Mail: the finished PDF over SMTP with libcurl (see mail.h).
 *
 * The message is built with curl's MIME API: a multipart/mixed root whose
 * top-level headers (Date, From, To, Cc, Subject, Message-ID, MIME-Version)
 * are written here, a text/plain; charset=UTF-8 part (quoted-printable)
 * and an application/pdf part (base64) streamed from the file.  Every
 * header written here is folded so that no line exceeds 76 characters:
 * non-ASCII text becomes RFC 2047 encoded-words (base64, UTF-8, never
 * splitting a character), the attachment name an RFC 2231 parameter
 * (split into numbered sections at character boundaries).
 *
 * Everything that can be checked without the network (addresses, the
 * password file, the PDF) is checked before connecting.  Server errors
 * are reported with the URL and the server's own reply line, captured
 * through the debug callback; the URL is printed without any user:password
 * part. */
#include "mail.h"
#include "config.h"
#include "diag.h"
#include "util.h"

#include <curl/curl.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HDR_WIDTH 76            /* longest header line we write */
#define PASSWORD_MAX 4096       /* a password file is one short line */
#define NREPLIES 8              /* error replies remembered per transfer */
#define REPLY_MAX 300           /* characters kept of each */

/* One parsed address: "名字 <a@b>" → name "名字", spec "a@b". */
struct addr {
	char *name;             /* display name, unquoted; NULL if none */
	char *spec;             /* addr-spec */
};

struct addrlist {
	struct addr *v;
	size_t n;
};

static void
addrlist_free(struct addrlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].spec);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- address parsing ---------------------------------------------- */

/* Returns 1 if spec is an addr-spec we can put in MAIL FROM / RCPT TO:
 * printable ASCII without space or the specials that would break the
 * envelope, with one '@' that is neither first nor last. */
static int
valid_spec(const char *spec)
{
	const char *at = strchr(spec, '@');
	const unsigned char *p;

	if (at == NULL || at == spec || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (p = (const unsigned char *)spec; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[],;:\\\"", *p))
			return 0;
	return 1;
}

/* Parses one trimmed list item into a: "a@b", "<a@b>", "名字 <a@b>" or
 * "\"Name, Inc.\" <a@b>".  Returns 0, or -1 after reporting with the
 * [mail] key. */
static int
parse_addr(const char *item, const char *key, struct addr *a)
{
	struct diag_loc loc = { NULL, 0, 0, "mail", key };
	const char *lt = strrchr(item, '<');
	size_t n = strlen(item);
	char *name = NULL;

	a->name = NULL;
	a->spec = NULL;
	if (lt != NULL) {
		if (n == 0 || item[n - 1] != '>') {
			diag_error(EXIT_MAIL, &loc, "\"%s\": an address "
			    "written with <...> must end with >", item);
			return -1;
		}
		a->spec = xstrndup(lt + 1, (size_t)(item + n - 1 - (lt + 1)));
		name = str_trim(xstrndup(item, (size_t)(lt - item)));
		n = strlen(name);
		if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
			/* Unquote, undoing backslash escapes. */
			char *s = name + 1, *d = name;
			name[n - 1] = '\0';
			for (; *s != '\0'; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				*d++ = *s;
			}
			*d = '\0';
		}
		if (*name != '\0')
			a->name = name;
		else
			free(name);
	} else
		a->spec = xstrdup(item);
	str_trim(a->spec);
	if (!valid_spec(a->spec)) {
		diag_error(EXIT_MAIL, &loc, "\"%s\" is not a mail address "
		    "(expected a@b.c or 名字 <a@b.c>)", item);
		free(a->name);
		free(a->spec);
		a->name = a->spec = NULL;
		return -1;
	}
	return 0;
}

/* Appends the addresses of a comma-separated list to l (commas inside
 * "..." or <...> do not split).  Empty items are skipped.  Returns the
 * number of errors reported. */
static int
parse_addrlist(const char *list, const char *key, struct addrlist *l)
{
	const char *p, *start;
	int quote = 0, angle = 0, errors = 0;

	if (list == NULL)
		return 0;
	for (p = start = list;; p++) {
		if (*p == '\\' && quote && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '"')
			quote = !quote;
		else if (*p == '<' && !quote)
			angle = 1;
		else if (*p == '>' && !quote)
			angle = 0;
		if (*p == '\0' || (*p == ',' && !quote && !angle)) {
			char *item = str_trim(xstrndup(start, (size_t)(p - start)));
			if (*item != '\0') {
				struct addr a;
				if (parse_addr(item, key, &a) == 0) {
					l->v = xreallocarray(l->v, l->n + 1,
					    sizeof(*l->v));
					l->v[l->n++] = a;
				} else
					errors++;
			}
			free(item);
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	return errors;
}

/* ---- header folding ------------------------------------------------ */

/* A header being written: the text so far and the length of its last
 * line, so tokens can be folded (CRLF SP) before the line gets too long. */
struct hdr {
	struct strbuf sb;
	size_t col;             /* characters on the current line */
	size_t width;           /* fold before exceeding this */
	int glue;               /* next token follows without a space */
};

static void
hdr_begin(struct hdr *h, const char *text)
{
	sb_init(&h->sb);
	sb_adds(&h->sb, text);
	h->col = strlen(text);
	h->width = HDR_WIDTH;
	h->glue = 0;
}

/* Starts a new continuation line (the fold's space is the separator). */
static void
hdr_fold(struct hdr *h)
{
	sb_adds(&h->sb, "\r\n ");
	h->col = 1;
	h->glue = 1;
}

/* Adds one token, preceded by a space, folding first if the token would
 * not fit and the line holds more than the fold itself. */
static void
hdr_token(struct hdr *h, const char *tok, size_t n)
{
	size_t sep = h->glue ? 0 : 1;

	if (h->col + sep + n > h->width && h->col > 1 && !h->glue) {
		hdr_fold(h);
		sep = 0;
	}
	if (sep)
		sb_addc(&h->sb, ' ');
	sb_addn(&h->sb, tok, n);
	h->col += sep + n;
	h->glue = 0;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
sb_base64(struct strbuf *sb, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
		sb_addc(sb, b64chars[v >> 18 & 63]);
		sb_addc(sb, b64chars[v >> 12 & 63]);
		sb_addc(sb, b64chars[v >> 6 & 63]);
		sb_addc(sb, b64chars[v & 63]);
	}
	if (i < n) {
		unsigned v = (unsigned)s[i] << 16 |
		    (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
		sb_addc(sb, b64chars[v >> 18 & 63]);
		sb_addc(sb, b64chars[v >> 12 & 63]);
		sb_addc(sb, i + 1 < n ? b64chars[v >> 6 & 63] : '=');
		sb_addc(sb, '=');
	}
}

/* Length in bytes of the character at s (1 for an invalid byte). */
static size_t
char_len(const char *s, size_t n)
{
	uint32_t cp;
	size_t k = utf8_decode(s, n, &cp);

	return k == 0 ? 1 : k;
}

/* Adds text as RFC 2047 encoded-words "=?UTF-8?B?...?=", each as large
 * as the current line allows, never splitting a character, folding
 * between words (white space between encoded-words is not part of the
 * text). */
static void
hdr_encoded(struct hdr *h, const char *text)
{
	size_t len = strlen(text);
	struct strbuf w;

	sb_init(&w);
	while (len > 0) {
		size_t sep = h->glue ? 0 : 1;
		size_t room = h->width > h->col + sep ? h->width - h->col - sep : 0;
		size_t maxb = room >= 16 ? (room - 12) / 4 * 3 : 0;
		size_t take = 0, k;

		while (take < len &&
		    take + (k = char_len(text + take, len - take)) <= maxb)
			take += k;
		if (take == 0) {
			if (h->col > 1 || !h->glue) {
				hdr_fold(h);
				continue;
			}
			take = char_len(text, len);     /* cannot happen at 76 */
		}
		sb_clear(&w);
		sb_adds(&w, "=?UTF-8?B?");
		sb_base64(&w, (const unsigned char *)text, take);
		sb_adds(&w, "?=");
		hdr_token(h, w.s, w.len);
		text += take;
		len -= take;
	}
	sb_free(&w);
}

/* Returns 1 if s is printable ASCII (and not an encoded-word lookalike),
 * so it can go into a header as it is. */
static int
plain_ascii(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* Adds unstructured text (Subject): printable ASCII as words folded at
 * its spaces when no word is too long, else encoded-words. */
static void
hdr_text(struct hdr *h, const char *text)
{
	const char *p, *sp;

	if (!plain_ascii(text) || *text == ' ' || *text == '\0')
		goto encode;
	for (p = text; *p != '\0'; p = *sp ? sp + 1 : sp) {
		sp = strchr(p, ' ');
		if (sp == NULL)
			sp = p + strlen(p);
		if ((size_t)(sp - p) > HDR_WIDTH - 2)
			goto encode;
	}
	for (p = text; ; p = sp + 1) {
		sp = strchr(p, ' ');
		if (sp == NULL)
			sp = p + strlen(p);
		if (sp == p) {
			/* A run of spaces: keep it, never fold there. */
			sb_addc(&h->sb, ' ');
			h->col++;
		} else
			hdr_token(h, p, (size_t)(sp - p));
		if (*sp == '\0')
			break;
	}
	return;
encode:
	if (*text == '\0')
		return;
	hdr_encoded(h, text);
}

/* Adds an address list (From, To, Cc) as "name <spec>, ...". */
static void
hdr_addrs(struct hdr *h, const struct addrlist *l)
{
	struct strbuf t;
	size_t i;
	const char *p;

	sb_init(&t);
	for (i = 0; i < l->n; i++) {
		const struct addr *a = &l->v[i];
		const char *comma = i + 1 < l->n ? "," : "";

		sb_clear(&t);
		if (a->name == NULL) {
			sb_printf(&t, "%s%s", a->spec, comma);
			hdr_token(h, t.s, t.len);
			continue;
		}
		if (plain_ascii(a->name)) {
			sb_addc(&t, '"');
			for (p = a->name; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					sb_addc(&t, '\\');
				sb_addc(&t, *p);
			}
			sb_addc(&t, '"');
			hdr_token(h, t.s, t.len);
		} else if (strlen(a->name) <= 45) {
			/* One encoded-word (72 columns at most): readers such
			 * as Python's email package keep a space between two
			 * words of a phrase, so split only names that must. */
			sb_adds(&t, "=?UTF-8?B?");
			sb_base64(&t, (const unsigned char *)a->name,
			    strlen(a->name));
			sb_adds(&t, "?=");
			hdr_token(h, t.s, t.len);
		} else
			hdr_encoded(h, a->name);
		sb_clear(&t);
		sb_printf(&t, "<%s>%s", a->spec, comma);
		hdr_token(h, t.s, t.len);
	}
	sb_free(&t);
}

/* Returns 1 for an RFC 2231 attribute-char (left as it is). */
static int
attr_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || (c != 0 && strchr("!#$&+-.^_`|~", c));
}

/* Returns the Content-Disposition header for the attachment named name
 * (caller frees): filename="name" when that is short printable ASCII,
 * otherwise RFC 2231 filename*=UTF-8''%XX.., split into numbered
 * sections filename*0*=, filename*1*= .. at character boundaries so each
 * line fits (each section is decoded on its own by some readers). */
static char *
disposition_header(const char *name)
{
	struct strbuf sb, enc, sec;
	size_t len = strlen(name), i, nsec = 0;
	const char *p;
	char **secs = NULL;

	sb_init(&sb);
	sb_adds(&sb, "Content-Disposition: attachment;");
	if (plain_ascii(name) && len + 13 <= HDR_WIDTH) {
		sb_adds(&sb, "\r\n filename=\"");
		for (p = name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				sb_addc(&sb, '\\');
			sb_addc(&sb, *p);
		}
		sb_addc(&sb, '"');
		return sb_detach(&sb);
	}

	/* Percent-encode character by character, cutting sections so that
	 * " filename*NN*=" + (UTF-8'' on the first) + text + ";" fits. */
	sb_init(&enc);
	sb_init(&sec);
	for (i = 0; i < len;) {
		size_t k = char_len(name + i, len - i), j;
		size_t limit = HDR_WIDTH - 16 - (nsec == 0 ? 7 : 0);

		sb_clear(&enc);
		for (j = 0; j < k; j++) {
			unsigned char c = (unsigned char)name[i + j];
			if (attr_char(c))
				sb_addc(&enc, (char)c);
			else
				sb_printf(&enc, "%%%02X", c);
		}
		if (sec.len > 0 && sec.len + enc.len > limit) {
			secs = xreallocarray(secs, nsec + 1, sizeof(*secs));
			secs[nsec++] = sb_detach(&sec);
			continue;       /* same character, next section */
		}
		sb_addn(&sec, enc.s, enc.len);
		i += k;
	}
	if (sec.len > 0 || nsec == 0) {
		secs = xreallocarray(secs, nsec + 1, sizeof(*secs));
		secs[nsec++] = sb_detach(&sec);
	}
	for (i = 0; i < nsec; i++) {
		if (nsec == 1)
			sb_printf(&sb, "\r\n filename*=UTF-8''%s", secs[i]);
		else
			sb_printf(&sb, "\r\n filename*%zu*=%s%s%s", i,
			    i == 0 ? "UTF-8''" : "", secs[i],
			    i + 1 < nsec ? ";" : "");
		free(secs[i]);
	}
	free(secs);
	sb_free(&enc);
	sb_free(&sec);
	return sb_detach(&sb);
}

/* Returns the attachment's Content-Type value (caller frees):
 * application/pdf, with a name="..." parameter for readers that ignore
 * RFC 2231 (RFC 2047 words inside the quotes, as common mailers write
 * it; readers that know RFC 2231 use the Content-Disposition). */
static char *
attachment_type(const char *name)
{
	struct hdr h;

	hdr_begin(&h, "Content-Type: application/pdf;");
	if (plain_ascii(name) && strlen(name) + 9 <= HDR_WIDTH) {
		const char *p;
		sb_adds(&h.sb, "\r\n name=\"");
		for (p = name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				sb_addc(&h.sb, '\\');
			sb_addc(&h.sb, *p);
		}
		sb_addc(&h.sb, '"');
	} else {
		sb_adds(&h.sb, "\r\n name=\"");
		h.col = 7;
		h.glue = 1;
		h.width = HDR_WIDTH - 1;        /* room for the closing quote */
		hdr_encoded(&h, name);
		sb_addc(&h.sb, '"');
	}
	/* curl writes "Content-Type: " itself: return only the value. */
	{
		char *all = sb_detach(&h.sb);
		char *value = xstrdup(all + strlen("Content-Type: "));
		free(all);
		return value;
	}
}

/* ---- other headers ------------------------------------------------- */

/* Returns "Date: Tue, 1 Feb 2022 08:00:03 +0800" for now (caller frees);
 * names are written out so the locale cannot change them. */
static char *
date_header(void)
{
	static const char *const wday[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	time_t now = time(NULL);
	struct tm tm;
	long off;

	if (localtime_r(&now, &tm) == NULL) {
		gmtime_r(&now, &tm);
		tm.tm_gmtoff = 0;
	}
	off = tm.tm_gmtoff / 60;
	return xasprintf("Date: %s, %d %s %04d %02d:%02d:%02d %c%02ld%02ld",
	    wday[tm.tm_wday % 7], tm.tm_mday, mon[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* Returns "Message-ID: <time.pid.random@domain>" (caller frees), with
 * the domain of the sender's address. */
static char *
message_id_header(const char *from_spec)
{
	const char *dom = strchr(from_spec, '@');
	unsigned char rnd[8] = { 0 };
	char hex[17];
	int fd, i;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		if (read(fd, rnd, sizeof(rnd)) != (ssize_t)sizeof(rnd))
			memset(rnd, 0, sizeof(rnd));
		close(fd);
	}
	for (i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return xasprintf("Message-ID: <%lld.%ld.%s@%s>", (long long)time(NULL),
	    (long)getpid(), hex, dom != NULL ? dom + 1 : "zongjie.invalid");
}

/* Returns body with every lone LF turned into CRLF (caller frees), the
 * canonical form quoted-printable encodes line breaks from. */
static char *
crlf_text(const char *body)
{
	struct strbuf sb;
	const char *p;

	sb_init(&sb);
	sb_adds(&sb, "");
	for (p = body; *p != '\0'; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			sb_addc(&sb, '\r');
		sb_addc(&sb, *p);
	}
	return sb_detach(&sb);
}

/* ---- password file ------------------------------------------------- */

/* Reads the password from path: one line, one trailing newline (LF or
 * CRLF) stripped.  Refuses a file that is not regular or whose mode gives
 * group or others any permission.  Returns the password (caller wipes
 * with explicit_bzero and frees), or NULL after reporting with the path. */
static char *
read_password(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	struct stat st;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		diag_error(EXIT_MAIL, &loc, "cannot open password file: %s",
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		diag_error(EXIT_MAIL, &loc, "cannot stat password file: %s",
		    strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(EXIT_MAIL, &loc, "password file is not a regular "
		    "file");
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		diag_error(EXIT_MAIL, &loc, "password file is accessible by "
		    "group or others (mode %04o); not sending. Fix it with: "
		    "chmod 600 %s", (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	buf = xmalloc(PASSWORD_MAX + 1);
	while (len < PASSWORD_MAX + 1 &&
	    (n = read(fd, buf + len, PASSWORD_MAX + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_error(EXIT_MAIL, &loc, "cannot read password "
			    "file: %s", strerror(errno));
			goto fail;
		}
		len += (size_t)n;
	}
	close(fd);
	fd = -1;
	if (len > PASSWORD_MAX) {
		diag_error(EXIT_MAIL, &loc, "password file is longer than %d "
		    "bytes; it must hold only the password", PASSWORD_MAX);
		goto fail;
	}
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	buf[len] = '\0';
	if (len == 0) {
		diag_error(EXIT_MAIL, &loc, "password file is empty");
		goto fail;
	}
	if (memchr(buf, '\n', len) || memchr(buf, '\r', len) ||
	    strlen(buf) != len) {
		diag_error(EXIT_MAIL, &loc, "password file must hold one line "
		    "(the password) and nothing else");
		goto fail;
	}
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	explicit_bzero(buf, PASSWORD_MAX + 1);
	free(buf);
	return NULL;
}

/* ---- the transfer -------------------------------------------------- */

/* Server replies of class 4 and 5 seen during the transfer (the debug
 * callback gets every reply line as CURLINFO_HEADER_IN). */
struct replies {
	char line[NREPLIES][REPLY_MAX + 1];
	int code[NREPLIES];
	int n;
};

static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct replies *r = arg;
	size_t i, k = 0;
	char *out;

	if (type != CURLINFO_HEADER_IN || r->n >= NREPLIES || size < 4)
		return 0;
	if ((data[0] != '4' && data[0] != '5') ||
	    data[1] < '0' || data[1] > '9' || data[2] < '0' || data[2] > '9')
		return 0;
	out = r->line[r->n];
	for (i = 0; i < size && k < REPLY_MAX; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\r' || c == '\n')
			break;
		out[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[k] = '\0';
	r->code[r->n++] = (data[0] - '0') * 100 + (data[1] - '0') * 10 +
	    (data[2] - '0');
	return 0;
}

/* Returns url without a user[:password]@ part (caller frees). */
static char *
safe_url(const char *url)
{
	const char *s = strstr(url, "://"), *at, *end;

	if (s == NULL)
		return xstrdup(url);
	s += 3;
	end = s + strcspn(s, "/?#");
	at = memchr(s, '@', (size_t)(end - s));
	if (at == NULL)
		return xstrdup(url);
	return xasprintf("%.*s%s", (int)(s - url), url, at + 1);
}

/* Reports a failed transfer: the server and what it answered, or why
 * there was no answer. */
static void
report_failure(const struct cfg_mail *m, CURL *c, CURLcode rc,
    const char *errbuf, const struct replies *r)
{
	char *url = safe_url(m->url);
	const char *why = *errbuf ? errbuf : curl_easy_strerror(rc);
	const char *said = NULL;
	long code = 0;
	int i;

	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* The reply that ended the transfer: the one with curl's response
	 * code if seen, else the first error reply. */
	for (i = r->n - 1; i >= 0 && said == NULL; i--)
		if (r->code[i] == code)
			said = r->line[i];
	if (said == NULL && r->n > 0) {
		said = r->line[0];
		code = r->code[0];
	}
	if (said != NULL) {
		const char *text = said + 3;
		while (*text == ' ' || *text == '-')
			text++;
		if (rc == CURLE_LOGIN_DENIED)
			diag_error(EXIT_MAIL, NULL, "%s: server answered %ld: "
			    "%s (authentication as \"%s\" failed; check [mail] "
			    "user and %s)", url, code, text,
			    m->user ? m->user : "", m->password_file ?
			    m->password_file : "the password file");
		else
			diag_error(EXIT_MAIL, NULL, "%s: server answered %ld: "
			    "%s (%s)", url, code, text, why);
	} else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
		diag_error(EXIT_MAIL, NULL, "%s: cannot connect to the mail "
		    "server: %s", url, why);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		diag_error(EXIT_MAIL, NULL, "%s: no answer within [mail] "
		    "timeout = %ld s: %s", url, m->timeout, why);
	else if (rc == CURLE_USE_SSL_FAILED)
		diag_error(EXIT_MAIL, NULL, "%s: the server does not offer "
		    "STARTTLS, which starttls = yes requires: %s", url, why);
	else if (code >= 400)
		diag_error(EXIT_MAIL, NULL, "%s: server answered %ld: %s", url,
		    code, why);
	else
		diag_error(EXIT_MAIL, NULL, "%s: sending failed: %s", url, why);
	free(url);
}

/* Checks that the PDF can be read now (curl opens it again while
 * sending).  Returns 0, or -1 after reporting. */
static int
check_pdf(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		diag_error(EXIT_MAIL, &loc, "cannot open the PDF to mail: %s",
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_error(EXIT_MAIL, &loc, "the PDF to mail is not a regular "
		    "file");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

#define SETOPT(c, opt, val) \
	do { if ((rc = curl_easy_setopt(c, opt, val)) != CURLE_OK) goto curl_fail; } while (0)

/* Sends one message (see mail.h); everything but the transfer has been
 * checked by the caller.  Returns 0 or -1 after reporting. */
static int
transfer(const struct cfg_mail *m, const char *password,
    const struct addr *from, const struct addrlist *to,
    const struct addrlist *cc, const char *subject, const char *body,
    const char *pdf_path)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct replies replies;
	struct curl_slist *rcpt = NULL, *hdrs = NULL, *part_hdrs = NULL;
	struct addrlist fromlist = { (struct addr *)from, 1 };
	curl_mime *mime = NULL;
	curl_mimepart *part;
	CURLcode rc = CURLE_OK;
	CURL *c;
	struct hdr h;
	char *s, *text = NULL, *ctype = NULL;
	const char *base;
	size_t i;
	int ret = -1;

	memset(&replies, 0, sizeof(replies));
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		diag_error(EXIT_MAIL, NULL, "cannot initialise libcurl: %s",
		    curl_easy_strerror(rc));
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		diag_error(EXIT_MAIL, NULL, "cannot initialise libcurl");
		curl_global_cleanup();
		return -1;
	}

	/* Top-level headers, each one slist entry (folds included). */
	hdrs = curl_slist_append(hdrs, s = date_header());
	free(s);
	hdr_begin(&h, "From:");
	hdr_addrs(&h, &fromlist);
	hdrs = curl_slist_append(hdrs, h.sb.s);
	sb_free(&h.sb);
	hdr_begin(&h, "To:");
	hdr_addrs(&h, to);
	hdrs = curl_slist_append(hdrs, h.sb.s);
	sb_free(&h.sb);
	if (cc->n > 0) {
		hdr_begin(&h, "Cc:");
		hdr_addrs(&h, cc);
		hdrs = curl_slist_append(hdrs, h.sb.s);
		sb_free(&h.sb);
	}
	hdr_begin(&h, "Subject:");
	hdr_text(&h, subject);
	hdrs = curl_slist_append(hdrs, sb_str(&h.sb));
	sb_free(&h.sb);
	hdrs = curl_slist_append(hdrs, s = message_id_header(from->spec));
	free(s);
	hdrs = curl_slist_append(hdrs, "MIME-Version: 1.0");

	for (i = 0; i < to->n + cc->n; i++) {
		const struct addr *a = i < to->n ? &to->v[i] : &cc->v[i - to->n];
		rcpt = curl_slist_append(rcpt, s = xasprintf("<%s>", a->spec));
		free(s);
	}

	if ((mime = curl_mime_init(c)) == NULL) {
		rc = CURLE_OUT_OF_MEMORY;
		goto curl_fail;
	}
	if (body != NULL && *body != '\0') {
		text = crlf_text(body);
		if ((part = curl_mime_addpart(mime)) == NULL ||
		    (rc = curl_mime_data(part, text, CURL_ZERO_TERMINATED)) ||
		    (rc = curl_mime_type(part, "text/plain; charset=UTF-8")) ||
		    (rc = curl_mime_encoder(part, "quoted-printable")))
			goto curl_fail;
	}
	base = strrchr(pdf_path, '/');
	base = base != NULL ? base + 1 : pdf_path;
	ctype = attachment_type(base);
	part_hdrs = curl_slist_append(NULL, s = disposition_header(base));
	free(s);
	if ((part = curl_mime_addpart(mime)) == NULL) {
		rc = CURLE_OUT_OF_MEMORY;
		goto curl_fail;
	}
	if ((rc = curl_mime_filedata(part, pdf_path)) ||
	    (rc = curl_mime_filename(part, NULL)) ||
	    (rc = curl_mime_type(part, ctype)) ||
	    (rc = curl_mime_encoder(part, "base64")) ||
	    (rc = curl_mime_headers(part, part_hdrs, 1)))
		goto curl_fail;
	part_hdrs = NULL;       /* owned by the part now */

	SETOPT(c, CURLOPT_URL, m->url);
	SETOPT(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SETOPT(c, CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(c, CURLOPT_NOSIGNAL, 1L);
	SETOPT(c, CURLOPT_TIMEOUT, m->timeout);
	SETOPT(c, CURLOPT_VERBOSE, 1L);         /* to the callback only */
	SETOPT(c, CURLOPT_DEBUGFUNCTION, on_debug);
	SETOPT(c, CURLOPT_DEBUGDATA, &replies);
	if (m->starttls && strncmp(m->url, "smtp://", 7) == 0)
		SETOPT(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (m->user != NULL) {
		SETOPT(c, CURLOPT_USERNAME, m->user);
		SETOPT(c, CURLOPT_PASSWORD, password);
	}
	s = xasprintf("<%s>", from->spec);
	rc = curl_easy_setopt(c, CURLOPT_MAIL_FROM, s);
	free(s);
	if (rc != CURLE_OK)
		goto curl_fail;
	SETOPT(c, CURLOPT_MAIL_RCPT, rcpt);
	SETOPT(c, CURLOPT_HTTPHEADER, hdrs);
	SETOPT(c, CURLOPT_MIMEPOST, mime);

	if ((rc = curl_easy_perform(c)) != CURLE_OK)
		report_failure(m, c, rc, errbuf, &replies);
	else {
		char *url = safe_url(m->url);
		diag_info("mailed %s to %zu recipient%s via %s", pdf_path,
		    to->n + cc->n, to->n + cc->n == 1 ? "" : "s", url);
		free(url);
		ret = 0;
	}
	goto done;

curl_fail:
	{
		char *url = safe_url(m->url);
		diag_error(EXIT_MAIL, NULL, "%s: cannot prepare the message: %s",
		    url, *errbuf ? errbuf : curl_easy_strerror(rc));
		free(url);
	}
done:
	curl_easy_cleanup(c);
	curl_mime_free(mime);
	curl_slist_free_all(part_hdrs);
	curl_slist_free_all(hdrs);
	curl_slist_free_all(rcpt);
	free(text);
	free(ctype);
	curl_global_cleanup();
	return ret;
}

int
mail_send(const struct cfg_mail *m, const char *subject, const char *body,
    const char *pdf_path)
{
	struct addrlist from = { NULL, 0 }, to = { NULL, 0 }, cc = { NULL, 0 };
	char *password = NULL;
	int bad = 0, ret = -1;

	if (m == NULL || !m->present || m->url == NULL) {
		struct diag_loc loc = { NULL, 0, 0, "mail", NULL };
		diag_error(EXIT_MAIL, &loc, "no [mail] section with a url: "
		    "nothing to send with");
		return -1;
	}
	bad += parse_addrlist(m->from, "from", &from);
	if (!bad && from.n != 1) {
		struct diag_loc loc = { NULL, 0, 0, "mail", "from" };
		diag_error(EXIT_MAIL, &loc, "needs exactly one address");
		bad++;
	}
	bad += parse_addrlist(m->to, "to", &to);
	bad += parse_addrlist(m->cc, "cc", &cc);
	if (!bad && to.n == 0) {
		struct diag_loc loc = { NULL, 0, 0, "mail", "to" };
		diag_error(EXIT_MAIL, &loc, "no recipient address");
		bad++;
	}
	if (bad)
		goto out;
	if (m->user != NULL) {
		if (m->password_file == NULL) {
			struct diag_loc loc = { NULL, 0, 0, "mail",
			    "password_file" };
			diag_error(EXIT_MAIL, &loc, "a user needs a password "
			    "file");
			goto out;
		}
		if ((password = read_password(m->password_file)) == NULL)
			goto out;
	}
	if (check_pdf(pdf_path) != 0)
		goto out;
	ret = transfer(m, password, &from.v[0], &to, &cc,
	    subject != NULL ? subject : "", body, pdf_path);
out:
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	addrlist_free(&from);
	addrlist_free(&to);
	addrlist_free(&cc);
	return ret;
}
