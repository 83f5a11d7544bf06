/* fuzz target: everything kubectl output and recordings feed the kube code
 * — the EV_KUBE decoder (recordings are untrusted), the JSON splitter in
 * both modes with any chunking, watch events and objects of every kind,
 * and kubectl's text outputs (top, logs).  The first input byte picks the
 * target and the chunk size.
 * Build: clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *   tests/fuzz/kube.c <every object but tui/main.o> $(pkg-config --libs ...) */
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

static void
value(void *ctx, const char *json, size_t n)
{
	struct store *st = ctx;
	cJSON *o = cJSON_ParseWithLength(json, n);
	const cJSON *items = kube_watch_items(o);
	struct ev_kube *e = kube_ev_new(KK_POD, KOP_UPSERT, "f");
	void *obj = NULL;
	char *msg = NULL;
	struct event *ev;

	for (const cJSON *it = items ? items->child : NULL; it; it = it->next)
		if ((obj = kube_parse_obj(KK_POD, it)))
			kube_ev_add(e, obj);
	for (int k = KK_POD; k <= KK_DEPLOY; k++)
		if ((obj = kube_parse_obj((enum kube_kind)k, o)))
			kube_obj_free((enum kube_kind)k, obj);
	if (kube_parse_watch(KK_POD, o, &obj, &msg) != KOP_NONE)
		kube_ev_add(e, obj);
	free(msg);
	cJSON_Delete(o);
	ev = event_new(EV_KUBE, 1, "k", e);
	store_apply(st, ev);
	event_free(ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *st;
	struct jsplit js;
	size_t chunk;

	if (size < 1)
		return 0;
	chunk = (size_t)(data[0] >> 2) + 1;
	switch (data[0] & 3) {
	case 0: {
		struct rd r;
		char *err = NULL;
		struct event *ev;
		rd_init(&r, data + 1, size - 1);
		if ((ev = event_decode(&r, &err))) {
			st = store_new(NULL);
			store_apply(st, ev);
			store_free(st);
		}
		event_free(ev);
		free(err);
		break;
	}
	case 1: case 2:
		st = store_new(NULL);
		jsplit_init(&js, (data[0] & 3) == 1 ? JS_SEQ : JS_ITEMS, 4096, value, st);
		for (size_t off = 1; off < size; off += chunk)
			jsplit_feed(&js, (const char *)data + off, size - off < chunk ? size - off : chunk);
		jsplit_free(&js);
		store_free(st);
		break;
	default: {
		struct kmetric *m = kube_parse_top_line((const char *)data + 1, size - 1, "ns", chunk & 1);
		struct kline *l = kube_parse_log_line((const char *)data + 1, size - 1);
		kube_obj_free(KK_METRIC, m);
		kube_obj_free(KK_LOG, l);
	}
	}
	return 0;
}
