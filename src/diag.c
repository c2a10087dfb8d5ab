/* Diagnostics: formatting and counting of every message (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

static int verbosity;
static FILE *stream;
static enum zj_exit first_error = EXIT_OK;
static int nerrors, nwarnings;

static const char *const level_name[] = {
	"debug", "info", "warning", "error"
};

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

static void
vdiag(enum diag_level level, enum zj_exit code, const struct diag_loc *loc,
    const char *fmt, va_list ap)
{
	FILE *fp = stream ? stream : stderr;

	if (level == DIAG_ERROR) {
		nerrors++;
		if (first_error == EXIT_OK)
			first_error = code == EXIT_OK ? EXIT_INTERNAL : code;
	} else if (level == DIAG_WARNING)
		nwarnings++;

	if (level == DIAG_DEBUG && verbosity < 2)
		return;
	if (level == DIAG_INFO && verbosity < 1)
		return;
	if (level == DIAG_WARNING && verbosity < 0)
		return;

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
		fprintf(fp, " %s:", level_name[level]);
	fputc(' ', fp);
	vfprintf(fp, fmt, ap);
	fputc('\n', fp);
	fflush(fp);
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
	fprintf(fp, "\rzongjie: %s %ld of %ld%s", what, done, total,
	    done >= total ? "\n" : "");
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
