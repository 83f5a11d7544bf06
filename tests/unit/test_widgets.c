/* Unit tests: the metric widgets drawn from a synthetic store onto a
 * canvas (graph, stat, gauge, table, alerts), at normal and tiny sizes,
 * and the scheduler's backoff. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sched.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"
#include "widgets/widget.h"

#define T0	(1795659420LL * NS_PER_S)	/* 02:17:00Z */
#define STEP	(60 * NS_PER_S)

struct fixture {
	struct dashboard	*db;
	struct store		*st;
	struct panel		 p;
	struct view		 v;
	struct wctx		 c;
	struct canvas		*cv;
	struct dash_panel	 pushed;	/* its pointers are the pusher's: only during push */
	int			 npushed;
	char			*pushed_expr;
	double			 pushed_th0;	/* the first threshold's value, copied */
};

static struct fixture *the_fx;

static int
fake_push(void *app, const struct dash_panel *cfg, const char *why)
{
	(void)app;
	(void)why;
	the_fx->npushed++;
	the_fx->pushed = *cfg;
	free(the_fx->pushed_expr);
	the_fx->pushed_expr = xstrdup(cfg->q[0].expr);
	the_fx->pushed_th0 = cfg->nth ? cfg->th[0].value : NAN;
	return 0;
}

static void fake_cursor(void *app, tns t) { (void)app; (void)t; }
static void fake_message(void *app, int e, const char *fmt, ...) { (void)app; (void)e; (void)fmt; }
static void fake_refetch(void *app, struct panel *p) { (void)app; (void)p; }
static const struct wapi fake_api = { .push = fake_push, .set_cursor = fake_cursor,
	.message = fake_message, .refetch = fake_refetch };

/* A dashboard with one panel; its needs get keys "k0", "k1", ... */
static void
fx_init(struct fixture *fx, const char *panel_json, int w, int h, tns end, tns range)
{
	char *doc = xasprintf("{\"sources\":{\"p\":{\"type\":\"prometheus\",\"url\":\"http://x\"}},"
	    "\"panels\":[%s]}", panel_json);
	struct diag dg;

	memset(fx, 0, sizeof *fx);
	the_fx = fx;
	diag_init(&dg);
	fx->db = dashboard_parse(doc, strlen(doc), "test", &dg);
	free(doc);
	if (!fx->db)	/* a broken fixture: nothing below can run */
		fatal("test fixture dashboard: %s", diag_first_error(&dg));
	fx->st = store_new(NULL);
	fx->p.cfg = &fx->db->panels[0];
	fx->p.cls = widget_class_find(fx->p.cfg->type);
	if (fx->p.cls->init(&fx->p, &fx->db->doc, &dg) < 0 || dg.nerrors)
		t_fail(__FILE__, __LINE__, "init: %s", diag_first_error(&dg));
	diag_free(&dg);
	view_init(&fx->v, range);
	view_set_end(&fx->v, end);
	fx->c.store = fx->st;
	fx->c.view = &fx->v;
	fx->c.now = end;
	fx->c.start = end - range;
	fx->c.end = end;
	fx->c.gs = GS_BRAILLE;
	fx->c.db = fx->db;
	fx->c.api = &fake_api;
	fx->c.focused = 1;
	fx->cv = canvas_new(w, h);
	fx->p.nneed = fx->p.cls->needs(&fx->p, &fx->c, w, h, fx->p.need, NEED_MAX);
	for (size_t k = 0; k < fx->p.nneed; k++)
		fx->p.key[k] = xasprintf("k%zu", k);
}

static void
fx_free(struct fixture *fx)
{
	for (size_t k = 0; k < fx->p.nneed; k++)
		free(fx->p.key[k]);
	if (fx->p.cls->free)
		fx->p.cls->free(&fx->p);
	store_free(fx->st);
	dashboard_free(fx->db);
	canvas_free(fx->cv);
	free(fx->pushed_expr);
}

