#!/usr/bin/env python3
# Writes the inputs of the golden cases (tests/cases/*/report.ini, report.md,
# *.csv) from the definitions below.  Run from the repository root, then
# `tests/golden.sh --update`, review the diff of every expected.layout by hand
# and let tests/cases/verify.py confirm each rule.
import os
FILL = "园区经济运行总体平稳发展质量稳步提升项目建设加快推进产业结构持续优化营商环境不断改善"
def fill(n, off=0):
    s = ""
    while len(s) < n + off:
        s += FILL
    return s[off:off + n]
def para(lines, off=0):
    """a paragraph of exactly `lines` full lines (26 + 28 each)"""
    return fill(26 + 28 * (lines - 1), off)

def ini(name, title="测试文档", extra="", report_extra=""):
    return f"""; golden case {name}: see report.md
[report]
title = {title}
template = report.md
period = 2021-12
missing = —
{report_extra}
[fonts]
title = FakeSong
body = FakeFang
heading = FakeHei
subheading = FakeKai
latin = FakeTimes
pagenum = FakeSong
{extra}"""

cases = {}

def case(name, md, extra="", title="测试文档", report_extra="", csv=None):
    cases[name] = (md, extra, title, report_extra, csv or {})

# ---- GB/T 9704 / clreq rules ------------------------------------------------
marks_push = ["，”", "。）", "、》", "；」", "：』", "？】", "！〕"]
marks_sq = ["，", "。", "、", "；", "：", "？", "！", "”", "）", "》"]
md = "%% rule: no line starts with ，。、；：？！ or a closing mark (clreq GB style).\n"
md += "%% The first paragraphs put one mark right after a full first line (26 characters):\n"
md += "%% it is squeezed into the line as ½ em (先挤进).  The later ones put two marks there:\n"
md += "%% squeezing cannot help, so the character before them goes down with them (后推出).\n\n"
for i, m in enumerate(marks_sq):
    md += fill(26, i) + m + fill(10, i + 3) + "。\n\n"
for i, m in enumerate(marks_push):
    md += fill(26, i) + m + fill(10, i + 5) + "。\n\n"
case("prohibit-start", md)

md = "%% rule: no line ends with an opening mark “‘（《【「『〔: the mark would be the 26th\n"
md += "%% character of the first line; it goes down to the next line with what it opens.\n\n"
for i, m in enumerate(["“", "‘", "（", "《", "【", "「", "『", "〔"]):
    close = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "「": "」", "『": "』", "〔": "〕"}[m]
    md += fill(25, i) + m + "产业" + close + fill(12, i) + "。\n\n"
case("prohibit-end", md)

md = "%% rule: the dash —— and the ellipsis …… are never split across lines, and never\n"
md += "%% start a line: with 25 characters before them they would straddle the line end,\n"
md += "%% so they go down together with the character before them.  Inside a line they\n"
md += "%% are set on the grid (one run, never expanded).\n\n"
md += fill(25) + "——" + fill(12) + "。\n\n"
md += fill(25, 3) + "……" + fill(12, 3) + "。\n\n"
md += fill(24, 5) + "——" + fill(12, 5) + "。\n\n"
md += fill(10, 7) + "——" + fill(20, 7) + "……" + fill(8) + "。\n"
case("dash-ellipsis", md)

md = "%% rule: a number with its sign, separators, decimals and percent is never split\n"
md += "%% (GB/T 9704-1999 §8.2.3 数字、年份不能回行): each number below would straddle the end\n"
md += "%% of the first line; it moves to the next line whole.  Digits are ½ em (fake metrics).\n"
md += "%% A number that would fit by tightening the line (shrink before stretch, ≤ 0.24 pt a\n"
md += "%% gap) gets one more character before it, so that it still straddles.\n\n"
CELL = 442.205 / 28
def adv(t):
    """advance of t on a line (fake metrics): Han a cell, ASCII ½ em untracked"""
    return sum(8 if ord(c) < 0x80 else CELL for c in t)
