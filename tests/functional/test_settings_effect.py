"""The effect of each setting that no other test shows (the settings audit,
tests/unit/test_settings_audit.c, points at these functions by name).

Each test runs fastbgp twice or more with the setting changed and asserts
the observable difference: log lines, the helper's input, the peer's view.
Every daemon is stopped by PID; every wait is bounded.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from test_api import read_lines as lines_of, wait_for
from test_session import FASTBGP, TOP, Daemon, free_port, neighbor, session

API = os.path.join(TOP, "tests", "api")
RECORD = os.path.join(API, "record.py")
# an UPDATE: ORIGIN IGP, AS_PATH [65000], NEXT_HOP 127.0.0.2 (not fastbgp's own address, RFC 4271 6.3), NLRI 10.7.0.0/24
UPDATE_HEX = ("ffffffffffffffffffffffffffffffff" "002f" "02" "0000" "0014"
              "40010100" "40020602010000fde8" "4003047f000002" "180a0700")


def unreachable_neighbor(extra=""):
    """A neighbor on a port where nothing listens: fastbgp keeps retrying."""
    return neighbor(extra=extra), {"exabgp_tcp_port": str(free_port())}


def run_briefly(conf, env, seconds=1.5, until=None):
    """Starts fastbgp, waits (until a text is logged, or some seconds), stops it by PID."""
    d = Daemon(conf, env)
    try:
        if until:
            wait_for(lambda: until in d.text(), 15, repr(until))
        else:
            time.sleep(seconds)
    finally:
        rc = d.stop()
    return d.text(), rc


STARTING = "starting with"


def test_log_enable():
    conf, env = unreachable_neighbor()
    on, _ = run_briefly(conf, env, until=STARTING)
    off, _ = run_briefly(conf, dict(env, exabgp_log_enable="false"))
    assert STARTING in on
    assert STARTING not in off and "received SIGTERM" not in off, off


def test_log_level():
    conf, env = unreachable_neighbor()
    info, _ = run_briefly(conf, env, until="connection failed")
    warning, _ = run_briefly(conf, dict(env, exabgp_log_level="WARNING"))
    debug, _ = run_briefly(conf, dict(env, exabgp_log_level="DEBUG"), until="next connection attempt")
    assert STARTING in info and "next connection attempt" not in info
    assert STARTING not in warning
    assert STARTING in debug


def test_log_destination():
    conf, env = unreachable_neighbor()
    d = tempfile.mkdtemp(prefix="fastbgp-logdest-")
    path = os.path.join(d, "fastbgp.log")
    out, _ = run_briefly(conf, dict(env, exabgp_log_destination=path))
    assert STARTING not in out, out
    text = "\n".join(lines_of(path))
    assert STARTING in text
    # the file format: "Sun, 06 Dec 2026 20:47:27 PID    daemon        message"
    line = next(l for l in lines_of(path) if STARTING in l)
    assert line[3:5] == ", " and " daemon " in line and " | " not in line, line
    # stderr: Daemon sends both streams to one file, so run it here with stdout apart
    e = dict(os.environ, exabgp_tcp_bind="", exabgp_log_destination="stderr", **env)
    conf_path = os.path.join(d, "x.conf")
    with open(conf_path, "w") as fh:
        fh.write(conf)
    p = subprocess.Popen([FASTBGP, conf_path], env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    p.send_signal(signal.SIGTERM)
    o, err = p.communicate(timeout=15)
    assert STARTING in err.decode() and STARTING not in o.decode()


def test_log_all():
    conf, env = unreachable_neighbor()
    quiet, _ = run_briefly(conf, dict(env, exabgp_log_daemon="false"))
    loud, _ = run_briefly(conf, dict(env, exabgp_log_daemon="false", exabgp_log_all="true"), until=STARTING)
    assert STARTING not in quiet and STARTING in loud


@pytest.mark.parametrize("topic", ["daemon", "configuration", "reactor", "network", "processes", "rib"])
def test_log_topic(topic):
    """Each topic switch turns the lines of its topic on and off."""
    column = "| %-15s |" % topic

    def run(value):
        # api.cli off: without its named pipes it logs errors, shown whatever the topic switches
        env = {"exabgp_log_" + topic: value, "exabgp_api_cli": "false"}
        if topic == "rib":
            # rib lines come from a reload that changes routes of an established session
            d, peer, _ = session(neighbor(routes="route 10.1.0.0/24 next-hop 127.0.0.1;",
                                          families="ipv4 unicast;"), env=env)
            try:
                wait_for(lambda: "established" in d.text(), 10, "the session")
                with open(d.conf) as fh:
                    text = fh.read()
                with open(d.conf, "w") as fh:
                    fh.write(text.replace("10.1.0.0/24", "10.2.0.0/24"))
                d.proc.send_signal(signal.SIGUSR1)
                wait_for(lambda: "configuration reloaded:" in d.text(), 10, "the reload")
                time.sleep(0.5)
            finally:
                d.stop()
                peer.close()
            return d.text()
        conf, port_env = unreachable_neighbor()
        conf = "process rec { run %s %s; encoder json; }\n" % (RECORD, os.devnull) + conf.replace(
            "static {", "api { processes [ rec ]; } static {")
        d = Daemon(conf, dict(port_env, **env))
        try:
            time.sleep(1)
            d.proc.send_signal(signal.SIGUSR1)
            time.sleep(1.5)
        finally:
            d.stop()
        return d.text()

    on, off = run("true"), run("false")
    assert column in on, on
    assert column not in off, off


def test_log_short():
    conf, env = unreachable_neighbor()
    text, _ = run_briefly(conf, dict(env, exabgp_log_short="true"), until=STARTING)
    line = next(l for l in text.splitlines() if STARTING in l)
    assert line.startswith("fastbgp ") and "|" not in line, line


def test_openwait():
    """bgp.openwait: a connection that never sends its OPEN is closed after that many seconds."""
    def silent_connection(openwait):
        port = free_port()
        conf = neighbor(extra="passive;")
        d = Daemon(conf, {"exabgp_tcp_bind": "127.0.0.1", "exabgp_tcp_port": str(port),
                          "exabgp_bgp_openwait": str(openwait)})
        try:
            wait_for(lambda: STARTING in d.text(), 10, "the daemon")
            deadline = time.monotonic() + 10
            while True:
                try:
                    s = socket.create_connection(("127.0.0.1", port), timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "fastbgp does not listen"
                    time.sleep(0.1)
            start = time.monotonic()
            s.settimeout(0.5)
            closed_after = None
            while time.monotonic() - start < 5:
                try:
                    data = s.recv(4096)
                except socket.timeout:
                    continue
                if not data:
                    closed_after = time.monotonic() - start
                    break
            s.close()
            return closed_after
        finally:
            d.stop()

    fast = silent_connection(1)
    assert fast is not None and fast < 4, fast
    assert silent_connection(30) is None


def helper_session(env, commands=(), api="neighbor-changes; receive { parsed; update; }", update=True):
    """A session with a scripted peer and a recording helper; returns the helper's lines."""
    d = tempfile.mkdtemp(prefix="fastbgp-helper-")
    out = os.path.join(d, "helper.txt")
    args = " ".join("'%s'" % c for c in commands)
    encoder = env.pop("encoder", "encoder json;")
    conf = ("process rec { run %s %s %s; %s }\n" % (RECORD, out, args, encoder)
            + neighbor(families="ipv4 unicast;").replace("static {", "api { processes [ rec ]; %s } static {" % api))
    daemon, peer, _ = session(conf, env=env)
    try:
        wait_for(lambda: "established" in daemon.text(), 10, "the session")
        if update:
            peer.send(bytes.fromhex(UPDATE_HEX))
            wait_for(lambda: "10.7.0.0/24" in "\n".join(lines_of(out)), 10, "the update in the helper")
        else:
            time.sleep(1.5)
    finally:
        daemon.stop()
        peer.close()
    return lines_of(out), daemon.text()


