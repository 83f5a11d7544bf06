/* dashboard: parse and own the dashboard model.
 * Invariants after a successful parse: every panel has a type and a grid
 * rectangle inside the 24 columns; every source has a name and a type;
 * cfg pointers stay valid until dashboard_free(). */
#include "core/dashboard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/paths.h"
#include "core/regex.h"
#include "core/slo.h"
#include "core/xalloc.h"

static const char *const top_keys[] = { "title", "range", "refresh", "sources",
	"variables", "panels", "description", "tags", "version", "slos", "slo_files", "import",
	"trace_ids", NULL };
static const char *const extractor_keys[] = { "name", "regex", NULL };
static const char *const panel_keys[] = { "id", "type", "title", "description",
	"source", "query", "legend", "queries", "unit", "decimals", "min", "max",
	"thresholds", "grid", "gridPos", "refresh", "options", "collapsed", "panels", NULL };
static const char *const query_keys[] = { "query", "expr", "legend", "source",
	"ref", "hide", "kind", "limit", "direction", "instant", NULL };
static const char *const var_keys[] = { "name", "type", "source", "query",
	"values", "default", "current", "multi", "include_all", "regex", "label", "all_value", NULL };
static const char *const grid_keys[] = { "x", "y", "w", "h", NULL };
static const char *const th_keys[] = { "value", "role", "color", NULL };

struct parse {
	struct dashboard	*db;
	struct jdoc		*doc;
	struct diag		*dg;
	size_t			 cap_panels;
	int			 auto_y;	/* next row for panels without a grid */
	int			 auto_x;
	int			 auto_h;	/* height of the current auto row */
};

static char *
dupn(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
parse_sources(struct parse *ps, const cJSON *srcs)
{
	struct dashboard *db = ps->db;
	size_t n = 0, i = 0;

	for (const cJSON *s = srcs->child; s; s = s->next)
		n++;
	db->src = xcalloc(n ? n : 1, sizeof *db->src);
	for (const cJSON *s = srcs->child; s; s = s->next) {
		char path[256];
		const char *type, *url;

		snprintf(path, sizeof path, "sources.%s", s->string);
		if (!cJSON_IsObject(s)) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, s, 0, "%s: expected an object with \"type\" and \"url\"", path);
			continue;
		}
		type = jd_str(ps->doc, ps->dg, s, path, "type", NULL);
		url = jd_str(ps->doc, ps->dg, s, path, "url", NULL);
		if (!type) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, s, 1,
			    "%s: missing \"type\" (prometheus, loki, kubectl, tempo or jaeger)", path);
			continue;
		}
		db->src[i].name = xstrdup(s->string);
		db->src[i].type = xstrdup(type);
		db->src[i].url = dupn(url);
		db->src[i].cfg = s;
		i++;
	}
	db->nsrc = i;
}

static char **
str_list(struct parse *ps, const cJSON *v, const char *path, size_t *np)
{
	const char *key = v && v->string ? v->string : "";
	char **out;
	size_t n = 0;

	*np = 0;
	if (!v)
		return NULL;
	if (cJSON_IsString(v)) {
		/* "a,b,c" (Grafana custom variable style) */
		char *copy = xstrdup(v->valuestring), *save = NULL;
		out = NULL;
		size_t cap = 0;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			while (*t == ' ')
				t++;
			xgrow(&out, &cap, n + 1, sizeof *out);
			out[n++] = xstrdup(t);
		}
		free(copy);
		*np = n;
		return out;
	}
	if (!cJSON_IsArray(v)) {
		jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, v, 0,
		    "%s.%s: expected an array of strings or \"a,b,c\", got %s", path, key, jd_type_name(v));
		return NULL;
	}
	out = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *out);
	for (const cJSON *c = v->child; c; c = c->next) {
		if (!cJSON_IsString(c)) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, c, 0, "%s.%s: expected strings in the list, got %s",
			    path, key, jd_type_name(c));
			continue;
		}
		out[n++] = xstrdup(c->valuestring);
	}
	*np = n;
	return out;
}

static int
var_type_known(const char *t)
{
	static const char *const types[] = { "query", "custom", "interval", "constant",
		"textbox", "datasource", NULL };
	for (size_t i = 0; types[i]; i++)
		if (strcmp(types[i], t) == 0)
			return 1;
	return 0;
}

