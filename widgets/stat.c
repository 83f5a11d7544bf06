/* stat: one number that answers "how bad is it now": the current value
 * (3 significant digits with its unit: 2.13 s, 845 ms, 12.8k req/s,
 * 92.0 %) drawn big when there is room, coloured by the thresholds, a
 * sparkline of the window underneath and the change since the window
 * started.  Several series become side-by-side tiles (stacked when the
 * panel is narrow).  Data: a range query over the window (one point per
 * cell), so the sparkline and the delta come from the same answer.
 * NaN (no traffic) shows as "—", never 0.
 * Options: "reduce" (what one number stands for: last, first, min, max,
 * mean, median, sum, count, range, diff, delta), "mappings" (value to
 * text, widgets/valuemap.h), "color" ("value": coloured by thresholds,
 * "none"), "orientation" (tiles "horizontal" side by side, "vertical"
 * stacked, "auto"), "limit" (tiles at most), "sparkline", "delta". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "widgets/bigtext.h"
#include "widgets/legend.h"
#include "widgets/valuemap.h"
#include "widgets/widget.h"

#define MAX_TILES	16

static const char *const stat_types[] = { "prometheus", "loki", NULL };
static const char *const stat_opts[] = { "reduce", "sparkline", "delta", "min_step", "mappings", "color",
	"orientation", "limit", NULL };

enum reduce { R_LAST, R_FIRST, R_MAX, R_MIN, R_MEAN, R_MEDIAN, R_SUM, R_COUNT, R_RANGE, R_DIFF,
	R_DELTA, R_N };
static const char *const reduce_names[R_N] = { "last", "first", "max", "min", "mean", "median", "sum",
	"count", "range", "diff", "delta" };

enum orient { OR_AUTO, OR_HORIZONTAL, OR_VERTICAL };

struct stat_state {
	enum reduce	 reduce;
	int		 spark;
	int		 delta;
	int		 colour;	/* thresholds colour the value */
	enum orient	 orient;
	int		 limit;
	tns		 min_step;
	struct valuemap	 vm;
};

static int
stat_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct stat_state *s = xcalloc(1, sizeof *s);
	const cJSON *o = p->cfg->options;
	const char *path = p->cfg->path, *r = jd_str(doc, dg, o, path, "reduce", "last");
	const char *col = jd_str(doc, dg, o, path, "color", "value");
	const char *orient = jd_str(doc, dg, o, path, "orientation", "auto");

	s->reduce = R_N;
	for (int i = 0; i < R_N; i++)
		if (strcmp(r, reduce_names[i]) == 0)
			s->reduce = (enum reduce)i;
	if (s->reduce == R_N) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "reduce"), 0,
		    "%s.options.reduce: expected last, first, min, max, mean, median, sum, count, range, "
		    "diff or delta", path);
		s->reduce = R_LAST;
	}
	s->colour = strcmp(col, "none") != 0;
	if (strcmp(col, "value") && strcmp(col, "none"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "color"), 0,
		    "%s.options.color: expected \"value\" or \"none\"", path);
	s->orient = strcmp(orient, "horizontal") == 0 ? OR_HORIZONTAL : strcmp(orient, "vertical") == 0 ?
	    OR_VERTICAL : OR_AUTO;
	if (s->orient == OR_AUTO && strcmp(orient, "auto"))
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "orientation"), 0,
		    "%s.options.orientation: expected auto, horizontal or vertical", path);
	s->limit = jd_int(doc, dg, o, path, "limit", 0, 0, MAX_TILES);
	s->spark = jd_bool(doc, dg, o, path, "sparkline", 1);
	s->delta = jd_bool(doc, dg, o, path, "delta", 1);
	s->min_step = jd_duration(doc, dg, o, path, "min_step", 0);
	valuemap_init(&s->vm, doc, dg, o, path);
	p->w = s;
	return 0;
}

static void
stat_free(struct panel *p)
{
	struct stat_state *s = p->w;

	if (s)
		valuemap_free(&s->vm);
	free(s);
	p->w = NULL;
}

static size_t
stat_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct stat_state *s = p->w;
	/* two points per sparkline cell, so no cell falls between points */
	tns step = widget_step(c->view->range, 2 * (w > 4 ? w : 4),
	    widget_min_step(p, c, s->min_step));
	size_t n = 0;

	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max; i++)
		if (!p->cfg->q[i].hide)
			out[n++] = (struct need){ .qi = i, .kind = "range", .step = step };
	return n;
}

struct tile {
	const struct series	*s;
	char			 name[128];
};

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Reduce the finite points inside [a, b]; *first gets the first one.
 * "last" of a window whose latest answer is NaN is NaN: no traffic now. */
