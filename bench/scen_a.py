"""Scenario a: inject N routes into one receiving router.

a1: routes from static configuration (fastbgp, ExaBGP, BIRD static) or from
    an MRT file injected into GoBGP (gobgp mrt inject);
a2: a helper printing one `announce route` per line (fastbgp, ExaBGP);
a3: a helper printing batched `announce attributes ... nlri ...` (fastbgp,
    ExaBGP), and GoBGP fed over its gRPC API (AddPathStream with 1,000
    paths per request, bench/gobgp_grpc.py), its batched equivalent.

Receivers: BIRD (completion: the imported-route counter of its protocol
reaches N, polled every 50 ms on its control socket) and fastbgp
(completion: its input stops growing, see peers.FastbgpReceiver).

Measured per run: wall = sender start -> receiver holds N (for GoBGP:
injection start, once its session is up); est->done = BGP Established
seen by the receiver (or the injection start if later) -> receiver holds N; CPU and peak
RSS of the sender (CPU read when the receiver is complete); CPU of the
receiver.  A run that does not complete in its cap is reported as > cap,
and the remaining repetitions of that case are skipped.
"""

import lib
import peers
import perfrec as prof

SENDERS_A1 = {
    "fastbgp": lambda ctx, port, n: peers.SpeakerStatic(ctx, port, n, "fastbgp"),
    "exabgp": lambda ctx, port, n: peers.SpeakerStatic(ctx, port, n, "exabgp"),
    "bird": lambda ctx, port, n: peers.BirdStatic(ctx, port, n),
    "gobgp-mrt": lambda ctx, port, n: peers.GobgpMrt(ctx, port, n),
}
GOBGP_API = lambda ctx, port, n: peers.GobgpApi(ctx, port, n)  # noqa: E731
RECEIVERS = {
    "bird": peers.BirdReceiver,
    "fastbgp": peers.FastbgpReceiver,
}


def run_once(ctx, make_sender, make_receiver, n, timeout, perf=None, perf_rx=None):
    """One measurement; returns a dict (see module doc).  perf / perf_rx:
    run the sender / the (fastbgp) receiver under perf record."""
    peers.ports_free(ctx)
    rx = make_receiver(ctx, ctx.port)
    tx = make_sender(ctx, ctx.port, n)
    tx.prepare()
    if perf:
        tx.wrap = perf.prefix()
    if perf_rx:
        rx.wrap = perf_rx.prefix()
    res = {"ok": False}
    try:
        rx.start()
        t0 = lib.now()
        tx.start()
        if tx.t0:
            t0 = tx.t0
        deadline = t0 + timeout
        t_est = t_done = None
        count = 0
        while lib.now() < deadline:
            t = lib.now()
            if rx.counts_routes:
                info = rx.info()
                if info:
                    if t_est is None and info[0] == "Established":
                        t_est = t
                    count = info[1]
                    if count >= n:
                        t_done = t
                        break
            else:
                if t_est is None and rx.established():
                    t_est = rx.proc.seen["est"]
                if t_est is not None:
                    d = rx.poll_done(n, tx.quiet)
                    if d:
                        t_done = d
                        break
            tx.poll()
            if not tx.main.alive():
                res["note"] = "sender exited (rc %s)" % tx.main.p.returncode
                break
            lib.time.sleep(0.05 if n <= 200000 else 0.1)
        cpu, hwm = tx.snapshot()
        rx_cpu, rx_hwm = rx.proc.snapshot()
        res.update(cpu=cpu, rss_kb=hwm, rx_cpu=rx_cpu, rx_rss_kb=rx_hwm, count=count)
        if not rx.counts_routes:
            res["bytes_in"] = rx.bytes_in()
        if t_est is not None:
            res["t_est"] = round(t_est - t0, 3)
        if t_done is not None:
            res.update(ok=True, wall=t_done - t0, est_done=(t_done - max(t_est, t0)) if t_est else None)
        else:
            res.update(wall=timeout, timeout=True)
        if hasattr(tx, "helper_times"):
            h = tx.helper_times()
            if "done" in h and t_est:
                res["helper_done_after_est"] = round(h["done"] - t_est, 3)
            if "done" in h and "start" in h and h["done"] > h["start"]:
                # how fast the speaker took the commands: the helper blocks on the pipe
                res["helper_secs"] = round(h["done"] - h["start"], 3)
                res["inject_rate"] = n / (h["done"] - h["start"])
        if tx.note:
            res["note"] = tx.note
    finally:
        tx.stop()
        rx.stop()
    return res


