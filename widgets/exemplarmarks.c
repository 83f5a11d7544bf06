/* exemplarmarks: exemplars drawn on graphs and the keys that walk them.
 * Owns nothing across frames but struct exstate (the option, the id of
 * the exemplar last jumped to, the plot width seen last); the marks of a
 * frame borrow the store's exemplars (see exemplarmarks.h). */
#include "widgets/exemplarmarks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "widgets/tracelink.h"

#define MARKS_MAX	20000	/* per frame: the store keeps 20000 per key */

int
exemplarmarks_option(const struct jdoc *doc, struct diag *dg, const cJSON *options, const char *path)
{
	return jd_bool(doc, dg, options, path, "exemplars", EXM_AUTO);
}

/* The source of query qi as the app resolves it: the query's or the
 * panel's, else the first source of a type the graph accepts. */
static const struct dash_source *
query_source(const struct dash_panel *cfg, size_t qi, const struct dashboard *db)
{
	const char *name = dashboard_query_source(cfg, qi);

	if (!db)
		return NULL;
	if (name)
		return dashboard_source(db, name);
	for (size_t i = 0; i < db->nsrc; i++)
		if (!strcmp(db->src[i].type, "prometheus") || !strcmp(db->src[i].type, "loki"))
			return &db->src[i];
	return NULL;
}

int
exemplarmarks_wanted(const struct dash_panel *cfg, size_t qi, const struct dashboard *db, int opt)
{
	const struct dash_source *s;
	const char *e;

	if (qi >= cfg->nq || cfg->q[qi].hide || opt == 0)
		return 0;
	e = cfg->q[qi].expr ? cfg->q[qi].expr : "";
	if (!*e || (opt == EXM_AUTO && !strstr(e, "histogram_quantile")))
		return 0;
	s = query_source(cfg, qi, db);
	return s && strcmp(s->type, "prometheus") == 0;
}

size_t
exemplarmarks_needs(const struct panel *p, const struct exstate *es, const struct wctx *c,
    struct need *out, size_t n, size_t max)
{
	if (es->off)
		return n;
	for (size_t i = 0; i < p->cfg->nq && n < max; i++)
		if (exemplarmarks_wanted(p->cfg, i, c->db, es->opt))
			out[n++] = (struct need){ .qi = i, .kind = "exemplars", .aux = 1 };
	return n;
}

double
exemplarmarks_scale(const struct labelset *series, const char *unit)
{
	const char *name = series ? labels_get(series, "__name__") : NULL;

	if (!name || !unit)
		return 1;
	if (!strcmp(unit, "ms") && strstr(name, "_seconds"))
		return 1000;
	if (!strcmp(unit, "s") && strstr(name, "_milliseconds"))
		return 0.001;
	return 1;
}

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Identity of an exemplar: its time, value and labels (their hash, kept
 * by labels_finish(); computed here for a set that was never finished). */
