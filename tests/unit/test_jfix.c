/* Unit tests: unpaired surrogate escapes read as U+FFFD by cJSON users
 * (core/jfix.c), and a trace that holds one is not lost. */
#include <stdlib.h>
#include <string.h>

#include "core/jfix.h"
#include "sources/tempo_json.h"
#include "tests/unit/t.h"

static void
fixed(const char *in, const char *want, int line)
{
	char *out = jfix_surrogates(in, strlen(in));

	if (!want && out)
		t_fail(__FILE__, line, "'%s' changed to '%s'", in, out);
	else if (want && (!out || strcmp(out, want) != 0))
		t_fail(__FILE__, line, "'%s' became '%s', expected '%s'", in, out ? out : "(unchanged)", want);
	free(out);
}

TEST(jfix_surrogates_only_unpaired)
{
	fixed("{\"a\":\"x\"}", NULL, __LINE__);
	fixed("\"\\ud83d\\ude00\"", NULL, __LINE__);		/* a pair */
	fixed("\"\\u00e9\\\\udc80\"", NULL, __LINE__);		/* an escaped backslash, then text */
	fixed("\"\\udc80\"", "\"\\ufffd\"", __LINE__);		/* a lone low half */
	fixed("\"\\uD83D x\"", "\"\\ufffd x\"", __LINE__);	/* a high half without its low */
	fixed("\"\\ud83d\\u0041\"", "\"\\ufffd\\u0041\"", __LINE__);
	fixed("\"\\ude00\\ud83d\"", "\"\\ufffd\\ufffd\"", __LINE__);	/* reversed pair */
	fixed("\"\\ud83d\\ud83d\\ude00\"", "\"\\ufffd\\ud83d\\ude00\"", __LINE__);
	fixed("\"\\ud8", NULL, __LINE__);			/* truncated: cJSON's error */
	fixed("\\", NULL, __LINE__);
}

TEST(jfix_parse_keeps_the_document)
{
	const char *js = "{\"k\":\"a\\udc80b\",\"n\":1}";
	cJSON *j = jfix_parse(js, strlen(js));
	const cJSON *k = j ? cJSON_GetObjectItemCaseSensitive(j, "k") : NULL;

	CHECK(cJSON_IsString(k));
	if (cJSON_IsString(k))
		CHECK_STR(k->valuestring, "a\xef\xbf\xbd" "b");
	CHECK(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "n")));
	cJSON_Delete(j);
	j = cJSON_ParseWithLength(js, strlen(js));
	CHECK(j == NULL);	/* what this file exists for: cJSON alone loses it all */
	cJSON_Delete(j);
}

TEST(tempo_trace_with_a_lone_surrogate_is_kept)
{
	const char *js = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
	    "\"value\":{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":"
	    "\"4BF92F3577B34DA6A3CE929D0E0E4736\",\"spanId\":\"00F067AA0BA902B7\",\"name\":"
	    "\"GET \\udcff/pay\",\"startTimeUnixNano\":1000,\"endTimeUnixNano\":\"3000\"}]}]}]}";
	char *err = NULL;
	struct ev_trace *t = tempo_parse_trace(js, strlen(js), NULL, 0, &err);

	CHECK(t && t->n == 1);
	if (t && t->n == 1)
		CHECK_STR(t->s[0].name, "GET \xef\xbf\xbd/pay");
	ev_trace_free(t);
	free(err);
}
