#!/usr/bin/env python3
"""The bench's ledger report as a Typst and a XeLaTeX document.

    python3 tests/bench/peers.py typst DATADIR OUT.typ
    python3 tests/bench/peers.py tex   DATADIR OUT.tex

DATADIR holds projects.csv and kpi.csv as tests/gen_ledger.py writes them.
The document is what tests/bench/ledger.ini + ledger.md make zongjie print:
the title (22 pt, song), the issuing body (16 pt, kai), heading 一、, the
paragraph with the same figures (16 pt, fang-song role, 2-em indent), the
table title, 单位：亿元, a ruled 7-column table (序号, 项目名称, 企业, 类别,
投资额, 到位资金, 状态; 12 pt; header repeated on every page; numbers right
aligned with two decimals, a blank 到位资金 printed as —) ending in a bold
合计 row, and the page number "— N —" at the foot; A4 with the GB/T 9704
margins (top 37 mm, left 28 mm, 156 mm x 225 mm text block).  The fonts
are the ones zongjie falls back to on a machine without the 公文 fonts (the
[fonts] lines of ledger.ini): AR PL SungtiL GB, AR PL UMing CN, WenQuanYi
Zen Hei, AR PL UKai CN and Liberation Serif.

The figures are computed here the way the template computes them, so every
peer typesets the same text; the peers only typeset.  Standard library only.
"""

import csv
import os
import sys

STATUSES = ("签约", "在建", "投产")
# Column widths in points, as zongjie's automatic widths come out for the
# bench ledger (text block 442.2 pt).
WIDTHS = (36.0, 90.7, 84.0, 82.0, 53.5, 60.0, 36.0)
HEAD = ("序号", "项目名称", "企业", "类别", "投资额", "到位资金", "状态")
MISSING = "—"


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


def load(datadir):
    """(rows, paragraph, total row) from DATADIR."""
    with open(os.path.join(datadir, "projects.csv"), encoding="utf-8-sig",
              newline="") as f:
        r = csv.reader(f)
        hdr = next(r)
        ix = {h: i for i, h in enumerate(hdr)}
        rows = []
        for rec in r:
            rows.append((rec[ix["项目名称"]], rec[ix["企业"]], rec[ix["类别"]],
                         num(rec[ix["投资额"]]), num(rec[ix["到位资金"]]),
                         rec[ix["状态"]]))
    with open(os.path.join(datadir, "kpi.csv"), encoding="utf-8-sig",
              newline="") as f:
        kpi = {rec["指标"]: rec for rec in csv.DictReader(f)}
    inv = sum(r[3] for r in rows if r[3] is not None)
    paid = sum(r[4] for r in rows if r[4] is not None)
    share = "%.1f%%" % (100.0 * paid / inv) if inv else MISSING
    count = {s: sum(1 for r in rows if r[5] == s) for s in STATUSES}
    para = ("截至2021年12月，园区项目台账共登记项目%d个，协议投资总额%.2f亿元，"
            "累计到位资金%.2f亿元，资金到位率%s；其中签约项目%d个，在建项目%d个，"
            "投产项目%d个。全年园区实现产值%.1f亿元。全部项目情况见下表。"
            % (len(rows), inv, paid, share, count["签约"], count["在建"],
               count["投产"], float(kpi["园区产值"]["本期"])))
    return rows, para, ("合计", "%.2f" % inv, "%.2f" % paid)


def fmt(v):
    return MISSING if v is None else "%.2f" % v


