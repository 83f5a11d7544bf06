/* Unit tests: time parsing and formatting (ts), the shared view, units. */
#include <stdlib.h>

#include "core/ts.h"
#include "core/units.h"
#include "core/view.h"
#include "tests/unit/t.h"

TEST(ts_durations)
{
	static const struct { const char *s; tns want; } ok[] = {
		{ "15s", 15 * NS_PER_S }, { "1m", 60 * NS_PER_S }, { "1h30m", 5400 * NS_PER_S },
		{ "2d", 172800 * NS_PER_S }, { "1w", 604800 * NS_PER_S }, { "250ms", 250 * NS_PER_MS },
		{ "1.5h", 5400 * NS_PER_S }, { "90", 90 * NS_PER_S }, { "10us", 10 * NS_PER_US },
		{ "7ns", 7 }, { "1y", 365LL * 86400 * NS_PER_S }, { "0s", 0 }, { "1m30s", 90 * NS_PER_S },
		{ "5\xc2\xb5s", 5 * NS_PER_US },
	};
	static const char *const bad[] = { "", "h", "1h30", "-5m", "1x", "5 m", "m5", "1.2.3s",
		"inf", "nan", "99999999999999y", NULL };
	tns d;

	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		d = -1;
		if (ts_parse_duration(ok[i].s, &d) != 0 || d != ok[i].want)
			t_fail(__FILE__, __LINE__, "%s -> %lld, expected %lld", ok[i].s, (long long)d,
			    (long long)ok[i].want);
	}
	for (size_t i = 0; bad[i]; i++)
		if (ts_parse_duration(bad[i], &d) == 0)
			t_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
	CHECK(ts_parse_duration(NULL, &d) == -1);
}

TEST(ts_times)
{
	tns ref = 1700000000 * NS_PER_S, t;	/* 2023-11-14T22:13:20Z */

	CHECK_INT(ts_parse_time("2024-01-01T01:00:00Z", ref, 1, &t), 0);
	CHECK_INT(t, 1704070800 * NS_PER_S);
	CHECK_INT(ts_parse_time("2024-01-01T02:00:00+01:00", ref, 1, &t), 0);
	CHECK_INT(t, 1704070800 * NS_PER_S);
	CHECK_INT(ts_parse_time("2024-01-01T00:30:00-00:30", ref, 1, &t), 0);
	CHECK_INT(t, 1704070800 * NS_PER_S);
	CHECK_INT(ts_parse_time("2024-01-01T01:00:00.250Z", ref, 1, &t), 0);
	CHECK_INT(t, 1704070800 * NS_PER_S + 250 * NS_PER_MS);
	CHECK_INT(ts_parse_time("2024-01-01 01:00:00Z", ref, 1, &t), 0);
	CHECK_INT(t, 1704070800 * NS_PER_S);
	/* without a zone: UTC when asked for UTC (local time otherwise) */
	CHECK_INT(ts_parse_time("2024-01-01T01:00:00", ref, 1, &t), 0);
	CHECK_INT(t, 1704070800 * NS_PER_S);
	CHECK_INT(ts_parse_time("2024-01-01", ref, 1, &t), 0);
	CHECK_INT(t, 1704067200 * NS_PER_S);
	CHECK_INT(ts_parse_time("now", ref, 1, &t), 0);
	CHECK_INT(t, ref);
	CHECK_INT(ts_parse_time("now-1h", ref, 1, &t), 0);
	CHECK_INT(t, ref - 3600 * NS_PER_S);
	CHECK_INT(ts_parse_time("now+5m", ref, 1, &t), 0);
	CHECK_INT(t, ref + 300 * NS_PER_S);
	CHECK_INT(ts_parse_time("1700000000.5", ref, 1, &t), 0);
	CHECK_INT(t, ref + 500 * NS_PER_MS);
	/* clock of the day of ref, in UTC */
	CHECK_INT(ts_parse_time("02:17", ref, 1, &t), 0);
	CHECK_INT(t, (1700000000 - 22 * 3600 - 13 * 60 - 20 + 2 * 3600 + 17 * 60) * NS_PER_S);
	CHECK_INT(ts_parse_time("02:17:05", ref, 1, &t), 0);
	CHECK_INT(t % (60 * NS_PER_S), 5 * NS_PER_S);
	{
		static const char *const bad[] = { "", "yesterday", "2024-13-01T00:00:00Z",
			"2024-01-01T25:00:00Z", "now-", "now-xyz", "24:00",
			"12:60", "-5", "1e12", "2024-01-01T01:00:00Zjunk", "2024-01-01X", NULL };
		for (size_t i = 0; bad[i]; i++)
			if (ts_parse_time(bad[i], ref, 1, &t) == 0)
				t_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
	}
}

