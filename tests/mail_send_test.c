/* Test driver for src/mail.c until main.c has --mail:
 *
 *   mail_send_test INI SUBJECT BODY PDF
 *
 * Loads INI with cfg_load and calls mail_send(&cfg->mail, SUBJECT, BODY,
 * PDF) with the subject and body as given (already expanded; BODY "-"
 * means no body).  Exits 0 on success, else the diag exit class of the
 * first error (7 for mail failures, 2 for a bad INI).  Built and run by
 * tests/mail-test.sh:
 *
 *   cc -Isrc -I/usr/include/iniparser tests/mail_send_test.c src/mail.c src/mime.c \
 *      src/input.c \
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
	int rc;

	if (argc != 5) {
		fputs("usage: mail_send_test INI SUBJECT BODY|- PDF\n", stderr);
		return EXIT_USAGE;
	}
	if ((cfg = cfg_load(argv[1])) == NULL)
		return diag_exit_code();
	rc = mail_send(&cfg->mail, argv[2],
	    strcmp(argv[3], "-") == 0 ? NULL : argv[3], argv[4]);
	cfg_free(cfg);
	return rc == 0 ? EXIT_OK : (int)diag_exit_code();
}
