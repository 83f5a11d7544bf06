/* replay: the player (virtual clock, playback, seeking with background
 * rebuilds, marks, annotations) and the "replay" source class that stands
 * in for every live source during a replay.  Saving notes into the file is
 * core/recappend.c.
 * Invariants: every record with a time <= rp->t has been emitted into the
 * current store exactly once, in file order, and none after it; the
 * annotations in `added` and `unsaved` are in the store too.  While a
 * background rebuild runs the current store may be ahead of rp->t (it is
 * read as of rp->t); the rebuilt one is exact when it is swapped in.
 *
 * Fast mode (the usual one): attaching emits every log batch of the
 * recording at once into the store's journalled log store, stamped with
 * its record time, and keeps every other record uncompressed in `nl`.
 * The log store is then shown as of rp->t (logstore_show), so for log
 * batches "emitted" means "stamped <= rp->t"; the log store moves from
 * store to store on rebuilds, which replay only `nl`.  Seeking never
 * decompresses or decodes a log batch again.  When the recording's lines
 * do not fit the log budget (a view needs them all) or `nl` would pass
 * NL_MAX, the player falls back to playing the file as it is. */
#include "sources/replay.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alertlog.h"
#include "core/log.h"
#include "core/recappend.h"
#include "core/status.h"
#include "core/xalloc.h"

#define TICK_MS		100
#define NOTES_MAX	10000
#define NL_MAX		(256u << 20)	/* fast mode: bytes of records other than logs */

static const int speeds[] = { 1, 2, 4, 8, 16, 60 };
#define NSPEEDS	(sizeof speeds / sizeof *speeds)

/* A position in the cached records (fast mode). */
struct mcur {
	size_t	off;
	tns	prev;
};

/* A rebuild running on a worker thread: a fresh store filled from the
 * start of the recording up to `target`; the player swaps it in when the
 * worker is done (its pipe becomes readable). */
struct rebuild {
	pthread_t		 th;
	int			 running;
	tns			 target;
	struct store		*st;
	struct rec_cursor	 cur;
	const struct buf	*nl;		/* fast mode: read this instead */
	struct mcur		 mc;
	struct ev_annotation	**notes;	/* copies of the sticky notes */
	size_t			 nnotes;
	size_t			 unsaved_at_start;
	atomic_int		 cancel;
	uint64_t		 bad, unknown;
	int			 pipe[2];
};

struct replay {
	struct recread		*r;
	struct rec_cursor	 cur;
	struct replay_host	 h;
	int			 attached;
	tns			 t;
	int			 playing;
	int			 speed;
	uint64_t		 timer;
	int64_t			 last_ms;
	struct replay_mark	*marks;
	size_t			 nmarks;
	struct ev_annotation	**unsaved;
	size_t			 nunsaved;
	int			 verify;
	uint64_t		 mismatches;
	uint64_t		 unknown;
	uint64_t		 bad_events;
	uint64_t		 shown_bad;
	char			 problem[256];
	int			 async;		/* backward seeks rebuild in the background */
	struct rebuild		 rb;
	int			 fast;		/* logs journalled, other records in nl */
	struct buf		 nl;
	struct mcur		 mc;		/* next record of nl */
};

/* ---------------------------------------------------------------- marks */

static void
push_mark(struct replay *rp, tns t, enum replay_mark_kind k, char *label)
{
	size_t i;

	rp->marks = xreallocarray(rp->marks, rp->nmarks + 1, sizeof *rp->marks);
	for (i = rp->nmarks; i > 0 && rp->marks[i - 1].t > t; i--)
		rp->marks[i] = rp->marks[i - 1];
	rp->marks[i] = (struct replay_mark){ t, k, label };
	rp->nmarks++;
}

static void
on_change(void *ctx, tns t, enum alert_change_kind k, const char *label)
{
	push_mark(ctx, t, k == AC_FIRING ? RM_FIRING : k == AC_PENDING ? RM_PENDING : RM_RESOLVED,
	    xstrdup(label));
}

/* Alert transitions of one key's snapshots (in rtime order). */
static void
alert_marks(struct replay *rp, const char *key)
{
	const struct recread *r = rp->r;
	struct alertlog log;

	alertlog_init(&log);
	for (size_t m = 0; m < r->nmarks; m++) {
		const struct event *ev = r->marks[m].ev;
		if (ev->kind == EV_ALERTS && strcmp(ev->key, key) == 0)
			alertlog_feed(&log, r->marks[m].rtime, ev->p, on_change, rp);
	}
	alertlog_free(&log);
}

