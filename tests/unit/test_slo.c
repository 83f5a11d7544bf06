/* SLO model: burn-rate arithmetic against hand computation, the SRE
 * workbook windows, and the Sloth / OpenSLO / scry definitions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/slo.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"

#define H (3600 * NS_PER_S)
#define D (86400 * NS_PER_S)

static struct slo
mk(double objective, tns period)
{
	struct slo s;
	memset(&s, 0, sizeof s);
	s.objective = objective;
	s.period = period;
	s.nwin = slo_default_windows(period, s.win);
	return s;
}

TEST(slo_workbook_windows_30d)
{
	struct slo_window w[SLO_WINDOWS_MAX];
	size_t n = slo_default_windows(30 * D, w);

	CHECK_INT(n, 4);
	CHECK_INT(w[0].long_w, 1 * H);
	CHECK_INT(w[0].short_w, 300 * NS_PER_S);
	CHECK_NEAR(w[0].factor, 14.4, 1e-12);
	CHECK_STR(w[0].severity, "page");
	CHECK_INT(w[1].long_w, 6 * H);
	CHECK_INT(w[1].short_w, 1800 * NS_PER_S);
	CHECK_NEAR(w[1].factor, 6, 1e-12);
	CHECK_INT(w[2].long_w, 1 * D);
	CHECK_INT(w[2].short_w, 2 * H);
	CHECK_NEAR(w[2].factor, 3, 1e-12);
	CHECK_STR(w[2].severity, "ticket");
	CHECK_INT(w[3].long_w, 3 * D);
	CHECK_INT(w[3].short_w, 6 * H);
	CHECK_NEAR(w[3].factor, 1, 1e-12);
}

TEST(slo_workbook_windows_28d_scaled)
{
	struct slo_window w[SLO_WINDOWS_MAX];

	slo_default_windows(28 * D, w);
	/* 2 % of a 672 h budget in 1 h: 0.02 * 672 = 13.44 */
	CHECK_NEAR(w[0].factor, 13.44, 1e-12);
	CHECK_NEAR(w[1].factor, 5.6, 1e-12);	/* 0.05 * 672 / 6 */
	CHECK_NEAR(w[2].factor, 2.8, 1e-12);	/* 0.10 * 672 / 24 */
	CHECK_NEAR(w[3].factor, 0.933333, 1e-6);	/* 0.10 * 672 / 72 */
}

TEST(slo_burn_and_budget)
{
	struct slo s = mk(0.999, 30 * D);

	CHECK_NEAR(slo_budget(&s), 0.001, 1e-12);
	/* 1.44 % errors against a 0.1 % budget burn 14.4 times too fast */
	CHECK_NEAR(slo_burn_rate(&s, 0.0144), 14.4, 1e-9);
	CHECK_NEAR(slo_burn_rate(&s, 0), 0, 0);
	CHECK(isnan(slo_burn_rate(&s, NAN)));
	/* 0.05 % errors over the period spent half the budget */
	CHECK_NEAR(slo_budget_remaining(&s, 0.0005), 0.5, 1e-9);
	CHECK_NEAR(slo_budget_remaining(&s, 0.003), -2, 1e-9);
	/* half a 30 d budget left, burning at 14.4x: 0.5 * 2592000 s / 14.4 = 90000 s */
	CHECK_INT(slo_time_to_exhaustion(&s, 0.5, 14.4), 90000 * NS_PER_S);
	/* burning at exactly 1x with a full budget lasts the period */
	CHECK_INT(slo_time_to_exhaustion(&s, 1, 1), 30 * D);
	CHECK_INT(slo_time_to_exhaustion(&s, 0.5, 0), TNS_NONE);
	CHECK_INT(slo_time_to_exhaustion(&s, -0.2, 3), 0);
	CHECK_INT(slo_time_to_exhaustion(&s, NAN, 3), TNS_NONE);
}

TEST(slo_window_firing_needs_both)
{
	struct slo s = mk(0.999, 30 * D);

	CHECK(slo_window_firing(&s.win[0], 15, 20));
	CHECK(!slo_window_firing(&s.win[0], 15, 10));	/* short window recovered */
	CHECK(!slo_window_firing(&s.win[0], 10, 20));
	CHECK(!slo_window_firing(&s.win[0], 14.4, 20));	/* "exceeds", not equals */
	CHECK(!slo_window_firing(&s.win[0], NAN, 20));
	CHECK(slo_window_firing(&s.win[3], 1.5, 1.2));
}

