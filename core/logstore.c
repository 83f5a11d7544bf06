/* logstore: arena chunks + time index per key, one byte budget for all.
 * Invariants:
 *  - a chunk holds the records of seqs [seq0, seq0 + nrec) and their text;
 *    chunks are in seq order; freed chunks leave NULL slots;
 *  - idx[head .. head + n) holds (seq - idx_base) of every live record in
 *    non-decreasing time order (ties: arrival order);
 *  - ls->bytes is the sum of every buffer's accounted bytes and, after
 *    logstore_apply() returns, does not exceed ls->max (unless one batch
 *    alone is larger, which is evicted down to the newest lines). */
#include "core/logstore.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/hmap.h"
#include "core/logline.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

#define CHUNK_MIN	(64u << 10)
#define CHUNK_MAX	(1u << 20)
#define EVICT_STEP	4096

struct lchunk {
	char		*text;
	uint32_t	 tlen, tcap;
	struct lrec	*rec;
	uint32_t	 nrec, caprec;
	uint32_t	 live;
	uint64_t	 seq0;
};

struct logbuf {
	char		 *key;
	struct logstore	 *ls;
	struct lchunk	**ch;		/* seq order; NULL = freed */
	size_t		  nch, capch, ch0;	/* ch0: first slot that may be non-NULL */
	uint32_t	 *idx;
	size_t		  head, n, capidx;
	uint64_t	  idx_base;
	uint64_t	  next_seq;
	struct labelset	 *streams;
	int8_t		 *slevel;	/* level from stream labels */
	uint32_t	  nstreams, capstreams;
	uint32_t	 *stab;		/* hash table of stream ids + 1 */
	size_t		  stabcap;
	struct log_gap	 *gaps;
	size_t		  ngaps, capgaps;
	int		  tail_open;	/* the last chunk takes tail appends */
	uint64_t	  evicted;
	tns		  evicted_until;
	tns		  loaded_from;
	uint64_t	  gen;
	size_t		  bytes;	/* accounted */
	size_t		  raw;		/* line bytes held */
	size_t		  last_chunk;	/* lookup cache */
	/* journal (replays): the buffer after every apply, and every gap
	 * value with the stamp it got it at; `view` is what readers see once
	 * logstore_show() ran (vj: journal entries it shows, 0: none) */
	struct ljent	 *jr;
	size_t		  njr, capjr;
	struct lgapv	 *gv;
	size_t		  ngv, capgv;
	struct logbuf	 *view;
	size_t		  vj;
};

/* The reader-visible state of a buffer after one apply. */
struct ljent {
	tns		stamp;
	uint64_t	next_seq;
	uint32_t	nstreams;
	size_t		ngaps;
	tns		loaded_from;
	size_t		raw, bytes;
};

struct lgapv {
	tns		stamp;
	uint32_t	id;
	struct log_gap	g;
};

struct logstore {
	size_t		 max;
	size_t		 bytes;
	size_t		 chunk_max;
	struct hmap	 bufs;
	uint64_t	 evicted;
	int		 journal;	/* keep the journal (logstore_journal) */
	tns		 stamp;		/* of the applies to come */
	int		 viewing;	/* readers see views as of `at` */
	tns		 at;
};

/* ------------------------------------------------------------- accounting */

static void
account(struct logbuf *b, ssize_t delta)
{
	b->bytes = (size_t)((ssize_t)b->bytes + delta);
	b->ls->bytes = (size_t)((ssize_t)b->ls->bytes + delta);
}

static size_t
chunk_bytes(const struct lchunk *c)
{
	return sizeof *c + c->tcap + (size_t)c->caprec * sizeof *c->rec;
}

/* --------------------------------------------------------------- lookups */

