#!/usr/bin/python3
"""API helper for scenario d: flaps routes at a fixed rate.

    flap.py GOFILE STATUS RATE SECONDS POOL

Waits (at most 120 s) for GOFILE to exist (the driver creates it once the
session is Established), then for SECONDS seconds emits RATE route changes
per second in 100 ticks per second, cycling through POOL IPv4 /24s from
50.0.0.0: a route not announced is announced, an announced one withdrawn.
Writes to STATUS: 'start', 'end' (CLOCK_MONOTONIC), 'announces',
'withdraws', 'late' (ticks that started behind schedule) and 'maxlag'
(seconds behind schedule at worst).  Then waits for stdin to close."""
import os
import select
import sys
import time


def prefix(i):
    a = 0x32000000 + (i << 8)
    return "%d.%d.%d.0/24" % (a >> 24 & 255, a >> 16 & 255, a >> 8 & 255)


def main():
    go, status = sys.argv[1], sys.argv[2]
    rate, seconds, pool = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    deadline = time.monotonic() + 120
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.02)
    ann = ["announce route %s next-hop 10.0.0.1 origin igp as-path [ 65001 65200 ] community [ 65001:7 ]\n"
           % prefix(i) for i in range(pool)]
    wd = ["withdraw route %s next-hop 10.0.0.1\n" % prefix(i) for i in range(pool)]
    up = [False] * pool
    out = sys.stdout
    ticks = int(seconds * 100)
    per_tick = rate // 100
    t0 = time.monotonic()
    idx = n_ann = n_wd = late = 0
    maxlag = 0.0
    for t in range(ticks):
        due = t0 + t / 100.0
        lag = time.monotonic() - due
        if lag > 0.01:
            late += 1
            maxlag = max(maxlag, lag)
        elif lag < 0:
            time.sleep(-lag)
        buf = []
        for _ in range(per_tick):
            if up[idx]:
                buf.append(wd[idx])
                n_wd += 1
            else:
                buf.append(ann[idx])
                n_ann += 1
            up[idx] = not up[idx]
            idx = (idx + 1) % pool
        out.write("".join(buf))
        out.flush()
    t1 = time.monotonic()
    tmp = status + ".tmp"
    with open(tmp, "w") as f:
        f.write("start %.6f\nend %.6f\nannounces %d\nwithdraws %d\nlate %d\nmaxlag %.3f\n"
                % (t0, t1, n_ann, n_wd, late, maxlag))
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