/* Store a series for need k: values v[i] at start + i*step (NAN kept). */
static void
fx_series(struct fixture *fx, size_t k, const char *label, const char *value, const double *v,
    size_t n, tns start, tns step)
{
	struct ev_series *e = ev_series_new(step ? RT_MATRIX : RT_VECTOR, start,
	    step ? start + (tns)(n - 1) * step : start, step);
	struct ev_series_one *s = ev_series_add(e);
	struct event *ev;

	labels_set(&s->labels, label, value);
	labels_finish(&s->labels);
	for (size_t i = 0; i < n; i++)
		ev_series_point(s, start + (tns)i * step, v[i]);
	if (!step)	/* instant: the store's step-0 slot, stamped at start */
		e->step = 0;
	ev = event_new(EV_SERIES, start, fx->p.key[k], e);
	store_apply(fx->st, ev);
	event_free(ev);
}

static char *
fx_draw(struct fixture *fx)
{
	struct buf b;

	canvas_clear(fx->cv, ROLE_DEFAULT);
	fx->p.cls->draw(&fx->p, fx->cv, &fx->c);
	buf_init(&b, 1 << 20);
	canvas_to_text(fx->cv, &b);
	return buf_steal(&b, NULL);
}

TEST(graph_gap_inf_marker_and_legend)
{
	struct fixture fx;
	double v[10] = { 1, 1, 1, 1, NAN, NAN, 2, 2, 2, INFINITY };
	char *txt, *row0;

	fx_init(&fx, "{\"type\":\"graph\",\"query\":\"q\",\"legend\":\"{{svc}}\",\"unit\":\"s\"}",
	    60, 16, T0 + 9 * STEP, 9 * STEP);
	fx_series(&fx, 0, "svc", "order", v, 10, T0, STEP);
	txt = fx_draw(&fx);
	row0 = canvas_row_text(fx.cv, 0);
	CHECK_CONTAINS(row0, "\xe2\x96\xb2");	/* +Inf clipped to the top and marked */
	CHECK_CONTAINS(txt, "order");
	CHECK_CONTAINS(txt, "last +Inf  max 2.00 s");
	CHECK_CONTAINS(txt, "2.0 s");		/* y ticks in the panel unit */
	free(row0);
	free(txt);
	/* the NaN points are a gap: no dots in the columns of t4..t5 */
	{
		int x4 = 4, gapdots = 0;
		/* plot starts after the y labels; find it from the legend-free rows */
		for (int y = 0; y < 8; y++)
			for (int x = 0; x < fx.cv->w; x++) {
				const struct cell *c = canvas_cell(fx.cv, x, y);
				double frac = (double)(x - x4) / (fx.cv->w - x4);
				if (c->ch > 0x2800 && c->ch <= 0x28ff && frac > 4.6 / 9 && frac < 5.4 / 9)
					gapdots++;
			}
		CHECK_INT(gapdots, 0);
	}
	fx_free(&fx);
}

TEST(graph_keys_hide_and_show_series)
{
	struct fixture fx;
	double a[3] = { 1, 2, 3 }, b[3] = { 4, 5, 6 };
	char *txt;

	fx_init(&fx, "{\"type\":\"graph\",\"query\":\"q\",\"legend\":\"{{svc}}\"}", 60, 16,
	    T0 + 2 * STEP, 2 * STEP);
	fx_series(&fx, 0, "svc", "cart", a, 3, T0, STEP);
	{	/* a second series in the same answer window */
		struct ev_series *e = ev_series_new(RT_MATRIX, T0, T0 + 2 * STEP, STEP);
		struct ev_series_one *s1, *s2;
		struct event *ev;
		ev_series_add(e);	/* adding may move the array: take pointers after */
		ev_series_add(e);
		s1 = &e->s[0];
		s2 = &e->s[1];
		labels_set(&s1->labels, "svc", "cart");
		labels_set(&s2->labels, "svc", "order");
		labels_finish(&s1->labels);
		labels_finish(&s2->labels);
		for (int i = 0; i < 3; i++) {
			ev_series_point(s1, T0 + i * STEP, a[i]);
			ev_series_point(s2, T0 + i * STEP, b[i]);
		}
		ev = event_new(EV_SERIES, T0, "k0", e);
		store_apply(fx.st, ev);
		event_free(ev);
	}
	txt = fx_draw(&fx);
	/* worst first: order (max 6) leads the legend, cart (max 3) follows */
	CHECK(strstr(txt, "order") && strstr(txt, "cart") && strstr(txt, "order") < strstr(txt, "cart"));
	free(txt);
	CHECK_INT(fx.p.cls->key(&fx.p, 'J', &fx.c), WK_HANDLED);	/* the first row: order */
	CHECK_INT(fx.p.cls->key(&fx.p, 't', &fx.c), WK_HANDLED);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "order");
	CHECK_CONTAINS(txt, " hidden");
	CHECK_CONTAINS(txt, "last 3  max 3");	/* cart still shown */
	CHECK(strstr(txt, "last 6") == NULL);
	free(txt);
	CHECK_INT(fx.p.cls->key(&fx.p, 'A', &fx.c), WK_HANDLED);
	txt = fx_draw(&fx);
	CHECK(strstr(txt, "hidden") == NULL);
	free(txt);
	CHECK_INT(fx.p.cls->key(&fx.p, 'x', &fx.c), WK_IGNORED);
	fx_free(&fx);
}

