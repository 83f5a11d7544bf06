/* Grafana import over every real dashboard in tests/fixtures/grafana/
 * (README.md there: provenance and licences): panel counts (rows and the
 * panels of collapsed rows included) and types as the fixture README
 * lists them, every panel's grid and every query text checked against
 * the Grafana file itself, units, variables, queries after expansion,
 * data-source mapping, unsupported panels, and --convert round trips. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/dashboard.h"
#include "core/grafana.h"
#include "core/paths.h"
#include "core/slo.h"
#include "core/template.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "tests/unit/t.h"
#include "widgets/widget.h"

static struct dashboard *
open_with(const char *rel, const struct gf_opts *gf, struct diag *dg)
{
	struct dash_load_opts lo = { .grafana = gf };
	return dashboard_open(t_fixture(rel), &lo, dg);
}

static cJSON *
read_json(const char *rel)
{
	struct diag dg;
	size_t len;
	char *text;
	cJSON *j;

	diag_init(&dg);
	text = paths_read_file(t_fixture(rel), 16 << 20, &len, &dg);
	j = text ? cJSON_ParseWithLength(text, len) : NULL;
	free(text);
	diag_free(&dg);
	return j;
}

/* A string option of a panel, "" when absent. */
static const char *
ostr(const struct dash_panel *p, const char *key)
{
	const cJSON *v = p && p->options ? cJSON_GetObjectItem(p->options, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : "";
}

static const struct dash_panel *
by_id(const struct dashboard *db, int id)
{
	for (size_t i = 0; i < db->npanels; i++)
		if (db->panels[i].id == id)
			return &db->panels[i];
	return NULL;
}

static size_t
count_type(const struct dashboard *db, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < db->npanels; i++)
		n += strcmp(db->panels[i].type, type) == 0;
	return n;
}

static const struct dash_var *
var(const struct dashboard *db, const char *name)
{
	for (size_t i = 0; i < db->nvars; i++)
		if (strcmp(db->vars[i].name, name) == 0)
			return &db->vars[i];
	return NULL;
}

static char *
expand(const struct dashboard *db, const char *expr)
{
	struct tmpl_time tt = { .interval = 60 * NS_PER_S, .scrape = 15 * NS_PER_S,
		.range = 3600 * NS_PER_S };
	char *a = tmpl_expand(expr, db, NULL), *b = tmpl_expand(a, NULL, &tt);
	free(a);
	return b;
}

/* Every Grafana panel: same grid, same query texts, and a collapsed
 * row's panels nested under that row.  Returns how many were checked. */
static int
check_panels(const struct dashboard *db, const cJSON *panels, int row_id, const char *file, int exact)
{
	int n = 0;

	for (const cJSON *gp = panels ? panels->child : NULL; gp; gp = gp->next) {
		const cJSON *id = cJSON_GetObjectItem(gp, "id"), *g = cJSON_GetObjectItem(gp, "gridPos");
		const cJSON *t = cJSON_GetObjectItem(gp, "targets"), *type = cJSON_GetObjectItem(gp, "type");
		const struct dash_panel *p = by_id(db, id->valueint);
		int x = 0, y = 0, w, h;
		n++;
		if (!p) {
			t_fail(__FILE__, __LINE__, "%s: panel id %d missing", file, id->valueint);
			continue;
		}
		if (cJSON_GetObjectItem(g, "x"))
			x = cJSON_GetObjectItem(g, "x")->valueint;
		if (cJSON_GetObjectItem(g, "y"))
			y = cJSON_GetObjectItem(g, "y")->valueint;
		w = cJSON_GetObjectItem(g, "w")->valueint;
		h = cJSON_GetObjectItem(g, "h")->valueint;
		if (strcmp(type->valuestring, "row") == 0)
			x = 0, w = 24, h = 1;
		if (p->x != x || (exact && p->y != y) || p->w != w || p->h != h)
			t_fail(__FILE__, __LINE__, "%s: panel %d at %d,%d %dx%d, expected %d,%d %dx%d", file,
			    p->id, p->x, p->y, p->w, p->h, x, y, w, h);
		if (row_id >= 0 && (p->parent_row < 0 || db->panels[p->parent_row].id != row_id))
			t_fail(__FILE__, __LINE__, "%s: panel %d is not under row %d", file, p->id, row_id);
		for (const cJSON *q = t ? t->child : NULL; q; q = q->next) {
			const cJSON *e = cJSON_GetObjectItem(q, "expr");
			int found = 0;
			if (!cJSON_IsString(e) || !*e->valuestring)
				continue;
			for (size_t k = 0; k < p->nq; k++)
				found |= strcmp(p->q[k].expr, e->valuestring) == 0;
			if (!found)
				t_fail(__FILE__, __LINE__, "%s: panel %d lost query %.60s", file, p->id,
				    e->valuestring);
		}
		if (strcmp(type->valuestring, "row") == 0 && cJSON_IsTrue(cJSON_GetObjectItem(gp, "collapsed")))
			n += check_panels(db, cJSON_GetObjectItem(gp, "panels"), id->valueint, file, exact);
	}
	return n;
}

/* No two panels shown together overlap: the top level with the expanded
 * rows' panels, and each collapsed row's panels among themselves. */
static void
check_no_overlap(const struct dashboard *db, const char *file)
{
	for (size_t i = 0; i < db->npanels; i++)
		for (size_t k = i + 1; k < db->npanels; k++) {
			const struct dash_panel *a = &db->panels[i], *b = &db->panels[k];
			int ga = a->parent_row >= 0 && db->panels[a->parent_row].collapsed ? a->parent_row : -1;
			int gb = b->parent_row >= 0 && db->panels[b->parent_row].collapsed ? b->parent_row : -1;
			if (ga != gb)
				continue;
			if (a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h)
				t_fail(__FILE__, __LINE__, "%s: panels %d and %d overlap", file, a->id, b->id);
		}
}

struct fixture {
	const char	*file;
	int		 total, graph, stat, row, text, table, gauge, bar, heatmap, logs, vars;
	int		 saved;	/* saved by Grafana: positions already compact */
};

