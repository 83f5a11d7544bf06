/* fuzz target: recordings (core/recread.c, core/recformat.c; recordings
 * are untrusted input, man/scry-recording.5): open from memory (preamble,
 * header, index or scan, notes), walk the records with a cursor as the
 * replay clock does (bounded steps, peek, rewind), then verify every
 * event and digest against a store as `scry --check` does.
 *
 * Input: one selector byte, then the file.  With bit 0 set the target
 * first repairs every checksum it can find (preamble, each frame header
 * and payload in a chain of "SCRF" frames, the trailer), so mutations get
 * past the CRCs into the frames, the record streams and the events; with
 * it clear the bytes are read as they are (corruption handling).  The
 * other bits pick the cursor's step. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/recformat.h"
#include "core/recread.h"
#include "core/store.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute the checksums of the preamble, the chain of frames after it
 * and a trailer right after the last frame. */
static void
repair(uint8_t *p, size_t len)
{
	size_t off = REC_PREAMBLE_LEN;

	if (len < REC_PREAMBLE_LEN || memcmp(p, REC_MAGIC, 8) != 0)
		return;
	put_u32(p + 12, rec_crc32(0, p, 12));
	while (len - off >= REC_FRAME_HDR_LEN && memcmp(p + off, REC_FRAME_MAGIC, 4) == 0) {
		uint8_t *h = p + off;
		uint32_t stored = get_u32(h + 8);
		if (len - off - REC_FRAME_HDR_LEN >= stored)
			put_u32(h + 40, rec_crc32(0, h + REC_FRAME_HDR_LEN, stored));
		put_u32(h + 44, rec_crc32(0, h, 44));
		if (len - off - REC_FRAME_HDR_LEN < stored)
			return;
		off += REC_FRAME_HDR_LEN + stored;
	}
	if (len - off == REC_TRAILER_LEN && memcmp(p + off, REC_END_MAGIC, 8) == 0)
		put_u32(p + off + 16, rec_crc32(0, p + off, 16));
}

static void
walk(const struct recread *r, tns step)
{
	struct rec_cursor c;
	struct rec_record rec;
	tns t = r->t_start;
	size_t n = 0;

	reccur_init(&c, r);
	for (int i = 0; i < 64 && reccur_peek_time(&c) != TNS_NONE; i++) {
		while (reccur_next(&c, t, &rec))
			n += rec.len;
		t = t > INT64_MAX - step ? INT64_MAX : t + step;
	}
	reccur_rewind(&c);
	while (reccur_next(&c, INT64_MAX, &rec))
		n += rec.len;
	(void)n;
	reccur_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;
	struct recread *r;
	struct rec_verify v;
	struct store *st;
	char *err = NULL;

	if (size < 1)
		return 0;
	p = xmalloc(size);
	memcpy(p, data + 1, size - 1);
	if (data[0] & 1)
		repair(p, size - 1);
	if (!(r = recread_open_mem(p, size - 1, &err))) {
		if (!err)
			abort();	/* a refusal always says why */
		free(err);
		free(p);
		return 0;
	}
	walk(r, (tns)((data[0] >> 1) + 1) * NS_PER_S);
	st = store_new(NULL);
	recread_verify(r, st, &v);
	(void)recread_has_key(r, "prometheus\x1frange\x1fup");
	store_free(st);
	recread_free(r);
	free(p);
	return 0;
}
