#!/usr/bin/env python3
"""Checks that a golden layout dump shows the rule its case is about, so a
golden is a test of the rule and not only of "what the program printed".

usage: verify.py CASE DUMPFILE      (prints the failures; exit 1 if any)

The dumps come from --fake-metrics: every non-ASCII character is 1 em wide,
every ASCII character ½ em.  Geometry (GB/T 9704 defaults): text block x
79.37 .. 521.57, grid slot k baseline 716.43 - 28.99 k, indent 2 cells."""
import sys

LEFT, RIGHT, CELL, PITCH, BASE0 = 79.37, 521.575, 442.205 / 28, 637.795 / 22, 716.433
INDENT = LEFT + 2 * CELL
BAD_START = set("、，。；：？！”’」』）》〉】〕〗］｝·–—～…,.;:!?)]%")
BAD_END = set("“‘「『（《〈【〔〖［｛")
SQUEEZABLE = set("，。、；：？！”）》")


def width(s, size):
    return sum(size / 2 if ord(c) < 0x80 else size for c in s)


# Fake ink (src/layout.c fake_ink), in em: 、。 centred (Taiwan style, like AR PL
# UMing), other pauses and closing marks in the left half, opening marks in the
# right half (GB style), Han 0.05..0.95, ASCII 0.05..0.45.
OPEN = set("“‘「『（《〈【〔〖［｛")
PAUSE = set("、，。；：？！")
CLOSE = set("”’」』）》〉】〕〗］｝")


def ink(c, size):
    if c in "、。":
        l, r = 0.375, 0.625
    elif c in OPEN:
        l, r = 0.6, 0.9
    elif c in PAUSE | CLOSE:
        l, r = 0.1, 0.4
    elif ord(c) < 0x80:
        l, r = 0.05, 0.45
    else:
        l, r = 0.05, 0.95
    return l * size, r * size


def kern(a, b, size):
    """what src/linebreak.c text_measure takes out between adjacent marks a, b"""
    marks = OPEN | PAUSE | CLOSE
    if a not in marks or b not in marks or (a in OPEN and b not in OPEN):
        return 0
    br = size - ink(a, size)[1]
    bl = ink(b, size)[0]
    return max(0, min(size / 2, br + bl - 0.1 * size))


def run_end(x, cs, t, size):
    """end of the advance of a run's last glyph"""
    return x + width(t, size) + (len(t) - 1) * cs


class Text:
    def __init__(self, page, x, y, role, size, text):
        self.page, self.x, self.y, self.role, self.size, self.text = page, x, y, role, size, text
        self.runs = None          # [(x, cs, text)], end
        self.end = None

    def slot(self):
        return round((BASE0 - self.y) / PITCH)


def parse(path):
    texts, rules, rects, marks, rotated = [], [], [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("mark "):
                marks.append(line.split(" ", 3))
                continue
            p = line.split(" ", 1)
            page, rest = int(p[0]), p[1]
            if rest.startswith("rule "):
                rules.append((page,) + tuple(float(v) for v in rest.split()[1:6]))
            elif rest.startswith("rect "):
                rects.append((page,) + tuple(float(v) for v in rest.split()[1:7]))
            elif rest.startswith("runs "):
                body, end = rest[5:].rsplit(" end ", 1)
                runs = []
                for part in body.split(" | "):
                    x, cs, t = part.strip().split(" ", 2)
                    runs.append((float(x), float(cs), t))
                texts[-1].runs, texts[-1].end = runs, float(end)
            elif rest.startswith("rot "):
                rotated.append(rest.split(" ", 6)[6])
                continue
            else:
                x, y, role, size, text = rest.split(" ", 4)
                texts.append(Text(page, float(x), float(y), role, float(size), text))
    return texts, rules, rects, marks, rotated


fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)


def body_lines(texts):
    return [t for t in texts if t.size == 16 and t.role in ("body", "heading", "subheading")]


def at_margin(t):
    """a line that starts at the block's left edge: at LEFT, or ½ em left of it
    when it starts with an opening mark (clreq 行首标点挤压: the mark's blank half
    outside the block, its ink, in the right half of the em, inside)"""
    if t.text[0] in OPEN:
        return abs(t.x - (LEFT - t.size / 2)) < 0.02
    return abs(t.x - LEFT) < 0.02


def paragraphs(texts):
    """body lines grouped into paragraphs (a paragraph starts at the indent)"""
    paras = []
    for t in body_lines(texts):
        if at_margin(t) and paras:
            paras[-1].append(t)
        else:
            paras.append([t])
    return paras


