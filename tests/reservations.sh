#!/bin/bash
# tests/reservations.sh - why a write fails with EDQUOT below the limit: a
# real buffered writer holds reservations against a 10 MiB limit; `qgtop
# show --json` reports them (reserved.*) and the headroom the kernel
# decides by (limit - usage - reservations), equal to sysfs; the TUI shows
# the same in its Left column and info panel; the next write really fails.
# Also drop_subtree_threshold: shown, set from the CLI and the TUI (T).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"

make_loop 1G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
MNT=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$MNT"
btrfs quota enable "$MNT" || fail "quota enable"
btrfs subvolume create "$MNT/s" >/dev/null || fail "subvolume"
btrfs quota rescan -w "$MNT" >/dev/null
sid=$(btrfs subvolume show "$MNT/s" | awk '/Subvolume ID:/ {print $3}')
uuid=$(findmnt -no UUID "$MNT")
sq=/sys/fs/btrfs/$uuid/qgroups/0_$sid
"$QGTOP" qgroup limit 10M "0/$sid" "$MNT" >/dev/null || fail "limit"
sync

# dirty data: reserved until written back (30 s away), not yet referenced
head -c 9500000 /dev/urandom > "$MNT/s/a" || fail "write"
snap() { cat "$sq/referenced" "$sq/rsv_data" "$sq/rsv_meta_pertrans" "$sq/rsv_meta_prealloc" | tr '\n' ' '; }
before=$(snap)
"$QGTOP" show --json "$MNT" > "$TEST_TMP/show.json" || fail "show --json"
after=$(snap)
[ "$before" = "$after" ] || fail "sysfs moved while reading (writeback?): $before / $after"
python3 - "$TEST_TMP/show.json" "0/$sid" $after <<'PY' || fail "show --json reservations"
import json, sys
d = json.load(open(sys.argv[1]))
rfer, data, pert, prea = map(int, sys.argv[3:7])
q = [q for q in d["qgroups"] if q["qgroupid"] == sys.argv[2]][0]
r = q["reserved"]
assert (r["data"], r["meta_pertrans"], r["meta_prealloc"]) == (data, pert, prea), r
assert q["referenced"] == rfer, (q["referenced"], rfer)
assert data >= 9500000, "the writer holds no data reservation: %d" % data
left = max(0, 10 * 2**20 - rfer - data - pert - prea)
assert q["headroom"] == {"referenced": left, "exclusive": None}, (q["headroom"], left)
# usage alone looks far below the limit; with the reservations it is not
assert rfer < 2**20 and left < 2**20, (rfer, left)
print("reserved %d bytes, referenced %d, left %d of 10 MiB" % (data + pert + prea, rfer, left))
PY
left=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([q for q in d['qgroups'] if q['qgroupid']==sys.argv[2]][0]['headroom']['referenced'])" "$TEST_TMP/show.json" "0/$sid")

# the TUI: the Left column (raw units) and the info panel
tui_start 170 40 "$MNT"
tui_wait "quota: full"
tui_keys f u u
tui_wait "units: raw"
tui_wait "0/$sid s "
row=$(tui_cap | grep " 0/$sid s ")
echo "$row" | grep -qE "10485760/- +$left( |$)" || fail "Left column is not $left: $row"
tui_goto "0/$sid"
tui_keys i
tui_wait "qgroup 0/$sid"
tui_wait "reserved for writes not yet committed: [0-9]+ bytes"
tui_wait "left before EDQUOT, referenced: $left bytes"
tui_wait "drop_subtree_threshold: 3"
tui_keys Escape

# 1 MiB more does not fit: EDQUOT, although referenced is far below 10 MiB
if dd if=/dev/zero of="$MNT/s/b" bs=1M count=1 conv=fsync 2>"$TEST_TMP/dd.err"; then
	fail "a write past the headroom succeeded"
fi
grep -q "Disk quota exceeded" "$TEST_TMP/dd.err" || fail "dd: $(cat "$TEST_TMP/dd.err")"

# drop_subtree_threshold: CLI shows and sets it, the TUI sets it with T
[ "$("$QGTOP" quota drop-subtree-threshold "$MNT")" = 3 ] || fail "threshold not 3"
"$QGTOP" quota drop-subtree-threshold 5 "$MNT" >/dev/null || fail "set threshold"
[ "$(cat "/sys/fs/btrfs/$uuid/qgroups/drop_subtree_threshold")" = 5 ] || fail "sysfs threshold not 5"
"$QGTOP" quota drop-subtree-threshold 9 "$MNT" 2>/dev/null
[ $? = 2 ] || fail "threshold 9 accepted"
setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" quota drop-subtree-threshold 1 "$MNT" 2>/dev/null
[ $? = 3 ] || fail "threshold set without root"
[ "$(cat "/sys/fs/btrfs/$uuid/qgroups/drop_subtree_threshold")" = 5 ] || fail "refused sets changed it"
# the TUI reads it again with the next refresh (F: now)
tui_keys F i
tui_wait "drop_subtree_threshold: 5"
tui_keys Escape
tui_keys T
tui_wait "drop_subtree_threshold \\(0-8, now 5\\)"
tui_keys 2 Enter
tui_wait "drop_subtree_threshold set to 2"
[ "$(cat "/sys/fs/btrfs/$uuid/qgroups/drop_subtree_threshold")" = 2 ] || fail "TUI did not set it"
"$QGTOP" show --json "$MNT" | grep -q '"drop_subtree_threshold":2' || fail "show --json threshold"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "TUI exit"
echo "reservations: ok"
