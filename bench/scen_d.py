"""Scenario d: churn.  A helper flaps routes at RATE changes per second.

The tested speaker (fastbgp when its process API answers the probe, and
ExaBGP) sends to a BIRD receiver.  Its helper (bench/helpers/flap.py)
waits until the session is Established, then for BENCH_CHURN_SECONDS
(default 60) emits BENCH_CHURN_RATE (default 10,000) changes per second in
100 ticks per second over a pool of 10,000 IPv4 /24s: each route is
announced, then withdrawn one second later, and so on.

Measured: changes the helper wrote; changes BIRD received ('Import updates'
+ 'Import withdraws' received, from 'show protocols all', read after the
helper finished and the counters stopped moving for 3 s, at most 60 s);
whether the session stayed up (BIRD protocol state and its 'since' time
unchanged); the speaker's CPU over the churn (and % of one core) and its
peak RSS; the helper's lag behind schedule.  A speaker that merges an
announce and the withdraw that follows before either went out sends fewer
changes than the helper wrote: both numbers are shown.
"""

import os

import lib
import peers
import perfrec
import routes


def run_once(ctx, impl, rate, seconds, pool, perf=None):
    peers.ports_free(ctx)
    rx = peers.BirdReceiver(ctx, ctx.port)
    d = ctx.tmp("%s-d" % impl)
    status = os.path.join(d, "flap.status")
    go = os.path.join(d, "go")
    conf = os.path.join(d, "tx.conf")
    with open(conf, "w") as f:
        f.write("process flap {\n\trun %s %s %s %s %d %g %d;\n\tencoder text;\n}\n" % (
            peers.PY, os.path.join(peers.HERE, "helpers", "flap.py"), go, status, rate, seconds, pool))
        f.write(routes.exa_neighbor_header(peers.RX_ADDR, peers.TX_ADDR, peers.TX_ID, peers.TX_AS, peers.RX_AS,
                                           peers.HOLD, "\tapi { processes [ flap ]; }\n"))
        f.write("}\n")
    res = {"ok": False}
    sp = None
    try:
        rx.start()
        sp = lib.Proc(impl + "-d", (perf.prefix() if perf else []) + peers.speaker_argv(impl, ctx.fastbgp, conf),
                      env=peers.exa_env(ctx.port),
                      stdout=os.path.join(d, "log"))
        ok, _ = lib.wait_until(rx.established, 60, 0.05)
        if not ok:
            res["note"] = "session did not come up"
            return res
        since0 = since(rx)
        lib.time.sleep(0.5)
        c0 = sp.cpu()
        open(go, "w").close()
        st = {}

        def helper_done():
            st.update(peers.read_status(status))
            return "end" in st or not sp.alive()
        lib.wait_until(helper_done, seconds + 60, 0.2)
        # drain: counters stop moving for 3 s (at most 60 s)
        last = [None, lib.now()]

        def settled():
            i = rx.info()
            v = (i[2], i[3]) if i else None
            if v != last[0]:
                last[0], last[1] = v, lib.now()
            return lib.now() - last[1] >= 3.0
        lib.wait_until(settled, 60, 0.2)
        c1 = sp.cpu()
        _, hwm = sp.snapshot()
        info = rx.info() or (None, 0, 0, 0)
        sent = int(st.get("announces", 0) + st.get("withdraws", 0))
        received = info[2] + info[3]
        up = info[0] == "Established" and since(rx) == since0
        dur = (st["end"] - st["start"]) if "end" in st else seconds
        res.update(ok="end" in st, sent=sent, received=received, cpu=c1 - c0, cpu_pct=100.0 * (c1 - c0) / dur,
                   rss_kb=hwm, session="stayed up" if up else "WENT DOWN", helper_late_ticks=st.get("late"),
                   helper_maxlag=st.get("maxlag"))
        notes = []
        if received != sent:
            notes.append("%d changes not on the wire" % (sent - received))
        if st.get("late"):
            notes.append("helper behind schedule in %d ticks (max %.2f s)" % (st["late"], st.get("maxlag", 0)))
        if notes:
            res["note"] = "; ".join(notes)
    finally:
        if sp:
            sp.stop()
        rx.stop()
    return res


def since(rx):
    lines = rx.ctl.cmd("show protocols %s" % rx.protoname) or []
    for line in lines:
        if rx.protoname in line:
            parts = line.split()
            return parts[4] if len(parts) > 4 else None
    return None


def run(ctx):
    rate = int(os.environ.get("BENCH_CHURN_RATE", "10000"))
    pool = int(os.environ.get("BENCH_CHURN_POOL", "10000"))
    seconds = ctx.churn_seconds
    case = "%d changes/s for %g s" % (rate, seconds)
    for impl in [i for i in os.environ.get("BENCH_D_IMPLS", "fastbgp,exabgp").split(",") if i]:
        if impl == "fastbgp" and not ctx.api[0]:
            ctx.add(scenario="d", case=case, impl=impl, other="bird", runs=[],
                    unavailable="fastbgp: API not available yet (%s)" % ctx.api[1])
            continue
        runs = []
        for rep in range(ctx.reps):
            lib.log("d %s: %s -> bird, run %d/%d" % (case, impl, rep + 1, ctx.reps))
            r = run_once(ctx, impl, rate, seconds, pool)
            lib.log("   %s" % r)
            runs.append(r)
            if not r["ok"]:
                break
        ctx.add(scenario="d", case=case, impl=impl, other="bird", runs=runs)
        if ctx.profile and impl == "fastbgp" and runs and runs[0]["ok"]:
            p = perfrec.Perf(ctx, "d-fastbgp-churn")
            run_once(ctx, impl, rate, min(seconds, 20.0), pool, perf=p)
            p.report("fastbgp sending %d changes/s from a helper for %g s" % (rate, min(seconds, 20.0)))
