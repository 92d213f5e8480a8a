# tests/lib.sh - shared shell helpers for qgtop's integration tests.
# Source it; it sets up a trap that unmounts and detaches everything the
# test created, even when the test fails.
set -u

QGTOP=${QGTOP:-$(pwd)/qgtop}
# on disk, not a tmpfs: the saves qgtop makes there must be durable
TEST_TMP=$(mktemp -d "${TMPDIR:-/var/tmp}/qgtop-test.XXXXXX")
TEST_MOUNTS=()
TEST_LOOPS=()
TEST_LOOP_IMGS=()

# a test that hangs (a kernel that never ends a rescan, say) fails after
# QGTOP_TEST_TIMEOUT seconds instead of blocking the whole suite: the
# watchdog ends the test's children, then the test, whose trap cleans up
# (0: none, for the benchmarks)
TEST_TIMEOUT=${QGTOP_TEST_TIMEOUT:-900}
TEST_WATCHDOG=
if [ "$TEST_TIMEOUT" != 0 ]; then
	(
		sleep "$TEST_TIMEOUT"
		echo "FAIL: $0 still running after ${TEST_TIMEOUT}s" >&2
		pkill -TERM -P $$
		kill -TERM $$
	) &
	TEST_WATCHDOG=$!
	disown "$TEST_WATCHDOG" 2>/dev/null || true	# no "Killed" note at the end
fi

cleanup() {
	local i
	if [ -n "$TEST_WATCHDOG" ]; then
		# the watchdog before its sleep: the other way round it would
		# wake, report a timeout and kill us
		kill -STOP "$TEST_WATCHDOG" 2>/dev/null
		pkill -P "$TEST_WATCHDOG" 2>/dev/null	# its sleep
		kill -KILL "$TEST_WATCHDOG" 2>/dev/null
	fi
	for ((i = ${#TEST_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${TEST_MOUNTS[i]}" 2>/dev/null || umount -l "${TEST_MOUNTS[i]}" 2>/dev/null
	done
	# a test may have detached its device already, and the number may now
	# belong to someone else: detach only while it still backs our image
	for i in "${!TEST_LOOPS[@]}"; do
		[ "$(losetup -n -O BACK-FILE "${TEST_LOOPS[i]}" 2>/dev/null)" = "${TEST_LOOP_IMGS[i]}" ] &&
			loop_detach "${TEST_LOOPS[i]}" 2>/dev/null
	done
	rm -rf "$TEST_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip (77) without root or loop devices, but never under CI=true
need_root_loop() {
	local why=""
	if [ "$(id -u)" != 0 ]; then
		why="needs root"
	elif ! losetup -f >/dev/null 2>&1; then
		why="needs loop devices"
	elif ! command -v mkfs.btrfs >/dev/null; then
		why="needs mkfs.btrfs (btrfs-progs)"
	elif ! grep -qw btrfs /proc/filesystems && ! modprobe btrfs 2>/dev/null; then
		why="needs btrfs in the kernel"
	fi
	if [ -n "$why" ]; then
		if [ "${CI:-}" = true ]; then
			echo "ERROR: $why, and a skip is a failure under CI=true" >&2
			exit 99
		fi
		echo "SKIP: $why" >&2
		exit 77
	fi
}

# make_loop SIZE: a sparse image on a loop device; sets LOOP_DEV and LOOP_IMG
# (not a $(...) function: the cleanup list must grow in this shell)
make_loop() {
	LOOP_IMG="$TEST_TMP/img$RANDOM$RANDOM.img"
	truncate -s "$1" "$LOOP_IMG" || fail "truncate $LOOP_IMG"
	LOOP_DEV=$(losetup -f --show "$LOOP_IMG") || fail "losetup $LOOP_IMG"
	TEST_LOOPS+=("$LOOP_DEV")
	TEST_LOOP_IMGS+=("$(realpath "$LOOP_IMG")")
}

# loop_detach DEV: losetup -d, again for up to 5 s while it is busy (udev
# probes a device for a moment after its filesystem is unmounted; a
# detach then fails with EBUSY and the device would stay behind)
loop_detach() {
	local i
	for ((i = 0; i < 50; i++)); do
		losetup -d "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	losetup -d "$1"
}

# mount_fs DEV MNT [options]
mount_fs() {
	mkdir -p "$2"
	mount ${3:+-o "$3"} "$1" "$2" || fail "mount $1"
	TEST_MOUNTS+=("$2")
}

umount_fs() {
	umount "$1" || fail "umount $1"
	local i
	for i in "${!TEST_MOUNTS[@]}"; do
		[ "${TEST_MOUNTS[i]}" = "$1" ] && unset 'TEST_MOUNTS[i]'
	done
	TEST_MOUNTS=("${TEST_MOUNTS[@]}")
}

# make_slow_rescan_fs NFILES NSNAPS [MOUNT_OPTIONS]: a 2G loop-mounted btrfs
# at $TEST_TMP/mnt (sets mnt) whose rescan lasts a few seconds: NFILES 4 KiB
# files (one small extent each) in subvolume vol, shared by NSNAPS read-only
# snapshots s1.. (many small shared extents are what a rescan is slow on)
make_slow_rescan_fs() {
	make_loop 2G
	mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
	mnt=$TEST_TMP/mnt
	mount_fs "$LOOP_DEV" "$mnt" "${3:-}"
	btrfs subvolume create "$mnt/vol" >/dev/null || fail "subvolume create"
	python3 - "$mnt/vol" "$1" <<'PY' || fail "files"
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
data = b"q" * 4096
for i in range(n):
    sub = os.path.join(d, "d%03d" % (i // 1000))
    if i % 1000 == 0:
        os.mkdir(sub)
    with open(os.path.join(sub, "f%d" % i), "wb") as f:
        f.write(data)
PY
	local i
	for i in $(seq 1 "$2"); do
		btrfs subvolume snapshot -r "$mnt/vol" "$mnt/s$i" >/dev/null || fail "snapshot"
	done
}
