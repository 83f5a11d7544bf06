/* tracelogs: a trace's waterfall above the trace lens (every log line
 * that carries the trace id, from every log query of the dashboard).
 * It is what Enter on a log line opens when a Tempo or Jaeger source is
 * configured (widgets/loglens.c); panel type "tracelogs":
 *   query 0      the trace id (source: tempo or jaeger)
 *   queries 1..  LogQL queries (source: loki), usually `... |= "<id>"`
 *   options      the logs widget's (lens_trace, lens_at, lens_window, ...)
 * Each part is a real panel of its class (trace_widget, logs_widget) with
 * its own state, fed from this panel's fetch keys as the stack widget
 * does; this file splits the space, shows which part has the keys (Tab
 * switches) and routes keys, search and prompts to it.  Enter on a lens
 * line shows the line's detail (the trace is already above).
 * Invariant: a part's keys are borrowed from the parent only for the
 * duration of one call (draw, key, search, prompt, selection). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "widgets/widget.h"

extern const struct widget_class trace_widget;
extern const struct widget_class logs_widget;

static const char *const tl_types[] = { "tempo", "jaeger", "loki", NULL };
static const char *const tl_opts[] = { "limit", "wrap", "dim", "label", "level", "filters",
	"lens_trace", "lens_at", "lens_window", NULL };

enum { PART_TRACE, PART_LOGS, NPARTS };

struct part {
	struct panel		 p;
	struct dash_panel	 cfg;
	size_t			 q0;		/* its first query in the parent */
	size_t			 need0, nneed;	/* its share of the parent's needs */
	int			 ok;		/* initialised */
};

struct tracelogs {
	struct part	part[NPARTS];
	int		focus;		/* PART_TRACE or PART_LOGS */
};

static int
part_init(struct part *pt, const struct panel *p, const struct widget_class *cls, size_t q0,
    size_t nq, const cJSON *options, struct diag *dg)
{
	pt->cfg = *p->cfg;
	pt->cfg.type = (char *)cls->name;
	pt->cfg.q = &p->cfg->q[q0];
	pt->cfg.nq = nq;
	pt->cfg.source = q0 < p->cfg->nq ? p->cfg->q[q0].source : NULL;
	pt->cfg.options = options;
	pt->cfg.nth = 0;
	pt->cfg.th = NULL;
	pt->q0 = q0;
	pt->p.cfg = &pt->cfg;
	pt->p.cls = cls;
	if (cls->init(&pt->p, NULL, dg) < 0)
		return -1;
	pt->ok = 1;
	return 0;
}

static void
tl_free(struct panel *p)
{
	struct tracelogs *t = p->w;

	for (int i = 0; t && i < NPARTS; i++)
		if (t->part[i].ok) {
			memset(t->part[i].p.key, 0, sizeof t->part[i].p.key);
			t->part[i].p.nneed = 0;
			t->part[i].p.cls->free(&t->part[i].p);
		}
	free(t);
	p->w = NULL;
}

static int
tl_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct tracelogs *t;

	if (p->cfg->nq < 2) {
		jdoc_diag(doc, dg, DIAG_ERROR, p->cfg->cfg, 0, "%s: a tracelogs panel needs the trace "
		    "id and at least one log query", p->cfg->path);
		return -1;
	}
	t = xcalloc(1, sizeof *t);
	p->w = t;
	if (part_init(&t->part[PART_TRACE], p, &trace_widget, 0, 1, NULL, dg) < 0 ||
	    part_init(&t->part[PART_LOGS], p, &logs_widget, 1, p->cfg->nq - 1, p->cfg->options,
	    dg) < 0) {
		tl_free(p);
		return -1;
	}
	t->focus = PART_TRACE;
	return 0;
}

/* Rows of the waterfall part for an inside h rows tall (0: hidden). */
static int
trace_rows(const struct tracelogs *t, int h)
{
	if (h < 10)	/* too small for both: the focused part alone */
		return t->focus == PART_TRACE ? h - 1 : 0;
	return h * 11 / 20;
}

