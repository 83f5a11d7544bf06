/* graph: time series as braille lines (block/ASCII fallback).
 * Layout inside the panel: y-axis labels | plot, x-axis clock labels,
 * then legend rows (name, last and max, or the value at the cursor).
 * Points further apart than 1.5 steps are not joined: a gap is a gap,
 * never a zero.  NaN breaks the line; +-Inf is clipped to the edge and
 * marked with an arrow.  Thresholds are dashed lines in their role's
 * colour with the area beyond them tinted.  Series can be hidden, or one
 * shown alone; the selected series is drawn last so it stays on top.
 * Series identity (selection, hidden) is the label-set hash, so it
 * survives refreshes and series coming and going. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/units.h"
#include "core/xalloc.h"
#include "widgets/legend.h"
#include "widgets/seriesopt.h"
#include "widgets/changemarks.h"
#include "widgets/exemplarmarks.h"
#include "widgets/focus.h"
#include "widgets/markers.h"
#include "widgets/widget.h"

#define MAX_SERIES	512
#define MAX_HIDDEN	64
#define MAX_TICKS	32

static const char *const graph_types[] = { "prometheus", "loki", NULL };
static const char *const graph_opts[] = { "legend", "legend_sort", "min_step", "exemplars",
	/* widgets/seriesopt.h */
	"stack", "hide_series", "show_series", "negate_series", "rename", "unstack_series", NULL };

struct graph_state {
	int		legend;		/* legend rows shown */
	int		sort;		/* legend order: LS_* */
	tns		min_step;
	uint64_t	sel;		/* selected series id, 0 none */
	uint64_t	hidden[MAX_HIDDEN];
	size_t		nhidden;
	int		solo;		/* only the selected series is shown */
	int		nseries;	/* series seen at the last draw (keys) */
	uint64_t	ids[MAX_SERIES];	/* their ids, in legend order */
	struct seriesopt so;		/* hidden/negated/stacked series (options) */
	struct exstate	ex;		/* exemplar markers (widgets/exemplarmarks.c) */
	int		focus_hidden;	/* series of other services (focus) at the last draw */
};

/* Legend order: largest value in the window first, largest last value
 * first, or the store's (label) order. */
enum { LS_MAX, LS_LAST, LS_NAME };

struct gser {
	double			 key;	/* legend order, larger first */
	const struct series	*s;
	const struct sslot	*slot;
	size_t			 qi;
	int			 idx;	/* colour index */
	uint64_t		 id;
	int			 hidden;
	char			 name[160];
	struct series		 shadow;	/* s with transformed values (stack, negate) */
	double			*own;		/* those values, freed after the frame */
};

/* The unit the axis and legend show (a percent stack is in percent). */
static const char *
graph_unit(const struct panel *p)
{
	const struct graph_state *g = p->w;
	return g->so.stack == STACK_PERCENT ? "percentunit" : p->cfg->unit;
}

static int
graph_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct graph_state *g = xcalloc(1, sizeof *g);
	const char *leg = jd_str(doc, dg, p->cfg->options, p->cfg->path, "legend", "bottom");

	if (strcmp(leg, "bottom") && strcmp(leg, "hidden"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(p->cfg->options, "legend"),
		    0, "%s.options.legend: expected \"bottom\" or \"hidden\", got '%s'", p->cfg->path, leg);
	g->legend = strcmp(leg, "hidden") != 0;
	leg = jd_str(doc, dg, p->cfg->options, p->cfg->path, "legend_sort", "max");
	g->sort = strcmp(leg, "last") == 0 ? LS_LAST : strcmp(leg, "name") == 0 ? LS_NAME : LS_MAX;
	if (g->sort == LS_MAX && strcmp(leg, "max"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(p->cfg->options,
		    "legend_sort"), 0, "%s.options.legend_sort: expected \"max\", \"last\" or \"name\", "
		    "got '%s'", p->cfg->path, leg);
	g->min_step = jd_duration(doc, dg, p->cfg->options, p->cfg->path, "min_step", 0);
	g->ex.opt = exemplarmarks_option(doc, dg, p->cfg->options, p->cfg->path);
	if (seriesopt_init(&g->so, doc, dg, p->cfg->options, p->cfg->path) < 0) {
		seriesopt_free(&g->so);
		free(g);
		return -1;
	}
	p->w = g;
	return 0;
}

static void
graph_free(struct panel *p)
{
	struct graph_state *g = p->w;

	if (g)
		seriesopt_free(&g->so);
	free(g);
	p->w = NULL;
}

static size_t
graph_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct graph_state *g = p->w;
	int dots = (w - 8 > 4 ? w - 8 : 4) * (c->gs == GS_BRAILLE ? 2 : 1);
	tns step = widget_step(c->view->range, dots, widget_min_step(p, c, g->min_step));
	size_t n = 0;

	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max; i++) {
		if (p->cfg->q[i].hide)
			continue;
		out[n++] = (struct need){ .qi = i, .kind = "range", .step = step };
	}
	return exemplarmarks_needs(p, &g->ex, c, out, n, max);
}

