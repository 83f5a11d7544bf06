/* render: compose the screen on the canvas — panel frames and states,
 * the status bar, the help and log overlays, the command line.
 * Panel insides are drawn by their widgets through clipped sub-canvases;
 * everything here is sanitised text too (titles come from files). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sanitize.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/svcview.h"
#include "tui/vars.h"


#define MIN_COLS	20
#define MIN_ROWS	5

/* Wrapped, sanitised text inside r; returns rows used. */
static int
draw_wrapped(struct canvas *cv, int x, int y, int w, int maxrows, const char *s, enum role role)
{
	struct text_opts o = { .role = role };
	size_t len = strlen(s);
	int rows = 0;

	while (len && rows < maxrows && w > 0) {
		size_t used = san_wrap(s, len, w, 0);
		canvas_text(cv, x, y + rows, w, s, used, &o, NULL);
		s += used;
		len -= used;
		while (len && *s == ' ')
			s++, len--;
		rows++;
	}
	return rows;
}

static void
draw_centered(struct canvas *cv, int y, const char *s, enum role role)
{
	int w = san_width(s, strlen(s), 0), x = (cv->w - w) / 2;
	canvas_str(cv, x < 0 ? 0 : x, y, cv->w, s, role, 0);
}

/* The inside of a panel without data: why not. */
static void
draw_state(struct app *a, struct panel *p, struct canvas *in, int state,
    const struct ev_status *last)
{
	int y = in->h > 2 ? in->h / 2 - 1 : 0;

	(void)a;
	if (p->nosrc) {
		draw_centered(in, y, "no data source", ROLE_DIM);
		draw_wrapped(in, 1, y + 1, in->w - 2, in->h - y - 1, p->nosrc, ROLE_DIM);
	} else if (state == QS_ERROR) {
		char head[64];
		if (last && last->http)
			snprintf(head, sizeof head, "error (HTTP %d)", last->http);
		else
			snprintf(head, sizeof head, "error");
		draw_centered(in, y > 0 ? y - 1 : 0, head, ROLE_ERROR);
		draw_wrapped(in, 1, y > 0 ? y : 1, in->w - 2, in->h - y,
		    last && last->error ? last->error : "request failed", ROLE_ERROR);
	} else if (state == QS_OK)
		draw_centered(in, y, "no data in this window", ROLE_DIM);
	else
		draw_centered(in, y, "waiting for data\xe2\x80\xa6", ROLE_DIM);
}

/* The first warning of the panel's latest answers (Prometheus "warnings"
 * and "infos"), and how many there are in all; NULL if none. */
static const char *
panel_warning(struct app *a, struct panel *p, size_t *n)
{
	const char *first = NULL;
	tns now = app_now(a);

	*n = 0;
	for (size_t k = 0; k < p->nneed; k++) {
		struct qview q;
		if (!p->key[k] || p->need[k].aux)
			continue;
		store_status(a->store, p->key[k], now, &q);
		if (q.state != QS_OK || !q.last || !q.last->nwarn)
			continue;
		if (!first)
			first = q.last->warnings[0];
		*n += q.last->nwarn;
	}
	return first;
}

/* The top border: title on the left, state badge (and INSECURE) on the
 * right.  Invariant: the title keeps at least TITLE_MIN columns (or its
 * whole width if shorter), so a narrow panel in trouble still says which
 * panel it is; a badge that does not fit beside that becomes "!". */
#define TITLE_MIN	6

/* A badge ending at column right, or one "!" (for all such badges) when
 * only that fits beside the title's share; the new right end. */
static int
frame_badge(struct canvas *cv, int right, int keep, const char *b, enum role role, int *bang)
{
	if (right - (int)strlen(b) >= keep)
		return canvas_str_right(cv, right, 0, b, role, 0);
	if (right - 3 >= keep && !*bang) {
		*bang = 1;
		return canvas_str_right(cv, right, 0, " ! ", role, CA_BOLD);
	}
	return right;
}

