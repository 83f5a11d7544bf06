/* svcpage: probes for a service and the page built from their answers.
 * Invariant: every selector the builder writes holds the service name
 * only after svcpage_name_ok() accepted it (regex metacharacters escaped
 * where the name goes into =~). */
#include "core/svcpage.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/kube.h"
#include "core/slo.h"
#include "core/xalloc.h"

const char *const svcpage_loki_labels[] = { "app", "service_name", "service", "app_kubernetes_io_name",
	"container", "job", NULL };

/* A naming convention: where requests, errors and latency live. */
struct conv {
	const char	*what;		/* for the page description */
	const char	*requests;	/* counter (or histogram _count) */
	const char	*bucket;	/* histogram buckets, or NULL */
	const char	*label;		/* label holding the service name */
	const char	*code;		/* status label to split the rate by */
	const char	*err;		/* matcher of failed requests */
	const char	*unit;		/* of the buckets */
	const char	*extra;		/* extra matcher for the service's own view, or NULL */
	int		 job;		/* label is "job" with an optional "namespace/" prefix */
};

static const struct conv convs[] = {
	{ "Istio (ms)", "istio_requests_total", "istio_request_duration_milliseconds_bucket",
	  "destination_service_name", "response_code", "response_code=~\"5..\"", "ms",
	  "reporter=\"destination\"", 0 },
	{ "Istio (s)", "istio_requests_total", "istio_request_duration_seconds_bucket",
	  "destination_service_name", "response_code", "response_code=~\"5..\"", "s",
	  "reporter=\"destination\"", 0 },
	{ "OpenTelemetry HTTP server", "http_server_request_duration_seconds_count",
	  "http_server_request_duration_seconds_bucket", "service_name", "http_response_status_code",
	  "http_response_status_code=~\"5..\"", "s", NULL, 0 },
	{ "OpenTelemetry HTTP server", "http_server_request_duration_seconds_count",
	  "http_server_request_duration_seconds_bucket", "job", "http_response_status_code",
	  "http_response_status_code=~\"5..\"", "s", NULL, 1 },
	{ "OpenTelemetry HTTP server (old conventions)", "http_server_duration_milliseconds_count",
	  "http_server_duration_milliseconds_bucket", "job", "http_status_code",
	  "http_status_code=~\"5..\"", "ms", NULL, 1 },
	{ "OpenTelemetry span metrics", "traces_span_metrics_calls_total",
	  "traces_span_metrics_duration_milliseconds_bucket", "service_name", "status_code",
	  "status_code=\"STATUS_CODE_ERROR\"", "ms", "span_kind=\"SPAN_KIND_SERVER\"", 0 },
	{ "OpenTelemetry span metrics", "calls_total", "duration_milliseconds_bucket", "service_name",
	  "status_code", "status_code=\"STATUS_CODE_ERROR\"", "ms", "span_kind=\"SPAN_KIND_SERVER\"", 0 },
	{ "Tempo span metrics", "traces_spanmetrics_calls_total", "traces_spanmetrics_latency_bucket",
	  "service", "status_code", "status_code=\"STATUS_CODE_ERROR\"", "s",
	  "span_kind=\"SPAN_KIND_SERVER\"", 0 },
	{ "Spring Boot (Micrometer)", "http_server_requests_seconds_count",
	  "http_server_requests_seconds_bucket", "application", "status", "status=~\"5..\"", "s", NULL, 0 },
	{ "Prometheus client", "http_requests_total", "http_request_duration_seconds_bucket", "service",
	  "code", "code=~\"5..\"", "s", NULL, 0 },
	{ "Prometheus client", "http_requests_total", "http_request_duration_seconds_bucket", "app",
	  "code", "code=~\"5..\"", "s", NULL, 0 },
	{ "Prometheus client", "http_requests_total", "http_request_duration_seconds_bucket", "job",
	  "code", "code=~\"5..\"", "s", NULL, 1 },
};
#define NCONV	(sizeof convs / sizeof *convs)

int
svcpage_name_ok(const char *n)
{
	if (!n || !*n || strlen(n) > 200)
		return 0;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && !strchr("._:/-", *n))
			return 0;
	return 1;
}

