# Sourced by the test scripts.  missing TOOL WHY: called when a suite
# cannot run part of its checks because TOOL is absent.  Under CI=true
# (the CI run, where tests/install-deps.sh has installed everything) that
# is a failure: it prints "FAIL: TOOL missing" and returns 1, so the
# caller counts it.  Elsewhere it prints what was not checked and returns
# 0.  Never "skipped" and passed in CI.
missing() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $1 is missing ($2); CI=true requires every test tool" >&2
		return 1
	fi
	echo "note: $1 is missing ($2): those checks did not run" >&2
	return 0
}

# The counters every suite reports: ok counts a pass, bad NAME… counts a
# failure and prints it; check NAME COMMAND… passes when COMMAND succeeds.
# A suite sets pass=0 fail=0 and may define its own variants after
# sourcing this file.
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() {
	name=$1; shift
	if "$@"; then ok; else bad "$name"; fi
}

# pdfbox_cp: prints the Java class path for Debian's libpdfbox2-java
# (PDFBox, FontBox, commons-logging and the tools jar where it is), or
# returns 1 if PDFBox or java is not installed.
pdfbox_cp() {
	[ -f /usr/share/java/pdfbox2.jar ] && command -v java >/dev/null 2>&1 ||
	    return 1
	cp=/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:/usr/share/java/commons-logging.jar
	for j in /usr/share/java/pdfbox2-tools.jar /usr/share/java/pdfbox-tools.jar; do
		[ -f "$j" ] && cp=$cp:$j
	done
	printf '%s\n' "$cp"
}
