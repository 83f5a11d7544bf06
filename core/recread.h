/* recread: reading a recording (untrusted input; man/scry-recording.5).
 *
 * recread_open_mem() validates a whole recording held in memory: preamble
 * and version, the header frame, every frame header and payload checksum
 * and every size against the caps in recformat.h.  It uses the trailing
 * index when it is intact and otherwise rebuilds the same tables by
 * scanning the frames, so a recording cut short by a crash replays up to
 * its last complete chunk.  Problems that leave the rest usable (a
 * truncated tail, a corrupt chunk) become warnings naming the byte
 * offset; problems that leave nothing (bad magic, unsupported version,
 * unreadable header) are errors.  Nothing here does I/O except
 * recread_open(), which reads the file and calls recread_open_mem(): the
 * module is pure and bounded, so a fuzz target can drive it.
 *
 * A cursor then walks the records in file order, decompressing one chunk
 * at a time. */
#ifndef SCRY_RECREAD_H
#define SCRY_RECREAD_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/event.h"
#include "core/hmap.h"
#include "core/recformat.h"

#define RECREAD_WARN_MAX	16
#define RECREAD_MARKS_MAX	(16u << 20)	/* bytes of alert/annotation events */

struct recread_frame {
	uint64_t		off;	/* of the frame header */
	struct rec_frame	h;
	uint32_t		kinds;	/* from the index, or 0 when scanned */
};

struct rec_src {
	char	*name, *type;
	char	*state;		/* "ok", "insecure", "unavailable" */
	char	*message;	/* why unavailable, or "" */
};

/* An event of the timeline (alerts snapshot change or annotation). */
struct rec_mark {
	tns		 rtime;
	struct event	*ev;
};

struct recread {
	uint8_t			*data;		/* the whole file (owned) */
	size_t			 len;
	size_t			 valid_end;	/* end of the last good frame */
	uint32_t		 version;
	char			*path;		/* NULL for memory input */
	dev_t			 dev;
	ino_t			 ino;
	/* header */
	char			*scry_version, *dash_name, *dash_text;
	tns			 created, range;
	int			 digest_version;	/* of the recorded digests, 0 unknown */
	struct rec_src		*src;
	size_t			 nsrc;
	/* frames */
	struct recread_frame	*chunks;	/* RF_CHUNK, file order */
	size_t			 nchunks;
	struct recread_frame	*notes;		/* RF_NOTES, file order */
	size_t			 nnotes;
	tns			 t_start, t_end;
	uint64_t		 dropped;	/* events the recorder lost */
	uint64_t		 nrecords;
	int			 indexed;	/* opened through an intact index */
	/* key dictionary */
	struct hmap		 keys;
	size_t			 nkeys;
	/* alert snapshot changes and annotations over the whole recording
	 * (sorted by rtime), and annotations from NOTES frames */
	struct rec_mark		*marks;
	size_t			 nmarks;
	struct rec_mark		*added;
	size_t			 nadded;
	/* problems that did not stop reading */
	char			*warn[RECREAD_WARN_MAX];
	size_t			 nwarn;
	uint64_t		 nwarn_total;
};

struct recread	*recread_open_mem(const void *p, size_t len, char **err);
struct recread	*recread_open(const char *path, char **err);
void		 recread_free(struct recread *r);
int		 recread_has_key(const struct recread *r, const char *key);

struct rec_cursor {
	const struct recread	*r;
	size_t			 next;		/* next chunk to load */
	uint8_t			*raw;
	size_t			 cap;
	struct rd		 rd;
	tns			 prev;
	int			 have;		/* rd holds a chunk's records */
	struct rec_record	 pend;
	int			 has_pend;
	uint32_t		 gap;		/* events dropped before the chunk just loaded */
	uint64_t		 bad;		/* chunks that could not be read */
	char			*err;		/* last such problem (allocated) */
};

void	reccur_init(struct rec_cursor *c, const struct recread *r);
void	reccur_free(struct rec_cursor *c);
/* Back to the first record. */
void	reccur_rewind(struct rec_cursor *c);
/* The next record if its time is <= until: returns 1 (out points into
 * the cursor's buffer until the next call), else 0.  An unreadable chunk
 * is skipped (c->bad, c->err). */
int	reccur_next(struct rec_cursor *c, tns until, struct rec_record *out);
/* Time of the next record, or TNS_NONE at the end (may load a chunk). */
tns	reccur_peek_time(struct rec_cursor *c);

/* Decode every record of every chunk and NOTES frame, as a replay would;
 * with a store: apply the events and compare every recorded digest.
 * Fills the counts; returns 0 when everything decoded and matched. */
struct store;
struct rec_verify {
	uint64_t	events, unknown, bad_events, digests, digest_mismatch;
	uint64_t	digests_skipped;	/* from another store_digest version */
	uint64_t	bad_chunks;
	char		first_problem[256];
};
int	recread_verify(const struct recread *r, struct store *st, struct rec_verify *v);

#endif
