"""Graceful Restart, fastbgp as the restarting speaker (RFC 4724 4.1), with
BIRD 2 and FRR 8 as receiving speakers.

fastbgp advertises the capability (restart time, R bit and F bit for every
family, as ExaBGP 4.2) and sends End-of-RIB after its initial table.  When
it is killed (SIGKILL: no Cease), the peers keep its routes, marked stale;
when it comes back with the same configuration, the routes are refreshed
and no longer stale; a route it no longer announces after the restart is
swept at its End-of-RIB.  A planned restart (SIGTERM) closes without a
Cease when the capability is negotiated, with the same effect.  Without the
capability, the routes go at once.
"""

import json
import os
import re
import sys

import pytest

import peers
from peers import Expect, check_routes, stays, wait_until

FB_AS = 65001
PEER_AS = 65000
RESTART_TIME = 60
ROUTE_A = Expect("10.93.1.0/24", "192.0.2.93", as_path_seen=[FB_AS])
ROUTE_B = Expect("10.93.2.0/24", "192.0.2.93", as_path_seen=[FB_AS])
ROUTE_6 = Expect("2001:db8:93::/48", "2001:db8::93", as_path_seen=[FB_AS])


def need(kind):
    missing = peers.missing_binaries(kind)
    if missing:
        pytest.skip("%s is not installed" % kind)


class GracefulFrr(peers.Frr):
    """FRR bgpd with `bgp graceful-restart` (helper and restarting modes)."""

    def config(self):
        text = super().config()
        return text.replace(" timers bgp 3 9\n", " timers bgp 3 9\n bgp graceful-restart\n", 1)

    def paths(self, prefix):
        fam = "ipv6" if ":" in prefix else "ipv4"
        return self.cli("show bgp %s unicast %s json" % (fam, prefix), as_json=True).get("paths", [])

    def stale(self, prefix):
        """True / False for the route's stale flag, None when it is absent."""
        paths = self.paths(prefix)
        return bool(paths[0].get("stale")) if paths else None


def bird_gr_active(bird):
    """BIRD's protocol says it keeps the neighbor's routes as stale."""
    return "Neighbor graceful restart active" in bird.cli("show protocols all p1")


def fastbgp_conf(lab, peer_addr, fb_addr, routes, graceful=True):
    options = ["capability { graceful-restart %d; }" % RESTART_TIME] if graceful else []
    return peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                  routes=routes, options=options)


def received(peer, prefixes, timeout=15):
    return wait_until(lambda: set(prefixes) <= set(peer.routes()) and peer.routes(), timeout,
                      "%s to have %s" % (peer.kind, sorted(prefixes)))


