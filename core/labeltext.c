/* labeltext: label sets as text, see labeltext.h.  The parser is strict
 * (it reads only what the formatter writes) and bounded by its input. */
#include "core/labeltext.h"

#include <ctype.h>
#include <string.h>

int
labeltext_format(const struct labelset *ls, struct buf *b)
{
	int r = buf_putc(b, '{');

	for (uint32_t i = 0; i < ls->n && r == 0; i++) {
		if (i)
			r |= buf_putc(b, ',');
		r |= buf_puts(b, ls->v[i].name);
		r |= buf_puts(b, "=\"");
		for (const char *v = ls->v[i].value; *v && r == 0; v++) {
			if (*v == '\\' || *v == '"')
				r |= buf_putc(b, '\\');
			r |= *v == '\n' ? buf_puts(b, "\\n") : buf_putc(b, *v);
		}
		r |= buf_putc(b, '"');
	}
	r |= buf_putc(b, '}');
	return r ? -1 : 0;
}

static int
name_char(int c, int first)
{
	return isalpha(c) || c == '_' || (!first && isdigit(c));
}

/* One name="value" pair at s[*i]; the value is unescaped into b. */
static int
pair(const char *s, size_t n, size_t *i, struct labelset *ls, struct buf *b)
{
	size_t ns = *i;

	while (*i < n && name_char((unsigned char)s[*i], *i == ns))
		(*i)++;
	if (*i == ns || *i + 1 >= n || s[*i] != '=' || s[*i + 1] != '"')
		return -1;
	{
		size_t ne = *i;
		buf_reset(b);
		for (*i += 2; *i < n && s[*i] != '"'; (*i)++) {
			char c = s[*i];
			if (c == '\\') {
				if (++*i >= n)
					return -1;
				c = s[*i] == 'n' ? '\n' : s[*i];
				if (s[*i] != 'n' && s[*i] != '\\' && s[*i] != '"')
					return -1;
			}
			if (c == '\0' || buf_putc(b, c) < 0)
				return -1;
		}
		if (*i >= n)
			return -1;
		(*i)++;
		labels_setn(ls, s + ns, ne - ns, b->data ? b->data : "", b->len);
	}
	return 0;
}

int
labeltext_parse(const char *s, size_t n, struct labelset *ls)
{
	struct buf b;
	size_t i = 1;
	int r = 0;

	labels_init(ls);
	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return -1;
	buf_init(&b, n);
	while (r == 0 && i < n - 1) {
		if (ls->n && s[i++] != ',') {
			r = -1;
			break;
		}
		r = pair(s, n - 1, &i, ls, &b);
	}
	buf_free(&b);
	if (r < 0) {
		labels_free(ls);
		return -1;
	}
	labels_finish(ls);
	return 0;
}
