/* models.h: what the analyzers cannot see inside the libraries scry uses,
 * stated for clang-tidy only (scripts/lint.sh force-includes this file;
 * the build never sees it).
 *
 * cJSON's type tests return false for a NULL item (cJSON.c: every
 * cJSON_IsX() begins "if (item == NULL) return false"), and scry relies on
 * it: `o = cJSON_GetObjectItemCaseSensitive(...); if (cJSON_IsString(o))
 * use(o->valuestring)`.  The analyzer sees only the declarations, assumes
 * a NULL item may test true and reports a NULL dereference at every such
 * use.  These macros say the contract out loud; the function-like macro
 * names are not expanded again inside their own expansion, so the real
 * function is still called. */
#ifndef SCRY_LINT_MODELS_H
#define SCRY_LINT_MODELS_H
#include <stddef.h>
#include <cjson/cJSON.h>

#define cJSON_IsInvalid(x)	((x) != NULL && cJSON_IsInvalid(x))
#define cJSON_IsFalse(x)	((x) != NULL && cJSON_IsFalse(x))
#define cJSON_IsTrue(x)		((x) != NULL && cJSON_IsTrue(x))
#define cJSON_IsBool(x)		((x) != NULL && cJSON_IsBool(x))
#define cJSON_IsNull(x)		((x) != NULL && cJSON_IsNull(x))
#define cJSON_IsNumber(x)	((x) != NULL && cJSON_IsNumber(x))
#define cJSON_IsString(x)	((x) != NULL && cJSON_IsString(x))
#define cJSON_IsArray(x)	((x) != NULL && cJSON_IsArray(x))
#define cJSON_IsObject(x)	((x) != NULL && cJSON_IsObject(x))
#define cJSON_IsRaw(x)		((x) != NULL && cJSON_IsRaw(x))
#endif
