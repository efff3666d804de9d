"""Helpers for the integration tests: real BGP daemons from Debian against fastbgp.

Everything stays on loopback. Each test gets a Lab (see conftest.py): its own
directory, its own block of 127.X.Y.0/24 addresses and free ports, and it stops
every process it started, by PID, when the test ends.

One small class per daemon type (Bird, Gobgp, Frr, Openbgpd, Exabgp, Fastbgp).
Each writes its configuration, start()s the daemon as a child of the test (in
its own process group), stop()s it (SIGTERM, then SIGKILL after a bounded
wait) and reads sessions and routes back through the daemon's own CLI.
Routes are normalised to Route objects so tests compare the same fields
whatever the daemon.

Notes learned the hard way (see also ../../../shared/docs/REAL-PEERS.md):
- GoBGP treats an UPDATE whose NEXT_HOP is a loopback address as a withdraw
  ("invalid nexthop address"); FRR refuses it as martian (NOTIFICATION 3/8)
  unless `bgp allow-martian-nexthop`. Routes for those use 192.0.2.x.
- Peers used as targets of fastbgp's outgoing connection are passive, so they
  never connect anywhere themselves.
"""

import atexit
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
import sys  # noqa: E402
sys.path.insert(0, os.path.join(REPO, "tests"))
import testports  # noqa: E402
PYTHON = "/usr/bin/python3"

BIRD = "/usr/sbin/bird"
BIRDC = "/usr/sbin/birdc"
GOBGPD = "/usr/bin/gobgpd"
GOBGP = "/usr/bin/gobgp"
FRR_BGPD = "/usr/lib/frr/bgpd"
VTYSH = "/usr/bin/vtysh"
OPENBGPD = "/usr/sbin/bgpd"
BGPCTL = "/usr/sbin/bgpctl"
EXABGP = "/usr/sbin/exabgp"

DAEMON_BINARIES = {
    "bird": [BIRD, BIRDC],
    "gobgp": [GOBGPD, GOBGP],
    "frr": [FRR_BGPD, VTYSH],
    "openbgpd": [OPENBGPD, BGPCTL],
    "exabgp": [EXABGP],
}


_binary_copy = []


def fastbgp_binary():
    """The fastbgp under test: $FASTBGP, or build/asan/fastbgp.

    A private copy is taken at first use, so that a rebuild in the shared
    tree during the run neither removes it nor mixes two versions."""
    if _binary_copy:
        return _binary_copy[0]
    path = os.environ.get("FASTBGP") or os.path.join(REPO, "build", "asan", "fastbgp")
    if not os.access(path, os.X_OK):
        return path
    copy_dir = tempfile.mkdtemp(prefix="fastbgp-it-bin-")
    copy = os.path.join(copy_dir, "fastbgp")
    shutil.copy2(path, copy)
    atexit.register(shutil.rmtree, copy_dir, True)
    _binary_copy.append(copy)
    return copy


def missing_binaries(kind):
    return [b for b in DAEMON_BINARIES.get(kind, []) if not os.access(b, os.X_OK)]


# ------------------------------------------------------------------ waiting

class Timeout(AssertionError):
    pass


def wait_until(fn, timeout, what, interval=0.2):
    """Calls fn() until it returns something true; returns that value.

    Raises Timeout (an AssertionError) after `timeout` seconds, with `what`
    and the last value (or exception) seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = fn()
            if last:
                return last
        except Exception as exc:  # a CLI that is not ready yet
            last = "%s: %s" % (type(exc).__name__, exc)
        if time.monotonic() >= deadline:
            raise Timeout("timed out after %.1fs waiting for %s (last: %r)" % (timeout, what, last))
        time.sleep(interval)


def stays(fn, duration, what, interval=0.3):
    """Asserts fn() stays true for `duration` seconds."""
    deadline = time.monotonic() + duration
    while True:
        value = fn()
        if not value:
            raise AssertionError("%s stopped being true (value %r)" % (what, value))
        if time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def run(argv, timeout=10):
    """Runs a CLI with a bounded wait; returns its stdout (text)."""
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout, check=False)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), p.returncode, out[-500:]))
    return out


# ------------------------------------------------------------ addresses, ports

# Each test run picks a random 127.A.0.0/16 so that runs by several people on
# the same machine, or a daemon left over by a crashed run, do not collide;
# each Lab then takes the next /24 of it.
_SECOND_OCTET = random.Random(os.getpid() ^ int(time.time())).randrange(64, 250)
_next_block = [random.Random(os.getpid()).randrange(1, 50)]
_used_ports = set()


def new_block():
    b = _next_block[0]
    _next_block[0] = b + 1 if b < 254 else 1
    return "127.%d.%d." % (_SECOND_OCTET, b)


def free_port(addr="127.0.0.1"):
    """An unprivileged TCP port free on addr (and not handed out before):
    from FASTBGP_TEST_PORT_BASE upwards when set (tests/testports.py), else the OS's."""
    for _ in range(50):
        port = testports.free_port(addr)
        if port not in _used_ports and port > 1024:
            _used_ports.add(port)
            return port
    raise RuntimeError("no free port on %s" % addr)


def closed_port(addr="127.0.0.1"):
    """A port on which nothing listens (connecting there is refused)."""
    return free_port(addr)


# ------------------------------------------------------------------- routes

