/* slo_import: Sloth and OpenSLO documents into the SLO model.
 *
 * Sloth (prometheus/v1 spec and the sloth.slok.dev/v1
 * PrometheusServiceLevel CRD): each SLO becomes "<service>-<name>" (Sloth's
 * sloth_id) with a 30d period (Sloth's default); events
 * (error_query/total_query) or raw (error_ratio_query) SLIs; {{.window}}
 * becomes $window; a disabled page or ticket alert drops those windows.
 * OpenSLO (openslo/v1, and v1alpha's ratioMetrics): SLO documents with an
 * inline indicator or an indicatorRef to an SLI document in the same
 * file; Prometheus ratio metrics (good/bad/total, raw); one scry SLO per
 * objective.  Counter queries are rated over $window.
 * Anything else (plugins, threshold metrics, other metric sources) is an
 * error naming the document and key, never silently skipped. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/paths.h"
#include "core/slo.h"
#include "core/xalloc.h"
#include "core/yaml.h"

struct imp {
	struct slo_set	*set;
	const struct jdoc *doc;
	struct diag	*dg;
	const cJSON	*root;	/* array of documents (YAML) or the document (JSON) */
};

static const char *
str_any(const struct imp *im, const cJSON *o, const char *path, const char *k1, const char *k2)
{
	const char *v = jd_str(im->doc, im->dg, o, path, k1, NULL);
	return v ? v : k2 ? jd_str(im->doc, im->dg, o, path, k2, NULL) : NULL;
}

static const cJSON *
obj_any(const struct imp *im, const cJSON *o, const char *path, const char *k1, const char *k2)
{
	const cJSON *v = jd_obj(im->doc, im->dg, o, path, k1);
	return v ? v : k2 ? jd_obj(im->doc, im->dg, o, path, k2) : NULL;
}

static void
add_slo(struct imp *im, const cJSON *at, char *name, const char *service, const char *desc,
    double objective, tns period, char *ratio)
{
	struct slo s;
	int line, col;

	memset(&s, 0, sizeof s);
	s.name = name;
	s.service = service ? xstrdup(service) : NULL;
	s.description = desc ? xstrdup(desc) : NULL;
	s.objective = objective;
	s.period = period;
	s.error_ratio = ratio;
	s.nwin = slo_default_windows(period, s.win);
	jdoc_where(im->doc, at, 0, &line, &col);
	s.origin = xasprintf("%s:%d", im->doc->file, line);
	if (slo_find(im->set, name))
		jdoc_diag(im->doc, im->dg, DIAG_WARN, at, 0, "another SLO is also named '%s'", name);
	slo_set_add(im->set, &s);
}

/* ------------------------------------------------------------------ Sloth */

static void
sloth_drop_windows(struct slo *s, const char *severity)
{
	size_t w = 0;
	for (size_t i = 0; i < s->nwin; i++)
		if (strcmp(s->win[i].severity, severity) != 0)
			s->win[w++] = s->win[i];
	s->nwin = w;
}

static int
alert_disabled(const struct imp *im, const cJSON *alerting, const char *path, const char *k1,
    const char *k2)
{
	const cJSON *a = obj_any(im, alerting, path, k1, k2);
	return a && jd_bool(im->doc, im->dg, a, path, "disable", 0);
}

static char *
sloth_sli(const struct imp *im, const cJSON *sli, const char *path)
{
	const cJSON *ev = jd_obj(im->doc, im->dg, sli, path, "events");
	const cJSON *raw = jd_obj(im->doc, im->dg, sli, path, "raw");
	char *a, *b, *out;

	if (ev) {
		const char *e = str_any(im, ev, path, "error_query", "errorQuery");
		const char *t = str_any(im, ev, path, "total_query", "totalQuery");
		if (!e || !t) {
			jdoc_diag(im->doc, im->dg, DIAG_ERROR, ev, 0,
			    "%s.sli.events: needs error_query and total_query", path);
			return NULL;
		}
		a = slo_window_placeholder(e);
		b = slo_window_placeholder(t);
		out = xasprintf("(%s) / (%s)", a, b);
		free(a);
		free(b);
		return out;
	}
	if (raw) {
		const char *r = str_any(im, raw, path, "error_ratio_query", "errorRatioQuery");
		if (r)
			return slo_window_placeholder(r);
	}
	jdoc_diag(im->doc, im->dg, DIAG_ERROR, sli, 0,
	    "%s.sli: only events (error_query/total_query) and raw (error_ratio_query) SLIs are "
	    "supported; SLI plugins need Sloth itself", path);
	return NULL;
}

