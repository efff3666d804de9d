"""Session behaviour with real peers: 4-byte ASNs, a large table, routes
received from the peer, timers, resets, route refresh, graceful restart,
shutdown and tcp.once."""

import time

import pytest

import peers
from peers import Expect, check_routes, stays, wait_until

FB_AS = 65001
PEER_AS = 65000
AS4 = 4200000001
AS_TRANS = 23456

KINDS = ["bird", "frr", "gobgp", "openbgpd", "exabgp"]
CLASSES = {"bird": peers.Bird, "gobgp": peers.Gobgp, "frr": peers.Frr,
           "openbgpd": peers.Openbgpd, "exabgp": peers.Exabgp}


def kind_params(kinds):
    return [pytest.param(k, id=k, marks=getattr(pytest.mark, k)) for k in kinds]


def start_peer(lab, kind, addr, asn, port, fb_addr, fb_as, **kw):
    missing = peers.missing_binaries(kind)
    if missing:
        pytest.skip("%s is not installed" % kind)
    d = CLASSES[kind](lab, addr, asn, port=port)
    d.add_neighbor(fb_addr, fb_as, **kw)
    d.start()
    return d


def received(peer, expected, timeout=10):
    want = {e.prefix for e in expected}
    try:
        return wait_until(lambda: want <= set(peer.routes()) and peer.routes(), timeout,
                          "%s to receive %s" % (peer.kind, sorted(want)))
    except AssertionError:
        return peer.routes()


# ------------------------------------------------------------------ ASN4

@pytest.mark.parametrize("kind", kind_params(KINDS))
def test_four_byte_local_as(lab, kind):
    """local-as 4200000001 (AS_TRANS in the OPEN, the real AS in the capability)."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, AS4)
    expected = [Expect("10.81.0.0/24", "192.0.2.81", as_path_seen=[AS4]),
                Expect("10.82.0.0/24", "192.0.2.82", as_path_conf=[4200000002, 64999],
                       as_path_seen=[AS4, 4200000002, 64999]),
                Expect("2001:db8:81::/48", "2001:db8::81", as_path_seen=[AS4])]
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, AS4, PEER_AS, router_id="10.0.0.1",
                                  routes=expected)
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    check_routes(expected, received(peer, expected), fb_addr)
    assert not fb.notifications_received(), fb.notifications_received()


@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp"]))
def test_asn4_disabled(lab, kind):
    """`capability { asn4 disable; }` with local-as 4200000001: the OPEN says
    AS_TRANS without the capability, paths go as 2-byte AS_PATH plus AS4_PATH
    (RFC 6793), and the peer reconstructs the real path."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, AS_TRANS)
    expected = [Expect("10.83.0.0/24", "192.0.2.83", as_path_seen=[AS4]),
                Expect("10.84.0.0/24", "192.0.2.84", as_path_conf=[4200000002, 64999],
                       as_path_seen=[AS4, 4200000002, 64999])]
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, AS4, PEER_AS, router_id="10.0.0.1",
                                  routes=expected, families=("ipv4 unicast",),
                                  options=["capability { asn4 disable; }"])
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    check_routes(expected, received(peer, expected), fb_addr)
    if kind == "bird":
        caps = peer.cli("show protocols all p1").split("Neighbor capabilities")[1].split("Session:")[0]
        assert "4-octet AS numbers" not in caps, caps
    assert not fb.notifications_received(), fb.notifications_received()


# ------------------------------------------------------------ big table

@pytest.mark.slow
@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp"]))
def test_large_table(lab, kind):
    """16384 IPv4 and 16384 IPv6 routes (split) all arrive."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, FB_AS, hold=30)
    conf = peers.fastbgp_neighbor(
        peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1", hold_time=30,
        routes=["route 10.64.0.0/10 next-hop 192.0.2.1 community [ 65001:1 ] split /24;",
                "route 2001:db8::/34 next-hop 2001:db8::1 med 5 split /48;"])
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    if kind == "bird":
        counts = wait_until(lambda: peer.imported() == {"ipv4": 16384, "ipv6": 16384} and peer.imported(),
                            20, "BIRD to import 16384+16384 routes", interval=0.5)
    else:
        def count():
            out = {}
            for fam in ("ipv4", "ipv6"):
                text = peer.cli("global", "rib", "summary", "-a", fam)
                m = peers.re.search(r"Destination:\s*(\d+)", text)
                out[fam] = int(m.group(1)) if m else None
            return out
        counts = wait_until(lambda: count() == {"ipv4": 16384, "ipv6": 16384} and count(), 20,
                            "GoBGP to hold 16384+16384 routes", interval=0.5)
    assert counts == {"ipv4": 16384, "ipv6": 16384}
    assert fb.is_established(peer_addr)


# ------------------------------------------------- routes from the peer

@pytest.mark.bird
def test_routes_from_bird_accepted(lab):
    """BIRD exports routes to fastbgp (which announces its own): fastbgp takes
    the UPDATEs without complaint and the session stays up."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = peers.Bird(lab, peer_addr, PEER_AS, port=port)
    bird.add_static(
        ["10.250.0.0/24", "10.250.1.0/24 blackhole { bgp_med = 7; bgp_community.add((65000,1)); "
         "bgp_large_community.add((65000,1,2)); }"],
        ["2001:db8:250::/48", "2001:db8:251::/48 blackhole { bgp_community.add((65000,2)); }"])
    bird.add_neighbor(fb_addr, FB_AS, export=True)
    bird.start()
    route = Expect("10.85.0.0/24", "192.0.2.85", as_path_seen=[FB_AS])
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[route])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    wait_until(lambda: bird.export_stats() == {"ipv4": 2, "ipv6": 2}, 10,
               "BIRD to export its 2+2 routes (%r)" % bird.export_stats())
    stays(lambda: bird.established(fb_addr), 3, "session")
    check_routes([route], received(bird, [route]), fb_addr)
    assert not fb.grep(r"sending NOTIFICATION"), fb.grep("NOTIFICATION")
    assert not fb.grep(r"treated as withdraw|malformed"), fb.grep(r"withdraw|malformed")
    assert fb.established_count(peer_addr) == 1


