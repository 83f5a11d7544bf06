/* Unit tests: the topology panel drawn from a store that holds the seed
 * incident's instant answers (as Prometheus returns them for the panel's
 * own queries) and the story's pods: nodes annotated with pod health, the
 * worst edge in the summary, the table at 80 columns, selection and the
 * focus call, freeze and compare, the snapshot following the cursor,
 * export, and tiny sizes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/paths.h"
#include "core/store.h"
#include "core/topology.h"
#include "core/view.h"
#include "core/xalloc.h"
#include "sources/jsplit.h"
#include "sources/kubeparse.h"
#include "widgets/topology.h"
#include "widgets/widget.h"
#include "tests/unit/t.h"

#define T_INC	(1795660200LL * NS_PER_S)	/* 2026-11-26T02:30:00Z */
#define T_OK	(1795659000LL * NS_PER_S)	/* 02:10:00Z */

static char focus_svc[64], focus_ns[64], msg[256];
static int focus_calls;

static void
api_msg(void *app, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void
api_msg(void *app, int error, const char *fmt, ...)
{
	va_list ap;
	(void)app; (void)error;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
}

static void
api_focus(void *app, const char *svc, const char *ns)
{
	(void)app;
	focus_calls++;
	snprintf(focus_svc, sizeof focus_svc, "%s", svc ? svc : "");
	snprintf(focus_ns, sizeof focus_ns, "%s", ns ? ns : "");
}

static char opened[64];

static int
api_open(void *app, const char *svc)
{
	(void)app;
	snprintf(opened, sizeof opened, "%s", svc);
	return 0;
}

static const struct wapi api = { .message = api_msg, .set_focus = api_focus };
static const struct wapi api_pages = { .message = api_msg, .set_focus = api_focus,
	.open_service = api_open };

/* Edge rates per code and P99 (ms) at one phase (README.md tables). */
struct edgedef {
	const char *src, *sns, *dst;
	double ok, e503, e504, p99;
};

static const struct edgedef incident_edges[] = {
	{ "istio-ingressgateway", "istio-system", "frontend", 54, 66, 0, 8600 },
	{ "frontend", "shop", "cart", 40, 0, 0, 40 },
	{ "frontend", "shop", "order", 12, 6, 12, 8400 },
	{ "order", "shop", "payment", 2, 23, 0, 4375 },
	{ "order", "shop", "inventory", 30, 0, 0, 25 },
};

static const struct edgedef healthy_edges[] = {
	{ "istio-ingressgateway", "istio-system", "frontend", 120, 0, 0, 180 },
	{ "frontend", "shop", "cart", 40, 0, 0, 40 },
	{ "frontend", "shop", "order", 30, 0, 0, 120 },
	{ "order", "shop", "payment", 25, 0, 0, 80 },
	{ "order", "shop", "inventory", 30, 0, 0, 25 },
};

static void
edge_labels(struct labelset *ls, const struct edgedef *e, const char *code)
{
	char fq[128];

	snprintf(fq, sizeof fq, "%s.shop.svc.cluster.local", e->dst);
	labels_set(ls, "source_workload", e->src);
	labels_set(ls, "source_workload_namespace", e->sns);
	labels_set(ls, "destination_service", fq);
	labels_set(ls, "destination_service_name", e->dst);
	labels_set(ls, "destination_service_namespace", "shop");
	if (code) {
		labels_set(ls, "response_code", code);
		labels_set(ls, "response_flags", strcmp(e->dst, "payment") == 0 &&
		    strcmp(code, "503") == 0 ? "UO" : "-");
	}
	labels_finish(ls);
}

/* What Prometheus answers for query q at t ("> 0" drops zero rates). */
static void
answer(struct store *st, const char *key, enum topo_query q, tns t, const struct edgedef *ed,
    size_t n)
{
	struct ev_series *e = ev_series_new(RT_VECTOR, t, t, 0);
	struct event *ev;

	for (size_t i = 0; i < n; i++) {
		static const char *const codes[] = { "200", "503", "504" };
		double v[3] = { ed[i].ok, ed[i].e503, ed[i].e504 };
		if (q == TQ_LAT) {
			struct ev_series_one *s = ev_series_add(e);
			edge_labels(&s->labels, &ed[i], NULL);
			ev_series_point(s, t, ed[i].p99);
			continue;
		}
		for (int k = 0; k < 3; k++) {
			struct ev_series_one *s;
			if (!(v[k] > 0))
				continue;
			s = ev_series_add(e);
			edge_labels(&s->labels, &ed[i], codes[k]);
			ev_series_point(s, t, v[k]);
		}
	}
	ev = event_new(EV_SERIES, t, key, e);
	store_apply(st, ev);
	event_free(ev);
}

static void
item(void *ctx, const char *json, size_t n)
{
	struct ev_kube *e = ctx;
	cJSON *o = cJSON_ParseWithLength(json, n);
	void *obj = kube_parse_obj(e->kind, o);
	cJSON_Delete(o);
	if (obj)
		kube_ev_add(e, obj);
}

static void
load_pods(struct store *st, const char *key, tns t)
{
	FILE *f = fopen(t_fixture("incident/kube/pods.json"), "rb");
	struct ev_kube *e = kube_ev_new(KK_POD, KOP_SNAPSHOT, "prod-eu1");
	struct jsplit js;
	struct event *ev;
	char buf[65536];
	size_t n;

	CHECK(f != NULL);
	jsplit_init(&js, JS_ITEMS, 0, item, e);
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		jsplit_feed(&js, buf, n);
	if (f)
		fclose(f);
	jsplit_free(&js);
	ev = event_new(EV_KUBE, t, key, e);
	store_apply(st, ev);
	event_free(ev);
}

struct fix {
	struct dashboard	*db;
	struct store		*st;
	struct panel		 p;
	struct view		 view;
	struct wctx		 c;
	struct canvas		*cv;
	char			*keys[NEED_MAX];
};

static const char *const DASH = "{\"title\": \"t\", \"sources\": {\"prometheus\": {\"type\": "
    "\"prometheus\"}, \"cluster\": {\"type\": \"kubectl\"}}, \"panels\": [{\"type\": \"topology\", "
    "\"grid\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 20}}]}";

/* The panel with its needs resolved to keys, answered at `at`. */
static void
setup(struct fix *f, const char *dash, int w, int h, tns at, const struct edgedef *ed, size_t n)
{
	struct diag dg;

	memset(f, 0, sizeof *f);
	diag_init(&dg);
	f->db = dashboard_parse(dash, strlen(dash), "t", &dg);
	CHECK(f->db != NULL);
	diag_free(&dg);
	f->st = store_new(&(struct store_limits){ 0 });
	f->p.cfg = &f->db->panels[0];
	f->p.cls = widget_class_find("topology");
	CHECK(f->p.cls != NULL);
	CHECK_INT(f->p.cls->init(&f->p, &f->db->doc, NULL), 0);
	view_init(&f->view, 3600 * NS_PER_S);
	view_set_end(&f->view, at);
	f->c.store = f->st;
	f->c.view = &f->view;
	f->c.now = f->c.end = at;
	f->c.start = at - f->view.range;
	f->c.focused = 1;
	f->c.db = f->db;
	f->c.api = &api;
	f->p.nneed = f->p.cls->needs(&f->p, &f->c, w, h, f->p.need, NEED_MAX);
	for (size_t k = 0; k < f->p.nneed; k++) {
		const struct need *nd = &f->p.need[k];
		f->keys[k] = qkey_make(nd->source ? nd->source : "prometheus", nd->kind, nd->expr);
		f->p.key[k] = f->keys[k];
	}
	for (size_t k = 0; k < f->p.nneed; k++) {
		const char *x = f->p.need[k].expr;
		if (strcmp(f->p.need[k].kind, "pods") == 0)
			load_pods(f->st, f->keys[k], at - 60 * NS_PER_S);
		else if (strstr(x, "istio_requests_total"))
			answer(f->st, f->keys[k], TQ_REQ, at, ed, n);
		else if (strstr(x, "histogram_quantile"))
			answer(f->st, f->keys[k], TQ_LAT, at, ed, n);
	}
	f->cv = canvas_new(w, h);
}

static void
draw(struct fix *f)
{
	canvas_clear(f->cv, ROLE_DEFAULT);
	f->p.cls->draw(&f->p, f->cv, &f->c);
}

/* The whole canvas as text (allocated). */
static char *
screen(struct fix *f)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	canvas_to_text(f->cv, &b);
	return buf_steal(&b, NULL);
}

