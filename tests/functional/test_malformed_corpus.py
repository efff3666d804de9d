"""The malformed-message corpus (tests/corpus/malformed.txt) against the real
daemon over TCP.

fastbgp listens on 127.0.0.1 (port from the OS) for two passive
neighbors; the scripted peers connect from 127.0.0.2 (iBGP, with or
without the 4-octet AS capability, with or without ADD-PATH) and
127.0.0.3 (eBGP, AS 65001).  A
helper (tests/api/record.py) writes the JSON events, which show what each
UPDATE did: its routes announced, withdrawn, or announced without an
attribute.  The cases that end the session each get a fresh connection;
the others run back to back on one session per scripted peer, each waiting
for its own event, so the whole corpus takes seconds.  Every wait is
bounded; the daemon is stopped by PID.
"""
import json
import os
import socket
import struct
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "conformance"))
import bgp_peer as bp  # noqa: E402
from test_session import Daemon, free_port  # noqa: E402

CORPUS = os.path.join(TOP, "tests", "corpus", "malformed.txt")
RECORD = os.path.join(TOP, "tests", "api", "record.py")
KNOWN = os.path.join(TOP, "tests", "corpus", "known_failures.txt")
OPEN, UPDATE, NOTIFICATION, KEEPALIVE = 1, 2, 3, 4
PEERS = {"ibgp4": ("127.0.0.2", 65000, True), "ibgp2": ("127.0.0.2", 65000, False),
         "ibgp4ap": ("127.0.0.2", 65000, True), "ebgp4": ("127.0.0.3", 65001, True)}
FAMILIES = [(1, 1), (1, 2), (1, 4), (1, 128), (1, 132), (1, 133), (1, 134), (2, 1), (2, 2), (2, 4), (2, 128),
            (2, 133), (2, 134), (25, 65), (25, 70)]
SESSION_ENDS = ("notify:", "close")


def known_failures():
    """name -> why: cases whose RFC outcome fastbgp does not give yet."""
    known = {}
    with open(KNOWN) as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                name, why = line.split(" | ", 1)
                known[name.strip()] = why.strip()
    return known


def load_corpus():
    cases, family_block = [], None
    with open(CORPUS) as fh:
        for line in fh:
            if line.startswith("# family block of the neighbors: "):
                family_block = line.split(": ", 1)[1].strip()
            if line.startswith("#") or not line.strip():
                continue
            name, session, phase, hexmsg, expect, klass, rfc = [f.strip() for f in line.split(" | ")]
            cases.append(dict(name=name, session=session, phase=phase, msg=bytes.fromhex(hexmsg), expect=expect,
                              klass=klass, rfc=rfc))
    return cases, family_block


def config(family_block):
    text = "process rec { run %s %%s; encoder json; }\n" % RECORD
    for addr, asn in (("127.0.0.2", 65000), ("127.0.0.3", 65001)):
        text += """neighbor %s {
    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65000; peer-as %d; hold-time 30; passive;
    family { %s }
    capability { add-path receive; }
    api { processes [ rec ]; receive { parsed; update; } }
}
""" % (addr, asn, family_block)
    return text


def our_open(session):
    addr, asn, asn4 = PEERS[session]
    caps = [bp.capability(1, struct.pack("!HBB", afi, 0, safi)) for afi, safi in FAMILIES]
    if asn4:
        caps.append(bp.capability(65, struct.pack("!I", asn)))
    if session.endswith("ap"):  # ADD-PATH, we send (2): IPv4 and IPv6 unicast
        caps.append(bp.capability(69, struct.pack("!HBBHBB", 1, 1, 2, 2, 1, 2)))
    return bp.build_open(asn, 30, "10.0.0.%d" % (2 if asn == 65000 else 3), caps)


