#!/usr/bin/env python3
"""Synthetic project ledger for `make bench`.

    python3 tests/gen_ledger.py ROWS OUTDIR

Writes OUTDIR/projects.csv with ROWS rows in the columns of
input/2021-12/projects.csv (项目名称,企业,类别,投资额,到位资金,状态,签约日期),
and copies kpi.csv and targets.csv from input/2021-12/ beside it, so that a
report configuration whose [data.*] files point into OUTDIR loads.

The names are invented (fictional park, companies and places), of varying
lengths: some are long enough to wrap in a table cell, a few contain a
comma or double quotes so the CSV needs RFC 4180 quoting.  Amounts have two
decimals; 洽谈 rows have a blank 到位资金 and 签约日期, as in the sample.

The generator uses a fixed seed and only the standard library: the same
arguments give byte-identical files (and the first N rows of a larger
ledger are the N-row ledger).
"""

import csv
import os
import random
import shutil
import sys

SEED = 20211231
HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, os.pardir, "input", "2021-12")

HEADER = ["项目名称", "企业", "类别", "投资额", "到位资金", "状态", "签约日期"]

# Products by category (the six categories of the sample).
PRODUCTS = {
    "高性能纤维及复合材料": [
        "碳纤维", "碳纤维复合材料", "芳纶纤维", "芳纶蜂窝芯材", "玄武岩纤维",
        "石英纤维织物", "超高分子量聚乙烯纤维", "玻璃钢管材", "大型复合材料构件",
        "风电叶片复合材料", "碳碳复合材料",
    ],
    "电子信息材料": [
        "高纯电子化学品", "电子级环氧树脂", "柔性覆铜板", "高导热石墨膜",
        "光学膜", "卫星通信电子材料", "半导体封装材料", "电子级多晶硅",
        "液晶显示材料", "聚酰亚胺薄膜", "高频高速覆铜板",
    ],
    "新能源材料": [
        "多晶硅", "单晶硅片", "锂电隔膜", "磷酸铁锂正极材料", "人造石墨负极材料",
        "锂电池电解液", "六氟磷酸锂", "钠离子电池正极材料", "氢燃料电池膜电极",
        "光伏封装胶膜", "储能电池系统",
    ],
    "轨道交通材料": [
        "轨道交通减隔震新材料", "轨道扣件复合材料", "高速列车制动材料",
        "轨道车辆内饰阻燃材料", "磁浮轨道功能材料", "轨道用高分子密封件",
        "接触网导线", "铝合金车体型材",
    ],
    "化工新材料": [
        "特种工程塑料", "工程塑料合金", "环保水性涂料", "无卤阻燃电缆料",
        "高性能丙烯酸酯", "特种增塑剂", "建筑保温材料", "环保催化材料",
        "可降解塑料", "有机硅单体", "聚氨酯弹性体", "特种功能建材",
    ],
    "生物医用材料": [
        "医用高分子材料", "骨科植入材料", "医用敷料", "可吸收医用缝合线",
        "组织工程支架材料", "医用导管", "齿科修复材料", "医用胶原蛋白",
    ],
}
CATEGORIES = list(PRODUCTS)

PLACES = ["青禾", "沙河", "兴禾", "石门", "滨河", "文昌", "红岩", "双桥", "西南",
          "川南", "禾丰", "新材"]
BRAND1 = "蓝星禾筑声澄康翼铁岷烯绿维锐岩晨墨昊澜嘉牧路富缆骨映晶驰塑石护远杰方东氢悬森达冠展恒丰联汇海"
BRAND2 = "川衡光远拓源禾程鸿储材漆联晟蓝创泓通康辉华盛达科信德诚安宇峰腾瑞泰"
TRADES = ["新材料", "科技", "化工", "电子材料", "新能源", "复合材料", "医疗科技",
          "轨道科技", "精细化工", "光电材料", "硅业", "纤维", "生物材料", "高分子材料"]
SUFFIXES = ["有限公司"] * 6 + ["股份有限公司"] * 3 + ["集团有限公司", "（中国）有限公司"]
SCALES = ["500吨", "1000吨", "3000吨", "5000吨", "1万吨", "2万吨", "5万吨", "10万吨",
          "200万平方米", "1000万平方米", "5万套", "20万件"]
