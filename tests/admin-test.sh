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
. "$(dirname "$0")/lib.sh"
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

# Paths in the INI are relative to the configuration's directory, not to
# the current directory: the sample renders from /, as cron runs it.
(cd / && "$ZJ" -c "$R/config/report.ini" -o "$T/fromroot.pdf" 2>"$T/root.err")
check "the sample renders from / ($(head -c 300 "$T/root.err"))" [ $? -eq 0 ]
check "... its PDF is there" [ -s "$T/fromroot.pdf" ]
(cd / && "$ZJ" -c "$R/config/report.ini" --check >"$T/rootcheck.out" 2>&1)
check "--check from / names the absolute data path" grep -q "^kpi: $R/input/2021-12/kpi.csv" "$T/rootcheck.out"
# A missing file is named by the absolute path tried.
mkdir -p "$T/park/conf"
cp "$R/config/report.ini" "$R/config/report.md" "$T/park/conf/"
(cd / && "$ZJ" -c "$T/park/conf/report.ini" --check >/dev/null 2>"$T/park.err")
check "a missing CSV: exit 3" [ $? -eq 3 ]
check "... named by its absolute path ($(head -c 200 "$T/park.err"))" \
    grep -qF "zongjie: $T/park/input/2021-12/kpi.csv: error: cannot open CSV" "$T/park.err"
# -C DIR: another base for the relative paths.
(cd / && "$ZJ" -c "$T/park/conf/report.ini" -C "$R/config" -o "$T/park-C.pdf" 2>"$T/parkC.err")
check "-C DIR resolves the paths against DIR ($(head -c 200 "$T/parkC.err"))" [ $? -eq 0 ]
"$ZJ" -c "$T/park/conf/report.ini" -C "$T/nonexistent" --check >/dev/null 2>"$T/C.err"
check "-C with a missing directory: exit 2" [ $? -eq 2 ]
check "... naming it" grep -qF "$T/nonexistent: error: cannot use as the base directory (-C)" "$T/C.err"
# A missing output directory is created under the configuration's
# directory, never elsewhere.
sed -e "s|^output = .*|output = 输出/{year}/zongjie-{period}.pdf|" \
    -e "s|^template = .*|template = $R/config/report.md|" \
    -e "s|^file = \.\./input/|file = $R/input/|" \
    "$R/config/report.ini" >"$T/park/conf/sub.ini"
(cd / && "$ZJ" -c "$T/park/conf/sub.ini" 2>"$T/sub.err")
check "output in a missing directory under the base: created ($(head -c 200 "$T/sub.err"))" \
    [ -s "$T/park/conf/输出/2021/zongjie-2021-12.pdf" ]
sed -i "s|^output = .*|output = ../elsewhere/zongjie-{period}.pdf|" "$T/park/conf/sub.ini"
(cd "$T" && "$ZJ" -c "$T/park/conf/sub.ini" 2>"$T/else.err")
check "a missing output directory outside the base: exit 6" [ $? -eq 6 ]
check "... not created" [ ! -e "$T/park/elsewhere" ]
check "... saying where directories are created ($(head -c 300 "$T/else.err"))" \
    grep -qF "directory $T/park/elsewhere does not exist; zongjie creates missing directories only under the configuration's directory $T/park/conf" "$T/else.err"
(cd "$T" && "$ZJ" -c "$T/park/conf/sub.ini" --check >/dev/null 2>"$T/else2.err")
check "--check reports it too (exit 6)" [ $? -eq 6 ]

# Several configurations in one command: each rendered, one failure does
# not stop the others, a summary at the end.
mkdir -p "$T/parks"
for p in 东区 西区; do
	sed -e "s|^output = .*|output = $T/parks/$p-{period}.pdf|" \
	    -e "s|^template = .*|template = $R/config/report.md|" \
	    -e "s|^file = \.\./input/|file = $R/input/|" \
	    "$R/config/report.ini" >"$T/parks/$p.ini"