static void
free_marks(struct replay *rp)
{
	for (size_t i = 0; i < rp->nmarks; i++)
		free(rp->marks[i].label);
	free(rp->marks);
	rp->marks = NULL;
	rp->nmarks = 0;
}

static void
note_mark(struct replay *rp, const struct ev_annotation *a)
{
	push_mark(rp, a->at, RM_NOTE, xstrdup(a->text));
}

static void
build_marks(struct replay *rp)
{
	const struct recread *r = rp->r;
	char **done = NULL;
	size_t ndone = 0;

	free_marks(rp);
	for (size_t m = 0; m < r->nmarks; m++) {
		const struct event *ev = r->marks[m].ev;
		int seen = 0;
		if (ev->kind == EV_ANNOTATION) {
			note_mark(rp, ev->p);
			continue;
		}
		for (size_t i = 0; i < ndone && !seen; i++)
			seen = strcmp(done[i], ev->key) == 0;
		if (seen || ndone >= 256)
			continue;
		done = xreallocarray(done, ndone + 1, sizeof *done);
		done[ndone++] = ev->key;
		alert_marks(rp, ev->key);
	}
	free(done);
	for (size_t i = 0; i < r->nadded; i++)
		note_mark(rp, r->added[i].ev->p);
	for (size_t i = 0; i < rp->nunsaved; i++)
		note_mark(rp, rp->unsaved[i]);
}

/* ------------------------------------------------------------- playback */

static void
set_problem(struct replay *rp, const char *msg)
{
	if (strcmp(rp->problem, msg) != 0)
		log_warn("replay: %s", msg);
	snprintf(rp->problem, sizeof rp->problem, "%s", msg);
}

static void
check_digest(struct replay *rp, const struct rec_record *rec)
{
	uint64_t want = 0, got;

	if (!rp->verify || rec->len != 8 || rp->r->digest_version != STORE_DIGEST_VERSION)
		return;
	for (int i = 0; i < 8; i++)
		want |= (uint64_t)rec->p[i] << (8 * i);
	got = store_digest(*rp->h.store, rec->t);
	if (got != want) {
		char ts[40], msg[200];
		rp->mismatches++;
		ts_fmt_rfc3339(ts, sizeof ts, rec->t);
		snprintf(msg, sizeof msg, "the replayed store differs from the recorded one at %s "
		    "(%" PRIu64 " digest mismatch%s)", ts, rp->mismatches, rp->mismatches == 1 ? "" : "es");
		set_problem(rp, msg);
	}
}

static void
emit_record(struct replay *rp, const struct rec_record *rec)
{
	struct rd rd;
	struct event *ev;
	char *why = NULL;

	if (rec->type == RR_DIGEST) {
		check_digest(rp, rec);
		return;
	}
	if (rec->type != RR_EVENT)
		return;
	rd_init(&rd, rec->p, rec->len);
	if (!(ev = event_decode(&rd, &why))) {
		char msg[200];
		if (why && strncmp(why, "unknown event kind", 18) == 0) {
			rp->unknown++;
			snprintf(msg, sizeof msg, "%" PRIu64 " recorded events of kinds this scry does "
			    "not know were skipped", rp->unknown);
		} else {
			rp->bad_events++;
			snprintf(msg, sizeof msg, "%" PRIu64 " unreadable event%s skipped (%s)",
			    rp->bad_events, rp->bad_events == 1 ? "" : "s", why ? why : "?");
		}
		set_problem(rp, msg);
		free(why);
		return;
	}
	event_emit(&rp->h.sink, ev);
}

/* The next cached record if its time is <= until (fast mode). */
static int
mcur_next(const struct buf *nl, struct mcur *m, tns until, struct rec_record *out)
{
	struct rd rd;
	tns prev = m->prev;
	char *why = NULL;

	if (m->off >= nl->len)
		return 0;
	rd_init(&rd, nl->data + m->off, nl->len - m->off);
	if (rec_get_record(&rd, &prev, out, &why) != 1) {	/* we wrote it: never */
		free(why);
		m->off = nl->len;
		return 0;
	}
	if (out->t > until)
		return 0;
	m->off += rd.off;
	m->prev = prev;
	return 1;
}

