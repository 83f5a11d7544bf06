/* Unit tests: the pivots through the whole app (no terminal) — a P99
 * graph's exemplar into the trace, the span's logs and RED graphs, a log
 * line into the waterfall above the lens, and the navigation stack: Esc
 * walks back to exactly the view, window, cursor, focus, zoom, scroll and
 * selection the pivot started from. */
#include <stdlib.h>

#include "core/buf.h"
#include "core/logs.h"
#include "core/series.h"
#include "core/status.h"
#include "core/xalloc.h"
#include "sources/tempo_json.h"
#include "tests/unit/t.h"
#include "tui/app.h"

#define CANON	"4bf92f3577b34da6a3ce929d0e0e4736"
#define T0	(1795659420LL * NS_PER_S)		/* 02:17:00Z */
#define AT	(T0 + 13 * 60 * NS_PER_S)		/* 02:30:00Z */
#define EX_T	(T0 + 50 * NS_PER_S + 560 * NS_PER_MS)	/* the canonical exemplar */

static struct app A;

static int
open_app(int cols, int rows)
{
	struct options o;
	char *err = NULL;

	memset(&o, 0, sizeof o);
	o.at = AT;
	o.max_fps = 30;
	o.dashboard = t_fixture("dashboards/pivot.json");
	o.color = COLOR_NEVER;
	o.utc = 1;
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

static void
apply(struct event *ev)
{
	store_apply(A.store, ev);
	event_free(ev);
}

/* The key of the first need of `kind` of panel p. */
static const char *
key_of(const struct panel *p, const char *kind)
{
	for (size_t k = 0; k < p->nneed; k++)
		if (p->key[k] && !strcmp(p->need[k].kind, kind))
			return p->key[k];
	t_fail(__FILE__, __LINE__, "no %s need on %s", kind, p->cfg->type);
	return "none";
}

static void
p99_data(struct panel *p)
{
	tns step = 15 * NS_PER_S, start = AT - 3600 * NS_PER_S;
	struct ev_series *e = ev_series_new(RT_MATRIX, start, AT, step);
	struct ev_series_one *s = ev_series_add(e);
	struct ev_exemplars *x = ev_exemplars_new(start, AT);
	static const struct { tns t; double v; const char *id; } ex[] = {
		{ T0 - 7 * 60 * NS_PER_S, 115, "93c81872d174f6b42e7fbd75b114efbb" },
		{ EX_T, 8410, CANON },
		{ T0 + 6 * 60 * NS_PER_S, 8410, "8052d44c4bb81cc9dc39d040ca9223a6" },
	};

	labels_finish(&s->labels);
	for (tns t = start; t <= AT; t += step)
		ev_series_point(s, t, t < T0 + 60 * NS_PER_S ? 120 : 8400);
	apply(event_new(EV_SERIES, AT, key_of(p, "range"), e));
	for (size_t i = 0; i < 3; i++) {
		struct exemplar *o = ev_exemplars_add(x);
		labels_set(&o->series, "__name__", "istio_request_duration_milliseconds_bucket");
		labels_finish(&o->series);
		labels_set(&o->labels, "trace_id", ex[i].id);
		labels_finish(&o->labels);
		o->value = ex[i].v;
		o->t = ex[i].t;
	}
	apply(event_new(EV_EXEMPLARS, AT, key_of(p, "exemplars"), x));
}

static void
trace_data(const char *key)
{
	FILE *fp = fopen(t_fixture("trace/canonical_v1.json"), "rb");
	static char buf[1 << 16];
	size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
	char *err = NULL;
	struct ev_trace *t;

	if (fp)
		fclose(fp);
	t = tempo_parse_trace(buf, n, CANON, 0, &err);
	CHECK(t != NULL);
	free(err);
	if (t)
		apply(event_new(EV_TRACE, AT, key, t));
}

static int
panel_index(const char *title)
{
	for (size_t i = 0; i < A.npanels; i++)
		if (A.panels[i].cfg->title && !strcmp(A.panels[i].cfg->title, title))
			return (int)i;
	t_fail(__FILE__, __LINE__, "no panel %s", title);
	return 0;
}

static void
same_view(const struct view *a, const struct view *b, int line)
{
	if (a->range != b->range || a->live != b->live || (!a->live && a->end != b->end) ||
	    a->cursor != b->cursor || a->utc != b->utc)
		t_fail(__FILE__, line, "view differs: range %lld/%lld live %d/%d end %lld/%lld "
		    "cursor %lld/%lld", (long long)a->range, (long long)b->range, a->live, b->live,
		    (long long)a->end, (long long)b->end, (long long)a->cursor, (long long)b->cursor);
}

TEST(pivot_exemplar_trace_span_logs_and_back)
{
	struct view v0, v1;
	int p99;

	if (open_app(120, 40) < 0)
		return;
	p99 = panel_index("P99 order");
	CHECK_INT(A.focus, p99);
	p99_data(&A.panels[p99]);
	SCREEN_HAS("\xe2\x97\x87");			/* the markers */
	/* e twice: the canonical exemplar, its label under it */
	app_key(&A, 'e');
	app_key(&A, 'e');
	CHECK(A.view.cursor == EX_T);
	SCREEN_HAS(CANON " \xc2\xb7 8.41 s");
	/* Enter zooms, Enter opens the waterfall */
	app_key(&A, K_ENTER);
	CHECK_INT(A.zoom, p99);
	SCREEN_HAS("Enter: open");
	v0 = A.view;
	app_key(&A, K_ENTER);
	CHECK_INT(A.nov, 1);
	if (A.nov != 1) {
		app_free(&A);
		return;
	}
	CHECK_STR(A.ov[0].cfg.type, "trace");
	CHECK_STR(A.ov[0].cfg.q[0].expr, CANON);
	CHECK_STR(A.ov[0].why, "exemplar");
	app_layout(&A);
	trace_data(key_of(&A.ov[0].panel, "trace"));
	SCREEN_HAS("exemplar \xc2\xb7 Esc back");
	SCREEN_HAS("order PlaceOrder");
	same_view(&A.view, &v0, __LINE__);		/* the trace keeps the window */
	/* the order span, then its logs: a window of its own */
	app_key(&A, 'j');
	app_key(&A, 'j');
	app_key(&A, K_ENTER);
	SCREEN_HAS("order \xc2\xb7 PlaceOrder");
	v1 = A.view;
	app_key(&A, 'l');
	CHECK_INT(A.nov, 2);
	if (A.nov == 2) {
		CHECK_STR(A.ov[1].cfg.type, "logs");
		CHECK_CONTAINS(A.ov[1].cfg.q[0].expr, "{app=\"order\"} |= \"" CANON "\"");
		CHECK(A.view.range < 10 * 60 * NS_PER_S);
		CHECK(A.view.cursor == T0 + 42 * NS_PER_S + 150 * NS_PER_MS);	/* the span's start */
		SCREEN_HAS("logs for span \xc2\xb7 Esc back");
	}
	/* Esc: back in the waterfall, its window and detail as they were */
	app_key(&A, K_ESC);
	CHECK_INT(A.nov, 1);
	same_view(&A.view, &v1, __LINE__);
	SCREEN_HAS("order \xc2\xb7 PlaceOrder");
	/* m: the RED graphs; their P99 shows the exemplars too */
	app_key(&A, 'm');
	CHECK_INT(A.nov, 2);
	if (A.nov == 2) {
		CHECK_STR(A.ov[1].cfg.type, "stack");
		app_layout(&A);
		{
			struct panel *sp = &A.ov[1].panel;
			int ex = 0;
			for (size_t k = 0; k < sp->nneed; k++)
				ex += !strcmp(sp->need[k].kind, "exemplars") && sp->need[k].aux;
			CHECK_INT(ex, 1);	/* the P99 query, not rate or errors */
		}
	}
	app_key(&A, K_ESC);
	CHECK_INT(A.nov, 1);
	/* Esc closes the span detail, Esc pops the waterfall: the zoomed graph,
	   the cursor on the exemplar, the window it had */
	app_key(&A, K_ESC);
	CHECK_INT(A.nov, 1);
	app_key(&A, K_ESC);
	CHECK_INT(A.nov, 0);
	CHECK_INT(A.zoom, p99);
	CHECK_INT(A.focus, p99);
	same_view(&A.view, &v0, __LINE__);
	SCREEN_HAS(CANON " \xc2\xb7 8.41 s");
	/* Esc: out of the zoom; Esc: the cursor goes */
	app_key(&A, K_ESC);
	CHECK_INT(A.zoom, -1);
	CHECK(A.view.cursor == EX_T);
	app_free(&A);
}

TEST(pivot_exemplar_errors_leave_the_graph_badge_alone)
{
	char badge[64];
	enum role role;
	int has, state, p99;
	const struct ev_status *last;

	if (open_app(120, 40) < 0)
		return;
	p99 = panel_index("P99 order");
	p99_data(&A.panels[p99]);
	{
		struct ev_status *st = xcalloc(1, sizeof *st);
		st->state = QS_OK;
		apply(event_new(EV_STATUS, AT, key_of(&A.panels[p99], "range"), st));
		st = xcalloc(1, sizeof *st);
		st->state = QS_ERROR;
		st->http = 400;
		st->error = xstrdup("bad_data: exemplars are not supported here");
		apply(event_new(EV_STATUS, AT, key_of(&A.panels[p99], "exemplars"), st));
	}
	app_panel_state(&A, &A.panels[p99], badge, sizeof badge, &role, &has, &last, &state);
	CHECK_STR(badge, "");
	CHECK_INT(state, QS_OK);
	CHECK(last == NULL);
	/* zoomed, the graph says it itself */
	app_key(&A, K_ENTER);
	SCREEN_HAS("! exemplars: bad_data: exemplars are not supported here");
	app_free(&A);
}

/* Log lines of the seed incident under the logs panel's key. */
static void
log_data(struct panel *p)
{
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	static const char *const apps[] = { "order", "frontend", "payment" };
	char line[256];

	for (int i = 0; i < 30; i++) {
		struct labelset l;
		const char *id = i == 20 ? CANON : "0123456789abcdef0123456789abcdef";
		uint32_t s;
		labels_init(&l);
		labels_set(&l, "app", apps[i % 3]);
		labels_set(&l, "namespace", "shop");
		labels_finish(&l);
		s = ev_logs_stream(e, &l);
		snprintf(line, sizeof line, "level=error msg=\"overflow\" seq=%08d trace_id=%s", i, id);
		ev_logs_add(e, AT - (30 - i) * 2 * NS_PER_S, s, line, strlen(line));
	}
	ev_logs_sort(e);
	apply(event_new(EV_LOGS, AT, key_of(p, "logs"), e));
}

TEST(pivot_log_line_opens_the_waterfall_above_the_lens)
{
	struct view v0;
	int lp;
	char *s;

	if (open_app(120, 40) < 0)
		return;
	lp = panel_index("shop logs");
	log_data(&A.panels[lp]);
	A.focus = lp;
	app_key(&A, K_ENTER);
	CHECK_INT(A.zoom, lp);
	app_layout(&A);
	/* from the newest line up to the one with the canonical id */
	for (int i = 0; i < 9; i++) {
		free(screen());		/* the pane binds its lines when drawn */
		app_key(&A, 'k');
	}
	SCREEN_HAS("seq=00000020");
	v0 = A.view;
	app_key(&A, K_ENTER);
	CHECK_INT(A.nov, 1);
	if (A.nov != 1) {
		app_free(&A);
		return;
	}
	CHECK_STR(A.ov[0].cfg.type, "tracelogs");
	CHECK_STR(A.ov[0].cfg.q[0].expr, CANON);
	CHECK_STR(A.ov[0].cfg.q[0].source, "tempo");
	CHECK_STR(A.ov[0].cfg.q[1].source, "loki");
	CHECK_CONTAINS(A.ov[0].cfg.q[1].expr, "{namespace=\"shop\"} |= \"" CANON "\"");
	CHECK(A.view.cursor == AT - 10 * 2 * NS_PER_S);	/* on the line while open */
	app_layout(&A);
	trace_data(key_of(&A.ov[0].panel, "trace"));
	log_data(&A.ov[0].panel);	/* the lens's own key */
	s = screen();
	CHECK_CONTAINS(s, "order PlaceOrder");		/* the waterfall above ... */
	CHECK_CONTAINS(s, "logs with trace " CANON);	/* ... the lens below */
	CHECK_CONTAINS(s, "Tab: logs");
	CHECK_CONTAINS(s, "trace of the log line \xc2\xb7 Esc back");
	free(s);
	/* keys go to the waterfall first; Tab gives them to the lens */
	app_key(&A, 'j');
	app_key(&A, K_TAB);
	SCREEN_HAS("Tab: waterfall");
	app_key(&A, K_ENTER);
	SCREEN_HAS("line detail");			/* Enter on a lens line: the line */
	app_key(&A, K_ESC);				/* closes the detail */
	CHECK_INT(A.nov, 1);
	app_key(&A, K_ESC);				/* back to the pane */
	CHECK_INT(A.nov, 0);
	CHECK_INT(A.zoom, lp);
	same_view(&A.view, &v0, __LINE__);		/* the cursor as it was: none */
	SCREEN_HAS("seq=00000020");
	/* L: the lens alone */
	app_key(&A, 'L');
	CHECK_INT(A.nov, 1);
	if (A.nov == 1)
		CHECK_STR(A.ov[0].cfg.type, "logs");
	app_key(&A, K_ESC);
	CHECK_INT(A.nov, 0);
	same_view(&A.view, &v0, __LINE__);
	app_free(&A);
}

TEST(pivot_restores_the_dashboard_scroll)
{
	int scroll;

	if (open_app(100, 24) < 0)
		return;
	app_key(&A, K_PGDN);
	app_key(&A, K_PGDN);
	app_layout(&A);
	scroll = A.scroll;
	CHECK(scroll > 0);
	app_command(&A, "trace " CANON);
	app_command(&A, "trace " CANON);
	CHECK_INT(A.nov, 2);
	/* a resize while in the pivot re-clamps the dashboard's scroll ... */
	A.rows = 80;
	canvas_resize(A.cv, A.cols, A.rows);
	app_layout(&A);
	CHECK(A.scroll < scroll);
	A.rows = 24;
	canvas_resize(A.cv, A.cols, A.rows);
	app_layout(&A);
	/* ... and Esc brings back the place the pivot started from */
	app_key(&A, K_ESC);
	app_key(&A, K_ESC);
	CHECK_INT(A.nov, 0);
	app_layout(&A);
	CHECK_INT(A.scroll, scroll);
	app_free(&A);
}
