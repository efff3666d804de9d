"""Process handling and measurement for the fastbgp benchmarks (stdlib only).

Every process the benchmarks start goes through Proc: it is remembered in a
registry and stopped by its PID (SIGTERM, then SIGKILL after a bounded wait)
when the run ends, on an exception, or on SIGINT/SIGTERM of the driver.
Every wait in this file has a deadline.

Measurements come from /proc: CPU = utime + stime of /proc/PID/stat (the
process itself; descendants can be added), peak RSS = VmHWM of
/proc/PID/status, read just before the process is stopped.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
_REGISTRY = []
_LOCK = threading.Lock()


def now():
    return time.monotonic()


def log(text):
    print("bench: %s" % text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- /proc


def proc_cpu(pid):
    """CPU seconds (user + system) used by pid so far; None when gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is the state (field 3); utime/stime are fields 14/15
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_status(pid, key):
    """A kB value of /proc/PID/status (VmHWM, VmRSS) in kB; None when gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def proc_io(pid, key="rchar"):
    try:
        with open("/proc/%d/io" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def descendants(pid):
    """PIDs of every live descendant of pid."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                data = f.read()
        except OSError:
            continue
        ppid = int(data[data.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            out.append(c)
            todo.append(c)
    return out


# ---------------------------------------------------------------- processes


class Proc:
    """A child process, stopped by PID at the latest when the run ends."""

    def __init__(self, name, argv, env=None, cwd=None, stdout=None, stdin=None,
                 watch=None, count=None):
        """stdout: path of a log file (stdout and stderr go there).
        watch: {key: regex}; a reader thread records the monotonic time of
        the first output line matching each regex (self.seen[key]).
        count: {key: substring}; the reader counts the lines containing
        each substring (self.counts[key])."""
        self.name = name
        self.argv = argv
        self.seen = {}
        self.counts = {k: 0 for k in (count or {})}
        self._count = dict(count or {})
        self.watch = dict(watch or {})
        if self._count and not self.watch:
            self.watch = {"_never": r"(?!x)x"}
        self.lines = 0
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self.logpath = stdout
        self.t_start = now()
        if self.watch:
            self._logf = open(stdout, "wb") if stdout else None
            self.p = subprocess.Popen(argv, env=full_env, cwd=cwd, stdin=stdin or subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      start_new_session=True)
            self._thread = threading.Thread(target=self._reader, daemon=True)
            self._thread.start()
        else:
            self._logf = open(stdout, "wb") if stdout else subprocess.DEVNULL
            self.p = subprocess.Popen(argv, env=full_env, cwd=cwd, stdin=stdin or subprocess.DEVNULL,
                                      stdout=self._logf, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        self.pid = self.p.pid
        self.final_cpu = None
        self.final_hwm = None
        with _LOCK:
            _REGISTRY.append(self)

    def _reader(self):
        for raw in self.p.stdout:
            t = now()
            self.lines += 1
            if self._logf:
                self._logf.write(raw)
            for key, sub in self._count.items():
                if sub in raw:
                    self.counts[key] += 1
            if self.watch:
                line = raw.decode("utf-8", "replace")
                for key, rx in list(self.watch.items()):
                    if key not in self.seen and re.search(rx, line):
                        self.seen[key] = t
        if self._logf:
            self._logf.close()

    def alive(self):
        return self.p.poll() is None

    def cpu(self, with_descendants=False):
        c = proc_cpu(self.pid)
        if c is None:
            return self.final_cpu
        if with_descendants:
            for d in descendants(self.pid):
                c += proc_cpu(d) or 0.0
        return c

    def hwm_kb(self):
        v = proc_status(self.pid, "VmHWM")
        return v if v is not None else self.final_hwm

    def rss_kb(self):
        return proc_status(self.pid, "VmRSS")

    def snapshot(self):
        """Remember CPU and peak RSS (call before stop())."""
        c, h = self.cpu(), self.hwm_kb()
        if c is not None:
            self.final_cpu = c
        if h is not None:
            self.final_hwm = h
        return self.final_cpu, self.final_hwm

    def stop(self, grace=5.0):
        """SIGTERM, bounded wait, SIGKILL: by PID (and its process group,
        which start_new_session made ours and only ours)."""
        if self.p.poll() is None:
            self.snapshot()
            for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(self.pid, sig)
                except ProcessLookupError:
                    break
                except PermissionError:
                    os.kill(self.pid, sig)
                try:
                    self.p.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        else:
            # the leader exited; children of its group may remain
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._logf not in (None, subprocess.DEVNULL):
            try:
                if not self.watch:
                    self._logf.close()
            except OSError:
                pass
        with _LOCK:
            if self in _REGISTRY:
                _REGISTRY.remove(self)
        return self.p.returncode

    def wait(self, timeout):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None


def stop_all():
    with _LOCK:
        procs = list(_REGISTRY)
    for p in reversed(procs):
        try:
            p.stop(grace=2.0)
        except Exception as exc:  # noqa: BLE001 - cleanup must go on
            log("stopping %s (pid %d): %s" % (p.name, p.pid, exc))


def install_signal_cleanup():
    def handler(signum, frame):
        log("signal %d: stopping every process started" % signum)
        stop_all()
        sys.exit(128 + signum)
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run(argv, timeout, env=None, cwd=None):
    """Runs a short command to completion (bounded); returns (rc, output)."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    try:
        r = subprocess.run(argv, env=full_env, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return r.returncode, r.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "replace") if exc.stdout else ""
        return None, out
    except OSError as exc:
        return None, str(exc)


def wait_until(pred, timeout, interval=0.05):
    """Calls pred() until it returns a true value or timeout seconds pass.
    Returns (value, time of the successful call) or (None, None)."""
    deadline = now() + timeout
    while True:
        v = pred()
        t = now()
        if v:
            return v, t
        if t >= deadline:
            return None, None
        time.sleep(min(interval, max(0.0, deadline - t)))


def port_free(addr, port):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def raise_nofile(want):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(want, hard) if hard != resource.RLIM_INFINITY else want
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------- BIRD control socket


class BirdCtl:
    """Talks to a BIRD control socket directly (cheaper than spawning birdc
    at every poll).  Replies are lines 'CODE-text', 'CODE text' (last) or
    ' text' (continuation); a reply ends with a code 0xxx, 8xxx or 9xxx."""

    def __init__(self, path, timeout=10.0):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self.buf = b""

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self.sock = s
        self.buf = b""
        self._reply()  # 0001 BIRD x.y ready.

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None

    def _line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise OSError("BIRD closed the control socket")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def _reply(self):
        out = []
        while True:
            line = self._line()
            out.append(line)
            if len(line) >= 5 and line[:4].isdigit() and line[4] == " " and line[0] in "089":
                return out

    def cmd(self, text):
        """Sends one command; returns its reply lines (None when BIRD is
        not answering)."""
        for _ in range(2):
            try:
                if self.sock is None:
                    self.connect()
                self.sock.sendall(text.encode() + b"\n")
                return self._reply()
            except OSError:
                self.close()
        return None

    def protocol_info(self, name):
        """(state, imported routes, import updates, import withdraws) of a
        BGP protocol from 'show protocols all NAME'; None when unavailable."""
        lines = self.cmd("show protocols all %s" % name)
        if not lines:
            return None
        state, routes, upd, wd = None, 0, 0, 0
        for line in lines:
            t = line[5:] if line[:4].isdigit() else line
            m = re.search(r"BGP state:\s+(\S+)", t)
            if m:
                state = m.group(1)
            m = re.search(r"Routes:\s+(\d+) imported", t)
            if m:
                routes += int(m.group(1))
            m = re.search(r"Import updates:\s+(\d+)", t)
            if m:
                upd += int(m.group(1))
            m = re.search(r"Import withdraws:\s+(\d+)", t)
            if m:
                wd += int(m.group(1))
        return state, routes, upd, wd

    def established_count(self):
        """Number of protocols in state Established ('show protocols')."""
        lines = self.cmd("show protocols")
        if not lines:
            return None
        return sum(1 for line in lines if "Established" in line)


# ---------------------------------------------------------------- machine info


def machine_info():
    info = {}
    info["uname"] = run(["uname", "-a"], 5)[1].strip()
    model, cores = "?", 0
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "?":
                    model = line.split(":", 1)[1].strip()
                if line.startswith("processor"):
                    cores += 1
    except OSError:
        pass
    info["cpu"] = "%s, %d CPU(s)" % (model, cores)
    try:
        with open("/proc/meminfo") as f:
            info["mem"] = f.readline().split(":", 1)[1].strip()
    except OSError:
        info["mem"] = "?"
    try:
        with open("/proc/loadavg") as f:
            info["loadavg_start"] = f.read().strip()
    except OSError:
        pass
    return info


def versions(fastbgp):
    v = {}

    def first(argv, rx=None):
        rc, out = run(argv, 10)
        if rc is None:
            return "not available"
        lines = [x for x in out.splitlines() if x.strip()]
        if rx:
            for x in lines:
                if re.search(rx, x):
                    return x.strip()
        return lines[0].strip() if lines else "?"

    def deb(pkg):
        rc, out = run(["dpkg-query", "-W", "-f=${Version}", pkg], 10)
        return out.strip() if rc == 0 else "not installed"

    v["fastbgp"] = first([fastbgp, "--version"])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rc, head = run(["git", "-C", root, "rev-parse", "--short", "HEAD"], 10)
    if rc == 0:
        _, dirty = run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"], 10)
        v["fastbgp"] += " (tree %s%s; binary %s)" % (head.strip(), ", with uncommitted changes" if dirty.strip()
                                                     else "", fastbgp)
    v["exabgp"] = "%s (deb %s)" % (first(["exabgp", "--version"], r"ExaBGP"), deb("exabgp"))
    v["bird"] = "%s (deb %s)" % (first(["bird", "--version"]), deb("bird2"))
    v["gobgpd"] = "%s (deb %s)" % (first(["gobgpd", "--version"]), deb("gobgpd"))
    v["python3"] = first(["/usr/bin/python3", "--version"])
    v["libuv"] = deb("libuv1")
    v["cc"] = first(["cc", "--version"])
    v["perf"] = first(["perf", "--version"])
    return v
