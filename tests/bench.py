#!/usr/bin/env python3
"""`make bench`: zongjie against its peers in the same run (see tests/bench.sh).

    bench.py run --zongjie BINARY --runner RUNNER --hello HELLO
                 [--typst PACKAGE_DIR | --no-typst REASON]
                 [--xelatex XELATEX | --no-xelatex REASON]
                 [--sizes "50 10000 100000"] [--budget SECONDS]
        For each ledger size: tests/gen_ledger.py writes the data into
        tests/tmp/bench/2021-12/, tests/bench/peers.py writes the same report
        as a Typst and a XeLaTeX document, and zongjie (tests/bench/ledger.ini)
        and each peer run in pairs: run i of every tool, the order rotated
        from one pair to the next (so drift on this shared machine falls on
        all tools alike).  Then the sample (config/report.ini), `zongjie
        --version` against HELLO (a C program that links only libc), the
        font proofs, and one table with time, peak RSS, zongjie ÷ peer per
        size, and PASS/FAIL for every target of issue 16.  A peer is skipped
        at a size, with the reason printed, when its time at the size before
        predicts more than --budget seconds for its runs there.
        Exit code: 0 when every run succeeded (targets never fail the build),
        1 when zongjie or a peer failed (its messages are printed).

    bench.py fonts --label L --log LOG --pdf PDF
        The font proofs alone (LOG: stderr of `zongjie -vv` that wrote PDF).

Every run goes through RUNNER (tests/bench/runner.c): wall time from fork
to wait4, and the child's own peak RSS (ru_maxrss, with the children it
waited for: xelatex's xdvipdfmx), with a launcher floor of about 1 MB.
Standard library only; needs qpdf for the PDF checks.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), os.pardir))
TMP = os.path.join("tests", "tmp", "bench")     # ledger.ini reads from here
DATA = os.path.join(TMP, "2021-12")

# Issue 16's targets.
T_TYPST_RATIO = 0.10        # 50 rows: zongjie <= 1/10 of Typst's time
T_RSS_50 = 20.0             # MiB, 50 rows
T_RSS_SAMPLE = 25.0         # MiB, the sample report
T_VERSION = 2.0             # --version within 2x of libc-only
T_100K_S = 2.5              # s
T_XELATEX_RATIO = 1 / 15    # 100k rows: >= 15x faster than XeLaTeX
T_1M_S = 30.0               # s
T_FLAT = 1.5                # RSS(1M) <= 1.5 x RSS(10k)
T_FONT = 0.05               # FontFile2 within 5 % of the floor


class RunError(Exception):
    pass


def runner_run(runner, cmd, cwd=ROOT):
    """Runs cmd once through the runner: (wall s, peak RSS KiB)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.run([runner] + cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=err, check=False)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    try:
        wall, rss, code = p.stdout.split()
        wall, rss, code = float(wall), int(rss), int(code)
    except ValueError:
        raise RunError("runner failed on %s: %s" % (" ".join(cmd), text))
    if code != 0:
        raise RunError("%s\nexit %d: %s" % (text.rstrip()[-3000:], code,
                                            " ".join(cmd)))
    return wall, rss


class Tool:
    """A program under test at one size: its command and its runs."""

    def __init__(self, name, cmd, cwd=ROOT):
        self.name, self.cmd, self.cwd = name, cmd, cwd
        self.times, self.rss = [], []

    def run(self, runner):
        wall, rss = runner_run(runner, self.cmd, self.cwd)
        self.times.append(wall)
        self.rss.append(rss)
        return wall, rss

    def median(self):
        return statistics.median(self.times) if self.times else None

    def peak_mib(self):
        return max(self.rss) / 1024 if self.rss else None


def log(msg):
    sys.stderr.write("bench: " + msg + "\n")
    sys.stderr.flush()


def paired(runner, tools, pairs, label):
    """Runs every tool pairs times, alternating; rotates the order."""
    for i in range(pairs):
        k = i % len(tools)
        for t in tools[k:] + tools[:k]:
            wall, rss = t.run(runner)
            log("%-8s %-8s run %d/%d %8.3f s %8.1f MiB"
                % (label, t.name, i + 1, pairs, wall, rss / 1024))


