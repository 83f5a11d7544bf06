/* store: dispatches events to the per-kind stores and answers reads.
 * Invariant: readers only ever see data applied through store_apply(). */
#include "core/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/hmap.h"
#include "core/xalloc.h"

struct store {
	struct store_limits	 lim;
	struct seriesdb		*series;
	struct hmap		 status;	/* key -> status_hist */
	struct hmap		 alerts;	/* key -> alerts_hist */
	struct hmap		 exemplars;	/* key -> exemplar_store */
	struct hmap		 values;	/* key -> ev_values (latest) */
	struct annotation_list	 notes;
	struct trace_store	*traces;
	struct tracesearch_store *tsearch;
	struct hmap		 kube;		/* key -> kube_table */
	struct hmap		 kube_logs;	/* key -> kube_log */
	struct marker_list	 markers;
	struct logstore		*logs;
	uint64_t		 gen;
};

struct store *
store_new(const struct store_limits *lim)
{
	struct store *st = xcalloc(1, sizeof *st);
	struct series_limits sl;

	if (lim)
		st->lim = *lim;
	if (!st->lim.series_bytes)
		st->lim.series_bytes = 256u << 20;
	if (!st->lim.series_points)
		st->lim.series_points = 30000;
	if (!st->lim.status_history)
		st->lim.status_history = 256;
	if (!st->lim.alert_snapshots)
		st->lim.alert_snapshots = 2048;
	if (!st->lim.exemplars)
		st->lim.exemplars = 20000;
	if (!st->lim.annotations)
		st->lim.annotations = 10000;
	st->traces = trace_store_new(st->lim.traces, st->lim.trace_spans);
	st->tsearch = tracesearch_store_new(st->lim.trace_searches);
	sl.max_bytes = st->lim.series_bytes;
	sl.max_points = st->lim.series_points;
	st->series = seriesdb_new(&sl);
	hmap_init(&st->status);
	hmap_init(&st->alerts);
	hmap_init(&st->exemplars);
	hmap_init(&st->values);
	st->notes.max = st->lim.annotations;
	if (!st->lim.kube_bytes)
		st->lim.kube_bytes = 64u << 20;
	if (!st->lim.kube_log_bytes)
		st->lim.kube_log_bytes = 4u << 20;
	hmap_init(&st->kube);
	hmap_init(&st->kube_logs);
	marker_list_init(&st->markers, st->lim.markers ? st->lim.markers : 5000);
	st->logs = logstore_new(st->lim.log_bytes);
	return st;
}

static void free_status(void *p) { status_hist_free(p); }
static void free_alerts(void *p) { alerts_hist_free(p); }
static void free_ex(void *p) { exemplar_store_free(p); }
static void free_kube(void *p) { kube_table_free(p); }
static void free_klog(void *p) { kube_log_free(p); }

void
store_free(struct store *st)
{
	if (!st)
		return;
	seriesdb_free(st->series);
	hmap_free(&st->status, free_status);
	hmap_free(&st->alerts, free_alerts);
	hmap_free(&st->exemplars, free_ex);
	hmap_free(&st->values, ev_values_free);
	annotation_list_free(&st->notes);
	trace_store_free(st->traces);
	tracesearch_store_free(st->tsearch);
	hmap_free(&st->kube, free_kube);
	hmap_free(&st->kube_logs, free_klog);
	marker_list_free(&st->markers);
	logstore_free(st->logs);
	free(st);
}

static void
apply_kube(struct store *st, struct event *ev)
{
	struct ev_kube *k = ev->p;

	if (k->kind == KK_LOG) {
		struct kube_log *lg = hmap_get(&st->kube_logs, ev->key);
		if (!lg) {
			lg = kube_log_new(st->lim.kube_log_bytes);
			hmap_put(&st->kube_logs, ev->key, lg);
		}
		kube_log_apply(lg, ev->t, k);
		return;
	}
	struct kube_table *t = hmap_get(&st->kube, ev->key);
	if (t && kube_table_kind(t) != k->kind)
		return;	/* a key names one kind; anything else is a corrupt recording */
	if (!t) {
		t = kube_table_new((enum kube_kind)k->kind, st->lim.kube_bytes);
		kube_table_on_change(t, marker_from_change, &st->markers);
		hmap_put(&st->kube, ev->key, t);
	}
	kube_table_apply(t, ev->t, k);
}

