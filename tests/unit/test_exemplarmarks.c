/* Unit tests: exemplars on graphs (widgets/exemplarmarks.c) — which
 * queries fetch them, the pure selection logic (nearest to the cursor,
 * next / previous, ties), collection from the store (window, NaN,
 * duplicates, unit scaling, errors), and the graph drawn with markers,
 * the label of the selected one, its keys and Enter into the trace. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/status.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"
#include "widgets/exemplarmarks.h"

#define T0	(1795659420LL * NS_PER_S)	/* 02:17:00Z */
#define CANON	"4bf92f3577b34da6a3ce929d0e0e4736"

/* ------------------------------------------------- what the app was asked */

static struct {
	int	pushes;
	char	type[32], source[64], expr[256], why[64];
	tns	cursor;
	int	cursor_set;
	char	msg[512];
	int	msg_error;
} rec;

static int
api_push(void *app, const struct dash_panel *cfg, const char *why)
{
	(void)app;
	rec.pushes++;
	snprintf(rec.type, sizeof rec.type, "%s", cfg->type);
	snprintf(rec.source, sizeof rec.source, "%s", cfg->source ? cfg->source : "");
	snprintf(rec.expr, sizeof rec.expr, "%s", cfg->nq ? cfg->q[0].expr : "");
	snprintf(rec.why, sizeof rec.why, "%s", why ? why : "");
	return 0;
}

static void
api_cursor(void *app, tns t)
{
	(void)app;
	rec.cursor = t;
	rec.cursor_set++;
}

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

static const struct wapi api = { .push = api_push, .set_cursor = api_cursor,
	.message = api_message };

/* ------------------------------------------------------------ a fixture */

struct fx {
	struct dashboard	*db;
	struct store		*st;
	struct panel		 p;
	struct view		 v;
	struct wctx		 c;
	struct canvas		*cv;
};

static void
fx_sink(void *ctx, struct event *ev)
{
	store_apply(ctx, ev);
	event_free(ev);
}

/* One graph panel (panel_json) in a dashboard with `sources`. */
static int
fx_init(struct fx *f, const char *sources, const char *panel_json, int w, int h)
{
	char *doc = xasprintf("{\"sources\":{%s},\"panels\":[%s]}", sources, panel_json);
	struct diag dg;

	memset(f, 0, sizeof *f);
	memset(&rec, 0, sizeof rec);
	diag_init(&dg);
	f->db = dashboard_parse(doc, strlen(doc), "test", &dg);
	free(doc);
	if (!f->db) {
		t_fail(__FILE__, __LINE__, "dashboard: %s", diag_first_error(&dg));
		diag_free(&dg);
		return -1;
	}
	f->st = store_new(NULL);
	f->p.cfg = &f->db->panels[0];
	f->p.cls = widget_class_find(f->p.cfg->type);
	if (f->p.cls->init(&f->p, &f->db->doc, &dg) < 0 || dg.nerrors)
		t_fail(__FILE__, __LINE__, "init: %s", diag_first_error(&dg));
	diag_free(&dg);
	view_init(&f->v, 3600 * NS_PER_S);
	view_set_end(&f->v, T0 + 13 * 60 * NS_PER_S);	/* 02:30 */
	f->c.store = f->st;
	f->c.view = &f->v;
	f->c.now = f->v.end;
	f->c.start = f->v.end - f->v.range;
	f->c.end = f->v.end;
	f->c.gs = GS_BRAILLE;
	f->c.db = f->db;
	f->c.api = &api;
	f->c.app = f;
	f->c.focused = 1;
	f->cv = canvas_new(w, h);
	f->p.nneed = f->p.cls->needs(&f->p, &f->c, w, h, f->p.need, NEED_MAX);
	for (size_t k = 0; k < f->p.nneed; k++)
		f->p.key[k] = xasprintf("k%zu-%s", k, f->p.need[k].kind);
	return 0;
}

static void
fx_free(struct fx *f)
{
	for (size_t k = 0; k < f->p.nneed; k++)
		free(f->p.key[k]);
	if (f->p.cls->free)
		f->p.cls->free(&f->p);
	store_free(f->st);
	dashboard_free(f->db);
	canvas_free(f->cv);
}

