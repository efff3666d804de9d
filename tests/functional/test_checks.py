"""The checks every functional test runs (tests/checks.py) see what they
are meant to: a leak reported by LeakSanitizer when a sanitized process
exits, and an invalid JSON line a helper receives."""
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checks  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

LEAKY = r"""
#include <stdlib.h>
#include <string.h>
void *volatile keep;
int main(void) { char *p = malloc(4242); memset(p, 1, 4242); keep = 0; p = 0; return 0; }
"""


def test_leak_at_exit_is_reported():
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler")
    d = tempfile.mkdtemp(prefix="fastbgp-leaky-")
    try:
        src = os.path.join(d, "leaky.c")
        with open(src, "w") as fh:
            fh.write(LEAKY)
        exe = os.path.join(d, "leaky")
        subprocess.run([cc, "-g", "-O0", "-fsanitize=address", "-o", exe, src], check=True, timeout=120)
        checks.new_reports()
        r = subprocess.run([exe], timeout=60)  # the environment of every daemon a test starts
        assert r.returncode != 0  # LeakSanitizer's exit code
        found = checks.new_reports()
        assert "LeakSanitizer" in found and "4242 byte" in found, found
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_invalid_json_to_a_helper_is_reported():
    d = tempfile.mkdtemp(prefix="fastbgp-json-")
    try:
        out = os.path.join(d, "events")
        ok = ('{ "exabgp": "4.0.1", "time": 1.5, "host" : "h", "pid" : 2, "ppid" : 1, "counter": 1, "type": "keepalive", '
              '"neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.2" }, "asn": { "local": 1, "peer": 2 } , '
              '"direction": "receive"  } }')
        lines = ok + '\n{ "ipv4 flow": [ {, "string": "flow" } ] }\ndone\n'
        checks.new_reports()
        subprocess.run([sys.executable, os.path.join(TOP, "tests", "api", "record.py"), out],
                       input=lines, text=True, timeout=30, check=True)
        found = checks.new_reports()
        assert "invalid JSON" in found and '{, "string"' in found and '"keepalive"' not in found, found
    finally:
        shutil.rmtree(d, ignore_errors=True)
