/* slo: the SLO model, scry's JSON form, the windows and the arithmetic.
 * Sloth and OpenSLO files are translated in core/slo_import.c.
 * Invariant: every slo in a set has a name, 0 < objective < 1, a period
 * of at least one hour and an error_ratio expression. */
#include "core/slo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

static const struct {
	double		 share;		/* of the period's budget */
	tns		 long_w, short_w;
	const char	*severity;
} workbook[] = {
	{ 0.02, 3600 * NS_PER_S, 300 * NS_PER_S, "page" },
	{ 0.05, 6 * 3600 * NS_PER_S, 1800 * NS_PER_S, "page" },
	{ 0.10, 86400 * NS_PER_S, 7200 * NS_PER_S, "ticket" },
	{ 0.10, 3 * 86400 * NS_PER_S, 6 * 3600 * NS_PER_S, "ticket" },
};

size_t
slo_default_windows(tns period, struct slo_window *out)
{
	size_t n = sizeof workbook / sizeof *workbook;

	for (size_t i = 0; i < n; i++) {
		double f = workbook[i].share * (double)period / (double)workbook[i].long_w;
		out[i].long_w = workbook[i].long_w;
		out[i].short_w = workbook[i].short_w;
		out[i].factor = round(f * 1e6) / 1e6;
		snprintf(out[i].severity, sizeof out[i].severity, "%s", workbook[i].severity);
	}
	return n;
}

int
slo_parse_objective(const cJSON *v, double *out)
{
	double x;

	if (cJSON_IsNumber(v))
		x = v->valuedouble;
	else if (cJSON_IsString(v)) {
		char *end;
		x = strtod(v->valuestring, &end);
		if (end == v->valuestring)
			return -1;
		while (*end == ' ')
			end++;
		if (*end == '%') {
			end++;
			x /= 100;	/* "0.5%" is half a percent */
			if (*end || !(x > 0 && x < 1))
				return -1;
			*out = x;
			return 0;
		}
		if (*end)
			return -1;
	} else
		return -1;
	if (x > 1 && x < 100)
		x /= 100;	/* 99.9 means 99.9 % */
	if (!(x > 0 && x < 1))
		return -1;
	*out = x;
	return 0;
}

static char *
wrap_ratio(const char *a, const char *b, int good)
{
	return good ? xasprintf("1 - ((%s) / (%s))", a, b) : xasprintf("(%s) / (%s)", a, b);
}

/* Sloth's {{.window}} (any spacing) becomes $window. */
static char *
normalize_window(const char *q)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	while (*q) {
		if (q[0] == '{' && q[1] == '{') {
			const char *p = q + 2;
			while (*p == ' ')
				p++;
			if (strncmp(p, ".window", 7) == 0) {
				p += 7;
				while (*p == ' ')
					p++;
				if (strncmp(p, "}}", 2) == 0) {
					buf_puts(&b, "$window");
					q = p + 2;
					continue;
				}
			}
		}
		buf_putc(&b, *q++);
	}
	return buf_steal(&b, NULL);
}

static int
parse_windows(struct slo *s, const struct jdoc *doc, const cJSON *arr, const char *path,
    struct diag *dg)
{
	size_t i = 0;

	for (const cJSON *w = arr->child; w; w = w->next, i++) {
		char p[300];
		struct slo_window *sw;
		const char *sev;

		snprintf(p, sizeof p, "%s.windows[%zu]", path, i);
		if (s->nwin >= SLO_WINDOWS_MAX) {
			jdoc_diag(doc, dg, DIAG_ERROR, w, 0, "%s: at most %d alert windows", p, SLO_WINDOWS_MAX);
			return -1;
		}
		sw = &s->win[s->nwin];
		sw->long_w = jd_duration(doc, dg, w, p, "long", 0);
		sw->short_w = jd_duration(doc, dg, w, p, "short", 0);
		sw->factor = jd_num(doc, dg, w, p, "factor", NAN);
		sev = jd_str(doc, dg, w, p, "severity", "page");
		snprintf(sw->severity, sizeof sw->severity, "%s", sev);
		if (sw->long_w <= 0 || sw->short_w <= 0 || !(sw->factor > 0)) {
			jdoc_diag(doc, dg, DIAG_ERROR, w, 0,
			    "%s: expected {\"long\": \"1h\", \"short\": \"5m\", \"factor\": 14.4}", p);
			return -1;
		}
		s->nwin++;
	}
	return 0;
}

