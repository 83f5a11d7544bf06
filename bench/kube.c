/* kube bench: the pods pane with N pods (default 10,000).
 * Builds a `kubectl get pods -o json` List of N pods in the story's mix of
 * states (from tests/fixtures/incident/kube/pods.json), then measures:
 *   parse      JSON List -> typed pods (jsplit + cJSON + kubeparse)
 *   store      applying the snapshot (history table, hashing)
 *   relist     applying an identical snapshot again (a watch restart)
 *   memory     RSS growth and the table's own byte count
 *   frames     drawing the pods pane at 200x60 while scrolling (model
 *              cached), the first frame (model build), a frame after one
 *              pod changed (a watch event), and a frame with a filter
 * Prints a Markdown table row per figure.
 * Usage: kube [N] [FIXTURE_DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/store.h"
#include "core/view.h"
#include "core/xalloc.h"
#include "sources/jsplit.h"
#include "sources/kubeparse.h"
#include "widgets/widget.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Bytes allocated on the heap (RSS would hide reuse of freed memory). */
static long
heap_kb(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (long)((mi.uordblks + mi.hblkhd) / 1024);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* A List of n pods cycling through the fixture's pods, renamed. */
static char *
make_list(const char *fixdir, int n, size_t *len)
{
	char path[4096];
	char *text;
	cJSON *doc, *items, *out, *arr;
	int k;

	snprintf(path, sizeof path, "%s/pods.json", fixdir);
	text = slurp(path);
	doc = cJSON_Parse(text);
	items = cJSON_GetObjectItem(doc, "items");
	k = cJSON_GetArraySize(items);
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "apiVersion", "v1");
	arr = cJSON_AddArrayToObject(out, "items");
	for (int i = 0; i < n; i++) {
		cJSON *p = cJSON_Duplicate(cJSON_GetArrayItem(items, i % k), 1);
		cJSON *md = cJSON_GetObjectItem(p, "metadata");
		char name[128];
		snprintf(name, sizeof name, "%s-%05d", cJSON_GetObjectItem(md, "name")->valuestring, i);
		cJSON_ReplaceItemInObject(md, "name", cJSON_CreateString(name));
		cJSON_AddItemToArray(arr, p);
	}
	cJSON_AddStringToObject(out, "kind", "List");
	free(text);
	text = cJSON_Print(out);	/* indented, as kubectl prints it */
	*len = strlen(text);
	cJSON_Delete(doc);
	cJSON_Delete(out);
	return text;
}

static void
item(void *ctx, const char *json, size_t n)
{
	struct ev_kube *e = ctx;
	cJSON *o = cJSON_ParseWithLength(json, n);
	void *p = kube_parse_obj(KK_POD, o);
	cJSON_Delete(o);
	if (p)
		kube_ev_add(e, p);
}

static struct ev_kube *
parse(const char *text, size_t len)
{
	struct ev_kube *e = kube_ev_new(KK_POD, KOP_SNAPSHOT, "bench");
	struct jsplit js;

	jsplit_init(&js, JS_ITEMS, 0, item, e);
	for (size_t off = 0; off < len; off += 65536)	/* pipe-sized reads */
		jsplit_feed(&js, text + off, len - off < 65536 ? len - off : 65536);
	jsplit_free(&js);
	return e;
}