static struct lchunk *
chunk_of(const struct logbuf *b, uint64_t seq, size_t *slot)
{
	size_t lo = b->ch0, hi = b->nch;
	struct logbuf *mb = (struct logbuf *)b;

	if (seq >= b->next_seq)
		return NULL;
	if (b->last_chunk < b->nch && b->ch[b->last_chunk]) {
		struct lchunk *c = b->ch[b->last_chunk];
		if (seq >= c->seq0 && seq < c->seq0 + c->nrec) {
			if (slot)
				*slot = b->last_chunk;
			return c;
		}
	}
	/* binary search over slots; NULL slots are skipped by probing right */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, m = mid;
		while (m < hi && !b->ch[m])
			m++;
		if (m == hi) {
			hi = mid;
			continue;
		}
		if (seq < b->ch[m]->seq0)
			hi = mid;
		else if (seq >= b->ch[m]->seq0 + b->ch[m]->nrec)
			lo = m + 1;
		else {
			mb->last_chunk = m;
			if (slot)
				*slot = m;
			return b->ch[m];
		}
	}
	return NULL;
}

static const struct lrec *
rec_of(const struct logbuf *b, uint64_t seq)
{
	struct lchunk *c = chunk_of(b, seq, NULL);
	return c ? &c->rec[seq - c->seq0] : NULL;
}

static tns
time_at(const struct logbuf *b, size_t pos)
{
	return rec_of(b, b->idx_base + b->idx[b->head + pos])->t;
}

/* ---------------------------------------------------------------- streams */

static uint32_t
stream_id(struct logbuf *b, const struct labelset *ls)
{
	size_t mask, i;

	if (b->nstreams * 2 + 2 > b->stabcap) {
		size_t cap = b->stabcap ? b->stabcap * 2 : 64;
		uint32_t *t = xcalloc(cap, sizeof *t);
		for (uint32_t s = 0; s < b->nstreams; s++) {
			size_t k = b->streams[s].hash & (cap - 1);
			while (t[k])
				k = (k + 1) & (cap - 1);
			t[k] = s + 1;
		}
		account(b, (ssize_t)((cap - b->stabcap) * sizeof *t));
		free(b->stab);
		b->stab = t;
		b->stabcap = cap;
	}
	mask = b->stabcap - 1;
	for (i = ls->hash & mask; b->stab[i]; i = (i + 1) & mask) {
		uint32_t s = b->stab[i] - 1;
		if (b->streams[s].hash == ls->hash && labels_equal(&b->streams[s], ls))
			return s;
	}
	if (b->nstreams == b->capstreams) {
		size_t cap = b->capstreams;
		xgrow(&b->streams, &cap, b->nstreams + 1, sizeof *b->streams);
		b->slevel = xreallocarray(b->slevel, cap, sizeof *b->slevel);
		b->capstreams = (uint32_t)cap;
	}
	labels_copy(&b->streams[b->nstreams], ls);
	labels_finish(&b->streams[b->nstreams]);
	b->slevel[b->nstreams] = (int8_t)logline_stream_level(ls);
	account(b, (ssize_t)(labels_bytes(ls) + sizeof *b->streams + 1));
	b->stab[i] = b->nstreams + 1;
	return b->nstreams++;
}

/* ----------------------------------------------------------------- chunks */

static struct lchunk *
new_chunk(struct logbuf *b)
{
	struct lchunk *c = xcalloc(1, sizeof *c);

	c->seq0 = b->next_seq;
	xgrow(&b->ch, &b->capch, b->nch + 1, sizeof *b->ch);
	b->ch[b->nch++] = c;
	account(b, (ssize_t)chunk_bytes(c));
	return c;
}

/* A chunk that takes no more lines gives back its spare capacity. */
static void
seal(struct logbuf *b, struct lchunk *c)
{
	size_t before = chunk_bytes(c);

	if (c->nrec && c->nrec < c->caprec) {
		c->rec = xreallocarray(c->rec, c->nrec, sizeof *c->rec);
		c->caprec = c->nrec;
	}
	if (c->tlen && c->tlen < c->tcap) {
		c->text = xrealloc(c->text, c->tlen);
		c->tcap = c->tlen;
	}
	account(b, (ssize_t)chunk_bytes(c) - (ssize_t)before);
}

