/* prom_parse: Prometheus API answers -> events (pure; see prom_parse.h).
 * Invariants: on failure no partial data escapes (out->series etc. are
 * NULL); every string taken from the body is length-bounded by the body;
 * an error message never contains more than one line of server text. */
#include "sources/prom_parse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jpull.h"
#include "core/labeltext.h"
#include "core/xalloc.h"

#define SERVER_TEXT_MAX	400	/* bytes of a non-JSON body shown */

struct pctx {
	struct jpull	 j;
	enum prom_what	 what;
	struct prom_out	*o;
	tns		 start, end, step;
	int		 status;	/* -1 unknown, 0 error, 1 success */
	int		 have_data;
	int		 rt_hint;	/* resultType named in the answer, -1 none */
	size_t		 max_series;	/* series kept from a query answer, 0 all */
	char		*etype, *emsg;
};

int
prom_value(const char *s, size_t n, double *v)
{
	char tmp[64], *end;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	return *end ? -1 : 0;
}

tns
prom_time(double secs)
{
	if (!isfinite(secs) || fabs(secs) > 9e9)
		return TNS_NONE;
	return (tns)llround(secs * 1000.0) * NS_PER_MS;
}

/* ------------------------------------------------------------ pieces */

static int
parse_labels(struct jpull *j, struct labelset *ls)
{
	const char *k, *v;
	size_t kn, vn;
	int r;

	if (jp_peek(j) == JP_NULL)
		return jp_skip(j);
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_peek(j) != JP_STR) {
			if (jp_skip(j) < 0)
				return -1;
			continue;
		}
		/* the key lives in the key buffer, the value in the value buffer */
		if (jp_str(j, &v, &vn) < 0)
			return -1;
		labels_setn(ls, k, kn, v, vn);
	}
	if (r == 0)
		labels_finish(ls);
	return r;
}

/* "1704067200.123": seconds with up to 3 decimals, exactly (the common
 * case, without strtod); anything else through strtod. */
static int
fast_time(const char *s, size_t n, tns *t)
{
	int64_t sec = 0, ms = 0;
	size_t i = 0, d = 0;

	if (n == 0 || n > 16)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		sec = sec * 10 + (s[i] - '0');
	if (i == 0 || sec > 9000000000LL)
		return -1;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9' && d < 3; i++, d++)
			ms = ms * 10 + (s[i] - '0');
	if (i != n)
		return -1;
	while (d++ < 3)
		ms *= 10;
	*t = sec * NS_PER_S + ms * NS_PER_MS;
	return 0;
}

static int
parse_time(struct jpull *j, tns *t)
{
	double d;
	const char *s;
	size_t n;

	if (jp_peek(j) == JP_STR) {
		if (jp_str(j, &s, &n) < 0)
			return -1;
	} else if (jp_num_text(j, &s, &n) < 0)
		return -1;
	if (fast_time(s, n, t) == 0)
		return 0;
	if (prom_value(s, n, &d) < 0)
		return jp_fail(j, "bad timestamp");
	if ((*t = prom_time(d)) == TNS_NONE)
		return jp_fail(j, "timestamp out of range");
	return 0;
}

static int
parse_value(struct jpull *j, double *v, char **text)
{
	const char *s;
	size_t n;

	if (jp_peek(j) == JP_NUM)
		return jp_num(j, v);
	if (jp_str(j, &s, &n) < 0)
		return -1;
	if (prom_value(s, n, v) < 0) {
		if (!text)
			return jp_fail(j, "sample value is not a number");
		*v = NAN;
	}
	if (text) {
		free(*text);
		*text = xstrndup(s, n);
	}
	return 0;
}

/* [ts, "v"]: one sample. */
static int
parse_pair(struct jpull *j, tns *t, double *v, char **text)
{
	if (jp_arr(j) < 0)
		return -1;
	if (jp_elem(j) != 1 || parse_time(j, t) < 0)
		return jp_fail(j, "expected [time, value]");
	if (jp_elem(j) != 1 || parse_value(j, v, text) < 0)
		return jp_fail(j, "expected [time, value]");
	while (jp_elem(j) == 1)	/* tolerate extra members */
		if (jp_skip(j) < 0)
			return -1;
	return j->err ? -1 : 0;
}

