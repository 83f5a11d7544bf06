/* tracesearch: a table of the traces matching a query (panel type
 * "tracesearch"; query = TraceQL, Tempo tags, or a Jaeger service /
 * key=value words; source tempo or jaeger).  It is refreshed like any
 * panel over the current window.  Columns: start, trace id, root
 * service, root operation, duration, spans, errors, and a duration bar
 * scaled to the slowest row.  j/k select, s cycles the sort (newest,
 * slowest, most errors), Enter opens the waterfall as a pivot.  Rows are
 * formatted only when on screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "widgets/tracelink.h"
#include "widgets/widget.h"

static const char *const ts_types[] = { "tempo", "jaeger", NULL };
static const char *const ts_opts[] = { "limit", "sort", NULL };

enum sort { SORT_START, SORT_DUR, SORT_ERR, SORT_N };
static const char *const sort_names[] = { "newest", "slowest", "most errors" };

struct tsw {
	int		 limit;
	enum sort	 sort;
	size_t		 sel, top;
	char		 sel_id[TRACE_ID_HEX + 1];
	size_t		*order;		/* rows of the current answer in display order */
	int		 page;
};

static int
ts_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct tsw *s = xcalloc(1, sizeof *s);
	const char *so = jd_str(doc, dg, p->cfg->options, p->cfg->path, "sort", "newest");

	s->limit = jd_int(doc, dg, p->cfg->options, p->cfg->path, "limit", 0, 0, 1000);
	for (int i = 0; i < SORT_N; i++)
		if (strcmp(so, sort_names[i]) == 0)
			s->sort = (enum sort)i;
	s->page = 10;
	p->w = s;
	return 0;
}

static void
ts_free(struct panel *p)
{
	struct tsw *s = p->w;

	if (s)
		free(s->order);
	free(s);
	p->w = NULL;
}

static size_t
ts_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct tsw *s = p->w;

	(void)c;
	(void)w;
	(void)h;
	if (!max || !p->cfg->nq)
		return 0;
	out[0] = (struct need){ .qi = 0, .kind = "tracesearch", .limit = s->limit };
	return 1;
}

static const struct ev_tracesearch *
answer(struct panel *p, const struct wctx *c)
{
	return p->nneed && p->key[0] ? store_tracesearch(c->store, p->key[0]) : NULL;
}

static int
ts_has_data(struct panel *p, const struct wctx *c)
{
	return answer(p, c) != NULL;
}

struct sort_ctx {
	const struct ev_tracesearch	*e;
	enum sort			 by;
};

static int
cmp_rows(const void *a, const void *b, void *ctx)
{
	const struct sort_ctx *sc = ctx;
	const struct tsrow *x = &sc->e->r[*(const size_t *)a], *y = &sc->e->r[*(const size_t *)b];

	switch (sc->by) {
	case SORT_DUR:
		if (x->dur != y->dur)
			return x->dur > y->dur ? -1 : 1;
		break;
	case SORT_ERR:
		if (x->errors != y->errors)
			return x->errors > y->errors ? -1 : 1;
		break;
	default:
		break;
	}
	if (x->start != y->start)
		return x->start > y->start ? -1 : 1;
	return strcmp(x->trace_id, y->trace_id);
}

/* The display order of e, built for every use (an answer holds at most a
 * few hundred rows): the widget keeps no pointer to an answer, which the
 * store frees when the next one arrives.  The selection follows its
 * trace id (remember()), back to the top if the id is gone. */
static void
sync_order(struct tsw *s, const struct ev_tracesearch *e)
{
	struct sort_ctx sc = { e, s->sort };

	free(s->order);
	s->order = xcalloc(e->n + 1, sizeof *s->order);
	for (size_t i = 0; i < e->n; i++)
		s->order[i] = i;
	qsort_r(s->order, e->n, sizeof *s->order, cmp_rows, &sc);
	if (!s->sel_id[0])
		return;
	s->sel = 0;
	for (size_t k = 0; k < e->n; k++)
		if (strcmp(e->r[s->order[k]].trace_id, s->sel_id) == 0)
			s->sel = k;
}

/* After the selection moved: its trace id, for the next answer. */
static void
remember(struct tsw *s, const struct ev_tracesearch *e)
{
	if (s->sel < e->n)
		snprintf(s->sel_id, sizeof s->sel_id, "%s", e->r[s->order[s->sel]].trace_id);
}

