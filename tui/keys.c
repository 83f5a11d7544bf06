/* keys: the key table (data, shown by the help overlay and the man page)
 * and the dispatcher.  In the dashboard grid, navigation keys belong to
 * the app and everything else goes to the focused widget first; in a
 * zoomed panel or a pivot view the widget sees every key except the few
 * that must always work (q, :, ?, Esc, Ctrl-C, Ctrl-L). */
#include <string.h>

#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/svcview.h"
#include "tui/vars.h"


const struct keydef keydefs[] = {
	{ "Tab S-Tab", "next / previous panel", "global" },
	{ "h j k l", "move focus left / down / up / right (arrows too)", "global" },
	{ "Enter z", "zoom the focused panel to full screen and back", "global" },
	{ "Esc", "back: pivot, zoom, page, focus, prompt, cursor", "global" },
	{ ":", "command line (:q :theme NAME :range 1h :log :help)", "global" },
	{ "/", "search within the focused panel", "global" },
	{ "r", "refresh every panel now", "global" },
	{ "? F1", "this help", "global" },
	{ "q Ctrl-C", "quit", "global" },
	{ "Ctrl-L", "redraw the screen", "global" },
	{ "PgUp PgDn", "scroll a dashboard taller than the screen", "global" },
	{ "v", "choose dashboard variable values ($service ...)", "global" },
	{ "- +", "zoom time out / in (5m 15m 1h 3h 6h 12h 24h 2d 7d)", "time" },
	{ "[ ]", "pan back / forward half a window", "time" },
	{ "space", "pause / resume live mode", "time" },
	{ "0", "back to live (clears the cursor)", "time" },
	{ "< >", "move the time cursor across every graph", "time" },
	{ "u", "toggle UTC / local time", "time" },
	{ "J K", "select the next / previous series (zoomed: arrows)", "graph" },
	{ "t o A", "hide the selected series / show only it / all", "graph" },
	{ "L", "legend on / off", "graph" },
	{ "s S", "sort by the next column / reverse the order", "table" },
	{ "J K o", "select an alert; o (zoomed: Enter) graphs its rule", "alerts" },
	{ "a", "note at the cursor; Tab: panel, log line or trace", "notes" },
	{ "space", "replay: pause / resume playback", "replay" },
	{ "{ }", "replay: slower / faster (1x 2x 4x 8x 16x 60x)", "replay" },
	{ ", .", "replay: step back / forward 10 s", "replay" },
	{ "( )", "replay: back / forward 1 min", "replay" },
	{ "m M", "replay: next / previous note or alert change", "replay" },
	{ "Home End", "replay: start / end of the recording", "replay" },
	{ "J K", "scroll text", "text" },
	{ "L", "show / hide the legend", "graph" },
	{ "Enter", "collapse / expand a row", "row" },
	{ "click", "focus the panel under the pointer (--mouse)", "mouse" },
	{ "wheel", "scroll the dashboard, zoomed panel or help (--mouse)", "mouse" },
	{ "j k PgUp PgDn", "select a span (g G: first / last)", "trace" },
	{ "Enter", "span details: attributes, events (J K scroll)", "trace" },
	{ "Left Right c", "fold / unfold (C all, x: off the critical path)", "trace" },
	{ "p P  e E", "next / previous span on the critical path; error span", "trace" },
	{ "/  n N", "search spans (service, name, ids, attributes, events)", "trace" },
	{ "w", "stretch the time axis over the selected span and back", "trace" },
	{ "l L", "logs of the span's service (l: only this trace)", "trace" },
	{ "m", "RED graphs (rate, errors, P99) of the span's service", "trace" },
	{ "j k  Enter", "select a trace; open its waterfall", "trace search" },
	{ "s", "sort: newest, slowest, most errors", "trace search" },
	{ "j k PgUp PgDn", "select a pod (in a zoomed pane); g G first / last", "pods" },
	{ "Enter", "open the selected pod's detail; on a group: fold it", "pods" },
	{ "s S", "sort by the next column / reverse the order", "pods" },
	{ "o", "group by owner: Deployment, StatefulSet, DaemonSet", "pods" },
	{ "/ F", "filter rows by regex / clear the filter", "pods" },
	{ "l", "the selected pod's logs (Loki, else kubectl logs)", "pods" },
	{ "l p", "logs / logs of the previous (crashed) container", "pod" },
	{ "Enter", "put the time cursor on the selected event", "events" },
	{ "w t / F", "warnings only / time order / filter / clear", "events" },
	{ "G g", "follow the tail / go to the oldest line", "kubelogs" },
	{ "w t p / F", "wrap / timestamps / previous container / filter", "kubelogs" },
	{ "J K", "scroll one line (in the grid too)", "logs" },
	{ "j k", "zoomed: select the next / previous line (arrows too)", "logs" },
	{ "PgUp PgDn", "zoomed: page up / down (^B ^F; ^U ^D half)", "logs" },
	{ "g Home", "zoomed: oldest line held; loads older lines", "logs" },
	{ "G End", "follow the newest lines again", "logs" },
	{ "p", "pause: freeze the view, keep buffering", "logs" },
	{ "/ n N", "search (older first); n older, N newer match", "logs" },
	{ "& !", "add an include / exclude filter (PCRE2)", "logs" },
	{ "1 .. 6", "toggle filter 1 .. 6 on / off", "logs" },
	{ "x X", "remove the newest filter / all filters and the search", "logs" },
	{ "d", "dim filtered-out lines instead of hiding them", "logs" },
	{ "e w i A", "errors only, warnings and up, info and up, all", "logs" },
	{ "W", "wrap long lines / cut them", "logs" },
	{ "h l", "zoomed: scroll sideways (arrows too)", "logs" },
	{ "Enter", "zoomed: the line's trace above the lens, or detail", "logs" },
	{ "L", "zoomed: the trace lens alone (no waterfall)", "logs" },
	{ "v", "zoomed: line detail (labels, fields, JSON)", "logs" },
	{ "y Y", "zoomed: copy the line / its trace id (OSC 52)", "logs" },
	{ "e E", "next / previous exemplar (the cursor jumps to it)", "exemplars" },
	{ "Enter", "zoomed, cursor on an exemplar: open its trace", "exemplars" },
	{ "X", "exemplar markers off / on", "exemplars" },
	{ "Tab", "the keys to the waterfall / to the lens", "trace + logs" },
	{ "Enter", "in the lens: the line's detail", "trace + logs" },
	{ "J K", "next / previous service (zoomed: j k arrows too)", "topology" },
	{ "h l", "zoomed: the nearest service one layer left / right", "topology" },
	{ "f", "focus graphs, logs, pods on it (f or Esc: off)", "topology" },
	{ "Enter", "zoomed: the service's page if available, else focus", "topology" },
	{ "s", "freeze the snapshot to mark later changes (s: off)", "topology" },
	{ "c", "fold every namespace but the selected service's", "topology" },
	{ "v", "view: auto (graph if it fits), graph, edge table", "topology" },
	{ "/ F", "services matching a regex and their neighbours / all", "topology" },
	{ "H L PgUp PgDn", "pan the graph (zoomed: g back to the corner)", "topology" },
};
const size_t nkeydefs = sizeof keydefs / sizeof *keydefs;

