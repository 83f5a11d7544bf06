/* changemarks: change markers on the time axis of a graph — rollouts (▲ / R),
 * autoscaler resizes (◆ / S) and restarts or OOM kills (↻ / !) from the
 * Kubernetes sources, as a glyph on the plot's top row with a dotted
 * vertical tick through the empty cells below, so "the latency jumped
 * right after the rollout" is visible on every graph. */
#ifndef SCRY_CHANGEMARKS_H
#define SCRY_CHANGEMARKS_H

#include "widgets/widget.h"

/* Draw the markers of [a, b] over the plot area (x0, y0, w, h) of cv.
 * Returns how many columns got a marker. */
int	changemarks_draw(struct canvas *cv, const struct wctx *c, int x0, int w, int y0, int h,
	    tns a, tns b);
/* The glyph of a marker type (ascii: a letter). */
uint32_t changemarks_glyph(int type, int ascii);

#endif
