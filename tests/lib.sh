# tests/lib.sh - shared shell helpers for qgtop's integration tests.
# Source it; it sets up a trap that unmounts and detaches everything the
# test created, even when the test fails.
set -u

QGTOP=${QGTOP:-$(pwd)/qgtop}
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/qgtop-test.XXXXXX")
TEST_MOUNTS=()
TEST_LOOPS=()
TEST_LOOP_IMGS=()

cleanup() {
	local i
	for ((i = ${#TEST_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${TEST_MOUNTS[i]}" 2>/dev/null || umount -l "${TEST_MOUNTS[i]}" 2>/dev/null
	done
	# a test may have detached its device already, and the number may now
	# belong to someone else: detach only while it still backs our image
	for i in "${!TEST_LOOPS[@]}"; do
		[ "$(losetup -n -O BACK-FILE "${TEST_LOOPS[i]}" 2>/dev/null)" = "${TEST_LOOP_IMGS[i]}" ] &&
			losetup -d "${TEST_LOOPS[i]}" 2>/dev/null
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
