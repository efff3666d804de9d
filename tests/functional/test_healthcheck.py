"""fastbgp healthcheck on its own (no BGP daemon):

- differential against ExaBGP 4.2's healthcheck (python3 -m exabgp
  healthcheck, Debian's package): same options, a check command that
  succeeds then fails then succeeds (driven by a counter, so both see the
  same results whatever the timing), stdout compared line for line; ExaBGP
  repeats its lines after every check, so the lines are compared as a
  sequence of announcements (repeats folded);
- fastbgp prints a state's commands once, and again when the daemon reports
  a neighbor up on stdin (text or JSON), waits for done/error acks,
  withdraws on SIGTERM and on the daemon's shutdown;
- the hooks, --disable, --config, --pid, --user, and the three ways to start it;
- loopback addresses in a network namespace the test creates (root only).
"""

import json
import os
import pwd
import select
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FASTBGP = os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp"))
PYTHON = "/usr/bin/python3"
EXABGP_HC = [PYTHON, "-m", "exabgp", "healthcheck"]
FASTBGP_HC = [FASTBGP, "healthcheck"]


def have_exabgp():
    return subprocess.run([PYTHON, "-c", "import exabgp.application.healthcheck"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False).returncode == 0


needs_exabgp = pytest.mark.skipif(not have_exabgp(), reason="Debian's exabgp package is not installed")
needs_root = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ip"),
                                reason="network namespaces need root and iproute2")


@pytest.fixture
def tmp():
    d = tempfile.mkdtemp(prefix="fastbgp-hc-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def wait_until(fn, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
        time.sleep(0.05)


def scripted_check(d, name, results):
    """A check command whose N-th run exits with results[N] ('1' success,
    '0' failure, 'd' failure and creates the disable file); past the end it
    repeats the last result."""
    counter = os.path.join(d, name + ".count")
    disable = os.path.join(d, name + ".disabled")
    script = os.path.join(d, name + ".sh")
    with open(script, "w") as f:
        f.write('n=$(cat %s 2>/dev/null || echo 0); echo $((n+1)) > %s\n' % (counter, counter))
        f.write('r=$(printf %%s "%s" | cut -c$((n+1))); [ -n "$r" ] || r=%s\n' % (results, results[-1]))
        f.write('case $r in d) touch %s; exit 1;; 1) exit 0;; *) exit 1;; esac\n' % disable)
    return "sh " + script, counter, disable


def count(counter):
    try:
        with open(counter) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def run_until_checks(argv, counter, checks, timeout=30, stdin=subprocess.DEVNULL, disable=None):
    """Runs a healthcheck until its check ran `checks` times, then SIGTERM;
    returns (stdout lines, exit code).  No check runs while disabled (as
    ExaBGP): the disable file, once created by the check, is removed here
    after a while."""
    p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if disable:
            wait_until(lambda: os.path.exists(disable) or p.poll() is not None, timeout, "the disable file")
            time.sleep(0.3)
            os.unlink(disable)
        wait_until(lambda: count(counter) >= checks or p.poll() is not None, timeout,
                   "%d checks by %s" % (checks, argv[0]))
        time.sleep(0.05)
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=15)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(5)
    assert b"Sanitizer" not in err and b"runtime error" not in err, err.decode(errors="replace")
    return out.decode().splitlines(), p.returncode


def fold(lines, per_round):
    """Consecutive identical announcements (per_round lines each) once."""
    rounds = [tuple(lines[i:i + per_round]) for i in range(0, len(lines), per_round)]
    out = []
    for r in rounds:
        if not out or out[-1] != r:
            out.append(r)
    return out


def differential(tmp, options, results, checks, per_round, disables=False):
    got = {}
    for name, prog in (("exabgp", EXABGP_HC), ("fastbgp", FASTBGP_HC)):
        cmd, counter, disable = scripted_check(tmp, name, results)
        argv = prog + ["--no-syslog", "--no-ip-setup", "--interval", "0.05", "--fast-interval", "0.05",
                       "--cmd", cmd, "--disable", disable] + options
        got[name] = run_until_checks(argv, counter, checks, disable=disable if disables else None)
    (exa, exa_rc), (fast, fast_rc) = got["exabgp"], got["fastbgp"]
    assert exa_rc == fast_rc == 0
    assert exa and fast
    assert fold(fast, per_round) == fold(exa, per_round)
    # fastbgp never repeats an announcement (ExaBGP does, after every check)
    assert len(fast) == len(fold(fast, per_round)) * per_round
    return fast, exa


