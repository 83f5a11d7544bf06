/* kubectl: source class "kubectl" — configuration, runners per key, fetch
 * dispatch, and the helpers its runners share (argv, status, errors).
 * Invariants: argv never carries a secret (only program, kubeconfig path,
 * context, namespace, selectors, object names); each runner belongs to
 * exactly one key; a cancelled runner's children are cancelled and its
 * pending fetches are dropped without a done() call. */
#include "sources/kubectl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/secret.h"
#include "core/xalloc.h"

static const char *const kubectl_keys[] = { "context", "namespace", "kubeconfig",
	"request_timeout", "timeout", "kubectl", "top_interval", "watch_restart", "log_tail",
	"markers", "max_object_bytes", NULL };
static const char *const kubectl_kinds[] = { "pods", "events", "deployments", "top", "logs",
	NULL };

const struct source_class kubectl_source;

/* ------------------------------------------------------------ argv */

void
kargv_add(struct kargv *a, const char *s)
{
	if (a->n < KARGV_MAX)
		a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void
kargv_addf(struct kargv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (a->nown >= KARGV_MAX)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	a->own[a->nown++] = s;
	kargv_add(a, s);
}

void
kargv_init(struct kargv *a, const struct kctl *k, const char *verb, const char *what, int with_ns)
{
	memset(a, 0, sizeof *a);
	kargv_add(a, k->kubectl);
	/* the command first: --all-namespaces is not a global flag, and
	 * kubectl takes anything unknown before the command for a plugin */
	kargv_add(a, verb);
	if (what)
		kargv_add(a, what);
	if (k->kubeconfig)
		kargv_addf(a, "--kubeconfig=%s", k->kubeconfig);
	if (k->context)
		kargv_addf(a, "--context=%s", k->context);
	if (with_ns) {
		if (k->all_ns)
			kargv_add(a, "--all-namespaces");
		else if (k->ns)
			kargv_addf(a, "--namespace=%s", k->ns);
	}
}

void
kargv_free(struct kargv *a)
{
	for (size_t i = 0; i < a->nown; i++)
		free(a->own[i]);
	a->nown = a->n = 0;
}

/* ------------------------------------------------------------ status */

const char *
krunner_context(const struct krunner *r)
{
	return r->k->context ? r->k->context : r->k->base.name;
}

void
krunner_emit(struct krunner *r, struct ev_kube *e)
{
	struct source_env *env = r->k->base.env;
	event_emit(&env->sink, event_new(EV_KUBE, env->now(), r->key, e));
}

void
krunner_status(struct krunner *r, enum qstate st, int code, int64_t latency_ms, const char *error,
    uint64_t dropped)
{
	struct source_env *env = r->k->base.env;
	struct ev_status *s = status_new(st, error);

	s->http = code;
	s->latency_ms = latency_ms;
	s->dropped = dropped;
	event_emit(&env->sink, event_new(EV_STATUS, env->now(), r->key, s));
}

static void
done_cb(void *ctx)
{
	struct krunner *r = ctx;
	struct fetch f;
	int ok, more = 0, idx = -1;

	r->done_timer = 0;
	for (int i = 0; i < KPEND_MAX; i++)
		if (r->pend[i].used && r->pend[i].finished) {
			if (idx < 0)
				idx = i;
			else
				more = 1;
		}
	if (idx < 0)
		return;
	f = r->pend[idx].f;
	ok = r->pend[idx].ok;
	memset(&r->pend[idx], 0, sizeof r->pend[idx]);
	if (more)
		r->done_timer = loop_timer(r->k->base.env->loop, 0, done_cb, r);
	/* done() may cancel (free) this runner: touch nothing of r after it */
	f.done(f.done_ctx, &f, ok, 0);
	free((char *)f.key);
}

void
krunner_done(struct krunner *r, int ok)
{
	int any = 0;

	for (int i = 0; i < KPEND_MAX; i++) {
		struct kpending *p = &r->pend[i];
		if (p->used && !p->finished) {
			p->finished = 1;
			p->ok = ok;
			any = 1;
		}
	}
	if (any && !r->done_timer)
		r->done_timer = loop_timer(r->k->base.env->loop, 0, done_cb, r);
}

/* HTTP-like code from kubectl's "Error from server (Reason)". */
static int
reason_code(const char *line)
{
	static const struct { const char *r; int code; } tab[] = {
		{ "(Forbidden)", 403 }, { "(Unauthorized)", 401 }, { "(NotFound)", 404 },
		{ "(BadRequest)", 400 }, { "(Gone)", 410 }, { "(TooManyRequests)", 429 },
		{ "(ServiceUnavailable)", 503 }, { "(InternalError)", 500 }, { "(Timeout)", 504 },
	};
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strstr(line, tab[i].r))
			return tab[i].code;
	if (strstr(line, "You must be logged in"))
		return 401;
	return 0;
}