def measure(ctx, scenario, case, impl, other, make_sender, make_receiver, n, timeout, profile_name=None):
    runs = []
    for rep in range(ctx.reps):
        lib.log("%s %s: %s -> %s, run %d/%d (cap %.0f s)" % (scenario, case, impl, other, rep + 1, ctx.reps, timeout))
        r = run_once(ctx, make_sender, make_receiver, n, timeout)
        lib.log("   %s" % fmt_run(r))
        runs.append(r)
        if not r["ok"]:
            break
        if r["wall"] > ctx.slow and rep + 1 < ctx.reps:
            r["note"] = (r.get("note", "") + " one run only: slower than %.0f s" % ctx.slow).strip()
            break
    rec = ctx.add(scenario=scenario, case=case, impl=impl, other=other, n=n, runs=runs, timeout=timeout)
    if profile_name and ctx.profile and impl == "fastbgp" and runs and runs[0]["ok"]:
        p = prof.Perf(ctx, profile_name)
        run_once(ctx, make_sender, make_receiver, n, timeout, perf=p)
        p.report("fastbgp sending N=%d routes (%s) to a %s receiver" % (n, scenario, other))
    return rec


def fmt_run(r):
    if not r.get("ok"):
        return "NOT DONE within %.0f s (%s routes seen) %s" % (r.get("wall", 0), r.get("count"), r.get("note", ""))
    return "wall %.2f s, est->done %s s, cpu %.2f s, rss %s MB, rx cpu %.2f s %s" % (
        r["wall"], "%.2f" % r["est_done"] if r.get("est_done") is not None else "?", r.get("cpu") or 0,
        "%.0f" % (r["rss_kb"] / 1024) if r.get("rss_kb") else "?", r.get("rx_cpu") or 0, r.get("note", ""))


def sender_bound(ctx, scenario, n, sname, rxname):
    """True when this sender already needed more than BENCH_SENDER_BOUND
    seconds (default 30) with the first receiver: the receiver is not
    what limits it, so the other receivers are not run for it."""
    first = ctx.receivers[0]
    if rxname == first:
        return False
    for r in ctx.results:
        if (r.get("scenario"), r.get("n"), r.get("impl"), r.get("other")) == (scenario, n, sname, first):
            walls = [x["wall"] for x in r.get("runs", []) if x.get("wall") is not None]
            if walls and min(walls) > ctx.sender_bound:
                ctx.add(scenario=scenario, case="N=%d" % n, impl=sname, other=rxname, n=n, runs=[],
                        unavailable="not run: sender-bound (> %.0f s with the %s receiver)" % (
                            ctx.sender_bound, first))
                return True
    return False


def run_a1(ctx):
    for n in ctx.ns:
        timeout = ctx.run_timeout(n)
        for rxname in ctx.receivers:
            for sname in ctx.senders:
                if sname not in SENDERS_A1 or sender_bound(ctx, "a1", n, sname, rxname):
                    continue
                measure(ctx, "a1", "N=%d" % n, sname, rxname, SENDERS_A1[sname], RECEIVERS[rxname], n, timeout,
                        profile_name="a1-fastbgp-to-%s-%d" % (rxname, n))
            if ctx.profile and rxname == "fastbgp":
                # the receiving fastbgp's own profile, fed by a fastbgp sender
                p = prof.Perf(ctx, "a1-fastbgp-receiver-%d" % n)
                run_once_rx_profiled(ctx, n, timeout, p)


def run_once_rx_profiled(ctx, n, timeout, p):
    run_once(ctx, SENDERS_A1["fastbgp"], RECEIVERS["fastbgp"], n, timeout, perf_rx=p)
    p.report("fastbgp receiving N=%d routes from a fastbgp sender" % n)


def helper_senders(ctx, batched):
    out = {}
    for impl in ("fastbgp", "exabgp"):
        if impl not in ctx.senders:
            continue
        out[impl] = (lambda i: lambda c, port, n: peers.SpeakerHelper(c, port, n, i, batched))(impl)
    return out


def run_helpers(ctx, scenario, batched):
    senders = helper_senders(ctx, batched)
    if "gobgp-api" in ctx.senders and batched:
        senders["gobgp-api"] = GOBGP_API
    for n in ctx.ns:
        timeout = ctx.run_timeout(n, per_million=150.0)
        for rxname in ctx.receivers:
            for sname, make in senders.items():
                if sname == "fastbgp" and not ctx.api[0]:
                    ctx.add(scenario=scenario, case="N=%d" % n, impl="fastbgp", other=rxname, n=n, runs=[],
                            unavailable="fastbgp: API not available yet (%s)" % ctx.api[1])
                    continue
                if sender_bound(ctx, scenario, n, sname, rxname):
                    continue
                measure(ctx, scenario, "N=%d" % n, sname, rxname, make, RECEIVERS[rxname], n, timeout,
                        profile_name="%s-fastbgp-to-%s-%d" % (scenario, rxname, n))


def run_a2(ctx):
    run_helpers(ctx, "a2", batched=False)


def run_a3(ctx):
    run_helpers(ctx, "a3", batched=True)