static int
is_hidden(const struct graph_state *g, uint64_t id)
{
	if (g->solo)
		return id != g->sel;
	for (size_t i = 0; i < g->nhidden; i++)
		if (g->hidden[i] == id)
			return 1;
	return 0;
}

static size_t
collect(struct panel *p, const struct wctx *c, struct gser *out, size_t max)
{
	struct graph_state *g = p->w;
	size_t n = 0;

	g->focus_hidden = 0;
	for (size_t k = 0; k < p->nneed; k++) {
		const struct sslot *sl;
		if (!p->key[k] || strcmp(p->need[k].kind, "range") ||
		    !(sl = store_series(c->store, p->key[k], p->need[k].step)))
			continue;
		for (size_t i = 0; i < sl->n && n < max; i++) {
			struct gser *gs = &out[n];
			if (!widget_series_in(sl->s[i], c->start, c->end))
				continue;
			if (!focus_series(&sl->s[i]->labels, c->focus, c->focus_ns)) {
				g->focus_hidden++;
				continue;
			}
			gs->s = sl->s[i];
			gs->slot = sl;
			gs->qi = p->need[k].qi;
			gs->idx = (int)n;
			gs->id = (sl->s[i]->labels.hash ^ (0x9e3779b97f4a7c15ULL * (gs->qi + 1))) | 1;
			gs->hidden = is_hidden(g, gs->id);
			legend_name(&sl->s[i]->labels, p->cfg->q[gs->qi].legend,
			    p->cfg->q[gs->qi].expr, gs->name, sizeof gs->name);
			if (!seriesopt_visible(&g->so, gs->name, p->cfg->q[gs->qi].ref))
				continue;
			if (seriesopt_rename(&g->so, gs->name) != gs->name)
				snprintf(gs->name, sizeof gs->name, "%s",
				    seriesopt_rename(&g->so, gs->name));
			gs->own = NULL;
			n++;
		}
	}
	return n;
}

/* The largest finite value in [a, b]; NaN if none (legend max, order). */
static double
window_max(const struct series *s, tns a, tns b)
{
	double mx = NAN;

	for (size_t k = series_lower_bound(s, a); k < s->n && s->t[k] <= b; k++)
		if (isfinite(s->v[k]) && (isnan(mx) || s->v[k] > mx))
			mx = s->v[k];
	return mx;
}

static int
worst_first(const void *a, const void *b)
{
	const struct gser *x = a, *y = b;
	int xn = isnan(x->key), yn = isnan(y->key);

	if (xn != yn)
		return xn - yn;		/* series without a value last */
	if (!xn && x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->idx - y->idx;
}

/* Put sv in legend order (which is also the order J/K walk) and remember
 * it for the keys; colours stay with the store order (idx). */
static void
order_legend(struct graph_state *g, struct gser *sv, size_t n, const struct wctx *c)
{
	if (g->sort != LS_NAME) {
		for (size_t i = 0; i < n; i++) {
			const struct series *s = sv[i].s;
			double v = NAN;
			if (g->sort == LS_LAST) {
				if (series_value_at(s, c->end, c->view->range, &v, NULL) < 0 || !isfinite(v))
					v = NAN;
			} else
				v = window_max(s, c->start, c->end);
			sv[i].key = v;
		}
		qsort(sv, n, sizeof *sv, worst_first);
		for (size_t i = 0; i < n; i++)	/* a transformed series points into its own gser */
			if (sv[i].own)
				sv[i].s = &sv[i].shadow;
	}
	g->nseries = (int)n;
	for (size_t i = 0; i < n; i++)
		g->ids[i] = sv[i].id;
}

static int
visible_range(const struct gser *sv, size_t n, tns a, tns b, double *lo, double *hi)
{
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		const struct series *s = sv[i].s;
		if (sv[i].hidden)
			continue;
		for (size_t k = series_lower_bound(s, a); k < s->n && s->t[k] <= b; k++) {
			double v = s->v[k];
			if (!isfinite(v))
				continue;
			if (!any || v < *lo)
				*lo = v;
			if (!any || v > *hi)
				*hi = v;
			any = 1;
		}
	}
	return any;
}

