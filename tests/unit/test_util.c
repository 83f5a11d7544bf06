/* Unit tests: hmap, labels, bounded buffers and readers, secret masking,
 * the event loop (timers, wake-ups from another thread, fds). */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/hmap.h"
#include "core/labels.h"
#include "core/loop.h"
#include "core/secret.h"
#include "core/ts.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"

TEST(hmap_basic_and_growth)
{
	struct hmap m;
	char k[32];
	size_t it = 0, seen = 0;
	const char *key;
	void *val;

	hmap_init(&m);
	CHECK(hmap_get(&m, "x") == NULL);
	CHECK(hmap_put(&m, "x", (void *)1) == NULL);
	CHECK(hmap_put(&m, "x", (void *)2) == (void *)1);
	CHECK(hmap_get(&m, "x") == (void *)2);
	for (long i = 0; i < 10000; i++) {
		snprintf(k, sizeof k, "key-%ld", i);
		hmap_put(&m, k, (void *)(i + 10));
	}
	CHECK_INT(m.n, 10001);
	for (long i = 0; i < 10000; i += 7) {
		snprintf(k, sizeof k, "key-%ld", i);
		CHECK(hmap_get(&m, k) == (void *)(i + 10));
	}
	for (long i = 0; i < 10000; i += 2) {
		snprintf(k, sizeof k, "key-%ld", i);
		CHECK(hmap_del(&m, k) == (void *)(i + 10));
	}
	CHECK(hmap_del(&m, "key-0") == NULL);
	CHECK_INT(m.n, 5001);
	snprintf(k, sizeof k, "key-%d", 1);
	CHECK(hmap_get(&m, k) == (void *)11);
	while (hmap_next(&m, &it, &key, &val))
		seen++;
	CHECK_INT(seen, 5001);
	/* deleted slots are reused */
	for (long i = 0; i < 10000; i += 2) {
		snprintf(k, sizeof k, "key-%ld", i);
		hmap_put(&m, k, (void *)1);
	}
	CHECK_INT(m.n, 10001);
	hmap_free(&m, NULL);
}

static int freed;
static void count_free(void *p) { (void)p; freed++; }

TEST(hmap_free_calls_back)
{
	struct hmap m;

	hmap_init(&m);
	hmap_put(&m, "a", (void *)1);
	hmap_put(&m, "b", (void *)2);
	freed = 0;
	hmap_free(&m, count_free);
	CHECK_INT(freed, 2);
}

TEST(labels_sorted_equal_hash)
{
	struct labelset a, b, c;
	struct buf out;

	labels_init(&a);
	labels_init(&b);
	labels_set(&a, "job", "api");
	labels_set(&a, "__name__", "up");
	labels_set(&a, "instance", "h:9090");
	labels_set(&b, "instance", "h:9090");
	labels_set(&b, "job", "api");
	labels_set(&b, "__name__", "up");
	labels_finish(&a);
	labels_finish(&b);
	CHECK(labels_equal(&a, &b));
	CHECK(a.hash == b.hash);
	CHECK_STR(a.v[0].name, "__name__");
	CHECK_STR(a.v[2].name, "job");
	CHECK_STR(labels_get(&a, "job"), "api");
	CHECK(labels_get(&a, "nope") == NULL);
	labels_set(&b, "job", "web");		/* replace */
	labels_finish(&b);
	CHECK_INT(b.n, 3);
	CHECK(!labels_equal(&a, &b));
	buf_init(&out, 1024);
	labels_format(&a, &out, 1);
	CHECK_STR(out.data, "{instance=\"h:9090\", job=\"api\"}");
	buf_reset(&out);
	labels_format(&a, &out, 0);
	CHECK_STR(out.data, "{__name__=\"up\", instance=\"h:9090\", job=\"api\"}");
	labels_copy(&c, &a);
	CHECK(labels_equal(&a, &c));
	buf_reset(&out);
	CHECK_INT(labels_encode(&a, &out), 0);
	{
		struct rd r;
		struct labelset d;
		rd_init(&r, out.data, out.len);
		CHECK_INT(labels_decode(&d, &r), 0);
		CHECK(labels_equal(&a, &d));
		labels_free(&d);
		rd_init(&r, out.data, out.len - 1);	/* truncated */
		CHECK_INT(labels_decode(&d, &r), -1);
		labels_free(&d);
	}
	buf_free(&out);
	labels_free(&a);
	labels_free(&b);
	labels_free(&c);
}

