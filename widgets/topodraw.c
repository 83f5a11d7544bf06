/* topodraw: drawing the topology — the header line, the layered graph
 * (boxes, orthogonal lines with line style by health: heavy for errors,
 * dashed for warnings, dotted for edges gone since the frozen snapshot;
 * labels "req/s error% P99"; arrowheads), the edge table used when the
 * graph does not fit, and the side summary (worst edges, the selected
 * service, the comparison).
 * Lines are gathered as direction bits per visible cell, then turned into
 * box-drawing glyphs, so crossings and junctions come out right; only the
 * viewport is touched, so a frame costs the screen, not the graph. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "widgets/topology.h"

#define D_N	1
#define D_E	2
#define D_S	4
#define D_W	8

enum lstyle { LS_GONE, LS_DASH, LS_LIGHT, LS_HEAVY };

/* ------------------------------------------------------------ text */

static int
width_of(const char *s)
{
	int w = 0;
	san_fit(s, strlen(s), 1 << 20, 0, &w);
	return w;
}

void
topo_w_edge_label(const struct topo_edge *e, int ascii, char *dst, size_t n)
{
	char r[32], q[32], m[32];
	const char *mark = "";

	if (e->change == TC_GONE) {
		topo_fmt_rate(e->was_rate, r, sizeof r);
		snprintf(dst, n, " %sgone (was %s) ", ascii ? "x " : "\xc3\x97 ", r);
		return;
	}
	switch (e->change) {
	case TC_NEW: mark = "+ "; break;
	case TC_WORSE: mark = ascii ? "^ " : "\xe2\x96\xb2 "; break;
	case TC_BETTER: mark = ascii ? "v " : "\xe2\x96\xbc "; break;
	case TC_CHANGED: mark = ascii ? "~ " : "\xce\x94 "; break;
	}
	topo_fmt_rate(e->rate, r, sizeof r);
	topo_fmt_ratio(topo_ratio(e), q, sizeof q);
	topo_fmt_ms(e->p99, m, sizeof m);
	snprintf(dst, n, " %s%s %s %s ", mark, r, q, m);
}

static void
pods_text(const struct topo_node *n, int ascii, char *dst, size_t len)
{
	size_t l = 0;

	dst[0] = '\0';
	if (n->pods_known) {
		if (!n->pods)
			l = (size_t)snprintf(dst, len, "no pods");
		else
			l = (size_t)snprintf(dst, len, "%d/%d", n->ready, n->pods);
		if (n->restarts && l < len)
			l += (size_t)snprintf(dst + l, len - l, " %s%d", ascii ? "r" : "\xe2\x86\xbb",
			    n->restarts);
	}
	if (n->self >= 0 && l < len)
		snprintf(dst + l, len - l, "%s%s", l ? " " : "", ascii ? "(self)" : "\xe2\x86\xba");
}

static enum role
hrole(int h)
{
	return h == TH_ERROR ? ROLE_ERROR : h == TH_WARN ? ROLE_WARN : ROLE_OK;
}

/* ------------------------------------------------------------ layout */

static void
node_sizes(const struct topo_state *s, int border, struct tl_node *nd)
{
	for (size_t i = 0; i < s->view.nn; i++) {
		char name[600], pods[64];
		int w, pw;
		topo_w_node_label(&s->view.n[i], name, sizeof name);
		pods_text(&s->view.n[i], 0, pods, sizeof pods);
		w = width_of(name);
		if (w > TOPO_NAME_MAX)
			w = TOPO_NAME_MAX;
		pw = (int)strlen(pods);
		if (pw > w)
			w = pw;
		nd[i].w = w + (border ? 4 : 2);
		nd[i].h = (*pods ? 2 : 1) + 2 * border;
	}
}

