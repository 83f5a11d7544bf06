/* proc: child processes on the event loop (kubectl and friends).
 *
 * A child is started with posix_spawn in its own process group, stdin
 * from /dev/null, stdout and stderr on pipes that the loop reads without
 * blocking, the environment passed through (kubeconfig exec plugins need
 * it) and default signal dispositions.  Never put secrets in argv: it is
 * world-readable in /proc.
 *
 * Output is either buffered (up to out_max bytes, the rest counted) or
 * streamed to on_out as it arrives.  stderr is kept up to err_max bytes
 * and its most telling line (kubectl's "error: ..." rather than klog
 * noise) is extracted, masked and sanitised.  A deadline kills the whole
 * process group: SIGTERM, then SIGKILL after a grace period.  on_exit is
 * called exactly once, after the child has been reaped and both pipes
 * are drained, with the exit status — callers must check it (kubectl
 * prints an empty List on stdout even when it fails).
 * Nothing here ever waits on the UI path except proc_destroy() and
 * proc_reap_detached() on the exit path (after SIGKILL). */
#ifndef SCRY_PROC_H
#define SCRY_PROC_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/loop.h"

struct proc_result {
	int		 exited;	/* exited normally: code is valid */
	int		 code;
	int		 signal;	/* terminated by this signal (0: none) */
	int		 timed_out;	/* the deadline killed it */
	const char	*out;		/* buffered stdout (NUL-terminated), "" when streaming */
	size_t		 out_len;
	uint64_t	 out_dropped;	/* stdout bytes beyond out_max */
	const char	*err;		/* stderr, at most err_max bytes */
	size_t		 err_len;
	const char	*err_line;	/* best stderr line, masked and sanitised, or "" */
	int64_t		 elapsed_ms;
};

typedef void (*proc_out_fn)(void *ctx, const char *data, size_t n);
typedef void (*proc_exit_fn)(void *ctx, const struct proc_result *r);

struct proc_spec {
	const char *const	*argv;		/* argv[0] is searched in PATH */
	size_t			 out_max;	/* buffered mode limit (default 64 MiB) */
	size_t			 err_max;	/* default 16 KiB */
	int64_t			 deadline_ms;	/* 0: no deadline */
	int64_t			 grace_ms;	/* SIGTERM -> SIGKILL (default 1000) */
	proc_out_fn		 on_out;	/* streaming mode when set; may call
						 * proc_cancel(), never proc_destroy() */
	proc_exit_fn		 on_exit;
	void			*ctx;
};

struct proc;
/* Start a child; NULL with *err (e.g. "kubectl: not found in PATH"). */
struct proc	*proc_start(struct loop *l, const struct proc_spec *s, char **err);
/* Stop it: on_exit is never called; SIGTERM now, SIGKILL after the grace
 * period; the proc frees itself once reaped. */
void		 proc_cancel(struct proc *p);
/* Kill (SIGKILL), reap and free now, without calling on_exit. */
void		 proc_destroy(struct proc *p);
/* Kill, reap and free every cancelled child of loop l (exit path). */
void		 proc_reap_detached(struct loop *l);
pid_t		 proc_pid(const struct proc *p);
/* Number of children started on l that are not yet reaped. */
size_t		 proc_count(const struct loop *l);
/* The most telling line of kubectl-style stderr (masked, sanitised, at
 * most maxcols columns); allocated. */
char		*proc_err_line(const char *err, size_t len, int maxcols);

#endif
