/* Unit tests: the JSON pull parser and the Prometheus response parser. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/jpull.h"
#include "core/labeltext.h"
#include "core/xalloc.h"
#include "sources/prom_parse.h"
#include "sources/prom_varq.h"
#include "tests/unit/t.h"

static struct http_resp
resp(long status, const char *ct, const char *body)
{
	struct http_resp r;

	memset(&r, 0, sizeof r);
	r.status = status;
	r.content_type = ct;
	r.body = body;
	r.len = strlen(body);
	return r;
}

#define JSON "application/json"

TEST(jpull_walks_nested_values)
{
	const char *doc = " {\"a\": [1, -2.5e3, true, null, {\"x\":\"y\"}], \"b\\u00e9\": \"\\\"q\\\\\"} ";
	struct jpull j;
	const char *k, *s;
	size_t kn, sn;
	double d;
	int b;

	jp_init(&j, doc, strlen(doc));
	CHECK_INT(jp_obj(&j), 0);
	CHECK_INT(jp_key(&j, &k, &kn), 1);
	CHECK(jp_is(k, kn, "a"));
	CHECK_INT(jp_arr(&j), 0);
	CHECK_INT(jp_elem(&j), 1);
	CHECK_INT(jp_num(&j, &d), 0);
	CHECK(d == 1);
	CHECK_INT(jp_elem(&j), 1);
	CHECK_INT(jp_num(&j, &d), 0);
	CHECK(d == -2500);
	CHECK_INT(jp_elem(&j), 1);
	CHECK_INT(jp_bool(&j, &b), 0);
	CHECK(b == 1);
	CHECK_INT(jp_elem(&j), 1);
	CHECK_INT(jp_skip(&j), 0);
	CHECK_INT(jp_elem(&j), 1);
	CHECK_INT(jp_skip(&j), 0);
	CHECK_INT(jp_elem(&j), 0);
	CHECK_INT(jp_key(&j, &k, &kn), 1);
	CHECK(jp_is(k, kn, "b\xc3\xa9"));
	CHECK_INT(jp_str(&j, &s, &sn), 0);
	CHECK_INT((long long)sn, 3);
	CHECK(memcmp(s, "\"q\\", 3) == 0);
	CHECK_INT(jp_key(&j, &k, &kn), 0);
	CHECK_INT(jp_end(&j), 0);
	jp_free(&j);
}

TEST(jpull_rejects_bad_documents)
{
	static const char *const bad[] = { "{\"a\":1", "{\"a\" 1}", "[1,]x", "[1 2]", "{\"a\":tru}",
		"\"abc", "[1]x", "{\"a\":\"\\u12\"}", "{,}", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct jpull j;
		int r;
		jp_init(&j, bad[i], strlen(bad[i]));
		r = jp_skip(&j);
		if (r == 0)
			r = jp_end(&j);
		if (r != -1)
			t_fail(__FILE__, __LINE__, "accepted bad document %s", bad[i]);
		CHECK(j.msg[0] != '\0');
		jp_free(&j);
	}
}

TEST(jpull_limits_depth_and_decodes_surrogates)
{
	char deep[400];
	struct jpull j;
	const char *s;
	size_t n;
	const char *pair = "\"\\ud83d\\ude00 \\udc00\"";

	memset(deep, '[', 300);
	jp_init(&j, deep, 300);
	CHECK_INT(jp_skip(&j), -1);
	CHECK_CONTAINS(j.msg, "nesting too deep");
	jp_free(&j);
	jp_init(&j, pair, strlen(pair));
	CHECK_INT(jp_str(&j, &s, &n), 0);
	CHECK_INT((long long)n, 8);	/* U+1F600, space, U+FFFD */
	CHECK(memcmp(s, "\xf0\x9f\x98\x80 \xef\xbf\xbd", 8) == 0);
	jp_free(&j);
}

