/* trace: the waterfall of one trace (panel type "trace", query = the
 * trace id, source tempo or jaeger).
 *
 * Layout inside the panel:
 *   header   root service and operation, duration, span/service/error
 *            counts, repair marks (orphans, cycles, duplicate ids, ...)
 *   axis     column titles and time ticks relative to the trace start
 *   rows     one per visible span: gutter (critical-path dot, error '!'
 *            or anomaly '?'), the tree (indented by depth, service in its
 *            colour, operation), duration, and the bar on the shared axis:
 *            heavy line for the span, full blocks where it is on the
 *            critical path, arrows where it is clipped to the window
 *   detail   (Enter) the selected span's attributes and events, below
 * Only the rows on screen are formatted, so a 5,000-span trace costs what
 * a 20-span one does per frame; the tree (core/tracetree.c) is rebuilt
 * only when the store holds a new copy of the trace (its seq changes).
 * Widget state that must survive a refetch (selection, folded subtrees)
 * is kept by span id, not by index. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "core/sanitize.h"
#include "core/tracetree.h"
#include "core/xalloc.h"
#include "widgets/tracedetail.h"
#include "widgets/tracelink.h"
#include "widgets/widget.h"

static const char *const trace_types[] = { "tempo", "jaeger", NULL };
static const char *const trace_opts[] = { NULL };

#define GUTTER	2
#define DURW	8

struct wf {
	struct tracetree tt;
	uint64_t	 seq;		/* store seq the tree was built from, 0 none */
	int32_t		*rows;		/* visible nodes in display order */
	size_t		 nrows;
	int32_t		*prepos;	/* node -> position in tt.pre */
	uint8_t		*collapsed;	/* per node */
	uint8_t		*match;		/* per node: matches the search */
	size_t		 nmatch;
	char		*pattern;
	size_t		 sel, top;	/* selected row, first row shown */
	char		 sel_id[SPAN_ID_MAX + 1];
	struct hmap	 folded;	/* span ids the user collapsed */
	int		 detail, dscroll;
	struct dlines	 dl;
	int32_t		 dl_node;
	uint64_t	 dl_seq;
	int32_t		 zoom;		/* node whose interval is the axis, -1 none */
	int		 page;		/* body rows at the last draw */
};

/* Geometry of the row area. */
struct geo {
	int	nw;		/* name column width */
	int	dx;		/* duration column start */
	int	bx, bw;		/* bar area */
	tns	wa, wb;		/* axis window */
};

static int
wf_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct wf *s;

	if (!p->cfg->nq || !p->cfg->q[0].expr || !*p->cfg->q[0].expr) {
		jdoc_diag(doc, dg, DIAG_ERROR, p->cfg->cfg, 0,
		    "%s: a trace panel needs \"query\": the trace id to show", p->cfg->path);
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	hmap_init(&s->folded);
	s->dl_node = -1;
	s->zoom = -1;
	s->page = 10;
	p->w = s;
	return 0;
}

static void
wf_free(struct panel *p)
{
	struct wf *s = p->w;

	if (!s)
		return;
	tracetree_free(&s->tt);
	free(s->rows);
	free(s->prepos);
	free(s->collapsed);
	free(s->match);
	free(s->pattern);
	hmap_free(&s->folded, NULL);
	tracedetail_free(&s->dl);
	free(s);
	p->w = NULL;
}

static size_t
wf_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	(void)c;
	(void)w;
	(void)h;
	if (!max || !p->cfg->nq)
		return 0;
	out[0] = (struct need){ .qi = 0, .kind = "trace" };
	return 1;
}

static void
recompute_rows(struct wf *s)
{
	int32_t node = s->nrows ? s->rows[s->sel] : -1;

	s->nrows = tracetree_rows(&s->tt, s->collapsed, s->rows);
	s->sel = 0;
	for (size_t k = 0; node >= 0 && k < s->nrows; k++)
		if (s->rows[k] == node) {
			s->sel = k;
			break;
		}
}