def pair_ratio(z, p):
    """Median over pairs of zongjie's time ÷ the peer's."""
    rs = [a / b for a, b in zip(z.times, p.times) if b > 0]
    return statistics.median(rs) if rs else None


def gen_data(n):
    subprocess.run([sys.executable, "tests/gen_ledger.py", str(n), DATA],
                   cwd=ROOT, check=True)


def size_tools(a, n, est):
    """The tools for size n (zongjie first) and the peers skipped there."""
    out = os.path.join(TMP, "out-%d.pdf" % n)
    tools = [Tool("zongjie", [a.zongjie, "-c", "tests/bench/ledger.ini",
                              "-p", "2021-12", "-o", out])]
    skipped = []
    pairs = a.pairs(n)
    for name in ("typst", "xelatex"):
        why = a.peer_skip.get(name)
        if why is None and name in est and est[name] * pairs > a.budget:
            why = ("%d runs would take ~%.0f s (%.1f s per run, from the "
                   "size before), over the %.0f s budget (BENCH_BUDGET)"
                   % (pairs, est[name] * pairs, est[name], a.budget))
        if why is not None:
            skipped.append((name, why))
            continue
        d = os.path.join(ROOT, TMP, "%s-%d" % (name, n))
        os.makedirs(d, exist_ok=True)
        kind = "typst" if name == "typst" else "tex"
        src = os.path.join(d, "doc." + ("typ" if kind == "typst" else "tex"))
        subprocess.run([sys.executable, "tests/bench/peers.py", kind, DATA,
                        src], cwd=ROOT, check=True)
        if name == "typst":
            cmd = ["node", os.path.join(ROOT, "tests/bench/typst-compile.js"),
                   a.typst, src, os.path.join(d, "doc.pdf")]
        else:
            cmd = [a.xelatex, "-interaction=batchmode", "-halt-on-error",
                   "-output-directory", d, src]
        tools.append(Tool(name, cmd, cwd=d))
    return tools, skipped


def bench_sizes(a):
    """{rows: (tools, skipped)}; peers' time per row carried forward."""
    res, est = {}, {}
    for idx, n in enumerate(a.sizes):
        gen_data(n)
        tools, skipped = size_tools(a, n, est)
        if idx == 0:        # warm the page cache and font caches, untimed
            for t in tools:
                runner_run(a.runner, t.cmd, t.cwd)
        paired(a.runner, tools, a.pairs(n), str(n))
        # linear in rows from 10,000 rows on (below, start-up dominates)
        grow = a.sizes[idx + 1] / n if idx + 1 < len(a.sizes) else 1
        for t in tools[1:]:
            if n >= 10000:
                est[t.name] = t.median() * grow
        for name, why in skipped:
            log("%s skipped at %d rows: %s" % (name, n, why))
            if name in est:
                est[name] *= grow
        res[n] = (tools, skipped)
    return res, (a.sizes[-1] if a.sizes else None)


def bench_sample(a):
    t = Tool("zongjie", [a.zongjie, "-c", "config/report.ini", "-p",
                         "2021-12", "-o", os.path.join(TMP, "sample.pdf")])
    paired(a.runner, [t], 5, "sample")
    return t


def bench_version(a):
    z = Tool("zongjie", [a.zongjie, "--version"])
    h = Tool("libc", [a.hello])
    z.run(a.runner)
    h.run(a.runner)
    z.times, h.times, z.rss, h.rss = [], [], [], []
    for i in range(30):
        for t in ((z, h) if i % 2 == 0 else (h, z)):
            t.run(a.runner)
    return z, h


def fmt(v, f="%.3f"):
    return "-" if v is None else f % v


