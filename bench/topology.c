/* topology bench: the service topology at scale.
 *   layout   core/toplayout.c on N services / M edges (default 200 / 1,000),
 *            deterministic meshes with back calls (so cycles too): a
 *            tiered mesh as deployed and a chain-like worst case, boxes
 *            and compact rows; target < 50 ms per layout
 *   model    the Istio answer (3 response codes per edge) read from the
 *            store into the model, pods joined, health and ranking
 *   frames   the topology panel at 200x60 (zoomed): the first frame
 *            (model + layout), frames with everything cached (panning),
 *            a frame after a new answer arrived, the folded view
 * Prints one Markdown table row per figure (median of the runs).
 * Usage: topology [SERVICES] [EDGES] */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/store.h"
#include "core/toplayout.h"
#include "core/topology.h"
#include "core/view.h"
#include "core/xalloc.h"
#include "widgets/widget.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, dcmp);
	return v[n / 2];
}

static void
row(const char *what, double v, const char *target)
{
	printf("| %s | %.2f ms | %s |\n", what, v, target);
}

struct mesh {
	int	*u, *v;
	size_t	 n, m;
};

static uint64_t
rnd(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return *x >> 33;
}

/* chain: every service calls the next dozen in a ring, one call in eight
 * goes anywhere: paths over a hundred services long (the worst case for
 * layering: a dummy item per layer crossed).
 * tiers: a mesh as deployed: 5 % gateways, 15 % front ends, 35 % middle
 * tier, 30 % back ends, 15 % data stores; 65 % of the calls go one tier
 * down, 20 % two, 8 % stay in the tier, 4 % go back up (cycles), 3 %
 * anywhere. */
static void
make_mesh(struct mesh *me, size_t n, size_t m, int tiers)
{
	static const double cut[] = { 0.05, 0.20, 0.55, 0.85, 1.0 };
	uint64_t x = 42;
	int *tier = xcalloc(n, sizeof *tier), first[6] = { 0 };

	me->n = n;
	me->m = m;
	me->u = xcalloc(m, sizeof *me->u);
	me->v = xcalloc(m, sizeof *me->v);
	for (size_t i = 0; i < n; i++) {
		while ((double)i >= cut[tier[i]] * (double)n && tier[i] < 4)
			tier[i]++;
	}
	for (int t = 0; t < 5; t++)
		first[t + 1] = (int)(cut[t] * (double)n);
	for (size_t e = 0; e < m; e++) {
		if (!tiers) {
			me->u[e] = (int)(rnd(&x) % n);
			me->v[e] = (int)(rnd(&x) % 8 == 0 ? rnd(&x) % n : (me->u[e] + 1 + rnd(&x) % 12) % n);
			continue;
		}
		{
			int u = (int)(rnd(&x) % (size_t)first[4]), t = tier[u], r = (int)(rnd(&x) % 100), to;
			to = r < 65 ? t + 1 : r < 85 ? t + 2 : r < 93 ? t : r < 97 ? t - 1 : (int)(rnd(&x) % 5);
			to = to < 0 ? 0 : to > 4 ? 4 : to;
			me->u[e] = u;
			me->v[e] = first[to] + (int)(rnd(&x) % (size_t)(first[to + 1] - first[to]));
		}
	}
	free(tier);
}

static void
bench_layout(const struct mesh *me, int border, const char *what)
{
	struct tl_node *nd = xcalloc(me->n, sizeof *nd);
	struct tl_edge *ed = xcalloc(me->m, sizeof *ed);
	struct tl_opts o = { .border = border, .vgap = 1 };
	double t[9];
	long cross = 0;
	char w[160];

	for (size_t i = 0; i < me->n; i++)
		nd[i] = (struct tl_node){ 12 + (int)(i % 9), border ? 4 : 2 };
	for (size_t e = 0; e < me->m; e++)
		ed[e] = (struct tl_edge){ me->u[e], me->v[e], 16 };
	for (int r = 0; r < 9; r++) {
		struct tl_result res;
		double t0 = now_ms();
		toplayout_compute(nd, me->n, ed, me->m, &o, &res);
		t[r] = now_ms() - t0;
		cross = res.crossings;
		if (r == 8)
			printf("| (%s: %d layers, %zu dummies, %dx%d cells, %ld crossings) | | |\n", what,
			    res.nlayers, res.nit - me->n, res.width, res.height, cross);
		toplayout_free(&res);
	}
	snprintf(w, sizeof w, "layout, %zu services / %zu edges, %s", me->n, me->m, what);
	row(w, median(t, 9), "< 50 ms");
	free(nd);
	free(ed);
}

