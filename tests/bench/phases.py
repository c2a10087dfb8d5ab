#!/usr/bin/env python3
"""`make profile`: perf samples of zongjie split into the pipeline's phases.

    phases.py PERF_DATA COMM [RUNS [HZ]]
        Reads the samples of the program COMM (its first 15 characters)
        in `perf script` of a `perf record -e cpu-clock --call-graph fp`
        (tests/bench/profile.sh) and prints, per phase, the share of the
        samples and the CPU milliseconds per run, then the top symbols.
        A sample is put in a phase by the library it was taken in (zlib is
        deflate, hb-subset is subsetting, fontconfig/expat is font lookup,
        ld.so is dynamic loading) or else by the first function of the
        phase on its call chain (zongjie is built with frame pointers by
        profile.sh; the Debian libraries are not, so their samples are
        placed by library).  Standard library only.
"""
import collections
import re
import subprocess
import sys

# first match wins: (phase, library substrings, functions on the chain)
PHASES = [
    ("start: dynamic loading", ("ld-linux",), ("_dl_start", "_dl_init",
                                              "dl_main", "_dl_catch_exception")),
    ("deflate (zlib)", ("libz.so",), ("flate_buf", "deflate_pages",
                                      "deflated_stream")),
    ("fonts: hb-subset", ("libharfbuzz-subset",), ("fnt_subset", "run_job")),
    ("fonts: fontconfig lookup", ("libfontconfig", "libexpat",
                                  "libfreetype"), ("fc_config",
                                                   "fc_find_file",
                                                   "open_family")),
    ("fonts: open, measure", ("libharfbuzz.so",), ("fnt_open", "rnd_create",
                                                   "face_load")),
    ("config (INI)", ("libiniparser",), ("cfg_load", "cfg_set_base",
                                         "cfg_read_mail")),
    ("CSV + model", ("libcsv",), ("load_sources", "data_load", "load_run",
                                  "eval_doc", "build_doc")),
    ("layout", ("libunibreak",), ("layout_doc", "lay_run", "lay_stream")),
    ("write: fonts embedded", (), ("load_fonts", "embed_face")),
    ("write: pages, PDF", ("libhpdf",), ("rnd_write", "write_pdf",
                                         "write_outputs")),
    ("extras (figures, review)", (), ("write_extras",)),
    ("start: libc, main", (), ("main", "__libc_start_main",
                               "__libc_start_call_main", "_start")),
]


def parse(data, comm):
    out = subprocess.run(["perf", "script", "-i", data, "-F",
                          "comm,tid,ip,sym,dso"],
                         capture_output=True, text=True, check=True).stdout
    samples, cur = [], None
    for line in out.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            cur = {"comm": line.split()[0], "chain": []}
            if cur["comm"] == comm:
                samples.append(cur)
            continue
        m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
        if m and cur is not None:
            sym = m.group(1).split("+")[0]
            cur["chain"].append((sym, m.group(2)))
    return samples


KERNEL_ONLY = "start: exec, kernel (no user frame)"
LIBC = "libc: malloc, munmap, open (caller lost)"


def phase_of(chain):
    """A kernel sample (page fault, system call) goes with the user code
    it interrupted: its first user frame and the chain above it."""
    user = [(s, d) for s, d in chain if "kernel" not in d]
    if not user:
        return KERNEL_ONLY if chain else "other"
    dso = user[0][1]
    for name, libs, _ in PHASES:
        if any(l in dso for l in libs):
            return name
    for s, _ in user:
        for name, _, fns in PHASES:
            if s in fns:
                return name
    if "libc.so" in dso:
        return LIBC
    return "other"


def main():
    data, comm = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    hz = float(sys.argv[4]) if len(sys.argv) > 4 else 999.0
    samples = parse(data, comm[:15])
    n = len(samples)
    if n == 0:
        print("no samples")
        return 1
    cnt = collections.Counter(phase_of(s["chain"]) for s in samples)
    order = [KERNEL_ONLY] + [p[0] for p in PHASES] + [LIBC, "other"]
    print("%-46s %7s %12s" % ("phase", "share", "ms CPU/run"))
    for p in order:
        if cnt[p]:
            print("%-46s %6.1f%% %12.1f" % (p, 100.0 * cnt[p] / n,
                                            1000.0 * cnt[p] / hz / runs))
    print("%-46s %6.1f%% %12.1f" % ("total", 100.0, 1000.0 * n / hz / runs))
    top = collections.Counter()
    for s in samples:
        if s["chain"]:
            sym, dso = s["chain"][0]
            top["%s (%s)" % (sym, dso.split("/")[-1])] += 1
    print("\ntop symbols (self)")
    for k, v in top.most_common(15):
        print("%6.1f%%  %s" % (100.0 * v / n, k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
