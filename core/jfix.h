/* jfix: JSON text from a server made acceptable to cJSON without losing
 * the document.  cJSON rejects a whole text for one unpaired UTF-16
 * surrogate escape ("\udc80", or "\ud83d" not followed by a low half),
 * which JavaScript and Java encoders write for broken strings; scry's own
 * pull parsers (core/jpull.c, sources/lokiparse.c) read such an escape as
 * U+FFFD, and so does every cJSON user through these functions. */
#ifndef SCRY_JFIX_H
#define SCRY_JFIX_H
#include <stddef.h>

#include <cjson/cJSON.h>

/* NULL when the n bytes at s hold no unpaired surrogate escape; otherwise
 * a NUL-terminated copy of the n bytes (the same length) in which each
 * one is spelt \ufffd. */
char	*jfix_surrogates(const char *s, size_t n);

/* cJSON_ParseWithLength over the text as jfix_surrogates() leaves it. */
cJSON	*jfix_parse(const char *s, size_t n);

#endif