static void
lay(struct topo_state *s, int border)
{
	struct tl_node *nd = xcalloc(s->view.nn + 1, sizeof *nd);
	struct tl_edge *ed = xcalloc(s->view.ne + 1, sizeof *ed);
	struct tl_opts o = { .border = border, .vgap = 1 };

	node_sizes(s, border, nd);
	for (size_t i = 0; i < s->view.ne; i++) {
		char l[96];
		topo_w_edge_label(&s->view.e[i], 0, l, sizeof l);
		ed[i] = (struct tl_edge){ s->view.e[i].src, s->view.e[i].dst, width_of(l) };
	}
	toplayout_free(&s->lay);
	toplayout_compute(nd, s->view.nn, ed, s->view.ne, &o, &s->lay);
	s->lay_border = border;
	s->lay_sig = s->sig_view;
	s->lay_valid = 1;
	free(nd);
	free(ed);
}

/* Boxes while they fit in height (wide graphs pan sideways), compact
 * rows when not.  Each layout is computed once per view. */
int
topo_w_layout(struct topo_state *s, int w, int h, int inside)
{
	int fits;

	if (s->lay_valid && s->lay_sig == s->sig_view && s->lay_w == w && s->lay_h == h)
		return s->lay_fits;
	if (!s->lay_valid || s->lay_sig != s->sig_view || s->lay_border != 1)
		lay(s, 1);
	fits = s->lay.width <= w && s->lay.height <= h;
	if (!fits && !(inside && s->lay.height <= h)) {
		lay(s, 0);
		fits = s->lay.width <= w && s->lay.height <= h;
	}
	s->lay_w = w;
	s->lay_h = h;
	s->lay_fits = fits;
	return fits;
}

/* ------------------------------------------------------------ lines */

struct grid {
	int		 w, h, ox, oy;	/* size and the layout cell at (0, 0) */
	uint8_t		*dir, *sty, *hl;
};

static void
mark(struct grid *g, int x, int y, int bits, int style, int health)
{
	size_t i;

	x -= g->ox;
	y -= g->oy;
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return;
	i = (size_t)y * (size_t)g->w + (size_t)x;
	g->dir[i] |= (uint8_t)bits;
	if (style > g->sty[i])
		g->sty[i] = (uint8_t)style;
	if (health + 1 > g->hl[i])
		g->hl[i] = (uint8_t)(health + 1);
}

static void
hrun(struct grid *g, int x0, int x1, int y, int style, int health, int end_w, int end_e)
{
	if (y < g->oy || y >= g->oy + g->h || x1 < x0)
		return;
	if (x0 < g->ox)
		x0 = g->ox - 1;
	if (x1 > g->ox + g->w)
		x1 = g->ox + g->w;
	for (int x = x0; x <= x1; x++)
		mark(g, x, y, (x > x0 || end_w ? D_W : 0) | (x < x1 || end_e ? D_E : 0), style, health);
}

static void
vrun(struct grid *g, int x, int y0, int y1, int style, int health)
{
	int a = y0 < y1 ? y0 : y1, b = y0 < y1 ? y1 : y0;

	if (x < g->ox || x >= g->ox + g->w)
		return;
	if (a < g->oy - 1)
		a = g->oy - 1;
	if (b > g->oy + g->h)
		b = g->oy + g->h;
	for (int y = a; y <= b; y++)
		mark(g, x, y, (y > a ? D_N : 0) | (y < b ? D_S : 0), style, health);
}

static int
edge_style(const struct topo_state *s, int e)
{
	const struct topo_edge *x = &s->view.e[e];

	if (x->change == TC_GONE)
		return LS_GONE;
	return x->health == TH_ERROR ? LS_HEAVY : x->health == TH_WARN ? LS_DASH : LS_LIGHT;
}

