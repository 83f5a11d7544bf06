/* ts: clocks, duration and time parsing/formatting. */
#include "core/ts.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Times must fit int64 nanoseconds: years 1678..2262. */
#define TS_MAX_SECS	9000000000LL

static tns fake_now;

tns
ts_now(void)
{
	struct timespec t;

	if (fake_now)
		return fake_now;
	clock_gettime(CLOCK_REALTIME, &t);
	return (tns)t.tv_sec * NS_PER_S + t.tv_nsec;
}

void
ts_set_fake_now(tns t)
{
	fake_now = t;
}

int64_t
ts_mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int
ts_parse_duration(const char *s, tns *out)
{
	double total = 0;
	const char *p = s;
	int any = 0;

	if (!s || !*s)
		return -1;
	while (*p) {
		char *end;
		double v;
		tns unit;

		if (!isdigit((unsigned char)*p) && *p != '.')
			return -1;
		v = strtod(p, &end);
		if (end == p || !isfinite(v) || v < 0)
			return -1;
		p = end;
		if (*p == '\0') {
			if (any)
				return -1;	/* "1h30" is ambiguous */
			unit = NS_PER_S;
		} else if (strncmp(p, "ms", 2) == 0) {
			unit = NS_PER_MS; p += 2;
		} else if (strncmp(p, "us", 2) == 0 || strncmp(p, "\xc2\xb5s", 3) == 0) {
			unit = NS_PER_US; p += (*p == 'u') ? 2 : 3;
		} else if (strncmp(p, "ns", 2) == 0) {
			unit = 1; p += 2;
		} else {
			switch (*p) {
			case 's': unit = NS_PER_S; break;
			case 'm': unit = 60 * NS_PER_S; break;
			case 'h': unit = 3600 * NS_PER_S; break;
			case 'd': unit = 86400 * NS_PER_S; break;
			case 'w': unit = 7 * 86400 * NS_PER_S; break;
			case 'y': unit = 365 * 86400 * NS_PER_S; break;
			default: return -1;
			}
			p++;
		}
		total += v * (double)unit;
		any = 1;
	}
	if (total > 9.2e18)
		return -1;
	*out = (tns)llround(total);
	return 0;
}

static int
parse_clock_of_day(const char *s, tns ref, int utc, tns *out)
{
	int h, m, sec = 0, n = 0;
	struct tm tm;
	time_t secs = (time_t)(ref / NS_PER_S);

	if (sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &n) == 3 && s[n] == '\0') {	// NOLINT(cert-err34-c): widths bound every number (no overflow); the count is checked
		/* ok */
	} else if (sscanf(s, "%2d:%2d%n", &h, &m, &n) == 2 && s[n] == '\0') {	// NOLINT(cert-err34-c): widths bound every number (no overflow); the count is checked
		sec = 0;
	} else
		return -1;
	if (h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0)
		return -1;
	if (utc)
		gmtime_r(&secs, &tm);
	else
		localtime_r(&secs, &tm);
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	secs = utc ? timegm(&tm) : mktime(&tm);
	if (secs < 0 || secs > TS_MAX_SECS)
		return -1;
	*out = (tns)secs * NS_PER_S;
	return 0;
}

static int
parse_rfc3339(const char *s, int utc, tns *out)
{
	int zone = 0;
	struct tm tm;
	int n = 0, off = 0;
	tns frac = 0;
	const char *p;
	time_t secs;

	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3)	// NOLINT(cert-err34-c): widths bound every number (no overflow); the count is checked
		return -1;
	p = s + n;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 3)	// NOLINT(cert-err34-c): widths bound every number (no overflow); the count is checked
			return -1;
		p += 1 + n;
		if (*p == '.') {	/* digits only (strtod took ".6e37"), ns precision */
			tns scale = NS_PER_S;
			if (!isdigit((unsigned char)*++p))
				return -1;
			for (; isdigit((unsigned char)*p); p++)
				if (scale > 1) {
					scale /= 10;
					frac += (*p - '0') * scale;
				}
		}
	} else if (*p != '\0')
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		p++;
		zone = 1;
	} else if (*p == '+' || *p == '-') {
		int oh, om, k = 0;
		zone = 1;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5 || oh > 23 || om > 59 ||	// NOLINT(cert-err34-c): widths bound every number (no overflow); the count is checked
		    oh < 0 || om < 0)
			return -1;
		off = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
		p += 1 + k;
	} else if (*p != '\0')
		return -1;
	if (*p != '\0')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	/* no zone: the user's local time, like HH:MM (UTC with --utc) */
	secs = zone || utc ? timegm(&tm) - off : mktime(&tm);
	if (secs < -TS_MAX_SECS || secs > TS_MAX_SECS)
		return -1;
	*out = (tns)secs * NS_PER_S + frac;
	return 0;
}