TEST(prom_matrix_with_special_values_and_gaps)
{
	const char *body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"service\":\"cart\",\"x\":\"a\\u003cb\"},\"values\":[[1795659420,\"0.375\"],"
	    "[1795659480,\"NaN\"],[1795659600.5,\"+Inf\"],[1795659660,\"-Inf\"],[1795659720,\"1.5e-3\"]]},"
	    "{\"metric\":{},\"values\":[]}]}}";
	struct http_resp r = resp(200, JSON, body);
	struct prom_out o;
	const struct ev_series_one *s;

	CHECK_INT(prom_parse(&r, PW_QUERY, 1795659000 * NS_PER_S, 1795660000 * NS_PER_S,
	    60 * NS_PER_S, &o), 0);
	CHECK_INT(o.st->state, QS_OK);
	REQUIRE(o.series != NULL);
	CHECK_INT(o.series->rt, RT_MATRIX);
	CHECK_INT((long long)o.series->n, 2);
	s = &o.series->s[0];
	CHECK_STR(labels_get(&s->labels, "x"), "a<b");
	CHECK_INT((long long)s->n, 5);
	CHECK(s->v[0] == 0.375);
	CHECK(isnan(s->v[1]));
	CHECK(isinf(s->v[2]) && s->v[2] > 0);
	CHECK_INT(s->t[2], 1795659600500LL * NS_PER_MS);
	CHECK(isinf(s->v[3]) && s->v[3] < 0);
	CHECK(s->v[4] == 0.0015);
	/* the gap between 1795659480 and 1795659600 is missing points, not zeros */
	CHECK_INT(s->t[1], 1795659480LL * NS_PER_S);
	CHECK_INT(o.series->step, 60 * NS_PER_S);
	prom_out_free(&o);
}

TEST(prom_vector_scalar_string)
{
	struct http_resp r = resp(200, "application/json; charset=utf-8",
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[1704067200,\"1\"]}]}}");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 1704067200 * NS_PER_S, 0, &o), 0);
	CHECK_INT(o.series->rt, RT_VECTOR);
	CHECK_INT(o.series->start, 1704067200 * NS_PER_S);
	CHECK_INT(o.series->end, 1704067200 * NS_PER_S);
	CHECK_STR(labels_get(&o.series->s[0].labels, "job"), "a");
	CHECK(o.series->s[0].v[0] == 1);
	prom_out_free(&o);

	r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1704067200.5,\"2\"]}}");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 1704067200 * NS_PER_S, 0, &o), 0);
	CHECK_INT(o.series->rt, RT_SCALAR);
	CHECK_INT((long long)o.series->n, 1);
	CHECK(o.series->s[0].v[0] == 2);
	prom_out_free(&o);

	/* result before resultType, and a string result */
	r = resp(200, JSON, "{\"data\":{\"result\":[1704067200,\"hello\"],\"resultType\":\"string\"},\"status\":\"success\"}");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 1704067200 * NS_PER_S, 0, &o), 0);
	CHECK_INT(o.series->rt, RT_STRING);
	CHECK_STR(o.series->s[0].text, "hello");
	CHECK(isnan(o.series->s[0].v[0]));
	prom_out_free(&o);
}

TEST(prom_warnings_and_infos_reach_the_status)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"warnings\":[\"store s1 unavailable\"],"
	    "\"infos\":[\"PromQL info: metric might not be a counter\"],"
	    "\"data\":{\"resultType\":\"vector\",\"result\":[]},\"unknown\":{\"deep\":[1,2]}}");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), 0);
	CHECK_INT((long long)o.st->nwarn, 2);
	CHECK_STR(o.st->warnings[0], "store s1 unavailable");
	CHECK_STR(o.st->warnings[1], "info: PromQL info: metric might not be a counter");
	CHECK_INT((long long)o.series->n, 0);
	prom_out_free(&o);
}