class Route:
    """One received route, normalised across daemons."""

    def __init__(self, prefix, next_hop=None, as_path=None, med=None, local_pref=None,
                 communities=None, large_communities=None, origin=None):
        self.prefix = str(ipaddress.ip_network(prefix, strict=False))
        self.next_hop = str(ipaddress.ip_address(next_hop)) if next_hop else None
        self.as_path = list(as_path or [])
        self.med = med
        self.local_pref = local_pref
        self.communities = sorted(communities or [])
        self.large_communities = sorted(large_communities or [])
        self.origin = origin

    def as_dict(self):
        return {"prefix": self.prefix, "next_hop": self.next_hop, "as_path": self.as_path,
                "med": self.med, "local_pref": self.local_pref, "communities": self.communities,
                "large_communities": self.large_communities}

    def __repr__(self):
        return "Route(%r)" % self.as_dict()


class Expect:
    """A route a test expects, plus the static-route line for fastbgp.

    `as_path_sent` is what the peer should see (with fastbgp's prepend)."""

    def __init__(self, prefix, next_hop, as_path_conf=None, as_path_seen=(), med=None,
                 local_pref=None, communities=(), large_communities=(), check_local_pref=False):
        self.prefix = prefix
        self.next_hop = next_hop
        self.as_path_conf = as_path_conf
        self.as_path_seen = list(as_path_seen)
        self.med = med
        self.local_pref = local_pref
        self.communities = list(communities)
        self.large_communities = list(large_communities)
        self.check_local_pref = check_local_pref

    def conf_line(self):
        words = ["route", self.prefix, "next-hop", self.next_hop]
        if self.as_path_conf is not None:
            words += ["as-path", "[", " ".join(str(a) for a in self.as_path_conf), "]"]
        if self.med is not None:
            words += ["med", str(self.med)]
        if self.local_pref is not None:
            words += ["local-preference", str(self.local_pref)]
        if self.communities:
            words += ["community", "[", " ".join(self.communities), "]"]
        if self.large_communities:
            words += ["large-community", "[", " ".join(self.large_communities), "]"]
        return " ".join(words) + ";"

    def mismatches(self, got, self_address=None):
        """List of differences between this expectation and a Route."""
        if got is None:
            return ["%s: not received" % self.prefix]
        want_nh = self_address if self.next_hop == "self" else self.next_hop
        out = []

        def cmp(field, want, have):
            if want != have:
                out.append("%s: %s is %r, expected %r" % (self.prefix, field, have, want))
        cmp("next-hop", str(ipaddress.ip_address(want_nh)), got.next_hop)
        cmp("as-path", self.as_path_seen, got.as_path)
        cmp("med", self.med, got.med)
        cmp("communities", sorted(self.communities), got.communities)
        cmp("large-communities", sorted(self.large_communities), got.large_communities)
        if self.check_local_pref:
            cmp("local-preference", self.local_pref if self.local_pref is not None else 100,
                got.local_pref)
        return out


def check_routes(expected, received, self_address=None):
    """Asserts every expected route arrived with the expected attributes.

    received: {prefix: Route}."""
    problems = []
    for e in expected:
        key = str(ipaddress.ip_network(e.prefix, strict=False))
        problems += e.mismatches(received.get(key), self_address)
    assert not problems, "\n".join(problems) + "\nreceived: %r" % received


# --------------------------------------------------------------- processes