/* Counts from tests/fixtures/grafana/README.md (independently counted). */
static const struct fixture fixtures[] = {
	{ "grafana/istio/istio-service-dashboard.json", 28, 16, 6, 3, 3, 0, 0, 0, 0, 0, 9, 1 },
	{ "grafana/istio/istio-workload-dashboard.json", 25, 15, 4, 3, 3, 0, 0, 0, 0, 0, 7, 1 },
	{ "grafana/istio/istio-mesh-dashboard.gen.json", 9, 1, 4, 2, 0, 2, 0, 0, 0, 0, 1, 0 },
	{ "grafana/istio/pilot-dashboard.gen.json", 17, 11, 0, 4, 0, 0, 0, 0, 2, 0, 1, 0 },
	{ "grafana/istio/legacy/istio-mesh-dashboard.json", 16, 1, 12, 0, 1, 2, 0, 0, 0, 0, 1, 1 },
	{ "grafana/istio/legacy/pilot-dashboard.json", 20, 15, 0, 5, 0, 0, 0, 0, 0, 0, 1, 1 },
	{ "grafana/rfmoz/node-exporter-full.json", 141, 111, 5, 16, 0, 0, 5, 4, 0, 0, 4, 0 },
	{ "grafana/loki/loki-logs.json", 10, 9, 0, 0, 0, 0, 0, 0, 0, 1, 7, 0 },
};

TEST(grafana_every_fixture)
{
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
		const struct fixture *f = &fixtures[i];
		struct diag dg;
		struct dashboard *db;
		cJSON *g = read_json(f->file);

		diag_init(&dg);
		CHECK(g && grafana_detect(g));
		db = open_with(f->file, NULL, &dg);
		CHECK(db != NULL);
		if (!db || !g) {
			t_fail(__FILE__, __LINE__, "%s: %s", f->file, diag_first_error(&dg));
			diag_free(&dg);
			cJSON_Delete(g);
			continue;
		}
		CHECK_INT(db->npanels, f->total);
		CHECK_INT(count_type(db, "graph"), f->graph);
		CHECK_INT(count_type(db, "stat"), f->stat);
		CHECK_INT(count_type(db, "row"), f->row);
		CHECK_INT(count_type(db, "text"), f->text);
		CHECK_INT(count_type(db, "table"), f->table);
		CHECK_INT(count_type(db, "gauge"), f->gauge);
		CHECK_INT(count_type(db, "bar"), f->bar);
		CHECK_INT(count_type(db, "heatmap"), f->heatmap);
		CHECK_INT(count_type(db, "logs"), f->logs);
		CHECK_INT(db->nvars, f->vars);
		CHECK_INT(check_panels(db, cJSON_GetObjectItem(g, "panels"), -1, f->file, f->saved), f->total);
		check_no_overlap(db, f->file);
		CHECK(db->import_report != NULL);
		CHECK_CONTAINS(db->import_report, "0 unsupported");
		/* as `scry --check` would: every panel's type and options are what
		 * its widget takes, without an error or a warning */
		widgets_check(db, &dg);
		for (size_t k = 0; k < dg.n; k++)
			t_fail(__FILE__, __LINE__, "%s: %s %s", f->file, dg.e[k].sev == DIAG_WARN ? "warning" :
			    "error", dg.e[k].msg);
		dashboard_free(db);
		diag_free(&dg);
		cJSON_Delete(g);
	}
}