TEST(slo_objective_forms)
{
	cJSON *v;
	double x;

	v = cJSON_CreateNumber(99.9);
	CHECK(slo_parse_objective(v, &x) == 0);
	CHECK_NEAR(x, 0.999, 1e-12);
	cJSON_Delete(v);
	v = cJSON_CreateNumber(0.995);
	CHECK(slo_parse_objective(v, &x) == 0);
	CHECK_NEAR(x, 0.995, 1e-12);
	cJSON_Delete(v);
	v = cJSON_CreateString("99.95%");
	CHECK(slo_parse_objective(v, &x) == 0);
	CHECK_NEAR(x, 0.9995, 1e-12);
	cJSON_Delete(v);
	v = cJSON_CreateNumber(100);
	CHECK(slo_parse_objective(v, &x) < 0);
	cJSON_Delete(v);
	v = cJSON_CreateString("high");
	CHECK(slo_parse_objective(v, &x) < 0);
	cJSON_Delete(v);
}

TEST(slo_expr_substitutes_window)
{
	struct slo s = mk(0.999, 30 * D);
	char *e;

	s.error_ratio = xstrdup("sum(rate(a[$window])) / sum(rate(b[${window}])) + $windows");
	e = slo_expr(&s, 300 * NS_PER_S);
	CHECK_STR(e, "sum(rate(a[5m])) / sum(rate(b[5m])) + $windows");
	free(e);
	e = slo_expr(&s, 30 * D);
	CHECK_CONTAINS(e, "a[30d]");
	free(e);
	free(s.error_ratio);
}

static const char dash_text[] =
    "{\"title\": \"t\",\n"
    " \"slos\": [\n"
    "  {\"name\": \"a\", \"objective\": 99.9, \"errors\": \"E[$window]\", \"total\": \"T[$window]\"},\n"
    "  {\"name\": \"b\", \"objective\": \"99%\", \"period\": \"28d\", \"good\": \"G[$window]\",\n"
    "   \"total\": \"T[$window]\", \"source\": \"mimir\",\n"
    "   \"windows\": [{\"long\": \"1h\", \"short\": \"5m\", \"factor\": 10, \"severity\": \"page\"}]}\n"
    " ],\n"
    " \"panels\": [\n"
    "  {\"type\": \"slo\", \"title\": \"A\", \"options\": {\"slo\": \"a\"}},\n"
    "  {\"type\": \"slo\", \"options\": {\"slo\": {\"name\": \"c\", \"objective\": 0.9,\n"
    "     \"error_ratio\": \"R[$window]\"}}}\n"
    " ]}\n";

TEST(slo_in_dashboard)
{
	struct diag dg;
	struct dashboard *db;
	const struct dash_panel *p;

	diag_init(&dg);
	db = dashboard_parse(dash_text, strlen(dash_text), "slo.json", &dg);
	CHECK(db != NULL);
	if (!db) {
		diag_free(&dg);
		return;
	}
	CHECK_INT(db->slos->n, 3);
	CHECK_STR(db->slos->v[0].error_ratio, "(E[$window]) / (T[$window])");
	CHECK_STR(db->slos->v[1].error_ratio, "1 - ((G[$window]) / (T[$window]))");
	CHECK_INT(db->slos->v[1].period, 28 * D);
	CHECK_INT(db->slos->v[1].nwin, 1);
	CHECK_NEAR(db->slos->v[1].win[0].factor, 10, 0);
	CHECK_NEAR(db->slos->v[1].objective, 0.99, 1e-12);
	p = &db->panels[0];
	CHECK(p->slo == &db->slos->v[0]);
	/* 5m 30m 1h 2h 6h 1d 3d 30d, then the budget range query */
	CHECK_INT(p->nq, 9);
	CHECK_STR(p->q[0].ref, "w:5m");
	CHECK_STR(p->q[0].expr, "(E[5m]) / (T[5m])");
	CHECK_STR(p->q[1].ref, "w:30m");
	CHECK_STR(p->q[6].ref, "w:3d");
	CHECK_STR(p->q[7].ref, "w:30d");
	CHECK_STR(p->q[8].ref, "budget");
	CHECK_STR(p->q[8].expr, "(E[30d]) / (T[30d])");
	p = &db->panels[1];
	CHECK(p->slo != NULL && strcmp(p->slo->name, "c") == 0);
	dashboard_free(db);
	diag_free(&dg);
}

TEST(slo_dashboard_errors_have_positions)
{
	static const char bad[] =
	    "{\"slos\": [\n  {\"name\": \"x\", \"objective\": 99.9, \"good\": \"G\"}\n ],\n"
	    " \"panels\": [{\"type\": \"slo\", \"options\": {\"slo\": \"missing\"}}]}";
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = dashboard_parse(bad, strlen(bad), "bad.json", &dg);
	CHECK(db == NULL);
	CHECK(dg.nerrors == 2);
	CHECK_CONTAINS(dg.e[0].msg, "bad.json:2:");
	CHECK_CONTAINS(dg.e[0].msg, "\"good\" and \"total\"");
	CHECK_CONTAINS(dg.e[1].msg, "no SLO named 'missing'");
	dashboard_free(db);
	diag_free(&dg);
}