static void
teardown(struct fix *f)
{
	f->p.cls->free(&f->p);
	for (size_t k = 0; k < NEED_MAX; k++)
		free(f->keys[k]);
	canvas_free(f->cv);
	store_free(f->st);
	dashboard_free(f->db);
}

TEST(topology_panel_needs_queries_and_pods)
{
	struct fix f;

	setup(&f, DASH, 200, 40, T_INC, incident_edges, 5);
	CHECK_INT(f.p.nneed, 3);
	CHECK_STR(f.p.need[0].kind, "instant");
	CHECK_CONTAINS(f.p.need[0].expr, "istio_requests_total{reporter=\"destination\"}[1m]");
	CHECK_STR(f.p.need[2].kind, "pods");
	CHECK_STR(f.p.need[2].source, "cluster");	/* the dashboard's kubectl source */
	CHECK_STR(f.p.need[2].expr, "");		/* the pods panel's key: one watch */
	CHECK_INT(f.p.need[0].at, 0);			/* no cursor: the window's end */
	f.view.cursor = T_INC - 600 * NS_PER_S;
	f.p.nneed = f.p.cls->needs(&f.p, &f.c, 200, 40, f.p.need, NEED_MAX);
	CHECK(f.p.need[0].at == T_INC - 600 * NS_PER_S);	/* evaluated at the cursor */
	teardown(&f);
}

