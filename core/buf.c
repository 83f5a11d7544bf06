/* buf: bounded growable byte buffers and a bounds-checked reader. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void
buf_init(struct buf *b, size_t limit)
{
	memset(b, 0, sizeof *b);
	b->limit = limit;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int
buf_reserve(struct buf *b, size_t n)
{
	size_t need;

	if (n > b->limit || b->len > b->limit - n) {
		b->overflow = 1;
		return -1;
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t c = b->cap ? b->cap : 64;
		while (c < need)
			c *= 2;
		if (c > b->limit + 1)
			c = b->limit + 1;
		b->data = xrealloc(b->data, c);
		b->cap = c;
	}
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;
	return buf_append(b, &ch, 1);
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	if (buf_reserve(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *
buf_steal(struct buf *b, size_t *lenp)
{
	char *d = b->data ? b->data : xstrdup("");
	if (lenp)
		*lenp = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

int
buf_put_uvarint(struct buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		tmp[n++] = byte | (v ? 0x80 : 0);
	} while (v);
	return buf_append(b, tmp, n);
}

int
buf_put_svarint(struct buf *b, int64_t v)
{
	/* zigzag; the sign mask without shifting a signed value (implementation-defined) */
	uint64_t u = ((uint64_t)v << 1) ^ ((uint64_t)0 - ((uint64_t)v >> 63));
	return buf_put_uvarint(b, u);
}

int
buf_put_u32le(struct buf *b, uint32_t v)
{
	uint8_t t[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
	return buf_append(b, t, 4);
}

int
buf_put_f64(struct buf *b, double v)
{
	uint64_t u;
	uint8_t t[8];

	memcpy(&u, &v, 8);
	for (int i = 0; i < 8; i++)
		t[i] = (uint8_t)(u >> (8 * i));
	return buf_append(b, t, 8);
}

int
buf_put_str(struct buf *b, const char *s, size_t n)
{
	if (buf_put_uvarint(b, n) < 0)
		return -1;
	return buf_append(b, s, n);
}

void
rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = 0;
}

int
rd_uvarint(struct rd *r, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;

	while (r->off < r->len && shift < 64) {
		uint8_t byte = r->p[r->off++];
		x |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*v = x;
			return 0;
		}
		shift += 7;
	}
	r->err = 1;
	*v = 0;
	return -1;
}

int
rd_svarint(struct rd *r, int64_t *v)
{
	uint64_t u;
	if (rd_uvarint(r, &u) < 0) {
		*v = 0;
		return -1;
	}
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return 0;
}

int
rd_u32le(struct rd *r, uint32_t *v)
{
	if (r->len - r->off < 4 || r->off > r->len) {
		r->err = 1;
		*v = 0;
		return -1;
	}
	*v = (uint32_t)r->p[r->off] | (uint32_t)r->p[r->off + 1] << 8 |
	    (uint32_t)r->p[r->off + 2] << 16 | (uint32_t)r->p[r->off + 3] << 24;
	r->off += 4;
	return 0;
}

int
rd_f64(struct rd *r, double *v)
{
	uint64_t u = 0;
	if (r->off > r->len || r->len - r->off < 8) {
		r->err = 1;
		*v = 0;
		return -1;
	}
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)r->p[r->off + i] << (8 * i);
	r->off += 8;
	memcpy(v, &u, 8);
	return 0;
}

int
rd_bytes(struct rd *r, const void **p, size_t n)
{
	if (r->off > r->len || r->len - r->off < n) {
		r->err = 1;
		*p = NULL;
		return -1;
	}
	*p = r->p + r->off;
	r->off += n;
	return 0;
}

int
rd_str(struct rd *r, const char **s, size_t *n, size_t max)
{
	uint64_t len;
	const void *p;

	*s = "";
	*n = 0;
	if (rd_uvarint(r, &len) < 0)
		return -1;
	if (len > max) {
		r->err = 1;
		return -1;
	}
	if (rd_bytes(r, &p, (size_t)len) < 0)
		return -1;
	*s = p;
	*n = (size_t)len;
	return 0;
}

int
buf_put_fit(struct buf *b, const char *s, size_t n)
{
	size_t room = b->limit > b->len ? b->limit - b->len : 0;

	if (b->overflow)
		return -1;
	if (n <= room) {
		buf_append(b, s, n);
		return 0;
	}
	n = room;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	buf_append(b, s, n);
	b->overflow = 1;
	return -1;
}