/* The next record up to until: from nl in fast mode, else the file. */
static int
next_record(const struct buf *nl, struct rec_cursor *c, struct mcur *m, tns until,
    struct rec_record *out)
{
	return nl ? mcur_next(nl, m, until, out) : reccur_next(c, until, out);
}

/* Fast mode: the log store shows the batches stamped up to the now. */
static void
show_logs(struct replay *rp)
{
	if (rp->fast)
		logstore_show(store_logstore(*rp->h.store), rp->t);
}

/* Emit every record up to t. */
static void
advance(struct replay *rp, tns t)
{
	struct rec_record rec;

	while (next_record(rp->fast ? &rp->nl : NULL, &rp->cur, &rp->mc, t, &rec))
		emit_record(rp, &rec);
	if (rp->cur.bad != rp->shown_bad) {
		char msg[256];
		rp->shown_bad = rp->cur.bad;
		snprintf(msg, sizeof msg, "%.200s", rp->cur.err);
		set_problem(rp, msg);
	}
	rp->t = t;
	*rp->h.now = t;
	show_logs(rp);
}

static void
emit_sticky(struct replay *rp)
{
	const struct recread *r = rp->r;

	for (size_t i = 0; i < r->nadded; i++) {
		const struct ev_annotation *a = r->added[i].ev->p;
		event_emit(&rp->h.sink, event_new(EV_ANNOTATION, a->at, "",
		    annotation_new(a->at, a->text, a->panel_id, a->ref)));
	}
	for (size_t i = 0; i < rp->nunsaved; i++) {
		const struct ev_annotation *a = rp->unsaved[i];
		event_emit(&rp->h.sink, event_new(EV_ANNOTATION, a->at, "",
		    annotation_new(a->at, a->text, a->panel_id, a->ref)));
	}
}

/* The store as of t, from scratch. */
static void
rebuild(struct replay *rp, tns t)
{
	struct store *old = *rp->h.store;

	*rp->h.store = store_new(store_limits(old));
	if (rp->fast)
		store_move_logs(*rp->h.store, old);
	store_free(old);
	reccur_rewind(&rp->cur);
	rp->mc = (struct mcur){ 0, 0 };
	rp->shown_bad = rp->cur.bad;
	emit_sticky(rp);
	advance(rp, t);
}

static void rb_stop(struct replay *rp);

/* An empty store with the limits of the one it replaces. */
static void
fresh_store(struct replay *rp)
{
	struct store *old = *rp->h.store;

	*rp->h.store = store_new(store_limits(old));
	store_free(old);
}

static int
is_logs(const struct rec_record *rec)
{
	uint64_t kind;
	const char *key;
	size_t klen, off;

	return rec->type == RR_EVENT && rec_event_head(rec->p, rec->len, &kind, &key, &klen, &off) == 0 &&
	    kind == EV_LOGS;
}

/* Fast mode: every log batch into a fresh store's journalled log store,
 * every other record into nl.  0, or -1 (the store emptied again) when
 * the recording does not suit it: lines would be evicted, nl too big. */
static int
preload(struct replay *rp)
{
	struct logstore *ls;
	struct rec_cursor c;
	struct rec_record rec;
	tns prev = 0;
	uint64_t bad = rp->bad_events;
	int ok = 1;

	rb_stop(rp);	/* a worker may read nl */
	fresh_store(rp);
	ls = store_logstore(*rp->h.store);
	if (logstore_journal(ls) < 0)
		return -1;
	buf_free(&rp->nl);
	buf_init(&rp->nl, NL_MAX);
	reccur_init(&c, rp->r);
	while (ok && reccur_next(&c, INT64_MAX, &rec)) {
		if (is_logs(&rec)) {
			logstore_stamp(ls, rec.t);
			emit_record(rp, &rec);
			ok = logstore_evicted(ls) == 0;
		} else {
			rec_put_record(&rp->nl, rec.type, rec.t, &prev, rec.p, rec.len);
			ok = !rp->nl.overflow;
		}
	}
	if (ok && c.bad) {
		char msg[256];
		snprintf(msg, sizeof msg, "%.200s", c.err ? c.err : "a chunk could not be read");
		set_problem(rp, msg);
	}
	reccur_free(&c);
	if (!ok) {
		rp->bad_events = bad;	/* counted again as the file plays */
		buf_free(&rp->nl);
		fresh_store(rp);
		return -1;
	}
	rp->fast = 1;
	return 0;
}