static size_t
tl_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct tracelogs *t = p->w;
	size_t n = 0;

	for (int i = 0; i < NPARTS; i++) {
		struct part *pt = &t->part[i];
		struct need tmp[NEED_MAX];
		int ph = i == PART_TRACE ? trace_rows(t, h) : h - trace_rows(t, h) - 1;
		size_t k = pt->p.cls->needs(&pt->p, c, w, ph > 1 ? ph : 1, tmp, NEED_MAX);
		pt->need0 = n;
		pt->nneed = 0;
		for (size_t j = 0; j < k && n < max; j++) {
			out[n] = tmp[j];
			out[n].qi = pt->q0 + tmp[j].qi;
			/* the waterfall says itself what became of its trace; the
			   panel's badge and error line are the lens's */
			out[n++].aux |= i == PART_TRACE;
			pt->nneed++;
		}
	}
	return n;
}

static void
lend(struct panel *p, struct part *pt)
{
	pt->p.nneed = pt->nneed;
	for (size_t j = 0; j < pt->nneed && pt->need0 + j < p->nneed; j++) {
		pt->p.need[j] = p->need[pt->need0 + j];
		pt->p.need[j].qi -= pt->q0;
		pt->p.key[j] = p->key[pt->need0 + j];
	}
	pt->p.nosrc = p->nosrc;
}

static void
unlend(struct part *pt)
{
	memset(pt->p.key, 0, sizeof pt->p.key);
	pt->p.nneed = 0;
	pt->p.nosrc = NULL;
}

static int
part_has_data(struct part *pt, const struct wctx *c)
{
	if (pt->p.cls->has_data)
		return pt->p.cls->has_data(&pt->p, c);
	for (size_t j = 0; j < pt->p.nneed; j++)
		if (pt->p.key[j] && store_has_data(c->store, pt->p.key[j]))
			return 1;
	return 0;
}

/* A part without data says why (waiting, the error, no source). */
static void
part_state(struct canvas *cv, const struct part *pt, const struct wctx *c)
{
	struct qview q = { .state = QS_NONE };
	const char *msg = pt->q0 ? "waiting for log lines\xe2\x80\xa6" : "waiting for the trace\xe2\x80\xa6";
	enum role role = ROLE_DIM;

	for (size_t j = 0; j < pt->p.nneed && q.state != QS_ERROR; j++)
		if (pt->p.key[j])
			store_status(c->store, pt->p.key[j], c->now, &q);
	if (!pt->p.nneed || !pt->p.key[0]) {
		msg = pt->p.nosrc ? pt->p.nosrc : "no data source";
		role = ROLE_WARN;
	} else if (q.state == QS_ERROR) {
		msg = q.last && q.last->error ? q.last->error : "request failed";
		role = ROLE_ERROR;
	} else if (q.state == QS_OK)
		msg = pt->q0 ? "no log line with this trace id in the window" : "no such trace";
	{
		struct text_opts o = { .role = role, .ellipsis = 1 };
		canvas_text(cv, 1, cv->h / 2, cv->w - 1, msg, strlen(msg), &o, NULL);
	}
}

static void
draw_part(struct panel *p, struct part *pt, struct canvas *cv, const struct wctx *c, int focused)
{
	struct wctx pc = *c;

	pc.focused = focused && c->focused;
	pc.inside = pc.focused && c->inside;
	lend(p, pt);
	if (part_has_data(pt, &pc))
		pt->p.cls->draw(&pt->p, cv, &pc);
	else
		part_state(cv, pt, &pc);
	unlend(pt);
}

/* The line between the parts: what the lower part is, who has the keys. */
static void
divider(struct canvas *cv, int y, const struct tracelogs *t, const struct panel *p,
    const struct wctx *c)
{
	int logs = t->focus == PART_LOGS;
	enum role r = logs ? ROLE_FOCUS : ROLE_BORDER;
	char right[64];

	canvas_hline(cv, 0, y, cv->w, c->ascii ? '-' : 0x2500, r, 0);
	canvas_printf(cv, 1, y, cv->w - 2, r, logs ? CA_BOLD : 0, " logs with trace %.32s ",
	    p->cfg->q[0].expr ? p->cfg->q[0].expr : "");
	snprintf(right, sizeof right, " Tab: %s ", logs ? "waterfall" : "logs");
	if (cv->w > 60)
		canvas_str_right(cv, cv->w - 1, y, right, ROLE_FOCUS, 0);
}

