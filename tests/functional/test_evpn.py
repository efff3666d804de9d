"""EVPN (RFC 7432 route types 1-4, RFC 9136 type 5, "l2vpn evpn"): the JSON
of "fastbgp decode" is Debian's ExaBGP 4.2's ("exabgp --decode"), byte for
byte, for every route type, announced and withdrawn, with the EVPN extended
communities; a live session hands a helper the same JSON, and text lines
whose route is ExaBGP's text of it; a route whose lengths do not fit its
type resets the session (RFC 7606 5.3).

The NLRI are written by hand from the formats of RFC 7432 section 7 and
RFC 9136 section 3.1."""
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

AFI_L2VPN, SAFI_EVPN = 25, 70


def route(rtype, value):
    """RFC 7432 7: route type (1 octet), length (1 octet), value."""
    return bytes([rtype, len(value)]) + value


RD = bytes.fromhex("0000FDE800000064")          # type 0 RD 65000:100 (RFC 4364 4.2)
RD_IP = bytes.fromhex("00010A0000010007")       # type 1 RD 10.0.0.1:7
ESI = bytes.fromhex("01020304050607080910")     # RFC 7432 5: 10 octets
NO_ESI = bytes(10)                              # single-homed: printed "-"
TAG = struct.pack("!I", 5)                      # Ethernet Tag ID
MAX_TAG = struct.pack("!I", 0xFFFFFFFF)         # MAX-ET (RFC 7432 8.2)
LABEL = bytes.fromhex("000641")                 # label 100, bottom of stack
LABEL2 = bytes.fromhex("000C81")                # label 200
VNI = bytes.fromhex("0F4240")                   # a VXLAN VNI (RFC 8365 5.1.3), no BoS bit
MAC = bytes.fromhex("001122334455")
V6 = bytes.fromhex("20010DB8000000000000000000000001")

CASES = {
    # 7.1 Ethernet A-D: RD, ESI, Ethernet Tag, MPLS label
    "ethernet-ad": route(1, RD + ESI + TAG + LABEL),
    "ethernet-ad-per-es": route(1, RD_IP + ESI + MAX_TAG + bytes(3)),
    # 7.2 MAC/IP: RD, ESI, tag, MAC length (48), MAC, IP length, IP, label1[, label2]
    "mac": route(2, RD + ESI + TAG + bytes([48]) + MAC + bytes([0]) + LABEL),
    "mac-ipv4": route(2, RD + NO_ESI + TAG + bytes([48]) + MAC + bytes([32, 10, 1, 2, 3]) + LABEL),
    "mac-ipv4-two-labels": route(2, RD + NO_ESI + TAG + bytes([48]) + MAC + bytes([32, 10, 1, 2, 3]) + LABEL
                                 + LABEL2),
    "mac-ipv6-vni": route(2, RD + ESI + bytes(4) + bytes([48]) + MAC + bytes([128]) + V6 + VNI),
    # 7.3 Inclusive Multicast Ethernet Tag: RD, tag, IP length, originating router's IP
    "multicast-ipv4": route(3, RD + TAG + bytes([32, 10, 0, 0, 9])),
    "multicast-ipv6": route(3, RD_IP + TAG + bytes([128]) + V6),
    # 7.4 Ethernet Segment: RD, ESI, IP length, originating router's IP
    "segment-ipv4": route(4, RD + ESI + bytes([32, 10, 0, 0, 9])),
    "segment-ipv6": route(4, RD + ESI + bytes([128]) + V6),
    # RFC 9136 3.1 IP Prefix: RD, ESI, tag, prefix length, prefix, gateway, label
    "prefix-ipv4": route(5, RD + ESI + TAG + bytes([24, 10, 2, 0, 0, 10, 2, 0, 1]) + LABEL),
    "prefix-ipv6": route(5, RD + NO_ESI + TAG + bytes([64]) + bytes.fromhex("20010DB8000100000000000000000000")
                         + bytes(16) + LABEL),
    # a type neither RFC defines: shown undecoded
    "unknown-type": route(9, bytes.fromhex("DEADBEEF")),
    # two routes in one attribute
    "two": route(3, RD + TAG + bytes([32, 10, 0, 0, 9])) + route(4, RD + ESI + bytes([32, 10, 0, 0, 9])),
}

# EVPN extended communities (RFC 7432 7.5-7.11, RFC 9135 8.1, RFC 9012),
# with a route target: MAC mobility (plain, sticky), ESI label, ES-Import
# route target, router's MAC, default gateway, encapsulations VXLAN and MPLS.
EXT_COMMUNITIES = bytes.fromhex(
    "0600000000000005" "0600010000000007" "0601010000012C41" "0602001122334455"
    "0603001122334455" "030D000000000000" "030C000000000008" "030C00000000000A" "0002FDE800000064")


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def evpn_update(nlri, unreach=False, extcommunities=None):
    if unreach:
        attrs = attr(0x80, 15, struct.pack("!HB", AFI_L2VPN, SAFI_EVPN) + nlri)
    else:
        mp = attr(0x80, 14, struct.pack("!HBB", AFI_L2VPN, SAFI_EVPN, 4) + bytes([10, 0, 0, 1]) + b"\x00" + nlri)
        attrs = attr(0x40, 1, b"\x00") + attr(0x40, 2, b"") + attr(0x40, 5, struct.pack("!I", 100))
        if extcommunities:
            attrs += attr(0xC0, 16, extcommunities)
        attrs += mp
    return bp.frame(2, struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs)


