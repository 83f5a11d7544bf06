/* logs: the log pane — one merged, time-ordered view of every stream of
 * the panel's Loki queries, with follow/pause, filters, search, levels,
 * trace-id links, the trace lens and a detail view.
 *
 * Layout: an optional filter bar (top), the lines, an optional status row
 * (bottom: "N new lines", filtering progress, loading).  A line is
 *   HH:MM:SS.mmm LVL label  text
 * with the level coloured, the label (pod, app, ...) in a stable colour,
 * trace ids underlined and search matches highlighted; narrow panes drop
 * the label, then the time.  Only the lines on screen are read from the
 * store; filter masks are updated for new lines within a time budget per
 * frame, so a pathological pattern can never freeze the screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regex.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "widgets/logs.h"

#define FRAME_BUDGET_US	6000
#define HIGHLIGHT_BUDGET_MS	20
#define DEFAULT_LIMIT	1000
#define NEW_CAP		100000
#define SCAN_CAP	2000000
#define LABEL_MAX_W	24
#define MAX_SPANS	34
#define DEFAULT_LENS	(20 * 60 * NS_PER_S)

static const char *const logs_types[] = { "loki", NULL };
static const char *const logs_opts[] = { "limit", "wrap", "dim", "label", "level", "filters",
	"lens_trace", "lens_at", "lens_window", NULL };

/* ---------------------------------------------------------------- options */

static int
level_from(const char *s)
{
	if (!s || !strcmp(s, "all"))
		return LV_NONE;
	return logline_level_word(s, strlen(s));
}

static void
init_filters(struct logs_state *s, struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	const cJSON *f = jd_arr(doc, dg, p->cfg->options, p->cfg->path, "filters");

	for (const cJSON *e = f ? f->child : NULL; e; e = e->next) {
		char *err = NULL;
		const char *pat;
		if (!cJSON_IsString(e) || !*e->valuestring) {
			jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s.options.filters: expected \"&regex\" or \"!regex\"",
			    p->cfg->path);
			continue;
		}
		pat = e->valuestring;
		if ((*pat == '&' || *pat == '!') && lfset_add(&s->fs, pat + 1, *pat == '!', &err) >= 0)
			continue;
		if (*pat != '&' && *pat != '!')
			err = xstrdup("a filter starts with & (include) or ! (exclude)");
		jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s.options.filters: %s", p->cfg->path, err);
		free(err);
	}
}

static int
logs_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct logs_state *s = xcalloc(1, sizeof *s);
	const cJSON *o = p->cfg->options;
	const char *path = p->cfg->path, *lv, *at;

	lfset_init(&s->fs);
	s->limit = jd_int(doc, dg, o, path, "limit", DEFAULT_LIMIT, 1, 5000);
	s->wrap = jd_bool(doc, dg, o, path, "wrap", 0);
	s->dim = jd_bool(doc, dg, o, path, "dim", 0);
	if (jd_str(doc, dg, o, path, "label", NULL))
		s->label = xstrdup(jd_str(doc, dg, o, path, "label", NULL));
	lv = jd_str(doc, dg, o, path, "level", "all");
	s->lv.level_min = level_from(lv);
	if (strcmp(lv, "all") && s->lv.level_min == LV_NONE)
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "level"), 0,
		    "%s.options.level: expected all, debug, info, warn or error", path);
	s->lens_window = jd_duration(doc, dg, o, path, "lens_window", DEFAULT_LENS);
	if (jd_str(doc, dg, o, path, "lens_trace", NULL))
		s->lens_trace = xstrdup(jd_str(doc, dg, o, path, "lens_trace", NULL));
	at = jd_str(doc, dg, o, path, "lens_at", NULL);
	s->lens_at = at ? (tns)strtoll(at, NULL, 10) : TNS_NONE;
	init_filters(s, p, doc, dg);
	s->follow = !s->lens_trace;
	s->sel.k = -1;
	s->lv.fs = &s->fs;
	s->lv.dim = s->dim;
	s->lv.until = TNS_NONE;
	for (size_t i = 0; i < LF_KEYS; i++)
		s->oldest[i] = TNS_NONE;
	p->w = s;
	return 0;
}

static void
logs_free(struct panel *p)
{
	struct logs_state *s = p->w;

	if (!s)
		return;
	lfset_free(&s->fs);
	lv_free(&s->lv);
	extractors_free(&s->ex);
	for (size_t i = 0; i < LF_KEYS; i++)
		free(s->keys[i]);
	free(s->label);
	free(s->lens_trace);
	free(s->msg);
	free(s);
	p->w = NULL;
}

/* ------------------------------------------------------------------ needs */

static size_t
logs_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct logs_state *s = p->w;
	size_t n = 0;

	(void)w;
	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max && n < LF_KEYS; i++) {
		struct need *nd = &out[n];
		if (p->cfg->q[i].hide)
			continue;
		memset(nd, 0, sizeof *nd);
		nd->qi = i;
		nd->kind = "logs";
		nd->limit = s->limit;
		if (s->lens_trace && s->lens_at != TNS_NONE) {
			/* the lens: its own window around the line, live if it reaches now */
			nd->start = s->lens_at - s->lens_window / 2;
			nd->end = s->lens_at + s->lens_window / 2;
			if (nd->end > c->now)
				nd->end = c->now;
			if (nd->end <= nd->start)
				nd->end = nd->start + NS_PER_S;
		}
		if (s->want_older && s->oldest[n] != TNS_NONE)
			nd->before = s->oldest[n];
		n++;
	}
	if (s->want_older) {
		s->want_older = 0;
		s->older_pending = 1;
	}
	return n;
}

