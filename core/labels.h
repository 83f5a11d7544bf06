/* labels: a label set (sorted name/value pairs) with a stable hash.
 * Label sets identify series, log streams and alerts. */
#ifndef SCRY_LABELS_H
#define SCRY_LABELS_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct label {
	char	*name;
	char	*value;
};

struct labelset {
	struct label	*v;
	uint32_t	 n, cap;
	uint64_t	 hash;	/* valid after labels_finish() */
};

void		 labels_init(struct labelset *ls);
void		 labels_free(struct labelset *ls);
/* Add (or replace) a pair, keeping names sorted. */
void		 labels_set(struct labelset *ls, const char *name, const char *value);
void		 labels_setn(struct labelset *ls, const char *name, size_t nlen, const char *value, size_t vlen);
/* Compute the hash; call after the last labels_set. */
void		 labels_finish(struct labelset *ls);
const char	*labels_get(const struct labelset *ls, const char *name);
int		 labels_equal(const struct labelset *a, const struct labelset *b);
void		 labels_copy(struct labelset *dst, const struct labelset *src);
/* {a="b", c="d"} (values raw; sanitise before display). */
void		 labels_format(const struct labelset *ls, struct buf *b, int skip_name);
/* Bytes used, for store accounting. */
size_t		 labels_bytes(const struct labelset *ls);
/* Binary codec for recordings. */
int		 labels_encode(const struct labelset *ls, struct buf *b);
int		 labels_decode(struct labelset *ls, struct rd *r);
uint64_t	 hash_bytes(const void *p, size_t n, uint64_t seed);

#endif
