/* Unit tests: template expansion (Grafana variable syntax and formats,
 * multi-value and All, time variables). */
#include <stdlib.h>

#include "core/dashboard.h"
#include "core/template.h"
#include "tests/unit/t.h"

static const char vars[] =
    "{ \"variables\": ["
    " { \"name\": \"ns\", \"values\": \"prod,dev\", \"current\": \"prod\" },"
    " { \"name\": \"svc\", \"multi\": true, \"values\": [\"cart\", \"pay.v2\", \"ship\"],"
    "   \"current\": [\"cart\", \"pay.v2\"] },"
    " { \"name\": \"one\", \"multi\": true, \"values\": [\"a+b\"] },"
    " { \"name\": \"all\", \"include_all\": true, \"values\": [\"x\", \"y\"], \"current\": \"All\" },"
    " { \"name\": \"allv\", \"include_all\": true, \"all_value\": \".+\", \"current\": \"$__all\" },"
    " { \"name\": \"allq\", \"type\": \"query\", \"query\": \"label_values(up, job)\","
    "   \"include_all\": true, \"current\": \"All\" },"
    " { \"name\": \"q\", \"values\": [\"it's \\\"x\\\"\"] }"
    "], \"panels\": [] }";

static struct dashboard *db;

static void
open_db(void)
{
	struct diag dg;

	diag_init(&dg);
	db = dashboard_parse(vars, sizeof vars - 1, "v.json", &dg);
	if (!db)
		t_fail(__FILE__, __LINE__, "%s", diag_first_error(&dg));
	diag_free(&dg);
}

#define EXPANDS(in, want) do { char *_o = tmpl_expand(in, db, NULL); CHECK_STR(_o, want); free(_o); } while (0)

TEST(template_forms)
{
	open_db();
	EXPANDS("up{ns=\"$ns\"}", "up{ns=\"prod\"}");
	EXPANDS("${ns}-x", "prod-x");
	EXPANDS("[[ns]]", "prod");
	EXPANDS("$nsx", "$nsx");			/* another (unknown) name */
	EXPANDS("$unknown and ${nope}", "$unknown and ${nope}");
	EXPANDS("cost $5 and $", "cost $5 and $");
	EXPANDS("${ns", "${ns");			/* unclosed */
	EXPANDS("[[ns", "[[ns");
	EXPANDS("$__interval stays", "$__interval stays");	/* no time given */
	dashboard_free(db);
}

TEST(template_multi_value_formats)
{
	open_db();
	EXPANDS("$svc", "(cart|pay\\.v2)");		/* multi: regex by default */
	EXPANDS("${svc:regex}", "(cart|pay\\.v2)");
	EXPANDS("${svc:pipe}", "cart|pay.v2");
	EXPANDS("${svc:csv}", "cart,pay.v2");
	EXPANDS("${svc:raw}", "cart,pay.v2");	/* Grafana: raw joins with commas */
	EXPANDS("${svc:glob}", "{cart,pay.v2}");
	EXPANDS("${svc:json}", "[\"cart\",\"pay.v2\"]");
	EXPANDS("${svc:singlequote}", "'cart','pay.v2'");
	EXPANDS("${svc:doublequote}", "\"cart\",\"pay.v2\"");
	EXPANDS("${svc:text}", "cart + pay.v2");
	EXPANDS("${svc:queryparam}", "var-svc=cart&var-svc=pay.v2");
	EXPANDS("[[svc:pipe]]", "cart|pay.v2");
	/* a multi variable with one value: escaped, no parentheses */
	EXPANDS("$one", "a\\+b");
	EXPANDS("${one:raw}", "a+b");
	/* a single value is raw by default */
	EXPANDS("${ns:regex}", "prod");
	EXPANDS("${ns:json}", "\"prod\"");	/* a single value: JSON.stringify of a string */
	EXPANDS("${q:json}", "\"it's \\\"x\\\"\"");
	dashboard_free(db);
}

TEST(template_all)
{
	open_db();
	EXPANDS("$all", "(x|y)");			/* every known value */
	EXPANDS("${all:csv}", "x,y");
	EXPANDS("$allv", ".+");				/* the variable's all_value */
	EXPANDS("$allq", ".*");				/* values unknown: match anything */
	dashboard_free(db);
}

TEST(template_time_variables)
{
	struct tmpl_time t = { .interval = 30 * NS_PER_S, .scrape = 15 * NS_PER_S,
	    .range = 3600 * NS_PER_S };
	char *o;

	o = tmpl_expand("rate(x[$__interval]) $__interval_ms ${__range} $__range_s $__range_ms "
	    "[$__rate_interval]", NULL, &t);
	CHECK_STR(o, "rate(x[30s]) 30000 1h 3600 3600000 [1m]");
	free(o);
	/* $__rate_interval = max(interval + scrape, 4 x scrape) */
	CHECK_INT(tmpl_rate_interval(30 * NS_PER_S, 15 * NS_PER_S), 60 * NS_PER_S);
	CHECK_INT(tmpl_rate_interval(5 * 60 * NS_PER_S, 15 * NS_PER_S), 315 * NS_PER_S);
	CHECK_INT(tmpl_rate_interval(NS_PER_S, 0), 60 * NS_PER_S);	/* default scrape 15s */
	t.interval = 90 * NS_PER_S;
	o = tmpl_expand("$__interval $__rate_interval $__unknown", NULL, &t);
	CHECK_STR(o, "90s 105s $__unknown");
	free(o);
	t.interval = 0;					/* interval 0: left as written */
	o = tmpl_expand("$__interval", NULL, &t);
	CHECK_STR(o, "$__interval");
	free(o);
	CHECK(tmpl_has_time_vars("rate(x[$__rate_interval])"));
	CHECK(tmpl_has_time_vars("${__range}"));
	CHECK(!tmpl_has_time_vars("rate(x[5m])"));
}

TEST(template_is_bounded)
{
	char *big = malloc(2 << 20), *o;

	memset(big, 'a', (2 << 20) - 1);
	big[(2 << 20) - 1] = '\0';
	o = tmpl_expand(big, NULL, NULL);
	CHECK(strlen(o) <= 1 << 20);			/* EXPAND_MAX */
	free(o);
	free(big);
}
