/* grafana_panel: one Grafana panel into one scry panel.
 *   timeseries, graph          -> graph     (stack, hide/negate series, legend)
 *   stat, singlestat           -> stat      (reduce, sparkline, color, orientation,
 *                                            limit, mappings)
 *   gauge                      -> gauge     bargauge, piechart, barchart -> bar
 *                                           (limit, mappings; the value at the end)
 *   table, table-old           -> table     (fields, order, sort, limit, mappings)
 *   logs                       -> logs      (wrap; derived fields -> trace_ids)
 *   heatmap (le buckets)       -> heatmap   (raw series: graph)
 *   text, row, alertlist       -> text, row, alerts
 * Anything else becomes a text panel that names the type, says why and
 * lists the queries.  Approximations are noted for the import report. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/grafana_int.h"
#include "core/ts.h"
#include "core/xalloc.h"

struct qinfo {
	int		 n;		/* queries converted */
	int		 dropped;
	const char	*source;	/* the panel's source */
	char		 why[256];	/* why none could be converted */
};

/* ---------------------------------------------------------------- basics */

static cJSON *
base(struct gconv *gc, const cJSON *gp, const char *type)
{
	cJSON *p = cJSON_CreateObject(), *g;
	const cJSON *gpos = gc_obj(gp, "gridPos");
	double x = 0, y = 0, w = 12, h = 8, id;
	const char *title = gc_str(gp, "title"), *desc = gc_str(gp, "description");

	(void)gc;
	gc_add_str(p, "type", type);
	if (gc_num(gp, "id", &id) == 0 && id >= 0 && id < (1 << 30) && id == (int)id)
		gc_add_num(p, "id", id);
	gc_add_str(p, "title", title ? title : "");
	if (desc && *desc)
		gc_add_str(p, "description", desc);
	gc_num(gpos, "x", &x);
	gc_num(gpos, "y", &y);
	gc_num(gpos, "w", &w);
	gc_num(gpos, "h", &h);
	x = x < 0 ? 0 : x > 23 ? 23 : (int)x;
	w = w < 1 ? 1 : w > 24 - x ? 24 - x : (int)w;
	y = y < 0 ? 0 : (int)y;
	h = h < 1 ? 1 : h > 10000 ? 10000 : (int)h;
	g = gc_add_obj(p, "grid");
	gc_add_num(g, "x", x);
	gc_add_num(g, "y", y);
	gc_add_num(g, "w", w);
	gc_add_num(g, "h", h);
	return p;
}

static cJSON *
opts_of(cJSON *p)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(p, "options");
	return o ? o : gc_add_obj(p, "options");
}

static void
drop_empty_options(cJSON *p)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(p, "options");
	if (o && !o->child)
		cJSON_DeleteItemFromObjectCaseSensitive(p, "options");
}

static int
looks_logql(const char *e)
{
	static const char *const marks[] = { "|=", "|~", "!=\"", "| json", "| logfmt",
		"| line_format", "| pattern", "| regexp", "| unpack", "over_time({", "rate({", NULL };
	while (isspace((unsigned char)*e))
		e++;
	if (*e == '{')
		return 1;
	for (size_t i = 0; marks[i]; i++)
		if (strstr(e, marks[i]))
			return 1;
	return 0;
}

static void
duration_opt(cJSON *opts, const char *key, const char *v)
{
	tns d;
	if (v && *v && ts_parse_duration(v, &d) == 0 && d >= NS_PER_S)
		gc_add_str(opts, key, v);
}

/* --------------------------------------------------------------- queries */

static const char *
target_expr(const cJSON *t)
{
	const char *e = gc_str(t, "expr");
	if (!e || !*e)
		e = gc_str(t, "query");
	return e && *e ? e : NULL;
}

static void
query_object(struct gconv *gc, const cJSON *t, const char *expr, cJSON *q)
{
	const char *ref = gc_str(t, "refId"), *leg = gc_str(t, "legendFormat");
	const char *qt = gc_str(t, "queryType"), *fmt = gc_str(t, "format");
	double lim;

	(void)gc;
	gc_add_str(q, "query", expr);
	if (ref && *ref)
		gc_add_str(q, "ref", ref);
	if (leg && *leg && strcmp(leg, "__auto") != 0)
		gc_add_str(q, "legend", leg);
	if (gc_bool(t, "hide", 0))
		gc_add_bool(q, "hide", 1);
	if ((gc_bool(t, "instant", 0) && !gc_bool(t, "range", 0)) || (qt && strcmp(qt, "instant") == 0) ||
	    (fmt && strcmp(fmt, "table") == 0 && gc_bool(t, "instant", 0)))
		gc_add_bool(q, "instant", 1);
	if (gc_num(t, "maxLines", &lim) == 0 && lim > 0)
		gc_add_num(q, "limit", lim);
}

