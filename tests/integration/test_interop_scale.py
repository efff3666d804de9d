"""Many neighbors in one fastbgp process against one GoBGP (dynamic neighbors)."""

import time

import pytest

import peers
from peers import wait_until

FB_AS = 65001
PEER_AS = 65000
COUNT = 100


@pytest.mark.gobgp
@pytest.mark.slow
def test_100_neighbors_gobgp(lab):
    """100 `neighbor` blocks, each from its own 127.A.C.i local address (router-id
    = that address), all towards one GoBGP that accepts the range as dynamic
    neighbors. Every session reaches Established and each neighbor's route
    arrives."""
    gobgp_addr = lab.addr(1)
    src = lab.extra_block()  # "127.A.C."
    port = lab.port(gobgp_addr)
    gobgp = peers.Gobgp(lab, gobgp_addr, PEER_AS, port=port)
    gobgp.add_dynamic_neighbors(src + "0/24", FB_AS, hold=30)
    gobgp.start()
    blocks = []
    for i in range(1, COUNT + 1):
        blocks.append(peers.fastbgp_neighbor(
            gobgp_addr, src + str(i), FB_AS, PEER_AS, hold_time=30, families=("ipv4 unicast",),
            routes=["route 10.%d.%d.0/24 next-hop 192.0.2.1 community [ 65001:%d ];"
                    % (100 + i // 256, i % 256, i)]))
    fb = lab.fastbgp("".join(blocks), port).start()
    t0 = time.monotonic()
    wait_until(lambda: gobgp.established_count() >= COUNT, 25,
               "GoBGP to see %d established dynamic neighbors" % COUNT, interval=0.5)
    up = time.monotonic() - t0

    def all_routes():
        data = gobgp.cli("global", "rib", "-a", "ipv4", as_json=True) or {}
        return len(data) >= COUNT and data
    data = wait_until(all_routes, 10, "GoBGP to hold %d routes" % COUNT, interval=0.5)
    assert len(data) == COUNT, sorted(data)[:10]
    assert fb.established_count() == COUNT, "fastbgp logged %d sessions reaching ESTABLISHED" \
        % fb.established_count()
    assert not fb.notifications_received(), fb.notifications_received()[:5]
    print("%d sessions up in %.1fs" % (COUNT, up))


@pytest.mark.bird
@pytest.mark.slow
def test_100_neighbors_bird(lab):
    """The same with BIRD: 100 `protocol bgp` blocks. Each BIRD protocol has
    its own local address (127.A.D.i, all on one port), so that 100
    simultaneous connections do not all hit one BIRD listening socket, whose
    backlog is 8: with one address, some handshakes are dropped by the kernel
    and those sessions only come up after TCP retransmissions (tens of
    seconds), which says nothing about fastbgp."""
    src, dst = lab.extra_block(), lab.extra_block()
    port = lab.port(dst + "1")
    bird = peers.Bird(lab, dst + "1", PEER_AS, port=port)
    blocks = []
    for i in range(1, COUNT + 1):
        bird.add_neighbor(src + str(i), FB_AS, name="n%d" % i, hold=30, ipv6=False,
                          local_addr=dst + str(i))
        blocks.append(peers.fastbgp_neighbor(
            dst + str(i), src + str(i), FB_AS, PEER_AS, hold_time=30, families=("ipv4 unicast",),
            routes=["route 10.%d.%d.0/24 next-hop 192.0.2.1;" % (100 + i // 256, i % 256)]))
    bird.start()
    fb = lab.fastbgp("".join(blocks), port).start()
    wait_until(lambda: len(bird.established_protocols()) >= COUNT, 25,
               "BIRD to have %d established protocols" % COUNT, interval=0.5)

    def route_count():
        m = peers.re.search(r"(\d+) of \d+ routes", bird.cli("show route count"))
        return int(m.group(1)) if m else 0
    wait_until(lambda: route_count() >= COUNT, 10, "BIRD to hold %d routes" % COUNT)
    assert fb.established_count() == COUNT
    assert not fb.notifications_received(), fb.notifications_received()[:5]