class Daemon:
    """A child process in its own process group, logging to a file."""

    kind = "daemon"

    def __init__(self, lab, name):
        self.lab = lab
        self.name = name
        self.dir = os.path.join(lab.dir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "output.log")
        self.proc = None
        self.returncode = None
        self.starts = 0
        lab.daemons.append(self)

    def _spawn(self, argv, env=None, cwd=None):
        assert self.proc is None or self.proc.poll() is not None, "%s already running" % self.name
        log = open(self.log_path, "ab")
        log.write(("\n==== start %d: %s\n" % (self.starts + 1, " ".join(argv))).encode())
        log.flush()
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=env, cwd=cwd or self.dir,
                                         start_new_session=True)
        finally:
            log.close()
        self.starts += 1
        self.returncode = None
        return self.proc

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.running():
            os.kill(self.proc.pid, sig)

    def _reap_group(self):
        # The process group we created at spawn (its id is the child's PID):
        # helpers and privilege-separated children of the daemon go with it.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, timeout=5.0):
        """SIGTERM, bounded wait, then SIGKILL. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGCONT)  # in case a test froze it
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.returncode = self.proc.returncode
        self._reap_group()
        return self.returncode

    def kill(self):
        """SIGKILL (a crash as seen by the peer)."""
        if self.running():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self.returncode = self.proc.returncode if self.proc else None
        if self.proc:
            self._reap_group()

    def wait_ready(self, fn, what, timeout=10):
        """wait_until(fn) during start-up, failing at once if the daemon exits."""
        def check():
            if not self.running():
                raise AssertionError("%s exited during start-up (rc %s):\n%s"
                                     % (self.describe(), self.proc.returncode, self.log()[-3000:]))
            return fn()
        deadline = time.monotonic() + timeout
        last = None
        while True:
            try:
                value = check()
                if value:
                    return value
            except AssertionError:
                raise
            except Exception as exc:
                last = "%s: %s" % (type(exc).__name__, exc)
            if time.monotonic() >= deadline:
                raise Timeout("timed out after %.1fs waiting for %s (last: %r)" % (timeout, what, last))
            time.sleep(0.2)

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def write(self, filename, text):
        path = os.path.join(self.dir, filename)
        with open(path, "w") as f:
            f.write(text)
        return path

    def describe(self):
        return "%s %s (pid %s)" % (self.kind, self.name, self.pid)


# ------------------------------------------------------------------ fastbgp

def fastbgp_neighbor(peer, local, local_as, peer_as, router_id=None, hold_time=6,
                     families=("ipv4 unicast", "ipv6 unicast"), routes=(), options=()):
    """Text of one fastbgp `neighbor` block.

    routes: Expect objects or ready-made `route ...;` strings.
    options: extra statements (without the trailing `;`), e.g. "passive"."""
    lines = ["neighbor %s {" % peer]
    if router_id:
        lines.append("\trouter-id %s;" % router_id)
    lines += ["\tlocal-address %s;" % local, "\tlocal-as %d;" % local_as,
              "\tpeer-as %d;" % peer_as, "\thold-time %d;" % hold_time]
    for o in options:
        lines.append("\t%s;" % o)
    if families:
        lines.append("\tfamily {")
        lines += ["\t\t%s;" % f for f in families]
        lines.append("\t}")
    if routes:
        lines.append("\tstatic {")
        for r in routes:
            lines.append("\t\t" + (r.conf_line() if isinstance(r, Expect) else r))
        lines.append("\t}")
    lines.append("}")
    return "\n".join(lines) + "\n"


STATE_RE = re.compile(r"peer (\S+?): (\w+) -> (\w+)")
SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:")


class Fastbgp(Daemon):
    kind = "fastbgp"

    def __init__(self, lab, config, port, bind=None, env=None, name="fastbgp"):
        """config: configuration text; port: exabgp.tcp.port (connect port,
        and listen port when bind is given); bind: list of addresses to
        listen on (exabgp.tcp.bind), None = do not listen."""
        super().__init__(lab, name)
        self.config = config
        self.port = port
        self.bind = bind
        self.extra_env = dict(env or {})
        self.conf_path = self.write("fastbgp.conf", config)

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.lower().startswith("exabgp")}
        env.update({
            "exabgp_tcp_port": str(self.port),
            "exabgp_log_destination": "stderr",
            "exabgp_log_level": "DEBUG",
            "exabgp_log_network": "true",
            "exabgp_log_reactor": "true",
            "exabgp_api_cli": "false",
            # run as root, stay root (fastbgp drops to daemon.user as ExaBGP does)
            "exabgp_daemon_user": "root",
        })
        if self.bind:
            env["exabgp_tcp_bind"] = " ".join(self.bind)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        env.update(self.extra_env)
        return env

    def start(self):
        self._spawn([fastbgp_binary(), self.conf_path], env=self.env())
        # A configuration error makes it exit at once: report that clearly.
        time.sleep(0.2)
        if not self.running():
            raise AssertionError("fastbgp exited at start (rc %s):\n%s"
                                 % (self.proc.returncode, self.log()[-3000:]))
        return self

    # --- reading its log (fastbgp has no query interface yet) ---

    def transitions(self, peer=None):
        out = []
        for m in STATE_RE.finditer(self.log()):
            if peer is None or m.group(1) == peer:
                out.append((m.group(1), m.group(2), m.group(3)))
        return out

    def established_count(self, peer=None):
        return sum(1 for _, _, new in self.transitions(peer) if new == "ESTABLISHED")

    def is_established(self, peer=None):
        t = self.transitions(peer)
        return bool(t) and t[-1][2] == "ESTABLISHED"

    def notifications_received(self, peer=None):
        lines = [l for l in self.log().splitlines() if re.search(r"notification received", l, re.I)]
        if peer:
            lines = [l for l in lines if peer in l]
        return lines

    def grep(self, pattern, flags=re.I):
        return [l for l in self.log().splitlines() if re.search(pattern, l, flags)]

    def wait_established(self, peer=None, timeout=15, count=1):
        return wait_until(lambda: self.established_count(peer) >= count, timeout,
                          "fastbgp to log a session to %s reaching ESTABLISHED" % (peer or "any peer"))

    def sanitizer_errors(self):
        return [l for l in self.log().splitlines() if SANITIZER_RE.search(l)]


# --------------------------------------------------------------------- BIRD

class Bird(Daemon):
    """BIRD 2. One `protocol bgp` per neighbor (see add_neighbor)."""
    kind = "bird"

    def __init__(self, lab, addr, asn, router_id=None, port=179, name="bird"):
        super().__init__(lab, name)
        self.addr = addr
        self.asn = asn
        self.port = port
        self.router_id = router_id or ("10.255.%d.%d" % (lab.index % 256, 2))
        self.sock = os.path.join(self.dir, "bird.ctl")
        self.protocols = []
        self.peer_protocol = {}
        self.statics = []

    def add_neighbor(self, peer, peer_as, name=None, passive=True, peer_port=None, hold=6,
                     ipv4=True, ipv6=True, password=None, ttl_security=False, multihop="multihop",
                     export=False, local_addr=None, extra=()):
        name = name or "p%d" % (len(self.protocols) + 1)
        lines = ["protocol bgp %s {" % name,
                 "\tlocal %s port %d as %d;" % (local_addr or self.addr, self.port, self.asn),
                 "\tneighbor %s%s as %d;" % (peer, " port %d" % peer_port if peer_port else "", peer_as),
                 "\tstrict bind yes;",
                 "\t%s;" % multihop,
                 "\tpassive %s;" % ("on" if passive else "off"),
                 "\tconnect delay time 1;",
                 "\tconnect retry time 2;",
                 "\terror wait time 1, 5;",
                 "\thold time %d;" % hold,
                 "\tkeepalive time %d;" % max(1, hold // 3)]
        if password is not None:
            lines.append('\tpassword "%s";' % password)
        if ttl_security:
            lines.append("\tttl security on;")
        lines += ["\t%s;" % e for e in extra]
        export = "export all" if export else "export none"
        if ipv4:
            lines.append("\tipv4 { import all; %s; };" % export)
        if ipv6:
            nh = "" if ipaddress.ip_address(peer).version == 6 else " next hop address 2001:db8::99;"
            lines.append("\tipv6 { import all; %s;%s };" % (export, nh))
        lines.append("}")
        self.protocols.append((name, "\n".join(lines)))
        self.peer_protocol[peer] = name
        return name

    def add_static(self, ipv4_routes=(), ipv6_routes=()):
        """Static routes for BIRD to export (each: 'PREFIX' -> blackhole, or a full
        BIRD route statement body such as '10.0.0.0/24 blackhole { bgp_med = 5; }')."""
        def body(r):
            return r if " " in r else "%s blackhole" % r
        if ipv4_routes:
            self.statics.append("protocol static s4 {\n\tipv4;\n%s\n}"
                                % "\n".join("\troute %s;" % body(r) for r in ipv4_routes))
        if ipv6_routes:
            self.statics.append("protocol static s6 {\n\tipv6;\n%s\n}"
                                % "\n".join("\troute %s;" % body(r) for r in ipv6_routes))

    def config(self):
        return "\n".join(["router id %s;" % self.router_id,
                          "log stderr all;",
                          "protocol device { scan time 60; }"] + self.statics +
                         [text for _, text in self.protocols]) + "\n"

    def start(self):
        path = self.write("bird.conf", self.config())
        self._spawn([BIRD, "-f", "-c", path, "-s", self.sock, "-P", os.path.join(self.dir, "bird.pid")])
        self.wait_ready(lambda: os.path.exists(self.sock) and self.cli("show status"),
                        "BIRD control socket %s" % self.sock)
        return self

    def cli(self, command):
        return run([BIRDC, "-s", self.sock] + command.split(), timeout=10)

    def _proto(self, which):
        """A protocol name, or the neighbor address of one, or None (the first)."""
        if which is None:
            return self.protocols[0][0]
        return self.peer_protocol.get(which, which)

    def state(self, protocol=None):
        protocol = self._proto(protocol)
        m = re.search(r"BGP state:\s+(\S+)", self.cli("show protocols all %s" % protocol))
        return m.group(1) if m else None

    def established(self, protocol=None):
        return self.state(protocol) == "Established"

    def wait_established(self, protocol=None, timeout=15):
        return wait_until(lambda: self.established(protocol), timeout,
                          "BIRD protocol %s to be Established" % self._proto(protocol))

    def established_protocols(self):
        out = self.cli("show protocols")
        return [l.split()[0] for l in out.splitlines() if "Established" in l]

    def imported(self, protocol=None):
        """{'ipv4': n, 'ipv6': n} routes imported per channel."""
        out = self.cli("show protocols all %s" % self._proto(protocol))
        counts, channel = {}, None
        for line in out.splitlines():
            m = re.match(r"\s+Channel (ipv4|ipv6)", line)
            if m:
                channel = m.group(1)
            m = re.match(r"\s+Routes:\s+(\d+) imported", line)
            if m and channel:
                counts[channel] = int(m.group(1))
        return counts

    def import_stats(self, protocol=None):
        """{'ipv4': received import updates, 'ipv6': ...} (counts re-sent routes too)."""
        out = self.cli("show protocols all %s" % self._proto(protocol))
        stats, channel = {}, None
        for line in out.splitlines():
            m = re.match(r"\s+Channel (ipv4|ipv6)", line)
            if m:
                channel = m.group(1)
            m = re.match(r"\s+Import updates:\s+(\d+)", line)
            if m and channel:
                stats[channel] = int(m.group(1))
        return stats

    def export_stats(self, protocol=None):
        """{'ipv4': accepted export updates, ...}."""
        out = self.cli("show protocols all %s" % self._proto(protocol))
        stats, channel = {}, None
        for line in out.splitlines():
            m = re.match(r"\s+Channel (ipv4|ipv6)", line)
            if m:
                channel = m.group(1)
            m = re.match(r"\s+Export updates:\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+(\d+)", line)
            if m and channel:
                stats[channel] = int(m.group(4))
        return stats

    def routes(self):
        """{prefix: Route} from `show route all` (both tables)."""
        routes = {}
        for table in ("master4", "master6"):
            out = self.cli("show route all table %s" % table)
            routes.update(parse_bird_routes(out))
        return routes


def parse_bird_routes(text):
    routes, cur = {}, None

    def flush():
        if cur:
            routes[cur["prefix"]] = Route(cur["prefix"], cur.get("nh"), cur.get("path"),
                                          cur.get("med"), cur.get("lp"), cur.get("comm"),
                                          cur.get("large"), cur.get("origin"))
    for line in text.splitlines():
        m = re.match(r"^([0-9a-fA-F:.]+/\d+)\s+\S+\s+\[", line)
        if m:
            flush()
            cur = {"prefix": m.group(1)}
            continue
        if cur is None:
            continue
        m = re.match(r"^\s+BGP\.(\w+):\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "as_path":
            cur["path"] = [int(x) for x in re.findall(r"\d+", value)]
        elif key == "next_hop":
            cur["nh"] = value.split()[0]
        elif key == "med":
            cur["med"] = int(value)
        elif key == "local_pref":
            cur["lp"] = int(value)
        elif key == "origin":
            cur["origin"] = value.lower()
        elif key == "community":
            cur["comm"] = ["%s:%s" % c for c in re.findall(r"\((\d+),\s*(\d+)\)", value)]
        elif key == "large_community":
            cur["large"] = ["%s:%s:%s" % c for c in
                            re.findall(r"\((\d+),\s*(\d+),\s*(\d+)\)", value)]
    flush()
    return routes


# -------------------------------------------------------------------- GoBGP

class Gobgp(Daemon):
    kind = "gobgp"

    def __init__(self, lab, addr, asn, router_id=None, port=179, name="gobgp"):
        super().__init__(lab, name)
        self.addr = addr
        self.asn = asn
        self.port = port
        self.router_id = router_id or ("10.255.%d.%d" % (lab.index % 256, 3))
        self.api = (addr, free_port(addr))
        self.sections = []

    def add_neighbor(self, peer, peer_as, passive=True, peer_port=None, hold=6, ipv4=True,
                     ipv6=True, password=None, local_address=None):
        s = ['[[neighbors]]',
             '  [neighbors.config]',
             '    neighbor-address = "%s"' % peer,
             '    peer-as = %d' % peer_as]
        if password is not None:
            s.append('    auth-password = "%s"' % password)
        s += ['  [neighbors.timers.config]',
              '    connect-retry = 1',
              '    hold-time = %d' % hold,
              '    keepalive-interval = %d' % max(1, hold // 3),
              '  [neighbors.transport.config]',
              '    local-address = "%s"' % (local_address or self.addr),
              '    passive-mode = %s' % ("true" if passive else "false")]
        if peer_port:
            s.append('    remote-port = %d' % peer_port)
        if ipaddress.ip_address(peer).version == 4 and peer_as != self.asn:
            s += ['  [neighbors.ebgp-multihop.config]', '    enabled = true', '    multihop-ttl = 2']
        s += self._afi_safis("neighbors", ipv4, ipv6)
        self.sections.append("\n".join(s))

    def add_dynamic_neighbors(self, prefix, peer_as, hold=6, ipv4=True, ipv6=False):
        s = ['[[peer-groups]]',
             '  [peer-groups.config]',
             '    peer-group-name = "dyn"',
             '    peer-as = %d' % peer_as,
             '  [peer-groups.timers.config]',
             '    connect-retry = 1',
             '    hold-time = %d' % hold,
             '    keepalive-interval = %d' % max(1, hold // 3),
             '  [peer-groups.transport.config]',
             '    passive-mode = true']
        s += self._afi_safis("peer-groups", ipv4, ipv6)
        s += ['[[dynamic-neighbors]]',
              '  [dynamic-neighbors.config]',
              '    prefix = "%s"' % prefix,
              '    peer-group = "dyn"']
        self.sections.append("\n".join(s))

    @staticmethod
    def _afi_safis(section, ipv4, ipv6):
        s = []
        for on, name in ((ipv4, "ipv4-unicast"), (ipv6, "ipv6-unicast")):
            if on:
                s += ['  [[%s.afi-safis]]' % section,
                      '    [%s.afi-safis.config]' % section,
                      '      afi-safi-name = "%s"' % name]
        return s

    def config(self):
        head = ['[global.config]',
                '  as = %d' % self.asn,
                '  router-id = "%s"' % self.router_id,
                '  port = %d' % self.port,
                '  local-address-list = ["%s"]' % self.addr]
        return "\n".join(head + self.sections) + "\n"

    def start(self):
        path = self.write("gobgpd.toml", self.config())
        api = "%s:%d" % (("[%s]" % self.api[0]) if ":" in self.api[0] else self.api[0], self.api[1])
        self._spawn([GOBGPD, "-f", path, "-t", "toml", "--api-hosts", api, "--pprof-disable",
                     "--log-level", "debug"])
        self.wait_ready(lambda: self.cli("global") is not None, "gobgpd API on %s" % api)
        return self

    def cli(self, *args, as_json=False):
        out = run([GOBGP, "-u", self.api[0], "-p", str(self.api[1])] + list(args) +
                  (["-j"] if as_json else []), timeout=10)
        return json.loads(out) if as_json else out

    def neighbors(self):
        return self.cli("neighbor", as_json=True) or []

    def neighbor_state(self, peer):
        for n in self.neighbors():
            if n.get("state", {}).get("neighbor_address") == peer or \
                    n.get("conf", {}).get("neighbor_address") == peer:
                return n.get("state", {}).get("session_state")
        return None

    def established(self, peer):
        return self.neighbor_state(peer) == 6  # BGP_FSM_ESTABLISHED

    def established_count(self):
        return sum(1 for n in self.neighbors() if n.get("state", {}).get("session_state") == 6)

    def wait_established(self, peer, timeout=15):
        return wait_until(lambda: self.established(peer), timeout,
                          "GoBGP neighbor %s to be established" % peer)

    def routes(self, families=("ipv4", "ipv6")):
        routes = {}
        for fam in families:
            data = self.cli("global", "rib", "-a", fam, as_json=True) or {}
            for prefix, paths in data.items():
                best = [p for p in paths if p.get("best")] or paths
                routes[str(ipaddress.ip_network(prefix))] = gobgp_route(prefix, best[0])
        return routes


def gobgp_route(prefix, path):
    r = {"nh": None, "path": [], "med": None, "lp": None, "comm": [], "large": [], "origin": None}
    for a in path.get("attrs", []):
        t = a.get("type")
        if t == 1:
            r["origin"] = {0: "igp", 1: "egp", 2: "incomplete"}.get(a.get("value", 0))
        elif t == 2:
            for seg in a.get("as_paths", []):
                r["path"] += seg.get("asns", [])
        elif t == 3:
            r["nh"] = a.get("nexthop")
        elif t == 4:
            r["med"] = a.get("metric", 0)
        elif t == 5:
            r["lp"] = a.get("value", 0)
        elif t == 8:
            r["comm"] = ["%d:%d" % (c >> 16, c & 0xFFFF) for c in a.get("communities", [])]
        elif t == 32:
            r["large"] = ["%d:%d:%d" % (v["ASN"], v["LocalData1"], v["LocalData2"])
                          for v in a.get("value", [])]
        elif t == 14:
            r["nh"] = a.get("nexthop")
    return Route(prefix, r["nh"], r["path"], r["med"], r["lp"], r["comm"], r["large"], r["origin"])


# ---------------------------------------------------------------------- FRR

class Frr(Daemon):
    """FRR 8 bgpd alone (no zebra)."""
    kind = "frr"

    def __init__(self, lab, addr, asn, router_id=None, port=179, name="frr"):
        super().__init__(lab, name)
        self.addr = addr
        self.asn = asn
        self.port = port
        self.router_id = router_id or ("10.255.%d.%d" % (lab.index % 256, 4))
        self.vty_dir = os.path.join(self.dir, "vty")
        os.makedirs(self.vty_dir, exist_ok=True)
        self.neighbors = []

    def add_neighbor(self, peer, peer_as, passive=True, hold=6, ipv4=True, ipv6=True, peer_port=None,
                     password=None):
        self.neighbors.append((peer, peer_as, passive, hold, ipv4, ipv6, peer_port, password))

    def config(self):
        lines = ["frr defaults traditional", "hostname fastbgp-test", "log stdout debugging",
                 "router bgp %d" % self.asn,
                 " bgp router-id %s" % self.router_id,
                 " no bgp ebgp-requires-policy",
                 " no bgp network import-check",
                 " no bgp default ipv4-unicast",
                 " bgp allow-martian-nexthop",
                 " timers bgp 3 9"]
        for peer, peer_as, passive, hold, _, _, peer_port, password in self.neighbors:
            lines += [" neighbor %s remote-as %d" % (peer, peer_as),
                      " neighbor %s update-source %s" % (peer, self.addr),
                      " neighbor %s timers connect 1" % peer,
                      " neighbor %s timers %d %d" % (peer, max(1, hold // 3), hold)]
            if passive:
                lines.append(" neighbor %s passive" % peer)
            if peer_port:
                lines.append(" neighbor %s port %d" % (peer, peer_port))
            if password is not None:
                lines.append(" neighbor %s password %s" % (peer, password))
            if peer_as != self.asn:
                lines.append(" neighbor %s ebgp-multihop 2" % peer)
        for fam, idx in (("ipv4", 4), ("ipv6", 5)):
            lines.append(" address-family %s unicast" % fam)
            for n in self.neighbors:
                if n[idx]:
                    lines.append("  neighbor %s activate" % n[0])
            lines.append(" exit-address-family")
        return "\n".join(lines) + "\n"

    def start(self):
        path = self.write("bgpd.conf", self.config())
        self._spawn([FRR_BGPD, "-f", path, "-Z", "-S", "-n", "-l", self.addr, "-p", str(self.port),
                     "-P", "0", "-i", os.path.join(self.dir, "bgpd.pid"),
                     "--vty_socket", self.vty_dir, "--log", "stdout"])
        self.wait_ready(lambda: self.cli("show bgp summary json", as_json=True) is not None,
                        "FRR bgpd vty in %s" % self.vty_dir)
        return self

    def cli(self, command, as_json=False):
        out = run([VTYSH, "--vty_socket", self.vty_dir, "-d", "bgpd", "-c", command], timeout=10)
        return json.loads(out) if as_json else out

    def state(self, peer):
        data = self.cli("show bgp neighbors %s json" % peer, as_json=True)
        return data.get(peer, {}).get("bgpState")

    def established(self, peer):
        return self.state(peer) == "Established"

    def wait_established(self, peer, timeout=15):
        return wait_until(lambda: self.established(peer), timeout,
                          "FRR neighbor %s to be Established" % peer)

    def routes(self, families=("ipv4", "ipv6")):
        routes = {}
        for fam in families:
            table = self.cli("show bgp %s unicast json" % fam, as_json=True)
            for prefix in table.get("routes", {}):
                detail = self.cli("show bgp %s unicast %s json" % (fam, prefix), as_json=True)
                paths = detail.get("paths", [])
                if paths:
                    routes[str(ipaddress.ip_network(prefix))] = frr_route(prefix, paths[0])
        return routes


def frr_route(prefix, p):
    path = []
    for seg in p.get("aspath", {}).get("segments", []):
        path += seg.get("list", [])
    nhs = p.get("nexthops", [])
    global_nh = [n["ip"] for n in nhs if n.get("scope", "global") == "global"]
    return Route(prefix, global_nh[0] if global_nh else (nhs[0]["ip"] if nhs else None), path,
                 p.get("metric"), p.get("locPrf"), p.get("community", {}).get("list", []),
                 p.get("largeCommunity", {}).get("list", []), str(p.get("origin", "")).lower())


# ----------------------------------------------------------------- OpenBGPD

class Openbgpd(Daemon):
    kind = "openbgpd"

    def __init__(self, lab, addr, asn, router_id=None, port=179, name="openbgpd"):
        super().__init__(lab, name)
        self.addr = addr
        self.asn = asn
        self.port = port
        self.router_id = router_id or ("10.255.%d.%d" % (lab.index % 256, 5))
        self.sock = os.path.join(self.dir, "bgpd.sock")
        self.neighbors = []

    def add_neighbor(self, peer, peer_as, passive=True, hold=6, ipv4=True, ipv6=True):
        lines = ["neighbor %s {" % peer,
                 "\tremote-as %d" % peer_as,
                 "\tlocal-address %s" % self.addr,
                 "\tholdtime %d" % hold]
        if passive:
            lines.append("\tpassive")
        if peer_as != self.asn:
            lines.append("\tmultihop 2")
        lines.append("\tannounce IPv4 %s" % ("unicast" if ipv4 else "none"))
        lines.append("\tannounce IPv6 %s" % ("unicast" if ipv6 else "none"))
        lines.append("}")
        self.neighbors.append("\n".join(lines))

    def config(self):
        return "\n".join(["AS %d" % self.asn,
                          "router-id %s" % self.router_id,
                          "listen on %s port %d" % (self.addr, self.port),
                          'socket "%s"' % self.sock,
                          "fib-update no"] + self.neighbors +
                         ["allow from any", "deny to any"]) + "\n"

    def start(self):
        os.makedirs("/run/openbgpd", exist_ok=True)
        path = self.write("bgpd.conf", self.config())
        run([OPENBGPD, "-n", "-f", path])
        self._spawn([OPENBGPD, "-d", "-v", "-f", path])
        self.wait_ready(lambda: os.path.exists(self.sock) and self.cli("show", "summary"),
                        "OpenBGPD control socket %s" % self.sock)
        return self

    def cli(self, *args, as_json=False):
        out = run([BGPCTL, "-s", self.sock] + (["-j"] if as_json else []) + list(args), timeout=10)
        return json.loads(out) if as_json else out

    def state(self, peer):
        for n in self.cli("show", "neighbor", as_json=True).get("neighbors", []):
            if n.get("remote_addr") == peer:
                return n.get("state")
        return None

    def established(self, peer):
        return self.state(peer) == "Established"

    def wait_established(self, peer, timeout=15):
        return wait_until(lambda: self.established(peer), timeout,
                          "OpenBGPD neighbor %s to be Established" % peer)

    def routes(self):
        routes = {}
        for r in self.cli("show", "rib", "detail", as_json=True).get("rib", []):
            routes[str(ipaddress.ip_network(r["prefix"]))] = Route(
                r["prefix"], r.get("exit_nexthop"),
                [int(x) for x in re.findall(r"\d+", r.get("aspath", ""))],
                # bgpctl prints "metric": 0 when there is no MED: the tests
                # never send MED 0, so 0 reads as "absent".
                r.get("metric") or None, r.get("localpref"), r.get("communities", []),
                r.get("large_communities", []), str(r.get("origin", "")).lower())
        return routes


# ------------------------------------------------------------------- ExaBGP

# fastbgp's receiving helper: tests/api/record.py appends every line to the
# file like RECEIVER_SCRIPT and validates every JSON event against
# docs/schema (tests/checks.py: the test fails on an invalid one)
FASTBGP_RECEIVER = os.path.join(REPO, "tests", "api", "record.py")

RECEIVER_SCRIPT = r'''
import sys
out = open(sys.argv[1], "a", buffering=1)
for line in sys.stdin:
    out.write(line)
'''


class Exabgp(Daemon):
    """ExaBGP 4.2 as a receiver: a helper process appends every JSON event it
    gets (receive { parsed; update; }, neighbor-changes) to events.json."""
    kind = "exabgp"

    def __init__(self, lab, addr, asn, router_id=None, port=179, name="exabgp"):
        super().__init__(lab, name)
        self.addr = addr
        self.asn = asn
        self.port = port
        self.router_id = router_id or ("10.255.%d.%d" % (lab.index % 256, 6))
        self.events_path = os.path.join(self.dir, "events.json")
        self.helper = self.write("receiver.py", RECEIVER_SCRIPT)
        self.neighbors = []

    def add_neighbor(self, peer, peer_as, passive=True, hold=6, ipv4=True, ipv6=True):
        fams = [f for on, f in ((ipv4, "ipv4 unicast;"), (ipv6, "ipv6 unicast;")) if on]
        self.neighbors.append("\n".join([
            "neighbor %s {" % peer,
            "\trouter-id %s;" % self.router_id,
            "\tlocal-address %s;" % self.addr,
            "\tlocal-as %d;" % self.asn,
            "\tpeer-as %d;" % peer_as,
            "\thold-time %d;" % hold,
            "\tpassive %s;" % ("true" if passive else "false"),
            "\tfamily { %s }" % " ".join(fams),
            "\tapi { processes [ recv ]; neighbor-changes; receive { parsed; update; notification; } }",
            "}"]))

    def config(self):
        return "\n".join(["process recv {",
                          "\trun %s %s %s;" % (PYTHON, self.helper, self.events_path),
                          "\tencoder json;",
                          "}"] + self.neighbors) + "\n"

    def start(self):
        path = self.write("exabgp.conf", self.config())
        env = {k: v for k, v in os.environ.items() if not k.lower().startswith("exabgp")}
        env.update({"exabgp_daemon_user": "root", "exabgp_daemon_drop": "false",
                    "exabgp_api_ack": "false", "exabgp_api_cli": "false",
                    "exabgp_tcp_bind": self.addr, "exabgp_tcp_port": str(self.port),
                    "exabgp_log_destination": "stdout"})
        self._spawn([EXABGP, path], env=env)
        self.wait_ready(lambda: "loaded new configuration" in self.log() or "listening" in self.log(),
                        "ExaBGP to load its configuration", timeout=15)
        return self

    def events(self):
        out = []
        try:
            with open(self.events_path) as f:
                for line in f:
                    line = line.strip()
                    if line.startswith("{"):
                        try:
                            out.append(json.loads(line))
                        except ValueError:
                            pass
        except FileNotFoundError:
            pass
        return out

    def established(self, peer):
        state = None
        for e in self.events():
            if e.get("type") == "state" and e["neighbor"]["address"]["peer"] == peer:
                state = e["neighbor"].get("state")
        return state == "up"

    def wait_established(self, peer, timeout=15):
        return wait_until(lambda: self.established(peer), timeout,
                          "ExaBGP neighbor %s to be up" % peer)

    def eors(self):
        return [(e["neighbor"]["message"]["eor"]["afi"], e["neighbor"]["message"]["eor"]["safi"])
                for e in self.events() if e.get("type") == "update"
                and "eor" in e["neighbor"].get("message", {})]

    def routes(self):
        routes = {}
        for e in self.events():
            if e.get("type") != "update":
                continue
            upd = e["neighbor"].get("message", {}).get("update")
            if not upd:
                continue
            attrs = upd.get("attribute", {})
            for fam, items in upd.get("withdraw", {}).items():
                for it in items:
                    routes.pop(str(ipaddress.ip_network(it["nlri"])), None)
            for fam, by_nh in upd.get("announce", {}).items():
                for nh, items in by_nh.items():
                    for it in items:
                        prefix = str(ipaddress.ip_network(it["nlri"]))
                        routes[prefix] = Route(
                            prefix, nh, [a for a in attrs.get("as-path", []) if isinstance(a, int)],
                            attrs.get("med"), attrs.get("local-preference"),
                            ["%d:%d" % tuple(c) for c in attrs.get("community", [])],
                            ["%d:%d:%d" % tuple(c) for c in attrs.get("large-community", [])],
                            attrs.get("origin"))
        return routes


# ------------------------------------------------------------ a scripted peer

class ScriptedPeer:
    """A tiny listening BGP peer in the test process (tests/conformance/bgp_peer.py)."""

    def __init__(self, addr, port):
        self.addr = addr
        self.port = port
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((addr, port))
        self.listener.listen(4)
        self.conn = None

    def accept(self, timeout):
        self.listener.settimeout(timeout)
        self.conn, peer = self.listener.accept()
        return peer

    def close(self):
        for s in (self.conn, self.listener):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


# --------------------------------------------------------------------- Lab

_lab_counter = [0]


class Lab:
    """Per-test sandbox: directory, addresses, ports, processes."""

    def __init__(self, test_name=""):
        _lab_counter[0] += 1
        self.index = _lab_counter[0]
        # Not pytest's tmp_path: concurrent pytest runs on the machine prune
        # each other's basetemp. Kept when the test fails, removed otherwise.
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)[:40]
        self.dir = tempfile.mkdtemp(prefix="fastbgp-it-%s-" % safe)
        self.test_name = test_name
        self.block = new_block()
        self.daemons = []
        self.closers = []

    def addr(self, i):
        """127.A.B.i: a loopback address of this test."""
        assert 1 <= i <= 254
        return self.block + str(i)

    def extra_block(self):
        """Another 127.A.C.0/24 for this test (prefix string '127.A.C.')."""
        return new_block()

    def port(self, addr="127.0.0.1"):
        return free_port(addr)

    # factories
    def fastbgp(self, config, port, **kw):
        return Fastbgp(self, config, port, **kw)

    def bird(self, addr, asn, **kw):
        return Bird(self, addr, asn, **kw)

    def gobgp(self, addr, asn, **kw):
        return Gobgp(self, addr, asn, **kw)

    def frr(self, addr, asn, **kw):
        return Frr(self, addr, asn, **kw)

    def openbgpd(self, addr, asn, **kw):
        return Openbgpd(self, addr, asn, **kw)

    def exabgp(self, addr, asn, **kw):
        return Exabgp(self, addr, asn, **kw)

    def scripted_peer(self, addr, port):
        p = ScriptedPeer(addr, port)
        self.closers.append(p.close)
        return p

    def close(self):
        """Stops every process (reverse order). Returns problems found in
        fastbgp's logs (sanitizer reports), for the fixture to report."""
        problems = []
        for c in self.closers:
            c()
        for d in reversed(self.daemons):
            try:
                d.stop()
            except Exception as exc:  # keep stopping the others
                problems.append("could not stop %s: %s" % (d.describe(), exc))
        for d in self.daemons:
            if isinstance(d, Fastbgp):
                errs = d.sanitizer_errors()
                if errs:
                    problems.append("%s: sanitizer report:\n%s" % (d.describe(), "\n".join(errs[:20])))
        return problems

    def remove_dir(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def dump_logs(self, tail=6000):
        parts = []
        for d in self.daemons:
            text = d.log()
            parts.append("----- %s log (%s), last %d chars -----\n%s"
                         % (d.describe(), d.log_path, tail, text[-tail:]))
        return "\n".join(parts)


def have_ipv6_loopback():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def which(name):
    return shutil.which(name)


# ------------------------------------------------------------- TCP sockets

TCP_STATES = {"01": "ESTABLISHED", "02": "SYN_SENT", "03": "SYN_RECV", "04": "FIN_WAIT1",
              "05": "FIN_WAIT2", "06": "TIME_WAIT", "07": "CLOSE", "08": "CLOSE_WAIT",
              "09": "LAST_ACK", "0A": "LISTEN", "0B": "CLOSING"}


def _hex_addr(text):
    addr, port = text.split(":")
    raw = bytes.fromhex(addr)
    if len(raw) == 4:
        ip = ipaddress.IPv4Address(raw[::-1])
    else:  # four little-endian 32-bit words
        ip = ipaddress.IPv6Address(b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
    return str(ip), int(port, 16)


def tcp_sockets():
    """[(local_ip, local_port, remote_ip, remote_port, state)] from /proc/net/tcp{,6}."""
    out = []
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                lines = f.read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            (lip, lport), (rip, rport) = _hex_addr(fields[1]), _hex_addr(fields[2])
            out.append((lip, lport, rip, rport, TCP_STATES.get(fields[3], fields[3])))
    return out


def established_connections(local, remote):
    """Established TCP connections seen from `local` towards `remote`:
    [(local_port, remote_port)]."""
    return [(lp, rp) for lip, lp, rip, rp, st in tcp_sockets()
            if lip == local and rip == remote and st == "ESTABLISHED"]
