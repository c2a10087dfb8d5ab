#!/bin/sh
# DOCX output (src/docx*.c): the sample written with -o NAME.docx and
# --format docx, checked as a package (unzip -t, every part parses with
# xmllint), byte-identical on reruns and under another time zone, read by
# python-docx (tests/docx_check.py: styles, page setup, footers, headings,
# tables, charts, properties), and opened by LibreOffice headless, which
# converts it to PDF: its text equals zongjie's own PDF of the same report
# (tests/docx_text.py), its page count is within ±1 of ours, and page 1 is
# rendered to PNG (kept in tests/tmp/docx/ to look at).  Failures behave
# as for the PDF: exit codes, last good file untouched.
#
# usage: tests/docx-test.sh ./zongjie      (run from the repository root)
set -u
. "$(dirname "$0")/lib.sh"
ZJ=${1:-./zongjie}
R=$(pwd)
T=$R/tests/tmp/docx
PY=/usr/bin/python3                     # Debian's, which has python3-docx
[ -x "$PY" ] || PY=python3
rm -rf "$T"
mkdir -p "$T"
pass=0 fail=0


# 1. The sample as DOCX: silent, exit 0, a ZIP package.
"$ZJ" -c config/report.ini -o "$T/sample.docx" >"$T/out" 2>"$T/err"
rc=$?
check "sample .docx exits 0 (got $rc: $(head -c 400 "$T/err"))" [ "$rc" -eq 0 ]
check "sample .docx run prints nothing" [ ! -s "$T/out" ] 
check "... nothing on stderr" [ ! -s "$T/err" ]
check "... starts with the ZIP signature" sh -c \
    "head -c 2 '$T/sample.docx' | grep -q PK"
"$ZJ" -c config/report.ini --format docx -o "$T/forced.out" 2>"$T/err2"
check "--format docx writes a DOCX whatever the name" sh -c \
    "[ $? -eq 0 ] && cmp -s '$T/sample.docx' '$T/forced.out'"
"$ZJ" -c config/report.ini --format odt -o "$T/x.odt" 2>"$T/err3"
check "--format odt exits 2" [ $? -eq 2 ]
check "... writing nothing" [ ! -e "$T/x.odt" ]
"$ZJ" -c config/report.ini -o "$T/sample.pdf" 2>/dev/null
check "the PDF of the same run" [ -s "$T/sample.pdf" ]
"$ZJ" -c config/report.ini --dump-doc >"$T/dump.txt" 2>/dev/null
# libxml2 and libzip are loaded only when a DOCX is written (docx_xml.c,
# docx_zip.c): the loader's own log of the PDF run names neither.
LD_DEBUG=libs "$ZJ" -c config/report.ini -o "$T/ld.pdf" >/dev/null \
    2>"$T/ld-pdf.log"
LD_DEBUG=libs "$ZJ" -c config/report.ini -o "$T/ld.docx" >/dev/null \
    2>"$T/ld-docx.log"
check "a PDF run loads neither libxml2 nor libzip" \
    sh -c "! grep -Eq 'calling init: .*/lib(xml2|zip)\.so' '$T/ld-pdf.log'"
check "... a DOCX run loads both" sh -c "grep -Eq \
    'calling init: .*/libxml2\.so' '$T/ld-docx.log' && grep -Eq \
    'calling init: .*/libzip\.so' '$T/ld-docx.log'"
check "... and libharu only the PDF run (hpdf_patch.c hp_load)" sh -c "grep -Eq \
    'calling init: .*/libhpdf-2\.3\.0\.so' '$T/ld-pdf.log' && ! grep -Eq \
    'calling init: .*/libhpdf-2\.3\.0\.so' '$T/ld-docx.log'"

# 2. The package: unzip -t, every XML part well-formed.
if command -v unzip >/dev/null 2>&1; then
	check "unzip -t passes" sh -c "unzip -tq '$T/sample.docx' >/dev/null"
	mkdir -p "$T/parts"
	(cd "$T/parts" && unzip -q ../sample.docx)
	n=0
	# The charts' workbooks are packages too: unpacked beside them.
	for f in $(cd "$T/parts" && find . -name '*.xlsx' | sort); do
		check "$f passes unzip -t" sh -c \
		    "unzip -tq '$T/parts/$f' >/dev/null"
		mkdir -p "$T/parts/$f.d"
		(cd "$T/parts/$f.d" && unzip -q "../$(basename "$f")")
	done
	for f in $(cd "$T/parts" && find . -type f ! -name '*.xlsx' | sort); do
		n=$((n + 1))
		if command -v xmllint >/dev/null 2>&1; then
			check "$f parses with xmllint" \
			    xmllint --noout "$T/parts/$f"
		fi
	done
	check "13 parts or more (got $n)" [ "$n" -ge 13 ]
	command -v xmllint >/dev/null 2>&1 ||
	    missing xmllint "Debian libxml2-utils" || bad "xmllint did not run"
	check "document.xml has the headings' numbers as text" \
	    grep -q '一、' "$T/parts/word/document.xml"
	check "charts are chart parts" [ -f "$T/parts/word/charts/chart1.xml" ]
else
	missing unzip "Debian unzip" || bad "package checks did not run"
fi

