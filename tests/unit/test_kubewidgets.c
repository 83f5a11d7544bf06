/* Unit tests: the events and pods panes drawn from the store (the story's
 * objects at 02:32): event order (Warning first, newest first), pods
 * order (unhealthy first), sorting, regex filter, grouping, and a store
 * with no data for the time asked. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/store.h"
#include "core/view.h"
#include "core/xalloc.h"
#include "sources/jsplit.h"
#include "sources/kubeparse.h"
#include "widgets/widget.h"
#include "tests/unit/t.h"

#define STORY_NOW	(1795660320LL * NS_PER_S)	/* 2026-11-26T02:32:00Z */

static char last_msg[256];

static void msg(void *app, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
msg(void *app, int error, const char *fmt, ...)
{
	va_list ap;
	(void)app; (void)error;
	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof last_msg, fmt, ap);
	va_end(ap);
}

static const struct wapi api = { .message = msg };

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
load(struct store *st, const char *file, enum kube_kind kind, const char *key, tns t)
{
	char path[4096];
	FILE *f;
	struct ev_kube *e = kube_ev_new(kind, KOP_SNAPSHOT, "prod-eu1");
	struct jsplit js;
	struct event *ev;
	char buf[65536];
	size_t n;

	snprintf(path, sizeof path, "%s", t_fixture(file));
	f = fopen(path, "rb");
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
	struct store		*st;
	struct dash_panel	 cfg;
	struct panel		 p;
	struct view		 view;
	struct wctx		 c;
	struct canvas		*cv;
};

static void
setup(struct fix *f, const char *type, const char *kind, const char *key, int w, int h)
{
	memset(&f->cfg, 0, sizeof f->cfg);
	memset(&f->p, 0, sizeof f->p);
	f->cfg.type = (char *)type;
	f->cfg.path = "test";
	f->cfg.decimals = -1;
	f->p.cfg = &f->cfg;
	f->p.cls = widget_class_find(type);
	CHECK(f->p.cls != NULL);
	f->p.cls->init(&f->p, NULL, NULL);
	f->p.nneed = 1;
	f->p.need[0] = (struct need){ .qi = 0, .kind = kind };
	f->p.key[0] = (char *)key;
	view_init(&f->view, 3600 * NS_PER_S);
	memset(&f->c, 0, sizeof f->c);
	f->c.store = f->st;
	f->c.view = &f->view;
	f->c.now = f->c.end = STORY_NOW;
	f->c.start = STORY_NOW - f->view.range;
	f->c.focused = f->c.inside = 1;
	f->c.api = &api;
	f->cv = canvas_new(w, h);
}

static void
draw(struct fix *f)
{
	canvas_clear(f->cv, ROLE_DEFAULT);
	f->p.cls->draw(&f->p, f->cv, &f->c);
}

static char *
row(struct fix *f, int y)
{
	return canvas_row_text(f->cv, y);
}

static void
teardown(struct fix *f)
{
	f->p.cls->free(&f->p);
	canvas_free(f->cv);
}

TEST(events_pane_warning_first_then_newest)
{
	struct fix f;
	const char *key = "eu1\x1f" "events\x1f";
	int warnings_done = 0, n = 0;
	char *r;

	f.st = store_new(NULL);
	/* listed at 02:00: the cursor can go back to before most events */
	load(f.st, "incident/kube/events.json", KK_EVENT, key, 1795658400LL * NS_PER_S);
	setup(&f, "events", "events", key, 200, 30);
	draw(&f);
	r = row(&f, 0);
	CHECK_CONTAINS(r, "18 events");
	CHECK_CONTAINS(r, "10 warnings");
	free(r);
	r = row(&f, 2);		/* first row: the newest Warning (02:31:55) */
	CHECK_CONTAINS(r, "Unhealthy");
	CHECK_CONTAINS(r, "Pod/payment-7c9f8d6b5-r2s5t");
	CHECK_CONTAINS(r, "   64  Readiness probe failed");
	free(r);
	for (int y = 2; y < 30; y++) {
		r = row(&f, y);
		if (strstr(r, "Normal"))
			warnings_done = 1;
		if (strstr(r, "Warning")) {
			CHECK(!warnings_done);	/* no Warning after a Normal */
			n++;
		}
		free(r);
	}
	CHECK_INT(n, 10);
	/* w: warnings only; t: time order puts the newest Normal first */
	f.p.cls->key(&f.p, 'w', &f.c);
	draw(&f);
	r = row(&f, 0);
	CHECK_CONTAINS(r, "(warnings only)");
	free(r);
	f.p.cls->key(&f.p, 'w', &f.c);
	f.p.cls->key(&f.p, 't', &f.c);
	draw(&f);
	r = row(&f, 2);
	CHECK_CONTAINS(r, "Unhealthy");	/* 02:31:55 is also the newest overall */
	free(r);
	r = row(&f, 3);
	CHECK_CONTAINS(r, "BackOff");	/* 02:31:40 */
	free(r);
	/* the time cursor at 02:20: events first seen later are not there yet */
	f.view.cursor = 1795659600LL * NS_PER_S;
	draw(&f);
	r = row(&f, 0);
	CHECK_CONTAINS(r, "9 events  6 warnings");
	free(r);
	f.view.cursor = 1795658000LL * NS_PER_S;	/* before the list: no data then */
	draw(&f);
	r = row(&f, 15);
	CHECK_CONTAINS(r, "no Kubernetes data as of");
	free(r);
	teardown(&f);
	store_free(f.st);
}