/* ------------------------------------------------------------- the model */

/* Point the timeline at the panel's keys as they are now. */
static void
bind(struct logs_state *s, struct panel *p, const struct wctx *c)
{
	s->lv.nk = p->nneed < LF_KEYS ? p->nneed : LF_KEYS;
	for (size_t k = 0; k < s->lv.nk; k++) {
		const char *key = p->key[k];
		if (!s->keys[k] || !key || strcmp(s->keys[k], key) != 0) {
			free(s->keys[k]);
			s->keys[k] = key ? xstrdup(key) : NULL;
		}
		s->lv.b[k] = key ? store_logs(c->store, key) : NULL;
		lfset_bind(&s->fs, k, key);
		if (s->lv.b[k] && logbuf_len(s->lv.b[k]))
			s->oldest[k] = logbuf_time(s->lv.b[k], 0);
		if (s->older_pending && s->lv.b[k] && logbuf_gen(s->lv.b[k]) != s->older_gen[k])
			s->older_pending = 0;	/* the page arrived (even an empty one) */
	}
	if (s->older_pending && ts_mono_ms() - s->older_since > 15000)
		s->older_pending = 0;	/* no answer: the panel status says why */
	s->lv.until = c->view->live ? TNS_NONE : c->end;
	s->lv.dim = s->dim;
	lv_focus(&s->lv, c->focus, c->focus_ns);
}

const struct labelset *
logs_stream(const struct logs_state *s, const struct lline *l)
{
	return l->r ? logbuf_stream(s->lv.b[l->k], l->r->stream) : NULL;
}

/* Masks for new lines (and older ones for new patterns), within budget. */
static int
update_masks(struct logs_state *s)
{
	int64_t budget = FRAME_BUDGET_US;
	int more = 0;

	for (size_t k = 0; k < s->lv.nk; k++)
		if (s->lv.b[k])
			more |= lfset_update(&s->fs, k, s->lv.b[k], &budget);
	return more;
}

/* The short stream label: the configured one, else pod, app, ... */
static const char *
short_label(const struct logs_state *s, const struct labelset *ls)
{
	static const char *const pref[] = { "pod", "container", "app", "service_name", "service",
		"job", "host", "instance", "filename", NULL };
	const char *v;

	if (!ls)
		return "";
	if (s->label && (v = labels_get(ls, s->label)))
		return v;
	for (size_t i = 0; pref[i]; i++)
		if ((v = labels_get(ls, pref[i])))
			return v;
	return ls->n ? ls->v[0].value : "";
}

static void
measure_labels(struct logs_state *s)
{
	uint64_t gen = 0;
	int w = 0;

	for (size_t k = 0; k < s->lv.nk; k++)
		gen += s->lv.b[k] ? logbuf_gen(s->lv.b[k]) : 0;
	if (gen == s->label_gen && s->label_w)
		return;
	s->label_gen = gen;
	for (size_t k = 0; k < s->lv.nk; k++) {
		const struct labelset *ls;
		for (uint32_t i = 0; s->lv.b[k] && (ls = logbuf_stream(s->lv.b[k], i)); i++) {
			const char *v = short_label(s, ls);
			int lw = san_width(v, strlen(v), 0);
			if (lw > w)
				w = lw;
			if (i > 4096)
				break;
		}
	}
	s->label_w = w > LABEL_MAX_W ? LABEL_MAX_W : w;
}

/* ---------------------------------------------------------------- drawing */

struct cols {
	int	time, lvl, label, text;	/* x of each column; -1 = not shown */
};

static void
columns(struct logs_state *s, int w, struct cols *cl)
{
	int x = 0;

	cl->time = cl->lvl = cl->label = -1;
	if (w >= 40) {
		cl->time = x;
		x += 13;
	}
	cl->lvl = x;
	x += 4;
	if (w >= 60 && s->label_w > 0) {
		cl->label = x;
		x += s->label_w + 2;
	}
	cl->text = x;
}

static enum role
level_role(int lv)
{
	switch (lv) {
	case LV_FATAL: return ROLE_CRITICAL;
	case LV_ERROR: return ROLE_ERROR;
	case LV_WARN: return ROLE_WARN;
	case LV_INFO: return ROLE_INFO;
	case LV_NONE: return ROLE_TEXT;
	default: return ROLE_DIM;
	}
}

/* Trace id and search matches of the visible text, as spans. */
static size_t
spans_of(struct logs_state *s, const struct wctx *c, const struct lline *l, struct text_span *sp)
{
	size_t n = 0, len = LREC_LEN(l->r), from = 0, ms, me;
	int valid = !(LREC_FLAGS(l->r) & LR_BADUTF);
	char *id = NULL;

	/* highlighting has a time budget per frame: a pathological pattern
	 * costs at most its match limit per line and then stops highlighting */
	if (ts_mono_ms() > s->hl_deadline)
		return 0;
	if (loglens_trace_id(s, c, l, &id, &ms, &me) && me > ms)
		sp[n++] = (struct text_span){ ms, me, ROLE_TRACELINK, CA_UNDERLINE };
	free(id);
	while (s->fs.search && n < MAX_SPANS && from <= len && ts_mono_ms() <= s->hl_deadline &&
	    rx_match(s->fs.search, l->text, len, from, valid, 0, &ms, &me) == RX_MATCH) {
		if (me > ms)
			sp[n++] = (struct text_span){ ms, me, ROLE_MATCH, CA_BOLD };
		from = me > ms ? me : ms + 1;
	}
	if (n > 1 && sp[0].role == ROLE_TRACELINK)	/* keep spans sorted by start */
		for (size_t i = 1; i < n && sp[i].start < sp[i - 1].start; i++) {
			struct text_span t = sp[i];
			sp[i] = sp[i - 1];
			sp[i - 1] = t;
		}
	return n;
}

