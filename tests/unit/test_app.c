/* Unit tests: the app without a terminal — keys, the command line,
 * search dispatch, zoom, rows, mouse, and every panel state drawn from the
 * store (no data source / waiting / ok / stale with age / error). */
#include <stdlib.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/series.h"
#include "core/status.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"
#include "tui/app.h"

static struct app A;

static int
open_app(const char *dash, int cols, int rows)
{
	struct options o;
	char *err = NULL;

	memset(&o, 0, sizeof o);
	o.at = TNS_NONE;
	o.max_fps = 30;
	o.dashboard = dash ? t_fixture(dash) : NULL;
	o.color = COLOR_NEVER;
	if (app_init(&A, &o, &err) < 0) {
		t_fail(__FILE__, __LINE__, "app_init: %s", err);
		free(err);
		return -1;
	}
	A.cols = cols;
	A.rows = rows;
	A.cv = canvas_new(cols, rows);
	A.gs = GS_BRAILLE;
	app_layout(&A);
	app_schedule(&A);
	app_render(&A);
	return 0;
}

static char *
screen(void)
{
	struct buf b;

	if (A.relayout)
		app_layout(&A);
	app_render(&A);
	buf_init(&b, 1 << 20);
	canvas_to_text(A.cv, &b);
	return buf_steal(&b, NULL);
}

#define SCREEN_HAS(s) do { char *_s = screen(); CHECK_CONTAINS(_s, s); free(_s); } while (0)
#define SCREEN_LACKS(s) do { char *_s = screen();				\
	if (strstr(_s, s))							\
		t_fail(__FILE__, __LINE__, "screen shows \"%s\":\n%s", s, _s);	\
	free(_s); } while (0)

static void
type(const char *s)
{
	for (; *s; s++)
		app_key(&A, (unsigned char)*s);
}

static int
panel_index(const char *title)
{
	for (size_t i = 0; i < A.npanels; i++)
		if (A.panels[i].cfg->title && strcmp(A.panels[i].cfg->title, title) == 0)
			return (int)i;
	t_fail(__FILE__, __LINE__, "no panel %s", title);
	return 0;
}

TEST(app_board_shows_no_data_source)
{
	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	SCREEN_HAS("no data source");
	SCREEN_HAS("no prometheus source configured");
	SCREEN_HAS("no source");
	SCREEN_HAS("Checklist");
	SCREEN_HAS("scry test board");
	SCREEN_HAS("live, last 1h");
	SCREEN_LACKS("Hidden note");		/* inside a collapsed row */
	CHECK_INT(A.timed, 0);			/* nothing on screen ages: idle sleeps */
	app_free(&A);
}

TEST(app_help_overlay_lists_the_key_table)
{
	if (open_app("dashboards/board.json", 100, 40) < 0)
		return;
	app_key(&A, '?');
	CHECK_INT(A.mode, MODE_HELP);
	SCREEN_HAS("keys (j/k scroll");
	for (size_t i = 0; i < nkeydefs && i < 10; i++)
		SCREEN_HAS(keydefs[i].help);
	app_key(&A, K_ESC);
	CHECK_INT(A.mode, MODE_NORMAL);
	SCREEN_LACKS("keys (j/k scroll");
	app_key(&A, K_F1);
	CHECK_INT(A.mode, MODE_HELP);
	app_key(&A, '?');
	CHECK_INT(A.mode, MODE_NORMAL);
	app_free(&A);
}