def common(texts, rules, rects):
    for t in body_lines(texts):
        check(t.text[0] not in BAD_START, "line starts with a prohibited mark: " + t.text)
        check(t.text[-1] not in BAD_END, "line ends with an opening mark: " + t.text)
        check(not (t.text[0] in OPEN and abs(t.x - LEFT) < 0.02),
              "an opening mark at the margin keeps its blank ½ em: " + t.text)
    for p in paragraphs(texts):
        for i, t in enumerate(p):
            if t.runs is None:
                continue
            for x, cs, rt in t.runs:
                if all(ord(c) < 0x80 for c in rt) and t is p[0] and \
                        min(abs(t.x - LEFT), abs(t.x - INDENT)) > 0.02:
                    continue        # not a paragraph line (the signature's date)
                if all(ord(c) < 0x80 for c in rt):
                    check(cs == 0, "Latin/digit run with extra spacing: %s in %s" % (rt, t.text))
            last = t.text[-1]
            inkr = t.end - width(last, t.size) + ink(last, t.size)[1]
            check(inkr <= RIGHT + 0.01, "ink right of the block (%.2f): %s" % (inkr, t.text))
            if i + 1 < len(p):     # justified: not the paragraph's last line
                e = t.end
                # a line-end mark squeezed to ½ em: its advance may overhang,
                # its ink reaches the edge
                # (within a quarter em: a GB-style mark's ink sits in the
                # left half of its em, as tests/measure.py allows)
                ok = abs(e - RIGHT) <= 0.5 or (last in SQUEEZABLE and e > RIGHT and
                                               RIGHT - 0.25 * 16 <= inkr <= RIGHT + 0.5)
                check(ok, "justified line ends at %.2f: %s" % (e, t.text))


def lines_text(texts, page=None):
    return [t.text for t in body_lines(texts) if page is None or t.page == page]


def c_prohibit_start(texts, **_):
    p = paragraphs(texts)
    check(len(p) == 17, "17 paragraphs")
    for q in p[:10]:
        check(len(q[0].text) == 27 and q[0].text[-1] in SQUEEZABLE,
              "mark squeezed into the first line: " + q[0].text)
        # 、。 (centred ink) give up ⅛ em at their left too: their own run
        check((q[0].runs is not None) == (q[0].text[-1] in "、。"),
              "a centred mark is set on its own: " + q[0].text)
    for q in p[10:]:
        check(len(q[0].text) == 25, "first line of 25 when two marks follow: " + q[0].text)
        check(q[1].text[1] in BAD_START and q[1].text[2] in BAD_START,
              "character + two marks start line 2: " + q[1].text)


def c_prohibit_end(texts, **_):
    for q in paragraphs(texts):
        check(len(q) == 2 and len(q[0].text) == 25 and q[1].text[0] in BAD_END,
              "opening mark moved to line 2: " + " / ".join(t.text for t in q))
        if len(q) == 2:
            check(abs(q[1].x - (LEFT - 8)) < 0.02, "its blank ½ em left of the block: %.2f" % q[1].x)


def c_open_lead(texts, rules, **_):
    p = [q for q in paragraphs(texts) if q[0].role == "body"]       # not the table title
    check(len(p) == 4 and all(len(q) == 3 for q in p), "4 paragraphs of 3 lines")
    if len(p) != 4:
        return
    for q, m in zip(p[:3], "（““"):
        t = q[1]
        check(t.text[0] == m and abs(t.x - (LEFT - 8)) < 0.02, "line 2 starts with %s ½ em left: %s" % (m, t.text))
        check(LEFT <= t.x + ink(m, 16)[0] <= LEFT + 2, "the mark's ink at the margin: " + t.text)
        # the ½ em given to the justification: still flush right, the Han gaps
        # wider than the grid's by 8 pt / 27 gaps
        check(t.runs is not None and abs(t.end - RIGHT) < 0.02, "line 2 ends at the edge: " + t.text)
        han = [cs for x, cs, rt in t.runs or [] if ord(rt[0]) >= 0x80]
        check(all(cs > TRACK + 0.2 for cs in han), "line 2 stretched by the ½ em: %s" % han)
        check(abs(q[2].x - LEFT) < 0.02 and q[0].x > LEFT + 30, "lines 1 and 3 unchanged")
    check(p[3][0].text.startswith("（一）") and abs(p[3][0].x - INDENT) < 0.02,
          "a paragraph's first line keeps its （ whole after the indent")
    # cells: 6 pt (½ em) padding; a left-aligned cell line that starts with an
    # opening mark starts at its column's rule, the mark's ink ½ em + 1.2 pt in
    cells = [t for t in texts if t.size == 12 and t.role == "body"]
    cols = sorted({r[1] for r in rules if abs(r[1] - r[3]) < 0.01})
    check(len(cols) == 4, "3 columns: %s" % cols)
    for t in cells:
        if t.text[0] not in OPEN or t.text == "（暂缺）":
            continue
        check(any(abs(t.x - c) < 0.02 for c in cols[:2]),
              "left-aligned cell line starts its mark ½ em into the padding: %.2f %s" % (t.x, t.text))
    check(sum(1 for t in cells if t.text[0] in OPEN) == 4, "four cell lines start with a mark")
    r = first(texts, "（暂缺）")
    check(abs(r.x + width(r.text, 12) - (RIGHT - 6)) < 0.02, "a right-aligned cell keeps its right edge")