@pytest.mark.bird
@pytest.mark.slow
def test_bird_keeps_stale_routes_across_a_fastbgp_restart(lab):
    need("bird")
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = lab.bird(peer_addr, PEER_AS, port=port)
    bird.add_neighbor(fb_addr, FB_AS, extra=["graceful restart on"])
    bird.start()
    all_routes = [ROUTE_A, ROUTE_B, ROUTE_6]
    fb = lab.fastbgp(fastbgp_conf(lab, peer_addr, fb_addr, all_routes), port).start()
    bird.wait_established(fb_addr, timeout=15)
    check_routes(all_routes, received(bird, [r.prefix for r in all_routes]), fb_addr)
    proto = bird.cli("show protocols all p1")
    assert "Graceful restart" in proto.split("Neighbor capabilities")[1], proto

    fb.kill()  # no Cease: a crash
    wait_until(lambda: bird_gr_active(bird), 10, "BIRD to start its graceful restart for fastbgp")
    stays(lambda: {r.prefix for r in all_routes} <= set(bird.routes()), 3,
          "BIRD to keep fastbgp's routes while it restarts")
    # BIRD 2.0 shows no per-route stale flag; its protocol says it holds them.
    assert re.search(r"Restart timer:\s+\d", bird.cli("show protocols all p1"))

    # Back with the same configuration: routes refreshed, End-of-RIB ends
    # BIRD's graceful restart, nothing stale any more.
    fb.start()
    bird.wait_established(fb_addr, timeout=20)
    wait_until(lambda: not bird_gr_active(bird), 15, "BIRD to end its graceful restart (our End-of-RIB)")
    check_routes(all_routes, received(bird, [r.prefix for r in all_routes]), fb_addr)

    # A planned restart (SIGTERM): with Graceful Restart negotiated fastbgp
    # closes without a Cease, so BIRD keeps the routes as for a crash.
    assert fb.stop() == 0
    wait_until(lambda: bird_gr_active(bird), 10, "BIRD's graceful restart after SIGTERM")
    assert {r.prefix for r in all_routes} <= set(bird.routes())
    fb.start()
    wait_until(lambda: not bird_gr_active(bird), 20, "BIRD to end its graceful restart")
    check_routes(all_routes, received(bird, [r.prefix for r in all_routes]), fb_addr)

    # Killed again, back without ROUTE_B: BIRD sweeps it at our End-of-RIB.
    fb.kill()
    wait_until(lambda: bird_gr_active(bird), 10, "BIRD's second graceful restart")
    assert ROUTE_B.prefix in bird.routes()
    fb2 = lab.fastbgp(fastbgp_conf(lab, peer_addr, fb_addr, [ROUTE_A, ROUTE_6]), port, name="fastbgp2").start()
    wait_until(lambda: not bird_gr_active(bird), 20, "BIRD to end its graceful restart")
    wait_until(lambda: ROUTE_B.prefix not in bird.routes(), 5, "BIRD to sweep the route not announced again")
    check_routes([ROUTE_A, ROUTE_6], received(bird, [ROUTE_A.prefix, ROUTE_6.prefix]), fb_addr)
    assert fb2.established_count(peer_addr) == 1


@pytest.mark.frr
@pytest.mark.slow
def test_frr_keeps_stale_routes_across_a_fastbgp_restart(lab):
    need("frr")
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    frr = GracefulFrr(lab, peer_addr, PEER_AS, port=port)
    frr.add_neighbor(fb_addr, FB_AS)
    frr.start()
    all_routes = [ROUTE_A, ROUTE_B, ROUTE_6]
    fb = lab.fastbgp(fastbgp_conf(lab, peer_addr, fb_addr, all_routes), port).start()
    frr.wait_established(fb_addr, timeout=20)
    check_routes(all_routes, received(frr, [r.prefix for r in all_routes]), fb_addr)
    nb = frr.cli("show bgp neighbors %s json" % fb_addr, as_json=True)[fb_addr]
    assert nb.get("gracefulRestartInfo", {}).get("remoteGrMode") in ("Restart", "Helper"), nb.get("gracefulRestartInfo")
    assert frr.stale(ROUTE_A.prefix) is False

    fb.kill()
    wait_until(lambda: all(frr.stale(r.prefix) for r in all_routes), 10, "FRR to mark fastbgp's routes stale")
    assert 0 < frr.paths(ROUTE_A.prefix)[0].get("gracefulRestartSecondsRemaining", 0) <= RESTART_TIME

    fb.start()
    frr.wait_established(fb_addr, timeout=20)
    wait_until(lambda: all(frr.stale(r.prefix) is False for r in all_routes), 15,
               "FRR to clear the stale flags (routes refreshed, End-of-RIB)")
    check_routes(all_routes, received(frr, [r.prefix for r in all_routes]), fb_addr)

    fb.kill()
    wait_until(lambda: frr.stale(ROUTE_B.prefix), 10, "FRR's second graceful restart")
    lab.fastbgp(fastbgp_conf(lab, peer_addr, fb_addr, [ROUTE_A, ROUTE_6]), port, name="fastbgp2").start()
    frr.wait_established(fb_addr, timeout=20)
    wait_until(lambda: frr.stale(ROUTE_B.prefix) is None, 15, "FRR to sweep the route not announced again")
    assert frr.stale(ROUTE_A.prefix) is False and frr.stale(ROUTE_6.prefix) is False


