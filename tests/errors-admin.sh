#!/bin/bash
# tests/errors-admin.sh - every bad input of the administration commands
# (quota, qgroup, restore): each gets its documented exit code and a
# one-line message naming the cause, and `btrfs qgroup show -pcre --raw`
# is unchanged afterwards (quota stays as it was on every filesystem).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

# fs1: quota on, qgroups, relations, limits, and enough shared extents
# for a rescan that runs for a while
make_loop 1G
dev1=$LOOP_DEV
mkfs.btrfs -q -f "$dev1" >/dev/null || fail "mkfs 1"
m1=$TEST_TMP/m1
mount_fs "$dev1" "$m1"
# fs2: quota never enabled; fs3: simple quotas
make_loop 300M
dev2=$LOOP_DEV
mkfs.btrfs -q -f "$dev2" >/dev/null || fail "mkfs 2"
m2=$TEST_TMP/m2
mount_fs "$dev2" "$m2"
make_loop 300M
dev3=$LOOP_DEV
mkfs.btrfs -q -f "$dev3" >/dev/null || fail "mkfs 3"
m3=$TEST_TMP/m3
mount_fs "$dev3" "$m3"
# a read-only bind mount of fs1
ro=$TEST_TMP/ro
mkdir -p "$ro"
mount --bind "$m1" "$ro" || fail "bind"
TEST_MOUNTS+=("$ro")
mount -o remount,ro,bind "$ro" || fail "remount ro"
# the unprivileged user must reach the mount points
chmod 755 "$TEST_TMP"

btrfs quota enable "$m1" || fail "quota enable"
btrfs subvolume create "$m1/a" >/dev/null
python3 - "$m1/a/frag" <<'PY' || fail "fragmented file"
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644)
block = os.urandom(4096)
for i in range(60000):
    os.pwrite(fd, block, i * 8192)
os.close(fd)
PY
sync
for i in 1 2 3 4 5 6 7 8; do
	btrfs subvolume snapshot "$m1/a" "$m1/s$i" >/dev/null
done
btrfs qgroup create 1/1 "$m1" || fail "create"
btrfs qgroup create 2/1 "$m1" || fail "create"
btrfs qgroup assign --no-rescan 0/256 1/1 "$m1" 2>/dev/null
btrfs qgroup assign --no-rescan 1/1 2/1 "$m1" 2>/dev/null
btrfs qgroup limit 1G 1/1 "$m1" || fail "limit"
btrfs quota rescan -w "$m1" >/dev/null || fail "rescan"
"$QGTOP" quota enable --simple --yes "$m3" >/dev/null || fail "simple quota enable"
cfg="$TEST_TMP/good.qgroups"
printf 'qgtop-qgroups 1\nqgroup 1/1\nqgroup 1/5\nend\n' > "$cfg"

state() {
	local m
	for m in "$m1" "$m2" "$m3"; do
		echo "== $m"
		btrfs qgroup show -pcre --raw --sync "$m" 2>&1
	done
}
# the configuration part only, for cases where a rescan moves the numbers
# (grep -a: btrfs-progs 6.2 prints a NUL in its path column)
state_config() {
	local m
	for m in "$m1" "$m2" "$m3"; do
		echo "== $m"
		btrfs qgroup show -pcre --raw "$m" 2>&1 | grep -av '^WARNING' |
			awk '{ print $1, $4, $5, $6, $7 }'
	done
}
rescan_running() {
	btrfs quota rescan -s "$m1" 2>/dev/null | grep -q "operation running"
}
wait_rescan() {
	local i
	for ((i = 0; i < 600; i++)); do
		rescan_running || return 0
		sleep 0.1
	done
	fail "rescan did not finish"
}

state > "$TEST_TMP/state.orig"
n=0
# expect RC REGEX CMD...: exit code, one stderr line matching REGEX,
# nothing changed
expect() {
	local rc=$1 re=$2 got
	shift 2
	n=$((n + 1))
	"$@" > "$TEST_TMP/out" 2> "$TEST_TMP/err"
	got=$?
	[ "$got" = "$rc" ] || fail "case $n ($*): exit $got, want $rc; stderr: $(cat "$TEST_TMP/err")"
	[ "$(wc -l < "$TEST_TMP/err")" = 1 ] ||
		fail "case $n ($*): stderr is not one line: $(cat "$TEST_TMP/err")"
	grep -qE "^qgtop: .*$re" "$TEST_TMP/err" ||
		fail "case $n ($*): message '$(cat "$TEST_TMP/err")' does not match '$re'"
	if [ "${NUMBERS_MOVE:-}" ]; then
		state_config | diff "$TEST_TMP/config.orig" - >&2 || fail "case $n ($*) changed something"
	else
		state | diff "$TEST_TMP/state.orig" - >&2 || fail "case $n ($*) changed something"
	fi
}
Q=$QGTOP
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" "$@"; }