TEST(ts_formats)
{
	char b[64];
	static const struct { tns d; const char *want; } dur[] = {
		{ 250 * NS_PER_MS, "250ms" }, { 42 * NS_PER_S, "42s" }, { 180 * NS_PER_S, "3m" },
		{ 185 * NS_PER_S, "3m5s" }, { 3900 * NS_PER_S, "1h5m" }, { 7200 * NS_PER_S, "2h" },
		{ 180000 * NS_PER_S, "2d2h" }, { 172800 * NS_PER_S, "2d" }, { -42 * NS_PER_S, "-42s" },
	};
	for (size_t i = 0; i < sizeof dur / sizeof *dur; i++) {
		ts_fmt_duration(b, sizeof b, dur[i].d);
		CHECK_STR(b, dur[i].want);
	}
	ts_fmt_promql_duration(b, sizeof b, 90 * NS_PER_S);
	CHECK_STR(b, "90s");
	ts_fmt_promql_duration(b, sizeof b, 300 * NS_PER_S);
	CHECK_STR(b, "5m");
	ts_fmt_promql_duration(b, sizeof b, 86400 * NS_PER_S);
	CHECK_STR(b, "1d");
	ts_fmt_promql_duration(b, sizeof b, 1500 * NS_PER_MS);
	CHECK_STR(b, "1500ms");
	ts_fmt_promql_duration(b, sizeof b, 0);
	CHECK_STR(b, "1ms");
	ts_fmt_rfc3339(b, sizeof b, 1704070805 * NS_PER_S);
	CHECK_STR(b, "2024-01-01T01:00:05Z");
	ts_fmt_datetime(b, sizeof b, 1704070805 * NS_PER_S, 1);
	CHECK_STR(b, "2024-01-01 01:00:05");
	ts_fmt_clock(b, sizeof b, 1704070805 * NS_PER_S, 1, 1);
	CHECK_STR(b, "01:00:05");
	ts_fmt_clock(b, sizeof b, 1704070805 * NS_PER_S, 1, 0);
	CHECK_STR(b, "01:00");
	ts_fmt_clock(b, sizeof b, -NS_PER_S / 2, 1, 1);	/* before the epoch rounds down */
	CHECK_STR(b, "23:59:59");
}

TEST(ts_fake_now)
{
	ts_set_fake_now(123 * NS_PER_S);
	CHECK_INT(ts_now(), 123 * NS_PER_S);
	ts_set_fake_now(0);
	CHECK(ts_now() > 1600000000 * NS_PER_S);
	CHECK(ts_mono_ms() > 0);
}

TEST(view_zoom_steps)
{
	struct view v;
	static const int steps[] = { 5, 15, 60, 180, 360, 720, 1440, 2880, 10080 };

	view_init(&v, 5 * 60 * NS_PER_S);
	for (size_t i = 1; i < sizeof steps / sizeof *steps; i++) {
		view_zoom(&v, 1);
		CHECK_INT(v.range, steps[i] * 60 * NS_PER_S);
	}
	view_zoom(&v, 1);				/* the widest stays */
	CHECK_INT(v.range, 10080 * 60 * NS_PER_S);
	view_init(&v, 5 * 60 * NS_PER_S);
	view_zoom(&v, -1);				/* the narrowest stays */
	CHECK_INT(v.range, 5 * 60 * NS_PER_S);
	view_init(&v, 2 * 3600 * NS_PER_S);		/* off the list: nearest neighbours */
	view_zoom(&v, 1);
	CHECK_INT(v.range, 3 * 3600 * NS_PER_S);
	view_init(&v, 2 * 3600 * NS_PER_S);
	view_zoom(&v, -1);
	CHECK_INT(v.range, 3600 * NS_PER_S);
	view_init(&v, 0);
	CHECK_INT(v.range, 3600 * NS_PER_S);
}

