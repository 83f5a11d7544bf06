/* Generated service pages from canned probe answers (the label sets
 * /api/v1/series and Loki's /series would return, the pods kubectl
 * lists): which convention is found, the exact queries written, the
 * panels, and that the page is a valid dashboard whose every panel its
 * widget accepts (as --check would say). */
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/jdoc.h"
#include "core/kube.h"
#include "core/slo.h"
#include "core/svcpage.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"
#include "widgets/widget.h"

/* "name{k=v,k=v}" -> a label set */
static void
ls_from(struct labelset *ls, const char *spec)
{
	char *copy = xstrdup(spec), *brace = strchr(copy, '{'), *save = NULL;

	labels_init(ls);
	if (brace) {
		*brace = '\0';
		brace[strlen(brace + 1)] = '\0';
		for (char *kv = strtok_r(brace + 1, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(kv, '=');
			if (eq) {
				*eq = '\0';
				labels_set(ls, kv, eq + 1);
			}
		}
	}
	labels_set(ls, "__name__", copy);
	labels_finish(ls);
	free(copy);
}

struct built {
	struct labelset	 ls[16], st[8];
	size_t		 n, nst;
	struct dashboard *db;
	cJSON		*doc;
};

/* Pods as kubectl lists them: "ns/name owner_kind/owner_name label=v,..." */
struct podspec {
	const char	*ns, *name, *okind, *oname, *lk, *lv;
};

static void
build_with(struct built *b, const char *svc, const char *const *series, const char *const *streams,
    const struct slo_set *slos, const struct podspec *pods, size_t npods, int kube)
{
	struct kpod kp[8];
	struct klabel kl[8];
	const struct kpod *pp[8];
	struct svc_probe pr;
	struct diag dg;
	char *text;

	memset(b, 0, sizeof *b);
	for (; series && *series && b->n < 16; series++)
		ls_from(&b->ls[b->n++], *series);
	for (; streams && *streams && b->nst < 8; streams++)
		ls_from(&b->st[b->nst++], *streams);
	memset(kp, 0, sizeof kp);
	for (size_t i = 0; i < npods && i < 8; i++) {
		kp[i].meta.ns = (char *)pods[i].ns;
		kp[i].meta.name = (char *)pods[i].name;
		kp[i].owner_kind = (char *)pods[i].okind;
		kp[i].owner_name = (char *)pods[i].oname;
		kl[i].k = (char *)pods[i].lk;
		kl[i].v = (char *)pods[i].lv;
		kp[i].labels = pods[i].lk ? &kl[i] : NULL;
		kp[i].nlabels = pods[i].lk ? 1 : 0;
		pp[i] = &kp[i];
	}
	memset(&pr, 0, sizeof pr);
	pr.service = svc;
	pr.series = b->ls;
	pr.nseries = b->n;
	pr.streams = b->st;
	pr.nstreams = b->nst;
	pr.pods = pp;
	pr.npods = npods;
	pr.prom = "prometheus";
	pr.loki = "loki";
	pr.kube = kube ? "kubectl" : NULL;
	pr.slos = slos;
	pr.topology = 1;
	pr.when = "02:30:00";
	b->doc = svcpage_build(&pr);
	text = jdoc_print(b->doc);
	diag_init(&dg);
	b->db = dashboard_parse(text, strlen(text), "<service page>", &dg);
	if (!b->db)
		t_fail(__FILE__, __LINE__, "page does not parse: %s", diag_first_error(&dg));
	else
		widgets_check(b->db, &dg);
	/* every panel type and option a widget accepts */
	for (size_t i = 0; i < dg.n; i++)
		t_fail(__FILE__, __LINE__, "page diagnostic: %s", dg.e[i].msg);
	diag_free(&dg);
	free(text);
}

static void
build(struct built *b, const char *svc, const char *const *series, const char *loki_label,
    const struct slo_set *slos, int kube)
{
	static const struct podspec order_pods[] = {
		{ "shop", "order-6b7d9c5f8-x2k4p", "ReplicaSet", "order-6b7d9c5f8", "app", "order" },
		{ "shop", "order-6b7d9c5f8-a1b2c", "ReplicaSet", "order-6b7d9c5f8", "app", "order" },
		{ "shop", "cart-5f8d9b7c6-a1b2c", "ReplicaSet", "cart-5f8d9b7c6", "app", "cart" },
	};
	char stream[160];
	const char *streams[] = { stream, "{app=frontend,namespace=shop}", NULL };

	snprintf(stream, sizeof stream, "{%s=%s,namespace=shop,pod=%s-1}", loki_label ? loki_label : "x",
	    svc, svc);
	build_with(b, svc, series, loki_label ? streams : NULL, slos, order_pods, 3, kube);
}

static void
unbuild(struct built *b)
{
	for (size_t i = 0; i < b->n; i++)
		labels_free(&b->ls[i]);
	for (size_t i = 0; i < b->nst; i++)
		labels_free(&b->st[i]);
	dashboard_free(b->db);
	cJSON_Delete(b->doc);
}

static const struct dash_panel *
titled(const struct dashboard *db, const char *title)
{
	for (size_t i = 0; db && i < db->npanels; i++)
		if (strcmp(db->panels[i].title, title) == 0)
			return &db->panels[i];
	return NULL;
}

static size_t
ntype(const struct dashboard *db, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; db && i < db->npanels; i++)
		n += strcmp(db->panels[i].type, type) == 0;
	return n;
}

