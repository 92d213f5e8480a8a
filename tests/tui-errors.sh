#!/bin/bash
# tests/tui-errors.sh - bad input to the interactive frontend: a one-line
# "qgtop: ..." error naming the thing, the documented exit status, and no
# curses screen (nothing is drawn before the input is checked). No root.
. "${TOP_SRCDIR:-.}/tests/lib.sh"

# expect STATUS REGEX ARGS...: run qgtop ARGS without a terminal
expect() {
	local want=$1 re=$2 st
	shift 2
	"$QGTOP" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	st=$?
	[ "$st" = "$want" ] || fail "qgtop $*: exit $st, expected $want ($(cat "$TEST_TMP/err"))"
	[ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] || fail "qgtop $*: not one line: $(cat "$TEST_TMP/err")"
	grep -Eq "^qgtop: $re" "$TEST_TMP/err" || fail "qgtop $*: message '$(cat "$TEST_TMP/err")' does not match /$re/"
	[ ! -s "$TEST_TMP/out" ] || fail "qgtop $*: wrote to stdout"
}

mkdir -p "$TEST_TMP/dir"
truncate -s 2M "$TEST_TMP/zero.img"
expect 2 "unknown option --bogus" --bogus
expect 2 "more than one path given: b" a b
expect 2 "--image needs at least one image file" --image
expect 2 ".*$TEST_TMP/no-such.img" --image "$TEST_TMP/no-such.img"
expect 2 ".*" --image "$TEST_TMP/zero.img"
expect 2 "cannot open $TEST_TMP/no-such-dir" "$TEST_TMP/no-such-dir"
expect 2 "shwo is neither a command nor an existing path" shwo
if [ "$(stat -f -c %T "$TEST_TMP/dir")" != btrfs ]; then
	expect 2 "$TEST_TMP/dir is not on a btrfs filesystem" "$TEST_TMP/dir"
fi
# no terminal: said so, after the arguments were found fine
expect 2 "the interactive view needs a terminal"
xz -dc "$TOP_SRCDIR/tests/data/demo.img.xz" > "$TEST_TMP/demo.img" || fail "xz"
expect 2 "the interactive view needs a terminal" --image "$TEST_TMP/demo.img"
echo PASS