TEST(buf_limit_is_hard)
{
	struct buf b;

	buf_init(&b, 10);
	CHECK_INT(buf_puts(&b, "hello"), 0);
	CHECK_INT(buf_puts(&b, "world"), 0);
	CHECK_INT(buf_putc(&b, '!'), -1);
	CHECK(b.overflow);
	CHECK_STR(b.data, "helloworld");		/* intact, NUL-terminated */
	CHECK_INT(b.len, 10);
	CHECK(b.cap <= 11);
	CHECK_INT(buf_printf(&b, "%d", 1), -1);
	buf_reset(&b);
	CHECK(!b.overflow && b.len == 0 && b.data[0] == '\0');
	CHECK_INT(buf_append(&b, "x", (size_t)-1), -1);	/* no wrap-around */
	buf_free(&b);
	buf_init(&b, 1 << 20);
	{
		char big[600];
		memset(big, 'q', 599);
		big[599] = '\0';
		CHECK_INT(buf_printf(&b, "<%s>", big), 0);	/* past the small buffer */
		CHECK_INT(b.len, 601);
	}
	{
		size_t n;
		char *s = buf_steal(&b, &n);
		CHECK_INT(n, 601);
		CHECK(b.data == NULL && b.len == 0);
		free(s);
	}
	buf_free(&b);
}

TEST(buf_varints_and_reader)
{
	static const uint64_t u[] = { 0, 1, 127, 128, 300, 1ULL << 32, UINT64_MAX };
	static const int64_t sv[] = { 0, -1, 1, -64, 64, INT64_MIN, INT64_MAX };
	struct buf b;
	struct rd r;
	uint64_t x;
	int64_t y;
	double d;
	const char *s;
	size_t n;

	buf_init(&b, 4096);
	for (size_t i = 0; i < 7; i++) {
		buf_put_uvarint(&b, u[i]);
		buf_put_svarint(&b, sv[i]);
	}
	buf_put_f64(&b, -2.5);
	buf_put_str(&b, "abc", 3);
	buf_put_u32le(&b, 0xdeadbeef);
	rd_init(&r, b.data, b.len);
	for (size_t i = 0; i < 7; i++) {
		CHECK_INT(rd_uvarint(&r, &x), 0);
		CHECK(x == u[i]);
		CHECK_INT(rd_svarint(&r, &y), 0);
		CHECK(y == sv[i]);
	}
	CHECK_INT(rd_f64(&r, &d), 0);
	CHECK(d == -2.5);
	CHECK_INT(rd_str(&r, &s, &n, 2), -1);		/* longer than allowed */
	rd_init(&r, b.data, b.len);
	for (size_t i = 0; i < 14; i++)
		rd_svarint(&r, &y);
	rd_f64(&r, &d);
	CHECK_INT(rd_str(&r, &s, &n, 100), 0);
	CHECK(n == 3 && memcmp(s, "abc", 3) == 0);
	{
		uint32_t w;
		CHECK_INT(rd_u32le(&r, &w), 0);
		CHECK(w == 0xdeadbeef);
	}
	CHECK_INT(rd_uvarint(&r, &x), -1);		/* past the end */
	CHECK(r.err);
	/* an overlong varint is refused */
	{
		static const uint8_t bad[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0x01 };
		rd_init(&r, bad, sizeof bad);
		CHECK_INT(rd_uvarint(&r, &x), -1);
	}
	buf_free(&b);
}

TEST(secret_masking)
{
	char *m;
	char s[64] = "token=s3cr3t-value and more";

	secret_register("s3cr3t-value");
	secret_register("abc");				/* too short to register */
	m = secret_mask("error: s3cr3t-value rejected; abc is fine");
	CHECK_STR(m, "error: <masked> rejected; abc is fine");
	free(m);
	m = secret_mask("Authorization: Bearer eyJhbGciOi\nnext line");
	CHECK_STR(m, "Authorization: <masked>\nnext line");
	free(m);
	m = secret_mask("GET https://user:hunter2@prom.example/api");
	CHECK_STR(m, "GET https://user:<masked>@prom.example/api");
	free(m);
	m = secret_mask("GET /q?query=up&access_token=zzz&x=1");
	CHECK_STR(m, "GET /q?query=up&access_token=<masked>&x=1");
	free(m);
	m = secret_mask("X-Scope-OrgID: tenant-a");	/* not a secret header */
	CHECK_STR(m, "X-Scope-OrgID: tenant-a");
	free(m);
	secret_mask_inplace(s, sizeof s);
	CHECK_STR(s, "token=<masked> and more");
	CHECK(secret_key_looks_secret("password_file"));
	CHECK(secret_key_looks_secret("X-Api-Key"));
	CHECK(!secret_key_looks_secret("tenant"));
	secret_wipe_all();
	m = secret_mask("s3cr3t-value");		/* wiped: no longer known */
	CHECK_STR(m, "s3cr3t-value");
	free(m);
}