/* ------------------------------------------------- background rebuild */

static void *
rb_main(void *arg)
{
	struct rebuild *b = arg;
	struct rec_record rec;
	char x = 'x';
	ssize_t w;

	for (size_t i = 0; i < b->nnotes; i++) {
		const struct ev_annotation *a = b->notes[i];
		struct event *ev = event_new(EV_ANNOTATION, a->at, "",
		    annotation_new(a->at, a->text, a->panel_id, a->ref));
		store_apply(b->st, ev);
		event_free(ev);
	}
	while (!atomic_load(&b->cancel) && next_record(b->nl, &b->cur, &b->mc, b->target, &rec)) {
		struct rd rd;
		struct event *ev;
		char *why = NULL;
		if (rec.type != RR_EVENT)
			continue;
		rd_init(&rd, rec.p, rec.len);
		if (!(ev = event_decode(&rd, &why))) {
			if (why && strncmp(why, "unknown event kind", 18) == 0)
				b->unknown++;
			else
				b->bad++;
			free(why);
			continue;
		}
		store_apply(b->st, ev);
		event_free(ev);
	}
	w = write(b->pipe[1], &x, 1);
	(void)w;
	return NULL;
}

static void
rb_discard(struct rebuild *b)
{
	store_free(b->st);
	b->st = NULL;
	reccur_free(&b->cur);
	for (size_t i = 0; i < b->nnotes; i++)
		annotation_free(b->notes[i]);
	free(b->notes);
	b->notes = NULL;
	b->nnotes = 0;
}

/* Wait for the worker; returns 1 if it finished its job. */
static int
rb_join(struct replay *rp)
{
	char buf[16];
	ssize_t n;

	if (!rp->rb.running)
		return 0;
	pthread_join(rp->rb.th, NULL);
	rp->rb.running = 0;
	loop_unwatch(rp->h.loop, rp->rb.pipe[0]);
	do
		n = read(rp->rb.pipe[0], buf, sizeof buf);
	while (n > 0);
	close(rp->rb.pipe[0]);
	close(rp->rb.pipe[1]);
	return !atomic_load(&rp->rb.cancel);
}

static void
rb_stop(struct replay *rp)
{
	if (!rp->rb.running)
		return;
	atomic_store(&rp->rb.cancel, 1);
	rb_join(rp);
	rb_discard(&rp->rb);
}

/* The worker's store becomes the store; catch up to the virtual now. */
static void
rb_swap(struct replay *rp)
{
	struct rebuild *b = &rp->rb;
	struct store *old = *rp->h.store;

	*rp->h.store = b->st;
	b->st = NULL;
	if (rp->fast)
		store_move_logs(*rp->h.store, old);
	store_free(old);
	reccur_free(&rp->cur);
	rp->cur = b->cur;
	rp->mc = b->mc;
	memset(&b->cur, 0, sizeof b->cur);
	rp->shown_bad = rp->cur.bad;
	rp->unknown += b->unknown;
	rp->bad_events += b->bad;
	for (size_t i = b->unsaved_at_start; i < rp->nunsaved; i++) {
		const struct ev_annotation *a = rp->unsaved[i];	/* added meanwhile */
		event_emit(&rp->h.sink, event_new(EV_ANNOTATION, a->at, "",
		    annotation_new(a->at, a->text, a->panel_id, a->ref)));
	}
	rb_discard(b);
	advance(rp, rp->t > b->target ? rp->t : b->target);
	rp->h.changed(rp->h.ctx, REPLAY_TIME | REPLAY_REBUILT | REPLAY_STATE);
}

static void
rb_ready(void *ctx, int fd, int ev)
{
	struct replay *rp = ctx;

	(void)fd;
	(void)ev;
	if (rb_join(rp))
		rb_swap(rp);
	else
		rb_discard(&rp->rb);
}

static int
rb_copy_notes(struct replay *rp, struct rebuild *b)
{
	const struct recread *r = rp->r;

	b->notes = xcalloc(r->nadded + rp->nunsaved + 1, sizeof *b->notes);
	for (size_t i = 0; i < r->nadded; i++) {
		const struct ev_annotation *a = r->added[i].ev->p;
		b->notes[b->nnotes++] = annotation_new(a->at, a->text, a->panel_id, a->ref);
	}
	for (size_t i = 0; i < rp->nunsaved; i++) {
		const struct ev_annotation *a = rp->unsaved[i];
		b->notes[b->nnotes++] = annotation_new(a->at, a->text, a->panel_id, a->ref);
	}
	b->unsaved_at_start = rp->nunsaved;
	return 0;
}

