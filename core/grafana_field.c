/* grafana_field: Grafana field config into scry panel keys — units,
 * decimals, min/max, thresholds and their colours (as scry roles), value
 * mappings, and per-series / per-column overrides.  Both the current
 * fieldConfig form and the legacy panel keys (yaxes, format, thresholds
 * arrays and strings, valueMaps) are read. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grafana_int.h"
#include "core/units.h"
#include "core/xalloc.h"

/* --------------------------------------------------------------- colours */

static const char *
role_by_hue(int r, int g, int b)
{
	int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
	double h, d = mx - mn;

	if (mx < 40 || d < 0.15 * mx)
		return "text";	/* grey, black, white */
	if (mx == r)
		h = 60 * fmod((g - b) / d, 6);
	else if (mx == g)
		h = 60 * ((b - r) / d + 2);
	else
		h = 60 * ((r - g) / d + 4);
	if (h < 0)
		h += 360;
	if (h < 18 || h >= 330)
		return mx < 150 ? "critical" : "error";
	if (h < 70)
		return "warn";
	if (h < 165)
		return "ok";
	return "info";
}

const char *
grafana_color_role(const char *c)
{
	static const struct { const char *word, *role; } names[] = {
		{ "dark-red", "critical" }, { "red", "error" }, { "orange", "warn" }, { "yellow", "warn" },
		{ "green", "ok" }, { "blue", "info" }, { "purple", "info" }, { "cyan", "info" },
		{ "transparent", "dim" }, { "text", "text" }, { "gray", "dim" }, { "grey", "dim" },
		{ "white", "text" }, { "black", "text" }, { "super-light", "text" },
	};
	unsigned r, g, b;

	if (!c || !*c)
		return "text";
	/* every conversion has a width, so no number can overflow (%u alone
	 * is undefined on "rgb(99999999999,...": a Grafana file is input) */
	if (c[0] == '#' && strlen(c) >= 7 && sscanf(c + 1, "%2x%2x%2x", &r, &g, &b) == 3)	// NOLINT(cert-err34-c): see above
		return role_by_hue((int)r, (int)g, (int)b);
	if (c[0] == '#' && strlen(c) == 4 && sscanf(c + 1, "%1x%1x%1x", &r, &g, &b) == 3)	// NOLINT(cert-err34-c): see above
		return role_by_hue((int)r * 17, (int)g * 17, (int)b * 17);
	if (sscanf(c, "rgba(%3u ,%3u ,%3u", &r, &g, &b) == 3 ||	// NOLINT(cert-err34-c): see above
	    sscanf(c, "rgb(%3u ,%3u ,%3u", &r, &g, &b) == 3)	// NOLINT(cert-err34-c): see above
		return role_by_hue((int)r, (int)g, (int)b);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strstr(c, names[i].word))
			return names[i].role;
	return "text";
}

/* ----------------------------------------------------------------- units */

const char *
grafana_unit(const char *id, char *buf, size_t n, const char **note)
{
	static const struct { const char *id, *to, *why; } approx[] = {
		{ "dthms", "s", "hh:mm:ss shown as a duration" },
		{ "dtdhms", "s", "d hh:mm:ss shown as a duration" },
		{ "clockms", "ms", "clock shown as a duration" },
		{ "clocks", "s", "clock shown as a duration" },
		{ "string", "none", "text values are shown as numbers" },
		{ "locale", "none", "locale number format not used" },
		{ "rps", "reqps", NULL },
	};

	*note = NULL;
	if (!id || !*id)
		return "";
	if (strcmp(id, "µs") == 0)
		return "\xc2\xb5s";
	for (size_t i = 0; i < sizeof approx / sizeof *approx; i++)
		if (strcmp(approx[i].id, id) == 0) {
			*note = approx[i].why;
			return approx[i].to;
		}
	if (unit_known(id))
		return id;
	if (strncmp(id, "currency", 8) == 0 || strncmp(id, "length", 6) == 0 ||
	    strncmp(id, "mass", 4) == 0 || strncmp(id, "area", 4) == 0 ||
	    strncmp(id, "velocity", 8) == 0 || strncmp(id, "vol", 3) == 0 ||
	    strncmp(id, "flow", 4) == 0 || strncmp(id, "pressure", 8) == 0 ||
	    strncmp(id, "accel", 5) == 0 || strncmp(id, "conc", 4) == 0 ||
	    strncmp(id, "date", 4) == 0) {
		*note = "unit has no scry equivalent; plain numbers";
		return "short";
	}
	snprintf(buf, n, "suffix:%s", id);
	*note = "custom unit kept as a suffix";
	return buf;
}

