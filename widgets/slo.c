/* slo: one service level objective — SLI, error budget, burn rates.
 *
 *   objective 99.9% over 30d            SLI 99.953%
 *   budget ▕██████░░░░░▏ 46.9% left · empty in 1d4h at the 1h burn
 *   page    1h  88.0x  5m  91.2x  >14.4x  FIRING
 *   page    6h  20.1x 30m  70.3x  >6x     FIRING
 *   ticket  1d   5.2x  2h  33.0x  >3x     firing
 *   ticket  3d   1.8x  6h  10.1x  >1x     ok
 *   budget over the window ▇▇▇▇▆▆▅▄▃▂
 *
 * Its queries are generated from the SLO (core/slo.c): an instant error
 * ratio per window (refs "w:1h", ...) evaluated at the window end, and
 * the period's error ratio as a range query ("budget") for the sparkline.
 * A window is coloured when both its long and short burn rates exceed its
 * factor (page: error, ticket: warn).  'g' opens the burn rates as a graph. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/slo.h"
#include "core/xalloc.h"
#include "widgets/widget.h"

static const char *const slo_types[] = { "prometheus", NULL };
static const char *const slo_opts[] = { "slo", NULL };

static int
slo_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	if (!p->cfg->slo) {
		jdoc_diag(doc, dg, DIAG_ERROR, p->cfg->cfg, 0,
		    "%s: an slo panel needs options.slo (the name of an SLO, or an SLO object)", p->cfg->path);
		return -1;
	}
	return 0;
}

static size_t
slo_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	size_t n = 0;
	tns step = widget_step(c->view->range, w > 12 ? w - 12 : 1, 60 * NS_PER_S);

	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max; i++) {
		const char *ref = p->cfg->q[i].ref ? p->cfg->q[i].ref : "";
		if (strcmp(ref, "budget") == 0)
			out[n++] = (struct need){ .qi = i, .kind = "range", .step = step };
		else
			out[n++] = (struct need){ .qi = i, .kind = "instant" };
	}
	return n;
}

/* The error ratio the panel has for a window, NaN when none. */
static double
ratio_at(struct panel *p, const struct wctx *c, tns window)
{
	char ref[40], dur[32];

	ts_fmt_promql_duration(dur, sizeof dur, window);
	snprintf(ref, sizeof ref, "w:%s", dur);
	for (size_t k = 0; k < p->nneed; k++) {
		const struct sslot *sl;
		double v;
		tns at;
		if (!p->key[k] || strcmp(p->cfg->q[p->need[k].qi].ref, ref) != 0)
			continue;
		if (!(sl = store_series(c->store, p->key[k], 0)) || !sl->n)
			return NAN;
		at = sslot_eval_at(sl, c->end);
		if (at == TNS_NONE || series_value_at(sl->s[0], at, 0, &v, NULL) < 0)
			return NAN;
		return v;
	}
	return NAN;
}

static const struct series *
budget_series(struct panel *p, const struct wctx *c)
{
	for (size_t k = 0; k < p->nneed; k++) {
		const struct sslot *sl;
		if (!p->key[k] || strcmp(p->cfg->q[p->need[k].qi].ref, "budget") != 0)
			continue;
		sl = store_series(c->store, p->key[k], p->need[k].step);
		return sl && sl->n ? sl->s[0] : NULL;
	}
	return NULL;
}

static void
fmt_pct(char *dst, size_t n, double ratio, int decimals)
{
	if (isnan(ratio))
		snprintf(dst, n, "\xe2\x80\x94");
	else
		snprintf(dst, n, "%.*f%%", decimals, ratio * 100);
}

static void
fmt_burn(char *dst, size_t n, double b)
{
	if (isnan(b))
		snprintf(dst, n, "\xe2\x80\x94");
	else if (b >= 100)
		snprintf(dst, n, "%.0fx", b);
	else
		snprintf(dst, n, "%.1fx", b);
}

static enum role
budget_role(double rem)
{
	if (isnan(rem))
		return ROLE_DIM;
	if (rem < 0)
		return ROLE_CRITICAL;
	if (rem < 0.2)
		return ROLE_ERROR;
	if (rem < 0.5)
		return ROLE_WARN;
	return ROLE_OK;
}

/* Digits after the point that show the budget (99.9% -> 3: 99.953%). */
static int
sli_decimals(const struct slo *s)
{
	int d = (int)ceil(-log10(slo_budget(s)) - 1e-9);
	return d < 1 ? 1 : d > 6 ? 6 : d;
}

