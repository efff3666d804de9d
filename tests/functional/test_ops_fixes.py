"""Operator-visible fixes: show neighbor after a reload, the version strings,
a neighbor defined twice.  Each daemon is stopped by PID; waits are bounded."""
import os
import re
import signal
import subprocess
import tempfile

import pytest

from test_api import FASTBGP, Pair, wait_for

CTL = os.path.join(os.path.dirname(FASTBGP), "fastbgpctl")


def ctl(sock, *words):
    r = subprocess.run([CTL, "-s", sock] + list(words), capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, (words, r.stdout, r.stderr)
    return r.stdout


def summary_row(text):
    """(state, #sent, #recvd) of the one neighbor of "show neighbor summary"."""
    rows = [l for l in text.splitlines() if l.startswith("127.0.0.3")]
    assert len(rows) == 1, text
    f = rows[0].split()
    return f[3], int(f[4]), int(f[5])


@pytest.mark.parametrize("how", ["SIGUSR1", "reload command"])
def test_show_neighbor_after_reload(how):
    """After a reload the running session is still shown as established, with its counters."""
    d = tempfile.mkdtemp(prefix="fastbgp-show-reload-")
    sock = os.path.join(d, "ctl.sock")
    pair = Pair(rx_body="", tx_body="family { ipv4 unicast; } static { route 10.9.0.0/24 next-hop self; }",
                tx_env={"exabgp_api_socket": sock})
    try:
        wait_for(lambda: "-> ESTABLISHED" in pair.log("tx") and os.path.exists(sock), 15, "session and socket")
        before = summary_row(ctl(sock, "show", "neighbor", "summary"))
        assert before[0] == "established" and before[1] >= 1, before
        if how == "SIGUSR1":
            pair.tx.send_signal(signal.SIGUSR1)
        else:
            assert ctl(sock, "reload").strip().endswith("done")
        wait_for(lambda: "configuration reloaded:" in pair.log("tx"), 10, "the reload")
        after = summary_row(ctl(sock, "show", "neighbor", "summary"))
        assert after[0] == "established", after
        assert after[1] >= before[1] and after[2] >= before[2], (before, after)
        ext = ctl(sock, "show", "neighbor", "extensive")
        assert re.search(r"state\s+ESTABLISHED", ext, re.I), ext
        assert not re.search(r"down for", ext), ext
        m = re.search(r"update:\s+(\d+)\s+(\d+)", ext)
        assert m and int(m.group(1)) >= 1, ext
        assert "-> IDLE" not in pair.log("tx").split("configuration reloaded:")[-1]
    finally:
        pair.stop()


def test_version_strings():
    d = tempfile.mkdtemp(prefix="fastbgp-version-")
    sock = os.path.join(d, "ctl.sock")
    pair = Pair(rx_body="", tx_body="", tx_env={"exabgp_api_socket": sock})
    try:
        wait_for(lambda: os.path.exists(sock), 15, "the control socket")
        assert ctl(sock, "version").splitlines()[0] == "exabgp 4.2.25 (fastbgp 0.1.0)"
    finally:
        pair.stop()
    r = subprocess.run([FASTBGP, "--version"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0 and r.stdout == "fastbgp 0.1.0 (compatible with exabgp 4.2.25)\n", r


def test_neighbor_defined_twice_is_refused():
    d = tempfile.mkdtemp(prefix="fastbgp-dup-")
    conf = os.path.join(d, "dup.conf")
    nb = ("neighbor %s {\n    router-id 10.0.0.1; local-address 127.0.0.1; local-as 65000; peer-as 65000;\n}\n")
    with open(conf, "w") as fh:
        fh.write(nb % "127.0.0.2" + nb % "127.0.0.3" + nb % "127.0.0.2")
    r = subprocess.run([FASTBGP, "-t", conf], capture_output=True, text=True, timeout=10)
    assert r.returncode != 0
    assert "%s:7:1: neighbor 127.0.0.2 already defined at %s:1" % (conf, conf) in r.stderr, r.stderr
    assert "configuration OK" not in r.stdout