static void
gather(const struct topo_state *s, struct grid *g)
{
	for (size_t i = 0; i < s->lay.nsg; i++) {
		const struct tl_seg *sg = &s->lay.sg[i];
		int st = edge_style(s, sg->edge), hl = s->view.e[sg->edge].health;
		if (sg->bus < 0)
			hrun(g, sg->x1, sg->x2, sg->y1, st, hl, 1, 1);
		else {
			hrun(g, sg->x1, sg->bus, sg->y1, st, hl, 1, 0);
			vrun(g, sg->bus, sg->y1, sg->y2, st, hl);
			hrun(g, sg->bus, sg->x2, sg->y2, st, hl, 0, 1);
		}
	}
	/* dummies: the line runs through the layer's column */
	for (size_t i = s->view.nn; i < s->lay.nit; i++) {
		const struct tl_item *it = &s->lay.it[i];
		int e = it->edge;
		hrun(g, it->x, it->x + it->w - 1, it->y, edge_style(s, e), s->view.e[e].health, 1, 1);
	}
}

static uint32_t
glyph(int bits, int style, int ascii)
{
	static const uint32_t light[16] = { ' ', 0x2502, 0x2500, 0x2570, 0x2502, 0x2502, 0x256d,
		0x251c, 0x2500, 0x256f, 0x2500, 0x2534, 0x256e, 0x2524, 0x252c, 0x253c };
	static const uint32_t heavy[16] = { ' ', 0x2503, 0x2501, 0x2517, 0x2503, 0x2503, 0x250f,
		0x2523, 0x2501, 0x251b, 0x2501, 0x253b, 0x2513, 0x252b, 0x2533, 0x254b };
	int h = bits & (D_E | D_W), v = bits & (D_N | D_S);

	if (ascii) {
		if (h && v)
			return '+';
		if (v)
			return style == LS_GONE ? ':' : '|';
		return style == LS_HEAVY ? '=' : style == LS_GONE ? '.' : '-';
	}
	if (h && v)
		return style == LS_HEAVY ? heavy[bits] : light[bits];
	if (style == LS_HEAVY)
		return heavy[bits];
	if (style == LS_DASH)
		return v ? 0x254e : 0x254c;
	if (style == LS_GONE)
		return v ? 0x2506 : 0x2504;
	return light[bits];
}

static void
blit_lines(const struct grid *g, struct canvas *cv, int ascii)
{
	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++) {
			size_t i = (size_t)y * (size_t)g->w + (size_t)x;
			enum role r;
			if (!g->dir[i])
				continue;
			r = g->sty[i] == LS_GONE && g->hl[i] <= 1 ? ROLE_DIM : hrole(g->hl[i] - 1);
			if (r == ROLE_OK)
				r = ROLE_GRID;
			canvas_put(cv, x, y, glyph(g->dir[i], g->sty[i], ascii), r,
			    g->sty[i] == LS_HEAVY ? CA_BOLD : 0);
		}
}

/* Arrowheads (and the reversed ones of broken cycles) and labels. */
static void
draw_marks(const struct topo_state *s, struct canvas *cv, const struct wctx *c)
{
	for (size_t i = 0; i < s->lay.nsg; i++) {
		const struct tl_seg *sg = &s->lay.sg[i];
		const struct topo_edge *e = &s->view.e[sg->edge];
		int rev = s->lay.rev[sg->edge], worst = sg->edge == s->view.worst;
		enum role r = e->change == TC_GONE ? ROLE_DIM : hrole(e->health);
		if (sg->last && !rev)
			canvas_put(cv, sg->x2 - s->sx, sg->y2 - s->sy, c->ascii ? '>' : 0x25b6, r, CA_BOLD);
		if (sg->first && rev)
			canvas_put(cv, sg->x1 - s->sx, sg->y1 - s->sy, c->ascii ? '<' : 0x25c0, r, CA_BOLD);
		if (sg->first && sg->label_x >= 0) {
			char l[96];
			topo_w_edge_label(e, c->ascii, l, sizeof l);
			canvas_str(cv, sg->label_x - s->sx, sg->y1 - s->sy, -1, l,
			    r == ROLE_OK ? ROLE_TEXT : r, worst ? CA_BOLD | CA_REVERSE : 0);
		}
	}
}

/* ------------------------------------------------------------ nodes */

static int
is_focus(const struct topo_node *n, const struct wctx *c)
{
	return c->focus && !n->folded && strcmp(n->name, c->focus) == 0 &&
	    strcmp(n->ns, c->focus_ns ? c->focus_ns : n->ns) == 0;
}

