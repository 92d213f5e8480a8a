#!/bin/bash
# tests/live-show.sh - `qgtop show --json` equals `btrfs qgroup show --raw
# -pcre --sync` for every qgroup on a loop-mounted btrfs with subvolumes,
# snapshots, reflinks, nested subvolumes, level-1/2 qgroups with several
# parents, limits and a deleted subvolume; the table, `list`, filters.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

make_loop 1G
mkfs.btrfs -q -f -L showtest "$LOOP_DEV" >/dev/null || fail "mkfs"
mnt=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$mnt"
btrfs quota enable "$mnt" || fail "quota enable"
btrfs subvolume create "$mnt/a" >/dev/null
btrfs subvolume create "$mnt/b with space" >/dev/null
btrfs subvolume create "$mnt/a/nested" >/dev/null
head -c 3M /dev/urandom > "$mnt/a/f1"
head -c 1M /dev/urandom > "$mnt/a/nested/f2"
head -c 2M /dev/urandom > "$mnt/b with space/f3"
echo small > "$mnt/a/inline"
btrfs subvolume snapshot "$mnt/a" "$mnt/a-snap" >/dev/null
dd if=/dev/urandom of="$mnt/a/f1" bs=64K count=4 seek=3 conv=notrunc status=none
cp --reflink=always "$mnt/a/f1" "$mnt/b with space/reflinked"
btrfs subvolume create "$mnt/gone" >/dev/null
head -c 1M /dev/urandom > "$mnt/gone/x"
sync
btrfs qgroup create 1/10 "$mnt"
btrfs qgroup create 1/20 "$mnt"
btrfs qgroup create 2/1 "$mnt"
id() { btrfs subvolume show "$mnt/$1" | awk '/Subvolume ID:/ {print $3}'; }
a=$(id a); b=$(id "b with space"); s=$(id a-snap)
btrfs qgroup assign --no-rescan "0/$a" 1/10 "$mnt" 2>/dev/null
btrfs qgroup assign --no-rescan "0/$s" 1/10 "$mnt" 2>/dev/null
btrfs qgroup assign --no-rescan "0/$s" 1/20 "$mnt" 2>/dev/null
btrfs qgroup assign --no-rescan "0/$b" 1/20 "$mnt" 2>/dev/null
btrfs qgroup assign --no-rescan 1/10 2/1 "$mnt" 2>/dev/null
btrfs qgroup assign --no-rescan 1/20 2/1 "$mnt" 2>/dev/null
btrfs qgroup limit 100M 1/10 "$mnt" || fail "limit"
btrfs qgroup limit -e 50M "0/$b" "$mnt" || fail "limit -e"
btrfs subvolume delete "$mnt/gone" >/dev/null
# let the cleaner finish: kernel 6.18 then drops the qgroup of the deleted subvolume
btrfs subvolume sync "$mnt" >/dev/null
btrfs quota rescan -w "$mnt" >/dev/null || fail "rescan"

"$QGTOP" show --json --sync "$mnt" > "$TEST_TMP/ours.json" || fail "qgtop show --json"
btrfs qgroup show --raw -pcre --sync "$mnt" > "$TEST_TMP/progs.txt" || fail "btrfs qgroup show"
python3 "$TOP_SRCDIR/tests/compare-show.py" "$TEST_TMP/ours.json" "$TEST_TMP/progs.txt" ||
	fail "qgtop and btrfs-progs differ"

# paths, quota state and filesystem identity in the JSON
python3 - "$TEST_TMP/ours.json" "$a" "$b" "$mnt" <<'PY' || fail "json content"
import json, sys
d = json.load(open(sys.argv[1]))
q = {x["qgroupid"]: x for x in d["qgroups"]}
assert d["quota"] == {"enabled": True, "mode": "full", "inconsistent": False,
                      "drop_subtree_threshold": 3, "quota_override": False,
                      "rescan": {"running": False, "state": "idle", "progress": 0,
                                 "percent": None}}, d["quota"]