/* Rows a line takes at text width tw. */
static int
line_rows(struct logs_state *s, const struct lline *l, int tw, int maxrows)
{
	const char *t = l->text;
	size_t len;
	int rows = 0;

	if (!s->wrap || (LREC_FLAGS(l->r) & LR_GAP) || tw <= 0)
		return 1;
	len = LREC_LEN(l->r);
	do {
		size_t used = san_wrap(t, len, tw, 0);
		if (!used)
			break;
		t += used;
		len -= used;
		rows++;
	} while (len && rows < maxrows);
	return rows ? rows : 1;
}

static void
draw_gap(struct canvas *cv, int y, const struct lline *l, const struct logs_state *s, const struct wctx *c)
{
	const struct log_gap *g = logbuf_gap(s->lv.b[l->k], l->r->stream);
	char a[16], b[16], msg[200];

	if (!g)
		return;
	ts_fmt_clock(a, sizeof a, g->t, c->view->utc, 1);
	ts_fmt_clock(b, sizeof b, g->until, c->view->utc, 1);
	if (g->kind == GAP_DROPPED)
		snprintf(msg, sizeof msg, "\xe2\x94\x84\xe2\x94\x84 the tail fell behind: the server dropped %llu "
		    "line%s (%s\xe2\x80\x93%s), re-fetched from history \xe2\x94\x84\xe2\x94\x84",
		    (unsigned long long)g->count, g->count == 1 ? "" : "s", a, b);
	else
		snprintf(msg, sizeof msg, "\xe2\x94\x84\xe2\x94\x84 lines from %s to %s not loaded "
		    "(reconnect gap too large) \xe2\x94\x84\xe2\x94\x84", a, b);
	canvas_str(cv, 0, y, cv->w, msg, ROLE_WARN, CA_BOLD);
}

static void
draw_prefix(struct logs_state *s, struct canvas *cv, int y, const struct lline *l,
    const struct cols *cl, const struct wctx *c, int dimmed, int limit)
{
	char ts[32];
	uint8_t dim = dimmed ? CA_DIM : 0;
	int lv = (int)LREC_LEVEL(l->r);

	if (cl->time >= 0) {
		ts_fmt_clock(ts, sizeof ts, l->r->t, c->view->utc, 1);
		snprintf(ts + strlen(ts), sizeof ts - strlen(ts), ".%03lld",
		    (long long)((l->r->t % NS_PER_S + NS_PER_S) % NS_PER_S / NS_PER_MS));
		canvas_str(cv, cl->time, y, 12, ts, ROLE_DIM, 0);
	}
	if (limit)
		canvas_str(cv, cl->lvl, y, 3, "LIM", ROLE_WARN, CA_REVERSE);
	else
		canvas_str(cv, cl->lvl, y, 3, logline_level_tag(lv), level_role(lv),
		    (lv >= LV_ERROR ? CA_BOLD : 0) | dim);
	if (cl->label >= 0) {
		const char *lab = short_label(s, logs_stream(s, l));
		struct text_opts o = { .role = ROLE_SERIES(l->r->stream + (uint32_t)l->k * 3),
		    .attr = dim, .ellipsis = 1 };
		canvas_text(cv, cl->label, y, s->label_w, lab, strlen(lab), &o, NULL);
	}
}

/* Draw one line at row y (at most maxrows rows); returns rows used. */
static int
draw_line(struct logs_state *s, struct canvas *cv, int y, int maxrows, const struct lline *l,
    const struct cols *cl, const struct wctx *c, int selected)
{
	struct text_span sp[MAX_SPANS];
	struct text_opts o;
	int dimmed, limit = 0, rows = 0, tw = cv->w - cl->text;
	const char *t = l->text;
	size_t len = LREC_LEN(l->r);

	if (LREC_FLAGS(l->r) & LR_GAP) {
		draw_gap(cv, y, l, s, c);
		rows = 1;
		goto sel;
	}
	lv_shown(&s->lv, l, &dimmed);
	lfset_pass(&s->fs, (size_t)l->k, l->seq, NULL, &limit);
	draw_prefix(s, cv, y, l, cl, c, dimmed, limit);
	memset(&o, 0, sizeof o);
	o.role = dimmed ? ROLE_DIM : ROLE_TEXT;
	o.attr = dimmed ? CA_DIM : 0;
	o.spans = sp;
	o.nspans = spans_of(s, c, l, sp);
	if (!s->wrap || tw <= 0) {
		o.skip = s->hscroll;
		o.ellipsis = 1;
		canvas_text(cv, cl->text, y, tw, t, len, &o, NULL);
		rows = 1;
	} else {
		size_t off = 0;
		/* spans are byte offsets into the whole line: shift per row */
		struct text_span rs[MAX_SPANS];
		do {
			size_t used = san_wrap(t + off, len - off, tw, 0), ns = 0;
			for (size_t i = 0; i < o.nspans; i++)
				if (sp[i].end > off && sp[i].start < off + used) {
					rs[ns] = sp[i];
					rs[ns].start = sp[i].start > off ? sp[i].start - off : 0;
					rs[ns].end = sp[i].end - off;
					ns++;
				}
			o.spans = rs;
			o.nspans = ns;
			canvas_text(cv, cl->text, y + rows, tw, t + off, used, &o, NULL);
			off += used ? used : len - off;
			rows++;
		} while (off < len && rows < maxrows);
	}
sel:
	if (selected)
		canvas_restyle(cv, (struct rect){ 0, y, cv->w, rows }, ROLE_SELECTION, 0);
	return rows;
}

