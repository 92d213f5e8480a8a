#!/bin/bash
# tests/admin-restore.sh - `qgtop quota disable` saves the whole qgroup
# configuration before the kernel deletes it; `quota enable` + `restore`
# gives back the same qgroups, relations and limits (compared with
# `btrfs qgroup show -pcre --raw` minus the numbers); restoring twice
# changes nothing; a deleted subvolume's qgroup is skipped; clear-stale
# with full quotas (6.18 may drop the qgroup itself) and simple quotas.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

make_loop 1G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mnt=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$mnt" commit=1	# the cleaner drops deleted subvolumes sooner
export QGTOP_SAVE_DIR=$TEST_TMP/saves/nested

config() {
	btrfs qgroup show -pcre --raw "$mnt" | awk 'NR > 2 { print $1, $4, $5, $6, $7 }' | sort
}
run() {
	"$QGTOP" "$@" > "$TEST_TMP/out" 2> "$TEST_TMP/err" || {
		cat "$TEST_TMP/out" "$TEST_TMP/err" >&2
		fail "qgtop $* exited $?"
	}
}
sid() { btrfs subvolume show "$mnt/$1" | awk '/Subvolume ID:/ {print $3}'; }

btrfs quota enable "$mnt" || fail "quota enable"
for v in a b c gone; do
	btrfs subvolume create "$mnt/$v" >/dev/null
	head -c 1M /dev/urandom > "$mnt/$v/data"
done
btrfs subvolume snapshot "$mnt/a" "$mnt/a-snap" >/dev/null
cp --reflink=always "$mnt/a/data" "$mnt/c/ref"
sync
a=$(sid a); b=$(sid b); c=$(sid c); g=$(sid gone); s=$(sid a-snap)
for q in 1/1 1/2 1/3 2/1 2/2 3/7; do
	btrfs qgroup create "$q" "$mnt" || fail "create $q"
done
as() { btrfs qgroup assign --no-rescan "$1" "$2" "$mnt" 2>/dev/null || fail "assign $1 $2"; }
as "0/$a" 1/1; as "0/$s" 1/1; as "0/$s" 1/2; as "0/$b" 1/2; as "0/$c" 1/3; as "0/$g" 1/3
as 1/1 2/1; as 1/2 2/1; as 1/2 2/2; as 1/3 2/2; as 2/1 3/7; as 2/2 3/7
btrfs qgroup limit 100M 1/1 "$mnt"
btrfs qgroup limit -e 20M 1/1 "$mnt"
btrfs qgroup limit -e 50M "0/$b" "$mnt"
btrfs qgroup limit 1G 3/7 "$mnt"
btrfs qgroup limit 7M "0/$g" "$mnt"
btrfs quota rescan -w "$mnt" >/dev/null || fail "rescan"
config > "$TEST_TMP/config.orig"
[ "$(wc -l < "$TEST_TMP/config.orig")" -eq 12 ] || fail "setup: $(cat "$TEST_TMP/config.orig")"

# disable with an explicit file
run quota disable --save "$TEST_TMP/explicit.qgroups" "$mnt"
grep -qx "saved the qgroup configuration to $TEST_TMP/explicit.qgroups" "$TEST_TMP/out" ||
	fail "disable did not say where it saved: $(cat "$TEST_TMP/out")"
grep -q "qgtop restore $TEST_TMP/explicit.qgroups $mnt" "$TEST_TMP/out" ||
	fail "disable did not print the restore command"
btrfs qgroup show "$mnt" >/dev/null 2>&1 && fail "quota still enabled after disable"
grep -q "^relation 2/2 3/7$" "$TEST_TMP/explicit.qgroups" || fail "saved file lacks a relation"
grep -q "^limit 1/1 flags=0x3 max_rfer=104857600 max_excl=20971520$" \
	"$TEST_TMP/explicit.qgroups" || fail "saved file lacks the 1/1 limits"

# enable, restore, compare
run quota enable "$mnt"
run restore "$TEST_TMP/explicit.qgroups" "$mnt"
grep -q "created 6 qgroups, added 12 relations" "$TEST_TMP/out" ||
	fail "restore summary: $(cat "$TEST_TMP/out")"
btrfs quota rescan -w "$mnt" >/dev/null 2>&1
config > "$TEST_TMP/config.restored"
diff "$TEST_TMP/config.orig" "$TEST_TMP/config.restored" >&2 ||
	fail "restored configuration differs"

# restoring again changes nothing and starts no rescan
run restore "$TEST_TMP/explicit.qgroups" "$mnt"
grep -q "created 0 qgroups, added 0 relations, changed the limits of 0 qgroups" \
	"$TEST_TMP/out" || fail "second restore was not a no-op: $(cat "$TEST_TMP/out")"
grep -q "rescan" "$TEST_TMP/out" && fail "second restore mentioned a rescan"
config | diff "$TEST_TMP/config.orig" - >&2 || fail "second restore changed something"

