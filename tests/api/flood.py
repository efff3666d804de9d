#!/usr/bin/python3
"""Helper: prints 100,000 announce lines as fast as it can, then reads
its input until fastbgp closes it.

    flood.py [COUNT] [NEXTHOP]

Routes are 10.A.B.0/24 (then 11.x, ...), next-hop self unless given.
"""
import sys


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    nexthop = sys.argv[2] if len(sys.argv) > 2 else "self"
    lines = []
    for i in range(count):
        lines.append("announce route %d.%d.%d.0/24 next-hop %s\n" % (10 + i // 65536, (i // 256) % 256, i % 256, nexthop))
    sys.stdout.write("".join(lines))
    sys.stdout.flush()
    for _ in sys.stdin:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
