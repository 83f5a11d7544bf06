/* prometheus: the Prometheus HTTP API v1 source (also Thanos, Mimir,
 * Cortex, VictoriaMetrics: same paths under an optional path_prefix).
 *
 * Fetch kinds:
 *   range      /api/v1/query_range (start/end/step from the app, already
 *              aligned to the step)
 *   instant    /api/v1/query at the window end
 *   alerts     /api/v1/rules?type=alert (falls back to /api/v1/alerts);
 *              for a window in the past, the ALERTS / ALERTS_FOR_STATE
 *              series at its end (what was firing then)
 *   exemplars  /api/v1/query_exemplars over the window
 *   values     dashboard variable queries (label_values(...), ...)
 *   series     /api/v1/series over the window, one match[] per line of
 *              the expression; an EV_VALUES answer of label sets
 *              (core/labeltext.h), used to probe for a service's metrics
 * /api/v1/status/buildinfo is asked once, as a hint for the log.
 * Long queries go as POST form bodies; the server-side timeout is set a
 * little under the client's so the server's own error arrives first.
 *
 * Invariants: every started fetch ends in exactly one done() unless the
 * app cancels its key first; every outcome emits one EV_STATUS; the
 * response body is freed by the HTTP layer right after parsing, and the
 * parsed samples go straight into events. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "sources/http.h"
#include "sources/prom_parse.h"
#include "sources/prom_varq.h"
#include "sources/source.h"

#define GET_MAX		2048		/* longer query strings go as POST */
#define LIVE_SLACK	(120 * NS_PER_S)	/* window end this close to now = live */
#define MAX_SERIES_DEF	10000		/* series kept from one answer */
#define MAX_SERIES_MAX	10000000
#define ALERTS_EXPR	"ALERTS or ALERTS_FOR_STATE"

enum method { M_AUTO, M_GET, M_POST };

struct prom {
	struct source		 base;
	struct http_opts	 o;
	tns			 scrape;
	tns			 query_timeout;	/* 0: derived from the fetch timeout */
	enum method		 method;
	size_t			 max_series;	/* 0: no limit */
	int			 asked_build;
	char			*version;
	struct preq		*reqs;
};

struct preq {
	struct prom		*p;
	struct http_call	*call;
	char			*key;
	char			*expr;
	const char		*kind;
	enum prom_what		 what;
	int			 stage;		/* alerts: 0 rules, 1 ALERTS series */
	int			 rules_404;
	struct ev_alerts	*rules;
	struct prom_varq	 vq;
	int			 internal;	/* buildinfo: no done(), no events */
	tns			 start, end, step, timeout;
	struct fetch		 f;		/* copy for done() */
	struct preq		*next;
};

static const char *const prom_kinds[] = { "range", "instant", "alerts", "exemplars", "values",
	"series", NULL };
static const char *const prom_keys[] = { "url", "path_prefix", "basic_auth", "token_file",
	"headers", "tenant", "tls", "proxy", "max_bytes", "timeout", "connect_timeout",
	"scrape_interval", "method", "query_timeout", "max_series", NULL };

/* ------------------------------------------------------------ helpers */

static void
fmt_time(char *dst, size_t n, tns t)
{
	long long ms = (long long)(t / NS_PER_MS);
	snprintf(dst, n, "%s%lld.%03lld", ms < 0 ? "-" : "", llabs(ms) / 1000, llabs(ms) % 1000);
}

static void
fmt_secs(char *dst, size_t n, tns d)
{
	if (d % NS_PER_S == 0)
		snprintf(dst, n, "%lld", (long long)(d / NS_PER_S));
	else
		snprintf(dst, n, "%.3f", (double)d / NS_PER_S);
}

static void
param_time(char **qs, const char *k, tns t)
{
	char b[48];
	fmt_time(b, sizeof b, t);
	http_param(qs, k, b);
}

static void
req_free(struct preq *q)
{
	free(q->key);
	free(q->expr);
	ev_alerts_free(q->rules);
	prom_varq_free(&q->vq);
	free(q);
}

static void
unlink_req(struct prom *p, struct preq *q)
{
	for (struct preq **pp = &p->reqs; *pp; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			return;
		}
}

static void
emit(struct prom *p, enum ev_kind kind, tns t, const char *key, void *payload)
{
	event_emit(&p->base.env->sink, event_new(kind, t, key, payload));
}

static tns
now(const struct prom *p)
{
	return p->base.env->now ? p->base.env->now() : ts_now();
}

