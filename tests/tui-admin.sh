#!/bin/bash
# tests/tui-admin.sh - end-to-end test of the curses frontend's picker and
# administration keys on a real, loop-mounted btrfs, driven in tmux:
# the picker opens the chosen filesystem; c creates, + assigns, - removes,
# D (typed yes) destroys a qgroup, each checked with btrfs qgroup show;
# a running rescan paused with a, p, y remounts read-only and resumes after
# a read-write remount; X (typed yes) disables quotas after saving the
# configuration and Q enables them again; without root the keys are shown
# disabled.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

MNT=$TEST_TMP/mnt
tui_make_fs "$MNT"
uuid=$(btrfs filesystem show "$MNT" | sed -n 's/.*uuid: \([0-9a-f-]*\).*/\1/p')
[ -n "$uuid" ] || fail "no uuid"

parents_of() {
	btrfs qgroup show -p --raw "$MNT" | awk -v id="$1" '$1 == id {print $4}'
}

# 1. the picker lists our filesystem; Enter on it opens it
tui_start 200 40
tui_wait "choose a mounted btrfs filesystem"
tui_wait "$uuid"
for ((i = 0; i < 30; i++)); do
	tui_cap | grep -q "^>.*$uuid" && break
	tui_keys j
	sleep 0.1
done
tui_cap | grep -q "^>.*$uuid" || fail "cannot put the picker cursor on $uuid"
tui_keys Enter
tui_wait "$uuid  quota: full"
tui_wait "0/$WWWID www"

# 2. create 1/300 (the prompt starts with "1/")
tui_keys c
tui_wait "Create qgroup"
tui_keys 3 0 0 Enter
tui_wait "qgroup 1/300 created"
btrfs qgroup show --raw "$MNT" | grep -q "^1/300 " || fail "1/300 not created"

# 3. assign www to 1/300, then remove it again (flat list: one row each)
tui_keys f
tui_wait "flat list"
tui_goto "0/$WWWID"
tui_keys +
tui_wait "Assign 0/$WWWID to parent"
tui_keys 1 / 3 0 0 Enter
tui_wait "0/$WWWID assigned to 1/300"
parents_of "0/$WWWID" | grep -q "1/300" || fail "assign not in btrfs qgroup show -p"
tui_goto "0/$WWWID"
tui_keys -
tui_wait "Remove 0/$WWWID from parent"
tui_keys C-u 1 / 3 0 0 Enter
tui_wait "0/$WWWID removed from 1/300"
parents_of "0/$WWWID" | grep -q "1/300" && fail "remove not in btrfs qgroup show -p"

# 4. destroy 1/300: anything but "yes" cancels
tui_goto 1/300
tui_keys D
tui_wait "Destroy qgroup 1/300"
tui_keys n o Enter
tui_wait "cancelled"
btrfs qgroup show --raw "$MNT" | grep -q "^1/300 " || fail "destroyed without yes"
tui_keys D
tui_wait "Destroy qgroup 1/300"
tui_keys y e s Enter
tui_wait "qgroup 1/300 destroyed"
btrfs qgroup show --raw "$MNT" | grep -q "^1/300 " && fail "1/300 still there"
# the kernel's refusal is named as an administration error (EBUSY: members),
# not through the rescan's words ("the filesystem is busy")
tui_goto 1/100
tui_keys D
tui_wait "Destroy qgroup 1/100"
tui_keys y e s Enter
tui_wait "cannot destroy qgroup 1/100: busy \\(the qgroup still has members"
btrfs qgroup show --raw "$MNT" | grep -q "^1/100 " || fail "1/100 destroyed"
# a size the limit grammar refuses changes nothing and says why
tui_keys L
tui_wait "Limit of 1/100"
tui_keys r
tui_wait "Limit on referenced of 1/100"
tui_keys 1 8 4 4 6 7 4 4 0 7 3 7 0 9 5 5 1 6 1 5 Enter
tui_wait "not a size: 18446744073709551615: too large"
btrfs qgroup show -re --raw "$MNT" | awk '$1 == "1/100" {print $4}' | grep -qx 1073741824 ||
	fail "a refused size changed the limit of 1/100"

