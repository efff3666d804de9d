"""Markdown tables from the benchmark records.

Each cell is 'median (min-max)' over the repetitions.  The ratio columns
are fastbgp's value divided by the row's value (below 1: fastbgp needs less
time/CPU/memory; for rates, above 1: fastbgp is faster)."""

import statistics

TITLES = {
    "a1": "a(i) inject N routes from static configuration (GoBGP: MRT inject)",
    "a2": "a(ii) inject N routes from a helper, one command per line",
    "a3": "a(iii) inject N routes from a helper, batched `announce attributes ... nlri` (GoBGP: gRPC AddPathStream)",
    "b": "b. receive N routes, deliver them as JSON to a counting helper",
    "c": "c. K idle sessions in one process",
    "d": "d. churn: helper flapping routes at a fixed rate",
    "e": "e. codec micro-benchmarks (fastbgp only, one core)",
}

# (key, heading, format, lower_is_better or None for no ratio)
COLS = {
    "a": [("wall", "wall s", "s", True), ("est_done", "Established→all s", "s", True),
          ("cpu", "sender CPU s", "s", True), ("rss_kb", "sender peak RSS MB", "mb", True),
          ("rx_cpu", "receiver CPU s", "s", None)],
    "a_api": [("wall", "wall s", "s", True), ("est_done", "Established→all s", "s", True),
              ("cpu", "sender CPU s", "s", True), ("rss_kb", "sender peak RSS MB", "mb", True),
              ("rx_cpu", "receiver CPU s", "s", None), ("inject_rate", "commands taken, routes/s", "int", None)],
    "b": [("wall", "wall s", "s", True), ("est_done", "Established→all counted s", "s", True),
          ("rate", "prefixes/s", "int", False), ("cpu", "receiver CPU s", "s", True),
          ("rss_kb", "receiver peak RSS MB", "mb", True), ("helper_cpu", "helper CPU s", "s", None)],
    "c": [("t_all", "all Established s", "s", True), ("idle_cpu_pct", "idle CPU % of a core", "f2", True),
          ("rss_kb", "RSS MB", "mb", True), ("kb_per_session", "RSS/K KB", "f1", True),
          ("kb_marginal", "marginal KB/session", "f1", None),
          ("cpu_setup", "CPU to establish s", "s", None)],
    "d": [("sent", "changes sent", "int", None), ("received", "changes received", "int", None),
          ("cpu", "speaker CPU s", "s", True), ("cpu_pct", "CPU % of a core", "f1", True),
          ("rss_kb", "peak RSS MB", "mb", True), ("session", "session", "str", None)],
}


def group_of(s):
    return "a" if s in ("a1", "a2", "a3") else s


def fmt(v, kind):
    if v is None:
        return "?"
    if kind == "s":
        return "%.2f" % v if v < 100 else "%.0f" % v
    if kind == "mb":
        return "%.1f" % (v / 1024.0) if v < 102400 else "%.0f" % (v / 1024.0)
    if kind == "int":
        return "{:,}".format(int(round(v)))
    if kind == "f1":
        return "%.1f" % v
    if kind == "f2":
        return "%.2f" % v
    return str(v)


# measured even when the run did not complete within its cap
ANY_RUN = ("inject_rate",)


def cell(runs, key, kind, timeout=None):
    vals = [r[key] for r in runs if (r.get("ok") or key in ANY_RUN) and r.get(key) is not None]
    failed = [r for r in runs if not r.get("ok")]
    if key in ("wall", "t_all") and failed and not vals:
        return "> %.0f" % (timeout or failed[0].get("wall", 0))
    if not vals:
        if kind == "str":
            vs = [r.get(key) for r in runs if r.get(key) is not None]
            return ", ".join(sorted(set(map(str, vs)))) if vs else "–"
        return "–"
    if kind == "str":
        return ", ".join(sorted(set(map(str, vals))))
    med = statistics.median(vals)
    if len(vals) == 1:
        text = fmt(med, kind)
    else:
        text = "%s (%s–%s)" % (fmt(med, kind), fmt(min(vals), kind), fmt(max(vals), kind))
    if failed and key not in ANY_RUN:
        text += " +%d fail" % len(failed)
    return text


def median(runs, key):
    vals = [r[key] for r in runs if r.get("ok") and r.get(key) is not None]
    return statistics.median(vals) if vals else None


def ratio(fb, other, lower):
    if fb is None or other is None or other == 0:
        return "–"
    if fb == 0:
        return "~0"  # below the 10 ms resolution of /proc CPU times
    r = fb / other
    return "%.3f" % r if r < 0.1 else "%.2f" % r


