/* focus: matching series, log streams and pods against the focus service
 * (see focus.h for the rules). */
#include "widgets/focus.h"

#include <stdio.h>
#include <string.h>

#include "widgets/podrows.h"

/* The verdict of one group of labels: -1 none present, 0 other, 1 ours. */
static int
group(const struct labelset *ls, const char *const *names, const char *svc)
{
	int seen = -1;

	for (size_t i = 0; names[i]; i++) {
		const char *v = labels_get(ls, names[i]);
		if (!v || !*v)
			continue;
		seen = 0;
		if (strcmp(v, svc) == 0)
			return 1;
	}
	return seen;
}

static int
ns_ok(const char *have, const char *want)
{
	return !want || !*want || !have || !*have || strcmp(have, want) == 0;
}

/* NAME.NS.svc... : 1 when the first label is svc (and NS fits). */
static int
fqdn_is(const char *fq, const char *svc, const char *ns)
{
	size_t l = strlen(svc);
	const char *dot;

	if (strncmp(fq, svc, l) != 0 || (fq[l] != '.' && fq[l] != '\0'))
		return 0;
	if (!ns || !*ns || fq[l] == '\0')
		return 1;
	dot = strchr(fq + l + 1, '.');
	return strncmp(fq + l + 1, ns, strlen(ns)) == 0 &&
	    (size_t)((dot ? dot : fq + strlen(fq)) - (fq + l + 1)) == strlen(ns);
}

static int
destination(const struct labelset *ls, const char *svc, const char *ns)
{
	static const char *const names[] = { "destination_service_name",
		"destination_canonical_service", "destination_workload", "destination_app", NULL };
	const char *fq = labels_get(ls, "destination_service");
	int g = group(ls, names, svc);

	if (fq && *fq) {
		if (fqdn_is(fq, svc, ns))
			return 1;
		g = g < 0 ? 0 : g;
	}
	if (g == 1 && !ns_ok(labels_get(ls, "destination_service_namespace"), ns))
		return 0;
	return g;
}

static int
source(const struct labelset *ls, const char *svc, const char *ns)
{
	static const char *const names[] = { "source_canonical_service", "source_workload",
		"source_app", NULL };
	int g = group(ls, names, svc);

	if (g == 1 && !ns_ok(labels_get(ls, "source_workload_namespace"), ns))
		return 0;
	return g;
}

/* job "NAME" or "NS/NAME"; Envoy's "outbound|PORT|SUBSET|FQDN". */
static int
special(const struct labelset *ls, const char *svc, const char *ns)
{
	const char *job = labels_get(ls, "job"), *cl = labels_get(ls, "cluster_name");
	int seen = -1;

	if (job && *job) {
		const char *sl = strrchr(job, '/');
		seen = 0;
		if (strcmp(sl ? sl + 1 : job, svc) == 0)
			return 1;
	}
	if (cl && *cl) {
		const char *bar = strrchr(cl, '|');
		if (bar && strncmp(cl, "outbound|", 9) == 0) {
			seen = 0;
			if (fqdn_is(bar + 1, svc, ns))
				return 1;
		}
	}
	return seen;
}

static int
generic(const struct labelset *ls, const char *svc, const char *ns, int streams)
{
	static const char *const names[] = { "service", "service_name", "app",
		"app_kubernetes_io_name", "k8s_app", "server", NULL };
	static const char *const snames[] = { "service", "service_name", "app",
		"app_kubernetes_io_name", "k8s_app", "container", NULL };
	int g = group(ls, streams ? snames : names, svc), s = special(ls, svc, ns);

	if (s > g)
		g = s;
	if (streams && g < 1) {
		const char *pod = labels_get(ls, "pod");
		size_t l = strlen(svc);
		if (pod && *pod) {
			if (strncmp(pod, svc, l) == 0 && pod[l] == '-')
				g = 1;
			else if (g < 0)
				g = 0;
		}
	}
	if (g == 1 && !ns_ok(labels_get(ls, "namespace"), ns))
		return 0;
	return g;
}

int
focus_series(const struct labelset *ls, const char *svc, const char *ns)
{
	int g;

	if (!svc || !*svc)
		return 1;
	if ((g = destination(ls, svc, ns)) >= 0)
		return g;
	if ((g = source(ls, svc, ns)) >= 0)
		return g;
	return generic(ls, svc, ns, 0) != 0;
}

int
focus_stream(const struct labelset *ls, const char *svc, const char *ns)
{
	if (!svc || !*svc)
		return 1;
	return generic(ls, svc, ns, 1) == 1;
}

int
focus_pod(const struct kpod *p, const char *svc, const char *ns)
{
	static const char *const names[] = { "app", "app.kubernetes.io/name",
		"service.istio.io/canonical-name", "k8s-app", NULL };
	char owner[256];
	const char *kind;

	if (!svc || !*svc)
		return 1;
	if (!ns_ok(p->meta.ns, ns))
		return 0;
	for (size_t i = 0; names[i]; i++) {
		const char *v = kpod_label(p, names[i]);
		if (v && strcmp(v, svc) == 0)
			return 1;
	}
	kind = pod_owner(p, owner, sizeof owner);
	return strcmp(kind, "Pod") != 0 && strcmp(kind, "ReplicaSet") != 0 &&
	    strcmp(kind, "Job") != 0 && strcmp(owner, svc) == 0;
}
