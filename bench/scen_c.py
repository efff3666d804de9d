"""Scenario c: K idle sessions in one process (fastbgp, ExaBGP).

The tested speaker has K neighbors, all 127.66.0.1 (AS 65000) seen from a
distinct local address 127.67.X.Y (AS 65001), IPv4 unicast, hold time 30 s
(a KEEPALIVE every 10 s each way, so the idle window holds two rounds), no
routes; it connects out.  The other side is one
BIRD (default) or one GoBGP process with K passive neighbors on
127.66.0.1.

Measured: time from the speaker's start until the other side reports all
K sessions Established (BIRD: 'show protocols' on its control socket,
GoBGP: `gobgp neighbor`, fastbgp: its log; polled every 0.25 s, every
0.5 s above 500 sessions, every second above 2,000); the speaker's CPU over an
idle window (BENCH_IDLE_SECONDS, default 20 s, starting 2 s after the last
session came up); its RSS (VmRSS) after the window, RSS / K, and the
marginal cost (RSS(K) - RSS(smallest K)) / (K - smallest K).  The sessions
are checked to be still Established at the end.

Other sides (BENCH_C_OTHER, default gobgp,bird,fastbgp), each up to
BENCH_C_<SIDE>_MAX sessions:
- GoBGP up to 2,000: with 10,000 passive neighbors gobgpd itself is the
  bottleneck (about 60 new sessions per second while using 1.4 cores, and
  sessions dropped and re-established);
- BIRD up to 500: BIRD listens with a backlog of 8 connections, so a
  speaker that opens all its connections at once sees most of them wait
  for SYN-ACK retransmissions (1, 2, 4, 8... s); shown at small K;
- fastbgp (one passive prefix neighbor 127.67.0.0/16) above GoBGP's
  range, i.e. for 10,000.

ExaBGP is run up to BENCH_C_EXABGP_MAX sessions (default 10,000).
"""

import os

import lib
import peers
import perfrec


HOLD_C = 30