void
store_apply(struct store *st, struct event *ev)
{
	switch (ev->kind) {
	case EV_STATUS: {
		struct status_hist *h = hmap_get(&st->status, ev->key);
		if (!h) {
			h = status_hist_new(st->lim.status_history);
			hmap_put(&st->status, ev->key, h);
		}
		status_hist_add(h, ev->t, ev->p);
		ev->p = NULL;
		break;
	}
	case EV_SERIES:
		seriesdb_apply(st->series, ev->key, ev->p);
		break;
	case EV_ALERTS: {
		struct alerts_hist *h = hmap_get(&st->alerts, ev->key);
		if (!h) {
			h = alerts_hist_new(st->lim.alert_snapshots);
			hmap_put(&st->alerts, ev->key, h);
		}
		alerts_hist_add(h, ev->t, ev->p);
		ev->p = NULL;
		break;
	}
	case EV_EXEMPLARS: {
		struct exemplar_store *s = hmap_get(&st->exemplars, ev->key);
		if (!s) {
			s = exemplar_store_new(st->lim.exemplars);
			hmap_put(&st->exemplars, ev->key, s);
		}
		exemplar_store_apply(s, ev->p);
		break;
	}
	case EV_ANNOTATION:
		annotation_list_add(&st->notes, ev->p);
		ev->p = NULL;
		break;
	case EV_VALUES:
		ev_values_free(hmap_put(&st->values, ev->key, ev->p));
		ev->p = NULL;
		break;
	case EV_TRACE:
		trace_store_put(st->traces, ev->key, ev->p);
		ev->p = NULL;
		break;
	case EV_TRACESEARCH:
		tracesearch_store_put(st->tsearch, ev->key, ev->p);
		ev->p = NULL;
		break;
	case EV_KUBE:
		apply_kube(st, ev);
		break;
	case EV_LOGS:
		logstore_apply(st->logs, ev->key, ev->p);
		break;
	default:
		return;
	}
	st->gen++;
}

uint64_t
store_generation(const struct store *st)
{
	return st->gen;
}

void
store_status(const struct store *st, const char *key, tns at, struct qview *out)
{
	status_hist_at(hmap_get(&st->status, key), at, out);
}

const struct sslot *
store_series(struct store *st, const char *key, tns step)
{
	return seriesdb_get(st->series, key, step);
}

const struct ev_alerts *
store_alerts(const struct store *st, const char *key, tns at, tns *when)
{
	return alerts_hist_at(hmap_get(&st->alerts, key), at, when);
}

const struct alerts_hist *
store_alerts_hist(const struct store *st, const char *key)
{
	return hmap_get(&st->alerts, key);
}

const struct exemplar *
store_exemplars(const struct store *st, const char *key, size_t *n)
{
	return exemplar_store_all(hmap_get(&st->exemplars, key), n);
}

const struct annotation_list *
store_annotations(const struct store *st)
{
	return &st->notes;
}

const struct ev_values *
store_values(const struct store *st, const char *key)
{
	return hmap_get(&st->values, key);
}

const struct logbuf *
store_logs(const struct store *st, const char *key)
{
	return logstore_get(st->logs, key);
}

void
store_move_logs(struct store *to, struct store *from)
{
	logstore_free(to->logs);
	to->logs = from->logs;
	from->logs = logstore_new(from->lim.log_bytes);
	to->gen++;
	from->gen++;
}

struct logstore *
store_logstore(const struct store *st)
{
	return st->logs;
}

int
store_has_data(struct store *st, const char *key)
{
	size_t n;
	if (seriesdb_get(st->series, key, 0) || seriesdb_get(st->series, key, NS_PER_S))
		return 1;
	if (hmap_get(&st->alerts, key))
		return 1;
	if (trace_store_get(st->traces, key, NULL) || tracesearch_store_get(st->tsearch, key) ||
	    hmap_get(&st->kube, key) || hmap_get(&st->kube_logs, key) ||
	    logbuf_len(logstore_get(st->logs, key)))
		return 1;
	return exemplar_store_all(hmap_get(&st->exemplars, key), &n) && n;
}

int
store_kube(struct store *st, const char *key, tns at, struct kube_view *out)
{
	struct kube_table *t = key ? hmap_get(&st->kube, key) : NULL;

	if (!t) {
		memset(out, 0, sizeof *out);
		out->horizon = out->first_sync = out->last_change = TNS_NONE;
		out->context = "";
		return -1;
	}
	kube_table_at(t, at, out);
	return 0;
}

const struct kube_log *
store_kube_log(const struct store *st, const char *key)
{
	return key ? hmap_get(&st->kube_logs, key) : NULL;
}

