/* ts: time.  All data times are int64 nanoseconds since the Unix epoch
 * (tns); timers use the monotonic clock in milliseconds.  Parsers for the
 * duration and time forms the CLI, dashboards and backends use. */
#ifndef SCRY_TS_H
#define SCRY_TS_H
#include <stddef.h>
#include <stdint.h>

typedef int64_t tns;
#define NS_PER_US	1000LL
#define NS_PER_MS	1000000LL
#define NS_PER_S	1000000000LL
#define TNS_NONE	INT64_MIN

tns	ts_now(void);		/* wall clock */
int64_t	ts_mono_ms(void);	/* monotonic */
/* Override ts_now() (tests, replay): 0 restores the real clock. */
void	ts_set_fake_now(tns t);

/* "15s", "1m", "1h30m", "2d", "1w", "250ms", "1.5h", bare number = seconds.
 * Returns 0 and sets *out (ns) or -1. */
int	ts_parse_duration(const char *s, tns *out);
/* RFC3339 ("2024-01-01T01:00:00Z", offsets, fractions; without a zone the
 * time is local, or UTC when utc is set), unix seconds with
 * decimals, or "now", "now-1h".  Also "HH:MM[:SS]" relative to the day of
 * `ref` (UTC when utc, else local) for :goto.  Returns 0 or -1. */
int	ts_parse_time(const char *s, tns ref, int utc, tns *out);
/* Compact duration: "42s", "3m", "1h5m", "2d". */
void	ts_fmt_duration(char *dst, size_t n, tns d);
/* Canonical duration for PromQL ("90s", "5m", "1h"): largest exact unit. */
void	ts_fmt_promql_duration(char *dst, size_t n, tns d);
/* Wall clock "02:17:05" (utc or local). */
void	ts_fmt_clock(char *dst, size_t n, tns t, int utc, int with_seconds);
/* "2024-01-01T02:17:05Z" */
void	ts_fmt_rfc3339(char *dst, size_t n, tns t);
/* "2024-01-01 02:17:05" (utc or local) */
void	ts_fmt_datetime(char *dst, size_t n, tns t, int utc);

#endif
