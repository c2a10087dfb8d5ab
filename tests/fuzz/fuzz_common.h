/* Shared helpers for the libFuzzer harnesses (see README.md here). */
#ifndef ZJ_FUZZ_COMMON_H
#define ZJ_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

/* Messages go to /dev/null: the harnesses look for crashes, leaks and
 * undefined behaviour, not for the text of errors. */
static void
fuzz_quiet(void)
{
	static FILE *null;

	if (null == NULL && getenv("FUZZ_VERBOSE") == NULL)
		null = fopen("/dev/null", "w");
	diag_set_stream(null);
	diag_set_verbosity(2);
}

/* Writes data to a per-process temporary file whose name ends in suffix;
 * returns its path (static buffer) or NULL. */
static const char *
fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/zj-fuzz-%ld%s", (long)getpid(),
	    suffix);
	if ((fp = fopen(path, "wb")) == NULL)
		return NULL;
	if (size > 0 && fwrite(data, 1, size, fp) != size) {
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	return path;
}

#endif