# usage and bad input: 2
expect 2 "subcommand" "$Q" qgroup
expect 2 "unknown qgroup subcommand 'bogus'" "$Q" qgroup bogus "$m1"
expect 2 "subcommand" "$Q" quota
expect 2 "unknown quota subcommand" "$Q" quota toggle "$m1"
expect 2 "takes 2 arguments" "$Q" qgroup create 1/5
expect 2 "takes 3 arguments" "$Q" qgroup assign 0/256 1/1
expect 2 "unrecognized option" "$Q" qgroup create --bogus 1/5 "$m1"
expect 2 "does not apply" "$Q" qgroup create --force 1/5 "$m1"
expect 2 "does not apply" "$Q" quota disable --simple "$m1"
expect 2 "does not apply" "$Q" quota enable --save x "$m1"
expect 2 "restore takes a FILE and a PATH" "$Q" restore "$cfg"
expect 2 "invalid qgroup id 'x/y'" "$Q" qgroup create x/y "$m1"
expect 2 "invalid qgroup id '1/'" "$Q" qgroup destroy 1/ "$m1"
expect 2 "invalid qgroup id '65536/1'" "$Q" qgroup create 65536/1 "$m1"
expect 2 "invalid qgroup id 'abc'" "$Q" qgroup assign abc 1/1 "$m1"
expect 2 "invalid qgroup id '1/1x'" "$Q" qgroup assign 0/256 1/1x "$m1"
expect 2 "invalid qgroup id 'one'" "$Q" qgroup limit 1M one "$m1"
expect 2 "lower level" "$Q" qgroup assign 1/1 0/256 "$m1"
expect 2 "lower level" "$Q" qgroup remove 1/1 1/2 "$m1"
expect 2 "invalid size '10Q'" "$Q" qgroup limit 10Q 1/1 "$m1"
expect 2 "invalid size ''" "$Q" qgroup limit "" 1/1 "$m1"
expect 2 "invalid size '99999999999999999999'" "$Q" qgroup limit 99999999999999999999 1/1 "$m1"
expect 2 "invalid size '1.5.5G'" "$Q" qgroup limit 1.5.5G 1/1 "$m1"
expect 2 "unrecognized option" "$Q" qgroup limit -5 1/1 "$m1"
# the size grammar: integers only, a fraction only with a suffix and only for
# whole bytes; nothing that could round to another limit (or to 0, which
# would block every write) is taken
for bad in 16E 18446744073709551615 18446744073709551616 99999999999999999999G -0 0.4 \
	1e-9 1e9 0x10 nan inf 1.1K 1. .5G " 1G" "1G " 1GB2 5M5; do
	expect 2 "invalid size '$bad': " "$Q" qgroup limit -- "$bad" 1/1 "$m1"
done
expect 2 "permanent incompatible feature flag.*--yes" "$Q" quota enable --simple "$m2"
expect 2 "cannot open /nonexistent/x" "$Q" qgroup create 1/5 /nonexistent/x
expect 2 "cannot open /nonexistent/x" "$Q" quota disable /nonexistent/x
expect 2 "cannot open /nonexistent/x" "$Q" restore "$cfg" /nonexistent/x
expect 2 "$TEST_TMP is not on a btrfs" "$Q" qgroup limit 1M 1/1 "$TEST_TMP"
expect 2 "$TEST_TMP is not on a btrfs" "$Q" quota enable "$TEST_TMP"
expect 2 "$TEST_TMP is not on a btrfs" "$Q" qgroup clear-stale "$TEST_TMP"
expect 2 "cannot read /nonexistent.qgroups" "$Q" restore /nonexistent.qgroups "$m1"
printf 'qgtop-qgroups 1\nqgroup 1/1\nrelation 1/1 0/5\nend\n' > "$TEST_TMP/bad.qgroups"
expect 2 "bad.qgroups:3: relation names a qgroup not declared" \
	"$Q" restore "$TEST_TMP/bad.qgroups" "$m1"
