#!/bin/sh
# Every figure checkable (issue 14): the figures sheet (--figures), the
# review copy (--review), --explain and the reviewer's warnings.
#
#  1. The sample with --figures and --review: the normal PDF is
#     byte-identical to one made without them; the sheet lists every
#     placeholder and its source cells are the ones tests/check_figures.py
#     finds in the CSV files itself.
#  2. The review copy in five readers (poppler, MuPDF, qpdf, pdf.js,
#     PDFBox): the normal text, then the appendix 数据来源核对表; one
#     highlight annotation per figure, each carrying its expression.
#  3. The HTML sheet in headless chromium: no console errors, one table
#     row per figure, a screenshot (tests/tmp/figures-shot.png).
#  4. --explain: value, printed text and sources; errors located in the
#     expression.
#  5. Warnings (sheet and -v): zero or blank base, skipped blanks, blank
#     lookup, a value printed as zero.
#
# usage: sh tests/figures-test.sh ./zongjie   (from the repository root)
set -u
. "$(dirname "$0")/lib.sh"
# the messages and --explain's labels checked below are the English ones
LANGUAGE= LC_ALL=C.UTF-8
export LANGUAGE LC_ALL
ZJ=${1:-./zongjie}
T=$(pwd)/tests/tmp/figures.$$
mkdir -p "$T" "$T/r"   # -o creates no directory outside the configuration's
trap 'rm -rf "$T"' EXIT HUP INT TERM
pass=0 fail=0
ws() { tr -d ' \t\r\n\f' <"$1"; }   # a text without white space

# ---- 1. the sample, with and without the extra outputs
"$ZJ" -c config/report.ini -o "$T/plain.pdf" 2>"$T/plain.err"
check "sample renders ($(head -c 300 "$T/plain.err"))" [ -s "$T/plain.pdf" ]
"$ZJ" -c config/report.ini -o "$T/r/sample.pdf" --figures "$T/figs.csv" \
    --review >"$T/out" 2>"$T/err"
rc=$?
check "--figures --review exits 0 (got $rc: $(head -c 300 "$T/err"))" [ "$rc" -eq 0 ]
check "--figures --review prints nothing" [ ! -s "$T/out" ] 
check "--figures --review prints nothing on stderr" [ ! -s "$T/err" ]
check "the normal PDF is byte-identical with --review" cmp -s "$T/plain.pdf" "$T/r/sample.pdf"
check "the review copy is NAME-review.pdf beside the PDF" [ -s "$T/r/sample-review.pdf" ]
check "the sheet is written" [ -s "$T/figs.csv" ]
pages=$(pdfinfo "$T/plain.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
check "pdfinfo reads the page count" [ -n "$pages" ]
if python3 tests/check_figures.py config/report.ini 2021-12 "$T/figs.csv" \
    "${pages:-0}" >"$T/check.out" 2>&1; then ok; else
	bad "figures sheet vs the CSVs:"; cat "$T/check.out" >&2
fi
nfig=$(python3 -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))) - 1)' "$T/figs.csv")
check "the sheet has figures ($nfig)" [ "${nfig:-0}" -gt 100 ]

"$ZJ" -c config/report.ini -o "$T/x.pdf" --review="$T/copy.pdf" 2>"$T/err"
check "--review=FILE writes FILE ($(head -c 200 "$T/err"))" [ -s "$T/copy.pdf" ]
check "--review=FILE writes nothing beside the PDF" [ ! -e "$T/x-review.pdf" ]
check "--review=FILE: the same copy" cmp -s "$T/copy.pdf" "$T/r/sample-review.pdf"
"$ZJ" -c config/report.ini -o "$T/y.pdf" --review="$T/y.pdf" 2>"$T/err"
rc=$?
check "--review onto the PDF itself is a usage error (got $rc)" [ "$rc" -eq 2 ]
check "… and writes no PDF" [ ! -e "$T/y.pdf" ]
"$ZJ" -c config/report.ini -o "$T/z.pdf" --figures "$T/z.txt" 2>"$T/err"
rc=$?
check "--figures FILE.txt is a usage error (got $rc)" [ "$rc" -eq 2 ]
check "… naming the file" grep -q "z.txt" "$T/err"
check "… and writes no PDF" [ ! -e "$T/z.pdf" ]
"$ZJ" -c config/report.ini --check --figures "$T/c.csv" >/dev/null 2>"$T/err"
rc=$?
check "--figures with --check is a usage error (got $rc)" [ "$rc" -eq 2 ]

