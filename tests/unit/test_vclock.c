/* Unit tests: the demo clock (SCRY_DEMO_CLOCK, core/vclock.c) and the
 * app's now on it. */
#include <stdlib.h>

#include "core/vclock.h"
#include "tests/unit/t.h"
#include "tui/app.h"

#define T_STORY	1795657620LL	/* 2026-11-26T01:47:00Z */
#define REAL	1800000000LL

TEST(vclock_parses_the_three_fields)
{
	struct vclock c;
	char *err = NULL;

	CHECK_INT(vclock_parse("2026-11-26T01:47:00Z,30,1800000000.5", 0, &c, &err), 0);
	CHECK(c.on);
	CHECK_INT(c.start, T_STORY * NS_PER_S);
	CHECK_INT(c.epoch, REAL * NS_PER_S + NS_PER_S / 2);
	CHECK_NEAR(c.speed, 30.0, 0);
	/* unix seconds; speed and epoch default to 1 and "now" */
	CHECK_INT(vclock_parse("1795657620", REAL * NS_PER_S, &c, &err), 0);
	CHECK_INT(c.start, T_STORY * NS_PER_S);
	CHECK_INT(c.epoch, REAL * NS_PER_S);
	CHECK_NEAR(c.speed, 1.0, 0);
	CHECK_INT(vclock_parse("1795657620,2.5", REAL * NS_PER_S, &c, &err), 0);
	CHECK_NEAR(c.speed, 2.5, 0);
	CHECK_INT(c.epoch, REAL * NS_PER_S);
}

TEST(vclock_refuses_nonsense_with_a_reason)
{
	static const struct { const char *spec, *want; } bad[] = {
		{ "yesterday", "is not a time" },
		{ "", "is not a time" },
		{ "1795657620,0", "speed '0' is not a number from 1 to 3600" },
		{ "1795657620,5000", "from 1 to 3600" },
		{ "1795657620,fast", "speed 'fast'" },
		{ "1795657620,nan", "speed 'nan'" },
		{ "1795657620,2,soon", "epoch 'soon' is not unix seconds" },
		{ "1795657620,2,-5", "epoch '-5'" },
		{ "1795657620,2,3,4", "more than three fields" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct vclock c;
		char *err = NULL;
		CHECK_INT(vclock_parse(bad[i].spec, REAL * NS_PER_S, &c, &err), -1);
		CHECK_CONTAINS(err, bad[i].want);
		CHECK(!c.on);
		free(err);
	}
}

TEST(vclock_runs_speed_times_as_fast_through_epoch)
{
	struct vclock c, off;
	char *err = NULL;

	CHECK_INT(vclock_parse("1795657620,30,1800000000", 0, &c, &err), 0);
	CHECK_INT(vclock_now(&c, REAL * NS_PER_S), T_STORY * NS_PER_S);
	/* two real minutes are the story's hour */
	CHECK_INT(vclock_now(&c, (REAL + 120) * NS_PER_S), (T_STORY + 3600) * NS_PER_S);
	/* before the epoch it reads times before START (one line, no jump) */
	CHECK_INT(vclock_now(&c, (REAL - 2) * NS_PER_S), (T_STORY - 60) * NS_PER_S);
	CHECK_INT(vclock_now(&c, REAL * NS_PER_S + 1000), T_STORY * NS_PER_S + 30000);
	/* refreshes: 15 s of story are half a real second */
	CHECK_INT(vclock_real_ms(&c, 15000), 500);
	CHECK_INT(vclock_real_ms(&c, 1), 1);
	memset(&off, 0, sizeof off);
	CHECK_INT(vclock_now(&off, 42), 42);
	CHECK_INT(vclock_real_ms(&off, 15000), 15000);
}

TEST(vclock_app_now_follows_the_environment)
{
	static struct app a;
	struct options o;
	char *err = NULL, spec[64];
	tns before, now;

	memset(&o, 0, sizeof o);
	o.at = TNS_NONE;
	o.snapshot = 1;
	o.dashboard = t_fixture("dashboards/board.json");
	/* the clock reads 01:47 right now and runs 60 times as fast */
	snprintf(spec, sizeof spec, "1795657620,60,%.3f", (double)ts_now() / NS_PER_S);
	setenv("SCRY_DEMO_CLOCK", spec, 1);
	/* the epoch is rounded to the millisecond, so it may lie up to 0.5 ms
	 * ahead of the real clock: 30 ms of story at 60x */
	before = T_STORY * NS_PER_S - 30 * NS_PER_MS;
	CHECK_INT(app_init(&a, &o, &err), 0);
	now = app_now(&a);
	/* 60x: even 30 s of wall time on a loaded machine is 30 min of story */
	CHECK(now >= before && now < before + 30 * 60 * NS_PER_S);
	app_free(&a);
	setenv("SCRY_DEMO_CLOCK", "not a clock", 1);
	CHECK_INT(app_init(&a, &o, &err), -1);
	CHECK_CONTAINS(err, "SCRY_DEMO_CLOCK: 'not a clock' is not a time");
	free(err);
	unsetenv("SCRY_DEMO_CLOCK");
}
