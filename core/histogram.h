/* histogram: classic (le-bucketed) Prometheus histograms on the client.
 * A bucket is (upper bound "le", cumulative count); the last bucket of a
 * valid histogram is +Inf.  hist_quantile() is Prometheus' own
 * histogram_quantile (promql/quantile.go, 2.42, apis.md §1.10), so a
 * P99 computed here from the bucket rates of a heatmap equals the P99 the
 * server would return for the same data.  hist_counts() de-accumulates
 * cumulative buckets into per-bucket counts for the heatmap cells. */
#ifndef SCRY_HISTOGRAM_H
#define SCRY_HISTOGRAM_H
#include <stddef.h>

struct hbucket {
	double	le;	/* upper bound; +Inf for the last */
	double	count;	/* cumulative count (or rate) up to le */
};

/* Parse an "le" label value ("0.25", "+Inf", "1e3"); -1 if not a number. */
int	hist_parse_le(const char *s, double *le);
/* Sort by le, merge buckets with equal bounds (summing their counts, as
 * series of several label sets aggregate), drop NaN counts.  Returns the
 * new number of buckets. */
size_t	hist_normalize(struct hbucket *b, size_t n);
/* Force cumulative counts to be monotonic (as Prometheus does). */
void	hist_monotonic(struct hbucket *b, size_t n);
/* Per-bucket counts from cumulative ones (out[i] = b[i] - b[i-1], never
 * negative); b must be normalized.  out has n entries. */
void	hist_counts(const struct hbucket *b, size_t n, double *out);
/* histogram_quantile(q) over normalized buckets: NaN without a +Inf bucket,
 * with fewer than 2 buckets or no observations; -Inf/+Inf for q < 0 / > 1.
 * b is modified (made monotonic). */
double	hist_quantile(double q, struct hbucket *b, size_t n);

#endif
