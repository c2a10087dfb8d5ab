#!/bin/sh
# Runs each cmocka unit-test binary given as an argument; fails if any fails.
# Totals are printed as "N passed, N failed".
set -u
fail=0 pass=0
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t" >&2; fi
done
echo "unit test programs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