/* Convert the targets; returns the number of queries (0: qi->why says why). */
static int
queries(struct gconv *gc, const cJSON *gp, cJSON *p, const char *default_type, struct qinfo *qi)
{
	const cJSON *targets = gc_arr(gp, "targets");
	struct gds pd, td;
	cJSON *arr = NULL;

	memset(qi, 0, sizeof *qi);
	gc_datasource(gc, cJSON_GetObjectItemCaseSensitive(gp, "datasource"), &pd);
	if (pd.unsupported) {
		snprintf(qi->why, sizeof qi->why, "its data source type '%s' is not supported by scry "
		    "(it reads Prometheus, Loki, Tempo and Jaeger)", pd.type);
		return 0;
	}
	for (const cJSON *t = targets ? targets->child : NULL; t; t = t->next) {
		const char *expr = target_expr(t), *src, *dtype = default_type;
		const struct gds *use;
		cJSON *q;
		if (!expr) {
			if (cJSON_GetObjectItemCaseSensitive(t, "datasource") || gc_str(t, "refId"))
				qi->dropped++;
			continue;
		}
		gc_datasource(gc, cJSON_GetObjectItemCaseSensitive(t, "datasource"), &td);
		use = td.inherit ? &pd : &td;
		if (use->unsupported) {
			gc_note(gc, "query %s uses a %s data source; left out",
			    gc_str(t, "refId") ? gc_str(t, "refId") : "?", use->type);
			snprintf(qi->why, sizeof qi->why, "its queries use a '%s' data source, which scry "
			    "cannot query", use->type);
			continue;
		}
		if (!use->type[0] && looks_logql(expr))
			dtype = "loki";
		src = gc_source_for(gc, use, dtype);
		if (!arr)
			arr = gc_add_arr(p, "queries");
		q = cJSON_CreateObject();
		query_object(gc, t, expr, q);
		if (!qi->source)
			qi->source = src;
		else if (strcmp(qi->source, src) != 0)
			gc_add_str(q, "source", src);
		cJSON_AddItemToArray(arr, q);
		qi->n++;
	}
	if (qi->source) {
		/* "source" right after the title, for the reader */
		cJSON *s = cJSON_CreateString(qi->source);
		cJSON_AddItemToObject(p, "source", s);
	}
	if (qi->dropped)
		gc_note(gc, "%d empty quer%s left out", qi->dropped, qi->dropped == 1 ? "y" : "ies");
	if (!qi->n && !qi->why[0])
		snprintf(qi->why, sizeof qi->why, "it has no queries");
	return qi->n;
}

static void
common_notes(struct gconv *gc, const cJSON *gp, int table)
{
	const char *tf = gc_str(gp, "timeFrom"), *ts = gc_str(gp, "timeShift"), *rep = gc_str(gp, "repeat");
	const cJSON *links = gc_arr(gp, "links"), *tr = gc_arr(gp, "transformations");

	if (tf && *tf)
		gc_note(gc, "relative time '%s' not supported (the dashboard window applies)", tf);
	if (ts && *ts)
		gc_note(gc, "time shift '%s' not supported", ts);
	if (rep && *rep)
		gc_note(gc, "repeated for each value of $%s in Grafana; shown once for the selected values", rep);
	if (links && cJSON_GetArraySize(links) > 0)
		gc_note(gc, "panel links not converted");
	if (!table && tr && cJSON_GetArraySize(tr) > 0)
		gc_note(gc, "transformations not applied");
}

/* --------------------------------------------------------- panel classes */

static const char *
reduce_name(struct gconv *gc, const char *calc)
{
	static const struct { const char *g, *s; } tab[] = {
		{ "lastNotNull", "last" }, { "last", "last" }, { "current", "last" },
		{ "firstNotNull", "first" }, { "first", "first" }, { "mean", "mean" }, { "avg", "mean" },
		{ "max", "max" }, { "min", "min" }, { "sum", "sum" }, { "total", "sum" },
		{ "count", "count" }, { "range", "range" }, { "delta", "delta" }, { "diff", "diff" },
		{ "median", "median" },
	};
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strcmp(tab[i].g, calc) == 0)
			return tab[i].s;
	gc_note(gc, "reduction '%s' shown as the last value", calc);
	return "last";
}

/* The reduction of a stat (gauges and bars show the value at the
 * window's end: anything else is noted). */
static void
reduce_opt(struct gconv *gc, const cJSON *gp, cJSON *opts, int emit)
{
	const cJSON *ro = gc_obj(gc_obj(gp, "options"), "reduceOptions"), *calcs = gc_arr(ro, "calcs");
	const char *vn = gc_str(gp, "valueName"), *calc = NULL, *r;
	double lim;

	if (calcs && cJSON_IsString(calcs->child))
		calc = calcs->child->valuestring;
	else if (vn)
		calc = vn;
	if (calc && emit)
		gc_add_str(opts, "reduce", reduce_name(gc, calc));
	else if (calc && strcmp(r = reduce_name(gc, calc), "last") != 0)
		gc_note(gc, "reduction '%s' not applied: bars show the value at the window's end", r);
	if (gc_bool(ro, "values", 0))
		gc_note(gc, "'all values' mode shown as one value per series");
	if (gc_num(ro, "limit", &lim) == 0 && lim > 0)
		gc_add_num(opts, "limit", lim);
}

static void
orientation_opt(const cJSON *gp, cJSON *opts)
{
	const char *o = gc_str(gc_obj(gp, "options"), "orientation");
	if (o && (strcmp(o, "horizontal") == 0 || strcmp(o, "vertical") == 0))
		gc_add_str(opts, "orientation", o);
}

/* The value text modes of a stat: scry shows the value, and each series'
 * name above it when there are several. */
static void
text_mode_note(struct gconv *gc, const char *tm)
{
	if (tm && strcmp(tm, "auto") && strcmp(tm, "value") && strcmp(tm, "value_and_name"))
		gc_note(gc, "text mode '%s' shown as the value (with the name when there are several)", tm);
}

