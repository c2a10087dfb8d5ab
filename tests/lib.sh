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
