/* slotool: scry's SLO and heatmap code driven from integration tests.
 *   slotool queries FILE      the queries scry's slo panels send for the
 *                             SLOs in FILE: "slo<TAB>ref<TAB>expr" lines
 *   slotool quantile Q        a Prometheus query_range answer of bucket rates
 *                             on stdin -> "time<TAB>quantile" per step, as
 *                             the heatmap computes its quantile lines
 *   slotool buckets           the same answer -> "time<TAB>le<TAB>count" per
 *                             step and bucket: the heatmap's cells (the
 *                             buckets de-accumulated)
 *   slotool burn FILE SLO RATIO...   burn rates of error ratios, and the
 *                             budget left and time to exhaustion of the first */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/dashboard.h"
#include "core/slo.h"
#include "core/xalloc.h"
#include "widgets/heatgrid.h"

static int
queries(const char *file)
{
	const char *files[] = { file };
	struct dash_load_opts lo = { .slo_files = files, .nslo_files = 1 };
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = dashboard_open(NULL, &lo, &dg);
	if (!db) {
		fprintf(stderr, "slotool: %s\n", diag_first_error(&dg));
		diag_free(&dg);
		return 1;
	}
	for (size_t i = 0; i < db->npanels; i++)
		for (size_t k = 0; db->panels[i].slo && k < db->panels[i].nq; k++) {
			printf("%s\t%s\t", db->panels[i].slo->name, db->panels[i].q[k].ref);
			/* one line per query: YAML block scalars keep their newlines */
			for (const char *c = db->panels[i].q[k].expr; *c; c++)
				putchar(*c == '\n' || *c == '\t' ? ' ' : *c);
			putchar('\n');
		}
	dashboard_free(db);
	diag_free(&dg);
	return 0;
}

static char *
read_all(FILE *f)
{
	size_t cap = 1 << 16, n = 0, r;
	char *b = xmalloc(cap);

	while ((r = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 >= cap) {
			if (cap > (64u << 20)) {
				free(b);
				return NULL;
			}
			cap *= 2;
			b = xrealloc(b, cap);
		}
	}
	b[n] = '\0';
	return b;
}

/* q < 0: print the cells instead of the quantile line */
static int
grid(double q)
{
	char *text = read_all(stdin);
	cJSON *j = text ? cJSON_Parse(text) : NULL;
	const cJSON *res = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "data"), "result");
	size_t n = (size_t)cJSON_GetArraySize(res), k = 0;
	struct series *s = xcalloc(n + 1, sizeof *s);
	const struct series **sp = xcalloc(n + 1, sizeof *sp);
	tns first = TNS_NONE, last = TNS_NONE, step = 0;
	struct heatgrid g;

	if (!j || !cJSON_IsArray(res) || !n) {
		fprintf(stderr, "slotool: expected a query_range answer with series\n");
		return 1;
	}
	for (const cJSON *r = res->child; r; r = r->next, k++) {
		const cJSON *m = cJSON_GetObjectItem(r, "metric"), *vals = cJSON_GetObjectItem(r, "values");
		labels_init(&s[k].labels);
		for (const cJSON *l = m ? m->child : NULL; l; l = l->next)
			labels_set(&s[k].labels, l->string, l->valuestring);
		labels_finish(&s[k].labels);
		s[k].t = xcalloc((size_t)cJSON_GetArraySize(vals) + 1, sizeof *s[k].t);
		s[k].v = xcalloc((size_t)cJSON_GetArraySize(vals) + 1, sizeof *s[k].v);
		for (const cJSON *p = vals ? vals->child : NULL; p; p = p->next) {
			tns t = (tns)llround(cJSON_GetArrayItem(p, 0)->valuedouble * 1e3) * NS_PER_MS;
			s[k].t[s[k].n] = t;
			s[k].v[s[k].n++] = strtod(cJSON_GetArrayItem(p, 1)->valuestring, NULL);
			if (first == TNS_NONE || t < first)
				first = t;
			if (last == TNS_NONE || t > last)
				last = t;
		}
		if (s[k].n > 1)
			step = s[k].t[1] - s[k].t[0];
		sp[k] = &s[k];
	}
	if (!step)
		step = NS_PER_S;
	/* one column per step, the column [t, t + step) holding the point at t */
	heatgrid_build(&g, sp, n, first, last + step, (size_t)((last - first) / step + 1), &q, q >= 0);
	for (size_t c = 0; c < g.ncols; c++) {
		long long t = (long long)((first + (tns)c * step) / NS_PER_S);
		if (q >= 0)
			printf("%lld\t%.17g\n", t, g.q[c]);
		else
			for (size_t b = 0; b < g.nb; b++)
				printf("%lld\t%g\t%.17g\n", t, g.le[b], heatgrid_cell(&g, c, b));
	}
	heatgrid_free(&g);
	for (size_t i = 0; i < n; i++) {
		labels_free(&s[i].labels);
		free(s[i].t);
		free(s[i].v);
	}
	free(s);
	free(sp);
	cJSON_Delete(j);
	free(text);
	return 0;
}

static int
burn(const char *file, const char *name, int argc, char **argv)
{
	struct slo_set set = { 0 };
	struct diag dg;
	const struct slo *s;

	diag_init(&dg);
	if (slo_load_file(&set, file, &dg) < 0 || !(s = slo_find(&set, name))) {
		fprintf(stderr, "slotool: %s\n", diag_first_error(&dg) ? diag_first_error(&dg) : "no such SLO");
		return 1;
	}
	for (int i = 0; i < argc; i++)
		printf("burn\t%.17g\n", slo_burn_rate(s, strtod(argv[i], NULL)));
	if (argc) {
		double rem = slo_budget_remaining(s, strtod(argv[0], NULL));
		printf("remaining\t%.17g\n", rem);
	}
	slo_set_free(&set);
	diag_free(&dg);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "queries") == 0)
		return queries(argv[2]);
	if (argc == 3 && strcmp(argv[1], "quantile") == 0)
		return grid(strtod(argv[2], NULL));
	if (argc == 2 && strcmp(argv[1], "buckets") == 0)
		return grid(-1);
	if (argc >= 4 && strcmp(argv[1], "burn") == 0)
		return burn(argv[2], argv[3], argc - 4, argv + 4);
	fprintf(stderr, "usage: slotool queries FILE | quantile Q < answer.json | buckets < answer.json | "
	    "burn FILE SLO RATIO...\n");
	return 2;
}
