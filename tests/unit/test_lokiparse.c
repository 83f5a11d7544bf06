/* Unit tests: Loki body parsers (tail frames, query_range streams and
 * matrices, errors, escapes, hostile input). */
#include <stdlib.h>
#include <string.h>

#include "core/logs.h"
#include "core/logstore.h"
#include "core/series.h"
#include "sources/lokiparse.h"
#include "tests/unit/t.h"

#define S(x) x, sizeof(x) - 1

static char *
line(const struct ev_logs *e, size_t i)
{
	return strndup(e->text + e->e[i].off, e->e[i].len);
}

TEST(lokiparse_tail_frame)
{
	const char body[] = "{\"streams\":[{\"stream\":{\"app\":\"order\",\"pod\":\"order-1\"},"
	    "\"values\":[[\"1764151200123456789\",\"level=error msg=\\\"upstream connect error\\\"\"],"
	    "[\"1764151200123456790\",\"a \\u003cb\\u003e \\ud83d\\ude00 \\u00e9\"]]},"
	    "{\"stream\":{\"app\":\"web\"},\"values\":[[\"1764151199000000000\",\"x\"]]}],"
	    "\"dropped_entries\":[{\"labels\":{\"app\":\"web\"},\"timestamp\":\"1764151200000000005\"},"
	    "{\"labels\":{\"app\":\"web\"},\"timestamp\":\"1764151200000000009\"}],\"future_key\":{\"a\":[1,2]}}";
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	char *err = NULL, *l;

	CHECK_INT(lokiparse_tail(S(body), e, &err), 0);
	CHECK(err == NULL);
	CHECK_INT(e->n, 3);
	CHECK_INT(e->nstreams, 2);
	CHECK_INT(e->e[0].t, 1764151200123456789LL);
	l = line(e, 0);
	CHECK_STR(l, "level=error msg=\"upstream connect error\"");
	free(l);
	l = line(e, 1);
	CHECK_STR(l, "a <b> \xf0\x9f\x98\x80 \xc3\xa9");
	free(l);
	CHECK_STR(labels_get(&e->streams[e->e[2].stream], "app"), "web");
	CHECK_INT(e->ngaps, 1);
	CHECK_INT(e->gaps[0].count, 2);
	CHECK_INT(e->gaps[0].t, 1764151200000000005LL);
	CHECK_INT(e->gaps[0].until, 1764151200000000009LL);
	ev_logs_free(e);
}

TEST(lokiparse_values_before_stream_and_metadata)
{
	const char body[] = "{\"streams\":[{\"values\":[[\"10\",\"first\",{\"structuredMetadata\":"
	    "{\"trace_id\":\"abc\"}}]],\"stream\":{\"app\":\"x\"}}]}";
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	char *err = NULL;

	CHECK_INT(lokiparse_tail(S(body), e, &err), 0);
	CHECK_INT(e->n, 1);
	CHECK_INT(e->e[0].stream, 0);
	CHECK_STR(labels_get(&e->streams[0], "app"), "x");
	ev_logs_free(e);
}

