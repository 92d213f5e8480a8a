#!/bin/bash
# offline-kernel.sh - qgtop scan equals the kernel's full rescan, byte for
# byte, on a filesystem with snapshots, reflinks, partial overwrites,
# prealloc, holes, compression, inline extents, level-1 and level-2 qgroups
# with several parents, and a deleted subvolume (stale qgroup).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
need_root_loop

make_loop 512M
mkfs.btrfs -q -f -n 4096 "$LOOP_DEV" >/dev/null || fail "mkfs"
M=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$M"
btrfs quota enable "$M" || fail "quota enable"
populate "$M"

# hierarchy: 1/1 = {a, snap1}, 1/2 = {snap1, b}, 1/3 = {b, b-snap}, 2/1 = {1/1, 1/2}, 2/2 = {1/2, 1/3}
id() { btrfs inspect-internal rootid "$M/$1"; }
A=$(id a) S1=$(id snap1) B=$(id b) BS=$(id b-snap)
for q in 1/1 1/2 1/3 2/1 2/2; do btrfs qgroup create "$q" "$M" || fail "create $q"; done
assign() { btrfs qgroup assign --no-rescan "$1" "$2" "$M" 2>/dev/null || true; }
assign "0/$A" 1/1; assign "0/$S1" 1/1; assign "0/$S1" 1/2; assign "0/$B" 1/2
assign "0/$B" 1/3; assign "0/$BS" 1/3
assign 1/1 2/1; assign 1/2 2/1; assign 1/2 2/2; assign 1/3 2/2
btrfs qgroup limit 100M "0/$A" "$M"

# a deleted subvolume: its qgroup stays (stale) with zero numbers
btrfs subvolume create "$M/gone" >/dev/null
head -c 300000 /dev/urandom >"$M/gone/x"
cp --reflink=always "$M/gone/x" "$M/a/from-gone"
btrfs subvolume delete "$M/gone" >/dev/null
btrfs subvolume sync "$M" >/dev/null
sync

kernel_numbers "$M" "$TEST_TMP/kernel"
umount_fs "$M"
compare_kernel mixed "$TEST_TMP/kernel" "$LOOP_IMG"

# the text table names the same qgroups and exits 0
"$QGTOP" scan --raw "$LOOP_IMG" >"$TEST_TMP/table" || fail "text scan exited $?"
grep -q "0/$A" "$TEST_TMP/table" || fail "text table lacks 0/$A"

# --freed: deleting b-snap frees exactly its exclusive bytes
excl=$(awk -v q="0/$BS" '$1 == q { print $3 }' "$TEST_TMP/kernel")
freed=$("$QGTOP" scan --json --freed "$BS" "$LOOP_IMG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["freed"])')
[ "$freed" = "$excl" ] || fail "--freed $BS gave $freed, exclusive is $excl"
# deleting a and snap1 together frees what 1/1 (exactly them) holds exclusively
ea=$(awk -v q="0/$A" '$1 == q { print $3 }' "$TEST_TMP/kernel")
es=$(awk -v q="0/$S1" '$1 == q { print $3 }' "$TEST_TMP/kernel")
e11=$(awk '$1 == "1/1" { print $3 }' "$TEST_TMP/kernel")
freed=$("$QGTOP" scan --json --freed "$A,$S1" "$LOOP_IMG" | python3 -c 'import json,sys; print(json.load(sys.stdin)["freed"])')
[ "$freed" = "$e11" ] || fail "--freed $A,$S1 gave $freed, exclusive of 1/1 is $e11"
[ "$freed" -ge $((ea + es)) ] || fail "--freed $A,$S1 = $freed below $ea + $es"

# a mounted image is refused with exit 2
mount_fs "$LOOP_DEV" "$M" ro
rc=0; "$QGTOP" scan "$LOOP_IMG" 2>"$TEST_TMP/err" || rc=$?
[ "$rc" = 2 ] || fail "scan of a mounted image exited $rc"
grep -q "mounted" "$TEST_TMP/err" || fail "no 'mounted' in: $(cat "$TEST_TMP/err")"
rc=0; "$QGTOP" scan "$LOOP_DEV" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "scan of a mounted device exited $rc"
umount_fs "$M"
echo "ok: freed, text table, mounted refusal"

# an inconsistent filesystem: a qgroup with shared extents assigned without
# a rescan leaves the stored numbers of 1/99 wrong; scan says so, exit 1
mount_fs "$LOOP_DEV" "$M"
btrfs qgroup create 1/99 "$M" || fail "create 1/99"
btrfs qgroup assign --no-rescan "0/$A" 1/99 "$M" >/dev/null 2>&1
sync
umount_fs "$M"
rc=0; "$QGTOP" scan --raw "$LOOP_IMG" >"$TEST_TMP/table" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "scan of an inconsistent fs exited $rc"
grep -q "inconsistent" "$TEST_TMP/table" || fail "no inconsistent warning: $(cat "$TEST_TMP/table")"
rc=0; "$QGTOP" scan --json "$LOOP_IMG" >"$TEST_TMP/inc.json" || rc=$?
[ "$rc" = 1 ] || fail "scan --json of an inconsistent fs exited $rc"
python3 - "$TEST_TMP/inc.json" "$(awk -v q="0/$A" '$1 == q { print $2 }' "$TEST_TMP/kernel")" <<'PY' || fail "1/99 not reported as a mismatch"
import json, sys
d = json.load(open(sys.argv[1]))
q = [q for q in d["qgroups"] if q["qgroupid"] == "1/99"][0]
assert d["quota"]["inconsistent"] is True, d["quota"]
assert q["mismatch"] is True, q
assert q["referenced"] == int(sys.argv[2]), (q, sys.argv[2])
PY
echo "ok: inconsistent filesystem reported, exit 1"
