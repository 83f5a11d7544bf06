/* jsplit: split a JSON byte stream into values without parsing it whole.
 *
 * JS_SEQ: a sequence of top-level objects/arrays (kubectl --watch
 * --output-watch-events -o json prints one event object after another,
 * compact or indented); each complete value is passed to the callback.
 * JS_ITEMS: one top-level object whose "items" array elements are passed
 * one by one (a List from kubectl get -o json), so a 40 MB list never
 * becomes one 400 MB tree.
 * Bytes may arrive in any chunking.  An element larger than max_elem is
 * skipped and counted; stray bytes outside values are counted as errors
 * and skipped (the stream resynchronises at the next '{' or '['). */
#ifndef SCRY_JSPLIT_H
#define SCRY_JSPLIT_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum jsplit_mode { JS_SEQ, JS_ITEMS };

typedef void (*jsplit_fn)(void *ctx, const char *json, size_t n);

struct jsplit {
	enum jsplit_mode mode;
	jsplit_fn	 cb;
	void		*ctx;
	struct buf	 cur;		/* the element being collected */
	int		 depth;
	int		 in_str, esc;
	int		 capture;	/* collecting an element */
	int		 skip;		/* element too large: drop at its end */
	int		 in_items;	/* JS_ITEMS: inside the top-level "items" array */
	int		 want_key;	/* JS_ITEMS: next string at depth 1 is a key */
	int		 key_on;	/* collecting that key */
	char		 key[16];
	size_t		 keylen;
	char		 last_key[16];
	uint64_t	 values;	/* values emitted */
	uint64_t	 dropped;	/* values too large */
	uint64_t	 stray;		/* stray bytes outside values */
	int		 seen_top;	/* JS_ITEMS: saw the top-level object */
};

void	jsplit_init(struct jsplit *js, enum jsplit_mode mode, size_t max_elem, jsplit_fn cb,
	    void *ctx);
void	jsplit_feed(struct jsplit *js, const char *p, size_t n);
/* Was the stream complete (not inside a value)? */
int	jsplit_idle(const struct jsplit *js);
void	jsplit_free(struct jsplit *js);

#endif