/* ------------------------------------------------------------ thresholds */

static void
add_threshold(cJSON *arr, int base, double v, const char *color)
{
	cJSON *t = cJSON_CreateObject();

	if (base)
		cJSON_AddNullToObject(t, "value");
	else
		cJSON_AddNumberToObject(t, "value", v);
	cJSON_AddStringToObject(t, "role", grafana_color_role(color));
	cJSON_AddItemToArray(arr, t);
}

static double
pct_to_abs(struct gconv *gc, double p, double min, double max, const char *unit)
{
	if (!isnan(min) && !isnan(max))
		return min + (max - min) * p / 100;
	if (unit && strcmp(unit, "percentunit") == 0)
		return p / 100;
	if (!unit || strcmp(unit, "percent") != 0)
		gc_note(gc, "percentage thresholds without min/max taken as 0..100");
	return p;
}

/* {"mode": "absolute"|"percentage", "steps": [{"color", "value"}]} */
static cJSON *
steps_thresholds(struct gconv *gc, const cJSON *th, double min, double max, const char *unit)
{
	const cJSON *steps = gc_arr(th, "steps");
	const char *mode = gc_str(th, "mode");
	int pct = mode && strcmp(mode, "percentage") == 0, have_base = 0;
	cJSON *arr;

	if (!steps || !cJSON_GetArraySize(steps))
		return NULL;
	arr = cJSON_CreateArray();
	for (const cJSON *s = steps->child; s; s = s->next) {
		double v;
		const char *c = gc_str(s, "color");
		if (gc_num(s, "value", &v) < 0) {
			if (!have_base++)
				add_threshold(arr, 1, 0, c);
			continue;
		}
		add_threshold(arr, 0, pct ? pct_to_abs(gc, v, min, max, unit) : v, c);
	}
	if (pct && !isnan(min) && !isnan(max))
		gc_note(gc, "percentage thresholds converted to values with min %g and max %g", min, max);
	return arr;
}

/* legacy graph: [{"value", "colorMode": "critical"|"warning"|"ok"|"custom", "op"}] */
static cJSON *
graph_thresholds(struct gconv *gc, const cJSON *th)
{
	cJSON *arr = cJSON_CreateArray();

	for (const cJSON *t = th->child; t; t = t->next) {
		double v;
		const char *cm = gc_str(t, "colorMode"), *op = gc_str(t, "op");
		const char *color = !cm ? "red" : strcmp(cm, "critical") == 0 ? "red" :
		    strcmp(cm, "warning") == 0 ? "orange" : strcmp(cm, "ok") == 0 ? "green" :
		    gc_str(t, "lineColor") ? gc_str(t, "lineColor") : "red";
		if (gc_num(t, "value", &v) < 0)
			continue;
		if (op && strcmp(op, "lt") == 0)
			gc_note(gc, "a 'below' threshold is drawn as a line, coloured from the value up");
		add_threshold(arr, 0, v, color);
	}
	if (!cJSON_GetArraySize(arr)) {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
}

/* legacy singlestat: "80,90" with colors [below, middle, above] */
static cJSON *
string_thresholds(const char *th, const cJSON *colors)
{
	cJSON *arr = cJSON_CreateArray();
	const cJSON *c = colors ? colors->child : NULL;
	char *copy = xstrdup(th), *save = NULL;

	add_threshold(arr, 1, 0, cJSON_IsString(c) ? c->valuestring : "green");
	c = c ? c->next : NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save), c = c ? c->next : NULL)
		add_threshold(arr, 0, strtod(t, NULL), cJSON_IsString(c) ? c->valuestring : "red");
	free(copy);
	return arr;
}

cJSON *
gc_thresholds(struct gconv *gc, const cJSON *th, double min, double max, const char *unit)
{
	if (cJSON_IsObject(th))
		return steps_thresholds(gc, th, min, max, unit);
	if (cJSON_IsArray(th))
		return graph_thresholds(gc, th);
	return NULL;
}

/* -------------------------------------------------------------- defaults */

