/* logdetail: one log line in full — time to the nanosecond, level, trace
 * id, every stream label, the logfmt or JSON fields, the whole line
 * wrapped, and JSON pretty-printed.  Drawn over the pane; Esc closes.
 * All of it is untrusted text and goes through the canvas sanitiser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "widgets/logs.h"

#define KEY_W	11

struct emit {
	struct canvas	*cv;
	int		 y;		/* virtual row (before scrolling) */
	int		 scroll;
};

/* "label  text", the text wrapped under itself. */
static void
row(struct emit *e, const char *label, const char *text, size_t len, enum role role, uint8_t attr)
{
	struct text_opts o = { .role = role, .attr = attr };
	int x = label ? KEY_W : 2, w = e->cv->w - x;

	if (label && e->y - e->scroll >= 1 && e->y - e->scroll < e->cv->h)
		canvas_str(e->cv, 0, e->y - e->scroll, KEY_W - 1, label, ROLE_TITLE, CA_BOLD);
	do {
		size_t used = w > 0 ? san_wrap(text, len, w, 0) : len;
		int ry = e->y - e->scroll;
		if (ry >= 1 && ry < e->cv->h && w > 0)
			canvas_text(e->cv, x, ry, w, text, used, &o, NULL);
		text += used;
		len -= used;
		if (len && (*text == '\n' || *text == ' '))
			text++, len--;	/* a wrapped row starts at its word */
		e->y++;
	} while (len && w > 0);
}

static void
heading(struct emit *e, const char *h)
{
	int ry = e->y - e->scroll;

	if (ry >= 1 && ry < e->cv->h)
		canvas_str(e->cv, 0, ry, e->cv->w, h, ROLE_TITLE, CA_BOLD | CA_UNDERLINE);
	e->y++;
}

static void
time_rows(struct emit *e, tns t, const struct wctx *c)
{
	char iso[48], loc[48], buf[128];

	ts_fmt_rfc3339(iso, sizeof iso, t);
	ts_fmt_datetime(loc, sizeof loc, t, 0);
	if (strlen(iso) > 1 && iso[strlen(iso) - 1] == 'Z')
		iso[strlen(iso) - 1] = '\0';
	snprintf(buf, sizeof buf, "%s.%09lldZ  (local %s)", iso, (long long)((t % NS_PER_S + NS_PER_S) % NS_PER_S), loc);
	row(e, "time", buf, strlen(buf), ROLE_TEXT, 0);
	(void)c;
}

static void
field_rows(struct emit *e, const char *text, size_t len)
{
	struct logfmt_kv kv;
	size_t pos = 0;
	int n = 0;

	while (logfmt_next(text, len, &pos, &kv) && n < 200) {
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(kv.kl < 40 ? kv.kl : 40), kv.k);
		if (!n++)
			heading(e, "fields (logfmt)");
		row(e, key, kv.v, kv.vl, ROLE_TEXT, 0);
	}
}

static void
json_rows(struct emit *e, const char *text, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(text, len);
	char *pretty;

	if (!j || (!cJSON_IsObject(j) && !cJSON_IsArray(j))) {
		cJSON_Delete(j);
		field_rows(e, text, len);
		return;
	}
	heading(e, "fields (JSON)");
	for (const cJSON *f = j->child; f && cJSON_IsObject(j); f = f->next) {
		char *v = cJSON_IsString(f) ? NULL : cJSON_PrintUnformatted(f);
		const char *val = cJSON_IsString(f) ? f->valuestring : v ? v : "";
		row(e, f->string, val, strlen(val), ROLE_TEXT, 0);
		free(v);
	}
	if ((pretty = cJSON_Print(j))) {
		heading(e, "JSON");
		for (const char *p = pretty; *p;) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);
			row(e, NULL, p, l, ROLE_TEXT, 0);
			p += l + (nl ? 1 : 0);
		}
		free(pretty);
	}
	cJSON_Delete(j);
}

void
logdetail_draw(struct logs_state *s, const struct lline *l, struct canvas *cv, const struct wctx *c)
{
	struct emit e = { cv, 1, s->detail_scroll };
	const struct labelset *ls = logs_stream(s, l);
	size_t len = LREC_LEN(l->r), ms, me;
	char *id = NULL;

	canvas_clear(cv, ROLE_DEFAULT);
	canvas_str(cv, 0, 0, cv->w, "line detail \xc2\xb7 j/k scroll \xc2\xb7 y copy \xc2\xb7 "
	    "Enter trace \xc2\xb7 Esc back", ROLE_STATUSKEY, 0);
	time_rows(&e, l->r->t, c);
	row(&e, "level", logline_level_name((int)LREC_LEVEL(l->r)),
	    strlen(logline_level_name((int)LREC_LEVEL(l->r))), ROLE_TEXT, 0);
	if (loglens_trace_id(s, c, l, &id, &ms, &me))
		row(&e, "trace id", id, strlen(id), ROLE_TRACELINK, CA_UNDERLINE);
	free(id);
	if (LREC_FLAGS(l->r) & LR_CUT)
		row(&e, "note", "the line was longer than 64 KiB and was cut", 44, ROLE_WARN, 0);
	if (LREC_FLAGS(l->r) & LR_BADUTF)
		row(&e, "note", "not valid UTF-8: bad bytes shown as \\xHH", 41, ROLE_WARN, 0);
	heading(&e, "stream labels");
	for (uint32_t i = 0; ls && i < ls->n; i++)
		row(&e, ls->v[i].name, ls->v[i].value, strlen(ls->v[i].value), ROLE_TEXT, 0);
	heading(&e, "line");
	row(&e, NULL, l->text, len, ROLE_TEXT, 0);
	json_rows(&e, l->text, len);
	if (s->detail_scroll > e.y - 2)
		s->detail_scroll = e.y - 2 > 0 ? e.y - 2 : 0;
}

int
logdetail_key(struct logs_state *s, struct panel *p, int key, const struct wctx *c)
{
	int page = s->rows > 2 ? s->rows - 1 : 1;
	struct lline l;

	(void)p;
	switch (key) {
	case 'j': case K_DOWN: case 'J':
		s->detail_scroll++;
		break;
	case 'k': case K_UP: case 'K':
		s->detail_scroll = s->detail_scroll > 0 ? s->detail_scroll - 1 : 0;
		break;
	case K_PGDN: case K_CTRL_F: case ' ':
		s->detail_scroll += page;
		break;
	case K_PGUP: case K_CTRL_B:
		s->detail_scroll = s->detail_scroll > page ? s->detail_scroll - page : 0;
		break;
	case K_ESC: case 'v': case 'h': case K_LEFT:
		s->detail = 0;
		break;
	case 'y': case 'Y': case K_ENTER: case '\r': case 'L':
		s->detail = 0;	/* handled by the pane on the selected line */
		return WK_IGNORED;
	default:
		(void)l;
		return WK_HANDLED;	/* the detail view owns the keys */
	}
	(void)c;
	return WK_HANDLED;
}
