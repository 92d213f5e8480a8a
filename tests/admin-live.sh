#!/bin/bash
# tests/admin-live.sh - qgtop quota/qgroup administration on a loop-mounted
# btrfs (subvolumes, snapshots, reflinks, level-1/2 qgroups, several
# parents, limits): every change shows in `btrfs qgroup show --raw -pcre`,
# an assign of shared data starts a rescan, and --no-rescan only says so.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

make_loop 1G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mnt=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$mnt"

# the configuration columns of btrfs-progs: id, limits, parents, children
config() {
	btrfs qgroup show -pcre --raw "$mnt" | awk 'NR > 2 { print $1, $4, $5, $6, $7 }' | sort
}
# field of one qgroup: rfer excl max_rfer max_excl parent child
field() {
	btrfs qgroup show -pcre --raw "$mnt" | awk -v id="$1" -v f="$2" '$1 == id { print $f }'
}
run() {
	"$QGTOP" "$@" > "$TEST_TMP/out" 2> "$TEST_TMP/err" || {
		cat "$TEST_TMP/out" "$TEST_TMP/err" >&2
		fail "qgtop $* exited $?"
	}
}
wait_rescan() {
	local i
	for ((i = 0; i < 300; i++)); do
		btrfs quota rescan -s "$mnt" 2>/dev/null | grep -q "no rescan" && return 0
		sleep 0.1
	done
	fail "rescan did not finish"
}

run quota enable "$mnt"
grep -q "quota enabled" "$TEST_TMP/out" || fail "enable message"
uuid=$(btrfs filesystem show "$mnt" | awk '/uuid:/ { print $NF }')
sysq=/sys/fs/btrfs/$uuid/qgroups
[ "$(cat "$sysq/mode")" = qgroup ] || fail "quota not enabled in sysfs"
run quota enable "$mnt"
grep -q "already enabled" "$TEST_TMP/out" || fail "second enable is not 'already'"

btrfs subvolume create "$mnt/a" >/dev/null
btrfs subvolume create "$mnt/b" >/dev/null
head -c 3M /dev/urandom > "$mnt/a/f1"
head -c 1M /dev/urandom > "$mnt/b/f2"
btrfs subvolume snapshot "$mnt/a" "$mnt/snap" >/dev/null
cp --reflink=always "$mnt/a/f1" "$mnt/b/ref" || fail "reflink"
sync
wait_rescan
sid() { btrfs subvolume show "$mnt/$1" | awk '/Subvolume ID:/ {print $3}'; }
a=$(sid a); b=$(sid b); s=$(sid snap)

run qgroup create 1/10 "$mnt"
run qgroup create 1/20 "$mnt"
run qgroup create 2/1 "$mnt"
for q in 1/10 1/20 2/1; do
	[ "$(field $q 1)" = "$q" ] || fail "qgroup $q not created"
done

# a qgroup with extents shared with a snapshot: the kernel answers 1,
# qgtop starts the rescan itself, as btrfs-progs does
run qgroup assign "0/$a" 1/10 "$mnt"
grep -q "rescan started" "$TEST_TMP/out" || fail "assign of shared data did not start a rescan"
wait_rescan
# the snapshot goes to two parents; --no-rescan only warns
run qgroup assign --no-rescan "0/$s" 1/10 "$mnt"
grep -q "inconsistent" "$TEST_TMP/out" || fail "--no-rescan did not say inconsistent"
grep -q "rescan started" "$TEST_TMP/out" && fail "--no-rescan started a rescan"
[ "$(cat "$sysq/inconsistent")" = 1 ] ||
	echo "note: kernel did not mark inconsistent for 0/$s (no shared extents?)" >&2
run qgroup assign "$s" 1/20 "$mnt"	# plain subvolume id = 0/id
wait_rescan
run qgroup assign "0/$b" 1/20 "$mnt"
wait_rescan
run qgroup assign 1/10 2/1 "$mnt"
wait_rescan
run qgroup assign 1/20 2/1 "$mnt"
wait_rescan
[ "$(field "0/$s" 6)" = "1/10,1/20" ] || fail "0/$s parents: $(field "0/$s" 6)"
[ "$(field 1/10 7)" = "0/$a,0/$s" ] || fail "1/10 children: $(field 1/10 7)"
[ "$(field 2/1 7)" = "1/10,1/20" ] || fail "2/1 children: $(field 2/1 7)"

run qgroup limit 100M 1/10 "$mnt"
run qgroup limit -e 50m "0/$b" "$mnt"
run qgroup limit --exclusive 1G 2/1 "$mnt"
run qgroup limit 1.5g 2/1 "$mnt"
[ "$(field 1/10 4)" = 104857600 ] || fail "1/10 max_rfer $(field 1/10 4)"
[ "$(field "0/$b" 5)" = 52428800 ] || fail "0/$b max_excl $(field "0/$b" 5)"
[ "$(field 2/1 4) $(field 2/1 5)" = "1610612736 1073741824" ] ||
	fail "2/1 limits $(field 2/1 4) $(field 2/1 5)"
run qgroup limit none 2/1 "$mnt"
[ "$(field 2/1 4) $(field 2/1 5)" = "none 1073741824" ] || fail "limit none: $(field 2/1 4)"
run qgroup limit -e none 2/1 "$mnt"
[ "$(field 2/1 5)" = none ] || fail "limit -e none"

# the numbers after qgtop's rescans equal those of a fresh full rescan
btrfs qgroup show -pcre --raw "$mnt" > "$TEST_TMP/before"
btrfs quota rescan -w "$mnt" >/dev/null || fail "rescan -w"
btrfs qgroup show -pcre --raw --sync "$mnt" > "$TEST_TMP/after"
diff "$TEST_TMP/before" "$TEST_TMP/after" >&2 ||
	fail "numbers changed after a fresh rescan: qgtop's follow-up rescan missed something"

# remove and destroy
run qgroup remove "0/$s" 1/20 "$mnt"
wait_rescan
[ "$(field "0/$s" 6)" = 1/10 ] || fail "remove: parents $(field "0/$s" 6)"
run qgroup remove 1/20 2/1 "$mnt"
wait_rescan
run qgroup remove "0/$b" 1/20 "$mnt"
wait_rescan
run qgroup destroy 1/20 "$mnt"
[ -z "$(field 1/20 1)" ] || fail "1/20 not destroyed"
grep -q "destroyed qgroup 1/20" "$TEST_TMP/out" || fail "destroy message"

# a forced assign while a rescan runs: done, and rescanned again after it
run qgroup create 1/30 "$mnt"
btrfs quota rescan "$mnt" >/dev/null
run qgroup assign --force "0/$b" 1/30 "$mnt"
wait_rescan
[ "$(field "0/$b" 6)" = 1/30 ] || fail "forced assign: parents $(field "0/$b" 6)"
[ "$(field 1/30 2)" = "$(field "0/$b" 2)" ] || fail "1/30 rfer differs from its only member"
run qgroup --help
grep -q "clear-stale" "$TEST_TMP/out" || fail "qgroup --help"
for sub in create destroy assign remove limit clear-stale; do
	run qgroup "$sub" --help
	grep -q "Usage: qgtop qgroup" "$TEST_TMP/out" || fail "qgroup $sub --help"
done
run quota enable --help
run quota disable --help
run restore --help
grep -q "Usage: qgtop restore" "$TEST_TMP/out" || fail "restore --help"
exit 0