static void
add_extractor(struct parse *ps, const cJSON *at, const char *path, const char *name, const char *re)
{
	struct dashboard *db = ps->db;
	char *err = NULL;

	if (re) {
		struct rx *r = rx_compile(re, strlen(re), 0, &err);
		if (!r) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, at, 0, "%s: %s", path, err);
			free(err);
			return;
		}
		if (rx_groups(r) < 1) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, at, 0,
			    "%s: needs a capture group around the id, e.g. \"req=([0-9a-f]+)\"", path);
			rx_free(r);
			return;
		}
		rx_free(r);
	}
	db->trace_ids = xreallocarray(db->trace_ids, db->ntrace_ids + 1, sizeof *db->trace_ids);
	db->trace_ids[db->ntrace_ids].name = xstrdup(name);
	db->trace_ids[db->ntrace_ids].regex = dupn(re);
	db->ntrace_ids++;
}

/* "trace_ids": ["default", "req=(\\w+)", {"name": "x", "regex": "..."}] */
static void
parse_trace_ids(struct parse *ps, const cJSON *arr)
{
	size_t i = 0;

	ps->db->trace_ids_set = 1;
	for (const cJSON *e = arr->child; e; e = e->next, i++) {
		char path[64];
		snprintf(path, sizeof path, "trace_ids[%zu]", i);
		if (cJSON_IsString(e)) {
			if (strcmp(e->valuestring, "default") == 0)
				add_extractor(ps, e, path, "default", NULL);
			else
				add_extractor(ps, e, path, "trace", e->valuestring);
		} else if (cJSON_IsObject(e)) {
			const char *re, *name;
			jd_check_keys(ps->doc, ps->dg, e, path, extractor_keys, NULL);
			re = jd_str(ps->doc, ps->dg, e, path, "regex", NULL);
			name = jd_str(ps->doc, ps->dg, e, path, "name", "trace");
			if (!re)
				jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, e, 0, "%s: missing \"regex\"", path);
			else
				add_extractor(ps, e, path, name, re);
		} else
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, e, 0,
			    "%s: expected a pattern string, \"default\" or {\"name\", \"regex\"}", path);
	}
}

static void
parse_variables(struct parse *ps, const cJSON *vars)
{
	struct dashboard *db = ps->db;
	size_t i = 0;

	db->vars = xcalloc((size_t)cJSON_GetArraySize(vars) + 1, sizeof *db->vars);
	for (const cJSON *v = vars->child; v; v = v->next) {
		char path[64];
		struct dash_var *dv = &db->vars[i];
		const char *name;

		snprintf(path, sizeof path, "variables[%zu]", i);
		if (!cJSON_IsObject(v)) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, v, 0, "%s: expected an object", path);
			continue;
		}
		jd_check_keys(ps->doc, ps->dg, v, path, var_keys, NULL);
		name = jd_str(ps->doc, ps->dg, v, path, "name", NULL);
		if (!name || !*name) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, v, 0, "%s: missing \"name\"", path);
			continue;
		}
		dv->name = xstrdup(name);
		dv->query = dupn(jd_str(ps->doc, ps->dg, v, path, "query", NULL));
		dv->type = xstrdup(jd_str(ps->doc, ps->dg, v, path, "type", dv->query ? "query" : "custom"));
		if (!var_type_known(dv->type))
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(v, "type"), 0,
			    "%s.type: unknown variable type '%s' (expected query, custom, interval, "
			    "constant, textbox or datasource)", path, dv->type);
		dv->source = dupn(jd_str(ps->doc, ps->dg, v, path, "source", NULL));
		dv->regex = dupn(jd_str(ps->doc, ps->dg, v, path, "regex", NULL));
		dv->all_value = dupn(jd_str(ps->doc, ps->dg, v, path, "all_value", NULL));
		dv->multi = jd_bool(ps->doc, ps->dg, v, path, "multi", 0);
		dv->include_all = jd_bool(ps->doc, ps->dg, v, path, "include_all", 0);
		dv->values = str_list(ps, cJSON_GetObjectItemCaseSensitive(v, "values"), path, &dv->nvalues);
		{
			const cJSON *cur = cJSON_GetObjectItemCaseSensitive(v, "current");
			if (!cur)
				cur = cJSON_GetObjectItemCaseSensitive(v, "default");
			dv->current = str_list(ps, cur, path, &dv->ncurrent);
		}
		if (!dv->ncurrent && dv->nvalues) {
			free(dv->current);	/* a list with no strings in it */
			dv->current = xcalloc(2, sizeof *dv->current);
			dv->current[0] = xstrdup(dv->values[0]);
			dv->ncurrent = 1;
		}
		dv->cfg = v;
		i++;
	}
	db->nvars = i;
}