static void
run_search(struct wf *s)
{
	s->nmatch = 0;
	for (size_t i = 0; i < s->tt.n; i++) {
		s->match[i] = s->pattern && tracetree_match(s->tt.t, i, s->pattern);
		s->nmatch += s->match[i];
	}
}

static void
rebuild(struct wf *s, const struct ev_trace *t, uint64_t seq)
{
	int32_t keep;

	/* the old copy may already be freed: only sel_id (kept current by
	 * remember_sel) and the folded ids carry over */
	tracetree_free(&s->tt);
	tracetree_build(&s->tt, t);
	s->seq = seq;
	free(s->rows);
	free(s->prepos);
	free(s->collapsed);
	free(s->match);
	s->rows = xcalloc(t->n + 1, sizeof *s->rows);
	s->prepos = xcalloc(t->n + 1, sizeof *s->prepos);
	s->collapsed = xcalloc(t->n + 1, 1);
	s->match = xcalloc(t->n + 1, 1);
	for (size_t k = 0; k < t->n; k++)
		s->prepos[s->tt.pre[k]] = (int32_t)k;
	for (size_t i = 0; i < t->n; i++)
		if (s->tt.nd[i].nkid && *t->s[i].span_id && hmap_get(&s->folded, t->s[i].span_id))
			s->collapsed[i] = 1;
	s->nrows = 0;
	recompute_rows(s);
	keep = s->sel_id[0] ? tracetree_find(&s->tt, s->sel_id) : -1;
	for (size_t k = 0; keep >= 0 && k < s->nrows; k++)
		if (s->rows[k] == keep)
			s->sel = k;
	run_search(s);
	s->zoom = -1;
	s->dl_node = -1;
}

/* Keep the selected span's id, so a refetched copy can select it again. */
static void
remember_sel(struct wf *s)
{
	if (s->seq && s->nrows && s->sel < s->nrows)
		snprintf(s->sel_id, sizeof s->sel_id, "%s", s->tt.t->s[s->rows[s->sel]].span_id);
}

/* The trace in the store for this panel, with the tree in step with it. */
static const struct ev_trace *
wf_sync(struct panel *p, const struct wctx *c)
{
	struct wf *s = p->w;
	uint64_t seq = 0;
	const struct ev_trace *t = p->nneed && p->key[0] ? store_trace(c->store, p->key[0], &seq) : NULL;

	if (!t) {
		if (s->seq) {	/* evicted: never touch the old copy again */
			tracetree_free(&s->tt);
			s->seq = 0;
			s->nrows = 0;
		}
		return NULL;
	}
	if (seq != s->seq)
		rebuild(s, t, seq);
	return t;
}

static int
wf_has_data(struct panel *p, const struct wctx *c)
{
	return wf_sync(p, c) != NULL;
}

/* ---------------------------------------------------------------- geometry */

static struct geo
geometry(const struct wf *s, int w)
{
	struct geo g;

	g.nw = w * 2 / 5;
	if (g.nw > 64)
		g.nw = 64;
	if (g.nw < 14)
		g.nw = 14;
	if (w - GUTTER - g.nw - DURW < 10)
		g.nw = w - GUTTER - DURW - 10 > 8 ? w - GUTTER - DURW - 10 : 8;
	g.dx = GUTTER + g.nw;
	g.bx = g.dx + DURW;
	g.bw = w - g.bx;
	if (g.bw < 4)
		g.bw = 0;
	g.wa = s->tt.start;
	g.wb = s->tt.end;
	if (s->zoom >= 0 && (size_t)s->zoom < s->tt.n) {
		const struct tt_node *z = &s->tt.nd[s->zoom];
		tns pad = (z->end - z->start) / 50;
		g.wa = z->start - pad;
		g.wb = z->end + pad;
	}
	if (g.wb <= g.wa)
		g.wb = g.wa + NS_PER_MS;
	return g;
}

static double
col_of(const struct geo *g, tns t)
{
	return ((double)t - (double)g->wa) * g->bw / ((double)g->wb - (double)g->wa);
}

/* A column for t, floor or ceil, clamped to [-1, bw + 1] before the
 * conversion (a zoomed axis puts far times at huge columns). */
