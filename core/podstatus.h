/* podstatus: what `kubectl get pods` prints for a pod, computed exactly as
 * kubectl's printer does it (pkg/printers/internalversion printPod, see
 * reference/apis.md 4.3): READY x/y counting restartable init containers,
 * STATUS from the phase, status.reason, SchedulingGated, the init
 * containers (Init:Reason, Init:ExitCode:N, Init:Signal:N, Init:i/n), the
 * last container with a waiting or terminated reason, Completed ->
 * Running/NotReady, Terminating and Unknown; RESTARTS with the time of the
 * last restart.  Plus scry's own health class for colouring and sorting,
 * and Kubernetes' HumanDuration for ages ("12m", "5d18h"). */
#ifndef SCRY_PODSTATUS_H
#define SCRY_PODSTATUS_H
#include <stddef.h>

#include "core/kube.h"

enum pod_health {
	PH_OK,		/* running and ready, or completed */
	PH_WARN,	/* pending, not ready, terminating, initialising */
	PH_BAD,		/* crash-looping, OOMKilled, failed, evicted, image pull */
};

struct pod_status {
	char		 status[64];	/* kubectl's STATUS column */
	int		 ready, total;	/* READY ready/total */
	int		 restarts;
	tns		 last_restart;	/* TNS_NONE if unknown */
	enum pod_health	 health;
};

void	pod_status_compute(const struct kpod *p, struct pod_status *out);
/* "7" or "7 (12m ago)" as kubectl prints RESTARTS at time now. */
void	pod_restarts_fmt(const struct pod_status *s, tns now, char *dst, size_t n);
/* k8s.io/apimachinery duration.HumanDuration. */
void	kube_human_duration(tns d, char *dst, size_t n);
/* translateTimestampSince: "<unknown>" for TNS_NONE. */
void	kube_age(tns t, tns now, char *dst, size_t n);
/* Health class of a STATUS string (also for statuses from elsewhere). */
enum pod_health pod_health_of(const char *status, int ready, int total, const char *phase);

#endif
