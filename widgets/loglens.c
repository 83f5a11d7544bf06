/* loglens: trace ids in log lines, and where Enter on one leads.
 *
 * The trace lens is a pivot (app_push, so Esc returns exactly): every log
 * panel of the dashboard is re-queried with a LogQL line filter on the id
 * (`|= "<id>"`) over a window around the line, all matches from all
 * services merged in time order, the originating line selected, and the
 * shared time cursor moved to the line's time while the lens is open
 * (Esc restores the cursor it had, as every pivot restores its view).
 *
 * When the dashboard has a tempo or jaeger source, Enter opens the trace
 * itself: the waterfall above the lens (panel type "tracelogs",
 * widgets/tracelogs.c); L always opens the lens alone.  An id that is
 * not a hex trace id can only be searched for: the lens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trace.h"
#include "core/xalloc.h"
#include "widgets/logs.h"
#include "widgets/tracelink.h"

void
loglens_extractors(struct logs_state *s, const struct dashboard *db)
{
	if (s->ex_ready)
		return;
	s->ex_ready = 1;
	if (!db || !db->trace_ids_set) {
		extractors_defaults(&s->ex);
		return;
	}
	for (size_t i = 0; i < db->ntrace_ids; i++) {
		char *err = NULL;
		if (!db->trace_ids[i].regex)
			extractors_defaults(&s->ex);
		else if (extractors_add(&s->ex, db->trace_ids[i].name, db->trace_ids[i].regex, &err) < 0)
			free(err);	/* reported by --check and at load */
	}
}

int
loglens_trace_id(struct logs_state *s, const struct wctx *c, const struct lline *l, char **id,
    size_t *ms, size_t *me)
{
	const char *v;

	*id = NULL;
	*ms = *me = 0;
	if (!l->r || (LREC_FLAGS(l->r) & LR_GAP))
		return 0;
	loglens_extractors(s, c->db);
	if (extractors_find(&s->ex, l->text, LREC_LEN(l->r), !(LREC_FLAGS(l->r) & LR_BADUTF), ms, me)) {
		*id = xstrndup(l->text + *ms, *me - *ms);
		return 1;
	}
	/* Loki 3 structured metadata folded into the stream labels */
	if ((v = logline_label_trace(logs_stream(s, l))) && strlen(v) <= 128) {
		*id = xstrdup(v);
		return 1;
	}
	return 0;
}

/* A LogQL string literal for s. */
static char *
logql_quote(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *q = xmalloc(2 * n + 3);

	q[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			q[o++] = '\\';
		q[o++] = s[i];
	}
	q[o++] = '"';
	q[o] = '\0';
	return q;
}

static void
add_query(struct dash_query **qs, size_t *n, const char *expr, const char *src, const char *idq)
{
	char *e = xasprintf("%s |= %s", expr, idq);

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*qs)[i].expr, e) && !(*qs)[i].source == !src &&
		    (!src || !strcmp((*qs)[i].source, src))) {
			free(e);
			return;
		}
	*qs = xreallocarray(*qs, *n + 1, sizeof **qs);
	memset(&(*qs)[*n], 0, sizeof **qs);
	(*qs)[*n].expr = e;
	(*qs)[*n].source = src ? xstrdup(src) : NULL;
	(*qs)[*n].ref = xasprintf("%c", 'A' + (int)(*n % 26));
	(*n)++;
}

/* Every log query of the dashboard (or of this panel if it has none). */
static size_t
lens_queries(const struct panel *p, const struct wctx *c, const char *idq, struct dash_query **qs)
{
	size_t n = 0;

	*qs = NULL;
	for (size_t i = 0; c->db && i < c->db->npanels && n < LF_KEYS; i++) {
		const struct dash_panel *dp = &c->db->panels[i];
		if (strcmp(dp->type, "logs") != 0)
			continue;
		for (size_t k = 0; k < dp->nq && n < LF_KEYS; k++)
			if (!dp->q[k].hide)
				add_query(qs, &n, dp->q[k].expr, dashboard_query_source(dp, k), idq);
	}
	if (!n)
		for (size_t k = 0; k < p->cfg->nq && n < LF_KEYS; k++)
			add_query(qs, &n, p->cfg->q[k].expr, dashboard_query_source(p->cfg, k), idq);
	return n;
}