def c_dash_ellipsis(texts, **_):
    lines = lines_text(texts)
    check(sum(l.count("——") for l in lines) == 3 and sum(l.count("……") for l in lines) == 2,
          "every —— and …… whole on one line")
    for t in body_lines(texts):
        for x, cs, rt in t.runs or []:
            if rt in ("——", "……"):
                check(abs(cs - (CELL - 16)) < 0.01, "dash run on the grid: %s" % t.text)


def c_numbers_unsplit(texts, **_):
    nums = ["1,234.56", "−3.5%", "+12.5%", "-0.75%", "¥1,000", "2021", "86.37"]
    p = paragraphs(texts)
    for q, n in zip(p, nums):
        check(q[1].text.startswith(n), "number %s moved whole to line 2: %s" % (n, q[1].text))


def c_latin_unsplit(texts, **_):
    lines = lines_text(texts)
    for w in ("Development", "Shanghai", "Pudong"):
        check(any(w in l for l in lines), "word whole: " + w)


def c_justify(texts, **_):
    # [layout] cjk_latin_space defaults to none: a Han-digit boundary is a
    # justification gap like the gaps between Han characters (the char_space of
    # the Han run beside it), on justified and last lines alike.
    n = 0
    for p in paragraphs(texts):
        for t in p:
            if not t.runs:
                continue
            n += t is not p[-1]
            for (x0, cs0, t0), (x1, cs1, t1) in zip(t.runs, t.runs[1:]):
                gap = x1 - run_end(x0, cs0, t0, 16) + kern(t0[-1], t1[0], 16)
                if ord(t0[-1]) >= 0x80 and ord(t1[0]) < 0x80:
                    check(abs(gap - cs0) < 0.01 + 0.005 * len(t0), "Han-digit gap %.2f, not %.2f: %s" % (gap, cs0, t.text))
                elif ord(t0[-1]) < 0x80 and ord(t1[0]) >= 0x80 and t1[0] not in BAD_START:
                    check(abs(gap - cs1) < 0.01 + 0.005 * len(t0), "digit-Han gap %.2f, not %.2f: %s" % (gap, cs1, t.text))
    check(n >= 5, "at least 5 justified mixed lines (%d)" % n)


def first(texts, s):
    return next(t for t in texts if t.text.startswith(s))


def c_heading_keep(texts, **_):
    h1, h2 = first(texts, "一、第一部分"), first(texts, "（一）第二部分")
    check(h1.page == 2 and h1.slot() == 0, "level 1 heading alone on slot 21 starts page 2")
    check(h2.page == 2 and h2.slot() == 20, "level 2 heading stays on slot 20 of page 2")
    bl = body_lines(texts)
    for h in (h1, h2):
        i = bl.index(h)
        check(bl[i + 1].page == h.page and bl[i + 1].slot() == h.slot() + 1,
              "the first line after %s on its page" % h.text)
    check(max(t.slot() for t in bl if t.page == 1) == 20, "page 1 ends on slot 20")
    check(max(t.slot() for t in bl if t.page == 2) == 21, "page 2 is full")


def full_pages(texts, pages):
    """every slot of each page in pages holds a line (page 1: from slot 2, under the title)"""
    for pg in pages:
        slots = sorted(t.slot() for t in texts if t.page == pg and t.role != "pagenum"
                       and t.size >= 16)
        want = list(range(0 if pg > 1 else 0, 22))
        if pg == 1:
            want = [0] + list(range(2, 22))
        check(slots == want, "page %d holds 22 lines: %s" % (pg, slots))


def c_page_full(texts, **_):
    p = paragraphs(texts)
    check([t.page for t in p[1]] == [1, 1, 1, 1, 2], "B splits 4 + 1")
    check([t.page for t in p[3]] == [2, 2, 3], "D splits 2 + 1")
    full_pages(texts, (1, 2))


