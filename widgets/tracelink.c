/* tracelink: build pivot panel configs for traces and push them.
 * Invariant: nothing here fetches or draws; a pivot is a panel config
 * handed to the app (which copies it), so every string built here is
 * freed before returning. */
#include "widgets/tracelink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

#define EXPAND_MAX	(64 * 1024)

static const struct dash_source *
source_of_type(const struct dashboard *db, const char *name, const char *t1, const char *t2)
{
	if (name) {
		const struct dash_source *s = dashboard_source(db, name);
		if (s && (strcmp(s->type, t1) == 0 || (t2 && strcmp(s->type, t2) == 0)))
			return s;
		return NULL;
	}
	for (size_t i = 0; i < db->nsrc; i++)
		if (strcmp(db->src[i].type, t1) == 0)
			return &db->src[i];
	for (size_t i = 0; t2 && i < db->nsrc; i++)
		if (strcmp(db->src[i].type, t2) == 0)
			return &db->src[i];
	return NULL;
}

const char *
tracelink_source(const struct dashboard *db, const char *name)
{
	const struct dash_source *s = db ? source_of_type(db, name, "tempo", "jaeger") : NULL;
	return s ? s->name : NULL;
}

static void
panel_cfg(struct dash_panel *p, struct dash_query *q, size_t nq, const char *type, const char *title,
    const char *source)
{
	memset(p, 0, sizeof *p);
	p->type = (char *)type;
	p->title = (char *)title;
	p->source = (char *)source;
	p->q = q;
	p->nq = nq;
	p->decimals = -1;
	p->min = p->max = NAN;
	p->parent_row = -1;
	p->w = GRID_COLS;
	p->h = 10;
	p->path = (char *)"pivot";
}

static void
no_source(const struct wctx *c, const char *source)
{
	if (source)
		c->api->message(c->app, 1, "source '%s' is not a Tempo or Jaeger source", source);
	else
		c->api->message(c->app, 1, "no trace source: start scry with -t TEMPO_URL or --jaeger URL");
}

int
tracelink_open_trace(const struct wctx *c, const char *source, const char *trace_id, const char *why)
{
	const struct dash_source *s = source_of_type(c->db, source, "tempo", "jaeger");
	char id[TRACE_ID_HEX + 1], title[64];
	struct dash_query q = { .expr = id };
	struct dash_panel p;

	if (!s) {
		no_source(c, source);
		return -1;
	}
	if (!trace_id || trace_id_normalize(trace_id, id) < 0) {
		c->api->message(c->app, 1, "not a trace id: '%.40s' (expected up to 32 hex digits)",
		    trace_id ? trace_id : "");
		return -1;
	}
	snprintf(title, sizeof title, "trace %s", id);
	panel_cfg(&p, &q, 1, "trace", title, s->name);
	p.refresh = 60 * NS_PER_S;	/* a trace changes little once written */
	return c->api->push(c->app, &p, why ? why : "trace");
}

int
tracelink_open_search(const struct wctx *c, const char *source, const char *query, const char *why)
{
	const struct dash_source *s = source_of_type(c->db, source, "tempo", "jaeger");
	struct dash_query q = { .expr = (char *)(query ? query : "") };
	struct dash_panel p;
	char *title;
	int rc;

	if (!s) {
		no_source(c, source);
		return -1;
	}
	title = xasprintf("traces: %.200s", *q.expr ? q.expr : "recent");
	panel_cfg(&p, &q, 1, "tracesearch", title, s->name);
	rc = c->api->push(c->app, &p, why ? why : "trace search");
	free(title);
	return rc;
}

const char *
tracelink_attr(const struct ev_trace *t, size_t i, const char *key)
{
	const struct span *s = &t->s[i];
	const struct trace_res *r = s->res < t->nres ? &t->res[s->res] : NULL;

	for (uint32_t k = 0; k < s->nattr; k++)
		if (strcmp(s->attr[k].key, key) == 0)
			return s->attr[k].val;
	for (uint32_t k = 0; r && k < r->nattr; k++)
		if (strcmp(r->attr[k].key, key) == 0)
			return r->attr[k].val;
	if (r && strcmp(key, "service.name") == 0 && *r->service)
		return r->service;
	return NULL;
}

static const char *
var_value(const struct ev_trace *t, size_t i, const char *name)
{
	const struct span *s = &t->s[i];
	const char *v;

	if (strcmp(name, "service") == 0)
		return *trace_span_service(t, s) ? trace_span_service(t, s) : NULL;
	if (strcmp(name, "operation") == 0 || strcmp(name, "name") == 0)
		return s->name;
	if (strcmp(name, "trace_id") == 0)
		return t->trace_id;
	if (strcmp(name, "span_id") == 0)
		return s->span_id;
	if (strcmp(name, "namespace") == 0)
		return (v = tracelink_attr(t, i, "k8s.namespace.name")) ? v :
		    tracelink_attr(t, i, "service.namespace");
	if (strcmp(name, "pod") == 0)
		return tracelink_attr(t, i, "k8s.pod.name");
	return tracelink_attr(t, i, name);
}

