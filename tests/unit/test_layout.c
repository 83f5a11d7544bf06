/* Unit tests: layout arithmetic (grid scaling, rows, collapsed rows, zoom,
 * scrolling) and focus movement. */
#include <stdlib.h>

#include "core/xalloc.h"
#include "tests/unit/t.h"
#include "tui/app.h"

static struct app *
board(const char *json, int cols, int rows)
{
	struct app *a = xcalloc(1, sizeof *a);
	struct diag dg;

	diag_init(&dg);
	a->db = dashboard_parse(json, strlen(json), "t.json", &dg);
	if (!a->db) {
		t_fail(__FILE__, __LINE__, "parse: %s", diag_first_error(&dg));
		diag_free(&dg);
		free(a);
		return NULL;
	}
	diag_free(&dg);
	a->npanels = a->db->npanels;
	a->panels = xcalloc(a->npanels + 1, sizeof *a->panels);
	a->focus = -1;
	a->zoom = -1;
	for (size_t i = 0; i < a->npanels; i++) {
		a->panels[i].cfg = &a->db->panels[i];
		a->panels[i].cls = widget_class_find(a->db->panels[i].type);
		a->panels[i].collapsed = a->db->panels[i].collapsed;
		if (a->focus < 0 && strcmp(a->db->panels[i].type, "row") != 0)
			a->focus = (int)i;
	}
	a->cols = cols;
	a->rows = rows;
	layout_compute(a, 0, rows - 1);
	return a;
}

static void
board_free(struct app *a)
{
	if (!a)
		return;
	free(a->panels);
	dashboard_free(a->db);
	free(a);
}

static void
relayout(struct app *a, int cols, int rows)
{
	a->cols = cols;
	a->rows = rows;
	layout_compute(a, 0, rows - 1);
}

#define RECT_IS(p, X, Y, W, H) do {						\
	struct rect _r = (p).r;							\
	if (_r.x != (X) || _r.y != (Y) || _r.w != (W) || _r.h != (H))		\
		t_fail(__FILE__, __LINE__, "rect %d,%d %dx%d, expected %d,%d %dx%d",	\
		    _r.x, _r.y, _r.w, _r.h, (X), (Y), (W), (H));			\
} while (0)

/* 2 x 2 panels of 12 x 8 grid units */
static const char quad[] = "{\"panels\": ["
    "{\"type\":\"text\",\"title\":\"tl\",\"grid\":{\"x\":0,\"y\":0,\"w\":12,\"h\":8}},"
    "{\"type\":\"text\",\"title\":\"tr\",\"grid\":{\"x\":12,\"y\":0,\"w\":12,\"h\":8}},"
    "{\"type\":\"text\",\"title\":\"bl\",\"grid\":{\"x\":0,\"y\":8,\"w\":12,\"h\":8}},"
    "{\"type\":\"text\",\"title\":\"br\",\"grid\":{\"x\":12,\"y\":8,\"w\":12,\"h\":8}}]}";

TEST(layout_grid_scales_to_terminal)
{
	struct app *a = board(quad, 80, 33);	/* 32 rows for 16 units: scale 2 */

	if (!a)
		return;
	RECT_IS(a->panels[0], 0, 0, 40, 16);
	RECT_IS(a->panels[1], 40, 0, 40, 16);
	RECT_IS(a->panels[2], 0, 16, 40, 16);
	RECT_IS(a->panels[3], 40, 16, 40, 16);
	CHECK_INT(a->content_h, 32);
	/* odd widths: neighbours share edges and the row fills the width */
	relayout(a, 81, 33);
	RECT_IS(a->panels[0], 0, 0, 40, 16);
	RECT_IS(a->panels[1], 40, 0, 41, 16);
	/* rows round to the nearest cell: 23 rows / 16 units = 1.4375 */
	relayout(a, 80, 24);
	RECT_IS(a->panels[0], 0, 0, 40, 12);
	RECT_IS(a->panels[2], 0, 12, 40, 11);
	CHECK_INT(a->content_h, 23);
	board_free(a);
}