/* The chunk new lines go to; a fresh one when told or when full. */
static struct lchunk *
tail_chunk(struct logbuf *b, size_t need, int fresh)
{
	struct lchunk *c = b->nch ? b->ch[b->nch - 1] : NULL;
	size_t before;

	if (!c || fresh || c->seq0 + c->nrec != b->next_seq ||
	    (size_t)c->tlen + need > b->ls->chunk_max) {
		if (c)
			seal(b, c);
		c = new_chunk(b);
	}
	before = chunk_bytes(c);
	if ((size_t)c->tlen + need > c->tcap) {
		size_t cap = c->tcap ? c->tcap : CHUNK_MIN;
		while (cap < (size_t)c->tlen + need)
			cap *= 2;
		c->text = xrealloc(c->text, cap);
		c->tcap = (uint32_t)cap;
	}
	if (c->nrec == c->caprec) {
		size_t cap = c->caprec ? c->caprec + c->caprec / 2 : 256;
		c->rec = xreallocarray(c->rec, cap, sizeof *c->rec);
		c->caprec = (uint32_t)cap;
	}
	account(b, (ssize_t)(chunk_bytes(c) - before));
	return c;
}

static void
free_chunk(struct logbuf *b, size_t slot)
{
	struct lchunk *c = b->ch[slot];

	account(b, -(ssize_t)chunk_bytes(c));
	free(c->text);
	free(c->rec);
	free(c);
	b->ch[slot] = NULL;
	while (b->ch0 < b->nch && !b->ch[b->ch0])
		b->ch0++;
	if (b->ch0 == b->nch) {	/* everything freed: reuse the slot array */
		b->ch0 = b->nch = 0;
		b->tail_open = 0;
	}
}

/* Is the line ASCII (fast) or else valid UTF-8? */
static int
valid_utf8(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ull)
			break;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] & 0x80)
			return utf8_valid(s + i, len - i);
	return 1;
}