struct frame {
	int	x0, w, y0, h;	/* plot area in cells */
	tns	a, b;		/* time window */
	double	lo, hi;		/* value range */
	int	dw, dh;		/* plot size in dots */
	int	xres, yres;	/* dots per cell */
	double	tick;		/* y tick step */
};

static int
xdot(const struct frame *f, tns t)
{
	double r;

	if (f->b <= f->a)
		return 0;
	r = (double)(t - f->a) / (double)(f->b - f->a) * (f->dw - 1);
	if (r < -1e6)
		r = -1e6;
	if (r > 1e6)
		r = 1e6;
	return (int)llround(r);
}

static int
ydot(const struct frame *f, double v)
{
	double r;

	if (isinf(v))
		return v > 0 ? 0 : f->dh - 1;
	if (f->hi <= f->lo)
		return f->dh / 2;
	r = (f->hi - v) / (f->hi - f->lo);
	if (r < 0)
		r = 0;
	if (r > 1)
		r = 1;
	return (int)llround(r * (f->dh - 1));
}

/* Arrow at the edge for an infinite point (clipped, so say so). */
static void
mark_inf(struct canvas *cv, const struct frame *f, int x, double v, enum role role, int ascii)
{
	int cx = f->x0 + x / f->xres, cy = v > 0 ? f->y0 : f->y0 + f->h - 1;

	if (x < 0 || x >= f->dw)
		return;
	canvas_put(cv, cx, cy, ascii ? (v > 0 ? '^' : 'v') : (v > 0 ? 0x25b2 : 0x25bc), role, CA_BOLD);
}

static void
plot_series(struct plot *pl, const struct frame *f, const struct gser *g, enum role role)
{
	const struct series *s = g->s;
	tns step = g->slot->step > 0 ? g->slot->step : (f->b - f->a) / 100;
	size_t k = series_lower_bound(s, f->a);
	int px = 0, py = 0, have = 0;
	tns pt = 0;

	if (k > 0)
		k--;	/* join from the point just before the window */
	for (; k < s->n; k++) {
		tns t = s->t[k];
		double v = s->v[k];
		int x, y;
		if (isnan(v)) {
			have = 0;
			continue;
		}
		x = xdot(f, t);
		y = ydot(f, v);
		if (have && t - pt <= step + step / 2)
			plot_line(pl, px, py, x, y, role);
		else if (t >= f->a && t <= f->b)
			plot_dot(pl, x, y, role);
		px = x;
		py = y;
		pt = t;
		have = 1;
		if (t > f->b)
			break;
	}
}

static void
mark_infinities(struct canvas *cv, const struct frame *f, const struct gser *g, enum role role,
    int ascii)
{
	const struct series *s = g->s;

	for (size_t k = series_lower_bound(s, f->a); k < s->n && s->t[k] <= f->b; k++)
		if (isinf(s->v[k]))
			mark_inf(cv, f, xdot(f, s->t[k]), s->v[k], role, ascii);
}

static enum role
area_role(enum role r)
{
	if (r == ROLE_WARN)
		return ROLE_WARN_AREA;
	if (r == ROLE_ERROR || r == ROLE_CRITICAL)
		return ROLE_ERROR_AREA;
	return ROLE_DEFAULT;
}

/* Tint the cells beyond each threshold (ascending: a higher one wins). */
static void
draw_threshold_areas(struct canvas *cv, const struct frame *f, const struct dash_panel *cfg)
{
	for (size_t i = 0; i < cfg->nth; i++) {
		double v = cfg->th[i].value;
		enum role ar = area_role(cfg->th[i].role);
		int yd, rows;
		if (ar == ROLE_DEFAULT || !(v < f->hi))
			continue;
		yd = v <= f->lo ? f->dh : ydot(f, v);
		rows = yd / f->yres;	/* cells wholly beyond the line */
		if (rows > 0)
			canvas_fill(cv, (struct rect){ f->x0, f->y0, f->w, rows }, ' ', ar, 0);
	}
}

