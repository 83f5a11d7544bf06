/* heatgrid: the cells of a latency heatmap, computed from the series of a
 * classic histogram query (sum by (le) (rate(x_bucket[...]))).
 *
 * Columns split [start, end) evenly; a series' points inside a column are
 * averaged, series with the same "le" are summed (a query that keeps
 * other labels still gives one histogram).  Per column the cumulative
 * buckets are de-accumulated into per-bucket counts (rates), and the
 * quantiles are histogram_quantile over the same cumulative buckets, so a
 * P99 line here equals Prometheus' own P99 for that step.  Cells of a
 * column without data are NaN (a gap, never zero). */
#ifndef SCRY_HEATGRID_H
#define SCRY_HEATGRID_H
#include <stddef.h>

#include "core/series.h"

#define HEAT_BUCKETS_MAX	128
#define HEAT_QUANTILES_MAX	4

struct heatgrid {
	size_t	 nb;		/* buckets, sorted by le; the last may be +Inf */
	double	*le;		/* [nb] */
	size_t	 ncols;
	double	*cnt;		/* [ncols * nb]: per-bucket count (rate); NaN = no data */
	double	*total;		/* [ncols]: all observations (the +Inf cumulative) */
	size_t	 nq;
	double	 qv[HEAT_QUANTILES_MAX];	/* the quantiles asked for (0.5, 0.99) */
	double	*q;		/* [nq * ncols]: quantile values; NaN = none */
	double	 max;		/* largest finite cell, for the colour ramp */
	size_t	 nseries;	/* series used */
	size_t	 nole;		/* series without a usable le label (ignored) */
	size_t	 dropped_buckets;	/* distinct bounds beyond HEAT_BUCKETS_MAX */
};

/* Build from n series over [start, end) in ncols columns. */
void	heatgrid_build(struct heatgrid *g, const struct series *const *s, size_t n, tns start,
	    tns end, size_t ncols, const double *quantiles, size_t nq);
void	heatgrid_free(struct heatgrid *g);
static inline double
heatgrid_cell(const struct heatgrid *g, size_t col, size_t b)
{
	return g->cnt[col * g->nb + b];
}
/* The column of time t, or -1 outside. */
int	heatgrid_col(tns start, tns end, size_t ncols, tns t);

#endif
