"""The implementations under test, in the roles the scenarios need.

Addresses (all loopback): the receiving side is 127.66.0.1 (AS 65000,
router-id 10.66.0.1), the sending side 127.66.0.2 (AS 65001, router-id
10.66.0.2); idle sessions (scenario c) use 127.67.X.Y on the tested side.
Every daemon is run by hand with a configuration written here, as a child of
the driver (lib.Proc), and stopped by its PID.
"""

import os
import re

import lib
import routes

RX_ADDR, TX_ADDR = "127.66.0.1", "127.66.0.2"
RX_AS, TX_AS = 65000, 65001
RX_ID, TX_ID = "10.66.0.1", "10.66.0.2"
HOLD = 90
HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"


def exa_env(port, extra=None):
    """Settings shared by ExaBGP and fastbgp runs (same names for both)."""
    env = {
        "exabgp_tcp_port": str(port),
        "exabgp_daemon_user": "root",
        "exabgp_daemon_drop": "false",
        "exabgp_daemon_daemonize": "false",
        "exabgp_api_cli": "false",
        "exabgp_api_ack": "false",
        "exabgp_log_destination": "stdout",
        "exabgp_log_level": "WARNING",  # senders: no per-route logging (ExaBGP logs each API route at INFO)
        "exabgp_tcp_bind": "",
    }
    env.update(extra or {})
    return env


def speaker_argv(impl, fastbgp, conf):
    if impl == "fastbgp":
        return [fastbgp, conf]
    return ["exabgp", conf]


# ================================================================ receivers


class BirdReceiver:
    """BIRD 2 listening on RX_ADDR:port for one sender (TX_ADDR).
    Completion: 'Routes: N imported' of the channels, read from the control
    socket ('show protocols all s1')."""

    name = "bird"
    counts_routes = True

    def __init__(self, ctx, port, proto="s1", peer=TX_ADDR, peer_as=TX_AS):
        self.ctx, self.port, self.protoname = ctx, port, proto
        d = ctx.tmp("bird-rx")
        self.conf = os.path.join(d, "bird.conf")
        self.sock = os.path.join(d, "bird.ctl")
        with open(self.conf, "w") as f:
            f.write("router id %s;\n"
                    "protocol device { }\n"
                    "protocol bgp %s {\n"
                    "\tlocal %s port %d as %d;\n"
                    "\tneighbor %s as %d;\n"
                    "\tstrict bind yes;\n\tpassive on;\n\tmultihop;\n\thold time %d;\n"
                    "\tipv4 { import all; export none; };\n"
                    "\tipv6 { import all; export none; };\n"
                    "}\n" % (RX_ID, proto, RX_ADDR, port, RX_AS, peer, peer_as, HOLD))
        self.dir = d
        self.proc = None
        self.ctl = lib.BirdCtl(self.sock)

    def start(self):
        self.proc = lib.Proc("bird-rx", ["bird", "-f", "-c", self.conf, "-s", self.sock,
                                         "-P", os.path.join(self.dir, "bird.pid")],
                             stdout=os.path.join(self.dir, "bird.log"))
        ok, _ = lib.wait_until(lambda: os.path.exists(self.sock) and self.ctl.cmd("show status"), 10, 0.05)
        if not ok:
            raise RuntimeError("BIRD receiver did not start (see %s)" % self.dir)

    def info(self):
        return self.ctl.protocol_info(self.protoname)

    def established(self):
        i = self.info()
        return bool(i and i[0] == "Established")

    def count(self):
        i = self.info()
        return i[1] if i else 0

    def stop(self):
        self.ctl.close()
        if self.proc:
            self.proc.stop()