struct cols {
	int	t, id, idw, svc, svw, name, namew, dur, spans, err, bar, barw;
};

static struct cols
columns(int w)
{
	struct cols k;

	k.t = 1;
	k.id = k.t + 9;
	k.idw = w >= 150 ? 32 : 16;
	k.svc = k.id + k.idw + 1;
	k.svw = w >= 100 ? 16 : 10;
	k.name = k.svc + k.svw + 1;
	k.barw = w >= 110 ? (w - 110) / 2 + 10 : 0;
	if (k.barw > 40)
		k.barw = 40;
	k.err = w - k.barw - (k.barw ? 1 : 0) - 6;
	k.spans = k.err - 7;
	k.dur = k.spans - 9;
	k.namew = k.dur - k.name - 1;
	k.bar = w - k.barw;
	if (k.namew < 6) {	/* narrow: drop the id */
		k.svc = k.id;
		k.name = k.svc + k.svw + 1;
		k.namew = k.dur - k.name - 1;
		k.idw = 0;
	}
	return k;
}

/* A stable colour per service name. */
static unsigned
name_hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void
draw_row(struct canvas *cv, int y, const struct cols *k, const struct tsrow *r, tns maxdur,
    const struct wctx *c)
{
	char buf[64];
	struct text_opts o = { .role = ROLE_TEXT, .ellipsis = 1 };

	if (r->errors)
		canvas_put(cv, 0, y, '!', ROLE_ERROR, CA_BOLD);
	if (r->start != TNS_NONE && r->start > 0) {
		ts_fmt_clock(buf, sizeof buf, r->start, c->view->utc, 1);
		canvas_str(cv, k->t, y, 8, buf, ROLE_AXIS, 0);
	}
	if (k->idw)	/* a 64-bit id shows as its 16 digits, as the backends do */
		canvas_str(cv, k->id, y, k->idw, strncmp(r->trace_id, "0000000000000000", 16) == 0 ?
		    r->trace_id + 16 : r->trace_id, ROLE_TRACELINK, 0);
	o.role = ROLE_SERIES(name_hash(r->root_service));
	canvas_text(cv, k->svc, y, k->svw, r->root_service, strlen(r->root_service), &o, NULL);
	o.role = ROLE_TEXT;
	if (k->namew > 0)
		canvas_text(cv, k->name, y, k->namew, r->root_name, strlen(r->root_name), &o, NULL);
	if (r->dur >= 0) {
		trace_fmt_dur(buf, sizeof buf, r->dur);
		canvas_str_right(cv, k->dur + 8, y, buf, ROLE_LEGEND, 0);
	}
	if (r->spans) {
		snprintf(buf, sizeof buf, "%u", r->spans);
		canvas_str_right(cv, k->spans + 6, y, buf, ROLE_LEGEND, 0);
	}
	snprintf(buf, sizeof buf, "%u", r->errors);
	canvas_str_right(cv, k->err + 6, y, buf, r->errors ? ROLE_ERROR : ROLE_DIM, 0);
	if (k->barw && maxdur > 0 && r->dur > 0) {
		int n = (int)((double)r->dur / (double)maxdur * k->barw + 0.5);
		for (int x = 0; x < (n < 1 ? 1 : n) && x < k->barw; x++)
			canvas_put(cv, k->bar + x, y, c->ascii ? '=' : 0x2501,
			    r->errors ? ROLE_ERROR : ROLE_SERIES1, 0);
	}
}

static void
draw_head(struct canvas *cv, int y, const struct cols *k, const struct ev_tracesearch *e,
    const struct tsw *s, int ascii)
{
	const char *dot = ascii ? "-" : "\xc2\xb7";
	char buf[160];

	snprintf(buf, sizeof buf, "%zu trace%s %s %s first (s: sort) %s Enter opens the waterfall",
	    e->n, e->n == 1 ? "" : "s", dot, sort_names[s->sort], dot);
	canvas_str(cv, 0, y, cv->w, buf, ROLE_TEXT, 0);
	if (e->inspected) {
		snprintf(buf, sizeof buf, "%llu inspected", (unsigned long long)e->inspected);
		canvas_str_right(cv, cv->w, y, buf, ROLE_DIM, 0);
	}
	y++;
	canvas_str(cv, k->t, y, 8, "start", ROLE_DIM, 0);
	if (k->idw)
		canvas_str(cv, k->id, y, k->idw, "trace id", ROLE_DIM, 0);
	canvas_str(cv, k->svc, y, k->svw, "service", ROLE_DIM, 0);
	if (k->namew > 0)
		canvas_str(cv, k->name, y, k->namew, "root operation", ROLE_DIM, 0);
	canvas_str_right(cv, k->dur + 8, y, "duration", ROLE_DIM, 0);
	canvas_str_right(cv, k->spans + 6, y, "spans", ROLE_DIM, 0);
	canvas_str_right(cv, k->err + 6, y, "errors", ROLE_DIM, 0);
}