char *
tracelink_expand(const char *tmpl, const struct ev_trace *t, size_t i, char **missing)
{
	struct buf b;
	const char *p = tmpl;

	if (missing)
		*missing = NULL;
	buf_init(&b, EXPAND_MAX);
	while (*p) {
		const char *e;
		if (p[0] == '$' && p[1] == '{' && (e = strchr(p + 2, '}')) && e - p - 2 < 256) {
			char name[256];
			const char *v;
			memcpy(name, p + 2, (size_t)(e - p - 2));
			name[e - p - 2] = '\0';
			v = var_value(t, i, name);
			if (!v && missing && !*missing)
				*missing = xstrdup(name);
			buf_puts(&b, v ? v : "");
			p = e + 1;
		} else
			buf_putc(&b, *p++);
	}
	return buf_steal(&b, NULL);
}

/* A LogQL string literal body: backslash and quote escaped. */
static void
logql_quote(struct buf *b, const char *v)
{
	buf_putc(b, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			buf_putc(b, '\\');
		if (*v == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *v);
	}
	buf_putc(b, '"');
}

char *
tracelink_logql(const cJSON *labels, const struct ev_trace *t, size_t i, int filter_id, char **err)
{
	struct buf b;
	int n = 0;
	static const char *const dflt[] = { "app", "service.name" };

	buf_init(&b, EXPAND_MAX);
	buf_putc(&b, '{');
	if (cJSON_IsObject(labels)) {
		for (const cJSON *l = labels->child; l; l = l->next) {
			const char *v = cJSON_IsString(l) ? var_value(t, i, l->valuestring) : NULL;
			if (!v || !*v || !l->string)
				continue;
			buf_printf(&b, "%s%s=", n++ ? ", " : "", l->string);
			logql_quote(&b, v);
		}
	} else {
		const char *v = var_value(t, i, dflt[1]);
		if (v && *v) {
			buf_printf(&b, "%s=", dflt[0]);
			logql_quote(&b, v);
			n++;
		}
	}
	buf_putc(&b, '}');
	if (!n) {
		*err = xstrdup("the span has none of the attributes the log labels are mapped from "
		    "(trace_to_logs.labels; default app <- service.name)");
		buf_free(&b);
		return NULL;
	}
	if (filter_id) {
		buf_puts(&b, " |= ");
		logql_quote(&b, t->trace_id);
	}
	return buf_steal(&b, NULL);
}

static tns
link_duration(const cJSON *o, tns def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "shift");
	tns d;

	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		return (tns)(v->valuedouble * NS_PER_S);
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, &d) == 0)
		return d;
	return def;
}

static const cJSON *
link_opts(const struct wctx *c, const char *source, const char *key)
{
	const struct dash_source *s = source_of_type(c->db, source, "tempo", "jaeger");
	const cJSON *o = s ? dash_source_opt(s, key) : NULL;

	return cJSON_IsObject(o) ? o : NULL;
}

