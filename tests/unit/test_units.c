/* Unit tests: value and axis formatting (core/units.c). */
#include <math.h>

#include "core/units.h"
#include "tests/unit/t.h"

static const char *
fmt(double v, const char *u)
{
	static char b[64];
	unit_format(v, u, -1, b, sizeof b);
	return b;
}

TEST(units_three_significant_digits)
{
	CHECK_STR(fmt(2.13, "s"), "2.13 s");
	CHECK_STR(fmt(0.845, "s"), "845 ms");
	CHECK_STR(fmt(845, "ms"), "845 ms");
	CHECK_STR(fmt(8400, "ms"), "8.40 s");
	CHECK_STR(fmt(12800, "reqps"), "12.8k req/s");
	CHECK_STR(fmt(30, "reqps"), "30.0 req/s");
	CHECK_STR(fmt(92, "percent"), "92.0 %");
	CHECK_STR(fmt(0.92, "percentunit"), "92.0 %");
	CHECK_STR(fmt(0.0004, "s"), "400 \xc2\xb5s");
	CHECK_STR(fmt(1536, "bytes"), "1.50 KiB");
	CHECK_STR(fmt(1500, "decbytes"), "1.50 kB");
	CHECK_STR(fmt(103, ""), "103");
	CHECK_STR(fmt(85, "short"), "85");
	CHECK_STR(fmt(85.5, "short"), "85.5");
	CHECK_STR(fmt(42, "widgets"), "42 widgets");
	CHECK_STR(fmt(999.6, "ms"), "1.00 s");
	CHECK_STR(fmt(NAN, "ms"), "\xe2\x80\x94");
	CHECK_STR(fmt(INFINITY, "ms"), "+Inf");
	CHECK_STR(fmt(-INFINITY, "s"), "-Inf");
}

TEST(units_zero_keeps_its_unit)
{
	CHECK_STR(fmt(0, "ms"), "0 ms");
	CHECK_STR(fmt(0, "s"), "0 s");
	CHECK_STR(fmt(0, "bytes"), "0 B");
	CHECK_STR(fmt(0, "reqps"), "0 req/s");
	CHECK_STR(fmt(0, "percentunit"), "0 %");
	CHECK_STR(fmt(0, "short"), "0");
	CHECK(unit_known("ms") && unit_known("percentunit") && !unit_known("widgets"));
}

TEST(units_tick_steps_are_unit_aware)
{
	CHECK_NEAR(unit_tick_step(9000, 4, "ms"), 2500, 1e-9);	/* 2.5 s */
	CHECK_NEAR(unit_tick_step(3600, 4, "s"), 900, 1e-9);	/* 15 min */
	CHECK_NEAR(unit_tick_step(100, 4, "s"), 30, 1e-9);
	CHECK_NEAR(unit_tick_step(3.0 * 1073741824.0, 4, "bytes"), 1073741824.0, 1e-9);
	CHECK_NEAR(unit_tick_step(1, 4, "percentunit"), 0.25, 1e-9);
	CHECK_NEAR(unit_tick_step(120, 3, "reqps"), 50, 1e-9);
}

TEST(units_axis_labels_share_one_scale)
{
	char b[64];

	unit_format_axis(2500, 2500, 10000, "ms", b, sizeof b);
	CHECK_STR(b, "2.5 s");
	unit_format_axis(5000, 2500, 10000, "ms", b, sizeof b);
	CHECK_STR(b, "5.0 s");
	unit_format_axis(0, 2500, 10000, "ms", b, sizeof b);
	CHECK_STR(b, "0 s");
	unit_format_axis(200, 100, 300, "ms", b, sizeof b);
	CHECK_STR(b, "200 ms");
	unit_format_axis(0.25, 0.25, 1, "percentunit", b, sizeof b);
	CHECK_STR(b, "25 %");
	unit_format_axis(100, 50, 150, "reqps", b, sizeof b);
	CHECK_STR(b, "100 req/s");
	unit_format_axis(2000, 1000, 4000, "reqps", b, sizeof b);
	CHECK_STR(b, "2k req/s");
	unit_format_axis(1073741824.0, 536870912.0, 2147483648.0, "bytes", b, sizeof b);
	CHECK_STR(b, "1.0 GiB");
}
