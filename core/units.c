/* units: human formatting of values and axis ticks.
 * Invariant: every unit id maps to one family (time, bytes, rate, percent,
 * plain) with a base scale; values, ticks and tick labels of one axis all
 * use that family's scales, so an axis never mixes "ms" and "GiB". */
#include "core/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct scale {
	double		 factor;	/* value / factor */
	const char	*suffix;
};

static const struct scale time_scales[] = {
	{ 1e-9, "ns" }, { 1e-6, "\xc2\xb5s" }, { 1e-3, "ms" }, { 1, "s" },
	{ 60, "min" }, { 3600, "h" }, { 86400, "d" },
};
static const struct scale iec[] = {
	{ 1, "B" }, { 1024, "KiB" }, { 1048576, "MiB" }, { 1073741824.0, "GiB" },
	{ 1099511627776.0, "TiB" }, { 1125899906842624.0, "PiB" },
};
static const struct scale si_bytes[] = {
	{ 1, "B" }, { 1e3, "kB" }, { 1e6, "MB" }, { 1e9, "GB" }, { 1e12, "TB" }, { 1e15, "PB" },
};
static const struct scale si_bits[] = {
	{ 1, "b" }, { 1e3, "kb" }, { 1e6, "Mb" }, { 1e9, "Gb" }, { 1e12, "Tb" },
};
static const struct scale shorts[] = {
	{ 1, "" }, { 1e3, "k" }, { 1e6, "M" }, { 1e9, "G" }, { 1e12, "T" }, { 1e15, "P" },
};
static const struct scale iec_bits[] = {
	{ 1, "b" }, { 1024, "Kib" }, { 1048576, "Mib" }, { 1073741824.0, "Gib" },
	{ 1099511627776.0, "Tib" },
};
static const struct scale hertz[] = {
	{ 1, "Hz" }, { 1e3, "kHz" }, { 1e6, "MHz" }, { 1e9, "GHz" }, { 1e12, "THz" },
};
static const struct scale watt[] = {
	{ 1e-3, "mW" }, { 1, "W" }, { 1e3, "kW" }, { 1e6, "MW" }, { 1e9, "GW" },
};
static const struct scale volt[] = {
	{ 1e-3, "mV" }, { 1, "V" }, { 1e3, "kV" }, { 1e6, "MV" },
};
static const struct scale amp[] = {
	{ 1e-3, "mA" }, { 1, "A" }, { 1e3, "kA" },
};

enum family { F_TIME, F_BYTES, F_SHORT, F_PERCENT, F_NONE };

struct unitdef {
	const char		*id;
	enum family		 fam;
	const struct scale	*sc;
	size_t			 nsc;
	double			 mul;	/* value * mul = value in the scale's base */
	const char		*after;	/* appended after the suffix */
	int			 glue;	/* suffix attached without a space (12.8k) */
};