class FastbgpReceiver:
    """fastbgp listening (tcp.bind + passive).  It validates every UPDATE
    but keeps no adj-rib-in yet, so completion is detected on its input:
    the bytes it has read (/proc/PID/io rchar) stop growing for `quiet`
    seconds after at least 4 bytes per expected prefix arrived; the time of
    the last growth is the completion time."""

    name = "fastbgp"
    counts_routes = False

    def __init__(self, ctx, port, peer=TX_ADDR, peer_as=TX_AS):
        self.ctx, self.port = ctx, port
        d = ctx.tmp("fastbgp-rx")
        self.conf = os.path.join(d, "rx.conf")
        with open(self.conf, "w") as f:
            f.write(routes.exa_neighbor_header(peer, RX_ADDR, RX_ID, RX_AS, peer_as, HOLD, "\tpassive;\n"))
            f.write("}\n")
        self.dir = d
        self.proc = None
        self.wrap = []
        self.rchar0 = 0
        self.last = (0, 0.0)

    def start(self):
        self.proc = lib.Proc("fastbgp-rx", self.wrap + [self.ctx.fastbgp, self.conf],
                             env=exa_env(self.port, {"exabgp_tcp_bind": RX_ADDR, "exabgp_log_level": "INFO"}),
                             stdout=os.path.join(self.dir, "fastbgp.log"),
                             watch={"est": r"-> ESTABLISHED"})
        ok, _ = lib.wait_until(lambda: not lib.port_free(RX_ADDR, self.port) or not self.proc.alive(), 10, 0.02)
        if not ok or not self.proc.alive():
            raise RuntimeError("fastbgp receiver did not listen (see %s)" % self.dir)
        self.rchar0 = lib.proc_io(self.proc.pid) or 0
        self.last = (self.rchar0, lib.now())

    def established(self):
        return "est" in self.proc.seen

    def bytes_in(self):
        return (lib.proc_io(self.proc.pid) or 0) - self.rchar0

    def poll_done(self, n, quiet):
        """None while data is still coming; else the time of the last growth."""
        r = lib.proc_io(self.proc.pid)
        t = lib.now()
        if r is None:
            return None
        if r - self.last[0] > 64:
            self.last = (r, t)
            return None
        if r - self.rchar0 >= 4 * n and t - self.last[1] >= quiet:
            return self.last[1]
        return None

    def stop(self):
        if self.proc:
            self.proc.stop()


# ================================================================ senders


class Sender:
    """Base: .procs are measured (CPU summed, peak RSS of the main one)."""
    name = "?"
    quiet = 4.0  # seconds of silence that mean "done" for a byte-counting receiver

    def __init__(self, ctx, port, n):
        self.ctx, self.port, self.n = ctx, port, n
        self.procs = []
        self.main = None
        self.note = ""
        self.t0 = None  # when timing starts, if not at start()
        self.wrap = []  # e.g. perf record ... --

    def prepare(self):
        """Writes files (not timed)."""

    def start(self):
        raise NotImplementedError

    def poll(self):
        """Called while waiting; may start later steps."""

    def stop(self):
        for p in reversed(self.procs):
            p.stop()

    def snapshot(self):
        cpu = 0.0
        for p in self.procs:
            c, _ = p.snapshot()
            cpu += c or 0.0
        return cpu, self.main.final_hwm if self.main else None


class SpeakerStatic(Sender):
    """fastbgp or ExaBGP with the routes in its configuration (a-i)."""

    def __init__(self, ctx, port, n, impl):
        super().__init__(ctx, port, n)
        self.impl = impl
        self.name = impl

    def prepare(self):
        self.conf = self.ctx.cached("static-%d.conf" % self.n, lambda path: routes.write_exa_static(
            path, self.n, routes.exa_neighbor_header(RX_ADDR, TX_ADDR, TX_ID, TX_AS, RX_AS, HOLD)))

    def start(self):
        d = self.ctx.tmp(self.impl + "-tx")
        self.main = lib.Proc(self.impl + "-tx", self.wrap + speaker_argv(self.impl, self.ctx.fastbgp, self.conf),
                             env=exa_env(self.port), stdout=os.path.join(d, "log"))
        self.procs = [self.main]


