#!/bin/sh
# A 10,000-row table end to end: generates a deterministic CSV (python3),
# a configuration with one table of it, renders it with zongjie and checks
# with poppler that the PDF has as many pages as the layout dump says and
# that every page after the first starts with 续表 and the header row.
# Then --figures on a 20,000-row table with a computed column: the sheet's
# rows and the page of each against pdftotext.
#
# usage: tests/bigtable.sh [ZONGJIE]      (from the repository root)
set -u
ZJ=${1:-./zongjie}
T=$(pwd)/tests/tmp/bigtable.$$
mkdir -p "$T/input/2021-12"
pass=0 fail=0
. "$(dirname "$0")/lib.sh"

python3 - "$T/input/2021-12/ledger.csv" <<'PY'
import random, sys
rnd = random.Random(20211231)
ind = ["新材料", "电子信息", "新能源", "轨道交通", "生物医药", "化工"]
pre = ["青禾", "蓝川", "星衡", "禾光", "筑远", "声拓", "澄源", "翼程", "铁鸿", "岷储"]
suf = ["科技有限公司", "新材料股份有限公司", "电子有限公司", "能源科技有限公司", "化学有限公司"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("企业名称,行业,产值,增长\n")
    for i in range(10000):
        name = rnd.choice(pre) + rnd.choice(pre) + rnd.choice(suf)
        if i % 97 == 0:   # now and then a long name that wraps
            name += "（原" + rnd.choice(pre) + "工业园区配套产业发展有限公司）"
        f.write("%s,%s,%.2f,%.1f\n" % (name, rnd.choice(ind), rnd.uniform(0.5, 9999),
                                       rnd.uniform(-30, 60)))
PY

cat >"$T/report.ini" <<INI
[report]
title = 规模以上工业企业产值台账
template = $T/report.md
period = 2021-12

[fonts]
dir = fonts
title = 方正小标宋简体.ttf, AR PL SungtiL GB, AR PL UMing CN
body = simfang.ttf, AR PL UMing CN
heading = simhei.ttf, WenQuanYi Zen Hei
subheading = simkai.ttf, AR PL UKai CN
latin = times.ttf, Liberation Serif
pagenum = simsun.ttc:0, AR PL UMing CN

[data.ledger]
file = $T/input/{period}/ledger.csv

[table.ledger]
source = ledger
title = 规模以上工业企业产值表
unit = 单位：万元
number = yes
total = yes
col1 = 企业名称
col2 = 行业 | 行业 | | center
col3 = 产值 | 产值 | .2
col4 = 增长（%） | 增长 | .1
INI
printf '全区规模以上工业企业产值见下表。\n\n@table ledger\n' >"$T/report.md"

"$ZJ" -c "$T/report.ini" -o "$T/big.pdf" 2>"$T/err"
check "renders ($(head -c 300 "$T/err"))" [ $? -eq 0 ]
"$ZJ" -c "$T/report.ini" --dump-layout >"$T/dump" 2>>"$T/err"
check "dumps the layout" [ $? -eq 0 ]
want=$(awk '$1 ~ /^[0-9]+$/ && $1 > m { m = $1 } END { print m + 0 }' "$T/dump")
got=$(pdfinfo "$T/big.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
check "page count: pdfinfo $got = layout dump $want (> 100)" test -n "$got" -a "${got:-0}" -eq "$want" -a "$want" -gt 100

# Every page after the first starts with 续表 (the unit line beside it) and
# then the header texts, in order; every row number appears once.
pdftotext -layout "$T/big.pdf" "$T/big.txt" 2>/dev/null
check "pdftotext" [ -s "$T/big.txt" ]
python3 - "$T/big.txt" "$want" >"$T/pages.out" 2>&1 <<'PY'
import sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")[:int(sys.argv[2])]
heads = ["序号", "企业名称", "行业", "产值", "增长（%）"]
bad, rows = [], []
for n, p in enumerate(pages, 1):
    lines = [l.split() for l in p.splitlines() if l.strip()]
    for t in lines:
        if t[0].isdigit() and len(t) >= 4:
            rows.append(int(t[0]))
    if n == 1:
        if any("续表" in t for t in lines):
            bad.append("page 1 has 续表")
        continue
    if len(lines) < 2 or lines[0][0] != "续表" or lines[1] != heads:
        bad.append("page %d starts %r" % (n, lines[:2]))
print("pages checked: %d, rows seen: %d" % (len(pages), len(rows)))
for b in bad[:10]:
    print(b)
if rows != list(range(1, 10001)):
    print("rows not 1..10000 once each, in order (first wrong: %s)" %
          next((i + 1, r) for i, r in enumerate(rows + [0]) if r != i + 1))
sys.exit(1 if bad or rows != list(range(1, 10001)) else 0)
PY
check "every continued page starts with 续表 and the header; rows 1..10000 ($(tail -n 3 "$T/pages.out"))" [ $? -eq 0 ]
check "合计 row at the end" sh -c "tail -c 2000 '$T/big.txt' | grep -q 合计"

# --figures on a 20,000-row table with a computed column: every growth
# cell and both 合计 cells are listed, each on the page pdftotext finds its
# row on.  (lay_locate_cell once scanned the whole table for each cell; the
# generous timeout only catches a hang: time belongs in make bench.)
mkdir -p "$T/fig/input/2021-12"
python3 - "$T/fig/input/2021-12/ledger.csv" <<'PY2'
import random, sys
rnd = random.Random(20211201)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("企业名称,本期,上年同期\n")
    for i in range(20000):
        f.write("企业%05d,%.2f,%.2f\n" % (i + 1, rnd.uniform(0.5, 9999),
                                          rnd.uniform(0.5, 9999)))
PY2
sed -e "s|^template = .*|template = $T/fig/report.md|" \
    -e "s|^file = .*|file = $T/fig/input/{period}/ledger.csv|" \
    -e '/^\[table.ledger\]/,$d' "$T/report.ini" >"$T/fig/report.ini"
cat >>"$T/fig/report.ini" <<INI
[table.ledger]
source = ledger
title = 企业产值增长表
number = yes
total = yes
col1 = 企业名称
col2 = 本期 | 本期 | .2
col3 = 上年同期 | 上年同期 | .2
col4 = 增长 | {growth(本期, 上年同期)}
INI
printf '各企业产值增长见下表。\n\n@table ledger\n' >"$T/fig/report.md"
timeout 600 "$ZJ" -c "$T/fig/report.ini" -o "$T/fig/big.pdf" \
    --figures "$T/fig/figs.csv" 2>"$T/fig/err"
rc=$?
check "--figures on 20,000 rows exits 0 within 600 s (got $rc: $(head -c 300 "$T/fig/err"))" [ "$rc" -eq 0 ]
pdftotext -layout "$T/fig/big.pdf" "$T/fig/big.txt" 2>/dev/null
python3 - "$T/fig/input/2021-12/ledger.csv" "$T/fig/figs.csv" \
    "$T/fig/big.txt" >"$T/fig/pages.out" 2>&1 <<'PY2'
import csv, re, sys
with open(sys.argv[1], encoding="utf-8") as f:
    data = list(csv.reader(f))[1:]
with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
    sheet = list(csv.reader(f))
PAGE, CTX = sheet[0].index("页码"), sheet[0].index("上下文")
sheet = sheet[1:]
pages = open(sys.argv[3], encoding="utf-8").read().split("\f")
page_of, total_page = {}, None
for n, p in enumerate(pages, 1):
    for m in re.finditer(r"^\s*\d+\s+(企业\d{5})\s", p, re.M):
        page_of[m.group(1)] = n
    if re.search(r"^\s*合计\s", p, re.M):
        total_page = n
bad = []
# one growth cell per row (every row has both figures) and the 合计 of
# the two numeric columns
want = len(data) + 2
if len(sheet) != want:
    bad.append("the sheet has %d rows, want %d" % (len(sheet), want))
grow = [r for r in sheet if r[CTX].endswith(" · 增长")]
tot = [r for r in sheet if r[CTX].startswith("企业产值增长表：合计 · ")]
if len(grow) != len(data) or len(tot) != 2:
    bad.append("%d growth cells (want %d), %d 合计 cells (want 2)" %
               (len(grow), len(data), len(tot)))
for r in grow:
    name = r[CTX][len("企业产值增长表："):-len(" · 增长")]
    if str(page_of.get(name)) != r[PAGE]:
        bad.append("%s: sheet page %s, pdftotext page %s" %
                   (name, r[PAGE], page_of.get(name)))
for r in tot:
    if r[PAGE] != str(total_page):
        bad.append("%s: sheet page %s, 合计 on page %s" % (r[CTX], r[PAGE],
                                                          total_page))
print("rows %d, located on %d pages" % (len(sheet), len(set(page_of.values()))))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad or len(page_of) != len(data) else 0)
PY2
check "20,000-row --figures: one row per computed cell, each on its page ($(tail -n 3 "$T/fig/pages.out"))" [ $? -eq 0 ]

[ "$fail" -eq 0 ] && rm -rf "$T"
echo "bigtable: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