TEST(grafana_istio_service)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p, *row;
	const struct dash_var *v;
	char *e;

	diag_init(&dg);
	db = open_with("grafana/istio/istio-service-dashboard.json", NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_STR(db->title, "Istio Service Dashboard");
	CHECK_INT(db->range, 15 * 60 * NS_PER_S);	/* "now-15m" */
	CHECK_INT(db->refresh, 60 * NS_PER_S);
	CHECK_INT(db->nsrc, 1);
	CHECK_STR(db->src[0].name, "prometheus");
	CHECK_STR(db->src[0].type, "prometheus");
	/* Client Request Volume: a stat in the expanded "General" row */
	p = by_id(db, 12);
	CHECK(p && strcmp(p->type, "stat") == 0);
	if (p) {
		CHECK_STR(p->unit, "ops");
		CHECK_STR(p->source, "prometheus");
		row = p->parent_row >= 0 ? &db->panels[p->parent_row] : NULL;
		CHECK(row && row->id == 106 && strcmp(row->title, "General") == 0 && !row->collapsed);
		CHECK_INT(p->nth, 2);
		CHECK(p->nth == 2 && isinf(p->th[0].value) && p->th[0].role == ROLE_OK);
		CHECK(p->nth == 2 && p->th[1].value == 80 && p->th[1].role == ROLE_ERROR);
		e = expand(db, p->q[0].expr);
		/* $qrep: multi, one value -> regex-escaped; $service raw; 60s + 15s scrape -> 75s */
		CHECK_STR(e, "round(sum(irate(istio_requests_total{reporter=~\"destination\","
		    "destination_service=\"details.default.svc.cluster.local\"}[75s])), 0.001)");
		free(e);
	}
	/* Client Request Duration: P50/P90/P99 with legends, unit s */
	p = by_id(db, 87);
	CHECK(p && strcmp(p->type, "graph") == 0 && p->nq == 3);
	if (p && p->nq == 3) {
		CHECK_STR(p->unit, "s");
		CHECK_STR(p->q[0].legend, "P50");
		CHECK_STR(p->q[2].legend, "P99");
		CHECK_STR(p->q[2].ref, "C");
		CHECK_INT(p->nth, 0);	/* Grafana's default thresholds are not drawn there */
	}
	/* an All multi-value variable expands to .* */
	v = var(db, "srcwl");
	CHECK(v && v->multi && v->include_all && v->ncurrent == 1);
	CHECK(v && v->regex && strcmp(v->regex, ".*workload=\"([^\"]*).*") == 0);
	for (size_t i = 0; i < db->npanels; i++)
		for (size_t k = 0; k < db->panels[i].nq; k++)
			if (strstr(db->panels[i].q[k].expr, "source_workload=~\"$srcwl\"")) {
				e = expand(db, db->panels[i].q[k].expr);
				CHECK_CONTAINS(e, "source_workload=~\".*\"");
				CHECK(!strchr(e, '$'));
				free(e);
			}
	v = var(db, "qrep");
	CHECK(v && strcmp(v->type, "custom") == 0 && v->nvalues == 2);
	CHECK(v && v->nvalues == 2 && strcmp(v->values[0], "source") == 0);
	v = var(db, "service");
	CHECK(v && strcmp(v->type, "query") == 0 && strcmp(v->source, "prometheus") == 0);
	CHECK(v && strncmp(v->query, "query_result(sum(istio_requests_total{})", 40) == 0);
	v = var(db, "datasource");
	CHECK(v && strcmp(v->type, "datasource") == 0 && v->ncurrent == 1 &&
	    strcmp(v->current[0], "prometheus") == 0);
	/* the HTML text panel is plain text now */
	p = by_id(db, 89);
	CHECK(p && strcmp(p->type, "text") == 0);
	if (p)
		CHECK_STR(ostr(p, "content"), "SERVICE: $service");
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_node_exporter_nested_and_units)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	const struct dash_var *v;
	size_t nested_collapsed = 0;
	char *e;

	diag_init(&dg);
	db = open_with("grafana/rfmoz/node-exporter-full.json", NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	for (size_t i = 0; i < db->npanels; i++)
		if (db->panels[i].parent_row >= 0 && db->panels[db->panels[i].parent_row].collapsed)
			nested_collapsed++;
	CHECK_INT(nested_collapsed, 110);	/* README: 14 collapsed rows hold 110 panels */
	/* CPU Busy gauge: percent, 0..100, rgba thresholds as roles */
	p = by_id(db, 20);
	CHECK(p && strcmp(p->type, "gauge") == 0);
	if (p) {
		CHECK_STR(p->unit, "percent");
		CHECK(p->min == 0 && p->max == 100);
		CHECK_INT(p->decimals, 1);
		CHECK_INT(p->nth, 3);
		CHECK(p->nth == 3 && p->th[0].role == ROLE_OK && p->th[1].value == 85 &&
		    p->th[1].role == ROLE_WARN && p->th[2].value == 95 && p->th[2].role == ROLE_ERROR);
		CHECK(p->nq == 1 && cJSON_IsTrue(cJSON_GetObjectItem(p->q[0].cfg, "instant")));
		/* the value at the window's end, as a gauge shows it: no reduce */
		CHECK_STR(ostr(p, "reduce"), "");
		CHECK_STR(ostr(p, "markers"), "");
	}
	/* Pressure bargauge: percentage thresholds on a 0..1 percentunit */
	p = by_id(db, 323);
	CHECK(p && strcmp(p->type, "bar") == 0);
	if (p) {
		CHECK_STR(p->unit, "percentunit");
		CHECK(p->nth == 3 && fabs(p->th[1].value - 0.7) < 1e-12 && fabs(p->th[2].value - 0.9) < 1e-12);
		CHECK(p->nth == 3 && p->th[2].role == ROLE_CRITICAL);	/* dark-red */
		CHECK_STR(ostr(p, "display"), "");	/* scry's bars are plain */
		CHECK_INT(p->nq, 4);
	}
	v = var(db, "node");
	CHECK(v && strcmp(v->query, "label_values(node_uname_info{job=\"$job\", nodename=\"$nodename\"}, "
	    "instance)") == 0);
	CHECK(v && v->ncurrent == 0);
	/* variables without a value stay visible in the query */
	p = by_id(db, 20);
	if (p) {
		e = expand(db, p->q[0].expr);
		CHECK_STR(e, "100 * (1 - avg(rate(node_cpu_seconds_total{mode=\"idle\",instance=\"$node\","
		    "job=\"$job\"}[75s])))");
		free(e);
	}
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_series_options)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *net = NULL, *exp = NULL, *mem = NULL, *basic = NULL, *cpu = NULL;
	const cJSON *o;

	diag_init(&dg);
	db = open_with("grafana/rfmoz/node-exporter-full.json", NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	for (size_t i = 0; i < db->npanels; i++) {
		if (strcmp(db->panels[i].title, "Network Traffic Basic") == 0)
			net = &db->panels[i];
		if (strcmp(db->panels[i].title, "Exporter Processes Memory") == 0)
			exp = &db->panels[i];
		if (strcmp(db->panels[i].title, "Processes Detailed States") == 0)
			mem = &db->panels[i];
		if (strcmp(db->panels[i].title, "Memory Basic") == 0)
			basic = &db->panels[i];
		if (strcmp(db->panels[i].title, "CPU") == 0 && strcmp(db->panels[i].type, "graph") == 0)
			cpu = &db->panels[i];
	}
	CHECK(net && exp && mem && basic && cpu);
	/* series overridden out of the stack (group false; mode none) */
	if (basic && cpu) {
		CHECK_STR(ostr(basic, "stack"), "normal");
		o = cJSON_GetObjectItem(basic->options, "unstack_series");
		CHECK(cJSON_GetArraySize(o) == 1 && strcmp(o->child->valuestring, "Total") == 0);
		CHECK_STR(ostr(cpu, "stack"), "percent");
		o = cJSON_GetObjectItem(cpu->options, "unstack_series");
		CHECK(cJSON_GetArraySize(o) == 1 && strcmp(o->child->valuestring, "Guest CPU usage") == 0);
	}
	if (net && exp && mem) {
		o = cJSON_GetObjectItem(net->options, "negate_series");
		CHECK(cJSON_GetArraySize(o) == 1 && strcmp(o->child->valuestring, "/.*Tx.*/") == 0);
		o = cJSON_GetObjectItem(exp->options, "show_series");
		CHECK(cJSON_GetArraySize(o) == 1 && strcmp(o->child->valuestring, "Virtual Memory") == 0);
		CHECK_STR(ostr(mem, "stack"), "normal");
		CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(mem->options, "rename"), "D")->valuestring,
		    "Uninterruptible Sleeping");
	}
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_pilot_heatmap_and_mixed)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	char *e;

	diag_init(&dg);
	db = open_with("grafana/istio/pilot-dashboard.gen.json", NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	p = by_id(db, 13);
	CHECK(p && strcmp(p->type, "heatmap") == 0);
	if (p) {
		CHECK_STR(p->unit, "s");
		CHECK_INT(p->decimals, 0);
		CHECK_STR(p->source, "prometheus");	/* "-- Mixed --" panel, target on $datasource */
		e = expand(db, p->q[0].expr);
		CHECK_STR(e, "sum(rate(pilot_xds_push_time_bucket{}[75s])) by (le)");
		free(e);
		CHECK_STR(p->q[0].legend, "{{le}}");
		CHECK_STR(ostr(p, "min_step"), "1m");
	}
	p = by_id(db, 14);
	CHECK(p && strcmp(p->type, "heatmap") == 0 && p->unit && strcmp(p->unit, "bytes") == 0);
	CHECK_CONTAINS(db->import_report, "colour scheme 'Spectral'");
	/* Grafana's vertical compaction of this generated file: "Pilot Versions"
	 * (y 1, h 5) pushes the "Resource Usage" row (y 1) to 6 and its panels
	 * (y 2) to 7; "Push Information" (y 3) lands below them at 17 */
	CHECK(by_id(db, 2) && by_id(db, 2)->y == 1);
	CHECK(by_id(db, 3) && by_id(db, 3)->y == 6 && strcmp(by_id(db, 3)->type, "row") == 0);
	CHECK(by_id(db, 4) && by_id(db, 4)->y == 7);
	CHECK(by_id(db, 8) && by_id(db, 8)->y == 17);
	CHECK(by_id(db, 2) && by_id(db, 2)->parent_row >= 0 &&
	    strcmp(db->panels[by_id(db, 2)->parent_row].title, "Deployed Versions") == 0);
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_loki_logs)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	const struct dash_var *v;
	char *e;

	diag_init(&dg);
	db = open_with("grafana/loki/loki-logs.json", NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db->nsrc, 2);
	p = by_id(db, 29);
	CHECK(p && strcmp(p->type, "logs") == 0);
	if (p) {
		CHECK_STR(p->source, "loki");
		CHECK(dashboard_source(db, "loki") && strcmp(dashboard_source(db, "loki")->type, "loki") == 0);
		CHECK(cJSON_IsTrue(cJSON_GetObjectItem(p->options, "wrap")));
		/* options the log pane has no equivalent for are notes, not options */
		CHECK_STR(ostr(p, "order"), "");
		CHECK_CONTAINS(db->import_report, "newest lines at the bottom");
		e = expand(db, p->q[0].expr);
		/* cluster and namespace have values; container has none; level and filter
		 * are selected as "" in the file, as Grafana would send them */
		CHECK_STR(e, "{cluster=\"prod\", namespace=\"prod\", container=~\"$container\"} | logfmt | "
		    "level=~\"\" |= \"\"");
		free(e);
	}
	p = by_id(db, 35);
	CHECK(p && strcmp(p->source, "prometheus") == 0 && strcmp(p->type, "graph") == 0);
	v = var(db, "loki_datasource");
	CHECK(v && v->ncurrent == 1 && strcmp(v->current[0], "loki") == 0);
	v = var(db, "level");
	CHECK(v && v->multi && v->nvalues == 4);
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_map_datasource)
{
	static const char *const map[] = { "$datasource=mimir", "$loki_datasource=logs-eu" };
	struct gf_opts gf = { .map = map, .nmap = 2 };
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = open_with("grafana/loki/loki-logs.json", &gf, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db->nsrc, 2);
	CHECK(dashboard_source(db, "mimir") && strcmp(dashboard_source(db, "mimir")->type, "prometheus") == 0);
	CHECK(dashboard_source(db, "logs-eu") && strcmp(dashboard_source(db, "logs-eu")->type, "loki") == 0);
	CHECK_STR(by_id(db, 29)->source, "logs-eu");
	CHECK_STR(by_id(db, 35)->source, "mimir");
	CHECK_CONTAINS(db->import_report, "data source $loki_datasource of type loki -> scry source 'logs-eu'");
	dashboard_free(db);
	diag_free(&dg);
}

