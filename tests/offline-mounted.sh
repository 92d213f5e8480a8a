#!/bin/bash
# offline-mounted.sh - what qgtop scan refuses to read: a FIFO, a character
# device and a directory not on btrfs, with one line and before reading anything (a FIFO
# used to block the open forever); an image whose loop device is mounted,
# also through a hard link or a bind mount of the image (a path compare
# missed both), or held exclusively without a mount; the mounted or held
# loop device itself. The same image and device are read once unmounted.
. "$TOP_SRCDIR/tests/lib.sh"
need_root_loop
M=$TEST_TMP/mnt

# refused WHAT PATTERN ARGS...: exit 2 within 10 s, one line matching PATTERN
refused() {
	local what=$1 pat=$2 rc=0
	shift 2
	timeout 10 "$QGTOP" scan "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	[ "$rc" != 124 ] || fail "$what: qgtop scan hangs"
	[ "$rc" = 2 ] || fail "$what: exit $rc, expected 2: $(cat "$TEST_TMP/err")"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$what: not one line: $(cat "$TEST_TMP/err")"
	grep -Eq "^qgtop: .*$pat" "$TEST_TMP/err" || fail "$what: no '$pat' in: $(cat "$TEST_TMP/err")"
	echo "ok: $what -> $(cat "$TEST_TMP/err")"
}

# readable WHAT ARGS...: scanned (exit 0 or 1)
readable() {
	local what=$1 rc=0
	shift
	timeout 60 "$QGTOP" scan "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	[ "$rc" -le 1 ] || fail "$what: exit $rc: $(cat "$TEST_TMP/err")"
	echo "ok: $what is scanned (exit $rc)"
}

# a FIFO with data waiting in it: refused, and the data is still there
mkfifo "$TEST_TMP/fifo"
exec 3<>"$TEST_TMP/fifo"
printf 'untouched\n' >&3
refused "a FIFO" "is a FIFO, not an image file or block device" "$TEST_TMP/fifo"
read -r -t 2 left <&3 || fail "the FIFO's data is gone"
[ "$left" = untouched ] || fail "the FIFO was read: '$left' left"
exec 3>&-
# a character device like /dev/zero (its own node, same numbers)
mknod "$TEST_TMP/zero" c 1 5
refused "a character device" "is a character device, not an image file or block device" \
	"$TEST_TMP/zero"
refused "/dev/zero" "is a character device" /dev/zero
refused "a directory not on btrfs" "is a directory not on btrfs: neither an image file or block device nor a mounted btrfs filesystem" "$TEST_TMP"

make_loop 256M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mount_fs "$LOOP_DEV" "$M"
btrfs quota enable "$M" || fail "quota enable"
btrfs subvolume create "$M/sub" >/dev/null
head -c 200000 /dev/urandom >"$M/sub/f"
sync

# mounted: the image, a hard link to it, a bind mount of it, the device
ln "$LOOP_IMG" "$TEST_TMP/hardlink.img" || fail "ln"
: >"$TEST_TMP/bind.img"
mount --bind "$LOOP_IMG" "$TEST_TMP/bind.img" || fail "bind mount"
TEST_MOUNTS+=("$TEST_TMP/bind.img")
dev=${LOOP_DEV#/dev/}
refused "the image of a mounted loop device" "mounted through /dev/$dev \\($M\\)" "$LOOP_IMG"
refused "a hard link to it" "mounted through /dev/$dev" "$TEST_TMP/hardlink.img"
refused "a bind mount of it" "mounted through /dev/$dev" "$TEST_TMP/bind.img"
refused "the mounted loop device" "$LOOP_DEV is mounted \\($M\\)" "$LOOP_DEV"
# without root /dev/loopN cannot be opened: sysfs names the backing file,
# whose device and inode numbers still catch the hard link and bind mount
chmod 755 "$TEST_TMP"
chmod 644 "$LOOP_IMG"
for img in "$LOOP_IMG" "$TEST_TMP/hardlink.img" "$TEST_TMP/bind.img"; do
	QGTOP_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	rc=0
	"${QGTOP_USER[@]}" "$QGTOP" scan "$img" >/dev/null 2>"$TEST_TMP/err" || rc=$?
	[ "$rc" = 2 ] && grep -q "mounted through /dev/$dev" "$TEST_TMP/err" ||
		fail "as nobody, $img: exit $rc: $(cat "$TEST_TMP/err")"
	echo "ok: as nobody, $img -> $(cat "$TEST_TMP/err")"
done
umount_fs "$M"

# held exclusively, not mounted (as a multi-device member or another tool
# would): the kernel refuses the exclusive open, and the image is refused too
python3 -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_EXCL)
open(sys.argv[2], "w").close()
time.sleep(60)
' "$LOOP_DEV" "$TEST_TMP/held" &
holder=$!
# the device stays attached while held: end the holder before the cleanup
trap 'kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do [ -e "$TEST_TMP/held" ] && break; sleep 0.1; done
[ -e "$TEST_TMP/held" ] || fail "could not hold $LOOP_DEV"
refused "a held loop device" "$LOOP_DEV is in use" "$LOOP_DEV"
refused "the image of a held loop device" "backs /dev/$dev, which is in use" "$TEST_TMP/hardlink.img"
kill "$holder"
wait "$holder" 2>/dev/null
trap cleanup EXIT

# unmounted and unheld: the image, its links and the device are read
readable "the image of an idle loop device" "$LOOP_IMG"
readable "a bind mount of that image" "$TEST_TMP/bind.img"
readable "the idle loop device" "$LOOP_DEV"
refused "one image twice, by two names" "are the same device" "$LOOP_IMG" "$TEST_TMP/hardlink.img"
refused "one device twice" "are the same device" "$LOOP_DEV" "$LOOP_DEV"