printf 'qgtop-qgroups 1\nqgroup 1/1\n' > "$TEST_TMP/cut.qgroups"
expect 2 "cut.qgroups:3: missing 'end'" "$Q" restore "$TEST_TMP/cut.qgroups" "$m1"
# kernel answers for bad input
expect 2 "cannot create qgroup 1/1: already exists" "$Q" qgroup create 1/1 "$m1"
expect 2 "cannot destroy qgroup 1/99: no such qgroup" "$Q" qgroup destroy 1/99 "$m1"
expect 2 "cannot limit qgroup 1/99: no such qgroup" "$Q" qgroup limit 1M 1/99 "$m1"
expect 2 "cannot assign 0/999 to 1/1: no such qgroup 0/999" "$Q" qgroup assign 0/999 1/1 "$m1"
expect 2 "cannot assign 0/256 to 1/9: no such qgroup 1/9" "$Q" qgroup assign 0/256 1/9 "$m1"
expect 2 "cannot assign 0/256 to 1/1: 0/256 is already a member of 1/1" \
	"$Q" qgroup assign 0/256 1/1 "$m1"
expect 2 "cannot remove 0/257 from 1/1: 0/257 is not a member of 1/1" \
	"$Q" qgroup remove 0/257 1/1 "$m1"
expect 2 "cannot create qgroup 0/999" "$Q" qgroup create 0/999 "$m1"
# the save fails: quota stays enabled
expect 2 "cannot save the qgroup configuration to $TEST_TMP/no/dir/x: .*quota stays enabled" \
	"$Q" quota disable --save "$TEST_TMP/no/dir/x" "$m1"
expect 2 "cannot save.*quota stays enabled" "$Q" quota disable --save /proc/version "$m1"

# quota state: 4
expect 4 "cannot create qgroup 1/5: quota is not enabled on $m2" "$Q" qgroup create 1/5 "$m2"
expect 4 "quota is not enabled" "$Q" qgroup destroy 1/5 "$m2"
expect 4 "quota is not enabled" "$Q" qgroup assign 0/5 1/5 "$m2"
expect 4 "quota is not enabled" "$Q" qgroup remove 0/5 1/5 "$m2"
expect 4 "quota is not enabled" "$Q" qgroup limit 1M 0/5 "$m2"
expect 4 "quota is not enabled" "$Q" qgroup clear-stale "$m2"
expect 4 "cannot disable quota: quota is not enabled" "$Q" quota disable "$m2"
expect 4 "cannot restore: quota is not enabled" "$Q" restore "$cfg" "$m2"
expect 4 "destroy qgroup 1/1: busy" "$Q" qgroup destroy 1/1 "$m1"
expect 4 "already has simple quotas enabled" "$Q" quota enable "$m3"
expect 4 "already has full quota accounting enabled" "$Q" quota enable --simple --yes "$m1"

# permission: 3 (not root)
expect 3 "cannot create qgroup 1/5: permission denied" nobody qgroup create 1/5 "$m1"
expect 3 "permission denied" nobody qgroup destroy 1/1 "$m1"
expect 3 "permission denied" nobody qgroup assign 0/256 1/5 "$m1"
expect 3 "permission denied" nobody qgroup remove 0/256 1/1 "$m1"
expect 3 "permission denied" nobody qgroup limit none 1/1 "$m1"
expect 3 "permission denied" nobody qgroup clear-stale "$m1"
expect 3 "cannot disable quota: permission denied" nobody quota disable "$m1"
expect 3 "cannot enable quota: permission denied" nobody quota enable "$m2"
expect 3 "permission denied" nobody restore "$cfg" "$m1"
# read-only mount: 3
expect 3 "cannot create qgroup 1/5: $ro is on a read-only mount" "$Q" qgroup create 1/5 "$ro"
expect 3 "read-only" "$Q" qgroup destroy 1/1 "$ro"
expect 3 "read-only" "$Q" qgroup assign 0/256 1/5 "$ro"
expect 3 "read-only" "$Q" qgroup remove 0/256 1/1 "$ro"
expect 3 "read-only" "$Q" qgroup limit 5G 1/1 "$ro"
expect 3 "read-only" "$Q" qgroup clear-stale "$ro"
expect 3 "cannot disable quota: $ro is on a read-only mount" "$Q" quota disable "$ro"
expect 3 "read-only" "$Q" restore "$cfg" "$ro"
[ -z "$(ls /var/lib/qgtop 2>/dev/null | grep "$(findmnt -no UUID "$m1" 2>/dev/null || echo none)")" ] ||
	fail "a refused disable left a save file behind"

