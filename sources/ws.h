/* ws: websocket client connections (the Loki tail) on libwebsockets 4.1.
 *
 * Debian's lws has no external-poll support, so each `struct ws` runs its
 * own lws context on its own thread (lws_service).  The loop thread talks
 * to it only through two queues: commands in (open, close, resume) under a
 * mutex followed by lws_cancel_service(); complete messages and state
 * changes out, under the same mutex, followed by a poke of an eventfd the
 * loop watches.  Callbacks (ws_cb) therefore always run on the loop
 * thread, never on the lws thread.
 *
 * Bounded everywhere: a message is assembled up to max_message bytes (a
 * bigger one closes the connection with 1009 and an error); when the
 * messages waiting for the loop pass max_queued bytes, reading from the
 * socket pauses (rx flow control) until the loop catches up — the server
 * then sees a slow client, which Loki reports as dropped_entries.
 * A connection with neither a frame nor a pong for idle_timeout is dead:
 * it is closed and reported as 1006.  We ping every ping_interval.
 * lws' own logging goes to scry's log, never to stderr; the proxy comes
 * from the caller (sources/proxy.c), never from lws' own http_proxy read. */
#ifndef SCRY_WS_H
#define SCRY_WS_H
#include <stddef.h>
#include <stdint.h>

#include "core/loop.h"

#define WS_DEFAULT_MAX_MESSAGE	(16u << 20)
#define WS_DEFAULT_MAX_QUEUED	(64u << 20)

struct ws_opts {
	const char	*ca_file, *cert_file, *key_file;
	int		 insecure;	/* accept self-signed / wrong-name certificates */
	const char	*proxy;		/* "http://[user:pass@]host:port", NULL or "" = direct */
	size_t		 max_message;	/* 0 = WS_DEFAULT_MAX_MESSAGE */
	size_t		 max_queued;	/* 0 = WS_DEFAULT_MAX_QUEUED */
	int		 connect_timeout_s;	/* 0 = 10 */
	int		 idle_timeout_ms;	/* 0 = 15000 */
};

enum ws_evtype {
	WS_OPEN,	/* upgrade accepted (101) */
	WS_MESSAGE,	/* one complete text or binary message */
	WS_CLOSED,	/* the connection is over; no more events for this id */
};

struct ws_event {
	enum ws_evtype	 type;
	const char	*data;		/* WS_MESSAGE */
	size_t		 len;
	int		 binary;
	int		 code;		/* WS_CLOSED: close code; 1006 if none; 0 = never connected */
	int		 http_status;	/* WS_CLOSED before the upgrade: the status (0 unknown) */
	const char	*reason;	/* WS_CLOSED: close reason or error text ("" if none) */
};

typedef void (*ws_cb)(void *ctx, const struct ws_event *ev);

struct ws;

/* Create the context and start its thread.  NULL with *err on failure. */
struct ws	*ws_new(struct loop *l, const struct ws_opts *o, char **err);
/* Close every connection, stop the thread, free.  No callbacks after. */
void		 ws_free(struct ws *w);
/* Open ws:// or wss:// url with extra "Name: value" headers on the
 * upgrade request.  Returns an id (never 0), or 0 with *err. */
uint64_t	 ws_open(struct ws *w, const char *url, const char *const *headers, size_t nh,
		    ws_cb cb, void *ctx, char **err);
/* Close (1000) and forget: no callback for this id runs after this. */
void		 ws_close(struct ws *w, uint64_t id);
/* Connections open or opening. */
size_t		 ws_count(const struct ws *w);

#endif