static int
widget_key(struct app *a, int key)
{
	struct panel *p = app_focused(a);
	struct wctx c;
	int r;

	if (!p || !p->cls || !p->cls->key)
		return 0;
	app_wctx(a, &c, 1);
	r = p->cls->key(p, key, &c);
	if (r & WK_RELAYOUT)
		a->relayout = 1;
	if (r & WK_REFETCH) {
		for (size_t k = 0; k < p->nneed; k++)
			if (p->key[k])
				sched_force(&a->sched, p->key[k], ts_mono_ms());
		a->relayout = 1;
	}
	if (r) {
		app_dirty(a);
		app_schedule(a);
	}
	return r != WK_IGNORED;
}

/* The view changed: every window-dependent fetch runs again. */
static void
view_changed(struct app *a)
{
	a->relayout = 1;
	sched_force(&a->sched, NULL, ts_mono_ms());
	app_dirty(a);
	app_schedule(a);
}

static int
time_key(struct app *a, int key)
{
	tns now = app_now(a);

	switch (key) {
	case '-':
		view_zoom(&a->view, 1);
		break;
	case '+': case '=':
		view_zoom(&a->view, -1);
		break;
	case '[':
		view_pan(&a->view, -1, now);
		break;
	case ']':
		view_pan(&a->view, 1, now);
		break;
	case ' ':
		view_toggle_pause(&a->view, now);
		break;
	case '0':
		view_go_live(&a->view);
		break;
	case '<': case '>':
		view_cursor_move(&a->view, key == '<' ? -1 : 1, now, 0);
		a->relayout = 1;	/* widgets may fetch at the cursor (topology) */
		app_dirty(a);
		app_schedule(a);
		return 1;
	case 'u':
		a->view.utc = !a->view.utc;
		app_dirty(a);
		return 1;
	default:
		return 0;
	}
	view_changed(a);
	return 1;
}

/* Scroll the dashboard; the focus moves to a panel on screen if it left. */
static void
scroll_by(struct app *a, int rows)
{
	a->scroll += rows;
	a->follow_focus = 0;
	a->relayout = 1;
	app_dirty(a);
}

