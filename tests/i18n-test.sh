#!/bin/sh
# Messages in Chinese: a data error and a configuration error rendered
# under LANG=zh_CN.UTF-8 give the Chinese text with the location
# (file:line:col, or file: [section] key) still in front and the same exit
# code; English stays the default; the language is chosen as GNU tools do
# (LANGUAGE only outside the C locale).  Uses the build tree's catalogue
# (build/locale) through ZONGJIE_LOCALEDIR.
#
# usage: tests/i18n-test.sh ./zongjie      (from the repository root)
set -u
ZJ=${1:-./zongjie}
R=$(pwd)
T=$R/tests/tmp/i18n.$$
mkdir -p "$T/in"
pass=0 fail=0
. "$(dirname "$0")/lib.sh"
has() { grep -qF -- "$2" "$1"; }       # has FILE TEXT
hasre() { grep -qE -- "$2" "$1"; }     # hasre FILE REGEX

[ -f build/locale/zh_CN/LC_MESSAGES/zongjie.mo ] ||
    { echo "i18n: build/locale/zh_CN/LC_MESSAGES/zongjie.mo missing (make mo)" >&2; exit 1; }
export ZONGJIE_LOCALEDIR="$R/build/locale"
# Runs zongjie with a clean language environment plus the given settings:
# run OUT ERR VAR=VALUE... -- ARGS...
run() {
	out=$1 err=$2; shift 2
	set -- env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "$@"
	"$@" >"$out" 2>"$err"
}

# The sample with absolute paths, one CSV made bad: row 3 has a field too many.
cp input/2021-12/*.csv "$T/in/"
printf '指标,单位,本期,上年同期,目标\n园区产值,亿元,286.4,231.7,270\n入库税金,亿元,9.86,8.12,9.5,7\n' >"$T/in/kpi.csv"
sed -e "s|^template = .*|template = $R/config/report.md|" \
    -e "s|^dir = .*|dir = $R/fonts|" \
    -e "s|^file = .*input/{period}/|file = $T/in/|" \
    -e "s|^output = .*|output = $T/out.pdf|" config/report.ini >"$T/data.ini"
# A configuration error: an unknown key in [report].
sed -e 's|^missing = —|missing = —\ncolour = red|' "$T/data.ini" >"$T/cfg.ini"

for lang in en zh; do
	if [ $lang = zh ]; then setting=LANG=zh_CN.UTF-8; else setting=X_=1; fi
	run "$T/d.$lang.out" "$T/d.$lang.err" $setting "$ZJ" -c "$T/data.ini" --check
	echo $? >"$T/d.$lang.rc"
	run "$T/c.$lang.out" "$T/c.$lang.err" $setting "$ZJ" -c "$T/cfg.ini" --check
	echo $? >"$T/c.$lang.rc"
done

check "English data error by default ($(head -c 300 "$T/d.en.err"))" \
    hasre "$T/d.en.err" "^zongjie: $T/in/kpi.csv:3:[0-9]+: error: row has 6 fields, header has 5"
check "Chinese data error, location in front ($(head -c 300 "$T/d.zh.err"))" \
    hasre "$T/d.zh.err" "^zongjie: $T/in/kpi.csv:3:[0-9]+: 错误: 该行有 6 个字段，表头有 5 个"
check "data error: same exit code in both languages (3)" \
    [ "$(cat "$T/d.en.rc")" = 3 ] && [ "$(cat "$T/d.zh.rc")" = 3 ]
check "English config error by default ($(head -c 300 "$T/c.en.err"))" \
    has "$T/c.en.err" "zongjie: $T/cfg.ini: [report] colour: error: unknown key"
check "Chinese config error, location in front ($(head -c 300 "$T/c.zh.err"))" \
    has "$T/c.zh.err" "zongjie: $T/cfg.ini: [report] colour: 错误: 未知的键"
check "config error: same exit code in both languages (2)" \
    [ "$(cat "$T/c.en.rc")" = 2 ] && [ "$(cat "$T/c.zh.rc")" = 2 ]
check "no English left in the Chinese messages" \
    sh -c "! grep -E ': (error|warning):' '$T/d.zh.err' '$T/c.zh.err'"

# A chart's decimals out of range (issue 11): the same location, in Chinese.
sed 's/^decimals = 1$/decimals = 7/' tests/cases/chart-labels-wrap/report.ini >"$T/dec.ini"
run "$T/o" "$T/e" LANG=zh_CN.UTF-8 "$ZJ" -c "$T/dec.ini" --check
check "exit 2 for decimals = 7 in Chinese too (got $?)" [ $? -eq 2 ]
check "Chinese [chart.parks] decimals error ($(head -c 300 "$T/e"))" \
    has "$T/e" "zongjie: $T/dec.ini: [chart.parks] decimals: 错误: “7”不是 0 到 6 之间的小数位数"

# How the language is chosen.
run "$T/o" "$T/e" LC_ALL=zh_CN.UTF-8 "$ZJ" -c "$T/cfg.ini" --check
check "LC_ALL chooses Chinese" has "$T/e" "错误: 未知的键"
run "$T/o" "$T/e" LANG=zh_CN.UTF-8 LC_MESSAGES=C "$ZJ" -c "$T/cfg.ini" --check
check "LC_MESSAGES=C overrides LANG" has "$T/e" "error: unknown key"
run "$T/o" "$T/e" LANG=C.UTF-8 LANGUAGE=zh_CN "$ZJ" -c "$T/cfg.ini" --check
check "LANGUAGE chooses Chinese in C.UTF-8" has "$T/e" "错误: 未知的键"
run "$T/o" "$T/e" LANG=C LANGUAGE=zh_CN "$ZJ" -c "$T/cfg.ini" --check
check "LANGUAGE is ignored in the C locale, as in GNU tools" has "$T/e" "error: unknown key"
# A Chinese locale that is not generated on this machine is still honoured.
run "$T/o" "$T/e" LANG=zh_CN.NOTGENERATED "$ZJ" -c "$T/cfg.ini" --check
check "an ungenerated zh_CN locale still gives Chinese ($(head -c 200 "$T/e"))" has "$T/e" "错误: 未知的键"
run "$T/o" "$T/e" LANG=zh_CN.UTF-8 ZONGJIE_LOCALEDIR=/nonexistent "$ZJ" -c "$T/cfg.ini" --check
check "no catalogue: English" has "$T/e" "error: unknown key"
run "$T/o" "$T/e" LANG=zh_CN.UTF-8 "$ZJ" --help
check "usage text in Chinese" has "$T/o" "用法：zongjie"
check "--mail in Chinese: the PDF, the DOCX or both" has "$T/o" "PDF、DOCX 或两者"
run "$T/o" "$T/e" LANG=C "$ZJ" --help
check "--mail in English: the PDF, the DOCX or both" has "$T/o" "the PDF, the DOCX or both"
check "--help no longer says --mail sends only the PDF" sh -c "! grep -q 'send the PDF' '$T/o'"
check "system messages (strerror) in UTF-8, not ???" \
    sh -c "env -u LANGUAGE LANG=zh_CN.UTF-8 '$ZJ' -c '$T/none.ini' 2>&1 | grep -v '??' | grep -q '无法打开配置文件'"

echo "i18n: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && rm -rf "$T"
[ "$fail" -eq 0 ]
