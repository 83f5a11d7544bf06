/* Heatmap: bucket de-accumulation, quantile lines and drawing, with a store
 * filled by hand-built histogram series (the values of the seed fixture,
 * apis.md §8: per step checkout adds [50,80,90,96,100,100] and cart
 * [80,98,100,100,100,100] at le 0.1 0.25 0.5 1 2.5 +Inf). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "core/xalloc.h"
#include "widgets/heatgrid.h"
#include "widgets/widget.h"
#include "tests/unit/t.h"

extern const struct widget_class heatmap_widget;

static const char *const les[] = { "0.1", "0.25", "0.5", "1", "2.5", "+Inf" };
static const double checkout[] = { 50, 80, 90, 96, 100, 100 };
static const double cart[] = { 80, 98, 100, 100, 100, 100 };

#define T0	(1795659420LL * NS_PER_S)	/* 2026-11-26T02:17:00Z */
#define STEP	(60 * NS_PER_S)

/* One series per le (and service), a point every step in [T0, T0 + 10 steps),
 * skipping step `gap` (-1: none). */
static struct ev_series *
histogram(int both, int gap)
{
	struct ev_series *e = ev_series_new(RT_MATRIX, T0, T0 + 9 * STEP, STEP);

	for (int svc = 0; svc < (both ? 2 : 1); svc++)
		for (size_t b = 0; b < 6; b++) {
			struct ev_series_one *s = ev_series_add(e);
			labels_set(&s->labels, "le", les[b]);
			labels_set(&s->labels, "service", svc ? "cart" : "checkout");
			labels_finish(&s->labels);
			for (int k = 0; k < 10; k++)
				if (k != gap)
					ev_series_point(s, T0 + k * STEP, svc ? cart[b] : checkout[b]);
		}
	return e;
}

static struct store *
store_with(const char *key, struct ev_series *e)
{
	struct store *st = store_new(NULL);
	struct event *ev = event_new(EV_SERIES, T0, key, e);
	store_apply(st, ev);
	event_free(ev);
	return st;
}

TEST(heatgrid_cells_and_quantiles)
{
	struct store *st = store_with("k", histogram(0, 3));
	const struct sslot *sl = store_series(st, "k", STEP);
	static const double q[] = { 0.5, 0.99 };
	struct heatgrid g;

	CHECK(sl && sl->n == 6);
	if (!sl) {
		store_free(st);
		return;
	}
	heatgrid_build(&g, (const struct series *const *)sl->s, sl->n, T0, T0 + 10 * STEP, 10, q, 2);
	CHECK_INT(g.nb, 6);
	CHECK(isinf(g.le[5]));
	/* de-accumulated: 50, 30, 10, 6, 4, 0 per second in every column */
	CHECK_NEAR(heatgrid_cell(&g, 0, 0), 50, 0);
	CHECK_NEAR(heatgrid_cell(&g, 0, 1), 30, 0);
	CHECK_NEAR(heatgrid_cell(&g, 5, 2), 10, 0);
	CHECK_NEAR(heatgrid_cell(&g, 9, 3), 6, 0);
	CHECK_NEAR(heatgrid_cell(&g, 9, 4), 4, 0);
	CHECK_NEAR(heatgrid_cell(&g, 9, 5), 0, 0);
	CHECK_NEAR(g.total[0], 100, 0);
	CHECK_NEAR(g.max, 50, 0);
	/* P50 = 0.1 * 50/50; P99 = 1 + 1.5 * 3/4 */
	CHECK_NEAR(g.q[0 * 10 + 0], 0.1, 1e-12);
	CHECK_NEAR(g.q[1 * 10 + 0], 2.125, 1e-12);
	/* the missing step is a gap, never zero */
	CHECK(isnan(heatgrid_cell(&g, 3, 0)) && isnan(g.q[10 + 3]) && isnan(g.total[3]));
	heatgrid_free(&g);
	/* 5 columns: two points per column averaged (same values here) */
	heatgrid_build(&g, (const struct series *const *)sl->s, sl->n, T0, T0 + 10 * STEP, 5, q, 2);
	CHECK_NEAR(heatgrid_cell(&g, 1, 1), 30, 0);	/* column 1 holds steps 2 and 3 (3 missing) */
	heatgrid_free(&g);
	store_free(st);
}