static int
thresholds_drawn(const cJSON *gp)
{
	const cJSON *custom = gc_obj(gc_obj(gc_obj(gp, "fieldConfig"), "defaults"), "custom");
	const char *m = gc_str(gc_obj(custom, "thresholdsStyle"), "mode");

	if (m)
		return strcmp(m, "off") != 0;
	return gc_arr(gp, "thresholds") && cJSON_GetArraySize(gc_arr(gp, "thresholds")) > 0;
}

/* Grafana's legend sort (options.legend.sortBy + sortDesc, or the old
 * graph's legend.sort + sortDesc) -> legend_sort; scry sorts only
 * largest first, by max or last, or by name. */
static void
legend_sort_opt(struct gconv *gc, const cJSON *l, const cJSON *old, cJSON *opts)
{
	const char *by = gc_str(l, "sortBy"), *to = NULL;
	int desc = gc_bool(l, "sortDesc", 0);

	if (!by && (by = gc_str(old, "sort")))
		desc = gc_bool(old, "sortDesc", 0);
	if (!by || !*by || strcmp(by, "none") == 0)
		return;
	if (strcasecmp(by, "name") == 0 || strcasecmp(by, "alias") == 0)
		to = "name";
	else if (strcasecmp(by, "max") == 0)
		to = "max";
	else if (strcasecmp(by, "last") == 0 || strcasecmp(by, "last *") == 0 ||
	    strcasecmp(by, "current") == 0)
		to = "last";
	if (!to) {
		gc_note(gc, "legend sorted by the largest value, not by '%s'", by);
		return;
	}
	gc_add_str(opts, "legend_sort", to);
	if (!desc && strcmp(to, "name"))
		gc_note(gc, "legend sorted largest first, not smallest");
}

static void
legend_opt(struct gconv *gc, const cJSON *gp, cJSON *opts)
{
	const cJSON *l = gc_obj(gc_obj(gp, "options"), "legend"), *old = gc_obj(gp, "legend");
	const char *dm = gc_str(l, "displayMode"), *pl = gc_str(l, "placement");

	if ((l && !gc_bool(l, "showLegend", 1)) || (dm && strcmp(dm, "hidden") == 0) ||
	    (!l && old && !gc_bool(old, "show", 1))) {
		gc_add_str(opts, "legend", "hidden");
		return;
	}
	if ((pl && strcmp(pl, "right") == 0) || gc_bool(old, "rightSide", 0))
		gc_note(gc, "legend shown below the graph, not on the right");
	legend_sort_opt(gc, l, old, opts);
}

static void
stack_opt(struct gconv *gc, const cJSON *gp, cJSON *opts)
{
	const cJSON *custom = gc_obj(gc_obj(gc_obj(gp, "fieldConfig"), "defaults"), "custom");
	const char *m = gc_str(gc_obj(custom, "stacking"), "mode"), *ds = gc_str(custom, "drawStyle");
	const char *sd = gc_str(gc_obj(custom, "scaleDistribution"), "type");

	if (m && (strcmp(m, "normal") == 0 || strcmp(m, "percent") == 0))
		gc_add_str(opts, "stack", m);
	else if (gc_bool(gp, "stack", 0))
		gc_add_str(opts, "stack", gc_bool(gp, "percentage", 0) ? "percent" : "normal");
	if ((ds && strcmp(ds, "line") != 0) || gc_bool(gp, "bars", 0))
		gc_note(gc, "drawn as lines, not %s", ds ? ds : "bars");
	if (sd && strcmp(sd, "linear") != 0)
		gc_note(gc, "%s y scale drawn linear", sd);
}

static void
min_step_opt(const cJSON *gp, cJSON *opts)
{
	const cJSON *t = gc_arr(gp, "targets");
	const char *iv = gc_str(gp, "interval");

	if ((!iv || !*iv) && t)
		for (const cJSON *x = t->child; x && (!iv || !*iv); x = x->next)
			iv = gc_str(x, "interval");
	if (iv && iv[0] == '>')
		iv++;
	duration_opt(opts, "min_step", iv);
}

static cJSON *
conv_graph(struct gconv *gc, const cJSON *gp, struct qinfo *qi)
{
	cJSON *p = base(gc, gp, "graph"), *opts;

	if (!queries(gc, gp, p, "prometheus", qi))
		return p;
	gc_field_defaults(gc, gp, p, thresholds_drawn(gp));
	opts = opts_of(p);
	legend_opt(gc, gp, opts);
	stack_opt(gc, gp, opts);
	min_step_opt(gp, opts);
	gc_series_overrides(gc, gp, opts);
	drop_empty_options(p);
	return p;
}

