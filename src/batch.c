/* Batch: several configurations and periods, and the summary (see
 * batch.h). */
#include "batch.h"
#include "config.h"
#include "diag.h"
#include "errmail.h"
#include "mail.h"
#include "output.h"
#include "period.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What a run over several periods or configurations did. */
struct tally {
	size_t done, failed;
	struct strbuf list;     /* the failed periods (and configurations) */
};

static void
tally_fail(struct tally *t, const char *config, const char *period)
{
	t->failed++;
	sb_printf(&t->list, "%s%s%s%s", t->list.len ? ", " : "",
	    config != NULL ? config : "", config && period ? " " : "",
	    period != NULL ? period : "");
}

/* The closing line of a run over several periods or configurations, on
 * stderr: printed unless -q with nothing failed. */
static void
summary(const struct opts *o, const struct tally *t)
{
	if (t->done + t->failed < 2 && o->nconfigs < 2)
		return;
	if (t->failed == 0 && o->verbosity < 0)
		return;
	if (o->check && t->failed == 0)
		diag_raw("zongjie: %zu checked, 0 failed", t->done);
	else if (o->check)
		diag_raw("zongjie: %zu checked, %zu failed: %s", t->done,
		    t->failed, sb_str(&t->list));
	else if (t->failed == 0)
		diag_raw("zongjie: %zu written, 0 failed", t->done);
	else
		diag_raw("zongjie: %zu written, %zu failed: %s", t->done,
		    t->failed, sb_str(&t->list));
}

/* The failure mail of a run that failed before its periods: the
 * configuration's [mail], or when it did not load, what can be read of
 * its [mail] section. */
static void
mail_config_failure(struct errmail *em, const struct cfg *cfg,
    const char *path, int code)
{
	struct cfg_mail m;

	if (cfg != NULL) {
		(void)errmail_send(em, &cfg->mail, path, NULL, code);
		return;
	}
	if (cfg_read_mail(path, &m) == 0)
		(void)errmail_send(em, &m, path, NULL, code);
	else
		errmail_end(em);
	cfg_mail_free(&m);
}

/* Renders every period of one configuration file, counting in t (with
 * the file's name in the list when named is set).  With --mail, the
 * messages of a failed period (or of a configuration that failed) are
 * mailed to [mail] errors_to.  Returns the exit class of the first
 * failure, or EXIT_OK. */
static enum zj_exit
run_config(const char *path, const struct opts *o, int named,
    struct tally *t, batch_period run_period)
{
	struct cfg *cfg;
	struct period *periods;
	struct tm today;
	struct errmail em;
	enum zj_exit worst = EXIT_OK;
	const char *pstr;
	time_t now;
	size_t n, i;

	if (o->mail)
		errmail_begin(&em);
	if ((cfg = cfg_load(path)) == NULL || cfg_set_base(cfg,
	    o->directory) != 0)
		goto fail;
	out_set_create_root(cfg->dir);
	if (o->mail && !cfg->mail.present) {
		struct diag_loc loc = { cfg->path, 0, 0, "mail", NULL };
		diag_error(EXIT_USAGE, &loc, "--mail needs this section (url, "
		    "from, to, subject)");
		goto fail;
	}
	if (o->check && mail_check(&cfg->mail) != 0)
		goto fail;
	pstr = o->period ? o->period : cfg->period;
	if (pstr == NULL) {
		struct diag_loc loc = { cfg->path, 0, 0, "report", "period" };
		diag_error(EXIT_USAGE, &loc, "no period: give -p PERIOD or set "
		    "this key");
		goto fail;
	}
	/* The only reading of the clock: today's date, for last-month and
	 * last-year. */
	now = time(NULL);
	localtime_r(&now, &today);
	if ((periods = period_range(pstr, &today, &n)) == NULL) {
		diag_error(EXIT_USAGE, NULL, "\"%s\" is not a period (YYYY-MM, "
		    "YYYY, last-month, last-year, or A..B)", pstr);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		/* One failing period does not stop the others; the exit code
		 * is the first failure's class. */
		if (o->mail && i > 0)
			errmail_begin(&em);
		if (run_period(cfg, &periods[i], o, n > 1) != 0) {
			char ps[16];
			enum zj_exit code = diag_exit_code() != EXIT_OK ?
			    diag_exit_code() : EXIT_INTERNAL;

			if (worst == EXIT_OK)
				worst = code;
			period_format(&periods[i], ps, sizeof(ps));
			tally_fail(t, named ? path : NULL, ps);
			if (o->mail)
				(void)errmail_send(&em, &cfg->mail, path,
				    &periods[i], code);
		} else {
			t->done++;
			if (o->mail)
				errmail_end(&em);
		}
		diag_reset();
	}
	free(periods);
	cfg_free(cfg);
	return worst;
fail:
	worst = diag_exit_code() != EXIT_OK ? diag_exit_code() : EXIT_USAGE;
	tally_fail(t, path, NULL);
	if (o->mail)
		mail_config_failure(&em, cfg, path, worst);
	cfg_free(cfg);
	return worst;
}

int
batch_run(const struct opts *o, batch_period run)
{
	struct tally t;
	enum zj_exit worst = EXIT_OK, rc;
	size_t i;

	memset(&t, 0, sizeof(t));
	sb_init(&t.list);
	for (i = 0; i < o->nconfigs; i++) {
		/* One failing configuration does not stop the others. */
		rc = run_config(o->configs[i], o, o->nconfigs > 1, &t, run);
		if (rc != EXIT_OK && worst == EXIT_OK)
			worst = rc;
		diag_reset();
	}
	summary(o, &t);
	sb_free(&t.list);
	return worst;
}