TEST(heatgrid_sums_series_of_one_bound)
{
	struct store *st = store_with("k", histogram(1, -1));
	const struct sslot *sl = store_series(st, "k", STEP);
	static const double q[] = { 0.99 };
	struct heatgrid g;

	CHECK(sl && sl->n == 12);
	if (!sl) {
		store_free(st);
		return;
	}
	heatgrid_build(&g, (const struct series *const *)sl->s, sl->n, T0, T0 + 10 * STEP, 10, q, 1);
	CHECK_INT(g.nb, 6);
	CHECK_INT(g.nseries, 12);
	/* [130,178,190,196,200,200]: P99 = 1 + 1.5 * (198 - 196) / 4 */
	CHECK_NEAR(g.q[4], 1.75, 1e-12);
	CHECK_NEAR(heatgrid_cell(&g, 4, 0), 130, 0);
	CHECK_NEAR(heatgrid_cell(&g, 4, 1), 48, 0);
	heatgrid_free(&g);
	store_free(st);
}

static const char dash[] =
    "{\"sources\": {\"prometheus\": {\"type\": \"prometheus\"}},\n"
    " \"panels\": [{\"type\": \"heatmap\", \"title\": \"latency\",\n"
    "  \"query\": \"sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval]))\"}]}";

struct fixture {
	struct dashboard	*db;
	struct panel		 p;
	struct store		*st;
	struct view		 view;
	struct wctx		 c;
	struct canvas		*cv;
};

static int
setup(struct fixture *fx, int cols, int rows, enum colormode cm, int gap)
{
	struct diag dg;

	memset(fx, 0, sizeof *fx);
	diag_init(&dg);
	fx->db = dashboard_parse(dash, strlen(dash), "h.json", &dg);
	diag_free(&dg);
	if (!fx->db)
		return -1;
	fx->p.cfg = &fx->db->panels[0];
	fx->p.cls = &heatmap_widget;
	fx->p.visible = 1;
	diag_init(&dg);
	heatmap_widget.init(&fx->p, &fx->db->doc, &dg);
	diag_free(&dg);
	view_init(&fx->view, 10 * STEP);
	view_set_end(&fx->view, T0 + 10 * STEP);
	fx->c.view = &fx->view;
	fx->c.now = T0 + 10 * STEP;
	fx->c.start = T0;
	fx->c.end = T0 + 10 * STEP;
	fx->c.cm = cm;
	fx->c.db = fx->db;
	fx->p.nneed = heatmap_widget.needs(&fx->p, &fx->c, cols, rows, fx->p.need, NEED_MAX);
	fx->p.key[0] = qkey_make("prometheus", "range", fx->p.cfg->q[0].expr);
	/* the panel asks for a finer step; the store answers with the nearest (60s),
	 * as in a replay at another size, and the columns follow the data's step */
	fx->st = store_with(fx->p.key[0], histogram(0, gap));
	fx->c.store = fx->st;
	fx->cv = canvas_new(cols, rows);
	return 0;
}

static void
teardown(struct fixture *fx)
{
	heatmap_widget.free(&fx->p);
	free(fx->p.key[0]);
	store_free(fx->st);
	canvas_free(fx->cv);
	dashboard_free(fx->db);
}

/* Occurrences of ch in the plot rows (above the axis and value lines). */
static int
count_glyph(const struct canvas *cv, uint32_t ch, int *row)
{
	int n = 0;
	for (int y = 0; y < cv->h - 2; y++)
		for (int x = 0; x < cv->w; x++)
			if (canvas_cell(cv, x, y)->ch == ch) {
				n++;
				if (row)
					*row = y;
			}
	return n;
}

