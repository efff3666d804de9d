"""Dead and misbehaving peers: SIGKILL and restart, a frozen peer (hold
timer), an OPEN with router-id 0.0.0.0."""

import signal
import socket
import struct
import sys
import time

import pytest

import peers
from peers import Expect, check_routes, wait_until

sys.path.insert(0, peers.os.path.join(peers.REPO, "tests", "conformance"))
import bgp_peer  # noqa: E402  (tests/conformance/bgp_peer.py)

FB_AS = 65001
PEER_AS = 65000
HOLD = 6
ROUTE = Expect("10.71.0.0/24", "192.0.2.71", med=71, communities=["65001:71"], as_path_seen=[FB_AS])


def kind_params(kinds):
    return [pytest.param(k, id=k, marks=getattr(pytest.mark, k)) for k in kinds]


def make_peer(lab, kind, addr, port, fb_addr):
    cls = {"bird": peers.Bird, "gobgp": peers.Gobgp}[kind]
    p = cls(lab, addr, PEER_AS, port=port)
    p.add_neighbor(fb_addr, FB_AS, hold=HOLD)
    return p


def has_route(peer, fb_addr):
    routes = wait_until(lambda: "10.71.0.0/24" in peer.routes() and peer.routes(), 10,
                        "%s to receive 10.71.0.0/24" % peer.kind)
    check_routes([ROUTE], routes, fb_addr)


def left_established(fb, peer_addr):
    """True once fastbgp logged a transition out of ESTABLISHED."""
    return any(old == "ESTABLISHED" for _, old, _ in fb.transitions(peer_addr))


@pytest.mark.slow
@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp"]))
def test_peer_sigkill_and_restart(lab, kind):
    """The peer dies (SIGKILL): fastbgp notices (the kernel closes the socket,
    or at the latest the hold timer expires), keeps retrying, and the session
    and routes come back when the peer is started again."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    peer = make_peer(lab, kind, peer_addr, port, fb_addr).start()
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  hold_time=HOLD, routes=[ROUTE])
    fb = lab.fastbgp(conf, port).start()
    peer.wait_established(fb_addr, timeout=15)
    fb.wait_established(peer_addr, timeout=5)
    peer.kill()
    t_kill = time.monotonic()
    wait_until(lambda: left_established(fb, peer_addr), HOLD + 3,
               "fastbgp to notice the dead peer (within the hold time)")
    noticed = time.monotonic() - t_kill
    time.sleep(1)
    peer.start()
    peer.wait_established(fb_addr, timeout=15)
    fb.wait_established(peer_addr, timeout=5, count=2)
    has_route(peer, fb_addr)
    print("fastbgp noticed the dead peer after %.1fs" % noticed)


@pytest.mark.slow
@pytest.mark.bird
def test_frozen_peer_hold_timer(lab):
    """The peer stops answering but its socket stays open (SIGSTOP): fastbgp's
    hold timer expires (NOTIFICATION 4/0) after about hold-time seconds; once the
    peer runs again the session is re-established."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = make_peer(lab, "bird", peer_addr, port, fb_addr).start()
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  hold_time=HOLD, routes=[ROUTE])
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    fb.wait_established(peer_addr, timeout=5)
    bird.signal(signal.SIGSTOP)
    t_stop = time.monotonic()
    try:
        wait_until(lambda: fb.grep(r"hold timer expired"), HOLD + 3,
                   "fastbgp's hold timer to expire (hold time %d s)" % HOLD)
        expired_after = time.monotonic() - t_stop
        assert expired_after >= HOLD - 2.5, "hold timer expired after only %.1fs" % expired_after
        assert fb.grep(r"sending NOTIFICATION 4/0"), fb.grep("NOTIFICATION")
    finally:
        bird.signal(signal.SIGCONT)
    bird.wait_established(fb_addr, timeout=20)
    fb.wait_established(peer_addr, timeout=5, count=2)
    has_route(bird, fb_addr)


def _recv_message(reader, timeout):
    raw = reader.read(timeout)
    return raw


@pytest.mark.parametrize("direction", ["fastbgp-connects", "fastbgp-listens"])
def test_router_id_zero_refused(lab, direction):
    """An OPEN with BGP identifier 0.0.0.0 gets NOTIFICATION 2/3 (Bad BGP Identifier)."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    if direction == "fastbgp-connects":
        port = lab.port(peer_addr)
        scripted = lab.scripted_peer(peer_addr, port)
        conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                      routes=[ROUTE])
        fb = lab.fastbgp(conf, port).start()
        scripted.accept(10)
        sock = scripted.conn
    else:
        port = lab.port(fb_addr)
        conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                      routes=[ROUTE], options=["passive"])
        fb = lab.fastbgp(conf, port, bind=[fb_addr]).start()
        wait_until(lambda: fb.grep(r"listening"), 5, "fastbgp to listen")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lab.closers.append(sock.close)
        sock.bind((peer_addr, 0))
        sock.settimeout(5)
        sock.connect((fb_addr, port))
    reader = bgp_peer.MessageReader(sock)
    sock.sendall(bgp_peer.build_open(PEER_AS, 90, "0.0.0.0", bgp_peer.standard_capabilities(PEER_AS)))
    seen = []
    notification = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        raw = reader.read(max(0.1, deadline - time.monotonic()))
        if raw is None:
            break
        seen.append(bgp_peer.describe(raw))
        if bgp_peer.msg_type(raw) == bgp_peer.NOTIFICATION:
            notification = raw
            break
    assert notification is not None, "no NOTIFICATION; got %r" % seen
    code, sub = struct.unpack("!BB", notification[19:21])
    assert (code, sub) == (2, 3), "expected NOTIFICATION 2/3, got %d/%d (%r)" % (code, sub, seen)
    assert fb.established_count() == 0, fb.transitions()