def local_addr(i):
    return "127.67.%d.%d" % (i // 250, i % 250 + 1)


def speaker_conf(path, k):
    with open(path, "w") as f:
        for i in range(k):
            f.write("neighbor %s {\n\trouter-id %s;\n\tlocal-address %s;\n\tlocal-as %d;\n\tpeer-as %d;\n"
                    "\thold-time %d;\n\tfamily { ipv4 unicast; }\n}\n" % (
                        peers.RX_ADDR, peers.TX_ID, local_addr(i), peers.TX_AS, peers.RX_AS, HOLD_C))


class BirdSide:
    name = "bird"

    def __init__(self, ctx, k):
        self.ctx, self.k = ctx, k
        d = ctx.tmp("bird-c")
        self.dir = d
        self.conf = os.path.join(d, "bird.conf")
        self.sock = os.path.join(d, "bird.ctl")
        with open(self.conf, "w") as f:
            f.write("router id %s;\n" % peers.RX_ID)
            f.write("template bgp tpl_idle {\n\tlocal %s port %d as %d;\n\tstrict bind yes;\n\tpassive on;\n"
                    "\tmultihop;\n\thold time %d;\n\tipv4 { import all; export none; };\n}\n" % (
                        peers.RX_ADDR, ctx.port, peers.RX_AS, HOLD_C))
            for i in range(k):
                f.write("protocol bgp p%d from tpl_idle { neighbor %s as %d; }\n" % (i, local_addr(i), peers.TX_AS))
        self.proc = None

    def start(self):
        self.proc = lib.Proc("bird-c", ["bird", "-f", "-c", self.conf, "-s", self.sock,
                                        "-P", os.path.join(self.dir, "bird.pid")],
                             stdout=os.path.join(self.dir, "bird.log"))
        self.ctl = peers.wait_bird_sock(self.sock, 60)
        if not self.ctl:
            raise RuntimeError("BIRD with %d protocols did not start (%s)" % (self.k, self.dir))

    def established(self):
        return self.ctl.established_count() or 0

    def stop(self):
        if getattr(self, "ctl", None):
            self.ctl.close()
        if self.proc:
            self.proc.stop()


class GobgpSide:
    name = "gobgp"

    def __init__(self, ctx, k):
        self.ctx, self.k = ctx, k
        self.dir = ctx.tmp("gobgp-c")
        self.conf = os.path.join(self.dir, "gobgpd.toml")
        peers.gobgp_conf(self.conf, ctx.api_port,
                         [dict(addr=local_addr(i), asn=peers.TX_AS, local=peers.RX_ADDR, passive=True,
                               families=("ipv4-unicast",), hold=HOLD_C) for i in range(k)],
                         listen_port=ctx.port, local=peers.RX_ADDR, asn=peers.RX_AS, rid=peers.RX_ID)
        self.api = "%s:%d" % (peers.RX_ADDR, ctx.api_port)
        self.proc = None

    def start(self):
        self.proc = lib.Proc("gobgpd-c", ["gobgpd", "-f", self.conf, "-t", "toml", "--api-hosts", self.api,
                                          "--pprof-disable", "-l", "warn"],
                             stdout=os.path.join(self.dir, "gobgpd.log"))
        ok, _ = lib.wait_until(lambda: self.cli(["global"], 5)[0] == 0, 60, 0.2)
        if not ok:
            raise RuntimeError("gobgpd did not answer")

    def cli(self, args, timeout=30):
        return lib.run(["gobgp", "-u", peers.RX_ADDR, "-p", str(self.ctx.api_port)] + args, timeout)

    def established(self):
        rc, out = self.cli(["neighbor"], 30)
        return out.count("Establ") if rc == 0 else 0

    def stop(self):
        if self.proc:
            self.proc.stop()


class FastbgpSide:
    """fastbgp listening on 127.66.0.1 with one passive prefix neighbor
    (127.67.0.0/16) that accepts every session; sessions are counted on its
    log (INFO): '-> ESTABLISHED' minus 'ESTABLISHED ->'."""
    name = "fastbgp"

    def __init__(self, ctx, k):
        self.ctx, self.k = ctx, k
        self.dir = ctx.tmp("fastbgp-c")
        self.conf = os.path.join(self.dir, "side.conf")
        with open(self.conf, "w") as f:
            f.write("neighbor 127.67.0.0/16 {\n\trouter-id %s;\n\tlocal-address %s;\n\tlocal-as %d;\n"
                    "\tpeer-as %d;\n\thold-time %d;\n\tpassive;\n\tfamily { ipv4 unicast; }\n}\n" % (
                        peers.RX_ID, peers.RX_ADDR, peers.RX_AS, peers.TX_AS, HOLD_C))
        self.proc = None

    def start(self):
        self.proc = lib.Proc("fastbgp-c-side", [self.ctx.fastbgp, self.conf],
                             env=peers.exa_env(self.ctx.port, {"exabgp_tcp_bind": peers.RX_ADDR,
                                                               "exabgp_log_level": "INFO"}),
                             stdout=os.path.join(self.dir, "log"),
                             count={"up": b"-> ESTABLISHED", "down": b"ESTABLISHED ->"})
        ok, _ = lib.wait_until(lambda: not lib.port_free(peers.RX_ADDR, self.ctx.port) or not self.proc.alive(),
                               15, 0.05)
        if not ok or not self.proc.alive():
            raise RuntimeError("fastbgp (other side) did not listen (%s)" % self.dir)

    def established(self):
        return self.proc.counts["up"] - self.proc.counts["down"]

    def stop(self):
        if self.proc:
            self.proc.stop()


SIDES = {"bird": BirdSide, "gobgp": GobgpSide, "fastbgp": FastbgpSide}
# the largest K each other side is used for (see the module doc)
SIDE_MAX = {"gobgp": 2000, "bird": 500, "fastbgp": 10 ** 9}


def run_once(ctx, impl, k, side_cls, timeout, perf=None):
    peers.ports_free(ctx)
    side = side_cls(ctx, k)
    d = ctx.tmp("%s-c%d" % (impl, k))
    conf = os.path.join(d, "speaker.conf")
    speaker_conf(conf, k)
    res = {"ok": False}
    sp = None
    try:
        side.start()
        t0 = lib.now()
        sp = lib.Proc(impl + "-c", (perf.prefix() if perf else []) + peers.speaker_argv(impl, ctx.fastbgp, conf),
                      env=peers.exa_env(ctx.port, {"exabgp_log_level": "WARNING"}), stdout=os.path.join(d, "log"))
        best = [0]

        def all_up():
            if not sp.alive():
                return True
            c = side.established()
            best[0] = max(best[0], c)
            return c >= k
        ok, t_all = lib.wait_until(all_up, timeout, 0.25 if k <= 500 else 0.5 if k <= 2000 else 1.0)
        if not sp.alive():
            res["note"] = "speaker exited (rc %s)" % sp.p.returncode
            return res
        res["established"] = best[0]
        if not ok:
            res.update(timeout=True, t_all=timeout, note="%d of %d Established after %.0f s" % (best[0], k, timeout))
            sp.snapshot()
            res.update(cpu_setup=sp.final_cpu, rss_kb=sp.rss_kb())
            return res
        res["t_all"] = t_all - t0
        res["cpu_setup"] = sp.cpu()
        lib.time.sleep(2.0)
        c1, w1 = sp.cpu(), lib.now()
        lib.time.sleep(ctx.idle_seconds)
        c2, w2 = sp.cpu(), lib.now()
        rss = sp.rss_kb()
        still = side.established()
        res.update(ok=True, idle_cpu_pct=100.0 * (c2 - c1) / (w2 - w1), rss_kb=rss, hwm_kb=sp.hwm_kb(),
                   kb_per_session=rss / k if rss else None, still_up=still)
        if still < k:
            res["note"] = "only %d of %d still Established after the idle window" % (still, k)
    finally:
        if sp:
            sp.stop()
        side.stop()
    return res


def run(ctx):
    exa_max = int(os.environ.get("BENCH_C_EXABGP_MAX", "10000"))
    sides = [s for s in os.environ.get("BENCH_C_OTHER", "gobgp,bird,fastbgp").split(",") if s]
    limits = dict(SIDE_MAX)
    for key in list(limits):
        v = os.environ.get("BENCH_C_%s_MAX" % key.upper())
        if v:
            limits[key] = int(v)
    for side in sides:
        for k in ctx.ks:
            if k > limits.get(side, 10 ** 9):
                continue
            if side == "fastbgp" and k <= limits["gobgp"] and "gobgp" in sides:
                continue  # GoBGP covers it
            timeout = min(300.0, 60.0 + 0.03 * k) if not ctx.quick else 60.0
            if ctx.timeout:
                timeout = min(timeout, ctx.timeout)
            for impl in ("fastbgp", "exabgp"):
                case = "K=%d" % k
                if impl == "exabgp" and k > exa_max:
                    ctx.add(scenario="c", case=case, impl=impl, other=side, runs=[],
                            unavailable="not run: K above BENCH_C_EXABGP_MAX=%d" % exa_max)
                    continue
                runs = []
                for rep in range(ctx.reps):
                    lib.log("c K=%d: %s with %s, run %d/%d (cap %.0f s)" % (k, impl, side, rep + 1, ctx.reps, timeout))
                    r = run_once(ctx, impl, k, SIDES[side], timeout)
                    lib.log("   %s" % fmt(r))
                    runs.append(r)
                    if not r["ok"]:
                        break
                ctx.add(scenario="c", case=case, impl=impl, other=side, k=k, runs=runs, timeout=timeout)
                marginal(ctx, impl, side)
                if ctx.profile and impl == "fastbgp" and k == max(ctx.ks) and runs and runs[0]["ok"]:
                    p = perfrec.Perf(ctx, "c-fastbgp-%d-sessions" % k)
                    run_once(ctx, impl, k, SIDES[side], timeout, perf=p)
                    p.report("K=%d: establishment and %d s idle" % (k, ctx.idle_seconds))


def marginal(ctx, impl, side):
    """KB per extra session: (RSS(K) - RSS(smallest K)) / (K - smallest K),
    from the medians, written into each run of the larger K."""
    recs = [r for r in ctx.results if r.get("scenario") == "c" and r.get("impl") == impl
            and r.get("other") == side and r.get("runs") and all(x.get("ok") for x in r["runs"])]
    if len(recs) < 2:
        return
    base = min(recs, key=lambda r: r["k"])
    b = sorted(x["rss_kb"] for x in base["runs"])[len(base["runs"]) // 2]
    for r in recs:
        if r is base:
            continue
        for x in r["runs"]:
            x["kb_marginal"] = (x["rss_kb"] - b) / (r["k"] - base["k"])


def fmt(r):
    if not r.get("ok"):
        return "NOT DONE: %s" % r.get("note", "")
    return "all up in %.2f s, idle %.2f %% CPU, RSS %.1f MB (%.1f KB/session)%s" % (
        r["t_all"], r["idle_cpu_pct"], (r["rss_kb"] or 0) / 1024, r["kb_per_session"] or 0,
        " " + r["note"] if r.get("note") else "")

