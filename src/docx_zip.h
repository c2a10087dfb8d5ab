/* DOCX package: the ZIP container of an Office Open XML document.
 *
 * The only file that includes libzip (docx_zip.c).  The parts are kept
 * (in memory or in their spools) until dzip_write or dzip_bytes, which
 * deflate them and write the archive as they go: into the file, never
 * whole in memory, or into one buffer.  Every write error keeps its errno.
 * Deterministic: parts are stored in the order added, deflated, every
 * entry with the same fixed DOS date and time (no clock is read), no
 * extra fields. */
#ifndef ZJ_DOCX_ZIP_H
#define ZJ_DOCX_ZIP_H

#include <stddef.h>

struct dzip;

/* A new, empty archive whose entries will carry the DOS date of
 * year-month-day at 00:00 (year 1980-2107).  Returns NULL after
 * reporting (EXIT_INTERNAL). */
struct dzip *dzip_create(int year, int month, int day);

/* Adds the part name (e.g. "word/document.xml") with the bytes buf[0..len);
 * takes ownership of buf (malloc'd) whatever the result.  Returns 0, or -1
 * after reporting (EXIT_INTERNAL). */
int dzip_add(struct dzip *z, const char *name, char *buf, size_t len);

/* The same with the bytes in a spool (spool.h), read when the archive is
 * closed: a part too large for memory (a 1M-row document.xml).  Takes
 * ownership of sp whatever the result. */
struct spool;
int dzip_add_spool(struct dzip *z, const char *name, struct spool *sp);

/* Closes the archive and writes it to path (created or truncated, mode
 * 0666 less the umask).  Returns 0, or -1 after reporting (EXIT_OUTPUT
 * with the errno text, EXIT_INTERNAL when libzip fails); path may then
 * hold part of an archive: write to a temporary file and rename it into
 * place only on success (output.h).  Frees z. */
int dzip_write(struct dzip *z, const char *path);

/* Closes the archive and returns its bytes (malloc'd, owned by the
 * caller) and their length in *len: a package inside another (a chart's
 * workbook).  Returns NULL after reporting (EXIT_INTERNAL).  Frees z. */
char *dzip_bytes(struct dzip *z, size_t *len);

/* Frees z without writing (NULL is fine). */
void dzip_free(struct dzip *z);

#endif
