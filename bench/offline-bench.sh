#!/bin/bash
# offline-bench.sh - time, on one kernel-made image: the kernel's own full
# rescan (mounted, warm cache), `btrfs check --qgroup-report`, reading every
# metadata block once (bench/offline-floor, the floor) and `qgtop scan`;
# peak RSS of the offline tools via /usr/bin/time -v; and check that qgtop's
# numbers equal the kernel's. Root, loop devices. Run from a build dir:
#   FILES=300000 SNAPS=120 CHANGES=2000 ../bench/offline-bench.sh
# or, to time again on an image an earlier run kept (KEEP=FILE keeps it):
#   IMAGE=FILE ../bench/offline-bench.sh
# Targets (issue 3): >= 10x faster than the kernel rescan, faster than
# btrfs check, within 2x of the floor, peak RSS below the metadata size.
# RUNS (default 5): the floor and qgtop run interleaved, after one warm-up
# each, and their medians are reported. NO_RESCAN=1 skips the kernel's rescan
# (hours on 10,000 snapshots) and compares with the numbers the image holds
# from the rescan that built it; NO_CHECK=1 skips btrfs check.
set -u
FILES=${FILES:-300000}
SNAPS=${SNAPS:-120}
CHANGES=${CHANGES:-2000}
SIZE=${SIZE:-40G}
TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$(pwd)}
QGTOP=${QGTOP:-$TOP_BUILDDIR/qgtop}
FLOOR=$TOP_BUILDDIR/bench/offline-floor
export QGTOP_TEST_TIMEOUT=0	# a benchmark may take hours
. "$TOP_SRCDIR/tests/lib.sh"
need_root_loop
[ -x "$FLOOR" ] || fail "build bench/offline-floor first (make bench/offline-floor)"
M=$TEST_TMP/mnt
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }

if [ -n "${IMAGE:-}" ]; then
	LOOP_IMG=$IMAGE
	LOOP_DEV=$(losetup -f --show "$IMAGE") || fail "losetup $IMAGE"
	TEST_LOOPS+=("$LOOP_DEV")
	TEST_LOOP_IMGS+=("$(realpath "$IMAGE")")
	mount_fs "$LOOP_DEV" "$M"
else
make_loop "$SIZE"
[ -z "${KEEP:-}" ] || ln "$LOOP_IMG" "$KEEP" || fail "cannot keep the image as $KEEP"
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail mkfs
mount_fs "$LOOP_DEV" "$M"
btrfs subvolume create "$M/vol" >/dev/null
echo "building: $FILES files, $SNAPS snapshots, $CHANGES changed files between snapshots"
t0=$(now)
python3 - "$M/vol" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for d in range(n // 1000 + 1):
    os.mkdir(f"{root}/d{d}")
for i in range(n):
    with open(f"{root}/d{i // 1000}/f{i}", "wb") as f:
        f.write(os.urandom(64 if i % 3 == 0 else 4096 + (i % 5) * 1024))
PY
for s in $(seq 1 "$SNAPS"); do
	btrfs subvolume snapshot -r "$M/vol" "$M/snap$s" >/dev/null || fail snapshot
	python3 - "$M/vol" "$FILES" "$CHANGES" "$s" <<'PY'
import os, random, sys
root, n, c, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
r = random.Random(s)
for _ in range(c):
    i = r.randrange(n)
    with open(f"{root}/d{i // 1000}/f{i}", "wb") as f:
        f.write(os.urandom(4096))
PY
done
sync
echo "built in $(secs "$t0" "$(now)") s"
btrfs quota enable "$M"
fi
if [ -z "${NO_RESCAN:-}" ]; then
	btrfs quota rescan -w "$M" >/dev/null 2>&1	# a rescan quota enable started, warms the cache
fi
btrfs filesystem df -b "$M" | grep -i metadata
meta=$(btrfs filesystem df -b "$M" | awk -F'used=' '/^Metadata/ { printf "%.0f", $2 }')
# kernel: a full rescan with a warm cache
t_kernel=skipped
if [ -z "${NO_RESCAN:-}" ]; then
	t0=$(now)
	btrfs quota rescan -w "$M" >/dev/null || fail rescan
	t_kernel=$(secs "$t0" "$(now)")
fi
sync
btrfs qgroup show --raw -re "$M" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1, $2, $3 }' | sort >"$TEST_TMP/kernel"
umount_fs "$M"