def typ_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst(rows, para, total, out):
    w = out.write
    w('#set document(title: "2021年项目台账")\n')
    w('#set page(paper: "a4", margin: (top: 37mm, left: 28mm, right: 26mm,'
      ' bottom: 35mm), numbering: "— 1 —")\n')
    w('#set text(font: ("Liberation Serif", "AR PL UMing CN"), size: 16pt,'
      ' lang: "zh")\n')
    w('#set par(justify: true, leading: 13pt, first-line-indent: 2em)\n')
    w('#align(center, text(font: "AR PL SungtiL GB", size: 22pt)'
      '[2021年项目台账])\n')
    w('#align(center, text(font: "AR PL UKai CN")'
      '[青禾县工业集中发展区管理委员会])\n')
    w('#text(font: ("Liberation Serif", "WenQuanYi Zen Hei"))'
      '[一、2021年项目台账]\n\n')
    w('#par[%s]\n\n' % para)
    w('#align(center, text(font: ("Liberation Serif", "WenQuanYi Zen Hei"))'
      '[2021年项目台账])\n')
    w('#align(right, text(size: 12pt)[单位：亿元])\n')
    w('#set text(size: 12pt)\n#set par(first-line-indent: 0em,'
      ' justify: false, leading: 6pt)\n')
    w('#let h(s) = text(font: ("Liberation Serif", "WenQuanYi Zen Hei"), s)\n')
    w('#table(columns: (%s), stroke: 0.5pt, inset: 3pt,\n'
      '  align: (center, left, left, left, right, right, center),\n'
      '  table.header(%s),\n'
      % (", ".join("%gpt" % x for x in WIDTHS),
         ", ".join("h[%s]" % s for s in HEAD)))
    for i, r in enumerate(rows, 1):
        w('  [%d], %s, %s, %s, [%s], [%s], %s,\n'
          % (i, typ_str(r[0]), typ_str(r[1]), typ_str(r[2]), fmt(r[3]),
             fmt(r[4]), typ_str(r[5])))
    w('  table.cell(colspan: 4, align: center, h[%s]), h[%s], h[%s], [],\n'
      % total)
    w(')\n')


def tex_str(s):
    out = []
    for c in s:
        if c in "\\{}$&#^_%~":
            out.append("\\char%d{}" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def tex(rows, para, total, out):
    w = out.write
    cols = "|".join(
        (">{\\centering\\arraybackslash}p{%gpt}" if j in (0, 6) else
         ">{\\raggedleft\\arraybackslash}p{%gpt}" if j in (4, 5) else
         ">{\\raggedright\\arraybackslash}p{%gpt}") % (x - 6)
        for j, x in enumerate(WIDTHS))
    w("\\documentclass[12pt]{article}\n"
      "\\usepackage[a4paper,top=37mm,left=28mm,right=26mm,bottom=35mm]"
      "{geometry}\n"
      "\\usepackage{xeCJK}\n\\usepackage{longtable,array}\n"
      "\\setmainfont{Liberation Serif}\n"
      "\\setCJKmainfont{AR PL UMing CN}\n"
      "\\newCJKfontfamily\\songti{AR PL SungtiL GB}\n"
      "\\newCJKfontfamily\\heiti{WenQuanYi Zen Hei}\n"
      "\\newCJKfontfamily\\kaiti{AR PL UKai CN}\n"
      "\\renewcommand{\\thepage}{— \\arabic{page} —}\n"
      "\\setlength{\\tabcolsep}{3pt}\n"
      "\\setlength{\\parindent}{2em}\n"
      "\\begin{document}\n"
      "\\fontsize{16pt}{29pt}\\selectfont\n"
      "\\begin{center}{\\songti\\fontsize{22pt}{33pt}\\selectfont "
      "2021年项目台账}\n\n{\\kaiti 青禾县工业集中发展区管理委员会}\\end{center}\n"
      "\\noindent{\\heiti 一、2021年项目台账}\n\n%s\n\n"
      "\\begin{center}{\\heiti 2021年项目台账}\\end{center}\n"
      "\\fontsize{12pt}{18pt}\\selectfont\n"
      "\\begin{longtable}{|%s|}\n"
      "\\multicolumn{7}{r}{单位：亿元}\\\\\n\\hline\n" % (tex_str(para), cols))
    head = " & ".join("{\\heiti %s}" % s for s in HEAD) + " \\\\\n\\hline\n"
    w(head + "\\endfirsthead\n\\multicolumn{7}{l}{续表}\\\\\n\\hline\n" + head
      + "\\endhead\n")
    for i, r in enumerate(rows, 1):
        w("%d & %s & %s & %s & %s & %s & %s \\\\ \\hline\n"
          % (i, tex_str(r[0]), tex_str(r[1]), tex_str(r[2]), fmt(r[3]),
             fmt(r[4]), tex_str(r[5])))
    w("\\multicolumn{4}{|c|}{\\heiti %s} & {\\heiti %s} & {\\heiti %s} & \\\\"
      " \\hline\n\\end{longtable}\n\\end{document}\n" % total)


def main(argv):
    if len(argv) != 4 or argv[1] not in ("typst", "tex"):
        sys.stderr.write("usage: peers.py typst|tex DATADIR OUT\n")
        return 2
    rows, para, total = load(argv[2])
    tmp = argv[3] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        (typst if argv[1] == "typst" else tex)(rows, para, total, out)
    os.replace(tmp, argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
