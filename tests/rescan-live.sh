#!/bin/bash
# tests/rescan-live.sh - `qgtop rescan` on a loop-mounted btrfs: a rescan
# started by qgtop (--wait) completes and its numbers equal those after
# `btrfs quota rescan -w`; `rescan --watch --json` follows a scan of a few
# seconds with rising percentages and ends in idle; --status; the errors:
# already running (4), quota disabled (4), simple quotas (4), read-only
# mount (3), not root (3), not btrfs (2), no such path (2).
. "${TOP_SRCDIR:-.}/tests/lib.sh"
need_root_loop

NFILES=${RESCAN_TEST_FILES:-80000}
NSNAPS=31

make_slow_rescan_fs "$NFILES" $NSNAPS
btrfs subvolume create "$mnt/other" >/dev/null
head -c 5M /dev/urandom > "$mnt/other/f"
sync
btrfs quota enable "$mnt" || fail "quota enable"
btrfs quota rescan -w "$mnt" >/dev/null || fail "initial rescan"
# a level-1 qgroup over shared subvolumes: assigning marks the numbers inconsistent
btrfs qgroup create 1/100 "$mnt" || fail "qgroup create"
for s in s1 s2 other; do
	sid=$(btrfs subvolume show "$mnt/$s" | awk '/Subvolume ID:/ {print $3}')
	btrfs qgroup assign --no-rescan "0/$sid" 1/100 "$mnt" 2>/dev/null
done
uuid=$(findmnt -no UUID "$mnt")
[ "$(cat /sys/fs/btrfs/$uuid/qgroups/inconsistent)" = 1 ] || fail "setup: expected inconsistent numbers"

# 1. qgtop starts the rescan and waits; then compare with btrfs-progs' rescan
out=$("$QGTOP" rescan --wait "$mnt" 2>&1) || fail "rescan --wait: $out"
echo "$out" | grep -q "finished" || fail "rescan --wait said: $out"
[ "$(cat /sys/fs/btrfs/$uuid/qgroups/inconsistent)" = 0 ] || fail "still inconsistent after qgtop rescan"
btrfs qgroup show --raw -re --sync "$mnt" > "$TEST_TMP/ours.txt" || fail "qgroup show"
btrfs quota rescan -w "$mnt" >/dev/null || fail "btrfs quota rescan -w"
btrfs qgroup show --raw -re --sync "$mnt" > "$TEST_TMP/progs.txt" || fail "qgroup show"
diff -u "$TEST_TMP/progs.txt" "$TEST_TMP/ours.txt" || fail "numbers after qgtop rescan differ"
grep -q '^1/100 ' "$TEST_TMP/ours.txt" || fail "1/100 missing"

# 2. --status when idle
out=$("$QGTOP" rescan --status "$mnt") || fail "status idle"
echo "$out" | grep -q "^state: idle" || fail "status idle said: $out"
"$QGTOP" rescan --status --json "$mnt" | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
assert d["state"] == "idle" and d["percent"] is None and d["inconsistent"] is False, d
' || fail "status --json idle"

# 3. a running rescan: already running, --status, then --watch --json to the end
btrfs quota rescan "$mnt" >/dev/null || fail "btrfs quota rescan"
out=$("$QGTOP" rescan "$mnt" 2>&1)
rc=$?
[ $rc = 4 ] || fail "start while running: exit $rc ($out)"
echo "$out" | grep -q "already running" || fail "start while running said: $out"
"$QGTOP" rescan --status --json "$mnt" > "$TEST_TMP/status.json" || fail "status running"
# show --json during the scan: running, with an estimated percentage
"$QGTOP" show --json "$mnt" | python3 -c '
import json, sys
r = json.load(sys.stdin)["quota"]["rescan"]
if r["state"] == "scanning":
    assert r["running"] and 0 <= r["percent"] <= 100 and r["progress"] > 0, r
else:
    assert r["state"] in ("starting", "committing", "idle"), r
print("show during rescan:", r)
' || fail "show --json during a rescan"
QGTOP_PROGRESS_DEBUG=1 "$QGTOP" rescan --watch --json --interval 100 "$mnt" \
	> "$TEST_TMP/watch.json" 2> "$TEST_TMP/watch.err" || fail "watch exit $?"
# the extents are weighed by their exact roots, from a walk of the trees
grep -E "index ready .* exact roots of [1-9][0-9]*, mean" "$TEST_TMP/watch.err" ||
	fail "no exact root counts for the percentage: $(cat "$TEST_TMP/watch.err")"