/* Three series: a is low, b peaked and fell, c is flat and highest now. */
static char *
legend_order_draw(const char *sort)
{
	struct fixture fx;
	const char *names[3] = { "a", "b", "c" };
	double v[3][3] = { { 1, 1, 1 }, { 2, 9, 2 }, { 4, 4, 4 } };
	struct ev_series *e = ev_series_new(RT_MATRIX, T0, T0 + 2 * STEP, STEP);
	struct event *ev;
	char *panel = xasprintf("{\"type\":\"graph\",\"query\":\"q\",\"legend\":\"{{svc}}x\"%s%s%s}",
	    sort ? ",\"options\":{\"legend_sort\":\"" : "", sort ? sort : "", sort ? "\"}" : "");
	char *txt, *out;

	fx_init(&fx, panel, 60, 20, T0 + 2 * STEP, 2 * STEP);
	for (int i = 0; i < 3; i++)
		ev_series_add(e);	/* adding may move the array: fill after */
	for (int i = 0; i < 3; i++) {
		labels_set(&e->s[i].labels, "svc", names[i]);
		labels_finish(&e->s[i].labels);
		for (int k = 0; k < 3; k++)
			ev_series_point(&e->s[i], T0 + k * STEP, v[i][k]);
	}
	ev = event_new(EV_SERIES, T0, "k0", e);
	store_apply(fx.st, ev);
	event_free(ev);
	txt = fx_draw(&fx);
	{	/* the legend names in the order drawn */
		const char *pa = strstr(txt, "\xe2\x94\x81 ax "), *pb = strstr(txt, "\xe2\x94\x81 bx "),
		    *pc = strstr(txt, "\xe2\x94\x81 cx ");
		char o[4] = "???";
		if (pa && pb && pc)	/* rank each name by how many are drawn before it */
			for (int i = 0; i < 3; i++) {
				const char *me = i == 0 ? pa : i == 1 ? pb : pc;
				int r = (pa < me) + (pb < me) + (pc < me);
				o[r] = names[i][0];
			}
		out = xstrdup(o);
	}
	free(txt);
	free(panel);
	fx_free(&fx);
	return out;
}

TEST(graph_legend_worst_first)
{
	char *o;

	o = legend_order_draw(NULL);		/* default: the largest value in the window */
	CHECK_STR(o, "bca");
	free(o);
	o = legend_order_draw("max");
	CHECK_STR(o, "bca");
	free(o);
	o = legend_order_draw("last");
	CHECK_STR(o, "cba");
	free(o);
	o = legend_order_draw("name");
	CHECK_STR(o, "abc");
	free(o);
}

TEST(graph_threshold_tints_the_area_beyond)
{
	struct fixture fx;
	double v[3] = { 100, 200, 400 };
	int tinted = 0, below = 0;

	fx_init(&fx, "{\"type\":\"graph\",\"query\":\"q\",\"unit\":\"ms\",\"legend\":\"x\","
	    "\"thresholds\":[{\"value\":300,\"role\":\"warn\"}]}", 60, 14, T0 + 2 * STEP, 2 * STEP);
	fx_series(&fx, 0, "svc", "a", v, 3, T0, STEP);
	free(fx_draw(&fx));
	for (int y = 0; y < fx.cv->h; y++)
		for (int x = 0; x < fx.cv->w; x++) {
			const struct cell *c = canvas_cell(fx.cv, x, y);
			if (c->role == ROLE_WARN_AREA) {
				tinted++;
				below |= y > fx.cv->h / 2;
			}
		}
	CHECK(tinted > 0);
	CHECK(!below);	/* only above the 300 ms line (y range 0..400) */
	fx_free(&fx);
}