@needs_exabgp
def test_differential_metrics_and_attributes(tmp):
    options = ["--ip", "192.0.2.1", "--ip", "2001:db8:0:0::1", "--rise", "2", "--fall", "2",
               "--community", "65000:1 65000:2", "--disabled-community", "65000:666",
               "--extended-community", "target:65000:1", "--large-community", "65000:0:1",
               "--as-path", "65000", "--down-as-path", "65000 65000 65000", "--local-preference", "50",
               "--next-hop", "192.0.2.254", "--up-metric", "10", "--down-metric", "20",
               "--disabled-metric", "30", "--increase", "5", "--path-id", "9"]
    # up, down, up, disabled, up again
    fast, exa = differential(tmp, options, "1111000011111d11111", 22, 2, disables=True)
    assert fast[0] == ("announce route 192.0.2.1/32 next-hop 192.0.2.254 med 10 local-preference 50 "
                       "community [ 65000:1 65000:2 ] extended-community [ target:65000:1 ] "
                       "large-community [ 65000:0:1 ] as-path [ 65000 ] path-information 9")
    assert fast[1].startswith("announce route 2001:db8::1/128 next-hop 192.0.2.254 med 15 ")
    states = [line.split(" med ")[1].split()[0] for line in fast[:-2:2]]
    assert states == ["10", "20", "10", "30", "10"]
    assert fast[-2:] == ["withdraw route 192.0.2.1/32 next-hop 192.0.2.254 path-information 9",
                         "withdraw route 2001:db8::1/128 next-hop 192.0.2.254 path-information 9"]
    assert len(exa) > len(fast)  # ExaBGP repeats; fastbgp does not


@needs_exabgp
def test_differential_withdraw_on_down_and_neighbors(tmp):
    options = ["--ip", "192.0.2.0/30", "--deaggregate-networks", "--start-ip", "1", "--rise", "1",
               "--fall", "1", "--withdraw-on-down", "--neighbor", "127.0.0.2", "--neighbor", "::1"]
    fast, _ = differential(tmp, options, "110011001", 11, 4)
    assert fast[0] == ("neighbor 127.0.0.2, neighbor ::1 announce route 192.0.2.1/32 next-hop self med 100")
    assert fast[3] == ("neighbor 127.0.0.2, neighbor ::1 announce route 192.0.2.0/32 next-hop self med 103")
    assert fast[4] == "neighbor 127.0.0.2, neighbor ::1 withdraw route 192.0.2.1/32 next-hop self"