/* The line to draw at the selection, placing the selection when needed. */
static int
place(struct logs_state *s, const struct wctx *c, struct mcur *cur, struct lline *l)
{
	struct mcur e;

	if (s->lens_trace && !s->lens_placed && lv_total(&s->lv)) {
		/* the lens opens on the line it was opened from (or the nearest) */
		for (size_t k = 0; k < LF_KEYS; k++)
			cur->pos[k] = k < s->lv.nk && s->lv.b[k] ? logbuf_lower_bound(s->lv.b[k], s->lens_at) : 0;
		s->lens_placed = 1;
		s->follow = 0;
		e = *cur;
		if (lv_next_shown(&s->lv, cur, l, SCAN_CAP) || lv_prev_shown(&s->lv, &e, l, SCAN_CAP)) {
			s->sel = (struct lsel){ l->k, l->r->t, l->seq };
			s->selrow = s->rows / 2;
			lv_cursor_at(&s->lv, l->k, l->r->t, l->seq, cur);
			return 1;
		}
	}
	if (s->follow || s->sel.k < 0) {
		lv_end(&s->lv, cur);
		if (!lv_prev_shown(&s->lv, cur, l, SCAN_CAP))
			return 0;
		s->sel = (struct lsel){ l->k, l->r->t, l->seq };
		return 1;
	}
	/* the selected line (or, if it went, the nearest shown one) */
	lv_cursor_at(&s->lv, s->sel.k, s->sel.t, s->sel.seq, cur);
	e = *cur;
	if (lv_next(&s->lv, &e, l) && l->seq == s->sel.seq && l->k == s->sel.k) {
		int dim;
		if (lv_shown(&s->lv, l, &dim))
			return 1;
	}
	e = *cur;
	if (lv_next_shown(&s->lv, &e, l, SCAN_CAP) || lv_prev_shown(&s->lv, cur, l, SCAN_CAP)) {
		s->sel = (struct lsel){ l->k, l->r->t, l->seq };
		lv_cursor_at(&s->lv, l->k, l->r->t, l->seq, cur);
		return 1;
	}
	return 0;
}

/* Count shown lines after the cursor (capped). */
static size_t
count_after(const struct logs_state *s, struct mcur cur, size_t cap)
{
	struct lline l;
	size_t n = 0;

	while (n < cap && lv_next_shown(&s->lv, &cur, &l, SCAN_CAP))
		n++;
	return n;
}

static void
draw_bar(struct logs_state *s, struct canvas *cv, int y)
{
	int x = 0;
	char buf[64];

	for (int i = 0; i < LF_MAX && x < cv->w; i++) {
		const struct lfilter *f = &s->fs.f[i];
		struct text_opts o = { .role = f->on ? (f->exclude ? ROLE_ERROR : ROLE_OK) : ROLE_DIM,
		    .attr = f->on ? CA_BOLD : CA_DIM, .ellipsis = 1 };
		if (!f->pat)
			continue;
		snprintf(buf, sizeof buf, "%d%c", i + 1, f->exclude ? '!' : '&');
		x += canvas_str(cv, x, y, cv->w - x, buf, o.role, o.attr);
		x += canvas_text(cv, x, y, 20 < cv->w - x ? 20 : cv->w - x, f->pat, strlen(f->pat), &o, NULL);
		x += 2;
	}
	if (s->fs.search_pat && x < cv->w) {
		struct text_opts o = { .role = ROLE_MATCH, .ellipsis = 1 };
		x += canvas_str(cv, x, y, cv->w - x, "/", ROLE_MATCH, CA_BOLD);
		x += canvas_text(cv, x, y, 20 < cv->w - x ? 20 : cv->w - x, s->fs.search_pat,
		    strlen(s->fs.search_pat), &o, NULL) + 2;
	}
	if (s->lv.level_min > LV_NONE && x < cv->w) {
		snprintf(buf, sizeof buf, "level\xe2\x89\xa5%s  ", logline_level_tag(s->lv.level_min));
		x += canvas_str(cv, x, y, cv->w - x, buf, level_role(s->lv.level_min), CA_BOLD);
	}
	if (s->dim && x < cv->w)
		x += canvas_str(cv, x, y, cv->w - x, "dim  ", ROLE_DIM, 0);
	if (s->lv.focus[0] && x < cv->w) {
		char f[300];
		snprintf(f, sizeof f, "focus %s  ", s->lv.focus);
		x += canvas_str(cv, x, y, cv->w - x, f, ROLE_MATCH, CA_BOLD);
	}
	if (s->fs.limit_lines && x < cv->w) {
		snprintf(buf, sizeof buf, "limit hit on %llu lines", (unsigned long long)s->fs.limit_lines);
		canvas_str(cv, x, y, cv->w - x, buf, ROLE_WARN, 0);
	}
}

/* The oldest time every key's history covers completely (TNS_NONE: unknown). */
static tns
complete_from(const struct logs_state *s)
{
	tns from = TNS_NONE;

	for (size_t k = 0; k < s->lv.nk; k++) {
		tns f = s->lv.b[k] ? logbuf_loaded_from(s->lv.b[k]) : TNS_NONE;
		if (f == TNS_NONE)
			return TNS_NONE;
		if (from == TNS_NONE || f > from)
			from = f;
	}
	return from;
}

