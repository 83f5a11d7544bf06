/* Unit tests: the topology model (core/topology.c) — the generated
 * PromQL, edges from Istio and Tempo answers (errors: 5xx, code 0, gRPC),
 * the worst edge, comparison with a frozen snapshot, namespace folding,
 * the export forms with hostile names — the focus matchers
 * (widgets/focus.c), and the topology panel drawn from a store holding
 * the seed incident's answers and pods (selection, focus, freeze, the
 * table at 80 columns). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/store.h"
#include "core/topology.h"
#include "core/view.h"
#include "core/xalloc.h"
#include "sources/jsplit.h"
#include "sources/kubeparse.h"
#include "widgets/focus.h"
#include "widgets/widget.h"
#include "tests/unit/t.h"

#define T_INC	(1795660200LL * NS_PER_S)	/* 2026-11-26T02:30:00Z */

/* lset()'s end marker: a pointer, since va_arg reads one (NULL may be a plain 0) */
#define LEND	((const char *)NULL)

static void
lset(struct labelset *ls, ...)
{
	va_list ap;
	const char *k;

	labels_init(ls);
	va_start(ap, ls);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		labels_set(ls, k, v);
	}
	va_end(ap);
	labels_finish(ls);
}

/* One Istio request series (reporter destination) into t. */
static void
req(struct topology *t, const char *src, const char *sns, const char *dst, const char *code,
    const char *flags, double v)
{
	struct labelset ls;
	char fq[256];

	snprintf(fq, sizeof fq, "%s.shop.svc.cluster.local", dst);
	lset(&ls, "source_workload", src, "source_workload_namespace", sns, "destination_service", fq,
	    "destination_service_name", dst, "destination_service_namespace", "shop", "response_code",
	    code, "response_flags", flags, LEND);
	topo_add(t, TM_ISTIO, TQ_REQ, &ls, v);
	labels_free(&ls);
}

static void
lat(struct topology *t, const char *src, const char *sns, const char *dst, double ms)
{
	struct labelset ls;

	lset(&ls, "source_workload", src, "source_workload_namespace", sns,
	    "destination_service_name", dst, "destination_service_namespace", "shop", LEND);
	topo_add(t, TM_ISTIO, TQ_LAT, &ls, ms);
	labels_free(&ls);
}

/* The incident at 02:30 as Prometheus answers it (README.md tables). */
static void
incident(struct topology *t)
{
	req(t, "istio-ingressgateway", "istio-system", "frontend", "200", "-", 54);
	req(t, "istio-ingressgateway", "istio-system", "frontend", "503", "-", 66);
	req(t, "frontend", "shop", "cart", "200", "-", 40);
	req(t, "frontend", "shop", "order", "200", "-", 12);
	req(t, "frontend", "shop", "order", "503", "-", 6);
	req(t, "frontend", "shop", "order", "504", "-", 12);
	req(t, "order", "shop", "payment", "200", "-", 2);
	req(t, "order", "shop", "payment", "503", "UO", 23);
	req(t, "order", "shop", "inventory", "200", "-", 30);
	lat(t, "istio-ingressgateway", "istio-system", "frontend", 8600);
	lat(t, "frontend", "shop", "cart", 40);
	lat(t, "frontend", "shop", "order", 8400);
	lat(t, "order", "shop", "payment", 4375);
	lat(t, "order", "shop", "inventory", 25);
}

static int
edge_of(const struct topology *t, const char *a, const char *b)
{
	for (size_t i = 0; i < t->ne; i++)
		if (!strcmp(t->n[t->e[i].src].name, a) && !strcmp(t->n[t->e[i].dst].name, b))
			return (int)i;
	return -1;
}

