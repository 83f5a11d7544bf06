/* logfilter: filter/search masks per key, updated incrementally.
 * Invariants: for every bit b in use and every seq in [km.lo[b], km.hi),
 * bit b of m[seq - base] is the pattern's verdict on that line; seqs below
 * the store's min_seq are never consulted (evicted lines). */
#include "widgets/logfilter.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/regex.h"
#include "core/xalloc.h"

/* The clock is read every CHECK_EVERY lines and after every backfill
 * chunk: a line costs up to ~0.5 ms when a pattern runs into its match
 * limit (JIT), so 16 lines overshoot the frame's budget by <= ~8 ms and
 * keys keep answering while a catastrophic filter runs (T11). */
#define BACKFILL_CHUNK	16
#define CHECK_EVERY	16

static int64_t
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
lfset_init(struct lfset *s)
{
	memset(s, 0, sizeof *s);
}

static void
mask_reset(struct lmask *k)
{
	free(k->m);
	free(k->key);
	memset(k, 0, sizeof *k);
}

void
lfset_free(struct lfset *s)
{
	for (int i = 0; i < LF_MAX; i++) {
		free(s->f[i].pat);
		rx_free(s->f[i].rx);
	}
	rx_free(s->search);
	free(s->search_pat);
	for (size_t i = 0; i < LF_KEYS; i++)
		mask_reset(&s->km[i]);
	memset(s, 0, sizeof *s);
}

static struct rx *
bit_rx(const struct lfset *s, int b)
{
	return b == LF_SEARCH ? s->search : s->f[b].rx;
}

/* A pattern (re)starts: nothing is computed for it below hi. */
static void
bit_restart(struct lfset *s, int b)
{
	for (size_t i = 0; i < LF_KEYS; i++)
		s->km[i].lo[b] = s->km[i].hi;
	s->gen++;
}

/* A pattern went away: LF_LIMIT says "some pattern hit its limit on
 * this line", so the marks (and the count) are dropped and the patterns
 * left are run again over the lines, marking what they hit themselves.
 * Nothing to redo when no pattern hit a limit (the usual case). */
static void
limits_forget(struct lfset *s)
{
	if (!s->limit_lines)
		return;
	for (size_t i = 0; i < LF_KEYS; i++)
		for (size_t j = 0; j < s->km[i].n; j++)
			s->km[i].m[j] &= (uint8_t)~LF_LIMIT;
	s->limit_lines = 0;
	for (int b = 0; b < LF_NBITS; b++)
		if (bit_rx(s, b))
			bit_restart(s, b);
}

int
lfset_add(struct lfset *s, const char *pat, int exclude, char **err)
{
	struct rx *r;
	int slot = -1;

	for (int i = 0; i < LF_MAX && slot < 0; i++)
		if (!s->f[i].pat)
			slot = i;
	if (slot < 0) {
		*err = xasprintf("at most %d filters; x removes the newest, X clears all", LF_MAX);
		return -1;
	}
	if (!(r = rx_compile(pat, strlen(pat), RX_SMARTCASE, err)))
		return -1;
	s->f[slot] = (struct lfilter){ xstrdup(pat), exclude, 1, r };
	bit_restart(s, slot);
	return slot;
}

void
lfset_remove(struct lfset *s, int slot)
{
	if (slot < 0 || slot >= LF_MAX || !s->f[slot].pat)
		return;
	free(s->f[slot].pat);
	rx_free(s->f[slot].rx);
	memset(&s->f[slot], 0, sizeof s->f[slot]);
	limits_forget(s);
	s->gen++;
}

void
lfset_toggle(struct lfset *s, int slot)
{
	if (slot >= 0 && slot < LF_MAX && s->f[slot].pat) {
		s->f[slot].on = !s->f[slot].on;
		s->gen++;
	}
}

int
lfset_count(const struct lfset *s)
{
	int n = 0;
	for (int i = 0; i < LF_MAX; i++)
		n += s->f[i].pat != NULL;
	return n;
}

int
lfset_newest(const struct lfset *s)
{
	for (int i = LF_MAX - 1; i >= 0; i--)
		if (s->f[i].pat)
			return i;
	return -1;
}

