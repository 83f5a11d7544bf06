# scry: terminal incident cockpit.  Plain GNU make + pkg-config.
#
#   make            build ./scry (BIN=path builds it elsewhere)
#   make run        build, then replay the bundled demo incident (no backend)
#   make demo-live  the demo stack (Prometheus, Loki, Kubernetes, Tempo test
#                   servers telling the incident) and scry live against it
#   make demo-recording  record the demo into dashboards/incident.scry
#   make test       every test layer; last line "N passed, N failed"
#   make asan       the test suite under ASan+UBSan (build/asan); every
#                   sanitizer report, leaks at exit included, fails a test
#   make valgrind   the unit tests under valgrind memcheck (leaks are errors)
#   make lint       cppcheck + clang-tidy on the project's C (.clang-tidy,
#                   scripts/lint.sh); clean, or suppressed in place with why
#   make ci         what CI runs (.ci/run): test, asan, valgrind, lint and a
#                   clang build; last line "N passed, N failed" over all parts
#   WERROR=1        any of the above with -Werror (CI builds with it)
#   make bench      benchmarks, report in bench/REPORT.md
#   make robustness the robustness figures (tail disruptions, hostile answers,
#                   ReDoS, slow/dead backends, resize storm, terminal restore):
#                   bench/ROBUSTNESS.md; long (~40 min), not in CI; ROBUST=t6
#                   measures one section again (bench/robustness.sh)
#   make soak       SOAK_SECONDS (default 3600) of live load, then idle cost;
#                   adds its section to bench/ROBUSTNESS.md (bench/soak.sh)
#   make fuzz       libFuzzer targets (FUZZ_SECONDS each, default 60;
#                   FUZZ_RUNS=N: N executions each; FUZZ=regex: some)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install (as root) or print the Debian packages needed

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
DATADIR  ?= $(PREFIX)/share/scry
DESTDIR  ?=
CC       ?= cc
O        ?= build/obj
BIN      ?= scry
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ     ?=

PKGS     := ncursesw libcurl libcjson libwebsockets libpcre2-8 libzstd yaml-0.1
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

WARN     := -Wall -Wextra -Wformat=2 -Werror=format-security -Wshadow \
            -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith \
            -Wvla -Wno-unused-parameter $(if $(WERROR),-Werror)
OPT      ?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DSCRY_VERSION='"$(VERSION)"' \
            -DSCRY_DATADIR='"$(DATADIR)"' -I.
CFLAGS   ?=
CFLAGS   += -std=c11 $(OPT) $(WARN) $(PKG_CFLAGS) -fno-strict-aliasing -pthread
LDLIBS   += $(PKG_LIBS) -lm -pthread