static uint64_t
mark_id(const struct exemplar *x)
{
	uint64_t h = x->labels.hash, v;

	if (!h && x->labels.n) {
		struct labelset tmp = x->labels;
		labels_finish(&tmp);
		h = tmp.hash;
	}
	memcpy(&v, &x->value, sizeof v);
	return mix(h ^ mix((uint64_t)x->t) ^ mix(v + 0x9e3779b97f4a7c15ULL)) | 1;	/* 0: none */
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct exmark *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* First exemplar at or after t in a time-sorted array. */
static size_t
lower_bound(const struct exemplar *e, size_t n, tns t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
collect_key(const struct wctx *c, const char *key, tns a, tns b, const char *unit,
    struct exmarks *out, size_t *cap)
{
	size_t n;
	const struct exemplar *e = store_exemplars(c->store, key, &n);
	struct qview q;

	store_status(c->store, key, c->now, &q);
	if (q.state == QS_ERROR && !out->error)
		out->error = q.last && q.last->error ? q.last->error : "request failed";
	for (size_t i = e ? lower_bound(e, n, a) : 0; e && i < n && e[i].t <= b; i++) {
		struct exmark *m;
		if (e[i].t == TNS_NONE || !isfinite(e[i].value) || out->n >= MARKS_MAX)
			continue;
		xgrow(&out->m, cap, out->n + 1, sizeof *out->m);
		m = &out->m[out->n++];
		m->t = e[i].t;
		m->v = e[i].value * exemplarmarks_scale(&e[i].series, unit);
		m->x = &e[i];
		m->id = mark_id(&e[i]);
	}
}

void
exemplarmarks_collect(const struct panel *p, const struct wctx *c, tns a, tns b, const char *unit,
    struct exmarks *out)
{
	size_t cap = 0, w = 0, keys = 0;

	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < p->nneed; k++)
		if (p->key[k] && p->need[k].kind && !strcmp(p->need[k].kind, "exemplars")) {
			collect_key(c, p->key[k], a, b, unit, out, &cap);
			keys++;
		}
	if (out->n < 2)
		return;
	if (keys > 1)
		qsort(out->m, out->n, sizeof *out->m, mark_cmp);
	else	/* one key: sorted by time already, only equal times to order */
		for (size_t i = 1; i < out->n; i++)
			for (size_t j = i; j > 0 && mark_cmp(&out->m[j - 1], &out->m[j]) > 0; j--) {
				struct exmark tmp = out->m[j];
				out->m[j] = out->m[j - 1];
				out->m[j - 1] = tmp;
			}
	for (size_t i = 0; i < out->n; i++)	/* the same exemplar from two queries */
		if (!w || out->m[w - 1].id != out->m[i].id || out->m[w - 1].t != out->m[i].t)
			out->m[w++] = out->m[i];
	out->n = w;
}

void
exemplarmarks_release(struct exmarks *m)
{
	free(m->m);
	memset(m, 0, sizeof *m);
}

int
exemplarmarks_col(const struct exgeo *g, tns t)
{
	if (g->b <= g->a)
		return g->x0;
	return g->x0 + (int)((double)(t - g->a) / (double)(g->b - g->a) * (g->w - 1));
}

tns
exemplarmarks_tolerance(tns a, tns b, int cols, tns range)
{
	tns col = cols > 0 && b > a ? (b - a) / (2 * (tns)cols) : 0;
	tns step = range / 200;
	tns t = col > step ? col : step;

	return t > 0 ? t : 1;
}

static tns
dist(tns a, tns b)
{
	return a > b ? a - b : b - a;
}

long
exemplarmarks_at(const struct exmarks *m, tns cursor, tns tol, uint64_t prefer)
{
	long best = -1;
	tns bd = 0;

	if (cursor == TNS_NONE)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		tns d;
		if (m->m[i].t < cursor - tol)
			continue;
		if (m->m[i].t > cursor + tol)
			break;
		d = dist(m->m[i].t, cursor);
		if (best < 0 || d < bd || (d == bd && m->m[i].id == prefer &&
		    m->m[best].id != prefer)) {
			best = (long)i;
			bd = d;
		}
	}
	return best;
}

long
exemplarmarks_step(const struct exmarks *m, tns cursor, tns tol, uint64_t prefer, int dir)
{
	long cur;

	if (!m->n)
		return -1;
	if (cursor == TNS_NONE)
		return dir > 0 ? 0 : (long)m->n - 1;
	if ((cur = exemplarmarks_at(m, cursor, tol, prefer)) >= 0) {
		cur += dir;
		return cur >= 0 && (size_t)cur < m->n ? cur : -1;
	}
	if (dir > 0) {
		for (size_t i = 0; i < m->n; i++)
			if (m->m[i].t > cursor)
				return (long)i;
		return -1;
	}
	for (size_t i = m->n; i-- > 0;)
		if (m->m[i].t < cursor)
			return (long)i;
	return -1;
}

/* The cell row of value v (the graph's dot arithmetic, then cells). */
static int
row_of(const struct exgeo *g, double v)
{
	double r;

	if (g->hi <= g->lo || g->dh <= 0 || g->yres <= 0)
		return g->y0 + g->h / 2;
	r = (g->hi - v) / (g->hi - g->lo);
	if (!(r >= 0))
		r = 0;
	if (r > 1)
		r = 1;
	return g->y0 + (int)llround(r * (g->dh - 1)) / g->yres;
}

static void
put_mark(struct canvas *cv, const struct exgeo *g, const struct exmark *e, int selected, int ascii)
{
	int x = exemplarmarks_col(g, e->t), y = row_of(g, e->v);
	uint32_t ch = ascii ? (selected ? '@' : 'o') : (selected ? 0x25c6 : 0x25c7);

	if (x < g->x0 || x >= g->x0 + g->w || y < g->y0 || y >= g->y0 + g->h)
		return;
	canvas_put(cv, x, y, ch, ROLE_TRACELINK, selected ? CA_BOLD : 0);
}