TEST(lokiparse_query_range_streams)
{
	const char body[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":["
	    "{\"stream\":{\"app\":\"web\",\"level\":\"error\"},\"values\":[[\"30\",\"c\"],[\"10\",\"a\"]]},"
	    "{\"stream\":{\"app\":\"db\"},\"values\":[[\"20\",\"b\"]]}],"
	    "\"stats\":{\"summary\":{\"execTime\":0.01,\"nested\":[[[{}]]]}}}}";
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;

	CHECK_INT(lokiparse_query(S(body), e, &s, &rt, &err), 0);
	CHECK_STR(rt, "streams");
	CHECK_INT(e->n, 3);
	CHECK_INT(s->n, 0);
	ev_logs_sort(e);
	CHECK_INT(e->e[0].t, 10);
	CHECK_INT(e->e[1].t, 20);
	CHECK_INT(e->e[2].t, 30);
	ev_logs_free(e);
	ev_series_free(s);
}

TEST(lokiparse_query_matrix_and_vector)
{
	const char mat[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"level\":\"error\"},\"values\":[[1764151260,\"0.45\"],[1764151275.5,\"NaN\"]]}]}}";
	const char vec[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{},\"value\":[1764151260.123,\"+Inf\"]}]}}";
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;

	CHECK_INT(lokiparse_query(S(mat), NULL, &s, &rt, &err), 0);
	CHECK_STR(rt, "matrix");
	CHECK_INT(s->rt, RT_MATRIX);
	CHECK_INT(s->n, 1);
	CHECK_INT(s->s[0].n, 2);
	CHECK_INT(s->s[0].t[0], 1764151260LL * NS_PER_S);
	CHECK_INT(s->s[0].t[1], 1764151275500000000LL);
	CHECK_NEAR(s->s[0].v[0], 0.45, 1e-12);
	CHECK(isnan(s->s[0].v[1]));
	CHECK_STR(labels_get(&s->s[0].labels, "level"), "error");
	ev_series_free(s);
	s = NULL;
	CHECK_INT(lokiparse_query(S(vec), NULL, &s, &rt, &err), 0);
	CHECK_INT(s->rt, RT_VECTOR);
	CHECK_INT(s->s[0].t[0], 1764151260123000000LL);
	CHECK(isinf(s->s[0].v[0]));
	ev_series_free(s);
}

TEST(lokiparse_kind_mismatch_is_a_clear_error)
{
	const char mat[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{},\"values\":[[1,\"1\"]]}]}}";
	const char str[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":["
	    "{\"stream\":{},\"values\":[[\"1\",\"x\"]]}]}}";
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;

	CHECK_INT(lokiparse_query(S(mat), e, NULL, &rt, &err), -1);
	CHECK_CONTAINS(err, "metric query");
	free(err);
	CHECK_INT(lokiparse_query(S(str), NULL, &s, &rt, &err), -1);
	CHECK_CONTAINS(err, "log query");
	free(err);
	ev_series_free(s);
	ev_logs_free(e);
}

TEST(lokiparse_error_envelope)
{
	const char body[] = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at line 1\"}";
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	const char *rt;
	char *err = NULL;

	CHECK_INT(lokiparse_query(S(body), e, NULL, &rt, &err), -1);
	CHECK_STR(err, "parse error at line 1");
	free(err);
	ev_logs_free(e);
}

TEST(lokiparse_hostile_input_fails_cleanly)
{
	static const char *const bad[] = {
		"", "{", "{\"streams\":[", "{\"streams\":[{\"values\":[[\"12\",\"x\"", "[1,2,3]",
		"{\"streams\":[{\"values\":[[\"-5\",\"x\"]]}]}",
		"{\"streams\":[{\"values\":[[\"99999999999999999999\",\"x\"]]}]}",
		"{\"streams\":[{\"values\":[[\"1\"]]}]}", "{\"streams\":[{\"values\":[[\"1\",2]]}]}",
		"{\"streams\":{}}", "{\"a\":1}{}", "{\"streams\":[]} trailing", "\"just a string\"",
		"{\"a\":\x00\x01}", "{\"streams\":[{\"stream\":{\"a\":1},\"values\":[]}]} x",
	};
	char deep[4000];
	char *err;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		err = NULL;
		int rc = lokiparse_tail(bad[i], strlen(bad[i]) + (i == 13 ? 2 : 0), e, &err);
		if (rc != -1 || !err || e->n)
			t_fail(__FILE__, __LINE__, "input %zu accepted", i);
		free(err);
		ev_logs_free(e);
	}
	/* nesting deeper than the bound */
	memset(deep, '[', sizeof deep);
	memcpy(deep, "{\"x\":", 5);
	{
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		err = NULL;
		CHECK_INT(lokiparse_tail(deep, sizeof deep, e, &err), -1);
		CHECK_CONTAINS(err, "nested too deeply");
		free(err);
		ev_logs_free(e);
	}
}

TEST(lokiparse_empty_result_ok)
{
	const char body[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[],"
	    "\"stats\":{}}}";
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;

	CHECK_INT(lokiparse_query(S(body), e, &s, &rt, &err), 0);
	CHECK(err == NULL);
	CHECK_INT(e->n, 0);
	CHECK_INT(s->n, 0);
	ev_logs_free(e);
	ev_series_free(s);
}

TEST(lokiparse_empty_frame_ok)
{
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	char *err = NULL;

	CHECK_INT(lokiparse_tail(S("{\"streams\":[]}"), e, &err), 0);
	CHECK_INT(lokiparse_tail(S(" {} "), e, &err), 0);
	CHECK_INT(e->n, 0);
	ev_logs_free(e);
}

TEST(lokiparse_long_line_is_cut)
{
	size_t n = LOGS_LINE_MAX + 5000;
	char *body = malloc(n + 100);
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	char *err = NULL;
	size_t o = (size_t)sprintf(body, "{\"streams\":[{\"stream\":{},\"values\":[[\"1\",\"");

	memset(body + o, 'y', n);
	o += n;
	o += (size_t)sprintf(body + o, "\"]]}]}");
	CHECK_INT(lokiparse_tail(body, o, e, &err), 0);
	CHECK_INT(e->e[0].len, LOGS_LINE_MAX);
	CHECK(e->e[0].flags & LE_CUT);
	free(body);
	ev_logs_free(e);
}

TEST(lokiparse_ns_strict)
{
	tns t;

	CHECK_INT(lokiparse_ns(S("1764151200123456789"), &t), 0);
	CHECK_INT(t, 1764151200123456789LL);
	CHECK_INT(lokiparse_ns(S("9223372036854775808"), &t), -1);
	CHECK_INT(lokiparse_ns(S("12a"), &t), -1);
	CHECK_INT(lokiparse_ns(S(""), &t), -1);
}

/* Found by fuzzing: a NUL inside label names, empty lines into the store. */
TEST(lokiparse_fuzz_regressions)
{
	const char body[] = "{\"streams\":[{\"stream\":{\"a\\u0000bc\":\"1\",\"a\":\"2\",\"a\\u0000\":\"x\"},"
	    "\"values\":[[\"5\",\"\"],[\"6\",\"\"]]}]}";
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	struct logstore *ls = logstore_new(0);
	char *err = NULL;
	const char *text;

	CHECK_INT(lokiparse_tail(S(body), e, &err), 0);
	CHECK_INT(e->n, 2);
	CHECK_INT(e->streams[0].n, 1);	/* "a\0bc" and "a\0" end at the NUL: all "a" */
	CHECK_INT(logstore_apply(ls, "k", e), 2);
	CHECK(logbuf_get(logstore_get(ls, "k"), 0, &text) != NULL);
	CHECK_STR(text, "");
	ev_logs_free(e);
	logstore_free(ls);
}