static void
port_marks(const struct topo_state *s, struct canvas *cv, int i, const struct tl_item *it,
    int ascii)
{
	for (size_t k = 0; k < s->lay.nsg; k++) {
		const struct tl_seg *sg = &s->lay.sg[k];
		enum role r = hrole(s->view.e[sg->edge].health);
		if (r == ROLE_OK)
			r = ROLE_GRID;
		if (sg->a == i)
			canvas_put(cv, it->x + it->w - 1 - s->sx, sg->y1 - s->sy, ascii ? '+' : 0x251c,
			    r, 0);
		if (sg->b == i)
			canvas_put(cv, it->x - s->sx, sg->y2 - s->sy, ascii ? '+' : 0x2524, r, 0);
	}
}

static void
draw_node(const struct topo_state *s, struct canvas *cv, int i, const struct wctx *c)
{
	const struct tl_item *it = &s->lay.it[i];
	const struct topo_node *n = &s->view.n[i];
	int b = s->lay_border, x = it->x - s->sx, y = it->y - s->sy, foc = is_focus(n, c);
	enum role br = n->health == TH_OK ? ROLE_BORDER : hrole(n->health);
	char name[600], pods[64];
	struct text_opts o = { .role = n->health == TH_OK ? ROLE_TEXT : br, .attr = CA_BOLD,
		.ellipsis = 1 };

	if (x >= cv->w || y >= cv->h || x + it->w <= 0 || y + it->h <= 0)
		return;
	if (foc)
		br = ROLE_MATCH;
	canvas_fill(cv, (struct rect){ x, y, it->w, it->h }, ' ', ROLE_DEFAULT, 0);
	if (b)
		canvas_box(cv, (struct rect){ x, y, it->w, it->h }, br, foc ? CA_BOLD : 0, c->ascii);
	else {
		canvas_vline(cv, x, y, it->h, c->ascii ? '|' : 0x2502, br, 0);
		canvas_vline(cv, x + it->w - 1, y, it->h, c->ascii ? '|' : 0x2502, br, 0);
	}
	port_marks(s, cv, i, it, c->ascii);
	topo_w_node_label(n, name, sizeof name);
	if (i == s->sel && c->focused)
		o.role = ROLE_SELECTION;
	canvas_text(cv, x + 1 + b, y + b, it->w - 2 - 2 * b, name, strlen(name), &o, NULL);
	if (i == s->sel)
		canvas_restyle(cv, (struct rect){ x + 1, y + b, it->w - 2, 1 },
		    c->focused ? ROLE_SELECTION : ROLE_TEXT, c->focused ? 0 : CA_UNDERLINE);
	pods_text(n, c->ascii, pods, sizeof pods);
	if (*pods)
		canvas_str(cv, x + 1 + b, y + b + 1, it->w - 2 - 2 * b, pods,
		    n->bad || (n->pods_known && n->ready < n->pods) ? ROLE_WARN : ROLE_DIM, 0);
}

/* ------------------------------------------------------------ graph */

static void
follow_selection(struct topo_state *s, int w, int h)
{
	const struct tl_item *it;

	if (!s->sel_moved || s->sel < 0 || (size_t)s->sel >= s->lay.nit)
		return;
	s->sel_moved = 0;
	it = &s->lay.it[s->sel];
	if (it->x < s->sx || it->x + it->w > s->sx + w)
		s->sx = it->x - w / 3;
	if (it->y < s->sy || it->y + it->h > s->sy + h)
		s->sy = it->y - h / 3;
}

