/* series: time-series results (Prometheus matrix/vector/scalar, Loki
 * metric queries) as events, and their storage in the store.
 *
 * A result is authoritative for its window [start, end]: applying it
 * replaces whatever the slot held inside that window (a later poll extends
 * a series, it never duplicates points; a series missing from the answer
 * has a gap there).  Slots are kept per (query key, step) so a zoomed-out
 * query does not mix resolutions; a reader asking for a step that was
 * never fetched (replay at another terminal size) gets the nearest one.
 * Missing points are gaps, never zeros: NaN values are kept as NaN. */
#ifndef SCRY_SERIES_H
#define SCRY_SERIES_H
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/labels.h"
#include "core/ts.h"

enum result_type { RT_MATRIX, RT_VECTOR, RT_SCALAR, RT_STRING };

struct ev_series_one {
	struct labelset	 labels;
	size_t		 n;
	tns		*t;
	double		*v;
	char		*text;		/* string results only */
};

struct ev_series {
	tns			 start, end, step;	/* instant: start == end, step 0 */
	enum result_type	 rt;
	struct ev_series_one	*s;
	size_t			 n;
};

extern const struct ev_ops series_ev_ops;

struct ev_series *ev_series_new(enum result_type rt, tns start, tns end, tns step);
/* Append a series; returns it so the caller can fill labels and points. */
struct ev_series_one *ev_series_add(struct ev_series *e);
void		  ev_series_point(struct ev_series_one *s, tns t, double v);
void		  ev_series_free(void *p);

/* --- storage --- */

struct series {
	struct labelset	 labels;
	size_t		 n, cap;
	tns		*t;		/* sorted, unique */
	double		*v;
	char		*text;
	uint64_t	 dropped;	/* points evicted by the per-series cap */
};

struct sslot {
	char		 *key;
	tns		  step;		/* 0 for instant results */
	enum result_type  rt;
	struct series	**s;
	size_t		  n, cap;
	size_t		 *idx;		/* series.c only: hash index, i + 1 (0 empty) */
	size_t		  idxcap;	/* a power of two, > 2 n */
	tns		  cov_start, cov_end;	/* span of all windows applied */
	tns		 *evals;	/* instant: evaluation times (sorted) */
	size_t		  nevals, capevals;
	size_t		  bytes;
	int64_t		  last_use;	/* for eviction */
	uint64_t	  gen;		/* bumped on every change */
};

struct series_limits {
	size_t	max_points;	/* per series; oldest dropped */
	size_t	max_bytes;	/* all slots; least recently used dropped */
};

struct seriesdb;
struct seriesdb	*seriesdb_new(const struct series_limits *lim);
void		 seriesdb_free(struct seriesdb *db);
/* Takes the arrays out of e (e is left empty but still owned by the caller). */
void		 seriesdb_apply(struct seriesdb *db, const char *key, struct ev_series *e);
/* The slot for key at the step closest to `step` (0 = instant), or NULL. */
const struct sslot *seriesdb_get(struct seriesdb *db, const char *key, tns step);
uint64_t	 seriesdb_dropped(const struct seriesdb *db);
size_t		 seriesdb_bytes(const struct seriesdb *db);
/* Order-independent hash of every slot, counting only points at or
 * before `at` (store_digest). */
uint64_t	 seriesdb_digest(const struct seriesdb *db, tns at);

/* Index of the first point with t >= at (n if none). */
size_t	series_lower_bound(const struct series *s, tns at);
/* Value of the last point at or before `at`, no older than at - maxage
 * (maxage < 0: any age).  Returns 0 and sets *v and *t, or -1. */
int	series_value_at(const struct series *s, tns at, tns maxage, double *v, tns *t);
/* For instant slots: the latest evaluation time <= at, or TNS_NONE. */
tns	sslot_eval_at(const struct sslot *sl, tns at);

#endif