TEST(app_command_line)
{
	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	app_key(&A, ':');
	CHECK_INT(A.mode, MODE_COMMAND);
	type("range 15m");
	SCREEN_HAS(":range 15m");
	app_key(&A, K_ENTER);
	CHECK_INT(A.mode, MODE_NORMAL);
	CHECK_INT(A.view.range, 15 * 60 * NS_PER_S);
	SCREEN_HAS("live, last 15m");
	app_command(&A, "range 1 hour");
	CHECK_INT(A.view.range, 15 * 60 * NS_PER_S);
	SCREEN_HAS("range: expected a duration");
	{
		char *cmd = xasprintf("theme %s/themes/light.theme", getenv("SCRY_TOP") ?
		    getenv("SCRY_TOP") : ".");
		app_command(&A, cmd);
		free(cmd);
	}
	CHECK_STR(A.theme.name, "light");
	app_command(&A, "theme nosuch");
	CHECK_STR(A.theme.name, "light");
	SCREEN_HAS("theme 'nosuch' not found");
	app_command(&A, "bogus arg");
	SCREEN_HAS("unknown command ':bogus' (try :help)");
	app_command(&A, "help");
	CHECK_INT(A.mode, MODE_HELP);
	app_key(&A, 'q');			/* q closes the overlay, not scry */
	CHECK_INT(A.quit, 0);
	app_command(&A, "log");
	CHECK_INT(A.mode, MODE_LOG);
	SCREEN_HAS("scry log");
	app_key(&A, K_ESC);
	/* editing: backspace, Ctrl-U, Esc cancels */
	app_key(&A, ':');
	type("rangx");
	app_key(&A, K_BACKSPACE);
	type("e 2h");
	app_key(&A, K_ENTER);
	CHECK_INT(A.view.range, 2 * 3600 * NS_PER_S);
	app_key(&A, ':');
	type("range 5m");
	app_key(&A, K_CTRL_U);
	type("range 6h");
	app_key(&A, K_ESC);
	CHECK_INT(A.view.range, 2 * 3600 * NS_PER_S);
	app_key(&A, ':');
	app_key(&A, K_BACKSPACE);		/* on an empty line: leaves the prompt */
	CHECK_INT(A.mode, MODE_NORMAL);
	app_command(&A, "q");
	CHECK(A.quit);
	app_free(&A);
}

TEST(app_quit_keys)
{
	static const char *const cmds[] = { "q", "quit", "  quit  " };
	for (size_t i = 0; i < 3; i++) {
		if (open_app("dashboards/board.json", 80, 24) < 0)
			return;
		app_command(&A, cmds[i]);
		CHECK(A.quit);
		app_free(&A);
	}
	if (open_app("dashboards/board.json", 80, 24) < 0)
		return;
	app_key(&A, 'q');
	CHECK(A.quit);
	app_free(&A);
	if (open_app("dashboards/board.json", 80, 24) < 0)
		return;
	app_key(&A, K_CTRL_C);
	CHECK(A.quit);
	app_free(&A);
}

TEST(app_search_dispatch)
{
	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	A.focus = panel_index("Runbook");
	app_key(&A, '/');
	CHECK_INT(A.mode, MODE_SEARCH);
	SCREEN_HAS("/");
	type("disk");
	app_key(&A, K_ENTER);
	CHECK_INT(A.mode, MODE_NORMAL);
	SCREEN_HAS("this panel has nothing to search");
	app_free(&A);
}

TEST(app_focus_zoom_and_back)
{
	int first;

	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	first = A.focus;
	CHECK_STR(A.panels[first].cfg->title, "Request rate by service");
	app_key(&A, 'l');
	CHECK_STR(A.panels[A.focus].cfg->title, "P99 latency");
	app_key(&A, 'h');
	CHECK_INT(A.focus, first);
	app_key(&A, 'j');
	CHECK_STR(A.panels[A.focus].cfg->title, "Runbook");
	app_key(&A, K_TAB);
	CHECK_STR(A.panels[A.focus].cfg->title, "Errors");
	app_key(&A, K_BTAB);
	CHECK_STR(A.panels[A.focus].cfg->title, "Runbook");
	app_key(&A, 'z');
	CHECK_INT(A.zoom, A.focus);
	SCREEN_HAS("Runbook");
	SCREEN_LACKS("P99 latency");
	app_key(&A, 'j');			/* inside a zoom h/j/k/l do not move focus */
	CHECK_INT(A.zoom, A.focus);
	app_key(&A, K_ESC);
	CHECK_INT(A.zoom, -1);
	SCREEN_HAS("P99 latency");
	app_key(&A, K_ENTER);
	CHECK_INT(A.zoom, A.focus);
	app_key(&A, K_ENTER);
	CHECK_INT(A.zoom, -1);
	app_free(&A);
}