done
printf '[report\n' >"$T/parks/坏.ini"
(cd "$T" && "$ZJ" -c parks/*.ini 2>"$T/parks.err")
rc=$?
check "several configurations: the failure's exit code (2, got $rc)" [ $rc -eq 2 ]
check "... each good one rendered" sh -c "[ -s '$T/parks/东区-2021-12.pdf' ] && [ -s '$T/parks/西区-2021-12.pdf' ]"
check "... a summary at the end ($(tail -n 1 "$T/parks.err"))" \
    sh -c "tail -n 1 '$T/parks.err' | grep -qx 'zongjie: 2 written, 1 failed: parks/坏.ini'"
"$ZJ" -c "$T/parks/东区.ini" "$T/parks/西区.ini" -o "$T/x.pdf" 2>"$T/parks-o.err"
check "-o with several configurations: exit 2" [ $? -eq 2 ]

# The clerk's common mistakes get a hint.
mkdir -p "$T/hint/input/2021-12"
cp "$R"/input/2021-12/*.csv "$T/hint/input/2021-12/"
sed -e 's|^file = \.\./input/|file = input/|' -e "s|^template = .*|template = report.md|" \
    "$R/config/report.ini" >"$T/hint/report.ini"
iconv -f UTF-8 -t GB18030 "$R/config/report.md" >"$T/hint/report.md"
"$ZJ" -c "$T/hint/report.ini" --check >/dev/null 2>"$T/gbk.err"
check "a GBK template: exit 4" [ $? -eq 4 ]
check "... one line saying to save it as UTF-8 ($(head -c 300 "$T/gbk.err"))" sh -c \
    "[ \$(wc -l <'$T/gbk.err') -eq 1 ] && grep -qF '$T/hint/report.md: error: is not UTF-8 but GB18030/GBK' '$T/gbk.err' && grep -q 'save it as UTF-8' '$T/gbk.err'"
cp "$R/config/report.md" "$T/hint/report.md"
iconv -f UTF-8 -t GB18030 "$T/hint/report.ini" >"$T/hint/gbk.ini"
"$ZJ" -c "$T/hint/gbk.ini" --check >/dev/null 2>"$T/gbkini.err"
check "a GBK configuration: exit 2, the same hint ($(head -c 300 "$T/gbkini.err"))" sh -c \
    "grep -q 'gbk.ini: error: is not UTF-8 but GB18030/GBK' '$T/gbkini.err' && [ \$(wc -l <'$T/gbkini.err') -eq 1 ]"
printf '# 标题\n\n\377\376 not text\n' >"$T/hint/bin.md"
sed "s|^template = .*|template = bin.md|" "$T/hint/report.ini" >"$T/hint/bin.ini"
"$ZJ" -c "$T/hint/bin.ini" --check >/dev/null 2>"$T/bin.err"
check "bytes that are neither UTF-8 nor GB18030: the located UTF-8 error" \
    grep -q 'bin.md:3:1: error: invalid UTF-8 byte 0xFF' "$T/bin.err"
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("xl/workbook.xml", "<workbook/>"); z.close()' \
    "$T/hint/input/2021-12/kpi.csv"
"$ZJ" -c "$T/hint/report.ini" --check >/dev/null 2>"$T/xlsx.err"
check "an .xlsx saved as kpi.csv: exit 3" [ $? -eq 3 ]
check "... this is an Excel workbook; save it as CSV ($(head -c 300 "$T/xlsx.err"))" \
    grep -qF "$T/hint/input/2021-12/kpi.csv: error: this is an Excel workbook (.xlsx, a ZIP file), not CSV; open it in Excel and save it as CSV (File > Save As > CSV (逗号分隔))" "$T/xlsx.err"
printf '\320\317\021\340\241\261\032\341rest of an old workbook' >"$T/hint/input/2021-12/kpi.csv"
"$ZJ" -c "$T/hint/report.ini" --check >/dev/null 2>"$T/xls.err"
check "an .xls (OLE2) saved as kpi.csv: exit 3 and the hint" sh -c \
    "grep -q 'kpi.csv: error: this is an old Excel workbook (.xls)' '$T/xls.err'"

echo "admin: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && rm -rf "$T"
[ "$fail" -eq 0 ]
