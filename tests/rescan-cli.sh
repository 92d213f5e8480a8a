#!/bin/bash
# tests/rescan-cli.sh - `qgtop rescan` option parsing: every bad
# combination is refused with one line and exit 2 before anything is
# opened; --help works. Needs no root.
set -u
QGTOP=${QGTOP:-./qgtop}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# expect EXIT ARGS...: the exit code and, for errors, one "qgtop: " line
expect() {
	local want=$1 out rc
	shift
	out=$("$QGTOP" rescan "$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" = "$want" ] || fail "rescan $*: exit $rc, want $want ($out)"
	if [ "$want" != 0 ]; then
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "rescan $*: not one line: $out"
		case $out in qgtop:*) ;; *) fail "rescan $*: message '$out'" ;; esac
	fi
}
"$QGTOP" rescan --help | grep -q -- "--abort=cancel" || fail "--help"
expect 2
expect 2 /a /b
expect 2 --status --abort /
expect 2 --status --wait /
expect 2 --abort --watch /
expect 2 --abort=later /
expect 2 --json /
expect 2 --json --wait /
expect 2 --yes /
expect 2 --save /tmp/x --status /
expect 2 --interval 5 --watch /
expect 2 --interval x --watch /
expect 2 --bogus /
# a path that does not exist, and one not on btrfs
expect 2 --status /nonexistent/qgtop-rescan-cli
expect 2 --status /proc
echo "rescan-cli: ok"
