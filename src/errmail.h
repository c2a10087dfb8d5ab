/* Errmail: the failure mail of an unattended run.
 *
 * When a run with --mail fails at any stage, the messages it printed (the
 * same located lines as on stderr, warnings included) are mailed to
 * [mail] errors_to instead of the report, so a cron job that failed does
 * not just leave the leadership without a report and nobody told.  The
 * exit code stays the failure's. */
#ifndef ZJ_ERRMAIL_H
#define ZJ_ERRMAIL_H

#include <stddef.h>
#include <stdio.h>

struct cfg_mail;
struct period;

/* The messages of one run being collected (diag_tee). */
struct errmail {
	FILE *fp;               /* the memory stream diag writes into */
	FILE *prev;             /* the tee before errmail_begin */
	char *buf;
	size_t len;
};

/* Starts collecting every warning and error into e.  End with
 * errmail_end (or errmail_send, which ends it). */
void errmail_begin(struct errmail *e);
/* Stops collecting and forgets what was collected. */
void errmail_end(struct errmail *e);

/* Ends e and mails what it collected to m->errors_to (nothing when
 * errors_to is not set): subject m->errors_subject with the path
 * placeholders of period p expanded ({period}, {year}, …; p may be NULL
 * when the configuration did not load), or a default naming the period
 * and the exit code; the body names the configuration file, the period
 * and the exit code, then the messages.  A failure to send is reported
 * (EXIT_MAIL) but the exit code of the run stays what it was.  Returns
 * 0 when mailed, -1 otherwise. */
int errmail_send(struct errmail *e, const struct cfg_mail *m,
    const char *config, const struct period *p, int code);

#endif
