/* logline: what scry reads out of one log line — its level, its logfmt
 * or JSON fields, and the trace id in it.  Pure functions on bytes, so
 * they are cheap enough for every line on ingest (level) and testable.
 *
 * Level detection, in order: a level-like stream label (level,
 * detected_level, severity, lvl); a logfmt or JSON key (level=, lvl=,
 * severity=, "level":, "severity":, numeric pino/bunyan levels); a klog
 * prefix (E1126 ...); an upper-case level word (ERROR, WARN, ...) or a
 * bracketed one ([error]) near the start of the line.
 *
 * Trace-id extractors are PCRE2 patterns with one capture group (the id),
 * tried in order; the first that matches wins (Grafana's derived fields).
 * The defaults cover trace_id=, traceID=, traceId":", "trace_id":, W3C
 * traceparent, and bare 32- and 16-hex ids (not span ids). */
#ifndef SCRY_LOGLINE_H
#define SCRY_LOGLINE_H
#include <stddef.h>

#include "core/labels.h"

enum log_level { LV_NONE, LV_TRACE, LV_DEBUG, LV_INFO, LV_WARN, LV_ERROR, LV_FATAL, LV_COUNT };

/* Level of a line (LV_NONE if none is recognisable). */
int		 logline_level(const char *s, size_t len);
/* Level named by a word ("error", "WARN", "E", "40"); LV_NONE if not. */
int		 logline_level_word(const char *w, size_t n);
/* Level from stream labels, LV_NONE if there is no level label. */
int		 logline_stream_level(const struct labelset *ls);
/* Three-letter tag ("ERR") and full name ("error"). */
const char	*logline_level_tag(int lv);
const char	*logline_level_name(int lv);

/* logfmt: the next key=value pair from s at *pos; returns 1, or 0 at the
 * end.  Values may be quoted ("a b"); quoted values keep their escapes. */
struct logfmt_kv {
	const char	*k, *v;
	size_t		 kl, vl;
	int		 quoted;
};
int		 logfmt_next(const char *s, size_t len, size_t *pos, struct logfmt_kv *kv);

/* Trace-id extractors. */
struct rx;
struct extractor {
	char		*name;
	struct rx	*rx;
};
struct extractors {
	struct extractor	*v;
	size_t			 n;
};

/* The default set (appended to x). */
void		 extractors_defaults(struct extractors *x);
/* Append one; -1 with *err if it does not compile or has no group. */
int		 extractors_add(struct extractors *x, const char *name, const char *pattern, char **err);
void		 extractors_free(struct extractors *x);
/* The first trace id in the line: 1 and its byte range, or 0. */
int		 extractors_find(const struct extractors *x, const char *s, size_t len, int valid_utf,
		    size_t *ms, size_t *me);
/* A trace id in stream labels (trace_id, traceID, traceId): the value or NULL. */
const char	*logline_label_trace(const struct labelset *ls);

#endif
