/* Unit tests: level detection, logfmt fields, trace-id extractors. */
#include <stdlib.h>
#include <string.h>

#include "core/logline.h"
#include "tests/unit/t.h"

#define LV(s) logline_level(s, strlen(s))

TEST(level_logfmt_key)
{
	CHECK_INT(LV("ts=1 level=error msg=\"upstream connect error\""), LV_ERROR);
	CHECK_INT(LV("level=warn msg=x"), LV_WARN);
	CHECK_INT(LV("lvl=dbug msg=x"), LV_NONE);	/* unknown word: no guess */
	CHECK_INT(LV("lvl=debug msg=x"), LV_DEBUG);
	CHECK_INT(LV("severity=CRITICAL x"), LV_FATAL);
	CHECK_INT(LV("detected_level=info x"), LV_INFO);
}

TEST(level_json_key)
{
	CHECK_INT(LV("{\"level\":\"error\",\"msg\":\"checkout failed\"}"), LV_ERROR);
	CHECK_INT(LV("{\"msg\":\"x\", \"level\" : \"WARNING\"}"), LV_WARN);
	CHECK_INT(LV("{\"level\":50,\"msg\":\"pino\"}"), LV_ERROR);
	CHECK_INT(LV("{\"level\":30}"), LV_INFO);
	CHECK_INT(LV("{\"Severity\":\"Fatal\"}"), LV_FATAL);
}

TEST(level_words_and_klog)
{
	CHECK_INT(LV("2026-11-26 02:17:42 ERROR pool exhausted"), LV_ERROR);
	CHECK_INT(LV("[warn] something"), LV_WARN);
	CHECK_INT(LV("E1126 02:17:42.000000 1 reflector.go:1] failed"), LV_ERROR);
	CHECK_INT(LV("I1126 02:17:42.000000 1 x.go:1] ok"), LV_INFO);
	CHECK_INT(LV("an error occurred in lower case prose"), LV_NONE);	/* no guess from prose */
	CHECK_INT(LV("revelation level"), LV_NONE);
	CHECK_INT(LV(""), LV_NONE);
}

TEST(level_key_must_be_whole)
{
	CHECK_INT(LV("xlevel=error"), LV_NONE);
	CHECK_INT(LV("log.level=error"), LV_ERROR);
}

TEST(level_from_stream_labels)
{
	struct labelset ls;

	labels_init(&ls);
	labels_set(&ls, "app", "order");
	CHECK_INT(logline_stream_level(&ls), LV_NONE);
	labels_set(&ls, "detected_level", "warn");
	CHECK_INT(logline_stream_level(&ls), LV_WARN);
	labels_free(&ls);
	CHECK_STR(logline_level_tag(LV_ERROR), "ERR");
}

TEST(logfmt_pairs)
{
	const char *s = "level=error msg=\"upstream \\\"x\\\" reset\" upstream=payment junk trace_id=4bf9";
	struct logfmt_kv kv;
	size_t pos = 0;
	int n = 0;

	while (logfmt_next(s, strlen(s), &pos, &kv)) {
		if (n == 1) {
			CHECK(kv.quoted);
			CHECK_INT(kv.vl, strlen("upstream \\\"x\\\" reset"));
		}
		if (n == 3)
			CHECK(kv.kl == 8 && memcmp(kv.k, "trace_id", 8) == 0);
		n++;
	}
	CHECK_INT(n, 4);
}

static char *
find_id(const struct extractors *x, const char *s)
{
	size_t a, b;
	if (!extractors_find(x, s, strlen(s), 1, &a, &b))
		return NULL;
	return strndup(s + a, b - a);
}

#define ID_IS(x, s, want) do { char *_i = find_id(x, s); CHECK_STR(_i, want); free(_i); } while (0)
#define NO_ID(x, s) do { char *_i = find_id(x, s); CHECK(_i == NULL); free(_i); } while (0)

TEST(extractors_defaults_cover_the_forms)
{
	struct extractors x = { 0 };
	const char *id = "4bf92f3577b34da6a3ce929d0e0e4736";

	extractors_defaults(&x);
	ID_IS(&x, "level=error msg=\"x\" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7", id);
	ID_IS(&x, "traceID=4bf92f3577b34da6a3ce929d0e0e4736", id);
	ID_IS(&x, "{\"level\":\"error\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}", id);
	ID_IS(&x, "{\"trace_id\": \"4bf92f3577b34da6a3ce929d0e0e4736\"}", id);
	ID_IS(&x, "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", id);
	ID_IS(&x, "request 4bf92f3577b34da6a3ce929d0e0e4736 failed", id);
	ID_IS(&x, "jaeger id a3ce929d0e0e4736 failed", "a3ce929d0e0e4736");
	extractors_free(&x);
}

TEST(extractors_avoid_span_ids_numbers_and_longer_hex)
{
	struct extractors x = { 0 };

	extractors_defaults(&x);
	NO_ID(&x, "span_id=00f067aa0ba902b7 only");
	NO_ID(&x, "count 1234567890123456 bytes");	/* digits only: not an id */
	NO_ID(&x, "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	NO_ID(&x, "plain line");
	extractors_free(&x);
}

TEST(extractors_custom_needs_group)
{
	struct extractors x = { 0 };
	char *err = NULL;

	CHECK_INT(extractors_add(&x, "req", "req=[0-9]+", &err), -1);
	CHECK_CONTAINS(err, "capture group");
	free(err);
	err = NULL;
	CHECK_INT(extractors_add(&x, "req", "req=([0-9a-z]+)", &err), 0);
	ID_IS(&x, "GET / req=abc123 200", "abc123");
	CHECK_INT(extractors_add(&x, "bad", "(", &err), -1);
	CHECK_CONTAINS(err, "offset");
	free(err);
	extractors_free(&x);
}