TEST(slo_sloth_file)
{
	struct slo_set set = { 0 };
	struct diag dg;
	const struct slo *s;

	diag_init(&dg);
	CHECK_INT(slo_load_file(&set, t_fixture("slo/sloth.yaml"), &dg), 2);
	CHECK_INT(dg.nerrors, 0);
	s = slo_find(&set, "order-requests-availability");
	CHECK(s != NULL);
	if (s) {
		CHECK_NEAR(s->objective, 0.999, 1e-12);
		CHECK_STR(s->service, "order");
		CHECK_INT(s->period, 30 * D);
		CHECK_STR(s->error_ratio,
		    "(sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"order\","
		    "response_code=~\"5..\"}[$window]))) / (sum(rate(istio_requests_total{reporter=\"destination\","
		    "destination_service_name=\"order\"}[$window])))");
		/* the ticket alert is disabled: only the two page windows remain */
		CHECK_INT(s->nwin, 2);
		CHECK_STR(s->win[1].severity, "page");
		CHECK_CONTAINS(s->origin, "sloth.yaml:8");
	}
	s = slo_find(&set, "order-latency-raw");
	CHECK(s != NULL);
	if (s) {
		CHECK_NEAR(s->objective, 0.99, 1e-12);
		CHECK_CONTAINS(s->error_ratio, "le=\"1000\"}[$window]");
		CHECK_INT(s->nwin, 4);
	}
	slo_set_free(&set);
	diag_free(&dg);
}

TEST(slo_sloth_crd_file)
{
	struct slo_set set = { 0 };
	struct diag dg;

	diag_init(&dg);
	CHECK_INT(slo_load_file(&set, t_fixture("slo/sloth-crd.yaml"), &dg), 1);
	CHECK_INT(dg.nerrors, 0);
	CHECK_STR(set.n ? set.v[0].name : NULL, "payment-charge-availability");
	if (set.n) {
		CHECK_NEAR(set.v[0].objective, 0.995, 1e-12);
		CHECK_INT(set.v[0].nwin, 2);	/* page disabled: the ticket windows */
		CHECK_STR(set.v[0].win[0].severity, "ticket");
	}
	slo_set_free(&set);
	diag_free(&dg);
}

TEST(slo_openslo_file)
{
	struct slo_set set = { 0 };
	struct diag dg;
	const struct slo *s;

	diag_init(&dg);
	CHECK_INT(slo_load_file(&set, t_fixture("slo/openslo.yaml"), &dg), 2);
	CHECK_INT(dg.nerrors, 0);
	s = slo_find(&set, "frontend-availability");
	CHECK(s != NULL);
	if (s) {
		CHECK_NEAR(s->objective, 0.995, 1e-12);
		CHECK_INT(s->period, 28 * D);
		CHECK_NEAR(s->win[0].factor, 13.44, 1e-12);
		CHECK_STR(s->error_ratio,
		    "1 - ((sum(rate(istio_requests_total{destination_service_name=\"frontend\","
		    "response_code!~\"5..\"}[$window]))) / (sum(rate(istio_requests_total{"
		    "destination_service_name=\"frontend\"}[$window]))))");
	}
	s = slo_find(&set, "cart-errors");
	CHECK(s != NULL);
	if (s) {
		CHECK_NEAR(s->objective, 0.9995, 1e-12);
		CHECK_INT(s->period, 7 * D);
		/* not a bare selector: a subquery over the window */
		CHECK_CONTAINS(s->error_ratio, "sum(rate((sum by (x) (istio_requests_total{");
		CHECK_CONTAINS(s->error_ratio, "}))[$window:]))) / (sum(rate(istio_requests_total{");
	}
	slo_set_free(&set);
	diag_free(&dg);
}

TEST(slo_unsupported_files_fail_clearly)
{
	struct slo_set set = { 0 };
	struct diag dg;

	diag_init(&dg);
	CHECK(slo_load_file(&set, t_fixture("slo/bad-threshold.yaml"), &dg) < 0);
	CHECK(dg.nerrors >= 1);
	CHECK_CONTAINS(dg.e[0].msg, "thresholdMetric");
	CHECK_CONTAINS(dg.e[0].msg, "bad-threshold.yaml:");
	diag_free(&dg);
	diag_init(&dg);
	CHECK(slo_load_file(&set, t_fixture("slo/bad-plugin.yaml"), &dg) < 0);
	CHECK_CONTAINS(diag_first_error(&dg), "plugins");
	diag_free(&dg);
	diag_init(&dg);
	CHECK(slo_load_text(&set, "kind: Deployment\n", 17, "x.yaml", &dg) < 0);
	CHECK_CONTAINS(diag_first_error(&dg), "not a Sloth");
	CHECK_INT(set.n, 0);
	slo_set_free(&set);
	diag_free(&dg);
}
