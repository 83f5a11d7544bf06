/* heatmap: a latency heatmap from classic histogram buckets.
 * The query is a bucket rate such as
 *   sum by (le) (rate(istio_request_duration_milliseconds_bucket[$__rate_interval]))
 * Layout: bucket bounds on the left (one band of rows per bucket, or
 * several buckets per row when there are more buckets than rows), time
 * across, one colour level per cell by the bucket's count (8 heat roles in
 * colour, density glyphs in 8 colours and monochrome, ASCII ramps without
 * UTF-8), the quantile lines (P50 and P99 by default, computed here from
 * the same buckets with Prometheus' algorithm) drawn over the cells, the
 * clock axis, and a line with the values at the time cursor (or the
 * latest column): quantiles, total rate and the selected bucket.
 * Options: "quantiles" [0.5, 0.99], "scale" "log" | "sqrt" | "linear",
 * "legend" "bottom" | "hidden", "min_step". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "core/xalloc.h"
#include "widgets/heatgrid.h"
#include "widgets/widget.h"

#define MAX_SERIES	512
#define YAXIS_W		9

static const char *const heatmap_types[] = { "prometheus", NULL };
static const char *const heatmap_opts[] = { "quantiles", "scale", "legend", "min_step", NULL };

enum scale { SC_LOG, SC_SQRT, SC_LINEAR };

struct heatmap_state {
	double		q[HEAT_QUANTILES_MAX];
	size_t		nq;
	enum scale	scale;
	int		legend;
	tns		min_step;
	int		sel;	/* selected bucket, -1 none */
};

static int
heatmap_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct heatmap_state *h = xcalloc(1, sizeof *h);
	const cJSON *qs = jd_arr(doc, dg, p->cfg->options, p->cfg->path, "quantiles");
	const char *sc = jd_str(doc, dg, p->cfg->options, p->cfg->path, "scale", "log");
	const char *leg = jd_str(doc, dg, p->cfg->options, p->cfg->path, "legend", "bottom");

	h->sel = -1;
	h->legend = strcmp(leg, "hidden") != 0;
	h->min_step = jd_duration(doc, dg, p->cfg->options, p->cfg->path, "min_step", NS_PER_S);
	h->scale = strcmp(sc, "linear") == 0 ? SC_LINEAR : strcmp(sc, "sqrt") == 0 ? SC_SQRT : SC_LOG;
	if (strcmp(sc, "log") && strcmp(sc, "sqrt") && strcmp(sc, "linear"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(p->cfg->options, "scale"), 0,
		    "%s.options.scale: expected \"log\", \"sqrt\" or \"linear\"", p->cfg->path);
	for (const cJSON *q = qs ? qs->child : NULL; q && h->nq < HEAT_QUANTILES_MAX; q = q->next) {
		if (!cJSON_IsNumber(q) || !(q->valuedouble > 0 && q->valuedouble < 1)) {
			jdoc_diag(doc, dg, DIAG_ERROR, q, 0,
			    "%s.options.quantiles: expected numbers between 0 and 1 (0.5, 0.99)", p->cfg->path);
			continue;
		}
		h->q[h->nq++] = q->valuedouble;
	}
	if (!qs) {
		h->q[0] = 0.5;
		h->q[1] = 0.99;
		h->nq = 2;
	}
	p->w = h;
	return 0;
}

static void
heatmap_free(struct panel *p)
{
	free(p->w);
	p->w = NULL;
}

static int
plot_cols(int w)
{
	return w - YAXIS_W > 1 ? w - YAXIS_W : 1;
}

static size_t
heatmap_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct heatmap_state *hs = p->w;
	tns step = widget_step(c->view->range, plot_cols(w), hs->min_step);
	size_t n = 0;

	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max; i++)
		if (!p->cfg->q[i].hide)
			out[n++] = (struct need){ .qi = i, .kind = "range", .step = step };
	return n;
}

/* The unit of the bucket bounds: the panel's, else from the metric name. */
static const char *
bound_unit(const struct dash_panel *cfg)
{
	const char *e = cfg->nq ? cfg->q[0].expr : "";

	if (cfg->unit && *cfg->unit)
		return cfg->unit;
	if (strstr(e, "_milliseconds_bucket"))
		return "ms";
	if (strstr(e, "_seconds_bucket"))
		return "s";
	if (strstr(e, "_bytes_bucket"))
		return "bytes";
	return "short";
}

