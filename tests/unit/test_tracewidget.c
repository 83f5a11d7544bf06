/* Unit tests: the trace widget and its pivots, driven directly (store,
 * canvas, keys) with a recording stand-in for the app's widget api. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "core/xalloc.h"
#include "sources/tempo_json.h"
#include "tests/unit/t.h"
#include "widgets/widget.h"

extern const struct widget_class trace_widget;

#define KEY	"tempo\x1ftrace\x1f" "4bf92f3577b34da6a3ce929d0e0e4736"

/* What the widget asked the app for. */
static struct {
	char		msg[512];
	int		msg_error;
	int		pushes;
	char		type[32], source[64], title[200], expr0[1024];
	size_t		nq;
	tns		start, end, cursor;
	char		unit1[32];
} rec;

static void api_message(void *app, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
api_message(void *app, int error, const char *fmt, ...)
{
	va_list ap;

	(void)app;
	va_start(ap, fmt);
	vsnprintf(rec.msg, sizeof rec.msg, fmt, ap);
	va_end(ap);
	rec.msg_error = error;
}

static int
record_push(const struct dash_panel *cfg, tns start, tns end, tns cursor)
{
	const cJSON *u = cfg->options ? cJSON_GetObjectItemCaseSensitive(cfg->options, "units") : NULL;
	const cJSON *u1 = cJSON_IsArray(u) ? cJSON_GetArrayItem(u, 1) : NULL;

	rec.pushes++;
	snprintf(rec.type, sizeof rec.type, "%s", cfg->type);
	snprintf(rec.source, sizeof rec.source, "%s", cfg->source ? cfg->source : "");
	snprintf(rec.title, sizeof rec.title, "%s", cfg->title ? cfg->title : "");
	snprintf(rec.expr0, sizeof rec.expr0, "%s", cfg->nq ? cfg->q[0].expr : "");
	snprintf(rec.unit1, sizeof rec.unit1, "%s", cJSON_IsString(u1) ? u1->valuestring : "");
	rec.nq = cfg->nq;
	rec.start = start;
	rec.end = end;
	rec.cursor = cursor;
	return 0;
}

static int
api_push(void *app, const struct dash_panel *cfg, const char *why)
{
	(void)app;
	(void)why;
	return record_push(cfg, TNS_NONE, TNS_NONE, TNS_NONE);
}

static int
api_push_window(void *app, const struct dash_panel *cfg, const char *why, tns a, tns b, tns cur)
{
	(void)app;
	(void)why;
	return record_push(cfg, a, b, cur);
}

static const struct wapi api = { .push = api_push, .message = api_message,
	.push_window = api_push_window };

static const char dash_json[] = "{\"title\":\"t\",\"sources\":{"
    "\"tempo\":{\"type\":\"tempo\",\"url\":\"http://t\"},"
    "\"loki\":{\"type\":\"loki\",\"url\":\"http://l\"},"
    "\"prometheus\":{\"type\":\"prometheus\",\"url\":\"http://p\"}},"
    "\"panels\":[{\"type\":\"text\",\"grid\":{\"x\":0,\"y\":0,\"w\":24,\"h\":2}}]}";

struct fixture {
	struct store		*st;
	struct dashboard	*db;
	struct view		 v;
	struct wctx		 c;
	struct dash_query	 q;
	struct dash_panel	 cfg;
	struct panel		 p;
};

static void
load_trace(struct fixture *f, const char *file)
{
	FILE *fp = fopen(t_fixture(file), "rb");
	static char buf[1 << 16];
	size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
	char *err = NULL;
	struct ev_trace *t;
	struct event *ev;

	if (fp)
		fclose(fp);
	t = tempo_parse_trace(buf, n, "4bf92f3577b34da6a3ce929d0e0e4736", 0, &err);
	CHECK(t);
	ev = event_new(EV_TRACE, 0, KEY, t);
	store_apply(f->st, ev);
	event_free(ev);
}

static void
setup(struct fixture *f)
{
	struct diag dg;

	memset(f, 0, sizeof *f);
	memset(&rec, 0, sizeof rec);
	diag_init(&dg);
	f->db = dashboard_parse(dash_json, sizeof dash_json - 1, "test", &dg);
	diag_free(&dg);
	f->st = store_new(NULL);
	load_trace(f, "trace/canonical_v1.json");
	view_init(&f->v, 3600 * NS_PER_S);
	f->c.store = f->st;
	f->c.view = &f->v;
	f->c.focused = 1;
	f->c.db = f->db;
	f->c.api = &api;
	f->q.expr = (char *)"4bf92f3577b34da6a3ce929d0e0e4736";
	f->cfg.type = (char *)"trace";
	f->cfg.q = &f->q;
	f->cfg.nq = 1;
	f->cfg.source = (char *)"tempo";
	f->cfg.path = (char *)"t";
	f->p.cfg = &f->cfg;
	f->p.cls = &trace_widget;
	f->p.nneed = 1;
	f->p.key[0] = (char *)KEY;
	CHECK_INT(trace_widget.init(&f->p, NULL, NULL), 0);
}

static void
teardown(struct fixture *f)
{
	trace_widget.free(&f->p);
	store_free(f->st);
	dashboard_free(f->db);
}

/* Text of the whole canvas after one draw. */
static char *
draw_text(struct fixture *f, int w, int h)
{
	struct canvas *cv = canvas_new(w, h);
	struct buf b;
	char *s;

	trace_widget.draw(&f->p, cv, &f->c);
	buf_init(&b, 1 << 20);
	canvas_to_text(cv, &b);
	s = buf_steal(&b, NULL);
	canvas_free(cv);
	return s;
}

static int
key(struct fixture *f, int k)
{
	return trace_widget.key(&f->p, k, &f->c);
}

TEST(tracewidget_every_size_draws)
{
	struct fixture f;
	static const int ws[] = { 1, 2, 7, 8, 9, 12, 20, 40, 80, 200 };
	static const int hs[] = { 1, 2, 3, 4, 5, 10, 24, 60 };

	setup(&f);
	for (int d = 0; d < 2; d++) {
		for (size_t i = 0; i < sizeof ws / sizeof *ws; i++)
			for (size_t k = 0; k < sizeof hs / sizeof *hs; k++)
				free(draw_text(&f, ws[i], hs[k]));
		key(&f, K_ENTER);	/* again with the detail open */
	}
	teardown(&f);
}

TEST(tracewidget_rows_and_marks)
{
	struct fixture f;
	char *s;

	setup(&f);
	CHECK(trace_widget.has_data(&f.p, &f.c));
	s = draw_text(&f, 120, 20);
	CHECK_CONTAINS(s, "frontend POST /checkout  8.60s  7 spans");
	CHECK_CONTAINS(s, "\xe2\x97\x8f!      payment Charge");	/* "●!" critical + error */
	CHECK_CONTAINS(s, "\n        inventory Reserve");	/* no marks, depth 2 */
	free(s);
	teardown(&f);
}

TEST(tracewidget_detail_and_esc)
{
	struct fixture f;
	char *s;

	setup(&f);
	for (int i = 0; i < 4; i++)
		key(&f, 'j');
	CHECK_INT(key(&f, K_ENTER), WK_HANDLED);
	s = draw_text(&f, 120, 40);
	CHECK_CONTAINS(s, "payment \xc2\xb7 Charge");
	CHECK_CONTAINS(s, "status ERROR: 503 UO");
	CHECK_CONTAINS(s, "critical path 2.80s");
	CHECK_CONTAINS(s, "http.status_code = 503");
	free(s);
	CHECK_INT(key(&f, K_ESC), WK_HANDLED);	/* closes the detail */
	CHECK_INT(key(&f, K_ESC), WK_IGNORED);	/* then Esc is the app's: pop */
	teardown(&f);
}

TEST(tracewidget_selection_for_notes)
{
	struct fixture f;
	char buf[256];

	setup(&f);
	free(draw_text(&f, 120, 20));
	CHECK_INT(trace_widget.selection(&f.p, &f.c, buf, sizeof buf), 1);
	CHECK_STR(buf, "trace 4bf92f3577b34da6a3ce929d0e0e4736, span frontend POST /checkout "
	    "(8.60s, 503 Service Unavailable)");
	for (int i = 0; i < 4; i++)
		key(&f, 'j');
	CHECK_INT(trace_widget.selection(&f.p, &f.c, buf, sizeof buf), 1);
	CHECK_CONTAINS(buf, ", span payment Charge (2.");
	CHECK_CONTAINS(buf, "s, 503 UO)");
	/* a small buffer gets a cut, terminated string */
	CHECK_INT(trace_widget.selection(&f.p, &f.c, buf, 20), 1);
	CHECK_STR(buf, "trace 4bf92f3577b34");
	teardown(&f);
}

TEST(tracewidget_fold_search_jump)
{
	struct fixture f;
	char *s, *err = NULL;

	setup(&f);
	key(&f, 'j');
	key(&f, 'j');		/* order */
	key(&f, K_LEFT);
	s = draw_text(&f, 120, 20);
	CHECK_CONTAINS(s, "order PlaceOrder +4");
	CHECK(!strstr(s, "payment Charge"));
	free(s);
	CHECK_INT(trace_widget.search(&f.p, "CHARGE", &f.c, &err), 0);
	CHECK_CONTAINS(rec.msg, "3 spans match 'CHARGE'");
	s = draw_text(&f, 120, 20);
	CHECK_CONTAINS(s, "payment Charge");	/* the match unfolded its parent */
	free(s);
	CHECK_INT(trace_widget.search(&f.p, "nothing-like-this", &f.c, &err), -1);
	CHECK_CONTAINS(err, "no span matches");
	free(err);
	key(&f, 'g');
	key(&f, 'x');		/* fold what is off the critical path: nothing folds here */
	key(&f, 'e');
	key(&f, K_ENTER);
	s = draw_text(&f, 120, 40);
	CHECK_CONTAINS(s, "order \xc2\xb7 PlaceOrder");	/* next error after the root */
	free(s);
	teardown(&f);
}

TEST(tracewidget_metrics_pivot)
{
	struct fixture f;
	const struct ev_trace *t;

	setup(&f);
	t = store_trace(f.st, KEY, NULL);
	for (int i = 0; i < 4; i++)
		key(&f, 'j');	/* the first payment Charge */
	key(&f, 'm');
	CHECK_INT(rec.pushes, 1);
	CHECK_STR(rec.type, "stack");
	CHECK_STR(rec.source, "prometheus");
	CHECK_INT(rec.nq, 3);
	CHECK_CONTAINS(rec.expr0, "destination_service_name=\"payment\"");
	CHECK_CONTAINS(rec.expr0, "[$__rate_interval]");
	CHECK_STR(rec.unit1, "percentunit");
	CHECK_CONTAINS(rec.title, "RED \xc2\xb7 payment around 02:17:42");
	/* window: the span +- 15m; cursor on the span's start (02:17:42.195) */
	CHECK(t != NULL);
	CHECK_INT(rec.cursor, 1795659462195000000LL);
	CHECK_INT(rec.start, rec.cursor - 15 * 60 * NS_PER_S);
	CHECK_INT(rec.end - rec.start, 30 * 60 * NS_PER_S + 2800 * NS_PER_MS);
	teardown(&f);
}

TEST(tracewidget_logs_pivot)
{
	struct fixture f;

	setup(&f);
	for (int i = 0; i < 4; i++)
		key(&f, 'j');
	key(&f, 'l');
	if (widget_class_find("logs")) {
		CHECK_INT(rec.pushes, 1);
		CHECK_STR(rec.type, "logs");
		CHECK_STR(rec.source, "loki");
		CHECK_STR(rec.expr0, "{app=\"payment\"} |= \"4bf92f3577b34da6a3ce929d0e0e4736\"");
		CHECK_INT(rec.end - rec.start, 2 * 60 * NS_PER_S + 2800 * NS_PER_MS);
	} else {
		CHECK_INT(rec.pushes, 0);
		CHECK(rec.msg_error);
		CHECK_CONTAINS(rec.msg, "\"logs\" panel type is not part of this build");
	}
	teardown(&f);
}

TEST(tracewidget_refetch_keeps_selection_and_folds)
{
	struct fixture f;
	char *s;

	setup(&f);
	key(&f, 'j');
	key(&f, 'j');
	key(&f, K_LEFT);	/* fold order */
	key(&f, 'g');
	key(&f, 'j');		/* select cart */
	key(&f, K_ENTER);
	load_trace(&f, "trace/canonical_legacy.json");	/* a refetch: new copy, new seq */
	s = draw_text(&f, 120, 40);
	CHECK_CONTAINS(s, "order PlaceOrder +4");
	CHECK_CONTAINS(s, "cart \xc2\xb7 GetCart");
	free(s);
	teardown(&f);
}

TEST(tracewidget_evicted_trace_is_let_go)
{
	struct fixture f;
	struct store_limits lim = { .traces = 1 };
	struct event *ev;

	setup(&f);
	free(draw_text(&f, 80, 20));
	store_free(f.st);
	f.st = store_new(&lim);
	f.c.store = f.st;
	ev = event_new(EV_TRACE, 0, "other", ev_trace_new("x"));
	store_apply(f.st, ev);
	event_free(ev);
	CHECK(!trace_widget.has_data(&f.p, &f.c));
	CHECK_INT(key(&f, 'j'), WK_IGNORED);
	teardown(&f);
}

extern const struct widget_class tracesearch_widget;

TEST(tracesearch_widget_sort_and_open)
{
	struct fixture f;
	FILE *fp = fopen(t_fixture("trace/search_tempo_all.json"), "rb");
	static char buf[1 << 16];
	size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
	char *err = NULL, *s;
	struct ev_tracesearch *e;
	struct event *ev;
	struct panel p;
	struct dash_query q = { .expr = (char *)"" };
	struct dash_panel cfg = { .type = (char *)"tracesearch", .q = &q, .nq = 1, .path = (char *)"s" };
	struct canvas *cv = canvas_new(150, 30);
	struct buf b;

	if (fp)
		fclose(fp);
	setup(&f);
	e = tempo_parse_search(buf, n, 0, &err);
	CHECK(e);
	ev = event_new(EV_TRACESEARCH, 0, "tempo\x1ftracesearch\x1f", e);
	store_apply(f.st, ev);
	event_free(ev);
	memset(&p, 0, sizeof p);
	p.cfg = &cfg;
	p.cls = &tracesearch_widget;
	p.nneed = 1;
	p.key[0] = (char *)"tempo\x1ftracesearch\x1f";
	CHECK_INT(tracesearch_widget.init(&p, NULL, NULL), 0);
	CHECK(tracesearch_widget.has_data(&p, &f.c));
	tracesearch_widget.key(&p, 's', &f.c);	/* slowest first */
	tracesearch_widget.draw(&p, cv, &f.c);
	buf_init(&b, 1 << 20);
	canvas_to_text(cv, &b);
	s = buf_steal(&b, NULL);
	CHECK_CONTAINS(s, "17 traces");
	CHECK_CONTAINS(s, "slowest first");
	CHECK_CONTAINS(s, " a3ce929d0e0e4736 ");	/* a trimmed 64-bit id shows as 16 digits */
	free(s);
	tracesearch_widget.key(&p, 'G', &f.c);	/* the fastest */
	tracesearch_widget.key(&p, 's', &f.c);	/* most errors: the selection follows its trace */
	tracesearch_widget.key(&p, K_ENTER, &f.c);
	CHECK_INT(rec.pushes, 1);
	CHECK_STR(rec.type, "trace");
	CHECK_STR(rec.source, "tempo");
	CHECK_INT(strlen(rec.expr0), 32);
	CHECK(strcmp(rec.expr0, "4bf92f3577b34da6a3ce929d0e0e4736") != 0);	/* not a slow one */
	tracesearch_widget.free(&p);
	canvas_free(cv);
	teardown(&f);
}

/* A live panel gets a new answer every refresh and the store frees the
 * old one: the widget drew from a pointer to the freed answer (a crash
 * with two tracesearch panels refreshing, bench/ROBUSTNESS.md; ASan under
 * make asan).  The selection follows its trace into the new answer. */
TEST(tracesearch_widget_new_answer_each_refresh)
{
	struct fixture f;
	FILE *fp = fopen(t_fixture("trace/search_tempo_all.json"), "rb");
	static char buf[1 << 16];
	size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
	char *err = NULL, picked[1024];
	struct panel p;
	struct dash_query q = { .expr = (char *)"" };
	struct dash_panel cfg = { .type = (char *)"tracesearch", .q = &q, .nq = 1, .path = (char *)"s" };
	struct canvas *cv = canvas_new(150, 30);

	if (fp)
		fclose(fp);
	setup(&f);
	memset(&p, 0, sizeof p);
	p.cfg = &cfg;
	p.cls = &tracesearch_widget;
	p.nneed = 1;
	p.key[0] = (char *)"tempo\x1ftracesearch\x1f";
	CHECK_INT(tracesearch_widget.init(&p, NULL, NULL), 0);
	picked[0] = '\0';
	for (int round = 0; round < 4; round++) {
		struct ev_tracesearch *e = tempo_parse_search(buf, n, 0, &err);
		struct event *ev;

		CHECK(e);
		if (!e)
			break;
		if (round == 2) {	/* a smaller answer: the selected trace may be gone */
			for (size_t i = 5; i < e->n; i++) {
				free(e->r[i].trace_id);
				free(e->r[i].root_service);
				free(e->r[i].root_name);
				free(e->r[i].services);
			}
			e->n = 5;
		}
		ev = event_new(EV_TRACESEARCH, 0, "tempo\x1ftracesearch\x1f", e);
		store_apply(f.st, ev);	/* frees the previous answer */
		event_free(ev);
		tracesearch_widget.draw(&p, cv, &f.c);
		if (round == 0) {
			tracesearch_widget.key(&p, 'j', &f.c);
			tracesearch_widget.key(&p, 'j', &f.c);
			tracesearch_widget.key(&p, 'j', &f.c);
			tracesearch_widget.key(&p, K_ENTER, &f.c);
			snprintf(picked, sizeof picked, "%s", rec.expr0);
			continue;
		}
		tracesearch_widget.key(&p, K_ENTER, &f.c);
		if (round == 1)		/* the same trace, in a new answer */
			CHECK_STR(rec.expr0, picked);
		tracesearch_widget.key(&p, 'j', &f.c);
		tracesearch_widget.draw(&p, cv, &f.c);
	}
	CHECK_INT(strlen(picked), 32);
	tracesearch_widget.free(&p);
	canvas_free(cv);
	teardown(&f);
}

/* Absurd times everywhere: drawing, zooming onto each span and the
 * detail view must stay defined (UBSan under make asan). */
TEST(tracewidget_extreme_times)
{
	struct fixture f;
	struct ev_trace *t = ev_trace_new("e0e0e0e0e0e0e0e0e0e0e0e0e0e0e004");
	static const tns starts[] = { INT64_MIN, -1, 0, 1, INT64_MAX, 4102444800LL * NS_PER_S,
		1795659462000000000LL, 1795659462000000001LL };
	static const tns durs[] = { INT64_MAX, INT64_MIN, -1, 0, 1, 3 * NS_PER_S, INT64_MAX / 2, 5 };
	struct event *ev;

	setup(&f);
	for (size_t i = 0; i < 8; i++) {
		struct span *s = ev_trace_add_span(t);
		char id[8];
		snprintf(id, sizeof id, "s%zu", i);
		s->span_id = arena_strdup(&t->ar, id);
		s->parent_id = i ? "s0" : "";
		s->start = starts[i];
		s->dur = durs[i];
		s->nev = 1;
		s->ev = arena_array(&t->ar, 1, sizeof *s->ev);
		s->ev[0].t = starts[7 - i];
		s->ev[0].name = "e";
	}
	ev = event_new(EV_TRACE, 0, KEY, t);
	store_apply(f.st, ev);
	event_free(ev);
	free(draw_text(&f, 100, 30));
	for (int i = 0; i < 8; i++) {
		key(&f, 'w');
		key(&f, K_ENTER);
		free(draw_text(&f, 100, 30));
		key(&f, K_ENTER);
		key(&f, 'w');
		key(&f, 'j');
		key(&f, 'm');
	}
	teardown(&f);
}