TEST(topo_queries_istio_and_tempo)
{
	struct topo_opts o;
	char *q[TQ_MAX];

	topo_opts_default(&o);
	topo_queries(&o, q);
	CHECK_STR(q[TQ_REQ], "sum by (source_workload_namespace, source_workload, "
	    "source_canonical_service, destination_service_namespace, destination_service_name, "
	    "destination_service, response_code, response_flags, request_protocol, "
	    "grpc_response_status) (rate(istio_requests_total{reporter=\"destination\"}[1m])) > 0");
	CHECK(q[TQ_FAIL] == NULL);
	CHECK_CONTAINS(q[TQ_LAT], "histogram_quantile(0.99, sum by (le, source_workload_namespace, ");
	CHECK_CONTAINS(q[TQ_LAT], "(rate(istio_request_duration_milliseconds_bucket"
	    "{reporter=\"destination\"}[1m]))) > 0 or 1000 * histogram_quantile(0.99, ");
	CHECK_CONTAINS(q[TQ_LAT], "istio_request_duration_seconds_bucket{reporter=\"destination\"}[1m]))) > 0");
	for (int i = 0; i < TQ_MAX; i++)
		free(q[i]);

	/* one namespace side each, joined by or; quotes escaped; a selector */
	o.reporter = "source";
	o.ns = "sh\"op|pay";
	o.selector = "cluster=\"eu1\"";
	o.window = 5 * 60 * NS_PER_S;
	o.quantile = 0.95;
	topo_queries(&o, q);
	CHECK_CONTAINS(q[TQ_REQ], "{reporter=\"source\",destination_service_namespace=~\"sh\\\"op|pay\","
	    "cluster=\"eu1\"}[5m])) > 0 or sum by (");
	CHECK_CONTAINS(q[TQ_REQ], "{reporter=\"source\",source_workload_namespace=~\"sh\\\"op|pay\","
	    "cluster=\"eu1\"}[5m])) > 0");
	CHECK_CONTAINS(q[TQ_LAT], "histogram_quantile(0.95, ");
	for (int i = 0; i < TQ_MAX; i++)
		free(q[i]);

	topo_opts_default(&o);
	o.metrics = TM_TEMPO;
	topo_queries(&o, q);
	CHECK_STR(q[TQ_REQ], "sum by (client, server) (rate(traces_service_graph_request_total[1m])) > 0");
	CHECK_STR(q[TQ_FAIL], "sum by (client, server) (rate(traces_service_graph_request_failed_total[1m])) > 0");
	CHECK_STR(q[TQ_LAT], "1000 * histogram_quantile(0.99, sum by (le, client, server) "
	    "(rate(traces_service_graph_request_server_seconds_bucket[1m]))) > 0");
	for (int i = 0; i < TQ_MAX; i++)
		free(q[i]);
}

TEST(topo_istio_edges_errors_and_worst)
{
	struct topology t;
	struct topo_th th;
	int e;
	char b[32];

	topo_th_default(&th);
	topo_init(&t);
	incident(&t);
	topo_finish(&t, &th);
	CHECK_INT(t.nn, 6);
	CHECK_INT(t.ne, 5);
	e = edge_of(&t, "order", "payment");
	CHECK(e >= 0);
	CHECK_NEAR(t.e[e].rate, 25, 1e-12);
	CHECK_NEAR(topo_ratio(&t.e[e]), 0.92, 1e-12);
	CHECK_NEAR(t.e[e].p99, 4375, 1e-12);
	CHECK_STR(t.e[e].code, "503");
	CHECK_STR(t.e[e].flags, "UO");
	CHECK_INT(t.e[e].health, TH_ERROR);
	CHECK_INT(t.worst, e);		/* 92 % beats 60 % and 55 % */
	e = edge_of(&t, "frontend", "order");
	CHECK_NEAR(topo_ratio(&t.e[e]), 0.6, 1e-12);
	CHECK_STR(t.e[e].code, "504");	/* the larger share of the errors */
	CHECK_INT(t.e[edge_of(&t, "frontend", "cart")].health, TH_OK);
	CHECK_STR(t.n[t.e[0].src].ns, "istio-system");
	CHECK_NEAR(t.n[topo_find(&t, "shop", "payment")].in_rate, 25, 1e-12);
	CHECK_INT(t.n[topo_find(&t, "shop", "payment")].health, TH_ERROR);
	topo_fmt_rate(120, b, sizeof b);
	CHECK_STR(b, "120/s");
	topo_fmt_rate(25, b, sizeof b);
	CHECK_STR(b, "25.0/s");
	topo_fmt_ratio(0.92, b, sizeof b);
	CHECK_STR(b, "92%");
	topo_fmt_ratio(0.0042, b, sizeof b);
	CHECK_STR(b, "0.4%");
	topo_fmt_ms(4375, b, sizeof b);
	CHECK_STR(b, "4.4s");
	topo_fmt_ms(40, b, sizeof b);
	CHECK_STR(b, "40ms");
	topo_fmt_ms(NAN, b, sizeof b);
	CHECK_STR(b, "-");
	topo_free(&t);
}

