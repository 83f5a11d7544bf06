/* fuzz target: template expansion ($var, ${var:fmt}, [[var]], $__interval)
 * over a dashboard with single, multi and All variables, for queries
 * (PromQL, LogQL: tmpl_expand) and titles (tmpl_expand_text), and the
 * Prometheus variable queries (label_values(...), query_result(...))
 * parsed from the expanded text.
 *
 * Input: the expression, optionally followed by a NUL and the values of
 * the multi-value variable "svc" (and the known values of the All
 * variable "all"), one per line: the values come from label values of
 * the backend, so they are untrusted too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/template.h"
#include "sources/prom_varq.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char dash[] =
    "{\"variables\":["
    "{\"name\":\"svc\",\"values\":[\"order\",\"pay.ment\"],\"current\":[\"order\",\"pay.ment\"],\"multi\":true},"
    "{\"name\":\"ns\",\"values\":\"shop\"},"
    "{\"name\":\"all\",\"values\":[\"a\",\"b\"],\"current\":[\"$__all\"],\"include_all\":true}],"
    "\"panels\":[]}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dashboard *db;
	struct diag dg;
	struct tmpl_time tt = { 60 * NS_PER_S, 15 * NS_PER_S, 3600 * NS_PER_S };
	const uint8_t *nul = memchr(data, 0, size);
	char *expr = xstrndup((const char *)data, nul ? (size_t)(nul - data) : size), *a, *b;
	char **vals = NULL, **saved_cur, **saved_vals;
	size_t nvals = 0, saved_ncur, saved_nvals;
	struct prom_varq q;
	char *qerr = NULL;

	if (!db) {
		diag_init(&dg);
		db = dashboard_parse(dash, sizeof dash - 1, "fuzz", &dg);
		diag_free(&dg);
		if (!db || db->nvars != 3 || strcmp(db->vars[0].name, "svc") ||
		    strcmp(db->vars[2].name, "all"))
			abort();
	}
	if (nul) {
		const char *p = (const char *)nul + 1, *end = (const char *)data + size;
		vals = xcalloc(size, sizeof *vals);
		while (p <= end && nvals < size) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			vals[nvals++] = xstrndup(p, n);
			p += n + 1;
		}
	}
	saved_cur = db->vars[0].current;
	saved_ncur = db->vars[0].ncurrent;
	saved_vals = db->vars[2].values;
	saved_nvals = db->vars[2].nvalues;
	if (nul) {
		db->vars[0].current = db->vars[2].values = vals;
		db->vars[0].ncurrent = db->vars[2].nvalues = nvals;
	}
	a = tmpl_expand(expr, db, NULL);
	b = tmpl_expand(a, NULL, &tt);
	(void)tmpl_has_time_vars(expr);
	free(tmpl_expand_text(expr, db));
	if (prom_varq_parse(b, &q, &qerr) == 0)
		prom_varq_free(&q);
	else
		free(qerr);
	db->vars[0].current = saved_cur;
	db->vars[0].ncurrent = saved_ncur;
	db->vars[2].values = saved_vals;
	db->vars[2].nvalues = saved_nvals;
	for (size_t i = 0; i < nvals; i++)
		free(vals[i]);
	free(vals);
	free(a);
	free(b);
	free(expr);
	return 0;
}