# ---- 2. the review copy in five readers
R=$T/r/sample-review.pdf
check "qpdf --check on the review copy" sh -c "qpdf --check '$R' >/dev/null 2>&1"
# compare READER NORMAL.txt REVIEW.txt: the review's text is the normal
# text followed by the appendix
compare() {
	ws "$2" >"$T/n.ws"; ws "$3" >"$T/r.ws"
	if python3 - "$T/n.ws" "$T/r.ws" <<'PY'
import sys
n = open(sys.argv[1], encoding="utf-8", errors="replace").read()
r = open(sys.argv[2], encoding="utf-8", errors="replace").read()
if not n:
    sys.exit("no text extracted")
if not r.startswith(n):
    i = next((k for k in range(len(n)) if k >= len(r) or n[k] != r[k]), 0)
    sys.exit("differs at character %d: %r / %r" % (i, n[i:i+40], r[i:i+40]))
rest = r[len(n):]
for want in ("数据来源核对表", "编号页码表达式输出文本来源单元格"):
    if want not in rest:
        sys.exit("the appendix has no %r" % want)
PY
	then ok; else bad "$1: the review copy's text is not the normal text + appendix"; fi
}
pdftotext "$T/plain.pdf" "$T/pop-n.txt" 2>"$T/pop.err"
pdftotext "$R" "$T/pop-r.txt" 2>>"$T/pop.err"
check "pdftotext prints no warnings ($(head -c 200 "$T/pop.err"))" [ ! -s "$T/pop.err" ]
compare poppler "$T/pop-n.txt" "$T/pop-r.txt"
if command -v mutool >/dev/null 2>&1; then
	mutool draw -q -F txt -o "$T/mu-n.txt" "$T/plain.pdf" 2>/dev/null
	mutool draw -q -F txt -o "$T/mu-r.txt" "$R" 2>"$T/mu.err"
	compare MuPDF "$T/mu-n.txt" "$T/mu-r.txt"
	grep -v "ICC support is not available" "$T/mu.err" >"$T/mu.rest"
	check "MuPDF prints no warnings ($(head -c 200 "$T/mu.rest"))" [ ! -s "$T/mu.rest" ]
else
	missing mutool "Debian mupdf-tools" || bad "MuPDF did not run"
fi
NM=tests/tmp/node_modules/pdfjs-dist
if [ ! -f "$NM/legacy/build/pdf.js" ] && command -v npm >/dev/null 2>&1; then
	timeout 300 npm install --prefix tests/tmp --no-save --no-audit --no-fund \
	    pdfjs-dist@3.11.174 >"$T/npm.log" 2>&1 ||
	    echo "figures: npm install pdfjs-dist failed: $(tail -n 3 "$T/npm.log")"
fi
if [ -f "$NM/legacy/build/pdf.js" ] && command -v node >/dev/null 2>&1; then
	cat >"$T/pdfjs.js" <<'JS'
