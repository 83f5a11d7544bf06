/* alerts: firing and pending alerts from the source, one row each:
 * state (● firing, ○ pending), severity (coloured), name, age and the
 * labels that tell alerts apart; firing first, then by severity, oldest
 * first.  In a live window the list is the server's current one; in a
 * window in the past it is what was active at its end (the source reads
 * the ALERTS series).  J/K select; o (or Enter when zoomed) opens the
 * alert's expression as a graph, its comparison turned into a threshold
 * line ("x > 0.05" graphs x with a line at 0.05).
 * options.filter: label matchers ({severity!="none", alertname=~"A|B"});
 * options.states: ["firing", "pending"]; options.sort: "importance"
 * (the default above), "name", "name_desc", "time" (oldest first),
 * "time_desc"; options.limit: rows at most. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "widgets/widget.h"

#define MAX_ALERTS	1000
#define MAX_MATCHERS	16

static const char *const alerts_types[] = { "prometheus", NULL };
static const char *const alerts_opts[] = { "filter", "states", "sort", "limit", NULL };

enum asort { AS_IMPORTANCE, AS_NAME, AS_NAME_DESC, AS_TIME, AS_TIME_DESC, AS_N };
static const char *const sort_names[AS_N] = { "importance", "name", "name_desc", "time", "time_desc" };

struct matcher {
	char		*name, *value;
	int		 neg, re;
	pcre2_code	*code;
};

struct alerts_state {
	struct matcher	 m[MAX_MATCHERS];
	size_t		 nm;
	int		 firing, pending;
	enum asort	 sort;
	int		 limit;		/* rows at most (0: all) */
	uint64_t	 sel;		/* selected alert (label hash) */
	int		 top;
	int		 nrows;
	uint64_t	 ids[MAX_ALERTS];
};

/* ------------------------------------------------------------ filter */

static void
skip_ws(const char **p)
{
	while (isspace((unsigned char)**p) || **p == ',')
		(*p)++;
}

static int
compile_matcher(struct matcher *m, char **err)
{
	int ec;
	PCRE2_SIZE off;
	char *anch = xasprintf("^(?:%s)$", m->value);

	m->code = pcre2_compile((PCRE2_SPTR)anch, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &off, NULL);
	free(anch);
	if (!m->code) {
		*err = xasprintf("bad regex in matcher for %s", m->name);
		return -1;
	}
	return 0;
}

/* One matcher: name op "value" (op: = != =~ !~); advances *pp. */
static int
parse_matcher(const char **pp, struct matcher *m, char **err)
{
	const char *p = *pp, *n0 = p;
	struct buf b;

	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == n0) {
		*err = xasprintf("expected a label name at '%.20s'", p);
		return -1;
	}
	m->name = xstrndup(n0, (size_t)(p - n0));
	while (*p == ' ')
		p++;
	m->neg = *p == '!';
	if (*p != '!' && *p != '=')
		goto bad;
	p++;
	m->re = *p == '~';
	if (!m->re && m->neg && *p != '=')
		goto bad;	/* (p stays on the NUL at the end: the message prints from p) */
	if (m->re || m->neg)
		p++;	/* past the '~' of =~ and !~, or the '=' of != */
	while (*p == ' ')
		p++;
	if (*p != '"')
		goto bad;
	buf_init(&b, 4096);
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		buf_putc(&b, *p);
	}
	m->value = buf_steal(&b, NULL);
	if (!m->value)
		m->value = xstrdup("");
	if (*p != '"')
		goto bad;
	*pp = p + 1;
	return m->re ? compile_matcher(m, err) : 0;
bad:
	*err = xasprintf("expected name=\"v\", name!=\"v\", name=~\"re\" or name!~\"re\" at '%.20s'", p);
	return -1;
}

/* {m1, m2, ...}; returns -1 with *err on a syntax error */
static int
parse_filter(struct alerts_state *st, const char *s, char **err)
{
	const char *p = s;

	skip_ws(&p);
	if (*p == '{')
		p++;
	for (;;) {
		skip_ws(&p);
		if (!*p || *p == '}')
			return 0;
		if (st->nm >= MAX_MATCHERS) {
			*err = xstrdup("too many matchers");
			return -1;
		}
		/* counted even when it fails, so alerts_free releases it */
		if (parse_matcher(&p, &st->m[st->nm++], err) < 0)
			return -1;
	}
}

