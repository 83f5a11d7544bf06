/* kubeui: helpers shared by the Kubernetes widgets (pods, pod, events,
 * kubelogs): the time they show, list navigation keys, usage bars, the
 * "no data at this time" state, and the pivots (pod detail, logs). */
#ifndef SCRY_KUBEUI_H
#define SCRY_KUBEUI_H
#include <stddef.h>

#include "core/kube.h"
#include "core/kubetable.h"
#include "widgets/widget.h"

/* The time Kubernetes panels show: the cursor, else the window's end. */
tns	kubeui_time(const struct wctx *c);
/* A horizontal bar of w cells filled to frac (0..1, clipped) in eighths. */
void	kubeui_bar(struct canvas *cv, int x, int y, int w, double frac, enum role role, int ascii);
/* j k arrows PgUp PgDn g G Home End on a list of n rows; 1 if handled. */
int	kubeui_nav_key(int key, int *sel, int n, int page, const struct wctx *c);
/* When `at` is before the first list of every view: say so, return 1. */
int	kubeui_before_first(struct canvas *cv, const struct kube_view *v, int n, tns at,
	    const struct wctx *c);
/* Does any need of this kind have Kubernetes data in the store? */
int	kubeui_has_kind(const struct panel *p, const struct wctx *c, const char *kind);
/* The store key of the need (query q, kind), or NULL. */
const char *kubeui_key(const struct panel *p, size_t q, const char *kind);
/* The source name behind query q (from its key), or NULL. */
int	kubeui_source(const struct panel *p, size_t q, char *dst, size_t n);
/* Pivots. */
void	kubeui_open_pod(struct panel *p, const struct wctx *c, int q, const char *ns,
	    const char *name);
void	kubeui_open_logs(struct panel *p, const struct wctx *c, int q, const struct kpod *pod,
	    int previous);

#endif
