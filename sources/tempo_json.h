/* tempo_json: Tempo's JSON answers -> events (pure, no I/O; fuzzable).
 *   trace by id, v1:  {"batches": [ResourceSpans...]}
 *   trace by id, v2:  {"trace": {"resourceSpans"|"batches": [...]},
 *                      "status": "COMPLETE"|"PARTIAL", "message": "..."}
 *   also bare OTLP {"resourceSpans": [...]} and Jaeger v3 {"result": {...}};
 *   search:           {"traces": [{traceID, rootServiceName, rootTraceName,
 *                      startTimeUnixNano, durationMs, spanSets|spanSet,
 *                      serviceStats}], "metrics": {inspectedTraces, ...}}
 * Search ids come trimmed of leading zeros and are left-padded to 32. */
#ifndef SCRY_TEMPO_JSON_H
#define SCRY_TEMPO_JSON_H
#include <stddef.h>

#include "core/trace.h"
#include "core/tracesearch.h"

/* want_id: the normalised id asked for (used as the trace's id), or NULL
 * to take it from the first span.  NULL with *err on malformed input. */
struct ev_trace	*tempo_parse_trace(const char *body, size_t len, const char *want_id,
		    size_t max_spans, char **err);
struct ev_tracesearch *tempo_parse_search(const char *body, size_t len, size_t max_rows,
		    char **err);

#endif
