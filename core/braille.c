/* braille: dot plotting with braille, half-block and ASCII renderings. */
#include "core/braille.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* braille dot bit for (column, row) inside a 2x4 cell (apis.md §9.2) */
static const uint8_t braille_bit[4][2] = {
	{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
};

void
plot_init(struct plot *p, int w, int h, enum glyphset gs)
{
	size_t n;

	memset(p, 0, sizeof *p);
	p->w = w > 0 ? w : 0;
	p->h = h > 0 ? h : 0;
	p->gs = gs;
	p->xres = gs == GS_BRAILLE ? 2 : 1;
	p->yres = gs == GS_BRAILLE ? 4 : 2;
	n = (size_t)p->w * (size_t)p->h;
	p->bits = xcalloc(n ? n : 1, 1);
	p->role = xcalloc(n ? n : 1, 1);
}

void
plot_free(struct plot *p)
{
	free(p->bits);
	free(p->role);
	memset(p, 0, sizeof *p);
}

void
plot_clear(struct plot *p)
{
	size_t n = (size_t)p->w * (size_t)p->h;
	memset(p->bits, 0, n);
	memset(p->role, 0, n);
}

int
plot_dots_w(const struct plot *p)
{
	return p->w * p->xres;
}

int
plot_dots_h(const struct plot *p)
{
	return p->h * p->yres;
}

void
plot_dot(struct plot *p, int x, int y, enum role role)
{
	int cx, cy;
	size_t i;

	if (x < 0 || y < 0 || x >= plot_dots_w(p) || y >= plot_dots_h(p))
		return;
	cx = x / p->xres;
	cy = y / p->yres;
	i = (size_t)cy * (size_t)p->w + (size_t)cx;
	if (p->gs == GS_BRAILLE)
		p->bits[i] |= braille_bit[y % 4][x % 2];
	else
		p->bits[i] |= (uint8_t)(1u << (y % 2));
	p->role[i] = (uint8_t)role;
}

void
plot_line(struct plot *p, int x0, int y0, int x1, int y1, enum role role)
{
	int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
	int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
	int err = dx + dy, guard = 0;
	int lim = plot_dots_w(p) + plot_dots_h(p) + 4;

	/* clamp far-away endpoints so the loop stays bounded */
	if (abs(x0) > 1 << 20 || abs(x1) > 1 << 20 || abs(y0) > 1 << 20 || abs(y1) > 1 << 20)
		return;
	lim = dx - dy + 2 > lim ? dx - dy + 2 : lim;
	for (;;) {
		plot_dot(p, x0, y0, role);
		if ((x0 == x1 && y0 == y1) || ++guard > lim)
			break;
		int e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

static uint32_t
cell_glyph(const struct plot *p, uint8_t bits)
{
	switch (p->gs) {
	case GS_BRAILLE:
		return 0x2800 + bits;
	case GS_BLOCK:
		return bits == 3 ? 0x2588 : bits == 1 ? 0x2580 : 0x2584;
	default:
		return bits == 3 ? ':' : bits == 1 ? '\'' : '.';
	}
}

void
plot_blit(const struct plot *p, struct canvas *cv, int x, int y)
{
	for (int cy = 0; cy < p->h; cy++)
		for (int cx = 0; cx < p->w; cx++) {
			size_t i = (size_t)cy * (size_t)p->w + (size_t)cx;
			if (p->bits[i])
				canvas_put(cv, x + cx, y + cy, cell_glyph(p, p->bits[i]),
				    (enum role)p->role[i], 0);
		}
}

uint32_t
spark_glyph(int level, enum glyphset gs)
{
	static const char ascii[] = " _.-=+*#@";

	if (level <= 0)
		return ' ';
	if (level > 8)
		level = 8;
	if (gs == GS_ASCII)
		return (uint32_t)ascii[level];
	return 0x2580 + (uint32_t)level;	/* U+2581..U+2588 */
}