static void
draw_top(struct logs_state *s, struct canvas *cv, int y, const struct wctx *c)
{
	uint64_t ev = 0;
	tns oldest = TNS_NONE, until = TNS_NONE;
	char t[16], msg[200];

	for (size_t k = 0; k < s->lv.nk; k++) {
		if (!s->lv.b[k])
			continue;
		ev += logbuf_evicted(s->lv.b[k]);
		if (logbuf_len(s->lv.b[k]) && (oldest == TNS_NONE || logbuf_time(s->lv.b[k], 0) < oldest))
			oldest = logbuf_time(s->lv.b[k], 0);
		if (logbuf_evicted_until(s->lv.b[k]) != TNS_NONE)
			until = logbuf_evicted_until(s->lv.b[k]);
	}
	if (ev) {
		ts_fmt_clock(t, sizeof t, until, c->view->utc, 1);
		snprintf(msg, sizeof msg, "\xe2\x86\x91 %llu older lines evicted (log buffer full; "
		    "--log-buffer raises it), the last at %s", (unsigned long long)ev, t);
		canvas_str(cv, 0, y, cv->w, msg, ROLE_BADGE, 0);
		return;
	}
	if (s->older_pending) {
		canvas_str(cv, 0, y, cv->w, "\xe2\x86\x91 loading older lines\xe2\x80\xa6", ROLE_DIM, 0);
		return;
	}
	ts_fmt_clock(t, sizeof t, oldest, c->view->utc, 1);
	if (s->lens_trace && complete_from(s) != TNS_NONE &&
	    complete_from(s) <= s->lens_at - s->lens_window / 2) {
		char w[16];
		ts_fmt_duration(w, sizeof w, s->lens_window / 2);
		snprintf(msg, sizeof msg, "\xe2\x86\x91 every line of this trace within \xc2\xb1%s", w);
	} else if (complete_from(s) != TNS_NONE && complete_from(s) <= oldest) {
		char f[16];
		ts_fmt_clock(f, sizeof f, complete_from(s), c->view->utc, 1);
		snprintf(msg, sizeof msg, "\xe2\x86\x91 every line since %s is here%s", f,
		    c->inside ? " \xc2\xb7 k at the top loads older ones" : "");
	} else
		snprintf(msg, sizeof msg, "\xe2\x86\x91 oldest line loaded: %s%s", t,
		    c->inside ? " \xc2\xb7 k at the top loads older ones" : "");
	canvas_str(cv, 0, y, cv->w, msg, ROLE_DIM, 0);
}

/* "trace 4bf92f35… · 12 lines from 3 streams · ±10m around 02:17:42" */
static void
lens_summary(const struct logs_state *s, const struct wctx *c, char *msg, size_t n)
{
	size_t lines = lv_total(&s->lv), streams = 0;
	char at[16], w[16];

	for (size_t k = 0; k < s->lv.nk; k++)
		for (uint32_t i = 0; s->lv.b[k] && logbuf_stream(s->lv.b[k], i); i++)
			streams++;
	ts_fmt_clock(at, sizeof at, s->lens_at, c->view->utc, 1);
	ts_fmt_duration(w, sizeof w, s->lens_window / 2);
	snprintf(msg, n, " trace %.12s\xe2\x80\xa6 \xc2\xb7 %zu line%s from %zu stream%s \xc2\xb7 "
	    "\xc2\xb1%s around %s \xc2\xb7 Esc back ", s->lens_trace, lines, lines == 1 ? "" : "s",
	    streams, streams == 1 ? "" : "s", w, at);
}

static void
draw_status(struct logs_state *s, struct canvas *cv, int y, size_t newer, double prog,
    const struct wctx *c)
{
	char msg[200];

	canvas_fill(cv, (struct rect){ 0, y, cv->w, 1 }, ' ', ROLE_STATUSBAR, 0);
	if (s->lens_trace && prog >= 1 && !s->msg && !newer)
		lens_summary(s, c, msg, sizeof msg);
	else if (prog < 1)
		snprintf(msg, sizeof msg, " filtering\xe2\x80\xa6 %d%% ", (int)(prog * 100));
	else if (s->msg)
		snprintf(msg, sizeof msg, " %s ", s->msg);
	else if (s->paused)
		snprintf(msg, sizeof msg, " \xe2\x8f\xb8 paused \xc2\xb7 %s%zu new line%s \xc2\xb7 p resumes ",
		    newer >= NEW_CAP ? ">" : "", newer, newer == 1 ? "" : "s");
	else if (!newer)
		snprintf(msg, sizeof msg, " \xe2\x96\xbc no new lines \xc2\xb7 G follows ");
	else
		snprintf(msg, sizeof msg, " \xe2\x96\xbc %s%zu new line%s \xc2\xb7 G follows ",
		    newer >= NEW_CAP ? ">" : "", newer, newer == 1 ? "" : "s");
	canvas_str(cv, 0, y, cv->w, msg, ROLE_STATUSKEY, 0);
}

static void
draw_empty(struct logs_state *s, struct canvas *cv, int y0)
{
	const char *m = lv_total(&s->lv) ? "no line matches the filters" : "no log lines in this window";
	int w = san_width(m, strlen(m), 0);

	canvas_str(cv, (cv->w - w) / 2 > 0 ? (cv->w - w) / 2 : 0, y0 + (cv->h - y0) / 2, cv->w, m,
	    ROLE_DIM, 0);
}

struct item {
	struct lline	l;
	int		rows;
};

/* Draw the text area ta: the lines above the selection, the selection,
 * the lines below.  Returns the cursor after the last line drawn. */
