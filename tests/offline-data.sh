#!/bin/bash
# offline-data.sh - no root needed: qgtop scan of the committed kernel-made
# images in tests/data equals the kernel's recorded numbers; the image unit
# tests (corruption, checkpoint resume, freed) run on each; and corrupt
# images given to the CLI end with a one-line error and exit 2.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
command -v xz >/dev/null || { echo "SKIP: needs xz"; exit 77; }

for xzimg in "$TOP_SRCDIR"/tests/data/*.img.xz; do
	name=$(basename "$xzimg" .img.xz)
	img=$TEST_TMP/$name.img
	xz -dc "$xzimg" >"$img" || fail "xz -d $xzimg"
	compare_kernel "$name" "$TOP_SRCDIR/tests/data/$name.kernel" "$img"
	if [ -x "$TOP_BUILDDIR/tests/test-offline-image" ]; then
		"$TOP_BUILDDIR/tests/test-offline-image" "$img" >"$TEST_TMP/unit.log" 2>&1 ||
			{ cat "$TEST_TMP/unit.log"; fail "test-offline-image $name"; }
		echo "ok: image unit tests on $name"
	fi
done

# expect_exit2 WHAT ARGS...: exit 2, exactly one line on stderr, nothing on stdout
expect_exit2() {
	local what=$1 rc=0
	shift
	"$QGTOP" scan "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || rc=$?
	[ "$rc" = 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$TEST_TMP/err"))"
	[ "$(wc -l <"$TEST_TMP/err")" = 1 ] || fail "$what: not one line: $(cat "$TEST_TMP/err")"
	grep -q '^qgtop: ' "$TEST_TMP/err" || fail "$what: no 'qgtop: ' prefix"
	[ ! -s "$TEST_TMP/out" ] || fail "$what: wrote to stdout"
	echo "ok: $what -> $(cat "$TEST_TMP/err")"
}

img=$TEST_TMP/basic-16k-crc32c.img
kern=$TOP_SRCDIR/tests/data/basic-16k-crc32c.kernel
cp "$img" "$TEST_TMP/t.img" && truncate -s 2M "$TEST_TMP/t.img"
expect_exit2 "truncated image" "$TEST_TMP/t.img"
: >"$TEST_TMP/empty.img"
expect_exit2 "empty file" "$TEST_TMP/empty.img"
expect_exit2 "missing file" "$TEST_TMP/nonexistent.img"
expect_exit2 "a directory" "$TEST_TMP"
expect_exit2 "no image" 
cp "$img" "$TEST_TMP/z.img"
dd if=/dev/zero of="$TEST_TMP/z.img" bs=4096 seek=16 count=1 conv=notrunc status=none
# primary superblock zeroed: the backup at 64 MiB is used
compare_kernel zeroed-primary "$kern" "$TEST_TMP/z.img"
dd if=/dev/zero of="$TEST_TMP/z.img" bs=4096 seek=16384 count=1 conv=notrunc status=none
expect_exit2 "zeroed superblocks" "$TEST_TMP/z.img"
cp "$img" "$TEST_TMP/c.img"
printf 'X' | dd of="$TEST_TMP/c.img" bs=1 seek=$((65536 + 300)) conv=notrunc status=none
dd if=/dev/zero of="$TEST_TMP/c.img" bs=4096 seek=16384 count=1 conv=notrunc status=none
expect_exit2 "superblock with a bad checksum" "$TEST_TMP/c.img"
expect_exit2 "two copies of one device" "$img" "$img"
expect_exit2 "devices of two filesystems" "$img" "$TEST_TMP/n4k-xxhash.img"
# --checkpoint of a finished scan leaves no file behind
"$QGTOP" scan --checkpoint "$TEST_TMP/ck" "$img" >/dev/null || fail "scan --checkpoint exited $?"
[ ! -e "$TEST_TMP/ck" ] || fail "checkpoint left behind after a complete scan"
echo "ok: corrupt input and checkpoint cleanup"