static int
parse_values(struct jpull *j, struct ev_series_one *s)
{
	int r;

	if (jp_arr(j) < 0)
		return -1;
	while ((r = jp_elem(j)) == 1) {
		tns t;
		double v;
		if (parse_pair(j, &t, &v, NULL) < 0)
			return -1;
		ev_series_point(s, t, v);	// NOLINT(clang-analyzer-core.CallAndMessage): parse_pair() sets *t and *v or returns -1 (jp_fail); the analyzer does not follow jp_fail() here
	}
	return r;
}

/* {"metric": {...}, "values": [[t, "v"], ...]} or "value": [t, "v"]. */
static int
parse_series_obj(struct pctx *c, struct ev_series *e, int *kind)
{
	struct jpull *j = &c->j;
	struct ev_series_one *s = ev_series_add(e);
	const char *k;
	size_t kn;
	int r, hist = 0;

	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "metric"))
			r = parse_labels(j, &s->labels);
		else if (jp_is(k, kn, "values")) {
			*kind = RT_MATRIX;
			r = parse_values(j, s);
		} else if (jp_is(k, kn, "value")) {
			tns t;
			double v;
			*kind = RT_VECTOR;
			if ((r = parse_pair(j, &t, &v, NULL)) == 0)
				ev_series_point(s, t, v);	// NOLINT(clang-analyzer-core.CallAndMessage): see parse_values()
		} else {
			if (jp_is(k, kn, "histogram") || jp_is(k, kn, "histograms"))
				hist = 1;
			r = jp_skip(j);
		}
		if (r < 0)
			return -1;
	}
	if (r == 0 && hist && s->n == 0) {
		/* native histograms cannot be drawn as lines: drop, count */
		labels_free(&s->labels);
		e->n--;
		c->o->skipped++;
	}
	return r;
}

static int
parse_result(struct pctx *c, struct ev_series *e)
{
	struct jpull *j = &c->j;
	int r, kind = -1;

	if (jp_peek(j) == JP_NULL)
		return jp_skip(j);
	if (jp_arr(j) < 0)
		return -1;
	r = jp_elem(j);
	if (r == 1 && jp_peek(j) != JP_OBJ) {
		/* scalar or string: [t, "v"] */
		struct ev_series_one *s = ev_series_add(e);
		tns t;
		double v;
		if (parse_time(j, &t) < 0 || jp_elem(j) != 1 || parse_value(j, &v, &s->text) < 0)
			return jp_fail(j, "expected [time, value]");
		ev_series_point(s, t, v);
		labels_finish(&s->labels);
		e->rt = RT_SCALAR;
		while ((r = jp_elem(j)) == 1)
			if (jp_skip(j) < 0)
				return -1;
		return r;
	}
	for (; r == 1; r = jp_elem(j)) {
		if (c->max_series && e->n >= c->max_series) {
			if (jp_skip_raw(j) < 0)
				return -1;
			c->o->dropped_series++;
		} else if (parse_series_obj(c, e, &kind) < 0)
			return -1;
	}
	if (r == 0 && kind >= 0)
		e->rt = (enum result_type)kind;
	return r;
}

static int
parse_query_data(struct pctx *c)
{
	struct jpull *j = &c->j;
	const char *k, *v;
	size_t kn, vn;
	int r;

	if (!c->o->series)
		c->o->series = ev_series_new(c->step > 0 ? RT_MATRIX : RT_VECTOR, c->start, c->end,
		    c->step);
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "result"))
			r = parse_result(c, c->o->series);
		else if (jp_is(k, kn, "resultType") && jp_peek(j) == JP_STR) {
			if ((r = jp_str(j, &v, &vn)) == 0)
				c->rt_hint = jp_is(v, vn, "matrix") ? RT_MATRIX : jp_is(v, vn, "vector") ?
				    RT_VECTOR : jp_is(v, vn, "scalar") ? RT_SCALAR :
				    jp_is(v, vn, "string") ? RT_STRING : -1;
		} else
			r = jp_skip(j);
		if (r < 0)
			return -1;
	}
	return r;
}

/* ----------------------------------------------------------- alerts */

static int
parse_str_dup(struct jpull *j, char **out)
{
	const char *s;
	size_t n;

	if (jp_peek(j) != JP_STR)
		return jp_skip(j);
	if (jp_str(j, &s, &n) < 0)
		return -1;
	free(*out);
	*out = alert_strndup(s, n);	/* a state or rule expression: kept as replay keeps it */
	return 0;
}

