"""Session behaviour against a scripted BGP peer (tests/conformance/bgp_peer.py).

Each test writes its own configuration, starts fastbgp (the binary in
$FASTBGP, default build/asan/fastbgp) on loopback, plays the other side of
the session byte by byte and stops fastbgp by PID.  Every wait is bounded.
"""
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "conformance"))
import bgp_peer as bp  # noqa: E402
from test_api import wait_for  # noqa: E402

FASTBGP = os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp"))
UPDATE, NOTIFICATION, KEEPALIVE, REFRESH = 2, 3, 4, 5


sys.path.insert(0, os.path.join(TOP, "tests"))
from testports import free_port  # noqa: E402  (FASTBGP_TEST_PORT_BASE or the OS)


class Daemon:
    """fastbgp with a config text, stopped by PID."""

    def __init__(self, conf_text, env=None):
        self.dir = tempfile.mkdtemp(prefix="fastbgp-func-")
        self.conf = os.path.join(self.dir, "fastbgp.conf")
        with open(self.conf, "w") as fh:
            fh.write(conf_text)
        self.log = os.path.join(self.dir, "fastbgp.log")
        e = dict(os.environ)
        e.update({"exabgp_tcp_bind": "", "exabgp_log_destination": "stdout"})
        e.update(env or {})
        self.logfh = open(self.log, "w")
        self.proc = subprocess.Popen([FASTBGP, self.conf], env=e, stdout=self.logfh,
                                     stderr=subprocess.STDOUT)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.logfh.close()
        return self.proc.returncode

    def text(self):
        with open(self.log) as fh:
            return fh.read()


class Peer:
    """The listening side of a session: accepts fastbgp's connection."""

    def __init__(self, addr="127.0.0.1"):
        self.srv = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind((addr, 0))
        self.srv.listen(4)
        self.port = self.srv.getsockname()[1]
        self.conn = None
        self.reader = None

    def accept(self, timeout=10):
        self.srv.settimeout(timeout)
        self.conn, _ = self.srv.accept()
        self.reader = bp.MessageReader(self.conn)

    def send(self, raw):
        self.conn.sendall(raw)

    def read(self, timeout=10, skip_keepalive=True):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            raw = self.reader.read(left)
            if raw is None:
                return None
            if skip_keepalive and raw[18] == KEEPALIVE:
                continue
            return raw

    def close(self):
        for s in (self.conn, self.srv):
            if s:
                s.close()


def neighbor(port_unused=None, extra="", routes="", families="ipv4 unicast; ipv6 unicast;", peer_as=65000,
             local_as=65000, capability=""):
    return """neighbor 127.0.0.1 {
    router-id 10.0.0.1; local-address 127.0.0.1; local-as %d; peer-as %d; hold-time 30;
    %s
    family { %s }
    capability { %s }
    static { %s }
}
""" % (local_as, peer_as, extra, families, capability, routes)


def session(conf, open_caps=None, router_id="10.0.0.2", asn=65000, hold=30, env=None):
    """Starts fastbgp, accepts its connection, reads its OPEN, answers."""
    peer = Peer()
    e = {"exabgp_tcp_port": str(peer.port)}
    e.update(env or {})
    d = Daemon(conf, e)
    try:
        peer.accept()
        their_open = peer.read()
        assert their_open is not None and their_open[18] == 1, "no OPEN from fastbgp"
        caps = open_caps if open_caps is not None else bp.standard_capabilities(asn)
        peer.send(bp.build_open(asn, hold, router_id, caps))
        peer.send(bp.build_keepalive())
    except Exception:
        d.stop()
        peer.close()
        raise
    return d, peer, their_open


def updates_until_eor(peer, families=1, timeout=10):
    """Collects UPDATEs until `families` End-of-RIB markers were seen."""
    got, eors = [], 0
    while eors < families:
        raw = peer.read(timeout)
        assert raw is not None, "timed out waiting for End-of-RIB (got %d UPDATEs)" % len(got)
        assert raw[18] == UPDATE, "unexpected message %s" % bp.describe(raw)
        if bp.parse_update(raw).get("eor"):
            eors += 1
        else:
            got.append(raw)
    return got