static cJSON *
conv_stat(struct gconv *gc, const cJSON *gp, struct qinfo *qi)
{
	cJSON *p = base(gc, gp, "stat"), *opts;
	const cJSON *o = gc_obj(gp, "options"), *spark = gc_obj(gp, "sparkline");
	const char *gm = gc_str(o, "graphMode"), *cm = gc_str(o, "colorMode"), *tm = gc_str(o, "textMode");
	const char *post = gc_str(gp, "postfix");

	if (!queries(gc, gp, p, "prometheus", qi))
		return p;
	gc_field_defaults(gc, gp, p, 1);
	opts = opts_of(p);
	reduce_opt(gc, gp, opts, 1);
	if (gm)
		gc_add_bool(opts, "sparkline", strcmp(gm, "none") != 0);
	else if (spark)
		gc_add_bool(opts, "sparkline", gc_bool(spark, "show", 0));
	/* scry colours the value by the thresholds ("value") or not at all */
	if ((cm && strncmp(cm, "background", 10) == 0) || (!cm && gc_bool(gp, "colorBackground", 0)))
		gc_note(gc, "background colour shown as a coloured value");
	if (cm && strcmp(cm, "none") == 0)
		gc_add_str(opts, "color", "none");	// NOLINT(bugprone-branch-clone): two Grafana spellings of "no colour", kept apart to be read
	else if (!cm && !gc_bool(gp, "colorBackground", 0) && !gc_bool(gp, "colorValue", 0) &&
	    cJSON_GetObjectItemCaseSensitive(gp, "colorValue"))
		gc_add_str(opts, "color", "none");	/* a singlestat with colouring off */
	text_mode_note(gc, tm);
	orientation_opt(gp, opts);
	if (post && *post && !cJSON_GetObjectItemCaseSensitive(p, "unit")) {
		char *u = gc_strdup_printf("suffix:%s", post);
		gc_add_str(p, "unit", u);
		free(u);
	}
	gc_value_mappings(gc, gp, opts);
	drop_empty_options(p);
	return p;
}

static cJSON *
conv_gauge(struct gconv *gc, const cJSON *gp, const char *type, struct qinfo *qi)
{
	cJSON *p = base(gc, gp, type), *opts;
	const cJSON *o = gc_obj(gp, "options");
	const char *dm = gc_str(o, "displayMode");

	if (!queries(gc, gp, p, "prometheus", qi))
		return p;
	gc_field_defaults(gc, gp, p, 1);
	opts = opts_of(p);
	reduce_opt(gc, gp, opts, 0);
	if (gc_str(o, "orientation") && strcmp(gc_str(o, "orientation"), "vertical") == 0)
		gc_note(gc, "vertical bars drawn horizontal");
	/* scry's bars: the fill coloured by the thresholds, one row per series */
	if (strcmp(type, "gauge") == 0) {
		if (gc_bool(o, "showThresholdLabels", 0))
			gc_note(gc, "threshold labels not drawn (the bar's colour shows the step)");
		if (!gc_bool(o, "showThresholdMarkers", 1))
			gc->cosmetic++;
	} else if (dm && (strcmp(dm, "gradient") == 0 || strcmp(dm, "lcd") == 0))
		gc->cosmetic++;	/* drawn as plain bars */
	gc_value_mappings(gc, gp, opts);
	drop_empty_options(p);
	return p;
}

static void
organize(struct gconv *gc, const cJSON *o, cJSON *opts)
{
	const cJSON *ex = gc_obj(o, "excludeByName"), *rn = gc_obj(o, "renameByName");
	const cJSON *ix = gc_obj(o, "indexByName");
	cJSON *cols = cJSON_GetObjectItemCaseSensitive(opts, "fields");

	(void)gc;
	if (!cols && ((ex && ex->child) || (rn && rn->child)))
		cols = gc_add_obj(opts, "fields");
	for (const cJSON *e = ex ? ex->child : NULL; e; e = e->next)
		if (cJSON_IsTrue(e)) {
			cJSON *c = cJSON_GetObjectItemCaseSensitive(cols, e->string);
			if (!c)
				c = gc_add_obj(cols, e->string);
			if (!cJSON_GetObjectItemCaseSensitive(c, "hidden"))
				gc_add_bool(c, "hidden", 1);
		}
	for (const cJSON *r = rn ? rn->child : NULL; r; r = r->next)
		if (cJSON_IsString(r) && *r->valuestring) {
			cJSON *c = cJSON_GetObjectItemCaseSensitive(cols, r->string);
			if (!c)
				c = gc_add_obj(cols, r->string);
			cJSON_DeleteItemFromObjectCaseSensitive(c, "title");
			gc_add_str(c, "title", r->valuestring);
		}
	if (ix && ix->child) {
		/* column order: names sorted by their index */
		cJSON *arr = gc_add_arr(opts, "order");
		for (int want = 0; want < 1000; want++) {
			int found = 0;
			for (const cJSON *e = ix->child; e; e = e->next)
				if (cJSON_IsNumber(e) && e->valueint == want) {
					cJSON_AddItemToArray(arr, cJSON_CreateString(e->string));
					found = 1;
				}
			if (!found && cJSON_GetArraySize(arr) >= cJSON_GetArraySize(ix))
				break;
		}
	}
}

static void
transformations(struct gconv *gc, const cJSON *gp, cJSON *opts)
{
	const cJSON *tr = gc_arr(gp, "transformations");

	for (const cJSON *t = tr ? tr->child : NULL; t; t = t->next) {
		const char *id = gc_str(t, "id");
		const cJSON *o = gc_obj(t, "options");
		double lim;
		if (!id)
			continue;
		if (strcmp(id, "merge") == 0 || strcmp(id, "seriesToColumns") == 0 ||
		    strcmp(id, "joinByField") == 0 || strcmp(id, "outerJoin") == 0)
			;	/* scry's table always joins its queries' series by labels */
		else if (strcmp(id, "organize") == 0)
			organize(gc, o, opts);
		else if (strcmp(id, "limit") == 0 && gc_num(o, "limitField", &lim) == 0)
			gc_add_num(opts, "limit", lim);
		else
			gc_note(gc, "transformation '%s' not applied", id);
	}
}

