/* tracesearch: the answer to a trace search (Tempo TraceQL or tag
 * search, Jaeger service search): one row per trace, newest answer per
 * query key.  EV_TRACESEARCH events carry it; the store keeps the latest
 * answer of a bounded number of keys. */
#ifndef SCRY_TRACESEARCH_H
#define SCRY_TRACESEARCH_H
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct tsrow {
	char		*trace_id;	/* 32 hex digits (left-padded) */
	char		*root_service;	/* "" when the backend did not say */
	char		*root_name;
	tns		 start;		/* TNS_NONE if unknown */
	tns		 dur;		/* -1 if unknown */
	uint32_t	 spans;		/* 0 if unknown */
	uint32_t	 errors;
	uint32_t	 matched;	/* spans matching the query (Tempo) */
	char		*services;	/* "frontend order payment", "" if unknown */
};

struct ev_tracesearch {
	struct tsrow	*r;
	size_t		 n, cap;
	uint64_t	 dropped;	/* rows over the cap */
	uint64_t	 inspected;	/* traces the backend inspected (0 unknown) */
};

extern const struct ev_ops tracesearch_ev_ops;

struct ev_tracesearch *ev_tracesearch_new(void);
struct tsrow	      *ev_tracesearch_add(struct ev_tracesearch *e);
void		       ev_tracesearch_free(void *p);

struct tracesearch_store;
struct tracesearch_store *tracesearch_store_new(size_t max_keys);
void		 tracesearch_store_free(struct tracesearch_store *s);
/* Order-independent digest of the results held (store_digest). */
uint64_t	 tracesearch_store_digest(const struct tracesearch_store *s);
/* Takes ownership of e, replacing the key's previous answer. */
void		 tracesearch_store_put(struct tracesearch_store *s, const char *key,
		    struct ev_tracesearch *e);
const struct ev_tracesearch *tracesearch_store_get(const struct tracesearch_store *s,
		    const char *key);

#endif