static struct dashboard *
convert_text(const char *text, const struct gf_opts *gf, struct diag *dg)
{
	char path[] = "/tmp/scry-gf-XXXXXX";
	int fd = mkstemp(path);
	struct dash_load_opts lo = { .grafana = gf };
	struct dashboard *db;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		t_fail(__FILE__, __LINE__, "cannot write %s", path);
		return NULL;
	}
	close(fd);
	db = dashboard_open(path, &lo, dg);
	unlink(path);
	return db;
}

TEST(grafana_unsupported_never_dropped)
{
	static const char g[] =
	    "{\"schemaVersion\": 39, \"title\": \"mixed bag\", \"panels\": [\n"
	    " {\"id\": 1, \"type\": \"state-timeline\", \"title\": \"States\", \"gridPos\": {\"x\":0,\"y\":0,\"w\":12,\"h\":6},\n"
	    "  \"targets\": [{\"refId\": \"A\", \"expr\": \"up{job=\\\"api\\\"}\"}]},\n"
	    " {\"id\": 2, \"type\": \"piechart\", \"title\": \"Shares\", \"gridPos\": {\"x\":12,\"y\":0,\"w\":12,\"h\":6},\n"
	    "  \"targets\": [{\"refId\": \"A\", \"expr\": \"sum by (code) (rate(http_requests_total[5m]))\"}]},\n"
	    " {\"id\": 3, \"type\": \"timeseries\", \"title\": \"ES\", \"gridPos\": {\"x\":0,\"y\":6,\"w\":12,\"h\":6},\n"
	    "  \"datasource\": {\"type\": \"elasticsearch\", \"uid\": \"es1\"},\n"
	    "  \"targets\": [{\"refId\": \"A\", \"query\": \"status:500\"}]},\n"
	    " {\"id\": 4, \"type\": \"acme-fancy-panel\", \"title\": \"Plugin\", \"gridPos\": {\"x\":12,\"y\":6,\"w\":12,\"h\":6}},\n"
	    " {\"id\": 5, \"type\": \"alertlist\", \"title\": \"Alerts\", \"gridPos\": {\"x\":0,\"y\":12,\"w\":24,\"h\":6},\n"
	    "  \"options\": {\"maxItems\": 20, \"sortOrder\": 3, \"stateFilter\": {\"firing\": true, \"pending\": true}}}\n"
	    "]}";
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	const char *c;

	diag_init(&dg);
	db = convert_text(g, NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db->npanels, 5);
	p = by_id(db, 1);
	CHECK(p && strcmp(p->type, "text") == 0);
	c = p ? ostr(p, "content") : "";
	CHECK_CONTAINS(c, "Grafana panel type 'state-timeline' is not supported");
	CHECK_CONTAINS(c, "- A: up{job=\"api\"}");
	p = by_id(db, 2);
	CHECK(p && strcmp(p->type, "bar") == 0);
	p = by_id(db, 3);
	CHECK(p && strcmp(p->type, "text") == 0);
	c = p ? ostr(p, "content") : "";
	CHECK_CONTAINS(c, "data source type 'elasticsearch' is not supported");
	p = by_id(db, 4);
	CHECK(p && strcmp(p->type, "text") == 0);
	c = p ? ostr(p, "content") : "";
	CHECK_CONTAINS(c, "third-party plugin");
	p = by_id(db, 5);
	CHECK(p && strcmp(p->type, "alerts") == 0);
	if (p) {
		CHECK_INT(cJSON_GetObjectItem(p->options, "limit")->valueint, 20);
		CHECK_STR(ostr(p, "sort"), "");	/* by importance: the panel's own default */
		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(p->options, "states")), 2);
	}
	CHECK_CONTAINS(db->import_report, "3 unsupported");
	CHECK_CONTAINS(db->import_report, "panels[0] 'States' (state-timeline): not supported");
	CHECK_CONTAINS(db->import_report, "piechart shown as horizontal bars");
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_legacy_rows_and_singlestat)
{
	static const char g[] =
	    "{\"schemaVersion\": 14, \"title\": \"old\", \"time\": {\"from\": \"now-6h\", \"to\": \"now\"},\n"
	    " \"rows\": [\n"
	    "  {\"title\": \"Top\", \"height\": \"250px\", \"panels\": [\n"
	    "    {\"id\": 11, \"type\": \"singlestat\", \"span\": 4, \"format\": \"bytes\", \"valueName\": \"avg\",\n"
	    "     \"thresholds\": \"80,90\", \"colors\": [\"#299c46\", \"rgba(237, 129, 40, 0.89)\", \"#d44a3a\"],\n"
	    "     \"sparkline\": {\"show\": true}, \"targets\": [{\"expr\": \"x\", \"refId\": \"A\"}]},\n"
	    "    {\"id\": 12, \"type\": \"graph\", \"span\": 8, \"stack\": true, \"percentage\": true,\n"
	    "     \"yaxes\": [{\"format\": \"ms\", \"min\": \"0\"}, {}], \"legend\": {\"show\": false},\n"
	    "     \"seriesOverrides\": [{\"alias\": \"/err.*/\", \"hiddenSeries\": true}],\n"
	    "     \"targets\": [{\"expr\": \"y\", \"legendFormat\": \"{{pod}}\"}]}]},\n"
	    "  {\"title\": \"Bottom\", \"collapse\": true, \"panels\": [\n"
	    "    {\"id\": 13, \"type\": \"text\", \"mode\": \"markdown\", \"content\": \"# hi\"}]}]}";
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;

	diag_init(&dg);
	db = convert_text(g, NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db->range, 6 * 3600 * NS_PER_S);
	CHECK_INT(db->npanels, 5);
	p = by_id(db, 11);
	CHECK(p && strcmp(p->type, "stat") == 0 && p->x == 0 && p->w == 8 && p->h == 8 && p->y == 1);
	if (p) {
		CHECK_STR(p->unit, "bytes");
		CHECK_STR(ostr(p, "reduce"), "mean");
		CHECK(cJSON_IsTrue(cJSON_GetObjectItem(p->options, "sparkline")));
		CHECK(p->nth == 3 && p->th[0].role == ROLE_OK && p->th[1].role == ROLE_WARN &&
		    p->th[2].value == 90 && p->th[2].role == ROLE_ERROR);
	}
	p = by_id(db, 12);
	CHECK(p && strcmp(p->type, "graph") == 0 && p->x == 8 && p->w == 16);
	if (p) {
		CHECK_STR(p->unit, "ms");
		CHECK(p->min == 0);
		CHECK_STR(ostr(p, "stack"), "percent");
		CHECK_STR(ostr(p, "legend"), "hidden");
		CHECK_STR(cJSON_GetObjectItem(p->options, "hide_series")->child->valuestring, "/err.*/");
		CHECK_STR(p->q[0].legend, "{{pod}}");
	}
	p = by_id(db, 13);
	CHECK(p && p->parent_row >= 0 && db->panels[p->parent_row].collapsed);
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_legend_sort)
{
	static const char g[] =
	    "{\"schemaVersion\": 39, \"title\": \"sorts\", \"panels\": [\n"
	    " {\"id\": 1, \"type\": \"timeseries\", \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 8, \"h\": 8},\n"
	    "  \"options\": {\"legend\": {\"showLegend\": true, \"sortBy\": \"Last *\", \"sortDesc\": true}},\n"
	    "  \"targets\": [{\"expr\": \"a\"}]},\n"
	    " {\"id\": 2, \"type\": \"timeseries\", \"gridPos\": {\"x\": 8, \"y\": 0, \"w\": 8, \"h\": 8},\n"
	    "  \"options\": {\"legend\": {\"sortBy\": \"Mean\", \"sortDesc\": true}},\n"
	    "  \"targets\": [{\"expr\": \"b\"}]},\n"
	    " {\"id\": 3, \"type\": \"graph\", \"gridPos\": {\"x\": 16, \"y\": 0, \"w\": 8, \"h\": 8},\n"
	    "  \"legend\": {\"show\": true, \"sort\": \"max\", \"sortDesc\": false},\n"
	    "  \"targets\": [{\"expr\": \"c\"}]},\n"
	    " {\"id\": 4, \"type\": \"timeseries\", \"gridPos\": {\"x\": 0, \"y\": 8, \"w\": 8, \"h\": 8},\n"
	    "  \"options\": {\"legend\": {\"sortBy\": \"Name\"}}, \"targets\": [{\"expr\": \"d\"}]},\n"
	    " {\"id\": 5, \"type\": \"timeseries\", \"gridPos\": {\"x\": 8, \"y\": 8, \"w\": 8, \"h\": 8},\n"
	    "  \"targets\": [{\"expr\": \"e\"}]}]}";
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = convert_text(g, NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK(by_id(db, 1) && strcmp(ostr(by_id(db, 1), "legend_sort"), "last") == 0);
	CHECK(by_id(db, 2) && !*ostr(by_id(db, 2), "legend_sort"));
	CHECK_CONTAINS(db->import_report, "legend sorted by the largest value, not by 'Mean'");
	CHECK(by_id(db, 3) && strcmp(ostr(by_id(db, 3), "legend_sort"), "max") == 0);
	CHECK_CONTAINS(db->import_report, "legend sorted largest first, not smallest");
	CHECK(by_id(db, 4) && strcmp(ostr(by_id(db, 4), "legend_sort"), "name") == 0);
	CHECK(by_id(db, 5) && !*ostr(by_id(db, 5), "legend_sort"));
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_provisioning_and_derived_fields)
{
	static const char prov[] =
	    "apiVersion: 1\n"
	    "datasources:\n"
	    "  - name: Loki EU\n    type: loki\n    uid: loki-eu\n    url: http://loki.example:3100\n"
	    "    basicAuth: true\n"
	    "    jsonData:\n      derivedFields:\n"
	    "        - name: TraceID\n          matcherRegex: 'trace_id=(\\w+)'\n"
	    "          datasourceUid: tempo-1\n          url: '${__value.raw}'\n"
	    "  - name: Tempo\n    type: tempo\n    uid: tempo-1\n    url: http://tempo.example:3200\n"
	    "  - name: Prom\n    type: prometheus\n    uid: prom-1\n    isDefault: true\n"
	    "    url: http://prom.example:9090\n";
	char path[] = "/tmp/scry-prov-XXXXXX";
	int fd = mkstemp(path);
	struct jdoc doc;
	struct gf_opts gf = { 0 };
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	const cJSON *df;

	REQUIRE(fd >= 0);
	CHECK(write(fd, prov, sizeof prov - 1) == (ssize_t)(sizeof prov - 1));
	close(fd);
	diag_init(&dg);
	gf.provisioning = grafana_load_provisioning(&doc, path, &dg);
	unlink(path);
	CHECK(gf.provisioning != NULL);
	db = open_with("grafana/loki/loki-logs.json", &gf, &dg);
	CHECK(db != NULL);
	if (db) {
		const struct dash_source *s = dashboard_source(db, "loki-eu");
		CHECK(s && strcmp(s->type, "loki") == 0 && s->url && strcmp(s->url, "http://loki.example:3100") == 0);
		s = dashboard_source(db, "prom");
		CHECK(s && s->url && strcmp(s->url, "http://prom.example:9090") == 0);
		p = by_id(db, 29);
		CHECK(p && strcmp(p->source, "loki-eu") == 0);
		/* derived fields become the dashboard's trace-id patterns, after
		 * scry's own: the log pane underlines the ids, Enter opens them */
		df = cJSON_GetObjectItem(db->doc.root, "trace_ids");
		CHECK(cJSON_GetArraySize(df) == 2);
		CHECK(db->trace_ids_set && db->ntrace_ids == 2);
		if (db->ntrace_ids == 2) {
			CHECK_STR(db->trace_ids[0].name, "default");
			CHECK_STR(db->trace_ids[1].name, "TraceID");
			CHECK_STR(db->trace_ids[1].regex, "trace_id=(\\w+)");
		}
		CHECK(dashboard_source(db, "tempo") && strcmp(dashboard_source(db, "tempo")->type, "tempo") == 0);
		widgets_check(db, &dg);
		CHECK_INT(dg.nerrors, 0);
		CHECK_CONTAINS(db->import_report, "credentials of data source 'Loki EU' are not imported");
		dashboard_free(db);
	}
	jdoc_free(&doc);
	diag_free(&dg);
}

TEST(grafana_convert_round_trip)
{
	for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
		struct dash_load_opts lo = { 0 };
		struct diag dg;
		char *text, *again;
		struct dashboard *a, *b;
		cJSON *j;

		diag_init(&dg);
		text = dashboard_convert(t_fixture(fixtures[i].file), &lo, &dg);
		CHECK(text != NULL);
		if (!text) {
			diag_free(&dg);
			continue;
		}
		j = cJSON_Parse(text);
		CHECK(j && !grafana_detect(j));	/* the output is a scry dashboard */
		CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "import"), "report") != NULL);
		cJSON_Delete(j);
		a = open_with(fixtures[i].file, NULL, &dg);
		b = convert_text(text, NULL, &dg);
		CHECK(a && b);
		if (a && b) {
			CHECK_INT(b->npanels, a->npanels);
			CHECK_INT(b->nvars, a->nvars);
			CHECK_INT(b->nsrc, a->nsrc);
			for (size_t k = 0; k < a->npanels && k < b->npanels; k++) {
				CHECK_STR(b->panels[k].type, a->panels[k].type);
				CHECK_INT(b->panels[k].nq, a->panels[k].nq);
				CHECK_INT(b->panels[k].y, a->panels[k].y);
				CHECK_INT(b->panels[k].parent_row, a->panels[k].parent_row);
			}
			CHECK_STR(b->import_report, a->import_report);
		}
		/* a converted file is not converted again */
		{
			char path[] = "/tmp/scry-rt-XXXXXX";
			int fd = mkstemp(path);
			REQUIRE(fd >= 0);
			CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
			close(fd);
			again = dashboard_convert(path, &lo, &dg);
			CHECK(again == NULL);
			CHECK_CONTAINS(diag_first_error(&dg), "already a scry dashboard");
			free(again);
			unlink(path);
		}
		dashboard_free(a);
		dashboard_free(b);
		free(text);
		diag_free(&dg);
	}
}