#define N(a) (sizeof(a) / sizeof *(a))
static const struct unitdef units[] = {
	{ "s", F_TIME, time_scales, N(time_scales), 1, "", 0 },
	{ "ms", F_TIME, time_scales, N(time_scales), 1e-3, "", 0 },
	{ "us", F_TIME, time_scales, N(time_scales), 1e-6, "", 0 },
	{ "\xc2\xb5s", F_TIME, time_scales, N(time_scales), 1e-6, "", 0 },
	{ "ns", F_TIME, time_scales, N(time_scales), 1e-9, "", 0 },
	{ "bytes", F_BYTES, iec, N(iec), 1, "", 0 },
	{ "decbytes", F_SHORT, si_bytes, N(si_bytes), 1, "", 0 },
	{ "bits", F_SHORT, si_bits, N(si_bits), 1, "", 0 },
	{ "decbits", F_SHORT, si_bits, N(si_bits), 1, "", 0 },
	{ "Bps", F_SHORT, si_bytes, N(si_bytes), 1, "/s", 0 },	/* Grafana: SI */
	{ "binBps", F_BYTES, iec, N(iec), 1, "/s", 0 },
	{ "decBps", F_SHORT, si_bytes, N(si_bytes), 1, "/s", 0 },
	{ "reqps", F_SHORT, shorts, N(shorts), 1, " req/s", 1 },
	{ "rps", F_SHORT, shorts, N(shorts), 1, " req/s", 1 },
	{ "ops", F_SHORT, shorts, N(shorts), 1, " ops/s", 1 },
	{ "percent", F_PERCENT, NULL, 0, 1, " %", 0 },
	{ "percentunit", F_PERCENT, NULL, 0, 100, " %", 0 },
	{ "short", F_SHORT, shorts, N(shorts), 1, "", 1 },
	{ "", F_SHORT, shorts, N(shorts), 1, "", 1 },
	{ "none", F_NONE, NULL, 0, 1, "", 0 },
	/* more Grafana unit ids (dashboards imported from Grafana use them) */
	{ "m", F_TIME, time_scales, N(time_scales), 60, "", 0 },
	{ "h", F_TIME, time_scales, N(time_scales), 3600, "", 0 },
	{ "d", F_TIME, time_scales, N(time_scales), 86400, "", 0 },
	{ "dtdurations", F_TIME, time_scales, N(time_scales), 1, "", 0 },
	{ "dtdurationms", F_TIME, time_scales, N(time_scales), 1e-3, "", 0 },
	{ "timeticks", F_TIME, time_scales, N(time_scales), 0.01, "", 0 },
	{ "kbytes", F_BYTES, iec, N(iec), 1024, "", 0 },
	{ "mbytes", F_BYTES, iec, N(iec), 1048576, "", 0 },
	{ "gbytes", F_BYTES, iec, N(iec), 1073741824.0, "", 0 },
	{ "tbytes", F_BYTES, iec, N(iec), 1099511627776.0, "", 0 },
	{ "deckbytes", F_SHORT, si_bytes, N(si_bytes), 1e3, "", 0 },
	{ "decmbytes", F_SHORT, si_bytes, N(si_bytes), 1e6, "", 0 },
	{ "decgbytes", F_SHORT, si_bytes, N(si_bytes), 1e9, "", 0 },
	{ "dectbytes", F_SHORT, si_bytes, N(si_bytes), 1e12, "", 0 },
	{ "bps", F_SHORT, si_bits, N(si_bits), 1, "/s", 0 },
	{ "binbps", F_BYTES, iec_bits, N(iec_bits), 1, "/s", 0 },
	{ "KBs", F_SHORT, si_bytes, N(si_bytes), 1e3, "/s", 0 },
	{ "MBs", F_SHORT, si_bytes, N(si_bytes), 1e6, "/s", 0 },
	{ "GBs", F_SHORT, si_bytes, N(si_bytes), 1e9, "/s", 0 },
	{ "KiBs", F_BYTES, iec, N(iec), 1024, "/s", 0 },
	{ "MiBs", F_BYTES, iec, N(iec), 1048576, "/s", 0 },
	{ "GiBs", F_BYTES, iec, N(iec), 1073741824.0, "/s", 0 },
	{ "Kbits", F_SHORT, si_bits, N(si_bits), 1e3, "/s", 0 },
	{ "Mbits", F_SHORT, si_bits, N(si_bits), 1e6, "/s", 0 },
	{ "Gbits", F_SHORT, si_bits, N(si_bits), 1e9, "/s", 0 },
	{ "Kibits", F_BYTES, iec_bits, N(iec_bits), 1024, "/s", 0 },
	{ "Mibits", F_BYTES, iec_bits, N(iec_bits), 1048576, "/s", 0 },
	{ "Gibits", F_BYTES, iec_bits, N(iec_bits), 1073741824.0, "/s", 0 },
	{ "pps", F_SHORT, shorts, N(shorts), 1, " p/s", 1 },
	{ "cps", F_SHORT, shorts, N(shorts), 1, " c/s", 1 },
	{ "wps", F_SHORT, shorts, N(shorts), 1, " wr/s", 1 },
	{ "iops", F_SHORT, shorts, N(shorts), 1, " io/s", 1 },
	{ "eps", F_SHORT, shorts, N(shorts), 1, " evt/s", 1 },
	{ "mps", F_SHORT, shorts, N(shorts), 1, " msg/s", 1 },
	{ "recps", F_SHORT, shorts, N(shorts), 1, " rec/s", 1 },
	{ "rowsps", F_SHORT, shorts, N(shorts), 1, " rows/s", 1 },
	{ "cpm", F_SHORT, shorts, N(shorts), 1, " c/min", 1 },
	{ "opm", F_SHORT, shorts, N(shorts), 1, " ops/min", 1 },
	{ "reqpm", F_SHORT, shorts, N(shorts), 1, " req/min", 1 },
	{ "rpm", F_SHORT, shorts, N(shorts), 1, " rd/min", 1 },
	{ "wpm", F_SHORT, shorts, N(shorts), 1, " wr/min", 1 },
	{ "epm", F_SHORT, shorts, N(shorts), 1, " evt/min", 1 },
	{ "mpm", F_SHORT, shorts, N(shorts), 1, " msg/min", 1 },
	{ "recpm", F_SHORT, shorts, N(shorts), 1, " rec/min", 1 },
	{ "rotrpm", F_SHORT, shorts, N(shorts), 1, " rpm", 1 },
	{ "rothz", F_SHORT, hertz, N(hertz), 1, "", 0 },
	{ "hertz", F_SHORT, hertz, N(hertz), 1, "", 0 },
	{ "watt", F_SHORT, watt, N(watt), 1, "", 0 },
	{ "kwatt", F_SHORT, watt, N(watt), 1e3, "", 0 },
	{ "volt", F_SHORT, volt, N(volt), 1, "", 0 },
	{ "amp", F_SHORT, amp, N(amp), 1, "", 0 },
	{ "celsius", F_NONE, NULL, 0, 1, " \xc2\xb0" "C", 0 },
	{ "fahrenheit", F_NONE, NULL, 0, 1, " \xc2\xb0" "F", 0 },
	{ "kelvin", F_NONE, NULL, 0, 1, " K", 0 },
	{ "humidity", F_NONE, NULL, 0, 1, " %H", 0 },
	{ "dB", F_NONE, NULL, 0, 1, " dB", 0 },
	{ "pixel", F_NONE, NULL, 0, 1, " px", 0 },
};