TEST(prom_error_envelopes_are_verbatim)
{
	struct http_resp r = resp(400, JSON, "{\"status\":\"error\",\"errorType\":\"bad_data\","
	    "\"error\":\"invalid parameter \\\"query\\\": 1:18: parse error: unclosed left parenthesis\"}");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_INT(o.st->state, QS_ERROR);
	CHECK_INT(o.st->http, 400);
	CHECK_STR(o.st->error, "bad_data: invalid parameter \"query\": 1:18: parse error: unclosed left parenthesis");
	CHECK(o.series == NULL);
	prom_out_free(&o);

	r = resp(422, JSON, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-one matching must be explicit\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_STR(o.st->error, "execution: many-to-one matching must be explicit");
	CHECK(o.series == NULL);
	prom_out_free(&o);

	r = resp(503, JSON, "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_INT(o.st->http, 503);
	CHECK_STR(o.st->error, "timeout: query timed out in expression evaluation");
	prom_out_free(&o);
}

TEST(prom_non_json_bodies_show_one_line)
{
	struct http_resp r = resp(401, "text/plain; charset=utf-8", "Unauthorized\n");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_INT(o.st->http, 401);
	CHECK_CONTAINS(o.st->error, "Unauthorized");
	CHECK_CONTAINS(o.st->error, "basic_auth");
	prom_out_free(&o);

	r = resp(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>\n<h1>nginx</h1></body></html>");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_STR(o.st->error, "502 Bad Gateway");
	prom_out_free(&o);

	r = resp(200, "text/html", "<!doctype html><title>Sign in - corp SSO</title>");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_STR(o.st->error, "expected JSON, got text/html: Sign in - corp SSO");
	prom_out_free(&o);

	r = resp(404, "text/plain", "404 page not found\n");
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, 0, &o), -1);
	CHECK_CONTAINS(o.st->error, "404 page not found");
	CHECK_CONTAINS(o.st->error, "path_prefix");
	prom_out_free(&o);
}

TEST(prom_truncated_and_oversized_answers_fail_cleanly)
{
	const char *full = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"a\":\"b\\\"c\"},\"values\":[[1,\"1\"],[2,\"NaN\"]]}]},\"warnings\":[\"w\"]}";
	size_t n = strlen(full);
	struct http_resp r = resp(200, JSON, full);
	struct prom_out o;

	/* every proper prefix is an error with a message; the whole parses */
	for (size_t cut = 0; cut < n; cut++) {
		r.len = cut;
		if (prom_parse(&r, PW_QUERY, 0, 3 * NS_PER_S, NS_PER_S, &o) != -1 || !o.st->error ||
		    o.series)
			t_fail(__FILE__, __LINE__, "prefix of %zu bytes not rejected", cut);
		prom_out_free(&o);
	}
	r.len = 40;
	prom_parse(&r, PW_QUERY, 0, 3 * NS_PER_S, NS_PER_S, &o);
	CHECK_CONTAINS(o.st->error, "truncated JSON");
	prom_out_free(&o);
	r.len = n;
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 3 * NS_PER_S, NS_PER_S, &o), 0);
	prom_out_free(&o);

	r.too_large = 1;
	r.error = "response larger than 1 MiB: aborted (raise max_bytes if this is expected)";
	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 3 * NS_PER_S, NS_PER_S, &o), -1);
	CHECK_CONTAINS(o.st->error, "larger than 1 MiB");
	prom_out_free(&o);
}

TEST(prom_rules_give_alerts_with_expressions)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\","
	    "\"rules\":[{\"state\":\"firing\",\"name\":\"PaymentOverflow\",\"query\":\"rate(x[1m]) > 1\","
	    "\"labels\":{\"severity\":\"critical\"},\"annotations\":{\"summary\":\"pool full\"},"
	    "\"alerts\":[{\"labels\":{\"alertname\":\"PaymentOverflow\",\"severity\":\"critical\",\"svc\":\"payment\"},"
	    "\"annotations\":{\"summary\":\"pool full\"},\"state\":\"firing\",\"activeAt\":\"2026-11-26T02:18:00.5Z\","
	    "\"value\":\"9.2e+01\"}],\"health\":\"ok\",\"type\":\"alerting\"},"
	    "{\"name\":\"job:up\",\"query\":\"sum(up)\",\"type\":\"recording\"}]}]}}");
	struct prom_out o;
	const struct alert *a;

	CHECK_INT(prom_parse(&r, PW_ALERTS, 0, 0, 0, &o), 0);
	CHECK_INT((long long)o.alerts->n, 1);
	a = &o.alerts->a[0];
	CHECK_STR(a->state, "firing");
	CHECK_STR(a->expr, "rate(x[1m]) > 1");
	CHECK_STR(labels_get(&a->labels, "svc"), "payment");
	CHECK_STR(labels_get(&a->annotations, "summary"), "pool full");
	CHECK_INT(a->active_at, 1795659480500LL * NS_PER_MS);
	CHECK(a->value == 92);
	CHECK_INT((long long)o.rules->n, 1);	/* the recording rule is not an alert */
	CHECK_STR(labels_get(&o.rules->a[0].labels, "alertname"), "PaymentOverflow");
	prom_out_free(&o);

	r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":{\"alertname\":\"A\"},"
	    "\"state\":\"pending\",\"activeAt\":\"0001-01-01T00:00:00Z\",\"value\":\"1e+00\"}]}}");
	CHECK_INT(prom_parse(&r, PW_ALERTS, 0, 0, 0, &o), 0);
	CHECK_INT((long long)o.alerts->n, 1);
	CHECK_STR(o.alerts->a[0].state, "pending");
	CHECK(o.alerts->a[0].active_at == TNS_NONE);
	CHECK(o.alerts->a[0].expr == NULL);
	prom_out_free(&o);
}

