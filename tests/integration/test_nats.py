"""A helper process over NATS (issue 15, docs/fleet.md): a controller in the
test drives fastbgp through a real nats-server (started here, JetStream on,
127.0.0.1, a free port): a command on bgp.all.commands reaches the BIRD peer
and its ack comes back on the reply subject; the routes BIRD sends appear on
bgp.edge1.events.update and in the JetStream stream; the server killed and
restarted: the BGP session stays up and the events of the outage arrive.

The controller speaks the NATS text protocol (CONNECT/SUB/PUB/MSG) over a
socket: Debian has no python3-nats."""

import base64
import json
import os
import shutil
import signal
import socket
import time

import pytest

import peers
from peers import stays, wait_until

FB_AS = 65001
PEER_AS = 65000
NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"

pytestmark = [pytest.mark.bird, pytest.mark.skipif(
    not os.access(NATS_SERVER, os.X_OK), reason="nats-server is not installed (Debian package nats-server)")]


class NatsServer(peers.Daemon):
    kind = "nats-server"

    def __init__(self, lab, port):
        super().__init__(lab, "nats-server")
        self.port = port
        self.store = os.path.join(self.dir, "jetstream")

    def start(self):
        self._spawn([NATS_SERVER, "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", self.store])
        self.wait_ready(lambda: self._accepts(), "nats-server on 127.0.0.1:%d" % self.port)
        return self

    def _accepts(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                return s.recv(5) == b"INFO "
        except OSError:
            return False


class Controller:
    """A minimal NATS client: enough of the text protocol for the test."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.sids = 0
        self.msgs = []  # (subject, reply, payload)
        info = self._line()
        assert info.startswith(b"INFO "), info
        self._send(b'CONNECT {"verbose":false,"pedantic":false,"headers":false,"name":"test"}\r\nPING\r\n')
        self._until_pong(timeout)

    def close(self):
        self.sock.close()

    def _send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        self.sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not data:
            raise AssertionError("nats-server closed the connection")
        self.buf += data
        return True

    def _line(self, deadline=None):
        deadline = deadline or time.time() + 10
        while b"\r\n" not in self.buf:
            if time.time() >= deadline:
                return None
            self._fill(deadline)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _pump(self, deadline):
        """Reads protocol lines until deadline or one MSG; True when a MSG came."""
        line = self._line(deadline)
        if line is None:
            return None
        if line == b"PING":
            self._send(b"PONG\r\n")
        elif line.startswith(b"MSG "):
            parts = line.split()
            n = int(parts[-1])
            reply = parts[3].decode() if len(parts) == 5 else None
            while len(self.buf) < n + 2:
                if not self._fill(deadline + 5):
                    raise AssertionError("truncated MSG")
            payload, self.buf = self.buf[:n], self.buf[n + 2:]
            self.msgs.append((parts[1].decode(), reply, payload.decode()))
        elif line.startswith(b"-ERR"):
            raise AssertionError("nats-server: %s" % line.decode())
        return line

    def _until_pong(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self._pump(deadline) == b"PONG":
                return
        raise AssertionError("no PONG from nats-server")

    def sub(self, subject):
        self.sids += 1
        self._send(b"SUB %s %d\r\n" % (subject.encode(), self.sids))
        self._send(b"PING\r\n")
        self._until_pong(10)

    def pub(self, subject, payload, reply=None):
        data = payload.encode()
        head = "PUB %s %s%d\r\n" % (subject, reply + " " if reply else "", len(data))
        self._send(head.encode() + data + b"\r\n")

    def wait_msg(self, pred, timeout, what):
        deadline = time.time() + timeout
        while True:
            for m in self.msgs:
                if pred(m):
                    return m
            if time.time() >= deadline:
                raise AssertionError("timed out waiting for %s; got %r" % (what, self.msgs[-10:]))
            self._pump(min(deadline, time.time() + 0.5))

    def request(self, subject, payload, timeout=10):
        inbox = "_INBOX.test.%d" % (self.sids + 1)
        self.sub(inbox)
        self.pub(subject, payload, inbox)
        return self.wait_msg(lambda m: m[0] == inbox, timeout, "a reply on %s" % inbox)[2]


def stream_info(ctl, name):
    return json.loads(ctl.request("$JS.API.STREAM.INFO." + name, ""))


def last_event(ctl, stream, subject):
    got = json.loads(ctl.request("$JS.API.STREAM.MSG.GET." + stream, json.dumps({"last_by_subj": subject})))
    return base64.b64decode(got["message"]["data"]).decode() if "message" in got else None


def start_lab(lab, stream=True):
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    nats = NatsServer(lab, lab.port()).start()
    # core NATS keeps nothing: the controller listens before fastbgp starts
    ctl = Controller(nats.port)
    ctl.sub("bgp.edge1.events.>")
    bird = peers.Bird(lab, peer_addr, PEER_AS, port=lab.port(peer_addr))
    bird.add_neighbor(fb_addr, FB_AS, export=True)
    bird.add_static(ipv4_routes=["10.55.0.0/24", "10.55.1.0/24"])
    bird.start()
    conf = ("process controller {\n\tnats nats://127.0.0.1:%d;\n\tsubject bgp.edge1;\n%s\tencoder json;\n}\n"
            % (nats.port, "\tstream BGP_EVENTS;\n" if stream else "")
            + peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                     options=["api { processes [ controller ]; neighbor-changes; "
                                              "receive { parsed; update; } }"]))
    fb = lab.fastbgp(conf, bird.port).start()
    bird.wait_established(timeout=20)
    fb.wait_established(peer_addr, timeout=10)
    return nats, bird, fb, peer_addr, ctl


def is_update_with(prefix, withdrawn=False):
    def pred(m):
        if m[0] != "bgp.edge1.events.update":
            return False
        e = json.loads(m[2])
        msg = e["neighbor"].get("message", {}).get("update", {})
        where = msg.get("withdraw" if withdrawn else "announce", {})
        return any(prefix in json.dumps(v) for v in where.values())
    return pred


def test_command_on_the_fleet_subject_reaches_the_peer_and_is_acked(lab):
    nats, bird, fb, peer_addr, ctl = start_lab(lab, stream=False)
    try:
        # the routes BIRD sends, as JSON update events on their subject
        ctl.wait_msg(is_update_with("10.55.0.0/24"), 15, "the update event of 10.55.0.0/24")
        answer = ctl.request("bgp.all.commands", "announce route 10.66.0.0/24 next-hop 192.0.2.66 med 66")
        assert answer == "done"
        wait_until(lambda: "10.66.0.0/24" in bird.routes(), 10, "BIRD to receive the route sent over NATS")
        # a command it does not understand: the error ack on the reply subject
        assert ctl.request("bgp.edge1.commands", "announce nonsense").startswith("error")
        # the speaker's own subject works as well
        assert ctl.request("bgp.edge1.commands", "withdraw route 10.66.0.0/24") == "done"
        wait_until(lambda: "10.66.0.0/24" not in bird.routes(), 10, "the withdraw to reach BIRD")
    finally:
        ctl.close()
    assert fb.established_count(peer_addr) == 1


def test_events_buffered_while_nats_server_restarts(lab):
    nats, bird, fb, peer_addr, ctl = start_lab(lab, stream=True)
    try:
        ctl.wait_msg(is_update_with("10.55.0.0/24"), 15, "the update event of 10.55.0.0/24")
        wait_until(lambda: stream_info(ctl, "BGP_EVENTS").get("state", {}).get("messages", 0) > 0, 15,
                   "fastbgp to create the stream BGP_EVENTS and publish into it")
        last = wait_until(lambda: last_event(ctl, "BGP_EVENTS", "bgp.edge1.events.update"), 10,
                          "an update event in the stream")
        assert json.loads(last)["type"] == "update"
    finally:
        ctl.close()
    nats.signal(signal.SIGKILL)
    wait_until(lambda: not nats.running(), 5, "nats-server to die")
    nats.proc.wait(5)
    # while the bus is down, BIRD withdraws a route: the event is held
    bird.cli("disable s4")
    stays(lambda: fb.is_established(peer_addr), 3, "the BGP session to stay up while NATS is down")
    nats.start()
    ctl = Controller(nats.port)
    try:
        def withdrawn_in_stream():
            e = last_event(ctl, "BGP_EVENTS", "bgp.edge1.events.update")
            return e and "withdraw" in json.loads(e)["neighbor"].get("message", {}).get("update", {}) and e
        got = wait_until(withdrawn_in_stream, 20, "the withdraw event of the outage in the stream")
        assert "10.55.0.0/24" in got
    finally:
        ctl.close()
    assert fb.established_count(peer_addr) == 1
    assert fb.is_established(peer_addr)


def test_bounded_buffer_drops_and_counts_while_the_server_is_away(lab):
    """exabgp.api.nats_buffer = 2 and no server at first: the BGP session
    comes up all the same, the events beyond 2 (connected, up, update, end-of-RIB: 4) are dropped with a log line,
    and the 2 held ones reach the stream once the server is there."""
    fb_addr, peer_addr = lab.addr(1), lab.addr(2)
    nats = NatsServer(lab, lab.port())  # not started yet
    bird = peers.Bird(lab, peer_addr, PEER_AS, port=lab.port(peer_addr))
    bird.add_neighbor(fb_addr, FB_AS, export=True)
    bird.add_static(ipv4_routes=["10.77.%d.0/24" % i for i in range(20)])
    bird.start()
    conf = ("process controller {\n\tnats nats://127.0.0.1:%d;\n\tsubject bgp.edge1;\n\tstream BGP_EVENTS;\n}\n"
            % nats.port
            + peers.fastbgp_neighbor(peer_addr, fb_addr, FB_AS, PEER_AS, router_id="10.0.0.1",
                                     options=["api { processes [ controller ]; neighbor-changes; "
                                              "receive { parsed; update; } }"]))
    fb = lab.fastbgp(conf, bird.port, env={"exabgp_api_nats_buffer": "2"}).start()
    bird.wait_established(timeout=20)
    fb.wait_established(peer_addr, timeout=10)
    wait_until(lambda: fb.grep(r"NATS buffer full \(2 messages"), 10, "the log line of the dropped events")
    stays(lambda: fb.is_established(peer_addr), 2, "the session while no NATS server runs")
    nats.start()
    ctl = Controller(nats.port)
    try:
        wait_until(lambda: stream_info(ctl, "BGP_EVENTS").get("state", {}).get("messages") == 2, 20,
                   "the 2 held events in the stream")
        stays(lambda: stream_info(ctl, "BGP_EVENTS")["state"]["messages"] == 2, 1, "no more than the 2 held")
    finally:
        ctl.close()
    assert fb.established_count(peer_addr) == 1
