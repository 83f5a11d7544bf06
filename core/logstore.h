/* logstore: the log part of the store — every log line scry holds, per
 * query key, in one byte-bounded ring shared by all keys.
 *
 * Layout (reference/performance.md §2.7): line bytes live in arena chunks
 * in arrival order, each line with a 20-byte record (time, offset,
 * length, stream, level, flags); a time-ordered index of 4-byte entries
 * gives the merged timeline.  No malloc per line.  Every line gets a
 * sequence number (seq) in arrival order that never changes and is never
 * reused, so readers can keep per-line state (filter masks) in arrays
 * indexed by seq and update it for new lines only.
 *
 * On ingest each line is validated as UTF-8 once (flag LR_BADUTF), cut at
 * LOGS_LINE_MAX (LR_CUT), and its level detected (logline.h).  Entries
 * equal in (stream, ns time, text) to one already held are dropped, so
 * overlapping history pages, tail reconnects and gap fills never show a
 * line twice.  When the total passes the byte limit the oldest lines (by
 * time) go first; their number is counted per key and shown.  Gaps the
 * backend reports are kept as marker records (LR_GAP).
 *
 * Replays hold a whole recording's lines at once and show them as they
 * were at the virtual now: with a journal (logstore_journal) every apply
 * is stamped (its record time) and remembered, and logstore_show() makes
 * every key read as it did after the applies stamped at or before a time
 * — the lines that had arrived, in the order they had, the streams, gap
 * values and history window of then.  Moving the time costs one pass
 * over a key's time index, not a rebuild.  Views need every line kept:
 * once anything is evicted, logstore_show() refuses. */
#ifndef SCRY_LOGSTORE_H
#define SCRY_LOGSTORE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/labels.h"
#include "core/logs.h"
#include "core/ts.h"

#define LOGSTORE_DEFAULT_BYTES	(256u << 20)

/* record flags */
#define LR_GAP		0x01	/* a gap marker; stream indexes the gap table */
#define LR_BADUTF	0x02	/* the line is not valid UTF-8 */
#define LR_CUT		0x04	/* the line was cut at LOGS_LINE_MAX */
#define LR_DEAD		0x08	/* evicted */

struct __attribute__((packed)) lrec {
	tns		t;
	uint32_t	off;		/* text offset inside its chunk */
	uint32_t	lf;		/* length:20 | level:4 | flags:8 */
	uint32_t	stream;		/* stream id, or gap id for LR_GAP */
};

#define LREC_LEN(r)	((r)->lf & 0xFFFFFu)
#define LREC_LEVEL(r)	(((r)->lf >> 20) & 0xFu)
#define LREC_FLAGS(r)	((r)->lf >> 24)

struct log_gap {
	tns		t, until;
	uint64_t	count;
	uint32_t	kind;		/* enum gap_kind */
};

struct logbuf;
struct logstore;

struct logstore	*logstore_new(size_t max_bytes);
void		 logstore_free(struct logstore *ls);
/* Apply a batch (sorts it first).  Returns the number of new lines. */
size_t		 logstore_apply(struct logstore *ls, const char *key, struct ev_logs *e);
struct logbuf	*logstore_get(const struct logstore *ls, const char *key);
size_t		 logstore_bytes(const struct logstore *ls);	/* everything accounted */
size_t		 logstore_max(const struct logstore *ls);
uint64_t	 logstore_evicted(const struct logstore *ls);
/* Replays.  Keep a journal of the applies to come (only on an empty
 * store; -1 otherwise); stamp the applies that follow; then show every
 * key as of `at` (keys that had no apply by then read as absent).  Once
 * shown, readers (logstore_get) see the views; later applies still go to
 * the whole store and their keys' views follow the shown time.
 * logstore_show() returns -1 (and changes nothing) without a journal or
 * once lines were evicted. */
int		 logstore_journal(struct logstore *ls);
void		 logstore_stamp(struct logstore *ls, tns stamp);
int		 logstore_show(struct logstore *ls, tns at);
/* Every held line of every key, in time order, sanitised, one per line:
 * "KEY<TAB>NS<TAB>{labels}<TAB>line" (debug dumps, tests). */
void		 logstore_dump(const struct logstore *ls, FILE *f);

/* --- reading one key --- */
size_t		 logbuf_len(const struct logbuf *b);		/* lines + gap markers held */
uint64_t	 logbuf_seq(const struct logbuf *b, size_t pos);	/* by time-order position */
/* Record and text of a seq; NULL when evicted or never assigned. */
const struct lrec *logbuf_get(const struct logbuf *b, uint64_t seq, const char **text);
/* First position whose time is >= t (logbuf_len if none). */
size_t		 logbuf_lower_bound(const struct logbuf *b, tns t);
/* Position of the line (t, seq), or where it would be (evicted). */
size_t		 logbuf_find(const struct logbuf *b, tns t, uint64_t seq);
tns		 logbuf_time(const struct logbuf *b, size_t pos);
const struct labelset *logbuf_stream(const struct logbuf *b, uint32_t id);
const struct log_gap *logbuf_gap(const struct logbuf *b, uint32_t id);
uint64_t	 logbuf_next_seq(const struct logbuf *b);	/* seqs below were assigned */
uint64_t	 logbuf_min_seq(const struct logbuf *b);	/* seqs below are all evicted */
uint64_t	 logbuf_gen(const struct logbuf *b);		/* bumped on every change */
uint64_t	 logbuf_evicted(const struct logbuf *b);	/* lines evicted so far */
tns		 logbuf_evicted_until(const struct logbuf *b);	/* newest evicted time */
/* Oldest time every history page covers (TNS_NONE: none loaded yet). */
tns		 logbuf_loaded_from(const struct logbuf *b);
/* Sum of the raw line bytes held (memory reports). */
size_t		 logbuf_raw_bytes(const struct logbuf *b);

/* Walk records in seq (arrival) order from *seq upward, skipping evicted
 * ones: returns the record and sets *seq and *text, or NULL at the end.
 * Start with *seq = the first seq wanted; advance with (*seq)++. */
const struct lrec *logbuf_walk(const struct logbuf *b, uint64_t *seq, const char **text);

#endif