static struct mcur
draw_lines(struct logs_state *s, struct canvas *ta, struct mcur cur, const struct lline *sel,
    const struct cols *cl, const struct wctx *c)
{
	struct item *above = xcalloc((size_t)ta->h + 1, sizeof *above);
	struct mcur up = cur, after = cur;
	struct lline l;
	int tw = ta->w - cl->text, rows = line_rows(s, sel, tw, ta->h), n = 0, sum = 0, reached = 0, y;

	if (s->follow)
		s->selrow = ta->h - rows;
	else {
		/* no empty rows under the last line while older lines exist */
		struct mcur f = cur;
		int below = 0, need = ta->h - s->selrow - rows;
		lv_next(&s->lv, &f, &l);
		while (below < need && lv_next_shown(&s->lv, &f, &l, SCAN_CAP))
			below += line_rows(s, &l, tw, ta->h);
		if (below < need)
			s->selrow += need - below;
	}
	if (s->selrow > ta->h - rows)
		s->selrow = ta->h - rows;
	if (s->selrow < 0)
		s->selrow = 0;
	for (;;) {
		if (sum >= s->selrow) {	/* full: is there anything above at all? */
			struct mcur probe = up;
			reached = !lv_prev_shown(&s->lv, &probe, &l, SCAN_CAP);
			break;
		}
		if (!lv_prev_shown(&s->lv, &up, &l, SCAN_CAP)) {
			reached = 1;
			break;
		}
		above[n].l = l;
		above[n].rows = line_rows(s, &l, tw, ta->h);
		sum += above[n++].rows;
	}
	if (reached && sum + 1 + rows <= ta->h)
		s->selrow = sum + 1;	/* all of the history: it starts under the top marker */
	y = s->selrow;
	for (int i = 0; i < n; i++) {
		y -= above[i].rows;
		draw_line(s, ta, y, above[i].rows, &above[i].l, cl, c, 0);
	}
	if (reached && y > 0)
		draw_top(s, ta, y - 1, c);
	free(above);
	lv_next(&s->lv, &after, &l);	/* past the selection */
	draw_line(s, ta, s->selrow, rows, sel, cl, c, c->inside);
	for (y = s->selrow + rows; y < ta->h;) {
		if (!lv_next_shown(&s->lv, &after, &l, SCAN_CAP))
			break;
		y += draw_line(s, ta, y, ta->h - y, &l, cl, c, 0);
	}
	return after;
}

static void
logs_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct logs_state *s = p->w;
	struct mcur cur, after;
	struct lline sel;
	struct cols cl;
	struct canvas ta;
	int top = 0, bottom = cv->h, more;
	size_t newer = 0;
	double prog = 1;

	bind(s, p, c);
	loglens_extractors(s, c->db);
	more = update_masks(s);
	s->hl_deadline = ts_mono_ms() + HIGHLIGHT_BUDGET_MS;
	for (size_t k = 0; k < s->lv.nk; k++)
		if (s->lv.b[k] && lfset_progress(&s->fs, k, s->lv.b[k]) < prog)
			prog = lfset_progress(&s->fs, k, s->lv.b[k]);
	if (more)
		c->api->again(c->app);
	measure_labels(s);
	columns(s, cv->w, &cl);
	if (lfset_count(&s->fs) || s->fs.search_pat || s->lv.level_min > LV_NONE || s->dim ||
	    s->fs.limit_lines || s->lv.focus[0])
		draw_bar(s, cv, top++);
	if (!s->follow || prog < 1 || s->msg)
		bottom--;
	s->rows = bottom - top;
	if (bottom <= top)
		return;
	ta = canvas_sub(cv, (struct rect){ 0, top, cv->w, bottom - top });
	if (!place(s, c, &cur, &sel)) {
		s->detail = 0;
		draw_empty(s, &ta, 0);
	} else if (s->detail) {
		logdetail_draw(s, &sel, cv, c);
		return;
	} else {
		after = draw_lines(s, &ta, cur, &sel, &cl, c);
		if (!s->follow)
			newer = count_after(s, after, NEW_CAP);
	}
	if (bottom < cv->h)
		draw_status(s, cv, cv->h - 1, newer, prog, c);
	free(s->msg);
	s->msg = NULL;
}

/* ------------------------------------------------------------------- keys */

/* Move the selection by n shown lines (negative: up). */
static int
move_sel(struct logs_state *s, int n)
{
	struct mcur cur;
	struct lline l;
	int moved = 0;

	if (s->sel.k < 0)
		return 0;
	s->follow = 0;
	lv_cursor_at(&s->lv, s->sel.k, s->sel.t, s->sel.seq, &cur);
	if (n > 0)
		lv_next(&s->lv, &cur, &l);	/* step over the selection itself */
	for (; n != 0; n += n > 0 ? -1 : 1) {
		int ok = n > 0 ? lv_next_shown(&s->lv, &cur, &l, SCAN_CAP) :
		    lv_prev_shown(&s->lv, &cur, &l, SCAN_CAP);
		if (!ok)
			break;
		s->sel = (struct lsel){ l.k, l.r->t, l.seq };
		s->selrow += n > 0 ? 1 : -1;
		moved++;
	}
	return moved;
}

/* At the top: ask the source for older lines. */
static int
older(struct logs_state *s)
{
	s->want_older = 1;
	s->older_since = ts_mono_ms();
	for (size_t k = 0; k < s->lv.nk; k++)
		s->older_gen[k] = s->lv.b[k] ? logbuf_gen(s->lv.b[k]) : 0;
	return WK_HANDLED | WK_REFETCH;
}

