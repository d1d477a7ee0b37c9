# netlab: see README.md. `make` builds build/netlab; `make check` runs every test.
PREFIX        ?= /usr/local
SBINDIR       ?= $(PREFIX)/sbin
MANDIR        ?= $(PREFIX)/share/man
# where Debian's bash-completion looks (it searches $XDG_DATA_DIRS, /usr/local/share and /usr/share)
BASHCOMPDIR   ?= $(PREFIX)/share/bash-completion/completions
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
PCAP_LIBS  := $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || echo -lpcap)
override CPPFLAGS += -D_GNU_SOURCE -DNETNS_RUN_DIR=\"$(NETNS_RUN_DIR)\" -DNETLAB_RUN_DIR=\"$(NETLAB_RUN_DIR)\" -MMD -MP
override CFLAGS += -std=gnu11 $(WARN)
# The tests' hooks (NETLAB_TEST_*: util_test_hook()) exist only in a test build; `make`, `make
# install` and `make deb` build without them, `make check` builds build/test and build/asan with.
ifdef TEST_HOOKS
override CPPFLAGS += -DNETLAB_TEST_HOOKS
endif
ifdef SANITIZE
override CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=$(SANITIZE) -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=$(SANITIZE)
endif

# Layers, lowest first: util <- model <- format <- plan <- kernel <- lab <- cmd (and main.c). A
# folder's include path names only itself and the folders below it, so including a header of a
# higher layer does not compile; every header is also compiled alone with its folder's flags
# (build/hdr/), and scripts/check-source checks the same rule by reading the #include lines.
# libnl's headers are seen from kernel/ up; iniparser's by format/ alone.
INC_util   := -iquote netlab/util
INC_model  := -iquote netlab/model $(INC_util)
INC_format := -iquote netlab/format $(INC_model)
INC_plan   := -iquote netlab/plan $(INC_format)
INC_kernel := -iquote netlab/kernel $(INC_plan)
INC_lab    := -iquote netlab/lab $(INC_kernel)
INC_cmd    := -iquote netlab/cmd $(INC_lab)
INC_main   := $(INC_cmd)
LIB_format := $(INI_CFLAGS)
LIB_kernel := $(NL_CFLAGS)
LIB_lab    := $(NL_CFLAGS)
LIB_cmd    := $(NL_CFLAGS)
LIB_main   := $(NL_CFLAGS)
layer       = $(firstword $(subst /, ,$(1)))
layer_flags = $(INC_$(call layer,$(1))) $(LIB_$(call layer,$(1)))

srcs_of = $(wildcard netlab/$(1)/*.c)
objs_of = $(patsubst netlab/%.c,$(BUILD)/obj/%.o,$(call srcs_of,$(1)))
# Pure code (no netlink, no privileges): what the unit tests and the fuzzer link.
PURE_LAYERS := util model format plan
PURE_SRCS := $(foreach l,$(PURE_LAYERS),$(call srcs_of,$(l)))
PURE_OBJS := $(foreach l,$(PURE_LAYERS),$(call objs_of,$(l)))
KERN_OBJS := $(call objs_of,kernel)
LAB_OBJS  := $(call objs_of,lab)
CMD_OBJS  := $(call objs_of,cmd)
HDR_OK    := $(patsubst netlab/%.h,$(BUILD)/hdr/%.ok,$(wildcard netlab/*/*.h))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check check-unit check-integration test-build unit-bins asan fuzz install deb clean demo bench
all: $(BUILD)/netlab $(HDR_OK)

$(BUILD)/obj/%.o: netlab/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(call layer_flags,$*) -c -o $@ $<

# Each header compiles on its own, with only its own layer's include path.
$(BUILD)/hdr/%.ok: netlab/%.h
	@mkdir -p $(dir $@)
	@$(CC) -D_GNU_SOURCE -DNETNS_RUN_DIR=\"$(NETNS_RUN_DIR)\" -DNETLAB_RUN_DIR=\"$(NETLAB_RUN_DIR)\" -std=gnu11 $(WARN) \
		-MMD -MP -MF $(@:.ok=.d) -MT $@ $(call layer_flags,$*) -fsyntax-only -x c $< && touch $@

