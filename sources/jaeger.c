/* jaeger: the Jaeger query service source (apis.md §3.3).
 *
 * Fetch kinds:
 *   "trace"        expr = a trace id; GET /api/traces/<id>.
 *   "tracesearch"  expr = a service name, or key=value words:
 *                  service=, operation=, minDuration=, maxDuration=,
 *                  limit=, lookback=; any other key=value becomes a tag
 *                  filter (tags={"http.status_code":"503"}).  The window
 *                  is sent as start/end in microseconds.  Jaeger needs a
 *                  service: without one the source asks /api/services and
 *                  says which services exist.
 * Errors come in the envelope's "errors": [{code, msg}]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/xalloc.h"
#include "sources/http.h"
#include "sources/jaeger_json.h"
#include "sources/otlp_json.h"
#include "sources/tracereq.h"

#define SEARCH_LIMIT_DEFAULT	20
#define SEARCH_LIMIT_MAX	1000

extern const struct source_class jaeger_source;

struct jaeger {
	struct source		 src;
	struct http_opts	 o;
	size_t			 max_spans;
	int			 search_limit;
	struct treq		*reqs;
};

static const char *const jaeger_keys[] = { "path_prefix", "basic_auth", "token_file", "headers",
	"tenant", "tls", "proxy", "max_bytes", "timeout", "connect_timeout", "max_spans",
	"search_limit", "trace_to_logs", "trace_to_metrics", NULL };
static const char *const jaeger_kinds[] = { "trace", "tracesearch", NULL };

static int
jaeger_check(const struct dash_source *cfg, const struct jdoc *doc, struct diag *dg)
{
	char path[256];

	http_opts_check(cfg, doc, dg);
	if (!cfg->cfg)
		return 0;
	snprintf(path, sizeof path, "sources.%s", cfg->name);
	jd_int(doc, dg, cfg->cfg, path, "max_spans", OTLP_MAX_SPANS_DEFAULT, 1, 10000000);
	jd_int(doc, dg, cfg->cfg, path, "search_limit", SEARCH_LIMIT_DEFAULT, 1, SEARCH_LIMIT_MAX);
	return tracesrc_check_links(cfg, doc, dg);
}

static struct source *
jaeger_create(const struct dash_source *cfg, struct source_env *env, char **err)
{
	struct jaeger *j = xcalloc(1, sizeof *j);
	const cJSON *v;

	if (http_opts_from_source(cfg, "SCRY_JAEGER_TOKEN_FILE", &j->o, err) < 0) {
		free(j);
		return NULL;
	}
	j->src.cls = &jaeger_source;
	j->src.name = xstrdup(cfg->name);
	j->src.env = env;
	j->src.insecure = j->o.insecure;
	v = dash_source_opt(cfg, "max_spans");
	j->max_spans = cJSON_IsNumber(v) && v->valuedouble >= 1 ? (size_t)v->valuedouble : 0;
	v = dash_source_opt(cfg, "search_limit");
	j->search_limit = cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= SEARCH_LIMIT_MAX ?
	    (int)v->valuedouble : SEARCH_LIMIT_DEFAULT;
	return &j->src;
}

static void
jaeger_destroy(struct source *s)
{
	struct jaeger *j = (struct jaeger *)s;

	treq_cancel(&j->reqs, s->env->http, NULL);
	http_opts_free(&j->o);
	free(s->name);
	free(j);
}

static void
jaeger_cancel(struct source *s, const char *key)
{
	struct jaeger *j = (struct jaeger *)s;
	treq_cancel(&j->reqs, s->env->http, key);
}

/* Error text: the envelope's message with the HTTP status, else the
 * shared summary. */