TEST(grafana_slo_files_added)
{
	const char *files[] = { t_fixture("slo/sloth.yaml") };
	char f0[4096];
	struct dash_load_opts lo = { 0 };
	struct diag dg;
	struct dashboard *db;
	size_t nslo = 0;

	snprintf(f0, sizeof f0, "%s", files[0]);
	files[0] = f0;
	lo.slo_files = files;
	lo.nslo_files = 1;
	diag_init(&dg);
	db = dashboard_open(t_fixture("grafana/istio/istio-mesh-dashboard.gen.json"), &lo, &dg);
	CHECK(db != NULL);
	if (db) {
		for (size_t i = 0; i < db->npanels; i++)
			if (strcmp(db->panels[i].type, "slo") == 0) {
				nslo++;
				CHECK(db->panels[i].slo != NULL);
				CHECK(db->panels[i].y >= dashboard_grid_height(db) - 8);
			}
		CHECK_INT(nslo, 2);
		CHECK_INT(db->slos->n, 2);
		dashboard_free(db);
	}
	/* SLO files alone make an SLO dashboard */
	db = dashboard_open(NULL, &lo, &dg);
	CHECK(db && db->npanels == 2 && strcmp(db->panels[0].type, "slo") == 0);
	dashboard_free(db);
	diag_free(&dg);
}