static int
col_int(const struct geo *g, tns t, int up)
{
	double c = up ? ceil(col_of(g, t)) : floor(col_of(g, t));

	if (!(c > -1))
		return -1;
	return c > g->bw + 1 ? g->bw + 1 : (int)c;
}

static tns
tick_step(tns span, int maxticks)
{
	tns m = 1;

	if (maxticks < 1)
		maxticks = 1;
	for (;;) {
		static const int mult[] = { 1, 2, 5 };
		for (int k = 0; k < 3; k++)
			if (span / (m * mult[k]) <= maxticks)
				return m * mult[k];
		if (m > INT64_MAX / 10)
			return m;
		m *= 10;
	}
}

/* A tick label: the offset from the trace start in the largest unit
 * that keeps it short ("0s", "1.5s", "250ms"). */
static void
fmt_tick(char *dst, size_t n, tns v, tns step)
{
	tns unit = step >= NS_PER_S || v >= NS_PER_S ? NS_PER_S : step >= NS_PER_MS || v >= NS_PER_MS ?
	    NS_PER_MS : step >= NS_PER_US || v >= NS_PER_US ? NS_PER_US : 1;
	const char *u = unit == NS_PER_S ? "s" : unit == NS_PER_MS ? "ms" : unit == NS_PER_US ? "us" : "ns";

	snprintf(dst, n, "%g%s", (double)v / (double)unit, u);
}

/* ------------------------------------------------------------------ drawing */

static void
draw_header(struct canvas *cv, int y, const struct wf *s, const struct ev_trace *t, int ascii)
{
	const char *dot = ascii ? "," : "\xc2\xb7";
	const struct tracetree *tt = &s->tt;
	char buf[256], d[32], marks[200] = "";
	int x = 0, mw = 0;
	size_t ml = 0;

	if (tt->main_root >= 0) {
		const struct span *r = &t->s[tt->main_root];
		const char *svc = trace_span_service(t, r);
		x += canvas_str(cv, x, y, cv->w - x, *svc ? svc : "?", ROLE_SERIES(tt->nd[tt->main_root].svc),
		    CA_BOLD);
		x += canvas_str(cv, x, y, cv->w - x, " ", ROLE_TEXT, 0);
		x += canvas_str(cv, x, y, cv->w - x, *r->name ? r->name : "(no name)", ROLE_TITLE, 0);
	}
	trace_fmt_dur(d, sizeof d, tt->end - tt->start);
	snprintf(buf, sizeof buf, "  %s  %zu span%s %s %zu service%s %s ", d, t->n,
	    t->n == 1 ? "" : "s", dot, tt->nsvc, tt->nsvc == 1 ? "" : "s", dot);
	x += canvas_str(cv, x, y, cv->w - x, buf, ROLE_TEXT, 0);
	snprintf(buf, sizeof buf, "%zu error%s", tt->nerr, tt->nerr == 1 ? "" : "s");
	x += canvas_str(cv, x, y, cv->w - x, buf, tt->nerr ? ROLE_ERROR : ROLE_TEXT, 0);
#define MARK(cnt, what) if (cnt) ml += (size_t)snprintf(marks + ml, sizeof marks - ml, \
	"%s%zu %s", ml ? ", " : "", (size_t)(cnt), what)
	MARK(tt->norphan, tt->norphan == 1 ? "orphan" : "orphans");
	MARK(tt->ncycle, tt->ncycle == 1 ? "cycle cut" : "cycles cut");
	MARK(tt->ndup, "duplicate ids");
	MARK(tt->noutside, "outside window");
	MARK(tt->nskew, "clock skew");
	MARK(t->dropped, "spans dropped");
#undef MARK
	if (t->partial && ml + 10 < sizeof marks)
		ml += (size_t)snprintf(marks + ml, sizeof marks - ml, "%sPARTIAL", ml ? ", " : "");
	if (ml) {
		snprintf(buf, sizeof buf, " ? %s", marks);
		mw = san_width(buf, strlen(buf), 0);
		if (x + mw < cv->w)
			canvas_str(cv, x, y, cv->w - x, buf, ROLE_WARN, 0);
		else
			canvas_str_right(cv, cv->w, y, buf, ROLE_WARN, 0);
		x += mw;
	}
	if (x + 36 < cv->w)
		canvas_str_right(cv, cv->w, y, t->trace_id, ROLE_DIM, 0);
}