static int
nav_key(struct app *a, int key)
{
	int moved = 0;

	switch (key) {
	case K_TAB:
		moved = layout_next_focus(a, 1);
		break;
	case K_BTAB:
		moved = layout_next_focus(a, -1);
		break;
	case 'h': case K_LEFT:
		moved = layout_move_focus(a, -1, 0);
		break;
	case 'l': case K_RIGHT:
		moved = layout_move_focus(a, 1, 0);
		break;
	case 'k': case K_UP:
		moved = layout_move_focus(a, 0, -1);
		break;
	case 'j': case K_DOWN:
		moved = layout_move_focus(a, 0, 1);
		break;
	case K_PGUP:
	case K_PGDN:
		scroll_by(a, (key == K_PGUP ? -1 : 1) * (a->rows / 2 > 1 ? a->rows / 2 : 1));
		return 1;
	default:
		return 0;
	}
	if (moved) {
		a->relayout = 1;	/* scroll focus into view */
		a->follow_focus = 1;
		app_dirty(a);
	}
	return 1;
}

static void
edit_input(struct app *a, int key)
{
	char enc[4];
	size_t n;

	switch (key) {
	case K_BACKSPACE: case 127: case 8:
		if (a->input_cur > 0) {
			size_t s = a->input_cur - 1;
			while (s > 0 && ((unsigned char)a->input[s] & 0xc0) == 0x80)
				s--;
			memmove(a->input + s, a->input + a->input_cur, a->ninput - a->input_cur);
			a->ninput -= a->input_cur - s;
			a->input_cur = s;
		} else if (a->ninput == 0)
			a->mode = MODE_NORMAL;
		break;
	case K_LEFT:
		while (a->input_cur > 0 && ((unsigned char)a->input[--a->input_cur] & 0xc0) == 0x80)
			;
		break;
	case K_RIGHT:
		while (a->input_cur < a->ninput && ((unsigned char)a->input[++a->input_cur] & 0xc0) == 0x80)
			;
		break;
	case K_HOME:
		a->input_cur = 0;
		break;
	case K_END:
		a->input_cur = a->ninput;
		break;
	case K_CTRL_U:
		memmove(a->input, a->input + a->input_cur, a->ninput - a->input_cur);
		a->ninput -= a->input_cur;
		a->input_cur = 0;
		break;
	default:
		if (key < 0x20 || key >= K_BASE || (key >= 0x7f && key < 0xa0))
			return;
		n = utf8_encode((uint32_t)key, enc);
		if (a->ninput + n >= sizeof a->input)
			return;
		memmove(a->input + a->input_cur + n, a->input + a->input_cur, a->ninput - a->input_cur);
		memcpy(a->input + a->input_cur, enc, n);
		a->ninput += n;
		a->input_cur += n;
	}
	a->input[a->ninput] = '\0';
}

static void
prompt_key(struct app *a, int key)
{
	if (key == K_ESC || key == K_CTRL_C) {
		a->mode = MODE_NORMAL;
	} else if (key == K_TAB && a->mode == MODE_NOTE) {
		notes_cycle_attach(a);
	} else if (key == K_ENTER || key == '\r') {
		enum mode m = a->mode;
		a->mode = MODE_NORMAL;
		a->input[a->ninput] = '\0';
		if (m == MODE_COMMAND)
			app_command(a, a->input);
		else if (m == MODE_NOTE)
			notes_commit(a, a->input);
		else if (m == MODE_PROMPT)
			app_widget_prompt(a, a->prompt_kind, a->input);
		else
			app_search(a, a->input);
	} else
		edit_input(a, key);
	app_dirty(a);
}

static void
overlay_key(struct app *a, int key)
{
	int *scroll = a->mode == MODE_HELP ? &a->help_scroll : &a->log_scroll;
	int dir = a->mode == MODE_HELP ? 1 : -1;

	switch (key) {
	case 'j': case K_DOWN:
		*scroll += dir;
		break;
	case 'k': case K_UP:
		*scroll -= dir;
		break;
	case K_PGDN:
		*scroll += dir * 10;
		break;
	case K_PGUP:
		*scroll -= dir * 10;
		break;
	case 'q': case K_ESC: case '?': case K_ENTER:
		a->mode = MODE_NORMAL;
		break;
	}
	if (*scroll < 0)
		*scroll = 0;
	app_dirty(a);
}

static void
open_prompt(struct app *a, enum mode m)
{
	a->mode = m;
	a->ninput = a->input_cur = 0;
	a->input[0] = '\0';
	app_dirty(a);
}