/* "slos": [...] and "slo_files": ["relative/to/the/dashboard.yaml", ...] */
static void
parse_slos(struct parse *ps, const cJSON *root)
{
	const cJSON *slos = jd_arr(ps->doc, ps->dg, root, "", "slos");
	const cJSON *files = jd_arr(ps->doc, ps->dg, root, "", "slo_files");
	const char *slash = strrchr(ps->db->path, '/');
	size_t i = 0;

	ps->db->slos = xcalloc(1, sizeof *ps->db->slos);
	for (const cJSON *s = slos ? slos->child : NULL; s; s = s->next, i++) {
		char path[64];
		snprintf(path, sizeof path, "slos[%zu]", i);
		slo_parse(ps->db->slos, ps->doc, s, path, ps->dg);
	}
	for (const cJSON *f = files ? files->child : NULL; f; f = f->next) {
		char *fn;
		if (!cJSON_IsString(f)) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, f, 0, "slo_files: expected file names");
			continue;
		}
		fn = f->valuestring[0] == '/' || !slash ? xstrdup(f->valuestring) :
		    xasprintf("%.*s/%s", (int)(slash - ps->db->path), ps->db->path, f->valuestring);
		slo_load_file(ps->db->slos, fn, ps->dg);
		free(fn);
	}
}

/* "import": {"from": "grafana", "file": ..., "report": ["...", ...]} as
 * written by --convert: the report stays available to :import-report. */
static void
parse_import(struct parse *ps, const cJSON *root)
{
	const cJSON *imp = jd_obj(ps->doc, ps->dg, root, "", "import");
	const cJSON *rep = imp ? jd_arr(ps->doc, ps->dg, imp, "import", "report") : NULL;
	struct buf b;

	if (!rep)
		return;
	buf_init(&b, 1 << 20);
	for (const cJSON *l = rep->child; l; l = l->next)
		if (cJSON_IsString(l))
			buf_printf(&b, "%s\n", l->valuestring);
	ps->db->import_report = buf_steal(&b, NULL);
}

static void
parse_queries(struct parse *ps, struct dash_panel *p, const cJSON *pj)
{
	const cJSON *qs = jd_arr(ps->doc, ps->dg, pj, p->path, "queries");
	const char *single = jd_str(ps->doc, ps->dg, pj, p->path, "query", NULL);
	size_t n = 0;

	if (qs && single)
		jdoc_diag(ps->doc, ps->dg, DIAG_WARN, pj, 0,
		    "%s: both \"query\" and \"queries\" given; using \"queries\"", p->path);
	if (!qs) {
		if (!single)
			return;
		p->q = xcalloc(1, sizeof *p->q);
		p->q[0].expr = xstrdup(single);
		p->q[0].legend = dupn(jd_str(ps->doc, ps->dg, pj, p->path, "legend", NULL));
		p->q[0].ref = xstrdup("A");
		p->nq = 1;
		return;
	}
	p->q = xcalloc((size_t)cJSON_GetArraySize(qs) + 1, sizeof *p->q);
	for (const cJSON *q = qs->child; q; q = q->next) {
		char path[300];
		const char *expr;

		snprintf(path, sizeof path, "%s.queries[%zu]", p->path, n);
		if (cJSON_IsString(q)) {
			p->q[n].expr = xstrdup(q->valuestring);
		} else if (cJSON_IsObject(q)) {
			jd_check_keys(ps->doc, ps->dg, q, path, query_keys, NULL);
			expr = jd_str(ps->doc, ps->dg, q, path, "query", NULL);
			if (!expr)
				expr = jd_str(ps->doc, ps->dg, q, path, "expr", NULL);
			if (!expr) {
				jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, q, 0, "%s: missing \"query\"", path);
				continue;
			}
			p->q[n].expr = xstrdup(expr);
			p->q[n].legend = dupn(jd_str(ps->doc, ps->dg, q, path, "legend", NULL));
			p->q[n].source = dupn(jd_str(ps->doc, ps->dg, q, path, "source", NULL));
			p->q[n].ref = dupn(jd_str(ps->doc, ps->dg, q, path, "ref", NULL));
			p->q[n].hide = jd_bool(ps->doc, ps->dg, q, path, "hide", 0);
			p->q[n].cfg = q;
		} else {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, q, 0, "%s: expected a query string or object", path);
			continue;
		}
		if (!p->q[n].ref)
			p->q[n].ref = xasprintf("%c", 'A' + (int)(n % 26));
		n++;
	}
	p->nq = n;
}

