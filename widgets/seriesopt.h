/* seriesopt: per-series display options of time-series panels, as
 * Grafana's field overrides express them (and --convert writes them):
 *   "hide_series":   [pattern, ...]   not drawn
 *   "show_series":   [pattern, ...]   only these drawn
 *   "negate_series": [pattern, ...]   drawn below zero (Grafana's negative-Y)
 *   "unstack_series": [pattern, ...]  drawn at their own values, left out
 *                                     of the stack and its total
 *   "rename":        {"legend name": "shown name"}
 *   "stack":         "normal" | "percent"
 * A pattern is a legend name, "/regex/" (PCRE2, unanchored) or "ref:A"
 * (every series of query A).  Stacking adds each series onto the ones
 * before it at equal timestamps; "percent" divides by the total. */
#ifndef SCRY_SERIESOPT_H
#define SCRY_SERIESOPT_H
#include <stddef.h>

#include "core/jdoc.h"
#include "core/series.h"

enum stack_mode { STACK_NONE, STACK_NORMAL, STACK_PERCENT };
enum { SO_NEGATED = 1, SO_UNSTACKED = 2 };	/* seriesopt_flags() bits */

struct spat;

struct seriesopt {
	struct spat	*hide, *show, *neg, *unstack;
	size_t		 nhide, nshow, nneg, nunstack;
	const cJSON	*rename;	/* points into the options (lives with the panel) */
	enum stack_mode	 stack;
};

extern const char *const seriesopt_keys[];	/* the option keys above */

/* Parse from a panel's options; errors (bad regex) go to dg. */
int	seriesopt_init(struct seriesopt *so, const struct jdoc *doc, struct diag *dg,
	    const cJSON *options, const char *path);
void	seriesopt_free(struct seriesopt *so);
int	seriesopt_visible(const struct seriesopt *so, const char *name, const char *ref);
/* SO_NEGATED and SO_UNSTACKED as the patterns say of a series. */
int	seriesopt_flags(const struct seriesopt *so, const char *name, const char *ref);
/* The name to show for a legend name (the rename target, or name). */
const char *seriesopt_rename(const struct seriesopt *so, const char *name);
/* Values to plot for n series (flags[i] from seriesopt_flags, stacked as
 * set): out[i] gets s[i]->n values (allocated; NULL when s[i] is drawn as
 * is). */
void	seriesopt_values(const struct seriesopt *so, const struct series *const *s,
	    const int *flags, size_t n, double **out);

#endif
