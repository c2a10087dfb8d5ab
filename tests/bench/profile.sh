#!/bin/sh
# make profile: where zongjie's CPU time goes, per phase (docs/perf.md).
# Usage: sh tests/bench/profile.sh
#
# Set-up: perf (Debian's linux-perf) is installed with apt-get when missing
# and we are root (else the script stops, saying so).  zongjie is built
# again with frame pointers into tests/tmp/prof/ (the Debian libraries
# have none: their samples are placed by library, see phases.py).  Then,
# with tests/gen_ledger.py's data and tests/bench/ledger.ini as `make
# bench` uses them: PROFILE_RUNS (20) runs of the 50-row report and one
# of PROFILE_ROWS (100000) rows, each under `perf record -e cpu-clock
# --call-graph fp`, summarised by tests/bench/phases.py.  A software
# clock: hardware counters are often missing in a VM.
set -eu
cd "$(dirname "$0")/../.."
if ! command -v perf >/dev/null 2>&1 || ! perf --version >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "profile: installing perf: apt-get install linux-perf" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends linux-perf >/dev/null
	else
		echo "profile: perf is missing (Debian's linux-perf; root needed to install it)" >&2
		exit 2
	fi
fi
P=tests/tmp/prof
B=tests/tmp/bench
mkdir -p "$P" "$B"
make -s -j2 BUILD="$P/build" CFLAGS="-O2 -g -fno-omit-frame-pointer" \
    $(ls src/*.c | sed "s#src/\(.*\)\.c#$P/build/\1.o#")
cc -O2 -g -Wl,--as-needed -o "$P/zongjie" $P/build/*.o -lhpdf -lcsv \
    -liniparser $(pkg-config --libs libunibreak) -lz -lm -pthread
Z=$(pwd)/$P/zongjie
HZ=999
RUNS=${PROFILE_RUNS:-20}
ROWS=${PROFILE_ROWS:-100000}
run_rows() { # run_rows N COUNT: COUNT runs of the N-row ledger under perf
	python3 tests/gen_ledger.py "$1" "$B/2021-12"
	"$Z" -c tests/bench/ledger.ini -p 2021-12 -o "$P/out.pdf"  # warm
	perf record -q -e cpu-clock -F $HZ --call-graph fp -o "$P/$1.data" \
	    -- sh -c "i=0; while [ \$i -lt $2 ]; do '$Z' -c \
	    tests/bench/ledger.ini -p 2021-12 -o '$P/out.pdf' || exit 1; \
	    i=\$((i + 1)); done" 2>/dev/null
	echo "== $1 rows, $2 run(s), $(uptime | sed 's/.*load/load/')"
	python3 tests/bench/phases.py "$P/$1.data" zongjie "$2" $HZ
}
run_rows 50 "$RUNS"
run_rows "$ROWS" 1
