#!/bin/bash
# tests/untrusted-names.sh - subvolume names and labels are anyone's text:
# a name holding terminal control sequences (C0, DEL, C1, invalid UTF-8,
# bidi controls) reaches the terminal escaped in `qgtop show`, `qgtop
# scan`, `qgtop list`, error messages and the TUI, and the control bytes
# themselves never do. JSON output keeps the exact name (escaped as JSON).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

# ESC ] 0 ; title BEL: sets the window title; ESC [ 2 J: clears the screen;
# CSI as the C1 byte 0x9b (UTF-8 c2 9b); DEL; an invalid byte; RLO (U+202E)
evil=$'ev\e]0;pwned\ail\e[2J-\xc2\x9b31m-\x7f-\xff-\xe2\x80\xaegpj.exe'
shown='ev\x1b]0;pwned\x07il\x1b[2J-\xc2\x9b31m-\x7f-\xff-\u{202e}gpj.exe'
label=$'lab\e[31mel'
shown_label='lab\x1b[31mel'

make_loop 300M
img=$LOOP_IMG
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
MNT=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$MNT"
btrfs quota enable "$MNT" || fail "quota enable"
btrfs subvolume create "$MNT/$evil" >/dev/null || fail "subvolume create"
btrfs filesystem label "$MNT" "$label" || fail "label"
btrfs quota rescan -w "$MNT" >/dev/null
sync

# raw control bytes (ESC, BEL, C1 CSI, DEL, 0xff) must not be in the output
no_raw() {
	if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f\xff]|\xc2\x9b|\xe2\x80\xae' "$1"; then
		od -c "$1" | head -20 >&2
		fail "$2: raw control bytes reached the terminal"
	fi
}

"$QGTOP" show "$MNT" >"$TEST_TMP/show" || fail "show exit $?"
no_raw "$TEST_TMP/show" "show"
grep -qF -- "$shown" "$TEST_TMP/show" || fail "show does not show the escaped name: $(cat "$TEST_TMP/show")"

"$QGTOP" list >"$TEST_TMP/list" || fail "list exit $?"
no_raw "$TEST_TMP/list" "list"
grep -qF -- "$shown_label" "$TEST_TMP/list" || fail "list does not show the escaped label"

# an error message naming the path: one line, escaped
"$QGTOP" show "$MNT/$evil/missing" 2>"$TEST_TMP/err" && fail "show of a missing path succeeded"
no_raw "$TEST_TMP/err" "error message"
[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "error is not one line: $(cat "$TEST_TMP/err")"
grep -qF -- "$shown/missing" "$TEST_TMP/err" || fail "error does not name the escaped path"

# JSON keeps the exact bytes of valid text (as JSON escapes)
"$QGTOP" show --json "$MNT" >"$TEST_TMP/json" || fail "show --json"
no_raw "$TEST_TMP/json" "show --json"
python3 - "$TEST_TMP/json" <<'PY' || fail "JSON path"
import json, sys
d = json.load(open(sys.argv[1], "rb"))
paths = [q.get("path") for q in d["qgroups"] if q.get("path")]
assert any(p.startswith("ev\x1b]0;pwned\x07il") for p in paths), paths
PY

# the TUI: the pane shows the escapes, the title was not set, nothing cleared
tui_start 160 30 "$MNT"
tui_wait "quota: full"
tui_wait 'ev\\x1b\]0;pwned\\x07il'
tui_cap >"$TEST_TMP/pane"
grep -qF -- "$shown_label" "$TEST_TMP/pane" || fail "TUI header lacks the escaped label"
[ "$(tui display-message -p '#{pane_title}')" != pwned ] || fail "the name set the window title"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "TUI exit status"

# the offline engine reads the same name from the image
umount_fs "$MNT"
"$QGTOP" scan "$img" >"$TEST_TMP/scan" || fail "scan exit $?"
no_raw "$TEST_TMP/scan" "scan"
grep -qF -- "$shown" "$TEST_TMP/scan" || fail "scan does not show the escaped name"
echo "untrusted-names: ok"