@pytest.mark.bird
@pytest.mark.frr
def test_without_graceful_restart_routes_go_at_once(lab):
    """Control: the same peers, fastbgp without the capability."""
    need("bird")
    need("frr")
    fb_addr, bird_addr, frr_addr = lab.addr(1), lab.addr(2), lab.addr(3)
    port = lab.port(bird_addr)
    bird = lab.bird(bird_addr, PEER_AS, port=port)
    bird.add_neighbor(fb_addr, FB_AS, extra=["graceful restart on"])
    bird.start()
    frr = GracefulFrr(lab, frr_addr, PEER_AS, port=port)
    frr.add_neighbor(fb_addr, FB_AS)
    frr.start()
    conf = (fastbgp_conf(lab, bird_addr, fb_addr, [ROUTE_A], graceful=False) +
            fastbgp_conf(lab, frr_addr, fb_addr, [ROUTE_A], graceful=False))
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    frr.wait_established(fb_addr, timeout=20)
    received(bird, [ROUTE_A.prefix])
    received(frr, [ROUTE_A.prefix])
    fb.kill()
    wait_until(lambda: ROUTE_A.prefix not in bird.routes(), 5, "BIRD to flush the route")
    wait_until(lambda: frr.stale(ROUTE_A.prefix) is None, 5, "FRR to flush the route")
    assert not bird_gr_active(bird)


# ------------------------------------------------ fastbgp as the receiving side

API_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "api")
RECORD = os.path.join(API_DIR, "record.py")
sys.path.insert(0, API_DIR)
from json_lines import read_json_lines  # noqa: E402


class RestartingBird(peers.Bird):
    """BIRD whose next start is a graceful restart recovery (`bird -R`):
    its OPEN then has the R bit, and the F bit for its channels."""
    recovery = False

    def start(self):
        if not self.recovery:
            return super().start()
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        path = self.write("bird.conf", self.config())
        self._spawn([peers.BIRD, "-R", "-f", "-c", path, "-s", self.sock,
                     "-P", os.path.join(self.dir, "bird.pid")])
        self.wait_ready(lambda: os.path.exists(self.sock) and self.cli("show status"),
                        "BIRD control socket %s" % self.sock)
        return self


def events(path):
    return read_json_lines(path)


def gr_states(path):
    return [(e["neighbor"]["graceful-restart"]["state"], e["neighbor"]["graceful-restart"]["routes"])
            for e in events(path) if e.get("type") == "graceful-restart"]


def withdrawn(path):
    out = set()
    for e in events(path):
        if e.get("type") == "update":
            for nlris in e["neighbor"]["message"].get("update", {}).get("withdraw", {}).values():
                out.update(n["nlri"] for n in nlris)
    return out


def recording_conf(ev, peer_addr, fb_addr):
    """fastbgp with graceful restart, its helper recording the events in ev."""
    return ("process rec { run %s %s; encoder json; }\n" % (RECORD, ev) +
            peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                   families=("ipv4 unicast",),
                                   options=["capability { graceful-restart %d; }" % RESTART_TIME,
                                            "api { processes [ rec ]; neighbor-changes; graceful-restart; "
                                            "receive { parsed; update; } }"]))