/* End a request: status event, done(), free. */
static void
finish(struct preq *q, struct ev_status *st, int ok, int64_t retry_after_ms)
{
	struct prom *p = q->p;

	unlink_req(p, q);
	if (!q->internal) {
		st->insecure = p->o.insecure;
		emit(p, EV_STATUS, now(p), q->key, st);
		q->f.done(q->f.done_ctx, &q->f, ok, ok ? 0 : retry_after_ms);
	} else
		status_free(st);
	req_free(q);
}

/* ---------------------------------------------------------- requests */

static void
add_timeout(struct preq *q, char **qs)
{
	tns t = q->p->query_timeout;
	char b[32];

	if (!t)	/* a little under the client's deadline */
		t = q->timeout > 2 * NS_PER_S ? q->timeout - NS_PER_S / 2 : q->timeout;
	if (t <= 0)
		return;
	fmt_secs(b, sizeof b, t);
	http_param(qs, "timeout", b);
}

static int
varq_path(struct preq *q, char **path, char **qs)
{
	char *lab;

	switch (q->vq.kind) {
	case PVQ_LABEL_VALUES:
		lab = http_escape(q->vq.label);
		*path = xasprintf("/api/v1/label/%s/values", lab);
		free(lab);
		break;
	case PVQ_LABEL_NAMES:
		*path = xstrdup("/api/v1/labels");
		break;
	case PVQ_METRICS:
		*path = xstrdup("/api/v1/label/__name__/values");
		break;
	case PVQ_QUERY_RESULT:
	default:
		*path = xstrdup("/api/v1/query");
		http_param(qs, "query", q->vq.arg ? q->vq.arg : "");
		param_time(qs, "time", q->end);
		return 0;
	}
	if (q->vq.match)
		http_param(qs, "match[]", q->vq.match);
	param_time(qs, "start", q->start);
	param_time(qs, "end", q->end);
	return 0;
}

/* /api/v1/series: one match[] per non-empty line. */
static void
series_path(struct preq *q, char **path, char **qs)
{
	const char *s = q->expr;

	*path = xstrdup("/api/v1/series");
	while (*s) {
		size_t n = strcspn(s, "\n");
		if (n) {
			char *m = xstrndup(s, n);
			http_param(qs, "match[]", m);
			free(m);
		}
		s += n + (s[n] == '\n');
	}
	param_time(qs, "start", q->start);
	param_time(qs, "end", q->end);
}

/* Path and parameters for the request's current stage. */
static void
build(struct preq *q, char **path, char **qs)
{
	char b[32];

	*qs = NULL;
	*path = NULL;
	if (strcmp(q->kind, "range") == 0) {
		*path = xstrdup("/api/v1/query_range");
		http_param(qs, "query", q->expr);
		param_time(qs, "start", q->start);
		param_time(qs, "end", q->end);
		fmt_secs(b, sizeof b, q->step);
		http_param(qs, "step", b);
		add_timeout(q, qs);
	} else if (strcmp(q->kind, "instant") == 0 || (strcmp(q->kind, "alerts") == 0 && q->stage)) {
		*path = xstrdup("/api/v1/query");
		http_param(qs, "query", q->stage ? ALERTS_EXPR : q->expr);
		param_time(qs, "time", q->end);
		add_timeout(q, qs);
	} else if (strcmp(q->kind, "alerts") == 0) {
		*path = xstrdup(q->rules_404 ? "/api/v1/alerts" : "/api/v1/rules");
		if (!q->rules_404)
			http_param(qs, "type", "alert");
	} else if (strcmp(q->kind, "exemplars") == 0) {
		*path = xstrdup("/api/v1/query_exemplars");
		http_param(qs, "query", q->expr);
		param_time(qs, "start", q->start);
		param_time(qs, "end", q->end);
	} else if (strcmp(q->kind, "values") == 0) {
		varq_path(q, path, qs);
	} else if (strcmp(q->kind, "series") == 0) {
		series_path(q, path, qs);
	} else
		*path = xstrdup("/api/v1/status/buildinfo");
}

static int
use_post(const struct prom *p, const char *qs)
{
	if (!qs || !*qs)
		return 0;
	if (p->method == M_POST)
		return 1;
	return p->method == M_AUTO && strlen(qs) > GET_MAX;
}

static void on_resp(void *ctx, const struct http_resp *r);

