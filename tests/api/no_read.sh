#!/bin/sh
# Helper: never reads its input.  Optionally announces one route first
# (NO_READ_ROUTE="10.9.0.0/24 next-hop self"), then sleeps.  fastbgp must
# keep every peer alive: its queue for this helper fills, backpressure
# starts, and after api stall time the helper is declared stalled.
[ -n "$NO_READ_ROUTE" ] && printf 'announce route %s\n' "$NO_READ_ROUTE"
exec sleep 1000000
