#!/bin/sh
# Refreshes the small corpora kept in the tree (fuzz/corpus/TARGET) from the
# working corpora of a run made without ExaBGP's vectors (they are never
# copied into the tree, not even mutated):
#   FUZZ_SHARED=0 FUZZ_CORPUS=build/fuzz/corpus-own fuzz/run.sh 300
# then (FUZZ_CORPUS the same) this script.  libFuzzer's
# -merge=1 keeps the inputs that add coverage, then at most 48 of them,
# spread over the sizes, up to KB kilobytes per target (default 8).
#   fuzz/save-corpus.sh [KB] [target...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kb=${1:-8}
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then targets=$*; else targets=$(for f in fuzz/fuzz_*.c; do basename "$f" .c; done); fi
for t in $targets; do
	work=${FUZZ_CORPUS:-build/fuzz/corpus-own}/$t
	[ -d "$work" ] || continue
	merged=build/fuzz/merged/$t
	rm -rf "$merged"
	mkdir -p "$merged" "fuzz/corpus/$t"
	build/fuzz/bin/"$t" -merge=1 -max_len=8192 "$merged" "$work" >/dev/null 2>&1
	rm -f fuzz/corpus/"$t"/*
	# at most 48 files, spread over the sizes (every k-th by size), within KB
	python3 - "$merged" "fuzz/corpus/$t" "$kb" <<'PY'
import os, shutil, sys
src, dst, kb = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.listdir(src), key=lambda f: os.path.getsize(os.path.join(src, f)))
step = max(1, len(files) // 48)
total = 0
for f in files[::step][:48]:
    size = os.path.getsize(os.path.join(src, f))
    if total + size > kb * 1024:
        continue
    shutil.copy(os.path.join(src, f), os.path.join(dst, f))
    total += size
print("%s: %d files, %d bytes (of %d after merge)" % (os.path.basename(dst), len(os.listdir(dst)), total, len(files)))
PY
done
