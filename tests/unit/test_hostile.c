/* Unit tests: hostile text on the paths that leave scry other than
 * through the canvas (robustness.md §6 T3) -- diagnostics printed by
 * --check, the JSON of --convert, scry's log -- and what else the hostile
 * tests found (recordings that did not replay, legends that hid a label). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alerts.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/event.h"
#include "core/jdoc.h"
#include "core/labels.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/status.h"
#include "core/xalloc.h"
#include "sources/http.h"
#include "sources/prom_parse.h"
#include "widgets/legend.h"
#include "tests/unit/t.h"

/* No byte a terminal would act on: C0 but LF, DEL, C1 (raw or UTF-8),
 * bidi controls; and the text is valid UTF-8. */
static int
terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return 0;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			return 0;
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			return 0;
		if (*p >= 0x80 && !(*p >= 0xc2 && *p <= 0xf4))
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

TEST(hostile_diag_message_sanitised)
{
	struct diag d;

	diag_init(&d);
	diag_add(&d, DIAG_ERROR, "dash.json", 3, 7, "unknown panel type '%s'",
	    "gr\x1b]0;pwned\x07" "aph\xe2\x80\xae\xc2\x9b" "2J\xff");
	CHECK_INT(d.n, 1);
	CHECK(terminal_safe(d.e[0].msg));
	CHECK_STR(d.e[0].msg, "dash.json:3:7: unknown panel type "
	    "'gr^[]0;pwned^Gaph<U+202E><U+009B>2J\\xFF'");
	diag_free(&d);
}

TEST(hostile_diag_file_name_and_warning)
{
	struct diag d;

	diag_init(&d);
	diag_add(&d, DIAG_WARN, "evil\x1b[2J.json", 0, 0, "source '%s' unused", "a\rb");
	CHECK_STR(d.e[0].msg, "evil^[[2J.json: warning: source 'a^Mb' unused");
	CHECK(terminal_safe(d.e[0].msg));
	diag_free(&d);
}

/* A hostile server's 70,000-byte label value: kept as its first 64 KiB
 * (cut on a UTF-8 boundary), so the recording of it decodes again. */
TEST(hostile_huge_label_value_survives_a_recording)
{
	size_t big = 70000;
	char *v = malloc(big + 1);
	struct labelset ls, back;
	struct buf b;
	struct rd r;

	memset(v, 'A', big);
	memcpy(v + 65534, "\xe2\x82\xac", 3);	/* a euro sign across the cut */
	v[big] = '\0';
	labels_init(&ls);
	labels_set(&ls, "instance", v);
	labels_set(&ls, "job", "api");
	labels_finish(&ls);
	CHECK_INT(strlen(labels_get(&ls, "instance")), 65534);
	buf_init(&b, 1 << 20);
	CHECK_INT(labels_encode(&ls, &b), 0);
	rd_init(&r, b.data, b.len);
	CHECK_INT(labels_decode(&back, &r), 0);
	CHECK(labels_equal(&ls, &back));
	labels_free(&ls);
	labels_free(&back);
	buf_free(&b);
	free(v);
}

TEST(hostile_label_count_capped_at_what_decodes)
{
	struct labelset ls, back;
	struct buf b;
	struct rd r;
	char name[16];

	labels_init(&ls);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "l%05d", i);
		labels_set(&ls, name, "x");
	}
	labels_finish(&ls);
	CHECK(ls.n <= 1024);
	buf_init(&b, 1 << 20);
	CHECK_INT(labels_encode(&ls, &b), 0);
	rd_init(&r, b.data, b.len);
	CHECK_INT(labels_decode(&back, &r), 0);
	CHECK(labels_equal(&ls, &back));
	labels_free(&ls);
	labels_free(&back);
	buf_free(&b);
}

/* A label too long for the legend is cut and the cut is marked; it is
 * never left out whole (the series {instance=<70 KB>, le="68"} used to be
 * named 'hostile{, le="68"}'). */
