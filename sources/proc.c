/* proc: posix_spawn children read on the loop, with deadlines and reaping.
 * Invariants: a proc is in the registry from start until it is reaped and
 * freed; on_exit runs at most once and never after proc_cancel(); every
 * pipe fd is watched by the loop until EOF or error, then closed. */
#include "sources/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/secret.h"
#include "core/ts.h"
#include "core/xalloc.h"

extern char **environ;

#define READ_CHUNK	(64 * 1024)
#define READ_BUDGET	(1024 * 1024)	/* per callback: keep the loop responsive */
#define REAP_POLL_MS	10
#define DRAIN_MS	500	/* pipes held open after the child exited */

struct proc {
	struct loop	*loop;
	pid_t		 pid;
	int		 fd_out, fd_err;	/* -1 when closed */
	struct buf	 out, err;
	uint64_t	 out_dropped;
	proc_out_fn	 on_out;
	proc_exit_fn	 on_exit;
	void		*ctx;
	int64_t		 started_ms, grace_ms;
	uint64_t	 deadline_timer, kill_timer, reap_timer, drain_timer;
	int		 status, reaped, timed_out, cancelled, termed;
	char		*err_line;
	struct proc	*next;
};

static struct proc *procs;	/* every proc not yet freed */

static void
registry_remove(struct proc *p)
{
	for (struct proc **pp = &procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			return;
		}
}

static void
close_fd(struct proc *p, int *fd)
{
	if (*fd < 0)
		return;
	loop_unwatch(p->loop, *fd);
	close(*fd);
	*fd = -1;
}

static void
proc_free(struct proc *p)
{
	if (p->deadline_timer)
		loop_cancel(p->loop, p->deadline_timer);
	if (p->kill_timer)
		loop_cancel(p->loop, p->kill_timer);
	if (p->reap_timer)
		loop_cancel(p->loop, p->reap_timer);
	if (p->drain_timer)
		loop_cancel(p->loop, p->drain_timer);
	close_fd(p, &p->fd_out);
	close_fd(p, &p->fd_err);
	registry_remove(p);
	buf_free(&p->out);
	buf_free(&p->err);
	free(p->err_line);
	free(p);
}

static void
signal_group(struct proc *p, int sig)
{
	if (p->reaped)
		return;
	if (kill(-p->pid, sig) < 0 && errno == ESRCH)
		kill(p->pid, sig);
}

/* ------------------------------------------------------------ stderr */

static int
is_klog(const char *l, size_t n)
{
	/* klog header: Lmmdd hh:mm:ss.uuuuuu ... */
	return n > 21 && strchr("IWEF", l[0]) && l[1] >= '0' && l[1] <= '9' && l[5] == ' ' &&
	    l[8] == ':' && l[11] == ':' && l[14] == '.';
}

static int
starts(const char *l, size_t n, const char *pfx)
{
	size_t k = strlen(pfx);
	return n >= k && strncmp(l, pfx, k) == 0;
}

/* Rank a line: higher is more telling.  kubectl's own message beats klog
 * noise (memcache.go discovery errors) and server warnings. */
static int
rank(const char *l, size_t n)
{
	if (!n)
		return -1;
	if (starts(l, n, "error:") || starts(l, n, "Error") || starts(l, n, "Unable to connect") ||
	    starts(l, n, "The connection to the server"))
		return 5;
	if (is_klog(l, n))
		return l[0] == 'E' || l[0] == 'F' ? 2 : 1;
	if (starts(l, n, "Warning:"))
		return 0;
	return 3;
}

