/* fuzz target: theme files. */
#include <stdint.h>

#include "core/diag.h"
#include "core/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	struct diag dg;

	diag_init(&dg);
	theme_default(&t);
	theme_parse(&t, (const char *)data, size, "fuzz.theme", &dg);
	for (int r = 0; r < ROLE_COUNT; r++)
		for (int cm = CM_MONO; cm <= CM_256; cm++)
			(void)theme_style(&t, (enum role)r, (enum colormode)cm);
	theme_free(&t);
	diag_free(&dg);
	return 0;
}