int
lfset_active(const struct lfset *s)
{
	for (int i = 0; i < LF_MAX; i++)
		if (s->f[i].pat && s->f[i].on)
			return 1;
	return 0;
}

int
lfset_search(struct lfset *s, const char *pat, char **err)
{
	struct rx *r = NULL;

	if (pat && *pat && !(r = rx_compile(pat, strlen(pat), RX_SMARTCASE, err)))
		return -1;
	rx_free(s->search);
	free(s->search_pat);
	s->search = NULL;
	limits_forget(s);
	s->search = r;
	s->search_pat = r ? xstrdup(pat) : NULL;
	bit_restart(s, LF_SEARCH);
	return 0;
}

void
lfset_bind(struct lfset *s, size_t i, const char *key)
{
	struct lmask *k;

	if (i >= LF_KEYS)
		return;
	if (i >= s->nk)
		s->nk = i + 1;
	k = &s->km[i];
	if (k->key && key && strcmp(k->key, key) == 0)
		return;
	mask_reset(k);
	k->key = key ? xstrdup(key) : NULL;
}

/* Make m cover [min_seq, next_seq). */
static void
mask_fit(struct lmask *k, uint64_t min_seq, uint64_t next_seq)
{
	if (!k->m || min_seq < k->base) {
		/* first use (or a key restarted): everything from min_seq */
		free(k->m);
		k->base = min_seq;
		k->n = k->cap = 0;
		k->m = NULL;
		k->hi = min_seq;
		for (int b = 0; b < LF_NBITS; b++)
			k->lo[b] = min_seq;
	}
	if (min_seq > k->base && min_seq - k->base >= 65536 && min_seq - k->base > k->n / 2) {
		size_t drop = (size_t)(min_seq - k->base);
		if (drop > k->n)
			drop = k->n;
		memmove(k->m, k->m + drop, k->n - drop);
		k->n -= drop;
		k->base += drop;
	}
	if (next_seq - k->base > k->n) {
		size_t need = (size_t)(next_seq - k->base);
		if (need > k->cap) {
			size_t cap = k->cap ? k->cap : 4096;
			while (cap < need)
				cap *= 2;
			k->m = xrealloc(k->m, cap);
			k->cap = cap;
		}
		memset(k->m + k->n, 0, need - k->n);
		k->n = need;
	}
}

static uint8_t
eval(struct lfset *s, unsigned bits, const struct lrec *r, const char *text)
{
	uint8_t out = 0;
	int valid = !(LREC_FLAGS(r) & LR_BADUTF);

	if (LREC_FLAGS(r) & LR_GAP)
		return 0;
	for (int b = 0; b < LF_NBITS; b++) {
		struct rx *x;
		int m;
		if (!(bits & (1u << b)) || !(x = bit_rx(s, b)))
			continue;
		m = rx_match(x, text, LREC_LEN(r), 0, valid, 0, NULL, NULL);
		if (m == RX_MATCH)
			out |= (uint8_t)(1u << b);
		else if (m == RX_LIMIT)
			out |= LF_LIMIT;
	}
	return out;
}

static unsigned
bits_in_use(const struct lfset *s)
{
	unsigned u = 0;
	for (int b = 0; b < LF_NBITS; b++)
		if (bit_rx(s, b))
			u |= 1u << b;
	return u;
}

static void
store_bits(struct lfset *s, struct lmask *k, uint64_t seq, unsigned bits, uint8_t v)
{
	uint8_t *p = &k->m[seq - k->base];

	if ((v & LF_LIMIT) && !(*p & LF_LIMIT))
		s->limit_lines++;		/* lines, not (line, pattern) pairs */
	*p = (uint8_t)((*p & ~bits) | v);	/* LF_LIMIT stays until limits_forget() */
}

/* New lines: every pattern in use, from hi to the newest seq. */
static int
update_new(struct lfset *s, struct lmask *k, const struct logbuf *b, unsigned use, int64_t deadline)
{
	uint64_t seq = k->hi, next = logbuf_next_seq(b);
	const struct lrec *r;
	const char *text;
	unsigned n = 0;

	while (seq < next && (r = logbuf_walk(b, &seq, &text))) {
		store_bits(s, k, seq, use, eval(s, use, r, text));
		seq++;
		k->hi = seq;
		if (++n % CHECK_EVERY == 0 && now_us() > deadline)
			return 1;
	}
	k->hi = next;
	return 0;
}

