/* kubeparse: Kubernetes JSON (as kubectl prints it) into the typed objects
 * of core/kube.h, and kubectl's text outputs (top, logs).
 * Defensive: every field optional, wrong types ignored, strings and
 * counts capped, unknown keys ignored.  Only fields scry shows are read:
 * container env values, volumes, annotations and secrets never leave
 * the JSON tree. */
#ifndef SCRY_KUBEPARSE_H
#define SCRY_KUBEPARSE_H
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/kube.h"

/* An object of a kind from its JSON (NULL if it is not an object). */
void	*kube_parse_obj(enum kube_kind kind, const cJSON *o);
struct kpod	*kube_parse_pod(const cJSON *o);
struct kevent	*kube_parse_event(const cJSON *o);
struct kdeploy	*kube_parse_deploy(const cJSON *o);
/* One watch event {"type": ..., "object": ...}: returns the op
 * (KOP_UPSERT for ADDED/MODIFIED, KOP_DELETE, or KOP_NONE to ignore:
 * BOOKMARK, ERROR) and the object. */
enum kube_op kube_parse_watch(enum kube_kind kind, const cJSON *ev, void **obj, char **errmsg);
/* kubectl prints each page of a paged initial list as one watch event
 * whose object is a List: its items (each an ADDED object), or NULL. */
const cJSON *kube_watch_items(const cJSON *ev);
/* One line of `kubectl top pods --no-headers` (with a NAMESPACE column
 * first when all_ns); NULL for a blank or malformed line. */
struct kmetric *kube_parse_top_line(const char *line, size_t len, const char *ns, int all_ns);
/* One line of `kubectl logs --timestamps` (RFC3339Nano prefix). */
struct kline	*kube_parse_log_line(const char *line, size_t len);
/* Parse a Kubernetes RFC3339 time (or TNS_NONE). */
tns	kube_time(const cJSON *v);

#endif