static void
tl_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct tracelogs *t = p->w;
	int th = trace_rows(t, cv->h), ly = th + 1;

	if (th > 0) {
		struct canvas top = canvas_sub(cv, (struct rect){ 0, 0, cv->w, th });
		draw_part(p, &t->part[PART_TRACE], &top, c, t->focus == PART_TRACE);
	}
	if (th >= cv->h - 1) {	/* small: the waterfall alone, the way to the logs below */
		divider(cv, cv->h - 1, t, p, c);
		return;
	}
	divider(cv, th, t, p, c);
	{
		struct canvas bot = canvas_sub(cv, (struct rect){ 0, ly, cv->w, cv->h - ly });
		draw_part(p, &t->part[PART_LOGS], &bot, c, t->focus == PART_LOGS);
	}
}

static struct wctx
part_ctx(const struct wctx *c)
{
	struct wctx pc = *c;
	pc.focused = 1;
	return pc;
}

static int
tl_key(struct panel *p, int key, const struct wctx *c)
{
	struct tracelogs *t = p->w;
	struct part *pt = &t->part[t->focus];
	struct wctx pc = part_ctx(c);
	int r;

	if ((key == K_TAB || key == K_BTAB) && c->inside) {
		t->focus = t->focus == PART_TRACE ? PART_LOGS : PART_TRACE;
		return WK_HANDLED | WK_RELAYOUT;	/* small screens show the other part */
	}
	if (t->focus == PART_LOGS && (key == K_ENTER || key == '\r'))
		key = 'v';	/* the trace is above: Enter shows the line itself */
	lend(p, pt);
	r = pt->p.cls->key(&pt->p, key, &pc);
	unlend(pt);
	return r;
}

static int
tl_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct tracelogs *t = p->w;
	struct part *pt = &t->part[t->focus];
	struct wctx pc = part_ctx(c);
	int r;

	if (!pt->p.cls->search) {
		*err = xstrdup("no search here");
		return -1;
	}
	lend(p, pt);
	r = pt->p.cls->search(&pt->p, pattern, &pc, err);
	unlend(pt);
	return r;
}

static int
tl_prompt(struct panel *p, int kind, const char *text, const struct wctx *c, char **err)
{
	struct tracelogs *t = p->w;
	struct part *pt = &t->part[t->focus];
	struct wctx pc = part_ctx(c);
	int r;

	if (!pt->p.cls->prompt) {
		*err = xstrdup("this part takes no input");
		return -1;
	}
	lend(p, pt);
	r = pt->p.cls->prompt(&pt->p, kind, text, &pc, err);
	unlend(pt);
	return r;
}

static int
tl_selection(struct panel *p, const struct wctx *c, char *buf, size_t n)
{
	struct tracelogs *t = p->w;
	struct part *pt = &t->part[t->focus];
	int r;

	if (pt->p.cls->selection) {
		lend(p, pt);
		r = pt->p.cls->selection(&pt->p, c, buf, n);
		unlend(pt);
		return r;
	}
	if (!p->cfg->nq || !p->cfg->q[0].expr)
		return 0;
	snprintf(buf, n, "trace %s", p->cfg->q[0].expr);
	return 1;
}

/* Always drawn: each part says for itself whether it has data. */
static int
tl_has_data(struct panel *p, const struct wctx *c)
{
	(void)c;
	return p->w != NULL;
}

const struct widget_class tracelogs_widget = {
	.name = "tracelogs",
	.help = "a trace's waterfall above every log line that carries its id (Tab switches)",
	.source_types = tl_types,
	.option_keys = tl_opts,
	.init = tl_init,
	.free = tl_free,
	.needs = tl_needs,
	.draw = tl_draw,
	.key = tl_key,
	.search = tl_search,
	.prompt = tl_prompt,
	.has_data = tl_has_data,
	.selection = tl_selection,
};
