/* Unit tests: JSON documents with positions, typed getters, key checks. */
#include <stdlib.h>

#include "core/jdoc.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"

static const char doc1[] =
    "{\n"
    "  \"title\": \"caf\xc3\xa9 \\\"quoted\\\" {not an object}\",\n"
    "  \"n\": 12.5e1,\n"
    "  \"list\": [ 1, [ 2, 3 ], { \"k\": null } ],\n"
    "\t\"b\": true,\n"
    "  \"d\": \"1h30m\", \"ds\": 90\n"
    "}\n";

static void
where(const struct jdoc *d, const cJSON *n, int key, int wl, int wc, int line)
{
	int l, c;
	jdoc_where(d, n, key, &l, &c);
	if (l != wl || c != wc)
		t_fail(__FILE__, line, "at %d:%d, expected %d:%d", l, c, wl, wc);
}

TEST(jdoc_positions)
{
	struct jdoc d;
	struct diag dg;
	const cJSON *r, *list, *inner;

	diag_init(&dg);
	CHECK_INT(jdoc_parse(&d, doc1, sizeof doc1 - 1, "d.json", &dg), 0);
	r = d.root;
	where(&d, r, 0, 1, 1, __LINE__);
	where(&d, cJSON_GetObjectItem(r, "title"), 1, 2, 3, __LINE__);
	where(&d, cJSON_GetObjectItem(r, "title"), 0, 2, 12, __LINE__);
	where(&d, cJSON_GetObjectItem(r, "n"), 0, 3, 8, __LINE__);
	list = cJSON_GetObjectItem(r, "list");
	where(&d, list, 0, 4, 11, __LINE__);
	where(&d, cJSON_GetArrayItem(list, 0), 0, 4, 13, __LINE__);
	inner = cJSON_GetArrayItem(list, 1);
	where(&d, cJSON_GetArrayItem(inner, 1), 0, 4, 21, __LINE__);
	where(&d, cJSON_GetObjectItem(cJSON_GetArrayItem(list, 2), "k"), 1, 4, 28, __LINE__);
	where(&d, cJSON_GetObjectItem(cJSON_GetArrayItem(list, 2), "k"), 0, 4, 33, __LINE__);
	/* a tab is one column; multi-byte UTF-8 is one column */
	where(&d, cJSON_GetObjectItem(r, "b"), 1, 5, 2, __LINE__);
	where(&d, cJSON_GetObjectItem(r, "ds"), 1, 6, 17, __LINE__);
	where(&d, cJSON_GetObjectItem(r, "ds"), 0, 6, 23, __LINE__);
	/* a node of another document has no position */
	{
		cJSON *other = cJSON_CreateNull();
		where(&d, other, 0, 0, 0, __LINE__);
		cJSON_Delete(other);
	}
	CHECK_INT(dg.n, 0);
	jdoc_free(&d);
	diag_free(&dg);
}

TEST(jdoc_getters)
{
	struct jdoc d;
	struct diag dg;
	const cJSON *r;

	diag_init(&dg);
	CHECK_INT(jdoc_parse(&d, doc1, sizeof doc1 - 1, "d.json", &dg), 0);
	r = d.root;
	CHECK_STR(jd_str(&d, &dg, r, "", "title", NULL), "caf\xc3\xa9 \"quoted\" {not an object}");
	CHECK_STR(jd_str(&d, &dg, r, "", "absent", "dflt"), "dflt");
	CHECK(jd_num(&d, &dg, r, "", "n", 0) == 125);
	CHECK(jd_bool(&d, &dg, r, "", "b", 0));
	CHECK_INT(jd_duration(&d, &dg, r, "", "d", 0), 5400 * NS_PER_S);
	CHECK_INT(jd_duration(&d, &dg, r, "", "ds", 0), 90 * NS_PER_S);
	CHECK(jd_arr(&d, &dg, r, "", "list") != NULL);
	CHECK_INT(dg.n, 0);
	/* wrong types: the default back, an error naming path, key, expectation */
	CHECK(jd_str(&d, &dg, r, "top", "n", NULL) == NULL);
	CHECK_STR(dg.e[0].msg, "d.json:3:8: top.n: expected a string, got a number");
	CHECK_INT(jd_int(&d, &dg, r, "", "n", 7, 0, 100), 7);
	CHECK_STR(dg.e[1].msg, "d.json:3:8: n: expected a whole number from 0 to 100, got 125");
	CHECK_INT(jd_bool(&d, &dg, r, "", "title", 0), 0);
	CHECK_STR(dg.e[2].msg, "d.json:2:12: title: expected true or false, got a string");
	CHECK(jd_obj(&d, &dg, r, "", "list") == NULL);
	CHECK_STR(dg.e[3].msg, "d.json:4:11: list: expected an object, got an array");
	CHECK(jd_arr(&d, &dg, r, "", "b") == NULL);
	CHECK_STR(dg.e[4].msg, "d.json:5:7: b: expected an array, got a boolean");
	CHECK_INT(jd_duration(&d, &dg, r, "", "title", 3), 3);
	CHECK_CONTAINS(dg.e[5].msg, "title: expected a duration");
	CHECK_INT(dg.nerrors, 6);
	/* numbers as strings are accepted where a number is expected */
	jdoc_free(&d);
	diag_free(&dg);
	diag_init(&dg);
	CHECK_INT(jdoc_parse(&d, "{\"v\": \"2.5\", \"w\": \"x\"}", 22, "s", &dg), 0);
	CHECK(jd_num(&d, &dg, d.root, "", "v", 0) == 2.5);
	CHECK(jd_num(&d, &dg, d.root, "", "w", 1) == 1);
	CHECK_INT(dg.nerrors, 1);
	jdoc_free(&d);
	diag_free(&dg);
}

