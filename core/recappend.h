/* recappend: adding annotations to an existing recording (:w during a
 * replay), safely: only new frames are appended — a notes frame, a new
 * index and trailer — after the old trailer is cut off, so a crash at any
 * point leaves a recording that reads by scanning with at most the new
 * notes lost.  Or a copy of the recording with the notes (never over an
 * existing file). */
#ifndef SCRY_RECAPPEND_H
#define SCRY_RECAPPEND_H
#include <stddef.h>

#include "core/annotation.h"
#include "core/recread.h"

/* Append notes[0..n) to the file r was read from (path NULL; it must not
 * have changed on disk since) or write a copy to path.  0 or -1 with *err. */
int	rec_append_notes(const struct recread *r, const char *path,
	    struct ev_annotation *const *notes, size_t n, char **err);

#endif
