/* ptybench: measure a TUI in a pseudo-terminal, from the outside.
 *
 *   ptybench ttff RUNS MARKER -- PROGRAM ARGS...
 *	exec-to-first-frame time: fork, exec, read the pty until MARKER (the
 *	last thing the first frame draws) appears; RUNS times; prints
 *	"ttff_ms_median= ttff_ms_min= ttff_ms_max= first_frame_bytes=".
 *   ptybench session MARKER IDLE_S -- PROGRAM ARGS...
 *	one run: first frame, then IDLE_S seconds of idleness (bytes, CPU,
 *	voluntary context switches), then redraw costs: focus moves (Tab),
 *	a change inside one panel (J scrolls the focused text panel) and a
 *	full repaint (Ctrl-L); prints key=value lines.
 * CPU time comes from /proc/PID/schedstat (ns on CPU), wake-ups from
 * voluntary_ctxt_switches in /proc/PID/status. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct run {
	pid_t	 pid;
	int	 fd;
	char	*out;
	size_t	 len, cap;
};

static double
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void
spawn(struct run *r, char **argv, int cols, int rows)
{
	struct winsize ws = { (unsigned short)rows, (unsigned short)cols, 0, 0 };

	memset(r, 0, sizeof *r);
	r->pid = forkpty(&r->fd, NULL, NULL, &ws);
	if (r->pid < 0) {
		perror("forkpty");
		exit(1);
	}
	if (r->pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_NONBLOCK);
}

/* Read what arrives within timeout_ms; returns bytes read. */
static size_t
pump(struct run *r, int timeout_ms)
{
	struct pollfd p = { r->fd, POLLIN, 0 };
	size_t got = 0;

	while (poll(&p, 1, timeout_ms) > 0) {
		char buf[65536];
		ssize_t n = read(r->fd, buf, sizeof buf);
		if (n <= 0)
			break;
		if (r->len + (size_t)n + 1 > r->cap) {
			r->cap = (r->len + (size_t)n + 1) * 2;
			r->out = realloc(r->out, r->cap);
			if (!r->out)
				exit(1);
		}
		memcpy(r->out + r->len, buf, (size_t)n);
		r->len += (size_t)n;
		r->out[r->len] = '\0';
		got += (size_t)n;
		timeout_ms = 0;
	}
	return got;
}

static int
wait_marker(struct run *r, const char *marker, size_t from, double limit_ms)
{
	double end = now_ms() + limit_ms;

	while (now_ms() < end) {
		if (r->len > from && memmem(r->out + from, r->len - from, marker, strlen(marker)))
			return 1;
		pump(r, 5);
	}
	return 0;
}

/* Read until nothing arrives for quiet_ms; returns the bytes read. */
static size_t
settle(struct run *r, int quiet_ms)
{
	size_t start = r->len;
	while (pump(r, quiet_ms) > 0)
		;
	return r->len - start;
}

static void
stats(pid_t pid, long long *ns, long *vol)
{
	char path[64], line[256];
	FILE *f;

	*ns = 0;
	*vol = 0;
	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%lld", ns) != 1)
			*ns = 0;
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "voluntary_ctxt_switches: %ld", vol) == 1)
				break;
		fclose(f);
	}
}

static void
finish(struct run *r)
{
	int st;

	if (write(r->fd, "q", 1) != 1)
		kill(r->pid, SIGTERM);
	for (int i = 0; i < 200 && waitpid(r->pid, &st, WNOHANG) == 0; i++)
		pump(r, 10);
	if (waitpid(r->pid, &st, WNOHANG) == 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, &st, 0);
	}
	close(r->fd);
	free(r->out);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void stats(pid_t pid, long long *ns, long *vol);

/* Wall time (what the user waits, inflated when the machine is busy) and
 * the CPU time the process used up to its first frame (not inflated). */
static int
ttff(int runs, const char *marker, char **argv)
{
	double *t = calloc((size_t)runs, sizeof *t), *cpu = calloc((size_t)runs, sizeof *cpu);
	size_t bytes = 0;

	for (int i = 0; i < runs; i++) {
		struct run r;
		long long ns;
		long vol;
		double t0 = now_ms();
		spawn(&r, argv, 120, 40);
		if (!wait_marker(&r, marker, 0, 5000)) {
			fprintf(stderr, "ptybench: no first frame (marker '%s')\n", marker);
			return 1;
		}
		t[i] = now_ms() - t0;
		stats(r.pid, &ns, &vol);
		cpu[i] = (double)ns / 1e6;
		settle(&r, 50);
		bytes = r.len;
		finish(&r);
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	qsort(cpu, (size_t)runs, sizeof *cpu, cmp);
	printf("ttff_ms_median=%.2f\nttff_ms_min=%.2f\nttff_ms_max=%.2f\nttff_cpu_ms_median=%.2f\n"
	    "first_frame_bytes=%zu\n", t[runs / 2], t[0], t[runs - 1], cpu[runs / 2], bytes);
	free(t);
	free(cpu);
	return 0;
}

/* Send key n times, each followed by a settled frame; report per-key averages. */
static void
redraws(struct run *r, const char *name, const char *key, int n)
{
	long long ns0, ns1;
	long v0, v1;
	size_t bytes = 0;

	stats(r->pid, &ns0, &v0);
	for (int i = 0; i < n; i++) {
		if (write(r->fd, key, strlen(key)) < 0)
			break;
		bytes += settle(r, 60);
	}
	stats(r->pid, &ns1, &v1);
	printf("%s_cpu_us=%.1f\n%s_bytes=%zu\n", name, (double)(ns1 - ns0) / n / 1000.0, name, bytes / (size_t)n);
}

static int
session(const char *marker, int idle_s, char **argv)
{
	struct run r;
	long long ns0, ns1;
	long v0, v1;
	size_t idle;

	spawn(&r, argv, 120, 40);
	if (!wait_marker(&r, marker, 0, 5000)) {
		fprintf(stderr, "ptybench: no first frame\n");
		return 1;
	}
	settle(&r, 300);
	stats(r.pid, &ns0, &v0);
	idle = r.len;
	for (double end = now_ms() + idle_s * 1000.0; now_ms() < end;)
		pump(&r, (int)(end - now_ms()) + 1);
	stats(r.pid, &ns1, &v1);
	printf("idle_seconds=%d\nidle_bytes=%zu\nidle_cpu_ms=%.3f\nidle_wakeups=%ld\n", idle_s,
	    r.len - idle, (double)(ns1 - ns0) / 1e6, v1 - v0);
	/* the focused text panel scrolls: only that panel changes */
	redraws(&r, "panel", "J", 10);
	/* focus moves: two panel frames change colour */
	redraws(&r, "focus", "\t", 20);
	/* Ctrl-L: clear and repaint everything (what clear() would cost each time) */
	redraws(&r, "repaint", "\f", 10);
	finish(&r);
	return 0;
}

int
main(int argc, char **argv)
{
	int dash = 0;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			dash = i;
			break;
		}
	if (argc < 4 || !dash || dash + 1 >= argc) {
		fprintf(stderr, "usage: ptybench ttff RUNS MARKER -- PROG ARGS...\n"
		    "       ptybench session MARKER IDLE_S -- PROG ARGS...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "ttff") == 0 && dash == 4)
		return ttff(atoi(argv[2]), argv[3], argv + dash + 1);
	if (strcmp(argv[1], "session") == 0 && dash == 4)
		return session(argv[2], atoi(argv[3]), argv + dash + 1);
	fprintf(stderr, "ptybench: bad arguments\n");
	return 2;
}