static char *
error_text(const struct treq *q, const struct http_resp *r)
{
	char *m, *out;

	if (r->error || !r->status)
		return xstrdup(r->error ? r->error : "no response");
	m = jaeger_error_text(r->body, r->len);
	if (r->status == 404 && q->kind == TQ_TRACE)
		out = xasprintf("trace %s not found: Jaeger holds no trace with this id%s%s", q->id,
		    m ? "; server: " : "", m ? m : "");
	else if (m)
		out = xasprintf("HTTP %ld: %s", r->status, m);
	else
		out = http_error_text(r);
	free(m);
	return out;
}

static void
fail(struct jaeger *j, struct treq *q, const struct http_resp *r, char *err)
{
	treq_status(q, r, err, NULL, 0);
	free(err);
	treq_finish(&j->reqs, q, 0, r ? r->retry_after_ms : 0);
}

static void
on_trace(void *ctx, const struct http_resp *r)
{
	struct treq *q = ctx;
	struct jaeger *j = (struct jaeger *)q->src;
	struct ev_trace *t;
	char *err = NULL, *warn = NULL;
	uint64_t dropped;

	q->call = NULL;
	if (r->status != 200 || r->error) {
		fail(j, q, r, error_text(q, r));
		return;
	}
	if (!(t = jaeger_parse_trace(r->body, r->len, q->id, j->max_spans, &err))) {
		fail(j, q, r, err);
		return;
	}
	if ((dropped = t->dropped))
		warn = xasprintf("%llu spans dropped (max_spans)", (unsigned long long)dropped);
	event_emit(&j->src.env->sink, event_new(EV_TRACE, j->src.env->now(), q->f.key, t));
	treq_status(q, r, NULL, warn, dropped);
	free(warn);
	treq_finish(&j->reqs, q, 1, 0);
}

static void
on_search(void *ctx, const struct http_resp *r)
{
	struct treq *q = ctx;
	struct jaeger *j = (struct jaeger *)q->src;
	struct ev_tracesearch *e;
	char *err = NULL;
	uint64_t dropped;

	q->call = NULL;
	if (r->status != 200 || r->error) {
		fail(j, q, r, error_text(q, r));
		return;
	}
	if (!(e = jaeger_parse_search(r->body, r->len, SEARCH_LIMIT_MAX, &err))) {
		fail(j, q, r, err);
		return;
	}
	dropped = e->dropped;
	event_emit(&j->src.env->sink, event_new(EV_TRACESEARCH, j->src.env->now(), q->f.key, e));
	treq_status(q, r, NULL, NULL, dropped);
	treq_finish(&j->reqs, q, 1, 0);
}

