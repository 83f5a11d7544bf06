/* widget: helpers shared by widget classes. */
#include "widgets/widget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const tns nice_steps[] = {
	1 * NS_PER_S, 2 * NS_PER_S, 5 * NS_PER_S, 10 * NS_PER_S, 15 * NS_PER_S,
	30 * NS_PER_S, 60 * NS_PER_S, 120 * NS_PER_S, 300 * NS_PER_S, 600 * NS_PER_S,
	900 * NS_PER_S, 1800 * NS_PER_S, 3600 * NS_PER_S, 7200 * NS_PER_S,
	3 * 3600 * NS_PER_S, 6 * 3600 * NS_PER_S, 12 * 3600 * NS_PER_S, 86400 * NS_PER_S,
};

tns
widget_step(tns range, int dots, tns min_step)
{
	tns raw;

	if (dots < 1)
		dots = 1;
	raw = (range + dots - 1) / dots;
	if (raw < min_step)
		raw = min_step;
	for (size_t i = 0; i < sizeof nice_steps / sizeof *nice_steps; i++)
		if (nice_steps[i] >= raw)
			return nice_steps[i];
	return (raw + 86400 * NS_PER_S - 1) / (86400 * NS_PER_S) * 86400 * NS_PER_S;
}

enum role
widget_threshold_role(const struct dash_panel *cfg, double v, enum role dflt)
{
	enum role r = dflt;

	for (size_t i = 0; i < cfg->nth; i++)
		if (v >= cfg->th[i].value)
			r = cfg->th[i].role;
	return r;
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

void
widget_time_axis(struct canvas *cv, int x0, int w, int y, tns a, tns b, int utc)
{
	tns tick, t, off = 0;
	int last_end = -1;

	if (b <= a || w < 1)
		return;
	tick = time_tick(b - a, w);
	if (!utc) {
		/* ticks on local wall-clock boundaries */
		time_t secs = (time_t)(a / NS_PER_S);
		struct tm tm;
		localtime_r(&secs, &tm);
		off = (tns)tm.tm_gmtoff * NS_PER_S;
	}
	for (t = ((a + off + tick - 1) / tick) * tick - off; t <= b; t += tick) {
		char lab[32];
		int x = x0 + (int)((double)(t - a) / (double)(b - a) * (w - 1)), lw;
		if (tick >= 86400 * NS_PER_S) {
			char d[32];
			ts_fmt_datetime(d, sizeof d, t, utc);
			snprintf(lab, sizeof lab, "%.5s", d + 5);
		} else
			ts_fmt_clock(lab, sizeof lab, t, utc, tick < 60 * NS_PER_S);
		lw = (int)strlen(lab);
		x -= lw / 2;
		if (x <= last_end || x < x0 || x + lw > x0 + w)
			continue;
		canvas_str(cv, x, y, lw, lab, ROLE_AXIS, 0);
		last_end = x + lw;
	}
}
void
widget_sparkline(struct canvas *cv, int x, int y, int w, const struct series *s, tns a, tns b,
    double lo, double hi, enum glyphset gs, enum role role)
{
	size_t k;

	if (w <= 0 || b <= a || !s)
		return;
	if (isnan(lo) || isnan(hi)) {
		double l = INFINITY, h = -INFINITY;
		for (k = series_lower_bound(s, a); k < s->n && s->t[k] <= b; k++)
			if (isfinite(s->v[k])) {
				l = fmin(l, s->v[k]);
				h = fmax(h, s->v[k]);
			}
		if (isnan(lo))
			lo = l;
		if (isnan(hi))
			hi = h;
	}
	if (!isfinite(lo) || !isfinite(hi))
		return;
	if (hi - lo <= 1e-9 * fmax(fabs(hi), fabs(lo)))
		hi = lo;	/* float noise on a flat line is flat */
	k = series_lower_bound(s, a);
	for (int i = 0; i < w; i++) {
		tns t1 = a + (tns)((double)(b - a) * (i + 1) / w);
		double m = NAN;
		int lvl;
		for (; k < s->n && s->t[k] <= t1; k++)
			if (isfinite(s->v[k]) && (isnan(m) || s->v[k] > m))
				m = s->v[k];
		if (isnan(m))
			continue;
		if (hi > lo)
			lvl = 1 + (int)lround((m - lo) / (hi - lo) * 7);
		else
			lvl = m != 0 ? 4 : 1;
		canvas_put(cv, x + i, y, spark_glyph(lvl < 1 ? 1 : lvl > 8 ? 8 : lvl, gs), role, 0);
	}
}

const char *
widget_expr(const struct dash_panel *cfg, size_t qi)
{
	return qi < cfg->nq && cfg->q[qi].expr ? cfg->q[qi].expr : "";
}

int
widget_series_in(const struct series *s, tns a, tns b)
{
	size_t k = series_lower_bound(s, a);
	return k < s->n && s->t[k] <= b;
}

tns
widget_min_step(const struct panel *p, const struct wctx *c, tns opt)
{
	const char *name = dashboard_query_source(p->cfg, 0);
	const struct dash_source *src = NULL;
	const cJSON *v;
	tns d;

	if (opt > 0)
		return opt;
	for (size_t i = 0; c->db && i < c->db->nsrc && !src; i++)
		if (name ? strcmp(c->db->src[i].name, name) == 0 :
		    strcmp(c->db->src[i].type, "prometheus") == 0)
			src = &c->db->src[i];
	v = src ? dash_source_opt(src, "scrape_interval") : NULL;
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, &d) == 0 && d > 0)
		return d;
	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		return (tns)(v->valuedouble * NS_PER_S);
	return 15 * NS_PER_S;
}
