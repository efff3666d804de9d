"""Process behaviour of exabgp.daemon.*: PID file, daemonize, privileges,
umask, helpers' user, syslog.  Checked on the process table (/proc).

Tests that need root (privilege drop) skip with a reason when not root.
Every process a test starts is stopped by that test, by PID.
"""
import os
import pwd
import signal
import subprocess
import tempfile
import time

import pytest

from test_session import FASTBGP, TOP, free_port, neighbor

RECORD = os.path.join(TOP, "tests", "api", "record.py")


def wait_for(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except (FileNotFoundError, PermissionError):
        return ""


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours is dead for our purpose
    return "State:\tZ" not in read("/proc/%d/status" % pid)


def status(pid):
    """The fields of /proc/PID/status as a dict of strings."""
    out = {}
    for line in read("/proc/%d/status" % pid).splitlines():
        k, _, v = line.partition(":")
        out[k] = v.strip()
    return out


def stop_pid(pid, timeout=15):
    if not alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


class Run:
    """fastbgp with a configuration and extra environment, in its own folder."""

    def __init__(self, conf_text=None, env=None, args=(), popen=True):
        self.dir = tempfile.mkdtemp(prefix="fastbgp-daemon-")
        os.chmod(self.dir, 0o755)
        self.conf = os.path.join(self.dir, "fastbgp.conf")
        if conf_text is None:
            conf_text = neighbor()
        with open(self.conf, "w") as fh:
            fh.write(conf_text)
        os.chmod(self.conf, 0o644)
        self.log = os.path.join(self.dir, "out.log")
        self.env = dict(os.environ, exabgp_tcp_bind="", exabgp_tcp_port=str(free_port()),
                        exabgp_log_destination="stdout")
        self.env.update(env or {})
        self.args = list(args)
        self.proc = None
        if popen:
            self.logfh = open(self.log, "w")
            self.proc = subprocess.Popen([FASTBGP] + self.args + [self.conf], env=self.env, stdout=self.logfh,
                                         stderr=subprocess.STDOUT)

    def path(self, name):
        return os.path.join(self.dir, name)

    def text(self):
        return read(self.log)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode if self.proc else None


@pytest.mark.parametrize("how", ["setting", "PID"])
def test_pid_file(how):
    """exabgp.daemon.pid, or the PID variable of ExaBGP's FAQ: the daemon's PID, removed at exit."""
    d = tempfile.mkdtemp(prefix="fastbgp-pid-")
    pidfile = os.path.join(d, "fastbgp.pid")
    env = {"exabgp_daemon_pid": pidfile} if how == "setting" else {"PID": pidfile}
    r = Run(env=env)
    try:
        wait_for(lambda: read(pidfile).strip(), 10, "the PID file")
        assert int(read(pidfile)) == r.proc.pid
    finally:
        rc = r.stop()
    assert rc == 0
    assert not os.path.exists(pidfile), "PID file left behind"