TEST(app_row_expands_and_collapses)
{
	int row;

	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	row = panel_index("Details");
	A.focus = row;
	SCREEN_LACKS("Hidden note");
	app_key(&A, K_ENTER);
	CHECK(!A.panels[row].collapsed);
	CHECK_INT(A.zoom, -1);			/* Enter on a row toggles it, no zoom */
	SCREEN_HAS("Hidden note");
	SCREEN_HAS("only when expanded");
	app_key(&A, K_ENTER);
	SCREEN_LACKS("Hidden note");
	app_free(&A);
}

TEST(app_refresh_and_time_keys)
{
	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	app_key(&A, 'r');
	SCREEN_HAS("refreshing");
	app_key(&A, '-');
	CHECK_INT(A.view.range, 3 * 3600 * NS_PER_S);
	app_key(&A, '+');
	app_key(&A, '+');
	CHECK_INT(A.view.range, 15 * 60 * NS_PER_S);
	app_key(&A, ' ');
	CHECK(!A.view.live);
	app_key(&A, '0');
	CHECK(A.view.live);
	app_key(&A, '[');
	CHECK(!A.view.live);
	app_key(&A, ']');
	CHECK(A.view.live);
	app_key(&A, '<');
	CHECK(A.view.cursor != TNS_NONE);
	A.msg[0] = '\0';			/* a message has the status line first */
	SCREEN_HAS("cursor");
	app_key(&A, K_ESC);
	CHECK(A.view.cursor == TNS_NONE);
	app_free(&A);
}

TEST(app_mouse_focus_and_wheel)
{
	int p99;

	if (open_app("dashboards/board.json", 100, 30) < 0)
		return;
	p99 = panel_index("P99 latency");
	A.mouse_x = A.panels[p99].r.x + 3;
	A.mouse_y = A.panels[p99].r.y + 2;
	A.mouse_btn = 1;
	app_key(&A, K_MOUSE);
	CHECK_INT(A.focus, p99);
	/* a press outside every panel changes nothing */
	A.mouse_x = 0;
	A.mouse_y = 29;
	app_key(&A, K_MOUSE);
	CHECK_INT(A.focus, p99);
	/* the wheel scrolls a dashboard taller than the screen */
	app_free(&A);
	if (open_app("dashboards/board.json", 100, 6) < 0)
		return;
	CHECK(A.content_h >= 5 + 3);
	A.mouse_btn = 5;
	app_key(&A, K_MOUSE);
	app_layout(&A);
	CHECK_INT(A.scroll, 3);
	A.mouse_btn = 4;
	app_key(&A, K_MOUSE);
	app_layout(&A);
	CHECK_INT(A.scroll, 0);
	app_free(&A);
}

TEST(app_tiny_terminal)
{
	if (open_app("dashboards/board.json", 10, 3) < 0)
		return;
	SCREEN_HAS("small");
	app_key(&A, 'q');
	CHECK(A.quit);
	app_free(&A);
	if (open_app("dashboards/board.json", 1, 1) < 0)
		return;
	free(screen());
	app_key(&A, K_CTRL_C);
	CHECK(A.quit);
	app_free(&A);
}

/* --- panel states from the store ------------------------------------- */

static char *
state_key(int pi)
{
	struct panel *p = &A.panels[pi];

	free(p->nosrc);
	p->nosrc = NULL;
	p->nneed = 1;
	p->need[0] = (struct need){ .qi = 0, .kind = "range", .step = 60 * NS_PER_S };
	p->key[0] = qkey_make("prom", "range", p->cfg->q[0].expr);
	return p->key[0];
}

static void
status(const char *key, tns t, enum qstate st, int http, const char *err)
{
	status_emit(&A.env.sink, key, t, st, http, 12, err);
}

static void
points(const char *key, tns end, int n)
{
	struct ev_series *e = ev_series_new(RT_MATRIX, end - n * 60 * NS_PER_S, end, 60 * NS_PER_S);
	struct ev_series_one *s = ev_series_add(e);

	labels_set(&s->labels, "service", "cart");
	labels_finish(&s->labels);
	for (int i = 0; i <= n; i++)
		ev_series_point(s, end - (n - i) * 60 * NS_PER_S, 10 + i % 3);
	event_emit(&A.env.sink, event_new(EV_SERIES, end, key, e));
}

