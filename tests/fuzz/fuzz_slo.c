/* fuzz target: SLO files — Sloth (prometheus/v1 and the CRD), OpenSLO and
 * scry documents, in YAML (core/yaml.c over libyaml: anchors, aliases,
 * merge keys, multi-document) or JSON (core/slo_import.c) — and what an
 * slo panel derives from each objective: the window expressions, the
 * panel's queries, the burn-rate arithmetic. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/slo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use(const struct slo *s)
{
	struct dash_query *q = NULL;
	size_t nq = 0;
	double rem;

	for (size_t w = 0; w < s->nwin; w++) {
		free(slo_expr(s, s->win[w].long_w));
		free(slo_expr(s, s->win[w].short_w));
		(void)slo_window_firing(&s->win[w], 20, 20);
	}
	slo_panel_queries(s, &q, &nq);
	for (size_t i = 0; i < nq; i++) {
		free(q[i].expr);
		free(q[i].legend);
		free(q[i].source);
		free(q[i].ref);
	}
	free(q);
	rem = slo_budget_remaining(s, 0.0004);
	(void)slo_time_to_exhaustion(s, rem, slo_burn_rate(s, 0.02));
	(void)slo_time_to_exhaustion(s, 0.5, INFINITY);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slo_set set = { 0 };
	struct diag dg;

	diag_init(&dg);
	if (slo_load_text(&set, (const char *)data, size, "fuzz.yaml", &dg) > 0)
		for (size_t i = 0; i < set.n; i++)
			use(&set.v[i]);
	slo_set_free(&set);
	diag_free(&dg);
	return 0;
}
