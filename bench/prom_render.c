/* prom_render bench: a 6-panel dashboard (4 graphs, a stat, a gauge) at
 * 200x60 with 5 series of 240 points per graph.
 *   frame_us      app_render() time per frame (median of 200)
 *   blit bytes    what ncurses writes to a real pty for one refresh:
 *                 the first frame, a refresh where one series gained one
 *                 point (window fixed, as when paused or at --at), and a
 *                 refresh where the live window also slid by one step.
 * The terminal is a pseudo-terminal owned by a child process (its
 * controlling tty, so the real term.c runs unchanged); the parent counts
 * the bytes the child's frames produce. */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/term.h"

#define COLS	200
#define ROWS	60
#define NSER	5
#define NPTS	240

static const char dash[] =
	"{\"title\":\"bench\",\"range\":\"1h\",\"sources\":{\"p\":{\"type\":\"prometheus\","
	"\"url\":\"http://127.0.0.1:9\"}},\"panels\":["
	"{\"type\":\"graph\",\"title\":\"P99\",\"query\":\"a\",\"legend\":\"{{s}}\",\"unit\":\"ms\","
	"\"thresholds\":[{\"value\":300,\"role\":\"warn\"}],\"grid\":{\"x\":0,\"y\":0,\"w\":12,\"h\":9}},"
	"{\"type\":\"graph\",\"title\":\"errors\",\"query\":\"b\",\"legend\":\"{{s}}\",\"unit\":\"percentunit\","
	"\"grid\":{\"x\":12,\"y\":0,\"w\":12,\"h\":9}},"
	"{\"type\":\"graph\",\"title\":\"rate\",\"query\":\"c\",\"legend\":\"{{s}}\",\"unit\":\"reqps\","
	"\"grid\":{\"x\":0,\"y\":9,\"w\":12,\"h\":9}},"
	"{\"type\":\"graph\",\"title\":\"pool\",\"query\":\"d\",\"legend\":\"{{s}}\","
	"\"grid\":{\"x\":12,\"y\":9,\"w\":12,\"h\":9}},"
	"{\"type\":\"stat\",\"title\":\"worst\",\"query\":\"e\",\"unit\":\"ms\",\"grid\":{\"x\":0,\"y\":18,\"w\":12,\"h\":6}},"
	"{\"type\":\"gauge\",\"title\":\"pools\",\"query\":\"f\",\"max\":103,\"grid\":{\"x\":12,\"y\":18,\"w\":12,\"h\":6}}]}";

static tns t_end;

/* Fill every range key of every panel with NSER series ending at t_end. */
static void
fill(struct app *a, int npts, tns end)
{
	for (size_t i = 0; i < a->npanels; i++) {
		struct panel *p = &a->panels[i];
		for (size_t k = 0; k < p->nneed; k++) {
			tns step = p->need[k].step ? p->need[k].step : 0;
			tns st = step ? end - (tns)(npts - 1) * step : end;
			struct ev_series *e = ev_series_new(step ? RT_MATRIX : RT_VECTOR, st, end, step);
			for (int s = 0; s < NSER; s++) {
				char v[16];
				struct ev_series_one *o;
				ev_series_add(e);
				o = &e->s[e->n - 1];
				snprintf(v, sizeof v, "svc-%d", s);
				labels_set(&o->labels, "s", v);
				labels_finish(&o->labels);
				for (int n = step ? 0 : npts - 1; n < npts; n++) {
					tns t = st + (tns)n * (step ? step : 0);
					long abs_n = (long)(t / (30 * NS_PER_S));	/* by wall time */
					ev_series_point(o, t, 100 + 50 * s + 30 * ((abs_n * 7 + s * 13) % 11));
				}
			}
			a->env.sink.emit(a->env.sink.ctx, event_new(EV_SERIES, end, p->key[k], e));
		}
	}
}

static int live_mode;

static int
setup(struct app *a, const char *path)
{
	struct options o;
	char *err = NULL;

	memset(&o, 0, sizeof o);
	o.dashboard = path;
	o.at = live_mode ? TNS_NONE : t_end;
	o.max_fps = 30;
	if (app_init(a, &o, &err) < 0) {
		fprintf(stderr, "app_init: %s\n", err);
		return -1;
	}
	return 0;
}

static double
now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int
cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void
frame_time(const char *path)
{
	static struct app a;
	double t[200];

	if (setup(&a, path) < 0)
		exit(1);
	a.cols = COLS;
	a.rows = ROWS;
	a.gs = GS_BRAILLE;
	a.cv = canvas_new(COLS, ROWS);
	app_layout(&a);
	fill(&a, NPTS, t_end);
	for (int i = 0; i < 200; i++) {
		double s = now_us();
		app_render(&a);
		t[i] = now_us() - s;
	}
	qsort(t, 200, sizeof *t, cmp_d);
	printf("frame_us_median %.0f\nframe_us_p95 %.0f\n", t[100], t[190]);
	app_free(&a);
}