static const char *
qexpr(const struct dash_panel *p, size_t i)
{
	return p && i < p->nq ? p->q[i].expr : NULL;
}

TEST(svcpage_istio_ms_with_everything)
{
	static const char *const series[] = {
		"istio_requests_total{reporter=destination,destination_service_name=order,"
		"destination_service=order.shop.svc.cluster.local,destination_service_namespace=shop,"
		"destination_workload=order,response_code=200}",
		"istio_requests_total{reporter=destination,destination_service_name=order,"
		"destination_workload=order,response_code=503}",
		"istio_request_duration_milliseconds_bucket{reporter=destination,destination_service_name=order,le=+Inf}",
		NULL };
	struct slo_set slos = { 0 };
	struct diag dg;
	struct built b;
	const struct dash_panel *p;

	diag_init(&dg);
	CHECK(slo_load_file(&slos, t_fixture("slo/sloth.yaml"), &dg) == 2);
	diag_free(&dg);
	build(&b, "order", series, "app", &slos, 1);
	CHECK(b.db != NULL);
	CHECK_STR(b.db ? b.db->title : NULL, "service order");
	CHECK_INT(ntype(b.db, "row"), 5);
	CHECK_INT(ntype(b.db, "graph"), 3);
	CHECK_INT(ntype(b.db, "heatmap"), 1);
	CHECK_INT(ntype(b.db, "table"), 2);
	CHECK_INT(ntype(b.db, "topology"), 1);
	CHECK_INT(ntype(b.db, "pods"), 1);
	CHECK_INT(ntype(b.db, "events"), 1);
	CHECK_INT(ntype(b.db, "logs"), 1);
	CHECK_INT(ntype(b.db, "slo"), 2);
	p = titled(b.db, "Request rate by status");
	CHECK_STR(qexpr(p, 0), "sum by (response_code) (rate(istio_requests_total{destination_service_name="
	    "\"order\",reporter=\"destination\"}[$__rate_interval]))");
	CHECK_STR(p ? p->q[0].legend : NULL, "{{response_code}}");
	p = titled(b.db, "Error ratio");
	CHECK_STR(qexpr(p, 0), "sum(rate(istio_requests_total{destination_service_name=\"order\",reporter="
	    "\"destination\",response_code=~\"5..\"}[$__rate_interval])) / sum(rate(istio_requests_total{"
	    "destination_service_name=\"order\",reporter=\"destination\"}[$__rate_interval]))");
	CHECK(p && p->nth == 2 && p->th[1].value == 0.05);
	p = titled(b.db, "Latency P50 / P99");
	CHECK_STR(qexpr(p, 1), "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_"
	    "bucket{destination_service_name=\"order\",reporter=\"destination\"}[$__rate_interval])))");
	CHECK_STR(p ? p->unit : NULL, "ms");
	p = titled(b.db, "Latency distribution");
	CHECK(p && strcmp(p->type, "heatmap") == 0);
	CHECK_STR(qexpr(p, 0), "sum by (le) (rate(istio_request_duration_milliseconds_bucket{"
	    "destination_service_name=\"order\",reporter=\"destination\"}[$__rate_interval]))");
	p = titled(b.db, "Outbound: callees");
	CHECK_STR(qexpr(p, 0), "sum by (destination_service_name) (rate(istio_requests_total{reporter=\"source\","
	    "source_workload=~\"order\"}[5m]))");
	CHECK(p && p->nq && cJSON_IsTrue(cJSON_GetObjectItem(p->q[0].cfg, "instant")));
	p = titled(b.db, "Inbound: callers");
	CHECK_STR(qexpr(p, 0), "sum by (source_workload, source_workload_namespace) (rate(istio_requests_total{"
	    "destination_service_name=\"order\",reporter=\"destination\"}[5m]))");
	p = titled(b.db, "Log lines");
	CHECK_STR(qexpr(p, 0), "{namespace=\"shop\", app=\"order\"}");
	CHECK_STR(p ? p->source : NULL, "loki");
	p = titled(b.db, "Pods");
	CHECK_STR(qexpr(p, 0), "app=order");	/* the label the listed pods carry */
	CHECK_STR(p ? p->source : NULL, "kubectl");
	p = titled(b.db, "Events");
	CHECK_STR(qexpr(p, 0), "");
	CHECK_STR(p ? cJSON_GetObjectItem(p->options, "filter")->valuestring : NULL,
	    "/order(-[a-z0-9]+){0,2} shop( |$)");
	CHECK_INT(ntype(b.db, "text"), 1);
	p = titled(b.db, "About this page");
	CHECK_CONTAINS(p ? cJSON_GetObjectItem(p->options, "content")->valuestring : NULL,
	    "Generated for order at 02:30:00");
	CHECK_CONTAINS(p ? cJSON_GetObjectItem(p->options, "content")->valuestring : NULL,
	    "logs: Loki label app (1 stream); pods: app=order (2); 2 SLOs");
	p = titled(b.db, "order-requests-availability");
	/* its ticket alert is disabled in the Sloth file: 2 windows survive the page,
	 * so 5m 30m 1h 6h, the 30d period and the budget range: 6 queries */
	CHECK(p && p->slo && p->slo->nwin == 2 && p->nq == 6);
	CHECK(b.db && b.db->slos->n == 2);
	CHECK_CONTAINS(cJSON_GetObjectItem(b.doc, "description")->valuestring,
	    "metrics: Istio (ms) (destination_service_name)");
	unbuild(&b);
	slo_set_free(&slos);
}

