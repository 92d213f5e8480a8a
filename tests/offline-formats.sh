#!/bin/bash
# offline-formats.sh - qgtop scan equals the kernel's rescan for every
# checksum type (xxhash64, sha256, blake2b; crc32c is the default of the
# other tests), node sizes 8 KiB and 64 KiB, DUP data and metadata, and a
# two-device RAID1 scanned from both images.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
need_root_loop

M=$TEST_TMP/mnt
run_one() {
	local name=$1 mkfs_opts=$2
	make_loop 400M
	mkfs.btrfs -q -f $mkfs_opts "$LOOP_DEV" >/dev/null || fail "$name: mkfs $mkfs_opts"
	mount_fs "$LOOP_DEV" "$M"
	btrfs quota enable "$M" || fail "quota enable"
	populate "$M"
	kernel_numbers "$M" "$TEST_TMP/$name.kernel"
	umount_fs "$M"
	compare_kernel "$name" "$TEST_TMP/$name.kernel" "$LOOP_IMG"
	loop_detach "$LOOP_DEV"
}

run_one xxhash-64k-dup "--csum xxhash -n 65536 -m dup -d dup"
run_one sha256-8k "--csum sha256 -n 8192"
run_one blake2 "--csum blake2"

# two devices, RAID1 data and metadata
make_loop 400M
D1=$LOOP_DEV I1=$LOOP_IMG
make_loop 400M
D2=$LOOP_DEV I2=$LOOP_IMG
mkfs.btrfs -q -f -m raid1 -d raid1 "$D1" "$D2" >/dev/null || fail "mkfs raid1"
btrfs device scan "$D1" "$D2" >/dev/null 2>&1
mount_fs "$D1" "$M"
btrfs quota enable "$M" || fail "quota enable"
populate "$M"
kernel_numbers "$M" "$TEST_TMP/raid1.kernel"
umount_fs "$M"
compare_kernel raid1 "$TEST_TMP/raid1.kernel" "$I1" "$I2"
compare_kernel raid1-reversed "$TEST_TMP/raid1.kernel" "$I2" "$I1"
# one device missing: RAID1 has a mirror of every block, the scan still works
compare_kernel raid1-degraded "$TEST_TMP/raid1.kernel" "$I2"