static tns
rfc3339(const char *s)
{
	tns t;

	if (!s || ts_parse_time(s, 0, 1, &t) < 0)
		return TNS_NONE;
	if (t <= 0)	/* "0001-01-01T00:00:00Z": never */
		return TNS_NONE;
	return t;
}

static int
parse_alert(struct jpull *j, struct alert *a)
{
	const char *k;
	size_t kn;
	char *active = NULL, *val = NULL;
	int r;

	a->value = NAN;
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "labels"))
			r = parse_labels(j, &a->labels);
		else if (jp_is(k, kn, "annotations"))
			r = parse_labels(j, &a->annotations);
		else if (jp_is(k, kn, "state"))
			r = parse_str_dup(j, &a->state);
		else if (jp_is(k, kn, "activeAt"))
			r = parse_str_dup(j, &active);
		else if (jp_is(k, kn, "value"))
			r = parse_str_dup(j, &val);
		else
			r = jp_skip(j);
		if (r < 0)
			break;
	}
	a->active_at = rfc3339(active);
	if (val && prom_value(val, strlen(val), &a->value) < 0)
		a->value = NAN;
	if (!a->labels.hash)
		labels_finish(&a->labels);
	free(active);
	free(val);
	return r;
}

static int
parse_alert_list(struct jpull *j, struct ev_alerts *e, size_t *first)
{
	int r;

	*first = e->n;
	if (jp_peek(j) == JP_NULL)
		return jp_skip(j);
	if (jp_arr(j) < 0)
		return -1;
	while ((r = jp_elem(j)) == 1)
		if (parse_alert(j, ev_alerts_add(e)) < 0)
			return -1;
	return r;
}

/* One rule of /api/v1/rules: its alerts get the rule's expression. */
static int
parse_rule(struct pctx *c)
{
	struct jpull *j = &c->j;
	struct alert rule;
	const char *k;
	size_t kn, first = c->o->alerts->n;
	char *name = NULL, *type = NULL;
	int r;

	memset(&rule, 0, sizeof rule);
	rule.active_at = TNS_NONE;
	rule.value = NAN;
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "name"))
			r = parse_str_dup(j, &name);
		else if (jp_is(k, kn, "query"))
			r = parse_str_dup(j, &rule.expr);
		else if (jp_is(k, kn, "type"))
			r = parse_str_dup(j, &type);
		else if (jp_is(k, kn, "state"))
			r = parse_str_dup(j, &rule.state);
		else if (jp_is(k, kn, "labels"))
			r = parse_labels(j, &rule.labels);
		else if (jp_is(k, kn, "annotations"))
			r = parse_labels(j, &rule.annotations);
		else if (jp_is(k, kn, "alerts"))
			r = parse_alert_list(j, c->o->alerts, &first);
		else
			r = jp_skip(j);
		if (r < 0)
			break;
	}
	if (r == 0 && (!type || strcmp(type, "alerting") == 0) && name) {
		struct alert *ra = ev_alerts_add(c->o->rules);
		for (size_t i = first; i < c->o->alerts->n; i++)
			if (rule.expr && !c->o->alerts->a[i].expr)
				c->o->alerts->a[i].expr = xstrdup(rule.expr);
		*ra = rule;
		labels_setn(&ra->labels, "alertname", 9, name, strlen(name));
		labels_finish(&ra->labels);
		memset(&rule, 0, sizeof rule);
	}
	labels_free(&rule.labels);
	labels_free(&rule.annotations);
	free(rule.expr);
	free(rule.state);
	free(name);
	free(type);
	return r;
}

static int
parse_groups(struct pctx *c)
{
	struct jpull *j = &c->j;
	const char *k;
	size_t kn;
	int r, r2;

	if (jp_arr(j) < 0)
		return -1;
	while ((r = jp_elem(j)) == 1) {
		if (jp_obj(j) < 0)
			return -1;
		while ((r2 = jp_key(j, &k, &kn)) == 1) {
			if (jp_is(k, kn, "rules") && jp_peek(j) == JP_ARR) {
				if (jp_arr(j) < 0)
					return -1;
				while ((r2 = jp_elem(j)) == 1)
					if (parse_rule(c) < 0)
						return -1;
			} else
				r2 = jp_skip(j);
			if (r2 < 0)
				return -1;
		}
		if (r2 < 0)
			return -1;
	}
	return r;
}

