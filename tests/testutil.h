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
#include "style.h"

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

/* The GB/T 9704 geometry (A4, 156 × 225 mm block, 22 lines of 28
 * characters of 16 pt) with the rounded numbers the layout tests' exact
 * dumps were computed from. */
static inline struct style
test_style_gbt(void)
{
	struct style st;

	memset(&st, 0, sizeof(st));
	st.page_w = 595.276;
	st.page_h = 841.890;
	st.margin_top = 104.882;
	st.margin_left = 79.370;
	st.block_w = 442.205;
	st.block_h = 637.795;
	st.lines_per_page = 22;
	st.chars_per_line = 28;
	st.title_size = 22;
	st.body_size = 16;
	st.table_size = 12;
	st.table_title_size = 16;
	st.pagenum_size = 14;
	st.pagenum_gap = 19.843;
	st.pagenum_first = 1;
	st.pagenum_format = "— %d —";
	st.indent_chars = 2;
	st.fake_bold_title = 0.03;
	return st;
}

#endif
