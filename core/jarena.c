/* jarena: cJSON into an arena.  Invariant: the thread-local arena is set
 * only for the duration of one cJSON_ParseWithLength() call; outside it
 * the hooks are exactly malloc and free. */
#include "core/jarena.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/jfix.h"

static _Thread_local struct arena *cur;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *
j_malloc(size_t n)
{
	return cur ? arena_alloc(cur, n) : malloc(n);
}

static void
j_free(void *p)
{
	if (!cur)	/* inside a parse every block is the arena's */
		free(p);
}

static void
install(void)
{
	cJSON_Hooks h = { .malloc_fn = j_malloc, .free_fn = j_free };
	cJSON_InitHooks(&h);
}

cJSON *
jarena_parse(struct arena *ar, const char *text, size_t len)
{
	cJSON *root;

	char *fixed = jfix_surrogates(text, len);

	pthread_once(&once, install);
	cur = ar;
	root = cJSON_ParseWithLength(fixed ? fixed : text, len);
	cur = NULL;
	free(fixed);
	return root;
}