def verdict(ok):
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def peer_versions(a):
    out = []
    if "typst" not in a.peer_skip:
        try:
            with open(os.path.join(a.typst, "package.json")) as f:
                v = json.load(f)["version"]
            node = subprocess.run(["node", "--version"], capture_output=True,
                                  text=True).stdout.strip()
            out.append("Typst 0.14 (npm @myriaddreamin/typst-ts-node-compiler"
                       " %s, node %s)" % (v, node))
        except (OSError, ValueError, KeyError):
            out.append("Typst (version unknown)")
    if "xelatex" not in a.peer_skip:
        v = subprocess.run([a.xelatex, "--version"], capture_output=True,
                           text=True).stdout.splitlines()
        out.append(v[0] if v else "XeLaTeX")
    return ", ".join(out) or "none"


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def print_table(res):
    print("%-8s %-8s %5s %9s %9s %9s %10s %8s  %s"
          % ("rows", "program", "runs", "median s", "min s", "max s",
             "peak MiB", "pages", "zongjie ÷ program (paired)"))
    for n, (tools, skipped) in res.items():
        z = tools[0]
        for t in tools:
            r = None if t is z else pair_ratio(z, t)
            print("%-8s %-8s %5d %9s %9s %9s %10s %8s  %s"
                  % (n, t.name, len(t.times), fmt(t.median()),
                     fmt(min(t.times)), fmt(max(t.times)),
                     fmt(t.peak_mib(), "%.1f"), pdf_pages(t),
                     "" if r is None else "%.3f (1/%.1f)" % (r, 1 / r)))
        for name, why in skipped:
            print("%-8s %-8s skipped: %s" % (n, name, why))


def pdf_pages(t):
    if t.name == "zongjie":
        pdf = t.cmd[t.cmd.index("-o") + 1]
        path = os.path.join(ROOT, pdf)
    else:
        path = os.path.join(t.cwd, "doc.pdf")
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True,
                             text=True, check=False).stdout
    except OSError:
        return "?"
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def targets(a, res, sample, ver, fonts_ok, maps_ok):
    """[(verdict, text)] for issue 16's targets."""
    tv = []

    def get(n, name):
        for t in res.get(n, ([], []))[0]:
            if t.name == name:
                return t
        return None

    def add(ok, text):
        tv.append((verdict(ok), text))

    z50, ty50 = get(50, "zongjie"), get(50, "typst")
    if z50 and ty50:
        r = pair_ratio(z50, ty50)
        add(r <= T_TYPST_RATIO, "50 rows: zongjie ÷ Typst %.3f (1/%.1f), "
            "target <= 1/10" % (r, 1 / r))
    else:
        add(None, "50 rows: zongjie ÷ Typst not measured (%s)"
            % a.peer_skip.get("typst", "no 50-row size"))
    if z50:
        add(z50.peak_mib() <= T_RSS_50, "50 rows: peak RSS %.1f MiB, target "
            "<= %.0f MiB" % (z50.peak_mib(), T_RSS_50))
    add(sample.peak_mib() <= T_RSS_SAMPLE, "sample: peak RSS %.1f MiB, "
        "target <= %.0f MiB (%.3f s)" % (sample.peak_mib(), T_RSS_SAMPLE,
                                         sample.median()))
    zv, hv = ver
    r = zv.median() / hv.median()
    add(r <= T_VERSION, "--version: %.2f ms vs %.2f ms for libc-only C, "
        "ratio %.1f, target <= %.0f" % (zv.median() * 1e3, hv.median() * 1e3,
                                        r, T_VERSION))
    z100 = get(100000, "zongjie")
    if z100:
        add(z100.median() <= T_100K_S, "100k rows: %.2f s, target <= %.1f s"
            % (z100.median(), T_100K_S))
        x100 = get(100000, "xelatex")
        if x100:
            r = pair_ratio(z100, x100)
            add(r <= T_XELATEX_RATIO, "100k rows: zongjie ÷ XeLaTeX %.3f "
                "(1/%.1f), target <= 1/15" % (r, 1 / r))
        else:
            add(None, "100k rows: zongjie ÷ XeLaTeX not measured")
    else:
        add(None, "100k rows: not measured")
    z1m, z10k = get(1000000, "zongjie"), get(10000, "zongjie")
    if z1m:
        add(z1m.median() <= T_1M_S, "1M rows: %.1f s, target <= %.0f s"
            % (z1m.median(), T_1M_S))
    else:
        add(None, "1M rows: not measured here (make bench-1m)")
    if z1m and z10k:
        r = z1m.peak_mib() / z10k.peak_mib()
        add(r <= T_FLAT, "flat memory: RSS 1M %.1f MiB ÷ 10k %.1f MiB = %.2f, "
            "target <= %.1f" % (z1m.peak_mib(), z10k.peak_mib(), r, T_FLAT))
    else:
        big = [n for n in res if n > 10000 and get(n, "zongjie")]
        if z10k and big:
            zb = get(max(big), "zongjie")
            add(None, "flat memory: RSS 1M not measured (make bench-1m); "
                "%d rows %.1f MiB ÷ 10k %.1f MiB = %.2f"
                % (max(big), zb.peak_mib(), z10k.peak_mib(),
                   zb.peak_mib() / z10k.peak_mib()))
        else:
            add(None, "flat memory: not measured")
    add(fonts_ok[0], "fonts: %s" % fonts_ok[1])
    add(maps_ok[0], "CID maps: %s" % maps_ok[1])
    return tv


