/* signals: flag-only handlers for termination signals, crash handlers
 * that restore the terminal on an alternate stack, and core dumps off. */
#ifndef SCRY_SIGNALS_H
#define SCRY_SIGNALS_H
#include <signal.h>

struct loop;

/* Install handlers; termination signals set the pending flag and wake the
 * loop.  Call before the terminal is opened. */
void	signals_install(struct loop *l);
/* Stop waking the loop (before it is freed); the flag still works. */
void	signals_detach(void);
/* The termination signal received (0 if none); cleared by the read. */
int	signals_pending(void);
/* Restore the default action and re-raise sig (exit status 128+sig). */
_Noreturn void signals_reraise(int sig);
/* RLIMIT_CORE=0 and PR_SET_DUMPABLE=0: no core files with secrets. */
void	signals_no_core(void);

#endif
