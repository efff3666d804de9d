#!/usr/bin/python3
"""fastbgp benchmark driver: runs the scenarios, writes a Markdown report.

    bench/run.sh                      (what `make bench` runs)
    /usr/bin/python3 bench/bench.py   (the same, without building)

Knobs (environment):
  BENCH_QUICK=1          N=50,000, K=100, one repetition, BIRD receiver only,
                         10 s churn and idle windows, no profiles (< 5 minutes)
  BENCH_SCENARIOS=a1,c   which scenarios: a1 a2 a3 b c d e (a = a1,a2,a3)
  BENCH_N=100000,1000000 route counts for a and b
  BENCH_K=100,500,2000   session counts for c
  BENCH_REPS=3           repetitions of each measurement
  BENCH_TIMEOUT=S        cap of one run (default depends on N)
  BENCH_SENDERS=...      a: fastbgp,exabgp,bird,gobgp-mrt,gobgp-api
  BENCH_RECEIVERS=...    a: bird,fastbgp
  BENCH_CHURN_SECONDS=60 d: duration
  BENCH_IDLE_SECONDS=20  c: idle window
  BENCH_PROFILE=1        also record a perf profile of fastbgp (bench/profiles)
  BENCH_SLOW=60          a run longer than this is not repeated
  BENCH_SENDER_BOUND=30  a sender slower than this with the first receiver
                         is not run against the other receivers
  BENCH_OUT=FILE         report (default bench/results/last-run.md; JSON beside it)
  BENCH_FASTBGP=PATH     binary (default build/release/fastbgp)
  BENCH_PORT=17966       first TCP port used
"""

import json
import os
import shutil
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
import report  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ALL = ["a1", "a2", "a3", "b", "c", "d", "e"]


def env_list(name, default, conv=str):
    v = os.environ.get(name)
    if not v:
        return default
    return [conv(x) for x in v.replace(" ", ",").split(",") if x]


class Ctx:
    def __init__(self):
        self.quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
        self.reps = int(os.environ.get("BENCH_REPS", "1" if self.quick else "3"))
        self.ns = env_list("BENCH_N", [50000] if self.quick else [100000, 1000000], int)
        self.ks = env_list("BENCH_K", [100] if self.quick else [100, 500, 2000, 10000], int)
        self.timeout = float(os.environ["BENCH_TIMEOUT"]) if os.environ.get("BENCH_TIMEOUT") else None
        self.senders = env_list("BENCH_SENDERS", ["fastbgp", "exabgp", "bird", "gobgp-mrt", "gobgp-api"])
        self.receivers = env_list("BENCH_RECEIVERS", ["bird"] if self.quick else ["bird", "fastbgp"])
        self.churn_seconds = float(os.environ.get("BENCH_CHURN_SECONDS", "10" if self.quick else "60"))
        self.idle_seconds = float(os.environ.get("BENCH_IDLE_SECONDS", "10" if self.quick else "20"))
        self.profile = os.environ.get("BENCH_PROFILE", "") not in ("", "0")
        self.slow = float(os.environ.get("BENCH_SLOW", "60"))
        self.sender_bound = float(os.environ.get("BENCH_SENDER_BOUND", "30"))
        self.fastbgp = os.path.abspath(os.environ.get("BENCH_FASTBGP", os.path.join(ROOT, "build/release/fastbgp")))
        self.out = os.environ.get("BENCH_OUT", os.path.join(HERE, "results", "last-run.md"))
        base = int(os.environ.get("BENCH_PORT", "17966"))
        self.port, self.spare_port, self.api_port = base, base + 1, base + 2
        self.scenarios = []
        for s in env_list("BENCH_SCENARIOS", ALL):
            s = s.lower()
            for x in (["a1", "a2", "a3"] if s == "a" else [s]):
                if x not in ALL:
                    raise SystemExit("bench: unknown scenario %r (use %s)" % (x, ",".join(ALL)))
                if x not in self.scenarios:
                    self.scenarios.append(x)
        self.work = tempfile.mkdtemp(prefix="fastbgp-bench-")
        self.cache_dir = os.path.join(self.work, "cache")
        os.makedirs(self.cache_dir)
        self.keep = os.environ.get("BENCH_KEEP", "") not in ("", "0")
        self._n = 0
        self.results = []
        self.notes = {}
        self.api = None  # (available, reason), from the capability probe

    def tmp(self, name):
        self._n += 1
        d = os.path.join(self.work, "%03d-%s" % (self._n, name))
        os.makedirs(d)
        return d

    def cached(self, name, make):
        path = os.path.join(self.cache_dir, name)
        if not os.path.exists(path):
            t = time.monotonic()
            make(path + ".tmp")
            os.rename(path + ".tmp", path)
            lib.log("wrote %s (%.1f s, %.1f MB)" % (name, time.monotonic() - t, os.path.getsize(path) / 1e6))
        return path

    def run_timeout(self, n, per_million=150.0, base=45.0):
        t = base + per_million * n / 1e6
        if self.timeout:
            t = min(t, self.timeout)
        if self.quick:
            t = min(t, 60.0)
        return t

    def add(self, **rec):
        self.results.append(rec)
        return rec

    def cleanup(self):
        lib.stop_all()
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)


