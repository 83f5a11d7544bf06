/* recformat: the on-disk layout of a scry recording (man/scry-recording.5),
 * shared by the writer (core/recorder.c) and the reader (core/recread.c).
 *
 * A recording is a 16-byte preamble, then self-describing frames, then
 * (after a clean close) a 24-byte trailer pointing at the last index frame:
 *
 *   preamble  "SCRYREC\0" u32le version u32le crc32(first 12 bytes)
 *   frame     48-byte header (below) + payload (zstd or stored)
 *   trailer   "SCRYEND\0" u64le index-offset u32le crc32(first 16) u32le 0
 *
 * Frame payloads of CHUNK, NOTES and the marks part of INDEX are record
 * streams: each record is uvarint body length, then the body: uvarint
 * record type, svarint time delta (from the previous record, the first
 * from the frame's t_first), then the type's bytes.  EVENT records carry
 * event_encode() bytes, so every registered event kind is recorded
 * generically; unknown kinds and record types are skipped by length.
 *
 * Every integer is little-endian; every length is checked against the
 * caps below before anything is allocated. */
#ifndef SCRY_RECFORMAT_H
#define SCRY_RECFORMAT_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/ts.h"

#define REC_VERSION		1
#define REC_MAGIC		"SCRYREC\0"
#define REC_END_MAGIC		"SCRYEND\0"
#define REC_FRAME_MAGIC		"SCRF"
#define REC_PREAMBLE_LEN	16
#define REC_FRAME_HDR_LEN	48
#define REC_TRAILER_LEN		24

/* Caps for untrusted input (and what the writer never exceeds). */
#define REC_STORED_MAX		(64u << 20)	/* compressed payload of one frame */
#define REC_RAW_MAX		(128u << 20)	/* decompressed payload of one frame */
#define REC_FILE_MAX		(4ull << 30)	/* whole recording */
#define REC_FRAMES_MAX		(1u << 20)
#define REC_KEYS_MAX		100000
#define REC_KEY_MAX		(64 * 1024)
#define REC_HEADER_FIELD_MAX	(32u << 20)

enum rec_frame_type {
	RF_HEADER = 1,		/* recording header: tagged fields */
	RF_CHUNK = 2,		/* records in time order */
	RF_NOTES = 3,		/* annotations appended after recording (:w) */
	RF_INDEX = 4,		/* frame table, key dictionary, timeline marks */
};

enum rec_codec { RC_STORED = 0, RC_ZSTD = 1 };

enum rec_record_type {
	RR_EVENT = 1,		/* event_encode() bytes */
	RR_DIGEST = 2,		/* u64le store_digest() at the record time */
	RR_GAP = 3,		/* uvarint events the recorder had to drop here */
	RR_END = 4,		/* the recording ends at this record's time */
};

/* Header field tags (RF_HEADER payload: uvarint count, then per field
 * uvarint tag, uvarint length, bytes). Unknown tags are skipped. */
enum rec_header_tag {
	RH_SCRY_VERSION = 1,	/* "0.1.0" */
	RH_CREATED = 2,		/* decimal ns since the epoch */
	RH_DASH_NAME = 3,	/* the dashboard's file name or "<built-in ...>" */
	RH_DASH_TEXT = 4,	/* dashboard JSON, secrets masked */
	RH_SOURCE = 5,		/* one per source: name \x1f type \x1f state \x1f message */
	RH_START = 6,		/* decimal ns: first record time */
	RH_RANGE = 7,		/* decimal ns: the view range when recording started */
	RH_DIGEST_VERSION = 8,	/* decimal: STORE_DIGEST_VERSION of the digests */
};

struct rec_frame {
	uint8_t		type, codec;
	uint16_t	flags;
	uint32_t	stored_len, raw_len;
	tns		t_first, t_last;
	uint32_t	nrecords;
	uint32_t	aux;		/* CHUNK: events dropped just before it */
	uint32_t	crc;		/* of the stored payload */
};

uint32_t rec_crc32(uint32_t crc, const void *p, size_t n);

void	rec_put_preamble(struct buf *b);
/* 0, or -1 with *err ("not a scry recording", "version N is newer ..."). */
int	rec_get_preamble(const uint8_t *p, size_t len, uint32_t *version, char **err);

void	rec_put_frame_header(struct buf *b, const struct rec_frame *f);
/* Parse and check a frame header at p (len >= REC_FRAME_HDR_LEN): magic,
 * header checksum, known codec, caps.  0 or -1 with *err. */
int	rec_get_frame_header(const uint8_t *p, struct rec_frame *f, char **err);

void	rec_put_trailer(struct buf *b, uint64_t index_off);
int	rec_get_trailer(const uint8_t *p, uint64_t *index_off);

/* Append one record to a record stream; *prev is the previous record
 * time (updated). */
void	rec_put_record(struct buf *b, int type, tns t, tns *prev, const void *body, size_t n);

/* Read one record from a record stream.  Returns 1 with the fields set,
 * 0 at the end, -1 (malformed) with *err. */
struct rec_record {
	int		 type;
	tns		 t;
	const uint8_t	*p;	/* the type's bytes */
	size_t		 len;
};
int	rec_get_record(struct rd *r, tns *prev, struct rec_record *out, char **err);

/* The kind, key and where the kind's payload starts in event_encode()
 * bytes; 0 or -1 if malformed. */
int	rec_event_head(const uint8_t *p, size_t n, uint64_t *kind, const char **key, size_t *klen,
	    size_t *payload_off);

/* zstd helpers: compress src into b (appended); decompress into a new
 * buffer of exactly raw_len bytes. */
int	rec_compress(struct buf *b, const void *src, size_t n, int level);
int	rec_decompress(const void *src, size_t n, void *dst, size_t raw_len, char **err);

#endif