class Conn:
    """One TCP connection from a scripted peer's address."""

    def __init__(self, port, session):
        addr = PEERS[session][0]
        deadline = time.monotonic() + 10
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port), timeout=2, source_address=(addr, 0))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.reader = bp.MessageReader(self.s)

    def send(self, raw):
        self.s.sendall(raw)

    def next(self, timeout=5, skip=(KEEPALIVE, UPDATE)):
        """The next message not in skip; None at the end of the stream or time."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                raw = self.reader.read(left)
            except (OSError, bp.FramingError):
                return None
            if raw is None or raw[18] not in skip:
                return raw

    def close(self):
        self.s.close()


def open_session(port, session, established=True):
    """A connection with our OPEN sent and theirs read; established when the
    KEEPALIVEs are exchanged.  A connection that arrives while the last one
    is being torn down gets a Cease 6/7: tried again."""
    for _ in range(50):
        c = Conn(port, session)
        c.send(our_open(session))
        m = c.next(skip=())
        if m is not None and m[18] == OPEN:
            m = c.next(skip=())
            assert m is not None and m[18] == KEEPALIVE, "no KEEPALIVE after our OPEN: %s" % (
                bp.describe(m) if m else "nothing")
            if established:
                c.send(bp.build_keepalive())
            return c
        c.close()
        assert m is None or m[18] == NOTIFICATION and m[19:21] == b"\x06\x07", bp.describe(m)
        time.sleep(0.05)
    raise AssertionError("no session for %s" % session)


def closed(c, timeout=3):
    """The other side closed the connection (not merely silent)."""
    if c.reader.buf:
        return False
    c.s.settimeout(timeout)
    try:
        return c.s.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def check_end(c, case):
    """The session must end as the case says: the NOTIFICATION, or a close without one."""
    m = c.next(skip=(KEEPALIVE, UPDATE))
    exp = case["expect"]
    if exp == "close":
        assert m is None and closed(c), "%s: expected a close, got %s" % (case["name"], bp.describe(m) if m
                                                                          else "no close")
        return
    assert m is not None and m[18] == NOTIFICATION, "%s: no NOTIFICATION (%s)" % (case["name"], case["rfc"])
    parts = exp.split(":")
    code, sub = [int(x) for x in parts[1].split("/")]
    assert (m[19], m[20]) == (code, sub), "%s: NOTIFICATION %d/%d, expected %d/%d (%s)" % (
        case["name"], m[19], m[20], code, sub, case["rfc"])
    if len(parts) > 2:
        assert m[21:].hex() == parts[2], "%s: data %s, expected %s" % (case["name"], m[21:].hex(), parts[2])


class Events:
    def __init__(self, path):
        self.path, self.seen = path, 0

    def updates(self, peer):
        try:
            with open(self.path) as fh:
                evs = [json.loads(line) for line in fh if line.startswith("{")]
        except FileNotFoundError:
            return []
        return [e for e in evs if e.get("type") == "update" and e["neighbor"]["address"]["peer"] == peer]

    def next(self, peer, timeout=5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ups = self.updates(peer)
            if len(ups) > self.seen:
                self.seen += 1
                return ups[self.seen - 1]["neighbor"]["message"]
            time.sleep(0.005)
        return None


def check_event(msg, case):
    exp, name = case["expect"], case["name"]
    assert msg is not None, "%s: no event for the UPDATE (%s)" % (name, case["rfc"])
    if exp == "eor":
        assert "eor" in msg, "%s: expected End-of-RIB, got %s" % (name, msg)
        return
    upd = msg.get("update", {})
    if exp == "withdraw":
        assert "announce" not in upd, "%s: routes announced, RFC says withdrawn (%s): %s" % (name, case["rfc"], upd)
        return
    assert "announce" in upd, "%s: nothing announced (%s): %s" % (name, case["rfc"], upd)
    if exp.startswith("discard:"):
        key = exp.split(":", 1)[1]
        assert key not in upd.get("attribute", {}), "%s: %s kept, RFC says discarded (%s)" % (name, key,
                                                                                            case["rfc"])


def run_persistent(port, events, session, cases, failures):
    peer = PEERS[session][0]
    c = open_session(port, session)
    try:
        for case in cases:
            c.send(case["msg"])
            if case["expect"] == "up":
                continue
            try:
                check_event(events.next(peer), case)
            except AssertionError as e:
                failures.append(str(e))
        # nothing in the block ended the session: a route sent last still arrives
        probe = next(x for x in cases if x["expect"] == "announce")
        c.send(probe["msg"])
        assert events.next(peer) is not None, "session %s ended within its block" % session
    finally:
        c.close()


def run_fresh(port, case):
    phase = case["phase"]
    if phase == "preopen":
        c = Conn(port, case["session"])
        c.send(case["msg"])
    elif phase == "open":
        for _ in range(50):
            c = Conn(port, case["session"])
            c.send(case["msg"])
            m = c.next(skip=())
            if m is not None and m[18] == OPEN:
                break
            c.close()
            time.sleep(0.05)
        else:
            raise AssertionError("%s: no OPEN from fastbgp" % case["name"])
        if case["expect"] == "up":
            m = c.next(skip=())
            assert m is not None and m[18] == KEEPALIVE, "%s: OPEN refused (%s): %s" % (
                case["name"], case["rfc"], bp.describe(m) if m else "nothing")
            c.close()
            return
    else:
        c = open_session(port, case["session"], established=phase == "established")
        c.send(case["msg"])
    try:
        check_end(c, case)
    finally:
        c.close()


def test_malformed_corpus():
    cases, family_block = load_corpus()
    assert len(cases) >= 200
    work = tempfile.mkdtemp(prefix="fastbgp-corpus-")
    path = os.path.join(work, "events.json")
    port = free_port()
    d = Daemon(config(family_block) % path, {"exabgp_tcp_bind": "127.0.0.1", "exabgp_tcp_port": str(port)})
    events = Events(path)
    failures = []
    try:
        # the cases that keep the session, one session per scripted peer
        for session in PEERS:
            block = [c for c in cases if c["session"] == session and c["phase"] == "established" and
                     not c["expect"].startswith(SESSION_ENDS)]
            events.seen = len(events.updates(PEERS[session][0]))
            run_persistent(port, events, session, block, failures)
        for case in cases:
            if case["phase"] == "established" and not case["expect"].startswith(SESSION_ENDS):
                continue
            try:
                run_fresh(port, case)
            except AssertionError as e:
                failures.append(str(e))
    finally:
        d.stop()
    known = known_failures()
    unexpected = [f for f in failures if f.split(":", 1)[0] not in known]
    for f in failures:
        if f.split(":", 1)[0] in known:
            sys.stderr.write("known failure: %s (%s)\n" % (f.splitlines()[0], known[f.split(":", 1)[0]]))
    assert not unexpected, "\n".join(unexpected)
    assert "AddressSanitizer" not in d.text()