static void
apply(struct store *st, struct ev_kube *e, tns t)
{
	struct event *ev = event_new(EV_KUBE, t, "bench\x1fpods\x1f", e);
	store_apply(st, ev);
	event_free(ev);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void
row(const char *what, double v, const char *unit, const char *target)
{
	printf("| %s | %.2f %s | %s |\n", what, v, unit, target);
}

struct frame_setup {
	struct panel		 p;
	struct dash_panel	 cfg;
	struct view		 view;
	struct wctx		 c;
	struct canvas		*cv;
};

static void
setup(struct frame_setup *f, struct store *st, tns now)
{
	memset(f, 0, sizeof *f);
	f->cfg.type = "pods";
	f->cfg.path = "bench";
	f->cfg.decimals = -1;
	f->p.cfg = &f->cfg;
	f->p.cls = widget_class_find("pods");
	f->p.cls->init(&f->p, NULL, NULL);
	f->p.nneed = 1;
	f->p.need[0] = (struct need){ .qi = 0, .kind = "pods" };
	f->p.key[0] = "bench\x1fpods\x1f";
	view_init(&f->view, 3600 * NS_PER_S);
	f->c.store = st;
	f->c.view = &f->view;
	f->c.now = now;
	f->c.end = now;
	f->c.start = now - f->view.range;
	f->c.focused = f->c.inside = 1;
	f->cv = canvas_new(198, 58);	/* the inside of a 200x60 zoomed panel */
}

static double
frame(struct frame_setup *f)
{
	double t0 = now_ms();
	canvas_clear(f->cv, ROLE_DEFAULT);
	f->p.cls->draw(&f->p, f->cv, &f->c);
	return now_ms() - t0;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;
	const char *fix = argc > 2 ? argv[2] : "tests/fixtures/incident/kube";
	size_t len;
	char *text = make_list(fix, n, &len);
	struct store *st = store_new(NULL);
	struct frame_setup f;
	struct ev_kube *e;
	double t0, t, sum = 0, ft[1000];
	long rss0 = heap_kb(), rss1;
	tns now = 1795660320LL * NS_PER_S;
	struct kube_view v;
	char *err = NULL;
	int frames = 300;

	t0 = now_ms();
	e = parse(text, len);
	t = now_ms() - t0;
	printf("| pods | %d (%.1f MiB of kubectl JSON) | |\n", n, len / 1048576.0);
	row("parse the list (jsplit + cJSON per item + typed pods)", t, "ms", "");
	row("parse per pod", t * 1000 / n, "µs", "");
	t0 = now_ms();
	apply(st, e, now);
	row("store the snapshot (history, hashes)", now_ms() - t0, "ms", "");
	rss1 = heap_kb();
	e = parse(text, len);
	t0 = now_ms();
	apply(st, e, now + NS_PER_S);
	row("store an identical relist (no new versions)", now_ms() - t0, "ms", "");
	free(text);
	store_kube(st, "bench\x1fpods\x1f", now + 2 * NS_PER_S, &v);
	row("memory: heap growth for the parsed, stored pods", (rss1 - rss0) / 1024.0, "MiB", "");
	row("memory: pod history table (its own byte count)", v.bytes / 1048576.0, "MiB", "");
	printf("| live pods in the view | %zu | |\n", v.n);

	setup(&f, st, now + 2 * NS_PER_S);
	row("first frame (row model of all pods built)", frame(&f), "ms", "");
	for (int i = 0; i < frames; i++) {
		f.p.cls->key(&f.p, i % 100 < 50 ? 'j' : K_PGDN, &f.c);
		ft[i] = frame(&f);
		sum += ft[i];
	}
	qsort(ft, (size_t)frames, sizeof *ft, cmp_double);
	row("frame while scrolling, mean (200x60)", sum / frames, "ms", "< 5 ms");
	row("frame while scrolling, median", ft[frames / 2], "ms", "< 5 ms");
	row("frame while scrolling, p99", ft[frames * 99 / 100], "ms", "< 5 ms");
	row("frame while scrolling, max (shared CPU)", ft[frames - 1], "ms", "");
	{
		/* one pod changes (a MODIFIED from the watch): the model rebuilds */
		struct ev_kube *u = kube_ev_new(KK_POD, KOP_UPSERT, "bench");
		char *one = make_list(fix, 1, &len);
		struct ev_kube *all = parse(one, len);
		struct kpod *pod = all->items[0];
		all->n = 0;
		kube_ev_free(all);
		free(one);
		if (pod->nst_c)
			pod->st_c[0].restarts += 5;
		kube_ev_add(u, pod);
		apply(st, u, now + 3 * NS_PER_S);
		f.c.now = f.c.end = now + 3 * NS_PER_S;
		row("frame after a watch event (model rebuilt)", frame(&f), "ms", "");
	}
	f.p.cls->search(&f.p, "payment|order", &f.c, &err);
	row("frame after setting a regex filter", frame(&f), "ms", "");
	free(err);
	f.p.cls->free(&f.p);
	canvas_free(f.cv);
	store_free(st);
	return 0;
}
