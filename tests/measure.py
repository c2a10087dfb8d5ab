#!/usr/bin/env python3
"""Measures the rendered sample against GB/T 9704-2012 with poppler.

usage: tests/measure.py [ZONGJIE]      (from the repository root)

Renders config/report.ini to tests/tmp/measure.pdf, reads every word's box
with `pdftotext -bbox-layout` (top-left origin, points; a word's box spans
its glyph advances, without the trailing character spacing) and checks:
  - text block: left margin 28 mm and top margin 37 mm (±1 mm), block width
    156 mm and height 225 mm (±1 mm), measured from the body lines;
  - 22 body lines on a full body page (a page with no table or chart), on a
    regular grid;
  - justified body lines (all but the last of a paragraph) end within 0.5 pt
    of the block's right edge;
  - page numbers "— N —": odd pages right with a one-character (14 pt) inset,
    even pages left with the same inset, the dash centre 7 mm below the block;
  - no line starts with a prohibited character (clreq GB style);
  - no ink outside the block's left and right edges between its top and
    bottom (pages rasterised with pdftoppm): punctuation does not hang
    (GB/T 9704 撑满版心), whatever the font's convention (AR PL UMing
    centres 、。 in the em); a justified line ending in a squeezed 、。 has
    its ink at the right edge.
  - no justified body line stretches a gap between two Han characters by
    more than a quarter em beyond the grid's cell (glyph origins from
    `mutool draw -F stext`): lines shrink before they stretch (clreq), and
    only a number bound to its unit that cannot be pulled in leaves a loose
    line (the worst in the sample is about 2.4 pt).
Prints the failures and `measure: N passed, N failed`; exits 1 on failure."""
import glob
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4
PAGE_H = 297 * MM
LEFT, TOP = 28 * MM, 37 * MM
BLOCK_W, BLOCK_H = 156 * MM, 225 * MM
RIGHT, BOTTOM = LEFT + BLOCK_W, TOP + BLOCK_H
PITCH = BLOCK_H / 22
CELL = BLOCK_W / 28
SQUEEZED = set("，。、；：？！”）》")
BAD_START = set("、，。；：？！”’」』）》〉】〕〗］｝·–—～…,.;:!?)]%")

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s%s" % (name, (": " + detail) if detail else ""), file=sys.stderr)


class Line:
    """Words of one page whose vertical centres agree: one visual line."""
    def __init__(self, page, w):
        self.page = page
        self.words = [w]

    def add(self, w):
        self.words.append(w)

    @property
    def x0(self):
        return min(w[0] for w in self.words)

    @property
    def x1(self):
        return max(w[2] for w in self.words)

    @property
    def yc(self):
        return sum((w[1] + w[3]) / 2 for w in self.words) / len(self.words)

    @property
    def height(self):
        return max(w[3] - w[1] for w in self.words)

    @property
    def text(self):
        return "".join(w[4] for w in sorted(self.words))


def read_pages(pdf):
    html = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                          capture_output=True, text=True).stdout
    root = ET.fromstring(html)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for pg in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = []
        for w in pg.iter("{http://www.w3.org/1999/xhtml}word"):
            words.append((float(w.get("xMin")), float(w.get("yMin")),
                          float(w.get("xMax")), float(w.get("yMax")), w.text or ""))
        words.sort(key=lambda w: ((w[1] + w[3]) / 2, w[0]))
        lines = []
        for w in words:
            yc = (w[1] + w[3]) / 2
            for ln in lines:
                if abs(ln.yc - yc) < 3:
                    ln.add(w)
                    break
            else:
                lines.append(Line(len(pages) + 1, w))
        lines.sort(key=lambda ln: ln.yc)
        pages.append(lines)
    del ns
    return pages


