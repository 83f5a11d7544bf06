/* fuzz target: the binary event codec (recordings are untrusted input).
 * Every registered event kind is reachable.  Invariant: anything that
 * decodes re-encodes to bytes that decode to the same encoding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r;
	int guard = 0;

	rd_init(&r, data, size);
	while (r.off < r.len && guard++ < 64) {
		char *err = NULL;
		struct event *ev = event_decode(&r, &err);
		if (!ev) {
			free(err);
			break;
		}
		struct buf a, b;
		buf_init(&a, 256u << 20);
		buf_init(&b, 256u << 20);
		if (event_encode(ev, &a) == 0) {
			struct rd r2;
			char *err2 = NULL;
			struct event *ev2;
			rd_init(&r2, a.data, a.len);
			if (!(ev2 = event_decode(&r2, &err2)))
				abort();
			if (event_encode(ev2, &b) < 0 || a.len != b.len || memcmp(a.data, b.data, a.len))
				abort();
			event_free(ev2);
		}
		buf_free(&a);
		buf_free(&b);
		event_free(ev);
	}
	return 0;
}