TEST(pods_pane_order_sort_filter_group)
{
	struct fix f;
	const char *key = "eu1\x1fpods\x1f";
	char *r, *err = NULL;

	f.st = store_new(NULL);
	load(f.st, "incident/kube/pods.json", KK_POD, key, STORY_NOW);
	setup(&f, "pods", "pods", key, 110, 40);
	draw(&f);
	r = row(&f, 0);
	CHECK_CONTAINS(r, "33 pods  8 failing  7 not ready");
	free(r);
	r = row(&f, 1);
	CHECK_CONTAINS(r, "NAMESPACE");	/* istio-system and shop */
	free(r);
	r = row(&f, 2);
	CHECK_CONTAINS(r, "inventory-7b8c9d6f5-ev1ct");	/* failing first, then by name */
	free(r);
	f.p.cls->key(&f.p, 's', &f.c);		/* name */
	CHECK_STR(last_msg, "sorted by name");
	draw(&f);
	r = row(&f, 2);
	CHECK_CONTAINS(r, "cart-5f8d9b7c6-a1b2c");
	free(r);
	f.p.cls->search(&f.p, "^payment-7c9f8d6b5", &f.c, &err);
	draw(&f);
	r = row(&f, 0);
	CHECK_CONTAINS(r, "3 shown for /^payment-7c9f8d6b5/");
	free(r);
	r = row(&f, 5);
	CHECK_STR(r, "");
	free(r);
	CHECK_INT(f.p.cls->search(&f.p, "[", &f.c, &err), -1);
	CHECK_CONTAINS(err, "filter:");
	free(err);
	f.p.cls->key(&f.p, 'F', &f.c);
	f.p.cls->key(&f.p, 'o', &f.c);		/* group by owner */
	draw(&f);
	r = row(&f, 2);
	CHECK_CONTAINS(r, "Deployment/cart");	/* sorted by name: groups by name */
	free(r);
	r = row(&f, 3);
	CHECK_CONTAINS(r, "  cart-5f8d9b7c6-a1b2c");
	free(r);
	/* before the first list: no pod data at that time */
	f.view.cursor = STORY_NOW - 60 * NS_PER_S;
	draw(&f);
	r = row(&f, 20);
	CHECK_CONTAINS(r, "no Kubernetes data as of");
	free(r);
	teardown(&f);
	store_free(f.st);
}

TEST(kube_panes_at_tiny_sizes)
{
	static const struct { const char *type, *kind, *file; enum kube_kind k; } panes[] = {
		{ "pods", "pods", "incident/kube/pods.json", KK_POD },
		{ "events", "events", "incident/kube/events.json", KK_EVENT },
	};

	for (size_t i = 0; i < 2; i++)
		for (int w = 1; w <= 12; w += 3)
			for (int h = 1; h <= 7; h += 2) {
				struct fix f;
				f.st = store_new(NULL);
				load(f.st, panes[i].file, panes[i].k, "k", STORY_NOW);
				setup(&f, panes[i].type, panes[i].kind, "k", w, h);
				f.p.cls->key(&f.p, 'o', &f.c);
				draw(&f);
				f.p.cls->key(&f.p, 'G', &f.c);
				draw(&f);
				CHECK(canvas_cell(f.cv, w - 1, h - 1) != NULL);
				teardown(&f);
				store_free(f.st);
			}
}

TEST(pod_detail_pane_draws_the_crashing_pod)
{
	struct fix f;
	cJSON *o = cJSON_CreateObject();
	struct dash_query q[2] = { { .expr = "", .ref = "A" }, { .expr = "", .ref = "B" } };
	const char *pk = "k\x1fpods\x1f", *ek = "k\x1f" "events\x1f";
	int seen = 0;

	f.st = store_new(NULL);
	load(f.st, "incident/kube/pods.json", KK_POD, pk, STORY_NOW);
	load(f.st, "incident/kube/events.json", KK_EVENT, ek, STORY_NOW);
	cJSON_AddStringToObject(o, "namespace", "shop");
	cJSON_AddStringToObject(o, "pod", "payment-7c9f8d6b5-j4k7l");
	for (int w = 1; w <= 121; w += 40) {
		memset(&f.cfg, 0, sizeof f.cfg);
		memset(&f.p, 0, sizeof f.p);
		f.cfg.type = "pod";
		f.cfg.path = "test";
		f.cfg.options = o;
		f.cfg.q = q;
		f.cfg.nq = 2;
		f.p.cfg = &f.cfg;
		f.p.cls = widget_class_find("pod");
		f.p.cls->init(&f.p, NULL, NULL);
		f.p.nneed = 2;
		f.p.need[0] = (struct need){ .qi = 0, .kind = "pods" };
		f.p.need[1] = (struct need){ .qi = 1, .kind = "events" };
		f.p.key[0] = (char *)pk;
		f.p.key[1] = (char *)ek;
		view_init(&f.view, 3600 * NS_PER_S);
		memset(&f.c, 0, sizeof f.c);
		f.c.store = f.st;
		f.c.view = &f.view;
		f.c.now = f.c.end = STORY_NOW;
		f.c.focused = f.c.inside = 1;
		f.c.api = &api;
		f.cv = canvas_new(w, 60);
		draw(&f);
		for (int y = 0; y < 60 && w > 100; y++) {
			char *r = row(&f, y);
			seen += strstr(r, "CrashLoopBackOff  1/2 ready  7 (10m ago) restarts  age 12m") != NULL;
			seen += strstr(r, "Error, exit code 1, 10m ago after running 5s") != NULL;
			seen += strstr(r, "Back-off restarting failed container payment") != NULL;
			free(r);
		}
		teardown(&f);
	}
	CHECK_INT(seen, 3);
	cJSON_Delete(o);
	store_free(f.st);
}
