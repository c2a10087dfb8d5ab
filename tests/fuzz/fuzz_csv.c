/* libFuzzer harness: the CSV loader (data.c) with detected encoding and
 * delimiter, then every cell read as a number and every column checked
 * against each declared type. */
#include "fuzz_common.h"

#include "data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct data_opts o = { "auto", 0, 0 };
	struct data_table *t;
	const char *path;
	size_t r, c;
	double v;

	fuzz_quiet();
	diag_reset();
	if ((path = fuzz_file(data, size, ".csv")) == NULL)
		return 0;
	t = data_load(path, &o);
	if (t != NULL) {
		for (r = 0; r < data_nrows(t); r++)
			for (c = 0; c < data_ncols(t); c++)
				(void)data_number(t, r, c, &v);
		for (c = 0; c < data_ncols(t) && c < 4; c++) {
			(void)data_check_type(t, c, DT_INTEGER);
			(void)data_check_type(t, c, DT_NUMBER);
			(void)data_check_type(t, c, DT_PERCENT);
			(void)data_check_type(t, c, DT_DATE);
		}
		data_free(t);
	}
	unlink(path);
	return 0;
}
