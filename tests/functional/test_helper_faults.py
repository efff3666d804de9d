"""Helpers that misbehave do not take BGP down (issue 11 items 4 and 5,
issue 13): a helper that dies too often is given up, one that ends with
respawn off stays stopped, and the sessions go on either way unless
exabgp.api.terminate asks for exit; a helper printing garbage costs a
bounded number of log lines plus a "similar messages suppressed" count."""
import os
import re
import signal
import stat
import time

import test_session as ts


def script(d, name, text):
    path = os.path.join(d.dir if hasattr(d, "dir") else d, name)
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def start(tmpdir, helper_text, process_opts="", env=None):
    """fastbgp with one established session and one helper process."""
    os.makedirs(tmpdir, exist_ok=True)
    helper = script(tmpdir, "helper.sh", helper_text)
    conf = ("process h { run %s; encoder text; %s }\n" % (helper, process_opts)) + ts.neighbor(routes=ts.ROUTES)
    d, peer, _ = ts.session(conf, env=env)
    ts.updates_until_eor(peer, families=2)
    return d, peer


def wait_log(d, pattern, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, d.text()):
            return True
        time.sleep(0.1)
    return False


def session_goes_on(d, peer, seconds=2):
    """No NOTIFICATION and no close for a while (keepalives aside), and the
    daemon still runs."""
    raw = peer.read(timeout=seconds)
    assert raw is None, "the session must go on: %s" % ts.bp.describe(raw)
    assert d.proc.poll() is None


def test_respawn_limit_stops_only_that_helper(tmp_path):
    d, peer = start(str(tmp_path), "#!/bin/sh\nexit 1\n")
    try:
        assert wait_log(d, r"process h stopped for good: it died too often \(respawn limit reached\); "
                           r"BGP and the other processes go on", 15), d.text()[-3000:]
        starts = len(re.findall(r"forked process h ", d.text()))
        assert 2 <= starts <= 7, d.text()[-3000:]
        session_goes_on(d, peer)
        time.sleep(1)
        assert len(re.findall(r"forked process h ", d.text())) == starts  # not started again
    finally:
        d.stop()
        peer.close()


def test_respawn_limit_with_api_terminate_stops_the_daemon(tmp_path):
    d, peer = start(str(tmp_path), "#!/bin/sh\nexit 1\n", env={"exabgp_api_terminate": "true"})
    try:
        ts.expect_notification(peer, 6, 2, timeout=15)  # Administrative Shutdown
        d.proc.wait(timeout=15)
        assert "exabgp.api.terminate is set: shutting down" in d.text(), d.text()[-3000:]
    finally:
        d.stop()
        peer.close()


def test_helper_without_respawn_that_exits_keeps_bgp_running(tmp_path):
    d, peer = start(str(tmp_path), "#!/bin/sh\nsleep 0.5\nexit 0\n", process_opts="respawn false;")
    try:
        assert wait_log(d, r"process h stopped for good: it ended and respawn is disabled; BGP and the other "
                           r"processes go on", 10), d.text()[-3000:]
        session_goes_on(d, peer)
    finally:
        d.stop()
        peer.close()


GARBAGE = r"""#!/usr/bin/python3
import sys, time
out = sys.stdout
for i in range(1000000):
    out.write("garbage line %d\n" % i)
out.flush()
for i in range(100000):
    sys.stderr.write("noise %d\n" % i)
sys.stderr.flush()
time.sleep(60)
"""


def test_garbage_from_a_helper_is_rate_limited(tmp_path):
    d, peer = start(str(tmp_path), GARBAGE, env={"exabgp_api_ack": "false"})
    try:
        # 1,000,000 garbage commands then 100,000 stderr lines: read, and logged in bounded numbers
        assert wait_log(d, r"process h: \d+ similar messages? suppressed", 40), d.text()[-3000:]
        time.sleep(11)  # one more window: the count of the last one
        log = d.text()
        garbage = len(re.findall(r"command from process not understood : garbage line", log))
        noise = len(re.findall(r"process h: noise \d+", log))
        counts = [int(n) for n in re.findall(r"process h: (\d+) similar messages? suppressed", log)]
        assert garbage >= 1 and garbage + noise <= 10 * (len(counts) + 1), (garbage, noise, counts)
        assert sum(counts) + garbage + noise == 1100000, (garbage, noise, counts)
        assert len(log.splitlines()) < 500, "%d log lines" % len(log.splitlines())
        session_goes_on(d, peer)
    finally:
        d.stop()
        peer.close()