TEST(widgets_survive_tiny_canvases)
{
	static const char *const panels[] = {
		"{\"type\":\"graph\",\"query\":\"q\"}",
		"{\"type\":\"stat\",\"query\":\"q\",\"unit\":\"s\"}",
		"{\"type\":\"gauge\",\"query\":\"q\",\"max\":10}",
		"{\"type\":\"table\",\"query\":\"q\"}",
		"{\"type\":\"alerts\"}",
	};
	double v[3] = { 1, NAN, INFINITY };

	for (size_t i = 0; i < sizeof panels / sizeof *panels; i++)
		for (int w = 1; w <= 6; w++)
			for (int h = 1; h <= 4; h++) {
				struct fixture fx;
				fx_init(&fx, panels[i], w, h, T0 + 2 * STEP, 2 * STEP);
				fx_series(&fx, 0, "svc", "a", v, 3, T0, STEP);
				fx_series(&fx, 0, "svc", "a", v, 1, T0 + 2 * STEP, 0);
				free(fx_draw(&fx));
				fx_free(&fx);
			}
	CHECK(1);	/* reaching here (under ASan) is the test */
}

TEST(stat_value_sparkline_and_delta)
{
	struct fixture fx;
	double v[4] = { 0.12, 0.12, 8.4, 8.4 };
	char *txt;

	fx_init(&fx, "{\"type\":\"stat\",\"query\":\"q\",\"unit\":\"s\","
	    "\"thresholds\":[{\"value\":1,\"role\":\"error\"}]}", 40, 6, T0 + 3 * STEP, 3 * STEP);
	fx.c.ascii = 1;	/* plain text instead of big digits */
	fx.c.gs = GS_ASCII;
	fx_series(&fx, 0, "svc", "order", v, 4, T0, STEP);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "8.40 s");
	CHECK_CONTAINS(txt, "^ +8.28 s (x70) since");
	CHECK_CONTAINS(txt, "@");	/* the sparkline reaches the top */
	free(txt);
	fx_free(&fx);

	fx_init(&fx, "{\"type\":\"stat\",\"query\":\"q\",\"unit\":\"s\"}", 40, 6, T0 + 3 * STEP, 3 * STEP);
	fx.c.ascii = 1;
	v[3] = NAN;	/* the latest answer: no traffic */
	fx_series(&fx, 0, "svc", "order", v, 4, T0, STEP);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "\xe2\x80\x94");
	CHECK(strstr(txt, "0 s") == NULL);
	free(txt);
	fx_free(&fx);
}

TEST(gauge_limit_from_a_max_query)
{
	struct fixture fx;
	double active = 103, limit = 103;
	char *txt;

	fx_init(&fx, "{\"type\":\"gauge\",\"queries\":[{\"query\":\"a\",\"legend\":\"{{pool}}\"},"
	    "{\"query\":\"b\",\"ref\":\"max\"}],\"options\":{\"threshold_mode\":\"percent\"},"
	    "\"thresholds\":[{\"value\":95,\"role\":\"error\"}]}", 60, 3, T0, STEP);
	fx_series(&fx, 0, "pool", "payment", &active, 1, T0, 0);
	fx_series(&fx, 1, "pool", "payment", &limit, 1, T0, 0);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "payment");
	CHECK_CONTAINS(txt, "103 / 103 100.0 %");
	CHECK_CONTAINS(txt, "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");	/* a full bar */
	free(txt);
	fx_free(&fx);
}

