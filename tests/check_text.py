#!/usr/bin/env python3
"""End-to-end text check: every paragraph and heading of the template, with
its placeholders evaluated independently of zongjie (this file re-implements
the documented placeholder language in Python), must appear in the text that
pdftotext extracts from the PDF.

usage: check_text.py REPORT.INI PERIOD PDFTEXT.txt
Exits 1 listing each block whose expected text is not found."""
import os
import configparser
import csv
import re
import sys
from decimal import Decimal, ROUND_HALF_UP

CN = "零一二三四五六七八九"


def cn_numeral(n):
    if n < 10:
        return CN[n]
    t, u = divmod(n, 10)
    return ("" if t == 1 else CN[t]) + "十" + (CN[u] if u else "")


def number(level, n):
    return {1: cn_numeral(n) + "、", 2: "（" + cn_numeral(n) + "）",
            3: "%d." % n, 4: "（%d）" % n}[level]


def fmt(v, dec, sep=False):
    q = Decimal(1).scaleb(-dec)
    d = Decimal(repr(v)).quantize(q, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    s = "{:,.{}f}".format(d, dec) if sep else "{:.{}f}".format(d, dec)
    return s


def decimals(text):
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


def num(text):
    return float(text.replace(",", "").rstrip("%"))


class Model:
    def __init__(self, ini, year, month, base):
        self.year, self.month = year, month
        self.sources = {}
        period = "%04d-%02d" % (year, month) if month else "%04d" % year
        for sec in ini.sections():
            if sec.startswith("data."):
                # Paths are relative to the configuration's directory.
                path = os.path.join(base, ini[sec]["file"].replace("{period}", period))
                with open(path, encoding="utf-8-sig", newline="") as f:
                    rows = list(csv.reader(f))
                header = [h.strip() for h in rows[0]]
                key = ini[sec].get("key", header[0])
                recs = []
                for r in rows[1:]:
                    rec = {h: (r[i].strip() if i < len(r) else "")
                           for i, h in enumerate(header)}
                    recs.append(rec)
                self.sources[sec[5:]] = (key, recs)
        self.missing = ini["report"].get("missing", "—")

    # Each evaluator returns (value, decimals, is_percent, raw_text).
    def cond(self, rec, cond):
        for part in re.split(r"\s+and\s+", cond.strip()):
            m = re.match(r"\s*(\S+)\s*(>=|<=|!=|=|<|>)\s*(\S+)\s*$", part)
            col, op, val = m.groups()
            cell = rec[col]
            if cell == "":
                if op != "!=":
                    return False
                continue
            try:
                a, b = num(cell), float(val)
            except ValueError:
                a, b = cell, val
            ok = {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b,
                  ">": a > b, ">=": a >= b}[op]
            if not ok:
                return False
        return True

    def cell_fmt(self, rec, spec):
        col, *fmts = spec.split("|")
        cell = rec[col.strip()]
        if not fmts:
            return cell if cell else self.missing
        v = (num(cell), decimals(cell), cell.endswith("%"), cell)
        return self.apply(v, [f.strip() for f in fmts])

    def list_expr(self, e):
        m = re.match(r'^list\((\w+)(?:\s+where\s+(.*?))?(?:\s+sort\s+(\S+)'
                     r'(?:\s+(asc|desc))?)?(?:\s+top\s+(\d+))?\s*,\s*"([^"]*)"'
                     r'(?:\s*,\s*"([^"]*)"(?:\s*,\s*"([^"]*)")?)?\s*\)$', e)
        src, cond, col, direction, top, pat, sep, last = m.groups()
        recs = [r for r in self.sources[src][1]
                if not cond or self.cond(r, cond)]
        if col:
            have = [r for r in recs if r[col] != ""]
            rest = [r for r in recs if r[col] == ""]
            try:
                key = lambda r: num(r[col])
                have.sort(key=key, reverse=direction == "desc")
            except ValueError:
                have.sort(key=lambda r: r[col], reverse=direction == "desc")
            recs = have + rest
        if top:
            recs = recs[:int(top)]
        if not recs:
            return (None, 0, False, None)
        items = [re.sub(r"\[([^\]]*)\]", lambda m, r=r: self.cell_fmt(r, m.group(1)),
                        pat) for r in recs]
        sep = "、" if sep is None else sep
        text = items[0]
        for i, it in enumerate(items[1:], 1):
            text += (last if last is not None and i == len(items) - 1
                     else sep) + it
        return (None, 0, False, text)

    def expr(self, e):
        e = e.strip()
        if e.startswith("list("):
            return self.list_expr(e)
        m = re.match(r"^(count|sum|avg|min|max)\((\w+)(?:\.(\S+?))?"
                     r"(?:\s+where\s+(.*))?\)$", e)
        if m:
            fn, src, col, cond = m.groups()
            recs = [r for r in self.sources[src][1]
                    if not cond or self.cond(r, cond)]
            if fn == "count":
                return (float(len(recs)), 0, False, None)
            cells = [r[col] for r in recs if r[col] != ""]
            if not cells:
                return (None, 0, False, None)
            vals = [num(c) for c in cells]
            dec = max(decimals(c) for c in cells)
            if fn == "sum":
                return (sum(vals), dec, False, None)
            if fn == "avg":
                return (sum(vals) / len(vals), max(dec, 1), False, None)
            pick = min(vals) if fn == "min" else max(vals)
            return (pick, decimals(cells[vals.index(pick)]), False, None)
        m = re.match(r"^(growth|share|diff)\((.*)\)$", e)
        if m:
            fn, args = m.groups()
            depth, cut = 0, None
            for i, ch in enumerate(args):
                depth += ch in "([" and 1 or ch in ")]" and -1 or 0
                if ch == "," and depth == 0:
                    cut = i
                    break
            a = self.expr(args[:cut])
            b = self.expr(args[cut + 1:])
            if a[0] is None or b[0] is None:
                return (None, 1, False, None)
            if fn == "diff":
                return (a[0] - b[0], max(a[1], b[1]), False, None)
            if b[0] == 0:
                return (None, 1, True, None)
            if fn == "growth":
                return ((a[0] / b[0] - 1) * 100, 1, True, None)
            return (a[0] / b[0] * 100, 1, True, None)
        m = re.match(r'^(\w+)\[\s*"?(.*?)"?\s*\]\.(\S+)$', e)
        if m:
            src, key, col = m.groups()
            keycol, recs = self.sources[src]
            rec = next(r for r in recs if r[keycol] == key)
            cell = rec[col]
            if cell == "":
                return (None, 0, False, None)
            try:
                return (num(cell), decimals(cell), cell.endswith("%"), cell)
            except ValueError:
                return (None, 0, False, cell)
        if e == "year":
            return (float(self.year), 0, False, None)
        if e == "next_year":
            return (float(self.year + 1), 0, False, None)
        if e == "prev_year":
            return (float(self.year - 1), 0, False, None)
        mo = self.month or 12
        if e == "month":
            return (float(mo), 0, False, None)
        if e == "months":
            return (None, 0, False, "1月" if mo == 1 else "1—%d月" % mo)
        if e == "period":
            return (None, 0, False, "%04d-%02d" % (self.year, mo)
                    if self.month else "%04d" % self.year)
        raise ValueError("cannot evaluate " + e)

    def placeholder(self, body):
        parts = [p.strip() for p in re.split(r"\|(?![^()]*\))", body)]
        return self.apply(self.expr(parts[0]), parts[1:])

    def apply(self, value, fmts):
        v, dec, pct, raw = value
        if not fmts:
            if raw is not None:
                return raw
            if v is None:
                return self.missing
            return fmt(v, max(dec, 1) if pct else dec) + ("%" if pct else "")
        words, sep, decset = None, False, False
        for f in fmts:
            if re.match(r"^\.\d+$", f):
                dec, decset = int(f[1:]), True
            elif f == ",":
                sep = True
            elif f in ("增长", "增加", "提高"):
                words = {"增长": ("增长", "下降"), "增加": ("增加", "减少"),
                         "提高": ("提高", "降低")}[f]
            elif ">" in f:
                units = {"元": 1, "万元": 1e4, "亿元": 1e8}
                a, b = f.split(">")
                v = v * units[a] / units[b]
                if not decset:
                    dec = 2
        if v is None:
            return self.missing
        out = ""
        if words:
            out = words[1] if float(fmt(v, dec)) < 0 else words[0]
            v = abs(v)
        return out + fmt(v, dec, sep) + ("%" if pct else "")

    def expand(self, text):
        return re.sub(r"\{([^{}]*)\}", lambda m: self.placeholder(m.group(1)),
                      text)


def blocks(path, model):
    out, para, counters, runin = [], [], [0] * 5, None
    for line in open(path, encoding="utf-8-sig"):
        s = line.strip()
        if s.startswith("%%"):
            continue
        if not s and runin and not para:
            continue
        if not s or s.startswith("@") or s.startswith("#"):
            if para or runin:
                out.append((runin or "") + "".join(para))
                para, runin = [], None
        if not s or s.startswith("@"):
            continue
        m = re.match(r"^(#{1,4})\s+(.*)$", s)
        if m:
            level = len(m.group(1))
            counters[level] += 1
            for k in range(level + 1, 5):
                counters[k] = 0
            text = number(level, counters[level]) + model.expand(m.group(2))
            if level >= 3 and (text.endswith("。") or text.endswith("：")):
                runin = text
            else:
                out.append(text)
            continue
        para.append(model.expand(s))
    if para or runin:
        out.append((runin or "") + "".join(para))
    return out


def norm(s):
    s = re.sub(r"—\s*\d+\s*—", "", s)
    return re.sub(r"\s+", "", s)


def found(b, text):
    """b is in text, whole or split once by a float: a chart or table set
    at the top of the next page while the paragraph goes on after it
    (issue 11), so b[:k] is followed later by b[k:]."""
    if b in text:
        return True
    for k in range(1, len(b)):
        i = text.find(b[:k])
        if i < 0:
            return False
        if text.find(b[k:], i + k) >= 0 and text.find(b[:k + 1]) < 0:
            return True
    return False


def main():
    ini_path, period, txt = sys.argv[1:4]
    ini = configparser.ConfigParser(comment_prefixes=(";", "#"),
                                    inline_comment_prefixes=None,
                                    interpolation=None)
    ini.read(ini_path, encoding="utf-8-sig")
    y, _, mo = period.partition("-")
    base = os.path.dirname(os.path.abspath(ini_path))
    model = Model(ini, int(y), int(mo) if mo else 0, base)
    text = norm(open(txt, encoding="utf-8").read())
    title = model.expand(ini["report"]["title"])
    expected = [title] + blocks(os.path.join(base, ini["report"]["template"]), model)
    bad = [b for b in expected if not found(norm(b), text)]
    for b in bad:
        print("not found in the PDF text: " + b[:120], file=sys.stderr)
    print("%d passed, %d failed" % (len(expected) - len(bad), len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
