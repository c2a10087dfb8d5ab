#!/bin/sh
# Hostile inputs and conditions (issue 12): broken and hostile CSV, INI,
# template and font files, outputs that must not be written, signals at
# random points of a large run, a full disk (a small tmpfs), ulimit -f and
# -v, FIFOs and devices, concurrent runs.  Every case checks
#   - the exit code documented in README "Refusals and limits";
#   - a message naming the place (FILE:LINE:COL, FILE:LINE or the path);
#   - the previous PDF byte-identical after a failure;
#   - no temporary file left: .NAME.XXXXXX beside the PDF, zongjie-font-*
#     in TMPDIR, nor any new file in the case's directory;
#   - no sanitizer report (the suite runs again under ASan: make asan).
# Cases run in a fresh copy of a small fixture (tests/tmp/hostile.PID).
#
# usage: tests/hostile.sh [ZONGJIE]     (from the repository root)
#   HOSTILE_SEED=N   seed of the random kill points (printed on each run)
#   ZJ_ASAN=1        the binary is the ASan build: the address-space cases
#                    (ulimit -v, prlimit --as) cannot run under ASan, whose
#                    shadow memory needs terabytes of address space; they
#                    say so and are left to the plain run.
set -u
. tests/lib.sh
ZJ=${1:-./zongjie}
case $ZJ in /*) ;; *) ZJ=$PWD/$ZJ ;; esac
T=$PWD/tests/tmp/hostile.$$
OUT=$T/out              # the output directory
PDF=$OUT/r.pdf          # the output of every case
GOOD=$T/good.pdf        # the previous, good PDF
BASE=$T/base            # the fixture
C=$T/case               # the case's working copy
TMPDIR=$T/tmpdir        # zongjie's temporary fonts go here
export TMPDIR
ASAN=${ZJ_ASAN:-}
pass=0 fail=0 ncases=0
MNT=""

cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir -p "$OUT" "$BASE" "$TMPDIR"

bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# --- the fixture -----------------------------------------------------------
cat >"$BASE/r.ini" <<'INI'
[report]
title = 测试报告
template = r.md
period = 2021-12

[fonts]
title = AR PL UMing CN
body = AR PL UMing CN
heading = WenQuanYi Zen Hei
subheading = AR PL UKai CN
latin = Liberation Serif
pagenum = AR PL UMing CN

[table.t]
source = k
title = 主要指标表
col1 = 指标
col2 = 本期 | 本期 | .2

[data.k]
file = k.csv
key = 指标
INI
printf '指标,本期\n产值,286.4\n税金,9.86\n投资,45.2\n' >"$BASE/k.csv"
cat >"$BASE/r.md" <<'MD'
# 主要指标

全年产值{k[产值].本期}亿元，税金{k[税金].本期}亿元，投资{k[投资].本期 | .1}亿元，合计{sum(k.本期) | .1}亿元。

@table t
MD

fresh() { # a clean copy of the fixture in $C, the good PDF in place
	rm -rf "$C"
	cp -r "$BASE" "$C"
	cp "$GOOD" "$PDF"
	rm -f "$T/mark"
	sleep 0.01 2>/dev/null || true
	: >"$T/mark"
}

# leftovers: prints the temporary files a run left behind, if any.
leftovers() {
	ls -A "$OUT" | grep -E '^\..*\.[A-Za-z0-9]{6}$'
	ls -A "$TMPDIR" | grep -E '^zongjie-font-'
	find "$C" -newer "$T/mark" -type f 2>/dev/null
}

# checkrun NAME CODE REGEX: checks the run that left its exit code in $rc
# and its messages in $T/err.  CODE may be a list "0|8".
checkrun() {
	name=$1 code=$2 re=$3 ok=1
	ncases=$((ncases + 1))
	case "|$code|" in
	*"|$rc|"*) ;;
	*) bad "$name: exit $rc, expected $code: $(head -c 300 "$T/err")"; ok=0 ;;
	esac
	if [ -n "$re" ] && ! grep -Eq -- "$re" "$T/err"; then
		bad "$name: no message matching /$re/ in: $(head -c 300 "$T/err")"
		ok=0
	fi
	if [ "$rc" -ne 0 ] && [ -e "$GOOD" ] && ! cmp -s "$GOOD" "$PDF"; then
		bad "$name: the previous PDF changed"
		ok=0
	fi
	lo=$(leftovers)
	if [ -n "$lo" ]; then
		bad "$name: left behind: $lo"
		ok=0
	fi
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/err"; then
		bad "$name: sanitizer report: $(grep -E -m1 'Sanitizer|runtime error' "$T/err")"
		ok=0
	fi
	[ "$ok" -eq 1 ] && pass=$((pass + 1))
}

# expect NAME CODE REGEX [ARGS...]: zongjie ARGS (default -c r.ini -o
# $PDF) in a fresh copy of the fixture changed by the function setup_NAME
# if the caller defined $SETUP (a command run in $C first).
expect() {
	name=$1 code=$2 re=$3
	shift 3
	fresh
	if [ -n "${SETUP:-}" ]; then
		(cd "$C" && eval "$SETUP") || bad "$name: setup failed"
		: >"$T/mark"
	fi
	[ $# -eq 0 ] && set -- -c r.ini -o "$PDF"
	(cd "$C" && exec timeout 120 "$ZJ" "$@") >"$T/out.txt" 2>"$T/err" </dev/null
	rc=$?
	checkrun "$name" "$code" "$re"
	SETUP=
}

# The good PDF every failing case must leave untouched.
fresh_base() { rm -rf "$C"; cp -r "$BASE" "$C"; }
fresh_base
if ! (cd "$C" && "$ZJ" -q -c r.ini -o "$GOOD") 2>"$T/err"; then
	echo "FAIL: the fixture does not render: $(cat "$T/err")" >&2
	exit 1
fi

SEED=${HOSTILE_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "hostile: seed $SEED (HOSTILE_SEED=$SEED to repeat)"

# --- CSV (exit 3) ------------------------------------------------------------
SETUP="printf '指标,本期\n产值,286.4\n税金,9.86\n投资,\377\n' >k.csv"
expect csv-utf8-damaged 3 'k\.csv:4:4: error: invalid UTF-8 byte sequence "\\xFF" \(encoding = auto'
SETUP="printf '指标,本期\n产值,1\n' | iconv -t GB18030 >k.csv; printf '\201\040,2\n' >>k.csv"
expect csv-gb18030-damaged 3 'k\.csv:3:1: error: invalid GB18030 byte sequence "\\x81\\x20.*encoding = auto: the file is not UTF-8, its first non-UTF-8 byte is at 1:2'
SETUP="printf 'encoding = UTF-8\n' >>r.ini; printf '指标,本期\n产值,1\n税金,\303(\n' >k.csv"
expect csv-explicit-utf8 3 'k\.csv:3:4: error: invalid UTF-8'
SETUP="printf '指标,本期\n产值,2\000\n' >k.csv"
expect csv-nul 3 'k\.csv:2:5: error: NUL byte'
SETUP="printf 'a\000,\000b\000\n\000' >k.csv"
expect csv-utf16-no-bom 3 'k\.csv:1:2: error: NUL byte.*UTF-16'
SETUP="printf '指标,本期\n产值,\"286.4\n税金,9.86\n' >k.csv"
expect csv-unclosed-quote 3 'k\.csv:2:4: error: .*quote'
SETUP="printf '指标,本期\n产值,\"286\"4\n' >k.csv"
expect csv-after-quote 3 'k\.csv:2:9: error: text after the closing quote'
SETUP="printf '指标,本期\n产值,1,2\n' >k.csv"
expect csv-extra-field 3 'k\.csv:2:[0-9]+: error:'
SETUP=": >k.csv"
expect csv-empty 3 'k\.csv: error: no header row'
SETUP="head -c 3000 /dev/urandom | tr -d '\n' >k.csv"
expect csv-binary 3 'k\.csv:[0-9]+:[0-9]+: error:'
SETUP="python3 -c 'print(\"指标,本期\\n产值,\\x22\" + \"x\" * 70000 + \"\\x22\")' >k.csv"
expect csv-field-70k 3 'k\.csv:2:4: error: field is 70000 bytes long, more than the limit of 65536'
SETUP="rm k.csv; mkfifo k.csv"
expect csv-fifo 3 'k\.csv: error: is a FIFO \(named pipe\), not a regular file'
SETUP="rm k.csv; ln -s /dev/zero k.csv"
expect csv-dev-zero 3 'k\.csv: error: is a character device, not a regular file'
SETUP="rm k.csv; ln -s /dev/urandom k.csv"
expect csv-dev-urandom 3 'k\.csv: error: is a character device'
SETUP="rm k.csv; mkdir k.csv"
expect csv-directory 3 'k\.csv: error: is a directory'
SETUP="rm k.csv"
expect csv-missing 3 'k\.csv: error: cannot open'
SETUP="printf 'max_size_mb = 1\n' >>r.ini; truncate -s 2M k.csv"
expect csv-over-max-size 3 'k\.csv: error: is 2\.0 MiB; a CSV file may be at most 1\.0 MiB'
SETUP="printf '指标,本期\n产值,286.4\n税金,9.86\n产值,1\n投资,3\n' >k.csv"
expect csv-duplicate-key 4 'r\.md:3:5: error: 指标 = "产值" matches 2 rows of source k \((.*/)?k\.csv lines 2, 4\)'
SETUP="printf '指标,本期\n产值,12345678901234567890\n税金,9.86\n投资,3\n' >k.csv"
expect csv-beyond-2-53 3 'k\.csv:2:4: error: .*12345678901234567890 is beyond 2\^53 - 1'
SETUP="printf '指标,本期\n产值,9007199254740993\n税金,9.86\n投资,3\n' >k.csv"
expect csv-2-53-plus-1 3 'k\.csv:2:4: error: .*9007199254740993 is beyond 2\^53 - 1'
SETUP="printf '指标,本期\n产值,286.4\n税金,约9\n投资,3\n' >k.csv"
expect csv-not-a-number 3 'k\.csv:3:4: error: .*"约9" is not a number'
SETUP="printf 'type.本期 = number\n' >>r.ini; printf '指标,本期\n产值,1\n税金,x\n投资,3\n' >k.csv"
expect csv-typed-column 3 'k\.csv:3:4: error: column "本期" is declared a number'

