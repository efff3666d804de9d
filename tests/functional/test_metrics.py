"""The Prometheus endpoint (exabgp.metrics.listen, docs/metrics.md).

fastbgp runs against a scripted peer (tests/conformance/bgp_peer.py) with
metrics on a free loopback port; the tests scrape /metrics with urllib,
check the values follow the session, run `promtool check metrics` on the
text and show that slow or garbage HTTP clients never delay BGP.  Every
wait is bounded and fastbgp is stopped by PID.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_session import KEEPALIVE, NOTIFICATION, bp, free_port, neighbor, session  # noqa: E402
from test_graceful_restart import open_caps, update_v4, update_v6  # noqa: E402
from test_api import wait_for  # noqa: E402

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def scrape(port, timeout=5):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=timeout) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return r.read().decode()


def samples(text):
    """{(name, frozenset of labels): value} of every sample line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, "not a sample line: %r" % line
        out[(m.group(1), frozenset(LABEL.findall(m.group(3) or "")))] = float(m.group(4))
    return out


def value(text, name, **labels):
    """The one sample of name whose labels include labels, or None."""
    want = set(labels.items())
    found = [v for (n, ls), v in samples(text).items() if n == name and want <= set(ls)]
    assert len(found) <= 1, "%s %s: %d samples" % (name, labels, len(found))
    return found[0] if found else None


def scraped(port, name, expected, **labels):
    """Waits (bounded) until the metric has the expected value."""
    last = [None]

    def ok():
        try:
            last[0] = value(scrape(port), name, **labels)
        except (OSError, urllib.error.URLError):
            return False
        return last[0] == expected

    try:
        wait_for(ok, 10, "%s%s == %s" % (name, labels, expected))
    except AssertionError:
        raise AssertionError("%s%s is %s, expected %s" % (name, labels, last[0], expected))


def metrics_session(hold=30, routes=""):
    port = free_port()
    d, peer, _ = session(neighbor(routes=routes), open_caps=open_caps(), hold=hold,
                         env={"exabgp_metrics_listen": "127.0.0.1:%d" % port})
    return d, peer, port


def test_metrics_follow_the_session():
    d, peer, port = metrics_session(routes="route 10.1.0.0/24 next-hop 127.0.0.1; "
                                            "route 10.2.0.0/24 next-hop 127.0.0.1; "
                                            "route 2001:db8:1::/48 next-hop ::1;")
    try:
        nb = {"neighbor": "127.0.0.1", "peer_as": "65000"}
        scraped(port, "fastbgp_neighbor_prefixes_announced_total", 2, family="ipv4 unicast", **nb)
        scraped(port, "fastbgp_neighbor_prefixes_announced_total", 1, family="ipv6 unicast", **nb)
        scraped(port, "fastbgp_neighbor_state", 6, **nb)
        scraped(port, "fastbgp_neighbor_up", 1, **nb)
        peer.send(update_v4(["10.9.1.0/24", "10.9.2.0/24", "10.9.3.0/24"]))
        peer.send(update_v6(["2001:db8:9::/48", "2001:db8:a::/48"]))
        scraped(port, "fastbgp_neighbor_prefixes_received", 3, family="ipv4 unicast", **nb)
        scraped(port, "fastbgp_neighbor_prefixes_received", 2, family="ipv6 unicast", **nb)
        text = scrape(port)
        assert value(text, "fastbgp_neighbor_updates_received_total", **nb) >= 2
        assert value(text, "fastbgp_neighbor_updates_sent_total", **nb) >= 2  # one per family at least
        assert value(text, "fastbgp_neighbor_prefixes_withdrawn_total", family="ipv4 unicast", **nb) == 0
        assert value(text, "fastbgp_neighbor_messages_received_total", **nb) >= 4  # OPEN, KEEPALIVE, 2 UPDATEs
        assert value(text, "fastbgp_neighbor_uptime_seconds", **nb) >= 0
        assert value(text, "process_resident_memory_bytes") > 1 << 20
        assert value(text, "process_cpu_seconds_total") > 0
        assert value(text, "fastbgp_neighbor_flaps_total", **nb) == 0
        # Cease / administrative reset from the peer: counted, then the session is down
        peer.send(bp.build_notification(6, 4))
        scraped(port, "fastbgp_neighbor_notifications_received_total", 1, code="6", **nb)
        scraped(port, "fastbgp_neighbor_flaps_total", 1, **nb)
        text = scrape(port)
        assert value(text, "fastbgp_neighbor_up", **nb) == 0
        assert value(text, "fastbgp_neighbor_notifications_received_total", code="3", **nb) == 0
        assert value(text, "fastbgp_neighbor_prefixes_received", family="ipv4 unicast", **nb) in (0, None)
        # anything but /metrics is a 404; the endpoint is still fine afterwards
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=5)
        assert e.value.code == 404
        assert scrape(port)
    finally:
        assert d.stop() == 0
        peer.close()