static int
matches(const struct alerts_state *st, const struct alert *a)
{
	for (size_t i = 0; i < st->nm; i++) {
		const struct matcher *m = &st->m[i];
		const char *v = labels_get(&a->labels, m->name);
		int ok;
		if (!v)
			v = "";
		if (m->re) {
			pcre2_match_data *md = pcre2_match_data_create_from_pattern(m->code, NULL);
			ok = pcre2_match(m->code, (PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0;
			pcre2_match_data_free(md);
		} else
			ok = strcmp(v, m->value) == 0;
		if (ok == m->neg)
			return 0;
	}
	if (a->state && strcmp(a->state, "pending") == 0)
		return st->pending;
	return st->firing;
}

/* ------------------------------------------------------------- class */

static void
alerts_free(struct panel *p)
{
	struct alerts_state *st = p->w;

	if (!st)
		return;
	for (size_t i = 0; i < st->nm; i++) {
		free(st->m[i].name);
		free(st->m[i].value);
		pcre2_code_free(st->m[i].code);
	}
	free(st);
	p->w = NULL;
}

static int
alerts_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct alerts_state *st = xcalloc(1, sizeof *st);
	const cJSON *o = p->cfg->options;
	const char *f = jd_str(doc, dg, o, p->cfg->path, "filter", NULL);
	const cJSON *states = jd_arr(doc, dg, o, p->cfg->path, "states");
	const char *sort = jd_str(doc, dg, o, p->cfg->path, "sort", "importance");
	char *err = NULL;

	p->w = st;
	st->sort = AS_N;
	for (int i = 0; i < AS_N; i++)
		if (strcmp(sort, sort_names[i]) == 0)
			st->sort = (enum asort)i;
	if (st->sort == AS_N) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "sort"), 0,
		    "%s.options.sort: expected importance, name, name_desc, time or time_desc", p->cfg->path);
		st->sort = AS_IMPORTANCE;
	}
	st->limit = jd_int(doc, dg, o, p->cfg->path, "limit", 0, 0, MAX_ALERTS);
	st->firing = st->pending = 1;
	if (states) {
		st->firing = st->pending = 0;
		for (const cJSON *s = states->child; s; s = s->next)
			if (cJSON_IsString(s)) {
				st->firing |= strcmp(s->valuestring, "firing") == 0;
				st->pending |= strcmp(s->valuestring, "pending") == 0;
			}
	}
	if (f && parse_filter(st, f, &err) < 0) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "filter"), 0,
		    "%s.options.filter: %s", p->cfg->path, err);
		free(err);
		return -1;
	}
	return 0;
}

static size_t
alerts_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	(void)p;
	(void)c;
	(void)w;
	(void)h;
	if (!max)
		return 0;
	out[0] = (struct need){ .qi = 0, .kind = "alerts" };
	return 1;
}

static int
sev_rank(const char *s)
{
	if (!s)
		return 5;
	if (!strcasecmp(s, "critical") || !strcasecmp(s, "page") || !strcasecmp(s, "error"))
		return 0;
	if (!strcasecmp(s, "warning") || !strcasecmp(s, "warn"))
		return 1;
	if (!strcasecmp(s, "info"))
		return 2;
	return 3;
}

static enum role
sev_role(const char *s)
{
	static const enum role r[] = { ROLE_ERROR, ROLE_WARN, ROLE_INFO, ROLE_DIM, ROLE_DIM, ROLE_DIM };
	return r[sev_rank(s)];
}

static int
is_firing(const struct alert *a)
{
	return !a->state || strcmp(a->state, "pending") != 0;
}

static enum asort sort_mode;	/* qsort has no context argument */

static int
name_cmp(const struct alert *a, const struct alert *b)
{
	return strcmp(labels_get(&a->labels, "alertname") ? labels_get(&a->labels, "alertname") : "",
	    labels_get(&b->labels, "alertname") ? labels_get(&b->labels, "alertname") : "");
}

static int
time_cmp(const struct alert *a, const struct alert *b)
{
	if (a->active_at == b->active_at)
		return 0;
	return a->active_at == TNS_NONE ? 1 : b->active_at == TNS_NONE ? -1 : a->active_at < b->active_at ? -1 : 1;
}

