/* Unit tests: dashboard parsing — good files field by field, the corpus of
 * broken files against their expected messages, lookup by name. */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dashboard.h"
#include "core/xalloc.h"
#include "sources/source.h"
#include "tests/unit/golden.h"
#include "tests/unit/t.h"
#include "widgets/widget.h"

static struct dashboard *
parse_fixture(const char *rel, const char *name, struct diag *dg)
{
	size_t len;
	char *text = golden_read(rel, &len);
	struct dashboard *db;

	if (!text) {
		t_fail(__FILE__, __LINE__, "cannot read %s", rel);
		return NULL;
	}
	db = dashboard_parse(text, len, name, dg);
	free(text);
	return db;
}

static const struct dash_panel *
panel_titled(const struct dashboard *db, const char *title)
{
	for (size_t i = 0; i < db->npanels; i++)
		if (db->panels[i].title && strcmp(db->panels[i].title, title) == 0)
			return &db->panels[i];
	t_fail(__FILE__, __LINE__, "no panel titled %s", title);
	return NULL;
}

TEST(dashboard_minimal_defaults)
{
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = parse_fixture("dashboards/good/minimal.json", "minimal.json", &dg);
	CHECK(db != NULL);
	CHECK_INT(dg.n, 0);
	CHECK_STR(db->title, "untitled dashboard");
	CHECK_INT(db->range, 3600 * NS_PER_S);
	CHECK_INT(db->refresh, 15 * NS_PER_S);
	CHECK_INT(db->npanels, 1);
	CHECK_STR(db->panels[0].type, "text");
	CHECK_STR(db->panels[0].title, "");
	CHECK_INT(db->panels[0].x, 0);
	CHECK_INT(db->panels[0].w, 12);
	CHECK_INT(db->panels[0].h, 8);
	CHECK_INT(db->panels[0].decimals, -1);
	CHECK(isnan(db->panels[0].min) && isnan(db->panels[0].max));
	CHECK_INT(db->panels[0].parent_row, -1);
	CHECK_INT(db->panels[0].id, 1);
	CHECK_STR(db->panels[0].path, "panels[0]");
	dashboard_free(db);
	diag_free(&dg);
}

/* "current" given as a list without one string: an error per item and
 * no dashboard; the half-built variable (its empty list replaced by the
 * first value) is freed whole: the ASan run finds a leak otherwise */
TEST(dashboard_variable_current_without_strings)
{
	static const char text[] = "{\"variables\":[{\"name\":\"svc\","
	    "\"values\":[\"cart\",\"pay\"],\"current\":[{},7]}],\"panels\":[]}";
	struct diag dg;
	struct dashboard *db;
	const char *e;

	diag_init(&dg);
	db = dashboard_parse(text, sizeof text - 1, "v.json", &dg);
	CHECK(db == NULL);
	CHECK_INT(dg.nerrors, 2);
	e = diag_first_error(&dg);
	CHECK(e && strstr(e, "variables[0].current: expected strings in the list, got an object"));
	dashboard_free(db);
	diag_free(&dg);
}

TEST(dashboard_grafana_like)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;

	diag_init(&dg);
	db = parse_fixture("dashboards/good/grafana_like.json", "g.json", &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(dg.n, 0);
	CHECK_INT(db->range, 6 * 3600 * NS_PER_S);
	CHECK_INT(db->refresh, 0);		/* "off" */
	CHECK_INT(db->nvars, 4);
	CHECK_STR(db->vars[0].name, "namespace");
	CHECK_INT(db->vars[0].nvalues, 3);
	CHECK_STR(db->vars[0].values[2], "dev");
	CHECK_INT(db->vars[0].ncurrent, 1);
	CHECK_STR(db->vars[0].current[0], "prod");
	CHECK(db->vars[1].multi && db->vars[1].include_all);
	CHECK_STR(db->vars[1].all_value, ".+");
	CHECK_INT(db->vars[1].ncurrent, 2);
	CHECK_STR(db->vars[2].current[0], "5m");	/* "default" */
	CHECK_STR(db->vars[3].type, "constant");
	CHECK_STR(db->vars[3].current[0], "eu-west-1");	/* first value */
	CHECK_INT(db->npanels, 7);
	p = panel_titled(db, "Requests ($namespace)");
	if (p) {
		CHECK_INT(p->id, 7);
		CHECK_STR(p->unit, "reqps");
		CHECK_INT(p->decimals, 1);
		CHECK(p->min == 0 && isnan(p->max));
		CHECK_INT(p->refresh, 30 * NS_PER_S);
		CHECK_INT(p->nq, 3);
		CHECK_STR(p->q[0].ref, "A");
		CHECK_STR(p->q[0].legend, "{{service}}");
		CHECK_STR(p->q[1].expr, "sum(rate(requests_total[$window]))");
		CHECK(p->q[1].hide);
		CHECK_STR(p->q[2].expr, "sum(up)");
		CHECK_STR(p->q[2].ref, "C");
		CHECK(p->q[2].cfg == NULL);
		/* thresholds sorted ascending; "color" is an alias of "role" */
		CHECK_INT(p->nth, 2);
		CHECK(p->th[0].value == 50 && p->th[0].role == ROLE_WARN);
		CHECK(p->th[1].value == 100 && p->th[1].role == ROLE_ERROR);
		CHECK(p->x == 0 && p->y == 1 && p->w == 16 && p->h == 8);
		CHECK(p->options != NULL);
		CHECK_INT(p->parent_row, -1);
	}
	p = panel_titled(db, "Saturation");
	if (p)
		CHECK(p->collapsed);
	p = panel_titled(db, "CPU");
	if (p) {
		CHECK_INT(p->parent_row, 3);
		CHECK_STR(p->path, "panels[3].panels[0]");
		CHECK(p->max == 1);
	}
	p = panel_titled(db, "Footer");
	if (p) {
		CHECK_STR(p->description, "description used as content");
		CHECK_INT(p->parent_row, -1);
	}
	CHECK_INT(dashboard_grid_height(db), 16);
	dashboard_free(db);
	diag_free(&dg);
}