def test_api_ack():
    on, _ = helper_session({}, commands=["version"], update=False)
    off, _ = helper_session({"exabgp_api_ack": "false"}, commands=["version"], update=False)
    assert "done" in on, on
    assert "done" not in off and any("fastbgp" in l or "exabgp" in l for l in off), off


def test_api_encoder():
    """A process without an encoder line gets api.encoder's."""
    text, _ = helper_session({"encoder": "", "exabgp_api_encoder": "text"})
    js, _ = helper_session({"encoder": "", "exabgp_api_encoder": "json"})
    t = [l for l in text if "10.7.0.0/24" in l]
    j = [l for l in js if "10.7.0.0/24" in l]
    assert t and not t[0].startswith("{") and t[0].startswith("neighbor 127.0.0.1"), t
    assert j and json.loads(j[0])["type"] == "update", j


def announced(lines):
    for l in lines:
        if "10.7.0.0/24" in l:
            u = json.loads(l)["neighbor"]["message"]["update"]
            return u["announce"]["ipv4 unicast"]["127.0.0.2"]
    raise AssertionError("no update in %r" % lines)


def test_api_compact():
    normal, _ = helper_session({})
    compact, _ = helper_session({"exabgp_api_compact": "true"})
    assert announced(normal) == [{"nlri": "10.7.0.0/24"}]
    assert announced(compact) == ["10.7.0.0/24"]


