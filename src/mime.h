/* MIME: the mail message as bytes (RFC 5322 headers, RFC 2047 encoded
 * words, RFC 2231 file names, a multipart/mixed body with a
 * quoted-printable text part and base64 attachments).  No network, no
 * libcurl: mail.c hands the bytes to the SMTP transfer.
 *
 * Contract: every header line written here is at most 76 characters
 * (folded with CRLF SP), every body line at most 76 characters plus
 * CRLF; non-ASCII never appears unencoded; a character is never split
 * across encoded words or RFC 2231 sections.  Returned strings are
 * malloc'd and owned by the caller.  Only mime_parse_addrlist reports
 * (EXIT_MAIL at [mail] KEY); nothing else fails (allocation exits). */
#ifndef ZJ_MIME_H
#define ZJ_MIME_H

#include <stddef.h>
#include <time.h>

/* One parsed address: "名字 <a@b>" → name "名字", spec "a@b". */
struct mime_addr {
	char *name;             /* display name, unquoted; NULL if none */
	char *spec;             /* addr-spec */
};

struct mime_addrlist {
	struct mime_addr *v;
	size_t n;
};

/* Appends the addresses of the comma-separated list (commas inside
 * "..." or <...> do not split; empty items skipped; NULL is empty) to l:
 * "a@b", "<a@b>", "名字 <a@b>", "\"Name, Inc.\" <a@b>".  Each bad item is
 * reported at [mail] key.  Returns the number of errors. */
int mime_parse_addrlist(const char *list, const char *key,
    struct mime_addrlist *l);
void mime_addrlist_free(struct mime_addrlist *l);

/* "Subject: TEXT": printable ASCII folded at its spaces, anything else
 * as RFC 2047 base64 UTF-8 encoded words. */
char *mime_subject(const char *text);

/* "FIELD: name <spec>, ..." (FIELD is "From", "To", "Cc"). */
char *mime_addr_header(const char *field, const struct mime_addrlist *l);

/* The media types of the attachments zongjie sends. */
#define MIME_PDF "application/pdf"
#define MIME_DOCX "application/vnd.openxmlformats-officedocument." \
	"wordprocessingml.document"

/* "Content-Type: TYPE; name=..." for the attachment name (RFC 2047 words
 * inside the quotes when not short printable ASCII; TYPE on a line of its
 * own when it does not fit after the field name).  type is the media
 * type (MIME_PDF, MIME_DOCX); NULL: by the name, a name ending in .docx
 * (any case) MIME_DOCX, anything else MIME_PDF. */
char *mime_attachment_type(const char *name, const char *type);

/* "Content-Disposition: attachment; filename=..." (RFC 2231
 * filename*=UTF-8''%XX.., in numbered sections when long). */
char *mime_disposition(const char *name);

/* "Date: Tue, 1 Feb 2022 08:00:03 +0800" for t in local time (English
 * names whatever the locale). */
char *mime_date(time_t t);

/* "Message-ID: <t.pid.hex(rnd)@domain>" with the domain of from_spec. */
char *mime_message_id(const char *from_spec, time_t t, long pid,
    const unsigned char rnd[8]);

/* One attachment: base64, Content-Type and Content-Disposition from
 * filename and type. */
struct mime_part {
	const char *filename;           /* the name the reader sees */
	const char *type;               /* media type; NULL: by the name */
	const unsigned char *data;
	size_t len;
};

/* The message. */
struct mime_message {
	const struct mime_addr *from;
	const struct mime_addrlist *to, *cc;
	const char *subject;            /* UTF-8 */
	const char *body;               /* UTF-8 text or NULL: no text part */
	const struct mime_part *parts;  /* the attachments, in this order */
	size_t nparts;                  /* 0: none (a text-only message) */
	time_t date;
	long pid;
	unsigned char rnd[8];           /* Message-ID and boundary */
};

/* The whole message, CRLF line ends, ready for DATA (the transfer does
 * the dot-stuffing); its length in *len. */
char *mime_build(const struct mime_message *m, size_t *len);

#endif