def expect_notification(peer, code, sub, timeout=10):
    raw = peer.read(timeout)
    assert raw is not None, "no NOTIFICATION"
    assert raw[18] == NOTIFICATION, bp.describe(raw)
    assert (raw[19], raw[20]) == (code, sub), "got NOTIFICATION %d/%d" % (raw[19], raw[20])


ROUTES = "route 10.1.0.0/24 next-hop 127.0.0.1; route 2001:db8:1::/48 next-hop ::1;"


def test_routes_only_for_negotiated_families():
    conf = neighbor(routes=ROUTES)
    v4only = [bp.capability(1, struct.pack("!HBB", 1, 0, 1)), bp.capability(65, struct.pack("!I", 65000))]
    d, peer, _ = session(conf, open_caps=v4only)
    try:
        ups = updates_until_eor(peer, families=1)
        text = " ".join(bp.describe(u) for u in ups)
        assert "10.1.0.0/24" in text
        assert "2001:db8" not in text
        # still established a while later: keepalives flow, no NOTIFICATION
        raw = peer.read(timeout=2, skip_keepalive=True)
        assert raw is None, "unexpected %s" % bp.describe(raw)
        assert d.proc.poll() is None
    finally:
        d.stop()
        peer.close()


def test_router_id_zero_refused():
    d, peer, _ = session(neighbor(), router_id="0.0.0.0")
    try:
        expect_notification(peer, 2, 3)
        assert "router-id 0.0.0.0" in d.text() or "0.0.0.0" in d.text()
    finally:
        d.stop()
        peer.close()


def test_peer_as_mismatch():
    d, peer, _ = session(neighbor(), asn=65099)
    try:
        expect_notification(peer, 2, 2)
    finally:
        d.stop()
        peer.close()


def test_same_router_id_on_ibgp():
    d, peer, _ = session(neighbor(), router_id="10.0.0.1")
    try:
        expect_notification(peer, 2, 3)
    finally:
        d.stop()
        peer.close()


def test_unacceptable_hold_time():
    d, peer, _ = session(neighbor(), hold=2)
    try:
        expect_notification(peer, 2, 6)
    finally:
        d.stop()
        peer.close()


def test_bad_marker_is_a_header_error():
    d, peer, _ = session(neighbor(routes=ROUTES))
    try:
        updates_until_eor(peer, families=2)
        peer.send(b"\x00" * 16 + struct.pack("!HB", 19, 4))
        expect_notification(peer, 1, 1)
    finally:
        d.stop()
        peer.close()


def test_bad_length_is_a_header_error():
    d, peer, _ = session(neighbor(routes=ROUTES))
    try:
        updates_until_eor(peer, families=2)
        peer.send(b"\xff" * 16 + struct.pack("!HB", 18, 4))
        expect_notification(peer, 1, 2)
    finally:
        d.stop()
        peer.close()


def refresh(afi, safi, sub=0):
    return bp.frame(REFRESH, struct.pack("!HBB", afi, sub, safi))


def test_route_refresh_resends():
    caps = bp.standard_capabilities(65000)  # has route-refresh (2), no enhanced
    d, peer, _ = session(neighbor(routes=ROUTES, capability="route-refresh;"), open_caps=caps)
    try:
        first = updates_until_eor(peer, families=2)
        assert any("10.1.0.0/24" in bp.describe(u) for u in first)
        peer.send(refresh(1, 1))
        again = peer.read(5)
        assert again is not None and again[18] == UPDATE
        assert "10.1.0.0/24" in bp.describe(again)
    finally:
        d.stop()
        peer.close()


def test_enhanced_route_refresh_brackets():
    caps = bp.standard_capabilities(65000) + [bp.capability(70)]
    d, peer, _ = session(neighbor(routes=ROUTES, capability="route-refresh;"), open_caps=caps)
    try:
        updates_until_eor(peer, families=2)
        peer.send(refresh(2, 1))
        seq = [peer.read(5) for _ in range(3)]
        assert all(m is not None for m in seq), [bp.describe(m) for m in seq if m]
        assert seq[0][18] == REFRESH and seq[0][19 + 2] == 1, "BoRR first"
        assert seq[1][18] == UPDATE and "2001:db8:1::/48" in bp.describe(seq[1])
        assert seq[2][18] == REFRESH and seq[2][19 + 2] == 2, "EoRR last"
    finally:
        d.stop()
        peer.close()


