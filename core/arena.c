/* arena: chunked bump allocation.  Invariant: every pointer handed out
 * lies inside a chunk of the list and stays valid until arena_free(). */
#include "core/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define CHUNK_MIN	(64u * 1024)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size, used;
	max_align_t		 data[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->bytes = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head, *n;

	for (; c; c = n) {
		n = c->next;
		free(c);
	}
	a->head = NULL;
	a->bytes = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + 7) & ~(size_t)7;
	void *p;

	if (need < n)
		fatal("arena: allocation too large");
	if (!c || c->size - c->used < need) {
		size_t sz = need > CHUNK_MIN ? need : CHUNK_MIN;
		if (sz > SIZE_MAX - sizeof *c)
			fatal("arena: allocation too large");
		c = xmalloc(sizeof *c + sz);
		c->size = sz;
		c->used = 0;
		if (need > CHUNK_MIN / 4 && a->head) {
			/* a big block: keep filling the current chunk afterwards */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		a->bytes += sz;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

void *
arena_array(struct arena *a, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		fatal("arena: array too large");
	return arena_alloc(a, nmemb * size);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

size_t
arena_bytes(const struct arena *a)
{
	return a->bytes;
}