static void
parse_thresholds(struct parse *ps, struct dash_panel *p, const cJSON *pj)
{
	const cJSON *th = jd_arr(ps->doc, ps->dg, pj, p->path, "thresholds");
	size_t n = 0;

	if (!th)
		return;
	p->th = xcalloc((size_t)cJSON_GetArraySize(th) + 1, sizeof *p->th);
	for (const cJSON *t = th->child; t; t = t->next) {
		char path[300];
		const char *rn;
		int r;

		snprintf(path, sizeof path, "%s.thresholds[%zu]", p->path, n);
		if (!cJSON_IsObject(t)) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, t, 0,
			    "%s: expected {\"value\": N, \"role\": \"warn\"}", path);
			continue;
		}
		jd_check_keys(ps->doc, ps->dg, t, path, th_keys, NULL);
		if (!cJSON_GetObjectItemCaseSensitive(t, "value")) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, t, 0, "%s: missing \"value\"", path);
			continue;
		}
		/* null is the base step (Grafana's first threshold): below every other */
		p->th[n].value = jd_num(ps->doc, ps->dg, t, path, "value", -INFINITY);
		rn = jd_str(ps->doc, ps->dg, t, path, "role", NULL);
		if (!rn)
			rn = jd_str(ps->doc, ps->dg, t, path, "color", "warn");
		if ((r = role_from_name(rn)) < 0) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(t, "role") ?
			    cJSON_GetObjectItemCaseSensitive(t, "role") : t, 0,
			    "%s.role: unknown role '%s' (try ok, warn, error, critical, info)", path, rn);
			r = ROLE_WARN;
		}
		p->th[n].role = (enum role)r;
		n++;
	}
	p->nth = n;
	/* ascending, so "the last threshold reached" is the highest one */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && p->th[j - 1].value > p->th[j].value; j--) {
			struct dash_threshold t = p->th[j];
			p->th[j] = p->th[j - 1];
			p->th[j - 1] = t;
		}
}

static void
parse_grid(struct parse *ps, struct dash_panel *p, const cJSON *pj)
{
	const cJSON *g = jd_obj(ps->doc, ps->dg, pj, p->path, "grid");
	char path[300];

	if (!g)
		g = jd_obj(ps->doc, ps->dg, pj, p->path, "gridPos");
	if (!g) {
		/* automatic: two half-width panels per row, 8 units high */
		int w = strcmp(p->type, "row") == 0 ? 24 : 12, h = strcmp(p->type, "row") == 0 ? 1 : 8;
		if (ps->auto_x + w > GRID_COLS) {
			ps->auto_x = 0;
			ps->auto_y += ps->auto_h;
			ps->auto_h = 0;
		}
		p->x = ps->auto_x;
		p->y = ps->auto_y;
		p->w = w;
		p->h = h;
		ps->auto_x += w;
		if (h > ps->auto_h)
			ps->auto_h = h;
		return;
	}
	snprintf(path, sizeof path, "%s.grid", p->path);
	jd_check_keys(ps->doc, ps->dg, g, path, grid_keys, NULL);
	p->x = jd_int(ps->doc, ps->dg, g, path, "x", 0, 0, GRID_COLS - 1);
	p->y = jd_int(ps->doc, ps->dg, g, path, "y", 0, 0, 1000000);
	p->w = jd_int(ps->doc, ps->dg, g, path, "w", 12, 1, GRID_COLS);
	p->h = jd_int(ps->doc, ps->dg, g, path, "h", 8, 1, 10000);
	if (p->x + p->w > GRID_COLS) {
		jdoc_diag(ps->doc, ps->dg, DIAG_WARN, g, 0,
		    "%s: x + w = %d exceeds the %d-column grid; width clipped", path, p->x + p->w, GRID_COLS);
		p->w = GRID_COLS - p->x;
	}
	if (p->y + p->h > ps->auto_y) {
		ps->auto_y = p->y + p->h;
		ps->auto_x = 0;
		ps->auto_h = 0;
	}
}

