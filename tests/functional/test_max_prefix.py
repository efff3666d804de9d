"""maximum-prefix against a scripted peer sending N+1 prefixes: Cease 6/1
with RFC 4486's data (AFI, SAFI, upper bound), the restart timer, the
hold-down without one, and warning-only."""
import os
import select
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_session import bp, expect_notification, neighbor, session, updates_until_eor  # noqa: E402

UPDATE = 2


def announce(first, count):
    """One UPDATE with 10.50.first.0/24 .. count prefixes, from iBGP AS 65000."""
    attrs = bytes.fromhex("40010100" "400206020100 00fdf2".replace(" ", "") + "4003047f000002")
    nlri = b"".join(bytes([24, 10, 50, first + i]) for i in range(count))
    return bp.frame(UPDATE, struct.pack("!HH", 0, len(attrs)) + attrs + nlri)


def withdraw(first, count):
    w = b"".join(bytes([24, 10, 50, first + i]) for i in range(count))
    return bp.frame(UPDATE, struct.pack("!H", len(w)) + w + b"\x00\x00")


def start(extra):
    conf = neighbor(extra=extra, families="ipv4 unicast; ipv6 unicast;")
    d, peer, _ = session(conf)
    updates_until_eor(peer, families=2)
    return d, peer


def session_stays_up(peer, seconds):
    """No NOTIFICATION and no close within seconds (a timed-out read would
    mark bgp_peer's reader at end of stream: select and peek instead)."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        if not select.select([peer.conn], [], [], left)[0]:
            return True
        head = peer.conn.recv(19, socket.MSG_PEEK)
        if len(head) < 19:
            if not head:
                return False
            continue
        if head[18] == 3:
            return False
        peer.read(5)  # a KEEPALIVE or UPDATE: taken, keep watching


def reconnects_within(peer, seconds):
    peer.srv.settimeout(seconds)
    try:
        conn, _ = peer.srv.accept()
    except socket.timeout:
        return False
    conn.close()
    return True


def test_limit_exceeded_sends_cease_with_rfc4486_data_then_restarts():
    d, peer = start("maximum-prefix ipv4 unicast 3 restart 2;")
    try:
        peer.send(announce(0, 3))          # at the limit: fine
        peer.send(withdraw(0, 1))          # withdrawals count down
        peer.send(announce(3, 1))          # 3 again
        assert session_stays_up(peer, 1), "NOTIFICATION at the limit"
        peer.send(announce(10, 1))         # N+1
        raw = peer.read(10)
        assert raw is not None and raw[18] == 3, "no NOTIFICATION past the limit"
        assert (raw[19], raw[20]) == (6, 1), bp.describe(raw)
        assert raw[21:] == struct.pack("!HBI", 1, 1, 3), raw[21:].hex()  # AFI 1, SAFI 1, bound 3
        t0 = time.monotonic()
        assert not reconnects_within(peer, 1.2), "reconnected before the restart timer"
        assert reconnects_within(peer, 5), "no reconnection after the restart timer"
        assert time.monotonic() - t0 >= 1.5
        assert "4 ipv4/unicast prefixes received, above maximum-prefix 3" in d.text()
    finally:
        d.stop()
        peer.close()


def test_limit_without_restart_stays_down():
    d, peer = start("maximum-prefix 2;")  # every family
    try:
        peer.send(announce(0, 3))
        expect_notification(peer, 6, 1)
        assert not reconnects_within(peer, 3), "reconnected though no restart is configured"
        assert "no restart until a teardown or a reload" in d.text()
    finally:
        d.stop()
        peer.close()


def test_warning_only_keeps_the_session():
    d, peer = start("maximum-prefix ipv4 unicast 2 warning-only;")
    try:
        peer.send(announce(0, 5))
        peer.send(announce(5, 1))
        assert session_stays_up(peer, 1.5), "warning-only closed the session"
        text = d.text()
        assert "prefixes received, above maximum-prefix 2 (warning-only)" in text
        assert text.count("(warning-only)") == 1, "the warning is logged once per crossing"
    finally:
        d.stop()
        peer.close()
