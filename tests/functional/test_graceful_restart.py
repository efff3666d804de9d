"""Graceful Restart, receiving side (RFC 4724 4.2), against a scripted peer.

The peer (tests/conformance/bgp_peer.py framing) advertises Graceful
Restart, sends routes, then drops the TCP connection as a restarting router
does.  fastbgp must keep the routes as stale, tell the helper (fastbgp's
"graceful-restart" events, docs/json.md) and, once the peer is back, sweep
what was not announced again at End-of-RIB, flush a family whose forwarding
state was not kept, or give up at the end of the restart or stale time; the
routes that go reach the helper as normal withdrawals.  A NOTIFICATION ends
the session without Graceful Restart.  Every wait is bounded; fastbgp is
stopped by PID.
"""
import ipaddress
import json
import os
import socket
import struct
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_session import Daemon, Peer, TOP, bp, free_port, updates_until_eor  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "tests", "api"))
from json_lines import read_json_lines  # noqa: E402
from scripted_peer import connected_daemon  # noqa: E402

RECORD = os.path.join(TOP, "tests", "api", "record.py")
F_BIT = 0x80
V4, V6 = (1, 1), (2, 1)


# ------------------------------------------------------------ messages

def gr_capability(restart_time, families, flags=0):
    """families: list of ((afi, safi), forwarding bool)."""
    value = struct.pack("!H", (flags << 12) | restart_time)
    for (afi, safi), forwarding in families:
        value += struct.pack("!HBB", afi, safi, F_BIT if forwarding else 0)
    return bp.capability(64, value)


def open_caps(gr=None):
    caps = [bp.capability(1, struct.pack("!HBB", 1, 0, 1)),
            bp.capability(1, struct.pack("!HBB", 2, 0, 1)),
            bp.capability(65, struct.pack("!I", 65000))]
    if gr is not None:
        caps.append(gr)
    return caps


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def prefix(text):
    net = ipaddress.ip_network(text)
    nbytes = (net.prefixlen + 7) // 8
    return bytes([net.prefixlen]) + net.network_address.packed[:nbytes]


BASE_ATTRS = attr(0x40, 1, b"\x00") + attr(0x40, 2, b"")  # ORIGIN IGP, empty AS_PATH (iBGP)


def update_v4(prefixes, next_hop="127.0.0.2"):  # not fastbgp's own address (RFC 4271 6.3)
    attrs = BASE_ATTRS + attr(0x40, 3, ipaddress.IPv4Address(next_hop).packed)
    body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs + b"".join(prefix(p) for p in prefixes)
    return bp.frame(2, body)


def update_v6(prefixes, next_hop="::1"):
    mp = struct.pack("!HBB", 2, 1, 16) + ipaddress.IPv6Address(next_hop).packed + b"\x00"
    mp += b"".join(prefix(p) for p in prefixes)
    attrs = BASE_ATTRS + attr(0x80, 14, mp)
    return bp.frame(2, struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs)


def eor(family):
    if family == V4:
        return bp.frame(2, b"\x00\x00\x00\x00")
    mpu = attr(0x80, 15, struct.pack("!HB", *family))
    return bp.frame(2, struct.pack("!H", 0) + struct.pack("!H", len(mpu)) + mpu)


# ------------------------------------------------------------ harness

CONF = """process rec {{ run {record} {events}; encoder {encoder}; }}
neighbor 127.0.0.1 {{
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65000; peer-as 65000; hold-time 30;
    family {{ ipv4 unicast; ipv6 unicast; }}
    capability {{ graceful-restart 120; }}
    api {{ processes [ rec ]; neighbor-changes; {gr_events} receive {{ parsed; update; }} }}
}}
"""