static void
draw_axis(struct canvas *cv, int y, const struct geo *g, int ascii)
{
	tns step;
	int last = -1;

	canvas_str(cv, GUTTER, y, g->nw, ascii ? "service / operation" : "service \xc2\xb7 operation",
	    ROLE_DIM, 0);
	canvas_str_right(cv, g->dx + DURW - 1, y, "duration", ROLE_DIM, 0);
	if (!g->bw)
		return;
	step = tick_step(g->wb - g->wa, g->bw / 9);
	/* ticks are offsets from the trace start */
	for (tns v = 0; v <= g->wb - g->wa; v += step) {
		char lab[32];
		int x = g->bx + col_int(g, g->wa + v, 0), lw;
		fmt_tick(lab, sizeof lab, v, step);
		lw = (int)strlen(lab);
		if (x <= last || x + lw > g->bx + g->bw)
			continue;
		canvas_put(cv, x, y, ascii ? '|' : 0x2502, ROLE_AXIS, 0);
		canvas_str(cv, x + 1, y, lw, lab, ROLE_AXIS, 0);
		last = x + lw + 1;
		if (step <= 0)
			break;
	}
}

static void
draw_grid(struct canvas *cv, int y, const struct geo *g, int ascii)
{
	tns step;

	if (!g->bw)
		return;
	step = tick_step(g->wb - g->wa, g->bw / 9);
	for (tns v = step; v < g->wb - g->wa && step > 0; v += step)
		canvas_put(cv, g->bx + col_int(g, g->wa + v, 0), y, ascii ? ':' : 0x250a,
		    ROLE_GRID, 0);
}

static void
draw_bar(struct canvas *cv, int y, const struct geo *g, const struct tracetree *tt, int32_t i,
    int ascii, uint8_t *crit)
{
	const struct tt_node *d = &tt->nd[i];
	enum role role = ROLE_SERIES(d->svc);
	int x0, x1;

	if (!g->bw)
		return;
	if (d->end < g->wa || (d->end == g->wa && d->start < g->wa)) {
		canvas_put(cv, g->bx, y, ascii ? '<' : 0x25c2, ROLE_WARN, CA_BOLD);
		return;
	}
	if (d->start > g->wb) {
		canvas_put(cv, g->bx + g->bw - 1, y, ascii ? '>' : 0x25b8, ROLE_WARN, CA_BOLD);
		return;
	}
	x0 = col_int(g, d->start > g->wa ? d->start : g->wa, 0);
	x1 = col_int(g, d->end < g->wb ? d->end : g->wb, 1);
	if (x0 < 0)
		x0 = 0;
	if (x1 > g->bw)
		x1 = g->bw;
	if (x0 >= g->bw)
		x0 = g->bw - 1;
	if (x1 <= x0)
		x1 = x0 + 1;
	memset(crit, 0, (size_t)g->bw);
	for (uint32_t k = 0; k < d->nseg; k++) {
		const struct tt_seg *sg = &tt->seg[d->seg0 + k];
		int a = col_int(g, sg->a, 0), b = col_int(g, sg->b, 1);
		if (b <= a)
			b = a + 1;
		for (int x = a < 0 ? 0 : a; x < b && x < g->bw; x++)
			crit[x] = 1;
	}
	for (int x = x0; x < x1; x++)
		canvas_put(cv, g->bx + x, y, crit[x] ? (ascii ? '#' : 0x2588) : (ascii ? '=' : 0x2501),
		    role, crit[x] ? CA_BOLD : 0);
	if (d->start < g->wa)
		canvas_put(cv, g->bx + x0, y, ascii ? '<' : 0x25c2, ROLE_WARN, CA_BOLD);
	if (d->end > g->wb)
		canvas_put(cv, g->bx + x1 - 1, y, ascii ? '>' : 0x25b8, ROLE_WARN, CA_BOLD);
}

