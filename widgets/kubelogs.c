/* kubelogs: a pod's log from `kubectl logs --follow --tail=N --timestamps`
 * (the pivot behind l in the pods pane when no Loki source exists).
 * The lines live in the store's byte-bounded ring (dropped lines are
 * counted and shown); every line is drawn through the canvas, so escape
 * sequences in application logs are shown as visible escapes.
 * Keys: j/k scroll (follow stops), G/End follow the tail again, g/Home
 * oldest, w wrap, t timestamps, / filter (regex), F clear it, p the
 * previous (crashed) container's log.
 * Invariant: the filtered index is rebuilt only when the ring or the
 * filter changed; a frame formats only the visible lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "widgets/kubeui.h"
#include "widgets/rowfilter.h"
#include "widgets/widget.h"

static const char *const klogs_types[] = { "kubectl", NULL };
static const char *const klogs_opts[] = { "wrap", "timestamps", NULL };

struct klogs_state {
	int			 wrap, stamps, follow;
	int			 bottom;	/* lines scrolled up from the tail */
	struct rowfilter	 filt;
	size_t			*idx;		/* matching line numbers (filter on) */
	size_t			 nidx, capidx;
	uint64_t		 built_gen;
	size_t			 built_head;
	int			 dirty;
};

static int
klogs_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct klogs_state *s = xcalloc(1, sizeof *s);

	s->wrap = jd_bool(doc, dg, p->cfg->options, p->cfg->path, "wrap", 0);
	s->stamps = jd_bool(doc, dg, p->cfg->options, p->cfg->path, "timestamps", 1);
	s->follow = 1;
	s->dirty = 1;
	p->w = s;
	return 0;
}

static void
klogs_free(struct panel *p)
{
	struct klogs_state *s = p->w;

	if (!s)
		return;
	rowfilter_free(&s->filt);
	free(s->idx);
	free(s);
	p->w = NULL;
}

static size_t
klogs_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	(void)p; (void)c; (void)w; (void)h;
	if (!max)
		return 0;
	out[0] = (struct need){ .qi = 0, .kind = "logs" };
	return 1;
}

static enum role
level_role(const char *t)
{
	if (strstr(t, "level=error") || strstr(t, "\"level\":\"error\"") || strstr(t, " ERROR ") ||
	    strncmp(t, "panic:", 6) == 0 || strstr(t, "level=fatal"))
		return ROLE_ERROR;
	if (strstr(t, "level=warn") || strstr(t, "\"level\":\"warn") || strstr(t, " WARN "))
		return ROLE_WARN;
	return ROLE_TEXT;
}

/* Refresh the filtered index; returns the number of visible lines. */
static size_t
index_lines(struct klogs_state *s, const struct kube_log *lg)
{
	if (!rowfilter_active(&s->filt))
		return lg->n;
	if (!s->dirty && s->built_gen == lg->gen)
		return s->nidx;
	s->nidx = 0;
	for (size_t i = 0; i < lg->n; i++) {
		const struct kline *k = kube_log_line(lg, i);
		if (!rowfilter_match(&s->filt, k->text, strlen(k->text), NULL, NULL))
			continue;
		xgrow(&s->idx, &s->capidx, s->nidx + 1, sizeof *s->idx);
		s->idx[s->nidx++] = i;
	}
	s->built_gen = lg->gen;
	s->dirty = 0;
	return s->nidx;
}

static const struct kline *
nth(const struct klogs_state *s, const struct kube_log *lg, size_t i)
{
	return kube_log_line(lg, rowfilter_active(&s->filt) ? s->idx[i] : i);
}

/* Rows a line takes at width w. */
static int
line_rows(const struct klogs_state *s, const struct kline *k, int w)
{
	int cols;

	if (!s->wrap || w <= 0)
		return 1;
	cols = san_width(k->text, strlen(k->text), 0) + (s->stamps ? 9 : 0);
	return cols <= w ? 1 : (cols + w - 1) / w;
}

static void
draw_line(struct canvas *cv, int y, int rows, const struct kline *k, const struct klogs_state *s,
    const struct wctx *c)
{
	struct text_opts o = { .role = level_role(k->text), .ellipsis = !s->wrap };
	const char *t = k->text;
	size_t len = strlen(t), used;
	int x = 0;
	struct rowfilter *f = (struct rowfilter *)&s->filt;
	struct text_span sp;
	size_t ms, me;

	if (s->stamps) {
		char clk[32];
		if (k->t != TNS_NONE)
			ts_fmt_clock(clk, sizeof clk, k->t, c->view->utc, 1);
		else
			snprintf(clk, sizeof clk, "        ");
		x = canvas_str(cv, 0, y, cv->w, clk, ROLE_DIM, 0) + 1;
	}
	if (rowfilter_active(f) && rowfilter_match(f, t, len, &ms, &me) && me > ms) {
		sp = (struct text_span){ ms, me, ROLE_MATCH, CA_BOLD };
		o.spans = &sp;
		o.nspans = 1;
	}
	for (int r = 0; r < rows && len; r++) {
		if (y + r >= 0 && y + r < cv->h)
			canvas_text(cv, x, y + r, cv->w - x, t, len, &o, &used);
		else
			used = san_fit(t, len, cv->w - x, 0, NULL);
		if (!used)
			break;
		t += used;
		len -= used;
		if (o.nspans) {	/* keep the match span aligned with the rest */
			sp.start = sp.start > used ? sp.start - used : 0;
			sp.end = sp.end > used ? sp.end - used : 0;
		}
		x = s->stamps ? 9 : 0;
	}
}