class Lab:
    def __init__(self, env=None, gr_events=True, encoder="json"):
        self.dir = tempfile.mkdtemp(prefix="fastbgp-gr-")
        self.events = os.path.join(self.dir, "events.json")
        self.peer = Peer()
        e = {"exabgp_tcp_port": str(self.peer.port)}
        e.update(env or {})
        self.d = Daemon(CONF.format(record=RECORD, events=self.events, encoder=encoder,
                                    gr_events="graceful-restart;" if gr_events else ""), e)

    def establish(self, caps):
        """Accepts fastbgp's (next) connection and brings the session up."""
        if self.peer.conn:
            self.peer.conn.close()
            self.peer.conn = None
        self.peer.accept(timeout=15)
        their_open = self.peer.read()
        assert their_open is not None and their_open[18] == 1, "no OPEN from fastbgp"
        self.peer.send(bp.build_open(65000, 30, "10.0.0.2", caps))
        self.peer.send(bp.build_keepalive())
        updates_until_eor(self.peer, families=2)  # fastbgp's own (empty) table
        return their_open

    def drop_tcp(self):
        """The peer's control plane dies: the connection goes, no NOTIFICATION."""
        self.peer.conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.peer.conn.close()
        self.peer.conn = None

    def evs(self):
        return read_json_lines(self.events)

    def wait(self, cond, what, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = cond(self.evs())
            if got:
                return got
            time.sleep(0.1)
        raise AssertionError("timed out waiting for %s; events:\n%s\nlog:\n%s" % (
            what, "\n".join(json.dumps(e) for e in self.evs()), self.d.text()[-3000:]))

    def close(self):
        code = self.d.stop()
        self.peer.close()
        return code


def gr_events(evs, state=None):
    return [e["neighbor"]["graceful-restart"] for e in evs
            if e.get("type") == "graceful-restart" and (state is None or e["neighbor"]["graceful-restart"]["state"] == state)]


def withdrawn(evs):
    """Prefixes withdrawn in the update events, in order."""
    out = []
    for e in evs:
        if e.get("type") != "update":
            continue
        upd = e["neighbor"]["message"].get("update", {})
        for fam, nlris in upd.get("withdraw", {}).items():
            out.extend((fam, n["nlri"]) for n in nlris)
    return out


def announce_table(lab):
    lab.peer.send(update_v4(["10.1.0.0/24", "10.2.0.0/24", "10.3.0.0/24"]))
    lab.peer.send(update_v6(["2001:db8:1::/48"]))
    lab.peer.send(eor(V4))
    lab.peer.send(eor(V6))
    lab.wait(lambda evs: any("eor" in e["neighbor"].get("message", {}) for e in evs if e.get("type") == "update"
                             and e["neighbor"]["message"].get("eor", {}).get("afi") == "ipv6"),
             "the helper to see the peer's table")


# ------------------------------------------------------------ tests

def test_stale_then_swept_at_end_of_rib():
    lab = Lab()
    try:
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        announce_table(lab)
        lab.drop_tcp()
        stale = lab.wait(lambda evs: gr_events(evs, "stale"), "the stale event")[0]
        assert stale == {"state": "stale", "time": 120, "routes": {"ipv4 unicast": 3, "ipv6 unicast": 1}}
        evs = lab.evs()
        kinds = [(e["type"], e["neighbor"].get("state") or e["neighbor"].get("graceful-restart", {}).get("state"))
                 for e in evs]
        assert kinds.index(("state", "down")) < kinds.index(("graceful-restart", "stale")), kinds
        assert withdrawn(evs) == [], "routes withdrawn while the peer restarts"

        # Back with forwarding state kept for IPv4 only: IPv6 goes at once.
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, False)], flags=0x8)))
        flushed = lab.wait(lambda evs: gr_events(evs, "flushed"), "the flushed event")[0]
        assert flushed == {"state": "flushed", "routes": {"ipv6 unicast": 1}}
        assert withdrawn(lab.evs()) == [("ipv6 unicast", "2001:db8:1::/48")]

        # 10.1.0.0/24 announced again, then End-of-RIB: the other two go.
        lab.peer.send(update_v4(["10.1.0.0/24"], next_hop="127.0.0.9"))
        lab.peer.send(eor(V4))
        swept = lab.wait(lambda evs: gr_events(evs, "swept"), "the swept event")[0]
        assert swept == {"state": "swept", "routes": {"ipv4 unicast": 2}}
        assert sorted(withdrawn(lab.evs())) == [("ipv4 unicast", "10.2.0.0/24"), ("ipv4 unicast", "10.3.0.0/24"),
                                                ("ipv6 unicast", "2001:db8:1::/48")]
        # the swept withdrawals come before the event that sums them up
        kinds = [(e["type"], e["neighbor"].get("graceful-restart", {}).get("state")) for e in lab.evs()]
        assert kinds.index(("graceful-restart", "swept")) > max(
            i for i, e in enumerate(lab.evs()) if e.get("type") == "update"
            and "10.3.0.0/24" in json.dumps(e["neighbor"]["message"].get("update", {}).get("withdraw", {})))
        assert "graceful restart: swept, 2 routes" in lab.d.text()
    finally:
        assert lab.close() == 0


