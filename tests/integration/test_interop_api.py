"""The process API with real peers: routes announced and withdrawn by a
helper reach BIRD and GoBGP; the JSON fastbgp gives a helper for the routes a
BIRD sends is the JSON ExaBGP 4.2 gives for the very same routes."""

import ipaddress
import json
import os

import pytest

import peers
from peers import Expect, check_routes, wait_until

FB_AS = 65001
PEER_AS = 65000

ANNOUNCER = r'''
import os, sys, time
flag = sys.argv[1]
print("announce route 10.97.0.0/24 next-hop 192.0.2.97 med 97 community [ 65001:97 ] large-community [ 65001:97:1 ]", flush=True)
print("announce route 10.97.1.0/24 next-hop 192.0.2.97 as-path [ 64999 ]", flush=True)
print("announce route 2001:db8:97::/48 next-hop 2001:db8::97 med 7", flush=True)
deadline = time.time() + 60
while not os.path.exists(flag) and time.time() < deadline:
    time.sleep(0.1)
print("withdraw route 10.97.0.0/24", flush=True)
for line in sys.stdin:   # acks and the final shutdown message
    pass
'''



def kind_params(kinds):
    return [pytest.param(k, id=k, marks=getattr(pytest.mark, k)) for k in kinds]


@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp"]))
def test_api_announce_and_withdraw(lab, kind):
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    cls = {"bird": peers.Bird, "gobgp": peers.Gobgp}[kind]
    peer = cls(lab, peer_addr, PEER_AS, port=port)
    peer.add_neighbor(fb_addr, FB_AS)
    peer.start()
    helper = os.path.join(lab.dir, "announcer.py")
    flag = os.path.join(lab.dir, "withdraw-now")
    with open(helper, "w") as f:
        f.write(ANNOUNCER)
    conf = ("process announcer {\n\trun %s %s %s;\n\tencoder text;\n}\n" % (peers.PYTHON, helper, flag)
            + peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                     options=["api { processes [ announcer ]; }"]))
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    expected = [Expect("10.97.0.0/24", "192.0.2.97", med=97, communities=["65001:97"],
                       large_communities=["65001:97:1"], as_path_seen=[FB_AS]),
                Expect("10.97.1.0/24", "192.0.2.97", as_path_conf=[64999], as_path_seen=[FB_AS, 64999]),
                Expect("2001:db8:97::/48", "2001:db8::97", med=7, as_path_seen=[FB_AS])]
    want = {e.prefix for e in expected}
    routes = wait_until(lambda: want <= set(peer.routes()) and peer.routes(), 10,
                        "%s to receive the helper's routes (%r)" % (kind, peer.routes()))
    check_routes(expected, routes, fb_addr)
    open(flag, "w").close()
    wait_until(lambda: "10.97.0.0/24" not in peer.routes(), 10, "the helper's withdraw to reach %s" % kind)
    assert {"10.97.1.0/24", "2001:db8:97::/48"} <= set(peer.routes())
    assert fb.established_count(peer_addr) == 1


def flatten(events):
    """{(family, prefix): (next-hop, attributes)} and the EOR list from
    ExaBGP-format JSON update events, in a form that does not depend on how
    the routes were packed into UPDATEs."""
    routes, eors = {}, []
    for e in events:
        if e.get("type") != "update":
            continue
        msg = e["neighbor"].get("message", {})
        if "eor" in msg:
            eors.append((msg["eor"]["afi"], msg["eor"]["safi"]))
            continue
        upd = msg.get("update", {})
        attrs = upd.get("attribute", {})
        for fam, by_nh in upd.get("announce", {}).items():
            for nh, items in by_nh.items():
                for it in items:
                    routes[(fam, it["nlri"])] = (nh, json.dumps(attrs, sort_keys=True))
        for fam, items in upd.get("withdraw", {}).items():
            for it in items:
                routes.pop((fam, it["nlri"]), None)
    return routes, sorted(eors)


@pytest.mark.bird
@pytest.mark.exabgp
def test_api_received_json_same_as_exabgp(lab):
    """BIRD sends the same routes to fastbgp and to ExaBGP 4.2; both hand them
    to a helper with `receive { parsed; update; }`: the decoded routes,
    next-hops and attributes must be identical."""
    bird_addr, fb_addr, exa_addr = lab.addr(1), lab.addr(2), lab.addr(3)
    port = lab.port(bird_addr)
    bird = peers.Bird(lab, bird_addr, PEER_AS, port=port)
    bird.add_static(
        ["10.98.0.0/24",
         "10.98.1.0/24 blackhole { bgp_med = 7; bgp_local_pref = 300; bgp_community.add((65000,1)); "
         "bgp_community.add((65535,65281)); bgp_large_community.add((65000,1,2)); "
         "bgp_ext_community.add((rt,65000,100)); bgp_path.prepend(64512); bgp_path.prepend(64513); }",
         "10.98.2.0/23 blackhole { bgp_origin = ORIGIN_INCOMPLETE; }"],
        ["2001:db8:98::/48", "2001:db8:99::/48 blackhole { bgp_med = 9; bgp_community.add((65000,3)); }"])
    bird.add_neighbor(fb_addr, FB_AS, name="tofast", export=True)
    bird.add_neighbor(exa_addr, FB_AS, name="toexa", export=True)
    bird.start()

    fb_events = os.path.join(lab.dir, "fastbgp-events.json")
    receiver = peers.FASTBGP_RECEIVER
    conf = ("process recv {\n\trun %s %s %s;\n\tencoder json;\n}\n" % (peers.PYTHON, receiver, fb_events)
            + peers.fastbgp_neighbor(bird_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.2",
                                     options=["api { processes [ recv ]; receive { parsed; update; } }"]))
    lab.fastbgp(conf, port, env={"exabgp_api_ack": "false"}).start()

    exa = peers.Exabgp(lab, exa_addr, FB_AS, router_id="10.0.0.3", port=port)
    exa.add_neighbor(bird_addr, PEER_AS, passive=False)
    exa.start()

    bird.wait_established("tofast", timeout=15)
    bird.wait_established("toexa", timeout=20)

    def fb_flat():
        ev = []
        try:
            with open(fb_events) as f:
                for line in f:
                    if line.startswith("{"):
                        ev.append(json.loads(line))
        except FileNotFoundError:
            pass
        return flatten(ev)
    want_eors = [("ipv4", "unicast"), ("ipv6", "unicast")]
    fb_routes, fb_eors = wait_until(lambda: fb_flat()[1] == want_eors and fb_flat(), 10,
                                    "fastbgp's helper to get both End-of-RIBs (%r)" % (fb_flat(),))
    exa_routes, exa_eors = wait_until(lambda: flatten(exa.events())[1] == want_eors and flatten(exa.events()),
                                      10, "ExaBGP's helper to get both End-of-RIBs")
    assert len(exa_routes) == 5, exa_routes
    diffs = []
    for key in sorted(set(fb_routes) | set(exa_routes)):
        if fb_routes.get(key) != exa_routes.get(key):
            diffs.append("%s %s:\n  fastbgp: %s\n  exabgp:  %s" % (key[0], key[1], fb_routes.get(key),
                                                                 exa_routes.get(key)))
    assert not diffs, "JSON differs from ExaBGP 4.2:\n" + "\n".join(diffs)
    assert ipaddress.ip_address(bird_addr)  # the next-hop BIRD used for both is its own address