def render_tables(results):
    out = []
    by_s = {}
    for rec in results:
        by_s.setdefault(rec.get("scenario"), []).append(rec)
    for s in ("a1", "a2", "a3", "b", "c", "d", "e"):
        recs = by_s.get(s)
        if not recs:
            continue
        out.append("### %s\n" % TITLES[s])
        if s == "e":
            out.append(render_micro(recs))
            continue
        cols = COLS["a_api" if s in ("a2", "a3") else group_of(s)]
        errors = [r for r in recs if r.get("error")]
        recs = [r for r in recs if not r.get("error")]
        groups = {}
        for r in recs:
            groups.setdefault((r.get("case"), r.get("other")), []).append(r)
        for (case, other), rows in groups.items():
            label = {"a": "receiver", "b": "sender", "c": "other side", "d": "receiver"}[group_of(s)]
            out.append("**%s, %s: %s**\n" % (case, label, other))
            ratio_cols = [c for c in cols if c[3] is not None and c[0] != "est_done"][:3]
            head = ["implementation", "runs"] + [c[1] for c in cols] + \
                ["fastbgp ÷ this (%s)" % " / ".join(c[1].split(" s")[0].split(" MB")[0] for c in ratio_cols), "notes"]
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            fb = next((r for r in rows if r.get("impl") == "fastbgp" and r.get("runs")), None)
            for r in rows:
                runs = r.get("runs", [])
                if r.get("unavailable"):
                    out.append("| %s | 0 | %s |" % (r["impl"], " | ".join(["n/a"] * len(cols)) + " | – | " +
                                                   r["unavailable"]))
                    continue
                cells = [cell(runs, c[0], c[2], r.get("timeout")) for c in cols]
                if fb is None or r is fb:
                    rat = "–" if fb is None else "1"
                else:
                    parts = []
                    for c in ratio_cols:
                        fv, ov = median(fb["runs"], c[0]), median(runs, c[0])
                        if fv is None and ov and c[0] in ("wall", "t_all") and fb["runs"] and \
                                not any(x.get("ok") for x in fb["runs"]):
                            parts.append("> %s" % ratio(fb.get("timeout") or fb["runs"][0].get(c[0]), ov, True))
                            continue
                        if ov is None and c[0] in ("wall", "t_all") and runs and not any(x.get("ok") for x in runs) \
                                and fv is not None:
                            parts.append("< %s" % ratio(fv, r.get("timeout") or runs[0].get("wall"), True))
                        else:
                            parts.append(ratio(fv, ov, c[3]))
                    rat = " / ".join(parts)
                notes = sorted(set(x.get("note", "") for x in runs if x.get("note")))
                if r.get("note"):
                    notes.insert(0, r["note"])
                out.append("| %s | %d | %s | %s | %s |" % (r["impl"], len(runs), " | ".join(cells), rat,
                                                            "; ".join(notes)))
            out.append("")
        for e in errors:
            out.append("- scenario %s failed: %s" % (s, e["error"]))
        out.append("")
    return "\n".join(out)


def render_micro(recs):
    out = ["| benchmark | prefixes/s | ns/prefix | runs | notes |", "|---|---|---|---|---|"]
    for r in recs:
        if r.get("error"):
            out.append("| (failed) | | | | %s |" % r["error"])
            continue
        runs = r.get("runs", [])
        rates = [x["rate"] for x in runs if x.get("rate")]
        if not rates:
            out.append("| %s | – | – | 0 | %s |" % (r.get("case"), r.get("note", "")))
            continue
        med = statistics.median(rates)
        out.append("| %s | %s (%s–%s) | %.0f | %d | %s |" % (
            r.get("case"), "{:,}".format(int(med)), "{:,}".format(int(min(rates))), "{:,}".format(int(max(rates))),
            1e9 / med, len(rates), r.get("note", "")))
    return "\n".join(out) + "\n"


BLOCKS = ("summary", "analysis")


def kept_blocks(path):
    """Hand-written parts of an existing report, between
    '<!-- begin NAME -->' and '<!-- end NAME -->' lines, kept by main()."""
    out = {}
    try:
        text = open(path).read()
    except OSError:
        return out
    for name in BLOCKS:
        b, e = "<!-- begin %s -->" % name, "<!-- end %s -->" % name
        if b in text and e in text:
            out[name] = text[text.index(b):text.index(e) + len(e)]
    return out


