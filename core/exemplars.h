/* exemplars: trace-linked sample points from /api/v1/query_exemplars.
 * Stored per query key; an answer replaces what was held in its window. */
#ifndef SCRY_EXEMPLARS_H
#define SCRY_EXEMPLARS_H
#include <stddef.h>

#include "core/event.h"
#include "core/labels.h"

struct exemplar {
	struct labelset	 series;	/* labels of the series it belongs to */
	struct labelset	 labels;	/* exemplar labels (trace_id, ...) */
	double		 value;
	tns		 t;
};

struct ev_exemplars {
	tns		 start, end;
	struct exemplar	*e;
	size_t		 n;
};

extern const struct ev_ops exemplars_ev_ops;

struct ev_exemplars *ev_exemplars_new(tns start, tns end);
struct exemplar	    *ev_exemplars_add(struct ev_exemplars *e);
void		     ev_exemplars_free(void *p);
/* The trace id of an exemplar (trace_id, traceID, traceId labels) or NULL. */
const char	    *exemplar_trace_id(const struct exemplar *x);

struct exemplar_store;
struct exemplar_store *exemplar_store_new(size_t cap);
void		       exemplar_store_free(struct exemplar_store *s);
/* Merge an answer (takes its exemplars; e stays owned by the caller). */
void		       exemplar_store_apply(struct exemplar_store *s, struct ev_exemplars *e);
/* All exemplars sorted by time; n in *n. */
const struct exemplar *exemplar_store_all(const struct exemplar_store *s, size_t *n);

#endif
