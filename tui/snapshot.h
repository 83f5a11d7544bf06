/* snapshot: render exactly one frame of the same canvas to a stream as
 * plain text or ANSI colour, with no terminal — for tests, bug reports
 * and incident channels.  It waits until every panel has answered (or
 * the timeout passes) before drawing. */
#ifndef SCRY_SNAPSHOT_H
#define SCRY_SNAPSHOT_H
#include <stdio.h>

#include "core/canvas.h"
#include "core/theme.h"

struct app;

int	snapshot_run(struct app *a, FILE *out);
/* Write a canvas with SGR colours for the roles (cm != CM_MONO) or as text. */
void	snapshot_write(const struct canvas *cv, const struct theme *t, enum colormode cm, FILE *out);
/* The same; with ascii every glyph is mapped by canvas_ascii() (a
 * non-UTF-8 locale or --glyphs ascii). */
void	snapshot_write_opts(const struct canvas *cv, const struct theme *t, enum colormode cm,
	    int ascii, FILE *out);

#endif
