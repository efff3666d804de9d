"""fastbgp healthcheck as a helper of fastbgp, announcing a service address
to a real BIRD while a local HTTP service (python3 -m http.server on
127.0.0.1, a free port) goes up and down.

- up: BIRD has the route with the up metric (MED 100);
- down: the MED changes to the down metric (1000), and stays there without a
  new UPDATE on every check (BIRD's import counter does not move; fastbgp's
  rib-out would also absorb ExaBGP-style repeats, so the helper's own
  "print once" is checked on its stdout in tests/functional/test_healthcheck.py);
- --withdraw-on-down: the route goes away while down and comes back when up;
- BIRD restarted: the route is there again after the session comes back.
"""

import os
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402
from peers import wait_until, stays  # noqa: E402

FB_AS, PEER_AS = 65001, 65002
SERVICE = "192.0.2.80/32"

pytestmark = [pytest.mark.bird]


class HttpService:
    """python3 -m http.server on 127.0.0.1:port, started and stopped by PID."""

    def __init__(self, lab, port):
        self.lab, self.port, self.proc = lab, port, None
        lab.closers.append(self.stop)

    def start(self):
        self.proc = subprocess.Popen([peers.PYTHON, "-m", "http.server", "--bind", "127.0.0.1", str(self.port)],
                                     cwd=self.lab.dir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_until(self.answers, 10, "the HTTP service on port %d" % self.port)

    def answers(self):
        r = subprocess.run(["curl", "-sf", "-m", "1", "http://127.0.0.1:%d/" % self.port],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return r.returncode == 0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


def start_bird(lab):
    if peers.missing_binaries("bird"):
        pytest.skip("BIRD 2 is not installed")
    fb_addr, bird_addr = lab.addr(1), lab.addr(2)
    bird = peers.Bird(lab, bird_addr, PEER_AS, port=lab.port(bird_addr))
    bird.add_neighbor(fb_addr, FB_AS, ipv6=False)
    return bird.start()


def start_fastbgp(lab, bird, run, encoder="text"):
    """fastbgp with the healthcheck `run` line as its process, to BIRD."""
    fb_addr = lab.addr(1)
    conf = ("process service {\n\trun %s;\n\tencoder %s;\n}\n" % (run, encoder)
            + peers.fastbgp_neighbor(bird.addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                     families=("ipv4 unicast",),
                                     options=["api { processes [ service ]; neighbor-changes; }"]))
    fb = lab.fastbgp(conf, bird.port).start()
    bird.wait_established(fb_addr, timeout=15)
    return fb


def start_lab(lab, extra_args=""):
    bird = start_bird(lab)
    http = HttpService(lab, lab.port())
    http.start()
    hc = ('%s healthcheck --no-syslog --no-ip-setup --ip %s --next-hop 192.0.2.1 --rise 1 --fall 1 '
          '--interval 0.3 --fast-interval 0.2 --timeout 2 --cmd "curl -sf -m 1 http://127.0.0.1:%d/" %s'
          % (peers.fastbgp_binary(), SERVICE, http.port, extra_args))
    return start_fastbgp(lab, bird, hc), bird, http


def med(bird):
    r = bird.routes().get(SERVICE)
    return r.med if r else None


def test_metric_follows_the_service(lab):
    fb, bird, http = start_lab(lab)
    wait_until(lambda: med(bird) == 100, 15, "BIRD to get %s with MED 100 (%r)" % (SERVICE, bird.routes()))
    assert bird.routes()[SERVICE].next_hop == "192.0.2.1"

    http.stop()
    wait_until(lambda: med(bird) == 1000, 15, "the MED to become the down metric 1000")
    # Down for many checks (0.3 s apart): no new UPDATE for an unchanged state.
    updates = bird.import_stats()["ipv4"]
    time.sleep(2.5)
    assert bird.import_stats()["ipv4"] == updates, "the healthcheck re-sent its routes while nothing changed"
    assert med(bird) == 1000

    http.start()
    wait_until(lambda: med(bird) == 100, 15, "the MED to come back to 100")

    # The session comes back (BIRD restarted): the route is announced again.
    bird.stop()
    bird.start()
    bird.wait_established(lab.addr(1), timeout=20)
    wait_until(lambda: med(bird) == 100, 15, "the route after BIRD's restart")
    assert not fb.sanitizer_errors()


def test_withdraw_on_down(lab):
    fb, bird, http = start_lab(lab, "--withdraw-on-down")
    wait_until(lambda: med(bird) == 100, 15, "BIRD to get %s" % SERVICE)
    http.stop()
    wait_until(lambda: SERVICE not in bird.routes(), 15, "the route to be withdrawn while the service is down")
    stays(lambda: SERVICE not in bird.routes(), 1.5, "the route to stay withdrawn")
    http.start()
    wait_until(lambda: med(bird) == 100, 15, "the route to come back with the service")
    assert not fb.sanitizer_errors()


def test_routes_sent_again_when_the_session_comes_back(lab):
    """With `neighbor-changes;` and the JSON encoder, the daemon tells the
    helper that BIRD's session is up again, and the helper prints its
    current state's line again (seen on a tee of its stdin and stdout)."""
    bird = start_bird(lab)
    fb_addr, bird_addr = lab.addr(1), bird.addr
    seen_in, seen_out = os.path.join(lab.dir, "helper.in"), os.path.join(lab.dir, "helper.out")
    hc = ("/bin/sh -c \"tee -a %s | %s healthcheck --no-syslog --no-ip-setup --ip %s --next-hop 192.0.2.1 "
          "--rise 1 --interval 0.3 --neighbor %s | tee -a %s\""
          % (seen_in, peers.fastbgp_binary(), SERVICE, bird_addr, seen_out))
    fb = start_fastbgp(lab, bird, hc, encoder="json")
    wait_until(lambda: med(bird) == 100, 15, "BIRD to get %s" % SERVICE)
    line = "neighbor %s announce route %s next-hop 192.0.2.1 med 100" % (bird_addr, SERVICE)

    def sent():
        with open(seen_out) as f:
            return f.read().splitlines()
    wait_until(lambda: line in sent(), 10, "the helper's line on its stdout")
    time.sleep(1)
    before = sent().count(line)
    bird.stop()
    bird.start()
    bird.wait_established(fb_addr, timeout=20)
    wait_until(lambda: sent().count(line) == before + 1, 10, "the helper to send its line again")
    with open(seen_in) as f:
        events = [l for l in f.read().splitlines() if '"type": "state"' in l and '"up"' in l]
    assert events, "no JSON up event reached the helper"
    wait_until(lambda: med(bird) == 100, 15, "the route after BIRD's restart")
    assert not fb.sanitizer_errors()