TEST(layout_column_arithmetic_is_exact)
{
	static const char three[] = "{\"panels\": ["
	    "{\"type\":\"text\",\"grid\":{\"x\":0,\"y\":0,\"w\":8,\"h\":4}},"
	    "{\"type\":\"text\",\"grid\":{\"x\":8,\"y\":0,\"w\":8,\"h\":4}},"
	    "{\"type\":\"text\",\"grid\":{\"x\":16,\"y\":0,\"w\":8,\"h\":4}}]}";
	struct app *a = board(three, 10, 20);

	if (!a)
		return;
	for (int cols = 1; cols <= 300; cols++) {
		relayout(a, cols, 20);
		/* x0 = x * cols / 24 exactly: contiguous, no gap, no overlap */
		CHECK_INT(a->panels[0].r.x, 0);
		CHECK_INT(a->panels[0].r.x + a->panels[0].r.w, a->panels[1].r.x);
		CHECK_INT(a->panels[1].r.x + a->panels[1].r.w, a->panels[2].r.x);
		CHECK_INT(a->panels[2].r.x + a->panels[2].r.w, cols);
	}
	board_free(a);
}

TEST(layout_scale_is_clamped)
{
	struct app *a = board(quad, 80, 200);	/* would be 12 rows per unit */

	if (!a)
		return;
	RECT_IS(a->panels[0], 0, 0, 40, 24);	/* 3 rows per unit at most */
	CHECK_INT(a->content_h, 48);
	relayout(a, 80, 6);			/* 0.5 per unit at least: it scrolls */
	CHECK_INT(a->content_h, 8);
	RECT_IS(a->panels[0], 0, 0, 40, 4);
	RECT_IS(a->panels[2], 0, 4, 40, 4);
	board_free(a);
}

TEST(layout_panels_keep_three_rows)
{
	static const char thin[] = "{\"panels\": ["
	    "{\"type\":\"text\",\"grid\":{\"x\":0,\"y\":0,\"w\":24,\"h\":1}},"
	    "{\"type\":\"text\",\"grid\":{\"x\":0,\"y\":1,\"w\":24,\"h\":20}}]}";
	struct app *a = board(thin, 40, 12);

	if (!a)
		return;
	CHECK_INT(a->panels[0].r.h, 3);	/* a border and one line at least */
	board_free(a);
}

/* 10 rows of 4 panels 4 units high: at any height, panels (each kept to
 * a border and one line) never overlap, and the content height the
 * scrolling uses covers every panel. */
TEST(layout_panels_never_overlap)
{
	char json[8192];
	size_t n = 0;
	struct app *a;

	n += (size_t)snprintf(json + n, sizeof json - n, "{\"panels\": [");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(json + n, sizeof json - n, "%s{\"type\":\"text\",\"grid\":"
		    "{\"x\":%d,\"y\":%d,\"w\":6,\"h\":4}}", i ? "," : "", i % 4 * 6, i / 4 * 4);
	snprintf(json + n, sizeof json - n, "]}");
	if (!(a = board(json, 100, 30)))
		return;
	for (int rows = 4; rows <= 200; rows++) {
		int bottom = 0;
		relayout(a, 100, rows);
		for (size_t i = 0; i < a->npanels; i++) {
			struct rect p = a->panels[i].r;
			if (p.y + p.h > bottom)
				bottom = p.y + p.h;
			CHECK(p.h >= 3);
			for (size_t j = 0; j < i; j++) {
				struct rect q = a->panels[j].r;
				if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h)
					t_fail(__FILE__, __LINE__, "%d rows: panels %zu and %zu overlap", rows, j, i);
			}
		}
		CHECK_INT(a->content_h, bottom);
	}
	board_free(a);
}

static const char rows[] = "{\"panels\": ["
    "{\"type\":\"row\",\"title\":\"A\",\"grid\":{\"x\":0,\"y\":0,\"w\":24,\"h\":1}},"
    "{\"type\":\"text\",\"title\":\"a1\",\"grid\":{\"x\":0,\"y\":1,\"w\":24,\"h\":4}},"
    "{\"type\":\"row\",\"title\":\"B\",\"collapsed\":true,\"grid\":{\"x\":0,\"y\":5,\"w\":24,\"h\":1},"
    " \"panels\":[{\"type\":\"text\",\"title\":\"b1\",\"grid\":{\"x\":0,\"y\":6,\"w\":24,\"h\":6}}]},"
    "{\"type\":\"text\",\"title\":\"after\",\"grid\":{\"x\":0,\"y\":6,\"w\":24,\"h\":4}}]}";

