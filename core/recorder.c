/* recorder: the open chunk (caller's thread), the bounded queue and the
 * writer thread that compresses and appends frames.
 * Invariants: only the writer touches fd/off/frames while it runs; the
 * queue never holds more than queue_bytes raw bytes; every recorded or
 * dropped event is counted exactly once. */
#include "core/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/dashboard.h"
#include "core/hmap.h"
#include "core/secret.h"
#include "core/store.h"
#include "core/xalloc.h"

#define EVENT_MAX	(32u << 20)	/* one encoded event */
#define CHUNK_MAX	(48u << 20)	/* chunk_bytes + one event: < REC_STORED_MAX */
#define MARKS_MAX	(16u << 20)	/* alerts + annotations kept for the index */

struct job {
	struct job		*next;
	char			*raw;
	size_t			 len;
	struct rec_frame	 f;
	uint32_t		 kinds;
	uint32_t		 events;
	int			 final;		/* write index + trailer after it */
	struct buf		 index;		/* final job: keys and marks part */
};

struct recorder {
	int			 fd;
	struct rec_opts		 o;
	/* caller's side */
	struct buf		 cur;
	tns			 cur_prev, cur_first, cur_last;
	uint32_t		 cur_n, cur_events, cur_kinds;
	tns			 last_rtime;
	uint32_t		 pending_drop;
	struct buf		 tmp;
	struct hmap		 keys;
	size_t			 nkeys;
	struct hmap		 alert_last;	/* key -> last alerts encoding (len-prefixed) */
	struct buf		 marks;
	tns			 marks_prev;
	/* shared, under mu */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct job		*head, *tail;
	size_t			 queued;
	int			 stop;
	struct rec_stats	 st;
	pthread_t		 th;
	/* the writer's */
	int64_t			 off;
	struct rec_index_frame	*frames;
	size_t			 nframes, capframes;
	uint64_t		 total_dropped;
};

/* ------------------------------------------------------------ writing */

