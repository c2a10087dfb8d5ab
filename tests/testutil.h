/* Common includes for the cmocka unit tests. */
#ifndef ZJ_TESTUTIL_H
#define ZJ_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"

/* Path of the test data directory (tests run from the repository root). */
#define TESTDATA "tests/data"

/* Capturing diagnostics: capture_start sends them to a temporary file
 * (and forgets recorded errors), captured returns everything printed
 * since (a static buffer, valid until the next call), capture_stop
 * restores stderr. */
static FILE *capture_fp;

static inline void
capture_start(void)
{
	diag_reset();
	capture_fp = tmpfile();
	assert_non_null(capture_fp);
	diag_set_stream(capture_fp);
}

static inline const char *
captured(void)
{
	static char buf[8192];
	size_t n;

	fflush(capture_fp);
	rewind(capture_fp);
	n = fread(buf, 1, sizeof(buf) - 1, capture_fp);
	buf[n] = '\0';
	return buf;
}

static inline void
capture_stop(void)
{
	diag_set_stream(NULL);
	if (capture_fp != NULL)
		fclose(capture_fp);
	capture_fp = NULL;
	diag_reset();
}

#endif