static char *
regex_quote(const char *s)
{
	struct buf b;

	buf_init(&b, 1024);
	for (; *s; s++) {
		if (strchr(".^$|?*+()[]{}\\", *s))
			buf_puts(&b, "\\\\");
		buf_putc(&b, *s);
	}
	return buf_steal(&b, NULL);
}

static char *
name_matcher(const struct conv *c, const char *svc)
{
	if (c->job) {
		char *q = regex_quote(svc), *m = xasprintf("job=~\"(.+/)?%s\"", q);
		free(q);
		return m;
	}
	return xasprintf("%s=\"%s\"", c->label, svc);
}

char **
svcpage_probes(const char *svc)
{
	char **out = xcalloc(NCONV + 8, sizeof *out);
	size_t n = 0;

	if (!svcpage_name_ok(svc))
		return out;
	for (size_t i = 0; i < NCONV; i++) {
		char *m = name_matcher(&convs[i], svc);
		int dup = 0;
		char *sel = xasprintf("%s{%s}", convs[i].requests, m);
		for (size_t k = 0; k < n; k++)
			dup |= strcmp(out[k], sel) == 0;
		if (dup)
			free(sel);
		else
			out[n++] = sel;
		free(m);
	}
	/* the FQDN form of older Istio, and the service graph */
	{
		char *q = regex_quote(svc);
		out[n++] = xasprintf("istio_requests_total{destination_service=~\"%s\\\\..*\"}", q);
		out[n++] = xasprintf("istio_request_duration_milliseconds_bucket{destination_service_name=\"%s\",le=\"+Inf\"}", svc);
		out[n++] = xasprintf("istio_request_duration_seconds_bucket{destination_service_name=\"%s\",le=\"+Inf\"}", svc);
		out[n++] = xasprintf("traces_service_graph_request_total{server=\"%s\"}", svc);
		out[n++] = xasprintf("traces_service_graph_request_total{client=\"%s\"}", svc);
		free(q);
	}
	return out;
}

void
svcpage_free_probes(char **p)
{
	for (size_t i = 0; p && p[i]; i++)
		free(p[i]);
	free(p);
}

/* Loki: {LABEL="svc"} per candidate label; promtail's job is "ns/app". */
char **
svcpage_loki_probes(const char *svc)
{
	size_t nl = 0, n = 0;
	char **out;

	while (svcpage_loki_labels[nl])
		nl++;
	out = xcalloc(nl + 1, sizeof *out);
	if (!svcpage_name_ok(svc))
		return out;
	for (size_t i = 0; i < nl; i++) {
		if (strcmp(svcpage_loki_labels[i], "job") == 0) {
			char *q = regex_quote(svc);
			out[n++] = xasprintf("{job=~\"(.+/)?%s\"}", q);
			free(q);
		} else
			out[n++] = xasprintf("{%s=\"%s\"}", svcpage_loki_labels[i], svc);
	}
	return out;
}

/* ------------------------------------------------------------- analysis */

struct found {
	const struct conv	*c;
	int			 bucket;	/* its histogram exists */
	char			*fqdn;		/* Istio without destination_service_name */
	char			*ns;		/* namespace of the service, if a label says */
	char			 workloads[512];	/* destination workloads, "a|b" */
	int			 graph_in, graph_out;	/* service-graph edges exist */
};

static int
name_is(const struct labelset *ls, const char *metric)
{
	const char *n = labels_get(ls, "__name__");
	return n && strcmp(n, metric) == 0;
}

static int
label_matches(const struct conv *c, const struct labelset *ls, const char *svc)
{
	const char *v = labels_get(ls, c->label);
	size_t vl, sl = strlen(svc);

	if (!v)
		return 0;
	if (!c->job)
		return strcmp(v, svc) == 0;
	vl = strlen(v);
	return strcmp(v, svc) == 0 || (vl > sl && v[vl - sl - 1] == '/' && strcmp(v + vl - sl, svc) == 0);
}

