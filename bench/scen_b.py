"""Scenario b: receive N routes and deliver them as JSON to a helper.

The sender is BIRD (default; BENCH_B_SENDER=gobgp for GoBGP with the MRT
file) with the N routes loaded and its BGP session disabled; once the tested
speaker listens, the session is enabled (`enable tx_bgp` on BIRD's control
socket; for GoBGP `gobgp neighbor IP enable`).  The tested speaker (fastbgp
or ExaBGP) listens on 127.66.0.1 with a process `count` (encoder json,
receive { parsed; update; }, neighbor-changes) running
bench/helpers/count_json.py, which counts the announced prefixes and notes
when the session came up and when it had all N.

Measured: wall = session enabled -> helper counted N; Established -> N
(the helper's 'up' event); the speaker's CPU and peak RSS; the helper's CPU
(it is a child of the speaker).  fastbgp is run only when its process API
answers the capability probe.
"""

import os
import re

import lib
import peers
import perfrec
import routes


class GobgpPreloaded(peers.GobgpMrt):
    def start_disabled(self):
        self.start_daemon(admin_down=True)
        self.inject = lib.Proc("gobgp-inject", ["gobgp", "-u", peers.TX_ADDR, "-p", str(self.ctx.api_port),
                                                "mrt", "inject", "global", self.mrt],
                               stdout=os.path.join(self.dir, "inject.log"))
        self.inject.wait(600)
        ok, _ = lib.wait_until(lambda: self.rib_count() >= self.n, 120, 0.5)
        if not ok:
            raise RuntimeError("GoBGP did not load %d routes" % self.n)

    def enable(self):
        self.cli(["neighbor", peers.RX_ADDR, "enable"], 30)

    def poll(self):
        pass


class BirdPreloaded(peers.BirdStatic):
    def start_disabled(self):
        self.start(disabled=True)
        if not peers.wait_bird_sock(self.sock, 60):
            raise RuntimeError("BIRD sender did not start")

        def loaded():
            lines = self.ctl.cmd("show route count") or []
            total = 0
            for line in lines:
                m = re.search(r"(\d+) of (\d+) routes", line)
                if m:
                    total += int(m.group(1))
            return total >= self.n
        ok, _ = lib.wait_until(loaded, 300, 0.2)
        if not ok:
            raise RuntimeError("BIRD did not load %d static routes" % self.n)

    def enable(self):
        self.ctl.cmd("enable tx_bgp")


def speaker_conf(path, status, n):
    with open(path, "w") as f:
        f.write("process count {\n\trun %s %s %d %s;\n\tencoder json;\n}\n" % (
            peers.PY, os.path.join(peers.HERE, "helpers", "count_json.py"), n, status))
        f.write(routes.exa_neighbor_header(peers.TX_ADDR, peers.RX_ADDR, peers.RX_ID, peers.RX_AS, peers.TX_AS,
                                           peers.HOLD, "\tpassive;\n\tapi {\n\t\tprocesses [ count ];\n"
                                           "\t\tneighbor-changes;\n\t\treceive { parsed; update; }\n\t}\n"))
        f.write("}\n")


def run_once(ctx, impl, sender_cls, n, timeout, perf=None):
    peers.ports_free(ctx)
    tx = sender_cls(ctx, ctx.port, n)
    tx.prepare()
    d = ctx.tmp("%s-b" % impl)
    status = os.path.join(d, "count.status")
    conf = os.path.join(d, "rx.conf")
    speaker_conf(conf, status, n)
    res = {"ok": False}
    sp = None
    try:
        tx.start_disabled()
        sp = lib.Proc(impl + "-b", (perf.prefix() if perf else []) + peers.speaker_argv(impl, ctx.fastbgp, conf),
                      env=peers.exa_env(ctx.port, {"exabgp_tcp_bind": peers.RX_ADDR}), stdout=os.path.join(d, "log"))
        ok, _ = lib.wait_until(lambda: not lib.port_free(peers.RX_ADDR, ctx.port) or not sp.alive(), 30, 0.05)
        if not ok or not sp.alive():
            res["note"] = "speaker did not listen"
            return res
        t0 = lib.now()
        tx.enable()
        st = {}

        def done():
            tx.poll()
            st.update(peers.read_status(status))
            return "done" in st or not sp.alive()
        ok, _ = lib.wait_until(done, timeout, 0.05)
        cpu, hwm = sp.snapshot()
        helper_cpu = sum(lib.proc_cpu(p) or 0.0 for p in lib.descendants(sp.pid))
        res.update(cpu=cpu, rss_kb=hwm, helper_cpu=helper_cpu, count=st.get("count"), format=st.get("format"))
        if st.get("format") not in (None, "ok"):
            res["note"] = "JSON check: %s" % st["format"]
        if ok and "done" in st:
            res.update(ok=True, wall=st["done"] - t0)
            if "up" in st:
                res["est_done"] = st["done"] - st["up"]
            res["rate"] = n / res["est_done"] if res.get("est_done") else n / res["wall"]
        else:
            res.update(wall=timeout, timeout=True,
                       note=(res.get("note", "") + " %s of %d prefixes counted" % (st.get("count", 0), n)).strip())
    finally:
        if sp:
            sp.stop()
        tx.stop()
    return res


def run(ctx):
    which = os.environ.get("BENCH_B_SENDER", "bird")
    sender_cls = GobgpPreloaded if which == "gobgp" else BirdPreloaded
    for n in ctx.ns:
        timeout = ctx.run_timeout(n, per_million=300.0)
        case = "N=%d" % n
        for impl in [i for i in os.environ.get("BENCH_B_IMPLS", "fastbgp,exabgp").split(",") if i]:
            if impl == "fastbgp" and not ctx.api[0]:
                ctx.add(scenario="b", case=case, impl=impl, other=which, n=n, runs=[],
                        unavailable="fastbgp: API not available yet (%s)" % ctx.api[1])
                continue
            runs = []
            for rep in range(ctx.reps):
                lib.log("b %s: %s <- %s, run %d/%d (cap %.0f s)" % (case, impl, which, rep + 1, ctx.reps, timeout))
                r = run_once(ctx, impl, sender_cls, n, timeout)
                lib.log("   %s" % fmt(r))
                runs.append(r)
                if not r["ok"]:
                    break
            ctx.add(scenario="b", case=case, impl=impl, other=which, n=n, runs=runs, timeout=timeout)
            if ctx.profile and impl == "fastbgp" and runs and runs[0]["ok"]:
                p = perfrec.Perf(ctx, "b-fastbgp-json-%d" % n)
                run_once(ctx, impl, sender_cls, n, timeout, perf=p)
                p.report("fastbgp receiving N=%d routes from %s, JSON to a counting helper" % (n, which))


def fmt(r):
    if not r.get("ok"):
        return "NOT DONE: %s" % r.get("note", "")
    return "wall %.2f s, up->all %s s, %.0f prefixes/s, cpu %.2f s, rss %.0f MB, helper cpu %.2f s" % (
        r["wall"], "%.2f" % r["est_done"] if r.get("est_done") else "?", r["rate"], r["cpu"] or 0,
        (r["rss_kb"] or 0) / 1024, r["helper_cpu"])
