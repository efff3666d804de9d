#!/bin/sh
# examples/cookbook/anycast-check.sh URL PREFIX
# A minimal health check for fastbgp (or ExaBGP): announce PREFIX while URL
# answers, withdraw it after three failures in a row, and print a command
# only when the state changes.  `fastbgp healthcheck` (ExaBGP's healthcheck
# options) does the same with rise/fall, metrics and loopback setup.
url=$1 prefix=$2 state=unknown fails=0
while :; do
	if curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; then
		fails=0
		[ "$state" = up ] || { echo "announce route $prefix next-hop self med 100"; state=up; }
	else
		fails=$((fails + 1))
		if [ "$fails" -ge 3 ] && [ "$state" != down ]; then
			echo "withdraw route $prefix next-hop self"
			state=down
		fi
	fi
	sleep 2
done