static int
escape(struct app *a)
{
	if (svcview_probing(a))
		svcview_pop(a);
	else if (a->nov) {
		app_pop(a);
		app_schedule(a);
	} else if (a->zoom >= 0) {
		a->zoom = -1;
		a->relayout = 1;
	} else if (a->view.cursor != TNS_NONE) {
		a->view.cursor = TNS_NONE;
		a->relayout = 1;
	} else if (a->focus_svc[0])
		app_set_focus(a, NULL, NULL);
	else if (!svcview_pop(a))
		return 0;
	app_dirty(a);
	return 1;
}

static void
toggle_zoom(struct app *a)
{
	if (a->nov)
		return;
	if (a->zoom >= 0)
		a->zoom = -1;
	else if (a->focus >= 0)
		a->zoom = a->focus;
	a->relayout = 1;
	app_dirty(a);
	app_schedule(a);
}

/* The panel drawn under screen cell (x, y), or -1. */
static int
panel_at(const struct app *a, int x, int y)
{
	for (size_t i = 0; i < a->npanels; i++) {
		struct rect r = a->panels[i].r;
		if (!a->panels[i].visible || !a->panels[i].cls)
			continue;
		r.y -= a->scroll;
		if (r.y >= 0 && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
			return (int)i;
	}
	return -1;
}

/* --mouse: a press focuses the panel under it, the wheel scrolls the
 * dashboard (or the zoomed panel, or an overlay). */
static void
mouse_key(struct app *a)
{
	int wheel = a->mouse_btn == 4 ? -1 : a->mouse_btn == 5 ? 1 : 0;
	int p;

	if (a->mode == MODE_COMMAND || a->mode == MODE_SEARCH)
		return;
	if (a->mode == MODE_HELP || a->mode == MODE_LOG) {
		if (wheel)
			overlay_key(a, wheel < 0 ? K_UP : K_DOWN);
		return;
	}
	if (a->nov || a->zoom >= 0) {
		if (wheel)
			widget_key(a, wheel < 0 ? K_UP : K_DOWN);
		return;
	}
	if (wheel) {
		scroll_by(a, 3 * wheel);
		return;
	}
	if ((p = panel_at(a, a->mouse_x, a->mouse_y)) >= 0 && p != a->focus) {
		a->focus = p;
		app_dirty(a);
	}
}

/* Keys that work everywhere outside prompts and overlays; 1 if handled. */
static int
always_key(struct app *a, int key)
{
	switch (key) {
	case 'q': case K_CTRL_C:
		a->quit = 1;
		return 1;
	case ':':
		open_prompt(a, MODE_COMMAND);
		return 1;
	case '?': case K_F1:
		a->mode = MODE_HELP;
		a->help_scroll = 0;
		app_dirty(a);
		return 1;
	case K_CTRL_L:
		a->relayout = 1;
		a->repaint = 1;
		app_dirty(a);
		return 1;
	case K_RESIZE:
		return 1;
	}
	return 0;
}

/* What the dashboard does with a key the focused widget did not take. */
static void
fallback_key(struct app *a, int key, int inside)
{
	if (key == K_ESC)
		escape(a);
	else if (inside && (key == 'h' || key == 'j' || key == 'k' || key == 'l'))
		return;
	else if (key == '/')
		open_prompt(a, MODE_SEARCH);
	else if (key == K_ENTER || key == '\r' || key == 'z')
		toggle_zoom(a);
	else if (key == 'v')
		vars_open(a);
	else if (key == 'r') {
		sched_force(&a->sched, NULL, ts_mono_ms());
		app_message(a, 0, "refreshing");
		app_schedule(a);
	} else
		time_key(a, key);
}

void
app_key(struct app *a, int key)
{
	int inside = a->nov || a->zoom >= 0;

	if (key == K_MOUSE)
		mouse_key(a);
	else if (a->mode == MODE_COMMAND || a->mode == MODE_SEARCH || a->mode == MODE_NOTE ||
	    a->mode == MODE_PROMPT)
		prompt_key(a, key);
	else if (a->mode == MODE_HELP || a->mode == MODE_LOG)
		overlay_key(a, key);
	else if (a->mode == MODE_VARS)
		vars_key(a, key);
	else if (always_key(a, key))
		return;	// NOLINT(bugprone-branch-clone): each mode handler in turn; a key one takes ends the chain
	else if (key == K_ESC && !inside && escape(a))
		return;
	else if (!inside && nav_key(a, key) && key != K_ENTER)
		return;
	else if (!inside && timeline_key(a, key))
		return;	/* in the grid, replay keys and `a` belong to the app */
	else if (!inside && key == 'a')
		notes_open_prompt(a);
	else if (!widget_key(a, key) && !timeline_key(a, key)) {
		if (key == 'a')
			notes_open_prompt(a);
		else
			fallback_key(a, key, inside);
	}
}
