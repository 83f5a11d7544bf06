/* exemplars: time to draw a P99 graph frame at 198x58 (1000 points) with
 * 0, 1,000 and 20,000 exemplars in the window (the store's cap per key),
 * the time cursor on one of them: markers, selection and label. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/store.h"
#include "core/xalloc.h"
#include "widgets/widget.h"

extern const struct widget_class graph_widget;

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double
frame(int nex)
{
	static const char dash[] = "{\"sources\": {\"p\": {\"type\": \"prometheus\", \"url\": \"http://x\"}},"
	    "\"panels\": [{\"type\": \"graph\", \"unit\": \"ms\", \"query\": "
	    "\"histogram_quantile(0.99, sum by (le) (rate(x_milliseconds_bucket[1m])))\"}]}";
	const tns t0 = 1795659420LL * NS_PER_S, step = 15 * NS_PER_S;
	const int np = 1000;
	struct diag dg;
	struct dashboard *db;
	struct panel p;
	struct store *st = store_new(NULL);
	struct ev_series *e;
	struct ev_series_one *s;
	struct ev_exemplars *x;
	struct event *ev;
	struct view v;
	struct wctx c;
	struct canvas *cv = canvas_new(198, 58);
	double best = 1e18, a;

	diag_init(&dg);
	db = dashboard_parse(dash, sizeof dash - 1, "b.json", &dg);
	memset(&p, 0, sizeof p);
	p.cfg = &db->panels[0];
	graph_widget.init(&p, &db->doc, &dg);
	view_init(&v, np * step);
	view_set_end(&v, t0 + np * step);
	v.cursor = t0 + np * step / 2;
	memset(&c, 0, sizeof c);
	c.store = st;
	c.view = &v;
	c.db = db;
	c.start = t0;
	c.end = t0 + np * step;
	c.inside = c.focused = 1;
	p.nneed = graph_widget.needs(&p, &c, 198, 58, p.need, NEED_MAX);
	for (size_t k = 0; k < p.nneed; k++)
		p.key[k] = qkey_make("p", p.need[k].kind, p.cfg->q[0].expr);
	e = ev_series_new(RT_MATRIX, t0, t0 + np * step, step);
	s = ev_series_add(e);
	labels_finish(&s->labels);
	for (int k = 0; k < np; k++)
		ev_series_point(s, t0 + k * step, 100 + (k % 50) * 10);
	ev = event_new(EV_SERIES, t0, p.key[0], e);
	store_apply(st, ev);
	event_free(ev);
	x = ev_exemplars_new(t0, t0 + np * step);
	for (int i = 0; i < nex; i++) {
		struct exemplar *o = ev_exemplars_add(x);
		char id[33];
		snprintf(id, sizeof id, "%032x", i);
		labels_set(&o->series, "__name__", "x_milliseconds_bucket");
		labels_finish(&o->series);
		labels_set(&o->labels, "trace_id", id);
		labels_finish(&o->labels);
		o->value = 100 + i % 500;
		o->t = t0 + (tns)i * (np * step / (nex ? nex : 1));
	}
	ev = event_new(EV_EXEMPLARS, t0, p.key[p.nneed - 1], x);
	store_apply(st, ev);
	event_free(ev);
	for (int i = 0; i < 100; i++) {
		canvas_clear(cv, ROLE_DEFAULT);
		a = now_us();
		graph_widget.draw(&p, cv, &c);
		a = now_us() - a;
		if (a < best)
			best = a;
	}
	graph_widget.free(&p);
	for (size_t k = 0; k < p.nneed; k++)
		free(p.key[k]);
	dashboard_free(db);
	diag_free(&dg);
	store_free(st);
	canvas_free(cv);
	return best;
}

int
main(void)
{
	printf("%.0f %.0f %.0f\n", frame(0), frame(1000), frame(20000));
	return 0;
}