TEST(prom_alerts_from_series_join_state_and_age)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"P\",\"alertstate\":\"firing\",\"severity\":\"critical\"},\"value\":[100,\"1\"]},"
	    "{\"metric\":{\"__name__\":\"ALERTS_FOR_STATE\",\"alertname\":\"P\",\"severity\":\"critical\"},\"value\":[100,\"1795659480\"]},"
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"Q\",\"alertstate\":\"pending\"},\"value\":[100,\"1\"]},"
	    "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"P\",\"alertstate\":\"pending\",\"severity\":\"critical\"},\"value\":[100,\"1\"]}]}}");
	struct prom_out o;
	struct ev_alerts rules, *e;
	struct alert ra;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 100 * NS_PER_S, 0, &o), 0);
	memset(&ra, 0, sizeof ra);
	labels_set(&ra.labels, "alertname", "P");
	labels_finish(&ra.labels);
	ra.expr = (char *)"x > 1";
	rules.a = &ra;
	rules.n = 1;
	e = prom_alerts_from_series(o.series, &rules);
	CHECK_INT((long long)e->n, 2);	/* P's stale pending twin is dropped */
	CHECK_STR(e->a[0].state, "firing");
	CHECK_INT(e->a[0].active_at, 1795659480LL * NS_PER_S);
	CHECK_STR(e->a[0].expr, "x > 1");
	CHECK(labels_get(&e->a[0].labels, "alertstate") == NULL);
	CHECK_STR(e->a[1].state, "pending");
	CHECK(e->a[1].active_at == TNS_NONE);
	ev_alerts_free(e);
	labels_free(&ra.labels);
	prom_out_free(&o);
}

TEST(prom_exemplars_strings_buildinfo)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"service\":\"order\"},"
	    "\"exemplars\":[{\"labels\":{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"},\"value\":\"8.41\",\"timestamp\":1795659462.25}]}]}");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_EXEMPLARS, 0, 0, 0, &o), 0);
	CHECK_INT((long long)o.ex->n, 1);
	CHECK_STR(exemplar_trace_id(&o.ex->e[0]), "4bf92f3577b34da6a3ce929d0e0e4736");
	CHECK_STR(labels_get(&o.ex->e[0].series, "service"), "order");
	CHECK(o.ex->e[0].value == 8.41);
	CHECK_INT(o.ex->e[0].t, 1795659462250LL * NS_PER_MS);
	prom_out_free(&o);

	r = resp(200, JSON, "{\"status\":\"success\",\"data\":[\"cart\",\"order\",\"cart\",7]}");
	CHECK_INT(prom_parse(&r, PW_STRINGS, 0, 0, 0, &o), 0);
	CHECK_INT((long long)o.values->n, 2);
	CHECK_STR(o.values->v[1], "order");
	prom_out_free(&o);

	r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0+ds\",\"goVersion\":\"go1.19.8\"}}");
	CHECK_INT(prom_parse(&r, PW_BUILDINFO, 0, 0, 0, &o), 0);
	CHECK_STR(o.version, "2.42.0+ds");
	prom_out_free(&o);
}