static void
draw_head(struct canvas *cv, int y, const struct slo *s, double period_ratio)
{
	char obj[32], per[32], sli[32], line[160];
	int x;

	snprintf(obj, sizeof obj, "%.6g%%", s->objective * 100);
	ts_fmt_duration(per, sizeof per, s->period);
	snprintf(line, sizeof line, "objective %s over %s", obj, per);
	x = canvas_str(cv, 0, y, cv->w, line, ROLE_TEXT, 0);
	fmt_pct(sli, sizeof sli, 1 - period_ratio, sli_decimals(s));
	snprintf(line, sizeof line, "SLI %s", sli);
	if (x + 2 + (int)strlen(line) <= cv->w)
		canvas_str_right(cv, cv->w, y, line,
		    isnan(period_ratio) ? ROLE_DIM : 1 - period_ratio >= s->objective ? ROLE_OK : ROLE_ERROR,
		    CA_BOLD);
}

static void
draw_budget(struct canvas *cv, int y, const struct slo *s, double rem, double burn1h,
    const struct wctx *c)
{
	char pct[32], line[200], when[32], win[32];
	int bar = cv->w >= 50 ? 16 : cv->w >= 36 ? 8 : 0, x = 0;
	enum role r = budget_role(rem);
	tns left = slo_time_to_exhaustion(s, rem, burn1h);

	x = canvas_str(cv, 0, y, cv->w, "budget ", ROLE_TEXT, 0);
	if (bar) {
		int fill = isnan(rem) ? 0 : rem <= 0 ? 0 : rem >= 1 ? bar : (int)(rem * bar + 0.5);
		for (int i = 0; i < bar; i++)
			canvas_put(cv, x + i, y, c->ascii ? (i < fill ? '#' : '.') : i < fill ? 0x2588 : 0x2591,
			    i < fill ? r : ROLE_DIM, 0);
		x += bar + 1;
	}
	fmt_pct(pct, sizeof pct, rem, 1);
	x += canvas_str(cv, x, y, cv->w - x, pct, r, CA_BOLD);
	ts_fmt_duration(win, sizeof win, s->nwin ? s->win[0].long_w : 3600 * NS_PER_S);
	if (isnan(rem))
		snprintf(line, sizeof line, " left");
	else if (rem <= 0)
		snprintf(line, sizeof line, " left \xc2\xb7 spent");
	else if (left == TNS_NONE)
		snprintf(line, sizeof line, " left \xc2\xb7 not burning");
	else {
		ts_fmt_duration(when, sizeof when, left);
		snprintf(line, sizeof line, " left \xc2\xb7 empty in %s at the %s burn", when, win);
	}
	canvas_str(cv, x, y, cv->w - x, line, ROLE_TEXT, 0);
}

static void
draw_window(struct canvas *cv, int y, struct panel *p, const struct wctx *c,
    const struct slo_window *w)
{
	const struct slo *s = p->cfg->slo;
	double bl = slo_burn_rate(s, ratio_at(p, c, w->long_w));
	double bs = slo_burn_rate(s, ratio_at(p, c, w->short_w));
	int firing = slo_window_firing(w, bl, bs), page = strcmp(w->severity, "page") == 0;
	enum role row = firing ? (page ? ROLE_ERROR : ROLE_WARN) : ROLE_TEXT;
	char lw[16], sw[16], b1[24], b2[24], f[24];
	int x = 0;

	ts_fmt_promql_duration(lw, sizeof lw, w->long_w);
	ts_fmt_promql_duration(sw, sizeof sw, w->short_w);
	fmt_burn(b1, sizeof b1, bl);
	fmt_burn(b2, sizeof b2, bs);
	snprintf(f, sizeof f, ">%gx", w->factor);
	x = canvas_printf(cv, 0, y, cv->w, row, 0, "%-7s", w->severity);
	x += canvas_printf(cv, x, y, cv->w - x, ROLE_DIM, 0, "%3s ", lw);
	x += canvas_printf(cv, x, y, cv->w - x, firing ? row : bl > w->factor ? ROLE_WARN : ROLE_TEXT,
	    bl > w->factor ? CA_BOLD : 0, "%6s", b1);
	x += canvas_printf(cv, x, y, cv->w - x, ROLE_DIM, 0, " %3s ", sw);
	x += canvas_printf(cv, x, y, cv->w - x, firing ? row : bs > w->factor ? ROLE_WARN : ROLE_TEXT,
	    bs > w->factor ? CA_BOLD : 0, "%6s", b2);
	x += canvas_printf(cv, x, y, cv->w - x, ROLE_DIM, 0, "  %-7s", f);
	if (isnan(bl) || isnan(bs))
		canvas_str(cv, x, y, cv->w - x, "no data", ROLE_DIM, 0);
	else
		canvas_str(cv, x, y, cv->w - x, firing ? (page ? "FIRING" : "firing") : "ok",
		    firing ? row : ROLE_OK, firing ? CA_BOLD : 0);
}