TEST(table_sorts_and_limits)
{
	struct fixture fx;
	static const char *const pods[] = { "a", "b", "c", "d" };
	static const double vals[] = { 5, 40, 12, 30 };
	struct ev_series *e = ev_series_new(RT_VECTOR, T0, T0, 0);
	struct event *ev;
	char *txt, *r1, *r2;

	fx_init(&fx, "{\"type\":\"table\",\"query\":\"q\",\"unit\":\"reqps\",\"options\":{\"limit\":2}}",
	    50, 6, T0, STEP);
	for (int i = 0; i < 4; i++) {
		struct ev_series_one *s = ev_series_add(e);
		labels_set(&s->labels, "pod", pods[i]);
		labels_set(&s->labels, "ns", "shop");
		labels_finish(&s->labels);
		ev_series_point(s, T0, vals[i]);
	}
	ev = event_new(EV_SERIES, T0, "k0", e);
	store_apply(fx.st, ev);
	event_free(ev);
	txt = fx_draw(&fx);
	r1 = canvas_row_text(fx.cv, 1);
	r2 = canvas_row_text(fx.cv, 2);
	CHECK_CONTAINS(txt, "pod");
	CHECK(strstr(txt, "ns ") == NULL);	/* the constant label is not a column */
	CHECK_CONTAINS(r1, "b");
	CHECK_CONTAINS(r1, "40.0 req/s");
	CHECK_CONTAINS(r2, "30.0 req/s");
	CHECK(strstr(txt, "12.0") == NULL);	/* top 2 only */
	free(r1);
	free(r2);
	free(txt);
	CHECK_INT(fx.p.cls->key(&fx.p, 'S', &fx.c), WK_HANDLED);	/* ascending */
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "5.00 req/s");
	free(txt);
	fx_free(&fx);
}

static void
add_alert(struct ev_alerts *e, const char *name, const char *sev, const char *state, tns at,
    const char *expr)
{
	struct alert *a = ev_alerts_add(e);
	labels_set(&a->labels, "alertname", name);
	labels_set(&a->labels, "severity", sev);
	labels_finish(&a->labels);
	a->state = xstrdup(state);
	a->active_at = at;
	a->expr = expr ? xstrdup(expr) : NULL;
}

TEST(alerts_order_filter_and_pivot)
{
	struct fixture fx;
	struct ev_alerts *e = ev_alerts_new();
	struct event *ev;
	char *txt, *r1, *r2, *r3;

	fx_init(&fx, "{\"type\":\"alerts\",\"options\":{\"filter\":\"{severity!=\\\"none\\\"}\"}}",
	    70, 8, T0 + 15 * STEP, STEP);
	add_alert(e, "Watchdog", "none", "firing", T0 - 3600 * NS_PER_S, "vector(1)");
	add_alert(e, "SlowOrder", "warning", "firing", T0 + 3 * STEP, "p99 > 1000");
	add_alert(e, "PoolFull", "critical", "firing", T0 + 1 * STEP,
	    "sum(rate(x{a=\"b>c\"}[1m])) / sum(rate(y[1m])) > 14.4 * 0.001");
	add_alert(e, "Later", "critical", "pending", T0 + 14 * STEP, NULL);
	ev = event_new(EV_ALERTS, T0 + 15 * STEP, "k0", e);
	store_apply(fx.st, ev);
	event_free(ev);
	txt = fx_draw(&fx);
	r1 = canvas_row_text(fx.cv, 1);
	r2 = canvas_row_text(fx.cv, 2);
	r3 = canvas_row_text(fx.cv, 3);
	CHECK_CONTAINS(txt, "2 firing, 1 pending");
	CHECK(strstr(txt, "Watchdog") == NULL);
	CHECK_CONTAINS(r1, "PoolFull");		/* firing critical first */
	CHECK_CONTAINS(r1, "14m");
	CHECK_CONTAINS(r2, "SlowOrder");
	CHECK_CONTAINS(r3, "Later");		/* pending last */
	free(r1);
	free(r2);
	free(r3);
	free(txt);
	CHECK_INT(fx.p.cls->key(&fx.p, 'J', &fx.c), WK_HANDLED);
	CHECK_INT(fx.p.cls->key(&fx.p, 'o', &fx.c), WK_HANDLED);
	CHECK_INT(fx.npushed, 1);
	CHECK_STR(fx.pushed_expr, "sum(rate(x{a=\"b>c\"}[1m])) / sum(rate(y[1m])) ");
	CHECK_INT((long long)fx.pushed.nth, 1);
	CHECK_NEAR(fx.pushed_th0, 0.0144, 1e-12);
	fx_free(&fx);
}

