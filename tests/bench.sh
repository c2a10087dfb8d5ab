#!/bin/sh
# make bench: zongjie against Typst and XeLaTeX on the same content, in the
# same run.  Usage: sh tests/bench.sh ZONGJIE_BINARY
#
# Set-up (each step prints what it does; a peer that cannot be had is
# skipped with the reason printed, never silently):
#   - Typst 0.14: the npm package @myriaddreamin/typst-ts-node-compiler
#     (Typst as a Node add-on; ~50 MB) into tests/tmp/peers/ on first use,
#     driven by tests/bench/typst-compile.js.  Needs node and npm.
#   - XeLaTeX: used if xelatex and xeCJK are installed; else, as root with
#     apt-get, Debian's texlive-xetex and texlive-lang-chinese are installed
#     (~160 MB download, ~460 MB on disk, ~40 s here).  BENCH_INSTALL=no
#     skips installing (XeLaTeX is then skipped unless present).
#   - tests/bench/runner.c (times one run, reads its peak RSS) and
#     tests/bench/hello.c (the libc-only floor for --version), built here.
# Then tests/bench.py run: ledgers of BENCH_SIZES rows (default "50 10000
# 100000"; `make bench-1m` adds 1,000,000), paired runs, the sample, the
# --version floor, font and CID-map checks, and PASS/FAIL per target of
# issue 16.  Targets never fail the build: the exit code is non-zero only
# if a set-up step that cannot be skipped or a run (of zongjie or of a
# peer) fails.  BENCH_BUDGET (s, default 150) caps a peer's runs at one
# size; a peer over it is skipped there, with the reason.
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
for tool in python3 pdfinfo qpdf cc; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is missing (make deps installs it)" >&2
		exit 2
	fi
done

cd "$(dirname "$0")/.."          # the INI paths are relative to the repo root
TMP=tests/tmp/bench
PEERS=tests/tmp/peers
rm -rf "$TMP"
mkdir -p "$TMP" "$PEERS"

cc -O2 -o "$TMP/runner" tests/bench/runner.c
cc -O2 -o "$TMP/hello" tests/bench/hello.c

# Typst (npm).
TYPST_PKG=@myriaddreamin/typst-ts-node-compiler@0.7.0
TDIR=$(pwd)/$PEERS/node_modules/@myriaddreamin/typst-ts-node-compiler
typst_arg=
if [ -f "$TDIR/package.json" ]; then
	typst_arg="--typst=$TDIR"
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	typst_arg="--no-typst=node or npm is not installed"
else
	echo "bench: installing Typst: npm install $TYPST_PKG (~50 MB)" >&2
	if timeout 600 npm install --prefix "$PEERS" --no-save --no-audit \
	    --no-fund "$TYPST_PKG" >"$PEERS/npm.log" 2>&1 &&
	    [ -f "$TDIR/package.json" ]; then
		typst_arg="--typst=$TDIR"
	else
		typst_arg="--no-typst=npm install $TYPST_PKG failed: $(tail -n 2 "$PEERS/npm.log" | tr '\n' ' ')"
	fi
fi

# XeLaTeX (Debian).
have_xelatex() {
	command -v xelatex >/dev/null 2>&1 &&
	    kpsewhich xeCJK.sty >/dev/null 2>&1
}
if ! have_xelatex && [ "${BENCH_INSTALL:-yes}" != no ] &&
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "bench: installing XeLaTeX: apt-get install texlive-xetex" \
	    "texlive-lang-chinese (~160 MB download)" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	    texlive-xetex texlive-lang-chinese; } >"$PEERS/apt.log" 2>&1 ||
	    echo "bench: apt-get failed: $(tail -n 2 "$PEERS/apt.log")" >&2
fi
if have_xelatex; then
	xelatex_arg="--xelatex=$(command -v xelatex)"
elif command -v xelatex >/dev/null 2>&1; then
	xelatex_arg="--no-xelatex=xelatex is installed but not xeCJK (texlive-lang-chinese)"
elif [ "${BENCH_INSTALL:-yes}" = no ]; then
	xelatex_arg="--no-xelatex=not installed, and BENCH_INSTALL=no"
else
	xelatex_arg="--no-xelatex=not installed and could not be installed (root and apt-get needed; see $PEERS/apt.log)"
fi

exec python3 tests/bench.py run --zongjie "$Z" --runner "$(pwd)/$TMP/runner" \
    --hello "$(pwd)/$TMP/hello" "$typst_arg" "$xelatex_arg" \
    --sizes "${BENCH_SIZES:-50 10000 100000}" --budget "${BENCH_BUDGET:-150}"
