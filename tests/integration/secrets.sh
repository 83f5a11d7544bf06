#!/bin/sh
# T12 (robustness.md §6): secrets never leave scry.  Canary tokens in
# token files (bearer and basic-auth password files of Prometheus, Loki,
# Tempo and Jaeger sources), in the environment (SCRY_*_TOKEN_FILE, a
# query parameter in SCRY_PROMETHEUS_URL), in headers, in URL userinfo and
# query parameters, and in a kubeconfig (token, client-key-data, an exec
# plugin's env).  Every source answers 401 or 500 with the request line
# and headers echoed back (tests/hostile/server.py /echo).  scry runs with
# debug logging (SCRY_LOG, --debug), a recording, a snapshot, a notebook
# export, and is crashed with SIGSEGV; meanwhile the command lines of scry
# and every process it spawns (kubectl, the exec plugin) are sampled.
# Zero canary hits in: the log, stderr, the pty output, the recording
# (raw and decompressed), the snapshots, the export, the sampled command
# lines.  The recording and the log are 0600, core dumps are off.
. tests/lib.sh
[ -n "${KEEP:-}" ] && trap - EXIT
. tests/servers/kubeapi.sh
H=tests/hostile

port=$(free_port)
bg python3 $H/server.py "$port" --log "$T_TMP/server.log"
kube_start --token CANARYkube7=sre --token CANARYexectok=sre
if wait_http "http://127.0.0.1:$port/prom/api/v1/labels" 10; then ok "the echo server is up"; else
	not_ok "the echo server is up"; exit 0; fi
E=http://127.0.0.1:$port