class SpeakerHelper(Sender):
    """fastbgp or ExaBGP fed by a helper process (a-ii: one command per line,
    a-iii: batched 'announce attributes ... nlri').  The helper copies a
    pre-written command file to its stdout in 1 MB writes and records when
    it started and finished writing (the pipe holds only 64 KB, so the
    finish time is when the speaker had read every command)."""

    def __init__(self, ctx, port, n, impl, batched):
        super().__init__(ctx, port, n)
        self.impl, self.batched = impl, batched
        self.name = impl

    def prepare(self):
        if self.batched:
            self.cmds = self.ctx.cached("api-batched-%d.txt" % self.n,
                                        lambda p: routes.write_api_batched(p, self.n))
        else:
            self.cmds = self.ctx.cached("api-lines-%d.txt" % self.n, lambda p: routes.write_api_lines(p, self.n))

    def start(self):
        d = self.ctx.tmp(self.impl + "-helper")
        self.status = os.path.join(d, "helper.status")
        conf = os.path.join(d, "tx.conf")
        with open(conf, "w") as f:
            f.write("process inject {\n\trun %s %s %s %s;\n\tencoder text;\n}\n" % (
                PY, os.path.join(HERE, "helpers", "inject.py"), self.cmds, self.status))
            f.write(routes.exa_neighbor_header(RX_ADDR, TX_ADDR, TX_ID, TX_AS, RX_AS, HOLD,
                                               "\tapi { processes [ inject ]; }\n"))
            f.write("}\n")
        self.main = lib.Proc(self.impl + "-tx", self.wrap + speaker_argv(self.impl, self.ctx.fastbgp, conf),
                             env=exa_env(self.port), stdout=os.path.join(d, "log"))
        self.procs = [self.main]

    def helper_times(self):
        return read_status(self.status)

    def snapshot(self):
        cpu, hwm = super().snapshot()
        # the helper is a child of the speaker: count it separately
        return cpu, hwm


class BirdStatic(Sender):
    """BIRD 2 static protocols exported over BGP (a-i).

    BIRD 2.0.12 defers the last UPDATEs of a big export to an event that
    its I/O loop runs only when something wakes it or when its 3 s poll
    timeout expires (its trace log shows 'Sending UPDATE' 3 s after the
    rest).  poll() wakes it through the control socket ('show status')
    every 0.1 s, as monitoring would, so that artefact is not measured."""
    name = "bird"
    quiet = 4.0

    def prepare(self):
        self.static = self.ctx.cached("bird-static-%d.conf" % self.n,
                                      lambda p: open(p, "w").write(routes.bird_static(self.n)))

    def write_conf(self, d, disabled=False, peer=RX_ADDR, port=None):
        conf = os.path.join(d, "bird.conf")
        with open(conf, "w") as f:
            f.write("router id %s;\nprotocol device { }\ninclude \"%s\";\n" % (TX_ID, self.static))
            f.write("protocol bgp tx_bgp {\n"
                    "\t%s"
                    "\tlocal %s port %d as %d;\n"
                    "\tneighbor %s port %d as %d;\n"
                    "\tstrict bind yes;\n\tmultihop;\n\thold time %d;\n"
                    "\tconnect delay time 1;\n\tconnect retry time 1;\n"
                    "\tipv4 { import none; export all; };\n"
                    "\tipv6 { import none; export all; next hop address %s; };\n"
                    "}\n" % ("disabled;\n" if disabled else "", TX_ADDR, self.ctx.spare_port, TX_AS,
                             peer, port or self.port, RX_AS, HOLD, routes.NH6))
        return conf

    def start(self, disabled=False):
        d = self.ctx.tmp("bird-tx")
        conf = self.write_conf(d, disabled)
        self.sock = os.path.join(d, "bird.ctl")
        self.main = lib.Proc("bird-tx", ["bird", "-f", "-c", conf, "-s", self.sock,
                                         "-P", os.path.join(d, "bird.pid")],
                             stdout=os.path.join(d, "bird.log"))
        self.procs = [self.main]
        self.ctl = lib.BirdCtl(self.sock, timeout=2.0)
        self.last_poke = 0.0

    def poll(self):
        t = lib.now()
        if t - self.last_poke >= 0.1 and os.path.exists(self.sock):
            self.last_poke = t
            self.ctl.cmd("show status")

    def stop(self):
        self.ctl.close()
        super().stop()


GOBGP_AFI = {1: "ipv4-unicast", 2: "ipv6-unicast"}


