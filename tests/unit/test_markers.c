/* Unit tests: change markers drawn on a graph's plot area. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/canvas.h"
#include "core/marker.h"
#include "core/store.h"
#include "core/series.h"
#include "core/view.h"
#include "widgets/changemarks.h"
#include "tests/unit/t.h"

static struct wctx
ctx(struct store *st, struct view *v, int ascii)
{
	struct wctx c;
	memset(&c, 0, sizeof c);
	c.store = st;
	c.view = v;
	c.ascii = ascii;
	return c;
}

TEST(markers_glyphs_ticks_and_priority)
{
	struct store *st = store_new(NULL);
	struct marker_list *ml = (struct marker_list *)store_markers(st);
	struct canvas *cv = canvas_new(41, 5);
	struct view v;
	struct wctx c;
	tns a = 1000 * NS_PER_S, b = 1040 * NS_PER_S;
	char *row;

	view_init(&v, 40 * NS_PER_S);
	marker_add(ml, a + 10 * NS_PER_S, MK_RESTART, "restart x");
	marker_add(ml, a + 10 * NS_PER_S, MK_ROLLOUT, "ScalingReplicaSet payment");	/* same column */
	marker_add(ml, a + 30 * NS_PER_S, MK_SCALE, "SuccessfulRescale payment");
	marker_add(ml, a + 30 * NS_PER_S, MK_SCALE, "SuccessfulRescale payment");	/* duplicate */
	marker_add(ml, b + 5 * NS_PER_S, MK_ROLLOUT, "outside the window");
	CHECK_INT(ml->n, 4);
	canvas_put(cv, 10, 2, 'x', ROLE_SERIES1, 0);	/* plotted data */
	c = ctx(st, &v, 0);
	CHECK_INT(changemarks_draw(cv, &c, 0, 41, 0, 5, a, b), 2);
	CHECK_INT(canvas_cell(cv, 10, 0)->ch, 0x25B2);		/* rollout beats restart */
	CHECK_INT(canvas_cell(cv, 30, 0)->ch, 0x25C6);
	CHECK_INT(canvas_cell(cv, 10, 0)->role, ROLE_MARKER);
	CHECK_INT(canvas_cell(cv, 10, 1)->ch, 0x250A);		/* tick below */
	CHECK_INT(canvas_cell(cv, 10, 2)->ch, 'x');		/* data stays */
	CHECK_INT(canvas_cell(cv, 20, 1)->ch, ' ');
	canvas_free(cv);
	cv = canvas_new(41, 5);
	c = ctx(st, &v, 1);
	changemarks_draw(cv, &c, 0, 41, 0, 5, a, b);
	row = canvas_row_text(cv, 0);
	CHECK_STR(row, "          R                   S");
	free(row);
	row = canvas_row_text(cv, 1);
	CHECK_STR(row, "          :                   :");
	free(row);
	/* a window without markers draws nothing */
	CHECK_INT(changemarks_draw(cv, &c, 0, 41, 0, 5, b + 100 * NS_PER_S, b + 200 * NS_PER_S), 0);
	canvas_free(cv);
	store_free(st);
}

TEST(markers_list_bounded_and_sorted)
{
	struct marker_list l;
	marker_list_init(&l, 3);
	marker_add(&l, 5 * NS_PER_S, MK_SCALE, "e");
	marker_add(&l, 1 * NS_PER_S, MK_SCALE, "a");
	marker_add(&l, 3 * NS_PER_S, MK_SCALE, "c");
	marker_add(&l, 4 * NS_PER_S, MK_SCALE, "d");	/* drops the oldest */
	marker_add(&l, 0, MK_SCALE, "older than all kept");
	CHECK_INT(l.n, 3);
	CHECK_INT(l.dropped, 2);
	CHECK_STR(l.m[0].what, "c");
	CHECK_STR(l.m[2].what, "e");
	CHECK_INT(marker_lower_bound(&l, 4 * NS_PER_S), 1);
	marker_list_free(&l);
}

/* The graph widget draws the markers (its one call into markers.c). */
TEST(markers_on_a_real_graph_panel)
{
	struct store *st = store_new(NULL);
	struct marker_list *ml = (struct marker_list *)store_markers(st);
	const char *key = "prom\x1frange\x1fup";
	struct ev_series *es = ev_series_new(RT_MATRIX, 0, 0, 60 * NS_PER_S);
	struct ev_series_one *one = ev_series_add(es);
	tns end = 1795660320LL * NS_PER_S, start = end - 3600 * NS_PER_S;
	struct dash_panel cfg;
	struct dash_query q = { .expr = "up", .ref = "A" };
	struct panel p;
	struct view v;
	struct wctx c;
	struct canvas *cv = canvas_new(80, 12);
	struct event *ev;
	int found = 0;

	es->start = start;
	es->end = end;
	for (tns t = start; t <= end; t += 60 * NS_PER_S)
		ev_series_point(one, t, 100.0);
	ev = event_new(EV_SERIES, end, key, es);
	store_apply(st, ev);
	event_free(ev);
	marker_add(ml, end - 1800 * NS_PER_S, MK_ROLLOUT, "ScalingReplicaSet payment");
	memset(&cfg, 0, sizeof cfg);
	memset(&p, 0, sizeof p);
	cfg.type = "graph";
	cfg.path = "t";
	cfg.decimals = -1;
	cfg.min = cfg.max = NAN;
	cfg.q = &q;
	cfg.nq = 1;
	p.cfg = &cfg;
	p.cls = widget_class_find("graph");
	p.cls->init(&p, NULL, NULL);
	p.nneed = 1;
	p.need[0] = (struct need){ .qi = 0, .kind = "range", .step = 60 * NS_PER_S };
	p.key[0] = (char *)key;
	view_init(&v, 3600 * NS_PER_S);
	c = ctx(st, &v, 0);
	c.now = c.end = end;
	c.start = start;
	c.gs = GS_BRAILLE;
	p.cls->draw(&p, cv, &c);
	for (int x = 0; x < cv->w; x++)
		found += canvas_cell(cv, x, 0)->ch == 0x25B2;
	CHECK_INT(found, 1);
	p.cls->free(&p);
	canvas_free(cv);
	store_free(st);
}