/* Remaining budget over the window: one glyph per column (0..100 %). */
static void
draw_spark(struct canvas *cv, int y, struct panel *p, const struct wctx *c)
{
	const struct series *bs = budget_series(p, c);
	const struct slo *s = p->cfg->slo;
	const char *lab = "over the window ";
	int x0 = (int)strlen(lab) + 7, w = cv->w - x0;

	canvas_str(cv, 0, y, cv->w, "budget ", ROLE_TEXT, 0);
	canvas_str(cv, 7, y, cv->w - 7, lab, ROLE_DIM, 0);
	if (!bs || w < 2) {
		if (w >= 2)
			canvas_str(cv, x0, y, w, "no history yet", ROLE_DIM, 0);
		return;
	}
	for (int x = 0; x < w; x++) {
		tns t = c->start + (tns)((double)(x + 1) / w * (double)(c->end - c->start));
		double v, rem;
		int lv;
		if (series_value_at(bs, t, (c->end - c->start) / w * 2 + 1, &v, NULL) < 0)
			continue;
		rem = slo_budget_remaining(s, v);
		if (isnan(rem))
			continue;
		lv = rem <= 0 ? 1 : rem >= 1 ? 8 : 1 + (int)(rem * 7.999);
		canvas_put(cv, x0 + x, y, spark_glyph(lv, c->gs), budget_role(rem), 0);
	}
}

static void
slo_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	const struct slo *s = p->cfg->slo;
	double pr, rem, burn1h;
	int y = 0;

	if (!s)
		return;
	int rows = cv->h, head, spark;

	pr = ratio_at(p, c, s->period);
	rem = slo_budget_remaining(s, pr);
	burn1h = slo_burn_rate(s, ratio_at(p, c, s->nwin ? s->win[0].long_w : 3600 * NS_PER_S));
	/* the budget line and the windows first; the headline and the
	 * sparkline when there is room */
	head = rows >= (int)s->nwin + 2;
	spark = rows >= (int)s->nwin + 3;
	if (head)
		draw_head(cv, y++, s, pr);
	draw_budget(cv, y++, s, rem, burn1h, c);
	for (size_t i = 0; i < s->nwin && y < rows - spark; i++)
		draw_window(cv, y++, p, c, &s->win[i]);
	if (spark)
		draw_spark(cv, rows - 1, p, c);
}

/* 'g': the burn rates of the long windows as a graph, with the factors. */
static int
open_burn_graph(struct panel *p, const struct wctx *c)
{
	const struct slo *s = p->cfg->slo;
	struct dash_panel cfg;
	struct dash_query q[SLO_WINDOWS_MAX];
	struct dash_threshold th[SLO_WINDOWS_MAX];
	char title[200], leg[SLO_WINDOWS_MAX][40];
	int rc;

	memset(&cfg, 0, sizeof cfg);
	memset(q, 0, sizeof q);
	snprintf(title, sizeof title, "burn rate: %s (budget %g%%)", s->name, slo_budget(s) * 100);
	for (size_t i = 0; i < s->nwin; i++) {
		char *e = slo_expr(s, s->win[i].long_w), dur[16];
		ts_fmt_promql_duration(dur, sizeof dur, s->win[i].long_w);
		q[i].expr = xasprintf("(%s) / %.17g", e, slo_budget(s));
		free(e);
		snprintf(leg[i], sizeof leg[i], "%s burn", dur);
		q[i].legend = leg[i];
		q[i].source = s->source;
		q[i].ref = leg[i];
		th[i] = (struct dash_threshold){ s->win[i].factor,
		    strcmp(s->win[i].severity, "page") == 0 ? ROLE_ERROR : ROLE_WARN };
	}
	cfg.type = (char *)"graph";
	cfg.title = title;
	cfg.source = s->source;
	cfg.q = q;
	cfg.nq = s->nwin;
	cfg.th = th;
	cfg.nth = s->nwin;
	cfg.decimals = -1;
	cfg.min = 0;
	cfg.max = NAN;
	cfg.parent_row = -1;
	cfg.w = GRID_COLS;
	cfg.h = 8;
	cfg.path = (char *)"slo burn graph";
	rc = c->api->push(c->app, &cfg, "burn rates");
	for (size_t i = 0; i < s->nwin; i++)
		free(q[i].expr);
	return rc;
}

static int
slo_key(struct panel *p, int key, const struct wctx *c)
{
	if (key == 'g' && p->cfg->slo && c->api) {
		open_burn_graph(p, c);
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

const struct widget_class slo_widget = {
	.name = "slo",
	.help = "an SLO: SLI, error budget left, multi-window burn-rate alerts (g: burn graph)",
	.source_types = slo_types,
	.option_keys = slo_opts,
	.init = slo_init,
	.needs = slo_needs,
	.draw = slo_draw,
	.key = slo_key,
};
