/* buf: a growable byte buffer with a hard limit fixed at creation.
 * Appending past the limit fails (returns -1) and sets `overflow`; the
 * contents are always NUL-terminated so they can be used as a C string. */
#ifndef SCRY_BUF_H
#define SCRY_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 limit;		/* maximum len, in bytes */
	int	 overflow;	/* an append was refused */
};

void	buf_init(struct buf *b, size_t limit);
void	buf_free(struct buf *b);
void	buf_reset(struct buf *b);
int	buf_append(struct buf *b, const void *p, size_t n);
int	buf_putc(struct buf *b, int c);
int	buf_puts(struct buf *b, const char *s);
int	buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append what fits of s[0..n) without cutting a UTF-8 sequence; -1 (and
 * overflow set) when it was cut or the buffer had overflowed before:
 * display text is cut where it is too long, never left out whole. */
int	buf_put_fit(struct buf *b, const char *s, size_t n);
/* Take ownership of the bytes; the buffer is left empty. */
char   *buf_steal(struct buf *b, size_t *lenp);

/* Little helpers for binary encodings (recordings, wire formats). */
int	buf_put_uvarint(struct buf *b, uint64_t v);
int	buf_put_svarint(struct buf *b, int64_t v);
int	buf_put_u32le(struct buf *b, uint32_t v);
int	buf_put_f64(struct buf *b, double v);
int	buf_put_str(struct buf *b, const char *s, size_t n);	/* uvarint length + bytes */

/* A read cursor over bytes; every getter fails (returns -1) past the end
 * and sets `err`, so decoders can check once at the end. */
struct rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 err;
};
void	rd_init(struct rd *r, const void *p, size_t len);
int	rd_uvarint(struct rd *r, uint64_t *v);
int	rd_svarint(struct rd *r, int64_t *v);
int	rd_u32le(struct rd *r, uint32_t *v);
int	rd_f64(struct rd *r, double *v);
/* Points into the input; *n is the length.  Fails if longer than max. */
int	rd_str(struct rd *r, const char **s, size_t *n, size_t max);
int	rd_bytes(struct rd *r, const void **p, size_t n);

#endif