static int
send_req(struct preq *q, char **err)
{
	struct http_req hr;
	char *path, *qs, *full = NULL;

	build(q, &path, &qs);
	memset(&hr, 0, sizeof hr);
	hr.timeout = q->timeout;
	hr.cb = on_resp;
	hr.ctx = q;
	if (use_post(q->p, qs)) {
		hr.method = "POST";
		hr.path = path;
		hr.form = qs;
	} else {
		full = qs && *qs ? xasprintf("%s?%s", path, qs) : xstrdup(path);
		hr.path = full;
	}
	q->call = http_start(q->p->base.env->http, &q->p->o, &hr, err);
	free(path);
	free(qs);
	free(full);
	return q->call ? 0 : -1;
}

/* ---------------------------------------------------------- answers */

static void
ask_buildinfo(struct prom *p)
{
	struct preq *q = xcalloc(1, sizeof *q);
	char *err = NULL;

	p->asked_build = 1;
	q->p = p;
	q->key = xstrdup("");
	q->kind = "buildinfo";
	q->what = PW_BUILDINFO;
	q->internal = 1;
	q->timeout = 10 * NS_PER_S;
	if (send_req(q, &err) < 0) {
		free(err);
		req_free(q);
		return;
	}
	q->next = p->reqs;
	p->reqs = q;
}

static void
got_buildinfo(struct preq *q, struct prom_out *o)
{
	struct prom *p = q->p;

	if (o->version) {
		free(p->version);
		p->version = xstrdup(o->version);
		log_info("source %s: Prometheus-compatible server %s", p->base.name, p->version);
	} else
		log_info("source %s: no buildinfo (%s); not Prometheus itself, continuing",
		    p->base.name, o->st->error ? o->st->error : "no version");
}

static int
regex_keep(pcre2_code *re, pcre2_match_data *md, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0;
}

/* metrics(REGEX): keep the names the regex matches. */
static int
filter_metrics(struct preq *q, struct ev_values *v, char **err)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)q->vq.arg, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	    &ec, &off, NULL);
	pcre2_match_data *md;
	size_t w = 0;

	if (!re) {
		char msg[256];
		pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof msg);
		*err = xasprintf("metrics(): bad regex at %zu: %s", (size_t)off, msg);
		return -1;
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	for (size_t i = 0; i < v->n; i++) {
		if (regex_keep(re, md, v->v[i]))
			v->v[w++] = v->v[i];
		else
			free(v->v[i]);
	}
	v->n = w;
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return 0;
}

static void
got_values(struct preq *q, struct prom_out *o)
{
	struct ev_values *v;
	char *err = NULL;

	if (q->vq.kind == PVQ_QUERY_RESULT) {
		v = ev_values_new();
		for (size_t i = 0; o->series && i < o->series->n; i++) {
			char *t = prom_varq_result_text(&o->series->s[i]);
			ev_values_add(v, t, strlen(t));
			free(t);
		}
		ev_values_finish(v, 0);
	} else {
		v = o->values ? o->values : ev_values_new();
		o->values = NULL;
		if (q->vq.kind == PVQ_METRICS && filter_metrics(q, v, &err) < 0) {
			ev_values_free(v);
			o->st->state = QS_ERROR;
			status_set_error(o->st, err);
			return;
		}
		ev_values_finish(v, 1);
	}
	emit(q->p, EV_VALUES, now(q->p), q->key, v);
}

/* Alerts: stage 0 (rules) answered.  Live: emit them; in the past: go on
 * to the ALERTS series at the window end.  Returns 1 if a stage follows.
 * "Live" is measured against the real clock, the server's present: the
 * rule manager's state is of now, whatever time scry shows (the demo
 * clock, SCRY_DEMO_CLOCK, plays a day that lies in the past). */
static int
got_rules(struct preq *q, struct prom_out *o)
{
	tns t = now(q->p);

	if (ts_now() - q->end < LIVE_SLACK) {
		emit(q->p, EV_ALERTS, t, q->key, o->alerts);
		o->alerts = NULL;
		return 0;
	}
	q->rules = o->rules;
	o->rules = NULL;
	q->stage = 1;
	q->what = PW_QUERY;
	return 1;
}

