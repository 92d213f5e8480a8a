#!/bin/bash
# make-offline-images.sh - (re)build the small btrfs images in tests/data
# with the real kernel (root, loop devices), each with the kernel's numbers
# after a full rescan (NAME.kernel: "qgroupid rfer excl" lines), xz-compressed.
# Usage: TOP_SRCDIR=... tests/data/make-offline-images.sh
set -u
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
QGTOP=${QGTOP:-true}
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
need_root_loop
export FILL_COMPRESSIBLE=1
OUT=$TOP_SRCDIR/tests/data
M=$TEST_TMP/mnt

build() {
	local name=$1 opts=$2
	make_loop 128M
	mkfs.btrfs -q -f $opts "$LOOP_DEV" >/dev/null || fail "mkfs $opts"
	mount_fs "$LOOP_DEV" "$M"
	btrfs quota enable "$M" || fail "quota enable"
	populate "$M"
	btrfs qgroup create 1/10 "$M"
	btrfs qgroup create 2/10 "$M"
	btrfs qgroup assign --no-rescan 0/256 1/10 "$M" 2>/dev/null
	btrfs qgroup assign --no-rescan 0/258 1/10 "$M" 2>/dev/null
	btrfs qgroup assign --no-rescan 1/10 2/10 "$M" 2>/dev/null
	btrfs qgroup assign --no-rescan 0/257 2/10 "$M" 2>/dev/null
	btrfs subvolume create "$M/gone" >/dev/null
	fill 200000 >"$M/gone/x"
	sync
	btrfs subvolume delete "$M/gone" >/dev/null
	btrfs subvolume sync "$M" >/dev/null
	kernel_numbers "$M" "$OUT/$name.kernel"
	umount_fs "$M"
	xz -9 -T1 -c "$LOOP_IMG" >"$OUT/$name.img.xz" || fail "xz"
	losetup -d "$LOOP_DEV"
	echo "$name: $(stat -c %s "$OUT/$name.img.xz") bytes, $(wc -l <"$OUT/$name.kernel") qgroups"
}

build basic-16k-crc32c ""
build n4k-xxhash "-n 4096 --csum xxhash"
