#!/bin/bash
# tests/make-demo-image.sh IMAGE - build a small btrfs image with quotas:
# subvolumes, snapshots, a reflink, level-1 and level-2 qgroups with
# several parents and limits, then a finished rescan. Needs root and loop
# devices; leaves IMAGE unmounted. Used by the demo and by tests.
set -euo pipefail
img=$1
mnt=$(mktemp -d /tmp/qgtop-demo.XXXXXX)
cleanup() { umount "$mnt" 2>/dev/null || true; rmdir "$mnt" 2>/dev/null || true; }
trap cleanup EXIT
rm -f "$img"
truncate -s 512M "$img"
mkfs.btrfs -q -L qgtop-demo "$img" >/dev/null
mount -o loop "$img" "$mnt"
btrfs quota enable "$mnt"
btrfs subvolume create "$mnt/home" >/dev/null
btrfs subvolume create "$mnt/www" >/dev/null
btrfs subvolume create "$mnt/db" >/dev/null
head -c 1M /dev/urandom > "$mnt/home/photos.bin"
for i in $(seq 1 40); do echo "note $i" > "$mnt/home/note$i.txt"; done
head -c 512K /dev/urandom > "$mnt/www/site.tar"
head -c 1M /dev/urandom > "$mnt/db/table.dat"
mkdir -p "$mnt/.snapshots"
btrfs subvolume snapshot -r "$mnt/home" "$mnt/.snapshots/home-1" >/dev/null
head -c 256K /dev/urandom > "$mnt/home/new.bin"
dd if=/dev/urandom of="$mnt/db/table.dat" bs=16K count=8 conv=notrunc status=none
btrfs subvolume snapshot -r "$mnt/home" "$mnt/.snapshots/home-2" >/dev/null
btrfs subvolume snapshot -r "$mnt/db" "$mnt/.snapshots/db-1" >/dev/null
cp --reflink=always "$mnt/db/table.dat" "$mnt/www/table-copy.dat"
sync
btrfs qgroup create 1/100 "$mnt"
btrfs qgroup create 1/200 "$mnt"
btrfs qgroup create 2/1 "$mnt"
for id in $(btrfs subvolume list "$mnt" | awk '$NF ~ /home/ {print $2}'); do
	btrfs qgroup assign --no-rescan "0/$id" 1/100 "$mnt" 2>/dev/null || true
done
dbid=$(btrfs subvolume list "$mnt" | awk '$NF == "db" {print $2}')
wwwid=$(btrfs subvolume list "$mnt" | awk '$NF == "www" {print $2}')
btrfs qgroup assign --no-rescan "0/$dbid" 1/200 "$mnt" 2>/dev/null || true
btrfs qgroup assign --no-rescan "0/$wwwid" 1/200 "$mnt" 2>/dev/null || true
btrfs qgroup assign --no-rescan "0/$dbid" 1/100 "$mnt" 2>/dev/null || true
btrfs qgroup assign --no-rescan 1/100 2/1 "$mnt" 2>/dev/null || true
btrfs qgroup assign --no-rescan 1/200 2/1 "$mnt" 2>/dev/null || true
btrfs qgroup limit 4M 1/100 "$mnt"
btrfs qgroup limit -e 2M "0/$dbid" "$mnt"
btrfs qgroup limit 3M "0/$wwwid" "$mnt"
btrfs quota rescan -w "$mnt" >/dev/null
sync