def test_helper_counters(tmp_path):
    port = free_port()
    helper = tmp_path / "talker.py"
    helper.write_text("import sys, time\n"
                      "print('announce route 10.7.0.0/24 next-hop self', flush=True)\n"
                      "print('no such command', flush=True)\n"
                      "time.sleep(60)\n")
    conf = "process talker {\n    run %s %s;\n    encoder json;\n}\n" % (sys.executable, helper)
    d, peer, _ = session(conf + neighbor(extra="api { processes [ talker ]; }"), open_caps=open_caps(),
                         env={"exabgp_metrics_listen": "127.0.0.1:%d" % port})
    try:
        scraped(port, "fastbgp_helper_up", 1, helper="talker")
        scraped(port, "fastbgp_helper_commands_total", 2, helper="talker")
        scraped(port, "fastbgp_helper_command_errors_total", 1, helper="talker")
        assert value(scrape(port), "fastbgp_helper_restarts_total", helper="talker") == 0
    finally:
        assert d.stop() == 0
        peer.close()


def test_promtool_accepts_the_output():
    promtool = shutil.which("promtool")
    if not promtool:
        pytest.skip("promtool not installed (Debian package prometheus)")
    d, peer, port = metrics_session()
    try:
        scraped(port, "fastbgp_neighbor_up", 1, neighbor="127.0.0.1")
        peer.send(update_v4(["10.9.1.0/24"]))
        scraped(port, "fastbgp_neighbor_prefixes_received", 1, neighbor="127.0.0.1", family="ipv4 unicast")
        text = scrape(port)
        r = subprocess.run([promtool, "check", "metrics"], input=text.encode(), capture_output=True, timeout=30)
        assert r.returncode == 0, (r.stdout + r.stderr).decode()
        assert not (r.stdout + r.stderr).strip(), (r.stdout + r.stderr).decode()  # no lint warning either
    finally:
        assert d.stop() == 0
        peer.close()


def test_slow_and_garbage_http_clients_never_delay_bgp():
    # hold time 3 s: fastbgp must send a KEEPALIVE every second
    d, peer, port = metrics_session(hold=3)
    slow = []
    try:
        scraped(port, "fastbgp_neighbor_up", 1, neighbor="127.0.0.1")
        for i in range(20):  # half a request each, never finished
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /metr")
            slow.append(s)
        g = socket.create_connection(("127.0.0.1", port), timeout=5)
        g.sendall(b"\x16\x03\x01\x00\xff garbage \xff\xfe\r\n\r\n")
        slow.append(g)
        last = time.monotonic()
        end = last + 6
        peer.conn.settimeout(0.2)
        next_ka = 0.0
        while time.monotonic() < end:
            if time.monotonic() >= next_ka:
                peer.send(bp.build_keepalive())
                next_ka = time.monotonic() + 1
            raw = peer.read(timeout=0.3, skip_keepalive=False)
            now = time.monotonic()
            if raw is None:
                assert now - last < 2.5, "no KEEPALIVE from fastbgp for %.1f s" % (now - last)
                continue
            assert raw[18] != NOTIFICATION, bp.describe(raw)
            if raw[18] == KEEPALIVE:
                last = now
        # a real scrape is still served while the slow clients hold their connections
        assert value(scrape(port), "fastbgp_neighbor_up", neighbor="127.0.0.1") == 1
        assert d.proc.poll() is None
    finally:
        for s in slow:
            s.close()
        assert d.stop() == 0
        peer.close()


def test_bad_listen_value_is_reported_and_bgp_runs():
    port = free_port()
    busy = socket.socket()
    busy.bind(("127.0.0.1", port))
    busy.listen(1)
    try:
        for bad in ("127.0.0.1", "nothere:80", "127.0.0.1:%d" % port):
            d, peer, _ = session(neighbor(), open_caps=open_caps(), env={"exabgp_metrics_listen": bad})
            try:
                raw = peer.read(timeout=1, skip_keepalive=True)  # End-of-RIB, then nothing
                while raw is not None:
                    assert raw[18] != NOTIFICATION, bp.describe(raw)  # the session stays up
                    raw = peer.read(timeout=1, skip_keepalive=True)
                wait_for(lambda: "metrics disabled" in d.text(), 5, "the metrics error for " + bad)
                assert "exabgp.metrics.listen" in d.text()
            finally:
                assert d.stop() == 0
                peer.close()
    finally:
        busy.close()