/* The role of the first cell of text on row y, or -1. */
static int
role_of(struct fixture *fx, int y, const char *text)
{
	char *row = canvas_row_text(fx->cv, y), *at = strstr(row, text);
	int x = -1, r = -1;

	if (at) {	/* columns: the row text is one byte per ASCII cell */
		x = (int)(at - row);
		r = canvas_cell(fx->cv, x, y)->role;
	}
	free(row);
	return r;
}

/* What Grafana's stat options mean in scry (as --convert writes them). */
TEST(stat_reductions_and_mappings)
{
	static const struct { const char *reduce, *want; } tab[] = {
		{ "last", "4.00 s" }, { "first", "1.00 s" }, { "max", "10.0 s" }, { "min", "1.00 s" },
		{ "mean", "4.25 s" }, { "median", "3.00 s" }, { "sum", "17.0 s" }, { "range", "9.00 s" },
		{ "diff", "3.00 s" }, { "delta", "9.00 s" },
	};
	double v[4] = { 1, 2, 10, 4 };
	struct fixture fx;
	char *txt, *js;

	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++) {
		js = xasprintf("{\"type\":\"stat\",\"query\":\"q\",\"unit\":\"s\",\"options\":{\"reduce\":\"%s\","
		    "\"delta\":false,\"sparkline\":false}}", tab[i].reduce);
		fx_init(&fx, js, 40, 3, T0 + 3 * STEP, 3 * STEP);
		free(js);
		fx.c.ascii = 1;
		fx_series(&fx, 0, "svc", "order", v, 4, T0, STEP);
		txt = fx_draw(&fx);
		if (!strstr(txt, tab[i].want))
			t_fail(__FILE__, __LINE__, "reduce %s: want %s in %s", tab[i].reduce, tab[i].want, txt);
		free(txt);
		fx_free(&fx);
	}
	/* mappings: a range to a word with its colour, no data to N/A */
	fx_init(&fx, "{\"type\":\"stat\",\"query\":\"q\",\"unit\":\"s\",\"options\":{\"reduce\":\"max\","
	    "\"delta\":false,\"sparkline\":false,\"mappings\":[{\"match\":\"null\",\"text\":\"N/A\"},"
	    "{\"from\":8,\"to\":12,\"text\":\"SLOW\",\"role\":\"critical\"}]}}", 40, 3, T0 + 3 * STEP, 3 * STEP);
	fx.c.ascii = 1;
	fx_series(&fx, 0, "svc", "order", v, 4, T0, STEP);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "SLOW");
	CHECK(strstr(txt, "10.0") == NULL);
	CHECK_INT(role_of(&fx, 1, "SLOW"), ROLE_CRITICAL);
	free(txt);
	fx_free(&fx);
	fx_init(&fx, "{\"type\":\"stat\",\"query\":\"q\",\"options\":{\"sparkline\":false,\"delta\":false,"
	    "\"mappings\":[{\"match\":\"null\",\"text\":\"N/A\"}],\"color\":\"none\"},"
	    "\"thresholds\":[{\"value\":0,\"role\":\"error\"}]}", 40, 3, T0 + 3 * STEP, 3 * STEP);
	fx.c.ascii = 1;
	v[3] = NAN;
	fx_series(&fx, 0, "svc", "order", v, 4, T0, STEP);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "N/A");
	free(txt);
	fx_free(&fx);
}

TEST(stat_orientation_limit_and_colour)
{
	struct fixture fx;
	struct ev_series *e;
	struct event *ev;
	char *r0;
	static const char *const names[] = { "a", "b", "c" };

	fx_init(&fx, "{\"type\":\"stat\",\"query\":\"q\",\"queries\":[{\"query\":\"q\",\"legend\":\"{{pod}}\"}],"
	    "\"options\":{\"orientation\":\"vertical\",\"limit\":2,\"sparkline\":false,\"delta\":false,"
	    "\"color\":\"none\"},\"thresholds\":[{\"value\":0,\"role\":\"error\"}]}", 60, 6, T0 + STEP, STEP);
	fx.c.ascii = 1;
	e = ev_series_new(RT_MATRIX, T0, T0 + STEP, STEP);
	for (int i = 0; i < 3; i++) {
		struct ev_series_one *s = ev_series_add(e);
		labels_set(&s->labels, "pod", names[i]);
		labels_finish(&s->labels);
		ev_series_point(s, T0, i + 1);
		ev_series_point(s, T0 + STEP, i + 1);
	}
	ev = event_new(EV_SERIES, T0, "k0", e);
	store_apply(fx.st, ev);
	event_free(ev);
	free(fx_draw(&fx));
	/* stacked: one tile per row band; two tiles at most */
	r0 = canvas_row_text(fx.cv, 0);
	CHECK_CONTAINS(r0, "a");
	CHECK(strstr(r0, "b") == NULL);
	free(r0);
	CHECK(role_of(&fx, 1, "1") >= 0 && role_of(&fx, 1, "1") != ROLE_ERROR);	/* color none */
	r0 = canvas_row_text(fx.cv, 3);
	CHECK_CONTAINS(r0, "b");
	free(r0);
	for (int y = 0; y < 6; y++) {
		char *r = canvas_row_text(fx.cv, y);
		CHECK(strstr(r, "3") == NULL);
		free(r);
	}
	fx_free(&fx);
}

