/* gauge (also "bar"): saturation as horizontal bars, one per series:
 * how full is each connection pool, queue or disk against its limit.
 *
 * Data: instant queries at the window end.  The limit comes from the
 * panel's "max", or from a query with "ref": "max" (e.g. active +
 * remaining connections): its series are matched to the value series by
 * labels, and a single limit series applies to all.  Without any limit
 * the bars are relative to the largest value.  Thresholds colour a bar
 * by its value, or by its percentage of the limit when
 * options.threshold_mode is "percent".  Bars are sorted fullest first
 * (options.sort "none": in query order), at most options.limit of them;
 * options.mappings turn values into text (widgets/valuemap.h);
 * eighth-block glyphs give sub-cell precision. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "widgets/legend.h"
#include "widgets/valuemap.h"
#include "widgets/widget.h"

#define MAX_BARS	128

static const char *const gauge_types[] = { "prometheus", NULL };
static const char *const gauge_opts[] = { "threshold_mode", "sort", "limit", "mappings", NULL };

struct gauge_state {
	int		percent;	/* thresholds are % of the limit */
	int		sort;		/* fullest first */
	int		limit;		/* bars at most (0: all) */
	int		top;		/* first bar shown (scroll) */
	struct valuemap	vm;
};

struct bar {
	const struct series	*s;
	double			 v, max, ratio;
	char			 name[128];
};

static int
gauge_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct gauge_state *g = xcalloc(1, sizeof *g);
	const char *m = jd_str(doc, dg, p->cfg->options, p->cfg->path, "threshold_mode", "absolute");
	const char *s = jd_str(doc, dg, p->cfg->options, p->cfg->path, "sort", "desc");

	g->percent = strcmp(m, "percent") == 0;
	g->sort = strcmp(s, "none") != 0;
	if (strcmp(s, "none") && strcmp(s, "desc"))
		jdoc_diag(doc, dg, DIAG_WARN, cJSON_GetObjectItemCaseSensitive(p->cfg->options, "sort"), 0,
		    "%s.options.sort: expected desc or none", p->cfg->path);
	g->limit = jd_int(doc, dg, p->cfg->options, p->cfg->path, "limit", 0, 0, MAX_BARS);
	valuemap_init(&g->vm, doc, dg, p->cfg->options, p->cfg->path);
	if (!g->percent && strcmp(m, "absolute"))
		jdoc_diag(doc, dg, DIAG_WARN, cJSON_GetObjectItemCaseSensitive(p->cfg->options,
		    "threshold_mode"), 0, "%s.options.threshold_mode: expected absolute or percent",
		    p->cfg->path);
	p->w = g;
	return 0;
}

static void
gauge_free(struct panel *p)
{
	struct gauge_state *g = p->w;

	if (g)
		valuemap_free(&g->vm);
	free(g);
	p->w = NULL;
}

static int
is_max_query(const struct dash_panel *cfg, size_t qi)
{
	return cfg->q[qi].ref && strcmp(cfg->q[qi].ref, "max") == 0;
}

static size_t
gauge_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	size_t n = 0;

	(void)c;
	(void)w;
	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max; i++)
		if (!p->cfg->q[i].hide || is_max_query(p->cfg, i))
			out[n++] = (struct need){ .qi = i, .kind = "instant" };
	return n;
}

/* Latest value of s at the evaluation time the slot has for `at`. */
static int
value_at(const struct sslot *sl, const struct series *s, tns at, double *v)
{
	tns ev = sslot_eval_at(sl, at);

	if (ev == TNS_NONE)
		return -1;
	return series_value_at(s, ev, 0, v, NULL) == 0 ? 0 : -1;
}

static int
same_but_name(const struct labelset *a, const struct labelset *b)
{
	struct labelset x, y;
	int eq;

	labels_copy(&x, a);
	labels_copy(&y, b);
	labels_setn(&x, "__name__", 8, "", 0);
	labels_setn(&y, "__name__", 8, "", 0);
	labels_finish(&x);
	labels_finish(&y);
	eq = labels_equal(&x, &y);
	labels_free(&x);
	labels_free(&y);
	return eq;
}

