/* timeline: the replay bar above the status bar, the replay keys, :goto
 * during a replay, and the recording badge of the status bar.
 * The bar maps the whole recording onto its width: played part, the
 * playhead, annotations and alert transitions; it is drawn only on the
 * terminal (a --snapshot shows the screen as it was, without it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/recorder.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "sources/replay.h"
#include "tui/app.h"

/* ------------------------------------------------------------------ time */

static int
in_rec(struct app *a, tns t)
{
	return t >= replay_start(a->rp) && t <= replay_end(a->rp);
}

int
timeline_parse_time(struct app *a, const char *s, tns *t, char **err)
{
	tns start = replay_start(a->rp), end = replay_end(a->rp), d;
	char a1[40], a2[40];

	while (*s == ' ')
		s++;
	if (*s == '+' && ts_parse_duration(s + 1, &d) == 0) {
		*t = start + d;	/* "+10m": from the start */
	} else if (ts_parse_time(s, end, a->view.utc, t) < 0) {
		*err = xasprintf("'%s' is not a time (try 02:17, 2026-11-26T02:17:00Z, +10m or now-5m)", s);
		return -1;
	} else if (!in_rec(a, *t)) {
		/* HH:MM is taken on the day of the end; try the start's day */
		tns t2;
		if (ts_parse_time(s, start, a->view.utc, &t2) == 0 && in_rec(a, t2))
			*t = t2;
	}
	if (!in_rec(a, *t)) {
		ts_fmt_datetime(a1, sizeof a1, start, a->view.utc);
		ts_fmt_datetime(a2, sizeof a2, end, a->view.utc);
		*err = xasprintf("'%s' is outside the recording (%s%s to %s%s)", s, a1,
		    a->view.utc ? "Z" : "", a2, a->view.utc ? "Z" : "");
		return -1;
	}
	return 0;
}

/* Every seek re-attaches the view to the playhead. */
static void
seek(struct app *a, tns t)
{
	view_go_live(&a->view);
	replay_seek(a->rp, t);
	app_dirty(a);
}

int
timeline_goto(struct app *a, const char *arg)
{
	char *err = NULL, c[32];
	tns t;

	if (!a->rp)
		return 0;
	if (timeline_parse_time(a, arg, &t, &err) < 0) {
		app_message(a, 1, "goto: %s", err);
		free(err);
		return 1;
	}
	seek(a, t);
	ts_fmt_clock(c, sizeof c, t, a->view.utc, 1);
	app_message(a, 0, "at %s", c);
	return 1;
}

/* ------------------------------------------------------------------ keys */

static void
jump_mark(struct app *a, int dir)
{
	size_t n;
	const struct replay_mark *m = replay_marks(a->rp, &n);
	tns t;
	char c[32];

	if (replay_mark_near(a->rp, dir, &t) < 0) {
		app_message(a, 0, "no %s annotation or alert", dir > 0 ? "later" : "earlier");
		return;
	}
	seek(a, t);
	ts_fmt_clock(c, sizeof c, t, a->view.utc, 1);
	for (size_t i = 0; i < n; i++)
		if (m[i].t == t) {
			static const char *const what[] = { "note", "pending", "firing", "resolved" };
			char *label = san_dup(m[i].label, strlen(m[i].label), 80);
			app_message(a, 0, "%s %s: %s", c, what[m[i].kind], label);
			free(label);
			return;
		}
}

static void
jump(struct app *a, tns d)
{
	char c[32];

	seek(a, replay_time(a->rp) + d);
	ts_fmt_clock(c, sizeof c, replay_time(a->rp), a->view.utc, 1);
	app_message(a, 0, "at %s", c);
}

int
timeline_key(struct app *a, int key)
{
	if (!a->rp)
		return 0;
	switch (key) {
	case ' ':
		replay_play(a->rp, !replay_playing(a->rp));
		if (replay_playing(a->rp))
			view_go_live(&a->view);
		break;
	case '}':
		replay_speed_step(a->rp, 1);
		break;
	case '{':
		replay_speed_step(a->rp, -1);
		break;
	case '.':
		jump(a, 10 * NS_PER_S);
		break;
	case ',':
		jump(a, -10 * NS_PER_S);
		break;
	case ')':
		jump(a, 60 * NS_PER_S);
		break;
	case '(':
		jump(a, -60 * NS_PER_S);
		break;
	case 'm':
		jump_mark(a, 1);
		break;
	case 'M':
		jump_mark(a, -1);
		break;
	case K_HOME:
		seek(a, replay_start(a->rp));
		break;
	case K_END:
		seek(a, replay_end(a->rp));
		break;
	default:
		return 0;
	}
	app_dirty(a);
	return 1;
}

/* ------------------------------------------------------------------ draw */

static int
mark_rank(enum replay_mark_kind k)
{
	return k == RM_FIRING ? 4 : k == RM_NOTE ? 3 : k == RM_PENDING ? 2 : 1;
}

