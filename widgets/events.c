/* events: what the cluster just did — Kubernetes events (both API shapes,
 * normalised by the source), Warning first, then newest first: last seen,
 * type, reason, object, count, message (sanitised by the canvas).
 * It follows the shared time cursor: the list is the events as they were
 * at the cursor (or the window's end), ages are relative to that moment,
 * and events seen in the last moments before it are bold.
 * Keys: j/k select, Enter puts the time cursor on the event, w warnings
 * only, t time order (instead of Warning first), / filter, F clear it.
 * Invariant: the sorted row list is rebuilt only when the view or an
 * option changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/podstatus.h"
#include "core/xalloc.h"
#include "widgets/kubeui.h"
#include "widgets/rowfilter.h"
#include "widgets/widget.h"

static const char *const events_types[] = { "kubectl", NULL };
static const char *const events_opts[] = { "warnings_only", "filter", "time_order", NULL };

struct erow {
	const struct kevent	*e;
	int			 src;
	int			 warn;
};

struct events_state {
	int			 warnings_only, time_order;
	struct rowfilter	 filt;
	struct erow		*rows;
	size_t			 n, cap;
	uint64_t		 sig[NEED_MAX + 1];
	int			 dirty, nsrc, multi_ns;
	int			 sel, top;
	size_t			 total, warnings;
	struct kube_view	 v[NEED_MAX];
};

static int
events_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct events_state *s = xcalloc(1, sizeof *s);
	const cJSON *o = p->cfg->options;
	const char *filter = jd_str(doc, dg, o, p->cfg->path, "filter", NULL);
	char *err = NULL;

	p->w = s;
	s->warnings_only = jd_bool(doc, dg, o, p->cfg->path, "warnings_only", 0);
	s->time_order = jd_bool(doc, dg, o, p->cfg->path, "time_order", 0);
	if (filter && rowfilter_set(&s->filt, filter, &err) < 0) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "filter"), 0,
		    "%s.options.filter: %s", p->cfg->path, err);
		free(err);
	}
	s->dirty = 1;
	return 0;
}

static void
events_free(struct panel *p)
{
	struct events_state *s = p->w;

	if (!s)
		return;
	rowfilter_free(&s->filt);
	free(s->rows);
	free(s);
	p->w = NULL;
}

static size_t
events_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	size_t nq = p->cfg->nq ? p->cfg->nq : 1, n = 0;

	(void)c; (void)w; (void)h;
	for (size_t qi = 0; qi < nq && n < max; qi++)
		if (!p->cfg->nq || !p->cfg->q[qi].hide)
			out[n++] = (struct need){ .qi = qi, .kind = "events" };
	return n;
}

static int time_order;	/* qsort context */

static int
cmp_erow(const void *a, const void *b)
{
	const struct erow *x = a, *y = b;

	if (!time_order && x->warn != y->warn)
		return y->warn - x->warn;
	if (x->e->last != y->e->last)
		return (y->e->last > x->e->last) - (y->e->last < x->e->last);
	return strcmp(x->e->meta.name, y->e->meta.name);
}

static int
matches(const struct events_state *s, const struct kevent *e)
{
	char text[2048];
	int n;

	if (!rowfilter_active(&s->filt))
		return 1;
	n = snprintf(text, sizeof text, "%s %s %s/%s %s %s", e->type ? e->type : "",
	    e->reason ? e->reason : "", e->obj_kind ? e->obj_kind : "", e->obj_name ? e->obj_name : "",
	    e->meta.ns, e->message ? e->message : "");
	return rowfilter_match(&s->filt, text, n < (int)sizeof text ? (size_t)n : sizeof text - 1,
	    NULL, NULL);
}

