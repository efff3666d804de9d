#!/usr/bin/python3
"""examples/cookbook/archive-updates.py FILE: appends every event fastbgp
sends (one JSON object per line) to FILE, and stops at the shutdown
message.  Feed FILE to jq, a log shipper or a time-series database."""
import sys


def main():
    with open(sys.argv[1], "a", buffering=1) as out:
        for line in sys.stdin:
            out.write(line)
            if '"notification": "shutdown"' in line:
                break


if __name__ == "__main__":
    main()