static int
sloth_doc(struct imp *im, const cJSON *spec, const char *where)
{
	const char *service = jd_str(im->doc, im->dg, spec, where, "service", NULL);
	const cJSON *slos = jd_arr(im->doc, im->dg, spec, where, "slos");
	size_t i = 0;
	int added = 0;

	if (!service || !slos) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, spec, 0, "%s: a Sloth spec needs \"service\" and \"slos\"",
		    where);
		return -1;
	}
	for (const cJSON *o = slos->child; o; o = o->next, i++) {
		char path[200];
		const char *name, *desc;
		const cJSON *sli, *alerting, *ov;
		double objective;
		char *ratio;

		snprintf(path, sizeof path, "%s.slos[%zu]", where, i);
		name = jd_str(im->doc, im->dg, o, path, "name", NULL);
		desc = jd_str(im->doc, im->dg, o, path, "description", NULL);
		ov = cJSON_GetObjectItemCaseSensitive(o, "objective");
		if (!name || !ov || slo_parse_objective(ov, &objective) < 0) {
			jdoc_diag(im->doc, im->dg, DIAG_ERROR, ov ? ov : o, 0,
			    "%s: needs \"name\" and \"objective\" (a percentage such as 99.9)", path);
			continue;
		}
		if (!(sli = jd_obj(im->doc, im->dg, o, path, "sli"))) {
			jdoc_diag(im->doc, im->dg, DIAG_ERROR, o, 0, "%s: missing \"sli\"", path);
			continue;
		}
		if (!(ratio = sloth_sli(im, sli, path)))
			continue;
		add_slo(im, o, xasprintf("%s-%s", service, name), service, desc, objective,
		    30 * 86400 * NS_PER_S, ratio);
		if ((alerting = jd_obj(im->doc, im->dg, o, path, "alerting"))) {
			struct slo *s = &im->set->v[im->set->n - 1];
			if (alert_disabled(im, alerting, path, "page_alert", "pageAlert"))
				sloth_drop_windows(s, "page");
			if (alert_disabled(im, alerting, path, "ticket_alert", "ticketAlert"))
				sloth_drop_windows(s, "ticket");
		}
		added++;
	}
	return added;
}

/* ---------------------------------------------------------------- OpenSLO */

/* Is q a bare selector (metric, metric{...} or {...})? */
static int
is_selector(const char *q)
{
	const char *p = q;

	while (isspace((unsigned char)*p))
		p++;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == ':')
		p++;
	if (*p == '{') {
		int inq = 0;
		for (p++; *p && (inq || *p != '}'); p++) {
			if (*p == '\\' && inq && p[1])
				p++;
			else if (*p == '"')
				inq = !inq;
		}
		if (*p != '}')
			return 0;
		p++;
	} else if (p == q)
		return 0;
	while (isspace((unsigned char)*p))
		p++;
	return *p == '\0';
}

/* The events of a query over $window: rated counters or summed counts. */
static char *
over_window(const char *q, int counter)
{
	if (strstr(q, "$window") || strstr(q, "{{"))
		return slo_window_placeholder(q);
	if (is_selector(q))
		return counter ? xasprintf("sum(rate(%s[$window]))", q) :
		    xasprintf("sum(sum_over_time(%s[$window]))", q);
	return counter ? xasprintf("sum(rate((%s)[$window:]))", q) :
	    xasprintf("sum(sum_over_time((%s)[$window:]))", q);
}