/* Grafana sorts by a column's display name: a field title, "Value",
 * "Value #REF" or a label. */
static void
table_sort(cJSON *opts, const char *shown, int desc)
{
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(opts, "fields");
	const char *name = shown;
	char *v = NULL;

	for (const cJSON *f = fields ? fields->child : NULL; f; f = f->next) {
		const char *t = gc_str(f, "title");
		if (t && strcmp(t, shown) == 0)
			name = f->string;
	}
	if (strncmp(name, "Value #", 7) == 0)
		name = v = gc_strdup_printf("value:%s", name + 7);
	else if (strcmp(name, "Value") == 0)
		name = "value";
	gc_add_str(opts, "sort", name);
	gc_add_bool(opts, "desc", desc);
	free(v);
}

static cJSON *
conv_table(struct gconv *gc, const cJSON *gp, struct qinfo *qi)
{
	cJSON *p = base(gc, gp, "table"), *opts;
	const cJSON *o = gc_obj(gp, "options"), *sb = gc_arr(o, "sortBy"), *footer = gc_obj(o, "footer");

	if (!queries(gc, gp, p, "prometheus", qi))
		return p;
	gc_field_defaults(gc, gp, p, 1);
	opts = opts_of(p);
	if (o && !gc_bool(o, "showHeader", 1))
		gc_note(gc, "the header row is always shown");
	if (footer && gc_bool(footer, "show", 0))
		gc_note(gc, "table footer not shown");
	gc_column_overrides(gc, gp, opts);
	transformations(gc, gp, opts);
	if (sb && sb->child && gc_str(sb->child, "displayName"))
		table_sort(opts, gc_str(sb->child, "displayName"), gc_bool(sb->child, "desc", 0));
	gc_value_mappings(gc, gp, opts);
	drop_empty_options(p);
	return p;
}

/* Derived fields of the panel's Loki data source: the dashboard's
 * trace-id extractors ("trace_ids", after scry's defaults), each once. */
static void
derived_fields(struct gconv *gc, const char *source)
{
	const cJSON *df = gc_derived_fields(gc, source);
	cJSON *arr;
	int n = 0;

	if (!df || !df->child)
		return;
	if (!(arr = cJSON_GetObjectItemCaseSensitive(gc->out, "trace_ids"))) {
		arr = gc_add_arr(gc->out, "trace_ids");
		cJSON_AddItemToArray(arr, cJSON_CreateString("default"));
	}
	for (const cJSON *f = df->child; f; f = f->next) {
		const char *name = gc_str(f, "name"), *re = gc_str(f, "matcherRegex"), *uid = gc_str(f, "datasourceUid");
		const char *mt = gc_str(f, "matcherType"), *why = NULL;
		int dup = 0;
		cJSON *o;
		if (!re || (mt && strcmp(mt, "label") == 0)) {
			gc_note(gc, "derived field '%s' matches a label, not the line; left out", name ? name : "?");
			continue;
		}
		if (!gc_regex_ok(re, &why)) {
			gc_note(gc, "derived field '%s' left out: %s", name ? name : "?", why);
			continue;
		}
		for (const cJSON *e = arr->child; e; e = e->next)
			dup |= cJSON_IsObject(e) && strcmp(gc_str(e, "regex") ? gc_str(e, "regex") : "", re) == 0;
		if (uid) {	/* its trace source exists in the dashboard */
			struct gds d;
			cJSON *ref = cJSON_CreateString(uid);
			gc_datasource(gc, ref, &d);
			cJSON_Delete(ref);
			if (!d.unsupported)
				gc_source_for(gc, &d, "tempo");
		} else if (gc_str(f, "url") && *gc_str(f, "url"))
			gc_note(gc, "derived field '%s': its URL is not opened; the id opens in scry's trace view",
			    name ? name : "?");
		n++;
		if (dup)
			continue;
		o = cJSON_CreateObject();
		gc_add_str(o, "name", name ? name : "trace");
		gc_add_str(o, "regex", re);
		cJSON_AddItemToArray(arr, o);
	}
	if (n)
		gc_note(gc, "%d derived field%s of the Loki data source as trace-id patterns (\"trace_ids\")",
		    n, n == 1 ? "" : "s");
}

static cJSON *
conv_logs(struct gconv *gc, const cJSON *gp, struct qinfo *qi)
{
	cJSON *p = base(gc, gp, "logs"), *opts;
	const cJSON *o = gc_obj(gp, "options");
	const char *so = gc_str(o, "sortOrder"), *dd = gc_str(o, "dedupStrategy");

	if (!queries(gc, gp, p, "loki", qi))
		return p;
	opts = opts_of(p);
	/* scry's log pane: time, level, the stream's pod/app label and the
	 * line, oldest to newest, following the newest at the bottom */
	if (cJSON_GetObjectItemCaseSensitive(o, "showTime") && !gc_bool(o, "showTime", 1))
		gc_note(gc, "times are always shown");
	if (gc_bool(o, "showLabels", 0))
		gc_note(gc, "unique labels shown as the stream's pod or app label");
	if (cJSON_GetObjectItemCaseSensitive(o, "wrapLogMessage"))
		gc_add_bool(opts, "wrap", gc_bool(o, "wrapLogMessage", 0));
	if (gc_bool(o, "prettifyLogMessage", 0))
		gc_note(gc, "JSON lines shown as written (Enter shows a line's fields)");
	if (so && strcmp(so, "Descending") == 0)
		gc_note(gc, "newest lines at the bottom (scry follows the log as tail -f does)");
	if (dd && strcmp(dd, "none") != 0)
		gc_note(gc, "deduplication '%s' not applied", dd);
	derived_fields(gc, qi->source);
	drop_empty_options(p);
	return p;
}

