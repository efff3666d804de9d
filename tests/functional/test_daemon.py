"""Process behaviour of exabgp.daemon.*: PID file, daemonize, privileges,
umask, helpers' user, syslog.  Checked on the process table (/proc).

Tests that need root (privilege drop) skip with a reason when not root.
Every process a test starts is stopped by that test, by PID.
"""
import os
import pwd
import signal
import socket
import struct
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


def proc_stat(pid):
    """(ppid, session id) from /proc/PID/stat."""
    text = read("/proc/%d/stat" % pid)
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), int(fields[3])


def test_daemonize_detaches():
    """daemonize: double fork, setsid, PID file by the daemon, stdio on /dev/null, logs to the file."""
    r = Run(popen=False)
    pidfile, logfile = r.path("fastbgp.pid"), r.path("fastbgp.log")
    env = dict(r.env, exabgp_daemon_daemonize="true", exabgp_daemon_pid=pidfile, exabgp_log_destination=logfile)
    start = time.monotonic()
    p = subprocess.run([FASTBGP, r.conf], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    # the command returns at once (init scripts and wrappers do not hang)
    assert p.returncode == 0, p
    assert time.monotonic() - start < 20
    pid = int(wait_for(lambda: read(pidfile).strip(), 10, "the PID file"))
    try:
        assert alive(pid)
        ppid, sid = proc_stat(pid)
        assert ppid != os.getpid(), "still a child of the shell"
        assert sid != os.getsid(0) and sid != pid, "not in a session of its own (or a session leader)"
        for fd in (0, 1, 2):
            assert os.readlink("/proc/%d/fd/%d" % (pid, fd)) == "/dev/null"
        wait_for(lambda: "running in the background, pid %d" % pid in read(logfile), 10, "the log line")
        assert "starting with" in read(logfile)
    finally:
        stop_pid(pid)
    assert not alive(pid)
    wait_for(lambda: not os.path.exists(pidfile), 10, "the PID file to be removed")


def test_daemonize_refused_while_logging_to_stdout():
    """As ExaBGP: no fork while the log goes to stdout; it says so and stays in the foreground."""
    r = Run(env={"exabgp_daemon_daemonize": "true"})
    try:
        wait_for(lambda: "can not fork when logs are going to stdout" in r.text(), 10, "the refusal")
        assert r.proc.poll() is None
    finally:
        assert r.stop() == 0


root_only = pytest.mark.skipif(os.geteuid() != 0, reason="privilege drop needs the tests to run as root")
NOBODY = pwd.getpwnam("nobody")


def ids(pid):
    st = status(pid)
    return [int(x) for x in st["Uid"].split()], [int(x) for x in st["Gid"].split()], st["Groups"]


@root_only
def test_drop_privileges_to_user():
    """As root, the daemon switches to daemon.user (all four uids and gids) after binding port listeners."""
    port = free_port()
    r = Run(conf_text=neighbor(extra="passive;"), env={"exabgp_daemon_user": "nobody", "exabgp_tcp_bind": "127.0.0.1",
                                                       "exabgp_tcp_port": str(port)})
    try:
        wait_for(lambda: "dropped privileges to user nobody" in r.text(), 10, "the drop")
        uids, gids, groups = ids(r.proc.pid)
        assert uids == [NOBODY.pw_uid] * 4, uids
        assert gids == [NOBODY.pw_gid] * 4, gids
        assert "0" not in groups.split()
        # the listener bound as root still accepts
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        assert r.stop() == 0


@root_only
def test_unknown_user_refused():
    """Refused before anything starts (daemon.user is only used when started as root)."""
    p = subprocess.run([FASTBGP, Run(popen=False).conf], env=dict(os.environ, exabgp_daemon_user="no-such-user-x"),
                       capture_output=True, text=True, timeout=20)
    assert p.returncode == 1
    assert "fastbgp: exabgp.daemon.user 'no-such-user-x': no such user" in p.stderr, p.stderr


TCP_MD5SIG = 14


def md5sig(addr, key):
    """struct tcp_md5sig for an IPv4 peer (linux/tcp.h)."""
    sa = struct.pack("=H", socket.AF_INET) + struct.pack("!H", 0) + socket.inet_aton(addr)
    sa += b"\0" * (128 - len(sa))
    return sa + struct.pack("=BBHI", 0, 0, len(key), 0) + key.encode() + b"\0" * (80 - len(key))


@root_only
def test_md5_works_after_the_drop():
    """TCP MD5 keys: on the listener (set as root) and on connects made after the drop (no privilege needed)."""
    listen_port = free_port()
    out_port = free_port()
    conf = ("neighbor 127.0.0.1 { router-id 10.0.0.1; local-address 127.0.0.1; local-as 65000; peer-as 65000;"
            " md5-password s3cret; family { ipv4 unicast; } }\n")
    # fastbgp listens on listen_port, connects to out_port (nothing there yet: the first attempt fails)
    r = Run(conf_text=conf, env={"exabgp_daemon_user": "nobody", "exabgp_tcp_bind": "127.0.0.1",
                                 "exabgp_tcp_port": str(listen_port)})
    srv = None
    try:
        wait_for(lambda: "dropped privileges" in r.text(), 10, "the drop")
        # incoming: right key connects, wrong key does not (the SYN is dropped)
        good = socket.socket()
        good.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5sig("127.0.0.1", "s3cret"))
        good.settimeout(5)
        good.connect(("127.0.0.1", listen_port))
        good.close()
        bad = socket.socket()
        bad.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5sig("127.0.0.1", "wrong"))
        bad.settimeout(2)
        with pytest.raises(OSError):
            bad.connect(("127.0.0.1", listen_port))
        bad.close()
    finally:
        r.stop()
    # outgoing after the drop: the first attempt, made before the drop, hangs (nothing
    # answers an MD5-signed SYN); SIGALRM restarts the session, so fastbgp, now
    # unprivileged, opens a new socket, sets the key on it and connects to our listener
    r = Run(conf_text=conf, env={"exabgp_daemon_user": "nobody", "exabgp_tcp_port": str(out_port)})
    try:
        wait_for(lambda: "attempt 1)" in r.text() and "dropped privileges" in r.text(), 10, "the first attempt")
        assert ids(r.proc.pid)[0] == [NOBODY.pw_uid] * 4
        first = wait_for(lambda: syn_sent_ports(out_port), 10, "the first SYN")
        r.proc.send_signal(signal.SIGALRM)
        wait_for(lambda: not (syn_sent_ports(out_port) & first), 10, "the first socket to close")
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, md5sig("127.0.0.1", "s3cret"))
        srv.bind(("127.0.0.1", out_port))
        srv.listen(1)
        srv.settimeout(20)
        conn, addr = srv.accept()
        conn.close()
        assert addr[1] not in first
    finally:
        if srv:
            srv.close()
        r.stop()


