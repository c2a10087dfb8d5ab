#!/bin/sh
# End-to-end tests: render the sample with the given zongjie binary and
# check the PDF with the readers people use (poppler, qpdf, MuPDF); then
# bad inputs, each with its documented exit code, a message naming the
# file and line, and the last good PDF left byte-identical.
#
# usage: tests/e2e.sh ./zongjie      (run from the repository root)
set -u
. "$(dirname "$0")/lib.sh"
ZJ=${1:-./zongjie}
R=$(pwd)
T=tests/tmp/e2e.$$
mkdir -p "$T"
# The sample writes ../out/ beside config/; zongjie creates directories only
# under the configuration's own, so out/ is made as `make run` makes it.
mkdir -p out
pass=0 fail=0


# 1. The sample renders silently, exit 0.
"$ZJ" -c config/report.ini -o "$T/sample.pdf" >"$T/out" 2>"$T/err"
rc=$?
check "sample exits 0 (got $rc: $(head -c 400 "$T/err"))" [ "$rc" -eq 0 ]
check "sample run prints nothing" [ ! -s "$T/out" ] 
check "sample run prints nothing on stderr" [ ! -s "$T/err" ]
check "sample PDF exists" [ -s "$T/sample.pdf" ]

# 2. Readers accept it.
check "qpdf --check" sh -c "qpdf --check '$T/sample.pdf' >/dev/null 2>&1"
pdftotext -layout "$T/sample.pdf" "$T/sample-layout.txt" 2>"$T/pdftotext.err"
pdftotext "$T/sample.pdf" "$T/sample.txt" 2>>"$T/pdftotext.err"
check "pdftotext prints no warnings ($(head -c 300 "$T/pdftotext.err"))" [ ! -s "$T/pdftotext.err" ]
if command -v mutool >/dev/null 2>&1; then
	mutool draw -q -F txt -o "$T/sample-mu.txt" "$T/sample.pdf" 2>"$T/mutool.err"
	check "mutool extracts the title" grep -q "工作总结" "$T/sample-mu.txt"
else
	missing mutool "Debian mupdf-tools" || bad "mutool check did not run"
fi

# 3. Every font embedded, with a ToUnicode map.
pdffonts "$T/sample.pdf" >"$T/fonts.txt" 2>&1
check "pdffonts lists fonts" [ "$(tail -n +3 "$T/fonts.txt" | wc -l)" -ge 3 ]
check "every font embedded with ToUnicode" sh -c \
    "tail -n +3 '$T/fonts.txt' | awk '{ if (\$(NF-4) != \"yes\" || \$(NF-2) != \"yes\") bad = 1 } END { exit bad }'"

# 4. Every paragraph and heading, placeholders evaluated independently.
python3 tests/check_text.py config/report.ini 2021-12 "$T/sample.txt" >"$T/check.out" 2>&1
check "template text in the PDF ($(tail -n 5 "$T/check.out"))" [ $? -eq 0 ]
check "table continued with 续表 and header" sh -c "grep -q '续表' '$T/sample.txt'"

# 5. Glyphs have ink (no blank or missing glyphs).
if [ -f tests/glyph-ink.sh ]; then
	sh tests/glyph-ink.sh "$T/sample.pdf" >"$T/ink.out" 2>&1
	check "every glyph box has ink ($(tail -n 3 "$T/ink.out"))" [ $? -eq 0 ]
fi

# 6. Byte-identical output for the same inputs.
"$ZJ" -c config/report.ini -o "$T/again.pdf" 2>/dev/null
check "same inputs give a byte-identical PDF" cmp -s "$T/sample.pdf" "$T/again.pdf"

# The PDF's dates come from the period, or SOURCE_DATE_EPOCH when set.
check "creation date is the period's last day" sh -c "TZ=UTC pdfinfo '$T/sample.pdf' | grep -q 'CreationDate: *Fri Dec 31 00:00:00 2021'"
SOURCE_DATE_EPOCH=1000000000 "$ZJ" -c config/report.ini -o "$T/sde.pdf" 2>/dev/null
check "SOURCE_DATE_EPOCH sets the creation date" sh -c "TZ=UTC pdfinfo '$T/sde.pdf' | grep -q 'CreationDate: *Sun Sep  9 01:46:40 2001'"

