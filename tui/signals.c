/* signals: termination and crash handling.
 * Invariant: handlers only use async-signal-safe calls (write, tcsetattr,
 * sigaction, raise); termination is finished by the main loop. */
#include "tui/signals.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/loop.h"
#include "tui/term.h"

static volatile sig_atomic_t pending;
static struct loop *volatile wake_loop;
static char altstack[64 * 1024];

static void
term_handler(int sig)
{
	int saved = errno;
	pending = sig;
	if (wake_loop)
		loop_wake(wake_loop);
	errno = saved;
}

static void
crash_handler(int sig)
{
	/* SA_RESETHAND already restored the default action */
	term_restore_async();
	raise(sig);
}

void
signals_install(struct loop *l)
{
	static const int term_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	struct sigaction sa;
	stack_t ss;

	wake_loop = l;
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = altstack;
	ss.ss_size = sizeof altstack;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = term_handler;
	for (size_t i = 0; i < sizeof term_sigs / sizeof *term_sigs; i++)
		sigaction(term_sigs[i], &sa, NULL);
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof crash_sigs / sizeof *crash_sigs; i++)
		sigaction(crash_sigs[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
}

void
signals_detach(void)
{
	wake_loop = NULL;
}

int
signals_pending(void)
{
	int s = pending;
	pending = 0;
	return s;
}

_Noreturn void
signals_reraise(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	raise(sig);
	_exit(128 + sig);
}

void
signals_no_core(void)
{
	struct rlimit rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}
