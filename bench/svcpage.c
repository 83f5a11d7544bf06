/* svcpage: time to turn probe answers into a service page: N label-set
 * texts (as the "series" probes store them) parsed, the conventions
 * analysed, the page document built and parsed as a dashboard.  Prints
 * "N<TAB>microseconds" for N = 100, 1000, 10000 (best of 20). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dashboard.h"
#include "core/jdoc.h"
#include "core/labeltext.h"
#include "core/svcpage.h"
#include "core/xalloc.h"

static double
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* n texts like /api/v1/series answers for a busy Istio service */
static char **
texts(size_t n)
{
	char **t = xcalloc(n + 1, sizeof *t);

	for (size_t i = 0; i < n; i++)
		t[i] = xasprintf("{__name__=\"%s\",destination_service_name=\"order\","
		    "destination_service_namespace=\"shop\",destination_workload=\"order\","
		    "reporter=\"%s\",response_code=\"%zu\",source_workload=\"client-%zu\"}",
		    i % 3 ? "istio_requests_total" : "istio_request_duration_milliseconds_bucket",
		    i % 2 ? "source" : "destination", 200 + i % 7, i / 14);
	return t;
}

static double
once(char **t, size_t n)
{
	double a = now_us();
	struct labelset *ls = xcalloc(n + 1, sizeof *ls);
	struct svc_probe pr;
	struct diag dg;
	struct dashboard *db;
	size_t k = 0;
	cJSON *doc;
	char *text;

	for (size_t i = 0; i < n; i++)
		if (labeltext_parse(t[i], strlen(t[i]), &ls[k]) == 0)
			k++;
	memset(&pr, 0, sizeof pr);
	pr.service = "order";
	pr.series = ls;
	pr.nseries = k;
	pr.prom = "prometheus";
	doc = svcpage_build(&pr);
	text = jdoc_print(doc);
	diag_init(&dg);
	db = dashboard_parse(text, strlen(text), "page", &dg);
	a = now_us() - a;
	if (!db || k != n)
		abort();
	dashboard_free(db);
	diag_free(&dg);
	free(text);
	cJSON_Delete(doc);
	for (size_t i = 0; i < k; i++)
		labels_free(&ls[i]);
	free(ls);
	return a;
}

int
main(void)
{
	static const size_t sizes[] = { 100, 1000, 10000 };

	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		char **t = texts(sizes[s]);
		double best = 1e18;
		for (int r = 0; r < 20; r++) {
			double us = once(t, sizes[s]);
			best = us < best ? us : best;
		}
		printf("%zu\t%.0f\n", sizes[s], best);
		for (size_t i = 0; i < sizes[s]; i++)
			free(t[i]);
		free(t);
	}
	return 0;
}
