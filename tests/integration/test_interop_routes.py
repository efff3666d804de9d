"""fastbgp connects out to a real BGP daemon and its static routes arrive intact.

For each of BIRD 2, FRR 8, GoBGP 3, OpenBGPD and ExaBGP 4.2: the session comes
up over IPv4 transport, and the IPv4 and IPv6 unicast routes (IPv6 over the
IPv4 session with MP-BGP) are read back through the daemon's own CLI with the
expected next-hop, AS path, MED, communities and large communities.
"""

import pytest

import peers
from peers import Expect, check_routes, stays, wait_until

FB_AS = 65001
PEER_AS = 65000

KINDS = ["bird", "frr", "gobgp", "openbgpd", "exabgp"]
CLASSES = {"bird": peers.Bird, "gobgp": peers.Gobgp, "frr": peers.Frr,
           "openbgpd": peers.Openbgpd, "exabgp": peers.Exabgp}
# GoBGP drops routes whose NEXT_HOP is a loopback address ("invalid nexthop
# address"), so `next-hop self` (127.x) is only checked with the others.
LOOPBACK_NEXT_HOP_OK = {"bird", "frr", "openbgpd", "exabgp"}


def kind_params(kinds):
    return [pytest.param(k, id=k, marks=getattr(pytest.mark, k)) for k in kinds]


def require(kind):
    missing = peers.missing_binaries(kind)
    if missing:
        pytest.skip("%s is not installed (%s)" % (kind, ", ".join(missing)))


def start_peer(lab, kind, addr, asn, port, fb_addr, fb_as, **kw):
    require(kind)
    d = CLASSES[kind](lab, addr, asn, port=port)
    d.add_neighbor(fb_addr, fb_as, **kw)
    d.start()
    return d


def ebgp_routes(kind):
    routes = [
        # med, communities, large communities; AS path = [local-as] only
        Expect("10.11.0.0/24", "192.0.2.1", med=100, communities=["65001:100", "65001:200"],
               large_communities=["65001:1:2"], as_path_seen=[FB_AS]),
        # configured path: local-as is prepended on eBGP
        Expect("10.12.0.0/24", "192.0.2.2", as_path_conf=[64999, 64998],
               as_path_seen=[FB_AS, 64999, 64998]),
        # configured path already starting with local-as: not prepended twice
        Expect("10.13.0.0/24", "192.0.2.3", as_path_conf=[FB_AS, 64999],
               as_path_seen=[FB_AS, 64999]),
        # IPv6 unicast over the IPv4 session (MP_REACH)
        Expect("2001:db8:11::/48", "2001:db8::11", med=7, communities=["65001:6"],
               large_communities=["65001:6:6"], as_path_seen=[FB_AS]),
        Expect("2001:db8:12::/48", "2001:db8::12", as_path_conf=[64999],
               as_path_seen=[FB_AS, 64999]),
    ]
    if kind in LOOPBACK_NEXT_HOP_OK:
        routes.append(Expect("10.14.0.0/24", "self", med=14, as_path_seen=[FB_AS]))
    return routes


def ibgp_routes():
    return [
        # iBGP: the configured path goes as given, LOCAL_PREF is kept
        Expect("10.21.0.0/24", "192.0.2.1", as_path_conf=[64999, 64998], as_path_seen=[64999, 64998],
               med=5, local_pref=200, communities=["65000:1"], large_communities=["65000:2:3"],
               check_local_pref=True),
        # no as-path configured: empty path on iBGP, LOCAL_PREF 100 by default
        Expect("10.22.0.0/24", "192.0.2.2", as_path_seen=[], check_local_pref=True),
        Expect("2001:db8:21::/48", "2001:db8::21", as_path_conf=[64999], as_path_seen=[64999],
               local_pref=300, check_local_pref=True),
    ]


def wait_routes(peer, expected, fb_addr, timeout=15):
    """Waits until every expected prefix is in the peer's table, then checks them."""
    want = {str(__import__("ipaddress").ip_network(e.prefix)) for e in expected}

    def got():
        r = peer.routes()
        return r if want <= set(r) else None
    try:
        received = wait_until(got, timeout, "%s to hold %s" % (peer.kind, sorted(want)))
    except AssertionError:
        received = peer.routes()
    check_routes(expected, received, self_address=fb_addr)
    return received


@pytest.mark.parametrize("kind", kind_params(KINDS))
def test_ebgp_routes(lab, kind):
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, FB_AS)
    expected = ebgp_routes(kind)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=expected)
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    fb.wait_established(peer_addr, timeout=5)
    wait_routes(peer, expected, fb_addr)
    assert not fb.notifications_received(), fb.notifications_received()


