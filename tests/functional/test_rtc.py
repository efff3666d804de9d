"""RTC (RFC 4684, "ipv4 rtc"), the family added through the family table:
its text is Debian's ExaBGP 4.2's (compared with "exabgp --decode"), it is
negotiated from "family { ipv4 rtc; }", received routes reach a helper as
JSON, and a malformed one resets the session (RFC 7606 5.3)."""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
API = os.path.join(TOP, "tests", "api")
sys.path.insert(0, os.path.join(TOP, "tests", "conformance"))
import bgp_peer as bp  # noqa: E402

sys.path.insert(0, HERE)
import scripted_peer  # noqa: E402
import checks  # noqa: E402  (tests/checks.py, on the path from conftest.py)

FASTBGP = os.path.abspath(os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp")))
EXABGP = shutil.which("exabgp")

AFI_IPV4, SAFI_RTC = 1, 132

# (origin AS, route target as 8 bytes) NLRI in wire form, as peers send them
CASES = [
    "600000FDE80002FDE800000064",   # 65000:target:65000:100
    "00",                           # wildcard (default route)
    "600000FDE80102FDE800000064",   # target with an IPv4 global part
    "600000FDE802020000FDE80064",   # target with a 4-octet AS
    "600000FDE80003FDE800000064",   # an origin community, not a target
    "600000FDE8C002FDE800000064",   # transitive / IANA bits set: cleared
    "60FFFFFFFF0F99000000000001",   # a type ExaBGP does not know: hex
    "600000FDE80002FDE800000064" "00" "600000000100020001000000C8",  # three
]


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def rtc_update(nlri, unreach=False):
    if unreach:
        mp = attr(0x80, 15, struct.pack("!HB", AFI_IPV4, SAFI_RTC) + nlri)
        attrs = mp
    else:
        mp = attr(0x80, 14, struct.pack("!HBB", AFI_IPV4, SAFI_RTC, 4) + bytes([10, 0, 0, 1]) + b"\x00" + nlri)
        # an external peer's AS_PATH starts with its AS (RFC 4271 6.3, enforce-first-as)
        as_path = attr(0x40, 2, b"\x02\x01" + struct.pack("!I", 65001))
        attrs = attr(0x40, 1, b"\x00") + as_path + attr(0x40, 5, struct.pack("!I", 100)) + mp
    body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs
    return bp.frame(2, body)


def fastbgp_strings(hexmsg):
    out = subprocess.run([FASTBGP, "decode", hexmsg], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    event = json.loads(out.stdout)  # a real JSON parser: the output must be valid
    assert checks.validate_event(event) is None, (checks.validate_event(event), out.stdout)
    update = event["neighbor"]["message"]["update"]
    strings = []
    for section in ("announce", "withdraw"):
        fam = update.get(section, {}).get("ipv4 rtc")
        if fam is None:
            continue
        routes = [r for per_nh in fam.values() for r in per_nh] if isinstance(fam, dict) else fam
        for r in routes:
            assert r["string"].startswith("rtc ")
            if r["string"] != "rtc wildcard":
                origin, _, target = r["string"][4:].partition(":")
                assert r["origin"] == int(origin) and r["rt"] == target
            strings.append(r["string"])
    return strings


def exabgp_strings(hexmsg, workdir):
    conf = os.path.join(workdir, "rtc.conf")
    with open(conf, "w") as fh:
        # no family block: ExaBGP 4.2 then speaks every family it knows,
        # RTC included (its family block has no "ipv4 rtc")
        fh.write("neighbor 127.0.0.1 {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n"
                 " local-as 65533;\n peer-as 65533;\n}\n")
    env = dict(os.environ, exabgp_api_cli="false", exabgp_log_destination="stderr")
    out = subprocess.run([EXABGP, "--decode", hexmsg, conf], capture_output=True, text=True, timeout=60,
                         env=env, cwd=workdir)
    lines = (out.stdout + out.stderr).splitlines()
    return [m.group(1) for m in (re.search(r"decoded update \d+ (rtc (?:wildcard|\S+))", line) for line in lines)
            if m]


@pytest.mark.skipif(EXABGP is None, reason="Debian's exabgp is not installed")
def test_text_matches_exabgp_decode():
    workdir = tempfile.mkdtemp(prefix="rtc-exabgp-")
    for case in CASES:
        for unreach in (False, True):
            hexmsg = rtc_update(bytes.fromhex(case), unreach).hex().upper()
            ref = exabgp_strings(hexmsg, workdir)
            assert ref, "ExaBGP decoded nothing for %s" % case
            assert fastbgp_strings(hexmsg) == ref, case


def test_malformed_lengths_are_refused():
    # RFC 4684 4: 0 or 32..96 bits; 16 and 104 cannot be routes, a length
    # past the field cannot be delimited: the UPDATE is not decoded
    for case in ("10FFFF", "680000FDE80002FDE80000006400", "600000FDE80002"):
        out = subprocess.run([FASTBGP, "decode", rtc_update(bytes.fromhex(case)).hex()], capture_output=True,
                             text=True, timeout=30)
        assert out.returncode != 0 and "invalid payload" in out.stdout + out.stderr, case
    # a prefix of a route target (48 of its 64 bits) is a valid route
    assert fastbgp_strings(rtc_update(bytes.fromhex("500000FDE80002FDE80000")).hex()) == [
        "rtc 65000:target:65000:0/48"]


CONF = """process rec {
    run %s/record.py %s;
    encoder json;
}
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65001;
    hold-time 30;
    family { ipv4 unicast; ipv4 rtc; }
    api { processes [ rec ]; receive { parsed; update; } }
}
"""


def wait_for(path, pattern, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as fh:
                for line in fh:
                    if pattern in line:
                        return line
        time.sleep(0.1)
    return None


def test_negotiated_received_and_reset():
    workdir = tempfile.mkdtemp(prefix="rtc-session-")
    events = os.path.join(workdir, "events.json")
    conf = os.path.join(workdir, "rtc.conf")
    with open(conf, "w") as fh:
        fh.write(CONF % (API, events))
    with scripted_peer.connected_daemon([FASTBGP], conf, workdir) as (conn, reader):
        their = reader.read(10)
        assert their is not None and their[18] == 1
        caps = bp.parse_open(their)["capabilities"]
        rtc_cap = (1, struct.pack("!HBB", AFI_IPV4, 0, SAFI_RTC))
        assert rtc_cap in caps, "no multiprotocol capability for ipv4 rtc in %r" % caps
        mine = [bp.capability(1, struct.pack("!HBB", 1, 0, 1)), bp.capability(1, rtc_cap[1]),
                bp.capability(65, struct.pack("!I", 65001))]
        conn.sendall(bp.build_open(65001, 30, "10.0.0.2", mine) + bp.build_keepalive())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            m = reader.read(1)
            if m is not None and m[18] == 4:
                break
        conn.sendall(rtc_update(bytes.fromhex("600000FDE80002FDE800000064")))
        line = wait_for(events, '"ipv4 rtc"', 15)
        assert line is not None, "the helper got no ipv4 rtc event"
        event = json.loads(line)
        nh = event["neighbor"]["message"]["update"]["announce"]["ipv4 rtc"]
        assert nh == {"10.0.0.1": [{"origin": 65000, "rt": "target:65000:100",
                                    "string": "rtc 65000:target:65000:100"}]}
        # 200 bits in 12 bytes: the field cannot be walked, NOTIFICATION 3/9
        conn.sendall(rtc_update(bytes.fromhex("C80000FDE80002FDE800000064")))
        deadline = time.monotonic() + 10
        notification = None
        while time.monotonic() < deadline and notification is None:
            m = reader.read(1)
            if m is not None and m[18] == 3:
                notification = m
            elif reader.eof:
                break
        assert notification is not None, "no NOTIFICATION for a malformed RTC NLRI"
        assert notification[19:21] == bytes([3, 9])
