/* Variable expansion: Grafana's syntaxes and formats, All, time variables. */
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/template.h"
#include "tests/unit/t.h"

static const char dash[] =
    "{\"variables\": [\n"
    " {\"name\": \"svc\", \"type\": \"custom\", \"values\": [\"a.b\", \"c\"], \"current\": [\"a.b\", \"c\"],"
    "  \"multi\": true},\n"
    " {\"name\": \"one\", \"type\": \"custom\", \"values\": [\"x.y\"]},\n"
    " {\"name\": \"all\", \"type\": \"custom\", \"values\": [\"p\", \"q\"], \"current\": [\"$__all\"],"
    "  \"multi\": true, \"include_all\": true},\n"
    " {\"name\": \"allv\", \"type\": \"custom\", \"values\": [\"p\"], \"current\": [\"$__all\"],"
    "  \"include_all\": true, \"all_value\": \"prod-.*\"},\n"
    " {\"name\": \"q\", \"type\": \"textbox\", \"current\": [\"it's \\\"x\\\"\"]},\n"
    " {\"name\": \"empty\", \"type\": \"textbox\", \"current\": [\"\"]}\n"
    "], \"panels\": []}";

static void
expect(const struct dashboard *db, const char *in, const char *out)
{
	char *e = tmpl_expand(in, db, NULL);
	CHECK_STR(e, out);
	free(e);
}

TEST(template_formats)
{
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = dashboard_parse(dash, strlen(dash), "t.json", &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	expect(db, "x=~\"$svc\"", "x=~\"(a\\.b|c)\"");
	expect(db, "${svc}", "(a\\.b|c)");
	expect(db, "[[svc]]", "(a\\.b|c)");
	expect(db, "${svc:raw}", "a.b,c");
	expect(db, "${svc:csv}", "a.b,c");
	expect(db, "${svc:pipe}", "a.b|c");
	expect(db, "${svc:glob}", "{a.b,c}");
	expect(db, "${svc:json}", "[\"a.b\",\"c\"]");
	expect(db, "${svc:singlequote}", "'a.b','c'");
	expect(db, "${svc:doublequote}", "\"a.b\",\"c\"");
	expect(db, "${svc:sqlstring}", "'a.b','c'");
	expect(db, "${svc:lucene}", "(\"a.b\" OR \"c\")");
	expect(db, "${svc:queryparam}", "var-svc=a.b&var-svc=c");
	expect(db, "${svc:text}", "a.b + c");
	expect(db, "$one", "x.y");		/* single value: raw */
	expect(db, "${one:regex}", "x\\.y");
	expect(db, "${one:json}", "\"x.y\"");
	expect(db, "${q:singlequote}", "'it\\'s \"x\"'");
	expect(db, "${q:json}", "\"it's \\\"x\\\"\"");
	expect(db, "${q:percentencode}", "it's%20%22x%22");
	expect(db, "${q:sqlstring}", "'it''s \"x\"'");
	expect(db, "=~\"$all\"", "=~\"(p|q)\"");	/* All: every known value (Grafana) */
	expect(db, "${all:csv}", "p,q");	/* All in a list format: every known value */
	expect(db, "${allv}", "prod-.*");	/* a custom all value as written */
	expect(db, "${allv:csv}", "prod-.*");
	expect(db, "|= \"$empty\"", "|= \"\"");
	expect(db, "$unknown ${nope} [[nada]]", "$unknown ${nope} [[nada]]");
	expect(db, "$svcx", "$svcx");		/* not a prefix match */
	dashboard_free(db);
	diag_free(&dg);
}

TEST(template_time_variables)
{
	struct tmpl_time tt = { .interval = 30 * NS_PER_S, .scrape = 15 * NS_PER_S,
		.range = 6 * 3600 * NS_PER_S };
	char *e;

	e = tmpl_expand("rate(x[$__rate_interval]) [$__interval] ${__range} $__range_s $__interval_ms",
	    NULL, &tt);
	/* Grafana: max(interval + scrape, 4 * scrape) = max(45s, 60s) */
	CHECK_STR(e, "rate(x[1m]) [30s] 6h 21600 30000");
	free(e);
	tt.interval = 5 * 60 * NS_PER_S;
	e = tmpl_expand("[$__rate_interval]", NULL, &tt);
	CHECK_STR(e, "[315s]");
	free(e);
	/* without an interval the time variables stay (query keys keep them) */
	e = tmpl_expand("rate(x[$__rate_interval])", NULL, NULL);
	CHECK_STR(e, "rate(x[$__rate_interval])");
	free(e);
}
