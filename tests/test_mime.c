/* Tests of mime.c: addresses, RFC 2047 subjects and RFC 2231 file names
 * decoded back to what went in, line lengths, and a whole message taken
 * apart again (quoted-printable text, base64 attachment, boundary). */
#include "testutil.h"

#include <time.h>

#include "mime.h"
#include "util.h"

/* Decodes base64 s[0..n) into out (size at least n); returns length. */
static size_t
unbase64(const char *s, size_t n, unsigned char *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0, bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = s[i] != '\0' ? strchr(a, s[i]) : NULL;
		if (p == NULL)
			continue;       /* '=', CR, LF */
		v = v << 6 | (unsigned)(p - a);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(v >> bits);
		}
	}
	return k;
}

/* Every line of h (CRLF separated) is at most max characters, and h is
 * ASCII. */
static void
check_lines(const char *h, size_t n, size_t max)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)h[i] >= 0x80)
			fail_msg("non-ASCII byte at %zu", i);
		if (h[i] == '\r' && i + 1 < n && h[i + 1] == '\n') {
			col = 0;
			i++;
			continue;
		}
		if (++col > max)
			fail_msg("line longer than %zu at byte %zu", max, i);
	}
}

/* The text of a header's RFC 2047 words, concatenated. */
static char *
decode_words(const char *h)
{
	char *out = calloc(1, strlen(h) + 1);
	size_t k = 0;
	assert_non_null(out);
	for (const char *p = h; (p = strstr(p, "=?UTF-8?B?")) != NULL;) {
		p += 10;
		const char *e = strstr(p, "?=");
		assert_non_null(e);
		k += unbase64(p, (size_t)(e - p), (unsigned char *)out + k);
		p = e + 2;
	}
	out[k] = '\0';
	return out;
}

static const char *const LONG_CN = "青禾县工业集中发展区2021年1—12月工作总结"
    "与2022年工作思路（送审稿）";

static void
test_subject(void **state)
{
	(void)state;
	char *h = mime_subject("Monthly report 2021-12");
	assert_string_equal(h, "Subject: Monthly report 2021-12");
	free(h);
	h = mime_subject(LONG_CN);
	check_lines(h, strlen(h), 76);
	assert_non_null(strstr(h, "\r\n "));    /* folded */
	char *d = decode_words(h);
	assert_string_equal(d, LONG_CN);
	free(d);
	free(h);
	/* ASCII that looks like an encoded word is encoded */
	h = mime_subject("=?x?=");
	assert_non_null(strstr(h, "=?UTF-8?B?"));
	free(h);
}

static void
test_addresses(void **state)
{
	(void)state;
	struct mime_addrlist l = { NULL, 0 };
	capture_start();
	assert_int_equal(mime_parse_addrlist("张三 <zhang@example.com>, "
	    "\"Name, Inc.\" <x@y.z>, plain@p.q, ,", "to", &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].name, "张三");
	assert_string_equal(l.v[0].spec, "zhang@example.com");
	assert_string_equal(l.v[1].name, "Name, Inc.");
	assert_null(l.v[2].name);
	assert_string_equal(l.v[2].spec, "plain@p.q");
	char *h = mime_addr_header("To", &l);
	check_lines(h, strlen(h), 76);
	assert_non_null(strstr(h, "\"Name, Inc.\" <x@y.z>,"));
	assert_non_null(strstr(h, "<zhang@example.com>,"));
	char *d = decode_words(h);
	assert_string_equal(d, "张三");
	free(d);
	free(h);
	mime_addrlist_free(&l);
	assert_int_equal(mime_parse_addrlist("nobody, a@b <c@d", "cc", &l), 2);
	assert_int_equal(l.n, 0);
	const char *t = captured();
	assert_non_null(strstr(t, "[mail] cc"));
	assert_non_null(strstr(t, "\"nobody\" is not a mail address"));
	assert_non_null(strstr(t, "must end with >"));
	assert_int_equal(diag_exit_code(), EXIT_MAIL);
	capture_stop();
}

/* Percent-decodes the RFC 2231 sections of a Content-Disposition. */
static char *
decode_2231(const char *h)
{
	char *out = calloc(1, strlen(h) + 1);
	size_t k = 0;
	assert_non_null(out);
	for (const char *p = h; (p = strstr(p, "filename*")) != NULL;) {
		p = strchr(p, '=') + 1;
		if (strncmp(p, "UTF-8''", 7) == 0)
			p += 7;
		size_t start = k;
		for (; *p != '\0' && *p != ';' && *p != '\r'; p++) {
			unsigned v;
			if (*p == '%' && sscanf(p + 1, "%2x", &v) == 1) {
				out[k++] = (char)v;
				p += 2;
			} else
				out[k++] = *p;
		}
		/* each section holds whole characters */
		assert_int_equal(utf8_invalid_at(out + start, k - start),
		    (size_t)-1);
	}
	out[k] = '\0';
	return out;
}

