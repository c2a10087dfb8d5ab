#!/bin/sh
# Runs zongjie's CSV loader over the public csv-spectrum corpus (npm
# package csv-spectrum, fetched at test time into tests/tmp, never
# committed) and compares each parse with the corpus's expected JSON.
# Known, deliberate deviations are listed in tests/csv-spectrum-skips.txt.
#
# usage: tests/csv-spectrum.sh CSVDUMP_BINARY
set -u
. "$(dirname "$0")/lib.sh"
DUMP=$1
D=tests/tmp/csv-spectrum
if [ ! -d "$D/package/csvs" ]; then
	mkdir -p "$D"
	if ! (cd "$D" && timeout 120 npm pack --silent csv-spectrum@2.0.0 >/dev/null 2>&1 &&
	    tar xzf csv-spectrum-2.0.0.tgz); then
		missing "npm package csv-spectrum@2.0.0" "npm or the npm registry" || {
			echo "csv-spectrum: 0 passed, 1 failed"; exit 1; }
		exit 0
	fi
fi
python3 - "$DUMP" "$D/package" tests/csv-spectrum-skips.txt <<'PY'
import json, os, subprocess, sys
dump, pkg, skips_path = sys.argv[1:4]
skips = {}
for line in open(skips_path, encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        name, _, how = line.partition(" ")
        skips[name] = how.strip()
passed = failed = 0
for name in sorted(os.listdir(os.path.join(pkg, "csvs"))):
    base = name[:-4]
    expected = json.load(open(os.path.join(pkg, "json", base + ".json"), encoding="utf-8"))
    how = skips.get(base, "")
    args = [dump, os.path.join(pkg, "csvs", name)]
    p = subprocess.run(args, capture_output=True)
    if how == "reject":
        msg = p.stderr.decode(errors="replace")
        if p.returncode == 3 and (name + ":") in msg and "error" in msg:
            passed += 1
        else:
            print("csv-spectrum: %s: expected a rejection with a location, got %d: %s"
                  % (name, p.returncode, msg), file=sys.stderr)
            failed += 1
        continue
    if p.returncode != 0:
        print("csv-spectrum: %s: loader failed: %s" % (name, p.stderr.decode(errors="replace")), file=sys.stderr)
        failed += 1
        continue
    got = json.loads(p.stdout.decode("utf-8"))
    if "crlf-in-field" in how:
        # zongjie stores a line break inside a quoted field as LF.
        expected = [{k: v.replace("\r\n", "\n") for k, v in row.items()} for row in expected]
    if got == expected:
        passed += 1
    else:
        print("csv-spectrum: %s: got %s, expected %s" % (name, got, expected), file=sys.stderr)
        failed += 1
print("csv-spectrum: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
