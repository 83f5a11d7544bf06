/* Unit tests: the child-process layer with real children (/bin/sh):
 * exit status, bounded output, streaming, deadlines killing the whole
 * process group (SIGTERM, then SIGKILL), cancel and reaping, a missing
 * program, the environment passed through, and the stderr line kept. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/loop.h"
#include "core/secret.h"
#include "core/ts.h"
#include "core/xalloc.h"
#include "sources/proc.h"
#include "tests/unit/t.h"

struct res {
	int		 done;
	struct proc_result r;
	char		 out[4096];
	char		 err_line[512];
	struct buf	 stream;
};

static void
on_exit_cb(void *ctx, const struct proc_result *r)
{
	struct res *x = ctx;
	x->done = 1;
	x->r = *r;
	snprintf(x->out, sizeof x->out, "%.*s", (int)(r->out_len < 4000 ? r->out_len : 4000), r->out);
	snprintf(x->err_line, sizeof x->err_line, "%s", r->err_line);
	x->r.out = x->out;
	x->r.err_line = x->err_line;
}

static void
on_out_cb(void *ctx, const char *d, size_t n)
{
	struct res *x = ctx;
	buf_append(&x->stream, d, n);
}

static int
run(struct loop *l, struct res *x, int64_t max_ms)
{
	int64_t end = ts_mono_ms() + max_ms;
	while (!x->done && ts_mono_ms() < end)
		loop_run_once(l, 50);
	return x->done;
}

static struct proc *
start(struct loop *l, struct res *x, const char *script, int64_t deadline, size_t out_max, int stream)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc_spec s = { .argv = argv, .deadline_ms = deadline, .out_max = out_max,
	    .on_exit = on_exit_cb, .on_out = stream ? on_out_cb : NULL, .ctx = x, .grace_ms = 300 };
	char *err = NULL;
	struct proc *p;

	memset(x, 0, sizeof *x);
	buf_init(&x->stream, 1 << 20);
	p = proc_start(l, &s, &err);
	CHECK(p != NULL);
	free(err);
	return p;
}

TEST(proc_exit_status_stdout_stderr)
{
	struct loop *l = loop_new();
	struct res x;

	start(l, &x, "echo out; echo 'E1126 11:30:50.895806 memcache.go:265] noise' >&2; "
	    "echo 'error: boom' >&2; exit 3", 0, 0, 0);
	CHECK(run(l, &x, 5000));
	CHECK_INT(x.r.exited, 1);
	CHECK_INT(x.r.code, 3);
	CHECK_STR(x.r.out, "out\n");
	CHECK_STR(x.r.err_line, "error: boom");
	CHECK_INT(x.r.timed_out, 0);
	CHECK_INT(proc_count(l), 0);
	buf_free(&x.stream);
	loop_free(l);
}

TEST(proc_output_bounded_and_counted)
{
	struct loop *l = loop_new();
	struct res x;

	start(l, &x, "head -c 100000 /dev/zero | tr '\\0' x", 0, 1000, 0);
	CHECK(run(l, &x, 5000));
	CHECK_INT(x.r.out_len, 1000);
	CHECK_INT(x.r.out_dropped, 99000);
	CHECK_INT(x.r.code, 0);
	buf_free(&x.stream);
	loop_free(l);
}

TEST(proc_streams_output_as_it_arrives)
{
	struct loop *l = loop_new();
	struct res x;
	int64_t end = ts_mono_ms() + 5000;

	start(l, &x, "printf first; sleep 0.3; printf second", 0, 0, 1);
	while (!strstr(x.stream.data ? x.stream.data : "", "first") && ts_mono_ms() < end)
		loop_run_once(l, 20);
	CHECK(x.stream.data && strcmp(x.stream.data, "first") == 0);	/* before the child ended */
	CHECK_INT(x.done, 0);
	CHECK(run(l, &x, 5000));
	CHECK_STR(x.stream.data, "firstsecond");
	CHECK_STR(x.r.out, "");
	buf_free(&x.stream);
	loop_free(l);
}

static int
pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

TEST(proc_deadline_kills_the_process_group)
{
	struct loop *l = loop_new();
	char script[256], path[] = "/tmp/scry-proc-XXXXXX";
	int fd = mkstemp(path);
	struct res x;
	FILE *f;
	int grandchild = 0;
	int64_t t0 = ts_mono_ms(), end;

	close(fd);
	snprintf(script, sizeof script, "sleep 30 & echo $! > %s; wait", path);
	start(l, &x, script, 300, 0, 0);
	CHECK(run(l, &x, 5000));
	CHECK_INT(x.r.timed_out, 1);
	CHECK_INT(x.r.exited, 0);
	CHECK_INT(x.r.signal, SIGTERM);
	CHECK(ts_mono_ms() - t0 < 3000);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%d", &grandchild) != 1)	// NOLINT(cert-err34-c): a pid the test child wrote itself; the count is checked
			grandchild = 0;
		fclose(f);
	}
	unlink(path);
	CHECK(grandchild > 0);
	end = ts_mono_ms() + 3000;
	while (grandchild > 0 && pid_alive(grandchild) && ts_mono_ms() < end)
		usleep(20000);
	CHECK(grandchild > 0 && !pid_alive(grandchild));	/* the whole group got it */
	buf_free(&x.stream);
	loop_free(l);
}