static int
search_step(struct logs_state *s, const struct wctx *c, int dir)
{
	struct mcur cur;
	struct lline l;
	int64_t t0 = ts_mono_ms();

	if (!s->fs.search)
		return WK_IGNORED;
	if (s->sel.k < 0) {
		lv_end(&s->lv, &cur);
		s->follow = 0;
	} else
		lv_cursor_at(&s->lv, s->sel.k, s->sel.t, s->sel.seq, &cur);
	if (dir > 0 && s->sel.k >= 0)
		lv_next(&s->lv, &cur, &l);
	while (dir < 0 ? lv_prev_shown(&s->lv, &cur, &l, SCAN_CAP) : lv_next_shown(&s->lv, &cur, &l, SCAN_CAP)) {
		int hit;
		lfset_pass(&s->fs, (size_t)l.k, l.seq, &hit, NULL);
		if (hit < 0 && !(LREC_FLAGS(l.r) & LR_GAP))
			hit = lfset_search_line(&s->fs, l.text, LREC_LEN(l.r), !(LREC_FLAGS(l.r) & LR_BADUTF));
		if (hit > 0) {
			s->follow = 0;
			s->sel = (struct lsel){ l.k, l.r->t, l.seq };
			s->selrow = s->rows / 2;
			return WK_HANDLED;
		}
		if (ts_mono_ms() - t0 > 150) {
			/* never freeze: stop here and let n continue from this line */
			s->follow = 0;
			s->sel = (struct lsel){ l.k, l.r->t, l.seq };
			c->api->message(c->app, 0, "still searching: n continues %s", dir < 0 ? "up" : "down");
			return WK_HANDLED;
		}
	}
	c->api->message(c->app, 0, "no %s match for /%s", dir < 0 ? "older" : "newer", s->fs.search_pat);
	return WK_HANDLED;
}

static int
logs_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct logs_state *s = p->w;

	if (lfset_search(&s->fs, pattern, err) < 0)
		return -1;
	search_step(s, c, -1);
	return 0;
}

static int
logs_prompt(struct panel *p, int kind, const char *text, const struct wctx *c, char **err)
{
	struct logs_state *s = p->w;

	(void)c;
	if (!*text)
		return 0;
	if (kind == '&' || kind == '!')
		return lfset_add(&s->fs, text, kind == '!', err) < 0 ? -1 : 0;
	return 0;
}

int
logs_copy(struct logs_state *s, const struct wctx *c, const char *text, size_t len, const char *what)
{
	char *err = NULL;

	(void)s;
	if (c->api->copy(c->app, text, len, &err) < 0) {
		c->api->message(c->app, 1, "copy: %s", err);
		free(err);
		return WK_HANDLED;
	}
	c->api->message(c->app, 0, "copied the %s (%zu bytes)", what, len);
	return WK_HANDLED;
}

static int
selected_line(struct logs_state *s, struct lline *l)
{
	struct mcur cur;

	if (s->sel.k < 0)
		return 0;
	lv_cursor_at(&s->lv, s->sel.k, s->sel.t, s->sel.seq, &cur);
	return lv_next(&s->lv, &cur, l) && l->seq == s->sel.seq && l->r;
}

static int
enter(struct logs_state *s, struct panel *p, const struct wctx *c, int force_lens)
{
	struct lline l;
	char *id = NULL;
	size_t ms, me;
	int r;

	if (!selected_line(s, &l) || (LREC_FLAGS(l.r) & LR_GAP))
		return WK_HANDLED;
	if (!loglens_trace_id(s, c, &l, &id, &ms, &me)) {
		if (force_lens) {
			c->api->message(c->app, 1, "no trace id on this line");
			return WK_HANDLED;
		}
		s->detail = 1;
		s->detail_scroll = 0;
		return WK_HANDLED;
	}
	r = loglens_open(s, p, c, id, l.r->t, force_lens);
	free(id);
	return r;
}

static int
copy_key(struct logs_state *s, const struct wctx *c, int trace)
{
	struct lline l;
	char *id = NULL;
	size_t ms, me;
	int r;

	if (!selected_line(s, &l))
		return WK_HANDLED;
	if (LREC_FLAGS(l.r) & LR_GAP) {
		c->api->message(c->app, 0, "a gap marker: nothing to copy");
		return WK_HANDLED;
	}
	if (!trace)
		return logs_copy(s, c, l.text, LREC_LEN(l.r), "line");
	if (!loglens_trace_id(s, c, &l, &id, &ms, &me)) {
		c->api->message(c->app, 1, "no trace id on this line");
		return WK_HANDLED;
	}
	r = logs_copy(s, c, id, strlen(id), "trace id");
	free(id);
	return r;
}