# ---- PDF checks -------------------------------------------------------

FONT_RE = None


def font_lines(logpath):
    import re
    global FONT_RE
    if FONT_RE is None:
        FONT_RE = re.compile(
            r"debug: font (?P<roles>\S+) (?P<face>.*): (?P<glyphs>\d+) "
            r"glyphs, subset (?P<subset>[\d.]+) ms, load (?P<load>[\d.]+) "
            r"ms, (?P<emb>-?\d+) bytes \(FontFile[23] (?P<name>.*?), subset "
            r"(?P<raw>\d+) bytes, floor (?P<floor>\d+) bytes")
    with open(logpath, encoding="utf-8", errors="replace") as f:
        return [m.groupdict() for m in map(FONT_RE.search, f) if m]


def qpdf_objects(pdf):
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", pdf],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["qpdf"][1]


def stream_data(pdf, ref):
    """The decoded data of indirect object ref ("12 0 R")."""
    n = ref.split()[0]
    return subprocess.run(["qpdf", "--show-object=" + n,
                           "--filtered-stream-data", pdf],
                          capture_output=True, check=True).stdout


def fontfile_sizes(objs):
    """{FontName without the subset tag: FontFile2/3 stream length}."""
    res = {}
    for v in objs.values():
        d = v.get("value")
        if not (isinstance(d, dict) and d.get("/Type") == "/FontDescriptor"):
            continue
        key = next((k for k in ("/FontFile2", "/FontFile3", "/FontFile")
                    if k in d), None)
        if key is None:
            continue
        sd = objs["obj:" + d[key]]["stream"]["dict"]
        ln = sd["/Length"]
        if isinstance(ln, str):
            ln = objs["obj:" + ln]["value"]
        res[d["/FontName"].lstrip("/").split("+", 1)[-1]] = int(ln)
    return res


def fonts(label, logpath, pdf):
    """Prints the font table; returns (all within 5 %, glyphs)."""
    rows = font_lines(logpath)
    if not rows:
        print("fonts (%s): no 'font' lines in %s (zongjie -vv)"
              % (label, logpath))
        return None
    try:
        files = fontfile_sizes(qpdf_objects(pdf))
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError) as e:
        print("fonts (%s): qpdf could not read %s: %s" % (label, pdf, e))
        files = {}
    print("embedded fonts, %s (floor: hb-subset's output, no hinting, "
          "deflated alike)" % label)
    f = "%-22s %-24s %6s %9s %8s %10s %10s %7s"
    print(f % ("roles", "face", "glyphs", "subset ms", "load ms", "embedded",
               "floor", "+floor"))
    ok = True
    for r in rows:
        emb = files.get(r["name"], int(r["emb"]))
        floor = int(r["floor"])
        over = emb / floor - 1 if floor > 0 else float("inf")
        ok = ok and over <= T_FONT
        print(f % (r["roles"], r["face"].split(" (")[0][:24], r["glyphs"],
                   r["subset"], r["load"], emb, floor, "%+.1f%%" % (over * 100)))
    print()
    return ok


def cid_maps(pdf):
    """(ok, text): no CIDToGIDMap stream maps many more CIDs than glyphs."""
    objs = qpdf_objects(pdf)
    worst, nmaps = None, 0
    for v in objs.values():
        d = v.get("value")
        if not (isinstance(d, dict) and "/CIDToGIDMap" in d):
            continue
        m = d["/CIDToGIDMap"]
        if not (isinstance(m, str) and m.endswith(" R")):
            continue        # /Identity
        nmaps += 1
        data = stream_data(pdf, m)
        cids = len(data) // 2
        used = sum(1 for i in range(0, len(data) - 1, 2)
                   if data[i] or data[i + 1])
        if worst is None or len(data) > worst[0]:
            worst = (len(data), cids, used)
    if worst is None:
        return True, "no CIDToGIDMap streams (Identity)"
    size, cids, used = worst
    ok = cids <= 2 * (used + 1)
    return ok, ("%d CIDToGIDMap stream(s); largest %d bytes decoded for %d "
                "glyphs (target: no map for more than twice the glyphs used)"
                % (nmaps, size, used))


