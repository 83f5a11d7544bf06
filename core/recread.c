/* recread: open and validate a recording, the record cursor, verification.
 * Invariants after a successful open: every frame in chunks/notes lies
 * inside data[0, valid_end) with a verified header and payload checksum;
 * chunks are in file order; marks are sorted by rtime; warn holds at most
 * RECREAD_WARN_MAX messages (nwarn_total counts them all). */
#include "core/recread.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dashboard.h"
#include "core/store.h"
#include "core/xalloc.h"

static void warn(struct recread *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(struct recread *r, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	r->nwarn_total++;
	if (r->nwarn < RECREAD_WARN_MAX)
		r->warn[r->nwarn++] = xstrdup(tmp);
}

static char *
clock_of(tns t, char *buf, size_t n)
{
	ts_fmt_rfc3339(buf, n, t);
	return buf;
}

/* Header and payload of the frame at off; 0, or -1 with *why (allocated).
 * *short_ is set when the frame runs past the end of the data. */
static int
frame_at(const struct recread *r, uint64_t off, struct rec_frame *f, int *short_, char **why)
{
	*short_ = 0;
	if (off > r->len || r->len - off < REC_FRAME_HDR_LEN) {
		*short_ = 1;
		*why = xstrdup("incomplete frame header");
		return -1;
	}
	if (rec_get_frame_header(r->data + off, f, why) < 0)
		return -1;
	if (r->len - off - REC_FRAME_HDR_LEN < f->stored_len) {
		*short_ = 1;
		*why = xasprintf("frame payload of %u bytes runs past the end of the file", f->stored_len);
		return -1;
	}
	if (rec_crc32(0, r->data + off + REC_FRAME_HDR_LEN, f->stored_len) != f->crc) {
		*why = xstrdup("frame payload is corrupt (checksum mismatch)");
		return -1;
	}
	return 0;
}

/* Decompress (or copy) a verified frame's payload into *buf. */
static int
payload(const struct recread *r, uint64_t off, const struct rec_frame *f, uint8_t **buf,
    size_t *cap, char **why)
{
	const uint8_t *src = r->data + off + REC_FRAME_HDR_LEN;

	if (*cap < (size_t)f->raw_len + 1) {
		free(*buf);
		*cap = (size_t)f->raw_len + 1;
		*buf = xmalloc(*cap);
	}
	if (f->codec == RC_STORED) {
		memcpy(*buf, src, f->raw_len);
		return 0;
	}
	return rec_decompress(src, f->stored_len, *buf, f->raw_len, why);
}

/* ------------------------------------------------------------- header */

static int
parse_num(const char *s, size_t n, tns *out)
{
	char tmp[32];
	char *end;
	long long v;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static void
add_source(struct recread *r, const char *s, size_t n)
{
	char *line = xstrndup(s, n), *f[4] = { NULL, NULL, NULL, NULL }, *p = line;
	struct rec_src *src;

	for (int i = 0; i < 4 && p; i++) {
		f[i] = p;
		if ((p = strchr(p, '\x1f')))
			*p++ = '\0';
	}
	if (r->nsrc < 256 && f[0] && f[1] && *f[0]) {
		r->src = xreallocarray(r->src, r->nsrc + 1, sizeof *r->src);
		src = &r->src[r->nsrc++];
		src->name = xstrdup(f[0]);
		src->type = xstrdup(f[1]);
		src->state = xstrdup(f[2] ? f[2] : "ok");
		src->message = xstrdup(f[3] ? f[3] : "");
	}
	free(line);
}

static int
parse_header(struct recread *r, const uint8_t *p, size_t n, char **why)
{
	struct rd rd;
	uint64_t nf, tag;

	rd_init(&rd, p, n);
	if (rd_uvarint(&rd, &nf) < 0 || nf > 100000) {
		*why = xstrdup("malformed header field count");
		return -1;
	}
	for (uint64_t i = 0; i < nf; i++) {
		const char *s;
		size_t len;
		if (rd_uvarint(&rd, &tag) < 0 || rd_str(&rd, &s, &len, REC_HEADER_FIELD_MAX) < 0) {
			*why = xasprintf("header field %" PRIu64 " is truncated", i);
			return -1;
		}
		switch (tag) {
		case RH_SCRY_VERSION: free(r->scry_version); r->scry_version = xstrndup(s, len); break;
		case RH_DASH_NAME: free(r->dash_name); r->dash_name = xstrndup(s, len); break;
		case RH_DASH_TEXT:
			if (len > DASH_FILE_MAX) {
				*why = xasprintf("the dashboard in the header is larger than %d bytes",
				    DASH_FILE_MAX);
				return -1;
			}
			free(r->dash_text);
			r->dash_text = xstrndup(s, len);
			break;
		case RH_CREATED: parse_num(s, len, &r->created); break;
		case RH_RANGE: parse_num(s, len, &r->range); break;
		case RH_DIGEST_VERSION: {
			tns dv = 0;
			parse_num(s, len, &dv);
			r->digest_version = dv > 0 && dv < 1000000 ? (int)dv : 0;
			break;
		}
		case RH_SOURCE: add_source(r, s, len); break;
		default: break;	/* a newer scry's field: ignored */
		}
	}
	if (!r->dash_text) {
		*why = xstrdup("header has no dashboard");
		return -1;
	}
	return 0;
}

static int
read_header(struct recread *r, uint64_t *next, char **err)
{
	struct rec_frame f;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int sh;
	char *why = NULL;

	if (frame_at(r, REC_PREAMBLE_LEN, &f, &sh, &why) < 0 || (f.type != RF_HEADER &&
	    (why = xasprintf("first frame has type %u, expected the header", f.type))) ||
	    payload(r, REC_PREAMBLE_LEN, &f, &buf, &cap, &why) < 0 ||
	    parse_header(r, buf, f.raw_len, &why) < 0) {
		*err = xasprintf("byte %d: recording header: %s", REC_PREAMBLE_LEN, why);
		free(why);
		free(buf);
		return -1;
	}
	free(buf);
	*next = REC_PREAMBLE_LEN + REC_FRAME_HDR_LEN + (uint64_t)f.stored_len;
	return 0;
}

/* ------------------------------------------------------ marks and keys */

static void
add_key(struct recread *r, const char *k, size_t n)
{
	char tmp[256], *key;

	if (!n || r->nkeys >= REC_KEYS_MAX || n > REC_KEY_MAX)
		return;
	key = n < sizeof tmp ? tmp : xmalloc(n + 1);
	memcpy(key, k, n);
	key[n] = '\0';
	if (!hmap_get(&r->keys, key)) {
		hmap_put(&r->keys, key, (void *)1);
		r->nkeys++;
	}
	if (key != tmp)
		free(key);
}

static void
add_mark(struct rec_mark **v, size_t *n, tns rtime, struct event *ev)
{
	size_t i;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	for (i = *n; i > 0 && (*v)[i - 1].rtime > rtime; i--)
		(*v)[i] = (*v)[i - 1];
	(*v)[i].rtime = rtime;
	(*v)[i].ev = ev;
	(*n)++;
}

/* Keep an alerts/annotation event for the timeline (bounded). */
static void
keep_mark(struct recread *r, tns rtime, const uint8_t *p, size_t n, size_t *budget)
{
	struct rd rd;
	char *why = NULL;
	struct event *ev;

	if (n > *budget)
		return;
	rd_init(&rd, p, n);
	if (!(ev = event_decode(&rd, &why))) {
		free(why);
		return;
	}
	if (ev->kind != EV_ALERTS && ev->kind != EV_ANNOTATION) {
		event_free(ev);
		return;
	}
	*budget -= n;
	add_mark(&r->marks, &r->nmarks, rtime, ev);
}

struct last_alerts {
	const uint8_t	*p;
	size_t		 n;
};

/* Has this key's alert list changed since the last snapshot?  Compares
 * the payload only (not the event time). */
static int
alerts_changed(struct hmap *last, const char *key, size_t klen, const uint8_t *p, size_t n)
{
	char kb[512], *kp = klen < sizeof kb ? kb : xmalloc(klen + 1);
	struct last_alerts *l;
	int changed = 1;

	memcpy(kp, key, klen);
	kp[klen] = '\0';
	if (!(l = hmap_get(last, kp))) {
		l = xcalloc(1, sizeof *l);
		hmap_put(last, kp, l);
	} else if (l->n == n && memcmp(l->p, p, n) == 0)
		changed = 0;
	if (changed) {
		free((void *)l->p);
		l->p = xmalloc(n ? n : 1);
		memcpy((void *)l->p, p, n);
		l->n = n;
	}
	if (kp != kb)
		free(kp);
	return changed;
}

static void
free_last(struct hmap *last)
{
	size_t it = 0;
	const char *k;
	void *v;

	while (hmap_next(last, &it, &k, &v)) {
		free((void *)((struct last_alerts *)v)->p);
		free(v);
	}
	hmap_free(last, NULL);
}

/* Scan-mode: keys and marks from every record of every chunk. */
static void
collect_from_chunks(struct recread *r)
{
	struct rec_cursor c;
	struct rec_record rec;
	struct hmap last;
	size_t budget = RECREAD_MARKS_MAX;

	hmap_init(&last);
	reccur_init(&c, r);
	while (reccur_next(&c, INT64_MAX, &rec)) {
		uint64_t kind;
		const char *key;
		size_t klen, off;

		if (rec.type == RR_END && rec.t > r->t_end)
			r->t_end = rec.t;
		if (rec.type != RR_EVENT ||
		    rec_event_head(rec.p, rec.len, &kind, &key, &klen, &off) < 0)
			continue;
		add_key(r, key, klen);
		if (kind == EV_ANNOTATION || (kind == EV_ALERTS &&
		    alerts_changed(&last, key, klen, rec.p + off, rec.len - off)))
			keep_mark(r, rec.t, rec.p, rec.len, &budget);
	}
	if (c.bad)
		warn(r, "%" PRIu64 " chunk%s could not be read: %s", c.bad, c.bad == 1 ? "" : "s",
		    c.err ? c.err : "?");
	reccur_free(&c);
	free_last(&last);
}

/* Annotations appended with :w. */
static void
read_notes(struct recread *r)
{
	uint8_t *buf = NULL;
	size_t cap = 0;

	for (size_t i = 0; i < r->nnotes; i++) {
		const struct recread_frame *fr = &r->notes[i];
		struct rec_record rec;
		struct rd rd;
		tns prev = fr->h.t_first;
		char *why = NULL;
		int rc;

		if (payload(r, fr->off, &fr->h, &buf, &cap, &why) < 0) {
			warn(r, "byte %" PRIu64 ": notes frame unreadable: %s", fr->off, why);
			free(why);
			continue;
		}
		rd_init(&rd, buf, fr->h.raw_len);
		while ((rc = rec_get_record(&rd, &prev, &rec, &why)) == 1) {
			struct rd er;
			struct event *ev;
			if (rec.type != RR_EVENT || r->nadded >= 10000)
				continue;
			rd_init(&er, rec.p, rec.len);
			if (!(ev = event_decode(&er, &why))) {
				free(why);
				why = NULL;
				continue;
			}
			if (ev->kind == EV_ANNOTATION)
				add_mark(&r->added, &r->nadded, rec.t, ev);
			else
				event_free(ev);
		}
		if (rc < 0) {
			warn(r, "byte %" PRIu64 ": notes frame: %s", fr->off, why);
			free(why);
		}
	}
	free(buf);
}

/* ---------------------------------------------------------------- index */

static void
add_frame(struct recread *r, uint64_t off, const struct rec_frame *f, uint32_t kinds)
{
	struct recread_frame **v = f->type == RF_CHUNK ? &r->chunks : &r->notes;
	size_t *n = f->type == RF_CHUNK ? &r->nchunks : &r->nnotes;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].off = off;
	(*v)[*n].h = *f;
	(*v)[*n].kinds = kinds;
	(*n)++;
}

static void
reset_tables(struct recread *r)
{
	free(r->chunks);
	free(r->notes);
	r->chunks = r->notes = NULL;
	r->nchunks = r->nnotes = 0;
	hmap_free(&r->keys, NULL);
	hmap_init(&r->keys);
	r->nkeys = 0;
	for (size_t i = 0; i < r->nmarks; i++)
		event_free(r->marks[i].ev);
	free(r->marks);
	r->marks = NULL;
	r->nmarks = 0;
}

static int
index_marks(struct recread *r, const uint8_t *p, size_t n, char **why)
{
	struct rd rd;
	struct rec_record rec;
	tns prev = 0;
	size_t budget = RECREAD_MARKS_MAX;
	int rc;

	rd_init(&rd, p, n);
	while ((rc = rec_get_record(&rd, &prev, &rec, why)) == 1)
		if (rec.type == RR_EVENT)
			keep_mark(r, rec.t, rec.p, rec.len, &budget);
	return rc;
}

/* Decode an index payload and check every frame it names. */
static int
parse_index(struct recread *r, const uint8_t *p, size_t n, uint64_t index_off, char **why)
{
	struct rd rd;
	uint64_t nf, nk, off = 0, type, span, nrec, kinds, dropped;
	int64_t tf, tend;
	const char *s;
	size_t len;

	rd_init(&rd, p, n);
	if (rd_uvarint(&rd, &nf) < 0 || nf > REC_FRAMES_MAX) {
		*why = xstrdup("bad frame count");
		return -1;
	}
	for (uint64_t i = 0; i < nf; i++) {
		struct rec_frame f;
		uint64_t d;
		int sh;
		if (rd_uvarint(&rd, &d) < 0 || rd_uvarint(&rd, &type) < 0 || rd_svarint(&rd, &tf) < 0 ||
		    rd_uvarint(&rd, &span) < 0 || rd_uvarint(&rd, &nrec) < 0 ||
		    rd_uvarint(&rd, &kinds) < 0) {
			*why = xstrdup("frame table is truncated");
			return -1;
		}
		off += d;
		if (off >= index_off || frame_at(r, off, &f, &sh, why) < 0) {
			if (!*why)
				*why = xasprintf("frame %" PRIu64 " lies outside the file", i);
			return -1;
		}
		if (f.type != type || f.t_first != tf || f.nrecords != nrec ||
		    (f.type != RF_CHUNK && f.type != RF_NOTES)) {
			*why = xasprintf("frame table entry %" PRIu64 " does not match byte %" PRIu64, i, off);
			return -1;
		}
		add_frame(r, off, &f, (uint32_t)kinds);
	}
	if (rd_uvarint(&rd, &nk) < 0 || nk > REC_KEYS_MAX) {
		*why = xstrdup("bad key count");
		return -1;
	}
	for (uint64_t i = 0; i < nk; i++) {
		if (rd_str(&rd, &s, &len, REC_KEY_MAX) < 0) {
			*why = xstrdup("key dictionary is truncated");
			return -1;
		}
		add_key(r, s, len);
	}
	if (rd_svarint(&rd, &tend) < 0 || rd_uvarint(&rd, &dropped) < 0 ||
	    rd_str(&rd, &s, &len, REC_RAW_MAX) < 0) {
		*why = xstrdup("index tail is truncated");
		return -1;
	}
	r->t_end = tend;
	r->dropped = dropped;
	return index_marks(r, (const uint8_t *)s, len, why) < 0 ? -1 : 0;
}

static int
try_index(struct recread *r, uint64_t first)
{
	uint64_t ioff;
	struct rec_frame f;
	uint8_t *buf = NULL;
	size_t cap = 0;
	char *why = NULL;
	int sh;

	if (r->len < first + REC_TRAILER_LEN ||
	    rec_get_trailer(r->data + r->len - REC_TRAILER_LEN, &ioff) < 0) {
		warn(r, "byte %zu: no index at the end (the recording was not closed cleanly); "
		    "read by scanning", r->len);
		return -1;
	}
	if (ioff < first || ioff > r->len - REC_TRAILER_LEN || frame_at(r, ioff, &f, &sh, &why) < 0 ||
	    f.type != RF_INDEX || ioff + REC_FRAME_HDR_LEN + f.stored_len != r->len - REC_TRAILER_LEN ||
	    payload(r, ioff, &f, &buf, &cap, &why) < 0 ||
	    parse_index(r, buf, f.raw_len, ioff, &why) < 0) {
		warn(r, "byte %" PRIu64 ": the index is unusable (%s); rebuilt by scanning",
		    ioff, why ? why : "not an index frame");
		free(why);
		free(buf);
		reset_tables(r);
		return -1;
	}
	free(buf);
	r->valid_end = r->len;
	r->indexed = 1;
	return 0;
}

/* ----------------------------------------------------------------- scan */

static uint64_t
resync(const struct recread *r, uint64_t from)
{
	while (from + REC_FRAME_HDR_LEN <= r->len) {
		const uint8_t *m = memmem(r->data + from, r->len - from, REC_FRAME_MAGIC, 4);
		struct rec_frame f;
		char *why = NULL;
		if (!m)
			break;
		from = (uint64_t)(m - r->data);
		if (r->len - from >= REC_FRAME_HDR_LEN && rec_get_frame_header(m, &f, &why) == 0)
			return from;
		free(why);
		from++;
	}
	return r->len;
}

static void
scan(struct recread *r, uint64_t off)
{
	char a[40], b[40];

	while (off < r->len) {
		struct rec_frame f;
		char *why = NULL;
		int sh;
		uint64_t ioff;

		if (r->len - off == REC_TRAILER_LEN && rec_get_trailer(r->data + off, &ioff) == 0)
			break;
		if (frame_at(r, off, &f, &sh, &why) < 0) {
			if (sh) {
				warn(r, "byte %" PRIu64 ": recording is truncated (%s); the last %" PRIu64
				    " bytes are ignored", off, why, (uint64_t)(r->len - off));
				free(why);
				break;
			}
			uint64_t next = resync(r, off + 1);
			char *why2 = NULL;
			if (rec_get_frame_header(r->data + off, &f, &why2) == 0 && f.type == RF_CHUNK)
				warn(r, "byte %" PRIu64 ": corrupt chunk skipped (%s to %s lost)", off,
				    clock_of(f.t_first, a, sizeof a), clock_of(f.t_last, b, sizeof b));
			else
				warn(r, "byte %" PRIu64 ": corrupt frame skipped (%s)", off, why);
			free(why);
			free(why2);
			off = next;
			continue;
		}
		if (r->nchunks + r->nnotes >= REC_FRAMES_MAX) {
			warn(r, "byte %" PRIu64 ": more than %u frames; the rest is ignored", off,
			    REC_FRAMES_MAX);
			break;
		}
		if (f.type == RF_CHUNK || f.type == RF_NOTES)
			add_frame(r, off, &f, 0);
		else if (f.type != RF_INDEX)
			warn(r, "byte %" PRIu64 ": frame of unknown type %u skipped", off, f.type);
		off += REC_FRAME_HDR_LEN + (uint64_t)f.stored_len;
		r->valid_end = off;
	}
}

/* ----------------------------------------------------------------- open */

struct recread *
recread_open_mem(const void *p, size_t len, char **err)
{
	struct recread *r;
	uint64_t first;

	*err = NULL;
	if (len > REC_FILE_MAX) {
		*err = xasprintf("recording is larger than %llu bytes", (unsigned long long)REC_FILE_MAX);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->data = xmalloc(len ? len : 1);
	memcpy(r->data, p, len);
	r->len = len;
	hmap_init(&r->keys);
	r->t_start = r->t_end = TNS_NONE;
	if (rec_get_preamble(r->data, len, &r->version, err) < 0 || read_header(r, &first, err) < 0) {
		recread_free(r);
		return NULL;
	}
	r->valid_end = first;
	if (try_index(r, first) < 0) {
		scan(r, first);
		collect_from_chunks(r);
	}
	for (size_t i = 0; i < r->nchunks; i++) {
		const struct rec_frame *f = &r->chunks[i].h;
		r->nrecords += f->nrecords;
		if (!r->indexed)
			r->dropped += f->aux;
		if (r->t_start == TNS_NONE || f->t_first < r->t_start)
			r->t_start = f->t_first;
		if (r->t_end == TNS_NONE || f->t_last > r->t_end)
			r->t_end = f->t_last;
	}
	if (r->t_start == TNS_NONE)
		r->t_start = r->t_end = r->created;
	read_notes(r);
	return r;
}

struct recread *
recread_open(const char *path, char **err)
{
	struct stat st;
	struct recread *r;
	uint8_t *data;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*err = xasprintf("cannot open recording %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*err = xasprintf("%s is not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > REC_FILE_MAX) {
		*err = xasprintf("%s: recording is larger than %llu bytes", path,
		    (unsigned long long)REC_FILE_MAX);
		close(fd);
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	r = recread_open_mem(data, got, err);
	free(data);
	if (!r) {
		char *e = xasprintf("%s: %s", path, *err);
		free(*err);
		*err = e;
		return NULL;
	}
	r->path = xstrdup(path);
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	return r;
}

void
recread_free(struct recread *r)
{
	if (!r)
		return;
	reset_tables(r);
	hmap_free(&r->keys, NULL);
	for (size_t i = 0; i < r->nadded; i++)
		event_free(r->added[i].ev);
	free(r->added);
	for (size_t i = 0; i < r->nsrc; i++) {
		free(r->src[i].name);
		free(r->src[i].type);
		free(r->src[i].state);
		free(r->src[i].message);
	}
	free(r->src);
	for (size_t i = 0; i < r->nwarn; i++)
		free(r->warn[i]);
	free(r->scry_version);
	free(r->dash_name);
	free(r->dash_text);
	free(r->path);
	free(r->data);
	free(r);
}

int
recread_has_key(const struct recread *r, const char *key)
{
	return hmap_get(&r->keys, key) != NULL;
}

/* --------------------------------------------------------------- cursor */

void
reccur_init(struct rec_cursor *c, const struct recread *r)
{
	memset(c, 0, sizeof *c);
	c->r = r;
}

void
reccur_free(struct rec_cursor *c)
{
	free(c->raw);
	free(c->err);
	memset(c, 0, sizeof *c);
}

void
reccur_rewind(struct rec_cursor *c)
{
	c->next = 0;
	c->have = 0;
	c->has_pend = 0;
	c->gap = 0;
}

static void
cursor_bad(struct rec_cursor *c, const struct recread_frame *fr, const char *why)
{
	char a[40];

	c->bad++;
	free(c->err);
	c->err = xasprintf("byte %" PRIu64 ": chunk at %s: %s", fr->off,
	    clock_of(fr->h.t_first, a, sizeof a), why);
}

static int
load_next(struct rec_cursor *c, tns until)
{
	const struct recread_frame *fr;
	char *why = NULL;

	if (c->next >= c->r->nchunks)
		return 0;
	fr = &c->r->chunks[c->next];
	if (fr->h.t_first > until)
		return 0;
	c->next++;
	if (payload(c->r, fr->off, &fr->h, &c->raw, &c->cap, &why) < 0) {
		cursor_bad(c, fr, why);
		free(why);
		return 1;	/* skipped; try the next one */
	}
	rd_init(&c->rd, c->raw, fr->h.raw_len);
	c->prev = fr->h.t_first;
	c->have = 1;
	c->gap = fr->h.aux;
	return 1;
}

int
reccur_next(struct rec_cursor *c, tns until, struct rec_record *out)
{
	for (;;) {
		if (c->has_pend) {
			if (c->pend.t > until)
				return 0;
			*out = c->pend;
			c->has_pend = 0;
			return 1;
		}
		if (!c->have) {
			if (!load_next(c, until))
				return 0;
			continue;
		}
		char *why = NULL;
		int rc = rec_get_record(&c->rd, &c->prev, &c->pend, &why);
		if (rc == 1) {
			c->has_pend = 1;
			continue;
		}
		if (rc < 0) {
			cursor_bad(c, &c->r->chunks[c->next - 1], why);
			free(why);
		}
		c->have = 0;
	}
}

tns
reccur_peek_time(struct rec_cursor *c)
{
	struct rec_record rec;

	if (!reccur_next(c, INT64_MAX, &rec))
		return TNS_NONE;
	c->pend = rec;	/* push back: rec still points into the current chunk */
	c->has_pend = 1;
	return rec.t;
}

/* --------------------------------------------------------------- verify */

static void
problem(struct rec_verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
problem(struct rec_verify *v, const char *fmt, ...)
{
	va_list ap;

	if (v->first_problem[0])
		return;
	va_start(ap, fmt);
	vsnprintf(v->first_problem, sizeof v->first_problem, fmt, ap);
	va_end(ap);
}

int
recread_verify(const struct recread *r, struct store *st, struct rec_verify *v)
{
	struct rec_cursor c;
	struct rec_record rec;
	char ts[40];

	memset(v, 0, sizeof *v);
	reccur_init(&c, r);
	while (reccur_next(&c, INT64_MAX, &rec)) {
		if (rec.type == RR_EVENT) {
			struct rd rd;
			char *why = NULL;
			struct event *ev;
			uint64_t kind;
			const char *key;
			size_t kl;
			size_t off;
			if (rec_event_head(rec.p, rec.len, &kind, &key, &kl, &off) == 0 &&
			    !event_ops((enum ev_kind)(kind < EV_KIND_MAX ? kind : 0))) {
				v->unknown++;	/* a kind this scry does not know: skipped */
				continue;
			}
			rd_init(&rd, rec.p, rec.len);
			if (!(ev = event_decode(&rd, &why))) {
				v->bad_events++;
				problem(v, "event at %s: %s", clock_of(rec.t, ts, sizeof ts), why);
				free(why);
				continue;
			}
			v->events++;
			if (st)
				store_apply(st, ev);
			event_free(ev);
		} else if (rec.type == RR_DIGEST && st && rec.len == 8 &&
		    r->digest_version != STORE_DIGEST_VERSION) {
			v->digests_skipped++;
		} else if (rec.type == RR_DIGEST && st && rec.len == 8) {
			uint64_t want = 0, got = store_digest(st, rec.t);
			for (int i = 0; i < 8; i++)
				want |= (uint64_t)rec.p[i] << (8 * i);
			v->digests++;
			if (want != got) {
				v->digest_mismatch++;
				problem(v, "store digest differs at %s (recorded %016" PRIx64
				    ", replayed %016" PRIx64 ")", clock_of(rec.t, ts, sizeof ts), want, got);
			}
		}
	}
	v->bad_chunks = c.bad;
	if (c.bad)
		problem(v, "%s", c.err);
	reccur_free(&c);
	return v->bad_events || v->digest_mismatch || v->bad_chunks ? -1 : 0;
}
