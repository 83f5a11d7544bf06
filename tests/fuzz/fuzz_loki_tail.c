/* libFuzzer target: a Loki tail frame, then the store (sort, dedup, gaps).
 * fuzz-sources: sources/lokiparse.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/logs.h"
#include "core/logstore.h"
#include "sources/lokiparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct logstore *ls;
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	char *err = NULL;

	if (!ls)
		ls = logstore_new(4u << 20);
	if (lokiparse_tail((const char *)data, size, e, &err) == 0)
		logstore_apply(ls, "k", e);
	free(err);
	ev_logs_free(e);
	return 0;
}
