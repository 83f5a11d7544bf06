/* loop: the one event loop.  poll() over registered fds, one-shot timers
 * on the monotonic clock, and a wake fd that other threads (websocket) and
 * signal handlers may poke.  Idle means asleep: with no timer armed and no
 * fd ready, loop_run_once() blocks in poll() without a timeout.
 * It lives in core (no terminal, no network) so sources, the TUI and
 * --snapshot share it and tests can drive it. */
#ifndef SCRY_LOOP_H
#define SCRY_LOOP_H
#include <stdint.h>

#define LOOP_IN		0x1
#define LOOP_OUT	0x2

typedef void (*loop_fd_cb)(void *ctx, int fd, int revents);	/* LOOP_IN|LOOP_OUT, or 0x4 on error/hup */
typedef void (*loop_timer_cb)(void *ctx);
typedef void (*loop_wake_cb)(void *ctx);

#define LOOP_ERR	0x4

struct loop;
struct loop	*loop_new(void);
void		 loop_free(struct loop *l);
/* Watch fd for events (LOOP_IN/LOOP_OUT); replaces an existing watch. */
void		 loop_watch(struct loop *l, int fd, int events, loop_fd_cb cb, void *ctx);
void		 loop_unwatch(struct loop *l, int fd);
/* One-shot timer after delay_ms; returns an id (never 0). */
uint64_t	 loop_timer(struct loop *l, int64_t delay_ms, loop_timer_cb cb, void *ctx);
void		 loop_cancel(struct loop *l, uint64_t id);
/* Milliseconds until the next timer (-1 if none). */
int64_t		 loop_next_timeout(const struct loop *l);
/* Register the callbacks run (in the loop thread) after loop_wake(). */
void		 loop_on_wake(struct loop *l, loop_wake_cb cb, void *ctx);
/* Thread- and async-signal-safe. */
void		 loop_wake(struct loop *l);
int		 loop_wake_fd(const struct loop *l);
/* Wait at most max_ms (-1: until something happens), dispatch what is
 * ready; returns the number of callbacks run. */
int		 loop_run_once(struct loop *l, int64_t max_ms);

#endif
