#!/bin/bash
# offline-squota.sh - on a simple-quota filesystem (enabled with the raw
# QUOTA_CTL ioctl, cmd 4: btrfs-progs 6.2 cannot) qgtop scan charges every
# extent to its owner from the enable generation on, like the kernel
# (whose numbers come from sysfs: progs 6.2 cannot read such a filesystem).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/offline-lib.sh"
need_root_loop
make_loop 400M
mkfs.btrfs -q -f "$LOOP_DEV" >/dev/null || fail "mkfs"
M=$TEST_TMP/mnt
mount_fs "$LOOP_DEV" "$M"
head -c 1000000 /dev/urandom >"$M/before-enable"
sync
python3 -c '
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.ioctl(fd, 0xC0109428, struct.pack("<QQ", 4, 0))   # BTRFS_IOC_QUOTA_CTL, enable simple
' "$M" || fail "simple quota enable"
populate "$M"
btrfs qgroup create 1/1 "$M" || fail "create 1/1"
btrfs qgroup assign --no-rescan 0/256 1/1 "$M" 2>/dev/null
btrfs qgroup assign --no-rescan 0/257 1/1 "$M" 2>/dev/null
sync
uuid=$(btrfs filesystem show "$M" | awk '/uuid:/ { print $NF }')
for q in /sys/fs/btrfs/"$uuid"/qgroups/[0-9]*_[0-9]*; do
	n=${q##*/}
	echo "${n%%_*}/${n#*_} $(cat "$q/referenced") $(cat "$q/exclusive")"
done | sort >"$TEST_TMP/kernel"
[ -s "$TEST_TMP/kernel" ] || fail "no qgroups in sysfs"
umount_fs "$M"
compare_kernel squota "$TEST_TMP/kernel" "$LOOP_IMG"
# --freed needs the full-mode sets: a clear refusal, exit 2 (scan's error code)
rc=0; "$QGTOP" scan --freed 256 "$LOOP_IMG" 2>"$TEST_TMP/err" >/dev/null || rc=$?
[ "$rc" = 2 ] || fail "--freed on simple quotas exited $rc"
grep -q "simple quotas" "$TEST_TMP/err" || fail "no reason given: $(cat "$TEST_TMP/err")"
echo "ok: --freed refused on simple quotas"