static void
add_workload(struct found *f, const char *w)
{
	char pat[256];

	if (!w || !svcpage_name_ok(w))
		return;
	snprintf(pat, sizeof pat, "%s%s", f->workloads[0] ? "|" : "", w);
	if (!strstr(f->workloads, w) && strlen(f->workloads) + strlen(pat) < sizeof f->workloads)
		strcat(f->workloads, pat);
}

static void
analyse(const struct svc_probe *pr, struct found *f)
{
	const char *svc = pr->service;
	size_t sl = strlen(svc);

	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < NCONV && !f->c; i++)
		for (size_t k = 0; k < pr->nseries; k++)
			if (name_is(&pr->series[k], convs[i].requests) &&
			    label_matches(&convs[i], &pr->series[k], svc)) {
				f->c = &convs[i];
				break;
			}
	for (size_t k = 0; k < pr->nseries; k++) {
		const struct labelset *ls = &pr->series[k];
		const char *ds = labels_get(ls, "destination_service");
		if (!f->c && name_is(ls, "istio_requests_total") && ds && strncmp(ds, svc, sl) == 0 &&
		    ds[sl] == '.' && !f->fqdn) {
			f->c = &convs[0];
			f->fqdn = xstrdup(ds);
		}
		if (name_is(ls, "traces_service_graph_request_total")) {
			const char *s = labels_get(ls, "server"), *c = labels_get(ls, "client");
			f->graph_in |= s && strcmp(s, svc) == 0;
			f->graph_out |= c && strcmp(c, svc) == 0;
		}
	}
	if (!f->c)
		return;
	for (size_t k = 0; k < pr->nseries; k++) {
		const struct labelset *ls = &pr->series[k];
		const char *ns;
		if (!(f->fqdn || label_matches(f->c, ls, svc)) ||
		    (f->fqdn && !(labels_get(ls, "destination_service") &&
		    strcmp(labels_get(ls, "destination_service"), f->fqdn) == 0)))
			continue;
		/* ms or s histograms of Istio: take the one that exists */
		if (strncmp(f->c->requests, "istio_", 6) == 0 &&
		    name_is(ls, "istio_request_duration_seconds_bucket") && !f->bucket)
			f->c = &convs[1];
		if (f->c->bucket && name_is(ls, f->c->bucket))
			f->bucket = 1;
		add_workload(f, labels_get(ls, "destination_workload"));
		if (!f->ns && ((ns = labels_get(ls, "destination_service_namespace")) ||
		    (ns = labels_get(ls, "destination_workload_namespace")) ||
		    (ns = labels_get(ls, "service_namespace")) || (ns = labels_get(ls, "namespace"))) &&
		    svcpage_name_ok(ns))
			f->ns = xstrdup(ns);
	}
}

/* --------------------------------------------------------------- output */

struct page {
	cJSON	*doc, *panels, *row;	/* row: the "panels" of the open row */
	int	 y, x, rowh;
	int	 id;
};

static void
must(const void *p)
{
	if (!p)
		fatal("out of memory (json)");
}

static void
open_row(struct page *pg, const char *title)
{
	cJSON *r = cJSON_CreateObject(), *g;

	if (pg->x) {
		pg->y += pg->rowh;
		pg->x = 0;
		pg->rowh = 0;
	}
	must(r);
	cJSON_AddStringToObject(r, "type", "row");
	cJSON_AddStringToObject(r, "title", title);
	must(g = cJSON_AddObjectToObject(r, "grid"));
	cJSON_AddNumberToObject(g, "x", 0);
	cJSON_AddNumberToObject(g, "y", pg->y);
	cJSON_AddNumberToObject(g, "w", 24);
	cJSON_AddNumberToObject(g, "h", 1);
	cJSON_AddItemToArray(pg->panels, r);
	must(pg->row = cJSON_AddArrayToObject(r, "panels"));
	pg->y++;
}

