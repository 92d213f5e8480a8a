# tests/offline-lib.sh - helpers for the offline engine's integration tests:
# record the kernel's qgroup numbers after a full rescan, and compare them
# with `qgtop scan --json` of the unmounted image; a writer for scans under
# load. Source after tests/lib.sh.

# kernel_numbers MNT OUT: rescan, commit, and write "qgroupid rfer excl" lines
kernel_numbers() {
	btrfs quota rescan -w "$1" >/dev/null || fail "rescan $1"
	sync
	btrfs filesystem sync "$1" || fail "sync $1"
	btrfs qgroup show --raw -re "$1" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1, $2, $3 }' |
		sort >"$2" || fail "qgroup show $1"
	[ -s "$2" ] || fail "no qgroups on $1"
}

# scan_numbers OUT IMAGE...: qgtop scan --json, as "qgroupid rfer excl" lines;
# returns qgtop's exit code in SCAN_RC
scan_numbers() {
	local out=$1
	shift
	SCAN_RC=0
	"$QGTOP" scan --json "$@" >"$out.json" || SCAN_RC=$?
	[ "$SCAN_RC" -le 1 ] || fail "qgtop scan $* exited $SCAN_RC"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for q in d["qgroups"]:
    print(q["qgroupid"], q["referenced"], q["exclusive"])
' "$out.json" | sort >"$out" || fail "bad JSON from qgtop scan"
}

# compare_kernel NAME KERNEL_FILE IMAGE...: scan and require byte equality
compare_kernel() {
	local name=$1 kern=$2
	shift 2
	scan_numbers "$TEST_TMP/$name.scan" "$@"
	# kernel files may carry comments and a path column (tests/data/demo.kernel)
	grep -v '^#' "$kern" | awk 'NF >= 3 { print $1, $2, $3 }' | sort >"$TEST_TMP/$name.kern"
	kern=$TEST_TMP/$name.kern
	if ! diff -u "$kern" "$TEST_TMP/$name.scan"; then
		fail "$name: qgtop scan differs from the kernel (above: - kernel, + qgtop)"
	fi
	[ "$SCAN_RC" = 0 ] || fail "$name: numbers equal but qgtop scan exited $SCAN_RC"
	echo "ok: $name ($(wc -l <"$kern") qgroups equal)"
}

# fill BYTES: random bytes on stdout, or compressible ones (still distinct
# per call) when FILL_COMPRESSIBLE=1 (for the small committed images)
fill() {
	if [ "${FILL_COMPRESSIBLE:-0}" = 1 ]; then
		yes "$RANDOM $RANDOM $1" | head -c "$1"
	else
		head -c "$1" /dev/urandom
	fi
}

# populate MNT: a mix of everything the accounting must get right: subvolumes,
# a snapshot chain with changes between snapshots (many tree levels with a
# small nodesize), reflinks across subvolumes, partially overwritten extents,
# preallocation and holes, compressed and inline extents, a nested subvolume
populate() {
	local m=$1 i
	btrfs subvolume create "$m/a" >/dev/null || fail "subvolume create"
	btrfs subvolume create "$m/b" >/dev/null || fail "subvolume create"
	mkdir -p "$m/a/dir/deeper"
	for i in $(seq 1 400); do
		fill $((i * 37 % 9000 + 100)) >"$m/a/dir/f$i"
	done
	for i in $(seq 1 40); do echo "inline $i" >"$m/a/dir/deeper/i$i"; done
	fill $((64 * 65536)) >"$m/a/big"
	sync
	btrfs subvolume snapshot -r "$m/a" "$m/snap1" >/dev/null || fail "snapshot"
	# partial overwrite: the old extent stays whole in snap1 and in a
	dd if=/dev/urandom of="$m/a/big" bs=4K count=3 seek=5 conv=notrunc status=none
	for i in $(seq 1 7 400); do rm -f "$m/a/dir/f$i"; done
	for i in $(seq 2 11 400); do fill 3000 >>"$m/a/dir/f$i"; done
	sync
	btrfs subvolume snapshot "$m/a" "$m/a/dir/snap2" >/dev/null || fail "nested snapshot"
	cp --reflink=always "$m/a/big" "$m/b/big-reflink" || fail "reflink"
	cp --reflink=always "$m/snap1/dir/f3" "$m/b/f3-reflink"
	fallocate -l 1M "$m/b/prealloc"
	dd if=/dev/urandom of="$m/b/prealloc" bs=4K count=2 seek=10 conv=notrunc status=none
	truncate -s 10M "$m/b/sparse"
	dd if=/dev/urandom of="$m/b/sparse" bs=4K count=1 seek=1000 conv=notrunc status=none
	btrfs property set "$m/b" compression zstd 2>/dev/null || chattr +c "$m/b"
	mkdir "$m/b/z"
	for i in $(seq 1 20); do yes "compress me $i" | head -c 200000 >"$m/b/z/c$i"; done
	sync
	btrfs subvolume snapshot "$m/b" "$m/b-snap" >/dev/null
	rm -f "$m/b/z/c1" "$m/b-snap/z/c2"
	dd if=/dev/urandom of="$m/b-snap/big-reflink" bs=4K count=1 seek=7 conv=notrunc status=none
	echo tail >>"$m/a/dir/deeper/i3"
	sync
}

# start_writer MNT: in the background, a writer as on a busy server: a
# file in subvolume MNT/busy (created here), a snapshot of it every fifth
# file, the snapshot ten files older deleted, a commit each 0.3 s; its
# pid in WRITER_PID (the caller kills it)
start_writer() {
	local m=$1
	btrfs subvolume create "$m/busy" >/dev/null || fail "subvolume create"
	(
		i=0
		while :; do
			head -c 20000 /dev/urandom >"$m/busy/w$i"
			[ $((i % 5)) = 0 ] && btrfs subvolume snapshot "$m/busy" "$m/bs$i" >/dev/null
			[ $((i % 5)) = 0 ] && [ "$i" -ge 10 ] &&
				btrfs subvolume delete "$m/bs$((i - 10))" >/dev/null 2>&1
			btrfs filesystem sync "$m" >/dev/null 2>&1
			sleep 0.3
			i=$((i + 1))
		done
	) &
	WRITER_PID=$!
}