TEST(svcpage_istio_seconds_and_fqdn)
{
	static const char *const secs[] = {
		"istio_requests_total{reporter=destination,destination_service_name=cart,response_code=200}",
		"istio_request_duration_seconds_bucket{destination_service_name=cart,le=+Inf}", NULL };
	static const char *const fqdn[] = {
		"istio_requests_total{reporter=destination,destination_service=cart.shop.svc.cluster.local,"
		"destination_workload=cart-v2}", NULL };
	struct built b;
	const struct dash_panel *p;

	build(&b, "cart", secs, NULL, NULL, 0);
	p = titled(b.db, "Latency P50 / P99");
	CHECK_STR(p ? p->unit : NULL, "s");
	CHECK_CONTAINS(qexpr(p, 0), "istio_request_duration_seconds_bucket{destination_service_name=\"cart\"");
	CHECK_INT(ntype(b.db, "pods"), 0);	/* no kubectl source */
	p = titled(b.db, "Log lines");
	CHECK_STR(qexpr(p, 0), "{app=\"cart\"}");	/* label not probed: app assumed */
	CHECK_CONTAINS(cJSON_GetObjectItem(b.doc, "description")->valuestring, "Loki label app (assumed: no stream carries the name)");
	unbuild(&b);
	build(&b, "cart", fqdn, "app", NULL, 0);
	p = titled(b.db, "Error ratio");
	CHECK_CONTAINS(qexpr(p, 0), "istio_requests_total{destination_service=\"cart.shop.svc.cluster.local\","
	    "reporter=\"destination\",response_code=~\"5..\"}");
	CHECK(titled(b.db, "Latency P50 / P99") == NULL);	/* no histogram found */
	p = titled(b.db, "Outbound: callees");
	CHECK_CONTAINS(qexpr(p, 0), "source_workload=~\"cart-v2\"");
	unbuild(&b);
}