static void
draw_name(struct canvas *cv, int y, const struct geo *g, const struct wf *s, int32_t i, int ascii)
{
	const struct tracetree *tt = &s->tt;
	const struct tt_node *d = &tt->nd[i];
	const struct span *sp = &tt->t->s[i];
	const char *svc = trace_span_service(tt->t, sp);
	int ind = d->depth * 2, cap = g->nw / 2, x, end = GUTTER + g->nw - 1;
	uint32_t glyph = ' ';

	if (ind > cap)
		ind = cap;
	if (d->nkid)
		glyph = s->collapsed[i] ? (ascii ? '>' : 0x25b8) : (ascii ? 'v' : 0x25be);
	x = GUTTER + ind;
	canvas_put(cv, x, y, glyph, ROLE_DIM, 0);
	x += 2;
	if (x < end)
		x += canvas_str(cv, x, y, end - x, *svc ? svc : "?", ROLE_SERIES(d->svc), 0);
	if (x + 1 < end) {
		struct text_opts o = { .role = s->match[i] ? ROLE_MATCH : ROLE_TEXT, .ellipsis = 1 };
		x++;
		x += canvas_text(cv, x, y, end - x, sp->name, strlen(sp->name), &o, NULL);
	}
	if (s->collapsed[i] && x + 2 < end) {
		char more[24];
		snprintf(more, sizeof more, " +%u", d->ndesc);
		canvas_str(cv, x, y, end - x, more, ROLE_DIM, 0);
	}
}

static void
draw_row(struct canvas *cv, int y, const struct geo *g, const struct wf *s, size_t row,
    const struct wctx *c, uint8_t *crit)
{
	const struct tracetree *tt = &s->tt;
	int32_t i = s->rows[row];
	const struct tt_node *d = &tt->nd[i];
	char du[32];

	draw_grid(cv, y, g, c->ascii);
	if (d->flags & TT_CRIT)
		canvas_put(cv, 0, y, c->ascii ? '*' : 0x25cf, ROLE_MARKER, 0);
	if (d->flags & TT_ERROR)
		canvas_put(cv, 1, y, '!', ROLE_ERROR, CA_BOLD);
	else if (d->flags & TT_ANOMALY)
		canvas_put(cv, 1, y, '?', ROLE_WARN, CA_BOLD);
	draw_name(cv, y, g, s, i, c->ascii);
	trace_fmt_dur(du, sizeof du, tt->t->s[i].dur);
	canvas_str_right(cv, g->dx + DURW - 1, y, du, d->flags & TT_ERROR ? ROLE_ERROR : ROLE_LEGEND, 0);
	draw_bar(cv, y, g, tt, i, c->ascii, crit);
	if (row == s->sel)
		canvas_restyle(cv, (struct rect){ 0, y, g->bx, 1 }, c->focused ? ROLE_SELECTION : -1,
		    c->focused ? 0 : CA_UNDERLINE);
}

static void
draw_detail(struct canvas *cv, int y, int h, struct wf *s, const struct wctx *c)
{
	int32_t node = s->rows[s->sel];
	int row = 0;

	if (s->dl_node != node || s->dl_seq != s->seq) {
		tracedetail_build(&s->dl, &s->tt, node, c->view->utc, c->ascii);
		s->dl_node = node;
		s->dl_seq = s->seq;
		s->dscroll = 0;
	}
	canvas_hline(cv, 0, y, cv->w, c->ascii ? '-' : 0x2500, ROLE_BORDER, 0);
	canvas_str(cv, 2, y, cv->w - 4, c->ascii ? " span detail - J/K scroll - Enter/Esc close " :
	    " span detail \xc2\xb7 J/K scroll \xc2\xb7 Enter/Esc close ", ROLE_TITLE, 0);
	if (s->dscroll > (int)s->dl.n - 1)
		s->dscroll = s->dl.n ? (int)s->dl.n - 1 : 0;
	for (size_t k = (size_t)s->dscroll; k < s->dl.n && row < h - 1; k++) {
		const struct dline *l = &s->dl.l[k];
		struct text_opts o = { .role = (enum role)l->role, .attr = l->attr };
		const char *t = l->text;
		size_t len = strlen(t);
		int first = 1;
		do {
			int x = l->indent + (first ? 0 : 2);
			size_t used = san_wrap(t, len, cv->w - x > 1 ? cv->w - x : 1, 0);
			canvas_text(cv, x, y + 1 + row, cv->w - x, t, used, &o, NULL);
			t += used;
			len -= used;
			row++;
			first = 0;
		} while (len && row < h - 1 && cv->w > l->indent + 3);
	}
}