static int
write_all(int fd, int64_t off, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		ssize_t w = pwrite(fd, s, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

int64_t
rec_write_frame(int fd, int64_t off, struct rec_frame *f, const void *raw, size_t n, int level)
{
	struct buf out, payload;
	int rc;

	buf_init(&payload, REC_STORED_MAX);
	f->raw_len = (uint32_t)n;
	if (level > 0 && n > 0 && rec_compress(&payload, raw, n, level) == 0 &&
	    payload.len < n) {
		f->codec = RC_ZSTD;
	} else {
		buf_reset(&payload);
		buf_append(&payload, raw, n);
		f->codec = RC_STORED;
	}
	if (payload.overflow) {
		buf_free(&payload);
		errno = EFBIG;
		return -1;
	}
	f->stored_len = (uint32_t)payload.len;
	f->crc = rec_crc32(0, payload.data ? payload.data : "", payload.len);
	buf_init(&out, REC_FRAME_HDR_LEN + payload.len);
	rec_put_frame_header(&out, f);
	buf_append(&out, payload.data ? payload.data : "", payload.len);
	buf_free(&payload);
	rc = write_all(fd, off, out.data, out.len);
	buf_free(&out);
	return rc < 0 ? -1 : off;
}

static void
put_frame_table(struct buf *b, const struct rec_index_frame *f, size_t n)
{
	uint64_t prev_off = 0;

	buf_put_uvarint(b, n);
	for (size_t i = 0; i < n; i++) {
		buf_put_uvarint(b, f[i].off - prev_off);
		prev_off = f[i].off;
		buf_put_uvarint(b, f[i].type);
		buf_put_svarint(b, f[i].t_first);
		buf_put_uvarint(b, (uint64_t)f[i].t_last - (uint64_t)f[i].t_first);
		buf_put_uvarint(b, f[i].nrecords);
		buf_put_uvarint(b, f[i].kinds);
	}
}

/* The part of the index after the frame table. */
static void
put_index_tail(struct buf *b, char *const *keys, size_t nkeys, tns t_end, uint64_t dropped,
    const void *marks, size_t marks_len)
{
	buf_put_uvarint(b, nkeys);
	for (size_t i = 0; i < nkeys; i++)
		buf_put_str(b, keys[i], strlen(keys[i]));
	buf_put_svarint(b, t_end);
	buf_put_uvarint(b, dropped);
	buf_put_str(b, marks ? marks : "", marks_len);
}

void
rec_put_index(struct buf *b, const struct rec_index_frame *f, size_t n, char *const *keys,
    size_t nkeys, const void *marks, size_t marks_len, tns t_end, uint64_t dropped)
{
	put_frame_table(b, f, n);
	put_index_tail(b, keys, nkeys, t_end, dropped, marks, marks_len);
}

static void
note_frame(struct recorder *r, int64_t off, const struct rec_frame *f, uint32_t kinds)
{
	struct rec_index_frame *x;

	xgrow(&r->frames, &r->capframes, r->nframes + 1, sizeof *r->frames);
	x = &r->frames[r->nframes++];
	x->off = (uint64_t)off;
	x->type = f->type;
	x->t_first = f->t_first;
	x->t_last = f->t_last;
	x->nrecords = f->nrecords;
	x->kinds = kinds;
}

static void
write_fail(struct recorder *r, const char *what)
{
	pthread_mutex_lock(&r->mu);
	if (!r->st.failed) {
		r->st.failed = 1;
		snprintf(r->st.error, sizeof r->st.error, "%s: %s", what, strerror(errno));
	}
	pthread_mutex_unlock(&r->mu);
}

/* Final job: index frame (frame table + the keys/marks part) and trailer. */
static void
write_index(struct recorder *r, struct job *j)
{
	struct buf b, t;
	struct rec_frame f;
	int64_t at;

	buf_init(&b, REC_RAW_MAX);
	put_frame_table(&b, r->frames, r->nframes);
	buf_append(&b, j->index.data ? j->index.data : "", j->index.len);
	memset(&f, 0, sizeof f);
	f.type = RF_INDEX;
	f.t_first = r->nframes ? r->frames[0].t_first : 0;
	f.t_last = f.t_first;
	for (size_t i = 0; i < r->nframes; i++)
		if (r->frames[i].t_last > f.t_last)
			f.t_last = r->frames[i].t_last;
	f.nrecords = (uint32_t)r->nframes;
	if (b.overflow || (at = rec_write_frame(r->fd, r->off, &f, b.data, b.len, r->o.level)) < 0) {
		write_fail(r, "writing the recording index");
		buf_free(&b);
		return;
	}
	r->off += REC_FRAME_HDR_LEN + f.stored_len;
	buf_free(&b);
	buf_init(&t, REC_TRAILER_LEN);
	rec_put_trailer(&t, (uint64_t)at);
	if (write_all(r->fd, r->off, t.data, t.len) < 0)
		write_fail(r, "writing the recording trailer");
	else
		r->off += REC_TRAILER_LEN;
	buf_free(&t);
}

static void
write_job(struct recorder *r, struct job *j)
{
	int failed;
	int64_t at;

	pthread_mutex_lock(&r->mu);
	failed = r->st.failed;
	pthread_mutex_unlock(&r->mu);
	if (failed) {
		pthread_mutex_lock(&r->mu);
		r->st.dropped += j->events;
		pthread_mutex_unlock(&r->mu);
		return;
	}
	if (j->len || j->f.nrecords) {
		at = rec_write_frame(r->fd, r->off, &j->f, j->raw, j->len, r->o.level);
		if (at < 0) {
			write_fail(r, "writing the recording");
			pthread_mutex_lock(&r->mu);
			r->st.dropped += j->events;
			pthread_mutex_unlock(&r->mu);
			return;
		}
		r->off += REC_FRAME_HDR_LEN + j->f.stored_len;
		note_frame(r, at, &j->f, j->kinds);
		pthread_mutex_lock(&r->mu);
		r->st.bytes = (uint64_t)r->off;
		r->st.chunks++;
		pthread_mutex_unlock(&r->mu);
	}
	if (j->final)
		write_index(r, j);
}

static void
job_free(struct job *j)
{
	free(j->raw);
	buf_free(&j->index);
	free(j);
}

static void *
writer_main(void *arg)
{
	struct recorder *r = arg;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&r->mu);
		while (!r->head && !r->stop)
			pthread_cond_wait(&r->cv, &r->mu);
		if (!r->head) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		j = r->head;
		r->head = j->next;
		if (!r->head)
			r->tail = NULL;
		pthread_mutex_unlock(&r->mu);
		write_job(r, j);
		pthread_mutex_lock(&r->mu);
		r->queued -= j->len;
		pthread_mutex_unlock(&r->mu);
		job_free(j);
	}
}