# a rescan is running: assign/remove refused (4), nothing changed
state_config > "$TEST_TMP/config.orig"
NUMBERS_MOVE=1
tries=0
while :; do
	btrfs quota rescan "$m1" >/dev/null || fail "start rescan"
	rescan_running || fail "the rescan finished at once: test fs too small"
	expect 4 "rescan is running on $m1: assigning now can leave wrong totals.*--force" \
		"$Q" qgroup assign 0/257 1/1 "$m1"
	expect 4 "rescan is running.*removing" "$Q" qgroup remove 0/256 1/1 "$m1"
	expect 4 "cannot restore: a quota rescan is running" "$Q" restore --no-wait "$cfg" "$m1"
	rescan_running && break
	# the scan ended during the checks: they may not have seen it
	tries=$((tries + 1))
	[ $tries -lt 3 ] || fail "rescan too short to test the guard"
done
wait_rescan

# restore waits for a running rescan; SIGINT ends the wait (130) with
# nothing restored, and the scan goes on
btrfs quota rescan "$m1" >/dev/null || fail "start rescan"
"$QGTOP" restore "$cfg" "$m1" > "$TEST_TMP/out" 2> "$TEST_TMP/err" &
pid=$!
sleep 0.3
rescan_running || fail "rescan too short to test an interrupted wait"
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "interrupted restore exited $rc: $(cat "$TEST_TMP/err")"
grep -q "waiting for the running rescan" "$TEST_TMP/out" || fail "restore did not say it waits"
[ "$(wc -l < "$TEST_TMP/err")" = 1 ] && grep -q "^qgtop: interrupted while waiting" \
	"$TEST_TMP/err" || fail "interrupted message: $(cat "$TEST_TMP/err")"
state_config | diff "$TEST_TMP/config.orig" - >&2 || fail "interrupted restore changed something"
wait_rescan
NUMBERS_MOVE=
echo "$n error cases checked"

# --force during a rescan: the assign is done, qgtop waits for that scan
# and rescans again, so the parent totals end up right (the kernel alone
# would clear the inconsistent flag with wrong totals)
btrfs quota rescan "$m1" >/dev/null || fail "start rescan"
rescan_running || fail "rescan finished at once"
"$QGTOP" qgroup assign --force 0/257 1/1 "$m1" > "$TEST_TMP/out" 2>&1 ||
	fail "forced assign: $(cat "$TEST_TMP/out")"
grep -q "waiting for the running rescan to finish" "$TEST_TMP/out" ||
	fail "forced assign did not wait: $(cat "$TEST_TMP/out")"
grep -q "rescan started" "$TEST_TMP/out" || fail "forced assign did not rescan again"
wait_rescan
btrfs qgroup show -pcre --raw --sync "$m1" > "$TEST_TMP/forced"
btrfs quota rescan -w "$m1" >/dev/null
btrfs qgroup show -pcre --raw --sync "$m1" > "$TEST_TMP/fresh"
diff "$TEST_TMP/forced" "$TEST_TMP/fresh" >&2 || fail "totals after a forced assign are wrong"

# cancelling a rescan by disabling quota: saved first, and enable +
# restore (which waits for the enable's own rescan) gives it all back
config1() {
	btrfs qgroup show -pcre --raw "$m1" | grep -av '^WARNING' |
		awk 'NR > 2 { print $1, $4, $5, $6, $7 }' | sort
}
config1 > "$TEST_TMP/cancel.before"
btrfs quota rescan "$m1" >/dev/null || fail "start rescan"
rescan_running || fail "rescan finished at once"
"$QGTOP" quota disable --save "$TEST_TMP/cancel.qgroups" "$m1" > "$TEST_TMP/out" 2>&1 ||
	fail "disable during a rescan: $(cat "$TEST_TMP/out")"
grep -q "the running rescan was stopped" "$TEST_TMP/out" || fail "disable did not say it stopped the scan"
tail -1 "$TEST_TMP/cancel.qgroups" | grep -qx end || fail "save file incomplete"
"$QGTOP" quota enable "$m1" >/dev/null || fail "re-enable"
"$QGTOP" restore "$TEST_TMP/cancel.qgroups" "$m1" > "$TEST_TMP/out" 2>&1 ||
	fail "restore after cancel: $(cat "$TEST_TMP/out")"
wait_rescan
config1 | diff "$TEST_TMP/cancel.before" - >&2 || fail "configuration differs after cancel + restore"
exit 0