# ---- main -------------------------------------------------------------

def run(a):
    a.sizes = [int(s) for s in a.sizes.split()]
    a.peer_skip = {}
    if a.no_typst is not None or not a.typst:
        a.peer_skip["typst"] = a.no_typst or "not installed"
    if a.no_xelatex is not None or not a.xelatex:
        a.peer_skip["xelatex"] = a.no_xelatex or "not installed"
    a.pairs = lambda n: 5 if n <= 1000 else (3 if n <= 10000 else
                                             (2 if n <= 100000 else 1))
    os.makedirs(os.path.join(ROOT, TMP), exist_ok=True)
    for name, why in a.peer_skip.items():
        log("%s skipped: %s" % (name, why))
    try:
        res, last = bench_sizes(a)
        sample = bench_sample(a)
        ver = bench_version(a)
        logs = {}
        for label, cfg in (("sample", "config/report.ini"),
                           ("%s rows" % last, "tests/bench/ledger.ini")):
            if label.endswith("rows") and last is None:
                continue
            pdf = os.path.join(TMP, "fonts-%s.pdf" % label.split()[0])
            lg = os.path.join(ROOT, TMP, "fonts-%s.log" % label.split()[0])
            with open(lg, "w") as err:
                rc = subprocess.run([a.zongjie, "-vv", "-c", cfg, "-p",
                                     "2021-12", "-o", pdf], cwd=ROOT,
                                    stderr=err, check=False).returncode
            if rc != 0:
                raise RunError(open(lg).read())
            logs[label] = (lg, os.path.join(ROOT, pdf))
    except (RunError, subprocess.CalledProcessError) as e:
        sys.stderr.write("bench: a run failed:\n%s\n" % e)
        return 1

    print()
    print("zongjie benchmark: %s, %d cores, %s" % (
        subprocess.run([a.zongjie, "--version"], capture_output=True,
                       text=True).stdout.strip(), os.cpu_count() or 0,
        cpu_model()))
    print("peers: %s" % peer_versions(a))
    print("load average at the end: %s" % " ".join(
        "%.2f" % x for x in os.getloadavg()))
    print()
    print_table(res)
    print()
    print("same content for every program: tests/bench/ledger.ini on "
          "tests/gen_ledger.py data; Typst and XeLaTeX get it from "
          "tests/bench/peers.py. Runs are paired (one of each program in "
          "turn, the order rotated); ratio = median over pairs.")
    print()
    fonts_ok, maps = [], None
    for label, (lg, pdf) in logs.items():
        fonts_ok.append(fonts(label, lg, pdf))
    maps = cid_maps(logs["sample"][1])
    fv = [x for x in fonts_ok if x is not None]
    fonts_t = (None, "not measured (no -vv font lines)") if not fv else \
        (all(fv), "every embedded font within %d %% of hb-subset's output "
         "deflated alike: %s" % (T_FONT * 100, "yes" if all(fv) else "no"))
    print("targets (issue 16):")
    for v, text in targets(a, res, sample, ver, fonts_t, maps):
        print("  %s  %s" % (v, text))
    return 0


def main():
    ap = argparse.ArgumentParser(prog="bench.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--zongjie", required=True)
    r.add_argument("--runner", required=True)
    r.add_argument("--hello", required=True)
    r.add_argument("--typst")
    r.add_argument("--no-typst")
    r.add_argument("--xelatex")
    r.add_argument("--no-xelatex")
    r.add_argument("--sizes", default="50 10000 100000")
    r.add_argument("--budget", type=float, default=150.0)
    fo = sub.add_parser("fonts")
    fo.add_argument("--label", required=True)
    fo.add_argument("--log", required=True)
    fo.add_argument("--pdf", required=True)
    a = ap.parse_args()
    if a.cmd == "fonts":
        ok = fonts(a.label, a.log, a.pdf)
        return 0 if ok is not None else 1
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