def test_api_version():
    v4, _ = helper_session({})
    v5, _ = helper_session({"exabgp_api_version": "5"})
    ev4 = [json.loads(l) for l in v4 if l.startswith("{")]
    ev5 = [json.loads(l) for l in v5 if l.startswith("{")]
    assert ev4 and all(e["exabgp"] == "4.0.1" for e in ev4)
    assert ev5 and all(e["exabgp"] == "5.0.0" for e in ev5)


def test_api_line():
    """api.line: a command longer than the limit is dropped (and said so); a shorter one runs."""
    long_cmd = "announce route 10.8.0.0/24 next-hop 127.0.0.1 community [ %s ]" % " ".join(
        "65000:%d" % i for i in range(300))
    assert 1024 < len(long_cmd) < 4096
    small, log_small = helper_session({"exabgp_api_line": "1024"}, commands=[long_cmd], update=False)
    big, log_big = helper_session({"exabgp_api_line": "4096"}, commands=[long_cmd], update=False)
    assert "command line longer than 1024 bytes dropped" in log_small
    assert "done" not in small
    assert "longer than" not in log_big and "done" in big, (big, log_big)


def test_api_respawn():
    """A helper that exits at once is started again (respawn) or not: then
    that helper stops for good and BGP goes on (exabgp.api.terminate unset)."""
    def starts(respawn):
        d = tempfile.mkdtemp(prefix="fastbgp-respawn-")
        marks = os.path.join(d, "starts")
        script = os.path.join(d, "once.sh")
        with open(script, "w") as fh:
            fh.write("#!/bin/sh\necho started >> %s\nexit 0\n" % marks)
        os.chmod(script, 0o755)
        conf, env = unreachable_neighbor()
        conf = "process once { run %s; encoder json; }\n" % script + conf.replace(
            "static {", "api { processes [ once ]; } static {")
        daemon = Daemon(conf, dict(env, exabgp_api_respawn=respawn))
        try:
            wait_for(lambda: daemon.proc.poll() is not None or len(lines_of(marks)) >= 3
                     or "stopped for good" in daemon.text(), 20, "the helper")
            time.sleep(1)
            running = daemon.proc.poll() is None
        finally:
            daemon.stop()
        return len(lines_of(marks)), daemon.text(), running

    n_on, _, _ = starts("true")
    n_off, log_off, running = starts("false")
    assert n_on >= 3, n_on
    assert n_off == 1 and "respawn is disabled" in log_off and "stopped for good" in log_off, log_off
    assert running, "the daemon must go on without the helper: " + log_off


def test_debug_selfcheck():
    conf, _ = unreachable_neighbor()
    d = tempfile.mkdtemp(prefix="fastbgp-selfcheck-")
    path = os.path.join(d, "x.conf")
    with open(path, "w") as fh:
        fh.write(conf)
    p = subprocess.run([FASTBGP, path], env=dict(os.environ, exabgp_debug_selfcheck="true"),
                       capture_output=True, text=True, timeout=20)
    assert p.returncode == 0 and "configuration OK (1 neighbor)" in p.stdout, p


def test_debug_route():
    p = subprocess.run([FASTBGP], env=dict(os.environ, exabgp_debug_route=UPDATE_HEX),
                       capture_output=True, text=True, timeout=20)
    assert p.returncode == 0, p
    ev = json.loads(p.stdout.strip().splitlines()[-1])
    assert "10.7.0.0/24" in json.dumps(ev["neighbor"]["message"]["update"]["announce"])


def test_debug_rotate():
    """debug.rotate: each reload moves to the next configuration file."""
    def reloaded(rotate):
        d = tempfile.mkdtemp(prefix="fastbgp-rotate-")
        conf, env = unreachable_neighbor()
        first, second = os.path.join(d, "first.conf"), os.path.join(d, "second.conf")
        for path in (first, second):
            with open(path, "w") as fh:
                fh.write(conf)
        e = dict(os.environ, exabgp_tcp_bind="", exabgp_log_destination="stdout", exabgp_debug_rotate=rotate, **env)
        log = os.path.join(d, "log")
        with open(log, "w") as fh:
            p = subprocess.Popen([FASTBGP, first, second], env=e, stdout=fh, stderr=subprocess.STDOUT)
        try:
            wait_for(lambda: STARTING in "\n".join(lines_of(log)), 10, "the daemon")
            p.send_signal(signal.SIGUSR1)
            wait_for(lambda: "| reloading " in "\n".join(lines_of(log)), 10, "the reload")
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=15)
        return next(l for l in lines_of(log) if "| reloading " in l)

    assert reloaded("true").endswith("second.conf")
    assert reloaded("false").endswith("first.conf")
