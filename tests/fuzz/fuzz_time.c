/* fuzz target: duration/time parsing and value formatting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ts.h"
#include "core/units.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), out[64];
	tns d, t;
	double v;

	if (ts_parse_duration(s, &d) == 0) {
		ts_fmt_duration(out, sizeof out, d);
		ts_fmt_promql_duration(out, sizeof out, d);
	}
	if (ts_parse_time(s, 1795659420 * NS_PER_S, 1, &t) == 0)
		ts_fmt_rfc3339(out, sizeof out, t);
	if (size >= 8) {
		static const char *const units[] = { "s", "ms", "bytes", "percentunit", "reqps", "", "x" };
		memcpy(&v, data, 8);
		unit_format(v, units[data[size - 1] % 7], (int)(data[size - 1] % 5) - 1, out, sizeof out);
		(void)unit_tick_step(v, data[0] % 20, "s");
	}
	free(s);
	return 0;
}