static const char *
metric_query(const struct imp *im, const cJSON *m, const char *path)
{
	const cJSON *src = jd_obj(im->doc, im->dg, m, path, "metricSource");
	const char *type, *q;
	const cJSON *spec;

	if (!src) {
		/* v1alpha: {source, queryType, query} */
		if ((q = jd_str(im->doc, im->dg, m, path, "query", NULL)))
			return q;
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, m, 0, "%s: missing metricSource", path);
		return NULL;
	}
	type = jd_str(im->doc, im->dg, src, path, "type", "Prometheus");
	if (strcasecmp(type, "prometheus") != 0) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, src, 0,
		    "%s.metricSource: type '%s' is not supported (scry reads Prometheus metrics)", path, type);
		return NULL;
	}
	spec = jd_obj(im->doc, im->dg, src, path, "spec");
	q = spec ? str_any(im, spec, path, "query", "promql") : NULL;
	if (!q)
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, src, 0, "%s.metricSource.spec: missing \"query\"", path);
	return q;
}

static char *
ratio_metric(const struct imp *im, const cJSON *rm, const char *path)
{
	int counter = jd_bool(im->doc, im->dg, rm, path, "counter", 1);
	const cJSON *good = jd_obj(im->doc, im->dg, rm, path, "good");
	const cJSON *bad = jd_obj(im->doc, im->dg, rm, path, "bad");
	const cJSON *total = jd_obj(im->doc, im->dg, rm, path, "total");
	const cJSON *raw = jd_obj(im->doc, im->dg, rm, path, "raw");
	const char *gq, *tq;
	char *a, *b, *out;

	if (raw) {
		const char *rt = jd_str(im->doc, im->dg, rm, path, "rawType", "failure");
		const char *rq = metric_query(im, raw, path);
		if (!rq)
			return NULL;
		a = is_selector(rq) ? xasprintf("avg_over_time(%s[$window])", rq) :
		    xasprintf("avg_over_time((%s)[$window:])", rq);
		out = strcmp(rt, "success") == 0 ? xasprintf("1 - (%s)", a) : xstrdup(a);
		free(a);
		return out;
	}
	if (!(good || bad) || !total) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, rm, 0,
		    "%s: a ratio metric needs \"good\" or \"bad\", and \"total\"", path);
		return NULL;
	}
	if (!(gq = metric_query(im, good ? good : bad, path)) || !(tq = metric_query(im, total, path)))
		return NULL;
	a = over_window(gq, counter);
	b = over_window(tq, counter);
	out = good ? xasprintf("1 - ((%s) / (%s))", a, b) : xasprintf("(%s) / (%s)", a, b);
	free(a);
	free(b);
	return out;
}

static const cJSON *
find_sli(const struct imp *im, const char *name)
{
	const cJSON *docs = cJSON_IsArray(im->root) ? im->root->child : im->root;

	for (const cJSON *d = docs; d; d = cJSON_IsArray(im->root) ? d->next : NULL) {
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(d, "kind");
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(d, "metadata");
		const cJSON *n = md ? cJSON_GetObjectItemCaseSensitive(md, "name") : NULL;
		if (cJSON_IsString(kind) && strcmp(kind->valuestring, "SLI") == 0 &&
		    cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return d;
	}
	return NULL;
}

static tns
openslo_period(const struct imp *im, const cJSON *spec, const char *path)
{
	const cJSON *tw = jd_arr(im->doc, im->dg, spec, path, "timeWindow");
	const cJSON *twa = jd_arr(im->doc, im->dg, spec, path, "timeWindows");
	const cJSON *w = tw ? tw->child : twa ? twa->child : NULL;
	const char *d;
	tns out;

	if (!w)
		return 30 * 86400 * NS_PER_S;
	if ((d = jd_str(im->doc, im->dg, w, path, "duration", NULL))) {
		size_t n = strlen(d);
		if (n > 1 && d[n - 1] == 'M')	/* months: 30 days each */
			return (tns)(strtod(d, NULL) * 30 * 86400) * NS_PER_S;
		if (n > 1 && d[n - 1] == 'Q')
			return (tns)(strtod(d, NULL) * 90 * 86400) * NS_PER_S;
		if (ts_parse_duration(d, &out) == 0)
			return out;
	} else {
		/* v1alpha: {unit: Day, count: 28} */
		const char *u = jd_str(im->doc, im->dg, w, path, "unit", "Day");
		double c = jd_num(im->doc, im->dg, w, path, "count", 30);
		double mul = strcasecmp(u, "Week") == 0 ? 7 * 86400 : strcasecmp(u, "Month") == 0 ?
		    30 * 86400 : strcasecmp(u, "Hour") == 0 ? 3600 : 86400;
		return (tns)(c * mul) * NS_PER_S;
	}
	jdoc_diag(im->doc, im->dg, DIAG_ERROR, w, 0, "%s.timeWindow: bad duration '%s'", path, d);
	return -1;
}

static double
objective_target(const struct imp *im, const cJSON *o)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "target");
	const cJSON *tp = cJSON_GetObjectItemCaseSensitive(o, "targetPercent");
	double x;

	if (cJSON_IsNumber(t) && t->valuedouble > 0 && t->valuedouble < 1)
		return t->valuedouble;
	if (cJSON_IsNumber(tp) && tp->valuedouble > 0 && tp->valuedouble < 100)
		return tp->valuedouble / 100;
	if (t && slo_parse_objective(t, &x) == 0)
		return x;
	jdoc_diag(im->doc, im->dg, DIAG_ERROR, t ? t : tp ? tp : o, 0,
	    "objective: expected \"target\" (0.999) or \"targetPercent\" (99.9)");
	(void)im;
	return NAN;
}