TEST(grafana_colour_roles)
{
	CHECK_STR(grafana_color_role("green"), "ok");
	CHECK_STR(grafana_color_role("semi-dark-green"), "ok");
	CHECK_STR(grafana_color_role("yellow"), "warn");
	CHECK_STR(grafana_color_role("dark-orange"), "warn");
	CHECK_STR(grafana_color_role("red"), "error");
	CHECK_STR(grafana_color_role("dark-red"), "critical");
	CHECK_STR(grafana_color_role("blue"), "info");
	CHECK_STR(grafana_color_role("#73BF69"), "ok");
	CHECK_STR(grafana_color_role("#EAB839"), "warn");
	CHECK_STR(grafana_color_role("#F2495C"), "error");
	CHECK_STR(grafana_color_role("#890F02"), "critical");
	CHECK_STR(grafana_color_role("#6ED0E0"), "info");
	CHECK_STR(grafana_color_role("rgba(50, 172, 45, 0.97)"), "ok");
	CHECK_STR(grafana_color_role("rgba(237, 129, 40, 0.89)"), "warn");
	CHECK_STR(grafana_color_role("rgb(245,54,54)"), "error");
	CHECK_STR(grafana_color_role("#808080"), "text");
	CHECK_STR(grafana_color_role("transparent"), "dim");
}