TEST(topology_panel_draws_the_incident)
{
	struct fix f;
	char *s;

	setup(&f, DASH, 200, 40, T_INC, incident_edges, 5);
	draw(&f);
	s = screen(&f);
	CHECK_CONTAINS(s, "at 02:30:00");
	CHECK_CONTAINS(s, "istio reporter=destination, 1m rate, P99  6 services 5 edges");
	CHECK_CONTAINS(s, "istio-ingressgateway");
	CHECK_CONTAINS(s, " 120/s 55% 8.6s ");
	CHECK_CONTAINS(s, " 30.0/s 60% 8.4s ");
	CHECK_CONTAINS(s, " 25.0/s 92% 4.4s ");
	CHECK_CONTAINS(s, " 40.0/s 0% 40ms ");
	CHECK_CONTAINS(s, " 30.0/s 0% 25ms ");
	/* pods of the story at 02:29: payment 3 of 6 ready, 7 restarts; order
	 * 3 of 4 (OOMKilled), 3 restarts; frontend 3/3 with one restart */
	CHECK_CONTAINS(s, "3/6 \xe2\x86\xbb" "7");
	CHECK_CONTAINS(s, "3/4 \xe2\x86\xbb" "3");
	CHECK_CONTAINS(s, "3/3 \xe2\x86\xbb" "1");
	CHECK_CONTAINS(s, "no pods");		/* the gateway: istio-system has only istiod */
	/* the summary: the worst edge first, with its code and flags */
	CHECK_CONTAINS(s, "worst edges");
	CHECK_CONTAINS(s, "\xe2\x97\x86 order \xe2\x86\x92 payment");
	CHECK_CONTAINS(s, "25.0/s 92% err P99 4.4s");
	CHECK_CONTAINS(s, "mostly 503 UO");
	CHECK(strstr(s, "order \xe2\x86\x92 payment") < strstr(s, "frontend \xe2\x86\x92 order"));
	free(s);
	/* the worst edge's label stands out (reverse video) */
	{
		int found = 0;
		for (int y = 0; y < f.cv->h && !found; y++) {
			char *r = canvas_row_text(f.cv, y);
			char *at = strstr(r, " 25.0/s 92% 4.4s ");
			if (at) {
				int x = 0;
				for (char *q = r; q < at; q++)
					x += ((unsigned char)*q & 0xc0) != 0x80;
				found = (canvas_cell(f.cv, x + 2, y)->attr & CA_REVERSE) != 0;
			}
			free(r);
		}
		CHECK(found);
	}
	teardown(&f);
}