def syn_sent_ports(remote_port):
    """Local ports of the IPv4 sockets in SYN-SENT towards remote_port (/proc/net/tcp)."""
    ports = set()
    for line in read("/proc/net/tcp").splitlines()[1:]:
        f = line.split()
        if f[3] == "02" and int(f[2].split(":")[1], 16) == remote_port:
            ports.add(int(f[1].split(":")[1], 16))
    return ports


def helper_conf(d):
    """A configuration whose helper writes its uid to d/helper.uid."""
    script = os.path.join(d, "whoami.sh")
    with open(script, "w") as fh:
        fh.write("#!/bin/sh\nid -u > %s/helper.uid\nexec cat > /dev/null\n" % d)
    os.chmod(script, 0o755)
    os.chmod(d, 0o777)
    return ("process who { run %s; encoder json; }\n" % script
            + neighbor().replace("static {", "api { processes [ who ]; } static {"))


@root_only
@pytest.mark.parametrize("drop", ["true", "false"])
def test_helper_runs_as_user(drop):
    """daemon.drop=true: helpers start after the drop, as the user; false: before it, as root.
    The daemon itself runs as the user either way, as in ExaBGP."""
    d = tempfile.mkdtemp(prefix="fastbgp-helper-uid-")
    r = Run(conf_text=helper_conf(d), env={"exabgp_daemon_user": "nobody", "exabgp_daemon_drop": drop})
    try:
        uid = int(wait_for(lambda: read(os.path.join(d, "helper.uid")).strip(), 10, "the helper"))
        wait_for(lambda: "dropped privileges" in r.text(), 10, "the drop")
        assert ids(r.proc.pid)[0] == [NOBODY.pw_uid] * 4
        assert uid == (NOBODY.pw_uid if drop == "true" else 0), (drop, uid)
    finally:
        assert r.stop() == 0


