/* focus: the app-wide "focus service" (set from the topology: f on a
 * node) and how each kind of data is matched against it.  Widgets read it
 * from wctx.focus / wctx.focus_ns (NULL: no focus) and hide what belongs
 * to other services:
 *   series  by the service they are about: destination labels first
 *           (destination_service_name, the FQDN destination_service,
 *           destination_canonical_service, destination_workload,
 *           destination_app), else source labels (source_canonical_service,
 *           source_workload, source_app), else generic ones (service,
 *           service_name, app, app_kubernetes_io_name, k8s_app, job as
 *           NAME or NS/NAME, Tempo's server, Envoy's
 *           cluster_name "outbound|PORT|SUBSET|FQDN").  A series with none
 *           of these is not about one service and stays.
 *   streams (log lines) by app, service, service_name,
 *           app_kubernetes_io_name, k8s_app, container, job, or a pod name
 *           starting with "NAME-"; a stream with none of them is hidden
 *           (it cannot be told to belong to the service).
 *   pods    by the labels app, app.kubernetes.io/name,
 *           service.istio.io/canonical-name, k8s-app, or the owning
 *           Deployment/StatefulSet/DaemonSet name.
 * A namespace (when the focus has one) must match wherever the data names
 * one (destination_service_namespace, the FQDN, namespace, the pod's).
 * Pure functions. */
#ifndef SCRY_FOCUS_H
#define SCRY_FOCUS_H

#include "core/kube.h"
#include "core/labels.h"

/* 1: show the series under this focus, 0: hide it. */
int	focus_series(const struct labelset *ls, const char *svc, const char *ns);
/* 1: the log stream belongs to the service. */
int	focus_stream(const struct labelset *ls, const char *svc, const char *ns);
/* 1: the pod belongs to the service. */
int	focus_pod(const struct kpod *p, const char *svc, const char *ns);

#endif
