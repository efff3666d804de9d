"""EVPN interop: GoBGP originates EVPN routes of every type it has a command
for (RFC 7432 types 1 to 4, RFC 9136 type 5), with EVPN extended
communities, and sends them to fastbgp over eBGP ("l2vpn evpn"); fastbgp's
helper gets them as JSON, checked field by field against what GoBGP was
told to send, then withdrawn.

Run: FASTBGP=build/asan/fastbgp /usr/bin/python3 -m pytest -q tests/integration/test_evpn_gobgp.py
"""
import json
import os

import pytest

import peers
from peers import wait_until

pytestmark = pytest.mark.gobgp

FB_AS, PEER_AS = 65000, 65001

# (gobgp "global rib -a evpn add" arguments, what fastbgp's JSON must hold)
ROUTES = [
    (["a-d", "esi", "LACP", "00:11:22:33:44:55", "100", "etag", "5", "label", "200", "rd", "65001:100",
      "esi-label", "300"],
     {"code": 1, "name": "Ethernet Auto-Discovery", "rd": "65001:100",
      # RFC 7432 5: type 1 (LACP), system MAC, port key 100, one zero octet
      "esi": "01:00:11:22:33:44:55:00:64:00", "ethernet-tag": 5, "label": 200}),
    (["macadv", "00:11:22:33:44:55", "10.1.2.3", "esi", "ARBITRARY", "01:02:03:04:05:06:07:08:09", "etag", "5",
      "label", "100", "rd", "65001:100", "rt", "65001:100", "encap", "vxlan", "router-mac", "00:aa:bb:cc:dd:ee"],
     {"code": 2, "name": "MAC/IP advertisement", "rd": "65001:100", "esi": "00:01:02:03:04:05:06:07:08:09",
      "ethernet-tag": 5, "mac": "00:11:22:33:44:55", "ip": "10.1.2.3", "label": 100}),
    (["macadv", "00:11:22:33:44:88", "2001:db8::1", "etag", "8", "label", "103", "rd", "65001:100"],
     {"code": 2, "name": "MAC/IP advertisement", "rd": "65001:100", "esi": "-", "ethernet-tag": 8,
      "mac": "00:11:22:33:44:88", "ip": "2001:db8::1", "label": 103}),
    (["macadv", "00:11:22:33:44:77", "0.0.0.0", "etag", "7", "label", "102", "rd", "65001:101"],
     {"code": 2, "name": "MAC/IP advertisement", "rd": "65001:101", "esi": "-", "ethernet-tag": 7,
      "mac": "00:11:22:33:44:77", "label": 102}),
    (["multicast", "10.0.0.9", "etag", "5", "rd", "65001:100", "rt", "65001:100", "encap", "vxlan"],
     {"code": 3, "name": "Inclusive Multicast Ethernet Tag", "rd": "65001:100", "ethernet-tag": 5,
      "ip": "10.0.0.9"}),
    (["esi", "10.0.0.9", "esi", "ARBITRARY", "09:08:07:06:05:04:03:02:01", "rd", "65001:100"],
     {"code": 4, "name": "Ethernet Segment", "rd": "65001:100", "esi": "00:09:08:07:06:05:04:03:02:01",
      "ip": "10.0.0.9"}),
    (["prefix", "10.2.0.0/24", "gw", "10.2.0.1", "etag", "5", "label", "300", "rd", "65001:100", "rt", "65001:100",
      "encap", "vxlan", "router-mac", "00:aa:bb:cc:dd:ee"],
     {"code": 5, "name": "IP Prefix Advertisement", "rd": "65001:100", "esi": "-", "ethernet-tag": 5,
      "ip": "10.2.0.0", "iplen": 24, "gateway": "10.2.0.1", "label": 300}),
]


def key(route):
    return (route["code"], route["rd"], route.get("mac"), route.get("ip"), route.get("ethernet-tag"))