static int
bucket_queries(const cJSON *gp)
{
	const cJSON *t = gc_arr(gp, "targets");
	int any = 0;

	for (const cJSON *x = t ? t->child : NULL; x; x = x->next) {
		const char *e = target_expr(x), *f = gc_str(x, "format");
		if (!e)
			continue;
		if (!strstr(e, "_bucket") && !strstr(e, "le)") && !(f && strcmp(f, "heatmap") == 0))
			return 0;
		any = 1;
	}
	return any;
}

static cJSON *
conv_heatmap(struct gconv *gc, const cJSON *gp, struct qinfo *qi)
{
	const cJSON *o = gc_obj(gp, "options"), *ya = gc_obj(o, "yAxis"), *oya = gc_obj(gp, "yAxis");
	const cJSON *calc = cJSON_GetObjectItemCaseSensitive(o, "calculate");
	const char *df = gc_str(gp, "dataFormat"), *unit = gc_str(ya, "unit"), *why;
	const char *scheme = gc_str(gc_obj(o, "color"), "scheme");
	double dec;
	char ubuf[96];
	cJSON *p;

	if (!bucket_queries(gp) || cJSON_IsTrue(calc) || (df && strcmp(df, "timeseries") == 0)) {
		gc_note(gc, "heatmap of raw series (Grafana buckets them itself) shown as a graph");
		return conv_graph(gc, gp, qi);
	}
	p = base(gc, gp, "heatmap");
	if (!queries(gc, gp, p, "prometheus", qi))
		return p;
	if (!unit)
		unit = gc_str(oya, "format");
	if (unit && *unit) {
		const char *u = grafana_unit(unit, ubuf, sizeof ubuf, &why);
		if (*u)
			gc_add_str(p, "unit", u);
	}
	if (gc_num(ya, "decimals", &dec) == 0 || gc_num(oya, "decimals", &dec) == 0)
		if (dec >= 0 && dec <= 12)
			gc_add_num(p, "decimals", dec);
	if (scheme)
		gc_note(gc, "colour scheme '%s' drawn with scry's heat ramp", scheme);
	min_step_opt(gp, opts_of(p));
	drop_empty_options(p);
	return p;
}

