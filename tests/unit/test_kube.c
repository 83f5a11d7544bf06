/* Unit tests: Kubernetes objects — quantities, kubectl's pod status and
 * HumanDuration against the fixture expectations, both event shapes,
 * the EV_KUBE codec, object history in the store, the JSON splitter,
 * kubectl text outputs and change markers. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/kube.h"
#include "core/kubetable.h"
#include "core/marker.h"
#include "core/podstatus.h"
#include "core/quantity.h"
#include "core/xalloc.h"
#include "core/store.h"
#include "sources/jsplit.h"
#include "sources/kubeparse.h"
#include "tests/unit/t.h"

#define STORY_NOW	(1795660320LL * NS_PER_S)	/* 2026-11-26T02:32:00Z */

static char *
slurp(const char *rel, size_t *len)
{
	FILE *f = fopen(t_fixture(rel), "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	s[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return s;
}

/* ------------------------------------------------------------ quantities */

static int64_t
milli(const char *s)
{
	int64_t v = -999;
	if (quantity_milli(s, &v) < 0)
		return -999;
	return v;
}

static int64_t
value(const char *s)
{
	int64_t v = -999;
	if (quantity_value(s, &v) < 0)
		return -999;
	return v;
}

TEST(quantity_cpu)
{
	CHECK_INT(milli("100m"), 100);
	CHECK_INT(milli("1"), 1000);
	CHECK_INT(milli("0.1"), 100);
	CHECK_INT(milli("1.5"), 1500);
	CHECK_INT(milli("2"), 2000);
	CHECK_INT(milli("12345678n"), 13);	/* kubectl top rounds up (apis.md 4.6) */
	CHECK_INT(milli("9000001n"), 10);
	CHECK_INT(milli("0"), 0);
	CHECK_INT(milli("250u"), 1);
	CHECK_INT(milli("1e3"), 1000000);
	CHECK_INT(milli("-1"), -1000);
}

TEST(quantity_memory)
{
	CHECK_INT(value("128Mi"), 128LL << 20);
	CHECK_INT(value("1Gi"), 1LL << 30);
	CHECK_INT(value("1.5Gi"), 1610612736LL);
	CHECK_INT(value("52428Ki"), 52428LL * 1024);
	CHECK_INT(value("129e6"), 129000000LL);
	CHECK_INT(value("1k"), 1000);
	CHECK_INT(value("1M"), 1000000);
	CHECK_INT(value("100"), 100);
	CHECK_INT(value("10Ei"), INT64_MAX);	/* saturates */
}

TEST(quantity_malformed)
{
	CHECK_INT(milli(""), -999);
	CHECK_INT(milli("abc"), -999);
	CHECK_INT(milli("12Qi"), -999);
	CHECK_INT(milli("1e"), -999);
	CHECK_INT(milli("."), -999);
	CHECK_INT(milli(NULL), -999);
}

TEST(quantity_format)
{
	char b[32];
	quantity_fmt_cpu(1500, b, sizeof b);
	CHECK_STR(b, "1500m");
	quantity_fmt_cpu(2000, b, sizeof b);
	CHECK_STR(b, "2");
	quantity_fmt_mem(52428LL * 1024, b, sizeof b);
	CHECK_STR(b, "51Mi");	/* kubectl top floors to Mi */
	quantity_fmt_mem(1LL << 30, b, sizeof b);
	CHECK_STR(b, "1Gi");
	quantity_fmt_mem(1610612736LL, b, sizeof b);
	CHECK_STR(b, "1.5Gi");
	quantity_fmt_mem(-1, b, sizeof b);
	CHECK_STR(b, "-");
}

/* ------------------------------------------------------------ durations */

TEST(human_duration_table)
{
	char *text = slurp("incident/kube/human-duration.txt", NULL), *save = NULL;
	int rows = 0;

	CHECK(text != NULL);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char want[32], got[32];
		long long secs;
		if (l[0] == '#' || sscanf(l, "%lld %31s", &secs, want) != 2)	// NOLINT(cert-err34-c): the test's own fixture table; the count is checked
			continue;
		kube_human_duration(secs * NS_PER_S, got, sizeof got);
		if (strcmp(got, want) != 0)
			t_fail(__FILE__, __LINE__, "HumanDuration(%llds) = %s, expected %s", secs, got, want);
		rows++;
	}
	CHECK(rows >= 20);
	free(text);
}

