/* markers: moments marked on a graph's time axis — the notebook's
 * annotations, and anything else that marks a time (a rollout, ...).
 * A generic list of (time, glyph, role): collectors fill it from the
 * store, markers_draw() puts each glyph on the axis row with a faint
 * vertical line through the empty cells of the plot above it. */
#ifndef SCRY_MARKERS_H
#define SCRY_MARKERS_H
#include <stddef.h>
#include <stdint.h>

#include "core/canvas.h"
#include "core/ts.h"
#include "widgets/widget.h"

#define MARKERS_MAX	256

struct axis_mark {
	tns		t;
	uint32_t	glyph;		/* drawn with UTF-8 line drawing */
	char		ascii;		/* drawn otherwise */
	enum role	role;
	uint8_t		attr;
};

/* Markers for panel p inside [a, b]: every annotation (bold when it is
 * attached to this panel).  Returns how many (at most max). */
size_t	markers_collect(const struct panel *p, const struct wctx *c, tns a, tns b,
	    struct axis_mark *out, size_t max);
/* Draw onto cv: plot is the plot area, axis_y its time-axis row (or -1:
 * the glyph goes on the plot's bottom row). */
void	markers_draw(struct canvas *cv, struct rect plot, int axis_y, tns a, tns b,
	    const struct axis_mark *m, size_t n, int ascii);
/* Collect and draw: the one call a graph makes. */
void	markers_graph(struct canvas *cv, struct rect plot, int axis_y, tns a, tns b,
	    const struct panel *p, const struct wctx *c);

#endif