python3 - "$TEST_TMP/status.json" "$TEST_TMP/watch.json" <<'PY' || fail "watch output"
import json, sys
st = json.load(open(sys.argv[1]))
assert st["state"] in ("starting", "scanning", "committing", "idle"), st
if st["state"] == "scanning":
    assert st["progress"] > 0 and 0 <= st["percent"] <= 100, st
lines = [json.loads(l) for l in open(sys.argv[2])]
keys = {"state", "progress", "percent", "elapsed_s", "eta_s", "rate"}
for l in lines:
    assert keys <= set(l), l
assert lines[-1]["state"] == "idle", lines[-1]
pcts = [l["percent"] for l in lines if l["state"] == "scanning" and l["percent"] is not None]
print("watch: %d lines, %d with a percentage: %s" % (len(lines), len(pcts),
      " ".join("%.0f" % p for p in pcts)))
assert len(pcts) >= 3, "too few progress lines"
assert all(b >= a for a, b in zip(pcts, pcts[1:])), "percent went down"
assert pcts[-1] > pcts[0], "percent did not rise"
assert all(0 <= p <= 100 for p in pcts)
el = [l["elapsed_s"] for l in lines]
assert all(b >= a for a, b in zip(el, el[1:])), "elapsed went down"
PY
[ "$(cat /sys/fs/btrfs/$uuid/qgroups/inconsistent)" = 0 ] || fail "inconsistent after the watched rescan"

# 4. --watch with nothing running: one idle line, exit 0
out=$("$QGTOP" rescan --watch "$mnt") || fail "watch idle exit $?"
echo "$out" | grep -q "no rescan is running" || fail "watch idle said: $out"

# 5. read-only mount: exit 3, nothing started
mount -o remount,ro "$mnt" || fail "remount ro"
out=$("$QGTOP" rescan "$mnt" 2>&1)
rc=$?
[ $rc = 3 ] || fail "read-only: exit $rc ($out)"
echo "$out" | grep -q "read-only" || fail "read-only said: $out"
mount -o remount,rw "$mnt" || fail "remount rw"

# 6. quota disabled: exit 4, and simple quotas: exit 4
make_loop 300M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs small"
small=$TEST_TMP/small
mount_fs "$LOOP_DEV" "$small"
out=$("$QGTOP" rescan "$small" 2>&1)
rc=$?
[ $rc = 4 ] || fail "quota disabled: exit $rc ($out)"
echo "$out" | grep -q "not enabled" || fail "quota disabled said: $out"
out=$("$QGTOP" rescan --status "$small" 2>&1)
[ $? = 4 ] || fail "status with quota disabled: $out"
"$QGTOP" quota enable --simple --yes "$small" >/dev/null 2>&1 || fail "enable simple quotas"
[ "$(cat /sys/fs/btrfs/$(findmnt -no UUID "$small")/qgroups/mode)" = squota ] ||
	fail "simple quotas not enabled"
out=$("$QGTOP" rescan "$small" 2>&1)
rc=$?
[ $rc = 4 ] || fail "simple quotas: exit $rc ($out)"
echo "$out" | grep -q "simple quotas" || fail "simple quotas said: $out"

# 7. not root: the status and rescan ioctls need CAP_SYS_ADMIN: exit 3
if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups \
	test -x "$QGTOP" 2>/dev/null; then
	chmod 755 "$TEST_TMP"
	for args in "--status" ""; do
		out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" rescan $args "$mnt" 2>&1)
		rc=$?
		[ $rc = 3 ] || fail "not root, rescan $args: exit $rc ($out)"
		echo "$out" | grep -q "permission denied" || fail "not root said: $out"
	done
else
	echo "note: cannot run $QGTOP as uid 65534; non-root case not tested here" >&2
fi

# 8. not btrfs, missing path, bad usage: exit 2
out=$("$QGTOP" rescan /proc 2>&1)
rc=$?
[ $rc = 2 ] || fail "not btrfs: exit $rc ($out)"
echo "$out" | grep -q "not on a btrfs" || fail "not btrfs said: $out"
"$QGTOP" rescan "$TEST_TMP/nonexistent" 2>/dev/null
[ $? = 2 ] || fail "missing path"
"$QGTOP" rescan --abort=bogus "$mnt" 2>/dev/null
[ $? = 2 ] || fail "bad --abort"
"$QGTOP" rescan 2>/dev/null
[ $? = 2 ] || fail "no path"
echo "rescan-live: ok"
