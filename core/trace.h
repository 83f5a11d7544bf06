/* trace: the span model shared by every trace backend (Tempo, Jaeger),
 * the EV_TRACE event that carries one trace, its recording codec, and
 * the store's bounded keeper of traces.
 *
 * One struct ev_trace holds one fetched trace: spans in the order the
 * backend sent them, resources (service name + resource attributes,
 * shared by the spans of one batch / Jaeger process) and every string in
 * one arena.  Ids are lowercase hex: trace ids left-padded to 32 digits,
 * span ids as sent (16 digits for 64-bit ids).  Times are tns.  Nothing
 * here assumes the trace is well formed: parents may be missing or form
 * cycles, ids may repeat, times may be absurd; core/tracetree.c makes a
 * displayable tree out of whatever arrived. */
#ifndef SCRY_TRACE_H
#define SCRY_TRACE_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/event.h"

#define TRACE_ID_HEX	32
#define SPAN_ID_MAX	32	/* hex digits kept of a span id */

enum span_kind { SK_UNSPECIFIED, SK_INTERNAL, SK_SERVER, SK_CLIENT, SK_PRODUCER, SK_CONSUMER };
enum span_status { SS_UNSET, SS_OK, SS_ERROR };
enum attr_type { AT_STRING, AT_BOOL, AT_INT, AT_DOUBLE, AT_BYTES, AT_ARRAY, AT_KVLIST };

/* An attribute: the value is kept as display text, its type alongside. */
struct span_attr {
	const char	*key;
	const char	*val;
	uint8_t		 type;		/* enum attr_type */
};

struct span_event {
	tns			 t;
	const char		*name;
	struct span_attr	*attr;
	uint32_t		 nattr;
};

/* What a batch (Tempo) or a process (Jaeger) says about its spans. */
struct trace_res {
	const char		*service;	/* service.name, "" if unknown */
	struct span_attr	*attr;
	uint32_t		 nattr;
};

struct span {
	const char		*span_id;	/* hex, "" if missing */
	const char		*parent_id;	/* hex, "" for a root */
	const char		*name;
	const char		*status_msg;	/* "" if none */
	tns			 start, dur;	/* dur < 0 is kept as sent */
	uint32_t		 res;		/* index into resources */
	uint8_t			 kind;		/* enum span_kind */
	uint8_t			 status;	/* enum span_status */
	uint8_t			 follows;	/* parent link is FOLLOWS_FROM */
	struct span_attr	*attr;
	uint32_t		 nattr;
	struct span_event	*ev;
	uint32_t		 nev;
};

struct ev_trace {
	const char		*trace_id;	/* 32 hex digits */
	int			 partial;	/* the backend said the trace is incomplete */
	const char		*message;	/* backend's note (Tempo v2 "message"), "" if none */
	struct trace_res	*res;
	size_t			 nres, capres;
	struct span		*s;
	size_t			 n, cap;
	uint64_t		 dropped;	/* spans not kept (max_spans) */
	struct arena		 ar;		/* every string and attribute array */
};

extern const struct ev_ops trace_ev_ops;

struct ev_trace	*ev_trace_new(const char *trace_id);
void		 ev_trace_free(void *p);
/* Append a zeroed span (strings "" and res 0 until set). */
struct span	*ev_trace_add_span(struct ev_trace *t);
/* Append a resource; returns its index. */
uint32_t	 ev_trace_add_res(struct ev_trace *t, const char *service);
/* Service name of a span ("" if unknown). */
const char	*trace_span_service(const struct ev_trace *t, const struct span *s);
/* Bytes held (for the store's accounting). */
size_t		 ev_trace_bytes(const struct ev_trace *t);

/* Ids.  trace_id_normalize: accepts 1..32 hex digits (any case, optional
 * surrounding space) and writes 32 lowercase digits, left-padded with
 * zeros, to out[33].  Returns 0 or -1 (not a hex trace id). */
int	trace_id_normalize(const char *in, char out[TRACE_ID_HEX + 1]);
/* Hex-encode up to 16 bytes into out (2n+1 bytes). */
void	trace_hex(const unsigned char *p, size_t n, char *out);
/* Decode standard or URL-safe base64 (padding optional) into out (at most
 * max bytes).  Returns the byte count or -1. */
int	trace_b64_decode(const char *in, size_t len, unsigned char *out, size_t max);
/* Saturating time arithmetic: backend times are untrusted int64s. */
static inline tns
trace_sat_add(tns a, tns b)
{
	tns r;
	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static inline tns
trace_sat_sub(tns a, tns b)
{
	tns r;
	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* "12.3ms", "2.80s", "1m02s": a compact span duration. */
void	trace_fmt_dur(char *dst, size_t n, tns d);

/* The store's part: traces by query key, bounded by count and total
 * spans; the oldest applied trace goes first.  Each applied trace gets a
 * new sequence number so readers can tell a refetch from the old copy. */
struct trace_store;
struct trace_store *trace_store_new(size_t max_traces, size_t max_spans);
void		    trace_store_free(struct trace_store *s);
/* Takes ownership of t. */
void		    trace_store_put(struct trace_store *s, const char *key, struct ev_trace *t);
const struct ev_trace *trace_store_get(const struct trace_store *s, const char *key, uint64_t *seq);
/* The most recently applied trace with this id (normalised hex). */
const struct ev_trace *trace_store_find(const struct trace_store *s, const char *trace_id);
uint64_t	    trace_store_dropped(const struct trace_store *s);
/* Order-independent digest of the traces held (store_digest). */
uint64_t	    trace_store_digest(const struct trace_store *s);

#endif
