/* tempo: the Grafana Tempo source (apis.md §3.1, §3.2).
 *
 * Fetch kinds:
 *   "trace"        expr = a trace id (1..32 hex digits).  GET
 *                  /api/v2/traces/<id> first (it returns partial traces
 *                  instead of 422); when the server has no such route (a
 *                  404 whose body is a router's "page not found") the
 *                  source remembers that and uses /api/traces/<id> (v1).
 *                  "api": "v1" or "v2" in the source object forces one.
 *   "tracesearch"  expr = TraceQL when it starts with '{', else tags in
 *                  logfmt ("service.name=payment http.status_code=503")
 *                  where minDuration=, maxDuration= and limit= are taken
 *                  out as their own parameters; empty = recent traces.
 *                  The window is sent as start/end (unix seconds).
 * Not found (404) and too large (422) are reported as such, with what to
 * do about them; Tempo's error bodies are plain text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "sources/http.h"
#include "sources/otlp_json.h"
#include "sources/tempo_json.h"
#include "sources/tracereq.h"

#define SEARCH_LIMIT_DEFAULT	20
#define SEARCH_LIMIT_MAX	1000

enum api { API_AUTO, API_V1, API_V2 };

extern const struct source_class tempo_source;

struct tempo {
	struct source		 src;
	struct http_opts	 o;
	enum api		 api;
	int			 v2_missing;	/* learned: the server has no /api/v2 */
	size_t			 max_spans;
	int			 search_limit;
	struct treq		*reqs;
};

static const char *const tempo_keys[] = { "path_prefix", "basic_auth", "token_file", "headers",
	"tenant", "tls", "proxy", "max_bytes", "timeout", "connect_timeout", "api", "max_spans",
	"search_limit", "trace_to_logs", "trace_to_metrics", NULL };
static const char *const tempo_kinds[] = { "trace", "tracesearch", NULL };