/* Older lines for one pattern, newest chunk first. */
static int
update_old(struct lfset *s, struct lmask *k, const struct logbuf *b, int bit, int64_t deadline)
{
	uint64_t min = logbuf_min_seq(b);

	if (k->lo[bit] < min)
		k->lo[bit] = min;
	while (k->lo[bit] > min) {
		uint64_t from = k->lo[bit] > min + BACKFILL_CHUNK ? k->lo[bit] - BACKFILL_CHUNK : min;
		uint64_t seq = from, end = k->lo[bit];
		const struct lrec *r;
		const char *text;
		while (seq < end && (r = logbuf_walk(b, &seq, &text)) && seq < end) {
			store_bits(s, k, seq, 1u << bit, eval(s, 1u << bit, r, text));
			seq++;
		}
		k->lo[bit] = from;
		if (now_us() > deadline)
			return k->lo[bit] > min;
	}
	return 0;
}

int
lfset_update(struct lfset *s, size_t i, const struct logbuf *b, int64_t *budget_us)
{
	struct lmask *k;
	unsigned use = bits_in_use(s);
	int64_t t0 = now_us(), deadline = t0 + *budget_us;
	int more = 0;

	if (i >= s->nk || !b || !use)
		return 0;
	k = &s->km[i];
	mask_fit(k, logbuf_min_seq(b), logbuf_next_seq(b));
	if (k->hi < k->base)
		k->hi = k->base;
	more = update_new(s, k, b, use, deadline);
	for (int bit = 0; bit < LF_NBITS && !more; bit++)
		if (use & (1u << bit))
			more = update_old(s, k, b, bit, deadline);
	*budget_us -= now_us() - t0;
	return more;
}

static int
known(const struct lmask *k, uint64_t seq, int b)
{
	return seq >= k->lo[b] && seq < k->hi && seq >= k->base && seq - k->base < k->n;
}

int
lfset_pass(const struct lfset *s, size_t i, uint64_t seq, int *search, int *limit)
{
	const struct lmask *k = i < s->nk ? &s->km[i] : NULL;
	int any_in = 0, in_hit = 0, unknown = 0;
	uint8_t m = 0;

	if (k && seq >= k->base && seq - k->base < k->n)
		m = k->m[seq - k->base];
	if (search)
		*search = !s->search ? 0 : !k || !known(k, seq, LF_SEARCH) ? -1 : !!(m & (1u << LF_SEARCH));
	if (limit)
		*limit = !!(m & LF_LIMIT);
	for (int b = 0; b < LF_MAX; b++) {
		const struct lfilter *f = &s->f[b];
		if (!f->pat || !f->on)
			continue;
		if (!k || !known(k, seq, b)) {
			unknown = 1;
			continue;
		}
		if (f->exclude) {
			if (m & (1u << b))
				return 0;
		} else {
			any_in = 1;
			in_hit |= !!(m & (1u << b));
		}
	}
	if (unknown)
		return -1;
	return !any_in || in_hit;
}

double
lfset_progress(const struct lfset *s, size_t i, const struct logbuf *b)
{
	const struct lmask *k = i < s->nk ? &s->km[i] : NULL;
	uint64_t min, next, total = 0, done = 0;
	unsigned use = bits_in_use(s);

	if (!k || !b || !use)
		return 1;
	min = logbuf_min_seq(b);
	next = logbuf_next_seq(b);
	for (int bit = 0; bit < LF_NBITS; bit++) {
		uint64_t lo, hi;
		if (!(use & (1u << bit)))
			continue;
		lo = k->lo[bit] > min ? k->lo[bit] : min;
		hi = k->hi < next ? k->hi : next;
		total += next - min;
		done += hi > lo ? hi - lo : 0;
	}
	return total ? (double)done / (double)total : 1;
}

int
lfset_search_line(struct lfset *s, const char *text, size_t len, int valid_utf)
{
	int m;

	if (!s->search)
		return 0;
	m = rx_match(s->search, text, len, 0, valid_utf, 0, NULL, NULL);
	return m == RX_MATCH;
}
