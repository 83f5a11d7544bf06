/* changemarks: draw change markers from store_markers() onto a graph.
 * Invariant: one glyph per column (the most significant type wins:
 * rollout, then scale, then restart); ticks never cover plotted data. */
#include "widgets/changemarks.h"

#include <stdlib.h>

#include "core/marker.h"
#include "core/xalloc.h"

uint32_t
changemarks_glyph(int type, int ascii)
{
	switch (type) {
	case MK_ROLLOUT: return ascii ? 'R' : 0x25B2;	/* ▲ */
	case MK_SCALE: return ascii ? 'S' : 0x25C6;	/* ◆ */
	default: return ascii ? '!' : 0x21BB;		/* ↻ */
	}
}

int
changemarks_draw(struct canvas *cv, const struct wctx *c, int x0, int w, int y0, int h, tns a, tns b)
{
	const struct marker_list *l = store_markers(c->store);
	signed char *best;
	int cols = 0;

	if (!l->n || w < 2 || h < 1 || b <= a)
		return 0;
	best = xmalloc((size_t)w);
	for (int i = 0; i < w; i++)
		best[i] = -1;
	for (size_t i = marker_lower_bound(l, a); i < l->n && l->m[i].t <= b; i++) {
		int x = (int)((double)(l->m[i].t - a) / (double)(b - a) * (w - 1));
		if (x >= 0 && x < w && (best[x] < 0 || l->m[i].type < best[x]))
			best[x] = (signed char)l->m[i].type;
	}
	for (int x = 0; x < w; x++) {
		if (best[x] < 0)
			continue;
		cols++;
		canvas_put(cv, x0 + x, y0, changemarks_glyph(best[x], c->ascii), ROLE_MARKER, CA_BOLD);
		for (int y = y0 + 1; y < y0 + h; y++) {
			struct cell *cl = canvas_cell(cv, x0 + x, y);
			if (cl && cl->ch == ' ')
				canvas_put(cv, x0 + x, y, c->ascii ? ':' : 0x250A, ROLE_MARKER, 0);
		}
	}
	free(best);
	return cols;
}
