#!/bin/sh
# End-to-end tests of the template language (issue 13): a small report
# that uses each construct, rendered to a PDF whose text is checked with
# pdftotext; then each construct's errors, each with its exit code, a
# message naming the file and line (or INI key), and the last good PDF
# left byte-identical.
#
# usage: tests/lang-test.sh ./zongjie      (run from the repository root)
set -u
. "$(dirname "$0")/lib.sh"
ZJ=${1:-./zongjie}
R=$(pwd)
T=$R/tests/tmp/lang.$$
rm -rf "$T"
mkdir -p "$T/input/2021-12" "$T/input/2021-11"
pass=0 fail=0

command -v pdftotext >/dev/null 2>&1 ||
    { missing pdftotext "Debian poppler-utils" || bad "pdftotext"; }

# The data: targets repeat 指标 per 范围; 签约年度 is a number column;
# 组 has blank cells; a header with ASCII parentheses; a 合计 row.
cat >"$T/input/2021-12/targets.csv" <<'CSV'
范围,指标,目标值,签约年度,组,折合人民币(万元),备注
园区,工业投资,120,2021,一组,500,"new
line"
功能区,工业投资,80,2020,,300,"第一行
第二行"
园区,产值,300,2021,二组,,
功能区,产值,210,2021,,,
合计,合计,710,,,800,
CSV
cat >"$T/input/2021-11/kpi.csv" <<'CSV'
指标,本期
园区产值,250.5
CSV
# One export per month for months = ytd: 园区产值 is 10 × the month.
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	mkdir -p "$T/input/2021-$m"
	printf '指标,本期\n园区产值,%d\n入库税金,1\n' "$((10 * ${m#0}))" >"$T/input/2021-$m/monthly.csv"
done

# ini TEMPLATE-BODY-FILE: writes $T/lang.ini and $T/lang.md.
mkini() {
	cat >"$T/lang.ini" <<INI
[report]
title = {year}年语言测试
template = $T/lang.md
output = $T/out.pdf
period = 2021-12

[fonts]
dir = $R/fonts
title = 方正小标宋简体.ttf, FZXBSJW.TTF, AR PL SungtiL GB, AR PL UMing CN
body = simfang.ttf, AR PL UMing CN
heading = simhei.ttf, WenQuanYi Zen Hei
subheading = simkai.ttf, AR PL UKai CN
latin = times.ttf, Liberation Serif
pagenum = simsun.ttc:0, AR PL UMing CN

[data.targets]
file = $T/input/{period}/targets.csv
key = 范围, 指标
exclude = 范围 = 合计

[data.last_month]
file = $T/input/{prev_month}/kpi.csv
key = 指标

[data.ytd]
file = $T/input/{period}/monthly.csv
months = ytd
key = 期间, 指标

[table.notes]
source = targets
col1 = 范围
col2 = 备注
INI
}

mkini
cat >"$T/lang.md" <<'MD'
# 语言

园区工业投资目标{targets[园区, 工业投资].目标值}亿元，功能区{targets[功能区, 工业投资].目标值}亿元。

本年签约{count(targets where 签约年度 = year)}个，上年{count(targets where 签约年度 = prev_year)}个；未分组{count(targets where 组 is blank)}个，已分组{count(targets where 组 is not blank)}个。

折合人民币合计{sum(targets.折合人民币(万元))}万元，其中大于400万元的{count(targets where 折合人民币(万元) > 400)}个。

上月（{prev_month}）园区产值{last_month[园区产值].本期}亿元。

{if count(targets where 签约年度 = next_year) > 0}明年有签约。{else}本期无新增签约项目，
{if count(targets) > 3}目标{count(targets)}项{end}。{end}环比{growth(last_month[园区产值].本期, last_month[园区产值].本期) | 增长 | 持平}。

{if count(targets) = 0}这一段整段不出现。{end}

投资：{list(targets where 指标 = 工业投资 prefix "工业投资", "[指标][范围]")}。备注：{targets[园区, 工业投资].备注}，{targets[功能区, 工业投资].备注}。

1—{month}月累计产值{sum(ytd.本期 where 指标 = 园区产值)}亿元，3月{ytd[2021-03, 园区产值].本期}亿元，上月{sum(ytd.本期 where 期间 = prev_month and 指标 = 园区产值)}亿元，共{count(ytd)}行。

@table notes
MD