TEST(grafana_units)
{
	char buf[64], out[64];
	const char *note;

	CHECK_STR(grafana_unit("reqps", buf, sizeof buf, &note), "reqps");
	CHECK(note == NULL);
	CHECK_STR(grafana_unit("µs", buf, sizeof buf, &note), "\xc2\xb5s");
	CHECK_STR(grafana_unit("pps", buf, sizeof buf, &note), "pps");
	CHECK_STR(grafana_unit("dthms", buf, sizeof buf, &note), "s");
	CHECK(note != NULL);
	CHECK_STR(grafana_unit("c/s", buf, sizeof buf, &note), "suffix:c/s");
	CHECK_STR(grafana_unit("currencyUSD", buf, sizeof buf, &note), "short");
	/* formatting of the Grafana ids (Bps is SI in Grafana, binBps IEC) */
	unit_format(1500, "Bps", -1, out, sizeof out);
	CHECK_STR(out, "1.50 kB/s");
	unit_format(1536, "binBps", -1, out, sizeof out);
	CHECK_STR(out, "1.50 KiB/s");
	unit_format(2e6, "bps", -1, out, sizeof out);
	CHECK_STR(out, "2.00 Mb/s");
	unit_format(42.5, "celsius", -1, out, sizeof out);
	CHECK_STR(out, "42.5 \xc2\xb0" "C");
	unit_format(1, "bool_yes_no", -1, out, sizeof out);
	CHECK_STR(out, "Yes");
	unit_format(12800, "pps", -1, out, sizeof out);
	CHECK_STR(out, "12.8k p/s");
	unit_format(2, "m", -1, out, sizeof out);
	CHECK_STR(out, "2.00 min");
	unit_format(3, "kbytes", -1, out, sizeof out);
	CHECK_STR(out, "3.00 KiB");
	unit_format(12, "suffix:c/s", -1, out, sizeof out);
	CHECK_STR(out, "12 c/s");
	CHECK(unit_known("iops") && unit_known("suffix:x") && !unit_known("furlongs"));
}

TEST(grafana_mixed_and_variable_kinds)
{
	static const char g[] =
	    "{\"schemaVersion\": 39, \"title\": \"kinds\", \"refresh\": \"30s\",\n"
	    " \"templating\": {\"list\": [\n"
	    "  {\"name\": \"iv\", \"type\": \"interval\", \"query\": \"1m,10m,1h\", \"auto\": true,\n"
	    "   \"current\": {\"value\": \"10m\"}},\n"
	    "  {\"name\": \"c\", \"type\": \"constant\", \"query\": \"prod\"},\n"
	    "  {\"name\": \"tb\", \"type\": \"textbox\", \"query\": \"error\", \"current\": {\"value\": \"timeout\"}},\n"
	    "  {\"name\": \"kv\", \"type\": \"custom\", \"query\": \"Production : prod\\\\,eu,Staging : stg\",\n"
	    "   \"multi\": true, \"includeAll\": true, \"allValue\": \"prod|stg\", \"current\": {\"value\": [\"$__all\"]}},\n"
	    "  {\"name\": \"f\", \"type\": \"adhoc\"}]},\n"
	    " \"panels\": [\n"
	    "  {\"id\": 1, \"type\": \"timeseries\", \"title\": \"mixed\", \"gridPos\": {\"x\":0,\"y\":0,\"w\":24,\"h\":8},\n"
	    "   \"datasource\": {\"type\": \"datasource\", \"uid\": \"-- Mixed --\"},\n"
	    "   \"targets\": [{\"refId\": \"A\", \"expr\": \"rate(x{env=\\\"$c\\\"}[$iv])\"},\n"
	    "                {\"refId\": \"B\", \"expr\": \"sum(count_over_time({app=\\\"x\\\"} |= \\\"$tb\\\" [1m]))\",\n"
	    "                 \"datasource\": {\"type\": \"loki\", \"uid\": \"L1\"}}]}]}";
	static const char *const map[] = { "-- Mixed --=thanos", "L1=logs" };
	struct gf_opts gf = { .map = map, .nmap = 2 };
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	const struct dash_var *v;
	char *e;

	diag_init(&dg);
	db = convert_text(g, &gf, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db->refresh, 30 * NS_PER_S);
	p = by_id(db, 1);
	CHECK(p && p->nq == 2);
	if (p && p->nq == 2) {
		CHECK_STR(p->source, "thanos");		/* the mixed panel's query without its own */
		CHECK_STR(p->q[1].source, "logs");	/* the Loki query keeps its own */
		CHECK(dashboard_source(db, "logs") && strcmp(dashboard_source(db, "logs")->type, "loki") == 0);
		e = expand(db, p->q[0].expr);
		CHECK_STR(e, "rate(x{env=\"prod\"}[10m])");
		free(e);
		e = expand(db, p->q[1].expr);
		CHECK_STR(e, "sum(count_over_time({app=\"x\"} |= \"timeout\" [1m]))");
		free(e);
	}
	v = var(db, "kv");
	CHECK(v && v->nvalues == 2 && strcmp(v->values[0], "prod,eu") == 0 && strcmp(v->values[1], "stg") == 0);
	CHECK(v && v->all_value && strcmp(v->all_value, "prod|stg") == 0);
	e = tmpl_expand("env=~\"$kv\"", db, NULL);
	CHECK_STR(e, "env=~\"prod|stg\"");
	free(e);
	v = var(db, "iv");
	CHECK(v && strcmp(v->type, "interval") == 0 && v->nvalues == 3);
	CHECK(var(db, "f") == NULL);
	CHECK_CONTAINS(db->import_report, "variable f: type 'adhoc' is not supported");
	CHECK_CONTAINS(db->import_report, "variable iv: the 'auto' interval is not supported");
	dashboard_free(db);
	diag_free(&dg);
}

/* Converted options are the widgets' own, meaning what Grafana meant; what
 * no widget does is a note in the report, never an ignored option. */
