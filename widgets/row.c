/* row: a collapsible section header (Grafana "row" panels).
 * Enter or z toggles its children; the layout hides the panels of a
 * collapsed row and moves what follows up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"

#include "widgets/widget.h"

static int
row_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	p->collapsed = p->cfg->collapsed;
	(void)doc;
	(void)dg;
	return 0;
}

static void
row_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	uint32_t mark = c->ascii ? (p->collapsed ? '>' : 'v') : (p->collapsed ? 0x25b8 : 0x25be);
	char *title = tmpl_expand(p->cfg->title ? p->cfg->title : "", c->db, NULL);
	int x;

	canvas_put(cv, 0, 0, mark, c->focused ? ROLE_FOCUS : ROLE_TITLE, 0);
	x = 2 + canvas_str(cv, 2, 0, cv->w - 2, title, c->focused ? ROLE_FOCUS : ROLE_TITLE, CA_BOLD);
	free(title);
	if (x + 1 < cv->w)
		canvas_hline(cv, x + 1, 0, cv->w - x - 1, c->ascii ? '-' : 0x2500, ROLE_BORDER, 0);
	if (p->collapsed) {
		char hint[48];
		snprintf(hint, sizeof hint, " collapsed, Enter expands ");
		if ((int)strlen(hint) + x + 4 < cv->w)
			canvas_str_right(cv, cv->w - 1, 0, hint, ROLE_DIM, 0);
	}
}

static int
row_key(struct panel *p, int key, const struct wctx *c)
{
	(void)c;
	if (key == '\n' || key == '\r' || key == ' ' || key == 'z') {
		p->collapsed = !p->collapsed;
		return WK_HANDLED | WK_RELAYOUT;
	}
	return WK_IGNORED;
}

static int
row_has_data(struct panel *p, const struct wctx *c)
{
	(void)p;
	(void)c;
	return 1;
}

const struct widget_class row_widget = {
	.name = "row",
	.help = "section header; Enter collapses or expands the panels under it",
	.init = row_init,
	.draw = row_draw,
	.key = row_key,
	.has_data = row_has_data,
};
