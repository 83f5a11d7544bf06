/* histogram: bucket arithmetic and Prometheus' histogram_quantile. */
#include "core/histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int
hist_parse_le(const char *s, double *le)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	if (end == s || *end || isnan(v))
		return -1;
	*le = v;
	return 0;
}

static int
by_le(const void *a, const void *b)
{
	double x = ((const struct hbucket *)a)->le, y = ((const struct hbucket *)b)->le;
	return x < y ? -1 : x > y;
}

size_t
hist_normalize(struct hbucket *b, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(b[i].count) && !isnan(b[i].le))
			b[w++] = b[i];
	n = w;
	if (n == 0)
		return 0;
	qsort(b, n, sizeof *b, by_le);
	w = 0;
	for (size_t i = 1; i < n; i++) {
		if (b[i].le == b[w].le)
			b[w].count += b[i].count;
		else
			b[++w] = b[i];
	}
	return w + 1;
}

void
hist_monotonic(struct hbucket *b, size_t n)
{
	double max = -INFINITY;

	for (size_t i = 0; i < n; i++) {
		if (b[i].count > max)
			max = b[i].count;
		else if (b[i].count < max)
			b[i].count = max;
	}
}

void
hist_counts(const struct hbucket *b, size_t n, double *out)
{
	double below = 0, max = -INFINITY;

	for (size_t i = 0; i < n; i++) {
		double c = b[i].count;
		if (c < max)
			c = max;	/* a non-monotonic bucket adds nothing */
		max = c;
		out[i] = c - below > 0 ? c - below : 0;
		below = c;
	}
}

double
hist_quantile(double q, struct hbucket *b, size_t n)
{
	double rank, start = 0, end, count, total;
	size_t i;

	if (isnan(q))
		return NAN;
	if (q < 0)
		return -INFINITY;
	if (q > 1)
		return INFINITY;
	if (n == 0 || !isinf(b[n - 1].le) || b[n - 1].le < 0)
		return NAN;
	hist_monotonic(b, n);
	if (n < 2)
		return NAN;
	total = b[n - 1].count;
	if (!(total > 0))
		return NAN;
	rank = q * total;
	/* the first bucket (not +Inf) whose cumulative count reaches the rank */
	for (i = 0; i < n - 1; i++)
		if (b[i].count >= rank)
			break;
	if (i == n - 1)
		return b[n - 2].le;
	if (i == 0 && b[0].le <= 0)
		return b[0].le;
	end = b[i].le;
	count = b[i].count;
	if (i > 0) {
		start = b[i - 1].le;
		count -= b[i - 1].count;
		rank -= b[i - 1].count;
	}
	return start + (end - start) * (rank / count);
}
