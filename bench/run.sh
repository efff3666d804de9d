#!/bin/sh
# fastbgp benchmarks: `make bench` runs this after `make deps build`.
#
#   bench/run.sh                         full run (< 60 min), report in bench/results/last-run.md
#   BENCH_QUICK=1 bench/run.sh           quick run (< 5 min)
#   BENCH_SCENARIOS=a1,c BENCH_N=100000 bench/run.sh
#
# Every knob is described in bench/README.md.  Everything runs on loopback
# (127.66.0.0/16, 127.67.0.0/16); every process started is stopped by PID.
set -eu
cd "$(dirname "$0")/.."

# The peers come from Debian.  `make bench` installs them through `make deps`;
# run directly, this installs what is missing when root, or says what to install.
quick=${BENCH_QUICK:-0}
[ "$quick" = 0 ] && quick=""
profile=${BENCH_PROFILE:-}
[ -z "$profile" ] && [ -z "$quick" ] && profile=1
[ "$profile" = 0 ] && profile=""
need="exabgp bird2 gobgpd"
[ -n "$profile" ] && need="$need linux-perf"
missing=""
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "bench: installing$missing"
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "bench: missing Debian packages:$missing (run as root, or: sudo apt-get install -y$missing)" >&2
		exit 1
	fi
fi

FASTBGP=${BENCH_FASTBGP:-build/release/fastbgp}
if [ ! -x "$FASTBGP" ] || [ ! -f "$(dirname "$FASTBGP")/libfastbgp.a" ]; then
	make -s build
fi

# codec micro-benchmarks (scenario e), against the same library as the binary
mkdir -p build/bench
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -O2 -g -Isrc bench/micro/codec_bench.c \
	"$(dirname "$FASTBGP")/libfastbgp.a" -o build/bench/codec_bench -luv ||
	echo "bench: codec_bench did not build: scenario e will report the error" >&2

# 10,000 sessions need more than 1,024 descriptors (the driver raises the
# soft limit to the hard one as well)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# Profiles by default in a full run (one extra, untimed run per fastbgp case)
BENCH_PROFILE=${profile:-0}
export BENCH_PROFILE
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
exec /usr/bin/python3 bench/bench.py