static void
draw_frame(struct app *a, struct panel *p, struct canvas *cv, int focused, const char *badge,
    enum role brole)
{
	struct rect r = { 0, 0, cv->w, cv->h };
	enum role fr = focused ? ROLE_FOCUS : ROLE_BORDER;
	int x = 2, right = cv->w - 2, tw, keep, bang = 0;
	/* titles may name variables: "P99 ($service)" */
	char *t = tmpl_expand_text(p->cfg->title && *p->cfg->title ? p->cfg->title : p->cfg->type, a->db);

	canvas_box(cv, r, fr, 0, a->ascii);
	tw = san_width(t, strlen(t), 0);
	keep = x + (tw < TITLE_MIN ? tw : TITLE_MIN) + 1;
	if (cv->w >= 5 && *badge) {
		char b[80];
		snprintf(b, sizeof b, " %.64s ", badge);
		right = frame_badge(cv, right, keep, b, brole, &bang);
	}
	if (cv->w >= 5 && p->insecure)
		right = frame_badge(cv, right, keep, " INSECURE ", ROLE_BADGE, &bang);
	if (cv->w >= 5 && right - x > 2) {
		struct text_opts o = { .role = focused ? ROLE_FOCUS : ROLE_TITLE, .attr = CA_BOLD,
		    .ellipsis = 1 };
		canvas_put(cv, x - 1, 0, ' ', fr, 0);
		x += canvas_text(cv, x, 0, right - x - 1, t, strlen(t), &o, NULL);
		canvas_put(cv, x, 0, ' ', fr, 0);
	}
	free(t);
}

void
render_panel(struct app *a, struct panel *p, struct canvas *cv, int focused)
{
	struct wctx c;
	char badge[64];
	enum role brole;
	int has_data, state;
	const struct ev_status *last;
	const char *warn;
	size_t nwarn = 0;
	struct canvas in;

	if (cv->w <= 0 || cv->h <= 0)
		return;
	app_wctx(a, &c, focused);
	if (p->cls && strcmp(p->cfg->type, "row") == 0) {
		p->cls->draw(p, cv, &c);
		return;
	}
	app_panel_state(a, p, badge, sizeof badge, &brole, &has_data, &last, &state);
	/* an age in the badge, or data in a window that follows now */
	if (strncmp(badge, "stale", 5) == 0 || (has_data && p->nneed && a->view.live))
		a->timed = 1;
	if (!*badge && panel_warning(a, p, &nwarn)) {
		snprintf(badge, sizeof badge, "%zu warning%s", nwarn, nwarn == 1 ? "" : "s");
		brole = ROLE_WARN;
	}
	if (p->nosrc && !has_data) {
		snprintf(badge, sizeof badge, "no source");
		brole = ROLE_DIM;
	}
	if (!p->cls) {
		snprintf(badge, sizeof badge, "config error");
		brole = ROLE_ERROR;
	}
	draw_frame(a, p, cv, focused, badge, brole);
	in = canvas_sub(cv, (struct rect){ 1, 1, cv->w - 2, cv->h - 2 });
	if (in.w <= 0 || in.h <= 0)
		return;
	if (!p->cls) {
		draw_wrapped(&in, 0, 0, in.w, in.h, p->error ? p->error : "unknown panel type",
		    ROLE_ERROR);
		return;
	}
	if (!has_data) {
		draw_state(a, p, &in, state, last);
		return;
	}
	if (!(last && last->error) && (warn = panel_warning(a, p, &nwarn)) && in.h >= 3) {
		/* partial answers (Thanos, PromQL annotations): data plus the warning */
		struct canvas data = canvas_sub(&in, (struct rect){ 0, 0, in.w, in.h - 1 });
		char *msg = nwarn > 1 ? xasprintf("warning: %s (+%zu more)", warn, nwarn - 1) :
		    xasprintf("warning: %s", warn);
		p->cls->draw(p, &data, &c);
		canvas_fill(&in, (struct rect){ 0, in.h - 1, in.w, 1 }, ' ', ROLE_WARN, 0);
		canvas_str(&in, 0, in.h - 1, in.w, msg, ROLE_WARN, 0);
		free(msg);
	} else if (last && last->error && in.h >= 3) {
		/* stale: keep the last data, say what went wrong underneath */
		struct canvas data = canvas_sub(&in, (struct rect){ 0, 0, in.w, in.h - 1 });
		char *msg = xasprintf("! %s", last->error);
		p->cls->draw(p, &data, &c);
		canvas_fill(&in, (struct rect){ 0, in.h - 1, in.w, 1 }, ' ', ROLE_STALE, 0);
		canvas_str(&in, 0, in.h - 1, in.w, msg, ROLE_STALE, 0);
		free(msg);
	} else
		p->cls->draw(p, &in, &c);
}

