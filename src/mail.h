/* Mail: sending the finished PDF (and DOCX) over SMTP (libcurl).
 *
 * The only module that includes curl.h.  Called by main only after the
 * PDF is complete and renamed into place; a failure keeps the PDF. */
#ifndef ZJ_MAIL_H
#define ZJ_MAIL_H

#include <stddef.h>

struct cfg_mail;

/* One file to attach: its path (the attachment's name is its base name)
 * and whether it is a DOCX (else a PDF). */
struct mail_file {
	const char *path;
	int docx;
};

/* Sends files[0..nfiles) as attachments, in that order (file names RFC
 * 2231 encoded, typed application/pdf or WordprocessingML), to m->to and
 * m->cc from m->from, with subject (RFC 2047 encoded) and body (UTF-8
 * text, may be NULL), both already expanded by the caller.  The password
 * is read from m->password_file, which must not be readable or writable
 * by group or others.  Every file is read before connecting.  Returns 0,
 * or -1 after reporting through diag with EXIT_MAIL, naming the server
 * and what it answered (or the file that could not be read).
 * nfiles may be 0: a text-only message (the failure mail).  When
 * m->user is set and the server offers no AUTH, nothing is sent (the
 * transfer is aborted before the message's first byte) and the error
 * says so (EXIT_MAIL). */
int mail_send(const struct cfg_mail *m, const char *subject,
    const char *body, const struct mail_file *files, size_t nfiles);

/* What --check can know of [mail] without the network: from, to, cc and
 * errors_to are addresses, and with a user the password file exists, is
 * a regular file readable by its owner only and holds one line.  Returns
 * 0, or -1 after reporting each problem (EXIT_MAIL). */
int mail_check(const struct cfg_mail *m);

#endif
