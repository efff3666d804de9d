# fastbgp top-level Makefile (GNU make).
#   make            release build: build/release/fastbgp
#   make run        install deps, build, run the bundled example on loopback
#   make test       install deps, build with ASan+UBSan, run every test (CI)
#   make check      the unit, conformance and functional tests only: no BGP
#                   daemon needed (alias: make test-unit)
#   make bench      benchmarks (see bench/README.md)
#   make install    PREFIX (/usr/local) and DESTDIR honoured: sbin, man pages,
#                   the systemd unit, an example configuration and env file
#   make install-exabgp-compat   also the names exabgp and exabgpcli (opt-in)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS (default 60) each (fuzz/README.md)

CC      ?= cc
STD     := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes
INCS    := -Isrc
LIBS    := $(shell pkg-config --libs libuv 2>/dev/null || echo -luv) $(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl) \
           $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -lpthread
# NATS transport of helper processes (libnats-dev; src/api/nats_transport.c)
LIBS    += $(shell pkg-config --libs libnats 2>/dev/null || echo -lnats)
# sd_notify() readiness for systemd's Type=notify (libsystemd-dev); without
# it fastbgp builds and runs the same, only without the notification.
SYSTEMD_LIBS := $(shell pkg-config --libs libsystemd 2>/dev/null)
ifneq ($(SYSTEMD_LIBS),)
  LIBS  += $(SYSTEMD_LIBS)
  INCS  += -DHAVE_LIBSYSTEMD
endif
TLIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

SRC_ALL := $(shell find src -name '*.c' | sort)
SRC_LIB := $(filter-out src/main.c,$(SRC_ALL))
UNIT    := $(sort $(wildcard tests/unit/test_*.c))

VARIANT ?= release
ifeq ($(VARIANT),asan)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(VARIANT),fuzz)
  # libFuzzer (Debian: clang, libclang-rt-14-dev): the library instrumented,
  # each fuzz/fuzz_*.c linked with libFuzzer's main.
  CC  := $(or $(FUZZ_CC),clang)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
else
  OPT := -O2 -g
endif
OUT     := build/$(VARIANT)
CFLAGS_ALL := $(STD) $(WARN) $(INCS) $(OPT) $(CFLAGS)
LDFLAGS_ALL := $(OPT) $(LDFLAGS)

OBJ_LIB := $(SRC_LIB:%.c=$(OUT)/obj/%.o)
OBJ_MAIN := $(OUT)/obj/src/main.o
UNIT_BIN := $(UNIT:tests/unit/%.c=$(OUT)/tests/%)
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/bin/%)
FUZZ_SECONDS ?= 60

.PHONY: all build unit-bins asan deps run test check test-unit unit conformance integration bench clean \
	install install-exabgp-compat fuzz fuzz-bins
all: build
build: $(OUT)/fastbgp $(OUT)/fastbgpctl

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(OUT)/libfastbgp.a: $(OBJ_LIB)
	@rm -f $@
	ar rcs $@ $^

$(OUT)/fastbgp: $(OBJ_MAIN) $(OUT)/libfastbgp.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

# The control client: the daemon's settings code (to find the socket in the
# env file) and libedit for its interactive mode.
EDIT_LIBS := $(shell pkg-config --libs libedit 2>/dev/null || echo -ledit)
$(OUT)/fastbgpctl: tools/fastbgpctl.c $(OUT)/libfastbgp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(OUT)/libfastbgp.a $(LDFLAGS_ALL) $(EDIT_LIBS) $(LIBS)

$(OUT)/tests/%: tests/unit/%.c $(OUT)/libfastbgp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(OUT)/libfastbgp.a $(LDFLAGS_ALL) $(TLIBS) $(LIBS)

unit-bins: $(UNIT_BIN)

build/fuzz/bin/%: fuzz/%.c build/fuzz/libfastbgp.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -fsanitize=fuzzer -MMD -MP -o $@ $< build/fuzz/libfastbgp.a $(LIBS)

fuzz-bins:
	$(MAKE) VARIANT=fuzz $(FUZZ_BIN)

# Every fuzz target for FUZZ_SECONDS seconds each.
fuzz: deps
	$(MAKE) fuzz-bins
	fuzz/run.sh $(FUZZ_SECONDS)

asan:
	$(MAKE) VARIANT=asan build unit-bins

deps:
	@scripts/deps.sh

run: deps
	$(MAKE) build
	scripts/run-example.sh

# Every test, under ASan+UBSan.
test: deps
	$(MAKE) VARIANT=asan build unit-bins
	scripts/run-tests.sh build/asan

# What a contributor can run without the five BGP daemons of `make test`.
check test-unit:
	@scripts/deps.sh --check
	$(MAKE) VARIANT=asan build unit-bins
	scripts/run-tests.sh build/asan --check

bench: deps
	$(MAKE) build
	bench/run.sh

# ---- install ----------------------------------------------------------------
PREFIX  ?= /usr/local
DESTDIR ?=
SBINDIR := $(PREFIX)/sbin
MANDIR  := $(PREFIX)/share/man
DOCDIR  := $(PREFIX)/share/doc/fastbgp
UNITDIR := $(PREFIX)/lib/systemd/system
INSTALL ?= install
# fastbgp-healthcheck(8) comes with the healthcheck, when it is there
MAN8    := docs/fastbgp.8 docs/fastbgpctl.8 $(wildcard docs/fastbgp-healthcheck.8)
MAN5    := docs/fastbgp.conf.5
DOCS    := $(wildcard docs/configuration.md docs/settings.md docs/api.md docs/json.md docs/flowspec.md \
	     docs/migration.md docs/cookbook.md docs/metrics.md) README.md

install: build
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 0755 $(OUT)/fastbgp $(OUT)/fastbgpctl $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 examples/fastbgp.conf.example packaging/fastbgp.env $(DESTDIR)$(DOCDIR)/
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/fastbgp.service > $(DESTDIR)$(UNITDIR)/fastbgp.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fastbgp.service

# Scripts that call exabgp, exabgpcli or `exabgp healthcheck` keep working:
# fastbgp takes ExaBGP's command line, and behaves as `fastbgp cli` when
# called exabgpcli.  Opt-in: it shadows Debian's exabgp package.
install-exabgp-compat: install
	ln -sf fastbgp $(DESTDIR)$(SBINDIR)/exabgp
	ln -sf fastbgp $(DESTDIR)$(SBINDIR)/exabgpcli

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