def test_tcp_once_exits_when_session_ends():
    d, peer, _ = session(neighbor(routes=ROUTES), env={"exabgp_tcp_once": "true"})
    try:
        updates_until_eor(peer, families=2)
        peer.send(bp.build_notification(6, 2))
        peer.conn.close()
        assert d.proc.wait(timeout=10) == 0
    finally:
        d.stop()
        peer.close()


def test_sigterm_sends_cease():
    d, peer, _ = session(neighbor(routes=ROUTES))
    try:
        updates_until_eor(peer, families=2)
        d.proc.send_signal(signal.SIGTERM)
        expect_notification(peer, 6, 2)
        assert d.proc.wait(timeout=10) == 0
    finally:
        d.stop()
        peer.close()


def test_listening_refuses_unknown_address():
    port = free_port("127.0.0.5")
    conf = neighbor().replace("neighbor 127.0.0.1", "neighbor 127.0.0.9").replace(
        "local-address 127.0.0.1", "local-address 127.0.0.5") + ""
    d = Daemon(conf, {"exabgp_tcp_bind": "127.0.0.5", "exabgp_tcp_port": str(port)})
    try:
        deadline = time.monotonic() + 10
        s = None
        while time.monotonic() < deadline:
            try:
                s = socket.create_connection(("127.0.0.5", port), timeout=2,
                                             source_address=("127.0.0.7", 0))
                break
            except OSError:
                time.sleep(0.1)
        assert s is not None, "fastbgp does not listen on 127.0.0.5"
        s.settimeout(5)
        assert s.recv(100) == b"", "connection from an unknown address must be closed"
        s.close()
        time.sleep(0.2)
        assert "127.0.0.7" in d.text() and "not a configured neighbor" in d.text()
    finally:
        d.stop()


def test_does_not_listen_without_bind():
    port = free_port("127.0.0.6")
    conf = neighbor(extra="passive;").replace("neighbor 127.0.0.1", "neighbor 127.0.0.8")
    d = Daemon(conf, {"exabgp_tcp_port": str(port)})
    try:
        time.sleep(0.5)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.6", port), timeout=2).close()
        assert d.proc.poll() is None
    finally:
        d.stop()


def rewrite(d, text):
    with open(d.conf, "w") as fh:
        fh.write(text)


def test_reload_sends_only_the_delta():
    before = ("route 10.1.0.0/24 next-hop 127.0.0.1; route 10.2.0.0/24 next-hop 127.0.0.1;"
              " route 10.3.0.0/24 next-hop 127.0.0.1 med 5;")
    after = ("route 10.1.0.0/24 next-hop 127.0.0.1; route 10.3.0.0/24 next-hop 127.0.0.1 med 7;"
             " route 10.4.0.0/24 next-hop 127.0.0.1;")
    d, peer, _ = session(neighbor(routes=before, families="ipv4 unicast;"))
    try:
        updates_until_eor(peer, families=1)
        rewrite(d, neighbor(routes=after, families="ipv4 unicast;"))
        d.proc.send_signal(signal.SIGUSR1)
        seen = []
        while True:
            raw = peer.read(timeout=2)
            if raw is None:
                break
            assert raw[18] == UPDATE, bp.describe(raw)
            seen.append(bp.describe(raw))
        text = "\n".join(seen)
        assert "10.2.0.0/24" in text and "withdraw" in text.lower(), text
        assert "10.3.0.0/24" in text and "med 7" in text, text
        assert "10.4.0.0/24" in text, text
        assert "10.1.0.0/24" not in text, "unchanged route was sent again:\n" + text
        assert d.proc.poll() is None
    finally:
        d.stop()
        peer.close()


