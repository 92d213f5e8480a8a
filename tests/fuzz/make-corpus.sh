#!/bin/bash
# make-corpus.sh - (re)build the fuzz seeds in tests/fuzz/corpus from tiny
# kernel-made filesystems (root, loop devices): quota on, a subvolume, a
# snapshot, a few files, a level-1 qgroup, 4 KiB nodes (larger nodes make seeds too big).
set -u
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
QGTOP=${QGTOP:-true}
. "$TOP_SRCDIR/tests/lib.sh"
need_root_loop
M=$TEST_TMP/mnt
for opts in "-n 4096 -m single"; do
	make_loop 128M
	mkfs.btrfs -q -f $opts "$LOOP_DEV" >/dev/null || fail mkfs
	mount_fs "$LOOP_DEV" "$M"
	btrfs quota enable "$M"
	btrfs subvolume create "$M/a" >/dev/null
	for i in 1 2 3; do echo "inline $i" >"$M/a/i$i"; head -c 20000 /dev/zero >"$M/a/z$i"; done
	btrfs subvolume snapshot "$M/a" "$M/s" >/dev/null
	echo more >"$M/s/new"
	btrfs qgroup create 1/1 "$M" && btrfs qgroup assign 0/256 1/1 "$M" >/dev/null 2>&1
	btrfs quota rescan -w "$M" >/dev/null
	umount_fs "$M"
	name=seed${opts// /}
	python3 "$TOP_SRCDIR/tests/fuzz/make-seeds.py" "$LOOP_IMG" "$TOP_SRCDIR/tests/fuzz/corpus/${name//-/}"
	losetup -d "$LOOP_DEV"
done
ls -l "$TOP_SRCDIR/tests/fuzz/corpus"