# 3. Deterministic: the same input gives the same bytes, in any time zone.
"$ZJ" -c config/report.ini -o "$T/again.docx" 2>/dev/null
check "rerun is byte-identical" cmp -s "$T/sample.docx" "$T/again.docx"
TZ=Asia/Shanghai "$ZJ" -c config/report.ini -o "$T/tz.docx" 2>/dev/null
check "... under TZ=Asia/Shanghai too" cmp -s "$T/sample.docx" "$T/tz.docx"
SOURCE_DATE_EPOCH=1700000000 "$ZJ" -c config/report.ini -o "$T/sde.docx" \
    2>/dev/null
check "SOURCE_DATE_EPOCH sets the dates" sh -c \
    "unzip -p '$T/sde.docx' docProps/core.xml | grep -q '2023-11-14T22:13:20Z'"

# 4. python-docx reads it: styles, margins, tables, charts, properties.
if "$PY" -c 'import docx' 2>/dev/null; then
	"$PY" tests/docx_check.py "$T/sample.docx" "$T/dump.txt" \
	    config/report.ini >"$T/check.out" 2>&1
	check "python-docx checks ($(grep FAIL "$T/check.out" | head -n 5;
	    tail -n 1 "$T/check.out"))" [ $? -eq 0 ]
else
	missing python3-docx "Debian python3-docx" ||
	    bad "python-docx checks did not run"
fi

# 5. Failures as for the PDF: an unwritable output exits 6, a bad
#    template exits 4, and the last good DOCX stays untouched.
cp "$T/sample.docx" "$T/good.docx"
printf '# 标题\n\n{kpi[不存在].本期}\n' >"$T/bad.md"
# Copies of the sample elsewhere: its relative paths (relative to the
# configuration's directory) made absolute.
ABS='s#^\(file\|dir\|output\) = \.\./#\1 = '"$R"'/#'
sed -e "s#^template = .*#template = $T/bad.md#" -e "$ABS" config/report.ini >"$T/bad.ini"
"$ZJ" -c "$T/bad.ini" -o "$T/good.docx" 2>"$T/bad.err"
check "a template error exits 4 (got $?)" [ $? -eq 4 ]
check "... names the template line" grep -q "bad.md:3:" "$T/bad.err"
check "... the last good DOCX untouched" cmp -s "$T/good.docx" "$T/sample.docx"
check "... no temporary file left" sh -c "! ls -A '$T' | grep -q '^\.good'"
"$ZJ" -c config/report.ini -o /dev/null --format docx 2>"$T/null.err"
check "-o /dev/null exits 6" [ $? -eq 6 ]

# 6. LibreOffice opens it and converts it to PDF.
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -n "$SOFFICE" ] && command -v pdftotext >/dev/null 2>&1; then
	lo() { # lo DIR FILE.docx: FILE.pdf in DIR
		timeout 300 "$SOFFICE" --headless --norestore \
		    "-env:UserInstallation=file://$T/lo-profile" \
		    --convert-to pdf --outdir "$1" "$2" >"$T/lo.out" 2>&1
	}
	lo "$T/lo" "$T/sample.docx"
	check "LibreOffice converts the DOCX ($(tail -n 2 "$T/lo.out"))" \
	    [ -s "$T/lo/sample.pdf" ]
	ours=$(pdfinfo "$T/sample.pdf" | awk '/^Pages:/ { print $2 }')
	theirs=$(pdfinfo "$T/lo/sample.pdf" 2>/dev/null |
	    awk '/^Pages:/ { print $2 }')
	check "page count within ±1 (zongjie $ours, LibreOffice ${theirs:-?})" \
	    sh -c "[ -n '$theirs' ] && [ \$(( $ours - $theirs )) -le 1 ] &&
	    [ \$(( $theirs - $ours )) -le 1 ]"
	pdftoppm -png -r 60 -f 1 -l 1 "$T/lo/sample.pdf" "$T/lo-page" 2>/dev/null
	check "page 1 renders to PNG ($T/lo-page-01.png)" \
	    [ -s "$T/lo-page-01.png" ]
	# The text, with the charts left out (their axes and legends are
	# drawn by each program): the sample's template without @chart.
	grep -v '^@chart' config/report.md >"$T/nochart.md"
	sed -e "s#^template = .*#template = $T/nochart.md#" -e "$ABS" config/report.ini \
	    >"$T/nochart.ini"
	"$ZJ" -c "$T/nochart.ini" -o "$T/nochart.pdf" 2>/dev/null
	"$ZJ" -c "$T/nochart.ini" -o "$T/nochart.docx" 2>/dev/null
	"$ZJ" -c "$T/nochart.ini" --dump-doc >"$T/nochart.dump" 2>/dev/null
	lo "$T/lo" "$T/nochart.docx"
	"$PY" tests/docx_text.py "$T/nochart.pdf" "$T/lo/nochart.pdf" \
	    "$T/nochart.dump" >"$T/text.out" 2>&1
	check "LibreOffice's text equals zongjie's ($(cat "$T/text.out"))" \
	    [ $? -eq 0 ]
	grep -v ' passed, ' "$T/text.out"
else
	missing soffice "Debian libreoffice-writer-nogui and poppler-utils" ||
	    bad "LibreOffice checks did not run"
fi

echo "docx: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
