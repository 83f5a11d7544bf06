/* braille: sub-cell plotting for graphs and sparklines.
 * A plot is a W x H cell area addressed in dots: braille gives 2x4 dots
 * per cell, the block fallback 1x2 (half blocks), ASCII 1x2 (' . :).
 * Each cell remembers the role of the last series that set a dot in it,
 * so the focused series is drawn last to stay on top. */
#ifndef SCRY_BRAILLE_H
#define SCRY_BRAILLE_H
#include <stdint.h>

#include "core/canvas.h"

enum glyphset { GS_BRAILLE, GS_BLOCK, GS_ASCII };

struct plot {
	int		 w, h;		/* cells */
	int		 xres, yres;	/* dots per cell */
	enum glyphset	 gs;
	uint8_t		*bits;		/* per cell dot mask */
	uint8_t		*role;		/* per cell role of the last writer */
};

void	plot_init(struct plot *p, int w, int h, enum glyphset gs);
void	plot_free(struct plot *p);
void	plot_clear(struct plot *p);
int	plot_dots_w(const struct plot *p);
int	plot_dots_h(const struct plot *p);
/* Set dot (x, y); y = 0 is the top.  Out-of-range dots are ignored. */
void	plot_dot(struct plot *p, int x, int y, enum role role);
/* Bresenham line between two dots. */
void	plot_line(struct plot *p, int x0, int y0, int x1, int y1, enum role role);
/* Draw non-empty cells onto cv at (x, y). */
void	plot_blit(const struct plot *p, struct canvas *cv, int x, int y);
/* Glyph for a sparkline/bar level 0..8 (0 = empty) in a glyph set. */
uint32_t spark_glyph(int level, enum glyphset gs);

#endif