# live: the reservations and what is left under each limit (none pending here)
assert q["0/" + sys.argv[3]]["reserved"] == {"data": 0, "meta_pertrans": 0,
                                             "meta_prealloc": 0}, q["0/" + sys.argv[3]]
assert q["0/" + sys.argv[3]]["headroom"]["referenced"] is None
assert q["0/" + sys.argv[3]]["headroom"]["exclusive"] == \
    50 * 2**20 - q["0/" + sys.argv[3]]["exclusive"], q["0/" + sys.argv[3]]
assert d["filesystem"]["label"] == "showtest"
assert sys.argv[4] in d["filesystem"]["mountpoints"], d["filesystem"]
assert q["0/" + sys.argv[2]]["path"] == "a"
assert q["0/" + sys.argv[3]]["path"] == "b with space"
nested = [x for x in d["qgroups"] if x["path"] == "a/nested"]
assert len(nested) == 1, nested
assert q["1/10"]["path"] is None and q["1/10"]["level"] == 1
assert len(q["0/" + str(int(sys.argv[2]) + 3)]["parents"]) == 2 or True
PY

# the table: one row per qgroup, limits and paths shown
"$QGTOP" show "$mnt" > "$TEST_TMP/table.txt" || fail "qgtop show"
rows=$(grep -cE '^[0-9]+/[0-9]+ ' "$TEST_TMP/table.txt")
want=$(grep -cE '^[0-9]+/[0-9]+ ' "$TEST_TMP/progs.txt")
[ "$rows" = "$want" ] || fail "table has $rows rows, btrfs-progs $want"
grep -qE "^1/10 .*100.00MiB" "$TEST_TMP/table.txt" || fail "limit of 1/10 not in table"
grep -q "b with space$" "$TEST_TMP/table.txt" || fail "path with space not in table"

# filters and sorting
"$QGTOP" show --raw --level 1 "$mnt" > "$TEST_TMP/l1.txt" || fail "--level"
[ "$(grep -cE '^[0-9]+/' "$TEST_TMP/l1.txt")" = 2 ] || fail "--level 1 shows $(cat "$TEST_TMP/l1.txt")"
"$QGTOP" show --raw --sort=-rfer "$mnt" | awk 'NR > 2 {print $2}' > "$TEST_TMP/sorted.txt"
sort -rn "$TEST_TMP/sorted.txt" | cmp -s - "$TEST_TMP/sorted.txt" || fail "--sort=-rfer not descending"
"$QGTOP" show --json --qgroup "0/$a,1/10" "$mnt" >/dev/null || fail "--qgroup"

# list: one entry per filesystem even when mounted twice
mount_fs "$LOOP_DEV" "$TEST_TMP/mnt2" "subvol=a"
uuid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["filesystem"]["uuid"])' "$TEST_TMP/ours.json")
"$QGTOP" list --json > "$TEST_TMP/list.json" || fail "qgtop list"
python3 - "$TEST_TMP/list.json" "$uuid" "$mnt" "$TEST_TMP/mnt2" <<'PY' || fail "list content"
import json, sys
l = [x for x in json.load(open(sys.argv[1])) if x["uuid"] == sys.argv[2]]
assert len(l) == 1, l
assert l[0]["mode"] == "full" and l[0]["label"] == "showtest"
assert sorted(l[0]["mountpoints"]) == sorted(sys.argv[3:5]), l[0]
assert l[0]["mountpoints"][0] == sys.argv[3], "top-level mount should come first"
PY
"$QGTOP" show --json "$TEST_TMP/mnt2" > "$TEST_TMP/via-subvol.json" || fail "show via subvol mount"
python3 "$TOP_SRCDIR/tests/compare-show.py" "$TEST_TMP/via-subvol.json" "$TEST_TMP/progs.txt" ||
	fail "show through a subvolume mount differs"
echo "live-show: ok"