def c_title_balanced(texts, **_):
    ts = [t for t in texts if t.role == "title"]
    check(len(ts) == 2, "two title lines")
    w = [width(t.text, 22) for t in ts]
    check(abs(w[0] - w[1]) <= 22 * 1.5, "balanced lines %s" % w)
    for t, wi in zip(ts, w):
        check(abs(t.x + wi / 2 - (LEFT + 442.205 / 2)) < 0.02, "centred " + t.text)
    check("2021" in ts[0].text + "|" and "2022" in ts[1].text, "numbers whole")
    check(not ts[0].text.endswith("2021年"), "年度 kept whole")


def c_signature(texts, **_):
    n, d = first(texts, "青禾县统计局"), first(texts, "2022年")
    track = CELL - 16
    wd = width(d.text, 16) + len(d.text) * track
    check(abs(d.x - (RIGHT - 2 * CELL - wd)) < 0.02, "date 空二字")
    check(abs(n.x - (d.x - 2 * CELL)) < 0.02, "署名 two characters left of the date")
    check(d.slot() == n.slot() + 1, "date on the next line")
    bl = [t for t in body_lines(texts) if t.page == n.page and t.y > n.y]
    check(len(bl) == 2 and n.slot() == bl[-1].slot() + 2, "two body lines, a blank line, 署名")


def c_signature_sealed(texts, **_):
    n, d = first(texts, "青禾县统计局"), first(texts, "2022年")
    track = CELL - 16
    wd = width(d.text, 16) + len(d.text) * track
    wn = width(n.text, 16) + len(n.text) * track
    check(abs(d.x - (RIGHT - 4 * CELL - wd)) < 0.02, "date 右空四字")
    check(abs((n.x + wn / 2) - (d.x + wd / 2)) < 0.02, "署名 centred over the date")
    check(d.slot() == n.slot() + 1, "date on the next line")


def c_page_numbers(texts, **_):
    pn = [t for t in texts if t.role == "pagenum"]
    check(len(pn) == 3, "three page numbers")
    for t in pn:
        check(t.text == "— %d —" % t.page, "format " + t.text)
        check(abs(t.y - 74.05) < 0.01, "7 mm below the block")
        if t.page % 2:
            check(abs(t.x + width(t.text, 14) - (RIGHT - 14)) < 0.02, "odd page right, 一字 inset")
        else:
            check(abs(t.x - (LEFT + 14)) < 0.02, "even page left, 一字 inset")


def c_page_numbers_center(texts, **_):
    pn = [t for t in texts if t.role == "pagenum"]
    check([t.page for t in pn] == [2, 3], "no number on page 1")
    for t in pn:
        check(t.text == "- %d -" % t.page, "format " + t.text)
        check(abs(t.x + width(t.text, 14) / 2 - (LEFT + 442.205 / 2)) < 0.02,
              "centred " + t.text)


def c_runin_heading(texts, **_):
    lines = lines_text(texts)
    for s in ("1.项目促进：园区", "（1）全力开展招商引资。济", "（2）加快项目建设。总"):
        check(any(l.startswith(s) for l in lines), "run-in: " + s)
    check("（3）优化营商环境" in lines, "heading without 。 on its own line")
    check("一、主要工作" in lines and "（一）招商引资" in lines, "levels 1 and 2 on their own lines")


def c_table_continued(texts, rules, **_):
    pages = max(t.page for t in texts)
    check(pages == 3, "three pages")
    for pg in range(1, pages + 1):
        on = [t.text for t in texts if t.page == pg]
        check(("续表" in on) == (pg > 1), "续表 on page %d" % pg)
        for h in ("序号", "项目名称", "类别", "投资额", "到位资金"):
            check(h in on, "header %s on page %d" % (h, pg))
    rows = [t for t in texts if t.size == 12 and t.role == "body" and t.text.isdigit() and t.x < 100]
    check([int(t.text) for t in rows] == list(range(1, 61)), "rows 1..60 once each, in order")


def c_table_tall_row(texts, **_):
    cell = [t for t in texts if t.size == 12 and t.x > 160 and t.text not in ("正常", "说明")]
    check(len(cell) >= 3, "long cell wraps to 3+ lines")
    yi = first(texts, "乙").y
    check(abs(yi - sum(t.y for t in cell) / len(cell)) < 0.01, "one-line cells centred in the tall row")


