#!/usr/bin/env python3
"""Checks a --dump-doc tree against the CSV files it names, independently of
zongjie: every `cell FILE:LINE:COL HEADER [KEY]` line must point at a field
that starts at that line and character column, under that column header, in
a row holding KEY; and every figure's printed text must be a slice of its
block's text at the byte range the dump gives.  A golden that merely repeated
the program's output would not catch a source location that is off by one.

A computed table cell (a 小计 or 合计, an expression column) is a `col N =
"PRINTED"` block under its row: PRINTED must be the row's cell N, and a 小计
or 合计 (a bold row) that lists its cells must give its `value`, the sum of
those cells as the CSV files hold them.

usage: verify_doc.py DUMPFILE      (prints the failures; exit 1 if any)"""
import csv
import io
import re
import sys

CELL = re.compile(r'^\s*cell (.+?):(\d+):(\d+) (.*?) \[(.*)\]$')
FIG = re.compile(r'^\s*figure .*? = "(.*)" \[(\d+), (\d+)\)$')
TEXT = re.compile(r'^  text "(.*)"$')
QSTR = r'"(?:[^"\\]|\\.)*"'
ROW = re.compile(r'^  row \d+( bold)? (.*)$')
COL = re.compile(r'^    col (\d+) = (' + QSTR + r'|-)$')
VALUE = re.compile(r'^      value (\S+)$')


def decode(raw):
    for enc in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeError:
            continue
    raise UnicodeError("cannot decode")


_cache = {}


def fields(path):
    """[(line, col, value)] per record, with 1-based physical line and
    character column of each field's first character."""
    if path in _cache:
        return _cache[path]
    with open(path, "rb") as f:
        text = decode(f.read())
    delim = "\t" if text.split("\n", 1)[0].count("\t") > text.split("\n", 1)[0].count(",") else ","
    records, rec, i, line, col = [], [], 0, 1, 1
    n = len(text)
    while i <= n:
        start = (line, col)
        val = []
        if i < n and text[i] == '"':
            i += 1
            col += 1
            while i < n:
                c = text[i]
                if c == '"' and i + 1 < n and text[i + 1] == '"':
                    val.append('"')
                    i += 2
                    col += 2
                    continue
                if c == '"':
                    i += 1
                    col += 1
                    break
                val.append(c)
                i += 1
                if c == "\n":
                    line += 1
                    col = 1
                else:
                    col += 1
        while i < n and text[i] not in (delim, "\n", "\r"):
            val.append(text[i])
            i += 1
            col += 1
        rec.append((start[0], start[1], "".join(val)))
        if i < n and text[i] == delim:
            i += 1
            col += 1
            continue
        if i < n and text[i] == "\r":
            i += 1
        i += 1
        line += 1
        col = 1
        if any(v for _, _, v in rec):
            records.append(rec)
        rec = []
    _cache[path] = records
    return records


def find_field(path, line, col):
    """(header, record, value) of the field starting at line:col, or
    None."""
    recs = fields(path)
    heads = [v for _, _, v in recs[0]]
    for rec in recs[1:]:
        for idx, (l, c, v) in enumerate(rec):
            if (l, c) == (line, col):
                return (heads[idx] if idx < len(heads) else None, rec, v)
    return None


def check_cell(path, line, col, header, key):
    f = find_field(path, line, col)
    if f is None:
        return "no field starts there"
    head, rec, _ = f
    if head is None or head.strip() != header:
        return "column header is %r, not %r" % (head, header)
    if key and key not in [x.strip() for _, _, x in rec]:
        return "row does not hold key %r" % key
    return None


def unq(s):
    return None if s == "-" else \
        s[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def check_computed(blk):
    """The failures of one `col N` block (a dict, see main)."""
    bad = []
    n = blk["col"]
    row = blk["row"]
    if row is None or n > len(row):
        return ["col %d outside its row" % n]
    if row[n - 1] != blk["printed"]:
        bad.append("col %d printed %r, the row's cell is %r" %
                   (n, blk["printed"], row[n - 1]))
    if not blk["bold"] or not blk["cells"]:
        return bad
    if blk["value"] is None:
        return bad + ["col %d: a sum of %d cells without its value" %
                      (n, len(blk["cells"]))]
    if blk["more"]:
        return bad
    total = 0.0
    for path, line, col in blk["cells"]:
        f = find_field(path, line, col)
        if f is None:
            return bad    # reported as a cell line already
        try:
            total += float(f[2].strip().replace(",", ""))
        except ValueError:
            return bad    # a figure with a unit: not summed here
    if "%.10g" % total != blk["value"]:
        bad.append("col %d: value %s, the cells sum to %.10g" %
                   (n, blk["value"], total))
    return bad


def main():
    bad = 0
    ncells = 0
    block_text = None
    row, bold, blk = None, False, None

    def end_block():
        nonlocal bad
        for why in check_computed(blk) if blk else []:
            print("%s:%d: %s" % (sys.argv[1], blk["line"], why))
            bad += 1

    with open(sys.argv[1], encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if blk and not line.startswith("      "):
                end_block()
                blk = None
            m = ROW.match(line)
            if m:
                row = [unq(q) for q in
                       re.findall(QSTR + r"|(?<= )-(?= |$)", m.group(2))]
                bold = m.group(1) is not None
            elif not line.startswith("   "):
                row = None
            if line.startswith("    col "):
                m = COL.match(line)
                if not m:
                    print("%s:%d: a computed cell without its printed text" %
                          (sys.argv[1], ln))
                    bad += 1
                else:
                    blk = {"line": ln, "col": int(m.group(1)),
                           "printed": unq(m.group(2)), "row": row,
                           "bold": bold, "value": None, "cells": [],
                           "more": False}
            elif blk:
                m = VALUE.match(line)
                if m:
                    blk["value"] = m.group(1)
                elif line.startswith("      cell … "):
                    blk["more"] = True
            m = TEXT.match(line)
            if m:
                block_text = m.group(1).encode("utf-8")
                continue
            if not line.startswith(" "):
                block_text = None
            m = FIG.match(line)
            if m and block_text is not None:
                a, b = int(m.group(2)), int(m.group(3))
                if block_text[a:b].decode("utf-8", "replace") != m.group(1):
                    print("%s:%d: figure %r is not the text's bytes [%d, %d)" %
                          (sys.argv[1], ln, m.group(1), a, b))
                    bad += 1
            m = CELL.match(line)
            if m and blk:
                blk["cells"].append((m.group(1), int(m.group(2)),
                                     int(m.group(3))))
            if m:
                ncells += 1
                why = check_cell(m.group(1), int(m.group(2)), int(m.group(3)),
                                 m.group(4), m.group(5))
                if why:
                    print("%s:%d: %s" % (sys.argv[1], ln, why))
                    bad += 1
    end_block()
    sys.stdout.flush()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
