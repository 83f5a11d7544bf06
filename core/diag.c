/* diag: collected diagnostics with source positions.
 * Invariant: every stored message is sanitised (sanitize.h): no control,
 * C1, bidi or invalid byte of a hostile file survives into it. */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

void
diag_init(struct diag *d)
{
	memset(d, 0, sizeof *d);
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->e[i].msg);
	free(d->e);
	memset(d, 0, sizeof *d);
}

void
diag_add(struct diag *d, enum diag_sev sev, const char *file, int line, int col,
    const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *msg;

	if (!d)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	buf_init(&b, 64 * 1024);
	/* messages quote the file's own strings and reach a terminal
	 * (--check, --convert): made harmless here, once for every caller */
	if (file)
		san_to_buf(&b, file, strlen(file), SAN_NO_TABS);
	if (file && line > 0)
		buf_printf(&b, ":%d:%d: ", line, col);
	else if (file)
		buf_puts(&b, ": ");
	if (sev == DIAG_WARN)
		buf_puts(&b, "warning: ");
	san_to_buf(&b, msg, strlen(msg), SAN_NO_TABS);
	free(msg);
	xgrow(&d->e, &d->cap, d->n + 1, sizeof *d->e);
	d->e[d->n].sev = sev;
	d->e[d->n].msg = buf_steal(&b, NULL);
	d->n++;
	if (sev == DIAG_ERROR)
		d->nerrors++;
}

const char *
diag_first_error(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->e[i].sev == DIAG_ERROR)
			return d->e[i].msg;
	return NULL;
}

char *
diag_join(const struct diag *d)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	for (size_t i = 0; i < d->n; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", d->e[i].msg);
	return buf_steal(&b, NULL);
}