void
exemplarmarks_draw(struct canvas *cv, const struct exgeo *g, const struct exmarks *m, long sel,
    const struct wctx *c)
{
	int ascii = c->ascii || c->gs == GS_ASCII;

	for (size_t i = 0; i < m->n; i++)
		if ((long)i != sel)
			put_mark(cv, g, &m->m[i], 0, ascii);
	if (sel >= 0 && (size_t)sel < m->n)
		put_mark(cv, g, &m->m[sel], 1, ascii);
}

/* "trace <id>" or the exemplar's labels when it has no trace id. */
static char *
what_text(const struct exemplar *x)
{
	const char *id = exemplar_trace_id(x);
	struct buf b;

	if (id)
		return xasprintf("trace %s", id);
	buf_init(&b, 4096);
	buf_puts(&b, "exemplar ");
	labels_format(&x->labels, &b, 0);
	return buf_steal(&b, NULL);
}

/* The label text that fits w columns, longest first:
 *   trace <id> · 8.41 s · 02:17:50 · 7/11 · Enter: open
 *   <id> · 8.41 s · 02:17:50 · 7/11
 *   <id> · 8.41 s            (the id cut with … when it must be) */
static char *
label_text(const struct exmark *e, long sel, size_t n, const char *unit, int decimals,
    const struct wctx *c, int w, int ascii)
{
	const char *dot = ascii ? " - " : " \xc2\xb7 ", *id = exemplar_trace_id(e->x);
	char val[48], clock[16], *what = what_text(e->x), *s;

	unit_format(e->v, unit, decimals, val, sizeof val);
	ts_fmt_clock(clock, sizeof clock, e->t, c->view->utc, 1);
	s = xasprintf("%s%s%s%s%s%s%ld/%zu%s%s", what, dot, val, dot, clock, dot, sel + 1, n,
	    id && c->inside ? dot : "", id && c->inside ? "Enter: open" : "");
	if (san_width(s, strlen(s), 0) > w) {
		free(s);
		s = xasprintf("%s%s%s%s%s%s%ld/%zu", id ? id : what, dot, val, dot, clock, dot,
		    sel + 1, n);
	}
	if (san_width(s, strlen(s), 0) > w) {
		free(s);
		s = xasprintf("%s%s%s", id ? id : what, dot, val);
	}
	free(what);
	return s;
}

void
exemplarmarks_label(struct canvas *cv, const struct exgeo *g, const struct exmarks *m, long sel,
    const char *unit, int decimals, const struct wctx *c)
{
	const struct exmark *e;
	int ascii = c->ascii || c->gs == GS_ASCII, tw, vw, total, x, y, mx, my;
	char val[48], *text;

	if (sel < 0 || (size_t)sel >= m->n || g->w < 8 || g->h < 1)
		return;
	e = &m->m[sel];
	text = label_text(e, sel, m->n, unit, decimals, c, g->w - 2, ascii);
	tw = san_width(text, strlen(text), 0);
	total = 2 + tw < g->w ? 2 + tw : g->w;
	mx = exemplarmarks_col(g, e->t);
	my = row_of(g, e->v);
	if (g->axis_y >= 0) {
		y = g->axis_y;
		x = mx - 2 + total > g->x0 + g->w ? g->x0 + g->w - total : mx - 2;
		if (x < g->x0)
			x = g->x0;
	} else {
		y = my < g->y0 + g->h / 2 ? g->y0 + g->h - 1 : g->y0;
		x = mx >= g->x0 + g->w / 2 ? g->x0 : g->x0 + g->w - total;
	}
	canvas_fill(cv, (struct rect){ x, y, total, 1 }, ' ', ROLE_LEGEND, 0);
	canvas_put(cv, x, y, ascii ? '@' : 0x25c6, ROLE_TRACELINK, CA_BOLD);
	if (2 + tw > g->w) {
		/* still too wide: keep the value, cut the id */
		unit_format(e->v, unit, decimals, val, sizeof val);
		vw = (int)strlen(val) + 1;
		if (total - 2 - vw >= 4) {
			struct text_opts o = { .role = ROLE_TRACELINK, .ellipsis = 1 };
			canvas_text(cv, x + 2, y, total - 2 - vw, text, strcspn(text, " "), &o, NULL);
			canvas_str(cv, x + total - vw + 1, y, vw - 1, val, ROLE_LEGEND, 0);
			free(text);
			return;
		}
	}
	{
		/* the trace id (or labels) in the link colour, the rest as a legend */
		const char *dot = strstr(text, ascii ? " - " : " \xc2\xb7 ");
		struct text_span sp = { 0, dot ? (size_t)(dot - text) : strlen(text), ROLE_TRACELINK, 0 };
		struct text_opts o = { .role = ROLE_LEGEND, .ellipsis = 1, .spans = &sp, .nspans = 1 };
		canvas_text(cv, x + 2, y, total - 2, text, strlen(text), &o, NULL);
	}
	free(text);
}