TEST(human_duration_fraction_truncates)
{
	char b[32];
	kube_human_duration(119 * NS_PER_S + 999 * NS_PER_MS, b, sizeof b);
	CHECK_STR(b, "119s");
	kube_age(TNS_NONE, STORY_NOW, b, sizeof b);
	CHECK_STR(b, "<unknown>");
}

/* ------------------------------------------------------------ pods */

struct collect {
	enum kube_kind	 kind;
	void		**items;
	size_t		 n, cap;
};

static void
collect_cb(void *ctx, const char *json, size_t n)
{
	struct collect *c = ctx;
	cJSON *o = cJSON_ParseWithLength(json, n);
	void *obj = kube_parse_obj(c->kind, o);

	cJSON_Delete(o);
	if (!obj)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->items = realloc(c->items, c->cap * sizeof *c->items);
	}
	c->items[c->n++] = obj;
}

static struct collect
load_list(const char *rel, enum kube_kind kind, size_t chunk)
{
	struct collect c = { .kind = kind };
	struct jsplit js;
	size_t len;
	char *text = slurp(rel, &len);

	jsplit_init(&js, JS_ITEMS, 0, collect_cb, &c);
	for (size_t off = 0; text && off < len; off += chunk)
		jsplit_feed(&js, text + off, len - off < chunk ? len - off : chunk);
	CHECK(jsplit_idle(&js));
	CHECK_INT(js.stray, 0);
	jsplit_free(&js);
	free(text);
	return c;
}

static void
free_list(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++)
		kube_obj_free(c->kind, c->items[i]);
	free(c->items);
}

static const struct kpod *
find_pod(const struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(((struct kpod *)c->items[i])->meta.name, name) == 0)
			return c->items[i];
	return NULL;
}

TEST(pod_status_matches_kubectl_expectations)
{
	struct collect c = load_list("incident/kube/pods.json", KK_POD, 4096);
	char *text = slurp("incident/kube/pods-expect.txt", NULL), *save = NULL;
	int rows = 0;

	CHECK_INT(c.n, 33);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char ns[64], name[128], ready[16], status[64], restarts[64], age[32], got[64];
		const struct kpod *p;
		struct pod_status ps;
		if (l[0] == '#' || sscanf(l, "%63[^|]|%127[^|]|%15[^|]|%63[^|]|%63[^|]|%31s", ns, name,
		    ready, status, restarts, age) != 6)
			continue;
		rows++;
		if (!(p = find_pod(&c, name))) {
			t_fail(__FILE__, __LINE__, "pod %s missing from the fixture", name);
			continue;
		}
		pod_status_compute(p, &ps);
		CHECK_STR(p->meta.ns, ns);
		snprintf(got, sizeof got, "%d/%d", ps.ready, ps.total);
		if (strcmp(got, ready))
			t_fail(__FILE__, __LINE__, "%s READY %s, expected %s", name, got, ready);
		if (strcmp(ps.status, status))
			t_fail(__FILE__, __LINE__, "%s STATUS %s, expected %s", name, ps.status, status);
		pod_restarts_fmt(&ps, STORY_NOW, got, sizeof got);
		if (strcmp(got, restarts))
			t_fail(__FILE__, __LINE__, "%s RESTARTS %s, expected %s", name, got, restarts);
		kube_age(p->created, STORY_NOW, got, sizeof got);
		if (strcmp(got, age))
			t_fail(__FILE__, __LINE__, "%s AGE %s, expected %s", name, got, age);
	}
	CHECK_INT(rows, 33);
	free(text);
	free_list(&c);
}