TEST(topology_panel_healthy_and_table_at_80)
{
	struct fix f;
	char *s;

	setup(&f, DASH, 78, 12, T_OK, healthy_edges, 5);
	draw(&f);
	s = screen(&f);
	/* 78 columns cannot hold four layers of boxes: the edge table */
	CHECK_CONTAINS(s, "SOURCE \xe2\x86\x92 DESTINATION");
	CHECK_CONTAINS(s, "istio-ingressgateway \xe2\x86\x92 frontend");
	CHECK_CONTAINS(s, "120/s    0%   180ms");
	CHECK_CONTAINS(s, "order \xe2\x86\x92 payment");
	CHECK_CONTAINS(s, "25.0/s    0%    80ms");
	CHECK(!strstr(s, "\xe2\x97\x86"));	/* nothing singled out when all is well */
	free(s);
	/* J selects the second row; f focuses its destination */
	CHECK_INT(f.p.cls->key(&f.p, 'J', &f.c), WK_HANDLED);
	draw(&f);	/* the selection survives frames */
	CHECK_INT(f.p.cls->key(&f.p, 'f', &f.c), WK_HANDLED);
	CHECK_INT(focus_calls > 0, 1);
	CHECK_STR(focus_svc, "order");		/* second by latency: frontend -> order 120ms */
	CHECK_STR(focus_ns, "shop");
	teardown(&f);
}

TEST(topology_panel_select_focus_freeze_export)
{
	struct fix f;
	char path[256], *s, *txt;
	size_t len;
	char *err = NULL;

	setup(&f, DASH, 200, 40, T_INC, incident_edges, 5);
	draw(&f);
	/* J walks the nodes in reading order: the gateway first */
	CHECK_INT(f.p.cls->key(&f.p, 'J', &f.c), WK_HANDLED);
	draw(&f);
	s = screen(&f);
	CHECK_CONTAINS(s, "selected istio-ingressgateway");	/* the summary names it */
	free(s);
	f.c.inside = 1;
	f.p.cls->key(&f.p, 'l', &f.c);		/* to frontend */
	f.p.cls->key(&f.p, 'l', &f.c);		/* to cart or order */
	f.p.cls->key(&f.p, 'j', &f.c);
	draw(&f);
	focus_calls = 0;
	CHECK_INT(f.p.cls->key(&f.p, 'f', &f.c), WK_HANDLED);
	CHECK_INT(focus_calls, 1);
	CHECK(strcmp(focus_svc, "order") == 0 || strcmp(focus_svc, "cart") == 0);
	/* the same key again clears it */
	f.c.focus = focus_svc;
	f.c.focus_ns = focus_ns;
	CHECK_INT(f.p.cls->key(&f.p, 'f', &f.c), WK_HANDLED);
	CHECK_STR(focus_svc, "");
	f.c.focus = f.c.focus_ns = NULL;
	/* Enter: the service page when the app has them, else the focus */
	focus_calls = 0;
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_HANDLED);
	CHECK_INT(focus_calls, 1);
	f.c.api = &api_pages;
	CHECK_INT(f.p.cls->key(&f.p, K_ENTER, &f.c), WK_HANDLED);
	CHECK(strcmp(opened, "order") == 0 || strcmp(opened, "cart") == 0);
	CHECK_INT(focus_calls, 1);
	f.c.api = &api;

	/* freeze at 02:30, then look at 02:10 (answers there too): changes */
	CHECK_INT(f.p.cls->key(&f.p, 's', &f.c), WK_HANDLED);
	CHECK_CONTAINS(msg, "froze the topology of 02:30:00");
	for (size_t k = 0; k < f.p.nneed; k++) {
		const char *x = f.p.need[k].expr;
		if (strstr(x, "istio_requests_total"))
			answer(f.st, f.keys[k], TQ_REQ, T_OK, healthy_edges, 5);
		else if (strstr(x, "histogram_quantile"))
			answer(f.st, f.keys[k], TQ_LAT, T_OK, healthy_edges, 5);
	}
	f.view.cursor = T_OK;
	draw(&f);
	s = screen(&f);
	CHECK_CONTAINS(s, "at 02:10:00");
	CHECK_CONTAINS(s, "vs 02:30:00");
	CHECK_CONTAINS(s, "\xe2\x96\xbc 25.0/s 0% 80ms");	/* better than when frozen */
	CHECK_CONTAINS(s, "vs 02:30:00: 3 edges changed");	/* three got healthy */
	CHECK_CONTAINS(s, "pods: none before 02:29:00");	/* honest about 02:10 */
	free(s);
	CHECK_INT(f.p.cls->key(&f.p, 's', &f.c), WK_HANDLED);
	CHECK_STR(msg, "comparison off");

	/* export: DOT by extension, text otherwise */
	snprintf(path, sizeof path, "%s/scry-topo-%d.dot", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	    (int)getpid());
	CHECK_INT(f.p.cls->export(&f.p, "topology", path, &f.c, &err), 1);
	txt = paths_read_file(path, 1 << 20, &len, NULL);
	CHECK(txt && strstr(txt, "digraph topology {"));
	CHECK(txt && strstr(txt, "2026-11-26T02:10:00Z"));
	free(txt);
	unlink(path);
	snprintf(path, sizeof path, "%s/scry-topo-%d.txt", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	    (int)getpid());
	CHECK_INT(f.p.cls->export(&f.p, "topology", path, &f.c, &err), 1);
	txt = paths_read_file(path, 1 << 20, &len, NULL);
	CHECK(txt && strstr(txt, "# scry service topology"));
	CHECK(txt && strstr(txt, "edges (worst first)"));
	free(txt);
	unlink(path);
	CHECK_INT(f.p.cls->export(&f.p, "notes", path, &f.c, &err), 0);
	CHECK_INT(f.p.cls->export(&f.p, "topology", "/nonexistent/dir/t.dot", &f.c, &err), -1);
	CHECK_CONTAINS(err, "cannot write /nonexistent/dir/t.dot");
	free(err);
	teardown(&f);
}

