"""Scenario e: codec micro-benchmarks (bench/micro/codec_bench.c).

Built against build/release/libfastbgp.a by bench/run.sh (or here when
missing), run on N routes (the largest BENCH_N, default 1,000,000) with
BENCH_REPS repetitions; rates are prefixes per second on one core.  See
the C file for what each benchmark covers."""

import os

import lib
import peers
import perfrec
import routes

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

LABELS = {
    "rib_insert": "rib insert (ribout_announce_raw)",
    "encode": "UPDATE encode (ribout_pack, 4096-byte UPDATEs)",
    "decode": "UPDATE decode (header check + update_parse + prefix walk)",
    "json": "UPDATE to JSON line (api_update_view_build + API JSON encoder)",
    "config": "static configuration parse (config_load)",
    "evpn_decode": "EVPN UPDATE decode (header check + update_parse + NLRI walk)",
    "evpn_json": "EVPN UPDATE to JSON line (api_update_view_build + API JSON encoder)",
}


def binary(ctx):
    out = os.path.join(ROOT, "build", "bench", "codec_bench")
    lib_a = os.path.join(os.path.dirname(ctx.fastbgp), "libfastbgp.a")
    src = os.path.join(HERE, "micro", "codec_bench.c")
    if not os.path.exists(out) or os.path.getmtime(out) < max(os.path.getmtime(src), os.path.getmtime(lib_a)):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        rc, text = lib.run(["cc", "-std=c11", "-D_GNU_SOURCE", "-O2", "-g", "-I" + os.path.join(ROOT, "src"), src,
                            lib_a, "-o", out, "-luv"], 300)
        if rc != 0:
            raise RuntimeError("building codec_bench failed: %s" % text[-2000:])
    return out


def run(ctx):
    exe = binary(ctx)
    n = max(ctx.ns) if ctx.ns else 1000000
    conf = ctx.cached("static-%d.conf" % n, lambda path: routes.write_exa_static(
        path, n, routes.exa_neighbor_header(peers.RX_ADDR, peers.TX_ADDR, peers.TX_ID, peers.TX_AS, peers.RX_AS,
                                            peers.HOLD)))
    argv = [exe, "-n", str(n), "-r", str(max(ctx.reps, 3)), "-c", conf]
    rc, out = lib.run(argv, 900)
    if rc != 0:
        raise RuntimeError("codec_bench failed (rc %s): %s" % (rc, out[-2000:]))
    res = {}
    info = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "RESULT":
            name, prefixes, secs = parts[1], int(parts[2]), float(parts[3])
            res.setdefault(name, []).append({"ok": True, "rate": prefixes / secs if secs > 0 else None,
                                             "seconds": secs, "prefixes": prefixes})
        elif line.startswith(("encode:", "json:", "evpn_json:")):
            info.append(line.split("; last line")[0])
    for name, runs in res.items():
        # the first repetition of rib_insert/encode pays for page faults: reported, but median shows it
        ctx.add(scenario="e", case=LABELS.get(name, name), impl="fastbgp", runs=runs, n=n,
                note="N=%d" % n)
    ctx.notes["micro"] = info
    lib.log("micro: %s" % "; ".join(info))
    if ctx.profile and perfrec.available():
        p = perfrec.Perf(ctx, "e-codec-micro")
        lib.run(p.prefix() + [exe, "-n", str(n), "-r", "3", "-c", conf], 900)
        p.report("all micro-benchmarks in one process (N=%d, 3 repetitions each)" % n)