static void
got_data(struct preq *q, struct prom_out *o)
{
	tns t = now(q->p);

	if (strcmp(q->kind, "range") == 0 || strcmp(q->kind, "instant") == 0) {
		emit(q->p, EV_SERIES, t, q->key, o->series);
		o->series = NULL;
	} else if (strcmp(q->kind, "exemplars") == 0) {
		emit(q->p, EV_EXEMPLARS, t, q->key, o->ex);
		o->ex = NULL;
	} else if (strcmp(q->kind, "values") == 0)
		got_values(q, o);
	else if (strcmp(q->kind, "series") == 0) {
		struct ev_values *v = o->values ? o->values : ev_values_new();
		o->values = NULL;
		ev_values_finish(v, 1);
		emit(q->p, EV_VALUES, t, q->key, v);
	}
	else if (strcmp(q->kind, "alerts") == 0 && q->stage == 1)
		emit(q->p, EV_ALERTS, q->end, q->key, prom_alerts_from_series(o->series, q->rules));
}

/* Move on to the next stage of a multi-request fetch; 1 if started. */
static int
next_stage(struct preq *q, struct ev_status *st)
{
	char *err = NULL;

	if (send_req(q, &err) == 0) {
		status_free(st);
		return 1;
	}
	st->state = QS_ERROR;
	status_set_error(st, err);
	return 0;
}

static void
on_resp(void *ctx, const struct http_resp *r)
{
	struct preq *q = ctx;
	struct prom_out o;
	int ok;
	struct ev_status *st;

	q->call = NULL;
	ok = prom_parse_max(r, q->what, q->start, q->end, q->step, q->p->max_series, &o) == 0;
	if (q->internal) {
		got_buildinfo(q, &o);
	} else if (!ok && strcmp(q->kind, "alerts") == 0 && q->stage == 0 && r->status == 404 &&
	    !q->rules_404) {
		/* a proxy that only exposes /api/v1/alerts */
		q->rules_404 = 1;
		st = o.st;
		o.st = NULL;
		prom_out_free(&o);
		if (next_stage(q, st))
			return;
		finish(q, st, 0, 0);
		return;
	} else if (ok && strcmp(q->kind, "alerts") == 0 && q->stage == 0) {
		if (got_rules(q, &o)) {
			st = o.st;
			o.st = NULL;
			prom_out_free(&o);
			if (next_stage(q, st))
				return;
			finish(q, st, 0, 0);
			return;
		}
	} else if (ok)
		got_data(q, &o);
	ok = o.st->state == QS_OK;
	st = o.st;
	o.st = NULL;
	prom_out_free(&o);
	finish(q, st, ok, r->retry_after_ms);
}

/* ------------------------------------------------------------ class */

/* What to ask and how to parse it, by fetch kind. */
static int
set_kind(struct preq *q, const char *kind, char **err)
{
	if (strcmp(kind, "range") == 0 || strcmp(kind, "instant") == 0) {
		q->kind = strcmp(kind, "range") == 0 ? "range" : "instant";
		q->what = PW_QUERY;
		if (q->kind[0] == 'r' && q->step <= 0) {
			*err = xstrdup("range query without a step");
			return -1;
		}
	} else if (strcmp(kind, "alerts") == 0) {
		q->kind = "alerts";
		q->what = PW_ALERTS;
		return 0;	/* no expression needed */
	} else if (strcmp(kind, "exemplars") == 0) {
		q->kind = "exemplars";
		q->what = PW_EXEMPLARS;
	} else if (strcmp(kind, "series") == 0) {
		q->kind = "series";
		q->what = PW_LABELSETS;
	} else if (strcmp(kind, "values") == 0) {
		q->kind = "values";
		if (prom_varq_parse(q->expr, &q->vq, err) < 0)
			return -1;
		q->what = q->vq.kind == PVQ_QUERY_RESULT ? PW_QUERY : PW_STRINGS;
	} else {
		*err = xasprintf("prometheus cannot answer '%s' queries", kind);
		return -1;
	}
	if (!*q->expr) {
		*err = xstrdup("empty query");
		return -1;
	}
	return 0;
}

static int
prom_fetch(struct source *src, const struct fetch *f, char **err)
{
	struct prom *p = src->priv;
	struct preq *q = xcalloc(1, sizeof *q);

	*err = NULL;
	q->p = p;
	q->key = xstrdup(f->key);
	q->expr = xstrdup(f->expr ? f->expr : "");
	/* the API speaks milliseconds: answers must match the asked times */
	q->start = f->start / NS_PER_MS * NS_PER_MS;
	q->end = f->end / NS_PER_MS * NS_PER_MS;
	q->step = f->step;
	/* a source's own "timeout" wins over the refresh-derived one */
	q->timeout = p->o.timeout > 0 ? p->o.timeout : f->timeout > 0 ? f->timeout : 30 * NS_PER_S;
	q->f = *f;
	q->f.key = q->key;
	q->f.expr = q->expr;
	q->f.qcfg = NULL;
	if (set_kind(q, f->kind, err) < 0 || send_req(q, err) < 0) {
		req_free(q);
		return -1;
	}
	q->next = p->reqs;
	p->reqs = q;
	if (!p->asked_build)
		ask_buildinfo(p);
	return 0;
}

