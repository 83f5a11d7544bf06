/* http: libcurl multi on scry's loop; per-source connection options.
 * Invariants: a call's callback runs exactly once unless cancelled; the
 * decoded body never exceeds max_bytes (+1 NUL); no header, token or URL
 * userinfo ever reaches a log or an error text unmasked. */
#include "sources/http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/jfix.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/xalloc.h"
#include "sources/proxy.h"

struct http_call {
	struct http		*h;
	CURL			*e;
	struct curl_slist	*hdrs;
	struct buf		 body;
	char			 err[CURL_ERROR_SIZE];
	char			*url;
	char			*form;
	size_t			 max;
	int			 too_large;
	int64_t			 start_ms;
	http_cb			 cb;
	void			*ctx;
	struct http_call	*next, *prev;
};

struct http {
	CURLM			*m;
	struct loop		*loop;
	uint64_t		 timer;
	struct http_call	*calls;
	size_t			 n;
};

static int curl_inited;

static void check_done(struct http *h);

static void
on_socket(void *ctx, int fd, int ev)
{
	struct http *h = ctx;
	int flags = 0, running;

	if (ev & LOOP_IN)
		flags |= CURL_CSELECT_IN;
	if (ev & LOOP_OUT)
		flags |= CURL_CSELECT_OUT;
	if (ev & LOOP_ERR)
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(h->m, fd, flags, &running);
	check_done(h);
}

static int
socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http *h = userp;

	(void)e;
	(void)socketp;
	if (what == CURL_POLL_REMOVE)
		loop_unwatch(h->loop, s);
	else
		loop_watch(h->loop, s, (what & CURL_POLL_IN ? LOOP_IN : 0) |
		    (what & CURL_POLL_OUT ? LOOP_OUT : 0), on_socket, h);
	return 0;
}

static void
on_timeout(void *ctx)
{
	struct http *h = ctx;
	int running;

	h->timer = 0;
	curl_multi_socket_action(h->m, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

static int
timer_cb(CURLM *m, long ms, void *userp)
{
	struct http *h = userp;

	(void)m;
	if (h->timer)
		loop_cancel(h->loop, h->timer);
	h->timer = 0;
	if (ms >= 0)
		h->timer = loop_timer(h->loop, ms, on_timeout, h);
	return 0;
}

struct http *
http_new(struct loop *l)
{
	struct http *h = xcalloc(1, sizeof *h);

	if (!curl_inited++)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	h->loop = l;
	if (!(h->m = curl_multi_init()))
		fatal("curl_multi_init failed");
	curl_multi_setopt(h->m, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(h->m, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->m, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->m, CURLMOPT_TIMERDATA, h);
	curl_multi_setopt(h->m, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	return h;
}

static void
call_free(struct http_call *c)
{
	curl_slist_free_all(c->hdrs);
	buf_free(&c->body);
	free(c->url);
	if (c->form)
		secret_free(c->form);
	free(c);
}

static void
unlink_call(struct http *h, struct http_call *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		h->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	h->n--;
}

void
http_cancel(struct http *h, struct http_call *c)
{
	if (!c)
		return;
	curl_multi_remove_handle(h->m, c->e);
	curl_easy_cleanup(c->e);
	unlink_call(h, c);
	call_free(c);
}

void
http_free(struct http *h)
{
	if (!h)
		return;
	while (h->calls)	/* the head has no prev: unlink_call() moves h->calls on */
		http_cancel(h, h->calls);	// NOLINT(clang-analyzer-unix.Malloc): see above
	if (h->timer)
		loop_cancel(h->loop, h->timer);
	curl_multi_cleanup(h->m);
	free(h);
}

size_t
http_in_flight(const struct http *h)
{
	return h->n;
}

static size_t
write_cb(char *p, size_t size, size_t n, void *ud)
{
	struct http_call *c = ud;
	size_t len = size * n;

	if (c->body.len + len > c->max) {
		c->too_large = 1;
		return 0;	/* -> CURLE_WRITE_ERROR: aborts decoded-byte bombs too */
	}
	if (buf_append(&c->body, p, len) < 0) {
		c->too_large = 1;
		return 0;
	}
	return len;
}

static void
finish(struct http *h, struct http_call *c, CURLcode code)
{
	struct http_resp r;
	char *ct = NULL, *err = NULL;
	curl_off_t ra = 0;

	memset(&r, 0, sizeof r);
	curl_easy_getinfo(c->e, CURLINFO_RESPONSE_CODE, &r.status);
	curl_easy_getinfo(c->e, CURLINFO_CONTENT_TYPE, &ct);
	if (curl_easy_getinfo(c->e, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		r.retry_after_ms = (int64_t)ra * 1000;
	r.content_type = ct;
	r.body = c->body.data ? c->body.data : "";
	r.len = c->body.len;
	r.curl_code = (int)code;
	r.too_large = c->too_large;
	r.latency_ms = ts_mono_ms() - c->start_ms;
	if (c->too_large)
		err = xasprintf("response larger than %zu MiB: aborted (raise max_bytes if this is expected)",
		    c->max >> 20);
	else if (code != CURLE_OK) {
		const char *t = c->err[0] ? c->err : curl_easy_strerror(code);
		err = secret_mask(t);
	}
	r.error = err;
	unlink_call(h, c);
	curl_multi_remove_handle(h->m, c->e);
	c->cb(c->ctx, &r);
	curl_easy_cleanup(c->e);
	free(err);
	call_free(c);
}

static void
check_done(struct http *h)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->m, &left))) {
		struct http_call *c = NULL;
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
		if (c)
			finish(h, c, msg->data.result);
	}
}

static void
set_tls(CURL *e, const struct http_opts *o)
{
	if (o->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
	if (o->cert_file)
		curl_easy_setopt(e, CURLOPT_SSLCERT, o->cert_file);
	if (o->key_file)
		curl_easy_setopt(e, CURLOPT_SSLKEY, o->key_file);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
}

static void
set_auth(CURL *e, const struct http_opts *o)
{
	if (o->user && o->password) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, o->password);
	} else if (o->bearer) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(e, CURLOPT_XOAUTH2_BEARER, o->bearer);
	}
}