def tight_fits(k, t):
    """k cells then t fit the first line (26 cells) by tightening each gap ≤ 0.24 pt"""
    return k * CELL + adv(t) <= 26 * CELL + 0.24 * (k + len(t) - 1) + 0.01
for i, n in enumerate(["1,234.56", "−3.5%", "+12.5%", "-0.75%", "¥1,000", "2021", "86.37"]):
    k = 25 if tight_fits(24, n) else 24
    md += fill(k, i) + n + fill(14, i) + "。\n\n"
case("numbers-unsplit", md)

md = "%% rule: a Latin word is never split (no hyphenation): Development would straddle\n"
md += "%% the end of the first line and moves to the next line whole; the Latin run keeps its\n"
md += "%% natural spacing (char_space 0) while the Han text around it is justified.\n\n"
md += fill(22) + "Development" + fill(20) + "。\n\n"
md += fill(20, 3) + "Shanghai Pudong" + fill(20, 3) + "。\n"
case("latin-unsplit", md)

md = "%% rule: justification.  Every line but the last of a paragraph ends exactly at the\n"
md += "%% right edge of the text block (521.57); lines with digits are several runs: digit\n"
md += "%% runs keep char_space 0, a Han-digit gap of ⅛..¼ em, none next to Chinese\n"
md += "%% punctuation, the rest of the slack goes between Han characters.  Last lines\n"
md += "%% keep the grid tracking (-0.21) and ¼ em gaps.\n\n"
md += ("2021年，园区实现产值286.4亿元，同比增长23.6%，完成年度目标的106.1%；入库税金9.86亿元，"
       "同比增长21.4%；规模以上工业增加值68.35亿元，同比增长18.0%；新增规模以上工业企业14户；"
       "工业集中度达到72.6%，比上年提高2.3个百分点。\n\n")
md += ("全年走访企业180余家，签约引进项目16个（其中亿元以上项目12个），协议投资总额109.8亿元，"
       "到位资金16.61亿元，资金到位率15.1%；年产3000吨多晶硅项目运行平稳，全年生产多晶硅2860吨。\n\n")
md += para(3) + "\n"
case("justify", md)

md = "%% rule: a heading keeps the first line of what follows on its page (与下段同页).\n"
md += "%% The first paragraph ends on slot 20 of page 1; the level-1 heading would be alone\n"
md += "%% on slot 21, so it starts page 2.  On page 2 the level-2 heading on slot 20 keeps\n"
md += "%% one line of its paragraph on slot 21 and stays: no stricter rule costs a line.\n\n"
md += para(19) + "\n\n# 第一部分\n\n" + para(4, 2) + "\n\n" + para(15, 4) + "\n\n## 第二部分\n\n" + para(3, 6) + "\n"
case("heading-keep", md)

md = "%% rule: pages are full like the form's: 22 lines on every page of text, no\n"
md += "%% widow/orphan rule pushing a line on.  Paragraph B (5 lines) meets the page end with\n"
md += "%% 4 slots left: it splits 4 + 1.  Paragraph D (3 lines) meets the end of page 2 with\n"
md += "%% 2 slots left: it splits 2 + 1.  Pages 1 and 2 end on slot 21.\n\n"
md += para(16) + "\n\n" + para(5, 3) + "\n\n" + para(19, 5) + "\n\n" + para(3, 7) + "\n"
case("page-full", md)

md = "%% rule: a long title (2号, 22 pt) is broken into balanced, centred lines (梯形/菱形\n"
md += "%% shape, words kept whole) instead of a full line and a short one: 30 characters at\n"
md += "%% 20 a line give 15 + 15, not 20 + 10.  Numbers (2021, 2022) are not split, and\n"
md += "%% the break avoids splitting the word 年度 (2021年|度).\n\n"
md += "正文第一段。\n"
case("title-balanced", md, title="关于青禾县工业集中发展区2021年度工作总结和2022年工作思路的报告")