/* Grafana table columns: titles, units, hidden, order, per-column
 * thresholds, sort by a query's value column, value mappings. */
TEST(table_fields_order_and_value_sort)
{
	struct fixture fx;
	static const char *const pods[] = { "a", "b", "c" };
	static const double rps[] = { 5, 40, 12 }, err[] = { 0.01, 0.002, 0.2 };
	char *hdr, *r1, *r3;

	fx_init(&fx, "{\"type\":\"table\",\"queries\":[{\"query\":\"r\",\"ref\":\"A\"},{\"query\":\"e\",\"ref\":\"B\"}],"
	    "\"options\":{\"sort\":\"value:B\",\"desc\":true,\"order\":[\"pod\"],\"fields\":{"
	    "\"pod\":{\"title\":\"Pod\"},\"ns\":{\"hidden\":true},"
	    "\"Value #A\":{\"title\":\"Requests\",\"unit\":\"reqps\",\"decimals\":1},"
	    "\"Value #B\":{\"title\":\"Errors\",\"unit\":\"percentunit\",\"thresholds\":"
	    "[{\"value\":null,\"role\":\"ok\"},{\"value\":0.05,\"role\":\"error\"}]}},"
	    "\"mappings\":[{\"value\":\"40\",\"text\":\"forty\"}]}}", 70, 6, T0, STEP);
	for (int q = 0; q < 2; q++) {
		struct ev_series *e = ev_series_new(RT_VECTOR, T0, T0, 0);
		struct event *ev;
		for (int i = 0; i < 3; i++) {
			struct ev_series_one *s = ev_series_add(e);
			labels_set(&s->labels, "pod", pods[i]);
			labels_set(&s->labels, "ns", i ? "shop" : "web");
			labels_set(&s->labels, "zone", i == 2 ? "z2" : "z1");
			labels_finish(&s->labels);
			ev_series_point(s, T0, q ? err[i] : rps[i]);
		}
		ev = event_new(EV_SERIES, T0, fx.p.key[q], e);
		store_apply(fx.st, ev);
		event_free(ev);
	}
	fx.c.focused = 0;	/* no selected row */
	free(fx_draw(&fx));
	hdr = canvas_row_text(fx.cv, 0);
	r1 = canvas_row_text(fx.cv, 1);
	r3 = canvas_row_text(fx.cv, 3);
	CHECK(strncmp(hdr, "Pod", 3) == 0);	/* ordered first, titled */
	CHECK_CONTAINS(hdr, "zone");
	CHECK(strstr(hdr, "ns") == NULL);	/* hidden */
	CHECK_CONTAINS(hdr, "Requests");
	CHECK_CONTAINS(hdr, "Errors");
	CHECK_CONTAINS(r1, "c");		/* by errors, most first */
	CHECK_CONTAINS(r1, "20.0 %");
	CHECK_CONTAINS(r1, "12.0 req/s");
	CHECK_INT(role_of(&fx, 1, "20.0 %"), ROLE_ERROR);
	CHECK_CONTAINS(r3, "b");
	CHECK_CONTAINS(r3, "forty");		/* mapped */
	CHECK_INT(role_of(&fx, 3, "0.20 %"), ROLE_OK);
	free(hdr);
	free(r1);
	free(r3);
	fx_free(&fx);
}

