#!/bin/sh
# Measures loading a configuration with N static routes (default 1,000,000):
#   tests/config/bench_load.sh [N]
# Builds the release library, generates the file with gen_big.py, and runs
# bench_load.c under /usr/bin/time -v (when present) for the peak RSS.
set -e
cd "$(dirname "$0")/../.."
N=${1:-1000000}
make -s build/release/libfastbgp.a
TMP=${TMPDIR:-/tmp}
python3 tests/config/gen_big.py "$N" > "$TMP/fastbgp-big.conf"
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc tests/config/bench_load.c build/release/libfastbgp.a -o "$TMP/fastbgp-bench-load"
ls -l "$TMP/fastbgp-big.conf"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$TMP/fastbgp-bench-load" "$TMP/fastbgp-big.conf" 2>&1 | grep -E 'load:|arena:|Elapsed|Maximum resident'
else
	"$TMP/fastbgp-bench-load" "$TMP/fastbgp-big.conf"
fi
rm -f "$TMP/fastbgp-big.conf" "$TMP/fastbgp-bench-load"