TEST(grafana_options_the_widgets_take)
{
	static const char g[] =
	    "{\"schemaVersion\": 39, \"title\": \"options\", \"panels\": [\n"
	    " {\"id\": 1, \"type\": \"stat\", \"title\": \"S\", \"gridPos\": {\"x\":0,\"y\":0,\"w\":8,\"h\":4},\n"
	    "  \"targets\": [{\"refId\": \"A\", \"expr\": \"up\"}],\n"
	    "  \"options\": {\"reduceOptions\": {\"calcs\": [\"max\"], \"limit\": 3}, \"colorMode\": \"background\",\n"
	    "   \"textMode\": \"name\", \"orientation\": \"vertical\", \"graphMode\": \"none\"},\n"
	    "  \"fieldConfig\": {\"defaults\": {\"mappings\": [{\"type\": \"value\", \"options\": {\"0\": {\"text\": \"DOWN\",\n"
	    "   \"color\": \"red\"}}}, {\"type\": \"special\", \"options\": {\"match\": \"null\", \"result\": {\"text\": \"N/A\"}}}]}}},\n"
	    " {\"id\": 2, \"type\": \"bargauge\", \"title\": \"B\", \"gridPos\": {\"x\":8,\"y\":0,\"w\":8,\"h\":4},\n"
	    "  \"targets\": [{\"refId\": \"A\", \"expr\": \"disk\"}],\n"
	    "  \"options\": {\"reduceOptions\": {\"calcs\": [\"mean\"], \"limit\": 5}, \"orientation\": \"vertical\",\n"
	    "   \"displayMode\": \"lcd\"}},\n"
	    " {\"id\": 3, \"type\": \"table\", \"title\": \"T\", \"gridPos\": {\"x\":0,\"y\":4,\"w\":24,\"h\":8},\n"
	    "  \"targets\": [{\"refId\": \"A\", \"expr\": \"rps\", \"instant\": true, \"format\": \"table\"},\n"
	    "   {\"refId\": \"B\", \"expr\": \"errors\", \"instant\": true, \"format\": \"table\"}],\n"
	    "  \"options\": {\"showHeader\": false, \"sortBy\": [{\"displayName\": \"Errors\", \"desc\": true}]},\n"
	    "  \"fieldConfig\": {\"overrides\": [{\"matcher\": {\"id\": \"byName\", \"options\": \"Value #B\"},\n"
	    "   \"properties\": [{\"id\": \"displayName\", \"value\": \"Errors\"}, {\"id\": \"unit\", \"value\": \"percentunit\"},\n"
	    "   {\"id\": \"custom.cellOptions\", \"value\": {\"type\": \"color-background\"}}]}]},\n"
	    "  \"transformations\": [{\"id\": \"merge\"}, {\"id\": \"organize\", \"options\": {\"excludeByName\": {\"Time\": true},\n"
	    "   \"indexByName\": {\"pod\": 0, \"Value #A\": 1}, \"renameByName\": {\"pod\": \"Pod\"}}}]},\n"
	    " {\"id\": 4, \"type\": \"alertlist\", \"title\": \"A\", \"gridPos\": {\"x\":0,\"y\":12,\"w\":12,\"h\":6},\n"
	    "  \"options\": {\"sortOrder\": 1, \"alertName\": \"Order.P99\", \"alertInstanceLabelFilter\": \"{severity=\\\"critical\\\"}\",\n"
	    "   \"stateFilter\": {\"firing\": true, \"normal\": true}}},\n"
	    " {\"id\": 5, \"type\": \"alertlist\", \"title\": \"A2\", \"gridPos\": {\"x\":12,\"y\":12,\"w\":12,\"h\":6},\n"
	    "  \"options\": {\"alertInstanceLabelFilter\": \"severity critical\"}}\n"
	    "]}";
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;
	const cJSON *o;

	diag_init(&dg);
	db = convert_text(g, NULL, &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	widgets_check(db, &dg);
	for (size_t k = 0; k < dg.n; k++)
		t_fail(__FILE__, __LINE__, "%s", dg.e[k].msg);
	p = by_id(db, 1);
	CHECK_STR(ostr(p, "reduce"), "max");
	CHECK_STR(ostr(p, "orientation"), "vertical");
	CHECK_STR(ostr(p, "color"), "");	/* background: drawn as a coloured value */
	CHECK(p && cJSON_GetObjectItem(p->options, "limit")->valueint == 3);
	o = p ? cJSON_GetObjectItem(p->options, "mappings") : NULL;
	CHECK(cJSON_GetArraySize(o) == 2);
	CHECK_STR(o ? cJSON_GetObjectItem(o->child, "text")->valuestring : NULL, "DOWN");
	CHECK_STR(o ? cJSON_GetObjectItem(o->child, "role")->valuestring : NULL, "error");
	CHECK_CONTAINS(db->import_report, "background colour shown as a coloured value");
	CHECK_CONTAINS(db->import_report, "text mode 'name' shown as the value");
	p = by_id(db, 2);
	CHECK(p && strcmp(p->type, "bar") == 0);
	CHECK_STR(ostr(p, "reduce"), "");
	CHECK(p && cJSON_GetObjectItem(p->options, "limit")->valueint == 5);
	CHECK_CONTAINS(db->import_report, "reduction 'mean' not applied: bars show the value at the window's end");
	CHECK_CONTAINS(db->import_report, "vertical bars drawn horizontal");
	p = by_id(db, 3);
	CHECK_STR(ostr(p, "sort"), "value:B");	/* sorted by the column titled Errors */
	CHECK(p && cJSON_IsTrue(cJSON_GetObjectItem(p->options, "desc")));
	o = p ? cJSON_GetObjectItem(p->options, "fields") : NULL;
	CHECK_STR(o ? cJSON_GetObjectItem(cJSON_GetObjectItem(o, "Value #B"), "unit")->valuestring : NULL,
	    "percentunit");
	CHECK_STR(o ? cJSON_GetObjectItem(cJSON_GetObjectItem(o, "pod"), "title")->valuestring : NULL, "Pod");
	CHECK(o && cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "Time"), "hidden")));
	o = p ? cJSON_GetObjectItem(p->options, "order") : NULL;
	CHECK(o && cJSON_GetArraySize(o) == 2 && strcmp(o->child->valuestring, "pod") == 0);
	CHECK(p && !cJSON_GetObjectItem(p->options, "merge") && !cJSON_GetObjectItem(p->options, "header"));
	CHECK_CONTAINS(db->import_report, "the header row is always shown");
	CHECK_CONTAINS(db->import_report, "cell background colour shown as coloured text");
	p = by_id(db, 4);
	CHECK_STR(ostr(p, "sort"), "name");
	CHECK_STR(ostr(p, "filter"), "{alertname=~\".*Order\\\\.P99.*\", severity=\"critical\"}");
	CHECK(p && cJSON_GetArraySize(cJSON_GetObjectItem(p->options, "states")) == 1);
	CHECK_CONTAINS(db->import_report, "only firing and pending alerts are listed");
	p = by_id(db, 5);
	CHECK_STR(ostr(p, "filter"), "");
	CHECK_CONTAINS(db->import_report, "instance label filter 'severity critical' not converted");
	dashboard_free(db);
	diag_free(&dg);
}
