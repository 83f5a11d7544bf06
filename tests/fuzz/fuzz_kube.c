/* fuzz target: everything kubectl output and recordings feed the kube code
 * — the EV_KUBE decoder (recordings are untrusted), the JSON splitter in
 * both modes with any chunking, list items and watch events of pods,
 * events and deployments (as sources/kubewatch.c handles them), and
 * kubectl's text outputs (`top pods` whole, as sources/kuberun.c splits
 * it, and `logs --timestamps` lines); every batch is applied to a store.
 *
 * Input: one selector byte, then kubectl's output.
 *   bits 0-1  0 EV_KUBE decoder, 1 watch stream (--output-watch-events,
 *             JS_SEQ), 2 list (-o json, JS_ITEMS), 3 text (top, logs)
 *   bits 2-3  kind: pods, events, deployments (3: pods); for text, bit 2
 *             is --all-namespaces
 *   bits 4-7  chunk size fed to the splitter: 4 * n + 1 bytes */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/event.h"
#include "core/kube.h"
#include "core/store.h"
#include "sources/jsplit.h"
#include "sources/kubeparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fctx {
	struct store	*st;
	enum kube_kind	 kind;
	enum jsplit_mode mode;
};

static void
apply(struct store *st, struct ev_kube *e)
{
	struct event *ev = event_new(EV_KUBE, 1, "k", e);

	store_apply(st, ev);
	event_free(ev);
}

/* One value from the splitter, as kubewatch.c's watch_value / list_item. */
static void
value(void *ctx, const char *json, size_t n)
{
	struct fctx *c = ctx;
	cJSON *o = cJSON_ParseWithLength(json, n);
	const cJSON *items = kube_watch_items(o);
	struct ev_kube *e = kube_ev_new(c->kind, KOP_UPSERT, "f");
	void *obj = NULL;
	char *msg = NULL;
	enum kube_op op;

	if (c->mode == JS_ITEMS) {
		if ((obj = kube_parse_obj(c->kind, o)))
			kube_ev_add(e, obj);
	} else {
		for (const cJSON *it = items ? items->child : NULL; it; it = it->next)
			if ((obj = kube_parse_obj(c->kind, it)))
				kube_ev_add(e, obj);
		op = items ? KOP_NONE : kube_parse_watch(c->kind, o, &obj, &msg);
		if (op != KOP_NONE) {
			apply(c->st, e);
			e = kube_ev_new(c->kind, op, "f");
			kube_ev_add(e, obj);
		}
	}
	free(msg);
	cJSON_Delete(o);
	apply(c->st, e);
}

/* kubectl top pods --no-headers, line by line as kuberun.c's top_emit. */
static void
top(struct store *st, const char *s, size_t len, int all_ns)
{
	struct ev_kube *e = kube_ev_new(KK_METRIC, KOP_SNAPSHOT, "f");
	const char *l = s, *end = s + len;

	while (l < end) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
		struct kmetric *m = kube_parse_top_line(l, n, "ns", all_ns);
		if (m)
			kube_ev_add(e, m);
		l += n + 1;
	}
	apply(st, e);
}

/* kubectl logs --timestamps output, line by line as kuberun.c's log_lines. */
static void
logs(struct store *st, const char *s, size_t len)
{
	struct ev_kube *e = kube_ev_new(KK_LOG, KOP_APPEND, "f");
	const char *l = s, *end = s + len;

	while (l < end) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) : (size_t)(end - l);
		kube_ev_add(e, kube_parse_log_line(l, n));
		l += n + 1;
	}
	apply(st, e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum kube_kind kinds[4] = { KK_POD, KK_EVENT, KK_DEPLOY, KK_POD };
	struct store *st;
	struct jsplit js;
	struct fctx c;
	size_t chunk;

	if (size < 1)
		return 0;
	chunk = (size_t)(data[0] >> 4) * 4 + 1;
	st = store_new(NULL);
	switch (data[0] & 3) {
	case 0: {
		struct rd r;
		char *err = NULL;
		struct event *ev;
		rd_init(&r, data + 1, size - 1);
		if ((ev = event_decode(&r, &err)))
			store_apply(st, ev);
		event_free(ev);
		free(err);
		break;
	}
	case 1: case 2:
		c.st = st;
		c.kind = kinds[(data[0] >> 2) & 3];
		c.mode = (data[0] & 3) == 1 ? JS_SEQ : JS_ITEMS;
		jsplit_init(&js, c.mode, 1u << 20, value, &c);
		for (size_t off = 1; off < size; off += chunk)
			jsplit_feed(&js, (const char *)data + off, size - off < chunk ? size - off : chunk);
		jsplit_free(&js);
		break;
	default:
		logs(st, (const char *)data + 1, size - 1);
		top(st, (const char *)data + 1, size - 1, (data[0] >> 2) & 1);
		break;
	}
	store_free(st);
	return 0;
}
