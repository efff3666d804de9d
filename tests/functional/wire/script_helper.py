#!/usr/bin/python3
"""Helper process for the wire differential test (tests/functional/test_wire_differential.py).

Usage: script_helper.py WORKDIR SCRIPT

Writes the commands of SCRIPT to stdout, one step at a time.  Lines:
  COMMAND          sent as it stands (all the commands of one step in one write)
  #wait NAME       flush the step, then wait (at most 60 s) until WORKDIR/NAME exists
  #mark NAME       flush the step, then create WORKDIR/NAME
  #sleep SECONDS   flush the step, then sleep
Every line read on stdin (acks, events) is appended to WORKDIR/helper.in, so a
test can check what the daemon answered.  Runs until stdin closes.
"""
import os
import sys
import threading
import time


def reader(path):
    with open(path, "a") as out:
        for line in sys.stdin:
            out.write(line)
            out.flush()


def main():
    workdir, script = sys.argv[1], sys.argv[2]
    threading.Thread(target=reader, args=(os.path.join(workdir, "helper.in"),), daemon=True).start()
    pending = []

    def flush():
        if pending:
            sys.stdout.write("".join(pending))
            sys.stdout.flush()
            del pending[:]

    with open(script) as fh:
        lines = [line.rstrip("\n") for line in fh]
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("#wait "):
            flush()
            path = os.path.join(workdir, line.split()[1])
            deadline = time.monotonic() + 60
            while not os.path.exists(path) and time.monotonic() < deadline:
                time.sleep(0.02)
        elif line.startswith("#mark "):
            flush()
            open(os.path.join(workdir, line.split()[1]), "w").close()
        elif line.startswith("#sleep "):
            flush()
            time.sleep(float(line.split()[1]))
        elif line.startswith("#"):
            continue
        else:
            pending.append(line + "\n")
    flush()
    # stay alive until the daemon closes our stdin (then the reader thread ends)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and threading.active_count() > 1:
        time.sleep(0.1)


if __name__ == "__main__":
    main()