def filled_pages(zj):
    """Pages full like the form (issue 11): from --dump-layout (real
    metrics), every page followed by another ends on the last grid slot
    (21), unless the next page starts with a heading kept with its text;
    a page ending in a table leaves less than two slots (a row that did
    not fit); never the 5 empty lines of a lead-in moved with its chart."""
    import re
    out = subprocess.run([zj, "-c", "config/report.ini", "--dump-layout"], check=True,
                         capture_output=True, text=True).stdout
    base0 = 841.890 - TOP - PITCH / 2 - 0.38 * 16   # baseline of slot 0
    grid = {}      # page -> list of (slot, role, text) of 16 pt lines
    low = {}       # page -> lowest y of anything in the block
    ruled = {}     # page -> 1 if its lowest item is a rule (a table's foot)
    for ln in out.splitlines():
        f = ln.split(" ")
        if not f[0].isdigit() or len(f) < 3 or f[1] in ("runs", "rot"):
            continue
        pg = int(f[0])
        if f[1] in ("rule", "rect"):
            y = min(float(f[3]), float(f[5]))
            if y < low.get(pg, 1e9):
                ruled[pg] = f[1] == "rule"
        else:
            y, role, size = float(f[2]), f[3], float(f[4])
            if role == "pagenum":
                continue
            if y < low.get(pg, 1e9):
                ruled[pg] = 0
            if size == 16:
                grid.setdefault(pg, []).append((round((base0 - y) / PITCH), role,
                                                " ".join(f[5:])))
        low[pg] = min(low.get(pg, 1e9), y)
    heading = re.compile(r"^(\d+\.|（\d+）)")
    last = max(low)
    n = 0
    for pg in range(1, last):
        nxt = sorted(grid.get(pg + 1, []))
        starts_heading = bool(nxt) and nxt[0][0] == 0 and (
            nxt[0][1] in ("heading", "subheading") or heading.match(nxt[0][2]))
        bottom = PAGE_H - BOTTOM                      # block bottom, PDF y
        empty = (low[pg] - bottom) / PITCH            # empty slots at the foot
        n += 1
        check("page %d: filled to the foot (%.1f empty lines)" % (pg, empty),
              empty < 1.05 or ((starts_heading or ruled.get(pg)) and empty < 2.05),
              "next page starts %r" % (nxt[0][2] if nxt else None))
    check("pages checked for fill (%d)" % n, n >= 5)