static struct curl_slist *
build_headers(const struct http_opts *o, const struct http_req *r)
{
	struct curl_slist *l = NULL;
	char *acc = xasprintf("Accept: %s", r->accept ? r->accept : "application/json");

	l = curl_slist_append(l, acc);
	free(acc);
	for (size_t i = 0; i < o->nheaders; i++)
		l = curl_slist_append(l, o->headers[i]);
	for (size_t i = 0; i < r->nheaders; i++)
		l = curl_slist_append(l, r->headers[i]);
	l = curl_slist_append(l, "Expect:");
	return l;
}

struct http_call *
http_start(struct http *h, const struct http_opts *o, const struct http_req *r, char **err)
{
	struct http_call *c = xcalloc(1, sizeof *c);
	tns to = r->timeout ? r->timeout : o->timeout ? o->timeout : 30 * NS_PER_S;
	tns cto = o->connect_timeout ? o->connect_timeout : 5 * NS_PER_S;
	char *proxy;
	CURLMcode mc;

	c->h = h;
	c->cb = r->cb;
	c->ctx = r->ctx;
	c->max = o->max_bytes ? o->max_bytes : HTTP_DEFAULT_MAX_BYTES;
	buf_init(&c->body, c->max + 1);
	c->url = xasprintf("%s%s", o->base, r->path ? r->path : "");
	if (!(c->e = curl_easy_init())) {
		*err = xstrdup("cannot create a transfer");
		call_free(c);
		return NULL;
	}
	curl_easy_setopt(c->e, CURLOPT_URL, c->url);
	curl_easy_setopt(c->e, CURLOPT_PRIVATE, (char *)c);
	curl_easy_setopt(c->e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c->e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->e, CURLOPT_ERRORBUFFER, c->err);
	curl_easy_setopt(c->e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c->e, CURLOPT_USERAGENT, "scry/" SCRY_VERSION);
	curl_easy_setopt(c->e, CURLOPT_CONNECTTIMEOUT_MS, (long)(cto / NS_PER_MS));
	curl_easy_setopt(c->e, CURLOPT_TIMEOUT_MS, (long)(to / NS_PER_MS));
	curl_easy_setopt(c->e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->e, CURLOPT_LOW_SPEED_TIME, 15L);
	proxy = o->proxy ? xstrdup(o->proxy) : proxy_for_url(c->url);
	curl_easy_setopt(c->e, CURLOPT_PROXY, proxy ? proxy : "");
	free(proxy);
	set_tls(c->e, o);
	set_auth(c->e, o);
	c->hdrs = build_headers(o, r);
	curl_easy_setopt(c->e, CURLOPT_HTTPHEADER, c->hdrs);
	if (r->method && strcmp(r->method, "POST") == 0) {
		c->form = xstrdup(r->form ? r->form : "");
		curl_easy_setopt(c->e, CURLOPT_POSTFIELDS, c->form);
		curl_easy_setopt(c->e, CURLOPT_POSTFIELDSIZE, (long)strlen(c->form));
	}
	c->start_ms = ts_mono_ms();
	c->next = h->calls;
	if (h->calls)
		h->calls->prev = c;
	h->calls = c;
	h->n++;
	if ((mc = curl_multi_add_handle(h->m, c->e)) != CURLM_OK) {
		*err = xasprintf("cannot start request: %s", curl_multi_strerror(mc));
		unlink_call(h, c);
		curl_easy_cleanup(c->e);
		call_free(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------- helpers */

char *
http_escape(const char *s)
{
	struct buf b;
	static const char hex[] = "0123456789ABCDEF";

	buf_init(&b, 64u << 20);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			buf_putc(&b, *p);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	return buf_steal(&b, NULL);
}

void
http_param(char **qs, const char *k, const char *v)
{
	char *ev = http_escape(v), *ek = http_escape(k), *n;

	n = xasprintf("%s%s%s=%s", *qs ? *qs : "", *qs && **qs ? "&" : "", ek, ev);
	free(*qs);
	free(ev);
	free(ek);
	*qs = n;
}

static char *
first_line(const char *s, size_t len, size_t max)
{
	size_t i = 0, j;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	for (j = i; j < len && s[j] != '\n' && s[j] != '\r' && j - i < max; j++)
		;
	return xstrndup(s + i, j - i);
}

static char *
html_title(const char *s, size_t len)
{
	const char *t = memmem(s, len, "<title>", 7), *e;
	if (!t)
		return NULL;
	t += 7;
	e = memmem(t, len - (size_t)(t - s), "</title>", 8);
	if (!e || e - t > 300)
		return NULL;
	return xstrndup(t, (size_t)(e - t));
}

char *
http_error_text(const struct http_resp *r)
{
	char *line = NULL, *out;

	if (r->error)
		return xstrdup(r->error);
	if (r->content_type && strncmp(r->content_type, "application/json", 16) == 0) {
		cJSON *j = jfix_parse(r->body, r->len);
		const cJSON *e = j ? cJSON_GetObjectItemCaseSensitive(j, "error") : NULL;
		const cJSON *t = j ? cJSON_GetObjectItemCaseSensitive(j, "errorType") : NULL;
		if (cJSON_IsString(e))
			line = cJSON_IsString(t) ? xasprintf("%s: %s", t->valuestring, e->valuestring) :
			    xstrdup(e->valuestring);
		cJSON_Delete(j);
	}
	if (!line && r->len && r->content_type && strstr(r->content_type, "html"))
		line = html_title(r->body, r->len);
	if (!line && r->len)
		line = first_line(r->body, r->len, 400);
	if (line && *line)
		out = xasprintf("HTTP %ld: %s", r->status, line);
	else
		out = xasprintf("HTTP %ld", r->status);
	free(line);
	return out;
}

/* ------------------------------------------------------------- options */

const char *const http_cfg_keys[] = { "url", "path_prefix", "basic_auth", "token_file",
	"headers", "tenant", "tls", "proxy", "max_bytes", "timeout", "connect_timeout", NULL };

void
http_opts_free(struct http_opts *o)
{
	free(o->base);
	free(o->user);
	secret_free(o->password);
	secret_free(o->bearer);
	for (size_t i = 0; i < o->nheaders; i++)
		secret_free(o->headers[i]);
	free(o->headers);
	free(o->ca_file);
	free(o->cert_file);
	free(o->key_file);
	free(o->proxy);
	memset(o, 0, sizeof *o);
}

static const char *
opt_str(const struct dash_source *s, const char *key)
{
	const cJSON *v = dash_source_opt(s, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
add_header(struct http_opts *o, const char *name, const char *value)
{
	if (secret_key_looks_secret(name))
		secret_register(value);
	o->headers = xreallocarray(o->headers, o->nheaders + 1, sizeof *o->headers);
	o->headers[o->nheaders++] = xasprintf("%s: %s", name, value);
}

/* The values of secret-looking query parameters in a configured URL
 * (?access_token=...) are secrets wherever they turn up later (an error
 * that echoes the request, a recording): registered, as sent. */
static void
register_query_secrets(const char *url)
{
	const char *q = strchr(url, '?');

	while (q && *q) {
		const char *name = q + 1, *eq = name + strcspn(name, "=&#"), *end;
		char key[64];

		end = *eq == '=' ? eq + 1 + strcspn(eq + 1, "&#") : eq;
		if (*eq == '=' && (size_t)(eq - name) < sizeof key) {
			char *v = xstrndup(eq + 1, (size_t)(end - eq - 1));
			memcpy(key, name, (size_t)(eq - name));
			key[eq - name] = '\0';
			if (secret_key_looks_secret(key))
				secret_register(v);
			free(v);
		}
		q = *end == '&' ? end : NULL;
	}
}

static int
set_base(struct http_opts *o, const struct dash_source *s, char **err)
{
	const char *url = s->url, *prefix = opt_str(s, "path_prefix"), *hostpart;
	size_t n;

	if (!url || !*url) {
		*err = xasprintf("no URL (set \"url\" in the dashboard or use the command-line option)");
		return -1;
	}
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		*err = xasprintf("URL must start with http:// or https://");
		return -1;
	}
	hostpart = strstr(url, "://") + 3;
	if (memchr(hostpart, '@', strcspn(hostpart, "/?#"))) {
		*err = xstrdup("credentials in the URL are not accepted; use basic_auth.password_file or token_file");
		return -1;
	}
	register_query_secrets(url);
	n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	o->base = xasprintf("%.*s%s%s", (int)n, url, prefix && *prefix != '/' ? "/" : "",
	    prefix ? prefix : "");
	n = strlen(o->base);
	while (n && o->base[n - 1] == '/')
		o->base[--n] = '\0';
	return 0;
}

char *
http_basic_credential(const struct http_opts *o)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *s = xasprintf("%s:%s", o->user ? o->user : "", o->password ? o->password : "");
	size_t n = strlen(s), k = 0;
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16 | (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0) |
		    (i + 2 < n ? (unsigned char)s[i + 2] : 0);
		out[k++] = tab[v >> 18 & 63];
		out[k++] = tab[v >> 12 & 63];
		out[k++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		out[k++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[k] = '\0';
	secret_free(s);
	secret_register(out);
	return out;
}

static int
read_auth(struct http_opts *o, const struct dash_source *s, const char *token_env, char **err)
{
	const cJSON *ba = dash_source_opt(s, "basic_auth");
	const char *tf = opt_str(s, "token_file");

	if (cJSON_IsObject(ba)) {
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(ba, "user");
		const cJSON *pf = cJSON_GetObjectItemCaseSensitive(ba, "password_file");
		if (!cJSON_IsString(u) || !cJSON_IsString(pf)) {
			*err = xstrdup("basic_auth needs \"user\" and \"password_file\"");
			return -1;
		}
		o->user = xstrdup(u->valuestring);
		if (!(o->password = secret_read_file(pf->valuestring, err)))
			return -1;
		/* the header value curl sends is as secret as the password */
		secret_free(http_basic_credential(o));
	}
	if (tf) {
		if (!(o->bearer = secret_read_file(tf, err)))
			return -1;
	} else if (token_env && getenv(token_env)) {
		if (!(o->bearer = secret_from_env_file(token_env, err)) && *err)
			return -1;
	}
	return 0;
}

static void
read_tls(struct http_opts *o, const struct dash_source *s)
{
	const cJSON *tls = dash_source_opt(s, "tls"), *v;

	if (!cJSON_IsObject(tls))
		return;
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(tls, "ca_file")))
		o->ca_file = xstrdup(v->valuestring);
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(tls, "cert_file")))
		o->cert_file = xstrdup(v->valuestring);
	if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(tls, "key_file")))
		o->key_file = xstrdup(v->valuestring);
	o->insecure = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tls, "insecure"));
}

