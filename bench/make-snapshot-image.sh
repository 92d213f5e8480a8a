#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/make-snapshot-image.sh - build a snapshot-heavy btrfs image, the
# layout snapper, btrbk and timeshift leave behind: one subvolume `vol` of
# FILES small files, then SNAPS snapshots of it with CHANGES files rewritten
# between two snapshots, every third snapshot read-only; quotas enabled and
# a full rescan done, so the image's stored numbers are the kernel's.
# Needs root and loop devices; the image is kept for the benchmarks.
#
#   bench/make-snapshot-image.sh IMAGE SNAPS [FILES [CHANGES [NODESIZE [SIZE]]]]
#
# Defaults: FILES 20000, CHANGES 20, NODESIZE 16384, SIZE 20G (sparse).
# 1000 snapshots take a few minutes; 10000 (use NODESIZE 4096) about an hour.
set -eu
img=$1 snaps=$2 files=${3:-20000} changes=${4:-20} nodesize=${5:-16384} size=${6:-20G}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
[ ! -e "$img" ] || { echo "$img exists" >&2; exit 2; }
mnt=$(mktemp -d "${TMPDIR:-/tmp}/qgtop-snapimg.XXXXXX")
loop=
cleanup() {
	mountpoint -q "$mnt" && umount "$mnt"
	[ -n "$loop" ] && losetup -d "$loop"
	rmdir "$mnt"
}
trap cleanup EXIT
truncate -s "$size" "$img"
loop=$(losetup -f --show "$img")
mkfs.btrfs -q -f -n "$nodesize" "$loop" >/dev/null
mount "$loop" "$mnt"
btrfs subvolume create "$mnt/vol" >/dev/null
python3 - "$mnt/vol" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for d in range(n // 1000 + 1):
    os.mkdir(f"{root}/d{d}")
for i in range(n):
    with open(f"{root}/d{i // 1000}/f{i}", "wb") as f:
        f.write(os.urandom(4096 if i % 4 else 12288))
PY
t0=$(date +%s)
for s in $(seq 1 "$snaps"); do
	ro=
	[ $((s % 3)) = 0 ] && ro=-r
	btrfs subvolume snapshot $ro "$mnt/vol" "$mnt/snap$s" >/dev/null
	python3 - "$mnt/vol" "$files" "$changes" "$s" <<'PY'
import os, random, sys
root, n, c, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
r = random.Random(s)
for _ in range(c):
    i = r.randrange(n)
    with open(f"{root}/d{i // 1000}/f{i}", "wb") as f:
        f.write(os.urandom(4096))
PY
	[ $((s % 500)) = 0 ] && echo "$s snapshots, $(( $(date +%s) - t0 )) s" && sync
done
sync
btrfs quota enable "$mnt"
btrfs quota rescan -w "$mnt" >/dev/null 2>&1 || true	# the one quota enable started
btrfs quota rescan -w "$mnt" >/dev/null
sync
btrfs filesystem df -b "$mnt" | grep -i metadata
echo "built $img: $snaps snapshots of $files files, $changes changes each, nodesize $nodesize"