def main():
    zj = sys.argv[1] if len(sys.argv) > 1 else "./zongjie"
    os.makedirs("tests/tmp", exist_ok=True)
    pdf = "tests/tmp/measure.pdf"
    r = subprocess.run([zj, "-c", "config/report.ini", "-o", pdf], capture_output=True, text=True)
    check("sample renders", r.returncode == 0, r.stderr[:300])
    if r.returncode != 0:
        return
    pages = read_pages(pdf)

    # Body lines: 3号 (16 pt) text inside the block; the title (22 pt) and
    # the table/chart text (12, 10.5 pt) have other heights.
    def is_body(ln):
        return 15.5 < ln.height < 18 and ln.yc < BOTTOM

    def slot(ln):
        return (ln.yc - TOP) / PITCH - 0.5

    body = [[ln for ln in lines if is_body(ln)] for lines in pages]
    small = [[ln for ln in lines if ln.height < 14 and ln.yc < BOTTOM] for lines in pages]

    # 1. Margins and block size from the body lines.
    allb = [ln for b in body for ln in b]
    left = min(ln.x0 for ln in allb)
    # a line-end mark squeezed to ½ em: its advance may overhang by up to
    # ½ em, its ink does not (checked in 6.)
    right = max(ln.x1 - (ln.x1 - RIGHT if ln.text[-1] in SQUEEZED and RIGHT + 2 < ln.x1 < RIGHT + 8.5
                         else 0) for ln in allb)
    check("left margin 28 mm ±1 (%.2f mm)" % (left / MM), abs(left - LEFT) <= MM)
    check("block width 156 mm ±1 (%.2f mm)" % ((right - left) / MM), abs(right - left - BLOCK_W) <= MM)
    full = [i for i, b in enumerate(body) if not small[i] and len(b) >= 22]
    check("a full body page exists (no table or chart, 22 lines)", bool(full),
          "lines per body page: %s" % [len(b) for i, b in enumerate(body) if not small[i]])
    if full:
        b = body[full[0]]
        pitch = (b[-1].yc - b[0].yc) / (len(b) - 1)
        top = b[0].yc - pitch / 2
        check("top margin 37 mm ±1 (%.2f mm, page %d)" % (top / MM, full[0] + 1), abs(top - TOP) <= MM)
        check("block height 225 mm ±1 (%.2f mm)" % (22 * pitch / MM), abs(22 * pitch - BLOCK_H) <= MM)
    # 2. 22 lines on every full body page, on the grid; never more.
    for i, b in enumerate(body):
        if small[i] or not b:
            continue
        off = [abs(slot(ln) - round(slot(ln))) for ln in b]
        check("page %d: body lines on the 22-line grid" % (i + 1), max(off) < 0.1,
              "worst offset %.2f line" % max(off))
        check("page %d: at most 22 lines" % (i + 1), len(b) <= 22, str(len(b)))
        if i + 1 < len(body) and not small[i + 1] and body[i + 1] and len(b) < 22:
            # A body page followed by more body text is full unless a keep
            # rule (heading, widow/orphan) moved up to 2 lines on.
            check("page %d: full page has 20-22 lines" % (i + 1), len(b) >= 20, str(len(b)))
    check("full body pages have exactly 22 lines (%d pages)" % len(full),
          all(len(body[i]) == 22 for i in full))
    filled_pages(zj)

    # 3. Justified lines end at the right edge.
    seq = [ln for b in body for ln in b]
    nj = 0
    bad = []
    squeezed = []
    for a, nx in zip(seq, seq[1:]):
        same = nx.page == a.page and round(slot(nx)) == round(slot(a)) + 1
        turn = nx.page == a.page + 1 and round(slot(a)) == 21 and round(slot(nx)) == 0
        if not (same or turn) or abs(nx.x0 - LEFT) > 0.5 or abs(a.x0 - LEFT) > 3 * CELL:
            continue                    # a paragraph's last line (or not text)
        nj += 1
        if abs(a.x1 - RIGHT) > 0.5:
            # a line-end mark squeezed to ½ em: the advance overhangs by the
            # blank it gives up at its right (up to ½ em); its ink is checked
            # against the edge in 6.
            if not (a.text[-1] in SQUEEZED and RIGHT + 2 < a.x1 <= RIGHT + 8.5):
                bad.append("p%d %.2f %s" % (a.page, a.x1 - RIGHT, a.text))
            else:
                squeezed.append(a)
    check("justified lines end within 0.5 pt of the right edge (%d lines)" % nj,
          nj > 100 and not bad, "; ".join(bad[:5]))

    # 4. Page numbers.
    for i, lines in enumerate(pages):
        pn = [ln for ln in lines if ln.yc > BOTTOM]
        n = i + 1
        if len(pn) != 1:
            check("page %d: one page number line" % n, False, str(len(pn)))
            continue
        ln = pn[0]
        check("page %d: text \"— %d —\"" % (n, n), ln.text.replace(" ", "") == "—%d—" % n, ln.text)
        if n % 2:
            check("page %d (odd): right, one character inset (%.2f)" % (n, RIGHT - ln.x1),
                  abs(ln.x1 - (RIGHT - 14)) <= 0.5)
        else:
            check("page %d (even): left, one character inset (%.2f)" % (n, ln.x0 - LEFT),
                  abs(ln.x0 - (LEFT + 14)) <= 0.5)
        # centre of the 4号 line's em box ~ the dash centre: 7 mm below
        dash = [w for w in ln.words if "—" in w[4]]
        yc = sum((w[1] + w[3]) / 2 for w in dash) / max(len(dash), 1)
        check("page %d: dash 7 mm below the block (%.2f mm)" % (n, (yc - BOTTOM) / MM),
              abs(yc - BOTTOM - 7 * MM) <= MM)

    # 5. No line starts with a prohibited character.
    starts = [ln for ln in seq if ln.text and ln.text[0] in BAD_START]
    check("no body line starts with a prohibited character (%d lines)" % len(seq), not starts,
          "; ".join("p%d %s" % (ln.page, ln.text) for ln in starts[:5]))

    # 6. Ink inside the block's sides.
    ink_checks(pdf, len(pages), squeezed)

    # 7. Loose lines.
    stretch_check(pdf)


STRETCH_MAX = 0.25 * 16         # points a gap may grow beyond the cell


def is_han(c):
    return 0x3400 <= ord(c) <= 0x9FFF


