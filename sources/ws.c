/* ws: libwebsockets on its own thread, talking to the loop by queues.
 * Invariants:
 *  - the lws context and every struct wconn are touched only by the lws
 *    thread (after ws_open hands a wconn over through the command queue);
 *  - struct wreg (id -> callback) is touched only by the loop thread;
 *  - cmds/out and their byte counts are guarded by w->mu;
 *  - exactly one WS_CLOSED is queued per connection (closed_sent). */
#include "sources/ws.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/ts.h"
#include "core/xalloc.h"

#define RX_BUFFER	65536
#define TICK_US		(250 * 1000)
#define DRAIN_BUDGET_MS	20
#define SHUTDOWN_MS	300

enum cmdtype { C_OPEN, C_CLOSE, C_RESUME };

struct wconn {
	uint64_t	 id;
	struct ws	*w;
	struct lws	*wsi;
	char		*host, *path;
	int		 port, tls;
	char		**hn, **hv;	/* header names ("x-scope-orgid:") and values */
	size_t		 nh;
	struct buf	 msg;
	int		 binary, too_big;
	int64_t		 last_valid_ms, last_ping_ms;
	int		 established, closing, closed_sent, dead, paused, want_ping;
	int		 close_code, http_status;
	char		 reason[256];
	struct wconn	*next;
};

struct wcmd {
	enum cmdtype	 type;
	uint64_t	 id;
	struct wconn	*c;
	struct wcmd	*next;
};

struct wout {
	uint64_t	 id;
	struct ws_event	 ev;
	char		*data;
	char		*reason;
	struct wout	*next;
};

struct wreg {
	uint64_t	 id;
	ws_cb		 cb;
	void		*ctx;
	struct wreg	*next;
};

struct ws {
	struct loop		*loop;
	struct ws_opts		 o;
	char			*ca, *cert, *key, *proxy;
	struct lws_context	*ctx;
	pthread_t		 thr;
	int			 started;
	pthread_mutex_t		 mu;
	struct wcmd		*cmds, **cmds_tail;
	struct wout		*out, **out_tail;
	size_t			 out_bytes;
	int			 quit;		/* under mu: 1 close and stop, 2 stop now */
	int			 paused;	/* connections paused for backpressure (under mu) */
	int			 evfd;
	/* lws thread only */
	struct wconn		*conns;
	lws_sorted_usec_list_t	 sul;
	/* loop thread only */
	struct wreg		*regs;
	uint64_t		 next_id;
};

static const struct lws_protocols protocols[];

/* ------------------------------------------------------------- logging */

static void
lws_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_msg(level == LLL_ERR ? LOG_WARN : LOG_INFO, "websocket: %.*s", (int)n, line);
}

/* ------------------------------------------------------- out queue (lws) */

static void
push_out(struct ws *w, struct wconn *c, enum ws_evtype type, const char *data, size_t len)
{
	struct wout *o = xcalloc(1, sizeof *o);
	uint64_t one = 1;
	ssize_t r;

	o->id = c->id;
	o->ev.type = type;
	if (type == WS_MESSAGE) {
		o->data = xmalloc(len + 1);
		memcpy(o->data, data, len);
		o->data[len] = '\0';
		o->ev.len = len;
		o->ev.binary = c->binary;
	}
	if (type == WS_CLOSED) {
		o->ev.code = c->close_code;
		o->ev.http_status = c->http_status;
		o->reason = xstrdup(c->reason);
		c->closed_sent = 1;
	}
	pthread_mutex_lock(&w->mu);
	*w->out_tail = o;
	w->out_tail = &o->next;
	w->out_bytes += len + sizeof *o;
	if (type == WS_MESSAGE && w->out_bytes > w->o.max_queued && !c->paused && c->wsi) {
		lws_rx_flow_control(c->wsi, 0);
		c->paused = 1;
		w->paused++;
	}
	pthread_mutex_unlock(&w->mu);
	r = write(w->evfd, &one, sizeof one);
	(void)r;
}

