/* Unit tests: the recording format, writer and reader (core/rec*.c),
 * store digests, and hostile recordings (truncated, bit flips, wrong
 * version, oversized frames).  Recordings are made through the real
 * recorder from the seed-incident generator (tests/tools/incident.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alertlog.h"
#include "core/annotation.h"
#include "core/exemplars.h"
#include "core/recorder.h"
#include "core/recread.h"
#include "core/secret.h"
#include "core/store.h"
#include "tests/tools/incident.h"
#include "tests/unit/t.h"

static char tmpdir[256];

static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int i;

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "%s/scry-rec.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(tmpdir))
			abort();
	}
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
	return buf[i];
}

static uint8_t *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long len;

	if (!f)	/* the recordings are written by the test just before */
		fatal("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = xmalloc((size_t)len + 1);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

struct gen {
	struct recorder	*rec;
	struct store	*st;	/* what the live store held */
};

static void
gen_emit(void *p, tns rtime, struct event *ev)
{
	struct gen *g = p;

	rec_event(g->rec, rtime, ev);
	store_apply(g->st, ev);
	event_free(ev);
}

static struct dashboard *
incident_db(void)
{
	struct diag dg;
	struct dashboard *db;
	char path[4096];

	snprintf(path, sizeof path, "%s/../../dashboards/incident.json", t_fixture(""));
	diag_init(&dg);
	db = dashboard_load(path, &dg);
	diag_free(&dg);
	return db;
}

/* A recording of `polls` polls from 02:10Z, digests every 2 polls, a note
 * at 02:17:42 and an exemplar batch; returns the live store digest at the
 * end in *dend.  opts may be NULL. */
static void
make_rec(const char *path, int polls, const struct rec_opts *o, uint64_t *dend, tns *tend)
{
	struct dashboard *db = incident_db();
	struct inc_gen ig;
	struct gen g;
	struct rec_header h;
	char *err = NULL, *text;
	tns t = INC_T0 - 7 * 60 * NS_PER_S;

	CHECK(db != NULL);
	if (!db)
		return;
	inc_init(&ig, db);
	text = rec_dashboard_text(db);
	memset(&h, 0, sizeof h);
	h.dash_name = "incident.json";
	h.dash_text = text;
	h.created = t;
	h.range = db->range;
	unlink(path);
	g.rec = rec_create(path, &h, o, &err);
	CHECK(g.rec != NULL);
	if (!g.rec) {
		printf("# %s\n", err);
		return;
	}
	g.st = store_new(NULL);
	for (int i = 0; i < polls; i++, t += 15 * NS_PER_S) {
		inc_poll(&ig, t, gen_emit, &g);
		if (i == polls / 2) {
			struct ev_exemplars *x = ev_exemplars_new(t - 60 * NS_PER_S, t);
			struct exemplar *e = ev_exemplars_add(x);
			labels_set(&e->labels, "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
			labels_set(&e->series, "destination_service", "order.shop.svc.cluster.local");
			e->value = 8.41;
			e->t = t - NS_PER_S;
			gen_emit(&g, t + 40 * NS_PER_MS, event_new(EV_EXEMPLARS, t, ig.key[0], x));
			gen_emit(&g, t + 50 * NS_PER_MS, event_new(EV_ANNOTATION, t, "",
			    annotation_new(INC_T0 + 42 * NS_PER_S, "order P99 jumps", 1, NULL)));
		}
		if (i % 2 == 1)
			rec_digest(g.rec, t + NS_PER_S, store_digest(g.st, t + NS_PER_S));
		if (rec_due(g.rec, t))
			rec_flush(g.rec);
	}
	if (dend)
		*dend = store_digest(g.st, t);
	if (tend)
		*tend = t;
	rec_digest(g.rec, t, store_digest(g.st, t));
	CHECK_INT(rec_close(g.rec, t, &err), 0);
	store_free(g.st);
	inc_free(&ig);
	dashboard_free(db);
	free(text);
}

static struct recread *
open_or_fail(const char *path)
{
	char *err = NULL;
	struct recread *r = recread_open(path, &err);

	if (!r) {
		printf("# %s\n", err);
		free(err);
	}
	return r;
}

/* ------------------------------------------------------------- format */

TEST(rec_preamble_checks)
{
	struct buf b;
	uint32_t v;
	char *err = NULL;

	buf_init(&b, 64);
	rec_put_preamble(&b);
	CHECK_INT(rec_get_preamble((uint8_t *)b.data, b.len, &v, &err), 0);
	CHECK_INT(v, REC_VERSION);
	b.data[0] = 'X';
	CHECK_INT(rec_get_preamble((uint8_t *)b.data, b.len, &v, &err), -1);
	CHECK_CONTAINS(err, "not a scry recording");
	free(err);
	buf_free(&b);
}

TEST(rec_record_roundtrip_extreme_times)
{
	struct buf b;
	struct rd r;
	struct rec_record rec;
	tns prev = 0, ts[] = { 0, INT64_MAX, TNS_NONE, -5, 1795659420LL * NS_PER_S };
	char *err = NULL;

	buf_init(&b, 4096);
	for (size_t i = 0; i < 5; i++)
		rec_put_record(&b, RR_EVENT, ts[i], &prev, "xy", 2);
	rd_init(&r, b.data, b.len);
	prev = 0;
	for (size_t i = 0; i < 5; i++) {
		CHECK_INT(rec_get_record(&r, &prev, &rec, &err), 1);
		CHECK(rec.t == ts[i]);
		CHECK_INT(rec.len, 2);
	}
	CHECK_INT(rec_get_record(&r, &prev, &rec, &err), 0);
	buf_free(&b);
}

TEST(rec_frame_header_detects_flip)
{
	struct buf b;
	struct rec_frame f = { .type = RF_CHUNK, .codec = RC_ZSTD, .stored_len = 10, .raw_len = 20,
	    .t_first = 5, .t_last = 9, .nrecords = 2, .crc = 77 }, g;
	char *err = NULL;

	buf_init(&b, 64);
	rec_put_frame_header(&b, &f);
	CHECK_INT(rec_get_frame_header((uint8_t *)b.data, &g, &err), 0);
	CHECK_INT(g.raw_len, 20);
	CHECK(g.t_last == 9);
	b.data[12] ^= 0x10;
	CHECK_INT(rec_get_frame_header((uint8_t *)b.data, &g, &err), -1);
	CHECK_CONTAINS(err, "checksum");
	free(err);
	buf_free(&b);
}

/* -------------------------------------------------------- round trips */

TEST(rec_roundtrip_index_and_digests)
{
	const char *p = tpath("rt.scry");
	struct recread *r;
	struct store *st;
	struct rec_verify v;
	struct stat sb;
	uint64_t dend = 0;

	make_rec(p, 40, NULL, &dend, NULL);
	CHECK_INT(stat(p, &sb), 0);
	CHECK_INT(sb.st_mode & 0777, 0600);
	r = open_or_fail(p);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(r->indexed);
	CHECK_INT(r->nwarn, 0);
	CHECK(r->nchunks > 1);
	CHECK_INT(r->nkeys, 5);	/* 4 graph panels + alerts */
	/* the timeline marks keep alert lists only when they change (+ the note) */
	CHECK(r->nmarks >= 4 && r->nmarks <= 10);
	CHECK(strstr(r->dash_text, "P99 latency by destination service") != NULL);
	st = store_new(NULL);
	CHECK_INT(recread_verify(r, st, &v), 0);
	CHECK(v.digests >= 20);
	CHECK_INT(v.digest_mismatch, 0);
	CHECK_INT(v.bad_events, 0);
	/* everything replayed: the live store's final digest */
	CHECK(store_digest(st, r->t_end) == dend);
	store_free(st);
	recread_free(r);
}

TEST(rec_scan_equals_index)
{
	const char *p = tpath("scan.scry");
	size_t n;
	uint8_t *data;
	struct recread *a, *b;
	char *err = NULL;

	make_rec(p, 30, NULL, NULL, NULL);
	data = slurp(p, &n);
	a = recread_open_mem(data, n, &err);
	/* without the trailer the index cannot be found: scanning rebuilds it */
	b = recread_open_mem(data, n - REC_TRAILER_LEN, &err);
	CHECK(a && b);
	if (a && b) {
		CHECK(a->indexed && !b->indexed);
		CHECK_INT(a->nchunks, b->nchunks);
		CHECK_INT(a->nkeys, b->nkeys);
		CHECK_INT(a->nmarks, b->nmarks);
		CHECK(a->t_end == b->t_end);
		CHECK(a->t_start == b->t_start);
		CHECK_INT(b->nwarn, 1);
		CHECK_CONTAINS(b->warn[0], "not closed cleanly");
		for (size_t i = 0; i < a->nmarks && i < b->nmarks; i++) {
			CHECK(a->marks[i].rtime == b->marks[i].rtime);
			CHECK_INT(a->marks[i].ev->kind, b->marks[i].ev->kind);
		}
	}
	recread_free(a);
	recread_free(b);
	free(data);
}

TEST(rec_refuses_existing_file)
{
	const char *p = tpath("exists.scry");
	struct rec_header h = { .dash_text = "{}" };
	char *err = NULL;
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	close(fd);
	CHECK(rec_create(p, &h, NULL, &err) == NULL);
	CHECK_CONTAINS(err, "never overwrites");
	free(err);
	err = NULL;
	/* nor through a symlink to somewhere else */
	unlink(tpath("link.scry"));
	CHECK_INT(symlink(tpath("target.scry"), tpath("link.scry")), 0);
	CHECK(rec_create(tpath("link.scry"), &h, NULL, &err) == NULL);
	CHECK(access(tpath("target.scry"), F_OK) != 0);
	free(err);
}

/* ------------------------------------------------------- hostile input */

/* Open and fully walk a recording in memory: must never crash. Returns
 * 1 if it opened. */
static int
walk(const uint8_t *p, size_t n, char **err)
{
	struct recread *r = recread_open_mem(p, n, err);
	struct store *st;
	struct rec_verify v;

	if (!r)
		return 0;
	st = store_new(NULL);
	recread_verify(r, st, &v);
	store_free(st);
	recread_free(r);
	return 1;
}

TEST(rec_truncated_everywhere)
{
	const char *p = tpath("trunc.scry");
	size_t n, first_chunk_end = 0;
	uint8_t *data;
	int opened = 0;

	make_rec(p, 12, NULL, NULL, NULL);
	data = slurp(p, &n);
	for (size_t cut = 0; cut < n; cut += cut < 2000 ? 1 : 97) {
		char *err = NULL;
		if (walk(data, cut, &err)) {
			opened++;
			if (!first_chunk_end)
				first_chunk_end = cut;
		} else {
			CHECK(err != NULL);
			if (err && cut >= 8 && !strstr(err, "byte "))
				printf("# cut %zu: %s\n", cut, err);
			CHECK(cut < 8 || (err && strstr(err, "byte ")));
		}
		free(err);
	}
	CHECK(opened > 0);
	/* a cut inside the last frame still replays the complete chunks */
	{
		char *err = NULL;
		struct recread *full = recread_open_mem(data, n, &err);
		struct recread *cut = recread_open_mem(data, n - REC_TRAILER_LEN - 30, &err);
		CHECK(full && cut);
		if (full && cut) {
			CHECK(cut->nchunks >= 1);
			CHECK(cut->nchunks <= full->nchunks);
			CHECK(cut->nwarn >= 1);
		}
		recread_free(full);
		recread_free(cut);
	}
	free(data);
}

TEST(rec_bit_flips)
{
	const char *p = tpath("flip.scry");
	size_t n;
	uint8_t *data;
	int warned = 0, refused = 0;

	make_rec(p, 10, NULL, NULL, NULL);
	data = slurp(p, &n);
	for (size_t i = 0; i < n; i += 13) {
		char *err = NULL;
		struct recread *r;
		data[i] ^= (uint8_t)(1u << (i % 8));
		r = recread_open_mem(data, n, &err);
		if (r) {
			struct store *st = store_new(NULL);
			struct rec_verify v;
			recread_verify(r, st, &v);
			warned += r->nwarn > 0 || v.bad_chunks || v.bad_events;
			store_free(st);
			recread_free(r);
		} else {
			refused++;
			CHECK(err && strstr(err, "byte "));
		}
		free(err);
		data[i] ^= (uint8_t)(1u << (i % 8));
	}
	/* every flip is noticed: checksums cover every byte */
	CHECK_INT(warned + refused, (int)((n + 12) / 13));
	free(data);
}

TEST(rec_corrupt_chunk_is_skipped_not_fatal)
{
	const char *p = tpath("corrupt.scry");
	size_t n;
	uint8_t *data;
	char *err = NULL;
	struct recread *good, *bad;

	make_rec(p, 20, NULL, NULL, NULL);
	data = slurp(p, &n);
	good = recread_open_mem(data, n, &err);
	CHECK(good && good->nchunks > 3);
	if (!good)
		return;
	data[good->chunks[2].off + REC_FRAME_HDR_LEN + 5] ^= 0xff;	/* inside chunk 2 */
	bad = recread_open_mem(data, n, &err);
	CHECK(bad != NULL);
	if (bad) {
		CHECK_INT(bad->nchunks, good->nchunks - 1);
		CHECK(bad->nwarn >= 2);	/* index unusable, chunk skipped */
		int found = 0;
		for (size_t i = 0; i < bad->nwarn; i++)
			found |= strstr(bad->warn[i], "corrupt chunk skipped") != NULL;
		CHECK(found);
	}
	recread_free(good);
	recread_free(bad);
	free(data);
}

TEST(rec_wrong_version)
{
	const char *p = tpath("ver.scry");
	size_t n;
	uint8_t *data;
	char *err = NULL;
	uint32_t crc;

	make_rec(p, 2, NULL, NULL, NULL);
	data = slurp(p, &n);
	data[8] = 9;	/* version 9, with a correct preamble checksum */
	crc = rec_crc32(0, data, 12);
	for (int i = 0; i < 4; i++)
		data[12 + i] = (uint8_t)(crc >> (8 * i));
	CHECK(recread_open_mem(data, n, &err) == NULL);
	CHECK_CONTAINS(err, "version 9 is not supported");
	CHECK_CONTAINS(err, "newer scry");
	free(err);
	free(data);
}

TEST(rec_oversized_frame_claims)
{
	struct buf b;
	struct rec_frame f;
	char *err = NULL;
	struct recread *r;
	const char *hdr = "\x01\x04\x02{}";	/* 1 field: RH_DASH_TEXT "{}" */

	buf_init(&b, 1 << 20);
	rec_put_preamble(&b);
	memset(&f, 0, sizeof f);
	f.type = RF_HEADER;
	f.codec = RC_STORED;
	f.stored_len = f.raw_len = 5;
	f.crc = rec_crc32(0, hdr, 5);
	rec_put_frame_header(&b, &f);
	buf_append(&b, hdr, 5);
	/* a chunk claiming 1 GiB raw: refused by the caps, not allocated */
	memset(&f, 0, sizeof f);
	f.type = RF_CHUNK;
	f.codec = RC_ZSTD;
	f.stored_len = 4;
	f.raw_len = 1u << 30;
	f.crc = rec_crc32(0, "abcd", 4);
	rec_put_frame_header(&b, &f);
	buf_append(&b, "abcd", 4);
	r = recread_open_mem(b.data, b.len, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(r->nchunks, 0);
		CHECK(r->nwarn >= 1);
		int found = 0;
		for (size_t i = 0; i < r->nwarn; i++)
			found |= strstr(r->warn[i], "out of bounds") != NULL;
		CHECK(found);
	}
	recread_free(r);
	/* a zstd payload that does not decompress to what it claims */
	buf_reset(&b);
	rec_put_preamble(&b);
	memset(&f, 0, sizeof f);
	f.type = RF_HEADER;
	f.codec = RC_ZSTD;
	f.stored_len = 5;
	f.raw_len = 100u << 20;
	f.crc = rec_crc32(0, hdr, 5);
	rec_put_frame_header(&b, &f);
	buf_append(&b, hdr, 5);
	CHECK(recread_open_mem(b.data, b.len, &err) == NULL);
	CHECK_CONTAINS(err, "byte 16");
	free(err);
	buf_free(&b);
}

TEST(rec_garbage_never_crashes)
{
	uint8_t buf[4096];
	uint64_t x = 88172645463325252ULL;

	for (int round = 0; round < 200; round++) {
		char *err = NULL;
		size_t n = (size_t)(x % sizeof buf);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		if (n > 16)
			memcpy(buf, REC_MAGIC, 8);
		walk(buf, n, &err);
		free(err);
	}
	CHECK(1);	/* survival is the assertion; ASan/UBSan watch the walk */
}

/* ---------------------------------------------------------- the cursor */

TEST(rec_cursor_until_and_order)
{
	const char *p = tpath("cur.scry");
	struct recread *r;
	struct rec_cursor c;
	struct rec_record rec;
	tns mid, last = TNS_NONE;
	size_t before = 0, after = 0;

	make_rec(p, 20, NULL, NULL, NULL);
	if (!(r = open_or_fail(p)))
		return;
	mid = r->t_start + (r->t_end - r->t_start) / 2;
	reccur_init(&c, r);
	while (reccur_next(&c, mid, &rec)) {
		CHECK(rec.t <= mid);
		CHECK(last == TNS_NONE || rec.t >= last);
		last = rec.t;
		before++;
	}
	CHECK(reccur_peek_time(&c) > mid);
	while (reccur_next(&c, INT64_MAX, &rec))
		after++;
	CHECK(before > 0 && after > 0);
	CHECK_INT(before + after, r->nrecords);
	reccur_free(&c);
	recread_free(r);
}

/* ------------------------------------------------------------- digests */

TEST(store_digest_order_independent_and_sensitive)
{
	struct store *a = store_new(NULL), *b = store_new(NULL);
	struct dashboard *db = incident_db();
	struct inc_gen g;
	struct event *ev[8];
	size_t n = 0;

	if (!db)
		return;
	inc_init(&g, db);
	for (size_t i = 0; i < g.nkeys && n < 4; i++)
		ev[n++] = event_new(EV_SERIES, INC_T0, g.key[i], inc_series(g.metric[i], INC_T0, g.range));
	for (size_t i = 0; i < n; i++) {
		struct buf e;
		struct rd rd;
		char *err = NULL;
		struct event *copy;
		buf_init(&e, 64u << 20);
		event_encode(ev[i], &e);
		rd_init(&rd, e.data, e.len);
		copy = event_decode(&rd, &err);
		store_apply(a, ev[i]);
		store_apply(b, copy);	/* same events, decoded */
		event_free(copy);
		buf_free(&e);
	}
	CHECK(store_digest(a, INC_T0) == store_digest(b, INC_T0));
	/* a later time at which nothing else exists: same digest */
	CHECK(store_digest(a, INC_T0 + NS_PER_S) == store_digest(a, INC_T0));
	/* one status more: different */
	{
		struct event *st = event_new(EV_STATUS, INC_T0, "x", status_new(QS_OK, NULL));
		store_apply(b, st);
		event_free(st);
	}
	CHECK(store_digest(a, INC_T0) != store_digest(b, INC_T0));
	/* but not as of before it existed */
	CHECK(store_digest(a, INC_T0 - 1) == store_digest(b, INC_T0 - 1));
	for (size_t i = 0; i < n; i++)
		event_free(ev[i]);
	store_free(a);
	store_free(b);
	inc_free(&g);
	dashboard_free(db);
}

/* ------------------------------------------------------------- secrets */

TEST(rec_dashboard_masks_secrets)
{
	struct diag dg;
	struct dashboard *db;
	char *text;
	const char *json = "{\"title\":\"t\",\"sources\":{\"prom\":{\"type\":\"prometheus\","
	    "\"url\":\"https://alice:CANARYpass1@prom.example/?access_token=CANARYq2&x=1\","
	    "\"auth\":{\"type\":\"bearer\",\"token\":\"CANARYtok3\",\"token_file\":\"/etc/t\"},"
	    "\"headers\":{\"Authorization\":\"Bearer CANARYhdr4\",\"X-Scope-OrgID\":\"team\"}},"
	    "\"logs\":{\"type\":\"loki\",\"url\":\"https://x:CANARY7@loki.example/?token=CANARY8\"}},"
	    "\"panels\":[{\"type\":\"text\",\"title\":\"CANARYreg5 here\"}]}";

	secret_register("CANARYreg5");
	diag_init(&dg);
	db = dashboard_parse(json, strlen(json), "t.json", &dg);
	CHECK(db != NULL);
	if (!db)
		return;
	dashboard_set_source(db, "cli", "prometheus", "http://bob:CANARYcli6@h:9090");
	text = rec_dashboard_text(db);
	CHECK(strstr(text, "CANARY") == NULL);
	if (strstr(text, "CANARY"))
		printf("# %s\n", text);
	CHECK_CONTAINS(text, "loki.example/?token=<masked>");
	CHECK_CONTAINS(text, "X-Scope-OrgID");
	CHECK_CONTAINS(text, "bob:<masked>@h:9090");	/* the command line's URL, masked */
	CHECK_CONTAINS(text, "\"token_file\":\t\"<masked>\"");
	free(text);
	dashboard_free(db);
	diag_free(&dg);
}

/* ------------------------------------------------------------ alertlog */

struct changes {
	int	n[3];
	char	last[64];
};

static void
on_change(void *ctx, tns t, enum alert_change_kind k, const char *label)
{
	struct changes *c = ctx;

	(void)t;
	c->n[k]++;
	snprintf(c->last, sizeof c->last, "%s", label);
}

TEST(alertlog_transitions)
{
	struct alertlog l;
	struct changes c = { { 0, 0, 0 }, "" };
	tns t;

	alertlog_init(&l);
	for (t = INC_T0; t < INC_T0 + 30 * 60 * NS_PER_S; t += 15 * NS_PER_S) {
		struct ev_alerts *e = inc_alerts_at(t);
		alertlog_feed(&l, t, e, on_change, &c);
		ev_alerts_free(e);
	}
	CHECK_INT(c.n[AC_PENDING], 3);
	CHECK_INT(c.n[AC_FIRING], 3);
	CHECK_INT(c.n[AC_RESOLVED], 3);
	CHECK_STR(c.last, "ErrorBudgetBurn (payment)");
	alertlog_free(&l);
}

/* ------------------------------------------------------------- drops */

TEST(rec_queue_full_drops_are_counted)
{
	const char *p = tpath("drop.scry");
	struct rec_opts o = { .chunk_bytes = 4096, .queue_bytes = 8192, .level = 19 };
	struct recread *r;
	struct rec_stats st;
	struct dashboard *db = incident_db();
	struct inc_gen ig;
	struct gen g;
	struct rec_header h = { .dash_text = "{}" };
	char *err = NULL;
	tns t = INC_T0;

	if (!db)
		return;
	inc_init(&ig, db);
	unlink(p);
	g.rec = rec_create(p, &h, &o, &err);
	g.st = store_new(NULL);
	CHECK(g.rec != NULL);
	if (!g.rec)
		return;
	for (int i = 0; i < 60; i++, t += 15 * NS_PER_S)
		inc_poll(&ig, t, gen_emit, &g);	/* much faster than level 19 compresses */
	rec_stats(g.rec, &st);
	CHECK(st.dropped > 0);
	CHECK_INT(rec_close(g.rec, t, &err), 0);
	r = open_or_fail(p);
	CHECK(r != NULL);
	if (r) {
		struct rec_cursor c;
		struct rec_record rec;
		uint64_t recorded = 0;
		int gap = 0;
		reccur_init(&c, r);
		while (reccur_next(&c, INT64_MAX, &rec)) {
			recorded += rec.type == RR_EVENT;
			gap |= c.gap > 0;
		}
		reccur_free(&c);
		/* every event is either in the file or counted as lost */
		CHECK_INT(recorded + r->dropped, 60 * 9);
		CHECK(r->dropped > 0);
		CHECK(gap);	/* a chunk after a loss says so */
	}
	recread_free(r);
	store_free(g.st);
	inc_free(&ig);
	dashboard_free(db);
}

/* A credential inside an event (a source's error text, say) never reaches
 * the file: the recorder overwrites registered secrets. */
TEST(rec_scrubs_registered_secrets)
{
	const char *p = tpath("scrub.scry");
	struct rec_header h = { .dash_text = "{}" };
	struct recorder *rec;
	struct recread *r;
	struct rec_cursor c;
	struct rec_record rec_;
	char *err = NULL;
	struct ev_status *st;
	struct event *ev;
	int found = 0, stars = 0;

	secret_register("CANARYscrub77");
	unlink(p);
	rec = rec_create(p, &h, NULL, &err);
	CHECK(rec != NULL);
	if (!rec)
		return;
	/* status_new() masks its message itself; the recorder's own scrub
	 * is what this test is about, so the raw text goes in directly */
	st = status_new(QS_ERROR, NULL);
	st->error = xstrdup("401 from http://x/?q=1 with token CANARYscrub77 rejected");
	ev = event_new(EV_STATUS, INC_T0, "k", st);
	rec_event(rec, INC_T0, ev);
	event_free(ev);
	CHECK_INT(rec_close(rec, INC_T0, &err), 0);
	if (!(r = open_or_fail(p)))
		return;
	reccur_init(&c, r);
	while (reccur_next(&c, INT64_MAX, &rec_)) {
		found |= memmem(rec_.p, rec_.len, "CANARYscrub77", 13) != NULL;
		stars |= memmem(rec_.p, rec_.len, "*************", 13) != NULL;
	}
	reccur_free(&c);
	CHECK(!found);
	CHECK(stars);
	recread_free(r);
}
