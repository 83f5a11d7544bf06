/* status: the state of a query (ok / waiting / error), with its history.
 * Sources emit an ev_status for every attempt's outcome; the store keeps
 * a bounded history per query key so "what did this panel say at T" is a
 * lookup (replay, snapshots at --at). */
#ifndef SCRY_STATUS_H
#define SCRY_STATUS_H
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/ts.h"

enum qstate {
	QS_NONE,	/* never asked */
	QS_WAITING,	/* request in flight, no answer yet */
	QS_OK,
	QS_ERROR,
};

struct ev_status {
	enum qstate	  state;
	int		  http;		/* HTTP status, exit status, 0 */
	char		 *error;	/* raw message; sanitised when drawn */
	char		**warnings;	/* Prometheus warnings/infos, Thanos partial */
	size_t		  nwarn;
	int64_t		  latency_ms;
	uint64_t	  dropped;	/* items dropped by caps in this answer */
	int		  insecure;	/* TLS verification disabled for the source */
};

extern const struct ev_ops status_ev_ops;

struct ev_status *status_new(enum qstate st, const char *error);
/* Replace the error text with msg (taken, freed): stored masked, like
 * every message of a status (a server's error may echo our request). */
void		  status_set_error(struct ev_status *s, char *msg);
void		  status_add_warning(struct ev_status *s, const char *w);
void		  status_free(void *p);
/* Convenience: emit a status event for key. */
void		  status_emit(const struct event_sink *sink, const char *key, tns t,
		    enum qstate st, int http, int64_t latency_ms, const char *error);

/* What a panel needs to know about one key at time `at`. */
struct qview {
	enum qstate		 state;		/* latest state at `at` */
	tns			 since;		/* time of that latest entry */
	tns			 last_ok;	/* TNS_NONE if never ok */
	const struct ev_status	*last;		/* latest entry (error text, warnings) */
	uint64_t		 dropped;	/* total dropped so far */
};

struct status_hist;
struct status_hist *status_hist_new(size_t cap);
void		    status_hist_free(struct status_hist *h);
/* Takes ownership of s. */
void		    status_hist_add(struct status_hist *h, tns t, struct ev_status *s);
void		    status_hist_at(const struct status_hist *h, tns at, struct qview *out);
/* Hash of the entries at or before `at` (store_digest). */
uint64_t	    status_hist_digest(const struct status_hist *h, tns at);

#endif
