#!/usr/bin/python3
"""API helper for scenario a-ii/a-iii: copies a file of commands to stdout.

    inject.py COMMANDS STATUS

Writes the commands in 1 MB chunks, then records in STATUS (CLOCK_MONOTONIC
seconds) when it started and finished writing.  The pipe to the speaker
holds 64 KB, so 'done' is when the speaker had read all but the last 64 KB.
Then it waits for its stdin to close (the speaker exited), at most an hour,
because a helper that exits is respawned by ExaBGP."""
import os
import select
import sys
import time


def main():
    src, status = sys.argv[1], sys.argv[2]
    t0 = time.monotonic()
    out = sys.stdout.buffer
    lines = 0
    with open(src, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            lines += chunk.count(b"\n")
            out.write(chunk)
            out.flush()
    t1 = time.monotonic()
    tmp = status + ".tmp"
    with open(tmp, "w") as s:
        s.write("start %.6f\ndone %.6f\nlines %d\n" % (t0, t1, lines))
    os.rename(tmp, status)
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        r, _, _ = select.select([sys.stdin], [], [], 5.0)
        if r and not sys.stdin.buffer.read1(65536):
            break


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