static int
alert_cmp(const void *pa, const void *pb)
{
	const struct alert *a = *(const struct alert *const *)pa, *b = *(const struct alert *const *)pb;
	int d;

	switch (sort_mode) {
	case AS_NAME:
	case AS_NAME_DESC:
		d = name_cmp(a, b);
		return d ? (sort_mode == AS_NAME ? d : -d) : time_cmp(a, b);
	case AS_TIME:
	case AS_TIME_DESC:
		d = time_cmp(a, b);
		return d ? (sort_mode == AS_TIME ? d : -d) : name_cmp(a, b);
	default:
		break;
	}
	if ((d = is_firing(b) - is_firing(a)))
		return d;
	if ((d = sev_rank(labels_get(&a->labels, "severity")) - sev_rank(labels_get(&b->labels, "severity"))))
		return d;
	if (a->active_at != b->active_at)
		return a->active_at == TNS_NONE ? 1 : b->active_at == TNS_NONE ? -1 :
		    a->active_at < b->active_at ? -1 : 1;
	return strcmp(labels_get(&a->labels, "alertname") ? labels_get(&a->labels, "alertname") : "",
	    labels_get(&b->labels, "alertname") ? labels_get(&b->labels, "alertname") : "");
}

static size_t
visible_alerts(struct panel *p, const struct wctx *c, const struct alert **out, tns *when)
{
	struct alerts_state *st = p->w;
	const struct ev_alerts *e;
	size_t n = 0;

	*when = TNS_NONE;
	if (!p->nneed || !p->key[0] || !(e = store_alerts(c->store, p->key[0], c->end, when)))
		return 0;
	for (size_t i = 0; i < e->n && n < MAX_ALERTS; i++)
		if (matches(st, &e->a[i]))
			out[n++] = &e->a[i];
	sort_mode = st->sort;
	qsort(out, n, sizeof *out, alert_cmp);
	if (st->limit && n > (size_t)st->limit)
		n = (size_t)st->limit;
	st->nrows = (int)n;
	for (size_t i = 0; i < n; i++)
		st->ids[i] = out[i]->labels.hash;
	return n;
}

static int
alerts_has_data(struct panel *p, const struct wctx *c)
{
	tns when;
	return p->nneed && p->key[0] && store_alerts(c->store, p->key[0], c->end, &when) != NULL;
}

static void
other_labels(const struct alert *a, struct buf *b)
{
	for (uint32_t i = 0; i < a->labels.n; i++) {
		const struct label *l = &a->labels.v[i];
		if (!strcmp(l->name, "alertname") || !strcmp(l->name, "severity"))
			continue;
		buf_printf(b, "%s%s=%s", b->len ? " " : "", l->name, l->value);
	}
}

static void
draw_row(struct canvas *cv, int y, const struct alert *a, const struct wctx *c, int namew, int sel)
{
	const char *sev = labels_get(&a->labels, "severity"), *name = labels_get(&a->labels, "alertname");
	enum role sr = sev_role(sev), base = sel ? ROLE_SELECTION : ROLE_TEXT;
	struct text_opts o = { .role = base, .ellipsis = 1 };
	char age[32], sevs[12];
	struct buf b;
	int x;

	if (sel)
		canvas_fill(cv, (struct rect){ 0, y, cv->w, 1 }, ' ', ROLE_SELECTION, 0);
	canvas_put(cv, 0, y, c->ascii ? (is_firing(a) ? '*' : 'o') : is_firing(a) ? 0x25cf : 0x25cb, sr,
	    CA_BOLD);
	snprintf(sevs, sizeof sevs, "%-8.8s", sev ? sev : "-");
	canvas_str(cv, 2, y, 8, sevs, sr, is_firing(a) ? CA_BOLD : 0);
	x = 11;
	canvas_text(cv, x, y, namew, name ? name : "?", name ? strlen(name) : 1, &o, NULL);
	x += namew + 1;
	if (a->active_at != TNS_NONE && c->end >= a->active_at)
		ts_fmt_duration(age, sizeof age, c->end - a->active_at);
	else
		snprintf(age, sizeof age, "-");
	canvas_printf(cv, x, y, 6, sel ? ROLE_SELECTION : ROLE_DIM, 0, "%5s", age);
	x += 7;
	buf_init(&b, 4096);
	other_labels(a, &b);
	if (!is_firing(a))
		buf_printf(&b, "%s(pending)", b.len ? " " : "");
	if (x < cv->w && b.data) {
		o.role = sel ? ROLE_SELECTION : ROLE_LEGEND;
		canvas_text(cv, x, y, cv->w - x, b.data, b.len, &o, NULL);
	}
	buf_free(&b);
}

