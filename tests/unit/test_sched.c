/* Unit tests: the fetch scheduler — due times, no duplicates in flight,
 * backoff with bounded jitter, Retry-After, forcing, mark and sweep. */
#include <stdlib.h>

#include "core/sched.h"
#include "tests/unit/t.h"

TEST(sched_new_unit_is_due_now_once)
{
	struct sched s;
	struct sunit *u, *due[8];

	sched_init(&s, 1);
	u = sched_unit(&s, "k", 15 * NS_PER_S, 15000, 1000);
	CHECK(sched_unit(&s, "k", 15 * NS_PER_S, 15000, 1000) == u);	/* no duplicate */
	CHECK(sched_unit(&s, "k", 30 * NS_PER_S, 15000, 1000) != u);	/* another step */
	CHECK_INT(s.n, 2);
	CHECK_STR(u->id, "k@15000000000");
	CHECK(sched_find(&s, "k@15000000000") == u);
	CHECK_INT(sched_due(&s, 1000, due, 8), 2);
	CHECK_INT(sched_next(&s, 1000), 0);
	sched_started(u, 1000);
	/* in flight: never handed out again, however late it gets */
	CHECK_INT(sched_due(&s, 1000000, due, 8), 1);
	CHECK(due[0] != u);
	sched_done(&s, u, 1, 1200, 0);
	CHECK(!u->in_flight);
	CHECK_INT(u->next_ms, 1200 + 15000);
	CHECK(u->done_once);
	CHECK_INT(sched_due(&s, 16199, due, 8), 1);
	CHECK_INT(sched_due(&s, 16200, due, 8), 2);
	sched_free(&s);
}

TEST(sched_interval_zero_runs_once)
{
	struct sched s;
	struct sunit *u, *due[2];

	sched_init(&s, 1);
	u = sched_unit(&s, "k", 0, 0, 0);
	sched_started(u, 0);
	sched_done(&s, u, 1, 10, 0);
	CHECK(u->next_ms == INT64_MAX);
	CHECK_INT(sched_due(&s, 1000000000, due, 2), 0);
	CHECK_INT(sched_next(&s, 0), -1);		/* nothing to wake up for */
	CHECK(sched_all_done_once(&s));
	sched_free(&s);
}

TEST(sched_backoff_bounds_and_cap)
{
	struct sched s;

	sched_init(&s, 42);
	for (int f = 1; f <= 20; f++) {
		double base = 15000.0;
		for (int k = 1; k < f; k++)
			base *= 1.6;
		if (base > 120000)
			base = 120000;
		for (int rep = 0; rep < 200; rep++) {
			int64_t d = sched_backoff_ms(&s, 15000, f);
			if (d < (int64_t)(base * 0.8) - 1 || d > (int64_t)(base * 1.2) + 1)
				t_fail(__FILE__, __LINE__, "failures %d: %lld outside %.0f +-20%%", f,
				    (long long)d, base);
		}
	}
	/* short intervals back off from 1s, not from 0 */
	for (int rep = 0; rep < 100; rep++) {
		int64_t d = sched_backoff_ms(&s, 0, 1);
		CHECK(d >= 800 && d <= 1200);
	}
	sched_free(&s);
}

TEST(sched_jitter_spreads_clients)
{
	/* many clients failing together do not retry in lockstep (T6: cv >= 0.15) */
	double sum = 0, sq = 0, mean, sd;
	int n = 1000;

	for (int i = 0; i < n; i++) {
		struct sched s;
		sched_init(&s, (uint64_t)i * 7919 + 1);
		double d = (double)sched_backoff_ms(&s, 1000, 1);
		sum += d;
		sq += d * d;
		sched_free(&s);
	}
	mean = sum / n;
	sd = sqrt(sq / n - mean * mean);
	CHECK(mean > 950 && mean < 1050);
	CHECK(sd / mean >= 0.10);		/* uniform +-20%: cv = 0.115 */
}

