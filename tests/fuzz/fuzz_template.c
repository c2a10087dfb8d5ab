/* libFuzzer harness: placeholders (expr.c, eval.c) and the template parser
 * (template.c).  The model has two fixed sources loaded once from
 * tests/data/model (run from the repository root): kpi, keyed on 指标 with
 * 合计 excluded, and projects, with 投资额 declared in 亿元. */
#include "fuzz_common.h"

#include "data.h"
#include "doc.h"
#include "eval.h"
#include "template.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct data_table *kpi, *proj;
static struct eval *m;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct period p = { 2021, 12 };
	struct data_opts o = { NULL, 0, 0 };
	struct diag_loc loc = { "fuzz.ini", 0, 0, NULL, NULL };
	long col;

	kpi = data_load("tests/data/model/kpi.csv", &o);
	proj = data_load("tests/data/model/projects.csv", &o);
	if (kpi == NULL || proj == NULL) {
		fprintf(stderr, "fuzz_template: run from the repository root "
		    "(tests/data/model/*.csv)\n");
		exit(1);
	}
	m = eval_create(&p, "—");
	if (eval_add_source(m, "kpi", "指标", "指标 in (合计, 小计)", kpi,
	    &loc) != 0 || eval_add_source(m, "projects", NULL, NULL, proj,
	    &loc) != 0)
		exit(1);
	if ((col = data_column(proj, "投资额")) >= 0)
		(void)eval_set_unit(m, "projects", (size_t)col, "亿元");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_loc loc = { "fuzz.md", 1, 0, NULL, NULL };
	struct strbuf out;
	struct doc *d;
	const char *path;
	char *line;
	size_t i;

	fuzz_quiet();
	diag_reset();

	/* The input as one line of text: up to the first newline or NUL. */
	if ((line = malloc(size + 1)) == NULL)
		return 0;
	for (i = 0; i < size && data[i] != '\n' && data[i] != '\0'; i++)
		line[i] = (char)data[i];
	line[i] = '\0';
	sb_init(&out);
	(void)eval_expand(m, line, &loc, &out);
	sb_free(&out);
	free(line);

	/* The input as a whole template file. */
	diag_reset();
	if ((path = fuzz_file(data, size, ".md")) == NULL)
		return 0;
	if ((d = tpl_load(path, m)) != NULL)
		doc_free(d);
	unlink(path);
	return 0;
}