// node pdfjs.js NM PDF ANNOTS: the text of every page to stdout; each
// annotation "page<TAB>subtype<TAB>contents<TAB>x0 y0 x1 y1" (one line)
// to ANNOTS.
const pdfjs = require(process.argv[2] + "/legacy/build/pdf.js");
const fs = require("fs");
(async () => {
  const data = new Uint8Array(fs.readFileSync(process.argv[3]));
  const doc = await pdfjs.getDocument({ data, verbosity: pdfjs.VerbosityLevel.WARNINGS,
    useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  let out = "", ann = "";
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const tc = await page.getTextContent();
    for (const it of tc.items) out += it.str + (it.hasEOL ? "\n" : "");
    out += "\n\f";
    for (const a of await page.getAnnotations())
      ann += i + "\t" + a.subtype + "\t" + (a.contentsObj ? a.contentsObj.str : "").replace(/\n/g, "\\n") + "\t" + a.rect.join(" ") + "\n";
  }
  process.stdout.write(out);
  fs.writeFileSync(process.argv[4], ann);
})().catch((e) => { console.error("error: " + e); process.exit(1); });
JS
	node "$T/pdfjs.js" "$(pwd)/$NM" "$T/plain.pdf" "$T/js-n.ann" >"$T/js-n.txt" 2>/dev/null
	if node "$T/pdfjs.js" "$(pwd)/$NM" "$R" "$T/js-r.ann" >"$T/js-r.txt" 2>"$T/js.err"; then
		compare pdf.js "$T/js-n.txt" "$T/js-r.txt"
		check "pdf.js prints no warnings ($(head -c 200 "$T/js.err"))" [ ! -s "$T/js.err" ]
		check "pdf.js: the normal PDF has no annotations" [ ! -s "$T/js-n.ann" ]
		n=$(grep -c "	Highlight	" "$T/js-r.ann")
		check "pdf.js: one highlight per figure ($n of $nfig)" [ "$n" -eq "$nfig" ]
		# numbered as a reader meets them: page by page, and on a
		# page top to bottom (a chart that floated past the text
		# after it is numbered after that text; slack: the cells of
		# one table row are centred, so a row's cells may start up to
		# a line apart)
		if python3 - "$T/js-r.ann" >"$T/order.out" 2>&1 <<'PY'
import re, sys
seen = []
for line in open(sys.argv[1], encoding="utf-8"):
    page, sub, text, rect = line.rstrip("\n").split("\t")
    m = re.match(r"\ufeff?【(\d+)】", text)
    if sub == "Highlight" and m:
        seen.append((int(m.group(1)), int(page), float(rect.split()[3])))
seen.sort()
bad = [(a, b) for a, b in zip(seen, seen[1:])
       if b[1] < a[1] or (b[1] == a[1] and b[2] > a[2] + 16)]
if not seen or bad:
    sys.exit("figures out of reading order (number, page, top): %r" % bad[:4])
PY
		then ok; else bad "pdf.js: $(head -c 300 "$T/order.out")"; fi
	else
		bad "pdf.js failed: $(head -c 300 "$T/js.err")"
	fi
else
	missing "pdf.js (npm pdfjs-dist@3.11.174)" "node, npm or the npm registry" || bad "pdf.js did not run"
fi
if CP=$(pdfbox_cp); then
	java -cp "$CP" org.apache.pdfbox.tools.ExtractText -encoding UTF-8 \
	    "$T/plain.pdf" "$T/pb-n.txt" >/dev/null 2>&1
	if java -cp "$CP" org.apache.pdfbox.tools.ExtractText -encoding UTF-8 \
	    "$R" "$T/pb-r.txt" >/dev/null 2>"$T/pb.err"; then
		compare PDFBox "$T/pb-n.txt" "$T/pb-r.txt"
	else
		bad "PDFBox failed: $(head -c 300 "$T/pb.err")"
	fi
else
	missing PDFBox "Debian libpdfbox2-java and a Java runtime" || bad "PDFBox did not run"
fi
# The annotations as written (qpdf, uncompressed): one per figure, in the
# sheet's order, each holding its number and expression.
qpdf --qdf --object-streams=disable "$R" "$T/qdf.pdf" 2>/dev/null
if python3 - "$T/qdf.pdf" "$T/figs.csv" <<'PY'
import csv, re, sys
pdf = open(sys.argv[1], "rb").read()
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))[1:]
notes = []
for obj in re.findall(rb"<<(?:(?!endobj).)*?/Subtype /Highlight(?:(?!endobj).)*", pdf, re.S):
    m = re.search(rb"/Contents <([0-9A-Fa-f]+)>", obj)
    notes.append(bytes.fromhex(m.group(1).decode()).decode("utf-16") if m else "")
if len(notes) != len(rows):
    sys.exit("%d highlight annotations for %d figures" % (len(notes), len(rows)))
got = {int(re.match(r"\ufeff?【(\d+)】", n).group(1)): n for n in notes
       if re.match(r"\ufeff?【(\d+)】", n)}