static tns
opt_duration(const struct dash_source *s, const char *key, tns def)
{
	const cJSON *v = dash_source_opt(s, key);
	tns d;

	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		return (tns)(v->valuedouble * NS_PER_S);
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, &d) == 0)
		return d;
	return def;
}

int
http_opts_from_source(const struct dash_source *s, const char *token_env, struct http_opts *o,
    char **err)
{
	const cJSON *h, *mb;
	const char *tenant, *proxy;

	memset(o, 0, sizeof *o);
	*err = NULL;
	if (set_base(o, s, err) < 0 || read_auth(o, s, token_env, err) < 0) {
		http_opts_free(o);
		return -1;
	}
	read_tls(o, s);
	if (cJSON_IsObject(h = dash_source_opt(s, "headers")))
		for (const cJSON *c = h->child; c; c = c->next)
			if (cJSON_IsString(c))
				add_header(o, c->string, c->valuestring);
	if ((tenant = opt_str(s, "tenant")))
		add_header(o, "X-Scope-OrgID", tenant);
	if ((proxy = opt_str(s, "proxy")))
		o->proxy = xstrdup(proxy);
	mb = dash_source_opt(s, "max_bytes");
	o->max_bytes = cJSON_IsNumber(mb) && mb->valuedouble >= 1024 ? (size_t)mb->valuedouble :
	    HTTP_DEFAULT_MAX_BYTES;
	o->timeout = opt_duration(s, "timeout", 0);
	o->connect_timeout = opt_duration(s, "connect_timeout", 5 * NS_PER_S);
	return 0;
}

