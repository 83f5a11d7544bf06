/* recorder: writes the event stream the store receives to a recording
 * (man/scry-recording.5) without ever blocking the caller.
 *
 * The caller (the UI thread) encodes each event into the open chunk; a
 * full or old chunk is handed to a writer thread through a bounded queue,
 * which compresses it (zstd) and appends it as one frame.  When the queue
 * is full the chunk is dropped and counted (rec_stats), and the next chunk
 * says how many events are missing before it.  A crash leaves every frame
 * written so far readable; a clean rec_close() adds an index and trailer.
 *
 * Only event_encode() bytes are written: no request headers, no raw
 * backend bytes.  The dashboard goes in masked (rec_dashboard_text). */
#ifndef SCRY_RECORDER_H
#define SCRY_RECORDER_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/recformat.h"

struct dashboard;

struct rec_source_info {
	const char	*name, *type;
	const char	*error;		/* why it was unavailable, or NULL */
	int		 insecure;
};

struct rec_header {
	const char			*dash_name;
	const char			*dash_text;	/* masked JSON (rec_dashboard_text) */
	const struct rec_source_info	*src;
	size_t				 nsrc;
	tns				 created;
	tns				 range;
};

struct rec_opts {
	size_t	chunk_bytes;	/* flush the open chunk at this raw size (2 MiB) */
	tns	chunk_age;	/* ... or when its first record is this old (10 s) */
	size_t	queue_bytes;	/* raw bytes waiting for the writer (64 MiB) */
	int	level;		/* zstd level (12) */
};

struct rec_stats {
	uint64_t	events;		/* recorded */
	uint64_t	dropped;	/* lost: queue full, write error, too large */
	uint64_t	bytes;		/* written to the file so far */
	uint64_t	chunks;
	uint64_t	scrubbed;	/* events in which a registered secret was masked */
	int		failed;		/* a write failed; recording stopped */
	char		error[256];
};

struct recorder;

/* Create the file (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600) and write the
 * preamble and header; start the writer.  NULL with *err. */
struct recorder	*rec_create(const char *path, const struct rec_header *h,
		    const struct rec_opts *o, char **err);
/* Record one event at record time rtime (the time it reached the store;
 * never decreasing: earlier times are raised to the last one). */
void		 rec_event(struct recorder *r, tns rtime, const struct event *ev);
/* Record an event already in event_encode() form (copying between
 * recordings, kinds this build has no codec for). */
void		 rec_event_encoded(struct recorder *r, tns rtime, unsigned kind, const void *p,
		    size_t n);
/* Record a store digest (store_digest) taken at rtime. */
void		 rec_digest(struct recorder *r, tns rtime, uint64_t digest);
/* Is the open chunk due to be flushed at `now` (age)? */
int		 rec_due(const struct recorder *r, tns now);
/* Hand the open chunk to the writer now. */
void		 rec_flush(struct recorder *r);
void		 rec_stats(struct recorder *r, struct rec_stats *s);
/* Finish: END record at `end`, flush, wait for the writer, write index
 * and trailer, fsync, close.  Frees r.  0 or -1 with *err. */
int		 rec_close(struct recorder *r, tns end, char **err);

/* The dashboard as recorded: its JSON with every value under a
 * secret-looking key masked, every string passed through secret_mask(),
 * the effective sources (command-line URLs, masked) and the current
 * variable values filled in.  Allocated. */
char		*rec_dashboard_text(const struct dashboard *db);

/* Index frame payload (shared with the reader, which rewrites it on :w). */
struct rec_index_frame {
	uint64_t	off;
	uint8_t		type;
	tns		t_first, t_last;
	uint32_t	nrecords;
	uint32_t	kinds;		/* bit k: an event of kind k is inside */
};
void	rec_put_index(struct buf *b, const struct rec_index_frame *f, size_t n,
	    char *const *keys, size_t nkeys, const void *marks, size_t marks_len,
	    tns t_end, uint64_t dropped);
/* Write one frame (header + payload, compressed when level > 0) to fd at
 * its current end; returns the offset it was written at or -1 (errno). */
int64_t	rec_write_frame(int fd, int64_t off, struct rec_frame *f, const void *raw,
	    size_t n, int level);

#endif