static int
need_of(const struct fx *f, const char *kind)
{
	for (size_t k = 0; k < f->p.nneed; k++)
		if (!strcmp(f->p.need[k].kind, kind))
			return (int)k;
	return -1;
}

/* A flat P99 series: 120 ms before the incident, 8.4 s after. */
static void
fx_p99(struct fx *f)
{
	tns step = 15 * NS_PER_S, start = f->c.start;
	size_t n = (size_t)(f->v.range / step) + 1;
	struct ev_series *e = ev_series_new(RT_MATRIX, start, start + (tns)(n - 1) * step, step);
	struct ev_series_one *s = ev_series_add(e);
	struct event *ev;

	labels_finish(&s->labels);
	for (size_t i = 0; i < n; i++) {
		tns t = start + (tns)i * step;
		ev_series_point(s, t, t < T0 + 60 * NS_PER_S ? 120 : 8400);
	}
	ev = event_new(EV_SERIES, start, f->p.key[need_of(f, "range")], e);
	store_apply(f->st, ev);
	event_free(ev);
}

struct ex {
	tns		 t;
	double		 v;
	const char	*trace;		/* NULL: another label */
	const char	*name;		/* series __name__ */
};

static void
fx_exemplars(struct fx *f, int k, const struct ex *x, size_t n)
{
	struct ev_exemplars *e = ev_exemplars_new(f->c.start, f->c.end);
	struct event *ev;

	for (size_t i = 0; i < n; i++) {
		struct exemplar *o = ev_exemplars_add(e);
		labels_set(&o->series, "__name__", x[i].name ? x[i].name :
		    "istio_request_duration_milliseconds_bucket");
		labels_set(&o->series, "le", "10000.0");
		labels_finish(&o->series);
		labels_set(&o->labels, x[i].trace ? "trace_id" : "span_kind", x[i].trace ? x[i].trace : "server");
		labels_finish(&o->labels);
		o->value = x[i].v;
		o->t = x[i].t;
	}
	ev = event_new(EV_EXEMPLARS, f->c.end, f->p.key[k], e);
	store_apply(f->st, ev);
	event_free(ev);
}

static char *
fx_draw(struct fx *f)
{
	struct buf b;

	canvas_clear(f->cv, ROLE_DEFAULT);
	f->p.cls->draw(&f->p, f->cv, &f->c);
	buf_init(&b, 1 << 20);
	canvas_to_text(f->cv, &b);
	return buf_steal(&b, NULL);
}

static size_t
count(const char *s, const char *glyph)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, glyph)); p += strlen(glyph))
		n++;
	return n;
}

static const char SRC[] = "\"prom\":{\"type\":\"prometheus\",\"url\":\"http://p\"},"
    "\"tempo\":{\"type\":\"tempo\",\"url\":\"http://t\"}";
static const char P99[] = "{\"type\":\"graph\",\"title\":\"P99\",\"unit\":\"ms\",\"query\":"
    "\"histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))\","
    "\"grid\":{\"x\":0,\"y\":0,\"w\":24,\"h\":8}}";

static const struct ex INCIDENT_EX[] = {
	{ T0 - 7 * 60 * NS_PER_S, 115, "93c81872d174f6b42e7fbd75b114efbb", NULL },
	{ T0 + 50 * NS_PER_S + 560 * NS_PER_MS, 8410, CANON, NULL },
	{ T0 + 6 * 60 * NS_PER_S, 8410, "8052d44c4bb81cc9dc39d040ca9223a6", NULL },
};

/* ----------------------------------------------------- which queries */

