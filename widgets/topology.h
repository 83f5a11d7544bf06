/* topology: state shared by the topology widget's files (topology.c: the
 * widget, options, data and keys; topodraw.c: the graph, the edge table
 * and the side summary).
 *
 * Pipeline per frame, each step cached by a signature of its inputs:
 *   store (instant answers at the snapshot time, pods at that time)
 *     -> cur      the snapshot (core/topology.h), pods annotated
 *     -> cmp      cur marked against the frozen snapshot (s), if any
 *     -> view     cmp with namespaces folded (c) and the name filter (/)
 *     -> layout   core/toplayout.h, bordered boxes or compact rows
 * Selection is kept by identity (namespace, name) across rebuilds. */
#ifndef SCRY_TOPOLOGY_WIDGET_H
#define SCRY_TOPOLOGY_WIDGET_H
#include <stddef.h>
#include <stdint.h>

#include "core/toplayout.h"
#include "core/topology.h"
#include "widgets/rowfilter.h"
#include "widgets/widget.h"

enum topo_viewmode { TV_AUTO, TV_GRAPH, TV_TABLE };

#define TOPO_SUMMARY_W	34
#define TOPO_NAME_MAX	24
#define TOPO_SUMMARY_EDGES	6	/* unhealthy edges listed in the summary */

struct topo_state {
	/* options */
	struct topo_opts	 o;
	struct topo_th		 th;
	char			*ns, *selector, *reporter, *kube;
	char			*focus;		/* show only it and its neighbours */
	int			 pods;		/* annotate with pod health */
	int			 summary;	/* side summary */
	char			 qname[16], window[16], metrics[64];
	char			*q[TQ_MAX];	/* generated PromQL */
	/* the data */
	struct topology		 cur, cmp, view;
	struct topology		 frozen;
	int			 have_frozen;
	uint64_t		 frozen_gen;
	uint64_t		 sig_cur, sig_view;
	tns			 at;		/* the time asked (cursor or window end) */
	tns			 eval;		/* evaluation time of the request answer */
	int			 pods_state;	/* 0 no source, 1 data, 2 none as of `at` */
	tns			 pods_first;	/* first list time (pods_state 2) */
	char			 pods_err[200];	/* the kubectl source's error, "" none */
	/* the layout */
	struct tl_result	 lay;
	int			 lay_border, lay_valid;
	int			 lay_w, lay_h, lay_fits;	/* the area the choice was made for */
	uint64_t		 lay_sig;
	int			*rank;		/* view edges, worst first */
	/* what the user sees */
	enum topo_viewmode	 mode;
	int			 collapse;
	struct rowfilter	 filt;
	uint64_t		 filt_gen;
	int			 sel;		/* view node (graph) or rank row (table), -1 */
	char			 sel_ns[256], sel_name[256];
	int			 sel_moved;	/* scroll the selection into view */
	int			 sx, sy;	/* graph viewport origin */
	int			 ttop;		/* table: first row shown */
	int			 table;		/* the last frame drew the table */
	int			 gw, gh;	/* graph area of the last frame */
};

/* topology.c */
/* Rebuild cur/cmp/view from the store when their inputs changed. */
void	topo_w_refresh(struct panel *p, const struct wctx *c);
/* Node display name: "payment", a folded namespace "shop (5)". */
void	topo_w_node_label(const struct topo_node *n, char *dst, size_t len);

/* topodraw.c */
void	topo_w_draw(struct panel *p, struct canvas *cv, const struct wctx *c);
/* Lay out the view (bordered or compact) for a graph area of w x h;
 * returns 1 when the result fits the area. */
int	topo_w_layout(struct topo_state *s, int w, int h, int inside);
/* The edge label: "25.0/s 92% 4.4s" (plus the change mark). */
void	topo_w_edge_label(const struct topo_edge *e, int ascii, char *dst, size_t n);

#endif
