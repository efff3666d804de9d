#!/bin/sh
# `make run`: the whole mission on loopback.  fastbgp announces the routes of
# examples/anycast.conf (from the configuration and from a helper) to a second
# fastbgp (examples/receiver.conf on 127.0.0.2), whose helper receives every
# UPDATE as ExaBGP JSON; the JSON is printed here.  Both daemons are stopped
# by PID at the end.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${FASTBGP:-$top/build/release/fastbgp}
PORT=${PORT:-17900}
EVENTS=/tmp/fastbgp-demo-events.json
rm -f "$EVENTS"
echo "== receiving fastbgp on 127.0.0.2:$PORT (examples/receiver.conf)"
exabgp_tcp_port=$PORT exabgp_tcp_bind=127.0.0.2 exabgp_log_level=WARNING \
	"$BIN" "$top/examples/receiver.conf" &
rpid=$!
sleep 0.5
echo "== announcing fastbgp (examples/anycast.conf)"
exabgp_tcp_port=$PORT exabgp_tcp_bind= exabgp_log_level=INFO \
	"$BIN" "$top/examples/anycast.conf" &
spid=$!
# Wait (at most 20 s) for the End-of-RIB of both families at the receiver.
i=0
while [ $i -lt 200 ]; do
	[ "$(grep -c '"eor"' "$EVENTS" 2>/dev/null)" -ge 2 ] && grep -q 198.51.100.53 "$EVENTS" 2>/dev/null && break
	sleep 0.1
	i=$((i + 1))
done
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
echo
echo "== what the receiving helper got (ExaBGP 4.2 JSON, one event per line):"
if [ -s "$EVENTS" ]; then
	cat "$EVENTS"
else
	echo "nothing: see the logs above" >&2
	exit 1
fi
grep -q 198.51.100.53 "$EVENTS" && grep -q '"eor"' "$EVENTS"