TEST(topo_no_response_grpc_and_fallbacks)
{
	struct topology t;
	struct topo_th th;
	struct labelset ls;
	int e;

	topo_th_default(&th);
	topo_init(&t);
	/* code 0: no response (counted as an error) */
	req(&t, "a", "shop", "b", "200", "-", 9);
	req(&t, "a", "shop", "b", "0", "UF", 1);
	/* gRPC: HTTP 200 with a non-zero grpc status is an error */
	lset(&ls, "source_workload", "a", "source_workload_namespace", "shop", "destination_service",
	    "c.shop.svc.cluster.local", "response_code", "200", "request_protocol", "grpc",
	    "grpc_response_status", "14", LEND);
	topo_add(&t, TM_ISTIO, TQ_REQ, &ls, 4);
	labels_free(&ls);
	lset(&ls, "source_workload", "a", "source_workload_namespace", "shop", "destination_service",
	    "c.shop.svc.cluster.local", "response_code", "200", "request_protocol", "grpc",
	    "grpc_response_status", "0", LEND);
	topo_add(&t, TM_ISTIO, TQ_REQ, &ls, 6);
	labels_free(&ls);
	/* from outside the mesh; canonical service wins over the workload */
	lset(&ls, "source_workload", "unknown", "destination_service_name", "b",
	    "destination_service_namespace", "shop", "response_code", "404", LEND);
	topo_add(&t, TM_ISTIO, TQ_REQ, &ls, 2);
	labels_free(&ls);
	lset(&ls, "source_workload", "b-v2", "source_canonical_service", "b",
	    "source_workload_namespace", "shop", "destination_service_name", "c",
	    "destination_service_namespace", "shop", "response_code", "200", LEND);
	topo_add(&t, TM_ISTIO, TQ_REQ, &ls, 1);
	labels_free(&ls);
	/* garbage values are counted, not added */
	lset(&ls, "source_workload", "a", "destination_service_name", "b", LEND);
	topo_add(&t, TM_ISTIO, TQ_REQ, &ls, -1);
	topo_add(&t, TM_ISTIO, TQ_REQ, &ls, INFINITY);
	topo_add(&t, TM_ISTIO, TQ_LAT, &ls, NAN);	/* no latency: not an error */
	labels_free(&ls);
	topo_finish(&t, &th);
	CHECK_INT(t.dropped, 2);
	e = edge_of(&t, "a", "b");
	CHECK_NEAR(topo_ratio(&t.e[e]), 0.1, 1e-12);
	CHECK_NEAR(t.e[e].noresp, 1, 1e-12);
	CHECK_STR(t.e[e].code, "0");
	CHECK_STR(t.e[e].flags, "UF");
	e = edge_of(&t, "a", "c");
	CHECK(e >= 0);
	CHECK_NEAR(topo_ratio(&t.e[e]), 0.4, 1e-12);
	CHECK_STR(t.e[e].code, "grpc 14");
	CHECK_STR(t.n[t.e[e].dst].ns, "shop");	/* from the FQDN */
	e = edge_of(&t, "unknown", "b");
	CHECK(e >= 0 && t.e[e].err == 0);	/* 4xx is not an edge error */
	CHECK_STR(t.n[t.e[e].src].ns, "");
	CHECK(edge_of(&t, "b", "c") >= 0);
	CHECK(edge_of(&t, "b-v2", "c") < 0);
	topo_free(&t);
}

TEST(topo_tempo_service_graph)
{
	struct topology t;
	struct topo_th th;
	struct labelset ls;
	int e;

	topo_th_default(&th);
	topo_init(&t);
	lset(&ls, "client", "order", "server", "payment", "connection_type", "", LEND);
	topo_add(&t, TM_TEMPO, TQ_REQ, &ls, 25);
	topo_add(&t, TM_TEMPO, TQ_FAIL, &ls, 23);
	topo_add(&t, TM_TEMPO, TQ_LAT, &ls, 4375);
	labels_free(&ls);
	lset(&ls, "client", "user", "server", "frontend", LEND);
	topo_add(&t, TM_TEMPO, TQ_REQ, &ls, 120);
	labels_free(&ls);
	topo_finish(&t, &th);
	e = edge_of(&t, "order", "payment");
	CHECK_NEAR(topo_ratio(&t.e[e]), 0.92, 1e-12);
	CHECK_NEAR(t.e[e].p99, 4375, 1e-12);
	CHECK_INT(t.worst, e);
	CHECK_INT(t.e[edge_of(&t, "user", "frontend")].health, TH_OK);
	topo_free(&t);
}