for r in rows:
    n = got.get(int(r[0]), "")
    if "{%s}" % r[4] not in n or "输出：%s" % r[5] not in n:
        sys.exit("figure %s: note %r lacks {%s} or its text" % (r[0], n[:120], r[4]))
    if r[6] and "原值：%s" % r[6] not in n:
        sys.exit("figure %s: note lacks the value %s" % (r[0], r[6]))
    if r[7] and r[7] not in n:
        sys.exit("figure %s: note lacks the sources" % r[0])
    if r[3] and "定义：%s" % r[3] not in n:
        sys.exit("figure %s: note lacks where it is defined, %s" % (r[0], r[3]))
    if "模板：%s" % r[2] not in n:
        sys.exit("figure %s: note lacks where it appears, %s" % (r[0], r[2]))
PY
then ok; else bad "the review copy's annotations (above)"; fi

# ---- 3. the HTML sheet in headless chromium
"$ZJ" -c config/report.ini -o "$T/h.pdf" --figures "$T/figs.html" 2>"$T/err"
check "--figures FILE.html ($(head -c 200 "$T/err"))" [ -s "$T/figs.html" ]
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROME" ]; then
	url="file://$T/figs.html"
	copts="--headless=new --no-sandbox --disable-gpu --no-first-run --user-data-dir=$T/chrome --enable-logging=stderr --v=0"
	# shellcheck disable=SC2086
	timeout 120 "$CHROME" $copts --dump-dom "$url" >"$T/dom.html" 2>"$T/chrome.err"
	check "chromium loads the sheet" grep -q "</table>" "$T/dom.html"
	if grep -q "CONSOLE" "$T/chrome.err"; then
		bad "chromium console: $(grep CONSOLE "$T/chrome.err" | head -3)"
	else ok; fi
	rows=$(grep -o '<tr id="f[0-9]*"' "$T/dom.html" | wc -l)
	check "one table row per figure ($rows of $nfig)" [ "$rows" -eq "$nfig" ]
	check "the page's script ran over every row" grep -q "data-ready=\"$nfig\"" "$T/dom.html"
	# a search preset in the URL leaves only the matching rows
	timeout 120 "$CHROME" $copts --dump-dom "$url#q=kpi.csv:2:9" >"$T/dom-q.html" 2>/dev/null
	shown=$(grep -o '<tr id="f[0-9]*" data-n="[0-9]*"[^>]*>' "$T/dom-q.html" | grep -vc hidden)
	want=$(grep -c "kpi.csv:2:9" "$T/figs.csv")
	check "searching kpi.csv:2:9 shows its $want figures ($shown)" [ "$shown" -eq "$want" ]
	timeout 120 "$CHROME" $copts --hide-scrollbars --window-size=1600,1000 \
	    --screenshot="$(pwd)/tests/tmp/figures-shot.png" "$url" >/dev/null 2>&1
	check "a screenshot is taken (tests/tmp/figures-shot.png)" [ -s tests/tmp/figures-shot.png ]
else
	missing chromium "Debian chromium" || bad "the HTML check did not run"
fi