TEST(sched_failure_then_recovery)
{
	struct sched s;
	struct sunit *u;

	sched_init(&s, 7);
	u = sched_unit(&s, "k", 0, 5000, 0);
	sched_started(u, 0);
	sched_done(&s, u, 0, 100, 0);
	CHECK_INT(u->failures, 1);
	CHECK(u->next_ms >= 100 + 4000 && u->next_ms <= 100 + 6000);
	sched_started(u, u->next_ms);
	sched_done(&s, u, 0, 10000, 0);
	CHECK_INT(u->failures, 2);
	CHECK(u->next_ms >= 10000 + 6400 && u->next_ms <= 10000 + 9600);
	sched_started(u, u->next_ms);
	sched_done(&s, u, 1, 20000, 0);
	CHECK_INT(u->failures, 0);
	CHECK_INT(u->next_ms, 25000);
	sched_free(&s);
}

TEST(sched_retry_after)
{
	struct sched s;
	struct sunit *u;

	sched_init(&s, 3);
	u = sched_unit(&s, "k", 0, 1000, 0);
	sched_started(u, 0);
	sched_done(&s, u, 0, 0, 30000);		/* 429 Retry-After: 30 */
	CHECK_INT(u->next_ms, 30000);
	sched_started(u, u->next_ms);
	sched_done(&s, u, 0, 30000, 100);		/* shorter than the backoff: backoff wins */
	CHECK(u->next_ms >= 30000 + 1280);
	sched_started(u, u->next_ms);
	sched_done(&s, u, 0, 0, 86400000);		/* absurd: capped at 5 x the cap */
	CHECK_INT(u->next_ms, 5 * 120000);
	sched_free(&s);
}

TEST(sched_force)
{
	struct sched s;
	struct sunit *a, *b, *due[4];

	sched_init(&s, 1);
	a = sched_unit(&s, "prom\x1frange\x1fup", 0, 60000, 0);
	b = sched_unit(&s, "loki\x1flogs\x1f{}", 0, 60000, 0);
	sched_started(a, 0);
	sched_done(&s, a, 1, 0, 0);
	sched_started(b, 0);
	CHECK_INT(sched_due(&s, 10, due, 4), 0);
	sched_force(&s, "prom", 10);
	CHECK_INT(sched_due(&s, 10, due, 4), 1);
	CHECK(due[0] == a);
	/* forcing an in-flight unit reruns it as soon as it completes */
	sched_force(&s, NULL, 20);
	CHECK(b->again);
	sched_done(&s, b, 1, 30, 0);
	CHECK_INT(b->next_ms, 30);
	CHECK(!b->again);
	sched_free(&s);
}

TEST(sched_shorter_interval_takes_effect)
{
	struct sched s;
	struct sunit *u;

	sched_init(&s, 1);
	u = sched_unit(&s, "k", 0, 60000, 0);
	sched_started(u, 0);
	sched_done(&s, u, 1, 0, 0);
	CHECK_INT(u->next_ms, 60000);
	sched_unit(&s, "k", 0, 5000, 1000);
	CHECK_INT(u->next_ms, 6000);
	CHECK_INT(u->interval_ms, 5000);
	sched_unit(&s, "k", 0, 120000, 2000);	/* longer: the current due time stays */
	CHECK_INT(u->next_ms, 6000);
	sched_free(&s);
}

static int dropped;
static void
drop(struct sunit *u, void *ctx)
{
	(void)ctx;
	CHECK_STR(u->key, "gone");
	dropped++;
}

TEST(sched_mark_and_sweep)
{
	struct sched s;

	sched_init(&s, 1);
	sched_unit(&s, "kept", 0, 1000, 0);
	sched_unit(&s, "gone", 0, 1000, 0);
	sched_unmark(&s);
	sched_unit(&s, "kept", 0, 1000, 0);
	dropped = 0;
	sched_sweep(&s, drop, NULL);
	CHECK_INT(dropped, 1);
	CHECK_INT(s.n, 1);
	CHECK_STR(s.u[0]->key, "kept");
	CHECK(!sched_all_done_once(&s));
	sched_free(&s);
}
