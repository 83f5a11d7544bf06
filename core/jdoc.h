/* jdoc: a parsed JSON document that remembers where every value came from,
 * so configuration errors can name file:line:column and the key.
 * Parsing is cJSON_ParseWithLength (bounded, no recursion past cJSON's
 * nesting limit); a second walk over the text records offsets.
 * Also typed getters that report wrong types and unknown keys. */
#ifndef SCRY_JDOC_H
#define SCRY_JDOC_H
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/diag.h"
#include "core/ts.h"

struct jpos {
	const cJSON	*node;
	uint32_t	 key_off;	/* member key offset, or value offset */
	uint32_t	 val_off;
};

struct jdoc {
	cJSON		*root;
	char		*file;		/* name used in messages */
	char		*text;		/* owned copy of the input */
	size_t		 len;
	struct jpos	*pos;		/* sorted by node pointer */
	size_t		 npos, cap;
};

/* Parse; on a syntax error adds "file:line:col: ..." and returns -1. */
int	jdoc_parse(struct jdoc *d, const char *text, size_t len, const char *file, struct diag *dg);
void	jdoc_free(struct jdoc *d);
/* Line and column (1-based) of a node's value (or its key with key=1). */
void	jdoc_where(const struct jdoc *d, const cJSON *node, int key, int *line, int *col);
void	jdoc_diag(const struct jdoc *d, struct diag *dg, enum diag_sev sev, const cJSON *node,
	    int at_key, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* For other front ends that build d->root themselves (core/yaml.c):
 * remember where a node came from (byte offsets into d->text), then sort
 * once with jdoc_index() before the first lookup. */
void	jdoc_add_pos(struct jdoc *d, const cJSON *node, size_t key_off, size_t val_off);
void	jdoc_index(struct jdoc *d);

/* Print a tree for people to edit: two-space indentation (allocated).
 * The text is valid UTF-8 (an invalid byte becomes \ufffd) and safe on a
 * terminal: DEL, C1, bidi and invisible characters are \u escapes. */
char	*jdoc_print(const cJSON *root);

/* Typed getters.  Each returns the default when the key is absent, and
 * adds an error ("path.key: expected a string") when it has the wrong type.
 * `path` names the enclosing object for messages ("panels[2]"). */
const char *jd_str(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key, const char *def);
double	jd_num(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key, double def);
int	jd_int(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key, int def, int min, int max);
int	jd_bool(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key, int def);
/* Duration string ("15s") or number of seconds. */
tns	jd_duration(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key, tns def);
/* Object/array member of the given type or NULL (error if wrong type). */
const cJSON *jd_obj(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key);
const cJSON *jd_arr(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *key);
/* "a string", "a number", ... for messages. */
const char *jd_type_name(const cJSON *v);
/* Warn about keys of obj not in the NULL-terminated list(s). */
void	jd_check_keys(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
	    const char *const *known, const char *const *known2);

#endif