def c_table_wrap(texts, **_):
    cells = [t for t in texts if t.size == 12 and t.role == "body"]
    for t in cells:
        check(t.text[0] not in BAD_START and t.text[-1] not in BAD_END, "cell line: " + t.text)
    check(any("3000吨" in t.text for t in cells) and any("47.4%" in t.text for t in cells),
          "numbers whole in cells")
    check(any("“十四五”" in t.text for t in cells), "quotes kept with their word")
    for h in ("序号", "企业及项目", "进展情况", "状态"):
        check(any(t.text == h for t in texts), "header whole: " + h)


def c_table_width_limits(texts, rules, **_):
    mm = 72 / 25.4
    xs = sorted({round(r[1], 2) for r in rules if r[0] == 1 and abs(r[1] - r[3]) < 0.01})
    check(len(xs) == 5, "4 columns (序号 + 3): %s" % xs)
    w = [b - a for a, b in zip(xs, xs[1:])]
    check(w[1] <= 50 * mm + 0.05, "企业及项目 at most 50 mm (%.2f pt)" % w[1])
    for h in ("序号", "状态"):
        check(any(t.text == h for t in texts), "short header whole (never broken by a limit): " + h)
    check(w[2] >= 90 * mm - 0.05, "进展情况 at least 90 mm (%.2f pt)" % w[2])
    check(abs(xs[-1] - xs[0] - 442.205) < 0.05, "spans the block")


def c_table_decimal_align(texts, **_):
    nums = [t for t in texts if t.size == 12 and t.role == "body" and t.text[0].isdigit()]
    check(len(nums) == 5, "five numbers")
    ends = {round(t.x + width(t.text.split(".")[0].rstrip("%"), 12), 2) for t in nums}
    check(len(ends) == 1, "units digits line up: %s" % sorted(ends))
    dash = first(texts, "—")
    check(abs(dash.x + 12 - (RIGHT - 6)) < 0.02, "missing mark flush right")


def c_table_totals(texts, **_):
    hd = [t.text for t in texts if t.role == "heading" and t.size == 12]
    for s in ("新材料小计", "17.25", "3.75", "电子信息小计", "9.25", "1.10", "新能源小计", "合计", "46.50", "10.85"):
        check(s in hd, "bold row cell " + s)
    order = [t.text for t in texts if t.size == 12 and t.x < 100]
    check(order == ["项目甲", "项目丙", "新材料小计", "项目乙", "项目戊", "电子信息小计", "项目丁",
                    "新能源小计", "合计"], "groups together, 小计 after each, 合计 last")


def c_table_align(texts, **_):
    cells = [t for t in texts if t.size == 12 and t.role == "body"]
    by_col = {}
    for t in cells:
        if t.text[0].isdigit() or t.text[0] in "-—":
            by_col.setdefault(round(t.x + width(t.text, 12), 1), []).append(t.text)
    check(len(by_col) == 3 and all(len(v) == 4 for v in by_col.values()),
          "three right-aligned number columns of 4 cells: %s" % by_col)
    lefts = {t.x for t in cells if t.text in ("园区产值", "入库税金", "新增规上企业", "工业集中度")}
    check(len(lefts) == 1, "text column left-aligned")


def c_table_empty(texts, rules, rects, **_):
    check(not rules and not rects, "no grid")
    check(any(t.text == "本期无在建项目。" for t in texts), "empty text")
    check(any(t.text == "在建项目情况表" and t.role == "heading" for t in texts), "title")


def c_table_page_bottom(texts, **_):
    t = first(texts, "签约项目情况表")
    check(t.page == 2 and t.slot() == 0, "table starts page 2")
    after = first(texts, "表后正文。")
    check(after.page == 1 and after.slot() == 20, "the text after the table fills page 1 (slot 20)")
    check(max(x.slot() for x in body_lines(texts) if x.page == 1) == 20, "page 1 body ends on slot 20")


def c_table_foot_rows(texts, **_):
    t = first(texts, "签约项目情况表")
    check(t.page == 2 and t.slot() == 0, "the table starts page 2 (3 rows did not fit)")
    check(not any(x.size == 12 for x in texts if x.page == 1), "no header or row at the foot of page 1")
    rows = [x for x in texts if x.size == 12 and x.role == "body" and x.text.isdigit() and x.x < 120]
    check([int(x.text) for x in rows] == list(range(1, 41)), "rows 1..40 in order")
    for pg in {x.page for x in rows}:
        check(sum(1 for x in rows if x.page == pg) >= 3, "at least 3 rows on page %d" % pg)