char *
proc_err_line(const char *err, size_t len, int maxcols)
{
	const char *best = NULL, *l = err, *end = err + len;
	size_t bestn = 0;
	int br = -1;
	char *raw, *masked, *out;

	while (l < end) {
		const char *e = memchr(l, '\n', (size_t)(end - l));
		size_t n = e ? (size_t)(e - l) : (size_t)(end - l);
		int r;
		while (n && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		r = rank(l, n);
		if (r > br) {
			best = l;
			bestn = n;
			br = r;
		}
		l += n;
		while (l < end && *l != '\n')
			l++;
		l++;
	}
	if (!best)
		return xstrdup("");
	if (is_klog(best, bestn)) {	/* keep the message, not the header */
		const char *m = memchr(best, ']', bestn);
		if (m && m + 2 <= best + bestn) {
			bestn -= (size_t)(m + 2 - best);
			best = m + 2;
		}
	}
	raw = xstrndup(best, bestn);
	masked = secret_mask(raw);
	out = san_dup(masked, strlen(masked), maxcols);
	free(raw);
	free(masked);
	return out;
}

/* ------------------------------------------------------------ exit */

static void
maybe_finish(struct proc *p)
{
	struct proc_result r;

	if (!p->reaped || p->fd_out >= 0 || p->fd_err >= 0)
		return;
	if (p->cancelled || !p->on_exit) {
		proc_free(p);
		return;
	}
	memset(&r, 0, sizeof r);
	if (WIFEXITED(p->status)) {
		r.exited = 1;
		r.code = WEXITSTATUS(p->status);
	} else if (WIFSIGNALED(p->status))
		r.signal = WTERMSIG(p->status);
	r.timed_out = p->timed_out;
	r.out = p->out.data ? p->out.data : "";
	r.out_len = p->out.len;
	r.out_dropped = p->out_dropped;
	r.err = p->err.data ? p->err.data : "";
	r.err_len = p->err.len;
	p->err_line = proc_err_line(r.err, r.err_len, 300);
	r.err_line = p->err_line;
	r.elapsed_ms = ts_mono_ms() - p->started_ms;
	p->on_exit(p->ctx, &r);
	proc_free(p);
}

static void reap_cb(void *ctx);

/* The child is gone but something (a grandchild it left behind) still
 * holds the pipes: stop waiting for them. */
static void
drain_cb(void *ctx)
{
	struct proc *p = ctx;

	p->drain_timer = 0;
	kill(-p->pid, SIGKILL);
	close_fd(p, &p->fd_out);
	close_fd(p, &p->fd_err);
	maybe_finish(p);
}

static void
try_reap(struct proc *p)
{
	pid_t r;

	if (p->reaped)
		return;
	do
		r = waitpid(p->pid, &p->status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == p->pid || (r < 0 && errno == ECHILD)) {
		if (r < 0)
			p->status = 255 << 8;	/* reaped elsewhere: status unknown */
		p->reaped = 1;
		if (p->kill_timer) {
			loop_cancel(p->loop, p->kill_timer);
			p->kill_timer = 0;
		}
		if (p->deadline_timer) {
			loop_cancel(p->loop, p->deadline_timer);
			p->deadline_timer = 0;
		}
		if (p->termed)
			kill(-p->pid, SIGKILL);	/* whatever is left of its group */
		if ((p->fd_out >= 0 || p->fd_err >= 0) && !p->drain_timer)
			p->drain_timer = loop_timer(p->loop, DRAIN_MS, drain_cb, p);
		maybe_finish(p);
		return;
	}
	if (!p->reap_timer)
		p->reap_timer = loop_timer(p->loop, REAP_POLL_MS, reap_cb, p);
}

static void
reap_cb(void *ctx)
{
	struct proc *p = ctx;
	p->reap_timer = 0;
	try_reap(p);
}

static void
kill_cb(void *ctx)
{
	struct proc *p = ctx;
	p->kill_timer = 0;
	signal_group(p, SIGKILL);
	try_reap(p);
}

static void
terminate(struct proc *p)
{
	if (p->termed || p->reaped)
		return;
	p->termed = 1;
	signal_group(p, SIGTERM);
	p->kill_timer = loop_timer(p->loop, p->grace_ms, kill_cb, p);
	try_reap(p);
}

static void
deadline_cb(void *ctx)
{
	struct proc *p = ctx;
	p->deadline_timer = 0;
	p->timed_out = 1;
	log_debug("child %d passed its deadline; terminating", (int)p->pid);
	terminate(p);
}

/* ------------------------------------------------------------ pipes */

static void
got_out(struct proc *p, const char *d, size_t n)
{
	if (p->cancelled)
		return;
	if (p->on_out) {
		p->on_out(p->ctx, d, n);
		return;
	}
	if (buf_append(&p->out, d, n) < 0) {
		size_t room = p->out.limit - p->out.len;
		p->out.overflow = 0;
		buf_append(&p->out, d, room);
		p->out_dropped += n - room;
	}
}

static void
got_err(struct proc *p, const char *d, size_t n)
{
	size_t room = p->err.limit - p->err.len;
	buf_append(&p->err, d, n < room ? n : room);
}

static void
on_fd(void *ctx, int fd, int revents)
{
	struct proc *p = ctx;
	char chunk[READ_CHUNK];
	size_t budget = READ_BUDGET;
	int is_out = fd == p->fd_out;

	(void)revents;
	while (budget) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n > 0) {
			if (is_out)
				got_out(p, chunk, (size_t)n);
			else
				got_err(p, chunk, (size_t)n);
			budget -= (size_t)n < budget ? (size_t)n : budget;
			/* on_out may cancel the proc (never destroy it): it then
			 * lives on, detached, until reaped */
			if (p->cancelled)
				return;
			continue;
		}
		if (n < 0 && (errno == EINTR))
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		close_fd(p, is_out ? &p->fd_out : &p->fd_err);	/* EOF or error */
		if (p->fd_out < 0 && p->fd_err < 0)
			try_reap(p);
		return;
	}
}

