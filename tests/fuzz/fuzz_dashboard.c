/* fuzz target: dashboard files (JSON with positions), source and widget
 * option validation — everything `scry --check` runs. */
#include <stdint.h>
#include <stdlib.h>

#include "core/dashboard.h"
#include "core/diag.h"
#include "sources/source.h"
#include "widgets/widget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag dg;
	struct dashboard *db;

	diag_init(&dg);
	db = dashboard_parse((const char *)data, size, "fuzz.json", &dg);
	if (db) {
		sources_check(db, &dg);
		widgets_check(db, &dg);
		(void)dashboard_grid_height(db);
	}
	dashboard_free(db);
	diag_free(&dg);
	return 0;
}