static void
draw_threshold_lines(struct plot *pl, const struct frame *f, const struct dash_panel *cfg)
{
	for (size_t i = 0; i < cfg->nth; i++) {
		double v = cfg->th[i].value;
		int y;
		if (v < f->lo || v > f->hi)
			continue;
		y = ydot(f, v);
		for (int x = 0; x < f->dw; x++)
			if (x % 4 < 2)
				plot_dot(pl, x, y, cfg->th[i].role);
	}
}

/* Tick values for the y axis: returns how many; *step the tick step. */
static int
y_ticks(const struct frame *f, const char *unit, double *vals)
{
	int n = 0;
	double step = f->tick, v0 = ceil(f->lo / step - 1e-9) * step;

	(void)unit;
	/* v0 + n * step, not v += step: no rounding error piles up */
	for (; n < MAX_TICKS; n++) {
		double v = v0 + n * step;
		if (v > f->hi + step * 1e-9)
			break;
		vals[n] = fabs(v) < step * 1e-9 ? 0 : v;
	}
	return n;
}

static int
draw_yaxis(struct canvas *cv, const struct frame *f, const char *unit, int draw)
{
	double vals[MAX_TICKS];
	int n = y_ticks(f, unit, vals), width = 0, last_row = -2;
	double ref = fmax(fabs(f->lo), fabs(f->hi));

	for (int i = n - 1; i >= 0; i--) {
		char lab[48];
		int row = (int)llround((f->hi - vals[i]) / (f->hi - f->lo) * (f->h - 1)), lw;
		unit_format_axis(vals[i], f->tick, ref, unit, lab, sizeof lab);
		lw = (int)strlen(lab);
		if (lw > width)
			width = lw;
		if (!draw || row < 0 || row >= f->h || row == last_row)
			continue;
		canvas_str_right(cv, f->x0 - 1, f->y0 + row, lab, ROLE_AXIS, 0);
		last_row = row;
	}
	return width;
}

static tns
time_tick(tns span, int cols)
{
	static const tns steps[] = { 10 * NS_PER_S, 30 * NS_PER_S, 60 * NS_PER_S,
		300 * NS_PER_S, 900 * NS_PER_S, 1800 * NS_PER_S, 3600 * NS_PER_S,
		3 * 3600 * NS_PER_S, 6 * 3600 * NS_PER_S, 12 * 3600 * NS_PER_S,
		86400 * NS_PER_S, 2 * 86400 * NS_PER_S, 7 * 86400 * NS_PER_S };
	int max = cols / 10 > 1 ? cols / 10 : 1;

	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (span / steps[i] <= max)
			return steps[i];
	return 7 * 86400 * NS_PER_S;
}

static void
draw_xaxis(struct canvas *cv, const struct frame *f, int y, int utc)
{
	tns tick = time_tick(f->b - f->a, f->w);
	tns t = (f->a + tick - 1) / tick * tick;
	int last_end = -1;

	if (f->b <= f->a)
		return;
	if (!utc) {
		/* align ticks to local wall-clock boundaries */
		time_t secs = (time_t)(f->a / NS_PER_S);
		struct tm tm;
		localtime_r(&secs, &tm);
		tns off = (tns)tm.tm_gmtoff * NS_PER_S;
		t = ((f->a + off + tick - 1) / tick) * tick - off;
	}
	for (; t <= f->b; t += tick) {
		char lab[32];
		int x = f->x0 + (int)((double)(t - f->a) / (double)(f->b - f->a) * (f->w - 1));
		int lw;
		if (tick >= 86400 * NS_PER_S) {
			char d[32];
			ts_fmt_datetime(d, sizeof d, t, utc);
			snprintf(lab, sizeof lab, "%.5s", d + 5);
		} else
			ts_fmt_clock(lab, sizeof lab, t, utc, tick < 60 * NS_PER_S);
		lw = (int)strlen(lab);
		x -= lw / 2;
		if (x <= last_end || x < f->x0 || x + lw > f->x0 + f->w)
			continue;
		canvas_str(cv, x, y, lw, lab, ROLE_AXIS, 0);
		last_end = x + lw;
	}
}

