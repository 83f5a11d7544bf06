/* recdump: write every frame payload of a recording, decompressed, to
 * stdout (header, chunks, notes, index), so tests can grep what a
 * recording really contains.  Walks the frames itself with the format
 * primitives (not through the reader).  Usage: recdump FILE.scry */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/recformat.h"
#include "core/xalloc.h"

int
main(int argc, char **argv)
{
	FILE *f;
	uint8_t *data;
	long len;
	size_t off = REC_PREAMBLE_LEN, frames = 0;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: recdump FILE.scry\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)len + 1);
	if (len < 0 || fread(data, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		return 1;
	}
	fclose(f);
	while (off + REC_FRAME_HDR_LEN <= (size_t)len) {
		struct rec_frame fr;
		char *err = NULL;
		uint8_t *raw;
		if (rec_get_frame_header(data + off, &fr, &err) < 0 ||
		    off + REC_FRAME_HDR_LEN + fr.stored_len > (size_t)len)
			break;
		raw = xmalloc((size_t)fr.raw_len + 1);
		if (fr.codec == RC_STORED)
			memcpy(raw, data + off + REC_FRAME_HDR_LEN, fr.raw_len);
		else if (rec_decompress(data + off + REC_FRAME_HDR_LEN, fr.stored_len, raw, fr.raw_len,
		    &err) < 0) {
			fprintf(stderr, "recdump: frame at %zu: %s\n", off, err);
			return 1;
		}
		fwrite(raw, 1, fr.raw_len, stdout);
		free(raw);
		off += REC_FRAME_HDR_LEN + fr.stored_len;
		frames++;
	}
	fprintf(stderr, "recdump: %zu frames\n", frames);
	free(data);
	return frames ? 0 : 1;
}