TEST(topo_compare_collapse_subset)
{
	struct topology was, now, f, s;
	struct topo_th th;
	uint8_t keep[16];
	int e;

	topo_th_default(&th);
	topo_init(&was);
	req(&was, "frontend", "shop", "order", "200", "-", 30);
	req(&was, "order", "shop", "payment", "200", "-", 25);
	req(&was, "order", "shop", "legacy", "200", "-", 1);
	lat(&was, "order", "shop", "payment", 80);
	topo_finish(&was, &th);
	CHECK_INT(was.worst, -1);	/* all healthy: nothing to single out */
	topo_init(&now);
	incident(&now);
	topo_compare(&now, &was, &th);
	CHECK_INT(now.e[edge_of(&now, "order", "payment")].change, TC_WORSE);
	CHECK_NEAR(now.e[edge_of(&now, "order", "payment")].was_p99, 80, 1e-12);
	CHECK_INT(now.e[edge_of(&now, "frontend", "cart")].change, TC_NEW);
	CHECK_INT(now.e[edge_of(&now, "order", "inventory")].change, TC_NEW);
	e = edge_of(&now, "order", "legacy");
	CHECK(e >= 0);
	CHECK_INT(now.e[e].change, TC_GONE);
	CHECK_INT(now.e[e].health, TH_OK);
	CHECK(now.worst == edge_of(&now, "order", "payment"));

	/* fold every namespace but shop: the gateway becomes istio-system */
	topo_collapse(&now, "shop", &f, &th);
	CHECK(topo_find(&f, "istio-system", "*") >= 0);
	CHECK(topo_find(&f, "istio-system", "istio-ingressgateway") < 0);
	CHECK(topo_find(&f, "shop", "payment") >= 0);
	CHECK_INT(f.ne, now.ne);
	topo_free(&f);
	/* fold everything: one node, its traffic a self-call */
	topo_collapse(&now, NULL, &f, &th);
	CHECK_INT(f.nn, 2);
	CHECK(f.n[topo_find(&f, "shop", "*")].self >= 0);
	CHECK_INT(f.n[topo_find(&f, "shop", "*")].members, 6);
	topo_free(&f);

	/* a subset keeps the edges among the kept nodes only */
	memset(keep, 0, sizeof keep);
	keep[topo_find(&now, "shop", "order")] = 1;
	keep[topo_find(&now, "shop", "payment")] = 1;
	topo_subset(&now, keep, &s, &th);
	CHECK_INT(s.nn, 2);
	CHECK_INT(s.ne, 1);
	CHECK_INT(s.worst, 0);
	topo_free(&s);
	topo_free(&now);
	topo_free(&was);
}

TEST(topo_export_escapes_hostile_names)
{
	struct topology t;
	struct topo_th th;
	struct topo_meta m = { .at = T_INC, .metrics = "istio reporter=destination", .window = "1m",
		.qname = "P99" };
	struct buf b;

	topo_th_default(&th);
	topo_init(&t);
	incident(&t);
	req(&t, "evil\x1b]0;pwn\x07\"x\\", "shop", "pay\xe2\x80\xaement", "200", "-", 1);
	topo_finish(&t, &th);
	buf_init(&b, 1 << 20);
	topo_write_dot(&t, &m, &b);
	CHECK_CONTAINS(b.data, "digraph topology {");
	CHECK_CONTAINS(b.data, "rankdir=LR;");
	CHECK_CONTAINS(b.data, "[label=\"shop/order\"");
	CHECK_CONTAINS(b.data, "label=\"25.0/s\\n92.0% errors (503 UO)\\nP99 4.4s\", color=red3, penwidth=3];");
	CHECK_CONTAINS(b.data, "shop/evil\\\\x1b]0;pwn\\\\x07\\\"x\\\\");
	CHECK_CONTAINS(b.data, "pay\\\\u{202E}ment");
	CHECK(!strchr(b.data, '\x1b') && !strchr(b.data, '\x07') && !strstr(b.data, "\xe2\x80\xae"));
	CHECK_CONTAINS(b.data, "2026-11-26T02:30:00Z");
	buf_reset(&b);
	topo_write_text(&t, &m, &b);
	CHECK_CONTAINS(b.data, "# worst    shop/order -> shop/payment  25.0/s  92.0% errors (503 UO)  P99 4.4s");
	CHECK_CONTAINS(b.data, "shop/evil\\x1b]0;pwn\\x07\"x\\");
	CHECK(!strchr(b.data, '\x1b') && !strchr(b.data, '\x07'));
	CHECK_CONTAINS(b.data, "    25.000   92.00%  4375.0 ms 503 UO       error  -  WORST");
	buf_free(&b);
	topo_free(&t);
}

