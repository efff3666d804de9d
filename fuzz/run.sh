#!/bin/sh
# Runs the libFuzzer targets (fuzz/fuzz_*.c, built by `make fuzz-bins`) for
# N seconds each (default 60) and prints, per target, the executions and
# libFuzzer's coverage figures (cov: edges, ft: features, corp: corpus).
#   fuzz/run.sh [seconds] [target...]
# Needs clang with libFuzzer (Debian: apt-get install -y clang libclang-rt-14-dev).
# Before fuzzing, every saved reproducer in fuzz/regressions/TARGET-* is run
# once (a regression fails the target).  The working corpus is
# build/fuzz/corpus/TARGET: seeded from the small corpus kept in the tree
# (fuzz/corpus/TARGET), the tests' vectors, and, when it is there, the
# ExaBGP 4.2 vectors of ../shared/conformance (read here, never copied into
# the tree; FUZZ_SHARED=0 leaves them out, as fuzz/save-corpus.sh needs).
# FUZZ_CORPUS sets the working corpus folder (default build/fuzz/corpus).
# Crash artifacts go to build/fuzz/artifacts/.  Exit status 1 when any
# target failed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-60}
[ $# -gt 0 ] && shift
bin=build/fuzz/bin
out=build/fuzz
if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(for f in fuzz/fuzz_*.c; do basename "$f" .c; done)
fi
for t in $targets; do
	[ -x "$bin/$t" ] || { echo "fuzz/run.sh: $bin/$t is missing: run make fuzz-bins" >&2; exit 2; }
done
vec=../shared/conformance/exabgp-4.2
[ "${FUZZ_SHARED:-1}" = 0 ] && vec=/nonexistent
corpora=${FUZZ_CORPUS:-$out/corpus}
mkdir -p "$out/artifacts"

# [prefix byte...][UPDATE body] per raw UPDATE of the ExaBGP vectors.
seed_updates() { # dir prefix-hex...
	dir=$1
	shift
	[ -d "$vec/ci" ] || return 0
	python3 - "$vec/ci" "$dir" "$@" <<'PY'
import os, sys, glob, hashlib
vec, out, prefixes = sys.argv[1], sys.argv[2], sys.argv[3:]
for f in glob.glob(os.path.join(vec, '*.msg')):
    for line in open(f):
        if ':raw:' not in line:
            continue
        h = ''.join(c for c in line.split(':raw:', 1)[1] if c in '0123456789abcdefABCDEF')
        b = bytes.fromhex(h)
        if len(b) < 19 or b[18] != 2:
            continue
        for p in prefixes:
            body = b[19:]
            if p == 'ribin':  # two operations: the UPDATE, then an empty UPDATE
                data = bytes([0x81]) + len(body).to_bytes(2, 'big') + body + bytes([0x80, 0, 0])
            else:
                data = bytes.fromhex(p) + body
            open(os.path.join(out, hashlib.sha1(data).hexdigest()), 'wb').write(data)
PY
}

seed_flowspec() { # dir: [mode][flow NLRI field] per FlowSpec MP_REACH of the vectors, and config words
	printf '\200destination 10.0.0.1/32\nprotocol [\ndestination-port >8080&<8088\ntcp-flags syn&!=push\nrate-limit 9600\n' >"$1/words"
	printf '\201source ::1/128/120\nflow-label >100&<2000\nrd 00000000\nredirect [2001:db8::1]:7\n' >"$1/words6"
	[ -d "$vec/ci" ] || return 0
	python3 - "$vec/ci" "$1" <<'PY'
import os, sys, glob, hashlib
vec, out = sys.argv[1], sys.argv[2]
for f in glob.glob(os.path.join(vec, '*.msg')):
    for line in open(f):
        if ':raw:' not in line or line.startswith('#'):
            continue
        b = bytes.fromhex(''.join(c for c in line.split(':raw:', 1)[1] if c in '0123456789abcdefABCDEF'))
        if len(b) < 23 or b[18] != 2:
            continue
        body = b[19:]
        wl = int.from_bytes(body[0:2], 'big')
        al = int.from_bytes(body[2 + wl:4 + wl], 'big')
        a, end = 4 + wl, 4 + wl + al
        while a + 3 <= end:
            flags, code = body[a], body[a + 1]
            hl = 4 if flags & 0x10 else 3
            vl = int.from_bytes(body[a + 2:a + hl], 'big')
            v = body[a + hl:a + hl + vl]
            a += hl + vl
            if code != 14 or len(v) < 5 or v[2] not in (133, 134):
                continue
            nlri = v[5 + v[3]:]
            mode = (1 if v[1] == 2 else 0) | (2 if v[2] == 134 else 0)
            data = bytes([mode]) + nlri
            open(os.path.join(out, hashlib.sha1(data).hexdigest()), 'wb').write(data)
PY
}

seed_notifications() {
	printf '\000\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\000\025\003\006\003' >"$1/hdr"
	printf '\000\006\002\005hello' >"$1/shutdown"
	printf '\000\006\004\011hi' >"$1/underrun"
	printf '\000\000\001\001\001' >"$1/refresh"
}

seed_configs() { # the tests' configurations and ExaBGP's
	for f in tests/config/*.conf "$vec"/etc/*.conf; do
		[ -f "$f" ] || continue
		[ "$(wc -c <"$f")" -le 65536 ] && cp "$f" "$1/$(basename "$f")"
	done
	return 0
}

seed_commands() { # the helper commands the tests send
	grep -hoE '(announce|withdraw|neighbor|show|teardown|clear|flush)[^"\\]*' tests/api/*.sh tests/api/*.py \
		tests/functional/*.py 2>/dev/null | sort -u | split -l 8 - "$1/cmds-" || true
}

seed_settings() {
	printf '[exabgp.tcp]\nport = 1790\nbind = "127.0.0.1 ::1"\n[exabgp.api]\nack = false\nencoder = text\n' >"$1/own"
	printf '[exabgp.log]\nlevel = DEBUG\ndestination = stderr\n[exabgp.daemon]\numask = 0o137\n' >"$1/own2"
	printf '[DEFAULT]\nx = 1\n[exabgp.bgp]\npassive = %%(x)s\nopenwait = 60\n[exabgp.cache]\nattributes = on\n' >"$1/own3"
	[ "${FUZZ_SHARED:-1}" = 0 ] && return 0
	for f in /usr/share/doc/exabgp/examples/exabgp.env /etc/exabgp/exabgp.env; do
		[ -f "$f" ] && cp "$f" "$1/$(echo "$f" | tr / _)"
	done
	return 0
}

summary=""
rc=0
for t in $targets; do
	corpus="$corpora/$t"
	mkdir -p "$corpus"
	[ -d "fuzz/corpus/$t" ] && cp fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
	case $t in
	fuzz_update) seed_updates "$corpus" 00 01 05 09 ;;
	fuzz_encoders) seed_updates "$corpus" 0000 0001 0015 003d ;;
	fuzz_ribin) seed_updates "$corpus" ribin ;;
	fuzz_header_notification) seed_notifications "$corpus" ;;
	fuzz_flowspec) seed_flowspec "$corpus" ;;
	fuzz_config) seed_configs "$corpus" ;;
	fuzz_api_command) seed_commands "$corpus" ;;
	fuzz_settings) seed_settings "$corpus" ;;
	esac
	# saved reproducers first: each must now pass
	regs=$(ls fuzz/regressions/"$t"-* 2>/dev/null || true)
	if [ -n "$regs" ]; then
		# shellcheck disable=SC2086
		if ! "$bin/$t" -runs=1 $regs >"$out/$t.regressions.log" 2>&1; then
			echo "FAIL $t: a saved reproducer fails again (see $out/$t.regressions.log)"
			tail -n 20 "$out/$t.regressions.log"
			rc=1
			summary="$summary
$t	REGRESSION"
			continue
		fi
	fi
	echo "== $t: ${secs}s"
	if ! "$bin/$t" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$t-" "$corpus" >"$out/$t.log" 2>&1; then
		echo "FAIL $t (see $out/$t.log and $out/artifacts/)"
		grep -aE 'ERROR|runtime error|^line|invalid JSON|differs|SUMMARY' "$out/$t.log" | head -n 10
		rc=1
		summary="$summary
$t	FAIL"
		continue
	fi
	last=$(grep -aE '^#[0-9]+' "$out/$t.log" | tail -n 1)
	execs=$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/')
	cov=$(echo "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
	ft=$(echo "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
	corp=$(echo "$last" | sed -nE 's/.*corp: ([0-9]+\/[0-9]+[a-zA-Z]*).*/\1/p')
	echo "PASS $t: $execs runs, cov $cov, ft $ft, corpus $corp"
	summary="$summary
$t	${secs}s	$execs	$cov	$ft	$corp"
done
printf '\ntarget\ttime\truns\tcov\tft\tcorpus\n'
echo "$summary" | sed '/^$/d'
exit $rc