static double
reduce(const struct series *s, tns a, tns b, enum reduce r, double *first)
{
	size_t k0 = series_lower_bound(s, a), n = 0, cap = 0;
	double acc = NAN, sum = 0, lo = NAN, hi = NAN, prev = NAN, delta = 0, last = NAN, *v = NULL;

	*first = NAN;
	for (size_t k = k0; k < s->n && s->t[k] <= b; k++) {
		double x = s->v[k];
		last = x;
		if (!isfinite(x))
			continue;
		if (isnan(*first))
			*first = x;
		if (!isnan(prev) && x > prev)
			delta += x - prev;
		prev = x;
		sum += x;
		lo = isnan(lo) || x < lo ? x : lo;
		hi = isnan(hi) || x > hi ? x : hi;
		if (r == R_MEDIAN) {
			if (n == cap)
				v = xreallocarray(v, cap = cap ? 2 * cap : 64, sizeof *v);
			v[n] = x;
		}
		n++;
	}
	switch (r) {
	case R_LAST: acc = last; break;
	case R_FIRST: acc = *first; break;
	case R_MAX: acc = hi; break;
	case R_MIN: acc = lo; break;
	case R_MEAN: acc = n ? sum / (double)n : NAN; break;
	case R_SUM: acc = n ? sum : NAN; break;
	case R_COUNT: acc = (double)n; break;
	case R_RANGE: acc = n ? hi - lo : NAN; break;
	case R_DIFF: acc = n ? prev - *first : NAN; break;
	case R_DELTA: acc = n ? delta : NAN; break;
	case R_MEDIAN:
		if (n) {
			qsort(v, n, sizeof *v, dbl_cmp);
			acc = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		}
		break;
	case R_N: break;
	}
	free(v);
	return acc;
}

/* "8.40 s" -> number "8.40", suffix "s"; "12.8k req/s" -> "12.8", "k req/s". */
static void
split_value(const char *txt, char *num, size_t nn, const char **suffix)
{
	size_t i = 0;

	while (txt[i] && strchr("0123456789.,+-", txt[i]) && i + 1 < nn) {
		num[i] = txt[i];
		i++;
	}
	num[i] = '\0';
	*suffix = txt + i;
	while (**suffix == ' ')
		(*suffix)++;
}

static void
draw_value(struct canvas *cv, int y, const char *txt, enum role role, int big, int ascii)
{
	char num[48];
	const char *suf;
	int bw, sw, x;

	split_value(txt, num, sizeof num, &suf);
	bw = *num && !ascii ? bigtext_width(num) : 0;
	sw = san_width(suf, strlen(suf), 0);
	if (big && bw && bw + 1 + sw <= cv->w) {
		x = (cv->w - bw - (sw ? sw + 1 : 0)) / 2;
		x += bigtext_draw(cv, x, y, num, role);
		if (sw)
			canvas_str(cv, x + 1, y + BIG_ROWS - 1, cv->w - x - 1, suf, role, CA_BOLD);
		return;
	}
	x = (cv->w - san_width(txt, strlen(txt), 0)) / 2;
	canvas_str(cv, x < 0 ? 0 : x, y + (big ? 1 : 0), cv->w, txt, role, CA_BOLD);
}

static void
draw_delta(struct canvas *cv, int y, double first, double last, const struct wctx *c,
    const struct dash_panel *cfg)
{
	char d[48], line[128], when[16], rel[32] = "";
	double delta = last - first, pct = first != 0 ? delta / fabs(first) * 100 : NAN;
	const char *arrow = c->ascii ? (delta > 0 ? "^" : "v") : delta > 0 ? "\xe2\x96\xb2" :
	    "\xe2\x96\xbc";
	int x;

	if (!isfinite(first) || !isfinite(last))
		return;
	if (fabs(delta) <= 1e-9 * fmax(fabs(first), fabs(last)))
		delta = 0;	/* float noise of the same value */
	unit_format(fabs(delta), cfg->unit, cfg->decimals, d, sizeof d);
	ts_fmt_clock(when, sizeof when, c->start, c->view->utc, 0);
	if (isfinite(pct) && fabs(pct) < 1000)
		snprintf(rel, sizeof rel, " (%+.3g %%)", pct);
	else if (isfinite(pct) && first > 0 && last > 0)
		snprintf(rel, sizeof rel, " (x%.3g)", last / first);
	if (delta == 0)
		snprintf(line, sizeof line, "same as at %s", when);
	else
		snprintf(line, sizeof line, "%s %s%s%s since %s", arrow, delta > 0 ? "+" : "-", d, rel,
		    when);
	if (san_width(line, strlen(line), 0) > cv->w) {
		char *cut = strstr(line, " since ");
		if (cut)
			*cut = '\0';
	}
	x = (cv->w - san_width(line, strlen(line), 0)) / 2;
	canvas_str(cv, x < 0 ? 0 : x, y, cv->w, line, ROLE_DIM, 0);
}

