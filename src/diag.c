/* Diagnostics: formatting and counting of every message (see diag.h). */
#include "diag.h"

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef ZJ_LOCALEDIR
#define ZJ_LOCALEDIR "/usr/local/share/locale"
#endif

static int verbosity;
static FILE *stream;
static enum zj_exit first_error = EXIT_OK;
static int nerrors, nwarnings;

/* TRANSLATORS: the level word after the location, "FILE:1:2: error: …". */
static const char *const level_name[] = {
	N_("debug"), N_("info"), N_("warning"), N_("error")
};

/* The locale name the environment asks messages in, as setlocale(3)
 * reads it; NULL when none or C/POSIX. */
static const char *
env_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0 ||
			    strncmp(v, "C.", 2) == 0 ? NULL : v;
	}
	return NULL;
}

/* Writes the catalogue directory to use into buf (see diag.h). */
static const char *
locale_dir(char *buf, size_t size)
{
	const char *e = getenv("ZONGJIE_LOCALEDIR");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (e != NULL && *e != '\0')
		return e;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(buf, size, "%s/build/locale", exe);
			if (access(buf, F_OK) == 0)
				return buf;
		}
	}
	return ZJ_LOCALEDIR;
}

void
diag_init_locale(void)
{
	char buf[PATH_MAX + 16];
	const char *want;

	if (setlocale(LC_MESSAGES, "") == NULL &&
	    (want = env_locale()) != NULL) {
		/* The locale is not generated here (cron, containers): gettext
		 * ignores LANGUAGE only in the C locale, so take C.UTF-8 and
		 * ask for the language by name. */
		if (setlocale(LC_MESSAGES, "C.UTF-8") != NULL &&
		    getenv("LANGUAGE") == NULL) {
			char lang[64];

			snprintf(lang, sizeof(lang), "%s", want);
			lang[strcspn(lang, ".@")] = '\0';
			setenv("LANGUAGE", lang, 1);
		}
	}
	bindtextdomain(ZJ_TEXTDOMAIN, locale_dir(buf, sizeof(buf)));
	bind_textdomain_codeset(ZJ_TEXTDOMAIN, "UTF-8");
	/* strerror(3) and getopt(3) speak through libc's own catalogue. */
	bind_textdomain_codeset("libc", "UTF-8");
}

void
diag_set_verbosity(int v)
{
	verbosity = v;
}

int
diag_verbosity(void)
{
	return verbosity;
}

void
diag_set_stream(FILE *fp)
{
	stream = fp;
}

static FILE *tee;

FILE *
diag_tee(FILE *fp)
{
	FILE *old = tee;

	tee = fp;
	return old;
}

/* Writes one message line to fp. */
static void
print_line(FILE *fp, enum diag_level level, const struct diag_loc *loc,
    const char *fmt, va_list ap)
{
	fputs("zongjie:", fp);
	if (loc != NULL && loc->file != NULL) {
		fprintf(fp, " %s:", loc->file);
		if (loc->line > 0) {
			fprintf(fp, "%d:", loc->line);
			if (loc->col > 0)
				fprintf(fp, "%d:", loc->col);
		}
	}
	if (loc != NULL && loc->section != NULL) {
		fprintf(fp, " [%s]", loc->section);
		if (loc->key != NULL)
			fprintf(fp, " %s", loc->key);
		fputc(':', fp);
	}
	if (level != DIAG_INFO)
		fprintf(fp, " %s:", _(level_name[level]));
	fputc(' ', fp);
	vfprintf(fp, *fmt != '\0' ? _(fmt) : fmt, ap);
	fputc('\n', fp);
	fflush(fp);
}

static void
vdiag(enum diag_level level, enum zj_exit code, const struct diag_loc *loc,
    const char *fmt, va_list ap)
{
	FILE *fp = stream ? stream : stderr;
	va_list aq;

	if (level == DIAG_ERROR) {
		nerrors++;
		if (first_error == EXIT_OK)
			first_error = code == EXIT_OK ? EXIT_INTERNAL : code;
	} else if (level == DIAG_WARNING)
		nwarnings++;

	/* The copy (failure mail) has the warnings and errors, whatever
	 * the verbosity. */
	if (tee != NULL && level >= DIAG_WARNING) {
		va_copy(aq, ap);
		print_line(tee, level, loc, fmt, aq);
		va_end(aq);
	}
	if (level == DIAG_DEBUG && verbosity < 2)
		return;
	if (level == DIAG_INFO && verbosity < 1)
		return;
	if (level == DIAG_WARNING && verbosity < 0)
		return;
	print_line(fp, level, loc, fmt, ap);
}

void
diag_raw(const char *fmt, ...)
{
	FILE *fp = stream ? stream : stderr;
	va_list ap, aq;

	va_start(ap, fmt);
	if (tee != NULL) {
		va_copy(aq, ap);
		vfprintf(tee, _(fmt), aq);
		fputc('\n', tee);
		va_end(aq);
	}
	vfprintf(fp, _(fmt), ap);
	fputc('\n', fp);
	fflush(fp);
	va_end(ap);
}

void
diag(enum diag_level level, enum zj_exit code, const struct diag_loc *loc,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(level, code, loc, fmt, ap);
	va_end(ap);
}

void
diag_error(enum zj_exit code, const struct diag_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(DIAG_ERROR, code, loc, fmt, ap);
	va_end(ap);
}

void
diag_warn(const struct diag_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(DIAG_WARNING, EXIT_OK, loc, fmt, ap);
	va_end(ap);
}

void
diag_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(DIAG_INFO, EXIT_OK, NULL, fmt, ap);
	va_end(ap);
}

void
diag_progress(const char *what, long done, long total)
{
	static int tty = -1;
	static struct timespec last;
	struct timespec now;
	FILE *fp = stream ? stream : stderr;

	if (tty < 0)
		tty = isatty(fileno(stderr));
	if (!tty || stream != NULL || verbosity < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (done < total && (now.tv_sec - last.tv_sec) * 1000 +
	    (now.tv_nsec - last.tv_nsec) / 1000000 < 200)
		return;
	last = now;
	fputs("\rzongjie: ", fp);
	/* TRANSLATORS: progress, "rendering: page 1200 of 2500". */
	fprintf(fp, _("%s %ld of %ld"), _(what), done, total);
	fputs(done >= total ? "\n" : "", fp);
	fflush(fp);
}

enum zj_exit
diag_exit_code(void)
{
	return first_error;
}

int
diag_error_count(void)
{
	return nerrors;
}

int
diag_warning_count(void)
{
	return nwarnings;
}

void
diag_reset(void)
{
	first_error = EXIT_OK;
	nerrors = nwarnings = 0;
}