static void
draw_cursor(struct canvas *cv, const struct frame *f, tns cur)
{
	int x;

	if (cur == TNS_NONE || cur < f->a || cur > f->b || f->b <= f->a)
		return;
	x = f->x0 + (int)((double)(cur - f->a) / (double)(f->b - f->a) * (f->w - 1));
	for (int y = f->y0; y < f->y0 + f->h; y++) {
		struct cell *c = canvas_cell(cv, x, y);
		if (!c)
			continue;
		if (c->ch == ' ')
			canvas_put(cv, x, y, 0x2502, ROLE_CURSOR, 0);
		else
			c->attr |= CA_REVERSE;
	}
}

static int
sel_index(const struct graph_state *g, const struct gser *sv, size_t n)
{
	for (size_t i = 0; g->sel && i < n; i++)
		if (sv[i].id == g->sel)
			return (int)i;
	return -1;
}

/* The value text of one legend row. */
static void
legend_value(const struct gser *s, const struct wctx *c, const struct panel *p, int narrow,
    char *dst, size_t n)
{
	const char *unit = graph_unit(p);
	int dec = p->cfg->decimals;
	tns cur = c->view->cursor;
	char a[40], b[40];
	double v, mx;

	if (s->hidden) {
		snprintf(dst, n, " hidden");
		return;
	}
	if (cur != TNS_NONE) {
		if (series_value_at(s->s, cur, s->slot->step * 2, &v, NULL) < 0)
			v = NAN;
		unit_format(v, unit, dec, a, sizeof a);
		snprintf(dst, n, " %s", a);
		return;
	}
	mx = window_max(s->s, c->start, c->end);
	if (series_value_at(s->s, c->end, c->view->range, &v, NULL) < 0)
		v = NAN;
	unit_format(v, unit, dec, a, sizeof a);
	unit_format(mx, unit, dec, b, sizeof b);
	if (narrow)
		snprintf(dst, n, " %s", a);
	else
		snprintf(dst, n, " last %s  max %s", a, b);
}

static void
draw_legend(struct canvas *cv, int y0, int rows, const struct gser *sv, size_t n,
    const struct wctx *c, const struct panel *p, const struct graph_state *g)
{
	int sel = sel_index(g, sv, n), more = (size_t)rows < n;
	size_t first = 0, shown = (size_t)(more ? rows - 1 : rows);

	if (more && rows < 2)
		shown = 1, more = 0;
	if (sel >= 0 && (size_t)sel >= shown)
		first = (size_t)sel - shown + 1;
	for (size_t r = 0; r < shown && first + r < n; r++) {
		const struct gser *s = &sv[first + r];
		char val[128];
		int y = y0 + (int)r, x, vw, room, is_sel = (int)(first + r) == sel;
		enum role role = s->hidden ? ROLE_DIM : ROLE_SERIES(s->idx);

		legend_value(s, c, p, cv->w < 48, val, sizeof val);
		x = canvas_str(cv, 0, y, cv->w, c->ascii ? (s->hidden ? "  " : "--") :
		    s->hidden ? "\xe2\x94\x80\xe2\x94\x80" : "\xe2\x94\x81\xe2\x94\x81", role, 0);
		if (x >= cv->w)
			continue;
		canvas_put(cv, x++, y, ' ', ROLE_LEGEND, 0);
		vw = (int)strlen(val);
		room = cv->w - x - vw - 1;
		if (room < 6)
			room = cv->w - x;
		{
			struct text_opts o = { .role = is_sel ? ROLE_SELECTION : s->hidden ? ROLE_DIM :
			    ROLE_LEGEND, .ellipsis = 1 };
			canvas_text(cv, x, y, room, s->name, strlen(s->name), &o, NULL);
		}
		if (room < cv->w - x)
			canvas_str_right(cv, cv->w, y, val, s->hidden ? ROLE_DIM : ROLE_LEGEND, 0);
	}
	if (more)
		canvas_printf(cv, 0, y0 + rows - 1, cv->w, ROLE_DIM, 0, "  \xe2\x80\xa6 %zu more (J/K)",
		    n - shown - first);
}