static int
legacy_num(const cJSON *o, const char *key, double *out)
{
	return gc_num(o, key, out);
}

void
gc_field_defaults(struct gconv *gc, const cJSON *gp, cJSON *panel, int want_thresholds)
{
	const cJSON *fc = gc_obj(gc_obj(gp, "fieldConfig"), "defaults");
	const cJSON *yaxes = gc_arr(gp, "yaxes"), *y0 = yaxes ? yaxes->child : NULL;
	const char *unit = gc_str(fc, "unit"), *scry_unit, *why;
	double dec, min = NAN, max = NAN;
	char ubuf[96];
	cJSON *th = NULL;

	if (!unit && y0)
		unit = gc_str(y0, "format");
	if (!unit)
		unit = gc_str(gp, "format");
	if (unit && *unit) {
		scry_unit = grafana_unit(unit, ubuf, sizeof ubuf, &why);
		if (why)
			gc_note(gc, "unit '%s': %s", unit, why);
		if (*scry_unit && strcmp(scry_unit, "short") != 0)
			gc_add_str(panel, "unit", scry_unit);
		else if (*scry_unit)
			gc_add_str(panel, "unit", "short");
	}
	if (gc_num(fc, "decimals", &dec) == 0 || (y0 && legacy_num(y0, "decimals", &dec) == 0) ||
	    legacy_num(gp, "decimals", &dec) == 0)
		if (dec >= 0 && dec <= 12)
			gc_add_num(panel, "decimals", floor(dec));
	if (gc_num(fc, "min", &min) == 0 || (y0 && legacy_num(y0, "min", &min) == 0))
		gc_add_num(panel, "min", min);
	if (gc_num(fc, "max", &max) == 0 || (y0 && legacy_num(y0, "max", &max) == 0))
		gc_add_num(panel, "max", max);
	if (!want_thresholds)
		return;
	if (gc_obj(fc, "thresholds"))
		th = gc_thresholds(gc, gc_obj(fc, "thresholds"), min, max, unit);
	else if (gc_arr(gp, "thresholds"))
		th = gc_thresholds(gc, gc_arr(gp, "thresholds"), min, max, unit);
	else if (gc_str(gp, "thresholds") && *gc_str(gp, "thresholds"))
		th = string_thresholds(gc_str(gp, "thresholds"), gc_arr(gp, "colors"));
	if (th && cJSON_GetArraySize(th) > 0)
		cJSON_AddItemToObject(panel, "thresholds", th);
	else
		cJSON_Delete(th);
}

/* -------------------------------------------------------------- mappings */

static void
add_mapping(cJSON *arr, const char *key, const char *val, const cJSON *result)
{
	cJSON *m = cJSON_CreateObject();
	const char *text = gc_str(result, "text"), *color = gc_str(result, "color");

	if (key)
		cJSON_AddStringToObject(m, key, val);
	cJSON_AddStringToObject(m, "text", text ? text : "");
	if (color)
		cJSON_AddStringToObject(m, "role", grafana_color_role(color));
	cJSON_AddItemToArray(arr, m);
}

static void
new_mappings(const cJSON *maps, cJSON *arr)
{
	for (const cJSON *m = maps->child; m; m = m->next) {
		const char *type = gc_str(m, "type");
		const cJSON *o = gc_obj(m, "options");
		if (!type || !o)
			continue;
		if (strcmp(type, "value") == 0) {
			for (const cJSON *k = o->child; k; k = k->next)
				add_mapping(arr, "value", k->string, k);
		} else if (strcmp(type, "range") == 0) {
			double from, to;
			cJSON *x;
			add_mapping(arr, NULL, NULL, gc_obj(o, "result"));
			x = cJSON_GetArrayItem(arr, cJSON_GetArraySize(arr) - 1);
			if (gc_num(o, "from", &from) == 0)
				cJSON_AddNumberToObject(x, "from", from);
			if (gc_num(o, "to", &to) == 0)
				cJSON_AddNumberToObject(x, "to", to);
		} else if (strcmp(type, "special") == 0 && gc_str(o, "match"))
			add_mapping(arr, "match", gc_str(o, "match"), gc_obj(o, "result"));
		else if (strcmp(type, "regex") == 0 && gc_str(o, "pattern"))
			add_mapping(arr, "regex", gc_str(o, "pattern"), gc_obj(o, "result"));
	}
}

