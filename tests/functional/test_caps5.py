"""ExaBGP 5.0's capabilities in a real session with the scripted peer:
software-version (75), hostname (73, with exabgp.api.version = 5),
PATHS-LIMIT (76) and the link-local next-hop capability (77) go out in
fastbgp's OPEN byte for byte as ExaBGP 5 encodes them, and the ones the
peer sends are printed in the helper's OPEN event as ExaBGP 5 prints them.
"""
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_session import TOP, bp, neighbor, session, _read_events  # noqa: E402
from test_api import wait_for  # noqa: E402

RECORD = os.path.join(TOP, "tests", "api", "record.py")


def caps_of(raw_open):
    return bp.parse_open(raw_open)["capabilities"]


def conf_with(events, extra=""):
    return ("process rec { run %s %s; encoder json; }\n" % (RECORD, events) +
            neighbor(families="ipv4 unicast; ipv6 unicast;", peer_as=65001,
                     capability="software-version enable; link-local-nexthop enable; add-path send/receive;",
                     extra="host-name r1; domain-name example; add-path { ipv6 unicast limit 20; ipv4 unicast limit 10; }"
                           " api { processes [ rec ]; receive { parsed; open; } } " + extra))


def peer_caps(asn):
    return bp.standard_capabilities(asn) + [
        bp.capability(75, bytes([9]) + b"GoBGP/3.0"),
        bp.capability(73, bytes([4]) + b"peer" + bytes([3]) + b"lab"),
        bp.capability(77),
    ]


def test_open_carries_and_shows_exabgp5_capabilities():
    d = tempfile.mkdtemp(prefix="fastbgp-caps5-")
    events = os.path.join(d, "events.json")
    daemon, peer, ours = session(conf_with(events), open_caps=peer_caps(65001), asn=65001,
                                 env={"exabgp_api_version": "5"})
    try:
        caps = caps_of(ours)
        codes = [c for c, _ in caps]
        # ExaBGP 5's order: ... ADD-PATH, PATHS-LIMIT, ..., HOSTNAME, SOFTWARE-VERSION, LINK-LOCAL
        assert codes.index(69) < codes.index(76) < codes.index(73) < codes.index(75) < codes.index(77), codes
        value = dict(caps)
        # by AFI, then as written: ipv4/unicast 10, ipv6/unicast 20
        assert value[76] == struct.pack("!HBH", 1, 1, 10) + struct.pack("!HBH", 2, 1, 20)
        assert value[73] == bytes([2]) + b"r1" + bytes([7]) + b"example"
        assert value[75][0] == len(value[75]) - 1 and value[75][1:].startswith(b"fastbgp/")
        assert value[77] == b""

        def opened():
            return [e for e in _read_events(events) if e.get("type") == "open"]
        wait_for(opened, 10, "the received OPEN event")
        got = opened()[0]["neighbor"]["open"]["capabilities"]
        assert got["75"] == {"software": "GoBGP/3.0"}, got
        assert got["73"] == {"host-name": "peer", "domain-name": "lab"}, got
        assert got["77"] == {"name": "link-local-nexthop"}, got
    finally:
        daemon.stop()
        peer.close()


def test_api_version_4_keeps_exabgp42_open():
    """Default (ExaBGP 4.2): no hostname capability even with host-name set;
    the configured 5.0 capabilities still go out."""
    d = tempfile.mkdtemp(prefix="fastbgp-caps4-")
    events = os.path.join(d, "events.json")
    daemon, peer, ours = session(conf_with(events), open_caps=peer_caps(65001), asn=65001)
    try:
        codes = [c for c, _ in caps_of(ours)]
        assert 73 not in codes and 75 in codes and 76 in codes and 77 in codes, codes

        def opened():
            return [e for e in _read_events(events) if e.get("type") == "open"]
        wait_for(opened, 10, "the received OPEN event")
        got = opened()[0]["neighbor"]["open"]["capabilities"]
        # 4.2 knows none of them: printed as its unknown capabilities
        assert got["77"]["name"] == "unknown" and got["77"]["value"] == 77, got
    finally:
        daemon.stop()
        peer.close()


def mp_reach_nexthop(raw):
    """The next-hop field of an UPDATE's MP_REACH_NLRI, or None."""
    body = raw[19:]
    wlen = struct.unpack("!H", body[:2])[0]
    alen = struct.unpack("!H", body[2 + wlen:4 + wlen])[0]
    attrs = body[4 + wlen:4 + wlen + alen]
    i = 0
    while i < len(attrs):
        flags, code = attrs[i], attrs[i + 1]
        if flags & 0x10:
            length, i = struct.unpack("!H", attrs[i + 2:i + 4])[0], i + 4
        else:
            length, i = attrs[i + 2], i + 3
        if code == 14:
            v = attrs[i:i + length]
            return bytes(v[4:4 + v[3]])
        i += length
    return None


def _link_local_session(peer_sends_77):
    conf = neighbor(families="ipv6 unicast;", peer_as=65001,
                    capability="link-local-nexthop enable;",
                    extra="local-link-local fe80::1;",
                    routes="route 2001:db8:1::/48 next-hop 2001:db8::1;")
    caps = [bp.capability(1, struct.pack("!HBB", 2, 0, 1)), bp.capability(65, struct.pack("!I", 65001))]
    if peer_sends_77:
        caps.append(bp.capability(77))
    daemon, peer, _ = session(conf, open_caps=caps, asn=65001)
    try:
        from test_session import updates_until_eor
        ups = updates_until_eor(peer)
        return [mp_reach_nexthop(u) for u in ups]
    finally:
        daemon.stop()
        peer.close()


def test_link_local_next_hop_sent_when_negotiated():
    """RFC 2545 3: global then link-local (32 bytes) once both sides sent
    capability 77; 16 bytes otherwise."""
    import ipaddress
    glob = ipaddress.IPv6Address("2001:db8::1").packed
    ll = ipaddress.IPv6Address("fe80::1").packed
    assert _link_local_session(True) == [glob + ll]
    assert _link_local_session(False) == [glob]