/* Room for a panel's path in diagnostics, "panels[N].panels[M]": rows
 * nest one level only. */
#define PANEL_PATH	64

static void parse_panel_list(struct parse *ps, const cJSON *panels, const char *prefix, int parent);

/* An slo panel shows options.slo: the name of an SLO of the dashboard, or
 * an SLO object of its own.  Its queries are generated from the SLO. */
static void
setup_slo_panel(struct parse *ps, struct dash_panel *p, const cJSON *pj)
{
	const cJSON *o = p->options ? cJSON_GetObjectItemCaseSensitive(p->options, "slo") : NULL;
	struct slo_set *set = ps->db->slos;
	char path[320];

	snprintf(path, sizeof path, "%s.options.slo", p->path);
	if (p->nq)
		jdoc_diag(ps->doc, ps->dg, DIAG_WARN, pj, 0,
		    "%s: an slo panel's queries come from its SLO; \"query\" is ignored", p->path);
	if (cJSON_IsObject(o)) {
		if (slo_parse(set, ps->doc, o, path, ps->dg) < 0)
			return;
		p->slo = &set->v[set->n - 1];
	} else if (cJSON_IsString(o)) {
		if (!(p->slo = slo_find(set, o->valuestring))) {
			jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, o, 0,
			    "%s: no SLO named '%s' (define it in \"slos\" or a file in \"slo_files\")",
			    path, o->valuestring);
			return;
		}
	} else {
		jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, o ? o : pj, 0,
		    "%s: expected the name of an SLO or an SLO object", path);
		return;
	}
	for (size_t i = 0; i < p->nq; i++) {
		free(p->q[i].expr);
		free(p->q[i].legend);
		free(p->q[i].source);
		free(p->q[i].ref);
	}
	free(p->q);
	p->q = NULL;
	p->nq = 0;
	slo_panel_queries(p->slo, &p->q, &p->nq);
	if (!p->source && p->slo->source)
		p->source = xstrdup(p->slo->source);
}

/* "refresh": a duration of at least 1s, or "off" (0: fetch once). */
static tns
parse_refresh(struct parse *ps, const cJSON *obj, const char *path, tns def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "refresh");
	tns r;

	if (cJSON_IsString(v) && strcmp(v->valuestring, "off") == 0)
		return 0;
	r = jd_duration(ps->doc, ps->dg, obj, path, "refresh", def);
	if (r > 0 && r < NS_PER_S) {
		jdoc_diag(ps->doc, ps->dg, DIAG_WARN, v, 0, "%s%srefresh: below 1s; using 1s",
		    path, *path ? "." : "");
		r = NS_PER_S;
	}
	return r;
}

/* Source names the command line can supply (-p, -l, -t, --jaeger). */
static int
cli_source_name(const char *n)
{
	return strcmp(n, "prometheus") == 0 || strcmp(n, "loki") == 0 ||
	    strcmp(n, "tempo") == 0 || strcmp(n, "jaeger") == 0;
}

static void
check_source_ref(struct parse *ps, const cJSON *obj, const char *path, const char *name)
{
	if (!name || dashboard_source(ps->db, name) || cli_source_name(name))
		return;
	jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(obj, "source"), 0,
	    "%s.source: no source named '%s' in \"sources\"", path, name);
}

static void
check_sources(struct parse *ps)
{
	for (size_t i = 0; i < ps->db->npanels; i++) {
		const struct dash_panel *p = &ps->db->panels[i];
		check_source_ref(ps, p->cfg, p->path, p->source);
		for (size_t k = 0; k < p->nq; k++)
			if (p->q[k].cfg && p->q[k].source) {
				char path[320];
				snprintf(path, sizeof path, "%s.queries[%zu]", p->path, k);
				check_source_ref(ps, p->q[k].cfg, path, p->q[k].source);
			}
	}
}