/* Show t at once from the store we have (read as of t), and rebuild the
 * exact store as of t in the background. */
static void
rebuild_async(struct replay *rp, tns t)
{
	struct rebuild *b = &rp->rb;

	rb_stop(rp);
	rp->t = t;
	*rp->h.now = t;
	show_logs(rp);	/* fast mode: the logs are exact at once */
	memset(b, 0, sizeof *b);
	if (pipe2(b->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		rebuild(rp, t);	/* no pipe: do it here */
		return;
	}
	b->target = t;
	b->st = store_new(store_limits(*rp->h.store));
	reccur_init(&b->cur, rp->r);
	b->nl = rp->fast ? &rp->nl : NULL;
	rb_copy_notes(rp, b);
	atomic_store(&b->cancel, 0);
	if (pthread_create(&b->th, NULL, rb_main, b) != 0) {
		close(b->pipe[0]);
		close(b->pipe[1]);
		rb_discard(b);
		rebuild(rp, t);
		return;
	}
	b->running = 1;
	loop_watch(rp->h.loop, b->pipe[0], LOOP_IN, rb_ready, rp);
}

static void tick(void *ctx);

static void
arm(struct replay *rp)
{
	if (rp->timer || !rp->playing || !rp->attached)
		return;
	rp->last_ms = ts_mono_ms();
	rp->timer = loop_timer(rp->h.loop, TICK_MS, tick, rp);
}

static void
disarm(struct replay *rp)
{
	if (rp->timer)
		loop_cancel(rp->h.loop, rp->timer);
	rp->timer = 0;
}

static void
tick(void *ctx)
{
	struct replay *rp = ctx;
	int64_t now = ts_mono_ms(), dt = now - rp->last_ms;
	tns t = rp->t + (tns)dt * NS_PER_MS * rp->speed;
	int what = REPLAY_TIME;

	rp->timer = 0;
	if (t >= rp->r->t_end) {
		t = rp->r->t_end;
		rp->playing = 0;	/* the end: stay on the last frame */
		what |= REPLAY_STATE;
	}
	advance(rp, t);
	rp->h.changed(rp->h.ctx, what);
	arm(rp);
}

/* ------------------------------------------------------------------ api */

struct replay *
replay_open(const char *path, char **err)
{
	struct recread *r = recread_open(path, err);
	struct replay *rp;

	if (!r)
		return NULL;
	if (r->nchunks == 0) {
		*err = xasprintf("%s: the recording holds no data%s%s", path,
		    r->nwarn ? ": " : "", r->nwarn ? r->warn[0] : "");
		recread_free(r);
		return NULL;
	}
	rp = xcalloc(1, sizeof *rp);
	rp->r = r;
	rp->speed = 1;
	rp->t = r->t_start;
	reccur_init(&rp->cur, r);
	build_marks(rp);
	for (size_t i = 0; i < r->nwarn; i++)
		log_warn("%s: %s", path, r->warn[i]);
	if (r->nwarn)
		set_problem(rp, r->warn[0]);
	return rp;
}

void
replay_free(struct replay *rp)
{
	if (!rp)
		return;
	rb_stop(rp);
	disarm(rp);
	reccur_free(&rp->cur);
	buf_free(&rp->nl);
	free_marks(rp);
	for (size_t i = 0; i < rp->nunsaved; i++)
		annotation_free(rp->unsaved[i]);
	free(rp->unsaved);
	recread_free(rp->r);
	free(rp);
}

void
replay_attach(struct replay *rp, const struct replay_host *h, tns at)
{
	rp->h = *h;
	rp->attached = 1;
	rp->fast = 0;
	preload(rp);
	if (at == TNS_NONE)
		at = rp->r->t_start;
	rebuild(rp, at < rp->r->t_start ? rp->r->t_start : at > rp->r->t_end ? rp->r->t_end : at);
	arm(rp);
}

const struct recread *
replay_reader(const struct replay *rp)
{
	return rp->r;
}

tns replay_time(const struct replay *rp) { return rp->t; }
tns replay_start(const struct replay *rp) { return rp->r->t_start; }
tns replay_end(const struct replay *rp) { return rp->r->t_end; }
int replay_playing(const struct replay *rp) { return rp->playing; }
int replay_speed(const struct replay *rp) { return rp->speed; }
const char *replay_problem(const struct replay *rp) { return rp->problem[0] ? rp->problem : NULL; }
void replay_set_verify(struct replay *rp, int on) { rp->verify = on; }
void replay_set_async(struct replay *rp, int on) { rp->async = on; }

void
replay_settle(struct replay *rp)
{
	if (!rp->rb.running)
		return;
	if (rb_join(rp))
		rb_swap(rp);
	else
		rb_discard(&rp->rb);
}
int replay_rebuilding(const struct replay *rp) { return rp->rb.running; }
uint64_t replay_digest_mismatches(const struct replay *rp) { return rp->mismatches; }
size_t replay_unsaved(const struct replay *rp) { return rp->nunsaved; }

void
replay_play(struct replay *rp, int on)
{
	if (on && rp->t >= rp->r->t_end)
		replay_seek(rp, rp->r->t_start);	/* at the end: play again from the start */
	rp->playing = on;
	if (on)
		arm(rp);
	else
		disarm(rp);
	rp->h.changed(rp->h.ctx, REPLAY_STATE);
}

void
replay_set_speed(struct replay *rp, int speed)
{
	for (size_t i = 0; i < NSPEEDS; i++)
		if (speeds[i] == speed)
			rp->speed = speed;
	rp->h.changed(rp->h.ctx, REPLAY_STATE);
}

void
replay_speed_step(struct replay *rp, int dir)
{
	size_t i = 0;

	while (i < NSPEEDS - 1 && speeds[i] < rp->speed)
		i++;
	if (dir > 0 && i < NSPEEDS - 1)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	replay_set_speed(rp, speeds[i]);
}

void
replay_seek(struct replay *rp, tns t)
{
	if (t < rp->r->t_start)
		t = rp->r->t_start;
	if (t > rp->r->t_end)
		t = rp->r->t_end;
	if (rp->rb.running && t >= rp->rb.target) {	// NOLINT(bugprone-branch-clone): catching up with a rebuild and plain forward play are different cases that happen to do the same
		advance(rp, t);	/* the rebuilt store catches up when swapped in */
		rp->h.changed(rp->h.ctx, REPLAY_TIME);
	} else if (t >= rp->t && !rp->rb.running) {
		advance(rp, t);
		rp->h.changed(rp->h.ctx, REPLAY_TIME);
	} else if (rp->async) {
		rebuild_async(rp, t);
		rp->h.changed(rp->h.ctx, REPLAY_TIME | REPLAY_STATE);
	} else {
		rebuild(rp, t);
		rp->h.changed(rp->h.ctx, REPLAY_TIME | REPLAY_REBUILT);
	}
	if (rp->timer)
		rp->last_ms = ts_mono_ms();
}

int
replay_mark_near(const struct replay *rp, int dir, tns *t)
{
	/* a mark within half a second counts as "here" */
	tns slack = NS_PER_S / 2;

	if (dir > 0) {
		for (size_t i = 0; i < rp->nmarks; i++)
			if (rp->marks[i].t > rp->t + slack) {
				*t = rp->marks[i].t;
				return 0;
			}
	} else {
		for (size_t i = rp->nmarks; i > 0; i--)
			if (rp->marks[i - 1].t < rp->t - slack) {
				*t = rp->marks[i - 1].t;
				return 0;
			}
	}
	return -1;
}

const struct replay_mark *
replay_marks(const struct replay *rp, size_t *n)
{
	*n = rp->nmarks;
	return rp->marks;
}

void
replay_add_note(struct replay *rp, struct ev_annotation *a)
{
	if (rp->nunsaved >= NOTES_MAX) {
		annotation_free(a);
		return;
	}
	rp->unsaved = xreallocarray(rp->unsaved, rp->nunsaved + 1, sizeof *rp->unsaved);
	rp->unsaved[rp->nunsaved++] = a;
	note_mark(rp, a);
	event_emit(&rp->h.sink, event_new(EV_ANNOTATION, a->at, "",
	    annotation_new(a->at, a->text, a->panel_id, a->ref)));
	rp->h.changed(rp->h.ctx, REPLAY_STATE);
}

static int
ann_cmp(const void *x, const void *y)
{
	const struct ev_annotation *a = *(const struct ev_annotation *const *)x;
	const struct ev_annotation *b = *(const struct ev_annotation *const *)y;
	return a->at < b->at ? -1 : a->at > b->at;
}

size_t
replay_annotations(const struct replay *rp, const struct ev_annotation **out, size_t max)
{
	const struct recread *r = rp->r;
	size_t n = 0;

	for (size_t i = 0; i < r->nmarks && n < max; i++)
		if (r->marks[i].ev->kind == EV_ANNOTATION)
			out[n++] = r->marks[i].ev->p;
	for (size_t i = 0; i < r->nadded && n < max; i++)
		out[n++] = r->added[i].ev->p;
	for (size_t i = 0; i < rp->nunsaved && n < max; i++)
		out[n++] = rp->unsaved[i];
	qsort(out, n, sizeof *out, ann_cmp);
	return n;
}

/* ----------------------------------------------------------------- save */

int
replay_save(struct replay *rp, const char *path, char **err)
{
	struct recread *nr;
	const char *target = path ? path : rp->r->path;

	if (!rp->nunsaved && !path) {
		*err = xstrdup("no new annotations to save");
		return -1;
	}
	replay_settle(rp);	/* the worker reads the recording: let it finish */
	if (rec_append_notes(rp->r, path, rp->unsaved, rp->nunsaved, err) < 0)
		return -1;
	if (path)	/* a copy: keep playing the original, notes stay unsaved there */
		return 0;
	if (!(nr = recread_open(target, err)))
		return -1;
	/* same chunks, now with the notes: the cursor's position stays valid */
	recread_free(rp->r);
	rp->r = nr;
	rp->cur.r = nr;
	for (size_t i = 0; i < rp->nunsaved; i++)
		annotation_free(rp->unsaved[i]);
	free(rp->unsaved);
	rp->unsaved = NULL;
	rp->nunsaved = 0;
	build_marks(rp);
	return 0;
}

/* ---------------------------------------------------- the source class */

struct pending {
	struct pending	*next;
	uint64_t	 timer;
	struct fetch	 f;
	char		*key;
	struct source	*src;
};

struct rsrc {
	struct source	 base;
	struct pending	*pend;
};

static struct source *
rs_create(const struct dash_source *cfg, struct source_env *env, char **err)
{
	struct rsrc *s;

	if (!env->replay) {
		*err = xstrdup("replay sources exist only while replaying a recording");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->base.cls = &replay_source_class;
	s->base.name = xstrdup(cfg->name);
	s->base.env = env;
	s->base.priv = s;
	return &s->base;
}

static void
rs_destroy(struct source *src)
{
	struct rsrc *s = src->priv;

	while (s->pend) {
		struct pending *p = s->pend;
		s->pend = p->next;
		loop_cancel(src->env->loop, p->timer);
		free(p->key);
		free(p);
	}
	free(src->name);
	free(s);
}

static void
rs_done(void *ctx)
{
	struct pending *p = ctx, **pp;
	struct rsrc *s = p->src->priv;

	for (pp = &s->pend; *pp && *pp != p; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = p->next;
	p->f.done(p->f.done_ctx, &p->f, 1, 0);
	free(p->key);
	free(p);
}

static int
rs_fetch(struct source *src, const struct fetch *f, char **err)
{
	struct rsrc *s = src->priv;
	struct pending *p;

	(void)err;
	if (!recread_has_key(replay_reader(src->env->replay), f->key))
		status_emit(&src->env->sink, f->key, src->env->now(), QS_ERROR, 0, 0,
		    "not in recording: this query was not fetched while the incident was "
		    "recorded (nothing is fetched live during a replay)");
	/* the answer (the recorded events) arrives with playback */
	p = xcalloc(1, sizeof *p);
	p->f = *f;
	p->key = xstrdup(f->key);
	p->f.key = p->key;
	p->f.expr = NULL;
	p->f.kind = NULL;
	p->f.qcfg = NULL;
	p->src = src;
	p->next = s->pend;
	s->pend = p;
	p->timer = loop_timer(src->env->loop, 0, rs_done, p);
	return 0;
}

static const char *const rs_kinds[] = { "*", NULL };

const struct source_class replay_source_class = {
	.name = "replay",
	.help = "plays back a recording (--replay); stands in for every source",
	.kinds = rs_kinds,
	.create = rs_create,
	.destroy = rs_destroy,
	.fetch = rs_fetch,
};
