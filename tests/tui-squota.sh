#!/bin/bash
# tests/tui-squota.sh - the curses frontend on a filesystem with simple
# quotas, driven in tmux: the header says "simple", r is refused with the
# reason; the qgroup of a deleted subvolume whose extents a snapshot still
# uses is flagged S (stale), C asks y/N and reports the kernel's refusal,
# and destroys it once the snapshot is gone.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

MNT=$TEST_TMP/mnt
make_loop 1G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mount_fs "$LOOP_DEV" "$MNT" commit=1	# the cleaner drops deleted subvolumes sooner
"$QGTOP" quota enable --simple --yes "$MNT" >/dev/null 2>&1 ||
	{ echo "SKIP: this kernel has no simple quotas" >&2; exit 77; }
btrfs subvolume create "$MNT/x" >/dev/null
head -c 2M /dev/urandom > "$MNT/x/data"
btrfs subvolume snapshot "$MNT/x" "$MNT/x-snap" >/dev/null
sync
x=$(btrfs subvolume list "$MNT" | awk '$NF == "x" {print $2}')
btrfs subvolume delete "$MNT/x" >/dev/null
btrfs subvolume sync "$MNT" >/dev/null
sync
btrfs qgroup show --raw "$MNT" 2>/dev/null | awk '{print $1}' | grep -qx "0/$x" ||
	{ echo "SKIP: the kernel dropped the stale qgroup itself" >&2; exit 77; }

tui_start 160 30 "$MNT"
tui_wait "quota: simple"
tui_keys r
tui_wait "r: simple quotas are exact and have no rescan"
tui_wait "^S +0/$x \\(stale\\)"

# still charged: the kernel refuses, and says so
tui_keys C
tui_wait "Destroy 1 stale qgroup"
tui_keys y
tui_wait "0 stale qgroups destroyed; 1 qgroup refused by the kernel"
btrfs qgroup show --raw "$MNT" | awk '{print $1}' | grep -qx "0/$x" || fail "0/$x went away"

# once the snapshot is gone too, C destroys it
btrfs subvolume delete "$MNT/x-snap" >/dev/null
btrfs subvolume sync "$MNT" >/dev/null
sync
if btrfs qgroup show --raw "$MNT" | awk '{print $1}' | grep -qx "0/$x"; then
	# read again (F) until the TUI shows it stale: the kernel keeps it
	tui_keys F
	tui_keys C
	tui_wait "Destroy [0-9]+ stale qgroup"
	tui_keys y
	tui_wait "^1 stale qgroup destroyed *$"
	btrfs qgroup show --raw "$MNT" | awk '{print $1}' | grep -qx "0/$x" &&
		fail "0/$x still there after C"
	tui_until '! tui_cap | grep -q "0/$x "' 10	# gone with the next refresh
fi
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
echo PASS
