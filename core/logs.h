/* logs: the EV_LOGS event — one batch of log entries for one query key
 * (a query_range page, a tail frame, a gap fill), with its codec.
 *
 * Entries refer to streams by index and to their text by offset into one
 * text buffer, so a batch is three flat arrays (cheap to build from a
 * parser, cheap to apply, cheap to record).  Gaps are places where the
 * backend says lines are missing (Loki's dropped_entries for a slow
 * client) or where scry could not load them; they are drawn as visible
 * markers with the count, never silently.
 * The history window fields tell the store what a history page covered,
 * so the pane can say "start of the window" or offer older lines. */
#ifndef SCRY_LOGS_H
#define SCRY_LOGS_H
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/labels.h"
#include "core/ts.h"

#define LOGS_LINE_MAX		(64 * 1024)	/* stored line cap; longer lines are cut */
#define LOGS_BATCH_MAX		1000000		/* entries per decoded batch */
#define LOGS_STREAMS_MAX	100000		/* streams per decoded batch */

enum logs_origin {
	LO_TAIL = 1,		/* live tail frame */
	LO_HISTORY = 2,		/* query_range page (backward) */
	LO_FILL = 3,		/* gap fill after a (re)connect (forward) */
};

#define LE_CUT	0x1	/* the line was longer than LOGS_LINE_MAX and was cut */

struct ev_logs_entry {
	tns		t;
	uint32_t	stream;		/* index into streams */
	uint32_t	off, len;	/* into text */
	uint32_t	flags;		/* LE_* */
};

enum gap_kind {
	GAP_DROPPED = 1,	/* server dropped entries (slow client) */
	GAP_UNLOADED = 2,	/* scry did not load a range (too large a gap) */
};

struct ev_logs_gap {
	tns		t;		/* where it sits on the timeline */
	tns		until;		/* end of the missing range (>= t) */
	uint64_t	count;		/* lines missing (0: unknown) */
	uint32_t	kind;		/* enum gap_kind */
};

struct ev_logs {
	uint32_t		 origin;	/* enum logs_origin */
	tns			 start, end;	/* history/fill: the requested window [start, end) */
	int			 complete;	/* history: every line of the window is here */
	struct labelset		*streams;
	uint32_t		 nstreams, capstreams;
	struct ev_logs_entry	*e;
	size_t			 n, cap;
	char			*text;
	size_t			 tlen, tcap;
	struct ev_logs_gap	*gaps;
	size_t			 ngaps, capgaps;
};

extern const struct ev_ops logs_ev_ops;

struct ev_logs	*ev_logs_new(enum logs_origin origin);
void		 ev_logs_free(void *p);
/* Add a stream (takes the label set's contents); returns its index. */
uint32_t	 ev_logs_stream(struct ev_logs *e, struct labelset *ls);
/* Append an entry with its text (copied). */
void		 ev_logs_add(struct ev_logs *e, tns t, uint32_t stream, const char *s, size_t len);
/* Reserve len bytes of text for an entry being decoded in place. */
char		*ev_logs_text_reserve(struct ev_logs *e, size_t len);
void		 ev_logs_gap(struct ev_logs *e, tns t, tns until, uint64_t count, enum gap_kind kind);
/* Order entries by (t, stream): a k-way merge of the per-stream runs the
 * backends send (each stream already sorted, either direction); exact
 * duplicates (same t, stream and text) are dropped.  Returns how many. */
size_t		 ev_logs_sort(struct ev_logs *e);
/* Newest / oldest entry time (TNS_NONE if empty). */
tns		 ev_logs_newest(const struct ev_logs *e);
tns		 ev_logs_oldest(const struct ev_logs *e);

#endif
