/* http: the one HTTP client layer, on the libcurl multi interface driven
 * by scry's loop (socket and timer callbacks; it never blocks).
 *
 * Every request has a connect timeout, a total timeout and a cap on
 * decoded response bytes enforced in the write callback (libcurl 7.88
 * ignores MAXFILESIZE for chunked or compressed replies).  Protocols are
 * limited to http/https, redirects are not followed (credentials never
 * travel to another origin), TLS verification is on unless a source sets
 * "insecure" (then its panels show a badge).  Proxies come from the one
 * resolver in proxy.c, so curl and the websocket layer agree.
 * Error texts pass secret masking before anyone sees them. */
#ifndef SCRY_HTTP_H
#define SCRY_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "core/dashboard.h"
#include "core/loop.h"
#include "core/ts.h"

#define HTTP_DEFAULT_MAX_BYTES	(32u << 20)

struct http;
struct http_call;

/* Connection settings of one source (from its dashboard object). */
struct http_opts {
	char		*base;		/* scheme://host[:port][/prefix], no trailing slash */
	char		*user;		/* basic auth user */
	char		*password;	/* basic auth password (from a file) */
	char		*bearer;	/* bearer token (from a file) */
	char		**headers;	/* "Name: value" extra headers */
	size_t		 nheaders;
	char		*ca_file, *cert_file, *key_file;
	int		 insecure;	/* TLS verification off */
	char		*proxy;		/* explicit proxy, "" = none, NULL = environment */
	size_t		 max_bytes;	/* decoded response cap */
	tns		 connect_timeout;
	tns		 timeout;	/* default total timeout */
};

struct http_resp {
	long		 status;	/* HTTP status, 0 when no response */
	const char	*content_type;	/* may be NULL */
	const char	*body;		/* NUL-terminated, len bytes */
	size_t		 len;
	int		 curl_code;	/* CURLE_* */
	const char	*error;		/* transport error (masked), NULL if none */
	int		 too_large;	/* aborted at max_bytes */
	int64_t		 latency_ms;
	int64_t		 retry_after_ms;	/* from Retry-After, 0 if none */
};

typedef void (*http_cb)(void *ctx, const struct http_resp *r);

struct http_req {
	const char	*method;	/* "GET" (default) or "POST" */
	const char	*path;		/* appended to base; may carry "?query" */
	const char	*form;		/* POST body, application/x-www-form-urlencoded */
	const char	*accept;	/* Accept header, NULL = application/json */
	const char	**headers;	/* extra "Name: value" for this request */
	size_t		 nheaders;
	tns		 timeout;	/* 0 = opts->timeout */
	http_cb		 cb;
	void		*ctx;
};

struct http	*http_new(struct loop *l);
void		 http_free(struct http *h);
/* Start a request; cb runs later from the loop, exactly once, unless the
 * call is cancelled first.  Returns NULL (and *err) if it cannot start. */
struct http_call *http_start(struct http *h, const struct http_opts *o, const struct http_req *r,
		    char **err);
void		 http_cancel(struct http *h, struct http_call *c);
size_t		 http_in_flight(const struct http *h);

/* Fill opts from a source's dashboard object:
 *   url, path_prefix, basic_auth {user, password_file}, token_file,
 *   headers {name: value}, tenant (X-Scope-OrgID), tls {ca_file,
 *   cert_file, key_file, insecure}, proxy, max_bytes, timeout,
 *   connect_timeout.  token_env names an environment variable holding a
 *   token *file* path (e.g. SCRY_PROMETHEUS_TOKEN_FILE).
 * Returns 0, or -1 with *err (a missing secret file, a bad URL). */
int	http_opts_from_source(const struct dash_source *s, const char *token_env,
	    struct http_opts *o, char **err);
void	http_opts_free(struct http_opts *o);
/* base64 of "user:password" (the Basic credential), allocated and
 * registered as a secret: a server may echo the header back. */
char	*http_basic_credential(const struct http_opts *o);
/* Keys http_opts_from_source understands (for --check). */
extern const char *const http_cfg_keys[];
/* Validate those keys without reading secret files (--check). */
void	http_opts_check(const struct dash_source *s, const struct jdoc *doc, struct diag *dg);

/* URL encoding helpers (allocated results). */
char	*http_escape(const char *s);
/* Append "k=escaped(v)" to a form/query string being built in *qs. */
void	http_param(char **qs, const char *k, const char *v);
/* One-line human summary of a failed response: HTTP status plus the
 * error from a JSON envelope, or the first line of a text/HTML body.
 * Allocated; sanitised later when drawn. */
char	*http_error_text(const struct http_resp *r);

#endif