def stretch_check(pdf):
    """The largest stretch of a gap between two Han characters (origin to
    origin less the 15.79 pt cell) on every justified 16 pt body line."""
    if shutil.which("mutool") is None:
        check("mutool (Debian mupdf-tools) for glyph positions", False)
        return
    xml = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf], check=True,
                         capture_output=True, text=True).stdout
    worst, n = (0, ""), 0
    for pn, pg in enumerate(ET.fromstring(xml).iter("page"), 1):
        rows = {}
        for font in pg.iter("font"):
            if abs(float(font.get("size")) - 16) > 0.01:
                continue
            for ch in font.iter("char"):
                y = float(ch.get("y"))
                if TOP < y < BOTTOM:
                    q = [float(v) for v in ch.get("quad").split()]
                    rows.setdefault(round(y, 1), []).append((float(ch.get("x")), q[2], ch.get("c")))
        for y in sorted(rows):
            cs = sorted(rows[y])
            if cs[-1][1] < RIGHT - 0.5 and not (cs[-1][2] in SQUEEZED and cs[-1][1] > RIGHT - 8.5):
                continue                # not justified (a paragraph's last line)
            n += 1
            gaps = [b[0] - a[0] - CELL for a, b in zip(cs, cs[1:]) if is_han(a[2]) and is_han(b[2])]
            if gaps and max(gaps) > worst[0]:
                worst = (max(gaps), "p%d %s" % (pn, "".join(c[2] for c in cs)))
    check("justified lines: no gap stretched over ¼ em (%d lines, worst %.2f pt: %s)" %
          (n, worst[0], worst[1]), n > 100 and worst[0] <= STRETCH_MAX)


DPI = 144
DARK = bytes.maketrans(bytes(range(256)), bytes(1 if v < 128 else 0 for v in range(256)))


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5" and parts[3] == b"255", path
    w, h = int(parts[1]), int(parts[2])
    px = parts[4][-w * h:]
    return w, h, px.translate(DARK)


def ink_checks(pdf, npages, squeezed):
    """Rasterises every page and looks for dark pixels beside the block."""
    out = "tests/tmp/measure-ink"
    for f in glob.glob(out + "-*.pgm"):
        os.remove(f)
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), pdf, out], check=True)
    files = sorted(glob.glob(out + "-*.pgm"))
    check("rasterised %d pages" % npages, len(files) == npages, str(len(files)))
    s = DPI / 72
    tol = 1.0                   # points: a rule's half width, anti-aliasing
    rows = {}
    for n, f in enumerate(files, 1):
        w, h, px = read_pgm(f)
        x_left, x_right = int((LEFT - tol) * s), int((RIGHT + tol) * s) + 1
        outside = []
        for y in range(int(TOP * s), int(BOTTOM * s)):
            row = px[y * w:(y + 1) * w]
            if 1 in row[:x_left] or 1 in row[x_right:]:
                outside.append(y)
        check("page %d: no ink beside the text block" % n, not outside,
              "rows %s (%.1f..%.1f pt from the top)" % (len(outside), outside[0] / s, outside[-1] / s)
              if outside else "")
        rows[n] = (w, px)
    # Lines ending in a squeezed mark: the mark's ink reaches the edge (the
    # line is full, 撑满) without crossing it.  "Reaches" allows a quarter
    # em: in a GB-style font (FandolFang, the default body face) 、 and 。
    # sit in the left half of the em, so after the squeeze to half an em
    # their ink ends ~0.19 em before the edge, as in print; a centred
    # (Taiwan-style) mark such as UMing's ends within 2 pt of it.
    marks = [ln for ln in squeezed if ln.text[-1] in "、。"]
    check("the sample has lines ending in a squeezed 、 or 。 (%d)" % len(marks), len(marks) >= 3)
    for ln in marks:
        w, px = rows[ln.page]
        ys = range(int(ln.words[-1][1] * s), int(ln.words[-1][3] * s) + 1)
        x0 = int((RIGHT - 0.75 * 16) * s)
        right = max((px[y * w + x0:(y + 1) * w].rfind(1) for y in ys), default=-1)
        edge = (x0 + right) / s if right >= 0 else 0
        check("p%d: ink of the line-end %s at the edge (%.2f pt from it): %s" %
              (ln.page, ln.text[-1], edge - RIGHT, ln.text),
              RIGHT - 0.25 * 16 <= edge <= RIGHT + 0.75)


main()
print("measure: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
