#!/bin/sh
# Golden layout tests, like mandoc's regress/: every tests/cases/NAME/ holds
# report.ini (paths relative to its own directory), report.md, its CSV
# files and expected.layout, the output of
#     zongjie -c tests/cases/NAME/report.ini --dump-layout --fake-metrics
# (fake metrics: CJK 1 em, ASCII ½ em, so goldens do not depend on fonts).
# Each case is compared with diff -u, and tests/cases/verify.py checks that
# the dump shows the rule the case is about (a golden that merely repeats
# what the program printed would test nothing).
#
# The middle of the pipeline has goldens too, as mandoc's -T tree: each case
# (and the sample, config/report.ini) has expected.doc, the output of
#     zongjie -c …/report.ini --dump-doc
# (the evaluated tree: blocks with locations, each figure's expression, value
# and source cells), and tests/cases/verify_doc.py checks every source cell it
# names against the CSV files themselves.
#
# usage: tests/golden.sh [--update] [ZONGJIE]     (from the repository root)
#   --update  rewrites every expected.layout and expected.doc (then review
#             the diff!)
set -u
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
ZJ=${1:-./zongjie}
R=$(pwd)
T=tests/tmp/golden.$$
mkdir -p "$T"
pass=0 fail=0

for d in tests/cases/*/; do
	d=${d%/}
	n=${d##*/}
	[ -f "$d/report.ini" ] || continue
	out="$T/$n.layout"
	ok=1
	if ! "$ZJ" -c "$d/report.ini" --dump-layout --fake-metrics \
	    >"$out" 2>"$T/$n.err"; then
		echo "FAIL: $n: zongjie failed: $(head -c 400 "$T/$n.err")" >&2
		fail=$((fail + 1))
		continue
	fi
	if [ "$update" -eq 1 ]; then
		if ! cmp -s "$out" "$d/expected.layout"; then
			cp "$out" "$d/expected.layout"
			echo "updated: $d/expected.layout"
		fi
	elif [ ! -f "$d/expected.layout" ]; then
		echo "FAIL: $n: no expected.layout (tests/golden.sh --update)" >&2
		ok=0
	elif ! diff -u "$d/expected.layout" "$out" >"$T/$n.diff"; then
		echo "FAIL: $n: layout differs from $d/expected.layout:" >&2
		head -n 60 "$T/$n.diff" >&2
		ok=0
	fi
	if ! python3 tests/cases/verify.py "$n" "$out" >&2; then
		echo "FAIL: $n: the layout does not show the case's rule" >&2
		ok=0
	fi
	if [ "$ok" -eq 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
# compare_doc NAME INI EXPECTED: the --dump-doc golden of one document.
compare_doc() {
	out="$T/$1.doc"
	if ! "$ZJ" -c "$2" --dump-doc >"$out.abs" 2>"$T/$1.doc.err"; then
		echo "FAIL: $1 (doc): zongjie failed: $(head -c 400 "$T/$1.doc.err")" >&2
		return 1
	fi
	# The tree names files by absolute path (resolved against the
	# configuration's directory); the goldens by path from the
	# repository root, so they hold on any checkout.
	sed "s|$R/||g" "$out.abs" >"$out"
	if [ "$update" -eq 1 ]; then
		if ! cmp -s "$out" "$3"; then
			cp "$out" "$3"
			echo "updated: $3"
		fi
	elif [ ! -f "$3" ]; then
		echo "FAIL: $1 (doc): no $3 (tests/golden.sh --update)" >&2
		return 1
	elif ! diff -u "$3" "$out" >"$T/$1.doc.diff"; then
		echo "FAIL: $1 (doc): tree differs from $3:" >&2
		head -n 60 "$T/$1.doc.diff" >&2
		return 1
	fi
	if ! python3 tests/cases/verify_doc.py "$out" >&2; then
		echo "FAIL: $1 (doc): a source cell is not where the tree says" >&2
		return 1
	fi
	return 0
}

for d in tests/cases/*/; do
	d=${d%/}
	[ -f "$d/report.ini" ] || continue
	if compare_doc "${d##*/}" "$d/report.ini" "$d/expected.doc"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
if compare_doc sample config/report.ini tests/cases/sample.doc; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi

rm -rf "$T"
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
