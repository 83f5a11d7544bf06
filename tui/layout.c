/* layout: the 24-column grid scaled onto the terminal, and focus moves.
 * Columns scale exactly (x * cols / 24), so neighbours share edges.  Grid
 * units scale to between 0.5 and 3 lines each to fill the height; a row
 * header is always one line, a panel at least 3 (what follows it moves
 * down: panels never overlap).  When the dashboard is taller than the
 * screen it scrolls: to the focus after a focus move, and the focus
 * follows the screen after a scroll.
 * Panels of a collapsed row are hidden and what follows moves up. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/app.h"

#define SCALE_MIN	0.5
#define SCALE_MAX	3.0

struct lp {
	size_t	i;
	int	y, h;	/* effective grid rows after collapsing */
};

static int
lp_cmp(const void *a, const void *b)
{
	const struct lp *x = a, *y = b;
	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Effective grid positions.  Children of a row are nested under it (as
 * Grafana stores collapsed rows); the file's layout of what follows a row
 * assumes the row's state in the file, so toggling it shifts everything
 * below by the children's extent. */
static size_t
effective(struct app *a, struct lp *out)
{
	size_t n = 0, top;

	for (size_t i = 0; i < a->npanels; i++) {
		a->panels[i].visible = 0;
		if (a->panels[i].cfg->parent_row < 0)
			out[n++] = (struct lp){ i, a->panels[i].cfg->y, a->panels[i].cfg->h };
	}
	qsort(out, n, sizeof *out, lp_cmp);
	top = n;
	for (size_t k = 0; k < top; k++) {
		struct panel *row = &a->panels[out[k].i];
		int cmin = -1, cmax = 0, shift;
		if (strcmp(row->cfg->type, "row") != 0)
			continue;
		for (size_t j = 0; j < a->npanels; j++) {
			const struct dash_panel *c = a->panels[j].cfg;
			if (c->parent_row != (int)out[k].i)
				continue;
			if (cmin < 0 || c->y < cmin)
				cmin = c->y;
			if (c->y + c->h > cmax)
				cmax = c->y + c->h;
		}
		if (cmin < 0)
			continue;
		shift = ((!row->collapsed) - (!row->cfg->collapsed)) * (cmax - cmin);
		for (size_t j = k + 1; j < top; j++)
			if (a->panels[out[j].i].cfg->y > row->cfg->y)
				out[j].y += shift;
		if (row->collapsed)
			continue;
		for (size_t j = 0; j < a->npanels; j++) {
			const struct dash_panel *c = a->panels[j].cfg;
			if (c->parent_row == (int)out[k].i)
				out[n++] = (struct lp){ j, out[k].y + 1 + (c->y - cmin), c->h };
		}
	}
	qsort(out, n, sizeof *out, lp_cmp);
	return n;
}

static int
on_screen(const struct app *a, size_t i, int top, int height)
{
	struct rect r = a->panels[i].r;
	return a->panels[i].visible && r.w > 0 && r.y - a->scroll >= top &&
	    r.y - a->scroll < top + height;
}

/* After a focus move the dashboard scrolls to show the focused panel;
 * after a scroll (PgUp/PgDn, wheel) the focus follows onto the screen. */
static void
place_scroll(struct app *a, int top, int height)
{
	int f = a->focus >= 0 && (size_t)a->focus < a->npanels ? a->focus : -1;

	if (a->follow_focus && f >= 0 && a->panels[f].visible) {
		struct rect r = a->panels[f].r;
		if (r.y - a->scroll < top || r.h > height)
			a->scroll = r.y - top;
		else if (r.y + r.h - a->scroll > top + height)
			a->scroll = r.y + r.h - (top + height);
	}
	if (a->scroll > a->content_h - height)
		a->scroll = a->content_h - height;
	if (a->scroll < 0)
		a->scroll = 0;
	a->follow_focus = 0;
	if (a->zoom >= 0 || a->nov || (f >= 0 && on_screen(a, (size_t)f, top, height)))
		return;
	for (size_t i = 0; i < a->npanels; i++) {
		struct rect r = a->panels[i].r, b;
		if (!a->panels[i].cls || !on_screen(a, i, top, height))
			continue;
		if (f < 0 || !on_screen(a, (size_t)f, top, height)) {
			f = (int)i;
			continue;
		}
		b = a->panels[f].r;
		if (r.y < b.y || (r.y == b.y && r.x < b.x))
			f = (int)i;
	}
	a->focus = f;
}

/* Vertical mapping.  A row header is one line whatever its grid height,
 * so only the other grid units scale:
 *   line(Y) = round((Y - row units above Y) * scale) + rows above Y. */
struct vmap {
	const struct lp	*lp;
	const int	*is_row;
	size_t		 n;
	double		 scale;
};

static int
line_of(const struct vmap *m, int y)
{
	int units = 0, rows = 0;

	for (size_t k = 0; k < m->n; k++)
		if (m->is_row[k] && m->lp[k].y + m->lp[k].h <= y) {
			units += m->lp[k].h;
			rows++;
		}
	return (int)((y - units) * m->scale + 0.5) + rows;
}

static double
vscale(const struct vmap *m, int height, int gh)
{
	int units = 0, rows = 0;
	double s;

	for (size_t k = 0; k < m->n; k++)
		if (m->is_row[k]) {
			units += m->lp[k].h;
			rows++;
		}
	s = gh > units ? (double)(height - rows) / (gh - units) : SCALE_MAX;
	return s < SCALE_MIN ? SCALE_MIN : s > SCALE_MAX ? SCALE_MAX : s;
}

/* Short panels are stretched to a border and one line (3 lines), and
 * everything below a stretched panel moves down by what it gained, so
 * panels never overlap and rows stay aligned.  Panels start and end only
 * on their grid edges (bnd, sorted, unique): push[i] is how far bnd[i]
 * and every grid line after it, up to the next edge, moved down. */
struct vpush {
	int	*bnd, *push;
	size_t	 n;
};

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

static int
line_at(const struct vmap *m, const struct vpush *v, int y)
{
	size_t lo = 0, hi = v->n;

	while (hi - lo > 1) {	/* the last edge at or before y */
		size_t mid = (lo + hi) / 2;
		if (v->bnd[mid] <= y)
			lo = mid;
		else
			hi = mid;
	}
	return line_of(m, y) + (v->n && v->bnd[lo] <= y ? v->push[lo] : 0);
}

static void
vpush_compute(const struct vmap *m, struct vpush *v, int gh, int height)
{
	size_t all = 0;

	v->bnd = xcalloc(2 * m->n + 2, sizeof *v->bnd);
	v->push = xcalloc(2 * m->n + 2, sizeof *v->push);
	v->bnd[all++] = 0;
	v->bnd[all++] = gh;
	for (size_t k = 0; k < m->n; k++) {
		v->bnd[all++] = m->lp[k].y;
		v->bnd[all++] = m->lp[k].y + m->lp[k].h;
	}
	qsort(v->bnd, all, sizeof *v->bnd, int_cmp);
	v->n = 0;
	for (size_t i = 0; i < all; i++)
		if (v->n == 0 || v->bnd[i] != v->bnd[v->n - 1])
			v->bnd[v->n++] = v->bnd[i];
	for (size_t i = 0; i < v->n; i++) {
		int y = v->bnd[i], base = line_of(m, y), l = base + (i ? v->push[i - 1] : 0);
		for (size_t k = 0; k < m->n && height >= 3; k++)
			if (!m->is_row[k] && m->lp[k].h > 0 && m->lp[k].y + m->lp[k].h == y &&
			    l < line_at(m, v, m->lp[k].y) + 3)
				l = line_at(m, v, m->lp[k].y) + 3;
		v->push[i] = l - base;
	}
}

static void
place(struct app *a, const struct vmap *m, const struct vpush *v, int top)
{
	for (size_t k = 0; k < m->n; k++) {
		struct panel *p = &a->panels[m->lp[k].i];
		int x0 = p->cfg->x * a->cols / GRID_COLS;
		int x1 = (p->cfg->x + p->cfg->w) * a->cols / GRID_COLS;
		int y0 = line_at(m, v, m->lp[k].y);
		int y1 = m->is_row[k] ? y0 + 1 : line_at(m, v, m->lp[k].y + m->lp[k].h);
		p->r = (struct rect){ x0, top + y0, x1 - x0, y1 - y0 };
		p->visible = 1;
	}
}

void
layout_compute(struct app *a, int top, int height)
{
	struct lp *lp = calloc(a->npanels + 1, sizeof *lp);
	int *is_row = calloc(a->npanels + 1, sizeof *is_row), gh = 1;
	struct vmap m;
	struct vpush v;

	if (!lp || !is_row) {
		free(lp);
		free(is_row);
		return;
	}
	m = (struct vmap){ lp, is_row, effective(a, lp), 0 };
	for (size_t k = 0; k < m.n; k++) {
		is_row[k] = strcmp(a->panels[lp[k].i].cfg->type, "row") == 0;
		if (lp[k].y + lp[k].h > gh)
			gh = lp[k].y + lp[k].h;
	}
	m.scale = vscale(&m, height, gh);
	vpush_compute(&m, &v, gh, height);
	a->content_h = line_at(&m, &v, gh);
	place(a, &m, &v, top);
	free(v.bnd);
	free(v.push);
	free(lp);
	free(is_row);
	if (a->zoom >= 0 && (size_t)a->zoom < a->npanels) {
		a->panels[a->zoom].r = (struct rect){ 0, top, a->cols, height };
		a->panels[a->zoom].visible = 1;
	}
	for (size_t i = 0; i < a->nov; i++) {
		a->ov[i].panel.r = (struct rect){ 0, top, a->cols, height };
		a->ov[i].panel.visible = 1;
	}
	place_scroll(a, top, height);
}

static int
selectable(const struct app *a, size_t i)
{
	return a->panels[i].visible && a->panels[i].r.w > 0;
}

/* Nearest panel in direction (dx, dy) from the focused one. */
int
layout_move_focus(struct app *a, int dx, int dy)
{
	struct rect f;
	long best = -1, bestd = 0;
	int fx, fy;

	if (a->focus < 0)
		return layout_next_focus(a, 1);
	f = a->panels[a->focus].r;
	fx = f.x + f.w / 2;
	fy = f.y + f.h / 2;
	for (size_t i = 0; i < a->npanels; i++) {
		struct rect r = a->panels[i].r;
		long along, across, d;
		if ((int)i == a->focus || !selectable(a, i))
			continue;
		if (dx) {
			along = dx > 0 ? r.x - (f.x + f.w - 1) : f.x - (r.x + r.w - 1);
			if (along <= 0)
				continue;
			across = r.y + r.h <= f.y ? f.y - (r.y + r.h) + 1 :
			    r.y >= f.y + f.h ? r.y - (f.y + f.h) + 1 : 0;
			(void)fy;
		} else {
			along = dy > 0 ? r.y - (f.y + f.h - 1) : f.y - (r.y + r.h - 1);
			if (along <= 0)
				continue;
			across = r.x + r.w <= f.x ? f.x - (r.x + r.w) + 1 :
			    r.x >= f.x + f.w ? r.x - (f.x + f.w) + 1 : 0;
			/* prefer the panel under the focus centre */
			if (!across)
				across = labs((long)(r.x + r.w / 2) - fx) / 8;
		}
		d = along + 4 * across;
		if (best < 0 || d < bestd) {
			best = (long)i;
			bestd = d;
		}
	}
	if (best < 0)
		return 0;
	a->focus = (int)best;
	return 1;
}

/* Tab order: by row, then column. */
int
layout_next_focus(struct app *a, int dir)
{
	size_t n = a->npanels, *ord = calloc(n + 1, sizeof *ord), m = 0, cur = 0;
	int moved = 0;

	if (!ord)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (selectable(a, i))
			ord[m++] = i;
	for (size_t i = 1; i < m; i++)	/* insertion sort by (y, x) */
		for (size_t j = i; j > 0; j--) {
			struct rect p = a->panels[ord[j - 1]].r, q = a->panels[ord[j]].r;
			if (p.y < q.y || (p.y == q.y && p.x <= q.x))
				break;
			size_t t = ord[j];
			ord[j] = ord[j - 1];
			ord[j - 1] = t;
		}
	if (m) {
		for (size_t i = 0; i < m; i++)
			if ((int)ord[i] == a->focus)
				cur = i;
		if (a->focus < 0)
			a->focus = (int)ord[dir > 0 ? 0 : m - 1];
		else
			a->focus = (int)ord[(cur + m + (size_t)(dir > 0 ? 1 : -1)) % m];
		moved = 1;
	}
	free(ord);
	return moved;
}