@pytest.mark.gobgp
def test_routes_from_gobgp_accepted(lab):
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    gobgp = start_peer(lab, "gobgp", peer_addr, PEER_AS, port, fb_addr, FB_AS)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[Expect("10.86.0.0/24", "192.0.2.86")])
    fb = lab.fastbgp(conf, port).start()
    gobgp.wait_established(fb_addr, timeout=15)
    gobgp.cli("global", "rib", "add", "-a", "ipv4", "10.251.0.0/24", "nexthop", "192.0.2.9",
              "med", "10", "community", "65000:1", "large-community", "65000:1:1",
              "aigp", "metric", "5")
    gobgp.cli("global", "rib", "add", "-a", "ipv6", "2001:db8:252::/48", "nexthop", "2001:db8::9",
              "community", "65000:2")
    def advertised():
        out = {}
        for fam in ("ipv4", "ipv6"):
            out.update(gobgp.cli("neighbor", fb_addr, "adj-out", "-a", fam, as_json=True) or {})
        return out
    adv = wait_until(lambda: len(advertised()) >= 2 and advertised(), 5,
                     "GoBGP to advertise its 2 routes to fastbgp")
    assert {"10.251.0.0/24", "2001:db8:252::/48"} <= set(adv), adv
    stays(lambda: gobgp.established(fb_addr), 4, "session")
    assert not fb.grep(r"sending NOTIFICATION"), fb.grep("NOTIFICATION")
    assert fb.established_count(peer_addr) == 1


# ----------------------------------------------------------------- timers

@pytest.mark.bird
def test_short_hold_time_negotiated(lab):
    """fastbgp hold-time 90, BIRD hold 3: the smaller one (3 s) is used and
    fastbgp's keepalives (every second) keep the session up."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = peers.Bird(lab, peer_addr, PEER_AS, port=port)
    bird.add_neighbor(fb_addr, FB_AS, hold=3)
    bird.start()
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  hold_time=90, routes=[Expect("10.87.0.0/24", "192.0.2.87")])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    assert peers.re.search(r"Hold timer:\s+[\d.]+/3\b", bird.cli("show protocols all p1")), \
        bird.cli("show protocols all p1")
    stays(lambda: bird.established(fb_addr), 8, "session with a 3 s hold time")
    assert fb.established_count(peer_addr) == 1, fb.transitions()
    assert not fb.grep(r"hold timer expired")


@pytest.mark.bird
def test_peer_admin_reset(lab):
    """BIRD disables then enables the session (Cease 6/2 to fastbgp): fastbgp
    connects again and sends its routes again."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = start_peer(lab, "bird", peer_addr, PEER_AS, port, fb_addr, FB_AS)
    route = Expect("10.88.0.0/24", "192.0.2.88", med=88, as_path_seen=[FB_AS])
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[route])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    check_routes([route], received(bird, [route]), fb_addr)
    bird.cli("disable p1")
    wait_until(lambda: fb.notifications_received(peer_addr), 5, "fastbgp to log BIRD's Cease")
    assert not bird.routes()
    bird.cli("enable p1")
    t0 = time.monotonic()
    bird.wait_established(fb_addr, timeout=15)
    fb.wait_established(peer_addr, count=2, timeout=5)
    check_routes([route], received(bird, [route]), fb_addr)
    print("re-established %.1fs after `enable`" % (time.monotonic() - t0))