TEST(heatmap_draws_buckets_lines_and_values)
{
	struct fixture fx;
	char *last;
	int p99_row = -1, p50_row = -1;

	/* 9 axis columns + 50 plot columns: the 10 steps, 5 cells each */
	if (setup(&fx, 59, 9, CM_256, -1) < 0) {
		t_fail(__FILE__, __LINE__, "setup");
		return;
	}
	heatmap_widget.draw(&fx.p, fx.cv, &fx.c);
	/* 7 plot rows for 6 buckets; P99 (2.125 s, in the 1..2.5 s bucket) above P50 */
	CHECK(count_glyph(fx.cv, 0x2501, &p99_row) == 50);
	CHECK(count_glyph(fx.cv, 0x2500, &p50_row) == 50);
	CHECK(p99_row >= 0 && p50_row > p99_row);
	/* the 50/s bucket is the brightest level, the empty +Inf bucket blank */
	{
		struct cell *c = canvas_cell(fx.cv, 9, 6);
		CHECK(c->ch == 0x2588 && c->role == ROLE_HEAT8);
		c = canvas_cell(fx.cv, 9, 0);
		CHECK(c->ch == ' ');
	}
	last = canvas_row_text(fx.cv, 8);
	CHECK_CONTAINS(last, "P99 2.1");
	CHECK_CONTAINS(last, "P50 100 ms");
	CHECK_CONTAINS(last, "n 100/s");
	free(last);
	last = canvas_row_text(fx.cv, 0);
	CHECK_CONTAINS(last, ">2.50 s");	/* the +Inf band */
	free(last);
	teardown(&fx);
}

TEST(heatmap_mono_density_and_gap)
{
	struct fixture fx;
	int gap_blank = 1;

	if (setup(&fx, 59, 9, CM_MONO, 4) < 0) {
		t_fail(__FILE__, __LINE__, "setup");
		return;
	}
	heatmap_widget.draw(&fx.p, fx.cv, &fx.c);
	/* monochrome: density glyphs, the densest for the 50/s bucket */
	CHECK(canvas_cell(fx.cv, 9, 6)->ch == 0x2588);
	CHECK(count_glyph(fx.cv, 0x2591, NULL) + count_glyph(fx.cv, 0x2592, NULL) +
	    count_glyph(fx.cv, 0x2593, NULL) > 0);
	/* step 4 has no data: its column is empty, not a zero row */
	for (int y = 0; y < 7; y++)
		for (int x = 9 + 20; x < 9 + 25; x++)
			if (canvas_cell(fx.cv, x, y)->ch != ' ')
				gap_blank = 0;
	CHECK(gap_blank);
	/* the cursor on the gap says so */
	fx.view.cursor = T0 + 4 * STEP + STEP / 2;
	canvas_clear(fx.cv, ROLE_DEFAULT);
	heatmap_widget.draw(&fx.p, fx.cv, &fx.c);
	{
		char *l = canvas_row_text(fx.cv, 8);
		CHECK_CONTAINS(l, "P99 \xe2\x80\x94");	/* no data: an em dash, never 0 */
		free(l);
	}
	teardown(&fx);
}

TEST(heatmap_not_a_histogram)
{
	struct fixture fx;
	struct ev_series *e;
	struct event *ev;
	char *l;

	if (setup(&fx, 40, 6, CM_256, -1) < 0) {
		t_fail(__FILE__, __LINE__, "setup");
		return;
	}
	store_free(fx.st);
	e = ev_series_new(RT_MATRIX, T0, T0 + 9 * STEP, STEP);
	{
		struct ev_series_one *s = ev_series_add(e);
		labels_set(&s->labels, "service", "x");
		labels_finish(&s->labels);
		ev_series_point(s, T0, 1);
	}
	fx.st = store_new(NULL);
	ev = event_new(EV_SERIES, T0, fx.p.key[0], e);
	store_apply(fx.st, ev);
	event_free(ev);
	fx.c.store = fx.st;
	heatmap_widget.draw(&fx.p, fx.cv, &fx.c);
	l = canvas_row_text(fx.cv, 0);
	CHECK_CONTAINS(l, "not a histogram");
	free(l);
	teardown(&fx);
}