/* Under the list when zoomed: everything about the selected alert. */
static int
draw_details(struct canvas *cv, int y, const struct alert *a)
{
	struct text_opts o = { .role = ROLE_TEXT };
	int y0 = y;

	canvas_hline(cv, 0, y++, cv->w, 0x2500, ROLE_BORDER, 0);
	for (uint32_t i = 0; i < a->annotations.n && y < cv->h; i++, y++) {
		int x = canvas_printf(cv, 0, y, cv->w, ROLE_TITLE, 0, "%s: ", a->annotations.v[i].name);
		canvas_text(cv, x, y, cv->w - x, a->annotations.v[i].value,
		    strlen(a->annotations.v[i].value), &o, NULL);
	}
	if (a->expr && y < cv->h) {
		int x = canvas_printf(cv, 0, y, cv->w, ROLE_TITLE, 0, "expr: ");
		o.role = ROLE_SERIES1;
		canvas_text(cv, x, y++, cv->w - x, a->expr, strlen(a->expr), &o, NULL);
	}
	if (y < cv->h)
		canvas_str(cv, 0, y++, cv->w, a->expr ? "Enter or o: graph the expression" :
		    "no expression known (the server's /api/v1/rules did not say)", ROLE_DIM, 0);
	return y - y0;
}

static int
sel_row(struct alerts_state *st, const struct alert **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->labels.hash == st->sel)
			return (int)i;
	return -1;
}

static void
alerts_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct alerts_state *st = p->w;
	const struct alert **v = xcalloc(MAX_ALERTS, sizeof *v);
	tns when;
	size_t n = visible_alerts(p, c, v, &when), nf = 0;
	int namew = 4, y = 0, rows, sel = sel_row(st, v, n), detail = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = labels_get(&v[i]->labels, "alertname");
		int w = name ? san_width(name, strlen(name), 0) : 1;
		namew = w > namew ? w : namew;
		nf += is_firing(v[i]);
	}
	if (namew > 32 || namew > cv->w / 3)
		namew = cv->w / 3 < 32 ? cv->w / 3 : 32;
	if (!n) {
		canvas_str(cv, (cv->w - 16) / 2 > 0 ? (cv->w - 16) / 2 : 0, cv->h / 2, cv->w,
		    c->ascii ? "no alerts active" : "\xe2\x9c\x93 no alerts active", ROLE_OK, 0);
		free(v);
		return;
	}
	if (cv->h >= 4) {
		canvas_printf(cv, 0, y++, cv->w, ROLE_DIM, 0, "%zu firing, %zu pending", nf, n - nf);
	}
	rows = cv->h - y;
	if (c->inside && sel >= 0 && rows >= 8)
		detail = 2 + (int)v[sel]->annotations.n + (v[sel]->expr ? 1 : 0);
	rows -= detail;
	if (sel >= 0 && sel < st->top)
		st->top = sel;
	if (sel >= 0 && rows > 0 && sel >= st->top + rows)
		st->top = sel - rows + 1;
	if (st->top > (int)n - 1)
		st->top = 0;
	for (int r = 0; r < rows && (size_t)st->top + (size_t)r < n; r++)
		draw_row(cv, y + r, v[st->top + r], c, namew, st->top + r == sel);
	if (detail)
		draw_details(cv, cv->h - detail, v[sel]);
	free(v);
}

/* A number, or a product/quotient of numbers (14.4 * 0.001), after an
 * optional "bool"; 0 with *v, or -1. */
static int
constant(const char *r, double *v)
{
	char *end;

	while (isspace((unsigned char)*r))
		r++;
	if (strncmp(r, "bool", 4) == 0)
		r += 4;
	*v = strtod(r, &end);
	if (end == r)
		return -1;
	while (*end) {
		char op;
		double w;
		while (isspace((unsigned char)*end))
			end++;
		if (!*end)
			break;
		op = *end++;
		if (op != '*' && op != '/')
			return -1;
		w = strtod(end, &end);
		*v = op == '*' ? *v * w : w != 0 ? *v / w : NAN;
	}
	return isfinite(*v) ? 0 : -1;
}