/* /api/v1/series (and Loki's /series): label sets as exact text */
TEST(prom_series_answers_are_label_texts)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":["
	    "{\"__name__\":\"istio_requests_total\",\"destination_service_name\":\"order\",\"response_code\":\"503\"},"
	    "{\"app\":\"we\\\"ird\\n},x=\\\\y\"}, 7, {\"a\":1}]}");
	struct prom_out o;
	struct labelset ls;

	CHECK_INT(prom_parse(&r, PW_LABELSETS, 0, 0, 0, &o), 0);
	CHECK_INT((long long)o.values->n, 3);
	CHECK_STR(o.values->v[0], "{__name__=\"istio_requests_total\",destination_service_name=\"order\","
	    "response_code=\"503\"}");
	CHECK_STR(o.values->v[1], "{app=\"we\\\"ird\\n},x=\\\\y\"}");
	CHECK_STR(o.values->v[2], "{}");	/* non-string values are not labels */
	/* back to the same label set, whatever the value holds */
	CHECK_INT(labeltext_parse(o.values->v[1], strlen(o.values->v[1]), &ls), 0);
	CHECK_INT(ls.n, 1);
	CHECK_STR(labels_get(&ls, "app"), "we\"ird\n},x=\\y");
	labels_free(&ls);
	CHECK_INT(labeltext_parse(o.values->v[0], strlen(o.values->v[0]), &ls), 0);
	CHECK_STR(labels_get(&ls, "response_code"), "503");
	labels_free(&ls);
	prom_out_free(&o);
	/* the parser refuses anything the formatter would not write */
	static const char *const bad[] = { "", "{", "{a=\"b\"", "{a=b}", "{=\"b\"}", "{a=\"b\",}",
		"{a=\"b\\x\"}", "{a=\"b\"c=\"d\"}", "{1a=\"b\"}", "x{a=\"b\"}", NULL };
	for (size_t i = 0; bad[i]; i++) {
		CHECK_INT(labeltext_parse(bad[i], strlen(bad[i]), &ls), -1);
		CHECK_INT(ls.n, 0);
	}
	r = resp(400, JSON, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}");
	CHECK_INT(prom_parse(&r, PW_LABELSETS, 0, 0, 0, &o), -1);
	CHECK_STR(o.st->error, "bad_data: no match[] parameter provided");
	prom_out_free(&o);
	r = resp(400, "text/plain; charset=utf-8", "0 matcher groups supplied\n");	/* Loki */
	CHECK_INT(prom_parse(&r, PW_LABELSETS, 0, 0, 0, &o), -1);
	CHECK_STR(o.st->error, "0 matcher groups supplied");
	prom_out_free(&o);
}

TEST(prom_native_histograms_are_counted_not_drawn)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"a\":\"b\"},\"histograms\":[[1,{\"count\":\"2\",\"sum\":\"3\",\"buckets\":[[0,\"0\",\"1\",\"2\"]]}]]}]}}");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, NS_PER_S, NS_PER_S, &o), 0);
	CHECK_INT((long long)o.series->n, 0);
	CHECK_INT((long long)o.st->nwarn, 1);
	CHECK_CONTAINS(o.st->warnings[0], "native-histogram");
	prom_out_free(&o);
}

static int
skip_raw(const char *doc, size_t *off)
{
	struct jpull j;
	int r;

	jp_init(&j, doc, strlen(doc));
	r = jp_skip_raw(&j);
	*off = j.off;
	jp_free(&j);
	return r;
}

TEST(jpull_skip_raw_checks_structure_only)
{
	char deep[400];
	size_t off;

	CHECK_INT(skip_raw(" {\"a\": [1, {\"b\": \"]}\\\"[\"}], \"c\": tru} ,9", &off), 0);
	CHECK_INT((long long)off, 37);		/* after the object: tokens are not checked */
	CHECK_INT(skip_raw("[[],{}]x", &off), 0);
	CHECK_INT((long long)off, 7);
	CHECK_INT(skip_raw("[\"\\\\\", \"]\"]x", &off), 0);	/* ["\\", "]"]: an even run ends the string */
	CHECK_INT((long long)off, 11);
	CHECK_INT(skip_raw("[\"a\\\\\\\"]\", 1]x", &off), 0);	/* ["a\\\"]", 1]: an odd run escapes */
	CHECK_INT((long long)off, 13);
	CHECK_INT(skip_raw("{\"a\":[}", &off), -1);	/* mismatched */
	CHECK_INT(skip_raw("{\"a\":\"}", &off), -1);	/* unterminated string */
	CHECK_INT(skip_raw("[[", &off), -1);
	CHECK_INT(skip_raw("\"x\" ", &off), 0);		/* a scalar: jp_skip */
	CHECK_INT(skip_raw("nul", &off), -1);
	memset(deep, '[', 200);
	memset(deep + 200, ']', 199);
	deep[399] = '\0';
	CHECK_INT(skip_raw(deep, &off), -1);		/* deeper than JP_DEPTH_MAX */
}

