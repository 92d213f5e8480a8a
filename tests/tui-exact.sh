#!/bin/bash
# tests/tui-exact.sh - the curses frontend on a mounted filesystem with
# --exact (numbers computed from its devices, as `qgtop scan DIRECTORY`),
# driven in tmux: the header names the commit; computed and stored numbers
# equal the kernel's after its rescan; marking a snapshot shows what
# deleting it frees (the same figure as `qgtop scan --freed`); after a
# write and a commit, F scans again and names the newer commit; q exits 0;
# without root it exits 3 with one line. Then, on a filesystem with quotas
# off, from the live view: e computes every subvolume (reads slowed down by
# a blkio throttle so that x stops the scan while it runs), the numbers
# equal the kernel's after quotas are enabled and rescanned, a mark gives
# the freed figure, e goes back to the kernel's view and q exits 0.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
. "${TOP_SRCDIR:-.}/tests/tui-lib.sh"
need_root_loop
M=$TEST_TMP/mnt
tui_make_fs "$M"
btrfs qgroup show --raw -re "$M" | awk '$1 ~ /^[0-9]+\/[0-9]+$/ { print $1, $2, $2, $3, $3 }' |
	sort >"$TEST_TMP/kernel"
gen() { btrfs inspect-internal dump-super "$LOOP_DEV" | awk '$1 == "generation" { print $2 }'; }
g1=$(gen)

# without root: one line, exit 3, before any terminal is touched
chmod o+x "$TEST_TMP"
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups "$QGTOP" --exact "$M" </dev/null \
	>/dev/null 2>"$TEST_TMP/err" || rc=$?
[ "$rc" = 3 ] && [ "$(wc -l <"$TEST_TMP/err")" = 1 ] && grep -q root "$TEST_TMP/err" ||
	fail "--exact without root: exit $rc: $(cat "$TEST_TMP/err")"

tui_start 160 50 --exact "$M"
tui_wait "exact, commit: $g1"
tui_wait "0/$WWWID www" 30
tui_keys f u u
tui_wait "units: raw"
diff <(tui_rows | sort) "$TEST_TMP/kernel" || fail "exact numbers differ from the kernel's"

# mark snapshot snap1: the freed figure equals qgtop scan --freed
snap=$(btrfs subvolume list "$M" | awk '$NF == "snap1" { print $2 }')
tui_goto "0/$snap"
tui_keys ' '
tui_wait "freed if deleted [0-9]+"
shown=$(tui_cap | sed -n 's/.*freed if deleted \([0-9]*\).*/\1/p' | head -1)
expect=$("$QGTOP" scan --raw --freed "$snap" "$M" | grep -o '[0-9]\+' | tail -1)
[ -n "$shown" ] && [ "$shown" = "$expect" ] || fail "freed: TUI says '$shown', qgtop scan --freed says '$expect'"

# the filesystem moves on: F reads the newer commit
head -c 1M /dev/urandom >"$M/www/new.bin"
btrfs filesystem sync "$M"
g2=$(gen)
[ "$g2" != "$g1" ] || fail "no new commit after a write and a sync"
tui_keys F
tui_wait "exact, commit: $g2" 30
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
echo "ok: --exact: commit $g1 equal to the kernel, freed as scan --freed, F read commit $g2"
umount_fs "$M"

# 2. quotas off, the e key of the live view
CG_ROOT=/sys/fs/cgroup/blkio
if ! [ -w "$CG_ROOT/cgroup.procs" ] || ! [ -e "$CG_ROOT/blkio.throttle.read_iops_device" ]; then
	[ "${CI:-}" = true ] && fail "no cgroup-v1 blkio throttle to slow the scan down"
	echo "SKIP: no cgroup-v1 blkio throttle: the e key is not tested" >&2
	exit 77
fi
make_loop 1G
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
mount_fs "$LOOP_DEV" "$M"
btrfs subvolume create "$M/vol" >/dev/null
perl -e 'my $d = shift; for my $i (1..4000) { open(my $h, ">", "$d/f$i") or die;
	print $h "z" x 3000; close $h }' "$M/vol" || fail "write files"
btrfs subvolume create "$M/vol/nested" >/dev/null
head -c 200K /dev/urandom >"$M/vol/nested/data"
for i in 1 2 3; do
	btrfs subvolume snapshot -r "$M/vol" "$M/snap$i" >/dev/null || fail "snapshot"
	head -c 50K /dev/urandom >"$M/vol/f$i"
done
cp --reflink=always "$M/vol/nested/data" "$M/vol/data.reflink"
btrfs filesystem sync "$M"
CG=$CG_ROOT/qgtop-tui-exact-$$
mkdir "$CG" || fail "mkdir $CG"
trap 'rmdir "$CG" 2>/dev/null; tui_cleanup' EXIT
majmin=$(lsblk -dno MAJ:MIN "$LOOP_DEV" | tr -d ' ')
echo "$majmin 20" >"$CG/blkio.throttle.read_iops_device" || fail "throttle"
printf '#!/bin/sh\necho $$ >"%s/cgroup.procs" && exec "$@"\n' "$CG" >"$TEST_TMP/in-cgroup"
chmod +x "$TEST_TMP/in-cgroup"

TUI_PREFIX=$TEST_TMP/in-cgroup tui_start 160 50 "$M"
tui_wait "quota is disabled on this filesystem"
tui_wait " e:exact"
tui_keys e
tui_wait "scanning exactly|reading the devices"
tui_keys x
tui_wait "scan stopped"
echo "$majmin 0" >"$CG/blkio.throttle.read_iops_device" || fail "unthrottle"
tui_keys F
tui_wait "read [0-9]+s ago +\(quotas are off" 30
tui_keys f u u
tui_wait "units: raw"
tui_rows | sort >"$TEST_TMP/tui.rows"
[ "$(wc -l <"$TEST_TMP/tui.rows")" -ge 6 ] || fail "expected 6 subvolumes: $(cat "$TEST_TMP/tui.rows")"
snap=$(btrfs subvolume list "$M" | awk '$NF == "snap2" { print $2 }')
tui_goto "0/$snap"
tui_keys ' '
tui_wait "freed if deleted [0-9]+"
shown=$(tui_cap | sed -n 's/.*freed if deleted \([0-9]*\).*/\1/p' | head -1)
expect=$("$QGTOP" scan --raw --freed "$snap" "$M" | grep -o '[0-9]\+' | tail -1)
[ -n "$shown" ] && [ "$shown" = "$expect" ] || fail "freed: TUI says '$shown', qgtop scan --freed says '$expect'"
tui_keys e
tui_wait "live numbers from the kernel"
tui_wait "quota is disabled on this filesystem"
tui_keys q
[ "$(tui_wait_exit)" = 0 ] || fail "q did not exit with 0"
btrfs quota enable "$M" || fail "quota enable"
btrfs quota rescan -w "$M" >/dev/null || fail "rescan"
btrfs qgroup show --raw -re "$M" | awk '$1 ~ /^0\/[0-9]+$/ { print $1, $2, $3 }' |
	sort >"$TEST_TMP/kernel.off"
diff "$TEST_TMP/tui.rows" "$TEST_TMP/kernel.off" ||
	fail "quotas off: the e key's numbers differ from the kernel's after enable and rescan"
echo "ok: e on a quota-less filesystem: x stopped the scan, $(wc -l <"$TEST_TMP/tui.rows") subvolumes equal to the kernel's, freed as scan --freed"