def c_table_last_page(texts, **_):
    rows = [x for x in texts if x.size == 12 and x.role == "body" and x.text.isdigit() and x.x < 120]
    check([int(x.text) for x in rows] == list(range(1, 47)), "rows 1..46 in order")
    last = max(x.page for x in rows)
    check(last == 3, "three pages")
    on_last = [int(x.text) for x in rows if x.page == last]
    check(on_last == [45, 46], "rows 45-46 on the last page with 合计: %s" % on_last)
    total = first(texts, "合计")
    check(total.page == last, "合计 on the last page")
    page2 = [x for x in rows if x.page == 2]
    check(len(page2) == 23, "page 2 gives up one row (%d)" % len(page2))


def c_table_autofit(texts, **_):
    wide = [x for x in texts if x.page == 1 and x.role == "body" and x.size < 12 and "," in x.text]
    sizes = sorted({x.size for x in texts if x.role in ("body", "heading") and x.size < 16})
    check(sizes == [10.5, 11.5], "two tables, at 11.5 pt and 10.5 pt: %s" % sizes)
    fit = [x for x in texts if x.size == 11.5]
    check(fit and all(x.text in ("序号", "甲", "乙", "丙", "丁", "戊") or x.text.isdigit() or
                      (len(x.text) == 12 and x.text[-3] == ".") for x in fit),
          "at 11.5 pt every figure and header is whole")
    del wide


def c_chart_decimals(texts, **_):
    labels = [t.text for t in texts if t.size == 9]
    bars = [l for l in labels if "." in l]
    check(sorted(bars) == ["0.60", "24.80", "35.05"], "bar labels with 2 decimals: %s" % labels)
    check(sorted(l for l in labels if "." not in l) == ["2", "4", "6"], "line labels whole: %s" % labels)


def cat_labels(texts, names):
    """horizontal category labels: consecutive 10.5 pt lines centred on one x,
    each below the one before, joined; [(text, lines)]"""
    out = []
    for t in texts:
        if t.size != 10.5 or not t.text or not any(t.text in n for n in names):
            continue
        cx = t.x + width(t.text, t.size) / 2
        if out and abs(out[-1][2] - cx) < 0.02 and t.y < out[-1][3]:
            out[-1] = (out[-1][0] + t.text, out[-1][1] + 1, cx, t.y, out[-1][4] + [t.text])
        else:
            out.append((t.text, 1, cx, t.y, [t.text]))
    return out


PARKS = ["青禾经济技术开发区", "青禾高新区", "临港物流园", "新材料、新能源产业园", "生物医药产业园",
         "绿色食品工业园", "智能制造园", "数字经济产业园"]


def c_chart_labels_wrap(texts, rotated, **_):
    labs = cat_labels(texts, PARKS)
    check([l[0] for l in labs] == PARKS, "every park labelled, in order: %s" % [l[0] for l in labs])
    check(all(2 <= l[1] <= 3 for l in labs), "each wrapped onto 2 or 3 lines: %s" % [l[1] for l in labs])
    check(sum(l[1] == 2 for l in labs) >= 5, "mostly 2 lines")
    check(not rotated, "no rotated text: %s" % rotated)
    check(not any(ln[0] in BAD_START for l in labs for ln in l[4]), "no line starts with 、")
    check(["新材料、", "新能源", "产业园"] in [l[4] for l in labs], "新材料、 / 新能源 / 产业园: %s" % labs[3:4])
    slot = (labs[-1][2] - labs[0][2]) / 7
    check(all(width(ln, 10.5) <= slot for l in labs for ln in l[4]), "every line within its slot")
    vals = sorted(t.text for t in texts if t.size == 9)
    check(vals == sorted(["35.1", "28.4", "12.0", "19.7", "15.2", "9.8", "22.4", "6.5"]),
          "value labels with decimals = 1: %s" % vals)


def c_chart_labels_thin(texts, rotated, **_):
    days = ["%d日" % d for d in range(1, 32)]
    labs = [t.text for t in texts if t.size == 10.5 and t.text in days]
    check(not rotated, "no rotated text: %s" % rotated)
    check(labs == days[::2], "every 2nd day, the first and the last: %s" % labs)


def c_chart_missing_month(texts, rules, rects, **_):
    base = min(r[2] for r in rects)
    bars = [r for r in rects if abs(r[5] - 0.25) < 1e-6 and abs(r[2] - base) < 0.01]
    check(len(bars) == 11, "11 bars, none for 5月 (%d)" % len(bars))
    xs = sorted(t.x for t in texts if t.text.endswith("月") and t.size == 10.5)
    m4, m6 = xs[3], xs[5]
    segs = [r for r in rules if abs(r[5] - 1.2) < 1e-6 and r[2] != r[4]]
    check(not any(r[1] < m4 + 20 and r[3] > m6 - 5 for r in segs), "line broken at 5月")
    check(any(t.text == "5月" for t in texts), "5月 label")


