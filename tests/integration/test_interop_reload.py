"""Configuration reload (SIGUSR1) with real peers: route deltas without a
session reset, neighbors added, removed (Cease 6/3) and changed (Cease 6/6),
and a broken file that leaves the running configuration alone."""

import signal
import time

import pytest

import peers
from peers import Expect, check_routes, stays, wait_until

FB_AS = 65001
PEER_AS = 65000


def kind_params(kinds):
    return [pytest.param(k, id=k, marks=getattr(pytest.mark, k)) for k in kinds]


def reload(fb, text):
    with open(fb.conf_path, "w") as f:
        f.write(text)
    before = len(fb.grep(r"reload"))
    fb.signal(signal.SIGUSR1)
    wait_until(lambda: len(fb.grep(r"reload")) > before, 5, "fastbgp to log the reload")


A = Expect("10.95.1.0/24", "192.0.2.95", med=1, as_path_seen=[FB_AS])
B1 = Expect("10.95.2.0/24", "192.0.2.95", med=2, communities=["65001:2"], as_path_seen=[FB_AS])
B2 = Expect("10.95.2.0/24", "192.0.2.96", med=22, communities=["65001:22"], as_path_seen=[FB_AS])
C = Expect("2001:db8:95::/48", "2001:db8::95", med=3, as_path_seen=[FB_AS])


@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp"]))
def test_reload_route_delta(lab, kind):
    """Routes A,B -> B' (new attributes), C: A is withdrawn, B replaced, C
    announced, and the session is not reset."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    cls = {"bird": peers.Bird, "gobgp": peers.Gobgp}[kind]
    peer = cls(lab, peer_addr, PEER_AS, port=port)
    peer.add_neighbor(fb_addr, FB_AS)
    peer.start()
    conf = lambda routes: peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS,  # noqa: E731
                                                 router_id="10.0.0.1", routes=routes)
    fb = lab.fastbgp(conf([A, B1]), port).start()
    peer.wait_established(fb_addr, timeout=15)
    check_routes([A, B1], wait_until(lambda: {A.prefix, B1.prefix} <= set(peer.routes()) and peer.routes(),
                                     10, "the first routes"), fb_addr)
    reload(fb, conf([B2, C]))

    def converged():
        r = peer.routes()
        ok = (A.prefix not in r and C.prefix in r and B2.prefix in r
              and r[B2.prefix].med == B2.med)
        return ok and r
    routes = wait_until(converged, 10, "%s to see A withdrawn, B changed, C added (%r)"
                        % (kind, peer.routes()))
    check_routes([B2, C], routes, fb_addr)
    assert peer.established(fb_addr)
    assert fb.established_count(peer_addr) == 1, fb.transitions()
    assert not fb.notifications_received(), fb.notifications_received()


@pytest.mark.bird
def test_reload_neighbors_added_removed_changed(lab):
    """Three neighbors towards one BIRD (three fastbgp local addresses):
    after the reload, n1 is unchanged (no reset), n2 is removed (BIRD gets
    Cease 6/3), n3's hold time changed (Cease 6/6, re-established with the new
    value) and n4 is new."""
    bird_addr = lab.addr(1)
    port = lab.port(bird_addr)
    locals_ = {n: lab.addr(10 + n) for n in (1, 2, 3, 4)}
    bird = peers.Bird(lab, bird_addr, PEER_AS, port=port)
    for n, addr in locals_.items():
        bird.add_neighbor(addr, FB_AS, name="n%d" % n, hold=30, ipv6=False)
    bird.start()

    def block(n, hold=30):
        return peers.fastbgp_neighbor(bird_addr, locals_[n], FB_AS, PEER_AS, hold_time=hold,
                                      families=("ipv4 unicast",),
                                      routes=["route 10.96.%d.0/24 next-hop 192.0.2.1;" % n])
    fb = lab.fastbgp(block(1) + block(2) + block(3), port).start()
    for n in (1, 2, 3):
        bird.wait_established("n%d" % n, timeout=15)
    reload(fb, block(1) + block(3, hold=20) + block(4))
    bird.wait_established("n4", timeout=15)
    wait_until(lambda: peers.re.search(r"n2: Received: Peer de-configured", bird.log(), peers.re.I), 10,
               "BIRD n2 to receive Cease 6/3 (Peer de-configured)")
    wait_until(lambda: peers.re.search(r"n3: Received: .*configuration change", bird.log(), peers.re.I), 10,
               "BIRD n3 to receive Cease 6/6 (Other configuration change)")
    wait_until(lambda: bird.established("n3") and peers.re.search(
        r"Hold timer:\s+[\d.]+/20\b", bird.cli("show protocols all n3")), 15,
        "n3 back up with hold time 20")
    stays(lambda: not bird.established("n2"), 3, "n2 down")
    assert bird.established("n1")
    assert not peers.re.search(r"n1: Received", bird.log()), "n1 was reset by the reload"
    routes = bird.routes()
    assert "10.96.2.0/24" not in routes and {"10.96.1.0/24", "10.96.3.0/24", "10.96.4.0/24"} <= set(routes), \
        sorted(routes)


@pytest.mark.bird
def test_reload_broken_file_keeps_running(lab):
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = peers.Bird(lab, peer_addr, PEER_AS, port=port)
    bird.add_neighbor(fb_addr, FB_AS)
    bird.start()
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[A])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    wait_until(lambda: A.prefix in bird.routes(), 10, "the route")
    reload(fb, conf.replace("hold-time 6;", "hold-time 6") + "neighbor {\n")
    wait_until(lambda: fb.grep(r"reload failed"), 5, "fastbgp to log that the reload failed")
    time.sleep(1)
    stays(lambda: bird.established(fb_addr), 2, "session")
    assert A.prefix in bird.routes()
    assert fb.running() and fb.established_count(peer_addr) == 1
