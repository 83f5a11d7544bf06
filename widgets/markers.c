/* markers: collecting and drawing time markers on graphs.
 * Invariant: nothing is drawn outside the plot rectangle and its axis row;
 * a marker only ever replaces blank plot cells (data stays visible). */
#include "widgets/markers.h"

#include "core/annotation.h"
#include "core/store.h"

size_t
markers_collect(const struct panel *p, const struct wctx *c, tns a, tns b, struct axis_mark *out,
    size_t max)
{
	const struct annotation_list *l = store_annotations(c->store);
	size_t n = 0;

	for (size_t i = 0; l && i < l->n && n < max; i++) {
		const struct ev_annotation *an = l->a[i];
		if (an->at < a || an->at > b)
			continue;
		out[n++] = (struct axis_mark){ an->at, 0x25c6, '*', ROLE_MARKER,
		    p && an->panel_id && an->panel_id == p->cfg->id ? CA_BOLD : 0 };
	}
	return n;
}

void
markers_draw(struct canvas *cv, struct rect plot, int axis_y, tns a, tns b,
    const struct axis_mark *m, size_t n, int ascii)
{
	if (plot.w < 1 || plot.h < 1 || b <= a)
		return;
	for (size_t i = 0; i < n; i++) {
		int x = plot.x + (int)((double)(m[i].t - a) / (double)(b - a) * (plot.w - 1) + 0.5);
		int y = axis_y >= 0 ? axis_y : plot.y + plot.h - 1;

		if (x < plot.x || x >= plot.x + plot.w)
			continue;
		for (int yy = plot.y; yy < plot.y + plot.h; yy++) {
			const struct cell *cell = canvas_cell(cv, x, yy);
			if (cell && cell->ch == ' ' && yy != y)
				canvas_put(cv, x, yy, ascii ? ':' : 0x250a, m[i].role, CA_DIM);
		}
		canvas_put(cv, x, y, ascii ? (uint32_t)(unsigned char)m[i].ascii : m[i].glyph,
		    m[i].role, m[i].attr);
	}
}

void
markers_graph(struct canvas *cv, struct rect plot, int axis_y, tns a, tns b,
    const struct panel *p, const struct wctx *c)
{
	struct axis_mark m[MARKERS_MAX];
	size_t n = markers_collect(p, c, a, b, m, MARKERS_MAX);

	markers_draw(cv, plot, axis_y, a, b, m, n, c->ascii);
}
