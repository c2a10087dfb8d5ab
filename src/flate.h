/* Flate: deflate (zlib) for PDF streams, and a pipeline that deflates
 * pages' content streams on a second thread while the next pages are
 * drawn.
 *
 * Contract: the compressed bytes are exactly those libharu 2.3.0 writes
 * for a FlateDecode stream (zlib deflateInit at Z_DEFAULT_COMPRESSION,
 * one zlib stream per input), so a stream deflated here and one deflated
 * by libharu at save time cannot be told apart.  No libharu here: pages
 * reach the document through the caller's deliver callback.  Errors
 * (zlib failing) are reported through diag with EXIT_INTERNAL. */
#ifndef ZJ_FLATE_H
#define ZJ_FLATE_H

#include <stddef.h>

#include "pdf_content.h"

/* Appends in[0..len) deflated to out.  Safe from any thread.  Returns 0,
 * or -1 on a zlib error (not reported: the caller knows what it was
 * deflating). */
int flate_buf(const void *in, size_t len, struct pc_buf *out);

/* Called in the drawing thread with each page's deflated content stream
 * z[0..zlen), in page order (zlen is 0 for an empty page).  Returns 0, or
 * -1 after reporting (the pipeline stops). */
typedef int (*flate_deliver)(void *arg, int page, const unsigned char *z,
    size_t zlen);

struct flate_pipe;

/* Starts a pipeline (a worker thread if one can be made; otherwise
 * batches are deflated in the calling thread).  Never NULL. */
struct flate_pipe *flate_pipe_new(flate_deliver deliver, void *arg);

/* The buffer the content stream of page (1, 2, ... in order) is to be
 * appended to; valid until flate_pipe_end. */
struct pc_buf *flate_pipe_begin(struct flate_pipe *fp, int page);

/* Closes the page begun last; last says no page follows.  When a batch
 * is complete, waits for the previous batch's deflating, delivers it, and
 * hands the new batch to the worker.  Returns 0, or -1 after reporting. */
int flate_pipe_end(struct flate_pipe *fp, int last);

/* Waits for the worker, delivers what is left unless ok is 0 (a failed
 * run), stops the worker and frees fp.  Returns 0, or -1 after
 * reporting. */
int flate_pipe_finish(struct flate_pipe *fp, int ok);

#endif
