#!/usr/bin/python3
"""Helper: writes every line fastbgp sends (events, replies) to a file.

    record.py FILE [COMMAND...]

Each line read on stdin is appended to FILE and flushed at once, so a test
can follow the file while fastbgp runs.  Any COMMAND arguments are written
to fastbgp first (one command per argument).  The helper exits after the
"shutdown" message (JSON or text) or at the end of its input.
"""
import sys


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: record.py FILE [COMMAND...]\n")
        return 2
    for command in sys.argv[2:]:
        sys.stdout.write(command + "\n")
    sys.stdout.flush()
    with open(sys.argv[1], "a", buffering=1) as out:
        for line in sys.stdin:
            out.write(line)
            out.flush()
            text = line.strip()
            if text.startswith("shutdown ") or '"notification": "shutdown"' in text:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