/* Cut at a UTF-8 boundary no longer than max. */
static size_t
cut_len(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Store one line (or gap) in the arena; returns its seq. */
static uint64_t
put_line(struct logbuf *b, tns t, uint32_t stream, const char *s, size_t len, unsigned flags,
    int fresh)
{
	struct lchunk *c;
	struct lrec *r;
	unsigned lv = 0;

	if (!(flags & LR_GAP)) {
		size_t l2 = cut_len(s, len, LOGS_LINE_MAX);
		if (l2 < len)
			flags |= LR_CUT;
		len = l2;
		if (!valid_utf8(s, len))
			flags |= LR_BADUTF;
		lv = (unsigned)b->slevel[stream];
		if (lv == LV_NONE)
			lv = (unsigned)logline_level(s, len);
	}
	c = tail_chunk(b, len, fresh);
	r = &c->rec[c->nrec++];
	r->t = t;
	r->off = c->tlen;
	r->lf = (uint32_t)len | (lv & 0xFu) << 20 | (flags & 0xFFu) << 24;
	r->stream = stream;
	if (len)
		memcpy(c->text + c->tlen, s, len);
	c->tlen += (uint32_t)len;
	c->live++;
	b->raw += len;
	return b->next_seq++;
}

/* ------------------------------------------------------------------ index */

/* Make room for `more` entries; keep `front` free slots before head. */
static void
idx_reserve(struct logbuf *b, size_t more, size_t front)
{
	size_t need = b->n + more + front, cap = b->capidx, nhead;
	uint32_t *ni;

	if (b->head >= front && b->head + b->n + more <= b->capidx)
		return;
	if (need + need / 8 > cap)
		cap = need + need / 4 + 64;	/* 25 % headroom: the index is per line */
	nhead = front + (cap - need) / 4;
	if (cap == b->capidx) {
		memmove(b->idx + nhead, b->idx + b->head, b->n * sizeof *b->idx);
	} else {
		ni = xmalloc(cap * sizeof *ni);
		if (b->n)
			memcpy(ni + nhead, b->idx + b->head, b->n * sizeof *ni);
		free(b->idx);
		b->idx = ni;
		account(b, (ssize_t)((cap - b->capidx) * sizeof *ni));
		b->capidx = cap;
	}
	b->head = nhead;
}

/* Keep idx entries 32-bit: move the base up when seqs grow large. */
static void
idx_rebase(struct logbuf *b)
{
	uint64_t lo = b->next_seq, d;

	if (b->next_seq - b->idx_base < 0xF0000000ull)
		return;
	for (size_t i = 0; i < b->n; i++)
		if (b->idx_base + b->idx[b->head + i] < lo)
			lo = b->idx_base + b->idx[b->head + i];
	d = lo - b->idx_base;
	for (size_t i = 0; i < b->n; i++)
		b->idx[b->head + i] -= (uint32_t)d;
	b->idx_base = lo;
}

struct inc;
static int same_line(const struct logbuf *b, uint64_t seq, const struct ev_logs *e,
    const struct inc *in);

/* -------------------------------------------------------------- journal */

/* A gap got a value (new, or a burst that grew): keep it with its stamp. */
static void
gap_version(struct logbuf *b, uint32_t id)
{
	if (!b->ls->journal)
		return;
	xgrow(&b->gv, &b->capgv, b->ngv + 1, sizeof *b->gv);
	b->gv[b->ngv++] = (struct lgapv){ b->ls->stamp, id, b->gaps[id] };
}

/* What readers of the buffer saw after this apply.  Not accounted: the
 * byte budget (and so eviction) stays what it was live. */
static void
journal_add(struct logbuf *b)
{
	xgrow(&b->jr, &b->capjr, b->njr + 1, sizeof *b->jr);
	b->jr[b->njr++] = (struct ljent){ b->ls->stamp, b->next_seq, b->nstreams, b->ngaps,
	    b->loaded_from, b->raw, b->bytes };
}

static void view_update(struct logbuf *b, tns at);

/* ------------------------------------------------------------------ apply */

struct inc {			/* one incoming item (line or gap) in time order */
	tns			 t;
	uint32_t		 stream;	/* buffer stream id */
	const struct ev_logs_entry *x;	/* NULL for a gap */
	struct log_gap		 gap;
};

static int
same_line(const struct logbuf *b, uint64_t seq, const struct ev_logs *e, const struct inc *in)
{
	const char *text;
	const struct lrec *r = logbuf_get(b, seq, &text);
	size_t len;

	if (!r || !(LREC_FLAGS(r) & LR_GAP) != !!in->x)
		return 0;
	if (!in->x) {
		const struct log_gap *o = &b->gaps[r->stream];
		return o->kind == in->gap.kind && o->count == in->gap.count && o->until == in->gap.until;
	}
	len = cut_len(e->text + in->x->off, in->x->len, LOGS_LINE_MAX);
	return r->stream == in->stream && LREC_LEN(r) == len &&
	    memcmp(text, e->text + in->x->off, len) == 0;
}

static int
inc_cmp(const void *a, const void *b)
{
	const struct inc *x = a, *y = b;
	return x->t < y->t ? -1 : x->t > y->t;
}

static uint64_t
put_inc(struct logbuf *b, const struct ev_logs *e, const struct inc *in, int fresh)
{
	if (in->x)
		return put_line(b, in->t, in->stream, e->text + in->x->off, in->x->len,
		    in->x->flags & LE_CUT ? LR_CUT : 0, fresh);
	xgrow(&b->gaps, &b->capgaps, b->ngaps + 1, sizeof *b->gaps);
	b->gaps[b->ngaps] = in->gap;
	account(b, (ssize_t)sizeof *b->gaps);
	gap_version(b, (uint32_t)b->ngaps);
	return put_line(b, in->t, (uint32_t)b->ngaps++, "", 0, LR_GAP, fresh);
}

/* A gap marker at the same time and of the same kind as a held one
 * updates it (a source reports a growing burst of dropped lines). */
static int
update_gap(struct logbuf *b, uint64_t seq, const struct inc *in)
{
	const struct lrec *r = logbuf_get(b, seq, NULL);
	struct log_gap *g;

	if (in->x || !r || !(LREC_FLAGS(r) & LR_GAP))
		return 0;
	g = &b->gaps[r->stream];
	if (g->kind != in->gap.kind)
		return 0;
	if (in->gap.count > g->count)
		g->count = in->gap.count;
	if (in->gap.until > g->until)
		g->until = in->gap.until;
	gap_version(b, r->stream);
	return 1;
}

/* Is `in` already held at one of the equal-time positions from pos on? */
static int
held(struct logbuf *b, size_t pos, const struct ev_logs *e, const struct inc *in)
{
	for (size_t p = pos; p < b->n && time_at(b, p) == in->t; p++) {
		uint64_t seq = b->idx_base + b->idx[b->head + p];
		if (same_line(b, seq, e, in) || update_gap(b, seq, in))
			return 1;
	}
	return 0;
}

/* Merge sorted incoming items into the index from the first position
 * with an equal or later time.  Cost: O(items + lines after that point). */
static size_t
merge(struct logbuf *b, const struct ev_logs *e, const struct inc *in, size_t m, int fresh)
{
	size_t p = logbuf_lower_bound(b, in[0].t), r = p, rn = b->n - p, o = 0, added = 0;
	uint32_t *tmp = xmalloc((rn + m) * sizeof *tmp);

	for (size_t i = 0; i < m; i++) {
		while (r < b->n && time_at(b, r) < in[i].t)
			tmp[o++] = b->idx[b->head + r++];
		if (held(b, r, e, &in[i]))
			continue;
		/* duplicates inside the batch were removed by ev_logs_sort */
		tmp[o++] = (uint32_t)(put_inc(b, e, &in[i], fresh && !added) - b->idx_base);
		added++;
	}
	while (r < b->n)
		tmp[o++] = b->idx[b->head + r++];
	idx_reserve(b, added, 0);
	memcpy(b->idx + b->head + p, tmp, o * sizeof *tmp);
	b->n = p + o;
	free(tmp);
	return added;
}

static size_t
append(struct logbuf *b, const struct ev_logs *e, const struct inc *in, size_t m, int fresh)
{
	idx_reserve(b, m, 0);
	for (size_t i = 0; i < m; i++)
		b->idx[b->head + b->n++] = (uint32_t)(put_inc(b, e, &in[i], fresh && i == 0) - b->idx_base);
	return m;
}

static size_t
prepend(struct logbuf *b, const struct ev_logs *e, const struct inc *in, size_t m, int fresh)
{
	idx_reserve(b, 0, m);
	for (size_t i = 0; i < m; i++)
		b->idx[b->head - m + i] = (uint32_t)(put_inc(b, e, &in[i], fresh && i == 0) - b->idx_base);
	b->head -= m;
	b->n += m;
	return m;
}

static struct logbuf *
buf_get(struct logstore *ls, const char *key)
{
	struct logbuf *b = hmap_get(&ls->bufs, key);

	if (!b) {
		b = xcalloc(1, sizeof *b);
		b->key = xstrdup(key);
		b->ls = ls;
		b->loaded_from = TNS_NONE;
		b->evicted_until = TNS_NONE;
		hmap_put(&ls->bufs, key, b);
		account(b, (ssize_t)sizeof *b);
	}
	return b;
}

static void evict(struct logstore *ls);

static void
note_history(struct logbuf *b, const struct ev_logs *e)
{
	tns from = e->complete ? e->start : ev_logs_oldest(e);

	if (e->origin != LO_HISTORY || from == TNS_NONE)
		return;
	if (b->loaded_from == TNS_NONE || from < b->loaded_from)
		b->loaded_from = from;
}

static size_t
apply(struct logstore *ls, struct logbuf *b, struct ev_logs *e)
{
	struct inc *in;
	uint32_t *map;
	size_t m = 0, added;
	int fresh;

	ev_logs_sort(e);
	note_history(b, e);
	b->gen++;
	if (!e->n && !e->ngaps)
		return 0;
	map = xmalloc((e->nstreams + 1) * sizeof *map);
	for (uint32_t i = 0; i < e->nstreams; i++)
		map[i] = stream_id(b, &e->streams[i]);
	in = xmalloc((e->n + e->ngaps) * sizeof *in);
	for (size_t i = 0; i < e->n; i++) {
		if (e->e[i].stream >= e->nstreams)
			continue;	/* malformed: never index out of range */
		in[m++] = (struct inc){ .t = e->e[i].t, .stream = map[e->e[i].stream], .x = &e->e[i] };
	}
	free(map);
	for (size_t i = 0; i < e->ngaps; i++)
		in[m++] = (struct inc){ .t = e->gaps[i].t, .gap = { e->gaps[i].t, e->gaps[i].until,
		    e->gaps[i].count, e->gaps[i].kind } };
	if (e->ngaps)
		qsort(in, m, sizeof *in, inc_cmp);	/* entries are sorted; gaps slot in */
	/* tail frames share the open chunk; history and fills get their own,
	 * so eviction by time frees whole chunks */
	fresh = e->origin != LO_TAIL || !b->tail_open;
	if (!m)
		added = 0;
	else if (!b->n || in[0].t > time_at(b, b->n - 1))
		added = append(b, e, in, m, fresh);
	else if (in[m - 1].t < time_at(b, 0))
		added = prepend(b, e, in, m, fresh);
	else
		added = merge(b, e, in, m, fresh);
	if (added)
		b->tail_open = e->origin == LO_TAIL;
	free(in);
	idx_rebase(b);
	evict(ls);
	return added;
}

size_t
logstore_apply(struct logstore *ls, const char *key, struct ev_logs *e)
{
	struct logbuf *b = buf_get(ls, key);
	size_t added = apply(ls, b, e);

	if (ls->journal)
		journal_add(b);
	if (ls->viewing && ls->evicted)
		ls->viewing = 0;	/* views need every line: read the buffers as they are */
	else if (ls->viewing)
		view_update(b, ls->at);
	return added;
}

/* ---------------------------------------------------------------- views */

/* Journal entries stamped at or before `at`. */
static size_t
journal_upto(const struct logbuf *b, tns at)
{
	size_t lo = 0, hi = b->njr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->jr[mid].stamp <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The view's index: the buffer's, without the lines that came later
 * (their relative order never changes once both are held). */
static void
view_index(struct logbuf *v, const struct logbuf *b, uint64_t next_seq)
{
	if (b->n > v->capidx) {
		v->idx = xreallocarray(v->idx, b->n, sizeof *v->idx);
		v->capidx = b->n;
	}
	v->idx_base = b->idx_base;
	v->head = v->n = 0;
	for (size_t i = 0; i < b->n; i++) {
		uint32_t x = b->idx[b->head + i];
		if (b->idx_base + x < next_seq)
			v->idx[v->n++] = x;
	}
}

/* Gap markers with the values they had at `at`. */
static void
view_gaps(struct logbuf *v, const struct logbuf *b, size_t ngaps, tns at)
{
	if (ngaps > v->capgaps) {
		v->gaps = xreallocarray(v->gaps, ngaps, sizeof *v->gaps);
		v->capgaps = ngaps;
	}
	v->ngaps = ngaps;
	for (size_t i = 0; i < b->ngv && b->gv[i].stamp <= at; i++)
		if (b->gv[i].id < ngaps)
			v->gaps[b->gv[i].id] = b->gv[i].g;
}

/* Point b's view at the buffer as it was after the applies stamped <= at.
 * The view borrows the chunks and streams (lines are never changed once
 * stored, and nothing is evicted while views are shown) and owns its
 * index and gap values. */
static void
view_update(struct logbuf *b, tns at)
{
	struct logbuf *v = b->view;
	size_t j = journal_upto(b, at);
	const struct ljent *e;

	if (!v) {
		v = b->view = xcalloc(1, sizeof *v);
		v->loaded_from = v->evicted_until = TNS_NONE;
	}
	v->key = b->key;
	v->ls = b->ls;
	v->ch = b->ch;
	v->nch = b->nch;
	v->ch0 = b->ch0;
	v->streams = b->streams;
	v->slevel = b->slevel;
	if (j == b->vj && v->gen)
		return;
	b->vj = j;
	v->gen++;
	v->last_chunk = 0;
	if (!j) {
		v->n = v->ngaps = v->raw = v->bytes = 0;
		v->next_seq = 0;
		v->nstreams = 0;
		v->loaded_from = TNS_NONE;
		return;
	}
	e = &b->jr[j - 1];
	view_index(v, b, e->next_seq);
	view_gaps(v, b, e->ngaps, at);
	v->next_seq = e->next_seq;
	v->nstreams = e->nstreams;
	v->loaded_from = e->loaded_from;
	v->raw = e->raw;
	v->bytes = e->bytes;
}

int
logstore_journal(struct logstore *ls)
{
	if (ls->bufs.n)
		return -1;
	ls->journal = 1;
	return 0;
}

void
logstore_stamp(struct logstore *ls, tns stamp)
{
	ls->stamp = stamp;
}

int
logstore_show(struct logstore *ls, tns at)
{
	size_t it = 0;
	const char *k;
	void *v;

	if (!ls->journal || ls->evicted)
		return -1;
	ls->viewing = 1;
	ls->at = at;
	while (hmap_next(&ls->bufs, &it, &k, &v))
		view_update(v, at);
	return 0;
}

/* --------------------------------------------------------------- eviction */

static void
evict_front(struct logbuf *b, size_t k)
{
	for (size_t i = 0; i < k && b->n; i++) {
		uint64_t seq = b->idx_base + b->idx[b->head];
		size_t slot;
		struct lchunk *c = chunk_of(b, seq, &slot);
		struct lrec *r = &c->rec[seq - c->seq0];
		if (!(LREC_FLAGS(r) & LR_GAP)) {
			b->evicted++;
			b->ls->evicted++;
			b->raw -= LREC_LEN(r);
		}
		b->evicted_until = r->t;
		r->lf |= (uint32_t)LR_DEAD << 24;
		b->head++;
		b->n--;
		if (--c->live == 0)
			free_chunk(b, slot);
	}
	if (b->n == 0)
		b->head = 0;
	b->gen++;
}

static void
evict(struct logstore *ls)
{
	while (ls->bytes > ls->max) {
		struct logbuf *victim = NULL;
		const char *k;
		void *v;
		size_t it = 0;
		tns oldest = 0;

		while (hmap_next(&ls->bufs, &it, &k, &v)) {
			struct logbuf *b = v;
			if (b->n && (!victim || time_at(b, 0) < oldest)) {
				victim = b;
				oldest = time_at(b, 0);
			}
		}
		if (!victim)
			return;
		evict_front(victim, EVICT_STEP < victim->n ? EVICT_STEP : victim->n);
	}
}

/* ------------------------------------------------------------ public api */

struct logstore *
logstore_new(size_t max_bytes)
{
	struct logstore *ls = xcalloc(1, sizeof *ls);

	ls->max = max_bytes ? max_bytes : LOGSTORE_DEFAULT_BYTES;
	ls->chunk_max = ls->max / 16 < CHUNK_MAX ? ls->max / 16 : CHUNK_MAX;
	if (ls->chunk_max < 4096)
		ls->chunk_max = 4096;
	hmap_init(&ls->bufs);
	return ls;
}

static void
lbuf_free(void *p)
{
	struct logbuf *b = p;

	for (size_t i = 0; i < b->nch; i++)
		if (b->ch[i]) {
			free(b->ch[i]->text);
			free(b->ch[i]->rec);
			free(b->ch[i]);
		}
	free(b->ch);
	free(b->idx);
	for (uint32_t i = 0; i < b->nstreams; i++)
		labels_free(&b->streams[i]);
	free(b->streams);
	free(b->slevel);
	free(b->stab);
	free(b->gaps);
	free(b->key);
	free(b->jr);
	free(b->gv);
	if (b->view) {
		free(b->view->idx);
		free(b->view->gaps);
		free(b->view);
	}
	free(b);
}

void
logstore_free(struct logstore *ls)
{
	if (!ls)
		return;
	hmap_free(&ls->bufs, lbuf_free);
	free(ls);
}

struct logbuf *
logstore_get(const struct logstore *ls, const char *key)
{
	struct logbuf *b = hmap_get(&ls->bufs, key);

	if (b && ls->viewing)
		return b->vj ? b->view : NULL;
	return b;
}

size_t logstore_bytes(const struct logstore *ls) { return ls->bytes; }
size_t logstore_max(const struct logstore *ls) { return ls->max; }
uint64_t logstore_evicted(const struct logstore *ls) { return ls->evicted; }

size_t logbuf_len(const struct logbuf *b) { return b ? b->n : 0; }
uint64_t logbuf_next_seq(const struct logbuf *b) { return b->next_seq; }
uint64_t logbuf_gen(const struct logbuf *b) { return b->gen; }
uint64_t logbuf_evicted(const struct logbuf *b) { return b->evicted; }
tns logbuf_evicted_until(const struct logbuf *b) { return b->evicted_until; }
tns logbuf_loaded_from(const struct logbuf *b) { return b->loaded_from; }
size_t logbuf_raw_bytes(const struct logbuf *b) { return b->raw; }

uint64_t
logbuf_min_seq(const struct logbuf *b)
{
	return b->ch0 < b->nch ? b->ch[b->ch0]->seq0 : b->next_seq;
}

uint64_t
logbuf_seq(const struct logbuf *b, size_t pos)
{
	return b->idx_base + b->idx[b->head + pos];
}

tns
logbuf_time(const struct logbuf *b, size_t pos)
{
	return time_at(b, pos);
}

const struct lrec *
logbuf_get(const struct logbuf *b, uint64_t seq, const char **text)
{
	struct lchunk *c = chunk_of(b, seq, NULL);
	const struct lrec *r;

	if (!c)
		return NULL;
	r = &c->rec[seq - c->seq0];
	if (LREC_FLAGS(r) & LR_DEAD)
		return NULL;
	if (text)
		*text = c->text ? c->text + r->off : "";
	return r;
}

size_t
logbuf_lower_bound(const struct logbuf *b, tns t)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (time_at(b, mid) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
logbuf_find(const struct logbuf *b, tns t, uint64_t seq)
{
	size_t p = logbuf_lower_bound(b, t);

	for (size_t q = p; q < b->n && time_at(b, q) == t; q++)
		if (logbuf_seq(b, q) == seq)
			return q;
	return p;
}

const struct labelset *
logbuf_stream(const struct logbuf *b, uint32_t id)
{
	return id < b->nstreams ? &b->streams[id] : NULL;
}

const struct log_gap *
logbuf_gap(const struct logbuf *b, uint32_t id)
{
	return id < b->ngaps ? &b->gaps[id] : NULL;
}

const struct lrec *
logbuf_walk(const struct logbuf *b, uint64_t *seq, const char **text)
{
	size_t slot;
	struct lchunk *c;

	while (*seq < b->next_seq) {
		if (*seq < logbuf_min_seq(b))
			*seq = logbuf_min_seq(b);
		if (!(c = chunk_of(b, *seq, &slot))) {
			/* in a freed chunk: jump to the next live one */
			size_t s = b->ch0;
			while (s < b->nch && (!b->ch[s] || b->ch[s]->seq0 + b->ch[s]->nrec <= *seq))
				s++;
			if (s >= b->nch)
				return NULL;
			*seq = b->ch[s]->seq0;
			continue;
		}
		for (uint64_t i = *seq - c->seq0; i < c->nrec; i++, (*seq)++) {
			const struct lrec *r = &c->rec[i];
			if (LREC_FLAGS(r) & LR_DEAD)
				continue;
			if (text)
				*text = c->text ? c->text + r->off : "";
			return r;
		}
	}
	return NULL;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
logstore_dump(const struct logstore *ls, FILE *f)
{
	const char **keys = xcalloc(ls->bufs.n + 1, sizeof *keys);
	size_t nk = 0, it = 0;
	const char *k;
	void *v;
	struct buf out;

	while (hmap_next(&ls->bufs, &it, &k, &v))
		keys[nk++] = k;
	qsort(keys, nk, sizeof *keys, key_cmp);
	buf_init(&out, 64u << 20);
	for (size_t i = 0; i < nk; i++) {
		const struct logbuf *b = logstore_get(ls, keys[i]);
		for (size_t p = 0; b && p < b->n; p++) {
			const char *text;
			const struct lrec *r = logbuf_get(b, logbuf_seq(b, p), &text);
			buf_reset(&out);
			san_to_buf(&out, keys[i], strlen(keys[i]), SAN_NO_TABS);
			buf_printf(&out, "\t%lld\t", (long long)r->t);
			if (LREC_FLAGS(r) & LR_GAP) {
				const struct log_gap *g = &b->gaps[r->stream];
				buf_printf(&out, "GAP\tkind=%u count=%llu until=%lld", g->kind,
				    (unsigned long long)g->count, (long long)g->until);
			} else {
				struct buf lb;
				buf_init(&lb, 1u << 20);
				labels_format(&b->streams[r->stream], &lb, 0);
				san_to_buf(&out, lb.data ? lb.data : "", lb.len, SAN_NO_TABS);
				buf_free(&lb);
				buf_putc(&out, '\t');
				san_to_buf(&out, text, LREC_LEN(r), SAN_NO_TABS);
			}
			buf_putc(&out, '\n');
			fwrite(out.data, 1, out.len, f);
		}
	}
	buf_free(&out);
	free(keys);
}
