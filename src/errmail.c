/* Errmail: the failure mail (see errmail.h). */
#include "errmail.h"
#include "config.h"
#include "diag.h"
#include "mail.h"
#include "period.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void
errmail_begin(struct errmail *e)
{
	memset(e, 0, sizeof(*e));
	e->fp = open_memstream(&e->buf, &e->len);
	e->prev = diag_tee(e->fp);
}

void
errmail_end(struct errmail *e)
{
	diag_tee(e->prev);
	if (e->fp != NULL)
		fclose(e->fp);
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

int
errmail_send(struct errmail *e, const struct cfg_mail *m,
    const char *config, const struct period *p, int code)
{
	struct cfg_mail to;
	char ps[16] = "", *subject, *body;
	int rc;

	diag_tee(e->prev);
	if (e->fp != NULL)
		fflush(e->fp);
	if (m == NULL || m->errors_to == NULL || m->url == NULL ||
	    m->from == NULL) {
		errmail_end(e);
		return -1;
	}
	if (p != NULL)
		period_format(p, ps, sizeof(ps));
	if (m->errors_subject != NULL && p != NULL)
		subject = period_expand_path(p, m->errors_subject);
	else if (m->errors_subject != NULL)
		subject = xstrdup(m->errors_subject);
	else
		/* TRANSLATORS: the failure mail's subject: the period (or
		 * the configuration file) and the exit code. */
		subject = xasprintf(_("zongjie: the report for %s failed "
		    "(exit %d)"), p != NULL ? ps : config, code);
	body = xasprintf(_("zongjie could not make the report for %s from "
	    "%s (exit %d).  Its messages:\n\n%s\nNo PDF was written or mailed "
	    "for it; the last good PDF, if any, is unchanged.\n"),
	    p != NULL ? ps : "-", config, code, e->buf != NULL ? e->buf : "");
	to = *m;
	to.to = m->errors_to;           /* borrowed; to is a copy */
	to.cc = NULL;
	rc = mail_send(&to, subject, body, NULL, 0);
	if (rc == 0)
		diag_info("mailed the messages of the failed run to %s",
		    m->errors_to);
	free(subject);
	free(body);
	errmail_end(e);
	return rc;
}