void
exemplarmarks_frame(struct canvas *cv, const struct exgeo *g, const struct panel *p,
    struct exstate *es, const char *unit, int decimals, const struct wctx *c)
{
	struct exmarks m;
	long sel;

	es->plot_w = g->w;
	if (es->off)
		return;
	exemplarmarks_collect(p, c, g->a, g->b, unit, &m);
	sel = exemplarmarks_at(&m, c->view->cursor,
	    exemplarmarks_tolerance(g->a, g->b, g->w, c->view->range), es->sel);
	exemplarmarks_draw(cv, g, &m, sel, c);
	exemplarmarks_label(cv, g, &m, sel, unit, decimals, c);
	if (m.error && c->inside && g->h >= 3 && sel < 0) {
		char *msg = xasprintf("! exemplars: %s", m.error);
		struct text_opts o = { .role = ROLE_STALE, .ellipsis = 1 };
		canvas_text(cv, g->x0, g->y0 + g->h - 1, g->w, msg, strlen(msg), &o, NULL);
		free(msg);
	}
	exemplarmarks_release(&m);
}

/* The exemplar error line (zoomed only: the badge ignores exemplars). */
static void
say_error(const struct wctx *c, const struct exmarks *m)
{
	if (m->error)
		c->api->message(c->app, 1, "exemplars: %s", m->error);
	else
		c->api->message(c->app, 0, "no exemplars in this window");
}

static int
has_needs(const struct panel *p)
{
	for (size_t k = 0; k < p->nneed; k++)
		if (p->need[k].kind && !strcmp(p->need[k].kind, "exemplars"))
			return 1;
	return 0;
}

static int
open_trace(const struct wctx *c, const struct exmark *e)
{
	const char *id = exemplar_trace_id(e->x);
	char *what;

	if (!id) {
		what = what_text(e->x);
		c->api->message(c->app, 1, "this exemplar has no trace id (%.200s)", what);
		free(what);
		return WK_HANDLED;
	}
	tracelink_open_trace(c, NULL, id, "exemplar");
	return WK_HANDLED;
}

int
exemplarmarks_key(struct panel *p, struct exstate *es, int key, const char *unit,
    const struct wctx *c)
{
	struct exmarks m;
	tns tol;
	long i;
	int r = WK_HANDLED;

	if (key == 'X' && (has_needs(p) || es->off)) {
		es->off = !es->off;
		c->api->message(c->app, 0, "exemplars %s", es->off ? "hidden" : "shown");
		return WK_HANDLED | WK_RELAYOUT;
	}
	if (es->off || !has_needs(p) || (key != 'e' && key != 'E' && key != K_ENTER && key != '\r'))
		return WK_IGNORED;
	if ((key == K_ENTER || key == '\r') && !c->inside)
		return WK_IGNORED;	/* in the grid Enter zooms */
	exemplarmarks_collect(p, c, c->start, c->end, unit, &m);
	tol = exemplarmarks_tolerance(c->start, c->end, es->plot_w, c->view->range);
	if (key == 'e' || key == 'E') {
		if (!m.n)
			say_error(c, &m);
		else if ((i = exemplarmarks_step(&m, c->view->cursor, tol, es->sel,
		    key == 'e' ? 1 : -1)) < 0)
			c->api->message(c->app, 0, "no exemplar %s the cursor in this window",
			    key == 'e' ? "after" : "before");
		else {
			es->sel = m.m[i].id;
			c->api->set_cursor(c->app, m.m[i].t);
		}
	} else if ((i = exemplarmarks_at(&m, c->view->cursor, tol, es->sel)) >= 0)
		r = open_trace(c, &m.m[i]);
	else
		r = WK_IGNORED;
	exemplarmarks_release(&m);
	return r;
}
