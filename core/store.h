/* store: the single source of truth the widgets read.
 *
 * store_apply() is the only writer: it takes every event a source (or the
 * replay) emits.  Everything is time-stamped, so "what did the screen show
 * at T" is a query on the store: readers pass the time they want (live:
 * now; replay: the virtual now).  Every part has a limit set at creation;
 * overflow drops the oldest data and is counted (store_dropped). */
#ifndef SCRY_STORE_H
#define SCRY_STORE_H
#include <stddef.h>
#include <stdint.h>

#include "core/alerts.h"
#include "core/annotation.h"
#include "core/event.h"
#include "core/exemplars.h"
#include "core/kubelog.h"
#include "core/kubetable.h"
#include "core/marker.h"
#include "core/logstore.h"
#include "core/series.h"
#include "core/status.h"
#include "core/values.h"
#include "core/trace.h"
#include "core/tracesearch.h"

struct store_limits {
	size_t	series_bytes;		/* default 256 MiB */
	size_t	series_points;		/* per series, default 30000 */
	size_t	status_history;		/* per key, default 256 */
	size_t	alert_snapshots;	/* per key, default 2048 */
	size_t	exemplars;		/* per key, default 20000 */
	size_t	annotations;		/* default 10000 */
	size_t	traces;			/* traces kept, default 64 */
	size_t	trace_spans;		/* spans over all traces, default 200000 */
	size_t	trace_searches;		/* search answers kept (keys), default 64 */
	size_t	kube_bytes;		/* per kube key (object history), default 64 MiB */
	size_t	kube_log_bytes;		/* per kubectl logs stream, default 4 MiB */
	size_t	markers;		/* change markers, default 5000 */
	size_t	log_bytes;		/* all log lines, default 256 MiB */
};

struct store;
struct store	*store_new(const struct store_limits *lim);
void		 store_free(struct store *st);
/* Apply an event; the store may take the payload's contents.  The caller
 * still frees the event. */
void		 store_apply(struct store *st, struct event *ev);
/* Bumped by every apply: a cheap "anything changed?" for the redraw. */
uint64_t	 store_generation(const struct store *st);

void		 store_status(const struct store *st, const char *key, tns at, struct qview *out);
const struct sslot *store_series(struct store *st, const char *key, tns step);
const struct ev_alerts *store_alerts(const struct store *st, const char *key, tns at, tns *when);
const struct alerts_hist *store_alerts_hist(const struct store *st, const char *key);
const struct exemplar *store_exemplars(const struct store *st, const char *key, size_t *n);
const struct annotation_list *store_annotations(const struct store *st);
/* The latest variable-value list answered for key (NULL if none). */
const struct ev_values *store_values(const struct store *st, const char *key);
/* Log lines of one query key (NULL if none arrived), and the whole log store. */
const struct logbuf *store_logs(const struct store *st, const char *key);
struct logstore	*store_logstore(const struct store *st);
/* Replays: `to` takes over from's log store (to's own is freed, from gets
 * an empty one), so a rebuilt store keeps the journalled logs. */
void		 store_move_logs(struct store *to, struct store *from);
/* Is there any data at all for key (series, alerts, ...)? */
int		 store_has_data(struct store *st, const char *key);
/* The trace answering key (seq: its application number, so a refetch is
 * told from the copy a reader already laid out), or NULL. */
const struct ev_trace *store_trace(const struct store *st, const char *key, uint64_t *seq);
/* The latest trace with this id (32 hex digits) from any key, or NULL. */
const struct ev_trace *store_trace_by_id(const struct store *st, const char *trace_id);
const struct ev_tracesearch *store_tracesearch(const struct store *st, const char *key);
uint64_t	 store_dropped(const struct store *st);
/* Bytes held by series data (accounted as for the limit). */
size_t		 store_series_bytes(const struct store *st);
/* The limits the store was created with (a replay rebuilds with them). */
const struct store_limits *store_limits(const struct store *st);
/* Iterate the alert histories: *it = 0 first; returns 0 at the end. */
int		 store_alerts_next(const struct store *st, size_t *it, const char **key,
		    const struct alerts_hist **h);
/* A hash over the store's contents as of `at` (history entries and points
 * at or before it): equal stores give equal digests, whatever order the
 * hash maps are in.  Recordings carry digests taken live; a replay
 * compares (man/scry-recording.5).  A new kind's store part must be
 * added here too, and STORE_DIGEST_VERSION bumped: recordings say which
 * version their digests are, and other versions are not compared. */
#define STORE_DIGEST_VERSION	3
uint64_t	 store_digest(struct store *st, tns at);
/* Kubernetes objects of key as they were at `at`; 0, or -1 when the key
 * has no kube data (out is then empty). */
int		 store_kube(struct store *st, const char *key, tns at, struct kube_view *out);
const struct kube_log *store_kube_log(const struct store *st, const char *key);
/* Change markers (rollouts, scaling, restarts) from every kube source. */
const struct marker_list *store_markers(const struct store *st);

#endif
