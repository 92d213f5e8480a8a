#!/bin/bash
# offline-sigint.sh - Ctrl-C ends every phase of `qgtop scan` within one
# second: opening (chunk and root tree), the quota tree, subvolume paths,
# the scan, simple-quota accounting. Each phase gets an image where it is
# the long one, read from a loop device slowed down by the cgroup-v1 blkio
# throttle (SIGINT_IOPS reads per second, read-ahead off, caches dropped),
# so each phase lasts several seconds. The signal is sent well inside the
# phase, and the one-line message must name that phase: a mistimed signal
# fails the test rather than passing it. Exit status 130 each time.
# While the slow scan holds the device, mounting it fails (exclusive open).
. "$TOP_SRCDIR/tests/lib.sh"
need_root_loop
IOPS=${SIGINT_IOPS:-10}
CG_ROOT=/sys/fs/cgroup/blkio
if [ ! -w "$CG_ROOT/cgroup.procs" ] || [ ! -e "$CG_ROOT/blkio.throttle.read_iops_device" ]; then
	[ "${CI:-}" = true ] && { echo "ERROR: no cgroup-v1 blkio throttle" >&2; exit 99; }
	echo "SKIP: needs the cgroup-v1 blkio throttle ($CG_ROOT)"
	exit 77
fi
CG=$CG_ROOT/qgtop-test-$$
mkdir "$CG" || fail "mkdir $CG"
pid=
# the cgroup goes once its processes have; wait for qgtop only (a bare
# wait would also wait for lib.sh's watchdog, the whole timeout)
trap 'if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rmdir "$CG"; cleanup' EXIT
M=$TEST_TMP/mnt

# new_fs: a fresh 4 KiB-node btrfs on a new loop device, mounted at $M
new_fs() {
	make_loop 512M
	mkfs.btrfs -q -f -n 4096 "$LOOP_DEV" >/dev/null || fail "mkfs"
	mount_fs "$LOOP_DEV" "$M"
}

# subvols DIR N: N subvolumes in DIR (the ioctl: a process per subvolume is slow)
subvols() {
	python3 - "$@" <<'PY' || fail "subvolumes"
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(int(sys.argv[2])):
    buf = bytearray(struct.pack("<q4088s", 0, b"sub%05d" % i))
    fcntl.ioctl(fd, 0x5000940E, buf)   # BTRFS_IOC_SUBVOL_CREATE
PY
}

# interrupt NAME SIG AFTER PATTERN DEV [ARGS...]: scan DEV slowly, send SIG
# AFTER seconds, require exit 130 within one second and one line matching PATTERN
interrupt() {
	local name=$1 sig=$2 after=$3 pat=$4 dev=$5 rc=0 t0 t1 lat
	shift 5
	echo "$(lsblk -dno MAJ:MIN "$dev" | tr -d ' ') $IOPS" >"$CG/blkio.throttle.read_iops_device" ||
		fail "throttle $dev"
	blockdev --setra 0 "$dev"
	blockdev --flushbufs "$dev"
	echo 1 >/proc/sys/vm/drop_caches
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" "$QGTOP" scan "$@" "$dev" \
		>"$TEST_TMP/out" 2>"$TEST_TMP/err" &
	pid=$!
	sleep "$after"
	if [ "$name" = scan ]; then
		# the scan holds the device exclusively: the kernel refuses a mount
		if mount -o ro "$dev" "$M" 2>/dev/null; then
			umount "$M"
			fail "$dev could be mounted during the scan"
		fi
	fi
	kill -0 "$pid" 2>/dev/null || fail "$name: qgtop ended before the signal: $(cat "$TEST_TMP/err")"
	t0=$(date +%s.%N)
	kill -"$sig" "$pid"
	wait "$pid" || rc=$?
	t1=$(date +%s.%N)
	pid=
	lat=$(echo "$t1 - $t0" | bc -l)
	[ "$rc" = 130 ] || fail "$name: exit $rc after SIG$sig, expected 130: $(cat "$TEST_TMP/err")"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$name: not one line: $(cat "$TEST_TMP/err")"
	grep -Eq "^qgtop: $pat" "$TEST_TMP/err" ||
		fail "$name: SIG$sig after ${after}s did not land in the phase: $(cat "$TEST_TMP/err")"
	[ "$(echo "$lat < 1" | bc -l)" = 1 ] || fail "$name: exit took ${lat}s after SIG$sig"
	printf 'ok: %s: SIG%s after %ss, exit 130 in %.3fs: %s\n' "$name" "$sig" "$after" "$lat" \
		"$(cat "$TEST_TMP/err")"
}

# opening: the root tree of 400 subvolumes in the top directory (~130 blocks)
new_fs
subvols "$M" 400
umount_fs "$M"
interrupt open INT 3 "interrupted while opening $LOOP_DEV$" "$LOOP_DEV"

# quota tree: 3000 level-1 qgroups (~100 blocks), nothing else
new_fs
btrfs quota enable "$M" || fail "quota enable"
python3 - "$M" <<'PY' || fail "qgroups"
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(1, 3001):
    fcntl.ioctl(fd, 0x4010942A, struct.pack("<QQ", 1, (1 << 48) | i))   # QGROUP_CREATE
PY
umount_fs "$M"
interrupt quota INT 3 "interrupted while reading the quota tree$" "$LOOP_DEV"

# paths: 10 subvolumes, each 8 directories deep; 20 empty files made after
# each directory put every directory's INODE_REF in a leaf of its own
new_fs
python3 - "$M" <<'PY' || fail "directories"
import os, sys
m = sys.argv[1]
os.mkdir(m + "/spacer")
n = 0
for c in range(10):
    d = "%s/c%d" % (m, c)
    os.mkdir(d)
    for level in range(8):
        d = "%s/d%d" % (d, level)
        os.mkdir(d)
        for i in range(20):
            open("%s/spacer/f%d" % (m, n), "w").close()
            n += 1
PY
for c in $(seq 0 9); do
	btrfs subvolume create "$M/c$c/d0/d1/d2/d3/d4/d5/d6/d7/sub" >/dev/null || fail "subvolume"
done
umount_fs "$M"
interrupt paths INT 4 "interrupted while resolving subvolume paths$" "$LOOP_DEV"

# scan: 4000 small files (~400 blocks of one fs tree); then with a checkpoint
# and SIGTERM, which is saved
new_fs
python3 - "$M" <<'PY' || fail "files"
import os, sys
for i in range(4000):
    with open("%s/f%d" % (sys.argv[1], i), "w") as f:
        f.write("x" * 100)
PY
umount_fs "$M"
interrupt scan INT 3 "interrupted while scanning metadata$" "$LOOP_DEV"
interrupt scan TERM 3 "interrupted while scanning metadata; progress saved in $TEST_TMP/ck$" \
	"$LOOP_DEV" --checkpoint "$TEST_TMP/ck"
[ -s "$TEST_TMP/ck" ] || fail "no checkpoint saved"

# simple quotas: 3000 files of 8 KiB, each extent charged to its owner
new_fs
python3 -c '
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.ioctl(fd, 0xC0109428, struct.pack("<QQ", 4, 0))   # QUOTA_CTL: enable simple quotas
' "$M" || fail "simple quota enable"
python3 - "$M" <<'PY' || fail "files"
import os, sys
for i in range(3000):
    with open("%s/f%d" % (sys.argv[1], i), "wb") as f:
        f.write(os.urandom(8192))
PY
umount_fs "$M"
interrupt squota INT 3 "interrupted while accounting simple quotas$" "$LOOP_DEV"