TEST(exemplarmarks_which_queries_fetch_them)
{
	static const struct { const char *sources, *panel; int want; } cases[] = {
		/* default: histogram_quantile queries from Prometheus */
		{ SRC, P99, 1 },
		{ SRC, "{\"type\":\"graph\",\"query\":\"sum(rate(x_count[5m]))\"}", 0 },
		{ SRC, "{\"type\":\"graph\",\"query\":\"sum(rate(x_count[5m]))\","
		    "\"options\":{\"exemplars\":true}}", 1 },
		{ SRC, "{\"type\":\"graph\",\"query\":\"histogram_quantile(0.9, x)\","
		    "\"options\":{\"exemplars\":false}}", 0 },
		/* Loki cannot answer them, whatever the option says */
		{ "\"l\":{\"type\":\"loki\",\"url\":\"http://l\"}", "{\"type\":\"graph\","
		    "\"query\":\"histogram_quantile(0.9, x)\",\"options\":{\"exemplars\":true}}", 0 },
		{ "\"l\":{\"type\":\"loki\",\"url\":\"http://l\"}," "\"p\":{\"type\":\"prometheus\","
		    "\"url\":\"http://p\"}", "{\"type\":\"graph\",\"source\":\"p\","
		    "\"query\":\"histogram_quantile(0.9, x)\"}", 1 },
		{ SRC, "{\"type\":\"graph\",\"queries\":[{\"query\":\"histogram_quantile(0.9, x)\","
		    "\"hide\":true}]}", 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct fx f;
		int k;
		if (fx_init(&f, cases[i].sources, cases[i].panel, 80, 20) < 0)
			continue;
		k = need_of(&f, "exemplars");
		if ((k >= 0) != cases[i].want)
			t_fail(__FILE__, __LINE__, "case %zu: exemplar need %s", i, k >= 0 ? "present" :
			    "missing");
		if (k >= 0) {
			CHECK_INT(f.p.need[k].aux, 1);
			CHECK_INT(f.p.need[k].qi, 0);
			CHECK(need_of(&f, "range") < k);	/* after the data it decorates */
		}
		fx_free(&f);
	}
}

TEST(exemplarmarks_unit_scaling)
{
	struct labelset s;

	labels_init(&s);
	labels_set(&s, "__name__", "http_server_requests_seconds_bucket");
	labels_finish(&s);
	CHECK_NEAR(exemplarmarks_scale(&s, "ms"), 1000, 0);
	CHECK_NEAR(exemplarmarks_scale(&s, "s"), 1, 0);
	CHECK_NEAR(exemplarmarks_scale(&s, "reqps"), 1, 0);
	labels_free(&s);
	labels_init(&s);
	labels_set(&s, "__name__", "istio_request_duration_milliseconds_bucket");
	labels_finish(&s);
	CHECK_NEAR(exemplarmarks_scale(&s, "s"), 0.001, 0);
	CHECK_NEAR(exemplarmarks_scale(&s, "ms"), 1, 0);
	CHECK_NEAR(exemplarmarks_scale(&s, NULL), 1, 0);
	labels_free(&s);
	CHECK_NEAR(exemplarmarks_scale(NULL, "ms"), 1, 0);
}

/* ------------------------------------------------------- selection */

static struct exmarks
marks(const tns *t, size_t n)
{
	struct exmarks m = { xcalloc(n ? n : 1, sizeof *m.m), n, NULL };

	for (size_t i = 0; i < n; i++) {
		m.m[i].t = t[i];
		m.m[i].id = 100 + i;
	}
	return m;
}

TEST(exemplarmarks_at_picks_the_nearest_within_tolerance)
{
	tns t[] = { 100, 200, 200, 300, 1000 };
	struct exmarks m = marks(t, 5);

	CHECK_INT(exemplarmarks_at(&m, TNS_NONE, 50, 0), -1);	/* no cursor, nothing on it */
	CHECK_INT(exemplarmarks_at(&m, 120, 50, 0), 0);
	CHECK_INT(exemplarmarks_at(&m, 160, 50, 0), 1);		/* 200 is nearer than 100 */
	CHECK_INT(exemplarmarks_at(&m, 200, 50, 0), 1);		/* a tie: the first ... */
	CHECK_INT(exemplarmarks_at(&m, 200, 50, 102), 2);	/* ... unless the other was picked */
	CHECK_INT(exemplarmarks_at(&m, 251, 50, 0), 3);
	CHECK_INT(exemplarmarks_at(&m, 600, 50, 0), -1);	/* nothing within reach */
	CHECK_INT(exemplarmarks_at(&m, 951, 50, 0), 4);
	CHECK_INT(exemplarmarks_at(&m, 949, 50, 0), -1);
	exemplarmarks_release(&m);
	m = marks(t, 0);
	CHECK_INT(exemplarmarks_at(&m, 100, 50, 0), -1);
	exemplarmarks_release(&m);
	/* half a column, or half a cursor step (range / 100), the larger */
	CHECK(exemplarmarks_tolerance(0, 1000 * NS_PER_S, 10, 1000 * NS_PER_S) == 50 * NS_PER_S);
	CHECK(exemplarmarks_tolerance(0, 1000 * NS_PER_S, 1000, 1000 * NS_PER_S) == 5 * NS_PER_S);
	CHECK(exemplarmarks_tolerance(0, 0, 0, 0) == 1);
}

TEST(exemplarmarks_step_walks_every_exemplar_once)
{
	tns t[] = { 100, 200, 200, 300 };
	struct exmarks m = marks(t, 4);
	tns cur = TNS_NONE;
	uint64_t sel = 0;
	long i, seen[8] = { 0 };
	size_t n = 0;

	CHECK_INT(exemplarmarks_step(&m, TNS_NONE, 10, 0, 1), 0);	/* no cursor: the first */
	CHECK_INT(exemplarmarks_step(&m, TNS_NONE, 10, 0, -1), 3);	/* ... or the last */
	/* forward from no cursor visits all four, the equal times one by one */
	while ((i = exemplarmarks_step(&m, cur, 10, sel, 1)) >= 0 && n < 8) {
		seen[n++] = i;
		cur = m.m[i].t;
		sel = m.m[i].id;
	}
	CHECK_INT(n, 4);
	for (size_t k = 0; k < n && k < 4; k++)
		CHECK_INT(seen[k], (long)k);
	/* and back */
	n = 0;
	while ((i = exemplarmarks_step(&m, cur, 10, sel, -1)) >= 0 && n < 8) {
		seen[n++] = i;
		cur = m.m[i].t;
		sel = m.m[i].id;
	}
	CHECK_INT(n, 3);
	CHECK_INT(seen[0], 2);
	CHECK_INT(seen[2], 0);
	/* from between two: the next one after / the last one before */
	CHECK_INT(exemplarmarks_step(&m, 150, 10, 0, 1), 1);
	CHECK_INT(exemplarmarks_step(&m, 150, 10, 0, -1), 0);
	CHECK_INT(exemplarmarks_step(&m, 500, 10, 0, 1), -1);
	CHECK_INT(exemplarmarks_step(&m, 50, 10, 0, -1), -1);
	exemplarmarks_release(&m);
	m = marks(t, 0);
	CHECK_INT(exemplarmarks_step(&m, TNS_NONE, 10, 0, 1), -1);
	exemplarmarks_release(&m);
}

/* ------------------------------------------------------- collection */

TEST(exemplarmarks_the_same_exemplar_from_two_queries_is_one)
{
	struct fx f;
	struct exmarks m;
	int k0 = -1, k1 = -1;

	if (fx_init(&f, SRC, "{\"type\":\"graph\",\"unit\":\"ms\",\"queries\":["
	    "{\"query\":\"histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))\"},"
	    "{\"query\":\"histogram_quantile(0.5, sum by (le) (rate(x_bucket[5m])))\"}]}", 100, 20) < 0)
		return;
	for (size_t k = 0; k < f.p.nneed; k++)
		if (!strcmp(f.p.need[k].kind, "exemplars")) {
			if (k0 < 0)
				k0 = (int)k;
			else
				k1 = (int)k;
		}
	CHECK(k0 >= 0 && k1 >= 0);
	if (k0 < 0 || k1 < 0) {
		fx_free(&f);
		return;
	}
	CHECK_INT(f.p.need[k1].qi, 1);
	fx_exemplars(&f, k0, INCIDENT_EX, 3);
	fx_exemplars(&f, k1, INCIDENT_EX + 1, 2);
	exemplarmarks_collect(&f.p, &f.c, f.c.start, f.c.end, "ms", &m);
	CHECK_INT(m.n, 3);
	exemplarmarks_release(&m);
	fx_free(&f);
}

TEST(exemplarmarks_collect_window_dups_nan_scale_error)
{
	struct fx f;
	struct exmarks m;
	int k;
	struct ex x[] = {
		{ T0 - 2 * 3600 * NS_PER_S, 100, "0001", NULL },		/* before the window */
		{ T0 + 50 * NS_PER_S, 8410, CANON, NULL },
		{ T0 + 10 * NS_PER_S, 2.8, "0002", "x_seconds_bucket" },	/* seconds: x1000 */
		{ T0 + 20 * NS_PER_S, NAN, "0003", NULL },			/* no value */
		{ T0 + 3600 * NS_PER_S, 5, "0004", NULL },			/* after it */
	};

	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	k = need_of(&f, "exemplars");
	fx_exemplars(&f, k, x, 5);
	exemplarmarks_collect(&f.p, &f.c, f.c.start, f.c.end, "ms", &m);
	CHECK_INT(m.n, 2);
	if (m.n == 2) {
		CHECK(m.m[0].t == T0 + 10 * NS_PER_S);	/* sorted by time */
		CHECK_NEAR(m.m[0].v, 2800, 1e-12);
		CHECK_STR(exemplar_trace_id(m.m[1].x), CANON);
		CHECK(m.m[0].id != m.m[1].id && m.m[0].id && m.m[1].id);
	}
	CHECK(m.error == NULL);
	exemplarmarks_release(&m);
	/* an error of the exemplar query is reported, the marks stay */
	{
		struct event_sink sink = { fx_sink, f.st };
		status_emit(&sink, f.p.key[k], f.c.end, QS_ERROR, 404, 1, "404 page not found");
	}
	exemplarmarks_collect(&f.p, &f.c, f.c.start, f.c.end, "ms", &m);
	CHECK_STR(m.error, "404 page not found");
	CHECK_INT(m.n, 2);
	exemplarmarks_release(&m);
	fx_free(&f);
}

/* ------------------------------------------- the graph, drawn and keyed */

TEST(exemplarmarks_graph_draws_markers_and_the_selected_label)
{
	struct fx f;
	char *s;

	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	fx_p99(&f);
	s = fx_draw(&f);
	CHECK_INT(count(s, "\xe2\x97\x87"), 0);	/* no exemplars yet, no markers */
	free(s);
	fx_exemplars(&f, need_of(&f, "exemplars"), INCIDENT_EX, 3);
	s = fx_draw(&f);
	CHECK_INT(count(s, "\xe2\x97\x87"), 3);	/* ◇ each */
	CHECK_INT(count(s, "\xe2\x97\x86"), 0);	/* none selected without a cursor */
	CHECK(strstr(s, "trace ") == NULL);
	free(s);
	/* the cursor near (not exactly on) the canonical exemplar selects it */
	f.v.cursor = INCIDENT_EX[1].t + 5 * NS_PER_S;
	s = fx_draw(&f);
	CHECK_INT(count(s, "\xe2\x97\x87"), 2);
	CHECK(count(s, "\xe2\x97\x86") >= 1);		/* ◆ the marker and the label's */
	CHECK_CONTAINS(s, "trace " CANON " \xc2\xb7 8.41 s \xc2\xb7 02:17:50 \xc2\xb7 2/3");
	CHECK(strstr(s, "Enter: open") == NULL);	/* in the grid Enter zooms */
	free(s);
	f.c.inside = 1;
	s = fx_draw(&f);
	CHECK_CONTAINS(s, "Enter: open");
	free(s);
	/* the healthy one is at the bottom, the failing ones near the top:
	   its marker is drawn lower than theirs */
	f.v.cursor = TNS_NONE;
	s = fx_draw(&f);
	{
		char *a = strstr(s, "\xe2\x97\x87"), *nl = a ? strchr(s, '\n') : NULL;
		int first_row = 0, last_row = 0, row = 0;
		for (const char *p = s; *p; p++) {
			if (*p == '\n')
				row++;
			else if (!strncmp(p, "\xe2\x97\x87", 3)) {
				if (!first_row)
					first_row = row + 1;
				last_row = row + 1;
			}
		}
		CHECK(nl != NULL);
		CHECK(last_row - first_row >= 10);
	}
	free(s);
	fx_free(&f);
}

TEST(exemplarmarks_ascii_and_narrow)
{
	struct fx f;
	char *s;

	if (fx_init(&f, SRC, P99, 34, 10) < 0)
		return;
	f.c.gs = GS_ASCII;
	f.c.ascii = 1;
	fx_p99(&f);
	fx_exemplars(&f, need_of(&f, "exemplars"), INCIDENT_EX, 3);
	f.v.cursor = INCIDENT_EX[1].t;
	s = fx_draw(&f);
	CHECK_INT(count(s, "\xe2\x97"), 0);	/* no diamonds in ASCII */
	CHECK(count(s, "o") >= 1);
	CHECK(count(s, "@") >= 1);
	/* too narrow for everything: the id (cut) and the value stay */
	CHECK_CONTAINS(s, "8.41 s");
	CHECK_CONTAINS(s, "4bf92f35");
	free(s);
	/* every size draws without trouble */
	for (int w = 1; w <= 40; w += 3)
		for (int h = 1; h <= 12; h += 2) {
			canvas_free(f.cv);
			f.cv = canvas_new(w, h);
			free(fx_draw(&f));
		}
	fx_free(&f);
}

TEST(exemplarmarks_keys_jump_and_open_the_trace)
{
	struct fx f;
	int k;

	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	fx_p99(&f);
	k = need_of(&f, "exemplars");
	fx_exemplars(&f, k, INCIDENT_EX, 3);
	free(fx_draw(&f));	/* the plot width the tolerance uses */
	/* e: the first exemplar, then the next ones; the cursor follows */
	CHECK_INT(f.p.cls->key(&f.p, 'e', &f.c), WK_HANDLED);
	CHECK(rec.cursor == INCIDENT_EX[0].t);
	f.v.cursor = rec.cursor;
	CHECK_INT(f.p.cls->key(&f.p, 'e', &f.c), WK_HANDLED);
	CHECK(rec.cursor == INCIDENT_EX[1].t);
	f.v.cursor = rec.cursor;
	/* in the grid Enter is the app's (zoom) */
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_IGNORED);
	CHECK_INT(rec.pushes, 0);
	/* zoomed, Enter opens the waterfall of its trace */
	f.c.inside = 1;
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_HANDLED);
	CHECK_INT(rec.pushes, 1);
	CHECK_STR(rec.type, "trace");
	CHECK_STR(rec.source, "tempo");
	CHECK_STR(rec.expr, CANON);
	CHECK_STR(rec.why, "exemplar");
	/* E goes back; past the first there is nothing and it says so */
	CHECK_INT(f.p.cls->key(&f.p, 'E', &f.c), WK_HANDLED);
	CHECK(rec.cursor == INCIDENT_EX[0].t);
	f.v.cursor = rec.cursor;
	CHECK_INT(f.p.cls->key(&f.p, 'E', &f.c), WK_HANDLED);
	CHECK(rec.cursor == INCIDENT_EX[0].t);
	CHECK_CONTAINS(rec.msg, "no exemplar before the cursor");
	/* the cursor away from every exemplar: Enter is not ours (unzoom) */
	f.v.cursor = T0 - 30 * 60 * NS_PER_S;
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_IGNORED);
	CHECK_INT(rec.pushes, 1);
	/* X hides them (and stops asking for them), X again shows them */
	CHECK(f.p.cls->key(&f.p, 'X', &f.c) & WK_RELAYOUT);
	CHECK_STR(rec.msg, "exemplars hidden");
	{
		struct need out[NEED_MAX];
		size_t n = f.p.cls->needs(&f.p, &f.c, 100, 20, out, NEED_MAX);
		CHECK_INT(n, 1);
	}
	f.v.cursor = INCIDENT_EX[1].t;
	CHECK_INT(f.p.cls->key(&f.p, 'e', &f.c), WK_IGNORED);
	{
		char *s = fx_draw(&f);
		CHECK_INT(count(s, "\xe2\x97\x87") + count(s, "\xe2\x97\x86"), 0);
		free(s);
	}
	CHECK(f.p.cls->key(&f.p, 'X', &f.c) & WK_HANDLED);
	CHECK_STR(rec.msg, "exemplars shown");
	fx_free(&f);
}

