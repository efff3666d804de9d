#!/usr/bin/python3
"""ExaBGP 4.2 wire-conformance runner for fastbgp (stdlib only).

Reads the vectors in ../shared/conformance/exabgp-4.2 (ci/NAME.ci, ci/NAME.msg,
etc/*.conf) in place and reproduces the test protocol described in their
README: listen on 127.0.0.1 and ::1, start the daemon against our port,
echo its OPEN back (router-id + 1), then match every non-KEEPALIVE message
it sends against the ordered groups of rules.  etc/parse-*.conf are run in
check mode (DAEMON -t FILE) and pass on exit status 0.

  run_conformance.py --daemon build/asan/fastbgp [-j 4] [--verbose] [NAME ...]
  run_conformance.py --daemon exabgp        # the reference implementation
"""

import argparse
import errno
import fnmatch
import ipaddress
import os
import re
import selectors
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bgp_peer as bgp  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SHARED = os.path.join(REPO_ROOT, "..", "shared", "conformance", "exabgp-4.2")

# Capability 254 is in the RFC 8810 "experimental use" range, so no
# implementation can legitimately know it: the daemon must just ignore it.
UNKNOWN_CAPABILITY = bgp.capability(254, b"\x00\x01\x02\x03")

STOP_GRACE = 5.0       # seconds between SIGTERM and SIGKILL
SELF_EXIT_GRACE = 1.0  # tcp.once daemons exit by themselves once we hang up
RULE_RE = re.compile(r"^([A-Z]?)(\d+):(raw|announce|withdraw):(.*)$", re.I)


class TestFailure(Exception):
    pass


# ------------------------------------------------------------------ vectors

class Rule:
    def __init__(self, conn, seq, kind, data, line):
        self.conn, self.seq, self.kind, self.data, self.line = conn, seq, kind, data, line

    def __repr__(self):
        return self.line


def parse_msg_file(path):
    """Return (groups, options): groups = list of rule lists by increasing SEQ."""
    groups, options = {}, set()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("option:"):
                options.add(line[len("option:"):])
                continue
            m = RULE_RE.match(line)
            if not m:
                raise ValueError("%s:%d: cannot parse %r" % (path, lineno, line))
            letter, seq, kind, data = m.groups()
            conn = ord(letter.upper()) - ord("A") if letter else 0
            kind = kind.lower()
            if kind == "raw":
                value = bytes.fromhex(data.replace(":", ""))
                if len(value) < bgp.HEADER_LEN or int.from_bytes(value[16:18], "big") != len(value):
                    raise ValueError("%s:%d: raw length field does not match" % (path, lineno))
            else:
                value = str(ipaddress.ip_network(data.strip(), strict=False))
            groups.setdefault(int(seq), []).append(Rule(conn, int(seq), kind, value, line))
    return [groups[k] for k in sorted(groups)], options


def discover(shared):
    """All test names: conformance (ci/*.ci) then check-mode (etc/parse-*)."""
    ci = sorted(f[:-3] for f in os.listdir(os.path.join(shared, "ci")) if f.endswith(".ci"))
    parse = sorted(f[:-5] for f in os.listdir(os.path.join(shared, "etc"))
                   if f.startswith("parse-") and f.endswith(".conf"))
    return [("wire", n) for n in ci] + [("check", n) for n in parse]


# ------------------------------------------------------------------- daemon

def daemon_env(port, rotate):
    env = dict(os.environ)
    env.update({
        "exabgp_tcp_port": str(port),
        "exabgp_tcp_bind": "",
        "exabgp_tcp_once": "true",
        "exabgp_api_cli": "false",
        # Only matter to ExaBGP run as root (it would drop to 'nobody');
        # fastbgp ignores them.
        "exabgp_daemon_user": "root",
        "exabgp_daemon_drop": "false",
    })
    if rotate:
        env["exabgp_debug_rotate"] = "true"
    return env