static void
closed(struct ws *w, struct wconn *c, int code, const char *why)
{
	if (c->closed_sent)
		return;
	if (code >= 0)
		c->close_code = code;
	if (why && !c->reason[0])
		snprintf(c->reason, sizeof c->reason, "%s", why);
	push_out(w, c, WS_CLOSED, NULL, 0);
}

/* --------------------------------------------------------- lws thread */

static struct wconn *
find_conn(struct ws *w, uint64_t id)
{
	for (struct wconn *c = w->conns; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static void
connect_conn(struct ws *w, struct wconn *c)
{
	struct lws_client_connect_info ci;

	memset(&ci, 0, sizeof ci);
	ci.context = w->ctx;
	ci.address = c->host;
	ci.port = c->port;
	ci.path = c->path;
	ci.host = c->host;
	ci.protocol = NULL;
	ci.local_protocol_name = protocols[0].name;
	ci.opaque_user_data = c;
	ci.pwsi = &c->wsi;
	ci.ietf_version_or_minus_one = -1;
	if (c->tls) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (w->o.insecure)
			ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED |
			    LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK | LCCSCF_ALLOW_EXPIRED;
	}
	c->last_valid_ms = c->last_ping_ms = ts_mono_ms();
	if (!lws_client_connect_via_info(&ci)) {
		c->wsi = NULL;
		closed(w, c, 0, "cannot start the connection");
		c->dead = 1;
	}
}

static void
drain_cmds(struct ws *w)
{
	struct wcmd *list;

	pthread_mutex_lock(&w->mu);
	list = w->cmds;
	w->cmds = NULL;
	w->cmds_tail = &w->cmds;
	pthread_mutex_unlock(&w->mu);
	while (list) {
		struct wcmd *cmd = list;
		struct wconn *c;
		list = cmd->next;
		switch (cmd->type) {
		case C_OPEN:
			cmd->c->next = w->conns;
			w->conns = cmd->c;
			connect_conn(w, cmd->c);
			break;
		case C_CLOSE:
			if ((c = find_conn(w, cmd->id)) && !c->dead) {
				c->closing = 1;
				c->closed_sent = 1;	/* the loop forgot it: report nothing */
				if (c->wsi && c->established)
					lws_callback_on_writable(c->wsi);
				else if (c->wsi)
					lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
			}
			break;
		case C_RESUME:
			for (c = w->conns; c; c = c->next)
				if (c->paused && c->wsi) {
					lws_rx_flow_control(c->wsi, 1);
					c->paused = 0;
				}
			pthread_mutex_lock(&w->mu);
			w->paused = 0;
			pthread_mutex_unlock(&w->mu);
			break;
		}
		free(cmd);
	}
}

static void
conn_free(struct wconn *c)
{
	for (size_t i = 0; i < c->nh; i++) {
		free(c->hn[i]);
		explicit_bzero(c->hv[i], strlen(c->hv[i]));
		free(c->hv[i]);
	}
	free(c->hn);
	free(c->hv);
	buf_free(&c->msg);
	free(c->host);
	free(c->path);
	free(c);
}

static void
tick(lws_sorted_usec_list_t *sul)
{
	struct ws *w = lws_container_of(sul, struct ws, sul);
	int64_t now = ts_mono_ms(), idle = w->o.idle_timeout_ms, ping = idle / 3;
	struct wconn **pp = &w->conns;

	while (*pp) {
		struct wconn *c = *pp;
		if (c->dead && !c->wsi) {	/* finished: forget it */
			*pp = c->next;
			conn_free(c);
			continue;
		}
		if (c->established && !c->closing && !c->dead && c->wsi) {
			if (now - c->last_valid_ms > idle) {
				snprintf(c->reason, sizeof c->reason,
				    "connection dead: no frame and no pong for %lld s",
				    (long long)(idle / 1000));
				c->close_code = 1006;
				c->dead = 1;
				lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
			} else if (now - c->last_ping_ms >= ping) {
				c->want_ping = 1;
				c->last_ping_ms = now;
				lws_callback_on_writable(c->wsi);
			}
		}
		pp = &c->next;
	}
	lws_sul_schedule(w->ctx, 0, &w->sul, tick, TICK_US);
}

static int
add_headers(struct wconn *c, struct lws *wsi, void *in, size_t len)
{
	unsigned char **p = in, *end = *p + len;

	for (size_t i = 0; i < c->nh; i++)
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)c->hn[i],
		    (const unsigned char *)c->hv[i], (int)strlen(c->hv[i]), p, end))
			return -1;
	return 0;
}

