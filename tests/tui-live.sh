#!/bin/bash
# tests/tui-live.sh - end-to-end test of the curses frontend on a real,
# loop-mounted btrfs with quotas, driven in tmux: the tree shows the
# kernel's qgroups and numbers, sorting and expanding work, a rescan
# started with r, y shows a progress bar and ends with the kernel's
# numbers, a limit set with L shows up in `btrfs qgroup show -re`, resize
# and the too-small screen work, q, SIGTERM, SIGHUP and Ctrl-C restore the
# terminal.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

MNT=$TEST_TMP/mnt
tui_make_fs "$MNT"
volid=$VOLID
wwwid=$WWWID

kernel_rows() {
	btrfs qgroup show --raw --sync "$MNT" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ {print $1, $2, $3}' | sort
}

# 1. the flat list in raw units equals the kernel's table
tui_start 160 45 "$MNT"
tui_wait "quota: full"
tui_wait "0/$wwwid www"
tui_keys f u u
tui_wait "units: raw"
diff <(tui_rows | sort) <(kernel_rows) || fail "flat raw rows differ from btrfs qgroup show"
[ "$(tui_rows | wc -l)" -eq "$(kernel_rows | wc -l)" ] || fail "row count"

# 2. sort by referenced: largest first, again reverses
# (the arrow in the column title says which column and direction)
tui_keys 2
tui_wait "▼Referenced"
tui_rows | awk '{print $2}' > "$TEST_TMP/r1"
sort -n -r "$TEST_TMP/r1" | cmp -s - "$TEST_TMP/r1" || fail "not sorted by referenced, descending"
tui_keys 2
tui_wait "▲Referenced"
tui_rows | awk '{print $2}' > "$TEST_TMP/r2"
sort -n "$TEST_TMP/r2" | cmp -s - "$TEST_TMP/r2" || fail "second press did not reverse"
tui_keys 1
tui_wait "Qgroup▼"

# 3. tree: 1/100 holds vol and www; www appears twice (two parents)
tui_keys f
tui_wait "also under"
[ "$(tui_cap | grep -c "0/$wwwid www")" -eq 2 ] || fail "www should appear under both parents"
# collapse 1/100 (first row of level 1: rows are sorted higher levels first)
tui_keys g
tui_wait "1/100"
line=$(tui_cap | grep -n " 1/100" | head -1 | cut -d: -f1)
first=$(tui_cap | grep -nE " [0-9]+/[0-9]+" | sed -n 1p | cut -d: -f1)
for ((i = first; i < line; i++)); do tui_keys j; done
tui_keys h
tui_until '[ "$(tui_cap | grep -c "0/$wwwid www")" -eq 1 ]'
tui_cap | grep -q "0/$volid vol" && fail "vol still shown after collapse"
tui_keys l
tui_until '[ "$(tui_cap | grep -c "0/$wwwid www")" -eq 2 ]'	# expanded again

# 4. rescan: r asks (default No), y starts; a progress bar; final numbers
tui_keys r
tui_wait "Start a quota rescan"
tui_keys n
tui_wait "cancelled"
tui_keys r
tui_wait "Start a quota rescan"
tui_keys y
tui_wait "rescan (starting|scanning|committing) .*(\[[#.█░]+\] +[0-9.]+%|counting)" 10
tui_wait "rescan finished in" 120
tui_keys f
tui_wait "flat list"
# the kernel's final numbers reach the screen with the next refresh
tui_until '[ "$(tui_rows | sort)" = "$(kernel_rows)" ]' 10 ||
	fail "numbers after the rescan differ from the kernel's"

# 5. a limit set from the TUI: cursor on 0/www in the flat list (sorted by id)
tui_keys g
target=$(tui_rows | awk -v id="0/$wwwid" '$1 == id {print NR}')
[ -n "$target" ] || fail "www not in the list"
for ((i = 1; i < target; i++)); do tui_keys j; done
tui_keys L r
tui_wait "Limit on referenced"
tui_keys 7 M Enter
tui_wait "limit of 0/$wwwid set to 7.00MiB"
btrfs qgroup show -re --raw "$MNT" | awk -v id="0/$wwwid" '$1 == id {print $4}' | grep -qx 7340032 ||
	fail "limit not in btrfs qgroup show -re"

# 5b. the info panel has the exact bytes of the qgroup under the cursor
tui_keys i
tui_wait "qgroup 0/$wwwid"
rfer=$(btrfs qgroup show --raw "$MNT" | awk -v id="0/$wwwid" '$1 == id {print $2}')
tui_cap | grep -q "referenced: $rfer bytes" || fail "info panel: referenced is not $rfer bytes"
tui_cap | grep -q "limit on referenced: 7340032 bytes" || fail "info panel: limit"
tui_keys Escape
tui_wait "Limit rfer/excl"

# 5c. help: keys, the flag legend and the glossary, scrolling
tui_keys '?'
tui_wait "MOVING"
tui_keys G
for ((i = 0; i < 60; i++)); do tui_keys j; done
tui_wait "simple quotas"
tui_wait "stale"
tui_keys q
tui_wait "Limit rfer/excl"

# 5d. search: / jumps while typing, Enter keeps it, n goes on; i shows it
tui_keys g / w w w Enter i
tui_wait "qgroup 0/$wwwid"
tui_keys Escape / n o p e Enter
tui_wait "not found: nope"

# 6. resize: smaller, too small, back
tui resize-window -x 70 -y 14
tui_wait "quota: full"
tui resize-window -x 40 -y 8
tui_wait "terminal too small"
tui resize-window -x 150 -y 40
tui_wait "0/$wwwid www"

# 7. q quits with 0 and leaves the alternate screen
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "terminal not restored after q"

# 8. SIGTERM restores the terminal too
tui_start 120 30 "$MNT"
tui_wait "quota: full"
# the pane runs sh -c; its child is qgtop (env execs it)
pid=$(pgrep -P "$(tui display-message -p '#{pane_pid}')" | head -1)
[ -n "$pid" ] || fail "no qgtop process"
kill -TERM "$pid"
[ "$(tui_wait_exit)" = 143 ] || fail "SIGTERM exit status"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "terminal not restored after SIGTERM"
# 8b. and SIGHUP (the terminal went away)
tui_start 120 30 "$MNT"
tui_wait "quota: full"
pid=$(pgrep -P "$(tui display-message -p '#{pane_pid}')" | head -1)
[ -n "$pid" ] || fail "no qgtop process"
kill -HUP "$pid"
[ "$(tui_wait_exit)" = 129 ] || fail "SIGHUP exit status"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "terminal not restored after SIGHUP"

# 9. so does Ctrl-C (SIGINT): status 130
tui_start 120 30 "$MNT"
tui_wait "quota: full"
tui_keys C-c
[ "$(tui_wait_exit)" = 130 ] || fail "Ctrl-C exit status"
[ "$(tui display-message -p '#{alternate_on}')" = 0 ] || fail "terminal not restored after Ctrl-C"
echo "PASS"