rss() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
run_timed() {	# [-1] NAME CMD...: the second run of two (warm cache), -1: one run
	local name t0 rc once=0
	[ "$1" = -1 ] && { once=1; shift; }
	name=$1
	shift
	[ "$once" = 1 ] || "$@" >/dev/null 2>&1
	t0=$(now)
	/usr/bin/time -v -o "$TEST_TMP/$name.time" "$@" >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err"
	rc=$?
	eval "t_$name=$(secs "$t0" "$(now)")"
	eval "rss_$name=$(rss "$TEST_TMP/$name.time")"
	eval "rc_$name=$rc"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
RUNS=${RUNS:-5}
"$FLOOR" "$LOOP_IMG" >/dev/null 2>&1
"$QGTOP" scan --json "$LOOP_IMG" >/dev/null 2>&1
: >"$TEST_TMP/floor.times"
: >"$TEST_TMP/qgtop.times"
for r in $(seq 1 "$RUNS"); do
	run_timed -1 floor "$FLOOR" "$LOOP_IMG"
	echo "$t_floor" >>"$TEST_TMP/floor.times"
	run_timed -1 qgtop "$QGTOP" scan --json "$LOOP_IMG"
	echo "$t_qgtop" >>"$TEST_TMP/qgtop.times"
done
t_floor=$(median <"$TEST_TMP/floor.times")
t_qgtop=$(median <"$TEST_TMP/qgtop.times")
# btrfs check takes minutes and ~2x the metadata in RAM: one run (the image
# is in the page cache from the runs above)
t_check=skipped rss_check=0 rc_check=0
[ -n "${NO_CHECK:-}" ] || run_timed -1 check btrfs check --readonly --qgroup-report "$LOOP_IMG"

python3 -c '
import json, sys
for q in json.load(open(sys.argv[1]))["qgroups"]:
    print(q["qgroupid"], q["referenced"], q["exclusive"])
' "$TEST_TMP/qgtop.out" | sort >"$TEST_TMP/qgtop.nums"
if diff -q "$TEST_TMP/kernel" "$TEST_TMP/qgtop.nums" >/dev/null; then
	equal="yes ($(wc -l <"$TEST_TMP/kernel") qgroups)"
else
	equal="NO"
fi
check_note=""
[ "$rc_check" = 0 ] || check_note=" (exit $rc_check: $(grep -m1 -i 'error\|fail\|could' "$TEST_TMP/check.err" "$TEST_TMP/check.out" | head -1))"
ratio() { echo "$1 / $2" | bc -l | xargs printf "%.${3:-1}f"; }
cat <<REPORT
offline bench: ${IMAGE:-$FILES files, $SNAPS snapshots}, metadata used $meta bytes
  $(cat "$TEST_TMP/floor.out")
  kernel rescan (warm)         ${t_kernel} s
  btrfs check --qgroup-report  ${t_check} s, peak RSS ${rss_check} KiB${check_note}
  metadata-read floor          ${t_floor} s, peak RSS ${rss_floor} KiB
  qgtop scan                   ${t_qgtop} s, peak RSS ${rss_qgtop} KiB (exit $rc_qgtop)
  qgtop equals kernel: $equal
  medians of $RUNS interleaved runs: floor $(tr '\n' ' ' <"$TEST_TMP/floor.times")| qgtop $(tr '\n' ' ' <"$TEST_TMP/qgtop.times")
  qgtop / floor = $(ratio "$t_qgtop" "$t_floor")x$([ "$t_kernel" = skipped ] || echo ", kernel / qgtop = $(ratio "$t_kernel" "$t_qgtop")x")$([ "$t_check" = skipped ] || echo ", check / qgtop = $(ratio "$t_check" "$t_qgtop")x")
  qgtop RSS / metadata = $(ratio "$((rss_qgtop * 1024))" "$meta" 3)$([ "$t_check" = skipped ] || echo ", check RSS / metadata = $(ratio "$((rss_check * 1024))" "$meta" 2)")
REPORT
