/* slo: service level objectives, their error budget and burn rates.
 *
 * An SLO has an objective (0.999 for "99.9 %"), a compliance period
 * (30d) and an SLI given as PromQL with "$window" where the rate window
 * goes, in one of three forms:
 *   error_ratio            bad/total as one expression
 *   errors + total         two expressions (ratio = errors / total)
 *   good + total           two expressions (ratio = 1 - good / total)
 * Definitions come from the dashboard ("slos": [...]) or from Sloth and
 * OpenSLO YAML files (slo_load_file), all into this one model.
 *
 * Burn-rate alerting is the SRE workbook's multi-window, multi-burn-rate
 * scheme: an alert fires when the burn rate over both its long and its
 * short window exceeds the factor.  Factors derive from the share of the
 * budget an alert spends in its long window (2 % in 1h, 5 % in 6h, 10 % in
 * 1d, 10 % in 3d): factor = share * period / long window, which gives
 * exactly 14.4x, 6x, 3x and 1x for a 30-day period. */
#ifndef SCRY_SLO_H
#define SCRY_SLO_H
#include <stddef.h>

#include "core/dashboard.h"
#include "core/diag.h"
#include "core/jdoc.h"
#include "core/ts.h"

#define SLO_WINDOWS_MAX	6
#define SLO_FILE_MAX	(4 * 1024 * 1024)

struct slo_window {
	tns	 long_w, short_w;
	double	 factor;
	char	 severity[16];	/* "page", "ticket" */
};

struct slo {
	char			*name;
	char			*service;	/* may be NULL */
	char			*description;
	char			*source;	/* scry source name, NULL = default */
	double			 objective;	/* 0 < objective < 1 */
	tns			 period;
	char			*error_ratio;	/* the SLI as an error ratio, "$window" unexpanded */
	struct slo_window	 win[SLO_WINDOWS_MAX];
	size_t			 nwin;
	char			*origin;	/* "file:line" it was defined at */
};

struct slo_set {
	struct slo	*v;
	size_t		 n, cap;
};

/* The four workbook alerts for a period (factors scaled as above). */
size_t	slo_default_windows(tns period, struct slo_window *out);
/* Parse one scry SLO object ({"name", "objective", "period", "error_ratio"
 * | "errors"+"total" | "good"+"total", "source", "service", "windows"}).
 * Appends to set; returns 0 or -1 (errors in dg). */
int	slo_parse(struct slo_set *set, const struct jdoc *doc, const cJSON *obj, const char *path,
	    struct diag *dg);
/* Load a Sloth (prometheus/v1 or the PrometheusServiceLevel CRD), OpenSLO
 * (openslo/v1 SLO + SLI documents) or scry ({"slos": [...]}) YAML/JSON
 * file into set.  Returns the number added, or -1. */
int	slo_load_file(struct slo_set *set, const char *path, struct diag *dg);
int	slo_load_text(struct slo_set *set, const char *text, size_t len, const char *name,
	    struct diag *dg);
void	slo_set_free(struct slo_set *set);
/* Append s (taken over; *s is cleared). */
void	slo_set_add(struct slo_set *set, struct slo *s);
/* A query with Sloth's {{.window}} turned into $window (allocated). */
char	*slo_window_placeholder(const char *query);
const struct slo *slo_find(const struct slo_set *set, const char *name);
/* Parse "99.9", "99.9%", 0.999 into a ratio; -1 if not in (0, 1). */
int	slo_parse_objective(const cJSON *v, double *out);

/* The error ratio expression with $window replaced (allocated). */
char	*slo_expr(const struct slo *s, tns window);
/* The queries an slo panel fetches: refs "w:<dur>" (instant error ratio
 * over each distinct window, period included) and "budget" (range query of
 * the period error ratio for the sparkline).  Appends to *q. */
void	slo_panel_queries(const struct slo *s, struct dash_query **q, size_t *nq);

/* --- arithmetic (pure; NaN in, NaN out) --- */
double	slo_budget(const struct slo *s);				/* 1 - objective */
double	slo_burn_rate(const struct slo *s, double error_ratio);	/* ratio / budget */
/* Remaining share of the budget after a period with this error ratio
 * (1 = untouched, 0 = spent, negative = overspent). */
double	slo_budget_remaining(const struct slo *s, double period_error_ratio);
/* Time until the budget is spent at this burn rate: TNS_NONE when not
 * burning (rate <= 0 or NaN), 0 when already spent. */
tns	slo_time_to_exhaustion(const struct slo *s, double remaining, double burn_rate);
/* Does window w fire (both burn rates above the factor)? */
int	slo_window_firing(const struct slo_window *w, double burn_long, double burn_short);

#endif
