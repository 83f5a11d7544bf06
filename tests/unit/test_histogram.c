/* Bucket arithmetic and histogram_quantile against hand computation
 * (the cases verified against the real Prometheus in apis.md §8). */
#include <math.h>

#include "core/histogram.h"
#include "tests/unit/t.h"

#define INF INFINITY

static void
fill(struct hbucket *b, const double *le, const double *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (struct hbucket){ le[i], c[i] };
}

static const double les[] = { 0.1, 0.25, 0.5, 1.0, 2.5, INF };

TEST(hist_quantile_checkout)
{
	static const double c[] = { 50, 80, 90, 96, 100, 100 };
	struct hbucket b[6];

	fill(b, les, c, 6);
	/* 1 + 1.5 * (99 - 96) / 4 */
	CHECK_NEAR(hist_quantile(0.99, b, 6), 2.125, 1e-12);
	/* 0.5 + 0.5 * (95 - 90) / 6 */
	CHECK_NEAR(hist_quantile(0.95, b, 6), 0.5 + 0.5 * 5.0 / 6.0, 1e-12);
	/* rank 50 ends exactly in the first bucket: 0 + 0.1 * 50 / 50 */
	CHECK_NEAR(hist_quantile(0.5, b, 6), 0.1, 1e-12);
}

TEST(hist_quantile_cart_and_sum)
{
	static const double cart[] = { 80, 98, 100, 100, 100, 100 };
	static const double both[] = { 130, 178, 190, 196, 200, 200 };
	struct hbucket b[6];

	fill(b, les, cart, 6);
	CHECK_NEAR(hist_quantile(0.99, b, 6), 0.375, 1e-12);	/* 0.25 + 0.25 * 1 / 2 */
	fill(b, les, both, 6);
	CHECK_NEAR(hist_quantile(0.99, b, 6), 1.75, 1e-12);	/* 1 + 1.5 * 2 / 4 */
}

TEST(hist_quantile_edges)
{
	static const double c[] = { 50, 80, 90, 96, 100, 100 };
	static const double top[] = { 10, 10, 10, 10, 10, 20 };
	static const double zero[] = { 0, 0, 0, 0, 0, 0 };
	struct hbucket b[6];

	fill(b, les, c, 6);
	CHECK(isinf(hist_quantile(-0.1, b, 6)) && hist_quantile(-0.1, b, 6) < 0);
	CHECK(isinf(hist_quantile(1.1, b, 6)) && hist_quantile(1.1, b, 6) > 0);
	CHECK(isnan(hist_quantile(NAN, b, 6)));
	/* the rank falls into +Inf: the largest finite bound */
	fill(b, les, top, 6);
	CHECK_NEAR(hist_quantile(0.99, b, 6), 2.5, 1e-12);
	/* no observations (no traffic): NaN, never 0 */
	fill(b, les, zero, 6);
	CHECK(isnan(hist_quantile(0.99, b, 6)));
	/* no +Inf bucket: NaN */
	fill(b, les, c, 5);
	CHECK(isnan(hist_quantile(0.5, b, 5)));
	/* a single (+Inf) bucket: NaN */
	b[0] = (struct hbucket){ INF, 10 };
	CHECK(isnan(hist_quantile(0.5, b, 1)));
	/* first bound <= 0 returns that bound */
	b[0] = (struct hbucket){ -1, 5 };
	b[1] = (struct hbucket){ INF, 10 };
	CHECK_NEAR(hist_quantile(0.2, b, 2), -1, 0);
}

TEST(hist_normalize_merges_and_sorts)
{
	/* two series (le "1" and "1.0" are the same bound), unsorted, a NaN */
	struct hbucket b[] = { { INF, 10 }, { 1, 4 }, { 0.5, 2 }, { 1.0, 3 }, { INF, 5 }, { 0.5, NAN } };
	size_t n = hist_normalize(b, 6);

	CHECK_INT(n, 3);
	CHECK_NEAR(b[0].le, 0.5, 0);
	CHECK_NEAR(b[0].count, 2, 0);
	CHECK_NEAR(b[1].count, 7, 0);
	CHECK(isinf(b[2].le));
	CHECK_NEAR(b[2].count, 15, 0);
	/* P50 of the merged histogram: rank 7.5 in (1, +Inf] -> bound 1 */
	CHECK_NEAR(hist_quantile(0.5, b, n), 1, 0);
	/* rank 3.5 in (0.5, 1]: 0.5 + 0.5 * (3.5 - 2) / 5 */
	CHECK_NEAR(hist_quantile(3.5 / 15, b, n), 0.5 + 0.5 * 1.5 / 5, 1e-12);
}

TEST(hist_counts_deaccumulate)
{
	static const double c[] = { 50, 80, 90, 96, 100, 100 };
	static const double bad[] = { 10, 8, 12, 12, 11, 15 };
	struct hbucket b[6];
	double out[6];

	fill(b, les, c, 6);
	hist_counts(b, 6, out);
	CHECK_NEAR(out[0], 50, 0);
	CHECK_NEAR(out[1], 30, 0);
	CHECK_NEAR(out[2], 10, 0);
	CHECK_NEAR(out[3], 6, 0);
	CHECK_NEAR(out[4], 4, 0);
	CHECK_NEAR(out[5], 0, 0);
	/* counter noise: a bucket below its predecessor adds nothing */
	fill(b, les, bad, 6);
	hist_counts(b, 6, out);
	CHECK_NEAR(out[0], 10, 0);
	CHECK_NEAR(out[1], 0, 0);
	CHECK_NEAR(out[2], 2, 0);
	CHECK_NEAR(out[3], 0, 0);
	CHECK_NEAR(out[4], 0, 0);
	CHECK_NEAR(out[5], 3, 0);
	/* monotonic fix as Prometheus: 8 -> 10, 11 -> 12 */
	hist_monotonic(b, 6);
	CHECK_NEAR(b[1].count, 10, 0);
	CHECK_NEAR(b[4].count, 12, 0);
}

TEST(hist_parse_le_forms)
{
	double v;
	CHECK(hist_parse_le("0.25", &v) == 0 && v == 0.25);
	CHECK(hist_parse_le("+Inf", &v) == 0 && isinf(v) && v > 0);
	CHECK(hist_parse_le("1e3", &v) == 0 && v == 1000);
	CHECK(hist_parse_le("", &v) < 0);
	CHECK(hist_parse_le("abc", &v) < 0);
	CHECK(hist_parse_le("NaN", &v) < 0);
}