@needs_exabgp
def test_differential_one_shot_and_config_file(tmp):
    conf = os.path.join(tmp, "hc.conf")
    with open(conf, "w") as f:
        f.write("# options as ExaBGP reads them\nno-syslog\nno-ip-setup\nrise = 1\ninterval = 0\n"
                "ip = 198.51.100.7\nip = 2001:db8:a::/127\nlocal-preference = 300\nup-as-path = 1 2 3\n")
    out = {}
    for name, prog in (("exabgp", EXABGP_HC), ("fastbgp", FASTBGP_HC)):
        p = subprocess.run(prog + ["--config", conf, "--up-metric", "7"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False)
        assert p.returncode == 0, p.stderr
        out[name] = p.stdout.decode()
    assert out["fastbgp"] == out["exabgp"]
    assert out["fastbgp"] == ("announce route 198.51.100.7/32 next-hop self med 7 local-preference 300 "
                              "as-path [ 1 2 3 ]\n"
                              "announce route 2001:db8:a::/127 next-hop self med 8 local-preference 300 "
                              "as-path [ 1 2 3 ]\n")


@needs_exabgp
def test_same_option_errors_as_exabgp(tmp):
    for bad in (["--rise", "x"], ["--ip", "10.0.0.1/24"], ["--silent", "--no-syslog"], ["--bogus"]):
        rcs = [subprocess.run(prog + bad, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30, check=False).returncode
               for prog in (EXABGP_HC, FASTBGP_HC)]
        assert rcs == [2, 2], bad


class Helper:
    """fastbgp healthcheck with pipes on stdin and stdout, as a daemon runs it."""

    def __init__(self, args, env=None):
        self.p = subprocess.Popen(FASTBGP_HC + ["--no-syslog", "--no-ip-setup"] + args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.buf = b""

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def lines(self, n, timeout=10):
        """The next n lines of stdout, waiting at most timeout seconds."""
        deadline = time.monotonic() + timeout
        while self.buf.count(b"\n") < n:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                break
            chunk = os.read(self.p.stdout.fileno(), 4096)
            if not chunk:
                break
            self.buf += chunk
        parts = self.buf.split(b"\n")
        got = [x.decode() for x in parts[:min(n, len(parts) - 1)]]
        self.buf = b"\n".join(parts[len(got):])
        return got

    def nothing_for(self, seconds):
        return self.lines(1, timeout=seconds) == []

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
        try:
            out, err = self.p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate(timeout=5)
        assert b"Sanitizer" not in err and b"runtime error" not in err, err.decode(errors="replace")
        self.buf += out
        return [x.decode() for x in self.buf.split(b"\n") if x]


def test_announces_once_and_again_when_a_neighbor_comes_up(tmp):
    h = Helper(["--ip", "192.0.2.1", "--rise", "1", "--fall", "1", "-i", "0.05", "--cmd", "false",
                "--no-ack", "--neighbor", "127.0.0.2"])
    try:
        down = "neighbor 127.0.0.2 announce route 192.0.2.1/32 next-hop self med 1000"
        assert h.lines(1) == [down]
        assert h.nothing_for(1.0)  # 20 failed checks, no repeat
        h.send("neighbor 127.0.0.2 down - peer reset\n")
        h.send("neighbor 127.0.0.9 up\n")  # not one of our --neighbor
        assert h.nothing_for(0.5)
        h.send("neighbor 127.0.0.2 up\n")
        assert h.lines(1) == [down]
        event = {"exabgp": "4.0.1", "time": 1.0, "host": "h", "pid": 1, "ppid": 1, "counter": 3,
                 "type": "state", "neighbor": {"address": {"local": "127.0.0.1", "peer": "127.0.0.2"},
                                               "asn": {"local": 1, "peer": 2}, "state": "up"}}
        h.send(json.dumps(event) + "\n")
        assert h.lines(1) == [down]
        event["neighbor"]["state"] = "connected"
        h.send(json.dumps(event) + "\n" + "x" * 100000 + "\n")  # an over-long line is skipped
        assert h.nothing_for(0.5)
    finally:
        rest = h.stop()
    assert rest == ["neighbor 127.0.0.2 withdraw route 192.0.2.1/32 next-hop self"]
    assert h.p.returncode == 0


def test_waits_for_each_ack_and_stops_on_shutdown(tmp):
    h = Helper(["--ip", "192.0.2.1", "--ip", "192.0.2.2", "--rise", "1", "-i", "0.05"])
    try:
        assert h.lines(1) == ["announce route 192.0.2.1/32 next-hop self med 100"]
        assert h.nothing_for(0.5)  # the second line waits for the daemon's "done"
        h.send("done\n")
        assert h.lines(1) == ["announce route 192.0.2.2/32 next-hop self med 101"]
        h.send("done\n")
        h.send("shutdown 4242 1\n")  # the text encoder's shutdown
        h.p.wait(10)
    finally:
        rest = h.stop()
    assert rest == ["withdraw route 192.0.2.1/32 next-hop self", "withdraw route 192.0.2.2/32 next-hop self"]
    assert h.p.returncode == 0


def test_hooks_disable_file_and_pid(tmp):
    log = os.path.join(tmp, "hooks.log")
    pidfile = os.path.join(tmp, "hc.pid")
    cmd, counter, disable = scripted_check(tmp, "c", "1100d")
    argv = FASTBGP_HC + ["--no-syslog", "--no-ip-setup", "--ip", "192.0.2.1", "--rise", "2", "--fall", "2",
                         "-i", "0.05", "-f", "0.05", "--cmd", cmd, "--disable", disable, "--pid", pidfile,
                         "--execute", "echo all $STATE >> %s" % log,
                         "--up-execute", "echo up $STATE >> %s" % log,
                         "--down-execute", "echo down $STATE >> %s" % log,
                         "--disabled-execute", "echo disabled $STATE >> %s" % log]
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: os.path.exists(pidfile), 10, "the pid file")
        with open(pidfile) as f:
            assert f.read() == "%d\n" % p.pid
        wait_until(lambda: count(counter) >= 5 and os.path.exists(disable), 10, "the disable file")
        wait_until(lambda: os.path.exists(log) and "disabled DISABLED" in open(log).read(), 10, "the hooks")
    finally:
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=10)
    with open(log) as f:
        hooks = f.read().splitlines()
    assert hooks == ["all RISING", "up UP", "all UP", "all FALLING", "down DOWN", "all DOWN",
                     "disabled DISABLED", "all DISABLED"]
    assert [l.split(" med ")[1] for l in out.decode().splitlines()[:3]] == ["100", "1000", "500"]


