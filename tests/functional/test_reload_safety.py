"""Reload safety (issue 11 item 5): a configuration file that is empty,
only blanks and comments, or cut short while being written is refused on
SIGUSR1 like a broken file: the running configuration is kept, sessions
stay up (no Cease 6/3), and the log says why.  An empty configuration is
taken only when the file says so with a comment line "# empty on purpose"
(docs/configuration.md).  The same rule holds at start."""
import signal
import subprocess
import time

import test_session as ts

CONF = ts.neighbor(routes=ts.ROUTES, capability="route-refresh;")


def reload_with(d, peer, text):
    """Writes text as the configuration, sends SIGUSR1, and checks that the
    session saw nothing for 2 s (keepalives aside) and the daemon runs."""
    before = len(d.text())
    ts.rewrite(d, text)
    d.proc.send_signal(signal.SIGUSR1)
    raw = peer.read(timeout=2)
    assert raw is None, "the session must not change: %s" % ts.bp.describe(raw)
    assert d.proc.poll() is None
    deadline = time.monotonic() + 5
    while "reload failed" not in d.text()[before:] and time.monotonic() < deadline:
        time.sleep(0.05)
    return d.text()[before:]


def test_reload_refuses_empty_and_truncated_files():
    d, peer, _ = ts.session(CONF)
    try:
        ts.updates_until_eor(peer, families=2)
        for text in ("", "\n\n   \t\n", "# a comment only\n# and another\n"):
            log = reload_with(d, peer, text)
            assert "reload failed, the running configuration is kept" in log, log
            assert "the configuration is empty" in log and "# empty on purpose" in log, log
        # cut in the middle of the neighbor block (a writer still at work)
        log = reload_with(d, peer, CONF[:len(CONF) // 2])
        assert "reload failed, the running configuration is kept" in log, log
        # the running configuration is the old one: a route-refresh gets its routes
        peer.send(ts.refresh(1, 1))
        again = peer.read(5)
        assert again is not None and again[18] == ts.UPDATE and "10.1.0.0/24" in ts.bp.describe(again)
    finally:
        d.stop()
        peer.close()


def test_reload_takes_an_empty_file_that_says_so():
    d, peer, _ = ts.session(CONF)
    try:
        ts.updates_until_eor(peer, families=2)
        ts.rewrite(d, "# empty on purpose\n")
        d.proc.send_signal(signal.SIGUSR1)
        ts.expect_notification(peer, 6, 3)  # the neighbor is gone: Peer De-configured
        assert d.proc.poll() is None
    finally:
        d.stop()
        peer.close()


def test_start_with_an_empty_file():
    d = ts.Daemon("")
    try:
        d.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        d.stop()
        raise AssertionError("fastbgp kept running with an empty configuration")
    rc = d.stop()
    assert rc != 0 and "the configuration is empty" in d.text(), d.text()
    d = ts.Daemon("  # empty on purpose  \n")
    try:
        time.sleep(1)
        assert d.proc.poll() is None, d.text()
    finally:
        assert d.stop() == 0
