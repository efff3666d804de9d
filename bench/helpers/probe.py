#!/usr/bin/python3
"""Capability probe: proves the speaker runs helpers.

    probe.py MARKER

Creates MARKER, announces one route, then waits (at most 60 s) for its
stdin to close."""
import select
import sys
import time

open(sys.argv[1], "w").close()
try:
    sys.stdout.write("announce route 192.0.2.0/24 next-hop 10.0.0.1\n")
    sys.stdout.flush()
except BrokenPipeError:
    sys.exit(0)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    r, _, _ = select.select([sys.stdin], [], [], 1.0)
    if r and not sys.stdin.buffer.read1(4096):
        break