TEST(exemplarmarks_enter_without_trace_source_or_id)
{
	struct fx f;
	struct ex x[] = {
		{ T0 + 10 * NS_PER_S, 900, NULL, NULL },			/* no trace id */
		{ T0 + 200 * NS_PER_S, 900, "\x1b[31mevil\x1b]0;x\x07", NULL },	/* not one */
	};
	char *s;

	/* no trace source configured */
	if (fx_init(&f, "\"prom\":{\"type\":\"prometheus\",\"url\":\"http://p\"}", P99, 100, 20) < 0)
		return;
	fx_p99(&f);
	fx_exemplars(&f, need_of(&f, "exemplars"), INCIDENT_EX, 3);
	f.v.cursor = INCIDENT_EX[1].t;
	f.c.inside = 1;
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_HANDLED);
	CHECK_INT(rec.pushes, 0);
	CHECK_CONTAINS(rec.msg, "no trace source");
	CHECK_INT(rec.msg_error, 1);
	fx_free(&f);

	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	fx_p99(&f);
	fx_exemplars(&f, need_of(&f, "exemplars"), x, 2);
	f.c.inside = 1;
	f.v.cursor = x[0].t;
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_HANDLED);
	CHECK_INT(rec.pushes, 0);
	CHECK_CONTAINS(rec.msg, "no trace id");
	CHECK_CONTAINS(rec.msg, "span_kind=");
	s = fx_draw(&f);
	CHECK_CONTAINS(s, "exemplar {span_kind=\"server\"}");
	free(s);
	/* a hostile "trace id": drawn with its escapes made visible, refused */
	f.v.cursor = x[1].t;
	s = fx_draw(&f);
	CHECK(strchr(s, 0x1b) == NULL);
	CHECK(strchr(s, 0x07) == NULL);
	CHECK_CONTAINS(s, "evil");
	free(s);
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_HANDLED);
	CHECK_INT(rec.pushes, 0);
	CHECK_CONTAINS(rec.msg, "not a trace id");
	fx_free(&f);
}