TEST(topology_panel_tiny_and_empty)
{
	struct fix f;
	char *s;
	static const int sizes[][2] = { { 1, 1 }, { 5, 2 }, { 20, 3 }, { 40, 6 }, { 80, 24 } };

	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		setup(&f, DASH, sizes[i][0], sizes[i][1], T_INC, incident_edges, 5);
		draw(&f);
		f.c.inside = 1;
		f.p.cls->key(&f.p, K_DOWN, &f.c);
		f.p.cls->key(&f.p, 'L', &f.c);
		f.p.cls->key(&f.p, K_PGDN, &f.c);
		draw(&f);
		teardown(&f);
	}
	/* an answer without traffic */
	setup(&f, DASH, 100, 10, T_INC, incident_edges, 0);
	draw(&f);
	s = screen(&f);
	CHECK_CONTAINS(s, "no traffic between services at 02:30:00 (1m rate window)");
	free(s);
	teardown(&f);
}

/* focus (the service page's panel) and the filter keep a service and every
 * one of its neighbours, however many edges it has, and the selection
 * starts on the focused service. */
TEST(topology_panel_focus_and_filter_keep_all_neighbours)
{
	static const char *const dash = "{\"title\": \"t\", \"sources\": {\"prometheus\": {\"type\": "
	    "\"prometheus\"}}, \"panels\": [{\"type\": \"topology\", \"options\": {\"focus\": \"order\", "
	    "\"pods\": false}, \"grid\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 20}}]}";
	static const char *const filt = "{\"title\": \"t\", \"sources\": {\"prometheus\": {\"type\": "
	    "\"prometheus\"}}, \"panels\": [{\"type\": \"topology\", \"options\": {\"filter\": \"^order$\", "
	    "\"pods\": false}, \"grid\": {\"x\": 0, \"y\": 0, \"w\": 24, \"h\": 20}}]}";
	struct fix f;
	struct topo_state *s;
	char *scr;

	setup(&f, dash, 200, 30, T_INC, incident_edges, 5);
	draw(&f);
	s = f.p.w;
	scr = screen(&f);
	CHECK_CONTAINS(scr, "4 services 3 edges");
	CHECK_CONTAINS(scr, "around order");
	CHECK(strstr(scr, "cart") == NULL);
	CHECK(strstr(scr, "istio-ingressgateway") == NULL);
	CHECK(s->sel >= 0 && strcmp(s->view.n[s->sel].name, "order") == 0);
	free(scr);
	teardown(&f);

	setup(&f, filt, 200, 30, T_INC, incident_edges, 5);
	draw(&f);
	scr = screen(&f);
	CHECK_CONTAINS(scr, "4 services 3 edges");
	CHECK_CONTAINS(scr, "/^order$/");
	free(scr);
	teardown(&f);

	/* a focus without traffic says so */
	setup(&f, dash, 100, 10, T_INC, incident_edges, 2);
	draw(&f);
	scr = screen(&f);
	CHECK_CONTAINS(scr, "no traffic to or from order at 02:30:00");
	free(scr);
	teardown(&f);
}
