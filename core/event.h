/* event: the typed messages sources emit and the store consumes.
 *
 * Every event is stamped with the time it describes (t) and the query key
 * it answers.  Sources create events, the app records them (if recording)
 * and applies them to the store, then frees them.  Recording is at this
 * boundary: event_encode/event_decode give a versioned binary form that
 * carries no request headers, credentials or raw backend bytes.
 *
 * Each kind is implemented in its own file (core/series.c, core/status.c,
 * ...) and registered with one line in the table in core/event.c.
 * Kind numbers are part of the recording format: never renumber. */
#ifndef SCRY_EVENT_H
#define SCRY_EVENT_H
#include <stddef.h>

#include "core/buf.h"
#include "core/ts.h"

enum ev_kind {
	EV_NONE = 0,
	EV_STATUS = 1,		/* struct ev_status (core/status.h) */
	EV_SERIES = 2,		/* struct ev_series (core/series.h) */
	EV_ALERTS = 3,		/* struct ev_alerts (core/alerts.h) */
	EV_EXEMPLARS = 4,	/* struct ev_exemplars (core/exemplars.h) */
	EV_ANNOTATION = 5,	/* struct ev_annotation (core/annotation.h) */
	EV_LOGS = 6,		/* log batches (Loki) */
	EV_KUBE = 7,		/* kube snapshots/changes (kubectl) */
	EV_TRACE = 8,		/* spans of one trace (Tempo/Jaeger) */
	EV_VALUES = 9,		/* struct ev_values (core/values.h): variable values */
	EV_TRACESEARCH = 10,	/* trace search results (core/tracesearch.h) */
	EV_KIND_MAX = 32
};

struct event {
	enum ev_kind	 kind;
	tns		 t;	/* time the event describes / was received */
	char		*key;	/* query key it answers ("" for global) */
	void		*p;	/* kind-specific payload */
};

/* Per-kind operations, one const instance per kind. */
struct ev_ops {
	const char	*name;
	void		(*free)(void *p);
	int		(*encode)(const void *p, struct buf *b);
	/* Decode from r; returns the payload or NULL with *err set (allocated). */
	void		*(*decode)(struct rd *r, char **err);
};

const struct ev_ops *event_ops(enum ev_kind kind);
struct event	*event_new(enum ev_kind kind, tns t, const char *key, void *payload);
void		 event_free(struct event *ev);
/* kind, t, key, payload; appended to b.  Returns -1 if b overflowed. */
int		 event_encode(const struct event *ev, struct buf *b);
/* Decode one event from r (untrusted input).  NULL with *err on failure. */
struct event	*event_decode(struct rd *r, char **err);

/* A sink for events: sources call emit; the app implements it. */
struct event_sink {
	void	(*emit)(void *ctx, struct event *ev);	/* takes ownership */
	void	*ctx;
};
void	event_emit(const struct event_sink *sink, struct event *ev);

/* Query keys name what a result answers: "<source>\x1f<kind>\x1f<expr>",
 * where expr is the query after dashboard variables are substituted but
 * before time-dependent ones ($__interval, $__range ...), so a recording
 * replays at any terminal size. */
#define QKEY_SEP	'\x1f'
char	*qkey_make(const char *source, const char *kind, const char *expr);
/* Split a key (pointers into a static buffer of the caller's). */
int	 qkey_split(const char *key, char *buf, size_t n, const char **source,
	    const char **kind, const char **expr);

#endif
