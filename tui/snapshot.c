/* snapshot: headless single-frame rendering. */
#include "tui/snapshot.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "tui/app.h"
#include "tui/signals.h"
#include "tui/svcview.h"

/* Field by field: struct style has a padding byte memcmp would compare. */
static int
style_eq(const struct style *a, const struct style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

static void
sgr(FILE *out, const struct style *s, enum colormode cm)
{
	fputs("\033[0", out);
	if (s->attr & CA_BOLD) fputs(";1", out);
	if (s->attr & CA_DIM) fputs(";2", out);
	if (s->attr & CA_ITALIC) fputs(";3", out);
	if (s->attr & CA_UNDERLINE) fputs(";4", out);
	if (s->attr & CA_BLINK) fputs(";5", out);
	if (s->attr & CA_REVERSE) fputs(";7", out);
	if (s->fg >= 0)
		cm == CM_256 ? fprintf(out, ";38;5;%d", s->fg) : fprintf(out, ";%d", 30 + s->fg % 8);
	if (s->bg >= 0)
		cm == CM_256 ? fprintf(out, ";48;5;%d", s->bg) : fprintf(out, ";%d", 40 + s->bg % 8);
	fputc('m', out);
}

void
snapshot_write(const struct canvas *cv, const struct theme *t, enum colormode cm, FILE *out)
{
	snapshot_write_opts(cv, t, cm, 0, out);
}

void
snapshot_write_opts(const struct canvas *cv, const struct theme *t, enum colormode cm,
    int ascii, FILE *out)
{
	struct buf b;

	if (cm == CM_MONO) {
		buf_init(&b, 64u << 20);
		canvas_dump(cv, &b, ascii);
		fwrite(b.data ? b.data : "", 1, b.len, out);
		buf_free(&b);
		return;
	}
	for (int y = 0; y < cv->h; y++) {
		struct style cur = { -2, -2, 0xff };
		int last = cv->w;
		while (last > 0) {	/* trailing default blanks are not written */
			const struct cell *c = canvas_cell(cv, last - 1, y);
			struct style s = theme_style(t, (enum role)c->role, cm);
			if (c->ch != ' ' || s.bg >= 0 || (c->attr & CA_REVERSE) || (s.attr & CA_REVERSE))
				break;
			last--;
		}
		for (int x = 0; x < last; x++) {
			const struct cell *c = canvas_cell(cv, x, y);
			struct style s = theme_style(t, (enum role)c->role, cm);
			char enc[8];
			if ((c->flags & CF_WIDE_TAIL) && !ascii)
				continue;
			s.attr |= c->attr;
			if (!style_eq(&s, &cur)) {
				sgr(out, &s, cm);
				cur = s;
			}
			if (ascii)
				fputc(c->flags & CF_WIDE_TAIL ? ' ' : (int)canvas_ascii(c->ch), out);
			else {
				size_t n = utf8_encode(c->ch, enc);
				fwrite(enc, 1, n, out);
				if (c->comb) {
					n = utf8_encode(c->comb, enc);
					fwrite(enc, 1, n, out);
				}
			}
		}
		fputs("\033[0m\n", out);
	}
}

static enum colormode
snap_colors(const struct app *a, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	switch (a->opt.color) {
	case COLOR_ALWAYS:
		return CM_256;
	case COLOR_NEVER:
		return CM_MONO;
	default:
		return isatty(fileno(out)) && !(nc && *nc) ? CM_256 : CM_MONO;
	}
}

/* SIGTERM and friends end the wait; main re-raises after the output. */
static void
snap_wake(void *ctx)
{
	struct app *a = ctx;
	int sig = signals_pending();

	if (sig) {
		a->quit = 1;
		a->quit_signal = sig;
	}
}

int
snapshot_run(struct app *a, FILE *out)
{
	int64_t deadline;
	int utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	a->cols = a->opt.cols > 0 ? a->opt.cols : 120;
	a->rows = a->opt.rows > 0 ? a->opt.rows : 40;
	a->cm = snap_colors(a, out);
	a->ascii = !utf8 || (a->opt.glyphs && strcmp(a->opt.glyphs, "ascii") == 0);
	a->gs = a->ascii ? GS_ASCII : a->opt.glyphs && strcmp(a->opt.glyphs, "block") == 0 ?
	    GS_BLOCK : GS_BRAILLE;
	a->cv = canvas_new(a->cols, a->rows);
	loop_on_wake(a->loop, snap_wake, a);
	app_layout(a);
	app_schedule(a);
	deadline = ts_mono_ms() + (a->opt.timeout ? a->opt.timeout / NS_PER_MS : 15000);
	while ((!sched_all_done_once(&a->sched) || svcview_probing(a)) && ts_mono_ms() < deadline &&
	    !a->quit) {
		int64_t left = deadline - ts_mono_ms();
		loop_run_once(a->loop, left > 0 ? left : 0);
		if (a->relayout)
			app_layout(a);
	}
	if (a->quit_signal)
		return 1;
	/* one instant for the whole frame (and the end of a --record) */
	if (!a->replay_now)
		a->replay_now = app_now(a);
	/* widgets that spread work over frames (log filters) finish first */
	for (int i = 0; i < 1000; i++) {
		a->again = 0;
		app_render(a);
		if (!a->again)
			break;
	}
	snapshot_write_opts(a->cv, &a->theme, a->cm, a->ascii && !utf8, out);
	fflush(out);
	return ferror(out) ? 1 : 0;
}
