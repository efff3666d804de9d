"""MVPN (RFC 6514, ExaBGP 5.0's mcast-vpn families) received in a session
with the scripted peer: negotiated when configured, and a helper sees each
route as ExaBGP 5.0 prints it; a malformed route type 5 is treat-as-withdraw
(the session stays up)."""
import json
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_session import TOP, UPDATE, bp, neighbor, session, updates_until_eor, _read_events  # noqa: E402
from test_api import wait_for  # noqa: E402

RECORD = os.path.join(TOP, "tests", "api", "record.py")
SOURCE_AD = "0512" "0000FDE800000001" "200A000001" "20EF010101"
SOURCE_JOIN = "0716" "00010A0000010001" "0000FDE9" "200A000001" "20EF010101"


def mvpn_update(nlri_hex):
    nlri = bytes.fromhex(nlri_hex)
    mp = struct.pack("!HBB", 1, 5, 4) + bytes.fromhex("0A000001") + b"\0" + nlri
    attrs = bytes.fromhex("40010100400200")  # ORIGIN IGP, empty AS_PATH (iBGP)
    attrs += bytes([0x80, 14, len(mp)]) + mp
    return bp.frame(UPDATE, struct.pack("!HH", 0, len(attrs)) + attrs)


def test_mvpn_routes_reach_the_helper():
    d = tempfile.mkdtemp(prefix="fastbgp-mvpn-")
    events = os.path.join(d, "events.json")
    conf = ("process rec { run %s %s; encoder json; }\n" % (RECORD, events) +
            neighbor(families="ipv4 unicast; ipv4 mcast-vpn;", peer_as=65000,
                     extra="api { processes [ rec ]; receive { parsed; update; } }"))
    caps = [bp.capability(1, struct.pack("!HBB", 1, 0, 1)), bp.capability(1, struct.pack("!HBB", 1, 0, 5)),
            bp.capability(65, struct.pack("!I", 65000))]
    daemon, peer, ours = session(conf, open_caps=caps, asn=65000, env={"exabgp_api_version": "5"})
    try:
        mp = [v for c, v in bp.parse_open(ours)["capabilities"] if c == 1]
        assert struct.pack("!HBB", 1, 0, 5) in mp, mp
        updates_until_eor(peer, families=2)
        peer.send(mvpn_update(SOURCE_AD))
        peer.send(mvpn_update(SOURCE_JOIN))
        # type 5 with a 24-bit source length: treat-as-withdraw, no reset
        peer.send(mvpn_update("0512" "0000FDE800000001" "180A000001" "20EF010101"))

        def routes():
            out = []
            for e in _read_events(events):
                if e.get("type") == "update":
                    ann = e["neighbor"]["message"]["update"].get("announce", {})
                    out += ann.get("ipv4 mcast-vpn", {}).get("10.0.0.1", [])
            return out
        wait_for(lambda: len(routes()) >= 2, 10, "the two MVPN routes")
        got = routes()
        assert got[0] == {"code": 5, "parsed": True, "raw": SOURCE_AD.upper(), "name": "Source Active A-D Route",
                          "rd": "65000:1", "source": "10.0.0.1", "group": "239.1.1.1"}, got
        assert got[1]["name"] == "C-Multicast Source Tree Join route" and got[1]["source-as"] == "65001", got
        assert got[1]["rd"] == "10.0.0.1:1"
        # the session is still up: a keepalive exchange goes on, no NOTIFICATION
        raw = peer.read(timeout=2, skip_keepalive=True)
        assert raw is None or raw[18] != 3, bp.describe(raw)
        assert len(routes()) == 2, json.dumps(routes())
    finally:
        daemon.stop()
        peer.close()
