/* Unit tests: template variables as Grafana defines them. */
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/template.h"
#include "tests/unit/t.h"

TEST(template_time_variables_follow_grafana)
{
	struct tmpl_time t = { .interval = 30 * NS_PER_S, .scrape = 15 * NS_PER_S, .range = 3600 * NS_PER_S };
	char *s = tmpl_expand("rate(x[$__rate_interval]) $__interval $__interval_ms $__range $__range_s "
	    "${__range_ms}", NULL, &t);

	/* $__rate_interval = max($__interval + scrape, 4 x scrape) = max(45s, 60s) */
	CHECK_STR(s, "rate(x[1m]) 30s 30000 1h 3600 3600000");
	free(s);
	t.interval = 120 * NS_PER_S;
	s = tmpl_expand("$__rate_interval", NULL, &t);
	CHECK_STR(s, "135s");	/* 120 + 15 */
	free(s);
	CHECK(tmpl_has_time_vars("x[$__rate_interval]"));
	CHECK(!tmpl_has_time_vars("x[5m]"));
	/* without a time context, time variables stay as written (query keys) */
	s = tmpl_expand("x[$__rate_interval]", NULL, NULL);
	CHECK_STR(s, "x[$__rate_interval]");
	free(s);
}

TEST(template_dashboard_variables_regex_and_text)
{
	const char *doc = "{\"variables\":[{\"name\":\"svc\",\"values\":[\"a.b\",\"c\"],\"current\":[\"a.b\",\"c\"],"
	    "\"multi\":true,\"include_all\":true},{\"name\":\"all\",\"values\":[\"x\"],\"current\":\"$__all\","
	    "\"include_all\":true}],\"panels\":[]}";
	struct diag dg;
	struct dashboard *db;
	char *s;

	diag_init(&dg);
	db = dashboard_parse(doc, strlen(doc), "t", &dg);
	CHECK(db != NULL);
	s = tmpl_expand("x{svc=~\"$svc\",a=~\"$all\"}", db, NULL);
	CHECK_STR(s, "x{svc=~\"(a\\.b|c)\",a=~\"x\"}");	/* All: the known values */
	free(s);
	s = tmpl_expand_text("P99 ($svc) of $all", db);
	CHECK_STR(s, "P99 (a.b + c) of All");
	free(s);
	dashboard_free(db);
	diag_free(&dg);
}
