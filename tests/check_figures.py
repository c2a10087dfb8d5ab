#!/usr/bin/env python3
"""Figures-sheet check: the sheet zongjie writes with --figures must list
every placeholder of the template and of the INI's [report] texts, and the
source cells it names must be the cells this script finds in the CSV files
itself (independent re-computation, as tests/check_text.py does for the
text): lookups KEY/COLUMN -> file:line:column, growth/share/diff of
lookups, count/sum with a where-condition -> the lines of the rows that
match, table columns computed per row, 合计 cells (and their unrounded
value, 原值, re-computed from those cells), chart series.

usage: check_figures.py REPORT.INI PERIOD SHEET.csv PAGES
Prints what it verified; exits 1 listing each mismatch."""
import configparser
import csv
import os
import io
import re
import sys

ini_path, period, sheet_path, npages = sys.argv[1:5]
npages = int(npages)
errors = []


def err(msg):
    errors.append(msg)


ini = configparser.ConfigParser(inline_comment_prefixes=(";", "#"),
                                interpolation=None, strict=False)
ini.optionxform = str
ini.read(ini_path, encoding="utf-8")
year, month = period.split("-")
prev_year = "%d" % (int(year) - 1)


def based(p):
    """A path of the INI as zongjie resolves it: against the INI's
    directory, absolute and normalised, as the sheet names files."""
    return os.path.normpath(os.path.join(
        os.path.dirname(os.path.abspath(ini_path)), p))


def expand(p):
    return (p.replace("{period}", period).replace("{year}", year)
            .replace("{month}", month).replace("{prev_year}", prev_year))


