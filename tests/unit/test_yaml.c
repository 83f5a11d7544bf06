/* YAML reader: scalars, documents, aliases, merges, limits, positions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/yaml.h"
#include "tests/unit/t.h"

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

TEST(yaml_scalars_and_documents)
{
	static const char t[] =
	    "a: 1.5\nb: '2'\nc: true\nd: ~\ne: hello world\nf: -.inf\ng: \"x: y\"\nh: 0x1f\n"
	    "i: [1, two]\n---\n- x\n- {k: v}\n";
	struct jdoc d;
	struct diag dg;
	const cJSON *doc0, *doc1;

	diag_init(&dg);
	CHECK(yaml_parse(&d, t, strlen(t), "t.yaml", &dg) == 0);
	CHECK_INT(cJSON_GetArraySize(d.root), 2);
	doc0 = cJSON_GetArrayItem(d.root, 0);
	doc1 = cJSON_GetArrayItem(d.root, 1);
	CHECK(cJSON_GetObjectItem(doc0, "a")->valuedouble == 1.5);
	CHECK_STR(str(doc0, "b"), "2");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(doc0, "c")));
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(doc0, "d")));
	CHECK_STR(str(doc0, "e"), "hello world");
	CHECK(isinf(cJSON_GetObjectItem(doc0, "f")->valuedouble));
	CHECK_STR(str(doc0, "g"), "x: y");
	CHECK_STR(str(doc0, "h"), "0x1f");	/* not a YAML 1.2 core float here: kept as text */
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(doc0, "i")), 2);
	CHECK_STR(str(cJSON_GetArrayItem(doc1, 1), "k"), "v");
	jdoc_free(&d);
	diag_free(&dg);
}

TEST(yaml_positions_for_diagnostics)
{
	static const char t[] = "top:\n  name: x\n  \xc3\xa9t\xc3\xa9: 12\n";
	struct jdoc d;
	struct diag dg;
	const cJSON *top, *v;
	int line, col;

	diag_init(&dg);
	CHECK(yaml_parse(&d, t, strlen(t), "p.yaml", &dg) == 0);
	top = cJSON_GetObjectItem(cJSON_GetArrayItem(d.root, 0), "top");
	v = cJSON_GetObjectItem(top, "\xc3\xa9t\xc3\xa9");
	jdoc_where(&d, v, 0, &line, &col);
	CHECK_INT(line, 3);
	CHECK_INT(col, 8);	/* characters, not bytes */
	jdoc_where(&d, v, 1, &line, &col);
	CHECK_INT(col, 3);
	CHECK(jd_str(&d, &dg, top, "top", "name", NULL) != NULL);
	jd_int(&d, &dg, top, "top", "name", 0, 0, 10);
	CHECK_CONTAINS(diag_first_error(&dg), "p.yaml:2:9: top.name: expected a whole number");
	jdoc_free(&d);
	diag_free(&dg);
}

TEST(yaml_alias_and_merge)
{
	static const char t[] =
	    "base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\nlist: &l [a, b]\nagain: *l\n";
	struct jdoc d;
	struct diag dg;
	const cJSON *r, *m;

	diag_init(&dg);
	CHECK(yaml_parse(&d, t, strlen(t), "a.yaml", &dg) == 0);
	r = cJSON_GetArrayItem(d.root, 0);
	CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "use"), "y")->valuedouble == 2);
	m = cJSON_GetObjectItem(r, "merged");
	CHECK(cJSON_GetObjectItem(m, "x")->valuedouble == 1);
	CHECK(cJSON_GetObjectItem(m, "y")->valuedouble == 3);	/* explicit key wins */
	CHECK(cJSON_GetObjectItem(m, "<<") == NULL);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(r, "again")), 2);
	jdoc_free(&d);
	diag_free(&dg);
}

TEST(yaml_errors_and_limits)
{
	struct jdoc d;
	struct diag dg;
	struct buf b;

	diag_init(&dg);
	CHECK(yaml_parse(&d, "a: [1, 2\nb: 3\n", 14, "e.yaml", &dg) < 0);
	CHECK_CONTAINS(diag_first_error(&dg), "e.yaml:");
	CHECK_CONTAINS(diag_first_error(&dg), "YAML syntax error");
	diag_free(&dg);
	diag_init(&dg);
	CHECK(yaml_parse(&d, "a: *nope\n", 9, "e.yaml", &dg) < 0);
	CHECK_CONTAINS(diag_first_error(&dg), "e.yaml:1:4: alias to an unknown anchor");
	diag_free(&dg);
	/* a "billion laughs" alias bomb stops at the node limit */
	buf_init(&b, 1 << 20);
	buf_puts(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (int c = 'b'; c <= 'j'; c++)
		buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c,
		    c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	diag_init(&dg);
	CHECK(yaml_parse(&d, b.data, b.len, "bomb.yaml", &dg) < 0);
	CHECK_CONTAINS(diag_first_error(&dg), "too large");
	diag_free(&dg);
	buf_free(&b);
	diag_init(&dg);
	CHECK(yaml_parse(&d, "a: 1\0b", 6, "nul.yaml", &dg) < 0);
	CHECK_CONTAINS(diag_first_error(&dg), "NUL");
	diag_free(&dg);
}

/* An anchor whose node was replaced (duplicate key) or consumed ("<<")
 * still names what it was defined as (found by fuzz_slo: the node used
 * to be freed while the anchor pointed at it). */
TEST(yaml_alias_to_replaced_node)
{
	static const char t[] =
	    "a: &x {k: first}\na: 2\nb: *x\n"
	    "c: {<<: &m {k: merged}, j: 1}\nd: *m\n";
	struct jdoc d;
	struct diag dg;
	const cJSON *doc;

	diag_init(&dg);
	CHECK(yaml_parse(&d, t, strlen(t), "t.yaml", &dg) == 0);
	doc = cJSON_GetArrayItem(d.root, 0);
	CHECK(cJSON_GetObjectItem(doc, "a")->valuedouble == 2);
	CHECK_STR(str(cJSON_GetObjectItem(doc, "b"), "k"), "first");
	CHECK_STR(str(cJSON_GetObjectItem(doc, "c"), "k"), "merged");
	CHECK_STR(str(cJSON_GetObjectItem(doc, "d"), "k"), "merged");
	jdoc_free(&d);
	diag_free(&dg);
}
