#!/bin/sh
# Runs every test against the binaries in BUILD_DIR (default build/asan) and
# prints one summary line "N passed, M failed".
#   scripts/run-tests.sh [BUILD_DIR] [--check]
# --check (make check): unit, conformance and functional tests only, the ones
# that need no BGP daemon installed; the integration tests are left out.
# Ports come from the OS, or from FASTBGP_TEST_PORT_BASE upwards when set.
set -u
B=${1:-build/asan}
CHECK_ONLY=${2:-}
PY=/usr/bin/python3
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0
fail=0
failed=""

section() { printf '\n== %s\n' "$1"; }
record() { # name rc
	if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed="$failed $1"; fi
}

section "unit tests (cmocka)"
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if timeout 300 "$t" >"$B/$name.log" 2>&1; then
		echo "PASS $name ($(grep -c '^\[       OK \]' "$B/$name.log") cases)"
		record "$name" 0
	else
		echo "FAIL $name"
		tail -n 40 "$B/$name.log"
		record "$name" 1
	fi
done

section "ExaBGP 4.2 wire conformance"
if $PY tests/conformance/run_conformance.py --daemon "$B/fastbgp" -j 2 --timeout 30 --known-failures tests/conformance/known_failures.txt >"$B/conformance.log" 2>&1; then
	rc=0
else
	rc=1
fi
cat "$B/conformance.log"
record conformance $rc

section "functional (pytest, scripted peers)"
FASTBGP="$top/$B/fastbgp" timeout 600 $PY -m pytest -q tests/functional
record functional $?

if [ "$CHECK_ONLY" != --check ] && ls tests/integration/test_*.py >/dev/null 2>&1; then
	section "integration (pytest)"
	FASTBGP="$top/$B/fastbgp" timeout 900 $PY -m pytest -q tests/integration
	rc=$?
	[ $rc = 5 ] && rc=0 # no test collected is not a failure of the suite
	record pytest $rc
fi

section "fuzz targets (libFuzzer, ${FUZZ_CI_SECONDS:-8} s each)"
if command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	if make -s -j2 fuzz-bins >"$B/fuzz-build.log" 2>&1; then
		timeout 600 fuzz/run.sh "${FUZZ_CI_SECONDS:-8}"
		record fuzz $?
	else
		tail -n 30 "$B/fuzz-build.log"
		record fuzz 1
	fi
else
	echo "skipped: no clang (apt-get install clang libclang-rt-14-dev)"
fi

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