# ---- 4. --explain
e5=$(python3 -c 'import csv, sys; r = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))[1:]
f = [x for x in r if x[4].startswith("growth(kpi[")][0]
print("\t".join([f[4], f[5], f[6], f[7]]))' "$T/figs.csv")
expr=$(printf '%s' "$e5" | cut -f1)
"$ZJ" -c config/report.ini --explain "$expr" >"$T/ex.out" 2>"$T/ex.err"
rc=$?
check "--explain exits 0 (got $rc: $(head -c 200 "$T/ex.err"))" [ "$rc" -eq 0 ]
check "--explain prints nothing on stderr" [ ! -s "$T/ex.err" ]
if python3 - "$T/ex.out" "$e5" <<'PY'
import sys
out = open(sys.argv[1], encoding="utf-8").read().split("\n")
expr, printed, value, sources = sys.argv[2].split("\t")
fields, last = {}, None
for line in out:
    if line[:1].strip():
        last = line.split(" ", 1)[0]
        fields[last] = [line[len(last):].strip()]
    elif line.strip() and last:
        fields[last].append(line.strip())
want = {"expression": [expr], "printed": [printed], "value": [value],
        "sources": sources.split("; ")}
for k, v in want.items():
    if fields.get(k) != v:
        sys.exit("--explain %s: %r, the sheet: %r" % (k, fields.get(k), v))
PY
then ok; else bad "--explain differs from the sheet's figure (above)"; fi
check "--explain writes no PDF" sh -c "[ ! -e out/zongjie-2021-12.pdf ] || [ out/zongjie-2021-12.pdf -ot '$T/plain.pdf' ]"
bad_expr='growth(kpi[园区产值].本期, '
"$ZJ" -c config/report.ini --explain "$bad_expr" >"$T/ex.out" 2>"$T/ex.err"
rc=$?
check "a bad expression exits 4 (got $rc)" [ "$rc" -eq 4 ]
col=$(python3 -c 'import sys; print(len(sys.argv[1].rstrip()) + 1)' "$bad_expr")
check "the error is located in the expression (column $col): $(head -c 200 "$T/ex.err")" \
    grep -q "^zongjie: --explain:1:$col: error: " "$T/ex.err"
check "a bad expression prints nothing on stdout" [ ! -s "$T/ex.out" ]
"$ZJ" -c config/report.ini --explain 'kpi[没有这一行].本期' >/dev/null 2>"$T/ex.err"
rc=$?
check "an unknown key exits 4 (got $rc)" [ "$rc" -eq 4 ]
check "… naming the key" grep -q "没有这一行" "$T/ex.err"
"$ZJ" -c config/report.ini --explain 'year' -o "$T/e.pdf" >/dev/null 2>&1
rc=$?
check "--explain with -o is a usage error (got $rc)" [ "$rc" -eq 2 ]

# ---- 5. the reviewer's warnings
W=$T/w
mkdir -p "$W"
{
	printf '[report]\ntitle = 核对\ntemplate = %s/report.md\n' "$W"
	printf 'output = %s/w.pdf\nperiod = 2021-12\nmissing = —\n' "$W"
	sed -n '/^\[fonts\]/,/^$/p' config/report.ini
	printf '[data.k]\nfile = %s/k.csv\nkey = 指标\n' "$W"
} >"$W/report.ini"
printf '指标,本期,上年同期\n甲,10,0\n乙,,5\n丙,0.001,2\n丁,3,\n' >"$W/k.csv"
printf '增长{growth(k[甲].本期, k[甲].上年同期)}，空白{k[乙].本期}，合计{sum(k.本期)}，微小{k[丙].本期 | .1}，占比{share(k[丁].本期, k[丁].上年同期)}。\n' >"$W/report.md"
"$ZJ" -c "$W/report.ini" --figures "$W/w.csv" >"$T/w.out" 2>"$T/w.err"
rc=$?
check "the warnings case renders (got $rc: $(head -c 300 "$T/w.err"))" [ "$rc" -eq 0 ]
check "without -v no figure warnings" sh -c "! grep -q 'figure [0-9]' '$T/w.err'"
"$ZJ" -v -c "$W/report.ini" --figures "$W/w.csv" >"$T/w.out" 2>"$T/w.err"
for want in "1:3: warning: figure 1 {growth(k[甲].本期, k[甲].上年同期)}: the base is zero or blank" \
    "warning: figure 2 {k[乙].本期}: the cell is blank; printed as \"—\"" \
    "warning: figure 3 {sum(k.本期)}: skipped 1 blank cell(s): $W/k.csv:3:3 本期 [乙]" \
    "warning: figure 4 {k[丙].本期 | .1}: 0.001 prints as \"0.0\"" \
    "warning: figure 5 {share(k[丁].本期, k[丁].上年同期)}: the base is zero or blank"; do
	check "-v: $want" grep -qF "$want" "$T/w.err"
done
if python3 - "$W/w.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))[1:]
want = {1: "基数为零或空白", 2: "所取单元格为空", 3: "跳过1个空白单元格",
        4: "非零值舍入后为零", 5: "基数为零或空白"}
for n, w in want.items():
    if w not in rows[n - 1][10]:
        sys.exit("figure %d: warnings %r, want %r" % (n, rows[n - 1][10], w))
if rows[2][9] == "":
    sys.exit("figure 3: no skipped cells listed")
PY
then ok; else bad "warnings in the sheet (above)"; fi

# ---- 6. 定义位置 of 小计 and 合计 cells: "[table.NAME] colN, group" for a
# 小计 (README, 数据审核), ", total" for the 合计; a table with groups and no
# 合计 ends with a 小计 (still ", group"); an expression column's cells and
# the 序号 column do not shift or get the suffix.  Then a group column that
# is not in the CSV: a located configuration error.
G=$T/g
mkdir -p "$G"
{
	printf '[report]\ntitle = 分组\ntemplate = report.md\n'
	printf 'output = g.pdf\nperiod = 2021-12\nmissing = —\n'
	sed -n '/^\[fonts\]/,/^$/p' config/report.ini | sed "s|^dir = ../|dir = $(pwd)/|"
	printf '[data.p]\nfile = p.csv\nkey = 项目名称\n\n'
	for t in g h; do
		printf '[table.%s]\nsource = p\ntitle = 表%s\nnumber = yes\n' $t $t
		printf 'group = 类别\n'
		[ $t = g ] && printf 'total = yes\n'
		printf 'col1 = 项目名称\ncol2 = 类别\ncol3 = 投资额 | 投资额 | .2\n'
		printf 'col4 = 比例 | {share(到位资金, 投资额)} | .1\n'
		printf 'col5 = 到位资金 | 到位资金 | .2\n\n'
	done
} >"$G/report.ini"
printf '项目名称,类别,投资额,到位资金\n甲,新材料,12.50,3.25\n乙,电子信息,8.00,1.10\n丙,新材料,4.75,0.50\n丁,新能源,20.00,6.00\n戊,电子信息,1.25,0.75\n' >"$G/p.csv"
printf '@table g\n\n@table h\n' >"$G/report.md"
"$ZJ" -c "$G/report.ini" --figures "$G/g.csv" --review >"$T/g.out" 2>"$T/g.err"
rc=$?
check "the grouped tables render (got $rc: $(head -c 300 "$T/g.err"))" [ "$rc" -eq 0 ]
check "the grouped tables' sheet is written" [ -s "$G/g.csv" ]
if python3 - "$G/g.csv" "$G/p.csv" "$G/report.ini" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))[1:]
data = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
DEFINED, VALUE, CONTEXT = 3, 6, 11
ini = sys.argv[3]
cols = {"投资额": "col3", "比例": "col4", "到位资金": "col5"}
want = {}
for t in "gh":
    for proj in data:      # the expression column: one per data row
        want["表%s：%s · 比例" % (t, proj["项目名称"])] = (
            "%s [table.%s] col4" % (ini, t), None)
    for grp in ("新材料", "电子信息", "新能源"):
        for c in ("投资额", "到位资金"):
            want["表%s：%s小计 · %s" % (t, grp, c)] = (
                "%s [table.%s] %s, group" % (ini, t, cols[c]),
                sum(float(d[c]) for d in data if d["类别"] == grp))