@pytest.mark.bird
@pytest.mark.slow
@pytest.mark.parametrize("recovery", [True, False], ids=["forwarding-kept", "forwarding-lost"])
def test_fastbgp_keeps_a_restarting_birds_routes(lab, recovery):
    """BIRD is killed and restarts.  fastbgp keeps its routes as stale and
    says so to its helper.  BIRD back with `-R` (R and F bits): End-of-RIB
    sweeps the route it no longer exports.  BIRD back without -R (no F
    bit): every stale route is flushed at once."""
    need("bird")
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    bird = RestartingBird(lab, peer_addr, PEER_AS, port=port)
    bird.add_neighbor(fb_addr, FB_AS, export=True, ipv6=False, extra=["graceful restart on"])
    bird.add_static(ipv4_routes=["10.94.1.0/24", "10.94.2.0/24"])
    bird.start()
    ev = os.path.join(lab.dir, "events.json")
    conf = recording_conf(ev, peer_addr, fb_addr)
    fb = lab.fastbgp(conf, port).start()
    bird.wait_established(fb_addr, timeout=15)
    wait_until(lambda: "10.94.2.0/24" in json.dumps(events(ev)), 15, "the helper to see BIRD's routes")

    bird.kill()
    wait_until(lambda: gr_states(ev), 10, "fastbgp's stale event")
    assert gr_states(ev) == [("stale", {"ipv4 unicast": 2})]
    assert fb.grep(r"graceful restart: stale, 2 routes")

    bird.statics = []
    bird.add_static(ipv4_routes=["10.94.1.0/24"])  # 10.94.2.0/24 is gone after the restart
    bird.recovery = recovery
    bird.start()
    bird.wait_established(fb_addr, timeout=30)
    if recovery:
        wait_until(lambda: len(gr_states(ev)) == 2, 30, "fastbgp to sweep at BIRD's End-of-RIB")
        assert gr_states(ev)[1] == ("swept", {"ipv4 unicast": 1})
        assert withdrawn(ev) == {"10.94.2.0/24"}
    else:
        wait_until(lambda: len(gr_states(ev)) == 2, 15, "fastbgp to flush the stale routes")
        assert gr_states(ev)[1] == ("flushed", {"ipv4 unicast": 2})
        assert withdrawn(ev) == {"10.94.1.0/24", "10.94.2.0/24"}
        # BIRD announces 10.94.1.0/24 again afterwards
        wait_until(lambda: sum("10.94.1.0/24" in json.dumps(e["neighbor"]["message"].get("update", {})
                                                            .get("announce", {}))
                               for e in events(ev) if e.get("type") == "update") >= 2, 15,
                   "BIRD's route announced again")


class AnnouncingFrr(GracefulFrr):
    """FRR announcing `networks` (IPv4), optionally keeping its forwarding
    state across a restart (`preserve-fw-state`: the F bit)."""
    networks = ()
    preserve = False

    def config(self):
        text = super().config()
        if self.preserve:
            text = text.replace(" bgp graceful-restart\n",
                                " bgp graceful-restart\n bgp graceful-restart preserve-fw-state\n", 1)
        nets = "".join("  network %s\n" % n for n in self.networks)
        return text.replace(" address-family ipv4 unicast\n", " address-family ipv4 unicast\n" + nets, 1)


@pytest.mark.frr
@pytest.mark.slow
@pytest.mark.parametrize("preserve", [True, False], ids=["forwarding-kept", "forwarding-lost"])
def test_fastbgp_keeps_a_restarting_frrs_routes(lab, preserve):
    """The same with FRR: killed, restarted with one network less; with
    `preserve-fw-state` (F bit) fastbgp sweeps the missing one at FRR's
    End-of-RIB, without it every stale route is flushed at once."""
    need("frr")
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    port = lab.port(peer_addr)
    frr = AnnouncingFrr(lab, peer_addr, PEER_AS, port=port)
    frr.networks = ("10.95.1.0/24", "10.95.2.0/24")
    frr.preserve = preserve
    frr.add_neighbor(fb_addr, FB_AS, ipv6=False)
    frr.start()
    ev = os.path.join(lab.dir, "events.json")
    conf = recording_conf(ev, peer_addr, fb_addr)
    lab.fastbgp(conf, port).start()
    frr.wait_established(fb_addr, timeout=20)
    wait_until(lambda: "10.95.2.0/24" in json.dumps(events(ev)), 20, "the helper to see FRR's routes")

    frr.kill()
    wait_until(lambda: gr_states(ev), 10, "fastbgp's stale event")
    assert gr_states(ev) == [("stale", {"ipv4 unicast": 2})]

    frr.networks = ("10.95.1.0/24",)
    frr.start()
    frr.wait_established(fb_addr, timeout=30)
    wait_until(lambda: len(gr_states(ev)) == 2, 30, "fastbgp to end the restart")
    if preserve:
        assert gr_states(ev)[1] == ("swept", {"ipv4 unicast": 1})
        assert withdrawn(ev) == {"10.95.2.0/24"}
    else:
        assert gr_states(ev)[1] == ("flushed", {"ipv4 unicast": 2})
        assert withdrawn(ev) == {"10.95.1.0/24", "10.95.2.0/24"}