char *
krunner_child_error(const struct krunner *r, const char *what, const struct proc_result *res,
    int *code)
{
	const char *line = res->err_line && *res->err_line ? res->err_line : NULL;

	*code = line ? reason_code(line) : 0;
	if (res->timed_out)
		return xasprintf("kubectl %s did not finish within %llds (killed)%s%s", what,
		    (long long)(r->k->deadline_ms / 1000), line ? ": " : "", line ? line : "");
	if (line)
		return xstrdup(line);
	if (res->signal)
		return xasprintf("kubectl %s was killed by signal %d", what, res->signal);
	return xasprintf("kubectl %s exited with status %d", what, res->code);
}

/* ------------------------------------------------------------ runners */

static struct krunner *
runner_find(struct kctl *k, const char *key)
{
	for (struct krunner *r = k->runners; r; r = r->next)
		if (strcmp(r->key, key) == 0)
			return r;
	return NULL;
}

static enum kube_kind
kind_of(const char *kind)
{
	if (strcmp(kind, "pods") == 0)
		return KK_POD;
	if (strcmp(kind, "events") == 0)
		return KK_EVENT;
	if (strcmp(kind, "deployments") == 0)
		return KK_DEPLOY;
	if (strcmp(kind, "top") == 0)
		return KK_METRIC;
	if (strcmp(kind, "logs") == 0)
		return KK_LOG;
	return KK_NONE;
}

static struct krunner *
runner_new(struct kctl *k, const char *key, enum kube_kind kind, const char *expr)
{
	struct krunner *r = xcalloc(1, sizeof *r);
	r->k = k;
	r->key = xstrdup(key);
	r->expr = xstrdup(expr ? expr : "");
	r->kind = kind;
	r->next = k->runners;
	k->runners = r;
	return r;
}

static void
runner_stop(struct krunner *r)
{
	if (r->kind == KK_METRIC || r->kind == KK_LOG)
		krun_stop(r);
	else
		kwatch_stop(r);
}

static void
runner_free(struct krunner *r)
{
	runner_stop(r);
	if (r->done_timer)
		loop_cancel(r->k->base.env->loop, r->done_timer);
	for (int i = 0; i < KPEND_MAX; i++)
		if (r->pend[i].used)
			free((char *)r->pend[i].f.key);
	free(r->key);
	free(r->expr);
	free(r);
}

static void
runner_start(struct krunner *r)
{
	switch (r->kind) {
	case KK_METRIC:
		ktop_fetch(r);
		break;
	case KK_LOG:
		klogs_fetch(r);
		break;
	default:
		kwatch_fetch(r);
	}
}