def test_restart_time_expires_when_the_peer_stays_away():
    lab = Lab()
    try:
        lab.establish(open_caps(gr_capability(2, [(V4, True), (V6, True)])))
        announce_table(lab)
        # The peer does not answer fastbgp's reconnections (they wait in
        # the listen queue), so the session is not back within 2 s.
        lab.drop_tcp()
        t0 = time.monotonic()
        lab.wait(lambda evs: gr_events(evs, "stale"), "the stale event")
        expired = lab.wait(lambda evs: gr_events(evs, "expired"), "the expired event", timeout=10)[0]
        assert time.monotonic() - t0 >= 1.5
        assert expired == {"state": "expired", "routes": {"ipv4 unicast": 3, "ipv6 unicast": 1}}
        assert sorted(withdrawn(lab.evs())) == [("ipv4 unicast", "10.1.0.0/24"), ("ipv4 unicast", "10.2.0.0/24"),
                                                ("ipv4 unicast", "10.3.0.0/24"), ("ipv6 unicast", "2001:db8:1::/48")]
    finally:
        assert lab.close() == 0


def test_stale_time_bounds_the_wait_for_end_of_rib():
    lab = Lab(env={"exabgp_bgp_graceful_stale_time": "2"})
    try:
        caps = open_caps(gr_capability(120, [(V4, True), (V6, True)]))
        lab.establish(caps)
        announce_table(lab)
        lab.drop_tcp()
        lab.wait(lambda evs: gr_events(evs, "stale"), "the stale event")
        lab.establish(caps)  # back, but never sends End-of-RIB
        lab.peer.send(update_v6(["2001:db8:1::/48"]))
        t0 = time.monotonic()
        expired = lab.wait(lambda evs: gr_events(evs, "expired"), "the expired event", timeout=10)[0]
        assert time.monotonic() - t0 >= 1.5
        assert expired == {"state": "expired", "routes": {"ipv4 unicast": 3, "ipv6 unicast": 0}}
        assert len(withdrawn(lab.evs())) == 3
    finally:
        assert lab.close() == 0


def test_notification_ends_the_session_without_graceful_restart():
    lab = Lab()
    try:
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        announce_table(lab)
        lab.peer.send(bp.build_notification(6, 4))  # Cease, Administrative Reset
        lab.wait(lambda evs: [e for e in evs if e.get("type") == "state" and e["neighbor"]["state"] == "down"],
                 "the down event")
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        lab.wait(lambda evs: len([e for e in evs if e.get("type") == "state" and e["neighbor"]["state"] == "up"]) == 2,
                 "the session back")
        lab.peer.send(eor(V4))
        time.sleep(0.5)
        assert gr_events(lab.evs()) == []
        assert withdrawn(lab.evs()) == []
    finally:
        assert lab.close() == 0


def test_no_events_without_the_subscription_but_routes_still_kept():
    lab = Lab(gr_events=False)
    try:
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        announce_table(lab)
        lab.drop_tcp()
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        lab.peer.send(eor(V4))
        lab.peer.send(eor(V6))
        got = lab.wait(lambda evs: len(withdrawn(evs)) == 4 and withdrawn(evs), "the swept withdrawals")
        assert len(got) == 4
        assert gr_events(lab.evs()) == []
    finally:
        assert lab.close() == 0