def test_three_ways_to_start_it(tmp):
    link = os.path.join(tmp, "exabgp")
    os.symlink(FASTBGP, link)
    want = b"announce route 192.0.2.5/32 next-hop self med 100\n"
    for argv in ([FASTBGP, "healthcheck"], [FASTBGP, "--run", "healthcheck"], [link, "healthcheck"],
                 [link, "--run", "healthcheck"]):
        p = subprocess.run(argv + ["--no-syslog", "--no-ip-setup", "--ip", "192.0.2.5", "--rise", "1", "-i", "0"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20,
                           check=False)
        assert (p.returncode, p.stdout) == (0, want), (argv, p.stderr)
    p = subprocess.run([FASTBGP, "healthcheck", "--help"], stdout=subprocess.PIPE, timeout=20, check=True)
    for option in (b"--fast-interval", b"--dynamic-ip-setup", b"--withdraw-on-down", b"--disabled-execute"):
        assert option in p.stdout


@needs_root
def test_drops_privileges_after_setup(tmp):
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody")
    h = Helper(["--ip", "192.0.2.1", "--rise", "1", "-i", "0.05", "--no-ack", "--user", "nobody"])
    try:
        assert len(h.lines(1)) == 1
        with open("/proc/%d/status" % h.p.pid) as f:
            status = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
        assert status["Uid"].split() == [str(nobody.pw_uid)] * 4
        assert status["Gid"].split() == [str(nobody.pw_gid)] * 4
        assert status["Groups"].split() == [str(nobody.pw_gid)]
        assert int(status["CapEff"], 16) == 0 and int(status["CapPrm"], 16) == 0
    finally:
        h.stop()
    p = subprocess.run(FASTBGP_HC + ["--no-syslog", "--no-ip-setup", "--ip", "192.0.2.1", "--user", "no-such-user",
                                     "-i", "0", "--rise", "1"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=20, check=False)
    assert p.returncode == 1 and b"no user 'no-such-user'" in p.stderr and p.stdout == b""


# ---------------------------------------------------------------- loopback

class Netns:
    def __init__(self):
        self.name = "fastbgp-hc-%d-%d" % (os.getpid(), int(time.time() * 1000) % 100000)
        subprocess.run(["ip", "netns", "add", self.name], check=True, timeout=10)

    def run(self, *argv, check=True):
        return subprocess.run(["ip", "netns", "exec", self.name] + list(argv), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=check)

    def lo(self, label):
        out = self.run("ip", "-o", "addr", "show", "dev", "lo", "label", "lo:%s*" % label).stdout.decode()
        return sorted(l.split()[3] for l in out.splitlines())

    def close(self):
        subprocess.run(["ip", "netns", "del", self.name], timeout=10, check=False)


@pytest.fixture
def netns():
    ns = Netns()
    yield ns
    ns.close()


@needs_root
def test_loopback_setup_dynamic_and_removed_on_exit(tmp, netns):
    ok = os.path.join(tmp, "ok")
    open(ok, "w").close()
    assert netns.lo("svc") == []
    p = subprocess.Popen(["ip", "netns", "exec", netns.name] + FASTBGP_HC +
                         ["--no-syslog", "--ip", "192.0.2.10", "--ip", "192.0.2.11", "--label", "svc",
                          "--dynamic-ip-setup", "--rise", "1", "--fall", "1", "-i", "0.1", "--no-ack",
                          "--cmd", "test -f %s" % ok], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        wait_until(lambda: netns.lo("svc") == ["192.0.2.10/32", "192.0.2.11/32"], 10, "the addresses on lo")
        out = netns.run("ip", "-o", "addr", "show", "dev", "lo").stdout.decode()
        assert "lo:svc" in out
        os.unlink(ok)
        wait_until(lambda: netns.lo("svc") == [], 10, "the addresses removed while down")
        open(ok, "w").close()
        wait_until(lambda: netns.lo("svc") == ["192.0.2.10/32", "192.0.2.11/32"], 10, "the addresses back when up")
    finally:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
    assert p.returncode == 0, err
    assert netns.lo("svc") == []  # removed on exit
    assert out.decode().splitlines() == [
        "announce route 192.0.2.10/32 next-hop self med 100", "announce route 192.0.2.11/32 next-hop self med 101",
        "announce route 192.0.2.10/32 next-hop self med 1000", "announce route 192.0.2.11/32 next-hop self med 1001",
        "announce route 192.0.2.10/32 next-hop self med 100", "announce route 192.0.2.11/32 next-hop self med 101",
        "withdraw route 192.0.2.10/32 next-hop self", "withdraw route 192.0.2.11/32 next-hop self"]


@needs_root
def test_addresses_taken_from_lo_by_label(netns):
    """Without --ip the addresses come from lo, selected by label as ExaBGP
    selects them (host addresses only, the label a prefix); same output."""
    for addr, label in (("198.51.100.7/32", "lo:web1"), ("198.51.100.8/32", "lo:web2"),
                        ("198.51.100.9/32", "lo:db"), ("203.0.113.0/24", "lo:web3"),
                        ("203.0.113.77/24", "lo:web4")):
        netns.run("ip", "addr", "add", addr, "dev", "lo", "label", label)
    netns.run("ip", "addr", "add", "2001:db8::7/128", "dev", "lo")
    args = ["--no-syslog", "--no-ip-setup", "--rise", "1", "-i", "0"]
    ours = netns.run(*(FASTBGP_HC + args + ["--label", "web"])).stdout.decode()
    assert ours == ("announce route 198.51.100.7/32 next-hop self med 100\n"
                    "announce route 198.51.100.8/32 next-hop self med 101\n"
                    "announce route 203.0.113.0/24 next-hop self med 102\n")
    unlabelled = netns.run(*(FASTBGP_HC + args)).stdout.decode()
    assert "198.51.100.9/32" in unlabelled and "2001:db8::7/128" in unlabelled
    assert "203.0.113.77" not in unlabelled and "127.0.0.1" not in unlabelled
    if have_exabgp():
        for extra in (["--label", "web"], []):
            theirs = netns.run(*(EXABGP_HC + args + extra)).stdout.decode()
            mine = netns.run(*(FASTBGP_HC + args + extra)).stdout.decode()
            assert mine == theirs, extra


def test_example_configuration(tmp):
    """examples/anycast-healthcheck.conf passes `fastbgp -t`, and its run
    line is a valid healthcheck command line."""
    example = os.path.join(TOP, "examples", "anycast-healthcheck.conf")
    env = dict(os.environ, PATH=os.path.dirname(FASTBGP) + ":" + os.environ.get("PATH", ""))
    p = subprocess.run([FASTBGP, "-t", example], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=20, check=False)
    assert p.returncode == 0, p.stdout
    import shlex
    with open(example) as f:
        run = [l.strip() for l in f if l.strip().startswith("run fastbgp healthcheck")][0]
    args = shlex.split(run[len("run fastbgp healthcheck"):].rstrip(";"))
    # the same options, checked once against a command that succeeds
    p = subprocess.run(FASTBGP_HC + args + ["--no-ip-setup", "--interval", "0", "--rise", "1", "--cmd", "true"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20,
                       check=False)
    assert (p.returncode, p.stdout.decode()) == (
        0, "announce route 192.0.2.80/32 next-hop self med 100 community [ 65001:80 ]\n"), p.stderr


def test_check_timeout_kills_the_command(tmp):
    marker = os.path.join(tmp, "child-alive")
    start = time.monotonic()
    p = subprocess.run(FASTBGP_HC + ["--no-syslog", "--no-ip-setup", "--ip", "192.0.2.1", "--fall", "1", "-i", "0",
                                     "--timeout", "1", "--cmd", "sleep 3; touch %s" % marker],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20,
                       check=False)
    took = time.monotonic() - start
    assert p.returncode == 0
    assert p.stdout == b"announce route 192.0.2.1/32 next-hop self med 1000\n"
    assert b"timeout (1) while running check command" in p.stderr.lower()
    assert 0.9 < took < 2.5
    time.sleep(2.5)
    assert not os.path.exists(marker)  # the whole process group was killed


def test_man_page_renders_cleanly():
    page = os.path.join(TOP, "docs", "fastbgp-healthcheck.8")
    if not shutil.which("groff"):
        pytest.skip("groff is not installed")
    p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=20, check=False)
    assert p.returncode == 0 and p.stderr == b"", p.stderr
    text = subprocess.run(["groff", "-man", "-Tutf8", page], stdout=subprocess.PIPE, timeout=20,
                          check=True).stdout.decode()
    # every option of the helper is documented in the page
    help_text = subprocess.run(FASTBGP_HC + ["--help"], stdout=subprocess.PIPE, timeout=20,
                               check=True).stdout.decode()
    import re
    options = set(re.findall(r"^  (--[a-z-]+)", help_text, re.M))
    assert len(options) > 40
    plain = re.sub(r".\x08", "", text).replace("\u2010", "-").replace("\u2212", "-")
    missing = [o for o in options if o not in plain]
    assert not missing, missing
    with open(os.path.join(TOP, "docs", "healthcheck.md")) as f:
        guide = f.read()
    missing = [o for o in options if "`%s" % o not in guide]
    assert not missing, missing


@needs_root
def test_dynamic_ip_setup_as_an_unprivileged_user(tmp, netns):
    """--user with --dynamic-ip-setup: CAP_NET_ADMIN alone is kept, so the
    addresses still follow the state (ExaBGP's helper would need --sudo)."""
    nobody = pwd.getpwnam("nobody")
    ok = os.path.join(tmp, "ok")
    open(ok, "w").close()
    os.chmod(tmp, 0o755)
    p = subprocess.Popen(["ip", "netns", "exec", netns.name] + FASTBGP_HC +
                         ["--no-syslog", "--ip", "192.0.2.20", "--label", "svc", "--dynamic-ip-setup", "--rise", "1",
                          "--fall", "1", "-i", "0.1", "--no-ack", "--user", "nobody", "--cmd", "test -f %s" % ok],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: netns.lo("svc") == ["192.0.2.20/32"], 10, "the address on lo")
        wait_until(lambda: os.path.exists("/proc/%d/status" % p.pid), 5, "the process")
        time.sleep(0.3)
        with open("/proc/%d/status" % p.pid) as f:
            status = dict(l.split(":", 1) for l in f.read().splitlines() if ":" in l)
        assert status["Uid"].split() == [str(nobody.pw_uid)] * 4
        assert int(status["CapEff"], 16) == 1 << 12 and int(status["CapPrm"], 16) == 1 << 12  # CAP_NET_ADMIN
        assert int(status["CapInh"], 16) == 0
        os.unlink(ok)
        wait_until(lambda: netns.lo("svc") == [], 10, "the address removed while down")
        open(ok, "w").close()
        wait_until(lambda: netns.lo("svc") == ["192.0.2.20/32"], 10, "the address back when up")
    finally:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
    assert p.returncode == 0 and b"unable" not in err.lower(), err
    assert netns.lo("svc") == []


def test_garbage_on_stdin_does_not_break_it(tmp):
    """Bytes from the daemon are untrusted: random data, NULs, huge and
    half JSON lines; the helper keeps going and withdraws on SIGTERM."""
    import random
    rng = random.Random(1234)
    h = Helper(["--ip", "192.0.2.1", "--rise", "1", "-i", "0.05", "--no-ack"])
    try:
        assert h.lines(1) == ["announce route 192.0.2.1/32 next-hop self med 100"]
        junk = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) for _ in range(200)]
        junk += [b"neighbor", b"neighbor  up", b"neighbor 1.2.3.4 up extra", b'{"type": "state"',
                 b'{"type": "state", "state": "up"}', b'{"type": "state", "neighbor": {"state": "up", "peer": 1}}',
                 b'{"type": "state", "state": "up", "peer": "' + b"9" * 5000 + b'"}', b"\x00" * 70000, b"\r\n"]
        for chunk in junk:
            h.p.stdin.write(chunk + b"\n")
        h.p.stdin.flush()
        time.sleep(0.5)
        assert h.p.poll() is None
    finally:
        rest = h.stop()
    # "neighbor 1.2.3.4 up extra" and the broken events ask for nothing; a
    # random line may happen to be a valid "up" only by a miracle
    assert rest == ["withdraw route 192.0.2.1/32 next-hop self"]
    assert h.p.returncode == 0


def test_exits_when_its_parent_is_gone(tmp):
    pidfile = os.path.join(tmp, "hc.pid")
    parent = subprocess.Popen(["sh", "-c", '"$@" >/dev/null 2>&1 </dev/null & sleep 0.5', "sh"] + FASTBGP_HC +
                              ["--no-syslog", "--no-ip-setup", "--ip", "192.0.2.1", "-i", "0.1", "--pid", pidfile])
    parent.wait(10)
    wait_until(lambda: os.path.exists(pidfile), 10, "the pid file")
    with open(pidfile) as f:
        pid = int(f.read())

    def gone():
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().split(")")[1].split()[0] == "Z"
        except OSError:
            return True
    try:
        wait_until(gone, 10, "the orphaned healthcheck to exit")
    finally:
        if not gone():
            os.kill(pid, signal.SIGKILL)


def test_shutdown_during_a_long_check(tmp):
    """The daemon's shutdown while a check runs: the check is killed at once
    and the routes withdrawn."""
    fast = os.path.join(tmp, "fast")
    open(fast, "w").close()
    h = Helper(["--ip", "192.0.2.1", "--rise", "1", "-i", "0.05", "--no-ack", "--timeout", "30",
                "--cmd", "if [ -f %s ]; then rm %s; exit 0; fi; sleep 20" % (fast, fast)])
    try:
        assert h.lines(1) == ["announce route 192.0.2.1/32 next-hop self med 100"]
        time.sleep(0.5)  # now inside a 20 s check
        start = time.monotonic()
        h.send('{"exabgp": "4.0.1", "type": "notification", "notification": "shutdown"}\n')
        h.p.wait(5)
        assert time.monotonic() - start < 2
    finally:
        rest = h.stop()
    assert rest == ["withdraw route 192.0.2.1/32 next-hop self"]


@needs_root
def test_syslog_facility_and_name(tmp):
    """Syslog as ExaBGP's helper writes it: facility, "healthcheck-NAME[PID]".
    /dev/log is a socket of the test, seen by the helper only: it runs in a
    private mount namespace where a folder of the test is mounted on /dev."""
    import socket
    if not shutil.which("unshare"):
        pytest.skip("no unshare")
    dev = os.path.join(tmp, "dev")
    os.mkdir(dev)
    open(os.path.join(dev, "null"), "w").close()
    log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    log.bind(os.path.join(dev, "log"))
    log.settimeout(10)

    def helper(*args):
        script = 'mount --bind /dev/null "$1/null" && mount --bind "$1" /dev && shift && exec "$@"'
        return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", dev]
                              + FASTBGP_HC + ["--no-ip-setup", "--ip", "192.0.2.1", "--rise", "1", "-i", "0"]
                              + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=30, check=False)
    try:
        p = helper("--name", "web", "--syslog-facility", "local3", "--cmd", "true")
        assert p.returncode == 0, p.stderr
        assert p.stdout == b"announce route 192.0.2.1/32 next-hop self med 100\n"
        messages = []
        log.settimeout(2)
        try:
            while True:
                messages.append(log.recv(4096).decode())
        except socket.timeout:
            pass
        assert messages, "nothing reached /dev/log"
        # <PRI> = facility local3 (19) * 8 + severity info (6)
        sent = [m for m in messages if "send announces for UP state" in m]
        assert len(sent) == 1 and sent[0].startswith("<158>"), messages
        assert "healthcheck-web[" in sent[0]
        # --no-syslog and --debug: nothing on the socket
        for args in (["--no-syslog"], ["--debug"]):
            assert helper(*args).returncode == 0
            log.settimeout(0.5)
            with pytest.raises(socket.timeout):
                log.recv(4096)
    finally:
        log.close()


