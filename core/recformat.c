/* recformat: preamble, frame header, trailer and record codecs, CRC-32 and
 * the zstd wrappers.  Pure functions over bytes; nothing here does I/O.
 * Invariant: a header accepted by rec_get_frame_header() has lengths
 * within REC_STORED_MAX / REC_RAW_MAX and a known codec. */
#include "core/recformat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/xalloc.h"

static uint32_t crc_table[256];
static int crc_ready;

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

uint32_t
rec_crc32(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *s = p;

	if (!crc_ready)
		crc_init();	/* idempotent: racing threads compute the same table */
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void
put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

void
rec_put_preamble(struct buf *b)
{
	uint8_t p[REC_PREAMBLE_LEN];

	memcpy(p, REC_MAGIC, 8);
	put_u32(p + 8, REC_VERSION);
	put_u32(p + 12, rec_crc32(0, p, 12));
	buf_append(b, p, sizeof p);
}

int
rec_get_preamble(const uint8_t *p, size_t len, uint32_t *version, char **err)
{
	if (len < REC_PREAMBLE_LEN || memcmp(p, REC_MAGIC, 8) != 0) {
		*err = xstrdup(len < 8 ? "byte 0: too short to be a scry recording" :
		    "byte 0: not a scry recording (no SCRYREC signature)");
		return -1;
	}
	*version = get_u32(p + 8);
	if (get_u32(p + 12) != rec_crc32(0, p, 12)) {
		*err = xstrdup("byte 8: recording preamble is corrupt (checksum mismatch)");
		return -1;
	}
	if (*version == 0 || *version > REC_VERSION) {
		*err = xasprintf("byte 8: recording format version %u is not supported "
		    "(this scry reads version %d%s)", *version, REC_VERSION,
		    *version > REC_VERSION ? "; it was written by a newer scry" : "");
		return -1;
	}
	return 0;
}

void
rec_put_frame_header(struct buf *b, const struct rec_frame *f)
{
	uint8_t h[REC_FRAME_HDR_LEN];

	memcpy(h, REC_FRAME_MAGIC, 4);
	h[4] = f->type;
	h[5] = f->codec;
	put_u16(h + 6, f->flags);
	put_u32(h + 8, f->stored_len);
	put_u32(h + 12, f->raw_len);
	put_u64(h + 16, (uint64_t)f->t_first);
	put_u64(h + 24, (uint64_t)f->t_last);
	put_u32(h + 32, f->nrecords);
	put_u32(h + 36, f->aux);
	put_u32(h + 40, f->crc);
	put_u32(h + 44, rec_crc32(0, h, 44));
	buf_append(b, h, sizeof h);
}

int
rec_get_frame_header(const uint8_t *h, struct rec_frame *f, char **err)
{
	if (memcmp(h, REC_FRAME_MAGIC, 4) != 0) {
		*err = xstrdup("no frame signature (SCRF)");
		return -1;
	}
	if (get_u32(h + 44) != rec_crc32(0, h, 44)) {
		*err = xstrdup("frame header is corrupt (checksum mismatch)");
		return -1;
	}
	f->type = h[4];
	f->codec = h[5];
	f->flags = (uint16_t)(h[6] | h[7] << 8);
	f->stored_len = get_u32(h + 8);
	f->raw_len = get_u32(h + 12);
	f->t_first = (tns)get_u64(h + 16);
	f->t_last = (tns)get_u64(h + 24);
	f->nrecords = get_u32(h + 32);
	f->aux = get_u32(h + 36);
	f->crc = get_u32(h + 40);
	if (f->codec != RC_STORED && f->codec != RC_ZSTD) {
		*err = xasprintf("unknown frame compression %u", f->codec);
		return -1;
	}
	if (f->stored_len > REC_STORED_MAX || f->raw_len > REC_RAW_MAX ||
	    (f->codec == RC_STORED && f->stored_len != f->raw_len)) {
		*err = xasprintf("frame sizes out of bounds (stored %u, raw %u bytes; limits %u, %u)",
		    f->stored_len, f->raw_len, REC_STORED_MAX, REC_RAW_MAX);
		return -1;
	}
	if (f->t_last < f->t_first) {
		*err = xstrdup("frame time range is reversed");
		return -1;
	}
	return 0;
}

void
rec_put_trailer(struct buf *b, uint64_t index_off)
{
	uint8_t t[REC_TRAILER_LEN];

	memcpy(t, REC_END_MAGIC, 8);
	put_u64(t + 8, index_off);
	put_u32(t + 16, rec_crc32(0, t, 16));
	put_u32(t + 20, 0);
	buf_append(b, t, sizeof t);
}

int
rec_get_trailer(const uint8_t *t, uint64_t *index_off)
{
	if (memcmp(t, REC_END_MAGIC, 8) != 0 || get_u32(t + 16) != rec_crc32(0, t, 16) ||
	    get_u32(t + 20) != 0)
		return -1;
	*index_off = get_u64(t + 8);
	return 0;
}

static size_t
varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		p[n++] = byte | (v ? 0x80 : 0);
	} while (v);
	return n;
}