# ------------------------------------------------------------ restarting side

def first_open(cmd, conf_text, workdir):
    """The OPEN a daemon sends for conf_text (it connects to us)."""
    conf = os.path.join(workdir, "open.conf")
    with open(conf, "w") as fh:
        fh.write(conf_text)
    with connected_daemon(cmd, conf, workdir, accept_timeout=20) as (_conn, reader):
        return reader.read(10)


OPEN_CONF = """neighbor 127.0.0.1 { router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;
    hold-time 90; family { ipv4 unicast; ipv6 unicast; } capability { graceful-restart 120; } }
"""


def test_open_advertises_restart_state_and_forwarding_as_exabgp():
    """RFC 4724 3: restart time 120, the R bit (fastbgp cannot tell a first
    start from a restart, and ExaBGP 4.2 always sets it) and the F bit for
    every family, so a peer keeps our routes across a restart."""
    import shutil
    raw = first_open([os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp"))], OPEN_CONF,
                     tempfile.mkdtemp(prefix="fastbgp-gr-open-"))
    caps = dict(bp.parse_open(raw)["capabilities"])
    assert caps[64] == struct.pack("!HHBBHBB", 0x8000 | 120, 1, 1, F_BIT, 2, 1, F_BIT)
    exabgp = shutil.which("exabgp")
    if exabgp:
        ref = first_open([exabgp], OPEN_CONF, tempfile.mkdtemp(prefix="exabgp-gr-open-"))
        assert raw == ref, "OPEN differs from ExaBGP 4.2's:\n%s\n%s" % (raw.hex(), ref.hex())


def stop_and_collect(lab):
    """SIGTERM fastbgp; the messages it sends before the connection closes."""
    import signal
    lab.d.proc.send_signal(signal.SIGTERM)
    got = []
    while True:
        raw = lab.peer.reader.read(10)
        if raw is None:
            break
        if raw[18] != 4:
            got.append(raw)
    assert lab.peer.reader.eof, "fastbgp did not close the connection"
    return got


def test_shutdown_with_graceful_restart_closes_without_cease():
    """RFC 4724 4.1: stopping fastbgp (SIGTERM) is a restart for a peer that
    negotiated Graceful Restart: the connection closes without a Cease (as
    ExaBGP 4.2 closes it), so the peer keeps our routes as stale."""
    lab = Lab()
    try:
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        got = stop_and_collect(lab)
        assert [m for m in got if m[18] == 3] == [], [bp.describe(m) for m in got]
        assert lab.d.proc.wait(timeout=15) == 0
        assert "closing without NOTIFICATION (graceful restart" in lab.d.text()
    finally:
        lab.close()


def test_shutdown_without_the_peers_capability_sends_cease():
    lab = Lab()
    try:
        lab.establish(open_caps())
        got = stop_and_collect(lab)
        assert [(m[19], m[20]) for m in got if m[18] == 3] == [(6, 2)], [bp.describe(m) for m in got]
        assert lab.d.proc.wait(timeout=15) == 0
    finally:
        lab.close()


def test_text_encoder_events():
    lab = Lab(encoder="text")
    try:
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        lab.peer.send(update_v4(["10.1.0.0/24", "10.2.0.0/24"]))
        lab.peer.send(eor(V4))
        lab.peer.send(eor(V6))

        def lines():
            try:
                with open(lab.events) as fh:
                    return fh.read().splitlines()
            except FileNotFoundError:
                return []
        deadline = time.monotonic() + 15
        while not any("eor 2/1" in l for l in lines()) and time.monotonic() < deadline:
            time.sleep(0.1)
        lab.drop_tcp()
        lab.establish(open_caps(gr_capability(120, [(V4, True), (V6, True)])))
        lab.peer.send(eor(V4))
        want = ["neighbor 127.0.0.1 graceful-restart stale time 120 ipv4 unicast 2 ipv6 unicast 0",
                "neighbor 127.0.0.1 receive update withdrawn 10.1.0.0/24",
                "neighbor 127.0.0.1 graceful-restart swept ipv4 unicast 2"]
        while time.monotonic() < deadline and not all(any(l.startswith(w) for l in lines()) for w in want[::2]):
            time.sleep(0.1)
        text = lines()
        assert want[0] in text and want[2] in text, "\n".join(text)
        assert any(l.startswith("neighbor 127.0.0.1 receive update withdrawn 10.") for l in text), "\n".join(text)
        assert text.index(want[0]) + 1 < len(text) and text[text.index(want[0]) + 1] == ""  # an empty line after
    finally:
        assert lab.close() == 0


def test_new_connection_while_established_is_the_peers_restart():
    """RFC 4724 4.2: fastbgp listens; the peer restarts so fast that the old
    connection still looks alive, and connects again.  With Graceful
    Restart negotiated the new connection replaces the old one (which gets
    Cease 6/7), and the routes are kept stale until End-of-RIB."""
    d = tempfile.mkdtemp(prefix="fastbgp-gr-passive-")
    ev = os.path.join(d, "events.json")
    port = free_port("127.0.0.3")
    conf = ("process rec { run %s %s; encoder json; }\n"
            "neighbor 127.0.0.4 { router-id 10.0.0.3; local-address 127.0.0.3; local-as 65000; peer-as 65000;"
            " passive; hold-time 30; family { ipv4 unicast; } capability { graceful-restart 120; }"
            " api { processes [ rec ]; graceful-restart; receive { parsed; update; } } }\n" % (RECORD, ev))
    daemon = Daemon(conf, {"exabgp_tcp_bind": "127.0.0.3", "exabgp_tcp_port": str(port)})
    caps = open_caps(gr_capability(120, [(V4, True)]))

    def connect():
        deadline = time.monotonic() + 10
        while True:
            s = socket.socket()
            s.bind(("127.0.0.4", 0))
            try:
                s.connect(("127.0.0.3", port))
                break
            except ConnectionRefusedError:
                s.close()
                assert time.monotonic() < deadline, "fastbgp does not listen"
                time.sleep(0.1)
        s.sendall(bp.build_open(65000, 30, "10.0.0.4", caps) + bp.build_keepalive())
        r = bp.MessageReader(s)
        kinds = []
        while 2 not in kinds:  # fastbgp's OPEN, KEEPALIVE, then its End-of-RIB
            raw = r.read(10)
            assert raw is not None, "session not up (got %s)" % kinds
            kinds.append(raw[18])
        return s, r

    old = new = None
    try:
        old, old_r = connect()
        old.sendall(update_v4(["10.4.1.0/24", "10.4.2.0/24"]) + eor(V4))
        deadline = time.monotonic() + 10
        while "10.4.2.0/24" not in json.dumps(read_json_lines(ev)) and time.monotonic() < deadline:
            time.sleep(0.1)
        new, new_r = connect()
        cease = None
        while True:
            raw = old_r.read(5)
            if raw is None or raw[18] == 3:
                cease = raw
                break
        assert cease is not None and (cease[19], cease[20]) == (6, 7), "old connection not retired"
        new.sendall(update_v4(["10.4.1.0/24"]) + eor(V4))
        deadline = time.monotonic() + 10
        while len(gr_events(read_json_lines(ev))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        evs = read_json_lines(ev)
        assert gr_events(evs) == [{"state": "stale", "time": 120, "routes": {"ipv4 unicast": 2}},
                                  {"state": "swept", "routes": {"ipv4 unicast": 1}}], daemon.text()[-2000:]
        assert withdrawn(evs) == [("ipv4 unicast", "10.4.2.0/24")]
        assert "the peer restarted (graceful restart)" in daemon.text()
    finally:
        for s in (old, new):
            if s:
                s.close()
        assert daemon.stop() == 0
