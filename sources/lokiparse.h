/* lokiparse: Loki response bodies into events — pure functions over
 * bytes (no I/O, no globals), fuzzed by tests/fuzz.
 *
 * A dedicated scanner instead of cJSON: a tail frame or a query_range
 * page is decoded in one pass straight into an ev_logs (strings without
 * escapes are copied with memcpy), which is what makes ingest of a
 * million lines a second possible (cJSON costs ~6 ns/byte plus a tree).
 * Every field is optional, unknown keys are skipped, nesting is bounded,
 * nanosecond timestamps are read as integers (never via double), \uXXXX
 * escapes with surrogate pairs are decoded (Loki escapes < > &), and an
 * unpaired surrogate becomes U+FFFD.  Lines longer than LOGS_LINE_MAX are
 * cut and flagged. */
#ifndef SCRY_LOKIPARSE_H
#define SCRY_LOKIPARSE_H
#include <stddef.h>

#include "core/logs.h"
#include "core/series.h"

/* A tail frame: {"streams":[{"stream":{..},"values":[["ns","line"],..]}],
 * "dropped_entries":[{"labels":{..},"timestamp":"ns"}]}.  Entries and a
 * gap marker (for dropped entries) are appended to e.  0 or -1 + *err. */
int	lokiparse_tail(const char *s, size_t len, struct ev_logs *e, char **err);

/* A query or query_range body.  Log results (resultType "streams") are
 * appended to logs (may be NULL: then they are an error); metric results
 * (matrix, vector, scalar) go to *series, created with result type set
 * (start/end/step left for the caller).  *rtype gets "streams", "matrix",
 * ... (static).  An error envelope returns -1 with its message. */
int	lokiparse_query(const char *s, size_t len, struct ev_logs *logs, struct ev_series **series,
	    const char **rtype, char **err);

/* Parse a decimal nanosecond string ("1764151200123456789"); -1 if not. */
int	lokiparse_ns(const char *s, size_t len, tns *out);

#endif