TEST(pod_fields_kept_and_secrets_not)
{
	struct collect c = load_list("incident/kube/pods.json", KK_POD, 1 << 20);
	const struct kpod *p = find_pod(&c, "payment-7c9f8d6b5-j4k7l");
	struct buf b;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_STR(p->owner_kind, "ReplicaSet");
	CHECK_STR(p->owner_name, "payment-7c9f8d6b5");
	CHECK_STR(p->node, "node-b");
	CHECK_STR(kpod_label(p, "app"), "payment");
	CHECK_INT(p->nspec_c, 2);
	CHECK_INT(p->spec_c[0].req_cpu, 500);
	CHECK_INT(p->spec_c[0].lim_mem, 512LL << 20);
	CHECK_INT(p->spec_c[1].lim_cpu, 2000);
	CHECK_INT(p->nst_c, 2);
	CHECK_STR(p->st_c[1].reason, "CrashLoopBackOff");
	CHECK_INT(p->st_c[1].last_exit, 1);
	CHECK_STR(p->st_c[1].last_reason, "Error");
	/* env values never enter the typed object: the codec form has none */
	buf_init(&b, 1 << 20);
	kube_obj_encode(KK_POD, p, &b);
	CHECK(!memmem(b.data, b.len, "TLS_OFFLOAD", 11));
	CHECK(!memmem(b.data, b.len, "payment-db", 10));
	buf_free(&b);
	free_list(&c);
}

TEST(pod_status_edge_cases)
{
	struct kpod p;
	struct kcstatus st[1];
	struct kcspec sp[1];
	struct pod_status ps;

	memset(&p, 0, sizeof p);
	memset(st, 0, sizeof st);
	memset(sp, 0, sizeof sp);
	p.meta.ns = p.meta.name = "";
	p.deleted = TNS_NONE;
	p.phase = "Running";
	p.spec_c = sp;
	p.nspec_c = 1;
	p.st_c = st;
	p.nst_c = 1;
	st[0].state = KCS_TERMINATED;
	st[0].signal = 9;
	pod_status_compute(&p, &ps);
	CHECK_STR(ps.status, "Signal:9");
	CHECK_INT(ps.health, PH_BAD);
	st[0].state = KCS_RUNNING;
	st[0].ready = 1;
	pod_status_compute(&p, &ps);
	CHECK_STR(ps.status, "Running");
	CHECK_INT(ps.health, PH_OK);
	CHECK_STR(ps.status, "Running");
	p.deleted = STORY_NOW;
	pod_status_compute(&p, &ps);
	CHECK_STR(ps.status, "Terminating");
	CHECK_INT(ps.health, PH_WARN);
	p.phase = NULL;		/* no phase at all: empty status, not a crash */
	p.deleted = TNS_NONE;
	p.nst_c = 0;
	pod_status_compute(&p, &ps);
	CHECK_STR(ps.status, "");
	CHECK_INT(ps.ready, 0);
}

/* ------------------------------------------------------------ events */

static const struct kevent *
find_event(const struct collect *c, const char *reason, const char *obj)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct kevent *e = c->items[i];
		if (strcmp(e->reason, reason) == 0 && strcmp(e->obj_name, obj) == 0)
			return e;
	}
	return NULL;
}

TEST(events_both_shapes)
{
	struct collect c = load_list("incident/kube/events.json", KK_EVENT, 777);
	const struct kevent *core = find_event(&c, "BackOff", "payment-7c9f8d6b5-j4k7l");
	const struct kevent *hpa = find_event(&c, "SuccessfulRescale", "payment");
	const struct kevent *sched = find_event(&c, "FailedScheduling", "loadgen-5c6d7e8f9-q1w2e");

	CHECK(core && hpa && sched);
	if (!core || !hpa || !sched)
		return;
	CHECK_INT(core->count, 31);
	CHECK_INT(core->new_api, 0);
	CHECK_INT(core->first, 1795659650LL * NS_PER_S);	/* 02:20:50Z */
	CHECK_INT(core->last, 1795660300LL * NS_PER_S);		/* 02:31:40Z */
	CHECK_STR(core->type, "Warning");
	CHECK_STR(core->source, "kubelet, node-b");
	CHECK_INT(hpa->new_api, 1);
	CHECK_INT(hpa->count, 1);
	CHECK_INT(hpa->first, 1795659570LL * NS_PER_S + 412345000LL);	/* eventTime, µs */
	CHECK_INT(hpa->last, hpa->first);
	CHECK_STR(hpa->source, "horizontal-pod-autoscaler, kube-controller-manager");
	CHECK_INT(sched->count, 9);	/* series.count */
	CHECK_INT(sched->last, 1795660205LL * NS_PER_S + 120044000LL);	/* series.lastObservedTime */
	free_list(&c);
}

