# netlab: see README.md. `make` builds build/netlab; `make check` runs every test.
PREFIX        ?= /usr/local
SBINDIR       ?= $(PREFIX)/sbin
MANDIR        ?= $(PREFIX)/share/man
NETNS_RUN_DIR ?= /run/netns
NETLAB_RUN_DIR ?= /run/netlab
PKG_CONFIG    ?= pkg-config
CC            ?= cc
CFLAGS        ?= -O2 -g
BUILD         ?= build

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wno-format-nonliteral
NL_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libnl-route-3.0 2>/dev/null || echo -I/usr/include/libnl3)
NL_LIBS    := $(shell $(PKG_CONFIG) --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)
INI_CFLAGS := $(shell $(PKG_CONFIG) --cflags iniparser 2>/dev/null || echo -I/usr/include/iniparser)
INI_LIBS   := $(shell $(PKG_CONFIG) --libs iniparser 2>/dev/null || echo -liniparser)
override CPPFLAGS += -D_GNU_SOURCE -DNETNS_RUN_DIR=\"$(NETNS_RUN_DIR)\" -DNETLAB_RUN_DIR=\"$(NETLAB_RUN_DIR)\" -MMD -MP
override CFLAGS += -std=gnu11 $(WARN) $(NL_CFLAGS) $(INI_CFLAGS)
ifdef SANITIZE
override CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=$(SANITIZE) -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=$(SANITIZE)
endif

# Pure code (no netlink, no privileges): what the unit tests and the fuzzer link.
PURE_SRCS := netlab/util.c netlab/topo.c netlab/topo_ini.c netlab/topo_check.c netlab/out.c
ALL_SRCS  := $(wildcard netlab/*.c)
KERN_SRCS := $(filter-out $(PURE_SRCS) netlab/main.c,$(ALL_SRCS))
PURE_OBJS := $(PURE_SRCS:netlab/%.c=$(BUILD)/obj/%.o)
KERN_OBJS := $(KERN_SRCS:netlab/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check check-unit check-integration asan fuzz install clean demo bench
all: $(BUILD)/netlab

$(BUILD)/obj/%.o: netlab/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/netlab: $(BUILD)/obj/main.o $(PURE_OBJS) $(KERN_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS) $(INI_LIBS) -pthread

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(PURE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Inetlab -DTEST_DATA=\"$(CURDIR)/tests/data\" -o $@ $< $(PURE_OBJS) $(LDFLAGS) $(INI_LIBS)

unit-bins: $(UNIT_BINS)

# Installs what is missing (Debian packages, with apt-get): see scripts/deps.sh.
deps:
	scripts/deps.sh

# Everything: deps, the build, unit tests (plain and under ASan+UBSan), bats tests as root.
check: deps
	$(MAKE) all unit-bins
	$(MAKE) BUILD=build/asan SANITIZE=address,undefined all unit-bins
	scripts/run-tests.sh

check-unit: unit-bins
	scripts/run-tests.sh --unit

check-integration: all
	scripts/run-tests.sh --integration

asan:
	$(MAKE) BUILD=build/asan SANITIZE=address,undefined all unit-bins

# libFuzzer target for the loader and validator; FUZZ_RUNS executions (see docs/testing.md).
FUZZ_RUNS ?= 1000000
fuzz:
	@mkdir -p build/fuzz build/fuzz/corpus
	clang -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(INI_CFLAGS) -Inetlab -o build/fuzz/fuzz_topo tests/fuzz/fuzz_topo.c $(PURE_SRCS) $(INI_LIBS)
	for f in tests/data/good/*.ini tests/data/bad/*.ini topologies/*.ini; do cp "$$f" "build/fuzz/corpus/$$(echo $$f | tr / _)"; done
	build/fuzz/fuzz_topo -runs=$(FUZZ_RUNS) -max_len=4096 -dict=tests/fuzz/topo.dict build/fuzz/corpus

# The first README command (scripts/demo.sh): installs what is missing, builds, brings up the
# default lab and shows it working.
demo:
	scripts/demo.sh

bench: all
	scripts/bench

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BUILD)/netlab $(DESTDIR)$(SBINDIR)/netlab
	install -m 644 docs/man/netlab.8 $(DESTDIR)$(MANDIR)/man8/netlab.8
	install -m 644 docs/man/netlab.ini.5 $(DESTDIR)$(MANDIR)/man5/netlab.ini.5

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