static void
slo_free_one(struct slo *s)
{
	free(s->name);
	free(s->service);
	free(s->description);
	free(s->source);
	free(s->error_ratio);
	free(s->origin);
}

static const char *const slo_keys[] = { "name", "service", "description", "source",
	"objective", "period", "error_ratio", "errors", "good", "total", "windows", NULL };

static char *
sli_from_json(const struct jdoc *doc, const cJSON *obj, const char *path, struct diag *dg)
{
	const char *er = jd_str(doc, dg, obj, path, "error_ratio", NULL);
	const char *bad = jd_str(doc, dg, obj, path, "errors", NULL);
	const char *good = jd_str(doc, dg, obj, path, "good", NULL);
	const char *total = jd_str(doc, dg, obj, path, "total", NULL);
	int forms = (er != NULL) + (bad != NULL) + (good != NULL);
	char *raw, *out;

	if (forms != 1 || ((bad || good) && !total) || (er && total)) {
		jdoc_diag(doc, dg, DIAG_ERROR, obj, 0,
		    "%s: give the SLI as \"error_ratio\", or \"errors\" and \"total\", or \"good\" and "
		    "\"total\" (PromQL with $window)", path);
		return NULL;
	}
	raw = er ? xstrdup(er) : wrap_ratio(bad ? bad : good, total, good != NULL);
	out = normalize_window(raw);
	free(raw);
	if (!strstr(out, "$window") && !strstr(out, "${window}"))
		jdoc_diag(doc, dg, DIAG_WARN, obj, 0,
		    "%s: the SLI has no $window; every burn-rate window will show the same value", path);
	return out;
}

int
slo_parse(struct slo_set *set, const struct jdoc *doc, const cJSON *obj, const char *path,
    struct diag *dg)
{
	struct slo s;
	const char *name;
	const cJSON *ov, *wins;
	int line, col;
	size_t errs = dg->nerrors;

	if (!cJSON_IsObject(obj)) {
		jdoc_diag(doc, dg, DIAG_ERROR, obj, 0, "%s: expected an SLO object", path);
		return -1;
	}
	memset(&s, 0, sizeof s);
	jd_check_keys(doc, dg, obj, path, slo_keys, NULL);
	name = jd_str(doc, dg, obj, path, "name", NULL);
	if (!name || !*name) {
		jdoc_diag(doc, dg, DIAG_ERROR, obj, 0, "%s: missing \"name\"", path);
		return -1;
	}
	ov = cJSON_GetObjectItemCaseSensitive(obj, "objective");
	if (!ov || slo_parse_objective(ov, &s.objective) < 0) {
		jdoc_diag(doc, dg, DIAG_ERROR, ov ? ov : obj, 0,
		    "%s.objective: expected a target such as 99.9 (percent) or 0.999", path);
		return -1;
	}
	s.period = jd_duration(doc, dg, obj, path, "period", 30 * 86400 * NS_PER_S);
	if (s.period < 3600 * NS_PER_S) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(obj, "period"), 0,
		    "%s.period: must be at least 1h (e.g. 30d, 28d)", path);
		return -1;
	}
	if (!(s.error_ratio = sli_from_json(doc, obj, path, dg)))
		return -1;
	s.name = xstrdup(name);
	s.service = jd_str(doc, dg, obj, path, "service", NULL) ?
	    xstrdup(jd_str(doc, dg, obj, path, "service", NULL)) : NULL;
	s.description = jd_str(doc, dg, obj, path, "description", NULL) ?
	    xstrdup(jd_str(doc, dg, obj, path, "description", NULL)) : NULL;
	s.source = jd_str(doc, dg, obj, path, "source", NULL) ?
	    xstrdup(jd_str(doc, dg, obj, path, "source", NULL)) : NULL;
	if ((wins = jd_arr(doc, dg, obj, path, "windows")) && cJSON_GetArraySize(wins) > 0)
		parse_windows(&s, doc, wins, path, dg);
	else
		s.nwin = slo_default_windows(s.period, s.win);
	jdoc_where(doc, obj, 0, &line, &col);
	s.origin = xasprintf("%s:%d", doc && doc->file ? doc->file : "?", line);
	if (dg->nerrors > errs) {
		slo_free_one(&s);
		return -1;
	}
	if (slo_find(set, s.name))
		jdoc_diag(doc, dg, DIAG_WARN, obj, 0, "%s: another SLO is also named '%s'", path, s.name);
	slo_set_add(set, &s);
	return 0;
}