TEST(layout_collapsed_row_hides_children)
{
	/* 20 lines: 2 row headers of one line each, 18 lines for the other
	 * 8 grid units: 2.25 lines per unit */
	struct app *a = board(rows, 40, 21);

	if (!a)
		return;
	/* panels: 0 row A, 1 a1, 2 row B, 3 b1 (child), 4 after */
	CHECK_STR(a->panels[3].cfg->title, "b1");
	CHECK_INT(a->panels[3].cfg->parent_row, 2);
	CHECK(!a->panels[3].visible);
	RECT_IS(a->panels[0], 0, 0, 40, 1);	/* a row is one line, no gap under it */
	RECT_IS(a->panels[1], 0, 1, 40, 9);
	RECT_IS(a->panels[2], 0, 10, 40, 1);
	RECT_IS(a->panels[4], 0, 11, 40, 9);
	CHECK_INT(a->content_h, 20);
	/* expanding moves what follows down by the children's extent:
	 * 14 units in 18 lines now; row B's header moves up to line 6 */
	a->panels[2].collapsed = 0;
	relayout(a, 40, 21);
	CHECK(a->panels[3].visible);
	CHECK_INT(a->content_h, 20);
	RECT_IS(a->panels[2], 0, 6, 40, 1);
	RECT_IS(a->panels[3], 0, 7, 40, 8);	/* right under the row header */
	RECT_IS(a->panels[4], 0, 15, 40, 5);
	CHECK(a->panels[4].r.y >= a->panels[3].r.y + a->panels[3].r.h);
	/* collapsing again restores the first layout */
	a->panels[2].collapsed = 1;
	relayout(a, 40, 21);
	CHECK(!a->panels[3].visible);
	RECT_IS(a->panels[4], 0, 11, 40, 9);
	board_free(a);
}

TEST(layout_zoom_takes_the_screen)
{
	struct app *a = board(quad, 80, 24);

	if (!a)
		return;
	a->zoom = 3;
	a->focus = 3;
	relayout(a, 80, 24);
	RECT_IS(a->panels[3], 0, 0, 80, 23);
	a->zoom = -1;
	relayout(a, 80, 24);
	RECT_IS(a->panels[3], 40, 12, 40, 11);
	board_free(a);
}

TEST(layout_focus_moves_by_direction)
{
	struct app *a = board(quad, 80, 24);

	if (!a)
		return;
	CHECK_INT(a->focus, 0);
	CHECK(layout_move_focus(a, 1, 0));
	CHECK_INT(a->focus, 1);			/* tl -> tr */
	CHECK(layout_move_focus(a, 0, 1));
	CHECK_INT(a->focus, 3);			/* tr -> br */
	CHECK(layout_move_focus(a, -1, 0));
	CHECK_INT(a->focus, 2);			/* br -> bl */
	CHECK(layout_move_focus(a, 0, -1));
	CHECK_INT(a->focus, 0);			/* bl -> tl */
	CHECK(!layout_move_focus(a, -1, 0));	/* nothing to the left */
	CHECK(!layout_move_focus(a, 0, -1));
	CHECK_INT(a->focus, 0);
	board_free(a);
}

TEST(layout_focus_prefers_the_panel_under_the_centre)
{
	/* a wide panel over two: down goes to the one under its centre */
	static const char t[] = "{\"panels\": ["
	    "{\"type\":\"text\",\"grid\":{\"x\":6,\"y\":0,\"w\":18,\"h\":4}},"
	    "{\"type\":\"text\",\"grid\":{\"x\":0,\"y\":4,\"w\":8,\"h\":4}},"
	    "{\"type\":\"text\",\"grid\":{\"x\":8,\"y\":4,\"w\":16,\"h\":4}}]}";
	struct app *a = board(t, 96, 24);

	if (!a)
		return;
	CHECK(layout_move_focus(a, 0, 1));
	CHECK_INT(a->focus, 2);
	CHECK(layout_move_focus(a, -1, 0));
	CHECK_INT(a->focus, 1);
	CHECK(layout_move_focus(a, 0, -1));
	CHECK_INT(a->focus, 0);
	board_free(a);
}

