/* Series options of graphs: patterns, negation, stacking (hand values). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "widgets/seriesopt.h"
#include "tests/unit/t.h"

static void
fill(struct series *s, const double *v, size_t n)
{
	memset(s, 0, sizeof *s);
	s->n = n;
	s->t = xcalloc(n, sizeof *s->t);
	s->v = xcalloc(n, sizeof *s->v);
	for (size_t i = 0; i < n; i++) {
		s->t[i] = (tns)(i + 1) * 60 * NS_PER_S;
		s->v[i] = v[i];
	}
}

static struct seriesopt
opts(const char *json, struct jdoc *doc, struct diag *dg)
{
	struct seriesopt so;
	jdoc_parse(doc, json, strlen(json), "o.json", dg);
	seriesopt_init(&so, doc, dg, doc->root, "panels[0]");
	return so;
}

TEST(seriesopt_patterns)
{
	struct jdoc doc;
	struct diag dg;
	struct seriesopt so;

	diag_init(&dg);
	so = opts("{\"hide_series\": [\"/err.*/\", \"ref:B\"], \"negate_series\": [\"tx\"],"
	    " \"rename\": {\"D\": \"Disk sleep\"}}", &doc, &dg);
	CHECK_INT(dg.nerrors, 0);
	CHECK(!seriesopt_visible(&so, "errors 5xx", "A"));
	CHECK(!seriesopt_visible(&so, "anything", "B"));
	CHECK(seriesopt_visible(&so, "ok", "A"));
	CHECK(seriesopt_flags(&so, "tx", "A") == SO_NEGATED && seriesopt_flags(&so, "rx", "A") == 0);
	CHECK_STR(seriesopt_rename(&so, "D"), "Disk sleep");
	CHECK_STR(seriesopt_rename(&so, "R"), "R");
	seriesopt_free(&so);
	jdoc_free(&doc);
	so = opts("{\"show_series\": [\"Virtual Memory\"]}", &doc, &dg);
	CHECK(seriesopt_visible(&so, "Virtual Memory", "A") && !seriesopt_visible(&so, "RSS", "A"));
	seriesopt_free(&so);
	jdoc_free(&doc);
	so = opts("{\"hide_series\": [\"/(unclosed/\"]}", &doc, &dg);
	CHECK_CONTAINS(diag_first_error(&dg), "bad regex");
	seriesopt_free(&so);
	jdoc_free(&doc);
	diag_free(&dg);
}

TEST(seriesopt_stack_and_negate)
{
	static const double a[] = { 1, 2, NAN }, b[] = { 3, 4, 5 }, c[] = { 2, 2, 2 };
	struct series s[3];
	const struct series *sp[3] = { &s[0], &s[1], &s[2] };
	int neg[3] = { 0, 0, SO_NEGATED };
	double *out[3];
	struct jdoc doc;
	struct diag dg;
	struct seriesopt so;

	fill(&s[0], a, 3);
	fill(&s[1], b, 3);
	fill(&s[2], c, 3);
	diag_init(&dg);
	so = opts("{\"stack\": \"normal\"}", &doc, &dg);
	seriesopt_values(&so, sp, neg, 3, out);
	/* a; b on top of a; c negated stacks downwards on its own */
	CHECK(out[0][0] == 1 && out[0][1] == 2 && isnan(out[0][2]));
	CHECK(out[1][0] == 4 && out[1][1] == 6 && out[1][2] == 5);
	CHECK(out[2][0] == -2 && out[2][2] == -2);
	for (int i = 0; i < 3; i++)
		free(out[i]);
	seriesopt_free(&so);
	jdoc_free(&doc);
	so = opts("{\"stack\": \"percent\"}", &doc, &dg);
	neg[2] = 0;
	seriesopt_values(&so, sp, neg, 3, out);
	/* t0: 1, 3, 2 of 6 -> 1/6, 4/6, 6/6 */
	CHECK_NEAR(out[0][0], 1.0 / 6, 1e-12);
	CHECK_NEAR(out[1][0], 4.0 / 6, 1e-12);
	CHECK_NEAR(out[2][0], 1, 1e-12);
	for (int i = 0; i < 3; i++)
		free(out[i]);
	seriesopt_free(&so);
	jdoc_free(&doc);
	/* a series left out of the stack: at its own value, not in the total */
	so = opts("{\"stack\": \"percent\", \"unstack_series\": [\"/^to/\"]}", &doc, &dg);
	CHECK_INT(seriesopt_flags(&so, "total", "A"), SO_UNSTACKED);
	neg[0] = SO_UNSTACKED;
	seriesopt_values(&so, sp, neg, 3, out);
	/* t0: a = 1 stays 1; b, c = 3, 2 of 5 -> 3/5, 5/5 */
	CHECK(out[0] == NULL);
	CHECK_NEAR(out[1][0], 3.0 / 5, 1e-12);
	CHECK_NEAR(out[2][0], 1, 1e-12);
	for (int i = 0; i < 3; i++)
		free(out[i]);
	seriesopt_free(&so);
	jdoc_free(&doc);
	neg[0] = 0;
	so = opts("{}", &doc, &dg);
	seriesopt_values(&so, sp, neg, 3, out);
	CHECK(out[0] == NULL && out[1] == NULL);	/* drawn as they are */
	seriesopt_free(&so);
	jdoc_free(&doc);
	for (int i = 0; i < 3; i++) {
		free(s[i].t);
		free(s[i].v);
	}
	diag_free(&dg);
}
