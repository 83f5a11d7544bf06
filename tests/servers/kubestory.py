"""kubestory: the cluster of the seed incident at any moment of the story,
for kubeapi.py --story (the demo stack).

The fixture (tests/fixtures/incident/kube) is the cluster as it was at
02:32; state(t) derives every other moment from it and from the story's
timeline (story.py, STORY.md):

  - an object exists from its creationTimestamp (new payment pods at 02:20,
    notifier at 02:15, ...); a pod with a deletionTimestamp is Terminating
    from then and gone 30 s later (except a NodeLost pod, which stays);
  - before the moment its trouble starts a pod is healthy (Running, ready);
  - payment-7c9f8d6b5-j4k7l crash-loops (story.crash_runs()),
    -r2s5t runs but never gets ready, -v9w3x stays in its init container;
    at 02:41 the rollback terminates all three;
  - order-6b7d9c5f8-x2k4p is OOM-killed at story.OOMS;
  - the payment deployment is 3 replicas, 6 from the HPA at 02:19:30 with
    the new image, rolled back at 02:41;
  - events appear at their first time; recurring ones (count,
    lastTimestamp, series) count up at their fixture rate until their
    trouble ends (the rollback for the payment pods' and istiod's);
    the rollback adds its own events.

The one fixture event with hostile bytes (for the robustness tests) says
the same thing in plain words here: the demo tells a clean story.
"""

import copy
import json
import os

import story

EPOCH_FMT = "%Y-%m-%dT%H:%M:%SZ"
GRACE = 30
NEW_PODS = ("payment-7c9f8d6b5-j4k7l", "payment-7c9f8d6b5-r2s5t", "payment-7c9f8d6b5-v9w3x")
HPA_AT = story.SATURATED + 30          # 02:19:30
FIXTURE_AT = 1795660320                # 02:32:00


def ts(sec, frac=0):
    import datetime
    d = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc)
    if frac:
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%0*dZ" % (frac, int(round(sec % 1 * 10 ** frac)))
    return d.strftime(EPOCH_FMT)


def secs(s):
    return story.parse_time(s) if s else None