/* Unit ids formatted by rule rather than by scale. */
static int
special_format(double v, const char *unit, int decimals, char *dst, size_t n)
{
	if (strcmp(unit, "bool") == 0 || strcmp(unit, "bool_yes_no") == 0 ||
	    strcmp(unit, "bool_on_off") == 0) {
		int t = v != 0;
		snprintf(dst, n, "%s", unit[4] == '\0' ? (t ? "True" : "False") :
		    unit[5] == 'y' ? (t ? "Yes" : "No") : (t ? "On" : "Off"));
	} else if (strcmp(unit, "hex") == 0 || strcmp(unit, "hex0x") == 0)
		snprintf(dst, n, "%s%llX", unit[3] ? "0x" : "",
		    fabs(v) < 1.8e19 ? (unsigned long long)llround(fabs(v)) : 0ULL);
	else if (strcmp(unit, "sci") == 0)
		snprintf(dst, n, "%.*e", decimals >= 0 && decimals < 12 ? decimals : 2, v);
	else if (strncmp(unit, "suffix:", 7) == 0 || strncmp(unit, "prefix:", 7) == 0) {
		char num[48];
		unit_format(v, "short", decimals, num, sizeof num);
		if (unit[0] == 's')
			snprintf(dst, n, "%s %s", num, unit + 7);
		else
			snprintf(dst, n, "%s%s", unit + 7, num);
	} else
		return 0;
	return 1;
}

static int
special_unit(const char *u)
{
	static const char *const ids[] = { "bool", "bool_yes_no", "bool_on_off", "hex", "hex0x",
		"sci", NULL };
	for (size_t i = 0; ids[i]; i++)
		if (strcmp(ids[i], u) == 0)
			return 1;
	return strncmp(u, "suffix:", 7) == 0 || strncmp(u, "prefix:", 7) == 0;
}

static const struct unitdef *
find_unit(const char *u, const struct unitdef **suffix_of)
{
	*suffix_of = NULL;
	if (!u)
		u = "";
	for (size_t i = 0; i < N(units); i++)
		if (strcmp(units[i].id, u) == 0)
			return &units[i];
	/* an unknown unit is a suffix, as in Grafana's "suffix:" */
	for (size_t i = 0; i < N(units); i++)
		if (strcmp(units[i].id, "short") == 0)
			*suffix_of = &units[i];
	return *suffix_of;
}

static void
fmt_num(double v, int decimals, char *dst, size_t n)
{
	double a = fabs(v);

	if (decimals >= 0)
		snprintf(dst, n, "%.*f", decimals, v);
	else if (a == 0)
		snprintf(dst, n, "0");
	else if (a >= 99.95)
		snprintf(dst, n, "%.0f", v);
	else if (a >= 9.995)
		snprintf(dst, n, "%.1f", v);
	else if (a >= 0.01)
		snprintf(dst, n, "%.2f", v);
	else
		snprintf(dst, n, "%.3g", v);
}