/* HTML (Grafana text panels in "html" mode) to plain text lines. */
static char *
html_text(const char *h)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	while (*h) {
		if (*h == '<') {
			const char *e = strchr(h, '>');
			char tag[8] = "";
			size_t n = 0;
			if (!e)
				break;
			for (const char *t = h + 1; t < e && n < sizeof tag - 1 && (isalnum((unsigned char)*t) ||
			    *t == '/'); t++)
				tag[n++] = (char)tolower((unsigned char)*t);
			tag[n] = '\0';
			if (strcmp(tag, "br") == 0 || strcmp(tag, "/p") == 0 || strcmp(tag, "/div") == 0 ||
			    strcmp(tag, "/li") == 0 || strcmp(tag, "/tr") == 0 || (tag[0] == '/' && tag[1] == 'h'))
				buf_putc(&b, '\n');
			else if (strcmp(tag, "li") == 0)
				buf_puts(&b, "- ");
			else if (tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6')
				buf_puts(&b, "# ");
			h = e + 1;
			continue;
		}
		if (*h == '&') {
			static const struct { const char *e, *c; } ent[] = { { "&nbsp;", " " },
				{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
				{ "&#39;", "'" } };
			size_t i;
			for (i = 0; i < sizeof ent / sizeof *ent; i++)
				if (strncmp(h, ent[i].e, strlen(ent[i].e)) == 0)
					break;
			if (i < sizeof ent / sizeof *ent) {
				buf_puts(&b, ent[i].c);
				h += strlen(ent[i].e);
				continue;
			}
		}
		if (*h == '\n' && b.len && b.data[b.len - 1] == '\n') {
			h++;
			continue;
		}
		buf_putc(&b, *h++);
	}
	/* no blank lines at either end */
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	{
		size_t lead = 0;
		while (lead < b.len && (b.data[lead] == '\n' || b.data[lead] == ' '))
			lead++;
		memmove(b.data, b.data + lead, b.len - lead + 1);
		b.len -= lead;
	}
	return buf_steal(&b, NULL);
}

static cJSON *
conv_text(struct gconv *gc, const cJSON *gp)
{
	cJSON *p = base(gc, gp, "text"), *opts = opts_of(p);
	const cJSON *o = gc_obj(gp, "options");
	const char *content = gc_str(o, "content"), *mode = gc_str(o, "mode");

	if (!content)
		content = gc_str(gp, "content");
	if (!mode)
		mode = gc_str(gp, "mode");
	if (mode && strcmp(mode, "html") == 0 && content) {
		char *t = html_text(content);
		gc_add_str(opts, "content", t);
		free(t);
		gc_note(gc, "HTML shown as plain text");
	} else
		gc_add_str(opts, "content", content ? content : "");
	return p;
}

static cJSON *
conv_row(struct gconv *gc, const cJSON *gp)
{
	cJSON *p = base(gc, gp, "row");
	cJSON *g = cJSON_GetObjectItemCaseSensitive(p, "grid");

	cJSON_ReplaceItemInObjectCaseSensitive(g, "x", cJSON_CreateNumber(0));
	cJSON_ReplaceItemInObjectCaseSensitive(g, "w", cJSON_CreateNumber(24));
	cJSON_ReplaceItemInObjectCaseSensitive(g, "h", cJSON_CreateNumber(1));
	if (gc_bool(gp, "collapsed", 0))
		gc_add_bool(p, "collapsed", 1);
	if (gc_str(gp, "repeat") && *gc_str(gp, "repeat"))
		gc_note(gc, "row repeated for each value of $%s in Grafana; shown once", gc_str(gp, "repeat"));
	return p;
}

/* Grafana's alert list filters into the alerts panel's label matchers:
 * the alert name (a substring) and instance label matchers. */
static void
alert_filter(struct gconv *gc, cJSON *opts, const char *name, const char *labels)
{
	struct buf b;

	buf_init(&b, 8192);
	if (name && *name) {
		buf_puts(&b, "alertname=~\".*");
		for (const char *c = name; *c; c++) {
			if (strchr(".^$|?*+()[]{}\\", *c))
				buf_puts(&b, "\\\\");
			else if (*c == '"')
				buf_putc(&b, '\\');
			buf_putc(&b, *c);
		}
		buf_puts(&b, ".*\"");
	}
	if (labels && *labels) {
		const char *l = labels;
		size_t n;
		while (*l == ' ' || *l == '{')
			l++;
		n = strlen(l);
		while (n && (l[n - 1] == ' ' || l[n - 1] == '}'))
			n--;
		/* only the matcher syntax the panel reads: name op "value", ... */
		if (gc_matchers_ok(l, n)) {
			if (b.len)
				buf_puts(&b, ", ");
			buf_append(&b, l, n);
		} else
			gc_note(gc, "instance label filter '%s' not converted", labels);
	}
	if (b.len) {
		char *f = gc_strdup_printf("{%s}", b.data);
		gc_add_str(opts, "filter", f);
		free(f);
	}
	buf_free(&b);
}

static cJSON *
conv_alerts(struct gconv *gc, const cJSON *gp)
{
	cJSON *p = base(gc, gp, "alerts"), *opts = opts_of(p), *st;
	const cJSON *o = gc_obj(gp, "options"), *sf = gc_obj(o, "stateFilter");
	double lim, so;
	struct gds d;

	gc_datasource(gc, cJSON_GetObjectItemCaseSensitive(gp, "datasource"), &d);
	if (!d.unsupported)
		gc_add_str(p, "source", gc_source_for(gc, &d, "prometheus"));
	if ((gc_num(o, "maxItems", &lim) == 0 || gc_num(gp, "limit", &lim) == 0) && lim >= 1 && lim <= 1000)
		gc_add_num(opts, "limit", (int)lim);
	if (sf) {
		st = gc_add_arr(opts, "states");
		if (gc_bool(sf, "firing", 0))
			cJSON_AddItemToArray(st, cJSON_CreateString("firing"));
		if (gc_bool(sf, "pending", 0))
			cJSON_AddItemToArray(st, cJSON_CreateString("pending"));
		if (!cJSON_GetArraySize(st))
			cJSON_DeleteItemFromObjectCaseSensitive(opts, "states");
		if (gc_bool(sf, "noData", 0) || gc_bool(sf, "error", 0) || gc_bool(sf, "normal", 0) ||
		    gc_bool(sf, "inactive", 0))
			gc_note(gc, "only firing and pending alerts are listed (Prometheus has no others)");
	}
	if (gc_num(o, "sortOrder", &so) == 0 || gc_num(gp, "sortOrder", &so) == 0) {
		static const char *const sorts[] = { "importance", "name", "name_desc", "importance", "time",
			"time_desc" };
		if (so >= 1 && so <= 5 && so != 3)
			gc_add_str(opts, "sort", sorts[(int)so]);
	}
	alert_filter(gc, opts, gc_str(o, "alertName"), gc_str(o, "alertInstanceLabelFilter"));
	gc_note(gc, "Grafana's alert rules are shown from the Prometheus source's /api/v1/alerts");
	drop_empty_options(p);
	return p;
}

/* ----------------------------------------------------------- unsupported */

static const char *
unsupported_reason(const char *type)
{
	static const struct { const char *type, *why; } tab[] = {
		{ "state-timeline", "state over time has no scry panel yet; the queries are listed below" },
		{ "status-history", "status history has no scry panel yet; the queries are listed below" },
		{ "histogram", "Grafana computes this value distribution itself; a heatmap of _bucket "
		    "series shows the same in scry" },
		{ "xychart", "x/y scatter plots need pixels" }, { "geomap", "maps need pixels" },
		{ "canvas", "free-form canvases need pixels" },
		{ "nodeGraph", "node graphs: use scry's topology panel" },
		{ "traces", "trace panels: open a trace from a log line or an exemplar" },
		{ "flamegraph", "profiles are not a scry source" },
		{ "news", "a Grafana UI panel with no data" }, { "dashlist", "a Grafana UI panel with no data" },
		{ "annolist", "a Grafana UI panel with no data" }, { "welcome", "a Grafana UI panel with no data" },
		{ "gettingstarted", "a Grafana UI panel with no data" },
		{ "pluginlist", "a Grafana UI panel with no data" },
		{ "candlestick", "candlesticks have no scry panel" }, { "trend", "trend charts have no scry panel" },
		{ "datagrid", "editable data grids have no scry panel" },
	};
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strcmp(tab[i].type, type) == 0)
			return tab[i].why;
	if (strchr(type, '-'))
		return "a third-party plugin panel";
	return "no scry panel of this type";
}

