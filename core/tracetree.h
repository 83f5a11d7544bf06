/* tracetree: a displayable tree made from whatever spans arrived, with
 * the facts the waterfall shows (depth, self time, services, marks) and
 * the critical path.
 *
 * Malformed input is repaired, never trusted, and every repair is marked
 * on the span it touched:
 *   - a parent id not in the trace: the span is an orphan, shown at the
 *     root level (TT_ORPHAN);
 *   - parent links that form a cycle (including a span that is its own
 *     parent): the link of the cycle's earliest span is cut and that span
 *     becomes a root (TT_CYCLE);
 *   - several spans with one id: all are marked (TT_DUP); children attach
 *     to the first of them in arrival order;
 *   - a negative duration is drawn as zero (TT_NEGDUR);
 *   - a span outside the trace window (below) is clipped to it and marked
 *     (TT_OUTSIDE); a span that starts before its parent or, for a child
 *     link, ends after it, is marked as clock skew (TT_SKEW).
 *
 * The main root is the true root (no parent id) with the longest
 * duration; orphans and cut cycles are further roots after it.  The trace
 * window is the hull of every span lying within the main root's interval
 * widened by max(its duration, 1s) on both sides; spans beyond that are
 * the ones marked TT_OUTSIDE.
 *
 * Critical path (after Jaeger's definition): the chain of work that
 * determines the main root's end-to-end latency.  Walk backwards from the
 * root's end with a cursor.  At a span, among its CHILD_OF children
 * (FOLLOWS_FROM children do not hold their parent up) clipped to the
 * span's own interval, take the one that ends last at or before the
 * cursor: the time between that child's end and the cursor is the span's
 * own critical time; descend into the child with the cursor at the
 * child's end.  When no child is left, the time from the span's start to
 * the cursor is critical, and the walk returns to the parent with the
 * cursor at the span's start.  Each child is visited at most once, so the
 * walk is O(n log n) and ends on any input.  The critical segments of all
 * spans sum to the main root's duration. */
#ifndef SCRY_TRACETREE_H
#define SCRY_TRACETREE_H
#include <stddef.h>
#include <stdint.h>

#include "core/trace.h"

#define TT_ORPHAN	0x0001
#define TT_CYCLE	0x0002
#define TT_DUP		0x0004
#define TT_OUTSIDE	0x0008
#define TT_SKEW		0x0010
#define TT_NEGDUR	0x0020
#define TT_ERROR	0x0040
#define TT_CRIT		0x0080
#define TT_NOID		0x0100
#define TT_ANOMALY	(TT_ORPHAN | TT_CYCLE | TT_DUP | TT_OUTSIDE | TT_SKEW | TT_NEGDUR | TT_NOID)

struct tt_node {
	int32_t		parent;		/* node index, -1 for a root */
	int32_t		depth;
	int32_t		svc;		/* index into services */
	uint32_t	ndesc;		/* descendants */
	uint32_t	kid0, nkid;	/* children in kids[], sorted by start */
	uint32_t	seg0, nseg;	/* critical segments in seg[] */
	uint16_t	flags;
	tns		start, end;	/* end >= start */
	tns		self;		/* time not covered by children */
	tns		crit;		/* time on the critical path */
};

struct tt_seg {
	tns	a, b;
};

struct tt_service {
	const char	*name;
	uint32_t	 spans, errors;
	tns		 self;
};

struct tracetree {
	const struct ev_trace	*t;		/* borrowed */
	size_t			 n;
	struct tt_node		*nd;		/* parallel to t->s */
	int32_t			*kids;
	int32_t			*pre;		/* all nodes in display (preorder) */
	int32_t			*byid;		/* node indexes sorted by span id */
	size_t			 nbyid;
	int32_t			*roots;
	size_t			 nroots;
	int32_t			 main_root;	/* -1 if there are no spans */
	tns			 start, end;	/* the trace window */
	struct tt_seg		*seg;
	size_t			 nseg;
	struct tt_service	*svc;
	size_t			 nsvc;
	size_t			 nerr, norphan, ncycle, ndup, noutside, nskew;
	tns			 crit_total;
	int32_t			 max_depth;
};

void	tracetree_build(struct tracetree *tt, const struct ev_trace *t);
void	tracetree_free(struct tracetree *tt);
/* The rows shown when nodes with collapsed[i] set hide their subtrees:
 * node indexes in display order into rows (n entries); returns count. */
size_t	tracetree_rows(const struct tracetree *tt, const uint8_t *collapsed, int32_t *rows);
/* The first node with this span id, or -1. */
int32_t	tracetree_find(const struct tracetree *tt, const char *span_id);
/* Does the span mention needle (case-insensitive) in its service, name,
 * ids, status, attributes, resource or events? */
int	tracetree_match(const struct ev_trace *t, size_t i, const char *needle);

#endif