for c in ("投资额", "到位资金"):
    want["表g：合计 · %s" % c] = ("%s [table.g] %s, total" % (ini, cols[c]),
                                sum(float(d[c]) for d in data))
got = {r[CONTEXT]: r for r in rows}
if sorted(got) != sorted(want):
    sys.exit("figures %r, want %r" % (sorted(got), sorted(want)))
for ctx, (defined, value) in want.items():
    r = got[ctx]
    if r[DEFINED] != defined:
        sys.exit("%s: 定义位置 %r, want %r" % (ctx, r[DEFINED], defined))
    if value is not None and abs(float(r[VALUE]) - value) > 1e-9:
        sys.exit("%s: 原值 %r, the group's cells sum to %r" % (ctx, r[VALUE], value))
# table h has no 合计: its last row is the last group's 小计
last = [r for r in rows if r[CONTEXT].startswith("表h：")][-1]
if not last[DEFINED].endswith(", group"):
    sys.exit("table h's last 小计: 定义位置 %r" % last[DEFINED])
PY
then ok; else bad "定义位置 of 小计/合计 cells (above)"; fi
# the review copy's note of each 小计 says where it is defined, ", group"
qpdf --qdf --object-streams=disable "$G/g-review.pdf" "$T/gq.pdf" 2>/dev/null
if python3 - "$T/gq.pdf" "$G/g.csv" <<'PY'
import csv, re, sys
pdf = open(sys.argv[1], "rb").read()
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))[1:]
notes = [bytes.fromhex(m.decode()).decode("utf-16") for m in re.findall(
    rb"/Subtype /Highlight(?:(?!endobj).)*?/Contents <([0-9A-Fa-f]+)>", pdf, re.S)]
