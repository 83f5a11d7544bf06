/* jpull: a pull parser for one JSON document held in memory.
 *
 * Backend answers can be tens of megabytes (a 1,000 x 1,000 Prometheus
 * matrix is 21 MB); a DOM parser needs ~13x that in nodes.  jpull walks
 * the text in place instead: the caller asks for what it expects next
 * (an object, its next key, an array element, a string, a number) and
 * skips what it does not know.  Nothing is allocated per value; strings
 * without escapes point into the input, escaped ones are decoded into one
 * of two scratch buffers (one for keys, one for values, so a key survives
 * reading its value).
 *
 * Invariants: errors are sticky (after the first, every call fails and
 * j->msg says what and where); nesting is limited to JP_DEPTH_MAX; the
 * input is never read past len (it need not be NUL-terminated).
 * Untrusted input is the normal case: callers treat every member as
 * optional and skip unknown keys with jp_skip(). */
#ifndef SCRY_JPULL_H
#define SCRY_JPULL_H
#include <stddef.h>
#include <stdint.h>

#define JP_DEPTH_MAX	128

enum jtype { JP_EOF, JP_OBJ, JP_ARR, JP_STR, JP_NUM, JP_BOOL, JP_NULL, JP_BAD };

struct jpull {
	const char	*s;
	size_t		 len, off;
	int		 depth;
	int		 err;
	char		 msg[128];
	uint8_t		 more[JP_DEPTH_MAX];	/* container at depth has had an element */
	char		*kbuf, *vbuf;		/* scratch for escaped keys / values */
	size_t		 kcap, vcap;
};

void	jp_init(struct jpull *j, const char *s, size_t len);
void	jp_free(struct jpull *j);
/* Type of the next value (after whitespace), without consuming it. */
enum jtype jp_peek(struct jpull *j);
/* Enter an object: 0, or -1 if the next value is not an object. */
int	jp_obj(struct jpull *j);
/* Next member of the current object: 1 with the key (and ':' consumed),
 * 0 at the closing brace (consumed), -1 on error.  The key is valid until
 * the next jp_key call. */
int	jp_key(struct jpull *j, const char **k, size_t *kn);
/* Enter an array. */
int	jp_arr(struct jpull *j);
/* 1 if another element follows (positioned at it), 0 at ']' (consumed). */
int	jp_elem(struct jpull *j);
/* A string value (decoded UTF-8, not NUL-terminated; valid until the next
 * jp_str).  -1 if the next value is not a string. */
int	jp_str(struct jpull *j, const char **s, size_t *n);
/* A number value. */
int	jp_num(struct jpull *j, double *v);
/* A number token as text (not converted; valid until the next call). */
int	jp_num_text(struct jpull *j, const char **s, size_t *n);
int	jp_bool(struct jpull *j, int *v);
/* Skip one value of any type (containers included). */
int	jp_skip(struct jpull *j);
/* Skip one value checking only its structure (brackets that match and
 * nest at most JP_DEPTH_MAX deep, terminated strings), not the tokens
 * between: for values that are counted and dropped (several times faster
 * than jp_skip). */
int	jp_skip_raw(struct jpull *j);
/* Only whitespace remains: 0, else -1 ("trailing data"). */
int	jp_end(struct jpull *j);
/* Key comparison helper: does (k, kn) equal the C string lit? */
int	jp_is(const char *k, size_t kn, const char *lit);
/* Fail with a message (for callers finding a wrong shape). */
int	jp_fail(struct jpull *j, const char *what);

#endif