static int
src_summary(struct app *a, char *dst, size_t n)
{
	size_t ok = 0, bad = 0;

	for (size_t i = 0; i < a->db->nsrc; i++) {
		if (a->src[i])
			ok++;
		else
			bad++;
	}
	if (!a->db->nsrc)
		return snprintf(dst, n, "no sources");
	if (bad)
		return snprintf(dst, n, "%zu/%zu sources", ok, ok + bad);
	return snprintf(dst, n, "%zu source%s", ok, ok == 1 ? "" : "s");
}

void
render_statusbar(struct app *a, struct canvas *cv, int y)
{
	char left[512], when[96], srcs[64];
	int x;

	canvas_fill(cv, (struct rect){ 0, y, cv->w, 1 }, ' ', ROLE_STATUSBAR, 0);
	if (a->mode == MODE_COMMAND || a->mode == MODE_SEARCH || a->mode == MODE_NOTE ||
	    a->mode == MODE_PROMPT) {
		struct text_opts o = { .role = ROLE_CMDLINE };
		int cx, px = 1;
		canvas_fill(cv, (struct rect){ 0, y, cv->w, 1 }, ' ', ROLE_CMDLINE, 0);
		if (a->mode == MODE_NOTE) {
			char label[200];
			notes_prompt_label(a, label, sizeof label);
			px = canvas_str(cv, 0, y, cv->w / 2, label, ROLE_CMDLINE, CA_BOLD);
			canvas_put(cv, px + 1, y, '>', ROLE_CMDLINE, CA_BOLD);
			px += 3;
		} else if (a->mode == MODE_PROMPT)
			px = canvas_str(cv, 0, y, cv->w / 2, a->prompt_label, ROLE_CMDLINE, CA_BOLD);
		else
			canvas_put(cv, 0, y, a->mode == MODE_COMMAND ? ':' : '/', ROLE_CMDLINE, CA_BOLD);
		canvas_text(cv, px, y, cv->w - px - 1, a->input, a->ninput, &o, NULL);
		cx = px + san_width(a->input, a->input_cur, 0);
		if (cx < cv->w) {
			struct cell *c = canvas_cell(cv, cx, y);
			if (c)
				c->attr |= CA_REVERSE;
		}
		return;
	}
	x = canvas_str(cv, 0, y, cv->w, " scry ", ROLE_STATUSKEY, CA_BOLD);
	view_describe(&a->view, app_now(a), when, sizeof when);
	src_summary(a, srcs, sizeof srcs);
	if (a->msg[0] && ts_mono_ms() < a->msg_until) {
		char badge[128];
		enum role brole;
		int right = cv->w;
		timeline_badge(a, badge, sizeof badge, &brole);	/* recording: always shown */
		if (*badge && cv->w - x > (int)strlen(badge) + 20)
			right = canvas_str_right(cv, cv->w, y, badge, brole, CA_BOLD);
		canvas_str(cv, x + 1, y, right - x - 2, a->msg,
		    a->msg_error ? ROLE_ERROR : ROLE_STATUSBAR, a->msg_error ? CA_BOLD : 0);
		return;
	}
	if (a->rp && a->view.live) {	/* following the replay's playhead */
		char r[32], c[32] = "";
		ts_fmt_duration(r, sizeof r, a->view.range);
		if (!a->tty)	/* a snapshot has no timeline bar: name its moment */
			ts_fmt_datetime(c, sizeof c, app_now(a), a->view.utc);
		snprintf(when, sizeof when, "replay%s%s%s, last %s", *c ? " at " : "", c,
		    *c && a->view.utc ? "Z" : "", r);
	}
	snprintf(left, sizeof left, "%s \xe2\x94\x82 %s%s \xe2\x94\x82 %s", a->db->title,
	    a->view.live ? "\xe2\x97\x8f " : "\xe2\x8f\xb8 ", when, srcs);
	if (a->ascii)
		snprintf(left, sizeof left, "%s | %s%s | %s", a->db->title,
		    a->view.live ? "* " : "|| ", when, srcs);
	{
		char vars[160];
		size_t l = strlen(left);
		if (vars_describe(a, vars, sizeof vars))
			snprintf(left + l, sizeof left - l, " %s %s", a->ascii ? "|" : "\xe2\x94\x82", vars);
	}
	if (a->view.cursor != TNS_NONE) {
		char c[32];
		size_t l = strlen(left);
		ts_fmt_clock(c, sizeof c, a->view.cursor, a->view.utc, 1);
		snprintf(left + l, sizeof left - l, " %s cursor %s", a->ascii ? "|" : "\xe2\x94\x82", c);
	}
	if (a->focus_svc[0]) {	/* the focus service (topology f; Esc clears) */
		size_t l = strlen(left);
		snprintf(left + l, sizeof left - l, " %s focus %.64s%s%.120s (Esc)", a->ascii ? "|" : "\xe2\x94\x82",
		    a->focus_ns[0] ? a->focus_ns : "", a->focus_ns[0] ? "/" : "", a->focus_svc);
	}
	{
		const char *hint = svcview_depth(a) ? " Esc back  ? help  q quit " : " ? help  q quit ";
		char badge[128];
		enum role brole;
		int hw = (int)strlen(hint), room = cv->w - x - 1;
		timeline_badge(a, badge, sizeof badge, &brole);
		if (*badge && room > hw + (int)strlen(badge) + 20) {
			canvas_str_right(cv, cv->w - hw, y, badge, brole, CA_BOLD);
			room -= (int)strlen(badge);
		}
		if (room > hw + 10) {
			canvas_str(cv, x + 1, y, room - hw - 1, left, ROLE_STATUSBAR, 0);
			canvas_str_right(cv, cv->w, y, hint, ROLE_STATUSBAR, CA_DIM);
		} else
			canvas_str(cv, x + 1, y, room, left, ROLE_STATUSBAR, 0);
	}
}

