/* arena: a bump allocator for data that lives and dies together (the
 * strings and arrays of one parsed trace).  Chunks are malloc'ed as
 * needed and freed at once; nothing is freed individually.  Allocation
 * failure is fatal like xmalloc.  arena_bytes() is what the store counts
 * against its limits. */
#ifndef SCRY_ARENA_H
#define SCRY_ARENA_H
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;
	size_t			 bytes;		/* total chunk bytes held */
};

void	 arena_init(struct arena *a);
void	 arena_free(struct arena *a);
/* n bytes aligned to 8, zeroed. */
void	*arena_alloc(struct arena *a, size_t n);
/* Allocate nmemb * size bytes, checking the multiplication. */
void	*arena_array(struct arena *a, size_t nmemb, size_t size);
char	*arena_strdup(struct arena *a, const char *s);
char	*arena_strndup(struct arena *a, const char *s, size_t n);
size_t	 arena_bytes(const struct arena *a);

#endif