static int
parse_alerts_data(struct pctx *c)
{
	struct jpull *j = &c->j;
	const char *k;
	size_t kn, first;
	int r;

	if (!c->o->alerts) {
		c->o->alerts = ev_alerts_new();
		c->o->rules = ev_alerts_new();
	}
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "groups") && jp_peek(j) == JP_ARR)
			r = parse_groups(c);
		else if (jp_is(k, kn, "alerts"))
			r = parse_alert_list(j, c->o->alerts, &first);
		else
			r = jp_skip(j);
		if (r < 0)
			return -1;
	}
	return r;
}

/* -------------------------------------------------------- exemplars */

static int
parse_exemplar(struct jpull *j, struct exemplar *x)
{
	const char *k;
	size_t kn;
	int r;

	x->value = NAN;
	x->t = TNS_NONE;
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "labels"))
			r = parse_labels(j, &x->labels);
		else if (jp_is(k, kn, "value"))
			r = parse_value(j, &x->value, NULL);
		else if (jp_is(k, kn, "timestamp"))
			r = parse_time(j, &x->t);
		else
			r = jp_skip(j);
		if (r < 0)
			return -1;
	}
	return r;
}

static int
parse_exemplar_series(struct pctx *c)
{
	struct jpull *j = &c->j;
	struct labelset sl;
	const char *k;
	size_t kn, first = c->o->ex->n;
	int r, r2;

	labels_init(&sl);
	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "seriesLabels"))
			r = parse_labels(j, &sl);
		else if (jp_is(k, kn, "exemplars") && jp_peek(j) == JP_ARR) {
			r = jp_arr(j);
			while (r == 0 && (r2 = jp_elem(j)) != 0)
				if (r2 < 0 || parse_exemplar(j, ev_exemplars_add(c->o->ex)) < 0)
					r = -1;
		} else
			r = jp_skip(j);
		if (r < 0)
			break;
	}
	for (size_t i = first; r == 0 && i < c->o->ex->n; i++)
		labels_copy(&c->o->ex->e[i].series, &sl);
	labels_free(&sl);
	return r < 0 ? -1 : 0;
}

static int
parse_exemplars_data(struct pctx *c)
{
	struct jpull *j = &c->j;
	int r;

	if (!c->o->ex)
		c->o->ex = ev_exemplars_new(c->start, c->end);
	if (jp_peek(j) == JP_NULL)
		return jp_skip(j);
	if (jp_arr(j) < 0)
		return -1;
	while ((r = jp_elem(j)) == 1)
		if (parse_exemplar_series(c) < 0)
			return -1;
	return r;
}

/* ---------------------------------------------- strings, buildinfo */

static int
parse_strings_data(struct pctx *c)
{
	struct jpull *j = &c->j;
	const char *s;
	size_t n;
	int r;

	if (!c->o->values)
		c->o->values = ev_values_new();
	if (jp_peek(j) == JP_NULL)
		return jp_skip(j);
	if (jp_arr(j) < 0)
		return -1;
	while ((r = jp_elem(j)) == 1) {
		if (jp_peek(j) != JP_STR) {
			if (jp_skip(j) < 0)
				return -1;
			continue;
		}
		if (jp_str(j, &s, &n) < 0)
			return -1;
		ev_values_add(c->o->values, s, n);
	}
	return r;
}

/* /api/v1/series: [{"__name__": "up", "job": "api"}, ...] */
static int
parse_labelsets_data(struct pctx *c)
{
	struct jpull *j = &c->j;
	struct buf b;
	int r;

	if (!c->o->values)
		c->o->values = ev_values_new();
	if (jp_peek(j) == JP_NULL)
		return jp_skip(j);
	if (jp_arr(j) < 0)
		return -1;
	buf_init(&b, 1 << 20);
	while ((r = jp_elem(j)) == 1) {
		struct labelset ls;
		if (jp_peek(j) != JP_OBJ) {
			if ((r = jp_skip(j)) < 0)
				break;
			continue;
		}
		labels_init(&ls);
		if ((r = parse_labels(j, &ls)) < 0) {
			labels_free(&ls);
			break;
		}
		buf_reset(&b);
		if (labeltext_format(&ls, &b) == 0)
			ev_values_add(c->o->values, b.data, b.len);
		else
			c->o->values->dropped++;	/* one set over 1 MiB */
		labels_free(&ls);
	}
	buf_free(&b);
	return r;
}

