/* legend: series naming. */
#include "widgets/legend.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"

static void
expand(const struct labelset *ls, const char *t, struct buf *b)
{
	while (*t) {
		const char *close;
		if (t[0] == '{' && t[1] == '{' && (close = strstr(t + 2, "}}"))) {
			char name[128];
			const char *s = t + 2, *e = close, *v;
			size_t n;
			while (s < e && isspace((unsigned char)*s))
				s++;
			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			n = (size_t)(e - s) < sizeof name - 1 ? (size_t)(e - s) : sizeof name - 1;
			memcpy(name, s, n);
			name[n] = '\0';
			if ((v = labels_get(ls, name)))
				buf_put_fit(b, v, strlen(v));
			t = close + 2;
			continue;
		}
		buf_put_fit(b, t++, 1);
	}
}

void
legend_name(const struct labelset *ls, const char *tmpl, const char *expr, char *dst, size_t n)
{
	struct buf b;
	const char *name = labels_get(ls, "__name__");

	buf_init(&b, n > 1 ? n - 1 : 1);
	if (tmpl && *tmpl)
		expand(ls, tmpl, &b);
	else if (ls->n > (name ? 1u : 0u)) {
		if (name)
			buf_puts(&b, name);
		labels_format(ls, &b, 1);
	} else if (name)
		buf_puts(&b, name);
	else
		buf_puts(&b, expr ? expr : "");
	snprintf(dst, n, "%s", b.data ? b.data : "");
	if (b.overflow && n > 4) {	/* cut: say so where the text ends */
		size_t l = strlen(dst);
		l = l > n - 4 ? n - 4 : l;
		while (l > 0 && ((unsigned char)dst[l] & 0xc0) == 0x80)
			l--;
		memcpy(dst + l, "...", 4);
	}
	buf_free(&b);
}
