/* Unit tests: trace ids, Tempo/Jaeger parsers, the event codec and the
 * trace store.  Fixtures are the test servers' own output
 * (tests/fixtures/trace/gen.py). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jarena.h"
#include "core/store.h"
#include "core/trace.h"
#include "core/tracesearch.h"
#include "core/xalloc.h"
#include "sources/jaeger_json.h"
#include "sources/otlp_json.h"
#include "sources/tempo_json.h"
#include "tests/unit/t.h"

static char *
slurp(const char *rel, size_t *n)
{
	FILE *f = fopen(t_fixture(rel), "rb");
	char *buf;
	long len;

	if (!f)	/* a fixture of the checkout */
		fatal("%s: %s", t_fixture(rel), strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc((size_t)len + 1);
	*n = fread(buf, 1, (size_t)len, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

static const struct span *
by_name(const struct ev_trace *t, const char *svc, const char *name, int nth)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->s[i].name, name) == 0 && strcmp(trace_span_service(t, &t->s[i]), svc) == 0 &&
		    nth-- == 0)
			return &t->s[i];
	return NULL;
}

static const char *
attr(const struct span *s, const char *k)
{
	for (uint32_t i = 0; i < s->nattr; i++)
		if (strcmp(s->attr[i].key, k) == 0)
			return s->attr[i].val;
	return NULL;
}

TEST(trace_id_normalize_pads_and_rejects)
{
	char out[TRACE_ID_HEX + 1];

	CHECK_INT(trace_id_normalize("a3ce929d0e0e4736", out), 0);
	CHECK_STR(out, "0000000000000000a3ce929d0e0e4736");
	CHECK_INT(trace_id_normalize(" 4BF92F3577B34DA6A3CE929D0E0E4736\n", out), 0);
	CHECK_STR(out, "4bf92f3577b34da6a3ce929d0e0e4736");
	CHECK_INT(trace_id_normalize("1", out), 0);
	CHECK_STR(out, "00000000000000000000000000000001");
	CHECK_INT(trace_id_normalize("4bf92f3577b34da6a3ce929d0e0e47360", out), -1);	/* 33 digits */
	CHECK_INT(trace_id_normalize("xyz", out), -1);
	CHECK_INT(trace_id_normalize("", out), -1);
	CHECK_INT(trace_id_normalize("4bf9 2f35", out), -1);
}

TEST(trace_base64_ids_become_hex)
{
	char hx[33];

	CHECK_INT(otlp_id_hex("S/kvNXezTaajzpKdDg5HNg==", hx, sizeof hx), 0);
	CHECK_STR(hx, "4bf92f3577b34da6a3ce929d0e0e4736");
	CHECK_INT(otlp_id_hex("APBnqgupArc=", hx, sizeof hx), 0);
	CHECK_STR(hx, "00f067aa0ba902b7");
	CHECK_INT(otlp_id_hex("U5lcP0LNitg", hx, sizeof hx), 0);	/* no padding */
	CHECK_STR(hx, "53995c3f42cd8ad8");
	CHECK_INT(otlp_id_hex("S_kvNXezTaajzpKdDg5HNg", hx, sizeof hx), 0);	/* URL-safe */
	CHECK_STR(hx, "4bf92f3577b34da6a3ce929d0e0e4736");
	/* OTLP/JSON (the spec) writes hex: kept, lowercased */
	CHECK_INT(otlp_id_hex("00F067AA0BA902B7", hx, sizeof hx), 0);
	CHECK_STR(hx, "00f067aa0ba902b7");
	CHECK_INT(otlp_id_hex("not*base64!", hx, sizeof hx), -1);
	CHECK_STR(hx, "not*base64!");
}

TEST(trace_times_strings_numbers_and_junk)
{
	cJSON *j = cJSON_Parse("[\"1795659462000000000\", 1795659462000000000, \"-5\", \"x\", "
	    "\"99999999999999999999\", null]");

	CHECK_INT(otlp_time(cJSON_GetArrayItem(j, 0)), 1795659462000000000LL);
	CHECK(llabs(otlp_time(cJSON_GetArrayItem(j, 1)) - 1795659462000000000LL) < 1000);
	CHECK_INT(otlp_time(cJSON_GetArrayItem(j, 2)), 0);
	CHECK_INT(otlp_time(cJSON_GetArrayItem(j, 3)), 0);
	CHECK_INT(otlp_time(cJSON_GetArrayItem(j, 4)), INT64_MAX);
	CHECK_INT(otlp_time(cJSON_GetArrayItem(j, 5)), 0);
	cJSON_Delete(j);
}

