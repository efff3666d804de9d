"""FlowSpec bitmask components (tcp-flags, fragment; RFC 8955 4.2.2.9 and
4.2.2.12) decoded as Debian's ExaBGP 4.2 prints them ("exabgp --decode"):
one JSON element per flag name, each with its operator, AND chains joined,
"!is-fragment" as "not-a-fragment".  A bitmask value 0 without a name is
where fastbgp deliberately differs: ExaBGP prints nothing ("[ ,  ]", invalid
JSON), fastbgp prints "0" in the text and JSON."""
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

# flow NLRI bodies (components only), written by hand after RFC 8955 4.2
CASES = [
    "0901048109",          # tcp-flags [ =rst =fin+push ] (the case of issue 14)
    "090104C109",          # =rst&=fin+push: an AND chain
    "098129",              # =fin+push+urg
    "0981FF",              # every flag of the low byte
    "099100FF",            # a 2-byte value
    "098009",              # no operator bits: fin+push
    "0902028148",           # !syn then =push+ece
    "0C8105",              # fragment =dont-fragment+first-fragment
    "0C8202",              # fragment !is-fragment -> "not-a-fragment" in JSON
    "0C02024102C102",      # !is-fragment&=is-fragment&=is-fragment
    "0C8100",              # fragment value 0 has a name: not-a-fragment
    "038106098128",      # protocol =tcp beside tcp-flags =push+urg
]


def flow_update(nlri):
    def attr(flags, code, value):
        return struct.pack("!BBB", flags, code, len(value)) + value
    mp = attr(0x80, 14, struct.pack("!HBB", 1, 133, 0) + b"\x00" + bytes([len(nlri)]) + nlri)
    attrs = attr(0x40, 1, b"\x00") + attr(0x40, 2, b"") + mp
    body = struct.pack("!HH", 0, len(attrs)) + attrs
    return (b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 2) + body).hex().upper()


def fastbgp_flow(hexmsg):
    out = subprocess.run([FASTBGP, "decode", hexmsg], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    update = json.loads(out.stdout)["neighbor"]["message"]["update"]  # must be valid JSON
    return update["announce"]["ipv4 flow"]


def exabgp_flow(hexmsg):
    return exabgp_message(hexmsg)["update"]["announce"]["ipv4 flow"]


@pytest.mark.skipif(EXABGP is None, reason="Debian's exabgp is not installed")
@pytest.mark.parametrize("case", CASES)
def test_bitmask_matches_exabgp_decode(case):
    hexmsg = flow_update(bytes.fromhex(case))
    assert fastbgp_flow(hexmsg) == exabgp_flow(hexmsg), case


@pytest.mark.parametrize("case,elements,text", [
    ("0901008100", ["=0", "=0"], "flow tcp-flags [ =0 =0 ]"),
    ("098000", ["0"], "flow tcp-flags 0"),
    ("09000000008000", ["0", "0", "0"], "flow tcp-flags [ 0 0 0 ]"),
    ("0901048000", ["=rst", "0"], "flow tcp-flags [ =rst 0 ]"),
])
def test_zero_bitmask_is_never_an_empty_element(case, elements, text):
    routes = fastbgp_flow(flow_update(bytes.fromhex(case)))["no-nexthop"]
    assert routes == [{"tcp-flags": elements, "string": text}]