/* "x > 0.05" -> expression x, threshold 0.05; 0 if no trailing comparison. */
static int
split_comparison(const char *e, size_t *cut, double *thr)
{
	int depth = 0;
	char q = 0;
	long last = -1;
	size_t n = strlen(e), oplen = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = e[i];
		if (q) {
			if (ch == '\\' && i + 1 < n)
				i++;
			else if (ch == q)
				q = 0;
		} else if (ch == '"' || ch == '\'' || ch == '`')
			q = ch;
		else if (strchr("({[", ch))
			depth++;
		else if (strchr(")}]", ch))
			depth--;
		else if (depth == 0 && (ch == '>' || ch == '<' || ((ch == '=' || ch == '!') &&
		    i + 1 < n && e[i + 1] == '='))) {
			last = (long)i;
			oplen = i + 1 < n && e[i + 1] == '=' ? 2 : 1;
			i += oplen - 1;
		}
	}
	if (last < 0 || constant(e + last + oplen, thr) < 0)
		return 0;
	*cut = (size_t)last;
	return 1;
}

static void
open_graph(struct panel *p, const struct wctx *c, const struct alert *a)
{
	struct dash_panel cfg;
	struct dash_query q;
	struct dash_threshold th;
	const char *name = labels_get(&a->labels, "alertname");
	char *expr, *title;
	size_t cut;
	double thr;

	memset(&cfg, 0, sizeof cfg);
	memset(&q, 0, sizeof q);
	if (split_comparison(a->expr, &cut, &thr)) {
		expr = xstrndup(a->expr, cut);
		th.value = thr;
		th.role = sev_role(labels_get(&a->labels, "severity")) == ROLE_ERROR ? ROLE_ERROR : ROLE_WARN;
		cfg.th = &th;
		cfg.nth = 1;
	} else
		expr = xstrdup(a->expr);
	title = xasprintf("%s: %s", name ? name : "alert", a->expr);
	q.expr = expr;
	q.ref = (char *)"A";
	cfg.type = (char *)"graph";
	cfg.title = title;
	cfg.source = p->cfg->source;
	cfg.q = &q;
	cfg.nq = 1;
	cfg.decimals = -1;
	cfg.min = cfg.max = NAN;
	cfg.path = (char *)"alert expression";
	cfg.parent_row = -1;
	c->api->push(c->app, &cfg, name ? name : "alert");
	free(expr);
	free(title);
}

static int
alerts_key(struct panel *p, int key, const struct wctx *c)
{
	struct alerts_state *st = p->w;
	const struct alert **v;
	tns when;
	size_t n;
	int sel, r = WK_IGNORED;

	if (key != 'J' && key != 'K' && key != 'o' && !(c->inside && (key == K_DOWN ||
	    key == K_UP || key == K_ENTER)))
		return WK_IGNORED;
	v = xcalloc(MAX_ALERTS, sizeof *v);
	n = visible_alerts(p, c, v, &when);
	sel = sel_row(st, v, n);
	if (n && (key == 'J' || key == K_DOWN || key == 'K' || key == K_UP)) {
		int dir = key == 'J' || key == K_DOWN ? 1 : -1;
		sel = sel < 0 ? (dir > 0 ? 0 : (int)n - 1) : (sel + dir + (int)n) % (int)n;
		st->sel = v[sel]->labels.hash;
		r = WK_HANDLED;
	} else if (n && (key == 'o' || key == K_ENTER)) {
		if (sel < 0)
			sel = 0;
		if (v[sel]->expr)
			open_graph(p, c, v[sel]);
		else
			c->api->message(c->app, 1, "no expression for this alert (the server did not "
			    "list its rule)");
		r = WK_HANDLED;
	}
	free(v);
	return r;
}

const struct widget_class alerts_widget = {
	.name = "alerts",
	.help = "firing and pending alerts, severity-coloured, with age and labels",
	.source_types = alerts_types,
	.option_keys = alerts_opts,
	.init = alerts_init,
	.free = alerts_free,
	.needs = alerts_needs,
	.draw = alerts_draw,
	.key = alerts_key,
	.has_data = alerts_has_data,
};