/* Child, live mode on a fake clock: a frame, the same frame one second
 * later (no new data), then the next step with one more point. */
static void
live_frames(struct app *a, int mark)
{
	tns step = a->panels[0].need[0].step;

	t_end = t_end - t_end % step + step / 3;	/* a third into a step */
	ts_set_fake_now(t_end);
	fill(a, NPTS, t_end - t_end % step);
	app_render(a);
	term_blit(a);
	(void)!write(mark, "1", 1);
	sleep(1);
	ts_set_fake_now(t_end + NS_PER_S);
	app_render(a);
	term_blit(a);
	(void)!write(mark, "2", 1);
	sleep(1);
	ts_set_fake_now(t_end + step);
	fill(a, NPTS, t_end + step - (t_end + step) % step);
	app_render(a);
	term_blit(a);
	(void)!write(mark, "3", 1);
	sleep(1);
}

/* Child: the app on the pty; writes a byte to `mark` after each frame. */
static void
child(const char *path, int slave, int mark)
{
	static struct app a;
	char *err = NULL;
	struct winsize ws = { ROWS, COLS, 0, 0 };

	setsid();
	ioctl(slave, TIOCSCTTY, 0);
	ioctl(slave, TIOCSWINSZ, &ws);
	dup2(slave, 0);
	dup2(slave, 1);
	setenv("TERM", "xterm-256color", 1);
	if (setup(&a, path) < 0 || term_open(&a, &err) < 0)
		_exit(1);
	a.cv = canvas_new(a.cols, a.rows);
	app_layout(&a);
	if (live_mode) {
		live_frames(&a, mark);
		term_close();
		_exit(0);
	}
	fill(&a, NPTS, t_end);
	app_render(&a);
	term_blit(&a);
	(void)!write(mark, "1", 1);
	sleep(1);
	/* one series gains one point inside the fixed window */
	{
		struct panel *p = &a.panels[0];
		tns step = p->need[0].step;
		struct ev_series *e = ev_series_new(RT_MATRIX, t_end - step, t_end, step);
		struct ev_series_one *o = ev_series_add(e);
		labels_set(&o->labels, "s", "svc-0");
		labels_finish(&o->labels);
		ev_series_point(o, t_end - step, 180);
		ev_series_point(o, t_end, 420);
		a.env.sink.emit(a.env.sink.ctx, event_new(EV_SERIES, t_end, p->key[0], e));
	}
	app_render(&a);
	term_blit(&a);
	(void)!write(mark, "2", 1);
	sleep(1);
	/* live: the window slides by one graph step and every graph gains a point */
	t_end += a.panels[0].need[0].step;
	view_set_end(&a.view, t_end);
	fill(&a, NPTS, t_end);
	app_render(&a);
	term_blit(&a);
	(void)!write(mark, "3", 1);
	sleep(1);
	term_close();
	_exit(0);
}

/* Bytes from the pty until the child's next mark (plus 200 ms quiet). */
static long
count_until(int master, int mark)
{
	long n = 0;
	int got = 0;
	char buf[65536];

	for (;;) {
		struct pollfd p[2] = { { master, POLLIN, 0 }, { mark, POLLIN, 0 } };
		int r = poll(p, 2, got ? 200 : 10000);
		if (r <= 0)
			return n;
		if (p[0].revents & POLLIN) {
			ssize_t k = read(master, buf, sizeof buf);
			if (k <= 0)
				return n;
			n += k;
		}
		if (p[1].revents & POLLIN) {
			char c;
			(void)!read(mark, &c, 1);
			got = 1;
		}
		if (p[0].revents & (POLLHUP | POLLERR))
			return n;
	}
}

int
main(int argc, char **argv)
{
	int master, slave, pfd[2];
	pid_t pid;
	char path[] = "/tmp/scry-bench-dash-XXXXXX";
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	t_end = 1795660200LL * NS_PER_S;
	if (fd < 0 || write(fd, dash, sizeof dash - 1) != (ssize_t)(sizeof dash - 1))
		return 1;
	close(fd);
	frame_time(path);
	for (live_mode = 0; live_mode < 2; live_mode++) {
		static const char *const names[2][3] = {
			{ "blit_first_bytes", "blit_one_point_bytes", "blit_slide_bytes" },
			{ "live_first_bytes", "live_idle_second_bytes", "live_next_step_bytes" },
		};
		if (openpty(&master, &slave, NULL, NULL, NULL) < 0 || pipe(pfd) < 0)
			return 1;
		if ((pid = fork()) == 0) {
			close(master);
			close(pfd[0]);
			child(path, slave, pfd[1]);
		}
		close(slave);
		close(pfd[1]);
		for (int i = 0; i < 3; i++)
			printf("%s %ld\n", names[live_mode][i], count_until(master, pfd[0]));
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		close(master);
		close(pfd[0]);
	}
	unlink(path);
	return 0;
}
