#!/bin/bash
# tests/tui-offline-diff.sh - qgtop --image on an image whose stored qgroup
# numbers are wrong (a relation added with --no-rescan, then unmounted):
# the row is flagged "*" (not only coloured) and the stored column shows
# the old number beside the computed one, which equals the kernel's after
# a rescan.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

MNT=$TEST_TMP/mnt
make_loop 300M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mount_fs "$LOOP_DEV" "$MNT"
btrfs quota enable "$MNT" || fail "quota enable"
btrfs subvolume create "$MNT/data" >/dev/null
head -c 2M /dev/urandom > "$MNT/data/blob"
# a snapshot shares the data: an assign can then not be accounted quickly
btrfs subvolume snapshot -r "$MNT/data" "$MNT/snap" >/dev/null
head -c 1M /dev/urandom > "$MNT/data/more"
sync
btrfs quota rescan -w "$MNT" >/dev/null
btrfs qgroup create 1/100 "$MNT"
id=$(btrfs subvolume list "$MNT" | awk '$NF == "data" {print $2}')
sid=$(btrfs subvolume list "$MNT" | awk '$NF == "snap" {print $2}')
# the kernel marks the numbers inconsistent and leaves 1/100 behind
btrfs qgroup assign --no-rescan "0/$id" 1/100 "$MNT" 2>/dev/null
btrfs qgroup assign --no-rescan "0/$sid" 1/100 "$MNT" 2>/dev/null
sync
stored=$(btrfs qgroup show --raw "$MNT" | awk '$1 == "1/100" {print $2}')
umount_fs "$MNT"
cp --sparse=always "$LOOP_IMG" "$TEST_TMP/wrong.img" || fail "copy"
# what the kernel says after a rescan, for the computed column
mount_fs "$LOOP_DEV" "$MNT"
btrfs quota rescan -w "$MNT" >/dev/null
kernel=$(btrfs qgroup show --raw --sync "$MNT" | awk '$1 == "1/100" {print $2}')
umount_fs "$MNT"
[ "$stored" != "$kernel" ] || fail "setup: the stored 1/100 numbers are not wrong ($stored)"

tui_start 160 30 --image "$TEST_TMP/wrong.img"
tui_wait "INCONSISTENT"
tui_wait " 1/100"
tui_keys f u u
tui_wait "units: raw"
row=$(tui_cap | grep -E "^\\* +1/100 ")
[ -n "$row" ] || { tui_cap >&2; fail "1/100 not flagged * (differs)"; }
# flag, id, computed rfer, stored rfer, ... (no globbing of the "*")
read -r -a f <<< "$row"
set -- "${f[@]}"
[ "$3" = "$kernel" ] || fail "computed referenced $3, the kernel's rescan says $kernel"
[ "$4" = "$stored" ] || fail "stored referenced $4, the filesystem stored $stored"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
echo PASS
