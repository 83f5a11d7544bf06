/* loop: poll(2) loop with a timer heap and an eventfd for wake-ups.
 * Invariants: callbacks may add/remove watches and timers (the fd table is
 * re-read after every dispatch); a timer fires at most once. */
#include "core/loop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/ts.h"
#include "core/xalloc.h"

#define MAX_WAKE_CBS	8

struct watch {
	int		fd;
	int		events;
	loop_fd_cb	cb;
	void		*ctx;
	int		dead;
};

struct timer {
	int64_t		 deadline;
	uint64_t	 id;
	loop_timer_cb	 cb;
	void		*ctx;
};

struct loop {
	struct watch	*w;
	size_t		 nw, capw;
	struct timer	*heap;
	size_t		 nt, capt;
	uint64_t	 next_id;
	int		 wakefd;
	struct {
		loop_wake_cb	 cb;
		void		*ctx;
	}		 wake[MAX_WAKE_CBS];
	int		 nwake;
	struct pollfd	*pfd;
	size_t		 cappfd;
};

struct loop *
loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof *l);
	l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->wakefd < 0)
		fatal("eventfd: %s", strerror(errno));
	return l;
}

void
loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->wakefd);
	free(l->w);
	free(l->heap);
	free(l->pfd);
	free(l);
}

void
loop_watch(struct loop *l, int fd, int events, loop_fd_cb cb, void *ctx)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].fd == fd && !l->w[i].dead) {
			l->w[i].events = events;
			l->w[i].cb = cb;
			l->w[i].ctx = ctx;
			return;
		}
	xgrow(&l->w, &l->capw, l->nw + 1, sizeof *l->w);
	l->w[l->nw++] = (struct watch){ fd, events, cb, ctx, 0 };
}

void
loop_unwatch(struct loop *l, int fd)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->w[i].fd == fd)
			l->w[i].dead = 1;
}

static void
heap_swap(struct loop *l, size_t a, size_t b)
{
	struct timer t = l->heap[a];
	l->heap[a] = l->heap[b];
	l->heap[b] = t;
}

static void
heap_up(struct loop *l, size_t i)
{
	while (i > 0 && l->heap[(i - 1) / 2].deadline > l->heap[i].deadline) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct loop *l, size_t i)
{
	for (;;) {
		size_t a = 2 * i + 1, b = a + 1, m = i;
		if (a < l->nt && l->heap[a].deadline < l->heap[m].deadline)
			m = a;
		if (b < l->nt && l->heap[b].deadline < l->heap[m].deadline)
			m = b;
		if (m == i)
			return;
		heap_swap(l, i, m);
		i = m;
	}
}

uint64_t
loop_timer(struct loop *l, int64_t delay_ms, loop_timer_cb cb, void *ctx)
{
	xgrow(&l->heap, &l->capt, l->nt + 1, sizeof *l->heap);
	l->heap[l->nt] = (struct timer){ ts_mono_ms() + (delay_ms > 0 ? delay_ms : 0),
	    ++l->next_id, cb, ctx };
	heap_up(l, l->nt++);
	return l->next_id;
}

static void
heap_remove(struct loop *l, size_t i)
{
	l->heap[i] = l->heap[--l->nt];
	if (i < l->nt) {
		heap_down(l, i);
		heap_up(l, i);
	}
}

void
loop_cancel(struct loop *l, uint64_t id)
{
	if (!id)
		return;
	for (size_t i = 0; i < l->nt; i++)
		if (l->heap[i].id == id) {
			heap_remove(l, i);
			return;
		}
}

int64_t
loop_next_timeout(const struct loop *l)
{
	int64_t d;
	if (!l->nt)
		return -1;
	d = l->heap[0].deadline - ts_mono_ms();
	return d > 0 ? d : 0;
}

void
loop_on_wake(struct loop *l, loop_wake_cb cb, void *ctx)
{
	if (l->nwake < MAX_WAKE_CBS) {
		l->wake[l->nwake].cb = cb;
		l->wake[l->nwake].ctx = ctx;
		l->nwake++;
	}
}

void
loop_wake(struct loop *l)
{
	uint64_t one = 1;
	ssize_t r = write(l->wakefd, &one, sizeof one);
	(void)r;	/* EAGAIN: already pending, which is what we want */
}

int
loop_wake_fd(const struct loop *l)
{
	return l->wakefd;
}

static int
run_timers(struct loop *l)
{
	int64_t now = ts_mono_ms();
	int n = 0;

	while (l->nt && l->heap[0].deadline <= now) {
		struct timer t = l->heap[0];
		heap_remove(l, 0);
		t.cb(t.ctx);
		n++;
	}
	return n;
}

static void
compact(struct loop *l)
{
	size_t w = 0;
	for (size_t i = 0; i < l->nw; i++)
		if (!l->w[i].dead)
			l->w[w++] = l->w[i];
	l->nw = w;
}

int
loop_run_once(struct loop *l, int64_t max_ms)
{
	int64_t t = loop_next_timeout(l);
	size_t n;
	int rc, ran = 0;

	compact(l);
	if (max_ms >= 0 && (t < 0 || max_ms < t))
		t = max_ms;
	n = l->nw + 1;
	xgrow(&l->pfd, &l->cappfd, n, sizeof *l->pfd);
	l->pfd[0] = (struct pollfd){ l->wakefd, POLLIN, 0 };
	for (size_t i = 0; i < l->nw; i++)
		l->pfd[i + 1] = (struct pollfd){ l->w[i].fd,
		    (short)((l->w[i].events & LOOP_IN ? POLLIN : 0) |
		    (l->w[i].events & LOOP_OUT ? POLLOUT : 0)), 0 };
	rc = poll(l->pfd, (nfds_t)n, t > 1000000000 ? 1000000000 : (int)t);
	if (rc < 0 && errno != EINTR)
		fatal("poll: %s", strerror(errno));
	if (rc > 0 && (l->pfd[0].revents & POLLIN)) {
		uint64_t v;
		ssize_t r = read(l->wakefd, &v, sizeof v);
		(void)r;
	}
	/* wake callbacks also run after EINTR: signal handlers poke the fd */
	if (rc < 0 || (rc > 0 && l->pfd[0].revents))
		for (int i = 0; i < l->nwake; i++, ran++)
			l->wake[i].cb(l->wake[i].ctx);
	for (size_t i = 0; rc > 0 && i < n - 1; i++) {
		short re = l->pfd[i + 1].revents;
		int ev = 0;
		if (!re)
			continue;
		if (re & POLLIN)
			ev |= LOOP_IN;
		if (re & POLLOUT)
			ev |= LOOP_OUT;
		if (re & (POLLERR | POLLHUP | POLLNVAL))
			ev |= LOOP_ERR | LOOP_IN;
		/* the watch may have been removed or replaced by an earlier callback */
		for (size_t k = 0; k < l->nw; k++)
			if (l->w[k].fd == l->pfd[i + 1].fd && !l->w[k].dead) {
				l->w[k].cb(l->w[k].ctx, l->w[k].fd, ev);
				ran++;
				break;
			}
	}
	ran += run_timers(l);
	return ran;
}