int
ts_parse_time(const char *s, tns ref, int utc, tns *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	if (strncmp(s, "now", 3) == 0) {
		tns d = 0;
		if (s[3] == '\0') {
			*out = ref;
			return 0;
		}
		if ((s[3] != '-' && s[3] != '+') || ts_parse_duration(s + 4, &d) < 0)
			return -1;
		if (s[3] == '-')
			d = -d;
		/* a time beyond the representable range is not a time */
		if (d > 0 ? ref > INT64_MAX - d : ref < INT64_MIN - d)
			return -1;
		*out = ref + d;
		return 0;
	}
	if (strchr(s, '-') && parse_rfc3339(s, utc, out) == 0)
		return 0;
	if (strchr(s, ':') && !strchr(s, '-'))
		return parse_clock_of_day(s, ref, utc, out);
	v = strtod(s, &end);
	if (end != s && *end == '\0' && isfinite(v) && v >= 0 && v < (double)TS_MAX_SECS) {
		*out = (tns)llround(v * NS_PER_S);
		return 0;
	}
	return -1;
}

void
ts_fmt_duration(char *dst, size_t n, tns d)
{
	int64_t s;
	const char *sign = "";

	if (d < 0) {
		sign = "-";
		d = -d;
	}
	if (d < NS_PER_S) {
		snprintf(dst, n, "%s%lldms", sign, (long long)(d / NS_PER_MS));
		return;
	}
	s = d / NS_PER_S;
	if (s < 60)
		snprintf(dst, n, "%s%llds", sign, (long long)s);
	else if (s < 3600) {
		if (s % 60)
			snprintf(dst, n, "%s%lldm%llds", sign, (long long)(s / 60), (long long)(s % 60));
		else
			snprintf(dst, n, "%s%lldm", sign, (long long)(s / 60));
	} else if (s < 86400) {
		if ((s % 3600) / 60)
			snprintf(dst, n, "%s%lldh%lldm", sign, (long long)(s / 3600), (long long)((s % 3600) / 60));
		else
			snprintf(dst, n, "%s%lldh", sign, (long long)(s / 3600));
	} else {
		if ((s % 86400) / 3600)
			snprintf(dst, n, "%s%lldd%lldh", sign, (long long)(s / 86400), (long long)((s % 86400) / 3600));
		else
			snprintf(dst, n, "%s%lldd", sign, (long long)(s / 86400));
	}
}

void
ts_fmt_promql_duration(char *dst, size_t n, tns d)
{
	int64_t ms = d / NS_PER_MS;

	if (ms <= 0)
		ms = 1;
	if (ms % (86400 * 1000LL) == 0)
		snprintf(dst, n, "%lldd", (long long)(ms / (86400 * 1000LL)));
	else if (ms % (3600 * 1000LL) == 0)
		snprintf(dst, n, "%lldh", (long long)(ms / (3600 * 1000LL)));
	else if (ms % 60000 == 0)
		snprintf(dst, n, "%lldm", (long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(dst, n, "%llds", (long long)(ms / 1000));
	else
		snprintf(dst, n, "%lldms", (long long)ms);
}

static void
split_tm(tns t, int utc, struct tm *tm)
{
	time_t secs = (time_t)(t / NS_PER_S);
	if (t < 0 && t % NS_PER_S)
		secs--;
	if (utc)
		gmtime_r(&secs, tm);
	else
		localtime_r(&secs, tm);
}

void
ts_fmt_clock(char *dst, size_t n, tns t, int utc, int with_seconds)
{
	struct tm tm;
	split_tm(t, utc, &tm);
	if (with_seconds)
		snprintf(dst, n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		snprintf(dst, n, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void
ts_fmt_rfc3339(char *dst, size_t n, tns t)
{
	struct tm tm;
	split_tm(t, 1, &tm);
	snprintf(dst, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
ts_fmt_datetime(char *dst, size_t n, tns t, int utc)
{
	struct tm tm;
	split_tm(t, utc, &tm);
	snprintf(dst, n, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
