#!/bin/bash
# tests/tui-exact.sh - the curses frontend on a mounted filesystem with
# --exact (numbers computed from its devices, as `qgtop scan DIRECTORY`),
# driven in tmux: the header names the commit; computed and stored numbers
# equal the kernel's after its rescan; marking a snapshot shows what
# deleting it frees (the same figure as `qgtop scan --freed`); after a
# write and a commit, F scans again and names the newer commit; q exits 0;
# without root it exits 3 with one line.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"
need_root_loop
M=$TEST_TMP/mnt
tui_make_fs "$M"
btrfs qgroup show --raw -re "$M" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1, $2, $2, $3, $3 }' |
	sort >"$TEST_TMP/kernel"
gen() { btrfs inspect-internal dump-super "$LOOP_DEV" | awk '$1 == "generation" { print $2 }'; }
g1=$(gen)

# without root: one line, exit 3, before any terminal is touched
chmod o+x "$TEST_TMP"
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" --exact "$M" </dev/null \
	>/dev/null 2>"$TEST_TMP/err" || rc=$?
[ "$rc" = 3 ] && [ "$(wc -l <"$TEST_TMP/err")" = 1 ] && grep -q root "$TEST_TMP/err" ||
	fail "--exact without root: exit $rc: $(cat "$TEST_TMP/err")"

tui_start 160 50 --exact "$M"
tui_wait "exact, commit: $g1"
tui_wait "0/$WWWID www" 30
tui_keys f u u
tui_wait "units: raw"
diff <(tui_rows | sort) "$TEST_TMP/kernel" || fail "exact numbers differ from the kernel's"

# mark snapshot snap1: the freed figure equals qgtop scan --freed
snap=$(btrfs subvolume list "$M" | awk '$NF == "snap1" { print $2 }')
tui_goto "0/$snap"
tui_keys ' '
tui_wait "freed if deleted [0-9]+"
shown=$(tui_cap | sed -n 's/.*freed if deleted \([0-9]*\).*/\1/p' | head -1)
expect=$("$QGTOP" scan --raw --freed "$snap" "$M" | grep -o '[0-9]\+' | tail -1)
[ -n "$shown" ] && [ "$shown" = "$expect" ] || fail "freed: TUI says '$shown', qgtop scan --freed says '$expect'"

# the filesystem moves on: F reads the newer commit
head -c 1M /dev/urandom >"$M/www/new.bin"
btrfs filesystem sync "$M"
g2=$(gen)
[ "$g2" != "$g1" ] || fail "no new commit after a write and a sync"
tui_keys F
tui_wait "exact, commit: $g2" 30
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
echo "ok: --exact: commit $g1 equal to the kernel, freed as scan --freed, F read commit $g2"
