/* jaeger_json: the Jaeger query service's JSON (UI/internal API v1)
 * -> events (pure, no I/O; fuzzable).
 *   envelope: {"data": ..., "total", "limit", "offset", "errors": [{code, msg}]}
 *   trace:    {"traceID", "spans": [{spanID, operationName, references:
 *             [{refType CHILD_OF|FOLLOWS_FROM, spanID}], startTime µs,
 *             duration µs, tags: [{key, type, value}], logs: [{timestamp,
 *             fields}], processID}], "processes": {id: {serviceName, tags}}}
 * The span's parent is its first CHILD_OF reference, else its first
 * FOLLOWS_FROM (marked follows).  Kind and status come from the tags
 * span.kind, error, otel.status_code and otel.status_description. */
#ifndef SCRY_JAEGER_JSON_H
#define SCRY_JAEGER_JSON_H
#include <stddef.h>

#include "core/trace.h"
#include "core/tracesearch.h"

/* The trace with want_id (normalised) from data[], or the first. */
struct ev_trace	*jaeger_parse_trace(const char *body, size_t len, const char *want_id,
		    size_t max_spans, char **err);
/* data[] of a search: one row per trace (root, duration, counts). */
struct ev_tracesearch *jaeger_parse_search(const char *body, size_t len, size_t max_rows,
		    char **err);
/* data[] of /api/services: allocated names (sorted), count in *n. */
char	       **jaeger_parse_services(const char *body, size_t len, size_t *n, char **err);
/* The first message of an "errors" array, allocated, or NULL. */
char		*jaeger_error_text(const char *body, size_t len);

#endif