static const char *
opt_str(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
span_window(const struct span *s, tns shift, tns *a, tns *b)
{
	tns d = s->dur > 0 ? s->dur : 0;

	*a = trace_sat_sub(s->start, shift);
	*b = trace_sat_add(trace_sat_add(s->start, d), shift);
	if (trace_sat_sub(*b, *a) < NS_PER_S)
		*b = trace_sat_add(*a, NS_PER_S);
}

int
tracelink_logs(const struct wctx *c, const char *source, const struct ev_trace *t, size_t i,
    int filter_id)
{
	const cJSON *o = link_opts(c, source, "trace_to_logs");
	const struct dash_source *ls = source_of_type(c->db, opt_str(o, "source"), "loki", NULL);
	const char *svc = trace_span_service(t, &t->s[i]);
	const cJSON *fv = o ? cJSON_GetObjectItemCaseSensitive(o, "filter_trace_id") : NULL;
	char *expr = NULL, *err = NULL, *missing = NULL, *title;
	struct dash_query q;
	struct dash_panel p;
	tns a, b;
	int rc;

	if (!ls) {
		c->api->message(c->app, 1, "logs pivot: no Loki source (start scry with -l URL, or set "
		    "trace_to_logs.source on the trace source)");
		return -1;
	}
	if (!widget_class_find("logs")) {
		c->api->message(c->app, 1, "logs pivot: the \"logs\" panel type is not part of this build");
		return -1;
	}
	if (cJSON_IsFalse(fv))
		filter_id = 0;
	if (opt_str(o, "query"))
		expr = tracelink_expand(opt_str(o, "query"), t, i, &missing);
	else if (!(expr = tracelink_logql(o ? cJSON_GetObjectItemCaseSensitive(o, "labels") : NULL,
	    t, i, filter_id, &err))) {
		c->api->message(c->app, 1, "logs pivot: %s", err);
		free(err);
		return -1;
	}
	span_window(&t->s[i], link_duration(o, TRACELINK_LOG_SHIFT), &a, &b);
	memset(&q, 0, sizeof q);
	q.expr = expr;
	title = xasprintf("logs %s %s%s%s", c->ascii ? "-" : "\xc2\xb7", *svc ? svc : "?",
	    filter_id ? (c->ascii ? " - trace " : " \xc2\xb7 trace ") : "", filter_id ? t->trace_id : "");
	panel_cfg(&p, &q, 1, "logs", title, ls->name);
	rc = c->api->push_window(c->app, &p, "logs for span", a, b, t->s[i].start);
	if (rc == 0 && missing)
		c->api->message(c->app, 1, "logs pivot: the span has no '%s'; it was left empty", missing);
	free(missing);
	free(title);
	free(expr);
	return rc;
}

/* Istio's standard metrics by destination service (apis.md §5.1). */
static const struct { const char *title, *unit, *query; } red_default[] = {
	{ "rate", "reqps", "sum(rate(istio_requests_total{reporter=\"destination\","
	    "destination_service_name=\"${service}\"}[$__rate_interval]))" },
	{ "errors (5xx ratio)", "percentunit", "sum(rate(istio_requests_total{reporter=\"destination\","
	    "destination_service_name=\"${service}\",response_code=~\"5..\"}[$__rate_interval])) / "
	    "sum(rate(istio_requests_total{reporter=\"destination\","
	    "destination_service_name=\"${service}\"}[$__rate_interval]))" },
	{ "P99", "ms", "histogram_quantile(0.99, sum by (le) (rate("
	    "istio_request_duration_milliseconds_bucket{reporter=\"destination\","
	    "destination_service_name=\"${service}\"}[$__rate_interval])))" },
};

#define RED_MAX	8

int
tracelink_metrics(const struct wctx *c, const char *source, const struct ev_trace *t, size_t i)
{
	const cJSON *o = link_opts(c, source, "trace_to_metrics");
	const struct dash_source *ps = source_of_type(c->db, opt_str(o, "source"), "prometheus", NULL);
	const cJSON *qs = o ? cJSON_GetObjectItemCaseSensitive(o, "queries") : NULL, *qc;
	const char *svc = trace_span_service(t, &t->s[i]);
	struct dash_query q[RED_MAX];
	cJSON *opts, *titles, *units;
	struct dash_panel p;
	char *title, clock[16], *missing = NULL;
	size_t n = 0;
	tns a, b;
	int rc;

	if (!ps) {
		c->api->message(c->app, 1, "metrics pivot: no Prometheus source (start scry with -p URL, "
		    "or set trace_to_metrics.source on the trace source)");
		return -1;
	}
	if (!cJSON_IsArray(qs) || !qs->child)
		qs = NULL;	/* none configured (or not an array): the defaults */
	memset(q, 0, sizeof q);
	if (!(opts = cJSON_CreateObject()) || !(titles = cJSON_AddArrayToObject(opts, "titles")) ||
	    !(units = cJSON_AddArrayToObject(opts, "units")))
		fatal("out of memory (json)");
	for (qc = qs ? qs->child : NULL; n < RED_MAX && (qc || (!qs && n < 3)); n++) {
		const char *qt = qc ? opt_str(qc, "query") : red_default[n].query;
		const char *tt = qc ? opt_str(qc, "title") : red_default[n].title;
		const char *un = qc ? opt_str(qc, "unit") : red_default[n].unit;
		q[n].expr = tracelink_expand(qt ? qt : "", t, i, missing ? NULL : &missing);
		q[n].legend = xstrdup(tt ? tt : "");
		cJSON_AddItemToArray(titles, cJSON_CreateString(tt ? tt : ""));
		cJSON_AddItemToArray(units, cJSON_CreateString(un ? un : ""));
		if (qc)
			qc = qc->next;
	}
	span_window(&t->s[i], link_duration(o, TRACELINK_METRIC_SHIFT), &a, &b);
	ts_fmt_clock(clock, sizeof clock, t->s[i].start, c->view->utc, 1);
	title = xasprintf("RED %s %s around %s", c->ascii ? "-" : "\xc2\xb7", *svc ? svc : "?", clock);
	panel_cfg(&p, q, n, "stack", title, ps->name);
	p.options = opts;
	rc = c->api->push_window(c->app, &p, "metrics for span", a, b, t->s[i].start);
	if (rc == 0 && missing)
		c->api->message(c->app, 1, "metrics pivot: the span has no '%s'; it was left empty", missing);
	for (size_t k = 0; k < n; k++) {
		free(q[k].expr);
		free(q[k].legend);
	}
	cJSON_Delete(opts);
	free(missing);
	free(title);
	return rc;
}