class KubeStory:
    def __init__(self, fixtures):
        def load(name):
            return json.load(open(os.path.join(fixtures, name)))
        self.pods = load("pods.json")["items"]
        self.events = load("events.json")["items"]
        self.deploys = load("deployments.json")["items"]
        changes = load("changes.json") if os.path.exists(os.path.join(fixtures, "changes.json")) \
            else {}
        self.rollback_events = [c["object"] for c in changes.get("rollback", [])
                                if c.get("kind") == "events"]
        for e in self.events:
            if "\x1b" in e.get("message", ""):
                e["message"] = "Readiness probe failed: index not warm yet"

    # ---------------------------------------------------------------- pods
    def state(self, t):
        """{"pods": [...], "events": [...], "deployments": [...]} at t."""
        return {"pods": [p for p in (self.pod_at(p, t) for p in self.pods) if p],
                "events": [e for e in (self.event_at(e, t) for e in self.all_events(t)) if e],
                "deployments": [d for d in (self.deploy_at(d, t) for d in self.deploys) if d]}

    def pod_at(self, p, t):
        md = p["metadata"]
        if secs(md["creationTimestamp"]) > t:
            return None
        name = md["name"]
        p = copy.deepcopy(p)
        if name in NEW_PODS:
            p = self.new_payment(p, t)
        elif name == "order-6b7d9c5f8-x2k4p":
            p = self.oom_pod(p, t)
        else:
            trouble = self.trouble_start(p)
            if trouble is not None and t < trouble:
                healthy(p)
        if p is None:
            return None
        dele = secs(p["metadata"].get("deletionTimestamp"))
        if dele is not None and name not in NEW_PODS:
            if t < dele:
                del p["metadata"]["deletionTimestamp"]
                p["metadata"].pop("deletionGracePeriodSeconds", None)
                if p["status"].get("reason") == "NodeLost":
                    healthy(p)
            elif t >= dele + GRACE and p["status"].get("reason") != "NodeLost":
                return None
        return p

    @staticmethod
    def trouble_start(p):
        """When a pod of the fixture left the healthy state (None: never
        healthy in the story, or healthy all along)."""
        st = p["status"]
        if st.get("reason") == "Evicted":
            return min(secs(c["lastTransitionTime"]) for c in st.get("conditions") or [])
        if st.get("reason") == "NodeLost":
            return None     # handled by its deletionTimestamp
        return None

    def new_payment(self, p, t):
        created = secs(p["metadata"]["creationTimestamp"])
        if t >= story.MITIGATION + GRACE:
            return None
        name = p["metadata"]["name"]
        cs = {c["name"]: c for c in p["status"].get("containerStatuses") or []}
        app = cs.get("payment")
        if name.endswith("j4k7l"):
            set_crashloop(app, t, created)
            ready_conds(p, False, ts(created))
        elif name.endswith("r2s5t"):
            app.update({"ready": False, "started": t >= created + 8, "restartCount": 0,
                        "lastState": {}})
            app["state"] = ({"running": {"startedAt": ts(created + 8)}} if t >= created + 8 else
                            {"waiting": {"reason": "ContainerCreating"}})
            ready_conds(p, False, ts(created))
        if t >= story.MITIGATION:
            p["metadata"]["deletionTimestamp"] = ts(story.MITIGATION)
            p["metadata"]["deletionGracePeriodSeconds"] = GRACE
        return p

    def oom_pod(self, p, t):
        app = [c for c in p["status"]["containerStatuses"] if c["name"] == "order"][0]
        n = sum(1 for o in story.OOMS if o <= t)
        r = sum(1 for o in story.OOM_RESTARTS if o <= t)
        app["restartCount"] = r
        last = None
        if n:
            started = story.OOM_RESTARTS[n - 2] if n >= 2 else secs(p["metadata"]["creationTimestamp"])
            last = {"exitCode": 137, "reason": "OOMKilled", "startedAt": ts(started),
                    "finishedAt": ts(story.OOMS[n - 1]),
                    "containerID": "containerd://oom%d" % n}
        if n > r:       # killed, not restarted yet
            app["state"] = {"terminated": last}
            app.update({"ready": False, "started": False})
            prev = {"exitCode": 137, "reason": "OOMKilled",
                    "startedAt": ts(story.OOM_RESTARTS[n - 3] if n >= 3 else
                                    secs(p["metadata"]["creationTimestamp"])),
                    "finishedAt": ts(story.OOMS[n - 2]),
                    "containerID": "containerd://oom%d" % (n - 1)} if n >= 2 else None
            app["lastState"] = {"terminated": prev} if prev else {}
            ready_conds(p, False, ts(story.OOMS[n - 1]))
        else:
            started = story.OOM_RESTARTS[r - 1] if r else secs(p["metadata"]["creationTimestamp"])
            app["state"] = {"running": {"startedAt": ts(started)}}
            app.update({"ready": True, "started": True})
            app["lastState"] = {"terminated": last} if last else {}
            ready_conds(p, True, ts(started))
        return p

    def pod_named(self, name):
        return [p for p in self.pods if p["metadata"]["name"] == name][0]

    # -------------------------------------------------------- deployments
    def deploy_at(self, d, t):
        if secs(d["metadata"]["creationTimestamp"]) > t:
            return None
        d = copy.deepcopy(d)
        name = d["metadata"]["name"]
        st = d["status"]
        if name == "payment":
            old = "registry.example.com/shop/payment:v2.7.0"
            if t < HPA_AT or t >= story.MITIGATION:
                gen = 7 if t < HPA_AT else 9
                d["metadata"]["generation"] = gen
                d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = str(gen)
                d["spec"]["replicas"] = 3
                d["spec"]["template"]["spec"]["containers"][0]["image"] = old
                st.update({"observedGeneration": gen, "replicas": 3, "updatedReplicas": 3,
                           "readyReplicas": 3, "availableReplicas": 3})
                st.pop("unavailableReplicas", None)
                for c in st["conditions"]:
                    if c["type"] == "Progressing":
                        c.update({"reason": "NewReplicaSetAvailable",
                                  "message": 'ReplicaSet "payment-5d8c7b9f4" has successfully '
                                             'progressed.'})
        elif name == "order":
            oom = self.oom_pod(copy.deepcopy(self.pod_named("order-6b7d9c5f8-x2k4p")), t)
            ready = 4 if [c for c in oom["status"]["containerStatuses"]
                          if c["name"] == "order"][0]["ready"] else 3
            st.update({"readyReplicas": ready, "availableReplicas": ready})
            if ready == 4:
                st.pop("unavailableReplicas", None)
            else:
                st["unavailableReplicas"] = 1
        return d

    # -------------------------------------------------------------- events
    def all_events(self, t):
        out = list(self.events)
        if t >= story.MITIGATION:
            out += self.rollback_events
            for name in NEW_PODS:
                out.append(killing(name))
        return out

    def event_at(self, e, t):
        first = secs(e.get("firstTimestamp") or e.get("eventTime"))
        if first is None or first > t:
            return None
        e = copy.deepcopy(e)
        name = e["involvedObject"]["name"]
        if name == "order-6b7d9c5f8-x2k4p" and e["reason"] == "OOMKilling":
            return counted(e, [o for o in story.OOMS if o <= t])
        if name == NEW_PODS[0] and e["reason"] == "Started":
            return counted(e, [a for a, _ in story.crash_runs() if a <= t])
        if name in NEW_PODS or name.startswith("istiod-"):
            end = story.MITIGATION
        elif name == "order-6b7d9c5f8-x2k4p":
            end = secs(e.get("lastTimestamp")) or first     # restarted at 02:30:10
        elif name == "cart-5f8d9b7c6-zz8yy" or e["reason"] in ("Evicted", "ScalingReplicaSet"):
            end = first
        else:
            end = story.T_END
        if e.get("count"):
            last = secs(e["lastTimestamp"])
            n, when = recur(first, last, e["count"], min(t, end))
            e["count"] = n
            e["lastTimestamp"] = ts(when)
        elif e.get("series"):
            last = secs(e["series"]["lastObservedTime"])
            n, when = recur(first, last, e["series"]["count"], min(t, end))
            if n <= 1:
                del e["series"]
            else:
                e["series"] = {"count": n, "lastObservedTime": ts(when, 6)}
        return e