TEST(hostile_legend_cuts_long_values_visibly)
{
	char *v = malloc(70001), dst[128];
	struct labelset ls;

	memset(v, 'A', 70000);
	memcpy(v, "I068:", 5);
	v[70000] = '\0';
	labels_init(&ls);
	labels_set(&ls, "__name__", "hostile");
	labels_set(&ls, "instance", v);
	labels_set(&ls, "le", "68");
	labels_finish(&ls);
	legend_name(&ls, NULL, "hostile", dst, sizeof dst);
	CHECK(strncmp(dst, "hostile{instance=\"I068:AAAA", 27) == 0);
	CHECK_INT(strlen(dst), sizeof dst - 1);
	CHECK_STR(dst + strlen(dst) - 3, "...");
	legend_name(&ls, "{{instance}} {{le}}", "hostile", dst, sizeof dst);
	CHECK(strncmp(dst, "I068:AAAA", 9) == 0);
	CHECK_STR(dst + strlen(dst) - 3, "...");
	labels_free(&ls);
	free(v);
}

TEST(hostile_buf_put_fit_keeps_utf8_whole)
{
	struct buf b;

	buf_init(&b, 5);
	CHECK_INT(buf_put_fit(&b, "ab", 2), 0);
	CHECK_INT(buf_put_fit(&b, "c\xe2\x82\xac", 4), -1);	/* c + euro: the euro does not fit */
	CHECK_STR(b.data, "abc");
	CHECK_INT(buf_put_fit(&b, "d", 1), -1);		/* nothing after a cut */
	CHECK_STR(b.data, "abc");
	buf_free(&b);
}

/* A rule whose query is 70,000 bytes (tests/hostile/server.py serves
 * one): the alerts event keeps ALERT_STR_MAX of it, and its recording
 * decodes to the same alerts (it used to fail --check: "malformed alerts
 * event"). */
TEST(hostile_long_rule_expression_survives_a_recording)
{
	const char *head = "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\",\"rules\":[{"
	    "\"state\":\"firing\",\"name\":\"A\",\"type\":\"alerting\",\"query\":\"";
	const char *tail = "\",\"alerts\":[{\"labels\":{\"alertname\":\"A\"},\"state\":\"firing\"}]}]}]}}";
	size_t hl = strlen(head), big = 70000, tl = strlen(tail);
	char *body = malloc(hl + big + tl + 1), *err = NULL;
	struct http_resp r;
	struct prom_out o;
	struct event *ev, *back;
	struct buf b;
	struct rd rd;

	memcpy(body, head, hl);
	memset(body + hl, 'x', big);
	memcpy(body + hl + big, tail, tl + 1);
	memset(&r, 0, sizeof r);
	r.status = 200;
	r.content_type = "application/json";
	r.body = body;
	r.len = hl + big + tl;
	CHECK_INT(prom_parse(&r, PW_ALERTS, 0, 0, 0, &o), 0);
	CHECK_INT((long long)o.alerts->n, 1);
	CHECK_INT((long long)strlen(o.alerts->a[0].expr), ALERT_STR_MAX);
	ev = event_new(EV_ALERTS, 1, "k", o.alerts);
	o.alerts = NULL;
	buf_init(&b, 1 << 20);
	CHECK_INT(event_encode(ev, &b), 0);
	rd_init(&rd, b.data, b.len);
	back = event_decode(&rd, &err);
	CHECK(back != NULL);
	if (back) {
		const struct ev_alerts *e = back->p;
		CHECK_INT((long long)e->n, 1);
		CHECK_STR(e->a[0].expr, ((struct ev_alerts *)ev->p)->a[0].expr);
		event_free(back);
	}
	free(err);
	event_free(ev);
	buf_free(&b);
	prom_out_free(&o);
	free(body);
}

/* scry --convert prints JSON to the terminal: C1 (U+009B is CSI to some
 * terminals), DEL, bidi and tag characters go out as \u escapes, an
 * invalid byte as \ufffd; the JSON means the same. */
