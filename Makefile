# v6lab / nat6to4 — one Makefile (GNU make) for everything.
#   make            build bin/ and lib/
#   make check      build and run every test (unit, tools, sanitizers)
#   make demo       run the main job
#   make bless [SCENARIOS="a b"]  rewrite captures/ from the scenarios' runs
#   make bench      run the benchmarks
#   make bench-real nat6to4d vs tayga vs IPv6 forwarding, in namespaces (root)
#   make install PREFIX=/usr/local

PREFIX   ?= /usr/local
CC       ?= cc
SAN_CC   ?= clang
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_DEFAULT_SOURCE -Itranslator
BUILD    ?= build

# Dependencies, asked of pkg-config and libnet-config only when needed.
PCAP_CFLAGS   = $(shell pkg-config --cflags libpcap 2>/dev/null)
PCAP_LIBS     = $(shell pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
CUNIT_CFLAGS  = $(shell pkg-config --cflags cunit 2>/dev/null)
CUNIT_LIBS    = $(shell pkg-config --libs cunit 2>/dev/null || echo -lcunit)
LIBNET_CFLAGS = $(shell libnet-config --defines 2>/dev/null)
LIBNET_LIBS   = $(shell libnet-config --libs 2>/dev/null || echo -lnet)

# ---- sources --------------------------------------------------------------
CORE_SRC  := $(filter-out translator/nat6to4.c translator/nat6to4d.c translator/cli_%.c \
               translator/tun_linux.c translator/daemon_%.c translator/nat6to4ctl.c, \
               $(wildcard translator/*.c))
CLI_SRC   := translator/nat6to4.c $(wildcard translator/cli_*.c)
# nat6to4d: the Linux daemon; daemon_conf.o and daemon_offload.o are also linked into
# the unit tests.
DAEMON_SRC := translator/nat6to4d.c translator/tun_linux.c $(wildcard translator/daemon_*.c)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/%.o)
SIM_SRC   := $(filter-out sim/main.c, $(shell find sim -name '*.c' 2>/dev/null | LC_ALL=C sort))
TEST_SRC  := $(wildcard tests/*.c)
BENCH_SRC := $(wildcard bench/bench_core*.c)

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
SIM_OBJ   := $(SIM_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/%.o)

LIB       := lib/libnat6to4.a
PROGRAMS  := bin/nat6to4 bin/v6lab bin/nat6to4d bin/nat6to4ctl
TOOLS     := bin/mkcapture bin/rompager-httpd

all: $(LIB) $(PROGRAMS) $(TOOLS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@

# libnet and libpcap users get their flags; the core gets none of them.
$(CLI_OBJ) $(TEST_OBJ) $(BUILD)/scripts/%.o: EXTRA_CFLAGS = $(PCAP_CFLAGS) $(CUNIT_CFLAGS) $(LIBNET_CFLAGS)
$(SIM_OBJ) $(BUILD)/sim/main.o: EXTRA_CFLAGS = $(PCAP_CFLAGS)
$(TEST_OBJ): CPPFLAGS += -Itests -Isim

$(LIB): $(CORE_OBJ)
	@mkdir -p lib
	rm -f $@
	ar rcs $@ $^

bin/nat6to4: $(CLI_OBJ) $(LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PCAP_LIBS)

bin/nat6to4d: $(DAEMON_OBJ) $(LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJ) $(LIB)

bin/nat6to4ctl: $(BUILD)/translator/nat6to4ctl.o
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# v6lab: the simulator, driving the same core through nat6to4.h.
bin/v6lab: $(BUILD)/sim/main.o $(SIM_OBJ) $(LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PCAP_LIBS) -lmd

# scripts/mkcapture.c: writes the demo/test captures with libnet.
bin/mkcapture: $(BUILD)/scripts/mkcapture.o
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBNET_LIBS) $(PCAP_LIBS)

# tests/realworld/rompager_httpd.c: the real HTTP server of tests/realworld.sh.
bin/rompager-httpd: $(BUILD)/tests/realworld/rompager_httpd.o
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lmd

bin/unit-tests: $(TEST_OBJ) $(SIM_OBJ) $(BUILD)/translator/daemon_conf.o $(BUILD)/translator/daemon_offload.o $(LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(SIM_OBJ) $(BUILD)/translator/daemon_conf.o $(BUILD)/translator/daemon_offload.o $(LIB) $(CUNIT_LIBS) $(LIBNET_LIBS) $(PCAP_LIBS) -lmd

bin/bench-core: $(BENCH_OBJ) $(LIB)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(BENCH_OBJ) $(LIB)

# bench/udpblast.c: the UDP packets/s sender and receiver of `make bench-real`.
bin/udpblast: $(BUILD)/bench/udpblast.o
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# ---- dependencies check -----------------------------------------------------
# Installs what is missing when run as root; otherwise says what to run.
deps:
	@if ! scripts/deps.sh --check 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then scripts/deps.sh; \
	  else scripts/deps.sh --check; echo "run: sudo scripts/deps.sh" >&2; exit 1; fi; \
	fi

# ---- tests ----------------------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory all bin/unit-tests
	@scripts/check.sh

# Unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
check-sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-asan CC=$(SAN_CC) OPT=-O1 \
	  EXTRA_LDFLAGS= LDFLAGS="-fsanitize=address,undefined" \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  LIB=build-asan/libnat6to4.a build-asan/unit-tests

build-asan/unit-tests: $(TEST_OBJ) $(SIM_OBJ) $(BUILD)/translator/daemon_conf.o $(BUILD)/translator/daemon_offload.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(SIM_OBJ) $(BUILD)/translator/daemon_conf.o $(BUILD)/translator/daemon_offload.o $(LIB) $(CUNIT_LIBS) $(LIBNET_LIBS) $(PCAP_LIBS) -lmd

build-asan/libnat6to4.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

# ---- saved captures ----------------------------------------------------------
# The only way captures/NAME/ is rewritten: runs the scenarios given (all by
# default), writes the files whose bytes changed and says how many packets
# differ in each (scripts/regress.sh). `make check` compares, never writes.
bless:
	@$(MAKE) --no-print-directory bin/v6lab
	@scripts/regress.sh bless $(SCENARIOS)

# ---- demo and benchmarks ----------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory bin/bench-core bin/v6lab
	@bin/bench-core
	@echo
	@bench/sim_lan1000.sh

# nat6to4d against tayga and against plain IPv6 forwarding, in network
# namespaces (root): UDP packets/s and iperf3 TCP throughput, side by side.
bench-real: deps
	@$(MAKE) --no-print-directory all bin/udpblast
	@bench/real.sh

# ---- install ----------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 translator/nat6to4.h $(DESTDIR)$(PREFIX)/include/
	for m in $(wildcard translator/*.1 sim/*.1); do install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man1/; done
	for m in $(wildcard translator/*.5); do install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man5/; done
	for m in $(wildcard translator/*.8); do install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man8/; done

clean:
	rm -rf build build-asan bin lib out

.PHONY: all deps check check-sanitize bless demo bench bench-real install clean

-include $(shell find build build-asan -name '*.d' 2>/dev/null)
