#!/bin/bash
# offline-hostile.sh - crafted images, checksums intact, for every checksum
# type: (a) a tower of interior nodes whose slots all point at one child,
# over the root, chunk, quota and extent (simple-quota walk) trees: qgtop
# scan ends within the timeout with exit 2 and one line naming the tree and
# a block (before the tree checks it ran for hours); (b) INODE_REF loops (a
# directory its own parent, two directories each other's) above the
# directory subvolumes sit in: the scan succeeds quickly and those paths
# are unknown, not "a/a/a/..." (make-crafted-image writes both).
. "$TOP_SRCDIR/tests/lib.sh"
need_root_loop
CRAFT=$TOP_BUILDDIR/tests/make-crafted-image
[ -x "$CRAFT" ] || fail "build tests/make-crafted-image first (make check builds it)"
LIMIT=${HOSTILE_TIMEOUT:-60}
M=$TEST_TMP/mnt

# tower_case IMAGE TREE NAME: build the tower, expect a one-line error naming NAME
tower_case() {
	local img=$1 tree=$2 name=$3 rc=0 t0 t1
	"$CRAFT" tower "$tree" "$img" >"$TEST_TMP/craft.log" || fail "make-crafted-image tower $tree"
	t0=$(date +%s.%N)
	timeout "$LIMIT" "$QGTOP" scan "$img" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	t1=$(date +%s.%N)
	[ "$rc" != 124 ] || fail "$csum $tree tower: qgtop scan still running after ${LIMIT}s"
	[ "$rc" = 2 ] || fail "$csum $tree tower: exit $rc, expected 2: $(cat "$TEST_TMP/err")"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$csum $tree tower: not one line: $(cat "$TEST_TMP/err")"
	grep -Eq "^qgtop: bad tree block [0-9]+ of the $name: " "$TEST_TMP/err" ||
		fail "$csum $tree tower: error does not name the $name and a block: $(cat "$TEST_TMP/err")"
	echo "ok: $csum $tree tower in $(echo "$t1 - $t0" | bc -l | xargs printf '%.2f')s: $(cat "$TEST_TMP/err")"
}

# path_of JSON ID: the path qgtop scan --json gave qgroup 0/ID ("None" when null)
path_of() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print([q for q in d["qgroups"] if q["qgroupid"] == "0/" + sys.argv[2]][0]["path"])
' "$1" "$2"
}

for csum in crc32c xxhash sha256 blake2; do
	# (a) root, chunk and quota towers: mkfs alone makes the image
	fresh=$TEST_TMP/fresh-$csum.img
	truncate -s 256M "$fresh"
	mkfs.btrfs -q -f --csum "$csum" -R quota "$fresh" >/dev/null || fail "mkfs --csum $csum"
	for t in root:"root tree" chunk:"chunk tree" quota:"quota tree"; do
		cp --sparse=always "$fresh" "$TEST_TMP/t.img"
		tower_case "$TEST_TMP/t.img" "${t%%:*}" "${t#*:}"
	done

	# the kernel makes the rest: simple quotas (the extent tree walk), and
	# subvolumes in directories a and b
	make_loop 256M
	mkfs.btrfs -q -f --csum "$csum" "$LOOP_DEV" >/dev/null || fail "mkfs --csum $csum"
	mount_fs "$LOOP_DEV" "$M"
	python3 -c '
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.ioctl(fd, 0xC0109428, struct.pack("<QQ", 4, 0))   # BTRFS_IOC_QUOTA_CTL, enable simple
' "$M" || fail "simple quota enable"
	mkdir "$M/a" "$M/b"
	for i in 1 2 3 4 5 6 7 8; do
		btrfs subvolume create "$M/a/s$i" >/dev/null || fail "subvolume create"
	done
	btrfs subvolume create "$M/b/t" >/dev/null || fail "subvolume create"
	head -c 100000 /dev/urandom >"$M/a/s1/f"
	ino_a=$(stat -c %i "$M/a") ino_b=$(stat -c %i "$M/b")
	s1=$(btrfs inspect-internal rootid "$M/a/s1") t=$(btrfs inspect-internal rootid "$M/b/t")
	umount_fs "$M"
	loop_detach "$LOOP_DEV"
	cp --sparse=always "$LOOP_IMG" "$TEST_TMP/t.img"
	tower_case "$TEST_TMP/t.img" extent "extent tree"

	# (b) a is its own parent; then a and b each other's
	for loop in self mutual; do
		cp --sparse=always "$LOOP_IMG" "$TEST_TMP/l.img"
		if [ $loop = self ]; then
			"$CRAFT" inode-ref "$TEST_TMP/l.img" 5 "$ino_a" "$ino_a" >/dev/null
		else
			"$CRAFT" inode-ref "$TEST_TMP/l.img" 5 "$ino_a" "$ino_b" >/dev/null &&
				"$CRAFT" inode-ref "$TEST_TMP/l.img" 5 "$ino_b" "$ino_a" >/dev/null
		fi || fail "make-crafted-image inode-ref ($loop)"
		rc=0
		timeout "$LIMIT" "$QGTOP" scan --json "$TEST_TMP/l.img" >"$TEST_TMP/l.json" \
			2>"$TEST_TMP/err" || rc=$?
		[ "$rc" = 0 ] || fail "$csum $loop INODE_REF loop: exit $rc: $(cat "$TEST_TMP/err")"
		p=$(path_of "$TEST_TMP/l.json" "$s1") || fail "no qgroup 0/$s1 in the scan"
		[ "$p" = None ] || fail "$csum $loop INODE_REF loop: path of 0/$s1 is '$p', expected unknown"
		p=$(path_of "$TEST_TMP/l.json" "$t")
		if [ $loop = self ]; then
			[ "$p" = b/t ] || fail "$csum self loop: path of 0/$t (outside the loop) is '$p'"
		else
			[ "$p" = None ] || fail "$csum mutual loop: path of 0/$t is '$p', expected unknown"
		fi
		echo "ok: $csum $loop INODE_REF loop: paths unknown, scan exit 0"
	done
done
