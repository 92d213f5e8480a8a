#!/bin/bash
# make-corpus.sh - (re)build the fuzz seeds in tests/fuzz/corpus from tiny
# kernel-made filesystems (root, loop devices): quota on, a subvolume, a
# snapshot, a few files, a level-1 qgroup, a subvolume two directories
# deep, 4 KiB nodes (larger nodes make seeds too big). From the same
# image, with tests/make-crafted-image (run this from a build directory
# after `make tests/make-crafted-image`, or set CRAFT), the seeds for the
# structural checks: a tower of nodes sharing one child over the root,
# chunk and quota trees, and two directories each other's INODE_REF parent.
set -u
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$(pwd)}
CRAFT=${CRAFT:-$TOP_BUILDDIR/tests/make-crafted-image}
QGTOP=${QGTOP:-true}
. "$TOP_SRCDIR/tests/lib.sh"
need_root_loop
[ -x "$CRAFT" ] || fail "no $CRAFT: make tests/make-crafted-image, or set CRAFT"
M=$TEST_TMP/mnt
C=$TOP_SRCDIR/tests/fuzz/corpus
seed() {
	python3 "$TOP_SRCDIR/tests/fuzz/make-seeds.py" "$1" "$C/$2" || fail "make-seeds $2"
}
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
	mkdir -p "$M/d1/d2"
	btrfs subvolume create "$M/d1/d2/deep" >/dev/null
	d1=$(stat -c %i "$M/d1") d2=$(stat -c %i "$M/d1/d2")
	btrfs quota rescan -w "$M" >/dev/null
	umount_fs "$M"
	losetup -d "$LOOP_DEV"
	name=seed${opts// /}
	name=${name//-/}
	seed "$LOOP_IMG" "$name"
	for tree in root chunk quota; do
		cp --sparse=always "$LOOP_IMG" "$TEST_TMP/crafted.img"
		"$CRAFT" tower "$tree" "$TEST_TMP/crafted.img" >/dev/null || fail "tower $tree"
		seed "$TEST_TMP/crafted.img" "$name-tower-$tree"
	done
	cp --sparse=always "$LOOP_IMG" "$TEST_TMP/crafted.img"
	"$CRAFT" inode-ref "$TEST_TMP/crafted.img" 5 "$d1" "$d2" >/dev/null &&
		"$CRAFT" inode-ref "$TEST_TMP/crafted.img" 5 "$d2" "$d1" >/dev/null ||
		fail "inode-ref loop"
	seed "$TEST_TMP/crafted.img" "$name-inoderef-loop"
done
ls -l "$C"