static cJSON *
panel(struct page *pg, const char *type, const char *title, const char *source, int w, int h)
{
	cJSON *p = cJSON_CreateObject(), *g;

	must(p);
	if (pg->x + w > 24) {
		pg->y += pg->rowh;
		pg->x = 0;
		pg->rowh = 0;
	}
	cJSON_AddNumberToObject(p, "id", ++pg->id);
	cJSON_AddStringToObject(p, "type", type);
	cJSON_AddStringToObject(p, "title", title);
	if (source)
		cJSON_AddStringToObject(p, "source", source);
	must(g = cJSON_AddObjectToObject(p, "grid"));
	cJSON_AddNumberToObject(g, "x", pg->x);
	cJSON_AddNumberToObject(g, "y", pg->y);
	cJSON_AddNumberToObject(g, "w", w);
	cJSON_AddNumberToObject(g, "h", h);
	pg->x += w;
	if (h > pg->rowh)
		pg->rowh = h;
	cJSON_AddItemToArray(pg->row ? pg->row : pg->panels, p);
	return p;
}

static void
query(cJSON *p, const char *expr, const char *legend, int instant)
{
	cJSON *qs = cJSON_GetObjectItemCaseSensitive(p, "queries"), *q = cJSON_CreateObject();

	if (!qs)
		must(qs = cJSON_AddArrayToObject(p, "queries"));
	must(q);
	cJSON_AddStringToObject(q, "query", expr);
	if (legend)
		cJSON_AddStringToObject(q, "legend", legend);
	if (instant)
		cJSON_AddBoolToObject(q, "instant", 1);
	cJSON_AddItemToArray(qs, q);
}

static void
threshold(cJSON *p, double v, const char *role)
{
	cJSON *th = cJSON_GetObjectItemCaseSensitive(p, "thresholds"), *t = cJSON_CreateObject();

	if (!th)
		must(th = cJSON_AddArrayToObject(p, "thresholds"));
	must(t);
	cJSON_AddNumberToObject(t, "value", v);
	cJSON_AddStringToObject(t, "role", role);
	cJSON_AddItemToArray(th, t);
}

/* The selector of the service's own requests: {label="svc", extra}. */
static char *
selector(const struct found *f, const char *svc, const char *more)
{
	char *m = f->fqdn ? xasprintf("destination_service=\"%s\"", f->fqdn) : name_matcher(f->c, svc);
	char *s = xasprintf("{%s%s%s%s%s}", m, f->c->extra ? "," : "", f->c->extra ? f->c->extra : "",
	    more ? "," : "", more ? more : "");
	free(m);
	return s;
}

static void
red_panels(struct page *pg, const struct svc_probe *pr, const struct found *f)
{
	const char *svc = pr->service;
	char *sel = selector(f, svc, NULL), *err = selector(f, svc, f->c->err), *e, leg[64];
	cJSON *p;

	open_row(pg, "Requests, errors, latency");
	p = panel(pg, "graph", "Request rate by status", pr->prom, 8, 8);
	e = xasprintf("sum by (%s) (rate(%s%s[$__rate_interval]))", f->c->code, f->c->requests, sel);
	snprintf(leg, sizeof leg, "{{%s}}", f->c->code);
	query(p, e, leg, 0);
	free(e);
	cJSON_AddStringToObject(p, "unit", "reqps");
	p = panel(pg, "graph", "Error ratio", pr->prom, 8, 8);
	e = xasprintf("sum(rate(%s%s[$__rate_interval])) / sum(rate(%s%s[$__rate_interval]))",
	    f->c->requests, err, f->c->requests, sel);
	query(p, e, "errors", 0);
	free(e);
	cJSON_AddStringToObject(p, "unit", "percentunit");
	cJSON_AddNumberToObject(p, "min", 0);
	threshold(p, 0.01, "warn");
	threshold(p, 0.05, "error");
	if (f->bucket) {
		p = panel(pg, "graph", "Latency P50 / P99", pr->prom, 8, 8);
		e = xasprintf("histogram_quantile(0.5, sum by (le) (rate(%s%s[$__rate_interval])))",
		    f->c->bucket, sel);
		query(p, e, "P50", 0);
		free(e);
		e = xasprintf("histogram_quantile(0.99, sum by (le) (rate(%s%s[$__rate_interval])))",
		    f->c->bucket, sel);
		query(p, e, "P99", 0);
		free(e);
		cJSON_AddStringToObject(p, "unit", f->c->unit);
		p = panel(pg, "heatmap", "Latency distribution", pr->prom, 24, 8);
		e = xasprintf("sum by (le) (rate(%s%s[$__rate_interval]))", f->c->bucket, sel);
		query(p, e, NULL, 0);
		free(e);
		cJSON_AddStringToObject(p, "unit", f->c->unit);
	}
	free(sel);
	free(err);
}