static int
parse_buildinfo_data(struct pctx *c)
{
	struct jpull *j = &c->j;
	const char *k;
	size_t kn;
	int r;

	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		r = jp_is(k, kn, "version") ? parse_str_dup(j, &c->o->version) : jp_skip(j);
		if (r < 0)
			return -1;
	}
	return r;
}

static int
parse_data(struct pctx *c)
{
	enum jtype t = jp_peek(&c->j);

	if (t == JP_NULL)
		return jp_skip(&c->j);
	c->have_data = 1;
	switch (c->what) {
	case PW_QUERY:
		return t == JP_OBJ ? parse_query_data(c) : jp_fail(&c->j, "\"data\" is not an object");
	case PW_ALERTS:
		return t == JP_OBJ ? parse_alerts_data(c) : jp_fail(&c->j, "\"data\" is not an object");
	case PW_EXEMPLARS:
		return parse_exemplars_data(c);
	case PW_STRINGS:
		return parse_strings_data(c);
	case PW_LABELSETS:
		return parse_labelsets_data(c);
	case PW_BUILDINFO:
		return t == JP_OBJ ? parse_buildinfo_data(c) : jp_skip(&c->j);
	}
	return jp_skip(&c->j);
}

/* ---------------------------------------------------------- envelope */

static int
parse_notes(struct pctx *c, const char *prefix)
{
	struct jpull *j = &c->j;
	const char *s;
	size_t n;
	int r;

	if (jp_peek(j) != JP_ARR)
		return jp_skip(j);
	if (jp_arr(j) < 0)
		return -1;
	while ((r = jp_elem(j)) == 1) {
		char *w;
		if (jp_peek(j) != JP_STR) {
			if (jp_skip(j) < 0)
				return -1;
			continue;
		}
		if (jp_str(j, &s, &n) < 0)
			return -1;
		w = xasprintf("%s%.*s", prefix, (int)(n > 4096 ? 4096 : n), s);
		status_add_warning(c->o->st, w);
		free(w);
	}
	return r;
}

static int
parse_envelope(struct pctx *c)
{
	struct jpull *j = &c->j;
	const char *k, *v;
	size_t kn, vn;
	int r;

	if (jp_obj(j) < 0)
		return -1;
	while ((r = jp_key(j, &k, &kn)) == 1) {
		if (jp_is(k, kn, "status") && jp_peek(j) == JP_STR) {
			if ((r = jp_str(j, &v, &vn)) == 0)
				c->status = jp_is(v, vn, "success") ? 1 : 0;
		} else if (jp_is(k, kn, "data"))
			r = parse_data(c);
		else if (jp_is(k, kn, "errorType"))
			r = parse_str_dup(j, &c->etype);
		else if (jp_is(k, kn, "error"))
			r = parse_str_dup(j, &c->emsg);
		else if (jp_is(k, kn, "warnings"))
			r = parse_notes(c, "");
		else if (jp_is(k, kn, "infos"))
			r = parse_notes(c, "info: ");
		else
			r = jp_skip(j);
		if (r < 0)
			return -1;
	}
	if (r < 0)
		return -1;
	return jp_end(j);
}

/* ------------------------------------------------------------ errors */

static int
is_json(const struct http_resp *r)
{
	size_t i = 0;

	if (r->content_type)
		return strncmp(r->content_type, "application/json", 16) == 0 ||
		    strstr(r->content_type, "+json") != NULL;
	while (i < r->len && isspace((unsigned char)r->body[i]))
		i++;
	return i < r->len && (r->body[i] == '{' || r->body[i] == '[');
}

/* One line of server text: the HTML title, else the first non-empty line. */
static char *
server_line(const struct http_resp *r)
{
	const char *s = r->body, *e = s + r->len, *t, *te;
	size_t n;

	if ((t = memmem(s, r->len, "<title>", 7)) && (te = memmem(t + 7, (size_t)(e - t - 7),
	    "</title>", 8)) && te - t - 7 > 0)
		return xstrndup(t + 7, (size_t)(te - t - 7) > SERVER_TEXT_MAX ? SERVER_TEXT_MAX :
		    (size_t)(te - t - 7));
	while (s < e && isspace((unsigned char)*s))
		s++;
	for (n = 0; s + n < e && s[n] != '\n' && s[n] != '\r' && n < SERVER_TEXT_MAX; n++)
		;
	return n ? xstrndup(s, n) : NULL;
}

