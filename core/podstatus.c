/* podstatus: kubectl's pod columns (printPod) and HumanDuration.
 * Invariant: follows the upstream printer line by line; any deviation is
 * a bug (tests compare with the real kubectl's output). */
#include "core/podstatus.h"

#include <stdio.h>
#include <string.h>

static int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static const struct kcspec *
init_spec(const struct kpod *p, const char *name)
{
	for (size_t i = 0; name && i < p->nspec_i; i++)
		if (streq(p->spec_i[i].name, name))
			return &p->spec_i[i];
	return NULL;
}

static int
cond_true(const struct kpod *p, const char *type)
{
	for (size_t i = 0; i < p->ncond; i++)
		if (streq(p->cond[i].type, type) && streq(p->cond[i].status, "True"))
			return 1;
	return 0;
}

static tns
later(tns a, const struct kcstatus *s)
{
	if (!s->has_last || s->last_finished == TNS_NONE)
		return a;
	return a == TNS_NONE || a < s->last_finished ? s->last_finished : a;
}

struct acc {
	int	 restarts, ri_restarts;
	tns	 last, ri_last;
	int	 ready;
	char	*reason;	/* into out->status */
	size_t	 n;
};

/* The init container loop; returns 1 while initialising. */
static int
init_loop(const struct kpod *p, struct acc *a)
{
	for (size_t i = 0; i < p->nst_i; i++) {
		const struct kcstatus *c = &p->st_i[i];
		const struct kcspec *sp = init_spec(p, c->name);
		int restartable = sp && sp->restartable;

		a->restarts += c->restarts;
		a->last = later(a->last, c);
		if (restartable) {
			a->ri_restarts += c->restarts;
			a->ri_last = later(a->ri_last, c);
		}
		if (c->state == KCS_TERMINATED && c->exit_code == 0)
			continue;
		if (restartable && c->started) {
			if (c->ready)
				a->ready++;
			continue;
		}
		if (c->state == KCS_TERMINATED) {
			if (!c->reason || !*c->reason) {
				if (c->signal)
					snprintf(a->reason, a->n, "Init:Signal:%d", (int)c->signal);
				else
					snprintf(a->reason, a->n, "Init:ExitCode:%d", (int)c->exit_code);
			} else
				snprintf(a->reason, a->n, "Init:%s", c->reason);
		} else if (c->state == KCS_WAITING && c->reason && *c->reason &&
		    strcmp(c->reason, "PodInitializing") != 0)
			snprintf(a->reason, a->n, "Init:%s", c->reason);
		else
			snprintf(a->reason, a->n, "Init:%zu/%u", i, (unsigned)p->nspec_i);
		return 1;
	}
	return 0;
}

static void
container_loop(const struct kpod *p, struct acc *a)
{
	int has_running = 0;

	a->restarts = a->ri_restarts;
	a->last = a->ri_last;
	for (size_t k = p->nst_c; k > 0; k--) {
		const struct kcstatus *c = &p->st_c[k - 1];
		a->restarts += c->restarts;
		a->last = later(a->last, c);
		if (c->state == KCS_WAITING && c->reason && *c->reason)
			snprintf(a->reason, a->n, "%s", c->reason);	// NOLINT(bugprone-branch-clone): waiting and terminated reasons, one case each as kubectl lists them
		else if (c->state == KCS_TERMINATED && c->reason && *c->reason)
			snprintf(a->reason, a->n, "%s", c->reason);
		else if (c->state == KCS_TERMINATED) {
			if (c->signal)
				snprintf(a->reason, a->n, "Signal:%d", (int)c->signal);
			else
				snprintf(a->reason, a->n, "ExitCode:%d", (int)c->exit_code);
		} else if (c->ready && c->state == KCS_RUNNING) {
			has_running = 1;
			a->ready++;
		}
	}
	if (strcmp(a->reason, "Completed") == 0 && has_running)
		snprintf(a->reason, a->n, "%s", cond_true(p, "Ready") ? "Running" : "NotReady");
}