TEST(trace_fmt_dur_compact)
{
	char b[32];

	trace_fmt_dur(b, sizeof b, 8600 * NS_PER_MS);
	CHECK_STR(b, "8.60s");
	trace_fmt_dur(b, sizeof b, 20 * NS_PER_MS);
	CHECK_STR(b, "20ms");
	trace_fmt_dur(b, sizeof b, 1500);
	CHECK_STR(b, "1.5us");
	trace_fmt_dur(b, sizeof b, 62 * NS_PER_S);
	CHECK_STR(b, "1m02s");
	trace_fmt_dur(b, sizeof b, -10 * NS_PER_MS);
	CHECK_STR(b, "-10ms");
}

static void
check_canonical(const struct ev_trace *t)
{
	const struct span *root = by_name(t, "frontend", "POST /checkout", 0);
	const struct span *order = by_name(t, "order", "PlaceOrder", 0);
	const struct span *ch = by_name(t, "payment", "Charge", 0);

	CHECK_INT(t->n, 7);
	CHECK_STR(t->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
	CHECK(root && order && ch);
	if (!root || !order || !ch)
		return;
	CHECK_STR(root->span_id, "53995c3f42cd8ad8");
	CHECK_STR(root->parent_id, "");
	CHECK_STR(order->span_id, "00f067aa0ba902b7");
	CHECK_STR(order->parent_id, "53995c3f42cd8ad8");
	CHECK_STR(ch->parent_id, "00f067aa0ba902b7");
	CHECK_INT(root->start, 1795659462000000000LL);
	CHECK_INT(root->dur, 8600 * NS_PER_MS);
	CHECK_INT(order->dur, 8410 * NS_PER_MS);
	CHECK_INT(ch->dur, 2800 * NS_PER_MS);
	CHECK_INT(root->kind, SK_SERVER);
	CHECK_INT(ch->status, SS_ERROR);
	CHECK_STR(ch->status_msg, "503 UO");
	CHECK_INT(by_name(t, "cart", "GetCart", 0)->status, SS_UNSET);
	CHECK_STR(attr(ch, "http.status_code"), "503");
	CHECK_STR(attr(ch, "response_flags"), "UO");
	CHECK_INT(ch->nev, 1);
	if (ch->nev) {
		CHECK_STR(ch->ev[0].name, "exception");
		CHECK_INT(ch->ev[0].t, ch->start + ch->dur - NS_PER_MS);
	}
	CHECK_INT(order->nev, 2);
}

TEST(tempo_v1_scopespans)
{
	size_t n;
	char *body = slurp("trace/canonical_v1.json", &n), *err = NULL;
	struct ev_trace *t;

	t = tempo_parse_trace(body, n, "4bf92f3577b34da6a3ce929d0e0e4736", 0, &err);
	CHECK(t && !err);
	if (t) {
		check_canonical(t);
		CHECK_STR(attr(by_name(t, "payment", "Charge", 1), "otel.scope.name"), "io.opentelemetry.grpc");
		CHECK_INT(t->partial, 0);
		CHECK_STR(t->res[t->s[0].res].service, "frontend");
	}
	ev_trace_free(t);
	/* without the wanted id, the first span's (base64) trace id is used */
	t = tempo_parse_trace(body, n, NULL, 0, &err);
	CHECK(t && strcmp(t->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736") == 0);
	ev_trace_free(t);
	free(body);
}

TEST(tempo_legacy_instrumentation_library_spans)
{
	size_t n;
	char *body = slurp("trace/canonical_legacy.json", &n), *err = NULL;
	struct ev_trace *t;

	CHECK(body && strstr(body, "instrumentationLibrarySpans") && !strstr(body, "scopeSpans"));
	t = tempo_parse_trace(body, n, "4bf92f3577b34da6a3ce929d0e0e4736", 0, &err);
	CHECK(t);
	if (t)
		check_canonical(t);
	ev_trace_free(t);
	free(body);
}

TEST(tempo_v2_partial)
{
	size_t n;
	char *body = slurp("trace/partial_v2.json", &n), *err = NULL;
	struct ev_trace *t = tempo_parse_trace(body, n, "42242242242242242242242242242422", 0, &err);

	CHECK(t);
	if (t) {
		CHECK_INT(t->partial, 1);
		CHECK_CONTAINS(t->message, "exceeds maximum size");
		CHECK_INT(t->n, 7);
	}
	ev_trace_free(t);
	free(body);
}

TEST(tempo_otlp_spec_json_hex_and_enum_numbers)
{
	const char *js = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
	    "\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
	    "\"4BF92F3577B34DA6A3CE929D0E0E4736\",\"spanId\":\"00F067AA0BA902B7\",\"name\":\"x\","
	    "\"kind\":3,\"startTimeUnixNano\":1000,\"endTimeUnixNano\":\"3000\",\"status\":{\"code\":2},"
	    "\"attributes\":[{\"key\":\"n\",\"value\":{\"doubleValue\":1.5}},{\"key\":\"b\",\"value\":"
	    "{\"boolValue\":true}},{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":"
	    "\"1\"},{\"stringValue\":\"two\"}]}}},{\"key\":\"kv\",\"value\":{\"kvlistValue\":{\"values\":"
	    "[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\"}}]}}},{\"key\":\"raw\",\"value\":"
	    "{\"bytesValue\":\"AQL/\"}}]}]}]}]}";
	char *err = NULL;
	struct ev_trace *t = tempo_parse_trace(js, strlen(js), NULL, 0, &err);

	CHECK(t && t->n == 1);
	if (t && t->n == 1) {
		CHECK_STR(t->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
		CHECK_STR(t->s[0].span_id, "00f067aa0ba902b7");
		CHECK_INT(t->s[0].kind, SK_CLIENT);
		CHECK_INT(t->s[0].status, SS_ERROR);
		CHECK_INT(t->s[0].start, 1000);
		CHECK_INT(t->s[0].dur, 2000);
		CHECK_STR(attr(&t->s[0], "n"), "1.5");
		CHECK_STR(attr(&t->s[0], "b"), "true");
		CHECK_STR(attr(&t->s[0], "a"), "[1, two]");
		CHECK_STR(attr(&t->s[0], "kv"), "{k=v}");
		CHECK_STR(attr(&t->s[0], "raw"), "0102ff");
	}
	ev_trace_free(t);
}

TEST(tempo_bad_answers_are_errors)
{
	char *err = NULL;
	struct ev_trace *t;

	t = tempo_parse_trace("<html>", 6, NULL, 0, &err);
	CHECK(!t && err);
	CHECK_CONTAINS(err, "not valid JSON");
	free(err);
	t = tempo_parse_trace("[1,2]", 5, NULL, 0, &err);
	CHECK(!t && err);
	free(err);
	t = tempo_parse_trace("{\"batches\":7}", 13, NULL, 0, &err);
	CHECK(!t && err);
	free(err);
	t = tempo_parse_trace("{\"foo\":1}", 9, NULL, 0, &err);
	CHECK(!t && err);
	free(err);
	/* {} is an empty trace, not an error; so is a v2 answer without spans */
	t = tempo_parse_trace("{}", 2, "00000000000000000000000000e0e0e0", 0, &err);
	CHECK(t && t->n == 0 && !err);
	ev_trace_free(t);
	t = tempo_parse_trace("{\"trace\":{},\"status\":\"COMPLETE\"}", 32, NULL, 0, &err);
	CHECK(t && t->n == 0);
	ev_trace_free(t);
	/* wrong types everywhere: still a trace, fields absent */
	{
		const char *js = "{\"batches\":[1,{\"scopeSpans\":[{\"spans\":[7,{\"name\":5,"
		    "\"spanId\":[],\"kind\":\"BOGUS\",\"startTimeUnixNano\":{}}]}]}]}";
		t = tempo_parse_trace(js, strlen(js), NULL, 0, &err);
	}
	CHECK(t && t->n == 1);
	if (t && t->n == 1) {
		CHECK_STR(t->s[0].name, "");
		CHECK_STR(t->s[0].span_id, "");
		CHECK_INT(t->s[0].kind, SK_UNSPECIFIED);
		CHECK_INT(t->s[0].start, 0);
	}
	ev_trace_free(t);
}

TEST(tempo_max_spans_counts_dropped)
{
	size_t n;
	char *body = slurp("trace/canonical_v1.json", &n), *err = NULL;
	struct ev_trace *t = tempo_parse_trace(body, n, NULL, 3, &err);

	CHECK(t && t->n == 3 && t->dropped == 4);
	ev_trace_free(t);
	free(body);
}

TEST(tempo_search_trimmed_ids_and_stats)
{
	size_t n;
	char *body = slurp("trace/search_tempo_all.json", &n), *err = NULL;
	struct ev_tracesearch *e = tempo_parse_search(body, n, 0, &err);
	int found_short = 0, found_canon = 0;

	CHECK(e && e->n == 17);
	for (size_t i = 0; e && i < e->n; i++) {
		CHECK_INT(strlen(e->r[i].trace_id), 32);
		if (strcmp(e->r[i].trace_id, "0000000000000000a3ce929d0e0e4736") == 0)
			found_short = 1;
		if (strcmp(e->r[i].trace_id, "4bf92f3577b34da6a3ce929d0e0e4736") == 0) {
			found_canon = 1;
			CHECK_STR(e->r[i].root_service, "frontend");
			CHECK_STR(e->r[i].root_name, "POST /checkout");
			CHECK_INT(e->r[i].dur, 8600 * NS_PER_MS);
			CHECK_INT(e->r[i].spans, 7);
			CHECK_INT(e->r[i].errors, 5);
			CHECK_STR(e->r[i].services, "cart frontend inventory order payment");
			CHECK_INT(e->r[i].start, 1795659462000000000LL);
		}
	}
	CHECK(found_short && found_canon);
	CHECK_INT(e ? e->inspected : 0, 17);
	ev_tracesearch_free(e);
	free(body);
	/* durationMs omitted when 0; an unusable id is dropped, not fatal */
	e = tempo_parse_search("{\"traces\":[{\"traceID\":\"abc\"},{\"traceID\":\"zz\"},7]}", 50, 0, &err);
	CHECK(e && e->n == 1 && e->dropped == 1);
	if (e && e->n) {
		CHECK_STR(e->r[0].trace_id, "00000000000000000000000000000abc");
		CHECK_INT(e->r[0].dur, 0);
	}
	ev_tracesearch_free(e);
	e = tempo_parse_search("oops", 4, 0, &err);
	CHECK(!e && err);
	free(err);
}

TEST(jaeger_trace_us_processes_references_tags)
{
	size_t n;
	char *body = slurp("trace/canonical_jaeger.json", &n), *err = NULL;
	struct ev_trace *t = jaeger_parse_trace(body, n, "4bf92f3577b34da6a3ce929d0e0e4736", 0, &err);

	CHECK(t);
	if (t) {
		check_canonical(t);
		CHECK_STR(attr(by_name(t, "payment", "Charge", 0), "http.status_code"), "503");
		CHECK_STR(attr(by_name(t, "payment", "Charge", 0), "error"), "true");
	}
	ev_trace_free(t);
	free(body);
}

TEST(jaeger_follows_from_and_errors)
{
	const char *js = "{\"data\":[{\"traceID\":\"a3ce929d0e0e4736\",\"spans\":[{\"spanID\":\"1\","
	    "\"operationName\":\"root\",\"startTime\":1000,\"duration\":500,\"processID\":\"p1\"},"
	    "{\"spanID\":\"2\",\"operationName\":\"async\",\"references\":[{\"refType\":\"FOLLOWS_FROM\","
	    "\"spanID\":\"1\"}],\"startTime\":1200,\"duration\":9000,\"processID\":\"p2\",\"tags\":"
	    "[{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"producer\"},{\"key\":\"n\","
	    "\"type\":\"int64\",\"value\":42},{\"key\":\"f\",\"type\":\"float64\",\"value\":0.25}],"
	    "\"warnings\":[\"clock skew adjustment disabled\"]}],\"processes\":{\"p1\":{\"serviceName\":"
	    "\"a\"},\"p2\":{\"serviceName\":\"b\",\"tags\":[{\"key\":\"hostname\",\"type\":\"string\","
	    "\"value\":\"h\"}]}}}],\"errors\":null}";
	char *err = NULL;
	struct ev_trace *t = jaeger_parse_trace(js, strlen(js), NULL, 0, &err);

	CHECK(t && t->n == 2);
	if (t && t->n == 2) {
		CHECK_STR(t->trace_id, "0000000000000000a3ce929d0e0e4736");
		CHECK_INT(t->s[1].follows, 1);
		CHECK_STR(t->s[1].parent_id, "1");
		CHECK_INT(t->s[1].kind, SK_PRODUCER);
		CHECK_INT(t->s[1].start, 1200 * NS_PER_US);
		CHECK_INT(t->s[1].dur, 9000 * NS_PER_US);
		CHECK_STR(attr(&t->s[1], "n"), "42");
		CHECK_STR(attr(&t->s[1], "f"), "0.25");
		CHECK_STR(attr(&t->s[1], "jaeger.warning"), "clock skew adjustment disabled");
		CHECK_STR(trace_span_service(t, &t->s[1]), "b");
		CHECK_STR(t->res[t->s[1].res].attr[0].val, "h");
	}
	ev_trace_free(t);
	t = jaeger_parse_trace("{\"data\":null,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}",
	    61, NULL, 0, &err);
	CHECK(!t && err);
	CHECK_STR(err, "trace not found");
	free(err);
	err = jaeger_error_text("{\"errors\":[{\"code\":400,\"msg\":\"parameter 'service' is required\"}]}", 66);
	CHECK_STR(err, "parameter 'service' is required");
	free(err);
}

TEST(jaeger_search_summary_and_services)
{
	size_t n;
	char *body = slurp("trace/canonical_jaeger.json", &n), *err = NULL, **svcs;
	struct ev_tracesearch *e = jaeger_parse_search(body, n, 0, &err);

	CHECK(e && e->n == 1);
	if (e && e->n) {
		CHECK_STR(e->r[0].root_service, "frontend");
		CHECK_STR(e->r[0].root_name, "POST /checkout");
		CHECK_INT(e->r[0].dur, 8600 * NS_PER_MS);
		CHECK_INT(e->r[0].spans, 7);
		CHECK_INT(e->r[0].errors, 5);
	}
	ev_tracesearch_free(e);
	free(body);
	svcs = jaeger_parse_services("{\"data\":[\"order\",\"cart\",3],\"total\":2}", 38, &n, &err);
	CHECK(svcs && n == 2);
	if (svcs && n == 2) {
		CHECK_STR(svcs[0], "cart");
		CHECK_STR(svcs[1], "order");
		free(svcs[0]);
		free(svcs[1]);
	}
	free(svcs);
}

TEST(trace_codec_round_trip_and_truncation)
{
	size_t n;
	char *body = slurp("trace/canonical_v1.json", &n), *err = NULL;
	struct ev_trace *t = tempo_parse_trace(body, n, "4bf92f3577b34da6a3ce929d0e0e4736", 0, &err);
	struct event *ev = event_new(EV_TRACE, 42, "tempo\x1ftrace\x1f" "4bf9", t), *back;
	struct buf b;
	struct rd r;

	buf_init(&b, 1 << 20);
	CHECK_INT(event_encode(ev, &b), 0);
	rd_init(&r, b.data, b.len);
	back = event_decode(&r, &err);
	CHECK(back && back->kind == EV_TRACE && back->t == 42);
	if (back) {
		check_canonical(back->p);
		CHECK_INT(r.off, b.len);
	}
	event_free(back);
	/* every truncation fails cleanly */
	for (size_t cut = 0; cut < b.len; cut += cut < 200 ? 1 : 37) {
		rd_init(&r, b.data, cut);
		back = event_decode(&r, &err);
		CHECK(!back);
		free(err);
		err = NULL;
		event_free(back);
	}
	buf_free(&b);
	event_free(ev);
	free(body);
}

TEST(tracesearch_codec_round_trip)
{
	struct ev_tracesearch *e = ev_tracesearch_new();
	struct tsrow *r = ev_tracesearch_add(e);
	struct event *ev, *back;
	struct buf b;
	struct rd rd;
	char *err = NULL;

	free(r->trace_id);
	r->trace_id = xstrdup("4bf92f3577b34da6a3ce929d0e0e4736");
	r->dur = 8600 * NS_PER_MS;
	r->spans = 7;
	r->errors = 5;
	e->inspected = 99;
	ev = event_new(EV_TRACESEARCH, 1, "k", e);
	buf_init(&b, 1 << 16);
	CHECK_INT(event_encode(ev, &b), 0);
	rd_init(&rd, b.data, b.len);
	back = event_decode(&rd, &err);
	CHECK(back && back->kind == EV_TRACESEARCH);
	if (back) {
		const struct ev_tracesearch *x = back->p;
		CHECK_INT(x->n, 1);
		CHECK_STR(x->r[0].trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
		CHECK_INT(x->r[0].dur, 8600 * NS_PER_MS);
		CHECK_INT(x->r[0].errors, 5);
		CHECK_INT(x->r[0].start, TNS_NONE);
		CHECK_INT(x->inspected, 99);
	}
	event_free(back);
	event_free(ev);
	buf_free(&b);
}

static struct ev_trace *
tiny(const char *id, size_t spans)
{
	struct ev_trace *t = ev_trace_new(id);
	for (size_t i = 0; i < spans; i++)
		ev_trace_add_span(t);
	return t;
}

TEST(trace_store_bounds_and_sequence)
{
	struct store_limits lim = { .traces = 3, .trace_spans = 100 };
	struct store *st = store_new(&lim);
	uint64_t s1, s2;
	char key[32];

	for (int i = 0; i < 5; i++) {
		struct event *ev;
		snprintf(key, sizeof key, "k%d", i);
		ev = event_new(EV_TRACE, 0, key, tiny(i == 4 ? "4bf92f3577b34da6a3ce929d0e0e4736" : "x", 10));
		store_apply(st, ev);
		event_free(ev);
	}
	CHECK(!store_trace(st, "k0", NULL) && !store_trace(st, "k1", NULL));	/* count limit */
	CHECK(store_trace(st, "k2", &s1) && store_trace(st, "k4", &s2) && s2 > s1);
	CHECK(store_trace_by_id(st, "4bf92f3577b34da6a3ce929d0e0e4736"));
	CHECK(store_has_data(st, "k4"));
	{	/* a refetch of a key replaces it with a new sequence number */
		struct event *ev = event_new(EV_TRACE, 0, "k4", tiny("y", 90));
		store_apply(st, ev);
		event_free(ev);
	}
	CHECK(store_trace(st, "k4", &s1) && s1 > s2);
	CHECK(!store_trace(st, "k2", NULL));	/* span limit: 10 + 10 + 90 > 100 */
	CHECK(store_dropped(st) >= 30);
	store_free(st);
}

TEST(jarena_parse_and_normal_cjson_coexist)
{
	struct arena ar;
	cJSON *t, *plain;
	const char *js = "{\"a\":[1,2,{\"b\":\"\\u00e9\\ud83d\\ude00\"}],\"c\":null}";

	arena_init(&ar);
	t = jarena_parse(&ar, js, strlen(js));
	CHECK(t && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(t, "a")));
	if (t)
		CHECK_STR(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(t, "a"), 2), "b")->valuestring,
		    "\xc3\xa9\xf0\x9f\x98\x80");
	CHECK(arena_bytes(&ar) > 0);
	arena_free(&ar);
	/* a syntax error: NULL, and the arena still frees cleanly */
	arena_init(&ar);
	CHECK(!jarena_parse(&ar, "{\"a\":[1,2", 9));
	arena_free(&ar);
	/* outside a jarena parse, cJSON allocates and frees as always */
	plain = cJSON_Parse("{\"x\":[true,false]}");
	CHECK(plain != NULL);
	{
		char *s = cJSON_PrintUnformatted(plain);
		CHECK_STR(s, "{\"x\":[true,false]}");
		free(s);
	}
	cJSON_Delete(plain);
}
