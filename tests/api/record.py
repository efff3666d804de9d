#!/usr/bin/python3
"""Helper: writes every line fastbgp sends (events, replies) to a file.

    record.py FILE [COMMAND...]

Each line read on stdin is appended to FILE and flushed at once, so a test
can follow the file while fastbgp runs.  Any COMMAND arguments are written
to fastbgp first (one command per argument).  The helper exits after the
"shutdown" message (JSON or text) or at the end of its input.

Every line that starts with "{" is parsed as JSON (python3's json, the
oracle of issue 10): an invalid one is appended to $FASTBGP_JSON_ERRORS
(set by tests/checks.py; the test then fails), or reported on stderr.
A valid one is validated against its JSON Schema (docs/schema/, through
tests/checks.py validate_event) and reported the same way when it fails.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checks  # noqa: E402  (tests/checks.py)


def check_json(line):
    if not line.startswith("{"):
        return
    try:
        problem = checks.validate_event(json.loads(line))
    except ValueError as exc:
        problem = str(exc)
    if problem:
        where = sys.argv[1] if len(sys.argv) > 1 else "stdin"
        report = "%s: %s\n%s\n" % (where, problem, line.rstrip("\n"))
        path = os.environ.get("FASTBGP_JSON_ERRORS")
        if path:
            with open(path, "a") as fh:
                fh.write(report)
        else:
            sys.stderr.write("invalid JSON: " + report)


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
            check_json(line)
            text = line.strip()
            if text.startswith("shutdown ") or '"notification": "shutdown"' in text:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