static const cJSON *
grid_node(const struct dash_panel *p)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(p->cfg, "grid");
	return g ? g : cJSON_GetObjectItemCaseSensitive(p->cfg, "gridPos");
}

/* Panels that share grid cells would draw over each other: warn. */
static void
check_overlaps(struct parse *ps)
{
	const struct dashboard *db = ps->db;

	for (size_t i = 0; i < db->npanels && db->npanels <= 500; i++) {
		const struct dash_panel *a = &db->panels[i];
		const cJSON *g = grid_node(a);
		if (!g)
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct dash_panel *b = &db->panels[j];
			/* a row's children are placed relative to the row when expanded */
			if (a->parent_row != b->parent_row || !grid_node(b))
				continue;
			if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
			    b->y < a->y + a->h) {
				jdoc_diag(ps->doc, ps->dg, DIAG_WARN, g, 1,
				    "%s.grid: overlaps %s; one is drawn over the other", a->path, b->path);
				break;
			}
		}
	}
}

static void
parse_panel(struct parse *ps, const cJSON *pj, const char *path, int parent)
{
	struct dashboard *db = ps->db;
	struct dash_panel *p;
	const char *type;
	size_t idx;

	if (!cJSON_IsObject(pj)) {
		jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, pj, 0, "%s: expected a panel object", path);
		return;
	}
	jd_check_keys(ps->doc, ps->dg, pj, path, panel_keys, NULL);
	type = jd_str(ps->doc, ps->dg, pj, path, "type", NULL);
	if (!type) {
		jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, pj, 0, "%s: missing \"type\"", path);
		return;
	}
	xgrow(&db->panels, &ps->cap_panels, db->npanels + 1, sizeof *db->panels);
	idx = db->npanels++;
	p = &db->panels[idx];
	memset(p, 0, sizeof *p);
	p->path = xstrdup(path);
	p->type = xstrdup(type);
	p->cfg = pj;
	p->parent_row = parent;
	p->id = jd_int(ps->doc, ps->dg, pj, path, "id", (int)idx + 1, 0, 1 << 30);
	p->title = dupn(jd_str(ps->doc, ps->dg, pj, path, "title", ""));
	p->description = dupn(jd_str(ps->doc, ps->dg, pj, path, "description", NULL));
	p->source = dupn(jd_str(ps->doc, ps->dg, pj, path, "source", NULL));
	p->unit = dupn(jd_str(ps->doc, ps->dg, pj, path, "unit", NULL));
	p->decimals = jd_int(ps->doc, ps->dg, pj, path, "decimals", -1, -1, 12);
	p->min = jd_num(ps->doc, ps->dg, pj, path, "min", NAN);
	p->max = jd_num(ps->doc, ps->dg, pj, path, "max", NAN);
	p->refresh = parse_refresh(ps, pj, path, 0);
	p->collapsed = jd_bool(ps->doc, ps->dg, pj, path, "collapsed", 0);
	p->options = jd_obj(ps->doc, ps->dg, pj, path, "options");
	parse_queries(ps, p, pj);
	parse_thresholds(ps, p, pj);
	parse_grid(ps, p, pj);
	if (strcmp(type, "slo") == 0)
		setup_slo_panel(ps, p, pj);
	if (strcmp(type, "row") == 0 && parent >= 0)
		jdoc_diag(ps->doc, ps->dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(pj, "type"), 0,
		    "%s.type: a row cannot be inside another row", path);
	else if (strcmp(type, "row") != 0 && cJSON_GetObjectItemCaseSensitive(pj, "panels"))
		jdoc_diag(ps->doc, ps->dg, DIAG_WARN, cJSON_GetObjectItemCaseSensitive(pj, "panels"), 1,
		    "%s.panels: only rows have panels inside them (ignored)", path);
	if (strcmp(type, "row") == 0 && parent < 0) {
		const cJSON *kids = jd_arr(ps->doc, ps->dg, pj, path, "panels");
		if (kids) {
			/* rows are top-level: path is "panels[N]", and this fits */
			char pre[PANEL_PATH];
			if (snprintf(pre, sizeof pre, "%s.panels", path) < (int)sizeof pre)
				parse_panel_list(ps, kids, pre, (int)idx);
		}
	}
}