TEST(proc_sigkill_after_grace_when_sigterm_is_ignored)
{
	struct loop *l = loop_new();
	struct res x;

	start(l, &x, "trap '' TERM; exec sleep 30", 200, 0, 0);
	CHECK(run(l, &x, 5000));
	CHECK_INT(x.r.timed_out, 1);
	CHECK_INT(x.r.signal, SIGKILL);
	buf_free(&x.stream);
	loop_free(l);
}

TEST(proc_cancel_never_calls_back_and_reaps)
{
	struct loop *l = loop_new();
	struct res x;
	struct proc *p = start(l, &x, "sleep 30", 0, 0, 0);
	pid_t pid = proc_pid(p);
	int64_t end = ts_mono_ms() + 3000;

	proc_cancel(p);
	while (proc_count(l) && ts_mono_ms() < end)
		loop_run_once(l, 20);
	CHECK_INT(proc_count(l), 0);
	CHECK_INT(x.done, 0);
	CHECK(!pid_alive(pid));
	/* destroy on the exit path: synchronous */
	p = start(l, &x, "sleep 30", 0, 0, 0);
	pid = proc_pid(p);
	proc_destroy(p);
	CHECK_INT(proc_count(l), 0);
	CHECK(!pid_alive(pid));
	buf_free(&x.stream);
	loop_free(l);
}

TEST(proc_missing_program)
{
	struct loop *l = loop_new();
	const char *argv[] = { "scry-no-such-kubectl", "get", "pods", NULL };
	struct proc_spec s = { .argv = argv };
	char *err = NULL;

	CHECK(proc_start(l, &s, &err) == NULL);
	CHECK_STR(err, "scry-no-such-kubectl: not found in PATH");
	free(err);
	CHECK_INT(proc_count(l), 0);
	loop_free(l);
}

TEST(proc_environment_passed_through)
{
	struct loop *l = loop_new();
	struct res x;

	setenv("SCRY_PROC_TEST_VAR", "exec-plugin-needs-me", 1);
	start(l, &x, "echo \"$SCRY_PROC_TEST_VAR\"; test -t 0 || echo stdin-not-a-tty", 0, 0, 0);
	CHECK(run(l, &x, 5000));
	CHECK_STR(x.r.out, "exec-plugin-needs-me\nstdin-not-a-tty\n");
	unsetenv("SCRY_PROC_TEST_VAR");
	buf_free(&x.stream);
	loop_free(l);
}

TEST(proc_err_line_picks_kubectls_message)
{
	const char *unreachable =
	    "E1126 11:30:50.895806   22550 memcache.go:265] couldn't get current server API group list: "
	    "Get \"http://127.0.0.1:1/api?timeout=32s\": dial tcp 127.0.0.1:1: connect: connection refused\n"
	    "E1126 11:30:50.897126   22550 memcache.go:265] couldn't get current server API group list\n"
	    "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n";
	const char *warned = "Warning: v1 Endpoints is deprecated in v1.33+\n"
	    "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource\n";
	const char *klog = "F1126 11:30:50.1 1 x.go:1] fatal thing happened\n";
	char *s;

	s = proc_err_line(unreachable, strlen(unreachable), 300);
	CHECK_STR(s, "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?");
	free(s);
	s = proc_err_line(warned, strlen(warned), 300);
	CHECK_STR(s, "Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource");
	free(s);
	s = proc_err_line(klog, strlen(klog), 300);
	CHECK_STR(s, "fatal thing happened");
	free(s);
	s = proc_err_line("", 0, 300);
	CHECK_STR(s, "");
	free(s);
	/* hostile bytes become visible; secrets are masked */
	secret_register("hunter2-token-value");
	{
		const char *e = "error: bad \x1b]0;x\x07 token hunter2-token-value\n";
		s = proc_err_line(e, strlen(e), 300);
	}
	CHECK_CONTAINS(s, "^[]0;x^G");
	CHECK(!strstr(s, "hunter2-token-value"));
	free(s);
	{
		const char *e = "error: a very long line that goes on and on\n";
		s = proc_err_line(e, strlen(e), 20);
	}
	CHECK(strlen(s) < 30 && strstr(s, "\xe2\x80\xa6"));
	free(s);
}
