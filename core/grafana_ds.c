/* grafana_ds: Grafana data source references and template variables.
 * A reference is resolved, in order, by --map-datasource (the uid, the
 * name, "$var"/"${var}"/"var" for datasource variables, "-- Mixed --",
 * the plugin type), by the provisioning file (uid or name), and by the
 * plugin type (one scry source per type, named after it).  Each distinct
 * reference is reported once with the scry source it became. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grafana_int.h"
#include "core/xalloc.h"
#include "core/yaml.h"

static const char *const scry_types[] = { "prometheus", "loki", "tempo", "jaeger", NULL };

static int
supported_type(const char *t)
{
	for (size_t i = 0; scry_types[i]; i++)
		if (strcmp(scry_types[i], t) == 0)
			return 1;
	return 0;
}

static const char *
map_lookup(const struct gconv *gc, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < gc->o->nmap; i++) {
		const char *m = gc->o->map[i], *eq = strchr(m, '=');
		if (eq && (size_t)(eq - m) == kl && strncmp(m, key, kl) == 0)
			return eq + 1;
	}
	return NULL;
}

/* "$x", "${x}", "${x:fmt}", "[[x]]" -> x */
static int
var_ref(const char *s, char *name, size_t n)
{
	size_t len;
	const char *b = NULL, *e = NULL;

	if (s[0] == '$' && s[1] == '{') {
		b = s + 2;
		e = strpbrk(b, ":}");
	} else if (s[0] == '[' && s[1] == '[') {
		b = s + 2;
		e = strstr(b, "]]");
	} else if (s[0] == '$') {
		b = s + 1;
		for (e = b; isalnum((unsigned char)*e) || *e == '_'; e++)
			;
		if (*e)
			return 0;
	}
	if (!b || !e || e == b)
		return 0;
	len = (size_t)(e - b) < n - 1 ? (size_t)(e - b) : n - 1;
	memcpy(name, b, len);
	name[len] = '\0';
	return 1;
}

static const cJSON *
prov_find(const struct gconv *gc, const char *key)
{
	for (const cJSON *d = gc->o->provisioning ? gc->o->provisioning->child : NULL; d; d = d->next) {
		const char *uid = gc_str(d, "uid"), *name = gc_str(d, "name");
		if ((uid && strcmp(uid, key) == 0) || (name && strcmp(name, key) == 0))
			return d;
	}
	return NULL;
}

static const cJSON *
prov_default(const struct gconv *gc, const char *type)
{
	const cJSON *first = NULL;

	for (const cJSON *d = gc->o->provisioning ? gc->o->provisioning->child : NULL; d; d = d->next) {
		const char *t = gc_str(d, "type");
		if (!t || strcmp(t, type) != 0)
			continue;
		if (gc_bool(d, "isDefault", 0))
			return d;
		if (!first)
			first = d;
	}
	return first;
}

/* A scry source name from a Grafana datasource name: lower case, [a-z0-9-]. */
static void
source_name(const char *in, char *out, size_t n)
{
	size_t k = 0;

	for (; *in && k + 1 < n; in++) {
		unsigned char c = (unsigned char)*in;
		if (isalnum(c))
			out[k++] = (char)tolower(c);
		else if (k && out[k - 1] != '-')
			out[k++] = '-';
	}
	while (k && out[k - 1] == '-')
		k--;
	out[k] = '\0';
	if (!k)
		snprintf(out, n, "source");
}