static int
has_braille(const char *s)
{
	return strstr(s, "\xe2\xa0") || strstr(s, "\xe2\xa1") || strstr(s, "\xe2\xa2") ||
	    strstr(s, "\xe2\xa3");
}

TEST(app_panel_states)
{
	tns now = 1700000000 * NS_PER_S;
	int pi;
	char *key, *s;

	ts_set_fake_now(now);
	if (open_app("dashboards/board.json", 100, 30) < 0) {
		ts_set_fake_now(0);
		return;
	}
	pi = panel_index("Errors");
	key = state_key(pi);
	/* never asked yet: waiting, not a zero */
	SCREEN_HAS("waiting for data");
	SCREEN_HAS(" waiting ");
	status(key, now, QS_WAITING, 0, NULL);
	SCREEN_HAS("waiting for data");
	/* an error without any data: the message, no graph at all */
	status(key, now + NS_PER_S, QS_ERROR, 503, "upstream connect error or disconnect");
	ts_set_fake_now(now + NS_PER_S);
	SCREEN_HAS("error (HTTP 503)");
	SCREEN_HAS("upstream connect error or");
	SCREEN_HAS(" error ");
	s = screen();
	CHECK(!has_braille(s));
	free(s);
	/* ok but nothing in the window */
	status(key, now + 2 * NS_PER_S, QS_OK, 200, NULL);
	ts_set_fake_now(now + 2 * NS_PER_S);
	SCREEN_HAS("no data in this window");
	/* data: the graph is drawn, the badge is clear, the screen ticks */
	points(key, now + 2 * NS_PER_S, 30);
	status(key, now + 3 * NS_PER_S, QS_OK, 200, NULL);
	ts_set_fake_now(now + 3 * NS_PER_S);
	s = screen();
	CHECK(has_braille(s));
	CHECK(!strstr(s, "waiting for data") && !strstr(s, "stale"));
	free(s);
	CHECK_INT(A.timed, 1);			/* a live graph moves with time */
	/* a later failure keeps the data, flagged stale with its age */
	status(key, now + 40 * NS_PER_S, QS_ERROR, 0, "connection refused");
	ts_set_fake_now(now + 45 * NS_PER_S);
	s = screen();
	CHECK(has_braille(s));
	CHECK_CONTAINS(s, " stale 42s ");
	CHECK_CONTAINS(s, "! connection refused");
	free(s);
	ts_set_fake_now(now + 105 * NS_PER_S);
	SCREEN_HAS(" stale 1m42s ");
	ts_set_fake_now(0);
	app_free(&A);
}

/* A narrow panel in trouble keeps its title; the badge shrinks to "!". */
TEST(app_narrow_error_panel_keeps_its_title)
{
	tns now = 1700000000 * NS_PER_S;
	char *key, *s, *top, *eol;

	ts_set_fake_now(now);
	if (open_app("dashboards/board.json", 24, 30) < 0) {
		ts_set_fake_now(0);
		return;
	}
	key = state_key(panel_index("Errors"));
	status(key, now, QS_ERROR, 503, "upstream connect error");
	s = screen();
	top = strstr(s, " Errors ");
	CHECK(top != NULL);
	if (top) {
		eol = strchr(top, '\n');
		if (eol)
			*eol = '\0';
		CHECK_CONTAINS(top, " ! ");
		CHECK(!strstr(top, " error "));
	}
	free(s);
	ts_set_fake_now(0);
	app_free(&A);
}

TEST(app_stale_without_error_when_answers_stop)
{
	tns now = 1700000000 * NS_PER_S;
	int pi;
	char *key;

	ts_set_fake_now(now);
	if (open_app("dashboards/board.json", 100, 30) < 0) {
		ts_set_fake_now(0);
		return;
	}
	pi = panel_index("Errors");
	key = state_key(pi);
	points(key, now, 30);
	status(key, now, QS_OK, 200, NULL);
	SCREEN_LACKS("stale");
	/* refresh is 15s: after 3 missed refreshes (and > 10s) the data is stale */
	ts_set_fake_now(now + 50 * NS_PER_S);
	SCREEN_HAS(" stale 50s ");
	ts_set_fake_now(0);
	app_free(&A);
}