notes += [bytes.fromhex(m.decode()).decode("utf-16") for m in re.findall(
    rb"/Contents <([0-9A-Fa-f]+)>(?:(?!endobj).)*?/Subtype /Highlight", pdf, re.S)]
groups = [r for r in rows if r[3].endswith(", group")]
for r in groups:
    if not any(n.startswith("\ufeff【%s】" % r[0]) or n.startswith("【%s】" % r[0])
               for n in notes if "定义：%s" % r[3] in n):
        sys.exit("figure %s: no note with 定义：%s (%d notes)" % (r[0], r[3], len(notes)))
if len(groups) != 12:
    sys.exit("%d 小计 figures, want 12" % len(groups))
PY
then ok; else bad "the review copy's notes of 小计 cells (above)"; fi
sed 's/^group = 类别$/group = 类型/' "$G/report.ini" >"$G/bad.ini"
rm -f "$G/g.pdf" "$G/g.csv"
"$ZJ" -c "$G/bad.ini" --figures "$G/g.csv" >"$T/g.out" 2>"$T/g.err"
rc=$?
check "group = a column not in the CSV exits 2 (got $rc)" [ "$rc" -eq 2 ]
check "… located at the key: $(head -c 300 "$T/g.err")" grep -qF \
    "zongjie: $G/bad.ini: [table.g] group: error: column \"类型\" is not in $G/p.csv" "$T/g.err"
check "… and writes no PDF" [ ! -e "$G/g.pdf" ]
check "… and no sheet" [ ! -e "$G/g.csv" ]

# ---- 7. A 小计 or 合计 that passes over a blank cell lists it as skipped
# and warns (跳过N个空白单元格), as an aggregate in the text does (README,
# "Warnings for the reviewer").  乙's 到位资金 is blank: the 电子信息 小计 and
# the 合计 of that column skip it; the other sums skip nothing.
printf '项目名称,类别,投资额,到位资金\n甲,新材料,12.50,3.25\n乙,电子信息,8.00,\n丙,新材料,4.75,0.50\n丁,新能源,20.00,6.00\n戊,电子信息,1.25,0.75\n' >"$G/p.csv"
rm -f "$G/g.csv"
"$ZJ" -v -c "$G/report.ini" --figures "$G/g.csv" >"$T/g.out" 2>"$T/g.err"
rc=$?
check "a table with a blank numeric cell renders (got $rc: $(head -c 300 "$T/g.err"))" [ "$rc" -eq 0 ]
check "-v warns of each sum that skipped it: $(grep 'skipped 1 blank' "$T/g.err" | head -n 1)" \
    [ "$(grep -cF "skipped 1 blank cell(s): $G/p.csv:3:13 到位资金 [乙]" "$T/g.err")" -eq 3 ]
if python3 - "$G/g.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))[1:]
SKIPPED, WARN, CONTEXT = 9, 10, 11
skipping = {"表g：电子信息小计 · 到位资金", "表g：合计 · 到位资金",
            "表h：电子信息小计 · 到位资金"}
seen = set()
for r in rows:
    ctx = r[CONTEXT]
    if ctx in skipping:
        seen.add(ctx)
        if "到位资金 [乙]" not in r[SKIPPED] or "跳过1个空白单元格" not in r[WARN]:
            sys.exit("%s: skipped %r, warnings %r" % (ctx, r[SKIPPED], r[WARN]))
    elif "小计" in ctx or "合计" in ctx:
        if r[SKIPPED] or "空白" in r[WARN]:
            sys.exit("%s skips nothing, but: %r %r" % (ctx, r[SKIPPED], r[WARN]))
if seen != skipping:
    sys.exit("sums over the blank cell: %r, want %r" % (sorted(seen), sorted(skipping)))
PY
then ok; else bad "小计/合计 over a blank cell (above)"; fi

echo "figures: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