# A 200 MB field fails at once, in little memory: a sparse file, so the
# test itself stays small.
fresh
(cd "$C" && printf '指标,本期\n产值,"' >k.csv && truncate -s 200M k.csv)
: >"$T/mark"
t0=$(date +%s%N)
if [ -n "$ASAN" ]; then
	(cd "$C" && exec timeout 120 "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
else
	(cd "$C" && exec timeout 120 prlimit --as=200000000 "$ZJ" -c r.ini \
	    -o "$PDF") 2>"$T/err"
fi
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
checkrun csv-field-200mb 3 'k\.csv:2:4: error: field is more than 262144 bytes long'
[ "$ms" -lt 5000 ] || bad "csv-field-200mb: took $ms ms (the limit is checked while reading)"

# A CSV that changes while it is read: a CSV over 1 MiB is copied
# (bigmem.c big_copy_file) after its size and mtime are taken, and taken
# again after the copy; any difference is "changed while being read"
# (exit 3).  To change it at exactly that moment the run goes under gdb
# with a breakpoint on copy_file_range, the copy's first call (both stats
# are taken by then), whose commands change the CSV and continue: no
# timing, so no flakiness.  Two changes: rows appended (the size differs,
# both sizes in the message) and one digit rewritten in place (same size,
# a new mtime).  The CSV lives outside the case's copy, in $T/chg, so that
# the change is not counted as a file the run left behind.
# changed_while_read NAME CHANGE REGEX: CHANGE is a shell command run at
# the breakpoint on $T/chg/k.csv; $T/chg/size holds its size before.
changed_while_read() {
	name=$1 change=$2 re=$3
	fresh
	rm -rf "$T/chg"
	mkdir -p "$T/chg"
	# 1.5 MB in 25 rows: a long 备注 (60,000 bytes) the table does not show
	python3 - "$T/chg/k.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("指标,本期,备注\n")
    for i, k in enumerate(["产值", "税金", "投资"] + ["项目%d" % i for i in range(22)]):
        f.write("%s,%d.5,%s\n" % (k, i + 1, "说明" * 10000))
PY
	wc -c <"$T/chg/k.csv" >"$T/chg/size"
	sed -i "s|^file = k.csv\$|file = $T/chg/k.csv|" "$C/r.ini"
	if ! (cd "$C" && exec timeout 120 "$ZJ" -q -c r.ini --check) \
	    >/dev/null 2>"$T/err"; then
		bad "$name: the unchanged CSV does not read: $(head -c 300 "$T/err")"
		return 1
	fi
	cat >"$T/gdb.cmd" <<GDB
set pagination off
set confirm off
set breakpoint pending on
break copy_file_range
commands
silent
shell $change; : >"$T/chg/hit"
continue
end
run -c r.ini -o "$PDF" 2>"$T/err" </dev/null
quit \$_exitcode
GDB
	: >"$T/mark"
	# LeakSanitizer cannot run under a debugger (both use ptrace)
	(cd "$C" && exec env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
	    timeout 120 gdb -q -nx -batch -x "$T/gdb.cmd" --args "$ZJ") >"$T/gdb.out" 2>&1
	rc=$?
	if [ ! -e "$T/chg/hit" ]; then
		bad "$name: the breakpoint on copy_file_range was never hit (exit $rc): $(head -c 300 "$T/gdb.out")"
		return 1
	fi
	checkrun "$name" 3 "$re"
}
if command -v gdb >/dev/null 2>&1; then
	if changed_while_read csv-changed-size \
	    "printf '追加,1,x\\n' >>'$T/chg/k.csv'" \
	    'k\.csv: error: changed while being read \([0-9]+ bytes, then [0-9]+\)'
	then
		s0=$(cat "$T/chg/size")
		s1=$(wc -c <"$T/chg/k.csv")
		[ "$s1" -gt "$s0" ] || bad "csv-changed-size: the CSV did not grow ($s0, $s1)"
		grep -qF "zongjie: $T/chg/k.csv: error: changed while being read ($s0 bytes, then $s1); run again once the program writing it has finished" "$T/err" ||
		    bad "csv-changed-size: not the message with both sizes ($s0, $s1): $(head -c 300 "$T/err")"
	fi
	if changed_while_read csv-changed-in-place \
	    "printf 9 | dd of='$T/chg/k.csv' bs=1 seek=28 conv=notrunc status=none" \
	    'k\.csv: error: changed while being read \(modified during the read\); run again once the program writing it has finished'
	then
		[ "$(wc -c <"$T/chg/k.csv")" -eq "$(cat "$T/chg/size")" ] ||
		    bad "csv-changed-in-place: the size changed"
	fi
else
	missing gdb "the changed-while-read cases stop zongjie at copy_file_range" ||
	    fail=$((fail + 1))
fi

# --- configuration (exit 2) --------------------------------------------------
SETUP="printf 'this is not ini\n' >>r.ini"
expect ini-syntax 2 'r\.ini:[0-9]+: error:'
SETUP="sed -i 's/^\[report\]$/[report] ; 报告/' r.ini"
expect ini-comment-after-header 2 'r\.ini:1: error:.*comment'
SETUP="sed -i 's/^title = 测试报告$/title = 经发局;综合科/' r.ini"
expect ini-value-cut-at-semicolon 2 'r\.ini:2: .*error: .*;'
SETUP="sed -i 's/^title = 测试报告$/title = 第#1号/' r.ini"
expect ini-value-cut-at-hash 2 'r\.ini:2: .*error: .*#'
SETUP="sed -i 's/^period = 2021-12$/period = 2021-12\nperiod = 2021-11/' r.ini"
expect ini-duplicate-key 2 'r\.ini:5: \[report\] period: error: duplicate key \(first at line 4\)'
SETUP="printf '[data.k]\nfile = k.csv\n' >>r.ini"
expect ini-duplicate-section 2 'r\.ini:[0-9]+: \[data\.k\]: error: the section appears again \(first at line [0-9]+\)'
SETUP="printf 'colour = red\n' >>r.ini"
expect ini-unknown-key 2 'r\.ini: \[data\.k\] colour: error: unknown key'
SETUP="sed -i 's/^period = 2021-12$/period = 2021-13/' r.ini"
expect ini-bad-period 2 'r\.ini: \[report\] period: error:|error: .*2021-13'
SETUP="printf 'title = 坏\001字\n' >x.ini; sed -i '/^title = 测试报告$/d; /^\[report\]$/r x.ini' r.ini; rm x.ini"
expect ini-control-char 2 'r\.ini:2:10: error: control character U\+0001'
SETUP="printf 'title = 测\377试\n' >x.ini; sed -i '/^title = 测试报告$/d; /^\[report\]$/r x.ini' r.ini; rm x.ini"
expect ini-invalid-utf8 2 'r\.ini:2:10: error: invalid UTF-8'
SETUP="printf 'x = \000\n' >>r.ini"
expect ini-nul 2 'r\.ini:[0-9]+:[0-9]+: error: control character U\+0000'
SETUP="truncate -s 2M big.ini"
expect ini-too-large 2 'big\.ini: error: is 2\.0 MiB' -c big.ini -o "$PDF"
SETUP="head -c 2000 /dev/urandom >bin.ini"
expect ini-binary 2 'bin\.ini:[0-9]+(:[0-9]+)?: error:' -c bin.ini -o "$PDF"
SETUP="mkdir cfg"
expect ini-directory 2 'cfg: error: is a directory, not a regular file' -c cfg -o "$PDF"
SETUP="mkfifo fifo.ini"
expect ini-fifo 2 'fifo\.ini: error: is a FIFO \(named pipe\)' -c fifo.ini -o "$PDF"
expect ini-dev-zero 2 '/dev/zero: error: is a character device' -c /dev/zero -o "$PDF"
expect ini-missing 2 'nosuch\.ini: error: cannot open' -c nosuch.ini -o "$PDF"
SETUP="sed -i '/^template = r.md$/d' r.ini"
expect ini-no-template 2 'r\.ini: \[report\] template: error:|r\.ini: \[report\]:? .*template'

# --- template (exit 4) -------------------------------------------------------
SETUP="printf '甲{nosuch[x].y}乙\n' >r.md"
expect tpl-unknown-source 4 'r\.md:1:2: error: unknown source "nosuch"'
SETUP="printf '第一行\n\n甲{k[产值].本期\n' >r.md"
expect tpl-unclosed-brace 4 'r\.md:3:2: error:'
SETUP="printf '甲乙\001丙\n' >r.md"
expect tpl-control-soh 4 'r\.md:1:3: error: control character U\+0001 \(SOH\)'
SETUP="printf '甲\n乙\033[31m丙\n' >r.md"
expect tpl-control-esc 4 'r\.md:2:2: error: control character U\+001B \(ESC\)'
SETUP="printf '甲\000乙\n' >r.md"
expect tpl-nul 4 'r\.md:1:2: error: control character U\+0000 \(NUL\)'
SETUP="printf '甲\n\n乙丙😀丁\n' >r.md"
expect tpl-non-bmp 4 'r\.md:3:3: error: character .* \(U\+1F600\) is outside the Basic Multilingual Plane'
SETUP="printf '甲\377乙\n' >r.md"
expect tpl-invalid-utf8 4 'r\.md:1:2: error: invalid UTF-8'
SETUP="python3 -c 'print(\"{\" + \"growth(\" * 25000 + \"1\" + \")\" * 25000 + \"}\")' >r.md"
expect tpl-deep-nesting 4 'r\.md:1:[0-9]+: error: .*nest'
SETUP="python3 -c 'print(\"{\" + \"(\" * 100000 + \"}\")' >r.md"
expect tpl-deep-parens 4 'r\.md:1:[0-9]+: error:'
SETUP="printf '{nosuch(1)}\n' >r.md"
expect tpl-unknown-function 4 'r\.md:1:1: error: unknown function "nosuch"'
SETUP="printf '{share(1, 99999999999999999)}\n' >r.md"
expect tpl-literal-beyond-2-53 4 'r\.md:1:[0-9]+: error: 99999999999999999 is beyond 2\^53 - 1'
SETUP="printf '@table nosuch\n' >r.md"
expect tpl-unknown-table 4 'r\.md:1:1: error:'
SETUP="rm r.md; mkfifo r.md"
expect tpl-fifo 4 'r\.md: error: is a FIFO'
SETUP="rm r.md; mkdir r.md"
expect tpl-directory 4 'r\.md: error: is a directory'
SETUP="rm r.md; truncate -s 17M r.md"
expect tpl-too-large 4 'r\.md: error: is 17\.0 MiB'

# --- fonts (exit 5) ----------------------------------------------------------
SETUP="mkdir f; head -c 50000 /dev/urandom >f/junk.ttf; sed -i 's/^body = .*/body = junk.ttf/; s/^\[fonts\]$/[fonts]\ndir = f/' r.ini"
expect font-garbage 5 'r\.ini: \[fonts\] body: error: .*junk\.ttf'
SETUP="mkdir f; : >f/empty.ttf; sed -i 's/^body = .*/body = empty.ttf/; s/^\[fonts\]$/[fonts]\ndir = f/' r.ini"
expect font-empty 5 'r\.ini: \[fonts\] body: error: .*empty\.ttf'
SETUP="mkdir f; mkfifo f/fifo.ttf; sed -i 's/^body = .*/body = fifo.ttf/; s/^\[fonts\]$/[fonts]\ndir = f/' r.ini"
expect font-fifo 5 'r\.ini: \[fonts\] body: error: .*fifo\.ttf.*FIFO'
SETUP="mkdir f; head -c 4000 /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf >f/cut.ttf; sed -i 's/^latin = .*/latin = cut.ttf/; s/^\[fonts\]$/[fonts]\ndir = f/' r.ini"
expect font-truncated 5 'r\.ini: \[fonts\] latin: error: .*cut\.ttf'
SETUP="sed -i 's/^body = .*/body = nosuch.ttf/' r.ini"
expect font-missing 5 'r\.ini: \[fonts\] body: error: .*nosuch\.ttf'
SETUP="sed -i 's/^body = .*/body = Liberation Serif/' r.ini"
expect font-lacks-chars 5 'r\.md:3:1: error: character .* is not in any font of role body'
SETUP="printf 'abc 甲\\n' >r.md; sed -i 's/^body = .*/body = Liberation Serif/' r.ini"
expect font-lacks-char-column 5 'r\.md:1:5: error: character .甲. \(U\+7532\) is not in any font of role body'

# --- outputs -----------------------------------------------------------------
fresh_out() { # expect_out NAME CODE REGEX PATH: the output is PATH; the
	# inputs must stay as they were.
	name=$1 code=$2 re=$3 o=$4
	fresh
	[ -n "${SETUP:-}" ] && (cd "$C" && eval "$SETUP")
	sum0=$(cd "$C" && cat r.ini r.md k.csv | cksum)
	: >"$T/mark"
	(cd "$C" && exec timeout 60 "$ZJ" -c r.ini -o "$o") >/dev/null 2>"$T/err" </dev/null
	rc=$?
	checkrun "$name" "$code" "$re"
	[ "$(cd "$C" && cat r.ini r.md k.csv | cksum)" = "$sum0" ] ||
	    bad "$name: an input changed"
	SETUP=
}
fresh_out out-is-csv 6 'k\.csv: error: is the same file as the input (.*/)?k\.csv' k.csv
fresh_out out-is-ini 6 'r\.ini: error: is the same file as the input' r.ini
fresh_out out-is-template 6 'r\.md: error: is the same file as the input' r.md
SETUP="ln k.csv hard.pdf"
fresh_out out-hard-link-to-csv 6 'hard\.pdf: error: is the same file as the input (.*/)?k\.csv' hard.pdf
SETUP="ln -s k.csv sym.pdf"
fresh_out out-symlink-to-csv 6 'sym\.pdf: error: is the same file as the input (.*/)?k\.csv' sym.pdf
SETUP="ln -s /usr/share/fonts/truetype/arphic/uming.ttc font.pdf"
fresh_out out-is-font 6 'font\.pdf: error: is the same file as the input' font.pdf
SETUP="ln -s nowhere/x.pdf dangling.pdf"
fresh_out out-dangling-symlink 6 'dangling\.pdf: error: is a symbolic link that cannot be followed' dangling.pdf
SETUP="mkfifo out.pdf"
fresh_out out-fifo 6 'out\.pdf: error: is a FIFO \(named pipe\); zongjie writes only regular files' out.pdf
SETUP="mkdir out.pdf"
fresh_out out-directory 6 'out\.pdf: error: is a directory' out.pdf
fresh_out out-empty-name 2 'error: the output file name is empty' ''
fresh_out out-dev-null 6 '/dev/null: error: is a character device; zongjie writes only regular files' /dev/null
[ -c /dev/null ] || bad "out-dev-null: /dev/null is no longer a character device"
expect out-check-dev-full 6 '/dev/full: error: is a character device' -c r.ini --check -o /dev/full

# A symbolic link to the previous PDF: followed, the PDF replaced, the
# link kept.
fresh
(cd "$C" && printf '指标,本期\n产值,1\n税金,2\n投资,3\n' >k.csv && ln -s "$PDF" link.pdf)
: >"$T/mark"
(cd "$C" && exec timeout 60 "$ZJ" -c r.ini -o link.pdf) 2>"$T/err"
rc=$?
checkrun out-symlink-followed 0 ''
[ -L "$C/link.pdf" ] || bad "out-symlink-followed: the link was replaced"
cmp -s "$GOOD" "$PDF" && bad "out-symlink-followed: the PDF it points to was not written"

# A run that was killed left .r.pdf.XXXXXX: the next run removes it.
fresh
printf 'junk' >"$OUT/.r.pdf.Ab12Cd"
(cd "$C" && exec timeout 60 "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
rc=$?
checkrun out-stale-temp-removed 0 ''
[ -e "$OUT/.r.pdf.Ab12Cd" ] && bad "out-stale-temp-removed: still there"

# expect_locked NAME LOCKFILE: another run holds LOCKFILE; this one
# exits 8 at once.  (python3 holds the lock itself: killing it releases
# the lock.)
expect_locked() {
	fresh
	rm -f "$T/locked"
	python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(30)' "$2" "$T/locked" &
	holder=$!
	while [ ! -e "$T/locked" ]; do sleep 0.05; done
	(cd "$C" && exec timeout 60 "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
	rc=$?
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	checkrun "$1" 8 'another zongjie run is'
}
expect_locked out-locked "$OUT/.r.pdf.lock"

# --- limits: full disk, ulimit -f, ulimit -v -------------------------------
# A 300 KiB tmpfs filled but for a few KiB: the PDF does not fit.
if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/mnt" &&
    mount -t tmpfs -o size=300k tmpfs "$T/mnt" 2>"$T/err"; then
	MNT=$T/mnt
	fresh
	cp "$GOOD" "$MNT/r.pdf"
	head -c $((300 * 1024 - 4096 - $(wc -c <"$GOOD"))) /dev/zero \
	    >"$MNT/filler" 2>/dev/null
	cp "$MNT/r.pdf" "$T/before.pdf"
	(cd "$C" && printf '%s\n' '@table t' '@table t' '@table t' >>r.md)
	: >"$T/mark"
	(cd "$C" && exec timeout 60 "$ZJ" -c r.ini -o "$MNT/r.pdf") 2>"$T/err"
	rc=$?
	checkrun enospc-tmpfs 6 "cannot write $MNT/\.r\.pdf\.[A-Za-z0-9]{6}: No space left on device"
	cmp -s "$T/before.pdf" "$MNT/r.pdf" || bad "enospc-tmpfs: the previous PDF changed"
	if ls -A "$MNT" | grep -Eq '^\.r\.pdf\.[A-Za-z0-9]{6}$'; then
		bad "enospc-tmpfs: temporary file left on the full disk"
	fi
	umount "$MNT" && MNT=""
elif [ "$(id -u)" -eq 0 ]; then
	missing "mount -t tmpfs" "ENOSPC case: $(cat "$T/err")" || fail=$((fail + 1))
else
	missing "root" "ENOSPC case needs a small tmpfs (mount)" || fail=$((fail + 1))
fi

# ulimit -f: SIGXFSZ ignored, EFBIG reported (exit 6), not exit 153.
fresh
(cd "$C" && exec timeout 60 prlimit --fsize=3000 "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
rc=$?
checkrun ulimit-f 6 'cannot write .*: File too large'

# ulimit -v: out of memory is exit 1 "out of memory", never a font or data
# message, at any limit from tiny to almost enough.
if [ -n "$ASAN" ]; then
	echo "note: ulimit -v and prlimit --as cases not run under ASan (its shadow memory needs the address space); the plain run has them"
else
	for kb in 30000 50000 70000; do
		fresh
		(cd "$C" && ulimit -v $kb && exec timeout 60 "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
		rc=$?
		# Too little to load the libraries is the dynamic loader's
		# exit 127; from there on it is ours.
		[ "$rc" -eq 127 ] && grep -q 'error while loading shared libraries' "$T/err" && rc=1 &&
		    echo 'zongjie: error: out of memory (loader)' >>"$T/err"
		re='^zongjie: error: out of memory'
		[ "$rc" -eq 0 ] && re=
		checkrun "ulimit-v-$kb" "1|0" "$re"
		# (the binary's own path, e.g. /work/wt-fonts/zongjie, is not
		# part of the message)
		sed "s|$ZJ||g" "$T/err" | grep -q 'font\|csv\|r\.md' && bad "ulimit-v-$kb: not an out-of-memory message: $(head -c 300 "$T/err")"
	done
	for as in 60000000 80000000; do
		fresh
		(cd "$C" && exec timeout 60 prlimit --as=$as "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
		rc=$?
		re='^zongjie: error: out of memory$'
		[ "$rc" -eq 0 ] && re=
		checkrun "prlimit-as-$as" "1|0" "$re"
	done
fi

# --- signals at random points of a large run -------------------------------
mkdir -p "$T/big"
python3 - "$T/big/ledger.csv" <<'PY'
import random, sys
rnd = random.Random(12)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("企业名称,行业,产值\n")
    for i in range(4000):
        f.write("%s%d号企业有限公司,%s,%.2f\n" % (rnd.choice("青蓝星禾筑声澄翼"), i,
                rnd.choice(["新材料", "电子信息", "新能源"]), rnd.uniform(1, 9999)))
PY
sed -e 's/^file = k.csv$/file = ledger.csv/' -e 's/^key = 指标$//' \
    -e 's/^col1 = 指标$/col1 = 企业名称/' -e 's/^col2 = .*/col2 = 产值 | 产值 | .2/' \
    "$BASE/r.ini" >"$T/big/r.ini"
printf '# 台账\n\n共{count(k)}户。\n\n@table t\n' >"$T/big/r.md"
BIGREF=$T/bigref.pdf    # the complete output of the large run
t0=$(date +%s%N)
(cd "$T/big" && "$ZJ" -q -c r.ini -o "$T/bigref.pdf") 2>"$T/err" ||
    bad "the large run fails: $(head -c 300 "$T/err")"
bigms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "hostile: the large run takes $bigms ms; signals at random points of it"
[ "$bigms" -lt 100 ] && bigms=100

# killrun NAME SIGNAL N: N runs of the large report to $PDF, each sent
# SIGNAL at a random point; each ends by the signal (or finished first),
# leaving the previous output ($GOOD) or the complete new one ($BIGREF),
# and no temporary font file.
killrun() {
	kname=$1 sig=$2 n=$3 i=0
	while [ "$i" -lt "$n" ]; do
		i=$((i + 1))
		SEED=$((SEED * 1103515245 + 12345))
		SEED=$(( (SEED / 65536) % 32768 ))
		delay=$((SEED * bigms / 32768))
		cp "$GOOD" "$PDF"
		rm -rf "$C"; mkdir -p "$C"; : >"$T/mark"
		(cd "$T/big" && exec "$ZJ" -c r.ini -o "$PDF") 2>"$T/err" &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -s "$sig" "$pid" 2>/dev/null
		wait "$pid"
		rc=$?
		ncases=$((ncases + 1))
		case $sig in KILL) want=137 ;; TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
		if [ "$rc" -ne "$want" ] && [ "$rc" -ne 0 ]; then
			bad "$kname #$i (after $delay ms): exit $rc, expected $want or 0: $(head -c 300 "$T/err")"
			continue
		fi
		if ! cmp -s "$PDF" "$GOOD" && ! cmp -s "$PDF" "$BIGREF"; then
			bad "$kname #$i (after $delay ms): the PDF is neither the previous nor the complete one"
			continue
		fi
		# A signal before main installed its handlers (while the
		# dynamic loader or ASan starts) kills silently, before
		# anything was written.
		if [ "$rc" -ne 0 ] && [ "$sig" != KILL ] &&
		    ! grep -q 'interrupted by a signal' "$T/err" &&
		    { [ -s "$T/err" ] || ! cmp -s "$PDF" "$GOOD"; }; then
			bad "$kname #$i: no message: $(head -c 300 "$T/err")"
			continue
		fi
		if ls -A "$TMPDIR" | grep -q zongjie-font-; then
			bad "$kname #$i (after $delay ms): a temporary font file is left"
			rm -f "$TMPDIR"/zongjie-font-*
			continue
		fi
		if [ "$sig" = KILL ]; then
			# The next run removes what kill -9 left.
			(cd "$T/big" && "$ZJ" -q -c r.ini -o "$PDF") 2>"$T/err"
			cmp -s "$PDF" "$BIGREF" || bad "$kname #$i: the run after kill -9 failed"
		fi
		if [ -n "$(leftovers)" ]; then
			bad "$kname #$i (after $delay ms): left behind: $(leftovers)"
			rm -f "$OUT"/.r.*.??????
			continue
		fi
		if grep -Eq 'AddressSanitizer|runtime error:' "$T/err"; then
			bad "$kname #$i: sanitizer report"
			continue
		fi
		pass=$((pass + 1))
	done
}
killrun sigterm TERM 4
killrun sigkill KILL 4
killrun sigint INT 1
killrun sighup HUP 1

# --- concurrent runs -------------------------------------------------------
# Four runs at once for the same output: each succeeds or finds the lock
# taken (exit 8); with --wait all succeed; the PDF is the complete one.
for mode in nowait wait; do
	fresh
	(cd "$C" && printf '指标,本期\n产值,7\n税金,8\n投资,9\n' >k.csv)
	(cd "$C" && "$ZJ" -q -c r.ini -o "$T/newref.pdf")
	: >"$T/mark"
	w=; [ "$mode" = wait ] && w=--wait
	pids=
	for j in 1 2 3 4; do
		(cd "$C" && exec timeout 120 "$ZJ" $w -c r.ini -o "$PDF") 2>"$T/err.$j" &
		pids="$pids $!"
	done
	j=0 oks=0 codes=
	for p in $pids; do
		j=$((j + 1))
		wait "$p"
		r=$?
		codes="$codes $r"
		[ "$r" -eq 0 ] && oks=$((oks + 1))
		if [ "$r" -eq 8 ] && ! grep -q 'another zongjie run is' "$T/err.$j"; then
			bad "concurrent-$mode: exit 8 without the lock message"
		fi
		cat "$T/err.$j" >>"$T/err"
	done
	rc=0
	ncases=$((ncases + 1))
	if [ "$mode" = wait ] && [ "$oks" -ne 4 ]; then
		bad "concurrent-wait: exits$codes, expected all 0"
	elif [ "$oks" -lt 1 ] || echo "$codes" | grep -Eq ' [^08]'; then
		bad "concurrent-$mode: exits$codes, expected 0 or 8 and at least one 0"
	elif ! cmp -s "$PDF" "$T/newref.pdf"; then
		bad "concurrent-$mode: the PDF is not the complete one"
	elif [ -n "$(leftovers)" ]; then
		bad "concurrent-$mode: left behind: $(leftovers)"
	elif grep -Eq 'AddressSanitizer|runtime error:' "$T/err"; then
		bad "concurrent-$mode: sanitizer report"
	else
		pass=$((pass + 1))
	fi
	: >"$T/err"
done

# --- DOCX outputs (-o r.docx): the PDF's guarantees -------------------------
# A failing DOCX run leaves the previous DOCX byte-identical and no partial
# .docx nor temporary file: the same cases with $GOOD and $PDF a DOCX.
GOOD=$T/good.docx
PDF=$OUT/r.docx
fresh_base
if ! (cd "$C" && "$ZJ" -q -c r.ini -o "$GOOD") 2>"$T/err"; then
	bad "the fixture does not render as a DOCX: $(cat "$T/err")"
else
	SETUP="printf '指标,本期\n产值,286.4\n税金,9.86\n投资,\377\n' >k.csv"
	expect docx-csv-damaged 3 'k\.csv:4:4: error: invalid UTF-8 byte sequence'
	SETUP="printf '\n全年{k[产值].本年}亿元。\n' >>r.md"
	expect docx-template-error 4 'r\.md:[0-9]+:[0-9]+: error: '
	SETUP="printf 'colour = red\n' >>r.ini"
	expect docx-config-error 2 'r\.ini: .*colour: error: unknown key'
	SETUP="mkdir out.docx"
	fresh_out docx-out-directory 6 'out\.docx: error: is a directory' out.docx
	SETUP="ln -s k.csv sym.docx"
	fresh_out docx-out-symlink-to-csv 6 'sym\.docx: error: is the same file as the input (.*/)?k\.csv' sym.docx
	# ulimit -f: the DOCX (5 KiB) does not fit in 3000 bytes; nor does
	# its document.xml, spooled to $TMPDIR first (docx_xml.c).
	fresh
	(cd "$C" && exec timeout 60 prlimit --fsize=3000 "$ZJ" -c r.ini -o "$PDF") 2>"$T/err"
	rc=$?
	checkrun docx-ulimit-f 6 'cannot write (.*\.r\.docx\.[A-Za-z0-9]{6}|a temporary file in .*/tmpdir): File too large'
	# Another run holds the DOCX's lock: exit 8 at once.
	expect_locked docx-locked "$OUT/.r.docx.lock"
	# A full disk (root: a small tmpfs): the DOCX does not fit.
	if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/mntx" &&
	    mount -t tmpfs -o size=64k tmpfs "$T/mntx" 2>"$T/err"; then
		MNT=$T/mntx
		fresh
		cp "$GOOD" "$MNT/r.docx"
		head -c $((64 * 1024)) /dev/zero >"$MNT/filler" 2>/dev/null
		cp "$MNT/r.docx" "$T/before.docx"
		: >"$T/mark"
		(cd "$C" && exec timeout 60 "$ZJ" -c r.ini -o "$MNT/r.docx") 2>"$T/err"
		rc=$?
		checkrun docx-enospc-tmpfs 6 "cannot (write|create) .*: No space left on device"
		cmp -s "$T/before.docx" "$MNT/r.docx" || bad "docx-enospc-tmpfs: the previous DOCX changed"
		if ls -A "$MNT" | grep -Eq '^\.r\.docx\.[A-Za-z0-9]{6}$'; then
			bad "docx-enospc-tmpfs: temporary file left on the full disk"
		fi
		umount "$MNT" && MNT=""
	elif [ "$(id -u)" -eq 0 ]; then
		missing "mount -t tmpfs" "DOCX ENOSPC case: $(cat "$T/err")" || fail=$((fail + 1))
	else
		missing "root" "DOCX ENOSPC case needs a small tmpfs (mount)" || fail=$((fail + 1))
	fi
	# Signals at random points of the large report written as a DOCX.
	BIGREF=$T/bigref.docx
	t0=$(date +%s%N)
	(cd "$T/big" && "$ZJ" -q -c r.ini -o "$BIGREF") 2>"$T/err" ||
	    bad "the large DOCX run fails: $(head -c 300 "$T/err")"
	bigms=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$bigms" -lt 100 ] && bigms=100
	killrun docx-sigterm TERM 3
	killrun docx-sigkill KILL 2
fi
GOOD=$T/good.pdf
PDF=$OUT/r.pdf

[ "$ncases" -ge 60 ] || bad "only $ncases cases ran (issue 12 asks for at least 60)"
echo "hostile: $pass passed, $fail failed ($ncases cases)"
[ "$fail" -eq 0 ]