static void
traffic_panels(struct page *pg, const struct svc_probe *pr, const struct found *f)
{
	const char *svc = pr->service;
	int istio = strncmp(f->c->requests, "istio_", 6) == 0, w = pr->topology ? 7 : 12;
	cJSON *p, *o;
	char *e;

	if (!istio && !f->graph_in && !f->graph_out)
		return;
	open_row(pg, "Callers and callees");
	if (istio) {
		char *sel = selector(f, svc, NULL);
		p = panel(pg, "table", "Inbound: callers", pr->prom, w, 8);
		e = xasprintf("sum by (source_workload, source_workload_namespace) (rate(%s%s[5m]))",
		    f->c->requests, sel);
		query(p, e, NULL, 1);
		free(e);
		cJSON_AddStringToObject(p, "unit", "reqps");
		free(sel);
		p = panel(pg, "table", "Outbound: callees", pr->prom, w, 8);
		e = xasprintf("sum by (destination_service_name) (rate(istio_requests_total{reporter=\"source\","
		    "source_workload=~\"%s\"}[5m]))", f->workloads[0] ? f->workloads : svc);
		query(p, e, NULL, 1);
		free(e);
		cJSON_AddStringToObject(p, "unit", "reqps");
	} else {
		p = panel(pg, "table", "Inbound: callers", pr->prom, w, 8);
		e = xasprintf("sum by (client) (rate(traces_service_graph_request_total{server=\"%s\"}[5m]))", svc);
		query(p, e, NULL, 1);
		free(e);
		p = panel(pg, "table", "Outbound: callees", pr->prom, w, 8);
		e = xasprintf("sum by (server) (rate(traces_service_graph_request_total{client=\"%s\"}[5m]))", svc);
		query(p, e, NULL, 1);
		free(e);
	}
	if (!pr->topology)
		return;
	p = panel(pg, "topology", "Topology around this service", pr->prom, 10, 8);
	must(o = cJSON_AddObjectToObject(p, "options"));
	cJSON_AddStringToObject(o, "focus", svc);
}

/* ------------------------------------------------------ logs and pods */

struct lfound {
	const char	*label;		/* Loki label carrying the name, or NULL */
	const char	*ns;		/* namespace label of those streams */
	size_t		 n;		/* streams found */
};

static int
job_is(const char *v, const char *svc)
{
	size_t vl = strlen(v), sl = strlen(svc);
	return strcmp(v, svc) == 0 || (vl > sl && v[vl - sl - 1] == '/' && strcmp(v + vl - sl, svc) == 0);
}

static void
analyse_loki(const struct svc_probe *pr, struct lfound *lf)
{
	memset(lf, 0, sizeof *lf);
	for (size_t i = 0; svcpage_loki_labels[i] && !lf->label; i++) {
		const char *l = svcpage_loki_labels[i];
		for (size_t k = 0; k < pr->nstreams; k++) {
			const char *v = labels_get(&pr->streams[k], l), *ns;
			if (!v || !(strcmp(l, "job") == 0 ? job_is(v, pr->service) : strcmp(v, pr->service) == 0))
				continue;
			lf->label = l;
			lf->n++;
			if (!lf->ns && (ns = labels_get(&pr->streams[k], "namespace")) && svcpage_name_ok(ns))
				lf->ns = ns;
		}
	}
}

/* Pod labels that name an application, best first. */
static const char *const kube_labels[] = { "app.kubernetes.io/name", "app",
	"service.istio.io/canonical-name", "k8s-app", "app.kubernetes.io/instance", NULL };

