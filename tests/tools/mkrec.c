/* mkrec: write a recording of the seed incident through the real recorder
 * (core/recorder.c), for the replay screen tests.
 *
 *   mkrec OUT.scry DASHBOARD.json FROM TO [--note AT TEXT]... [--kill-at T]
 *         [--level N]
 *
 * FROM and TO are RFC3339 times; the generator polls every 15 s between
 * them (tests/tools/incident.h), applies every event to a store as the
 * app would and records a store digest every 30 s, so `scry --check`
 * verifies a replay of the file.  --note adds a live annotation (recorded
 * when the generator reaches AT + 30 s, about AT).  --kill-at T sends
 * itself SIGKILL when the generator reaches T (a crash mid-recording).
 * --level N is the zstd level (a negative one stores frames uncompressed,
 * as the fuzz seeds of tests/fuzz/fuzz_recording.c want). */
#include <signal.h>
#include <unistd.h>

#include "core/annotation.h"
#include "core/recorder.h"
#include "core/store.h"
#include "tests/tools/incident.h"

struct ctx {
	struct recorder	*rec;
	struct store	*st;
};

static void
emit(void *p, tns rtime, struct event *ev)
{
	struct ctx *c = p;

	rec_event(c->rec, rtime, ev);
	store_apply(c->st, ev);
	event_free(ev);
}

static tns
when(const char *s)
{
	tns t;

	if (ts_parse_time(s, 0, 1, &t) < 0) {
		fprintf(stderr, "mkrec: bad time '%s'\n", s);
		exit(2);
	}
	return t;
}

int
main(int argc, char **argv)
{
	struct diag dg;
	struct dashboard *db;
	struct inc_gen g;
	struct ctx c;
	struct rec_header h;
	struct rec_source_info src[8];
	char *err = NULL, *text;
	tns from, to, last_digest;
	const char *note_at[16], *note_text[16];
	int nnotes = 0;
	tns kill_at = TNS_NONE;
	struct rec_opts opts;

	if (argc < 5) {
		fprintf(stderr, "usage: mkrec OUT DASHBOARD FROM TO [--note AT TEXT]... [--kill-at T] "
		    "[--level N]\n");
		return 2;
	}
	memset(&opts, 0, sizeof opts);
	for (int i = 5; i < argc; i++) {
		if (strcmp(argv[i], "--note") == 0 && i + 2 < argc && nnotes < 16) {
			note_at[nnotes] = argv[i + 1];
			note_text[nnotes++] = argv[i + 2];
			i += 2;
		} else if (strcmp(argv[i], "--kill-at") == 0 && i + 1 < argc)
			kill_at = when(argv[++i]);
		else if (strcmp(argv[i], "--level") == 0 && i + 1 < argc)
			opts.level = (int)strtol(argv[++i], NULL, 10);
	}
	diag_init(&dg);
	if (!(db = dashboard_load(argv[2], &dg))) {
		fprintf(stderr, "mkrec: %s\n", diag_first_error(&dg));
		return 1;
	}
	from = when(argv[3]);
	to = when(argv[4]);
	inc_init(&g, db);
	memset(&h, 0, sizeof h);
	text = rec_dashboard_text(db);
	for (size_t i = 0; i < db->nsrc && i < 8; i++)
		src[i] = (struct rec_source_info){ db->src[i].name, db->src[i].type, NULL, 0 };
	h.dash_name = db->path;
	h.dash_text = text;
	h.src = src;
	h.nsrc = db->nsrc < 8 ? db->nsrc : 8;
	h.created = from;
	h.range = db->range;
	if (!(c.rec = rec_create(argv[1], &h, &opts, &err))) {
		fprintf(stderr, "mkrec: %s\n", err);
		return 1;
	}
	c.st = store_new(NULL);
	last_digest = from;
	for (tns t = from; t <= to; t += 15 * NS_PER_S) {
		inc_poll(&g, t, emit, &c);
		for (int i = 0; i < nnotes; i++) {
			tns at = when(note_at[i]);
			if (at + 30 * NS_PER_S > t - 15 * NS_PER_S && at + 30 * NS_PER_S <= t)
				emit(&c, t + NS_PER_S, event_new(EV_ANNOTATION, t + NS_PER_S, "",
				    annotation_new(at, note_text[i], 1, NULL)));
		}
		if (t - last_digest >= 30 * NS_PER_S) {
			rec_digest(c.rec, t + 2 * NS_PER_S, store_digest(c.st, t + 2 * NS_PER_S));
			last_digest = t;
		}
		if (rec_due(c.rec, t))
			rec_flush(c.rec);
		if (kill_at != TNS_NONE && t >= kill_at) {
			usleep(200000);	/* let the writer get some chunks out */
			kill(getpid(), SIGKILL);
		}
	}
	rec_digest(c.rec, to + 3 * NS_PER_S, store_digest(c.st, to + 3 * NS_PER_S));
	if (rec_close(c.rec, to + 3 * NS_PER_S, &err) < 0) {
		fprintf(stderr, "mkrec: %s\n", err);
		return 1;
	}
	store_free(c.st);
	inc_free(&g);
	dashboard_free(db);
	diag_free(&dg);
	free(text);
	return 0;
}