static void
draw_graph(struct topo_state *s, struct canvas *cv, const struct wctx *c)
{
	struct grid g;

	s->gw = cv->w;
	s->gh = cv->h;
	follow_selection(s, cv->w, cv->h);
	if (s->sx > s->lay.width - cv->w)
		s->sx = s->lay.width - cv->w;
	if (s->sy > s->lay.height - cv->h)
		s->sy = s->lay.height - cv->h;
	if (s->sx < 0)
		s->sx = 0;
	if (s->sy < 0)
		s->sy = 0;
	g.w = cv->w;
	g.h = cv->h;
	g.ox = s->sx;
	g.oy = s->sy;
	g.dir = xcalloc((size_t)g.w * (size_t)g.h + 1, 1);
	g.sty = xcalloc((size_t)g.w * (size_t)g.h + 1, 1);
	g.hl = xcalloc((size_t)g.w * (size_t)g.h + 1, 1);
	gather(s, &g);
	blit_lines(&g, cv, c->ascii);
	free(g.dir);
	free(g.sty);
	free(g.hl);
	draw_marks(s, cv, c);
	for (size_t i = 0; i < s->view.nn && i < s->lay.nit; i++)
		draw_node(s, cv, (int)i, c);
	if (s->lay.width > cv->w || s->lay.height > cv->h) {
		char m[96];
		snprintf(m, sizeof m, " %d,%d of %dx%d %s ", s->sx, s->sy, s->lay.width, s->lay.height,
		    c->inside ? "H L PgUp PgDn pan" : "Enter zooms");
		canvas_str_right(cv, cv->w, cv->h - 1, m, ROLE_DIM, CA_REVERSE);
	}
}

/* ------------------------------------------------------------ table */

static void
edge_names(const struct topology *t, const struct topo_edge *e, char *dst, size_t n, int ascii)
{
	char a[600], b[600];

	topo_w_node_label(&t->n[e->src], a, sizeof a);
	topo_w_node_label(&t->n[e->dst], b, sizeof b);
	snprintf(dst, n, "%s %s %s", a, ascii ? "->" : "\xe2\x86\x92", b);
}

static void
code_text(const struct topo_edge *e, char *dst, size_t n)
{
	if (!*e->code)
		snprintf(dst, n, "-");
	else
		snprintf(dst, n, "%s%s%s", e->code, *e->flags ? " " : "", e->flags);
}

static void
draw_table(struct topo_state *s, struct canvas *cv, const struct wctx *c)
{
	int namew = cv->w - 38, rows = cv->h - 1, longest = 24;
	int wide = cv->w >= 72;

	/* the name column as wide as the longest name (up to 80), the rest
	 * for the numbers and the code */
	for (size_t i = 0; i < s->view.ne && longest < 80; i++) {
		char nm[1300];
		edge_names(&s->view, &s->view.e[i], nm, sizeof nm, c->ascii);
		if (width_of(nm) + 3 > longest)
			longest = width_of(nm) + 3 > 80 ? 80 : width_of(nm) + 3;
	}
	if (namew > longest)
		namew = longest;
	if (namew < 12)
		namew = cv->w - 20 > 8 ? cv->w - 20 : 8;
	if (s->sel >= (int)s->view.ne)
		s->sel = (int)s->view.ne - 1;
	if (s->sel >= 0 && s->sel < s->ttop)
		s->ttop = s->sel;
	if (s->sel >= s->ttop + rows)
		s->ttop = s->sel - rows + 1;
	if (s->ttop > (int)s->view.ne - rows)
		s->ttop = (int)s->view.ne - rows > 0 ? (int)s->view.ne - rows : 0;
	canvas_str(cv, 2, 0, namew - 2, c->ascii ? "SOURCE -> DESTINATION" :
	    "SOURCE \xe2\x86\x92 DESTINATION", ROLE_AXIS, CA_BOLD);
	canvas_printf(cv, namew, 0, cv->w - namew, ROLE_AXIS, CA_BOLD, " %8s %5s %7s%s", "REQ/S",
	    "ERR", s->qname, wide ? " CODE" : "");
	for (int r = 0; r < rows && s->ttop + r < (int)s->view.ne; r++) {
		int ei = s->rank[s->ttop + r], y = 1 + r, x;
		const struct topo_edge *e = &s->view.e[ei];
		char nm[1300], v[32], q[32], m[32], cd[40];
		struct text_opts o = { .role = e->change == TC_GONE ? ROLE_DIM : e->health ?
		    hrole(e->health) : ROLE_TEXT, .ellipsis = 1,
		    .attr = ei == s->view.worst ? CA_BOLD : 0 };
		edge_names(&s->view, e, nm, sizeof nm, c->ascii);
		x = canvas_str(cv, 0, y, 2, ei == s->view.worst ? (c->ascii ? "!" : "\xe2\x97\x86") :
		    e->change ? (c->ascii ? "~" : "\xce\x94") : " ", o.role, CA_BOLD);
		canvas_text(cv, 2, y, namew - 2, nm, strlen(nm), &o, NULL);
		(void)x;
		topo_fmt_rate(e->rate, v, sizeof v);
		topo_fmt_ratio(topo_ratio(e), q, sizeof q);
		topo_fmt_ms(e->p99, m, sizeof m);
		code_text(e, cd, sizeof cd);
		canvas_printf(cv, namew, y, cv->w - namew, o.role, o.attr, " %8s %5s %7s", v, q, m);
		if (wide)
			canvas_str(cv, namew + 24, y, cv->w - namew - 24, cd, o.role, 0);
		if (c->focused && s->ttop + r == s->sel)
			canvas_restyle(cv, (struct rect){ 0, y, cv->w, 1 }, ROLE_SELECTION, 0);
	}
}