TEST(svcpage_opentelemetry_job_and_spanmetrics)
{
	static const char *const otel[] = {
		"http_server_request_duration_seconds_count{job=shop/frontend.web,http_response_status_code=200}",
		"http_server_request_duration_seconds_bucket{job=shop/frontend.web,le=+Inf}", NULL };
	static const char *const tempo[] = {
		"traces_spanmetrics_calls_total{service=payment,span_kind=SPAN_KIND_SERVER,status_code=STATUS_CODE_OK}",
		"traces_spanmetrics_latency_bucket{service=payment,le=+Inf}",
		"traces_service_graph_request_total{client=order,server=payment}", NULL };
	struct built b;
	const struct dash_panel *p;

	build(&b, "frontend.web", otel, "service_name", NULL, 0);
	p = titled(b.db, "Error ratio");
	/* the dot of the name is escaped inside the job regex */
	CHECK_STR(qexpr(p, 0), "sum(rate(http_server_request_duration_seconds_count{job=~\"(.+/)?frontend\\\\.web\","
	    "http_response_status_code=~\"5..\"}[$__rate_interval])) / sum(rate(http_server_request_duration_"
	    "seconds_count{job=~\"(.+/)?frontend\\\\.web\"}[$__rate_interval]))");
	CHECK_INT(ntype(b.db, "table"), 0);	/* no edges known */
	/* the stream's namespace narrows the selector */
	CHECK_STR(qexpr(titled(b.db, "Log lines"), 0), "{namespace=\"shop\", service_name=\"frontend.web\"}");
	unbuild(&b);
	build(&b, "payment", tempo, NULL, NULL, 0);
	p = titled(b.db, "Request rate by status");
	CHECK_STR(qexpr(p, 0), "sum by (status_code) (rate(traces_spanmetrics_calls_total{service=\"payment\","
	    "span_kind=\"SPAN_KIND_SERVER\"}[$__rate_interval]))");
	p = titled(b.db, "Error ratio");
	CHECK_CONTAINS(qexpr(p, 0), "status_code=\"STATUS_CODE_ERROR\"");
	p = titled(b.db, "Inbound: callers");
	CHECK_STR(qexpr(p, 0), "sum by (client) (rate(traces_service_graph_request_total{server=\"payment\"}[5m]))");
	CHECK_STR(titled(b.db, "Latency P50 / P99") ? titled(b.db, "Latency P50 / P99")->unit : NULL, "s");
	unbuild(&b);
}

TEST(svcpage_nothing_found_still_useful)
{
	struct built b;
	const struct dash_panel *p;

	build(&b, "ghost", NULL, NULL, NULL, 1);
	p = titled(b.db, "No metrics found");
	CHECK(p && strcmp(p->type, "text") == 0);
	CHECK_CONTAINS(p ? cJSON_GetObjectItem(p->options, "content")->valuestring : NULL, "No metrics for 'ghost'");
	CHECK_INT(ntype(b.db, "graph"), 0);
	CHECK_INT(ntype(b.db, "pods"), 1);
	CHECK_INT(ntype(b.db, "logs"), 1);
	CHECK_CONTAINS(cJSON_GetObjectItem(b.doc, "description")->valuestring, "metrics: none found");
	unbuild(&b);
}

