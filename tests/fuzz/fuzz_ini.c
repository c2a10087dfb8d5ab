/* libFuzzer harness: the configuration reader (config.c over iniparser). */
#include "fuzz_common.h"

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg *c;
	const char *path;

	fuzz_quiet();
	diag_reset();
	if ((path = fuzz_file(data, size, ".ini")) == NULL)
		return 0;
	if ((c = cfg_load(path)) != NULL)
		cfg_free(c);
	unlink(path);
	return 0;
}