@pytest.mark.bird
def test_peer_as_mismatch(lab):
    """Configured peer-as differs from the peer's AS: NOTIFICATION 2/2, no session."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = start_peer(lab, "bird", peer_addr, PEER_AS, port, fb_addr, FB_AS)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, 65099, router_id="10.0.0.1",
                                  routes=[Expect("10.89.0.0/24", "192.0.2.89")])
    fb = lab.fastbgp(conf, port).start()
    wait_until(lambda: fb.grep(r"sending NOTIFICATION 2/2"), 8, "fastbgp to send NOTIFICATION 2/2")
    wait_until(lambda: "Bad peer AS" in bird.log() or "bad peer as" in bird.log().lower(), 5,
               "BIRD to log the 2/2 it received")
    assert fb.established_count() == 0
    assert not bird.established(fb_addr)


# ----------------------------------------------------------- route refresh

@pytest.mark.parametrize("kind", kind_params(["bird", "frr"]))
def test_route_refresh(lab, kind):
    """With `capability { route-refresh; }`, a refresh request from the peer
    makes fastbgp send its routes again."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = start_peer(lab, kind, peer_addr, PEER_AS, port, fb_addr, FB_AS)
    routes = [Expect("10.90.0.0/24", "192.0.2.90", as_path_seen=[FB_AS]),
              Expect("10.90.1.0/24", "192.0.2.90", as_path_seen=[FB_AS]),
              Expect("2001:db8:90::/48", "2001:db8::90", as_path_seen=[FB_AS])]
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=routes, options=["capability { route-refresh; }"])
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    check_routes(routes, received(peer, routes), fb_addr)
    if kind == "bird":
        before = wait_until(lambda: peer.import_stats() == {"ipv4": 2, "ipv6": 1} and peer.import_stats(),
                            5, "BIRD import counters")
        peer.cli("reload in p1")
        after = wait_until(lambda: peer.import_stats() == {"ipv4": 4, "ipv6": 2} and peer.import_stats(),
                           10, "BIRD to receive every route a second time (%r)" % before)
        assert after == {"ipv4": 4, "ipv6": 2}
    else:
        peer.cli("clear bgp ipv4 unicast %s soft in" % fb_addr)
    wait_until(lambda: fb.grep(r"route refresh"), 5, "fastbgp to log the route refresh")
    assert fb.established_count(peer_addr) == 1


# -------------------------------------------------------- graceful restart

@pytest.mark.bird
@pytest.mark.slow
def test_graceful_restart_bird(lab):
    """fastbgp announces graceful restart: when it dies (SIGKILL), BIRD keeps
    its routes as stale; when fastbgp comes back, the session and routes are
    there again."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = start_peer(lab, "bird", peer_addr, PEER_AS, port, fb_addr, FB_AS,
                      extra=["graceful restart on"])
    route = Expect("10.91.0.0/24", "192.0.2.91", as_path_seen=[FB_AS])
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[route], options=["capability { graceful-restart 30; }"])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    check_routes([route], received(bird, [route]), fb_addr)
    assert "Graceful restart" in bird.cli("show protocols all p1").split("Neighbor capabilities")[1]
    fb.kill()
    time.sleep(2)
    assert "10.91.0.0/24" in bird.routes(), "BIRD dropped the route: graceful restart not honoured"
    fb.start()
    bird.wait_established(fb_addr, timeout=15)
    check_routes([route], received(bird, [route]), fb_addr)


@pytest.mark.bird
def test_no_graceful_restart_routes_flushed(lab):
    """Control for the test above: without the capability BIRD drops the routes at once."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = start_peer(lab, "bird", peer_addr, PEER_AS, port, fb_addr, FB_AS,
                      extra=["graceful restart on"])
    route = Expect("10.92.0.0/24", "192.0.2.92", as_path_seen=[FB_AS])
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[route])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    check_routes([route], received(bird, [route]), fb_addr)
    fb.kill()
    wait_until(lambda: "10.92.0.0/24" not in bird.routes(), 5, "BIRD to flush the route")


# ----------------------------------------------------- shutdown and once

@pytest.mark.bird
def test_clean_shutdown(lab):
    """SIGTERM: Cease 6/2 (Administrative Shutdown) to the peer, exit code 0."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = start_peer(lab, "bird", peer_addr, PEER_AS, port, fb_addr, FB_AS)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[Expect("10.93.0.0/24", "192.0.2.93")])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    t0 = time.monotonic()
    rc = fb.stop(timeout=5)
    took = time.monotonic() - t0
    assert rc == 0, "fastbgp exited %s after SIGTERM" % rc
    assert took < 3, "fastbgp took %.1fs to stop" % took
    wait_until(lambda: "Administrative shutdown" in bird.log(), 5,
               "BIRD to log the Cease / Administrative shutdown it received")
    assert not fb.sanitizer_errors(), fb.sanitizer_errors()


def test_tcp_once_gives_up(lab):
    """exabgp.tcp.once=true and nobody listening: one attempt, then fastbgp exits."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = peers.closed_port(peer_addr)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[Expect("10.94.0.0/24", "192.0.2.94")])
    fb = lab.fastbgp(conf, port, env={"exabgp_tcp_once": "true"})
    fb._spawn([peers.fastbgp_binary(), fb.conf_path], env=fb.env())
    try:
        fb.proc.wait(10)
    except peers.subprocess.TimeoutExpired:
        raise AssertionError("fastbgp still running 10 s after its only attempt failed:\n"
                             + fb.log()[-2000:])
    assert len(fb.grep(r"connecting to port")) == 1, fb.grep(r"connecting")