def counted(e, times):
    """A core event seen at exactly these times."""
    e["count"] = len(times)
    e["lastTimestamp"] = ts(times[-1])
    return e


def recur(first, last, count, t):
    """(count, last time) at t of an event seen count times from first to
    last at a steady rate (and on at that rate after last)."""
    if count <= 1 or last <= first:
        return 1, first
    period = (last - first) / (count - 1)
    n = 1 + int((t - first) // period)
    return max(n, 1), first + (max(n, 1) - 1) * period


def killing(pod):
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "%s.187c1a2100000011" % pod, "namespace": "shop",
                         "uid": "kill-" + pod, "resourceVersion": "1",
                         "creationTimestamp": ts(story.MITIGATION)},
            "involvedObject": {"kind": "Pod", "namespace": "shop", "name": pod, "apiVersion": "v1",
                               "fieldPath": "spec.containers{payment}"},
            "reason": "Killing", "message": "Stopping container payment", "type": "Normal",
            "source": {"component": "kubelet"}, "firstTimestamp": ts(story.MITIGATION),
            "lastTimestamp": ts(story.MITIGATION), "count": 1, "eventTime": None,
            "reportingComponent": "kubelet", "reportingInstance": ""}


def ready_conds(p, ready, when):
    for c in p["status"].get("conditions") or []:
        if c["type"] in ("Ready", "ContainersReady"):
            c["status"] = "True" if ready else "False"
            c["lastTransitionTime"] = when
            if ready:
                c.pop("reason", None)
                c.pop("message", None)
            else:
                c["reason"] = "ContainersNotReady"


def set_crashloop(c, t, created):
    runs = story.crash_runs()
    done = [r for r in runs if r[1] <= t]
    cur = [r for r in runs if r[0] <= t < r[1]]
    c["restartCount"] = max(0, len([r for r in runs if r[0] <= t]) - 1)
    c["ready"] = False
    if done:
        a, b = done[-1]
        c["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(a),
                                         "finishedAt": ts(b),
                                         "containerID": "containerd://crash%d" % len(done)}}
    else:
        c["lastState"] = {}
    if cur:
        c["state"] = {"running": {"startedAt": ts(cur[0][0])}}
        c["started"] = True
    elif done:
        c["state"] = {"waiting": {"reason": "CrashLoopBackOff",
                                  "message": "back-off restarting failed container=payment "
                                             "pod=payment-7c9f8d6b5-j4k7l_shop"}}
        c["started"] = False
    else:
        c["state"] = {"waiting": {"reason": "ContainerCreating"}}
        c["started"] = False


def healthy(p):
    """A pod as it was before its trouble: Running, every container ready."""
    st = p["status"]
    st["phase"] = "Running"
    st.pop("reason", None)
    st.pop("message", None)
    created = p["metadata"]["creationTimestamp"]
    if not st.get("containerStatuses"):
        st["containerStatuses"] = [{"name": c["name"], "image": c["image"], "imageID": "",
                                    "containerID": "containerd://" + c["name"]}
                                   for c in p["spec"]["containers"]]
    for c in st.get("containerStatuses") or []:
        c.update({"ready": True, "started": True, "restartCount": 0, "lastState": {},
                  "state": {"running": {"startedAt": created}}})
    ready_conds(p, True, created)