TEST(secret_files)
{
	char dir[] = "/tmp/scry-secret-XXXXXX", *p, *v, *err = NULL, *m;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	p = xasprintf("%s/token", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(write(fd, "tok-123456\n", 11) == 11);
	close(fd);
	v = secret_read_file(p, &err);
	CHECK_STR(v, "tok-123456");			/* trailing newline stripped */
	m = secret_mask("sent tok-123456");
	CHECK_STR(m, "sent <masked>");			/* registered */
	free(m);
	secret_free(v);
	chmod(p, 0666);
	CHECK(secret_read_file(p, &err) == NULL);	/* world-writable: refused */
	CHECK_CONTAINS(err, "world-writable");
	free(err);
	err = NULL;
	CHECK(secret_read_file("/nonexistent/x", &err) == NULL);
	CHECK_CONTAINS(err, "cannot read secret file");
	free(err);
	err = NULL;
	unlink(p);
	setenv("SCRY_TEST_TOKEN_FILE", dir, 1);		/* a directory */
	CHECK(secret_from_env_file("SCRY_TEST_TOKEN_FILE", &err) == NULL);
	CHECK_CONTAINS(err, "not a regular file");
	free(err);
	unsetenv("SCRY_TEST_TOKEN_FILE");
	CHECK(secret_from_env_file("SCRY_TEST_TOKEN_FILE", &err) == NULL);
	free(p);
	rmdir(dir);
	secret_wipe_all();
}

static int fired[4];
static void tick(void *ctx) { fired[(long)ctx]++; }

TEST(loop_timers_in_order)
{
	struct loop *l = loop_new();
	uint64_t a, c;

	memset(fired, 0, sizeof fired);
	CHECK_INT(loop_next_timeout(l), -1);		/* nothing armed: sleep forever */
	a = loop_timer(l, 30, tick, (void *)0);
	loop_timer(l, 1, tick, (void *)1);
	c = loop_timer(l, 5, tick, (void *)2);
	CHECK(a != 0 && c != 0 && a != c);
	loop_cancel(l, c);
	loop_cancel(l, 0);
	CHECK(loop_next_timeout(l) <= 1);
	while (!fired[0])
		loop_run_once(l, 100);
	CHECK_INT(fired[1], 1);
	CHECK_INT(fired[2], 0);				/* cancelled */
	CHECK_INT(fired[0], 1);
	CHECK_INT(loop_next_timeout(l), -1);
	CHECK_INT(loop_run_once(l, 0), 0);		/* nothing ready: returns at once */
	loop_free(l);
}

static int woken;
static void on_wake(void *ctx) { (void)ctx; woken++; }
static void *
waker(void *arg)
{
	usleep(20000);
	loop_wake(arg);
	return NULL;
}

TEST(loop_wake_from_thread)
{
	struct loop *l = loop_new();
	pthread_t th;
	int64_t t0 = ts_mono_ms();

	woken = 0;
	loop_on_wake(l, on_wake, NULL);
	pthread_create(&th, NULL, waker, l);
	loop_run_once(l, 5000);				/* blocks until the wake */
	pthread_join(th, NULL);
	CHECK_INT(woken, 1);
	CHECK(ts_mono_ms() - t0 < 4000);
	loop_wake(l);
	loop_wake(l);					/* coalesced */
	loop_run_once(l, 0);
	CHECK_INT(woken, 2);
	loop_free(l);
}

static int readable;
static void
on_fd(void *ctx, int fd, int ev)
{
	char c;
	(void)ctx;
	if (ev & LOOP_IN && read(fd, &c, 1) == 1)
		readable++;
}

TEST(loop_watches_fds)
{
	struct loop *l = loop_new();
	int p[2];

	CHECK_INT(pipe(p), 0);
	readable = 0;
	loop_watch(l, p[0], LOOP_IN, on_fd, NULL);
	CHECK_INT(loop_run_once(l, 0), 0);
	CHECK(write(p[1], "x", 1) == 1);
	loop_run_once(l, 1000);
	CHECK_INT(readable, 1);
	loop_unwatch(l, p[0]);
	CHECK(write(p[1], "y", 1) == 1);
	loop_run_once(l, 0);
	CHECK_INT(readable, 1);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}
