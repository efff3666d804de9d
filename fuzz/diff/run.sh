#!/bin/sh
# Differential check of the attribute printers against ExaBGP 4.2:
# random attribute sets (gen.py) decoded by fastbgp and by an installed
# ExaBGP (apt-get install exabgp), JSON and text compared line by line.
#   fuzz/diff/run.sh [cases] [seed]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
n=${1:-500}
seed=${2:-1}
if ! /usr/bin/python3 -c 'import sys; sys.path.insert(0, "/usr/lib/python3/dist-packages"); import exabgp' 2>/dev/null; then
	echo "skipped: ExaBGP is not installed (apt-get install exabgp)"
	exit 0
fi
out=build/fuzz/diff
mkdir -p "$out"
cc -std=c11 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=address,undefined -o "$out/drv" fuzz/diff/drv.c \
	src/wire/buf.c src/update/update_parse.c src/attr/attrset.c src/attr/attr_table.c src/attr/attr_format.c \
	src/attr/attr_aspath.c src/attr/attr_community.c src/attr/attr_misc.c src/nlri/family.c
python3 fuzz/diff/gen.py "$seed" "$n" >"$out/in.txt"
"$out/drv" <"$out/in.txt" >"$out/ours.txt"
/usr/bin/python3 fuzz/diff/exabgp_attrs.py <"$out/in.txt" >"$out/theirs.txt"
python3 fuzz/diff/cmp.py "$out/ours.txt" "$out/theirs.txt" "$out/in.txt"
