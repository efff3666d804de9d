"""fastbgpctl: the socket from the env file fastbgp reads, and the
interactive mode (libedit: history, completion) driven through a pty."""
import os
import pty
import select
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from test_api import FASTBGP, stop_process, wait_for

CTL = os.path.join(os.path.dirname(FASTBGP), "fastbgpctl")
CONF = ("neighbor 127.0.0.9 { router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002;"
        " passive; }\n")


@pytest.fixture
def daemon():
    """fastbgp --root ROOT whose socket is set only in ROOT/etc/exabgp/exabgp.env."""
    root = tempfile.mkdtemp(prefix="fastbgp-ctl-")
    sock = os.path.join(root, "ctl.sock")
    os.makedirs(os.path.join(root, "etc", "exabgp"))
    env_file = os.path.join(root, "etc", "exabgp", "exabgp.env")
    with open(env_file, "w") as fh:
        fh.write("[exabgp.api]\nsocket = '%s'\ncli = false\n" % sock)
    conf = os.path.join(root, "a.conf")
    with open(conf, "w") as fh:
        fh.write(CONF)
    env = {k: v for k, v in os.environ.items() if not k.startswith("exabgp")}
    env["exabgp_tcp_bind"] = ""
    log = open(os.path.join(root, "log"), "w")
    p = subprocess.Popen([FASTBGP, "--root", root, conf], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: os.path.exists(sock), 10, "the control socket")
        yield {"root": root, "sock": sock, "env_file": env_file, "env": env}
    finally:
        assert stop_process(p) == 0


def ctl(d, *args):
    return subprocess.run([CTL] + list(args), capture_output=True, text=True, timeout=10, env=d["env"],
                          stdin=subprocess.DEVNULL)


def test_the_socket_comes_from_the_env_file(daemon):
    # --root: ROOT/etc/exabgp/exabgp.env, as fastbgp reads it
    r = ctl(daemon, "-f", daemon["root"], "s", "n", "s")
    assert r.returncode == 0 and r.stdout.startswith("Peer"), r.stdout + r.stderr
    # --env FILE
    r = ctl(daemon, "--env", daemon["env_file"], "version")
    assert r.returncode == 0 and r.stdout.endswith("done\n"), r.stdout + r.stderr
    # the environment wins over the file, as for the daemon
    env = dict(daemon["env"], exabgp_api_socket="/nonexistent/sock")
    r = subprocess.run([CTL, "-f", daemon["root"], "version"], capture_output=True, text=True, timeout=10, env=env)
    assert r.returncode == 2 and "/nonexistent/sock" in r.stderr
    # no socket anywhere
    empty = tempfile.mkdtemp(prefix="fastbgp-ctl-none-")
    r = ctl(daemon, "-f", empty, "version")
    assert r.returncode == 2 and "no control socket" in r.stderr
    # no command and no terminal: the usage
    r = ctl(daemon, "-f", daemon["root"])
    assert r.returncode == 2 and r.stderr.startswith("usage: fastbgpctl")


class Pty:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.seen = b""

    def expect(self, text, timeout=5):
        want = text.encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if want in self.seen:
                at = self.seen.index(want) + len(want)
                before, self.seen = self.seen[:at], self.seen[at:]
                return before.decode(errors="replace")
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    self.seen += os.read(self.fd, 4096)
                except OSError:
                    break
        raise AssertionError("no %r in %r" % (text, self.seen))

    def send(self, data):
        # libedit sets the terminal up again at each prompt and may flush
        # what was typed before that (TCSAFLUSH): let it settle first
        time.sleep(0.3)
        os.write(self.fd, data.encode())

    def wait(self, timeout=10, again=None):
        """Waits for the child to exit; sends `again` every second meanwhile
        (an end-of-file typed while the terminal was being set up is lost)."""
        deadline = time.monotonic() + timeout
        nudge = time.monotonic() + 1
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    os.read(self.fd, 4096)
                except OSError:
                    time.sleep(0.05)
            if again is not None and time.monotonic() > nudge:
                os.write(self.fd, again.encode())
                nudge = time.monotonic() + 1
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("fastbgpctl did not leave")


def test_interactive_mode_with_completion_and_history(daemon):
    home = tempfile.mkdtemp(prefix="fastbgp-ctl-home-")
    env = dict(daemon["env"], HOME=home, TERM="xterm")
    t = Pty([CTL, "-f", daemon["root"]], env)
    try:
        t.expect("fastbgp> ")
        # TAB completes command words, after the words before them (libedit
        # redraws only the completed rest of the word)
        t.send("sho\t")
        t.expect("w ")
        t.send("n\t")
        t.expect("eighbor ")
        t.send("su\t")
        t.expect("mmary ")
        t.send("\r")
        out = t.expect("fastbgp> ")
        assert "Peer" in out and "done" in out, out
        # abbreviations as on the command line
        t.send("v\r")
        out = t.expect("fastbgp> ")
        assert "done" in out and "4.2" in out, out
        # history: up twice recalls "show neighbor summary"
        t.send("\x1b[A\x1b[A\r")
        out = t.expect("fastbgp> ")
        assert "Peer" in out, out
        t.send("no such command\r")
        out = t.expect("fastbgp> ")
        assert "error" in out, out
        t.send("\x04")  # ^D leaves
        assert t.wait(again="\x04") == 0
    finally:
        os.close(t.fd)
    with open(os.path.join(home, ".fastbgpctl_history")) as fh:
        saved = fh.read()
    assert "show\\040neighbor\\040summary" in saved and "no\\040such\\040command" in saved, saved


def test_man_page_renders_cleanly():
    page = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs",
                        "fastbgpctl.8")
    if not shutil.which("groff"):
        pytest.skip("groff is not installed")
    r = subprocess.run(["groff", "-man", "-ww", "-z", page], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = subprocess.run(["man", "-l", page], capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    for section in ("NAME", "SYNOPSIS", "INTERACTIVE MODE", "NAMED PIPES", "EXIT STATUS"):
        assert section in r.stdout