static cJSON *
conv_unsupported(struct gconv *gc, const cJSON *gp, const char *type, const char *why)
{
	cJSON *p = base(gc, gp, "text"), *opts = opts_of(p);
	const cJSON *t = gc_arr(gp, "targets");
	struct buf b;

	buf_init(&b, 1 << 16);
	buf_printf(&b, "# Grafana panel type '%s' is not supported\n%s.\n", type, why);
	for (const cJSON *x = t ? t->child : NULL; x; x = x->next) {
		const char *e = target_expr(x), *ref = gc_str(x, "refId");
		if (e)
			buf_printf(&b, "- %s: %s\n", ref ? ref : "query", e);
	}
	gc_add_str(opts, "content", b.data);
	buf_free(&b);
	gc->unsupported++;
	return p;
}

/* --------------------------------------------------------------- dispatch */

static const char *
scry_type(const char *t)
{
	static const struct { const char *g, *s; } tab[] = {
		{ "timeseries", "graph" }, { "graph", "graph" }, { "stat", "stat" }, { "singlestat", "stat" },
		{ "grafana-singlestat-panel", "stat" }, { "gauge", "gauge" }, { "bargauge", "bar" },
		{ "piechart", "bar" }, { "grafana-piechart-panel", "bar" }, { "barchart", "bar" },
		{ "table", "table" }, { "table-old", "table" }, { "logs", "logs" }, { "heatmap", "heatmap" },
		{ "text", "text" }, { "row", "row" }, { "alertlist", "alerts" },
	};
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strcmp(tab[i].g, t) == 0)
			return tab[i].s;
	return NULL;
}

static cJSON *
dispatch(struct gconv *gc, const cJSON *gp, const char *type, const char *st, struct qinfo *qi)
{
	if (strcmp(st, "graph") == 0)
		return conv_graph(gc, gp, qi);
	if (strcmp(st, "stat") == 0)
		return conv_stat(gc, gp, qi);
	if (strcmp(st, "gauge") == 0 || strcmp(st, "bar") == 0) {
		if (strcmp(type, "bargauge") != 0 && strcmp(type, "gauge") != 0)
			gc_note(gc, "%s shown as horizontal bars", type);
		return conv_gauge(gc, gp, st, qi);
	}
	if (strcmp(st, "table") == 0)
		return conv_table(gc, gp, qi);
	if (strcmp(st, "logs") == 0)
		return conv_logs(gc, gp, qi);
	return conv_heatmap(gc, gp, qi);
}

static void
flush_notes(struct gconv *gc, const char *path, const cJSON *gp, const char *type)
{
	const char *title = gc_str(gp, "title");

	if (gc->nnotes)
		gc_report(gc, "%s '%s' (%s): %s", path, title ? title : "", type, gc->notes.data);
	buf_reset(&gc->notes);
	gc->nnotes = 0;
}

cJSON *
gc_panel(struct gconv *gc, const cJSON *gp, const char *path)
{
	const char *type = gc_str(gp, "type"), *st;
	struct qinfo qi;
	cJSON *p;

	buf_reset(&gc->notes);
	gc->nnotes = 0;
	gc->npanels++;
	if (!type)
		type = gc_obj(gp, "libraryPanel") ? "library panel" : "(no type)";
	st = scry_type(type);
	if (!st) {
		p = conv_unsupported(gc, gp, type, gc_obj(gp, "libraryPanel") ?
		    "a library panel: its definition is kept in Grafana, not in this file" :
		    unsupported_reason(type));
		gc_note(gc, "not supported; shown as a text panel naming it");
		gc_count(gc, type, "text (unsupported)");
		flush_notes(gc, path, gp, type);
		return p;
	}
	if (strcmp(st, "row") == 0)
		p = conv_row(gc, gp);
	else if (strcmp(st, "text") == 0)
		p = conv_text(gc, gp);
	else if (strcmp(st, "alerts") == 0)
		p = conv_alerts(gc, gp);
	else {
		p = dispatch(gc, gp, type, st, &qi);
		if (!qi.n) {
			cJSON_Delete(p);
			p = conv_unsupported(gc, gp, type, qi.why);
			gc_note(gc, "not converted: %s", qi.why);
			gc_count(gc, type, "text (unsupported)");
			flush_notes(gc, path, gp, type);
			return p;
		}
	}
	common_notes(gc, gp, strcmp(st, "table") == 0);
	gc_count(gc, type, gc_str(p, "type"));
	flush_notes(gc, path, gp, type);
	return p;
}
