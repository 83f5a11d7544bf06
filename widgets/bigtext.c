/* bigtext: a 3x3 half-block font for digits (see bigtext.h).
 * Invariant: every glyph row of one glyph has the same width. */
#include "widgets/bigtext.h"

#include <string.h>

#include "core/sanitize.h"

struct bigglyph {
	char		 c;
	const char	*row[BIG_ROWS];	/* UTF-8, equal widths */
};

/* \u2580 upper half, \u2584 lower half, \u2588 full block */
#define U "\xe2\x96\x80"
#define L "\xe2\x96\x84"
#define F "\xe2\x96\x88"
static const struct bigglyph glyphs[] = {
	{ '0', { F U F, F " " F, U U U } },
	{ '1', { U F " ", " " F " ", U U U } },
	{ '2', { U U F, F U U, U U U } },
	{ '3', { U U F, " " U F, U U U } },
	{ '4', { F " " F, U U F, "  " U } },
	{ '5', { F U U, U U F, U U U } },
	{ '6', { F U U, F U F, U U U } },
	{ '7', { U U F, "  " F, "  " U } },
	{ '8', { F U F, F U F, U U U } },
	{ '9', { F U F, U U F, U U U } },
	{ '.', { " ", " ", U } },
	{ ',', { " ", " ", L } },
	{ '-', { "   ", U U U, "   " } },
	{ '+', { " " L " ", U F U, "   " } },
	{ ' ', { " ", " ", " " } },
};
#undef U
#undef L
#undef F

static const struct bigglyph *
find(char c)
{
	for (size_t i = 0; i < sizeof glyphs / sizeof *glyphs; i++)
		if (glyphs[i].c == c)
			return &glyphs[i];
	return NULL;
}

int
bigtext_width(const char *s)
{
	int w = 0;

	for (; *s; s++) {
		const struct bigglyph *g = find(*s);
		if (!g)
			return 0;
		w += san_width(g->row[0], strlen(g->row[0]), 0) + 1;
	}
	return w > 0 ? w - 1 : 0;
}

int
bigtext_draw(struct canvas *cv, int x, int y, const char *s, enum role role)
{
	int x0 = x;

	for (; *s; s++) {
		const struct bigglyph *g = find(*s);
		int gw;
		if (!g)
			break;
		gw = san_width(g->row[0], strlen(g->row[0]), 0);
		for (int r = 0; r < BIG_ROWS; r++)
			canvas_str(cv, x, y + r, gw, g->row[r], role, 0);
		x += gw + 1;
	}
	return x > x0 ? x - x0 - 1 : 0;
}
