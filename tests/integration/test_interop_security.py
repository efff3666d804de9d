"""TCP MD5 (md5-password) and TTL (outgoing-ttl / incoming-ttl, GTSM) with BIRD."""

import time

import pytest

import peers
from peers import Expect, check_routes, wait_until

FB_AS = 65001
PEER_AS = 65000
pytestmark = pytest.mark.bird

ROUTE = Expect("10.61.0.0/24", "192.0.2.61", med=61, as_path_seen=[FB_AS])


TRANSPORTS = [pytest.param("ipv4", id="ipv4"), pytest.param("ipv6", id="ipv6", marks=pytest.mark.ipv6)]


def start_pair(lab, bird_kw=None, fb_options=(), listen=False, transport="ipv4"):
    """BIRD on addr(2), fastbgp on addr(1) (both on ::1 for IPv6). By default
    fastbgp connects out to a passive BIRD; with listen=True fastbgp listens
    (passive neighbor) and BIRD connects in."""
    if transport == "ipv6":
        if not peers.have_ipv6_loopback():
            pytest.skip("no IPv6 loopback")
        fb_addr = bird_addr = "::1"
    else:
        fb_addr, bird_addr = lab.addr(1), lab.addr(2)
    bird_port, fb_port = lab.port(bird_addr), lab.port(fb_addr)
    bird = peers.Bird(lab, bird_addr, PEER_AS, port=bird_port)
    kw = dict(bird_kw or {})
    if listen:
        kw.update(passive=False, peer_port=fb_port)
    bird.add_neighbor(fb_addr, FB_AS, **kw)
    bird.start()
    options = list(fb_options) + (["passive"] if listen else [])
    conf = peers.fastbgp_neighbor(bird_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=[ROUTE], options=options)
    if listen:
        fb = lab.fastbgp(conf, fb_port, bind=[fb_addr]).start()
    else:
        fb = lab.fastbgp(conf, bird_port).start()
    return fb, bird, fb_addr, bird_addr


def never_established(fb, bird, fb_addr, seconds, check_fastbgp=True):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert not bird.established(fb_addr), "BIRD reached Established"
        if check_fastbgp:
            assert fb.established_count() == 0, fb.transitions()
        time.sleep(0.5)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_md5_matching_password(lab, transport):
    fb, bird, fb_addr, _ = start_pair(lab, {"password": "s3cret-Key"}, ["md5-password s3cret-Key"], transport=transport)
    bird.wait_established(fb_addr, timeout=15)
    check_routes([ROUTE], wait_until(lambda: "10.61.0.0/24" in bird.routes() and bird.routes(), 10,
                                     "BIRD to receive the route"), fb_addr)


@pytest.mark.listen
def test_md5_matching_password_listening(lab):
    """Same, with BIRD connecting to fastbgp's listening socket (MD5 key on the listener)."""
    fb, bird, fb_addr, _ = start_pair(lab, {"password": "s3cret-Key"}, ["md5-password s3cret-Key"],
                                 listen=True)
    bird.wait_established(fb_addr, timeout=15)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_md5_wrong_password(lab, transport):
    """Mismatched keys: the kernel drops the segments, the session never comes
    up, and fastbgp's log says that MD5 is the likely cause."""
    fb, bird, fb_addr, bird_addr = start_pair(lab, {"password": "right-one"}, ["md5-password wrong-one"], transport=transport)
    never_established(fb, bird, fb_addr, 6)
    wait_until(lambda: fb.grep(r"md5|authenticat"), 20,
               "fastbgp to log that TCP MD5 (authentication) is the likely cause")


def test_md5_missing_on_fastbgp(lab):
    """BIRD requires MD5, fastbgp has none configured: no session."""
    fb, bird, fb_addr, _ = start_pair(lab, {"password": "right-one"}, [])
    never_established(fb, bird, fb_addr, 6)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_gtsm_outgoing_and_incoming_ttl(lab, transport):
    """BIRD with `ttl security on` (GTSM, RFC 5082: sends TTL 255, accepts only
    255): fastbgp with outgoing-ttl 255 and incoming-ttl 255 establishes."""
    fb, bird, fb_addr, _ = start_pair(lab, {"ttl_security": True, "multihop": "multihop 1"},
                                 ["outgoing-ttl 255", "incoming-ttl 255"], transport=transport)
    bird.wait_established(fb_addr, timeout=15)


def test_gtsm_without_outgoing_ttl(lab):
    """Control for the test above: without outgoing-ttl fastbgp's packets carry
    the default TTL (64) and BIRD's GTSM drops them."""
    fb, bird, fb_addr, _ = start_pair(lab, {"ttl_security": True, "multihop": "multihop 1"}, [])
    # Only BIRD's view: BIRD sets IP_MINTTL on the accepted socket after the
    # handshake, so fastbgp's first OPEN (TTL 64) can slip in and fastbgp may
    # briefly see OPENCONFIRM -> ESTABLISHED; BIRD never gets further.
    never_established(fb, bird, fb_addr, 6, check_fastbgp=False)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_incoming_ttl_drops_low_ttl_peer(lab, transport):
    """fastbgp incoming-ttl 255 (IP_MINTTL), BIRD sends TTL 2 (multihop 2):
    BIRD's packets are dropped, the session never comes up."""
    fb, bird, fb_addr, _ = start_pair(lab, {"multihop": "multihop 2"}, ["incoming-ttl 255"], transport=transport)
    never_established(fb, bird, fb_addr, 6)


def test_outgoing_ttl_reaches_peer(lab):
    """fastbgp outgoing-ttl 255 alone (no GTSM on fastbgp's side) towards a
    BIRD that checks TTL 255 on what it receives but itself sends TTL 255."""
    fb, bird, fb_addr, _ = start_pair(lab, {"ttl_security": True, "multihop": "multihop 1"},
                                 ["outgoing-ttl 255"])
    bird.wait_established(fb_addr, timeout=15)