static void
receive(struct ws *w, struct wconn *c, struct lws *wsi, const void *in, size_t len)
{
	c->last_valid_ms = ts_mono_ms();
	if (lws_is_first_fragment(wsi)) {
		buf_reset(&c->msg);
		c->msg.overflow = 0;
		c->binary = lws_frame_is_binary(wsi);
	}
	if (buf_append(&c->msg, in, len) < 0 && !c->too_big) {
		c->too_big = 1;
		snprintf(c->reason, sizeof c->reason, "message larger than %zu MiB: connection closed",
		    w->o.max_message >> 20);
		c->close_code = 1009;
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
		c->dead = 1;
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		return;
	}
	if (!c->too_big && lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi))
		push_out(w, c, WS_MESSAGE, c->msg.data ? c->msg.data : "", c->msg.len);
}

static void
peer_close(struct wconn *c, const unsigned char *in, size_t len)
{
	if (len >= 2) {
		c->close_code = in[0] << 8 | in[1];
		snprintf(c->reason, sizeof c->reason, "%.*s", (int)(len - 2 > 200 ? 200 : len - 2),
		    (const char *)in + 2);
	} else
		c->close_code = 1005;	/* no status */
}

static int
writeable(struct wconn *c, struct lws *wsi)
{
	unsigned char buf[LWS_PRE + 8];

	if (c->closing) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"bye", 3);
		return -1;
	}
	if (c->want_ping) {
		c->want_ping = 0;
		if (lws_write(wsi, buf + LWS_PRE, 0, LWS_WRITE_PING) < 0)
			return -1;
	}
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct lws_context *ctx = lws_get_context(wsi);
	struct ws *w = ctx ? lws_context_user(ctx) : NULL;
	struct wconn *c = lws_get_opaque_user_data(wsi);

	(void)user;
	if (!w)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		drain_cmds(w);
		return 0;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return c ? add_headers(c, wsi, in, len) : 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (!c)
			return -1;
		c->established = 1;
		c->http_status = 101;
		c->last_valid_ms = ts_mono_ms();
		if (!c->closing)
			push_out(w, c, WS_OPEN, NULL, 0);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (c && !c->closing)
			receive(w, c, wsi, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		if (c)
			c->last_valid_ms = ts_mono_ms();
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return c ? writeable(c, wsi) : 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (c)
			peer_close(c, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c) {
			int st = lws_http_client_http_response(wsi);
			c->http_status = st > 0 && st != 101 ? st : 0;
			closed(w, c, 0, in && len ? (const char *)in : "connection failed");
			c->dead = 1;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c) {
			closed(w, c, c->close_code ? c->close_code : 1006,
			    "connection closed without a close frame");
			c->dead = 1;
		}
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		if (c) {
			closed(w, c, c->established ? (c->close_code ? c->close_code : 1006) : 0,
			    "connection lost");
			c->wsi = NULL;
			c->dead = 1;
			lws_set_opaque_user_data(wsi, NULL);
		}
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{ "scry-ws", callback, 0, RX_BUFFER, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* Leaving: send every open connection a close frame (1000), then give
 * them a moment to go; never more than SHUTDOWN_MS. */
static int
shutting_down(struct ws *w, int64_t *deadline)
{
	int live = 0;

	if (!*deadline) {
		*deadline = ts_mono_ms() + SHUTDOWN_MS;
		for (struct wconn *c = w->conns; c; c = c->next)
			if (c->wsi && !c->dead) {
				c->closing = 1;
				c->closed_sent = 1;
				if (c->established)
					lws_callback_on_writable(c->wsi);
				else
					lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
			}
	}
	for (struct wconn *c = w->conns; c; c = c->next)
		live += c->wsi != NULL;
	return live && ts_mono_ms() < *deadline;
}

static void *
thread_main(void *arg)
{
	struct ws *w = arg;
	int64_t deadline = 0;

	lws_sul_schedule(w->ctx, 0, &w->sul, tick, TICK_US);
	for (;;) {
		int quit;
		pthread_mutex_lock(&w->mu);
		quit = w->quit;
		pthread_mutex_unlock(&w->mu);
		if (quit && !shutting_down(w, &deadline))
			break;
		lws_service(w->ctx, quit ? 50 : 0);
	}
	lws_sul_cancel(&w->sul);
	lws_context_destroy(w->ctx);	/* on this thread: close callbacks fire here */
	w->ctx = NULL;
	return NULL;
}

/* -------------------------------------------------------- loop thread */

static struct wreg *
find_reg(struct ws *w, uint64_t id, struct wreg ***pp)
{
	struct wreg **p = &w->regs;

	for (; *p; p = &(*p)->next)
		if ((*p)->id == id) {
			if (pp)
				*pp = p;
			return *p;
		}
	return NULL;
}

static void
out_free(struct wout *o)
{
	free(o->data);
	free(o->reason);
	free(o);
}

/* Deliver queued events, at most DRAIN_BUDGET_MS per turn of the loop. */
static void
on_evfd(void *ctx, int fd, int revents)
{
	struct ws *w = ctx;
	struct wout *list, *rest;
	uint64_t v;
	int64_t t0 = ts_mono_ms();
	ssize_t r = read(fd, &v, sizeof v);
	int resume;

	(void)r;
	(void)revents;
	pthread_mutex_lock(&w->mu);
	list = w->out;
	w->out = NULL;
	w->out_tail = &w->out;
	w->out_bytes = 0;
	pthread_mutex_unlock(&w->mu);
	while (list && ts_mono_ms() - t0 < DRAIN_BUDGET_MS) {
		struct wout *o = list;
		struct wreg **pp, *reg = find_reg(w, o->id, &pp);
		list = o->next;
		if (reg) {
			o->ev.data = o->data;
			o->ev.reason = o->reason ? o->reason : "";
			if (o->ev.type == WS_CLOSED) {	/* the last event of this id */
				*pp = reg->next;
				reg->cb(reg->ctx, &o->ev);
				free(reg);
			} else
				reg->cb(reg->ctx, &o->ev);
		}
		out_free(o);
	}
	pthread_mutex_lock(&w->mu);
	if (list) {		/* over budget: put the rest back in front */
		size_t bytes = 0;
		for (rest = list; rest->next; rest = rest->next)
			bytes += rest->ev.len + sizeof *rest;
		bytes += rest->ev.len + sizeof *rest;
		rest->next = w->out;
		if (!w->out)
			w->out_tail = &rest->next;
		w->out = list;
		w->out_bytes += bytes;
		r = write(w->evfd, &(uint64_t){ 1 }, sizeof(uint64_t));
		(void)r;	/* as in post(): a failed wake-up leaves the counter set */
	}
	resume = w->paused && w->out_bytes < w->o.max_queued / 2;
	if (resume) {
		struct wcmd *cmd = xcalloc(1, sizeof *cmd);
		cmd->type = C_RESUME;
		*w->cmds_tail = cmd;
		w->cmds_tail = &cmd->next;
	}
	pthread_mutex_unlock(&w->mu);
	if (resume)
		lws_cancel_service(w->ctx);
}

static int
split_url(const char *url, struct wconn *c, char **err)
{
	const char *h, *e, *p;
	char *end;
	long port;

	if (strncmp(url, "ws://", 5) == 0) {
		c->tls = 0;
		h = url + 5;
	} else if (strncmp(url, "wss://", 6) == 0) {
		c->tls = 1;
		h = url + 6;
	} else {
		*err = xstrdup("websocket URL must start with ws:// or wss://");
		return -1;
	}
	p = h + strcspn(h, "/?");
	if (*h == '[') {	/* [v6]:port */
		if (!(e = memchr(h, ']', (size_t)(p - h)))) {
			*err = xstrdup("bad IPv6 address in URL");
			return -1;
		}
		c->host = xstrndup(h + 1, (size_t)(e - h - 1));
		e++;
	} else {
		e = h + strcspn(h, ":/?");
		c->host = xstrndup(h, (size_t)(e - h));
	}
	c->port = c->tls ? 443 : 80;
	if (*e == ':') {
		port = strtol(e + 1, &end, 10);
		if (end != p || port < 1 || port > 65535) {
			*err = xstrdup("bad port in URL");
			return -1;
		}
		c->port = (int)port;
	}
	c->path = *p == '/' ? xstrdup(p) : xasprintf("/%s", p);
	if (!*c->host) {
		*err = xstrdup("no host in URL");
		return -1;
	}
	return 0;
}

static void
add_header_pair(struct wconn *c, const char *h)
{
	const char *colon = strchr(h, ':');
	char *name;

	if (!colon || colon == h)
		return;
	name = xasprintf("%.*s:", (int)(colon - h), h);
	for (char *s = name; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	colon++;
	while (*colon == ' ')
		colon++;
	c->hn = xreallocarray(c->hn, c->nh + 1, sizeof *c->hn);
	c->hv = xreallocarray(c->hv, c->nh + 1, sizeof *c->hv);
	c->hn[c->nh] = name;
	c->hv[c->nh] = xstrdup(colon);
	c->nh++;
}

uint64_t
ws_open(struct ws *w, const char *url, const char *const *headers, size_t nh, ws_cb cb, void *ctx,
    char **err)
{
	struct wconn *c = xcalloc(1, sizeof *c);
	struct wcmd *cmd;
	struct wreg *reg;

	*err = NULL;
	if (split_url(url, c, err) < 0) {
		conn_free(c);
		return 0;
	}
	for (size_t i = 0; i < nh; i++)
		add_header_pair(c, headers[i]);
	buf_init(&c->msg, w->o.max_message);
	c->id = ++w->next_id;
	c->w = w;
	reg = xcalloc(1, sizeof *reg);
	reg->id = c->id;
	reg->cb = cb;
	reg->ctx = ctx;
	reg->next = w->regs;
	w->regs = reg;
	cmd = xcalloc(1, sizeof *cmd);
	cmd->type = C_OPEN;
	cmd->c = c;
	pthread_mutex_lock(&w->mu);
	*w->cmds_tail = cmd;
	w->cmds_tail = &cmd->next;
	pthread_mutex_unlock(&w->mu);
	lws_cancel_service(w->ctx);
	return c->id;
}

void
ws_close(struct ws *w, uint64_t id)
{
	struct wreg **pp, *reg = find_reg(w, id, &pp);
	struct wcmd *cmd;

	if (!reg)
		return;
	*pp = reg->next;
	free(reg);
	cmd = xcalloc(1, sizeof *cmd);
	cmd->type = C_CLOSE;
	cmd->id = id;
	pthread_mutex_lock(&w->mu);
	*w->cmds_tail = cmd;
	w->cmds_tail = &cmd->next;
	pthread_mutex_unlock(&w->mu);
	lws_cancel_service(w->ctx);
}

size_t
ws_count(const struct ws *w)
{
	size_t n = 0;
	for (const struct wreg *r = w->regs; r; r = r->next)
		n++;
	return n;
}

static int log_routed;

struct ws *
ws_new(struct loop *l, const struct ws_opts *o, char **err)
{
	struct ws *w = xcalloc(1, sizeof *w);
	struct lws_context_creation_info info;
	char *saved = NULL;
	const char *envp;

	*err = NULL;
	if (!log_routed++)
		lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);
	w->loop = l;
	w->o = *o;
	if (!w->o.max_message)
		w->o.max_message = WS_DEFAULT_MAX_MESSAGE;
	if (!w->o.max_queued)
		w->o.max_queued = WS_DEFAULT_MAX_QUEUED;
	if (w->o.connect_timeout_s <= 0)
		w->o.connect_timeout_s = 10;
	if (w->o.idle_timeout_ms <= 0)
		w->o.idle_timeout_ms = 15000;
	w->ca = o->ca_file ? xstrdup(o->ca_file) : NULL;
	w->cert = o->cert_file ? xstrdup(o->cert_file) : NULL;
	w->key = o->key_file ? xstrdup(o->key_file) : NULL;
	if (o->proxy && *o->proxy) {
		if (strncmp(o->proxy, "http://", 7) != 0) {
			*err = xstrdup("the websocket proxy must be an http:// proxy");
			free(w->ca), free(w->cert), free(w->key), free(w);
			return NULL;
		}
		w->proxy = xstrdup(o->proxy);
	}
	pthread_mutex_init(&w->mu, NULL);
	w->cmds_tail = &w->cmds;
	w->out_tail = &w->out;
	w->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->evfd < 0)
		fatal("eventfd: %s", strerror(errno));
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.connect_timeout_secs = (unsigned)w->o.connect_timeout_s;
	info.timeout_secs = (unsigned)w->o.connect_timeout_s;
	info.client_ssl_ca_filepath = w->ca;
	info.client_ssl_cert_filepath = w->cert;
	info.client_ssl_private_key_filepath = w->key;
	info.http_proxy_address = w->proxy;
	info.user = w;
	/* lws reads http_proxy itself when no proxy is given (and ignores
	 * no_proxy): hide it while the context is created; the caller has
	 * already decided with sources/proxy.c */
	if (!w->proxy && (envp = getenv("http_proxy"))) {
		saved = xstrdup(envp);
		unsetenv("http_proxy");
	}
	w->ctx = lws_create_context(&info);
	if (saved) {
		setenv("http_proxy", saved, 1);
		free(saved);
	}
	if (!w->ctx) {
		*err = xstrdup("cannot create the websocket context (TLS files readable? see :log)");
		ws_free(w);
		return NULL;
	}
	if (pthread_create(&w->thr, NULL, thread_main, w) != 0) {
		*err = xstrdup("cannot start the websocket thread");
		lws_context_destroy(w->ctx);
		w->ctx = NULL;
		ws_free(w);
		return NULL;
	}
	w->started = 1;
	loop_watch(l, w->evfd, LOOP_IN, on_evfd, w);
	return w;
}

void
ws_free(struct ws *w)
{
	if (!w)
		return;
	if (w->started) {
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_mutex_unlock(&w->mu);
		lws_cancel_service(w->ctx);
		pthread_join(w->thr, NULL);
		loop_unwatch(w->loop, w->evfd);
	}
	while (w->conns) {
		struct wconn *c = w->conns;
		w->conns = c->next;
		conn_free(c);
	}
	while (w->cmds) {
		struct wcmd *cmd = w->cmds;
		w->cmds = cmd->next;
		if (cmd->c)
			conn_free(cmd->c);
		free(cmd);
	}
	while (w->out) {
		struct wout *o = w->out;
		w->out = o->next;
		out_free(o);
	}
	while (w->regs) {
		struct wreg *r = w->regs;
		w->regs = r->next;
		free(r);
	}
	if (w->evfd >= 0)
		close(w->evfd);
	pthread_mutex_destroy(&w->mu);
	free(w->ca);
	free(w->cert);
	free(w->key);
	free(w->proxy);
	free(w);
}