static void
draw_tile(struct panel *p, struct canvas *cv, const struct wctx *c, const struct tile *t, int named)
{
	struct stat_state *st = p->w;
	double first, v = reduce(t->s, c->start, c->end, st->reduce, &first);
	double last_finite = NAN;
	char txt[64];
	enum role role = isnan(v) ? ROLE_DIM :
	    widget_threshold_role(p->cfg, v, p->cfg->nth ? ROLE_OK : ROLE_TITLE);
	int rows_name = named && cv->h >= 3, big = cv->h - rows_name >= BIG_ROWS;
	int rows = rows_name + (big ? BIG_ROWS : 1), spark = 0, delta = 0, y;

	int mrole = -1;
	const char *mapped;

	unit_format(v, p->cfg->unit, p->cfg->decimals, txt, sizeof txt);
	if (!st->colour && !isnan(v))
		role = ROLE_TITLE;
	if ((mapped = valuemap_apply(&st->vm, v, txt, &mrole)) && *mapped)
		snprintf(txt, sizeof txt, "%s", mapped);
	if (mrole >= 0)
		role = (enum role)mrole;
	if (st->spark && cv->h - rows >= 1 && cv->w >= 4)
		spark = 1;
	if (st->delta && cv->h - rows - spark >= 1 && cv->w >= 10)
		delta = 1;
	rows += spark + delta;
	y = (cv->h - rows) / 2;
	if (rows_name) {
		struct text_opts o = { .role = ROLE_LEGEND, .ellipsis = 1 };
		int w = san_width(t->name, strlen(t->name), 0);
		canvas_text(cv, w < cv->w ? (cv->w - w) / 2 : 0, y++, cv->w, t->name, strlen(t->name),
		    &o, NULL);
	}
	draw_value(cv, y, txt, role, big, c->ascii);
	y += big ? BIG_ROWS : 1;
	if (spark) {
		int sw = cv->w > 60 ? 60 : cv->w;
		widget_sparkline(cv, (cv->w - sw) / 2, y++, sw, t->s, c->start, c->end, NAN, NAN,
		    c->gs, isnan(v) ? ROLE_DIM : role == ROLE_TITLE ? ROLE_SERIES1 : role);
	}
	if (delta) {
		for (size_t k = series_lower_bound(t->s, c->start); k < t->s->n && t->s->t[k] <= c->end; k++)
			if (isfinite(t->s->v[k]))
				last_finite = t->s->v[k];
		draw_delta(cv, y, first, last_finite, c, p->cfg);
	}
}

static size_t
collect(struct panel *p, const struct wctx *c, struct tile *out, size_t max)
{
	size_t n = 0;

	for (size_t k = 0; k < p->nneed; k++) {
		const struct sslot *sl;
		if (!p->key[k] || !(sl = store_series(c->store, p->key[k], p->need[k].step)))
			continue;
		for (size_t i = 0; i < sl->n && n < max; i++) {
			size_t qi = p->need[k].qi;
			if (!widget_series_in(sl->s[i], c->start, c->end))
				continue;
			out[n].s = sl->s[i];
			legend_name(&sl->s[i]->labels, p->cfg->q[qi].legend, p->cfg->q[qi].expr,
			    out[n].name, sizeof out[n].name);
			n++;
		}
	}
	return n;
}

static void
stat_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct stat_state *st = p->w;
	struct tile t[MAX_TILES];
	size_t n = collect(p, c, t, st->limit ? (size_t)st->limit : MAX_TILES);
	int cols, rows;

	if (!n) {
		const char *m = "no data in this window";
		int x = (cv->w - (int)strlen(m)) / 2;
		canvas_str(cv, x > 0 ? x : 0, cv->h / 2, cv->w, m, ROLE_DIM, 0);
		return;
	}
	/* side by side when each tile gets 14 columns, else stacked (or as
	 * the orientation says, as long as a tile keeps 4 columns) */
	cols = st->orient == OR_VERTICAL ? 1 : (int)n;
	while (cols > 1 && cv->w / cols < (st->orient == OR_HORIZONTAL ? 4 : 14))
		cols--;
	rows = ((int)n + cols - 1) / cols;
	if (rows > cv->h)
		rows = cv->h > 0 ? cv->h : 1;
	for (int i = 0; i < (int)n && i < cols * rows; i++) {
		int r = i / cols, col = i % cols;
		int x0 = cv->w * col / cols, x1 = cv->w * (col + 1) / cols;
		int y0 = cv->h * r / rows, y1 = cv->h * (r + 1) / rows;
		struct canvas sub = canvas_sub(cv, (struct rect){ x0, y0, x1 - x0 - (col + 1 < cols),
		    y1 - y0 });
		if (sub.w > 0 && sub.h > 0)
			draw_tile(p, &sub, c, &t[i], n > 1);
	}
}

const struct widget_class stat_widget = {
	.name = "stat",
	.help = "the current value, big, coloured by thresholds, with a sparkline and the change",
	.source_types = stat_types,
	.option_keys = stat_opts,
	.init = stat_init,
	.free = stat_free,
	.needs = stat_needs,
	.draw = stat_draw,
};
