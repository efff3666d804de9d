#!/usr/bin/python3
"""API helper for scenario b: counts the prefixes of received UPDATEs.

    count_json.py TARGET STATUS

Reads the speaker's JSON events, one per line.  An UPDATE line is counted
by the number of '"nlri"' keys inside its "announce" object (ExaBGP 4.2
writes { "nlri": "P" } per prefix there, and also in "withdraw", which is
not counted).  Lines are not fully parsed: a full json.loads() per message
would make the helper, not the speaker, the bottleneck; the first UPDATE
line is parsed with json.loads to check the assumption.  Writes to STATUS
(CLOCK_MONOTONIC): 'up T' at the first "state": "up" event, 'first T' at
the first UPDATE, 'done T' when TARGET prefixes were counted, and
'count N' (the progress file is rewritten at most every 0.2 s).  Then
waits for stdin to close."""
import json
import os
import sys
import time


def write(status, d):
    tmp = status + ".tmp"
    with open(tmp, "w") as f:
        for k, v in d.items():
            f.write("%s %s\n" % (k, v))
    os.rename(tmp, status)


def count_announced(line):
    i = line.find(b'"announce"')
    if i < 0:
        return 0
    j = line.find(b'"withdraw"', i)
    seg = line[i:j] if j > 0 else line[i:]
    return seg.count(b'"nlri"')


def main():
    target, status = int(sys.argv[1]), sys.argv[2]
    st = {"count": 0}
    checked = False
    last_write = 0.0
    inp = sys.stdin.buffer
    n = 0
    for line in inp:
        if b'"update"' in line:
            c = count_announced(line)
            if not checked and c:
                checked = True
                try:
                    ann = json.loads(line)["neighbor"]["message"]["update"]["announce"]
                    real = sum(len(v) for fam in ann.values() for v in fam.values())
                    st["format"] = "ok" if real == c else "mismatch-%d-%d" % (real, c)
                except (ValueError, KeyError, TypeError, AttributeError):
                    st["format"] = "unexpected"
                st["first"] = "%.6f" % time.monotonic()
            n += c
            if n >= target and "done" not in st:
                st["done"] = "%.6f" % time.monotonic()
                st["count"] = n
                write(status, st)
                continue
        elif b'"state"' in line and b'"up"' in line and "up" not in st:
            st["up"] = "%.6f" % time.monotonic()
            write(status, st)
        t = time.monotonic()
        if t - last_write > 0.2:
            st["count"] = n
            write(status, st)
            last_write = t
    st["count"] = n
    st["eof"] = "%.6f" % time.monotonic()
    write(status, st)


if __name__ == "__main__":
    main()