/* ------------------------------------------------------------ codec */

TEST(kube_codec_roundtrip_every_kind)
{
	static const struct { const char *file; enum kube_kind kind; } lists[] = {
		{ "incident/kube/pods.json", KK_POD },
		{ "incident/kube/events.json", KK_EVENT },
		{ "incident/kube/deployments.json", KK_DEPLOY },
	};

	for (size_t k = 0; k < sizeof lists / sizeof *lists; k++) {
		struct collect c = load_list(lists[k].file, lists[k].kind, 1 << 20);
		struct ev_kube *e = kube_ev_new(lists[k].kind, KOP_SNAPSHOT, "prod-eu1");
		struct event *ev, *back;
		struct buf a, b;
		struct rd r;
		char *err = NULL;

		for (size_t i = 0; i < c.n; i++)
			kube_ev_add(e, c.items[i]);
		free(c.items);
		e->dropped = 3;
		ev = event_new(EV_KUBE, STORY_NOW, "k\x1fpods\x1f", e);
		buf_init(&a, 16 << 20);
		buf_init(&b, 16 << 20);
		CHECK_INT(event_encode(ev, &a), 0);
		rd_init(&r, a.data, a.len);
		back = event_decode(&r, &err);
		CHECK(back != NULL);
		if (back) {
			struct ev_kube *e2 = back->p;
			CHECK_INT(e2->n, e->n);
			CHECK_INT(e2->dropped, 3);
			CHECK_STR(e2->context, "prod-eu1");
			CHECK_INT(event_encode(back, &b), 0);
			CHECK_INT(a.len, b.len);
			CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
			event_free(back);
		}
		free(err);
		/* every truncation of the encoding is rejected, never crashes */
		for (size_t cut = 0; cut < a.len; cut += a.len / 97 + 1) {
			struct event *bad;
			rd_init(&r, a.data, cut);
			err = NULL;
			bad = event_decode(&r, &err);
			CHECK(bad == NULL);
			event_free(bad);
			free(err);
		}
		event_free(ev);
		buf_free(&a);
		buf_free(&b);
	}
}

/* ------------------------------------------------------------ history */

static struct kpod *
mkpod(const char *name, const char *phase, int restarts)
{
	struct kpod *p = xcalloc(1, sizeof *p);
	p->meta.ns = xstrdup("shop");
	p->meta.name = xstrdup(name);
	p->phase = xstrdup(phase);
	p->created = p->deleted = p->started = TNS_NONE;
	p->spec_c = xcalloc(1, sizeof *p->spec_c);
	p->spec_i = xcalloc(1, sizeof *p->spec_i);
	p->st_c = xcalloc(1, sizeof *p->st_c);
	p->nst_c = 1;
	p->st_c[0].name = xstrdup("app");
	p->st_c[0].restarts = restarts;
	p->st_c[0].since = p->st_c[0].last_started = p->st_c[0].last_finished = TNS_NONE;
	p->st_i = xcalloc(1, sizeof *p->st_i);
	p->cond = xcalloc(1, sizeof *p->cond);
	p->labels = xcalloc(1, sizeof *p->labels);
	return p;
}

static void
apply_pods(struct store *st, tns t, enum kube_op op, struct kpod **pods, size_t n)
{
	struct ev_kube *e = kube_ev_new(KK_POD, op, "ctx");
	struct event *ev;
	for (size_t i = 0; i < n; i++)
		kube_ev_add(e, pods[i]);
	ev = event_new(EV_KUBE, t, "src\x1fpods\x1f", e);
	store_apply(st, ev);
	event_free(ev);
}

static const struct kpod *
view_find(const struct kube_view *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(((const struct kpod *)v->items[i])->meta.name, name) == 0)
			return v->items[i];
	return NULL;
}