static void
wf_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct wf *s = p->w;
	const struct ev_trace *t = wf_sync(p, c);
	struct geo g;
	int y = 0, wh, body;
	uint8_t *crit;

	if (!t || cv->w < 8 || cv->h < 1)
		return;
	if (cv->h >= 3)
		draw_header(cv, y++, s, t, c->ascii);
	if (!t->n) {
		canvas_str(cv, 0, y + (cv->h - y) / 2, cv->w,
		    "the backend returned this trace without any spans", ROLE_DIM, 0);
		return;
	}
	wh = cv->h - y;
	if (s->detail) {
		int dh = wh >= 14 ? wh / 2 : wh;
		draw_detail(cv, cv->h - dh, dh, s, c);
		wh -= dh;
	}
	g = geometry(s, cv->w);
	if (wh >= 3) {
		draw_axis(cv, y++, &g, c->ascii);
		wh--;
	}
	body = wh;
	s->page = body > 1 ? body : 1;
	if (body <= 0)
		return;
	if (s->sel >= s->nrows)
		s->sel = s->nrows ? s->nrows - 1 : 0;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)body)
		s->top = s->sel - (size_t)body + 1;
	if (s->top + (size_t)body > s->nrows)
		s->top = s->nrows > (size_t)body ? s->nrows - (size_t)body : 0;
	crit = xcalloc((size_t)g.bw + 1, 1);
	for (int r = 0; r < body && s->top + (size_t)r < s->nrows; r++)
		draw_row(cv, y + r, &g, s, s->top + (size_t)r, c, crit);
	free(crit);
	remember_sel(s);
}

/* -------------------------------------------------------------------- keys */

static size_t
row_of(struct wf *s, int32_t node)
{
	for (size_t k = 0; k < s->nrows; k++)
		if (s->rows[k] == node)
			return k;
	return SIZE_MAX;
}

static void
set_fold(struct wf *s, int32_t i, int on)
{
	const char *id = s->tt.t->s[i].span_id;

	s->collapsed[i] = (uint8_t)on;
	if (!*id)
		return;
	if (on)
		hmap_put(&s->folded, id, (void *)1);
	else
		hmap_del(&s->folded, id);
}

/* Make node visible (unfold its ancestors) and select it. */
static void
reveal(struct wf *s, int32_t node)
{
	int changed = 0;

	for (int32_t a = s->tt.nd[node].parent; a >= 0; a = s->tt.nd[a].parent)
		if (s->collapsed[a]) {
			set_fold(s, a, 0);
			changed = 1;
		}
	if (changed)
		recompute_rows(s);
	s->sel = row_of(s, node);
	if (s->sel == SIZE_MAX)
		s->sel = 0;
}

enum pick { P_MATCH, P_ERROR, P_CRIT };

static int
picked(const struct wf *s, int32_t i, enum pick what)
{
	switch (what) {
	case P_MATCH:
		return s->match[i];
	case P_ERROR:
		return !!(s->tt.nd[i].flags & TT_ERROR);
	case P_CRIT:
		return !!(s->tt.nd[i].flags & TT_CRIT);
	}
	return 0;
}

