/* event: envelope, kind registry and the binary event codec. */
#include "core/event.h"

#include <stdlib.h>
#include <string.h>

#include "core/alerts.h"
#include "core/annotation.h"
#include "core/exemplars.h"
#include "core/kube.h"
#include "core/logs.h"
#include "core/series.h"
#include "core/status.h"
#include "core/values.h"
#include "core/trace.h"
#include "core/tracesearch.h"
#include "core/xalloc.h"

#define KEY_MAX	(64 * 1024)

/* The registry of event kinds: one line per kind. */
static const struct ev_ops *const kinds[EV_KIND_MAX] = {
	[EV_STATUS] = &status_ev_ops,
	[EV_SERIES] = &series_ev_ops,
	[EV_ALERTS] = &alerts_ev_ops,
	[EV_EXEMPLARS] = &exemplars_ev_ops,
	[EV_ANNOTATION] = &annotation_ev_ops,
	[EV_VALUES] = &values_ev_ops,
	[EV_TRACE] = &trace_ev_ops,
	[EV_TRACESEARCH] = &tracesearch_ev_ops,
	[EV_KUBE] = &kube_ev_ops,
	[EV_LOGS] = &logs_ev_ops,
};

const struct ev_ops *
event_ops(enum ev_kind kind)
{
	if ((unsigned)kind >= EV_KIND_MAX)
		return NULL;
	return kinds[kind];
}

struct event *
event_new(enum ev_kind kind, tns t, const char *key, void *payload)
{
	struct event *ev = xcalloc(1, sizeof *ev);
	ev->kind = kind;
	ev->t = t;
	ev->key = xstrdup(key ? key : "");
	ev->p = payload;
	return ev;
}

void
event_free(struct event *ev)
{
	const struct ev_ops *ops;

	if (!ev)
		return;
	ops = event_ops(ev->kind);
	if (ops && ev->p)
		ops->free(ev->p);
	free(ev->key);
	free(ev);
}

int
event_encode(const struct event *ev, struct buf *b)
{
	const struct ev_ops *ops = event_ops(ev->kind);

	if (!ops)
		return -1;
	buf_put_uvarint(b, (uint64_t)ev->kind);
	buf_put_svarint(b, ev->t);
	buf_put_str(b, ev->key, strlen(ev->key));
	if (ops->encode(ev->p, b) < 0)
		return -1;
	return b->overflow ? -1 : 0;
}

struct event *
event_decode(struct rd *r, char **err)
{
	uint64_t kind;
	int64_t t;
	const char *key;
	size_t klen;
	const struct ev_ops *ops;
	struct event *ev;
	void *p;

	*err = NULL;
	if (rd_uvarint(r, &kind) < 0 || rd_svarint(r, &t) < 0 ||
	    rd_str(r, &key, &klen, KEY_MAX) < 0) {
		*err = xstrdup("truncated event header");
		return NULL;
	}
	if (!(ops = event_ops((enum ev_kind)kind))) {
		*err = xasprintf("unknown event kind %llu", (unsigned long long)kind);
		return NULL;
	}
	if (!(p = ops->decode(r, err))) {
		if (!*err)
			*err = xasprintf("bad %s event", ops->name);
		return NULL;
	}
	ev = xcalloc(1, sizeof *ev);
	ev->kind = (enum ev_kind)kind;
	ev->t = t;
	ev->key = xstrndup(key, klen);
	ev->p = p;
	return ev;
}

void
event_emit(const struct event_sink *sink, struct event *ev)
{
	if (sink && sink->emit)
		sink->emit(sink->ctx, ev);
	else
		event_free(ev);
}

char *
qkey_make(const char *source, const char *kind, const char *expr)
{
	return xasprintf("%s%c%s%c%s", source ? source : "", QKEY_SEP, kind ? kind : "",
	    QKEY_SEP, expr ? expr : "");
}

int
qkey_split(const char *key, char *buf, size_t n, const char **source, const char **kind,
    const char **expr)
{
	char *a, *b;
	size_t len = strlen(key);

	if (len + 1 > n)
		return -1;
	memcpy(buf, key, len + 1);
	if (!(a = strchr(buf, QKEY_SEP)) || !(b = strchr(a + 1, QKEY_SEP)))
		return -1;
	*a = *b = '\0';
	*source = buf;
	*kind = a + 1;
	*expr = b + 1;
	return 0;
}