# 7. --check writes nothing and describes each source.
"$ZJ" -c config/report.ini --check -o "$T/check.pdf" >"$T/check.txt" 2>&1
check "--check exits 0" [ $? -eq 0 ]
check "--check writes no PDF" [ ! -e "$T/check.pdf" ]
check "--check lists the kpi source, its absolute path" grep -q "^kpi: $R/input/2021-12/kpi.csv, UTF-8" "$T/check.txt"
"$ZJ" -c config/report.ini --check -o /etc/passwd/x.pdf >/dev/null 2>"$T/check.err"
check "--check fails (6) when the PDF could not be written" [ $? -eq 6 ]

# 8. Bad inputs: exit code, message with file and line, last good PDF kept.
cp "$T/sample.pdf" "$T/good.pdf"
mkdir -p "$T/bad/input/2021-12" "$T/bad/config"
expect_fail() { # NAME CODE PATTERN CONFIG
	name=$1 code=$2 pattern=$3 ini=$4
	cp "$T/good.pdf" "$T/target.pdf"
	"$ZJ" -c "$ini" -o "$T/target.pdf" >"$T/bad.out" 2>"$T/bad.err"
	rc=$?
	check "$name: exit $code (got $rc: $(head -c 300 "$T/bad.err"))" [ "$rc" -eq "$code" ]
	check "$name: message matches '$pattern' (got: $(head -c 300 "$T/bad.err"))" grep -q -- "$pattern" "$T/bad.err"
	check "$name: last good PDF untouched" cmp -s "$T/good.pdf" "$T/target.pdf"
	check "$name: no temporary file left" sh -c "! ls -A '$T' | grep -q '^\\.target\\.pdf\\.'"
}
# A copy of the sample whose files we break one at a time.
mkbad() {
	rm -rf "$T/bad"
	mkdir -p "$T/bad/config" "$T/bad/input/2021-12"
	cp input/2021-12/*.csv "$T/bad/input/2021-12/"
	# Its paths are relative to the configuration's directory: the copy
	# reads the copied files, wherever it is run from.
	cp config/report.md config/report.ini "$T/bad/config/"
}

expect_fail "missing config" 2 "nonexistent.ini: error: cannot open" "$T/nonexistent.ini"

mkbad
sed -i '0,/^## /s//## 未知占位符{kpi[没有这个指标].本期}\n\n## /' "$T/bad/config/report.md"
expect_fail "unknown placeholder key" 4 "report.md:[0-9]*:[0-9]*: error: no row with 指标 = \"没有这个指标\"" "$T/bad/config/report.ini"

# 25,000 nested growth( once overflowed the stack: a located template error.
mkbad
python3 -c 'import sys; sys.stdout.write("\n深度{" + "growth(" * 25000 + "1, 2" + ")" * 25000 + "}。\n")' >>"$T/bad/config/report.md"
expect_fail "expression nested 25,000 deep" 4 "report.md:[0-9]*:[0-9]*: error: expressions nest more than" "$T/bad/config/report.ini"
check "expression nested 25,000 deep: the message quotes a bounded part ($(wc -c <"$T/bad.err") bytes)" [ "$(wc -c <"$T/bad.err")" -lt 1000 ]

mkbad
printf '"未闭合的引号,亿元,1,2,3\n' >>"$T/bad/input/2021-12/kpi.csv"
expect_fail "unterminated quote" 3 "kpi.csv:[0-9]*:[0-9]*: error" "$T/bad/config/report.ini"

mkbad
awk -F, 'NR == 3 { $4 = "十二点五" } { print }' OFS=, input/2021-12/projects.csv >"$T/bad/input/2021-12/projects.csv"
expect_fail "non-numeric summed cell" 3 "projects.csv:3:[0-9]*: error: .*十二点五" "$T/bad/config/report.ini"

mkbad
sed -i 's#^body = .*#body = /nonexistent/simfang.ttf#' "$T/bad/config/report.ini"
expect_fail "missing font file" 5 "report.ini: \\[fonts\\] body: error: no usable font" "$T/bad/config/report.ini"

mkbad
sed -i 's#^colour_typo_line##; s#^\[report\]#[report]\ncolour = red#' "$T/bad/config/report.ini"
expect_fail "unknown config key" 2 "report.ini: \\[report\\] colour: error: unknown key" "$T/bad/config/report.ini"

mkbad
python3 - "$T/bad/input/2021-12/projects.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read().replace("卫星通信电子材料产业基地", "卫星通信\U00020000材料产业基地", 1)
open(p, "w", encoding="utf-8").write(s)
PY
expect_fail "character no font has, from a CSV cell" 5 "projects.csv:3:[0-9]*: error: .*U+20000" "$T/bad/config/report.ini"

# ... unless [fonts] missing = warning: a warning with the same location, and
# the character drawn as an empty box.
sed -i 's#^dir = \.\./fonts$#dir = ../fonts\nmissing = warning#' "$T/bad/config/report.ini"
"$ZJ" -c "$T/bad/config/report.ini" -o "$T/warn.pdf" 2>"$T/warn.err"
check "missing = warning: exit 0 ($(head -c 300 "$T/warn.err"))" [ $? -eq 0 ]
check "... warns with the CSV location and U+ code" grep -q "projects.csv:3:[0-9]*: warning: .*U+20000.*empty box" "$T/warn.err"
check "... writes the PDF" [ -s "$T/warn.pdf" ]
check "... whose text still reads" sh -c "pdftotext '$T/warn.pdf' - 2>/dev/null | grep -q 卫星通信"

mkbad
sed -i '0,/^## /s//## 园区\xe2\xbf\xbf建设\n\n## /' "$T/bad/config/report.md"
expect_fail "character no font has, from the template" 5 "report.md:[0-9]*:.*U+2FFF" "$T/bad/config/report.ini"

mkbad
awk -F, 'NR == 4 { $7 = "2021-02-30" } { print }' OFS=, input/2021-12/projects.csv >"$T/bad/input/2021-12/projects.csv"
expect_fail "declared date column with an impossible date" 3 "projects.csv:4:[0-9]*: error: column \"签约日期\" is declared a date" "$T/bad/config/report.ini"

# 9. Exports in other encodings give the same report: GB18030 with CRLF
# (Excel on Chinese Windows), UTF-8 with BOM, UTF-16LE tab-separated.
mkbad
iconv -f UTF-8 -t GB18030 input/2021-12/kpi.csv | sed 's/$/\r/' >"$T/bad/input/2021-12/kpi.csv"
{ printf '\357\273\277'; cat input/2021-12/projects.csv; } >"$T/bad/input/2021-12/projects.csv"
{ printf '\377\376'; tr ',' '\t' <input/2021-12/trend.csv | sed 's/$/\r/' | iconv -f UTF-8 -t UTF-16LE; } >"$T/bad/input/2021-12/trend.csv"
"$ZJ" -c "$T/bad/config/report.ini" -o "$T/enc.pdf" 2>"$T/enc.err"
check "GB18030/BOM/UTF-16 exports render ($(head -c 300 "$T/enc.err"))" [ $? -eq 0 ]
pdftotext "$T/enc.pdf" "$T/enc.txt" 2>/dev/null
check "... and give the same text as the UTF-8 exports" cmp -s "$T/sample.txt" "$T/enc.txt"
"$ZJ" -c "$T/bad/config/report.ini" --check >"$T/enc.check" 2>&1
check "--check names the detected encodings" sh -c "grep -q 'kpi.csv, GB18030' '$T/enc.check' && grep -q 'trend.csv, UTF-16LE, tab' '$T/enc.check'"

# Growth from two exports: this year's and last year's file of the same month.
"$ZJ" -c tests/data/twoyears/report.ini --dump-layout --fake-metrics >"$T/two.dump" 2>"$T/two.err"
check "growth from last year's export (2021-11 vs 2020-11)" sh -c \
    "tr -d '\n' <'$T/two.dump' | grep -q '增长20.5%' && tr -d '\n' <'$T/two.dump' | grep -q '下降6.8%'"

# 10. Two runs for the same output never overlap.
if command -v flock >/dev/null 2>&1; then
	flock "$T/.locked.pdf.lock" sleep 3 &
	lockpid=$!
	# Wait until the holder really has the lock.
	i=0
	while flock -n "$T/.locked.pdf.lock" true 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	"$ZJ" -c config/report.ini -o "$T/locked.pdf" 2>"$T/lock.err"
	check "a locked output exits 8 ($(head -c 200 "$T/lock.err"))" [ $? -eq 8 ]
	check "... saying another run holds it" grep -q "another zongjie run" "$T/lock.err"
	"$ZJ" --wait=1 -c config/report.ini -o "$T/locked.pdf" 2>"$T/lock.err"
	check "--wait=1 gives up after a second with exit 8 ($(head -c 200 "$T/lock.err"))" [ $? -eq 8 ]
	check "... saying how long it waited" grep -q "after 1 seconds of waiting" "$T/lock.err"
	"$ZJ" --wait -c config/report.ini -o "$T/locked.pdf" 2>"$T/lock.err"
	check "--wait waits for the lock and succeeds" [ $? -eq 0 ]
	check "... and writes the PDF" [ -s "$T/locked.pdf" ]
	wait $lockpid
else
	missing flock "Debian util-linux" || bad "lock checks did not run"
fi

# 11. Several periods in one run: one failure does not stop the rest.
"$ZJ" -c config/report.ini -p 2021-11..2021-12 -o "$T/multi-{period}.pdf" 2>"$T/multi.err"
rc=$?
check "a range with a missing month exits 3 (got $rc)" [ "$rc" -eq 3 ]
check "... names the missing month's file" grep -q "input/2021-11/kpi.csv" "$T/multi.err"
check "... and still renders the other month" [ -s "$T/multi-2021-12.pdf" ]
check "... writing nothing for the failed month" [ ! -e "$T/multi-2021-11.pdf" ]
check "... and ends with a one-line summary ($(tail -n 1 "$T/multi.err"))" \
    sh -c "tail -n 1 '$T/multi.err' | grep -qx 'zongjie: 1 written, 1 failed: 2021-11'"

# Command line.
"$ZJ" -h >"$T/help" 2>&1
check "-h exits 0 and prints the options" sh -c "[ $? -eq 0 ] && grep -q -- '--period' '$T/help'"
"$ZJ" -V >"$T/version" 2>&1
check "-V prints the version" grep -q "^zongjie [0-9]" "$T/version"
# Libraries a run needs only for fonts, the PDF, DOCX or mail are loaded
# when it gets there (fonts.c, hpdf_patch.c, docx_*.c, mail.c): --version
# maps none of them.
LD_DEBUG=libs "$ZJ" --version >/dev/null 2>"$T/ld.log"
check "--version loads no font, PDF, DOCX or mail library" sh -c "! grep -Eq \
    'calling init: .*/lib(harfbuzz|harfbuzz-subset|fontconfig|freetype|glib-2\.0|hpdf-2\.3\.0|png16|xml2|zip|curl)\.so' \
    '$T/ld.log' && grep -q 'calling init: .*/libc\.so' '$T/ld.log'"
# libharu is loaded when the PDF is made (hpdf_patch.c hp_load): a
# libhpdf-2.3.0.so the loader finds first that is not a library, or one
# without libharu's functions, is exit 1 naming it and the package, and
# the last good PDF is kept.
mkdir -p "$T/nohpdf" "$T/emptyhpdf"
printf 'not a library\n' >"$T/nohpdf/libhpdf-2.3.0.so"
printf 'int zj_nothing;\n' >"$T/emptyhpdf/e.c"
cc -shared -fPIC -o "$T/emptyhpdf/libhpdf-2.3.0.so" "$T/emptyhpdf/e.c"
cp "$T/sample.pdf" "$T/keep.pdf"
LD_LIBRARY_PATH="$R/$T/nohpdf" "$ZJ" -c config/report.ini -o "$T/keep.pdf" \
    >/dev/null 2>"$T/nohpdf.err"
rc=$?
check "libharu that cannot be loaded: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "... naming it and the package: $(head -c 300 "$T/nohpdf.err")" grep -qF \
    "cannot load libhpdf-2.3.0.so, which the PDF needs (install Debian's libhpdf-2.3.0 package)" \
    "$T/nohpdf.err"
check "... and the last good PDF kept" cmp -s "$T/sample.pdf" "$T/keep.pdf"
LD_LIBRARY_PATH="$R/$T/emptyhpdf" "$ZJ" -c config/report.ini -o "$T/keep.pdf" \
    >/dev/null 2>"$T/emptyhpdf.err"
rc=$?
check "a libhpdf-2.3.0.so without libharu's functions: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "... naming the missing function: $(head -c 300 "$T/emptyhpdf.err")" \
    grep -qF "libhpdf-2.3.0.so has no HPDF_" "$T/emptyhpdf.err"
check "... and the last good PDF kept" cmp -s "$T/sample.pdf" "$T/keep.pdf"
LD_LIBRARY_PATH="$R/$T/nohpdf" "$ZJ" -c config/report.ini -o "$T/nohpdf.docx" \
    >/dev/null 2>&1
check "... a DOCX run does not need it (exit $?)" [ -s "$T/nohpdf.docx" ]
"$ZJ" --bogus >/dev/null 2>"$T/bogus.err"
check "an unknown option exits 2" [ $? -eq 2 ]
check "... with one line naming it and where to read more" sh -c \
    "[ \$(wc -l <'$T/bogus.err') -eq 2 ] && grep -q \"unknown option '--bogus'\" '$T/bogus.err' && grep -qx \"Try 'zongjie --help' for more information.\" '$T/bogus.err'"
"$ZJ" -c config/report.ini extra >/dev/null 2>&1
check "a stray argument exits 2" [ $? -eq 2 ]
"$ZJ" -c config/report.ini --mail --check >/dev/null 2>&1
check "--mail without a [mail] section exits 2" [ $? -eq 2 ]

# [chart.NAME] decimals (issue 11): 0..6, one or one per series; anything
# else is a configuration error at the section and key (exit 2; in Chinese:
# tests/i18n-test.sh).
sed 's/^decimals = 1$/decimals = 7/' tests/cases/chart-labels-wrap/report.ini >"$T/dec.ini"
"$ZJ" -c "$T/dec.ini" --check >/dev/null 2>"$T/dec.err"
check "decimals = 7 exits 2 (got $?)" [ $? -eq 2 ]
check "... naming [chart.parks] decimals" grep -q 'dec.ini: \[chart.parks\] decimals: error: "7" is not a number of decimals from 0 to 6' "$T/dec.err"
sed 's/^decimals = 1$/decimals = 1, 0/' tests/cases/chart-labels-wrap/report.ini >"$T/dec2.ini"
"$ZJ" -c "$T/dec2.ini" --check >/dev/null 2>"$T/dec2.err"
check "decimals = 1, 0 for one series exits 2 (got $?)" [ $? -eq 2 ]
check "... saying how many series" grep -q '\[chart.parks\] decimals: error: 2 numbers of decimals for 1 series' "$T/dec2.err"

"$ZJ" -p 2021-13 -c config/report.ini -o "$T/target.pdf" 2>"$T/bad.err"
check "bad period exits 2" [ $? -eq 2 ]

# Tables that do not fit (issue 11): stepped down to table_min_size, then a
# warning naming the table; a configured width that would break a number is
# a configuration error naming the INI section and key (exit 2).
"$ZJ" -c tests/cases/table-autofit/report.ini --dump-layout --fake-metrics >"$T/fit.out" 2>"$T/fit.err"
check "a table that does not fit at table_min_size: exit 0 (got $?)" [ -s "$T/fit.out" ]
check "... with a warning naming the table" grep -q 'table.wider.*warning: table "wider" does not fit' "$T/fit.err"
check "... and none for the table that fits at 11.5 pt" sh -c "! grep -q 'table.wide\]' '$T/fit.err'"
# (a copy elsewhere: its paths, relative to the INI, made absolute)
sed -e 's/^col2 = 乙 | 乙$/col2 = 乙 | 乙 | | | 10/' \
    -e "s#^\(template\|file\) = #\1 = $(pwd)/tests/cases/table-autofit/#" \
    tests/cases/table-autofit/report.ini >"$T/minw.ini"
"$ZJ" -c "$T/minw.ini" --dump-layout --fake-metrics >/dev/null 2>"$T/minw.err"
check "a column width that would break a number exits 2 (got $?)" [ $? -eq 2 ]
check "... naming [table.wide] col2" grep -q 'minw.ini: \[table.wide\] col2: error: the width of column "乙"' "$T/minw.err"

echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && rm -rf "$T"
[ "$fail" -eq 0 ]
