/* tracelink: the pivots into and out of traces.  Every pivot pushes a
 * panel onto the navigation stack (wctx->api->push / push_window), so Esc
 * walks back to exactly where the SRE was.
 *
 * Into a trace (for any widget: a log line's trace id, an exemplar, a
 * search row, the :trace command):
 *   tracelink_open_trace(c, NULL, "4bf92f35...", "exemplar")
 * pushes {"type": "trace", "source": <first tempo, else jaeger source>,
 * "query": "<id>"}.
 *
 * Out of a span, configured on the trace source (man scry-dashboard(5)):
 *   "trace_to_logs":    {"source": "loki", "labels": {"app": "service.name"},
 *                        "query": "<LogQL template>", "filter_trace_id": true,
 *                        "shift": "1m"}
 *   "trace_to_metrics": {"source": "prometheus", "shift": "15m",
 *                        "queries": [{"title", "query", "unit"}]}
 * Templates know ${service}, ${operation}, ${trace_id}, ${span_id},
 * ${namespace}, ${pod} and ${<attribute key>} (span, then resource
 * attributes); a name with no value expands to "" and is reported. */
#ifndef SCRY_TRACELINK_H
#define SCRY_TRACELINK_H
#include <cjson/cJSON.h>

#include "core/trace.h"
#include "widgets/widget.h"

#define TRACELINK_LOG_SHIFT	(60 * NS_PER_S)
#define TRACELINK_METRIC_SHIFT	(15 * 60 * NS_PER_S)

/* Open the waterfall of trace_id.  source: a tempo or jaeger source name,
 * or NULL for the first one configured.  0, or -1 after a status-bar
 * message saying why. */
int	tracelink_open_trace(const struct wctx *c, const char *source, const char *trace_id,
	    const char *why);
/* The name of the trace source a pivot uses: `name` if it is a tempo or
 * jaeger source, else (name NULL) the first tempo, else jaeger source;
 * NULL when there is none. */
const char *tracelink_source(const struct dashboard *db, const char *name);
/* Open a trace search table for query (TraceQL, tags, or a service). */
int	tracelink_open_search(const struct wctx *c, const char *source, const char *query,
	    const char *why);
/* From span i of t, shown by a panel whose trace source is `source`
 * (NULL: the first): its service's logs in the span's window +- shift,
 * filtered by the trace id when filter_id (and the source allows it). */
int	tracelink_logs(const struct wctx *c, const char *source, const struct ev_trace *t, size_t i,
	    int filter_id);
/* Its service's RED graphs around the span, cursor on the span start. */
int	tracelink_metrics(const struct wctx *c, const char *source, const struct ev_trace *t,
	    size_t i);

/* Pure helpers (unit-tested).  Expand ${...} in tmpl for span i; *missing
 * (if not NULL) gets the first variable with no value (allocated). */
char	*tracelink_expand(const char *tmpl, const struct ev_trace *t, size_t i, char **missing);
/* {label="value", ...} |= "<trace id>" from a label -> attribute map
 * (NULL: {"app": "service.name"}).  NULL with *err when no label has a
 * value on this span. */
char	*tracelink_logql(const cJSON *labels, const struct ev_trace *t, size_t i, int filter_id,
	    char **err);
/* The value of an attribute for span i: span attributes, then resource. */
const char *tracelink_attr(const struct ev_trace *t, size_t i, const char *key);

#endif