TEST(view_pan_pause_live)
{
	struct view v;
	tns now = 1700000000 * NS_PER_S, h = 3600 * NS_PER_S;
	char d[96];

	view_init(&v, h);
	CHECK(v.live);
	CHECK_INT(view_end(&v, now), now);
	CHECK_INT(view_start(&v, now), now - h);
	view_describe(&v, now, d, sizeof d);
	CHECK_STR(d, "live, last 1h");
	view_pan(&v, -1, now);
	CHECK(!v.live);
	CHECK_INT(view_end(&v, now + 999 * NS_PER_S), now - h / 2);	/* frozen */
	view_pan(&v, -1, now);
	CHECK_INT(v.end, now - h);
	view_pan(&v, 1, now);
	CHECK_INT(v.end, now - h / 2);
	view_pan(&v, 1, now + NS_PER_S);		/* reaches now: live again */
	CHECK(v.live);
	view_pan(&v, 1, now);				/* live stays live */
	CHECK(v.live);
	view_toggle_pause(&v, now);
	CHECK(!v.live);
	CHECK_INT(v.end, now);
	v.utc = 1;
	view_describe(&v, now, d, sizeof d);
	CHECK_STR(d, "2023-11-14 22:13:20Z, 1h window");
	view_toggle_pause(&v, now);
	CHECK(v.live);
	view_set_end(&v, now - 7 * h);
	CHECK(!v.live);
	CHECK_INT(view_end(&v, now), now - 7 * h);
}

TEST(view_cursor)
{
	struct view v;
	tns now = 1700000000 * NS_PER_S, h = 3600 * NS_PER_S;

	view_init(&v, h);
	CHECK(v.cursor == TNS_NONE);
	view_cursor_move(&v, -1, now, 0);		/* appears at the end */
	CHECK_INT(v.cursor, now);
	view_cursor_move(&v, -1, now, 0);		/* one step is 1/100 of the window */
	CHECK_INT(v.cursor, now - h / 100);
	for (int i = 0; i < 500; i++)
		view_cursor_move(&v, -1, now, 60 * NS_PER_S);
	CHECK_INT(v.cursor, now - h);			/* clamped to the window */
	for (int i = 0; i < 500; i++)
		view_cursor_move(&v, 1, now, 60 * NS_PER_S);
	CHECK_INT(v.cursor, now);
	view_go_live(&v);
	CHECK(v.cursor == TNS_NONE);
}

#define FMT(v, unit, dec, want) do { char _fb[64]; unit_format(v, unit, dec, _fb, sizeof _fb);	\
	CHECK_STR(_fb, want); } while (0)

TEST(units_format)
{
	FMT(0.845, "s", -1, "845 ms");
	FMT(2.13, "s", -1, "2.13 s");
	FMT(252, "s", -1, "4.20 min");
	FMT(7200, "s", -1, "2.00 h");
	FMT(0.000012, "s", -1, "12.0 \xc2\xb5s");
	FMT(845, "ms", -1, "845 ms");
	FMT(1500, "ms", -1, "1.50 s");
	FMT(1536, "bytes", -1, "1.50 KiB");
	FMT(1500, "decbytes", -1, "1.50 kB");
	FMT(3 * 1073741824.0, "bytes", -1, "3.00 GiB");
	FMT(12800, "reqps", -1, "12.8k req/s");
	FMT(3.5, "reqps", -1, "3.50 req/s");
	FMT(92, "percent", -1, "92.0 %");
	FMT(0.92, "percentunit", -1, "92.0 %");
	FMT(0.0004, "percentunit", -1, "0.04 %");
	FMT(1234567, "short", -1, "1.23M");
	FMT(1234567, "", -1, "1.23M");
	FMT(999, "", -1, "999");
	FMT(0, "", -1, "0");
	FMT(-1500, "", -1, "-1.50k");
	FMT(0.004, "", -1, "0.004");
	FMT(1234567, "none", -1, "1234567");
	FMT(5, "widgets", -1, "5 widgets");	/* counts print as integers */
	FMT(2048, "bytes", 0, "2 KiB");
	FMT(1.23456, "", 3, "1.235");
	FMT(1e6, "Bps", -1, "1.00 MB/s");	/* Grafana: Bps is SI, binBps IEC */
	FMT(1048576, "binBps", -1, "1.00 MiB/s");
	/* no data is not zero; infinities are shown as such */
	FMT(NAN, "s", -1, "\xe2\x80\x94");
	FMT(INFINITY, "", -1, "+Inf");
	FMT(-INFINITY, "bytes", -1, "-Inf");
}

TEST(units_known_and_ticks)
{
	CHECK(unit_known("s"));
	CHECK(unit_known("percentunit"));
	CHECK(unit_known(""));
	CHECK(!unit_known("furlongs"));
	CHECK(unit_tick_step(10, 5, "") == 2);
	CHECK(unit_tick_step(1, 5, "") == 0.2);
	CHECK(unit_tick_step(7, 3, "") == 2.5);
	CHECK(unit_tick_step(900, 3, "") == 500);
	CHECK(unit_tick_step(0, 5, "") == 1);
	CHECK(unit_tick_step(NAN, 5, "") == 1);
	CHECK(unit_tick_step(10, 0, "") == 1);
}