"$ZJ" -c "$T/lang.ini" -o "$T/good.pdf" >"$T/out" 2>"$T/err"
rc=$?
check "language sample exits 0 (got $rc: $(head -c 400 "$T/err"))" [ "$rc" -eq 0 ]
check "language sample prints nothing on stderr" [ ! -s "$T/err" ]
pdftotext "$T/good.pdf" - 2>/dev/null | tr -d ' \n' >"$T/text"
for want in 园区工业投资目标120亿元，功能区80亿元。 \
    本年签约3个，上年1个；未分组2个，已分组2个。 \
    折合人民币合计800万元，其中大于400万元的1个。 \
    上月（2021-11）园区产值250.5亿元。 \
    本期无新增签约项目，目标4项。环比持平。 \
    投资：工业投资园区、功能区。备注：newline，第一行第二行。 \
    1—12月累计产值780亿元，3月30亿元，上月110亿元，共24行。; do
	check "PDF text has '$want' (got: $(head -c 300 "$T/text"))" grep -q -- "$want" "$T/text"
done

# --check counts the rows the report uses: after the exclude rule.
"$ZJ" -c "$T/lang.ini" --check >"$T/check.txt" 2>&1
check "--check exits 0" [ $? -eq 0 ]
check "a paragraph whose text is all in a branch not taken is left out" sh -c "! grep -q 这一段 '$T/text'"
pdftotext "$T/good.pdf" "$T/raw.txt" 2>/dev/null
check "text folds a cell's line break: a space between Latin words" grep -q "备注：new line，" "$T/raw.txt"
check "a table cell keeps its line break" sh -c "grep -qx new '$T/raw.txt' && grep -qx line '$T/raw.txt'"

check "--check counts rows after exclude ($(head -c 300 "$T/check.txt"))" \
    grep -q "^targets: .*, 4 rows, 7 columns (1 excluded)$" "$T/check.txt"

# Bad inputs.  expect_fail NAME CODE PATTERN: runs $T/lang.ini against a
# copy of the good PDF.
expect_fail() {
	name=$1 code=$2 pattern=$3
	cp "$T/good.pdf" "$T/target.pdf"
	"$ZJ" -c "$T/lang.ini" -o "$T/target.pdf" >"$T/bad.out" 2>"$T/bad.err"
	rc=$?
	check "$name: exit $code (got $rc: $(head -c 300 "$T/bad.err"))" [ "$rc" -eq "$code" ]
	check "$name: message matches '$pattern' (got: $(head -c 400 "$T/bad.err"))" grep -q -- "$pattern" "$T/bad.err"
	check "$name: last good PDF untouched" cmp -s "$T/good.pdf" "$T/target.pdf"
}
# tpl TEXT: a one-paragraph template.
tpl() { printf '# 语言\n\n%s\n' "$1" >"$T/lang.md"; }

tpl '乙{targets[园区, 工业投资].目标值}甲{targets[园区, 没有].目标值}'
expect_fail "multi-key lookup, no row" 4 \
    "lang.md:3:26: error: no row with 范围 = \"园区\" and 指标 = \"没有\" in source targets"

cp "$T/input/2021-12/targets.csv" "$T/targets.orig"
echo "园区,产值,999,2021,," >>"$T/input/2021-12/targets.csv"
tpl '{targets[园区, 产值].目标值}'
expect_fail "multi-key lookup, several rows, CSV lines named" 4 \
    "lang.md:3:1: error: 范围 = \"园区\" and 指标 = \"产值\" matches 2 rows of source targets (.*targets.csv lines 6, 9)"
# ... unless [data.targets] duplicates = last chooses the later row.
sed -i 's/^key = 范围, 指标$/key = 范围, 指标\nduplicates = last/' "$T/lang.ini"
"$ZJ" -c "$T/lang.ini" -o "$T/dup.pdf" 2>"$T/dup.err"
check "duplicates = last: exit 0 ($(head -c 300 "$T/dup.err"))" [ $? -eq 0 ]
check "duplicates = last: the later row" sh -c "pdftotext '$T/dup.pdf' - | grep -q '^999$'"
mkini
cp "$T/targets.orig" "$T/input/2021-12/targets.csv"

tpl '{targets[工业投资].目标值}'
expect_fail "one value for two key columns" 4 "lang.md:3:1: error: source targets has 2 key columns (范围, 指标)"

tpl '共{count(targets where 签约年度 = "year")}个'
expect_fail "number column compared with a text" 4 \
    "lang.md:3:2: error: column \"签约年度\" of source targets holds numbers, and \"year\" is not a number"

tpl '{count(targets where 组 is empty)}'
expect_fail "is without blank" 4 "lang.md:3:1: error: expected \"blank\" after \"is\""

tpl '{targets[园区, 工业投资].目际值}'
expect_fail "unknown column, did you mean" 4 \
    "lang.md:3:1: error: column \"目际值\" is not in source targets (.*); did you mean \"目标值\"?"

tpl '@table notes'
sed -i 's/^col2 = 备注$/col2 = 备注\nsort = 目际值 desc/' "$T/lang.ini"
expect_fail "table sort column, did you mean" 2 \
    "lang.ini: \\[table.notes\\] sort: error: column \"目际值\" is not in source targets (.*); did you mean \"目标值\"?"