static const char *
type_from_name(const char *name)
{
	static const struct { const char *word, *type; } g[] = {
		{ "loki", "loki" }, { "tempo", "tempo" }, { "jaeger", "jaeger" }, { "prom", "prometheus" },
		{ "thanos", "prometheus" }, { "mimir", "prometheus" }, { "cortex", "prometheus" },
		{ "victoria", "prometheus" }, { "vm", "prometheus" },
	};
	char low[128];
	size_t i;

	for (i = 0; i < sizeof low - 1 && name[i]; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	for (i = 0; i < sizeof g / sizeof *g; i++)
		if (strstr(low, g[i].word))
			return g[i].type;
	return NULL;
}

static const struct gdsvar *
dsvar_find(const struct gconv *gc, const char *name)
{
	for (size_t i = 0; i < gc->ndsv; i++)
		if (strcmp(gc->dsv[i].name, name) == 0)
			return &gc->dsv[i];
	return NULL;
}

static void
from_prov(const cJSON *p, struct gds *out)
{
	const char *t = gc_str(p, "type");
	source_name(gc_str(p, "name") ? gc_str(p, "name") : "source", out->name, sizeof out->name);
	if (t)
		snprintf(out->type, sizeof out->type, "%s", t);
}

static void
resolve_var(struct gconv *gc, const char *var, struct gds *out)
{
	char k1[140], k2[140];
	const struct gdsvar *v = dsvar_find(gc, var);
	const char *m;
	const cJSON *p;

	snprintf(k1, sizeof k1, "$%s", var);
	snprintf(k2, sizeof k2, "${%s}", var);
	if (v)
		snprintf(out->type, sizeof out->type, "%s", v->type);
	if ((m = map_lookup(gc, k1)) || (m = map_lookup(gc, k2)) || (m = map_lookup(gc, var))) {
		snprintf(out->name, sizeof out->name, "%s", m);
		return;
	}
	if (v && v->current && (m = map_lookup(gc, v->current))) {
		snprintf(out->name, sizeof out->name, "%s", m);
		return;
	}
	if (v && v->current && (p = prov_find(gc, v->current))) {
		from_prov(p, out);
		return;
	}
	if (!v)
		gc_report(gc, "data source variable $%s is not defined; its panels use the default %s "
		    "source", var, "prometheus");
}

static void
resolve_literal(struct gconv *gc, const char *key, struct gds *out)
{
	const char *m = map_lookup(gc, key), *t;
	const cJSON *p;

	if (m) {
		snprintf(out->name, sizeof out->name, "%s", m);
		if (!out->type[0] && (p = prov_find(gc, key)) && gc_str(p, "type"))
			snprintf(out->type, sizeof out->type, "%s", gc_str(p, "type"));
		return;
	}
	if ((p = prov_find(gc, key))) {
		from_prov(p, out);
		return;
	}
	if (!out->type[0]) {
		if (supported_type(key))
			snprintf(out->type, sizeof out->type, "%s", key);
		else if ((t = type_from_name(key)))
			snprintf(out->type, sizeof out->type, "%s", t);
		else {
			snprintf(out->type, sizeof out->type, "prometheus");
			gc_report(gc, "data source '%s' has an unknown type; assumed Prometheus (map it "
			    "with --map-datasource '%s=NAME')", key, key);
		}
	}
}

void
gc_datasource(struct gconv *gc, const cJSON *ref, struct gds *out)
{
	const char *uid = NULL, *type = NULL, *key;
	char var[128];

	memset(out, 0, sizeof *out);
	if (cJSON_IsString(ref))
		uid = ref->valuestring;
	else if (cJSON_IsObject(ref)) {
		uid = gc_str(ref, "uid");
		type = gc_str(ref, "type");
	}
	if (type && strcmp(type, "datasource") != 0)
		snprintf(out->type, sizeof out->type, "%s", type);
	key = uid && *uid ? uid : NULL;
	snprintf(out->ref, sizeof out->ref, "%s", key ? key : type ? type : "default");
	if (!key || strcmp(key, "default") == 0) {
		out->inherit = !type || strcmp(type, "datasource") == 0;
		if (type && !out->inherit)
			resolve_literal(gc, type, out);
	} else if (strcmp(key, "-- Mixed --") == 0) {
		const char *m = map_lookup(gc, key);
		out->mixed = 1;
		if (m)
			snprintf(out->name, sizeof out->name, "%s", m);
	} else if (strcmp(key, "-- Grafana --") == 0 || strcmp(key, "grafana") == 0) {
		snprintf(out->type, sizeof out->type, "grafana");
	} else if (strcmp(key, "-- Dashboard --") == 0) {
		snprintf(out->type, sizeof out->type, "dashboard");
	} else if (var_ref(key, var, sizeof var)) {
		snprintf(out->ref, sizeof out->ref, "$%s", var);
		resolve_var(gc, var, out);
	}
	else
		resolve_literal(gc, key, out);
	if (out->type[0] && !supported_type(out->type) && !out->name[0])
		out->unsupported = 1;
}

const char *
gc_source_for(struct gconv *gc, const struct gds *d, const char *fallback_type)
{
	const char *type = d->type[0] ? d->type : fallback_type, *m, *name = d->name;
	const cJSON *p = NULL, *have;
	char pname[128];
	cJSON *src;

	if (!name[0]) {
		if ((m = map_lookup(gc, type)))
			name = m;
		else if ((p = prov_default(gc, type))) {
			/* a provisioning entry may lack a usable name */
			source_name(gc_str(p, "name") ? gc_str(p, "name") : "", pname, sizeof pname);
			name = pname[0] ? pname : type;
		} else
			name = type;
	}
	if (!(have = cJSON_GetObjectItemCaseSensitive(gc->sources, name))) {
		if (!p)
			p = prov_find(gc, d->ref);
		src = gc_add_obj(gc->sources, name);
		gc_add_str(src, "type", supported_type(type) ? type : "prometheus");
		if (p && gc_str(p, "url"))
			gc_add_str(src, "url", gc_str(p, "url"));
		if (p && (gc_obj(p, "secureJsonData") || gc_bool(p, "basicAuth", 0)))
			gc_report(gc, "credentials of data source '%s' are not imported; give them to source "
			    "'%s' as files (see scry-dashboard(5))",
			    gc_str(p, "name") ? gc_str(p, "name") : "(unnamed)", name);
		have = cJSON_GetObjectItemCaseSensitive(gc->sources, name);
	}
	if (!cJSON_GetObjectItemCaseSensitive(gc->dsseen, d->ref)) {
		gc_add_str(gc->dsseen, d->ref, name);
		gc_report(gc, "data source %s%s%s -> scry source '%s' (%s)", d->ref,
		    d->type[0] && strcmp(d->type, d->ref) ? " of type " : "",
		    d->type[0] && strcmp(d->type, d->ref) ? d->type : "", name, type);
	}
	return have->string;
}

const cJSON *
gc_derived_fields(struct gconv *gc, const char *source)
{
	for (const cJSON *d = gc->o->provisioning ? gc->o->provisioning->child : NULL; d; d = d->next) {
		char n[128];
		const char *t = gc_str(d, "type");
		if (!t || strcmp(t, "loki") != 0 || !gc_str(d, "name"))
			continue;
		source_name(gc_str(d, "name"), n, sizeof n);
		if (strcmp(n, source) == 0)
			return gc_arr(gc_obj(d, "jsonData"), "derivedFields");
	}
	return NULL;
}

/* ------------------------------------------------------------ variables */

static const char *
var_query(const cJSON *v)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(v, "query");
	if (cJSON_IsString(q))
		return q->valuestring;
	if (cJSON_IsObject(q) && gc_str(q, "query"))
		return gc_str(q, "query");
	return gc_str(v, "definition");
}

