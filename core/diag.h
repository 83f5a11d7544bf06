/* diag: diagnostics for user-written inputs (dashboards, themes, options).
 * Each entry names file:line:column, the key, and what was expected.
 * Errors make a load fail; warnings (unknown keys) do not. */
#ifndef SCRY_DIAG_H
#define SCRY_DIAG_H
#include <stddef.h>

enum diag_sev { DIAG_ERROR, DIAG_WARN };

struct diag_entry {
	enum diag_sev	 sev;
	char		*msg;	/* "file:line:col: key: message" */
};

struct diag {
	struct diag_entry	*e;
	size_t			 n, cap;
	size_t			 nerrors;
};

void	diag_init(struct diag *d);
void	diag_free(struct diag *d);
void	diag_add(struct diag *d, enum diag_sev sev, const char *file, int line,
	    int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* First error message, or NULL. */
const char *diag_first_error(const struct diag *d);
/* Every message (errors and warnings), one per line, without a final
 * newline; allocated ("" when there is none). */
char	*diag_join(const struct diag *d);

#endif
