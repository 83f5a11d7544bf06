/* bigtext: numbers three rows tall, drawn with half-block glyphs, for the
 * stat panel's headline value.  Only digits and . - + , % are big; the
 * caller draws the unit in normal text beside them. */
#ifndef SCRY_BIGTEXT_H
#define SCRY_BIGTEXT_H
#include "core/canvas.h"

#define BIG_ROWS	3

/* Columns bigtext_draw would use for s (0 if s has a glyph it cannot
 * draw big). */
int	bigtext_width(const char *s);
/* Draw s at (x, y); returns the columns used. */
int	bigtext_draw(struct canvas *cv, int x, int y, const char *s, enum role role);

#endif
