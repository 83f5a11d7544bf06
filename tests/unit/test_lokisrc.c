/* Unit tests: the Loki source's fetch completion against a real HTTP
 * server (a forked child answering every request with an empty streams
 * result): a done() callback that cancels its own key, as the app does when
 * the answer changes the layout and drops the unit, must find nothing of
 * the key touched afterwards (ASan checks it in `make asan`), and the
 * source keeps working for the next fetch of the same key. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/dashboard.h"
#include "core/loop.h"
#include "core/ts.h"
#include "sources/http.h"
#include "sources/source.h"
#include "tests/unit/t.h"

extern const struct source_class loki_source;

static const char BODY[] = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[],"
    "\"stats\":{}}}";

/* Serve every connection one 200 answer, until killed. */
static void
serve(int ls)
{
	for (;;) {
		char req[8192], head[256];
		int c = accept(ls, NULL, NULL);
		ssize_t n;
		if (c < 0)
			continue;
		n = read(c, req, sizeof req);
		(void)n;
		snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n", sizeof BODY - 1);
		if (write(c, head, strlen(head)) < 0 || write(c, BODY, sizeof BODY - 1) < 0)
			_exit(1);
		close(c);
	}
}

static pid_t
server_start(int *port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 16) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	if ((pid = fork()) == 0) {
		alarm(60);	/* never outlive a runner that crashed before killing it */
		serve(ls);
		_exit(0);
	}
	close(ls);
	return pid;
}

struct ctx {
	struct source	*src;
	int		 done, ok, cancel;
};

static void
done_cb(void *vctx, const struct fetch *f, int ok, int64_t retry)
{
	struct ctx *c = vctx;

	(void)retry;
	c->done++;
	c->ok += ok;
	/* the key is still readable here, then the unit goes away */
	CHECK(f->key != NULL && strncmp(f->key, "loki\x1f", 5) == 0);
	if (c->cancel)
		loki_source.cancel(c->src, f->key);
}

static void
sink_drop(void *ctx, struct event *e)
{
	(void)ctx;
	event_free(e);
}

static void
fetch_once(struct ctx *c, struct loop *l, const char *key, tns end)
{
	struct fetch f;
	char *err = NULL;
	int before = c->done;

	memset(&f, 0, sizeof f);
	f.key = key;
	f.kind = "logs";
	f.expr = "{app=\"order\"}";
	f.start = end - 600 * NS_PER_S;
	f.end = end;
	f.limit = 100;
	f.done = done_cb;
	f.done_ctx = c;
	CHECK_INT(loki_source.fetch(c->src, &f, &err), 0);
	free(err);
	for (int i = 0; i < 200 && c->done == before; i++)
		loop_run_once(l, 50);
	CHECK_INT(c->done, before + 1);
}

TEST(loki_done_may_cancel_its_own_key)
{
	struct loop *l = loop_new();
	struct source_env env;
	struct dash_source ds = { .name = "loki", .type = "loki" };
	struct ctx c = { 0 };
	char url[64], *err = NULL;
	const char *key = "loki\x1flogs\x1f{app=\"order\"}";
	tns end = 1795660200LL * NS_PER_S;	/* in the past: a history request */
	int port = 0, st;
	pid_t pid = server_start(&port);

	CHECK(pid > 0);
	if (pid <= 0)
		return;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
	ds.url = url;
	memset(&env, 0, sizeof env);
	env.loop = l;
	env.sink = (struct event_sink){ sink_drop, NULL };
	env.http = http_new(l);
	env.now = ts_now;
	c.src = loki_source.create(&ds, &env, &err);
	CHECK(c.src != NULL);
	if (c.src) {
		c.cancel = 1;
		fetch_once(&c, l, key, end);		/* cancelled inside done() */
		fetch_once(&c, l, key, end);		/* the key starts afresh */
		c.cancel = 0;
		fetch_once(&c, l, key, end);
		fetch_once(&c, l, key, end);		/* history held: answered by a timer */
		CHECK_INT(c.ok, 4);
		loki_source.destroy(c.src);
	}
	free(err);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	http_free(env.http);
	loop_free(l);
}