static void
build(struct panel *p, const struct wctx *c, tns at)
{
	struct events_state *s = p->w;
	uint64_t sig[NEED_MAX + 1];

	memset(sig, 0, sizeof sig);
	memset(s->v, 0, sizeof s->v);
	s->nsrc = 0;
	for (size_t k = 0; k < p->nneed; k++) {
		size_t q = p->need[k].qi;
		if (q >= NEED_MAX || !p->key[k])
			continue;
		store_kube(c->store, p->key[k], at, &s->v[q]);
		sig[q] = s->v[q].gen;
		if ((int)q + 1 > s->nsrc)
			s->nsrc = (int)q + 1;
	}
	/* "first seen before the cursor" moves with it; live, everything the
	 * cluster reports is shown (its clock may be ahead of ours) */
	if (c->view->live && c->view->cursor == TNS_NONE)
		at = INT64_MAX;
	sig[NEED_MAX] = (uint64_t)at;
	if (!s->dirty && memcmp(sig, s->sig, sizeof sig) == 0)
		return;
	memcpy(s->sig, sig, sizeof sig);
	s->dirty = 0;
	s->n = s->total = s->warnings = 0;
	s->multi_ns = 0;
	for (int q = 0; q < s->nsrc; q++)
		for (size_t i = 0; i < s->v[q].n; i++) {
			const struct kevent *e = s->v[q].items[i];
			int warn = e->type && strcmp(e->type, "Warning") == 0;
			if (e->first != TNS_NONE && e->first > at)
				continue;
			s->total++;
			s->warnings += (size_t)warn;
			if ((s->warnings_only && !warn) || !matches(s, e))
				continue;
			if (s->n && strcmp(e->meta.ns, s->rows[0].e->meta.ns) != 0)
				s->multi_ns = 1;
			xgrow(&s->rows, &s->cap, s->n + 1, sizeof *s->rows);
			s->rows[s->n++] = (struct erow){ e, q, warn };
		}
	time_order = s->time_order;
	if (s->n > 1)
		qsort(s->rows, s->n, sizeof *s->rows, cmp_erow);
	if (s->sel >= (int)s->n)
		s->sel = s->n ? (int)s->n - 1 : 0;
}

static void
draw_row(struct canvas *cv, int y, const struct erow *r, const struct events_state *s,
    const struct panel *p, tns at, tns recent, int wreason, int wobj)
{
	const struct kevent *e = r->e;
	enum role role = r->warn ? ROLE_WARN : ROLE_TEXT;
	uint8_t attr = e->last != TNS_NONE && e->last >= at - recent ? CA_BOLD : 0;
	char b[600], age[32];
	int x = 0;
	struct text_opts o = { .role = role, .attr = attr, .ellipsis = 1 };

	if (s->nsrc > 1) {
		char src[64];
		if (kubeui_source(p, (size_t)r->src, src, sizeof src) < 0)
			snprintf(src, sizeof src, "-");
		canvas_str(cv, x, y, 12, src, ROLE_DIM, 0);
		x += 13;
	}
	kube_age(e->last, at, age, sizeof age);
	canvas_str(cv, x, y, 7, age, role, attr);
	x += 7;
	canvas_str(cv, x, y, 8, e->type ? e->type : "", role, attr | (r->warn ? CA_BOLD : 0));
	x += 8;
	canvas_str(cv, x, y, wreason, e->reason ? e->reason : "", role, attr);
	x += wreason + 1;
	if (s->multi_ns)
		snprintf(b, sizeof b, "%s/%s/%s", e->obj_ns ? e->obj_ns : e->meta.ns,
		    e->obj_kind ? e->obj_kind : "?", e->obj_name ? e->obj_name : "?");
	else
		snprintf(b, sizeof b, "%s/%s", e->obj_kind ? e->obj_kind : "?", e->obj_name ? e->obj_name : "?");
	canvas_text(cv, x, y, wobj, b, strlen(b), &o, NULL);
	x += wobj + 1;
	snprintf(b, sizeof b, "%d", (int)e->count);
	canvas_str_right(cv, x + 5, y, b, role, attr);
	x += 7;
	if (x < cv->w && e->message)
		canvas_text(cv, x, y, cv->w - x, e->message, strlen(e->message), &o, NULL);
}