md = "%% rule: signature block (GB/T 9704 §7.3.5.2).  After one blank line the 署名 is\n"
md += "%% right-aligned 空二字, the date on the next line starts two characters right of the\n"
md += "%% 署名 (here the date is longer, so the date is 空二字 and the 署名 sits two characters\n"
md += "%% left of it).  The body ends on slot 20, so the signature would go alone to page 2:\n"
md += "%% the last two body lines go with it.\n\n"
md += para(19) + "\n"
case("signature", md, report_extra="signature = 青禾县统计局\ndate = 2022年1月10日\n")

md = "%% rule: page numbers (GB/T 9704 §7.5): \"— N —\" 4号 (14 pt), 7 mm below the text\n"
md += "%% block; odd pages right with one character inset (x = 521.57 - 14 - width), even\n"
md += "%% pages left with one character inset (x = 79.37 + 14).  Three pages.\n\n"
md += para(20) + "\n\n" + para(22, 3) + "\n\n" + para(5, 6) + "\n"
case("page-numbers", md)

md = "%% rule: level-3 and level-4 headings ending in 。 or ： run into the paragraph after\n"
md += "%% them (（1）全力开展招商引资。……); other headings stay on their own line.\n\n"
md += "# 主要工作\n\n## 招商引资\n\n### 项目促进：\n\n" + fill(40) + "。\n\n"
md += "#### 全力开展招商引资。\n\n" + fill(50, 3) + "。\n\n"
md += "#### 加快项目建设。\n\n" + fill(30, 6) + "。\n\n"
md += "#### 优化营商环境\n\n" + fill(30, 9) + "。\n"
case("runin-heading", md)

# ---- tables -------------------------------------------------------------------
def rows_csv(header, rows):
    out = ",".join(header) + "\n"
    for r in rows:
        out += ",".join(r) + "\n"
    return out

def data_sec(name, fname, key=None):
    s = f"\n[data.{name}]\nfile = {fname}\n"
    if key:
        s += f"key = {key}\n"
    return s

names = ["碳纤维复合材料产业园", "卫星通信电子材料产业基地", "多晶硅扩能增资项目", "轨道交通减隔震新材料项目",
         "锂电隔膜项目", "高纯电子化学品项目", "医用高分子材料产业化项目", "特种工程塑料改性项目"]
