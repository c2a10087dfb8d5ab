/* Mail: sending the finished PDF over SMTP (libcurl).
 *
 * The only module that includes curl.h.  Called by main only after the
 * PDF is complete and renamed into place; a failure keeps the PDF. */
#ifndef ZJ_MAIL_H
#define ZJ_MAIL_H

struct cfg_mail;

/* Sends pdf_path as an attachment (file name = its base name, RFC 2231
 * encoded) to m->to and m->cc from m->from, with subject (RFC 2047
 * encoded) and body (UTF-8 text, may be NULL), both already expanded by
 * the caller.  The password is read from m->password_file, which must
 * not be readable or writable by group or others.  Returns 0, or -1 after
 * reporting through diag with EXIT_MAIL, naming the server and what it
 * answered. */
int mail_send(const struct cfg_mail *m, const char *subject,
    const char *body, const char *pdf_path);
/* pdf_path may be NULL: a text-only message (the failure mail).  When
 * m->user is set and the server offers no AUTH, nothing is sent (the
 * transfer is aborted before the message's first byte) and the error
 * says so (EXIT_MAIL). */

/* What --check can know of [mail] without the network: from, to, cc and
 * errors_to are addresses, and with a user the password file exists, is
 * a regular file readable by its owner only and holds one line.  Returns
 * 0, or -1 after reporting each problem (EXIT_MAIL). */
int mail_check(const struct cfg_mail *m);

#endif
