/* text: a panel of static text (notes, runbook links, Grafana "text").
 * Content comes from options.content; lines are wrapped to the panel
 * width, "# " headings are drawn bold, "- " items keep their indent.
 * Dashboard variables in it are expanded as text, as Grafana's text panel
 * does ("SERVICE: $service").  The text is dashboard-supplied and still
 * drawn through the sanitiser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "widgets/widget.h"

struct text_state {
	char	*content;
	int	 scroll;
};

static const char *const text_opts[] = { "content", "mode", NULL };

static int
text_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct text_state *s = xcalloc(1, sizeof *s);
	char opath[320];
	const char *c;

	snprintf(opath, sizeof opath, "%s.options", p->cfg->path);
	c = jd_str(doc, dg, p->cfg->options, opath, "content", NULL);

	if (!c)
		c = p->cfg->description ? p->cfg->description : "";
	s->content = xstrdup(c);
	p->w = s;
	return 0;
}

static void
text_free(struct panel *p)
{
	struct text_state *s = p->w;
	if (s)
		free(s->content);
	free(s);
	p->w = NULL;
}

/* Draw one logical line wrapped, skipping its first skip_rows rows;
 * returns the rows it takes in all. */
static int
draw_line(struct canvas *cv, int y, const char *line, size_t len, int skip_rows)
{
	struct text_opts o = { .role = ROLE_TEXT };
	int rows = 0, indent = 0;

	if (len >= 2 && line[0] == '#') {
		while (len && line[0] == '#')
			line++, len--;
		while (len && line[0] == ' ')
			line++, len--;
		o.role = ROLE_TITLE;
		o.attr = CA_BOLD;
	} else if (len >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ')
		indent = 2;
	do {
		int x = rows ? indent : 0, ry = y + rows - skip_rows;
		size_t used = san_wrap(line, len, cv->w - x, 0);
		if (rows >= skip_rows && ry < cv->h)
			canvas_text(cv, x, ry, cv->w - x, line, used, &o, NULL);
		line += used;
		len -= used;
		while (len && *line == ' ')
			line++, len--;
		rows++;
	} while (len && cv->w > indent);
	return rows;
}

static void
text_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct text_state *s = p->w;
	char *exp = c->db && (strchr(s->content, '$') || strstr(s->content, "[[")) ?
	    tmpl_expand_text(s->content, c->db) : NULL;
	const char *t = exp ? exp : s->content;
	int y = 0, skip = s->scroll;

	while (*t && y < cv->h) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		int rows = draw_line(cv, y, t, len, skip);
		if (skip >= rows)
			skip -= rows;
		else {
			y += rows - skip;
			skip = 0;
		}
		t += len + (nl ? 1 : 0);
	}
	free(exp);
}

static int
text_key(struct panel *p, int key, const struct wctx *c)
{
	struct text_state *s = p->w;

	switch (key) {
	case 'J':
		s->scroll++;
		return WK_HANDLED;
	case 'K':
		if (s->scroll > 0)
			s->scroll--;
		return WK_HANDLED;
	}
	(void)c;
	return WK_IGNORED;
}

static int
text_has_data(struct panel *p, const struct wctx *c)
{
	(void)p;
	(void)c;
	return 1;
}

const struct widget_class text_widget = {
	.name = "text",
	.help = "static text: notes, runbook pointers (options.content)",
	.option_keys = text_opts,
	.init = text_init,
	.free = text_free,
	.draw = text_draw,
	.key = text_key,
	.has_data = text_has_data,
};