static double
limit_for(const struct series *s, const struct sslot *ms, tns at, double dflt)
{
	double v;

	if (!ms)
		return dflt;
	if (ms->n == 1)
		return value_at(ms, ms->s[0], at, &v) == 0 ? v : dflt;
	for (size_t i = 0; i < ms->n; i++)
		if (same_but_name(&ms->s[i]->labels, &s->labels))
			return value_at(ms, ms->s[i], at, &v) == 0 ? v : dflt;
	return dflt;
}

static int
by_ratio(const void *a, const void *b)
{
	double x = ((const struct bar *)a)->ratio, y = ((const struct bar *)b)->ratio;
	if (isnan(x))
		return isnan(y) ? 0 : 1;
	if (isnan(y))
		return -1;
	return x < y ? 1 : x > y ? -1 : 0;
}

static size_t
collect(struct panel *p, const struct wctx *c, struct bar *out, size_t max)
{
	const struct sslot *ms = NULL;
	double top = 0;
	size_t n = 0;

	for (size_t k = 0; k < p->nneed; k++)
		if (p->key[k] && is_max_query(p->cfg, p->need[k].qi))
			ms = store_series(c->store, p->key[k], 0);
	for (size_t k = 0; k < p->nneed; k++) {
		size_t qi = p->need[k].qi;
		const struct sslot *sl;
		if (!p->key[k] || is_max_query(p->cfg, qi) ||
		    !(sl = store_series(c->store, p->key[k], 0)))
			continue;
		for (size_t i = 0; i < sl->n && n < max; i++) {
			struct bar *b = &out[n];
			if (value_at(sl, sl->s[i], c->end, &b->v) < 0)
				continue;
			b->s = sl->s[i];
			b->max = limit_for(b->s, ms, c->end, p->cfg->max);
			legend_name(&b->s->labels, p->cfg->q[qi].legend, p->cfg->q[qi].expr, b->name,
			    sizeof b->name);
			if (isfinite(b->v) && b->v > top)
				top = b->v;
			n++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		double mx = isnan(out[i].max) ? top : out[i].max;
		double lo = isnan(p->cfg->min) ? 0 : p->cfg->min;
		out[i].ratio = mx > lo && isfinite(out[i].v) ? (out[i].v - lo) / (mx - lo) : NAN;
	}
	return n;
}

static void
draw_bar(struct canvas *cv, int x, int y, int w, double ratio, enum role role, int ascii)
{
	static const uint32_t eighths[] = { 0, 0x258f, 0x258e, 0x258d, 0x258c, 0x258b, 0x258a, 0x2589 };
	int units = isfinite(ratio) ? (int)lround(fmin(fmax(ratio, 0), 1) * w * 8) : 0;

	for (int i = 0; i < w; i++) {
		int u = units - i * 8;
		if (u >= 8)
			canvas_put(cv, x + i, y, ascii ? '#' : 0x2588, role, 0);
		else if (u > 0)
			canvas_put(cv, x + i, y, ascii ? '=' : eighths[u], role, 0);
		else
			canvas_put(cv, x + i, y, ascii ? '.' : 0x2500, ROLE_GRID, 0);
	}
	if (isfinite(ratio) && ratio > 1 && w > 0)	/* over the limit: say so */
		canvas_put(cv, x + w - 1, y, ascii ? '!' : 0x2588, ROLE_ERROR, CA_BOLD);
}

static void
value_text(const struct gauge_state *g, const struct bar *b, const struct dash_panel *cfg, int narrow,
    char *dst, size_t n, int *role)
{
	char v[40], m[40];
	const char *mapped;

	unit_format(b->v, cfg->unit, cfg->decimals, v, sizeof v);
	if ((mapped = valuemap_apply(&g->vm, b->v, v, role)) && *mapped) {
		snprintf(dst, n, "%s", mapped);
		return;
	}
	if (isnan(b->max) || narrow) {
		if (!isnan(b->max) && isfinite(b->ratio))
			snprintf(dst, n, "%s %.0f%%", v, b->ratio * 100);
		else
			snprintf(dst, n, "%s", v);
		return;
	}
	unit_format(b->max, cfg->unit, cfg->decimals, m, sizeof m);
	snprintf(dst, n, "%s / %s %5.1f %%", v, m, isfinite(b->ratio) ? b->ratio * 100 : NAN);
}

static void
gauge_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct gauge_state *g = p->w;
	struct bar *bars = xcalloc(MAX_BARS, sizeof *bars);
	size_t n = collect(p, c, bars, MAX_BARS);
	int namew = 0, valw = 0, rows, y0, narrow = cv->w < 50;

	if (g->sort)
		qsort(bars, n, sizeof *bars, by_ratio);
	if (g->limit && n > (size_t)g->limit)
		n = (size_t)g->limit;
	for (size_t i = 0; i < n; i++) {
		char t[96];
		int w = san_width(bars[i].name, strlen(bars[i].name), 0), mr = -1;
		value_text(g, &bars[i], p->cfg, narrow, t, sizeof t, &mr);
		namew = w > namew ? w : namew;
		valw = (int)strlen(t) > valw ? (int)strlen(t) : valw;
	}
	if (namew > cv->w / 3)
		namew = cv->w / 3;
	if (cv->w < 24)
		namew = 0;
	rows = (int)n < cv->h ? (int)n : cv->h;
	if (g->top > (int)n - rows)
		g->top = (int)n - rows > 0 ? (int)n - rows : 0;
	y0 = (cv->h - rows) / 2;
	for (int r = 0; r < rows; r++) {
		const struct bar *b = &bars[g->top + r];
		double tv = g->percent ? b->ratio * 100 : b->v;
		enum role role = isnan(tv) ? ROLE_DIM : widget_threshold_role(p->cfg, tv, ROLE_OK);
		char t[96];
		int x = 0, bw, mr = -1;
		struct text_opts o = { .role = ROLE_LEGEND, .ellipsis = 1 };

		value_text(g, b, p->cfg, narrow, t, sizeof t, &mr);
		if (mr >= 0)
			role = (enum role)mr;
		if (namew) {
			canvas_text(cv, 0, y0 + r, namew, b->name, strlen(b->name), &o, NULL);
			x = namew + 1;
		}
		bw = cv->w - x - valw - 1;
		if (bw < 3) {
			canvas_str_right(cv, cv->w, y0 + r, t, role, CA_BOLD);
			continue;
		}
		draw_bar(cv, x, y0 + r, bw, b->ratio, role, c->ascii);
		canvas_str_right(cv, cv->w, y0 + r, t, role, CA_BOLD);
	}
	free(bars);
}

static int
gauge_key(struct panel *p, int key, const struct wctx *c)
{
	struct gauge_state *g = p->w;

	(void)c;
	if (key == 'J' || (c->inside && key == K_DOWN))
		g->top++;
	else if ((key == 'K' || (c->inside && key == K_UP)) && g->top > 0)
		g->top--;
	else
		return WK_IGNORED;
	return WK_HANDLED;
}

const struct widget_class gauge_widget = {
	.name = "gauge",
	.help = "saturation bars: each series against its limit (max or a \"max\" query)",
	.source_types = gauge_types,
	.option_keys = gauge_opts,
	.init = gauge_init,
	.free = gauge_free,
	.needs = gauge_needs,
	.draw = gauge_draw,
	.key = gauge_key,
};

const struct widget_class bar_widget = {
	.name = "bar",
	.help = "the same as gauge (Grafana's bar gauge)",
	.source_types = gauge_types,
	.option_keys = gauge_opts,
	.init = gauge_init,
	.free = gauge_free,
	.needs = gauge_needs,
	.draw = gauge_draw,
	.key = gauge_key,
};
