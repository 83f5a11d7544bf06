/* heatmap: time to draw a latency heatmap frame (grid build from the store
 * + cells + quantile lines + axes) at 200x60, 30 buckets x 1000 steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/store.h"
#include "core/xalloc.h"
#include "widgets/widget.h"

extern const struct widget_class heatmap_widget;

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int
main(void)
{
	static const char dash[] = "{\"panels\": [{\"type\": \"heatmap\", \"query\": "
	    "\"sum by (le) (rate(x_seconds_bucket[1m]))\"}]}";
	struct diag dg;
	struct dashboard *db;
	struct panel p;
	struct store *st = store_new(NULL);
	struct ev_series *e;
	struct event *ev;
	struct view v;
	struct wctx c;
	struct canvas *cv = canvas_new(198, 58);
	tns t0 = 1795659420LL * NS_PER_S, step = 15 * NS_PER_S;
	double best = 1e18, a;
	const int nb = 30, np = 1000;

	diag_init(&dg);
	db = dashboard_parse(dash, sizeof dash - 1, "b.json", &dg);
	memset(&p, 0, sizeof p);
	p.cfg = &db->panels[0];
	heatmap_widget.init(&p, &db->doc, &dg);
	view_init(&v, np * step);
	view_set_end(&v, t0 + np * step);
	memset(&c, 0, sizeof c);
	c.store = st;
	c.view = &v;
	c.start = t0;
	c.end = t0 + np * step;
	c.cm = CM_256;
	p.nneed = heatmap_widget.needs(&p, &c, 198, 58, p.need, NEED_MAX);
	p.key[0] = qkey_make("prometheus", "range", p.cfg->q[0].expr);
	e = ev_series_new(RT_MATRIX, t0, t0 + np * step, step);
	for (int b = 0; b < nb; b++) {
		struct ev_series_one *s = ev_series_add(e);
		char le[32];
		if (b == nb - 1)
			snprintf(le, sizeof le, "+Inf");
		else
			snprintf(le, sizeof le, "%g", 0.001 * (1 << (b / 2)) * (b % 2 ? 2.5 : 1));
		labels_set(&s->labels, "le", le);
		labels_finish(&s->labels);
		for (int k = 0; k < np; k++)
			ev_series_point(s, t0 + k * step, (double)(b + 1) * 10 + k % 7);
	}
	ev = event_new(EV_SERIES, t0, p.key[0], e);
	store_apply(st, ev);
	event_free(ev);
	for (int i = 0; i < 200; i++) {
		canvas_clear(cv, ROLE_DEFAULT);
		a = now_us();
		heatmap_widget.draw(&p, cv, &c);
		a = now_us() - a;
		if (a < best)
			best = a;
	}
	printf("%.0f\n", best);
	heatmap_widget.free(&p);
	free(p.key[0]);
	store_free(st);
	canvas_free(cv);
	dashboard_free(db);
	diag_free(&dg);
	return 0;
}
