"""fastbgp accepting connections (exabgp.tcp.bind set) and collisions (RFC 4271 6.8)."""

import signal
import socket
import sys
import time

import pytest

import peers
from peers import Expect, check_routes, stays, wait_until

sys.path.insert(0, peers.os.path.join(peers.REPO, "tests", "conformance"))
import bgp_peer  # noqa: E402  (tests/conformance/bgp_peer.py)

FB_AS = 65001
PEER_AS = 65000
pytestmark = pytest.mark.listen


def kind_params(kinds):
    return [pytest.param(k, id=k, marks=getattr(pytest.mark, k)) for k in kinds]


ROUTE = Expect("10.51.0.0/24", "192.0.2.51", med=51, communities=["65001:51"], as_path_seen=[FB_AS])


def active_peer(lab, kind, addr, listen_port, fb_addr, fb_port):
    """A peer that connects to fastbgp at fb_addr:fb_port (and listens on its own port)."""
    if kind == "exabgp":
        # ExaBGP's tcp.port is both its connect and its listen port
        p = peers.Exabgp(lab, addr, PEER_AS, port=fb_port)
        p.add_neighbor(fb_addr, FB_AS, passive=False)
        return p
    cls = {"bird": peers.Bird, "gobgp": peers.Gobgp, "frr": peers.Frr}[kind]
    p = cls(lab, addr, PEER_AS, port=listen_port)
    p.add_neighbor(fb_addr, FB_AS, passive=False, peer_port=fb_port)
    return p


def wait_route(peer, fb_addr, timeout=10):
    want = "10.51.0.0/24"
    routes = wait_until(lambda: want in peer.routes() and peer.routes(), timeout,
                        "%s to receive %s" % (peer.kind, want))
    check_routes([ROUTE], routes, fb_addr)


@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp", "frr", "exabgp"]))
def test_listen_passive_neighbor(lab, kind):
    """A `passive` neighbor: fastbgp only listens, the peer connects in."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    fb_port = lab.port(fb_addr)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[ROUTE], options=["passive"])
    fb = lab.fastbgp(conf, fb_port, bind=[fb_addr]).start()
    peer = active_peer(lab, kind, peer_addr, lab.port(peer_addr), fb_addr, fb_port).start()
    # GoBGP waits a random delay (up to ~10 s) before its first connection
    peer.wait_established(fb_addr, timeout=20)
    fb.wait_established(peer_addr, timeout=5)
    wait_route(peer, fb_addr)
    # passive: fastbgp never connected out
    assert not fb.grep(r"connecting to port"), fb.grep(r"connecting to port")
    conns = peers.established_connections(fb_addr, peer_addr)
    assert conns and all(lport == fb_port for lport, _ in conns), conns


@pytest.mark.parametrize("kind", kind_params(["bird", "gobgp"]))
def test_listen_active_neighbor_incoming(lab, kind):
    """A neighbor that is not passive but whose outgoing attempts are refused
    (its `connect` port is closed): the peer's incoming connection is accepted,
    and the session stays up while no further outgoing attempt disturbs it."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    fb_port = lab.port(fb_addr)
    dead_port = peers.closed_port(peer_addr)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[ROUTE], options=["connect %d" % dead_port])
    fb = lab.fastbgp(conf, fb_port, bind=[fb_addr]).start()
    peer = active_peer(lab, kind, peer_addr, lab.port(peer_addr), fb_addr, fb_port).start()
    # GoBGP waits a random delay (up to ~10 s) before its first connection
    peer.wait_established(fb_addr, timeout=20)
    fb.wait_established(peer_addr, timeout=5)
    wait_route(peer, fb_addr)
    stays(lambda: peer.established(fb_addr), 6, "%s session" % kind)
    assert fb.established_count(peer_addr) == 1, fb.transitions()


@pytest.mark.ipv6
@pytest.mark.bird
def test_listen_ipv6_bird(lab):
    """fastbgp listens on ::1; BIRD (also on ::1, another port) connects in."""
    if not peers.have_ipv6_loopback():
        pytest.skip("no IPv6 loopback")
    fb_port, bird_port = lab.port("::1"), lab.port("::1")
    conf = peers.fastbgp_neighbor("::1", "::1", FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[ROUTE], options=["passive"])
    fb = lab.fastbgp(conf, fb_port, bind=["::1"]).start()
    peer = active_peer(lab, "bird", "::1", bird_port, "::1", fb_port).start()
    peer.wait_established("::1", timeout=15)
    wait_route(peer, "::1")
    assert fb.is_established("::1"), fb.transitions()