def main():
    lib.install_signal_cleanup()
    ctx = Ctx()
    if not os.access(ctx.fastbgp, os.X_OK):
        raise SystemExit("bench: %s is missing: run `make build` first" % ctx.fastbgp)
    nofile = lib.raise_nofile(65536)
    t_start = time.time()
    lib.log("work directory %s; scenarios %s; N %s; K %s; %d repetition(s)" % (
        ctx.work, ",".join(ctx.scenarios), ctx.ns, ctx.ks, ctx.reps))
    meta = {"machine": lib.machine_info(), "versions": lib.versions(ctx.fastbgp), "nofile": nofile,
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "quick": ctx.quick, "reps": ctx.reps,
            "scenarios": ctx.scenarios}
    import peers
    if any(s in ctx.scenarios for s in ("a2", "a3", "b", "d")):
        ctx.api = peers.probe_fastbgp_api(ctx)
        lib.log("fastbgp process API: %s (%s)" % ("available" if ctx.api[0] else "not available", ctx.api[1]))
        meta["fastbgp_api"] = {"available": ctx.api[0], "probe": ctx.api[1]}
    modules = {"a1": ("scen_a", "run_a1"), "a2": ("scen_a", "run_a2"), "a3": ("scen_a", "run_a3"),
               "b": ("scen_b", "run"), "c": ("scen_c", "run"), "d": ("scen_d", "run"), "e": ("scen_e", "run")}
    try:
        for s in ctx.scenarios:
            mod, fn = modules[s]
            t = time.monotonic()
            lib.log("=== scenario %s" % s)
            try:
                getattr(__import__(mod), fn)(ctx)
            except Exception as exc:  # noqa: BLE001 - one scenario failing must not lose the others
                traceback.print_exc()
                ctx.add(scenario=s, error="%s: %s" % (type(exc).__name__, exc))
            lib.stop_all()
            lib.log("=== scenario %s took %.0f s" % (s, time.monotonic() - t))
    finally:
        meta["duration_s"] = round(time.time() - t_start, 1)
        try:
            with open("/proc/loadavg") as f:
                meta["machine"]["loadavg_end"] = f.read().strip()
        except OSError:
            pass
        os.makedirs(os.path.dirname(os.path.abspath(ctx.out)), exist_ok=True)
        jpath = os.path.splitext(ctx.out)[0] + ".json"
        with open(jpath, "w") as f:
            json.dump({"meta": meta, "results": ctx.results, "notes": ctx.notes}, f, indent=1)
        text = report.render(meta, ctx.results, ctx.notes)
        with open(ctx.out, "w") as f:
            f.write(text)
        print(report.render_tables(ctx.results))
        lib.log("report: %s (raw: %s), %.0f s" % (ctx.out, jpath, meta["duration_s"]))
        ctx.cleanup()


if __name__ == "__main__":
    main()