/* Index of the scale a magnitude (in the base) is shown in. */
static size_t
pick_scale(const struct unitdef *u, double base_mag)
{
	size_t i = 0;

	if (!u->sc)
		return 0;
	for (size_t k = 0; k < u->nsc; k++)
		if (base_mag >= u->sc[k].factor * 0.9995)
			i = k;
	if (base_mag == 0 && u->fam == F_TIME)	/* "0 s" of ms is "0 ms" */
		while (i + 1 < u->nsc && u->sc[i].factor < u->mul * 0.9995)
			i++;
	return i;
}

static void
compose(const struct unitdef *u, const char *extra, size_t si, const char *num, char *dst, size_t n)
{
	const char *suf = u->sc ? u->sc[si].suffix : "";
	const char *sp = *suf && !u->glue ? " " : "";

	if (extra)
		snprintf(dst, n, "%s%s%s %s", num, sp, suf, extra);
	else
		snprintf(dst, n, "%s%s%s%s", num, sp, suf, u->after);
}

void
unit_format(double v, const char *unit, int decimals, char *dst, size_t n)
{
	const struct unitdef *sfx, *u = find_unit(unit, &sfx);
	double b;
	size_t si;
	char num[48];

	if (isnan(v)) {
		snprintf(dst, n, "\xe2\x80\x94");
		return;
	}
	if (isinf(v)) {
		snprintf(dst, n, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (unit && special_format(v, unit, decimals, dst, n))
		return;
	b = v * u->mul;
	si = pick_scale(u, fabs(b));
	if (decimals < 0 && !*u->after && u->glue && si == 0 && b == floor(b) && fabs(b) < 1000)
		decimals = 0;	/* plain counts: 85 connections, not 85.0 */
	fmt_num(u->sc ? b / u->sc[si].factor : b, decimals, num, sizeof num);
	compose(u, sfx ? unit : NULL, si, num, dst, n);
}

int
unit_known(const char *u)
{
	const struct unitdef *sfx;
	if (u && special_unit(u))
		return 1;
	find_unit(u, &sfx);
	return sfx == NULL;
}

/* 1-2-2.5-5 x 10^k at or above raw. */
static double
nice125(double raw)
{
	double mag = pow(10, floor(log10(raw))), norm = raw / mag;

	if (norm <= 1.0000001)
		norm = 1;
	else if (norm <= 2.0000001)
		norm = 2;
	else if (norm <= 2.5000001)
		norm = 2.5;
	else if (norm <= 5.0000001)
		norm = 5;
	else
		norm = 10;
	return norm * mag;
}

static double
nice_time(double raw)	/* seconds */
{
	static const double steps[] = { 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
		10800, 21600, 43200, 86400 };

	if (raw <= 10)
		return nice125(raw);
	for (size_t i = 0; i < N(steps); i++)
		if (steps[i] >= raw * 0.9999999)
			return steps[i];
	return 86400 * nice125(raw / 86400);
}

double
unit_tick_step(double span, int max_ticks, const char *unit)
{
	const struct unitdef *sfx, *u = find_unit(unit, &sfx);
	double raw;

	if (!(span > 0) || !isfinite(span) || max_ticks < 1)
		return 1;
	raw = span / max_ticks * u->mul;	/* in the scale's base */
	if (u->fam == F_TIME)
		return nice_time(raw) / u->mul;
	if (u->fam == F_BYTES && u->sc) {
		size_t si = pick_scale(u, raw);
		double x = nice125(raw / u->sc[si].factor);
		if (x > 512)	/* 1000 MiB reads better as 1 GiB */
			x = 1024;
		return x * u->sc[si].factor / u->mul;
	}
	return nice125(raw) / u->mul;
}

static int
step_decimals(double step)
{
	int d = 0;
	double s = fabs(step);

	while (d < 6) {
		double x = s * pow(10, d);
		if (fabs(x - round(x)) <= 1e-6 * (x > 1 ? x : 1))
			break;
		d++;
	}
	return d;
}

void
unit_format_axis(double v, double step, double ref, const char *unit, char *dst, size_t n)
{
	const struct unitdef *sfx, *u = find_unit(unit, &sfx);
	double b = v * u->mul, bs = fabs(step * u->mul), br = fabs(ref * u->mul);
	size_t si = pick_scale(u, br > bs ? br : bs);
	double f = u->sc ? u->sc[si].factor : 1;
	char num[48];

	if (fabs(v) < fabs(step) * 1e-9)
		b = 0;
	if (!isfinite(v)) {
		unit_format(v, unit, -1, dst, n);
		return;
	}
	if (b == 0)
		snprintf(num, sizeof num, "0");
	else
		fmt_num(b / f, step_decimals(bs / f), num, sizeof num);
	compose(u, sfx ? unit : NULL, si, num, dst, n);
}
