#!/bin/sh
# `make run`: fastbgp announces examples/anycast.conf to a local receiving
# BGP peer (tests/conformance/receiver.py on 127.0.0.2), which prints every
# message it receives, decoded.  Loopback only; both processes stopped here.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BIN=${FASTBGP:-$top/build/release/fastbgp}
PORT=${PORT:-17900}
CONF=${CONF:-$top/examples/anycast.conf}
/usr/bin/python3 "$top/tests/conformance/receiver.py" --listen 127.0.0.2 --port "$PORT" \
	--as 65000 --until-eor --timeout 30 --no-keepalive &
rpid=$!
sleep 0.5
echo "fastbgp: announcing $CONF to 127.0.0.2:$PORT"
exabgp_tcp_port=$PORT exabgp_tcp_once=true exabgp_tcp_bind= exabgp_log_level=INFO \
	"$BIN" "$CONF" &
fpid=$!
wait "$rpid"
rc=$?
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
exit $rc
