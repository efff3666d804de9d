#!/usr/bin/python3
"""Demo helper for `make run`: writes every event fastbgp sends it (ExaBGP's
JSON, one object per line) to the file given as argument.  Its stdout is
fastbgp's command input, so it prints nothing there."""
import sys

with open(sys.argv[1], "a", buffering=1) as out:
    for line in sys.stdin:
        out.write(line)
        if '"notification": "shutdown"' in line:
            break