@pytest.mark.parametrize("umask,mode", [("0077", 0o600), ("0022", 0o644), (None, 0o640)])
def test_umask(umask, mode):
    """daemon.umask applies to the files the daemon creates (log file, PID file); the default is 0137."""
    d = tempfile.mkdtemp(prefix="fastbgp-umask-")
    logfile, pidfile = os.path.join(d, "fastbgp.log"), os.path.join(d, "fastbgp.pid")
    env = {"exabgp_log_destination": logfile, "exabgp_daemon_pid": pidfile}
    if umask:
        env["exabgp_daemon_umask"] = umask
    r = Run(env=env)
    try:
        wait_for(lambda: read(pidfile).strip(), 10, "the PID file")
        assert os.stat(logfile).st_mode & 0o777 == mode
        assert os.stat(pidfile).st_mode & 0o777 == mode & 0o644
    finally:
        assert r.stop() == 0


@root_only
def test_syslog_destination():
    """log.destination=syslog: lines reach /dev/log.  The test runs fastbgp in a private mount
    namespace (unshare -m) where its own datagram socket is bind-mounted over /dev/log."""
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -m is not permitted here")
    d = tempfile.mkdtemp(prefix="fastbgp-syslog-")
    sock_path = os.path.join(d, "log.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    srv.bind(sock_path)
    srv.settimeout(0.5)
    r = Run(popen=False)
    olddev = os.path.join(d, "olddev")
    os.mkdir(olddev)
    # /dev may have no log entry to bind over: a private tmpfs /dev with the few nodes fastbgp uses
    script = ("set -e; mount --make-rprivate /; mount --bind /dev %(old)s; mount -t tmpfs tmpfs /dev; "
              "for f in null zero urandom random; do touch /dev/$f; mount --bind %(old)s/$f /dev/$f; done; "
              "touch /dev/log; mount --bind %(sock)s /dev/log; exec \"$@\"" % {"old": olddev, "sock": sock_path})
    env = dict(r.env, exabgp_log_destination="syslog")
    logfh = open(r.log, "w")
    p = subprocess.Popen(["unshare", "-m", "sh", "-c", script, "sh", FASTBGP, r.conf], env=env, stdout=logfh,
                         stderr=subprocess.STDOUT)
    got = []
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any("starting with" in g for g in got):
            try:
                got.append(srv.recv(4096).decode(errors="replace"))
            except socket.timeout:
                assert p.poll() is None, read(r.log)
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=15)
        logfh.close()
        srv.close()
    line = next((g for g in got if "starting with" in g), None)
    assert line, (got, read(r.log))
    # "<30>Dec  6 20:55:00 fastbgp[PID]: daemon        fastbgp 0.1.0 starting with ..."
    assert line.startswith("<%d>" % (3 * 8 + 6)), line  # facility daemon (3), priority info (6)
    assert "fastbgp[%d]: daemon " % p.pid in line, line
    assert "starting with" not in read(r.log)


def test_sd_notify_ready():
    """Under systemd (NOTIFY_SOCKET set), READY=1 arrives once the listeners are bound."""
    d = tempfile.mkdtemp(prefix="fastbgp-notify-")
    path = os.path.join(d, "notify.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    srv.bind(path)
    srv.settimeout(15)
    port = free_port()
    r = Run(conf_text=neighbor(extra="passive;"), env={"NOTIFY_SOCKET": path, "exabgp_tcp_bind": "127.0.0.1",
                                                       "exabgp_tcp_port": str(port)})
    try:
        msg = srv.recv(4096).decode()
        assert "READY=1" in msg.split("\n"), msg
        # ready means listening
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        r.proc.send_signal(signal.SIGTERM)
        assert "STOPPING=1" in srv.recv(4096).decode()
    finally:
        srv.close()
        r.stop()