/* Next/previous node (display order, wrapping) with the property. */
static int
jump(struct wf *s, int dir, enum pick what, int include_current)
{
	size_t n = s->tt.n, k;

	if (!n || !s->nrows)
		return 0;
	k = (size_t)s->prepos[s->rows[s->sel]];
	for (size_t step = include_current ? 0 : 1; step <= n; step++) {
		size_t at = dir > 0 ? (k + step) % n : (k + n - step % n) % n;
		int32_t i = s->tt.pre[at];
		if (picked(s, i, what)) {
			reveal(s, i);
			return 1;
		}
	}
	return 0;
}

static void
move(struct wf *s, long d)
{
	long v = (long)s->sel + d;

	if (v < 0)
		v = 0;
	if (s->nrows && v >= (long)s->nrows)
		v = (long)s->nrows - 1;
	s->sel = (size_t)v;
}

static void
fold_all(struct wf *s, int critical_only)
{
	int any = 0;

	for (size_t i = 0; i < s->tt.n; i++)
		any |= s->collapsed[i];
	for (size_t i = 0; i < s->tt.n; i++) {
		int on;
		if (!s->tt.nd[i].nkid)
			continue;
		if (critical_only)	/* fold what is off the critical path */
			on = !(s->tt.nd[i].flags & TT_CRIT);
		else
			on = !any && s->tt.nd[i].depth >= 1;
		set_fold(s, (int32_t)i, on);
	}
	recompute_rows(s);
}

static int
tree_key(struct wf *s, int key)
{
	int32_t i = s->rows[s->sel];
	const struct tt_node *d = &s->tt.nd[i];

	switch (key) {
	case K_LEFT:
		if (d->nkid && !s->collapsed[i]) {
			set_fold(s, i, 1);
			recompute_rows(s);
		} else if (d->parent >= 0)
			reveal(s, d->parent);
		return 1;
	case K_RIGHT:
		if (s->collapsed[i]) {
			set_fold(s, i, 0);
			recompute_rows(s);
		} else if (d->nkid)
			reveal(s, s->tt.kids[d->kid0]);
		return 1;
	case 'c':
		if (d->nkid) {
			set_fold(s, i, !s->collapsed[i]);
			recompute_rows(s);
		}
		return 1;
	case 'C':
		fold_all(s, 0);
		return 1;
	case 'x':
		fold_all(s, 1);
		return 1;
	}
	return 0;
}

static int
nav_key(struct wf *s, int key, const struct wctx *c)
{
	switch (key) {
	case 'j': case K_DOWN:
		move(s, 1);
		return 1;
	case 'k': case K_UP:
		move(s, -1);
		return 1;
	case K_PGDN: case K_CTRL_F:
		move(s, s->page);
		return 1;
	case K_PGUP: case K_CTRL_B:
		move(s, -s->page);
		return 1;
	case 'g': case K_HOME:
		s->sel = 0;
		return 1;
	case 'G': case K_END:
		move(s, (long)s->nrows);
		return 1;
	case 'n': case 'N':
		if (!s->pattern)
			c->api->message(c->app, 1, "no search yet: press / first");
		else if (!s->nmatch)
			c->api->message(c->app, 1, "no span matches '%s'", s->pattern);
		else
			jump(s, key == 'n' ? 1 : -1, P_MATCH, 0);
		return 1;
	case 'e': case 'E':
		if (!jump(s, key == 'e' ? 1 : -1, P_ERROR, 0))
			c->api->message(c->app, 0, "no error spans in this trace");
		return 1;
	case 'p': case 'P':
		if (!jump(s, key == 'p' ? 1 : -1, P_CRIT, 0))
			c->api->message(c->app, 0, "no critical path (the root has no duration)");
		return 1;
	}
	return 0;
}

/* The source the panel's trace came from (its query key names it). */
static const char *
key_source(const struct panel *p, char *buf, size_t n)
{
	const char *src, *kind, *expr;
	char tmp[1024];

	if (!p->nneed || !p->key[0] || qkey_split(p->key[0], tmp, sizeof tmp, &src, &kind, &expr) < 0)
		return p->cfg->source;
	snprintf(buf, n, "%s", src);
	return buf;
}

