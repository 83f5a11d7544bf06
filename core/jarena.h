/* jarena: parse JSON with every cJSON node and string in a bump arena,
 * for large answers read once and dropped (a 5,000-span trace is some
 * 150,000 nodes: one malloc and free each costs more than the parse).
 *
 * cJSON allocates through process-wide hooks; jarena installs hooks once
 * that serve from the arena only inside jarena_parse() on the calling
 * thread and fall through to malloc/free everywhere else, so every other
 * cJSON user (any thread) is unaffected.  A tree from jarena_parse() must
 * never be passed to cJSON_Delete: it dies with arena_free(). */
#ifndef SCRY_JARENA_H
#define SCRY_JARENA_H
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/arena.h"

/* Parse len bytes into ar, unpaired surrogate escapes read as U+FFFD
 * (core/jfix.h); NULL on a syntax error (ar may hold garbage: free it
 * all the same). */
cJSON	*jarena_parse(struct arena *ar, const char *text, size_t len);

#endif