static void
draw_status(struct canvas *cv, const struct kube_log *lg, const struct klogs_state *s, size_t shown)
{
	char b[256];

	snprintf(b, sizeof b, "%zu lines%s", lg->n, s->follow ? "  following" : "  paused (G follows)");
	if (rowfilter_active(&s->filt))
		snprintf(b + strlen(b), sizeof b - strlen(b), "  %zu match /%.60s/", shown, s->filt.pattern);
	if (lg->dropped)
		snprintf(b + strlen(b), sizeof b - strlen(b), "  %llu older lines dropped",
		    (unsigned long long)lg->dropped);
	canvas_fill(cv, (struct rect){ 0, cv->h - 1, cv->w, 1 }, ' ', ROLE_DIM, 0);
	canvas_str(cv, 0, cv->h - 1, cv->w, b, lg->dropped ? ROLE_BADGE : ROLE_DIM, 0);
}

static void
klogs_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct klogs_state *s = p->w;
	const struct kube_log *lg = store_kube_log(c->store, kubeui_key(p, 0, "logs"));
	size_t n;
	int h = cv->h - 1, y;

	if (!lg || h < 1)
		return;
	n = index_lines(s, lg);
	if (s->follow)
		s->bottom = 0;
	if (s->bottom > (int)n - 1)
		s->bottom = n ? (int)n - 1 : 0;
	if (!n)
		canvas_str(cv, 0, 0, cv->w, lg->total ? "no line matches" : "no log lines (yet)", ROLE_DIM, 0);
	/* bottom-up: the last visible line is n - 1 - bottom */
	y = h;
	for (long i = (long)n - 1 - s->bottom; i >= 0 && y > 0; i--) {
		const struct kline *k = nth(s, lg, (size_t)i);
		int rows = line_rows(s, k, cv->w - (s->stamps ? 9 : 0));
		y -= rows;
		draw_line(cv, y, rows, k, s, c);
	}
	draw_status(cv, lg, s, n);
}

static int
klogs_key(struct panel *p, int key, const struct wctx *c)
{
	struct klogs_state *s = p->w;

	switch (key) {
	case 'k': case K_UP: s->bottom++; s->follow = 0; return WK_HANDLED;
	case 'j': case K_DOWN:
		if (s->bottom > 0)
			s->bottom--;
		s->follow = s->bottom == 0;
		return WK_HANDLED;
	case K_PGUP: case K_CTRL_B: s->bottom += 10; s->follow = 0; return WK_HANDLED;
	case K_PGDN: case K_CTRL_F:
		s->bottom = s->bottom > 10 ? s->bottom - 10 : 0;
		s->follow = s->bottom == 0;
		return WK_HANDLED;
	case 'g': case K_HOME: s->bottom = 1 << 30; s->follow = 0; return WK_HANDLED;
	case 'G': case K_END: s->follow = 1; return WK_HANDLED;
	case 'w': s->wrap = !s->wrap; return WK_HANDLED;
	case 't': s->stamps = !s->stamps; return WK_HANDLED;
	case 'F': rowfilter_free(&s->filt); s->dirty = 1; return WK_HANDLED;
	case 'p': {
		/* the previous container of the same pod: ns/pod/container/previous */
		const char *e = p->cfg->nq ? p->cfg->q[0].expr : "";
		char title[600], expr[900];
		struct dash_panel cfg = *p->cfg;
		struct dash_query q = { 0 };
		if (strstr(e, "/previous"))
			return WK_HANDLED;
		snprintf(expr, sizeof expr, "%s/previous", e);
		snprintf(title, sizeof title, "%s --previous", p->cfg->title ? p->cfg->title : "logs");
		q.expr = expr;
		q.ref = "A";
		cfg.q = &q;
		cfg.nq = 1;
		cfg.title = title;
		c->api->push(c->app, &cfg, "previous container");
		return WK_HANDLED;
	}
	}
	return WK_IGNORED;
}

static int
klogs_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct klogs_state *s = p->w;

	(void)c;
	if (rowfilter_set(&s->filt, pattern, err) < 0)
		return -1;
	s->dirty = 1;
	s->bottom = 0;
	return 0;
}

static int
klogs_has_data(struct panel *p, const struct wctx *c)
{
	return kubeui_has_kind(p, c, "logs");
}

const struct widget_class kubelogs_widget = {
	.name = "kubelogs",
	.help = "a pod's log via kubectl logs --follow (bounded, sanitised)",
	.source_types = klogs_types,
	.option_keys = klogs_opts,
	.init = klogs_init,
	.free = klogs_free,
	.needs = klogs_needs,
	.draw = klogs_draw,
	.key = klogs_key,
	.search = klogs_search,
	.has_data = klogs_has_data,
};