static int
tempo_check(const struct dash_source *cfg, const struct jdoc *doc, struct diag *dg)
{
	char path[256];
	const char *api;

	http_opts_check(cfg, doc, dg);
	if (!cfg->cfg)
		return 0;
	snprintf(path, sizeof path, "sources.%s", cfg->name);
	api = jd_str(doc, dg, cfg->cfg, path, "api", "auto");
	if (strcmp(api, "auto") && strcmp(api, "v1") && strcmp(api, "v2"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(cfg->cfg, "api"), 0,
		    "%s.api: expected \"auto\", \"v1\" or \"v2\"", path);
	jd_int(doc, dg, cfg->cfg, path, "max_spans", OTLP_MAX_SPANS_DEFAULT, 1, 10000000);
	jd_int(doc, dg, cfg->cfg, path, "search_limit", SEARCH_LIMIT_DEFAULT, 1, SEARCH_LIMIT_MAX);
	return tracesrc_check_links(cfg, doc, dg);
}

static struct source *
tempo_create(const struct dash_source *cfg, struct source_env *env, char **err)
{
	struct tempo *t = xcalloc(1, sizeof *t);
	const cJSON *v;

	if (http_opts_from_source(cfg, "SCRY_TEMPO_TOKEN_FILE", &t->o, err) < 0) {
		free(t);
		return NULL;
	}
	t->src.cls = &tempo_source;
	t->src.name = xstrdup(cfg->name);
	t->src.env = env;
	t->src.insecure = t->o.insecure;
	v = dash_source_opt(cfg, "api");
	if (cJSON_IsString(v))
		t->api = strcmp(v->valuestring, "v1") == 0 ? API_V1 :
		    strcmp(v->valuestring, "v2") == 0 ? API_V2 : API_AUTO;
	v = dash_source_opt(cfg, "max_spans");
	t->max_spans = cJSON_IsNumber(v) && v->valuedouble >= 1 ? (size_t)v->valuedouble : 0;
	v = dash_source_opt(cfg, "search_limit");
	t->search_limit = cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= SEARCH_LIMIT_MAX ?
	    (int)v->valuedouble : SEARCH_LIMIT_DEFAULT;
	return &t->src;
}

static void
tempo_destroy(struct source *s)
{
	struct tempo *t = (struct tempo *)s;

	treq_cancel(&t->reqs, s->env->http, NULL);
	http_opts_free(&t->o);
	free(s->name);
	free(t);
}

static void
tempo_cancel(struct source *s, const char *key)
{
	struct tempo *t = (struct tempo *)s;
	treq_cancel(&t->reqs, s->env->http, key);
}

/* A 404 from a router that does not know the path (Go's mux says
 * "404 page not found"), as opposed to Tempo's "trace not found". */
static int
route_missing(const struct http_resp *r)
{
	return r->status == 404 && r->len && (memmem(r->body, r->len, "page not found", 14) ||
	    memmem(r->body, r->len, "Cannot GET", 10));
}

static char *
body_line(const struct http_resp *r)
{
	size_t n = 0;

	while (n < r->len && n < 300 && r->body[n] != '\n' && r->body[n] != '\r')
		n++;
	return xstrndup(r->body, n);
}

static char *
trace_error(const struct treq *q, const struct http_resp *r)
{
	char *line, *msg;

	if (r->error || !r->status)
		return xstrdup(r->error ? r->error : "no response");
	line = body_line(r);
	if (r->status == 404)
		msg = xasprintf("trace %s not found: Tempo holds no trace with this id (outside "
		    "retention, another tenant, or not ingested yet)%s%s", q->id, *line ? "; server: " : "",
		    line);
	else if (r->status == 422)
		msg = xasprintf("trace %s is too large for Tempo to return (HTTP 422%s%s); use the v2 "
		    "API (\"api\": \"v2\"), which returns a partial trace, or raise Tempo's "
		    "max_bytes_per_trace", q->id, *line ? ": " : "", line);
	else
		msg = http_error_text(r);
	free(line);
	return msg;
}

static int start_trace(struct tempo *t, struct treq *q, char **err);

static void
on_trace(void *ctx, const struct http_resp *r)
{
	struct treq *q = ctx;
	struct tempo *t = (struct tempo *)q->src;
	struct ev_trace *tr;
	char *err = NULL, *warn = NULL;

	q->call = NULL;
	if (q->attempt == 2 && t->api == API_AUTO && route_missing(r)) {
		log_info("tempo %s: no /api/v2 here; using /api/traces (v1)", t->src.name);
		t->v2_missing = 1;
		q->attempt = 1;
		if (start_trace(t, q, &err) == 0)
			return;
		treq_status(q, NULL, err, NULL, 0);
		free(err);
		treq_finish(&t->reqs, q, 0, 0);
		return;
	}
	if (r->status != 200 || r->error) {
		err = trace_error(q, r);
		treq_status(q, r, err, NULL, 0);
		free(err);
		treq_finish(&t->reqs, q, 0, r->retry_after_ms);
		return;
	}
	if (!(tr = tempo_parse_trace(r->body, r->len, q->id, t->max_spans, &err))) {
		treq_status(q, r, err, NULL, 0);
		free(err);
		treq_finish(&t->reqs, q, 0, 0);
		return;
	}
	if (tr->partial)
		warn = xasprintf("partial trace: %s", *tr->message ? tr->message : "Tempo returned part of it");
	else if (tr->dropped)
		warn = xasprintf("%llu spans dropped (max_spans %zu)", (unsigned long long)tr->dropped,
		    t->max_spans ? t->max_spans : (size_t)OTLP_MAX_SPANS_DEFAULT);
	{
		uint64_t dropped = tr->dropped;
		event_emit(&t->src.env->sink, event_new(EV_TRACE, t->src.env->now(), q->f.key, tr));
		treq_status(q, r, NULL, warn, dropped);
	}
	free(warn);
	treq_finish(&t->reqs, q, 1, 0);
}

static int
start_trace(struct tempo *t, struct treq *q, char **err)
{
	char *path = xasprintf("/api/%straces/%s", q->attempt == 2 ? "v2/" : "", q->id);
	struct http_req hr = { .method = "GET", .path = path, .cb = on_trace, .ctx = q,
		.timeout = q->f.timeout };

	q->call = http_start(t->src.env->http, &t->o, &hr, err);
	free(path);
	return q->call ? 0 : -1;
}

/* Search parameters from the query text (see the top of the file). */
static char *
search_params(const struct tempo *t, const struct fetch *f)
{
	const char *e = f->expr ? f->expr : "";
	char *qs = NULL, *tags = NULL, **k, **v, num[32];
	int limit = f->limit > 0 ? f->limit : t->search_limit;
	size_t n;

	while (*e == ' ' || *e == '\t' || *e == '\n')
		e++;
	if (*e == '{')
		http_param(&qs, "q", e);
	else if (*e) {
		n = treq_split_params(e, &k, &v);
		for (size_t i = 0; i < n; i++) {
			if (k[i] && (strcmp(k[i], "minDuration") == 0 || strcmp(k[i], "maxDuration") == 0))
				http_param(&qs, k[i], v[i]);
			else if (k[i] && strcmp(k[i], "limit") == 0)
				limit = treq_limit(v[i], limit);
			else {
				const char *qt = strchr(v[i], ' ') ? "\"" : "";
				char *nt = k[i] ? xasprintf("%s%s%s=%s%s%s", tags ? tags : "", tags ? " " : "",
				    k[i], qt, v[i], qt) : xasprintf("%s%s%s", tags ? tags : "", tags ? " " : "", v[i]);
				free(tags);
				tags = nt;
			}
			free(k[i]);
			free(v[i]);
		}
		free(k);
		free(v);
		if (tags)
			http_param(&qs, "tags", tags);
		free(tags);
	}
	if (limit > SEARCH_LIMIT_MAX)
		limit = SEARCH_LIMIT_MAX;
	snprintf(num, sizeof num, "%d", limit);
	http_param(&qs, "limit", num);
	if (f->start > 0 && f->end > f->start) {
		snprintf(num, sizeof num, "%lld", (long long)(f->start / NS_PER_S));
		http_param(&qs, "start", num);
		snprintf(num, sizeof num, "%lld", (long long)((f->end + NS_PER_S - 1) / NS_PER_S));
		http_param(&qs, "end", num);
	}
	return qs;
}

static void
on_search(void *ctx, const struct http_resp *r)
{
	struct treq *q = ctx;
	struct tempo *t = (struct tempo *)q->src;
	struct ev_tracesearch *e;
	char *err = NULL, *warn = NULL;

	q->call = NULL;
	if (r->status != 200 || r->error) {
		err = http_error_text(r);
		treq_status(q, r, err, NULL, 0);
		free(err);
		treq_finish(&t->reqs, q, 0, r->retry_after_ms);
		return;
	}
	if (!(e = tempo_parse_search(r->body, r->len, SEARCH_LIMIT_MAX, &err))) {
		treq_status(q, r, err, NULL, 0);
		free(err);
		treq_finish(&t->reqs, q, 0, 0);
		return;
	}
	if (e->dropped)
		warn = xasprintf("%llu results without a usable trace id or over the limit were dropped",
		    (unsigned long long)e->dropped);
	{
		uint64_t dropped = e->dropped;
		event_emit(&t->src.env->sink, event_new(EV_TRACESEARCH, t->src.env->now(), q->f.key, e));
		treq_status(q, r, NULL, warn, dropped);
	}
	free(warn);
	treq_finish(&t->reqs, q, 1, 0);
}

static int
tempo_fetch(struct source *s, const struct fetch *f, char **err)
{
	struct tempo *t = (struct tempo *)s;
	struct treq *q;

	if (strcmp(f->kind, "trace") == 0) {
		char id[TRACE_ID_HEX + 1];
		if (trace_id_normalize(f->expr ? f->expr : "", id) < 0) {
			*err = xasprintf("not a trace id: '%.80s' (expected up to 32 hex digits)",
			    f->expr ? f->expr : "");
			return -1;
		}
		q = treq_new(&t->reqs, s, f, TQ_TRACE);
		memcpy(q->id, id, sizeof id);
		q->attempt = t->api == API_V1 || (t->api == API_AUTO && t->v2_missing) ? 1 : 2;
		if (start_trace(t, q, err) == 0)
			return 0;
	} else if (strcmp(f->kind, "tracesearch") == 0) {
		char *qs = search_params(t, f), *path = xasprintf("/api/search?%s", qs);
		struct http_req hr = { .method = "GET", .path = path, .cb = on_search, .timeout = f->timeout };
		q = treq_new(&t->reqs, s, f, TQ_SEARCH);
		hr.ctx = q;
		q->call = http_start(s->env->http, &t->o, &hr, err);
		free(qs);
		free(path);
		if (q->call)
			return 0;
	} else {
		*err = xasprintf("tempo cannot answer '%s' queries", f->kind);
		return -1;
	}
	q->f.done = NULL;	/* the caller reports a failed start itself */
	treq_finish(&t->reqs, q, 0, 0);
	return -1;
}

const struct source_class tempo_source = {
	.name = "tempo",
	.help = "Grafana Tempo: traces by id (v2/v1 API) and TraceQL or tag search",
	.url_env = "SCRY_TEMPO_URL",
	.cfg_keys = tempo_keys,
	.kinds = tempo_kinds,
	.check = tempo_check,
	.create = tempo_create,
	.destroy = tempo_destroy,
	.fetch = tempo_fetch,
	.cancel = tempo_cancel,
};