TEST(dashboard_auto_grid)
{
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = parse_fixture("dashboards/good/auto_grid.json", "a.json", &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK(db->panels[0].x == 0 && db->panels[0].y == 0 && db->panels[0].w == 12);
	CHECK(db->panels[1].x == 12 && db->panels[1].y == 0);
	CHECK(db->panels[2].x == 0 && db->panels[2].y == 8);
	CHECK(db->panels[3].x == 0 && db->panels[3].y == 16 && db->panels[3].w == 24 &&
	    db->panels[3].h == 1);
	CHECK(db->panels[4].x == 0 && db->panels[4].y == 17);	/* right under the row */
	dashboard_free(db);
	diag_free(&dg);
}

static const char sourced[] =
    "{ \"sources\": {\n"
    "    \"prom\": { \"type\": \"prometheus\", \"url\": \"http://p:9090\", \"tenant\": \"t1\" },\n"
    "    \"k\": { \"type\": \"kubectl\" } },\n"
    "  \"panels\": [ { \"type\": \"graph\", \"source\": \"prom\", \"queries\": [\n"
    "    { \"query\": \"up\" }, { \"query\": \"x\", \"source\": \"k\" } ] } ] }\n";

TEST(dashboard_sources_and_overrides)
{
	struct diag dg;
	struct dashboard *db;
	struct dash_source *s;

	diag_init(&dg);
	db = dashboard_parse(sourced, sizeof sourced - 1, "s.json", &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	CHECK_INT(db->nsrc, 2);
	s = dashboard_source(db, "prom");
	CHECK(s && strcmp(s->type, "prometheus") == 0 && strcmp(s->url, "http://p:9090") == 0);
	CHECK_STR(dash_source_opt(s, "tenant")->valuestring, "t1");
	CHECK(dashboard_source(db, "k")->url == NULL);
	CHECK(dashboard_source(db, "nope") == NULL);
	CHECK_STR(dashboard_query_source(&db->panels[0], 0), "prom");
	CHECK_STR(dashboard_query_source(&db->panels[0], 1), "k");
	/* -p URL replaces the URL of the first source of that type */
	s = dashboard_set_source(db, "prometheus", "prometheus", "http://other:9090");
	CHECK_STR(s->name, "prom");
	CHECK_STR(s->url, "http://other:9090");
	CHECK(s->from_cli);
	/* -l URL adds a source when there is none of that type */
	s = dashboard_set_source(db, "loki", "loki", "http://loki:3100");
	CHECK_INT(db->nsrc, 3);
	CHECK_STR(s->name, "loki");
	/* --context etc. override a source option */
	s = dashboard_source(db, "k");
	dashboard_source_override(s, "context", "prod");
	dashboard_source_override(s, "context", "staging");
	CHECK_STR(dash_source_opt(s, "context")->valuestring, "staging");
	dashboard_free(db);
	diag_free(&dg);
}

/* The corpus: the same diagnostics --check prints (the .err files hold the
 * lines of `scry --check NAME.json` run in that directory; the last line
 * is the summary, which main.c prints). */
TEST(dashboard_broken_corpus)
{
	char **names = golden_list("dashboards/bad", ".json");
	size_t n = 0;

	for (size_t i = 0; names[i]; i++, n++) {
		struct diag dg;
		struct dashboard *db;
		char *rel = xasprintf("dashboards/bad/%s", names[i]), *errf, *want, *got, *nl;
		size_t len;
		int warn_only;

		diag_init(&dg);
		db = parse_fixture(rel, names[i], &dg);
		if (db) {
			sources_check(db, &dg);
			widgets_check(db, &dg);
		}
		errf = xasprintf("dashboards/bad/%.*s.err", (int)strlen(names[i]) - 5, names[i]);
		want = golden_read(errf, &len);
		CHECK(want != NULL);
		if (!want)
			continue;
		warn_only = strstr(want, ": ok (") != NULL;
		/* drop the summary line */
		if (len && want[len - 1] == '\n')
			want[--len] = '\0';
		if ((nl = strrchr(want, '\n')))
			*nl = '\0';
		else
			want[0] = '\0';
		got = diag_join(&dg);
		if (strcmp(got, want) != 0)
			t_fail(__FILE__, __LINE__, "%s:\n# want: %s\n# got:  %s", names[i], want, got);
		/* errors fail the parse or the checks; warnings alone do not */
		if (!warn_only && !dg.nerrors)
			t_fail(__FILE__, __LINE__, "%s: no error reported", names[i]);
		if (warn_only && (dg.nerrors || !db || !dg.n))
			t_fail(__FILE__, __LINE__, "%s: expected warnings only", names[i]);
		free(got);
		free(want);
		free(errf);
		free(rel);
		dashboard_free(db);
		diag_free(&dg);
	}
	CHECK(n >= 30);
	golden_list_free(names);
}

TEST(dashboard_nesting_and_size_limits)
{
	struct diag dg;
	char *deep = xmalloc(5000 * 2 + 64), *p = deep;
	struct dashboard *db;

	/* deeper than cJSON's nesting limit: an error, not a crash */
	p += sprintf(p, "{\"panels\":");
	for (int i = 0; i < 3000; i++)
		*p++ = '[';
	for (int i = 0; i < 3000; i++)
		*p++ = ']';
	*p++ = '}';
	diag_init(&dg);
	db = dashboard_parse(deep, (size_t)(p - deep), "deep.json", &dg);
	CHECK(db == NULL);
	CHECK_CONTAINS(diag_first_error(&dg), "deep.json:1:");
	free(deep);
	diag_free(&dg);
}

TEST(dashboard_bom_and_positions)
{
	static const char t[] = "\xef\xbb\xbf{\n \"title\": 1 }";
	struct diag dg;

	diag_init(&dg);
	CHECK(dashboard_parse(t, sizeof t - 1, "bom.json", &dg) == NULL);
	/* the byte-order mark is not a column */
	CHECK_STR(diag_first_error(&dg), "bom.json:2:11: title: expected a string, got a number");
	diag_free(&dg);
}

static char *
make_tree(const char *name)
{
	char dir[] = "/tmp/scry-dash-XXXXXX", *p;
	FILE *f;

	if (!mkdtemp(dir))
		return NULL;
	p = xasprintf("%s/scry", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/scry/dashboards", dir);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/scry/dashboards/%s.json", dir, name);
	f = fopen(p, "w");
	fputs("{ \"title\": \"from the config dir\", \"panels\": [] }\n", f);
	fclose(f);
	free(p);
	return xstrdup(dir);
}

TEST(dashboard_find_by_name)
{
	char *dir = make_tree("oncall"), *path, *old = getenv("XDG_CONFIG_HOME") ?
	    xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;
	struct diag dg;
	struct dashboard *db;

	CHECK(dir != NULL);
	if (!dir)
		return;
	setenv("XDG_CONFIG_HOME", dir, 1);
	diag_init(&dg);
	path = dashboard_find("oncall", &dg);
	CHECK(path && strstr(path, "/scry/dashboards/oncall.json"));
	free(path);
	db = dashboard_open("oncall", NULL, &dg);
	CHECK(db && strcmp(db->title, "from the config dir") == 0);
	dashboard_free(db);
	/* paths stay paths */
	path = dashboard_find("some/where.json", &dg);
	CHECK_STR(path, "some/where.json");
	free(path);
	path = dashboard_find("where.json", &dg);
	CHECK_STR(path, "where.json");
	free(path);
	CHECK_INT(dg.n, 0);
	path = dashboard_find("absent", &dg);
	CHECK(path == NULL);
	CHECK_CONTAINS(diag_first_error(&dg), "dashboard 'absent' not found");
	CHECK_CONTAINS(diag_first_error(&dg), "/scry/dashboards/absent.json");
	diag_free(&dg);
	path = xasprintf("rm -rf '%s'", dir);
	CHECK_INT(system(path), 0);	// NOLINT(cert-env33-c): a fixed command on the test's own mkdtemp directory
	free(path);
	free(dir);
	if (old)
		setenv("XDG_CONFIG_HOME", old, 1);
	else
		unsetenv("XDG_CONFIG_HOME");
	free(old);
}

TEST(dashboard_bundled_parse)
{
	/* every bundled dashboard parses (source types are checked elsewhere) */
	static const char *const bundled[] = { "incident.json" };
	for (size_t i = 0; i < sizeof bundled / sizeof *bundled; i++) {
		char *rel = xasprintf("../../dashboards/%s", bundled[i]);
		struct diag dg;
		struct dashboard *db;

		diag_init(&dg);
		db = parse_fixture(rel, bundled[i], &dg);
		CHECK(db != NULL);
		CHECK_INT(dg.nerrors, 0);
		if (db)
			widgets_check(db, &dg);
		CHECK_INT(dg.n, 0);
		dashboard_free(db);
		diag_free(&dg);
		free(rel);
	}
}