def c_chart_shrink(texts, rules, rects, **_):
    title = first(texts, "园区月度产值")
    check(title.page == 1 and title.slot() == 11, "chart title on page 1, slot 11")
    check(all(t.page == 1 for t in texts), "everything on one page")
    lowest = min(r[2] for r in rules + rects if r[0] == 1)
    bottom = 841.890 - 104.882 - 637.795                          # block bottom
    check(bottom < lowest < bottom + 2 * PITCH, "chart reaches the block bottom (%.2f)" % lowest)
    check(any(t.text == "12月" for t in texts), "all categories")


def c_lead_in_float(texts, **_):
    intro = first(texts, "全年各月产值见下图。")
    title = first(texts, "园区月度产值")
    check(intro.page == 1 and intro.slot() == 17, "the lead-in stays on page 1, slot 17")
    check(title.page == 2 and title.slot() == 0, "the chart floats to the top of page 2")
    full_pages(texts, (1,))
    bl = [t for t in body_lines(texts) if t.role == "body"]
    after = bl[bl.index(intro) + 1:]
    check([t.page for t in after] == [1, 1, 1, 1, 2, 2], "the paragraph after the chart fills page 1")
    check(after[4].slot() == 13, "and goes on under the chart (slot 13)")


def c_punct_ink(texts, **_):
    p = paragraphs(texts)
    check(len(p) == 9, "9 paragraphs")
    for q in p[:8]:
        t = q[0]
        m = t.text[-1]
        check(len(t.text) == 27 and m in SQUEEZABLE, "mark squeezed into line 1: " + t.text)
        if m in "、。":
            # centred ink: the mark is its own run, its ink ends at the edge
            check(t.runs is not None and t.runs[-1][2] == m, "centred mark on its own: " + t.text)
            if t.runs:
                x = t.runs[-1][0]
                l, r = ink(m, 16)
                check(abs(x + r - RIGHT) < 0.02, "ink of %s ends at the edge (%.2f)" % (m, x + r))
                # ½ em in all: ⅜ at its right (the advance overhangs by that), ⅛ at its left
                check(abs(t.end - (RIGHT + 6)) < 0.02, "advance overhangs by ⅜ em: %.2f" % t.end)
        else:
            check(t.runs is None, "a GB-style mark keeps the line one box: " + t.text)
    last = p[8]
    check(any("、" in t.text[1:-1] for t in last), "a 、 inside a line is not squeezed")


def c_punct_adjacent(texts, **_):
    pairs = 0
    for t in body_lines(texts):
        s = t.text
        for i in range(len(s) - 1):
            k = kern(s[i], s[i + 1], 16)
            if k == 0:
                continue
            pairs += 1
            # the pair is a run boundary; the gap is the run's spacing less the kerning
            j, acc = None, 0
            for n, (x, cs, rt) in enumerate(t.runs or []):
                if acc + len(rt) == i + 1:
                    j = n
                acc += len(rt)
            check(j is not None and j + 1 < len(t.runs), "pair %s%s at a run boundary: %s" % (s[i], s[i + 1], s))
            if j is None or j + 1 >= len(t.runs):
                continue
            x0, cs0, t0 = t.runs[j]
            x1 = t.runs[j + 1][0]
            gap = x1 - run_end(x0, cs0, t0, 16)
            check(abs(gap - (cs0 - k)) < 0.01 + 0.005 * len(t0), "%s%s kerned by %.2f (gap %.2f, cs %.2f): %s" %
                  (s[i], s[i + 1], k, gap, cs0, s))
            # two GB-style marks: 1.5 em in all
            if s[i] not in "、。" and s[i + 1] not in "、。":
                check(abs(k - 8) < 0.01, "%s%s: 2 em -> 1.5 em" % (s[i], s[i + 1]))
            ia = x1 - 16 - gap + ink(s[i], 16)[1]           # a's ink right
            ib = x1 + ink(s[i + 1], 16)[0]
            # a tenth of an em between the inks at natural spacing; a
            # tightened line (grid tracking, shrink) may take its tracking
            check(ib - ia >= 1.6 + min(cs0, 0) - 0.02 - 0.005 * len(t0), "inks %.2f apart: %s%s" % (ib - ia, s[i], s[i + 1]))
    check(pairs >= 14, "at least 14 kerned pairs (%d)" % pairs)