/* No service given: say which ones exist. */
static void
on_services(void *ctx, const struct http_resp *r)
{
	struct treq *q = ctx;
	struct jaeger *j = (struct jaeger *)q->src;
	char **names, *err = NULL, *list = NULL;
	size_t n;

	q->call = NULL;
	if (r->status != 200 || r->error) {
		fail(j, q, r, error_text(q, r));
		return;
	}
	if (!(names = jaeger_parse_services(r->body, r->len, &n, &err))) {
		fail(j, q, r, err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *l = i < 30 ? xasprintf("%s%s%s", list ? list : "", list ? ", " : "", names[i]) :
		    NULL;
		if (l) {
			free(list);
			list = l;
		}
		free(names[i]);
	}
	free(names);
	err = xasprintf("Jaeger searches need a service: write service=NAME (or just the name)%s%s%s",
	    n ? "; services: " : "; the server knows no services", list ? list : "",
	    n > 30 ? ", ..." : "");
	free(list);
	fail(j, q, NULL, err);
}

static void
add_tag(cJSON **tags, const char *k, const char *v)
{
	if (!*tags && !(*tags = cJSON_CreateObject()))
		fatal("out of memory (json)");
	cJSON_DeleteItemFromObjectCaseSensitive(*tags, k);
	if (!cJSON_AddStringToObject(*tags, k, v))
		fatal("out of memory (json)");
}

/* Query string for /api/traces; *has_service says whether one was given. */
static char *
search_params(const struct jaeger *j, const struct fetch *f, int *has_service)
{
	char *qs = NULL, **k, **v, num[32];
	cJSON *tags = NULL;
	int limit = f->limit > 0 ? f->limit : j->search_limit;
	size_t n = treq_split_params(f->expr ? f->expr : "", &k, &v);
	static const char *const direct[] = { "service", "operation", "minDuration", "maxDuration",
		"lookback", NULL };

	*has_service = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d;
		for (d = 0; k[i] && direct[d] && strcmp(k[i], direct[d]) != 0; d++)
			;
		if (!k[i] && !*has_service) {
			http_param(&qs, "service", v[i]);
			*has_service = 1;
		} else if (k[i] && direct[d]) {
			http_param(&qs, k[i], v[i]);
			*has_service |= d == 0;
		} else if (k[i] && strcmp(k[i], "limit") == 0)
			limit = treq_limit(v[i], limit);
		else if (k[i])
			add_tag(&tags, k[i], v[i]);
		free(k[i]);
		free(v[i]);
	}
	free(k);
	free(v);
	if (tags) {
		char *js = cJSON_PrintUnformatted(tags);
		if (!js)
			fatal("out of memory (json)");
		http_param(&qs, "tags", js);
		free(js);
		cJSON_Delete(tags);
	}
	snprintf(num, sizeof num, "%d", limit > SEARCH_LIMIT_MAX ? SEARCH_LIMIT_MAX : limit);
	http_param(&qs, "limit", num);
	if (f->start > 0 && f->end > f->start) {
		snprintf(num, sizeof num, "%lld", (long long)(f->start / NS_PER_US));
		http_param(&qs, "start", num);
		snprintf(num, sizeof num, "%lld", (long long)(f->end / NS_PER_US));
		http_param(&qs, "end", num);
	}
	return qs;
}

static int
jaeger_fetch(struct source *s, const struct fetch *f, char **err)
{
	struct jaeger *j = (struct jaeger *)s;
	struct http_req hr = { .method = "GET", .timeout = f->timeout };
	struct treq *q;
	char *path;

	if (strcmp(f->kind, "trace") == 0) {
		char id[TRACE_ID_HEX + 1];
		if (trace_id_normalize(f->expr ? f->expr : "", id) < 0) {
			*err = xasprintf("not a trace id: '%.80s' (expected up to 32 hex digits)",
			    f->expr ? f->expr : "");
			return -1;
		}
		q = treq_new(&j->reqs, s, f, TQ_TRACE);
		memcpy(q->id, id, sizeof id);
		path = xasprintf("/api/traces/%s", id);
		hr.cb = on_trace;
	} else if (strcmp(f->kind, "tracesearch") == 0) {
		int has_service;
		char *qs = search_params(j, f, &has_service);
		q = treq_new(&j->reqs, s, f, has_service ? TQ_SEARCH : TQ_SERVICES);
		path = has_service ? xasprintf("/api/traces?%s", qs) : xstrdup("/api/services");
		hr.cb = has_service ? on_search : on_services;
		free(qs);
	} else {
		*err = xasprintf("jaeger cannot answer '%s' queries", f->kind);
		return -1;
	}
	hr.path = path;
	hr.ctx = q;
	q->call = http_start(s->env->http, &j->o, &hr, err);
	free(path);
	if (q->call)
		return 0;
	q->f.done = NULL;
	treq_finish(&j->reqs, q, 0, 0);
	return -1;
}

const struct source_class jaeger_source = {
	.name = "jaeger",
	.help = "Jaeger query service: traces by id and service/tag search",
	.url_env = "SCRY_JAEGER_URL",
	.cfg_keys = jaeger_keys,
	.kinds = jaeger_kinds,
	.check = jaeger_check,
	.create = jaeger_create,
	.destroy = jaeger_destroy,
	.fetch = jaeger_fetch,
	.cancel = jaeger_cancel,
};