/* Queue a job; refuses (returns -1) when over the byte bound unless force. */
static int
enqueue(struct recorder *r, struct job *j, int force)
{
	pthread_mutex_lock(&r->mu);
	if (!force && (r->st.failed || r->queued + j->len > r->o.queue_bytes)) {
		pthread_mutex_unlock(&r->mu);
		return -1;
	}
	r->queued += j->len;
	if (r->tail)
		r->tail->next = j;
	else
		r->head = j;
	r->tail = j;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return 0;
}

/* ------------------------------------------------------------- header */

static void
put_field(struct buf *b, int tag, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > REC_HEADER_FIELD_MAX)
		n = REC_HEADER_FIELD_MAX;
	buf_put_uvarint(b, (uint64_t)tag);
	buf_put_str(b, s ? s : "", n);
}

static void
put_header(struct buf *b, const struct rec_header *h)
{
	char num[32];
	size_t nf = 6 + h->nsrc;

	buf_put_uvarint(b, nf);
	put_field(b, RH_SCRY_VERSION, SCRY_VERSION);
	snprintf(num, sizeof num, "%lld", (long long)h->created);
	put_field(b, RH_CREATED, num);
	put_field(b, RH_DASH_NAME, h->dash_name);
	put_field(b, RH_DASH_TEXT, h->dash_text);
	snprintf(num, sizeof num, "%lld", (long long)h->range);
	put_field(b, RH_RANGE, num);
	snprintf(num, sizeof num, "%d", STORE_DIGEST_VERSION);
	put_field(b, RH_DIGEST_VERSION, num);
	for (size_t i = 0; i < h->nsrc; i++) {
		const struct rec_source_info *s = &h->src[i];
		char *err = s->error ? secret_mask(s->error) : NULL;
		char *line = xasprintf("%s\x1f%s\x1f%s\x1f%s", s->name, s->type,
		    s->error ? "unavailable" : s->insecure ? "insecure" : "ok", err ? err : "");
		put_field(b, RH_SOURCE, line);
		free(line);
		free(err);
	}
}

