/* kuberun: the two non-watch kubectl runners.
 *  top:  `kubectl top pods --no-headers`, at most one call in flight and at
 *        most one per top_interval; "Metrics API not available" (no
 *        metrics-server) is emitted as an unavailable snapshot with an OK
 *        status: a state of the cluster, not a failure of scry.
 *  logs: `kubectl logs --follow --tail=N --timestamps` (or --previous)
 *        streamed line by line into the store's bounded ring.
 * Invariants: r->list is the one child of a runner here; lines longer
 * than LINE_MAX are cut (and counted) rather than buffered forever. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "sources/kubectl.h"
#include "sources/kubeparse.h"

#define LINE_MAX_	(16 * 1024)
#define TOP_OUT_MAX	(16u << 20)

/* ------------------------------------------------------------ top */

static int
metrics_missing(const char *err)
{
	return strstr(err, "Metrics API not available") || strstr(err, "metrics not available yet") ||
	    (strstr(err, "metrics.k8s.io") && strstr(err, "could not find the requested resource"));
}

static void
top_emit(struct krunner *r, const struct proc_result *res)
{
	struct ev_kube *e = kube_ev_new(KK_METRIC, KOP_SNAPSHOT, krunner_context(r));
	const char *l = res->out, *end = res->out + res->out_len;

	while (l < end) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
		struct kmetric *m = kube_parse_top_line(l, n, r->k->ns, r->k->all_ns);
		if (m)
			kube_ev_add(e, m);
		else if (n && strspn(l, " \t\r") < n)
			e->dropped++;
		l += n + 1;
	}
	krunner_emit(r, e);
}

static void
top_exit(void *ctx, const struct proc_result *res)
{
	struct krunner *r = ctx;
	int code = 0;

	r->list = NULL;
	r->last_run_ms = ts_mono_ms();
	r->last_ok = 1;
	if (res->exited && res->code == 0) {
		top_emit(r, res);
		krunner_status(r, QS_OK, 0, res->elapsed_ms, NULL, 0);
		krunner_done(r, 1);
		return;
	}
	if (res->exited && metrics_missing(res->err)) {
		struct ev_kube *e = kube_ev_new(KK_METRIC, KOP_SNAPSHOT, krunner_context(r));
		e->unavailable = 1;
		krunner_emit(r, e);
		krunner_status(r, QS_OK, 0, res->elapsed_ms, NULL, 0);
		krunner_done(r, 1);
		return;
	}
	r->last_ok = 0;
	{
		char *msg = krunner_child_error(r, "top", res, &code);
		krunner_status(r, QS_ERROR, code, res->elapsed_ms, msg, 0);
		log_warn("kubectl top (%s): %s", r->k->base.name, msg);
		free(msg);
	}
	krunner_done(r, 0);
}

void
ktop_fetch(struct krunner *r)
{
	struct kargv a;
	struct proc_spec s = { .on_exit = top_exit, .ctx = r, .out_max = TOP_OUT_MAX,
	    .deadline_ms = r->k->deadline_ms };
	char *err = NULL;

	if (r->list)
		return;		/* one call at a time: answered when it ends */
	if (r->last_run_ms && ts_mono_ms() - r->last_run_ms < r->k->top_interval_ms) {
		/* still fresh: top has its own interval; the source is healthy */
		if (r->last_ok)
			krunner_status(r, QS_OK, 0, 0, NULL, 0);
		krunner_done(r, r->last_ok);
		return;
	}
	kargv_init(&a, r->k, "top", "pods", 1);
	kargv_add(&a, "--no-headers");
	kargv_addf(&a, "--request-timeout=%s", r->k->request_timeout);
	if (*r->expr)
		kargv_addf(&a, "--selector=%s", r->expr);
	s.argv = a.v;
	r->list = proc_start(r->k->base.env->loop, &s, &err);
	kargv_free(&a);
	if (!r->list) {
		r->last_run_ms = ts_mono_ms();
		r->last_ok = 0;
		krunner_status(r, QS_ERROR, 0, 0, err, 0);
		free(err);
		krunner_done(r, 0);
	}
}

/* ------------------------------------------------------------ logs */

struct logref {
	char	ns[256], pod[256], container[256];
	int	previous;
};