const struct marker_list *
store_markers(const struct store *st)
{
	return &st->markers;
}

uint64_t
store_dropped(const struct store *st)
{
	return seriesdb_dropped(st->series) + trace_store_dropped(st->traces);
}

const struct ev_trace *
store_trace(const struct store *st, const char *key, uint64_t *seq)
{
	return trace_store_get(st->traces, key, seq);
}

const struct ev_trace *
store_trace_by_id(const struct store *st, const char *trace_id)
{
	return trace_store_find(st->traces, trace_id);
}

const struct ev_tracesearch *
store_tracesearch(const struct store *st, const char *key)
{
	return tracesearch_store_get(st->tsearch, key);
}

size_t
store_series_bytes(const struct store *st)
{
	return seriesdb_bytes(st->series);
}

const struct store_limits *
store_limits(const struct store *st)
{
	return &st->lim;
}

int
store_alerts_next(const struct store *st, size_t *it, const char **key,
    const struct alerts_hist **h)
{
	void *v;

	if (!hmap_next(&st->alerts, it, key, &v))
		return 0;
	*h = v;
	return 1;
}

/* Hash of a payload through its kind's codec (alerts, annotations). */
static uint64_t
encoded_digest(uint64_t d, const struct ev_ops *ops, const void *p, struct buf *tmp)
{
	buf_reset(tmp);
	ops->encode(p, tmp);
	return digest_bytes(d, tmp->data ? tmp->data : "", tmp->len);
}

static uint64_t
map_digest(const struct hmap *m, uint64_t (*part)(const char *key, const void *v, tns at,
    struct buf *tmp), tns at, struct buf *tmp)
{
	size_t it = 0;
	const char *k;
	void *v;
	uint64_t sum = 0;

	while (hmap_next(m, &it, &k, &v)) {
		uint64_t d = part(k, v, at, tmp);
		if (d)	/* 0: nothing there as of `at` */
			sum += digest_u64(digest_str(0, k), d);
	}
	return sum;
}

static uint64_t
status_part(const char *key, const void *v, tns at, struct buf *tmp)
{
	(void)key;
	(void)tmp;
	return status_hist_digest(v, at);
}

static uint64_t
alerts_part(const char *key, const void *v, tns at, struct buf *tmp)
{
	const struct ev_alerts *e;
	uint64_t d = 0;
	tns when;

	(void)key;
	for (size_t i = 0; (e = alerts_hist_nth(v, i, &when)) && when <= at; i++)
		d = encoded_digest(digest_u64(d, (uint64_t)when), &alerts_ev_ops, e, tmp) | 1;
	return d;
}

static uint64_t
exemplars_part(const char *key, const void *v, tns at, struct buf *tmp)
{
	size_t n;
	const struct exemplar *x = exemplar_store_all(v, &n);
	uint64_t d = 0;

	(void)key;
	for (size_t i = 0; i < n && x[i].t <= at; i++) {
		buf_reset(tmp);
		labels_encode(&x[i].series, tmp);
		labels_encode(&x[i].labels, tmp);
		d = digest_bytes(d, tmp->data ? tmp->data : "", tmp->len);
		d = digest_f64(d, x[i].value);
		d = digest_u64(d, (uint64_t)x[i].t) | 1;
	}
	return d;
}

static uint64_t
values_part(const char *key, const void *v, tns at, struct buf *tmp)
{
	(void)key;
	(void)at;	/* variable values are kept as the latest answer */
	return encoded_digest(0, &values_ev_ops, v, tmp) | 1;
}

uint64_t
store_digest(struct store *st, tns at)
{
	struct buf tmp;
	uint64_t d;

	buf_init(&tmp, 64u << 20);
	d = digest_u64(0, seriesdb_digest(st->series, at));
	d = digest_u64(d, map_digest(&st->status, status_part, at, &tmp));
	d = digest_u64(d, map_digest(&st->alerts, alerts_part, at, &tmp));
	d = digest_u64(d, map_digest(&st->exemplars, exemplars_part, at, &tmp));
	d = digest_u64(d, map_digest(&st->values, values_part, at, &tmp));
	/* traces and trace searches are kept as the latest answer per key */
	d = digest_u64(d, trace_store_digest(st->traces));
	d = digest_u64(d, tracesearch_store_digest(st->tsearch));
	for (size_t i = 0; i < st->notes.n; i++)
		d = encoded_digest(d, &annotation_ev_ops, st->notes.a[i], &tmp);
	buf_free(&tmp);
	return d;
}