TEST(layout_tab_order_wraps)
{
	struct app *a = board(quad, 80, 24);
	int seen[4] = { 0 };

	if (!a)
		return;
	for (int i = 0; i < 4; i++) {
		CHECK(layout_next_focus(a, 1));
		seen[a->focus]++;
	}
	CHECK_INT(a->focus, 0);			/* tr, bl, br, tl */
	CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1);
	CHECK(layout_next_focus(a, -1));
	CHECK_INT(a->focus, 3);			/* backwards from tl: br */
	CHECK(layout_next_focus(a, -1));
	CHECK_INT(a->focus, 2);
	board_free(a);
}

TEST(layout_tab_skips_hidden_children)
{
	struct app *a = board(rows, 40, 21);
	int visits = 0;

	if (!a)
		return;
	a->focus = 0;
	for (int i = 0; i < 8; i++) {
		layout_next_focus(a, 1);
		CHECK(a->focus != 3);		/* b1 is inside the collapsed row */
		visits++;
	}
	CHECK_INT(visits, 8);
	board_free(a);
}

static const char tall[] = "{\"panels\": ["
    "{\"type\":\"text\",\"title\":\"p0\",\"grid\":{\"x\":0,\"y\":0,\"w\":24,\"h\":10}},"
    "{\"type\":\"text\",\"title\":\"p1\",\"grid\":{\"x\":0,\"y\":10,\"w\":24,\"h\":10}},"
    "{\"type\":\"text\",\"title\":\"p2\",\"grid\":{\"x\":0,\"y\":20,\"w\":24,\"h\":10}},"
    "{\"type\":\"text\",\"title\":\"p3\",\"grid\":{\"x\":0,\"y\":30,\"w\":24,\"h\":10}}]}";

TEST(layout_scrolls_to_the_focus)
{
	struct app *a = board(tall, 40, 11);	/* 10 rows for 40 units: scale 0.5 */

	if (!a)
		return;
	CHECK_INT(a->content_h, 20);
	CHECK_INT(a->scroll, 0);
	a->focus = 3;
	a->follow_focus = 1;
	relayout(a, 40, 11);
	CHECK_INT(a->scroll, 10);		/* p3 at 15..20 is fully on screen */
	CHECK(a->panels[3].r.y - a->scroll >= 0);
	CHECK(a->panels[3].r.y + a->panels[3].r.h - a->scroll <= 10);
	a->focus = 0;
	a->follow_focus = 1;
	relayout(a, 40, 11);
	CHECK_INT(a->scroll, 0);
	board_free(a);
}

TEST(layout_scroll_moves_the_focus_along)
{
	struct app *a = board(tall, 40, 11);

	if (!a)
		return;
	CHECK_INT(a->focus, 0);
	a->scroll = 6;				/* PgDn: p0 is off the top */
	a->follow_focus = 0;
	relayout(a, 40, 11);
	CHECK_INT(a->scroll, 6);		/* the scroll is kept */
	CHECK_INT(a->focus, 2);			/* first panel starting on screen */
	a->scroll = 1000;			/* clamped to the content */
	relayout(a, 40, 11);
	CHECK_INT(a->scroll, 10);
	a->scroll = -5;
	relayout(a, 40, 11);
	CHECK_INT(a->scroll, 0);
	board_free(a);
}

TEST(layout_survives_tiny_sizes)
{
	struct app *a = board(rows, 80, 24);

	if (!a)
		return;
	for (int c = 0; c <= 6; c++)
		for (int r = 0; r <= 6; r++) {
			relayout(a, c, r);
			for (size_t i = 0; i < a->npanels; i++) {
				CHECK(a->panels[i].r.w >= 0 && a->panels[i].r.h >= 0);
				CHECK(a->panels[i].r.x + a->panels[i].r.w <= (c > 0 ? c : 0));
			}
			CHECK(a->scroll >= 0);
			layout_move_focus(a, 1, 0);
			layout_move_focus(a, 0, 1);
			layout_next_focus(a, 1);
		}
	board_free(a);
}

TEST(layout_empty_dashboard)
{
	struct app *a = board("{\"panels\": []}", 80, 24);

	if (!a)
		return;
	CHECK_INT(a->focus, -1);
	CHECK(!layout_next_focus(a, 1));
	CHECK(!layout_move_focus(a, 1, 0));
	board_free(a);
}