@pytest.mark.parametrize("kind", kind_params(KINDS))
def test_ibgp_routes(lab, kind):
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, PEER_AS)
    expected = ibgp_routes()
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, PEER_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=expected)
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    wait_routes(peer, expected, fb_addr)
    assert not fb.notifications_received(), fb.notifications_received()


@pytest.mark.ipv6
@pytest.mark.parametrize("kind", kind_params(KINDS))
def test_ipv6_transport(lab, kind):
    """Session over ::1 (fastbgp connects out, the peer is passive)."""
    if not peers.have_ipv6_loopback():
        pytest.skip("no IPv6 loopback")
    port = lab.port("::1")
    peer = start_peer(lab, kind, "::1", PEER_AS, port, "::1", FB_AS)
    expected = [
        Expect("2001:db8:31::/48", "2001:db8::31", med=31, communities=["65001:31"],
               large_communities=["65001:31:1"], as_path_seen=[FB_AS]),
        Expect("10.31.0.0/24", "192.0.2.31", as_path_conf=[64999], as_path_seen=[FB_AS, 64999]),
    ]
    if kind in LOOPBACK_NEXT_HOP_OK - {"frr"}:
        # next-hop self on an IPv6 session: the local address, ::1 (FRR drops
        # it silently: ::1 is its own address too, as both ends share ::1)
        expected.append(Expect("2001:db8:32::/48", "self", med=32, as_path_seen=[FB_AS]))
    conf = peers.fastbgp_neighbor("::1", "::1", FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=expected)
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established("::1", timeout=15)
    wait_routes(peer, expected, "::1")
    assert not fb.notifications_received(), fb.notifications_received()


@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp", "frr"]))
def test_ipv4_only_peer_gets_no_ipv6(lab, kind):
    """The peer negotiates only IPv4 unicast: no IPv6 route is sent, the session stays up."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, FB_AS, ipv6=False)
    v4 = Expect("10.41.0.0/24", "192.0.2.41", med=41, as_path_seen=[FB_AS])
    v6 = Expect("2001:db8:41::/48", "2001:db8::41", as_path_seen=[FB_AS])
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[v4, v6])
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    wait_routes(peer, [v4], fb_addr)
    # a few keepalive periods: the session must stay up, nobody complains
    stays(lambda: peer.established(fb_addr), 4, "%s session" % kind)
    routes = peer.routes()
    assert "2001:db8:41::/48" not in routes, routes
    assert fb.established_count(peer_addr) == 1, fb.transitions()
    assert not fb.notifications_received(), fb.notifications_received()


@pytest.mark.slow
def test_all_daemons_at_once(lab):
    """One fastbgp, five neighbors (one per daemon, each reached through its own
    `connect PORT`): every daemon gets its own neighbor's routes and no other's."""
    kinds = [k for k in KINDS if not peers.missing_binaries(k)]
    fb_addr = lab.addr(1)
    blocks, started, expected = [], {}, {}
    for n, kind in enumerate(kinds):
        addr = lab.addr(10 + n)
        port = lab.port(addr)
        started[kind] = start_peer(lab, kind, addr, 65100 + n, port, fb_addr, FB_AS)
        expected[kind] = [
            Expect("10.%d.0.0/24" % (150 + n), "192.0.2.%d" % (150 + n), med=n + 1,
                   communities=["65001:%d" % (150 + n)], as_path_seen=[FB_AS]),
            Expect("2001:db8:%x::/48" % (0x150 + n), "2001:db8::%x" % (0x150 + n),
                   large_communities=["65001:%d:1" % n], as_path_seen=[FB_AS]),
        ]
        blocks.append(peers.fastbgp_neighbor(addr, fb_addr, FB_AS, 65100 + n,
                                             router_id="10.0.0.1", routes=expected[kind],
                                             options=["connect %d" % port]))
    fb = lab.fastbgp("".join(blocks), peers.closed_port(fb_addr)).start()
    for n, kind in enumerate(kinds):
        started[kind].wait_established(fb_addr, timeout=15)
    for n, kind in enumerate(kinds):
        got = wait_routes(started[kind], expected[kind], fb_addr)
        others = {str(__import__("ipaddress").ip_network(e.prefix)) for k in kinds if k != kind
                  for e in expected[k]}
        leaked = others & set(got)
        assert not leaked, "%s received routes of other neighbors: %s" % (kind, sorted(leaked))
    assert fb.established_count() == len(kinds), fb.transitions()
    assert not fb.notifications_received(), fb.notifications_received()
