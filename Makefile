# fastbgp top-level Makefile (GNU make).
#   make            release build: build/release/fastbgp
#   make run        install deps, build, run the bundled example on loopback
#   make test       install deps, build with ASan+UBSan, run every test
#   make bench      benchmarks (see bench/README.md)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS (default 60) each (fuzz/README.md)

CC      ?= cc
STD     := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes
INCS    := -Isrc
LIBS    := $(shell pkg-config --libs libuv 2>/dev/null || echo -luv)
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

.PHONY: all build unit-bins asan deps run test unit conformance integration bench clean fuzz fuzz-bins
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

# The control client is standalone: it only speaks to the daemon's socket.
$(OUT)/fastbgpctl: tools/fastbgpctl.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LDFLAGS_ALL)

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

bench: deps
	$(MAKE) build
	bench/run.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