void
http_opts_check(const struct dash_source *s, const struct jdoc *doc, struct diag *dg)
{
	char path[256];
	const cJSON *cfg = s->cfg, *ba, *tls;
	static const char *const ba_keys[] = { "user", "password_file", NULL };
	static const char *const tls_keys[] = { "ca_file", "cert_file", "key_file", "insecure", NULL };

	if (!cfg)
		return;
	snprintf(path, sizeof path, "sources.%s", s->name);
	jd_str(doc, dg, cfg, path, "url", NULL);
	jd_str(doc, dg, cfg, path, "path_prefix", NULL);
	jd_str(doc, dg, cfg, path, "token_file", NULL);
	jd_str(doc, dg, cfg, path, "tenant", NULL);
	jd_str(doc, dg, cfg, path, "proxy", NULL);
	jd_num(doc, dg, cfg, path, "max_bytes", 0);
	jd_duration(doc, dg, cfg, path, "timeout", 0);
	jd_duration(doc, dg, cfg, path, "connect_timeout", 0);
	jd_obj(doc, dg, cfg, path, "headers");
	if ((ba = jd_obj(doc, dg, cfg, path, "basic_auth"))) {
		char p2[300];
		snprintf(p2, sizeof p2, "%s.basic_auth", path);
		jd_check_keys(doc, dg, ba, p2, ba_keys, NULL);
		if (!jd_str(doc, dg, ba, p2, "user", NULL) || !jd_str(doc, dg, ba, p2, "password_file", NULL))
			jdoc_diag(doc, dg, DIAG_ERROR, ba, 0, "%s: needs \"user\" and \"password_file\" "
			    "(passwords are read from files, never written in dashboards)", p2);
		if (cJSON_GetObjectItemCaseSensitive(ba, "password"))
			jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(ba, "password"), 1,
			    "%s.password: passwords are not accepted inline; use password_file", p2);
	}
	if ((tls = jd_obj(doc, dg, cfg, path, "tls"))) {
		char p2[300];
		snprintf(p2, sizeof p2, "%s.tls", path);
		jd_check_keys(doc, dg, tls, p2, tls_keys, NULL);
		jd_bool(doc, dg, tls, p2, "insecure", 0);
	}
	if (s->url && strncmp(s->url, "http://", 7) != 0 && strncmp(s->url, "https://", 8) != 0)
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(cfg, "url"), 0,
		    "%s.url: must start with http:// or https://", path);
}