/* ------------------------------------------------------------ summary */

static int
summary_edge(const struct topo_state *s, struct canvas *cv, int y, int ei, const struct wctx *c)
{
	const struct topo_edge *e = &s->view.e[ei];
	char nm[1300], v[32], q[32], m[32], cd[40], line[160];
	struct text_opts o = { .role = hrole(e->health), .ellipsis = 1,
		.attr = ei == s->view.worst ? CA_BOLD : 0 };

	edge_names(&s->view, e, nm, sizeof nm, c->ascii);
	canvas_str(cv, 0, y, 2, ei == s->view.worst ? (c->ascii ? "!" : "\xe2\x97\x86") : " ",
	    o.role, CA_BOLD);
	canvas_text(cv, 2, y, cv->w - 2, nm, strlen(nm), &o, NULL);
	topo_fmt_rate(e->rate, v, sizeof v);
	topo_fmt_ratio(topo_ratio(e), q, sizeof q);
	topo_fmt_ms(e->p99, m, sizeof m);
	code_text(e, cd, sizeof cd);
	snprintf(line, sizeof line, "%s %s err %s %s", v, q, s->qname, m);
	canvas_str(cv, 2, y + 1, cv->w - 2, line, ROLE_TEXT, 0);
	if (*e->code) {
		snprintf(line, sizeof line, "mostly %s", cd);
		canvas_str(cv, 2, y + 2, cv->w - 2, line, ROLE_DIM, 0);
		return 3;
	}
	return 2;
}

static int
summary_node(const struct topo_state *s, struct canvas *cv, int y, const struct wctx *c)
{
	const struct topo_node *n;
	char line[700], v[600], q[32];
	int y0 = y;

	if (s->table || s->sel < 0 || (size_t)s->sel >= s->view.nn)
		return 0;
	n = &s->view.n[s->sel];
	topo_w_node_label(n, v, sizeof v);
	snprintf(line, sizeof line, "selected %s", v);
	canvas_str(cv, 0, y++, cv->w, line, ROLE_TITLE, CA_BOLD);
	if (*n->ns && !n->folded) {
		snprintf(line, sizeof line, "  namespace %s", n->ns);
		canvas_str(cv, 0, y++, cv->w, line, ROLE_DIM, 0);
	}
	topo_fmt_rate(n->in_rate, v, sizeof v);
	topo_fmt_ratio(n->in_rate > 0 ? n->in_err / n->in_rate : 0, q, sizeof q);
	snprintf(line, sizeof line, "  in %s, %s errors", v, q);
	canvas_str(cv, 0, y++, cv->w, line, hrole(n->health), 0);
	if (n->pods_known) {
		snprintf(line, sizeof line, "  pods %d/%d ready, %d restart%s", n->ready, n->pods,
		    n->restarts, n->restarts == 1 ? "" : "s");
		canvas_str(cv, 0, y++, cv->w, line, n->ready < n->pods || n->bad ? ROLE_WARN : ROLE_TEXT, 0);
	}
	canvas_str(cv, 0, y++, cv->w, is_focus(n, c) ? "  f unfocus" :
	    c->api && c->api->open_service ? "  f focus  Enter page" : "  f focus the panels",
	    ROLE_DIM, 0);
	return y - y0;
}

