/* view: time window arithmetic shared by all panels. */
#include "core/view.h"

#include <stdio.h>

static const tns zooms[] = {
	5 * 60 * NS_PER_S, 15 * 60 * NS_PER_S, 3600 * NS_PER_S, 3 * 3600 * NS_PER_S,
	6 * 3600 * NS_PER_S, 12 * 3600 * NS_PER_S, 24 * 3600 * NS_PER_S,
	2 * 86400 * NS_PER_S, 7 * 86400 * NS_PER_S,
};
#define NZOOM	(sizeof zooms / sizeof *zooms)

void
view_init(struct view *v, tns range)
{
	v->range = range > 0 ? range : 3600 * NS_PER_S;
	v->end = 0;
	v->live = 1;
	v->cursor = TNS_NONE;
	v->utc = 0;
}

tns
view_end(const struct view *v, tns now)
{
	return v->live ? now : v->end;
}

tns
view_start(const struct view *v, tns now)
{
	return view_end(v, now) - v->range;
}

void
view_zoom(struct view *v, int dir)
{
	size_t i;

	if (dir > 0) {
		for (i = 0; i < NZOOM; i++)
			if (zooms[i] > v->range) {
				v->range = zooms[i];
				return;
			}
	} else {
		for (i = NZOOM; i > 0; i--)
			if (zooms[i - 1] < v->range) {
				v->range = zooms[i - 1];
				return;
			}
	}
}

void
view_pan(struct view *v, int dir, tns now)
{
	tns end = view_end(v, now) + dir * (v->range / 2);
	/* reaching (about) now is live again, not a window frozen just short of it */
	if (dir > 0 && end + v->range / 20 >= now) {
		view_go_live(v);
		return;
	}
	v->live = 0;
	v->end = end;
}

void
view_toggle_pause(struct view *v, tns now)
{
	if (v->live) {
		v->live = 0;
		v->end = now;
	} else
		view_go_live(v);
}

void
view_go_live(struct view *v)
{
	v->live = 1;
	v->end = 0;
	v->cursor = TNS_NONE;
}

void
view_set_end(struct view *v, tns t)
{
	v->live = 0;
	v->end = t;
}

void
view_cursor_move(struct view *v, int dir, tns now, tns step)
{
	tns start = view_start(v, now), end = view_end(v, now);

	if (step <= 0)
		step = v->range / 100 > 0 ? v->range / 100 : NS_PER_S;
	if (v->cursor == TNS_NONE)
		v->cursor = end;
	else
		v->cursor += dir * step;
	if (v->cursor < start)
		v->cursor = start;
	if (v->cursor > end)
		v->cursor = end;
}

void
view_describe(const struct view *v, tns now, char *dst, size_t n)
{
	char r[32], c[32];

	ts_fmt_duration(r, sizeof r, v->range);
	if (v->live) {
		snprintf(dst, n, "live, last %s", r);
		return;
	}
	ts_fmt_datetime(c, sizeof c, v->end, v->utc);
	snprintf(dst, n, "%s%s, %s window", c, v->utc ? "Z" : "", r);
	(void)now;
}