struct kfound {
	char		 sel[320];	/* label selector, or "" (then filter by name) */
	const char	*ns;
	size_t		 n;		/* pods found */
};

static const char *
pod_label(const struct kpod *p, const char *k)
{
	for (uint16_t i = 0; i < p->nlabels; i++)
		if (p->labels[i].k && strcmp(p->labels[i].k, k) == 0)
			return p->labels[i].v;
	return NULL;
}

/* The workload a pod belongs to: a ReplicaSet's Deployment (the name
 * without its template hash), else the owner itself. */
static int
owned_by(const struct kpod *p, const char *svc)
{
	size_t sl = strlen(svc);
	const char *o = p->owner_name, *dash;

	if (!o || !p->owner_kind)
		return 0;
	if (strcmp(p->owner_kind, "ReplicaSet") == 0 && (dash = strrchr(o, '-')))
		return (size_t)(dash - o) == sl && strncmp(o, svc, sl) == 0;
	return strcmp(o, svc) == 0;
}

static void
analyse_kube(const struct svc_probe *pr, struct kfound *kf)
{
	memset(kf, 0, sizeof *kf);
	for (size_t i = 0; kube_labels[i] && !kf->n; i++)
		for (size_t k = 0; k < pr->npods; k++) {
			const char *v = pod_label(pr->pods[k], kube_labels[i]);
			if (!v || strcmp(v, pr->service) != 0)
				continue;
			snprintf(kf->sel, sizeof kf->sel, "%s=%s", kube_labels[i], pr->service);
			kf->n++;
			if (!kf->ns && svcpage_name_ok(pr->pods[k]->meta.ns))
				kf->ns = pr->pods[k]->meta.ns;
		}
	for (size_t k = 0; k < pr->npods && !kf->sel[0]; k++)
		if (owned_by(pr->pods[k], pr->service)) {
			kf->n++;
			if (!kf->ns && svcpage_name_ok(pr->pods[k]->meta.ns))
				kf->ns = pr->pods[k]->meta.ns;
		}
}

static void
kube_panels(struct page *pg, const struct svc_probe *pr, const struct kfound *kf)
{
	char *q = regex_quote(pr->service), *re;
	cJSON *p, *o;

	if (!pr->kube) {
		free(q);
		return;
	}
	open_row(pg, "Kubernetes");
	p = panel(pg, "pods", "Pods", pr->kube, 12, 8);
	if (kf->sel[0])
		query(p, kf->sel, NULL, 0);
	else if (kf->n) {
		/* no label names it: the pods of the workload with its name
		 * (kubectl cannot select by owner), by pod name */
		query(p, "", NULL, 0);
		must(o = cJSON_AddObjectToObject(p, "options"));
		re = xasprintf("^%s-[a-z0-9]+(-[a-z0-9]+)? ", q);
		cJSON_AddStringToObject(o, "filter", re);
		free(re);
	} else {
		/* nothing found (yet): the common convention, live */
		re = xasprintf("app=%s", pr->service);
		query(p, re, NULL, 0);
		free(re);
	}
	/* events of the workload's objects: Deployment/x, ReplicaSet/x-hash, Pod/x-hash-id */
	p = panel(pg, "events", "Events", pr->kube, 12, 8);
	query(p, "", NULL, 0);
	must(o = cJSON_AddObjectToObject(p, "options"));
	re = kf->ns ? xasprintf("/%s(-[a-z0-9]+){0,2} %s( |$)", q, kf->ns) :
	    xasprintf("/%s(-[a-z0-9]+){0,2} ", q);
	cJSON_AddStringToObject(o, "filter", re);
	free(re);
	free(q);
}