static const char *
hint_for(long status)
{
	if (status == 401 || status == 403)
		return " (check the source's basic_auth, token_file or headers)";
	if (status == 404)
		return " (is the URL or path_prefix right?)";
	return "";
}

static void
fail(struct prom_out *o, long http, char *msg)
{
	o->st->state = QS_ERROR;
	/* a 2xx that failed here (truncated, too large, HTML) is not an HTTP error */
	o->st->http = http >= 200 && http < 300 ? 0 : (int)http;
	status_set_error(o->st, msg);
	ev_series_free(o->series);
	ev_alerts_free(o->alerts);
	ev_alerts_free(o->rules);
	ev_exemplars_free(o->ex);
	ev_values_free(o->values);
	free(o->version);
	o->series = NULL;
	o->alerts = o->rules = NULL;
	o->ex = NULL;
	o->values = NULL;
	o->version = NULL;
}

static int
fail_text(struct prom_out *o, const struct http_resp *r)
{
	char *line = server_line(r);
	const char *ct = r->content_type ? r->content_type : "no content type";

	if (r->status >= 200 && r->status < 300)
		fail(o, r->status, xasprintf("expected JSON, got %s%s%s", ct, line ? ": " : "",
		    line ? line : ""));
	else
		fail(o, r->status, xasprintf("%s%s", line ? line : "empty response",
		    hint_for(r->status)));
	free(line);
	return -1;
}

/* ------------------------------------------------------------ entry */

static int
finish_ok(struct pctx *c)
{
	struct prom_out *o = c->o;

	if (o->series && c->rt_hint >= 0 && o->series->rt == RT_SCALAR)
		o->series->rt = (enum result_type)c->rt_hint;
	if (o->series && o->series->rt != RT_MATRIX) {
		/* instant answers describe one moment: the evaluation time */
		o->series->start = o->series->end = c->end;
		o->series->step = 0;
	}
	if (o->dropped_series) {
		char w[160];
		snprintf(w, sizeof w, "showing the first %zu of %zu series (the source's max_series)",
		    o->series ? o->series->n : 0, (o->series ? o->series->n : 0) + o->dropped_series);
		status_add_warning(o->st, w);
	}
	if (o->skipped) {
		char w[128];
		snprintf(w, sizeof w, "%zu native-histogram series not drawn "
		    "(wrap the query in histogram_quantile)", o->skipped);
		status_add_warning(o->st, w);
	}
	if (o->values)
		ev_values_finish(o->values, 0);
	o->st->state = QS_OK;
	return 0;
}

int
prom_parse(const struct http_resp *r, enum prom_what what, tns start, tns end, tns step,
    struct prom_out *out)
{
	return prom_parse_max(r, what, start, end, step, 0, out);
}

int
prom_parse_max(const struct http_resp *r, enum prom_what what, tns start, tns end, tns step,
    size_t max_series, struct prom_out *out)
{
	struct pctx c;
	int rc;

	memset(out, 0, sizeof *out);
	out->st = status_new(QS_OK, NULL);
	out->st->http = (int)r->status;
	out->st->latency_ms = r->latency_ms;
	if (r->error || r->too_large) {
		fail(out, r->status, xstrdup(r->error ? r->error : "response too large: aborted"));
		return -1;
	}
	if (!is_json(r))
		return fail_text(out, r);
	memset(&c, 0, sizeof c);
	jp_init(&c.j, r->body, r->len);
	c.what = what;
	c.o = out;
	c.start = start;
	c.end = end;
	c.step = step;
	c.status = -1;
	c.rt_hint = -1;
	c.max_series = max_series;
	rc = parse_envelope(&c);
	if (rc < 0) {
		if (r->status >= 300)
			fail_text(out, r);
		else
			fail(out, r->status, xstrdup(c.j.msg));
	} else if (c.status == 0 || c.emsg || (c.status < 0 && !c.have_data) ||
	    r->status >= 300) {
		if (c.emsg)
			fail(out, r->status, c.etype ? xasprintf("%s: %s", c.etype, c.emsg) :
			    xstrdup(c.emsg));
		else if (r->status >= 300)
			fail(out, r->status, xasprintf("HTTP %ld without an error message%s",
			    r->status, hint_for(r->status)));
		else
			fail(out, r->status, xstrdup("answer has no \"data\" and no \"error\""));
		rc = -1;
	} else
		rc = finish_ok(&c);
	jp_free(&c.j);
	free(c.etype);
	free(c.emsg);
	return rc;
}