void
pod_status_compute(const struct kpod *p, struct pod_status *out)
{
	struct acc a = { .last = TNS_NONE, .ri_last = TNS_NONE, .reason = out->status,
	    .n = sizeof out->status };
	int initializing;

	memset(out, 0, sizeof *out);
	snprintf(out->status, sizeof out->status, "%s",
	    p->reason && *p->reason ? p->reason : p->phase ? p->phase : "");
	for (size_t i = 0; i < p->ncond; i++)
		if (streq(p->cond[i].type, "PodScheduled") && streq(p->cond[i].reason, "SchedulingGated"))
			snprintf(out->status, sizeof out->status, "SchedulingGated");
	out->total = p->nspec_c;
	for (size_t i = 0; i < p->nspec_i; i++)
		if (p->spec_i[i].restartable)
			out->total++;
	initializing = init_loop(p, &a);
	if (!initializing || cond_true(p, "Initialized"))
		container_loop(p, &a);
	if (p->deleted != TNS_NONE && streq(p->reason, "NodeLost"))
		snprintf(out->status, sizeof out->status, "Unknown");
	else if (p->deleted != TNS_NONE && !streq(p->phase, "Succeeded") && !streq(p->phase, "Failed"))
		snprintf(out->status, sizeof out->status, "Terminating");
	out->ready = a.ready;
	out->restarts = a.restarts;
	out->last_restart = a.last;
	out->health = pod_health_of(out->status, out->ready, out->total, p->phase);
}

enum pod_health
pod_health_of(const char *st, int ready, int total, const char *phase)
{
	static const char *const bad[] = { "CrashLoopBackOff", "Error", "OOMKilled",
		"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
		"CreateContainerError", "RunContainerError", "ContainerStatusUnknown", "Evicted",
		"Failed", "Unknown", "NodeLost", "DeadlineExceeded", "StartError", NULL };

	if (strncmp(st, "Init:", 5) == 0) {
		const char *r = st + 5;
		/* Init:0/1 is progress; Init:<Reason> or Init:ExitCode:N is a failure */
		return (r[0] >= '0' && r[0] <= '9') ? PH_WARN : PH_BAD;
	}
	if (strncmp(st, "ExitCode:", 9) == 0 || strncmp(st, "Signal:", 7) == 0)
		return PH_BAD;
	for (size_t i = 0; bad[i]; i++)
		if (strcmp(st, bad[i]) == 0)
			return PH_BAD;
	if (strcmp(st, "Completed") == 0 || streq(phase, "Succeeded"))
		return PH_OK;
	if (strcmp(st, "Running") == 0 && ready == total)
		return PH_OK;
	if (streq(phase, "Failed"))
		return PH_BAD;
	return PH_WARN;
}

void
kube_human_duration(tns d, char *dst, size_t n)
{
	long long secs = d / NS_PER_S, minutes, hours;

	if (secs < -1) {
		snprintf(dst, n, "<invalid>");
		return;
	}
	if (secs < 0) {
		snprintf(dst, n, "0s");
		return;
	}
	if (secs < 120) {
		snprintf(dst, n, "%llds", secs);
		return;
	}
	minutes = secs / 60;
	if (minutes < 10) {
		if (secs % 60 == 0)
			snprintf(dst, n, "%lldm", minutes);
		else
			snprintf(dst, n, "%lldm%llds", minutes, secs % 60);
		return;
	}
	if (minutes < 180) {
		snprintf(dst, n, "%lldm", minutes);
		return;
	}
	hours = secs / 3600;
	if (hours < 8) {
		if (minutes % 60 == 0)
			snprintf(dst, n, "%lldh", hours);
		else
			snprintf(dst, n, "%lldh%lldm", hours, minutes % 60);
	} else if (hours < 48)
		snprintf(dst, n, "%lldh", hours);
	else if (hours < 24 * 8) {
		if (hours % 24 == 0)
			snprintf(dst, n, "%lldd", hours / 24);
		else
			snprintf(dst, n, "%lldd%lldh", hours / 24, hours % 24);
	} else if (hours < 24 * 365 * 2)
		snprintf(dst, n, "%lldd", hours / 24);
	else if (hours < 24 * 365 * 8) {
		long long dy = (hours / 24) % 365;
		if (dy == 0)
			snprintf(dst, n, "%lldy", hours / 24 / 365);
		else
			snprintf(dst, n, "%lldy%lldd", hours / 24 / 365, dy);
	} else
		snprintf(dst, n, "%lldy", hours / 24 / 365);
}

void
kube_age(tns t, tns now, char *dst, size_t n)
{
	if (t == TNS_NONE) {
		snprintf(dst, n, "<unknown>");
		return;
	}
	kube_human_duration(now - t, dst, n);
}

void
pod_restarts_fmt(const struct pod_status *s, tns now, char *dst, size_t n)
{
	char ago[32];

	if (s->restarts != 0 && s->last_restart != TNS_NONE) {
		kube_human_duration(now - s->last_restart, ago, sizeof ago);
		snprintf(dst, n, "%d (%s ago)", s->restarts, ago);
	} else
		snprintf(dst, n, "%d", s->restarts);
}