def start_daemon(cmd, args, env, log_path):
    log = open(log_path, "wb")
    try:
        # own session: the daemon cannot get our terminal's signals, and we
        # can clean up anything it forks with one killpg on its own pid.
        return subprocess.Popen(cmd + args, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    finally:
        log.close()


def stop_daemon(proc, wait_first=0.0):
    """Stop by PID: optional grace, SIGTERM, then SIGKILL. Returns exit code."""
    for sig, wait in ((None, wait_first), (signal.SIGTERM, STOP_GRACE),
                      (signal.SIGKILL, STOP_GRACE)):
        if sig is not None and proc.poll() is None:
            try:
                if sig == signal.SIGKILL:
                    os.killpg(proc.pid, sig)
                else:
                    proc.send_signal(sig)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            return proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    return proc.poll()


def log_tail(path, lines=25):
    try:
        with open(path, "rb") as fh:
            data = fh.read()[-16384:].decode("utf-8", "replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("    | " + line for line in data[-lines:]) or "    | (empty log)"


# ------------------------------------------------------------------ network

def listen_pair():
    """Listen on 127.0.0.1 and ::1 on one free port; ::1 is optional."""
    for _ in range(20):
        v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        v4.bind(("127.0.0.1", 0))
        v4.listen(8)
        port = v4.getsockname()[1]
        try:
            v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        except OSError:
            return port, [v4]
        try:
            v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            v6.bind(("::1", port))
            v6.listen(8)
            return port, [v4, v6]
        except OSError as exc:
            v6.close()
            if exc.errno == errno.EADDRINUSE:
                v4.close()
                continue  # port taken on ::1 only: try another one
            return port, [v4]  # no IPv6 loopback here
    raise RuntimeError("could not find a free port on 127.0.0.1 and ::1")


def msg_hex(raw):
    """Hex in the layout of the .msg files: MARKER:LENGTH:TYPE:BODY."""
    h = raw.hex().upper()
    return "%s:%s:%s:%s" % (h[:32], h[32:36], h[36:38], h[38:])


class Connection:
    def __init__(self, sock, index):
        self.sock, self.index = sock, index
        sock.settimeout(5.0)  # bounds sendall; reads only happen when readable
        self.reader = bgp.MessageReader(sock)
        self.session = None   # negotiated facts once the OPENs are exchanged
        self.keepalive_every = None
        self.next_keepalive = None

    def send(self, data):
        self.sock.sendall(data)


# ------------------------------------------------------------------ matching

class Expectation:
    """The remaining groups of rules; consumes them as messages arrive."""

    def __init__(self, groups):
        self.groups = [list(g) for g in groups]

    def done(self):
        return not self.groups

    def current(self):
        return self.groups[0] if self.groups else []

    def next_group_conn(self):
        return min(r.conn for r in self.groups[0]) if self.groups else None

    def match(self, conn_index, raw, session):
        """Consume the rules raw satisfies; return them, or None on mismatch."""
        group = self.current()
        for rule in group:
            if rule.kind == "raw" and rule.conn == conn_index and rule.data == raw:
                group.remove(rule)
                return self._advance([rule])
        if bgp.msg_type(raw) != bgp.UPDATE:
            return None
        try:
            upd = bgp.parse_update(raw, session["asn4"], session["addpath"])
        except ValueError:
            return None
        # announce/withdraw rules are about IPv4 unicast, wherever it is encoded
        wanted = [("announce", p) for p, _ in upd["announce"].get((1, 1), [])]
        wanted += [("withdraw", p) for p, _ in upd["withdraw"].get((1, 1), [])]
        others = [f for f in list(upd["announce"]) + list(upd["withdraw"]) if f != (1, 1)]
        if not wanted or others or upd["opaque"]:
            return None
        pool, used = list(group), []
        for kind, prefix in wanted:
            hit = next((r for r in pool if r.kind == kind and r.conn == conn_index
                        and r.data == prefix), None)
            if hit is None:
                return None
            pool.remove(hit)
            used.append(hit)
        for rule in used:
            group.remove(rule)
        return self._advance(used)

    def _advance(self, used):
        while self.groups and not self.groups[0]:
            self.groups.pop(0)
        return used

    def remaining_text(self):
        if not self.groups:
            return "    (none)"
        lines = []
        for g in self.groups:
            lines.extend("    " + r.line for r in g)
        return "\n".join(lines)


# --------------------------------------------------------------- one test

class WireTest:
    def __init__(self, name, shared, daemon, timeout, logdir, verbose, linger=0.0):
        self.name, self.shared, self.daemon = name, shared, daemon
        self.linger = linger
        self.timeout, self.verbose = timeout, verbose
        self.log_path = os.path.join(logdir, name + ".log")
        self.notes = []  # verbose trace, printed with the result

    def trace(self, text):
        if self.verbose:
            self.notes.append("    %s: %s" % (self.name, text))

    def run(self):
        with open(os.path.join(self.shared, "ci", self.name + ".ci"), encoding="utf-8") as fh:
            configs = fh.readline().split()
        groups, options = parse_msg_file(os.path.join(self.shared, "ci", self.name + ".msg"))
        self.configs = [os.path.join(self.shared, "etc", c) for c in configs]
        self.unknown_cap = "open:send-unknown-capability" in options
        self.expect = Expectation(groups)
        self.rotations_left = len(configs) - 1
        self.uses_letters = any(r.conn > 0 for g in groups for r in g)
        port, listeners = listen_pair()
        self.listeners, self.conns, self.proc = listeners, [], None
        result = (True, "")
        try:
            self.proc = start_daemon(self.daemon, ["-d", "-p"] + self.configs,
                                     daemon_env(port, len(configs) > 1), self.log_path)
            self.trace("port %d, pid %d, %s" % (port, self.proc.pid, " ".join(configs)))
            self.loop()
        except TestFailure as exc:
            result = (False, str(exc))
        finally:
            for s in self.listeners + [c.sock for c in self.conns]:
                s.close()
            if self.proc is not None:
                code = stop_daemon(self.proc, SELF_EXIT_GRACE)
                self.trace("daemon exit status %s" % code)
        if not result[0]:  # the log is complete only once the daemon is gone
            result = (False, "%s\n  daemon log tail (%s):\n%s" % (
                result[1], self.log_path, log_tail(self.log_path)))
        return result

    def fail(self, reason):
        raise TestFailure("%s\n  remaining rules:\n%s" % (
            reason, self.expect.remaining_text()))

    def loop(self):
        deadline = time.monotonic() + self.timeout
        sel = selectors.DefaultSelector()
        for s in self.listeners:
            sel.register(s, selectors.EVENT_READ, None)
        try:
            while not self.expect.done():
                now = time.monotonic()
                if now >= deadline:
                    self.fail("timeout after %ss" % self.timeout)
                open_conns = [c for c in self.conns if not c.reader.eof]
                if not open_conns and self.proc.poll() is not None:
                    self.fail("daemon exited with status %s" % self.proc.returncode)
                self.pump(sel, min(0.2, deadline - now))
            # --linger: stricter than the reference protocol, which stops
            # here; look at what else the daemon sends (only EORs are fine).
            end = time.monotonic() + self.linger
            while time.monotonic() < end and any(not c.reader.eof for c in self.conns):
                self.pump(sel, min(0.2, max(0.0, end - time.monotonic())))
        finally:
            sel.close()

    def pump(self, sel, timeout):
        for key, _ in sel.select(timeout=timeout):
            if key.data is None:
                self.accept(key.fileobj, sel)
            else:
                self.readable(key.data, sel)
            if self.expect.done() and not self.linger:
                return
        self.keepalives()

    def accept(self, listener, sel):
        try:
            sock, addr = listener.accept()
        except OSError:
            return
        conn = Connection(sock, len(self.conns))
        self.conns.append(conn)
        sel.register(sock, selectors.EVENT_READ, conn)
        self.trace("connection %s from %s" % (chr(65 + conn.index), addr[0]))

    def readable(self, conn, sel):
        alive = conn.reader.feed()
        while True:
            try:
                raw = conn.reader.pop()
            except bgp.FramingError as exc:
                self.fail("framing error on connection %s: %s" % (chr(65 + conn.index), exc))
            if raw is None:
                break
            self.handle(conn, raw)
            if self.expect.done() and not self.linger:
                return
        if not alive:
            sel.unregister(conn.sock)
            self.trace("connection %s closed by daemon" % chr(65 + conn.index))
            nxt = self.expect.next_group_conn()
            if nxt is not None and nxt <= conn.index:
                self.fail("daemon closed connection %s" % chr(65 + conn.index))

    def handle(self, conn, raw):
        mtype = bgp.msg_type(raw)
        if conn.session is None:
            if mtype != bgp.OPEN:
                self.fail("expected OPEN, got %s" % bgp.describe(raw))
            self.trace("recv %s" % bgp.describe(raw))
            reply = bgp.echo_open(raw, UNKNOWN_CAPABILITY if self.unknown_cap else None)
            self.trace("send %s" % bgp.describe(reply))
            conn.send(reply + bgp.build_keepalive())
            conn.session = bgp.session_from_opens(bgp.parse_open(reply), bgp.parse_open(raw))
            hold = bgp.parse_open(raw)["hold"]
            if hold:
                conn.keepalive_every = max(1.0, hold / 3.0)
                conn.next_keepalive = time.monotonic() + conn.keepalive_every
            return
        if mtype == bgp.KEEPALIVE:
            return
        text = bgp.describe(raw, conn.session["asn4"], conn.session["addpath"])
        try:
            conn.send(bgp.build_keepalive())
        except OSError:
            pass  # the daemon may already have hung up; reading tells
        if self.expect.done():
            if text.startswith("UPDATE end-of-rib"):
                self.trace("extra %s (tolerated)" % text)
                return
            self.fail("unexpected message after the last group on connection %s:\n"
                      "    got  %s\n         %s" % (chr(65 + conn.index), msg_hex(raw), text))
        used = self.expect.match(conn.index, raw, conn.session)
        if used is None:
            self.fail("unexpected message on connection %s:\n    got  %s\n         %s%s" % (
                chr(65 + conn.index), msg_hex(raw), text,
                self.closest(conn, raw)))
        self.trace("match %s  <- %s" % (", ".join(r.line[:60] for r in used), text))
        self.maybe_rotate(used[0].seq)

    def closest(self, conn, raw):
        """The raw rule sharing the longest prefix with raw, to spot the diff."""
        best, best_len = None, -1
        for rule in self.expect.current():
            if rule.kind != "raw" or rule.conn != conn.index:
                continue
            n = next((i for i, (a, b) in enumerate(zip(rule.data, raw)) if a != b),
                     min(len(rule.data), len(raw)))
            if n > best_len:
                best, best_len = rule, n
        if best is None:
            return ""
        return "\n    near %s\n         %s\n    first difference at byte %d" % (
            msg_hex(best.data),
            bgp.describe(best.data, conn.session["asn4"], conn.session["addpath"]), best_len)

    def maybe_rotate(self, seq):
        """Multi-config tests: ask the daemon for its next config (SIGUSR1).

        None of the 4.2 vectors use several configs, so this is kept simple:
        signal when a group is finished, more groups remain and either the
        next group starts on a new connection or no connection letters are
        used at all, as long as there are configs left to rotate to."""
        if self.rotations_left <= 0 or self.expect.done():
            return
        if self.expect.current()[0].seq == seq:
            return  # still in the same group
        if not self.uses_letters or self.expect.next_group_conn() >= len(self.conns):
            self.rotations_left -= 1
            self.trace("SIGUSR1 to %d" % self.proc.pid)
            self.proc.send_signal(signal.SIGUSR1)

    def keepalives(self):
        """Keep the session up during long tests (small hold times)."""
        now = time.monotonic()
        for conn in self.conns:
            if conn.next_keepalive and not conn.reader.eof and now >= conn.next_keepalive:
                try:
                    conn.send(bgp.build_keepalive())
                except OSError:
                    pass
                conn.next_keepalive = now + conn.keepalive_every


def run_check(name, shared, daemon, timeout, logdir):
    """Check mode: DAEMON -t FILE must exit 0."""
    path = os.path.join(shared, "etc", name + ".conf")
    log_path = os.path.join(logdir, name + ".log")
    proc = start_daemon(daemon, ["-t", path], daemon_env(179, False), log_path)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_daemon(proc)
        return False, "check mode did not finish within %ss\n%s" % (timeout, log_tail(log_path))
    if code != 0:
        return False, "check mode exit status %s\n  log tail (%s):\n%s" % (
            code, log_path, log_tail(log_path))
    return True, ""


# ---------------------------------------------------------------------- CLI

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--daemon", help="command starting the daemon, e.g. build/asan/fastbgp")
    ap.add_argument("--shared", default=DEFAULT_SHARED, help="vector folder (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per test (default 60)")
    ap.add_argument("--verbose", "-v", action="store_true", help="trace every message")
    ap.add_argument("--list", action="store_true", help="list test names and exit")
    ap.add_argument("--jobs", "-j", type=int, default=1, help="tests run in parallel (default 1)")
    ap.add_argument("--linger", type=float, default=0.0,
                    help="after the last group, keep reading this long and fail on "
                         "anything but End-of-RIB (stricter than the reference)")
    ap.add_argument("--keep-logs", action="store_true", help="keep daemon logs even if all pass")
    ap.add_argument("--known-failures", metavar="FILE",
                    help="file of 'NAME  reason' lines: tests expected to fail until the named "
                         "work lands; they are reported XFAIL (not counted as failures), and a "
                         "listed test that passes is reported XPASS and fails the run so the "
                         "list is kept honest")
    ap.add_argument("names", nargs="*", help="tests to run (shell patterns allowed)")
    args = ap.parse_args()

    shared = os.path.normpath(args.shared)
    if not os.path.isdir(os.path.join(shared, "ci")):
        print("SKIP: conformance vectors not found at %s" % shared)
        print("0 passed, 0 failed, %d skipped" % max(1, len(args.names)))
        return 0
    tests = discover(shared)
    if args.names:
        selected = [t for t in tests if any(fnmatch.fnmatchcase(t[1], n) for n in args.names)]
        unknown = [n for n in args.names if not any(fnmatch.fnmatchcase(t[1], n) for t in tests)]
        if unknown:
            print("error: unknown test(s): %s (see --list)" % " ".join(unknown), file=sys.stderr)
            return 2
        tests = selected
    if args.list:
        for _, name in tests:
            print(name)
        return 0
    if not args.daemon:
        ap.error("--daemon is required")
    daemon = shlex.split(args.daemon)
    if not shutil.which(daemon[0]):
        print("error: daemon %r not found or not executable" % daemon[0], file=sys.stderr)
        return 2
    if os.sep in daemon[0]:
        daemon[0] = os.path.abspath(daemon[0])

    logdir = tempfile.mkdtemp(prefix="fastbgp-conformance-")

    def one(test):
        kind, name = test
        try:
            if kind == "check":
                ok, why = run_check(name, shared, daemon, args.timeout, logdir)
                return ok, why, []
            wt = WireTest(name, shared, daemon, args.timeout, logdir, args.verbose,
                          args.linger)
            ok, why = wt.run()
            return ok, why, wt.notes
        except Exception as exc:  # a runner bug must not hide other results
            return False, "runner error: %s: %s" % (type(exc).__name__, exc), []

    known = {}
    if args.known_failures:
        with open(args.known_failures) as fh:
            for line in fh:
                line = line.split("#", 1)[0].strip()
                if line:
                    parts = line.split(None, 1)
                    known[parts[0]] = parts[1] if len(parts) > 1 else ""

    passed = failed = xfailed = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for (kind, name), (ok, why, notes) in zip(tests, pool.map(one, tests)):
            for line in notes:
                print(line)
            if name in known:
                if ok:
                    failed += 1
                    print("XPASS %s: listed as a known failure (%s) but passes: "
                          "remove it from the list" % (name, known[name]))
                else:
                    xfailed += 1
                    print("XFAIL %s: %s (known: %s)" % (name, why.splitlines()[0], known[name]))
            elif ok:
                passed += 1
                print("PASS %s" % name)
            else:
                failed += 1
                print("FAIL %s: %s" % (name, why))
            sys.stdout.flush()
    if failed or args.keep_logs:
        print("daemon logs kept in %s" % logdir)
    else:
        shutil.rmtree(logdir, ignore_errors=True)
    if xfailed:
        print("%d passed, %d failed, %d skipped" % (passed, failed, xfailed))
    else:
        print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
