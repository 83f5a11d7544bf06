#!/bin/sh
# deps.sh: make sure the Debian packages scry and its tests need are present.
# Usage: deps.sh [build|test|fuzz|all|bench]   (default all; fuzz: build +
# clang with the libFuzzer/ASan/UBSan runtimes, what `make fuzz` needs;
# bench adds the peers and tools make bench compares with)
# As root it installs what is missing with apt-get; otherwise it prints the
# exact apt-get line and fails.  Prints nothing when everything is there.
set -u
what=${1:-all}

# package:probe pairs.  A probe is "pc:NAME" (pkg-config module),
# "cmd:NAME" (command on PATH), "file:PATH" or "rt:NAME" (clang finds its
# runtime library libclang_rt.NAME-<arch>.a).
build_deps="
pkg-config:cmd:pkg-config
libncurses-dev:pc:ncursesw
libcurl4-openssl-dev:pc:libcurl
libcjson-dev:pc:libcjson
libwebsockets-dev:pc:libwebsockets
libpcre2-dev:pc:libpcre2-8
libzstd-dev:pc:libzstd
libyaml-dev:pc:yaml-0.1
make:cmd:make
gcc:cmd:gcc
"
test_deps="
prometheus:cmd:prometheus
tmux:cmd:tmux
python3:cmd:python3
clang:cmd:clang
libclang-rt-14-dev:rt:asan
libclang-rt-14-dev:rt:fuzzer
kubernetes-client:cmd:kubectl
curl:cmd:curl
screen:cmd:screen
mandoc:cmd:mandoc
graphviz:cmd:dot
valgrind:cmd:valgrind
cppcheck:cmd:cppcheck
clang-tidy:cmd:clang-tidy
"
bench_deps="
lnav:cmd:lnav
pcre2-utils:cmd:pcre2grep
time:file:/usr/bin/time
"

case $what in
build) list=$build_deps ;;
fuzz) list="$build_deps clang:cmd:clang libclang-rt-14-dev:rt:fuzzer libclang-rt-14-dev:rt:asan libclang-rt-14-dev:rt:ubsan_standalone" ;;
test|all) list="$build_deps $test_deps" ;;
bench) list="$build_deps $test_deps $bench_deps" ;;
*) echo "usage: $0 [build|test|fuzz|all|bench]" >&2; exit 2 ;;
esac

missing=""
for entry in $list; do
	pkg=${entry%%:*}
	probe=${entry#*:}
	kind=${probe%%:*}
	name=${probe#*:}
	case $kind in
	pc) pkg-config --exists "$name" 2>/dev/null && continue ;;
	cmd) command -v "$name" >/dev/null 2>&1 && continue ;;
	file) [ -e "$name" ] && continue ;;
	rt) command -v clang >/dev/null 2>&1 &&
	    [ -e "$(clang -print-file-name="libclang_rt.$name-$(uname -m).a")" ] && continue ;;
	esac
	case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done

[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null 2>&1 || apt-get update
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "deps: apt-get failed; run: $cmd" >&2; exit 1; }
	exit 0
fi
echo "deps: missing packages:$missing" >&2
echo "deps: run as root:  $cmd" >&2
exit 1