/* What a note (`a`) attaches to: the trace id and the selected span. */
static int
wf_selection(struct panel *p, const struct wctx *c, char *buf, size_t n)
{
	struct wf *s = p->w;
	const struct ev_trace *t = s ? wf_sync(p, c) : NULL;
	const struct span *sp;
	const char *svc;
	char d[32];

	if (!t || !t->trace_id || !*t->trace_id || n == 0)
		return 0;
	if (!s->nrows || s->sel >= s->nrows) {
		snprintf(buf, n, "trace %s", t->trace_id);
		return 1;
	}
	sp = &t->s[s->rows[s->sel]];
	svc = sp->res < t->nres && t->res[sp->res].service && *t->res[sp->res].service ?
	    t->res[sp->res].service : "?";
	if (sp->dur < NS_PER_S)
		snprintf(d, sizeof d, "%lldms", (long long)(sp->dur > 0 ? sp->dur / NS_PER_MS : 0));
	else if (sp->dur < 60 * NS_PER_S)
		snprintf(d, sizeof d, "%.2fs", (double)sp->dur / NS_PER_S);
	else
		ts_fmt_duration(d, sizeof d, sp->dur);
	snprintf(buf, n, "trace %s, span %s %s (%s%s%s)", t->trace_id, svc,
	    sp->name ? sp->name : "", d, sp->status_msg && *sp->status_msg ? ", " : "",
	    sp->status_msg ? sp->status_msg : "");
	return 1;
}

static int wf_key_inner(struct panel *p, int key, const struct wctx *c);

static int
wf_key(struct panel *p, int key, const struct wctx *c)
{
	int r = wf_key_inner(p, key, c);

	remember_sel(p->w);
	return r;
}

static int
wf_key_inner(struct panel *p, int key, const struct wctx *c)
{
	struct wf *s = p->w;
	const struct ev_trace *t = wf_sync(p, c);
	char src[256];
	int32_t i;

	if (!t || !s->nrows)
		return WK_IGNORED;
	if (s->sel >= s->nrows)
		s->sel = s->nrows - 1;
	i = s->rows[s->sel];
	if (nav_key(s, key, c) || tree_key(s, key))
		return WK_HANDLED;
	switch (key) {
	case K_ENTER: case '\r':
		s->detail = !s->detail;
		s->dscroll = 0;		/* a reopened detail starts at the top */
		return WK_HANDLED;
	case K_ESC:
		if (!s->detail)
			return WK_IGNORED;
		s->detail = 0;
		return WK_HANDLED;
	case 'J':
		s->dscroll++;
		return WK_HANDLED;
	case 'K':
		if (s->dscroll > 0)
			s->dscroll--;
		return WK_HANDLED;
	case 'w':
		s->zoom = s->zoom == i ? -1 : i;
		return WK_HANDLED;
	case 'l': case 'L':
		tracelink_logs(c, key_source(p, src, sizeof src), t, (size_t)i, key == 'l');
		return WK_HANDLED;
	case 'm':
		tracelink_metrics(c, key_source(p, src, sizeof src), t, (size_t)i);
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

static int
wf_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct wf *s = p->w;

	if (!wf_sync(p, c) || !s->nrows) {
		*err = xstrdup("no trace loaded yet");
		return -1;
	}
	free(s->pattern);
	s->pattern = xstrdup(pattern);
	run_search(s);
	if (!s->nmatch) {
		*err = xasprintf("no span matches '%s'", pattern);
		return -1;
	}
	jump(s, 1, P_MATCH, 1);
	remember_sel(s);
	c->api->message(c->app, 0, "%zu span%s match%s '%s' (n / N: next / previous)", s->nmatch,
	    s->nmatch == 1 ? "" : "s", s->nmatch == 1 ? "es" : "", pattern);
	return 0;
}

const struct widget_class trace_widget = {
	.name = "trace",
	.help = "trace waterfall: span tree on a time axis, critical path, details, pivots",
	.source_types = trace_types,
	.option_keys = trace_opts,
	.init = wf_init,
	.free = wf_free,
	.needs = wf_needs,
	.draw = wf_draw,
	.key = wf_key,
	.search = wf_search,
	.has_data = wf_has_data,
	.selection = wf_selection,
};