static void
prom_cancel(struct source *src, const char *key)
{
	struct prom *p = src->priv;
	struct preq **pp = &p->reqs;

	while (*pp) {
		struct preq *q = *pp;
		if (!q->internal && strcmp(q->key, key) == 0) {
			*pp = q->next;
			http_cancel(p->base.env->http, q->call);
			req_free(q);
		} else
			pp = &q->next;
	}
}

static tns
opt_dur(const struct dash_source *s, const char *key, tns def)
{
	const cJSON *v = dash_source_opt(s, key);
	tns d;

	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		return (tns)(v->valuedouble * NS_PER_S);
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, &d) == 0 && d > 0)
		return d;
	return def;
}

static struct source *
prom_create(const struct dash_source *cfg, struct source_env *env, char **err)
{
	struct prom *p = xcalloc(1, sizeof *p);
	const cJSON *m;

	if (http_opts_from_source(cfg, "SCRY_PROMETHEUS_TOKEN_FILE", &p->o, err) < 0) {
		free(p);
		return NULL;
	}
	if (!env->http) {
		*err = xstrdup("no HTTP transport");
		http_opts_free(&p->o);
		free(p);
		return NULL;
	}
	p->base.cls = source_class_find("prometheus");
	p->base.name = xstrdup(cfg->name);
	p->base.env = env;
	p->base.insecure = p->o.insecure;
	p->base.priv = p;
	p->scrape = opt_dur(cfg, "scrape_interval", 15 * NS_PER_S);
	p->query_timeout = opt_dur(cfg, "query_timeout", 0);
	m = dash_source_opt(cfg, "max_series");
	p->max_series = cJSON_IsNumber(m) && m->valuedouble >= 0 && m->valuedouble <= MAX_SERIES_MAX ?
	    (size_t)m->valuedouble : MAX_SERIES_DEF;
	m = dash_source_opt(cfg, "method");
	p->method = cJSON_IsString(m) && strcasecmp(m->valuestring, "POST") == 0 ? M_POST :
	    cJSON_IsString(m) && strcasecmp(m->valuestring, "GET") == 0 ? M_GET : M_AUTO;
	if (p->o.insecure)
		log_warn("source %s: TLS verification is OFF (tls.insecure)", cfg->name);
	return &p->base;
}

static void
prom_destroy(struct source *src)
{
	struct prom *p;

	if (!src)
		return;
	p = src->priv;
	while (p->reqs) {
		struct preq *q = p->reqs;
		p->reqs = q->next;
		http_cancel(p->base.env->http, q->call);
		req_free(q);
	}
	http_opts_free(&p->o);
	free(p->version);
	free(p->base.name);
	free(p);
}

static tns
prom_scrape(struct source *src)
{
	return ((struct prom *)src->priv)->scrape;
}

static int
prom_check(const struct dash_source *s, const struct jdoc *doc, struct diag *dg)
{
	char path[256];
	const char *m;

	http_opts_check(s, doc, dg);
	if (!s->cfg)
		return 0;
	snprintf(path, sizeof path, "sources.%s", s->name);
	jd_duration(doc, dg, s->cfg, path, "scrape_interval", 0);
	jd_duration(doc, dg, s->cfg, path, "query_timeout", 0);
	jd_int(doc, dg, s->cfg, path, "max_series", MAX_SERIES_DEF, 0, MAX_SERIES_MAX);
	m = jd_str(doc, dg, s->cfg, path, "method", NULL);
	if (m && strcasecmp(m, "GET") && strcasecmp(m, "POST") && strcasecmp(m, "auto"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(s->cfg, "method"), 0,
		    "%s.method: expected GET, POST or auto", path);
	return 0;
}

const struct source_class prometheus_source = {
	.name = "prometheus",
	.help = "Prometheus HTTP API v1 (also Thanos, Mimir, Cortex, VictoriaMetrics)",
	.url_env = "SCRY_PROMETHEUS_URL",
	.cfg_keys = prom_keys,
	.kinds = prom_kinds,
	.check = prom_check,
	.create = prom_create,
	.destroy = prom_destroy,
	.fetch = prom_fetch,
	.cancel = prom_cancel,
	.scrape_interval = prom_scrape,
};