/* The lens options: the id, the line's time, the window, the pane's look. */
static cJSON *
lens_options(const struct logs_state *s, const char *id, tns at)
{
	cJSON *o = cJSON_CreateObject();
	char win[32], ats[32];

	ts_fmt_promql_duration(win, sizeof win, s->lens_window);
	snprintf(ats, sizeof ats, "%lld", (long long)at);
	if (!o || !cJSON_AddStringToObject(o, "lens_trace", id) || !cJSON_AddStringToObject(o, "lens_at", ats) ||
	    !cJSON_AddStringToObject(o, "lens_window", win) || !cJSON_AddNumberToObject(o, "limit", 5000) ||
	    !cJSON_AddBoolToObject(o, "wrap", s->wrap) ||
	    (s->label && !cJSON_AddStringToObject(o, "label", s->label)))
		fatal("out of memory (json)");
	return o;
}

static void
free_queries(struct dash_query *qs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(qs[i].expr);
		free(qs[i].source);
		free(qs[i].ref);
	}
	free(qs);
}

/* Push cfg, then put the cursor on the line: the pushed view saved the
 * cursor as it was, so Esc brings that back. */
static int
push_at(const struct wctx *c, const struct dash_panel *cfg, const char *why, tns at)
{
	if (c->api->push(c->app, cfg, why) < 0)
		return WK_HANDLED;
	c->api->set_cursor(c->app, at);
	return WK_HANDLED | WK_RELAYOUT;
}

static int
open_lens(struct logs_state *s, struct panel *p, const struct wctx *c, const char *id, tns at)
{
	struct dash_panel cfg;
	struct dash_query *qs;
	char *idq = logql_quote(id), *title = xasprintf("trace %s", id), why[64], half[32];
	cJSON *o = lens_options(s, id, at);
	size_t n = lens_queries(p, c, idq, &qs);
	int r;

	ts_fmt_duration(half, sizeof half, s->lens_window / 2);
	memset(&cfg, 0, sizeof cfg);
	cfg.type = (char *)"logs";
	cfg.title = title;
	cfg.q = qs;
	cfg.nq = n;
	cfg.decimals = -1;
	cfg.options = o;
	cfg.path = (char *)"trace lens";
	snprintf(why, sizeof why, "trace lens \xc2\xb1%s", half);
	r = push_at(c, &cfg, why, at);
	free_queries(qs, n);
	cJSON_Delete(o);
	free(idq);
	free(title);
	return r;
}

/* The first loki source: what a log query without a source reads. */
static const char *
loki_source(const struct dashboard *db)
{
	for (size_t i = 0; db && i < db->nsrc; i++)
		if (!strcmp(db->src[i].type, "loki"))
			return db->src[i].name;
	return NULL;
}

/* The waterfall of the trace (from `src`) above the lens. */
static int
open_trace(struct logs_state *s, struct panel *p, const struct wctx *c, const char *id,
    const char *hex, const char *src, tns at)
{
	struct dash_panel cfg;
	struct dash_query *lq, *qs;
	char *idq = logql_quote(id), title[64];
	cJSON *o = lens_options(s, id, at);
	size_t n = lens_queries(p, c, idq, &lq);
	int r;

	qs = xcalloc(n + 1, sizeof *qs);
	qs[0].expr = xstrdup(hex);
	qs[0].source = xstrdup(src);
	qs[0].ref = xstrdup("trace");
	for (size_t i = 0; i < n; i++) {
		qs[i + 1] = lq[i];
		if (!qs[i + 1].source && loki_source(c->db))
			qs[i + 1].source = xstrdup(loki_source(c->db));
	}
	free(lq);
	snprintf(title, sizeof title, "trace %s", hex);
	memset(&cfg, 0, sizeof cfg);
	cfg.type = (char *)"tracelogs";
	cfg.title = title;
	cfg.q = qs;
	cfg.nq = n + 1;
	cfg.decimals = -1;
	cfg.options = o;
	cfg.refresh = 30 * NS_PER_S;	/* a trace changes little once written */
	cfg.path = (char *)"trace of a log line";
	r = push_at(c, &cfg, "trace of the log line", at);
	free_queries(qs, n + 1);
	cJSON_Delete(o);
	free(idq);
	return r;
}

int
loglens_open(struct logs_state *s, struct panel *p, const struct wctx *c, const char *id, tns at,
    int force_lens)
{
	const char *src = force_lens ? NULL : tracelink_source(c->db, NULL);
	char hex[TRACE_ID_HEX + 1];

	if (src && trace_id_normalize(id, hex) == 0)
		return open_trace(s, p, c, id, hex, src, at);
	return open_lens(s, p, c, id, at);
}