static void
test_filename(void **state)
{
	(void)state;
	char *h = mime_disposition("report.pdf");
	assert_string_equal(h, "Content-Disposition: attachment;\r\n "
	    "filename=\"report.pdf\"");
	free(h);
	char *name = malloc(strlen(LONG_CN) + 5);
	strcpy(name, LONG_CN);
	strcat(name, ".pdf");
	h = mime_disposition(name);
	check_lines(h, strlen(h), 76);
	assert_non_null(strstr(h, "filename*0*=UTF-8''"));
	assert_non_null(strstr(h, "filename*1*="));
	char *d = decode_2231(h);
	assert_string_equal(d, name);
	free(d);
	free(h);
	h = mime_attachment_type(name, NULL);
	check_lines(h, strlen(h), 76);
	assert_true(strncmp(h, "Content-Type: application/pdf;\r\n name=\"",
	    39) == 0);
	d = decode_words(h);
	assert_string_equal(d, name);
	free(d);
	free(h);
	free(name);
}

/* A .docx attachment (any case) is WordprocessingML, anything else a
 * PDF. */
static void
test_attachment_docx(void **state)
{
	char *h;

	(void)state;
	h = mime_attachment_type("总结.DOCX", NULL);
	check_lines(h, strlen(h), 76);
	assert_true(strncmp(h, "Content-Type:\r\n application/vnd.openxmlformats-"
	    "officedocument.wordprocessingml.document;\r\n name=\"", 95) == 0);
	free(h);
	h = mime_attachment_type("a.docx.pdf", NULL);
	assert_true(strncmp(h, "Content-Type: application/pdf;", 30) == 0);
	free(h);
	/* a given type wins over the name (-o report --format docx) */
	h = mime_attachment_type("report", MIME_DOCX);
	assert_string_equal(h, "Content-Type:\r\n " MIME_DOCX ";\r\n "
	    "name=\"report\"");
	free(h);
	h = mime_attachment_type("a.docx", MIME_PDF);
	assert_string_equal(h, "Content-Type: application/pdf;\r\n "
	    "name=\"a.docx\"");
	free(h);
}

static void
test_date_and_id(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	char *h = mime_date(86400 * 365 + 3661);
	assert_string_equal(h, "Date: Fri, 1 Jan 1971 01:01:01 +0000");
	free(h);
	setenv("TZ", "CST-8", 1);
	tzset();
	h = mime_date(0);
	assert_string_equal(h, "Date: Thu, 1 Jan 1970 08:00:00 +0800");
	free(h);
	const unsigned char rnd[8] = { 1, 2, 3, 4, 5, 6, 7, 0xab };
	h = mime_message_id("office@qinghe.example", 5, 7, rnd);
	assert_string_equal(h, "Message-ID: <5.7.01020304050607ab@"
	    "qinghe.example>");
	free(h);
}