# ---- the CSV sources, read here: each record with its line and the
# character column of each field
class Source:
    def __init__(self, name, sec):
        self.name = name
        self.path = based(expand(sec["file"]))
        with open(self.path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        lines = text.split("\n")
        rdr = csv.reader(io.StringIO(text, newline=""))
        self.header = None
        self.rows = []          # (line, {column: (value, col)})
        prev = 0
        for rec in rdr:
            line = prev + 1
            prev = rdr.line_num
            if self.header is None:
                self.header = [h.strip() for h in rec]
                continue
            cols = field_columns(lines[line - 1])
            if len(cols) != len(rec):
                cols = [0] * len(rec)   # a multi-line record: not checked
            self.rows.append((line, {h: (rec[i].strip(), cols[i])
                                     for i, h in enumerate(self.header)
                                     if i < len(rec)}))
        self.key = sec.get("key", self.header[0]).strip()
        if sec.get("exclude"):
            err("%s: exclude rules are not re-implemented here" % name)

    def find(self, key):
        hits = [r for r in self.rows if r[1].get(self.key, ("",))[0] == key]
        return hits[0] if len(hits) == 1 else None


def field_columns(line):
    """1-based character column where each field of a one-line CSV record
    starts (RFC 4180 quotes)."""
    cols, i, n = [1], 0, len(line.rstrip("\r"))
    quoted = False
    while i < n:
        c = line[i]
        if quoted:
            if c == '"':
                if i + 1 < n and line[i + 1] == '"':
                    i += 1
                else:
                    quoted = False
        elif c == '"':
            quoted = True
        elif c == ",":
            cols.append(i + 2)
        i += 1
    return cols


sources = {s[5:]: Source(s[5:], ini[s]) for s in ini.sections()
           if s.startswith("data.")}


def cell_text(src, row, column):
    line, fields = row
    return "%s:%d:%d %s [%s]" % (src.path, line, fields[column][1], column,
                                 fields[src.key][0])


def number(s):
    try:
        return float(s.replace(",", "").rstrip("%"))
    except ValueError:
        return None


def matches(fields, cond):
    """The where-conditions of the sample: A = B, A != B, A >= N ...,
    joined by 'and'."""
    for part in re.split(r"\s+and\s+", cond.strip()):
        m = re.match(r"^(.+?)\s*(>=|<=|!=|=|>|<)\s*(.+)$", part.strip())
        if not m:
            raise ValueError("condition %r" % part)
        col, op, want = m.group(1).strip(), m.group(2), m.group(3).strip()
        have = fields.get(col, ("",))[0]
        a, b = number(have), number(want)
        if op in ("=", "!=") and (a is None or b is None):
            ok = (have == want) == (op == "=")
        elif a is None or b is None:
            ok = False
        else:
            ok = {"=": a == b, "!=": a != b, ">=": a >= b, "<=": a <= b,
                  ">": a > b, "<": a < b}[op]
        if not ok:
            return False
    return True


def rows_text(src, column, rows):
    """The sheet's text for an aggregate's cells of one column."""
    lines = [r[0] for r in rows]
    s = "%s %s, %d %s: lines %s" % (src.path, column, len(lines),
                                     "row" if len(lines) == 1 else "rows",
                                     ", ".join(map(str, lines[:20])))
    if len(lines) > 20:
        s += ", … (first 20)"
    return s


def aggregate(src, column, cond):
    """Rows an aggregate reads (blank cells of column skipped) and the
    rows it skips."""
    rows = [r for r in src.rows if cond is None or matches(r[1], cond)]
    used = [r for r in rows if r[1].get(column, ("",))[0] != ""]
    return used, [r for r in rows if r[1].get(column, ("",))[0] == ""]


LOOKUP = re.compile(r'(\w+)\[\s*"?([^\]"]+?)"?\s*\]\.([^\s,)|]+)')
AGG = re.compile(r'^(count|sum)\((\w+)(?:\.([^\s)]+))?(?:\s+where\s+(.+?))?\)$')


def expected_sources(expr):
    """The sources text for an expression of the forms the sample uses, or
    None when this script does not re-implement it."""
    e = expr.split("|")[0].strip()
    if re.fullmatch(r"(growth|share|diff)\((.*)\)", e) or LOOKUP.fullmatch(e):
        inner = re.fullmatch(r"(?:growth|share|diff)\((.*)\)", e)
        args = [a.strip() for a in (inner.group(1).split(",") if inner
                                    else [e])]
        if all(LOOKUP.fullmatch(a) for a in args):
            out = []
            for a in args:
                s, key, col = LOOKUP.fullmatch(a).groups()
                row = sources[s].find(key)
                if row is None:
                    return None
                out.append(cell_text(sources[s], row, col))
            return "; ".join(out)
        if all(AGG.fullmatch(a) for a in args):
            return "; ".join(expected_sources(a) for a in args)
        return None
    m = AGG.fullmatch(e)
    if m:
        fn, s, col, cond = m.groups()
        src = sources[s]
        if fn == "count":
            used = [r for r in src.rows if cond is None or matches(r[1], cond)]
            return rows_text(src, src.key, used) if used else ""
        used, _ = aggregate(src, col, cond)
        return rows_text(src, col, used) if used else ""
    return None


# ---- the sheet
with open(sheet_path, encoding="utf-8", newline="") as f:
    raw = f.read()
if not raw.startswith("\ufeff"):
    err("the sheet does not start with a UTF-8 BOM")
rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff"), newline="")))
head, rows = rows[0], rows[1:]
want_head = ["编号", "页码", "模板位置", "定义位置", "表达式", "输出文本",
             "原值", "来源单元格", "筛选条件", "跳过的空白单元格", "警告",
             "上下文"]
if head != want_head:
    err("sheet header %r" % head)
NUM, PAGE, WHERE, DEFINED, EXPR, PRINTED, VALUE, SOURCES, FILTER, SKIPPED, \
    WARN, CONTEXT = range(12)
for i, r in enumerate(rows):
    if r[NUM] != str(i + 1):
        err("row %d is numbered %r" % (i + 1, r[NUM]))
    if not r[PAGE].isdigit() or not 1 <= int(r[PAGE]) <= npages:
        err("figure %s: page %r (the PDF has %d)" % (r[NUM], r[PAGE], npages))
pages = [int(r[PAGE]) for r in rows if r[PAGE].isdigit()]
if pages != sorted(pages):
    err("pages are not in reading order: %r" % pages)

# ---- every placeholder of the template, found here
tpl = based(ini["report"]["template"])
placeholders, block_lines = [], set()
with open(tpl, encoding="utf-8") as f:
    for ln, line in enumerate(f.read().split("\n"), 1):
        if line.startswith("%%"):
            continue
        if line.startswith("@"):
            block_lines.add(ln)
            continue
        i = 0
        while i < len(line):
            if line.startswith("{{", i) or line.startswith("}}", i):
                i += 2
                continue
            if line[i] == "{":
                placeholders.append((ln, i + 1, line[i + 1:line.index("}", i)]))
            i += 1
listed = {}
for r in rows:
    m = re.fullmatch(re.escape(tpl) + r":(\d+):(\d+)", r[WHERE])
    if m and int(m.group(1)) not in block_lines:
        listed.setdefault((int(m.group(1)), int(m.group(2))), []).append(r)
for ln, col, text in placeholders:
    got = listed.get((ln, col))
    if not got:
        err("%s:%d:%d {%s} is not in the sheet" % (tpl, ln, col, text))
    elif len(got) > 1 or got[0][EXPR] != text.strip():
        err("%s:%d:%d {%s}: sheet has %r" % (tpl, ln, col, text,
                                              [g[EXPR] for g in got]))
    elif got[0][DEFINED] != "":
        err("%s:%d:%d {%s}: defined at %r, not where it appears" % (
            tpl, ln, col, text, got[0][DEFINED]))
extra = set(listed) - {(ln, col) for ln, col, _ in placeholders}
for k in sorted(extra):
    err("the sheet lists %s:%d:%d, which is no placeholder" % (tpl, *k))

# the INI's [report] texts
ini_ph = 0
for key in ("title", "subtitle", "signature", "date"):
    v = ini["report"].get(key, "")
    n = len(re.findall(r"(?<!\{)\{(?!\{)[^}]*\}", v))
    got = [r for r in rows if r[WHERE] == "%s [report] %s" % (ini_path, key)]
    if len(got) != n:
        err("[report] %s has %d placeholders, the sheet %d" % (key, n,
                                                               len(got)))
    ini_ph += n

# ---- the sources, re-computed
checked = 0
for r in rows:
    m = re.fullmatch(re.escape(tpl) + r":(\d+):(\d+)", r[WHERE])
    if not m or int(m.group(1)) in block_lines:
        continue
    want = expected_sources(r[EXPR])
    if want is None:
        continue
    checked += 1
    if r[SOURCES] != want:
        err("figure %s {%s}:\n  sheet: %s\n  CSV:   %s" % (r[NUM], r[EXPR],
                                                         r[SOURCES], want))

raw_checked = 0


def check_raw(r, want):
    """A computed cell's 原值 is the value re-computed here from its source
    cells (to 1e-9, relative: a sum may add in another order), and the
    printed text is it rounded to the printed decimals; a cell with no
    value (a zero base) has an empty 原值."""
    global raw_checked
    raw_checked += 1
    if want is None:
        if r[VALUE] != "":
            err("figure %s (%s): 原值 %r, the CSV gives none" % (
                r[NUM], r[CONTEXT], r[VALUE]))
        return
    got = number(r[VALUE]) if r[VALUE] else None
    if got is None or abs(got - want) > 1e-9 * max(1.0, abs(want)):
        err("figure %s (%s): 原值 %r, from the CSV %r" % (
            r[NUM], r[CONTEXT], r[VALUE], want))
        return
    m = re.fullmatch(r"-?[\d,]+(?:\.(\d+))?%?", r[PRINTED])
    dec = len(m.group(1) or "") if m else None
    if dec is None or abs(number(r[PRINTED]) - want) > 0.5 * 10 ** -dec + \
            1e-9 * max(1.0, abs(want)):
        err("figure %s (%s): printed %r is not 原值 %r rounded" % (
            r[NUM], r[CONTEXT], r[PRINTED], r[VALUE]))


# tables: a computed column per row (growth of two columns of the row's
# source row) and 合计 cells (sums of the filtered rows)
cell_checked = 0
for sec in ini.sections():
    if not sec.startswith("table."):
        continue
    t = ini[sec]
    src = sources[t["source"].strip()]
    title = expand(t.get("title", sec[6:]))
    cond = t.get("filter")
    cols, keys = {}, {}
    for k, v in t.items():
        if re.fullmatch(r"col\d+", k):
            parts = [p.strip() for p in v.split("|")]
            cols[parts[0]] = parts[1] if len(parts) > 1 and parts[1] \
                else parts[0]
            keys[parts[0]] = k
    for r in rows:
        if not r[CONTEXT].startswith(title + "："):
            continue
        label, _, column = r[CONTEXT][len(title) + 1:].rpartition(" · ")
        value = cols.get(column, column)
        # where it appears: the @table line; where it is defined: the key
        if not re.fullmatch(re.escape(tpl) + r":(\d+):1", r[WHERE]) or \
                int(r[WHERE].rsplit(":", 2)[1]) not in block_lines:
            err("figure %s (%s): 模板位置 %r is no @table line" % (
                r[NUM], r[CONTEXT], r[WHERE]))
        want = "%s [%s] %s%s" % (ini_path, sec, keys.get(column, "?"),
                                 ", total" if label == "合计" else
                                 ", group" if label.endswith("小计") else "")
        if r[DEFINED] != want:
            err("figure %s (%s): 定义位置 %r, want %r" % (
                r[NUM], r[CONTEXT], r[DEFINED], want))
        if label in ("合计", "小计") and t.get("group") is None:
            used, _ = aggregate(src, value, cond)
            want = rows_text(src, value, used)
            raw = sum(number(u[1][value][0]) for u in used)
        else:
            m = re.fullmatch(r"\{(growth|share|diff)\((\S+),\s*(\S+)\)\}",
                             value)
            row = src.find(label)
            if not m or row is None:
                continue
            fn, a, b = m.groups()
            want = "; ".join(cell_text(src, row, c) for c in (a, b))
            a, b = number(row[1][a][0]), number(row[1][b][0])
            raw = None if a is None or b is None else a - b \
                if fn == "diff" else None if b == 0 else \
                (a / b - 1) * 100 if fn == "growth" else a / b * 100
        cell_checked += 1
        if r[SOURCES] != want:
            err("figure %s (%s):\n  sheet: %s\n  CSV:   %s" % (
                r[NUM], r[CONTEXT], r[SOURCES], want))
        check_raw(r, raw)

# charts: one row per series; its cells are the column's non-blank cells
# of the filtered rows
series_checked = 0
for sec in ini.sections():
    if not sec.startswith("chart."):
        continue
    c = ini[sec]
    src = sources[c["source"].strip()]
    title = expand(c.get("title", sec[6:]))
    names = [s.strip() for k in ("bars", "lines")
             for s in c.get(k, "").split(",") if s.strip()]
    got = [r for r in rows if r[CONTEXT].startswith(title + "：")]
    if [g[CONTEXT][len(title) + 1:] for g in got] != names:
        err("chart %s: sheet rows %r, series %r" % (
            sec, [g[CONTEXT] for g in got], names))
    for g, name in zip(got, names):
        key = "bars" if name in [x.strip() for x in
                                 c.get("bars", "").split(",")] else "lines"
        if g[DEFINED] != "%s [%s] %s" % (ini_path, sec, key):
            err("figure %s (%s): 定义位置 %r" % (g[NUM], g[CONTEXT],
                                              g[DEFINED]))
        used, _ = aggregate(src, name, c.get("filter"))
        # each category's sum, re-computed: 原值 to 1e-9, the printed
        # text (the value labels' form) to its decimals
        cat = c["category"].strip()
        sums = {}
        for u in used:
            k = u[1][cat][0]
            sums[k] = sums.get(k, 0.0) + number(u[1][name][0])
        got_v = dict(p.split("=", 1) for p in g[VALUE].split("; "))
        got_p = dict(p.rsplit(" ", 1) for p in g[PRINTED].split("、"))
        if set(got_v) != set(sums) or set(got_p) != set(sums):
            err("figure %s (%s): categories %r, from the CSV %r" % (
                g[NUM], g[CONTEXT], sorted(got_v), sorted(sums)))
        decs = {len(pr.split(".")[1]) if "." in pr else 0
                for pr in got_p.values()}
        if len(decs) != 1 or max(decs) > 6:
            err("figure %s (%s): printed %r: not one number of decimals "
                "(at most 6) as the value labels" % (g[NUM], g[CONTEXT],
                                                     g[PRINTED]))
        for k, want in sums.items():
            v, pr = number(got_v.get(k, "") or "x"), got_p.get(k, "")
            dec = len(pr.split(".")[1]) if "." in pr else 0
            if v is None or abs(v - want) > 1e-9 * max(1.0, abs(want)) or \
                    number(pr) is None or \
                    abs(number(pr) - want) > 0.5 * 10 ** -dec + 1e-9:
                err("figure %s (%s) %s: 原值 %r, printed %r, from the CSV "
                    "%r" % (g[NUM], g[CONTEXT], k, got_v.get(k), pr, want))
        series_checked += 1
        if g[SOURCES] != rows_text(src, name, used):
            err("figure %s (%s):\n  sheet: %s\n  CSV:   %s" % (
                g[NUM], g[CONTEXT], g[SOURCES], rows_text(src, name, used)))

print("figures: %d rows; %d template and %d INI placeholders; sources "
      "re-computed for %d placeholders, %d table cells (原值 of %d), %d "
      "chart series" % (len(rows), len(placeholders), ini_ph, checked,
                        cell_checked, raw_checked, series_checked))
if checked < 50 or cell_checked < 10 or raw_checked < 10 or \
        series_checked < 2:
    err("too few figures re-computed: the check would prove little")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