static void
parse_panel_list(struct parse *ps, const cJSON *panels, const char *prefix, int parent)
{
	size_t i = 0;

	for (const cJSON *pj = panels->child; pj; pj = pj->next, i++) {
		char path[PANEL_PATH + 24];	/* prefix, "[", a size_t, "]" */
		snprintf(path, sizeof path, "%s[%zu]", prefix, i);
		parse_panel(ps, pj, path, parent);
	}
}

struct dashboard *
dashboard_parse(const char *text, size_t len, const char *name, struct diag *dg)
{
	struct dashboard *db = xcalloc(1, sizeof *db);
	struct parse ps = { .db = db, .doc = &db->doc, .dg = dg };
	size_t errs = dg->nerrors;
	const cJSON *root, *srcs, *vars, *panels;

	db->path = xstrdup(name ? name : "<dashboard>");
	if (jdoc_parse(&db->doc, text, len, db->path, dg) < 0) {
		dashboard_free(db);
		return NULL;
	}
	root = db->doc.root;
	if (!cJSON_IsObject(root)) {
		jdoc_diag(&db->doc, dg, DIAG_ERROR, root, 0,
		    "expected a dashboard object ({\"title\": ..., \"panels\": [...]})");
		dashboard_free(db);
		return NULL;
	}
	jd_check_keys(&db->doc, dg, root, "", top_keys, NULL);
	db->title = xstrdup(jd_str(&db->doc, dg, root, "", "title", "untitled dashboard"));
	db->range = jd_duration(&db->doc, dg, root, "", "range", 3600 * NS_PER_S);
	db->refresh = parse_refresh(&ps, root, "", 15 * NS_PER_S);
	if (db->range < NS_PER_S) {
		jdoc_diag(&db->doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(root, "range"), 0,
		    "range: must be at least 1s");
	}
	if ((srcs = jd_obj(&db->doc, dg, root, "", "sources")))
		parse_sources(&ps, srcs);
	if ((vars = jd_arr(&db->doc, dg, root, "", "variables")))
		parse_variables(&ps, vars);
	parse_slos(&ps, root);
	parse_import(&ps, root);
	if ((vars = jd_arr(&db->doc, dg, root, "", "trace_ids")))
		parse_trace_ids(&ps, vars);
	panels = jd_arr(&db->doc, dg, root, "", "panels");
	if (!cJSON_GetObjectItemCaseSensitive(root, "panels"))
		diag_add(dg, DIAG_WARN, db->path, 1, 1, "no \"panels\": the dashboard is empty");
	else if (panels)
		parse_panel_list(&ps, panels, "panels", -1);
	check_sources(&ps);
	check_overlaps(&ps);
	if (dg->nerrors > errs) {
		dashboard_free(db);
		return NULL;
	}
	return db;
}

struct dashboard *
dashboard_load(const char *path, struct diag *dg)
{
	size_t len;
	char *text = paths_read_file(path, DASH_FILE_MAX, &len, dg);
	struct dashboard *db;

	if (!text)
		return NULL;
	db = dashboard_parse(text, len, path, dg);
	free(text);
	return db;
}

static int
is_name(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 200)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

char *
dashboard_find(const char *arg, struct diag *dg)
{
	size_t n = strlen(arg);
	struct stat st;
	char *rel, *path, *where;

	if (!is_name(arg) || (n > 5 && strcmp(arg + n - 5, ".json") == 0) || stat(arg, &st) == 0)
		return xstrdup(arg);
	rel = xasprintf("dashboards/%s.json", arg);
	if (!(path = paths_find_data(rel))) {
		where = paths_describe(rel);
		diag_add(dg, DIAG_ERROR, NULL, 0, 0,
		    "dashboard '%s' not found: no file of that name here, and none of %s exists",
		    arg, where);
		free(where);
	}
	free(rel);
	return path;
}