/* A centred box for overlays; returns its inside. */
static struct canvas
overlay_box(struct app *a, struct canvas *cv, const char *title, int want_w, int want_h)
{
	int w = want_w < cv->w - 2 ? want_w : cv->w - 2;
	int h = want_h < cv->h - 2 ? want_h : cv->h - 2;
	struct rect r = { (cv->w - w) / 2, (cv->h - h) / 2, w, h };

	if (w < 4 || h < 3)
		return canvas_sub(cv, (struct rect){ 0, 0, 0, 0 });
	canvas_fill(cv, r, ' ', ROLE_HELP, 0);
	canvas_box(cv, r, ROLE_FOCUS, 0, a->ascii);
	canvas_printf(cv, r.x + 2, r.y, w - 4, ROLE_FOCUS, CA_BOLD, " %s ", title);
	return canvas_sub(cv, (struct rect){ r.x + 2, r.y + 1, w - 4, h - 2 });
}

void
render_help(struct app *a, struct canvas *cv)
{
	struct canvas in = overlay_box(a, cv, "keys (j/k scroll, Esc or ? closes)", 76, (int)nkeydefs + 8);
	const char *ctx = NULL;
	int y = -a->help_scroll;

	for (size_t i = 0; i < nkeydefs && y < in.h; i++) {
		if (!ctx || strcmp(ctx, keydefs[i].context) != 0) {
			ctx = keydefs[i].context;
			if (y >= 0 && y < in.h)
				canvas_str(&in, 0, y, in.w, ctx, ROLE_TITLE, CA_BOLD);
			y++;
		}
		if (y >= 0 && y < in.h) {
			canvas_str(&in, 2, y, 16, keydefs[i].keys, ROLE_STATUSKEY, 0);
			canvas_str(&in, 19, y, in.w - 19, keydefs[i].help, ROLE_HELP, 0);
		}
		y++;
	}
}

