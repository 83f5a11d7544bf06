/* replay: plays a recording back as a source (man/scry-recording.5).
 *
 * The player owns the virtual clock.  Playing forward it emits every
 * recorded event whose record time has come through the app's event sink,
 * exactly as the live sources did; seeking backwards swaps in an empty
 * store and re-emits the recording up to the new time, so the store is
 * always the store as it was at the virtual now.  Log batches are the
 * exception that makes seeking cheap: they are all emitted when the
 * player attaches, into a journalled log store shown as of the virtual
 * now (core/logstore.h), which rebuilds keep.  For every source of the
 * dashboard the app creates a "replay" source instead of a live one: it
 * answers a query that was recorded by doing nothing (its data arrives
 * with playback) and any other query with "not in recording"; nothing is
 * ever fetched live.
 *
 * Annotations added during replay are kept in memory (re-applied after a
 * rebuild) until replay_save() appends them to the recording. */
#ifndef SCRY_REPLAY_H
#define SCRY_REPLAY_H
#include <stddef.h>
#include <stdint.h>

#include "core/annotation.h"
#include "core/event.h"
#include "core/loop.h"
#include "core/recread.h"
#include "core/store.h"
#include "sources/source.h"

#define REPLAY_TIME	0x1	/* the virtual now moved */
#define REPLAY_REBUILT	0x2	/* the store was replaced: refetch, relayout */
#define REPLAY_STATE	0x4	/* play/pause/speed/marks changed */

struct replay_host {
	struct loop		*loop;
	struct store		**store;	/* the app's store (rebuilds replace it) */
	tns			*now;		/* the app's virtual now */
	struct event_sink	 sink;		/* playback emits here */
	void			(*changed)(void *ctx, int what);
	void			*ctx;
};

enum replay_mark_kind { RM_NOTE, RM_PENDING, RM_FIRING, RM_RESOLVED };

struct replay_mark {
	tns			 t;
	enum replay_mark_kind	 kind;
	char			*label;		/* raw text (sanitise when drawn) */
};

struct replay;

struct replay	*replay_open(const char *path, char **err);
void		 replay_free(struct replay *rp);
/* Start: apply the recording up to `at` (TNS_NONE: its start). */
void		 replay_attach(struct replay *rp, const struct replay_host *h, tns at);
const struct recread *replay_reader(const struct replay *rp);

tns	replay_time(const struct replay *rp);
tns	replay_start(const struct replay *rp);
tns	replay_end(const struct replay *rp);
int	replay_playing(const struct replay *rp);
int	replay_speed(const struct replay *rp);
void	replay_play(struct replay *rp, int on);
/* Speeds 1 2 4 8 16 60; dir -1 slower, +1 faster. */
void	replay_speed_step(struct replay *rp, int dir);
void	replay_set_speed(struct replay *rp, int speed);
/* Move the virtual now to t (clamped to the recording). */
void	replay_seek(struct replay *rp, tns t);
/* Time of the next (dir > 0) or previous mark from the virtual now;
 * returns 0 and sets *t, or -1 if there is none. */
int	replay_mark_near(const struct replay *rp, int dir, tns *t);
const struct replay_mark *replay_marks(const struct replay *rp, size_t *n);

/* An annotation made during replay (takes a). It is emitted into the
 * store now and kept until saved. */
void	replay_add_note(struct replay *rp, struct ev_annotation *a);
size_t	replay_unsaved(const struct replay *rp);
/* Every annotation of the recording (recorded, appended, unsaved), sorted
 * by the moment it is about; returns how many (at most max). */
size_t	replay_annotations(const struct replay *rp, const struct ev_annotation **out, size_t max);
/* Append the unsaved annotations to the recording (path NULL) or write a
 * copy with them to path (never overwriting).  0 or -1 with *err. */
int	replay_save(struct replay *rp, const char *path, char **err);

/* Problems met while playing (unreadable chunks, unknown kinds, digest
 * mismatches), for the timeline; NULL if none. */
const char *replay_problem(const struct replay *rp);
/* Backward seeks: show the new time at once from the current store (read
 * as of that time) and rebuild the exact store on a worker thread, then
 * swap it in (the terminal).  Off: rebuild before returning (snapshots,
 * exports, tests).  store_apply() and event_decode() run on the worker on
 * a private store, so they must not touch shared mutable state. */
void	replay_set_async(struct replay *rp, int on);
/* Finish a background rebuild now (wait for it and swap it in). */
void	replay_settle(struct replay *rp);
/* Is a background rebuild running (the screen is approximate)? */
int	replay_rebuilding(const struct replay *rp);
/* Verify recorded store digests while playing (costs a store hash each). */
void	replay_set_verify(struct replay *rp, int on);
uint64_t replay_digest_mismatches(const struct replay *rp);

extern const struct source_class replay_source_class;

#endif