struct recorder *
rec_create(const char *path, const struct rec_header *h, const struct rec_opts *o, char **err)
{
	struct recorder *r;
	struct buf b;
	struct rec_frame f;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf("cannot create recording %s: %s%s", path, strerror(errno),
		    errno == EEXIST ? " (scry never overwrites a recording; choose a new name)" : "");
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->fd = fd;
	if (o)
		r->o = *o;
	if (!r->o.chunk_bytes)
		r->o.chunk_bytes = 2u << 20;
	if (r->o.chunk_bytes > CHUNK_MAX - EVENT_MAX)
		r->o.chunk_bytes = CHUNK_MAX - EVENT_MAX;
	if (!r->o.chunk_age)
		r->o.chunk_age = 10 * NS_PER_S;
	if (!r->o.queue_bytes)
		r->o.queue_bytes = 64u << 20;
	if (!r->o.level)
		r->o.level = 12;
	buf_init(&r->cur, CHUNK_MAX);
	buf_init(&r->tmp, EVENT_MAX);
	buf_init(&r->marks, MARKS_MAX);
	hmap_init(&r->keys);
	hmap_init(&r->alert_last);
	r->last_rtime = TNS_NONE;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);

	buf_init(&b, REC_RAW_MAX);
	rec_put_preamble(&b);
	r->off = 0;
	if (write_all(fd, 0, b.data, b.len) < 0)
		goto fail;
	r->off = (int64_t)b.len;
	buf_reset(&b);
	put_header(&b, h);
	memset(&f, 0, sizeof f);
	f.type = RF_HEADER;
	f.t_first = f.t_last = h->created;
	f.nrecords = 0;
	if (b.overflow || rec_write_frame(fd, r->off, &f, b.data, b.len, r->o.level) < 0)
		goto fail;
	r->off += REC_FRAME_HDR_LEN + f.stored_len;
	r->st.bytes = (uint64_t)r->off;
	buf_free(&b);
	if (pthread_create(&r->th, NULL, writer_main, r) != 0) {
		errno = EAGAIN;
		goto fail;
	}
	return r;
fail:
	*err = xasprintf("cannot write recording %s: %s", path, strerror(errno));
	buf_free(&b);
	close(fd);
	unlink(path);
	buf_free(&r->cur);
	buf_free(&r->tmp);
	buf_free(&r->marks);
	hmap_free(&r->keys, NULL);
	hmap_free(&r->alert_last, NULL);
	free(r);
	return NULL;
}

/* ------------------------------------------------------------ recording */

static void
add_record(struct recorder *r, int type, tns t, const void *body, size_t n)
{
	if (r->cur_n && r->cur.len + n + 32 > r->o.chunk_bytes)
		rec_flush(r);	/* this record starts the next chunk */
	if (r->last_rtime != TNS_NONE && t < r->last_rtime)
		t = r->last_rtime;	/* record times never go back */
	r->last_rtime = t;
	if (!r->cur_n) {
		r->cur_first = t;
		r->cur_prev = t;
	}
	rec_put_record(&r->cur, type, t, &r->cur_prev, body, n);
	r->cur_last = t;
	r->cur_n++;
}

/* Keep the index's key dictionary and timeline marks up to date. */
static void
note_event(struct recorder *r, tns rtime, const struct event *ev, const struct buf *enc)
{
	if (*ev->key && r->nkeys < REC_KEYS_MAX && strlen(ev->key) <= REC_KEY_MAX &&
	    !hmap_get(&r->keys, ev->key)) {
		hmap_put(&r->keys, ev->key, (void *)1);
		r->nkeys++;
	}
	if (ev->kind == EV_ALERTS) {
		/* only changes: an unchanged snapshot adds nothing to the timeline
		 * (the payload is compared, not the event's time) */
		uint64_t kind;
		const char *k;
		size_t kl, off, n;
		char *last = hmap_get(&r->alert_last, ev->key);
		if (rec_event_head((const uint8_t *)enc->data, enc->len, &kind, &k, &kl, &off) < 0)
			return;
		n = enc->len - off;
		if (last) {
			size_t ll;
			memcpy(&ll, last, sizeof ll);
			if (ll == n && memcmp(last + sizeof ll, enc->data + off, n) == 0)
				return;
		}
		last = xmalloc(sizeof n + n);
		memcpy(last, &n, sizeof n);
		memcpy(last + sizeof n, enc->data + off, n);
		free(hmap_put(&r->alert_last, ev->key, last));
	} else if (ev->kind != EV_ANNOTATION)
		return;
	rec_put_record(&r->marks, RR_EVENT, rtime, &r->marks_prev, enc->data, enc->len);
}

