/* heatgrid: histogram series -> heatmap cells and quantile lines. */
#include "widgets/heatgrid.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/histogram.h"
#include "core/xalloc.h"

int
heatgrid_col(tns start, tns end, size_t ncols, tns t)
{
	if (end <= start || t < start || t >= end || !ncols)
		return t == end && end > start && ncols ? (int)ncols - 1 : -1;
	/* exact in integers: a point on a column's start belongs to it (in
	 * doubles i * step / range * ncols can land just below i, leaving a
	 * column empty next to one with two points) */
	if ((uint64_t)(t - start) <= UINT64_MAX / ncols)
		return (int)((uint64_t)(t - start) * ncols / (uint64_t)(end - start));
	return (int)((double)(t - start) / (double)(end - start) * (double)ncols);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The distinct bounds of all series, sorted; each series' bucket index. */
static void
collect_bounds(struct heatgrid *g, const struct series *const *s, size_t n, int *bidx)
{
	double *all = xcalloc(n + 1, sizeof *all);
	size_t na = 0;

	for (size_t i = 0; i < n; i++) {
		double le;
		bidx[i] = -1;
		if (hist_parse_le(labels_get(&s[i]->labels, "le"), &le) < 0) {
			g->nole++;
			continue;
		}
		all[na++] = le;
	}
	qsort(all, na, sizeof *all, cmp_double);
	g->le = xcalloc(HEAT_BUCKETS_MAX + 1, sizeof *g->le);
	for (size_t i = 0; i < na; i++) {
		if (g->nb && all[i] == g->le[g->nb - 1])
			continue;
		if (g->nb == HEAT_BUCKETS_MAX) {
			g->dropped_buckets++;
			continue;
		}
		g->le[g->nb++] = all[i];
	}
	for (size_t i = 0; i < n; i++) {
		double le;
		if (hist_parse_le(labels_get(&s[i]->labels, "le"), &le) < 0)
			continue;
		for (size_t b = 0; b < g->nb; b++)
			if (g->le[b] == le)
				bidx[i] = (int)b;
	}
	free(all);
}

/* Cumulative value per (column, bucket): series averaged in a column,
 * then summed over series of the same bound. */
static void
accumulate(struct heatgrid *g, const struct series *const *s, size_t n, const int *bidx,
    tns start, tns end, double *cum)
{
	double *sum = xcalloc(g->ncols + 1, sizeof *sum);
	int *cnt = xcalloc(g->ncols + 1, sizeof *cnt);

	for (size_t i = 0; i < g->ncols * g->nb; i++)
		cum[i] = NAN;
	for (size_t i = 0; i < n; i++) {
		if (bidx[i] < 0)
			continue;
		g->nseries++;
		memset(sum, 0, g->ncols * sizeof *sum);
		memset(cnt, 0, g->ncols * sizeof *cnt);
		for (size_t k = series_lower_bound(s[i], start); k < s[i]->n && s[i]->t[k] <= end; k++) {
			int c = heatgrid_col(start, end, g->ncols, s[i]->t[k]);
			if (c < 0 || !isfinite(s[i]->v[k]))
				continue;
			sum[c] += s[i]->v[k];
			cnt[c]++;
		}
		for (size_t c = 0; c < g->ncols; c++) {
			double *cell = &cum[c * g->nb + (size_t)bidx[i]];
			if (!cnt[c])
				continue;
			*cell = (isnan(*cell) ? 0 : *cell) + sum[c] / cnt[c];
		}
	}
	free(sum);
	free(cnt);
}

static void
column(struct heatgrid *g, size_t c, const double *cum)
{
	struct hbucket hb[HEAT_BUCKETS_MAX];
	size_t m = 0;
	double counts[HEAT_BUCKETS_MAX];
	int pos[HEAT_BUCKETS_MAX];

	for (size_t b = 0; b < g->nb; b++) {
		g->cnt[c * g->nb + b] = NAN;
		if (!isnan(cum[c * g->nb + b])) {
			pos[m] = (int)b;
			hb[m++] = (struct hbucket){ g->le[b], cum[c * g->nb + b] };
		}
	}
	g->total[c] = NAN;
	for (size_t k = 0; k < g->nq; k++)
		g->q[k * g->ncols + c] = NAN;
	if (!m)
		return;
	hist_counts(hb, m, counts);
	for (size_t i = 0; i < m; i++) {
		g->cnt[c * g->nb + (size_t)pos[i]] = counts[i];
		if (counts[i] > g->max)
			g->max = counts[i];
	}
	g->total[c] = isinf(hb[m - 1].le) ? hb[m - 1].count : NAN;
	for (size_t k = 0; k < g->nq; k++) {
		struct hbucket tmp[HEAT_BUCKETS_MAX];
		memcpy(tmp, hb, m * sizeof *hb);
		g->q[k * g->ncols + c] = hist_quantile(g->qv[k], tmp, m);
	}
}

void
heatgrid_build(struct heatgrid *g, const struct series *const *s, size_t n, tns start,
    tns end, size_t ncols, const double *quantiles, size_t nq)
{
	int *bidx = xcalloc(n + 1, sizeof *bidx);
	double *cum;

	memset(g, 0, sizeof *g);
	g->ncols = ncols;
	g->nq = nq < HEAT_QUANTILES_MAX ? nq : HEAT_QUANTILES_MAX;
	for (size_t k = 0; k < g->nq; k++)
		g->qv[k] = quantiles[k];
	collect_bounds(g, s, n, bidx);
	g->cnt = xcalloc(ncols * g->nb + 1, sizeof *g->cnt);
	g->total = xcalloc(ncols + 1, sizeof *g->total);
	g->q = xcalloc(g->nq * ncols + 1, sizeof *g->q);
	cum = xcalloc(ncols * g->nb + 1, sizeof *cum);
	accumulate(g, s, n, bidx, start, end, cum);
	for (size_t c = 0; c < ncols; c++)
		column(g, c, cum);
	free(cum);
	free(bidx);
}

void
heatgrid_free(struct heatgrid *g)
{
	free(g->le);
	free(g->cnt);
	free(g->total);
	free(g->q);
	memset(g, 0, sizeof *g);
}