mkini

tpl '{sun(targets.目标值)}'
expect_fail "unknown function, did you mean" 4 "lang.md:3:1: error: unknown function \"sun\"; did you mean \"sum\"?"

tpl '{count(target)}'
expect_fail "unknown source, did you mean" 4 "did you mean \"targets\"?"

tpl '{sum(targets.目标 值)}'
expect_fail "column name with a space, how to quote it" 4 \
    "lang.md:3:1: error: .*a column name with spaces or commas is written in double quotes: \"目标 值\""

tpl '{sum(targets.目标值 whre 范围 = 园区)}'
expect_fail "misspelt keyword: no quoting hint" 4 "lang.md:3:1: error: expected \")\""
check "misspelt keyword: no quoting hint (got: $(head -c 300 "$T/bad.err"))" sh -c "! grep -q 'double quotes' '$T/bad.err'"

tpl '无'
sed -i 's#^file = \(.*\){period}/targets.csv#file = \1{quarter}/targets.csv#' "$T/lang.ini"
expect_fail "unknown path placeholder" 2 "lang.ini: \\[data.targets\\] file: error: unknown placeholder {quarter}"

mkini
sed -i 's/^key = 范围, 指标/key = 范围, 指表/' "$T/lang.ini"
expect_fail "a key column that is not there" 3 \
    "lang.ini: \\[data.targets\\] key: error: key column \"指表\" is not in the header of .*; did you mean \"指标\"?"

mkini
tpl '甲{if count(targets) > 0}乙'
expect_fail "{if} without {end}" 4 "lang.md:3:2: error: {if} is not closed"

tpl '甲{else}'
expect_fail "{else} without {if}" 4 "lang.md:3:2: error: {else} without {if}"

tpl '{if 1 = 1}甲{else}乙{else}丙{end}'
expect_fail "a second {else}" 4 "lang.md:3:19: error: a second {else} for the {if} at column 1"

tpl '{if targets[园区, 工业投资].范围 > 1}甲{end}'
expect_fail "{if} comparing a number with a text" 4 "lang.md:3:1: error: cannot compare the number with the text \"园区\""

tpl '{growth(1, 2) | 增涨}'
expect_fail "unknown format, did you mean" 4 "lang.md:3:1: error: unknown format \"增涨\" .*did you mean \"增长\"?"

tpl '本年累计{count(targets)个，其中亿元以上项目{count(targets)}个'
expect_fail "missing } reported at the {" 4 "lang.md:3:5: error: placeholder \"{count(targets)个，其中亿元以上…\" is not closed: \"}\" missing before the \"{\" at column 30"

mkini
tpl '{count(ytd)}'
"$ZJ" -c "$T/lang.ini" --check >"$T/check.txt" 2>&1
check "--check names the first and last month of a ytd source ($(grep ^ytd "$T/check.txt"))" \
    grep -q "^ytd: .*2021-01/monthly.csv … .*2021-12/monthly.csv, UTF-8, comma, 24 rows, 3 columns$" "$T/check.txt"
cp "$T/input/2021-12/targets.csv" "$T/input/2021-03/"
cp "$T/input/2021-11/kpi.csv" "$T/input/2021-02/"
"$ZJ" -c "$T/lang.ini" -p 2021-03 --check >"$T/check3.txt" 2>&1
check "a March report reads three months ($(grep ^ytd "$T/check3.txt"))" grep -q "^ytd: .*, 6 rows, 3 columns$" "$T/check3.txt"

mkini
tpl '{sum(ytd.本期)}'
printf '指标,本期\n园区产值,abc\n' >"$T/input/2021-05/monthly.csv"
expect_fail "a bad cell of one month names that month's file" 3 "input/2021-05/monthly.csv:2:[0-9]*: error: .*abc"
printf '指标,本月\n园区产值,50\n' >"$T/input/2021-05/monthly.csv"
expect_fail "a month whose header differs" 3 "input/2021-05/monthly.csv:1: error: the header differs"
rm "$T/input/2021-05/monthly.csv"
expect_fail "a month's file missing" 3 "input/2021-05/monthly.csv: error: cannot open"
sed -i 's#^file = \(.*\){period}/monthly.csv#file = \1monthly.csv#' "$T/lang.ini"
expect_fail "months = ytd with one file" 2 "lang.ini: \\[data.ytd\\] months: error: months = ytd reads one file per month"
mkini
sed -i 's/^months = ytd/months = qtd/' "$T/lang.ini"
expect_fail "months = something else" 2 "lang.ini: \\[data.ytd\\] months: error: \"qtd\" is not ytd or period"

echo "lang: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ -z "${KEEP:-}" ] && rm -rf "$T"
[ "$fail" -eq 0 ]