static void
log_panel(struct page *pg, const struct svc_probe *pr, const struct lfound *lf, const char *ns)
{
	const char *label = lf->label ? lf->label : "app";
	cJSON *p;
	char *e, *m;

	if (!pr->loki)
		return;
	if (lf->ns)
		ns = lf->ns;
	open_row(pg, "Logs");
	p = panel(pg, "logs", "Log lines", pr->loki, 24, 12);
	if (strcmp(label, "job") == 0) {
		char *q = regex_quote(pr->service);
		m = xasprintf("job=~\"(.+/)?%s\"", q);
		free(q);
	} else
		m = xasprintf("%s=\"%s\"", label, pr->service);
	if (ns && strcmp(label, "namespace") != 0 && (lf->ns || !lf->label))
		e = xasprintf("{namespace=\"%s\", %s}", ns, m);
	else
		e = xasprintf("{%s}", m);
	query(p, e, NULL, 0);
	free(e);
	free(m);
}

static cJSON *
slo_json(const struct slo *s)
{
	cJSON *o = cJSON_CreateObject(), *w;
	char dur[32];

	must(o);
	cJSON_AddStringToObject(o, "name", s->name);
	if (s->service)
		cJSON_AddStringToObject(o, "service", s->service);
	if (s->source)
		cJSON_AddStringToObject(o, "source", s->source);
	cJSON_AddNumberToObject(o, "objective", s->objective);
	ts_fmt_promql_duration(dur, sizeof dur, s->period);
	cJSON_AddStringToObject(o, "period", dur);
	cJSON_AddStringToObject(o, "error_ratio", s->error_ratio);
	must(w = cJSON_AddArrayToObject(o, "windows"));
	for (size_t i = 0; i < s->nwin; i++) {
		cJSON *x = cJSON_CreateObject();
		char l[32], sh[32];
		must(x);
		ts_fmt_promql_duration(l, sizeof l, s->win[i].long_w);
		ts_fmt_promql_duration(sh, sizeof sh, s->win[i].short_w);
		cJSON_AddStringToObject(x, "long", l);
		cJSON_AddStringToObject(x, "short", sh);
		cJSON_AddNumberToObject(x, "factor", s->win[i].factor);
		cJSON_AddStringToObject(x, "severity", s->win[i].severity);
		cJSON_AddItemToArray(w, x);
	}
	return o;
}

static int
slo_panels(struct page *pg, const struct svc_probe *pr)
{
	size_t sl = strlen(pr->service);
	cJSON *slos = NULL;
	int n = 0;

	for (size_t i = 0; pr->slos && i < pr->slos->n; i++) {
		const struct slo *s = &pr->slos->v[i];
		cJSON *p, *o;
		if (!(s->service && strcmp(s->service, pr->service) == 0) &&
		    !(strncmp(s->name, pr->service, sl) == 0 && s->name[sl] == '-'))
			continue;
		if (!slos) {
			must(slos = cJSON_AddArrayToObject(pg->doc, "slos"));
			open_row(pg, "Service level objectives");
		}
		cJSON_AddItemToArray(slos, slo_json(s));
		p = panel(pg, "slo", s->name, s->source ? s->source : pr->prom, 12, 8);
		must(o = cJSON_AddObjectToObject(p, "options"));
		cJSON_AddStringToObject(o, "slo", s->name);
		n++;
	}
	return n;
}

static void
nothing_found(struct page *pg, const struct svc_probe *pr)
{
	cJSON *p = panel(pg, "text", "No metrics found", NULL, 24, 6), *o;
	char *t = xasprintf("# No metrics for '%s'\n"
	    "No series named the service under the Istio (destination_service_name, destination_service), "
	    "OpenTelemetry (service_name, job), span-metrics (service) or Prometheus client (service, app, "
	    "job, application) conventions%s.\n"
	    "- Check the name (a Kubernetes service or an OpenTelemetry service.name)\n"
	    "- Logs, pods and SLOs below do not need these metrics",
	    pr->service, pr->prom ? " in the last hour" : ": no Prometheus source is configured");

	must(o = cJSON_AddObjectToObject(p, "options"));
	cJSON_AddStringToObject(o, "content", t);
	free(t);
}

/* The page names the configured sources it uses; the app opening it keeps
 * its own instances of them (same names), so only the types are declared. */
