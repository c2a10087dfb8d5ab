/* csvdump FILE [ENCODING]: loads FILE with zongjie's CSV loader and prints
 * it as a JSON array of objects keyed by header (missing cells as ""), the
 * form the csv-spectrum corpus uses for its expected results.  Exits 3 if
 * the file does not load. */
#include <stdio.h>

#include "data.h"
#include "diag.h"

static void
json_string(const char *s)
{
	putchar('"');
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

int
main(int argc, char *argv[])
{
	struct data_opts o = { NULL, 0, 0, 0 };
	struct data_table *t;
	size_t r, c;

	if (argc < 2 || argc > 3) {
		fputs("usage: csvdump FILE [ENCODING]\n", stderr);
		return 2;
	}
	if (argc == 3)
		o.encoding = argv[2];
	if ((t = data_load(argv[1], &o)) == NULL)
		return diag_exit_code();
	putchar('[');
	for (r = 0; r < data_nrows(t); r++) {
		printf("%s{", r ? "," : "");
		for (c = 0; c < data_ncols(t); c++) {
			printf("%s", c ? "," : "");
			json_string(data_header(t, c));
			putchar(':');
			json_string(data_cell(t, r, c));
		}
		putchar('}');
	}
	puts("]");
	data_free(t);
	return 0;
}
