"""Limits that protect the process (issue 11 item 4): the memory budget of
one peer's adj-rib-in (exabgp.bgp.adj_rib_in_kib) and the bound on incoming
connections from one address waiting for their OPEN
(exabgp.tcp.pending_per_source).  Loopback only, every wait bounded, the
daemon stopped by PID."""
import re
import socket
import struct
import time

import test_session as ts
from test_helper_faults import wait_log, session_goes_on
from testports import free_port

bp = ts.bp


def ipv4_update(first, count):
    """One UPDATE announcing `count` /32s from the integer address `first`."""
    attrs = (bytes([0x40, 1, 1, 0])                          # ORIGIN IGP
             + bytes([0x40, 2, 0])                            # AS_PATH empty (iBGP)
             + bytes([0x40, 3, 4, 192, 0, 2, 1])              # NEXT_HOP (not ours: RFC 4271 6.3)
             + bytes([0x40, 5, 4, 0, 0, 0, 100]))             # LOCAL_PREF
    nlri = b"".join(b"\x20" + struct.pack("!I", first + i) for i in range(count))
    body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs + nlri
    return bp.frame(2, body)


def test_adj_rib_in_budget_stops_storing_and_logs():
    d, peer, _ = ts.session(ts.neighbor(), env={"exabgp_bgp_adj_rib_in_kib": "64"})
    try:
        ts.updates_until_eor(peer, families=2)
        base = (100 << 24) | (64 << 16)  # 100.64.0.0: shared address space, never leaves the test
        for n in range(10):  # 10 x 800 routes = 8000: well past 64 KiB of entries
            peer.send(ipv4_update(base + n * 800, 800))
        assert wait_log(d, r"adj-rib-in memory budget reached", 15), d.text()[-3000:]
        m = re.search(r"peer \S+: adj-rib-in memory budget reached \(64 KiB, exabgp\.bgp\.adj_rib_in_kib\): "
                      r"(\d+) routes held, new prefixes from this peer are no longer stored", d.text())
        assert m, d.text()[-3000:]
        held = int(m.group(1))
        assert 100 < held < 8000, held
        # The RFC-neutral action: the session is kept (no Cease), the line is logged once.
        session_goes_on(d, peer, seconds=2)
        peer.send(ipv4_update(base + 9000, 500))
        session_goes_on(d, peer, seconds=1)
        assert len(re.findall(r"adj-rib-in memory budget reached", d.text())) == 1, d.text()[-3000:]
    finally:
        d.stop()
        peer.close()


def _connect(addr, port, source):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(3)
    s.connect((addr, port))
    return s


def _closed(s, timeout):
    """True when the daemon closed the connection within timeout."""
    s.settimeout(timeout)
    try:
        return s.recv(100) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


def test_pending_connections_per_source_are_bounded():
    listen = "127.0.0.20"
    port = free_port(listen)
    conf = ""
    for remote in ("127.0.0.21", "127.0.0.22"):
        conf += ts.neighbor(extra="passive;").replace("neighbor 127.0.0.1", "neighbor " + remote).replace(
            "local-address 127.0.0.1", "local-address " + listen)
    d = ts.Daemon(conf, {"exabgp_tcp_bind": listen, "exabgp_tcp_port": str(port),
                         "exabgp_tcp_pending_per_source": "3"})
    socks = []
    try:
        deadline = time.monotonic() + 10
        while "listening on" not in d.text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "listening on" in d.text(), d.text()
        for _ in range(3):  # silent connections, as a slow or hostile peer makes them
            socks.append(_connect(listen, port, "127.0.0.21"))
        deadline = time.monotonic() + 5
        while len(re.findall(r"incoming connection from 127\.0\.0\.21", d.text())) < 3 \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(re.findall(r"incoming connection from 127\.0\.0\.21", d.text())) == 3, d.text()
        extra = _connect(listen, port, "127.0.0.21")
        socks.append(extra)
        assert _closed(extra, 5), "a 4th pending connection from one address must be closed"
        assert wait_log(d, r"connection from \[?127\.0\.0\.21\S* refused: 3 connections from this address already "
                           r"wait for their OPEN \(exabgp\.tcp\.pending_per_source\)", 5), d.text()
        for s in socks[:3]:
            assert not _closed(s, 0.3), "the first three stay parked"
        other = _connect(listen, port, "127.0.0.22")  # another address is not affected
        socks.append(other)
        assert not _closed(other, 1)
        socks[0].close()  # one leaves: room for one more
        assert wait_log(d, r"127\.0\.0\.21.* closed before its OPEN", 5), d.text()
        again = _connect(listen, port, "127.0.0.21")
        socks.append(again)
        assert not _closed(again, 1), "after one left, a new connection from that address is parked"
        assert d.proc.poll() is None
    finally:
        for s in socks:
            s.close()
        d.stop()
