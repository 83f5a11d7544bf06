/* kubewatch: list + watch runners for pods, events and deployments.
 *
 * State machine per key:
 *   IDLE/WAIT --fetch or retry timer--> LISTING (`get KIND -o json`, deadline)
 *   LISTING --ok--> emit SNAPSHOT, WATCHING (`get KIND --watch
 *              --output-watch-events -o json`, no deadline)
 *   LISTING --fail--> status error, WAIT (retry timer with backoff)
 *   WATCHING --child exits--> WAIT (short delay, longer when it keeps dying)
 *   WATCHING --watch_restart elapsed--> relist (bounded staleness when a
 *              server stops sending without closing the stream)
 * While WATCHING every fetch is answered at once with an OK status (the
 * data is live); in LISTING the fetch completes with the list.
 * Invariants: at most one list and one watch child per runner; the JSON
 * splitter is initialised exactly while a child is streaming into it. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/jfix.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "sources/kubectl.h"
#include "sources/kubeparse.h"

#define RETRY_MIN_MS	2000
#define RETRY_MAX_MS	(5 * 60 * 1000)
#define SHORT_LIFE_MS	10000
#define LIST_MAX	200000	/* objects in one list; more are dropped and counted */
#define BATCH_MAX	4096	/* watch changes per event */

static void list_start(struct krunner *r);

static const char *
kind_arg(enum kube_kind kind)
{
	return kind == KK_EVENT ? "events" : kind == KK_DEPLOY ? "deployments" : "pods";
}

static void
add_selector(struct krunner *r, struct kargv *a)
{
	if (!*r->expr)
		return;
	if (r->kind == KK_EVENT)
		kargv_addf(a, "--field-selector=%s", r->expr);
	else
		kargv_addf(a, "--selector=%s", r->expr);
}

static struct loop *
loop_of(struct krunner *r)
{
	return r->k->base.env->loop;
}

static void
js_reset(struct krunner *r, enum jsplit_mode mode, jsplit_fn cb)
{
	jsplit_free(&r->js);
	jsplit_init(&r->js, mode, r->k->max_list_bytes, cb, r);
}

static void
cancel_timer(struct krunner *r)
{
	if (r->timer)
		loop_cancel(loop_of(r), r->timer);
	r->timer = 0;
}

static void
retry_cb(void *ctx)
{
	struct krunner *r = ctx;
	r->timer = 0;
	if (r->state == KR_WAIT || r->state == KR_IDLE)
		list_start(r);
}

static void
wait_then_list(struct krunner *r, int64_t ms)
{
	cancel_timer(r);
	r->state = KR_WAIT;
	r->timer = loop_timer(loop_of(r), ms, retry_cb, r);
}

