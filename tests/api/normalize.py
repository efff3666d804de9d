#!/usr/bin/python3
"""Makes recorded API output comparable: in JSON lines the "time", "host",
"pid", "ppid" and (with --no-counter) "counter" values are replaced by
fixed ones; text "shutdown PID PPID" lines too.  Every JSON line is also
checked with python3's json (record.check_json: an invalid one fails the
test that runs this, through tests/checks.py).

    normalize.py [--no-counter] < recorded > normalized
"""
import re
import sys

import record


def main():
    no_counter = "--no-counter" in sys.argv[1:]
    for line in sys.stdin:
        record.check_json(line)
        # only the header's fields (a graceful restart capability has a "time" too)
        line = re.sub(r'^(\{ "exabgp": "[^"]*", "time": )[0-9.e+-]+', r'\g<1>0.0', line)
        line = re.sub(r'^(\{ "exabgp": .*?"host" : )"(?:[^"\\]|\\.)*"', r'\g<1>"host"', line)
        line = re.sub(r'^(\{ "exabgp": .*?"pid" : )[0-9]+', r'\g<1>1', line)
        line = re.sub(r'^(\{ "exabgp": .*?"ppid" : )[0-9]+', r'\g<1>0', line)
        if no_counter:
            line = re.sub(r'"counter": [0-9]+, ', "", line)
        line = re.sub(r"^shutdown [0-9]+ [0-9]+$", "shutdown 1 0", line)
        sys.stdout.write(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