PHASES = ["一期", "二期", "三期"]

# 状态 with weights, and the share of 投资额 already in place (到位资金).
STATUSES = [("签约", 30), ("在建", 25), ("投产", 25), ("洽谈", 12), ("清退", 8)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.randrange(total)
    for value, w in pairs:
        if x < w:
            return value
        x -= w
    raise AssertionError


def project_name(rng, category):
    p = rng.choice(PRODUCTS[category])
    kind = rng.randrange(100)
    if kind < 25:
        return p + "项目"
    if kind < 40:
        return "年产" + rng.choice(SCALES) + p + "项目"
    if kind < 50:
        return p + "产业化项目"
    if kind < 60:
        return rng.choice(PLACES) + p + "生产基地"
    if kind < 68:
        return p + rng.choice(["扩能增资项目", "技术改造项目", "中试项目", "产业园"])
    if kind < 78:
        return p + "研发及产业化基地建设项目"
    if kind < 97:
        # Long: several lines in a table cell.
        p2 = rng.choice(PRODUCTS[rng.choice(CATEGORIES)])
        return ("年产" + rng.choice(SCALES) + p + "及配套" + p2 +
                "一体化产业基地建设项目（" + rng.choice(PHASES) + "）")
    # A comma inside the field (quoted), as in the sample.
    return "年产" + rng.choice(["1,000", "5,000", "12,000"]) + "吨" + p + "项目"


def company(rng):
    brand = rng.choice(BRAND1) + rng.choice(BRAND2)
    kind = rng.randrange(100)
    if kind < 70:
        return brand + rng.choice(TRADES) + rng.choice(SUFFIXES)
    if kind < 85:
        return brand + rng.choice(TRADES) + "（" + rng.choice(PLACES) + "）有限公司"
    if kind < 98:
        return (rng.choice(PLACES) + brand + rng.choice(TRADES) +
                rng.choice(["产业发展股份有限公司", "产业投资集团有限公司",
                            "技术研究院有限公司"]))
    # Double quotes inside the field, as in the sample.
    return brand + '"' + rng.choice(BRAND1) + rng.choice(BRAND2) + '"' + \
        rng.choice(TRADES) + "有限公司"


def amount(rng):
    # Mostly 0.3–10 (亿元), a few large projects up to 80.
    v = rng.lognormvariate(0.7, 0.9)
    return min(max(v, 0.10), 80.0)


def date(rng, first_year, last_year):
    y = rng.randint(first_year, last_year)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    return "%04d-%02d-%02d" % (y, m, d)


def row(rng):
    category = rng.choice(CATEGORIES)
    name = project_name(rng, category)
    firm = company(rng)
    status = weighted(rng, STATUSES)
    inv = round(amount(rng), 2)
    if status == "签约":
        paid, when = inv * rng.uniform(0.05, 0.25), date(rng, 2021, 2021)
    elif status == "在建":
        paid, when = inv * rng.uniform(0.3, 0.9), date(rng, 2018, 2021)
    elif status == "投产":
        paid, when = inv, date(rng, 2014, 2020)
    elif status == "清退":
        paid, when = 0.0, date(rng, 2017, 2020)
    else:  # 洽谈: nothing in place, not signed
        paid, when = None, ""
    return [name, firm, category, "%.2f" % inv,
            "" if paid is None else "%.2f" % round(paid, 2), status, when]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: gen_ledger.py ROWS OUTDIR\n")
        return 2
    try:
        rows = int(argv[1])
        if rows < 0:
            raise ValueError
    except ValueError:
        sys.stderr.write("gen_ledger.py: ROWS must be a whole number\n")
        return 2
    outdir = argv[2]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(SEED)
    path = os.path.join(outdir, "projects.csv")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for _ in range(rows):
            w.writerow(row(rng))
    os.replace(tmp, path)
    for name in ("kpi.csv", "targets.csv"):
        shutil.copyfile(os.path.join(SAMPLE, name), os.path.join(outdir, name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