static void
free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
dashboard_free(struct dashboard *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nsrc; i++) {
		free(db->src[i].name);
		free(db->src[i].type);
		free(db->src[i].url);
		cJSON_Delete(db->src[i].over);
	}
	free(db->src);
	for (size_t i = 0; i < db->npanels; i++) {
		struct dash_panel *p = &db->panels[i];
		for (size_t k = 0; k < p->nq; k++) {
			free(p->q[k].expr);
			free(p->q[k].legend);
			free(p->q[k].source);
			free(p->q[k].ref);
		}
		free(p->q);
		free(p->th);
		free(p->type);
		free(p->title);
		free(p->description);
		free(p->source);
		free(p->unit);
		free(p->path);
	}
	free(db->panels);
	for (size_t i = 0; i < db->nvars; i++) {
		struct dash_var *v = &db->vars[i];
		free(v->name);
		free(v->type);
		free(v->source);
		free(v->query);
		free(v->regex);
		free(v->all_value);
		free_strs(v->values, v->nvalues);
		free_strs(v->current, v->ncurrent);
	}
	free(db->vars);
	if (db->slos) {
		slo_set_free(db->slos);
		free(db->slos);
	}
	free(db->import_report);
	for (size_t i = 0; i < db->ntrace_ids; i++) {
		free(db->trace_ids[i].name);
		free(db->trace_ids[i].regex);
	}
	free(db->trace_ids);
	free(db->title);
	free(db->path);
	jdoc_free(&db->doc);
	free(db);
}

struct dash_source *
dashboard_source(const struct dashboard *db, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < db->nsrc; i++)
		if (strcmp(db->src[i].name, name) == 0)
			return &db->src[i];
	return NULL;
}

struct dash_source *
dashboard_set_source(struct dashboard *db, const char *name, const char *type, const char *url)
{
	struct dash_source *s = dashboard_source(db, name);

	if (!s) {
		/* override the first source of this type, if any */
		for (size_t i = 0; i < db->nsrc && !s; i++)
			if (strcmp(db->src[i].type, type) == 0)
				s = &db->src[i];
	}
	if (!s) {
		db->src = xreallocarray(db->src, db->nsrc + 1, sizeof *db->src);
		s = &db->src[db->nsrc++];
		memset(s, 0, sizeof *s);
		s->name = xstrdup(name);
		s->type = xstrdup(type);
	}
	free(s->url);
	s->url = url ? xstrdup(url) : NULL;
	s->from_cli = 1;
	return s;
}

void
dashboard_adopt_sources(struct dashboard *db, const struct dashboard *from)
{
	for (size_t i = 0; i < db->nsrc; i++) {
		free(db->src[i].name);
		free(db->src[i].type);
		free(db->src[i].url);
		cJSON_Delete(db->src[i].over);
	}
	free(db->src);
	db->src = xcalloc(from->nsrc + 1, sizeof *db->src);
	db->nsrc = from->nsrc;
	for (size_t i = 0; i < from->nsrc; i++) {
		const struct dash_source *f = &from->src[i];
		db->src[i].name = xstrdup(f->name);
		db->src[i].type = xstrdup(f->type);
		db->src[i].url = f->url ? xstrdup(f->url) : NULL;
		db->src[i].cfg = f->cfg;
		db->src[i].over = f->over ? cJSON_Duplicate(f->over, 1) : NULL;
		db->src[i].from_cli = f->from_cli;
	}
}

void
dashboard_source_override(struct dash_source *s, const char *key, const char *value)
{
	if (!s->over)
		s->over = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(s->over, key);
	if (!cJSON_AddStringToObject(s->over, key, value))
		fatal("out of memory (json)");
}

const cJSON *
dash_source_opt(const struct dash_source *s, const char *key)
{
	const cJSON *v = s->over ? cJSON_GetObjectItemCaseSensitive(s->over, key) : NULL;
	if (!v && s->cfg)
		v = cJSON_GetObjectItemCaseSensitive(s->cfg, key);
	return v;
}

const char *
dashboard_query_source(const struct dash_panel *p, size_t i)
{
	if (i < p->nq && p->q[i].source)
		return p->q[i].source;
	return p->source;
}

int
dashboard_grid_height(const struct dashboard *db)
{
	int h = 0;
	for (size_t i = 0; i < db->npanels; i++)
		if (db->panels[i].y + db->panels[i].h > h)
			h = db->panels[i].y + db->panels[i].h;
	return h;
}