TEST(app_config_error_panel)
{
	static const char bad[] = "dashboards/good/minimal.json";

	if (open_app(bad, 80, 24) < 0)
		return;
	/* a panel whose class init fails shows the error on the panel */
	free(A.panels[0].error);
	A.panels[0].error = xstrdup("panels[0].options.content: expected a string");
	A.panels[0].cls->free(&A.panels[0]);	/* as create_panels does when init fails */
	A.panels[0].cls = NULL;
	SCREEN_HAS("config error");
	SCREEN_HAS("panels[0].options.content");
	app_free(&A);
}

/* Service pages through the widget api (what the topology's Enter calls)
 * and the command line: the view under them comes back exactly. */
TEST(app_service_page_open_and_back)
{
	struct wctx c;
	int focus;

	if (open_app("dashboards/board.json", 120, 40) < 0)
		return;
	app_key(&A, 'l');
	app_key(&A, 'z');
	focus = A.focus;
	app_wctx(&A, &c, 1);
	CHECK(c.api->open_service != NULL);
	/* no source to probe: the page is built at once */
	CHECK_INT(c.api->open_service(c.app, "order"), 0);
	SCREEN_HAS("service order");
	SCREEN_HAS("No metrics for 'order'");
	SCREEN_HAS("Esc back");
	SCREEN_LACKS("Runbook");
	CHECK_INT(A.zoom, -1);
	/* a page from the page; Esc goes back one at a time */
	type(":service payment.v2");
	app_key(&A, K_ENTER);
	SCREEN_HAS("No metrics for 'payment.v2'");
	app_key(&A, K_ESC);
	SCREEN_HAS("No metrics for 'order'");
	app_key(&A, K_ESC);
	CHECK_INT(A.zoom, focus);	/* the zoomed panel as it was */
	CHECK_INT(A.focus, focus);
	SCREEN_HAS("P99 latency");
	SCREEN_LACKS("Esc back");
	/* names that could break out of a selector are refused, nothing opens */
	CHECK_INT(c.api->open_service(c.app, "a\"} or vector(1)"), -1);
	SCREEN_HAS("is not a service name");
	CHECK_INT(A.zoom, focus);
	app_free(&A);
}

/* While the probes have not answered the page says what it waits for,
 * and Esc cancels without waiting. */
TEST(app_service_page_probing_and_cancel)
{
	char path[] = "/tmp/scry-svc-XXXXXX";
	int fd = mkstemp(path);
	static const char d[] = "{\"title\": \"base\", \"sources\": {\"prometheus\": {\"type\": \"prometheus\","
	    " \"url\": \"http://127.0.0.1:9\"}}, \"panels\": [{\"type\": \"text\", \"title\": \"base text\","
	    " \"options\": {\"content\": \"under the page\"}, \"grid\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 4}}]}";
	struct options o;
	char *err = NULL;

	REQUIRE(fd >= 0);
	CHECK(write(fd, d, sizeof d - 1) == (ssize_t)(sizeof d - 1));
	close(fd);
	memset(&o, 0, sizeof o);
	o.at = TNS_NONE;
	o.max_fps = 30;
	o.dashboard = path;
	CHECK_INT(app_init(&A, &o, &err), 0);
	unlink(path);
	if (err) {
		free(err);
		return;
	}
	A.cols = 120;
	A.rows = 40;
	A.cv = canvas_new(120, 40);
	app_layout(&A);
	app_schedule(&A);
	type(":service order");
	app_key(&A, K_ENTER);
	/* the loop has not run: nothing answered yet */
	SCREEN_HAS("Probing the sources for service order");
	SCREEN_HAS("/api/v1/series");
	SCREEN_HAS("waiting");
	SCREEN_LACKS("under the page");
	app_key(&A, K_ESC);
	SCREEN_HAS("under the page");
	SCREEN_LACKS("Probing");
	app_free(&A);
}