void
rec_event(struct recorder *r, tns rtime, const struct event *ev)
{
	buf_reset(&r->tmp);
	if (event_encode(ev, &r->tmp) < 0) {
		pthread_mutex_lock(&r->mu);
		r->st.dropped++;
		pthread_mutex_unlock(&r->mu);
		return;
	}
	/* defence in depth: a credential never reaches the file, even if a
	 * source put one into an event (an error text, a label) */
	if (secret_scrub(r->tmp.data, r->tmp.len)) {
		pthread_mutex_lock(&r->mu);
		r->st.scrubbed++;
		pthread_mutex_unlock(&r->mu);
	}
	add_record(r, RR_EVENT, rtime, r->tmp.data, r->tmp.len);
	r->cur_events++;
	if ((unsigned)ev->kind < 32)
		r->cur_kinds |= 1u << ev->kind;
	note_event(r, r->last_rtime, ev, &r->tmp);
}

void
rec_event_encoded(struct recorder *r, tns rtime, unsigned kind, const void *p, size_t n)
{
	add_record(r, RR_EVENT, rtime, p, n);
	r->cur_events++;
	if (kind < 32)
		r->cur_kinds |= 1u << kind;
}

void
rec_digest(struct recorder *r, tns rtime, uint64_t digest)
{
	uint8_t d[8];

	for (int i = 0; i < 8; i++)
		d[i] = (uint8_t)(digest >> (8 * i));
	add_record(r, RR_DIGEST, rtime, d, sizeof d);
}

int
rec_due(const struct recorder *r, tns now)
{
	return r->cur_n && now - r->cur_first >= r->o.chunk_age;
}

static struct job *
take_chunk(struct recorder *r)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->len = r->cur.len;
	j->raw = buf_steal(&r->cur, NULL);
	j->f.type = RF_CHUNK;
	j->f.t_first = r->cur_first;
	j->f.t_last = r->cur_last;
	j->f.nrecords = r->cur_n;
	j->f.aux = r->pending_drop;
	j->kinds = r->cur_kinds;
	j->events = r->cur_events;
	buf_init(&j->index, 0);
	buf_init(&r->cur, CHUNK_MAX);
	r->cur_n = r->cur_events = r->cur_kinds = 0;
	return j;
}

void
rec_flush(struct recorder *r)
{
	struct job *j;
	uint32_t events;

	if (!r->cur_n)
		return;
	j = take_chunk(r);
	events = j->events;	/* once queued, j belongs to the writer */
	if (enqueue(r, j, 0) < 0) {
		/* the writer is behind or failed: lose this chunk, say so */
		pthread_mutex_lock(&r->mu);
		r->st.dropped += events;
		pthread_mutex_unlock(&r->mu);
		r->pending_drop += events;
		job_free(j);
		return;
	}
	pthread_mutex_lock(&r->mu);
	r->st.events += events;
	pthread_mutex_unlock(&r->mu);
	r->pending_drop = 0;
}

void
rec_stats(struct recorder *r, struct rec_stats *s)
{
	pthread_mutex_lock(&r->mu);
	*s = r->st;
	pthread_mutex_unlock(&r->mu);
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
rec_close(struct recorder *r, tns end, char **err)
{
	struct job *j;
	char **keys = xcalloc(r->nkeys + 1, sizeof *keys);
	size_t nk = 0, it = 0;
	const char *k;
	void *v;
	uint64_t dropped;
	int rc = 0;

	if (r->last_rtime != TNS_NONE && end < r->last_rtime)
		end = r->last_rtime;
	add_record(r, RR_END, end, NULL, 0);
	j = take_chunk(r);
	j->final = 1;
	while (hmap_next(&r->keys, &it, &k, &v) && nk < r->nkeys)
		keys[nk++] = (char *)k;
	qsort(keys, nk, sizeof *keys, key_cmp);
	buf_init(&j->index, REC_RAW_MAX);
	pthread_mutex_lock(&r->mu);
	dropped = r->st.dropped;
	pthread_mutex_unlock(&r->mu);
	put_index_tail(&j->index, keys, nk, end, dropped, r->marks.data, r->marks.len);
	free(keys);
	pthread_mutex_lock(&r->mu);
	r->st.events += j->events;
	pthread_mutex_unlock(&r->mu);
	enqueue(r, j, 1);
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->th, NULL);
	if (fsync(r->fd) < 0 && !r->st.failed)
		write_fail(r, "syncing the recording");
	if (close(r->fd) < 0 && !r->st.failed)
		write_fail(r, "closing the recording");
	if (r->st.failed) {
		*err = xstrdup(r->st.error);
		rc = -1;
	}
	buf_free(&r->cur);
	buf_free(&r->tmp);
	buf_free(&r->marks);
	hmap_free(&r->keys, NULL);
	hmap_free(&r->alert_last, free);
	free(r->frames);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
	return rc;
}