LIB_SRC  := $(sort $(wildcard core/*.c sources/*.c widgets/*.c)) \
            $(filter-out tui/main.c,$(sort $(wildcard tui/*.c)))
MAIN_SRC := tui/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
GEN_SRC  := $(O)/gen/default_dashboard.c
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o) $(GEN_SRC:%.c=%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(O)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(O)/%.o)
DEPFILES := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)

.PHONY: fuzz-bins fuzz-replay all deps deps-build run test unit asan valgrind lint ci bench fuzz soak robustness install uninstall clean check-man demo-live demo-recording

BIN      ?= scry

all: $(BIN)

deps:
	@sh scripts/deps.sh all

deps-build:
	@sh scripts/deps.sh build

$(BIN): $(LIB_OBJ) $(MAIN_OBJ)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A change of compiler or flags rebuilds everything (make CC=clang after gcc).
FLAGS_STAMP := $(O)/.flags
FLAGS_NOW   := $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
$(shell mkdir -p $(O) && { [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = '$(subst ','"'"',$(FLAGS_NOW))' ] || \
    printf '%s' '$(subst ','"'"',$(FLAGS_NOW))' > $(FLAGS_STAMP); })

$(O)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/gen/default_dashboard.c: dashboards/incident.json scripts/embed.sh
	@mkdir -p $(dir $@)
	@sh scripts/embed.sh default_dashboard_json $< > $@

$(O)/gen/%.o: $(O)/gen/%.c $(FLAGS_STAMP)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/tests/unit-runner: $(LIB_OBJ) $(UNIT_OBJ)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(O)/fuzz-replay/%)
# replay binaries: each fuzz target over files, linked without libFuzzer
$(O)/fuzz-replay/%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay_main.c $(LIB_OBJ) $(LDLIBS)
# libFuzzer binaries (built by tests/fuzz/run.sh with clang and sanitizers)
$(O)/fuzz-bin/%: tests/fuzz/fuzz_%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(LDLIBS)
fuzz-bins: $(FUZZ_NAMES:%=$(O)/fuzz-bin/%)
fuzz-replay: $(FUZZ_REPLAY)
# test helper programs (tests/tools/NAME.c -> $(O)/tests/tools/NAME)
TOOL_BIN := $(patsubst tests/tools/%.c,$(O)/tests/tools/%,$(sort $(wildcard tests/tools/*.c)))
$(O)/tests/tools/%: tests/tools/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

BENCH_SRC := $(sort $(wildcard bench/*.c))
$(O)/bench/%: bench/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(O)/tests/tools/%)
$(O)/tests/tools/%: tests/tools/%.c tests/tools/incident.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

-include $(DEPFILES)

run:
	@sh scripts/deps.sh build
	@$(MAKE) --no-print-directory scry
	./scry --replay dashboards/incident.scry

# The demo stack (demo/stack.sh) on a virtual clock: DEMO_START at
# DEMO_SPEED times real time.  demo-recording rewrites the bundled
# recording (HACKING.md: regenerating it).
DEMO_START ?= 2026-11-26T02:12:00Z
DEMO_SPEED ?= 10
demo-live:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory scry
	@sh demo/live.sh $(DEMO_START) $(DEMO_SPEED)

demo-recording:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory scry
	@sh demo/record.sh dashboards/incident.scry

unit: $(O)/tests/unit-runner
	$(O)/tests/unit-runner

test:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory $(BIN) $(O)/tests/unit-runner fuzz-replay $(TOOL_BIN) \
	    $(BENCH_SRC:bench/%.c=$(O)/bench/%)
	@sh tests/run.sh $(O)

asan:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory O=build/asan BIN=build/asan/scry \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" build/asan/scry build/asan/tests/unit-runner fuzz-replay \
	    $(patsubst $(O)/%,build/asan/%,$(TOOL_BIN))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    SCRY_BIN=./build/asan/scry sh tests/run.sh build/asan

# The unit runner under memcheck: any error or definite/possible leak fails
# (--error-exitcode); the forked test servers inside unit tests exit with
# _exit and are not checked (--child-silent-after-fork), nor are the
# programs the tests spawn (--trace-children=no).  Left out:
# proc_missing_program, which checks that posix_spawnp() reports ENOENT;
# under valgrind glibc's vfork-style spawn becomes a fork, the exec fails
# in the child and the call succeeds (it passes in make test and asan).
VALGRIND_SKIP := proc_missing_program
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible \
	    --child-silent-after-fork=yes --trace-children=no --suppressions=scripts/valgrind.supp
valgrind:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory $(O)/tests/unit-runner
	@echo "valgrind: left out: $(VALGRIND_SKIP) (see the Makefile)"
	@TESTS=unit SCRY_UNIT_SKIP=$(VALGRIND_SKIP) SCRY_UNIT_WRAP="$(VALGRIND)" sh tests/run.sh $(O)

lint:
	@sh scripts/deps.sh all
	@sh scripts/lint.sh all

ci:
	@sh .ci/run

bench:
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory scry
	@sh bench/run.sh

fuzz:
	@sh scripts/deps.sh fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ='$(FUZZ)' sh tests/fuzz/run.sh

soak:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory scry
	@sh bench/soak.sh && ROBUST=report sh bench/robustness.sh

robustness:
	@sh scripts/deps.sh all
	@$(MAKE) --no-print-directory scry
	@sh bench/robustness.sh

check-man:
	@for m in man/*.[0-9]; do mandoc -Tlint -W warning $$m || exit 1; done

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR)/dashboards
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/scry
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 644 dashboards/*.json $(DESTDIR)$(DATADIR)/dashboards/
	@if ls dashboards/*.scry >/dev/null 2>&1; then install -m 644 dashboards/*.scry $(DESTDIR)$(DATADIR)/dashboards/; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/scry
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard man/*.1))
	rm -f $(patsubst man/%,$(DESTDIR)$(MANDIR)/man5/%,$(wildcard man/*.5))
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build scry