def gobgp_conf(path, api_port, neighbors, listen_port=-1, local=TX_ADDR, asn=TX_AS, rid=TX_ID):
    """neighbors: list of dicts(addr, asn, port, local, passive, admin_down)."""
    out = ["[global.config]\n  as = %d\n  router-id = \"%s\"\n  port = %d\n"
           "  local-address-list = [\"%s\"]\n" % (asn, rid, listen_port, local)]
    for nb in neighbors:
        out.append("[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"%s\"\n"
                   "    peer-as = %d\n" % (nb["addr"], nb["asn"]))
        if nb.get("admin_down"):
            out.append("    admin-down = true\n")
        out.append("  [neighbors.transport.config]\n    local-address = \"%s\"\n" % nb["local"])
        if nb.get("port"):
            out.append("    remote-port = %d\n" % nb["port"])
        if nb.get("passive"):
            out.append("    passive-mode = true\n")
        out.append("  [neighbors.timers.config]\n    hold-time = %d\n    connect-retry = 1\n" % nb.get("hold", HOLD))
        if nb.get("multihop", True):
            out.append("  [neighbors.ebgp-multihop.config]\n    enabled = true\n    multihop-ttl = 5\n")
        for fam in nb.get("families", ("ipv4-unicast", "ipv6-unicast")):
            out.append("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n"
                       "      afi-safi-name = \"%s\"\n" % fam)
    with open(path, "w") as f:
        f.write("".join(out))


class GobgpBase(Sender):
    name = "gobgp"

    def start_daemon(self, admin_down=False):
        d = self.ctx.tmp("gobgp-tx")
        self.dir = d
        conf = os.path.join(d, "gobgpd.toml")
        self.api = "%s:%d" % (TX_ADDR, self.ctx.api_port)
        gobgp_conf(conf, self.ctx.api_port, [dict(addr=RX_ADDR, asn=RX_AS, port=self.port, local=TX_ADDR,
                                                  admin_down=admin_down)])
        self.main = lib.Proc("gobgpd", ["gobgpd", "-f", conf, "-t", "toml", "--api-hosts", self.api,
                                        "--pprof-disable", "-l", "warn"],
                             stdout=os.path.join(d, "gobgpd.log"))
        self.procs = [self.main]
        ok, _ = lib.wait_until(lambda: self.cli(["global"], 5)[0] == 0, 15, 0.1)
        if not ok:
            raise RuntimeError("gobgpd did not answer on %s" % self.api)

    def wait_established(self, timeout=30):
        """GoBGP takes several seconds to open its first connection: the
        injection starts once the session is up and the run is timed from
        there (self.t0), so that delay is not counted against it."""
        ok, _ = lib.wait_until(lambda: "Establ" in (self.cli(["neighbor"], 5)[1] or ""), timeout, 0.1)
        if not ok:
            raise RuntimeError("GoBGP session did not come up in %d s" % timeout)
        self.t0 = lib.now()

    def cli(self, args, timeout=30):
        return lib.run(["gobgp", "-u", TX_ADDR, "-p", str(self.ctx.api_port)] + args, timeout)

    def rib_count(self):
        total = 0
        for fam in ("ipv4", "ipv6"):
            rc, out = self.cli(["global", "rib", "summary", "-a", fam], 10)
            m = re.search(r"Destination:\s*(\d+)", out or "")
            if m:
                total += int(m.group(1))
        return total


class GobgpMrt(GobgpBase):
    """gobgpd with `gobgp mrt inject global FILE` (the CLI parses the MRT
    file and streams the paths over the gRPC API).  CPU = gobgpd + CLI.
    The CLI exits without waiting for gobgpd to take the last records of
    its stream, and some are lost: the file carries PAD extra routes after
    the N measured ones, so the loss falls on those (a receiver counting
    routes is done at N, the padding is not waited for)."""
    name = "gobgp-mrt"
    PAD = 4096

    def prepare(self):
        self.mrt = self.ctx.cached("routes-%d-pad%d.mrt" % (self.n, self.PAD),
                                   lambda p: routes.write_mrt(p, self.n, pad=self.PAD))

    def start(self):
        self.start_daemon()
        self.wait_established()
        self.inject = lib.Proc("gobgp-inject", ["gobgp", "-u", TX_ADDR, "-p", str(self.ctx.api_port),
                                                "mrt", "inject", "global", self.mrt],
                               stdout=os.path.join(self.dir, "inject.log"))
        self.procs = [self.main, self.inject]

    def snapshot(self):
        cpu, hwm = super().snapshot()
        return cpu, hwm