TRACK = 442.205 / 28 - 16        # the grid's tracking (cell - em)


def c_punct_shrink(texts, **_):
    p = paragraphs(texts)
    check(len(p) == 2, "2 paragraphs")
    a, b = p[0][0], p[1][0]
    # 1. "2022年" taken in: the line ends with it, at the edge, no gap stretched
    check(a.text.endswith("2022年") and a.runs is not None, "number + unit pulled into line 1: " + a.text)
    if a.runs:
        check(abs(a.end - RIGHT) < 0.02, "shrunk line ends at the edge (%.2f)" % a.end)
        han = [cs for x, cs, t in a.runs if ord(t[0]) >= 0x80]
        check(all(TRACK - 0.25 <= cs <= TRACK + 0.01 for cs in han),
              "gaps tightened by at most 0.25 pt, never stretched: %s" % han)
        took = []
        for (x0, cs0, t0), (x1, cs1, t1) in zip(a.runs, a.runs[1:]):
            if t0[-1] != "，":
                continue
            gap = x1 - run_end(x0, cs0, t0, 16)
            took.append(cs0 - gap)
            # the mark's ink (right edge) stays left of the next glyph's ink
            xm = x1 - gap - 16
            check(xm + ink("，", 16)[1] <= x1 + ink(t1[0], 16)[0], "ink of ， cut: " + a.text)
        check(len(took) == 3, "three compressed ， (%d)" % len(took))
        check(all(0.5 < v <= 8.01 for v in took), "each ， gives up at most ½ em: %s" % took)
        check(max(took) - min(took) < 0.02, "evenly: %s" % took)
    # 2. one ， cannot make room: the number goes down whole, the line stretches
    check(len(p[1]) >= 2 and p[1][1].text.startswith("2022年"), "number + unit moved whole to line 2")
    check(b.runs is None and b.text.endswith("建设加"), "stretched line is one run: " + b.text)
    n = len(b.text)
    cs = (RIGHT - b.x - width(b.text, 16)) / (n - 1)
    check(TRACK + 1 < cs < 4, "line 1 of paragraph 2 stretched (%.2f a gap, ≤ ¼ em)" % cs)


UNITS = ["32.0亿元", "3万吨", "3000吨/年", "180余家", "2.3个百分点", "1.5万美元", "35千伏",
         "12.6公里", "800亩", "16个", "14户", "5‰", "+12.6万元", "120人"]


def c_units_unsplit(texts, **_):
    p = paragraphs(texts)
    check(len(p) == len(UNITS), "%d paragraphs" % len(UNITS))
    for q, u in zip(p, UNITS):
        check(len(q) >= 2 and q[1].text.startswith(u),
              "%s moved whole to line 2: %s" % (u, " / ".join(t.text for t in q)))


def c_cjk_latin_space(texts, **_):
    seen = set()
    for t in texts:
        for (x0, cs0, t0), (x1, cs1, t1) in zip(t.runs or [], (t.runs or [])[1:]):
            a, b = t0[-1], t1[0]
            if (ord(a) >= 0x80) == (ord(b) >= 0x80) or a in BAD_START | BAD_END or b in BAD_START | BAD_END:
                continue
            gap = x1 - run_end(x0, cs0, t0, t.size)
            q = t.size / 4
            tol = 0.01 + 0.005 * len(t0)     # the dump's rounding of cs
            check(abs(gap - q) < tol or abs(gap - q - cs0) < tol,
                  "¼ em (%.2f) between %s and %s, not %.2f: %s" % (q, a, b, gap, t.text))
            seen.add((t.role, t.size))
    for rs in [("title", 22), ("heading", 16), ("body", 16), ("heading", 12), ("body", 12), ("body", 10.5)]:
        check(rs in seen, "a ¼ em gap in %s %g pt" % rs)
    d = first(texts, "2022年")
    check(d.runs is not None and len(d.runs) == 6, "the date set with gaps: %s" % d.runs)


def main():
    name, path = sys.argv[1], sys.argv[2]
    texts, rules, rects, marks, rotated = parse(path)
    common(texts, rules, rects)
    fn = globals().get("c_" + name.replace("-", "_"))
    if fn is None:
        fails.append("no rule check for case " + name)
    else:
        try:
            fn(texts, rules=rules, rects=rects, marks=marks, rotated=rotated)
        except (StopIteration, IndexError, ValueError) as e:
            fails.append("check crashed: %r" % e)
    for f in fails:
        print("%s: %s" % (name, f))
    sys.exit(1 if fails else 0)


main()