# the numbers after restore's rescan are the kernel's
btrfs qgroup show -pcre --raw --sync "$mnt" > "$TEST_TMP/num.before"
btrfs quota rescan -w "$mnt" >/dev/null
btrfs qgroup show -pcre --raw --sync "$mnt" > "$TEST_TMP/num.after"
diff "$TEST_TMP/num.before" "$TEST_TMP/num.after" >&2 || fail "numbers wrong after restore"

# disable to the default directory (created with parents), delete a
# subvolume, restore: its qgroup, relation and limit are skipped
run quota disable "$mnt"
saved=$(sed -n 's/^saved the qgroup configuration to //p' "$TEST_TMP/out")
case $saved in
"$QGTOP_SAVE_DIR"/*-*Z.qgroups) ;;
*) fail "default save path: '$saved'" ;;
esac
[ -s "$saved" ] || fail "default save file missing"
btrfs subvolume delete "$mnt/gone" >/dev/null
btrfs subvolume sync "$mnt" >/dev/null
run quota enable "$mnt"
run restore "$saved" "$mnt"
grep -qx "skipped qgroup 0/$g: its subvolume no longer exists" "$TEST_TMP/out" ||
	fail "restore did not report the gone subvolume: $(cat "$TEST_TMP/out")"
btrfs quota rescan -w "$mnt" >/dev/null 2>&1
grep -v "^0/$g " "$TEST_TMP/config.orig" | sed "s|,0/$g||; s|0/$g,||" > "$TEST_TMP/config.nogone"
config | diff "$TEST_TMP/config.nogone" - >&2 || fail "restore without the gone subvolume"

# restore --no-rescan on a fresh enable: says inconsistent, starts nothing
run quota disable --save "$TEST_TMP/third.qgroups" "$mnt"
run quota enable "$mnt"
btrfs quota rescan -w "$mnt" >/dev/null 2>&1
run restore --no-rescan "$TEST_TMP/third.qgroups" "$mnt"
grep -q "inconsistent" "$TEST_TMP/out" || fail "--no-rescan did not report inconsistency"
btrfs quota rescan -s "$mnt" | grep -q "no rescan" || fail "--no-rescan started a rescan"

# clear-stale, full quotas: the kernel may have dropped the qgroup of a
# deleted subvolume itself (6.18 does when its numbers reach zero)
btrfs quota rescan -w "$mnt" >/dev/null 2>&1
btrfs subvolume delete "$mnt/b" >/dev/null
btrfs subvolume sync "$mnt" >/dev/null
sync
run qgroup clear-stale "$mnt"
if btrfs qgroup show --raw "$mnt" | awk '{print $1}' | grep -qx "0/$b"; then
	fail "0/$b still there after clear-stale: $(cat "$TEST_TMP/out")"
fi
grep -qx "destroyed stale qgroup 0/$b" "$TEST_TMP/out" ||
	grep -qx "no stale qgroups on $mnt" "$TEST_TMP/out" || fail "clear-stale output"
run qgroup clear-stale "$mnt"
grep -qx "no stale qgroups on $mnt" "$TEST_TMP/out" || fail "second clear-stale"

# clear-stale, simple quotas: a deleted subvolume whose extents a snapshot
# still uses keeps a stale qgroup the kernel refuses to destroy; once the
# snapshot is gone too, clear-stale removes it
umount_fs "$mnt"
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs 2"
mount_fs "$LOOP_DEV" "$mnt" commit=1	# the cleaner drops deleted subvolumes sooner
run quota enable --simple --yes "$mnt"
btrfs subvolume create "$mnt/x" >/dev/null
head -c 2M /dev/urandom > "$mnt/x/data"
btrfs subvolume snapshot "$mnt/x" "$mnt/x-snap" >/dev/null
sync
x=$(sid x)
btrfs subvolume delete "$mnt/x" >/dev/null
btrfs subvolume sync "$mnt" >/dev/null
sync
if btrfs qgroup show --raw "$mnt" 2>/dev/null | awk '{print $1}' | grep -qx "0/$x"; then
	"$QGTOP" qgroup clear-stale "$mnt" > "$TEST_TMP/out" 2> "$TEST_TMP/err"
	rc=$?
	[ $rc = 4 ] || fail "clear-stale of a still-charged stale qgroup exited $rc"
	grep -q "cannot destroy stale qgroup 0/$x: the kernel still counts" "$TEST_TMP/err" ||
		fail "clear-stale EBUSY message: $(cat "$TEST_TMP/err")"
	btrfs subvolume delete "$mnt/x-snap" >/dev/null
	btrfs subvolume sync "$mnt" >/dev/null
	sync
	if btrfs qgroup show --raw "$mnt" | awk '{print $1}' | grep -qx "0/$x"; then
		run qgroup clear-stale "$mnt"
		grep -qx "destroyed stale qgroup 0/$x" "$TEST_TMP/out" || fail "squota clear-stale"
	fi
	btrfs qgroup show --raw "$mnt" | awk '{print $1}' | grep -qx "0/$x" &&
		fail "0/$x left after clear-stale"
else
	echo "note: the kernel removed 0/$x itself" >&2
fi
exit 0