TEST(kube_history_pods_at_time)
{
	struct store *st = store_new(NULL);
	struct kube_view v;
	const char *key = "src\x1fpods\x1f";
	tns t0 = STORY_NOW;
	struct kpod *a[3];
	uint64_t gen;

	a[0] = mkpod("a", "Running", 0);
	a[1] = mkpod("b", "Running", 0);
	apply_pods(st, t0, KOP_SNAPSHOT, a, 2);
	a[0] = mkpod("a", "Running", 1);		/* a restarts at t0+10s */
	apply_pods(st, t0 + 10 * NS_PER_S, KOP_UPSERT, a, 1);
	a[0] = mkpod("b", "Running", 0);		/* b deleted at t0+20s */
	apply_pods(st, t0 + 20 * NS_PER_S, KOP_DELETE, a, 1);
	a[0] = mkpod("a", "Running", 1);		/* relist: a unchanged, c new */
	a[1] = mkpod("c", "Pending", 0);
	apply_pods(st, t0 + 30 * NS_PER_S, KOP_SNAPSHOT, a, 2);

	CHECK_INT(store_kube(st, key, t0 - 1, &v), 0);
	CHECK_INT(v.n, 0);
	CHECK_INT(v.first_sync, t0);	/* later than the time asked: no data then */
	store_kube(st, key, t0 + 5 * NS_PER_S, &v);
	CHECK_INT(v.n, 2);
	CHECK(view_find(&v, "a") && view_find(&v, "a")->st_c[0].restarts == 0);
	store_kube(st, key, t0 + 15 * NS_PER_S, &v);
	CHECK_INT(v.n, 2);
	CHECK(view_find(&v, "a") && view_find(&v, "a")->st_c[0].restarts == 1);
	store_kube(st, key, t0 + 25 * NS_PER_S, &v);
	CHECK_INT(v.n, 1);
	CHECK(view_find(&v, "b") == NULL);
	store_kube(st, key, t0 + 3600 * NS_PER_S, &v);
	CHECK_INT(v.n, 2);
	CHECK(view_find(&v, "c") != NULL);
	gen = v.gen;
	store_kube(st, key, t0 + 3601 * NS_PER_S, &v);	/* same answer: cached */
	CHECK_INT(v.gen, gen);
	/* the unchanged "a" in the relist added no version: a restart marker only once */
	CHECK_INT(store_markers(st)->n, 1);
	CHECK_INT(store_kube(st, "nope", t0, &v), -1);
	store_free(st);
}

TEST(kube_history_is_bounded)
{
	struct store_limits lim = { .kube_bytes = 64 * 1024 };
	struct store *st = store_new(&lim);
	const char *key = "src\x1fpods\x1f";
	struct kube_view v;

	for (int i = 0; i < 2000; i++) {
		struct kpod *p = mkpod("churn", "Running", i);
		apply_pods(st, STORY_NOW + i * NS_PER_S, KOP_UPSERT, &p, 1);
	}
	store_kube(st, key, STORY_NOW + 5000 * NS_PER_S, &v);
	CHECK_INT(v.n, 1);
	CHECK(view_find(&v, "churn") && view_find(&v, "churn")->st_c[0].restarts == 1999);
	CHECK(v.horizon != TNS_NONE && v.horizon > STORY_NOW);
	CHECK(v.dropped > 0);
	/* the newest history is still there */
	store_kube(st, key, STORY_NOW + 1990 * NS_PER_S, &v);
	CHECK(view_find(&v, "churn") && view_find(&v, "churn")->st_c[0].restarts == 1990);
	/* a live set larger than the cap: new objects are refused and counted */
	for (int i = 0; i < 400; i++) {
		char name[32];
		struct kpod *p;
		snprintf(name, sizeof name, "pod-%03d", i);
		p = mkpod(name, "Running", 0);
		apply_pods(st, STORY_NOW + 6000 * NS_PER_S, KOP_UPSERT, &p, 1);
	}
	store_kube(st, key, STORY_NOW + 7000 * NS_PER_S, &v);
	CHECK(v.n < 401);
	CHECK(v.dropped > 0);
	store_free(st);
}

