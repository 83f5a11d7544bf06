/* source: the interface every backend implements, and its environment.
 *
 * A source class is a const struct of function pointers (one per backend
 * file: prometheus.c, loki.c, kubectl.c, ...) listed in the registry
 * (sources/registry.c).  A source never draws, never touches the store and
 * never blocks: fetch() starts work on the loop and returns; results come
 * back as events through env->sink, and every fetch ends with exactly one
 * call of req->done (ok or not), which frees the scheduler slot. */
#ifndef SCRY_SOURCE_H
#define SCRY_SOURCE_H
#include <stddef.h>
#include <stdint.h>

#include "core/dashboard.h"
#include "core/diag.h"
#include "core/event.h"
#include "core/loop.h"
#include "core/ts.h"

struct http;	/* sources/http.h: shared libcurl multi layer */
struct replay;	/* sources/replay.h: the player, in replay mode */

/* What sources may use: the loop, the event sink, shared transports. */
struct source_env {
	struct loop		*loop;
	struct event_sink	 sink;
	struct http		*http;		/* NULL until created by the app */
	tns			(*now)(void);	/* wall or virtual now */
	struct replay		*replay;	/* replaying a recording, else NULL */
};

struct fetch;
typedef void (*fetch_done_fn)(void *ctx, const struct fetch *f, int ok, int64_t retry_after_ms);

/* One request for one fetch unit. */
struct fetch {
	const char	*key;		/* query key the result answers */
	const char	*kind;		/* "range", "instant", "alerts", "exemplars", "logs", ... */
	const char	*expr;		/* query with every variable expanded */
	tns		 start, end, step;
	int		 limit;
	int		 backward;	/* log direction */
	tns		 before;	/* logs: also load lines older than this (0: no) */
	tns		 timeout;	/* total deadline for the request */
	const cJSON	*qcfg;		/* per-query options from the dashboard, or NULL */
	fetch_done_fn	 done;
	void		*done_ctx;
};

struct source;

struct source_class {
	const char		 *name;		/* "prometheus", the dashboard "type" */
	const char		 *help;		/* one line for --help and man */
	const char		 *url_env;	/* SCRY_PROMETHEUS_URL, or NULL */
	const char *const	 *cfg_keys;	/* keys accepted in its dashboard object */
	const char *const	 *kinds;	/* fetch kinds it serves */
	/* Validate the dashboard object without connecting (--check). */
	int	(*check)(const struct dash_source *cfg, const struct jdoc *doc, struct diag *dg);
	/* Create an instance; NULL with *err on a configuration problem. */
	struct source *(*create)(const struct dash_source *cfg, struct source_env *env, char **err);
	void	(*destroy)(struct source *src);
	/* Start a fetch; returns 0, or -1 with *err (done is then not called). */
	int	(*fetch)(struct source *src, const struct fetch *f, char **err);
	/* Cancel work for a key (unit dropped); optional. */
	void	(*cancel)(struct source *src, const char *key);
	/* Default scrape interval for $__rate_interval (0 = 15s); optional. */
	tns	(*scrape_interval)(struct source *src);
};

/* Common header of every source instance (classes embed or allocate). */
struct source {
	const struct source_class	*cls;
	char				*name;
	struct source_env		*env;
	int				 insecure;	/* TLS verification off: badge */
	void				*priv;
};

/* registry.c */
extern const struct source_class *const source_classes[];
const struct source_class *source_class_find(const char *type);
/* Validate every source of a dashboard (types known, options valid). */
void	sources_check(const struct dashboard *db, struct diag *dg);
/* Does the source serve this fetch kind? */
int	source_serves(const struct source_class *cls, const char *kind);

#endif