static void
draw_summary(struct topo_state *s, struct canvas *cv, const struct wctx *c)
{
	int y = 0, bad = 0;
	for (size_t i = 0; i < s->view.ne; i++)
		bad += s->view.e[i].health > TH_OK && s->view.e[i].change != TC_GONE;
	canvas_str(cv, 0, y++, cv->w, bad ? "worst edges" : "edges", ROLE_TITLE, CA_BOLD);
	if (!bad && s->view.ne)
		canvas_str(cv, 0, y++, cv->w, "  all within thresholds", ROLE_OK, 0);
	int reserve = (!s->table && s->sel >= 0 ? 7 : 0) + (s->have_frozen ? 2 : 0);

	for (size_t i = 0; i < s->view.ne && y + 3 <= cv->h - reserve; i++) {
		int ei = s->rank[i];
		if (bad && s->view.e[ei].health == TH_OK)
			break;
		if (i >= (bad ? TOPO_SUMMARY_EDGES : 3)) {
			char more[64];
			snprintf(more, sizeof more, "  +%d more (v: the edge table)", bad - (int)i);
			canvas_str(cv, 0, y++, cv->w, more, ROLE_DIM, 0);
			break;
		}
		y += summary_edge(s, cv, y, ei, c);
	}
	y++;
	y += summary_node(s, cv, y, c);
	if (s->have_frozen && y < cv->h) {
		int ch = 0;
		char clk[32], line[96];
		for (size_t i = 0; i < s->view.ne; i++)
			ch += s->view.e[i].change != TC_NONE;
		ts_fmt_clock(clk, sizeof clk, s->frozen.at, c->view->utc, 1);
		snprintf(line, sizeof line, "vs %s: %d edge%s changed", clk, ch, ch == 1 ? "" : "s");
		canvas_str(cv, 0, y + 1 < cv->h ? y + 1 : y, cv->w, line, ROLE_CURSOR, CA_BOLD);
	}
}

/* ------------------------------------------------------------ header */

static void
draw_header(struct topo_state *s, struct canvas *cv, const struct wctx *c)
{
	char b[512], clk[32], want[32];
	int x = 0;

	ts_fmt_clock(clk, sizeof clk, s->eval, c->view->utc, 1);
	snprintf(b, sizeof b, "%s%s", c->view->live && c->view->cursor == TNS_NONE ? "live " : "at ",
	    s->eval == TNS_NONE ? "-" : clk);
	x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_CURSOR, CA_BOLD);
	if (s->eval != TNS_NONE && s->at != TNS_NONE && llabs((long long)(s->at - s->eval)) > 2 * NS_PER_S &&
	    (c->view->cursor != TNS_NONE || !c->view->live)) {
		ts_fmt_clock(want, sizeof want, s->at, c->view->utc, 1);
		snprintf(b, sizeof b, " (loading %s\xe2\x80\xa6)", want);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_DIM, 0);
	}
	snprintf(b, sizeof b, "  %s, %s rate, %s  %zu services %zu edges", s->metrics, s->window,
	    s->qname, s->view.nn, s->view.ne);
	x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_DIM, 0);
	if (s->focus) {
		snprintf(b, sizeof b, "  around %s", s->focus);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_MATCH, 0);
	}
	if (rowfilter_active(&s->filt)) {
		snprintf(b, sizeof b, "  /%s/", s->filt.pattern);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_MATCH, 0);
	}
	if (s->collapse)
		x += canvas_str(cv, x, 0, cv->w - x, "  folded", ROLE_MATCH, 0);
	if (s->have_frozen) {
		ts_fmt_clock(want, sizeof want, s->frozen.at, c->view->utc, 1);
		snprintf(b, sizeof b, "  vs %s", want);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_CURSOR, 0);
	}
	if (s->pods_state == 2) {
		ts_fmt_clock(want, sizeof want, s->pods_first, c->view->utc, 1);
		snprintf(b, sizeof b, "  pods: none before %s", want);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_DIM, 0);
	}
	if (s->pods_err[0]) {
		snprintf(b, sizeof b, "  pods: %s", s->pods_err);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_STALE, 0);
	}
	if (s->cur.dropped) {
		snprintf(b, sizeof b, "  %llu series dropped", (unsigned long long)s->cur.dropped);
		canvas_str(cv, x, 0, cv->w - x, b, ROLE_BADGE, 0);
	}
}

