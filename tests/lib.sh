# lib.sh: helpers for shell test scripts (sourced).
# Every check prints "ok - NAME" or "not ok - NAME" (+ "# detail" lines).
set -u
SCRY_BIN=${SCRY_BIN:-./scry}
SCRY_TOP=${SCRY_TOP:-$(pwd)}
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/scry-t.XXXXXX")
T_PIDS=""

t_cleanup() {
	for p in $T_PIDS; do kill "$p" 2>/dev/null; done
	for p in $T_PIDS; do wait "$p" 2>/dev/null; done
	[ -n "${T_TMUX:-}" ] && tmux -L "$T_TMUX" kill-server 2>/dev/null
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT INT TERM

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# check NAME COMMAND...: ok if the command succeeds.
check() {
	name=$1
	shift
	if "$@" >"$T_TMP/check.out" 2>&1; then ok "$name"; else
		not_ok "$name" "command: $*" "$(head -c 2000 "$T_TMP/check.out")"; fi
}

# contains NAME FILE TEXT: ok if FILE contains TEXT (fixed string).
contains() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		not_ok "$1" "expected '$3' in $2:" "$(head -c 3000 "$2")"; fi
}

lacks() {
	if grep -qF -- "$3" "$2"; then not_ok "$1" "unexpected '$3' in $2:" "$(grep -nF -- "$3" "$2" | head -5)"; else
		ok "$1"; fi
}

# free_port: an unused TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL [SECONDS]: wait until URL answers 2xx.
wait_http() {
	n=0
	lim=$(( ${2:-10} * 20 ))
	while ! curl -sf -o /dev/null "$1"; do
		n=$((n + 1))
		[ $n -gt $lim ] && return 1
		sleep 0.05
	done
	return 0
}

# bg COMMAND...: start in the background, killed at exit.
bg() {
	"$@" &
	T_PIDS="$T_PIDS $!"
	BG_PID=$!
}

# --- tmux screen helpers: one private server per script ----------------
T_TMUX=""
T_TMUXN=0
tmux_start() {	# tmux_start COLS ROWS COMMAND
	# a fresh socket each time: a killed server may linger for a moment
	T_TMUXN=$((T_TMUXN + 1))
	T_TMUX="scry-test-$$-$T_TMUXN"
	rm -f "$T_TMP/exit"
	tmux -L "$T_TMUX" -f /dev/null new-session -d -s t -x "$1" -y "$2" \
	    "$3; echo \"EXIT=\$?\" > $T_TMP/exit; sleep 60"
	tmux -L "$T_TMUX" set-option -g status off >/dev/null
}
# tmux_stop: end the private server (before the next tmux_start).
tmux_stop() { [ -n "$T_TMUX" ] && tmux -L "$T_TMUX" kill-server 2>/dev/null; T_TMUX=""; }
# tmux_pane FORMAT: a pane variable, e.g. #{alternate_on} or #{pane_pid}.
tmux_pane() { tmux -L "$T_TMUX" display-message -p -t t "$1"; }
# tmux_screen_e: the pane with its colours (SGR sequences).
tmux_screen_e() { tmux -L "$T_TMUX" capture-pane -t t -p -e; }
# tmux_child: the PID of the program the pane's shell runs.
tmux_child() { pgrep -P "$(tmux_pane '#{pane_pid}')" | head -1; }
tmux_keys() { tmux -L "$T_TMUX" send-keys -t t "$@"; }
tmux_screen() { tmux -L "$T_TMUX" capture-pane -t t -p; }
tmux_resize() { tmux -L "$T_TMUX" resize-window -t t -x "$1" -y "$2" 2>/dev/null; }
# screen_wait TEXT [SECONDS]: wait until the pane shows TEXT.
screen_wait() {
	n=0
	lim=$(( ${2:-5} * 20 ))
	while ! tmux_screen | grep -qF -- "$1"; do
		n=$((n + 1))
		[ $n -gt $lim ] && return 1
		sleep 0.05
	done
	return 0
}
# screen_wait_re ERE [SECONDS]: screen_wait for an extended regular expression
screen_wait_re() {
	n=0
	lim=$(( ${2:-5} * 20 ))
	while ! tmux_screen | grep -qE -- "$1"; do
		n=$((n + 1))
		[ $n -gt $lim ] && return 1
		sleep 0.05
	done
	return 0
}
# exit_wait [SECONDS]: wait for the program in the pane to exit; prints EXIT=n.
exit_wait() {
	n=0
	lim=$(( ${1:-5} * 20 ))
	while [ ! -s "$T_TMP/exit" ]; do
		n=$((n + 1))
		[ $n -gt $lim ] && return 1
		sleep 0.05
	done
	cat "$T_TMP/exit"
}