static size_t
collect(struct panel *p, const struct wctx *c, const struct series **out, size_t max, tns *step)
{
	size_t n = 0;

	*step = 0;
	for (size_t k = 0; k < p->nneed; k++) {
		const struct sslot *sl;
		if (!p->key[k] || !(sl = store_series(c->store, p->key[k], p->need[k].step)))
			continue;
		if (sl->step > *step)
			*step = sl->step;
		for (size_t i = 0; i < sl->n && n < max; i++)
			out[n++] = sl->s[i];
	}
	return n;
}

/* Colour level 1..8 of a count, 0 for an empty cell. */
static int
level(const struct heatmap_state *h, double v, double max)
{
	double f;

	if (!(v > 0) || !(max > 0))
		return 0;
	switch (h->scale) {
	case SC_LINEAR:
		f = v / max;
		break;
	case SC_SQRT:
		f = sqrt(v / max);
		break;
	default:
		/* log over three decades below the maximum */
		f = 1 + log10(v / max) / 3;
		break;
	}
	if (f < 0)
		f = 0;
	if (f > 1)	/* never past the ramp's last level */
		f = 1;
	return 1 + (int)(f * 7.999);
}

static void
put_level(struct canvas *cv, int x, int y, int lv, const struct wctx *c)
{
	static const char ascii[] = " .:-=+*#@";
	static const uint32_t shade[] = { ' ', 0x2591, 0x2591, 0x2592, 0x2592, 0x2592, 0x2593, 0x2593, 0x2588 };

	if (!lv)
		return;
	if (c->ascii)
		canvas_put(cv, x, y, (uint32_t)ascii[lv], ROLE_HEAT(lv - 1), 0);
	else if (c->cm == CM_256)
		canvas_put(cv, x, y, 0x2588, ROLE_HEAT(lv - 1), 0);
	else if (c->cm == CM_8)	/* few colours: density carries the level too */
		canvas_put(cv, x, y, shade[lv], ROLE_HEAT(lv < 2 ? 1 : lv - 1), 0);
	else
		canvas_put(cv, x, y, shade[lv], ROLE_TEXT, 0);
}

/* Bucket range [lo, hi) shown in row r (0 = bottom) of h rows. */
static void
row_buckets(size_t nb, int h, int r, size_t *lo, size_t *hi)
{
	*lo = (size_t)r * nb / (size_t)h;
	*hi = (size_t)(r + 1) * nb / (size_t)h;
	if (*hi <= *lo)
		*hi = *lo + 1;
}

/* Row (0 = bottom) of a value on the bucket scale. */
static int
value_row(const struct heatgrid *g, int h, double v)
{
	double fb, lo = 0;
	size_t b;

	if (isnan(v) || !g->nb)
		return -1;
	for (b = 0; b < g->nb && g->le[b] < v; b++)
		lo = g->le[b];
	if (b >= g->nb)
		b = g->nb - 1;
	fb = (double)b;
	if (!isinf(g->le[b]) && g->le[b] > lo)
		fb += (v - lo) / (g->le[b] - lo);
	else
		fb += 0.5;
	return (int)(fb * h / (double)g->nb) < h ? (int)(fb * h / (double)g->nb) : h - 1;
}

struct hframe {
	int	x0, w, h;	/* plot: columns x0.., rows 0..h-1 from the top */
	int	ncols;
};

/* The count shown in a cell: the sum of the buckets its row holds (when
 * there are more buckets than rows); *any = some bucket had a value. */
static double
cell_value(const struct heatgrid *g, const struct hframe *f, size_t col, int r, int *any)
{
	size_t lo, hi;
	double v = 0;

	*any = 0;
	row_buckets(g->nb, f->h, r, &lo, &hi);
	for (size_t b = lo; b < hi && b < g->nb; b++)
		if (!isnan(heatgrid_cell(g, col, b))) {
			v += heatgrid_cell(g, col, b);
			*any = 1;
		}
	return v;
}

static void
draw_cells(struct canvas *cv, const struct hframe *f, const struct heatgrid *g,
    const struct heatmap_state *hs, const struct wctx *c)
{
	double max = 0, *v = xcalloc((size_t)f->w * (size_t)f->h + 1, sizeof *v);
	int any;

	/* the ramp spans what is drawn: rows may sum several buckets */
	for (int x = 0; x < f->w; x++)
		for (int r = 0; r < f->h; r++) {
			double *cell = &v[(size_t)x * (size_t)f->h + (size_t)r];
			*cell = cell_value(g, f, (size_t)x * (size_t)f->ncols / (size_t)f->w, r, &any);
			if (!any)
				*cell = NAN;
			else if (*cell > max)
				max = *cell;
		}
	for (int x = 0; x < f->w; x++)
		for (int r = 0; r < f->h; r++) {
			double cell = v[(size_t)x * (size_t)f->h + (size_t)r];
			if (!isnan(cell))
				put_level(cv, f->x0 + x, f->h - 1 - r, level(hs, cell, max), c);
		}
	free(v);
}

