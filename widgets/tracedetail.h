/* tracedetail: the text of the span detail view (Enter in the
 * waterfall): identity, timing (offset, duration, self and critical
 * time), status, every repair mark explained, attributes, resource and
 * events.  Lines are plain text with a role; the widget wraps and
 * scrolls them and the canvas sanitises them. */
#ifndef SCRY_TRACEDETAIL_H
#define SCRY_TRACEDETAIL_H
#include <stddef.h>
#include <stdint.h>

#include "core/theme.h"
#include "core/tracetree.h"

struct dline {
	char	*text;
	uint8_t	 role;		/* enum role */
	uint8_t	 attr;		/* CA_* */
	uint8_t	 indent;	/* columns; wrapped rows keep it */
};

struct dlines {
	struct dline	*l;
	size_t		 n, cap;
};

void	tracedetail_build(struct dlines *d, const struct tracetree *tt, int32_t node, int utc,
	    int ascii);
void	tracedetail_free(struct dlines *d);

#endif