/* ---------------------------------------------------- masked dashboard */

static void
mask_json(cJSON *n)
{
	cJSON *c = n->child, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->string && secret_key_looks_secret(c->string) && !cJSON_IsObject(c) &&
		    !cJSON_IsArray(c) && !cJSON_IsNull(c) && !cJSON_IsBool(c)) {
			cJSON *m = cJSON_CreateString("<masked>");
			if (!m || !cJSON_ReplaceItemInObjectCaseSensitive(n, c->string, m))
				fatal("out of memory (json)");
			continue;
		}
		if (cJSON_IsString(c) && c->valuestring) {
			char *m = secret_mask(c->valuestring);
			if (strcmp(m, c->valuestring) != 0 && !cJSON_SetValuestring(c, m))
				fatal("out of memory (json)");
			free(m);
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			mask_json(c);
	}
}

static cJSON *
effective_sources(const struct dashboard *db)
{
	cJSON *out = cJSON_CreateObject();

	for (size_t i = 0; i < db->nsrc; i++) {
		const struct dash_source *s = &db->src[i];
		cJSON *o = s->cfg && cJSON_IsObject(s->cfg) ? cJSON_Duplicate(s->cfg, 1) :
		    cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(o, "type");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "url");
		cJSON_AddStringToObject(o, "type", s->type);
		if (s->url)
			cJSON_AddStringToObject(o, "url", s->url);
		for (const cJSON *v = s->over ? s->over->child : NULL; v; v = v->next) {
			cJSON_DeleteItemFromObjectCaseSensitive(o, v->string);
			cJSON_AddItemToObject(o, v->string, cJSON_Duplicate(v, 1));
		}
		cJSON_AddItemToObject(out, s->name, o);
	}
	return out;
}

static void
current_variables(const struct dashboard *db, cJSON *root)
{
	cJSON *vars = cJSON_GetObjectItemCaseSensitive(root, "variables");

	for (cJSON *v = vars ? vars->child : NULL; v; v = v->next) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "name");
		cJSON *cur;
		if (!cJSON_IsString(name))
			continue;
		for (size_t i = 0; i < db->nvars; i++) {
			if (!db->vars[i].name || strcmp(db->vars[i].name, name->valuestring) != 0)
				continue;
			cur = cJSON_CreateArray();
			for (size_t k = 0; k < db->vars[i].ncurrent; k++)
				cJSON_AddItemToArray(cur, cJSON_CreateString(db->vars[i].current[k]));
			cJSON_DeleteItemFromObjectCaseSensitive(v, "default");
			cJSON_DeleteItemFromObjectCaseSensitive(v, "current");
			cJSON_AddItemToObject(v, "current", cur);
		}
	}
}

char *
rec_dashboard_text(const struct dashboard *db)
{
	cJSON *root = db->doc.root ? cJSON_Duplicate(db->doc.root, 1) : cJSON_CreateObject();
	char *s, *out;

	if (!root || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		root = cJSON_CreateObject();
	}
	cJSON_DeleteItemFromObjectCaseSensitive(root, "sources");
	cJSON_AddItemToObject(root, "sources", effective_sources(db));
	current_variables(db, root);
	mask_json(root);
	if (!(s = cJSON_Print(root)))
		fatal("out of memory (json)");
	cJSON_Delete(root);
	out = xstrdup(s);
	cJSON_free(s);
	return out;
}
