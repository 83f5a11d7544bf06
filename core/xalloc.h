/* xalloc: allocation that never returns NULL.
 * Allocation failure is fatal: the registered fatal hook (the terminal
 * restore) runs first, then the process prints one line and exits 70. */
#ifndef SCRY_XALLOC_H
#define SCRY_XALLOC_H
#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Process-wide allocator settings (a fixed mmap threshold so that freed
 * large blocks return to the kernel); called once at start. */
void xalloc_tune(void);

/* Called (once) before a fatal exit; tui registers the terminal restore. */
void xalloc_set_fatal_hook(void (*hook)(void));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *cap elements of size sz) so it holds at least need elements. */
void xgrow(void *arrp, size_t *cap, size_t need, size_t sz);

#endif