/* The SLI's ratio: inline indicator, indicatorRef, or v1alpha ratioMetrics. */
static char *
openslo_sli(const struct imp *im, const cJSON *spec, const cJSON *obj, const char *path)
{
	const cJSON *ind = jd_obj(im->doc, im->dg, spec, path, "indicator");
	const char *ref = jd_str(im->doc, im->dg, spec, path, "indicatorRef", NULL);
	const cJSON *ss, *rm;

	if (obj && (rm = jd_obj(im->doc, im->dg, obj, path, "ratioMetrics")))
		return ratio_metric(im, rm, path);
	if (!ind && ref && !(ind = find_sli(im, ref))) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(spec, "indicatorRef"), 0,
		    "%s.indicatorRef: no SLI named '%s' in this file", path, ref);
		return NULL;
	}
	if (!ind) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, spec, 0, "%s: missing indicator or indicatorRef", path);
		return NULL;
	}
	ss = jd_obj(im->doc, im->dg, ind, path, "spec");
	if (ss && (rm = jd_obj(im->doc, im->dg, ss, path, "ratioMetric")))
		return ratio_metric(im, rm, path);
	jdoc_diag(im->doc, im->dg, DIAG_ERROR, ind, 0,
	    "%s.indicator: only ratioMetric SLIs are supported (thresholdMetric needs a per-event "
	    "latency threshold scry cannot evaluate from a query)", path);
	return NULL;
}

static int
openslo_doc(struct imp *im, const cJSON *d, const char *where)
{
	const cJSON *md = jd_obj(im->doc, im->dg, d, where, "metadata");
	const cJSON *spec = jd_obj(im->doc, im->dg, d, where, "spec");
	const char *name = md ? jd_str(im->doc, im->dg, md, where, "name", NULL) : NULL;
	const cJSON *objs;
	const char *service, *desc;
	tns period;
	size_t i = 0, nobj;
	int added = 0;

	if (!name || !spec) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, d, 0, "%s: an OpenSLO SLO needs metadata.name and spec", where);
		return -1;
	}
	service = jd_str(im->doc, im->dg, spec, where, "service", NULL);
	desc = jd_str(im->doc, im->dg, spec, where, "description", NULL);
	if ((period = openslo_period(im, spec, where)) < 3600 * NS_PER_S)
		return -1;
	objs = jd_arr(im->doc, im->dg, spec, where, "objectives");
	nobj = objs ? (size_t)cJSON_GetArraySize(objs) : 0;
	if (!nobj) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, spec, 0, "%s.spec: missing objectives", where);
		return -1;
	}
	for (const cJSON *o = objs->child; o; o = o->next, i++) {
		char path[200];
		const char *dn = jd_str(im->doc, im->dg, o, where, "displayName", NULL);
		double target = objective_target(im, o);
		char *ratio;

		snprintf(path, sizeof path, "%s.spec.objectives[%zu]", where, i);
		if (isnan(target) || !(ratio = openslo_sli(im, spec, o, path)))
			continue;
		add_slo(im, o, nobj == 1 || !dn ? (nobj == 1 ? xstrdup(name) : xasprintf("%s-%zu", name, i)) :
		    xasprintf("%s-%s", name, dn), service, desc, target, period, ratio);
		added++;
	}
	return added;
}

