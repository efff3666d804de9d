"""An UPDATE with path attributes and no route (no NLRI field, no MP_REACH)
is printed with its attributes, as Debian's ExaBGP 4.2 prints it
("exabgp --decode"), where fastbgp printed "update": { }; withdrawals that
carry attributes are compared as well."""
import json
import os
import sys
import struct
import subprocess

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exabgp_decode import EXABGP, exabgp_message  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FASTBGP = os.path.abspath(os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp")))


def attr(flags, code, value):
    return struct.pack("!BBB", flags, code, len(value)) + value


ORIGIN = attr(0x40, 1, b"\x00")
EMPTY_PATH = attr(0x40, 2, b"")
PATH = attr(0x40, 2, bytes([2, 2]) + struct.pack("!II", 65001, 65002))
NEXT_HOP = attr(0x40, 3, bytes([10, 0, 0, 1]))
MED = attr(0x80, 4, struct.pack("!I", 5))
LOCAL_PREF = attr(0x40, 5, struct.pack("!I", 100))
COMMUNITY = attr(0xC0, 8, struct.pack("!I", 0xFDE80001))
UNKNOWN = attr(0xC0, 99, b"\x01\x02\x03")

# (withdrawn routes field, attributes, NLRI field)
CASES = {
    "attributes-only": (b"", ORIGIN + EMPTY_PATH + NEXT_HOP + MED + COMMUNITY, b""),
    "path-and-unknown": (b"", ORIGIN + PATH + LOCAL_PREF + UNKNOWN, b""),
    "med-only": (b"", MED, b""),
    "withdraw-with-attributes": (bytes([24, 10, 1, 2]), ORIGIN + EMPTY_PATH + MED, b""),
    "mp-unreach-with-attributes": (b"", ORIGIN + EMPTY_PATH + LOCAL_PREF + attr(
        0x80, 15, struct.pack("!HB", 2, 1) + bytes([64]) + bytes.fromhex("20010db800000001")), b""),
    "with-nlri": (b"", ORIGIN + EMPTY_PATH + NEXT_HOP + MED, bytes([24, 10, 1, 2])),
}


def update_hex(withdrawn, attrs, nlri):
    body = struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) + attrs + nlri
    return (b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 2) + body).hex().upper()


def fastbgp_message(hexmsg):
    out = subprocess.run([FASTBGP, "decode", hexmsg], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)["neighbor"]["message"]


@pytest.mark.skipif(EXABGP is None, reason="Debian's exabgp is not installed")
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_exabgp_decode(name):
    hexmsg = update_hex(*CASES[name])
    assert fastbgp_message(hexmsg) == exabgp_message(hexmsg), name


def test_attributes_without_routes_are_printed():
    msg = fastbgp_message(update_hex(*CASES["attributes-only"]))
    assert msg == {"update": {"attribute": {"origin": "igp", "med": 5, "community": [[65000, 1]]}}}