$(BUILD)/netlab: $(BUILD)/obj/main.o $(CMD_OBJS) $(LAB_OBJS) $(KERN_OBJS) $(PURE_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(NL_LIBS) $(INI_LIBS) $(PCAP_LIBS) -pthread

# Unit tests (tests/unit/test_*.c) link the pure layers; test_lab also the journal loader
# (lab/state.o), test_kernel the libnl error mapping and the ICMP parser (no privileges needed).
UNIT_LIBS_test_kernel := $(BUILD)/obj/kernel/nls.o $(BUILD)/obj/kernel/nsfs.o $(BUILD)/obj/kernel/icmp.o $(BUILD)/obj/kernel/route.o $(NL_LIBS)
UNIT_LIBS_test_lab    := $(BUILD)/obj/lab/state.o $(BUILD)/obj/lab/journal.o $(BUILD)/obj/lab/routing.o $(BUILD)/obj/lab/health.o
UNIT_INC_test_kernel  := $(INC_kernel) $(NL_CFLAGS)
UNIT_INC_test_lab     := $(INC_lab) $(NL_CFLAGS)
$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(PURE_OBJS) $(KERN_OBJS) $(LAB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(or $(UNIT_INC_$*),$(INC_plan) $(INI_CFLAGS)) -DTEST_DATA=\"$(CURDIR)/tests/data\" -o $@ $< \
		$(filter %.o,$(UNIT_LIBS_$*)) $(PURE_OBJS) $(LDFLAGS) $(filter-out %.o,$(UNIT_LIBS_$*)) $(INI_LIBS)

unit-bins: $(UNIT_BINS)

# Installs what is missing (Debian packages, with apt-get): see scripts/deps.sh.
deps:
	scripts/deps.sh

# Everything: deps, the test builds (build/test, and build/asan under ASan+UBSan: both with the
# test hooks), unit tests, bats tests as root.
check: deps test-build asan
	scripts/run-tests.sh

check-unit: test-build
	scripts/run-tests.sh --unit

check-integration: test-build
	scripts/run-tests.sh --integration

test-build:
	$(MAKE) BUILD=build/test TEST_HOOKS=1 all unit-bins

asan:
	$(MAKE) BUILD=build/asan SANITIZE=address,undefined TEST_HOOKS=1 all unit-bins

# libFuzzer targets: the loader and validator (fuzz_topo), the Kathara importer (fuzz_kathara: its
# topology must always validate), the assertion parser (fuzz_assert), and the ICMP parser that reads
# lab traffic (fuzz_icmp); FUZZ_RUNS executions each (see docs/testing.md).
FUZZ_RUNS ?= 1000000
FUZZ_CC   := clang -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
fuzz:
	@mkdir -p build/fuzz/corpus build/fuzz/corpus-icmp build/fuzz/corpus-kathara build/fuzz/corpus-assert build/fuzz/corpus-proto
	$(FUZZ_CC) $(INC_plan) $(INI_CFLAGS) -o build/fuzz/fuzz_topo tests/fuzz/fuzz_topo.c $(PURE_SRCS) $(INI_LIBS)
	$(FUZZ_CC) $(INC_plan) $(INI_CFLAGS) -o build/fuzz/fuzz_kathara tests/fuzz/fuzz_kathara.c $(PURE_SRCS) $(INI_LIBS)
	$(FUZZ_CC) $(INC_plan) $(INI_CFLAGS) -o build/fuzz/fuzz_assert tests/fuzz/fuzz_assert.c $(PURE_SRCS) $(INI_LIBS)
	$(FUZZ_CC) $(INC_plan) $(INI_CFLAGS) -o build/fuzz/fuzz_proto tests/fuzz/fuzz_proto.c $(PURE_SRCS) $(INI_LIBS)
	$(FUZZ_CC) $(INC_kernel) -o build/fuzz/fuzz_icmp tests/fuzz/fuzz_icmp.c netlab/kernel/icmp.c
	for f in tests/data/good/*.ini tests/data/bad/*.ini topologies/*.ini; do cp "$$f" "build/fuzz/corpus/$$(echo $$f | tr / _)"; done
	build/fuzz/fuzz_topo -runs=$(FUZZ_RUNS) -max_len=4096 -dict=tests/fuzz/topo.dict build/fuzz/corpus
	build/fuzz/fuzz_icmp -runs=$(FUZZ_RUNS) -max_len=200 build/fuzz/corpus-icmp
	for d in tests/data/kathara/*/; do cat "$$d/lab.conf" > "build/fuzz/corpus-kathara/$$(basename $$d)"; \
		for s in "$$d"*.startup; do printf '\0' >> "build/fuzz/corpus-kathara/$$(basename $$d)"; cat "$$s" >> "build/fuzz/corpus-kathara/$$(basename $$d)"; done; done
	build/fuzz/fuzz_kathara -runs=$(FUZZ_RUNS) -max_len=4096 build/fuzz/corpus-kathara
	grep -ho 'expect = .*' tests/data/good/*.ini | sed 's/^expect = //' | split -l 1 - build/fuzz/corpus-assert/seed-
	build/fuzz/fuzz_assert -runs=$(FUZZ_RUNS) -max_len=300 -rss_limit_mb=512 build/fuzz/corpus-assert
	printf '{"neighbors":{"2.2.2.2":[{"nbrState":"Full/DR","address":"10.0.0.2"}]}}' >build/fuzz/corpus-proto/frr-ospf
	printf '{"10.0.0.2":{"bgpState":"Established"},"advertisedRoutes":{"10.1.0.0/24":{}}}' >build/fuzz/corpus-proto/frr-bgp
	printf 'up1 BGP --- up\n  BGP state: Established\n    Neighbor address: 10.0.0.2\n10.1.0.0/24 unicast\n2.2.2.2 1 Full/DR 3.9 eth0 10.0.0.2\n' >build/fuzz/corpus-proto/bird
	build/fuzz/fuzz_proto -runs=$(FUZZ_RUNS) -max_len=2000 build/fuzz/corpus-proto

# The first README command (scripts/demo.sh): installs what is missing, builds, brings up the
# default lab and shows it working.
demo:
	scripts/demo.sh

bench: all
	scripts/bench

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BUILD)/netlab $(DESTDIR)$(SBINDIR)/netlab
	install -m 644 docs/man/netlab.8 $(DESTDIR)$(MANDIR)/man8/netlab.8
	install -m 644 docs/man/netlab.ini.5 $(DESTDIR)$(MANDIR)/man5/netlab.ini.5
	install -m 644 completion/netlab.bash $(DESTDIR)$(BASHCOMPDIR)/netlab

# The Debian package, built from a copy of the tree (dpkg-buildpackage cleans the tree it builds
# in, and writes beside it): build/deb/netlab_VERSION_ARCH.deb, then lintian on it.
deb:
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src
	tar --exclude=./build --exclude=./.git -cf - . | tar -C $(BUILD)/deb/src -xf -
	cd $(BUILD)/deb/src && dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(BUILD)/deb/netlab_*.deb

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d $(BUILD)/hdr/*/*.d $(BUILD)/tests/*.d)