void
prom_out_free(struct prom_out *o)
{
	status_free(o->st);
	ev_series_free(o->series);
	ev_alerts_free(o->alerts);
	ev_alerts_free(o->rules);
	ev_exemplars_free(o->ex);
	ev_values_free(o->values);
	free(o->version);
	memset(o, 0, sizeof *o);
}

/* ------------------------------------------------- alerts at a time */

static const struct alert *
rule_for(const struct ev_alerts *rules, const char *name)
{
	for (size_t i = 0; rules && name && i < rules->n; i++) {
		const char *rn = labels_get(&rules->a[i].labels, "alertname");
		if (rn && strcmp(rn, name) == 0)
			return &rules->a[i];
	}
	return NULL;
}

/* Same labels apart from __name__ and alertstate? */
static int
same_alert_labels(const struct labelset *a, const struct labelset *b)
{
	uint32_t i = 0, k = 0;

	for (;;) {
		while (i < a->n && (!strcmp(a->v[i].name, "__name__") || !strcmp(a->v[i].name, "alertstate")))
			i++;
		while (k < b->n && (!strcmp(b->v[k].name, "__name__") || !strcmp(b->v[k].name, "alertstate")))
			k++;
		if (i == a->n || k == b->n)
			return i == a->n && k == b->n;
		if (strcmp(a->v[i].name, b->v[k].name) || strcmp(a->v[i].value, b->v[k].value))
			return 0;
		i++;
		k++;
	}
}

static void
copy_alert_labels(struct labelset *dst, const struct labelset *src)
{
	labels_init(dst);
	for (uint32_t i = 0; i < src->n; i++)
		if (strcmp(src->v[i].name, "__name__") && strcmp(src->v[i].name, "alertstate"))
			labels_set(dst, src->v[i].name, src->v[i].value);
	labels_finish(dst);
}

/* Is there a firing ALERTS series with the same labels as pending x?
 * (Without staleness markers, e.g. backfilled or downsampled data, the
 * ended pending series is still returned for the 5 minute lookback.) */
static int
firing_twin(const struct ev_series *s, const struct ev_series_one *x)
{
	for (size_t k = 0; k < s->n; k++) {
		const char *n = labels_get(&s->s[k].labels, "__name__");
		const char *st = labels_get(&s->s[k].labels, "alertstate");
		if (&s->s[k] != x && n && !strcmp(n, "ALERTS") && st && !strcmp(st, "firing") &&
		    same_alert_labels(&s->s[k].labels, &x->labels))
			return 1;
	}
	return 0;
}

struct ev_alerts *
prom_alerts_from_series(const struct ev_series *s, const struct ev_alerts *rules)
{
	struct ev_alerts *e = ev_alerts_new();

	for (size_t i = 0; s && i < s->n; i++) {
		const struct ev_series_one *x = &s->s[i];
		const char *name = labels_get(&x->labels, "__name__"), *st;
		const struct alert *rule;
		struct alert *a;

		if (!name || strcmp(name, "ALERTS") != 0 || !x->n || isnan(x->v[x->n - 1]))
			continue;
		st = labels_get(&x->labels, "alertstate");
		if (st && strcmp(st, "pending") == 0 && firing_twin(s, x))
			continue;	/* a pending series still in the lookback window */
		a = ev_alerts_add(e);
		copy_alert_labels(&a->labels, &x->labels);
		a->state = xstrdup(st ? st : "firing");
		a->value = NAN;
		for (size_t k = 0; k < s->n; k++) {
			const struct ev_series_one *f = &s->s[k];
			const char *fn = labels_get(&f->labels, "__name__");
			if (fn && strcmp(fn, "ALERTS_FOR_STATE") == 0 && f->n &&
			    same_alert_labels(&x->labels, &f->labels)) {
				a->active_at = prom_time(f->v[f->n - 1]);
				break;
			}
		}
		if ((rule = rule_for(rules, labels_get(&a->labels, "alertname")))) {
			if (rule->expr)
				a->expr = xstrdup(rule->expr);
			labels_copy(&a->annotations, &rule->annotations);
		}
	}
	return e;
}