TEST(alerts_sort_and_limit)
{
	struct fixture fx;
	struct ev_alerts *e = ev_alerts_new();
	struct event *ev;
	char *txt, *r1, *r2;

	fx_init(&fx, "{\"type\":\"alerts\",\"options\":{\"sort\":\"name\",\"limit\":2,"
	    "\"filter\":\"{alertname=~\\\".*o.*\\\", severity=\\\"critical\\\"}\"}}", 70, 8, T0 + 15 * STEP, STEP);
	add_alert(e, "Zoo", "critical", "firing", T0, NULL);
	add_alert(e, "Boom", "critical", "pending", T0 + STEP, NULL);
	add_alert(e, "Door", "critical", "firing", T0 + 2 * STEP, NULL);
	add_alert(e, "Bolt", "warning", "firing", T0, NULL);
	add_alert(e, "Axe", "critical", "firing", T0, NULL);
	ev = event_new(EV_ALERTS, T0 + 15 * STEP, "k0", e);
	store_apply(fx.st, ev);
	event_free(ev);
	txt = fx_draw(&fx);
	r1 = canvas_row_text(fx.cv, 1);
	r2 = canvas_row_text(fx.cv, 2);
	CHECK_CONTAINS(r1, "Boom");	/* by name, pending or not */
	CHECK_CONTAINS(r2, "Door");
	CHECK(strstr(txt, "Zoo") == NULL);	/* the limit */
	CHECK(strstr(txt, "Bolt") == NULL && strstr(txt, "Axe") == NULL);	/* the filter */
	free(r1);
	free(r2);
	free(txt);
	fx_free(&fx);
}

TEST(gauge_mappings_and_limit)
{
	struct fixture fx;
	struct ev_series *e = ev_series_new(RT_VECTOR, T0, T0, 0);
	struct event *ev;
	char *txt;

	fx_init(&fx, "{\"type\":\"bar\",\"queries\":[{\"query\":\"a\",\"legend\":\"{{disk}}\"}],\"max\":100,"
	    "\"options\":{\"limit\":2,\"mappings\":[{\"from\":90,\"to\":100,\"text\":\"FULL\",\"role\":\"error\"}]}}",
	    60, 4, T0, STEP);
	for (int i = 0; i < 3; i++) {
		struct ev_series_one *s = ev_series_add(e);
		static const char *const d[] = { "sda", "sdb", "sdc" };
		labels_set(&s->labels, "disk", d[i]);
		labels_finish(&s->labels);
		ev_series_point(s, T0, i == 1 ? 95 : 10 + i);
	}
	ev = event_new(EV_SERIES, T0, "k0", e);
	store_apply(fx.st, ev);
	event_free(ev);
	txt = fx_draw(&fx);
	CHECK_CONTAINS(txt, "sdb");
	CHECK_CONTAINS(txt, "FULL");
	CHECK_CONTAINS(txt, "sdc");
	CHECK(strstr(txt, "sda") == NULL);	/* the two fullest only */
	free(txt);
	fx_free(&fx);
}

TEST(sched_backoff_jitter_retry_after_and_no_duplicates)
{
	struct sched s;
	struct sunit *u, *due[4];
	int64_t now = 1000;

	sched_init(&s, 42);
	for (int f = 1; f <= 12; f++) {
		int64_t d = sched_backoff_ms(&s, 1000, f), base = (int64_t)(1000 * pow(1.6, f - 1));
		if (base > 120000)
			base = 120000;
		CHECK(d >= base * 0.8 - 1 && d <= base * 1.2 + 1);
	}
	u = sched_unit(&s, "k", NS_PER_S, 1000, now);
	CHECK_INT((long long)sched_due(&s, now, due, 4), 1);
	sched_started(u, now);
	CHECK_INT((long long)sched_due(&s, now + 60000, due, 4), 0);	/* in flight: never twice */
	sched_force(&s, NULL, now);
	CHECK_INT((long long)sched_due(&s, now + 1, due, 4), 0);
	sched_done(&s, u, 0, now + 10, 3000);	/* failed with Retry-After: 3 s */
	CHECK(u->next_ms >= now + 10 + 3000);
	sched_started(u, u->next_ms);
	sched_done(&s, u, 1, u->next_ms + 5, 0);
	CHECK_INT(u->failures, 0);
	sched_free(&s);
}