def render(meta, results, notes, blocks=None):
    m = meta["machine"]
    v = meta["versions"]
    lines = ["# fastbgp benchmark run", "",
             "Generated by `bench/bench.py` (`make bench`); methodology in [bench/README.md](../README.md).", "",
             "## Machine and versions", "",
             "- `uname -a`: %s" % m.get("uname"),
             "- CPU: %s; memory %s" % (m.get("cpu"), m.get("mem")),
             "- load average at start: %s; at end: %s" % (m.get("loadavg_start"), m.get("loadavg_end")),
             "- started %s, took %.0f s; %d repetition(s) per measurement%s" % (
                 meta.get("started"), meta.get("duration_s", 0), meta.get("reps", 0),
                 " (BENCH_QUICK)" if meta.get("quick") else ""),
             "- open files limit: %s" % meta.get("nofile"), ""]
    for k, val in v.items():
        lines.append("- %s: %s" % (k, val))
    for m2 in meta.get("merged", []):
        what = "scenarios %s come" % ", ".join(m2["scenarios"])
        if m2.get("rows"):
            what = "the %s rows of scenarios %s come" % (", ".join(m2.get("impls", [])), ", ".join(m2["scenarios"]))
        lines.append("- %s from a later run (%s); fastbgp there: %s" % (
            what, m2.get("started"), (m2.get("versions") or {}).get("fastbgp")))
    if meta.get("fastbgp_api"):
        a = meta["fastbgp_api"]
        lines += ["", "fastbgp process API probe: %s (%s)." % ("available" if a["available"] else "not available",
                                                              a["probe"])]
    blocks = blocks or {}
    if "summary" in blocks:
        lines += ["", blocks["summary"]]
    lines += ["", "## Results", "", render_tables(results)]
    if "analysis" in blocks:
        lines += [blocks["analysis"], ""]
    if notes.get("profiles"):
        lines += ["## Profiles", ""]
        for p in notes["profiles"]:
            lines.append("- [%s](../%s)" % (p, p))
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv):
    """report.py [--rows] OUT.md RUN.json [LATER.json ...]: re-renders a
    report; the scenarios found in a later file replace those of the earlier
    ones (to refresh one scenario of a full run), or with --rows only the
    rows it holds (to refresh fastbgp's rows after a change).  Machine and versions: first file.
    The hand-written blocks of an existing OUT.md (see kept_blocks) stay."""
    import json
    rows = len(argv) > 1 and argv[1] == "--rows"
    if rows:
        argv = argv[:1] + argv[2:]
    if len(argv) < 3:
        print(main.__doc__)
        return 2
    runs = [json.load(open(p)) for p in argv[2:]]
    meta, notes = runs[0]["meta"], dict(runs[0].get("notes", {}))
    results = list(runs[0]["results"])

    def row_key(r):
        return (r.get("scenario"), r.get("case"), r.get("impl"), r.get("other"))

    for later in runs[1:]:
        scen = {r.get("scenario") for r in later["results"]}
        if rows:
            # --rows: only the rows (scenario, case, implementation, other
            # side) of the later file replace the earlier ones, so a re-run
            # of fastbgp alone is compared with the earlier peers' rows.
            # Rows that were not run (no runs) do not replace measured ones;
            # a replaced row keeps its place in its table.
            fresh = {row_key(r): r for r in later["results"] if r.get("runs")}
            old_keys = {row_key(r) for r in results}
            results = [fresh.get(row_key(r), r) for r in results] + \
                [r for k, r in fresh.items() if k not in old_keys]
            scen = {k[0] for k in fresh}
        else:
            results = [r for r in results if r.get("scenario") not in scen] + later["results"]
        for k, v in later.get("notes", {}).items():
            if k == "profiles":
                notes["profiles"] = sorted(set(notes.get("profiles", []) + v))
            else:
                notes[k] = v
        meta.setdefault("merged", []).append({"scenarios": sorted(s for s in scen if s), "rows": rows,
                                              "impls": sorted({r.get("impl") for r in later["results"]
                                                               if r.get("runs") or not rows}),
                                              "started": later["meta"].get("started"),
                                              "versions": later["meta"].get("versions")})
    order = {s: i for i, s in enumerate(("a1", "a2", "a3", "b", "c", "d", "e"))}
    results.sort(key=lambda r: order.get(r.get("scenario"), 99))
    blocks = kept_blocks(argv[1])
    with open(argv[1], "w") as f:
        f.write(render(meta, results, notes, blocks))
    with open(argv[1].rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump({"meta": meta, "results": results, "notes": notes}, f, indent=1)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv))
