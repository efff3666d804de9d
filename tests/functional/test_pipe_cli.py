"""The named-pipe CLI (api.cli, api.pipename) driven by Debian's exabgpcli
and by shell scripts, as an ExaBGP 4.2 operator does.

fastbgp looks for NAME.in / NAME.out in ExaBGP's folders: /run/exabgp/,
/run/UID/, /run/, /var/run/... then the same under --root.  Each test makes
the FIFOs under a temporary root with a pipe name of its own, so the
system folders never match, and gives the same --root and
exabgp_api_pipename to exabgpcli (which reads both exactly as ExaBGP does).
"""
import os
import shutil
import subprocess
import tempfile
import time
import uuid

import pytest

from test_api import API, FASTBGP, free_port, read_lines, stop_process, wait_for

EXABGPCLI = shutil.which("exabgpcli") or "/usr/sbin/exabgpcli"


class CliPair:
    """rx: a passive fastbgp recording what it receives; tx: a fastbgp
    with the named-pipe CLI under a temporary root (FIFOs made unless
    fifos=False)."""

    def __init__(self, fifos=True, tx_env=None):
        self.root = tempfile.mkdtemp(prefix="fastbgp-pipe-")
        self.name = "fastbgp-test-" + uuid.uuid4().hex[:8]
        self.folder = os.path.join(self.root, "run", "exabgp")
        os.makedirs(self.folder)
        self.fifo_in = os.path.join(self.folder, self.name + ".in")
        self.fifo_out = os.path.join(self.folder, self.name + ".out")
        if fifos:
            os.mkfifo(self.fifo_in, 0o600)
            os.mkfifo(self.fifo_out, 0o600)
        self.events = os.path.join(self.root, "events.json")
        port = str(free_port("127.0.0.3"))
        rx = ("process rec { run %s/record.py %s; encoder json; }\n"
              "neighbor 127.0.0.4 { router-id 10.0.0.3; local-address 127.0.0.3; local-as 65003; peer-as 65004;"
              " passive; api { processes [ rec ]; receive { parsed; update; } } }\n" % (API, self.events))
        tx = ("neighbor 127.0.0.3 { router-id 10.0.0.4; local-address 127.0.0.4; local-as 65004; peer-as 65003;"
              " family { ipv4 unicast; } static { route 10.9.0.0/24 next-hop self; } }\n")
        self.procs = []
        base = dict(os.environ, exabgp_api_cli="false")
        self.rx = self._start("rx", rx, [], dict(base, exabgp_tcp_bind="127.0.0.3", exabgp_tcp_port=port))
        time.sleep(0.3)
        self.tx = self._start("tx", tx, ["--root", self.root],
                              dict(base, exabgp_tcp_bind="", exabgp_tcp_port=port, exabgp_api_cli="true",
                                   exabgp_api_pipename=self.name, **(tx_env or {})))

    def _start(self, name, text, args, env):
        conf = os.path.join(self.root, name + ".conf")
        with open(conf, "w") as fh:
            fh.write(text)
        log = open(os.path.join(self.root, name + ".log"), "w")
        p = subprocess.Popen([FASTBGP] + args + [conf], env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(p)
        return p

    def log(self, name):
        with open(os.path.join(self.root, name + ".log")) as fh:
            return fh.read()

    def received(self):
        return "\n".join(read_lines(self.events))

    def established(self):
        return "-> ESTABLISHED" in self.log("tx")

    def exabgpcli(self, *words, timeout=20):
        env = dict(os.environ, exabgp_api_pipename=self.name)
        return subprocess.run([EXABGPCLI, "--root", self.root] + list(words), capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=self.root)

    def stop(self):
        return [stop_process(p) for p in reversed(self.procs)]


@pytest.fixture
def pair():
    if not os.path.exists(EXABGPCLI):
        pytest.skip("Debian's exabgp package (exabgpcli) is not installed")
    p = CliPair()
    yield p
    p.stop()


def test_exabgpcli_show_and_announce_through_the_fifos(pair):
    wait_for(pair.established, 15, "the session")
    wait_for(lambda: "cli: named pipes for the cli are" in pair.log("tx"), 5, "the cli")
    assert pair.fifo_in in pair.log("tx")

    r = pair.exabgpcli("show", "neighbor", "summary")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Peer") and "#recvd" in lines[0], r.stdout
    assert lines[1].split()[:2] == ["127.0.0.3", "65003"] and "established" in lines[1], r.stdout
    assert len(lines) == 2 and r.stderr == "", (r.stdout, r.stderr)

    # exabgpcli expands its abbreviations and says so
    r = pair.exabgpcli("s", "n", "e")
    assert r.returncode == 0
    assert r.stdout.startswith("command: show neighbor extensive\n"), r.stdout
    assert "Neighbor 127.0.0.3" in r.stdout

    r = pair.exabgpcli("announce", "route", "10.77.0.0/16", "next-hop", "self", "med", "7")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == "", (r.stdout, r.stderr)
    wait_for(lambda: "10.77.0.0/16" in pair.received(), 10, "the announced route at the peer")

    # a failed command: the reason, then the bare "error" line exabgpcli waits for
    r = pair.exabgpcli("withdraw", "route", "not-a-prefix")
    assert r.stdout.startswith("error: could not parse the route: "), (r.stdout, r.stderr)
    assert "ExaBGP returns an error" in r.stderr, (r.stdout, r.stderr)
    r = pair.exabgpcli("neighbor", "192.0.2.99", "announce", "route", "10.78.0.0/16", "next-hop", "self")
    assert r.stdout == "error: no neighbor matching the command\n", (r.stdout, r.stderr)
    codes = pair.stop()
    assert codes == [0, 0], codes
    assert os.path.exists(pair.fifo_in), "the FIFOs stay for the next run"


def test_scripts_writing_to_the_fifo_without_reading(pair):
    """echo CMD > NAME.in, never reading NAME.out, as many scripts do:
    the routes go out, nothing stalls, and exabgpcli afterwards gets its
    own reply, not what the scripts left."""
    wait_for(pair.established, 15, "the session")
    for i in range(20):
        subprocess.run(["sh", "-c", 'echo "announce route 10.80.%d.0/24 next-hop self" > "$0"' % i, pair.fifo_in],
                       check=True, timeout=10)
    wait_for(lambda: "10.80.19.0/24" in pair.received(), 10, "the scripted routes at the peer")
    # far more output than the FIFO or fastbgp's queue hold, nobody reading
    fd = os.open(pair.fifo_in, os.O_WRONLY)
    try:
        data = b"show neighbor extensive\n" * 8000
        deadline = time.monotonic() + 30
        off = 0
        while off < len(data) and time.monotonic() < deadline:
            off += os.write(fd, data[off:off + 65536])
    finally:
        os.close(fd)
    subprocess.run(["sh", "-c", 'echo "announce route 10.81.0.0/24 next-hop self" > "$0"', pair.fifo_in],
                   check=True, timeout=10)
    wait_for(lambda: "10.81.0.0/24" in pair.received(), 10, "a route sent after the flood")
    wait_for(lambda: "cli: replies on %s are dropped" % pair.fifo_out in pair.log("tx"), 10, "the drop log line")
    r = pair.exabgpcli("show", "neighbor", "summary")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("Peer") and "established" in lines[1], r.stdout
    assert "ESTABLISHED -> " not in pair.log("tx")


def test_echo_then_cat(pair):
    """A reply waits a moment for its reader: echo CMD > NAME.in; cat NAME.out."""
    wait_for(pair.established, 15, "the session")
    r = subprocess.run(["sh", "-c", 'echo "show neighbor summary" > "$0.in"; cat "$0.out"',
                        os.path.join(pair.folder, pair.name)], capture_output=True, text=True, timeout=10)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Peer") and lines[-1] == "done", r.stdout


def test_without_fifos_the_daemon_runs_without_the_cli():
    p = CliPair(fifos=False)
    try:
        wait_for(p.established, 15, "the session")
        log = p.log("tx")
        assert "could not find the named pipes (%s.in and %s.out)" % (p.name, p.name) in log
        assert os.path.join(p.root, "run", "exabgp") + "/" in log, "the folders scanned are listed"
    finally:
        codes = p.stop()
    assert codes == [0, 0], codes


def fastbgp_cli(pair, *args, prog=FASTBGP):
    env = dict(os.environ, exabgp_api_pipename=pair.name)
    return subprocess.run([prog] + list(args), capture_output=True, text=True, timeout=20, env=env, cwd=pair.root)


def test_fastbgp_cli_as_exabgp_cli(pair):
    wait_for(pair.established, 15, "the session")
    r = fastbgp_cli(pair, "cli", "--root", pair.root, "s", "n", "s")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "command: show neighbor summary", r.stdout
    assert lines[1].startswith("Peer") and "established" in lines[2] and len(lines) == 3, r.stdout

    r = fastbgp_cli(pair, "--run", "cli", "--root", pair.root, "announce", "route", "10.79.0.0/16", "next-hop",
                    "self")
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr
    wait_for(lambda: "10.79.0.0/16" in pair.received(), 10, "the route announced by fastbgp --run cli")

    # an error reply: exit 0 as exabgpcli, and said on stderr
    r = fastbgp_cli(pair, "cli", "--root", pair.root, "no", "such", "command")
    assert r.returncode == 0 and "returned an error" in r.stderr, r.stdout + r.stderr
    assert r.stdout == "error: unknown command 'no'\n", r.stdout

    # called exabgpcli (the compatibility name), fastbgp is the client
    link = os.path.join(pair.root, "exabgpcli")
    os.symlink(FASTBGP, link)
    r = fastbgp_cli(pair, "--root", pair.root, "show", "neighbor", "summary", prog=link)
    assert r.returncode == 0 and r.stdout.startswith("Peer"), r.stdout + r.stderr

    pair.stop()
    r = fastbgp_cli(pair, "cli", "--root", pair.root, "version")
    assert r.returncode == 1 and "not running" in r.stdout, r.stdout + r.stderr


def test_fastbgp_cli_without_fifos_lists_the_folders(tmp_path):
    env = dict(os.environ, exabgp_api_pipename="fastbgp-test-" + uuid.uuid4().hex[:8])
    r = subprocess.run([FASTBGP, "cli", "--root", str(tmp_path), "version"], capture_output=True, text=True,
                       timeout=20, env=env)
    assert r.returncode == 1
    assert " - /run/exabgp/\n" in r.stdout and " - %s/var/run/\n" % tmp_path in r.stdout, r.stdout