static void
draw_bar(struct app *a, struct canvas *cv, int x0, int w, int y)
{
	tns start = replay_start(a->rp), end = replay_end(a->rp), now = replay_time(a->rp);
	double span = end > start ? (double)(end - start) : 1;
	int head = (int)((double)(now - start) / span * (w - 1) + 0.5);
	size_t n;
	const struct replay_mark *m = replay_marks(a->rp, &n);
	int *rank = xcalloc((size_t)w + 1, sizeof *rank);

	for (int x = 0; x < w; x++)
		canvas_put(cv, x0 + x, y, x <= head ? (a->ascii ? '=' : 0x2501) :
		    (a->ascii ? '-' : 0x2500), x <= head ? ROLE_FOCUS : ROLE_DIM, 0);
	for (size_t i = 0; i < n; i++) {
		int x = (int)((double)(m[i].t - start) / span * (w - 1) + 0.5), r = mark_rank(m[i].kind);
		static const uint32_t glyph[] = { 0x25c6, 0x25b3, 0x25b2, 0x25bd };	/* ◆ △ ▲ ▽ */
		static const char ascii[] = { '*', '^', '^', 'v' };
		static const enum role role[] = { ROLE_MARKER, ROLE_WARN, ROLE_ERROR, ROLE_OK };
		if (x < 0 || x >= w || rank[x] >= r)
			continue;
		rank[x] = r;
		canvas_put(cv, x0 + x, y, a->ascii ? (uint32_t)ascii[m[i].kind] : glyph[m[i].kind],
		    role[m[i].kind], CA_BOLD);
	}
	if (head >= 0 && head < w)
		canvas_put(cv, x0 + head, y, a->ascii ? '|' : 0x25cf, ROLE_CURSOR, CA_BOLD);
	free(rank);
}

static void
fmt_elapsed(char *dst, size_t n, tns d)
{
	long long s = (long long)((d + NS_PER_S / 2) / NS_PER_S);

	if (s >= 3600)
		snprintf(dst, n, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(dst, n, "%lld:%02lld", s / 60, s % 60);
}

void
timeline_draw(struct app *a, struct canvas *cv, int y)
{
	char left[64], right[96], clk[32], el[24], tot[24];
	const char *state;
	int x, rx;

	if (!a->rp || y < 0)
		return;
	canvas_fill(cv, (struct rect){ 0, y, cv->w, 1 }, ' ', ROLE_STATUSBAR, 0);
	state = replay_playing(a->rp) ? (a->ascii ? ">" : "\xe2\x96\xb6") :
	    (a->ascii ? "||" : "\xe2\x8f\xb8");
	ts_fmt_clock(clk, sizeof clk, replay_time(a->rp), a->view.utc, 1);
	snprintf(left, sizeof left, " %s %dx  %s%s%s ", state, replay_speed(a->rp), clk,
	    a->view.utc ? "Z" : "", replay_rebuilding(a->rp) ? (a->ascii ? " ..." : " \xe2\x80\xa6") : "");
	fmt_elapsed(el, sizeof el, replay_time(a->rp) - replay_start(a->rp));
	fmt_elapsed(tot, sizeof tot, replay_end(a->rp) - replay_start(a->rp));
	if (replay_unsaved(a->rp))
		snprintf(right, sizeof right, " %zu unsaved (:w)  %s/%s ", replay_unsaved(a->rp), el, tot);
	else
		snprintf(right, sizeof right, " %s/%s ", el, tot);
	x = canvas_str(cv, 0, y, cv->w, left, ROLE_STATUSKEY, CA_BOLD);
	rx = cv->w;
	if (replay_problem(a->rp) && cv->w - x > 40)
		rx = canvas_str_right(cv, rx, y, " ! ", ROLE_ERROR, CA_BOLD);
	if (rx - x - (int)strlen(right) >= 10) {
		rx = canvas_str_right(cv, rx, y, right, ROLE_STATUSBAR, 0);
		draw_bar(a, cv, x + 1, rx - x - 2, y);
	} else if (rx - x >= 6)
		draw_bar(a, cv, x, rx - x, y);
}

void
timeline_badge(struct app *a, char *dst, size_t n, enum role *role)
{
	struct rec_stats st;

	dst[0] = '\0';
	*role = ROLE_ERROR;
	if (!a->rec)
		return;
	rec_stats(a->rec, &st);
	if (st.failed) {
		snprintf(dst, n, " REC STOPPED: %.80s ", st.error);
		return;
	}
	if (st.dropped)
		snprintf(dst, n, " REC %.1f MB, %llu lost ", (double)st.bytes / 1e6,
		    (unsigned long long)st.dropped);
	else
		snprintf(dst, n, " REC %.1f MB ", (double)st.bytes / 1e6);
}