/* Keys that work in the dashboard grid too (none of them is the app's). */
static int
grid_key(struct logs_state *s, struct panel *p, int key, const struct wctx *c)
{
	switch (key) {
	case 'J':
		return move_sel(s, 1), WK_HANDLED;
	case 'K':
		return move_sel(s, -1) ? WK_HANDLED : older(s);
	case 'G': case K_END:
		s->follow = 1;
		s->paused = 0;
		s->hscroll = 0;
		return WK_HANDLED;
	case 'p':
		s->paused = s->follow;
		s->follow = !s->follow;
		return WK_HANDLED;
	case '&': case '!':
		c->api->prompt(c->app, key, key == '&' ? "& include" : "! exclude");
		return WK_HANDLED;
	case 'n': case 'N':
		return search_step(s, c, key == 'n' ? -1 : 1);
	case 'e': case 'w': case 'i': case 'A': {	/* 'a' adds a note */
		int lv = key == 'e' ? LV_ERROR : key == 'w' ? LV_WARN : key == 'i' ? LV_INFO : LV_NONE;
		s->lv.level_min = s->lv.level_min == lv ? LV_NONE : lv;
		return WK_HANDLED;
	}
	case 'd':
		s->dim = !s->dim;
		return WK_HANDLED;
	case 'W':
		s->wrap = !s->wrap;
		s->hscroll = 0;
		return WK_HANDLED;
	case 'x':
		lfset_remove(&s->fs, lfset_newest(&s->fs));
		return WK_HANDLED;
	case 'X':
		for (int i = 0; i < LF_MAX; i++)
			lfset_remove(&s->fs, i);
		lfset_search(&s->fs, NULL, &(char *){ NULL });
		return WK_HANDLED;
	}
	if (key >= '1' && key < '1' + LF_MAX) {
		lfset_toggle(&s->fs, key - '1');
		return WK_HANDLED;
	}
	(void)p;
	return WK_IGNORED;
}

static int
logs_key(struct panel *p, int key, const struct wctx *c)
{
	struct logs_state *s = p->w;
	int page = s->rows > 2 ? s->rows - 1 : 1, r;

	if (s->detail && c->inside && (r = logdetail_key(s, p, key, c)) != WK_IGNORED)
		return r;
	if ((r = grid_key(s, p, key, c)) != WK_IGNORED)
		return r;
	if (!c->inside)
		return WK_IGNORED;
	switch (key) {
	case 'j': case K_DOWN:
		move_sel(s, 1);
		return WK_HANDLED;
	case 'k': case K_UP:
		return move_sel(s, -1) ? WK_HANDLED : older(s);
	case K_PGDN: case K_CTRL_F:
		move_sel(s, page);
		return WK_HANDLED;
	case K_PGUP: case K_CTRL_B:
		return move_sel(s, -page) ? WK_HANDLED : older(s);
	case K_CTRL_D:
		move_sel(s, page / 2);
		return WK_HANDLED;
	case K_CTRL_U:
		return move_sel(s, -page / 2) ? WK_HANDLED : older(s);
	case 'g': case K_HOME:
		while (move_sel(s, -100000) > 0)
			;
		return older(s);
	case 'h': case K_LEFT:
		s->hscroll = s->hscroll > 8 ? s->hscroll - 8 : 0;
		return WK_HANDLED;
	case 'l': case K_RIGHT:
		if (!s->wrap)
			s->hscroll += 8;
		return WK_HANDLED;
	case K_ENTER: case '\r':
		return enter(s, p, c, 0);
	case 'L':
		return enter(s, p, c, 1);
	case 'v':
		s->detail = 1;
		s->detail_scroll = 0;
		return WK_HANDLED;
	case 'y': case 'Y':
		return copy_key(s, c, key == 'Y');
	case K_ESC:
		if (s->fs.search) {
			lfset_search(&s->fs, NULL, &(char *){ NULL });
			return WK_HANDLED;
		}
		return WK_IGNORED;
	}
	return WK_IGNORED;
}

/* What a note (`a`) attaches to: the line the user selected (J/K, j/k;
 * not the newest line while following), with its trace id first when it
 * has one.  The text is the backend's: it is sanitised where it is drawn
 * or exported. */
static int
logs_selection(struct panel *p, const struct wctx *c, char *buf, size_t n)
{
	struct logs_state *s = p->w;
	struct lline l;
	char t[32], *id = NULL;
	size_t ms, me, len, used;
	int w;

	if (!s || s->follow || n < 16)
		return 0;
	bind(s, p, c);
	if (!selected_line(s, &l) || (LREC_FLAGS(l.r) & LR_GAP))
		return 0;
	ts_fmt_clock(t, sizeof t, l.r->t, c->view->utc, 1);
	snprintf(t + strlen(t), sizeof t - strlen(t), ".%03lld",
	    (long long)((l.r->t % NS_PER_S + NS_PER_S) % NS_PER_S / NS_PER_MS));
	if (loglens_trace_id(s, c, &l, &id, &ms, &me))
		w = snprintf(buf, n, "trace %s, log line %s %s: ", id, t,
		    short_label(s, logs_stream(s, &l)));
	else
		w = snprintf(buf, n, "log line %s %s: ", t, short_label(s, logs_stream(s, &l)));
	free(id);
	used = w < 0 ? 0 : (size_t)w < n ? (size_t)w : n - 1;
	len = LREC_LEN(l.r) < n - 1 - used ? LREC_LEN(l.r) : n - 1 - used;
	while (len && len < LREC_LEN(l.r) && ((unsigned char)l.text[len] & 0xC0) == 0x80)
		len--;		/* cut at a character boundary */
	memcpy(buf + used, l.text, len);
	buf[used + len] = '\0';
	return 1;
}

static int
logs_has_data(struct panel *p, const struct wctx *c)
{
	for (size_t k = 0; k < p->nneed; k++)
		if (p->key[k] && logbuf_len(store_logs(c->store, p->key[k])))
			return 1;
	return 0;
}

const struct widget_class logs_widget = {
	.name = "logs",
	.help = "log lines from Loki: live tail, filters, search, trace-id links",
	.source_types = logs_types,
	.option_keys = logs_opts,
	.init = logs_init,
	.free = logs_free,
	.needs = logs_needs,
	.draw = logs_draw,
	.key = logs_key,
	.search = logs_search,
	.prompt = logs_prompt,
	.has_data = logs_has_data,
	.selection = logs_selection,
};
