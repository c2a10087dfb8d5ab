/* MIME: the mail message as bytes (see mime.h).
 *
 * Every header written here is folded so that no line exceeds 76
 * characters: non-ASCII text becomes RFC 2047 encoded-words (base64,
 * UTF-8, never splitting a character), the attachment name an RFC 2231
 * parameter (split into numbered sections at character boundaries). */
#include "mime.h"
#include "diag.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define HDR_WIDTH 76            /* longest header line we write */

void
mime_addrlist_free(struct mime_addrlist *l)
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
parse_addr(const char *item, const char *key, struct mime_addr *a)
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

int
mime_parse_addrlist(const char *list, const char *key, struct mime_addrlist *l)
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
				struct mime_addr a;
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
hdr_addrs(struct hdr *h, const struct mime_addrlist *l)
{
	struct strbuf t;
	size_t i;
	const char *p;

	sb_init(&t);
	for (i = 0; i < l->n; i++) {
		const struct mime_addr *a = &l->v[i];
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
char *
mime_disposition(const char *name)
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

/* A name="..." parameter for readers that ignore RFC 2231 (RFC 2047
 * words inside the quotes, as common mailers write it; readers that know
 * RFC 2231 use the Content-Disposition). */
char *
mime_attachment_type(const char *name, const char *type)
{
	struct hdr h;
	size_t n = strlen(name);

	if (type == NULL)
		type = n >= 5 && strcasecmp(name + n - 5, ".docx") == 0 ?
		    MIME_DOCX : MIME_PDF;
	/* A media type cannot be folded inside; the DOCX type (71
	 * characters) fits only on a line of its own, after the field name. */
	hdr_begin(&h, "Content-Type:");
	sb_adds(&h.sb, h.col + 2 + strlen(type) <= HDR_WIDTH ? " " : "\r\n ");
	sb_adds(&h.sb, type);
	sb_addc(&h.sb, ';');
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
	return sb_detach(&h.sb);
}

/* ---- other headers ------------------------------------------------- */

char *
mime_date(time_t now)
{
	static const char *const wday[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
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

char *
mime_message_id(const char *from_spec, time_t t, long pid,
    const unsigned char rnd[8])
{
	const char *dom = strchr(from_spec, '@');
	char hex[17];
	int i;

	for (i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return xasprintf("Message-ID: <%lld.%ld.%s@%s>", (long long)t, pid,
	    hex, dom != NULL ? dom + 1 : "zongjie.invalid");
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


char *
mime_subject(const char *text)
{
	struct hdr h;

	hdr_begin(&h, "Subject:");
	hdr_text(&h, text);
	return sb_detach(&h.sb);
}

char *
mime_addr_header(const char *field, const struct mime_addrlist *l)
{
	struct hdr h;
	char *name = xasprintf("%s:", field);

	hdr_begin(&h, name);
	free(name);
	hdr_addrs(&h, l);
	return sb_detach(&h.sb);
}

/* ---- body encodings ------------------------------------------------ */

/* Appends text quoted-printable (RFC 2045 6.7): lines of the CRLF form
 * of text, each cut by soft breaks ("=" CRLF) into lines of at most 76
 * characters; "=", controls, non-ASCII and white space before a line end
 * as =XX. */
static void
add_qp(struct strbuf *sb, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	char *crlf = crlf_text(text);
	const unsigned char *p = (const unsigned char *)crlf;
	size_t col = 0;

	for (; *p != '\0'; p++) {
		char tok[3];
		size_t n = 1;

		if (p[0] == '\r' && p[1] == '\n') {
			sb_adds(sb, "\r\n");
			p++;
			col = 0;
			continue;
		}
		int eol = p[1] == '\0' || (p[1] == '\r' && p[2] == '\n');
		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !eol))
			tok[0] = (char)*p;
		else {
			tok[0] = '=';
			tok[1] = hex[*p >> 4];
			tok[2] = hex[*p & 15];
			n = 3;
		}
		/* room for the soft break's "=" unless this ends the line */
		if (col + n > (eol ? 76 : 75)) {
			sb_adds(sb, "=\r\n");
			col = 0;
		}
		sb_addn(sb, tok, n);
		col += n;
	}
	free(crlf);
}

/* Appends d[0..n) in base64, 76 characters and CRLF a line. */
static void
add_base64_lines(struct strbuf *sb, const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i += 57) {
		sb_base64(sb, d + i, n - i < 57 ? n - i : 57);
		sb_adds(sb, "\r\n");
	}
}

char *
mime_build(const struct mime_message *m, size_t *len)
{
	struct strbuf sb;
	struct mime_addrlist from = { (struct mime_addr *)m->from, 1 };
	char boundary[40], *s;
	int i;

	/* "=_" cannot occur in base64 nor (followed by "_") in
	 * quoted-printable, so the boundary never occurs in a part. */
	strcpy(boundary, "=_zongjie_");
	for (i = 0; i < 8; i++)
		snprintf(boundary + 10 + 2 * i, 3, "%02x", m->rnd[i]);
	sb_init(&sb);
	sb_printf(&sb, "%s\r\n", s = mime_date(m->date));
	free(s);
	sb_printf(&sb, "%s\r\n", s = mime_addr_header("From", &from));
	free(s);
	sb_printf(&sb, "%s\r\n", s = mime_addr_header("To", m->to));
	free(s);
	if (m->cc != NULL && m->cc->n > 0) {
		sb_printf(&sb, "%s\r\n", s = mime_addr_header("Cc", m->cc));
		free(s);
	}
	sb_printf(&sb, "%s\r\n", s = mime_subject(m->subject));
	free(s);
	sb_printf(&sb, "%s\r\n", s = mime_message_id(m->from->spec, m->date,
	    m->pid, m->rnd));
	free(s);
	sb_printf(&sb, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed;"
	    "\r\n boundary=\"%s\"\r\n\r\n", boundary);
	if (m->body != NULL && *m->body != '\0') {
		sb_printf(&sb, "--%s\r\nContent-Type: text/plain; "
		    "charset=UTF-8\r\nContent-Transfer-Encoding: "
		    "quoted-printable\r\n\r\n", boundary);
		add_qp(&sb, m->body);
		sb_adds(&sb, "\r\n");
	}
	for (size_t k = 0; k < m->nparts; k++) {
		const struct mime_part *pt = &m->parts[k];

		sb_printf(&sb, "--%s\r\n", boundary);
		sb_printf(&sb, "%s\r\n", s = mime_attachment_type(pt->filename,
		    pt->type));
		free(s);
		sb_printf(&sb, "%s\r\n", s = mime_disposition(pt->filename));
		free(s);
		sb_adds(&sb, "Content-Transfer-Encoding: base64\r\n\r\n");
		add_base64_lines(&sb, pt->data, pt->len);
	}
	sb_printf(&sb, "--%s--\r\n", boundary);
	*len = sb.len;
	return sb_detach(&sb);
}
