/* exemplarmarks: exemplars on graphs (Prometheus /api/v1/query_exemplars):
 * which queries fetch them, the marker glyphs on the plot, which one the
 * time cursor is on, jumping the cursor between them, and Enter into the
 * exemplar's trace (widgets/tracelink.h).
 *
 * A graph asks for them with a need of kind "exemplars" per query whose
 * exemplars are wanted: panel option "exemplars": true | false, default on
 * for histogram_quantile() queries, and only from Prometheus sources.
 * Such needs are auxiliary (need.aux): a failing exemplar query does not
 * make the graph's badge an error; the graph says so itself when zoomed.
 *
 * Invariant: the marks of one frame (struct exmarks) point into the
 * store's exemplars and are released before the store changes (they live
 * for one draw or one key). */
#ifndef SCRY_EXEMPLARMARKS_H
#define SCRY_EXEMPLARMARKS_H
#include <stddef.h>
#include <stdint.h>

#include "core/exemplars.h"
#include "widgets/widget.h"

#define EXM_AUTO	(-1)		/* option not set: histogram_quantile queries */

/* One exemplar as drawn: its time, its value in the panel's unit. */
struct exmark {
	tns			 t;
	double			 v;
	uint64_t		 id;	/* identity: time, value, labels */
	const struct exemplar	*x;
};

struct exmarks {
	struct exmark	*m;
	size_t		 n;
	const char	*error;		/* the first exemplar query's error, or NULL */
};

/* Where the plot is: cells, dots and the windows of both axes. */
struct exgeo {
	int	x0, w, y0, h;	/* plot area in cells */
	int	dh, yres;	/* plot height in dots, dots per cell row */
	tns	a, b;		/* time window */
	double	lo, hi;		/* value range */
	int	axis_y;		/* the time axis row under the plot, -1 none */
};

/* Per-graph state: the option and what the user picked. */
struct exstate {
	int		opt;		/* EXM_AUTO, 0 or 1 */
	int		off;		/* hidden at run time (key X) */
	uint64_t	sel;		/* id of the exemplar last jumped to, 0 none */
	int		plot_w;		/* plot width in cells at the last draw */
};

/* Parse the panel option "exemplars" (absent: EXM_AUTO). */
int	exemplarmarks_option(const struct jdoc *doc, struct diag *dg, const cJSON *options,
	    const char *path);
/* Does query qi of cfg get exemplars?  opt as parsed; db resolves the
 * query's source the way the app does (only Prometheus answers them). */
int	exemplarmarks_wanted(const struct dash_panel *cfg, size_t qi, const struct dashboard *db,
	    int opt);
/* Append the panel's exemplar needs (after its other needs) to out[n..max);
 * returns the new count. */
size_t	exemplarmarks_needs(const struct panel *p, const struct exstate *es, const struct wctx *c,
	    struct need *out, size_t n, size_t max);
/* The exemplars of the panel's exemplar needs inside [a, b], sorted by
 * time, duplicates (same time, value and labels from two queries) once,
 * values scaled to the panel's unit.  Release with exemplarmarks_release. */
void	exemplarmarks_collect(const struct panel *p, const struct wctx *c, tns a, tns b,
	    const char *unit, struct exmarks *out);
void	exemplarmarks_release(struct exmarks *m);
/* Factor from the exemplar's series to the panel unit: a *_seconds_*
 * histogram on an "ms" graph is x1000, *_milliseconds_* on "s" /1000. */
double	exemplarmarks_scale(const struct labelset *series, const char *unit);

/* The column of time t (the same arithmetic as the graph's time cursor). */
int	exemplarmarks_col(const struct exgeo *g, tns t);
/* How close (in time) the cursor must be to an exemplar to be "on" it:
 * half a column, or half a cursor step (< >), whichever is larger. */
tns	exemplarmarks_tolerance(tns a, tns b, int cols, tns range);
/* The exemplar the cursor is on: the nearest within tol; at equal
 * distance the one with id prefer, else the first.  -1: none. */
long	exemplarmarks_at(const struct exmarks *m, tns cursor, tns tol, uint64_t prefer);
/* The next (dir 1) or previous (-1) exemplar from the one the cursor is
 * on (or from the cursor's time; no cursor: the first / the last).  -1 at
 * the end. */
long	exemplarmarks_step(const struct exmarks *m, tns cursor, tns tol, uint64_t prefer, int dir);

/* Draw the markers (sel: the one under the cursor, or -1). */
void	exemplarmarks_draw(struct canvas *cv, const struct exgeo *g, const struct exmarks *m,
	    long sel, const struct wctx *c);
/* The label of the selected exemplar (trace id, value, time, i of n): on
 * the time axis row, under its marker (it hides no data there; the
 * status bar has the cursor's time), else inside the plot away from it. */
void	exemplarmarks_label(struct canvas *cv, const struct exgeo *g, const struct exmarks *m,
	    long sel, const char *unit, int decimals, const struct wctx *c);

/* All of it for one frame of a graph: collect, draw the markers, label
 * the one under the cursor, and (zoomed) say why exemplars failed. */
void	exemplarmarks_frame(struct canvas *cv, const struct exgeo *g, const struct panel *p,
	    struct exstate *es, const char *unit, int decimals, const struct wctx *c);

/* Keys of a graph with exemplars: e / E jump the cursor, X hides them,
 * Enter (zoomed or in a pivot) opens the trace under the cursor.  WK_*. */
int	exemplarmarks_key(struct panel *p, struct exstate *es, int key, const char *unit,
	    const struct wctx *c);

#endif