cats = ["新材料", "电子信息", "新能源", "轨道交通"]
def proj_rows(n):
    rows = []
    for i in range(n):
        inv = (i * 37 % 97) + (i * 13 % 100) / 100
        rows.append([names[i % len(names)] + ("" if i < len(names) else "%d期" % (i // len(names) + 1)),
                     cats[i % len(cats)], "%.2f" % inv, "%.2f" % (inv * 0.3), "签约"])
    return rows
ph = ["项目名称", "类别", "投资额", "到位资金", "状态"]

md = "%% rule: a table that continues on the next pages repeats its header row under a\n"
md += "%% 续表 label (top left; the unit line stays at the right); 60 rows over 3 pages.\n\n"
md += "下表列出全部签约项目。\n\n@table projects\n\n表后正文。\n"
extra = data_sec("projects", "projects.csv") + """
[table.projects]
source = projects
title = 签约项目情况表
unit = 单位：亿元
number = yes
col1 = 项目名称
col2 = 类别 | 类别 | | center
col3 = 投资额 | 投资额 | .2
col4 = 到位资金 | 到位资金 | .2
"""
case("table-continued", md, extra=extra, csv={"projects.csv": rows_csv(ph, proj_rows(60))})

md = "%% rule: a row taller than the rest: its long 说明 cell wraps to several lines, the\n"
md += "%% row grows to fit and the one-line cells of that row are centred vertically.\n\n"
md += "@table notes\n"
rows = [["甲", "1.5", "正常"], ["乙", "2.25", "因多条主干道跨年度施工，道路建成里程同比下降，预计明年上半年集中通车，届时全年建成里程将明显回升，达到规划目标要求；同时，管线入地、绿化和照明等配套工程同步实施，沿线企业进出条件将得到根本改善，为后续项目落地创造条件"], ["丙", "10", "正常"]]
extra = data_sec("notes", "notes.csv") + """
[table.notes]
source = notes
title = 指标说明表
col1 = 指标
col2 = 数值 | 数值 | .2
col3 = 说明
"""
case("table-tall-row", md, extra=extra, csv={"notes.csv": rows_csv(["指标", "数值", "说明"], rows)})

md = "%% rule: long Chinese text cells wrap inside their column with the line-breaking rules\n"
md += "%% (no cell line starts with ，。、 or a closing mark; numbers whole; no lone last\n"
md += "%% character); the two long columns share the width in proportion to their text.\n\n"
md += "@table wrap\n"
rows = [["禾光硅业有限公司（原禾光新能源材料有限公司），年产3000吨多晶硅", "完成技改扩能，产值同比增长47.4%，达产达效", "已投产"],
        ["晨蓝新材料股份有限公司芳纶纤维项目（一期）", "满负荷生产；二期进入设备联动调试阶段，预计“十四五”期末全面建成", "在建"],
        ["牧禾玻璃钢新型管材项目", "厂房主体已完工，设备安装进行中，计划年底投产。", "在建"]]
extra = data_sec("wrap", "wrap.csv") + """
[table.wrap]
source = wrap
title = 重点项目进展表
number = yes
col1 = 企业及项目
col2 = 进展情况
col3 = 状态 | 状态 | | center
"""
case("table-wrap", md, extra=extra, csv={"wrap.csv": rows_csv(["企业及项目", "进展情况", "状态"], rows)})

md = "%% rule: an opening mark that starts a line at the margin gives up the blank ½ em at\n"
md += "%% its left (clreq 行首标点挤压): its box starts ½ em left of the block, its ink (right\n"
md += "%% half of the em) at the margin, and the line keeps its right edge (the ½ em goes to\n"
md += "%% the justification).  A paragraph's first line keeps its mark whole after the 2-em\n"
md += "%% indent (左空二字 counts the mark as a cell).  Table cells (no indent) do it on\n"
md += "%% every line of a left-aligned cell.  Digits make the lines runs (the dump shows\n"
md += "%% their end).\n\n"
md += fill(26) + "（2021年规划）" + fill(40, 2) + "。\n\n"
md += fill(26, 3) + "“十四五”时期的2022年" + fill(40, 4) + "。\n\n"
md += fill(26, 5) + "“《规划》”于2021年" + fill(40, 6) + "。\n\n"
md += "（一）" + fill(20) + "2021年" + fill(30, 7) + "。\n\n"
md += "@table lead\n"
rows = [["“十四五”规划项目", "（2021年）完成技改扩能，产值同比增长47.4%，达产达效", "12.5"],
        ["碳纤维复合材料产业园", "厂房主体已完工，设备安装进行中（计划年底投产）", "（暂缺）"]]
extra = data_sec("lead", "lead.csv") + """
[table.lead]
source = lead
title = 项目进展表
col1 = 项目
col2 = 进展情况 | 进展情况 | | left | 40
col3 = 投资额 | 投资额 | | right
"""
case("open-lead", md, extra=extra, csv={"lead.csv": rows_csv(["项目", "进展情况", "投资额"], rows)})

md = "%% rule: subtotals and total: group = 类别 puts the rows of one category together with\n"
md += "%% a bold (heading role) 小计 row after each group, and total = yes a bold 合计 row at\n"
md += "%% the end; the sums keep the column's decimals (.2).\n\n"
md += "@table sums\n"
rows = [["项目甲", "新材料", "12.50", "3.25"], ["项目乙", "电子信息", "8.00", "1.10"], ["项目丙", "新材料", "4.75", "0.50"],
        ["项目丁", "新能源", "20.00", "6.00"], ["项目戊", "电子信息", "1.25", ""]]
extra = data_sec("sums", "sums.csv") + """
[table.sums]
source = sums
title = 分类汇总表
unit = 单位：亿元
group = 类别
total = yes
col1 = 项目名称
col2 = 类别 | 类别 | | center
col3 = 投资额 | 投资额 | .2
col4 = 到位资金 | 到位资金 | .2
"""
case("table-totals", md, extra=extra, csv={"sums.csv": rows_csv(["项目名称", "类别", "投资额", "到位资金"], rows)})

md = "%% rule: alignment of mixed widths: numbers right-aligned (same decimals per column,\n"
md += "%% so units digits line up, with thousands separators and a missing value —), text\n"
md += "%% left, a centred column; headers centred; no column wraps.\n\n"
md += "@table align\n"
rows = [["园区产值", "亿元", "286.4", "1234567", "12.5"], ["入库税金", "亿元", "9.86", "8", "-3.25"],
        ["新增规上企业", "户", "14", "", "100"], ["工业集中度", "%", "72.6", "\"56,789\"", "0.5"]]
extra = data_sec("align", "align.csv") + """
[table.align]
source = align
title = 对齐表
col1 = 指标
col2 = 单位 | 单位 | | center
col3 = 本期 | 本期 | .2
col4 = 累计 | 累计 | ,
col5 = 增长 | 增长 | .1
"""
case("table-align", md, extra=extra, csv={"align.csv": rows_csv(["指标", "单位", "本期", "累计", "增长"], rows)})

md = "%% rule: an empty table (the filter matches no row) prints its title and the empty =\n"
md += "%% text as a body paragraph, with no grid.\n\n"
md += "@table none\n\n表后正文。\n"
extra = data_sec("projects", "projects.csv") + """
[table.none]
source = projects
title = 在建项目情况表
filter = 状态 = 在建
empty = 本期无在建项目。
col1 = 项目名称
col2 = 投资额 | 投资额 | .2
"""
case("table-empty", md, extra=extra, csv={"projects.csv": rows_csv(ph, proj_rows(4))})

md = "%% rule: a table that does not fit at a page bottom but fits on one page floats: it\n"
md += "%% starts the next page (its title on slot 0) and the text after it fills the rest of\n"
md += "%% this page (the body ends on slot 19; \"表后正文。\" takes slot 20 of page 1).\n\n"
md += para(18) + "\n\n@table projects\n\n表后正文。\n"
extra = data_sec("projects", "projects.csv") + """
[table.projects]
source = projects
title = 签约项目情况表
unit = 单位：亿元
col1 = 项目名称
col2 = 投资额 | 投资额 | .2
"""
case("table-page-bottom", md, extra=extra, csv={"projects.csv": rows_csv(ph, proj_rows(3))})


md = "%% rule: a table longer than a page never starts at a page foot with fewer than 3\n"
md += "%% body rows: after the body (slot 17) title, unit, header and one row would fit,\n"
md += "%% not three, so the table starts page 2.\n\n"
md += para(16) + "\n\n@table projects\n\n表后正文。\n"
extra = data_sec("projects", "projects.csv") + """
[table.projects]
source = projects
title = 签约项目情况表
unit = 单位：亿元
number = yes
col1 = 项目名称
col2 = 投资额 | 投资额 | .2
"""
case("table-foot-rows", md, extra=extra, csv={"projects.csv": rows_csv(ph, proj_rows(40))})

md = "%% rule: the last 续表 page never holds fewer than 2 body rows plus 合计: 46 rows\n"
md += "%% and 合计 would leave row 46 and 合计 alone on page 3 (21 + 24 + 1); rows 45-46 and\n"
md += "%% 合计 go there together (21 + 23 + 2).\n\n"
md += "@table projects\n"
extra = data_sec("projects", "projects.csv") + """
[table.projects]
source = projects
title = 签约项目情况表
unit = 单位：亿元
number = yes
total = yes
col1 = 项目名称
col2 = 投资额 | 投资额 | .2
"""
case("table-last-page", md, extra=extra, csv={"projects.csv": rows_csv(ph, proj_rows(46))})

md = "%% rule: widths from content never break a number: five columns of 12-character\n"
md += "%% figures and 序号 need 456 pt at 12 pt, more than the block (442 pt), so the table\n"
md += "%% steps down by ½ pt to 11.5 pt, where every figure and header is whole.  The\n"
md += "%% second table (seven such columns) does not fit even at table_min_size = 10.5:\n"
md += "%% it is set at 10.5 pt with a warning naming it.\n\n"
md += "@table wide\n\n@table wider\n"
nums = [["%d,%03d,%03d.%02d" % (i + 1, i * 7 % 1000, i * 13 % 1000, i * 3 % 100) for i in range(k, k + 7)] for k in range(4)]
hd = ["甲", "乙", "丙", "丁", "戊", "己", "庚"]
extra = data_sec("figs", "figs.csv") + """
[table.wide]
source = figs
title = 宽表
number = yes
col1 = 甲 | 甲
col2 = 乙 | 乙
col3 = 丙 | 丙
col4 = 丁 | 丁
col5 = 戊 | 戊

[table.wider]
source = figs
title = 更宽的表
number = yes
col1 = 甲 | 甲
col2 = 乙 | 乙
col3 = 丙 | 丙
col4 = 丁 | 丁
col5 = 戊 | 戊
col6 = 己 | 己
col7 = 庚 | 庚
"""
case("table-autofit", md, extra=extra, csv={"figs.csv": rows_csv(hd, [['"%s"' % v for v in r] for r in nums])})

md = "%% rule: value labels print one number of decimals per series, from the data:\n"
md += "%% 投资额 has 35.05, so 24.8 and 0.6 print 24.80 and 0.60; 项目数 is whole.\n\n"
md += "@chart inv\n"
inv = "类别,投资额,项目数\n新材料,35.05,6\n电子信息,24.8,4\n新能源,0.6,2\n"
extra = data_sec("inv", "inv.csv") + """
[chart.inv]
source = inv
title = 投资额
category = 类别
bars = 投资额
lines = 项目数
labels = yes
"""
case("chart-decimals", md, extra=extra, csv={"inv.csv": inv})

md = "%% rule: category labels too wide for their slot on one line are wrapped, horizontal,\n"
md += "%% onto 2 lines (3 at most) by the body's line breaker: 新材料、 / 新能源产业园, never a line\n"
md += "%% starting with 、; every park labelled, none rotated.  decimals = 1 sets the value labels'\n"
md += "%% decimals (35.1, 12.0) instead of the data's.\n\n"
md += "@chart parks\n"
parks = [("青禾经济技术开发区", "35.05"), ("青禾高新区", "28.4"), ("临港物流园", "12"),
         ("新材料、新能源产业园", "19.66"), ("生物医药产业园", "15.2"), ("绿色食品工业园", "9.8"),
         ("智能制造园", "22.35"), ("数字经济产业园", "6.5")]
extra = data_sec("parks", "parks.csv") + """
[chart.parks]
source = parks
title = 各园区投资额
unit = 亿元
category = 园区
bars = 投资额
labels = yes
decimals = 1
"""
case("chart-labels-wrap", md, extra=extra,
     csv={"parks.csv": "园区,投资额\n" + "".join("%s,%s\n" % p for p in parks)})

md = "%% rule: many categories whose labels do not fit their slots, nor wrap (a line of one\n"
md += "%% character is no wrap): every 2nd day labelled, horizontal, the first and the last\n"
md += "%% (1日, 31日) always; not rotated.\n\n"
md += "@chart daily\n"
extra = data_sec("daily", "daily.csv") + """
[chart.daily]
source = daily
title = 12月日用电量
unit = 万千瓦时
category = 日期
bars = 用电量
"""
case("chart-labels-thin", md, extra=extra,
     csv={"daily.csv": "日期,用电量\n" + "".join("%d日,%.1f\n" % (d, 30 + (d * 7) % 11) for d in range(1, 32))})

md = "%% rule: a chart with a missing month: 5月 has no value in either series (blank\n"
md += "%% cells): no bar is drawn there and the line is broken (no segment to or from 5月),\n"
md += "%% while the category label 5月 is still printed.\n\n"
md += "全年各月产值见下图。\n\n@chart trend\n"
trend = "月份,本年产值,上年产值\n"
for m in range(1, 13):
    if m == 5:
        trend += "5月,,\n"
    else:
        trend += "%d月,%.1f,%.1f\n" % (m, 15 + m * 1.5, 12 + m * 1.2)
extra = data_sec("trend", "trend.csv") + """
[chart.trend]
source = trend
title = 园区月度产值
unit = 单位：亿元
category = 月份
bars = 本年产值
lines = 上年产值
"""
case("chart-missing-month", md, extra=extra, csv={"trend.csv": trend})

# ---- punctuation, units, spacing (issue 11) ------------------------------------
md = "%% rule: punctuation by the glyph.  A pause or closing mark that would start line 2\n"
md += "%% is squeezed into line 1 as ½ em with its ink inside the text block, whatever the\n"
md += "%% font's convention: the fake metrics draw 、。 centred in the em (Taiwan style, as\n"
md += "%% AR PL UMing does), so they give up ⅛ em at their left as well as ⅜ em at their\n"
md += "%% right; ，；”） keep their ink in the left half (GB style) and give up ½ em at the\n"
md += "%% right.  No ink hangs into the margin (GB/T 9704 撑满版心, no hanging punctuation).\n\n"
for i, m in enumerate(["。", "、", "，", "；", "”", "）", "。", "、"]):
    md += fill(26, i) + m + fill(30, i + 2) + "。\n\n"
md += fill(40, 3) + "、" + fill(12) + "。\n"
case("punct-ink", md)

md = "%% rule: adjacent punctuation (clreq): two full-width marks in a row take 1.5 em, not\n"
md += "%% 2 em: the first gives up ½ em of its blank side (a pause or closing mark its right),\n"
md += "%% or an opening mark after an opening mark its left; with a centred 、。 (fake\n"
md += "%% metrics, Taiwan style) only what keeps a tenth of an em between the inks.\n"
md += "%% An opening mark followed by what it opens is not touched.\n\n"
md += "按照规划，功能区形成“一核两带三片”的空间布局：“一核”为研发总部核心，“两带”为沿青禾大道。\n\n"
md += "园区坚持“抓招商、抓开工”，全年新开工项目（含续建）十二个，组建专班（7组）、兴禾公司。\n\n"
md += "他说：“《规划》（草案）已经印发。”会议要求：（“十四五”）期间“（一）”各项任务落实到位。\n\n"
md += "短行：“一核”。\n"
case("punct-adjacent", md)

units = ["32.0亿元", "3万吨", "3000吨/年", "180余家", "2.3个百分点", "1.5万美元", "35千伏",
         "12.6公里", "800亩", "16个", "14户", "5‰", "+12.6万元", "120人"]
def cells(t):
    return sum(0.5 if ord(c) < 0x80 else 1 for c in t)
md = "%% rule: a number never leaves its unit or measure word, nor its sign (GB/T 9704-1999\n"
md += "%% §8.2.3 数字不能回行): each number + unit below would straddle the end of the first\n"
md += "%% line with the break after the number's first unit character (\"32.0亿|元\",\n"
md += "%% \"3000吨/|年\"), or between a number and a one-character unit (\"800|亩\"); the\n"
md += "%% number goes to line 2 with its whole unit.  Where the whole would fit by\n"
md += "%% tightening the line (shrink before stretch), one more character goes before it.\n\n"
for i, u in enumerate(units):
    num = len(u) - len(u.lstrip("+0123456789."))
    # break after the unit's first character when the unit is longer,
    # else between the number and its unit: the most Han characters before
    # that still fit the first line (26 cells after the indent)
    cut = num + (1 if len(u) - num > 1 else 0) + (1 if "/" in u else 0)
    k = int((26 * CELL - adv(u[:cut]) + 0.01) // CELL)
    assert k * CELL + adv(u[:cut + 1]) > 26 * CELL + 0.01, u
    if tight_fits(k, u):
        k += 1
        assert k * CELL < 26 * CELL < k * CELL + adv(u), u
    md += fill(k, i) + u + fill(14, i + 3) + "。\n\n"
case("units-unsplit", md)

md = "%% rule: shrink before stretch (clreq 先挤进，后推出; JIS X 4051): a line that would fit\n"
md += "%% by compressing the full-width marks inside it (each up to ½ em, from its blank side,\n"
md += "%% never into its ink; after tightening each gap by up to 0.24 pt) takes the next\n"
md += "%% characters instead of being stretched.  Paragraph 1: \"2022年\" (bound: 2 em of\n"
md += "%% digits and its unit) overflows the first line by ~1 em; three ， inside give it\n"
md += "%% room, each the same part of its ½ em.  Paragraph 2: one ， cannot, so the line\n"
md += "%% still stretches and the number goes down whole with its unit.\n\n"
md += fill(6) + "，" + fill(6, 6) + "，" + fill(6, 12) + "，" + fill(3, 18) + "2022年" + fill(20, 3) + "。\n\n"
md += fill(8) + "，" + fill(15, 8) + "2022年" + fill(20, 3) + "。\n"
case("punct-shrink", md)

md = "%% rule: one CJK-Latin spacing rule for every role: [layout] cjk_latin_space = 0.25\n"
md += "%% puts ¼ em between a Han character and a digit or Latin letter in the title, the\n"
md += "%% headings, the body, the table title, header and cells, the chart title and labels\n"
md += "%% and the date alike (the default, 0, puts none anywhere: see the justify case).\n\n"
md += "# 2021年主要工作\n\n全年产值286.4亿元，比2020年增长12%。\n\n@table kpi\n\n@chart trend\n"
extra = data_sec("kpi", "kpi.csv") + data_sec("trend", "trend.csv") + """
[table.kpi]
source = kpi
title = 2021年主要指标
col1 = 指标
col2 = 2021年 | 本年 | .1 | right
col3 = 单位
[chart.trend]
source = trend
title = 2021年月度产值
category = 月份
bars = 产值
[layout]
cjk_latin_space = 0.25
"""
case("cjk-latin-space", md, extra=extra, title="2021年工作总结", 
     report_extra="signature = 青禾县统计局\ndate = 2022年1月10日\n",
     csv={"kpi.csv": "指标,本年,单位\n园区产值,286.4,亿元\nERP上线企业,12,家\n",
          "trend.csv": "月份,产值\n1月,15.5\n2月,17.0\n3月,18.5\n"})

for name, (md, extra, title, rex, csvs) in cases.items():
    d = "tests/cases/" + name
    os.makedirs(d, exist_ok=True)
    with open(d + "/report.ini", "w") as f:
        f.write(ini(name, title, extra.replace("{case}", name), rex))
    with open(d + "/report.md", "w") as f:
        f.write(md)
    for fn, content in csvs.items():
        with open(d + "/" + fn, "w") as f:
            f.write(content)
print(len(cases), "cases")
