/* The slo panel drawn from a store filled with hand-chosen error ratios;
 * every number on screen is checked against hand computation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/slo.h"
#include "core/store.h"
#include "widgets/widget.h"
#include "tests/unit/t.h"

extern const struct widget_class slo_widget;

#define T0	(1795659420LL * NS_PER_S)

static const char dash[] =
    "{\"sources\": {\"prometheus\": {\"type\": \"prometheus\"}},\n"
    " \"slos\": [{\"name\": \"order-availability\", \"objective\": 99.9, \"period\": \"30d\",\n"
    "   \"errors\": \"sum(rate(e[$window]))\", \"total\": \"sum(rate(t[$window]))\"}],\n"
    " \"panels\": [{\"type\": \"slo\", \"title\": \"order\", \"options\": {\"slo\": \"order-availability\"}}]}";

/* error ratio per window: burn = ratio / 0.001 */
static const struct { const char *ref; double ratio; } ratios[] = {
	{ "w:5m", 0.092 }, { "w:30m", 0.0703 }, { "w:1h", 0.088 }, { "w:2h", 0.033 },
	{ "w:6h", 0.0201 }, { "w:1d", 0.0052 }, { "w:3d", 0.0008 }, { "w:30d", 0.000531 },
};

static void
put(struct store *st, const char *key, enum result_type rt, tns start, tns end, tns step,
    const tns *t, const double *v, size_t n)
{
	struct ev_series *e = ev_series_new(rt, start, end, step);
	struct ev_series_one *s = ev_series_add(e);
	struct event *ev;

	labels_finish(&s->labels);
	for (size_t i = 0; i < n; i++)
		ev_series_point(s, t[i], v[i]);
	ev = event_new(EV_SERIES, end, key, e);
	store_apply(st, ev);
	event_free(ev);
}

TEST(slo_widget_numbers)
{
	struct diag dg;
	struct dashboard *db;
	struct panel p;
	struct store *st = store_new(NULL);
	struct view view;
	struct wctx c;
	struct canvas *cv = canvas_new(70, 8);
	char *row;

	diag_init(&dg);
	db = dashboard_parse(dash, strlen(dash), "s.json", &dg);
	CHECK(db != NULL);
	if (!db) {
		store_free(st);
		canvas_free(cv);
		diag_free(&dg);
		return;
	}
	memset(&p, 0, sizeof p);
	p.cfg = &db->panels[0];
	p.cls = &slo_widget;
	CHECK(slo_widget.init(&p, &db->doc, &dg) == 0);
	view_init(&view, 3600 * NS_PER_S);
	view_set_end(&view, T0);
	memset(&c, 0, sizeof c);
	c.store = st;
	c.view = &view;
	c.now = c.end = T0;
	c.start = T0 - 3600 * NS_PER_S;
	c.cm = CM_256;
	p.nneed = slo_widget.needs(&p, &c, 68, 6, p.need, NEED_MAX);
	CHECK_INT(p.nneed, 9);
	for (size_t k = 0; k < p.nneed; k++) {
		const struct dash_query *q = &p.cfg->q[p.need[k].qi];
		p.key[k] = qkey_make("prometheus", p.need[k].kind, q->expr);
		for (size_t i = 0; i < sizeof ratios / sizeof *ratios; i++)
			if (strcmp(q->ref, ratios[i].ref) == 0) {
				tns t = T0;
				put(st, p.key[k], RT_VECTOR, T0, T0, 0, &t, &ratios[i].ratio, 1);
				CHECK_STR(p.need[k].kind, "instant");
			}
		if (strcmp(q->ref, "budget") == 0) {
			/* the period ratio over the hour: 0.0002 rising to 0.000531 */
			tns t[] = { T0 - 3600 * NS_PER_S, T0 - 1800 * NS_PER_S, T0 };
			double v[] = { 0.0002, 0.0004, 0.000531 };
			CHECK_STR(p.need[k].kind, "range");
			put(st, p.key[k], RT_MATRIX, t[0], T0, p.need[k].step, t, v, 3);
		}
	}
	slo_widget.draw(&p, cv, &c);
	row = canvas_row_text(cv, 0);
	CHECK_CONTAINS(row, "objective 99.9% over 30d");
	CHECK_CONTAINS(row, "SLI 99.947%");	/* 1 - 0.000531 */
	free(row);
	row = canvas_row_text(cv, 1);
	CHECK_CONTAINS(row, "46.9%");		/* 1 - 0.000531 / 0.001 */
	/* 0.469 * 720 h / 88 = 3.837 h */
	CHECK_CONTAINS(row, "empty in 3h50m at the 1h burn");
	free(row);
	row = canvas_row_text(cv, 2);
	CHECK_CONTAINS(row, "88.0x");
	CHECK_CONTAINS(row, "92.0x");
	CHECK_CONTAINS(row, ">14.4x");
	CHECK_CONTAINS(row, "FIRING");
	CHECK(canvas_cell(cv, 0, 2)->role == ROLE_ERROR);
	free(row);
	row = canvas_row_text(cv, 3);
	CHECK_CONTAINS(row, "20.1x");
	CHECK_CONTAINS(row, "70.3x");
	CHECK_CONTAINS(row, ">6x");
	free(row);
	row = canvas_row_text(cv, 4);
	CHECK_CONTAINS(row, "ticket");
	CHECK_CONTAINS(row, "5.2x");
	CHECK_CONTAINS(row, "33.0x");
	CHECK_CONTAINS(row, "firing");
	CHECK(canvas_cell(cv, 0, 4)->role == ROLE_WARN);
	free(row);
	/* 3d burns at 0.8x: below 1x although its 6h window burns at 20.1x */
	row = canvas_row_text(cv, 5);
	CHECK_CONTAINS(row, "0.8x");
	CHECK_CONTAINS(row, "ok");
	CHECK(canvas_cell(cv, 0, 5)->role == ROLE_TEXT);
	free(row);
	row = canvas_row_text(cv, 7);
	CHECK_CONTAINS(row, "budget");
	free(row);
	{
		/* the sparkline falls from 80 % to 46.9 % of the budget left */
		int first = -1, last = -1;
		for (int x = 0; x < cv->w; x++) {
			uint32_t ch = canvas_cell(cv, x, 7)->ch;
			if (ch >= 0x2581 && ch <= 0x2588) {
				if (first < 0)
					first = (int)ch;
				last = (int)ch;
			}
		}
		CHECK(first == 0x2587 && last == 0x2584);	/* levels 7 (80 %) and 4 (46.9 %) */
	}
	for (size_t k = 0; k < p.nneed; k++)
		free(p.key[k]);
	store_free(st);
	canvas_free(cv);
	dashboard_free(db);
	diag_free(&dg);
}