/* Value range, ticks and the plot rectangle; returns 0 if nothing fits. */
static int
layout_frame(struct panel *p, struct canvas *cv, const struct wctx *c, const struct gser *sv,
    size_t n, int legend_rows, struct frame *f)
{
	const struct dash_panel *cfg = p->cfg;
	double lo = 0, hi = 1;
	int xaxis = 0, yw = 0;

	if (!visible_range(sv, n, c->start, c->end, &lo, &hi)) {
		lo = 0;
		hi = 1;
	}
	if (!isnan(cfg->min))
		lo = cfg->min;
	else if (lo > 0)
		lo = 0;
	if (!isnan(cfg->max))
		hi = cfg->max;
	if (hi <= lo)
		hi = lo + (lo != 0 ? fabs(lo) * 0.1 : 1);
	memset(f, 0, sizeof *f);
	if (cv->h - legend_rows >= 4)
		xaxis = 1;
	f->h = cv->h - legend_rows - xaxis;
	f->tick = unit_tick_step(hi - lo, f->h / 2 > 1 ? (f->h / 2 < 6 ? f->h / 2 : 6) : 1, graph_unit(p));
	if (isnan(cfg->max))
		hi = ceil(hi / f->tick - 1e-9) * f->tick;
	if (isnan(cfg->min) && lo < 0)
		lo = floor(lo / f->tick + 1e-9) * f->tick;
	if (hi <= lo)
		hi = lo + f->tick;
	f->lo = lo;
	f->hi = hi;
	if (cv->w >= 20 && f->h >= 2) {
		yw = draw_yaxis(cv, f, graph_unit(p), 0) + 1;
		if (yw > cv->w / 3)
			yw = 0;
	}
	f->x0 = yw;
	f->w = cv->w - yw;
	f->a = c->start;
	f->b = c->end;
	if (c->view->live && p->nneed && p->need[0].step > 0) {
		/* live: move in whole steps, so the picture changes when data
		 * does, not every second (a few bytes per refresh over ssh) */
		tns st = p->need[0].step;
		f->b = c->end - ((c->end % st) + st) % st;
		f->a = f->b - (c->end - c->start);
	}
	return f->w >= 1 && f->h >= 1 ? 1 + xaxis : 0;
}

/* Negated and stacked series are drawn from transformed copies. */
static void
transform(struct panel *p, struct gser *sv, size_t n)
{
	struct graph_state *g = p->w;
	const struct series **s;
	double **out;
	int *flags, any = g->so.stack != STACK_NONE;

	if (!n)
		return;
	s = xcalloc(n, sizeof *s);
	out = xcalloc(n, sizeof *out);
	flags = xcalloc(n, sizeof *flags);
	for (size_t i = 0; i < n; i++) {
		s[i] = sv[i].s;
		flags[i] = seriesopt_flags(&g->so, sv[i].name, p->cfg->q[sv[i].qi].ref);
		any |= flags[i] & SO_NEGATED;
	}
	if (any) {
		seriesopt_values(&g->so, s, flags, n, out);
		for (size_t i = 0; i < n; i++)
			if ((sv[i].own = out[i])) {
				sv[i].shadow = *sv[i].s;
				sv[i].shadow.v = out[i];
				sv[i].s = &sv[i].shadow;
			}
	}
	free(s);
	free(out);
	free(flags);
}

static void
release(struct gser *sv, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(sv[i].own);
	free(sv);
}