def messages():
    """(name, wire message) for every case announced, then withdrawn."""
    out = []
    for name, nlri in CASES.items():
        out.append((name, evpn_update(nlri, extcommunities=EXT_COMMUNITIES if name == "mac" else None)))
    for name, nlri in CASES.items():
        out.append((name + " withdrawn", evpn_update(nlri, unreach=True)))
    return out


def after_neighbor(line):
    """The JSON event from its "neighbor" member on: the part that does not
    depend on time, host or process."""
    at = line.find('"neighbor": ')
    assert at > 0, line
    return line[at:].strip()


def message_part(line):
    """From "message" on (the addresses and ASNs differ between a session
    and "decode")."""
    return line[line.index('"message": '):].strip()


def fastbgp_decode(hexmsg):
    out = subprocess.run([FASTBGP, "decode", hexmsg], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    problem = checks.validate_event(json.loads(out.stdout))  # valid JSON, and valid against docs/schema
    assert problem is None, (problem, out.stdout)
    return after_neighbor(out.stdout)


def exabgp_decode(hexmsg, workdir):
    """ExaBGP's JSON of the UPDATE and its text of each route."""
    conf = os.path.join(workdir, "evpn.conf")
    with open(conf, "w") as fh:
        fh.write("neighbor 127.0.0.1 {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n"
                 " local-as 65533;\n peer-as 65533;\n family { l2vpn evpn; }\n}\n")
    env = dict(os.environ, exabgp_api_cli="false", exabgp_log_destination="stderr")
    out = subprocess.run([EXABGP, "--decode", hexmsg, conf], capture_output=True, text=True, timeout=60,
                         env=env, cwd=workdir)
    lines = (out.stdout + out.stderr).splitlines()
    js = [after_neighbor(line[line.index("{"):]) for line in lines if "| update json {" in line]
    texts = [m.group(1) for m in (re.search(r"decoded update \d+ (evpn:.*)$", line) for line in lines) if m]
    return (js[0] if js else None), texts


@pytest.mark.skipif(EXABGP is None, reason="Debian's exabgp is not installed")
def test_decode_json_is_exabgps():
    workdir = tempfile.mkdtemp(prefix="evpn-exabgp-")
    for name, msg in messages():
        ref, _ = exabgp_decode(msg.hex().upper(), workdir)
        if name == "unknown-type withdrawn":
            # ExaBGP 4.2 fails on it ("'GenericEVPN' object has no attribute
            # 'nexthop'"): fastbgp prints the route as in an announce
            assert ref is None
            got = json.loads("{" + fastbgp_decode(msg.hex()))
            assert got["neighbor"]["message"]["update"]["withdraw"]["l2vpn evpn"] == [
                {"code": 9, "parsed": False, "raw": "0904DEADBEEF"}]
            continue
        assert ref is not None, "ExaBGP decoded nothing for %s" % name
        assert fastbgp_decode(msg.hex()) == ref, name


def test_decoded_fields():
    # independent of ExaBGP: the parts of each route where RFC 7432 puts them
    def routes(msg):
        update = json.loads("{" + fastbgp_decode(msg.hex()))["neighbor"]["message"]["update"]
        return update["announce"]["l2vpn evpn"]["10.0.0.1"]
    r = routes(evpn_update(CASES["mac-ipv6-vni"]))[0]
    assert (r["code"], r["rd"], r["esi"], r["ethernet-tag"], r["mac"], r["ip"]) == (
        2, "65000:100", "01:02:03:04:05:06:07:08:09:10", 0, "00:11:22:33:44:55", "2001:db8::1")
    assert r["label"] == [[0x0F4240 >> 4, 0x0F4240]]
    assert r["raw"] == CASES["mac-ipv6-vni"].hex().upper()
    r = routes(evpn_update(CASES["ethernet-ad-per-es"]))[0]
    assert (r["rd"], r["ethernet-tag"], r["label"]) == ("10.0.0.1:7", 0xFFFFFFFF, [[0]])
    r = routes(evpn_update(CASES["prefix-ipv4"]))[0]
    assert (r["ip"], r["iplen"], r["gateway"]) == ("10.2.0.0", 24, "10.2.0.1")
    assert [x["code"] for x in routes(evpn_update(CASES["two"]))] == [3, 4]


# Routes whose lengths do not fit their type (RFC 7432 7.1-7.4, RFC 9136
# 3.1), or whose length overruns the attribute: not decoded.
MALFORMED = {
    "ad one octet short": route(1, RD + ESI + TAG + LABEL[:2]),
    "mac length 40": route(2, RD + ESI + TAG + bytes([40]) + MAC + bytes([0]) + LABEL),
    "mac ip length 24": route(2, RD + ESI + TAG + bytes([48]) + MAC + bytes([24, 10, 1, 2]) + LABEL),
    "mac ip length says ipv6, ipv4 given": route(2, RD + ESI + TAG + bytes([48]) + MAC + bytes([128, 10, 1, 2, 3])
                                                 + LABEL),
    "multicast ip length 0": route(3, RD + TAG + bytes([0])),
    "segment ip cut": route(4, RD + ESI + bytes([32, 10, 0])),
    "prefix length 33 in ipv4": route(5, RD + ESI + TAG + bytes([33, 10, 2, 0, 0, 10, 2, 0, 1]) + LABEL),
    "prefix of 35 octets": route(5, RD + ESI + TAG + bytes([24, 10, 2, 0, 0, 10, 2, 0, 1]) + LABEL + b"\x00"),
    "length past the attribute": bytes([3, 40]) + RD + TAG + bytes([32, 10, 0, 0, 9]),
}


def test_malformed_routes_are_refused():
    for name, nlri in MALFORMED.items():
        for unreach in (False, True):
            out = subprocess.run([FASTBGP, "decode", evpn_update(nlri, unreach).hex()], capture_output=True,
                                 text=True, timeout=30)
            assert out.returncode != 0 and "invalid payload" in out.stdout + out.stderr, name


CONF = """process rec {
    run %s/record.py %s;
    encoder json;
}
process rect {
    run %s/record.py %s;
    encoder text;
}
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65000;
    hold-time 30;
    family { l2vpn evpn; }
    api { processes [ rec rect ]; receive { parsed; update; } }
}
"""


def lines_with(path, pattern, count, timeout):
    deadline = time.monotonic() + timeout
    found = []
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as fh:
                found = [line for line in fh if pattern in line]
            if len(found) >= count:
                return found
        time.sleep(0.1)
    return found


def test_session_events():
    workdir = tempfile.mkdtemp(prefix="evpn-session-")
    events = os.path.join(workdir, "events.json")
    texts = os.path.join(workdir, "events.txt")
    conf = os.path.join(workdir, "evpn.conf")
    with open(conf, "w") as fh:
        fh.write(CONF % (API, events, API, texts))
    sent = messages()
    with scripted_peer.connected_daemon([FASTBGP], conf, workdir) as (conn, reader):
        their = reader.read(10)
        assert their is not None and their[18] == 1
        caps = bp.parse_open(their)["capabilities"]
        evpn_cap = (1, struct.pack("!HBB", AFI_L2VPN, 0, SAFI_EVPN))
        assert evpn_cap in caps, "no multiprotocol capability for l2vpn evpn in %r" % caps
        mine = [bp.capability(1, evpn_cap[1]), bp.capability(65, struct.pack("!I", 65000))]
        conn.sendall(bp.build_open(65000, 30, "10.0.0.2", mine) + bp.build_keepalive())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            m = reader.read(1)
            if m is not None and m[18] == 4:
                break
        for _, msg in sent:
            conn.sendall(msg)
        got = lines_with(events, '"l2vpn evpn"', len(sent), 20)
        assert len(got) == len(sent), "the helper got %d EVPN events of %d" % (len(got), len(sent))
        # the session's events are the decoder's JSON
        for (name, msg), line in zip(sent, got):
            decoded = fastbgp_decode(msg.hex())
            assert message_part(line) == message_part(decoded), name
        nroutes = sum(2 if name.startswith("two") else 1 for name, _ in sent)
        routes = [line.split(" update ", 1)[1].strip() for line in
                  lines_with(texts, " evpn:", nroutes, 10)]
        assert len(routes) == nroutes, routes
        if EXABGP:
            # ExaBGP 4.2's text encoder fails on EVPN routes (they have no
            # extensive()); its text of a route and its attributes is what
            # "--decode" prints
            ref = []
            scratch = tempfile.mkdtemp(prefix="evpn-text-")
            for name, msg in sent:
                verb = "withdrawn" if name.endswith("withdrawn") else "announced"
                ref += ["%s %s" % (verb, s) for s in exabgp_decode(msg.hex().upper(), scratch)[1]]
            assert routes == ref
        # a route of type 2 whose IP length is 24 bits: the field cannot be
        # read (RFC 7606 5.3), NOTIFICATION UPDATE message error
        conn.sendall(evpn_update(MALFORMED["mac ip length 24"]))
        deadline = time.monotonic() + 10
        notification = None
        while time.monotonic() < deadline and notification is None:
            m = reader.read(1)
            if m is not None and m[18] == 3:
                notification = m
            elif reader.eof:
                break
        assert notification is not None, "no NOTIFICATION for a malformed EVPN NLRI"
        assert notification[19] == 3

