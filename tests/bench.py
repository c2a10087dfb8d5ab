#!/usr/bin/env python3
"""Timing and memory measurement for `make bench` (see tests/bench.sh).

    bench.py measure --label L --runs N --results FILE --pdf PDF
                     [--rows N | --rows-csv CSV] -- COMMAND ARGS...
        Runs COMMAND N times; appends one tab-separated line to FILE:
        label, rows, runs, median, min and max wall time (s), peak RSS (KB,
        the largest of the runs), PDF size (bytes) and page count (pdfinfo).
        If COMMAND fails, prints its messages and exits with its exit code.

    bench.py report --zongjie BINARY FILE
        Prints the table, the machine, and the verdict on the targets for
        the 100,000-row ledger.

    bench.py fonts --label L --log LOG --pdf PDF
        Font proofs: LOG is the stderr of `zongjie -vv` that wrote PDF.
        Prints per embedded font its glyphs, subset and load time, the
        FontFile2 stream's size as qpdf reads it from PDF (checked against
        what zongjie reported) and the floor zongjie computed: hb-subset's
        own output for the same characters, hinting dropped, deflated as
        libharu deflates the FontFile2 stream.  Targets: within 10% of the
        floor; subset + load a few ms (<= 5 ms) per font.  Needs qpdf.

Standard library only.  Wall time is time.perf_counter() around the child;
peak RSS is the child's own ru_maxrss, taken from os.wait4() for that one
child (RUSAGE_CHILDREN would be the maximum over every child so far).
"""

import argparse
import csv
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_SECONDS = 5.0
TARGET_RSS_MB = 300.0
FULL, BASE = 100000, 10000