TEST(svcpage_probes_list)
{
	char **p = svcpage_probes("order");
	size_t n = 0;
	int istio = 0, otel = 0, graph = 0;

	for (; p[n]; n++) {
		istio |= strcmp(p[n], "istio_requests_total{destination_service_name=\"order\"}") == 0;
		otel |= strcmp(p[n], "http_server_request_duration_seconds_count{job=~\"(.+/)?order\"}") == 0;
		graph |= strcmp(p[n], "traces_service_graph_request_total{server=\"order\"}") == 0;
		for (size_t k = 0; k < n; k++)
			if (strcmp(p[k], p[n]) == 0)
				t_fail(__FILE__, __LINE__, "duplicate probe %s", p[n]);
	}
	CHECK(istio && otel && graph);
	CHECK(n >= 10);
	svcpage_free_probes(p);
	/* names that could break out of a selector are refused */
	p = svcpage_probes("a\"} or vector(1) #");
	CHECK(p[0] == NULL);
	svcpage_free_probes(p);
	CHECK(!svcpage_name_ok("x\\y") && svcpage_name_ok("shop/checkout-v2.web"));
}

TEST(svcpage_pods_by_owner_and_loki_job)
{
	/* no label names the service: pods of the workload by name; promtail's
	 * job "ns/name" for Loki */
	static const struct podspec pods[] = {
		{ "shop", "ledger-7f9c-abcde", "ReplicaSet", "ledger-7f9c", "app.kubernetes.io/part-of", "x" },
		{ "shop", "ledger-0", "StatefulSet", "ledger", NULL, NULL },
		{ "shop", "ledger-db-0", "StatefulSet", "ledger-db", NULL, NULL },
	};
	static const char *const streams[] = { "{job=shop/ledger,namespace=shop}", "{job=shop/ledger-db}", NULL };
	struct built b;
	const struct dash_panel *p;

	build_with(&b, "ledger", NULL, streams, NULL, pods, 3, 1);
	p = titled(b.db, "Pods");
	CHECK_STR(qexpr(p, 0), "");
	CHECK_STR(p ? cJSON_GetObjectItem(p->options, "filter")->valuestring : NULL,
	    "^ledger-[a-z0-9]+(-[a-z0-9]+)? ");
	CHECK_STR(qexpr(titled(b.db, "Log lines"), 0), "{namespace=\"shop\", job=~\"(.+/)?ledger\"}");
	CHECK_CONTAINS(cJSON_GetObjectItem(b.doc, "description")->valuestring,
	    "logs: Loki label job (1 stream); pods: owned by ledger (2)");
	CHECK(titled(b.db, "No metrics found") != NULL);
	unbuild(&b);
	/* nothing listed: the common label, still live */
	build_with(&b, "ledger", NULL, NULL, NULL, NULL, 0, 1);
	CHECK_STR(qexpr(titled(b.db, "Pods"), 0), "app=ledger");
	CHECK_CONTAINS(cJSON_GetObjectItem(b.doc, "description")->valuestring, "pods: none found (app=ledger assumed)");
	unbuild(&b);
}

TEST(svcpage_loki_probes_list)
{
	char **p = svcpage_loki_probes("web.v2");
	size_t n = 0;

	for (; p[n]; n++)
		;
	CHECK(n >= 5);
	CHECK_STR(p[0], "{app=\"web.v2\"}");
	for (size_t i = 0; i < n; i++)
		if (strncmp(p[i], "{job=", 5) == 0)
			CHECK_STR(p[i], "{job=~\"(.+/)?web\\\\.v2\"}");
	svcpage_free_probes(p);
	p = svcpage_loki_probes("x\"}");
	CHECK(p[0] == NULL);
	svcpage_free_probes(p);
}