/* ------------------------------------------------------------ draw */

static void
empty(struct topo_state *s, struct canvas *cv, const struct wctx *c)
{
	char b[200], clk[32];

	ts_fmt_clock(clk, sizeof clk, s->at, c->view->utc, 1);
	if (s->eval == TNS_NONE)
		snprintf(b, sizeof b, "no answer for %s yet", clk);
	else if (rowfilter_active(&s->filt))
		snprintf(b, sizeof b, "no service matches /%s/ (F clears the filter)", s->filt.pattern);
	else if (s->focus)
		snprintf(b, sizeof b, "no traffic to or from %s at %s (%s rate window)", s->focus, clk,
		    s->window);
	else
		snprintf(b, sizeof b, "no traffic between services at %s (%s rate window)", clk,
		    s->window);
	canvas_str(cv, (cv->w - width_of(b)) / 2 > 0 ? (cv->w - width_of(b)) / 2 : 0, cv->h / 2,
	    cv->w, b, ROLE_DIM, 0);
}

void
topo_w_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct topo_state *s = p->w;
	int sw, table, fits;
	struct canvas area;

	topo_w_refresh(p, c);
	draw_header(s, cv, c);
	if (cv->h < 2)
		return;
	area = canvas_sub(cv, (struct rect){ 0, 1, cv->w, cv->h - 1 });
	if (!s->view.nn) {
		empty(s, &area, c);
		return;
	}
	sw = s->summary && cv->w >= 100 ? TOPO_SUMMARY_W : 0;
	fits = s->mode != TV_TABLE && topo_w_layout(s, area.w - (sw ? sw + 1 : 0), area.h, c->inside);
	/* auto: the graph when it fits, or pans in a panel with room for a
	 * useful part of it (zoomed, or at least 90x16); else the table */
	table = s->mode == TV_TABLE || (s->mode == TV_AUTO && !fits && s->view.ne &&
	    !(c->inside ? area.w >= 50 && area.h >= 10 : area.w - (sw ? sw + 1 : 0) >= 90 &&
	    area.h >= 16));
	if (table != s->table) {
		s->table = table;
		s->sel = table ? (s->view.ne ? 0 : -1) : -1;
		if (!table)
			s->sel = s->sel_name[0] ? topo_find(&s->view, s->sel_ns, s->sel_name) : -1;
	}
	if (sw) {
		struct canvas sc = canvas_sub(&area, (struct rect){ area.w - sw, 0, sw, area.h });
		canvas_vline(&area, area.w - sw - 1, 0, area.h, c->ascii ? '|' : 0x2502, ROLE_BORDER, 0);
		draw_summary(s, &sc, c);
		area = canvas_sub(&area, (struct rect){ 0, 0, area.w - sw - 1, area.h });
	}
	if (table && !s->view.ne) {
		empty(s, &area, c);
		return;
	}
	if (table)
		draw_table(s, &area, c);
	else
		draw_graph(s, &area, c);
}
