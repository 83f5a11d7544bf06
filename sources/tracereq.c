/* tracereq: per-fetch state of the trace sources.  Invariant: a treq is
 * on its source's list exactly while its HTTP call may still call back. */
#include "sources/tracereq.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "core/xalloc.h"

struct treq *
treq_new(struct treq **list, struct source *src, const struct fetch *f, enum treq_kind kind)
{
	struct treq *q = xcalloc(1, sizeof *q);

	q->src = src;
	q->f = *f;
	q->f.key = xstrdup(f->key);
	q->f.expr = xstrdup(f->expr ? f->expr : "");
	q->f.qcfg = NULL;
	q->kind = kind;
	q->next = *list;
	if (*list)
		(*list)->prev = q;
	*list = q;
	return q;
}

static void
unlink_q(struct treq **list, struct treq *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		*list = q->next;
	if (q->next)
		q->next->prev = q->prev;
}

static void
free_q(struct treq *q)
{
	free((char *)q->f.key);
	free((char *)q->f.expr);
	free(q->search);
	free(q);
}

void
treq_finish(struct treq **list, struct treq *q, int ok, int64_t retry_after_ms)
{
	unlink_q(list, q);
	if (q->f.done)
		q->f.done(q->f.done_ctx, &q->f, ok, retry_after_ms);
	free_q(q);
}

void
treq_cancel(struct treq **list, struct http *h, const char *key)
{
	struct treq *q = *list, *n;

	for (; q; q = n) {
		n = q->next;
		if (key && strcmp(q->f.key, key) != 0)
			continue;
		unlink_q(list, q);
		if (q->call)
			http_cancel(h, q->call);
		free_q(q);
	}
}

void
treq_status(struct treq *q, const struct http_resp *r, const char *error, const char *warning,
    uint64_t dropped)
{
	struct ev_status *s = status_new(error ? QS_ERROR : QS_OK, error);
	struct source_env *env = q->src->env;

	s->http = r && !r->too_large ? (int)r->status : 0;	/* a cut-off 200 is no answer */
	s->latency_ms = r ? r->latency_ms : 0;
	s->dropped = dropped;
	s->insecure = q->src->insecure;
	if (warning)
		status_add_warning(s, warning);
	event_emit(&env->sink, event_new(EV_STATUS, env->now ? env->now() : ts_now(), q->f.key, s));
}

static char *
word(const char **p, int stop_eq)
{
	const char *s = *p;
	char *out = xcalloc(strlen(s) + 1, 1);
	size_t n = 0;
	int quoted = 0;

	while (*s && (quoted || (!isspace((unsigned char)*s) && !(stop_eq && *s == '=')))) {
		if (*s == '"') {
			quoted = !quoted;
			s++;
			continue;
		}
		if (*s == '\\' && quoted && s[1])
			s++;
		out[n++] = *s++;
	}
	*p = s;
	return out;
}

int
treq_limit(const char *v, int dflt)
{
	char *end;
	long n = strtol(v, &end, 10);

	return end != v && !*end && n >= 1 && n <= INT_MAX ? (int)n : dflt;
}

size_t
treq_split_params(const char *s, char ***keys, char ***vals)
{
	size_t n = 0, cap = 0;

	*keys = *vals = NULL;
	for (;;) {
		char *k, *v = NULL;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		k = word(&s, 1);
		if (*s == '=') {
			s++;
			v = word(&s, 0);
		}
		xgrow(keys, &cap, n + 1, sizeof **keys);
		*vals = xreallocarray(*vals, cap, sizeof **vals);
		if (v) {
			(*keys)[n] = k;
			(*vals)[n] = v;
		} else {
			(*keys)[n] = NULL;
			(*vals)[n] = k;
		}
		n++;
	}
	return n;
}

int
tracesrc_check_links(const struct dash_source *cfg, const struct jdoc *doc, struct diag *dg)
{
	static const char *const lk[] = { "source", "labels", "query", "filter_trace_id", "shift", NULL };
	static const char *const mk[] = { "source", "queries", "shift", NULL };
	static const char *const qk[] = { "title", "query", "unit", NULL };
	char path[300], p2[340];
	const cJSON *l, *m, *qs, *labels;
	size_t i = 0;

	snprintf(path, sizeof path, "sources.%s.trace_to_logs", cfg->name);
	if ((l = jd_obj(doc, dg, cfg->cfg, path, "trace_to_logs"))) {
		jd_check_keys(doc, dg, l, path, lk, NULL);
		jd_str(doc, dg, l, path, "source", NULL);
		jd_str(doc, dg, l, path, "query", NULL);
		jd_bool(doc, dg, l, path, "filter_trace_id", 1);
		jd_duration(doc, dg, l, path, "shift", 0);
		if ((labels = jd_obj(doc, dg, l, path, "labels")))
			for (const cJSON *c = labels->child; c; c = c->next)
				if (!cJSON_IsString(c))
					jdoc_diag(doc, dg, DIAG_ERROR, c, 0, "%s.labels.%s: expected the name "
					    "of a span attribute (a string)", path, c->string);
	}
	snprintf(path, sizeof path, "sources.%s.trace_to_metrics", cfg->name);
	if ((m = jd_obj(doc, dg, cfg->cfg, path, "trace_to_metrics"))) {
		jd_check_keys(doc, dg, m, path, mk, NULL);
		jd_str(doc, dg, m, path, "source", NULL);
		jd_duration(doc, dg, m, path, "shift", 0);
		if ((qs = jd_arr(doc, dg, m, path, "queries")))
			for (const cJSON *q = qs->child; q; q = q->next, i++) {
				snprintf(p2, sizeof p2, "%s.queries[%zu]", path, i);
				if (!cJSON_IsObject(q) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(q, "query"))) {
					jdoc_diag(doc, dg, DIAG_ERROR, q, 0, "%s: expected {\"title\", "
					    "\"query\", \"unit\"}", p2);
					continue;
				}
				jd_check_keys(doc, dg, q, p2, qk, NULL);
				jd_str(doc, dg, q, p2, "title", NULL);
				jd_str(doc, dg, q, p2, "unit", NULL);
			}
	}
	return 0;
}