/* ------------------------------------------------------------ jsplit */

static void
count_cb(void *ctx, const char *json, size_t n)
{
	cJSON *o = cJSON_ParseWithLength(json, n);
	CHECK(o != NULL);
	cJSON_Delete(o);
	(*(int *)ctx)++;
}

TEST(jsplit_watch_stream_any_chunking)
{
	const char *s = "{\"type\":\"ADDED\",\"object\":{\"a\":\"}{\\\"\"}}\n"
	    "{\n  \"type\": \"DELETED\",\n  \"object\": {\"b\": [1, {\"c\": \"]\"}]}\n}\n"
	    "{\"type\":\"MODIFIED\",\"object\":{}}";
	size_t len = strlen(s);

	for (size_t chunk = 1; chunk <= len; chunk++) {
		struct jsplit js;
		int n = 0;
		jsplit_init(&js, JS_SEQ, 0, count_cb, &n);
		for (size_t off = 0; off < len; off += chunk)
			jsplit_feed(&js, s + off, len - off < chunk ? len - off : chunk);
		CHECK_INT(n, 3);
		CHECK(jsplit_idle(&js));
		CHECK_INT(js.stray, 0);
		jsplit_free(&js);
	}
}

TEST(jsplit_items_skips_other_keys_and_big_items)
{
	const char *s = "{\"apiVersion\":\"v1\",\"kinds\":[{\"x\":1}],\"items\":[{\"a\":1},"
	    "{\"big\":\"0123456789012345678901234567890123456789\"},[2]],\"kind\":\"List\","
	    "\"metadata\":{\"items\":[{\"no\":1}]}}";
	struct jsplit js;
	int n = 0;

	jsplit_init(&js, JS_ITEMS, 32, count_cb, &n);
	jsplit_feed(&js, s, strlen(s));
	CHECK_INT(n, 2);
	CHECK_INT(js.dropped, 1);
	CHECK(jsplit_idle(&js) && js.seen_top);
	jsplit_free(&js);
}

TEST(jsplit_garbage_is_counted)
{
	struct jsplit js;
	int n = 0;

	jsplit_init(&js, JS_SEQ, 0, count_cb, &n);
	jsplit_feed(&js, "oops {\"a\":1} ]] x{\"b\":", 22);
	CHECK_INT(n, 1);
	CHECK(js.stray > 0);
	CHECK(!jsplit_idle(&js));	/* an unfinished value at the end */
	jsplit_free(&js);
}

/* ------------------------------------------------------------ text outputs */

TEST(top_lines)
{
	const char *l = "payment-7c9f8d6b5-r2s5t   1490m        539Mi           ";
	struct kmetric *m = kube_parse_top_line(l, strlen(l), "shop", 0);

	CHECK(m != NULL);
	if (m) {
		CHECK_STR(m->meta.ns, "shop");
		CHECK_STR(m->meta.name, "payment-7c9f8d6b5-r2s5t");
		CHECK_INT(m->cpu_m, 1490);
		CHECK_INT(m->mem, 539LL << 20);
		kube_obj_free(KK_METRIC, m);
	}
	l = "istio-system   istiod-7d8f9c6b5-q2w3e   250m   1024Mi";
	m = kube_parse_top_line(l, strlen(l), NULL, 1);
	CHECK(m && strcmp(m->meta.ns, "istio-system") == 0 && m->mem == 1LL << 30);
	kube_obj_free(KK_METRIC, m);
	CHECK(kube_parse_top_line("   ", 3, "shop", 0) == NULL);
	CHECK(kube_parse_top_line("x 1q 2Mi", 8, "shop", 0) == NULL);
}

TEST(log_lines)
{
	const char *l = "2026-11-26T02:31:59.123456789Z level=warn msg=\"x\"\n";
	struct kline *k = kube_parse_log_line(l, strlen(l));

	CHECK_INT(k->t, 1795660319LL * NS_PER_S + 123456789);
	CHECK_STR(k->text, "level=warn msg=\"x\"");
	kube_obj_free(KK_LOG, k);
	k = kube_parse_log_line("no timestamp here", 17);
	CHECK_INT(k->t, TNS_NONE);
	CHECK_STR(k->text, "no timestamp here");
	kube_obj_free(KK_LOG, k);
}

