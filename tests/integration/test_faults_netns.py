"""Faults survived (issue 11 item 6), in two network namespaces this test
creates and joins with a veth pair: fastbgp in one, BIRD (or a scripted
peer) in the other.  Addresses are TEST-NET-1 (192.0.2.0/24, RFC 5737), only
inside the namespaces: no packet leaves them.  Root only; skipped with the
reason when `ip netns` cannot be used.  Every process is stopped by PID and
every namespace deleted in a finally.

Half-open TCP: neither iptables nor nft is installed on the build machines,
so the far side is silenced by taking the veth down for longer than the hold
time (the kernel keeps both sockets: a half-open connection as each end
sees it); the test uses a DROP rule instead when iptables is there."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest

import peers
from peers import wait_until, stays

sys.path.insert(0, os.path.join(peers.REPO, "tests", "conformance"))
import bgp_peer  # noqa: E402

FB_AS, PEER_AS, HOLD = 65001, 65000, 6
FB_ADDR, PEER_ADDR = "192.0.2.1", "192.0.2.2"
NROUTES = 50
ROUTES = ["route 198.18.%d.0/24 next-hop %s;" % (i, FB_ADDR) for i in range(NROUTES)]


def ip(*args, check=True):
    return subprocess.run(["ip"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=10, check=check)


def netns_unavailable():
    if os.geteuid() != 0:
        return "needs root (ip netns add)"
    if not shutil.which("ip"):
        return "no ip command (iproute2)"
    probe = "fbprobe%d" % os.getpid()
    try:
        r = ip("netns", "add", probe, check=False)
        if r.returncode:
            return "ip netns add failed: %s" % r.stdout.decode(errors="replace").strip()
        r = ip("netns", "exec", probe, "true", check=False)
        if r.returncode:
            return "ip netns exec failed: %s" % r.stdout.decode(errors="replace").strip()
    finally:
        ip("netns", "del", probe, check=False)
    return None


SKIP = netns_unavailable()
pytestmark = [pytest.mark.skipif(SKIP is not None, reason=SKIP or ""), pytest.mark.slow]


class Nets:
    """Two namespaces, fb and peer, joined by veth (fb side fbv0, peer side fbv1)."""

    def __init__(self):
        tag = "%d" % os.getpid()
        self.fb, self.peer = "fbfa" + tag, "fbfb" + tag
        self.made = []
        try:
            for ns in (self.fb, self.peer):
                ip("netns", "add", ns)
                self.made.append(ns)
            ip("link", "add", "fbv0", "netns", self.fb, "type", "veth", "peer", "name", "fbv1", "netns",
               self.peer)
            for ns, dev, addr in ((self.fb, "fbv0", FB_ADDR), (self.peer, "fbv1", PEER_ADDR)):
                ip("-n", ns, "addr", "add", addr + "/24", "dev", dev)
                ip("-n", ns, "link", "set", "lo", "up")
                ip("-n", ns, "link", "set", dev, "up")
        except Exception:
            self.delete()
            raise

    def link(self, up):
        ip("-n", self.fb, "link", "set", "fbv0", "up" if up else "down")

    def delete(self):
        for ns in self.made:
            ip("netns", "del", ns, check=False)


def in_netns(daemon, ns):
    """Starts the daemon inside ns: `ip netns exec` execs it, so the PID the
    lab keeps (and signals) is the daemon's own."""
    spawn = daemon._spawn

    def wrapped(argv, **kw):
        return spawn(["ip", "netns", "exec", ns] + argv, **kw)
    daemon._spawn = wrapped
    return daemon


@pytest.fixture
def nets(lab):
    n = Nets()
    try:
        yield n
    finally:
        for d in reversed(lab.daemons):  # processes first, by PID, then the namespaces
            d.stop()
        n.delete()