static void
ts_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct tsw *s = p->w;
	const struct ev_tracesearch *e = answer(p, c);
	struct cols k;
	tns maxdur = 0;
	int y = 0, body;

	if (!e || cv->w < 20 || cv->h < 1)
		return;
	sync_order(s, e);
	k = columns(cv->w);
	if (cv->h >= 4) {
		draw_head(cv, y, &k, e, s, c->ascii);
		y += 2;
	}
	if (!e->n) {
		canvas_str(cv, 0, y, cv->w, "no traces match in this window", ROLE_DIM, 0);
		return;
	}
	for (size_t i = 0; i < e->n; i++)
		if (e->r[i].dur > maxdur)
			maxdur = e->r[i].dur;
	body = cv->h - y;
	s->page = body > 1 ? body : 1;
	if (s->sel >= e->n)
		s->sel = e->n - 1;
	remember(s, e);
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + (size_t)body)
		s->top = s->sel - (size_t)body + 1;
	for (int r = 0; r < body && s->top + (size_t)r < e->n; r++) {
		size_t row = s->top + (size_t)r;
		draw_row(cv, y + r, &k, &e->r[s->order[row]], maxdur, c);
		if (row == s->sel)
			canvas_restyle(cv, (struct rect){ 0, y + r, k.dur + 8, 1 },
			    c->focused ? ROLE_SELECTION : -1, c->focused ? 0 : CA_UNDERLINE);
	}
}

static int
ts_key(struct panel *p, int key, const struct wctx *c)
{
	struct tsw *s = p->w;
	const struct ev_tracesearch *e = answer(p, c);
	char src[256], tmp[1024];
	const char *sn, *kind, *expr;

	if (!e || !e->n)
		return key == 's' ? WK_HANDLED : WK_IGNORED;
	sync_order(s, e);
	switch (key) {
	case 'j': case K_DOWN:
		if (s->sel + 1 < e->n)
			s->sel++;
		break;
	case 'k': case K_UP:
		if (s->sel)
			s->sel--;
		break;
	case K_PGDN:
		s->sel = s->sel + (size_t)s->page < e->n ? s->sel + (size_t)s->page : e->n - 1;
		break;
	case K_PGUP:
		s->sel = s->sel > (size_t)s->page ? s->sel - (size_t)s->page : 0;
		break;
	case 'g': case K_HOME:
		s->sel = 0;
		break;
	case 'G': case K_END:
		s->sel = e->n - 1;
		break;
	case 's':	/* the selected trace stays selected */
		remember(s, e);
		s->sort = (enum sort)((s->sort + 1) % SORT_N);
		sync_order(s, e);
		break;
	case K_ENTER: case '\r':
		sn = p->cfg->source;
		if (qkey_split(p->key[0], tmp, sizeof tmp, &sn, &kind, &expr) == 0) {
			snprintf(src, sizeof src, "%s", sn);
			sn = src;
		}
		tracelink_open_trace(c, sn, e->r[s->order[s->sel]].trace_id, "trace search");
		return WK_HANDLED;
	default:
		return WK_IGNORED;
	}
	remember(s, e);
	return WK_HANDLED;
}

const struct widget_class tracesearch_widget = {
	.name = "tracesearch",
	.help = "traces matching a TraceQL / tag / service query; Enter opens the waterfall",
	.source_types = ts_types,
	.option_keys = ts_opts,
	.init = ts_init,
	.free = ts_free,
	.needs = ts_needs,
	.draw = ts_draw,
	.key = ts_key,
	.has_data = ts_has_data,
};
