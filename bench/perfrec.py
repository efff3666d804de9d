"""perf profiles of fastbgp runs, summarised into bench/profiles/NAME.txt.

A profiled run is an extra run (never one of the timed ones): fastbgp is
started under `perf record` (DWARF call graphs, 999 Hz), and both are
stopped together by the process group of that run when it ends.  The summary keeps the top symbols by
self time and by inclusive time (children)."""

import os
import shutil

import lib

HERE = os.path.dirname(os.path.abspath(__file__))
OUTDIR = os.path.join(HERE, "profiles")


def available():
    return shutil.which("perf") is not None


class Perf:
    """perf record wrapped around a process: prefix() + argv."""

    def __init__(self, ctx, name, freq=999):
        self.ctx, self.name, self.freq = ctx, name, freq
        self.data = os.path.join(ctx.tmp("perf-" + name), "perf.data")
        self.used = False

    def prefix(self):
        if not available():
            return []
        self.used = True
        return ["perf", "record", "-q", "-F", str(self.freq), "--call-graph", "dwarf,16384", "-o", self.data, "--"]

    def report(self, extra_note=""):
        if not self.used or not os.path.exists(self.data):
            return None
        os.makedirs(OUTDIR, exist_ok=True)
        out = os.path.join(OUTDIR, self.name + ".txt")
        _, self_txt = lib.run(["perf", "report", "-i", self.data, "--stdio", "--no-children", "--sort", "dso,symbol",
                               "--percent-limit", "0.8", "-g", "none"], 300)
        _, incl_txt = lib.run(["perf", "report", "-i", self.data, "--stdio", "--children", "--sort", "symbol",
                               "--percent-limit", "4", "-g", "none"], 300)
        with open(out, "w") as f:
            f.write("# perf profile: %s\n# %s\n# self time (top symbols, >= 0.8 %%)\n\n" % (self.name, extra_note))
            f.write(clean(self_txt))
            f.write("\n\n# inclusive time (children, >= 4 %)\n\n")
            f.write(clean(incl_txt))
        lib.log("profile written: %s" % out)
        self.ctx.notes.setdefault("profiles", []).append(os.path.relpath(out, HERE))
        return out


def clean(text):
    keep = []
    for line in text.splitlines():
        if line.startswith("#") and not line.startswith("# Samples") and not line.startswith("# Event count"):
            continue
        if not line.strip():
            continue
        keep.append(line.rstrip())
    return "\n".join(keep[:60]) + "\n"
