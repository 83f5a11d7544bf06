/* replay_main: runs a fuzz target's entry point over files, without
 * libFuzzer, so `make test` replays every seed and every past crash input
 * (tests/fuzz/regress/) under the normal and the ASan build. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf;
		long n;

		if (!f) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(n > 0 ? (size_t)n : 1);
		if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
			fprintf(stderr, "%s: read error\n", argv[i]);
			bad = 1;
		} else
			LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
		fclose(f);
	}
	return bad;
}