/* Grafana 7 [{"type": 1, "value", "text"}] and singlestat valueMaps/rangeMaps */
static void
old_mappings(const cJSON *maps, cJSON *arr)
{
	for (const cJSON *m = maps->child; m; m = m->next) {
		double from, to;
		const char *v = gc_str(m, "value");
		if (v && strcmp(v, "null") == 0)
			add_mapping(arr, "match", "null", m);
		else if (v)
			add_mapping(arr, "value", v, m);
		else if (gc_num(m, "from", &from) == 0 && gc_num(m, "to", &to) == 0) {
			cJSON *x;
			add_mapping(arr, NULL, NULL, m);
			x = cJSON_GetArrayItem(arr, cJSON_GetArraySize(arr) - 1);
			cJSON_AddNumberToObject(x, "from", from);
			cJSON_AddNumberToObject(x, "to", to);
		}
	}
}

void
gc_value_mappings(struct gconv *gc, const cJSON *gp, cJSON *opts)
{
	const cJSON *fc = gc_obj(gc_obj(gp, "fieldConfig"), "defaults");
	const cJSON *maps = gc_arr(fc, "mappings");
	cJSON *arr = cJSON_CreateArray();

	(void)gc;
	if (maps && maps->child && gc_str(maps->child, "type") && gc_obj(maps->child, "options"))
		new_mappings(maps, arr);
	else if (maps)
		old_mappings(maps, arr);
	if (gc_arr(gp, "valueMaps"))
		old_mappings(gc_arr(gp, "valueMaps"), arr);
	if (gc_arr(gp, "rangeMaps"))
		old_mappings(gc_arr(gp, "rangeMaps"), arr);
	if (cJSON_GetArraySize(arr) > 0)
		cJSON_AddItemToObject(opts, "mappings", arr);
	else
		cJSON_Delete(arr);
}

/* ------------------------------------------------------------- overrides */

/* A series/column pattern: a name, or "/re/" for a regex matcher. */
static char *
matcher_pattern(const cJSON *m, int *names_exclude, const cJSON **names)
{
	const char *id = gc_str(m, "id");
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "options");

	*names = NULL;
	*names_exclude = 0;
	if (!id)
		return NULL;
	if (strcmp(id, "byName") == 0 && cJSON_IsString(o))
		return xstrdup(o->valuestring);
	if (strcmp(id, "byRegexp") == 0 && cJSON_IsString(o)) {
		const char *r = o->valuestring;
		size_t n = strlen(r);
		if (n >= 2 && r[0] == '/' && r[n - 1] == '/')
			return xstrdup(r);
		return gc_strdup_printf("/%s/", r);
	}
	if (strcmp(id, "byFrameRefID") == 0 && cJSON_IsString(o))
		return gc_strdup_printf("ref:%s", o->valuestring);
	if (strcmp(id, "byNames") == 0 && cJSON_IsObject(o)) {
		const char *mode = gc_str(o, "mode");
		*names = gc_arr(o, "names");
		*names_exclude = mode && strcmp(mode, "exclude") == 0;
		return *names ? xstrdup("") : NULL;
	}
	return NULL;
}

static void
add_pattern(cJSON *opts, const char *key, const char *pat, const cJSON *names)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(opts, key);

	if (!arr)
		arr = gc_add_arr(opts, key);
	if (names) {
		for (const cJSON *n = names->child; n; n = n->next)
			if (cJSON_IsString(n))
				cJSON_AddItemToArray(arr, cJSON_CreateString(n->valuestring));
	} else
		cJSON_AddItemToArray(arr, cJSON_CreateString(pat));
}