def test_listen_unknown_peer_closed(lab):
    """A connection from an address that is not a configured neighbor is
    closed without an OPEN from fastbgp, and logged."""
    fb_addr, peer_addr, stranger = lab.addr(1), lab.addr(2), lab.addr(9)
    fb_port = lab.port(fb_addr)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[ROUTE], options=["passive"])
    fb = lab.fastbgp(conf, fb_port, bind=[fb_addr]).start()
    wait_until(lambda: fb.grep(r"listening"), 5, "fastbgp to log that it listens")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((stranger, 0))
        s.settimeout(5)
        s.connect((fb_addr, fb_port))
        s.sendall(bgp_peer.build_open(PEER_AS, 90, "10.9.9.9", bgp_peer.standard_capabilities(PEER_AS)))
        data, closed = b"", False
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(4096)
            except socket.timeout:
                continue
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
    finally:
        s.close()
    assert closed, "fastbgp kept the connection from %s open (received %r)" % (stranger, data)
    reader_types = []
    while len(data) >= 19:
        length = int.from_bytes(data[16:18], "big")
        reader_types.append(data[18])
        data = data[length:]
    assert bgp_peer.OPEN not in reader_types, "fastbgp sent an OPEN to an unknown peer"
    wait_until(lambda: fb.grep(stranger), 5, "fastbgp to log the refused connection from %s" % stranger)


@pytest.mark.bird
@pytest.mark.parametrize("higher", ["fastbgp-higher-id", "bird-higher-id"])
def test_collision_bird(lab, higher):
    """Both sides connect at once (BIRD active, fastbgp active and listening):
    exactly one session survives, the one opened by the higher router-id.

    The collision is forced: fastbgp starts while BIRD is not up (its first
    attempt is refused), is frozen (SIGSTOP) while BIRD starts and connects in
    and sends its OPEN, then resumed after its connect-retry delay, so that it
    connects out while BIRD's incoming connection waits: both sides then hold
    two connections in OpenSent."""
    fb_addr, bird_addr = lab.addr(1), lab.addr(2)
    port = lab.port(fb_addr)  # same port on both addresses: tcp.port is connect and listen port
    fb_id, bird_id = ("10.0.0.9", "10.0.0.2") if higher == "fastbgp-higher-id" else ("10.0.0.1", "10.0.0.9")
    conf = peers.fastbgp_neighbor(bird_addr, fb_addr, FB_AS, PEER_AS, router_id=fb_id, routes=[ROUTE])
    bird = peers.Bird(lab, bird_addr, PEER_AS, router_id=bird_id, port=port)
    bird.add_neighbor(fb_addr, FB_AS, passive=False, peer_port=port, extra=["debug { states, events, packets }"])
    fb = lab.fastbgp(conf, port, bind=[fb_addr]).start()
    wait_until(lambda: fb.grep(r"connection failed|refused"), 5,
               "fastbgp's first outgoing attempt to fail (BIRD is not up yet)")
    t_refused = time.monotonic()
    fb.signal(signal.SIGSTOP)
    try:
        bird.start()
        # BIRD's connection sits in fastbgp's accept queue, BIRD waits in OpenSent
        wait_until(lambda: peers.established_connections(bird_addr, fb_addr), 8,
                   "BIRD to connect to the frozen fastbgp")
        time.sleep(max(0.0, 6.0 - (time.monotonic() - t_refused)))
    finally:
        fb.signal(signal.SIGCONT)
    bird.wait_established(fb_addr, timeout=15)
    fb.wait_established(bird_addr, timeout=5)
    time.sleep(3)  # let the losing connection be closed
    stays(lambda: bird.established(fb_addr), 3, "BIRD session")
    conns = peers.established_connections(fb_addr, bird_addr)
    assert len(conns) == 1, "expected exactly one TCP connection, got %r" % conns
    fb_lport, fb_rport = conns[0]
    kept_ours = fb_rport == port  # fastbgp's outgoing connection survived
    kept_theirs = fb_lport == port
    assert kept_ours or kept_theirs, conns
    resolved = fb.grep(r"collision, keeping|incoming connection while established")
    assert resolved, "no collision was seen by fastbgp: the test did not force one"
    if fb.grep(r"collision, keeping"):
        # resolved by router-id (RFC 4271 6.8): the higher id's connection stays
        want_ours = higher == "fastbgp-higher-id"
        assert kept_ours == want_ours, (
            "%s: the connection opened by the higher router-id should survive; fastbgp kept "
            "local %d remote %d\n%s" % (higher, fb_lport, fb_rport, "\n".join(resolved)))
    else:
        # fastbgp's own connection reached Established before it read the OPEN
        # waiting on the incoming one: the newer connection is closed (6/7).
        assert kept_ours, (fb_lport, fb_rport, resolved)
    assert fb.is_established(bird_addr), fb.transitions()
    wait_route(bird, fb_addr)
    print("collision resolution:", resolved)


@pytest.mark.gobgp
def test_both_active_gobgp(lab):
    """Unforced variant with GoBGP: both sides active and listening, started together."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(fb_addr)
    conf = peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[ROUTE])
    gobgp = peers.Gobgp(lab, peer_addr, PEER_AS, router_id="10.0.0.2", port=port)
    gobgp.add_neighbor(fb_addr, FB_AS, passive=False, peer_port=port)
    gobgp.start()
    fb = lab.fastbgp(conf, port, bind=[fb_addr]).start()
    gobgp.wait_established(fb_addr, timeout=15)
    time.sleep(3)
    stays(lambda: gobgp.established(fb_addr), 3, "GoBGP session")
    conns = peers.established_connections(fb_addr, peer_addr)
    assert len(conns) == 1, "expected exactly one TCP connection, got %r" % conns
    assert fb.is_established(peer_addr), fb.transitions()
    wait_route(gobgp, fb_addr)