def run_once(cmd):
    """Runs cmd; returns (exit code, wall seconds, peak RSS in KB, stderr)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        p.returncode = code         # reaped here, not by Popen
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return code, wall, ru.ru_maxrss, text


def pdf_pages(path):
    try:
        out = subprocess.run(["pdfinfo", path], capture_output=True,
                             text=True, check=False).stdout
    except OSError:
        return "?"
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def measure(a):
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        sys.exit("bench.py measure: no command")
    rows = a.rows if a.rows is not None else \
        (csv_rows(a.rows_csv) if a.rows_csv else 0)
    times, peak = [], 0
    for i in range(a.runs):
        code, wall, rss, err = run_once(cmd)
        if code != 0:
            sys.stderr.write(err)
            sys.stderr.write("bench: zongjie failed (exit %d): %s\n"
                             % (code, " ".join(cmd)))
            sys.exit(code if code > 0 else 128 - code)  # signal: 128+N
        times.append(wall)
        peak = max(peak, rss)
        sys.stderr.write("bench: %-8s run %d/%d  %7.3f s  %7.1f MB\n"
                         % (a.label, i + 1, a.runs, wall, rss / 1024))
    size = os.path.getsize(a.pdf)
    with open(a.results, "a", encoding="utf-8") as f:
        f.write("\t".join([a.label, str(rows), str(a.runs),
                           "%.3f" % statistics.median(times),
                           "%.3f" % min(times), "%.3f" % max(times),
                           str(peak), str(size), pdf_pages(a.pdf)]) + "\n")


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def report(a):
    try:
        version = subprocess.run([a.zongjie, "--version"], capture_output=True,
                                 text=True, check=False).stdout.strip()
    except OSError:
        version = "?"
    # ru_maxrss is the largest RSS the child had, and before exec it was
    # (a copy of) this Python process: so it never reads below that floor.
    # A peak above it is zongjie's own.
    _, _, floor_kb, _ = run_once(["true"])
    res = []
    with open(a.results, encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            res.append({"label": r[0], "rows": int(r[1]), "runs": int(r[2]),
                        "median": float(r[3]), "min": float(r[4]),
                        "max": float(r[5]), "rss": int(r[6]) / 1024,
                        "size": int(r[7]) / 1024, "pages": r[8]})

    print("zongjie benchmark: %s, %d cores (nproc), %s, %s %s"
          % (version or "?", len(os.sched_getaffinity(0)), cpu_model(),
             platform.system(), platform.machine()))
    print()
    hdr = ("report", "rows", "runs", "median s", "min s", "max s",
           "peak RSS MB", "PDF KB", "pages")
    fmt = "%-8s %7s %4s %9s %8s %8s %11s %9s %6s"
    print(fmt % hdr)
    for r in res:
        print(fmt % (r["label"], r["rows"], r["runs"],
                     "%.3f" % r["median"], "%.3f" % r["min"],
                     "%.3f" % r["max"], "%.1f" % r["rss"],
                     "%.0f" % r["size"], r["pages"]))
    print()
    print("sample = config/report.ini on input/2021-12 (rows: projects.csv); "
          "the others are tests/bench/ledger.ini")
    print("on tests/gen_ledger.py data. Wall time: median of the runs; peak "
          "RSS: largest of the runs")
    print("(floor: a child is charged its launcher's %.1f MB until exec, "
          "so /bin/true shows that)." % (floor_kb / 1024))
    print()
    by_rows = {r["rows"]: r for r in res if r["label"] != "sample"}
    full = by_rows.get(FULL)
    if full is None:
        print("targets (%d rows): not measured" % FULL)
    else:
        t_ok = full["median"] <= TARGET_SECONDS
        m_ok = full["rss"] <= TARGET_RSS_MB
        print("targets for %d rows: median %.2f s (<= %.0f s: %s), "
              "peak RSS %.1f MB (<= %.0f MB: %s) -> %s"
              % (FULL, full["median"], TARGET_SECONDS,
                 "met" if t_ok else "MISSED", full["rss"], TARGET_RSS_MB,
                 "met" if m_ok else "MISSED",
                 "targets met" if t_ok and m_ok else "TARGETS MISSED"))
    base = by_rows.get(BASE)
    if full is not None and base is not None and base["median"] > 0:
        print("growth: time(%dk)/time(%dk) = %.1f (linear growth: about %d)"
              % (FULL // 1000, BASE // 1000, full["median"] / base["median"],
                 FULL // BASE))
    else:
        print("growth: time(%dk)/time(%dk): not measured"
              % (FULL // 1000, BASE // 1000))


FONT_RE = re.compile(
    r"debug: font (?P<roles>\S+) (?P<face>.*): (?P<glyphs>\d+) glyphs, "
    r"subset (?P<subset>[\d.]+) ms, load (?P<load>[\d.]+) ms, "
    r"(?P<emb>-?\d+) bytes \(FontFile2 (?P<name>.*?), subset "
    r"(?P<raw>\d+) bytes, floor (?P<floor>\d+) bytes")
FLOOR_MARGIN = 0.10
FONT_MS = 5.0


def qpdf_fontfiles(pdf):
    """{FontName without the subset tag: FontFile2 stream length}."""
    out = subprocess.run(["qpdf", "--json=2", "--json-key=qpdf", pdf],
                         capture_output=True, text=True, check=True).stdout
    objs = json.loads(out)["qpdf"][1]

    def value(ref):
        v = objs["obj:" + ref] if isinstance(ref, str) else {"value": ref}
        return v.get("value")

    res = {}
    for v in objs.values():
        d = v.get("value")
        if not (isinstance(d, dict) and d.get("/Type") == "/FontDescriptor"
                and "/FontFile2" in d):
            continue
        stream = objs["obj:" + d["/FontFile2"]]["stream"]["dict"]
        name = d["/FontName"].lstrip("/")
        res[name.split("+", 1)[-1]] = int(value(stream["/Length"]))
    return res


def fonts(a):
    with open(a.log, encoding="utf-8", errors="replace") as f:
        rows = [m.groupdict() for m in map(FONT_RE.search, f) if m]
    if not rows:
        sys.exit("bench.py fonts: no 'font' lines in %s (zongjie -vv)"
                 % a.log)
    try:
        files = qpdf_fontfiles(a.pdf)
    except (OSError, subprocess.CalledProcessError, ValueError) as e:
        print("fonts (%s): qpdf could not read %s: %s" % (a.label, a.pdf, e))
        files = {}
    print("embedded fonts, %s (floor: hb-subset output, no hinting, "
          "deflated like FontFile2)" % a.label)
    fmt = "%-22s %-26s %6s %9s %8s %10s %10s %7s %s"
    print(fmt % ("roles", "face", "glyphs", "subset ms", "load ms",
                 "FontFile2", "floor", "+floor", "verdict"))
    bad = 0
    for r in rows:
        emb = files.get(r["name"])
        if emb is None:
            emb, src = int(r["emb"]), "?"
        else:
            src = "" if emb == int(r["emb"]) else " (zongjie said %s)" % r["emb"]
        floor = int(r["floor"])
        over = emb / floor - 1 if floor > 0 else float("nan")
        ms = float(r["subset"]) + float(r["load"])
        size_ok = floor > 0 and over <= FLOOR_MARGIN
        time_ok = ms <= FONT_MS
        bad += (not size_ok) + (not time_ok)
        face = r["face"].split(" (")[0]
        print(fmt % (r["roles"], face[:26], r["glyphs"], r["subset"],
                     r["load"], str(emb) + src, floor, "%+.1f%%" % (over * 100),
                     ("size ok" if size_ok else "SIZE > floor+10%") + ", " +
                     ("time ok" if time_ok else "TIME > %g ms" % FONT_MS)))
    print("fonts (%s): %d of %d within %d%% of the floor, %d of %d subset+load "
          "<= %g ms" % (a.label,
                        sum(1 for r in rows if int(r["floor"]) > 0 and
                            files.get(r["name"], int(r["emb"])) <=
                            int(r["floor"]) * (1 + FLOOR_MARGIN)),
                        len(rows), FLOOR_MARGIN * 100,
                        sum(1 for r in rows if float(r["subset"]) +
                            float(r["load"]) <= FONT_MS), len(rows), FONT_MS))
    print()


def main():
    ap = argparse.ArgumentParser(prog="bench.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--label", required=True)
    m.add_argument("--runs", type=int, default=3)
    m.add_argument("--results", required=True)
    m.add_argument("--pdf", required=True)
    m.add_argument("--rows", type=int)
    m.add_argument("--rows-csv")
    m.add_argument("command", nargs=argparse.REMAINDER)
    r = sub.add_parser("report")
    r.add_argument("--zongjie", required=True)
    r.add_argument("results")
    fo = sub.add_parser("fonts")
    fo.add_argument("--label", required=True)
    fo.add_argument("--log", required=True)
    fo.add_argument("--pdf", required=True)
    a = ap.parse_args()
    if a.cmd == "measure":
        measure(a)
    elif a.cmd == "fonts":
        fonts(a)
    else:
        report(a)


if __name__ == "__main__":
    main()
