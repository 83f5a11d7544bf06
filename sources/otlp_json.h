/* otlp_json: OTLP trace data in protobuf-JSON form, as Tempo serves it
 * (gogo jsonpb: base64 ids, uint64 times as strings, enum names) and as
 * the OTLP/JSON spec writes it (hex ids, numbers, enum integers): both
 * are accepted, field by field.  Pure functions over cJSON trees, no I/O;
 * every field is optional and unknown keys are ignored. */
#ifndef SCRY_OTLP_JSON_H
#define SCRY_OTLP_JSON_H
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/trace.h"

#define OTLP_MAX_SPANS_DEFAULT	100000
#define OTLP_VALUE_MAX		(16 * 1024)	/* bytes of one attribute value kept */

/* Append the spans of a "batches" / "resourceSpans" array to t; spans
 * beyond max_spans are counted in t->dropped.  Both "scopeSpans" and the
 * older "instrumentationLibrarySpans" containers are read. */
void	otlp_add_resource_spans(struct ev_trace *t, const cJSON *arr, size_t max_spans);
/* Convert an id as sent (base64 of the raw bytes, or hex) to lowercase
 * hex in out (at least 2 * 16 + 1 bytes; longer input is cut).  Returns
 * 0, or -1 when it is neither (out then holds a printable copy). */
int	otlp_id_hex(const char *in, char *out, size_t outsz);
/* A uint64 nanosecond time given as a string or a number; 0 if absent. */
tns	otlp_time(const cJSON *v);
/* Display text of an OTLP AnyValue ({"stringValue": ...}) into the
 * arena; *type gets the enum attr_type. */
const char *otlp_value_text(struct arena *ar, const cJSON *v, uint8_t *type);

#endif