void
slo_set_add(struct slo_set *set, struct slo *s)
{
	xgrow(&set->v, &set->cap, set->n + 1, sizeof *set->v);
	set->v[set->n++] = *s;
	memset(s, 0, sizeof *s);
}

char *
slo_window_placeholder(const char *query)
{
	return normalize_window(query);
}

void
slo_set_free(struct slo_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		slo_free_one(&set->v[i]);
	free(set->v);
	memset(set, 0, sizeof *set);
}

const struct slo *
slo_find(const struct slo_set *set, const char *name)
{
	for (size_t i = 0; set && name && i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

char *
slo_expr(const struct slo *s, tns window)
{
	char dur[32];
	struct buf b;
	const char *p = s->error_ratio;

	ts_fmt_promql_duration(dur, sizeof dur, window);
	buf_init(&b, 1 << 20);
	while (*p) {
		if (strncmp(p, "${window}", 9) == 0) {
			buf_puts(&b, dur);
			p += 9;
		} else if (strncmp(p, "$window", 7) == 0 &&
		    !(p[7] == '_' || (p[7] >= 'a' && p[7] <= 'z') || (p[7] >= 'A' && p[7] <= 'Z') ||
		    (p[7] >= '0' && p[7] <= '9'))) {
			buf_puts(&b, dur);
			p += 7;
		} else
			buf_putc(&b, *p++);
	}
	return buf_steal(&b, NULL);
}

static int
cmp_tns(const void *a, const void *b)
{
	tns x = *(const tns *)a, y = *(const tns *)b;
	return x < y ? -1 : x > y;
}

static void
add_query(struct dash_query **q, size_t *nq, char *expr, const char *ref, const char *src)
{
	struct dash_query *d;

	*q = xreallocarray(*q, *nq + 1, sizeof **q);
	d = &(*q)[(*nq)++];
	memset(d, 0, sizeof *d);
	d->expr = expr;
	d->ref = xstrdup(ref);
	d->source = src ? xstrdup(src) : NULL;
}

void
slo_panel_queries(const struct slo *s, struct dash_query **q, size_t *nq)
{
	tns w[2 * SLO_WINDOWS_MAX + 1];
	size_t n = 0;

	for (size_t i = 0; i < s->nwin; i++) {
		w[n++] = s->win[i].long_w;
		w[n++] = s->win[i].short_w;
	}
	w[n++] = s->period;
	qsort(w, n, sizeof *w, cmp_tns);
	for (size_t i = 0; i < n; i++) {
		char ref[40], dur[32];
		if (i > 0 && w[i] == w[i - 1])
			continue;
		ts_fmt_promql_duration(dur, sizeof dur, w[i]);
		snprintf(ref, sizeof ref, "w:%s", dur);
		add_query(q, nq, slo_expr(s, w[i]), ref, s->source);
	}
	add_query(q, nq, slo_expr(s, s->period), "budget", s->source);
}

double
slo_budget(const struct slo *s)
{
	return 1 - s->objective;
}

double
slo_burn_rate(const struct slo *s, double error_ratio)
{
	double b = slo_budget(s);
	if (isnan(error_ratio) || !(b > 0))
		return NAN;
	return error_ratio / b;
}

double
slo_budget_remaining(const struct slo *s, double period_error_ratio)
{
	double b = slo_budget(s);
	if (isnan(period_error_ratio) || !(b > 0))
		return NAN;
	return 1 - period_error_ratio / b;
}

tns
slo_time_to_exhaustion(const struct slo *s, double remaining, double burn_rate)
{
	double t;

	if (isnan(remaining) || isnan(burn_rate) || burn_rate <= 0)
		return TNS_NONE;
	if (remaining <= 0)
		return 0;
	t = remaining * (double)s->period / burn_rate;
	if (t > 9e18)
		return TNS_NONE;
	return (tns)t;
}

int
slo_window_firing(const struct slo_window *w, double burn_long, double burn_short)
{
	return burn_long > w->factor && burn_short > w->factor;
}