static void
draw_quantiles(struct canvas *cv, const struct hframe *f, const struct heatgrid *g,
    const struct wctx *c)
{
	for (size_t k = 0; k < g->nq; k++) {
		/* the highest quantile bold and thick, the others thin */
		int top = k + 1 == g->nq;
		uint32_t ch = c->ascii ? (top ? '=' : '-') : (top ? 0x2501 : 0x2500);
		for (int x = 0; x < f->w; x++) {
			size_t col = (size_t)x * (size_t)f->ncols / (size_t)f->w;
			int r = value_row(g, f->h, g->q[k * g->ncols + col]);
			if (r >= 0)
				canvas_put(cv, f->x0 + x, f->h - 1 - r, ch, ROLE_TITLE, top ? CA_BOLD : 0);
		}
	}
}

static void
draw_axis(struct canvas *cv, const struct hframe *f, const struct heatgrid *g, const char *unit,
    const struct heatmap_state *hs)
{
	for (int r = f->h - 1; r >= 0; r--) {
		size_t lo, hi;
		char lab[32];
		int y = f->h - 1 - r, sel;
		row_buckets(g->nb, f->h, r, &lo, &hi);
		sel = hs->sel >= (int)lo && hs->sel < (int)hi;
		/* label the top row of each band, never on adjacent rows */
		if (r + 1 < f->h) {
			size_t nlo, nhi;
			row_buckets(g->nb, f->h, r + 1, &nlo, &nhi);
			if (nlo == lo && !sel)
				continue;
		}
		if (isinf(g->le[hi - 1]) && hi >= 2) {
			char b[24];
			unit_format(g->le[hi - 2], unit, -1, b, sizeof b);
			snprintf(lab, sizeof lab, ">%s", b);
		} else
			unit_format(g->le[hi - 1], unit, -1, lab, sizeof lab);
		canvas_str_right(cv, f->x0 - 1, y, lab, sel ? ROLE_SELECTION : ROLE_AXIS, 0);
	}
}

static void
draw_cursor(struct canvas *cv, const struct hframe *f, const struct wctx *c)
{
	tns cur = c->view->cursor;
	int x;

	if (cur == TNS_NONE || cur < c->start || cur > c->end || c->end <= c->start)
		return;
	x = f->x0 + (int)((double)(cur - c->start) / (double)(c->end - c->start) * (f->w - 1));
	for (int y = 0; y < f->h; y++) {
		struct cell *cell = canvas_cell(cv, x, y);
		if (!cell)
			continue;
		if (cell->ch == ' ')
			canvas_put(cv, x, y, c->ascii ? '|' : 0x2502, ROLE_CURSOR, 0);
		else
			cell->attr |= CA_REVERSE;
	}
}

/* The tooltip line: values at the cursor, or at the latest column with data. */
static void
draw_values(struct canvas *cv, int y, const struct hframe *f, const struct heatgrid *g,
    const struct heatmap_state *hs, const struct wctx *c, const char *unit, int rate)
{
	int col = -1, x = 0;
	char line[320], v[32], t[32];
	size_t n = 0;
	tns at;

	if (c->view->cursor != TNS_NONE)
		col = heatgrid_col(c->start, c->end, (size_t)f->ncols, c->view->cursor);
	if (col < 0)
		for (int k = f->ncols - 1; k >= 0 && col < 0; k--)
			if (!isnan(g->total[k]))
				col = k;
	if (col < 0) {
		canvas_str(cv, 0, y, cv->w, "no observations in this window", ROLE_DIM, 0);
		return;
	}
	at = c->start + (tns)((double)(col + 0.5) / f->ncols * (double)(c->end - c->start));
	ts_fmt_clock(t, sizeof t, at, c->view->utc, 1);
	n += (size_t)snprintf(line + n, sizeof line - n, "%s", t);
	for (size_t k = g->nq; k-- > 0 && n < sizeof line;) {
		const char *glyph = c->ascii ? (k + 1 == g->nq ? "=" : "-") :
		    k + 1 == g->nq ? "\xe2\x94\x81" : "\xe2\x94\x80";
		unit_format(g->q[k * g->ncols + (size_t)col], unit, -1, v, sizeof v);
		n += (size_t)snprintf(line + n, sizeof line - n, "  %s P%g %s", glyph, g->qv[k] * 100, v);
	}
	unit_format(g->total[col], "short", -1, v, sizeof v);
	if (n < sizeof line)
		n += (size_t)snprintf(line + n, sizeof line - n, "  n %s%s", v, rate ? "/s" : "");
	if (hs->sel >= 0 && (size_t)hs->sel < g->nb && n < sizeof line) {
		double cnt = heatgrid_cell(g, (size_t)col, (size_t)hs->sel), tot = g->total[col];
		char le[32];
		unit_format(g->le[hs->sel], unit, -1, le, sizeof le);
		unit_format(cnt, "short", -1, v, sizeof v);
		snprintf(line + n, sizeof line - n, "  \xe2\x94\x82 \xe2\x89\xa4%s: %s (%.0f%%)", le, v,
		    tot > 0 && !isnan(cnt) ? 100 * cnt / tot : 0.0);
	}
	x = canvas_str(cv, 0, y, cv->w, line, ROLE_LEGEND, 0);
	(void)x;
}

