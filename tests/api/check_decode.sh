#!/bin/sh
# Runs "BINARY decode [-f FAMILY] HEX" for every case of decode_cases.txt and
# compares the normalized output with expected/decode-NAME.json.
#   tests/api/check_decode.sh build/asan/fastbgp
# Prints one line per case and exits 1 when any differs.
set -u
bin=${1:?usage: check_decode.sh FASTBGP_BINARY}
dir=$(cd "$(dirname "$0")" && pwd)
tab=$(printf '\t')
fail=0
grep -v '^#' "$dir/decode_cases.txt" | while IFS="$tab" read -r name hex family; do
	[ -n "$name" ] || continue
	if [ -n "$family" ]; then
		out=$("$bin" decode -f "$family" "$hex" | "$dir/normalize.py")
	else
		out=$("$bin" decode "$hex" | "$dir/normalize.py")
	fi
	if [ "$out" = "$(cat "$dir/expected/decode-$name.json")" ]; then
		echo "PASS decode $name"
	else
		echo "FAIL decode $name"
		echo "  got:      $out"
		echo "  expected: $(cat "$dir/expected/decode-$name.json")"
		exit 1
	fi
done || fail=1
exit $fail