# 5. a rescan paused with a, p, y: read-only remount; resumes after rw
tui_keys r
tui_wait "Start a quota rescan"
tui_keys y
tui_wait "rescan (starting|scanning)"
tui_keys a
tui_wait "Abort the rescan"
tui_keys p
tui_wait "Remount .* read-only\\?"
tui_keys y
tui_wait "remounted read-only: the rescan is paused"
findmnt -no OPTIONS "$MNT" | grep -qw ro || fail "not remounted read-only"
tui_wait "rescan: paused or stalled" 15
mount -o remount,rw "$MNT" || fail "remount rw"
tui_wait "rescan finished in|rescan: idle" 120
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"

# 6. X disables quotas after saving the configuration (typed yes), Q f y
#    enables them again
mkdir -p "$TEST_TMP/save"
TUI_PREFIX="env QGTOP_SAVE_DIR=$TEST_TMP/save"
tui_start 200 40 "$MNT"
tui_wait "quota: full"
tui_wait "rescan: idle"
tui_keys X
tui_wait "Disable quotas\?"
tui_keys y Enter
tui_wait "cancelled"
btrfs qgroup show "$MNT" >/dev/null 2>&1 || fail "quota disabled without typed yes"
tui_keys X
tui_wait "Disable quotas\?"
tui_keys y e s Enter
tui_wait "quotas disabled; the configuration is saved in"
saved=$(ls "$TEST_TMP"/save/*.qgroups 2>/dev/null | head -1)
[ -n "$saved" ] && grep -q "^relation 0/$WWWID 1/200" "$saved" || fail "configuration not saved: $saved"
btrfs qgroup show "$MNT" >/dev/null 2>&1 && fail "quota still enabled"
# the message with the full path stays until a key is pressed: through
# refreshes, and wrapped whole on a narrow terminal
tui_cap | grep -qF "saved in $saved (qgtop restore re-creates it)  (any key)" ||
	{ tui_cap >&2; fail "sticky message without the full path"; }
tui_wait "quota: disabled"
tui_wait "\(r:rescan\)"
sleep 2.5	# at least one more refresh (every 2 s) must not replace it
tui_cap | grep -qF "saved in $saved" || { tui_cap >&2; fail "the saved path went away by itself"; }
tui resize-window -x 60 -y 40
tui_wait "\(any key\)"
tui_cap | sed 's/ *$//' | tr -d '\n' | grep -qF "$saved" ||
	{ tui_cap >&2; fail "the saved path is not shown whole at 60 columns"; }
tui resize-window -x 200 -y 40
tui_keys Q	# only dismisses it
for ((i = 0; i < 40; i++)); do
	tui_cap | grep -q "any key" || break
	sleep 0.05
done
tui_cap | grep -q "any key" && fail "a key did not dismiss the message"
tui_cap | grep -q "Enable quotas: f" && fail "the dismissing key also acted"
tui_keys Q
tui_wait "Enable quotas: f"
tui_keys f
tui_wait "Enable quotas with full accounting"
tui_keys y
tui_wait "quotas enabled"
tui_wait "quota: full"
btrfs qgroup show "$MNT" >/dev/null 2>&1 || fail "quota not enabled again"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
unset TUI_PREFIX

# 7. without root: numbers from sysfs, administration shown disabled
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	TUI_PREFIX="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	chmod 755 "$TEST_TMP"	# the mountpoint is below it
	tui_start 200 40 "$MNT"
	tui_wait "quota: full"
	tui_wait "\\(r:rescan\\)"
	tui_wait "not root: numbers from sysfs"
	tui_keys r
	tui_wait "r: needs root"
	tui_keys L
	tui_wait "L: needs root"
	tui_keys q
	[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0 (not root)"
	unset TUI_PREFIX
fi
echo "PASS"
