/* kubectl: the source that runs the user's own kubectl (internal header
 * shared by kubectl.c, kubewatch.c and kuberun.c).
 *
 * One runner per query key.  Kinds and their runners:
 *   pods, events, deployments   kubewatch.c: `get KIND -o json` (a list with
 *                               a deadline), then one long-lived `get KIND
 *                               --watch --output-watch-events -o json` child
 *                               streaming ADDED/MODIFIED/DELETED; when it
 *                               exits (or after watch_restart) it is
 *                               restarted with backoff and a fresh list
 *   top                         kuberun.c: `top pods --no-headers`, polled
 *                               every top_interval, one call at a time;
 *                               a missing metrics API is a state, not an error
 *   logs                        kuberun.c: `logs -f --tail=N --timestamps`
 *                               streamed into a bounded ring
 * Every outcome is an EV_STATUS for the key carrying kubectl's own first
 * telling stderr line (sanitised, masked); every fetch ends with exactly
 * one done() call unless the unit is cancelled first. */
#ifndef SCRY_KUBECTL_H
#define SCRY_KUBECTL_H
#include <stddef.h>
#include <stdint.h>

#include "core/kube.h"
#include "core/status.h"
#include "sources/jsplit.h"
#include "sources/proc.h"
#include "sources/source.h"

#define KARGV_MAX	32

struct kargv {
	const char	*v[KARGV_MAX + 1];
	char		*own[KARGV_MAX];	/* allocated elements to free */
	size_t		 n, nown;
};

struct kctl {
	struct source	 base;
	char		*kubectl;		/* program (PATH lookup) */
	char		*context;		/* --context, NULL = current */
	char		*ns;			/* --namespace, NULL = context's */
	int		 all_ns;		/* -A */
	char		*kubeconfig;		/* --kubeconfig, NULL = $KUBECONFIG */
	char		*request_timeout;	/* "15s" */
	int64_t		 deadline_ms;		/* list/top children are killed after this */
	int64_t		 top_interval_ms;
	int64_t		 watch_restart_ms;	/* relist and restart a watch this often */
	int		 log_tail;
	size_t		 max_list_bytes;	/* per object in a list/watch stream */
	struct krunner	*runners;
};

enum krun_state { KR_IDLE, KR_LISTING, KR_WATCHING, KR_WAIT, KR_RUNNING, KR_ENDED };

struct kpending {
	struct fetch	 f;		/* copy: key owned */
	int		 used;
	int		 finished;	/* outcome known, done() due */
	int		 ok;
};

#define KPEND_MAX	4

struct krunner {
	struct kctl	*k;
	char		*key;
	char		*expr;
	enum kube_kind	 kind;
	enum krun_state	 state;
	int		 pinned;		/* kept without panels (change markers) */
	struct proc	*list, *watch;
	struct jsplit	 js;
	struct ev_kube	*snap;			/* the list being collected */
	struct ev_kube	*batch;			/* watch changes of the current read */
	char		*watch_err;		/* ERROR event text from the watch */
	struct buf	 line;			/* logs: the partial line */
	struct kpending	 pend[KPEND_MAX];
	uint64_t	 timer;
	uint64_t	 done_timer;		/* done() runs from the loop, never inside fetch() */
	int		 fails;
	int64_t		 started_ms;
	int64_t		 last_run_ms;		/* top: last completed call */
	int64_t		 last_ok_ms;
	int		 last_ok;		/* the last completed call succeeded */
	uint64_t	 parse_errors;
	struct krunner	*next;
};

/* kubectl.c */
/* kubectl VERB [WHAT] --kubeconfig= --context= --namespace=/--all-namespaces */
void	kargv_init(struct kargv *a, const struct kctl *k, const char *verb, const char *what,
	    int with_ns);
void	kargv_add(struct kargv *a, const char *s);
void	kargv_addf(struct kargv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void	kargv_free(struct kargv *a);
/* Emit a status for the runner's key. */
void	krunner_status(struct krunner *r, enum qstate st, int code, int64_t latency_ms,
	    const char *error, uint64_t dropped);
/* Finish every pending fetch with ok (done() is called from a 0 ms
 * timer, so never re-entrantly from fetch()). */
void	krunner_done(struct krunner *r, int ok);
/* The error text for a failed child (timed out, exit status, stderr). */
char	*krunner_child_error(const struct krunner *r, const char *what, const struct proc_result *res,
	    int *code);
void	krunner_emit(struct krunner *r, struct ev_kube *e);
const char *krunner_context(const struct krunner *r);

/* kubewatch.c: pods, events, deployments */
void	kwatch_fetch(struct krunner *r);
void	kwatch_stop(struct krunner *r);

/* kuberun.c: top and logs */
void	ktop_fetch(struct krunner *r);
void	klogs_fetch(struct krunner *r);
void	krun_stop(struct krunner *r);

#endif
