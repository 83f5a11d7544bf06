/* sched: fetch units, due times, in-flight flags and jittered backoff. */
#include "core/sched.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define BACKOFF_BASE_MS		1000
#define BACKOFF_CAP_MS		120000

void
sched_init(struct sched *s, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	/* splitmix64: nearby seeds (processes started together) diverge at once */
	seed += 0x9E3779B97F4A7C15ULL;
	seed = (seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9ULL;
	seed = (seed ^ (seed >> 27)) * 0x94D049BB133111EBULL;
	seed ^= seed >> 31;
	s->rng = seed ? seed : 0x2545F4914F6CDD1DULL;
	s->backoff_cap_ms = BACKOFF_CAP_MS;
}

static void
unit_free(struct sunit *u)
{
	free(u->id);
	free(u->key);
	free(u);
}

void
sched_free(struct sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		unit_free(s->u[i]);
	free(s->u);
	memset(s, 0, sizeof *s);
}

static double
rnd(struct sched *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (double)(s->rng >> 11) / (double)(1ULL << 53);
}

struct sunit *
sched_find(const struct sched *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->u[i]->id, id) == 0)
			return s->u[i];
	return NULL;
}

struct sunit *
sched_unit(struct sched *s, const char *key, tns step, int64_t interval_ms, int64_t now)
{
	char *id = xasprintf("%s@%lld", key, (long long)step);
	struct sunit *u = sched_find(s, id);

	if (u) {
		free(id);
		u->used = 1;
		if (u->interval_ms != interval_ms) {
			/* a shorter interval takes effect at once */
			if (interval_ms && u->done_once && !u->failures &&
			    u->next_ms > now + interval_ms)
				u->next_ms = now + interval_ms;
			u->interval_ms = interval_ms;
		}
		return u;
	}
	u = xcalloc(1, sizeof *u);
	u->id = id;
	u->key = xstrdup(key);
	u->step = step;
	u->interval_ms = interval_ms;
	u->next_ms = now;
	u->used = 1;
	xgrow(&s->u, &s->cap, s->n + 1, sizeof *s->u);
	s->u[s->n++] = u;
	return u;
}

void
sched_unmark(struct sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->u[i]->used = 0;
}

void
sched_sweep(struct sched *s, void (*drop)(struct sunit *u, void *ctx), void *ctx)
{
	size_t w = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (s->u[i]->used) {
			s->u[w++] = s->u[i];
			continue;
		}
		if (drop)
			drop(s->u[i], ctx);
		unit_free(s->u[i]);
	}
	s->n = w;
}

size_t
sched_due(struct sched *s, int64_t now, struct sunit **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n && n < max; i++) {
		struct sunit *u = s->u[i];
		if (!u->in_flight && u->next_ms <= now)
			out[n++] = u;
	}
	return n;
}

void
sched_started(struct sunit *u, int64_t now)
{
	u->in_flight = 1;
	u->again = 0;
	u->started_ms = now;
}

int64_t
sched_backoff_ms(struct sched *s, int64_t interval_ms, int failures)
{
	double base = interval_ms > BACKOFF_BASE_MS ? (double)interval_ms : BACKOFF_BASE_MS;
	double d = base * pow(1.6, failures > 1 ? failures - 1 : 0);

	if (d > (double)s->backoff_cap_ms)
		d = (double)s->backoff_cap_ms;
	d *= 0.8 + 0.4 * rnd(s);	/* +-20% jitter */
	return (int64_t)d;
}

void
sched_done(struct sched *s, struct sunit *u, int ok, int64_t now, int64_t retry_after_ms)
{
	u->in_flight = 0;
	u->done_once = 1;
	if (ok) {
		u->failures = 0;
		u->next_ms = u->interval_ms ? now + u->interval_ms : INT64_MAX;
	} else {
		int64_t d;
		u->failures++;
		d = sched_backoff_ms(s, u->interval_ms, u->failures);
		if (retry_after_ms > d)
			d = retry_after_ms > s->backoff_cap_ms * 5 ? s->backoff_cap_ms * 5 : retry_after_ms;
		u->next_ms = now + d;
	}
	if (u->again) {
		u->again = 0;
		if (ok)
			u->next_ms = now;
	}
}

void
sched_force(struct sched *s, const char *prefix, int64_t now)
{
	size_t pl = prefix ? strlen(prefix) : 0;

	for (size_t i = 0; i < s->n; i++) {
		struct sunit *u = s->u[i];
		if (prefix && strncmp(u->key, prefix, pl) != 0)
			continue;
		if (u->in_flight)
			u->again = 1;
		else
			u->next_ms = now;
	}
}

int64_t
sched_next(const struct sched *s, int64_t now)
{
	int64_t best = -1;

	for (size_t i = 0; i < s->n; i++) {
		const struct sunit *u = s->u[i];
		int64_t d;
		if (u->in_flight || u->next_ms == INT64_MAX)
			continue;
		d = u->next_ms - now;
		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

int
sched_all_done_once(const struct sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!s->u[i]->done_once)
			return 0;
	return 1;
}