TEST(prom_max_series_keeps_the_first_and_counts_the_rest)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"i\":\"0\"},\"values\":[[1,\"1\"]]},{\"metric\":{\"i\":\"1\"},\"values\":[[1,\"2\"]]},"
	    "{\"metric\":{\"i\":\"2\"},\"values\":[[1,\"3\"]]},{\"metric\":{\"i\":\"3\"},\"values\":[[1,\"4\"]]},"
	    "{\"metric\":{\"i\":\"4\"},\"values\":[[1,\"5\"]]}]}}");
	struct prom_out o;

	CHECK_INT(prom_parse_max(&r, PW_QUERY, 0, NS_PER_S, NS_PER_S, 2, &o), 0);
	CHECK_INT((long long)o.series->n, 2);
	CHECK_INT((long long)o.dropped_series, 3);
	CHECK(o.series->n == 2 && o.series->s[1].v[0] == 2);
	CHECK_INT((long long)o.st->nwarn, 1);
	if (o.st->nwarn)
		CHECK_STR(o.st->warnings[0], "showing the first 2 of 5 series (the source's max_series)");
	prom_out_free(&o);
	/* a malformed series after the cap is still an error: it is skipped, not trusted */
	r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{},\"values\":[[1,\"1\"]]},{\"metric\":{\"a\":]}]}}");
	CHECK_INT(prom_parse_max(&r, PW_QUERY, 0, NS_PER_S, NS_PER_S, 1, &o), -1);
	prom_out_free(&o);
	/* 0: no limit */
	r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{},\"value\":[1,\"1\"]},{\"metric\":{\"a\":\"b\"},\"value\":[1,\"2\"]}]}}");
	CHECK_INT(prom_parse_max(&r, PW_QUERY, 0, NS_PER_S, NS_PER_S, 0, &o), 0);
	CHECK_INT((long long)o.series->n, 2);
	CHECK_INT((long long)o.st->nwarn, 0);
	prom_out_free(&o);
}

TEST(values_event_round_trip_and_variable_queries)
{
	struct ev_values *v = ev_values_new(), *w;
	struct event *ev, *back;
	struct buf b;
	struct rd r;
	struct prom_varq q;
	char *err = NULL;

	ev_values_add(v, "order", 5);
	ev_values_add(v, "cart", 4);
	ev_values_add(v, "order", 5);
	ev_values_finish(v, 1);
	CHECK_INT((long long)v->n, 2);
	CHECK_STR(v->v[0], "cart");
	ev = event_new(EV_VALUES, 7, "p\x1fvalues\x1flabel_values(service)", v);
	buf_init(&b, 1 << 16);
	CHECK_INT(event_encode(ev, &b), 0);
	rd_init(&r, b.data, b.len);
	back = event_decode(&r, &err);
	REQUIRE(back != NULL);
	w = back->p;
	CHECK_INT(back->kind, EV_VALUES);
	CHECK_INT((long long)w->n, 2);
	CHECK_STR(w->v[1], "order");
	event_free(back);
	event_free(ev);
	buf_free(&b);

	CHECK_INT(prom_varq_parse("label_values(up{job=\"a,b\", x=~\"(c|d)\"}, instance)", &q, &err), 0);
	CHECK_INT(q.kind, PVQ_LABEL_VALUES);
	CHECK_STR(q.match, "up{job=\"a,b\", x=~\"(c|d)\"}");
	CHECK_STR(q.label, "instance");
	prom_varq_free(&q);
	CHECK_INT(prom_varq_parse(" label_values(service) ", &q, &err), 0);
	CHECK(q.match == NULL);
	CHECK_STR(q.label, "service");
	prom_varq_free(&q);
	CHECK_INT(prom_varq_parse("metrics(/^istio_.*/)", &q, &err), 0);
	CHECK_STR(q.arg, "^istio_.*");
	prom_varq_free(&q);
	CHECK_INT(prom_varq_parse("label_values(up, bad-name)", &q, &err), -1);
	CHECK_CONTAINS(err, "not a label name");
	free(err);
	CHECK_INT(prom_varq_parse("up", &q, &err), -1);
	CHECK_CONTAINS(err, "label_values");
	free(err);
}

