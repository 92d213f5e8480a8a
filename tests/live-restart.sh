#!/bin/bash
# live-restart.sh - `qgtop scan DIRECTORY` when the filesystem reuses the
# blocks of the commit it is reading: the scan is stopped (SIGSTOP) after
# its first reads, the filesystem is rewritten and committed many times
# until the old commit's tree blocks hold other data, then the scan goes
# on. Every such block fails verification (generation, owner or
# checksum), the primary superblock has moved: the scan must start over
# (one warning line) and its numbers must be those of the newer commit,
# equal to the kernel's after a rescan; never an error, never numbers
# mixed from two commits. Its reads are slowed down (cgroup-v1 blkio
# throttle) so that the stop lands inside the scan.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
need_root_loop
M=$TEST_TMP/mnt
CG_ROOT=/sys/fs/cgroup/blkio
if ! [ -w "$CG_ROOT/cgroup.procs" ] || ! [ -e "$CG_ROOT/blkio.throttle.read_iops_device" ]; then
	[ "${CI:-}" = true ] && fail "no cgroup-v1 blkio throttle to slow the scan down"
	echo "SKIP: no cgroup-v1 blkio throttle" >&2
	exit 77
fi
CG=$CG_ROOT/qgtop-live-restart-$$
mkdir "$CG" || fail "mkdir $CG"
scan_pid=
# (a bare wait would also wait for lib.sh's watchdog)
trap 'if [ -n "$scan_pid" ]; then kill -CONT "$scan_pid"; kill "$scan_pid"; wait "$scan_pid"; fi 2>/dev/null;
	rmdir "$CG" 2>/dev/null; cleanup' EXIT

make_loop 1G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mount_fs "$LOOP_DEV" "$M"
btrfs quota enable "$M" || fail "quota enable"
btrfs subvolume create "$M/vol" >/dev/null || fail "subvolume create"
# churn ROUND: delete the snapshots, rewrite every file, snapshot again,
# commit: each round frees the previous commit's tree blocks and
# allocates as many, so the metadata space is soon reused
churn() {
	local r=$1 i
	for i in 1 2 3; do
		[ -d "$M/snap$i" ] && { btrfs subvolume delete "$M/snap$i" >/dev/null || fail "delete"; }
	done
	perl -e 'my ($d, $r) = @ARGV; for my $i (1..3000) { open(my $h, ">", "$d/f$i") or die;
		print $h "r$r " x (200 + $i % 700); close $h }' "$M/vol" "$r" || fail "write files"
	for i in 1 2 3; do
		btrfs subvolume snapshot -r "$M/vol" "$M/snap$i" >/dev/null || fail "snapshot"
		echo "$r.$i" >"$M/vol/f$i"
	done
	# the deleted snapshots cleaned, their qgroups gone, all committed (the
	# cleaner takes a dead root only once its deletion is committed: without
	# the first sync each round waits for the 30 s periodic commit)
	btrfs filesystem sync "$M" || fail "sync"
	btrfs subvolume sync "$M" >/dev/null 2>&1
	btrfs filesystem sync "$M" || fail "sync"
}
churn 0
btrfs quota rescan -w "$M" >/dev/null || fail "rescan"
btrfs filesystem sync "$M"
gen() { btrfs inspect-internal dump-super "$LOOP_DEV" | awk '$1 == "generation" { print $2 }'; }
majmin=$(lsblk -dno MAJ:MIN "$LOOP_DEV" | tr -d ' ')

restarted=0
for attempt in 1 2 3; do
	g0=$(gen)
	echo "$majmin ${LIVE_IOPS:-20}" >"$CG/blkio.throttle.read_iops_device" || fail "throttle"
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" \
		"$QGTOP" scan --json "$M" >"$TEST_TMP/scan.json" 2>"$TEST_TMP/err" &
	scan_pid=$!
	# stop it once it has read its first blocks (superblocks, chunk tree, roots)
	for ((i = 0; i < 400; i++)); do
		rb=$(awk '$1 == "read_bytes:" { print $2 }' "/proc/$scan_pid/io" 2>/dev/null || echo 0)
		[ "${rb:-0}" -ge 262144 ] && break
		kill -0 "$scan_pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -STOP "$scan_pid" 2>/dev/null || fail "the scan ended before it could be stopped: $(cat "$TEST_TMP/err")"
	for r in $(seq 1 12); do churn "$attempt.$r"; done
	echo "$majmin 0" >"$CG/blkio.throttle.read_iops_device" || fail "unthrottle"
	kill -CONT "$scan_pid"
	rc=0
	wait "$scan_pid" || rc=$?
	scan_pid=
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "scan after reuse: exit $rc: $(cat "$TEST_TMP/err")"
	n=$(grep -c "starting over" "$TEST_TMP/err" || true)
	got=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["scan"]["generation"])' \
		"$TEST_TMP/scan.json") || fail "bad JSON"
	echo "attempt $attempt: read $rb bytes before the stop, commit $g0 -> $got, $n restarts"
	if [ "$n" -gt 0 ]; then
		[ "$got" -gt "$g0" ] || fail "restarted, but the numbers name the old commit $got"
		restarted=1
		break
	fi
	# no restart: then no block it read late was reused, and its numbers
	# must be those of the commit it began with
	[ "$got" = "$g0" ] || fail "no restart, but commit $got instead of $g0"
done
[ "$restarted" = 1 ] || fail "the filesystem never reused a block of the scanned commit"
# the numbers are the newer commit's: the kernel agrees after a rescan (the
# filesystem has not changed since the scan's last start)
[ "$(gen)" = "$got" ] || fail "commit $got scanned, but the filesystem is at $(gen)"
kernel_numbers "$M" "$TEST_TMP/kernel"
python3 -c '
import json, sys
for q in json.load(open(sys.argv[1]))["qgroups"]:
    print(q["qgroupid"], q["referenced"], q["exclusive"])' "$TEST_TMP/scan.json" | sort >"$TEST_TMP/scan"
diff -u "$TEST_TMP/kernel" "$TEST_TMP/scan" || fail "after a restart: numbers differ from the kernel's"
echo "ok: the scan restarted after block reuse and is exact for commit $got"