void
rec_put_record(struct buf *b, int type, tns t, tns *prev, const void *body, size_t n)
{
	uint8_t head[20];
	int64_t d = (int64_t)((uint64_t)t - (uint64_t)*prev);
	size_t h = varint(head, (uint64_t)type);

	h += varint(head + h, ((uint64_t)d << 1) ^ ((uint64_t)0 - ((uint64_t)d >> 63)));	/* zigzag */
	buf_put_uvarint(b, h + n);
	buf_append(b, head, h);
	buf_append(b, body, n);
	*prev = t;
}

int
rec_get_record(struct rd *r, tns *prev, struct rec_record *out, char **err)
{
	uint64_t len, type;
	int64_t d;
	const void *body;
	struct rd in;

	if (r->off >= r->len)
		return 0;
	if (rd_uvarint(r, &len) < 0 || len > r->len - r->off ||
	    rd_bytes(r, &body, (size_t)len) < 0) {
		*err = xstrdup("record runs past the end of its frame");
		return -1;
	}
	rd_init(&in, body, (size_t)len);
	if (rd_uvarint(&in, &type) < 0 || rd_svarint(&in, &d) < 0) {
		*err = xstrdup("record header is truncated");
		return -1;
	}
	out->type = type > 1000 ? 1000 : (int)type;
	out->t = (tns)((uint64_t)*prev + (uint64_t)d);
	*prev = out->t;
	out->p = in.p + in.off;
	out->len = in.len - in.off;
	return 1;
}

int
rec_event_head(const uint8_t *p, size_t n, uint64_t *kind, const char **key, size_t *klen,
    size_t *payload_off)
{
	struct rd rd;
	int64_t t;

	rd_init(&rd, p, n);
	if (rd_uvarint(&rd, kind) < 0 || rd_svarint(&rd, &t) < 0 ||
	    rd_str(&rd, key, klen, 64 * 1024) < 0)
		return -1;
	*payload_off = rd.off;
	return 0;
}

int
rec_compress(struct buf *b, const void *src, size_t n, int level)
{
	size_t bound = ZSTD_compressBound(n), got;
	char *tmp = xmalloc(bound ? bound : 1);

	got = ZSTD_compress(tmp, bound, src, n, level);
	if (ZSTD_isError(got)) {
		free(tmp);
		return -1;
	}
	buf_append(b, tmp, got);
	free(tmp);
	return b->overflow ? -1 : 0;
}

int
rec_decompress(const void *src, size_t n, void *dst, size_t raw_len, char **err)
{
	unsigned long long want = ZSTD_getFrameContentSize(src, n);
	size_t got;

	if (want == ZSTD_CONTENTSIZE_ERROR) {
		*err = xstrdup("payload is not a zstd frame");
		return -1;
	}
	if (want != ZSTD_CONTENTSIZE_UNKNOWN && want != raw_len) {
		*err = xasprintf("payload decompresses to %llu bytes, header says %zu", want, raw_len);
		return -1;
	}
	got = ZSTD_decompress(dst, raw_len, src, n);
	if (ZSTD_isError(got)) {
		*err = xasprintf("zstd: %s", ZSTD_getErrorName(got));
		return -1;
	}
	if (got != raw_len) {
		*err = xasprintf("payload decompresses to %zu bytes, header says %zu", got, raw_len);
		return -1;
	}
	return 0;
}
