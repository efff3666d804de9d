#!/bin/sh
# Helper: announces routes, then keeps reading its input (the done/error
# replies and events) until fastbgp closes it.
#   announce.sh                      announce route 10.0.0.0/24 next-hop self, ...
#   announce.sh "P attrs" "P attrs"  announce route P attrs, one per argument
#   ANNOUNCE_DELAY=1 announce.sh ...  wait that many seconds before announcing
#   ANNOUNCE_WITHDRAW=1 ...          withdraw them again after ANNOUNCE_WITHDRAW seconds
[ -n "$ANNOUNCE_DELAY" ] && sleep "$ANNOUNCE_DELAY"
if [ $# -eq 0 ]; then
	set -- "10.0.0.0/24 next-hop self" "10.0.1.0/24 next-hop self med 100" \
		"10.0.2.0/24 next-hop self community [ 65000:1 65000:2 ]"
fi
for r in "$@"; do
	printf 'announce route %s\n' "$r"
done
if [ -n "$ANNOUNCE_WITHDRAW" ]; then
	sleep "$ANNOUNCE_WITHDRAW"
	for r in "$@"; do
		printf 'withdraw route %s\n' "${r%% *}"
	done
fi
# Keep stdout open (fastbgp treats a helper that closes it as gone) and
# consume the replies and events until fastbgp closes our input.
while read -r _; do :; done
