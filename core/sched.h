/* sched: when each fetch unit runs.
 * A unit is one query key at one resolution.  It runs on its interval,
 * never twice at once (a slow query does not stack up duplicates), and
 * after a failure backs off exponentially with jitter (gRPC's published
 * schedule: x1.6, +-20%, capped), honouring a server's Retry-After.
 * Pure logic on a caller-supplied monotonic clock: unit-testable. */
#ifndef SCRY_SCHED_H
#define SCRY_SCHED_H
#include <stddef.h>
#include <stdint.h>

#include "core/ts.h"

struct sunit {
	char		*id;		/* key + "@" + step */
	char		*key;
	tns		 step;
	int64_t		 interval_ms;	/* 0 = once (static window) */
	int64_t		 next_ms;	/* when it is next due */
	int		 in_flight;
	int		 again;		/* asked again while in flight: rerun at once */
	int		 failures;	/* consecutive */
	int		 done_once;	/* has completed at least once */
	int		 used;		/* still referenced (mark and sweep) */
	int64_t		 started_ms;
	void		*user;		/* owner data (the app's fetch unit) */
};

struct sched {
	struct sunit	**u;
	size_t		  n, cap;
	uint64_t	  rng;
	int64_t		  backoff_cap_ms;
};

void		 sched_init(struct sched *s, uint64_t seed);
void		 sched_free(struct sched *s);
/* Find or create the unit; marks it used.  A new unit is due at once. */
struct sunit	*sched_unit(struct sched *s, const char *key, tns step, int64_t interval_ms, int64_t now);
struct sunit	*sched_find(const struct sched *s, const char *id);
/* Mark/sweep: clear used flags, then remove units not re-marked. */
void		 sched_unmark(struct sched *s);
/* Removes unused units, calling drop(user) for each. */
void		 sched_sweep(struct sched *s, void (*drop)(struct sunit *u, void *ctx), void *ctx);
/* Units due at `now` and not in flight (up to max). */
size_t		 sched_due(struct sched *s, int64_t now, struct sunit **out, size_t max);
void		 sched_started(struct sunit *u, int64_t now);
/* Completed: ok or failed; retry_after_ms > 0 from the server on failure. */
void		 sched_done(struct sched *s, struct sunit *u, int ok, int64_t now, int64_t retry_after_ms);
/* Make every unit (or those whose key has prefix) due now. */
void		 sched_force(struct sched *s, const char *key_prefix, int64_t now);
/* Milliseconds until the next due unit (-1: none). */
int64_t		 sched_next(const struct sched *s, int64_t now);
/* Backoff delay for n consecutive failures of a unit with this interval. */
int64_t		 sched_backoff_ms(struct sched *s, int64_t interval_ms, int failures);
/* Have all units completed at least once? */
int		 sched_all_done_once(const struct sched *s);

#endif
