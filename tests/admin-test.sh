#!/bin/sh
# What an administrator and a new user meet first: zongjie --init writes a
# skeleton that renders at once and never overwrites; the rendered PDF has
# the skeleton's text.
#
# usage: tests/admin-test.sh ./zongjie      (from the repository root)
set -u
ZJ=${1:-./zongjie}
case $ZJ in /*) ;; *) ZJ=$(pwd)/$ZJ ;; esac
R=$(pwd)
T=$R/tests/tmp/admin.$$
mkdir -p "$T"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
export LC_ALL=C.UTF-8
unset LANGUAGE

# --init: a skeleton that renders at once.
"$ZJ" --init "$T/first/月度总结" >"$T/init.out" 2>"$T/init.err"
check "--init exits 0 ($(head -c 300 "$T/init.err"))" [ $? -eq 0 ]
for f in report.ini report.md fonts/README.md; do
	check "--init writes $f" [ -s "$T/first/月度总结/$f" ]
done
csv=$(ls "$T"/first/月度总结/input/*/kpi.csv 2>/dev/null | head -n 1)
check "--init writes one month's CSV" [ -s "$csv" ]
period=$(basename "$(dirname "$csv")")
check "the CSV's month is the INI's period ($period)" \
    grep -q "^period = $period\$" "$T/first/月度总结/report.ini"
check "--init names the next command" grep -qF "zongjie -c $T/first/月度总结/report.ini" "$T/init.out"
(cd "$T/first/月度总结" && "$ZJ" -c report.ini --check >"$T/check.out" 2>"$T/check.err")
check "the skeleton passes --check ($(head -c 300 "$T/check.err"))" [ $? -eq 0 ]
check "--check of the skeleton prints nothing on stderr" [ ! -s "$T/check.err" ]
(cd "$T/first/月度总结" && "$ZJ" -c report.ini 2>"$T/render.err")
check "the skeleton renders ($(head -c 300 "$T/render.err"))" [ $? -eq 0 ]
pdf=$T/first/月度总结/out/zongjie-$period.pdf
check "the skeleton's PDF is there" [ -s "$pdf" ]
pdftotext "$pdf" "$T/first.txt" 2>/dev/null
check "the PDF has the skeleton's title" grep -q '工作总结' "$T/first.txt"
check "the PDF has a figure from the CSV (286.4)" grep -q '286.4' "$T/first.txt"
check "the PDF has the table" grep -q '主要经济指标完成情况表' "$T/first.txt"
check "the PDF has the chart" grep -q '主要指标与上年同期对比' "$T/first.txt"
check "the 合计 row is left out of the table" sh -c "! grep -q '355.46' '$T/first.txt'"
cp "$T/first/月度总结/report.md" "$T/md.before"
echo '%% edited' >>"$T/first/月度总结/report.md"
"$ZJ" --init "$T/first/月度总结" >/dev/null 2>"$T/again.err"
check "a second --init fails with exit 6" [ $? -eq 6 ]
check "and names the file that exists" grep -qF "$T/first/月度总结/report.ini: error: already exists" "$T/again.err"
check "and overwrites nothing" sh -c "tail -n 1 '$T/first/月度总结/report.md' | grep -q '^%% edited'"
mkdir -p "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	"$ZJ" --init "$T/ro/x" >/dev/null 2>"$T/ro.err"
	check "--init into an unwritable place: exit 6" [ $? -eq 6 ]
fi
chmod 755 "$T/ro"

echo "admin: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && rm -rf "$T"
[ "$fail" -eq 0 ]