/* Undoes quoted-printable s[0..n) (soft breaks, =XX). */
static char *
unqp(const char *s, size_t n)
{
	char *out = calloc(1, n + 1);
	size_t k = 0;
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (s[i] == '=' && i + 2 < n + 1 && s[i + 1] == '\r') {
			i += 2;
		} else if (s[i] == '=' && sscanf(s + i + 1, "%2x", &v) == 1) {
			out[k++] = (char)v;
			i += 2;
		} else
			out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static void
test_message(void **state)
{
	(void)state;
	struct mime_addr from = { (char *)"青禾园区办公室",
	    (char *)"office@qinghe.example" };
	struct mime_addr to1 = { NULL, (char *)"li@example.com" };
	struct mime_addrlist to = { &to1, 1 }, cc = { NULL, 0 };
	unsigned char pdf[1000];
	for (size_t i = 0; i < sizeof pdf; i++)
		pdf[i] = (unsigned char)(i * 7);
	const char *body = "各位领导：\n附件为工作总结。这一行故意写得很长，长到超过七十六个"
	    "字符，检验软换行。 \n= end \t\n.\n此致";
	struct mime_part part = { "a.pdf", NULL, pdf, sizeof pdf };
	struct mime_message m = {
		.from = &from, .to = &to, .cc = &cc, .subject = LONG_CN,
		.body = body, .parts = &part, .nparts = 1, .date = 0, .pid = 1,
		.rnd = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3 },
	};
	size_t len;
	char *msg = mime_build(&m, &len);
	assert_int_equal(strlen(msg), len);
	check_lines(msg, len, 76);
	assert_null(strstr(msg, "Cc:"));
	const char *b = "--=_zongjie_deadbeef00010203";
	/* two part separators and the closing one */
	const char *p1 = strstr(msg, b), *p2, *p3;
	assert_non_null(p1);
	assert_non_null(p2 = strstr(p1 + 1, b));
	assert_non_null(p3 = strstr(p2 + 1, b));
	assert_null(strstr(p3 + 1, b));
	assert_string_equal(p3 + strlen(b), "--\r\n");
	assert_non_null(strstr(msg, "boundary=\"=_zongjie_deadbeef00010203\""));
	/* the text part decodes to the body with CRLF line ends */
	const char *t = strstr(p1, "quoted-printable\r\n\r\n");
	assert_non_null(t);
	t += strlen("quoted-printable\r\n\r\n");
	char *text = unqp(t, (size_t)(p2 - 2 - t));
	assert_string_equal(text, "各位领导：\r\n附件为工作总结。这一行故意写得很长，"
	    "长到超过七十六个字符，检验软换行。 \r\n= end \t\r\n.\r\n此致");
	free(text);
	assert_non_null(strstr(t, "=20\r\n"));  /* space before a line end */
	assert_non_null(strstr(t, "=3D end"));
	/* the attachment decodes to the bytes */
	const char *a = strstr(p2, "base64\r\n\r\n");
	assert_non_null(a);
	a += strlen("base64\r\n\r\n");
	unsigned char got[sizeof pdf + 8];
	assert_int_equal(unbase64(a, (size_t)(p3 - a), got), sizeof pdf);
	assert_memory_equal(got, pdf, sizeof pdf);
	free(msg);
	/* no body: no text part */
	m.body = NULL;
	msg = mime_build(&m, &len);
	assert_null(strstr(msg, "text/plain"));
	free(msg);
}

/* Two attachments: two parts in the given order, each with its type and
 * name, each decoding to its own bytes, then the closing boundary. */
static void
test_two_parts(void **state)
{
	(void)state;
	struct mime_addr from = { NULL, (char *)"office@qinghe.example" };
	struct mime_addrlist to = { &from, 1 };
	unsigned char a[300], b[1000];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (unsigned char)(i * 3 + 1);
	for (size_t i = 0; i < sizeof b; i++)
		b[i] = (unsigned char)(i * 11);
	struct mime_part parts[2] = {
		{ "总结.docx", MIME_DOCX, b, sizeof b },
		{ "总结.pdf", MIME_PDF, a, sizeof a },
	};
	struct mime_message m = {
		.from = &from, .to = &to, .subject = "s", .parts = parts,
		.nparts = 2, .rnd = { 1, 2, 3, 4, 5, 6, 7, 8 },
	};
	size_t len;
	char *msg = mime_build(&m, &len);
	const char *bd = "--=_zongjie_0102030405060708";
	const char *p1, *p2, *p3;
	unsigned char got[sizeof b + 8];

	check_lines(msg, len, 76);
	assert_non_null(p1 = strstr(msg, bd));
	assert_non_null(p2 = strstr(p1 + 1, bd));
	assert_non_null(p3 = strstr(p2 + 1, bd));
	assert_string_equal(p3 + strlen(bd), "--\r\n");
	assert_true(strncmp(p1 + strlen(bd), "\r\nContent-Type:\r\n " MIME_DOCX
	    ";", 18 + strlen(MIME_DOCX)) == 0);
	assert_true(strncmp(p2 + strlen(bd), "\r\nContent-Type: "
	    "application/pdf;", 32) == 0);
	const char *d1 = strstr(p1, "base64\r\n\r\n") + 10;
	const char *d2 = strstr(p2, "base64\r\n\r\n") + 10;
	assert_true(d1 < p2 && d2 < p3);
	assert_int_equal(unbase64(d1, (size_t)(p2 - d1), got), sizeof b);
	assert_memory_equal(got, b, sizeof b);
	assert_int_equal(unbase64(d2, (size_t)(p3 - d2), got), sizeof a);
	assert_memory_equal(got, a, sizeof a);
	/* the names, RFC 2231 encoded, in the same order */
	const char *n1 = strstr(p1, "filename*=UTF-8''"), *n2;
	assert_true(n1 != NULL && n1 < p2);
	assert_true(strncmp(n1 + 17, "%E6%80%BB%E7%BB%93.docx", 23) == 0);
	assert_non_null(n2 = strstr(p2, "filename*=UTF-8''"));
	assert_true(strncmp(n2 + 17, "%E6%80%BB%E7%BB%93.pdf", 22) == 0);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_filename),
		cmocka_unit_test(test_two_parts),
		cmocka_unit_test(test_attachment_docx),
		cmocka_unit_test(test_date_and_id),
		cmocka_unit_test(test_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