static int
plain(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' ||
		    *s == '_' || (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

/* "ns/pod/container[/previous]" */
static int
logref_parse(const char *expr, struct logref *lr)
{
	char tail[32] = "";
	int n;

	memset(lr, 0, sizeof lr[0]);
	n = sscanf(expr, "%255[^/]/%255[^/]/%255[^/]/%31s", lr->ns, lr->pod, lr->container, tail);
	if (n < 2 || !plain(lr->ns) || !plain(lr->pod) || (n >= 3 && !plain(lr->container)))
		return -1;
	lr->previous = n == 4 && strcmp(tail, "previous") == 0;
	return 0;
}

static void
log_lines(struct krunner *r, const char *d, size_t n, struct ev_kube *e)
{
	for (size_t i = 0; i < n; i++) {
		if (d[i] != '\n') {
			if (r->line.len < LINE_MAX_)
				buf_putc(&r->line, d[i]);
			continue;
		}
		kube_ev_add(e, kube_parse_log_line(r->line.data ? r->line.data : "", r->line.len));
		buf_reset(&r->line);
	}
}

static void
logs_out(void *ctx, const char *d, size_t n)
{
	struct krunner *r = ctx;
	struct ev_kube *e = kube_ev_new(KK_LOG, KOP_APPEND, krunner_context(r));

	log_lines(r, d, n, e);
	if (e->n)
		krunner_emit(r, e);
	else
		kube_ev_free(e);
	if (r->state == KR_RUNNING && !r->last_ok_ms) {
		r->last_ok_ms = ts_mono_ms();
		krunner_status(r, QS_OK, 0, r->last_ok_ms - r->started_ms, NULL, 0);
	}
}

static void
logs_exit(void *ctx, const struct proc_result *res)
{
	struct krunner *r = ctx;
	int code = 0;

	r->list = NULL;
	r->state = KR_ENDED;
	r->last_ok = res->exited && res->code == 0;
	if (r->line.len)
		logs_out(r, "\n", 1);
	if (res->exited && res->code == 0) {
		krunner_status(r, QS_OK, 0, res->elapsed_ms, NULL, 0);
	} else {
		char *msg = krunner_child_error(r, "logs", res, &code);
		krunner_status(r, QS_ERROR, code, res->elapsed_ms, msg, 0);
		free(msg);
	}
	krunner_done(r, res->exited && res->code == 0);
}

void
klogs_fetch(struct krunner *r)
{
	struct logref lr;
	struct kargv a;
	struct proc_spec s = { .on_out = logs_out, .on_exit = logs_exit, .ctx = r };
	char *err = NULL;

	if (r->state == KR_RUNNING) {
		/* streaming: the data arrives as it comes; the stream is alive */
		krunner_status(r, QS_OK, 0, 0, NULL, 0);
		krunner_done(r, 1);
		return;
	}
	if (logref_parse(r->expr, &lr) < 0) {
		krunner_status(r, QS_ERROR, 0, 0, "logs: expected NAMESPACE/POD[/CONTAINER]", 0);
		krunner_done(r, 0);
		return;
	}
	if (r->state == KR_ENDED && lr.previous) {
		/* a previous container's log does not change */
		if (r->last_ok)
			krunner_status(r, QS_OK, 0, 0, NULL, 0);
		krunner_done(r, r->last_ok);
		return;
	}
	kargv_init(&a, r->k, "logs", NULL, 0);
	kargv_addf(&a, "--namespace=%s", lr.ns);
	kargv_add(&a, lr.pod);
	if (*lr.container)
		kargv_addf(&a, "--container=%s", lr.container);
	kargv_addf(&a, "--tail=%d", r->k->log_tail);
	kargv_add(&a, "--timestamps");
	kargv_add(&a, lr.previous ? "--previous" : "--follow");
	buf_free(&r->line);
	buf_init(&r->line, LINE_MAX_ + 1);
	s.argv = a.v;
	r->list = proc_start(r->k->base.env->loop, &s, &err);
	kargv_free(&a);
	if (!r->list) {
		krunner_status(r, QS_ERROR, 0, 0, err, 0);
		free(err);
		krunner_done(r, 0);
		return;
	}
	r->state = KR_RUNNING;
	r->started_ms = ts_mono_ms();
	r->last_ok_ms = 0;
	krunner_emit(r, kube_ev_new(KK_LOG, KOP_SNAPSHOT, krunner_context(r)));
	krunner_done(r, 1);
}

void
krun_stop(struct krunner *r)
{
	if (r->list)
		proc_cancel(r->list);
	r->list = NULL;
	buf_free(&r->line);
	r->state = KR_IDLE;
}
