/* toplayout: a layered (Sugiyama-style) layout of a directed graph on a
 * character grid, for the service topology.
 *
 * Steps: self-loops are set aside; cycles are broken by reversing the
 * back edges of a depth-first search (entry points first); layers come
 * from the longest path from the sources, so entry points are on the
 * left and callees to their right; edges spanning several layers get a
 * dummy item in every layer between; the order inside each layer is
 * improved by barycentric sweeps (down and up) keeping the order with the
 * fewest crossings; items are placed top to bottom, each as close to the
 * median row of its callers as the order allows; every edge gets its own
 * port row on both items, so labels and arrows never share a row.
 *
 * Routing is orthogonal: a segment between adjacent layers leaves its
 * item at row y1, runs right to a bus column in the gap, turns to row y2
 * and runs into the next item.  Each gap holds a label zone (left, on
 * the rows where segments leave real nodes) and then the bus columns;
 * buses whose rows overlap never share a column, and a segment that
 * leaves at the row where another arrives turns before it, so lines only
 * meet where they cross.
 *
 * Invariants of the result: items [0, n) are the input nodes (same
 * index), dummies follow; items of a layer do not overlap vertically;
 * x ranges of layers and gaps do not overlap; every input edge that is
 * not a self-loop is a chain of segments from layer to layer + 1.
 * Pure and deterministic: the same input gives the same layout. */
#ifndef SCRY_TOPLAYOUT_H
#define SCRY_TOPLAYOUT_H
#include <stddef.h>
#include <stdint.h>

struct tl_node {
	int	w, h;		/* box size in cells (borders included) */
};

struct tl_edge {
	int	u, v;		/* node indexes; u == v is a self-loop (not laid out) */
	int	label;		/* columns the label needs on the first segment (0: none) */
};

struct tl_opts {
	int	border;		/* rows above the first port (box border), also below */
	int	vgap;		/* blank rows between items of a layer (default 1) */
	int	sweeps;		/* ordering sweeps (0: default 24) */
};

struct tl_item {
	int	node;		/* input node index, -1 for a dummy */
	int	layer, order;
	int	x, y, w, h;
	int	edge;		/* dummy: the input edge it carries */
};

struct tl_seg {
	int	a, b;		/* items in layers L and L + 1 (layout direction) */
	int	edge;		/* input edge */
	int	y1, y2;		/* rows where it leaves a and enters b */
	int	x1, x2;		/* first cell after a, last cell before b */
	int	bus;		/* column of the vertical part, -1 when y1 == y2 */
	int	label_x;	/* first column of the label (first segment only), -1 none */
	uint8_t	first, last;	/* first / last segment of its edge (layout direction) */
};

struct tl_result {
	struct tl_item	*it;
	size_t		 nit;
	struct tl_seg	*sg;
	size_t		 nsg;
	uint8_t		*rev;		/* per input edge: laid out reversed (cycle broken) */
	uint8_t		*self;		/* per input edge: a self-loop (no segments) */
	int		 nlayers;
	int		*layer_x, *layer_w;
	int		 width, height;
	long		 crossings;	/* between adjacent layers, after ordering */
};

/* Lay out n nodes and m edges.  Always succeeds (allocation failure is
 * fatal); free the result with toplayout_free. */
void	toplayout_compute(const struct tl_node *nodes, size_t n, const struct tl_edge *edges,
	    size_t m, const struct tl_opts *o, struct tl_result *out);
void	toplayout_free(struct tl_result *r);
/* Crossings between adjacent layers of the result's order (tests, bench). */
long	toplayout_crossings(const struct tl_result *r);

#endif