TEST(hostile_jdoc_print_is_terminal_safe)
{
	cJSON *o = cJSON_CreateObject(), *back;
	const char *title = "a\x1b]0;t\x07\xc2\x9b" "2J\x7f\xe2\x80\xae\xf3\xa0\x81\x81\xff" "z";
	char *text;

	cJSON_AddStringToObject(o, "title", title);
	text = jdoc_print(o);
	CHECK(terminal_safe(text));
	CHECK_CONTAINS(text, "a\\u001b]0;t\\u0007\\u009b2J\\u007f\\u202e\\udb40\\udc41\\ufffdz");
	back = cJSON_Parse(text);
	CHECK(back != NULL);
	if (back)
		CHECK_STR(cJSON_GetObjectItem(back, "title")->valuestring,
		    "a\x1b]0;t\x07\xc2\x9b" "2J\x7f\xe2\x80\xae\xf3\xa0\x81\x81\xef\xbf\xbd" "z");
	cJSON_Delete(back);
	cJSON_Delete(o);
	free(text);
}

/* scry's log (--log FILE, :log, stderr in --snapshot) quotes backends'
 * messages: no control, C1, bidi or invalid byte reaches the file. */
TEST(hostile_log_lines_are_sanitised)
{
	char path[] = "/tmp/scry-unit-log.XXXXXX", got[4096], *err = NULL;
	int fd = mkstemp(path);
	ssize_t n;

	REQUIRE(fd >= 0);
	close(fd);
	CHECK_INT(log_open_file(path, &err), 0);
	log_error("server said: %s", "x\x1b]0;pwned\x07\xc2\x9b" "2J\xe2\x80\xae\xff\r\nend");
	log_close();
	fd = open(path, O_RDONLY);
	n = read(fd, got, sizeof got - 1);
	close(fd);
	unlink(path);
	CHECK(n > 0);
	got[n > 0 ? n : 0] = '\0';
	CHECK(terminal_safe(got));
	CHECK_CONTAINS(got, "server said: x^[]0;pwned^G<U+009B>2J<U+202E>\\xFF^M^Jend\n");
	free(err);
}

/* A server that echoes the request in its error (401 with the headers, a
 * URL with ?access_token=): the status event, drawn, logged and recorded
 * from here on, holds neither the registered token nor the URL's. */
TEST(hostile_status_messages_are_masked)
{
	struct ev_status *st;

	secret_register("CANARYstatus31");
	st = status_new(QS_ERROR, "unauthorized: GET /echo?access_token=CANARYurl32/api HTTP/1.1 | "
	    "Authorization: Bearer CANARYstatus31 | X-Api-Key: CANARYhdr33");
	CHECK(strstr(st->error, "CANARY") == NULL);
	CHECK_CONTAINS(st->error, "access_token=<masked>");
	status_add_warning(st, "echo: CANARYstatus31");
	CHECK_STR(st->warnings[0], "echo: <masked>");
	status_free(st);
}

/* Secrets a source is configured with turn up in a server's echo in other
 * forms: the value of ?access_token= in its URL, the base64 Basic
 * credential curl computes.  Both are registered, so they are masked and
 * scrubbed wherever they appear. */
TEST(hostile_url_and_basic_credentials_are_registered)
{
	char path[] = "/tmp/scry-unit-pw.XXXXXX", *err = NULL, *m, *enc, *text;
	int fd = mkstemp(path);
	struct http_opts o;
	struct dash_source ds = { .name = "p", .type = "prometheus",
	    .url = "http://h:9090/x?region=eu&access_token=CANARYurl41&sig=CANARYsig42" };
	cJSON *cfg = cJSON_CreateObject(), *ba = cJSON_AddObjectToObject(cfg, "basic_auth");

	REQUIRE(fd >= 0);
	CHECK(write(fd, "CANARYpw43\n", 11) == 11);
	close(fd);
	cJSON_AddStringToObject(ba, "user", "u");
	cJSON_AddStringToObject(ba, "password_file", path);
	ds.cfg = cfg;
	CHECK_INT(http_opts_from_source(&ds, NULL, &o, &err), 0);
	enc = http_basic_credential(&o);
	CHECK_STR(enc, "dTpDQU5BUllwdzQz");		/* base64("u:CANARYpw43") */
	text = xasprintf("echo: %s %s %s region=eu", "CANARYurl41", "CANARYsig42", enc);
	m = secret_mask(text);
	CHECK_STR(m, "echo: <masked> <masked> <masked> region=eu");
	free(m);
	free(text);
	free(enc);
	http_opts_free(&o);
	cJSON_Delete(cfg);
	unlink(path);
	free(err);
}