static void
declare_sources(cJSON *doc, const struct svc_probe *pr)
{
	const char *names[3] = { pr->prom, pr->loki, pr->kube };
	static const char *const types[3] = { "prometheus", "loki", "kubectl" };
	cJSON *src = cJSON_AddObjectToObject(doc, "sources");

	must(src);
	for (int i = 0; i < 3; i++) {
		cJSON *o;
		if (!names[i] || cJSON_GetObjectItemCaseSensitive(src, names[i]))
			continue;
		must(o = cJSON_AddObjectToObject(src, names[i]));
		must(cJSON_AddStringToObject(o, "type", types[i]));
	}
}

/* The first panel: what the page was built from, and what is missing. */
static void
about_panel(struct page *pg, const struct svc_probe *pr, const char *desc)
{
	cJSON *p = panel(pg, "text", "About this page", NULL, 24, 3), *o;
	char *t = xasprintf("Generated for %s%s%s from what the sources answered: %s.%s%s",
	    pr->service, pr->when ? " at " : "", pr->when ? pr->when : "", desc,
	    pr->notes ? " Not answered: " : "", pr->notes ? pr->notes : "");

	must(o = cJSON_AddObjectToObject(p, "options"));
	cJSON_AddStringToObject(o, "content", t);
	free(t);
}

static void
describe(struct buf *d, const struct svc_probe *pr, const struct found *f, const struct lfound *lf,
    const struct kfound *kf, int nslo)
{
	if (f->c)
		buf_printf(d, "metrics: %s (%s%s%s)", f->c->what, f->fqdn ? "destination_service=" :
		    f->c->label, f->fqdn ? f->fqdn : "", f->bucket ? "" : ", no latency histogram");
	else
		buf_printf(d, "metrics: none found");
	if (pr->loki && lf->label)
		buf_printf(d, "; logs: Loki label %s (%zu stream%s)", lf->label, lf->n, lf->n == 1 ? "" : "s");
	else if (pr->loki)
		buf_printf(d, "; logs: Loki label app (assumed: no stream carries the name)");
	if (pr->kube && kf->sel[0])
		buf_printf(d, "; pods: %s (%zu)", kf->sel, kf->n);
	else if (pr->kube && kf->n)
		buf_printf(d, "; pods: owned by %s (%zu)", pr->service, kf->n);
	else if (pr->kube)
		buf_printf(d, "; pods: none found (app=%s assumed)", pr->service);
	buf_printf(d, "; %d SLO%s", nslo, nslo == 1 ? "" : "s");
}

cJSON *
svcpage_build(const struct svc_probe *pr)
{
	struct page pg;
	struct found f;
	struct lfound lf;
	struct kfound kf;
	struct buf desc;
	cJSON *slos;
	char *title;
	int nslo = 0, ok = svcpage_name_ok(pr->service);

	memset(&pg, 0, sizeof pg);
	must(pg.doc = cJSON_CreateObject());
	title = xasprintf("service %s", pr->service);
	cJSON_AddStringToObject(pg.doc, "title", title);
	free(title);
	buf_init(&desc, 4096);
	analyse(pr, &f);
	if (!ok)
		f.c = NULL;
	analyse_loki(pr, &lf);
	analyse_kube(pr, &kf);
	must(pg.panels = cJSON_AddArrayToObject(pg.doc, "panels"));
	/* the SLO count goes into the text at the top: count first */
	slos = cJSON_CreateObject();
	{
		struct page tmp = { .doc = slos, .panels = cJSON_AddArrayToObject(slos, "panels") };
		nslo = ok ? slo_panels(&tmp, pr) : 0;
	}
	cJSON_Delete(slos);
	describe(&desc, pr, &f, &lf, &kf, nslo);
	about_panel(&pg, pr, desc.data);
	if (f.c) {
		red_panels(&pg, pr, &f);
		traffic_panels(&pg, pr, &f);
	} else
		nothing_found(&pg, pr);
	if (ok) {
		kube_panels(&pg, pr, &kf);
		log_panel(&pg, pr, &lf, f.ns);
		slo_panels(&pg, pr);
	}
	cJSON_AddStringToObject(pg.doc, "description", desc.data);
	buf_free(&desc);
	declare_sources(pg.doc, pr);
	free(f.fqdn);
	free(f.ns);
	return pg.doc;
}
