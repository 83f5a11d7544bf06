/* fuzz_tracejson: libFuzzer target for the trace parsers and the tree
 * built from their output (sources/tempo_json.c, sources/jaeger_json.c,
 * core/tracetree.c) and the EV_TRACE codec.  The first byte picks the
 * parser (% 6: Tempo trace, Jaeger trace, Tempo search, Jaeger search,
 * Jaeger services, Jaeger error envelope); the rest is the answer body.
 *   clang -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *     tests/fuzz/fuzz_tracejson.c <objects> -lcjson -lm -o fuzz_tracejson */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/tracetree.h"
#include "core/xalloc.h"
#include "sources/jaeger_json.h"
#include "sources/tempo_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
exercise(struct ev_trace *t)
{
	struct tracetree tt;
	int32_t *rows = xcalloc(t->n + 1, sizeof *rows);
	uint8_t *col = xcalloc(t->n + 1, 1);
	struct event *ev;
	struct buf b;
	struct rd r;
	char *err = NULL;

	tracetree_build(&tt, t);
	for (size_t i = 0; i < t->n; i += 3)
		col[i] = 1;
	tracetree_rows(&tt, col, rows);
	for (size_t i = 0; i < t->n && i < 64; i++)
		tracetree_match(t, i, "a");
	tracetree_free(&tt);
	free(rows);
	free(col);
	ev = event_new(EV_TRACE, 1, "k", t);
	buf_init(&b, 64u << 20);
	if (event_encode(ev, &b) == 0) {
		struct event *back;
		rd_init(&r, b.data, b.len);
		back = event_decode(&r, &err);
		event_free(back);
		free(err);
	}
	buf_free(&b);
	event_free(ev);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;
	char *err = NULL;

	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0: {
		struct ev_trace *t = tempo_parse_trace(body, size - 1, NULL, 2000, &err);
		if (t)
			exercise(t);
		break;
	}
	case 1: {
		struct ev_trace *t = jaeger_parse_trace(body, size - 1, NULL, 2000, &err);
		if (t)
			exercise(t);
		break;
	}
	case 2:
		ev_tracesearch_free(tempo_parse_search(body, size - 1, 100, &err));
		break;
	case 3:
		ev_tracesearch_free(jaeger_parse_search(body, size - 1, 100, &err));
		break;
	case 4: {
		size_t n = 0;
		char **v = jaeger_parse_services(body, size - 1, &n, &err);
		for (size_t i = 0; v && i < n; i++)
			free(v[i]);
		free(v);
		break;
	}
	default:
		free(jaeger_error_text(body, size - 1));
		break;
	}
	free(err);
	return 0;
}