TEST(exemplarmarks_zoomed_graph_says_why_exemplars_failed)
{
	struct fx f;
	struct event_sink sink;
	char *s;
	int k;

	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	fx_p99(&f);
	k = need_of(&f, "exemplars");
	sink = (struct event_sink){ fx_sink, f.st };
	status_emit(&sink, f.p.key[k], f.c.end, QS_ERROR, 404, 1, "404 page not found");
	s = fx_draw(&f);
	CHECK(strstr(s, "exemplars:") == NULL);	/* the grid stays quiet */
	free(s);
	f.c.inside = 1;
	s = fx_draw(&f);
	CHECK_CONTAINS(s, "! exemplars: 404 page not found");
	free(s);
	/* and e says it too */
	CHECK_INT(f.p.cls->key(&f.p, 'e', &f.c), WK_HANDLED);
	CHECK_STR(rec.msg, "exemplars: 404 page not found");
	/* exemplars alone are no data for the graph */
	CHECK_INT(f.p.cls->has_data(&f.p, &f.c), 1);
	fx_free(&f);
	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	fx_exemplars(&f, need_of(&f, "exemplars"), INCIDENT_EX, 3);
	CHECK_INT(f.p.cls->has_data(&f.p, &f.c), 0);
	fx_free(&f);
}

TEST(exemplarmarks_an_empty_answer_clears_its_window)
{
	struct fx f;
	struct exmarks m;
	int k;

	if (fx_init(&f, SRC, P99, 100, 20) < 0)
		return;
	k = need_of(&f, "exemplars");
	fx_exemplars(&f, k, NULL, 0);	/* Prometheus without exemplar storage: [] */
	exemplarmarks_collect(&f.p, &f.c, f.c.start, f.c.end, "ms", &m);
	CHECK_INT(m.n, 0);
	exemplarmarks_release(&m);
	fx_exemplars(&f, k, INCIDENT_EX, 3);
	exemplarmarks_collect(&f.p, &f.c, f.c.start, f.c.end, "ms", &m);
	CHECK_INT(m.n, 3);
	exemplarmarks_release(&m);
	fx_exemplars(&f, k, NULL, 0);	/* the exemplars aged out of Prometheus' buffer */
	exemplarmarks_collect(&f.p, &f.c, f.c.start, f.c.end, "ms", &m);
	CHECK_INT(m.n, 0);
	exemplarmarks_release(&m);
	fx_free(&f);
}