static void
events_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct events_state *s = p->w;
	tns at = kubeui_time(c), recent = c->view->range / 40;
	int y = 0, rows, wreason = 18, wobj = 34, x = 0;
	char b[256];

	build(p, c, at);
	if (kubeui_before_first(cv, s->v, s->nsrc, at, c))
		return;
	if (cv->w < 100) {
		wreason = 14;
		wobj = cv->w < 70 ? 20 : 26;
	}
	if (cv->h >= 5) {
		snprintf(b, sizeof b, "%zu events  ", s->total);
		x = canvas_str(cv, 0, 0, cv->w, b, ROLE_TEXT, CA_BOLD);
		snprintf(b, sizeof b, "%zu warnings", s->warnings);
		x += canvas_str(cv, x, 0, cv->w - x, b, s->warnings ? ROLE_WARN : ROLE_DIM, 0);
		if (s->warnings_only)
			x += canvas_str(cv, x, 0, cv->w - x, "  (warnings only)", ROLE_DIM, 0);
		if (rowfilter_active(&s->filt)) {
			snprintf(b, sizeof b, "  %zu shown for /%.100s/", s->n, s->filt.pattern);
			canvas_str(cv, x, 0, cv->w - x, b, ROLE_MATCH, 0);
		}
		y = 1;
	}
	x = s->nsrc > 1 ? 13 : 0;
	canvas_str(cv, x, y, cv->w, "LAST", ROLE_AXIS, CA_BOLD);
	canvas_str(cv, x + 7, y, cv->w, "TYPE", ROLE_AXIS, CA_BOLD);
	canvas_str(cv, x + 15, y, cv->w, "REASON", ROLE_AXIS, CA_BOLD);
	canvas_str(cv, x + 16 + wreason, y, cv->w, "OBJECT", ROLE_AXIS, CA_BOLD);
	canvas_str(cv, x + 17 + wreason + wobj, y, cv->w, "COUNT", ROLE_AXIS, CA_BOLD);
	canvas_str(cv, x + 24 + wreason + wobj, y, cv->w, "MESSAGE", ROLE_AXIS, CA_BOLD);
	y++;
	rows = cv->h - y;
	if (!s->n) {
		canvas_str(cv, 0, y, cv->w, s->total ? "no events match" : "no events", ROLE_DIM, 0);
		return;
	}
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	for (int i = 0; i < rows && s->top + i < (int)s->n; i++) {
		draw_row(cv, y + i, &s->rows[s->top + i], s, p, at, recent, wreason, wobj);
		if (c->focused && c->inside && s->top + i == s->sel)
			canvas_restyle(cv, (struct rect){ 0, y + i, cv->w, 1 }, ROLE_SELECTION, 0);
	}
}

static int
events_key(struct panel *p, int key, const struct wctx *c)
{
	struct events_state *s = p->w;

	if (kubeui_nav_key(key, &s->sel, (int)s->n, 10, c))
		return WK_HANDLED;
	switch (key) {
	case 'w':
		s->warnings_only = !s->warnings_only;
		s->dirty = 1;
		s->sel = s->top = 0;
		return WK_HANDLED;
	case 't':
		s->time_order = !s->time_order;
		s->dirty = 1;
		return WK_HANDLED;
	case 'F':
		rowfilter_free(&s->filt);
		s->dirty = 1;
		return WK_HANDLED;
	case K_ENTER: case '\r':
		if (!c->inside)
			return WK_IGNORED;
		build(p, c, kubeui_time(c));	/* rows point into the store */
		if (s->sel >= (int)s->n)
			return WK_HANDLED;
		c->api->set_cursor(c->app, s->rows[s->sel].e->last);
		c->api->message(c->app, 0, "time cursor on %s %s",
		    s->rows[s->sel].e->reason ? s->rows[s->sel].e->reason : "event",
		    s->rows[s->sel].e->obj_name ? s->rows[s->sel].e->obj_name : "");
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

static int
events_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct events_state *s = p->w;

	(void)c;
	if (rowfilter_set(&s->filt, pattern, err) < 0)
		return -1;
	s->dirty = 1;
	s->sel = s->top = 0;
	return 0;
}

static int
events_has_data(struct panel *p, const struct wctx *c)
{
	return kubeui_has_kind(p, c, "events");
}

const struct widget_class events_widget = {
	.name = "events",
	.help = "Kubernetes events, Warning first, following the time cursor",
	.source_types = events_types,
	.option_keys = events_opts,
	.init = events_init,
	.free = events_free,
	.needs = events_needs,
	.draw = events_draw,
	.key = events_key,
	.search = events_search,
	.has_data = events_has_data,
};