static int
kubectl_fetch(struct source *src, const struct fetch *f, char **err)
{
	struct kctl *k = (struct kctl *)src;
	enum kube_kind kind = kind_of(f->kind);
	struct krunner *r;
	int slot = -1;

	if (kind == KK_NONE) {
		*err = xasprintf("kubectl cannot answer '%s' queries", f->kind);
		return -1;
	}
	if (!(r = runner_find(k, f->key)))
		r = runner_new(k, f->key, kind, f->expr);
	for (int i = 0; i < KPEND_MAX && slot < 0; i++)
		if (!r->pend[i].used)
			slot = i;
	if (slot < 0) {
		/* a unit asks again (dropped and re-created): forget the oldest */
		free((char *)r->pend[0].f.key);
		memset(&r->pend[0], 0, sizeof r->pend[0]);
		slot = 0;
	}
	r->pend[slot].f = *f;
	r->pend[slot].f.key = xstrdup(f->key);
	r->pend[slot].f.expr = NULL;
	r->pend[slot].f.qcfg = NULL;
	r->pend[slot].used = 1;
	r->pend[slot].finished = 0;
	runner_start(r);
	return 0;
}

static void
kubectl_cancel(struct source *src, const char *key)
{
	struct kctl *k = (struct kctl *)src;

	for (struct krunner **pp = &k->runners; *pp; pp = &(*pp)->next) {
		struct krunner *r = *pp;
		if (strcmp(r->key, key) != 0)
			continue;
		if (r->pinned) {	/* keep watching for markers; forget the fetches */
			for (int i = 0; i < KPEND_MAX; i++)
				if (r->pend[i].used) {
					free((char *)r->pend[i].f.key);
					memset(&r->pend[i], 0, sizeof r->pend[i]);
				}
			return;
		}
		*pp = r->next;
		runner_free(r);
		return;
	}
}

/* ------------------------------------------------------------ config */

static const char *
opt_str(const struct dash_source *cfg, const char *key)
{
	const cJSON *v = dash_source_opt(cfg, key);
	return cJSON_IsString(v) && v->valuestring && *v->valuestring ? v->valuestring : NULL;
}

static int
opt_duration(const struct dash_source *cfg, const char *key, tns dflt, tns *out, char **err)
{
	const cJSON *v = dash_source_opt(cfg, key);

	*out = dflt;
	if (!v)
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0) {
		*out = (tns)(v->valuedouble * NS_PER_S);
		return 0;
	}
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, out) == 0 && *out >= 0)
		return 0;
	*err = xasprintf("%s: expected a duration such as 15s", key);
	return -1;
}

/* Names we put on argv must not be able to look like options. */
static int
sane_name(const char *s)
{
	return s && *s && *s != '-' && strlen(s) < 512 && !strpbrk(s, "\n\r");
}

static int
configure(struct kctl *k, const struct dash_source *cfg, char **err)
{
	const char *ns = opt_str(cfg, "namespace"), *ctx = opt_str(cfg, "context");
	const char *kc = opt_str(cfg, "kubeconfig"), *rt = opt_str(cfg, "request_timeout");
	const cJSON *tail = dash_source_opt(cfg, "log_tail");
	tns d, rtd = 15 * NS_PER_S, top, wr;

	if ((ctx && !sane_name(ctx)) || (ns && !sane_name(ns) && strcmp(ns, "*") != 0) ||
	    (kc && !sane_name(kc))) {
		*err = xstrdup("context, namespace and kubeconfig must be plain names (not starting with '-')");
		return -1;
	}
	if (rt && ts_parse_duration(rt, &rtd) < 0) {
		*err = xasprintf("request_timeout: '%s' is not a duration such as 15s", rt);
		return -1;
	}
	if (opt_duration(cfg, "timeout", rtd + 10 * NS_PER_S, &d, err) < 0 ||
	    opt_duration(cfg, "top_interval", 30 * NS_PER_S, &top, err) < 0 ||
	    opt_duration(cfg, "watch_restart", 300 * NS_PER_S, &wr, err) < 0)
		return -1;
	k->kubectl = xstrdup(opt_str(cfg, "kubectl") ? opt_str(cfg, "kubectl") : "kubectl");
	k->context = ctx ? xstrdup(ctx) : NULL;
	k->all_ns = ns && strcmp(ns, "*") == 0;
	k->ns = ns && !k->all_ns ? xstrdup(ns) : NULL;
	k->kubeconfig = kc ? xstrdup(kc) : NULL;
	k->request_timeout = xasprintf("%llds", (long long)(rtd / NS_PER_S > 0 ? rtd / NS_PER_S : 1));
	k->deadline_ms = d / NS_PER_MS > 500 ? d / NS_PER_MS : 500;
	k->top_interval_ms = top / NS_PER_MS > 1000 ? top / NS_PER_MS : 1000;
	k->watch_restart_ms = wr / NS_PER_MS > 5000 ? wr / NS_PER_MS : 5000;
	k->log_tail = cJSON_IsNumber(tail) && tail->valuedouble >= 0 && tail->valuedouble <= 100000 ?
	    (int)tail->valuedouble : 500;
	k->max_list_bytes = 8u << 20;
	{
		const cJSON *mb = dash_source_opt(cfg, "max_object_bytes");
		if (cJSON_IsNumber(mb) && mb->valuedouble >= 4096 && mb->valuedouble <= 1e9)
			k->max_list_bytes = (size_t)mb->valuedouble;
	}
	return 0;
}

