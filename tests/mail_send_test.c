/* Test driver for src/mail.c until main.c has --mail:
 *
 *   mail_send_test INI SUBJECT BODY FILE...
 *
 * Loads INI with cfg_load and calls mail_send(&cfg->mail, SUBJECT, BODY,
 * FILE...) with the subject and body as given (already expanded; BODY "-"
 * means no body); a FILE ending in .docx is attached as a DOCX.  Exits 0 on success, else the diag exit class of the
 * first error (7 for mail failures, 2 for a bad INI).  Built and run by
 * tests/mail-test.sh:
 *
 *   cc -Isrc -I/usr/include/iniparser tests/mail_send_test.c src/mail.c src/mime.c \
 *      src/input.c src/bigmem.c \
 *      src/util.c src/diag.c src/config.c -liniparser */
#include "config.h"
#include "diag.h"
#include "mail.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct cfg *cfg;
	struct mail_file files[8];
	int rc, i;

	if (argc < 5 || argc > 4 + 8) {
		fputs("usage: mail_send_test INI SUBJECT BODY|- FILE...\n",
		    stderr);
		return EXIT_USAGE;
	}
	for (i = 4; i < argc; i++) {
		size_t n = strlen(argv[i]);
		files[i - 4].path = argv[i];
		files[i - 4].docx = n >= 5 && strcmp(argv[i] + n - 5,
		    ".docx") == 0;
	}
	if ((cfg = cfg_load(argv[1])) == NULL)
		return diag_exit_code();
	rc = mail_send(&cfg->mail, argv[2],
	    strcmp(argv[3], "-") == 0 ? NULL : argv[3], files,
	    (size_t)(argc - 4));
	cfg_free(cfg);
	return rc == 0 ? EXIT_OK : (int)diag_exit_code();
}
