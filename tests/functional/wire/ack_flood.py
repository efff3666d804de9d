#!/usr/bin/python3
"""Helper for tests/functional/test_api_ack_flood.py.

Usage: ack_flood.py WORKDIR COUNT

Writes COUNT commands as fast as the pipe takes them: `announce route` of
distinct /32s, and every 997th line an unknown command, so that the acks
("done", with "error" at known places) show their order.  Reads the acks
slowly (4 KB, then a millisecond's pause, and once a 1.5 s stall after
10,000 acks), so the daemon meets a helper that does not keep up.  Writes WORKDIR/result when COUNT acks came (or
stdin closed): the number of acks, then the first place where an ack was
not the expected one (-1: none), then the seconds it took.
"""
import os
import sys
import threading
import time

EVERY = 997


def expected(i):
    return "error" if i % EVERY == EVERY - 1 else "done"


def writer(count):
    out = sys.stdout.buffer
    chunk = []
    for i in range(count):
        if i % EVERY == EVERY - 1:
            chunk.append(b"no such command %d\n" % i)
        else:
            chunk.append(b"announce route 10.%d.%d.%d/32 next-hop 10.0.0.1\n" % (i >> 16, (i >> 8) & 255, i & 255))
        if len(chunk) == 1000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))
    out.flush()


def main():
    workdir, count = sys.argv[1], int(sys.argv[2])
    start = time.monotonic()
    threading.Thread(target=writer, args=(count,), daemon=True).start()
    fd = sys.stdin.fileno()
    n, bad, rest = 0, -1, b""
    while n < count:
        data = os.read(fd, 4096)
        if not data:
            break
        lines = (rest + data).split(b"\n")
        rest = lines.pop()
        for line in lines:
            if line.startswith(b"{"):
                continue  # an event, not an ack
            if bad < 0 and line.decode() != expected(n):
                bad = n
            n += 1
            if n == 10000:
                time.sleep(1.5)  # the pipe fills; the daemon must hold the acks, not lose them
        time.sleep(0.001)
    with open(os.path.join(workdir, "result.tmp"), "w") as fh:
        fh.write("%d %d %.1f\n" % (n, bad, time.monotonic() - start))
    os.rename(os.path.join(workdir, "result.tmp"), os.path.join(workdir, "result"))
    # stay until the daemon closes our stdin
    while os.read(fd, 65536):
        pass


if __name__ == "__main__":
    main()
