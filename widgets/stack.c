/* stack: one small graph per query, stacked top to bottom, each with
 * its own title and unit (panel type "stack"; options "titles" and
 * "units", parallel to the queries).  It is what the span pivot `m`
 * opens (rate, errors, P99 of a service), and works in dashboards too.
 * Each row is a real graph-widget panel (same class, its own state) fed
 * from this panel's fetch keys, so it draws exactly as a graph panel
 * would, cursor and all; this file only splits the space and maps the
 * needs.  Invariant: a sub-panel's keys are borrowed from the parent
 * only for the duration of one draw or key call. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "widgets/widget.h"

extern const struct widget_class graph_widget;

#define STACK_MAX	8

static const char *const stack_types[] = { "prometheus", "loki", NULL };
static const char *const stack_opts[] = { "titles", "units", NULL };

struct sub {
	struct panel		 p;
	struct dash_panel	 cfg;
	size_t			 need0, nneed;	/* its share of the parent's needs */
};

struct stack {
	struct sub	s[STACK_MAX];
	size_t		n;
};

static const char *
nth_str(const cJSON *arr, size_t i)
{
	const cJSON *v = cJSON_IsArray(arr) ? cJSON_GetArrayItem(arr, (int)i) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
stack_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct stack *st = xcalloc(1, sizeof *st);
	const cJSON *titles = jd_arr(doc, dg, p->cfg->options, p->cfg->path, "titles");
	const cJSON *units = jd_arr(doc, dg, p->cfg->options, p->cfg->path, "units");

	for (size_t i = 0; i < p->cfg->nq && st->n < STACK_MAX; i++) {
		struct sub *s = &st->s[st->n];
		const char *t = nth_str(titles, i), *u = nth_str(units, i);
		s->cfg = *p->cfg;
		s->cfg.type = (char *)"graph";
		s->cfg.title = (char *)(t ? t : p->cfg->q[i].legend ? p->cfg->q[i].legend : "");
		s->cfg.unit = (char *)(u && *u ? u : p->cfg->unit);
		s->cfg.q = &p->cfg->q[i];
		s->cfg.nq = 1;
		s->cfg.nth = 0;
		s->cfg.th = NULL;
		s->cfg.options = NULL;
		s->p.cfg = &s->cfg;
		s->p.cls = &graph_widget;
		if (graph_widget.init && graph_widget.init(&s->p, NULL, dg) < 0)
			continue;
		st->n++;
	}
	p->w = st;
	return 0;
}

static void
stack_free(struct panel *p)
{
	struct stack *st = p->w;

	for (size_t i = 0; st && i < st->n; i++) {
		memset(st->s[i].p.key, 0, sizeof st->s[i].p.key);
		if (graph_widget.free)
			graph_widget.free(&st->s[i].p);
	}
	free(st);
	p->w = NULL;
}

static int
sub_height(const struct stack *st, int h)
{
	return st->n ? h / (int)st->n : h;
}

static size_t
stack_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct stack *st = p->w;
	size_t n = 0;
	int hs = sub_height(st, h) - 1;

	for (size_t i = 0; i < st->n; i++) {
		struct sub *s = &st->s[i];
		struct need tmp[NEED_MAX];
		size_t k = graph_widget.needs(&s->p, c, w, hs > 1 ? hs : 1, tmp, NEED_MAX);
		s->need0 = n;
		s->nneed = 0;
		for (size_t j = 0; j < k && n < max; j++) {
			out[n] = tmp[j];
			out[n++].qi = (size_t)(s->cfg.q - p->cfg->q);
			s->nneed++;
		}
	}
	return n;
}

/* Lend the parent's keys to a sub-panel (until unlend). */
static void
lend(struct panel *p, struct sub *s)
{
	s->p.nneed = s->nneed;
	for (size_t j = 0; j < s->nneed && s->need0 + j < p->nneed; j++) {
		s->p.need[j] = p->need[s->need0 + j];
		s->p.need[j].qi = 0;
		s->p.key[j] = p->key[s->need0 + j];
	}
}

static void
unlend(struct sub *s)
{
	memset(s->p.key, 0, sizeof s->p.key);
	s->p.nneed = 0;
}

/* What a sub-graph without data says: why not. */
static void
sub_state(struct canvas *cv, const struct panel *p, const struct sub *s, const struct wctx *c)
{
	struct qview q = { .state = QS_NONE };
	const char *msg = "waiting for data\xe2\x80\xa6";
	enum role role = ROLE_DIM;

	if (s->p.nneed && s->p.key[0])
		store_status(c->store, s->p.key[0], c->now, &q);
	else {
		msg = p->nosrc ? p->nosrc : "no data source";
		role = ROLE_WARN;
	}
	if (q.state == QS_ERROR) {
		msg = q.last && q.last->error ? q.last->error : "request failed";
		role = ROLE_ERROR;
	} else if (q.state == QS_OK)
		msg = "no data in this window";
	{
		struct text_opts o = { .role = role, .ellipsis = 1 };
		canvas_text(cv, 1, cv->h / 2, cv->w - 1, msg, strlen(msg), &o, NULL);
	}
}

static void
stack_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct stack *st = p->w;
	int hs = sub_height(st, cv->h);

	for (size_t i = 0; i < st->n && hs >= 2; i++) {
		struct sub *s = &st->s[i];
		struct canvas in = canvas_sub(cv, (struct rect){ 0, (int)i * hs + 1, cv->w, hs - 1 });
		int data = 0;
		lend(p, s);
		canvas_str(cv, 0, (int)i * hs, cv->w, s->cfg.title, ROLE_TITLE, CA_BOLD);
		for (size_t j = 0; j < s->p.nneed; j++)
			data |= s->p.key[j] && !s->p.need[j].aux && store_has_data(c->store, s->p.key[j]);
		if (data)
			graph_widget.draw(&s->p, &in, c);
		else
			sub_state(&in, p, s, c);
		unlend(s);
	}
}

/* Always drawn: each graph says for itself whether it has data. */
static int
stack_has_data(struct panel *p, const struct wctx *c)
{
	(void)c;
	return ((struct stack *)p->w)->n > 0;
}

static int
stack_key(struct panel *p, int key, const struct wctx *c)
{
	struct stack *st = p->w;
	int r = WK_IGNORED;

	for (size_t i = 0; i < st->n && graph_widget.key; i++) {
		lend(p, &st->s[i]);
		r |= graph_widget.key(&st->s[i].p, key, c);
		unlend(&st->s[i]);
		/* exemplar jumps and Enter act once (the first graph that has one) */
		if (r != WK_IGNORED && (key == 'e' || key == 'E' || key == K_ENTER || key == '\r'))
			break;
	}
	return r;
}

const struct widget_class stack_widget = {
	.name = "stack",
	.help = "one graph per query stacked vertically, each with its own title and unit",
	.source_types = stack_types,
	.option_keys = stack_opts,
	.init = stack_init,
	.free = stack_free,
	.needs = stack_needs,
	.draw = stack_draw,
	.key = stack_key,
	.has_data = stack_has_data,
};
