#!/bin/bash
# tests/live-show-errors.sh - bad input to show and list: a one-line error
# naming the cause and the documented exit code (doc/qgtop.8).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

# expect CODE PATTERN CMD... : exit code CODE, one stderr line matching PATTERN
expect() {
	local code=$1 pat=$2 rc
	shift 2
	"$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	[ "$rc" = "$code" ] || fail "'$*' exited $rc, want $code: $(cat "$TEST_TMP/err")"
	[ "$(wc -l < "$TEST_TMP/err")" = 1 ] || fail "'$*' printed not one line: $(cat "$TEST_TMP/err")"
	grep -q -- "$pat" "$TEST_TMP/err" || fail "'$*' said '$(cat "$TEST_TMP/err")', want /$pat/"
}

expect 2 "cannot open /no/such/path: No such file or directory" "$QGTOP" show /no/such/path
mkdir -p "$TEST_TMP/tmpfs"
mount -t tmpfs none "$TEST_TMP/tmpfs" || fail "mount tmpfs"
TEST_MOUNTS+=("$TEST_TMP/tmpfs")
expect 2 "is not on a btrfs filesystem" "$QGTOP" show "$TEST_TMP/tmpfs"
expect 2 "show needs a PATH" "$QGTOP" show
expect 2 "show takes one PATH" "$QGTOP" show /a /b
expect 2 "invalid qgroup id '1/x'" "$QGTOP" show --qgroup 0/5,1/x /
expect 2 "invalid sort list 'size'" "$QGTOP" show --sort=size /
expect 2 "invalid level '-1'" "$QGTOP" show --level -1 /
expect 2 "list takes no arguments" "$QGTOP" list extra
expect 2 "unrecognized option or missing argument .--bogus. (see qgtop show --help)" "$QGTOP" show --bogus /
expect 2 "missing argument .--sort." "$QGTOP" show / --sort

make_loop 256M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mnt=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$mnt"
expect 4 "quotas are not enabled on $mnt" "$QGTOP" show "$mnt"
"$QGTOP" show --json "$mnt" > "$TEST_TMP/off.json" || fail "show --json with quota off"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["quota"]["enabled"] is False and d["qgroups"] == []' \
	"$TEST_TMP/off.json" || fail "json of a quota-disabled fs"

# not root: numbers from sysfs, with a warning that says so
btrfs quota enable "$mnt"
btrfs subvolume create "$mnt/sv" >/dev/null
sync
if command -v setpriv >/dev/null; then
	chmod 755 "$TEST_TMP"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" show --raw "$mnt" \
		> "$TEST_TMP/user.txt" 2> "$TEST_TMP/user.err" || fail "show as nobody: $(cat "$TEST_TMP/user.err")"
	grep -q "not root" "$TEST_TMP/user.err" || fail "no not-root warning"
	grep -q "^0/256 " "$TEST_TMP/user.txt" || fail "show as nobody lacks 0/256"
fi
echo "live-show-errors: ok"
