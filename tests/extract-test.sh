#!/bin/sh
# extract-test.sh PDF: the text of the sample report as readers extract it.
# PDF is the sample (config/report.ini on input/2021-12, e.g. from
# `./zongjie -c config/report.ini -o PDF`; `make extract` also runs it on
# the sample set in OpenType/CFF fonts).  Extracts the text with poppler
# (pdftotext), MuPDF (mutool draw -F txt), pdf.js (npm package
# pdfjs-dist@3, installed into tests/tmp/node_modules on first use) and
# Apache PDFBox (Debian's libpdfbox2-java), and has qpdf --check the file
# (no warnings).  Checks, for each reader, that the
# extracted text contains the title and a few known sentences exactly
# (white space ignored: readers put spaces and line breaks between runs)
# and that the reader printed no warning about ToUnicode (or any warning).
# Prints "extract: N passed, N failed"; exit 1 if any check failed, 2 on
# usage errors.
set -u
. "$(dirname "$0")/lib.sh"
if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: sh tests/extract-test.sh SAMPLE.pdf" >&2
	exit 2
fi
pdf=$1
cd "$(dirname "$0")/.." || exit 2
T=tests/tmp/extract.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT HUP INT TERM
pass=0 fail=0

# Known text of the sample (config/report.ini and config/report.md, 2021-12).
cat >"$T/want.txt" <<'WANT'
2021年工作总结与2022年工作思路
青禾县工业集中发展区管理委员会
坚持“产城一体、绿色低碳”的定位，统筹安排生产、生活、生态空间
发挥“即时办”机制和“企业服务直通车”热线的互动作用
全年各月园区产值与上年同期对比见下图。
2021年签约项目情况表
WANT

# check READER TEXTFILE ERRFILE
check() {
	reader=$1 text=$2 err=$3
	if python3 - "$T/want.txt" "$text" <<'PY'
import re, sys
want = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
text = re.sub(r"\s+", "", open(sys.argv[2], encoding="utf-8",
                                errors="replace").read())
missing = [w for w in want if re.sub(r"\s+", "", w) not in text]
for w in missing:
    sys.stderr.write("  missing: %s\n" % w)
sys.exit(1 if missing else 0)
PY
	then ok; else bad "$reader: known text not extracted (above)"; fi
	if grep -qi "tounicode" "$err"; then
		bad "$reader warns about ToUnicode: $(grep -i tounicode "$err" | head -3)"
	else ok; fi
	# MuPDF built without lcms says so on every run: not about the PDF
	grep -viE "ICC support is not available" "$err" >"$err.rest"
	if grep -qiE "warn|error" "$err.rest"; then
		bad "$reader printed warnings: $(head -c 300 "$err.rest")"
	else ok; fi
}

# 0. poppler (pdftotext) and qpdf (the file's structure: no warnings)
if command -v pdftotext >/dev/null 2>&1; then
	if pdftotext "$pdf" "$T/poppler.txt" 2>"$T/poppler.err"; then
		check poppler "$T/poppler.txt" "$T/poppler.err"
	else
		bad "pdftotext failed: $(head -c 300 "$T/poppler.err")"
	fi
else
	bad "pdftotext is missing (Debian package poppler-utils)"
fi
if command -v qpdf >/dev/null 2>&1; then
	if qpdf --check "$pdf" >"$T/qpdf.out" 2>&1 &&
	    ! grep -qi "warning" "$T/qpdf.out"; then
		ok
	else
		bad "qpdf --check: $(grep -i -m 3 "warning\|error" "$T/qpdf.out")"
	fi
else
	bad "qpdf is missing (Debian package qpdf)"
fi

# 1. MuPDF
if command -v mutool >/dev/null 2>&1; then
	if mutool draw -q -F txt -o "$T/mupdf.txt" "$pdf" 2>"$T/mupdf.err"; then
		check MuPDF "$T/mupdf.txt" "$T/mupdf.err"
	else
		bad "mutool draw failed: $(head -c 300 "$T/mupdf.err")"
	fi
else
	bad "mutool is missing (Debian package mupdf-tools)"
fi

# 2. pdf.js (Firefox's reader), from npm into tests/tmp
NM=tests/tmp/node_modules/pdfjs-dist
if [ ! -f "$NM/legacy/build/pdf.js" ] && command -v npm >/dev/null 2>&1; then
	timeout 300 npm install --prefix tests/tmp --no-save --no-audit --no-fund \
	    pdfjs-dist@3.11.174 >"$T/npm.log" 2>&1 ||
	    echo "extract: npm install pdfjs-dist@3.11.174 failed: $(tail -n 3 "$T/npm.log")"
fi
if [ -f "$NM/legacy/build/pdf.js" ] && command -v node >/dev/null 2>&1; then
	cat >"$T/pdfjs.js" <<'JS'
// node pdfjs.js NM PDF: the text of every page, one line per text line.
const pdfjs = require(process.argv[2] + "/legacy/build/pdf.js");
const fs = require("fs");
(async () => {
  const data = new Uint8Array(fs.readFileSync(process.argv[3]));
  const doc = await pdfjs.getDocument({ data, verbosity: pdfjs.VerbosityLevel.WARNINGS,
    useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  let out = "";
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const tc = await page.getTextContent();
    for (const it of tc.items) out += it.str + (it.hasEOL ? "\n" : "");
    out += "\n\f";
  }
  process.stdout.write(out);
})().catch((e) => { console.error("error: " + e); process.exit(1); });
JS
	if node "$T/pdfjs.js" "$(pwd)/$NM" "$pdf" >"$T/pdfjs.txt" 2>"$T/pdfjs.err"; then
		check pdf.js "$T/pdfjs.txt" "$T/pdfjs.err"
	else
		bad "pdf.js failed: $(head -c 300 "$T/pdfjs.err")"
	fi
else
	missing "pdf.js (npm pdfjs-dist@3.11.174)" "node, npm or the npm registry" || bad "pdf.js did not run"
fi

# 3. Apache PDFBox, if Debian's libpdfbox2-java is installed
if CP=$(pdfbox_cp); then
	if java -cp "$CP" org.apache.pdfbox.tools.ExtractText -encoding UTF-8 \
	    "$pdf" "$T/pdfbox.txt" >"$T/pdfbox.out" 2>"$T/pdfbox.err"; then
		check PDFBox "$T/pdfbox.txt" "$T/pdfbox.err"
	else
		bad "PDFBox ExtractText failed: $(head -c 200 "$T/pdfbox.err")"
	fi
else
	missing "PDFBox" "Debian libpdfbox2-java and a Java runtime" || bad "PDFBox did not run"
fi

echo "extract: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