# --- the canaries --------------------------------------------------------
S=$T_TMP/secrets
mkdir -p "$S"
printf 'CANARYtokP1\n' >"$S/prom.token"
printf 'CANARYpwP2\n' >"$S/prom.pw"
printf 'CANARYtokL3\n' >"$S/loki.token"
printf 'CANARYtokT4\n' >"$S/tempo.token"
printf 'CANARYtokJ5\n' >"$S/jaeger.token"
printf 'CANARYtokE6\n' >"$S/env.token"
chmod 600 "$S"/*
KEYDATA=$(printf -- '-----BEGIN EC PRIVATE KEY-----\nCANARYkeydata8\n-----END EC PRIVATE KEY-----\n' | base64 -w0)
cat >"$S/plugin.sh" <<'EOF'
#!/bin/sh
# an exec credential plugin: its token comes from the env kubeconfig gives it
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$EXEC_TOKEN"
EOF
chmod 700 "$S/plugin.sh"
python3 - "$KUBECONFIG" "$KEYDATA" "$S/plugin.sh" <<'EOF'
import sys
path, key, plugin = sys.argv[1:]
s = open(path).read().replace("sre-s3cr3t-t0ken-do-not-leak-0123456789", "CANARYkube7")
s = s.replace("contexts:\n", "contexts:\n- name: keyctx\n  context: {cluster: eu1, user: keyuser, namespace: shop}\n"
              "- name: execctx\n  context: {cluster: eu1, user: execuser, namespace: shop}\n", 1)
s += ("- name: keyuser\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n"
      "- name: execuser\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
      "      command: %s\n      interactiveMode: Never\n      env:\n      - name: CANARY_EXEC_TOKEN\n"
      "        value: CANARYexectok\n      - name: EXEC_ENV\n        value: CANARYexecenv9\n"
      % (key, key, plugin))
open(path, "w").write(s)
EOF
cat >"$T_TMP/dash.json" <<EOF
{ "title": "secrets", "range": "15m", "refresh": "2s",
  "sources": {
    "promenv": { "type": "prometheus" },
    "prometheus": { "type": "prometheus", "url": "$E/echo?access_token=CANARYq10",
      "token_file": "$S/prom.token",
      "headers": { "X-Api-Key": "CANARYhdr11", "Cookie": "session=CANARYcookie12" } },
    "promb": { "type": "prometheus", "url": "$E/echo500?token=CANARYq13",
      "basic_auth": { "user": "u", "password_file": "$S/prom.pw" } },
    "promu": { "type": "prometheus", "url": "http://u:CANARYuser14@127.0.0.1:$port/echo" },
    "loki": { "type": "loki", "url": "$E/echo500" },
    "tempo": { "type": "tempo", "url": "$E/echo" },
    "promh": { "type": "prometheus", "url": "$E/echo", "headers": { "Authorization": "Bearer CANARYhdr19" } },
    "jaeger": { "type": "jaeger", "url": "$E/echo500",
      "headers": { "Proxy-Authorization": "Basic CANARYproxy17", "X-Auth-Token": "CANARYxauth18" } },
    "k8s": { "type": "kubectl", "context": "prod-eu1", "namespace": "shop" },
    "kkey": { "type": "kubectl", "context": "keyctx", "namespace": "shop" },
    "kexec": { "type": "kubectl", "context": "execctx", "namespace": "shop" } },
  "panels": [
    { "type": "graph", "title": "bearer", "source": "prometheus", "query": "up", "grid": { "x": 0, "y": 0, "w": 8, "h": 6 } },
    { "type": "graph", "title": "basic", "source": "promb", "query": "up", "grid": { "x": 8, "y": 0, "w": 8, "h": 6 } },
    { "type": "graph", "title": "userinfo", "source": "promu", "query": "up", "grid": { "x": 16, "y": 0, "w": 8, "h": 6 } },
    { "type": "graph", "title": "env", "source": "promenv", "query": "up", "grid": { "x": 0, "y": 18, "w": 8, "h": 6 } },
    { "type": "graph", "title": "header", "source": "promh", "query": "up", "grid": { "x": 8, "y": 18, "w": 8, "h": 6 } },
    { "type": "logs", "title": "loki", "source": "loki", "query": "{app=\"x\"}", "grid": { "x": 0, "y": 6, "w": 8, "h": 6 } },
    { "type": "trace", "title": "tempo", "source": "tempo", "query": "4bf92f3577b34da6a3ce929d0e0e4736", "grid": { "x": 8, "y": 6, "w": 8, "h": 6 } },
    { "type": "trace", "title": "jaeger", "source": "jaeger", "query": "4bf92f3577b34da6a3ce929d0e0e4736", "grid": { "x": 16, "y": 6, "w": 8, "h": 6 } },
    { "type": "pods", "title": "token", "source": "k8s", "grid": { "x": 0, "y": 12, "w": 8, "h": 6 } },
    { "type": "pods", "title": "key", "source": "kkey", "grid": { "x": 8, "y": 12, "w": 8, "h": 6 } },
    { "type": "pods", "title": "exec", "source": "kexec", "grid": { "x": 16, "y": 12, "w": 8, "h": 6 } } ] }
EOF
export SCRY_PROMETHEUS_URL="$E/echo?token=CANARYenvq15"
export SCRY_PROMETHEUS_TOKEN_FILE=$S/env.token
export SCRY_LOKI_TOKEN_FILE=$S/loki.token
export SCRY_TEMPO_TOKEN_FILE=$S/tempo.token
export SCRY_JAEGER_TOKEN_FILE=$S/jaeger.token
export SCRY_LOG=$T_TMP/scry.log
cd "$T_TMP" || exit 1	# a core file would land here

# --- 1. live in a pty: debug log, recording, a note and its export, SIGSEGV
keys="sleep:6 mark keys::note key:Space keys:canary key:Space keys:check key:Enter sleep:0.3"
keys="$keys keys::export key:Space keys:notes key:Space keys:$T_TMP/notes.md key:Enter sleep:0.5"
keys="$keys keys::log key:Enter sleep:0.5 mark key:Esc sleep:0.3 signal:SEGV"
python3 "$SCRY_TOP/$H/procwatch.py" "$T_TMP/pid" "$T_TMP/procs" --interval 0.05 &
watch=$!
python3 "$SCRY_TOP/$H/ptyrun.py" --size 200x50 --out "$T_TMP/pty" --pidfile "$T_TMP/pid" \
    --keys "$keys" -- "$SCRY_BIN" --debug --record "$T_TMP/rec.scry" \
    "$T_TMP/dash.json" 2>"$T_TMP/pty.err"
rc=$?
wait $watch
check "the crashed scry exits 128+SIGSEGV" test "$rc" -eq 139
check "the terminal was restored after the crash" grep -qx same "$T_TMP/pty.termios"
grep -q "Max core file size *0 " "$T_TMP/procs.limits"
check "core dumps are off (RLIMIT_CORE 0 in /proc/PID/limits)" test $? -eq 0
check "no core file" sh -c "! ls '$T_TMP' | grep -q '^core'"
check "command lines were sampled while it ran ($(cat "$T_TMP/procs.count") samples)" \
    test "$(cat "$T_TMP/procs.count")" -ge 20
check "kubectl children were among them" grep -q "kubectl" "$T_TMP/procs"
python3 "$SCRY_TOP/$H/vtcheck.py" "$T_TMP/pty" mark --size 200x50 --name "the secrets pty" >/dev/null
contains "the echoed secrets reach the screen masked" "$T_TMP/pty.screen" "<masked>"

# --- 2. a snapshot with a recording; the replay of both recordings -----
# (a URL given on the command line is the user's own argv; its token must
# not travel further)
"$SCRY_BIN" --snapshot --timeout 8s --size 200x50 --record "$T_TMP/snap.scry" \
    -p "$E/echo?token=CANARYcli16" "$T_TMP/dash.json" >"$T_TMP/snap.out" 2>"$T_TMP/snap.err"
check "the snapshot ran" test -s "$T_TMP/snap.out"
contains "the snapshot shows a masked echo" "$T_TMP/snap.out" "<masked>"
"$SCRY_BIN" --replay "$T_TMP/rec.scry" --snapshot --size 200x50 >"$T_TMP/replay1.out" 2>&1
"$SCRY_BIN" --replay "$T_TMP/snap.scry" --snapshot --size 200x50 >"$T_TMP/replay2.out" 2>&1
"$SCRY_BIN" --check "$T_TMP/dash.json" >"$T_TMP/check.txt" 2>&1
for r in rec snap; do
	"$SCRY_TOOLS/recdump" "$T_TMP/$r.scry" >"$T_TMP/$r.dump" 2>&1
	check "$r.scry decodes" test -s "$T_TMP/$r.dump"
done

# the secrets were really read and sent (or the test proves nothing)
for c in CANARYtokP1 CANARYtokL3 CANARYtokT4 CANARYtokJ5 CANARYhdr11 CANARYcookie12 CANARYtokE6 \
    CANARYcli16 CANARYhdr19 CANARYproxy17 CANARYxauth18; do
	contains "the server saw $c (so scry had it)" "$T_TMP/server.log" "$c"
done
contains "the URL with credentials was refused, not used" "$T_TMP/pty.screen" "credentials in the URL"
contains "the dashboard itself is recorded" "$T_TMP/rec.dump" '"title":	"secrets"'
BASIC=$(printf 'u:CANARYpwP2' | base64 -w0)
contains "the basic-auth credential was sent" "$T_TMP/server.log" "authorization=Basic $BASIC"

# --- the verdict ---------------------------------------------------------
for f in scry.log pty pty.err pty.text pty.screen procs rec.scry rec.dump snap.scry snap.dump snap.out \
    snap.err replay1.out replay2.out check.txt notes.md; do
	if [ ! -e "$T_TMP/$f" ]; then
		not_ok "$f: written"
		continue
	fi
	hits=$(grep -a -o -e 'CANARY[A-Za-z]*[0-9]*' -e "$KEYDATA" -e "$BASIC" "$T_TMP/$f" | sort | uniq -c | tr '\n' ' ')
	if [ -z "$hits" ]; then ok "$f: 0 canary hits"; else not_ok "$f: 0 canary hits" "$hits"; fi
done
for f in rec.scry snap.scry scry.log; do
	m=$(stat -c %a "$T_TMP/$f" 2>/dev/null)
	check "$f is 0600 (is $m)" test "$m" = 600
done