def bird_and_fastbgp(lab, nets, env=None, routes=ROUTES):
    port = lab.port()
    bird = in_netns(peers.Bird(lab, PEER_ADDR, PEER_AS, port=port), nets.peer)
    bird.add_neighbor(FB_ADDR, FB_AS, hold=HOLD, ipv6=False, multihop="direct")
    bird.start()
    conf = peers.fastbgp_neighbor(PEER_ADDR, FB_ADDR, FB_AS, PEER_AS, router_id="192.0.2.1",
                                  hold_time=HOLD, families=("ipv4 unicast",), routes=routes)
    fb = in_netns(lab.fastbgp(conf, port, env=env), nets.fb).start()
    bird.wait_established(FB_ADDR, timeout=20)
    fb.wait_established(PEER_ADDR, timeout=5)
    wait_until(lambda: bird.imported(FB_ADDR).get("ipv4") == len(routes), 15,
               "BIRD to import the %d routes" % len(routes))
    return fb, bird


def all_routes_back(fb, bird, count):
    bird.wait_established(FB_ADDR, timeout=30)
    fb.wait_established(PEER_ADDR, timeout=10, count=count)
    wait_until(lambda: bird.imported(FB_ADDR).get("ipv4") == NROUTES, 15,
               "BIRD to hold all %d routes again" % NROUTES)
    assert fb.running()


def test_link_cut_and_restored(lab, nets):
    """The veth goes down past the hold time and comes back: both hold timers
    fire, the session returns and every route is sent again, none lost."""
    fb, bird = bird_and_fastbgp(lab, nets)
    nets.link(False)
    try:
        wait_until(lambda: fb.grep(r"hold timer expired"), HOLD + 4, "fastbgp's hold timer to fire")
        wait_until(lambda: not bird.established(FB_ADDR), HOLD + 4, "BIRD to drop the session")
    finally:
        nets.link(True)
    all_routes_back(fb, bird, count=2)
    assert not fb.sanitizer_errors()


def test_short_link_flap_loses_nothing(lab, nets):
    """A cut shorter than the hold time: TCP retransmits, the session either
    stays or comes back, and BIRD ends with every route."""
    fb, bird = bird_and_fastbgp(lab, nets)
    nets.link(False)
    time.sleep(2)
    nets.link(True)
    stays(lambda: fb.running(), 3, "fastbgp running")
    all_routes_back(fb, bird, count=1)


def test_peer_sigstopped_past_hold_time(lab, nets):
    """BIRD frozen (SIGSTOP) longer than the hold time, then SIGCONT: fastbgp
    sends 4/0, the session and the routes come back."""
    fb, bird = bird_and_fastbgp(lab, nets)
    bird.signal(signal.SIGSTOP)
    try:
        wait_until(lambda: fb.grep(r"hold timer expired"), HOLD + 4, "fastbgp's hold timer to fire")
        assert fb.grep(r"sending NOTIFICATION 4/0"), fb.grep("NOTIFICATION")
    finally:
        bird.signal(signal.SIGCONT)
    all_routes_back(fb, bird, count=2)


def test_half_open_tcp(lab, nets):
    """The peer's side goes silent without a FIN or RST (DROP when iptables
    exists, otherwise the link down): fastbgp's hold timer fires, it closes
    its side and the session recovers once traffic flows again."""
    fb, bird = bird_and_fastbgp(lab, nets)
    iptables = shutil.which("iptables")
    rule = ["-A", "INPUT", "-s", PEER_ADDR, "-j", "DROP"]
    if iptables:
        subprocess.run(["ip", "netns", "exec", nets.fb, iptables] + rule, check=True, timeout=10)
    else:
        nets.link(False)
    try:
        wait_until(lambda: fb.grep(r"hold timer expired in ESTABLISHED"), HOLD + 4, "fastbgp's hold timer")
    finally:
        if iptables:
            rule[0] = "-D"
            subprocess.run(["ip", "netns", "exec", nets.fb, iptables] + rule, timeout=10)
        else:
            nets.link(True)
    all_routes_back(fb, bird, count=2)


