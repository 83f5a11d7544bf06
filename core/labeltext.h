/* labeltext: a label set as one line of text and back, exactly.
 *   {__name__="up",job="api",path="/a\"b"}
 * Names in sorted order, values escaped as PromQL strings (\\ \" \n), so
 * any value (quotes, newlines, braces, commas) round-trips.  Used where
 * label sets travel as strings: /api/v1/series and Loki /series answers
 * ride in EV_VALUES events (recorded, replayed) as one text per set. */
#ifndef SCRY_LABELTEXT_H
#define SCRY_LABELTEXT_H
#include <stddef.h>

#include "core/buf.h"
#include "core/labels.h"

/* Append the text of ls to b; -1 if b refused it (limit). */
int	labeltext_format(const struct labelset *ls, struct buf *b);
/* Parse text made by labeltext_format (ls is initialised here and
 * finished); 0, or -1 on anything else (ls is then empty). */
int	labeltext_parse(const char *s, size_t n, struct labelset *ls);

#endif