/* Grafana's "/re/flags" -> a plain PCRE ("(?i)re" for the i flag). */
static char *
plain_regex(const char *r)
{
	const char *end;

	if (!r || !*r)
		return NULL;
	if (r[0] != '/' || !(end = strrchr(r + 1, '/')))
		return xstrdup(r);
	return gc_strdup_printf("%s%.*s", strchr(end + 1, 'i') ? "(?i)" : "", (int)(end - r - 1), r + 1);
}

/* "a,b,c" with "\," escapes and "text : value" items. */
static void
split_custom(const char *q, cJSON *arr)
{
	char item[1024];
	size_t k = 0;

	for (const char *p = q;; p++) {
		if (*p == '\\' && p[1] == ',') {
			if (k < sizeof item - 1)
				item[k++] = ',';
			p++;
			continue;
		}
		if (*p == ',' || *p == '\0') {
			char *s = item, *e, *kv;
			item[k] = '\0';
			while (*s == ' ')
				s++;
			e = s + strlen(s);
			while (e > s && e[-1] == ' ')
				*--e = '\0';
			if ((kv = strstr(s, " : ")))
				s = kv + 3;
			if (*s)
				cJSON_AddItemToArray(arr, cJSON_CreateString(s));
			k = 0;
			if (!*p)
				break;
			continue;
		}
		if (k < sizeof item - 1)
			item[k++] = *p;
	}
}

