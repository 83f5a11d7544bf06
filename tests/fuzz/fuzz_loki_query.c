/* libFuzzer target: a Loki query / query_range body (streams or series).
 * fuzz-sources: sources/lokiparse.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/logs.h"
#include "core/series.h"
#include "sources/lokiparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;

	lokiparse_query((const char *)data, size, e, &s, &rt, &err);
	ev_logs_sort(e);
	free(err);
	ev_logs_free(e);
	ev_series_free(s);
	return 0;
}
