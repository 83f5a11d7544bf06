/* tracereq: the in-flight request bookkeeping the trace sources (tempo,
 * jaeger) share: one struct per fetch, linked per source so cancel and
 * destroy can find it, ending with exactly one done() (never on cancel:
 * a cancelled unit is already gone from the scheduler), plus the status
 * event every outcome emits. */
#ifndef SCRY_TRACEREQ_H
#define SCRY_TRACEREQ_H
#include <stdint.h>

#include "core/trace.h"
#include "sources/http.h"
#include "sources/source.h"

enum treq_kind { TQ_TRACE, TQ_SEARCH, TQ_SERVICES };

struct treq {
	struct treq		*next, *prev;
	struct source		*src;
	struct http_call	*call;
	struct fetch		 f;		/* copy; key and expr owned */
	enum treq_kind		 kind;
	char			 id[TRACE_ID_HEX + 1];	/* normalised trace id */
	int			 attempt;	/* source-specific (tempo: 2 = v2) */
	char			*search;	/* search parameters built at start */
};

struct treq	*treq_new(struct treq **list, struct source *src, const struct fetch *f,
		    enum treq_kind kind);
/* Unlink, call done(ok), free. */
void		 treq_finish(struct treq **list, struct treq *q, int ok, int64_t retry_after_ms);
/* Cancel in-flight requests for key (NULL: all); done is not called. */
void		 treq_cancel(struct treq **list, struct http *h, const char *key);
/* Emit the status of an outcome: error NULL = ok. */
void		 treq_status(struct treq *q, const struct http_resp *r, const char *error,
		    const char *warning, uint64_t dropped);
/* Split "k=v k2="v 2" word" into pairs (bare words get key NULL); the
 * caller frees each key/value and the arrays.  Returns the count. */
size_t		 treq_split_params(const char *s, char ***keys, char ***vals);
/* The number of a "limit=N" parameter: N when it is a whole number from 1
 * to INT_MAX, otherwise dflt. */
int		 treq_limit(const char *v, int dflt);
/* --check of the pivot settings a trace source carries for the waterfall
 * (widgets/trace.c reads them): "trace_to_logs" {source, labels, query,
 * filter_trace_id, shift} and "trace_to_metrics" {source, queries
 * [{title, query, unit}], shift}. */
int		 tracesrc_check_links(const struct dash_source *cfg, const struct jdoc *doc,
		    struct diag *dg);

#endif