static void
current_values(const cJSON *v, cJSON *out)
{
	const cJSON *cur = gc_obj(v, "current"), *val = cur ? cJSON_GetObjectItem(cur, "value") : NULL;
	cJSON *arr = cJSON_CreateArray();

	/* an empty selection is a value too (textbox "", custom "") */
	if (cJSON_IsString(val) && strcmp(val->valuestring, "$__auto_interval") != 0)
		cJSON_AddItemToArray(arr, cJSON_CreateString(val->valuestring));
	else if (cJSON_IsArray(val))
		for (const cJSON *x = val->child; x; x = x->next)
			if (cJSON_IsString(x) && *x->valuestring)
				cJSON_AddItemToArray(arr, cJSON_CreateString(x->valuestring));
	if (cJSON_GetArraySize(arr) > 0)
		cJSON_AddItemToObject(out, "current", arr);
	else
		cJSON_Delete(arr);
}

static void
options_values(const cJSON *v, cJSON *arr)
{
	const cJSON *opts = gc_arr(v, "options");
	for (const cJSON *o = opts ? opts->child : NULL; o; o = o->next) {
		const char *val = gc_str(o, "value");
		if (val && strcmp(val, "$__all") != 0 && strcmp(val, "$__auto_interval") != 0)
			cJSON_AddItemToArray(arr, cJSON_CreateString(val));
	}
}

static void
add_dsvar(struct gconv *gc, const cJSON *v)
{
	const cJSON *cur = gc_obj(v, "current"), *val = cur ? cJSON_GetObjectItem(cur, "value") : NULL;
	const char *q = var_query(v);

	xgrow(&gc->dsv, &gc->capdsv, gc->ndsv + 1, sizeof *gc->dsv);
	gc->dsv[gc->ndsv].name = xstrdup(gc_str(v, "name"));
	gc->dsv[gc->ndsv].type = xstrdup(q && *q ? q : "prometheus");
	gc->dsv[gc->ndsv].current = cJSON_IsString(val) && *val->valuestring &&
	    strcmp(val->valuestring, "default") != 0 ? xstrdup(val->valuestring) : NULL;
	gc->ndsv++;
}

static const char *
query_kind(const char *q)
{
	if (!q)
		return "no query";
	if (strncmp(q, "label_values(", 13) == 0)
		return "label_values";
	if (strncmp(q, "query_result(", 13) == 0)
		return "query_result";
	if (strncmp(q, "label_names(", 12) == 0)
		return "label_names";
	if (strncmp(q, "metrics(", 8) == 0)
		return "metrics";
	return "query";
}

