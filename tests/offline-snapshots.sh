#!/bin/bash
# offline-snapshots.sh - a snapshot-heavy filesystem as snapper or btrbk
# leave it (300 snapshots of one subvolume of 2,000 files, a few files
# changed between two snapshots, every third read-only): `qgtop scan` of
# the unmounted image equals the kernel's rescan for every qgroup, and the
# bytes freed by deleting 50 of the snapshots equal the exclusive of a
# level-1 qgroup that holds exactly them. The 1,000- and 10,000-snapshot
# versions are in bench/ (make-snapshot-image.sh).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
need_root_loop
M=$TEST_TMP/mnt
SNAPS=${SNAPS:-300}
make_loop 2G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mount_fs "$LOOP_DEV" "$M"
btrfs quota enable "$M" || fail "quota enable"
btrfs subvolume create "$M/vol" >/dev/null || fail "subvolume create"
perl -e 'my $d = shift; for my $i (1..2000) { open(my $h, ">", "$d/f$i") or die;
	print $h "v$i " x (400 + $i % 900); close $h }' "$M/vol" || fail "write files"
sync
for ((s = 1; s <= SNAPS; s++)); do
	ro=
	[ $((s % 3)) = 0 ] && ro=-r
	btrfs subvolume snapshot $ro "$M/vol" "$M/snap$s" >/dev/null || fail "snapshot $s"
	for i in 1 2 3; do
		head -c $((3000 + i * 1000)) /dev/urandom >"$M/vol/f$(((s * 7 + i * 131) % 2000 + 1))"
	done
done
btrfs qgroup create 1/50 "$M" || fail "qgroup create"
ids=
for ((s = 100; s < 150; s++)); do
	id=$(btrfs subvolume show "$M/snap$s" | awk '/Subvolume ID/ { print $3 }')
	btrfs qgroup assign --no-rescan "0/$id" 1/50 "$M" 2>/dev/null || fail "assign snap$s"
	ids=${ids:+$ids,}$id
done
kernel_numbers "$M" "$TEST_TMP/kernel"
umount_fs "$M"
[ "$(wc -l <"$TEST_TMP/kernel")" -ge $((SNAPS + 2)) ] || fail "expected $((SNAPS + 2)) qgroups"
compare_kernel snapshots "$TEST_TMP/kernel" "$LOOP_IMG"
freed=$("$QGTOP" scan --raw --freed "$ids" "$LOOP_IMG" | grep -o '[0-9]\+' | tail -1)
excl=$(awk '$1 == "1/50" { print $3 }' "$TEST_TMP/kernel")
[ -n "$freed" ] && [ "$freed" = "$excl" ] ||
	fail "freed by deleting snapshots 100-149: qgtop '$freed', exclusive of 1/50 '$excl'"
echo "ok: $SNAPS snapshots: every qgroup equal; freed by 50 of them = $freed bytes = 1/50's exclusive"