class GobgpApi(GobgpBase):
    """gobgpd fed over its gRPC API (AddPathStream, 1,000 paths per request)
    by bench/gobgp_grpc.py, a small stdlib HTTP/2 + protobuf client that
    streams messages encoded beforehand.  CPU = gobgpd only; the client's
    CPU is in the notes."""
    name = "gobgp-api"

    def prepare(self):
        self.msgs = self.ctx.cached("grpc-%d.bin" % self.n, lambda p: lib.run(
            [PY, os.path.join(HERE, "gobgp_grpc.py"), "encode", str(self.n), p], 900))

    def start(self):
        self.start_daemon()
        self.wait_established()
        self.status = os.path.join(self.dir, "grpc.status")
        self.inject = lib.Proc("gobgp-grpc", [PY, os.path.join(HERE, "gobgp_grpc.py"), "send", self.api, self.msgs,
                                              self.status], stdout=os.path.join(self.dir, "grpc.log"))
        self.procs = [self.main, self.inject]

    def helper_times(self):
        return read_status(self.status)

    def snapshot(self):
        c, h = self.main.snapshot()
        self.inject.snapshot()
        st = read_status(self.status)
        if "done" in st:
            self.note = "gRPC stream took %.1f s" % (st["done"] - st["start"])
        if st.get("result", "ok") != "ok":
            self.note += " " + str(st["result"])
        return c, h


def read_status(path):
    """key value lines written by the helpers (times are CLOCK_MONOTONIC)."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    try:
                        out[parts[0]] = float(parts[1])
                    except ValueError:
                        out[parts[0]] = parts[1]
    except OSError:
        pass
    return out


# ================================================================ capability probe


def probe_fastbgp_api(ctx, timeout=6.0):
    """(available, reason): whether fastbgp runs the helper of a `process`
    block.  The configuration must validate (`fastbgp -t`), then fastbgp is
    started with it and one neighbor nobody answers; the helper
    (helpers/probe.py) creates a marker file when it starts.  Whether the
    routes a helper announces reach a peer is what the scenarios measure."""
    d = ctx.tmp("api-probe")
    marker = os.path.join(d, "started")
    conf = os.path.join(d, "probe.conf")
    with open(conf, "w") as f:
        f.write("process probe {\n\trun %s %s %s;\n\tencoder text;\n}\n" % (
            PY, os.path.join(HERE, "helpers", "probe.py"), marker))
        f.write(routes.exa_neighbor_header(RX_ADDR, TX_ADDR, TX_ID, TX_AS, RX_AS, HOLD,
                                           "\tapi { processes [ probe ]; }\n"))
        f.write("}\n")
    rc, out = lib.run([ctx.fastbgp, "-t", conf], 10, env=exa_env(ctx.spare_port))
    if rc != 0:
        return False, "configuration with a process block refused: %s" % out.strip()[:200]
    p = lib.Proc("fastbgp-probe", [ctx.fastbgp, conf], env=exa_env(ctx.spare_port),
                 stdout=os.path.join(d, "log"))
    ok, _ = lib.wait_until(lambda: os.path.exists(marker), timeout, 0.05)
    p.stop()
    if ok:
        return True, "helper started"
    return False, "helper never started within %.0f s" % timeout


def ports_free(ctx, timeout=20.0):
    """Waits (bounded) until the ports the runs use are free on both
    loopback addresses, so that a run never talks to a leftover daemon."""
    def free():
        return all(lib.port_free(a, p) for a in (RX_ADDR, TX_ADDR)
                   for p in (ctx.port, ctx.spare_port, ctx.api_port))
    ok, _ = lib.wait_until(free, timeout, 0.2)
    if not ok:
        _, out = lib.run(["ss", "-ltnp"], 10)
        held = [x for x in out.splitlines() if "127.66.0." in x]
        raise RuntimeError("ports %d-%d on 127.66.0.1/2 still in use: %s" % (
            ctx.port, ctx.api_port, "; ".join(held)))


def wait_bird_sock(sock, timeout=10):
    ctl = lib.BirdCtl(sock)
    ok, _ = lib.wait_until(lambda: os.path.exists(sock) and ctl.cmd("show status"), timeout, 0.05)
    return ctl if ok else None