/* ------------------------------------------------------------ focus */

TEST(focus_matches_series_streams_and_pods)
{
	struct labelset ls;
	struct kpod pod;
	struct klabel pl[2] = { { "app", "payment" }, { "pod-template-hash", "7c9f8d6b5" } };

	lset(&ls, "destination_service", "payment.shop.svc.cluster.local", LEND);
	CHECK(focus_series(&ls, "payment", NULL));
	CHECK(focus_series(&ls, "payment", "shop"));
	CHECK(!focus_series(&ls, "payment", "prod"));
	CHECK(!focus_series(&ls, "pay", NULL));
	CHECK(!focus_series(&ls, "order", NULL));
	labels_free(&ls);
	/* destination labels decide before source ones */
	lset(&ls, "destination_service_name", "payment", "source_workload", "order", LEND);
	CHECK(focus_series(&ls, "payment", NULL));
	CHECK(!focus_series(&ls, "order", NULL));
	labels_free(&ls);
	lset(&ls, "source_workload", "order", LEND);
	CHECK(focus_series(&ls, "order", NULL));
	labels_free(&ls);
	lset(&ls, "cluster_name", "outbound|8080||payment.shop.svc.cluster.local", LEND);
	CHECK(focus_series(&ls, "payment", "shop"));
	CHECK(!focus_series(&ls, "order", NULL));
	labels_free(&ls);
	lset(&ls, "service", "cart", "uri", "/cart", LEND);
	CHECK(!focus_series(&ls, "order", NULL));
	labels_free(&ls);
	lset(&ls, "job", "shop/order", LEND);
	CHECK(focus_series(&ls, "order", NULL));
	labels_free(&ls);
	/* not about any one service: stays */
	lset(&ls, "alertname", "Watchdog", LEND);
	CHECK(focus_series(&ls, "payment", NULL));
	CHECK(!focus_stream(&ls, "payment", NULL));
	labels_free(&ls);
	lset(&ls, "app", "payment", "namespace", "shop", "pod", "payment-7c9f8d6b5-q8x7z", LEND);
	CHECK(focus_stream(&ls, "payment", "shop"));
	CHECK(!focus_stream(&ls, "payment", "istio-system"));
	CHECK(!focus_stream(&ls, "order", NULL));
	labels_free(&ls);
	lset(&ls, "pod", "order-6b7d9c5f8-x2k4p", LEND);
	CHECK(focus_stream(&ls, "order", NULL));
	CHECK(!focus_stream(&ls, "ord", NULL));
	labels_free(&ls);

	memset(&pod, 0, sizeof pod);
	pod.meta.ns = "shop";
	pod.meta.name = "payment-7c9f8d6b5-j4k7l";
	pod.labels = pl;
	pod.nlabels = 2;
	CHECK(focus_pod(&pod, "payment", "shop"));
	CHECK(!focus_pod(&pod, "payment", "other"));
	CHECK(!focus_pod(&pod, "order", NULL));
	pod.nlabels = 1;
	pod.labels = &pl[1];
	pod.owner_kind = "ReplicaSet";
	pod.owner_name = "payment-7c9f8d6b5";
	CHECK(focus_pod(&pod, "payment", NULL));	/* its Deployment */
	CHECK(!focus_pod(&pod, "payment-7c9f8d6b5", NULL));
}
