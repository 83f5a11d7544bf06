/* hmap: string-keyed hash map (open addressing), keys copied, values are
 * caller-owned pointers.  Iteration order is unspecified. */
#ifndef SCRY_HMAP_H
#define SCRY_HMAP_H
#include <stddef.h>

struct hmap_ent {
	char	*key;
	void	*val;
	size_t	 hash;
};

struct hmap {
	struct hmap_ent	*e;
	size_t		 cap;	/* power of two or 0 */
	size_t		 n;
	size_t		 tomb;
};

void	 hmap_init(struct hmap *m);
/* Frees keys; calls free_val on each value when not NULL. */
void	 hmap_free(struct hmap *m, void (*free_val)(void *));
void	*hmap_get(const struct hmap *m, const char *key);
/* Insert or replace; returns the previous value or NULL. */
void	*hmap_put(struct hmap *m, const char *key, void *val);
void	*hmap_del(struct hmap *m, const char *key);
/* Iterate: start with *it = 0; returns 0 at the end. */
int	 hmap_next(const struct hmap *m, size_t *it, const char **key, void **val);

#endif