static void
graph_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct graph_state *g = p->w;
	struct gser *sv = xcalloc(MAX_SERIES, sizeof *sv);
	size_t n = collect(p, c, sv, MAX_SERIES);
	int legend_rows = 0, sel, fit;
	struct frame f;
	struct plot pl;

	transform(p, sv, n);
	order_legend(g, sv, n, c);
	/* the legend may take up to 2/5 of the height: names matter in an incident */
	if (g->legend && cv->h >= 6)
		legend_rows = (int)(n < (size_t)(cv->h * 2 / 5) ? n : (size_t)(cv->h * 2 / 5));
	if (!(fit = layout_frame(p, cv, c, sv, n, legend_rows, &f))) {
		release(sv, n);
		return;
	}
	plot_init(&pl, f.w, f.h, c->gs);
	f.dw = plot_dots_w(&pl);
	f.dh = plot_dots_h(&pl);
	f.xres = pl.xres;
	f.yres = pl.yres;
	draw_threshold_areas(cv, &f, p->cfg);
	draw_threshold_lines(&pl, &f, p->cfg);
	sel = sel_index(g, sv, n);
	for (size_t i = n; i-- > 0;)	/* the worst on top, the selected above all */
		if ((int)i != sel && !sv[i].hidden)
			plot_series(&pl, &f, &sv[i], ROLE_SERIES(sv[i].idx));
	if (sel >= 0 && !sv[sel].hidden)
		plot_series(&pl, &f, &sv[sel], ROLE_SERIES(sv[sel].idx));
	plot_blit(&pl, cv, f.x0, f.y0);
	plot_free(&pl);
	for (size_t i = 0; i < n; i++)
		if (!sv[i].hidden)
			mark_infinities(cv, &f, &sv[i], ROLE_SERIES(sv[i].idx), c->ascii);
	if (f.x0)
		draw_yaxis(cv, &f, graph_unit(p), 1);
	if (fit > 1)
		draw_xaxis(cv, &f, f.y0 + f.h, c->view->utc);
	changemarks_draw(cv, c, f.x0, f.w, f.y0, f.h, f.a, f.b);
	markers_graph(cv, (struct rect){ f.x0, f.y0, f.w, f.h }, fit > 1 ? f.y0 + f.h : -1, f.a, f.b, p, c);
	draw_cursor(cv, &f, c->view->cursor);
	exemplarmarks_frame(cv, &(struct exgeo){ f.x0, f.w, f.y0, f.h, f.dh, f.yres, f.a, f.b, f.lo,
	    f.hi, fit > 1 ? f.y0 + f.h : -1 }, p, &g->ex, graph_unit(p), p->cfg->decimals, c);
	if (legend_rows)
		draw_legend(cv, f.y0 + f.h + (fit > 1), legend_rows, sv, n, c, p, g);
	if (!n && g->focus_hidden)	/* say why the graph is empty */
		canvas_printf(cv, f.x0 + 1, f.y0 + f.h / 2, f.w - 2, ROLE_DIM, 0,
		    "no series of %s (focus; Esc clears it)", c->focus);
	release(sv, n);
}

static void
toggle_hidden(struct graph_state *g, uint64_t id)
{
	for (size_t i = 0; i < g->nhidden; i++)
		if (g->hidden[i] == id) {
			g->hidden[i] = g->hidden[--g->nhidden];
			return;
		}
	if (g->nhidden < MAX_HIDDEN)
		g->hidden[g->nhidden++] = id;
}

static int
move_sel(struct graph_state *g, int dir)
{
	int i = -1;

	if (g->nseries <= 0)
		return WK_IGNORED;
	for (int k = 0; k < g->nseries; k++)
		if (g->ids[k] == g->sel)
			i = k;
	if (i < 0)
		i = dir > 0 ? 0 : g->nseries - 1;
	else
		i = (i + dir + g->nseries) % g->nseries;
	g->sel = g->ids[i];
	return WK_HANDLED;
}

static int
graph_key(struct panel *p, int key, const struct wctx *c)
{
	struct graph_state *g = p->w;
	int r;

	if ((r = exemplarmarks_key(p, &g->ex, key, graph_unit(p), c)) != WK_IGNORED)
		return r;
	switch (key) {
	case 'L':
		g->legend = !g->legend;
		return WK_HANDLED;
	case 'J': case K_DOWN:
		return move_sel(g, 1);
	case 'K': case K_UP:
		return move_sel(g, -1);
	case 't':
		if (!g->sel)
			return WK_IGNORED;
		toggle_hidden(g, g->sel);
		return WK_HANDLED;
	case 'o':
		if (!g->sel)
			return WK_IGNORED;
		g->solo = !g->solo;
		return WK_HANDLED;
	case 'A':	/* show all again ('a' adds a note) */
		g->nhidden = 0;
		g->solo = 0;
		return WK_HANDLED;
	case K_ESC:
		if (!g->sel && !g->solo)
			return WK_IGNORED;
		g->sel = 0;
		g->solo = 0;
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

/* Series to draw (exemplars alone are not a graph). */
static int
graph_has_data(struct panel *p, const struct wctx *c)
{
	for (size_t k = 0; k < p->nneed; k++)
		if (p->key[k] && !p->need[k].aux && store_has_data(c->store, p->key[k]))
			return 1;
	return 0;
}

const struct widget_class graph_widget = {
	.name = "graph",
	.help = "time series as braille lines with legend, axes and thresholds",
	.source_types = graph_types,
	.option_keys = graph_opts,
	.init = graph_init,
	.free = graph_free,
	.needs = graph_needs,
	.draw = graph_draw,
	.key = graph_key,
	.has_data = graph_has_data,
};