/* ------------------------------------------------------------------ files */

static int
one_doc(struct imp *im, const cJSON *d, size_t idx)
{
	const char *api = NULL, *kind = NULL, *ver = NULL;
	char where[64];
	const cJSON *v;

	snprintf(where, sizeof where, "document %zu", idx + 1);
	if (cJSON_IsNull(d))
		return 0;
	if (!cJSON_IsObject(d)) {
		jdoc_diag(im->doc, im->dg, DIAG_ERROR, d, 0, "%s: expected a mapping", where);
		return -1;
	}
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(d, "apiVersion")))
		api = v->valuestring;
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(d, "kind")))
		kind = v->valuestring;
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(d, "version")))
		ver = v->valuestring;
	if (ver && strncmp(ver, "prometheus/v1", 13) == 0)
		return sloth_doc(im, d, where);
	if (api && strncmp(api, "sloth.slok.dev/", 15) == 0) {
		const cJSON *spec = jd_obj(im->doc, im->dg, d, where, "spec");
		return spec ? sloth_doc(im, spec, where) : -1;
	}
	if (api && strncmp(api, "openslo/", 8) == 0)
		return kind && strcmp(kind, "SLO") == 0 ? openslo_doc(im, d, where) : 0;
	if ((v = jd_arr(im->doc, im->dg, d, where, "slos"))) {
		int n = 0;
		size_t i = 0;
		for (const cJSON *s = v->child; s; s = s->next, i++) {
			char path[80];
			snprintf(path, sizeof path, "slos[%zu]", i);
			n += slo_parse(im->set, im->doc, s, path, im->dg) == 0;
		}
		return n;
	}
	jdoc_diag(im->doc, im->dg, DIAG_ERROR, d, 0,
	    "%s: not a Sloth (version: prometheus/v1), OpenSLO (apiVersion: openslo/v1) or scry "
	    "({\"slos\": [...]}) SLO document", where);
	return -1;
}

int
slo_load_text(struct slo_set *set, const char *text, size_t len, const char *name,
    struct diag *dg)
{
	struct jdoc doc;
	struct imp im = { .set = set, .dg = dg };
	size_t errs = dg->nerrors, before = set->n, i = 0;
	const char *p = text;
	int rc, json;

	while (p < text + len && isspace((unsigned char)*p))
		p++;
	json = p < text + len && *p == '{';	/* (text need not be NUL-terminated) */
	rc = json ? jdoc_parse(&doc, text, len, name, dg) : yaml_parse(&doc, text, len, name, dg);
	if (rc < 0) {
		jdoc_free(&doc);	/* jdoc_parse leaves the text behind on an error */
		return -1;
	}
	im.doc = &doc;
	im.root = doc.root;
	if (cJSON_IsArray(doc.root) && !json) {
		for (const cJSON *d = doc.root->child; d; d = d->next, i++)
			one_doc(&im, d, i);
	} else
		one_doc(&im, doc.root, 0);
	if (set->n == before && dg->nerrors == errs)
		diag_add(dg, DIAG_ERROR, name, 0, 0, "no SLO definitions found");
	jdoc_free(&doc);
	return dg->nerrors > errs ? -1 : (int)(set->n - before);
}

int
slo_load_file(struct slo_set *set, const char *path, struct diag *dg)
{
	size_t len;
	char *text = paths_read_file(path, SLO_FILE_MAX, &len, dg);
	int rc;

	if (!text)
		return -1;
	rc = slo_load_text(set, text, len, path, dg);
	free(text);
	return rc;
}
