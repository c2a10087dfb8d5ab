#!/bin/sh
# make bench: time and memory of zongjie on a normal month and on large
# synthetic ledgers.  Usage: sh tests/bench.sh ZONGJIE_BINARY
#
# Renders the sample report (config/report.ini, 5 runs), then
# tests/bench/ledger.ini (every row of projects.csv in one table) on
# ledgers from tests/gen_ledger.py of 50 rows (5 runs) and 10,000, 30,000
# and 100,000 rows (3 runs each), and prints one table with the median wall
# time, peak RSS, PDF size and page count, and whether 100,000 rows meet
# the targets (<= 5 s, <= 300 MB).  Then the font proofs: the sample and the
# largest ledger once more with -vv, and per embedded font its glyphs,
# subset and load time and the FontFile2 size against the floor
# (tests/bench.py fonts).  Timing never fails the build: the exit code is
# non-zero only if zongjie (or the set-up) fails.
#
# BENCH_SIZES="50 10000" overrides the ledger sizes.  Files go to
# tests/tmp/bench/ (the ledger of the size being run is in 2021-12/).
set -eu

if [ $# -ne 1 ]; then
	echo "usage: sh tests/bench.sh ZONGJIE_BINARY" >&2
	exit 2
fi
case $1 in
/*) Z=$1 ;;
*)  Z=$(pwd)/$1 ;;
esac
if [ ! -x "$Z" ]; then
	echo "bench: $1: not an executable (run make first)" >&2
	exit 2
fi
for tool in python3 pdfinfo qpdf; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is missing (make deps installs it)" >&2
		exit 2
	fi
done

cd "$(dirname "$0")/.."          # the INI paths are relative to the repo root
SIZES=${BENCH_SIZES:-"50 10000 30000 100000"}
TMP=tests/tmp/bench
RES=$TMP/results.tsv
rm -rf "$TMP"
mkdir -p "$TMP"
: >"$RES"

# The sample report: a normal month's run as cron does it.
python3 tests/bench.py measure --label sample --runs 5 --results "$RES" \
    --rows-csv input/2021-12/projects.csv --pdf "$TMP/out-sample.pdf" -- \
    "$Z" -c config/report.ini -p 2021-12 -o "$TMP/out-sample.pdf"

for n in $SIZES; do
	python3 tests/gen_ledger.py "$n" "$TMP/2021-12"
	if [ "$n" -ge 10000 ]; then runs=3; else runs=5; fi
	python3 tests/bench.py measure --label "$n" --rows "$n" --runs "$runs" \
	    --results "$RES" --pdf "$TMP/out-$n.pdf" -- \
	    "$Z" -c tests/bench/ledger.ini -p 2021-12 -o "$TMP/out-$n.pdf"
done

# Font proofs (one more run each, with -vv; not timed).
"$Z" -vv -c config/report.ini -p 2021-12 -o "$TMP/fonts-sample.pdf" \
    2>"$TMP/fonts-sample.log" || { cat "$TMP/fonts-sample.log" >&2; exit 1; }
last=
for n in $SIZES; do last=$n; done
if [ -n "$last" ]; then
	"$Z" -vv -c tests/bench/ledger.ini -p 2021-12 -o "$TMP/fonts-$last.pdf" \
	    2>"$TMP/fonts-$last.log" || { cat "$TMP/fonts-$last.log" >&2; exit 1; }
fi

echo >&2
python3 tests/bench.py report --zongjie "$Z" "$RES"
echo
python3 tests/bench.py fonts --label sample --log "$TMP/fonts-sample.log" \
    --pdf "$TMP/fonts-sample.pdf"
if [ -n "$last" ]; then
	python3 tests/bench.py fonts --label "$last rows" \
	    --log "$TMP/fonts-$last.log" --pdf "$TMP/fonts-$last.pdf"
fi