void
render_log(struct app *a, struct canvas *cv)
{
	struct canvas in = overlay_box(a, cv, "scry log (j/k scroll, Esc closes)", cv->w - 4, cv->h - 2);
	size_t n = log_count();
	int first = (int)n - in.h - a->log_scroll;

	if (first < 0)
		first = 0;
	for (int y = 0; y < in.h && (size_t)first + (size_t)y < n; y++) {
		const char *l = log_line((size_t)first + (size_t)y);
		struct text_opts o = { .role = strstr(l, " error ") ? ROLE_ERROR :
		    strstr(l, " warn ") ? ROLE_WARN : ROLE_HELP, .ellipsis = 1 };
		canvas_text(&in, 0, y, in.w, l, strlen(l), &o, NULL);
	}
}

static void
render_too_small(struct app *a, struct canvas *cv)
{
	const char *m = "terminal too small";
	(void)a;
	canvas_clear(cv, ROLE_DEFAULT);
	if (cv->h > 0)
		canvas_str(cv, 0, cv->h > 1 ? cv->h / 2 : 0, cv->w, cv->w >= 18 ? m : "small", ROLE_WARN, 0);
	if (cv->h > 2 && cv->w >= 12)
		canvas_str(cv, 0, cv->h / 2 + 1, cv->w, "q to quit", ROLE_DIM, 0);
}

static void
render_overlay_panel(struct app *a, struct canvas *cv, int h)
{
	struct overlay *o = &a->ov[a->nov - 1];
	struct canvas sub = canvas_sub(cv, (struct rect){ 0, 0, cv->w, h });

	o->panel.r = (struct rect){ 0, 0, cv->w, h };
	o->panel.visible = 1;
	render_panel(a, &o->panel, &sub, 1);
	if (cv->w > 30) {
		char hint[128];
		snprintf(hint, sizeof hint, " %s%sEsc back ", o->why ? o->why : "",
		    o->why ? " \xc2\xb7 " : "");
		canvas_str_right(cv, cv->w - 2, h - 1, hint, ROLE_FOCUS, 0);
	}
}

void
app_render(struct app *a)
{
	struct canvas *cv = a->cv;
	int h = app_body_rows(a) < cv->h - 1 ? app_body_rows(a) : cv->h - 1;

	a->timed = 0;
	if (cv->w < MIN_COLS || cv->h < MIN_ROWS) {
		render_too_small(a, cv);
		return;
	}
	canvas_clear(cv, ROLE_DEFAULT);
	if (svcview_probing(a)) {
		struct canvas area = canvas_sub(cv, (struct rect){ 0, 0, cv->w, h });
		svcview_render(a, &area);
	} else if (a->nov) {
		render_overlay_panel(a, cv, h);
	} else if (a->zoom >= 0 && (size_t)a->zoom < a->npanels) {
		struct canvas sub = canvas_sub(cv, (struct rect){ 0, 0, cv->w, h });
		render_panel(a, &a->panels[a->zoom], &sub, 1);
	} else {
		struct canvas area = canvas_sub(cv, (struct rect){ 0, 0, cv->w, h });
		if (!a->npanels)
			draw_centered(&area, h / 2, "this dashboard has no panels", ROLE_DIM);
		for (size_t i = 0; i < a->npanels; i++) {
			struct panel *p = &a->panels[i];
			struct rect r = p->r;
			struct canvas sub;
			if (!p->visible || r.y - a->scroll + r.h <= 0 || r.y - a->scroll >= h)
				continue;
			r.y -= a->scroll;
			sub = canvas_sub(&area, r);
			if (r.y < 0)	/* partly scrolled off the top: skip it */
				continue;
			render_panel(a, p, &sub, (int)i == a->focus);
		}
	}
	if (h < cv->h - 1)
		timeline_draw(a, cv, cv->h - 2);
	render_statusbar(a, cv, cv->h - 1);
	if (a->mode == MODE_HELP)
		render_help(a, cv);
	else if (a->mode == MODE_LOG)
		render_log(a, cv);
	else if (a->mode == MODE_VARS)
		vars_render(a, cv);
}
