"""The process API end to end: two fastbgp on loopback, helpers on both
sides (tests/api/), checked through what the helpers see."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
API = os.path.join(TOP, "tests", "api")
FASTBGP = os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp"))


sys.path.insert(0, os.path.join(TOP, "tests"))
from testports import free_port  # noqa: E402  (FASTBGP_TEST_PORT_BASE or the OS)


class Pair:
    """A receiving fastbgp (listening, passive) and a sending one."""

    def __init__(self, rx_body, tx_body, hold=30, rx_procs="", tx_procs="", env=None, tx_env=None, rx_env=None):
        self.dir = tempfile.mkdtemp(prefix="fastbgp-api-")
        self.port = str(free_port("127.0.0.3"))
        rx = ("%s\nneighbor 127.0.0.4 { router-id 10.0.0.3; local-address 127.0.0.3; local-as 65003;"
              " peer-as 65004; passive; hold-time %d; %s }\n" % (rx_procs, hold, rx_body))
        tx = ("%s\nneighbor 127.0.0.3 { router-id 10.0.0.4; local-address 127.0.0.4; local-as 65004;"
              " peer-as 65003; hold-time %d; %s }\n" % (tx_procs, hold, tx_body))
        e = dict(os.environ)
        e.update(env or {})
        self.procs = []
        self.rx = self._start("rx", rx, dict(e, exabgp_tcp_bind="127.0.0.3", exabgp_tcp_port=self.port,
                                             **(rx_env or {})))
        time.sleep(0.3)
        self.tx = self._start("tx", tx, dict(e, exabgp_tcp_bind="", exabgp_tcp_port=self.port, **(tx_env or {})))

    def _start(self, name, text, env):
        conf = os.path.join(self.dir, name + ".conf")
        with open(conf, "w") as fh:
            fh.write(text)
        log = open(os.path.join(self.dir, name + ".log"), "w")
        p = subprocess.Popen([FASTBGP, conf], env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def path(self, name):
        return os.path.join(self.dir, name)

    def log(self, name):
        with open(self.path(name + ".log")) as fh:
            return fh.read()

    def stop(self):
        return [stop_process(p) for p in reversed(self.procs)]


def stop_process(p, timeout=15):
    """SIGTERM, SIGKILL if it is still there after timeout; the exit code."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=5)
    return p.returncode