TEST(kube_log_ring_bounded)
{
	struct store_limits lim = { .kube_log_bytes = 4096 };
	struct store *st = store_new(&lim);
	const struct kube_log *lg;

	for (int i = 0; i < 200; i++) {
		struct ev_kube *e = kube_ev_new(KK_LOG, i ? KOP_APPEND : KOP_SNAPSHOT, "");
		struct kline *k = xcalloc(1, sizeof *k);
		struct event *ev;
		k->t = STORY_NOW + i;
		k->text = xasprintf("line %d", i);
		kube_ev_add(e, k);
		ev = event_new(EV_KUBE, STORY_NOW, "l", e);
		store_apply(st, ev);
		event_free(ev);
	}
	lg = store_kube_log(st, "l");
	REQUIRE(lg != NULL);
	CHECK(lg->bytes <= 4096 && lg->n > 10 && lg->dropped > 0);
	CHECK(lg->n + lg->dropped == 200);
	CHECK_STR(kube_log_line(lg, lg->n - 1)->text, "line 199");
	store_free(st);
}

/* ------------------------------------------------------------ markers */

TEST(markers_from_story_events)
{
	struct collect c = load_list("incident/kube/events.json", KK_EVENT, 1 << 20);
	struct store *st = store_new(NULL);
	struct ev_kube *e = kube_ev_new(KK_EVENT, KOP_SNAPSHOT, "prod-eu1");
	const struct marker_list *ml;
	struct event *ev;
	int rollout = 0, scale = 0, restart = 0;

	for (size_t i = 0; i < c.n; i++)
		kube_ev_add(e, c.items[i]);
	free(c.items);
	ev = event_new(EV_KUBE, STORY_NOW, "src\x1f" "events\x1f", e);
	store_apply(st, ev);
	event_free(ev);
	ml = store_markers(st);
	for (size_t i = 0; i < ml->n; i++) {
		rollout += ml->m[i].type == MK_ROLLOUT;
		scale += ml->m[i].type == MK_SCALE;
		restart += ml->m[i].type == MK_RESTART;
		if (i)
			CHECK(ml->m[i - 1].t <= ml->m[i].t);
	}
	CHECK_INT(rollout, 1);		/* ScalingReplicaSet 02:19:31 (first == last) */
	CHECK_INT(scale, 1);		/* SuccessfulRescale 02:19:30 */
	CHECK_INT(restart, 2);		/* OOMKilling first 02:12:04 and last 02:29:40 */
	CHECK_INT(ml->m[marker_lower_bound(ml, 1795659570LL * NS_PER_S)].type, MK_SCALE);
	store_free(st);
}

TEST(watch_event_with_a_list_page)
{
	/* kubectl prints each page of a paged initial list as one ADDED event */
	const char *s = "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"List\","
	    "\"items\":[{\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\"}},"
	    "{\"metadata\":{\"name\":\"b\",\"namespace\":\"shop\"}}]}}";
	cJSON *o = cJSON_Parse(s);
	const cJSON *items = kube_watch_items(o);
	void *obj = NULL;

	CHECK(items && cJSON_GetArraySize(items) == 2);
	CHECK_INT(kube_parse_watch(KK_POD, o, &obj, NULL), KOP_NONE);	/* the List is no pod */
	CHECK(obj == NULL);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\",\"namespace\":\"shop\"}}}");
	CHECK(kube_watch_items(o) == NULL);
	CHECK_INT(kube_parse_watch(KK_POD, o, &obj, NULL), KOP_DELETE);
	CHECK(obj && strcmp(((struct kmeta *)obj)->name, "a") == 0);
	kube_obj_free(KK_POD, obj);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"message\":\"too old resource version: 1 (2)\"}}");
	{
		char *msg = NULL;
		CHECK_INT(kube_parse_watch(KK_POD, o, &obj, &msg), KOP_NONE);
		CHECK_STR(msg, "too old resource version: 1 (2)");
		free(msg);
	}
	cJSON_Delete(o);
}
