#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/progress-accuracy.sh - how far qgtop's rescan percentage is from
# the true fraction of the rescan's duration, on layouts with and without
# many snapshots (scaled-down versions of the filesystems the cost model
# was measured on: big, medA and mix, plus a flat one). Needs root, loop devices, btrfs-progs, python3.
#
#   bench/progress-accuracy.sh [BUILD_DIR] [LAYOUT...]
#
# BUILD_DIR holds the qgtop binary (default: build-rescan). Layouts: flat
# bigs medA mix balanced (default all), or the path of an image built
# before (bench/make-snapshot-image.sh, offline-bench.sh KEEP=): that image
# is loop-mounted and rescanned in place (a rescan rewrites only the quota
# tree, with the numbers the image already holds). Built images (sparse,
# up to ~3 GiB written) go
# to $BENCH_TMP (default bench/work/, removed at the end). Each layout is
# rescanned $RUNS times (default 2) by `qgtop rescan --wait --watch --json
# --interval 100`; bench/progress-analyze.py scores every run.
# Environment: RUNS, SCALE (multiplies the file and extent counts and
# the image sizes; default 1), COLD=1 (drop caches before each run;
# COLD=both: each run warm, then cold),
# CURVE=1 (print a decimated curve), KEEP_LOGS=DIR (keep the JSON lines), DEBUG=2 (log
# every LOGICAL_INO sample: roots and refs).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
build=${1:-$top/build-rescan}
shift || true
layouts=${*:-flat bigs medA mix balanced}
QGTOP=$build/qgtop
RUNS=${RUNS:-2}
SCALE=${SCALE:-1}
work=${BENCH_TMP:-$here/work}
mk=$here/progress-mkfiles.py
[ -x "$QGTOP" ] || { echo "no qgtop in $build" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
mkdir -p "$work"
mnt=$work/mnt
loop=
cleanup() {
	mountpoint -q "$mnt" && umount "$mnt"
	[ -n "$loop" ] && losetup -d "$loop"
	loop=
	rm -f "$work/img"
	rmdir "$mnt" "$work" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

newfs() {
	cleanup
	mkdir -p "$mnt"
	truncate -s "$(( $1 * SCALE ))G" "$work/img"
	loop=$(losetup -f --show "$work/img")
	mkfs.btrfs -q -f "$loop" >/dev/null
	mount "$loop" "$mnt"
}
snap() { btrfs subvolume snapshot -r "$mnt/$1" "$mnt/$2" >/dev/null; }

build_flat() {		# no snapshots: 250k files in one subvolume
	newfs 4
	btrfs subvolume create "$mnt/vol" >/dev/null
	python3 "$mk" files "$mnt/vol" $((250000 * SCALE))
}
build_bigs() {		# "big", scaled: linear snapshot series
	newfs 6
	btrfs subvolume create "$mnt/vol" >/dev/null
	python3 "$mk" files "$mnt/vol" $((100000 * SCALE))
	for i in $(seq 1 20); do snap vol s$i; done
	python3 "$mk" big "$mnt/vol/big" 1024
	python3 "$mk" frag "$mnt/vol/frag" $((100000 * SCALE))
	for i in $(seq 21 30); do snap vol s$i; done
}
build_medA() {		# "medA", scaled: two series, then a balance
	newfs 4
	btrfs subvolume create "$mnt/vol" >/dev/null
	python3 "$mk" files "$mnt/vol" $((70000 * SCALE))
	for i in $(seq 1 10); do snap vol s$i; done
	python3 "$mk" files "$mnt/vol" $((70000 * SCALE)) $((70000 * SCALE))
	python3 "$mk" frag "$mnt/vol/frag" $((100000 * SCALE))
	for i in $(seq 11 14); do snap vol s$i; done
	sync
	btrfs balance start -dlimit=1 -mlimit=1 "$mnt" >/dev/null 2>&1
}
build_balanced() {	# snapshots with rewrites, then a full balance: every
			# extent relocated, shared tree blocks on full backrefs
	newfs 4
	btrfs subvolume create "$mnt/vol" >/dev/null
	python3 "$mk" files "$mnt/vol" $((60000 * SCALE))
	for i in $(seq 1 12); do
		snap vol s$i
		python3 "$mk" rewrite "$mnt/vol" $((4000 * SCALE)) $((i + 1))
	done
	sync
	btrfs balance start --full-balance "$mnt" >/dev/null 2>&1
}
build_image() {		# an image built before, mounted in place
	cleanup
	mkdir -p "$mnt"
	loop=$(losetup -f --show "$1")
	mount "$loop" "$mnt"
}
build_mix() {		# "mix", scaled
	newfs 6
	for v in A B C; do btrfs subvolume create "$mnt/$v" >/dev/null; done
	python3 "$mk" files "$mnt/A" $((100000 * SCALE))
	for i in $(seq 1 10); do
		snap A A$i
		python3 "$mk" rewrite "$mnt/A" $((7000 * SCALE)) 13
	done
	python3 "$mk" frag "$mnt/B/frag" $((100000 * SCALE))
	for i in 1 2 3; do snap B B$i; done
	python3 "$mk" big "$mnt/C/big" 1024
	for i in $(seq 1 20); do snap C C$i; done
	btrfs subvolume snapshot "$mnt/A" "$mnt/Arw" >/dev/null
	python3 "$mk" files "$mnt/Arw" $((15000 * SCALE)) $((200000 * SCALE))
}

echo "qgtop $("$QGTOP" --version) on $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for l in $layouts; do
	t0=$(date +%s)
	case $l in
	*/*)
		build_image "$l"
		l=$(basename "$l" .img)
		# its numbers are consistent: only wait for a rescan running
		btrfs quota rescan -W "$mnt" >/dev/null
		;;
	*)
		"build_$l"
		sync
		btrfs quota enable "$mnt"
		btrfs quota rescan -w "$mnt" >/dev/null
		;;
	esac
	items=$(btrfs inspect-internal dump-tree -t extent "$loop" 2>/dev/null |
		grep -cE 'item [0-9]+ key \([0-9]+ (EXTENT_ITEM|METADATA_ITEM)')
	echo "== $l: built in $(( $(date +%s) - t0 ))s, $items extent items"
	case ${COLD:-} in
	both) modes="warm cold" ;;
	'') modes=warm ;;
	*) modes=cold ;;
	esac
	for r in $(seq 1 "$RUNS"); do for m in $modes; do
		sync
		[ "$m" = cold ] && echo 3 > /proc/sys/vm/drop_caches
		tag=$l.$r${COLD:+.$m}
		QGTOP_PROGRESS_DEBUG=${DEBUG:-1} "$QGTOP" rescan --wait --watch --json --interval 100 \
			"$mnt" > "$work/$tag.json" 2> "$work/$tag.err"
		grep -Ev "^(sample|extent) " "$work/$tag.err"
		python3 "$here/progress-analyze.py" "$l#$r${COLD:+ $m}" "$work/$tag.json" ${CURVE:+curve}
		if [ -n "${KEEP_LOGS:-}" ]; then
			cp "$work/$tag.json" "$work/$tag.err" "$KEEP_LOGS/"
		fi
		rm -f "$work/$tag.json" "$work/$tag.err"
	done; done
done
