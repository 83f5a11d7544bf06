/* fuzz target: template expansion ($var, ${var:fmt}, [[var]], $__interval)
 * over a dashboard with single, multi and All variables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/template.h"
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
	char *expr = xstrndup((const char *)data, size), *a, *b;

	if (!db) {
		diag_init(&dg);
		db = dashboard_parse(dash, sizeof dash - 1, "fuzz", &dg);
		diag_free(&dg);
		if (!db)
			abort();
	}
	a = tmpl_expand(expr, db, NULL);
	b = tmpl_expand(a, NULL, &tt);
	(void)tmpl_has_time_vars(expr);
	free(a);
	free(b);
	free(expr);
	return 0;
}