static int
kubectl_check(const struct dash_source *cfg, const struct jdoc *doc, struct diag *dg)
{
	struct kctl k;
	char *err = NULL;
	int rc;

	memset(&k, 0, sizeof k);
	rc = configure(&k, cfg, &err);
	if (rc < 0) {
		if (cfg->cfg)
			jdoc_diag(doc, dg, DIAG_ERROR, cfg->cfg, 1, "sources.%s: %s", cfg->name, err);
		else
			diag_add(dg, DIAG_ERROR, NULL, 0, 0, "source %s: %s", cfg->name, err);
	}
	free(err);
	free(k.kubectl); free(k.context); free(k.ns); free(k.kubeconfig); free(k.request_timeout);
	return rc;
}

static struct source *
kubectl_create(const struct dash_source *cfg, struct source_env *env, char **err)
{
	struct kctl *k = xcalloc(1, sizeof *k);
	const cJSON *markers = dash_source_opt(cfg, "markers");

	if (configure(k, cfg, err) < 0) {
		free(k->kubectl); free(k->context); free(k->ns); free(k->kubeconfig);
		free(k->request_timeout);
		free(k);
		return NULL;
	}
	k->base.cls = &kubectl_source;
	k->base.name = xstrdup(cfg->name);
	k->base.env = env;
	k->base.priv = k;
	if (!cJSON_IsFalse(markers)) {
		/* events feed the change markers of every graph, panels or not */
		char *key = qkey_make(cfg->name, "events", "");
		struct krunner *r = runner_new(k, key, KK_EVENT, "");
		r->pinned = 1;
		free(key);
		kwatch_fetch(r);
	}
	log_info("kubectl source %s: %s%s%s%s%s", cfg->name, k->kubectl,
	    k->context ? " --context=" : "", k->context ? k->context : "",
	    k->all_ns ? " -A" : k->ns ? " -n " : "", k->all_ns ? "" : k->ns ? k->ns : "");
	return &k->base;
}

static void
kubectl_destroy(struct source *src)
{
	struct kctl *k = (struct kctl *)src;
	struct loop *l = k->base.env ? k->base.env->loop : NULL;

	while (k->runners) {
		struct krunner *r = k->runners;
		k->runners = r->next;
		runner_free(r);
	}
	if (l)
		proc_reap_detached(l);
	free(k->kubectl); free(k->context); free(k->ns); free(k->kubeconfig);
	free(k->request_timeout);
	free(k->base.name);
	free(k);
}

const struct source_class kubectl_source = {
	.name = "kubectl",
	.help = "Kubernetes pods, events, deployments, top and logs via your own kubectl",
	.url_env = NULL,
	.cfg_keys = kubectl_keys,
	.kinds = kubectl_kinds,
	.check = kubectl_check,
	.create = kubectl_create,
	.destroy = kubectl_destroy,
	.fetch = kubectl_fetch,
	.cancel = kubectl_cancel,
};