/* The Istio answer: 200s, 503s and 504s per edge, and a P99 per edge. */
static void
answer(struct store *st, const char *key, const struct mesh *me, int lat, tns t, double scale)
{
	struct ev_series *e = ev_series_new(RT_VECTOR, t, t, 0);
	struct event *ev;

	for (size_t i = 0; i < me->m; i++) {
		static const char *const codes[] = { "200", "503", "504" };
		char src[32], dst[32], ns1[16], ns2[16];
		snprintf(src, sizeof src, "svc-%03d", me->u[i]);
		snprintf(dst, sizeof dst, "svc-%03d", me->v[i]);
		snprintf(ns1, sizeof ns1, "ns-%d", me->u[i] % 10);
		snprintf(ns2, sizeof ns2, "ns-%d", me->v[i] % 10);
		for (int k = 0; k < (lat ? 1 : 3); k++) {
			struct ev_series_one *s = ev_series_add(e);
			labels_set(&s->labels, "source_workload", src);
			labels_set(&s->labels, "source_workload_namespace", ns1);
			labels_set(&s->labels, "destination_service_name", dst);
			labels_set(&s->labels, "destination_service_namespace", ns2);
			if (!lat)
				labels_set(&s->labels, "response_code", codes[k]);
			labels_finish(&s->labels);
			ev_series_point(s, t, lat ? 20.0 + (double)(i % 400) * 3 :
			    (k ? 0.1 * scale * (double)(i % 5) : 10.0 * scale));
		}
	}
	ev = event_new(EV_SERIES, t, key, e);
	store_apply(st, ev);
	event_free(ev);
}

static void
msg(void *app, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void
msg(void *app, int error, const char *fmt, ...)
{
	(void)app; (void)error; (void)fmt;
}

static const struct wapi api = { .message = msg };

static void
bench_frames(const struct mesh *me)
{
	static const char dash[] = "{\"title\": \"b\", \"sources\": {\"prometheus\": {\"type\": "
	    "\"prometheus\"}}, \"panels\": [{\"type\": \"topology\", \"grid\": {\"x\": 0, \"y\": 0, "
	    "\"w\": 24, \"h\": 20}}]}";
	tns t = (tns)1795660200 * NS_PER_S;
	struct diag dg;
	struct dashboard *db;
	struct store *st = store_new(&(struct store_limits){ 0 });
	struct panel p;
	struct view view;
	struct wctx c;
	struct canvas *cv = canvas_new(198, 57);	/* 200x60 minus border and status bar */
	char *keys[NEED_MAX];
	double f[25], t0;

	diag_init(&dg);
	db = dashboard_parse(dash, sizeof dash - 1, "bench", &dg);
	diag_free(&dg);
	memset(&p, 0, sizeof p);
	memset(&c, 0, sizeof c);
	p.cfg = &db->panels[0];
	p.cls = widget_class_find("topology");
	p.cls->init(&p, &db->doc, NULL);
	view_init(&view, 3600 * NS_PER_S);
	view_set_end(&view, t);
	c.store = st;
	c.view = &view;
	c.now = c.end = t;
	c.start = t - view.range;
	c.focused = c.inside = 1;
	c.db = db;
	c.api = &api;
	p.nneed = p.cls->needs(&p, &c, 198, 57, p.need, NEED_MAX);
	for (size_t k = 0; k < p.nneed; k++) {
		keys[k] = qkey_make("prometheus", p.need[k].kind, p.need[k].expr);
		p.key[k] = keys[k];
		answer(st, keys[k], me, strstr(p.need[k].expr, "histogram_quantile") != NULL, t, 1);
	}
	t0 = now_ms();
	p.cls->draw(&p, cv, &c);
	row("first frame at 200x60 (model of 3,000 series + layout)", now_ms() - t0, "");
	for (int r = 0; r < 25; r++) {
		p.cls->key(&p, r % 2 ? 'H' : 'L', &c);
		t0 = now_ms();
		canvas_clear(cv, ROLE_DEFAULT);
		p.cls->draw(&p, cv, &c);
		f[r] = now_ms() - t0;
	}
	row("frame at 200x60, cached (panning)", median(f, 25), "< 16 ms");
	for (int r = 0; r < 9; r++) {
		for (size_t k = 0; k < p.nneed; k++)
			answer(st, keys[k], me, strstr(p.need[k].expr, "histogram_quantile") != NULL,
			    t, 1 + r);
		t0 = now_ms();
		p.cls->draw(&p, cv, &c);
		f[r] = now_ms() - t0;
	}
	row("frame at 200x60 after a new answer (model + layout again)", median(f, 9), "");
	p.cls->key(&p, 'c', &c);
	t0 = now_ms();
	p.cls->draw(&p, cv, &c);
	row("frame at 200x60, namespaces folded (c)", now_ms() - t0, "");
	p.cls->free(&p);
	for (size_t k = 0; k < p.nneed; k++)
		free(keys[k]);
	canvas_free(cv);
	store_free(st);
	dashboard_free(db);
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)atoi(argv[1]) : 200, m = argc > 2 ? (size_t)atoi(argv[2]) : 1000;
	struct mesh me;

	if (n < 20 || m < 1)
		return 2;
	make_mesh(&me, n, m, 1);
	bench_layout(&me, 1, "tiered mesh, boxes");
	bench_layout(&me, 0, "tiered mesh, compact rows");
	bench_frames(&me);
	free(me.u);
	free(me.v);
	make_mesh(&me, n, m, 0);
	bench_layout(&me, 1, "chain-like worst case, boxes");
	bench_layout(&me, 0, "chain-like worst case, compact rows");
	free(me.u);
	free(me.v);
	return 0;
}