def test_reload_keeps_running_config_when_new_one_is_broken():
    d, peer, _ = session(neighbor(routes=ROUTES))
    try:
        updates_until_eor(peer, families=2)
        rewrite(d, "neighbor 127.0.0.1 { this is not valid; }\n")
        d.proc.send_signal(signal.SIGUSR1)
        raw = peer.read(timeout=2)
        assert raw is None, "the session must not change: %s" % bp.describe(raw)
        time.sleep(0.2)
        assert "reload failed" in d.text() and "running configuration is kept" in d.text()
        assert d.proc.poll() is None
    finally:
        d.stop()
        peer.close()


def test_reload_removed_neighbor_gets_cease_6_3():
    d, peer, _ = session(neighbor(routes=ROUTES))
    try:
        updates_until_eor(peer, families=2)
        rewrite(d, neighbor(routes=ROUTES).replace("neighbor 127.0.0.1", "neighbor 127.0.0.99"))
        d.proc.send_signal(signal.SIGUSR1)
        expect_notification(peer, 6, 3)
        assert d.proc.poll() is None
    finally:
        d.stop()
        peer.close()


def test_reload_changed_session_restarts():
    d, peer, _ = session(neighbor(routes=ROUTES))
    try:
        updates_until_eor(peer, families=2)
        rewrite(d, neighbor(routes=ROUTES).replace("hold-time 30", "hold-time 60"))
        d.proc.send_signal(signal.SIGUSR1)
        expect_notification(peer, 6, 6)
        peer.conn.close()
        # a new session comes with the new hold time
        peer.accept(timeout=10)
        op = peer.read()
        assert op is not None and op[18] == 1
        assert struct.unpack("!H", op[22:24])[0] == 60
    finally:
        d.stop()
        peer.close()


def _read_events(path):
    try:
        with open(path) as fh:
            return [json.loads(line) for line in fh if line.startswith("{")]
    except FileNotFoundError:
        return []


def test_update_answered_with_notification_reaches_no_helper():
    """Decode once: the helper sees what the session acted on.  An UPDATE
    whose MP_REACH_NLRI is for a family not negotiated is answered with
    3/9 (RFC 4760 7); the API used to parse it again with its own options
    (any family) and hand the helper an ipv6 announce the session refused."""
    d = tempfile.mkdtemp(prefix="fastbgp-once-")
    events = os.path.join(d, "events.json")
    record = os.path.join(TOP, "tests", "api", "record.py")
    conf = ("process rec { run %s %s; encoder json; }\n" % (record, events) +
            neighbor(families="ipv4 unicast;", peer_as=65001,
                     extra="api { processes [ rec ]; neighbor-changes; receive { parsed; update; } }"))
    daemon, peer, _ = session(conf, asn=65001)
    try:
        updates_until_eor(peer)
        origin = bytes.fromhex("40010100")
        as_path = bytes.fromhex("400206020100 00fde9".replace(" ", ""))
        # eBGP with LOCAL_PREF: RFC 7606 7.5 discards it, ExaBGP still prints it.
        v4 = origin + as_path + bytes.fromhex("4003047f000002" "400504000000c8")
        peer.send(bp.frame(UPDATE, struct.pack("!HH", 0, len(v4)) + v4 + bytes.fromhex("180a0700")))
        mp = struct.pack("!HBB", 2, 1, 16) + bytes.fromhex("20010db8000000000000000000000001") + b"\0" + \
            bytes.fromhex("3020010db80007")
        v6 = origin + as_path + bytes([0x80, 14, len(mp)]) + mp
        peer.send(bp.frame(UPDATE, struct.pack("!HH", 0, len(v6)) + v6))
        expect_notification(peer, 3, 9)

        def down():
            return any(e.get("type") == "state" and e["neighbor"].get("state") == "down"
                       for e in _read_events(events))
        wait_for(down, 10, "the helper's down event")
        evs = _read_events(events)
        ups = [e["neighbor"]["message"]["update"] for e in evs if e.get("type") == "update"]
        assert any("10.7.0.0/24" in json.dumps(u) for u in ups), ups
        v4ev = [u for u in ups if "10.7.0.0/24" in json.dumps(u)][0]
        assert v4ev["attribute"]["local-preference"] == 200
        assert not any("2001:db8:7::/48" in json.dumps(u) or "ipv6" in json.dumps(u) for u in ups), ups
    finally:
        daemon.stop()
        peer.close()