/* One variable; returns the description for the report, or NULL to skip. */
static char *
convert_var(struct gconv *gc, const cJSON *v, cJSON *sv)
{
	const char *name = gc_str(v, "name"), *type = gc_str(v, "type"), *q = var_query(v);
	const char *allv = gc_str(v, "allValue"), *label = gc_str(v, "label");
	int multi = gc_bool(v, "multi", 0), all = gc_bool(v, "includeAll", 0);
	char *re = plain_regex(gc_str(v, "regex")), *desc;
	cJSON *vals;

	gc_add_str(sv, "name", name);
	if (label && *label)
		gc_add_str(sv, "label", label);
	if (strcmp(type, "datasource") == 0) {
		struct gds d;
		char ref[160];
		const char *src;
		cJSON *tmp;
		snprintf(ref, sizeof ref, "$%s", name);
		tmp = cJSON_CreateString(ref);
		gc_datasource(gc, tmp, &d);
		cJSON_Delete(tmp);
		free(re);
		if (d.unsupported) {
			gc_report(gc, "variable %s: selects %s data sources, which scry cannot query; "
			    "panels using it are marked unsupported", name, d.type);
			return xstrdup("");
		}
		src = gc_source_for(gc, &d, q && *q ? q : "prometheus");
		gc_add_str(sv, "type", "datasource");
		gc_add_str(sv, "query", q && *q ? q : "prometheus");
		vals = gc_add_arr(sv, "values");
		cJSON_AddItemToArray(vals, cJSON_CreateString(src));
		cJSON_AddItemToObject(sv, "current", cJSON_Duplicate(vals, 1));
		return gc_strdup_printf("%s (datasource %s -> %s)", name, q ? q : "", src);
	}
	if (strcmp(type, "query") == 0) {
		struct gds d;
		gc_datasource(gc, cJSON_GetObjectItemCaseSensitive(v, "datasource"), &d);
		gc_add_str(sv, "type", "query");
		if (q)
			gc_add_str(sv, "query", q);
		if (!d.unsupported)
			gc_add_str(sv, "source", gc_source_for(gc, &d, "prometheus"));
		if (re)
			gc_add_str(sv, "regex", re);
	} else if (strcmp(type, "custom") == 0 || strcmp(type, "interval") == 0) {
		gc_add_str(sv, "type", type);
		vals = gc_add_arr(sv, "values");
		if (q && *q)
			split_custom(q, vals);
		else
			options_values(v, vals);
		if (strcmp(type, "interval") == 0 && gc_bool(v, "auto", 0))
			gc_report(gc, "variable %s: the 'auto' interval is not supported; the first value "
			    "is the default", name);
	} else if (strcmp(type, "constant") == 0 || strcmp(type, "textbox") == 0) {
		gc_add_str(sv, "type", type);
		vals = gc_add_arr(sv, "values");
		if (q && *q)
			cJSON_AddItemToArray(vals, cJSON_CreateString(q));
	} else {
		free(re);
		return NULL;
	}
	if (multi)
		gc_add_bool(sv, "multi", 1);
	if (all)
		gc_add_bool(sv, "include_all", 1);
	if (all && allv && *allv)
		gc_add_str(sv, "all_value", allv);
	current_values(v, sv);
	desc = gc_strdup_printf("%s (%s%s%s%s%s%s)", name, type,
	    strcmp(type, "query") == 0 ? ": " : "", strcmp(type, "query") == 0 ? query_kind(q) : "",
	    re ? ", regex" : "", multi ? ", multi" : "", all ? ", All" : "");
	free(re);
	return desc;
}

void
gc_variables(struct gconv *gc, const cJSON *templating, cJSON *out_vars)
{
	const cJSON *list = gc_arr(templating, "list");
	struct buf b;
	int n = 0;

	for (const cJSON *v = list ? list->child : NULL; v; v = v->next)
		if (gc_str(v, "name") && gc_str(v, "type") && strcmp(gc_str(v, "type"), "datasource") == 0)
			add_dsvar(gc, v);
	buf_init(&b, 1 << 16);
	for (const cJSON *v = list ? list->child : NULL; v; v = v->next) {
		const char *name = gc_str(v, "name"), *type = gc_str(v, "type");
		cJSON *sv;
		char *desc;
		if (!name || !type)
			continue;
		sv = cJSON_CreateObject();
		if (!(desc = convert_var(gc, v, sv)) || !*desc) {
			cJSON_Delete(sv);
			if (!desc)
				gc_report(gc, "variable %s: type '%s' is not supported (%s)", name, type,
				    strcmp(type, "adhoc") == 0 ? "ad hoc filters are not added to queries" :
				    "no scry equivalent");
			free(desc);
			continue;
		}
		cJSON_AddItemToArray(out_vars, sv);
		buf_printf(&b, "%s%s", n++ ? ", " : "", desc);
		free(desc);
	}
	if (n)
		gc_report(gc, "variables: %s", b.data);
	buf_free(&b);
}

/* ---------------------------------------------------------- provisioning */

const cJSON *
grafana_load_provisioning(struct jdoc *doc, const char *path, struct diag *dg)
{
	const cJSON *root, *ds;

	if (yaml_load(doc, path, dg) < 0)
		return NULL;
	root = cJSON_GetArrayItem(doc->root, 0);
	if (cJSON_IsArray(root))
		return root;	/* a bare list of datasources (the HTTP API's /api/datasources) */
	if (!(ds = gc_arr(root, "datasources"))) {
		diag_add(dg, DIAG_ERROR, path, 1, 1,
		    "not a Grafana datasource provisioning file (expected \"datasources:\")");
		jdoc_free(doc);
		return NULL;
	}
	return ds;
}