/* ------------------------------------------------------------ start */

static int
spawn(struct proc *p, const char *const *argv, int out[2], int err[2], char **errp)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def, none;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGQUIT);
	sigaddset(&def, SIGCHLD);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETPGROUP);
	rc = posix_spawnp(&p->pid, argv[0], &fa, &at, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		if (rc == ENOENT)
			*errp = xasprintf("%s: not found in PATH", argv[0]);
		else
			*errp = xasprintf("%s: cannot run: %s", argv[0], strerror(rc));
		return -1;
	}
	return 0;
}

static int
make_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	return 0;
}

struct proc *
proc_start(struct loop *l, const struct proc_spec *s, char **err)
{
	struct proc *p;
	int out[2], errfd[2];

	if (make_pipe(out) < 0) {
		*err = xasprintf("pipe: %s", strerror(errno));
		return NULL;
	}
	if (make_pipe(errfd) < 0) {
		*err = xasprintf("pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->loop = l;
	p->on_out = s->on_out;
	p->on_exit = s->on_exit;
	p->ctx = s->ctx;
	p->grace_ms = s->grace_ms > 0 ? s->grace_ms : 1000;
	buf_init(&p->out, s->out_max ? s->out_max : 64u << 20);
	buf_init(&p->err, s->err_max ? s->err_max : 16u << 10);
	if (spawn(p, s->argv, out, errfd, err) < 0) {
		close(out[0]); close(out[1]); close(errfd[0]); close(errfd[1]);
		buf_free(&p->out);
		buf_free(&p->err);
		free(p);
		return NULL;
	}
	close(out[1]);
	close(errfd[1]);
	p->fd_out = out[0];
	p->fd_err = errfd[0];
	p->started_ms = ts_mono_ms();
	p->next = procs;
	procs = p;
	loop_watch(l, p->fd_out, LOOP_IN, on_fd, p);
	loop_watch(l, p->fd_err, LOOP_IN, on_fd, p);
	if (s->deadline_ms > 0)
		p->deadline_timer = loop_timer(l, s->deadline_ms, deadline_cb, p);
	return p;
}

void
proc_cancel(struct proc *p)
{
	if (!p || p->cancelled)
		return;
	p->cancelled = 1;
	p->on_exit = NULL;
	/* closing our ends makes a writing child fail fast (SIGPIPE) */
	close_fd(p, &p->fd_out);
	close_fd(p, &p->fd_err);
	terminate(p);
}

static void
reap_now(struct proc *p)
{
	if (!p->reaped) {
		signal_group(p, SIGKILL);
		while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR)
			;
		p->reaped = 1;
	}
	p->cancelled = 1;
	proc_free(p);
}

void
proc_destroy(struct proc *p)
{
	if (p)
		reap_now(p);
}

void
proc_reap_detached(struct loop *l)
{
	struct proc *p = procs, *next;

	for (; p; p = next) {
		next = p->next;
		if (p->loop == l && p->cancelled)
			reap_now(p);
	}
}

pid_t
proc_pid(const struct proc *p)
{
	return p->pid;
}

size_t
proc_count(const struct loop *l)
{
	size_t n = 0;
	for (const struct proc *p = procs; p; p = p->next)
		n += p->loop == l;
	return n;
}