TEST(jdoc_unknown_and_duplicate_keys)
{
	static const char t[] = "{\"a\": 1, \"b\": 2,\n \"zz\": 3, \"a\": 4}";
	static const char *const known[] = { "a", NULL }, *const known2[] = { "b", NULL };
	struct jdoc d;
	struct diag dg;

	diag_init(&dg);
	CHECK_INT(jdoc_parse(&d, t, sizeof t - 1, "k.json", &dg), 0);
	jd_check_keys(&d, &dg, d.root, "p", known, known2);
	CHECK_INT(dg.n, 2);
	CHECK_INT(dg.nerrors, 0);
	CHECK_STR(dg.e[0].msg, "k.json:2:2: warning: p.zz: unknown key (ignored)");
	CHECK_STR(dg.e[1].msg, "k.json:2:11: warning: p.a: duplicate key; the first one (line 1) is used");
	jdoc_free(&d);
	diag_free(&dg);
}

TEST(jdoc_syntax_errors)
{
	static const struct { const char *in, *want; } c[] = {
		{ "{\"a\": 1,}", "e:1:9: JSON syntax error: a comma before '}' (JSON allows no trailing comma)" },
		{ "{\"a\": [1, 2", "e:1:12: JSON syntax error: unexpected end of file (unclosed object, array or string?)" },
		{ "{'a': 1}", "e:1:2: JSON syntax error: strings and keys need double quotes, not '" },
		{ "{\"a\" 1}", "e:1:6: JSON syntax error near '1}' (expected a value, ',' , ':' or a closing bracket)" },
		{ "{\"a\": \"unterminated}", "e:1:21: JSON syntax error: unexpected end of file (unclosed object, array or string?)" },
		{ "{\"a\": tru", "e:1:10: JSON syntax error: unexpected end of file (unclosed object, array or string?)" },
		{ "", "e:1:1: JSON syntax error: unexpected end of file (unclosed object, array or string?)" },
		{ "{\"a\": 1} x", "e:1:10: JSON syntax error near 'x' (expected a value, ',' , ':' or a closing bracket)" },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		struct jdoc d;
		struct diag dg;
		diag_init(&dg);
		CHECK_INT(jdoc_parse(&d, c[i].in, strlen(c[i].in), "e", &dg), -1);
		CHECK_STR(diag_first_error(&dg), c[i].want);
		jdoc_free(&d);
		diag_free(&dg);
	}
}

TEST(jdoc_huge_object_is_bounded)
{
	/* 5000 keys in one object: unknown-key checks stay linear-ish */
	struct buf;
	char *t = xmalloc(5000 * 16 + 16), *p = t;
	struct jdoc d;
	struct diag dg;
	static const char *const none[] = { NULL };

	*p++ = '{';
	for (int i = 0; i < 5000; i++)
		p += sprintf(p, "%s\"k%d\":%d", i ? "," : "", i % 2500, i);
	*p++ = '}';
	diag_init(&dg);
	CHECK_INT(jdoc_parse(&d, t, (size_t)(p - t), "h", &dg), 0);
	jd_check_keys(&d, &dg, d.root, "", none, NULL);
	CHECK_INT(dg.n, 5000);		/* every key unknown; duplicates not searched */
	jdoc_free(&d);
	diag_free(&dg);
	free(t);
}
