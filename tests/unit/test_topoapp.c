/* Unit tests: the topology inside the app — the focus service (status
 * bar, the widget context, Esc clears it), the cursor moving the
 * topology's instant queries (a relayout re-asks at the new time), and
 * :export topology errors. */
#include <stdlib.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"
#include "tui/app.h"

static struct app A;

static int
open_app(const char *dash)
{
	struct options o;
	char *err = NULL;

	memset(&o, 0, sizeof o);
	o.at = TNS_NONE;
	o.max_fps = 30;
	o.dashboard = t_fixture(dash);
	o.color = COLOR_NEVER;
	if (app_init(&A, &o, &err) < 0) {
		t_fail(__FILE__, __LINE__, "app_init: %s", err);
		free(err);
		return -1;
	}
	A.cols = 160;
	A.rows = 40;
	A.cv = canvas_new(A.cols, A.rows);
	A.gs = GS_BRAILLE;
	app_layout(&A);
	app_render(&A);
	return 0;
}

static char *
screen(void)
{
	struct buf b;

	if (A.relayout)
		app_layout(&A);
	app_render(&A);
	buf_init(&b, 1 << 20);
	canvas_to_text(A.cv, &b);
	return buf_steal(&b, NULL);
}

static const struct unit *
unit_of(const char *key)
{
	for (size_t i = 0; i < A.sched.n; i++)
		if (strcmp(A.sched.u[i]->key, key) == 0)
			return A.sched.u[i]->user;
	return NULL;
}

TEST(topoapp_focus_service_and_esc)
{
	struct wctx c;
	char *s;

	if (open_app("dashboards/topology.json") < 0)
		return;
	app_set_focus(&A, "payment", "shop");
	app_wctx(&A, &c, 0);
	CHECK_STR(c.focus, "payment");
	CHECK_STR(c.focus_ns, "shop");
	A.msg[0] = '\0';
	s = screen();
	CHECK_CONTAINS(s, "focus shop/payment (Esc)");
	free(s);
	app_key(&A, K_ESC);
	app_wctx(&A, &c, 0);
	CHECK(c.focus == NULL);
	s = screen();
	CHECK(!strstr(s, "focus shop/payment"));
	free(s);
	app_free(&A);
}

TEST(topoapp_cursor_moves_the_instant_queries)
{
	struct panel *p;
	const struct unit *un;
	tns cur;

	if (open_app("dashboards/topology.json") < 0)
		return;
	p = &A.panels[0];
	CHECK_STR(p->cls->name, "topology");
	REQUIRE(p->nneed >= 2 && p->key[0] != NULL);
	un = unit_of(p->key[0]);
	CHECK(un != NULL && un->at == 0);	/* live: the window's end */
	app_key(&A, '<');			/* (lays out again at once) */
	CHECK(A.view.cursor != TNS_NONE);
	cur = A.view.cursor;
	CHECK(p->need[0].at == cur);
	un = unit_of(p->key[0]);
	CHECK(un != NULL && un->at == cur);	/* the fetch asks at the cursor */
	app_key(&A, '<');
	app_layout(&A);
	CHECK(A.view.cursor < cur);
	CHECK(unit_of(p->key[0])->at == A.view.cursor);
	app_key(&A, K_ESC);			/* the cursor goes: back to the window end */
	app_layout(&A);
	CHECK(unit_of(p->key[0])->at == 0);
	app_free(&A);
}

TEST(topoapp_export_errors)
{
	if (open_app("dashboards/topology.json") < 0)
		return;
	app_command(&A, "export topology /tmp/never-written.dot");
	CHECK_CONTAINS(A.msg, "export topology: no topology data yet");
	app_command(&A, "export topology");
	CHECK_CONTAINS(A.msg, "name the file");
	app_command(&A, "export nonsense x");
	CHECK_CONTAINS(A.msg, "try :export notes FILE.md or :export topology FILE.dot");
	app_free(&A);
}
