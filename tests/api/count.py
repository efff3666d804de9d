#!/usr/bin/python3
"""Helper: counts the prefixes announced and withdrawn in the JSON update
events it receives and rewrites FILE with "announced withdrawn eors" after
every event, so a test can poll it.

    count.py FILE
"""
import json
import os
import sys

import record


def main():
    path = sys.argv[1]
    announced = withdrawn = eors = 0
    for line in sys.stdin:
        line = line.strip()
        if not line.startswith("{"):
            continue
        record.check_json(line)  # valid JSON and its schema, else reported to the test (tests/checks.py)
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("type") == "notification" and ev.get("notification") == "shutdown":
            break
        msg = ev.get("neighbor", {}).get("message", {})
        if "eor" in msg:
            eors += 1
        upd = msg.get("update", {})
        for fam in upd.get("announce", {}).values():
            for nlris in fam.values():
                announced += len(nlris)
        for nlris in upd.get("withdraw", {}).values():
            withdrawn += len(nlris)
        tmp = path + ".tmp"
        with open(tmp, "w") as fh:
            fh.write("%d %d %d\n" % (announced, withdrawn, eors))
        os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