static int
cosmetic(const char *id)
{
	static const char *const ids[] = { "color", "custom.fillOpacity", "custom.lineStyle",
		"custom.lineWidth", "custom.align", "custom.pointSize", "custom.showPoints",
		"custom.drawStyle", "custom.gradientMode", "custom.lineInterpolation", "custom.minWidth",
		"custom.width", "custom.barAlignment", "custom.spanNulls", NULL };
	for (size_t i = 0; ids[i]; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

/* Grafana stacks the series of one group together; a series overridden
 * out of the panel's group (mode "none", group false or another group) is
 * drawn at its own value. */
static void
stacking_property(struct gconv *gc, cJSON *opts, const cJSON *gp, const cJSON *val,
    const char *pat, const cJSON *names, int exclude)
{
	const cJSON *def = gc_obj(gc_obj(gc_obj(gc_obj(gp, "fieldConfig"), "defaults"), "custom"),
	    "stacking");
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(val, "group");
	const char *mode = gc_str(val, "mode"), *dgroup = gc_str(def, "group");
	const char *pmode = gc_str(opts, "stack");
	int none = mode && strcmp(mode, "none") == 0, same;

	same = !g || (cJSON_IsString(g) && strcmp(g->valuestring, dgroup ? dgroup : "A") == 0);
	if (!pmode) {
		if (mode && !none)
			gc_note(gc, "per-series stacking not converted (the panel itself does not stack)");
		else
			gc->cosmetic++;
	} else if (!none && same && (!mode || strcmp(mode, pmode) == 0))
		gc->cosmetic++;		/* stacked with the rest, as the panel says */
	else if (exclude)
		gc_note(gc, "per-series stacking of all but some series not converted");
	else {
		add_pattern(opts, "unstack_series", pat, names);
		if (!none && cJSON_IsString(g) && !same)
			gc_note(gc, "stacking group '%s' drawn unstacked", g->valuestring);
		else if (!none && same)
			gc_note(gc, "per-series stacking mode '%s' drawn unstacked", mode);
	}
}

static void
series_property(struct gconv *gc, cJSON *opts, const cJSON *gp, const cJSON *pr,
    const char *pat, const cJSON *names, int exclude)
{
	const char *id = gc_str(pr, "id");
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(pr, "value");

	if (!id)
		return;
	if (strcmp(id, "custom.hideFrom") == 0) {
		if (gc_bool(val, "viz", 0))
			add_pattern(opts, exclude ? "show_series" : "hide_series", pat, names);
		else
			gc->cosmetic++;	/* hidden from the legend or tooltip only */
	} else if (strcmp(id, "custom.transform") == 0 && cJSON_IsString(val) &&
	    strcmp(val->valuestring, "negative-Y") == 0) {
		add_pattern(opts, "negate_series", pat, names);
	} else if (strcmp(id, "displayName") == 0 && cJSON_IsString(val) && !names && *pat &&
	    pat[0] != '/' && strncmp(pat, "ref:", 4) != 0) {
		cJSON *r = cJSON_GetObjectItemCaseSensitive(opts, "rename");
		if (!r)
			r = gc_add_obj(opts, "rename");
		cJSON_DeleteItemFromObjectCaseSensitive(r, pat);
		cJSON_AddStringToObject(r, pat, val->valuestring);
	} else if (strcmp(id, "custom.stacking") == 0)
		stacking_property(gc, opts, gp, val, pat, names, exclude);
	else if (strcmp(id, "custom.axisPlacement") == 0)
		gc_note(gc, "series on a second y-axis share the left axis");
	else if (strcmp(id, "unit") == 0 || strcmp(id, "decimals") == 0 || strcmp(id, "min") == 0 ||
	    strcmp(id, "max") == 0)
		gc_note(gc, "per-series %s not converted (the panel's applies)", id);
	else if (cosmetic(id))
		gc->cosmetic++;
	else
		gc_note(gc, "override '%s' not converted", id);
}

void
gc_series_overrides(struct gconv *gc, const cJSON *gp, cJSON *opts)
{
	const cJSON *ov = gc_arr(gc_obj(gp, "fieldConfig"), "overrides");
	const cJSON *legacy = gc_arr(gp, "seriesOverrides");

	for (const cJSON *o = ov ? ov->child : NULL; o; o = o->next) {
		const cJSON *names, *props = gc_arr(o, "properties");
		int exclude;
		char *pat = matcher_pattern(gc_obj(o, "matcher"), &exclude, &names);
		if (!pat) {
			int drawn = 0;
			for (const cJSON *pr = props ? props->child : NULL; pr; pr = pr->next) {
				const char *id = gc_str(pr, "id");
				const cJSON *val = cJSON_GetObjectItemCaseSensitive(pr, "value");
				if (id && !cosmetic(id) && !(strcmp(id, "custom.hideFrom") == 0 &&
				    !gc_bool(val, "viz", 0)))
					drawn = 1;
			}
			if (drawn)
				gc_note(gc, "override matched by %s not converted",
				    gc_str(gc_obj(o, "matcher"), "id") ? gc_str(gc_obj(o, "matcher"), "id") : "?");
			else
				gc->cosmetic++;
			continue;
		}
		for (const cJSON *pr = props ? props->child : NULL; pr; pr = pr->next)
			series_property(gc, opts, gp, pr, pat, names, exclude);
		free(pat);
	}
	/* legacy graph: [{"alias": "x" or "/re/", "hiddenSeries": true, "transform": "negative-Y"}] */
	for (const cJSON *o = legacy ? legacy->child : NULL; o; o = o->next) {
		const char *alias = gc_str(o, "alias");
		if (!alias)
			continue;
		if (gc_bool(o, "hiddenSeries", 0))
			add_pattern(opts, "hide_series", alias, NULL);
		else if (gc_str(o, "transform") && strcmp(gc_str(o, "transform"), "negative-Y") == 0)
			add_pattern(opts, "negate_series", alias, NULL);
		else if (cJSON_GetObjectItemCaseSensitive(o, "yaxis"))
			gc_note(gc, "series on a second y-axis share the left axis");
		else
			gc->cosmetic++;
	}
}

static void
column_property(struct gconv *gc, cJSON *col, const cJSON *pr)
{
	const char *id = gc_str(pr, "id");
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(pr, "value");
	const char *why;
	char ubuf[96];
	double x;

	if (!id)
		return;
	if (strcmp(id, "displayName") == 0 && cJSON_IsString(val))
		gc_add_str(col, "title", val->valuestring);
	else if (strcmp(id, "unit") == 0 && cJSON_IsString(val))
		gc_add_str(col, "unit", grafana_unit(val->valuestring, ubuf, sizeof ubuf, &why));
	else if (strcmp(id, "decimals") == 0 && cJSON_IsNumber(val))
		gc_add_num(col, "decimals", val->valuedouble);
	else if (strcmp(id, "custom.hidden") == 0 && cJSON_IsTrue(val))
		gc_add_bool(col, "hidden", 1);
	else if ((strcmp(id, "custom.width") == 0 || strcmp(id, "custom.minWidth") == 0) &&
	    gc_num(pr, "value", &x) == 0)
		gc_add_num(col, "width", ceil(x / 8));	/* pixels to cells */
	else if (strcmp(id, "custom.align") == 0)
		gc->cosmetic++;	/* text left, numbers right */
	else if (strcmp(id, "thresholds") == 0) {
		cJSON *th = gc_thresholds(gc, val, NAN, NAN, NULL);
		if (th)
			cJSON_AddItemToObject(col, "thresholds", th);
	} else if (strcmp(id, "custom.cellOptions") == 0 || strcmp(id, "custom.displayMode") == 0) {
		const char *t = cJSON_IsObject(val) ? gc_str(val, "type") :
		    cJSON_IsString(val) ? val->valuestring : NULL;
		if (t && strstr(t, "background"))
			gc_note(gc, "cell background colour shown as coloured text");
		/* coloured text is what scry's thresholds do anyway */
	} else if (strcmp(id, "links") == 0)
		gc_note(gc, "cell links not converted");
	else if (!cosmetic(id) && strcmp(id, "custom.align") != 0)
		gc_note(gc, "column override '%s' not converted", id);
}

void
gc_column_overrides(struct gconv *gc, const cJSON *gp, cJSON *opts)
{
	const cJSON *ov = gc_arr(gc_obj(gp, "fieldConfig"), "overrides");
	cJSON *cols = NULL;

	for (const cJSON *o = ov ? ov->child : NULL; o; o = o->next) {
		const cJSON *names, *props = gc_arr(o, "properties");
		int exclude;
		char *pat = matcher_pattern(gc_obj(o, "matcher"), &exclude, &names);
		cJSON *col;
		if (!pat || names) {
			gc_note(gc, "column override matched by %s not converted",
			    gc_str(gc_obj(o, "matcher"), "id") ? gc_str(gc_obj(o, "matcher"), "id") : "?");
			free(pat);
			continue;
		}
		if (!cols)
			cols = gc_add_obj(opts, "fields");
		if (!(col = cJSON_GetObjectItemCaseSensitive(cols, pat)))
			col = gc_add_obj(cols, pat);
		for (const cJSON *pr = props ? props->child : NULL; pr; pr = pr->next)
			column_property(gc, col, pr);
		free(pat);
	}
}