static int64_t
backoff_ms(int fails)
{
	int64_t ms = RETRY_MIN_MS;
	for (int i = 1; i < fails && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	return ms < RETRY_MAX_MS ? ms : RETRY_MAX_MS;
}

/* ------------------------------------------------------------ watch */

static void
flush(struct krunner *r)
{
	if (r->batch && r->batch->n)
		krunner_emit(r, r->batch);
	else
		kube_ev_free(r->batch);
	r->batch = NULL;
}

static void
batch_add(struct krunner *r, enum kube_op op, void *obj)
{
	if (r->batch && r->batch->op != op)
		flush(r);
	if (!r->batch)
		r->batch = kube_ev_new(r->kind, op, krunner_context(r));
	kube_ev_add(r->batch, obj);
	if (r->batch->n >= BATCH_MAX)
		flush(r);
}

static void
watch_value(void *ctx, const char *json, size_t n)
{
	struct krunner *r = ctx;
	cJSON *o = jfix_parse(json, n);
	const cJSON *items = kube_watch_items(o), *it;
	char *msg = NULL;
	void *obj;
	enum kube_op op;

	if (!o) {
		r->parse_errors++;
		return;
	}
	for (it = items ? items->child : NULL; it; it = it->next)	/* a page of the initial list */
		if ((obj = kube_parse_obj(r->kind, it)))
			batch_add(r, KOP_UPSERT, obj);
	op = items ? KOP_NONE : kube_parse_watch(r->kind, o, &obj, &msg);
	cJSON_Delete(o);
	if (msg) {
		free(r->watch_err);
		r->watch_err = msg;
	}
	if (op != KOP_NONE)
		batch_add(r, op, obj);
}

static void
watch_out(void *ctx, const char *data, size_t n)
{
	struct krunner *r = ctx;
	jsplit_feed(&r->js, data, n);
	flush(r);
}

static void
watch_exit(void *ctx, const struct proc_result *res)
{
	struct krunner *r = ctx;
	int64_t lived = res->elapsed_ms;

	r->watch = NULL;
	flush(r);
	cancel_timer(r);
	if (!res->exited || res->code != 0 || r->watch_err) {
		int code;
		char *msg = r->watch_err ? xasprintf("watch: %s", r->watch_err) :
		    krunner_child_error(r, "watch", res, &code);
		krunner_status(r, QS_ERROR, 0, 0, msg, 0);
		log_warn("kubectl watch %s ended: %s", kind_arg(r->kind), msg);
		free(msg);
	} else
		log_debug("kubectl watch %s ended after %llds; relisting", kind_arg(r->kind),
		    (long long)(lived / 1000));
	free(r->watch_err);
	r->watch_err = NULL;
	r->fails = lived < SHORT_LIFE_MS ? r->fails + 1 : 0;
	wait_then_list(r, r->fails ? backoff_ms(r->fails) : 1000);
}

static void
restart_cb(void *ctx)
{
	struct krunner *r = ctx;

	r->timer = 0;
	if (r->watch) {
		proc_cancel(r->watch);
		r->watch = NULL;
	}
	flush(r);
	list_start(r);
}

static void
watch_start(struct krunner *r)
{
	struct kargv a;
	struct proc_spec s = { .on_out = watch_out, .on_exit = watch_exit, .ctx = r };
	char *err = NULL;

	kargv_init(&a, r->k, "get", kind_arg(r->kind), 1);
	kargv_add(&a, "--watch");
	kargv_add(&a, "--output-watch-events");
	kargv_add(&a, "--output=json");
	add_selector(r, &a);
	js_reset(r, JS_SEQ, watch_value);
	s.argv = a.v;
	r->watch = proc_start(loop_of(r), &s, &err);
	kargv_free(&a);
	if (!r->watch) {
		krunner_status(r, QS_ERROR, 0, 0, err, 0);
		free(err);
		r->fails++;
		wait_then_list(r, backoff_ms(r->fails));
		return;
	}
	r->state = KR_WATCHING;
	r->timer = loop_timer(loop_of(r), r->k->watch_restart_ms, restart_cb, r);
}

/* ------------------------------------------------------------ list */

static void
list_item(void *ctx, const char *json, size_t n)
{
	struct krunner *r = ctx;
	cJSON *o = jfix_parse(json, n);
	void *obj = kube_parse_obj(r->kind, o);

	cJSON_Delete(o);
	if (obj && r->snap->n < LIST_MAX)
		kube_ev_add(r->snap, obj);
	else {
		kube_obj_free(r->kind, obj);
		r->parse_errors++;
	}
}

static void
list_out(void *ctx, const char *data, size_t n)
{
	struct krunner *r = ctx;
	jsplit_feed(&r->js, data, n);
}

static void
list_failed(struct krunner *r, const char *msg, int code, int64_t latency)
{
	kube_ev_free(r->snap);
	r->snap = NULL;
	krunner_status(r, QS_ERROR, code, latency, msg, 0);
	log_warn("kubectl get %s (%s): %s", kind_arg(r->kind), r->k->base.name, msg);
	r->fails++;
	wait_then_list(r, backoff_ms(r->fails));
	krunner_done(r, 0);
}

static void
list_exit(void *ctx, const struct proc_result *res)
{
	struct krunner *r = ctx;
	uint64_t dropped;
	int code = 0;
	char *msg;

	r->list = NULL;
	if (!res->exited || res->code != 0) {
		msg = krunner_child_error(r, "get", res, &code);
		list_failed(r, msg, code, res->elapsed_ms);
		free(msg);
		return;
	}
	if (!jsplit_idle(&r->js) || !r->js.seen_top || r->js.stray) {
		msg = xasprintf("kubectl printed malformed JSON for %s (%zu bytes read)",
		    kind_arg(r->kind), (size_t)r->js.cur.len);
		list_failed(r, msg, 0, res->elapsed_ms);
		free(msg);
		return;
	}
	dropped = r->js.dropped + r->parse_errors;
	r->snap->dropped = dropped;
	krunner_emit(r, r->snap);
	r->snap = NULL;
	krunner_status(r, QS_OK, 0, res->elapsed_ms, NULL, dropped);
	r->parse_errors = 0;
	r->last_ok_ms = ts_mono_ms();
	watch_start(r);
	krunner_done(r, 1);
}

static void
list_start(struct krunner *r)
{
	struct kargv a;
	struct proc_spec s = { .on_out = list_out, .on_exit = list_exit, .ctx = r,
	    .deadline_ms = r->k->deadline_ms };
	char *err = NULL;

	cancel_timer(r);
	kargv_init(&a, r->k, "get", kind_arg(r->kind), 1);
	kargv_add(&a, "--output=json");
	kargv_addf(&a, "--request-timeout=%s", r->k->request_timeout);
	add_selector(r, &a);
	js_reset(r, JS_ITEMS, list_item);
	kube_ev_free(r->snap);
	r->snap = kube_ev_new(r->kind, KOP_SNAPSHOT, krunner_context(r));
	r->parse_errors = 0;
	s.argv = a.v;
	r->list = proc_start(loop_of(r), &s, &err);
	kargv_free(&a);
	r->state = KR_LISTING;
	r->started_ms = ts_mono_ms();
	if (!r->list) {
		list_failed(r, err, 0, 0);
		free(err);
	}
}

void
kwatch_fetch(struct krunner *r)
{
	switch (r->state) {
	case KR_WATCHING:
		krunner_status(r, QS_OK, 0, 0, NULL, 0);
		krunner_done(r, 1);
		break;
	case KR_LISTING:
		break;	/* answered when the list finishes */
	default:
		list_start(r);
	}
}

void
kwatch_stop(struct krunner *r)
{
	cancel_timer(r);
	if (r->list)
		proc_cancel(r->list);
	if (r->watch)
		proc_cancel(r->watch);
	r->list = r->watch = NULL;
	kube_ev_free(r->snap);
	kube_ev_free(r->batch);
	r->snap = r->batch = NULL;
	free(r->watch_err);
	r->watch_err = NULL;
	jsplit_free(&r->js);
	memset(&r->js, 0, sizeof r->js);
	r->state = KR_IDLE;
}
