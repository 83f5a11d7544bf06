/* values: the answer to a dashboard variable's query (label_values(...),
 * label_names(), metrics(...), query_result(...)): an ordered list of
 * distinct strings.  An event, so variable choices are recorded and
 * replayed like every other answer; the store keeps the latest list per
 * query key. */
#ifndef SCRY_VALUES_H
#define SCRY_VALUES_H
#include <stddef.h>

#include "core/event.h"

#define VALUES_MAX	10000	/* values kept per answer; the rest are counted */

struct ev_values {
	char	**v;
	size_t	  n;
	size_t	  dropped;	/* beyond VALUES_MAX */
};

extern const struct ev_ops values_ev_ops;

struct ev_values *ev_values_new(void);
/* Append (beyond VALUES_MAX only counted). */
void		  ev_values_add(struct ev_values *e, const char *s, size_t n);
void		  ev_values_free(void *p);
/* Drop duplicates (keeping the first), then sort if asked. */
void		  ev_values_finish(struct ev_values *e, int sort);

#endif
