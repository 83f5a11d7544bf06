/* view: the shared time window every panel draws.
 * Live mode follows now; a paused or panned view has a fixed end.  The
 * time cursor (TNS_NONE when off) is shared by all panels. */
#ifndef SCRY_VIEW_H
#define SCRY_VIEW_H
#include "core/ts.h"

struct view {
	tns	range;		/* window width */
	tns	end;		/* window end when not live */
	int	live;		/* end follows now */
	tns	cursor;		/* TNS_NONE = no cursor */
	int	utc;		/* show times in UTC */
};

void	view_init(struct view *v, tns range);
/* The window end at wall/virtual time `now`. */
tns	view_end(const struct view *v, tns now);
tns	view_start(const struct view *v, tns now);
/* Zoom through 5m 15m 1h 3h 6h 12h 24h 2d 7d (dir +1 = out, -1 = in). */
void	view_zoom(struct view *v, int dir);
/* Pan by half a window (dir -1 = back, +1 = forward); stops live mode. */
void	view_pan(struct view *v, int dir, tns now);
/* Toggle pause: freezes end at now / resumes live. */
void	view_toggle_pause(struct view *v, tns now);
void	view_go_live(struct view *v);
/* Fix the end at t (--at, :goto). */
void	view_set_end(struct view *v, tns t);
/* Move the cursor by one step of the window (dir -1/+1); starts at end. */
void	view_cursor_move(struct view *v, int dir, tns now, tns step);
/* "live, last 1h" / "paused 02:17:05, 1h" for the status bar. */
void	view_describe(const struct view *v, tns now, char *dst, size_t n);

#endif
