#!/bin/sh
# Builds the libFuzzer harnesses and runs each for N seconds (default 20).
#   fuzz/run.sh [seconds] [harness...]
# Needs clang with libFuzzer (Debian: apt-get install -y clang libclang-rt-14-dev).
# Corpora and crash artifacts go to build/fuzz/; the corpus is seeded with
# the UPDATE bodies of ../shared/conformance/exabgp-4.2 when it is there.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-20}
[ $# -gt 0 ] && shift
harnesses=${*:-"fuzz_update fuzz_header_notification fuzz_flowspec"}
CC=${FUZZ_CC:-clang}
out=build/fuzz
mkdir -p "$out"

# Only the decoder's own sources: the harnesses must not depend on the
# rest of the tree (libuv, the session, ...).
SRCS="src/wire/buf.c src/wire/header.c src/wire/notification.c src/wire/refresh.c src/wire/update_parse.c
      src/attr/attrset.c src/attr/attr_table.c src/attr/attr_format.c src/attr/attr_aspath.c
      src/attr/attr_community.c src/attr/attr_misc.c src/nlri/family.c
      src/nlri/flowspec.c src/nlri/flowspec_decode.c src/nlri/flowspec_action.c"
FLAGS="-std=c11 -D_GNU_SOURCE -Isrc -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

seed_updates() { # dir: [0x01 options][UPDATE body] per raw UPDATE of the vectors
	vec=../shared/conformance/exabgp-4.2/ci
	[ -d "$vec" ] || return 0
	python3 - "$vec" "$1" <<'PY'
import os, sys, glob, hashlib
vec, out = sys.argv[1], sys.argv[2]
for f in glob.glob(os.path.join(vec, '*.msg')):
    for line in open(f):
        if ':raw:' not in line:
            continue
        h = ''.join(c for c in line.split(':raw:', 1)[1] if c in '0123456789abcdefABCDEF')
        b = bytes.fromhex(h)
        if len(b) < 19 or b[18] != 2:
            continue
        for opt in (0, 1, 5, 8 | 1):
            data = bytes([opt]) + b[19:]
            name = hashlib.sha1(data).hexdigest()
            open(os.path.join(out, name), 'wb').write(data)
PY
}

seed_flowspec() { # dir: [mode][flow NLRI field] per FlowSpec MP_REACH of the vectors, and config words
	vec=../shared/conformance/exabgp-4.2/ci
	printf '\200destination 10.0.0.1/32\nprotocol [\ndestination-port >8080&<8088\ntcp-flags syn&!=push\nrate-limit 9600\n' >"$1/words"
	printf '\201source ::1/128/120\nflow-label >100&<2000\nrd 00000000\nredirect [2001:db8::1]:7\n' >"$1/words6"
	[ -d "$vec" ] || return 0
	python3 - "$vec" "$1" <<'PY'
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

rc=0
for h in $harnesses; do
	echo "== $h: build"
	$CC $FLAGS -o "$out/$h" "fuzz/$h.c" $SRCS
	corpus="$out/corpus/$h"
	mkdir -p "$corpus" "$out/artifacts"
	case $h in
	fuzz_update) seed_updates "$corpus" ;;
	fuzz_header_notification) seed_notifications "$corpus" ;;
	fuzz_flowspec) seed_flowspec "$corpus" ;;
	esac
	echo "== $h: run ${secs}s"
	if ! "$out/$h" -max_total_time="$secs" -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/artifacts/$h-" -print_final_stats=1 "$corpus" 2>"$out/$h.log"; then
		echo "FAIL $h (see $out/$h.log and $out/artifacts/)"
		tail -n 40 "$out/$h.log"
		rc=1
	else
		grep -E '^stat::number_of_executed_units|^Done|^#[0-9]+.*DONE' "$out/$h.log" | tail -n 2
		echo "PASS $h"
	fi
done
exit $rc
