/* values: variable-value list events and their codec.
 * Invariant: v[] holds at most VALUES_MAX distinct strings. */
#include "core/values.h"

#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "core/xalloc.h"

#define VALUE_LEN_MAX	(64 * 1024)

struct ev_values *
ev_values_new(void)
{
	return xcalloc(1, sizeof(struct ev_values));
}

void
ev_values_add(struct ev_values *e, const char *s, size_t n)
{
	if (n > VALUE_LEN_MAX)
		n = VALUE_LEN_MAX;
	if (e->n >= VALUES_MAX) {
		e->dropped++;
		return;
	}
	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	e->v[e->n++] = xstrndup(s, n);
}

void
ev_values_free(void *p)
{
	struct ev_values *e = p;

	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	free(e);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
ev_values_finish(struct ev_values *e, int sort)
{
	struct hmap seen;
	size_t w = 0;
	static char mark;

	hmap_init(&seen);
	for (size_t i = 0; i < e->n; i++) {
		if (hmap_get(&seen, e->v[i])) {
			free(e->v[i]);
			continue;
		}
		hmap_put(&seen, e->v[i], &mark);
		e->v[w++] = e->v[i];
	}
	e->n = w;
	hmap_free(&seen, NULL);
	if (sort && e->n > 1)
		qsort(e->v, e->n, sizeof *e->v, cmp_str);
}

static int
values_encode(const void *p, struct buf *b)
{
	const struct ev_values *e = p;

	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++)
		buf_put_str(b, e->v[i], strlen(e->v[i]));
	buf_put_uvarint(b, e->dropped);
	return b->overflow ? -1 : 0;
}

static void *
values_decode(struct rd *r, char **err)
{
	struct ev_values *e = ev_values_new();
	uint64_t n, dropped;

	if (rd_uvarint(r, &n) < 0 || n > VALUES_MAX)
		goto bad;
	for (uint64_t i = 0; i < n; i++) {
		const char *s;
		size_t len;
		if (rd_str(r, &s, &len, VALUE_LEN_MAX) < 0)
			goto bad;
		ev_values_add(e, s, len);
	}
	ev_values_finish(e, 0);
	if (rd_uvarint(r, &dropped) < 0)
		goto bad;
	e->dropped = (size_t)dropped;
	return e;
bad:
	ev_values_free(e);
	*err = xstrdup("malformed values event");
	return NULL;
}

const struct ev_ops values_ev_ops = {
	.name = "values",
	.free = ev_values_free,
	.encode = values_encode,
	.decode = values_decode,
};
