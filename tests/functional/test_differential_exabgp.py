"""Differential test: the same configuration and helper run under Debian's
ExaBGP 4.2 and under fastbgp; a scripted peer sends both the same UPDATEs;
the JSON events the helpers receive must be identical once time, host, pid
and ppid are masked (tests/api/normalize.py)."""
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
API = os.path.join(TOP, "tests", "api")
sys.path.insert(0, os.path.join(TOP, "tests", "conformance"))
import bgp_peer as bp  # noqa: E402
from test_wire_differential import stop  # noqa: E402

FASTBGP = os.path.abspath(os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp")))
EXABGP = shutil.which("exabgp")


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def update(withdrawn=b"", attrs=b"", nlri=b""):
    body = struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) + attrs + nlri
    return bp.frame(2, body)


def aspath(*asns):
    return attr(0x40, 2, bytes([2, len(asns)]) + b"".join(struct.pack("!I", a) for a in asns))


# What the scripted peer (AS 65001, eBGP) sends, in order.
MESSAGES = [
    update(attrs=attr(0x40, 1, b"\x00") + aspath(65001, 65002) + attr(0x40, 3, bytes([10, 0, 0, 1]))
           + attr(0x80, 4, struct.pack("!I", 100))
           + attr(0xC0, 8, struct.pack("!II", (65000 << 16) | 1, 0xFFFFFF01))
           + attr(0xC0, 16, bytes.fromhex("0002fde800000064"))
           + attr(0xC0, 32, struct.pack("!III", 65000, 1, 2)),
           nlri=bytes([16, 10, 1, 24, 192, 168, 0])),
    update(withdrawn=bytes([16, 10, 1])),
    update(attrs=attr(0x40, 1, b"\x02") + aspath(65001)
           + attr(0x80, 14, struct.pack("!HBB", 2, 1, 16) + bytes.fromhex("20010db8000000000000000000000001")
                  + b"\x00" + bytes([48]) + bytes.fromhex("20010db80001"))),
    update(attrs=attr(0x80, 15, struct.pack("!HB", 2, 1) + bytes([48]) + bytes.fromhex("20010db80001"))),
    update(),  # End-of-RIB ipv4 unicast
]

CONF = """process rec {
    run %s/record.py %s;
    encoder json;
}
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65001;
    hold-time 30;
    family { ipv4 unicast; ipv6 unicast; }
    api { processes [ rec ]; neighbor-changes; receive { parsed; update; notification; } }
}
"""


def run(cmd, workdir):
    events = os.path.join(workdir, "events.json")
    conf = os.path.join(workdir, "test.conf")
    with open(conf, "w") as fh:
        fh.write(CONF % (API, events))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    env = dict(os.environ, exabgp_tcp_port=str(srv.getsockname()[1]), exabgp_tcp_bind="",
               exabgp_api_cli="false", exabgp_daemon_user="root", exabgp_daemon_drop="false",
               exabgp_log_destination="stderr", exabgp_api_ack="false")
    log = open(os.path.join(workdir, "daemon.log"), "w")
    proc = subprocess.Popen(cmd + [conf], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        srv.settimeout(30)
        conn, _ = srv.accept()
        reader = bp.MessageReader(conn)
        their = reader.read(10)
        assert their is not None and their[18] == 1
        caps = [bp.capability(1, struct.pack("!HBB", 1, 0, 1)), bp.capability(1, struct.pack("!HBB", 2, 0, 1)),
                bp.capability(65, struct.pack("!I", 65001))]
        conn.sendall(bp.build_open(65001, 30, "10.0.0.2", caps) + bp.build_keepalive())
        # wait until the session is up on the daemon's side (its KEEPALIVE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            m = reader.read(1)
            if m is not None and m[18] == 4:
                break
        time.sleep(0.5)
        for m in MESSAGES:
            conn.sendall(m)
            time.sleep(0.2)
        srv.close()  # no second session: reconnection timing differs between the two
        conn.sendall(bp.build_notification(6, 3))
        time.sleep(1.0)
        conn.close()
        time.sleep(0.5)
    finally:
        stop(proc)
        srv.close()
        log.close()
    with open(events) as fh:
        raw = fh.read()
    norm = subprocess.run([sys.executable if False else "/usr/bin/python3", os.path.join(API, "normalize.py")],
                          input=raw, capture_output=True, text=True, check=True).stdout
    return [line for line in norm.splitlines() if line.strip()]


def first_session(events):
    """Events up to the end of the first session: what follows (reconnection
    attempts to a closed port) depends on timing, not on the daemon."""
    out = []
    for line in events:
        out.append(line)
        if '"state": "down"' in line:
            break
    return out


@pytest.mark.skipif(EXABGP is None, reason="Debian's exabgp is not installed")
def test_same_json_as_exabgp():
    ref_all = run([EXABGP], tempfile.mkdtemp(prefix="diff-exabgp-"))
    got_all = run([FASTBGP], tempfile.mkdtemp(prefix="diff-fastbgp-"))
    ref, got = first_session(ref_all), first_session(got_all)
    # connected, up, 4 updates, eor, notification, down
    assert len(ref) >= 9, "ExaBGP produced too few events: %r" % ref
    for i, (a, b) in enumerate(zip(ref, got)):
        assert a == b, "event %d differs:\nexabgp:  %s\nfastbgp: %s" % (i, a, b)
    assert len(ref) == len(got), "exabgp %d events, fastbgp %d:\n%s\n---\n%s" % (
        len(ref), len(got), "\n".join(ref), "\n".join(got))
    # both tell the helper they are going away
    assert ref_all[-1] == got_all[-1] and '"notification": "shutdown"' in got_all[-1]