def wait_for(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def read_lines(path):
    try:
        with open(path) as fh:
            return fh.read().splitlines()
    except FileNotFoundError:
        return []


def test_helper_routes_reach_the_other_side_as_json():
    d = tempfile.mkdtemp(prefix="fastbgp-api-ev-")
    events = os.path.join(d, "events.json")
    pair = Pair(
        rx_procs="process rec { run %s/record.py %s; encoder json; }" % (API, events),
        rx_body="api { processes [ rec ]; neighbor-changes; receive { parsed; update; } }",
        tx_procs="process add { run %s/announce.sh; encoder text; }" % API,
        tx_body="family { ipv4 unicast; } static { route 10.9.0.0/24 next-hop self; } api { processes [ add ]; }")
    try:
        def have_all():
            text = "\n".join(read_lines(events))
            return all(p in text for p in ("10.9.0.0/24", "10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"))
        wait_for(have_all, 20, "the four prefixes in the receiver's helper")
        evs = [json.loads(line) for line in read_lines(events)]
        assert all(e["exabgp"] == "4.0.1" for e in evs)
        states = [e["neighbor"]["state"] for e in evs if e["type"] == "state"]
        assert "up" in states
        ups = [e for e in evs if e["type"] == "update" and "update" in e["neighbor"]["message"]]
        by_prefix = {}
        for e in ups:
            u = e["neighbor"]["message"]["update"]
            for nh, nlris in u["announce"]["ipv4 unicast"].items():
                for n in nlris:
                    by_prefix[n["nlri"]] = (nh, u["attribute"])
        nh, attrs = by_prefix["10.0.1.0/24"]
        assert nh == "127.0.0.4" and attrs["med"] == 100 and attrs["as-path"] == [65004]
        assert by_prefix["10.0.2.0/24"][1]["community"] == [[65000, 1], [65000, 2]]
    finally:
        codes = pair.stop()
    # the helper got the shutdown message; the daemon exited cleanly (ASan: no leak)
    assert any('"notification": "shutdown"' in line for line in read_lines(events))
    assert codes == [0, 0], codes


def test_show_commands_from_a_helper():
    d = tempfile.mkdtemp(prefix="fastbgp-api-show-")
    out = os.path.join(d, "out.txt")
    pair = Pair(
        rx_body="",
        tx_procs="process cli { run %s/record.py %s; encoder text; }" % (API, out),
        tx_body="family { ipv4 unicast; } static { route 10.9.0.0/24 next-hop self med 5; } api { processes [ cli ]; }")
    try:
        wait_for(lambda: "-> ESTABLISHED" in pair.log("tx"), 15, "the session")
        # record.py only sends its commands at start: run them through a second helper instance
        pair.stop()
        pair2 = Pair(
            rx_body="",
            tx_procs=("process cli { run %s/record.py %s 'show adj-rib out' 'show neighbor summary' 'version' "
                      "'bogus command'; encoder text; }" % (API, out)),
            tx_body="family { ipv4 unicast; } static { route 10.9.0.0/24 next-hop self med 5; } api { processes [ cli ]; }")
        try:
            wait_for(lambda: sum(1 for l in read_lines(out) if l in ("done", "error")) >= 4, 15, "four replies")
            lines = read_lines(out)
            assert any("10.9.0.0/24" in l and "next-hop" in l for l in lines), lines
            assert any(l.startswith("Peer") for l in lines), lines
            assert "error" in lines
        finally:
            pair2.stop()
    finally:
        pair.stop()


def test_hundred_thousand_routes_from_a_helper():
    d = tempfile.mkdtemp(prefix="fastbgp-api-flood-")
    counts = os.path.join(d, "counts")
    pair = Pair(
        rx_procs="process count { run %s/count.py %s; encoder json; }" % (API, counts),
        rx_body="api { processes [ count ]; receive { parsed; update; } }",
        tx_procs="process flood { run %s/flood.py 100000 self; encoder text; }" % API,
        tx_body="family { ipv4 unicast; } api { processes [ flood ]; }")
    try:
        def done():
            c = read_lines(counts)
            return c and int(c[0].split()[0]) >= 100000
        wait_for(done, 120, "100,000 prefixes at the receiving helper")
        assert int(read_lines(counts)[0].split()[0]) == 100000
    finally:
        pair.stop()


def test_helper_that_never_reads_does_not_kill_sessions():
    hold = 3
    pair = Pair(
        hold=hold,
        rx_procs="process mute { run %s/no_read.sh; encoder json; }" % API,
        rx_body="api { processes [ mute ]; receive { parsed; update; keepalive; } }",
        tx_procs="process flood { run %s/flood.py 100000 self; encoder text; }" % API,
        # one prefix per UPDATE: 100,000 events, far more than the queue holds
        tx_body="group-updates false; family { ipv4 unicast; } api { processes [ flood ]; }",
        env={"exabgp_api_queue": "100"})
    try:
        wait_for(lambda: "-> ESTABLISHED" in pair.log("rx"), 15, "the session")
        time.sleep(3 * hold + 2)
        for side in ("rx", "tx"):
            log = pair.log(side)
            assert "hold timer expired" not in log, side
            assert "ESTABLISHED -> IDLE" not in log, side
        assert "pausing reads from peers" in pair.log("rx")
        assert pair.rx.poll() is None and pair.tx.poll() is None
    finally:
        pair.stop()


def test_decode_matches_expected_json():
    r = subprocess.run(["sh", os.path.join(API, "check_decode.sh"), FASTBGP], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("PASS") >= 10


def test_fastbgpctl_over_the_control_socket():
    d = tempfile.mkdtemp(prefix="fastbgp-api-ctl-")
    sock = os.path.join(d, "ctl.sock")
    events = os.path.join(d, "events.json")
    ctl = os.path.join(os.path.dirname(FASTBGP), "fastbgpctl")
    pair = Pair(
        rx_procs="process rec { run %s/record.py %s; encoder json; }" % (API, events),
        rx_body="api { processes [ rec ]; receive { parsed; update; } }",
        tx_body="family { ipv4 unicast; } static { route 10.9.0.0/24 next-hop self; }",
        tx_env={"exabgp_api_socket": sock})
    try:
        wait_for(lambda: "-> ESTABLISHED" in pair.log("tx") and os.path.exists(sock), 15, "session and socket")
        r = subprocess.run([ctl, "-s", sock, "s", "n", "s"], capture_output=True, text=True, timeout=10)
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines()[0].startswith("Peer") and "established" in r.stdout
        r = subprocess.run([ctl, "-s", sock, "announce", "route", "10.77.0.0/16", "next-hop", "self"],
                           capture_output=True, text=True, timeout=10)
        assert r.returncode == 0 and r.stdout.strip() == "done"
        wait_for(lambda: "10.77.0.0/16" in "\n".join(read_lines(events)), 10, "the route at the receiver")
        r = subprocess.run([ctl, "-s", sock, "no", "such", "command"], capture_output=True, text=True, timeout=10)
        assert r.returncode == 1 and r.stdout == "error: unknown command 'no'\nerror\n", r.stdout
    finally:
        pair.stop()
    assert not os.path.exists(sock), "the socket file is removed at exit"
    r = subprocess.run([ctl, "-s", sock, "version"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2 and "cannot reach" in r.stderr


def test_adj_rib_in_shown_and_cleared():
    d = tempfile.mkdtemp(prefix="fastbgp-api-ribin-")
    sock = os.path.join(d, "rx.sock")
    ctl = os.path.join(os.path.dirname(FASTBGP), "fastbgpctl")
    pair = Pair(
        rx_body="",
        tx_body=("family { ipv4 unicast; ipv6 unicast; } static { route 10.9.0.0/24 next-hop self med 5; "
                 "route 2001:db8:9::/48 next-hop 2001:db8::9; }"),
        rx_env={"exabgp_api_socket": sock})

    def show():
        r = subprocess.run([ctl, "-s", sock, "show", "adj-rib", "in"], capture_output=True, text=True, timeout=10)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout
    try:
        wait_for(lambda: os.path.exists(sock) and "2001:db8:9::/48" in show(), 15, "routes in the adj-rib-in")
        out = show()
        assert "10.9.0.0/24 next-hop 127.0.0.4" in out, out
        r = subprocess.run([ctl, "-s", sock, "clear", "adj-rib", "in"], capture_output=True, text=True, timeout=10)
        assert r.returncode == 0
        assert show().strip() == "done"
    finally:
        pair.stop()