@needs_root
def test_sudo_runs_ip_address(tmp, netns):
    """--sudo changes the addresses with "sudo -n ip address ..." as ExaBGP
    does; a stand-in sudo on PATH records the calls and runs them."""
    calls = os.path.join(tmp, "sudo.log")
    fake = os.path.join(tmp, "sudo")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\n[ "$1" = -n ] && shift\nexec "$@"\n' % calls)
    os.chmod(fake, 0o755)
    env = dict(os.environ, PATH=tmp + ":" + os.environ.get("PATH", ""))
    p = subprocess.run(["ip", "netns", "exec", netns.name] + FASTBGP_HC +
                       ["--no-syslog", "--sudo", "--ip", "192.0.2.30", "--label", "svc", "--rise", "1", "-i", "0"],
                       env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30, check=False)
    assert p.returncode == 0, p.stderr
    assert netns.lo("svc") == ["192.0.2.30/32"]
    with open(calls) as f:
        assert f.read() == "-n ip address add 192.0.2.30/32 dev lo label lo:svc\n"


@needs_root
@needs_exabgp
def test_loopback_setup_same_as_exabgp(tmp):
    """The same options in two namespaces, ExaBGP's helper in one (it runs
    `ip address add`), fastbgp's in the other (netlink): the same addresses
    and labels on lo after start, and the same left after SIGTERM."""
    def lo(ns):
        out = ns.run("ip", "-o", "addr", "show", "dev", "lo").stdout.decode()
        return sorted(" ".join(l.split("\\")[0].split()[2:]) for l in out.splitlines())
    options = ["--no-syslog", "--ip", "192.0.2.40", "--ip", "2001:db8::40", "--ip", "192.0.2.44/31", "--label",
               "svc", "--rise", "1", "-i", "0.1", "--no-ack"]
    seen = {}
    for name, prog in (("exabgp", EXABGP_HC), ("fastbgp", FASTBGP_HC)):
        ns = Netns()
        try:
            p = subprocess.Popen(["ip", "netns", "exec", ns.name] + prog + options, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                wait_until(lambda: len(lo(ns)) >= 4, 20, "%s's addresses" % name)
                time.sleep(0.3)
                started = lo(ns)
            finally:
                p.send_signal(signal.SIGTERM)
                p.communicate(timeout=10)
            seen[name] = (started, lo(ns))
        finally:
            ns.close()
    assert seen["fastbgp"] == seen["exabgp"]
    started, left = seen["fastbgp"]
    assert "inet 192.0.2.45/32 scope global lo:svc" in started
    assert left == ["inet6 2001:db8::40/128 scope global"]  # IPv6 has no label: never removed


@needs_root
def test_unprivileged_set_up_is_only_a_warning(tmp, netns):
    """A helper the daemon runs as an unprivileged user cannot add addresses:
    as ExaBGP's, it warns and announces anyway."""
    nobody = pwd.getpwnam("nobody")
    p = subprocess.run(["ip", "netns", "exec", netns.name, "setpriv", "--reuid", str(nobody.pw_uid), "--regid",
                        str(nobody.pw_gid), "--clear-groups"] + FASTBGP_HC +
                       ["--no-syslog", "--ip", "192.0.2.50", "--label", "svc", "--rise", "1", "-i", "0"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30,
                       check=False)
    assert p.returncode == 0, p.stderr
    assert p.stdout == b"announce route 192.0.2.50/32 next-hop self med 100\n"
    assert b"unable to add loopback IP address 192.0.2.50/32: Operation not permitted" in p.stderr
    assert netns.lo("svc") == []


def test_exits_when_the_daemon_closes_its_output():
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run(FASTBGP_HC + ["--no-syslog", "--no-ip-setup", "--ip", "192.0.2.1", "--rise", "1",
                                         "-i", "0.1"], stdin=subprocess.DEVNULL, stdout=w, stderr=subprocess.PIPE,
                           timeout=20, check=False)
    finally:
        os.close(w)
    assert p.returncode == 1
    assert b"cannot write to the daemon: Broken pipe" in p.stderr