def evpn_events(path):
    """(announced routes by key with their attributes, withdrawn keys)."""
    announced, withdrawn = {}, set()
    try:
        with open(path) as fh:
            lines = [line for line in fh if line.startswith("{")]
    except FileNotFoundError:
        return announced, withdrawn
    for line in lines:
        event = json.loads(line)
        update = event.get("neighbor", {}).get("message", {}).get("update", {})
        for nexthop, routes in update.get("announce", {}).get("l2vpn evpn", {}).items():
            for r in routes:
                announced[key(r)] = (r, nexthop, update.get("attribute", {}))
                withdrawn.discard(key(r))
        for r in update.get("withdraw", {}).get("l2vpn evpn", []):
            withdrawn.add(key(r))
    return announced, withdrawn


def test_evpn_from_gobgp(lab):
    missing = peers.missing_binaries("gobgp")
    if missing:
        pytest.skip("not installed: %s" % ", ".join(missing))
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    gobgp = peers.Gobgp(lab, peer_addr, PEER_AS, port=port)
    gobgp.add_neighbor(fb_addr, FB_AS, ipv4=False, ipv6=False)
    gobgp.sections[-1] += "\n  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n" \
                          '      afi-safi-name = "l2vpn-evpn"'
    gobgp.start()

    events = os.path.join(lab.dir, "events.json")
    receiver = peers.FASTBGP_RECEIVER
    conf = ("process recv {\n\trun %s %s %s;\n\tencoder json;\n}\n" % (peers.PYTHON, receiver, events)
            + peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                     families=("l2vpn evpn",),
                                     options=["api { processes [ recv ]; receive { parsed; update; } }"]))
    fb = lab.fastbgp(conf, port, env={"exabgp_api_ack": "false"}).start()
    gobgp.wait_established(fb_addr, timeout=15)

    for args, _ in ROUTES:
        gobgp.cli("global", "rib", "-a", "evpn", "add", *args)
    want = {key(w): w for _, w in ROUTES}
    assert len(want) == len(ROUTES)
    announced = wait_until(lambda: set(want) <= set(evpn_events(events)[0]) and evpn_events(events)[0], 15,
                           "fastbgp's helper to get the %d EVPN routes GoBGP sends" % len(want))
    for k, w in want.items():
        got, nexthop, attributes = announced[k]
        for field, value in w.items():
            if field == "label":
                # GoBGP writes an EVPN label as the whole 24-bit field (a
                # VXLAN VNI, RFC 8365 5.1.3); ExaBGP's JSON gives the field
                # shifted as an MPLS label, then raw
                assert got["label"] == [[value >> 4, value]], (field, got)
            else:
                assert got.get(field) == value, (field, got)
        assert got["parsed"] is True and got["raw"][:2] == "%02X" % w["code"], got
        assert nexthop == peer_addr, nexthop
        assert attributes.get("as-path") == [PEER_AS], attributes
    # the EVPN extended communities GoBGP was told to attach
    strings = lambda k: [c["string"] for c in announced[k][2].get("extended-community", [])]  # noqa: E731
    values = lambda k: [c["value"] for c in announced[k][2].get("extended-community", [])]  # noqa: E731
    mac_key = key(ROUTES[1][1])
    assert "target:65001:100" in strings(mac_key) and "encap:VXLAN" in strings(mac_key), strings(mac_key)
    # router's MAC (RFC 9135 8.1): type 0x06 sub-type 0x03, then the MAC
    assert 0x060300AABBCCDDEE in values(mac_key), [hex(v) for v in values(mac_key)]
    # ESI label (RFC 7432 7.5): type 0x06 sub-type 0x01, flags (all-active
    # here), the label field in the last three octets (raw, as above)
    ad = [v for v in values(key(ROUTES[0][1])) if v >> 48 == 0x0601]
    assert ad == [0x060100000000012C], [hex(v) for v in ad]

    # withdrawn by GoBGP: withdrawn at fastbgp's helper
    args, w = ROUTES[4]
    gobgp.cli("global", "rib", "-a", "evpn", "del", *args)
    wait_until(lambda: key(w) in evpn_events(events)[1], 15, "the multicast route withdrawn")
    assert not fb.sanitizer_errors()