def test_garbage_after_open_other_peer_unaffected(lab, nets):
    """A scripted peer (in the peer namespace, second address) sends its OPEN,
    the KEEPALIVE, then bytes that are no BGP message: it gets a NOTIFICATION
    (1/x, message header error) and the BIRD session goes on untouched."""
    port = lab.port()
    ip("-n", nets.peer, "addr", "add", "192.0.2.3/24", "dev", "fbv1")
    bird = in_netns(peers.Bird(lab, PEER_ADDR, PEER_AS, port=port), nets.peer)
    bird.add_neighbor(FB_ADDR, FB_AS, hold=HOLD, ipv6=False, multihop="direct")
    bird.start()
    conf = peers.fastbgp_neighbor(PEER_ADDR, FB_ADDR, FB_AS, PEER_AS, router_id="192.0.2.1", hold_time=HOLD,
                                  families=("ipv4 unicast",), routes=ROUTES)
    conf += peers.fastbgp_neighbor("192.0.2.3", FB_ADDR, FB_AS, PEER_AS, router_id="192.0.2.1", hold_time=HOLD,
                                   families=("ipv4 unicast",), options=("passive",))
    fb = in_netns(lab.fastbgp(conf, port, bind=[FB_ADDR]), nets.fb).start()
    bird.wait_established(FB_ADDR, timeout=20)
    wait_until(lambda: bird.imported(FB_ADDR).get("ipv4") == NROUTES, 15, "BIRD to import the routes")
    # The scripted peer is a child python running in the peer namespace.
    script = r'''
import socket, sys, time
sys.path.insert(0, %r)
import bgp_peer as bp
s = socket.socket(); s.bind(("192.0.2.3", 0)); s.settimeout(10)
s.connect((%r, %d))
r = bp.MessageReader(s)
s.sendall(bp.build_open(%d, %d, "192.0.2.3", bp.standard_capabilities(%d)))
assert r.read(10)[18] == 1
s.sendall(bp.build_keepalive())
s.sendall(b"\x00" * 16 + b"\x00\x13\x04")    # bad marker
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    m = r.read(deadline - time.monotonic())
    if m is None:
        print("CLOSED"); break
    if m[18] == 3:
        print("NOTIFICATION %%d/%%d" %% (m[19], m[20])); break
''' % (os.path.join(peers.REPO, "tests", "conformance"), FB_ADDR, port, PEER_AS, HOLD, PEER_AS)
    p = subprocess.Popen(["ip", "netns", "exec", nets.peer, sys.executable, "-c", script],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out = p.communicate(timeout=20)[0].decode(errors="replace")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(5)
    assert "NOTIFICATION 1/1" in out, out
    stays(lambda: bird.established(FB_ADDR) and bird.imported(FB_ADDR).get("ipv4") == NROUTES, 3,
          "the BIRD session and its routes")
    assert fb.established_count(PEER_ADDR) == 1
    assert fb.running()


def test_disk_full_for_pid_file_and_log(lab):
    """The PID file and the log on a full 64 KiB tmpfs: fastbgp says why it
    cannot write the PID file and exits 1 (no crash); with only the log on
    the full disk it keeps running and stops cleanly."""
    mnt = tempfile.mkdtemp(prefix="fastbgp-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt], check=True, timeout=10)
    procs = []
    try:
        with open(os.path.join(mnt, "filler"), "wb") as fh:
            try:
                fh.write(b"x" * 200000)
            except OSError:
                pass
        conf = peers.fastbgp_neighbor("127.0.0.2", "127.0.0.1", FB_AS, PEER_AS, router_id="192.0.2.1",
                                      families=("ipv4 unicast",), routes=ROUTES, options=("passive",))
        fb = lab.fastbgp(conf, lab.port(), env={"exabgp_daemon_pid": os.path.join(mnt, "fastbgp.pid")},
                         name="pidfull")
        fb._spawn([peers.fastbgp_binary(), fb.conf_path], env=fb.env())
        rc = fb.proc.wait(15)
        assert rc == 1, "rc %s:\n%s" % (rc, fb.log()[-2000:])
        assert "can not write PID file %s: No space left on device" % os.path.join(mnt, "fastbgp.pid") \
            in fb.log(), fb.log()[-2000:]
        fb2 = lab.fastbgp(conf, lab.port(), env={"exabgp_log_destination": os.path.join(mnt, "fastbgp.log")},
                          name="logfull").start()
        stays(fb2.running, 2, "fastbgp running with its log on a full disk")
        assert "cannot write the log file %s: No space left on device" % os.path.join(mnt, "fastbgp.log") \
            in fb2.log(), fb2.log()[-2000:]
        fb2.signal(signal.SIGTERM)
        assert fb2.proc.wait(15) == 0
        assert not fb2.sanitizer_errors()
    finally:
        for d in lab.daemons:
            d.stop()
        subprocess.run(["umount", mnt], timeout=10)
        os.rmdir(mnt)


BIG_PEER = r'''
import select, socket, sys, time
sys.path.insert(0, %(conformance)r)
import bgp_peer as bp
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)   # back-pressure: the send stays in progress
srv.bind((%(peer)r, %(port)d)); srv.listen(1); srv.settimeout(120)
print("LISTENING", flush=True)
c, _ = srv.accept(); c.settimeout(30)
r = bp.MessageReader(c)
assert r.read(30)[18] == 1
c.sendall(bp.build_open(%(asn)d, 30, "192.0.2.2", bp.standard_capabilities(%(asn)d)) + bp.build_keepalive())
updates, fast, started = 0, False, time.monotonic() + 120
keepalive_at = time.monotonic()
while time.monotonic() < started:
    if time.monotonic() >= keepalive_at:               # RFC 4271 4.4: our side of the hold timer
        c.sendall(bp.build_keepalive()); keepalive_at = time.monotonic() + 5
    if not fast and select.select([sys.stdin], [], [], 0)[0]:
        sys.stdin.readline(); fast = True               # the test sent SIGTERM: drain at full speed
    m = r.read(30)
    if m is None:
        print("CLOSED after %%d UPDATEs" %% updates, flush=True); break
    if m[18] == 2:
        updates += 1
        if updates == 20:
            print("SENDING", flush=True)
        if not fast:
            time.sleep(0.002)
    elif m[18] == 3:
        print("NOTIFICATION %%d/%%d after %%d UPDATEs" %% (m[19], m[20], updates), flush=True); break
'''


def test_sigterm_during_a_million_route_send(lab, nets):
    """SIGTERM while 1,000,000 routes (tests/config/gen_big.py) are being
    sent to a slow reader: the peer gets Cease 6/2 (RFC 4486 Administrative
    Shutdown) before the end of the table, and fastbgp exits 0 within 20 s."""
    port = lab.port()
    gen = subprocess.run([sys.executable, os.path.join(peers.REPO, "tests", "config", "gen_big.py"), "1000000"],
                         stdout=subprocess.PIPE, check=True, timeout=120).stdout.decode()
    conf = (gen.replace("neighbor 127.0.0.1", "neighbor " + PEER_ADDR)
            .replace("local-address 127.0.0.1", "local-address " + FB_ADDR)
            .replace("router-id 10.0.0.1", "router-id 192.0.2.1")
            .replace("next-hop 10.0.0.1", "next-hop " + FB_ADDR))
    assert conf.count("route ") == 1000000
    peer = subprocess.Popen(["ip", "netns", "exec", nets.peer, sys.executable, "-u", "-c",
                             BIG_PEER % {"conformance": os.path.join(peers.REPO, "tests", "conformance"),
                                         "peer": PEER_ADDR, "port": port, "asn": 65001}],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert peer.stdout.readline().strip() == b"LISTENING"
        fb = in_netns(lab.fastbgp(conf, port, env={"exabgp_log_level": "INFO"}), nets.fb).start()
        line = peer.stdout.readline().decode(errors="replace")  # bounded by the peer's own 120 s timeouts
        assert line.strip() == "SENDING", line + fb.log()[-2000:]
        fb.signal(signal.SIGTERM)
        t0 = time.monotonic()
        peer.stdin.write(b"go\n")
        peer.stdin.flush()
        rc = fb.proc.wait(20)
        took = time.monotonic() - t0
        out = peer.communicate(timeout=30)[0].decode(errors="replace")
        assert rc == 0, "fastbgp exit code %s" % rc
        assert "NOTIFICATION 6/2" in out, out
        sent = int(out.split("after ")[1].split()[0])
        assert sent < 1000000 // 4, "the send was over before the signal: %d UPDATEs" % sent
        assert not fb.sanitizer_errors()
        print("exit %.1fs after SIGTERM, %d UPDATEs sent before the Cease" % (took, sent))
    finally:
        if peer.poll() is None:
            peer.kill()
            peer.wait(5)