TEST(prom_timestamps_exact_in_milliseconds)
{
	struct http_resp r = resp(200, JSON, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{},\"values\":[[1795688285.766,\"1\"],[\"1795688286.5\",\"2\"],[1.7956882870e9,\"3\"],[-1.5,\"4\"]]}]}}");
	struct prom_out o;

	CHECK_INT(prom_parse(&r, PW_QUERY, 0, 1795688300LL * NS_PER_S, NS_PER_S, &o), 0);
	CHECK_INT(o.series->s[0].t[0], 1795688285766LL * NS_PER_MS);
	CHECK_INT(o.series->s[0].t[1], 1795688286500LL * NS_PER_MS);
	CHECK_INT(o.series->s[0].t[2], 1795688287000LL * NS_PER_MS);
	CHECK_INT(o.series->s[0].t[3], -1500LL * NS_PER_MS);
	prom_out_free(&o);
}

/* A deterministic mini-fuzz: byte flips, insertions and cuts of valid
 * answers of every kind must parse or fail cleanly (run under ASan by
 * `make asan`); the parser is pure, so this is all of its input. */
TEST(prom_parse_survives_mutations)
{
	static const char *const bodies[] = {
		"{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"b\\u00e9\"},"
		"\"values\":[[1,\"1\"],[2.5,\"NaN\"],[3,\"+Inf\"]]}]},\"warnings\":[\"w\"],\"infos\":[\"i\"]}",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}",
		"{\"status\":\"success\",\"data\":{\"groups\":[{\"rules\":[{\"name\":\"A\",\"query\":\"x>1\",\"type\":\"alerting\","
		"\"alerts\":[{\"labels\":{\"alertname\":\"A\"},\"state\":\"firing\",\"activeAt\":\"2026-11-26T02:17:00Z\",\"value\":\"1e+00\"}]}]}]}}",
		"{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"s\":\"o\"},\"exemplars\":[{\"labels\":{\"trace_id\":\"x\"},\"value\":\"1\",\"timestamp\":1.5}]}]}",
		"{\"status\":\"success\",\"data\":[\"a\",\"b\"]}",
		"{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}",
	};
	static const enum prom_what whats[] = { PW_QUERY, PW_QUERY, PW_ALERTS, PW_EXEMPLARS, PW_STRINGS, PW_QUERY };
	static const char noise[] = "{}[]\",:\\u0009e-+.01NaInf \x80\xff";
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	int ok = 0, failed = 0;

	for (int it = 0; it < 6000; it++) {
		const char *src = bodies[it % 6];
		size_t n = strlen(src), len = n;
		char *b = xmalloc(n + 8);
		struct http_resp r;
		struct prom_out o;
		memcpy(b, src, n);
		for (int k = 0; k < 1 + it % 4; k++) {
			size_t pos;
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			pos = (size_t)(rng % len);
			switch ((rng >> 32) % 3) {
			case 0:
				b[pos] = noise[(rng >> 40) % (sizeof noise - 1)];
				break;
			case 1:
				len = pos;	/* cut */
				break;
			default:
				if (len < n + 7) {	/* insert */
					memmove(b + pos + 1, b + pos, len - pos);
					b[pos] = noise[(rng >> 40) % (sizeof noise - 1)];
					len++;
				}
			}
			if (!len)
				break;
		}
		r = resp(200, JSON, "");
		r.body = b;
		r.len = len;
		if (prom_parse(&r, whats[it % 6], 0, 10 * NS_PER_S, NS_PER_S, &o) == 0)
			ok++;
		else {
			failed++;
			CHECK(o.st->error && *o.st->error);
		}
		prom_out_free(&o);
		free(b);
	}
	CHECK(ok > 100 && failed > 1000);	/* both paths were exercised */
}