static void
heatmap_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct heatmap_state *hs = p->w;
	const struct series **sv = xcalloc(MAX_SERIES, sizeof *sv);
	tns step;
	size_t n = collect(p, c, sv, MAX_SERIES, &step);
	const char *unit = bound_unit(p->cfg);
	struct heatgrid g;
	struct hframe f;
	int legend = hs->legend && cv->h >= 5, xaxis = cv->h >= 4;
	tns range = c->end - c->start;

	f.x0 = cv->w > YAXIS_W + 4 ? YAXIS_W : 0;
	f.w = cv->w - f.x0;
	f.h = cv->h - legend - xaxis;
	f.ncols = step > 0 && range / step < f.w ? (int)(range / step) : f.w;
	if (f.ncols < 1)
		f.ncols = 1;
	if (f.w < 1 || f.h < 1) {
		free(sv);
		return;
	}
	heatgrid_build(&g, sv, n, c->start, c->end, (size_t)f.ncols, hs->q, hs->nq);
	if (!g.nb) {
		canvas_str(cv, 0, 0, cv->w, n ? "not a histogram: the query returns no 'le' label" :
		    "no histogram buckets in this window", n ? ROLE_WARN : ROLE_DIM, 0);
		if (n && cv->h > 1)
			canvas_str(cv, 0, 1, cv->w, "try sum by (le) (rate(NAME_bucket[$__rate_interval]))",
			    ROLE_DIM, 0);
	} else {
		if (hs->sel >= (int)g.nb)
			hs->sel = (int)g.nb - 1;
		draw_cells(cv, &f, &g, hs, c);
		draw_quantiles(cv, &f, &g, c);
		if (f.x0)
			draw_axis(cv, &f, &g, unit, hs);
		if (xaxis)
			widget_time_axis(cv, f.x0, f.w, f.h, c->start, c->end, c->view->utc);
		draw_cursor(cv, &f, c);
		if (legend)
			draw_values(cv, cv->h - 1, &f, &g, hs, c, unit,
			    p->cfg->nq && strstr(p->cfg->q[0].expr, "rate("));
	}
	heatgrid_free(&g);
	free(sv);
}

static int
heatmap_key(struct panel *p, int key, const struct wctx *c)
{
	struct heatmap_state *hs = p->w;

	(void)c;
	switch (key) {
	case K_UP:
	case 'K':
		hs->sel = hs->sel < 0 ? 0 : hs->sel + 1;
		return WK_HANDLED;
	case K_DOWN:
	case 'J':
		hs->sel = hs->sel > 0 ? hs->sel - 1 : -1;
		return WK_HANDLED;
	case 'L':
		hs->legend = !hs->legend;
		return WK_HANDLED;
	case 'S':
		hs->scale = hs->scale == SC_LOG ? SC_SQRT : hs->scale == SC_SQRT ? SC_LINEAR : SC_LOG;
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

const struct widget_class heatmap_widget = {
	.name = "heatmap",
	.help = "latency heatmap from histogram buckets with P50/P99 lines",
	.source_types = heatmap_types,
	.option_keys = heatmap_opts,
	.init = heatmap_init,
	.free = heatmap_free,
	.needs = heatmap_needs,
	.draw = heatmap_draw,
	.key = heatmap_key,
};
